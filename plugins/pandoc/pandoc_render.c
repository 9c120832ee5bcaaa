/* pandoc_render.c - one document's tree as a pandoc block list.
 *
 * One walk with the model's iterator, no recursion but for captions, so
 * depth costs no stack.  Each open container is a frame saying what kind
 * of JSON list its children go into (blocks, inlines, list items, table
 * rows, cells, definition entries, lines) and how many elements that list
 * holds so far (for the commas).  The mapping is one to one
 * (docs/formats/pandoc-json.md):
 *
 *   PARAGRAPH    Para; Plain in the items of a tight list, the definitions
 *                of a tight definition list, a caption, a 1.23 Figure
 *   HEADING      Header level attr inlines
 *   SECTION      Div, class "section" first, info as "data-info"
 *   DIV          Div attr blocks
 *   BULLET_LIST  BulletList [[blocks]...]
 *   ORDERED_LIST OrderedList [start, style, delim] [[blocks]...]
 *   DEFINITION_LIST  DefinitionList [[term inlines, [[blocks]...]]...]
 *   LINE_BLOCK   LineBlock [[inlines]...], a LINE each
 *   BLOCK_QUOTE  BlockQuote blocks
 *   CODE_BLOCK   CodeBlock attr (info's words first among its classes) text
 *   THEMATIC_BREAK HorizontalRule     RAW_BLOCK  RawBlock format text
 *   FIGURE       1.23: Figure attr caption blocks.  1.22, which has no
 *                Figure: pandoc 2's implicit figure, Para [Image attr
 *                description ("fig:"title)], when it holds the figure
 *                without loss (an image alone in a paragraph, described
 *                as the caption says, no attributes on the figure);
 *                other figures a Div of class "figure" whose last block is
 *                a Div of class "caption"
 *   TABLE        Table (below)
 *   TEXT         Str, Space and SoftBreak (pandoc_render_text)
 *   EMPH, STRONG, STRIKEOUT, SUPERSCRIPT, SUBSCRIPT, SMALL_CAPS, UNDERLINE
 *                Emph, Strong, Strikeout, Superscript, Subscript,
 *                SmallCaps, Underline
 *   SPAN         Span attr inlines    QUOTED  Quoted quote-type inlines
 *   CODE         Code attr text       MATH    Math math-type text
 *   LINK, IMAGE  Link/Image attr inlines [url, title]
 *   NOTE         Note blocks
 *   LINE_BREAK, SOFT_BREAK  LineBreak, SoftBreak
 *   RAW_INLINE   RawInline format text
 *
 * Attributes go where pandoc has an Attr (the nodes above written with
 * attr, and tables, their parts, rows and cells); on other nodes they are
 * counted, and the count is a note under --verbose.
 *
 * A table is [attr, caption, colspecs, TableHead, [TableBody...],
 * TableFoot] in the layout of pandoc-types 1.22 and 1.23.  A Model 2
 * table's parts map one to one: TABLE_COLUMNs are the colspecs, a
 * TABLE_BODY's header rows first are the body's intermediate head, and its
 * leading header cells its row head columns.  A table of rows alone (made
 * before Model 2): the header rows that come first form the TableHead; a
 * header row after body rows opens a new TableBody whose intermediate head
 * holds it, so that every row keeps its place and its header flag.  A
 * cell is [attr, alignment, rowspan, colspan, blocks]: a cell of inlines
 * holds them in one Plain.  Captions come before what they caption in
 * pandoc's layout, wherever they are in the tree: a nested walk writes
 * them, and the main walk skips them.
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

enum kind { K_BLOCKS, K_INLINES, K_ITEMS, K_TABLE, K_ROW, K_DEFS, K_LINES };

/* Where a table's rows are going: after its colspecs, in its head, in its
 * list of bodies, in a body's head rows, in a body's rows, in its foot. */
enum phase { T_COLS, T_HEAD, T_BODIES, T_BODY_HEAD, T_BODY, T_FOOT };

typedef struct frame {
  enum kind kind;
  size_t count;              /* elements written in the open list */
  int is_auto;               /* a Plain opened for stray inlines */
  /* K_TABLE */
  enum phase phase;
  size_t bodies;             /* TableBodys written */
  /* K_DEFS: an entry's definitions are open */
  int in_entry;
  size_t defs;
  /* A TABLE_CELL's content is a Plain of inlines. */
  int plain_cell;
} frame;

