/* services.c - the table of core functions handed to plugins. */
#include <quire/quire.h>

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "compose.h"
#include "ctx.h"
#include "stream.h"

void plugin_enter(loaded_plugin *p) {
  if (p && !(p->desc.flags & QUIRE_PLUGIN_CONCURRENT))
    pthread_mutex_lock(&p->lock);
}

void plugin_leave(loaded_plugin *p) {
  if (p && !(p->desc.flags & QUIRE_PLUGIN_CONCURRENT))
    pthread_mutex_unlock(&p->lock);
}

static void svc_error(quire_env *env, const quire_loc *loc, const char *fmt,
                      ...) {
  va_list ap;
  va_start(ap, fmt);
  ctx_vfail(scope_of(env)->ctx, QUIRE_FAILED, QUIRE_ERROR_CONVERSION, loc, fmt,
            ap);
  va_end(ap);
}

static void svc_warn(quire_env *env, const quire_loc *loc, const char *fmt,
                     ...) {
  va_list ap;
  va_start(ap, fmt);
  ctx_vwarn(scope_of(env)->ctx, loc, fmt, ap);
  va_end(ap);
}

static void svc_info(quire_env *env, const quire_loc *loc, const char *fmt,
                     ...) {
  va_list ap;
  va_start(ap, fmt);
  ctx_vinfo(scope_of(env)->ctx, loc, fmt, ap);
  va_end(ap);
}

static int svc_usage_error(quire_env *env, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int rc = ctx_vfail(scope_of(env)->ctx, QUIRE_FATAL, QUIRE_ERROR_USAGE, NULL,
                     fmt, ap);
  va_end(ap);
  return rc;
}

static int svc_verbose(quire_env *env) {
  return scope_of(env)->ctx->s->verbose;
}

static uint64_t svc_limit(quire_env *env, const char *name) {
  return quire_limit_get(scope_of(env)->ctx->s, name);
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
static int svc_input_is_sub(const quire_input *in) { return in->sub; }
static int svc_input_format_named(const quire_input *in) {
  return in->format_named;
}
static const char *svc_output_path(const quire_output *out) {
  /* The output is the core's: naming its unnamed file changes nothing the
   * writer sees but the path it is given. */
  return output_tmp_path((quire_output *)out);
}
static const char *svc_output_name(const quire_output *out) {
  return out->name;
}
static const char *svc_output_target(const quire_output *out) {
  return out->target && !out->direct ? out->name : NULL;
}

static unsigned svc_threads(quire_env *env) {
  const quire_job *job = scope_of(env)->ctx->job;
  return job && job->threads > 1 ? job->threads : 1;
}

static int svc_emit(quire_env *env, quire_doc *doc) {
  qctx *c = scope_of(env)->ctx;
  if (!doc)
    return QUIRE_FAILED;
  if (!c->applying) {
    quire_doc_free(doc);
    return ctx_fail(c, QUIRE_FATAL, QUIRE_ERROR_CONVERSION, NULL,
                    "emit() called outside a transform's apply()");
  }
  if (c->n_emitted == c->cap_emitted) {
    size_t cap = c->cap_emitted ? c->cap_emitted * 2 : 4;
    quire_doc **grown = realloc(c->emitted, cap * sizeof *grown);
    if (!grown) {
      quire_doc_free(doc);
      return ctx_oom(c);
    }
    c->emitted = grown;
    c->cap_emitted = cap;
  }
  c->emitted[c->n_emitted++] = doc;
  return QUIRE_OK;
}

static int svc_drop(quire_env *env, const char *fmt, ...) {
  qctx *c = scope_of(env)->ctx;
  va_list ap;
  va_start(ap, fmt);
  free(c->drop_reason);
  c->drop_reason = format_message(fmt, ap);
  va_end(ap);
  return QUIRE_DROP;
}

static const char *svc_doc_input(quire_env *env) {
  return scope_of(env)->ctx->writing_input;
}

const quire_services session_services = {
  .struct_size = sizeof(quire_services),
  .error = svc_error,
  .warn = svc_warn,
  .info = svc_info,
  .usage_error = svc_usage_error,
  .verbose = svc_verbose,
  .limit = svc_limit,
  .option = svc_option,
  .input_read = stream_read,
  .input_read_all = stream_read_all,
  .input_name = svc_input_name,
  .input_path = svc_input_path,
  .output_write = stream_write,
  .output_path = svc_output_path,
  .output_name = svc_output_name,
  .sub_open = compose_sub_open,
  .sub_next = compose_sub_next,
  .sub_close = compose_sub_close,
  .render_open = compose_render_open,
  .render_doc = compose_render_doc,
  .render_close = compose_render_close,
  .emit = svc_emit,
  .drop = svc_drop,
  .doc_new = quire_doc_new,
  .doc_free = quire_doc_free,
  .doc_adopt = quire_doc_adopt,
  .alloc = quire_doc_alloc,
  .strndup = quire_doc_strndup,
  .node_new = quire_node_new,
  .node_new_text = quire_node_new_text,
  .node_append = quire_node_append,
  .node_insert_before = quire_node_insert_before,
  .node_unlink = quire_node_unlink,
  .node_can_contain = quire_node_can_contain,
  .node_is_leaf = quire_node_is_leaf,
  .node_is_inline = quire_node_is_inline,
  .node_type_name = quire_node_type_name,
  .iter_init = quire_iter_init,
  .iter_next = quire_iter_next,
  .meta_get = quire_meta_get,
  .meta_set = quire_meta_set,
  .meta_add = quire_meta_add,
  .doc_input = svc_doc_input,
  .sub_format = compose_sub_format,
  .node_set_attr = quire_node_set_attr,
  .node_attr = quire_node_attr,
  .res_add = quire_res_add,
  .res_find = quire_res_find,
  .res_read = quire_res_read,
  .media_type_of = quire_media_type_of,
  .input_is_sub = svc_input_is_sub,
  .input_format_named = svc_input_format_named,
  .output_target = svc_output_target,
  .threads = svc_threads,
};
