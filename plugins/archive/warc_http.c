/* warc_http.c - the HTTP response a WARC response record holds: its status
 * line and headers (RFC 9112), which are not part of the document, and a
 * body that may still carry its transfer coding (chunked) and content
 * coding (gzip), as crawlers such as wget store them.  Common Crawl stores
 * bodies decoded, with the original headers renamed X-Crawler-*; those
 * are ignored here, as they should be. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <archive.h>

#include "archive.h"

static int is_blank(char c) { return c == ' ' || c == '\t'; }

static char lower(char c) {
  return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/* Copies v[0..n), trimmed and lower-cased, into out (size m); "" when it
 * does not fit. */
static void copy_token(const char *v, size_t n, char *out, size_t m) {
  while (n && is_blank(*v))
    v++, n--;
  while (n && is_blank(v[n - 1]))
    n--;
  if (n >= m)
    n = 0;
  for (size_t i = 0; i < n; i++)
    out[i] = lower(v[i]);
  out[n] = '\0';
}

void warc_http_content_type(const char *value, size_t n, warc_http *h) {
  const char *end = value + n;
  const char *semi = memchr(value, ';', n);
  copy_token(value, (size_t)((semi ? semi : end) - value), h->media_type,
             sizeof h->media_type);
  h->charset[0] = '\0';
  while (semi) {
    const char *p = semi + 1;
    semi = memchr(p, ';', (size_t)(end - p));
    const char *stop = semi ? semi : end;
    while (p < stop && is_blank(*p))
      p++;
    if ((size_t)(stop - p) < 8 || strncasecmp(p, "charset=", 8) != 0)
      continue;
    p += 8;
    const char *q = stop;
    while (q > p && is_blank(q[-1]))
      q--;
    if (q - p >= 2 && (*p == '"' || *p == '\'') && q[-1] == *p) {
      p++;
      q--;
    }
    copy_token(p, (size_t)(q - p), h->charset, sizeof h->charset);
    break;
  }
}

/* Non-zero when the comma-separated list v[0..n) holds `token`. */
static int has_token(const char *v, size_t n, const char *token) {
  size_t t = strlen(token);
  for (size_t i = 0; i + t <= n; i++)
    if (strncasecmp(v + i, token, t) == 0 &&
        (i == 0 || v[i - 1] == ',' || is_blank(v[i - 1])) &&
        (i + t == n || v[i + t] == ',' || v[i + t] == ';' ||
         is_blank(v[i + t])))
      return 1;
  return 0;
}

static void header(const char *name, size_t name_len, const char *v,
                   size_t n, warc_http *h) {
#define IS(s) (name_len == sizeof s - 1 && strncasecmp(name, s, name_len) == 0)
  if (IS("Content-Type") && !h->media_type[0])
    warc_http_content_type(v, n, h);
  else if (IS("Transfer-Encoding"))
    h->chunked = has_token(v, n, "chunked");
  else if (IS("Content-Encoding"))
    copy_token(v, n, h->content_encoding, sizeof h->content_encoding);
#undef IS
}

int warc_http_parse(const char *block, size_t len, warc_http *h) {
  memset(h, 0, sizeof *h);
  if (len < 12 || strncmp(block, "HTTP/", 5) != 0)
    return QUIRE_DONE;
  const char *end = block + len;
  const char *sp = memchr(block, ' ', len);
  if (!sp || end - sp < 4)
    return QUIRE_DONE;
  for (int i = 1; i <= 3; i++) {
    if (sp[i] < '0' || sp[i] > '9')
      return QUIRE_DONE;
    h->status = h->status * 10 + (sp[i] - '0');
  }
  const char *line = memchr(block, '\n', len);
  while (line) {
    line++;   /* past the LF that ended the line before */
    const char *nl = memchr(line, '\n', (size_t)(end - line));
    if (!nl)
      return QUIRE_DONE;   /* the headers do not end here */
    size_t n = (size_t)(nl - line);
    if (n && line[n - 1] == '\r')
      n--;
    if (n == 0) {
      h->head_len = (size_t)(nl + 1 - block);
      return QUIRE_OK;
    }
    const char *colon = memchr(line, ':', n);
    if (colon && !is_blank(line[0]))
      header(line, (size_t)(colon - line), colon + 1,
             n - (size_t)(colon + 1 - line), h);
    line = nl;
  }
  return QUIRE_DONE;
}

