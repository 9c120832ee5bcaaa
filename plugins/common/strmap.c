/* strmap.c - a string map with open addressing; see strmap.h. */
#define _DEFAULT_SOURCE   /* getentropy */
#include "strmap.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

typedef struct slot {
  char *key;        /* a pair is stored as "a\0b": len counts both parts */
  size_t len;
  uint64_t hash;
  void *value;
} slot;

struct strmap {
  slot *slots;
  size_t cap;       /* a power of two */
  size_t count;
  uint64_t seed;    /* random, so that no input can choose colliding keys */
};

static uint64_t fnv1a(uint64_t seed, const char *s, size_t n) {
  uint64_t h = 14695981039346656037ull ^ seed;
  for (size_t i = 0; i < n; i++) {
    h ^= (unsigned char)s[i];
    h *= 1099511628211ull;
  }
  return h ^ (h >> 29);   /* the low bits pick the slot: fold the high */
}

/* The keys of a book (ids, file names) are the book's author's to choose:
 * with a known hash, a forged book could put thousands in one run of
 * slots and make each lookup walk them all.  The seed keeps the slots
 * unknown (from the kernel; else from the clock and the map's address). */
static uint64_t new_seed(const strmap *m) {
  uint64_t seed;
  if (getentropy(&seed, sizeof seed) == 0)
    return seed;
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return ((uint64_t)t.tv_nsec << 32 ^ (uint64_t)t.tv_sec ^ (uintptr_t)m) *
         0x9E3779B97F4A7C15ull;
}

strmap *strmap_new(void) {
  strmap *m = calloc(1, sizeof *m);
  if (m && !(m->slots = calloc(m->cap = 64, sizeof *m->slots))) {
    free(m);
    return NULL;
  }
  if (m)
    m->seed = new_seed(m);
  return m;
}

void strmap_free(strmap *m) {
  if (!m)
    return;
  for (size_t i = 0; i < m->cap; i++)
    free(m->slots[i].key);
  free(m->slots);
  free(m);
}

/* The slot of key k[0..n) with hash h: its own, or the empty one where it
 * would go. */
static slot *find(const strmap *m, const char *k, size_t n, uint64_t h) {
  size_t mask = m->cap - 1;
  for (size_t i = (size_t)h & mask;; i = (i + 1) & mask) {
    slot *s = &m->slots[i];
    if (!s->key || (s->hash == h && s->len == n && memcmp(s->key, k, n) == 0))
      return s;
  }
}

static int grow(strmap *m) {
  size_t cap = m->cap * 2;
  slot *old = m->slots, *slots = calloc(cap, sizeof *slots);
  if (!slots)
    return -1;
  size_t old_cap = m->cap;
  m->slots = slots;
  m->cap = cap;
  for (size_t i = 0; i < old_cap; i++)
    if (old[i].key)
      *find(m, old[i].key, old[i].len, old[i].hash) = old[i];
  free(old);
  return 0;
}

/* Puts k[0..n): replace non-zero sets an existing key's value. */
static int put(strmap *m, const char *k, size_t n, void *value, int replace) {
  uint64_t h = fnv1a(m->seed, k, n);
  slot *s = find(m, k, n, h);
  if (s->key) {
    if (!replace)
      return -1;
    s->value = value;
    return 0;
  }
  if ((m->count + 1) * 4 > m->cap * 3) {   /* at most three quarters full */
    if (grow(m) != 0)
      return -1;
    s = find(m, k, n, h);
  }
  if (!(s->key = malloc(n + 1)))
    return -1;
  memcpy(s->key, k, n);
  s->key[n] = '\0';
  s->len = n;
  s->hash = h;
  s->value = value;
  m->count++;
  return 0;
}

static void *get(const strmap *m, const char *k, size_t n) {
  slot *s = find(m, k, n, fnv1a(m->seed, k, n));
  return s->key ? s->value : NULL;
}

/* "a\0b" in a malloc'd buffer, its length in *n; NULL on memory. */
static char *pair(const char *a, const char *b, size_t *n) {
  size_t la = strlen(a), lb = strlen(b);
  char *k = malloc(la + lb + 2);
  if (k) {
    memcpy(k, a, la + 1);
    memcpy(k + la + 1, b, lb + 1);
    *n = la + 1 + lb;
  }
  return k;
}

void *strmap_get(const strmap *m, const char *key) {
  return get(m, key, strlen(key));
}

int strmap_add(strmap *m, const char *key, void *value) {
  return put(m, key, strlen(key), value, 0);
}

int strmap_set(strmap *m, const char *key, void *value) {
  return put(m, key, strlen(key), value, 1);
}

void *strmap_get2(const strmap *m, const char *a, const char *b) {
  size_t n;
  char *k = pair(a, b, &n);
  void *v = k ? get(m, k, n) : NULL;
  free(k);
  return v;
}

int strmap_add2(strmap *m, const char *a, const char *b, void *value) {
  size_t n;
  char *k = pair(a, b, &n);
  int rc = k ? put(m, k, n, value, 0) : -1;
  free(k);
  return rc;
}
