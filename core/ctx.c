/* ctx.c - diagnostics of the job being run, and the scopes plugins see. */
#include <quire/quire.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctx.h"

char *format_message(const char *fmt, va_list ap) {
  va_list copy;
  va_copy(copy, ap);
  int n = vsnprintf(NULL, 0, fmt, copy);
  va_end(copy);
  if (n < 0)
    return NULL;
  char *buf = malloc((size_t)n + 1);
  if (buf)
    vsnprintf(buf, (size_t)n + 1, fmt, ap);
  return buf;
}

static int rank(int grade) {
  switch (grade) {
  case QUIRE_FATAL: return 3;
  case QUIRE_FAILED: return 2;
  case QUIRE_WARN: return 1;
  default: return 0;
  }
}

int grade_worse(int a, int b) { return rank(b) > rank(a) ? b : a; }

void ctx_grade(qctx *c, int g) { c->grade = grade_worse(c->grade, g); }

void ctx_init(qctx *c, quire_session *s, const quire_job *job) {
  memset(c, 0, sizeof *c);
  c->s = s;
  c->job = job;
  c->diag = s->diag;
  c->diag_user = s->diag_user;
  c->umask = -1;
  c->error.message = "";
}

static void clear_error(qctx *c) {
  free(c->error_file);
  free(c->error_message);
  c->error_file = c->error_message = NULL;
  memset(&c->error, 0, sizeof c->error);
  c->error.message = "";
}

void ctx_job_reset(qctx *c) {
  clear_error(c);
  free(c->first_warning);
  free(c->drop_reason);
  c->first_warning = c->drop_reason = NULL;
  c->grade = QUIRE_OK;
}

void ctx_release_closed(qctx *c) {
  for (size_t i = 0; i < c->n_closed; i++)
    free(c->closed[i]);
  c->n_closed = 0;
}

void ctx_keep_closed(qctx *c, void *handle) {
  if (c->n_closed == c->cap_closed) {
    size_t cap = c->cap_closed ? c->cap_closed * 2 : 16;
    void **grown = realloc(c->closed, cap * sizeof *grown);
    if (!grown) {
      free(handle);
      return;
    }
    c->closed = grown;
    c->cap_closed = cap;
  }
  c->closed[c->n_closed++] = handle;
}

void ctx_free(qctx *c) {
  ctx_job_reset(c);
  ctx_release_closed(c);
  free(c->closed);
  for (size_t i = 0; i < c->n_emitted; i++)
    quire_doc_free(c->emitted[i]);
  free(c->emitted);
  memset(c, 0, sizeof *c);
}

void scope_init(qscope *sc, qctx *c, loaded_plugin *p, const char *name,
                int depth) {
  sc->env.svc = &session_services;
  sc->env.plugin_data = p ? p->plugin_data : NULL;
  sc->env.core = sc;
  sc->ctx = c;
  sc->plugin = p;
  sc->name = name;
  sc->depth = depth;
}

qscope *scope_of(const quire_env *env) { return env->core; }

int ctx_vfail(qctx *c, int grade, quire_error_kind kind, const quire_loc *loc,
              const char *fmt, va_list ap) {
  clear_error(c);
  c->error.kind = kind;
  c->error_message = format_message(fmt, ap);
  c->error.message = c->error_message ? c->error_message : "out of memory";
  if (loc) {
    if (loc->file) {
      c->error_file = strdup(loc->file);
      c->error.file = c->error_file;
    }
    c->error.line = loc->line;
    c->error.column = loc->column;
    c->error.offset = loc->offset;
  }
  ctx_grade(c, kind == QUIRE_ERROR_USAGE ? QUIRE_FATAL : grade);
  return kind == QUIRE_ERROR_USAGE ? QUIRE_FATAL : grade;
}

int ctx_fail(qctx *c, int grade, quire_error_kind kind, const quire_loc *loc,
             const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int rc = ctx_vfail(c, grade, kind, loc, fmt, ap);
  va_end(ap);
  return rc;
}

int ctx_oom(qctx *c) {
  return ctx_fail(c, QUIRE_FATAL, QUIRE_ERROR_CONVERSION, NULL,
                  "out of memory");
}

static void tell(qctx *c, quire_severity sev, const quire_loc *loc,
                 const char *msg) {
  if (c->mute && sev != QUIRE_SEV_ERROR)
    return;
  if (c->diag && (sev != QUIRE_SEV_INFO || c->s->verbose))
    c->diag(c->diag_user, sev, loc, msg);
}

void ctx_vwarn(qctx *c, const quire_loc *loc, const char *fmt, va_list ap) {
  char *msg = format_message(fmt, ap);
  ctx_grade(c, QUIRE_WARN);
  c->warnings += !c->mute;
  if (!c->first_warning && msg) {
    quire_error e = {.message = msg};
    if (loc) {
      e.file = loc->file;
      e.line = loc->line;
      e.column = loc->column;
      e.offset = loc->offset;
    }
    char buf[2048];
    c->first_warning = strdup(quire_error_format(&e, buf, sizeof buf));
  }
  tell(c, QUIRE_SEV_WARNING, loc, msg ? msg : "out of memory");
  free(msg);
}

void ctx_warn(qctx *c, const quire_loc *loc, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  ctx_vwarn(c, loc, fmt, ap);
  va_end(ap);
}

void ctx_vinfo(qctx *c, const quire_loc *loc, const char *fmt, va_list ap) {
  if (!c->diag || !c->s->verbose)
    return;
  char *msg = format_message(fmt, ap);
  tell(c, QUIRE_SEV_INFO, loc, msg ? msg : "out of memory");
  free(msg);
}

void ctx_info(qctx *c, const quire_loc *loc, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  ctx_vinfo(c, loc, fmt, ap);
  va_end(ap);
}

void ctx_report_error(qctx *c) {
  quire_loc loc = {c->error.file, c->error.line, c->error.column,
                   c->error.offset};
  tell(c, QUIRE_SEV_ERROR, c->error.file ? &loc : NULL, c->error.message);
}

void ctx_blame(qctx *c, const char *file, const char *what) {
  if (c->error.kind == QUIRE_ERROR_NONE) {
    quire_loc loc = {.file = file};
    int g = c->grade == QUIRE_FATAL ? QUIRE_FATAL : QUIRE_FAILED;
    ctx_fail(c, g, QUIRE_ERROR_CONVERSION, &loc, "%s failed", what);
  } else if (!c->error.file && file && c->error.kind != QUIRE_ERROR_USAGE) {
    c->error_file = strdup(file);
    c->error.file = c->error_file;
  }
}
