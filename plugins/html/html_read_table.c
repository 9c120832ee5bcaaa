/* html_read_table.c - the parts of an HTML table that the walk does not
 * make as it goes: columns from <col> and <colgroup>, cell spans and
 * alignment, and the final order of the table's parts (the model wants
 * CAPTION, TABLE_COLUMNs, TABLE_HEAD, TABLE_BODYs, TABLE_FOOT; HTML 4
 * put <tfoot> before <tbody>, and many pages have no <thead> but a first
 * row of <th>). */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "html_read_build.h"

#define MAX_SPAN 1000   /* HTML's own limit for colspan and span */
#define MAX_ROWSPAN 65534

/* The value of CSS property `prop` in a style attribute, or NULL: the
 * property must start the declaration ("width" is not "min-width"). */
static const char *css_value(const char *style, const char *prop) {
  size_t n = strlen(prop);
  for (const char *p = style; p && *p; p++) {
    if (strncasecmp(p, prop, n) != 0)
      continue;
    if (p != style && !strchr("; \t\n\r", p[-1]))
      continue;
    const char *v = p + n;
    v += strspn(v, " \t\n\r");
    if (*v != ':')
      continue;
    v++;
    return v + strspn(v, " \t\n\r");
  }
  return NULL;
}

quire_align hb_align_of(builder *b, const xmlNode *el) {
  const char *a = hb_attr(b, el, "align");
  if (!a) {
    const char *style = hb_attr(b, el, "style");
    a = style ? css_value(style, "text-align") : NULL;
  }
  if (!a)
    return QUIRE_ALIGN_NONE;
  if (strncasecmp(a, "left", 4) == 0 || strncasecmp(a, "start", 5) == 0)
    return QUIRE_ALIGN_LEFT;
  if (strncasecmp(a, "center", 6) == 0)
    return QUIRE_ALIGN_CENTER;
  if (strncasecmp(a, "right", 5) == 0 || strncasecmp(a, "end", 3) == 0)
    return QUIRE_ALIGN_RIGHT;
  return QUIRE_ALIGN_NONE;
}

/* A column's share of the table's width: only a percentage says it. */
static double width_of(builder *b, const xmlNode *el) {
  const char *w = hb_attr(b, el, "width");
  if (!w) {
    const char *style = hb_attr(b, el, "style");
    w = style ? css_value(style, "width") : NULL;
  }
  if (!w)
    return 0;
  char *end;
  double v = strtod(w, &end);
  end += strspn(end, " \t");
  if (*end != '%' || !(v > 0))
    return 0;
  return v >= 100 ? 1 : v / 100;
}

static long number(builder *b, const xmlNode *el, const char *name, long min,
                   long max, long none) {
  const char *s = hb_attr(b, el, name);
  if (!s)
    return none;
  long v = strtol(s, NULL, 10);
  return v < min ? min : v > max ? max : v;
}

unsigned hb_columns(builder *b, quire_node *table, const xmlNode *el) {
  long span = number(b, el, "span", 1, MAX_SPAN, 1);
  quire_align align = hb_align_of(b, el);
  double width = width_of(b, el);
  for (long i = 0; i < span; i++) {
    quire_node *c = hb_add(b, table, QUIRE_NODE_TABLE_COLUMN);
    if (!c)
      return (unsigned)i;
    c->align = align;
    c->width = width;
    if (i == 0)
      hb_keep_attrs(b, c, el, NULL);
  }
  return (unsigned)span;
}

void hb_cell(builder *b, quire_node *cell, const xmlNode *el) {
  cell->align = hb_align_of(b, el);
  cell->colspan = (int)number(b, el, "colspan", 1, MAX_SPAN, 1);
  /* rowspan="0" reaches the end of its part; one row is the safe reading */
  cell->rowspan = (int)number(b, el, "rowspan", 1, MAX_ROWSPAN, 1);
  cell->header = strcasecmp((const char *)el->name, "th") == 0;
  hb_keep_attrs(b, cell, el, NULL);
}

