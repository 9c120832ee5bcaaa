/* quire.c - the quire command: parses arguments into a quire_job, runs it,
 * prints diagnostics and turns the result into an exit status.  Everything
 * else is libquire's. */
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
#include "progress.h"
#include "stream_mode.h"
#include "verify.h"

enum { EXIT_CONVERSION = 1, EXIT_USAGE = 2 };

typedef struct cli {
  quire_session *s;
  quire_job job;
  const char **inputs;
  quire_option *options;
  quire_option *metadata;
  const char **transforms;
  int quiet;
  int verbose;
  int clean;                  /* --clean: the clean transform comes first */
  int stream;                 /* --stream: records on stdin and stdout */
  progress_display progress;  /* started only on a terminal, without -q */
} cli;

/* Exits 0 after printing information, or 1 if stdout could not take it. */
static void exit_printed(void) {
  if (fflush(stdout) != 0 || ferror(stdout)) {
    fputs("quire: write error on standard output\n", stderr);
    exit(EXIT_CONVERSION);
  }
  exit(0);
}

static void usage_error(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fputs("quire: ", stderr);
  vfprintf(stderr, fmt, ap);
  fputs("\nTry 'quire --help' for more information.\n", stderr);
  va_end(ap);
  exit(EXIT_USAGE);
}

