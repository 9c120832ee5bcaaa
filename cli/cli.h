/* cli.h - the state of one run of the quire command, shared by the files
 * of cli/: the session, the job the command line makes, and the helpers
 * that end the run with a message. */
#ifndef QUIRE_CLI_CLI_H
#define QUIRE_CLI_CLI_H

#include <quire/quire.h>

#include <stddef.h>

#include "metadata_file.h"
#include "progress.h"

enum { EXIT_CONVERSION = 1, EXIT_USAGE = 2 };

typedef struct cli {
  quire_session *s;
  quire_job job;
  const char **inputs;
  quire_option *options;
  size_t n_options;
  size_t cap_options;
  quire_option *metadata;
  size_t n_metadata;
  size_t cap_metadata;
  const char **transforms;
  int quiet;
  int verbose;
  int clean;                  /* --clean: the clean transform comes first */
  int stream;                 /* --stream: records on stdin and stdout */
  int standalone;             /* -s, --standalone (pandoc's; changes nothing) */
  int toc;                    /* --toc, --table-of-contents */
  const char *wrap;           /* --wrap=auto|none|preserve, or NULL */
  const char *metadata_file;  /* --metadata-file FILE, or NULL */
  metadata_list file_metadata;  /* what it holds */
  progress_display progress;  /* started only on a terminal, without -q */
} cli;

/* Prints "quire: MESSAGE" and the --help hint, exits 2. */
void usage_error(const char *fmt, ...)
    __attribute__((format(printf, 1, 2), noreturn));
/* Exits 0 after printing information, or 1 if stdout could not take it. */
void exit_printed(void) __attribute__((noreturn));
/* calloc, or exit 1 with a message. */
void *xcalloc(size_t n, size_t size);
/* strdup, or exit 1 with a message. */
char *xstrdup(const char *s);

/* Appends a format or transform option / a corpus metadata entry; the
 * strings are borrowed. */
void cli_add_option(cli *c, const char *name, const char *value);
void cli_add_metadata(cli *c, const char *key, const char *value);

/* The command line into c->job (parse.c).  parse_early takes what must be
 * known before plugins load (-v, -q, --plugin-dir). */
void parse_early(cli *c, int argc, char **argv);
void parse(cli *c, int argc, char **argv);

#endif
