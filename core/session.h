/* session.h - the session's private state, shared by the core's files. */
#ifndef QUIRE_CORE_SESSION_H
#define QUIRE_CORE_SESSION_H

#include <quire/quire.h>

#include "limit_table.h"

/* One loaded plugin. */
typedef struct loaded_plugin {
  void *handle;               /* from dlopen */
  char *path;
  quire_plugin desc;          /* a copy, zero past the plugin's struct_size */
  quire_env env;              /* the plugin's env: plugin_data lives here */
  quire_format_info *format_infos;        /* one per format it registered */
  quire_transform_info *transform_infos;
} loaded_plugin;

struct quire_session {
  loaded_plugin **plugins;
  size_t n_plugins;
  /* Pointers into the plugins' info arrays, which never move, so an info
   * handed out stays valid while more plugins load. */
  quire_format_info **formats;
  size_t n_formats;
  quire_transform_info **transforms;
  size_t n_transforms;

  char **plugin_dirs;
  size_t n_plugin_dirs;

  uint64_t limits[QUIRE_LIMIT_COUNT];
  int verbose;
  quire_diag_fn diag;
  void *diag_user;

  quire_error error;          /* strings below are owned */
  char *error_file;
  char *error_message;
};

/* The env a plugin's callbacks get for this session. */
void session_env(quire_session *s, loaded_plugin *p, quire_env *env);
/* The session behind an env handed to a plugin. */
quire_session *session_from_env(const quire_env *env);

/* Records the session's error (replacing the last one). */
void session_fail(quire_session *s, quire_error_kind kind,
                  const quire_loc *loc, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
void session_vfail(quire_session *s, quire_error_kind kind,
                   const quire_loc *loc, const char *fmt, va_list ap);
void session_clear_error(quire_session *s);

/* Sends a warning or verbose note to the diagnostics handler. */
void session_diag(quire_session *s, quire_severity sev, const quire_loc *loc,
                  const char *fmt, ...) __attribute__((format(printf, 4, 5)));
void session_vdiag(quire_session *s, quire_severity sev, const quire_loc *loc,
                   const char *fmt, va_list ap);

/* Fills what a document must have after reading: its source path, a
 * title (the file name without extension when the reader found none) and,
 * when given, the language it lacks.  QUIRE_ERR when memory is exhausted. */
int doc_finish(quire_doc *doc, const char *path, const char *lang);

/* The services table handed to plugins. */
extern const quire_services session_services;

#endif
