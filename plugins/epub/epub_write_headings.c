/* epub_write_headings.c - the headings of a chapter, as the table of
 * contents lists them.
 *
 * The chapter's body is written by the xhtml writer (--embed=PREFIX),
 * which gives every heading the id PREFIX-hN, N counting the headings of
 * the document in order.  The TOC links to those ids, so this walk counts
 * the same way, and gathers the same plain text the writer would: the text
 * of every leaf under the heading (text, code, raw inline, an image's alt
 * text), a line or soft break counting as one space. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "epub_write.h"

static int add(epub_heading_buf *b, const char *s, size_t n) {
  if (b->len + n + 1 > b->cap) {
    size_t cap = b->cap ? b->cap : 256;
    while (cap < b->len + n + 1)
      cap *= 2;
    char *grown = realloc(b->text, cap);
    if (!grown)
      return QUIRE_FATAL;
    b->text = grown;
    b->cap = cap;
  }
  memcpy(b->text + b->len, s, n);
  b->text[b->len += n] = '\0';
  return QUIRE_OK;
}

int epub_headings(quire_env *env, epub_heading_buf *buf, const quire_doc *doc,
                  const char *prefix, epub_heading_fn fn, void *user) {
  const quire_services *svc = env->svc;
  const quire_node *heading = NULL;   /* the one being gathered */
  unsigned count = 0;
  char id[64];
  quire_iter it;
  svc->iter_init(&it, doc->root);
  while (svc->iter_next(&it) != QUIRE_EV_DONE) {
    const quire_node *n = it.node;
    if (n->type == QUIRE_NODE_HEADING && !heading &&
        it.event == QUIRE_EV_ENTER) {
      heading = n;
      buf->len = 0;
      snprintf(id, sizeof id, "%s-h%u", prefix, ++count);
      continue;
    }
    if (!heading)
      continue;
    if (n == heading) {   /* its exit */
      int level = n->level < 1 ? 1 : n->level > 6 ? 6 : n->level;
      int rc = fn(user, level, id, buf->len ? buf->text : "", buf->len);
      if (rc != QUIRE_OK)
        return rc;
      heading = NULL;
      continue;
    }
    if (it.event != QUIRE_EV_ENTER)
      continue;
    int rc = QUIRE_OK;
    if (n->type == QUIRE_NODE_SOFT_BREAK || n->type == QUIRE_NODE_LINE_BREAK)
      rc = add(buf, " ", 1);
    else if (svc->node_is_leaf(n->type) && n->text && n->len)
      rc = add(buf, n->text, n->len);
    if (rc != QUIRE_OK) {
      svc->error(env, NULL, "out of memory");
      return rc;
    }
  }
  return QUIRE_OK;
}
