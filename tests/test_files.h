/* test_files.h - files and folders the tests make and remove. */
#ifndef QUIRE_TESTS_TEST_FILES_H
#define QUIRE_TESTS_TEST_FILES_H

#include <stddef.h>

/* Removes path, and all under it when it is a folder (made readable
 * first, for tests that take permissions away).  0, or -1 when something
 * stayed; a path that does not exist is 0. */
int test_remove_tree(const char *path);

/* Writes data[0..n) to path, failing the test when it cannot. */
void test_write_file(const char *path, const void *data, size_t n);

/* Non-zero when process pid holds open a file in folder dir (an output
 * being written, named or not), as /proc/PID/fd shows; 0 otherwise and
 * where /proc cannot tell. */
int test_has_file_open_in(long pid, const char *dir);

#endif
