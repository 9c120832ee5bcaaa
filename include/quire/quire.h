/*
 * quire/quire.h - libquire's public API.
 *
 * Everything the quire command does, any C program can do with these
 * functions: make a session, load plugins, describe a conversion in a
 * quire_job and run it.  The CLI is a thin layer over this header.
 *
 *     quire_session *s = quire_session_new();
 *     quire_load_plugins(s);
 *     const char *in[] = { "corpus/" };
 *     quire_job job = { .inputs = in, .n_inputs = 1, .output = "out.html" };
 *     if (quire_convert(s, &job) != QUIRE_OK)
 *       fprintf(stderr, "%s\n", quire_error_get(s)->message);
 *     quire_session_free(s);
 *
 * Ownership: the session owns everything it returns (format infos, the last
 * error); those pointers live until the session is freed or, for the error,
 * until the next call that can fail.  A job's strings are borrowed for the
 * duration of quire_convert().
 *
 * Threads: once plugins are loaded and limits set, a session may run
 * conversions on several threads at once, each with its own quire_job and
 * its own quire_status (the session's last error is shared, so concurrent
 * callers read their job's status instead).  Loading plugins, setting
 * limits and handlers must not overlap conversions.
 */
#ifndef QUIRE_QUIRE_H
#define QUIRE_QUIRE_H

#include <stddef.h>
#include <stdint.h>

#include "model.h"
#include "plugin.h"

