/* md_read_build.c - cmark-gfm's tree onto quire's model, one node to one
 * node:
 *
 *   document                 the DOCUMENT root
 *   block_quote              BLOCK_QUOTE
 *   list                     BULLET_LIST, or ORDERED_LIST (start, delim
 *                            period or paren, style decimal); tight
 *   item                     ITEM; a task list item (gfm) has the
 *                            attribute checked = "true" or "false"
 *   code_block               CODE_BLOCK, info = the fence info's first word
 *   html_block               RAW_BLOCK, info "html"
 *   paragraph                PARAGRAPH
 *   heading                  HEADING, level
 *   thematic_break           THEMATIC_BREAK
 *   text                     TEXT; adjacent text nodes (cmark splits text
 *                            at '[', '!', entities ...) make one
 *   softbreak, linebreak     SOFT_BREAK, LINE_BREAK
 *   code                     CODE
 *   html_inline              RAW_INLINE, info "html"
 *   emph, strong             EMPH, STRONG
 *   link, image              LINK, IMAGE: url, title (NULL when empty);
 *                            an image's alt text is its children
 *   table (gfm)              TABLE: a TABLE_COLUMN per column (align), a
 *                            TABLE_HEAD with the header row (header cells),
 *                            a TABLE_BODY with the other rows
 *   strikethrough (gfm)      STRIKEOUT
 *   footnote_reference (gfm) NOTE holding the definition's blocks
 *                            (md_read_notes.c)
 *
 * The walk is cmark's iterator, with no recursion: depth costs no stack.
 * A container's ENTER makes its node and makes it the current parent; the
 * cmark node's user_data keeps the parent before it, which its EXIT
 * restores.  Text goes through one buffer into one TEXT node per run.
 *
 * Containers nested deeper than the limit max-depth are flattened into
 * their ancestor, with one warning: block quotes, lists and items give
 * their blocks to the block that holds them, inline containers their
 * inlines; a paragraph or heading is always made where blocks are held,
 * so text always has a place.  A note or table too deep gives its blocks'
 * text as inlines, separated by spaces. */
#include <string.h>

#include <cmark-gfm-core-extensions.h>

#include "md_read.h"

/* What a walk needs besides the builder: where it is, and the table it is
 * in (tables do not nest: cells hold inlines). */
typedef struct walk {
  quire_node *cur;           /* the current parent */
  unsigned depth;            /* its depth */
  int inl;                   /* it holds inlines */
  quire_node *table;         /* the TABLE being filled, or NULL */
  quire_node *head, *body;
  const uint8_t *aligns;     /* cmark's per column: 'l', 'c', 'r' or 0 */
  uint16_t columns;
  uint16_t column;           /* the next cell's column */
  int header;                /* the row being filled is the header */
} walk;

/* How a container goes where the walk is. */
typedef enum kind {
  K_BLOCKS,                  /* holds blocks: made when within max-depth */
  K_TEXT_BLOCK,              /* paragraph, heading: made wherever blocks
                                are held */
  K_INLINE                   /* an inline container: within max-depth */
} kind;

int md_oom(md_builder *b) {
  if (!b->failed) {
    quire_loc loc = {.file = b->name};
    b->svc->error(b->env, &loc, "out of memory");
    b->failed = 1;
  }
  return QUIRE_FATAL;
}

quire_loc md_where(const md_builder *b, cmark_node *n) {
  quire_loc loc = {.file = b->name};
  if (n && n->start_line > 0) {
    loc.line = (unsigned long)n->start_line + b->line_offset;
    loc.column = n->start_column > 0 ? (unsigned long)n->start_column : 0;
  }
  return loc;
}

/* A model rule broken by the walk is a bug of the reader; say where. */
static int misplaced(md_builder *b, cmark_node *n, const quire_node *parent,
                     quire_node_type type) {
  quire_loc loc = md_where(b, n);
  b->svc->error(b->env, &loc, "markdown reader: a %s cannot go in a %s",
                b->svc->node_type_name(type),
                b->svc->node_type_name(parent->type));
  return QUIRE_FAILED;
}

/* A new node of `type` appended to w->cur; NULL after a message. */
static quire_node *add(md_builder *b, walk *w, cmark_node *n,
                       quire_node_type type) {
  quire_node *q = b->svc->node_new(b->doc, type);
  if (!q) {
    md_oom(b);
    return NULL;
  }
  if (b->svc->node_append(w->cur, q) != QUIRE_OK) {
    misplaced(b, n, w->cur, type);
    return NULL;
  }
  return q;
}

