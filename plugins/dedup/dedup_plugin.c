/* dedup_plugin.c - the transform "dedup": drops documents that are exact or
 * near duplicates of an earlier one, keeping the first.
 *
 * Each document's text (its TEXT, CODE and CODE_BLOCK content in reading
 * order, blocks apart) becomes a MinHash signature of its 5-word shingles
 * (dedup_sig.c), looked up among the documents kept so far (dedup_index.c).
 * A document whose estimated Jaccard similarity to a kept one reaches
 * --dedup-threshold (0.8 by default), or whose words are exactly a kept
 * one's, is dropped with svc->drop (shown with -v) and a line of
 * --dedup-report (dedup_report.c); any other is added to the index.
 *
 * With -j N the core applies transforms one document at a time in input
 * order, so "earlier" is the input order, and output and report are the
 * same for any N.  What the transform keeps per kept document is its
 * signature's bytes, band keys and name, within the limit
 * max-corpus-memory: past it, documents are still compared with those
 * kept, but no more are added (with a warning).
 *
 * The plugin keeps nothing outside its states, so it is
 * QUIRE_PLUGIN_CONCURRENT. */
#include "dedup.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define DEFAULT_THRESHOLD 0.8

/* The document's text (dedup_text.c), into st->text. */
static int collect_text(quire_env *env, dedup_state *st, const quire_doc *doc) {
  const quire_services *svc = env->svc;
  dedup_walk walk = {svc->iter_init, svc->iter_next, svc->node_is_inline};
  st->text.len = 0;
  if (dedup_text_add(&walk, doc->root, &st->text) == 0)
    return QUIRE_OK;
  svc->error(env, NULL, "dedup: out of memory");
  return QUIRE_FATAL;
}

/* The name of a document in messages and the report, as the clean report
 * names it: its source path, else its title. */
static const char *doc_name(quire_env *env, const quire_doc *doc) {
  const char *name = env->svc->meta_get(doc->meta, QUIRE_META_SOURCE);
  if (!name)
    name = env->svc->meta_get(doc->meta, QUIRE_META_TITLE);
  return name ? name : "";
}

static size_t held_bytes(const dedup_state *st) {
  return dedup_index_bytes(st->index) + st->names_cap +
         st->name_cap * sizeof *st->name_at;
}

/* Keeps `name` as the name of kept document st->kept. */
static int keep_name(dedup_state *st, const char *name) {
  size_t n = strlen(name) + 1;
  if (st->names_len + n > UINT32_MAX)
    return QUIRE_FATAL;
  if (st->names_len + n > st->names_cap) {
    size_t cap = st->names_cap ? st->names_cap : 4096;
    while (cap < st->names_len + n)
      cap *= 2;
    char *t = realloc(st->names, cap);
    if (!t)
      return QUIRE_FATAL;
    st->names = t;
    st->names_cap = cap;
  }
  if (st->kept == st->name_cap) {
    size_t cap = st->name_cap ? st->name_cap * 2 : 256;
    uint32_t *t = realloc(st->name_at, cap * sizeof *t);
    if (!t)
      return QUIRE_FATAL;
    st->name_at = t;
    st->name_cap = cap;
  }
  memcpy(st->names + st->names_len, name, n);
  st->name_at[st->kept] = (uint32_t)st->names_len;
  st->names_len += n;
  return QUIRE_OK;
}

/* Adds the document to the index, unless that would pass the limit. */
static int keep_doc(quire_env *env, dedup_state *st, const char *name) {
  size_t more = dedup_index_next_bytes(st->index) + strlen(name) + 1 +
                (st->kept == st->name_cap ? st->name_cap * 4 + 1024 : 0);
  if (st->full || held_bytes(st) + more > st->limit ||
      st->kept >= UINT32_MAX) {
    if (!st->full) {
      st->full = 1;
      quire_loc loc = {.file = name};
      env->svc->warn(env, &loc,
                     "dedup: the index of kept documents reached the limit "
                     "max-corpus-memory (%llu bytes) after %zu documents; "
                     "later documents are compared with those but not "
                     "added (raise it with --limit max-corpus-memory=SIZE)",
                     (unsigned long long)st->limit, st->kept);
    }
    return QUIRE_OK;
  }
  if (keep_name(st, name) != QUIRE_OK ||
      dedup_index_insert(st->index, &st->sig, (uint32_t)st->kept) != 0) {
    env->svc->error(env, NULL, "dedup: out of memory");
    return QUIRE_FATAL;
  }
  st->kept++;
  return QUIRE_OK;
}

