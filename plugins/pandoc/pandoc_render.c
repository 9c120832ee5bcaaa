/* pandoc_render.c - one document's tree as a pandoc block list.
 *
 * One walk with the model's iterator, no recursion, so any depth costs no
 * stack.  Each open container is a frame saying what kind of JSON list its
 * children go into (blocks, inlines, list items, table rows, cells) and how
 * many elements that list holds so far (for the commas).
 *
 *   PARAGRAPH    Para inlines (Plain in a list item holding one paragraph,
 *                as pandoc makes tight lists)
 *   HEADING      Header level ["",[],[]] inlines
 *   SECTION      Div ["",[],[["data-info",INFO]]] blocks (no pairs without
 *                info)
 *   BULLET_LIST  BulletList [[blocks]...]
 *   ORDERED_LIST OrderedList [start, Decimal, Period] [[blocks]...]
 *   BLOCK_QUOTE  BlockQuote blocks
 *   CODE_BLOCK   CodeBlock ["",[info's words],[]] text
 *   THEMATIC_BREAK HorizontalRule     RAW_BLOCK  RawBlock format text
 *   TABLE        Table (below)
 *   TEXT         Str, Space and SoftBreak (pandoc_render_text)
 *   EMPH, STRONG Emph, Strong         CODE       Code ["",[],[]] text
 *   LINK, IMAGE  Link/Image ["",[],[]] inlines [url, title]
 *   LINE_BREAK, SOFT_BREAK  LineBreak, SoftBreak
 *   RAW_INLINE   RawInline format text
 *
 * A table is [attr, caption, colspecs, TableHead, [TableBody...],
 * TableFoot] in the layout of pandoc-types 1.22 and 1.23: the header rows
 * that come first go to the TableHead; a header row after body rows opens
 * a new TableBody whose intermediate head holds it, so that every row keeps
 * its place and its header flag.  A column's colspec alignment is the
 * alignment its cells share; when they differ it is AlignDefault and each
 * cell carries its own.
 *
 * A node type newer than this code is transparent: its children are
 * written in its place, and its text, when it has some, as words.  Inlines
 * that so land among blocks are gathered into a Plain. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pandoc.h"

/* Hand the buffer to the sink past this size. */
#define FLUSH_AT (64 * 1024)

enum kind { K_BLOCKS, K_INLINES, K_ITEMS, K_TABLE, K_ROW };

/* Where the rows of a table are going. */
enum phase { IN_HEAD, IN_BODY_HEAD, IN_BODY };

typedef struct frame {
  enum kind kind;
  size_t count;              /* elements written in the open list */
  int is_auto;               /* a Plain opened for stray inlines */
  enum phase phase;          /* K_TABLE */
} frame;

typedef struct walker {
  quire_env *env;
  json_out *out;
  frame *stack;
  size_t depth, cap;
  int failed;                /* the stack could not grow */
  quire_align *cols;         /* the table's shared column alignments */
  size_t n_cols, cap_cols;
} walker;

static const char attr_none[] = "[\"\",[],[]]";

static frame *top(walker *w) { return &w->stack[w->depth - 1]; }

static void push(walker *w, enum kind kind) {
  if (w->depth == w->cap) {
    size_t cap = w->cap ? w->cap * 2 : 32;
    frame *s = realloc(w->stack, cap * sizeof *s);
    if (!s) {
      w->failed = 1;
      return;
    }
    w->stack = s;
    w->cap = cap;
  }
  w->stack[w->depth++] = (frame){.kind = kind};
}

static void pop(walker *w) {
  if (w->depth > 1)
    w->depth--;
}

/* The comma before a new element of the innermost list. */
static void element(walker *w) {
  if (top(w)->count++)
    json_out_put(w->out, ",", 1);
}

/* Ends the Plains opened for stray inlines in the innermost container. */
static void close_auto(walker *w) {
  while (w->depth > 1 && top(w)->is_auto) {
    json_out_put(w->out, "]}", 2);
    pop(w);
  }
}

static void begin_block(walker *w) {
  close_auto(w);
  element(w);
}

/* Makes the innermost list one of inlines: among blocks, a Plain. */
static void inline_context(walker *w) {
  if (top(w)->kind != K_BLOCKS)
    return;
  element(w);
  json_out_puts(w->out, "{\"t\":\"Plain\",\"c\":[");
  push(w, K_INLINES);
  if (!w->failed)
    top(w)->is_auto = 1;
}

static void begin_inline(walker *w) {
  inline_context(w);
  if (!w->failed)
    element(w);
}

static int is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

