/* clean_report.c - nothing disappears unrecorded.
 *
 * Each removed block is told twice, when asked: with --verbose as a note
 * (its first 80 characters and the reason), and with --clean-report FILE as
 * one JSON object per line (JSON Lines), written with jansson:
 *
 *   {"document": "corpus/003.txt", "block": 4, "text": "17:03",
 *    "reason": "date or time line", "score": -3.5}
 *
 * "document" is the document's source path (its title when it has none),
 * "block" the block's position in the document's reading order, from 1,
 * "score" the block's score (negative: chrome; see clean_score.c). */
#include "clean.h"

#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

int clean_report_open(quire_env *env, clean_state *st, const char *path) {
  st->report = fopen(path, "w");
  if (!st->report) {
    quire_loc loc = {.file = path};
    env->svc->error(env, &loc, "clean: cannot write the report: %s",
                    strerror(errno));
    return QUIRE_FATAL;
  }
  st->report_path = strdup(path);
  if (!st->report_path) {
    fclose(st->report);
    st->report = NULL;
    env->svc->error(env, NULL, "clean: out of memory");
    return QUIRE_FATAL;
  }
  return QUIRE_OK;
}

void clean_report_close(quire_env *env, clean_state *st) {
  if (st->report) {
    if (fclose(st->report) != 0 && !st->report_failed) {
      quire_loc loc = {.file = st->report_path};
      env->svc->warn(env, &loc, "clean: the report is incomplete: %s",
                     strerror(errno));
    }
    st->report = NULL;
  }
  free(st->report_path);
  st->report_path = NULL;
}

/* The length in bytes of the first `chars` characters of s[0..n). */
static size_t utf8_prefix(const char *s, size_t n, size_t chars) {
  size_t i = 0, c = 0;
  while (i < n) {
    if (((unsigned char)s[i] & 0xC0) != 0x80) {
      if (c == chars)
        break;
      c++;
    }
    i++;
  }
  return i;
}

/* The score to two decimals, so that the report reads -3.5, not
 * -3.4999999999999996. */
static double two_places(double x) {
  return (double)(long long)(x * 100 + (x < 0 ? -0.5 : 0.5)) / 100;
}

int clean_report_block(quire_env *env, clean_state *st, const quire_doc *doc,
                       const clean_block *b) {
  const quire_services *svc = env->svc;
  const char *doc_name = svc->meta_get(doc->meta, QUIRE_META_SOURCE);
  if (!doc_name)
    doc_name = svc->meta_get(doc->meta, QUIRE_META_TITLE);
  if (!doc_name)
    doc_name = "";
  if (!svc->verbose(env) && (!st->report || st->report_failed))
    return QUIRE_OK;
  const char *text;
  size_t len;
  if (clean_full_text(env, st, b, &text, &len) != QUIRE_OK)
    return QUIRE_FATAL;
  const char *reason = b->reason ? b->reason : "chrome";
  if (svc->verbose(env)) {
    quire_loc loc = {.file = doc_name};
    size_t cut = utf8_prefix(text, len, 80);
    svc->info(env, &loc, "clean: removed block %u \"%.*s%s\" (%s, %.1f)",
              b->index, (int)cut, text, cut < len ? "…" : "", reason,
              b->score);
  }
  if (!st->report || st->report_failed)
    return QUIRE_OK;
  json_t *o = json_object();
  int bad = !o ||
            json_object_set_new(o, "document", json_string(doc_name)) ||
            json_object_set_new(o, "block", json_integer(b->index)) ||
            json_object_set_new(o, "text", json_stringn(text, len)) ||
            json_object_set_new(o, "reason", json_string(reason)) ||
            json_object_set_new(o, "score",
                                json_real(two_places(b->score)));
  if (!bad)
    bad = json_dumpf(o, st->report,
                     JSON_COMPACT | JSON_REAL_PRECISION(6)) != 0 ||
          fputc('\n', st->report) == EOF;
  json_decref(o);
  if (bad) {
    /* The conversion itself is fine: say so once and stop reporting. */
    st->report_failed = 1;
    quire_loc loc = {.file = st->report_path};
    svc->warn(env, &loc, "clean: cannot write the report: %s",
              errno ? strerror(errno) : "out of memory");
  }
  return QUIRE_OK;
}
