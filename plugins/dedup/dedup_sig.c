/* dedup_sig.c - text in, MinHash signature out (see dedup_sig.h).
 *
 * Method
 * ------
 * Words are hashed to 64 bits as they are found; each run of DEDUP_SHINGLE
 * word hashes is combined into a shingle hash.  The signature is a
 * one-permutation MinHash (Li, Owen and Zhang 2012): the top 8 bits of a
 * shingle's hash choose one of DEDUP_BINS bins, and each bin keeps the
 * smallest of the other 56 bits it sees.  That costs one hash per shingle
 * where classic MinHash with K independent hash functions costs K: on the
 * 50 MB benchmark corpus, 8 million shingles are 8 million updates
 * instead of two billion hash evaluations, which a serial stage of the
 * pipeline could not afford.  Two documents agree on a bin with
 * probability equal to the Jaccard similarity of their shingle sets.
 *
 * A document of fewer shingles than bins leaves bins empty; each is
 * filled from a full one (optimal densification, Shrivastava 2017): bin i
 * takes the value of the first full bin in a fixed pseudo-random order of
 * the bins that is bin i's own, the same for every document, which keeps
 * the agreement probability equal to the similarity.
 *
 * The index keeps one byte of each bin's minimum (b-bit MinHash, Li and
 * König 2010): two different minima agree on it by chance 1 time in 256,
 * which dedup_sig_similarity takes out of the estimate.
 *
 * Hashes are written here rather than taken from nettle: a word is a few
 * bytes, and nettle's fastest hash (SHA-256 with the CPU's SHA
 * instructions) costs 63 ms on the 50 MB corpus by itself, more than the
 * whole signature does now.  The exact hash is two 64-bit lanes over the
 * words' hashes, so two texts collide when their words' 64-bit hashes
 * do.  The hashes need to be well mixed, not secret: whoever can put a
 * document before another can simply copy it.  The mixing step is the 64x64->128-bit multiply folded to 64 bits that
 * wyhash and rapidhash use.
 *
 * Normalization: runs of ASCII letters and digits, most of most texts,
 * are found 64 bytes at a time and hashed in place (lower-cased by
 * setting bit 0x20, which leaves digits alone).  A run that holds other
 * bytes, up to the next separator (see separator()), is decomposed and
 * folded by utf8proc (NFKC with case folding) and split into words by
 * Unicode category.  No character composes across a separator into a
 * letter, so normalizing run by run gives the words that normalizing the
 * whole text would.  Such a run is cut at RUN_MAX bytes, so that one
 * enormous "word" cannot ask for unbounded working memory. */
#include "dedup_sig.h"

#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

/* Longest run of non-ASCII text normalized at once. */
#define RUN_MAX (64 * 1024)

/* The empty bin: above every 56-bit value. */
#define EMPTY UINT64_MAX
#define LOW56 ((UINT64_C(1) << 56) - 1)

struct dedup_sketcher {
  utf8proc_int32_t *cps;    /* a run's code points, normalized */
  size_t cap_cps;
  unsigned char *word;      /* one normalized word, and 8 spare bytes */
  size_t cap_word;
  /* Each bin's order of donors for densification: order[i * BINS + n]. */
  uint8_t order[DEDUP_BINS * DEDUP_BINS];
};

/* ---- Hashing --------------------------------------------------------- */

static inline uint64_t mum(uint64_t a, uint64_t b) {
#ifdef __SIZEOF_INT128__
  __uint128_t r = (__uint128_t)a * b;
  return (uint64_t)r ^ (uint64_t)(r >> 64);
#else
  uint64_t r = a * b;
  return r ^ (r >> 29) ^ (a >> 32) * (b | 1);
#endif
}

/* MurmurHash3's finalizer: every input bit moves every output bit. */
static inline uint64_t fmix64(uint64_t h) {
  h ^= h >> 33;
  h *= UINT64_C(0xff51afd7ed558ccd);
  h ^= h >> 33;
  h *= UINT64_C(0xc4ceb9fe1a85ec53);
  h ^= h >> 33;
  return h;
}

