/* services.c - the table of core functions handed to plugins. */
#include <quire/quire.h>

#include <stdarg.h>
#include <string.h>

#include "session.h"
#include "stream.h"

void session_env(quire_session *s, loaded_plugin *p, quire_env *env) {
  (void)p;
  env->svc = &session_services;
  env->plugin_data = NULL;
  env->core = s;
}

quire_session *session_from_env(const quire_env *env) { return env->core; }

static void svc_error(quire_env *env, const quire_loc *loc, const char *fmt,
                      ...) {
  va_list ap;
  va_start(ap, fmt);
  session_vfail(session_from_env(env), QUIRE_ERROR_CONVERSION, loc, fmt, ap);
  va_end(ap);
}

static void svc_warn(quire_env *env, const quire_loc *loc, const char *fmt,
                     ...) {
  va_list ap;
  va_start(ap, fmt);
  session_vdiag(session_from_env(env), QUIRE_SEV_WARNING, loc, fmt, ap);
  va_end(ap);
}

static void svc_usage_error(quire_env *env, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  session_vfail(session_from_env(env), QUIRE_ERROR_USAGE, NULL, fmt, ap);
  va_end(ap);
}

static int svc_verbose(quire_env *env) {
  return session_from_env(env)->verbose;
}

static uint64_t svc_limit(quire_env *env, const char *name) {
  return quire_limit_get(session_from_env(env), name);
}

static const char *svc_option(const quire_options *opts, const char *name) {
  const char *value = NULL;
  for (size_t i = 0; opts && i < opts->count; i++)
    if (strcmp(opts->items[i].name, name) == 0)
      value = opts->items[i].value;   /* the last one given wins */
  return value;
}

static const char *svc_input_name(const quire_input *in) { return in->name; }
static const char *svc_input_path(const quire_input *in) { return in->path; }
static const char *svc_output_path(const quire_output *out) {
  return out->tmp;
}

const quire_services session_services = {
  .struct_size = sizeof(quire_services),
  .error = svc_error,
  .warn = svc_warn,
  .verbose = svc_verbose,
  .limit = svc_limit,
  .option = svc_option,
  .input_read = stream_read,
  .input_read_all = stream_read_all,
  .input_name = svc_input_name,
  .input_path = svc_input_path,
  .output_write = stream_write,
  .output_path = svc_output_path,
  .doc_new = quire_doc_new,
  .doc_free = quire_doc_free,
  .alloc = quire_doc_alloc,
  .strndup = quire_doc_strndup,
  .node_new = quire_node_new,
  .node_new_text = quire_node_new_text,
  .node_append = quire_node_append,
  .node_unlink = quire_node_unlink,
  .meta_get = quire_meta_get,
  .meta_set = quire_meta_set,
  .meta_add = quire_meta_add,
  .usage_error = svc_usage_error,
};
