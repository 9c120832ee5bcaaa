/* dedup_index.c - locality-sensitive hashing of MinHash signatures (see
 * dedup_index.h).
 *
 * The first DEDUP_BANDS * r bins of a signature form DEDUP_BANDS bands of
 * r rows; a band's key is a 32-bit hash of its rows' full minima and its
 * number.  Two documents of similarity s share a band key with
 * probability s^r, and at least one of the bands with 1 - (1 - s^r)^b:
 * the S-curve that makes pairs above the threshold candidates and leaves
 * most pairs far below it out.  Each candidate is then judged by the
 * similarity its signature's DEDUP_BINS bytes estimate, so band keys that
 * agree by chance (2^-32 per pair and band) cost a comparison, never a
 * wrong answer.
 *
 * Storage: signature bytes, exact hashes and the caller's numbers in
 * arrays by item (the order of insertion); band keys in one open-addressed
 * table of (key, item) pairs with linear probing, the slot chosen by the
 * key itself, so the table can grow without the signatures' minima.  A
 * key shared by BUCKET_MAX items takes no more: texts that common (a
 * boilerplate paragraph shared by many short pages) would make every
 * query that meets them compare against all of them; such items are still
 * found through their other bands. */
#include "dedup_index.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Items a band key may hold. */
#define BUCKET_MAX 64
/* Band collision probability wanted for a pair at the threshold. */
#define BAND_RECALL 0.999

typedef struct slot {
  uint32_t key;             /* 0: empty */
  uint32_t item;
} slot;

struct dedup_index {
  double threshold;
  unsigned rows;
  uint8_t *codes;           /* DEDUP_BINS bytes per item */
  uint64_t *exact;          /* 2 per item */
  uint32_t *docs;           /* the caller's number of each item */
  size_t n, cap;
  slot *table;
  unsigned bits;            /* the table has 1 << bits slots */
  size_t used;
};

static size_t table_size(const dedup_index *x) {
  return (size_t)1 << x->bits;
}

/* Whether one more item's keys would fill the table past 7/8: linear
 * probing then looks through about 30 slots (four cache lines) for a key
 * that is not there, which a query does once per band. */
static int full(const dedup_index *x) {
  return (x->used + DEDUP_BANDS) * 8 > table_size(x) * 7;
}

static size_t home(uint32_t key, unsigned bits) {
  return (size_t)((key * UINT64_C(0x9e3779b97f4a7c15)) >> (64 - bits));
}

static uint64_t fmix64(uint64_t h) {
  h ^= h >> 33;
  h *= UINT64_C(0xff51afd7ed558ccd);
  h ^= h >> 33;
  h *= UINT64_C(0xc4ceb9fe1a85ec53);
  h ^= h >> 33;
  return h;
}

static uint32_t band_key(const dedup_index *x, const dedup_sig *sig,
                         unsigned band) {
  uint64_t h = fmix64(band + 1);
  for (unsigned j = 0; j < x->rows; j++)
    h = fmix64(h ^ sig->mins[band * x->rows + j]);
  uint32_t key = (uint32_t)(h >> 32);
  return key ? key : 1;
}

dedup_index *dedup_index_new(double t) {
  if (!(t > 0 && t <= 1))
    return NULL;
  dedup_index *x = calloc(1, sizeof *x);
  if (!x)
    return NULL;
  x->threshold = t;
  x->rows = 1;
  for (unsigned r = DEDUP_BINS / DEDUP_BANDS; r > 1; r--)
    if (1 - pow(1 - pow(t, r), DEDUP_BANDS) >= BAND_RECALL) {
      x->rows = r;
      break;
    }
  x->bits = 10;
  x->table = calloc(table_size(x), sizeof *x->table);
  if (!x->table) {
    free(x);
    return NULL;
  }
  return x;
}

void dedup_index_free(dedup_index *x) {
  if (!x)
    return;
  free(x->codes);
  free(x->exact);
  free(x->docs);
  free(x->table);
  free(x);
}

unsigned dedup_index_rows(const dedup_index *x) { return x->rows; }

size_t dedup_index_count(const dedup_index *x) { return x->n; }

size_t dedup_index_bytes(const dedup_index *x) {
  return sizeof *x +
         x->cap * (DEDUP_BINS + 2 * sizeof(uint64_t) + sizeof(uint32_t)) +
         table_size(x) * sizeof(slot);
}

