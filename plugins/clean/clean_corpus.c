/* clean_corpus.c - the first pass: in how many documents each block's text
 * occurs.
 *
 * A hash table of the blocks' normalized hashes (lower-case, digits
 * collapsed, whitespace collapsed: clean_words.c), each with the number of
 * documents holding it.  It is the only memory that grows with the corpus:
 * it starts small and doubles while it stays within the limit
 * max-corpus-memory; when it cannot grow, later texts are not added (said
 * once, with --verbose, at the end of the first pass) and the repetition signal sees only what was
 * counted.  Texts are told apart by their 64-bit hash alone: two texts
 * sharing one are rare enough not to matter for a signal. */
#include "clean.h"

#include <stdlib.h>
#include <string.h>

void clean_corpus_init(clean_corpus *c, uint64_t limit) {
  memset(c, 0, sizeof *c);
  c->limit = limit;
}

void clean_corpus_free(clean_corpus *c) {
  free(c->slots);
  c->slots = NULL;
}

static clean_corpus_slot *find(clean_corpus_slot *slots, size_t mask,
                               uint64_t h) {
  size_t i = (size_t)(h ^ (h >> 31)) & mask;
  while (slots[i].hash && slots[i].hash != h)
    i = (i + 1) & mask;
  return &slots[i];
}

/* Doubles the table, or returns QUIRE_DONE when the limit forbids it. */
static int grow(clean_corpus *c) {
  size_t cap = c->slots ? (c->mask + 1) * 2 : 4096;
  if ((uint64_t)cap * sizeof(clean_corpus_slot) > c->limit)
    return QUIRE_DONE;
  clean_corpus_slot *slots = calloc(cap, sizeof *slots);
  if (!slots)
    return QUIRE_FATAL;
  if (c->slots)
    for (size_t i = 0; i <= c->mask; i++)
      if (c->slots[i].hash)
        *find(slots, cap - 1, c->slots[i].hash) = c->slots[i];
  free(c->slots);
  c->slots = slots;
  c->mask = cap - 1;
  return QUIRE_OK;
}

void clean_corpus_next_doc(clean_corpus *c) { c->docs++; }

int clean_corpus_add(quire_env *env, clean_corpus *c, uint64_t h) {
  if (c->full)
    return QUIRE_OK;
  /* Keep the table at most 3/4 full. */
  if (!c->slots || (c->used + 1) * 4 > (c->mask + 1) * 3) {
    int rc = grow(c);
    if (rc == QUIRE_FATAL) {
      env->svc->error(env, NULL, "clean: out of memory");
      return QUIRE_FATAL;
    }
    if (rc == QUIRE_DONE) {
      c->full = c->docs;   /* said by clean_corpus_end */
      return QUIRE_OK;
    }
  }
  clean_corpus_slot *s = find(c->slots, c->mask, h);
  if (!s->hash) {
    s->hash = h;
    c->used++;
  }
  /* Each document counts once, however often it repeats the text. */
  if (s->last_doc != c->docs) {
    s->last_doc = c->docs;
    s->docs++;
  }
  return QUIRE_OK;
}

void clean_corpus_end(quire_env *env, clean_state *st) {
  const clean_corpus *c = &st->corpus;
  /* Said here, once: the core keeps the first pass quiet. */
  if (c->full)
    env->svc->info(env, NULL,
                   "clean: the table of repeated blocks filled up at document "
                   "%u of %u (limit max-corpus-memory=%llu); blocks of later "
                   "documents are not counted as repeated: raise it with "
                   "--limit max-corpus-memory=N",
                   c->full, c->docs, (unsigned long long)c->limit);
}

unsigned clean_corpus_count(const clean_corpus *c, uint64_t hash) {
  if (!c->slots || !hash)
    return 0;
  const clean_corpus_slot *s = find(c->slots, c->mask, hash);
  return s->hash ? s->docs : 0;
}
