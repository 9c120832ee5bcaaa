/*
 * quire/plugin.h - the plugin ABI, version 2.
 *
 * A plugin is a shared object that exports one function, QUIRE_PLUGIN_ENTRY
 * (its name carries the ABI major version: quire_plugin_v2), returning a
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
 * functions to the end of the services table.  A plugin walks trees with
 * the services' iterator, so it walks correctly trees that hold node types
 * added after it was built.
 *
 * Jobs: a job is one document read, transformed and written.  Errors and
 * warnings a callback reports through its env belong to the job the core
 * is running with that env, and carry the file, line and column given.
 *
 * Results, graded as in libarchive: QUIRE_OK; QUIRE_WARN (usable, but
 * something was repaired or lost: also implied by any svc->warn() during the
 * call); QUIRE_FAILED (this document or input failed, the run can go on);
 * QUIRE_FATAL (the run cannot go on: the output is broken, memory is
 * exhausted).  Before returning QUIRE_FAILED or QUIRE_FATAL a callback
 * describes the problem once with svc->error().  A plugin never prints and
 * never exits.
 *
 * Threads: the core never calls two callbacks on the same state (a reader's,
 * a writer's, a transform's) at the same time.  A plugin whose descriptor
 * has QUIRE_PLUGIN_CONCURRENT may have callbacks on different states run at
 * the same time on different threads; without it, the core calls that
 * plugin from one thread at a time.  sniff() may always run concurrently;
 * init() and fini() never run alongside anything.
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

#define QUIRE_ABI_MAJOR 2
#define QUIRE_ABI_MINOR 6

#define QUIRE_PASTE_(a, b) a##b
#define QUIRE_PASTE(a, b) QUIRE_PASTE_(a, b)
/* The entry symbol a plugin exports: quire_plugin_v2 for ABI 2.x. */
#define QUIRE_PLUGIN_ENTRY QUIRE_PASTE(quire_plugin_v, QUIRE_ABI_MAJOR)

/* Results of callbacks and services. */
enum {
  QUIRE_OK = 0,       /* done, or here is the next item */
  QUIRE_DONE = 1,     /* no more items (end of a reader's documents) */
  QUIRE_WARN = 2,     /* done, but something was repaired or lost */
  QUIRE_DROP = 3,     /* a transform dropped the document (svc->drop) */
  QUIRE_FAILED = -1,  /* this item failed; the run may go on */
  QUIRE_FATAL = -2,   /* the run cannot go on */
  QUIRE_ERR = QUIRE_FAILED   /* short name for the usual failure */
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

/* Which side of a format an option belongs to. */
enum {
  QUIRE_OPT_READ = 1,        /* the format's reader */
  QUIRE_OPT_WRITE = 2        /* the format's writer */
};

/* Declares an option a format or transform accepts, for --help and for
 * routing: the core gives each reader, writer and transform only the
 * options it declares.  A format's option has a direction; the user may
 * always spell it FORMAT:NAME (--epub:css=FILE) to name its owner. */
typedef struct quire_option_spec {
  const char *name;          /* long option name without dashes */
  const char *arg;           /* argument name ("N", "URL"), NULL for a flag */
  const char *help;          /* one line */
  unsigned direction;        /* QUIRE_OPT_READ and/or QUIRE_OPT_WRITE;
                                ignored for transforms */
} quire_option_spec;

typedef struct quire_env quire_env;
typedef struct quire_services quire_services;

/* An input: the bytes of one file, of standard input, of memory, or of a
 * sub-input a reader handed to the core.  Opaque. */
typedef struct quire_input quire_input;
/* An output: where a writer puts its bytes.  Opaque. */
typedef struct quire_output quire_output;
/* A sub-input being read by the reader the core chose for it. */
typedef struct quire_sub quire_sub;
/* A document rendering through another format's writer. */
typedef struct quire_render quire_render;

/* What every callback receives.  The core owns it; it stays valid and the
 * same from a state's open to its close, so a reader, writer or transform
 * may keep the pointer in its state.  plugin_data is whatever the plugin's
 * init stored (NULL without init); treat it as read-only outside init and
 * fini when the plugin is QUIRE_PLUGIN_CONCURRENT. */
struct quire_env {
  const quire_services *svc;
  void *plugin_data;
  void *core;                /* private to the core */
};

/* Reads up to n bytes into buf: the count, 0 at the end, or -1 on error
 * (after svc->error() when an env is at hand). */
typedef long (*quire_read_fn)(void *user, void *buf, size_t n);
/* Takes all n bytes of buf: QUIRE_OK, or QUIRE_FAILED/QUIRE_FATAL. */
typedef int (*quire_write_fn)(void *user, const void *buf, size_t n);

/* Bytes that are not a file of their own: an entry of an archive, a
 * record of a stream, a chapter of a book, or a buffer a program holds.
 * Either data/len (borrowed until the sub-input or reader is closed), or
 * read/user, a stream the core pulls from until it returns 0. */
typedef struct quire_source {
  const char *name;          /* inner name ("OEBPS/ch1.xhtml"): messages
                                and the choice of reader by extension */
  const char *format;        /* a format name, or NULL: by the name's
                                extension, then by content */
  const void *data;
  size_t len;
  quire_read_fn read;
  void *user;
} quire_source;

/* A format: its names, and an optional reader and/or writer.
 *
 * Reader: read_open() prepares to read `in`; read_next() returns QUIRE_OK
 * (or QUIRE_WARN) with a new document in *doc (ownership passes to the
 * caller, who frees it with svc->doc_free), QUIRE_DONE when there are no
 * more, or QUIRE_FAILED / QUIRE_FATAL; read_close() frees the reader's
 * state (always called after a successful read_open, and never twice).
 * Most formats give one document per input; an archive may give many.
 * QUIRE_FAILED loses one document: with --keep-going the core calls
 * read_next() again, so a reader that cannot go on after a failure
 * returns QUIRE_DONE then (a bad record of a file of records fails that
 * document only; a file cut short ends the input).
 *
 * Writer: write_open() starts an output, write_doc() adds one document
 * (borrowed for the call), write_close() finishes the output when `ok` is
 * non-zero or just frees the state when it is zero (the core then discards
 * the output).  A write_doc that returns QUIRE_FAILED has written nothing
 * of the document, so the output stays usable; QUIRE_FATAL ends it.
 * Writers get documents one at a time and must not keep pointers into one
 * after write_doc returns.  `corpus` is the corpus-level metadata (--title,
 * --lang, --metadata), borrowed until write_close. */
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