/* Eight bytes as a little-endian number, whatever the machine. */
static inline uint64_t load8(const unsigned char *s) {
  uint64_t v;
  memcpy(&v, s, 8);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
  v = __builtin_bswap64(v);
#endif
  return v;
}

static const uint64_t P0 = UINT64_C(0xa0761d6478bd642f);
static const uint64_t P1 = UINT64_C(0xe7037ed1a0b428db);
static const uint64_t P2 = UINT64_C(0x8ebc6af09c88c6e3);
static const uint64_t P3 = UINT64_C(0x589965cc75374cc3);
/* Masks of the first n bytes of 16, n from 0 to 16: of the low and of
 * the high 8 bytes.  Tables, not arithmetic, so that the length of a word
 * costs no branch. */
static const uint64_t MASK_LO[17] = {
    UINT64_C(0x0), UINT64_C(0xff), UINT64_C(0xffff), UINT64_C(0xffffff),
    UINT64_C(0xffffffff), UINT64_C(0xffffffffff), UINT64_C(0xffffffffffff),
    UINT64_C(0xffffffffffffff), UINT64_C(0xffffffffffffffff),
    UINT64_C(0xffffffffffffffff), UINT64_C(0xffffffffffffffff),
    UINT64_C(0xffffffffffffffff), UINT64_C(0xffffffffffffffff),
    UINT64_C(0xffffffffffffffff), UINT64_C(0xffffffffffffffff),
    UINT64_C(0xffffffffffffffff), UINT64_C(0xffffffffffffffff)};
static const uint64_t MASK_HI[17] = {
    UINT64_C(0x0), UINT64_C(0x0), UINT64_C(0x0), UINT64_C(0x0), UINT64_C(0x0),
    UINT64_C(0x0), UINT64_C(0x0), UINT64_C(0x0), UINT64_C(0x0),
    UINT64_C(0xff), UINT64_C(0xffff), UINT64_C(0xffffff),
    UINT64_C(0xffffffff), UINT64_C(0xffffffffff), UINT64_C(0xffffffffffff),
    UINT64_C(0xffffffffffffff), UINT64_C(0xffffffffffffffff)};

/* The hash of word s[0..n), its bytes OR-ed with `fold` (0x20 in every
 * byte lower-cases ASCII letters); bytes up to `end` may be read past the
 * word, never beyond.  A word of up to 16 bytes, nearly every word, is one
 * multiplication of its two halves (a word has no NUL, so its bytes tell
 * its length); a longer one takes 16 bytes at a time, and its length. */
static inline uint64_t word_hash(const unsigned char *s, size_t n,
                                 const unsigned char *end, uint64_t fold) {
  unsigned char tail[16];
  if (n <= 16) {
    if (end - s < 16) {
      memset(tail, 0, sizeof tail);
      memcpy(tail, s, n);
      s = tail;
    }
    uint64_t lo = (load8(s) | fold) & MASK_LO[n];
    uint64_t hi = (load8(s + 8) | fold) & MASK_HI[n];
    return mum(lo ^ P3, hi ^ P0);
  }
  uint64_t h = P2;
  size_t i = 0;
  for (; i + 16 <= n; i += 16)
    h = mum(h ^ (load8(s + i) | fold), (load8(s + i + 8) | fold) ^ P0);
  if (i < n) {
    size_t r = n - i;
    memset(tail, 0, sizeof tail);
    memcpy(tail, s + i, r);
    h = mum(h ^ ((load8(tail) | fold) & MASK_LO[r]),
            ((load8(tail + 8) | fold) & MASK_HI[r]) ^ P0);
  }
  return mum(h ^ n, P1);
}

/* ---- One text's state ------------------------------------------------ */

typedef struct sketch {
  uint64_t *restrict mins;    /* the signature's bins */
  uint64_t w[DEDUP_SHINGLE];  /* the last words' hashes, oldest first */
  uint64_t e0, e1;            /* the exact hash's two lanes */
  size_t words;
} sketch;

static inline uint64_t rotl(uint64_t x, unsigned r) {
  return (x << r) | (x >> (64 - r));
}

