/* jsonl_report.c - a transform's report file (jsonl_report.h). */
#include "jsonl_report.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

int jsonl_report_open(quire_env *env, jsonl_report *r, const char *who,
                      const char *path) {
  *r = (jsonl_report){.who = who};
  r->fp = fopen(path, "w");
  if (!r->fp) {
    quire_loc loc = {.file = path};
    env->svc->error(env, &loc, "%s: cannot write the report: %s", who,
                    strerror(errno));
    return QUIRE_FATAL;
  }
  r->path = strdup(path);
  if (!r->path) {
    fclose(r->fp);
    r->fp = NULL;
    env->svc->error(env, NULL, "%s: out of memory", who);
    return QUIRE_FATAL;
  }
  return QUIRE_OK;
}

int jsonl_report_on(const jsonl_report *r) { return r->fp && !r->failed; }

void jsonl_report_put(quire_env *env, jsonl_report *r, json_t *obj,
                      int flush) {
  if (!jsonl_report_on(r)) {
    json_decref(obj);
    return;
  }
  errno = 0;
  int bad = !obj ||
            json_dumpf(obj, r->fp, JSON_COMPACT | JSON_REAL_PRECISION(6)) !=
                0 ||
            fputc('\n', r->fp) == EOF || (flush && fflush(r->fp) != 0);
  json_decref(obj);
  if (bad) {
    r->failed = 1;
    quire_loc loc = {.file = r->path};
    env->svc->warn(env, &loc, "%s: cannot write the report: %s", r->who,
                   errno ? strerror(errno) : "out of memory");
  }
}

void jsonl_report_flush(jsonl_report *r) {
  if (jsonl_report_on(r))
    fflush(r->fp);
}

void jsonl_report_close(quire_env *env, jsonl_report *r) {
  if (r->fp) {
    if (fclose(r->fp) != 0 && !r->failed) {
      quire_loc loc = {.file = r->path};
      env->svc->warn(env, &loc, "%s: the report is incomplete: %s", r->who,
                     strerror(errno));
    }
    r->fp = NULL;
  }
  free(r->path);
  r->path = NULL;
}

double jsonl_two_places(double x) {
  return (double)(long long)(x * 100 + (x < 0 ? -0.5 : 0.5)) / 100;
}
