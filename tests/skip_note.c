/* skip_note.c - see skip_note.h. */
#include "skip_note.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>

/* One test program is one process, its tests run one after the other. */
static int skipped;

static void note(const char *why, va_list ap) {
  char msg[512];
  vsnprintf(msg, sizeof msg, why, ap);
  /* On standard output, beside cmocka's own "[  SKIPPED ]" lines, so that
   * ctest -V and --output-on-failure show the reason. */
  print_message("skipped: %s\n", msg);
  skipped = 1;
}

void test_note_skip(const char *why, ...) {
  va_list ap;
  va_start(ap, why);
  note(why, ap);
  va_end(ap);
}

void test_skip(const char *why, ...) {
  va_list ap;
  va_start(ap, why);
  note(why, ap);
  va_end(ap);
  skip();
}

int test_main_status(int failed) {
  /* Not the count itself: exit statuses are taken modulo 256, and a count
   * of 77 would read as "skipped". */
  if (failed)
    return 1;
  return skipped ? TEST_SKIPPED_STATUS : 0;
}

void test_filters_from_env(void) {
  const char *only = getenv("QUIRE_TEST_ONLY");
  const char *skip_these = getenv("QUIRE_TEST_SKIP");
  if (only && only[0])
    cmocka_set_test_filter(only);
  if (skip_these && skip_these[0])
    cmocka_set_skip_filter(skip_these);
}
