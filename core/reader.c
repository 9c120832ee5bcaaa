/* reader.c - reading one input into documents through the public API. */
#include <quire/quire.h>

#include <stdlib.h>
#include <string.h>

#include "inputs.h"
#include "registry.h"
#include "stream.h"

#define READER_MAGIC 0x51524452u   /* "QRDR" */

enum { R_OPEN, R_DONE, R_FAILED, R_CLOSED };

struct quire_reader {
  unsigned magic;
  int state;
  qctx c;                     /* the reader's own: its errors stay here */
  qscope scope;
  quire_input *in;
  char *path;                 /* NULL for a source */
  const quire_format *format;
  void *rstate;
};

/* The title a document gets when its reader found none: its file name
 * without the extension, so it is never empty. */
static int default_title(quire_doc *doc, const char *name) {
  if (strcmp(name, "-") == 0)
    return quire_meta_set(doc, QUIRE_META_TITLE, "stdin");
  size_t n;
  const char *ext;
  const char *base = path_name(name, &n, &ext);
  char *title = quire_doc_strndup(doc, base, n);
  return title ? quire_meta_set(doc, QUIRE_META_TITLE, title) : QUIRE_ERR;
}

int doc_finish(quire_doc *doc, const char *path, const char *name,
               const char *lang) {
  const char *title = quire_meta_get(doc->meta, QUIRE_META_TITLE);
  int rc = QUIRE_OK;
  if (path && strcmp(path, "-") != 0 &&
      !quire_meta_get(doc->meta, QUIRE_META_SOURCE))
    rc |= quire_meta_set(doc, QUIRE_META_SOURCE, path);
  if (!title || !title[0])
    rc |= default_title(doc, path ? path : name);
  if (lang && !quire_meta_get(doc->meta, QUIRE_META_LANGUAGE))
    rc |= quire_meta_set(doc, QUIRE_META_LANGUAGE, lang);
  return rc == QUIRE_OK ? QUIRE_OK : QUIRE_ERR;
}

/* Copies the reader's error into the session's, for quire_error_get. */
static int fail(quire_reader *r, int rc) {
  const quire_error *e = &r->c.error;
  quire_loc loc = {e->file, e->line, e->column, e->offset};
  session_fail(r->c.s, e->kind ? e->kind : QUIRE_ERROR_CONVERSION,
               e->file ? &loc : NULL, "%s",
               e->message[0] ? e->message : "reading failed");
  return rc;
}

static int open_reader(quire_reader *r, const char *name, const char *from,
                       const quire_options *opts) {
  qctx *c = &r->c;
  const quire_format_info *f = registry_pick_reader(c, r->in, name, from);
  if (!f)
    return QUIRE_ERR;
  loaded_plugin *p = registry_plugin_of(c->s, f);
  r->format = f->format;
  scope_init(&r->scope, c, p, r->in->name, 0);
  static const quire_options none = {0};
  plugin_enter(p);
  int rc = r->format->read_open(&r->scope.env, r->in, opts ? opts : &none,
                                &r->rstate);
  plugin_leave(p);
  if (rc < QUIRE_OK) {
    ctx_blame(c, r->in->name, "reading");
    return QUIRE_ERR;
  }
  return QUIRE_OK;
}

static quire_reader *reader_new(quire_session *s) {
  quire_reader *r = calloc(1, sizeof *r);
  if (!r) {
    session_fail(s, QUIRE_ERROR_CONVERSION, NULL, "out of memory");
    return NULL;
  }
  ctx_init(&r->c, s, NULL);
  r->c.diag = s->diag;
  r->magic = READER_MAGIC;
  r->state = R_CLOSED;
  return r;
}

int quire_reader_open(quire_session *s, const char *path, const char *from,
                      const quire_options *opts, quire_reader **result) {
  *result = NULL;
  session_clear_error(s);
  if (from && !quire_format_find(s, from)) {
    session_fail(s, QUIRE_ERROR_USAGE, NULL, "unknown input format '%s'", from);
    return QUIRE_ERR;
  }
  quire_reader *r = reader_new(s);
  if (!r)
    return QUIRE_ERR;
  int rc = QUIRE_ERR;
  if (!(r->path = strdup(path)))
    ctx_oom(&r->c);
  else if (input_open(&r->c, path, &r->in) == QUIRE_OK)
    rc = open_reader(r, path, from, opts);
  if (rc != QUIRE_OK) {
    fail(r, rc);
    quire_reader_free(r);
    return QUIRE_ERR;
  }
  r->state = R_OPEN;
  *result = r;
  return QUIRE_OK;
}