  /* The corpus metadata keys (--metadata KEY=VALUE, --title, --lang) the
   * writer puts in its output, comma-separated ("title,language,rights");
   * an entry ending in ':' takes every key it begins ("creator:" takes
   * "creator:ill").  The core warns about any other key given.  NULL:
   * none. */
  const char *metadata_keys;

  /* ---- ABI 2.4: rendering ahead, for -j ----------------------------------
   * Optional, all three or none; read only from plugins of ABI 2.4 or
   * later.  part_render() does the part of write_doc()'s work that depends
   * on the document and the writer's options alone (`opts`, what
   * write_open() got), on a reading thread while the writer is busy with
   * earlier documents: it may run on several threads at once, and never
   * sees the writer's state.  It sets *part to what it made (of its own
   * type), or to NULL when it made nothing (a document too large to hold
   * in memory, say: write_doc() then takes it as without parts), and
   * returns QUIRE_OK or QUIRE_WARN, or fails as write_doc() would (the
   * document fails).  write_part() is then called in input order instead
   * of write_doc(), with the document and its part, which it frees
   * whatever it returns; part_free() frees a part the writer never got
   * (a run that stopped). */
  int (*part_render)(quire_env *env, const quire_options *opts,
                     const quire_doc *doc, void **part);
  int (*write_part)(quire_env *env, void *state, const quire_doc *doc,
                    void *part);
  void (*part_free)(void *part);

  /* ---- ABI 2.5 ---------------------------------------------------------
   * Other names the format answers to with -f and -t, comma-separated,
   * lower case ("markdown,commonmark"), or NULL.  A name or alias already
   * taken by an earlier plugin is not taken again. */
  const char *aliases;

  /* ---- ABI 2.6 ---------------------------------------------------------
   * QUIRE_FORMAT_* flags, or 0. */
  unsigned flags;
  /* Optional: called in input order where a document a transform dropped
   * would have been written, with the transform's name and its reason
   * (what --verbose shows); svc->doc_input(env) is then the input the
   * document came from, as during write_doc().  A writer that keeps
   * sources (the bag) keeps this one's too: nothing leaves unrecorded.
   * Returns as write_doc() does. */
  int (*write_dropped)(quire_env *env, void *state, const char *transform,
                       const char *reason);
} quire_format;