/* The shingle of words a..e (their hashes, in order): rotated by
 * position, so that the same words in another order differ, then mixed. */
static inline uint64_t shingle_hash(uint64_t a, uint64_t b, uint64_t c,
                                    uint64_t d, uint64_t e) {
  return mum(a ^ rotl(b, 13) ^ rotl(c, 26) ^ rotl(d, 39) ^ rotl(e, 52), P3);
}

static inline void bin_add(uint64_t *restrict mins, uint64_t h) {
  unsigned bin = (unsigned)(h >> 56);
  uint64_t v = h & LOW56;
  uint64_t old = mins[bin];
  mins[bin] = v < old ? v : old;
}

static inline void add_word(sketch *s, uint64_t h) {
  s->e0 = (s->e0 ^ h) * P0;
  s->e1 = (s->e1 + h) * P2;
  s->w[0] = s->w[1];
  s->w[1] = s->w[2];
  s->w[2] = s->w[3];
  s->w[3] = s->w[4];
  s->w[4] = h;
  if (++s->words >= DEDUP_SHINGLE)
    bin_add(s->mins, shingle_hash(s->w[0], s->w[1], s->w[2], s->w[3],
                                  s->w[4]));
}

/* ---- Text that is not ASCII ------------------------------------------ */

static int reserve(void **p, size_t *cap, size_t n, size_t size) {
  if (n <= *cap)
    return 0;
  size_t c = *cap ? *cap : 64;
  while (c < n)
    c *= 2;
  void *q = realloc(*p, c * size);
  if (!q)
    return -1;
  *p = q;
  *cap = c;
  return 0;
}

static int is_word_start(utf8proc_int32_t c) {
  utf8proc_category_t t = utf8proc_category(c);
  return (t >= UTF8PROC_CATEGORY_LU && t <= UTF8PROC_CATEGORY_LO) ||
         (t >= UTF8PROC_CATEGORY_ND && t <= UTF8PROC_CATEGORY_NO);
}

static int is_mark(utf8proc_int32_t c) {
  utf8proc_category_t t = utf8proc_category(c);
  return t >= UTF8PROC_CATEGORY_MN && t <= UTF8PROC_CATEGORY_ME;
}

/* Words of valid UTF-8 t[0..n): normalized, split, hashed. */
static int valid_run(dedup_sketcher *k, sketch *s, const unsigned char *t,
                     size_t n) {
  const int opts = UTF8PROC_COMPOSE | UTF8PROC_COMPAT | UTF8PROC_CASEFOLD |
                   UTF8PROC_STABLE;
  utf8proc_ssize_t m;
  for (;;) {
    m = utf8proc_decompose(t, (utf8proc_ssize_t)n, k->cps,
                           (utf8proc_ssize_t)k->cap_cps, opts);
    if (m < 0)
      return 0;   /* not reached: t was checked */
    if ((size_t)m <= k->cap_cps)
      break;
    if (reserve((void **)&k->cps, &k->cap_cps, (size_t)m, sizeof *k->cps))
      return -1;
  }
  m = utf8proc_normalize_utf32(k->cps, m, opts);
  if (m < 0)
    return 0;
  size_t len = 0;
  for (utf8proc_ssize_t i = 0; i <= m; i++) {
    utf8proc_int32_t c = i < m ? k->cps[i] : -1;
    if (c >= 0 && (is_word_start(c) || (len && is_mark(c)))) {
      if (reserve((void **)&k->word, &k->cap_word, len + 4 + 8, 1))
        return -1;
      len += (size_t)utf8proc_encode_char(c, k->word + len);
      continue;
    }
    if (len) {
      add_word(s, word_hash(k->word, len, k->word + k->cap_word, 0));
      len = 0;
    }
  }
  return 0;
}

/* The length of the longest prefix of t[0..n) that is valid UTF-8. */
static size_t valid_prefix(const unsigned char *t, size_t n) {
  size_t i = 0;
  while (i < n) {
    utf8proc_int32_t c;
    utf8proc_ssize_t l = utf8proc_iterate(
        t + i, (utf8proc_ssize_t)(n - i < 4 ? n - i : 4), &c);
    if (l <= 0)
      break;
    i += (size_t)l;
  }
  return i;
}

