/* epub_write_refs.c - which links a book can hold.
 *
 * An EPUB must contain every resource its pages use: epubcheck rejects a
 * link to a file that is not in the book (RSC-007), an image on the web
 * (RSC-006), a link to an id that does not exist (RSC-012) and an href
 * that is not a valid URI (RSC-020).  Documents read from web pages are
 * full of those.  So, as a file's part of a document is copied
 * (epub_write_copy.c):
 *
 *   - a link with a scheme (https:, mailto:, ...) stays; "//host/path"
 *     gets "https:", and characters a URI cannot hold (spaces, non-ASCII
 *     bytes, ...) are percent-encoded, as browsers do; any other link (a
 *     path on the site the page came from, another file, javascript:,
 *     file:) keeps its text and loses the link;
 *   - "#id" links are the copy's own business: they follow the id to the
 *     file that holds it. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "epub_write.h"


static int alpha(int c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
static int digit(int c) { return c >= '0' && c <= '9'; }

/* The length of url's scheme (RFC 3986: ALPHA *(ALPHA / DIGIT / + - .)),
 * 0 when it has none. */
static size_t scheme_len(const char *url) {
  if (!alpha((unsigned char)url[0]))
    return 0;
  size_t i = 1;
  while (alpha((unsigned char)url[i]) || digit((unsigned char)url[i]) ||
         url[i] == '+' || url[i] == '-' || url[i] == '.')
    i++;
  return url[i] == ':' ? i : 0;
}

static int hex(int c) {
  return digit(c) ? c - '0' : (c | 0x20) >= 'a' && (c | 0x20) <= 'f'
                                  ? (c | 0x20) - 'a' + 10 : -1;
}

/* Non-zero for a byte a URI cannot hold as it is (RFC 3986): it is
 * percent-encoded.  `fragment`: a '#' was seen, so another is one too. */
static int must_escape(const char *p, int fragment) {
  unsigned char c = (unsigned char)*p;
  if (c == '%')
    return hex((unsigned char)p[1]) < 0 || hex((unsigned char)p[2]) < 0;
  return c <= 0x20 || c >= 0x7F || strchr("\"<>\\^`{|}", c) ||
         (c == '#' && fragment);
}

static int needs_escape(const char *url) {
  int fragment = 0;
  for (const char *p = url; *p; p++) {
    if (must_escape(p, fragment))
      return 1;
    fragment |= *p == '#';
  }
  return 0;
}

char *epub_fixed_url(const char *url) {
  const char *scheme = url[0] == '/' && url[1] == '/' ? "https:" : "";
  size_t n = strlen(scheme);
  char *out = malloc(n + 3 * strlen(url) + 1);
  if (!out)
    return NULL;
  memcpy(out, scheme, n);
  int fragment = 0;
  for (const char *p = url; *p; p++) {
    if (must_escape(p, fragment))
      n += (size_t)sprintf(out + n, "%%%02X", (unsigned char)*p);
    else
      out[n++] = *p;
    fragment |= *p == '#';
  }
  out[n] = '\0';
  return out;
}

int epub_url_has_scheme(const char *url) {
  return url && ((url[0] == '/' && url[1] == '/') || scheme_len(url) > 0);
}

int epub_link_rule(const char *url) {
  if (!url)
    return EPUB_LINK_KEEP;   /* <a> without href: a plain anchor */
  size_t s = scheme_len(url);
  if ((url[0] == '/' && url[1] == '/') ||
      (s && !(s == 10 && strncasecmp(url, "javascript", 10) == 0) &&
       !(s == 4 && strncasecmp(url, "file", 4) == 0)))
    return url[0] == '/' || needs_escape(url) ? EPUB_LINK_FIX
                                              : EPUB_LINK_KEEP;
  return EPUB_LINK_DROP;
}

const char *epub_image_type(const unsigned char *h, size_t n,
                            const char **ext) {
  if (n >= 3 && h[0] == 0xFF && h[1] == 0xD8 && h[2] == 0xFF)
    return *ext = "jpg", "image/jpeg";
  if (n >= 8 && memcmp(h, "\x89PNG\r\n\x1a\n", 8) == 0)
    return *ext = "png", "image/png";
  if (n >= 6 && (memcmp(h, "GIF87a", 6) == 0 || memcmp(h, "GIF89a", 6) == 0))
    return *ext = "gif", "image/gif";
  return NULL;
}

