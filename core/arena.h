/* arena.h - bump allocation for one document's nodes and strings. */
#ifndef QUIRE_CORE_ARENA_H
#define QUIRE_CORE_ARENA_H

#include <stddef.h>

typedef struct quire_arena quire_arena;

/* A new empty arena, or NULL when memory is exhausted. */
quire_arena *arena_new(void);
/* Frees the arena and everything allocated in it.  NULL is allowed. */
void arena_free(quire_arena *a);
/* size zeroed bytes aligned for any type, or NULL when memory is exhausted.
 * The memory lives until arena_free(). */
void *arena_alloc(quire_arena *a, size_t size);

/* Runs fn(data) when the arena is freed (after any hook registered later,
 * before its memory goes).  QUIRE_ERR-style -1 when memory is exhausted,
 * else 0.  The hook moves with arena_merge. */
int arena_on_free(quire_arena *a, void (*fn)(void *data), void *data);

/* Moves every block of src into dst and frees src: what was allocated in
 * src now lives until arena_free(dst). */
void arena_merge(quire_arena *dst, quire_arena *src);

#endif
