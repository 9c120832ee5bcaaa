/* txt_decode.c - the bytes of a text file, UTF-8 by now, into clean UTF-8
 * text.
 *
 * Text in another encoding has been converted to UTF-8 before this
 * (txt_read.c, with charset.c); UTF-8 with or without BOM is taken as it
 * is.  Each bad sequence of UTF-8 with damage becomes U+FFFD with a
 * warning giving its byte offset.  CRLF and CR become LF; control
 * characters other than tab and newline are dropped with a warning; a
 * backslash escaping a quote (a scraping artefact) is dropped; the result
 * is normalized to NFC with utf8proc.
 *
 * One pass, txt_survey_bytes(), finds all that the rest needs: whether the
 * bytes are text at all (txt_not_text), which decoding explains them, and
 * whether decoding or NFC would change anything.  Mostly nothing would,
 * and the text is then the bytes as read, with no second pass and no copy.
 * Otherwise the text is rewritten where it lies when it cannot grow, and
 * normalized a segment at a time, so that a large file is held once.
 * Both passes skip plain ASCII eight bytes at a time (txt_bytes.h): utf8proc
 * is asked only about characters outside ASCII.
 *
 * Bytes that are not text at all (an executable, an image named .txt) are
 * refused by txt_not_text() before any of this, unless the user named the
 * format. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "charset.h"
#include "txt.h"
#include "txt_bytes.h"

/* Warnings of one kind given individually before a summary. */
#define TXT_WARNINGS_SHOWN 10

/* How much text NFC takes at a time: a segment ends after the first
 * newline past this many bytes.  A newline composes and reorders with
 * nothing, so segments normalize as the whole text would. */
#define TXT_NFC_SEGMENT (64 * 1024)
#define TXT_NFC_OPTIONS (UTF8PROC_STABLE | UTF8PROC_COMPOSE)

/* Windows-1252 bytes 0x80-0x9F; 0 where the code page defines nothing. */
static const uint16_t cp1252_high[32] = {
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
    0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0,      0x017D, 0,
    0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178};

/* The bytes both passes pass over: printable ASCII but the backslash, tab
 * and newline.  Decoding copies them; they say nothing of the encoding. */
static const unsigned char plain_byte[256] = {
    ['\t'] = 1, ['\n'] = 1,
    [' '] = 1, ['!'] = 1, ['"'] = 1, ['#'] = 1, ['$'] = 1, ['%'] = 1,
    ['&'] = 1, ['\''] = 1, ['('] = 1, [')'] = 1, ['*'] = 1, ['+'] = 1,
    [','] = 1, ['-'] = 1, ['.'] = 1, ['/'] = 1, ['0'] = 1, ['1'] = 1,
    ['2'] = 1, ['3'] = 1, ['4'] = 1, ['5'] = 1, ['6'] = 1, ['7'] = 1,
    ['8'] = 1, ['9'] = 1, [':'] = 1, [';'] = 1, ['<'] = 1, ['='] = 1,
    ['>'] = 1, ['?'] = 1, ['@'] = 1, ['A'] = 1, ['B'] = 1, ['C'] = 1,
    ['D'] = 1, ['E'] = 1, ['F'] = 1, ['G'] = 1, ['H'] = 1, ['I'] = 1,
    ['J'] = 1, ['K'] = 1, ['L'] = 1, ['M'] = 1, ['N'] = 1, ['O'] = 1,
    ['P'] = 1, ['Q'] = 1, ['R'] = 1, ['S'] = 1, ['T'] = 1, ['U'] = 1,
    ['V'] = 1, ['W'] = 1, ['X'] = 1, ['Y'] = 1, ['Z'] = 1, ['['] = 1,
    [']'] = 1, ['^'] = 1, ['_'] = 1, ['`'] = 1, ['a'] = 1, ['b'] = 1,
    ['c'] = 1, ['d'] = 1, ['e'] = 1, ['f'] = 1, ['g'] = 1, ['h'] = 1,
    ['i'] = 1, ['j'] = 1, ['k'] = 1, ['l'] = 1, ['m'] = 1, ['n'] = 1,
    ['o'] = 1, ['p'] = 1, ['q'] = 1, ['r'] = 1, ['s'] = 1, ['t'] = 1,
    ['u'] = 1, ['v'] = 1, ['w'] = 1, ['x'] = 1, ['y'] = 1, ['z'] = 1,
    ['{'] = 1, ['|'] = 1, ['}'] = 1, ['~'] = 1};

/* Where the run of plain bytes starting at s[i] ends: 32 then eight bytes
 * at a time while they are printable, then byte by byte through the word
 * that held something else (a newline, mostly), then by words again. */
