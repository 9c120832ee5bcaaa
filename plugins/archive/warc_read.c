/* warc_read.c - WARC records to documents, and the `warc` reader.
 *
 * A response record holding an HTTP response with status 2xx and an HTML,
 * XHTML or plain-text payload (Content-Type text/html,
 * application/xhtml+xml, text/plain) becomes a document; so does a
 * resource record of those types (a page stored without HTTP).  Its status
 * line and headers are removed, a chunked or gzip body decoded, a declared
 * charset passed on (warc_charset.c), and the payload read by the core's
 * html, xhtml or txt reader as a sub-input named by the record's target
 * URI.  The document gets metadata "url" (WARC-Target-URI) and "date"
 * (WARC-Date, ISO 8601: the time of the capture, which replaces any date
 * the page's reader found).  Every other record (warcinfo, request,
 * metadata, revisit, conversion, continuation, a response of another type
 * or status) is skipped with a note under -v; a page that cannot be
 * decoded (an unknown content coding, broken gzip) or is larger than
 * max-input-size, with a warning.
 *
 * The `warc` reader gets the file's bytes through libarchive (raw format),
 * so a .warc compressed as a whole or record by record (.warc.gz, as Common
 * Crawl stores it: one gzip member a record) reads as a plain one; the
 * `archive` reader hands a compressed WARC here the same way. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <archive.h>

#include "archive.h"

/* A response's status line and headers must end within this many bytes. */
#define HTTP_HEAD_MAX (64 * 1024)

struct warc_docs {
  quire_env *env;
  const char *name;
  warc_stream *s;
  quire_sub *sub;
  char *payload;             /* what the sub-input reads */
  char *uri, *date;          /* of the record being read */
  uint64_t max_input, max_ratio;
  int forced;                /* payloads as they are: --input-encoding */
  int done;
};

int warc_docs_new(quire_env *env, const char *name, warc_pull_fn pull,
                  void *user, int forced, warc_docs **result) {
  warc_docs *w = calloc(1, sizeof *w);
  if (!w) {
    quire_loc loc = {.file = name};
    env->svc->error(env, &loc, "out of memory");
    return QUIRE_FATAL;
  }
  int rc = warc_stream_new(env, name, pull, user, &w->s);
  if (rc != QUIRE_OK) {
    free(w);
    return rc;
  }
  w->env = env;
  w->name = name;
  w->forced = forced;
  w->max_input = env->svc->limit(env, "max-input-size");
  w->max_ratio = env->svc->limit(env, "max-ratio");
  *result = w;
  return QUIRE_OK;
}

static void record_end(warc_docs *w) {
  if (w->sub)
    w->env->svc->sub_close(w->env, w->sub);
  w->sub = NULL;
  free(w->payload);
  free(w->uri);
  free(w->date);
  w->payload = w->uri = w->date = NULL;
}

void warc_docs_free(warc_docs *w) {
  if (!w)
    return;
  record_end(w);
  warc_stream_free(w->s);
  free(w);
}

static int oom(warc_docs *w) {
  quire_loc loc = {.file = w->name};
  w->env->svc->error(w->env, &loc, "out of memory");
  w->done = 1;
  return QUIRE_FATAL;
}

enum { SKIP = 10 };

/* A note under -v on a record skipped. */
static int skip(warc_docs *w, const warc_record *rec, const char *why,
                const char *what) {
  quire_loc loc = {.file = w->name, .offset = rec->offset + 1};
  w->env->svc->info(w->env, &loc, "record %lu (%s): skipped: %s%s",
                    rec->number, rec->uri ? rec->uri : "no URI", why,
                    what ? what : "");
  return SKIP;
}

/* A warning on a page skipped: its text is lost. */
static int lost(warc_docs *w, const warc_record *rec, const char *why,
                const char *what) {
  quire_loc loc = {.file = w->name, .offset = rec->offset + 1};
  w->env->svc->warn(w->env, &loc, "record %lu (%s): skipped: %s%s",
                    rec->number, rec->uri ? rec->uri : "no URI", why,
                    what ? what : "");
  return SKIP;
}

/* The reader for a payload's media type, or NULL. */
static const char *format_of(const char *media_type) {
  if (strcmp(media_type, "text/html") == 0)
    return "html";
  if (strcmp(media_type, "application/xhtml+xml") == 0)
    return "xhtml";
  if (strcmp(media_type, "text/plain") == 0)
    return "txt";
  return NULL;
}

/* Reads n more bytes of the block into buf at *len. */
static int read_block(warc_docs *w, char *buf, size_t *len, size_t n) {
  while (n) {
    long got = warc_stream_block(w->s, buf + *len, n);
    if (got <= 0)
      return QUIRE_FAILED;   /* the message is set: the file is cut */
    *len += (size_t)got;
    n -= (size_t)got;
  }
  return QUIRE_OK;
}

