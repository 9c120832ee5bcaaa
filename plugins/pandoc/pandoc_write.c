/* pandoc_write.c - the pandoc-json writer: one pandoc document per output.
 *
 *   {"pandoc-api-version":[1,23,1],"meta":{...},"blocks":[...]}
 *
 * pandoc JSON holds one document.  A corpus of one document is written as
 * that document; with several, each document's blocks are wrapped in a
 * Div ["", ["quire-document"], [[KEY, VALUE]...]] carrying its metadata
 * (source, title, authors ...), so that pandoc renders them in turn and
 * quire reads them back as the documents they were.  The pandoc meta is
 * the corpus metadata (--title, --metadata ...) and then the first
 * document's.
 *
 * Documents stream: the head goes out with the first document; that
 * document is held back until the writer knows whether a second one
 * follows (and so whether it needs a Div), and every later one is written
 * as it comes, in pieces when it is large (pandoc_render.c).
 *
 * Every failure leaves a partial document in the output (or memory
 * exhausted), so it is QUIRE_FATAL. */
#include <stdlib.h>
#include <string.h>

#include "pandoc.h"

typedef struct pandoc_writer {
  quire_output *out;
  const quire_meta *corpus;  /* borrowed until write_close */
  const char *version;       /* the pandoc-api-version array */
  int api23;                 /* pandoc-types 1.23: Figure exists */
  unsigned long lost;        /* nodes whose attributes pandoc cannot hold */
  unsigned long docs;        /* documents seen */
  json_out buf;                  /* what goes out next */
  json_out held_attr, held;      /* the first document: Div attributes, blocks */
} pandoc_writer;

static int oom(quire_env *env) {
  env->svc->error(env, NULL, "out of memory");
  return QUIRE_FATAL;
}

int pandoc_write_open(quire_env *env, quire_output *out,
                      const quire_options *opts, const quire_meta *corpus,
                      void **state) {
  const char *api = env->svc->option(opts, "pandoc-api");
  const char *version;
  /* pandoc compares the first two numbers; these are the versions of
   * pandoc-types that pandoc 2.17 and pandoc 3 write. */
  if (!api || strcmp(api, "1.23") == 0)
    version = "[1,23,1]";
  else if (strcmp(api, "1.22") == 0)
    version = "[1,22,2,1]";
  else
    return env->svc->usage_error(env, "--pandoc-api wants 1.22 or 1.23, "
                                      "not '%s'", api);
  pandoc_writer *w = calloc(1, sizeof *w);
  if (!w)
    return oom(env);
  w->out = out;
  w->corpus = corpus;
  w->version = version;
  w->api23 = strcmp(version, "[1,23,1]") == 0;
  *state = w;
  return QUIRE_OK;
}

/* Writes and empties the buffer. */
static int flush(quire_env *env, void *user, json_out *b) {
  pandoc_writer *w = user;
  if (b->failed)
    return oom(env);
  int rc = b->len ? env->svc->output_write(env, w->out, b->s, b->len) : QUIRE_OK;
  json_out_clear(b);
  return rc == QUIRE_OK ? QUIRE_OK : QUIRE_FATAL;
}

/* ---- Metadata -------------------------------------------------------------- */

/* pandoc's name for a metadata key. */
static const char *pandoc_key(const char *key) {
  return strcmp(key, QUIRE_META_LANGUAGE) == 0 ? "lang" : key;
}

static int in_list(const char *list, const char *key) {
  size_t n = strlen(key);
  for (const char *p = list; *p;) {
    size_t len = strcspn(p, ",");
    if (len == n && strncmp(p, key, n) == 0)
      return 1;
    p += len + (p[len] == ',');
  }
  return 0;
}

/* Whether an entry of `list` before `stop` (NULL: any) has this pandoc
 * key. */
static int has_key(const quire_meta *list, const quire_meta *stop,
                   const char *key) {
  for (const quire_meta *m = list; m && m != stop; m = m->next)
    if (strcmp(pandoc_key(m->key), key) == 0)
      return 1;
  return 0;
}

static void meta_inlines(json_out *o, const char *value) {
  size_t count = 0;
  json_out_puts(o, "{\"t\":\"MetaInlines\",\"c\":[");
  pandoc_render_text(o, &count, value, strlen(value));
  json_out_puts(o, "]}");
}

static void meta_string(json_out *o, const char *value) {
  json_out_puts(o, "{\"t\":\"MetaString\",\"c\":");
  json_out_string(o, value, strlen(value));
  json_out_put(o, "}", 1);
}

/* The value of one key: all of list's entries with that pandoc key.
 * Titles and dates are inlines, as pandoc reads them from Markdown;
 * authors a list of inlines, even when one; other keys a string, or a
 * list of strings when repeated. */
static void meta_value(json_out *o, const quire_meta *list, const char *key) {
  size_t n = 0;
  for (const quire_meta *m = list; m; m = m->next)
    n += strcmp(pandoc_key(m->key), key) == 0;
  int author = strcmp(key, QUIRE_META_AUTHOR) == 0;
  int inlines = author || strcmp(key, QUIRE_META_TITLE) == 0 ||
                strcmp(key, QUIRE_META_DATE) == 0;
  int many = n > 1 || author;
  if (many)
    json_out_puts(o, "{\"t\":\"MetaList\",\"c\":[");
  size_t i = 0;
  for (const quire_meta *m = list; m; m = m->next) {
    if (strcmp(pandoc_key(m->key), key) != 0)
      continue;
    if (i++)
      json_out_put(o, ",", 1);
    if (inlines)
      meta_inlines(o, m->value);
    else
      meta_string(o, m->value);
  }
  if (many)
    json_out_puts(o, "]}");
}

