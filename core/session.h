/* session.h - the session's private state, shared by the core's files. */
#ifndef QUIRE_CORE_SESSION_H
#define QUIRE_CORE_SESSION_H

#include <pthread.h>
#include <quire/quire.h>

#include "limit_table.h"

/* One loaded plugin. */
typedef struct loaded_plugin {
  void *handle;               /* from dlopen */
  char *path;
  quire_plugin desc;          /* a copy, zero past the plugin's struct_size */
  void *plugin_data;          /* what its init stored */
  /* Held around every call into a plugin that is not
   * QUIRE_PLUGIN_CONCURRENT; recursive, since a plugin's reader may read a
   * sub-input of its own format. */
  pthread_mutex_t lock;
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

/* Around every call into plugin p: takes p's lock unless p is concurrent.
 * NULL is allowed. */
void plugin_enter(loaded_plugin *p);
void plugin_leave(loaded_plugin *p);

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

/* Fills what a document must have after reading: its source path (unless
 * path is NULL or "-"), a title (the file name without extension when the
 * reader found none; `name` when there is no path) and, when given, the
 * language it lacks.  QUIRE_ERR when memory is exhausted. */
int doc_finish(quire_doc *doc, const char *path, const char *name,
               const char *lang);

/* The services table handed to plugins. */
extern const quire_services session_services;

#endif
