/* json_read.c - the json and jsonl readers: JSON text to values.
 *
 * The input is a sequence of top-level values apart by whitespace: a
 * document object, an array of them, or one object per line (JSON Lines).
 * jansson parses one value at a time out of a buffer that is refilled
 * from the input, so a corpus of any length is read with one document in
 * memory; the array's brackets and commas are the only syntax read here.
 * Positions are counted as the buffer is consumed, for messages. */
#include <stdlib.h>
#include <string.h>

#include "json.h"

#define BUF_START (64 * 1024)
/* jansson parses: strictly, any value (a scalar is refused as a document
 * when building), no duplicate keys (a document error), U+0000 allowed in
 * strings (refused by name when building), and stopping after the value
 * (what follows is checked here). */
#define PARSE_FLAGS                                                 \
  (JSON_DECODE_ANY | JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL |      \
   JSON_DISABLE_EOF_CHECK)

/* Where the reader is: at the top level, just after a top-level array's
 * '[', after a ',' in it, after a value in it, after its ']'. */
enum { A_NONE, A_START, A_VALUE, A_AFTER, A_END };

typedef struct json_reader {
  quire_input *in;
  const char *name;
  int lines;               /* jsonl: after a syntax error, go on at the next
                              line */
  char *buf;
  size_t start, end, cap;
  int eof;
  unsigned long line, column;     /* of buf[start], from 1 */
  unsigned long long offset;      /* bytes before buf[start] */
  int array;                      /* A_* */
  int seen_value;                 /* a top-level value was met */
  int done;
  unsigned long number;           /* documents met so far */
  int pinned;                     /* the last value's bytes are kept ... */
  size_t pin, pin_len;            /* ... at buf[pin], pin_len of them, so
                                     that errors can be placed in it */
  size_t max_value;               /* the limit max-input-size */
} json_reader;

static int open_reader(quire_env *env, quire_input *in, int lines,
                       void **state) {
  json_reader *r = calloc(1, sizeof *r);
  char *buf = malloc(BUF_START);
  if (!r || !buf) {
    free(r);
    free(buf);
    quire_loc loc = {.file = env->svc->input_name(in)};
    env->svc->error(env, &loc, "out of memory");
    return QUIRE_FATAL;
  }
  r->in = in;
  r->name = env->svc->input_name(in);
  r->lines = lines;
  r->buf = buf;
  r->cap = BUF_START;
  r->line = r->column = 1;
  uint64_t max = env->svc->limit(env, "max-input-size");
  r->max_value = max && max < (uint64_t)((size_t)-1 / 2) ? (size_t)max
                                                          : (size_t)-1 / 2;
  *state = r;
  return QUIRE_OK;
}

int json_read_open(quire_env *env, quire_input *in, const quire_options *opts,
                   void **state) {
  (void)opts;
  return open_reader(env, in, 0, state);
}

int jsonl_read_open(quire_env *env, quire_input *in,
                    const quire_options *opts, void **state) {
  (void)opts;
  return open_reader(env, in, 1, state);
}

void json_read_close(quire_env *env, void *state) {
  (void)env;
  json_reader *r = state;
  free(r->buf);
  free(r);
}

/* ---- The buffer ------------------------------------------------------------ */

static quire_loc here(const json_reader *r) {
  quire_loc loc = {r->name, r->line, r->column, r->offset + 1};
  return loc;
}

/* Reads more of the input: QUIRE_OK (r->eof set at the end), or
 * QUIRE_FAILED with the message set. */
static int refill(quire_env *env, json_reader *r) {
  size_t keep = r->pinned && r->pin < r->start ? r->pin : r->start;
  if (keep > 0) {
    memmove(r->buf, r->buf + keep, r->end - keep);
    r->end -= keep;
    r->start -= keep;
    if (r->pinned)
      r->pin -= keep;
  }
  if (r->end == r->cap) {
    if (r->cap >= r->max_value) {
      quire_loc loc = here(r);
      env->svc->error(env, &loc,
                      "a JSON value larger than %zu bytes (the limit "
                      "max-input-size)", r->max_value);
      return QUIRE_FAILED;
    }
    size_t cap = r->cap * 2;
    char *buf = realloc(r->buf, cap);
    if (!buf) {
      env->svc->error(env, NULL, "out of memory");
      return QUIRE_FATAL;
    }
    r->buf = buf;
    r->cap = cap;
  }
  long n = env->svc->input_read(env, r->in, r->buf + r->end, r->cap - r->end);
  if (n < 0)
    return QUIRE_FAILED;
  if (n == 0)
    r->eof = 1;
  r->end += (size_t)n;
  return QUIRE_OK;
}