int hb_cell_has_blocks(const xmlNode *el) {
  for (const xmlNode *c = el->children; c; c = c->next) {
    if (c->type != XML_ELEMENT_NODE)
      continue;
    int k = hb_kind_of(c);
    if (k == K_BLOCK || k == K_NAV || (k >= K_SECTION && k <= K_COL &&
                                       k != K_TERM && k != K_COL))
      return 1;
  }
  return 0;
}

/* ---- Finishing ------------------------------------------------------------ */

static int all_heading_cells(const quire_node *row) {
  if (!row || !row->first_child)
    return 0;
  for (const quire_node *c = row->first_child; c; c = c->next)
    if (c->type != QUIRE_NODE_TABLE_CELL || !c->header)
      return 0;
  return 1;
}

/* Moves the rows of part `from` to the end of part `to`. */
static void move_rows(builder *b, quire_node *to, quire_node *from) {
  while (from->first_child && !b->failed)
    hb_attach(b, to, from->first_child);
}

/* Appends part p (a head, body or foot) to table, its rows marked as
 * heading rows or not; an empty part is dropped. */
static void place(builder *b, quire_node *table, quire_node *p, int *rows) {
  if (!p || b->failed)
    return;
  if (!p->first_child) {
    b->svc->node_unlink(p);
    return;
  }
  for (quire_node *r = p->first_child; r; r = r->next)
    r->header = p->type == QUIRE_NODE_TABLE_HEAD;
  hb_attach(b, table, p);
  *rows = 1;
}

int hb_table_finish(builder *b, quire_node *table) {
  const quire_services *svc = b->svc;
  size_t n = 0;
  for (quire_node *c = table->first_child; c; c = c->next)
    n++;
  quire_node **parts = malloc((n ? n : 1) * sizeof *parts);
  if (!parts) {
    b->failed = 1;
    return 1;
  }
  n = 0;
  for (quire_node *c = table->first_child; c; c = c->next)
    parts[n++] = c;
  quire_node *caption = NULL, *head = NULL, *foot = NULL, *first_body = NULL;
  /* One head and one foot: the rows of any other join them. */
  for (size_t i = 0; i < n; i++) {
    quire_node *p = parts[i];
    quire_node **one = p->type == QUIRE_NODE_TABLE_HEAD   ? &head
                       : p->type == QUIRE_NODE_TABLE_FOOT ? &foot
                                                          : NULL;
    if (p->type == QUIRE_NODE_CAPTION && !caption)
      caption = p;
    else if (p->type == QUIRE_NODE_TABLE_BODY && !first_body &&
             p->first_child)
      first_body = p;
    if (!one)
      continue;
    if (*one) {
      move_rows(b, *one, p);
      parts[i] = NULL;
      svc->node_unlink(p);
    } else
      *one = p;
  }
  /* No head (or an empty <thead>), but a first row of heading cells:
   * that row is the head. */
  if ((!head || !head->first_child) && first_body &&
      all_heading_cells(first_body->first_child) &&
      (head || (head = hb_add(b, NULL, QUIRE_NODE_TABLE_HEAD)) != NULL))
    hb_attach(b, head, first_body->first_child);
  /* The model's order; an empty part goes. */
  int rows = 0;
  if (caption && caption->first_child)
    hb_attach(b, table, caption);
  else if (caption)
    svc->node_unlink(caption);
  for (size_t i = 0; i < n; i++)
    if (parts[i] && parts[i]->type == QUIRE_NODE_TABLE_COLUMN)
      hb_attach(b, table, parts[i]);
  place(b, table, head, &rows);
  for (size_t i = 0; i < n; i++)
    if (parts[i] && parts[i]->type == QUIRE_NODE_TABLE_BODY)
      place(b, table, parts[i], &rows);
  place(b, table, foot, &rows);
  free(parts);
  return !rows;
}
