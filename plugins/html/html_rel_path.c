/* html_rel_path.c - how a page links the folder --extract-media names: the
 * folder's path from the page's own folder, so that the links hold
 * wherever the two are ("-o out/page.html --extract-media out/media" links
 * "media/..."). */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "html.h"

/* The segments of path made absolute (from the working folder) and
 * normalized ("." dropped, ".." taken back), in a malloc'd array of
 * pointers into *copy; their count in *n.  NULL when memory is exhausted
 * or the working folder cannot be known. */
static char **segments(const char *path, char **copy, size_t *n) {
  char *cwd = NULL;
  if (path[0] != '/' && !(cwd = getcwd(NULL, 0)))
    return NULL;
  size_t len = (cwd ? strlen(cwd) + 1 : 0) + strlen(path) + 1;
  char *s = malloc(len);
  char **seg = malloc((len / 2 + 1) * sizeof *seg);
  if (!s || !seg) {
    free(cwd);
    free(s);
    free(seg);
    return NULL;
  }
  strcpy(s, cwd ? cwd : "");
  if (cwd)
    strcat(s, "/");
  strcat(s, path);
  free(cwd);
  size_t k = 0;
  for (char *p = strtok(s, "/"); p; p = strtok(NULL, "/")) {
    if (strcmp(p, ".") == 0)
      continue;
    if (strcmp(p, "..") == 0) {
      if (k)
        k--;
      continue;
    }
    seg[k++] = p;
  }
  *copy = s;
  *n = k;
  return seg;
}

char *html_rel_path(const char *page, const char *dir) {
  const char *slash = strrchr(page, '/');
  char *page_dir = slash ? strndup(page, (size_t)(slash - page + 1))
                         : strdup(".");
  char *a = NULL, *b = NULL, *out = NULL;
  size_t na = 0, nb = 0;
  char **from = page_dir ? segments(page_dir, &a, &na) : NULL;
  char **to = from ? segments(dir, &b, &nb) : NULL;
  if (to) {
    size_t k = 0;
    while (k < na && k < nb && strcmp(from[k], to[k]) == 0)
      k++;
    size_t len = 3 * (na - k) + 2;
    for (size_t i = k; i < nb; i++)
      len += strlen(to[i]) + 1;
    if ((out = malloc(len))) {
      out[0] = '\0';
      for (size_t i = k; i < na; i++)
        strcat(out, "../");
      for (size_t i = k; i < nb; i++) {
        strcat(out, to[i]);
        if (i + 1 < nb)
          strcat(out, "/");
      }
      size_t n = strlen(out);
      if (n == 0)
        strcpy(out, ".");
      else if (out[n - 1] == '/')
        out[n - 1] = '\0';
    }
  }
  free(page_dir);
  free(a);
  free(b);
  free(from);
  free(to);
  return out;
}