void pandoc_render_text(json_out *out, size_t *count, const char *s, size_t n) {
  size_t i = 0;
  while (i < n) {
    size_t j = i;
    if (is_space(s[i])) {
      int newline = 0;
      while (j < n && is_space(s[j]))
        newline |= s[j++] == '\n';
      if ((*count)++)
        json_out_put(out, ",", 1);
      json_out_puts(out, newline ? "{\"t\":\"SoftBreak\"}" : "{\"t\":\"Space\"}");
    } else {
      /* Non-ASCII spaces (U+00A0 ...) stay inside the word, as pandoc
       * keeps them. */
      while (j < n && !is_space(s[j]))
        j++;
      if ((*count)++)
        json_out_put(out, ",", 1);
      json_out_puts(out, "{\"t\":\"Str\",\"c\":");
      json_out_string(out, s + i, j - i);
      json_out_put(out, "}", 1);
    }
    i = j;
  }
}

static void text(walker *w, const char *s, size_t n) {
  inline_context(w);
  if (!w->failed)
    pandoc_render_text(w->out, &top(w)->count, s, n);
}

static void string(walker *w, const char *s) {
  json_out_string(w->out, s ? s : "", s ? strlen(s) : 0);
}

/* ["",[word, word...],[]] from a code block's info. */
static void code_attr(json_out *o, const char *info) {
  json_out_puts(o, "[\"\",[");
  size_t words = 0;
  for (const char *p = info ? info : ""; *p;) {
    p += strspn(p, " \t\n");
    size_t len = strcspn(p, " \t\n");
    if (!len)
      break;
    if (words++)
      json_out_put(o, ",", 1);
    json_out_string(o, p, len);
    p += len;
  }
  json_out_puts(o, "],[]]");
}

/* A paragraph in a list item that holds no other paragraph is a Plain. */
static int tight(const quire_node *n) {
  if (!n->parent || n->parent->type != QUIRE_NODE_ITEM)
    return 0;
  for (const quire_node *c = n->parent->first_child; c; c = c->next)
    if (c != n && c->type == QUIRE_NODE_PARAGRAPH)
      return 0;
  return 1;
}

static const char *align_name(quire_align a) {
  switch (a) {
  case QUIRE_ALIGN_LEFT: return "AlignLeft";
  case QUIRE_ALIGN_CENTER: return "AlignCenter";
  case QUIRE_ALIGN_RIGHT: return "AlignRight";
  default: return "AlignDefault";
  }
}

/* Marks a column's alignment as not shared by all its cells. */
#define ALIGN_MIXED ((quire_align)-1)

/* The number of columns of a table and the alignment each column's cells
 * share, into w->cols. */
static void table_columns(walker *w, const quire_node *table) {
  size_t n = 0;
  for (const quire_node *r = table->first_child; r; r = r->next) {
    size_t i = 0;
    for (const quire_node *c = r->first_child; c; c = c->next) {
      if (c->type != QUIRE_NODE_TABLE_CELL)
        continue;
      if (i == w->cap_cols) {
        size_t cap = w->cap_cols ? w->cap_cols * 2 : 16;
        quire_align *a = realloc(w->cols, cap * sizeof *a);
        if (!a) {
          w->failed = 1;
          return;
        }
        w->cols = a;
        w->cap_cols = cap;
      }
      if (i >= n)
        w->cols[n++] = c->align;
      else if (w->cols[i] != c->align)
        w->cols[i] = ALIGN_MIXED;
      i++;
    }
  }
  w->n_cols = n;
}

static void table_enter(walker *w, const quire_node *n) {
  begin_block(w);
  table_columns(w, n);
  json_out_puts(w->out, "{\"t\":\"Table\",\"c\":[[\"\",[],[]],[null,[]],[");
  for (size_t i = 0; i < w->n_cols; i++) {
    if (i)
      json_out_put(w->out, ",", 1);
    quire_align a = w->cols[i] == ALIGN_MIXED ? QUIRE_ALIGN_NONE : w->cols[i];
    json_out_puts(w->out, "[{\"t\":\"");
    json_out_puts(w->out, align_name(a));
    json_out_puts(w->out, "\"},{\"t\":\"ColWidthDefault\"}]");
  }
  json_out_puts(w->out, "],[[\"\",[],[]],[");
  push(w, K_TABLE);
}

/* Moves the table to the list a row of this kind belongs to. */
static void table_row(walker *w, int header) {
  frame *t = top(w);
  if (t->kind != K_TABLE)
    return;
  const char *jump = NULL;
  enum phase next = t->phase;
  if (t->phase == IN_HEAD && !header) {
    jump = "]],[[[\"\",[],[]],0,[],[";    /* head done; a body's rows */
    next = IN_BODY;
  } else if (t->phase == IN_BODY && header) {
    jump = "]],[[\"\",[],[]],0,[";        /* a new body, its head rows */
    next = IN_BODY_HEAD;
  } else if (t->phase == IN_BODY_HEAD && !header) {
    jump = "],[";                         /* the body's own rows */
    next = IN_BODY;
  }
  if (jump) {
    json_out_puts(w->out, jump);
    t->phase = next;
    t->count = 0;
  }
}

