/* charset.h - text encodings for the readers of undeclared text (txt,
 * html) and of declared charsets (archive): label to name, detection, and
 * conversion to UTF-8.
 *
 * Names are lower case in the style of the WHATWG Encoding standard
 * ("utf-8", "windows-1251", "shift_jis"): what the readers put in a
 * document's "encoding" metadata and in their -v notes.  See charset.c for
 * the detection order and the rule for an unsure guess. */
#ifndef QUIRE_CHARSET_H
#define QUIRE_CHARSET_H

#include <stddef.h>

/* The length of the valid UTF-8 sequence at s (1 to 4 bytes, at most n),
 * or 0 when the bytes there are not one: overlongs, surrogates and values
 * past U+10FFFF are not.  Inline: the readers call it for every character
 * outside ASCII. */
static inline size_t charset_utf8_length(const unsigned char *s, size_t n) {
  unsigned char c = s[0];
  if (c < 0x80)
    return 1;
  if (c >= 0xC2 && c <= 0xDF)
    return n >= 2 && (s[1] & 0xC0) == 0x80 ? 2 : 0;
  if (c >= 0xE0 && c <= 0xEF) {
    if (n < 3 || (s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80)
      return 0;
    if ((c == 0xE0 && s[1] < 0xA0) || (c == 0xED && s[1] >= 0xA0))
      return 0;
    return 3;
  }
  if (c >= 0xF0 && c <= 0xF4) {
    if (n < 4 || (s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80 ||
        (s[3] & 0xC0) != 0x80)
      return 0;
    if ((c == 0xF0 && s[1] < 0x90) || (c == 0xF4 && s[1] >= 0x90))
      return 0;
    return 4;
  }
  return 0;
}

/* The canonical name of an encoding label ("ISO-8859-1", "latin1" and
 * "cp1252" all give "windows-1252"), case-insensitive, surrounding blanks
 * ignored; a label the table does not hold but iconv knows is its own name,
 * lower-cased.  Writes it to name[0..size) and returns 1, or returns 0 when
 * no encoding goes by that label. */
int charset_canonical(const char *label, char *name, size_t size);

/* The name iconv_open() knows the canonical encoding `name` by. */
const char *charset_iconv_name(const char *name);

/* The encoding a byte order mark at the start of bytes names ("utf-8",
 * "utf-16le", "utf-16be", "utf-32le", "utf-32be") with its length in
 * *bom_len, or NULL when there is none. */
const char *charset_bom(const char *bytes, size_t len, size_t *bom_len);

/* What detection made of bytes that declare no encoding. */
typedef struct charset_guess {
  char name[32];        /* canonical name */
  size_t bom;           /* bytes of byte order mark to skip */
  int by_bom;           /* 1: the byte order mark said so */
  int unsure;           /* 1: a guess without enough to support it */
  char why[96];         /* when unsure, why ("only 3 bytes outside ASCII") */
} charset_guess;

/* Detects the encoding of bytes[0..len) (see charset.c for the order:
 * byte order mark, UTF-32/UTF-16 from the NUL bytes, valid UTF-8,
 * libuchardet).  Returns 0, or -1 when memory ran out. */
int charset_detect(const char *bytes, size_t len, charset_guess *g);

/* When bytes[0..len) are UTF-16 or UTF-32, by a byte order mark (its
 * length in *bom_len) or by the pattern of their NUL bytes (*bom_len 0; see
 * charset.c), the encoding's name; else NULL.  Text in them has NUL bytes,
 * so this comes before the bytes are judged as 8-bit text.  Cheap: looks
 * at the first 4 KB at most. */
const char *charset_wide(const char *bytes, size_t len, size_t *bom_len);

/* Bytes that were not valid in their encoding. */
typedef struct charset_bad {
  size_t count;
  size_t first;         /* byte offset of the first one in the input */
} charset_bad;

/* Converts bytes[0..len) from the canonical encoding `name` to UTF-8 in
 * *out (NUL-terminated, the caller frees it with free()), *out_len bytes
 * without the NUL.  A byte invalid in the encoding becomes U+FFFD, counted
 * in *bad.  Returns 0; -1 when memory ran out; -2 when iconv cannot
 * convert from `name`. */
int charset_to_utf8(const char *name, const char *bytes, size_t len,
                    char **out, size_t *out_len, charset_bad *bad);

/* Whether the UTF-8 text s[0..n) holds what text in a right guess does
 * not: C1 control characters or unassigned code points.  A conversion
 * that made them was likely the wrong one. */
int charset_suspect_text(const char *s, size_t n);

#endif