/* Replaces *body (of which *owned is the buffer to free) by a decoded
 * form `out`, when there is one. */
static void replace(char **owned, const char **body, size_t *len, char *out,
                    size_t out_len) {
  free(*owned);
  *owned = out;
  *body = out;
  *len = out_len;
}

/* Decodes the payload body[0..len) as the HTTP headers say, into
 * w->payload: QUIRE_OK, SKIP, QUIRE_FATAL. */
static int decode(warc_docs *w, const warc_record *rec, const warc_http *h,
                  const char *format, char *block, const char *body,
                  size_t len) {
  char *owned = block, *out;
  size_t out_len;
  const char *why;
  if (h->chunked) {
    int rc = warc_http_dechunk(body, len, &out, &out_len);
    if (rc == QUIRE_FATAL)
      return free(owned), oom(w);
    if (rc == QUIRE_OK)
      replace(&owned, &body, &len, out, out_len);
  }
  const char *ce = h->content_encoding;
  if (strcmp(ce, "gzip") == 0 || strcmp(ce, "x-gzip") == 0) {
    int rc = warc_http_gunzip(body, len, w->max_input, w->max_ratio, &out,
                              &out_len, &why);
    if (rc == QUIRE_FATAL)
      return free(owned), oom(w);
    if (rc != QUIRE_OK)
      return free(owned), lost(w, rec, "", why);
    replace(&owned, &body, &len, out, out_len);
  } else if (ce[0] && strcmp(ce, "identity") != 0) {
    free(owned);
    return lost(w, rec, "a content coding quire does not decode: ", ce);
  }
  /* XML has rules of its own; --input-encoding overrides the header. */
  if (strcmp(format, "xhtml") != 0 && !w->forced) {
    int rc = warc_to_utf8(h->charset, body, len, &out, &out_len, &why);
    if (rc == QUIRE_FATAL)
      return free(owned), oom(w);
    if (rc == QUIRE_OK)
      replace(&owned, &body, &len, out, out_len);
    else if (why) {
      quire_loc loc = {.file = w->name, .offset = rec->offset + 1};
      w->env->svc->info(w->env, &loc, "record %lu: charset '%s' is %s; the "
                        "reader detects it", rec->number, h->charset, why);
    }
  }
  w->payload = owned;   /* body points into it until the record ends */
  quire_source src = {.name = w->uri, .format = format, .data = body,
                      .len = len};
  int rc = w->env->svc->sub_open(w->env, &src, &w->sub);
  if (rc < QUIRE_OK) {
    w->sub = NULL;
    if (rc == QUIRE_FATAL)
      w->done = 1;
    return rc;
  }
  return QUIRE_OK;
}

/* Keeps the record's URI and date for its document. */
static int keep_names(warc_docs *w, const warc_record *rec) {
  char fallback[32];
  snprintf(fallback, sizeof fallback, "record-%lu", rec->number);
  w->uri = arc_clean_uri(rec->uri && rec->uri[0] ? rec->uri : fallback);
  if (!w->uri)
    return oom(w);
  const char *d = rec->date;
  /* W3C-ISO8601 as WARC writes it: 2023-05-04T12:00:00Z, or with a
   * fraction of a second, or less precise */
  if (d && strlen(d) >= 4 && strlen(d) < 40 &&
      strspn(d, "0123456789") >= 4 &&
      strspn(d, "0123456789-:T.Z+") == strlen(d) && !(w->date = strdup(d)))
    return oom(w);
  return QUIRE_OK;
}

/* Opens the record as a document's sub-input when it is one: QUIRE_OK,
 * SKIP, or a failure. */
static int take(warc_docs *w, const warc_record *rec) {
  const char *type = rec->type ? rec->type : "";
  const char *ct = rec->content_type ? rec->content_type : "";
  int response = strcmp(type, "response") == 0;
  if (!response && strcmp(type, "resource") != 0)
    return skip(w, rec, "a record of type ", type[0] ? type : "(none)");
  if (response && strncasecmp(ct, "application/http", 16) != 0)
    return skip(w, rec, "a response that is not HTTP: ", ct);
  size_t head = rec->length < HTTP_HEAD_MAX ? (size_t)rec->length
                                            : HTTP_HEAD_MAX;
  char *block = malloc(head + 1);
  size_t len = 0;
  if (!block)
    return oom(w);
  if (read_block(w, block, &len, head) != QUIRE_OK) {
    free(block);
    w->done = 1;
    return QUIRE_FAILED;
  }
  warc_http h;
  if (!response) {
    memset(&h, 0, sizeof h);
    h.status = 200;
    warc_http_content_type(ct, strlen(ct), &h);
  } else if (warc_http_parse(block, len, &h) != QUIRE_OK) {
    free(block);
    return skip(w, rec, "no HTTP status line and headers in its first 64 KB",
                NULL);
  }
  const char *format = format_of(h.media_type);
  char status[48];
  snprintf(status, sizeof status, "%d", h.status);
  int why = h.status < 200 || h.status > 299 ? 1 : !format ? 2 : 0;
  if (why) {
    free(block);
    return why == 1 ? skip(w, rec, "HTTP status ", status)
                    : skip(w, rec, "not text: ",
                           h.media_type[0] ? h.media_type : "no type");
  }
  if (rec->length - h.head_len > w->max_input) {
    free(block);
    return lost(w, rec, "its payload is larger than the limit "
                "max-input-size", NULL);
  }
  char *grown = realloc(block, (size_t)rec->length + 1);
  if (!grown)
    return free(block), oom(w);
  block = grown;
  if (read_block(w, block, &len, (size_t)rec->length - len) != QUIRE_OK) {
    free(block);
    w->done = 1;
    return QUIRE_FAILED;
  }
  block[len] = '\0';
  if (keep_names(w, rec) != QUIRE_OK)
    return free(block), QUIRE_FATAL;
  return decode(w, rec, &h, format, block, block + h.head_len,
                len - h.head_len);
}

