/* pack.c - an example container format: files inside a file.
 *
 * A pack is plain text: a first line "QPACK 1", then for each file a line
 * "SIZE NAME" and the file's SIZE bytes followed by a newline:
 *
 *     QPACK 1
 *     14 hello.txt
 *     Hello, world.
 *
 *     27 page.html
 *     <p>A <em>small</em> page.</p>
 *
 * The reader does not read what a pack holds itself: it hands each file to
 * the core as a sub-input (svc->sub_open), and the core reads it with the
 * reader its name or content calls for: txt, html, epub, or a pack in a
 * pack.  The writer does the converse: it renders each document through
 * another writer into memory (svc->render_open, default txt; --pack-format
 * FORMAT names another) and stores the bytes as one file of the pack.
 *
 * Build it like upper.c:
 *
 *     cc -shared -fPIC $(pkg-config --cflags quire) pack.c -o pack.so
 *     quire --plugin-dir . notes/ -o notes.qpack
 *     quire --plugin-dir . notes.qpack -t html -o notes.html
 */
#include <quire/plugin.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PACK_MAGIC "QPACK 1\n"

/* ---- Reader ------------------------------------------------------------ */

typedef struct pack_reader {
  char *bytes;               /* the whole pack, read once */
  size_t len, pos;
  unsigned long line;        /* of the next entry's header, for messages */
  quire_sub *sub;            /* the file being read, or NULL */
  const char *name;          /* the pack's name, for messages */
} pack_reader;

static int pack_sniff(const unsigned char *head, size_t len) {
  return len >= 8 && memcmp(head, PACK_MAGIC, 8) == 0 ? 100 : 0;
}

static int pack_read_open(quire_env *env, quire_input *in,
                          const quire_options *opts, void **state) {
  (void)opts;
  pack_reader *r = calloc(1, sizeof *r);
  if (!r) {
    env->svc->error(env, NULL, "out of memory");
    return QUIRE_FATAL;
  }
  r->name = env->svc->input_name(in);
  if (env->svc->input_read_all(env, in, &r->bytes, &r->len) != QUIRE_OK) {
    free(r);
    return QUIRE_FAILED;
  }
  if (r->len < 8 || memcmp(r->bytes, PACK_MAGIC, 8) != 0) {
    quire_loc loc = {.file = r->name, .line = 1};
    env->svc->error(env, &loc, "not a pack: the first line is not QPACK 1");
    free(r->bytes);
    free(r);
    return QUIRE_FAILED;
  }
  r->pos = 8;
  r->line = 2;
  *state = r;
  return QUIRE_OK;
}

/* Opens the next file of the pack as a sub-input: QUIRE_OK, QUIRE_DONE at
 * the end of the pack, or a failure naming the line of a bad header. */
static int open_next(quire_env *env, pack_reader *r) {
  if (r->pos >= r->len)
    return QUIRE_DONE;
  quire_loc loc = {.file = r->name, .line = r->line};
  const char *header = r->bytes + r->pos;
  const char *eol = memchr(header, '\n', r->len - r->pos);
  char *end;
  unsigned long long size = strtoull(header, &end, 10);
  if (!eol || end == header || *end != ' ' || end + 1 >= eol) {
    env->svc->error(env, &loc, "expected \"SIZE NAME\"");
    return QUIRE_FAILED;
  }
  size_t body = (size_t)(eol + 1 - r->bytes);
  if (size > r->len - body || r->len - body - size < 1 ||
      r->bytes[body + size] != '\n') {
    env->svc->error(env, &loc, "the file is cut short: %llu bytes announced",
                    size);
    return QUIRE_FAILED;
  }
  /* The name ends the header line; make it a C string in place. */
  *(char *)eol = '\0';
  quire_source src = {.name = end + 1, .data = r->bytes + body,
                      .len = (size_t)size};
  for (const char *p = r->bytes + body; p < r->bytes + body + size; p++)
    r->line += *p == '\n';
  r->line += 2;
  r->pos = body + (size_t)size + 1;
  return env->svc->sub_open(env, &src, &r->sub);
}

