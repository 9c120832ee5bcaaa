/* epub_write_xml.c - an xmlTextWriter on a deflater, and what the bytes
 * of a content document show of its markup.
 *
 * Every XML file of the book is written with libxml2's xmlTextWriter, which
 * escapes text and attributes and balances elements, so each is well-formed
 * by construction.  Text goes through xml_text_write, which also drops
 * the characters XML 1.0 cannot hold.  A chapter's body comes from the
 * xhtml writer, whose bytes join the entry through epub_xml_sink, after a
 * flush of this writer's own.  Chapters are hashed as they are written,
 * for the book's default identifier, without reading them again. */
#include <errno.h>
#include <string.h>

#include "epub_write.h"

/* ---- What the content holds ------------------------------------------------
 * A small state machine over the bytes: after '<' an element's name is
 * read, then its attributes (names, and quoted values skipped) up to '>'.
 * Text and attribute values never hold a '<' (the writers escape it), so
 * only markup is seen: the body's own, and raw HTML the model passed
 * through.  An svg or math element, a script, or an event handler
 * attribute (onclick=...) is what epubcheck wants declared. */

enum { SCAN_TEXT, SCAN_NAME, SCAN_TAG, SCAN_ATTR, SCAN_VALUE_DQ,
       SCAN_VALUE_SQ };

static int name_char(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         (c >= '0' && c <= '9') || c == ':' || c == '-' || c == '_' ||
         c == '.' || c >= 0x80;
}

/* The element's name is read: its local part (after a prefix) says. */
static void scan_element(epub_scan *s) {
  s->name[s->n] = '\0';
  const char *local = strrchr(s->name, ':');
  local = local ? local + 1 : s->name;
  if (strcmp(local, "svg") == 0)
    s->found |= EPUB_HAS_SVG;
  else if (strcmp(local, "math") == 0)
    s->found |= EPUB_HAS_MATHML;
  else if (strcmp(local, "script") == 0)
    s->found |= EPUB_HAS_SCRIPT;
}

static void scan_bytes(epub_scan *s, const char *buf, size_t len) {
  const unsigned char *p = (const unsigned char *)buf, *end = p + len;
  while (p < end) {
    unsigned char c = *p;
    switch (s->state) {
    case SCAN_TEXT: {
      const unsigned char *lt = memchr(p, '<', (size_t)(end - p));
      if (!lt)
        return;
      p = lt + 1;
      s->state = SCAN_NAME;
      s->n = 0;
      continue;
    }
    case SCAN_NAME:
      if (name_char(c)) {
        if (s->n < sizeof s->name - 1)
          s->name[s->n++] = (char)c;
        break;
      }
      scan_element(s);
      s->state = c == '>' ? SCAN_TEXT : SCAN_TAG;
      s->n = 0;
      break;
    case SCAN_TAG:
      if (c == '>')
        s->state = SCAN_TEXT;
      else if (c == '"')
        s->state = SCAN_VALUE_DQ;
      else if (c == '\'')
        s->state = SCAN_VALUE_SQ;
      else if (name_char(c)) {
        s->state = SCAN_ATTR;
        s->name[0] = (char)c;
        s->n = 1;
      }
      break;
    case SCAN_ATTR:
      if (name_char(c)) {
        if (s->n < sizeof s->name - 1)
          s->name[s->n++] = (char)c;
        break;
      }
      if (s->n > 2 && (s->name[0] | 0x20) == 'o' && (s->name[1] | 0x20) == 'n')
        s->found |= EPUB_HAS_SCRIPT;
      s->state = c == '>' ? SCAN_TEXT : SCAN_TAG;
      if (c == '"' || c == '\'')
        s->state = c == '"' ? SCAN_VALUE_DQ : SCAN_VALUE_SQ;
      break;
    case SCAN_VALUE_DQ:
    case SCAN_VALUE_SQ: {
      const unsigned char *q =
          memchr(p, s->state == SCAN_VALUE_DQ ? '"' : '\'',
                 (size_t)(end - p));
      if (!q)
        return;
      p = q + 1;
      s->state = SCAN_TAG;
      continue;
    }
    }
    p++;
  }
}

static int to_deflater(void *ctx, const char *buf, int len) {
  epub_xml *x = ctx;
  if (x->err)
    return -1;
  if (x->scan)
    scan_bytes(x->scan, buf, (size_t)len);
  if (epub_deflate_write(x->dz, buf, (size_t)len) != QUIRE_OK) {
    x->err = errno ? errno : EIO;
    return -1;
  }
  if (x->sha)
    sha256_update(x->sha, (size_t)len, (const uint8_t *)buf);
  return len;
}

int epub_xml_sink(void *user, const void *buf, size_t n) {
  /* The xhtml writer's buffers are far below INT_MAX; chunks keep
   * to_deflater's contract all the same. */
  const char *p = buf;
  while (n) {
    int k = n > 1 << 30 ? 1 << 30 : (int)n;
    if (to_deflater(user, p, k) < 0)
      return QUIRE_FATAL;
    p += k;
    n -= (size_t)k;
  }
  return QUIRE_OK;
}

int epub_xml_attach(epub_xml *x, epub_deflater *dz, epub_text *t,
                    struct sha256_ctx *sha) {
  *x = (epub_xml){.dz = dz, .sha = sha, .t = t};
  xml_memory_watch();
  xmlOutputBufferPtr buf = xmlOutputBufferCreateIO(to_deflater, NULL, x, NULL);
  if (buf && !(x->w = xmlNewTextWriter(buf)))
    xmlOutputBufferClose(buf);
  if (!x->w) {
    errno = ENOMEM;
    return QUIRE_ERR;
  }
  if (epub_xml_raw(x, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")) {
    epub_xml_close(x);
    return QUIRE_ERR;
  }
  return QUIRE_OK;
}

int epub_xml_close(epub_xml *x) {
  int failed = 0;
  if (x->w) {
    failed = xmlTextWriterFlush(x->w) < 0 || xml_memory_failed();
    xmlFreeTextWriter(x->w);   /* also closes its output buffer */
    x->w = NULL;
  }
  if (x->err) {
    errno = x->err;
    return QUIRE_ERR;
  }
  if (failed) {
    errno = ENOMEM;
    return QUIRE_ERR;
  }
  return QUIRE_OK;
}

int epub_xml_flush(epub_xml *x) {
  return xmlTextWriterFlush(x->w) < 0 || xml_memory_failed();
}

int epub_xml_start(epub_xml *x, const char *name) {
  return xmlTextWriterStartElement(x->w, BAD_CAST name) < 0;
}

int epub_xml_end(epub_xml *x) { return xmlTextWriterFullEndElement(x->w) < 0; }

int epub_xml_end_empty(epub_xml *x) {
  return xmlTextWriterEndElement(x->w) < 0;
}

int epub_xml_attr(epub_xml *x, const char *name, const char *value) {
  return xml_text_write(x->t, x->w, name, value, strlen(value)) != 0;
}

int epub_xml_text(epub_xml *x, const char *s) {
  return xml_text_write(x->t, x->w, NULL, s, strlen(s)) != 0;
}

int epub_xml_raw(epub_xml *x, const char *s) {
  return xmlTextWriterWriteRaw(x->w, BAD_CAST s) < 0;
}
