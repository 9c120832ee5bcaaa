/* compose.c - formats that contain formats.
 *
 * A reader hands the core the bytes of something it holds (an archive's
 * entry, a book's chapter) as a sub-input, and reads back the documents
 * the reader the core picks makes of it; a writer renders a document
 * through another writer, into memory or a sink of its own.  So no plugin
 * compiles another plugin's code, and every nesting goes through the same
 * choice of format, limits and diagnostics as a top-level input.
 *
 * Handles check their state: reading past the end, using a closed handle
 * or closing one twice is an error, not undefined behaviour.  A closed
 * handle's memory is kept until the top-level input is done for that. */
#include <quire/quire.h>

#include <stdlib.h>
#include <string.h>

#include "compose.h"
#include "options.h"
#include "registry.h"
#include "stream.h"

#define SUB_MAGIC 0x51554253u      /* "QSUB" */
#define RENDER_MAGIC 0x51524e44u   /* "QRND" */

enum { H_OPEN, H_DONE, H_FAILED, H_CLOSED };

struct quire_sub {
  unsigned magic;
  int state;
  qscope scope;              /* the env of the reader chosen for it */
  const quire_format *format;
  quire_input *in;
  void *rstate;
  quire_option *storage;
};

struct quire_render {
  unsigned magic;
  int state;
  qscope scope;              /* the env of the writer rendering */
  const quire_format *format;
  quire_output *out;
  void *wstate;
};

static const char *who(const qscope *sc) {
  return sc->plugin ? sc->plugin->desc.name : "the program";
}

/* The error for a call on a handle in the wrong state. */
static int misuse(quire_env *env, const char *call, const char *why) {
  qscope *sc = scope_of(env);
  return ctx_fail(sc->ctx, QUIRE_FATAL, QUIRE_ERROR_CONVERSION, NULL,
                  "plugin %s called %s %s", who(sc), call, why);
}

/* "outer!inner": where a sub-input came from, for messages. */
static char *sub_name(const char *outer, const char *inner) {
  if (!inner || !inner[0])
    inner = "(unnamed)";
  if (!outer)
    return strdup(inner);
  size_t n = strlen(outer) + strlen(inner) + 2;
  char *name = malloc(n);
  if (name) {
    strcpy(name, outer);
    strcat(name, "!");
    strcat(name, inner);
  }
  return name;
}

static void sub_free(quire_sub *sub) {
  input_close(sub->in);
  free(sub->storage);
  sub->in = NULL;
  sub->storage = NULL;
}

int compose_sub_open(quire_env *env, const quire_source *src,
                     quire_sub **result) {
  qscope *parent = scope_of(env);
  qctx *c = parent->ctx;
  *result = NULL;
  if (!src)
    return misuse(env, "sub_open", "without a source");
  uint64_t max = quire_limit_get(c->s, "max-nesting");
  char *name = sub_name(parent->name, src->name);
  if (!name)
    return ctx_oom(c);
  quire_loc loc = {.file = name};
  if ((uint64_t)parent->depth + 1 > max) {
    ctx_fail(c, QUIRE_FAILED, QUIRE_ERROR_CONVERSION, &loc,
             "nested deeper than the limit max-nesting (%llu)",
             (unsigned long long)max);
    free(name);
    return QUIRE_FAILED;
  }
  quire_sub *sub = calloc(1, sizeof *sub);
  if (!sub) {
    free(name);
    return ctx_oom(c);
  }
  int rc = input_open_source(c, src, name, &sub->in);
  if (rc == QUIRE_OK)
    sub->in->sub = 1;
  free(name);
  if (rc != QUIRE_OK) {
    free(sub);
    return rc;
  }
  const quire_format_info *f =
      registry_pick_reader(c, sub->in, src->name, src->format);
  if (!f) {
    sub_free(sub);
    free(sub);
    return QUIRE_FAILED;
  }
  loaded_plugin *p = registry_plugin_of(c->s, f);
  sub->format = f->format;
  scope_init(&sub->scope, c, p, sub->in->name, parent->depth + 1);
  quire_options opts;
  rc = options_pick(c, c->job, f->format->name, f->format->options,
                    f->format->n_options, QUIRE_OPT_READ, &opts,
                    &sub->storage);
  if (rc == QUIRE_OK) {
    plugin_enter(p);
    rc = f->format->read_open(&sub->scope.env, sub->in, &opts, &sub->rstate);
    plugin_leave(p);
    if (rc < QUIRE_OK)
      ctx_blame(c, sub->in->name, "reading");
  }
  if (rc < QUIRE_OK) {
    sub_free(sub);
    free(sub);
    return rc;
  }
  if (rc == QUIRE_WARN)
    ctx_grade(c, QUIRE_WARN);
  sub->magic = SUB_MAGIC;
  sub->state = H_OPEN;
  *result = sub;
  return QUIRE_OK;
}

