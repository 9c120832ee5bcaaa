/* html_write_table.c - tables: <caption>, <colgroup>, <thead>, <tbody>,
 * <tfoot>, rows and cells with their spans and alignment.
 *
 * A table of Model 2 holds its caption, columns and parts; one made
 * before (model.h) holds rows directly, and its heading rows go in a
 * <thead> while no body row came before them.  A column's width becomes
 * <col style="width: NN%"> (in a <colgroup>, only when some column has a
 * width); its alignment goes, as pandoc writes it, on each cell of the
 * column that has none of its own (style="text-align: ..."), since
 * browsers ignore alignment on <col>.  Finding a cell's column takes the
 * spans of the cells before it into account, rows included.  Tables nest
 * (a cell may hold blocks), so their states form a stack. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "html_write_walk.h"

/* HTML's own bounds on spans (colspan at most 1000, rowspan 65534). */
#define MAX_COLSPAN 1000
#define MAX_ROWSPAN 65534

static const char *const align_style[] = {NULL, "text-align: left",
                                          "text-align: center",
                                          "text-align: right"};

static table_state *top(walk *k) {
  return k->r->n_tables ? &k->r->tables[k->r->n_tables - 1] : NULL;
}

void table_states_free(html_render *r) {
  for (size_t i = 0; i < r->cap_tables; i++) {
    free(r->tables[i].aligns);
    free(r->tables[i].until);
  }
  free(r->tables);
  r->tables = NULL;
  r->n_tables = r->cap_tables = 0;
}

/* A new state on the stack: the columns' alignments and widths read from
 * the table's TABLE_COLUMN children.  The arrays of a state are kept for
 * the next table at the same depth (n_cols 0: no column is aligned). */
static table_state *push(walk *k, const quire_node *table) {
  html_render *r = k->r;
  if (r->n_tables == r->cap_tables) {
    size_t cap = r->cap_tables ? r->cap_tables * 2 : 4;
    table_state *t = realloc(r->tables, cap * sizeof *t);
    if (!t)
      return NULL;
    memset(t + r->cap_tables, 0, (cap - r->cap_tables) * sizeof *t);
    r->tables = t;
    r->cap_tables = cap;
  }
  table_state *s = &r->tables[r->n_tables];
  table_state kept = *s;
  *s = (table_state){.aligns = kept.aligns, .until = kept.until,
                     .cap_cols = kept.cap_cols};
  size_t cols = 0;
  int aligned = 0;
  for (const quire_node *c = table->first_child; c; c = c->next)
    if (c->type == QUIRE_NODE_TABLE_COLUMN) {
      cols++;
      aligned |= c->align > QUIRE_ALIGN_NONE && c->align <= QUIRE_ALIGN_RIGHT;
      s->widths |= c->width > 0;
    }
  if (aligned) {
    /* The arrays grow to the widest table met at this depth. */
    if (cols > s->cap_cols) {
      quire_align *a = realloc(s->aligns, cols * sizeof *a);
      if (a)
        s->aligns = a;
      size_t *u = realloc(s->until, cols * sizeof *u);
      if (u)
        s->until = u;
      if (!a || !u)
        return NULL;
      s->cap_cols = cols;
    }
    size_t i = 0;
    for (const quire_node *c = table->first_child; c; c = c->next)
      if (c->type == QUIRE_NODE_TABLE_COLUMN) {
        s->aligns[i] = c->align <= QUIRE_ALIGN_RIGHT ? c->align
                                                     : QUIRE_ALIGN_NONE;
        s->until[i++] = 0;
      }
    s->n_cols = cols;
  }
  r->n_tables++;
  return s;
}

int table_enter(walk *k, const quire_node *n) {
  if (!push(k, n))
    return 1;
  return walk_start(k, "table") || walk_attrs(k, n, NULL, NULL, NULL, NULL) ||
         walk_newline(k);
}

int table_exit(walk *k, const quire_node *n) {
  (void)n;
  table_state *s = top(k);
  if (s && s->part && (walk_end(k) || walk_newline(k)))
    return 1;
  if (s)
    k->r->n_tables--;
  return walk_end(k) || walk_newline(k);
}

int table_part_enter(walk *k, const quire_node *n) {
  const char *name = n->type == QUIRE_NODE_TABLE_HEAD   ? "thead"
                     : n->type == QUIRE_NODE_TABLE_FOOT ? "tfoot"
                                                        : "tbody";
  return walk_start(k, name) || walk_attrs(k, n, NULL, NULL, NULL, NULL) ||
         walk_newline(k);
}

