/* bag_names.c - safe paths inside the bag, and manifest lines. */
#include <stdlib.h>
#include <string.h>

#include "bag.h"

char *bag_safe_path(const char *path, int *oom) {
  *oom = 0;
  size_t n = strlen(path);
  char *out = malloc(n + 1);
  if (!out) {
    *oom = 1;
    return NULL;
  }
  size_t len = 0;
  const char *p = path;
  while (*p) {
    while (*p == '/')
      p++;
    size_t part = strcspn(p, "/");
    if (part == 0)
      break;
    if ((part == 1 && p[0] == '.') || (part == 2 && p[0] == '.' &&
                                       p[1] == '.')) {
      if (part == 2) {   /* ".." would leave data/: refuse the name */
        free(out);
        return NULL;
      }
      p += part;
      continue;
    }
    for (size_t i = 0; i < part; i++)
      if ((unsigned char)p[i] < 0x20 || p[i] == 0x7F) {
        free(out);
        return NULL;
      }
    if (len)
      out[len++] = '/';
    memcpy(out + len, p, part);
    len += part;
    p += part;
  }
  out[len] = '\0';
  if (len == 0) {
    free(out);
    return NULL;
  }
  return out;
}

int bag_manifest_line(FILE *fp, const char *digest, const char *path) {
  if (fprintf(fp, "%s  ", digest) < 0)
    return -1;
  for (const char *p = path; *p; p++) {
    int rc;
    if (*p == '%')
      rc = fputs("%25", fp);
    else if (*p == '\r')
      rc = fputs("%0D", fp);
    else if (*p == '\n')
      rc = fputs("%0A", fp);
    else
      rc = fputc(*p, fp);
    if (rc == EOF)
      return -1;
  }
  return fputc('\n', fp) == EOF ? -1 : 0;
}