static void *xcalloc(size_t n, size_t size) {
  void *p = calloc(n ? n : 1, size);
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

static const char help_text[] =
    "Usage: quire [OPTIONS] INPUT... [-o OUTPUT]\n"
    "       quire bundle [OPTIONS] INPUT... -o NAME.tar.gz\n"
    "       quire verify BUNDLE\n"
    "Convert documents between formats.  INPUT '-' or none reads standard\n"
    "input; a folder stands for its files sorted by name.  Several inputs form\n"
    "one corpus, a document each.  'quire bundle' writes the corpus with its\n"
    "sources as a BagIt bag in an archive; 'quire verify' checks a bag.\n"
    "\n"
    "  -f, --from FORMAT        input format (default: by extension, then content)\n"
    "  -t, --to FORMAT          output format (default: by the output's extension)\n"
    "  -o, --output FILE        output file ('-' or none: standard output)\n"
    "      --output-dir DIR     one output per input, in DIR\n"
    "      --title TITLE        title of the corpus\n"
    "      --lang LANG          language of the corpus (a BCP 47 tag)\n"
    "      --metadata KEY=VALUE corpus metadata (repeatable)\n"
    "      --transform NAME     apply a transform to each document (repeatable)\n"
    "      --clean              remove web-page chrome and find each article's\n"
    "                           title (the transform clean, applied first)\n"
    "  -j, --jobs N             convert on N threads (default: the number of\n"
    "                           cores); the output is the same for any N\n"
    "  -k, --keep-going         convert every input that can be, name those that\n"
    "                           fail, exit 1 at the end\n"
    "      --stream             convert JSON Lines records from standard input\n"
    "                           to records on standard output, one for one\n"
    "      --strict             treat every warning as a failure\n"
    "      --plugin-dir DIR     search DIR for plugins first (repeatable)\n"
    "      --limit NAME=VALUE   raise or lower a safety limit (K, M, G suffixes)\n"
    "      --list-formats       list the formats of the loaded plugins\n"
    "      --list-transforms    list the transforms of the loaded plugins\n"
    "      --list-limits        list the limits with their values\n"
    "  -v, --verbose            say which plugins and formats are used\n"
    "  -q, --quiet              print no warnings\n"
    "  -h, --help               show this help\n"
    "      --version            show the version\n";

/* Lists the options of one direction of a format (dir), or of a
 * transform (dir 0). */
static void print_specs(const char *what, const char *name, unsigned dir,
                        const quire_option_spec *specs, size_t n) {
  int any = 0;
  for (size_t i = 0; i < n; i++) {
    if (dir && !(specs[i].direction & dir))
      continue;
    if (!any++)
      printf("\nOptions of %s %s%s (also spelled %s:NAME):\n", what, name,
             dir == QUIRE_OPT_READ ? " when read" : dir ? " when written" : "",
             name);
    char left[64];
    snprintf(left, sizeof left, "--%s%s%s", specs[i].name,
             specs[i].arg ? " " : "", specs[i].arg ? specs[i].arg : "");
    printf("      %-19s %s\n", left, specs[i].help ? specs[i].help : "");
  }
}

static void print_help(const quire_session *s) {
  fputs(help_text, stdout);
  for (size_t i = 0; i < quire_format_count(s); i++) {
    const quire_format *f = quire_format_at(s, i)->format;
    print_specs("format", f->name, QUIRE_OPT_READ, f->options, f->n_options);
    print_specs("format", f->name, QUIRE_OPT_WRITE, f->options, f->n_options);
  }
  for (size_t i = 0; i < quire_transform_count(s); i++) {
    const quire_transform *t = quire_transform_at(s, i)->transform;
    print_specs("transform", t->name, 0, t->options, t->n_options);
  }
  printf("\nExit status: 0 on success, 1 when a conversion fails (with "
         "--keep-going:\nwhen any input failed), 2 on a usage error.\n");
}

static void list_formats(const quire_session *s) {
  int width = 10;   /* the name column fits the longest name */
  for (size_t i = 0; i < quire_format_count(s); i++) {
    size_t n = strlen(quire_format_at(s, i)->format->name);
    if (n > (size_t)width && n < 64)
      width = (int)n;
  }
  for (size_t i = 0; i < quire_format_count(s); i++) {
    const quire_format_info *fi = quire_format_at(s, i);
    const quire_format *f = fi->format;
    char rw[3] = {f->read_open ? 'r' : '-', f->write_open ? 'w' : '-', 0};
    printf("%-*s %s  %-20s %s", width, f->name, rw,
           f->extensions && f->extensions[0] ? f->extensions : "-",
           fi->plugin_path);
    if (fi->aliases && fi->aliases[0])
      printf("  (also %s)", fi->aliases);
    putchar('\n');
  }
}

static void list_transforms(const quire_session *s) {
  for (size_t i = 0; i < quire_transform_count(s); i++) {
    const quire_transform_info *ti = quire_transform_at(s, i);
    printf("%-16s %s  %s\n", ti->transform->name,
           ti->transform->description ? ti->transform->description : "",
           ti->plugin_path);
  }
}

static void list_limits(const quire_session *s) {
  for (size_t i = 0; i < quire_limit_count(); i++)
    printf("%-18s %-12llu %s\n", quire_limit_name(i),
           (unsigned long long)quire_limit_get(s, quire_limit_name(i)),
           quire_limit_help(i));
}

/* "NAME=VALUE" split in place; usage error without '='. */
static quire_option split_pair(char *arg, const char *option) {
  char *eq = strchr(arg, '=');
  if (!eq || eq == arg)
    usage_error("%s wants KEY=VALUE, not '%s'", option, arg);
  *eq = '\0';
  return (quire_option){arg, eq + 1};
}

static uint64_t parse_size(const char *name, const char *text) {
  char *end;
  errno = 0;
  unsigned long long v = strtoull(text, &end, 10);
  unsigned shift = 0;
  switch (*end) {
  case 'K': case 'k': shift = 10; end++; break;
  case 'M': case 'm': shift = 20; end++; break;
  case 'G': case 'g': shift = 30; end++; break;
  default: break;
  }
  if (errno || end == text || *end || text[0] < '0' || text[0] > '9' ||
      (shift && v > (~0ull >> shift)))
    usage_error("limit %s wants a number, not '%s'", name, text);
  return (uint64_t)v << shift;
}

/* -j N: a count of threads from 1 to 256. */
static unsigned parse_jobs(const char *text) {
  char *end;
  errno = 0;
  unsigned long v = strtoul(text, &end, 10);
  if (errno || end == text || *end || text[0] < '0' || text[0] > '9' ||
      v < 1 || v > 256)
    usage_error("--jobs wants a number of threads from 1 to 256, not '%s'",
                text);
  return (unsigned)v;
}

/* The default of -j: the cores this process may use. */
static unsigned default_jobs(void) {
  long n = sysconf(_SC_NPROCESSORS_ONLN);
  return n < 1 ? 1 : n > 256 ? 256 : (unsigned)n;
}

/* Non-zero when the OWNER of "OWNER:NAME" is a loaded format or transform. */
static int owner_known(const quire_session *s, const char *scoped) {
  size_t len = (size_t)(strchr(scoped, ':') - scoped);
  for (size_t i = 0; i < quire_format_count(s); i++) {
    const char *f = quire_format_at(s, i)->format->name;
    if (strlen(f) == len && strncmp(f, scoped, len) == 0)
      return 1;
  }
  for (size_t i = 0; i < quire_transform_count(s); i++) {
    const char *t = quire_transform_at(s, i)->transform->name;
    if (strlen(t) == len && strncmp(t, scoped, len) == 0)
      return 1;
  }
  return 0;
}

/* Non-zero when `owner` (NULL: any) is `name`. */
static int owner_is(const char *owner, size_t len, const char *name) {
  return !owner || (strlen(name) == len && strncmp(owner, name, len) == 0);
}

/* The option spec called `name` ("NAME", or "OWNER:NAME" for one format's
 * or transform's) among the loaded formats and transforms.  Two that
 * declare a name alike must agree on whether it takes a value. */
static const quire_option_spec *find_spec(const quire_session *s,
                                          const char *name) {
  const char *colon = strchr(name, ':');
  const char *owner = colon ? name : NULL;
  size_t owner_len = colon ? (size_t)(colon - name) : 0;
  if (colon)
    name = colon + 1;
  for (size_t i = 0; i < quire_format_count(s); i++) {
    const quire_format *f = quire_format_at(s, i)->format;
    for (size_t k = 0; owner_is(owner, owner_len, f->name) && k < f->n_options;
         k++)
      if (strcmp(f->options[k].name, name) == 0)
        return &f->options[k];
  }
  for (size_t i = 0; i < quire_transform_count(s); i++) {
    const quire_transform *t = quire_transform_at(s, i)->transform;
    for (size_t k = 0; owner_is(owner, owner_len, t->name) && k < t->n_options;
         k++)
      if (strcmp(t->options[k].name, name) == 0)
        return &t->options[k];
  }
  return NULL;
}

/* The value of an option: attached ("--to=html", "-thtml") or the next
 * argument. */
static const char *take_value(int argc, char **argv, int *i,
                              const char *attached, const char *option) {
  if (attached)
    return attached;
  if (*i + 1 >= argc)
    usage_error("option %s needs a value", option);
  return argv[++*i];
}

/* Core options with a value: their names. */
static int is_core_valued(const char *name) {
  static const char *const names[] = {
      "from", "to", "output", "output-dir", "title", "lang", "metadata",
      "transform", "plugin-dir", "limit", "jobs", NULL};
  for (int i = 0; names[i]; i++)
    if (strcmp(names[i], name) == 0)
      return 1;
  return 0;
}

/* First pass: what must be known before plugins load.  Values of core
 * options are skipped, so "--title -v" sets a title, not verbosity. */
static void parse_early(cli *c, int argc, char **argv) {
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    if (strcmp(a, "--") == 0)
      break;
    if (strcmp(a, "-v") == 0 || strcmp(a, "--verbose") == 0)
      c->verbose = 1;
    else if (strcmp(a, "-q") == 0 || strcmp(a, "--quiet") == 0)
      c->quiet = 1;
    else if (strncmp(a, "--plugin-dir=", 13) == 0)
      quire_add_plugin_dir(c->s, a + 13);
    else if (strcmp(a, "--plugin-dir") == 0)
      quire_add_plugin_dir(c->s, take_value(argc, argv, &i, NULL, a));
    else if ((a[0] == '-' && strchr("ftoj", a[1]) && a[1] && !a[2]) ||
             (a[0] == '-' && a[1] == '-' && !strchr(a, '=') &&
              is_core_valued(a + 2)))
      i++;
  }
}

