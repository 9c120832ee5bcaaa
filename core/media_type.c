/* media_type.c - what a resource's bytes are: signatures first, then the
 * name's extension.  Covers the EPUB 3 core media types and the usual web
 * image and font types; anything else is the caller's declared type. */
#include <quire/quire.h>

#include <string.h>
#include <strings.h>

static int starts(const unsigned char *d, size_t len, size_t at,
                  const char *sig, size_t n) {
  return len >= at + n && memcmp(d + at, sig, n) == 0;
}

/* SVG: XML (after a BOM, blanks, a declaration, comments or a doctype)
 * whose first element is svg. */
static int looks_svg(const unsigned char *d, size_t len) {
  size_t n = len < 4096 ? len : 4096;
  size_t i = starts(d, n, 0, "\xEF\xBB\xBF", 3) ? 3 : 0;
  while (i < n) {
    while (i < n && (d[i] == ' ' || d[i] == '\t' || d[i] == '\r' ||
                     d[i] == '\n'))
      i++;
    if (i >= n || d[i] != '<')
      return 0;
    if (i + 1 < n && (d[i + 1] == '?' || d[i + 1] == '!')) {
      const unsigned char *end = memchr(d + i, '>', n - i);
      if (!end)
        return 0;
      i = (size_t)(end - d) + 1;
      continue;
    }
    return starts(d, n, i + 1, "svg", 3) &&
           i + 4 < n && strchr(" \t\r\n>:", d[i + 4]) != NULL;
  }
  return 0;
}

static const char *by_bytes(const unsigned char *d, size_t len) {
  if (!d)
    return NULL;
  if (starts(d, len, 0, "\x89PNG\r\n\x1a\n", 8))
    return "image/png";
  if (starts(d, len, 0, "\xFF\xD8\xFF", 3))
    return "image/jpeg";
  if (starts(d, len, 0, "GIF87a", 6) || starts(d, len, 0, "GIF89a", 6))
    return "image/gif";
  if (starts(d, len, 0, "RIFF", 4) && starts(d, len, 8, "WEBP", 4))
    return "image/webp";
  if (starts(d, len, 0, "wOFF", 4))
    return "font/woff";
  if (starts(d, len, 0, "wOF2", 4))
    return "font/woff2";
  if (starts(d, len, 0, "OTTO", 4))
    return "font/otf";
  if (starts(d, len, 0, "\0\1\0\0", 4) && len >= 12)
    return "font/ttf";
  if (starts(d, len, 0, "ID3", 3) ||
      (len >= 2 && d[0] == 0xFF && (d[1] & 0xE0) == 0xE0 && (d[1] & 0x06)))
    return "audio/mpeg";
  if (starts(d, len, 0, "OggS", 4))
    return "audio/ogg";
  if (starts(d, len, 0, "%PDF-", 5))
    return "application/pdf";
  if (looks_svg(d, len))
    return "image/svg+xml";
  return NULL;
}

static const struct {
  const char *ext;
  const char *type;
} extensions[] = {
  {"png", "image/png"},        {"jpg", "image/jpeg"},
  {"jpeg", "image/jpeg"},      {"jpe", "image/jpeg"},
  {"gif", "image/gif"},        {"webp", "image/webp"},
  {"svg", "image/svg+xml"},    {"svgz", "image/svg+xml"},
  {"css", "text/css"},         {"woff", "font/woff"},
  {"woff2", "font/woff2"},     {"otf", "font/otf"},
  {"ttf", "font/ttf"},         {"mp3", "audio/mpeg"},
  {"m4a", "audio/mp4"},        {"mp4", "video/mp4"},
  {"ogg", "audio/ogg"},        {"opus", "audio/ogg"},
  {"js", "application/javascript"},
  {"xhtml", "application/xhtml+xml"},
  {"html", "text/html"},       {"htm", "text/html"},
  {"ncx", "application/x-dtbncx+xml"},
  {"smil", "application/smil+xml"},
  {"pls", "application/pls+xml"},
  {"pdf", "application/pdf"},  {"txt", "text/plain"},
};

static const char *by_name(const char *name) {
  const char *dot = name ? strrchr(name, '.') : NULL;
  if (!dot || strchr(dot, '/'))
    return NULL;
  for (size_t i = 0; i < sizeof extensions / sizeof *extensions; i++)
    if (strcasecmp(dot + 1, extensions[i].ext) == 0)
      return extensions[i].type;
  return NULL;
}

const char *quire_media_type_of(const void *data, size_t len,
                                const char *name) {
  const char *t = by_bytes(data, len);
  return t ? t : by_name(name);
}
