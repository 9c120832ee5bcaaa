/* html_charset.c - the bytes of an HTML file as UTF-8.
 *
 * The charset is --input-encoding when given; else it is found as a
 * browser finds it, in this order: a byte order mark; a <meta charset> or
 * <meta http-equiv="Content-Type"> declaration in the first 1024 bytes;
 * UTF-16 or UTF-32 by the pattern of their NUL bytes (charset.c), which
 * ASCII text in them shares with UTF-8; UTF-8 when the bytes are valid
 * UTF-8; otherwise what the detector finds (charset.c: libuchardet),
 * with a warning when it is unsure.  Labels mean what they mean to a
 * browser ("ISO-8859-1" and "US-ASCII" are windows-1252; see charset.c).
 * Charsets other than UTF-8 are converted with iconv.  Bytes that are not
 * valid in their charset become U+FFFD with one warning; NUL bytes are
 * dropped.  The parser then gets clean UTF-8. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "charset.h"
#include "html.h"

enum { PRESCAN_BYTES = 1024, LABEL_MAX = 64 };

typedef struct outbuf {
  char *s;
  size_t n, cap;
} outbuf;

static int out_reserve(outbuf *o, size_t more) {
  if (o->n + more <= o->cap)
    return QUIRE_OK;
  size_t cap = o->cap ? o->cap : 4096;
  while (cap < o->n + more)
    cap *= 2;
  char *s = realloc(o->s, cap);
  if (!s)
    return QUIRE_ERR;
  o->s = s;
  o->cap = cap;
  return QUIRE_OK;
}

static const char replacement[] = "\xEF\xBF\xBD";   /* U+FFFD */

/* ---- Finding the declared charset ------------------------------------- */

