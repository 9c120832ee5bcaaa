/* stream_dedup.c - duplicates marked in `quire --stream`'s output
 * (stream_dedup.h). */
#include "stream_dedup.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dedup_index.h"

struct stream_dedup {
  dedup_index *index;
  char *ids;                 /* the kept records' ids, NUL-terminated */
  size_t ids_len, ids_cap;
  size_t *id_at;             /* kept record k's id is ids + id_at[k] */
  size_t kept, id_cap;
  uint64_t limit;
  int full;                  /* the limit was reached */
};

stream_dedup *stream_dedup_new(double t, uint64_t limit) {
  stream_dedup *d = calloc(1, sizeof *d);
  if (!d)
    return NULL;
  d->index = dedup_index_new(t);
  if (!d->index) {
    free(d);
    return NULL;
  }
  d->limit = limit;
  return d;
}

void stream_dedup_free(stream_dedup *d) {
  if (!d)
    return;
  dedup_index_free(d->index);
  free(d->ids);
  free(d->id_at);
  free(d);
}

/* Keeps the record's id as kept record number d->kept.  0, or -1. */
static int keep_id(stream_dedup *d, const char *id) {
  size_t n = strlen(id) + 1;
  if (d->kept == d->id_cap) {
    size_t cap = d->id_cap ? d->id_cap * 2 : 1024;
    size_t *grown = realloc(d->id_at, cap * sizeof *grown);
    if (!grown)
      return -1;
    d->id_at = grown;
    d->id_cap = cap;
  }
  if (n > d->ids_cap - d->ids_len) {
    size_t cap = d->ids_cap ? d->ids_cap : 1 << 16;
    while (cap - d->ids_len < n)
      cap *= 2;
    char *grown = realloc(d->ids, cap);
    if (!grown)
      return -1;
    d->ids = grown;
    d->ids_cap = cap;
  }
  memcpy(d->ids + d->ids_len, id, n);
  d->id_at[d->kept] = d->ids_len;
  d->ids_len += n;
  return 0;
}

/* The output record (a JSON object and a newline) with the marks added
 * before its closing brace; NULL when memory is exhausted. */
static char *mark(const char *rec, size_t len, const char *of,
                  const dedup_match *m, size_t *out_len) {
  char fields[64];
  int n = snprintf(fields, sizeof fields, ",\"similarity\":%.3f%s}\n",
                   m->similarity, m->exact ? ",\"exact\":true" : "");
  size_t of_len = strlen(of);
  static const char key[] = ",\"duplicate_of\":";
  size_t total = len - 2 + sizeof key - 1 + of_len + (size_t)n;
  char *out = malloc(total + 1);
  if (!out)
    return NULL;
  char *p = out;
  memcpy(p, rec, len - 2);
  p += len - 2;
  memcpy(p, key, sizeof key - 1);
  p += sizeof key - 1;
  memcpy(p, of, of_len);
  p += of_len;
  memcpy(p, fields, (size_t)n + 1);
  *out_len = total;
  return out;
}

int stream_dedup_check(stream_dedup *d, const stream_sign *sign,
                       const char *rec, size_t len, char **marked,
                       size_t *marked_len, int *full_warning) {
  *marked = NULL;
  *full_warning = 0;
  if (!sign->sig.words || !sign->id)
    return 0;
  dedup_match m;
  if (dedup_index_query(d->index, &sign->sig, &m)) {
    if (len < 2 || rec[len - 1] != '\n' || rec[len - 2] != '}')
      return 0;   /* not a record stream_record wrote: left as it is */
    *marked = mark(rec, len, d->ids + d->id_at[m.doc], &m, marked_len);
    return *marked ? 0 : -1;
  }
  if (d->full)
    return 0;
  size_t more = dedup_index_next_bytes(d->index) + strlen(sign->id) + 1 +
                sizeof(size_t);
  if (dedup_index_bytes(d->index) + d->ids_len + d->kept * sizeof(size_t) +
          more > d->limit) {
    d->full = 1;
    *full_warning = 1;
    return 0;
  }
  if (keep_id(d, sign->id) != 0 ||
      dedup_index_insert(d->index, &sign->sig, (uint32_t)d->kept) != 0)
    return -1;
  d->kept++;
  return 0;
}