typedef struct walker {
  quire_env *env;
  json_out *out;
  int api23;                 /* writing pandoc-types 1.23 */
  frame *stack;
  size_t depth, cap;
  int failed;                /* the stack could not grow */
  const quire_node *skip;    /* a subtree written already, or NULL */
  int nested_failed;         /* a nested walk failed, its message set */
  unsigned long *lost;       /* nodes whose attributes pandoc cannot hold */
} walker;

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

static void puts_(walker *w, const char *s) { json_out_puts(w->out, s); }

/* The comma before a new element of the innermost list. */
static void element(walker *w) {
  if (top(w)->count++)
    json_out_put(w->out, ",", 1);
}

/* Ends the Plains opened for stray inlines in the innermost container. */
static void close_auto(walker *w) {
  while (w->depth > 1 && top(w)->is_auto) {
    puts_(w, "]}");
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
  puts_(w, "{\"t\":\"Plain\",\"c\":[");
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

/* ---- Attributes ---------------------------------------------------------- */

/* Appends the words of s (split at white space) as JSON strings, after
 * *count others. */
static void words(json_out *o, const char *s, size_t *count) {
  for (const char *p = s ? s : ""; *p;) {
    p += strspn(p, " \t\n\r");
    size_t len = strcspn(p, " \t\n\r");
    if (!len)
      break;
    if ((*count)++)
      json_out_put(o, ",", 1);
    json_out_string(o, p, len);
    p += len;
  }
}

static int has_attributes(const quire_node *n) {
  return n && (n->id || (n->classes && n->classes[strspn(n->classes,
                                                          " \t\n\r")]) ||
               n->attrs);
}

/* [id, [classes], [[key, value]...]] of n (NULL: none), with `first`'s
 * words before its classes and, when info is not NULL, ["data-info",
 * info] after its pairs. */
static void attr_of(walker *w, const quire_node *n, const char *first,
                    const char *info) {
  json_out *o = w->out;
  json_out_put(o, "[", 1);
  string(w, n ? n->id : NULL);
  json_out_puts(o, ",[");
  size_t count = 0;
  words(o, first, &count);
  words(o, n ? n->classes : NULL, &count);
  json_out_puts(o, "],[");
  count = 0;
  for (const quire_meta *m = n ? n->attrs : NULL; m; m = m->next) {
    if (count++)
      json_out_put(o, ",", 1);
    json_out_put(o, "[", 1);
    string(w, m->key);
    json_out_put(o, ",", 1);
    string(w, m->value);
    json_out_put(o, "]", 1);
  }
  if (info) {
    json_out_puts(o, count ? ",[\"data-info\"," : "[\"data-info\",");
    string(w, info);
    json_out_put(o, "]", 1);
  }
  json_out_puts(o, "]]");
}

static void attr(walker *w, const quire_node *n) { attr_of(w, n, NULL, NULL); }

/* A node whose attributes pandoc has no place for. */
static void lose_attributes(walker *w, const quire_node *n) {
  if (has_attributes(n))
    ++*w->lost;
}

/* ---- Nested walks ----------------------------------------------------------- */

static int render(quire_env *env, const quire_node *root, json_out *out,
                  enum kind kind, int api23, unsigned long *lost,
                  pandoc_sink_fn sink, void *user);

/* The children of `n` as the elements of a list of `kind`, written here:
 * a caption, out of the tree's order. */
static void nested(walker *w, const quire_node *n, enum kind kind) {
  if (render(w->env, n, w->out, kind, w->api23, w->lost, NULL, NULL) !=
      QUIRE_OK)
    w->failed = w->nested_failed = 1;
}

static const quire_node *child_of_type(const quire_node *n,
                                       quire_node_type t) {
  for (const quire_node *c = n->first_child; c; c = c->next)
    if (c->type == t)
      return c;
  return NULL;
}

/* ---- Paragraphs, lists ---------------------------------------------------- */

/* A paragraph pandoc writes as Plain: in the items of a tight list, the
 * definitions of a tight definition list, a caption, and a figure of 1.23
 * (as pandoc 3 makes them; 1.22's figure is a Div, which holds Para). */
static int plain(const walker *w, const quire_node *n) {
  const quire_node *p = n->parent;
  if (!p)
    return 0;
  if (p->type == QUIRE_NODE_CAPTION ||
      (p->type == QUIRE_NODE_FIGURE && w->api23))
    return 1;
  return (p->type == QUIRE_NODE_ITEM || p->type == QUIRE_NODE_DEFINITION) &&
         p->parent && p->parent->tight;
}

static const char *style_name(int style) {
  static const char *const names[] = {"DefaultStyle", "Decimal",
                                      "LowerAlpha",   "UpperAlpha",
                                      "LowerRoman",   "UpperRoman"};
  return style >= 0 && style <= QUIRE_LIST_UPPER_ROMAN ? names[style]
                                                       : names[0];
}

static const char *delim_name(int delim) {
  static const char *const names[] = {"DefaultDelim", "Period", "OneParen",
                                      "TwoParens"};
  return delim >= 0 && delim <= QUIRE_DELIM_TWO_PARENS ? names[delim]
                                                       : names[0];
}

/* DefinitionList: [[term, [definition...]]...].  A definition without a
 * term before it gets an empty term. */
static void term_enter(walker *w) {
  frame *f = top(w);
  if (f->in_entry)
    puts_(w, "]]");
  element(w);
  puts_(w, "[[");
  f->in_entry = 0;
  push(w, K_INLINES);
}

static void term_exit(walker *w) {
  close_auto(w);
  pop(w);
  puts_(w, "],[");
  top(w)->in_entry = 1;
  top(w)->defs = 0;
}

static void definition_enter(walker *w) {
  frame *f = top(w);
  if (!f->in_entry) {
    element(w);
    puts_(w, "[[],[");
    f->in_entry = 1;
    f->defs = 0;
  }
  if (f->defs++)
    puts_(w, ",");
  puts_(w, "[");
  push(w, K_BLOCKS);
}

/* ---- Tables ------------------------------------------------------------------ */

static const char *align_name(quire_align a) {
  switch (a) {
  case QUIRE_ALIGN_LEFT: return "AlignLeft";
  case QUIRE_ALIGN_CENTER: return "AlignCenter";
  case QUIRE_ALIGN_RIGHT: return "AlignRight";
  default: return "AlignDefault";
  }
}

static int span_of(int n) { return n > 1 ? n : 1; }

/* The columns a row's cells cover. */
static size_t row_width(const quire_node *row) {
  size_t n = 0;
  for (const quire_node *c = row->first_child; c; c = c->next)
    if (c->type == QUIRE_NODE_TABLE_CELL)
      n += (size_t)span_of(c->colspan);
  return n;
}

/* The widest row of a table, in its parts or under it. */
static size_t table_width(const quire_node *table) {
  size_t n = 0;
  for (const quire_node *c = table->first_child; c; c = c->next) {
    if (c->type == QUIRE_NODE_TABLE_ROW) {
      size_t k = row_width(c);
      n = k > n ? k : n;
    } else if (c->type == QUIRE_NODE_TABLE_HEAD ||
               c->type == QUIRE_NODE_TABLE_BODY ||
               c->type == QUIRE_NODE_TABLE_FOOT) {
      for (const quire_node *r = c->first_child; r; r = r->next) {
        size_t k = row_width(r);
        n = k > n ? k : n;
      }
    }
  }
  return n;
}

/* A body's row head columns: the columns that its rows (after its head
 * rows) all begin with header cells over, counted by the cells' spans. */
static int row_head_columns(const quire_node *body) {
  long n = -1;
  const quire_node *r = body->first_child;
  while (r && r->header)
    r = r->next;
  for (; r; r = r->next) {
    long k = 0;
    for (const quire_node *c = r->first_child; c && c->header; c = c->next)
      k += span_of(c->colspan);
    if (n < 0 || k < n)
      n = k;
  }
  return n < 0 ? 0 : (int)n;
}

/* [[align, width]...]: the TABLE_COLUMNs, then default ones up to the
 * table's width. */
static void colspecs(walker *w, const quire_node *table) {
  size_t n = 0;
  puts_(w, "[");
  for (const quire_node *c = table->first_child; c; c = c->next) {
    if (c->type != QUIRE_NODE_TABLE_COLUMN)
      continue;
    lose_attributes(w, c);
    puts_(w, n++ ? ",[{\"t\":\"" : "[{\"t\":\"");
    puts_(w, align_name(c->align));
    if (c->width > 0) {
      char num[48];
      snprintf(num, sizeof num, "\"},{\"t\":\"ColWidth\",\"c\":%.9g}]",
               (double)c->width);
      puts_(w, num);
    } else {
      puts_(w, "\"},{\"t\":\"ColWidthDefault\"}]");
    }
  }
  for (size_t width = table_width(table); n < width; n++)
    puts_(w, n ? ",[{\"t\":\"AlignDefault\"},{\"t\":\"ColWidthDefault\"}]"
               : "[{\"t\":\"AlignDefault\"},{\"t\":\"ColWidthDefault\"}]");
  puts_(w, "]");
}

static void table_enter(walker *w, const quire_node *n) {
  begin_block(w);
  puts_(w, "{\"t\":\"Table\",\"c\":[");
  attr(w, n);
  puts_(w, ",[null,[");
  const quire_node *caption = child_of_type(n, QUIRE_NODE_CAPTION);
  if (caption) {
    lose_attributes(w, caption);
    nested(w, caption, K_BLOCKS);
  }
  puts_(w, "]],");
  colspecs(w, n);
  push(w, K_TABLE);
  top(w)->phase = T_COLS;
}

/* The table's frame moves on to the next place rows go: each step writes
 * the JSON between two places (the parts are lists in one array). */
static void open_head(walker *w, const quire_node *part) {
  puts_(w, ",[");
  attr(w, part);
  puts_(w, ",[");
  top(w)->phase = T_HEAD;
  top(w)->count = 0;
}

/* To the list of bodies, closing what is open. */
static void to_bodies(walker *w) {
  frame *t = top(w);
  if (t->phase == T_COLS)
    open_head(w, NULL);
  if (t->phase == T_HEAD)
    puts_(w, "]],[");
  else if (t->phase == T_BODY_HEAD)
    puts_(w, "],[]]");
  else if (t->phase == T_BODY)
    puts_(w, "]]");
  else
    return;
  t->phase = T_BODIES;
}

static void open_body(walker *w, const quire_node *part, int head_columns) {
  to_bodies(w);
  frame *t = top(w);
  char num[32];
  puts_(w, t->bodies++ ? ",[" : "[");
  attr(w, part);
  snprintf(num, sizeof num, ",%d,[", head_columns);
  puts_(w, num);
  t->phase = T_BODY_HEAD;
  t->count = 0;
}

static void body_rows(walker *w) {
  if (top(w)->phase == T_BODY_HEAD) {
    puts_(w, "],[");
    top(w)->phase = T_BODY;
    top(w)->count = 0;
  }
}

static void open_foot(walker *w, const quire_node *part) {
  if (top(w)->phase == T_FOOT)
    return;   /* a second foot: its rows join the first's */
  to_bodies(w);
  puts_(w, "],[");
  attr(w, part);
  puts_(w, ",[");
  top(w)->phase = T_FOOT;
  top(w)->count = 0;
}

static void table_exit(walker *w) {
  if (top(w)->phase != T_FOOT) {
    to_bodies(w);
    puts_(w, "],[[\"\",[],[]],[");
  }
  puts_(w, "]]]}");
}

/* A part of a table, entered. */
static void part_enter(walker *w, const quire_node *n) {
  frame *t = top(w);
  if (t->kind != K_TABLE || t->phase == T_FOOT)
    return;   /* after the foot, rows join it */
  if (n->type == QUIRE_NODE_TABLE_HEAD && t->phase == T_COLS)
    open_head(w, n);
  else if (n->type == QUIRE_NODE_TABLE_FOOT)
    open_foot(w, n);
  else   /* a body, or a head out of its place */
    open_body(w, n, n->type == QUIRE_NODE_TABLE_BODY ? row_head_columns(n)
                                                      : 0);
}

/* Moves the table to the list a row belongs to. */
static void row_place(walker *w, const quire_node *row) {
  frame *t = top(w);
  if (t->kind != K_TABLE)
    return;
  quire_node_type part = row->parent ? row->parent->type : QUIRE_NODE_NONE;
  int header = row->header != 0;
  if (part == QUIRE_NODE_TABLE_HEAD || part == QUIRE_NODE_TABLE_FOOT)
    return;   /* their rows go where the part put the table */
  if (part == QUIRE_NODE_TABLE_BODY) {
    if (!header || t->phase == T_BODY)
      body_rows(w);   /* a header row among rows stays a row */
    return;
  }
  /* A table of rows alone. */
  if (t->phase == T_FOOT)
    return;
  if (header && t->phase == T_COLS)
    open_head(w, NULL);
  else if (header && (t->phase == T_BODY || t->phase == T_BODIES))
    open_body(w, NULL, 0);
  else if (!header && t->phase != T_BODY) {
    if (t->phase != T_BODY_HEAD)
      open_body(w, NULL, 0);
    body_rows(w);
  }
}

static int holds_blocks(const walker *w, const quire_node *cell) {
  for (const quire_node *c = cell->first_child; c; c = c->next)
    if (!w->env->svc->node_is_inline(c->type))
      return 1;
  return 0;
}

static void cell_enter(walker *w, const quire_node *n) {
  char head[64];
  element(w);
  puts_(w, "[");
  attr(w, n);
  snprintf(head, sizeof head, ",{\"t\":\"%s\"},%d,%d,[",
           align_name(n->align), span_of(n->rowspan), span_of(n->colspan));
  puts_(w, head);
  /* A cell of inlines holds them in a Plain; of blocks, the blocks. */
  int inlines = n->first_child && !holds_blocks(w, n);
  if (inlines)
    puts_(w, "{\"t\":\"Plain\",\"c\":[");
  push(w, inlines ? K_INLINES : K_BLOCKS);
  top(w)->plain_cell = inlines;
}

/* ---- Figures ----------------------------------------------------------------- */

/* Whether two subtrees hold the same nodes with the same content. */
static int same_tree(const quire_services *svc, const quire_node *a,
                     const quire_node *b) {
  quire_iter i, k;
  svc->iter_init(&i, a);
  svc->iter_init(&k, b);
  for (;;) {
    quire_event e = svc->iter_next(&i);
    if (e != svc->iter_next(&k))
      return 0;
    if (e == QUIRE_EV_DONE)
      return 1;
    const quire_node *x = i.node, *y = k.node;
    if (e == QUIRE_EV_EXIT)
      continue;
    if (x->type != y->type || x->len != y->len || x->kind != y->kind ||
        (x->len && memcmp(x->text, y->text, x->len) != 0) ||
        !x->url != !y->url || (x->url && strcmp(x->url, y->url) != 0) ||
        !x->title != !y->title ||
        (x->title && strcmp(x->title, y->title) != 0) ||
        has_attributes(x) || has_attributes(y))
      return 0;
  }
}

/* Whether a and b hold the same children. */
static int same_children(const quire_services *svc, const quire_node *a,
                         const quire_node *b) {
  const quire_node *x = a->first_child, *y = b->first_child;
  for (; x && y; x = x->next, y = y->next)
    if (!same_tree(svc, x, y))
      return 0;
  return !x && !y;
}

/* The image of a figure pandoc 2's implicit figure holds without loss:
 * one paragraph holding one image, the figure without attributes, and a
 * caption of one paragraph the same as the image's description (or no
 * caption and no description). */
static const quire_node *lone_image(const walker *w, const quire_node *fig) {
  const quire_node *para = NULL, *caption = NULL;
  if (has_attributes(fig))
    return NULL;
  for (const quire_node *c = fig->first_child; c; c = c->next) {
    if (c->type == QUIRE_NODE_CAPTION && !caption)
      caption = c;
    else if (c->type == QUIRE_NODE_PARAGRAPH && !para)
      para = c;
    else
      return NULL;
  }
  if (!para || !para->first_child || para->first_child != para->last_child ||
      para->first_child->type != QUIRE_NODE_IMAGE ||
      has_attributes(para) || has_attributes(caption))
    return NULL;
  const quire_node *img = para->first_child;
  if (!caption)
    return img->first_child ? NULL : img;
  const quire_node *cp = caption->first_child;
  if (!cp || cp != caption->last_child || cp->type != QUIRE_NODE_PARAGRAPH ||
      has_attributes(cp))
    return NULL;
  return same_children(w->env->svc, cp, img) ? img : NULL;
}

/* Para [Image attr description [url, "fig:" title]]. */
static void implicit_figure(walker *w, const quire_node *img) {
  begin_block(w);
  puts_(w, "{\"t\":\"Para\",\"c\":[{\"t\":\"Image\",\"c\":[");
  attr(w, img);
  puts_(w, ",[");
  nested(w, img, K_INLINES);
  puts_(w, "],[");
  string(w, img->url);
  json_out_puts(w->out, ",\"fig:");
  json_out_escape(w->out, img->title ? img->title : "",
                  img->title ? strlen(img->title) : 0);
  puts_(w, "\"]]}]}");
}

static void figure_enter(walker *w, const quire_node *n) {
  const quire_node *caption = child_of_type(n, QUIRE_NODE_CAPTION);
  const quire_node *img = w->api23 ? NULL : lone_image(w, n);
  if (img) {
    implicit_figure(w, img);
    w->skip = n;
    return;
  }
  begin_block(w);
  if (w->api23) {
    puts_(w, "{\"t\":\"Figure\",\"c\":[");
    attr(w, n);
    puts_(w, ",[null,[");
    if (caption) {
      lose_attributes(w, caption);
      nested(w, caption, K_BLOCKS);
    }
    puts_(w, "]],[");
  } else {
    puts_(w, "{\"t\":\"Div\",\"c\":[");
    attr_of(w, n, "figure", NULL);
    puts_(w, ",[");
  }
  push(w, K_BLOCKS);
}

static void figure_exit(walker *w, const quire_node *n) {
  close_auto(w);
  const quire_node *caption = child_of_type(n, QUIRE_NODE_CAPTION);
  if (!w->api23 && caption) {
    element(w);
    puts_(w, "{\"t\":\"Div\",\"c\":[[\"\",[\"caption\"],[]],[");
    lose_attributes(w, caption);
    nested(w, caption, K_BLOCKS);
    puts_(w, "]]}");
  }
  puts_(w, "]]}");
  pop(w);
}

/* ---- The walk ----------------------------------------------------------------- */

/* Writes an element with a leaf's text: {"t":TAG,"c":[X,"text"]}, X
 * being the attributes (Code, CodeBlock), the format (Raw*) or the math
 * type (Math). */
static void leaf(walker *w, const char *tag, const quire_node *n) {
  puts_(w, "{\"t\":\"");
  puts_(w, tag);
  puts_(w, "\",\"c\":[");
  if (n->type == QUIRE_NODE_CODE_BLOCK)
    attr_of(w, n, n->info, NULL);
  else if (n->type == QUIRE_NODE_CODE)
    attr(w, n);
  else if (n->type == QUIRE_NODE_MATH)
    puts_(w, n->kind == QUIRE_MATH_DISPLAY ? "{\"t\":\"DisplayMath\"}"
                                           : "{\"t\":\"InlineMath\"}");
  else
    string(w, n->info);
  json_out_put(w->out, ",", 1);
  json_out_string(w->out, n->text ? n->text : "", n->text ? n->len : 0);
  puts_(w, "]}");
}

/* An inline container: {"t":TAG,"c":[ then its inlines. */
static void wrap(walker *w, const char *tag) {
  begin_inline(w);
  puts_(w, "{\"t\":\"");
  puts_(w, tag);
  puts_(w, "\",\"c\":[");
  push(w, K_INLINES);
}

/* A block container: {"t":TAG,"c":[ then its blocks (or items). */
static void block_wrap(walker *w, const char *tag, enum kind kind) {
  begin_block(w);
  puts_(w, "{\"t\":\"");
  puts_(w, tag);
  puts_(w, "\",\"c\":[");
  push(w, kind);
}

static const char *inline_tag(quire_node_type t) {
  switch (t) {
  case QUIRE_NODE_EMPH: return "Emph";
  case QUIRE_NODE_STRONG: return "Strong";
  case QUIRE_NODE_STRIKEOUT: return "Strikeout";
  case QUIRE_NODE_SUPERSCRIPT: return "Superscript";
  case QUIRE_NODE_SUBSCRIPT: return "Subscript";
  case QUIRE_NODE_SMALL_CAPS: return "SmallCaps";
  case QUIRE_NODE_UNDERLINE: return "Underline";
  default: return NULL;
  }
}

static void on_enter(walker *w, const quire_node *n) {
  switch (n->type) {
  case QUIRE_NODE_PARAGRAPH:
    lose_attributes(w, n);
    block_wrap(w, plain(w, n) ? "Plain" : "Para", K_INLINES);
    return;
  case QUIRE_NODE_HEADING: {
    int level = n->level < 1 ? 1 : n->level > 6 ? 6 : n->level;
    char head[64];
    snprintf(head, sizeof head, "%d,", level);
    block_wrap(w, "Header", K_INLINES);
    puts_(w, head);
    attr(w, n);
    puts_(w, ",[");
    return;
  }
  case QUIRE_NODE_SECTION:
  case QUIRE_NODE_DIV:
    block_wrap(w, "Div", K_BLOCKS);
    if (n->type == QUIRE_NODE_SECTION)
      attr_of(w, n, "section", n->info);
    else
      attr(w, n);
    puts_(w, ",[");
    return;
  case QUIRE_NODE_BLOCK_QUOTE:
    lose_attributes(w, n);
    block_wrap(w, "BlockQuote", K_BLOCKS);
    return;
  case QUIRE_NODE_BULLET_LIST:
    lose_attributes(w, n);
    block_wrap(w, "BulletList", K_ITEMS);
    return;
  case QUIRE_NODE_ORDERED_LIST: {
    char head[128];
    snprintf(head, sizeof head, "[%d,{\"t\":\"%s\"},{\"t\":\"%s\"}],[",
             n->start, style_name(n->style), delim_name(n->delim));
    lose_attributes(w, n);
    block_wrap(w, "OrderedList", K_ITEMS);
    puts_(w, head);
    return;
  }
  case QUIRE_NODE_ITEM:
    lose_attributes(w, n);
    close_auto(w);
    element(w);
    puts_(w, "[");
    push(w, K_BLOCKS);
    return;
  case QUIRE_NODE_DEFINITION_LIST:
    lose_attributes(w, n);
    block_wrap(w, "DefinitionList", K_DEFS);
    return;
  case QUIRE_NODE_TERM:
    lose_attributes(w, n);
    term_enter(w);
    return;
  case QUIRE_NODE_DEFINITION:
    lose_attributes(w, n);
    definition_enter(w);
    return;
  case QUIRE_NODE_LINE_BLOCK:
    lose_attributes(w, n);
    block_wrap(w, "LineBlock", K_LINES);
    return;
  case QUIRE_NODE_LINE:
    lose_attributes(w, n);
    element(w);
    puts_(w, "[");
    push(w, K_INLINES);
    return;
  case QUIRE_NODE_FIGURE:
    figure_enter(w, n);
    return;
  case QUIRE_NODE_CAPTION:
    w->skip = n;   /* written before what it captions */
    return;
  case QUIRE_NODE_CODE_BLOCK:
    begin_block(w);
    leaf(w, "CodeBlock", n);
    return;
  case QUIRE_NODE_THEMATIC_BREAK:
    lose_attributes(w, n);
    begin_block(w);
    puts_(w, "{\"t\":\"HorizontalRule\"}");
    return;
  case QUIRE_NODE_RAW_BLOCK:
    lose_attributes(w, n);
    begin_block(w);
    leaf(w, "RawBlock", n);
    return;
  case QUIRE_NODE_TABLE:
    table_enter(w, n);
    return;
  case QUIRE_NODE_TABLE_HEAD:
  case QUIRE_NODE_TABLE_BODY:
  case QUIRE_NODE_TABLE_FOOT:
    part_enter(w, n);
    return;
  case QUIRE_NODE_TABLE_COLUMN:
    return;   /* written with the table's colspecs */
  case QUIRE_NODE_TABLE_ROW:
    row_place(w, n);
    element(w);
    puts_(w, "[");
    attr(w, n);
    puts_(w, ",[");
    push(w, K_ROW);
    return;
  case QUIRE_NODE_TABLE_CELL:
    cell_enter(w, n);
    return;
  case QUIRE_NODE_TEXT:
    lose_attributes(w, n);
    text(w, n->text, n->len);
    return;
  case QUIRE_NODE_EMPH:
  case QUIRE_NODE_STRONG:
  case QUIRE_NODE_STRIKEOUT:
  case QUIRE_NODE_SUPERSCRIPT:
  case QUIRE_NODE_SUBSCRIPT:
  case QUIRE_NODE_SMALL_CAPS:
  case QUIRE_NODE_UNDERLINE:
    lose_attributes(w, n);
    wrap(w, inline_tag(n->type));
    return;
  case QUIRE_NODE_SPAN:
    wrap(w, "Span");
    attr(w, n);
    puts_(w, ",[");
    return;
  case QUIRE_NODE_QUOTED:
    lose_attributes(w, n);
    wrap(w, "Quoted");
    puts_(w, n->kind == QUIRE_QUOTE_SINGLE ? "{\"t\":\"SingleQuote\"},["
                                           : "{\"t\":\"DoubleQuote\"},[");
    return;
  case QUIRE_NODE_NOTE:
    lose_attributes(w, n);
    begin_inline(w);
    puts_(w, "{\"t\":\"Note\",\"c\":[");
    push(w, K_BLOCKS);
    return;
  case QUIRE_NODE_LINK:
  case QUIRE_NODE_IMAGE:
    wrap(w, n->type == QUIRE_NODE_LINK ? "Link" : "Image");
    attr(w, n);
    puts_(w, ",[");
    return;
  case QUIRE_NODE_CODE:
    begin_inline(w);
    leaf(w, "Code", n);
    return;
  case QUIRE_NODE_MATH:
    lose_attributes(w, n);
    begin_inline(w);
    leaf(w, "Math", n);
    return;
  case QUIRE_NODE_LINE_BREAK:
    lose_attributes(w, n);
    begin_inline(w);
    puts_(w, "{\"t\":\"LineBreak\"}");
    return;
  case QUIRE_NODE_SOFT_BREAK:
    lose_attributes(w, n);
    begin_inline(w);
    puts_(w, "{\"t\":\"SoftBreak\"}");
    return;
  case QUIRE_NODE_RAW_INLINE:
    lose_attributes(w, n);
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
  const char *end;
  switch (n->type) {
  case QUIRE_NODE_PARAGRAPH:
  case QUIRE_NODE_BLOCK_QUOTE:
  case QUIRE_NODE_BULLET_LIST:
  case QUIRE_NODE_LINE_BLOCK:
  case QUIRE_NODE_NOTE:
  case QUIRE_NODE_EMPH:
  case QUIRE_NODE_STRONG:
  case QUIRE_NODE_STRIKEOUT:
  case QUIRE_NODE_SUPERSCRIPT:
  case QUIRE_NODE_SUBSCRIPT:
  case QUIRE_NODE_SMALL_CAPS:
  case QUIRE_NODE_UNDERLINE:
    end = "]}";
    break;
  case QUIRE_NODE_HEADING:
  case QUIRE_NODE_SECTION:
  case QUIRE_NODE_DIV:
  case QUIRE_NODE_ORDERED_LIST:
  case QUIRE_NODE_SPAN:
  case QUIRE_NODE_QUOTED:
    end = "]]}";
    break;
  case QUIRE_NODE_ITEM:
  case QUIRE_NODE_LINE:
  case QUIRE_NODE_DEFINITION:
    end = "]";
    break;
  case QUIRE_NODE_TERM:
    term_exit(w);
    return;
  case QUIRE_NODE_DEFINITION_LIST:
    close_auto(w);
    puts_(w, top(w)->in_entry ? "]]]}" : "]}");
    pop(w);
    return;
  case QUIRE_NODE_FIGURE:
    figure_exit(w, n);
    return;
  case QUIRE_NODE_TABLE_ROW:
    end = "]]";
    break;
  case QUIRE_NODE_TABLE_CELL:
    close_auto(w);
    puts_(w, top(w)->plain_cell ? "]}]]" : "]]");
    pop(w);
    return;
  case QUIRE_NODE_TABLE:
    close_auto(w);
    table_exit(w);
    pop(w);
    return;
  case QUIRE_NODE_LINK:
  case QUIRE_NODE_IMAGE:
    close_auto(w);
    puts_(w, "],[");
    string(w, n->url);
    json_out_put(w->out, ",", 1);
    string(w, n->title);
    puts_(w, "]]}");
    pop(w);
    return;
  default:
    return;   /* leaves, table parts, and types newer than this code */
  }
  close_auto(w);
  puts_(w, end);
  pop(w);
}

/* The children of root as the elements of a list of `kind`. */
static int render(quire_env *env, const quire_node *root, json_out *out,
                  enum kind kind, int api23, unsigned long *lost,
                  pandoc_sink_fn sink, void *user) {
  const quire_services *svc = env->svc;
  walker w = {.env = env, .out = out, .api23 = api23, .lost = lost};
  push(&w, kind);
  quire_iter it;
  svc->iter_init(&it, root);
  int rc = QUIRE_OK;
  while (!w.failed && !out->failed && svc->iter_next(&it) != QUIRE_EV_DONE) {
    if (it.node == root)
      continue;
    if (w.skip) {
      if (it.node == w.skip && it.event == QUIRE_EV_EXIT)
        w.skip = NULL;
      continue;
    }
    if (it.event == QUIRE_EV_ENTER)
      on_enter(&w, it.node);
    else
      on_exit(&w, it.node);
    if (w.skip && svc->node_is_leaf(w.skip->type))
      w.skip = NULL;
    if (sink && out->len >= FLUSH_AT && !out->failed &&
        (rc = sink(env, user, out)) != QUIRE_OK)
      break;
  }
  if (rc == QUIRE_OK && !w.failed)
    close_auto(&w);
  if (rc == QUIRE_OK && (w.failed || out->failed)) {
    if (!w.nested_failed)
      svc->error(env, NULL, "out of memory");
    rc = QUIRE_FATAL;
  }
  free(w.stack);
  return rc;
}

int pandoc_render_blocks(quire_env *env, const quire_node *root, json_out *out,
                         int api23, unsigned long *lost, pandoc_sink_fn sink,
                         void *user) {
  return render(env, root, out, K_BLOCKS, api23, lost, sink, user);
}
