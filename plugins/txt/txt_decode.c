/* txt_decode.c - raw bytes of a text file into clean UTF-8 text.
 *
 * UTF-8 with or without BOM is taken as it is.  A file that is not valid
 * UTF-8 and holds no valid multi-byte sequence at all is an old 8-bit file:
 * it is decoded as Windows-1252 when that code page defines every byte.
 * Otherwise it is UTF-8 with damage, and each bad sequence becomes U+FFFD
 * with a warning giving its byte offset.  CRLF and CR become LF; control
 * characters other than tab and newline are dropped with a warning; a
 * backslash escaping a quote (a scraping artefact) is dropped; the result
 * is normalized to NFC with utf8proc.
 *
 * A file with a UTF-16 byte order mark is converted to UTF-8 first.  Bytes
 * that are not text at all (an executable, an image named .txt) are
 * refused by txt_not_text() before any of this, unless the user named the
 * format. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "txt.h"

/* Warnings of one kind given individually before a summary. */
#define TXT_WARNINGS_SHOWN 10

/* Windows-1252 bytes 0x80-0x9F; 0 where the code page defines nothing. */
static const uint16_t cp1252_high[32] = {
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
    0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0,      0x017D, 0,
    0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178};

/* The length of the valid UTF-8 sequence at s (1-4), or 0 when the bytes
 * there are not one.  Overlongs, surrogates and values past U+10FFFF are
 * invalid. */