/* The value of the hexadecimal chunk size at p (up to end): its digits'
 * count in *digits, 0 when there are none or it overflows. */
static uint64_t chunk_size(const char *p, const char *end, size_t *digits) {
  uint64_t n = 0;
  size_t i = 0;
  for (; p + i < end; i++) {
    char c = lower(p[i]);
    int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
                                                                  : -1;
    if (d < 0)
      break;
    if (n > UINT64_MAX >> 4) {
      *digits = 0;
      return 0;
    }
    n = n << 4 | (uint64_t)d;
  }
  *digits = i;
  return n;
}

int warc_http_dechunk(const char *body, size_t len, char **out,
                      size_t *out_len) {
  char *o = malloc(len + 1);
  if (!o)
    return QUIRE_FATAL;
  size_t n = 0;
  const char *p = body, *end = body + len;
  while (p < end) {
    size_t digits;
    uint64_t size = chunk_size(p, end, &digits);
    if (!digits) {
      free(o);
      return QUIRE_DONE;
    }
    const char *nl = memchr(p, '\n', (size_t)(end - p));   /* extensions */
    if (!nl || size == 0)
      break;   /* the last chunk; trailers are not the body */
    p = nl + 1;
    size_t take = (uint64_t)(end - p) < size ? (size_t)(end - p) : (size_t)size;
    memcpy(o + n, p, take);
    n += take;
    p += take;
    if (p < end && *p == '\r')
      p++;
    if (p < end && *p == '\n')
      p++;
  }
  o[n] = '\0';
  *out = o;
  *out_len = n;
  return QUIRE_OK;
}

int warc_http_gunzip(const char *body, size_t len, uint64_t max,
                     uint64_t max_ratio, char **out, size_t *out_len,
                     const char **why) {
  *out = NULL;
  *why = "its gzip coding is broken";
  struct archive *a = archive_read_new();
  if (!a)
    return QUIRE_FATAL;
  archive_read_support_filter_gzip(a);
  archive_read_support_format_raw(a);
  struct archive_entry *e;
  size_t cap = len < (4u << 20) ? 4 * len + 4096 : (16u << 20), n = 0;
  char *o = NULL;
  int rc = QUIRE_DONE;
  if (archive_read_open_memory(a, body, len) != ARCHIVE_OK ||
      archive_read_next_header(a, &e) != ARCHIVE_OK)
    goto done;
  if (archive_filter_code(a, 0) != ARCHIVE_FILTER_GZIP) {
    *why = "it says gzip but is not";
    goto done;
  }
  for (;;) {
    if (cap - n < 4096 || !o) {
      char *grown = realloc(o, (cap = o ? cap * 2 : cap) + 1);
      if (!grown) {
        rc = QUIRE_FATAL;
        goto done;
      }
      o = grown;
    }
    la_ssize_t got = archive_read_data(a, o + n, cap - n);
    if (got < 0)
      goto done;
    if (got == 0)
      break;
    n += (size_t)got;
    int overflows = max_ratio && len > UINT64_MAX / max_ratio;
    if (n > max || (n > ARC_RATIO_FLOOR && !overflows && n > max_ratio * len)) {
      *why = n > max ? "it is larger than max-input-size once decoded"
                     : "it expands more than max-ratio times (a bomb?)";
      goto done;
    }
  }
  o[n] = '\0';
  *out = o;
  *out_len = n;
  *why = NULL;
  o = NULL;
  rc = QUIRE_OK;
done:
  free(o);
  archive_read_free(a);
  return rc;
}
