/* lang_text.c - a document's text in reading order, as the lang transform
 * gives it to the identifier: prose only, up to LANG_SAMPLE_BYTES. */
#include "lang.h"

#include <string.h>

static int is_continuation(unsigned char c) { return (c & 0xC0) == 0x80; }

/* Appends n bytes of s; what does not fit is cut between characters, and
 * t is then full. */
static void put(lang_text *t, const char *s, size_t n) {
  size_t room = LANG_SAMPLE_BYTES - t->len;
  if (n > room) {
    n = room;
    while (n > 0 && is_continuation((unsigned char)s[n]))
      n--;
    t->full = 1;
  }
  memcpy(t->s + t->len, s, n);
  for (size_t i = 0; i < n; i++)
    t->chars += !is_continuation((unsigned char)s[i]);
  t->len += n;
  t->s[t->len] = '\0';
}

/* A space or newline between words of different nodes, never two. */
static void separate(lang_text *t, char c) {
  if (t->len > 0 && t->s[t->len - 1] != '\n' && t->s[t->len - 1] != ' ')
    put(t, &c, 1);
}

void lang_text_collect(const quire_services *svc, const quire_doc *doc,
                       lang_text *t) {
  t->len = 0;
  t->chars = 0;
  t->full = 0;
  t->s[0] = '\0';
  quire_iter it;
  const quire_node *skip = NULL;   /* an image whose alt text is skipped */
  svc->iter_init(&it, doc->root);
  while (!t->full && svc->iter_next(&it) != QUIRE_EV_DONE) {
    const quire_node *n = it.node;
    if (skip) {
      if (n == skip && it.event == QUIRE_EV_EXIT)
        skip = NULL;
      continue;
    }
    if (it.event != QUIRE_EV_ENTER)
      continue;
    switch (n->type) {
    case QUIRE_NODE_TEXT:
      if (n->text)
        put(t, n->text, n->len);
      break;
    case QUIRE_NODE_IMAGE:
      skip = n;
      break;
    case QUIRE_NODE_SOFT_BREAK:
    case QUIRE_NODE_LINE_BREAK:
      separate(t, ' ');
      break;
    /* Code, raw content and math are leaves: their text is not walked. */
    default:
      if (!svc->node_is_inline(n->type))
        separate(t, '\n');
      break;
    }
  }
}
