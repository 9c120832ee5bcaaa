/* upper.c - an example quire plugin.
 *
 * Format "upper" (extension .upper) writes every document as plain text with
 * ASCII letters upper-cased and a blank line between blocks.  Transform
 * "shout" upper-cases the text of a document in place, for use with any
 * writer.  The writer's flag --upper-title starts each document with its
 * title.
 *
 * Build it against an installed quire, which it needs only the headers of:
 *
 *     cc -shared -fPIC $(pkg-config --cflags quire) upper.c -o upper.so
 *
 * and use it with QUIRE_PLUGIN_PATH=DIR or --plugin-dir DIR, DIR being the
 * folder that holds upper.so:
 *
 *     quire --plugin-dir . notes.txt -o notes.upper
 *     quire --plugin-dir . --transform shout notes.txt -t txt
 */
#include <quire/plugin.h>

#include <stdlib.h>
#include <string.h>

/* ---- Shared ------------------------------------------------------------ */

static char ascii_upper(char c) {
  return (c >= 'a' && c <= 'z') ? (char)(c - 'a' + 'A') : c;
}

/* Blocks whose content is inline text, or that are text themselves.  Each
 * one is separated from the previous one by a blank line. */
static int is_text_block(quire_node_type t) {
  return t == QUIRE_NODE_PARAGRAPH || t == QUIRE_NODE_HEADING ||
         t == QUIRE_NODE_TABLE_CELL || t == QUIRE_NODE_CODE_BLOCK ||
         t == QUIRE_NODE_RAW_BLOCK || t == QUIRE_NODE_THEMATIC_BREAK;
}

/* ---- Writer -------------------------------------------------------------- */

typedef struct upper_writer {
  quire_output *out;
  int with_title;       /* --upper-title was given */
  unsigned long blocks; /* blocks written so far, over all documents */
} upper_writer;

static int upper_write_open(quire_env *env, quire_output *out,
                            const quire_options *opts,
                            const quire_meta *corpus, void **state) {
  (void)corpus; /* --title, --lang, --metadata: unused by this format */
  upper_writer *w = calloc(1, sizeof *w);
  if (!w) {
    env->svc->error(env, NULL, "out of memory");
    return QUIRE_ERR;
  }
  w->out = out;
  /* The core hands over only the options this format declares. */
  w->with_title = env->svc->option(opts, "upper-title") != NULL;
  *state = w;
  return QUIRE_OK;
}

/* Writes s[0..n) upper-cased.  On failure output_write has already set the
 * message; we only pass QUIRE_ERR on. */
static int put_upper(quire_env *env, upper_writer *w, const char *s,
                     size_t n) {
  char buf[4096];
  while (n > 0) {
    size_t k = n < sizeof buf ? n : sizeof buf;
    for (size_t i = 0; i < k; i++)
      buf[i] = ascii_upper(s[i]);
    if (env->svc->output_write(env, w->out, buf, k) != QUIRE_OK)
      return QUIRE_ERR;
    s += k;
    n -= k;
  }
  return QUIRE_OK;
}

static int put(quire_env *env, upper_writer *w, const char *s) {
  return env->svc->output_write(env, w->out, s, strlen(s));
}

/* Starts a block: a blank line unless it is the first of the output. */
static int begin_block(quire_env *env, upper_writer *w) {
  return w->blocks++ > 0 ? put(env, w, "\n") : QUIRE_OK;
}

