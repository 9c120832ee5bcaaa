/* pandoc_build_table.c - pandoc's Table into TABLE, TABLE_ROW, TABLE_CELL.
 *
 *   Table [attr, Caption [short, blocks], [ColSpec [align, width]...],
 *          TableHead [attr, [Row]],
 *          [TableBody [attr, row-head-columns, [Row] (head), [Row]]...],
 *          TableFoot [attr, [Row]]]
 *   Row   [attr, [Cell [attr, align, rowspan, colspan, blocks]...]]
 *
 * The same in pandoc-types 1.22 and 1.23.  Rows of the TableHead and of a
 * body's head are header rows; the others, the foot's included, are not.
 * A cell's alignment is its own, else its column's.  A cell's blocks are
 * flattened into its inlines, separated by spaces; spans are dropped (the
 * model's cells take one row and one column).  Both with a warning; so is
 * the caption, which the model has no place for: it becomes paragraphs
 * before the table. */
#include <string.h>

#include "pandoc_build.h"

/* Where rows go: TABLE_ROWs of a TABLE, a PARAGRAPH each (a table nested
 * too deep), or the text of one inline container (a table in a cell). */
enum mode { M_TABLE, M_PARAS, M_INLINE };

typedef struct tctx {
  pandoc_builder *b;
  enum mode mode;
  quire_node *parent;        /* TABLE, block container, inline container */
  unsigned depth;            /* parent's */
  const json_t *colspecs;
  size_t pieces;             /* cells written into the current text */
} tctx;

static quire_align align_of(const json_t *a) {
  const char *t = pandoc_tag(a);
  if (pandoc_is(t, "AlignLeft"))
    return QUIRE_ALIGN_LEFT;
  if (pandoc_is(t, "AlignCenter"))
    return QUIRE_ALIGN_CENTER;
  if (pandoc_is(t, "AlignRight"))
    return QUIRE_ALIGN_RIGHT;
  return QUIRE_ALIGN_NONE;
}

/* A cell's blocks into holder's inlines. */
static int cell_blocks(tctx *t, quire_node *holder, unsigned depth,
                       const json_t *blocks) {
  pandoc_builder *b = t->b;
  if (!json_is_array(blocks))
    return build_malformed(b, "Table cell");
  size_t i;
  const json_t *el;
  json_array_foreach(blocks, i, el) {
    const char *tag = pandoc_tag(el);
    if (i || !(pandoc_is(tag, "Plain") || pandoc_is(tag, "Para"))) {
      b->losses[LOSS_CELL_BLOCKS]++;
      break;
    }
  }
  return build_flat_blocks(b, holder, depth, blocks);
}

static int row(tctx *t, const json_t *r, int header) {
  pandoc_builder *b = t->b;
  const json_t *cells = json_array_get(r, 1);
  if (!json_is_array(cells))
    return build_malformed(b, "Table row");
  quire_node *holder = t->parent;
  unsigned depth = t->depth;
  if (t->mode != M_INLINE) {
    holder = build_add(b, t->parent, t->mode == M_TABLE
                                         ? QUIRE_NODE_TABLE_ROW
                                         : QUIRE_NODE_PARAGRAPH);
    if (!holder)
      return build_oom(b);
    holder->header = t->mode == M_TABLE && header;
    depth++;
    t->pieces = 0;
  }
  size_t i, col = 0;
  const json_t *cell;
  json_array_foreach(cells, i, cell) {
    const json_t *rowspan = json_array_get(cell, 2);
    const json_t *colspan = json_array_get(cell, 3);
    if (json_array_size(cell) != 5 || !json_is_integer(rowspan) ||
        !json_is_integer(colspan))
      return build_malformed(b, "Table cell");
    if (json_integer_value(rowspan) != 1 || json_integer_value(colspan) != 1)
      b->losses[LOSS_CELL_SPAN]++;
    int rc;
    if (t->mode == M_TABLE) {
      quire_node *c = build_add(b, holder, QUIRE_NODE_TABLE_CELL);
      if (!c)
        return build_oom(b);
      c->align = align_of(json_array_get(cell, 1));
      if (c->align == QUIRE_ALIGN_NONE) {
        const json_t *colspec = json_array_get(t->colspecs, col);
        c->align = align_of(json_array_get(colspec, 0));
      }
      rc = cell_blocks(t, c, depth + 1, json_array_get(cell, 4));
      if (rc == QUIRE_OK)
        rc = build_flush(b, c);
    } else {
      if (t->pieces++)
        build_space(b);
      rc = cell_blocks(t, holder, depth, json_array_get(cell, 4));
    }
    if (rc != QUIRE_OK)
      return rc;
    json_int_t span = json_integer_value(colspan);
    col += span > 0 && span < 1000 ? (size_t)span : 1;
  }
  return t->mode == M_PARAS ? build_flush(b, holder) : QUIRE_OK;
}

