/* warc_stream.c - WARC records (ISO 28500:2017, WARC 1.1, and 1.0 and
 * 0.x before it), read incrementally from a stream of bytes.
 *
 * A record is a version line ("WARC/1.1"), header fields ("Name: value",
 * a line each, continued on lines that start with a blank), a blank line,
 * Content-Length bytes of block, then CRLF CRLF.  This reader keeps only
 * the fields quire uses, holds no more than one header at a time (at most
 * HEADER_MAX bytes) and hands out the block in pieces: a file of any size
 * is read in bounded memory.  It is lenient where writers differ (LF
 * alone, blank lines between records, angle brackets around URIs, as the
 * 1.0 specification showed them) and strict where a mistake would lose
 * the next record's start: a missing or malformed Content-Length, or a
 * record that does not start with "WARC/", ends the stream with an error.
 *
 * libarchive reads WARC too, but it hands out only resource and response
 * records, names them by the URI's path alone and drops the rest of the
 * header (the host, the record's type, the content type), all of which
 * quire needs; so the records are read here and libarchive only
 * decompresses (warc_read.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "archive.h"

#define BUF_SIZE (64 * 1024)
#define LINE_MAX_BYTES (64 * 1024)   /* one header line */
#define HEADER_MAX (1024 * 1024)      /* one record's whole header */

enum { F_TYPE, F_URI, F_DATE, F_CTYPE, F_LENGTH, F_COUNT };

struct warc_stream {
  quire_env *env;
  const char *name;
  warc_pull_fn pull;
  void *user;
  char *buf;
  size_t pos, len;
  uint64_t offset;           /* of buf[pos] in the stream */
  int eof;
  char *line;                /* the header line being read */
  size_t line_len;
  char *field[F_COUNT];      /* the values kept, malloc'd */
  uint64_t left;             /* of the current block, not yet read */
  int in_block;
  unsigned long number;
  warc_record rec;
};

int warc_stream_new(quire_env *env, const char *name, warc_pull_fn pull,
                    void *user, warc_stream **result) {
  warc_stream *s = calloc(1, sizeof *s);
  if (s) {
    s->buf = malloc(BUF_SIZE);
    s->line = malloc(LINE_MAX_BYTES + 1);
  }
  if (!s || !s->buf || !s->line) {
    warc_stream_free(s);
    quire_loc loc = {.file = name};
    env->svc->error(env, &loc, "out of memory");
    return QUIRE_FATAL;
  }
  s->env = env;
  s->name = name;
  s->pull = pull;
  s->user = user;
  *result = s;
  return QUIRE_OK;
}

void warc_stream_free(warc_stream *s) {
  if (!s)
    return;
  for (int i = 0; i < F_COUNT; i++)
    free(s->field[i]);
  free(s->buf);
  free(s->line);
  free(s);
}

/* An error at byte `at` of the stream. */
static int fail_at(warc_stream *s, uint64_t at, const char *what) {
  quire_loc loc = {.file = s->name, .offset = at + 1};
  s->env->svc->error(s->env, &loc, "not a valid WARC file here: %s", what);
  return QUIRE_FAILED;
}

static int fail(warc_stream *s, const char *what) {
  return fail_at(s, s->offset, what);
}

/* Makes buf hold at least one byte: 1, 0 at the end, -1 on failure. */
static int fill(warc_stream *s) {
  if (s->pos < s->len)
    return 1;
  if (s->eof)
    return 0;
  long n = s->pull(s->user, s->buf, BUF_SIZE);
  if (n < 0)
    return -1;   /* the message is set */
  s->pos = 0;
  s->len = (size_t)n;
  if (n == 0)
    s->eof = 1;
  return n > 0;
}

/* Reads one line into s->line (without its CR LF): 1, 0 at the end of the
 * stream before any byte, -1 on failure (message set). */
static int read_line(warc_stream *s) {
  s->line_len = 0;
  for (;;) {
    int f = fill(s);
    if (f < 0)
      return -1;
    if (f == 0) {
      if (s->line_len)
        return fail(s, "the file ends within a record's header"), -1;
      return 0;
    }
    char *start = s->buf + s->pos;
    size_t avail = s->len - s->pos;
    char *nl = memchr(start, '\n', avail);
    size_t take = nl ? (size_t)(nl - start) + 1 : avail;
    if (s->line_len + take > LINE_MAX_BYTES + 1)
      return fail(s, "a header line is longer than 64 KB"), -1;
    memcpy(s->line + s->line_len, start, take);
    s->line_len += take;
    s->pos += take;
    s->offset += take;
    if (nl)
      break;
  }
  s->line_len--;   /* the LF */
  if (s->line_len && s->line[s->line_len - 1] == '\r')
    s->line_len--;
  s->line[s->line_len] = '\0';
  return 1;
}

static int is_blank(char c) { return c == ' ' || c == '\t'; }

