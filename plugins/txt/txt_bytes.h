/* txt_bytes.h - looking at text eight bytes at a time.
 *
 * Most text is ASCII, and most of the reader's work is finding the few
 * bytes that are not plain letters, digits and spaces.  These helpers load
 * eight bytes into a uint64_t (memcpy: no alignment is assumed) and answer
 * for all eight at once with a few arithmetic operations, which is several
 * times faster than a test per byte.  Each answer is exact for every byte,
 * not a hint. */
#ifndef QUIRE_TXT_BYTES_H
#define QUIRE_TXT_BYTES_H

#include <stdint.h>
#include <string.h>

#define TXT_ONES UINT64_C(0x0101010101010101)
#define TXT_HIGHS UINT64_C(0x8080808080808080)

static inline uint64_t txt_load8(const void *p) {
  uint64_t w;
  memcpy(&w, p, sizeof w);
  return w;
}

/* 0x80 in each byte of w that is zero, 0 in the others (no borrow crosses
 * bytes, so unlike the shorter haszero() every flag is right). */
static inline uint64_t txt_zero_bytes(uint64_t w) {
  uint64_t low7 = (w & ~TXT_HIGHS) + ~TXT_HIGHS;
  return ~(low7 | w | ~TXT_HIGHS);
}

/* 0x80 in each byte of w equal to c. */
static inline uint64_t txt_bytes_equal(uint64_t w, unsigned char c) {
  return txt_zero_bytes(w ^ (TXT_ONES * c));
}

/* How many bytes of a mask made of 0x80 flags are flagged. */
static inline unsigned txt_flag_count(uint64_t flags) {
  return (unsigned)(((flags >> 7) * TXT_ONES) >> 56);
}

/* 0x80 in (at least) each byte of w that is not printable ASCII other
 * than a backslash (0x20-0x7E), 0 when all eight are: the bytes that
 * decoding copies unchanged and that say nothing of whether a file is
 * text.  Tab and newline are flagged too: they send a word to the
 * byte-by-byte path, which copies them. */
static inline uint64_t txt_unprintable(uint64_t w) {
  /* Bytes below 0x20: (b - 0x20) borrows only from a byte below it. */
  uint64_t control = (w - TXT_ONES * 0x20) & ~w;
  /* Bytes of 0x7F or more: adding 1 carries across no byte unless one
   * already has its high bit, which w itself shows. */
  uint64_t high = w | (w + TXT_ONES);
  return (control | high | txt_bytes_equal(w, '\\')) & TXT_HIGHS;
}

/* Non-zero when the 32 bytes at p are all printable (see above): text is
 * mostly runs of them, tested four words at once. */
static inline int txt_printable32(const unsigned char *p) {
  return !(txt_unprintable(txt_load8(p)) | txt_unprintable(txt_load8(p + 8)) |
           txt_unprintable(txt_load8(p + 16)) |
           txt_unprintable(txt_load8(p + 24)));
}

/* Non-zero when the 8 bytes at p are all printable. */
static inline int txt_printable8(const unsigned char *p) {
  return !txt_unprintable(txt_load8(p));
}

#endif
