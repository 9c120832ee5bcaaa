/* epub_write_xml.c - an xmlTextWriter on a deflater.
 *
 * Every XML file of the book is written with libxml2's xmlTextWriter, which
 * escapes text and attributes and balances elements, so each is well-formed
 * by construction.  Text goes through html_render_text, which also drops
 * the characters XML 1.0 cannot hold.  Chapters are hashed as they are
 * written, for the book's default identifier, without reading them again. */
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
    epub_sha256_add(x->sha, buf, (size_t)len);
  return len;
}

int epub_xml_attach(epub_xml *x, epub_deflater *dz, html_render *r,
                    epub_sha256 *sha) {
  *x = (epub_xml){.dz = dz, .sha = sha, .r = r};
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

int epub_xml_start(epub_xml *x, const char *name) {
  return xmlTextWriterStartElement(x->w, BAD_CAST name) < 0;
}

int epub_xml_end(epub_xml *x) { return xmlTextWriterFullEndElement(x->w) < 0; }

int epub_xml_end_empty(epub_xml *x) {
  return xmlTextWriterEndElement(x->w) < 0;
}

int epub_xml_attr(epub_xml *x, const char *name, const char *value) {
  return html_render_text(x->r, x->w, name, value, strlen(value)) != QUIRE_OK;
}

int epub_xml_text(epub_xml *x, const char *s) {
  return html_render_text(x->r, x->w, NULL, s, strlen(s)) != QUIRE_OK;
}

int epub_xml_raw(epub_xml *x, const char *s) {
  return xmlTextWriterWriteRaw(x->w, BAD_CAST s) < 0;
}