static int add_text(md_builder *b, walk *w, cmark_node *n,
                    quire_node_type type, const cmark_chunk *c) {
  quire_node *q = b->svc->node_new_text(b->doc, type, (const char *)c->data,
                                        (size_t)c->len);
  if (!q)
    return md_oom(b);
  if (b->svc->node_append(w->cur, q) != QUIRE_OK)
    return misplaced(b, n, w->cur, type);
  return QUIRE_OK;
}

/* A copy of a chunk in the document; "" for an empty one when `empty` is
 * set, else NULL.  *rc becomes QUIRE_FATAL when memory is exhausted. */
static const char *dup_chunk(md_builder *b, const cmark_chunk *c, int empty,
                             int *rc) {
  if (!c->len && !empty)
    return NULL;
  const char *s = b->svc->strndup(b->doc, c->len ? (const char *)c->data : "",
                                  (size_t)c->len);
  if (!s)
    *rc = md_oom(b);
  return s;
}

int md_flush(md_builder *b, quire_node *parent, cmark_node *n) {
  if (!b->text.size)
    return QUIRE_OK;
  quire_node *q = b->svc->node_new_text(b->doc, QUIRE_NODE_TEXT,
                                        (const char *)b->text.ptr,
                                        (size_t)b->text.size);
  cmark_strbuf_clear(&b->text);
  if (!q)
    return md_oom(b);
  if (b->svc->node_append(parent, q) != QUIRE_OK)
    return misplaced(b, n, parent, QUIRE_NODE_TEXT);
  return QUIRE_OK;
}

static int flush(md_builder *b, walk *w, cmark_node *n) {
  return md_flush(b, w->cur, n);
}

static void set_cur(md_builder *b, walk *w, quire_node *q) {
  w->cur = q;
  w->inl = b->svc->node_can_contain(q->type, QUIRE_NODE_TEXT);
}

/* Makes q, just made under w->cur, the current parent until n's EXIT,
 * `levels` deeper. */
static void push(md_builder *b, walk *w, cmark_node *n, quire_node *q,
                 unsigned levels) {
  n->user_data = w->cur;
  w->depth += levels;
  set_cur(b, w, q);
}

static int fits(md_builder *b, const walk *w, unsigned levels) {
  if ((uint64_t)w->depth + levels < b->max_depth)
    return 1;
  if (!b->flattened) {
    b->flattened = 1;
    quire_loc loc = {.file = b->name};
    b->svc->warn(b->env, &loc,
                 "content nested deeper than %llu levels flattened into its "
                 "ancestor (raise the limit with --limit max-depth=N)",
                 (unsigned long long)b->max_depth);
  }
  return 0;
}

/* A block given as inlines (in a note too deep): a space before it. */
static void separate(md_builder *b, walk *w) {
  if (w->cur->last_child || b->text.size)
    cmark_strbuf_putc(&b->text, ' ');
}

/* A container node: made and entered, or passed through (its children go
 * to the current parent). */
static quire_node *container(md_builder *b, walk *w, cmark_node *n,
                             quire_node_type type, kind k, int *rc) {
  int made;
  if (k == K_INLINE)
    made = fits(b, w, 1);
  else if (w->inl)
    made = 0;
  else
    made = k == K_TEXT_BLOCK || fits(b, w, type == QUIRE_NODE_BULLET_LIST ||
                                              type == QUIRE_NODE_ORDERED_LIST
                                          ? 2 : 1);
  if (!made) {
    if (k != K_INLINE && w->inl)
      separate(b, w);
    return NULL;
  }
  quire_node *q = add(b, w, n, type);
  if (!q) {
    *rc = b->failed ? QUIRE_FATAL : QUIRE_FAILED;
    return NULL;
  }
  push(b, w, n, q, 1);
  return q;
}

static int list(md_builder *b, walk *w, cmark_node *n) {
  const cmark_list *l = &n->as.list;
  int ordered = l->list_type == CMARK_ORDERED_LIST;
  int rc = QUIRE_OK;
  quire_node *q = container(
      b, w, n, ordered ? QUIRE_NODE_ORDERED_LIST : QUIRE_NODE_BULLET_LIST,
      K_BLOCKS, &rc);
  if (!q)
    return rc;
  q->tight = l->tight ? 1 : 0;
  if (ordered) {
    q->start = l->start;
    q->style = QUIRE_LIST_DECIMAL;
    q->delim = l->delimiter == CMARK_PAREN_DELIM ? QUIRE_DELIM_PAREN
                                                  : QUIRE_DELIM_PERIOD;
  }
  return QUIRE_OK;
}