/* Consumes n bytes, counting lines and columns (in characters). */
static void advance(json_reader *r, size_t n) {
  const unsigned char *s = (const unsigned char *)r->buf + r->start;
  for (size_t i = 0; i < n; i++) {
    if (s[i] == '\n') {
      r->line++;
      r->column = 1;
    } else if ((s[i] & 0xC0) != 0x80) {
      r->column++;
    }
  }
  r->start += n;
  r->offset += n;
}

/* Skips whitespace; *c is the next byte, or -1 at the end of the input. */
static int skip_space(quire_env *env, json_reader *r, int *c) {
  for (;;) {
    while (r->start < r->end) {
      char b = r->buf[r->start];
      if (b != ' ' && b != '\t' && b != '\n' && b != '\r') {
        *c = (unsigned char)b;
        return QUIRE_OK;
      }
      advance(r, 1);
    }
    if (r->eof) {
      *c = -1;
      return QUIRE_OK;
    }
    int rc = refill(env, r);
    if (rc != QUIRE_OK)
      return rc;
  }
}

/* JSON Lines: after a bad line, the next one. */
static int skip_line(quire_env *env, json_reader *r) {
  for (;;) {
    char *nl = memchr(r->buf + r->start, '\n', r->end - r->start);
    if (nl) {
      advance(r, (size_t)(nl - (r->buf + r->start)) + 1);
      return QUIRE_OK;
    }
    advance(r, r->end - r->start);
    if (r->eof)
      return QUIRE_OK;
    int rc = refill(env, r);
    if (rc != QUIRE_OK)
      return rc;
  }
}

/* ---- Values ---------------------------------------------------------------- */

static int syntax_error(quire_env *env, json_reader *r, const char *what,
                        int c) {
  quire_loc loc = here(r);
  if (c < 0)
    env->svc->error(env, &loc, "invalid JSON: %s, found the end of the input",
                    what);
  else if (c >= 0x20 && c < 0x7F)
    env->svc->error(env, &loc, "invalid JSON: %s, found '%c'", what, c);
  else
    env->svc->error(env, &loc, "invalid JSON: %s, found byte 0x%02X", what,
                    (unsigned)c);
  return QUIRE_FAILED;
}

/* jansson's error, placed in the input: its line and column count from
 * the value's start. */
static int parse_error(quire_env *env, json_reader *r,
                       const json_error_t *err) {
  quire_loc loc = here(r);
  if (err->line > 1) {
    loc.line = r->line + (unsigned long)err->line - 1;
    loc.column = err->column > 0 ? (unsigned long)err->column : 1;
  } else {
    loc.column = r->column + (err->column > 1 ? (unsigned long)err->column - 1
                                              : 0);
  }
  if (err->position > 0)
    loc.offset = r->offset + (unsigned long long)err->position;
  switch (json_error_code(err)) {
  case json_error_out_of_memory:
    env->svc->error(env, &loc, "out of memory");
    return QUIRE_FATAL;
  case json_error_duplicate_key:
    env->svc->error(env, &loc, "not a quire document: %s", err->text);
    break;
  case json_error_null_byte_in_key:
    env->svc->error(env, &loc,
                    "a key holds U+0000 (NUL), which quire cannot keep");
    break;
  case json_error_numeric_overflow:
    env->svc->error(env, &loc,
                    "invalid JSON: a number out of range (%s): quire reads "
                    "integers of up to 64 bits and numbers a double holds",
                    err->text);
    break;
  default:
    env->svc->error(env, &loc, "invalid JSON: %s", err->text);
  }
  return QUIRE_FAILED;
}

/* jansson reads the value through this callback, which hands it the
 * buffer from the value's start and reads more of the input as it needs:
 * each byte is parsed once, however long the value.  The bytes stay in
 * the buffer until the value is parsed, so that what jansson read past
 * its end is read again as what follows. */
typedef struct feed {
  quire_env *env;
  json_reader *r;
  size_t pos;        /* the next byte to hand over, from r->start */
  int rc;            /* a read error, with the message set */
} feed;

static size_t feed_bytes(void *out, size_t size, void *data) {
  feed *f = data;
  json_reader *r = f->r;
  if (r->start + f->pos == r->end) {
    if (r->eof)
      return 0;
    int rc = refill(f->env, r);
    if (rc != QUIRE_OK) {
      f->rc = rc;
      return (size_t)-1;
    }
  }
  size_t n = r->end - (r->start + f->pos);
  if (n > size)
    n = size;
  memcpy(out, r->buf + r->start + f->pos, n);
  f->pos += n;
  return n;
}

