/* run_cmd.h - runs a program with given arguments, standard input and
 * environment, and captures its exit status, standard output and standard
 * error.  No shell is involved. */
#ifndef QUIRE_TESTS_RUN_CMD_H
#define QUIRE_TESTS_RUN_CMD_H

#include <stddef.h>

typedef struct run_result {
  int exited;         /* 1 when the program exited (status is meaningful);
                         never with timed_out */
  int status;         /* exit status when exited, else 0 */
  int signal;         /* the signal that ended it, 0 when it exited */
  int timed_out;      /* 1 when it was killed for running too long */
  int timeout;        /* the limit it ran under, in seconds */
  char *out;          /* standard output, NUL-terminated (may hold NULs) */
  size_t out_len;
  char *err;          /* standard error, NUL-terminated */
  size_t err_len;
} run_result;

typedef struct run_opts {
  /* Bytes fed to standard input; with stdin_data NULL the program reads
   * /dev/null. */
  const char *stdin_data;
  size_t stdin_len;
  /* "NAME=VALUE" strings added to (or replacing in) the environment,
   * NULL-terminated; NULL for none. */
  const char *const *env;
  /* Working folder of the program; NULL: the caller's. */
  const char *cwd;
  /* With set_umask, the program runs with this umask. */
  int set_umask;
  unsigned umask;
  /* Seconds after which the program is killed; 0: 60. */
  int timeout;
} run_opts;

/* Runs argv[0] (a path, not searched in PATH) with argv.  Returns 0 when
 * the program ran and *r holds its outcome (free it with run_result_free),
 * -1 when it could not be started or watched (errno is set, *r is empty). */
int run_cmd(const char *const *argv, const run_opts *opts, run_result *r);

/* What became of the program, for messages: "exit 3", "killed by signal 11
 * (Segmentation fault)" or "killed after 60 s (timeout)".  Writes at most n
 * bytes to buf and returns buf. */
const char *run_result_describe(const run_result *r, char *buf, size_t n);

/* Frees what run_cmd stored in *r and empties it; safe to call twice. */
void run_result_free(run_result *r);

#endif