static int item(md_builder *b, walk *w, cmark_node *n) {
  /* In a list that was flattened, the item's blocks go to its place. */
  if (w->cur->type != QUIRE_NODE_BULLET_LIST &&
      w->cur->type != QUIRE_NODE_ORDERED_LIST)
    return QUIRE_OK;
  quire_node *q = add(b, w, n, QUIRE_NODE_ITEM);
  if (!q)
    return b->failed ? QUIRE_FATAL : QUIRE_FAILED;
  push(b, w, n, q, 1);
  if (n->extension && strcmp(cmark_node_get_type_string(n), "tasklist") == 0) {
    int checked = cmark_gfm_extensions_get_tasklist_item_checked(n);
    if (b->svc->node_set_attr(b->doc, q, "checked",
                              checked ? "true" : "false") != QUIRE_OK)
      return md_oom(b);
  }
  return QUIRE_OK;
}

/* A leaf block: CODE_BLOCK, RAW_BLOCK or THEMATIC_BREAK; as inlines when
 * blocks have no place (a note too deep). */
static int leaf_block(md_builder *b, walk *w, cmark_node *n,
                      quire_node_type type) {
  const cmark_chunk *text = type == QUIRE_NODE_CODE_BLOCK
                                ? &n->as.code.literal
                                : &n->as.literal;
  if (w->inl) {
    if (type == QUIRE_NODE_THEMATIC_BREAK)
      return QUIRE_OK;
    separate(b, w);
    if (type == QUIRE_NODE_CODE_BLOCK) {
      cmark_strbuf_put(&b->text, text->data, text->len);
      return QUIRE_OK;
    }
    if (b->text.size) {
      int rc = flush(b, w, n);
      if (rc != QUIRE_OK)
        return rc;
    }
    type = QUIRE_NODE_RAW_INLINE;
  }
  if (type == QUIRE_NODE_THEMATIC_BREAK)
    return add(b, w, n, type) ? QUIRE_OK
                              : (b->failed ? QUIRE_FATAL : QUIRE_FAILED);
  quire_node *q = b->svc->node_new_text(b->doc, type, (const char *)text->data,
                                        (size_t)text->len);
  if (!q)
    return md_oom(b);
  if (b->svc->node_append(w->cur, q) != QUIRE_OK)
    return misplaced(b, n, w->cur, type);
  int rc = QUIRE_OK;
  if (type == QUIRE_NODE_CODE_BLOCK) {
    /* The language is the info string's first word. */
    cmark_chunk word = n->as.code.info;
    bufsize_t i = 0;
    while (i < word.len && word.data[i] != ' ' && word.data[i] != '\t')
      i++;
    word.len = i;
    q->info = dup_chunk(b, &word, 0, &rc);
  } else {
    q->info = "html";
  }
  return rc;
}

static int link(md_builder *b, walk *w, cmark_node *n, quire_node_type type) {
  int rc = QUIRE_OK;
  quire_node *q = container(b, w, n, type, K_INLINE, &rc);
  if (!q)
    return rc;
  q->url = dup_chunk(b, &n->as.link.url, 1, &rc);
  q->title = dup_chunk(b, &n->as.link.title, 0, &rc);
  return rc;
}

/* ---- Tables -------------------------------------------------------------- */

static quire_align align_of(uint8_t a) {
  return a == 'l'   ? QUIRE_ALIGN_LEFT
         : a == 'c' ? QUIRE_ALIGN_CENTER
         : a == 'r' ? QUIRE_ALIGN_RIGHT
                    : QUIRE_ALIGN_NONE;
}

