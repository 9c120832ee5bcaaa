/* model.c - documents, nodes and metadata, all in the document's arena. */
#include <quire/quire.h>

#include <stdlib.h>
#include <string.h>

#include "arena.h"

quire_doc *quire_doc_new(void) {
  quire_arena *a = arena_new();
  if (!a)
    return NULL;
  quire_doc *doc = arena_alloc(a, sizeof *doc);
  if (!doc) {
    arena_free(a);
    return NULL;
  }
  doc->arena = a;
  doc->root = quire_node_new(doc, QUIRE_NODE_DOCUMENT);
  if (!doc->root) {
    arena_free(a);
    return NULL;
  }
  return doc;
}

void quire_doc_free(quire_doc *doc) {
  if (doc)
    arena_free(doc->arena);   /* the doc itself lives in its arena */
}

void *quire_doc_alloc(quire_doc *doc, size_t size) {
  return arena_alloc(doc->arena, size);
}

char *quire_doc_strndup(quire_doc *doc, const char *s, size_t n) {
  if (n == SIZE_MAX)
    return NULL;
  char *p = arena_alloc(doc->arena, n + 1);
  if (p && n)
    memcpy(p, s, n);
  return p;   /* arena memory is zeroed: p[n] is already NUL */
}

quire_node *quire_node_new(quire_doc *doc, quire_node_type type) {
  quire_node *n = arena_alloc(doc->arena, sizeof *n);
  if (n)
    n->type = type;
  return n;
}

quire_node *quire_node_new_text(quire_doc *doc, quire_node_type type,
                                const char *s, size_t len) {
  quire_node *n = quire_node_new(doc, type);
  if (!n)
    return NULL;
  char *copy = quire_doc_strndup(doc, s, len);
  if (!copy)
    return NULL;
  n->text = copy;
  n->len = len;
  return n;
}

void quire_node_unlink(quire_node *n) {
  if (n->prev)
    n->prev->next = n->next;
  else if (n->parent)
    n->parent->first_child = n->next;
  if (n->next)
    n->next->prev = n->prev;
  else if (n->parent)
    n->parent->last_child = n->prev;
  n->parent = n->prev = n->next = NULL;
}

void quire_node_append(quire_node *parent, quire_node *child) {
  quire_node_unlink(child);
  child->parent = parent;
  child->prev = parent->last_child;
  if (parent->last_child)
    parent->last_child->next = child;
  else
    parent->first_child = child;
  parent->last_child = child;
}

const char *quire_meta_get(const quire_meta *list, const char *key) {
  for (const quire_meta *m = list; m; m = m->next)
    if (strcmp(m->key, key) == 0)
      return m->value;
  return NULL;
}

int quire_meta_add(quire_doc *doc, const char *key, const char *value) {
  quire_meta *m = quire_doc_alloc(doc, sizeof *m);
  if (!m)
    return QUIRE_ERR;
  m->key = quire_doc_strndup(doc, key, strlen(key));
  m->value = quire_doc_strndup(doc, value, strlen(value));
  if (!m->key || !m->value)
    return QUIRE_ERR;
  quire_meta **tail = &doc->meta;
  while (*tail)
    tail = &(*tail)->next;
  *tail = m;
  return QUIRE_OK;
}

int quire_meta_set(quire_doc *doc, const char *key, const char *value) {
  quire_meta **p = &doc->meta;
  while (*p) {
    if (strcmp((*p)->key, key) == 0)
      *p = (*p)->next;   /* the entry stays in the arena, unreachable */
    else
      p = &(*p)->next;
  }
  return quire_meta_add(doc, key, value);
}
