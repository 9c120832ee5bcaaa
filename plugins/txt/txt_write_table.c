/* txt_write_table.c - a table as aligned text.
 *
 *     Name   Qty  Note
 *     -----  ---  ------------
 *     tea     12  green, loose
 *     cake     3
 *
 * Cells are placed on a grid as HTML places them: a cell takes the next
 * column no cell from a row above still covers (rowspan), and as many
 * columns as its colspan.  Each cell is rendered to lines by the writer
 * itself (txt_cell_lines: a paragraph per line, lists with their markers),
 * so a cell's notes and images count with the document's.  A column is as
 * wide as its widest line in display columns; a spanning cell wider than
 * the columns it covers widens them evenly; columns with no text take no
 * room.  Columns are separated by two spaces; a rule of '-' follows the
 * head rows and precedes the foot rows.  A cell spanning rows is written
 * in its first row, the rows below left blank under it.
 *
 * With --columns N, a table wider than the room left by the containers'
 * prefix has its columns narrowed, each to no less than its longest word,
 * the room shared in proportion to what each column would lose, and its
 * cells' text wrapped inside them.  When even the longest words do not
 * fit, each row is written as a block of "header: value" lines, the header
 * being the text of the head cells above the cell's column.
 *
 * A table that lays out a page rather than holding data
 * (txt_table_is_layout) does not come here: the walk writes it flat. */
#include <stdlib.h>
#include <string.h>

#include "txt_write.h"

#define SEP 2                    /* spaces between columns */
#define MAX_COLSPAN 1000         /* HTML's limits on spans */
#define MAX_ROWSPAN 65534
#define MAX_TABLE_COLUMNS 1000   /* wider grids are written as records */

enum { ROW_HEAD, ROW_BODY, ROW_FOOT };

typedef struct cell {
  size_t col, colspan;
  size_t off, len;               /* its lines in the store */
  size_t width;                  /* its widest line */
  size_t minw;                   /* its longest word */
  quire_align align;
  size_t first_slice, n_slices;  /* its lines as laid out, per row */
} cell;

typedef struct row {
  size_t first, n;               /* its cells */
  int kind;
} row;

typedef struct slice {
  const char *s;
  size_t n;
} slice;

typedef struct layout {
  quire_env *env;
  txt_writer *w;
  cell *cells;
  size_t n_cells, cells_cap;
  row *rows;
  size_t n_rows, rows_cap;
  char *store;                   /* every cell's lines */
  size_t store_used, store_cap;
  size_t ncols;
  size_t *busy;                  /* rows a column stays covered, per column */
  size_t *width, *minw, *fit;    /* natural, least and chosen widths */
  quire_align *col_align;        /* from TABLE_COLUMNs */
  size_t n_col_align, col_align_cap;
  int overflow;                  /* more columns than MAX_TABLE_COLUMNS */
  slice *slices;
  size_t n_slices, slices_cap;
  char *out;                     /* the block being written */
  size_t out_used, out_cap;
  char *hdr;                     /* records: each column's header */
  size_t hdr_used, hdr_cap;
  size_t *hdr_off;
} layout;

static int grow_array(void **p, size_t *cap, size_t need, size_t size) {
  if (need <= *cap)
    return QUIRE_OK;
  size_t c = *cap ? *cap * 2 : 16;
  while (c < need)
    c *= 2;
  void *q = realloc(*p, c * size);
  if (!q)
    return QUIRE_ERR;
  *p = q;
  *cap = c;
  return QUIRE_OK;
}

/* Makes the per-column arrays hold n columns, new ones zero. */
static int set_columns(layout *t, size_t n) {
  if (n <= t->ncols)
    return QUIRE_OK;
  size_t **arrays[] = {&t->busy, &t->width, &t->minw, &t->fit};
  for (size_t i = 0; i < sizeof arrays / sizeof *arrays; i++) {
    size_t *p = realloc(*arrays[i], n * sizeof *p);
    if (!p)
      return QUIRE_ERR;
    memset(p + t->ncols, 0, (n - t->ncols) * sizeof *p);
    *arrays[i] = p;
  }
  t->ncols = n;
  return QUIRE_OK;
}

static size_t clamp_span(int v, size_t max) {
  return v < 2 ? 1 : (size_t)v > max ? max : (size_t)v;
}

