/* pandoc_build_table.c - pandoc's Table into a TABLE and its parts.
 *
 *   Table [attr, Caption [short, blocks], [ColSpec [align, width]...],
 *          TableHead [attr, [Row]],
 *          [TableBody [attr, row-head-columns, [Row] (head), [Row]]...],
 *          TableFoot [attr, [Row]]]
 *   Row   [attr, [Cell [attr, align, rowspan, colspan, blocks]...]]
 *
 * The same in pandoc-types 1.22 and 1.23, and one to one: TABLE (attr),
 * CAPTION (its blocks; the short caption is lost, with a warning),
 * TABLE_COLUMNs (alignment, width), TABLE_HEAD, a TABLE_BODY per body,
 * TABLE_FOOT, each with its attr, TABLE_ROWs and TABLE_CELLs with theirs.
 * The rows of the head and a body's head rows are header rows, their
 * cells header cells; so are a body row's cells over its row head columns
 * (counted by the cells' column spans).  A cell holding one Plain holds
 * its inlines; otherwise its blocks.  An empty head or foot (no rows, no
 * attributes) gives no node, and columns that are all default and as
 * many as the rows' width give no TABLE_COLUMNs, which is what the writer
 * reads back the same.  A table nested deeper than max-depth gives a
 * paragraph per row, or its text in an inline container. */
#include <string.h>

#include "pandoc_build.h"

/* Spans read: HTML's bounds. */
#define MAX_ROWSPAN 65534
#define MAX_COLSPAN 1000

/* Where rows go: TABLE_ROWs of a TABLE, a PARAGRAPH each (a table nested
 * too deep), or the text of one inline container. */
enum mode { M_TABLE, M_PARAS, M_INLINE };

