/* inputs.c - the list of input files a job names, folders expanded. */
#define _DEFAULT_SOURCE   /* d_type */
#include <quire/quire.h>

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "ctx.h"
#include "inputs.h"
#include "registry.h"

static int list_add(input_list *list, size_t *cap, char *path) {
  if (!path)
    return QUIRE_ERR;
  if (list->count == *cap) {
    size_t grown_cap = *cap ? *cap * 2 : 8;
    char **grown = realloc(list->paths, grown_cap * sizeof *grown);
    if (!grown) {
      free(path);
      return QUIRE_ERR;
    }
    list->paths = grown;
    *cap = grown_cap;
  }
  list->paths[list->count++] = path;
  return QUIRE_OK;
}

static char *path_join(const char *dir, const char *name) {
  size_t n = strlen(dir);
  int slash = n > 0 && dir[n - 1] == '/';
  size_t size = n + strlen(name) + 2;
  char *p = malloc(size);
  if (p)
    snprintf(p, size, "%s%s%s", dir, slash ? "" : "/", name);
  return p;
}

/* What a folder's entry is: 1 a regular file (or a link to one), 2 a
 * folder (not a link to one: links to folders are not followed), 0
 * anything else.  The type the file system gives saves a stat per file. */
static int entry_kind(const struct dirent *e, const char *path) {
  struct stat st;
  switch (e->d_type) {
  case DT_REG:
    return 1;
  case DT_DIR:
    return 2;
  case DT_LNK:
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
  case DT_UNKNOWN:
    if (lstat(path, &st) != 0)
      return 0;
    if (S_ISDIR(st.st_mode))
      return 2;
    if (S_ISLNK(st.st_mode))
      return stat(path, &st) == 0 && S_ISREG(st.st_mode);
    return S_ISREG(st.st_mode);
  default:
    return 0;
  }
}

typedef struct entry {
  char *path;
  int kind;
} entry;

static int entry_cmp(const void *a, const void *b) {
  return strcmp(((const entry *)a)->path, ((const entry *)b)->path);
}

/* Adds the files of folder `dir` in name order; with opt->recursive its
 * sub-folders' files in place.  A file no plugin reads is skipped with a
 * warning, unless the format is named (-f) or --strict keeps it an input
 * that fails like one. */
static int add_folder(qctx *c, const char *dir, const inputs_opts *opt,
                      input_list *list, size_t *cap) {
  quire_loc loc = {.file = dir};
  DIR *d = opendir(dir);
  if (!d)
    return ctx_fail(c, QUIRE_FATAL, QUIRE_ERROR_CONVERSION, &loc, "cannot open: %s",
                        strerror(errno)),
           QUIRE_ERR;
  entry *ents = NULL;
  size_t n = 0, ecap = 0;
  struct dirent *e;
  int rc = QUIRE_OK;
  while (rc == QUIRE_OK && (e = readdir(d)) != NULL) {
    if (e->d_name[0] == '.')
      continue;
    char *path = path_join(dir, e->d_name);
    if (!path) {
      rc = QUIRE_ERR;
      break;
    }
    int kind = entry_kind(e, path);
    if (kind == 0 || (kind == 2 && !opt->recursive)) {
      /* a sub-folder, a device, a dangling link, a link to a folder */
      ctx_info(c, NULL, "skipping %s: not a file", path);
      free(path);
      continue;
    }
    if (n == ecap) {
      size_t grown_cap = ecap ? ecap * 2 : 16;
      entry *grown = realloc(ents, grown_cap * sizeof *grown);
      if (!grown) {
        free(path);
        rc = QUIRE_ERR;
        break;
      }
      ents = grown;
      ecap = grown_cap;
    }
    ents[n++] = (entry){path, kind};
  }
  closedir(d);
  if (n)
    qsort(ents, n, sizeof *ents, entry_cmp);
  size_t i = 0;
  for (; rc == QUIRE_OK && i < n; i++) {
    if (ents[i].kind == 2) {
      rc = add_folder(c, ents[i].path, opt, list, cap);
      free(ents[i].path);
      if (rc != QUIRE_OK) {
        i++;
        break;
      }
      continue;
    }
    if (!opt->from && !opt->strict && !registry_reads_file(c->s, ents[i].path)) {
      quire_loc floc = {.file = ents[i].path};
      ctx_warn(c, &floc, "skipped: no format reads this file (name one with "
                         "-f to read it anyway)");
      free(ents[i].path);
      continue;
    }
    rc = list_add(list, cap, ents[i].path);
  }
  for (; i < n; i++)
    free(ents[i].path);
  free(ents);
  if (rc == QUIRE_ERR)
    return ctx_fail(c, QUIRE_FATAL, QUIRE_ERROR_CONVERSION, &loc, "out of memory"),
           QUIRE_ERR;
  return rc;
}

int inputs_expand(qctx *c, const char *const *inputs, size_t n,
                  int no_default, const inputs_opts *opt, input_list *list) {
  static const inputs_opts none = {0};
  size_t cap = 0;
  static const char *const dash[] = {"-"};
  if (!opt)
    opt = &none;
  list->paths = NULL;
  list->count = 0;
  if (n == 0 && !no_default) {
    inputs = dash;
    n = 1;
  }
  for (size_t i = 0; i < n; i++) {
    const char *path = inputs[i];
    struct stat st;
    int rc;
    if (strcmp(path, "-") == 0)
      rc = list_add(list, &cap, strdup(path));
    else if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
      size_t first = list->count;
      if (add_folder(c, path, opt, list, &cap) != QUIRE_OK) {
        inputs_free(list);
        return QUIRE_ERR;
      }
      if (list->count == first) {
        quire_loc loc = {.file = path};
        ctx_fail(c, QUIRE_FATAL, QUIRE_ERROR_CONVERSION, &loc,
                 "folder holds no file to convert");
        inputs_free(list);
        return QUIRE_ERR;
      }
      continue;
    } else   /* a file, or what fails to open when its turn comes */
      rc = list_add(list, &cap, strdup(path));
    if (rc != QUIRE_OK) {
      ctx_fail(c, QUIRE_FATAL, QUIRE_ERROR_CONVERSION, NULL, "out of memory");
      inputs_free(list);
      return QUIRE_ERR;
    }
  }
  return QUIRE_OK;
}

void inputs_free(input_list *list) {
  for (size_t i = 0; i < list->count; i++)
    free(list->paths[i]);
  free(list->paths);
  list->paths = NULL;
  list->count = 0;
}

const char *path_name(const char *path, size_t *stem_len, const char **ext) {
  const char *base = strrchr(path, '/');
  base = base ? base + 1 : path;
  const char *dot = strrchr(base, '.');
  if (!dot || dot == base) {
    *stem_len = strlen(base);
    *ext = NULL;
  } else {
    *stem_len = (size_t)(dot - base);
    *ext = dot + 1;
  }
  return base;
}