int quire_reader_open_source(quire_session *s, const quire_source *src,
                             const quire_options *opts,
                             quire_reader **result) {
  *result = NULL;
  session_clear_error(s);
  if (!src) {
    session_fail(s, QUIRE_ERROR_USAGE, NULL, "no source given");
    return QUIRE_ERR;
  }
  if (src->format && !quire_format_find(s, src->format)) {
    session_fail(s, QUIRE_ERROR_USAGE, NULL, "unknown input format '%s'",
                 src->format);
    return QUIRE_ERR;
  }
  quire_reader *r = reader_new(s);
  if (!r)
    return QUIRE_ERR;
  const char *name = src->name && src->name[0] ? src->name : "<memory>";
  int rc = input_open_source(&r->c, src, name, &r->in);
  if (rc == QUIRE_OK)
    rc = open_reader(r, src->name, src->format, opts);
  if (rc != QUIRE_OK) {
    fail(r, rc);
    quire_reader_free(r);
    return QUIRE_ERR;
  }
  r->state = R_OPEN;
  *result = r;
  return QUIRE_OK;
}

int quire_reader_next(quire_reader *r, quire_doc **doc) {
  if (doc)
    *doc = NULL;
  if (!r || r->magic != READER_MAGIC || !doc)
    return QUIRE_ERR;
  quire_session *s = r->c.s;
  session_clear_error(s);
  ctx_job_reset(&r->c);
  if (r->state != R_OPEN) {
    static const char *const why[] = {"", "after the end of its documents",
                                      "after it failed", "after it was closed"};
    session_fail(s, QUIRE_ERROR_USAGE, NULL, "quire_reader_next called %s",
                 why[r->state]);
    return QUIRE_ERR;
  }
  plugin_enter(r->scope.plugin);
  int rc = r->format->read_next(&r->scope.env, r->rstate, doc);
  plugin_leave(r->scope.plugin);
  if (rc == QUIRE_DONE) {
    r->state = R_DONE;
    return QUIRE_DONE;
  }
  if (rc >= QUIRE_OK && !*doc)   /* a reader must hand over a document */
    rc = ctx_fail(&r->c, QUIRE_FAILED, QUIRE_ERROR_CONVERSION, NULL,
                  "the %s reader gave no document", r->format->name);
  if (rc >= QUIRE_OK &&
      doc_finish(*doc, r->path, r->in->name, NULL) != QUIRE_OK)
    rc = ctx_oom(&r->c);
  if (rc < QUIRE_OK) {
    ctx_blame(&r->c, r->in->name, "reading");
    quire_doc_free(*doc);
    *doc = NULL;
    r->state = R_FAILED;
    return fail(r, QUIRE_ERR);
  }
  return QUIRE_OK;
}

int quire_reader_close(quire_reader *r) {
  if (!r || r->magic != READER_MAGIC)
    return QUIRE_ERR;
  if (r->state == R_CLOSED) {
    session_fail(r->c.s, QUIRE_ERROR_USAGE, NULL,
                 "quire_reader_close called twice");
    return QUIRE_ERR;
  }
  plugin_enter(r->scope.plugin);
  r->format->read_close(&r->scope.env, r->rstate);
  plugin_leave(r->scope.plugin);
  input_close(r->in);
  r->in = NULL;
  ctx_release_closed(&r->c);
  r->state = R_CLOSED;
  return QUIRE_OK;
}

void quire_reader_free(quire_reader *r) {
  if (!r || r->magic != READER_MAGIC)
    return;
  if (r->state != R_CLOSED)
    quire_reader_close(r);
  input_close(r->in);
  ctx_free(&r->c);
  free(r->path);
  r->magic = 0;
  free(r);
}

const quire_error *quire_reader_error(const quire_reader *r) {
  static const quire_error none = {.message = ""};
  return r && r->magic == READER_MAGIC ? &r->c.error : &none;
}
