/* quire.c - the quire command: runs the quire_job the command line makes
 * (parse.c), prints diagnostics and turns the result into an exit status.
 * Everything else is libquire's. */
#include <quire/quire.h>

#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bundle.h"
#include "cli.h"
#include "progress.h"
#include "stream_mode.h"
#include "verify.h"

void exit_printed(void) {
  if (fflush(stdout) != 0 || ferror(stdout)) {
    fputs("quire: write error on standard output\n", stderr);
    exit(EXIT_CONVERSION);
  }
  exit(0);
}

void usage_error(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fputs("quire: ", stderr);
  vfprintf(stderr, fmt, ap);
  fputs("\nTry 'quire --help' for more information.\n", stderr);
  va_end(ap);
  exit(EXIT_USAGE);
}

void *xcalloc(size_t n, size_t size) {
  void *p = calloc(n ? n : 1, size);
  if (!p) {
    fputs("quire: out of memory\n", stderr);
    exit(EXIT_CONVERSION);
  }
  return p;
}

char *xstrdup(const char *s) {
  char *p = strdup(s);
  if (!p) {
    fputs("quire: out of memory\n", stderr);
    exit(EXIT_CONVERSION);
  }
  return p;
}

static void on_diag(void *user, quire_severity sev, const quire_loc *loc,
                    const char *message) {
  cli *c = user;
  if (c->quiet)
    return;
  quire_error e = {.message = message};
  if (loc) {
    e.file = loc->file;
    e.line = loc->line;
    e.column = loc->column;
    e.offset = loc->offset;
  }
  char buf[4096];
  quire_error_format(&e, buf, sizeof buf);
  /* one fprintf a line: conversions on several threads may report at once;
   * and never into the progress line, which the hold erases */
  progress_hold(&c->progress);
  fprintf(stderr, "quire: %s%s\n",
          sev == QUIRE_SEV_WARNING ? "warning: "
          : sev == QUIRE_SEV_ERROR ? "error: " : "",
          buf);
  progress_release(&c->progress);
}

static void cli_free(cli *c) {
  free(c->inputs);
  free(c->options);
  free(c->metadata);
  free(c->transforms);
  metadata_list_free(&c->file_metadata);
  quire_session_free(c->s);
}

/* An interrupted conversion leaves no temporary file; then the signal
 * takes its default course, so the exit status tells of it. */
static void on_signal(int sig) {
  progress_signal_erase();
  quire_signal_cleanup();
  signal(sig, SIG_DFL);
  raise(sig);
}

static void catch_signals(void) {
  static const int signals[] = {SIGINT, SIGTERM, SIGHUP, SIGPIPE};
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  for (size_t i = 0; i < sizeof signals / sizeof signals[0]; i++)
    sigaction(signals[i], &sa, NULL);
}

/* Whether an option's name (NAME or OWNER:NAME) is dedup's `name`. */
static int dedup_option(const char *option, const char *name) {
  if (strncmp(option, "dedup:", 6) == 0)
    option += 6;
  return strcmp(option, name) == 0;
}

/* --stream with the dedup transform: each record is converted on its own,
 * so the transform comes out of the records' job and the stream mode
 * marks duplicates itself (stream_dedup.h), with the transform's
 * threshold. */
static void stream_take_dedup(cli *c, stream_setup *st) {
  quire_job *job = &c->job;
  size_t k = 0;
  for (size_t i = 0; i < job->n_transforms; i++)
    if (strcmp(job->transforms[i], "dedup") == 0)
      st->dedup = 1;
    else
      c->transforms[k++] = job->transforms[i];
  job->n_transforms = k;
  st->dedup_threshold = 0.8;
  k = 0;
  for (size_t i = 0; i < job->n_options; i++) {
    const quire_option *o = &job->options[i];
    if (dedup_option(o->name, "dedup-report"))
      usage_error("--dedup-report does not go with --stream: duplicates are "
                  "marked in the output records (duplicate_of)");
    if (!dedup_option(o->name, "dedup-threshold")) {
      c->options[k++] = *o;
      continue;
    }
    char *end;
    double t = strtod(o->value, &end);
    if (!st->dedup || end == o->value || *end || !(t > 0 && t <= 1))
      usage_error("--dedup-threshold wants a number above 0 and at most 1 "
                  "with --dedup, not '%s'", o->value);
    st->dedup_threshold = t;
  }
  job->n_options = k;
}

/* quire --stream: the records of standard input converted with the
 * command line's options; the exit status says whether any failed. */
