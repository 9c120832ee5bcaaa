/* epubcheck_run.c - epubcheck over many books; see epubcheck_run.h. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "epubcheck_run.h"
#include "run_cmd.h"
#include "skip_note.h"

#define EPUBCHECK_JAR "/usr/share/java/epubcheck.jar"

/* The flags of every epubcheck run: C1 only, as the checks are too short
 * for the optimizing compiler to pay off. */
#define JAVA_FLAGS "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"

/* The java program on PATH, or NULL. */
static const char *find_java(void) {
  static char found[1024];
  const char *path = getenv("PATH");
  if (!path)
    path = "/usr/bin:/bin";
  while (*path) {
    size_t n = strcspn(path, ":");
    snprintf(found, sizeof found, "%.*s/java", (int)n, path);
    if (n && access(found, X_OK) == 0)
      return found;
    path += n + (path[n] == ':');
  }
  return NULL;
}

const char *epubcheck_jar(void) {
  const char *jar = getenv("QUIRE_EPUBCHECK_JAR");
  return jar && *jar ? jar : EPUBCHECK_JAR;
}

int epubcheck_available(void) {
  return find_java() && access(epubcheck_jar(), R_OK) == 0;
}

void epubcheck_require(void) {
  if (!epubcheck_available())
    test_skip("epubcheck not installed (java and %s, Debian package "
              "epubcheck)", epubcheck_jar());
}

/* The compiled EpubcheckEach, when javac was found at configure time. */
static const char *driver_dir(void) {
#ifdef EPUBCHECK_EACH_DIR
  if (access(EPUBCHECK_EACH_DIR "/EpubcheckEach.class", R_OK) == 0)
    return EPUBCHECK_EACH_DIR;
#endif
  return NULL;
}

static char *copy_of(const char *s, size_t n) {
  char *c = malloc(n + 1);
  assert_non_null(c);
  memcpy(c, s, n);
  c[n] = '\0';
  return c;
}

/* All the books in one VM; books without both markers were not checked
 * (Java failed or was killed first): their text is Java's output. */
static void all_at_once(const char *dir, const char *const *books, size_t n,
                        epubcheck_result *res) {
  char cp[1200];
  snprintf(cp, sizeof cp, "%s:%s", dir, epubcheck_jar());
  const char **argv = calloc(n + 8, sizeof *argv);
  assert_non_null(argv);
  size_t a = 0;
  const char *head[] = {find_java(), JAVA_FLAGS, "-cp", cp, "EpubcheckEach"};
  for (size_t i = 0; i < sizeof head / sizeof *head; i++)
    argv[a++] = head[i];
  for (size_t i = 0; i < n; i++)
    argv[a++] = books[i];
  run_result r = {0};
  run_opts o = {.timeout = 3000};
  if (run_cmd(argv, &o, &r) != 0)
    fail_msg("cannot run java: %s", strerror(errno));
  free(argv);
  for (size_t i = 0; i < n; i++) {
    size_t m = strlen(books[i]) + 16;
    char *mark = malloc(m);
    assert_non_null(mark);
    snprintf(mark, m, "@@@ BOOK %s\n", books[i]);
    const char *from = strstr(r.out, mark);
    const char *to = from ? strstr(from, "@@@ STATUS ") : NULL;
    if (!to) {
      char outcome[96];
      size_t len = r.out_len + r.err_len + 128;
      res[i].text = malloc(len);
      assert_non_null(res[i].text);
      snprintf(res[i].text, len, "not checked (java: %s)\n%s\n%s",
               run_result_describe(&r, outcome, sizeof outcome), r.out,
               r.err);
      res[i].status = -1;
    } else {
      from += strlen(mark);
      res[i].text = copy_of(from, (size_t)(to - from));
      res[i].status = atoi(to + strlen("@@@ STATUS "));
    }
    free(mark);
  }
  run_result_free(&r);
}

/* One VM per book, the slow way: without javac there is no EpubcheckEach. */
static void one_by_one(const char *const *books, size_t n,
                       epubcheck_result *res) {
  for (size_t i = 0; i < n; i++) {
    const char *argv[] = {find_java(), JAVA_FLAGS, "-jar", epubcheck_jar(),
                          books[i], NULL};
    run_result r = {0};
    run_opts o = {.timeout = 300};
    if (run_cmd(argv, &o, &r) != 0)
      fail_msg("cannot run java: %s", strerror(errno));
    size_t len = r.out_len + r.err_len + 2;
    res[i].text = malloc(len);
    assert_non_null(res[i].text);
    snprintf(res[i].text, len, "%s\n%s", r.out, r.err);
    res[i].status = r.exited ? r.status : -1;
    run_result_free(&r);
  }
}

void epubcheck_books(const char *const *books, size_t n,
                     epubcheck_result *res, int *slow) {
  const char *dir = driver_dir();
  if (slow)
    *slow = dir == NULL;
  if (dir)
    all_at_once(dir, books, n, res);
  else
    one_by_one(books, n, res);
}

int epubcheck_clean(const epubcheck_result *r) {
  return r->status == 0 && strstr(r->text, "No errors or warnings detected") &&
         !strstr(r->text, "WARNING") && !strstr(r->text, "ERROR") &&
         !strstr(r->text, "FATAL");
}

int epubcheck_errors(const epubcheck_result *r) {
  return r->status != 0 || strstr(r->text, "ERROR") ||
         strstr(r->text, "FATAL");
}
