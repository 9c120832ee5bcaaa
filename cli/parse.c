/* parse.c - the command line into a quire_job: the options of the table
 * in options_table.c (pandoc's spellings among them), the options the
 * plugins declare, and what is settled once every option is read
 * (--metadata-file, --wrap, --toc, -s, the format and transform names). */
#include <quire/quire.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "help.h"
#include "metadata_file.h"
#include "options_table.h"
#include "pandoc_options.h"
#include "suggest.h"

void cli_add_option(cli *c, const char *name, const char *value) {
  if (c->n_options == c->cap_options) {
    size_t cap = c->cap_options ? c->cap_options * 2 : 16;
    quire_option *grown = realloc(c->options, cap * sizeof *grown);
    if (!grown)
      usage_error("out of memory");
    c->options = grown;
    c->cap_options = cap;
  }
  c->options[c->n_options++] = (quire_option){name, value};
}

void cli_add_metadata(cli *c, const char *key, const char *value) {
  if (c->n_metadata == c->cap_metadata) {
    size_t cap = c->cap_metadata ? c->cap_metadata * 2 : 16;
    quire_option *grown = realloc(c->metadata, cap * sizeof *grown);
    if (!grown)
      usage_error("out of memory");
    c->metadata = grown;
    c->cap_metadata = cap;
  }
  c->metadata[c->n_metadata++] = (quire_option){key, value};
}

/* "NAME=VALUE" split in place; usage error without '='. */
static quire_option split_pair(char *arg, const char *option) {
  char *eq = strchr(arg, '=');
  if (!eq || eq == arg)
    usage_error("%s wants KEY=VALUE, not '%s'", option, arg);
  *eq = '\0';
  return (quire_option){arg, eq + 1};
}

/* -M, --metadata: KEY=VALUE, or pandoc's KEY:VALUE (split at '=' first,
 * so "creator:ill=Ann" keeps its key), or KEY alone for KEY=true. */
