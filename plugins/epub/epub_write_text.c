/* epub_write_text.c - text for the book's own XML files (package, nav,
 * NCX, cover page, a chapter's <head>).
 *
 * XML 1.0 cannot hold most control characters, and invalid UTF-8 would
 * make a file unreadable: such characters are dropped, and counted.  The
 * characters kept are those XHTML chapters keep (the xhtml writer's rule),
 * so a title reads the same in the chapter, the nav and the package. */
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "epub_write.h"

static int writable(utf8proc_int32_t c) {
  return c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c < 0x7F) ||
         (c >= 0xA0 && c <= 0xD7FF) || (c >= 0xE000 && c <= 0xFFFD) ||
         (c >= 0x10000 && c <= 0x10FFFF);
}

/* The length of the character at s if it may be written, else 0 with
 * *skip set to the bytes to drop (one, for a byte that starts no valid
 * UTF-8 sequence). */
static size_t next_char(const unsigned char *s, size_t n, size_t *skip) {
  utf8proc_int32_t c;
  utf8proc_ssize_t len = utf8proc_iterate(s, (utf8proc_ssize_t)n, &c);
  if (len <= 0) {
    *skip = 1;
    return 0;
  }
  *skip = (size_t)len;
  return writable(c) ? (size_t)len : 0;
}

int epub_text_write(epub_text *t, xmlTextWriterPtr w, const char *name,
                    const char *s) {
  const unsigned char *u = (const unsigned char *)s;
  size_t n = strlen(s), i = 0, skip;
  for (;;) {
    /* printable ASCII, the bulk of most text, needs no decoding */
    while (i < n && u[i] >= 0x20 && u[i] < 0x7F)
      i++;
    if (i >= n || !next_char(u + i, n - i, &skip))
      break;
    i += skip;
  }
  const char *text = s;
  if (i < n) {   /* something to drop: write a cleaned copy */
    if (n + 1 > t->cap) {
      size_t cap = t->cap ? t->cap : 256;
      while (cap < n + 1)
        cap *= 2;
      char *grown = realloc(t->clean, cap);
      if (!grown)
        return QUIRE_FATAL;
      t->clean = grown;
      t->cap = cap;
    }
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
  int rc = name ? xmlTextWriterWriteAttribute(w, BAD_CAST name, BAD_CAST text)
                : xmlTextWriterWriteString(w, BAD_CAST text);
  return rc < 0 ? QUIRE_FATAL : QUIRE_OK;
}

void epub_text_free(epub_text *t) {
  free(t->clean);
  *t = (epub_text){0};
}