/* The widest line of s[0..n). */
static size_t widest_line(const char *s, size_t n) {
  size_t widest = 0;
  for (size_t i = 0; i <= n;) {
    const char *nl = i < n ? memchr(s + i, '\n', n - i) : NULL;
    size_t end = nl ? (size_t)(nl - s) : n;
    size_t wd = txt_display_width(s + i, end - i);
    if (wd > widest)
      widest = wd;
    i = end + 1;
  }
  return widest;
}

static int add_cell(layout *t, const quire_node *c, size_t *col,
                    size_t rowspan_left) {
  quire_env *env = t->env;
  while (*col < t->ncols && t->busy[*col])
    (*col)++;
  size_t cs = clamp_span(c->colspan, MAX_COLSPAN);
  if (*col + cs > MAX_TABLE_COLUMNS) {
    t->overflow = 1;
    if (*col >= MAX_TABLE_COLUMNS)
      *col = MAX_TABLE_COLUMNS - 1;
    cs = MAX_TABLE_COLUMNS - *col;
  }
  size_t rs = clamp_span(c->rowspan, MAX_ROWSPAN);
  if (rs > rowspan_left)
    rs = rowspan_left;
  if (set_columns(t, *col + cs) ||
      grow_array((void **)&t->cells, &t->cells_cap, t->n_cells + 1,
                 sizeof *t->cells))
    return txt_oom(env);
  for (size_t k = *col; k < *col + cs; k++)
    if (t->busy[k] < rs)
      t->busy[k] = rs;
  const char *s;
  size_t n;
  int rc = txt_cell_lines(env, t->w, c, &s, &n);
  if (rc != QUIRE_OK)
    return rc;
  cell *x = &t->cells[t->n_cells++];
  memset(x, 0, sizeof *x);
  x->col = *col;
  x->colspan = cs;
  x->off = t->store_used;
  x->len = n;
  x->width = widest_line(s, n);
  x->minw = txt_longest_word(s, n);
  x->align = c->align;
  if (txt_append(&t->store, &t->store_used, &t->store_cap, s, n))
    return txt_oom(env);
  *col += cs;
  return QUIRE_OK;
}

/* The rows among the children of g. */
static size_t count_rows(const quire_node *g) {
  size_t n = 0;
  for (const quire_node *r = g->first_child; r; r = r->next)
    n += r->type == QUIRE_NODE_TABLE_ROW;
  return n;
}

/* Adds row r, `left` rows being left in its group from r on: a rowspan
 * does not pass them. */
static int add_row(layout *t, const quire_node *r, int kind, size_t left) {
  if (grow_array((void **)&t->rows, &t->rows_cap, t->n_rows + 1,
                 sizeof *t->rows))
    return txt_oom(t->env);
  size_t index = t->n_rows++;
  t->rows[index] = (row){t->n_cells, 0, kind};
  size_t col = 0;
  for (const quire_node *c = r->first_child; c; c = c->next) {
    if (c->type != QUIRE_NODE_TABLE_CELL)
      continue;
    int rc = add_cell(t, c, &col, left);
    if (rc != QUIRE_OK)
      return rc;
  }
  t->rows[index].n = t->n_cells - t->rows[index].first;
  for (size_t k = 0; k < t->ncols; k++)
    if (t->busy[k])
      t->busy[k]--;
  return QUIRE_OK;
}

/* Rows of a head, body or foot: a rowspan stays inside its group. */
/* No column stays covered: a new group begins. */
static void clear_busy(layout *t) {
  if (t->ncols)
    memset(t->busy, 0, t->ncols * sizeof *t->busy);
}

static int add_group(layout *t, const quire_node *g, int kind) {
  clear_busy(t);
  size_t left = count_rows(g);
  for (const quire_node *r = g->first_child; r; r = r->next)
    if (r->type == QUIRE_NODE_TABLE_ROW) {
      int rc = add_row(t, r, kind, left--);
      if (rc != QUIRE_OK)
        return rc;
    }
  clear_busy(t);
  return QUIRE_OK;
}

