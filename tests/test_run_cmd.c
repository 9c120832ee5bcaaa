/* test_run_cmd.c - run_cmd, which the command-line tests run programs
 * with: a program that exits, one killed by a signal and one killed for
 * running too long must each be told apart, so that a hang is never taken
 * for "exit 0". */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>

#include "run_cmd.h"
#include "skip_note.h"

static void run(const char *const *argv, int timeout, run_result *r) {
  run_opts o = {.timeout = timeout};
  assert_int_equal(run_cmd(argv, &o, r), 0);
}

static void test_exit_status_is_reported(void **state) {
  (void)state;
  static const char *const argv[] = {"/bin/sh", "-c", "echo out; exit 3",
                                     NULL};
  run_result r;
  run(argv, 0, &r);
  assert_true(r.exited);
  assert_false(r.timed_out);
  assert_int_equal(r.status, 3);
  assert_string_equal(r.out, "out\n");
  char text[96];
  assert_string_equal(run_result_describe(&r, text, sizeof text), "exit 3");
  run_result_free(&r);
}

static void test_signal_is_reported(void **state) {
  (void)state;
  static const char *const argv[] = {"/bin/sh", "-c", "kill -TERM $$", NULL};
  run_result r;
  run(argv, 0, &r);
  assert_false(r.exited);
  assert_false(r.timed_out);
  assert_int_equal(r.signal, 15);
  char text[96];
  run_result_describe(&r, text, sizeof text);
  assert_memory_equal(text, "killed by signal 15 (", 21);
  run_result_free(&r);
}

static void test_timed_out_child_is_reported_as_killed(void **state) {
  (void)state;
  static const char *const argv[] = {"/bin/sleep", "5", NULL};
  run_result r;
  run(argv, 1, &r);
  assert_true(r.timed_out);
  assert_false(r.exited);
  assert_int_equal(r.status, 0);
  assert_int_equal(r.timeout, 1);
  char text[96];
  assert_string_equal(run_result_describe(&r, text, sizeof text),
                      "killed after 1 s (timeout)");
  run_result_free(&r);
}

/* The shell exits at once with status 0, but the background sleep keeps
 * its output open, so run_cmd waits until the timeout: that is a hang,
 * not a program that exited 0. */
static void test_exit_behind_a_held_pipe_is_a_timeout(void **state) {
  (void)state;
  static const char *const argv[] = {"/bin/sh", "-c", "/bin/sleep 3 & exit 0",
                                     NULL};
  run_result r;
  run(argv, 1, &r);
  assert_true(r.timed_out);
  assert_false(r.exited);
  char text[96];
  assert_string_equal(run_result_describe(&r, text, sizeof text),
                      "killed after 1 s (timeout)");
  run_result_free(&r);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_exit_status_is_reported),
      cmocka_unit_test(test_signal_is_reported),
      cmocka_unit_test(test_timed_out_child_is_reported_as_killed),
      cmocka_unit_test(test_exit_behind_a_held_pipe_is_a_timeout),
  };
  return test_main_status(cmocka_run_group_tests(tests, NULL, NULL));
}
