/* test_threads.c - conversions on two threads at once through the public
 * API, sharing one session.  Each thread converts the corpus again and
 * again, in memory, and must get the bytes one thread alone gets.  Built
 * with -fsanitize=thread by scripts/test, where any data race fails it. */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "skip_note.h"
#include <quire/quire.h>

#define ROUNDS 4

typedef struct work {
  quire_session *s;
  const char *to;             /* the format corpus/ is converted to */
  const char *back;           /* then the result, read back, to this */
  char *expected;             /* what one thread alone made */
  size_t expected_len;
  int failures;
  char why[1024];
} work;

/* corpus/ to w->to, then (with w->back) that output read back from memory
 * and written as w->back.  The result in *out, or NULL with w->why set. */
static int convert(work *w, char **out, size_t *len) {
  const char *in[] = {"corpus"};
  quire_status st;
  char *first = NULL;
  size_t first_len = 0;
  quire_job job = {.inputs = in, .n_inputs = 1, .to = w->to,
                   .output_data = &first, .output_len = &first_len,
                   .status = &st};
  if (quire_convert(w->s, &job) < QUIRE_OK) {
    snprintf(w->why, sizeof w->why, "%s: %s", w->to, st.error.message);
    return -1;
  }
  if (!w->back) {
    *out = first;
    *len = first_len;
    return 0;
  }
  char name[32];
  snprintf(name, sizeof name, "book.%s", w->to);
  quire_source src = {.name = name, .data = first, .len = first_len};
  quire_job again = {.sources = &src, .n_sources = 1, .to = w->back,
                     .output_data = out, .output_len = len, .status = &st};
  int rc = quire_convert(w->s, &again);
  free(first);
  if (rc < QUIRE_OK) {
    snprintf(w->why, sizeof w->why, "%s back to %s: %s", w->to, w->back,
             st.error.message);
    return -1;
  }
  return 0;
}

static void *run_rounds(void *arg) {
  work *w = arg;
  for (int i = 0; i < ROUNDS; i++) {
    char *out = NULL;
    size_t len = 0;
    if (convert(w, &out, &len) != 0) {
      w->failures++;
      continue;
    }
    if (len != w->expected_len || memcmp(out, w->expected, len) != 0) {
      snprintf(w->why, sizeof w->why, "round %d of %s gave other bytes", i,
               w->to);
      w->failures++;
    }
    free(out);
  }
  return NULL;
}

static void test_two_threads_convert_at_once(void **state) {
  (void)state;
  setenv("SOURCE_DATE_EPOCH", "1700000000", 1);   /* reproducible books */
  quire_session *s = quire_session_new();
  assert_non_null(s);
  quire_load_plugins(s);
  work jobs[] = {{.s = s, .to = "html", .back = NULL},
                 {.s = s, .to = "epub", .back = "txt"},
                 {.s = s, .to = "xhtml", .back = "html"}};
  size_t n = sizeof jobs / sizeof jobs[0];
  for (size_t i = 0; i < n; i++)
    if (convert(&jobs[i], &jobs[i].expected, &jobs[i].expected_len) != 0)
      fail_msg("%s", jobs[i].why);
  pthread_t threads[sizeof jobs / sizeof jobs[0]];
  for (size_t i = 0; i < n; i++)
    assert_int_equal(pthread_create(&threads[i], NULL, run_rounds, &jobs[i]),
                     0);
  for (size_t i = 0; i < n; i++)
    assert_int_equal(pthread_join(threads[i], NULL), 0);
  for (size_t i = 0; i < n; i++) {
    if (jobs[i].failures)
      fail_msg("%s", jobs[i].why);
    free(jobs[i].expected);
  }
  quire_session_free(s);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_two_threads_convert_at_once),
  };
  return test_main_status(cmocka_run_group_tests(tests, NULL, NULL));
}
