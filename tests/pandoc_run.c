/* pandoc_run.c - pandoc itself, for the tests (pandoc_run.h). */
#include "pandoc_run.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "run_cmd.h"
#include "skip_note.h"

const char *pandoc_program(void) {
  static char found[1024];
  const char *path = getenv("PATH");
  if (!path)
    path = "/usr/bin:/bin";
  while (*path) {
    size_t n = strcspn(path, ":");
    snprintf(found, sizeof found, "%.*s/pandoc", (int)n, path);
    if (n && access(found, X_OK) == 0)
      return found;
    path += n + (path[n] == ':');
  }
  return NULL;
}

void require_pandoc(void) {
  if (!pandoc_program())
    test_skip("pandoc not found on PATH (Debian package pandoc)");
}

char *run_pandoc(const char *in, ...) {
  const char *argv[16] = {pandoc_program()};
  size_t n = 1;
  va_list ap;
  va_start(ap, in);
  for (const char *a; (a = va_arg(ap, const char *)) != NULL;) {
    assert_true(n < 15);
    argv[n++] = a;
  }
  va_end(ap);
  argv[n] = NULL;
  run_opts o = {.stdin_data = in, .stdin_len = in ? strlen(in) : 0,
                .timeout = 120};
  run_result r = {0};
  if (run_cmd(argv, &o, &r) != 0)
    fail_msg("cannot run pandoc: %s", strerror(errno));
  if (!r.exited || r.status != 0) {
    char outcome[96];
    fail_msg("pandoc %s: %s", run_result_describe(&r, outcome, sizeof outcome),
             r.err);
  }
  char *out = r.out;
  r.out = NULL;
  run_result_free(&r);
  return out;
}
