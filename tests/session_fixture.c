/* session_fixture.c - a session, its warnings and a temporary folder. */
#include "session_fixture.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

static void on_diag(void *user, quire_severity sev, const quire_loc *loc,
                    const char *msg) {
  fixture *f = user;
  if (sev != QUIRE_SEV_WARNING)
    return;
  f->n_warnings++;
  size_t n = strlen(f->warnings);
  snprintf(f->warnings + n, sizeof f->warnings - n, "%s;", msg);
  f->last_line = loc ? loc->line : 0;
  f->last_offset = loc ? loc->offset : 0;
}

int fixture_setup(void **state) {
  fixture *f = calloc(1, sizeof *f);
  assert_non_null(f);
  f->s = quire_session_new();
  assert_non_null(f->s);
  quire_set_diag(f->s, on_diag, f);
  quire_load_plugins(f->s);
  snprintf(f->dir, sizeof f->dir, "/tmp/quire-test-XXXXXX");
  assert_non_null(mkdtemp(f->dir));
  *state = f;
  return 0;
}

int fixture_teardown(void **state) {
  fixture *f = *state;
  char cmd[128];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", f->dir);
  assert_int_equal(system(cmd), 0);
  quire_session_free(f->s);
  free(f);
  return 0;
}