static quire_option split_metadata(char *arg) {
  char *sep = strchr(arg, '=');
  if (!sep)
    sep = strchr(arg, ':');
  if (sep == arg || !arg[0])
    usage_error("--metadata wants KEY=VALUE, not '%s'", arg);
  if (!sep)
    return (quire_option){arg, "true"};
  *sep = '\0';
  return (quire_option){arg, sep + 1};
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

/* The loaded format or transform called `owner` (len bytes): its options,
 * or 0 when there is none of that name. */
static int owner_specs(const quire_session *s, const char *owner, size_t len,
                       const quire_option_spec **specs, size_t *n) {
  for (size_t i = 0; i < quire_format_count(s); i++) {
    const quire_format *f = quire_format_at(s, i)->format;
    if (strlen(f->name) == len && strncmp(f->name, owner, len) == 0) {
      *specs = f->options;
      *n = f->n_options;
      return 1;
    }
  }
  for (size_t i = 0; i < quire_transform_count(s); i++) {
    const quire_transform *t = quire_transform_at(s, i)->transform;
    if (strlen(t->name) == len && strncmp(t->name, owner, len) == 0) {
      *specs = t->options;
      *n = t->n_options;
      return 1;
    }
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

/* "; did you mean 'X'?" into buf, or "" when nothing is close. */
static const char *hint(const suggester *g, const char *prefix, char *buf,
                        size_t size) {
  const char *best = suggest_result(g);
  if (!best)
    return "";
  snprintf(buf, size, "; did you mean '%s%s'?", prefix, best);
  return buf;
}

/* An unknown long option (`name` without dashes): a usage error with the
 * closest spelling quire knows. */
static void unknown_long(const quire_session *s, const char *given,
                         const char *name) {
  char buf[160];
  suggester g;
  const char *colon = strchr(name, ':');
  if (colon) {
    /* --OWNER:NAME: the closest of that owner's options, or of the
     * owners' names */
    const quire_option_spec *specs;
    size_t n;
    size_t len = (size_t)(colon - name);
    char prefix[72];
    snprintf(prefix, sizeof prefix, "--%.*s:", (int)(len < 64 ? len : 64),
             name);
    if (owner_specs(s, name, len, &specs, &n)) {
      suggest_start(&g, colon + 1);
      for (size_t k = 0; k < n; k++)
        suggest_offer(&g, specs[k].name);
      usage_error("unknown option '--%s': its format or transform has no "
                  "such option%s", name, hint(&g, prefix, buf, sizeof buf));
    }
    char owner[72];
    snprintf(owner, sizeof owner, "%.*s", (int)(len < 64 ? len : 64), name);
    suggest_start(&g, owner);
    for (size_t i = 0; i < quire_format_count(s); i++)
      suggest_offer(&g, quire_format_at(s, i)->format->name);
    for (size_t i = 0; i < quire_transform_count(s); i++)
      suggest_offer(&g, quire_transform_at(s, i)->transform->name);
    const char *best = suggest_result(&g);
    if (best)
      snprintf(buf, sizeof buf, "; did you mean '--%s:%s'?", best, colon + 1);
    usage_error("unknown option '--%s': no format or transform of that name "
                "is loaded%s", name, best ? buf : "");
  }
  suggest_start(&g, name);
  for (size_t i = 0; i < cli_n_options; i++)
    suggest_offer(&g, cli_options[i].name);
  for (size_t i = 0; i < quire_format_count(s); i++) {
    const quire_format *f = quire_format_at(s, i)->format;
    for (size_t k = 0; k < f->n_options; k++)
      suggest_offer(&g, f->options[k].name);
  }
  for (size_t i = 0; i < quire_transform_count(s); i++) {
    const quire_transform *t = quire_transform_at(s, i)->transform;
    for (size_t k = 0; k < t->n_options; k++)
      suggest_offer(&g, t->options[k].name);
  }
  usage_error("unknown option '%s'%s", given, hint(&g, "--", buf, sizeof buf));
}

/* A format name that -f or -t gave: a usage error when no loaded format
 * answers to it, with the closest name or alias. */
static void check_format(const quire_session *s, const char *name,
                         const char *what) {
  if (quire_format_find(s, name))
    return;
  suggester g;
  char buf[160];
  suggest_start(&g, name);
  for (size_t i = 0; i < quire_format_count(s); i++) {
    suggest_offer(&g, quire_format_at(s, i)->format->name);
    suggest_offer(&g, quire_format_at(s, i)->aliases);
  }
  usage_error("unknown %s format '%s' (see --list-formats)%s", what, name,
              hint(&g, "", buf, sizeof buf));
}

static void check_transform(const quire_session *s, const char *name) {
  for (size_t i = 0; i < quire_transform_count(s); i++)
    if (strcmp(quire_transform_at(s, i)->transform->name, name) == 0)
      return;
  suggester g;
  char buf[160];
  suggest_start(&g, name);
  for (size_t i = 0; i < quire_transform_count(s); i++)
    suggest_offer(&g, quire_transform_at(s, i)->transform->name);
  usage_error("unknown transform '%s' (see --list-transforms)%s", name,
              hint(&g, "", buf, sizeof buf));
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

/* First pass: what must be known before plugins load.  Values of the
 * command's options are skipped, so "--title -v" sets a title, not
 * verbosity. */
void parse_early(cli *c, int argc, char **argv) {
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    if (strcmp(a, "--") == 0)
      break;
    if (a[0] != '-' || !a[1])
      continue;
    const cli_option *o = NULL;
    if (a[1] != '-') {
      o = cli_option_short(a[1]);
      if (o && a[2])
        continue;   /* the value is attached */
    } else if (!strchr(a, '='))
      o = cli_option_find(a + 2);
    else if (strncmp(a, "--plugin-dir=", 13) == 0) {
      quire_add_plugin_dir(c->s, a + 13);
      continue;
    }
    if (!o)
      continue;
    if (o->id == OPT_VERBOSE)
      c->verbose = 1;
    else if (o->id == OPT_QUIET)
      c->quiet = 1;
    else if (o->id == OPT_PLUGIN_DIR)
      quire_add_plugin_dir(c->s, take_value(argc, argv, &i, NULL, a));
    else if (o->arg)
      i++;
  }
}

/* The writer's format as far as the command line tells it: -t, else the
 * extension of -o's file; NULL when neither says. */
static const quire_format *writer_format(const cli *c) {
  const quire_format_info *fi = NULL;
  if (c->job.to)
    fi = quire_format_find(c->s, c->job.to);
  else if (c->job.output && !c->job.output_dir &&
           strcmp(c->job.output, "-") != 0)
    fi = quire_format_for_path(c->s, c->job.output);
  return fi ? fi->format : NULL;
}

static int declares(const quire_format *f, const char *name, unsigned dir) {
  for (size_t k = 0; f && k < f->n_options; k++)
    if (strcmp(f->options[k].name, name) == 0 &&
        (f->options[k].direction & dir))
      return 1;
  return 0;
}

/* Whether option `given` ("NAME" or "OWNER:NAME") is called `name`. */
static int option_is(const char *given, const char *name) {
  const char *colon = strchr(given, ':');
  return strcmp(colon ? colon + 1 : given, name) == 0;
}

static void drop_options(cli *c, const char *name) {
  size_t kept = 0;
  for (size_t i = 0; i < c->n_options; i++)
    if (!option_is(c->options[i].name, name))
      c->options[kept++] = c->options[i];
  c->n_options = kept;
}

/* What is settled once every option is read. */
static void settle(cli *c) {
  if (c->job.from)
    check_format(c->s, c->job.from, "input");
  if (c->job.to)
    check_format(c->s, c->job.to, "output");

  /* --metadata-file: its keys that the command line does not give */
  if (c->metadata_file) {
    char why[512];
    if (metadata_file_read(c->metadata_file, &c->file_metadata, why,
                           sizeof why))
      usage_error("%s", why);
    size_t n_given = c->n_metadata;
    for (size_t i = 0; i < c->file_metadata.n; i++) {
      const quire_option *m = &c->file_metadata.items[i];
      int given = 0;
      for (size_t k = 0; k < n_given && !given; k++)
        given = strcmp(c->metadata[k].name, m->name) == 0;
      if (!given)
        cli_add_metadata(c, m->name, m->value);
    }
  }

  /* -s: quire's pages and books are whole; a fragment is not */
  if (c->standalone)
    for (size_t i = 0; i < c->n_options; i++)
      if (option_is(c->options[i].name, "fragment"))
        usage_error("--standalone and --fragment contradict each other");

  const quire_format *w = writer_format(c);
  if (c->toc) {
    /* the html writer's --toc; an EPUB always has its table of contents */
    if (!w || declares(w, "toc", QUIRE_OPT_WRITE) ||
        strncmp(w->name, "epub", 4) != 0)
      cli_add_option(c, "toc", "1");
  }
  if (c->wrap) {
    if (strcmp(c->wrap, "auto") == 0) {
      if (declares(w, "columns", QUIRE_OPT_WRITE)) {
        int given = 0;
        for (size_t i = 0; i < c->n_options && !given; i++)
          given = option_is(c->options[i].name, "columns");
        if (!given)
          cli_add_option(c, "columns", "72");
      }
    } else
      drop_options(c, "columns");
  }
}

void parse(cli *c, int argc, char **argv) {
  size_t n_in = 0, n_tr = 0;
  int only_inputs = 0, dedup = 0;
  c->inputs = xcalloc((size_t)argc, sizeof *c->inputs);
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
    const cli_option *o;
    if (a[1] != '-') {
      /* A short option, its value attached ("-thtml") or next. */
      o = cli_option_short(a[1]);
      if (!o) {
        const pandoc_option *p = pandoc_option_short(a[1]);
        if (p)
          usage_error("-%c (--%s) is a pandoc option quire does not have",
                      p->short_name, p->name);
        usage_error("unknown option '%s'", a);
      }
      if (a[2])
        attached = a + 2;
      if (attached && !o->arg)
        usage_error("unknown option '%s'", a);
      snprintf(name, sizeof name, "%s", o->name);
    } else {
      const char *eq = strchr(a + 2, '=');
      size_t len = eq ? (size_t)(eq - a - 2) : strlen(a + 2);
      if (len == 0 || len >= sizeof name)
        usage_error("unknown option '%s'", a);
      memcpy(name, a + 2, len);
      name[len] = '\0';
      attached = eq ? eq + 1 : NULL;
      o = cli_option_find(name);
    }

    if (o) {
      const char *v = NULL;
      if (o->arg)
        v = take_value(argc, argv, &i, attached, a);
      else if (attached)
        usage_error("option --%s takes no value", name);
      switch (o->id) {
      case OPT_FROM: case OPT_READ: c->job.from = v; break;
      case OPT_TO: case OPT_WRITE: c->job.to = v; break;
      case OPT_OUTPUT: c->job.output = v; break;
      case OPT_OUTPUT_DIR: c->job.output_dir = v; break;
      case OPT_TITLE: cli_add_metadata(c, QUIRE_META_TITLE, v); break;
      case OPT_LANG: cli_add_metadata(c, QUIRE_META_LANGUAGE, v); break;
      case OPT_METADATA: {
        quire_option m = split_metadata((char *)v);
        cli_add_metadata(c, m.name, m.value);
        break;
      }
      case OPT_METADATA_FILE: c->metadata_file = v; break;
      case OPT_TRANSFORM: c->transforms[n_tr++] = v; break;
      case OPT_CLEAN: c->clean = 1; break;
      case OPT_DEDUP: dedup = 1; break;
      case OPT_RECURSIVE: c->job.recursive = 1; break;
      case OPT_WRAP:
        if (strcmp(v, "auto") && strcmp(v, "none") && strcmp(v, "preserve")) {
          suggester g;
          char buf[96];
          suggest_start(&g, v);
          suggest_offer(&g, "auto,none,preserve");
          usage_error("--wrap wants auto, none or preserve, not '%s'%s", v,
                      hint(&g, "", buf, sizeof buf));
        }
        c->wrap = v;
        break;
      case OPT_JOBS: c->job.threads = parse_jobs(v); break;
      case OPT_KEEP_GOING: c->job.keep_going = 1; break;
      case OPT_STREAM: c->stream = 1; break;
      case OPT_STRICT: case OPT_FAIL_IF_WARNINGS: c->job.strict = 1; break;
      case OPT_PLUGIN_DIR: break;   /* taken in the first pass */
      case OPT_LIMIT: {
        quire_option l = split_pair((char *)v, "--limit");
        if (quire_limit_set(c->s, l.name, parse_size(l.name, l.value)) !=
            QUIRE_OK)
          usage_error("unknown limit '%s' (see --list-limits)", l.name);
        break;
      }
      case OPT_LIST_FORMATS: list_formats(c->s); exit_printed();
      case OPT_LIST_INPUT_FORMATS:
        list_format_names(c->s, QUIRE_OPT_READ);
        exit_printed();
      case OPT_LIST_OUTPUT_FORMATS:
        list_format_names(c->s, QUIRE_OPT_WRITE);
        exit_printed();
      case OPT_LIST_TRANSFORMS: list_transforms(c->s); exit_printed();
      case OPT_LIST_LIMITS: list_limits(c->s); exit_printed();
      case OPT_HELP: print_help(c->s); exit_printed();
      case OPT_VERSION: print_version(); exit_printed();
      case OPT_VERBOSE: case OPT_QUIET: break;   /* the first pass's */
      case OPT_STANDALONE: c->standalone = 1; break;
      case OPT_TOC: case OPT_TABLE_OF_CONTENTS: c->toc = 1; break;
      case OPT_SELF_CONTAINED: cli_add_option(c, "embed-resources", "1"); break;
      case OPT_EPUB_COVER_IMAGE: cli_add_option(c, "epub:cover-image", v); break;
      case OPT_CSS: cli_add_option(c, "css", v); break;
      case OPT_RESOURCE_PATH: {
        /* pandoc's search path: one option per folder */
        char *p = (char *)v;
        for (;;) {
          char *colon = strchr(p, ':');
          if (colon)
            *colon = '\0';
          if (*p)
            cli_add_option(c, "resource-path", p);
          if (!colon)
            break;
          p = colon + 1;
        }
        break;
      }
      }
      continue;
    }
    /* Anything else must be an option a plugin declares. */
    const quire_option_spec *spec = find_spec(c->s, name);
    if (!spec) {
      const pandoc_option *p = strchr(name, ':') ? NULL
                                                 : pandoc_option_find(name);
      if (p)
        usage_error("--%s is a pandoc option quire does not have", p->name);
      unknown_long(c->s, a, name);
    }
    const char *value = "1";
    if (spec->arg)
      value = take_value(argc, argv, &i, attached, a);
    else if (attached)
      usage_error("option --%s takes no value", name);
    /* "--epub:css" keeps its owner: the core routes it to that format */
    char *given = a + 2;
    given[strcspn(given, "=")] = '\0';
    cli_add_option(c, given, value);
  }
  for (size_t k = 0; k < n_tr; k++)
    check_transform(c->s, c->transforms[k]);
  settle(c);
  if (!c->job.threads)
    c->job.threads = default_jobs();
  c->job.inputs = c->inputs;
  c->job.n_inputs = n_in;
  c->job.options = c->options;
  c->job.n_options = c->n_options;
  c->job.metadata = c->metadata;
  c->job.n_metadata = c->n_metadata;
  if (dedup) {
    /* before any --transform, and after clean, so that documents are
     * compared without their pages' chrome */
    memmove(c->transforms + 1, c->transforms, n_tr * sizeof *c->transforms);
    c->transforms[0] = "dedup";
    n_tr++;
  }
  if (c->clean) {
    /* before any --transform, so the others see the article alone */
    memmove(c->transforms + 1, c->transforms, n_tr * sizeof *c->transforms);
    c->transforms[0] = "clean";
    n_tr++;
  }
  c->job.transforms = c->transforms;
  c->job.n_transforms = n_tr;
}