static int pack_read_next(quire_env *env, void *state, quire_doc **doc) {
  pack_reader *r = state;
  for (;;) {
    if (!r->sub) {
      int rc = open_next(env, r);
      if (rc != QUIRE_OK)
        return rc;
    }
    int rc = env->svc->sub_next(env, r->sub, doc);
    if (rc != QUIRE_DONE)
      return rc;   /* a document, or the failure of the file inside */
    env->svc->sub_close(env, r->sub);
    r->sub = NULL;
  }
}

static void pack_read_close(quire_env *env, void *state) {
  pack_reader *r = state;
  if (r->sub)
    env->svc->sub_close(env, r->sub);
  free(r->bytes);
  free(r);
}

/* ---- Writer ------------------------------------------------------------ */

typedef struct pack_writer {
  quire_output *out;
  const char *format;        /* the format of the files inside */
  const quire_meta *corpus;
  unsigned docs;
} pack_writer;

static int pack_write_open(quire_env *env, quire_output *out,
                           const quire_options *opts, const quire_meta *corpus,
                           void **state) {
  pack_writer *w = calloc(1, sizeof *w);
  if (!w) {
    env->svc->error(env, NULL, "out of memory");
    return QUIRE_FATAL;
  }
  const char *format = env->svc->option(opts, "pack-format");
  w->out = out;
  w->format = format ? format : "txt";
  w->corpus = corpus;
  *state = w;
  return env->svc->output_write(env, out, PACK_MAGIC, 8);
}

static int pack_write_doc(quire_env *env, void *state, const quire_doc *doc) {
  pack_writer *w = state;
  quire_render *r;
  char *data = NULL;
  size_t len = 0;
  /* The other writer's bytes collect in memory: the header needs their
   * size before they can be written. */
  int rc = env->svc->render_open(env, w->format, NULL, w->corpus, NULL, NULL,
                                 &r);
  if (rc != QUIRE_OK)
    return QUIRE_FATAL;   /* the format is missing: no document can go */
  int wrote = env->svc->render_doc(env, r, doc);
  rc = env->svc->render_close(env, r, wrote == QUIRE_OK, &data, &len);
  if (wrote != QUIRE_OK || rc != QUIRE_OK) {
    free(data);
    return wrote == QUIRE_FATAL ? QUIRE_FATAL : QUIRE_FAILED;
  }
  char header[64];
  int n = snprintf(header, sizeof header, "%zu doc-%u.%s\n", len, ++w->docs,
                   w->format);
  rc = env->svc->output_write(env, w->out, header, (size_t)n);
  if (rc == QUIRE_OK)
    rc = env->svc->output_write(env, w->out, data, len);
  if (rc == QUIRE_OK)
    rc = env->svc->output_write(env, w->out, "\n", 1);
  free(data);
  return rc == QUIRE_OK ? QUIRE_OK : QUIRE_FATAL;
}

static int pack_write_close(quire_env *env, void *state, int ok) {
  (void)env;
  (void)ok;
  free(state);
  return QUIRE_OK;
}

/* ---- Descriptor ---------------------------------------------------------- */

static const quire_option_spec pack_options[] = {
    {"pack-format", "FORMAT", "pack: the format of the files written inside "
                              "(default txt)", QUIRE_OPT_WRITE},
};

static const quire_format pack_format = {
    .name = "pack",
    .extensions = "qpack",
    .mime_type = "application/x-quire-pack",
    .description = "files inside a file (example container plugin)",
    .sniff = pack_sniff,
    .read_open = pack_read_open,
    .read_next = pack_read_next,
    .read_close = pack_read_close,
    .write_open = pack_write_open,
    .write_doc = pack_write_doc,
    .write_close = pack_write_close,
    .options = pack_options,
    .n_options = sizeof pack_options / sizeof pack_options[0],
};

static const quire_format *const pack_formats[] = {&pack_format};

static const quire_plugin pack_plugin = {
    .abi_major = QUIRE_ABI_MAJOR,
    .abi_minor = QUIRE_ABI_MINOR,
    .struct_size = sizeof(quire_plugin),
    .name = "pack",
    .version = "1.0",
    .flags = QUIRE_PLUGIN_CONCURRENT,
    .formats = pack_formats,
    .n_formats = 1,
};

QUIRE_EXPORT const quire_plugin *QUIRE_PLUGIN_ENTRY(void) {
  return &pack_plugin;
}