/* The pandoc meta object: the corpus metadata the writer declares, then
 * the first document's keys the corpus did not give. */
static void meta_object(json_out *o, const quire_meta *corpus,
                        const quire_meta *doc) {
  size_t keys = 0;
  json_out_put(o, "{", 1);
  for (int pass = 0; pass < 2; pass++) {
    const quire_meta *list = pass ? doc : corpus;
    for (const quire_meta *m = list; m; m = m->next) {
      const char *key = pandoc_key(m->key);
      if ((!pass && !in_list(PANDOC_CORPUS_KEYS, m->key)) ||
          has_key(list, m, key) || (pass && has_key(corpus, NULL, key)))
        continue;
      if (keys++)
        json_out_put(o, ",", 1);
      json_out_string(o, key, strlen(key));
      json_out_put(o, ":", 1);
      meta_value(o, list, key);
    }
  }
  json_out_put(o, "}", 1);
}

static void head(pandoc_writer *w, const quire_meta *doc_meta) {
  json_out_puts(&w->buf, "{\"pandoc-api-version\":");
  json_out_puts(&w->buf, w->version);
  json_out_puts(&w->buf, ",\"meta\":");
  meta_object(&w->buf, w->corpus, doc_meta);
  json_out_puts(&w->buf, ",\"blocks\":[");
}

/* A document's Div attributes: its class, and its metadata as pairs. */
static void doc_attr(json_out *o, const quire_meta *meta) {
  json_out_puts(o, "[\"\",[\"" PANDOC_DOC_CLASS "\"],[");
  for (const quire_meta *m = meta; m; m = m->next) {
    if (m != meta)
      json_out_put(o, ",", 1);
    json_out_put(o, "[", 1);
    json_out_string(o, m->key, strlen(m->key));
    json_out_put(o, ",", 1);
    json_out_string(o, m->value, strlen(m->value));
    json_out_put(o, "]", 1);
  }
  json_out_puts(o, "]]");
}

/* ---- Documents ------------------------------------------------------------- */

/* Writes the first document, held back, in its Div. */
static int write_held(quire_env *env, pandoc_writer *w) {
  json_out_puts(&w->buf, "{\"t\":\"Div\",\"c\":[");
  json_out_put(&w->buf, w->held_attr.s, w->held_attr.len);
  json_out_puts(&w->buf, ",[");
  json_out_put(&w->buf, w->held.s, w->held.len);
  json_out_puts(&w->buf, "]]}");
  json_out_free(&w->held_attr);
  json_out_free(&w->held);
  return flush(env, w, &w->buf);
}

/* Writes a later document in its Div, streaming. */
static int write_div(quire_env *env, pandoc_writer *w, const quire_doc *doc) {
  json_out_puts(&w->buf, ",{\"t\":\"Div\",\"c\":[");
  doc_attr(&w->buf, doc->meta);
  json_out_puts(&w->buf, ",[");
  int rc = pandoc_render_blocks(env, doc->root, &w->buf, w->api23, &w->lost,
                                flush, w);
  if (rc != QUIRE_OK)
    return rc;
  json_out_puts(&w->buf, "]]}");
  return flush(env, w, &w->buf);
}

int pandoc_write_doc(quire_env *env, void *state, const quire_doc *doc) {
  pandoc_writer *w = state;
  int rc = QUIRE_OK;
  if (w->docs == 0) {
    head(w, doc->meta);
    rc = flush(env, w, &w->buf);
    if (rc == QUIRE_OK) {
      doc_attr(&w->held_attr, doc->meta);
      rc = w->held_attr.failed
               ? oom(env)
               : pandoc_render_blocks(env, doc->root, &w->held, w->api23,
                                      &w->lost, NULL, NULL);
    }
  } else {
    if (w->docs == 1)
      rc = write_held(env, w);
    if (rc == QUIRE_OK)
      rc = write_div(env, w, doc);
  }
  w->docs++;
  return rc;
}

int pandoc_write_close(quire_env *env, void *state, int ok) {
  pandoc_writer *w = state;
  int rc = QUIRE_OK;
  if (ok) {
    if (w->docs == 0)
      head(w, NULL);
    else if (w->docs == 1)
      json_out_put(&w->buf, w->held.s, w->held.len);
    json_out_puts(&w->buf, "]}\n");
    rc = flush(env, w, &w->buf);
    if (w->lost)
      env->svc->info(env, NULL,
                     "pandoc-json: the attributes of %lu nodes left out: "
                     "pandoc has no place for them (paragraphs, lists, "
                     "quotes, emphasis ...; see docs/formats/pandoc-json.md)",
                     w->lost);
  }
  json_out_free(&w->buf);
  json_out_free(&w->held_attr);
  json_out_free(&w->held);
  free(w);
  return rc;
}
