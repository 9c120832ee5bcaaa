/* epub_read_path.c - hrefs of the package and of the tables of contents as
 * entry names of the container.
 *
 * An href is a URL relative to the file it appears in.  Only the path
 * matters here: the query and fragment go, percent-escapes are decoded
 * ("chapter%201.xhtml" is the entry "chapter 1.xhtml"), "." segments are
 * dropped and ".." removes the segment before it.  A URL with a scheme
 * (http:, mailto:, data:) is remote.  In the package and the tables of
 * contents, an absolute path, or one whose ".." would climb above the
 * container's root, escapes: quire refuses to resolve it (the EPUB
 * specification would clamp it at the root, but only a forged book needs
 * that there).  In content (an image's src, a link's href) they are read
 * as a browser reads them, and as the W3C's reading-system tests expect:
 * "/a/b.jpg" from the container's root, and ".." at the root stays there;
 * either way the result names an entry inside the container. */
#include <stdlib.h>
#include <string.h>

#include "epub_read.h"

static int hex(int c) {
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

/* Non-zero when href starts with a URL scheme ("http:"). */
static int has_scheme(const char *href) {
  static const char letters[] = "abcdefghijklmnopqrstuvwxyz"
                                "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
  if (!href[0] || !strchr(letters, href[0]))
    return 0;
  size_t n = 1 + strspn(href + 1, "0123456789+-.abcdefghijklmnopqrstuvwxyz"
                                  "ABCDEFGHIJKLMNOPQRSTUVWXYZ");
  return href[n] == ':';
}

static int resolve(const char *dir, const char *href, int clamp, char **out,
                   int *fragment) {
  /* Leading and trailing spaces are not part of a URL. */
  href += strspn(href, " \t\n\r\f");
  size_t n = strcspn(href, "?#");
  while (n && strchr(" \t\n\r\f", href[n - 1]))
    n--;
  if (fragment)
    *fragment = href[strcspn(href, "?#")] != '\0';
  if (n == 0)
    return href[0] == '#' ? EPUB_PATH_REMOTE : EPUB_PATH_BAD;
  if (has_scheme(href))
    return EPUB_PATH_REMOTE;
  if (clamp && href[0] == '/' && href[1] == '/')
    return EPUB_PATH_REMOTE;   /* "//host/path": another server's */
  if (href[0] == '/' || href[0] == '\\') {
    if (!clamp)
      return EPUB_PATH_ESCAPES;
    dir = "";   /* from the root; the empty segments go below */
  }
  size_t dir_len = strlen(dir);
  char *s = malloc(dir_len + n + 1);
  if (!s)
    return EPUB_PATH_NOMEM;
  memcpy(s, dir, dir_len);
  size_t w = dir_len;
  for (size_t i = 0; i < n; i++) {
    int hi, lo;
    if (href[i] == '%' && i + 2 < n && (hi = hex(href[i + 1])) >= 0 &&
        (lo = hex(href[i + 2])) >= 0) {
      s[w++] = (char)(hi * 16 + lo);
      i += 2;
      if (!s[w - 1]) {
        free(s);
        return EPUB_PATH_BAD;
      }
    } else
      s[w++] = href[i];
  }
  s[w] = '\0';
  /* Apply the segments in place: r reads, w writes. */
  size_t r = 0;
  w = 0;
  while (s[r]) {
    size_t seg = strcspn(s + r, "/");
    int last = s[r + seg] == '\0';
    if ((seg == 1 && s[r] == '.') || (seg == 0 && !last)) {
      /* "." and empty segments ("a//b") add nothing */
    } else if (seg == 2 && s[r] == '.' && s[r + 1] == '.') {
      if (w == 0 && !clamp) {
        free(s);
        return EPUB_PATH_ESCAPES;
      }
      if (w)
        w--;                    /* the '/' ending the previous segment */
      while (w && s[w - 1] != '/')
        w--;
    } else {
      memmove(s + w, s + r, seg);
      w += seg;
      if (!last)
        s[w++] = '/';
    }
    r += seg + !last;
  }
  s[w] = '\0';
  if (w == 0 || s[w - 1] == '/') {
    free(s);
    return EPUB_PATH_BAD;       /* a folder, not a file */
  }
  *out = s;
  return EPUB_PATH_OK;
}

int epub_path_resolve(const char *dir, const char *href, char **out,
                      int *fragment) {
  return resolve(dir, href, 0, out, fragment);
}

int epub_path_resolve_url(const char *dir, const char *href, char **out,
                          int *fragment) {
  return resolve(dir, href, 1, out, fragment);
}

char *epub_path_dir(const char *path) {
  const char *slash = strrchr(path, '/');
  size_t n = slash ? (size_t)(slash - path) + 1 : 0;
  char *dir = malloc(n + 1);
  if (dir) {
    memcpy(dir, path, n);
    dir[n] = '\0';
  }
  return dir;
}

void epub_path_error(quire_env *env, const char *book, const char *entry,
                     const char *href, int rc) {
  quire_loc loc = {.file = book};
  char shown_entry[256], shown_href[256];
  epub_printable(entry, shown_entry, sizeof shown_entry);
  epub_printable(href, shown_href, sizeof shown_href);
  if (rc == EPUB_PATH_ESCAPES)
    env->svc->error(env, &loc, "%s: '%s': entry name escapes the container",
                    shown_entry, shown_href);
  else if (rc == EPUB_PATH_BAD)
    env->svc->error(env, &loc, "%s: '%s' does not name a file", shown_entry,
                    shown_href);
  else
    env->svc->error(env, &loc, "out of memory");
}

/* The length of the valid UTF-8 sequence at s, or 0. */
static size_t utf8_len(const unsigned char *s) {
  if (s[0] < 0x80)
    return 1;
  size_t n = s[0] >= 0xF0 && s[0] <= 0xF4 ? 4
           : s[0] >= 0xE0                 ? 3
           : s[0] >= 0xC2 && s[0] <= 0xDF ? 2
                                          : 0;
  for (size_t i = 1; i < n; i++)
    if ((s[i] & 0xC0) != 0x80)
      return 0;
  /* overlong forms and surrogates */
  if (n == 3 && ((s[0] == 0xE0 && s[1] < 0xA0) ||
                 (s[0] == 0xED && s[1] >= 0xA0)))
    return 0;
  if (n == 4 && ((s[0] == 0xF0 && s[1] < 0x90) ||
                 (s[0] == 0xF4 && s[1] >= 0x90)))
    return 0;
  return n;
}

const char *epub_printable(const char *name, char *buf, size_t size) {
  const unsigned char *s = (const unsigned char *)name;
  size_t w = 0;
  while (*s && w + 1 < size) {
    size_t n = utf8_len(s);
    if (n == 0 || (n == 1 && (*s < 0x20 || *s == 0x7F))) {
      buf[w++] = '?';
      s++;
      continue;
    }
    if (w + n >= size)
      break;
    memcpy(buf + w, s, n);
    w += n;
    s += n;
  }
  buf[w] = '\0';
  return buf;
}