static int table(md_builder *b, walk *w, cmark_node *n) {
  /* The table, a head or body, a row and a cell under it, text in that. */
  if (w->inl || !fits(b, w, 4)) {
    if (w->inl)
      separate(b, w);
    return QUIRE_OK;
  }
  quire_node *t = add(b, w, n, QUIRE_NODE_TABLE);
  if (!t)
    return b->failed ? QUIRE_FATAL : QUIRE_FAILED;
  push(b, w, n, t, 1);
  w->table = t;
  w->head = w->body = NULL;
  w->columns = cmark_gfm_extensions_get_table_columns(n);
  w->aligns = cmark_gfm_extensions_get_table_alignments(n);
  for (uint16_t i = 0; i < w->columns; i++) {
    quire_node *c = add(b, w, n, QUIRE_NODE_TABLE_COLUMN);
    if (!c)
      return b->failed ? QUIRE_FATAL : QUIRE_FAILED;
    c->align = w->aligns ? align_of(w->aligns[i]) : QUIRE_ALIGN_NONE;
  }
  return QUIRE_OK;
}

static int row(md_builder *b, walk *w, cmark_node *n) {
  if (!w->table || w->cur != w->table)
    return QUIRE_OK;                    /* a table flattened */
  w->header = cmark_gfm_extensions_get_table_row_is_header(n);
  quire_node **group = w->header ? &w->head : &w->body;
  if (!*group) {
    *group = add(b, w, n, w->header ? QUIRE_NODE_TABLE_HEAD
                                    : QUIRE_NODE_TABLE_BODY);
    if (!*group)
      return b->failed ? QUIRE_FATAL : QUIRE_FAILED;
  }
  quire_node *r = b->svc->node_new(b->doc, QUIRE_NODE_TABLE_ROW);
  if (!r)
    return md_oom(b);
  if (b->svc->node_append(*group, r) != QUIRE_OK)
    return misplaced(b, n, *group, QUIRE_NODE_TABLE_ROW);
  r->header = w->header;
  push(b, w, n, r, 2);
  w->column = 0;
  return QUIRE_OK;
}

static int cell(md_builder *b, walk *w, cmark_node *n) {
  if (w->cur->type != QUIRE_NODE_TABLE_ROW) {
    /* A flattened table: each cell a paragraph. */
    int rc = QUIRE_OK;
    container(b, w, n, QUIRE_NODE_PARAGRAPH, K_TEXT_BLOCK, &rc);
    return rc;
  }
  quire_node *c = add(b, w, n, QUIRE_NODE_TABLE_CELL);
  if (!c)
    return b->failed ? QUIRE_FATAL : QUIRE_FAILED;
  c->header = w->header;
  if (w->aligns && w->column < w->columns)
    c->align = align_of(w->aligns[w->column]);
  w->column++;
  push(b, w, n, c, 1);
  return QUIRE_OK;
}

/* ---- The walk -------------------------------------------------------------- */