static size_t plain_end(const unsigned char *s, size_t i, size_t len) {
  for (;;) {
    while (len - i >= 32 && txt_printable32(s + i))
      i += 32;
    while (len - i >= 8 && txt_printable8(s + i))
      i += 8;
    size_t stop = len - i > 8 ? i + 8 : len;
    while (i < stop && plain_byte[s[i]])
      i++;
    if (i < stop || i == len)
      return i;
  }
}

/* The code point of the valid k-byte sequence at s (k from charset_utf8_length,
 * 2-4). */
static int32_t utf8_code_point(const unsigned char *s, size_t k) {
  if (k == 2)
    return (s[0] & 0x1F) << 6 | (s[1] & 0x3F);
  if (k == 3)
    return (s[0] & 0x0F) << 12 | (s[1] & 0x3F) << 6 | (s[2] & 0x3F);
  return (s[0] & 0x07) << 18 | (s[1] & 0x3F) << 12 | (s[2] & 0x3F) << 6 |
         (s[3] & 0x3F);
}

/* How many bytes form one bad sequence at s: the lead byte and the
 * continuation bytes that follow it (at most 3 in all). */
static size_t utf8_bad_run(const unsigned char *s, size_t n) {
  size_t k = 1;
  if (s[0] >= 0xC0)
    while (k < n && k < 4 && (s[k] & 0xC0) == 0x80 &&
           !charset_utf8_length(s + k, n - k))
      k++;
  return k;
}

/* Whether cp may change under NFC, alone or with its neighbours.  Every
 * code point below U+0300 is stable; above, most punctuation and letters
 * without decompositions are too, and skipping NFC for texts made only of
 * such characters is most of the reader's speed. */
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

/* Whether the n bytes at s begin with a quote that a backslash before it
 * escapes: " ' and the typographic quotes. */
static int quote_at(const unsigned char *s, size_t n) {
  if (n == 0)
    return 0;
  if (s[0] == '"' || s[0] == '\'')
    return 1;
  return n >= 3 && s[0] == 0xE2 && s[1] == 0x80 &&
         (s[2] == 0x98 || s[2] == 0x99 || s[2] == 0x9C || s[2] == 0x9D);
}

/* ---- The survey ---------------------------------------------------------- */

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

/* Surveys the character at s[i], which is not a plain byte; returns where
 * the next one starts. */
static size_t survey_at(const unsigned char *s, size_t len, size_t i,
                        txt_survey *sv) {
  unsigned char c = s[i];
  int sniffed = i < sv->sniffed;
  if (c >= 0x80) {
    size_t k = charset_utf8_length(s + i, len - i);
    if (!k) {
      /* Undefined in Windows-1252 and not part of UTF-8: no text has it. */
      int undefined = c < 0xA0 && !cp1252_high[c - 0x80];
      sv->invalid++;
      sv->undefined_1252 += undefined;
      sv->junk += undefined && sniffed;
      sv->changes = 1;
      return i + 1;
    }
    int32_t cp = utf8_code_point(s + i, k);
    sv->valid_multi++;
    if (cp < 0xA0)
      sv->changes = 1;   /* a C1 control character */
    else if (!sv->nfc && nfc_sensitive(cp))
      sv->nfc = 1;
    return i + k;
  }
  if (c == '\\')
    sv->changes |= quote_at(s + i + 1, len - i - 1);
  else if (c == 0) {
    sv->nul += sniffed;
    sv->changes = 1;
  } else {
    /* CR, form feed, the other C0 controls and DEL: all change, but CR
     * and form feed are at home in text. */
    sv->junk += sniffed && c != '\r' && c != '\f';
    sv->changes = 1;
  }
  return i + 1;
}

void txt_survey_bytes(const char *bytes, size_t len, txt_survey *sv) {
  const unsigned char *s = (const unsigned char *)bytes;
  memset(sv, 0, sizeof *sv);
  if (len >= 3 && s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF)
    sv->bom = 3;
  sv->sniffed = len < TXT_SNIFF_BYTES ? len : TXT_SNIFF_BYTES;
  for (size_t i = sv->bom; i < len;) {
    i = plain_end(s, i, len);
    if (i < len)
      i = survey_at(s, len, i, sv);
  }
}