/* A run of letters, digits and non-ASCII bytes; a byte that is not UTF-8
 * separates words. */
static int mixed_run(dedup_sketcher *k, sketch *s, const unsigned char *t,
                     size_t n) {
  while (n) {
    size_t good = valid_prefix(t, n);
    if (good && valid_run(k, s, t, good) != 0)
      return -1;
    t += good;
    n -= good;
    if (n) {
      t++;
      n--;
    }
  }
  return 0;
}

/* ---- Densification --------------------------------------------------- */

static uint64_t splitmix(uint64_t *x) {
  uint64_t z = (*x += UINT64_C(0x9e3779b97f4a7c15));
  z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
  z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
  return z ^ (z >> 31);
}

/* Each bin's donor order: a fixed pseudo-random permutation of the bins
 * (Fisher-Yates from a fixed seed), so every document fills bin i from
 * the same sequence. */
static void make_orders(dedup_sketcher *k) {
  uint64_t x = 0x5eed;
  for (unsigned i = 0; i < DEDUP_BINS; i++) {
    uint8_t *o = k->order + (size_t)i * DEDUP_BINS;
    for (unsigned j = 0; j < DEDUP_BINS; j++)
      o[j] = (uint8_t)j;
    for (unsigned j = DEDUP_BINS - 1; j > 0; j--) {
      unsigned r = (unsigned)(splitmix(&x) % (j + 1));
      uint8_t tmp = o[j];
      o[j] = o[r];
      o[r] = tmp;
    }
  }
}

static void densify(const dedup_sketcher *k, uint64_t *mins) {
  uint8_t full[DEDUP_BINS];
  for (unsigned i = 0; i < DEDUP_BINS; i++)
    full[i] = mins[i] != EMPTY;
  for (unsigned i = 0; i < DEDUP_BINS; i++) {
    if (full[i])
      continue;
    const uint8_t *o = k->order + (size_t)i * DEDUP_BINS;
    unsigned j = 0;
    while (!full[o[j]])
      j++;
    mins[i] = mins[o[j]];
  }
}

/* ---- The interface --------------------------------------------------- */

dedup_sketcher *dedup_sketcher_new(void) {
  dedup_sketcher *k = calloc(1, sizeof *k);
  if (k)
    make_orders(k);
  return k;
}

void dedup_sketcher_free(dedup_sketcher *k) {
  if (!k)
    return;
  free(k->cps);
  free(k->word);
  free(k);
}

/* Byte classes: 0 separates words, 1 an ASCII letter or digit, 2 a byte of
 * a character beyond ASCII. */
static unsigned char byte_class(unsigned char c) {
  if (c >= 0x80)
    return 2;
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
         (c >= 'A' && c <= 'Z');
}

static const uint64_t FOLD = UINT64_C(0x2020202020202020);

/* The length of the separator at p, 0 when a word may start there: an
 * ASCII character that is not a letter or digit, a no-break space, or a
 * character of Unicode's General Punctuation block (U+2000-U+203F: spaces,
 * dashes, quotation marks, bullets, none a letter or digit after NFKC),
 * the characters beyond ASCII that English text uses most, which need no
 * trip through utf8proc. */
static inline size_t separator(const unsigned char *p,
                               const unsigned char *end) {
  if (*p < 0x80)
    return byte_class(*p) == 0;
  if (end - p >= 3 && p[0] == 0xE2 && p[1] == 0x80 && (p[2] & 0xC0) == 0x80)
    return 3;
  if (end - p >= 2 && p[0] == 0xC2 && p[1] == 0xA0)
    return 2;
  return 0;
}

/* The words of p[0..end) one character at a time, up to the first
 * separator at or after `stop` (the run that straddles it included).
 * Returns where it stopped: at a separator, or at the end. */