static int collect(layout *t, const quire_node *table) {
  int rc = QUIRE_OK;
  size_t left = count_rows(table);   /* rows directly under the table */
  for (const quire_node *c = table->first_child; c && rc == QUIRE_OK;
       c = c->next)
    switch (c->type) {
    case QUIRE_NODE_TABLE_COLUMN:
      if (grow_array((void **)&t->col_align, &t->col_align_cap,
                     t->n_col_align + 1, sizeof *t->col_align))
        return txt_oom(t->env);
      t->col_align[t->n_col_align++] = c->align;
      break;
    case QUIRE_NODE_TABLE_HEAD:
      rc = add_group(t, c, ROW_HEAD);
      break;
    case QUIRE_NODE_TABLE_BODY:
      rc = add_group(t, c, ROW_BODY);
      break;
    case QUIRE_NODE_TABLE_FOOT:
      rc = add_group(t, c, ROW_FOOT);
      break;
    case QUIRE_NODE_TABLE_ROW:   /* a tree made before Model 2 */
      rc = add_row(t, c, c->header ? ROW_HEAD : ROW_BODY, left--);
      break;
    default:
      break;
    }
  return rc;
}

/* ---- Widths ------------------------------------------------------------- */

/* Visible columns of [col, col + n): those whose natural width is not 0. */
static size_t visible_in(const layout *t, size_t col, size_t n) {
  size_t v = 0;
  for (size_t k = col; k < col + n; k++)
    v += t->width[k] > 0;
  return v;
}

/* The width of a slot of n columns from col under widths w[]. */
static size_t span_width(const layout *t, const size_t *w, size_t col,
                         size_t n) {
  size_t sum = 0, v = 0;
  for (size_t k = col; k < col + n; k++)
    if (t->width[k]) {
      sum += w[k];
      v++;
    }
  return v ? sum + SEP * (v - 1) : 0;
}

/* Widens the visible columns of a span evenly until they hold `need`. */
static void spread(layout *t, size_t *w, const cell *x, size_t need) {
  size_t have = span_width(t, w, x->col, x->colspan);
  if (need <= have)
    return;
  size_t v = visible_in(t, x->col, x->colspan);
  if (!v) {   /* only for natural widths: the first column shows it */
    w[x->col] = need;
    return;
  }
  size_t extra = need - have, share = extra / v, rest = extra % v;
  for (size_t k = x->col; k < x->col + x->colspan; k++)
    if (t->width[k]) {
      w[k] += share + (rest ? 1 : 0);
      if (rest)
        rest--;
    }
}

static int by_colspan(const void *a, const void *b) {
  const cell *x = *(const cell *const *)a, *y = *(const cell *const *)b;
  return (x->colspan > y->colspan) - (x->colspan < y->colspan);
}

static int measure(layout *t) {
  for (size_t i = 0; i < t->n_cells; i++) {
    const cell *x = &t->cells[i];
    if (x->colspan == 1) {
      if (x->width > t->width[x->col])
        t->width[x->col] = x->width;
      if (x->minw > t->minw[x->col])
        t->minw[x->col] = x->minw;
    }
  }
  /* Spanning cells, narrowest spans first. */
  size_t n = 0;
  for (size_t i = 0; i < t->n_cells; i++)
    n += t->cells[i].colspan > 1;
  if (!n)
    return QUIRE_OK;
  cell **spans = malloc(n * sizeof *spans);
  if (!spans)
    return QUIRE_ERR;
  n = 0;
  for (size_t i = 0; i < t->n_cells; i++)
    if (t->cells[i].colspan > 1)
      spans[n++] = &t->cells[i];
  qsort(spans, n, sizeof *spans, by_colspan);
  for (size_t i = 0; i < n; i++)
    spread(t, t->width, spans[i], spans[i]->width);
  for (size_t i = 0; i < n; i++)
    spread(t, t->minw, spans[i], spans[i]->minw);
  free(spans);
  return QUIRE_OK;
}

/* Chooses t->fit for `room` columns: the natural widths when they fit,
 * else narrower ones no less than the longest words.  0 when nothing
 * fits. */
