/* bundle.c - `quire bundle INPUT... -o NAME.tar.gz`: the conversion is an
 * ordinary one whose writer is the bag plugin; this adds what the bag
 * records of how it was made (the command line, the plugins and their
 * versions, quire's version) and, with --clean, where the clean
 * transform's report is kept until the bag takes it in. */
#include "bundle.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Appends s to *buf (of *len bytes, *cap room), quoted for a POSIX shell
 * when it holds anything but plain characters. */
static int append(char **buf, size_t *len, size_t *cap, const char *s,
                  int quote) {
  size_t need = *len + 4 * strlen(s) + 4;
  if (need > *cap) {
    size_t cap2 = *cap ? *cap : 256;
    while (cap2 < need)
      cap2 *= 2;
    char *b = realloc(*buf, cap2);
    if (!b)
      return -1;
    *buf = b;
    *cap = cap2;
  }
  int plain = !quote || (*s && strspn(s, "abcdefghijklmnopqrstuvwxyz"
                                         "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                         "0123456789-_./=:,+@%") ==
                                   strlen(s));
  char *o = *buf + *len;
  if (plain) {
    o += sprintf(o, "%s", s);
  } else {
    *o++ = '\'';
    for (; *s; s++) {
      if (*s == '\'') {
        memcpy(o, "'\\''", 4);
        o += 4;
      } else {
        *o++ = *s;
      }
    }
    *o++ = '\'';
    *o = '\0';
  }
  *len = (size_t)(o - *buf);
  return 0;
}

/* -j N, --jobs N, -jN, --jobs=N: how many threads made the bag, which
 * changes nothing in it; leaving it out of the recorded command keeps a
 * bag byte-identical whatever -j it was made with. */
static int jobs_option(int argc, char **argv, int i) {
  const char *a = argv[i];
  if (strcmp(a, "-j") == 0 || strcmp(a, "--jobs") == 0)
    return i + 1 < argc ? 2 : 1;
  return (strncmp(a, "-j", 2) == 0 && a[2] >= '0' && a[2] <= '9') ||
         strncmp(a, "--jobs=", 7) == 0;
}

static char *command_line(int argc, char **argv) {
  char *buf = NULL;
  size_t len = 0, cap = 0;
  if (append(&buf, &len, &cap, "quire bundle", 0) != 0)
    return NULL;
  int only_inputs = 0;   /* after "--", "-j2" would be a file's name */
  for (int i = 1; i < argc; i++) {
    only_inputs |= strcmp(argv[i], "--") == 0;
    int skip = only_inputs ? 0 : jobs_option(argc, argv, i);
    if (skip) {
      i += skip - 1;
      continue;
    }
    if (append(&buf, &len, &cap, " ", 0) != 0 ||
        append(&buf, &len, &cap, argv[i], 1) != 0) {
      free(buf);
      return NULL;
    }
  }
  return buf;
}

/* Appends "name version" of a plugin not listed yet. */
static int list_plugin(char **buf, size_t *len, size_t *cap,
                       const char *name, const char *version) {
  for (const char *p = *buf; p && (p = strstr(p, name)) != NULL; p++)
    if ((p == *buf || (p - *buf >= 2 && p[-2] == ',')) &&
        p[strlen(name)] == ' ')
      return 0;   /* listed */
  char item[256];
  snprintf(item, sizeof item, "%s%s %s", *len ? ", " : "", name,
           version ? version : "?");
  return append(buf, len, cap, item, 0);
}

/* "name version" of every plugin, once each, in the registry's order. */
static char *plugin_list(quire_session *s) {
  char *buf = NULL;
  size_t len = 0, cap = 0;
  for (size_t i = 0; i < quire_format_count(s); i++) {
    const quire_format_info *f = quire_format_at(s, i);
    if (list_plugin(&buf, &len, &cap, f->plugin_name, f->plugin_version))
      goto fail;
  }
  for (size_t i = 0; i < quire_transform_count(s); i++) {
    const quire_transform_info *t = quire_transform_at(s, i);
    if (list_plugin(&buf, &len, &cap, t->plugin_name, t->plugin_version))
      goto fail;
  }
  return buf ? buf : strdup("");
fail:
  free(buf);
  return NULL;
}

/* A transform's report goes into the bag: the user's file (option
 * `option`), else one made for the run (*made, removed by
 * bundle_finish); the bag writer learns its path by `bag_option`. */
static const char *bag_report(quire_option *opts, size_t *n_opts,
                              const char *option, const char *bag_option,
                              char **made) {
  const char *report = NULL;
  for (size_t i = 0; i < *n_opts; i++)
    if (strcmp(opts[i].name, option) == 0)
      report = opts[i].value;
  if (!report) {
    const char *dir = getenv("TMPDIR");
    size_t n = strlen(dir && *dir ? dir : "/tmp") + 32;
    *made = malloc(n);
    if (!*made)
      return "out of memory";
    snprintf(*made, n, "%s/quire-report.XXXXXX", dir && *dir ? dir : "/tmp");
    int fd = mkstemp(*made);
    if (fd < 0) {
      free(*made);
      *made = NULL;
      return "cannot make a temporary file for a transform's report";
    }
    close(fd);
    report = *made;
    opts[(*n_opts)++] = (quire_option){option, report};
  }
  opts[(*n_opts)++] = (quire_option){bag_option, report};
  return NULL;
}

const char *bundle_prepare(quire_session *s, quire_job *job, int argc,
                           char **argv, quire_option *opts, size_t *n_opts,
                           int clean, bundle_extra *extra) {
  memset(extra, 0, sizeof *extra);
  if (job->to && strcmp(job->to, "bag") != 0)
    return "quire bundle writes a bag: -t does not go with it";
  if (!job->output || strcmp(job->output, "-") == 0 || job->output_dir)
    return "quire bundle needs -o NAME.tar.gz (or .tar, .tar.xz, .tar.zst, "
           ".tar.bz2, .zip, .7z)";
  job->to = "bag";
  extra->command = command_line(argc, argv);
  extra->plugins = plugin_list(s);
  size_t alen = strlen(quire_version()) + 8;
  extra->agent = malloc(alen);
  if (!extra->command || !extra->plugins || !extra->agent)
    return "out of memory";
  snprintf(extra->agent, alen, "quire %s", quire_version());
  opts[(*n_opts)++] = (quire_option){"bag-command", extra->command};
  opts[(*n_opts)++] = (quire_option){"bag-plugins", extra->plugins};
  opts[(*n_opts)++] = (quire_option){"bag-agent", extra->agent};
  const char *why = NULL;
  if (clean)
    why = bag_report(opts, n_opts, "clean-report", "bag-clean-report",
                     &extra->report);
  int dedup = 0;
  for (size_t i = 0; i < job->n_transforms; i++)
    dedup |= strcmp(job->transforms[i], "dedup") == 0;
  if (!why && dedup)
    why = bag_report(opts, n_opts, "dedup-report", "bag-dedup-report",
                     &extra->dedup_report);
  return why;
}

void bundle_finish(bundle_extra *extra) {
  if (extra->report)
    unlink(extra->report);
  free(extra->report);
  if (extra->dedup_report)
    unlink(extra->dedup_report);
  free(extra->dedup_report);
  free(extra->command);
  free(extra->plugins);
  free(extra->agent);
}
