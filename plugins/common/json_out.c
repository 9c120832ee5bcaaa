/* json_out.c - a growable output buffer and JSON string escaping, for the
 * plugins that write JSON (json, pandoc-json).
 *
 * jansson encodes a tree of its own values; building one per document
 * would cost an allocation per node, so the writers walk quire's tree and
 * write JSON text here, and only strings need escaping.  Runs of plain
 * bytes are copied whole, eight ASCII bytes checked at a time. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "json_out.h"

static int grow(json_out *b, size_t need) {
  if (b->failed)
    return 0;
  if (b->len + need + 1 <= b->cap)
    return 1;
  size_t cap = b->cap ? b->cap : 4096;
  while (cap < b->len + need + 1) {
    if (cap > ((size_t)-1) / 2) {
      b->failed = 1;
      return 0;
    }
    cap *= 2;
  }
  char *s = realloc(b->s, cap);
  if (!s) {
    b->failed = 1;
    return 0;
  }
  b->s = s;
  b->cap = cap;
  return 1;
}

void json_out_put(json_out *b, const char *s, size_t n) {
  if (!grow(b, n))
    return;
  if (n)
    memcpy(b->s + b->len, s, n);
  b->len += n;
  b->s[b->len] = '\0';
}

void json_out_puts(json_out *b, const char *s) {
  json_out_put(b, s, strlen(s));
}

/* The length of the valid UTF-8 sequence at s (n bytes left, s[0] >=
 * 0x80), or 0 when it is not one (overlong forms and surrogates are not). */
static size_t utf8_length(const unsigned char *s, size_t n) {
  unsigned c = s[0];
  size_t len;
  unsigned min;
  if (c >= 0xC2 && c <= 0xDF) {
    len = 2;
    min = 0x80;
  } else if (c >= 0xE0 && c <= 0xEF) {
    len = 3;
    min = 0x800;
  } else if (c >= 0xF0 && c <= 0xF4) {
    len = 4;
    min = 0x10000;
  } else {
    return 0;
  }
  if (n < len)
    return 0;
  unsigned cp = c & (0x7F >> len);
  for (size_t i = 1; i < len; i++) {
    if ((s[i] & 0xC0) != 0x80)
      return 0;
    cp = (cp << 6) | (s[i] & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
    return 0;
  return len;
}

#define ONES 0x0101010101010101ULL
#define HIGHS 0x8080808080808080ULL

void json_out_escape(json_out *b, const char *text, size_t n) {
  static const char hex[] = "0123456789abcdef";
  const unsigned char *s = (const unsigned char *)text;
  size_t run = 0;   /* start of the bytes not yet copied */
  size_t i = 0;
  while (i < n) {
    /* Eight plain ASCII bytes at a time: none below 0x20, none '"' or
     * '\\', none 0x80 or above. */
    while (n - i >= 8) {
      uint64_t v;
      memcpy(&v, s + i, 8);
      uint64_t quote = v ^ (ONES * '"'), slash = v ^ (ONES * '\\');
      uint64_t special = (v & HIGHS) |
                         ((v - ONES * 0x20) & ~v & HIGHS) |
                         ((quote - ONES) & ~quote & HIGHS) |
                         ((slash - ONES) & ~slash & HIGHS);
      if (special)
        break;
      i += 8;
    }
    if (i >= n)
      break;
    unsigned char c = s[i];
    if (c >= 0x20 && c != '"' && c != '\\' && c < 0x80) {
      i++;
      continue;
    }
    if (c >= 0x80) {
      size_t len = utf8_length(s + i, n - i);
      if (len) {
        i += len;
        continue;
      }
    }
    json_out_put(b, text + run, i - run);
    char esc[6];
    size_t k = 2;
    esc[0] = '\\';
    switch (c) {
    case '"': esc[1] = '"'; break;
    case '\\': esc[1] = '\\'; break;
    case '\n': esc[1] = 'n'; break;
    case '\t': esc[1] = 't'; break;
    case '\r': esc[1] = 'r'; break;
    case '\b': esc[1] = 'b'; break;
    case '\f': esc[1] = 'f'; break;
    default:
      if (c < 0x20) {
        memcpy(esc + 1, "u00", 3);
        esc[4] = hex[c >> 4];
        esc[5] = hex[c & 15];
        k = 6;
      } else {
        memcpy(esc, "\xEF\xBF\xBD", 3);   /* U+FFFD for a bad byte */
        k = 3;
      }
    }
    json_out_put(b, esc, k);
    i++;
    run = i;
  }
  json_out_put(b, text + run, n - run);
}

void json_out_string(json_out *b, const char *s, size_t n) {
  json_out_put(b, "\"", 1);
  json_out_escape(b, s, n);
  json_out_put(b, "\"", 1);
}

void json_out_cstring(json_out *b, const char *s) {
  json_out_string(b, s, strlen(s));
}

void json_out_clear(json_out *b) {
  b->len = 0;
  if (b->s)
    b->s[0] = '\0';
}

void json_out_free(json_out *b) {
  free(b->s);
  *b = (json_out){0};
}
