/* man_page.c - quire-man, the generator of the man page: fills the
 * template docs/quire.1.in into quire.1 (built, not installed itself).
 *
 *     quire-man TEMPLATE OUTPUT [PLUGIN-DIR]...
 *
 * The command's options come from the table in options_table.c, the one
 * --help and the parser read, each with the text the template gives it;
 * the formats' and transforms' options from the descriptors of the
 * plugins loaded at build time, with the template's text where it has one.
 * The template's directives are troff comments:
 *
 *   .\" @options ... .\" @end-options
 *       Holds one `.\" @option NAME` block of text per option of the
 *       table; they are written in the table's order, each under its
 *       .TP line.  A table option without text, or text for an option not
 *       in the table, is an error: the man page cannot drift.
 *   .\" @format NAME... ... .\" @end-format
 *       A section (.SS NAME, NAME) on those formats: the text up to the
 *       first `.\" @format-option NAME` block, the formats' options (each
 *       with its block's text, else its descriptor's help), then the text
 *       after `.\" @format-after`.  `.\" @format-list NAME...` is the same
 *       without the heading and the text (for the bag writer's options).
 *       Text for an option that no loaded format of the block declares is
 *       an error.  A block whose formats are none of them loaded is left
 *       out, with a note.
 *   .\" @other-formats
 *       A section for each loaded format that no block names.
 *   .\" @transforms
 *       Each loaded transform, its description and options.
 *   @VERSION@
 *       quire's version.
 */
#define _GNU_SOURCE   /* getline, open_memstream */
#include <quire/quire.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "options_table.h"

typedef struct text {
  char **lines;
  size_t n;
} text;

typedef struct block_opt {
  char *name;
  text body;
  int used;
} block_opt;

static int failed;

static void error(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fputs("quire-man: ", stderr);
  vfprintf(stderr, fmt, ap);
  fputc('\n', stderr);
  va_end(ap);
  failed = 1;
}

static void *xrealloc(void *p, size_t n) {
  p = realloc(p, n ? n : 1);
  if (!p) {
    fputs("quire-man: out of memory\n", stderr);
    exit(1);
  }
  return p;
}

static void text_add(text *t, char *line) {
  t->lines = xrealloc(t->lines, (t->n + 1) * sizeof *t->lines);
  t->lines[t->n++] = line;
}

static void text_free(text *t) {
  for (size_t i = 0; i < t->n; i++)
    free(t->lines[i]);
  free(t->lines);
  t->lines = NULL;
  t->n = 0;
}

static void texts_free(block_opt *texts, size_t n) {
  for (size_t i = 0; i < n; i++) {
    free(texts[i].name);
    text_free(&texts[i].body);
  }
  free(texts);
}

static void text_put(FILE *out, const text *t) {
  for (size_t i = 0; i < t->n; i++)
    fprintf(out, "%s\n", t->lines[i]);
}

/* troff: a dash is \-, a backslash \e. */
static void put_roff(FILE *out, const char *s) {
  for (; *s; s++) {
    if (*s == '-')
      fputs("\\-", out);
    else if (*s == '\\')
      fputs("\\e", out);
    else
      fputc(*s, out);
  }
}

/* A descriptor's help without its "owner: " prefix, first letter up. */
static void put_help(FILE *out, const char *help) {
  if (!help || !*help) {
    fputs("(no description)\n", out);
    return;
  }
  const char *colon = strstr(help, ": ");
  if (colon && (size_t)(colon - help) < 16 && !memchr(help, ' ', (size_t)(colon - help)))
    help = colon + 2;
  char first[2] = {help[0] >= 'a' && help[0] <= 'z' ? (char)(help[0] - 32)
                                                    : help[0], 0};
  if (help[0] == '.' || help[0] == '\'')
    fputs("\\&", out);
  put_roff(out, first);
  put_roff(out, help + 1);
  size_t n = strlen(help);
  fputs(n && help[n - 1] != '.' ? ".\n" : "\n", out);
}

static const char *directive(const char *line, const char *name) {
  static const char lead[] = ".\\\" @";
  size_t ll = sizeof lead - 1, nl = strlen(name);
  if (strncmp(line, lead, ll) != 0 || strncmp(line + ll, name, nl) != 0)
    return NULL;
  const char *rest = line + ll + nl;
  if (*rest == ' ')
    return rest + 1;
  return *rest ? NULL : rest;
}