/* Format flags (ABI 2.6). */
enum {
  /* The writer must state a language (EPUB's dc:language): when the job
   * gives none, the core identifies each document's with the transform
   * "lang", where a plugin provides it, before any other transform. */
  QUIRE_FORMAT_NEEDS_LANGUAGE = 1,
  /* (Since library 0.6; cores before it ignore the bit.)  The reader gives
   * at most one document per input, as a text file or a web page does:
   * with -j the core lets the next input through the transforms that see
   * documents in order as soon as this one's document has passed them,
   * not when the input is closed, so that what follows (the writer's
   * part, a free-running transform) overlaps.  A second document from
   * such a reader fails, with a message saying so. */
  QUIRE_FORMAT_ONE_DOCUMENT = 2
};

/* The transform that identifies a document's language (ABI 2.6), and the
 * job language (the corpus metadata "language") that asks for it. */
#define QUIRE_LANGUAGE_TRANSFORM "lang"
#define QUIRE_LANGUAGE_AUTO "auto"

/* Transform flags. */
enum {
  /* The transform wants a first pass over the whole corpus: gather() sees
   * every document (as read, before any transform) before apply() sees
   * the first one.  The core reads the inputs twice for it. */
  QUIRE_TRANSFORM_CORPUS = 1,
  /* (ABI 2.6) apply() depends on the document alone, not on the documents
   * before it: with -j the core may call it on several reading threads at
   * once (on one state: apply() must then be safe for that, and the
   * plugin QUIRE_PLUGIN_CONCURRENT) and before the document's turn, when
   * every transform before it in the chain is unordered too. */
  QUIRE_TRANSFORM_UNORDERED = 2
};

/* A transform: changes documents between reading and writing.
 *
 * open() (optional) makes the run's state from the options; close()
 * (optional) frees it, and is called once after a successful open.  With
 * QUIRE_TRANSFORM_CORPUS, gather() is called for each document of the first
 * pass (borrowed for the call) and gather_end() (optional) once after it;
 * the memory they keep is the transform's own, and must stay within the
 * limit "max-corpus-memory".
 *
 * apply() changes doc in place and returns QUIRE_OK or QUIRE_WARN; or it
 * returns svc->drop(env, reason) to drop the document (the reason is shown
 * with --verbose).  During apply(), svc->emit() hands the core further
 * documents that follow this one; emitting some and dropping the original
 * replaces it with them.  QUIRE_FAILED fails this document, QUIRE_FATAL
 * the run. */
typedef struct quire_transform {
  const char *name;
  const char *description;
  unsigned flags;            /* QUIRE_TRANSFORM_* */
  int (*open)(quire_env *env, const quire_options *opts, void **state);
  int (*gather)(quire_env *env, void *state, const quire_doc *doc);
  int (*gather_end)(quire_env *env, void *state);
  int (*apply)(quire_env *env, void *state, quire_doc *doc);
  void (*close)(quire_env *env, void *state);
  const quire_option_spec *options;
  size_t n_options;
} quire_transform;

/* Plugin flags. */
enum {
  /* Callbacks on different states may run at the same time. */
  QUIRE_PLUGIN_CONCURRENT = 1
};

/* The descriptor.  The first three fields are fixed for every ABI major. */
typedef struct quire_plugin {
  uint16_t abi_major;        /* QUIRE_ABI_MAJOR */
  uint16_t abi_minor;        /* QUIRE_ABI_MINOR */
  uint32_t struct_size;      /* sizeof(quire_plugin) */
  const char *name;
  const char *version;
  unsigned flags;            /* QUIRE_PLUGIN_* */
  /* Arrays of pointers, so that a later minor can append fields to
   * quire_format and quire_transform: the core reads such fields only from
   * plugins whose abi_minor says they exist. */
  const quire_format *const *formats;        /* n_formats pointers */
  size_t n_formats;
  const quire_transform *const *transforms;  /* n_transforms pointers */
  size_t n_transforms;
  /* Optional: called once after loading.  Store private data in
   * env->plugin_data.  On failure set a message with svc->error() and
   * return QUIRE_FAILED: the plugin is skipped. */
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
 *       .flags = QUIRE_PLUGIN_CONCURRENT,
 *       .formats = my_formats, .n_formats = 1,
 *     };
 *     QUIRE_EXPORT const quire_plugin *QUIRE_PLUGIN_ENTRY(void) {
 *       return &my_plugin;
 *     }
 */
