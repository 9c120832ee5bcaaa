/* pandoc_run.h - pandoc itself, for the tests of the pandoc-json format:
 * found on PATH, run on a string. */
#ifndef QUIRE_TESTS_PANDOC_RUN_H
#define QUIRE_TESTS_PANDOC_RUN_H

/* The pandoc program on PATH, or NULL. */
const char *pandoc_program(void);

/* Skips the test (skip_note.h) when pandoc is not on PATH. */
void require_pandoc(void);

/* Runs pandoc with the arguments (NULL-terminated) on `in` (standard
 * input; NULL: none); fails the test unless it exits 0.  Returns its
 * standard output; the caller frees it. */
char *run_pandoc(const char *in, ...);

#endif