static int dedup_apply(quire_env *env, void *state, quire_doc *doc) {
  dedup_state *st = state;
  if (collect_text(env, st, doc) != QUIRE_OK)
    return QUIRE_FATAL;
  if (dedup_sig_make(st->sketcher, st->text.s, st->text.len, &st->sig) != 0) {
    env->svc->error(env, NULL, "dedup: out of memory");
    return QUIRE_FATAL;
  }
  if (st->sig.words == 0)
    return QUIRE_OK;   /* nothing to compare: never a duplicate */
  const char *name = doc_name(env, doc);
  dedup_match m;
  if (!dedup_index_query(st->index, &st->sig, &m))
    return keep_doc(env, st, name);
  const char *of = st->names + st->name_at[m.doc];
  dedup_report_line(env, st, name, of, m.similarity, m.exact);
  if (m.exact)
    return env->svc->drop(env, "exact duplicate of %s", of);
  return env->svc->drop(env, "near duplicate of %s (similarity %.2f)", of,
                        m.similarity);
}

static void free_state(dedup_state *st) {
  dedup_index_free(st->index);
  dedup_sketcher_free(st->sketcher);
  dedup_text_free(&st->text);
  free(st->names);
  free(st->name_at);
  free(st);
}

/* The threshold option: a number above 0 and at most 1. */
static int read_threshold(quire_env *env, const char *v, double *t) {
  char *end;
  *t = DEFAULT_THRESHOLD;
  if (!v)
    return QUIRE_OK;
  *t = strtod(v, &end);
  if (end == v || *end || !isfinite(*t) || *t <= 0 || *t > 1)
    return env->svc->usage_error(env,
                                 "--dedup-threshold wants a number above 0 "
                                 "and at most 1, not '%s'",
                                 v);
  return QUIRE_OK;
}

static int dedup_open(quire_env *env, const quire_options *opts,
                      void **state) {
  const quire_services *svc = env->svc;
  double t;
  if (read_threshold(env, svc->option(opts, "dedup-threshold"), &t) !=
      QUIRE_OK)
    return QUIRE_FATAL;
  dedup_state *st = calloc(1, sizeof *st);
  if (st) {
    st->index = dedup_index_new(t);
    st->sketcher = dedup_sketcher_new();
  }
  if (!st || !st->index || !st->sketcher) {
    if (st)
      free_state(st);
    svc->error(env, NULL, "dedup: out of memory");
    return QUIRE_FATAL;
  }
  st->limit = svc->limit(env, "max-corpus-memory");
  const char *report = svc->option(opts, "dedup-report");
  if (report &&
      jsonl_report_open(env, &st->report, "dedup", report) != QUIRE_OK) {
    free_state(st);
    return QUIRE_FATAL;
  }
  *state = st;
  return QUIRE_OK;
}

static void dedup_close(quire_env *env, void *state) {
  dedup_state *st = state;
  jsonl_report_close(env, &st->report);
  free_state(st);
}

static const quire_option_spec dedup_options[] = {
    {"dedup-threshold", "T",
     "dedup: drop a document whose estimated Jaccard similarity to an "
     "earlier one is at least T (above 0, at most 1; default 0.8)",
     0},
    {"dedup-report", "FILE",
     "dedup: write each dropped document as a JSON line (document, "
     "duplicate_of, similarity, exact) to FILE",
     0},
};

static const quire_transform dedup_transform = {
    .name = "dedup",
    .description = "drop documents that are exact or near duplicates of an "
                   "earlier one (MinHash of 5-word shingles)",
    .open = dedup_open,
    .apply = dedup_apply,
    .close = dedup_close,
    .options = dedup_options,
    .n_options = sizeof dedup_options / sizeof dedup_options[0],
};

static const quire_transform *const dedup_transforms[] = {&dedup_transform};

static const quire_plugin dedup_plugin = {
    .abi_major = QUIRE_ABI_MAJOR,
    .abi_minor = QUIRE_ABI_MINOR,
    .struct_size = sizeof(quire_plugin),
    .name = "dedup",
    .version = "0.1.0",
    .flags = QUIRE_PLUGIN_CONCURRENT,
    .transforms = dedup_transforms,
    .n_transforms = sizeof dedup_transforms / sizeof dedup_transforms[0],
};

QUIRE_EXPORT const quire_plugin *QUIRE_PLUGIN_ENTRY(void) {
  return &dedup_plugin;
}
