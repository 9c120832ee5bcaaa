/* strmap.h - a map from strings (or pairs of strings) to pointers, for the
 * plugins' lookup tables: open addressing with a 64-bit FNV-1a hash, so a
 * map of a million keys that differ only in a number stays fast (libxml2
 * 2.9's hash tables do not), seeded at random for each map, so that a
 * hostile input cannot choose keys that collide.  Keys are copied; values are borrowed and
 * never NULL. */
#ifndef QUIRE_STRMAP_H
#define QUIRE_STRMAP_H

#include <stddef.h>

typedef struct strmap strmap;

/* A new empty map, or NULL when memory is exhausted. */
strmap *strmap_new(void);
/* Frees the map and its key copies (not the values).  NULL is allowed. */
void strmap_free(strmap *m);

/* The value of key (or of the pair a, b), or NULL. */
void *strmap_get(const strmap *m, const char *key);
void *strmap_get2(const strmap *m, const char *a, const char *b);
/* Adds key with value when key is absent: 0; -1 when key is present (the
 * map is unchanged) or memory is exhausted. */
int strmap_add(strmap *m, const char *key, void *value);
int strmap_add2(strmap *m, const char *a, const char *b, void *value);
/* Sets key's value, adding key when absent: 0, or -1 (memory). */
int strmap_set(strmap *m, const char *key, void *value);

#endif
