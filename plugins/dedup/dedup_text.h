/* dedup_text.h - a document's text as dedup compares it: its TEXT, CODE
 * and CODE_BLOCK content in reading order, inline text run together, a
 * line break between blocks (so that no word is made of two blocks' ends)
 * and a space for a line break.  Shared by the dedup transform and the
 * command line's stream mode, so that both sign a document alike; the
 * walk goes through functions the caller gives (the services table in a
 * plugin, libquire's own functions in a program). */
#ifndef QUIRE_DEDUP_TEXT_H
#define QUIRE_DEDUP_TEXT_H

#include <quire/model.h>

#include <stddef.h>

/* How to walk a tree. */
typedef struct dedup_walk {
  void (*iter_init)(quire_iter *it, const quire_node *root);
  quire_event (*iter_next)(quire_iter *it);
  int (*node_is_inline)(quire_node_type t);
} dedup_walk;

/* A growable buffer of text, reused from document to document; owned by
 * its user, freed with dedup_text_free. */
typedef struct dedup_text {
  char *s;
  size_t len, cap;
} dedup_text;

/* Appends the text of the tree under root to t (not NUL-terminated).
 * 0, or -1 when memory is exhausted. */
int dedup_text_add(const dedup_walk *w, const quire_node *root,
                   dedup_text *t);
void dedup_text_free(dedup_text *t);

#endif
