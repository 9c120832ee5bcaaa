/* skip_note.h - tests that cannot run here (a tool or the peer suites
 * missing) say why, and the test program tells ctest that something was
 * skipped.  cmocka's skip() only marks the test in its own output; ctest
 * sees the exit status, so main() returns test_main_status(), which is
 * TEST_SKIPPED_STATUS when anything was skipped and nothing failed, and
 * quire_test() in CMakeLists.txt declares that code as SKIP_RETURN_CODE. */
#ifndef QUIRE_TESTS_SKIP_NOTE_H
#define QUIRE_TESTS_SKIP_NOTE_H

#define TEST_SKIPPED_STATUS 77

/* Prints why a check does not run here (printf-style, no newline needed)
 * and records that something was skipped; the test goes on.  For a part
 * of a test; a whole test calls test_skip(). */
void test_note_skip(const char *why, ...)
    __attribute__((format(printf, 1, 2)));

/* test_note_skip(), then cmocka's skip(): the current test ends here and
 * counts as skipped. */
void test_skip(const char *why, ...) __attribute__((format(printf, 1, 2)));

/* What main() returns, given cmocka_run_group_tests()'s count of failed
 * tests: 1 when any failed, else TEST_SKIPPED_STATUS when anything was
 * skipped, else 0. */
int test_main_status(int failed);

/* Runs only the tests QUIRE_TEST_ONLY names (a cmocka pattern) and none
 * of those QUIRE_TEST_SKIP names, so that a test needing a tool the
 * project does not install can be a ctest entry of its own: its skip then
 * marks that entry, not the whole program.  Called first in main(). */
void test_filters_from_env(void);

#endif