#ifdef __cplusplus
extern "C" {
#endif

#define QUIRE_VERSION "0.6.0"

/* The library's version string ("0.1.0"). */
const char *quire_version(void);

typedef struct quire_session quire_session;

/* A new session with no plugins loaded, or NULL when memory is exhausted. */
quire_session *quire_session_new(void);
/* Unloads the session's plugins and frees it.  NULL is allowed. */
void quire_session_free(quire_session *s);

/* ---- Errors and diagnostics ---------------------------------------------- */

typedef enum quire_error_kind {
  QUIRE_ERROR_NONE = 0,
  QUIRE_ERROR_USAGE,        /* the request itself is wrong (unknown format
                               or option, bad option value): exit status 2 */
  QUIRE_ERROR_CONVERSION    /* reading, converting or writing failed: 1 */
} quire_error_kind;

/* The last error of a session.  `file` is NULL when no file is concerned;
 * line, column and offset are 0 when unknown. */
typedef struct quire_error {
  quire_error_kind kind;
  const char *file;
  unsigned long line;
  unsigned long column;
  unsigned long long offset;   /* byte offset + 1, 0 when unknown */
  const char *message;
} quire_error;

/* The session's last error; never NULL (kind is QUIRE_ERROR_NONE when
 * there was none).  Owned by the session.  A conversion given a
 * quire_status reports there instead. */
const quire_error *quire_error_get(const quire_session *s);

/* Writes "FILE:LINE:COL: message" (as much location as is known) into buf,
 * truncating to size; returns buf. */
char *quire_error_format(const quire_error *e, char *buf, size_t size);

typedef enum quire_severity {
  QUIRE_SEV_INFO = 0,       /* --verbose notes */
  QUIRE_SEV_WARNING,        /* something was repaired or lost */
  QUIRE_SEV_ERROR           /* a document or input failed; with keep_going
                               the run goes on */
} quire_severity;

/* Receives warnings, errors of documents a run goes on without, and, when
 * verbose, notes.  `loc` may be NULL; the pointers are valid for the call
 * only.  Conversions on several threads call it from each of them. */
typedef void (*quire_diag_fn)(void *user, quire_severity sev,
                              const quire_loc *loc, const char *message);

/* Sets the diagnostics handler (NULL drops diagnostics, the default). */
void quire_set_diag(quire_session *s, quire_diag_fn fn, void *user);
/* Turns verbose notes on or off. */
void quire_set_verbose(quire_session *s, int verbose);

/* ---- Plugins and the registry -------------------------------------------- */

/* Adds a folder to search for plugins (--plugin-dir); folders added this
 * way are searched first, in the order they were added.  The string is
 * copied.  Returns QUIRE_OK, or QUIRE_ERR when memory is exhausted. */
int quire_add_plugin_dir(quire_session *s, const char *dir);

/* Loads the plugins of every folder added with quire_add_plugin_dir, then
 * of each folder in $QUIRE_PLUGIN_PATH (colon-separated), then of the
 * default folder (lib/quire/plugins beside libquire.so).  Within a folder,
 * files ending in .so load in name order.  The first plugin found for a
 * format name wins.  A plugin that cannot be used is skipped with a
 * warning naming the file; it never stops the others.  Returns QUIRE_OK. */
int quire_load_plugins(quire_session *s);

/* Loads one plugin file.  Returns QUIRE_OK, or QUIRE_ERR with the reason
 * in quire_error_get() (the plugin is then not loaded). */
int quire_load_plugin_file(quire_session *s, const char *path);

/* The default plugin folder this library searches last. */
const char *quire_default_plugin_dir(void);

/* A registered format and the plugin that provides it. */
typedef struct quire_format_info {
  const quire_format *format;
  const char *plugin_name;
  const char *plugin_version;
  const char *plugin_path;
  const char *aliases;          /* since 0.4: the format's other names,
                                   comma-separated, or NULL */
} quire_format_info;

/* A registered transform and the plugin that provides it. */
typedef struct quire_transform_info {
  const quire_transform *transform;
  const char *plugin_name;
  const char *plugin_path;
  const char *plugin_version;   /* since 0.2: appended */
} quire_transform_info;

/* The registered formats, in the order they were registered (index from 0
 * to count - 1), and lookups by name (a format's own name first, then its
 * aliases; case does not matter) or by a file name's extension.  The
 * lookups return NULL when nothing matches. */
size_t quire_format_count(const quire_session *s);
const quire_format_info *quire_format_at(const quire_session *s, size_t i);
const quire_format_info *quire_format_find(const quire_session *s,
                                           const char *name);
const quire_format_info *quire_format_for_path(const quire_session *s,
                                               const char *path);

size_t quire_transform_count(const quire_session *s);
const quire_transform_info *quire_transform_at(const quire_session *s,
                                               size_t i);

/* ---- Limits --------------------------------------------------------------
 * Sizes, depths and counts that protect every reader from hostile input,
 * each with a default.  Plugins read them with svc->limit(). */

/* The number of limits, and the name, default and help of limit i. */
size_t quire_limit_count(void);
const char *quire_limit_name(size_t i);
uint64_t quire_limit_default(size_t i);
const char *quire_limit_help(size_t i);

/* Sets limit `name` to value; QUIRE_ERR for an unknown name. */
int quire_limit_set(quire_session *s, const char *name, uint64_t value);
/* The value of limit `name` in this session; 0 for an unknown name. */
uint64_t quire_limit_get(const quire_session *s, const char *name);

/* ---- Building documents ------------------------------------------------
 * The same functions plugins reach through the services table; see
 * quire_services in plugin.h for each one's contract. */
quire_doc *quire_doc_new(void);
void quire_doc_free(quire_doc *doc);
void *quire_doc_alloc(quire_doc *doc, size_t size);
char *quire_doc_strndup(quire_doc *doc, const char *s, size_t n);
quire_node *quire_node_new(quire_doc *doc, quire_node_type type);
quire_node *quire_node_new_text(quire_doc *doc, quire_node_type type,
                                const char *s, size_t n);
int quire_node_append(quire_node *parent, quire_node *child);
int quire_node_insert_before(quire_node *sibling, quire_node *node);
void quire_node_unlink(quire_node *node);
void quire_doc_adopt(quire_doc *dst, quire_doc *src);
const char *quire_meta_get(const quire_meta *list, const char *key);
int quire_meta_set(quire_doc *doc, const char *key, const char *value);
int quire_meta_add(quire_doc *doc, const char *key, const char *value);
int quire_node_set_attr(quire_doc *doc, quire_node *node, const char *key,
                        const char *value);
const char *quire_node_attr(const quire_node *node, const char *key);
int quire_res_add(quire_doc *doc, const char *name, const char *media_type,
                  unsigned flags, const void *data, size_t len,
                  const quire_resource **res);
const quire_resource *quire_res_find(const quire_doc *doc, const char *name);
long quire_res_read(const quire_resource *r, unsigned long long offset,
                    void *buf, size_t n);
const char *quire_media_type_of(const void *data, size_t len,
                                const char *name);

/* ---- Reading documents ---------------------------------------------------
 * Reads one input into documents, for programs that work on the model
 * itself.  Formats are chosen as for a conversion. */
typedef struct quire_reader quire_reader;

/* Opens `path` ("-": standard input) with format `from` (NULL: by
 * extension, then by content).  `opts` are the reader's options (may be
 * NULL).  QUIRE_OK with *reader set, or QUIRE_ERR (see quire_error_get). */
int quire_reader_open(quire_session *s, const char *path, const char *from,
                      const quire_options *opts, quire_reader **reader);
/* The same for bytes in memory or a stream (see quire_source in plugin.h):
 * src->name names the input in messages and, with no src->format, chooses
 * the reader by its extension.  src's bytes are borrowed until the reader
 * is freed. */
int quire_reader_open_source(quire_session *s, const quire_source *src,
                             const quire_options *opts, quire_reader **reader);
/* QUIRE_OK with the next document in *doc (the caller frees it with
 * quire_doc_free), QUIRE_DONE at the end, or QUIRE_ERR.  Calling it again
 * after QUIRE_DONE, a failure or quire_reader_close is an error. */
int quire_reader_next(quire_reader *reader, quire_doc **doc);
/* Closes the reader's input: QUIRE_OK, or QUIRE_ERR when it was closed
 * already.  The handle stays until quire_reader_free. */
int quire_reader_close(quire_reader *reader);
/* Closes the reader if it is open and frees it; NULL is allowed. */
void quire_reader_free(quire_reader *reader);
/* The reader's last error; never NULL.  Owned by the reader. */
const quire_error *quire_reader_error(const quire_reader *reader);

/* ---- Conversion ---------------------------------------------------------- */

typedef struct quire_status quire_status;

/* How far a conversion has come, for a progress display.  Inputs are
 * counted as files (a folder counts its files); bytes are the sizes of the
 * input files (standard input and streams count 0 until read). */
typedef struct quire_progress {
  size_t inputs_done, inputs_total;
  unsigned long long bytes_done, bytes_total;
  size_t documents;         /* documents written so far */
  int finished;             /* non-zero on the last call of a run */
} quire_progress;

/* Receives progress; `p` is valid for the call only. */
typedef void (*quire_progress_fn)(void *user, const quire_progress *p);

/* One conversion.  Zero-initialize and set what you need. */
typedef struct quire_job {
  /* Inputs, in order; "-" is standard input; a folder stands for its
   * files (not hidden ones, not sub-folders unless `recursive`) sorted by
   * name, leaving out with a warning the files no format reads (unless
   * `from` is set, or `strict`, which keeps them as inputs that fail).
   * With no input, standard input is read. */
  const char *const *inputs;
  size_t n_inputs;
  const char *from;         /* input format; NULL: by extension, then sniff */
  const char *to;           /* output format; NULL: by the output's extension */
  const char *output;       /* output file; NULL or "-": standard output */
  const char *output_dir;   /* instead of output: one file per input */
  /* Format and transform options (--name=value).  Each goes to the reader,
   * writer and transforms that declare it; one none of them declares is a
   * usage error. */
  const quire_option *options;
  size_t n_options;
  /* Corpus metadata ("title", "language", any key), given to the writer.
   * "language" also becomes the language of documents that have none. */
  const quire_option *metadata;
  size_t n_metadata;
  /* Transforms applied to each document, in order, by name. */
  const char *const *transforms;
  size_t n_transforms;

  /* Inputs in memory or streams, read after `inputs` (see quire_source in
   * plugin.h); their bytes are borrowed for the call. */
  const quire_source *sources;
  size_t n_sources;
  /* Non-NULL: the output goes to memory, not to a file.  On success
   * *output_data (NUL-terminated; the caller frees it with free()) and
   * *output_len hold it; on failure *output_data is NULL. */
  char **output_data;
  size_t *output_len;

  /* Convert every input that can be converted: a failed document or input
   * is reported (QUIRE_SEV_ERROR) and the run goes on; quire_convert then
   * returns QUIRE_FAILED.  Without it the first failure stops the run and
   * leaves no output. */
  int keep_going;
  /* Every warning fails its document. */
  int strict;
  /* Non-NULL: where the outcome is reported instead of the session's last
   * error.  Needed when conversions run on several threads. */
  quire_status *status;

  /* ---- Since 0.3: appended ---- */
  /* Threads that read, transform and render documents: 0 or 1 runs the
   * conversion on the calling thread alone; N > 1 adds N worker threads.
   * The output is byte-identical whatever the count: writers receive the
   * documents in input order, and diagnostics are told in that order. */
  unsigned threads;
  /* Non-NULL: called on the calling thread as the run goes (after each
   * input is written, and once at the end with done == total); see
   * quire_progress.  It must not call back into the session. */
  quire_progress_fn progress;
  void *progress_user;

  /* ---- Since 0.4: appended ---- */
  /* Non-NULL: called on the calling thread with each document the writer
   * has taken, in input order, right after the writer took it (after every
   * transform); `doc` is borrowed for the call, which must not change it
   * nor call back into the session.  For programs that want documents'
   * metadata beside the output (quire --stream does). */
  void (*written)(void *user, const quire_doc *doc);
  void *written_user;
  /* Metadata each document gets for the keys it has no value of its own
   * for, as if its input had said so (pandoc's --metadata), as it is
   * read: before transforms, and before a title is made from the input's
   * name.  A key may repeat (several authors). */
  const quire_option *doc_metadata;
  size_t n_doc_metadata;
  /* Since 0.4: a folder among the inputs also stands for the files of
   * its sub-folders, in name order, each where its folder's name sorts
   * (hidden names left out; links to folders are not followed). */
  int recursive;
} quire_job;

/* The outcome of a conversion.  Zero-initialize; quire_convert fills it.
 * `error` is the failure that stopped the run or, with keep_going, the
 * first failure; its strings point into this struct. */
struct quire_status {
  int result;               /* what quire_convert returned */
  quire_error error;
  size_t documents;         /* documents written */
  size_t failed;            /* inputs or documents that failed */
  size_t dropped;           /* documents transforms dropped */
  size_t warnings;
  char file_buf[1024];
  char message_buf[1024];
};

/* Runs a conversion: documents are read, transformed and written one at a
 * time.  Output files are written beside the target under a temporary name
 * and renamed into place only on success, so a failed run leaves no partial
 * file and an existing output untouched.  A target that is a symbolic link
 * has the file it points to replaced; a FIFO or a device (/dev/stdout) is
 * written directly.  Transforms that want the whole corpus first make the
 * core read the inputs twice (standard input and streams are spooled to a
 * temporary file).  Returns QUIRE_OK; QUIRE_WARN when something was
 * repaired or lost; QUIRE_FAILED when, with keep_going, some inputs or
 * documents failed and the rest was written; QUIRE_FATAL when the run
 * stopped (see job->status, else quire_error_get()).  QUIRE_ERR is
 * QUIRE_FAILED: test `< QUIRE_OK` for any failure. */
int quire_convert(quire_session *s, const quire_job *job);

/* Removes the temporary files of the outputs being written, if any, so
 * that a conversion interrupted by a signal leaves nothing behind.  Safe to
 * call from a signal handler (it only reads atomics and calls unlink); the
 * handler should then end the program. */
void quire_signal_cleanup(void);

#ifdef __cplusplus
}
#endif

#endif
