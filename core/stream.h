/* stream.h - inputs read by readers (files, standard input, memory,
 * streams), outputs written atomically (files) or handed over (memory,
 * another plugin's sink). */
#ifndef QUIRE_CORE_STREAM_H
#define QUIRE_CORE_STREAM_H

#include "ctx.h"

#define INPUT_HEAD_MAX 4096

struct quire_input {
  char *name;                 /* for messages: the path, "<stdin>", ... */
  char *path;                 /* NULL unless a file named by the user */
  int fd;                     /* -1 unless read from a descriptor */
  int own_fd;                 /* close fd with the input */
  const unsigned char *data;  /* memory: the bytes (borrowed) */
  size_t len, pos;
  quire_read_fn read;         /* a stream */
  void *user;
  unsigned char head[INPUT_HEAD_MAX];   /* read ahead for sniffing */
  size_t head_len;
  size_t head_pos;            /* how much of head was handed out */
  int sub;                    /* a sub-input a reader handed the core */
  int format_named;           /* its format was named (-f, src->format),
                                 not guessed from its name or bytes */
};

/* Opens `path` ("-" for standard input) and reads its first bytes for the
 * sniffers.  QUIRE_FAILED with c's error set on failure. */
int input_open(qctx *c, const char *path, quire_input **in);
/* An input reading descriptor fd (kept open: the caller owns it) from its
 * start, called `name` in messages. */
int input_open_fd(qctx *c, int fd, const char *name, quire_input **in);
/* An input reading src's bytes or stream, called `name` in messages. */
int input_open_source(qctx *c, const quire_source *src, const char *name,
                      quire_input **in);
void input_close(quire_input *in);
/* The first bytes of the input, for the sniffers. */
const unsigned char *input_head(const quire_input *in, size_t *len);

/* Copies what src (a stream, or standard input when src is NULL) holds
 * into an unlinked temporary file, so it can be read twice.  Returns the
 * descriptor, or -1 with c's error set. */
int input_spool(qctx *c, const quire_source *src);

#define OUTPUT_BUFFER_SIZE (64 * 1024)
/* A piece this large that does not fit what is left of the buffer is
 * written from where it lies, with the buffer's bytes, in one writev. */
#define OUTPUT_DIRECT_MIN (8 * 1024)

struct quire_output {
  char *target;               /* final path, NULL for standard output */
  char *name;                 /* for messages */
  char *tmp;                  /* the temporary file being written, NULL
                                 while it is unnamed (O_TMPFILE) */
  int fd;
  int unnamed;                /* fd is an unnamed file in the target's
                                 folder, linked into place on commit */
  int direct;                 /* writing straight to a FIFO or device */
  int slot;                   /* in the signal cleanup table, or -1 */
  int to_memory;              /* bytes collect in mem */
  char *mem;
  size_t mem_len, mem_cap;
  quire_write_fn sink;        /* bytes go to sink(user, ...) */
  void *user;
  size_t used;                /* bytes waiting in buf */
  char buf[OUTPUT_BUFFER_SIZE];   /* writers write small pieces */
};

/* Starts an output to `target` (NULL: standard output): a temporary file
 * beside the target, with the permissions a new file would get.  On Linux
 * the file has no name (O_TMPFILE) until output_commit, so no death of the
 * process leaves it behind; elsewhere it is a hidden named file. */
int output_open(qctx *c, const char *target, quire_output **out);
/* The temporary file's path, giving an unnamed one a hidden name beside
 * the target first (for a writer that must reopen its output by name);
 * NULL for standard output, memory, a sink, or when naming fails. */
const char *output_tmp_path(quire_output *out);
/* An output collected in memory, handed over by output_commit. */
int output_open_memory(qctx *c, const char *name, quire_output **out);
/* An output whose bytes go to sink(user, ...). */
int output_open_sink(qctx *c, const char *name, quire_write_fn sink,
                     void *user, quire_output **out);
/* Writes out what the buffer holds; QUIRE_FATAL with c's error set when
 * the write fails. */
int output_flush(qctx *c, quire_output *out);
/* Finishes an output: renames the temporary file into place, or hands the
 * memory over (*data, *len; both may be NULL to drop it).  Frees out. */
int output_commit(qctx *c, quire_output *out, char **data, size_t *len);
/* Abandons an output: removes the temporary file.  Frees out. */
void output_discard(quire_output *out);

long stream_read(quire_env *env, quire_input *in, void *buf, size_t n);
int stream_read_all(quire_env *env, quire_input *in, char **buf, size_t *len);
int stream_write(quire_env *env, quire_output *out, const void *buf,
                 size_t n);

#endif
