/* xml_text.c - text written without the characters XML cannot hold. */
#include "xml_text.h"

#include <limits.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/xmlerror.h>
#include <libxml/xmlstring.h>

static int writable(int c) {
  return c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c < 0x7F) ||
         (c >= 0xA0 && c <= 0xD7FF) || (c >= 0xE000 && c <= 0xFFFD) ||
         (c >= 0x10000 && c <= 0x10FFFF);
}

/* The length of the character at s if it may be written, else 0 with
 * *skip set to the bytes to drop. */
static size_t next_char(const unsigned char *s, size_t n, size_t *skip) {
  if (s[0] < 0x80) {
    *skip = 1;
    return writable(s[0]) ? 1 : 0;
  }
  int len = n > 4 ? 4 : (int)n;
  int c = xmlGetUTF8Char(s, &len);
  if (c < 0 || len <= 0) {
    *skip = 1;
    return 0;
  }
  *skip = (size_t)len;
  return writable(c) ? (size_t)len : 0;
}

static int grow(xml_text *t, size_t need) {
  if (need <= t->cap)
    return 0;
  size_t cap = t->cap ? t->cap : 256;
  while (cap < need)
    cap *= 2;
  char *p = realloc(t->clean, cap);
  if (!p)
    return -1;
  t->clean = p;
  t->cap = cap;
  return 0;
}

/* The escape xmlEncodeSpecialChars gives c in element content, or NULL. */
static const char *escape_of(unsigned char c) {
  switch (c) {
  case '<': return "&lt;";
  case '>': return "&gt;";
  case '&': return "&amp;";
  case '"': return "&quot;";
  case '\r': return "&#13;";
  default: return NULL;
  }
}

/* Bytes that need a look: escapes, controls, and the start of non-ASCII. */
static unsigned char special[256];

static void special_init(void) {
  for (int c = 0; c < 256; c++)
    special[c] = c < 0x20 || c >= 0x7F || escape_of((unsigned char)c);
}

/* Element content, escaped as xmlTextWriterWriteString escapes it
 * (xmlEncodeSpecialChars) into t->clean, and written in one raw write.
 * xmlTextWriterWriteString would allocate an escaped copy of every text
 * and walk it a character at a time; for text-heavy pages that was a
 * third of the writer's time. */
static int write_content(xml_text *t, xmlTextWriterPtr w, const char *s,
                         size_t n) {
  static pthread_once_t once = PTHREAD_ONCE_INIT;
  pthread_once(&once, special_init);
  const unsigned char *u = (const unsigned char *)s;
  /* most text grows little: room for n and some escapes, grown as needed */
  if (grow(t, n + n / 8 + 16))
    return -1;
  size_t out = 0, i = 0, skip = 1;
  while (i < n) {
    size_t run = i;
    while (run < n && !special[u[run]])
      run++;
    if (run > i) {
      if (grow(t, out + (run - i) + 1))
        return -1;
      memcpy(t->clean + out, s + i, run - i);
      out += run - i;
      i = run;
      continue;
    }
    const char *esc = escape_of(u[i]);
    size_t k = esc ? strlen(esc) : next_char(u + i, n - i, &skip);
    if (grow(t, out + (k ? k : 1) + 1))
      return -1;
    if (esc) {
      memcpy(t->clean + out, esc, k);
      skip = 1;
    } else if (k)
      memcpy(t->clean + out, s + i, k);
    else
      t->dropped++;
    out += k;
    i += skip;
  }
  if (out > INT_MAX)
    return -1;
  return xmlTextWriterWriteRawLen(w, BAD_CAST t->clean, (int)out) < 0 ? -1
                                                                       : 0;
}

int xml_text_write(xml_text *t, xmlTextWriterPtr w, const char *name,
                   const char *s, size_t n) {
  if (!name)
    return write_content(t, w, s, n);
  const unsigned char *u = (const unsigned char *)s;
  size_t i = 0, skip = 1;
  for (;;) {
    /* printable ASCII, the bulk of most text, needs no decoding */
    while (i < n && u[i] >= 0x20 && u[i] < 0x7F)
      i++;
    if (i >= n || !next_char(u + i, n - i, &skip))
      break;
    i += skip;
  }
  const char *text = s;
  if (i < n || s[n] != '\0') {
    if (grow(t, n + 1))
      return -1;
    memcpy(t->clean, s, i);
    size_t out = i;
    while (i < n) {
      size_t k = next_char(u + i, n - i, &skip);
      if (k) {
        memcpy(t->clean + out, s + i, k);
        out += k;
      } else
        t->dropped++;
      i += skip;
    }
    t->clean[out] = '\0';
    text = t->clean;
  }
  return xmlTextWriterWriteAttribute(w, BAD_CAST name, BAD_CAST text) < 0 ? -1
                                                                         : 0;
}

void xml_text_free(xml_text *t) {
  free(t->clean);
  *t = (xml_text){0};
}

void xml_memory_watch(void) { xmlResetLastError(); }

int xml_memory_failed(void) {
  const xmlError *e = xmlGetLastError();
  return e && e->code == XML_ERR_NO_MEMORY;
}
