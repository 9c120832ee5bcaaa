/* epub_write_xml.c - an xmlTextWriter on a deflater.
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

static int to_deflater(void *ctx, const char *buf, int len) {
  epub_xml *x = ctx;
  if (x->err)
    return -1;
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
    failed = xmlTextWriterFlush(x->w) < 0;
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

int epub_xml_flush(epub_xml *x) { return xmlTextWriterFlush(x->w) < 0; }

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