static void table_exit(walker *w) {
  static const char *const ends[] = {
      [IN_HEAD] = "]],[]",              /* no body */
      [IN_BODY_HEAD] = "],[]]]",        /* a body with head rows only */
      [IN_BODY] = "]]]",
  };
  json_out_puts(w->out, ends[top(w)->phase]);
  json_out_puts(w->out, ",[[\"\",[],[]],[]]]}");
}

static void cell_enter(walker *w, const quire_node *n) {
  size_t col = top(w)->count;
  element(w);
  /* A column whose cells share an alignment has it in its colspec. */
  quire_align a = col < w->n_cols && w->cols[col] != ALIGN_MIXED
                      ? QUIRE_ALIGN_NONE
                      : n->align;
  json_out_puts(w->out, "[[\"\",[],[]],{\"t\":\"");
  json_out_puts(w->out, align_name(a));
  json_out_puts(w->out, "\"},1,1,[{\"t\":\"Plain\",\"c\":[");
  push(w, K_INLINES);
}

/* Writes an element with a leaf's text: {"t":TAG,"c":[X,"text"]}, X
 * being the attributes (Code, CodeBlock) or the format (Raw*). */
static void leaf(walker *w, const char *tag, const quire_node *n) {
  json_out_puts(w->out, "{\"t\":\"");
  json_out_puts(w->out, tag);
  json_out_puts(w->out, "\",\"c\":[");
  if (n->type == QUIRE_NODE_CODE_BLOCK)
    code_attr(w->out, n->info);
  else if (n->type == QUIRE_NODE_CODE)
    json_out_puts(w->out, attr_none);
  else
    string(w, n->info);
  json_out_put(w->out, ",", 1);
  json_out_string(w->out, n->text ? n->text : "", n->text ? n->len : 0);
  json_out_puts(w->out, "]}");
}

static void on_enter(walker *w, const quire_node *n) {
  json_out *o = w->out;
  switch (n->type) {
  case QUIRE_NODE_PARAGRAPH:
    begin_block(w);
    json_out_puts(o, tight(n) ? "{\"t\":\"Plain\",\"c\":["
                          : "{\"t\":\"Para\",\"c\":[");
    push(w, K_INLINES);
    return;
  case QUIRE_NODE_HEADING: {
    int level = n->level < 1 ? 1 : n->level > 6 ? 6 : n->level;
    char head[64];
    snprintf(head, sizeof head, "{\"t\":\"Header\",\"c\":[%d,%s,[", level,
             attr_none);
    begin_block(w);
    json_out_puts(o, head);
    push(w, K_INLINES);
    return;
  }
  case QUIRE_NODE_SECTION:
    begin_block(w);
    json_out_puts(o, "{\"t\":\"Div\",\"c\":[[\"\",[],[");
    if (n->info) {
      json_out_puts(o, "[\"data-info\",");
      string(w, n->info);
      json_out_put(o, "]", 1);
    }
    json_out_puts(o, "]],[");
    push(w, K_BLOCKS);
    return;
  case QUIRE_NODE_BLOCK_QUOTE:
    begin_block(w);
    json_out_puts(o, "{\"t\":\"BlockQuote\",\"c\":[");
    push(w, K_BLOCKS);
    return;
  case QUIRE_NODE_BULLET_LIST:
    begin_block(w);
    json_out_puts(o, "{\"t\":\"BulletList\",\"c\":[");
    push(w, K_ITEMS);
    return;
  case QUIRE_NODE_ORDERED_LIST: {
    char head[96];
    snprintf(head, sizeof head,
             "{\"t\":\"OrderedList\",\"c\":[[%d,{\"t\":\"Decimal\"},"
             "{\"t\":\"Period\"}],[",
             n->start);
    begin_block(w);
    json_out_puts(o, head);
    push(w, K_ITEMS);
    return;
  }
  case QUIRE_NODE_ITEM:
    close_auto(w);
    element(w);
    json_out_put(o, "[", 1);
    push(w, K_BLOCKS);
    return;
  case QUIRE_NODE_CODE_BLOCK:
    begin_block(w);
    leaf(w, "CodeBlock", n);
    return;
  case QUIRE_NODE_THEMATIC_BREAK:
    begin_block(w);
    json_out_puts(o, "{\"t\":\"HorizontalRule\"}");
    return;
  case QUIRE_NODE_RAW_BLOCK:
    begin_block(w);
    leaf(w, "RawBlock", n);
    return;
  case QUIRE_NODE_TABLE:
    table_enter(w, n);
    return;
  case QUIRE_NODE_TABLE_ROW:
    table_row(w, n->header);
    element(w);
    json_out_puts(o, "[[\"\",[],[]],[");
    push(w, K_ROW);
    return;
  case QUIRE_NODE_TABLE_CELL:
    cell_enter(w, n);
    return;
  case QUIRE_NODE_TEXT:
    text(w, n->text, n->len);
    return;
  case QUIRE_NODE_EMPH:
  case QUIRE_NODE_STRONG:
    begin_inline(w);
    json_out_puts(o, n->type == QUIRE_NODE_EMPH ? "{\"t\":\"Emph\",\"c\":["
                                            : "{\"t\":\"Strong\",\"c\":[");
    push(w, K_INLINES);
    return;
  case QUIRE_NODE_LINK:
  case QUIRE_NODE_IMAGE:
    begin_inline(w);
    json_out_puts(o, n->type == QUIRE_NODE_LINK ? "{\"t\":\"Link\",\"c\":["
                                            : "{\"t\":\"Image\",\"c\":[");
    json_out_puts(o, attr_none);
    json_out_puts(o, ",[");
    push(w, K_INLINES);
    return;
  case QUIRE_NODE_CODE:
    begin_inline(w);
    leaf(w, "Code", n);
    return;
  case QUIRE_NODE_LINE_BREAK:
    begin_inline(w);
    json_out_puts(o, "{\"t\":\"LineBreak\"}");
    return;
  case QUIRE_NODE_SOFT_BREAK:
    begin_inline(w);
    json_out_puts(o, "{\"t\":\"SoftBreak\"}");
    return;
  case QUIRE_NODE_RAW_INLINE:
    begin_inline(w);
    leaf(w, "RawInline", n);
    return;
  default:
    /* A type newer than this code: its children come in its place; its
     * own text is kept as words. */
    if (n->text && n->len)
      text(w, n->text, n->len);
    return;
  }
}

