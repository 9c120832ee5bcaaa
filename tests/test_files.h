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

#endif