static int is_directive(const char *line) {
  return strncmp(line, ".\\\" @", 5) == 0;
}

/* ---- the command's options ---------------------------------------------- */

static void put_option_head(FILE *out, const cli_option *o) {
  fputs(".TP\n", out);
  if (o->short_name)
    fprintf(out, "\\fB\\-%c\\fR, ", o->short_name);
  fputs("\\fB\\-\\-", out);
  put_roff(out, o->name);
  fputs("\\fR", out);
  if (o->arg) {
    fputs(" \\fI", out);
    put_roff(out, o->arg);
    fputs("\\fR", out);
  }
  fputc('\n', out);
}

static void write_options(FILE *out, block_opt *texts, size_t n) {
  int aliases = 0;
  for (size_t i = 0; i < cli_n_options; i++) {
    const cli_option *o = &cli_options[i];
    if (o->alias_of && !aliases++)
      fputs(".SS pandoc's spellings\n"
            "These options are spelled as pandoc spells them; each is the "
            "same as an option above, or one a plugin declares "
            "(see docs/user-guide.md).\n",
            out);
    block_opt *t = NULL;
    for (size_t k = 0; k < n && !t; k++)
      if (strcmp(texts[k].name, o->name) == 0)
        t = &texts[k];
    if (!t) {
      error("option --%s has no text in the template (.\\\" @option %s)",
            o->name, o->name);
      continue;
    }
    t->used = 1;
    put_option_head(out, o);
    text_put(out, &t->body);
  }
  for (size_t k = 0; k < n; k++)
    if (!texts[k].used)
      error("the template describes option --%s, which the command does not "
            "have", texts[k].name);
}

/* ---- formats ------------------------------------------------------------- */

typedef struct names {
  char *v[16];
  size_t n;
} names;

static const quire_format *loaded(const quire_session *s, const char *name) {
  for (size_t i = 0; i < quire_format_count(s); i++)
    if (strcmp(quire_format_at(s, i)->format->name, name) == 0)
      return quire_format_at(s, i)->format;
  return NULL;
}

static void put_spec_head(FILE *out, const quire_option_spec *sp,
                          unsigned both) {
  fputs(".TP\n\\fB\\-\\-", out);
  put_roff(out, sp->name);
  fputs("\\fR", out);
  if (sp->arg) {
    fputs(" \\fI", out);
    put_roff(out, sp->arg);
    fputs("\\fR", out);
  }
  if (both == (QUIRE_OPT_READ | QUIRE_OPT_WRITE) &&
      sp->direction != (QUIRE_OPT_READ | QUIRE_OPT_WRITE))
    fputs(sp->direction & QUIRE_OPT_READ ? " (reading)" : " (writing)", out);
  fputc('\n', out);
}

/* The options of the formats fs[0..n), each once, as an .RS list. */
static void put_format_options(FILE *out, const quire_format *const *fs,
                               size_t n, block_opt *texts, size_t n_texts,
                               int intro) {
  unsigned both = 0;
  size_t count = 0;
  for (size_t i = 0; i < n; i++) {
    both |= (fs[i]->read_open ? QUIRE_OPT_READ : 0) |
            (fs[i]->write_open ? QUIRE_OPT_WRITE : 0);
    count += fs[i]->n_options;
  }
  if (!count)
    return;
  if (intro)
    fprintf(out, "%s\n", n > 1 ? "Their options:" : "Its options:");
  fputs(".RS\n", out);
  for (size_t i = 0; i < n; i++)
    for (size_t k = 0; k < fs[i]->n_options; k++) {
      const quire_option_spec *sp = &fs[i]->options[k];
      int seen = 0;
      for (size_t j = 0; j < i && !seen; j++)
        for (size_t m = 0; m < fs[j]->n_options && !seen; m++)
          seen = strcmp(fs[j]->options[m].name, sp->name) == 0;
      if (seen)
        continue;
      put_spec_head(out, sp, both);
      block_opt *t = NULL;
      for (size_t m = 0; m < n_texts && !t; m++)
        if (strcmp(texts[m].name, sp->name) == 0)
          t = &texts[m];
      if (t) {
        t->used = 1;
        text_put(out, &t->body);
      } else
        put_help(out, sp->help);
    }
  fputs(".RE\n", out);
}

