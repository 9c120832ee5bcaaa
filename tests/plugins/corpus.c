/* corpus.c - test transforms for the passes the core arranges.
 *
 *   dedupe  (wants the corpus) drops every document whose text an earlier
 *           document of the corpus has, counting texts in its first pass;
 *           its memory is bounded by the limit max-corpus-memory;
 *   split   replaces a document by one document per paragraph;
 *   failer  fails each document whose text holds the word FAIL;
 *   lossy   returns QUIRE_WARN for every document, without a message;
 *   misuse  uses the core's handles wrongly (reads past the end, writes
 *           after closing, closes twice) and fails the document unless
 *           the core refused each misuse.
 */
#include <quire/plugin.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* FNV-1a over the text of every TEXT node: the document's text, hashed. */
static uint64_t text_hash(quire_env *env, const quire_doc *doc, int *has_fail) {
  uint64_t h = 1469598103934665603ull;
  quire_iter it;
  env->svc->iter_init(&it, doc->root);
  while (env->svc->iter_next(&it) != QUIRE_EV_DONE) {
    const quire_node *n = it.node;
    if (n->type != QUIRE_NODE_TEXT || it.event != QUIRE_EV_ENTER)
      continue;
    for (size_t i = 0; i < n->len; i++)
      h = (h ^ (unsigned char)n->text[i]) * 1099511628211ull;
    if (has_fail && strstr(n->text, "FAIL"))
      *has_fail = 1;
  }
  return h;
}

/* ---- dedupe ---------------------------------------------------------------- */

typedef struct seen {
  uint64_t *hashes;          /* of the first pass, in order */
  size_t n, cap;
  size_t next;               /* the second pass's position */
  uint64_t limit;            /* bytes the table may take */
} seen;

static int dedupe_open(quire_env *env, const quire_options *opts,
                       void **state) {
  (void)opts;
  seen *s = calloc(1, sizeof *s);
  if (!s) {
    env->svc->error(env, NULL, "out of memory");
    return QUIRE_FATAL;
  }
  s->limit = env->svc->limit(env, "max-corpus-memory");
  *state = s;
  return QUIRE_OK;
}

static int dedupe_gather(quire_env *env, void *state, const quire_doc *doc) {
  seen *s = state;
  if (s->n == s->cap) {
    size_t cap = s->cap ? s->cap * 2 : 64;
    if (cap * sizeof *s->hashes > s->limit) {
      env->svc->error(env, NULL, "dedupe: more documents than the limit "
                                 "max-corpus-memory allows");
      return QUIRE_FATAL;
    }
    uint64_t *grown = realloc(s->hashes, cap * sizeof *grown);
    if (!grown) {
      env->svc->error(env, NULL, "out of memory");
      return QUIRE_FATAL;
    }
    s->hashes = grown;
    s->cap = cap;
  }
  s->hashes[s->n++] = text_hash(env, doc, NULL);
  return QUIRE_OK;
}

static int dedupe_apply(quire_env *env, void *state, quire_doc *doc) {
  seen *s = state;
  uint64_t h = text_hash(env, doc, NULL);
  size_t at = s->next++;
  for (size_t i = 0; i < at && i < s->n; i++)
    if (s->hashes[i] == h)
      return env->svc->drop(env, "same text as document %zu", i + 1);
  return QUIRE_OK;
}

static void dedupe_close(quire_env *env, void *state) {
  (void)env;
  seen *s = state;
  free(s->hashes);
  free(s);
}

/* ---- split ------------------------------------------------------------------ */

static int split_apply(quire_env *env, void *state, quire_doc *doc) {
  (void)state;
  const quire_services *svc = env->svc;
  size_t made = 0;
  for (quire_node *p = doc->root->first_child; p; p = p->next) {
    if (p->type != QUIRE_NODE_PARAGRAPH)
      continue;
    quire_doc *part = svc->doc_new();
    quire_node *para = part ? svc->node_new(part, QUIRE_NODE_PARAGRAPH) : NULL;
    int ok = para && svc->node_append(part->root, para) == QUIRE_OK;
    for (quire_node *t = p->first_child; ok && t; t = t->next)
      if (t->type == QUIRE_NODE_TEXT) {
        quire_node *copy = svc->node_new_text(part, QUIRE_NODE_TEXT, t->text,
                                              t->len);
        ok = copy && svc->node_append(para, copy) == QUIRE_OK;
      }
    if (!ok) {
      svc->doc_free(part);
      svc->error(env, NULL, "out of memory");
      return QUIRE_FATAL;
    }
    if (svc->emit(env, part) != QUIRE_OK)
      return QUIRE_FATAL;
    made++;
  }
  return svc->drop(env, "split into %zu documents", made);
}

