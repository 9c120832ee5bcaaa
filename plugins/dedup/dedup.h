/* dedup.h - the dedup transform's state, as its two files see it. */
#ifndef QUIRE_DEDUP_H
#define QUIRE_DEDUP_H

#include <quire/plugin.h>

#include <stdint.h>
#include <stdio.h>

#include "dedup_index.h"
#include "dedup_sig.h"
#include "dedup_text.h"

typedef struct dedup_state {
  dedup_index *index;
  dedup_sketcher *sketcher;
  dedup_sig sig;            /* the document's, reused */
  dedup_text text;          /* the document's text, reused */
  /* The kept documents' names, for the report: kept document i's name is
   * names + name_at[i], NUL-terminated. */
  char *names;
  size_t names_len, names_cap;
  uint32_t *name_at;
  size_t kept, name_cap;
  uint64_t limit;           /* max-corpus-memory */
  int full;                 /* the limit was reached (said once) */
  FILE *report;             /* --dedup-report FILE, or NULL */
  char *report_path;
  int report_failed;        /* said once */
} dedup_state;

/* --dedup-report: opens FILE (QUIRE_OK, or QUIRE_FATAL with the message
 * set), writes one dropped document's line, closes it. */
int dedup_report_open(quire_env *env, dedup_state *st, const char *path);
void dedup_report_line(quire_env *env, dedup_state *st, const char *doc,
                       const char *of, double similarity, int exact);
void dedup_report_close(quire_env *env, dedup_state *st);

#endif