typedef struct tctx {
  pandoc_builder *b;
  enum mode mode;
  quire_node *parent;        /* TABLE, block container, inline container */
  unsigned depth;            /* parent's */
  size_t pieces;             /* cells written into the current text */
  size_t width;              /* the widest row, in columns */
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

/* A span in [1, max], with a warning when clamped. */
static int span(pandoc_builder *b, const json_t *v, int max) {
  json_int_t n = json_integer_value(v);
  if (n >= 1 && n <= max)
    return (int)n;
  b->losses[LOSS_SPAN_RANGE]++;
  return n < 1 ? 1 : max;
}

/* A cell's blocks: one Plain gives its inlines, anything else blocks. */
static int cell_content(tctx *t, quire_node *cell, unsigned depth,
                        const json_t *blocks) {
  pandoc_builder *b = t->b;
  if (!json_is_array(blocks))
    return build_malformed(b, "Table cell");
  const json_t *first = json_array_get(blocks, 0);
  if (json_array_size(blocks) == 1 && pandoc_is(pandoc_tag(first), "Plain"))
    return build_inlines(b, cell, depth, json_object_get(first, "c"));
  return build_blocks(b, cell, depth, blocks);
}

/* One row: header_cols of its first columns are row head columns (all
 * of them in a head row). */
static int row(tctx *t, quire_node *holder, const json_t *r, int header,
               long header_cols) {
  pandoc_builder *b = t->b;
  const json_t *cells = json_array_get(r, 1);
  if (!json_is_array(cells))
    return build_malformed(b, "Table row");
  unsigned depth = t->depth;
  int rc;
  if (t->mode != M_INLINE) {
    holder = build_add(b, holder, t->mode == M_TABLE ? QUIRE_NODE_TABLE_ROW
                                                     : QUIRE_NODE_PARAGRAPH);
    if (!holder)
      return build_oom(b);
    depth += t->mode == M_TABLE ? 2 : 1;
    t->pieces = 0;
    if (t->mode == M_TABLE) {
      holder->header = header;
      rc = build_attr(b, holder, json_array_get(r, 0), NULL, NULL);
      if (rc != QUIRE_OK)
        return rc;
    }
  }
  size_t i;
  long col = 0;
  const json_t *cell;
  json_array_foreach(cells, i, cell) {
    const json_t *rowspan = json_array_get(cell, 2);
    const json_t *colspan = json_array_get(cell, 3);
    if (json_array_size(cell) != 5 || !json_is_integer(rowspan) ||
        !json_is_integer(colspan))
      return build_malformed(b, "Table cell");
    if (t->mode == M_TABLE) {
      quire_node *c = build_add(b, holder, QUIRE_NODE_TABLE_CELL);
      if (!c)
        return build_oom(b);
      c->align = align_of(json_array_get(cell, 1));
      c->rowspan = span(b, rowspan, MAX_ROWSPAN);
      c->colspan = span(b, colspan, MAX_COLSPAN);
      c->header = header || col < header_cols;
      col += c->colspan;
      rc = build_attr(b, c, json_array_get(cell, 0), NULL, NULL);
      if (rc == QUIRE_OK)
        rc = cell_content(t, c, depth + 1, json_array_get(cell, 4));
    } else {
      if (t->pieces++)
        build_space(b);
      rc = build_flat_blocks(b, holder, depth, json_array_get(cell, 4));
    }
    if (rc != QUIRE_OK)
      return rc;
  }
  if (t->mode == M_TABLE && (size_t)col > t->width)
    t->width = (size_t)col;
  return t->mode == M_PARAS ? build_flush(b, holder) : QUIRE_OK;
}

static int rows(tctx *t, quire_node *holder, const json_t *list, int header,
                long header_cols) {
  if (!json_is_array(list))
    return build_malformed(t->b, "Table");
  size_t i;
  const json_t *r;
  json_array_foreach(list, i, r) {
    int rc = row(t, holder, r, header, header_cols);
    if (rc != QUIRE_OK)
      return rc;
  }
  return QUIRE_OK;
}

static int attr_empty(const json_t *attr) {
  return !json_string_length(json_array_get(attr, 0)) &&
         !json_array_size(json_array_get(attr, 1)) &&
         !json_array_size(json_array_get(attr, 2));
}

/* A head or foot [attr, [Row]]: a part of type, unless empty. */
static int head_or_foot(tctx *t, const json_t *part, quire_node_type type,
                        int header) {
  const json_t *attr = json_array_get(part, 0);
  const json_t *list = json_array_get(part, 1);
  if (!json_is_array(list))
    return build_malformed(t->b, "Table");
  if (t->mode != M_TABLE)
    return rows(t, t->parent, list, header, 0);
  if (!json_array_size(list) && attr_empty(attr))
    return QUIRE_OK;
  quire_node *n = build_add(t->b, t->parent, type);
  if (!n)
    return build_oom(t->b);
  int rc = build_attr(t->b, n, attr, NULL, NULL);
  return rc == QUIRE_OK ? rows(t, n, list, header, 0) : rc;
}

static int body(tctx *t, const json_t *bd) {
  const json_t *head_cols = json_array_get(bd, 1);
  if (json_array_size(bd) != 4 || !json_is_integer(head_cols))
    return build_malformed(t->b, "TableBody");
  quire_node *holder = t->parent;
  if (t->mode == M_TABLE) {
    holder = build_add(t->b, t->parent, QUIRE_NODE_TABLE_BODY);
    if (!holder)
      return build_oom(t->b);
    int rc = build_attr(t->b, holder, json_array_get(bd, 0), NULL, NULL);
    if (rc != QUIRE_OK)
      return rc;
  }
  int rc = rows(t, holder, json_array_get(bd, 2), 1, 0);
  return rc == QUIRE_OK ? rows(t, holder, json_array_get(bd, 3), 0,
                               (long)json_integer_value(head_cols))
                        : rc;
}

/* The head, the bodies, the foot. */
static int parts(tctx *t, const json_t *c) {
  int rc = head_or_foot(t, json_array_get(c, 3), QUIRE_NODE_TABLE_HEAD, 1);
  const json_t *bodies = json_array_get(c, 4);
  if (rc == QUIRE_OK && !json_is_array(bodies))
    rc = build_malformed(t->b, "Table");
  size_t i;
  const json_t *bd;
  json_array_foreach(bodies, i, bd) {
    if (rc == QUIRE_OK)
      rc = body(t, bd);
  }
  if (rc == QUIRE_OK)
    rc = head_or_foot(t, json_array_get(c, 5), QUIRE_NODE_TABLE_FOOT, 0);
  return rc;
}

/* The caption's blocks, checked. */
static const json_t *caption(pandoc_builder *b, const json_t *c) {
  const json_t *cap = json_array_get(c, 1);
  const json_t *blocks = json_array_get(cap, 1);
  if (json_array_size(c) != 6 || !json_is_array(blocks) ||
      !json_is_array(json_array_get(c, 2))) {
    build_malformed(b, "Table");
    return NULL;
  }
  if (!json_is_null(json_array_get(cap, 0)))
    b->losses[LOSS_SHORT_CAPTION]++;
  return blocks;
}

/* TABLE_COLUMNs before the table's head and bodies, one a colspec, unless
 * they are all default and as many as the rows' width (what the writer
 * writes for a table without columns). */
static int columns(tctx *t, const json_t *specs, quire_node *before) {
  pandoc_builder *b = t->b;
  size_t i;
  const json_t *spec;
  int plain = json_array_size(specs) == t->width;
  json_array_foreach(specs, i, spec) {
    const char *w = pandoc_tag(json_array_get(spec, 1));
    plain &= align_of(json_array_get(spec, 0)) == QUIRE_ALIGN_NONE &&
             !pandoc_is(w, "ColWidth");
  }
  if (plain)
    return QUIRE_OK;
  json_array_foreach(specs, i, spec) {
    quire_node *col = b->svc->node_new(b->doc, QUIRE_NODE_TABLE_COLUMN);
    if (!col)
      return build_oom(b);
    col->align = align_of(json_array_get(spec, 0));
    const json_t *width = json_array_get(spec, 1);
    if (pandoc_is(pandoc_tag(width), "ColWidth")) {
      double w = json_number_value(json_object_get(width, "c"));
      if (w > 0 && w <= 1)
        col->width = (float)w;
      else
        b->losses[LOSS_COL_WIDTH]++;
    }
    int rc = before ? b->svc->node_insert_before(before, col)
                    : b->svc->node_append(t->parent, col);
    if (rc != QUIRE_OK)
      return build_oom(b);
  }
  return QUIRE_OK;
}

int build_table(pandoc_builder *b, quire_node *parent, unsigned depth,
                const json_t *c) {
  const json_t *cap = caption(b, c);
  if (!cap)
    return QUIRE_FAILED;
  tctx t = {.b = b, .mode = M_PARAS, .parent = parent, .depth = depth};
  int rc = QUIRE_OK;
  if (build_fits(b, depth, 5)) {
    t.mode = M_TABLE;
    t.parent = build_add(b, parent, QUIRE_NODE_TABLE);
    t.depth = depth + 1;
    if (!t.parent)
      return build_oom(b);
    rc = build_attr(b, t.parent, json_array_get(c, 0), NULL, NULL);
    if (rc == QUIRE_OK && json_array_size(cap)) {
      quire_node *n = build_add(b, t.parent, QUIRE_NODE_CAPTION);
      rc = n ? build_blocks(b, n, depth + 2, cap) : build_oom(b);
    }
  } else if (json_array_size(cap)) {
    rc = build_blocks(b, parent, depth, cap);
  }
  if (rc != QUIRE_OK)
    return rc;
  const quire_node *last = t.mode == M_TABLE ? t.parent->last_child : NULL;
  rc = parts(&t, c);
  if (rc != QUIRE_OK || t.mode != M_TABLE)
    return rc;
  /* The columns go after the caption, before the parts built. */
  quire_node *first_part = last ? last->next : t.parent->first_child;
  return columns(&t, json_array_get(c, 2), first_part);
}

int build_table_inline(pandoc_builder *b, quire_node *parent, unsigned depth,
                       const json_t *c) {
  const json_t *cap = caption(b, c);
  if (!cap)
    return QUIRE_FAILED;
  tctx t = {.b = b, .mode = M_INLINE, .parent = parent, .depth = depth};
  if (json_array_size(cap)) {
    int rc = build_flat_blocks(b, parent, depth, cap);
    if (rc != QUIRE_OK)
      return rc;
    t.pieces = 1;
  }
  return parts(&t, c);
}
