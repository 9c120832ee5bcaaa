/* doc_dump.c - a document's block structure as one line, for assertions. */
#include "doc_dump.h"

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

char *doc_dump(const quire_doc *doc) {
  sbuf b = {0};
  adds(&b, "");
  quire_iter it;
  quire_iter_init(&it, doc->root);
  int blocks = 0;
  while (quire_iter_next(&it) != QUIRE_EV_DONE) {
    const quire_node *n = it.node;
    int enter = it.event == QUIRE_EV_ENTER;
    char tag[32] = "";
    switch (n->type) {
    case QUIRE_NODE_HEADING:
      snprintf(tag, sizeof tag, "H%d:", n->level);
      break;
    case QUIRE_NODE_PARAGRAPH:
      if (n->parent && n->parent->type == QUIRE_NODE_ITEM)
        break;
      snprintf(tag, sizeof tag, "P:");
      break;
    case QUIRE_NODE_BULLET_LIST:
      snprintf(tag, sizeof tag, enter ? "UL[" : "]");
      break;
    case QUIRE_NODE_ORDERED_LIST:
      if (enter)
        snprintf(tag, sizeof tag, "OL%d[", n->start);
      else
        snprintf(tag, sizeof tag, "]");
      break;
    case QUIRE_NODE_ITEM:
      if (enter && n->prev)
        adds(&b, "}{");
      break;
    case QUIRE_NODE_THEMATIC_BREAK:
      snprintf(tag, sizeof tag, "HR");
      break;
    case QUIRE_NODE_TEXT:
      add(&b, n->text, n->len);
      break;
    case QUIRE_NODE_SOFT_BREAK:
      adds(&b, "~");
      break;
    case QUIRE_NODE_LINE_BREAK:
      adds(&b, "\\n");
      break;
    default:
      break;
    }
    int top = n->parent == doc->root;
    if (tag[0] && (enter || tag[0] == ']')) {
      if (top && enter && blocks++)
        adds(&b, "|");
      adds(&b, tag);
    }
  }
  return b.s;
}

quire_doc *doc_read(quire_session *s, const char *path, const char *from) {
  quire_reader *r = NULL;
  if (quire_reader_open(s, path, from, NULL, &r) != QUIRE_OK)
    fail_msg("%s: %s", path, quire_error_get(s)->message);
  quire_doc *doc = NULL;
  if (quire_reader_next(r, &doc) != QUIRE_OK)
    fail_msg("%s: %s", path, quire_error_get(s)->message);
  quire_reader_free(r);
  return doc;
}