/* Sets (or, for a continuation line, extends) a field's value. */
static int keep(warc_stream *s, int f, const char *v, size_t n, int more) {
  while (n && is_blank(*v))
    v++, n--;
  while (n && is_blank(v[n - 1]))
    n--;
  size_t old = more && s->field[f] ? strlen(s->field[f]) : 0;
  if (old + n > LINE_MAX_BYTES)
    return QUIRE_OK;   /* absurdly folded: the rest is dropped */
  char *value = realloc(more ? s->field[f] : NULL, old + n + 2);
  if (!value) {
    quire_loc loc = {.file = s->name};
    s->env->svc->error(s->env, &loc, "out of memory");
    return QUIRE_FATAL;
  }
  if (!more)
    free(s->field[f]);
  if (old)
    value[old++] = ' ';
  memcpy(value + old, v, n);
  value[old + n] = '\0';
  s->field[f] = value;
  return QUIRE_OK;
}

/* Passes over what is left of the block and the CR LF CR LF after it. */
static int end_block(warc_stream *s) {
  char sink[4096];
  while (s->left) {
    long n = warc_stream_block(s, sink, sizeof sink);
    if (n < 0)
      return QUIRE_FAILED;
  }
  s->in_block = 0;
  for (int i = 0; i < 4; i++) {
    int f = fill(s);
    if (f < 0)
      return QUIRE_FAILED;
    if (f == 0 || (s->buf[s->pos] != '\r' && s->buf[s->pos] != '\n'))
      break;
    s->pos++;
    s->offset++;
  }
  return QUIRE_OK;
}

/* Content-Length: decimal digits, nothing else, no overflow. */
static int parse_length(const char *v, uint64_t *n) {
  *n = 0;
  if (!v || !*v)
    return 0;
  for (; *v; v++) {
    if (*v < '0' || *v > '9' || *n > (UINT64_MAX - 9) / 10)
      return 0;
    *n = *n * 10 + (uint64_t)(*v - '0');
  }
  return 1;
}

int warc_stream_next(warc_stream *s, warc_record *rec) {
  static const char *const names[F_COUNT] = {
      "WARC-Type", "WARC-Target-URI", "WARC-Date", "Content-Type",
      "Content-Length"};
  if (s->in_block && end_block(s) != QUIRE_OK)
    return QUIRE_FAILED;
  int got;
  uint64_t start;
  do {   /* blank lines between records */
    start = s->offset;
    got = read_line(s);
  } while (got == 1 && s->line_len == 0);
  if (got <= 0)
    return got < 0 ? QUIRE_FAILED : QUIRE_DONE;
  if (strncmp(s->line, "WARC/", 5) != 0)
    return fail_at(s, start, "a record must start with a WARC/1.x line");
  for (int i = 0; i < F_COUNT; i++) {
    free(s->field[i]);
    s->field[i] = NULL;
  }
  int last = -1;
  size_t header = s->line_len;
  while ((got = read_line(s)) == 1 && s->line_len) {
    header += s->line_len;
    if (header > HEADER_MAX)
      return fail(s, "a record's header is longer than 1 MB");
    if (is_blank(s->line[0])) {   /* continues the field before */
      if (last >= 0 && keep(s, last, s->line, s->line_len, 1) != QUIRE_OK)
        return QUIRE_FATAL;
      continue;
    }
    char *colon = strchr(s->line, ':');
    if (!colon)
      return fail(s, "a header line without a colon");
    last = -1;
    for (int i = 0; i < F_COUNT; i++)
      if ((size_t)(colon - s->line) == strlen(names[i]) &&
          strncasecmp(s->line, names[i], strlen(names[i])) == 0)
        last = i;
    if (last >= 0 &&
        keep(s, last, colon + 1, s->line_len - (size_t)(colon + 1 - s->line),
             0) != QUIRE_OK)
      return QUIRE_FATAL;
  }
  if (got < 0)
    return QUIRE_FAILED;
  if (got == 0)
    return fail(s, "the file ends within a record's header");
  memset(rec, 0, sizeof *rec);
  if (!parse_length(s->field[F_LENGTH], &rec->length))
    return fail_at(s, start, "a record without a valid Content-Length");
  for (char *p = s->field[F_TYPE]; p && *p; p++)
    if (*p >= 'A' && *p <= 'Z')
      *p = (char)(*p - 'A' + 'a');
  char *uri = s->field[F_URI];
  size_t n = uri ? strlen(uri) : 0;
  if (n >= 2 && uri[0] == '<' && uri[n - 1] == '>') {
    memmove(uri, uri + 1, n - 2);
    uri[n - 2] = '\0';
  }
  rec->type = s->field[F_TYPE];
  rec->uri = uri;
  rec->date = s->field[F_DATE];
  rec->content_type = s->field[F_CTYPE];
  rec->offset = start;
  rec->number = ++s->number;
  s->left = rec->length;
  s->in_block = 1;
  return QUIRE_OK;
}

long warc_stream_block(warc_stream *s, void *buf, size_t n) {
  if (!s->in_block || !s->left)
    return 0;
  int f = fill(s);
  if (f < 0)
    return -1;
  if (f == 0) {
    quire_loc loc = {.file = s->name, .offset = s->offset + 1};
    s->env->svc->error(s->env, &loc, "the WARC file is cut short: record "
                       "%lu lacks %llu bytes", s->number,
                       (unsigned long long)s->left);
    return -1;
  }
  size_t k = s->len - s->pos;
  if (k > n)
    k = n;
  if (k > s->left)
    k = (size_t)s->left;
  memcpy(buf, s->buf + s->pos, k);
  s->pos += k;
  s->offset += k;
  s->left -= k;
  return (long)k;
}
