/* dedup.h - the dedup transform's state, as its two files see it. */
#ifndef QUIRE_DEDUP_H
#define QUIRE_DEDUP_H

#include <quire/plugin.h>

#include <stdint.h>
#include <stdio.h>

#include "dedup_index.h"
#include "dedup_sig.h"
#include "dedup_text.h"
#include "jsonl_report.h"

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
  jsonl_report report;      /* --dedup-report FILE */
} dedup_state;

/* --dedup-report: one dropped document's line. */
void dedup_report_line(quire_env *env, dedup_state *st, const char *doc,
                       const char *of, double similarity, int exact);

#endif
