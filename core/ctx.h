/* ctx.h - where diagnostics go while documents are converted.
 *
 * A qctx belongs to one conversion (quire_convert, or one quire_reader) and
 * is used by one thread at a time.  It holds the state of the job being run
 * (one document read, transformed and written): its grade, its error and
 * its warnings.  The session is only read through it, so conversions on
 * several threads share nothing mutable.
 *
 * Every handle the core gives a plugin (a reader, a writer, a transform, a
 * sub-input, a rendering) has a qscope: the env the plugin gets, which
 * leads back to the qctx, the plugin, and the name and depth of the input
 * being read. */
#ifndef QUIRE_CORE_CTX_H
#define QUIRE_CORE_CTX_H

#include <stdarg.h>

#include "session.h"

typedef struct qctx {
  quire_session *s;
  quire_diag_fn diag;
  void *diag_user;
  const quire_job *job;       /* options for sub-readers; NULL outside runs */
  int strict;
  int umask;                  /* the process's, read once (-1: not yet) */
  int mute;                   /* warnings and notes are not told (a first
                                 pass: the second pass tells them) */

  int grade;                  /* of the job: QUIRE_OK, WARN, FAILED, FATAL */
  quire_error error;          /* the job's error; strings below are owned */
  char *error_file;
  char *error_message;
  char *first_warning;        /* for --strict */
  char *drop_reason;
  size_t warnings;            /* in the whole run */

  /* Documents a transform emits during apply(). */
  quire_doc **emitted;
  size_t n_emitted, cap_emitted;
  int applying;
  /* The file the document being written was read from (doc_input). */
  const char *writing_input;

  /* Sub-inputs and renderings closed during the current input: freed when
   * it is done, so that a second close is an error, not a use after free. */
  void **closed;
  size_t n_closed, cap_closed;
} qctx;

typedef struct qscope {
  quire_env env;              /* env.core points back to this scope */
  qctx *ctx;
  loaded_plugin *plugin;
  const char *name;           /* the input's name, for sub-inputs' names */
  int depth;                  /* 0 for a top-level input */
} qscope;

/* Starts a context for a conversion or reader of session s. */
void ctx_init(qctx *c, quire_session *s, const quire_job *job);
/* Frees what the context holds. */
void ctx_free(qctx *c);
/* Forgets the job's grade, error and warnings: a new job begins. */
void ctx_job_reset(qctx *c);
/* Frees the handles closed so far. */
void ctx_release_closed(qctx *c);
/* Keeps a closed handle until ctx_release_closed; frees it at once when
 * memory is exhausted (a second close is then not caught). */
void ctx_keep_closed(qctx *c, void *handle);

/* A scope for plugin p (NULL for none) within c. */
void scope_init(qscope *sc, qctx *c, loaded_plugin *p, const char *name,
                int depth);
qscope *scope_of(const quire_env *env);

/* Records the job's error (replacing any earlier one) and grades it
 * `grade` (QUIRE_FAILED or QUIRE_FATAL), or a usage error when kind says
 * so.  Returns grade. */
int ctx_fail(qctx *c, int grade, quire_error_kind kind, const quire_loc *loc,
             const char *fmt, ...) __attribute__((format(printf, 5, 6)));
int ctx_vfail(qctx *c, int grade, quire_error_kind kind, const quire_loc *loc,
              const char *fmt, va_list ap);
/* Out of memory: a fatal error. */
int ctx_oom(qctx *c);
/* A warning: the job is graded QUIRE_WARN at least, the handler told. */
void ctx_vwarn(qctx *c, const quire_loc *loc, const char *fmt, va_list ap);
void ctx_warn(qctx *c, const quire_loc *loc, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* A note for --verbose. */
void ctx_vinfo(qctx *c, const quire_loc *loc, const char *fmt, va_list ap);
void ctx_info(qctx *c, const quire_loc *loc, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Tells the handler that a job failed and the run goes on. */
void ctx_report_error(qctx *c);
/* Makes sure the job's failure has a message and names a file. */
void ctx_blame(qctx *c, const char *file, const char *what);
/* Raises the job's grade to at least g. */
void ctx_grade(qctx *c, int g);

/* The worse of two results (FATAL < FAILED < WARN < OK). */
int grade_worse(int a, int b);

/* vasprintf without the GNU extension; NULL when memory is exhausted. */
char *format_message(const char *fmt, va_list ap);

#endif
