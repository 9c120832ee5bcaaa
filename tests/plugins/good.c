/* good.c - a complete test plugin.  Format "testfmt" (extension "tst"):
 * the reader makes one paragraph holding the input's text, the writer
 * writes the text of each paragraph on a line.  init sets up private data
 * that every callback checks, so a lost plugin_data shows up as a failed
 * conversion; fini releases it and, when QUIRE_TEST_FINI_FILE names a file,
 * appends a line there so a test can see that fini ran. */
#include <quire/plugin.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define GOOD_MAGIC 0x600df00du

typedef struct good_data {
  unsigned magic;
} good_data;

typedef struct good_reader {
  quire_input *in;
  int done;
} good_reader;

static int has_data(quire_env *env) {
  const good_data *d = env->plugin_data;
  if (d && d->magic == GOOD_MAGIC)
    return 1;
  env->svc->error(env, NULL, "good: plugin_data set by init was lost");
  return 0;
}

static int good_read_open(quire_env *env, quire_input *in,
                          const quire_options *opts, void **state) {
  (void)opts;
  if (!has_data(env))
    return QUIRE_ERR;
  good_reader *r = calloc(1, sizeof *r);
  if (!r) {
    env->svc->error(env, NULL, "out of memory");
    return QUIRE_ERR;
  }
  r->in = in;
  *state = r;
  return QUIRE_OK;
}

static int good_read_next(quire_env *env, void *state, quire_doc **result) {
  good_reader *r = state;
  if (r->done)
    return QUIRE_DONE;
  r->done = 1;
  char *buf;
  size_t len;
  if (env->svc->input_read_all(env, r->in, &buf, &len) != QUIRE_OK)
    return QUIRE_ERR;
  while (len && (buf[len - 1] == '\n' || buf[len - 1] == '\r'))
    len--;
  quire_doc *doc = env->svc->doc_new();
  quire_node *para = doc ? env->svc->node_new(doc, QUIRE_NODE_PARAGRAPH) : NULL;
  quire_node *text =
      para ? env->svc->node_new_text(doc, QUIRE_NODE_TEXT, buf, len) : NULL;
  free(buf);
  if (!text) {
    env->svc->doc_free(doc);
    env->svc->error(env, NULL, "out of memory");
    return QUIRE_ERR;
  }
  if (env->svc->node_append(doc->root, para) != QUIRE_OK ||
      env->svc->node_append(para, text) != QUIRE_OK) {
    env->svc->doc_free(doc);
    env->svc->error(env, NULL, "good: the model refused a paragraph");
    return QUIRE_ERR;
  }
  *result = doc;
  return QUIRE_OK;
}

static void good_read_close(quire_env *env, void *state) {
  (void)env;
  free(state);
}

static int good_write_open(quire_env *env, quire_output *out,
                           const quire_options *opts, const quire_meta *corpus,
                           void **state) {
  (void)opts;
  (void)corpus;
  if (!has_data(env))
    return QUIRE_ERR;
  *state = out;
  return QUIRE_OK;
}

static int good_write_doc(quire_env *env, void *state, const quire_doc *doc) {
  quire_output *out = state;
  quire_iter it;
  env->svc->iter_init(&it, doc->root);
  int rc = QUIRE_OK;
  while (rc == QUIRE_OK && env->svc->iter_next(&it) != QUIRE_EV_DONE) {
    if (it.node->type == QUIRE_NODE_TEXT)
      rc = env->svc->output_write(env, out, it.node->text, it.node->len);
    else if (it.node->type == QUIRE_NODE_PARAGRAPH &&
             it.event == QUIRE_EV_EXIT)
      rc = env->svc->output_write(env, out, "\n", 1);
  }
  return rc;
}

static int good_write_close(quire_env *env, void *state, int ok) {
  (void)env;
  (void)state;
  (void)ok;
  return QUIRE_OK;
}

static int good_init(quire_env *env) {
  good_data *d = malloc(sizeof *d);
  if (!d) {
    env->svc->error(env, NULL, "out of memory");
    return QUIRE_ERR;
  }
  d->magic = GOOD_MAGIC;
  env->plugin_data = d;
  return QUIRE_OK;
}

static void good_fini(quire_env *env) {
  good_data *d = env->plugin_data;
  const char *marker = getenv("QUIRE_TEST_FINI_FILE");
  if (marker && marker[0]) {
    FILE *f = fopen(marker, "a");
    if (f) {
      fprintf(f, "good %s\n",
              d && d->magic == GOOD_MAGIC ? "data-ok" : "data-lost");
      fclose(f);
    }
  }
  free(d);
  env->plugin_data = NULL;
}

static const quire_format good_formats[] = {{
    .name = "testfmt",
    .extensions = "tst",
    .mime_type = "text/x-quire-test",
    .description = "test format of good.so",
    .read_open = good_read_open,
    .read_next = good_read_next,
    .read_close = good_read_close,
    .write_open = good_write_open,
    .write_doc = good_write_doc,
    .write_close = good_write_close,
}};

static const quire_format *const good_format_list[] = {&good_formats[0]};

static const quire_plugin good_plugin = {
    .abi_major = QUIRE_ABI_MAJOR,
    .abi_minor = QUIRE_ABI_MINOR,
    .struct_size = sizeof(quire_plugin),
    .name = "good",
    .version = "1.2.3",
    .flags = QUIRE_PLUGIN_CONCURRENT,
    .formats = good_format_list,
    .n_formats = sizeof good_formats / sizeof good_formats[0],
    .init = good_init,
    .fini = good_fini,
};

QUIRE_EXPORT const quire_plugin *QUIRE_PLUGIN_ENTRY(void) {
  return &good_plugin;
}