#define QUIRE_EXPORT __attribute__((visibility("default")))

/* ---- Services -------------------------------------------------------------
 * The core's functions a plugin may call.  Pointers returned into a document
 * live as long as the document; other strings returned live as long as the
 * object they describe (an input's name as long as the input). */
struct quire_services {
  uint32_t struct_size;      /* sizeof(quire_services) of the core */

  /* Diagnostics.  error() records why the current call fails (call it once,
   * then return QUIRE_FAILED or QUIRE_FATAL); warn() reports something
   * repaired or lost, and grades the job QUIRE_WARN; info() is a note shown
   * with --verbose.  The message is copied. */
  void (*error)(quire_env *env, const quire_loc *loc, const char *fmt, ...)
      __attribute__((format(printf, 3, 4)));
  void (*warn)(quire_env *env, const quire_loc *loc, const char *fmt, ...)
      __attribute__((format(printf, 3, 4)));
  void (*info)(quire_env *env, const quire_loc *loc, const char *fmt, ...)
      __attribute__((format(printf, 3, 4)));
  /* Like error(), for a mistake in what the user asked, such as a bad
   * option value: the run stops as a usage error (exit status 2).  Returns
   * QUIRE_FATAL, for `return svc->usage_error(...)`. */
  int (*usage_error)(quire_env *env, const char *fmt, ...)
      __attribute__((format(printf, 2, 3)));
  /* Non-zero when the user asked for verbose output. */
  int (*verbose)(quire_env *env);

  /* A limit by name (see `quire --list-limits`), e.g. "max-input-size". */
  uint64_t (*limit)(quire_env *env, const char *name);
  /* The value of option `name`, or NULL when it was not given; the last
   * one given wins.  Borrowed from opts. */
  const char *(*option)(const quire_options *opts, const char *name);

  /* Input.  read() reads up to n bytes, returning the count, 0 at the end,
   * or -1 on error (message set).  read_all() reads the rest of the input
   * into one buffer the caller frees with free(); it fails when the input is
   * larger than the limit "max-input-size".  name() is the name to use in
   * messages ("a.epub!OEBPS/ch1.xhtml" for a sub-input); path() the file's
   * path, or NULL for standard input, memory and sub-inputs. */
  long (*input_read)(quire_env *env, quire_input *in, void *buf, size_t n);
  int (*input_read_all)(quire_env *env, quire_input *in, char **buf,
                        size_t *len);
  const char *(*input_name)(const quire_input *in);
  const char *(*input_path)(const quire_input *in);

  /* Output.  write() writes all n bytes or fails (message set).  path() is
   * the file being written (a temporary name, renamed into place when the
   * conversion succeeds), or NULL when writing to standard output, memory
   * or another plugin; name() is the name for messages (the final path).
   * Since 2.3 the temporary file has no name until it is committed (Linux
   * O_TMPFILE: a killed process leaves nothing); path() names it at once,
   * so call it only when a library must reopen the file by name. */
  int (*output_write)(quire_env *env, quire_output *out, const void *buf,
                      size_t n);
  const char *(*output_path)(const quire_output *out);
  const char *(*output_name)(const quire_output *out);

  /* Sub-inputs: formats that contain formats.  sub_open() hands the core
   * the bytes of src; the core picks a reader as for any input (src->format,
   * then the name's extension, then the sniffers' bids) and opens it, with
   * the job's options for that reader.  sub_next() gives that reader's
   * documents (as read_next() does: QUIRE_OK with *doc, which the caller
   * owns, QUIRE_DONE, or a failure with the message set); sub_close() ends
   * it and frees it.  Nesting deeper than the limit max-nesting fails. */
  int (*sub_open)(quire_env *env, const quire_source *src, quire_sub **sub);
  int (*sub_next)(quire_env *env, quire_sub *sub, quire_doc **doc);
  int (*sub_close)(quire_env *env, quire_sub *sub);