static int fit(layout *t, size_t room) {
  size_t natural = span_width(t, t->width, 0, t->ncols);
  if (t->ncols)
    memcpy(t->fit, t->width, t->ncols * sizeof *t->fit);
  if (!room || natural <= room)
    return 1;
  for (size_t k = 0; k < t->ncols; k++)
    if (t->width[k]) {
      size_t least = t->minw[k] ? t->minw[k] : 1;
      t->fit[k] = least < t->width[k] ? least : t->width[k];
    }
  size_t least = span_width(t, t->fit, 0, t->ncols);
  if (least > room)
    return 0;
  size_t slack = room - least, excess = 0;
  for (size_t k = 0; k < t->ncols; k++)
    excess += t->width[k] - t->fit[k];
  for (size_t k = 0; k < t->ncols && excess; k++) {
    size_t lose = t->width[k] - t->fit[k];
    /* lose * slack may not fit a size_t for absurd widths: then share
     * evenly by columns instead of by what each loses. */
    size_t add = lose && slack > (size_t)-1 / lose ? slack / t->ncols
                                                    : lose * slack / excess;
    t->fit[k] += add < lose ? add : lose;
  }
  return 1;
}

/* ---- Writing ------------------------------------------------------------ */

static int out(layout *t, const char *s, size_t n) {
  return txt_append(&t->out, &t->out_used, &t->out_cap, s, n);
}

static int spaces(layout *t, size_t n) {
  static const char blank[] = "                                ";
  while (n) {
    size_t k = n < sizeof blank - 1 ? n : sizeof blank - 1;
    if (out(t, blank, k))
      return QUIRE_ERR;
    n -= k;
  }
  return QUIRE_OK;
}

/* Cuts the lines of x into slices no wider than `room` (0: as they are). */
static int slice_cell(layout *t, cell *x, size_t room) {
  const char *s = t->store + x->off;
  size_t n = x->len;
  x->first_slice = t->n_slices;
  for (size_t i = 0; n && i <= n;) {
    const char *nl = i < n ? memchr(s + i, '\n', n - i) : NULL;
    size_t end = nl ? (size_t)(nl - s) : n;
    size_t pos = i;
    do {
      size_t stop = room ? txt_wrap_stop(s, pos, end, room) : end;
      if (grow_array((void **)&t->slices, &t->slices_cap, t->n_slices + 1,
                     sizeof *t->slices))
        return QUIRE_ERR;
      t->slices[t->n_slices++] = (slice){s + pos, stop - pos};
      pos = stop;
      while (pos < end && s[pos] == ' ')
        pos++;
    } while (pos < end);
    i = end + 1;
  }
  x->n_slices = t->n_slices - x->first_slice;
  return QUIRE_OK;
}

static quire_align align_of(const layout *t, const cell *x) {
  if (x->align != QUIRE_ALIGN_NONE)
    return x->align;
  return x->col < t->n_col_align ? t->col_align[x->col] : QUIRE_ALIGN_NONE;
}

/* Puts line l of x (or blanks) in a slot `sw` wide. */
static int put_slot(layout *t, const cell *x, size_t l, size_t sw) {
  if (!x || l >= x->n_slices)
    return spaces(t, sw);
  const slice *sl = &t->slices[x->first_slice + l];
  size_t wd = txt_display_width(sl->s, sl->n);
  size_t pad = wd < sw ? sw - wd : 0, before = 0;
  quire_align a = align_of(t, x);
  if (a == QUIRE_ALIGN_RIGHT)
    before = pad;
  else if (a == QUIRE_ALIGN_CENTER)
    before = pad / 2;
  if (spaces(t, before) || out(t, sl->s, sl->n) || spaces(t, pad - before))
    return QUIRE_ERR;
  return QUIRE_OK;
}

/* Ends a line of the block: its trailing blanks go. */
static int end_line(layout *t) {
  while (t->out_used && t->out[t->out_used - 1] == ' ')
    t->out_used--;
  return out(t, "\n", 1);
}

static int put_row(layout *t, const row *r) {
  t->n_slices = 0;
  size_t height = 0;
  for (size_t i = r->first; i < r->first + r->n; i++) {
    cell *x = &t->cells[i];
    if (slice_cell(t, x, span_width(t, t->fit, x->col, x->colspan)))
      return QUIRE_ERR;
    if (x->n_slices > height)
      height = x->n_slices;
  }
  for (size_t l = 0; l < height; l++) {
    size_t next = r->first, end = r->first + r->n;
    int any = 0;
    for (size_t k = 0; k < t->ncols;) {
      const cell *x = next < end && t->cells[next].col == k ? &t->cells[next]
                                                            : NULL;
      size_t n = x ? x->colspan : 1;
      next += x != NULL;
      size_t sw = span_width(t, t->fit, k, n);
      k += n;
      if (!sw)
        continue;
      if ((any && spaces(t, SEP)) || put_slot(t, x, l, sw))
        return QUIRE_ERR;
      any = 1;
    }
    if (end_line(t))
      return QUIRE_ERR;
  }
  return QUIRE_OK;
}