/* A record's document: its URL and date; its URL as title when the page
 * has none. */
static int finish_doc(warc_docs *w, quire_doc *doc) {
  const quire_services *svc = w->env->svc;
  const char *title = svc->meta_get(doc->meta, QUIRE_META_TITLE);
  if (svc->meta_set(doc, "url", w->uri) != QUIRE_OK ||
      (w->date && svc->meta_set(doc, QUIRE_META_DATE, w->date) != QUIRE_OK) ||
      ((!title || !title[0]) &&
       svc->meta_set(doc, QUIRE_META_TITLE, w->uri) != QUIRE_OK))
    return oom(w);
  return QUIRE_OK;
}

int warc_docs_next(warc_docs *w, quire_doc **doc) {
  const quire_services *svc = w->env->svc;
  *doc = NULL;
  for (;;) {
    if (w->done)
      return QUIRE_DONE;
    if (w->sub) {
      int rc = svc->sub_next(w->env, w->sub, doc);
      if (rc == QUIRE_OK || rc == QUIRE_WARN) {
        if (finish_doc(w, *doc) != QUIRE_OK) {
          svc->doc_free(*doc);
          *doc = NULL;
          return QUIRE_FATAL;
        }
        return rc;
      }
      record_end(w);
      if (rc == QUIRE_DONE)
        continue;
      if (rc == QUIRE_FATAL)
        w->done = 1;
      return rc;   /* this record failed; the next call goes on */
    }
    warc_record rec;
    int rc = warc_stream_next(w->s, &rec);
    if (rc != QUIRE_OK) {
      w->done = 1;
      return rc;
    }
    rc = take(w, &rec);
    if (rc == QUIRE_OK)
      continue;
    record_end(w);
    if (rc != SKIP)
      return rc;
  }
}

/* ---- The warc format's reader ------------------------------------------- */

typedef struct warc_reader {
  arc_in *ai;
  warc_docs *docs;           /* NULL for an empty file */
} warc_reader;

static long pull(void *user, void *buf, size_t n) {
  arc_in *ai = user;
  return arc_in_data(ai, buf, n, ai->name);
}

int warc_read_open(quire_env *env, quire_input *in, const quire_options *opts,
                   void **state) {
  warc_reader *r = calloc(1, sizeof *r);
  if (!r) {
    quire_loc loc = {.file = env->svc->input_name(in)};
    env->svc->error(env, &loc, "out of memory");
    return QUIRE_FATAL;
  }
  int rc = arc_in_open(env, in, 1, &r->ai);
  if (rc != QUIRE_OK) {
    free(r);
    return rc;
  }
  struct archive_entry *e;
  int ar = archive_read_next_header(r->ai->a, &e);
  if (ar == ARCHIVE_OK || ar == ARCHIVE_WARN)
    rc = warc_docs_new(env, r->ai->name, pull, r->ai,
                       env->svc->option(opts, "input-encoding") != NULL,
                       &r->docs);
  else if (ar != ARCHIVE_EOF) {
    quire_loc loc = {.file = r->ai->name};
    if (!r->ai->input_failed)
      env->svc->error(env, &loc, "cannot read this file: %s",
                      arc_in_error(r->ai));
    rc = QUIRE_FAILED;
  }
  if (rc != QUIRE_OK) {
    warc_read_close(env, r);
    return rc;
  }
  *state = r;
  return QUIRE_OK;
}

int warc_read_next(quire_env *env, void *state, quire_doc **doc) {
  (void)env;
  warc_reader *r = state;
  *doc = NULL;
  return r->docs ? warc_docs_next(r->docs, doc) : QUIRE_DONE;
}

void warc_read_close(quire_env *env, void *state) {
  (void)env;
  warc_reader *r = state;
  if (!r)
    return;
  warc_docs_free(r->docs);
  arc_in_close(r->ai);
  free(r);
}
