/* doc_feed.c - a test reader that hands the core a document the test
 * program built in memory, so that a test can write any tree through the
 * library's whole conversion (options, diagnostics, output in memory).
 *
 * Format "doc-feed": the input's bytes are the address of a quire_doc made
 * with quire_doc_new() in the same process; the reader gives that
 * document, whose ownership passes to the core as for any document read.
 * Only meaningful in-process: a test names the format in its quire_source
 * and passes &doc as the data. */
#include <quire/plugin.h>

#include <stdlib.h>
#include <string.h>

typedef struct feed {
  quire_doc *doc;            /* until read_next hands it over */
  int done;
} feed;

static int feed_open(quire_env *env, quire_input *in,
                     const quire_options *opts, void **state) {
  (void)opts;
  char *buf;
  size_t len;
  if (env->svc->input_read_all(env, in, &buf, &len) != QUIRE_OK)
    return QUIRE_FAILED;
  feed *f = calloc(1, sizeof *f);
  if (!f || len != sizeof f->doc) {
    free(buf);
    free(f);
    env->svc->error(env, NULL, "doc-feed: the input is not a document's "
                               "address");
    return QUIRE_FAILED;
  }
  memcpy(&f->doc, buf, sizeof f->doc);
  free(buf);
  *state = f;
  return QUIRE_OK;
}

static int feed_next(quire_env *env, void *state, quire_doc **doc) {
  (void)env;
  feed *f = state;
  if (f->done)
    return QUIRE_DONE;
  f->done = 1;
  *doc = f->doc;
  f->doc = NULL;
  return QUIRE_OK;
}

static void feed_close(quire_env *env, void *state) {
  feed *f = state;
  if (f->doc)   /* never handed over */
    env->svc->doc_free(f->doc);
  free(f);
}

static const quire_format feed_format = {
    .name = "doc-feed",
    .extensions = "docfeed",
    .description = "a document built in memory by the test program",
    .read_open = feed_open,
    .read_next = feed_next,
    .read_close = feed_close,
};

static const quire_format *const feed_formats[] = {&feed_format};

static const quire_plugin feed_plugin = {
    .abi_major = QUIRE_ABI_MAJOR,
    .abi_minor = QUIRE_ABI_MINOR,
    .struct_size = sizeof(quire_plugin),
    .name = "doc_feed",
    .version = "1.0",
    .flags = QUIRE_PLUGIN_CONCURRENT,
    .formats = feed_formats,
    .n_formats = 1,
};

QUIRE_EXPORT const quire_plugin *QUIRE_PLUGIN_ENTRY(void) {
  return &feed_plugin;
}