static int put_rule(layout *t) {
  int any = 0;
  for (size_t k = 0; k < t->ncols; k++) {
    if (!t->width[k])
      continue;
    if (any && spaces(t, SEP))
      return QUIRE_ERR;
    for (size_t i = 0; i < t->fit[k]; i++)
      if (out(t, "-", 1))
        return QUIRE_ERR;
    any = 1;
  }
  return end_line(t);
}

static int write_grid(layout *t) {
  size_t head = 0, foot = t->n_rows;
  while (head < t->n_rows && t->rows[head].kind == ROW_HEAD)
    head++;
  while (foot > head && t->rows[foot - 1].kind == ROW_FOOT)
    foot--;
  t->out_used = 0;
  for (size_t i = 0; i < t->n_rows; i++) {
    if (((i == head && head) || (i == foot && foot > head)) && t->out_used &&
        put_rule(t))
      return txt_oom(t->env);
    if (put_row(t, &t->rows[i]))
      return txt_oom(t->env);
  }
  if (!t->out_used)
    return QUIRE_OK;
  return txt_write_lines(t->env, t->w, t->out, t->out_used - 1, 0);
}

/* ---- Records: one block of "header: value" lines per row ---------------- */

/* The header of every column, once: the text of the head cells over it,
 * their lines joined by spaces, in t->hdr from t->hdr_off[k] to
 * t->hdr_off[k + 1]. */
static int make_headers(layout *t, size_t head) {
  if (!(t->hdr_off = calloc(t->ncols + 1, sizeof *t->hdr_off)))
    return QUIRE_ERR;
  size_t head_cells = head ? t->rows[head - 1].first + t->rows[head - 1].n
                           : 0;
  for (size_t k = 0; k < t->ncols; k++) {
    size_t start = t->hdr_used;
    for (size_t i = 0; i < head_cells; i++) {
      const cell *x = &t->cells[i];
      if (k < x->col || k >= x->col + x->colspan || !x->len)
        continue;
      if (t->hdr_used > start &&
          txt_append(&t->hdr, &t->hdr_used, &t->hdr_cap, " ", 1))
        return QUIRE_ERR;
      size_t from = t->hdr_used;
      if (txt_append(&t->hdr, &t->hdr_used, &t->hdr_cap, t->store + x->off,
                     x->len))
        return QUIRE_ERR;
      for (size_t j = from; j < t->hdr_used; j++)
        if (t->hdr[j] == '\n')
          t->hdr[j] = ' ';
    }
    t->hdr_off[k + 1] = t->hdr_used;
  }
  return QUIRE_OK;
}

/* Appends "header: " for column k to t->out, or nothing. */
static int put_header(layout *t, size_t k) {
  size_t n = t->hdr_off[k + 1] - t->hdr_off[k];
  if (!n)
    return QUIRE_OK;
  return out(t, t->hdr + t->hdr_off[k], n) || out(t, ": ", 2) ? QUIRE_ERR
                                                               : QUIRE_OK;
}

/* Appends s[0..n) to t->out wrapped at `room` columns, the line begun at
 * `used` columns, later lines indented by two spaces. */
static int put_wrapped(layout *t, const char *s, size_t n, size_t used,
                       size_t room) {
  size_t pos = 0;
  while (pos < n) {
    size_t stop = room ? txt_wrap_stop(s, pos, n, room > used ? room - used
                                                              : 0)
                       : n;
    if (out(t, s + pos, stop - pos))
      return QUIRE_ERR;
    pos = stop;
    while (pos < n && s[pos] == ' ')
      pos++;
    if (pos < n && (end_line(t) || spaces(t, 2)))
      return QUIRE_ERR;
    used = 2;
  }
  return QUIRE_OK;
}

