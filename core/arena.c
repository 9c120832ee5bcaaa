/* arena.c - bump allocation for one document's nodes and strings.
 *
 * Blocks grow geometrically up to 1 MiB so a small document costs one small
 * block and a large one a few big ones; an allocation larger than a block
 * gets a block of its own. */
#include "arena.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define ARENA_FIRST_BLOCK 1024
#define ARENA_MAX_BLOCK (1u << 20)
#define ARENA_ALIGN 16

typedef struct arena_block {
  struct arena_block *prev;
  size_t size;   /* usable bytes after the header */
  size_t used;
} arena_block;

typedef struct arena_hook {
  struct arena_hook *next;
  void (*fn)(void *data);
  void *data;
} arena_hook;

struct quire_arena {
  arena_block *head;
  size_t next_size;
  arena_hook *hooks;   /* newest first; they live in the arena */
};

static size_t header_size(void) {
  return (sizeof(arena_block) + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
}

quire_arena *arena_new(void) {
  quire_arena *a = calloc(1, sizeof *a);
  if (a)
    a->next_size = ARENA_FIRST_BLOCK;
  return a;
}

void arena_free(quire_arena *a) {
  if (!a)
    return;
  for (arena_hook *h = a->hooks; h; h = h->next)
    h->fn(h->data);
  arena_block *b = a->head;
  while (b) {
    arena_block *prev = b->prev;
    free(b);
    b = prev;
  }
  free(a);
}

static arena_block *arena_grow(quire_arena *a, size_t need) {
  size_t size = a->next_size;
  if (size < need)
    size = need;
  if (size > SIZE_MAX - header_size())
    return NULL;
  arena_block *b = malloc(header_size() + size);
  if (!b)
    return NULL;
  b->size = size;
  b->used = 0;
  if (a->head && need > a->next_size) {
    /* An oversized block goes under the current one, which keeps its room. */
    b->prev = a->head->prev;
    a->head->prev = b;
  } else {
    b->prev = a->head;
    a->head = b;
    if (a->next_size < ARENA_MAX_BLOCK)
      a->next_size *= 2;
  }
  return b;
}

void *arena_alloc(quire_arena *a, size_t size) {
  if (size == 0)
    size = 1;
  if (size > SIZE_MAX - ARENA_ALIGN)
    return NULL;
  size = (size + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
  arena_block *b = a->head;
  if (!b || b->size - b->used < size) {
    b = arena_grow(a, size);
    if (!b)
      return NULL;
  }
  char *p = (char *)b + header_size() + b->used;
  b->used += size;
  memset(p, 0, size);
  return p;
}

int arena_on_free(quire_arena *a, void (*fn)(void *data), void *data) {
  arena_hook *h = arena_alloc(a, sizeof *h);
  if (!h)
    return -1;
  h->fn = fn;
  h->data = data;
  h->next = a->hooks;
  a->hooks = h;
  return 0;
}

void arena_merge(quire_arena *dst, quire_arena *src) {
  if (src->hooks) {
    arena_hook *last = src->hooks;
    while (last->next)
      last = last->next;
    last->next = dst->hooks;
    dst->hooks = src->hooks;
  }
  /* src's blocks go under dst's current block, which keeps its room. */
  arena_block *last = src->head;
  while (last && last->prev)
    last = last->prev;
  if (last) {
    if (dst->head) {
      last->prev = dst->head->prev;
      dst->head->prev = src->head;
    } else
      dst->head = src->head;
  }
  free(src);
}