static int stream_main(cli *c) {
  if (c->job.n_inputs)
    usage_error("--stream reads records from standard input, not from "
                "'%s'", c->job.inputs[0]);
  if (c->job.output_dir || (c->job.output && strcmp(c->job.output, "-") != 0))
    usage_error("--stream writes records to standard output, not to a file");
  if (!c->job.to)
    usage_error("--stream needs the output format: -t FORMAT");
  const quire_format_info *fi = quire_format_find(c->s, c->job.to);
  if (!fi || !fi->format->write_open)
    usage_error("format '%s' cannot be written (see --list-formats)",
                c->job.to);
  if (c->job.from && !quire_format_find(c->s, c->job.from))
    usage_error("unknown format '%s' (see --list-formats)", c->job.from);
  stream_setup st = {.s = c->s,
                     .base = &c->job,
                     .to = fi->format->name,
                     .binary = fi->format->binary,
                     .jsonl = strcmp(fi->format->name, "jsonl") == 0};
  stream_take_dedup(c, &st);
  /* A record may be its content base64-coded or escaped in JSON: twice
   * the largest input, and some room for the rest of the record. */
  uint64_t max_line = quire_limit_get(c->s, "max-input-size");
  max_line = max_line > UINT64_MAX / 4 ? UINT64_MAX / 2 : 2 * max_line + 65536;
  /* From a pipe, each record goes on at once: the next stage of a
   * pipeline never waits for a buffer to fill. */
  struct stat in;
  int flush_each = fstat(STDIN_FILENO, &in) != 0 || !S_ISREG(in.st_mode);
  stream_counts counts;
  if (stream_run(&st, c->job.threads, STDIN_FILENO, stdout, flush_each,
                 max_line, &counts) != 0) {
    fprintf(stderr, "quire: --stream stopped: %s\n", strerror(errno));
    return EXIT_CONVERSION;
  }
  if (counts.failed) {
    fprintf(stderr, "quire: %lu of %lu record%s failed\n", counts.failed,
            counts.records, counts.records == 1 ? "" : "s");
    return EXIT_CONVERSION;
  }
  return 0;
}

int main(int argc, char **argv) {
  if (argc > 1 && strcmp(argv[1], "verify") == 0)
    return quire_verify_main(argc - 1, argv + 1);
  cli c = {0};
  catch_signals();
  c.s = quire_session_new();
  if (!c.s) {
    fputs("quire: out of memory\n", stderr);
    return EXIT_CONVERSION;
  }
  /* quire bundle ...: the same options, the bag writer. */
  int bundle = argc > 1 && strcmp(argv[1], "bundle") == 0;
  if (bundle) {
    argv[1] = argv[0];
    argv++;
    argc--;
  }
  parse_early(&c, argc, argv);
  quire_set_verbose(c.s, c.verbose);
  quire_set_diag(c.s, on_diag, &c);
  quire_load_plugins(c.s);
  parse(&c, argc, argv);
  if (c.stream) {
    if (bundle)
      usage_error("quire bundle does not take --stream");
    int status = stream_main(&c);
    cli_free(&c);
    return status;
  }
  bundle_extra extra = {0};
  if (bundle) {
    /* room for the 7 options bundle_prepare appends */
    size_t n = c.n_options;
    for (int k = 0; k < 7; k++)
      cli_add_option(&c, "", "");
    c.n_options = n;
    c.job.options = c.options;
    const char *why = bundle_prepare(c.s, &c.job, argc, argv, c.options,
                                     &c.job.n_options, c.clean, &extra);
    if (why) {
      bundle_finish(&extra);
      usage_error("%s", why);
    }
  }

  int status = 0;
  quire_status st;
  c.job.status = &st;
  /* Progress only for a person watching: not into a pipe or a log, and
   * not when -q asked for silence; nor when the output itself goes to the
   * terminal, where the line would be drawn over the document's text. */
  int output_to_stdout = !c.job.output_dir &&
                         (!c.job.output || strcmp(c.job.output, "-") == 0);
  if (isatty(STDERR_FILENO) && !c.quiet &&
      !(output_to_stdout && isatty(STDOUT_FILENO))) {
    progress_init(&c.progress, STDERR_FILENO);
    c.job.progress = progress_update;
    c.job.progress_user = &c.progress;
  }
  int rc = quire_convert(c.s, &c.job);
  progress_end(&c.progress);  /* the final messages start on a clean line */
  if (rc == QUIRE_FAILED) {
    /* --keep-going: each failure was reported as it happened */
    fprintf(stderr, "quire: %zu input%s or document%s failed; %zu document%s "
                    "converted\n",
            st.failed, st.failed == 1 ? "" : "s", st.failed == 1 ? "" : "s",
            st.documents, st.documents == 1 ? "" : "s");
    status = EXIT_CONVERSION;
  } else if (rc < QUIRE_OK) {
    char buf[4096];
    fprintf(stderr, "quire: %s\n", quire_error_format(&st.error, buf,
                                                      sizeof buf));
    if (st.error.kind == QUIRE_ERROR_USAGE) {
      fputs("Try 'quire --help' for more information.\n", stderr);
      status = EXIT_USAGE;
    } else
      status = EXIT_CONVERSION;
  }
  bundle_finish(&extra);
  cli_free(&c);
  return status;
}
