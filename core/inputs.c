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

static int name_cmp(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
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

/* Whether a folder's entry is a regular file, or a link to one.  The
 * type the file system gives saves a stat per file. */
static int is_file(const struct dirent *e, const char *path) {
  struct stat st;
  switch (e->d_type) {
  case DT_REG:
    return 1;
  case DT_LNK:
  case DT_UNKNOWN:
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
  default:
    return 0;
  }
}

static int add_folder(qctx *c, const char *dir, input_list *list,
                      size_t *cap) {
  quire_loc loc = {.file = dir};
  DIR *d = opendir(dir);
  if (!d)
    return ctx_fail(c, QUIRE_FATAL, QUIRE_ERROR_CONVERSION, &loc, "cannot open: %s",
                        strerror(errno)),
           QUIRE_ERR;
  size_t first = list->count;
  struct dirent *e;
  int rc = QUIRE_OK;
  while (rc == QUIRE_OK && (e = readdir(d)) != NULL) {
    if (e->d_name[0] == '.')
      continue;
    char *path = path_join(dir, e->d_name);
    if (path && !is_file(e, path)) {
      /* a sub-folder, a device, a dangling link: not one of the files */
      ctx_info(c, NULL, "skipping %s: not a file", path);
      free(path);
      continue;
    }
    rc = list_add(list, cap, path);
  }
  closedir(d);
  if (rc != QUIRE_OK)
    return ctx_fail(c, QUIRE_FATAL, QUIRE_ERROR_CONVERSION, &loc, "out of memory"),
           QUIRE_ERR;
  if (list->count == first)
    return ctx_fail(c, QUIRE_FATAL, QUIRE_ERROR_CONVERSION, &loc,
                        "folder holds no file to convert"),
           QUIRE_ERR;
  qsort(list->paths + first, list->count - first, sizeof *list->paths,
        name_cmp);
  return QUIRE_OK;
}

int inputs_expand(qctx *c, const char *const *inputs, size_t n,
                  int no_default, input_list *list) {
  size_t cap = 0;
  static const char *const dash[] = {"-"};
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
      if (add_folder(c, path, list, &cap) != QUIRE_OK) {
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
