/* test_files.c - files and folders the tests make and remove. */
#define _XOPEN_SOURCE 700
#include <dirent.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "test_files.h"

int test_remove_tree(const char *path) {
  struct stat st;
  if (lstat(path, &st) != 0)
    return errno == ENOENT ? 0 : -1;
  if (!S_ISDIR(st.st_mode))
    return unlink(path);
  chmod(path, 0700);
  DIR *d = opendir(path);
  if (!d)
    return -1;
  int rc = 0;
  struct dirent *e;
  while ((e = readdir(d)) != NULL) {
    if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
      continue;
    char child[4096];
    snprintf(child, sizeof child, "%s/%s", path, e->d_name);
    if (test_remove_tree(child) != 0)
      rc = -1;
  }
  closedir(d);
  return rmdir(path) == 0 ? rc : -1;
}

void test_write_file(const char *path, const void *data, size_t n) {
  FILE *fp = fopen(path, "wb");
  if (!fp)
    fail_msg("cannot create %s: %s", path, strerror(errno));
  assert_int_equal(fwrite(data, 1, n, fp), n);
  assert_int_equal(fclose(fp), 0);
}

int test_has_file_open_in(long pid, const char *dir) {
  char fds[64], real[4096];
  snprintf(fds, sizeof fds, "/proc/%ld/fd", pid);
  if (!realpath(dir, real))
    return 0;
  size_t n = strlen(real);
  DIR *d = opendir(fds);
  if (!d)
    return 0;
  int found = 0;
  struct dirent *e;
  while (!found && (e = readdir(d)) != NULL) {
    char link[4200], target[4096];
    snprintf(link, sizeof link, "%s/%s", fds, e->d_name);
    ssize_t got = readlink(link, target, sizeof target - 1);
    if (got <= 0)
      continue;
    target[got] = '\0';
    /* an unnamed file shows as "DIR/#INODE (deleted)" */
    found = strncmp(target, real, n) == 0 && target[n] == '/';
  }
  closedir(d);
  return found;
}
