/* temp_file.c - temporary files with no name; see temp_file.h. */
#define _GNU_SOURCE   /* O_TMPFILE, mkostemp */
#include "temp_file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

const char *temp_file_dir(void) {
  const char *dir = getenv("TMPDIR");
  return dir && *dir ? dir : "/tmp";
}

int temp_file_fd(void) {
  const char *dir = temp_file_dir();
#ifdef O_TMPFILE
  int fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
  if (fd >= 0)
    return fd;
#endif
  /* Where the kernel or the file system cannot: named for an instant. */
  size_t n = strlen(dir) + sizeof "/quire-XXXXXX";
  char *path = malloc(n);
  if (!path) {
    errno = ENOMEM;
    return -1;
  }
  snprintf(path, n, "%s/quire-XXXXXX", dir);
  int named = mkostemp(path, O_CLOEXEC);
  int err = errno;
  if (named >= 0)
    unlink(path);
  free(path);
  errno = err;
  return named;
}

FILE *temp_file_stream(void) {
  int fd = temp_file_fd();
  if (fd < 0)
    return NULL;
  FILE *f = fdopen(fd, "w+b");
  if (!f) {
    int err = errno;
    close(fd);
    errno = err;
  }
  return f;
}
