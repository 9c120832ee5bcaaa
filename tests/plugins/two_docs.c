/* two_docs.c - a test reader that breaks its promise: its format says
 * QUIRE_FORMAT_ONE_DOCUMENT, yet it gives two documents per input (a
 * paragraph of the input's text each).  The core must fail the second, the
 * same way whatever the number of threads (test_one_document). */
#include <quire/plugin.h>

#include <stdlib.h>

typedef struct two {
  char *text;
  size_t len;
  int given;
} two;

static int two_open(quire_env *env, quire_input *in, const quire_options *opts,
                    void **state) {
  (void)opts;
  two *t = calloc(1, sizeof *t);
  if (!t || env->svc->input_read_all(env, in, &t->text, &t->len) != QUIRE_OK) {
    free(t);
    return QUIRE_FAILED;
  }
  *state = t;
  return QUIRE_OK;
}

static int two_next(quire_env *env, void *state, quire_doc **result) {
  const quire_services *svc = env->svc;
  two *t = state;
  if (t->given == 2)
    return QUIRE_DONE;
  t->given++;
  quire_doc *doc = svc->doc_new();
  quire_node *para = doc ? svc->node_new(doc, QUIRE_NODE_PARAGRAPH) : NULL;
  quire_node *text =
      para ? svc->node_new_text(doc, QUIRE_NODE_TEXT, t->text, t->len) : NULL;
  if (!text || svc->node_append(doc->root, para) != QUIRE_OK ||
      svc->node_append(para, text) != QUIRE_OK) {
    svc->doc_free(doc);
    svc->error(env, NULL, "out of memory");
    return QUIRE_FATAL;
  }
  *result = doc;
  return QUIRE_OK;
}

static void two_close(quire_env *env, void *state) {
  (void)env;
  two *t = state;
  free(t->text);
  free(t);
}

static const quire_format two_format = {
    .name = "two-docs",
    .extensions = "twodocs",
    .description = "two documents per input, though its flag says one",
    .read_open = two_open,
    .read_next = two_next,
    .read_close = two_close,
    .flags = QUIRE_FORMAT_ONE_DOCUMENT,
};

static const quire_format *const two_formats[] = {&two_format};

static const quire_plugin two_plugin = {
    .abi_major = QUIRE_ABI_MAJOR,
    .abi_minor = QUIRE_ABI_MINOR,
    .struct_size = sizeof(quire_plugin),
    .name = "two_docs",
    .version = "1.0",
    .flags = QUIRE_PLUGIN_CONCURRENT,
    .formats = two_formats,
    .n_formats = 1,
};

QUIRE_EXPORT const quire_plugin *QUIRE_PLUGIN_ENTRY(void) {
  return &two_plugin;
}
