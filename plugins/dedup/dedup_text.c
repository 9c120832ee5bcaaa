/* dedup_text.c - a document's text as dedup compares it (dedup_text.h). */
#include "dedup_text.h"

#include <stdlib.h>
#include <string.h>

static int put(dedup_text *t, const char *s, size_t n) {
  if (n > t->cap - t->len) {
    size_t cap = t->cap ? t->cap : 4096;
    while (cap - t->len < n)
      cap *= 2;
    char *grown = realloc(t->s, cap);
    if (!grown)
      return -1;
    t->s = grown;
    t->cap = cap;
  }
  if (n)
    memcpy(t->s + t->len, s, n);
  t->len += n;
  return 0;
}

int dedup_text_add(const dedup_walk *w, const quire_node *root,
                   dedup_text *t) {
  int rc = 0;
  quire_iter it;
  w->iter_init(&it, root);
  while (rc == 0 && w->iter_next(&it) != QUIRE_EV_DONE) {
    if (it.event != QUIRE_EV_ENTER)
      continue;
    const quire_node *n = it.node;
    switch (n->type) {
    case QUIRE_NODE_TEXT:
    case QUIRE_NODE_CODE:
      rc = put(t, n->text, n->text ? n->len : 0);
      break;
    case QUIRE_NODE_CODE_BLOCK:
      rc = put(t, "\n", 1);
      if (rc == 0)
        rc = put(t, n->text, n->text ? n->len : 0);
      if (rc == 0)
        rc = put(t, "\n", 1);
      break;
    case QUIRE_NODE_SOFT_BREAK:
    case QUIRE_NODE_LINE_BREAK:
      rc = put(t, " ", 1);
      break;
    default:
      if (!w->node_is_inline(n->type))
        rc = put(t, "\n", 1);
      break;
    }
  }
  return rc;
}

void dedup_text_free(dedup_text *t) {
  free(t->s);
  *t = (dedup_text){0};
}
