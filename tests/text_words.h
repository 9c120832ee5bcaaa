/* text_words.h - reading files and comparing their words, for the tests
 * that check a conversion keeps every word. */
#ifndef QUIRE_TEST_TEXT_WORDS_H
#define QUIRE_TEST_TEXT_WORDS_H

#include <stddef.h>

/* The bytes of a file, NUL-terminated; *len (when not NULL) their count.
 * Fails the test when the file cannot be read.  The caller frees. */
char *slurp(const char *path, size_t *len);

/* The input's text with the txt reader's documented normalization applied:
 * quotes lose their escaping backslash.  The caller frees. */
char *normalized_input(const char *path);

/* Fails the test, naming `what`, unless texts a and b hold the same words
 * in the same order.  List markers ("•", "1."), underlines and table bars
 * are not words. */
void assert_same_words(const char *what, const char *a, const char *b);

#endif
