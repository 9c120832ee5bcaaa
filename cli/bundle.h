/* bundle.h - `quire bundle`: a conversion whose writer is the bag plugin,
 * with the provenance the bag records (bundle.c). */
#ifndef QUIRE_CLI_BUNDLE_H
#define QUIRE_CLI_BUNDLE_H

#include <quire/quire.h>

/* What bundle_prepare allocated, freed by bundle_finish. */
typedef struct bundle_extra {
  char *command;           /* the command line, shell-quoted */
  char *plugins;           /* "bag 0.1.0, epub 0.2.0, ..." */
  char *agent;             /* "quire 0.2.0" */
  char *report;            /* a temporary clean report, or NULL */
  char *dedup_report;      /* a temporary dedup report, or NULL */
} bundle_extra;

/* Sets up job (already parsed from argc/argv, the "bundle" word removed)
 * as a bundle: the bag writer, and options for its provenance appended to
 * opts (room for 7 more), *n_opts updated; with the transforms clean and
 * dedup in the job, their reports go into the bag too.  Returns NULL, or a
 * usage error's message (static). */
const char *bundle_prepare(quire_session *s, quire_job *job, int argc,
                           char **argv, quire_option *opts, size_t *n_opts,
                           int clean, bundle_extra *extra);
/* Removes the temporary reports and frees what prepare allocated. */
void bundle_finish(bundle_extra *extra);

#endif