static const unsigned char *scan_bytes(dedup_sketcher *k, sketch *s,
                                       const unsigned char *p,
                                       const unsigned char *stop,
                                       const unsigned char *end, int *err) {
  while (p < end && p < stop) {
    size_t sep = separator(p, end);
    if (sep) {
      p += sep;
      continue;
    }
    const unsigned char *w = p;
    while (p < end && byte_class(*p) == 1)
      p++;
    if (p == end || separator(p, end)) {
      add_word(s, word_hash(w, (size_t)(p - w), end, FOLD));
      continue;
    }
    /* Beyond ASCII: the run goes on to the next separator. */
    while (p < end && !separator(p, end) && (size_t)(p - w) < RUN_MAX)
      p++;
    while (p < end && (*p & 0xC0) == 0x80 && p > w + 1)
      p--;   /* cut at RUN_MAX: not inside a character */
    if (mixed_run(k, s, w, (size_t)(p - w)) != 0) {
      *err = 1;
      return end;
    }
  }
  return p;
}

#ifndef __SSE2__
static const uint64_t HIGH = UINT64_C(0x8080808080808080);

/* 0x80 in each byte of x (all below 0x80) that is an ASCII letter or
 * digit, 0 in the others: SWAR range tests, eight bytes at once. */
static inline uint64_t alnum_bytes(uint64_t x) {
  const uint64_t ones = UINT64_C(0x0101010101010101);
  uint64_t lower = x | FOLD;
  uint64_t letter = (lower + ones * (0x80 - 'a')) &
                    ~(lower + ones * (0x7f - 'z'));
  uint64_t digit = (x + ones * (0x80 - '0')) & ~(x + ones * (0x7f - '9'));
  return (letter | digit) & HIGH;
}

/* One bit per byte of x (all below 0x80): set for ASCII letters and
 * digits. */
static inline unsigned alnum_bits(uint64_t x) {
  /* the high bit of each byte, gathered into the top byte */
  return (unsigned)(((alnum_bytes(x) >> 7) * UINT64_C(0x0102040810204080)) >>
                    56);
}
#endif

/* Bytes read at once, one bit each of a mask. */
#define BLOCK 64

/* The BLOCK bytes at p, one bit each: *m for the ASCII letters and
 * digits, *high for the bytes beyond ASCII.  SSE2 (every x86-64) tests 16
 * bytes at once; elsewhere, the SWAR tests above 8 at once. */
static inline void block_bits(const unsigned char *p, uint64_t *m,
                              uint64_t *high) {
  uint64_t bits = 0, hi = 0;
#ifdef __SSE2__
  for (int i = 0; i < BLOCK / 16; i++) {
    __m128i x = _mm_loadu_si128((const __m128i *)(const void *)(p + 16 * i));
    __m128i lower = _mm_or_si128(x, _mm_set1_epi8(0x20));
    __m128i letter =
        _mm_and_si128(_mm_cmpgt_epi8(lower, _mm_set1_epi8('a' - 1)),
                      _mm_cmplt_epi8(lower, _mm_set1_epi8('z' + 1)));
    __m128i digit = _mm_and_si128(_mm_cmpgt_epi8(x, _mm_set1_epi8('0' - 1)),
                                  _mm_cmplt_epi8(x, _mm_set1_epi8('9' + 1)));
    bits |= (uint64_t)(unsigned)_mm_movemask_epi8(_mm_or_si128(letter, digit))
            << (16 * i);
    hi |= (uint64_t)(unsigned)_mm_movemask_epi8(x) << (16 * i);
  }
#else
  for (int i = 0; i < BLOCK / 8; i++) {
    uint64_t x = load8(p + 8 * i);
    uint64_t h = x & HIGH;
    bits |= (uint64_t)alnum_bits(x & ~HIGH) << (8 * i);
    hi |= ((h >> 7) * UINT64_C(0x0102040810204080) >> 56) << (8 * i);
  }
  bits &= ~hi;
#endif
  *m = bits;
  *high = hi;
}