static void on_exit(walker *w, const quire_node *n) {
  json_out *o = w->out;
  const char *end;
  switch (n->type) {
  case QUIRE_NODE_PARAGRAPH:
  case QUIRE_NODE_BLOCK_QUOTE:
  case QUIRE_NODE_BULLET_LIST:
  case QUIRE_NODE_EMPH:
  case QUIRE_NODE_STRONG:
    end = "]}";
    break;
  case QUIRE_NODE_HEADING:
  case QUIRE_NODE_SECTION:
  case QUIRE_NODE_ORDERED_LIST:
    end = "]]}";
    break;
  case QUIRE_NODE_ITEM:
    end = "]";
    break;
  case QUIRE_NODE_TABLE_ROW:
    end = "]]";
    break;
  case QUIRE_NODE_TABLE_CELL:
    end = "]}]]";
    break;
  case QUIRE_NODE_TABLE:
    close_auto(w);
    table_exit(w);
    pop(w);
    return;
  case QUIRE_NODE_LINK:
  case QUIRE_NODE_IMAGE:
    close_auto(w);
    json_out_puts(o, "],[");
    string(w, n->url);
    json_out_put(o, ",", 1);
    string(w, n->title);
    json_out_puts(o, "]]}");
    pop(w);
    return;
  default:
    return;   /* leaves, and types newer than this code */
  }
  close_auto(w);
  json_out_puts(o, end);
  pop(w);
}

int pandoc_render_blocks(quire_env *env, const quire_node *root, json_out *out,
                         pandoc_sink_fn sink, void *user) {
  const quire_services *svc = env->svc;
  walker w = {.env = env, .out = out};
  push(&w, K_BLOCKS);
  quire_iter it;
  svc->iter_init(&it, root);
  int rc = QUIRE_OK;
  while (!w.failed && !out->failed && svc->iter_next(&it) != QUIRE_EV_DONE) {
    if (it.node == root)
      continue;
    if (it.event == QUIRE_EV_ENTER)
      on_enter(&w, it.node);
    else
      on_exit(&w, it.node);
    if (sink && out->len >= FLUSH_AT && !out->failed &&
        (rc = sink(env, user, out)) != QUIRE_OK)
      break;
  }
  if (rc == QUIRE_OK && !w.failed)
    close_auto(&w);
  if (rc == QUIRE_OK && (w.failed || out->failed)) {
    svc->error(env, NULL, "out of memory");
    rc = QUIRE_FATAL;
  }
  free(w.stack);
  free(w.cols);
  return rc;
}