  /* Rendering through another writer.  render_open() starts format's
   * writer with opts (options it declares for writing) and corpus (may be
   * NULL); its bytes go to sink(user, ...) as they come, or, with sink
   * NULL, to memory.  render_doc() writes one document.  render_close()
   * finishes (ok non-zero) or abandons the output and frees r; with memory
   * output and ok, *data (NUL-terminated, the caller frees it with free())
   * and *len receive the bytes.  When format is not loaded the error names
   * it and the plugin asking for it. */
  int (*render_open)(quire_env *env, const char *format,
                     const quire_options *opts, const quire_meta *corpus,
                     quire_write_fn sink, void *user, quire_render **r);
  int (*render_doc)(quire_env *env, quire_render *r, const quire_doc *doc);
  int (*render_close)(quire_env *env, quire_render *r, int ok, char **data,
                      size_t *len);

  /* Transforms only, during apply(): emit() passes the core one more
   * document (ownership passes) to follow the one being applied; drop()
   * records why the document is dropped and returns QUIRE_DROP. */
  int (*emit)(quire_env *env, quire_doc *doc);
  int (*drop)(quire_env *env, const char *fmt, ...)
      __attribute__((format(printf, 2, 3)));

  /* Documents.  doc_new() returns a document with an empty DOCUMENT root,
   * or NULL when memory is exhausted; the caller owns it.  doc_adopt()
   * moves all of src's memory into dst and frees src's shell: src's nodes
   * and strings then belong to dst and may be appended to dst's tree.  */
  quire_doc *(*doc_new)(void);
  void (*doc_free)(quire_doc *doc);
  void (*doc_adopt)(quire_doc *dst, quire_doc *src);

  /* Arena memory of `doc`: alloc() is zeroed; strndup() copies n bytes and
   * adds a NUL.  Both return NULL when memory is exhausted. */
  void *(*alloc)(quire_doc *doc, size_t size);
  char *(*strndup)(quire_doc *doc, const char *s, size_t n);

  /* Nodes.  node_new() makes a detached node of `type` in doc's arena;
   * node_new_text() one whose text is a copy of s[0..n).  append() makes
   * `child` the last child of `parent` (detaching it first) and
   * insert_before() puts `node` just before `sibling`; both return
   * QUIRE_FAILED and change nothing when the parent may not hold the node
   * (see node_can_contain), or when the node is the parent or one of its
   * ancestors.  unlink() detaches a node from its parent and siblings. */
  quire_node *(*node_new)(quire_doc *doc, quire_node_type type);
  quire_node *(*node_new_text)(quire_doc *doc, quire_node_type type,
                               const char *s, size_t n);
  int (*node_append)(quire_node *parent, quire_node *child);
  int (*node_insert_before)(quire_node *sibling, quire_node *node);
  void (*node_unlink)(quire_node *node);

  /* The model's rules, in the core so that a plugin knows node types added
   * after it was built (see model.h): whether a parent of type `parent`
   * may hold a child of type `child`; leaf and inline types; type names. */
  int (*node_can_contain)(quire_node_type parent, quire_node_type child);
  int (*node_is_leaf)(quire_node_type t);
  int (*node_is_inline)(quire_node_type t);
  const char *(*node_type_name)(quire_node_type t);
  /* The tree iterator of model.h. */
  void (*iter_init)(quire_iter *it, const quire_node *root);
  quire_event (*iter_next)(quire_iter *it);

  /* Metadata.  meta_get() returns the first value of key in a list (a
   * document's meta, or a writer's corpus metadata) or NULL;
   * meta_set() replaces every value of key by a copy of value;
   * meta_add() appends a copy (for repeatable keys).  Both return QUIRE_OK
   * or QUIRE_FAILED when memory is exhausted. */
  const char *(*meta_get)(const quire_meta *list, const char *key);
  int (*meta_set)(quire_doc *doc, const char *key, const char *value);
  int (*meta_add)(quire_doc *doc, const char *key, const char *value);

  /* ---- ABI 2.1 ------------------------------------------------------------
   * Fields below exist when struct_size says so: test
   * `svc->struct_size > offsetof(quire_services, doc_input)` first. */

  /* Writers, during write_doc(): the path of the file the document being
   * written was read from, as the user named it ("corpus/001.txt"; for a
   * document of an archive or a book, the archive's or book's path), or
   * NULL when it came from standard input, memory or a stream.  A writer
   * that keeps the sources (a bundle) reads them from here, never from the
   * document's metadata, which an input may forge.  Borrowed until
   * write_doc returns. */
  const char *(*doc_input)(quire_env *env);

