/* help.c - --help, --version and the --list- options (see help.h).  The
 * command's options come from the table in options_table.c, the formats'
 * and transforms' from the loaded plugins. */
#include "help.h"

#include <string.h>

#define LEFT 27   /* the column where --help's descriptions start */

static const char usage_text[] =
    "Usage: quire [OPTIONS] INPUT... [-o OUTPUT]\n"
    "       quire bundle [OPTIONS] INPUT... -o NAME.tar.gz\n"
    "       quire verify BUNDLE\n"
    "Convert documents between formats.  INPUT '-' or none reads standard\n"
    "input; a folder stands for its files sorted by name (files no format\n"
    "reads are skipped with a warning).  Several inputs form one corpus, a\n"
    "document each.  'quire bundle' writes the corpus with its sources as a\n"
    "BagIt bag in an archive; 'quire verify' checks a bag.\n"
    "\n";

void help_option_left(const cli_option *o, char *buf, size_t size) {
  char shortpart[8] = "    ";
  if (o->short_name)
    snprintf(shortpart, sizeof shortpart, "-%c, ", o->short_name);
  snprintf(buf, size, "%s--%s%s%s", shortpart, o->name, o->arg ? " " : "",
           o->arg ? o->arg : "");
}

static void print_entry(const cli_option *o) {
  char left[96];
  help_option_left(o, left, sizeof left);
  int used = printf("  %s", left);
  if (used >= LEFT - 1) {
    putchar('\n');
    used = 0;
  }
  const char *h = o->help;
  while (*h) {
    size_t n = strcspn(h, "\n");
    printf("%*s%.*s\n", LEFT - used, "", (int)n, h);
    used = 0;
    h += n;
    if (*h)
      h++;
  }
}

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

void print_help(const quire_session *s) {
  fputs(usage_text, stdout);
  for (size_t i = 0; i < cli_n_options; i++)
    if (!cli_options[i].alias_of)
      print_entry(&cli_options[i]);
  printf("\npandoc's spellings (see also docs/user-guide.md):\n");
  for (size_t i = 0; i < cli_n_options; i++)
    if (cli_options[i].alias_of)
      print_entry(&cli_options[i]);
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

void print_version(void) {
  printf("quire %s (plugin ABI %d.%d)\n", quire_version(), QUIRE_ABI_MAJOR,
         QUIRE_ABI_MINOR);
}

void list_formats(const quire_session *s) {
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

/* pandoc's --list-input-formats and --list-output-formats: names only,
 * aliases included, one a line. */
void list_format_names(const quire_session *s, unsigned dir) {
  for (size_t i = 0; i < quire_format_count(s); i++) {
    const quire_format_info *fi = quire_format_at(s, i);
    const quire_format *f = fi->format;
    if (!(dir == QUIRE_OPT_READ ? f->read_open != NULL
                                : f->write_open != NULL))
      continue;
    printf("%s\n", f->name);
    for (const char *a = fi->aliases; a && *a;) {
      size_t n = strcspn(a, ",");
      if (n)
        printf("%.*s\n", (int)n, a);
      a += n + (a[n] == ',');
    }
  }
}

void list_transforms(const quire_session *s) {
  for (size_t i = 0; i < quire_transform_count(s); i++) {
    const quire_transform_info *ti = quire_transform_at(s, i);
    printf("%-16s %s  %s\n", ti->transform->name,
           ti->transform->description ? ti->transform->description : "",
           ti->plugin_path);
  }
}

void list_limits(const quire_session *s) {
  for (size_t i = 0; i < quire_limit_count(); i++)
    printf("%-18s %-12llu %s\n", quire_limit_name(i),
           (unsigned long long)quire_limit_get(s, quire_limit_name(i)),
           quire_limit_help(i));
}