int txt_not_text(const txt_survey *sv, char *why, size_t n) {
  size_t nul = sv->nul, junk = sv->junk, end = sv->sniffed;
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

/* ---- Decoding ------------------------------------------------------------ */

int txt_text_set(const quire_services *svc, quire_doc *doc, txt_text *t,
                 const char *src, size_t n) {
  if (n > t->cap) {
    char *block = n < SIZE_MAX ? svc->alloc(doc, n + 1) : NULL;
    if (!block)
      return QUIRE_FATAL;
    t->s = block;
    t->cap = n;
  }
  memmove(t->s, src, n);
  t->len = n;
  return QUIRE_OK;
}

typedef struct decoder {
  quire_env *env;
  const char *name;
  const unsigned char *s;   /* the bytes, after any byte order mark */
  size_t len;
  size_t offset;            /* of s in the file, for messages */
  char *out;                /* may be s itself: see txt_decode() */
  size_t used;
  int needs_nfc;            /* a character decoding made may change */
  unsigned long bad, controls;
} decoder;

static void warn_at(decoder *d, size_t offset, unsigned long count,
                    const char *what) {
  quire_loc loc = {.file = d->name, .offset = offset + 1};
  if (count <= TXT_WARNINGS_SHOWN)
    d->env->svc->warn(d->env, &loc, "%s", what);
}

/* Appends a code point that decoding made (a replacement character): the
 * survey did not see it. */
static void put_cp(decoder *d, int32_t cp) {
  if (!d->needs_nfc && nfc_sensitive(cp))
    d->needs_nfc = 1;
  d->used += (size_t)utf8proc_encode_char(cp, (utf8proc_uint8_t *)d->out + d->used);
}

static void drop_control(decoder *d, int32_t cp, size_t i) {
  char msg[64];
  snprintf(msg, sizeof msg, "control character U+%04X dropped", (unsigned)cp);
  warn_at(d, d->offset + i, ++d->controls, msg);
}

/* Decodes the character at s[i], which is not a plain byte, applying the
 * line ending, control character and quote-escape rules; returns its
 * length in bytes.  Valid UTF-8 is copied as it is: decoding and encoding
 * it again would give the same bytes. */
static size_t decode_at(decoder *d, size_t i) {
  const unsigned char *s = d->s + i;
  size_t n = d->len - i;
  unsigned char c = s[0];
  if (c == '\r') {
    if (n < 2 || s[1] != '\n')
      d->out[d->used++] = '\n';
    return 1;
  }
  if (c == '\\') {
    if (!quote_at(s + 1, n - 1))
      d->out[d->used++] = '\\';
    return 1;
  }
  if (c < 0x80) {   /* the other C0 controls and DEL */
    drop_control(d, c, i);
    return 1;
  }
  size_t k = charset_utf8_length(s, n);
  if (!k) {
    warn_at(d, d->offset + i, ++d->bad, "invalid UTF-8 replaced by U+FFFD");
    put_cp(d, 0xFFFD);
    return utf8_bad_run(s, n);
  }
  if (k == 2 && c == 0xC2 && s[1] < 0xA0) {   /* C1 controls */
    drop_control(d, s[1], i);
    return 2;
  }
  memmove(d->out + d->used, s, k);
  d->used += k;
  return k;
}

static void decode(decoder *d) {
  for (size_t i = 0; i < d->len;) {
    size_t run = plain_end(d->s, i, d->len);
    if (run > i) {
      if (d->out + d->used != (const char *)d->s + i)
        memmove(d->out + d->used, d->s + i, run - i);
      d->used += run - i;
      i = run;
    } else
      i += decode_at(d, i);
  }
}

/* Whether s[0..n) holds a byte outside ASCII: text without one is NFC. */
static int has_non_ascii(const char *s, size_t n) {
  size_t i = 0;
  for (; n - i >= 8; i += 8)
    if (txt_load8(s + i) & TXT_HIGHS)
      return 1;
  for (; i < n; i++)
    if ((unsigned char)s[i] >= 0x80)
      return 1;
  return 0;
}

/* Where the NFC segment starting at r ends: after a newline, or at the
 * end of the text. */
static size_t segment_end(const txt_text *t, size_t r) {
  if (t->len - r <= TXT_NFC_SEGMENT)
    return t->len;
  size_t e = r + TXT_NFC_SEGMENT;
  const char *nl = memchr(t->s + e, '\n', t->len - e);
  return nl ? (size_t)(nl - t->s) + 1 : t->len;
}

/* The NFC form of s[0..n) as UTF-8 in *cps, grown to hold it (*room code
 * points): its length in bytes, or a utf8proc error.  This is what
 * utf8proc_map() does, with a buffer kept from one segment to the next. */
static utf8proc_ssize_t nfc_segment(const char *s, size_t n,
                                    utf8proc_int32_t **cps, size_t *room) {
  const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
  utf8proc_ssize_t m = utf8proc_decompose(p, (utf8proc_ssize_t)n, *cps,
                                          (utf8proc_ssize_t)*room,
                                          TXT_NFC_OPTIONS);
  if (m >= 0 && (size_t)m > *room) {
    /* One more code point than needed: re-encoding ends with a NUL. */
    utf8proc_int32_t *grown = malloc(((size_t)m + 1) * sizeof *grown);
    if (!grown)
      return UTF8PROC_ERROR_NOMEM;
    free(*cps);
    *cps = grown;
    *room = (size_t)m;
    m = utf8proc_decompose(p, (utf8proc_ssize_t)n, *cps, m, TXT_NFC_OPTIONS);
  }
  return m < 0 ? m : utf8proc_reencode(*cps, m, TXT_NFC_OPTIONS);
}

/* Normalizes t to NFC in place, a segment at a time, so that a large text
 * is never held twice.  A segment's NFC form is written over what has been
 * read; in the rare case that it is longer than the room read so far
 * (U+0958 becomes two code points), the rest goes to a new block. */
static int normalize(quire_env *env, quire_doc *doc, const char *name,
                     txt_text *t) {
  quire_loc loc = {.file = name};
  utf8proc_int32_t *cps = NULL;
  size_t room = 0, r = 0, w = 0;
  utf8proc_ssize_t m = 0;
  while (r < t->len) {
    size_t e = segment_end(t, r);
    if (!has_non_ascii(t->s + r, e - r)) {
      memmove(t->s + w, t->s + r, e - r);
      w += e - r;
      r = e;
      continue;
    }
    m = nfc_segment(t->s + r, e - r, &cps, &room);
    if (m < 0)
      break;
    if (w + (size_t)m > e) {
      utf8proc_uint8_t *rest;
      m = utf8proc_map((const utf8proc_uint8_t *)t->s + r,
                       (utf8proc_ssize_t)(t->len - r), &rest, TXT_NFC_OPTIONS);
      if (m < 0)
        break;
      char *block = env->svc->alloc(doc, w + (size_t)m + 1);
      if (block) {
        memcpy(block, t->s, w);
        memcpy(block + w, rest, (size_t)m);
        t->s = block;
        t->cap = w + (size_t)m;
      }
      free(rest);
      if (!block) {
        m = UTF8PROC_ERROR_NOMEM;
        break;
      }
      w += (size_t)m;
      break;
    }
    memcpy(t->s + w, cps, (size_t)m);
    w += (size_t)m;
    r = e;
  }
  free(cps);
  if (m < 0) {
    env->svc->error(env, &loc, "Unicode normalization failed: %s",
                    utf8proc_errmsg(m));
    return m == UTF8PROC_ERROR_NOMEM ? QUIRE_FATAL : QUIRE_FAILED;
  }
  t->len = w;
  return QUIRE_OK;
}

int txt_decode(quire_env *env, quire_doc *doc, const char *name,
               const txt_survey *sv, txt_text *t) {
  const quire_services *svc = env->svc;
  quire_loc loc = {.file = name};
  /* The byte order mark is left out by starting after it. */
  t->s += sv->bom;
  t->len -= sv->bom;
  t->cap -= sv->bom;
  decoder d = {.env = env, .name = name, .s = (const unsigned char *)t->s,
               .len = t->len, .offset = sv->bom};
  if (sv->changes) {
    /* Decoding undamaged UTF-8 only drops bytes, so it writes over what it
     * has read; a replacement character (three bytes for one) may outgrow
     * the bytes. */
    char *grown = NULL;
    if (!sv->invalid)
      d.out = t->s;
    else if (t->len > (SIZE_MAX - 1) / 3 ||
             !(d.out = grown = malloc(t->len * 3 + 1))) {
      svc->error(env, &loc, "out of memory");
      return QUIRE_FATAL;
    }
    decode(&d);
    if (d.bad > TXT_WARNINGS_SHOWN)
      svc->warn(env, &loc, "%lu invalid UTF-8 sequences replaced in all",
                d.bad);
    if (d.controls > TXT_WARNINGS_SHOWN)
      svc->warn(env, &loc, "%lu control characters dropped in all",
                d.controls);
    int rc = grown ? txt_text_set(svc, doc, t, grown, d.used) : QUIRE_OK;
    free(grown);
    if (rc != QUIRE_OK) {
      svc->error(env, &loc, "out of memory");
      return rc;
    }
    t->len = d.used;
  }
  if (sv->nfc || d.needs_nfc)
    return normalize(env, doc, name, t);
  return QUIRE_OK;
}