static size_t utf8_valid(const unsigned char *s, size_t n) {
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

/* How many bytes form one bad sequence at s: the lead byte and the
 * continuation bytes that follow it (at most 3 in all). */
static size_t utf8_bad_run(const unsigned char *s, size_t n) {
  size_t k = 1;
  if (s[0] >= 0xC0)
    while (k < n && k < 4 && (s[k] & 0xC0) == 0x80 && !utf8_valid(s + k, n - k))
      k++;
  return k;
}

typedef struct decoder {
  quire_env *env;
  const char *name;
  char *out;
  size_t used;
  int needs_nfc;
  unsigned long bad, controls;
} decoder;

static void warn_at(decoder *d, size_t offset, unsigned long count,
                    const char *what) {
  quire_loc loc = {.file = d->name, .offset = offset + 1};
  if (count <= TXT_WARNINGS_SHOWN)
    d->env->svc->warn(d->env, &loc, "%s", what);
}

/* Whether cp may change under NFC, alone or with its neighbours.  Every
 * code point below U+0300 is stable; above, most punctuation and letters
 * without decompositions are too, and skipping utf8proc_map for texts made
 * only of such characters is most of the reader's speed. */
static int nfc_sensitive(int32_t cp) {
  if (cp < 0x300)
    return 0;
  if (cp >= 0x1100 && cp <= 0x11FF)
    return 1;   /* Hangul jamo compose algorithmically */
  const utf8proc_property_t *p = utf8proc_get_property(cp);
  return p->combining_class || p->comp_exclusion ||
         p->comb_index != UINT16_MAX ||
         (p->decomp_seqindex != UINT16_MAX && p->decomp_type == 0);
}

static void put_cp(decoder *d, int32_t cp) {
  if (!d->needs_nfc && nfc_sensitive(cp))
    d->needs_nfc = 1;
  d->used += (size_t)utf8proc_encode_char(cp, (utf8proc_uint8_t *)d->out + d->used);
}

/* Non-zero for the code points after a backslash that mark a scraped quote
 * escape: " ' and the typographic quotes. */
static int is_quote(int32_t cp) {
  return cp == '"' || cp == '\'' || cp == 0x2018 || cp == 0x2019 ||
         cp == 0x201C || cp == 0x201D;
}

/* Appends one decoded code point found at byte `offset`, applying the line
 * ending, control character and quote-escape rules. */
static void emit(decoder *d, int32_t cp, size_t offset, int32_t next) {
  if (cp == '\r') {
    if (next != '\n')
      d->out[d->used++] = '\n';
    return;
  }
  if ((cp < 0x20 && cp != '\t' && cp != '\n') || (cp >= 0x7F && cp < 0xA0)) {
    char msg[64];
    snprintf(msg, sizeof msg, "control character U+%04X dropped", (unsigned)cp);
    warn_at(d, offset, ++d->controls, msg);
    return;
  }
  if (cp == '\\' && is_quote(next))
    return;
  if (cp < 0x80)
    d->out[d->used++] = (char)cp;
  else
    put_cp(d, cp);
}

/* The code point at s in the chosen decoding, and its byte length. */
static int32_t next_cp(const unsigned char *s, size_t n, int cp1252,
                       size_t *len) {
  if (n == 0) {
    *len = 0;
    return -1;
  }
  if (s[0] < 0x80) {
    *len = 1;
    return s[0];
  }
  if (cp1252) {
    *len = 1;
    return s[0] < 0xA0 ? cp1252_high[s[0] - 0x80] : s[0];
  }
  size_t k = utf8_valid(s, n);
  if (!k) {
    *len = utf8_bad_run(s, n);
    return 0xFFFD;
  }
  int32_t cp;
  utf8proc_iterate(s, (utf8proc_ssize_t)k, &cp);
  *len = k;
  return cp;
}

/* How much of a file txt_not_text() looks at, and the share of control
 * characters that makes it not text.  Text has no NUL byte (UTF-16, which
 * has many, is converted first); its control characters are tab, LF, CR
 * and form feed, with a stray ESC or BEL at most.  Binary files have NUL
 * bytes almost at once; the few that have none (some compressed or
 * encrypted data) are more than a tenth control characters and bytes no
 * decoding defines, where 1 in 7.5 random bytes is one. */
#define TXT_SNIFF_BYTES (64 * 1024)
#define TXT_JUNK_PERCENT 10
#define TXT_JUNK_MIN 8

int txt_not_text(const char *bytes, size_t len, char *why, size_t n) {
  const unsigned char *s = (const unsigned char *)bytes;
  size_t end = len < TXT_SNIFF_BYTES ? len : TXT_SNIFF_BYTES;
  size_t nul = 0, junk = 0;
  for (size_t i = 0; i < end;) {
    unsigned char c = s[i];
    if (c >= 0x80) {
      size_t k = utf8_valid(s + i, len - i);
      /* Undefined in Windows-1252 and not part of UTF-8: no text has it. */
      if (!k && c < 0xA0 && !cp1252_high[c - 0x80])
        junk++;
      i += k ? k : 1;
      continue;
    }
    if (c == 0)
      nul++;
    else if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r' &&
              c != '\f') || c == 0x7F)
      junk++;
    i++;
  }
  if (nul)
    snprintf(why, n, "%zu NUL byte%s in the first %zu", nul,
             nul == 1 ? "" : "s", end);
  else if (junk >= TXT_JUNK_MIN && junk * 100 > end * TXT_JUNK_PERCENT)
    snprintf(why, n, "%zu control characters in the first %zu bytes", junk,
             end);
  else
    return 0;
  return 1;
}

int txt_from_utf16(const char *bytes, size_t len, char **utf8,
                   size_t *utf8_len) {
  const unsigned char *s = (const unsigned char *)bytes;
  int big;
  if (len >= 2 && s[0] == 0xFF && s[1] == 0xFE)
    big = 0;
  else if (len >= 2 && s[0] == 0xFE && s[1] == 0xFF)
    big = 1;
  else
    return 0;
  /* Each 2-byte unit gives at most 3 bytes of UTF-8, a pair at most 4. */
  char *out = malloc(len / 2 * 3 + 4);
  if (!out)
    return -1;
  size_t used = 0;
  for (size_t i = 2; i + 1 < len; i += 2) {
    int32_t u = big ? s[i] << 8 | s[i + 1] : s[i + 1] << 8 | s[i];
    if (u >= 0xD800 && u < 0xDC00 && i + 3 < len) {
      int32_t lo = big ? s[i + 2] << 8 | s[i + 3] : s[i + 3] << 8 | s[i + 2];
      if (lo >= 0xDC00 && lo < 0xE000) {
        u = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00);
        i += 2;
      }
    }
    if (u >= 0xD800 && u < 0xE000)
      u = 0xFFFD;   /* a lone surrogate; decoding warns of U+FFFD */
    used += (size_t)utf8proc_encode_char(u, (utf8proc_uint8_t *)out + used);
  }
  if (len % 2)   /* an odd last byte */
    used += (size_t)utf8proc_encode_char(0xFFFD,
                                         (utf8proc_uint8_t *)out + used);
  *utf8 = out;
  *utf8_len = used;
  return 1;
}