static int write_records(layout *t, size_t room) {
  size_t head = 0;
  while (head < t->n_rows && t->rows[head].kind == ROW_HEAD)
    head++;
  if (head == t->n_rows)   /* only head rows: no headers, just values */
    head = 0;
  if (make_headers(t, head))
    return txt_oom(t->env);
  for (size_t r = head; r < t->n_rows; r++) {
    t->out_used = 0;
    const row *rw = &t->rows[r];
    for (size_t i = rw->first; i < rw->first + rw->n; i++) {
      const cell *x = &t->cells[i];
      if (!x->len)
        continue;
      size_t line_start = t->out_used;
      if (put_header(t, x->col))
        return txt_oom(t->env);
      size_t used = txt_display_width(t->out + line_start,
                                      t->out_used - line_start);
      const char *s = t->store + x->off;
      for (size_t j = 0; j <= x->len;) {
        const char *nl = j < x->len ? memchr(s + j, '\n', x->len - j) : NULL;
        size_t end = nl ? (size_t)(nl - s) : x->len;
        if (put_wrapped(t, s + j, end - j, used, room) || end_line(t))
          return txt_oom(t->env);
        j = end + 1;
        if (j <= x->len && spaces(t, 2))
          return txt_oom(t->env);
        used = 2;
      }
    }
    if (t->out_used) {
      int rc = txt_write_lines(t->env, t->w, t->out, t->out_used - 1, 0);
      if (rc != QUIRE_OK)
        return rc;
    }
  }
  return QUIRE_OK;
}

/* ---- The table ---------------------------------------------------------- */

static int row_has_one_cell(const quire_node *r) {
  const quire_node *c = r->first_child;
  return !c || (!c->next && c->colspan < 2);
}

static int one_column(const quire_node *table) {
  for (const quire_node *c = table->first_child; c; c = c->next) {
    if (c->type == QUIRE_NODE_TABLE_ROW && !row_has_one_cell(c))
      return 0;
    if (c->type == QUIRE_NODE_TABLE_HEAD || c->type == QUIRE_NODE_TABLE_BODY ||
        c->type == QUIRE_NODE_TABLE_FOOT)
      for (const quire_node *r = c->first_child; r; r = r->next)
        if (!row_has_one_cell(r))
          return 0;
  }
  return 1;
}

int txt_table_is_layout(quire_env *env, const quire_node *table) {
  if (one_column(table))
    return 1;
  /* One walk, which stops at the first sign of a layout. */
  const quire_services *svc = env->svc;
  quire_iter it;
  svc->iter_init(&it, table);
  size_t cell_bytes = 0;
  while (svc->iter_next(&it) != QUIRE_EV_DONE) {
    const quire_node *n = it.node;
    if (it.event != QUIRE_EV_ENTER)
      continue;
    switch (n->type) {
    case QUIRE_NODE_TABLE_CELL:
      cell_bytes = 0;
      break;
    case QUIRE_NODE_TABLE:
      if (n != table)
        return 1;
      break;
    case QUIRE_NODE_HEADING:
    case QUIRE_NODE_SECTION:
      return 1;
    case QUIRE_NODE_TEXT:
      if ((cell_bytes += n->len) > TXT_LAYOUT_CELL_BYTES)
        return 1;
      break;
    default:
      break;
    }
  }
  return 0;
}

/* Display width of the prefix the containers put before the table's
 * lines. */
static size_t prefix_width(const txt_writer *w) {
  size_t width = 0;
  for (size_t i = 0; i < w->depth; i++) {
    const txt_frame *f = &w->stack[i];
    if (f->type == QUIRE_NODE_BLOCK_QUOTE)
      width += 2;
    else
      width += txt_display_width(f->indent, strlen(f->indent));
  }
  return width;
}

int txt_table_write(quire_env *env, txt_writer *w, const quire_node *table) {
  layout t = {.env = env, .w = w};
  int rc = collect(&t, table);
  if (rc == QUIRE_OK && measure(&t))
    rc = txt_oom(env);
  if (rc == QUIRE_OK) {
    size_t pw = prefix_width(w);
    size_t room = w->columns ? (w->columns > pw ? w->columns - pw : 1) : 0;
    rc = !t.overflow && fit(&t, room) ? write_grid(&t)
                                      : write_records(&t, room);
  }
  free(t.cells);
  free(t.rows);
  free(t.store);
  free(t.busy);
  free(t.width);
  free(t.minw);
  free(t.fit);
  free(t.col_align);
  free(t.slices);
  free(t.out);
  free(t.hdr);
  free(t.hdr_off);
  return rc;
}
