/* reader.c - reading one input into documents through the public API. */
#include <quire/quire.h>

#include <stdlib.h>
#include <string.h>

#include "inputs.h"
#include "registry.h"
#include "session.h"
#include "stream.h"

struct quire_reader {
  quire_session *s;
  quire_input *in;
  char *path;
  const quire_format *format;
  loaded_plugin *plugin;
  void *state;
};

/* The title a document gets when its reader found none: its file name
 * without the extension, so it is never empty. */
static int default_title(quire_doc *doc, const char *path) {
  if (strcmp(path, "-") == 0)
    return quire_meta_set(doc, QUIRE_META_TITLE, "stdin");
  size_t n;
  const char *ext;
  const char *base = path_name(path, &n, &ext);
  char *title = quire_doc_strndup(doc, base, n);
  return title ? quire_meta_set(doc, QUIRE_META_TITLE, title) : QUIRE_ERR;
}

int doc_finish(quire_doc *doc, const char *path, const char *lang) {
  const char *title = quire_meta_get(doc->meta, QUIRE_META_TITLE);
  int rc = QUIRE_OK;
  if (!quire_meta_get(doc->meta, QUIRE_META_SOURCE) && strcmp(path, "-") != 0)
    rc |= quire_meta_set(doc, QUIRE_META_SOURCE, path);
  if (!title || !title[0])
    rc |= default_title(doc, path);
  if (lang && !quire_meta_get(doc->meta, QUIRE_META_LANGUAGE))
    rc |= quire_meta_set(doc, QUIRE_META_LANGUAGE, lang);
  return rc == QUIRE_OK ? QUIRE_OK : QUIRE_ERR;
}

int quire_reader_open(quire_session *s, const char *path, const char *from,
                      const quire_options *opts, quire_reader **result) {
  session_clear_error(s);
  if (from && !quire_format_find(s, from)) {
    session_fail(s, QUIRE_ERROR_USAGE, NULL, "unknown input format '%s'", from);
    return QUIRE_ERR;
  }
  quire_reader *r = calloc(1, sizeof *r);
  if (!r) {
    session_fail(s, QUIRE_ERROR_CONVERSION, NULL, "out of memory");
    return QUIRE_ERR;
  }
  r->s = s;
  r->path = strdup(path);
  if (!r->path || input_open(s, path, &r->in) != QUIRE_OK) {
    if (!r->path)
      session_fail(s, QUIRE_ERROR_CONVERSION, NULL, "out of memory");
    free(r->path);
    free(r);
    return QUIRE_ERR;
  }
  const quire_format_info *f = registry_pick_reader(s, r->in, path, from);
  if (!f) {
    input_close(r->in);
    free(r->path);
    free(r);
    return QUIRE_ERR;
  }
  r->format = f->format;
  r->plugin = registry_plugin_of(s, f);
  static const quire_options none = {0};
  if (r->format->read_open(&r->plugin->env, r->in, opts ? opts : &none,
                           &r->state) != QUIRE_OK) {
    if (s->error.kind == QUIRE_ERROR_NONE) {
      quire_loc loc = {.file = r->in->name};
      session_fail(s, QUIRE_ERROR_CONVERSION, &loc, "reading failed");
    }
    input_close(r->in);
    free(r->path);
    free(r);
    return QUIRE_ERR;
  }
  *result = r;
  return QUIRE_OK;
}

int quire_reader_next(quire_reader *r, quire_doc **doc) {
  session_clear_error(r->s);
  *doc = NULL;
  int rc = r->format->read_next(&r->plugin->env, r->state, doc);
  if (rc == QUIRE_OK && !*doc)
    rc = QUIRE_ERR;   /* a reader must hand over a document with QUIRE_OK */
  if (rc == QUIRE_ERR && r->s->error.kind == QUIRE_ERROR_NONE) {
    quire_loc loc = {.file = r->in->name};
    session_fail(r->s, QUIRE_ERROR_CONVERSION, &loc, "reading failed");
  }
  if (rc == QUIRE_OK && doc_finish(*doc, r->path, NULL) != QUIRE_OK) {
    session_fail(r->s, QUIRE_ERROR_CONVERSION, NULL, "out of memory");
    rc = QUIRE_ERR;
  }
  if (rc != QUIRE_OK && *doc) {
    quire_doc_free(*doc);
    *doc = NULL;
  }
  return rc;
}

void quire_reader_close(quire_reader *r) {
  if (!r)
    return;
  r->format->read_close(&r->plugin->env, r->state);
  input_close(r->in);
  free(r->path);
  free(r);
}