static void put_format_head(FILE *out, const names *nm) {
  fputs(".SS ", out);
  for (size_t i = 0; i < nm->n; i++)
    fprintf(out, "%s%s", i ? ", " : "", nm->v[i]);
  fputc('\n', out);
}

/* A format no block of the template names: what its descriptor says. */
static void put_other_format(FILE *out, const quire_format_info *fi) {
  const quire_format *f = fi->format;
  fprintf(out, ".SS %s\n", f->name);
  put_roff(out, f->description ? f->description : f->name);
  fputs(".\n", out);
  fprintf(out, "%s", f->read_open && f->write_open ? "Read and written"
                     : f->read_open ? "Read only" : "Written only");
  if (f->extensions && *f->extensions) {
    fputs("; extensions ", out);
    for (const char *e = f->extensions; *e;) {
      size_t n = strcspn(e, ",");
      fprintf(out, "\\fI.%.*s\\fR%s", (int)n, e, e[n] ? ", " : "");
      e += n + (e[n] == ',');
    }
  }
  if (fi->aliases && *fi->aliases)
    fprintf(out, "; also called %s", fi->aliases);
  fputs(".\n", out);
  put_format_options(out, &f, 1, NULL, 0, 1);
}

static void put_transforms(FILE *out, const quire_session *s) {
  for (size_t i = 0; i < quire_transform_count(s); i++) {
    const quire_transform *t = quire_transform_at(s, i)->transform;
    fprintf(out, ".TP\n.B %s\n", t->name);
    put_help(out, t->description);
    if (t->n_options) {
      fputs("Its options:\n.RS\n", out);
      for (size_t k = 0; k < t->n_options; k++) {
        put_spec_head(out, &t->options[k], 0);
        put_help(out, t->options[k].help);
      }
      fputs(".RE\n", out);
    }
  }
}

/* ---- the template -------------------------------------------------------- */

static char *read_line(FILE *in) {
  char *line = NULL;
  size_t cap = 0;
  ssize_t n = getline(&line, &cap, in);
  if (n < 0) {
    free(line);
    return NULL;
  }
  if (n && line[n - 1] == '\n')
    line[n - 1] = '\0';
  return line;
}

static void split_names(const char *rest, names *nm) {
  nm->n = 0;
  char *copy = strdup(rest);
  for (char *tok = strtok(copy, " "); tok && nm->n < 16;
       tok = strtok(NULL, " "))
    nm->v[nm->n++] = strdup(tok);
  free(copy);
}

