/* session.c - a session's life, its last error and its diagnostics. */
#include <quire/quire.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctx.h"
#include "loader.h"
#include "session.h"

const char *quire_version(void) { return QUIRE_VERSION; }

quire_session *quire_session_new(void) {
  quire_session *s = calloc(1, sizeof *s);
  if (!s)
    return NULL;
  for (size_t i = 0; i < QUIRE_LIMIT_COUNT; i++)
    s->limits[i] = quire_limit_default(i);
  s->error.message = "";
  return s;
}

void quire_session_free(quire_session *s) {
  if (!s)
    return;
  loader_unload_all(s);
  for (size_t i = 0; i < s->n_plugin_dirs; i++)
    free(s->plugin_dirs[i]);
  free(s->plugin_dirs);
  free(s->formats);
  free(s->transforms);
  free(s->error_file);
  free(s->error_message);
  free(s);
}

void quire_set_diag(quire_session *s, quire_diag_fn fn, void *user) {
  s->diag = fn;
  s->diag_user = user;
}

void quire_set_verbose(quire_session *s, int verbose) { s->verbose = verbose; }

const quire_error *quire_error_get(const quire_session *s) {
  return &s->error;
}

void session_clear_error(quire_session *s) {
  free(s->error_file);
  free(s->error_message);
  s->error_file = s->error_message = NULL;
  memset(&s->error, 0, sizeof s->error);
  s->error.message = "";
}

void session_vfail(quire_session *s, quire_error_kind kind,
                   const quire_loc *loc, const char *fmt, va_list ap) {
  session_clear_error(s);
  s->error.kind = kind;
  s->error_message = format_message(fmt, ap);
  s->error.message = s->error_message ? s->error_message : "out of memory";
  if (loc) {
    if (loc->file) {
      s->error_file = strdup(loc->file);
      s->error.file = s->error_file;
    }
    s->error.line = loc->line;
    s->error.column = loc->column;
    s->error.offset = loc->offset;
  }
}

void session_fail(quire_session *s, quire_error_kind kind,
                  const quire_loc *loc, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  session_vfail(s, kind, loc, fmt, ap);
  va_end(ap);
}

void session_vdiag(quire_session *s, quire_severity sev, const quire_loc *loc,
                   const char *fmt, va_list ap) {
  if (!s->diag || (sev == QUIRE_SEV_INFO && !s->verbose))
    return;
  char *msg = format_message(fmt, ap);
  s->diag(s->diag_user, sev, loc, msg ? msg : "out of memory");
  free(msg);
}

void session_diag(quire_session *s, quire_severity sev, const quire_loc *loc,
                  const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  session_vdiag(s, sev, loc, fmt, ap);
  va_end(ap);
}

char *quire_error_format(const quire_error *e, char *buf, size_t size) {
  if (size == 0)
    return buf;
  if (!e->file)
    snprintf(buf, size, "%s", e->message);
  else if (e->line && e->column)
    snprintf(buf, size, "%s:%lu:%lu: %s", e->file, e->line, e->column,
             e->message);
  else if (e->line)
    snprintf(buf, size, "%s:%lu: %s", e->file, e->line, e->message);
  else if (e->offset)
    snprintf(buf, size, "%s: byte %llu: %s", e->file, e->offset - 1,
             e->message);
  else
    snprintf(buf, size, "%s: %s", e->file, e->message);
  return buf;
}
