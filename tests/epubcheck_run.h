/* epubcheck_run.h - epubcheck over many books, in one Java VM when it can.
 *
 * Starting Java and loading epubcheck's schemas takes seconds; checking a
 * small book after that a fraction of one.  So the tests gather the books
 * they want checked and check them all at once, with EpubcheckEach.java
 * (compiled when javac is found at configure time: EPUBCHECK_EACH_DIR),
 * else with one VM per book. */
#ifndef QUIRE_TESTS_EPUBCHECK_RUN_H
#define QUIRE_TESTS_EPUBCHECK_RUN_H

#include <stddef.h>

/* The jar: $QUIRE_EPUBCHECK_JAR, else Debian's. */
const char *epubcheck_jar(void);
/* Non-zero when java and the epubcheck jar are here. */
int epubcheck_available(void);
/* Skips the current test when epubcheck cannot run here. */
void epubcheck_require(void);

/* What epubcheck said of one book. */
typedef struct epubcheck_result {
  char *text;        /* its messages (malloc'd), "" when not checked */
  int status;        /* its exit status; -1: not checked (Java failed) */
} epubcheck_result;

/* Checks the n books; res[i] describes books[i] (free each text).
 * *one_by_one (may be NULL) is set when there was no EpubcheckEach. */
void epubcheck_books(const char *const *books, size_t n,
                     epubcheck_result *res, int *one_by_one);

/* Non-zero when epubcheck's text and status are a clean bill: status 0,
 * "No errors or warnings detected", and no WARNING, ERROR or FATAL. */
int epubcheck_clean(const epubcheck_result *r);
/* Non-zero when epubcheck found an error (ERROR or FATAL, or no verdict). */
int epubcheck_errors(const epubcheck_result *r);

#endif