  /* ---- ABI 2.2 ------------------------------------------------------------
   * Test `svc->struct_size > offsetof(quire_services, sub_format)` first. */

  /* The name of the format sub_open() would read src with (src->format,
   * else the extension of src->name, else the sniffers' bids over the
   * first bytes of src->data), or NULL when no loaded format reads it.
   * Nothing is opened and no message is set, so a container can skip an
   * entry no plugin reads (with a warning of its own) instead of failing
   * on it.  A stream source (read set) is not read: only its format and
   * name are used.  The name lives as long as the session. */
  const char *(*sub_format)(quire_env *env, const quire_source *src);

  /* ---- ABI 2.3: Model 2 -------------------------------------------------
   * Test `svc->struct_size > offsetof(quire_services, node_set_attr)`. */

  /* Attributes.  set_attr() stores a copy of value under key on node:
   * "id" sets node->id, "class" node->classes (replacing them), any other
   * key replaces or appends an entry of node->attrs.  QUIRE_OK, or
   * QUIRE_FAILED when memory is exhausted.  attr() returns the value of
   * key ("id" and "class" included), or NULL. */
  int (*node_set_attr)(quire_doc *doc, quire_node *node, const char *key,
                       const char *value);
  const char *(*node_attr)(const quire_node *node, const char *key);

  /* Resources (see model.h).  res_add() copies len bytes of data into a
   * new resource of doc named `name` (a relative path without ".." or a
   * leading "/", which the reader makes from its own naming); its media
   * type is what the bytes show, else the declared media_type, else what
   * the name's extension says, else application/octet-stream.  Returns
   * QUIRE_OK, QUIRE_WARN when the bytes contradict the declared type (the
   * caller warns, naming the file), or QUIRE_FAILED (bad name, memory or
   * temporary file exhausted; no message is set).  A name already in doc
   * gives the existing resource and QUIRE_OK, bytes unchanged.  *res (may
   * be NULL) receives the resource.  flags are QUIRE_RES_*. */
  int (*res_add)(quire_doc *doc, const char *name, const char *media_type,
                 unsigned flags, const void *data, size_t len,
                 const quire_resource **res);
  /* The resource of doc named `name`, or NULL. */
  const quire_resource *(*res_find)(const quire_doc *doc, const char *name);
  /* Copies up to n bytes of r from byte `offset` into buf: the count (0 at
   * the end), or -1 when its temporary file cannot be read. */
  long (*res_read)(const quire_resource *r, unsigned long long offset,
                   void *buf, size_t n);
  /* The media type of bytes named `name`: by their first bytes (PNG, JPEG,
   * GIF, WebP, SVG, WOFF, WOFF2, OpenType, TrueType, MP3, Ogg, PDF), else
   * by the name's extension, else NULL.  Static string; data may be NULL. */
  const char *(*media_type_of)(const void *data, size_t len,
                               const char *name);
  /* Non-zero when `in` is a sub-input (a chapter of a book, an entry of
   * an archive): the container, not the reader, resolves the files its
   * content refers to. */
  int (*input_is_sub)(const quire_input *in);
  /* Non-zero when the format of `in` was named (the user's -f, or a
   * container's src->format) rather than guessed from its name's
   * extension or its first bytes: a reader that refuses input which does
   * not look like its format (the txt reader and binary files) reads it
   * anyway, with a warning, when it was named.  Test
   * `svc->struct_size > offsetof(quire_services, input_format_named)`. */
  int (*input_format_named)(const quire_input *in);
  /* The file the output will become when the conversion succeeds, as the
   * user named it ("out/page.html"), or NULL for standard output, memory,
   * a device or another plugin.  Unlike output_path() it gives the
   * output's unnamed temporary file no name, so a writer that only needs
   * to know where its output goes (to put files beside it) keeps the
   * guarantee that no death of the process leaves a file behind. */
  const char *(*output_target)(const quire_output *out);

  /* ---- ABI 2.4 --------------------------------------------------------
   * Test `svc->struct_size > offsetof(quire_services, threads)`. */

  /* The threads the user lets the run use (-j N; 1 without -j), for a
   * writer that can share out its own work, such as compression.  A
   * plugin that starts threads of its own ends them before the callback
   * that started them (or its state's close) returns. */
  unsigned (*threads)(quire_env *env);
};

#ifdef __cplusplus
}
#endif

#endif
