/* jsonl_report.h - a transform's report file: one JSON object per line
 * (JSON Lines), written with jansson, for --clean-report and
 * --dedup-report.  A report that cannot be written is said once, as a
 * warning, and then left alone: the conversion itself is fine. */
#ifndef QUIRE_JSONL_REPORT_H
#define QUIRE_JSONL_REPORT_H

#include <quire/plugin.h>

#include <jansson.h>
#include <stdio.h>

typedef struct jsonl_report {
  const char *who;           /* the transform's name, for messages: static */
  FILE *fp;                  /* NULL: no report */
  char *path;                /* owned */
  int failed;                /* a write failed (said once) */
} jsonl_report;

/* Opens (truncates) the report at path for transform `who`.  QUIRE_OK, or
 * QUIRE_FATAL with the message set. */
int jsonl_report_open(quire_env *env, jsonl_report *r, const char *who,
                      const char *path);
/* Whether lines still go to the report. */
int jsonl_report_on(const jsonl_report *r);
/* Writes obj (taken; NULL when making it ran out of memory) as a line,
 * flushed with `flush`. */
void jsonl_report_put(quire_env *env, jsonl_report *r, json_t *obj,
                      int flush);
/* Flushes what is written, so that the file is whole so far. */
void jsonl_report_flush(jsonl_report *r);
/* Closes the report (a failing close is a warning) and frees it. */
void jsonl_report_close(quire_env *env, jsonl_report *r);

/* x to two decimals, so that a report reads 0.87 and -3.5, not
 * 0.8700000000000001 and -3.4999999999999996. */
double jsonl_two_places(double x);

#endif