size_t dedup_index_next_bytes(const dedup_index *x) {
  size_t more = 0;
  if (x->n == x->cap)
    more += (x->cap ? x->cap : 256) *
            (DEDUP_BINS + 2 * sizeof(uint64_t) + sizeof(uint32_t));
  if (full(x))
    more += table_size(x) * sizeof(slot);
  return more;
}

/* Judges item i as a match for sig, keeping the best in *m. */
static void judge(const dedup_index *x, const dedup_sig *sig, uint32_t i,
                  dedup_match *m, int *found, uint32_t *best) {
  int exact = x->exact[2 * i] == sig->exact[0] &&
              x->exact[2 * i + 1] == sig->exact[1];
  double s = exact ? 1.0
                   : dedup_sig_similarity(x->codes + (size_t)i * DEDUP_BINS,
                                          sig->code);
  if (!exact && s < x->threshold)
    return;
  if (*found && (m->exact > exact ||
                 (m->exact == exact &&
                  (m->similarity > s || (m->similarity == s && *best < i)))))
    return;
  *found = 1;
  *best = i;
  m->doc = x->docs[i];
  m->similarity = s;
  m->exact = exact;
}

int dedup_index_query(const dedup_index *x, const dedup_sig *sig,
                      dedup_match *m) {
  if (sig->words == 0)
    return 0;
  int found = 0;
  uint32_t best = 0;
  size_t mask = table_size(x) - 1;
  for (unsigned b = 0; b < DEDUP_BANDS; b++) {
    uint32_t key = band_key(x, sig, b);
    for (size_t s = home(key, x->bits); x->table[s].key; s = (s + 1) & mask)
      if (x->table[s].key == key)
        judge(x, sig, x->table[s].item, m, &found, &best);
  }
  return found;
}

static int grow_items(dedup_index *x) {
  size_t cap = x->cap ? x->cap * 2 : 256;
  if (cap > UINT32_MAX)
    return -1;
  uint8_t *codes = realloc(x->codes, cap * DEDUP_BINS);
  if (!codes)
    return -1;
  x->codes = codes;
  uint64_t *exact = realloc(x->exact, cap * 2 * sizeof *exact);
  if (!exact)
    return -1;
  x->exact = exact;
  uint32_t *docs = realloc(x->docs, cap * sizeof *docs);
  if (!docs)
    return -1;
  x->docs = docs;
  x->cap = cap;
  return 0;
}

static void put(slot *table, unsigned bits, uint32_t key, uint32_t item) {
  size_t mask = ((size_t)1 << bits) - 1;
  size_t s = home(key, bits);
  while (table[s].key)
    s = (s + 1) & mask;
  table[s].key = key;
  table[s].item = item;
}

static int grow_table(dedup_index *x) {
  unsigned bits = x->bits + 1;
  slot *t = calloc((size_t)1 << bits, sizeof *t);
  if (!t)
    return -1;
  for (size_t s = 0; s < table_size(x); s++)
    if (x->table[s].key)
      put(t, bits, x->table[s].key, x->table[s].item);
  free(x->table);
  x->table = t;
  x->bits = bits;
  return 0;
}

int dedup_index_insert(dedup_index *x, const dedup_sig *sig, uint32_t doc) {
  if (sig->words == 0)
    return 0;
  if (x->n == x->cap && grow_items(x) != 0)
    return -1;
  while (full(x))
    if (grow_table(x) != 0)
      return -1;
  uint32_t i = (uint32_t)x->n++;
  memcpy(x->codes + (size_t)i * DEDUP_BINS, sig->code, DEDUP_BINS);
  x->exact[2 * i] = sig->exact[0];
  x->exact[2 * i + 1] = sig->exact[1];
  x->docs[i] = doc;
  size_t mask = table_size(x) - 1;
  for (unsigned b = 0; b < DEDUP_BANDS; b++) {
    uint32_t key = band_key(x, sig, b);
    unsigned held = 0;
    size_t s = home(key, x->bits);
    for (; x->table[s].key; s = (s + 1) & mask)
      held += x->table[s].key == key;
    if (held >= BUCKET_MAX)
      continue;
    x->table[s].key = key;
    x->table[s].item = i;
    x->used++;
  }
  return 0;
}