int compose_sub_next(quire_env *env, quire_sub *sub, quire_doc **doc) {
  if (doc)
    *doc = NULL;
  if (!sub || sub->magic != SUB_MAGIC || !doc)
    return misuse(env, "sub_next", "without an open sub-input");
  if (sub->state == H_CLOSED)
    return misuse(env, "sub_next", "after sub_close");
  if (sub->state == H_DONE)
    return misuse(env, "sub_next", "after it gave QUIRE_DONE");
  if (sub->state == H_FAILED)
    return misuse(env, "sub_next", "after it failed");
  qctx *c = sub->scope.ctx;
  plugin_enter(sub->scope.plugin);
  int rc = sub->format->read_next(&sub->scope.env, sub->rstate, doc);
  plugin_leave(sub->scope.plugin);
  if ((rc == QUIRE_OK || rc == QUIRE_WARN) && !*doc) {
    rc = ctx_fail(c, QUIRE_FAILED, QUIRE_ERROR_CONVERSION, NULL,
                  "the %s reader gave no document", sub->format->name);
  }
  if (rc == QUIRE_DONE) {
    sub->state = H_DONE;
    return QUIRE_DONE;
  }
  if (rc < QUIRE_OK) {
    ctx_blame(c, sub->in->name, "reading");
    quire_doc_free(*doc);
    *doc = NULL;
    sub->state = H_FAILED;
    return rc;
  }
  if (rc == QUIRE_WARN)
    ctx_grade(c, QUIRE_WARN);
  return QUIRE_OK;
}

int compose_sub_close(quire_env *env, quire_sub *sub) {
  if (!sub || sub->magic != SUB_MAGIC)
    return misuse(env, "sub_close", "without a sub-input");
  if (sub->state == H_CLOSED)
    return misuse(env, "sub_close", "twice");
  plugin_enter(sub->scope.plugin);
  sub->format->read_close(&sub->scope.env, sub->rstate);
  plugin_leave(sub->scope.plugin);
  sub_free(sub);
  sub->state = H_CLOSED;
  ctx_keep_closed(sub->scope.ctx, sub);
  return QUIRE_OK;
}

/* The choice registry_pick_reader() makes, without an input, a message
 * or a note: sub_open() with the same source picks the same format. */
const char *compose_sub_format(quire_env *env, const quire_source *src) {
  if (!src)
    return NULL;
  const quire_session *s = scope_of(env)->ctx->s;
  const quire_format_info *f = NULL;
  if (src->format) {
    f = quire_format_find(s, src->format);
    return f && f->format->read_open ? f->format->name : NULL;
  }
  if (src->name && strcmp(src->name, "-") != 0) {
    f = quire_format_for_path(s, src->name);
    if (f && f->format->read_open)
      return f->format->name;
  }
  if (src->read)
    return NULL;
  size_t len = src->data ? src->len : 0;
  f = registry_sniff(s, src->data, len < INPUT_HEAD_MAX ? len : INPUT_HEAD_MAX);
  return f ? f->format->name : NULL;
}

/* ---- Rendering through another writer ---------------------------------- */