static int is_space(unsigned char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

static int starts_ci(const char *p, const char *end, const char *word) {
  size_t n = strlen(word);
  return (size_t)(end - p) >= n && strncasecmp(p, word, n) == 0;
}

/* Reads one attribute of a tag at *p: its name (lower-cased into name) and
 * value (into value, as a pointer and length into the bytes).  Returns 0
 * at the end of the tag. */
static int next_attribute(const char **p, const char *end, char *name,
                          size_t name_size, const char **value,
                          size_t *value_len) {
  const char *s = *p;
  while (s < end && (is_space((unsigned char)*s) || *s == '/'))
    s++;
  if (s >= end || *s == '>')
    return *p = s, 0;
  size_t n = 0;
  while (s < end && !is_space((unsigned char)*s) && *s != '=' && *s != '>' &&
         *s != '/') {
    if (n + 1 < name_size) {
      char c = *s;
      name[n++] = (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
    }
    s++;
  }
  name[n] = '\0';
  *value = s;
  *value_len = 0;
  while (s < end && is_space((unsigned char)*s))
    s++;
  if (s < end && *s == '=') {
    s++;
    while (s < end && is_space((unsigned char)*s))
      s++;
    if (s < end && (*s == '"' || *s == '\'')) {
      char q = *s++;
      *value = s;
      while (s < end && *s != q)
        s++;
      *value_len = (size_t)(s - *value);
      if (s < end)
        s++;
    } else {
      *value = s;
      while (s < end && !is_space((unsigned char)*s) && *s != '>')
        s++;
      *value_len = (size_t)(s - *value);
    }
  }
  *p = s;
  return 1;
}

/* The charset named in a Content-Type value ("text/html; charset=x"). */
static int charset_of_content(const char *v, size_t n, const char **cs,
                              size_t *cs_len) {
  const char *end = v + n;
  for (const char *p = v; p < end; p++) {
    if (!starts_ci(p, end, "charset"))
      continue;
    p += 7;
    while (p < end && is_space((unsigned char)*p))
      p++;
    if (p >= end || *p != '=')
      continue;
    p++;
    while (p < end && is_space((unsigned char)*p))
      p++;
    if (p < end && (*p == '"' || *p == '\''))
      p++;
    const char *s = p;
    while (p < end && !is_space((unsigned char)*p) && *p != ';' && *p != '"' &&
           *p != '\'')
      p++;
    *cs = s;
    *cs_len = (size_t)(p - s);
    return *cs_len > 0;
  }
  return 0;
}

/* Looks for a charset declared by a <meta> element in the first bytes,
 * skipping comments and the attributes of other tags.  The label goes
 * into `label`; returns 0 when none is declared. */
static int declared_charset(const char *bytes, size_t len, char *label) {
  const char *p = bytes, *end = bytes + (len < PRESCAN_BYTES ? len : PRESCAN_BYTES);
  while (p < end) {
    if (starts_ci(p, end, "<!--")) {
      const char *close = p + 4;
      while (close < end && !starts_ci(close, end, "-->"))
        close++;
      p = close < end ? close + 3 : end;
    } else if (starts_ci(p, end, "<meta") && p + 5 < end &&
               (is_space((unsigned char)p[5]) || p[5] == '/')) {
      p += 5;
      char name[16];
      const char *v, *cs = NULL;
      size_t vn, cs_len = 0;
      int pragma = 0, need_pragma = 0;
      while (next_attribute(&p, end, name, sizeof name, &v, &vn)) {
        if (strcmp(name, "http-equiv") == 0 && vn == 12 &&
            strncasecmp(v, "content-type", 12) == 0)
          pragma = 1;
        else if (strcmp(name, "charset") == 0 && vn > 0) {
          cs = v;
          cs_len = vn;
          need_pragma = 0;
        } else if (strcmp(name, "content") == 0 && !cs &&
                   charset_of_content(v, vn, &cs, &cs_len))
          need_pragma = 1;
      }
      if (cs && (!need_pragma || pragma)) {
        while (cs_len && is_space((unsigned char)cs[cs_len - 1]))
          cs_len--;
        while (cs_len && is_space((unsigned char)*cs))
          cs++, cs_len--;
        if (cs_len && cs_len < LABEL_MAX) {
          memcpy(label, cs, cs_len);
          label[cs_len] = '\0';
          return 1;
        }
      }
    } else if (*p == '<' && p + 1 < end &&
               (p[1] == '/' || p[1] == '!' || p[1] == '?' ||
                ((p[1] | 0x20) >= 'a' && (p[1] | 0x20) <= 'z'))) {
      /* Another tag: skip its attributes, whose values may hold '<'. */
      char name[16];
      const char *v;
      size_t vn;
      p++;
      while (p < end && !is_space((unsigned char)*p) && *p != '>')
        p++;
      while (next_attribute(&p, end, name, sizeof name, &v, &vn))
        ;
    } else
      p++;
  }
  return 0;
}

/* ---- Decoding ------------------------------------------------------------ */

static int valid_utf8(const char *s, size_t n) {
  for (size_t i = 0; i < n;) {
    size_t k = charset_utf8_length((const unsigned char *)s + i, n - i);
    if (!k)
      return 0;
    i += k;
  }
  return 1;
}

typedef struct bad_bytes {
  size_t count;
  size_t first;     /* offset of the first one */
} bad_bytes;

static void note_bad(bad_bytes *bad, size_t offset) {
  if (!bad->count++)
    bad->first = offset;
}

/* Copies UTF-8, invalid sequences replaced. */
static int copy_utf8(const char *s, size_t n, outbuf *o, bad_bytes *bad) {
  if (out_reserve(o, n + 1))
    return QUIRE_ERR;
  for (size_t i = 0; i < n;) {
    size_t k = charset_utf8_length((const unsigned char *)s + i, n - i);
    if (k) {
      memcpy(o->s + o->n, s + i, k);
      o->n += k;
      i += k;
      continue;
    }
    note_bad(bad, i);
    if (out_reserve(o, 3 + n - i))
      return QUIRE_ERR;
    memcpy(o->s + o->n, replacement, 3);
    o->n += 3;
    i++;
  }
  return QUIRE_OK;
}

static int means_utf8(const char *label) {
  /* A page read as ASCII-compatible bytes cannot really be UTF-16. */
  return strcasecmp(label, "utf-8") == 0 || strcasecmp(label, "utf8") == 0 ||
         strcasecmp(label, "unicode-1-1-utf-8") == 0 ||
         strncasecmp(label, "utf-16", 6) == 0;
}

/* How the charset was found, for the -v note. */
static const char *const found_by[] = {"--input-encoding", "byte order mark",
                                       "declared", "detected"};
enum { BY_OPTION, BY_BOM, BY_DECLARED, BY_DETECTION };

int html_decode(quire_env *env, const char *name, const char *forced,
                const char *bytes, size_t len, char **text, size_t *text_len,
                char *encoding) {
  const quire_services *svc = env->svc;
  quire_loc loc = {.file = name};
  char label[LABEL_MAX];
  const char *charset = NULL, *mark = charset_bom(bytes, len, &(size_t){0});
  size_t skip = 0;
  int by = BY_DETECTION;

  if (forced && forced[0]) {
    charset = forced, by = BY_OPTION;
    if (mark && strcmp(mark, forced) == 0)
      charset_bom(bytes, len, &skip);
  } else if (mark)
    charset = mark, by = BY_BOM, charset_bom(bytes, len, &skip);
  else if (declared_charset(bytes, len, label)) {
    if (means_utf8(label))
      charset = "utf-8", by = BY_DECLARED;
    else if (charset_canonical(label, encoding, 32))
      charset = encoding, by = BY_DECLARED;
    else
      svc->warn(env, &loc, "unknown charset '%s' declared; detecting the "
                           "encoding instead", label);
  }
  /* UTF-16 and UTF-32 without a mark declare nothing a byte scan finds,
   * and may be valid UTF-8 (ASCII and NUL bytes): their NUL bytes tell
   * first. */
  if (!charset && (charset = charset_wide(bytes, len, &skip)) != NULL)
    by = BY_DETECTION;
  if (!charset && valid_utf8(bytes, len))
    charset = "utf-8";
  if (!charset) {
    charset_guess g;
    if (charset_detect(bytes, len, &g) != 0) {
      svc->error(env, &loc, "out of memory");
      return QUIRE_FATAL;
    }
    if (g.unsure)
      svc->warn(env, &loc, "encoding unsure (%s): read as %s; name it with "
                "--input-encoding", g.why, g.name);
    snprintf(encoding, 32, "%s", g.name);
    charset = encoding;
    skip = g.bom;
  }
  if (charset != encoding)
    snprintf(encoding, 32, "%s", charset);

  outbuf o = {0};
  bad_bytes bad = {0};
  int rc = QUIRE_OK;
  if (strcmp(encoding, "utf-8") == 0)
    rc = copy_utf8(bytes + skip, len - skip, &o, &bad);
  else {
    charset_bad cb;
    int crc = charset_to_utf8(encoding, bytes + skip, len - skip, &o.s, &o.n,
                              &cb);
    if (crc == -2) {
      svc->error(env, &loc, "cannot convert from charset %s", encoding);
      return QUIRE_ERR;
    }
    o.cap = o.n + 1;
    rc = crc == 0 ? QUIRE_OK : QUIRE_ERR;
    bad.count = cb.count;
    bad.first = skip + cb.first;
  }
  if (rc == QUIRE_OK)
    rc = out_reserve(&o, 1);
  if (rc != QUIRE_OK) {
    free(o.s);
    svc->error(env, &loc, "out of memory");
    return QUIRE_FATAL;
  }
  /* NUL bytes end strings in the parser; a browser ignores them too. */
  size_t w = 0;
  for (size_t i = 0; i < o.n; i++)
    if (o.s[i])
      o.s[w++] = o.s[i];
  o.s[w] = '\0';
  if (bad.count) {
    quire_loc at = {.file = name, .offset = bad.first + 1};
    svc->warn(env, &at, "%zu byte%s not valid in charset %s replaced by "
                        "U+FFFD", bad.count, bad.count == 1 ? "" : "s",
              encoding);
  }
  if (svc->verbose(env))
    svc->info(env, &loc, "encoding %s (%s)", encoding, found_by[by]);
  *text = o.s;
  *text_len = w;
  return QUIRE_OK;
}
