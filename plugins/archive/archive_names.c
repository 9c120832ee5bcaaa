/* archive_names.c - entry names as quire shows and uses them.
 *
 * quire never writes an entry to disk, so a name that climbs out ("../"),
 * starts at the root or holds control characters endangers nothing here;
 * but it is a sign of a forged archive, and such a name must not travel
 * on into messages, metadata or a bundle as it is.  So it is cleaned (and
 * the reader warns): the entry is read under what is left. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "archive.h"

/* The length of the valid UTF-8 sequence at s (1-4), or 0 when the bytes
 * there are not one.  Overlongs, surrogates and values past U+10FFFF are
 * invalid. */
static size_t utf8_valid(const unsigned char *s, size_t n) {
  unsigned char c = s[0];
  if (c < 0x80)
    return 1;
  size_t len = c >= 0xC2 && c <= 0xDF   ? 2
               : c >= 0xE0 && c <= 0xEF ? 3
               : c >= 0xF0 && c <= 0xF4 ? 4
                                        : 0;
  if (!len || n < len)
    return 0;
  for (size_t i = 1; i < len; i++)
    if ((s[i] & 0xC0) != 0x80)
      return 0;
  if ((c == 0xE0 && s[1] < 0xA0) || (c == 0xED && s[1] >= 0xA0) ||
      (c == 0xF0 && s[1] < 0x90) || (c == 0xF4 && s[1] >= 0x90))
    return 0;
  return len;
}

static int is_separator(char c) { return c == '/' || c == '\\'; }

char *arc_clean_name(const char *name, int *unsafe) {
  *unsafe = 0;
  size_t n = strlen(name);
  /* each byte becomes at most the 3 bytes of U+FFFD */
  char *out = malloc(3 * n + 1);
  if (!out)
    return NULL;
  size_t len = 0;
  const char *p = name;
  if (is_separator(*p))
    *unsafe |= ARC_ABSOLUTE;
  if (((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z')) && p[1] == ':') {
    *unsafe |= ARC_ABSOLUTE;   /* a Windows drive, "C:" */
    p += 2;
  }
  while (*p) {
    while (is_separator(*p))
      p++;
    size_t part = 0;
    while (p[part] && !is_separator(p[part]))
      part++;
    if (!part)
      break;
    if (part == 1 && p[0] == '.') {
      p += part;
      continue;
    }
    if (part == 2 && p[0] == '.' && p[1] == '.') {
      *unsafe |= ARC_CLIMBS;
      p += part;
      continue;
    }
    if (len)
      out[len++] = '/';
    for (size_t i = 0; i < part;) {
      const unsigned char *u = (const unsigned char *)p + i;
      size_t k = utf8_valid(u, part - i);
      if (k == 1 && (*u < 0x20 || *u == 0x7F)) {
        out[len++] = '_';
        *unsafe |= ARC_CONTROL;
      } else if (k) {
        memcpy(out + len, u, k);
        len += k;
      } else {
        memcpy(out + len, "\xEF\xBF\xBD", 3);
        len += 3;
        k = 1;
      }
      i += k;
    }
    p += part;
  }
  out[len] = '\0';
  return out;
}

const char *arc_printable(const char *name, char *buf, size_t n) {
  size_t len = 0;
  if (n < 8) {
    if (n)
      buf[0] = '\0';
    return buf;
  }
  const unsigned char *s = (const unsigned char *)name;
  size_t left = strlen(name);
  while (*s) {
    char piece[8];
    size_t k = utf8_valid(s, left), w;
    if (k == 1 && (*s < 0x20 || *s == 0x7F)) {
      w = (size_t)snprintf(piece, sizeof piece, "\\x%02X", *s);
    } else if (k) {
      memcpy(piece, s, k);
      w = k;
    } else {
      w = (size_t)snprintf(piece, sizeof piece, "\\x%02X", *s);
      k = 1;
    }
    if (len + w + 4 > n) {
      memcpy(buf + len, "...", 4);
      return buf;
    }
    memcpy(buf + len, piece, w);
    len += w;
    s += k;
    left -= k;
  }
  buf[len] = '\0';
  return buf;
}

char *arc_raw_name(const char *input_name) {
  const char *base = strrchr(input_name, '/');
  base = base ? base + 1 : input_name;
  const char *dot = strrchr(base, '.');
  size_t stem = dot && dot != base ? (size_t)(dot - base) : strlen(base);
  static const char *const tars[] = {"tgz", "tbz", "tbz2", "txz", "tzst",
                                     "tlz", "taz"};
  int tar = 0;
  for (size_t i = 0; dot && dot != base && i < sizeof tars / sizeof *tars; i++)
    tar |= strcmp(dot + 1, tars[i]) == 0;
  char *name = malloc(stem + 5);
  if (name) {
    memcpy(name, base, stem);
    strcpy(name + stem, tar ? ".tar" : "");
  }
  return name;
}

char *arc_join(const char *outer, const char *inner) {
  size_t n = strlen(outer) + strlen(inner) + 2;
  char *s = malloc(n);
  if (s)
    snprintf(s, n, "%s!%s", outer, inner);
  return s;
}

char *arc_clean_uri(const char *uri) {
  size_t n = strlen(uri);
  char *out = malloc(3 * n + 1);
  if (!out)
    return NULL;
  size_t len = 0;
  const unsigned char *s = (const unsigned char *)uri;
  size_t left = n;
  while (*s) {
    size_t k = utf8_valid(s, left);
    if (k == 1 && *s > 0x20 && *s != 0x7F) {
      out[len++] = (char)*s;
    } else if (k > 1) {
      memcpy(out + len, s, k);
      len += k;
    } else {
      snprintf(out + len, 4, "%%%02X", *s);
      len += 3;
      k = 1;
    }
    s += k;
    left -= k;
  }
  out[len] = '\0';
  return out;
}
