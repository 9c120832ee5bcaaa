/* doc_impl.h - the core's side of a document: what follows quire_doc. */
#ifndef QUIRE_CORE_DOC_IMPL_H
#define QUIRE_CORE_DOC_IMPL_H

#include <quire/model.h>

typedef struct doc_impl {
  quire_doc pub;               /* first, so a quire_doc * is a doc_impl * */
  unsigned long long res_memory;  /* resource bytes held in memory */
  quire_resource *res_tail;    /* last of pub.resources, for appending */
} doc_impl;

/* Appends src's resources to dst's list (the arenas are merged apart). */
void resource_adopt(quire_doc *dst, quire_doc *src);

#endif