/* Parses the value at buf[start]. */
static int parse_value(quire_env *env, json_reader *r, json_t **value) {
  feed f = {env, r, 0, QUIRE_OK};
  json_error_t err;
  json_t *v = json_load_callback(feed_bytes, &f, PARSE_FLAGS, &err);
  if (f.rc != QUIRE_OK) {
    json_decref(v);
    return f.rc;
  }
  if (!v)
    return parse_error(env, r, &err);
  r->pinned = 1;
  r->pin = r->start;
  r->pin_len = err.position > 0 ? (size_t)err.position : 0;
  advance(r, r->pin_len);
  *value = v;
  return QUIRE_OK;
}

/* ---- Documents --------------------------------------------------------------- */

/* After a value: what may follow it.  At the top level, the end or
 * another object (JSON Lines); in an array, ']' or ',' and a value (a
 * trailing comma is found before the value before it is used). */
static int check_follow(quire_env *env, json_reader *r) {
  int c;
  int rc = skip_space(env, r, &c);
  if (rc != QUIRE_OK)
    return rc;
  if (r->array == A_NONE) {
    if (c < 0 || c == '{')
      return QUIRE_OK;
    return syntax_error(env, r, "the end or another object expected", c);
  }
  if (c == ']') {
    r->array = A_AFTER;
    return QUIRE_OK;
  }
  if (c != ',')
    return syntax_error(env, r, "',' or ']' expected", c);
  advance(r, 1);
  rc = skip_space(env, r, &c);
  if (rc != QUIRE_OK)
    return rc;
  if (c < 0 || c == ']')
    return syntax_error(env, r, "a value expected after ','", c);
  r->array = A_VALUE;
  return QUIRE_OK;
}

/* A failure: with a syntax error the input cannot go on, except JSON
 * Lines at the next line. */
static int fail(quire_env *env, json_reader *r, int rc, int syntax) {
  if (rc == QUIRE_FATAL ||
      (syntax && (!r->lines || r->array != A_NONE ||
                  skip_line(env, r) != QUIRE_OK)))
    r->done = 1;
  return rc == QUIRE_FATAL ? QUIRE_FATAL : QUIRE_FAILED;
}

/* The next value: QUIRE_OK with *value (the caller's) and *at where it
 * starts, QUIRE_DONE at the end, or a failure with the message set. */
static int next_value(quire_env *env, json_reader *r, json_t **value,
                      quire_loc *at) {
  r->pinned = 0;
  for (;;) {
    int c;
    int rc = skip_space(env, r, &c);
    if (rc != QUIRE_OK) {
      r->done = 1;   /* the input cannot be read */
      return rc;
    }
    if (r->array == A_NONE || r->array == A_END) {
      if (c < 0) {
        r->done = 1;
        /* JSON needs a value; JSON Lines may hold none. */
        if (!r->seen_value && !r->lines)
          return syntax_error(env, r, "a value expected", c);
        return QUIRE_DONE;
      }
      if (r->array == A_END)
        return fail(env, r,
                    syntax_error(env, r, "the end expected after the array",
                                 c), 1);
      if (c == '[' && r->seen_value)
        return fail(env, r,
                    syntax_error(env, r, "an array after another value", c),
                    1);
      r->seen_value = 1;
      if (c == '[') {
        advance(r, 1);
        r->array = A_START;
        continue;
      }
    } else if (c == ']' && r->array != A_VALUE) {
      advance(r, 1);
      r->array = A_END;
      continue;
    }
    *at = here(r);
    *value = NULL;
    rc = parse_value(env, r, value);
    if (rc == QUIRE_OK)
      rc = check_follow(env, r);
    if (rc != QUIRE_OK) {
      json_decref(*value);
      *value = NULL;
      return fail(env, r, rc, 1);
    }
    return QUIRE_OK;
  }
}

int json_read_next(quire_env *env, void *state, quire_doc **doc) {
  json_reader *r = state;
  if (r->done)
    return QUIRE_DONE;
  json_t *value;
  quire_loc at;
  int rc = next_value(env, r, &value, &at);
  if (rc != QUIRE_OK)
    return rc;
  r->number++;
  if (!json_is_object(value) && !r->lines) {
    /* Not a corpus of documents at all: a syntax error further on says
     * more than the first value's kind, so look for one first. */
    json_t *rest;
    quire_loc rest_at;
    while ((rc = next_value(env, r, &rest, &rest_at)) == QUIRE_OK)
      json_decref(rest);
    r->done = 1;
    if (rc < 0) {
      json_decref(value);
      return rc;
    }
  }
  const char *text = r->pinned ? r->buf + r->pin : NULL;
  rc = json_build(env, value, &at, text, text ? r->pin_len : 0, r->number,
                  doc);
  r->pinned = 0;
  json_decref(value);
  return rc < 0 ? fail(env, r, rc, 0) : rc;
}
