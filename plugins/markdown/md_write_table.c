/* md_write_table.c - GFM pipe tables: a header row, a delimiter row that
 * gives each column's alignment, and the body rows, every column padded
 * to its widest cell (display columns) so the table reads as a table.
 * Only a table GFM can say is written so (see md_table_is_pipe); any
 * other is an HTML table (md_write_block.c). */
#include <stdlib.h>
#include <string.h>

#include "md_write.h"

/* The rows of a table in order: head, bodies, foot (Model 2), or the rows
 * directly under it (a tree made before Model 2). */
static const quire_node *next_row(const quire_node *table,
                                  const quire_node *row) {
  const quire_node *g;
  if (row) {
    if (row->next)
      return row->next;
    g = row->parent == table ? NULL : row->parent->next;
  } else {
    g = table->first_child;
  }
  for (; g; g = g->next) {
    if (g->type == QUIRE_NODE_TABLE_ROW)
      return g;
    if ((g->type == QUIRE_NODE_TABLE_HEAD || g->type == QUIRE_NODE_TABLE_BODY ||
         g->type == QUIRE_NODE_TABLE_FOOT) && g->first_child)
      return g->first_child;
  }
  return NULL;
}

int md_table_is_pipe(md_writer *w, const quire_node *table) {
  if (w->dialect != MD_GFM || md_has_attrs(table))
    return 0;
  size_t rows = 0, head_rows = 0;
  for (const quire_node *g = table->first_child; g; g = g->next)
    if (g->type == QUIRE_NODE_CAPTION || g->type == QUIRE_NODE_TABLE_FOOT)
      return 0;
  for (const quire_node *r = next_row(table, NULL); r; r = next_row(table, r)) {
    int head = r->header || (r->parent->type == QUIRE_NODE_TABLE_HEAD);
    if (head) {
      if (rows != head_rows)
        return 0;            /* a header row after a body row */
      head_rows++;
    }
    rows++;
    for (const quire_node *c = r->first_child; c; c = c->next) {
      if (c->type != QUIRE_NODE_TABLE_CELL || c->colspan > 1 ||
          c->rowspan > 1 || md_has_attrs(c))
        return 0;
      if (!head && c->header)
        return 0;
      quire_iter it;
      w->svc->iter_init(&it, c);
      while (w->svc->iter_next(&it) != QUIRE_EV_DONE) {
        const quire_node *x = it.node;
        if (x == c)
          continue;
        if (!w->svc->node_is_inline(x->type) ||
            x->type == QUIRE_NODE_LINE_BREAK ||
            (x->type == QUIRE_NODE_MATH && x->kind == QUIRE_MATH_DISPLAY) ||
            (x->type == QUIRE_NODE_RAW_INLINE && x->text &&
             memchr(x->text, '\n', x->len)))
          return 0;
      }
    }
  }
  return head_rows == 1;
}

void md_table_pipe(md_writer *w, const quire_node *table) {
  /* Cells rendered into one buffer: offsets and lengths, row by row. */
  size_t ncols = 0, nrows = 0;
  for (const quire_node *r = next_row(table, NULL); r; r = next_row(table, r)) {
    size_t k = 0;
    for (const quire_node *c = r->first_child; c; c = c->next)
      k++;
    if (k > ncols)
      ncols = k;
    nrows++;
  }
  if (!ncols)
    ncols = 1;
  size_t *off = calloc(nrows * ncols * 2, sizeof *off);
  size_t *width = calloc(ncols, sizeof *width);
  quire_align *align = calloc(ncols, sizeof *align);
  if (!off || !width || !align) {
    free(off);
    free(width);
    free(align);
    w->o.failed = 1;
    return;
  }
  md_buf cells = {0};
  size_t ri = 0;
  w->in_table = 1;
  for (const quire_node *r = next_row(table, NULL); r;
       r = next_row(table, r), ri++) {
    size_t ci = 0;
    for (const quire_node *c = r->first_child; c && ci < ncols;
         c = c->next, ci++) {
      w->il.n = 0;
      w->line_start = 0;
      md_inlines(w, c);
      /* Spaces at the edges of a cell are not its content. */
      size_t a = 0, z = w->il.n;
      while (a < z && (w->il.p[a] == ' ' || w->il.p[a] == '\t'))
        a++;
      while (z > a && (w->il.p[z - 1] == ' ' || w->il.p[z - 1] == '\t'))
        z--;
      if (z > a && w->il.p[z - 1] == '\\') {
        size_t k = 0;
        while (k < z - a && w->il.p[z - 1 - k] == '\\')
          k++;
        if (k % 2)
          md_buf_putc(&w->il, '\\'), z = w->il.n;
      }
      off[(ri * ncols + ci) * 2] = cells.n;
      md_buf_put(&cells, w->il.p + a, z - a);
      off[(ri * ncols + ci) * 2 + 1] = z - a;
      size_t dw = md_display_width(w->il.p + a, z - a);
      if (dw > width[ci])
        width[ci] = dw;
      if (ri == 0 && c->align)
        align[ci] = c->align;
    }
  }
  w->in_table = 0;
  /* Column alignment: TABLE_COLUMNs when given. */
  size_t ci = 0;
  for (const quire_node *g = table->first_child; g && ci < ncols; g = g->next)
    if (g->type == QUIRE_NODE_TABLE_COLUMN)
      align[ci++] = g->align;
  for (size_t i = 0; i < ncols; i++)
    if (width[i] < 3)
      width[i] = 3;
  md_buf *line = &w->scratch;
  for (ri = 0; ri < nrows && !cells.failed; ri++) {
    line->n = 0;
    md_buf_putc(line, '|');
    for (ci = 0; ci < ncols; ci++) {
      size_t o = off[(ri * ncols + ci) * 2], l = off[(ri * ncols + ci) * 2 + 1];
      md_buf_putc(line, ' ');
      md_buf_put(line, cells.p ? cells.p + o : "", l);
      size_t dw = md_display_width(cells.p ? cells.p + o : "", l);
      for (size_t k = dw; k < width[ci]; k++)
        md_buf_putc(line, ' ');
      md_buf_puts(line, " |");
    }
    md_lines(w, line->p, line->n);
    if (ri == 0) {
      line->n = 0;
      md_buf_putc(line, '|');
      for (ci = 0; ci < ncols; ci++) {
        quire_align al = align[ci];
        md_buf_putc(line, al == QUIRE_ALIGN_LEFT || al == QUIRE_ALIGN_CENTER
                              ? ':' : '-');
        for (size_t k = 0; k < width[ci]; k++)
          md_buf_putc(line, '-');
        md_buf_putc(line, al == QUIRE_ALIGN_RIGHT || al == QUIRE_ALIGN_CENTER
                              ? ':' : '-');
        md_buf_putc(line, '|');
      }
      md_lines(w, line->p, line->n);
    }
  }
  if (cells.failed || line->failed)
    w->o.failed = 1;
  md_buf_free(&cells);
  free(off);
  free(width);
  free(align);
}
