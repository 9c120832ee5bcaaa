/* html_write_ids.c - the ids of a written page (see the header). */
#include "html_write_ids.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t hash(const char *s) {
  uint64_t h = 1469598103934665603ull;   /* FNV-1a */
  for (; *s; s++)
    h = (h ^ (unsigned char)*s) * 1099511628211ull;
  return h;
}

void html_ids_clear(html_ids *ids) {
  if (ids->keys)
    memset(ids->keys, 0, ids->cap * sizeof *ids->keys);
  ids->n = 0;
  for (size_t i = 0; i < ids->n_owned; i++)
    free(ids->owned[i]);
  ids->n_owned = 0;
}

void html_ids_free(html_ids *ids) {
  html_ids_clear(ids);
  free(ids->keys);
  free(ids->values);
  free(ids->owned);
  memset(ids, 0, sizeof *ids);
}

/* The slot of key, or the empty slot where it would go. */
static size_t slot(const html_ids *ids, const char *key) {
  size_t i = hash(key) & (ids->cap - 1);
  while (ids->keys[i] && strcmp(ids->keys[i], key) != 0)
    i = (i + 1) & (ids->cap - 1);
  return i;
}

const char *html_ids_get(const html_ids *ids, const char *key) {
  if (!ids->cap)
    return NULL;
  size_t i = slot(ids, key);
  return ids->keys[i] ? ids->values[i] : NULL;
}

int html_ids_has(const html_ids *ids, const char *id) {
  return html_ids_get(ids, id) != NULL;
}

/* Keeps the table at most half full. */
static int grow(html_ids *ids) {
  if ((ids->n + 1) * 2 <= ids->cap)
    return 0;
  html_ids bigger = {.cap = ids->cap ? ids->cap * 2 : 64};
  bigger.keys = calloc(bigger.cap, sizeof *bigger.keys);
  bigger.values = calloc(bigger.cap, sizeof *bigger.values);
  if (!bigger.keys || !bigger.values) {
    free(bigger.keys);
    free(bigger.values);
    return -1;
  }
  for (size_t i = 0; i < ids->cap; i++)
    if (ids->keys[i]) {
      size_t j = slot(&bigger, ids->keys[i]);
      bigger.keys[j] = ids->keys[i];
      bigger.values[j] = ids->values[i];
    }
  free(ids->keys);
  free(ids->values);
  ids->keys = bigger.keys;
  ids->values = bigger.values;
  ids->cap = bigger.cap;
  return 0;
}

int html_ids_put(html_ids *ids, const char *key, const char *value) {
  if (grow(ids))
    return -1;
  size_t i = slot(ids, key);
  if (!ids->keys[i])
    ids->n++;
  ids->keys[i] = key;
  ids->values[i] = value;
  return 0;
}

/* Makes s a string the table owns. */
static int own(html_ids *ids, char *s) {
  if (ids->n_owned == ids->cap_owned) {
    size_t cap = ids->cap_owned ? ids->cap_owned * 2 : 32;
    char **owned = realloc(ids->owned, cap * sizeof *owned);
    if (!owned)
      return -1;
    ids->owned = owned;
    ids->cap_owned = cap;
  }
  ids->owned[ids->n_owned++] = s;
  return 0;
}

int html_ids_add(html_ids *ids, const char *id, int copy) {
  if (html_ids_has(ids, id))
    return 0;
  if (copy) {
    char *s = strdup(id);
    if (!s || own(ids, s)) {
      free(s);
      return -1;
    }
    id = s;
  }
  return html_ids_put(ids, id, id);
}

const char *html_ids_fresh(html_ids *ids, const char *base) {
  size_t n = strlen(base) + 24;
  char *id = malloc(n);
  if (!id)
    return NULL;
  memcpy(id, base, n - 24 + 1);
  /* Each try is a new name, so this ends within n + 1 tries. */
  for (unsigned long k = 2; html_ids_has(ids, id); k++)
    snprintf(id, n, "%s-%lu", base, k);
  if (own(ids, id)) {
    free(id);
    return NULL;
  }
  return html_ids_put(ids, id, id) ? NULL : id;
}

int html_id_ok(const char *s) {
  return s && s[0] && !s[strcspn(s, " \t\n\r\f")];
}
