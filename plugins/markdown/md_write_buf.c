/* md_write_buf.c - the Markdown writer's growable buffer, the character
 * classes of CommonMark's emphasis rules, and display width.
 *
 * The classes follow cmark-gfm 0.29 (the library the reader uses, so what
 * is written parses back with the rules that will read it): whitespace is
 * Unicode Zs plus tab, line feed, form feed and carriage return;
 * punctuation is ASCII punctuation plus Unicode's P categories (not the
 * S categories spec 0.31 added).  utf8proc gives the categories and the
 * widths, as it does for the txt writer. */
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "md_write.h"

void md_buf_grow(md_buf *b, size_t need) {
  if (b->failed || need < b->cap)
    return;
  size_t cap = b->cap ? b->cap : 256;
  while (cap <= need)
    cap *= 2;
  char *p = realloc(b->p, cap);
  if (!p) {
    b->failed = 1;
    return;
  }
  b->p = p;
  b->cap = cap;
}

void md_buf_put(md_buf *b, const char *s, size_t n) {
  if (!n)
    return;
  md_buf_grow(b, b->n + n + 1);
  if (b->failed)
    return;
  memcpy(b->p + b->n, s, n);
  b->n += n;
  b->p[b->n] = '\0';
}

void md_buf_puts(md_buf *b, const char *s) { md_buf_put(b, s, strlen(s)); }

void md_buf_insert(md_buf *b, size_t at, const char *s, size_t n) {
  if (!n)
    return;
  md_buf_grow(b, b->n + n + 1);
  if (b->failed)
    return;
  memmove(b->p + at + n, b->p + at, b->n - at + 1);
  memcpy(b->p + at, s, n);
  b->n += n;
}

void md_buf_free(md_buf *b) {
  free(b->p);
  memset(b, 0, sizeof *b);
}

int md_is_space_cp(int32_t c) {
  if (c == 0 || c == ' ' || c == '\t' || c == '\n' || c == '\f' ||
      c == '\r' || c == MD_BREAKABLE)
    return 1;
  if (c < 0x80)
    return 0;
  return utf8proc_category(c) == UTF8PROC_CATEGORY_ZS;
}

int md_is_punct_cp(int32_t c) {
  if (c < 0x80)
    return (c >= 0x21 && c <= 0x2f) || (c >= 0x3a && c <= 0x40) ||
           (c >= 0x5b && c <= 0x60) || (c >= 0x7b && c <= 0x7e);
  switch (utf8proc_category(c)) {
  case UTF8PROC_CATEGORY_PC:
  case UTF8PROC_CATEGORY_PD:
  case UTF8PROC_CATEGORY_PS:
  case UTF8PROC_CATEGORY_PE:
  case UTF8PROC_CATEGORY_PI:
  case UTF8PROC_CATEGORY_PF:
  case UTF8PROC_CATEGORY_PO:
    return 1;
  default:
    return 0;
  }
}

int32_t md_cp_at(const char *s, size_t n) {
  if (!n)
    return 0;
  utf8proc_int32_t c;
  utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)s,
                                        (utf8proc_ssize_t)(n > 4 ? 4 : n), &c);
  return k > 0 ? c : (unsigned char)s[0];
}

int32_t md_cp_before(const char *s, size_t n) {
  if (!n)
    return 0;
  size_t i = n - 1;
  while (i > 0 && n - i < 4 && ((unsigned char)s[i] & 0xC0) == 0x80)
    i--;
  return md_cp_at(s + i, n - i);
}

size_t md_display_width(const char *s, size_t n) {
  size_t width = 0, i = 0;
  while (i < n) {
    utf8proc_int32_t c;
    utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)s + i,
                                          (utf8proc_ssize_t)(n - i), &c);
    if (k <= 0) {
      width++;
      i++;
      continue;
    }
    int cw = utf8proc_charwidth(c);
    width += cw > 0 ? (size_t)cw : 0;
    i += (size_t)k;
  }
  return width;
}
