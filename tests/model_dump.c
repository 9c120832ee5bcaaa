/* model_dump.c - a document as text (model_dump.h). */
#include "model_dump.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

typedef struct sbuf {
  char *s;
  size_t n, cap;
} sbuf;

static void add(sbuf *b, const char *s, size_t n) {
  if (b->n + n + 1 > b->cap) {
    b->cap = (b->n + n + 1) * 2;
    b->s = realloc(b->s, b->cap);
    assert_non_null(b->s);
  }
  memcpy(b->s + b->n, s, n);
  b->n += n;
  b->s[b->n] = '\0';
}

static void adds(sbuf *b, const char *s) { add(b, s, strlen(s)); }

static void addf(sbuf *b, const char *fmt, ...) {
  char line[256];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(line, sizeof line, fmt, ap);
  va_end(ap);
  adds(b, line);
}

static void field(sbuf *b, const char *name, const char *value) {
  if (!value)
    return;
  addf(b, " %s=", name);
  adds(b, value);
}

/* Text with runs of white space as one space (pandoc's Space). */
static void add_collapsed(sbuf *b, const char *s, size_t n) {
  for (size_t i = 0; i < n; i++) {
    int space = s[i] == ' ' || s[i] == '\t';
    if (space && i > 0 && (s[i - 1] == ' ' || s[i - 1] == '\t'))
      continue;
    add(b, space ? " " : s + i, 1);
  }
}

/* Nodes whose attributes pandoc keeps (an Attr of their own). */
static int pandoc_has_attr(quire_node_type t) {
  switch (t) {
  case QUIRE_NODE_HEADING: case QUIRE_NODE_CODE_BLOCK:
  case QUIRE_NODE_SECTION: case QUIRE_NODE_DIV: case QUIRE_NODE_SPAN:
  case QUIRE_NODE_LINK: case QUIRE_NODE_IMAGE: case QUIRE_NODE_CODE:
  case QUIRE_NODE_TABLE: case QUIRE_NODE_TABLE_HEAD:
  case QUIRE_NODE_TABLE_BODY: case QUIRE_NODE_TABLE_FOOT:
  case QUIRE_NODE_TABLE_ROW: case QUIRE_NODE_TABLE_CELL:
  case QUIRE_NODE_FIGURE:
    return 1;
  default:
    return 0;
  }
}

static int is_part(quire_node_type t) {
  return t == QUIRE_NODE_TABLE_HEAD || t == QUIRE_NODE_TABLE_BODY ||
         t == QUIRE_NODE_TABLE_FOOT;
}

static void node_line(sbuf *b, const quire_node *n, int depth, int pandoc) {
  addf(b, "%*s%s", depth * 2, "", quire_node_type_name(n->type));
  if (n->level)
    addf(b, " level=%d", n->level);
  if (n->start)
    addf(b, " start=%d", n->start);
  if (n->header && !(pandoc && n->type == QUIRE_NODE_TABLE_CELL))
    addf(b, " header=%d", n->header);
  if (n->align)
    addf(b, " align=%d", (int)n->align);
  if (n->kind)
    addf(b, " kind=%d", n->kind);
  if (n->tight)
    addf(b, " tight=%d", n->tight);
  if (n->style)
    addf(b, " style=%d", n->style);
  if (n->delim)
    addf(b, " delim=%d", n->delim);
  if (n->rowspan > 1)
    addf(b, " rowspan=%d", n->rowspan);
  if (n->colspan > 1)
    addf(b, " colspan=%d", n->colspan);
  if (n->width > 0)
    addf(b, " width=%.6g", (double)n->width);
  int attrs = !pandoc || pandoc_has_attr(n->type);
  if (pandoc && n->type == QUIRE_NODE_CODE_BLOCK) {
    /* The language is the first class. */
    adds(b, " classes=");
    if (n->info)
      adds(b, n->info);
    if (n->info && n->classes)
      adds(b, " ");
    if (n->classes)
      adds(b, n->classes);
  } else {
    field(b, "info", n->info);
    if (attrs)
      field(b, "class", n->classes);
  }
  if (attrs) {
    field(b, "id", n->id);
    for (const quire_meta *m = n->attrs; m; m = m->next) {
      addf(b, " @%s=", m->key);
      adds(b, m->value);
    }
  }
  field(b, "url", n->url);
  field(b, "title", n->title);
  if (n->text) {
    adds(b, " text=");
    if (pandoc && n->type == QUIRE_NODE_TEXT)
      add_collapsed(b, n->text, n->len);
    else
      add(b, n->text, n->len);
  }
  adds(b, "\n");
}

char *model_dump(const quire_doc *doc, unsigned flags) {
  int pandoc = (flags & DUMP_PANDOC) != 0;
  sbuf b = {0};
  adds(&b, "");
  /* Metadata sorted by key (pandoc sorts its meta), a key's values in
   * order. */
  size_t n = 0;
  for (const quire_meta *e = doc->meta; e; e = e->next)
    n++;
  const quire_meta **m = calloc(n ? n : 1, sizeof *m);
  assert_non_null(m);
  n = 0;
  for (const quire_meta *e = doc->meta; e; e = e->next)
    m[n++] = e;
  for (size_t i = 1; i < n; i++)
    for (size_t k = i; k > 0 && strcmp(m[k - 1]->key, m[k]->key) > 0; k--) {
      const quire_meta *t = m[k];
      m[k] = m[k - 1];
      m[k - 1] = t;
    }
  for (size_t i = 0; i < n; i++)
    addf(&b, "meta %s=%s\n", m[i]->key, m[i]->value);
  free(m);
  for (const quire_resource *r = pandoc ? NULL : doc->resources; r;
       r = r->next)
    addf(&b, "resource %s %s %llu%s\n", r->name, r->media_type, r->size,
         r->flags & QUIRE_RES_COVER ? " cover" : "");
  quire_iter it;
  quire_iter_init(&it, doc->root);
  int depth = 0;
  while (quire_iter_next(&it) != QUIRE_EV_DONE) {
    const quire_node *node = it.node;
    int shown = !(pandoc && is_part(node->type));
    if (it.event == QUIRE_EV_EXIT) {
      depth -= shown;
      continue;
    }
    if (!shown)
      continue;
    node_line(&b, node, depth, pandoc);
    if (!quire_node_is_leaf(node->type))
      depth++;
  }
  return b.s;
}

void model_dump_assert_same(const char *what, const char *a, const char *b) {
  if (strcmp(a, b) == 0)
    return;
  size_t i = 0, line = 1;
  while (a[i] && a[i] == b[i])
    line += a[i++] == '\n';
  size_t from = i;
  while (from > 0 && a[from - 1] != '\n')
    from--;
  fail_msg("%s: the documents differ at line %zu:\n  before: %.160s\n  "
           "after:  %.160s",
           what, line, a + from, b + from);
}
