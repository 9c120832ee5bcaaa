/* lang_text.c - a document's text in reading order, as the lang transform
 * gives it to the identifier: prose first, up to a limit. */
#include "lang.h"

#include <string.h>

static int is_continuation(unsigned char c) { return (c & 0xC0) == 0x80; }

/* Appends n bytes of s; what does not fit is cut between characters, and
 * t is then full. */
static void put(lang_text *t, const char *s, size_t n) {
  size_t room = t->limit - t->len;
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

/* Blocks whose text may be left out of the first pass, and the bytes of
 * text that make one of them prose. */
static int is_text_block(quire_node_type type) {
  return type == QUIRE_NODE_PARAGRAPH || type == QUIRE_NODE_HEADING ||
         type == QUIRE_NODE_TABLE_CELL || type == QUIRE_NODE_LINE ||
         type == QUIRE_NODE_TERM;
}

/* One pass over doc: every text block's text, or, with prose_only, only
 * that of blocks of at least LANG_PROSE_BYTES. */
static void collect(const quire_services *svc, const quire_doc *doc,
                    lang_text *t, int prose_only) {
  t->len = 0;
  t->chars = 0;
  t->full = 0;
  t->s[0] = '\0';
  quire_iter it;
  const quire_node *skip = NULL;   /* an image whose alt text is skipped */
  size_t block_len = 0, block_chars = 0;   /* where the text block began */
  svc->iter_init(&it, doc->root);
  while (!t->full && svc->iter_next(&it) != QUIRE_EV_DONE) {
    const quire_node *n = it.node;
    if (skip) {
      if (n == skip && it.event == QUIRE_EV_EXIT)
        skip = NULL;
      continue;
    }
    if (it.event == QUIRE_EV_EXIT) {
      if (prose_only && is_text_block(n->type) &&
          t->len - block_len < LANG_PROSE_BYTES) {
        t->len = block_len;   /* a menu item, a by-line: not prose */
        t->chars = block_chars;
        t->s[t->len] = '\0';
      }
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
      if (is_text_block(n->type)) {
        block_len = t->len;
        block_chars = t->chars;
      }
      break;
    }
  }
}

void lang_text_collect(const quire_services *svc, const quire_doc *doc,
                       lang_text *t, size_t limit) {
  t->limit = limit < LANG_SAMPLE_MAX ? limit : LANG_SAMPLE_MAX;
  collect(svc, doc, t, 1);
  if (t->chars < LANG_MIN_CHARS)
    collect(svc, doc, t, 0);   /* no prose: whatever text there is */
}