int table_column(walk *k, const quire_node *n) {
  static const char *const own[] = {"width", "align", NULL};
  table_state *s = top(k);
  if (!s || !s->widths)
    return 0;
  if ((!n->prev || n->prev->type != QUIRE_NODE_TABLE_COLUMN) &&
      (walk_start(k, "colgroup") || walk_newline(k)))
    return 1;
  char width[32] = "";
  if (n->width > 0 && n->width <= 1)
    snprintf(width, sizeof width, "width: %.4g%%", n->width * 100);
  if (walk_start(k, "col") ||
      walk_attrs(k, n, NULL, NULL, width[0] ? width : NULL, own) ||
      walk_end_void(k) || walk_newline(k))
    return 1;
  if (!n->next || n->next->type != QUIRE_NODE_TABLE_COLUMN)
    return walk_end(k) || walk_newline(k);
  return 0;
}

/* A row directly in the table (a tree made before Model 2): heading rows
 * go in <thead> while no body row came before them. */
static int old_row(walk *k, table_state *s, const quire_node *n) {
  if (n->header && s->part == 0) {
    if (walk_start(k, "thead") || walk_newline(k))
      return 1;
    s->part = 1;
  } else if (!n->header && s->part != 2) {
    if (s->part == 1 && (walk_end(k) || walk_newline(k)))
      return 1;
    if (walk_start(k, "tbody") || walk_newline(k))
      return 1;
    s->part = 2;
  }
  return 0;
}

int table_row_enter(walk *k, const quire_node *n) {
  table_state *s = top(k);
  if (s) {
    if (n->parent && n->parent->type == QUIRE_NODE_TABLE && old_row(k, s, n))
      return 1;
    s->row++;
    s->col = 0;
  }
  return walk_start(k, "tr") || walk_attrs(k, n, NULL, NULL, NULL, NULL);
}

/* The alignment a cell without its own takes from its column. */
static quire_align column_align(table_state *s, const quire_node *n) {
  if (!s || !s->n_cols)
    return QUIRE_ALIGN_NONE;
  size_t row = s->row - 1;
  while (s->col < s->n_cols && s->until[s->col] > row)
    s->col++;
  size_t first = s->col;
  size_t cols = n->colspan > 1 ? (size_t)n->colspan : 1;
  size_t rows = n->rowspan > 1 ? (size_t)n->rowspan : 1;
  if (cols > MAX_COLSPAN)
    cols = MAX_COLSPAN;
  if (rows > MAX_ROWSPAN)
    rows = MAX_ROWSPAN;
  for (size_t c = first; c < first + cols && c < s->n_cols; c++)
    s->until[c] = row + rows;
  s->col = first + cols;
  return first < s->n_cols ? s->aligns[first] : QUIRE_ALIGN_NONE;
}

static int span_attr(walk *k, const char *name, int n, int max) {
  if (n <= 1)
    return 0;
  return xmlTextWriterWriteFormatAttribute(k->w, BAD_CAST name, "%d",
                                           n > max ? max : n) < 0;
}

int table_cell_enter(walk *k, const quire_node *n) {
  static const char *const own[] = {"rowspan", "colspan", "align", NULL};
  const quire_node *row = n->parent;
  int head = n->header ||
             (row && row->type == QUIRE_NODE_TABLE_ROW &&
              (row->header ||
               (row->parent && row->parent->type == QUIRE_NODE_TABLE_HEAD)));
  quire_align column = column_align(top(k), n);
  quire_align align = n->align != QUIRE_ALIGN_NONE ? n->align : column;
  const char *style = align > QUIRE_ALIGN_NONE && align <= QUIRE_ALIGN_RIGHT
                          ? align_style[align]
                          : NULL;
  const quire_node *first = n->first_child;
  return walk_start(k, head ? "th" : "td") ||
         span_attr(k, "rowspan", n->rowspan, MAX_ROWSPAN) ||
         span_attr(k, "colspan", n->colspan, MAX_COLSPAN) ||
         walk_attrs(k, n, NULL, NULL, style, own) ||
         (first && !k->env->svc->node_is_inline(first->type) &&
          walk_newline(k));
}

int table_cell_exit(walk *k, const quire_node *n) {
  (void)n;
  return walk_end(k);
}