int txt_decode(quire_env *env, const char *name, const char *bytes,
               size_t len, char **result, size_t *result_len) {
  const unsigned char *s = (const unsigned char *)bytes;
  quire_loc loc = {.file = name};
  if (len >= 3 && s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF) {
    s += 3;
    len -= 3;
  }
  /* Which decoding explains the file. */
  size_t valid_multi = 0, invalid = 0, undefined_1252 = 0;
  for (size_t i = 0; i < len;) {
    if (s[i] < 0x80) {
      i++;
      continue;
    }
    size_t k = utf8_valid(s + i, len - i);
    if (k) {
      valid_multi++;
      i += k;
    } else {
      invalid++;
      i++;
    }
  }
  int cp1252 = 0;
  if (invalid && !valid_multi) {
    for (size_t i = 0; i < len; i++)
      if (s[i] >= 0x80 && s[i] < 0xA0 && !cp1252_high[s[i] - 0x80])
        undefined_1252++;
    cp1252 = undefined_1252 == 0;
  }
  /* A note, not a warning: nothing is lost in the decoding. */
  if (cp1252)
    env->svc->info(env, &loc, "not UTF-8: decoded as Windows-1252");

  decoder d = {.env = env, .name = name};
  if (len > (SIZE_MAX - 1) / 3 || !(d.out = malloc(len * 3 + 1))) {
    env->svc->error(env, &loc, "out of memory");
    return QUIRE_FATAL;
  }
  size_t offset = (size_t)((const char *)s - bytes);
  for (size_t i = 0; i < len;) {
    /* Plain ASCII runs (no CR, control or backslash) are copied whole. */
    size_t run = i;
    while (run < len && ((s[run] >= 0x20 && s[run] < 0x7F && s[run] != '\\') ||
                         s[run] == '\n' || s[run] == '\t'))
      run++;
    if (run > i) {
      memcpy(d.out + d.used, s + i, run - i);
      d.used += run - i;
      i = run;
      continue;
    }
    size_t n, n2;
    int32_t cp = next_cp(s + i, len - i, cp1252, &n);
    int32_t next = next_cp(s + i + n, len - i - n, cp1252, &n2);
    if (cp == 0xFFFD && !cp1252 && !utf8_valid(s + i, len - i))
      warn_at(&d, offset + i, ++d.bad, "invalid UTF-8 replaced by U+FFFD");
    emit(&d, cp, offset + i, next);
    i += n;
  }
  d.out[d.used] = '\0';
  if (d.bad > TXT_WARNINGS_SHOWN)
    env->svc->warn(env, &loc, "%lu invalid UTF-8 sequences replaced in all",
                   d.bad);
  if (d.controls > TXT_WARNINGS_SHOWN)
    env->svc->warn(env, &loc, "%lu control characters dropped in all",
                   d.controls);

  if (d.needs_nfc) {
    utf8proc_uint8_t *nfc = NULL;
    utf8proc_ssize_t m = utf8proc_map((const utf8proc_uint8_t *)d.out,
                                      (utf8proc_ssize_t)d.used, &nfc,
                                      UTF8PROC_STABLE | UTF8PROC_COMPOSE);
    if (m < 0) {
      free(d.out);
      env->svc->error(env, &loc, "Unicode normalization failed: %s",
                      utf8proc_errmsg(m));
      return m == UTF8PROC_ERROR_NOMEM ? QUIRE_FATAL : QUIRE_FAILED;
    }
    free(d.out);
    d.out = (char *)nfc;
    d.used = (size_t)m;
  }
  *result = d.out;
  *result_len = d.used;
  return QUIRE_OK;
}