static int rows(tctx *t, const json_t *list, int header) {
  if (!json_is_array(list))
    return build_malformed(t->b, "Table");
  size_t i;
  const json_t *r;
  json_array_foreach(list, i, r) {
    int rc = row(t, r, header);
    if (rc != QUIRE_OK)
      return rc;
  }
  return QUIRE_OK;
}

/* The head's rows, each body's head rows and rows, the foot's rows. */
static int all_rows(tctx *t, const json_t *c) {
  int rc = rows(t, json_array_get(json_array_get(c, 3), 1), 1);
  const json_t *bodies = json_array_get(c, 4);
  if (rc == QUIRE_OK && !json_is_array(bodies))
    rc = build_malformed(t->b, "Table");
  size_t i;
  const json_t *body;
  json_array_foreach(bodies, i, body) {
    if (rc == QUIRE_OK)
      rc = rows(t, json_array_get(body, 2), 1);
    if (rc == QUIRE_OK)
      rc = rows(t, json_array_get(body, 3), 0);
  }
  if (rc == QUIRE_OK)
    rc = rows(t, json_array_get(json_array_get(c, 5), 1), 0);
  return rc;
}

/* The caption's blocks, checked. */
static const json_t *caption(pandoc_builder *b, const json_t *c) {
  const json_t *blocks = json_array_get(json_array_get(c, 1), 1);
  if (json_array_size(c) != 6 || !json_is_array(blocks)) {
    build_malformed(b, "Table");
    return NULL;
  }
  return blocks;
}

int build_table(pandoc_builder *b, quire_node *parent, unsigned depth,
                const json_t *c) {
  const json_t *cap = caption(b, c);
  if (!cap)
    return QUIRE_FAILED;
  if (json_array_size(cap)) {
    b->losses[LOSS_TABLE_CAPTION]++;
    int rc = build_blocks(b, parent, depth, cap);
    if (rc != QUIRE_OK)
      return rc;
  }
  tctx t = {.b = b, .mode = M_PARAS, .parent = parent, .depth = depth,
            .colspecs = json_array_get(c, 2)};
  if (build_fits(b, depth, 3)) {
    t.mode = M_TABLE;
    t.parent = build_add(b, parent, QUIRE_NODE_TABLE);
    t.depth = depth + 1;
    if (!t.parent)
      return build_oom(b);
  }
  return all_rows(&t, c);
}

int build_table_inline(pandoc_builder *b, quire_node *parent, unsigned depth,
                       const json_t *c) {
  const json_t *cap = caption(b, c);
  if (!cap)
    return QUIRE_FAILED;
  tctx t = {.b = b, .mode = M_INLINE, .parent = parent, .depth = depth,
            .colspecs = json_array_get(c, 2)};
  if (json_array_size(cap)) {
    b->losses[LOSS_TABLE_CAPTION]++;
    int rc = build_flat_blocks(b, parent, depth, cap);
    if (rc != QUIRE_OK)
      return rc;
    t.pieces = 1;
  }
  return all_rows(&t, c);
}