int main(int argc, char **argv) {
  if (argc < 3) {
    fputs("usage: quire-man TEMPLATE OUTPUT [PLUGIN-DIR]...\n", stderr);
    return 2;
  }
  unsetenv("QUIRE_PLUGIN_PATH");   /* the build's plugins, no others */
  quire_session *s = quire_session_new();
  if (!s)
    return 1;
  for (int i = 3; i < argc; i++)
    quire_add_plugin_dir(s, argv[i]);
  quire_load_plugins(s);

  FILE *in = fopen(argv[1], "r");
  if (!in) {
    perror(argv[1]);
    return 1;
  }
  size_t olen = strlen(argv[2]);
  char *tmp = malloc(olen + 5);
  snprintf(tmp, olen + 5, "%s.tmp", argv[2]);
  FILE *out = fopen(tmp, "w");
  if (!out) {
    perror(tmp);
    return 1;
  }
  char **covered = NULL;   /* format names the blocks name */
  size_t n_covered = 0;
  long other_at = -1;      /* where @other-formats was: filled at the end */
  char *line;
  /* The output is gathered in a memory stream, so that @other-formats can
   * be filled once every block has been seen. */
  char *body = NULL;
  size_t body_len = 0;
  FILE *mem = open_memstream(&body, &body_len);
  while ((line = read_line(in)) != NULL) {
    const char *rest;
    if (directive(line, "options")) {
      block_opt *texts = NULL;
      size_t n = 0;
      char *l;
      while ((l = read_line(in)) != NULL && !directive(l, "end-options")) {
        if ((rest = directive(l, "option")) != NULL) {
          texts = xrealloc(texts, (n + 1) * sizeof *texts);
          texts[n++] = (block_opt){strdup(rest), {0}, 0};
          for (size_t k = 0; k + 1 < n; k++)
            if (strcmp(texts[k].name, rest) == 0)
              error("option --%s has two texts in the template", rest);
          free(l);
        } else if (n)
          text_add(&texts[n - 1].body, l);
        else
          free(l);
      }
      free(l);
      write_options(mem, texts, n);
      texts_free(texts, n);
    } else if ((rest = directive(line, "format")) != NULL ||
               (rest = directive(line, "format-list")) != NULL) {
      int head = directive(line, "format") != NULL;
      names nm;
      split_names(rest, &nm);
      text intro = {0}, after = {0};
      block_opt *texts = NULL;
      size_t n = 0;
      int in_after = 0;
      char *l;
      while ((l = read_line(in)) != NULL && !directive(l, "end-format")) {
        const char *r;
        if ((r = directive(l, "format-option")) != NULL) {
          texts = xrealloc(texts, (n + 1) * sizeof *texts);
          texts[n++] = (block_opt){strdup(r), {0}, 0};
          in_after = 0;
          free(l);
        } else if (directive(l, "format-after")) {
          in_after = 1;
          free(l);
        } else if (in_after)
          text_add(&after, l);
        else if (n)
          text_add(&texts[n - 1].body, l);
        else
          text_add(&intro, l);
      }
      free(l);
      const quire_format *fs[16];
      size_t nf = 0;
      for (size_t i = 0; i < nm.n; i++) {
        covered = xrealloc(covered, (n_covered + 1) * sizeof *covered);
        covered[n_covered++] = nm.v[i];
        const quire_format *f = loaded(s, nm.v[i]);
        if (f)
          fs[nf++] = f;
      }
      if (!nf) {
        fprintf(stderr, "quire-man: note: no plugin loaded provides %s; its "
                        "section is left out\n", nm.n ? nm.v[0] : "?");
      } else {
        if (head)
          put_format_head(mem, &nm);
        text_put(mem, &intro);
        put_format_options(mem, fs, nf, texts, n, head);
        text_put(mem, &after);
        for (size_t k = 0; k < n; k++)
          if (!texts[k].used)
            error("the template describes option --%s of %s, which no "
                  "loaded format of the block declares", texts[k].name,
                  nm.v[0]);
      }
      texts_free(texts, n);
      text_free(&intro);
      text_free(&after);
    } else if (directive(line, "other-formats")) {
      fflush(mem);
      other_at = (long)body_len;
      fputs(".\\\" @other-formats\n", mem);
    } else if (directive(line, "transforms")) {
      put_transforms(mem, s);
    } else if (is_directive(line)) {
      error("unknown directive: %s", line);
    } else {
      char *v = strstr(line, "@VERSION@");
      if (v) {
        *v = '\0';
        fprintf(mem, "%s%s%s\n", line, QUIRE_VERSION, v + 9);
      } else
        fprintf(mem, "%s\n", line);
    }
    free(line);
  }
  fclose(in);
  fclose(mem);
  if (other_at >= 0) {
    fwrite(body, 1, (size_t)other_at, out);
    for (size_t i = 0; i < quire_format_count(s); i++) {
      const quire_format_info *fi = quire_format_at(s, i);
      int named = 0;
      for (size_t k = 0; k < n_covered && !named; k++)
        named = strcmp(covered[k], fi->format->name) == 0;
      if (!named)
        put_other_format(out, fi);
    }
    const char *restp = body + other_at;
    restp = strchr(restp, '\n') + 1;
    fputs(restp, out);
  } else
    fwrite(body, 1, body_len, out);
  free(body);
  for (size_t k = 0; k < n_covered; k++)
    free(covered[k]);
  free(covered);
  if (fclose(out) != 0) {
    perror(tmp);
    failed = 1;
  }
  quire_session_free(s);
  int rc = 0;
  if (failed) {
    remove(tmp);
    rc = 1;
  } else if (rename(tmp, argv[2]) != 0) {
    perror(argv[2]);
    rc = 1;
  }
  free(tmp);
  return rc;
}