static int upper_write_doc(quire_env *env, void *state, const quire_doc *doc) {
  upper_writer *w = state;
  int rc = QUIRE_OK;

  if (w->with_title) {
    /* The core gives every document a title (its file name at worst). */
    const char *title = env->svc->meta_get(doc->meta, QUIRE_META_TITLE);
    if (title && (rc = begin_block(env, w)) == QUIRE_OK &&
        (rc = put_upper(env, w, title, strlen(title))) == QUIRE_OK)
      rc = put(env, w, "\n");
  }

  /* One loop over ENTER/EXIT events: no recursion, whatever the depth. */
  quire_iter it;
  env->svc->iter_init(&it, doc->root);
  while (rc == QUIRE_OK && env->svc->iter_next(&it) != QUIRE_EV_DONE) {
    const quire_node *n = it.node;
    int enter = it.event == QUIRE_EV_ENTER;

    if (is_text_block(n->type)) {
      if (enter)
        rc = begin_block(env, w);
      if (rc != QUIRE_OK)
        break;
    }
    switch (n->type) {
    case QUIRE_NODE_TEXT:
    case QUIRE_NODE_CODE:
    case QUIRE_NODE_RAW_INLINE:
      rc = put_upper(env, w, n->text, n->len);
      break;
    case QUIRE_NODE_SOFT_BREAK:
    case QUIRE_NODE_LINE_BREAK:
      rc = put(env, w, "\n");
      break;
    case QUIRE_NODE_CODE_BLOCK:
    case QUIRE_NODE_RAW_BLOCK:
      rc = put_upper(env, w, n->text, n->len);
      if (rc == QUIRE_OK && (n->len == 0 || n->text[n->len - 1] != '\n'))
        rc = put(env, w, "\n");
      break;
    case QUIRE_NODE_THEMATIC_BREAK:
      rc = put(env, w, "* * *\n");
      break;
    default:
      /* Containers: end a text block's last line when leaving it.  The
       * children of a type this plugin does not know are still walked, so
       * their text is kept. */
      if (!enter && is_text_block(n->type))
        rc = put(env, w, "\n");
      break;
    }
  }
  return rc;
}

static int upper_write_close(quire_env *env, void *state, int ok) {
  (void)env;
  (void)ok; /* nothing is buffered: there is nothing to flush on success */
  free(state);
  return QUIRE_OK;
}

static const quire_option_spec upper_options[] = {
    {"upper-title", NULL, "start each document with its title",
     QUIRE_OPT_WRITE},
};

/* ---- Transform ----------------------------------------------------------- */

/* Replaces the text of every TEXT node by an upper-cased copy.  The copy is
 * made in the document's arena, so it is freed with the document; nothing
 * is freed here.  The tree's shape does not change, so the walk is safe. */
static int shout_apply(quire_env *env, void *state, quire_doc *doc) {
  (void)state;
  quire_iter it;
  env->svc->iter_init(&it, doc->root);
  while (env->svc->iter_next(&it) != QUIRE_EV_DONE) {
    if (it.event != QUIRE_EV_ENTER || it.node->type != QUIRE_NODE_TEXT)
      continue;
    /* The iterator hands out const nodes; the document is ours to change. */
    quire_node *n = (quire_node *)it.node;
    char *copy = env->svc->strndup(doc, n->text, n->len);
    if (!copy) {
      env->svc->error(env, NULL, "out of memory");
      return QUIRE_ERR;
    }
    for (size_t i = 0; i < n->len; i++)
      copy[i] = ascii_upper(copy[i]);
    n->text = copy;
  }
  return QUIRE_OK;
}

/* ---- Descriptor ---------------------------------------------------------- */

static const quire_format upper_formats[] = {{
    .name = "upper",
    .extensions = "upper",
    .mime_type = "text/plain",
    .description = "plain text in upper case (example plugin)",
    .write_open = upper_write_open,
    .write_doc = upper_write_doc,
    .write_close = upper_write_close,
    .options = upper_options,
    .n_options = sizeof upper_options / sizeof upper_options[0],
    .metadata_keys = NULL,   /* it writes no corpus metadata */
}};

static const quire_transform upper_transforms[] = {{
    .name = "shout",
    .description = "upper-case the text of each document (ASCII letters)",
    .apply = shout_apply,
}};

static const quire_format *const upper_format_list[] = {&upper_formats[0]};

static const quire_transform *const upper_transform_list[] = {&upper_transforms[0]};

static const quire_plugin upper_plugin = {
    .abi_major = QUIRE_ABI_MAJOR,
    .abi_minor = QUIRE_ABI_MINOR,
    .struct_size = sizeof(quire_plugin),
    .name = "upper",
    .version = "1.0",
    /* No state outside its handles: the core may run it on many threads. */
    .flags = QUIRE_PLUGIN_CONCURRENT,
    .formats = upper_format_list,
    .n_formats = sizeof upper_formats / sizeof upper_formats[0],
    .transforms = upper_transform_list,
    .n_transforms = sizeof upper_transforms / sizeof upper_transforms[0],
};

QUIRE_EXPORT const quire_plugin *QUIRE_PLUGIN_ENTRY(void) {
  return &upper_plugin;
}