static void parse(cli *c, int argc, char **argv) {
  size_t n_in = 0, n_opt = 0, n_meta = 0, n_tr = 0;
  int only_inputs = 0;
  c->inputs = xcalloc((size_t)argc, sizeof *c->inputs);
  c->options = xcalloc((size_t)argc + 5, sizeof *c->options);
  c->metadata = xcalloc((size_t)argc, sizeof *c->metadata);
  c->transforms = xcalloc((size_t)argc + 1, sizeof *c->transforms);
  for (int i = 1; i < argc; i++) {
    char *a = argv[i];
    if (only_inputs || a[0] != '-' || strcmp(a, "-") == 0) {
      c->inputs[n_in++] = a;
      continue;
    }
    if (strcmp(a, "--") == 0) {
      only_inputs = 1;
      continue;
    }
    char name[64];
    const char *attached = NULL;
    if (a[1] != '-') {
      /* A short option, its value attached ("-thtml") or next. */
      static const char *const longs[128] = {
          ['f'] = "from", ['t'] = "to", ['o'] = "output", ['v'] = "verbose",
          ['q'] = "quiet", ['h'] = "help", ['k'] = "keep-going",
          ['j'] = "jobs"};
      unsigned char ch = (unsigned char)a[1];
      if (ch >= 128 || !longs[ch])
        usage_error("unknown option '%s'", a);
      snprintf(name, sizeof name, "%s", longs[ch]);
      if (a[2])
        attached = a + 2;
      if (attached && !is_core_valued(name))
        usage_error("unknown option '%s'", a);
    } else {
      const char *eq = strchr(a + 2, '=');
      size_t len = eq ? (size_t)(eq - a - 2) : strlen(a + 2);
      if (len == 0 || len >= sizeof name)
        usage_error("unknown option '%s'", a);
      memcpy(name, a + 2, len);
      name[len] = '\0';
      attached = eq ? eq + 1 : NULL;
    }

    if (is_core_valued(name)) {
      const char *v = take_value(argc, argv, &i, attached, a);
      if (strcmp(name, "from") == 0) c->job.from = v;
      else if (strcmp(name, "to") == 0) c->job.to = v;
      else if (strcmp(name, "output") == 0) c->job.output = v;
      else if (strcmp(name, "output-dir") == 0) c->job.output_dir = v;
      else if (strcmp(name, "title") == 0)
        c->metadata[n_meta++] = (quire_option){QUIRE_META_TITLE, v};
      else if (strcmp(name, "lang") == 0)
        c->metadata[n_meta++] = (quire_option){QUIRE_META_LANGUAGE, v};
      else if (strcmp(name, "metadata") == 0)
        c->metadata[n_meta++] = split_pair((char *)v, "--metadata");
      else if (strcmp(name, "transform") == 0)
        c->transforms[n_tr++] = v;
      else if (strcmp(name, "jobs") == 0)
        c->job.threads = parse_jobs(v);
      else if (strcmp(name, "limit") == 0) {
        quire_option l = split_pair((char *)v, "--limit");
        if (quire_limit_set(c->s, l.name, parse_size(l.name, l.value)) !=
            QUIRE_OK)
          usage_error("unknown limit '%s' (see --list-limits)", l.name);
      }
      continue;   /* plugin-dir was taken in the first pass */
    }
    if (attached && (!strcmp(name, "verbose") || !strcmp(name, "quiet") ||
                     !strcmp(name, "help") || !strcmp(name, "version") ||
                     !strcmp(name, "keep-going") || !strcmp(name, "strict") ||
                     !strcmp(name, "clean") || !strcmp(name, "stream") ||
                     !strncmp(name, "list-", 5)))
      usage_error("option --%s takes no value", name);
    if (strcmp(name, "verbose") == 0 || strcmp(name, "quiet") == 0)
      continue;
    if (strcmp(name, "keep-going") == 0) {
      c->job.keep_going = 1;
      continue;
    }
    if (strcmp(name, "strict") == 0) {
      c->job.strict = 1;
      continue;
    }
    if (strcmp(name, "clean") == 0) {
      c->clean = 1;
      continue;
    }
    if (strcmp(name, "stream") == 0) {
      c->stream = 1;
      continue;
    }
    if (strcmp(name, "help") == 0) {
      print_help(c->s);
      exit_printed();
    }
    if (strcmp(name, "version") == 0) {
      printf("quire %s (plugin ABI %d.%d)\n", quire_version(),
             QUIRE_ABI_MAJOR, QUIRE_ABI_MINOR);
      exit_printed();
    }
    if (strcmp(name, "list-formats") == 0) {
      list_formats(c->s);
      exit_printed();
    }
    if (strcmp(name, "list-transforms") == 0) {
      list_transforms(c->s);
      exit_printed();
    }
    if (strcmp(name, "list-limits") == 0) {
      list_limits(c->s);
      exit_printed();
    }
    /* Anything else must be an option a plugin declares. */
    const quire_option_spec *spec = find_spec(c->s, name);
    if (!spec && strchr(name, ':'))
      usage_error("unknown option '--%s': %s", name, owner_known(c->s, name)
                  ? "its format or transform has no such option"
                  : "no format or transform of that name is loaded");
    if (!spec)
      usage_error("unknown option '%s'", a);
    const char *value = "1";
    if (spec->arg)
      value = take_value(argc, argv, &i, attached, a);
    else if (attached)
      usage_error("option --%s takes no value", name);
    /* "--epub:css" keeps its owner: the core routes it to that format */
    char *given = a + 2;
    given[strcspn(given, "=")] = '\0';
    c->options[n_opt++] = (quire_option){given, value};
  }
  if (!c->job.threads)
    c->job.threads = default_jobs();
  c->job.inputs = c->inputs;
  c->job.n_inputs = n_in;
  c->job.options = c->options;
  c->job.n_options = n_opt;
  c->job.metadata = c->metadata;
  c->job.n_metadata = n_meta;
  if (c->clean) {
    /* before any --transform, so the others see the article alone */
    memmove(c->transforms + 1, c->transforms, n_tr * sizeof *c->transforms);
    c->transforms[0] = "clean";
    n_tr++;
  }
  c->job.transforms = c->transforms;
  c->job.n_transforms = n_tr;
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
    free(c.inputs);
    free(c.options);
    free(c.metadata);
    free(c.transforms);
    quire_session_free(c.s);
    return status;
  }
  bundle_extra extra = {0};
  if (bundle) {
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
  free(c.inputs);
  free(c.options);
  free(c.metadata);
  free(c.transforms);
  quire_session_free(c.s);
  return status;
}