/* BLOCK bytes at a time while they are ASCII: the places where a byte's
 * class differs from the one before it start and end the words, taken in
 * pairs from a bit mask, so that the loop's branches follow the words
 * rather than the bytes.  Returns where it stopped: at a block that is not
 * all ASCII, or less than a block from the end; *word is then the start
 * of the word being read, or NULL.  The state is copied in and out so
 * that it stays in registers. */
static const unsigned char *scan_ascii(sketch *state, const unsigned char *p,
                                       const unsigned char *end,
                                       const unsigned char **word) {
  sketch s = *state;
  const unsigned char *w = *word;
  while (end - p >= BLOCK) {
    uint64_t m, high;
    block_bits(p, &m, &high);
    uint64_t edges = m ^ ((m << 1) | (w != NULL));
    if (high)   /* only what comes before the first byte beyond ASCII */
      edges &= (high & (~high + 1)) - 1;
    if (w && edges) {
      /* the word from the last block ends here */
      add_word(&s, word_hash(w, (size_t)(p + __builtin_ctzll(edges) - w),
                             end, FOLD));
      edges &= edges - 1;
      w = NULL;
    }
    while (edges) {
      const unsigned char *start = p + __builtin_ctzll(edges);
      edges &= edges - 1;
      if (!edges) {
        w = start;   /* goes on into the next block */
        break;
      }
      const unsigned char *stop = p + __builtin_ctzll(edges);
      edges &= edges - 1;
      add_word(&s, word_hash(start, (size_t)(stop - start), end, FOLD));
    }
    if (high) {
      p += __builtin_ctzll(high);
      break;
    }
    p += BLOCK;
  }
  *state = s;
  *word = w;
  return p;
}

int dedup_sig_make(dedup_sketcher *k, const char *text, size_t len,
                   dedup_sig *sig) {
  for (unsigned i = 0; i < DEDUP_BINS; i++)
    sig->mins[i] = EMPTY;
  sketch s = {.mins = sig->mins, .e0 = P1, .e1 = P3};
  int err = 0;
  const unsigned char *p = (const unsigned char *)text, *end = p + len;
  const unsigned char *word = NULL;
  for (;;) {
    p = scan_ascii(&s, p, end, &word);
    /* A byte beyond ASCII, or the last few: one at a time, to the end of
     * the run that holds it. */
    const unsigned char *stop = end - p >= BLOCK ? p + 1 : end;
    p = scan_bytes(k, &s, word ? word : p, stop, end, &err);
    word = NULL;
    if (err)
      return -1;
    if (p == end)
      break;
  }

  sig->words = s.words;
  sig->shingles = s.words >= DEDUP_SHINGLE ? s.words - DEDUP_SHINGLE + 1 : 0;
  if (s.words == 0) {
    memset(sig->code, 0, sizeof sig->code);
    sig->exact[0] = sig->exact[1] = 0;
    return 0;
  }
  if (s.words < DEDUP_SHINGLE) {
    /* A short text is one shingle of all its words. */
    uint64_t a[DEDUP_SHINGLE] = {0};
    for (size_t i = 0; i < s.words; i++)
      a[i] = s.w[DEDUP_SHINGLE - s.words + i];
    bin_add(sig->mins, shingle_hash(a[0], a[1], a[2], a[3],
                                    a[4] ^ (s.words * P1)));
    sig->shingles = 1;
  }
  densify(k, sig->mins);
  for (unsigned i = 0; i < DEDUP_BINS; i++)
    sig->code[i] = (uint8_t)sig->mins[i];
  sig->exact[0] = fmix64(s.e0 ^ s.words);
  sig->exact[1] = fmix64(s.e1 + s.words * P0);
  return 0;
}

double dedup_sig_similarity(const uint8_t *a, const uint8_t *b) {
  unsigned same = 0;
  for (unsigned i = 0; i < DEDUP_BINS; i++)
    same += a[i] == b[i];
  /* Different minima share their byte 1 time in 256: P = J + (1-J)/256. */
  const double chance = 1.0 / 256;
  double j = ((double)same / DEDUP_BINS - chance) / (1 - chance);
  return j < 0 ? 0 : j > 1 ? 1 : j;
}