int compose_render_open(quire_env *env, const char *format,
                        const quire_options *opts, const quire_meta *corpus,
                        quire_write_fn sink, void *user,
                        quire_render **result) {
  qscope *parent = scope_of(env);
  qctx *c = parent->ctx;
  *result = NULL;
  const quire_format_info *f = format ? quire_format_find(c->s, format) : NULL;
  if (!f || !f->format->write_open)
    return ctx_fail(c, QUIRE_FATAL, QUIRE_ERROR_CONVERSION, NULL,
                    "plugin %s needs format %s to write, and %s", who(parent),
                    format ? format : "(none)",
                    f ? "that format cannot be written"
                      : "no loaded plugin provides it");
  const quire_format *w = f->format;
  for (size_t i = 0; opts && i < opts->count; i++)
    if (!options_declares(w->options, w->n_options, opts->items[i].name,
                          QUIRE_OPT_WRITE))
      return ctx_fail(c, QUIRE_FATAL, QUIRE_ERROR_CONVERSION, NULL,
                      "plugin %s gave the %s writer option --%s, which it "
                      "does not take", who(parent), w->name,
                      opts->items[i].name);
  quire_render *r = calloc(1, sizeof *r);
  if (!r)
    return ctx_oom(c);
  int rc = sink ? output_open_sink(c, w->name, sink, user, &r->out)
                : output_open_memory(c, w->name, &r->out);
  if (rc != QUIRE_OK) {
    free(r);
    return rc;
  }
  loaded_plugin *p = registry_plugin_of(c->s, f);
  scope_init(&r->scope, c, p, NULL, parent->depth);
  static const quire_options none = {0};
  plugin_enter(p);
  rc = w->write_open(&r->scope.env, r->out, opts ? opts : &none, corpus,
                     &r->wstate);
  plugin_leave(p);
  if (rc < QUIRE_OK) {
    ctx_blame(c, w->name, "writing");
    output_discard(r->out);
    free(r);
    return rc;
  }
  r->format = w;
  r->magic = RENDER_MAGIC;
  r->state = H_OPEN;
  *result = r;
  return QUIRE_OK;
}

int compose_render_doc(quire_env *env, quire_render *r, const quire_doc *doc) {
  if (!r || r->magic != RENDER_MAGIC || !doc)
    return misuse(env, "render_doc", "without an open rendering");
  if (r->state != H_OPEN)
    return misuse(env, "render_doc", r->state == H_CLOSED ? "after "
                  "render_close" : "after the rendering failed");
  qctx *c = r->scope.ctx;
  plugin_enter(r->scope.plugin);
  int rc = r->format->write_doc(&r->scope.env, r->wstate, doc);
  plugin_leave(r->scope.plugin);
  if (rc >= QUIRE_OK && r->out->sink)
    rc = output_flush(c, r->out);   /* the caller's bytes stay in order */
  if (rc < QUIRE_OK) {
    ctx_blame(c, r->format->name, "writing");
    if (rc == QUIRE_FATAL)
      r->state = H_FAILED;
    return rc;
  }
  if (rc == QUIRE_WARN)
    ctx_grade(c, QUIRE_WARN);
  return QUIRE_OK;
}

int compose_render_close(quire_env *env, quire_render *r, int ok,
                         char **data, size_t *len) {
  if (data)
    *data = NULL;
  if (len)
    *len = 0;
  if (!r || r->magic != RENDER_MAGIC)
    return misuse(env, "render_close", "without a rendering");
  if (r->state == H_CLOSED)
    return misuse(env, "render_close", "twice");
  qctx *c = r->scope.ctx;
  ok = ok && r->state == H_OPEN;
  plugin_enter(r->scope.plugin);
  int rc = r->format->write_close(&r->scope.env, r->wstate, ok);
  plugin_leave(r->scope.plugin);
  if (!ok)
    rc = QUIRE_OK;
  if (ok && rc < QUIRE_OK)
    ctx_blame(c, r->format->name, "writing");
  if (ok && rc >= QUIRE_OK)
    rc = output_commit(c, r->out, data, len);
  else
    output_discard(r->out);
  r->out = NULL;
  r->state = H_CLOSED;
  ctx_keep_closed(c, r);
  return rc < QUIRE_OK ? rc : QUIRE_OK;
}
