/*
 * quire/plugin.h - the plugin ABI.
 *
 * A plugin is a shared object that exports one function, QUIRE_PLUGIN_ENTRY
 * (its name carries the ABI major version: quire_plugin_v1), returning a
 * constant descriptor.  The descriptor lists the formats the plugin reads or
 * writes and the transforms it offers.  A plugin includes only quire's public
 * headers and links against nothing of quire's: everything it needs from the
 * core arrives in the services table (quire_services) through the quire_env
 * every callback receives.
 *
 * Versioning: the core accepts a plugin whose abi_major equals its own and
 * whose abi_minor is not newer than its own, and reads no more of the
 * descriptor than struct_size says.  A minor version only ever appends
 * fields to the end of a struct, node types to the end of the enum, and
 * functions to the end of the services table.
 *
 * Errors: callbacks return QUIRE_OK, QUIRE_DONE or QUIRE_ERR.  Before
 * returning QUIRE_ERR they describe the problem once with env->svc->error();
 * warnings (the data is usable, something was repaired) go through
 * env->svc->warn().  A plugin never prints and never exits.
 */
#ifndef QUIRE_PLUGIN_H
#define QUIRE_PLUGIN_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "model.h"

#ifdef __cplusplus
extern "C" {
#endif

#define QUIRE_ABI_MAJOR 1
#define QUIRE_ABI_MINOR 0

#define QUIRE_PASTE_(a, b) a##b
#define QUIRE_PASTE(a, b) QUIRE_PASTE_(a, b)
/* The entry symbol a plugin exports: quire_plugin_v1 for ABI 1.x. */
#define QUIRE_PLUGIN_ENTRY QUIRE_PASTE(quire_plugin_v, QUIRE_ABI_MAJOR)

/* Results of every callback and service. */
enum {
  QUIRE_OK = 0,     /* done, or here is the next item */
  QUIRE_DONE = 1,   /* no more items (end of a reader's documents) */
  QUIRE_ERR = -1    /* failed; the message was set with svc->error() */
};

/* Where something was found.  Unknown parts are 0 (or NULL for file).
 * Lines and columns count from 1; columns count characters. */
typedef struct quire_loc {
  const char *file;          /* the input's name; borrowed */
  unsigned long line;
  unsigned long column;
  unsigned long long offset; /* byte offset + 1, 0 when unknown */
} quire_loc;

/* One option given to a reader, writer or transform: `--name=value` on the
 * command line.  For a flag, value is "1".  Both strings are borrowed for
 * the duration of the call that receives them. */
typedef struct quire_option {
  const char *name;
  const char *value;
} quire_option;

/* A list of options; get them with svc->option(). */
typedef struct quire_options {
  const quire_option *items;
  size_t count;
} quire_options;

/* Declares an option a format or transform accepts, for --help and for
 * routing: the core gives each plugin only the options it declares. */
typedef struct quire_option_spec {
  const char *name;          /* long option name without dashes */
  const char *arg;           /* argument name ("N", "URL"), NULL for a flag */
  const char *help;          /* one line */
} quire_option_spec;

typedef struct quire_env quire_env;
typedef struct quire_services quire_services;

/* An input: the bytes of one file (or of standard input). */
typedef struct quire_input quire_input;
/* An output: where a writer puts its bytes. */
typedef struct quire_output quire_output;

/* What every callback receives.  The core owns it; plugin_data is whatever
 * the plugin's init stored (NULL without init). */
struct quire_env {
  const quire_services *svc;
  void *plugin_data;
  void *core;                /* private to the core */
};

/* A format: its names, and an optional reader and/or writer.
 *
 * Reader: read_open() prepares to read `in`; read_next() returns QUIRE_OK
 * with a new document in *doc (ownership passes to the caller, who frees it
 * with svc->doc_free), QUIRE_DONE when there are no more, or QUIRE_ERR;
 * read_close() frees the reader's state (always called after a successful
 * read_open).  Most formats give one document per input; an archive may
 * give many.
 *
 * Writer: write_open() starts an output, write_doc() adds one document
 * (borrowed for the call), write_close() finishes the output when `ok` is
 * non-zero or just frees the state when it is zero (the core then discards
 * the output).  Writers get documents one at a time and must not keep
 * pointers into one after write_doc returns.  `corpus` is the corpus-level
 * metadata (--title, --lang, --metadata), borrowed until write_close. */
typedef struct quire_format {
  const char *name;          /* "txt", "html": lower case, unique */
  const char *extensions;    /* comma-separated, without dots: "txt,text" */
  const char *mime_type;
  const char *description;   /* one line */
  int binary;                /* non-zero: output never goes to a terminal */

  /* Optional.  A bid 0-100 that `head` (the first bytes of an input, at
   * most 4096) is in this format; 0 means certainly not. */
  int (*sniff)(const unsigned char *head, size_t len);

  int (*read_open)(quire_env *env, quire_input *in,
                   const quire_options *opts, void **state);
  int (*read_next)(quire_env *env, void *state, quire_doc **doc);
  void (*read_close)(quire_env *env, void *state);

  int (*write_open)(quire_env *env, quire_output *out,
                    const quire_options *opts, const quire_meta *corpus,
                    void **state);
  int (*write_doc)(quire_env *env, void *state, const quire_doc *doc);
  int (*write_close)(quire_env *env, void *state, int ok);

  const quire_option_spec *options;   /* NULL or array of n_options */
  size_t n_options;
} quire_format;

/* A transform: changes a document between reading and writing. */
typedef struct quire_transform {
  const char *name;
  const char *description;
  int (*apply)(quire_env *env, quire_doc *doc, const quire_options *opts);
  const quire_option_spec *options;
  size_t n_options;
} quire_transform;

/* The descriptor.  The first three fields are fixed for every ABI major. */
typedef struct quire_plugin {
  uint16_t abi_major;        /* QUIRE_ABI_MAJOR */
  uint16_t abi_minor;        /* QUIRE_ABI_MINOR */
  uint32_t struct_size;      /* sizeof(quire_plugin) */
  const char *name;
  const char *version;
  /* Arrays of pointers, so that a later minor can append fields to
   * quire_format and quire_transform: the core reads such fields only from
   * plugins whose abi_minor says they exist. */
  const quire_format *const *formats;        /* n_formats pointers */
  size_t n_formats;
  const quire_transform *const *transforms;  /* n_transforms pointers */
  size_t n_transforms;
  /* Optional: called once after loading.  Store private data in
   * env->plugin_data.  On failure set a message with svc->error() and
   * return QUIRE_ERR: the plugin is skipped. */
  int (*init)(quire_env *env);
  /* Optional: called once before unloading. */
  void (*fini)(quire_env *env);
} quire_plugin;

/* The type of the entry function. */
typedef const quire_plugin *(*quire_plugin_entry_fn)(void);

/* A plugin source file ends with:
 *
 *     static const quire_format *const my_formats[] = {&my_format};
 *     static const quire_plugin my_plugin = {
 *       .abi_major = QUIRE_ABI_MAJOR, .abi_minor = QUIRE_ABI_MINOR,
 *       .struct_size = sizeof(quire_plugin), .name = "my", .version = "1.0",
 *       .formats = my_formats, .n_formats = 1,
 *     };
 *     QUIRE_EXPORT const quire_plugin *QUIRE_PLUGIN_ENTRY(void) {
 *       return &my_plugin;
 *     }
 */
#define QUIRE_EXPORT __attribute__((visibility("default")))

/* ---- Services -------------------------------------------------------------
 * The core's functions a plugin may call.  Pointers returned into a document
 * live as long as the document. */
struct quire_services {
  uint32_t struct_size;      /* sizeof(quire_services) of the core */

  /* Diagnostics.  error() records why the current call fails (call it once,
   * then return QUIRE_ERR); warn() reports something repaired or lost. */
  void (*error)(quire_env *env, const quire_loc *loc, const char *fmt, ...)
      __attribute__((format(printf, 3, 4)));
  void (*warn)(quire_env *env, const quire_loc *loc, const char *fmt, ...)
      __attribute__((format(printf, 3, 4)));
  /* Non-zero when the user asked for verbose output. */
  int (*verbose)(quire_env *env);

  /* A limit by name (see `quire --list-limits`), e.g. "max-input-size". */
  uint64_t (*limit)(quire_env *env, const char *name);
  /* The value of option `name`, or NULL when it was not given. */
  const char *(*option)(const quire_options *opts, const char *name);

  /* Input.  read() reads up to n bytes, returning the count, 0 at the end,
   * or -1 on error (message set).  read_all() reads the rest of the input
   * into one buffer the caller frees with free(); it fails when the input is
   * larger than the limit "max-input-size".  name() is the name to use in
   * messages; path() the file's path, or NULL for standard input. */
  long (*input_read)(quire_env *env, quire_input *in, void *buf, size_t n);
  int (*input_read_all)(quire_env *env, quire_input *in, char **buf,
                        size_t *len);
  const char *(*input_name)(const quire_input *in);
  const char *(*input_path)(const quire_input *in);

  /* Output.  write() writes all n bytes or fails (message set).  path() is
   * the file being written (a temporary name, renamed into place when the
   * conversion succeeds), or NULL when writing to standard output. */
  int (*output_write)(quire_env *env, quire_output *out, const void *buf,
                      size_t n);
  const char *(*output_path)(const quire_output *out);

  /* Documents.  doc_new() returns a document with an empty DOCUMENT root,
   * or NULL when memory is exhausted; the caller owns it. */
  quire_doc *(*doc_new)(void);
  void (*doc_free)(quire_doc *doc);

  /* Arena memory of `doc`: alloc() is zeroed; strndup() copies n bytes and
   * adds a NUL.  Both return NULL when memory is exhausted. */
  void *(*alloc)(quire_doc *doc, size_t size);
  char *(*strndup)(quire_doc *doc, const char *s, size_t n);

  /* Nodes.  node_new() makes a detached node of `type` in doc's arena;
   * node_new_text() one whose text is a copy of s[0..n).  append() makes
   * `child` the last child of `parent` (detaching it first); unlink()
   * detaches a node from its parent and siblings. */
  quire_node *(*node_new)(quire_doc *doc, quire_node_type type);
  quire_node *(*node_new_text)(quire_doc *doc, quire_node_type type,
                               const char *s, size_t n);
  void (*node_append)(quire_node *parent, quire_node *child);
  void (*node_unlink)(quire_node *node);

  /* Metadata.  meta_get() returns the first value of key in a list (a
   * document's meta, or a writer's corpus metadata) or NULL;
   * meta_set() replaces every value of key by a copy of value;
   * meta_add() appends a copy (for repeatable keys).  Both return QUIRE_OK
   * or QUIRE_ERR when memory is exhausted. */
  const char *(*meta_get)(const quire_meta *list, const char *key);
  int (*meta_set)(quire_doc *doc, const char *key, const char *value);
  int (*meta_add)(quire_doc *doc, const char *key, const char *value);

  /* Like error(), for a mistake in what the user asked, such as a bad
   * option value: the conversion stops as a usage error (exit status 2). */
  void (*usage_error)(quire_env *env, const char *fmt, ...)
      __attribute__((format(printf, 2, 3)));
};

#ifdef __cplusplus
}
#endif

#endif
