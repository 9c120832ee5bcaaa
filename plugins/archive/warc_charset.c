/* warc_charset.c - the charset an HTTP header declares, passed on.
 *
 * A browser decodes a page by its byte order mark, else by the charset of
 * the HTTP Content-Type, else by a <meta> declaration, else by guessing.
 * The html and txt readers see no HTTP header, but they rank a BOM first:
 * so a payload whose header declares a charset is converted here to UTF-8
 * with a BOM in front, and reads as the browser would have read it, even
 * when its <meta> says otherwise.  Labels are those of the WHATWG Encoding
 * standard: ISO-8859-1 and US-ASCII mean windows-1252, as browsers take
 * them.  iconv does the converting; a byte it cannot convert becomes
 * U+FFFD.  A label iconv does not know leaves the bytes to the reader's
 * own detection. */
#include <errno.h>
#include <iconv.h>
#include <stdlib.h>
#include <string.h>

#include "archive.h"

static const char bom[] = "\xEF\xBB\xBF";

/* WHATWG labels whose encoding iconv calls by another name. */
static const struct {
  const char *label;
  const char *iconv;
} aliases[] = {
    {"utf8", "UTF-8"},          {"unicode-1-1-utf-8", "UTF-8"},
    {"iso-8859-1", "CP1252"},   {"iso8859-1", "CP1252"},
    {"iso_8859-1", "CP1252"},   {"latin1", "CP1252"},
    {"l1", "CP1252"},           {"us-ascii", "CP1252"},
    {"ascii", "CP1252"},        {"ansi_x3.4-1968", "CP1252"},
    {"cp819", "CP1252"},        {"ibm819", "CP1252"},
    {"x-cp1252", "CP1252"},     {"iso-8859-9", "CP1254"},
    {"latin5", "CP1254"},       {"iso-8859-11", "CP874"},
    {"tis-620", "CP874"},       {"gb2312", "GBK"},
    {"x-gbk", "GBK"},           {"ks_c_5601-1987", "CP949"},
    {"euc-kr", "CP949"},        {"x-sjis", "SHIFT_JIS"},
    {"x-mac-roman", "MACINTOSH"}};

static const char *iconv_name(const char *label) {
  for (size_t i = 0; i < sizeof aliases / sizeof aliases[0]; i++)
    if (strcmp(label, aliases[i].label) == 0)
      return aliases[i].iconv;
  return label;
}

static int has_bom(const char *s, size_t n) {
  const unsigned char *u = (const unsigned char *)s;
  return (n >= 3 && memcmp(s, bom, 3) == 0) ||
         (n >= 2 && ((u[0] == 0xFE && u[1] == 0xFF) ||
                     (u[0] == 0xFF && u[1] == 0xFE)));
}

int warc_to_utf8(const char *charset, const char *body, size_t len,
                 char **out, size_t *out_len, const char **why) {
  *out = NULL;
  *why = NULL;
  if (!charset[0] || has_bom(body, len))
    return QUIRE_DONE;
  if (strspn(charset, "abcdefghijklmnopqrstuvwxyz0123456789._:-") !=
      strlen(charset)) {
    *why = "not a charset name";   /* nor anything else for iconv */
    return QUIRE_DONE;
  }
  const char *name = iconv_name(charset);
  size_t cap = len < SIZE_MAX / 4 ? 3 * len + 16 : len;
  char *o = malloc(cap + 1);
  if (!o)
    return QUIRE_FATAL;
  memcpy(o, bom, 3);
  size_t n = 3;
  if (strcmp(name, "UTF-8") == 0 || strcmp(name, "utf-8") == 0) {
    memcpy(o + n, body, len);   /* the reader replaces what is not UTF-8 */
    n += len;
    o[n] = '\0';
    *out = o;
    *out_len = n;
    return QUIRE_OK;
  }
  iconv_t cd = iconv_open("UTF-8", name);
  if (cd == (iconv_t)-1) {
    free(o);
    *why = "a charset iconv does not know";
    return QUIRE_DONE;
  }
  char *in = (char *)body;
  size_t in_left = len;
  while (in_left) {
    if (cap - n < 16) {
      char *grown = cap < SIZE_MAX / 2 ? realloc(o, cap * 2 + 1) : NULL;
      if (!grown) {
        iconv_close(cd);
        free(o);
        return QUIRE_FATAL;
      }
      o = grown;
      cap *= 2;
    }
    char *dst = o + n;
    size_t dst_left = cap - n;
    size_t r = iconv(cd, &in, &in_left, &dst, &dst_left);
    n = (size_t)(dst - o);
    if (r != (size_t)-1 || errno == E2BIG)
      continue;
    /* a byte that is not in the charset, or one cut off at the end */
    memcpy(o + n, "\xEF\xBF\xBD", 3);
    n += 3;
    in++;
    in_left--;
    iconv(cd, NULL, NULL, NULL, NULL);   /* back to the initial state */
  }
  iconv_close(cd);
  o[n] = '\0';
  *out = o;
  *out_len = n;
  return QUIRE_OK;
}
