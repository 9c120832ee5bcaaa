/* dedup_report.c - --dedup-report FILE: each dropped document as one JSON
 * object per line (JSON Lines), written with jansson:
 *
 *   {"document": "corpus/007.txt", "duplicate_of": "corpus/002.txt",
 *    "similarity": 0.87, "exact": false}
 *
 * Documents are named as the clean report names them: by their source
 * path, else their title.  "similarity" is the estimated Jaccard
 * similarity of their 5-word shingles, to two decimals; "exact" says the
 * two hold the same words in the same order. */
#include "dedup.h"

#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

int dedup_report_open(quire_env *env, dedup_state *st, const char *path) {
  st->report = fopen(path, "w");
  if (!st->report) {
    quire_loc loc = {.file = path};
    env->svc->error(env, &loc, "dedup: cannot write the report: %s",
                    strerror(errno));
    return QUIRE_FATAL;
  }
  st->report_path = strdup(path);
  if (!st->report_path) {
    fclose(st->report);
    st->report = NULL;
    env->svc->error(env, NULL, "dedup: out of memory");
    return QUIRE_FATAL;
  }
  return QUIRE_OK;
}

void dedup_report_close(quire_env *env, dedup_state *st) {
  if (st->report) {
    if (fclose(st->report) != 0 && !st->report_failed) {
      quire_loc loc = {.file = st->report_path};
      env->svc->warn(env, &loc, "dedup: the report is incomplete: %s",
                     strerror(errno));
    }
    st->report = NULL;
  }
  free(st->report_path);
  st->report_path = NULL;
}

/* To two decimals, so that the report reads 0.87, not 0.8700000000000001. */
static double two_places(double x) {
  return (double)(long long)(x * 100 + 0.5) / 100;
}

void dedup_report_line(quire_env *env, dedup_state *st, const char *doc,
                       const char *of, double similarity, int exact) {
  if (!st->report || st->report_failed)
    return;
  json_t *o = json_object();
  int bad = !o || json_object_set_new(o, "document", json_string(doc)) ||
            json_object_set_new(o, "duplicate_of", json_string(of)) ||
            json_object_set_new(o, "similarity",
                                json_real(two_places(similarity))) ||
            json_object_set_new(o, "exact", json_boolean(exact));
  if (!bad)
    bad = json_dumpf(o, st->report, JSON_COMPACT | JSON_REAL_PRECISION(6)) !=
              0 ||
          fputc('\n', st->report) == EOF || fflush(st->report) != 0;
  json_decref(o);
  if (bad) {
    /* The conversion itself is fine: say so once and stop reporting. */
    st->report_failed = 1;
    quire_loc loc = {.file = st->report_path};
    env->svc->warn(env, &loc, "dedup: cannot write the report: %s",
                   errno ? strerror(errno) : "out of memory");
  }
}