static int enter(md_builder *b, walk *w, cmark_iter *it, cmark_node *n) {
  int rc = QUIRE_OK;
  cmark_node_type t = (cmark_node_type)n->type;
  if (t == CMARK_NODE_FOOTNOTE_DEFINITION) {
    /* Built where they are referenced (md_read_notes.c); their user_data
     * marks those built once. */
    cmark_iter_reset(it, n, CMARK_EVENT_EXIT);
    return QUIRE_OK;
  }
  n->user_data = NULL;
  if (t == CMARK_NODE_TABLE)
    return table(b, w, n);
  if (t == CMARK_NODE_TABLE_ROW)
    return row(b, w, n);
  if (t == CMARK_NODE_TABLE_CELL)
    return cell(b, w, n);
  if (t == CMARK_NODE_STRIKETHROUGH) {
    container(b, w, n, QUIRE_NODE_STRIKEOUT, K_INLINE, &rc);
    return rc;
  }
  switch (t) {
  case CMARK_NODE_BLOCK_QUOTE:
    container(b, w, n, QUIRE_NODE_BLOCK_QUOTE, K_BLOCKS, &rc);
    return rc;
  case CMARK_NODE_LIST:
    return list(b, w, n);
  case CMARK_NODE_ITEM:
    return item(b, w, n);
  case CMARK_NODE_CODE_BLOCK:
    return leaf_block(b, w, n, QUIRE_NODE_CODE_BLOCK);
  case CMARK_NODE_HTML_BLOCK:
    return leaf_block(b, w, n, QUIRE_NODE_RAW_BLOCK);
  case CMARK_NODE_THEMATIC_BREAK:
    return leaf_block(b, w, n, QUIRE_NODE_THEMATIC_BREAK);
  case CMARK_NODE_PARAGRAPH:
    if (n == b->extra) {
      rc = md_notes_unreferenced(b, n);
      cmark_iter_reset(it, n, CMARK_EVENT_EXIT);
      return rc;
    }
    container(b, w, n, QUIRE_NODE_PARAGRAPH, K_TEXT_BLOCK, &rc);
    return rc;
  case CMARK_NODE_HEADING: {
    quire_node *q = container(b, w, n, QUIRE_NODE_HEADING, K_TEXT_BLOCK, &rc);
    if (q)
      q->level = n->as.heading.level;
    return rc;
  }
  case CMARK_NODE_SOFTBREAK:
    return add(b, w, n, QUIRE_NODE_SOFT_BREAK)
               ? QUIRE_OK : (b->failed ? QUIRE_FATAL : QUIRE_FAILED);
  case CMARK_NODE_LINEBREAK:
    return add(b, w, n, QUIRE_NODE_LINE_BREAK)
               ? QUIRE_OK : (b->failed ? QUIRE_FATAL : QUIRE_FAILED);
  case CMARK_NODE_CODE:
    return add_text(b, w, n, QUIRE_NODE_CODE, &n->as.literal);
  case CMARK_NODE_HTML_INLINE:
    rc = add_text(b, w, n, QUIRE_NODE_RAW_INLINE, &n->as.literal);
    if (rc == QUIRE_OK)
      w->cur->last_child->info = "html";
    return rc;
  case CMARK_NODE_EMPH:
    container(b, w, n, QUIRE_NODE_EMPH, K_INLINE, &rc);
    return rc;
  case CMARK_NODE_STRONG:
    container(b, w, n, QUIRE_NODE_STRONG, K_INLINE, &rc);
    return rc;
  case CMARK_NODE_LINK:
    return link(b, w, n, QUIRE_NODE_LINK);
  case CMARK_NODE_IMAGE:
    return link(b, w, n, QUIRE_NODE_IMAGE);
  case CMARK_NODE_FOOTNOTE_REFERENCE:
    return md_notes_reference(b, n, w->cur, w->depth);
  default:
    /* custom blocks and inlines (never parsed from text): their content
     * goes to the current parent */
    return QUIRE_OK;
  }
}

int md_build(md_builder *b, cmark_node *from, quire_node *to, unsigned depth) {
  walk w = {.depth = depth};
  /* The body's blocks, but not the footnote definitions at its end, nor
   * the paragraph of references md_read_notes.c added. */
  int free_top = from->type == CMARK_NODE_DOCUMENT && b->job == 0;
  set_cur(b, &w, to);
  cmark_iter *it = cmark_iter_new(from);
  int rc = QUIRE_OK;
  cmark_event_type ev;
  while (rc == QUIRE_OK && (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
    cmark_node *n = cmark_iter_get_node(it);
    if (n == from)
      continue;
    if (n->type == CMARK_NODE_TEXT) {
      cmark_strbuf_put(&b->text, n->as.literal.data, n->as.literal.len);
      continue;
    }
    /* A footnote reference may stay text (md_read_notes.c): it flushes
     * the text itself when it makes a note. */
    if (b->text.size && n->type != CMARK_NODE_FOOTNOTE_REFERENCE &&
        (rc = flush(b, &w, n)) != QUIRE_OK)
      break;
    int top = n->parent == from && free_top;
    if (ev == CMARK_EVENT_ENTER) {
      b->events++;
      rc = enter(b, &w, it, n);
      /* A leaf gives no EXIT: it is done. */
      top = top && n->first_child == NULL &&
            (n->type == CMARK_NODE_CODE_BLOCK ||
             n->type == CMARK_NODE_HTML_BLOCK ||
             n->type == CMARK_NODE_THEMATIC_BREAK);
    } else if (n->user_data) {
      w.depth -= n->type == CMARK_NODE_TABLE_ROW ? 2 : 1;
      if (n->type == CMARK_NODE_TABLE)
        w.table = NULL;
      set_cur(b, &w, n->user_data);
      n->user_data = NULL;
    }
    /* A block of the body built is freed at once (the iterator has moved
     * on to its next sibling), so that its memory serves the document
     * being built: cmark's tree is several times the input's size. */
    if (top && rc == QUIRE_OK && (b->text.size == 0 || flush(b, &w, n) ==
                                                          QUIRE_OK))
      cmark_node_free(n);
  }
  if (rc == QUIRE_OK && b->text.size)
    rc = flush(b, &w, from);
  cmark_strbuf_clear(&b->text);
  cmark_iter_free(it);
  return rc;
}