/* ---- failer ------------------------------------------------------------------ */

static int failer_apply(quire_env *env, void *state, quire_doc *doc) {
  (void)state;
  int has_fail = 0;
  text_hash(env, doc, &has_fail);
  if (!has_fail)
    return QUIRE_OK;
  quire_loc loc = {.file = env->svc->meta_get(doc->meta, QUIRE_META_SOURCE)};
  env->svc->error(env, &loc, "failer: the text says FAIL");
  return QUIRE_FAILED;
}

/* ---- lossy ---------------------------------------------------------------- */

static int lossy_apply(quire_env *env, void *state, quire_doc *doc) {
  (void)env;
  (void)state;
  (void)doc;
  return QUIRE_WARN;
}

/* ---- misuse ---------------------------------------------------------------- */

static int misuse_apply(quire_env *env, void *state, quire_doc *doc) {
  (void)state;
  const quire_services *svc = env->svc;
  int caught = 1;
  quire_render *r = NULL;
  if (svc->render_open(env, "txt", NULL, NULL, NULL, NULL, &r) != QUIRE_OK)
    return QUIRE_FATAL;
  caught &= svc->render_close(env, r, 0, NULL, NULL) == QUIRE_OK;
  caught &= svc->render_doc(env, r, doc) == QUIRE_FATAL;
  caught &= svc->render_close(env, r, 1, NULL, NULL) == QUIRE_FATAL;
  quire_source src = {.name = "inner.txt", .data = "Inner words.\n",
                      .len = 13};
  quire_sub *sub = NULL;
  quire_doc *inner = NULL;
  if (svc->sub_open(env, &src, &sub) != QUIRE_OK)
    return QUIRE_FATAL;
  caught &= svc->sub_next(env, sub, &inner) == QUIRE_OK && inner;
  svc->doc_free(inner);
  caught &= svc->sub_next(env, sub, &inner) == QUIRE_DONE;
  caught &= svc->sub_next(env, sub, &inner) == QUIRE_FATAL && !inner;
  caught &= svc->sub_close(env, sub) == QUIRE_OK;
  caught &= svc->sub_next(env, sub, &inner) == QUIRE_FATAL;
  caught &= svc->sub_close(env, sub) == QUIRE_FATAL;
  if (!caught) {
    svc->error(env, NULL, "misuse: the core let a misuse through");
    return QUIRE_FAILED;
  }
  return QUIRE_OK;
}

static const quire_transform dedupe = {
    .name = "dedupe",
    .description = "drop documents whose text an earlier one has",
    .flags = QUIRE_TRANSFORM_CORPUS,
    .open = dedupe_open,
    .gather = dedupe_gather,
    .apply = dedupe_apply,
    .close = dedupe_close,
};

static const quire_transform split = {
    .name = "split",
    .description = "one document per paragraph",
    .apply = split_apply,
};

static const quire_transform failer = {
    .name = "failer",
    .description = "fail documents that say FAIL",
    .apply = failer_apply,
};

static const quire_transform lossy = {
    .name = "lossy",
    .description = "grade every document QUIRE_WARN",
    .apply = lossy_apply,
};

static const quire_transform misuse = {
    .name = "misuse",
    .description = "use the core's handles wrongly",
    .apply = misuse_apply,
};

static const quire_transform *const corpus_transforms[] = {
    &dedupe, &split, &failer, &lossy, &misuse};

static const quire_plugin corpus_plugin = {
    .abi_major = QUIRE_ABI_MAJOR,
    .abi_minor = QUIRE_ABI_MINOR,
    .struct_size = sizeof(quire_plugin),
    .name = "corpus",
    .version = "1.0",
    .flags = QUIRE_PLUGIN_CONCURRENT,
    .transforms = corpus_transforms,
    .n_transforms = 5,
};

QUIRE_EXPORT const quire_plugin *QUIRE_PLUGIN_ENTRY(void) {
  return &corpus_plugin;
}
