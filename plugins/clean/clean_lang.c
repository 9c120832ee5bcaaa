/* clean_lang.c - the stopword index and the choice of a language.
 *
 * The index is built once, when the plugin loads, and only read after, so
 * transforms on several threads share it safely. */
#include "clean_lang.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/* Open addressing, linear probing, keyed by the word's 64-bit hash alone:
 * one memory access per lookup, the table no bigger than it must be (a
 * lookup per word of every document).  Two words sharing a 64-bit hash
 * would share their languages: rare enough not to matter for a signal. */
typedef struct stop_slot {
  uint64_t hash;            /* 0: empty */
  uint64_t langs;
} stop_slot;

struct clean_stopindex {
  stop_slot *slots;
  size_t mask;
};

uint64_t clean_word_hash(const char *w, size_t n) {
  uint64_t h = 1469598103934665603ull;
  for (size_t i = 0; i < n; i++)
    h = (h ^ (unsigned char)w[i]) * 1099511628211ull;
  return h ? h : 1;
}

static stop_slot *find_slot(const clean_stopindex *ix, uint64_t hash) {
  size_t i = (size_t)(hash ^ (hash >> 32)) & ix->mask;
  while (ix->slots[i].hash && ix->slots[i].hash != hash)
    i = (i + 1) & ix->mask;
  return &ix->slots[i];
}

clean_stopindex *clean_stopindex_new(void) {
  size_t n_langs = clean_n_stoplists < CLEAN_MAX_LANGS ? clean_n_stoplists
                                                       : CLEAN_MAX_LANGS;
  size_t total = 0;
  for (size_t l = 0; l < n_langs; l++)
    total += clean_stoplists[l].n;
  /* At most two thirds full (words shared by languages take one slot). */
  size_t cap = 16;
  while (cap * 2 < total * 3)
    cap *= 2;
  clean_stopindex *ix = calloc(1, sizeof *ix);
  if (!ix)
    return NULL;
  ix->slots = calloc(cap, sizeof *ix->slots);
  ix->mask = cap - 1;
  if (!ix->slots) {
    clean_stopindex_free(ix);
    return NULL;
  }
  for (size_t l = 0; l < n_langs; l++)
    for (size_t k = 0; k < clean_stoplists[l].n; k++) {
      const char *w = clean_stoplists[l].words[k];
      uint64_t h = clean_word_hash(w, strlen(w));
      stop_slot *s = find_slot(ix, h);
      s->hash = h;
      s->langs |= (uint64_t)1 << l;
    }
  return ix;
}

void clean_stopindex_free(clean_stopindex *ix) {
  if (!ix)
    return;
  free(ix->slots);
  free(ix);
}

uint64_t clean_stopindex_get(const clean_stopindex *ix, uint64_t hash) {
  return find_slot(ix, hash)->langs;
}

int clean_lang_find(const char *tag) {
  if (!tag)
    return -1;
  char code[4];
  size_t n = 0;
  while (tag[n] && tag[n] != '-' && tag[n] != '_' && n < 3) {
    code[n] = (char)tolower((unsigned char)tag[n]);
    n++;
  }
  if (n < 2 || (tag[n] && tag[n] != '-' && tag[n] != '_'))
    return -1;
  code[n] = 0;
  /* Tags that name a language by another code than ISO 639-1. */
  if (strcmp(code, "nb") == 0 || strcmp(code, "nn") == 0)
    strcpy(code, "no");
  for (size_t l = 0; l < clean_n_stoplists && l < CLEAN_MAX_LANGS; l++)
    if (strcmp(clean_stoplists[l].code, code) == 0)
      return (int)l;
  return -1;
}

static int cmp_word(const void *key, const void *elem) {
  return strcmp(key, *(const char *const *)elem);
}

int clean_lang_is_stopword(int lang, const char *w, size_t n) {
  char buf[64];
  if (lang < 0 || (size_t)lang >= clean_n_stoplists || n >= sizeof buf)
    return 0;
  memcpy(buf, w, n);
  buf[n] = 0;
  const clean_stoplist *l = &clean_stoplists[lang];
  return bsearch(buf, l->words, l->n, sizeof *l->words, cmp_word) != NULL;
}

int clean_lang_guess(const unsigned *counts, unsigned total) {
  int best = -1;
  unsigned best_n = 0;
  for (size_t l = 0; l < clean_n_stoplists && l < CLEAN_MAX_LANGS; l++)
    if (counts[l] > best_n) {
      best_n = counts[l];
      best = (int)l;
    }
  if (best < 0 || total == 0 || (double)best_n / total < CLEAN_LANG_MIN_SHARE)
    return -1;
  return best;
}
