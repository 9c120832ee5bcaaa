/* epub_write_dc.c - what the book's Dublin Core takes from the documents.
 *
 * Documents arrive one at a time and are gone after write_doc, while the
 * package is written at close, when the number of documents is known.  So
 * each document leaves here what the book may need of it:
 *   - the first document's title, date, identifier, publisher, rights,
 *     description and subjects, used when the book has that one document
 *     (several documents are a corpus: a document's description or
 *     identifier is not the book's);
 *   - every document's creators in every role ("author" is the role aut,
 *     "creator:ROLE" another MARC relator), each name and role once, in
 *     the order first seen;
 *   - every document's language (a well-formed BCP 47 tag), each once:
 *     the book lists them all, the first as its own;
 *   - the page direction ("rtl" or "ltr"), when every document agrees.
 * The corpus metadata (--title, --lang, --metadata) wins over all of it;
 * that is epub_write.c's business at close. */
#include <stdlib.h>
#include <string.h>

#include "epub_write.h"

/* Keeps value in *slot (pool offset + 1) when it has none yet. */
static int keep(epub_dc *dc, size_t *slot, const char *value) {
  if (*slot || !value || !value[0])
    return QUIRE_OK;
  size_t at;
  if (epub_pool_add(&dc->pool, value, strlen(value), &at))
    return QUIRE_FATAL;
  *slot = at + 1;
  return QUIRE_OK;
}

/* Appends key to a list of pool offsets unless set has it already. */
static int add_once(epub_dc *dc, epub_map *set, size_t **list, size_t *n,
                    size_t *cap, const char *key) {
  if (epub_map_get(set, &dc->pool, key) >= 0)
    return QUIRE_OK;
  size_t *l = epub_room(*list, cap, *n, sizeof *l);
  if (!l)
    return QUIRE_FATAL;
  *list = l;
  if (epub_map_put(set, &dc->pool, key, *n, &l[*n]))
    return QUIRE_FATAL;
  (*n)++;
  return QUIRE_OK;
}

static int add_creator(epub_dc *dc, const char *role, const char *name) {
  size_t rn = strlen(role), nn = strlen(name);
  if (!nn || !rn || memchr(role, '\n', rn))
    return QUIRE_OK;
  char *key = malloc(rn + nn + 2);
  if (!key)
    return QUIRE_FATAL;
  memcpy(key, role, rn);
  key[rn] = '\n';
  memcpy(key + rn + 1, name, nn + 1);
  int rc = add_once(dc, &dc->creator_set, &dc->creators, &dc->n_creators,
                    &dc->cap_creators, key);
  free(key);
  return rc;
}

/* One more document in lang. */
static int count_language(epub_dc *dc, const char *lang) {
  long long at = epub_map_get(&dc->lang_set, &dc->pool, lang);
  if (at < 0) {
    if (add_once(dc, &dc->lang_set, &dc->langs, &dc->n_langs, &dc->cap_langs,
                 lang))
      return QUIRE_FATAL;
    size_t *c = epub_room(dc->lang_counts, &dc->cap_lang_counts,
                          dc->n_langs - 1, sizeof *c);
    if (!c)
      return QUIRE_FATAL;
    dc->lang_counts = c;
    at = (long long)dc->n_langs - 1;
    c[at] = 0;
  }
  dc->lang_counts[at]++;
  return QUIRE_OK;
}

static int first_doc(epub_dc *dc, const quire_services *svc,
                     const quire_doc *doc) {
  const quire_meta *m = doc->meta;
  if (keep(dc, &dc->title, svc->meta_get(m, QUIRE_META_TITLE)) ||
      keep(dc, &dc->date, svc->meta_get(m, QUIRE_META_DATE)) ||
      keep(dc, &dc->identifier, svc->meta_get(m, QUIRE_META_IDENTIFIER)) ||
      keep(dc, &dc->publisher, svc->meta_get(m, QUIRE_META_PUBLISHER)) ||
      keep(dc, &dc->rights, svc->meta_get(m, QUIRE_META_RIGHTS)) ||
      keep(dc, &dc->description, svc->meta_get(m, QUIRE_META_DESCRIPTION)))
    return QUIRE_FATAL;
  for (; m; m = m->next) {
    if (strcmp(m->key, QUIRE_META_SUBJECT) != 0 || !m->value[0])
      continue;
    size_t *s = epub_room(dc->subjects, &dc->cap_subjects, dc->n_subjects,
                          sizeof *s);
    if (!s)
      return QUIRE_FATAL;
    dc->subjects = s;
    if (epub_pool_add(&dc->pool, m->value, strlen(m->value),
                      &s[dc->n_subjects++]))
      return QUIRE_FATAL;
  }
  return QUIRE_OK;
}

int epub_dc_gather(quire_env *env, epub_dc *dc, const quire_doc *doc) {
  const quire_services *svc = env->svc;
  if (dc->docs++ == 0 && first_doc(dc, svc, doc) != QUIRE_OK)
    return QUIRE_FATAL;
  static const size_t prefix = sizeof QUIRE_META_CREATOR_PREFIX - 1;
  for (const quire_meta *m = doc->meta; m; m = m->next) {
    int rc = QUIRE_OK;
    if (strcmp(m->key, QUIRE_META_AUTHOR) == 0)
      rc = add_creator(dc, "aut", m->value);
    else if (strncmp(m->key, QUIRE_META_CREATOR_PREFIX, prefix) == 0)
      rc = add_creator(dc, m->key + prefix, m->value);
    if (rc != QUIRE_OK)
      return rc;
  }
  const char *lang = svc->meta_get(doc->meta, QUIRE_META_LANGUAGE);
  if (lang && epub_bcp47_ok(lang) && count_language(dc, lang))
    return QUIRE_FATAL;
  const char *dir = svc->meta_get(doc->meta, QUIRE_META_DIRECTION);
  if (dir && strcmp(dir, "rtl") != 0 && strcmp(dir, "ltr") != 0)
    dir = NULL;
  if (dc->docs == 1)
    return keep(dc, &dc->direction, dir);
  if (!dir || !dc->direction ||
      strcmp(epub_pool_str(&dc->pool, dc->direction - 1), dir) != 0)
    dc->direction_differs = 1;
  return QUIRE_OK;
}

void epub_dc_free(epub_dc *dc) {
  free(dc->pool.buf);
  free(dc->subjects);
  free(dc->creators);
  epub_map_free(&dc->creator_set);
  free(dc->langs);
  free(dc->lang_counts);
  epub_map_free(&dc->lang_set);
  *dc = (epub_dc){0};
}
