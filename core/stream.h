/* stream.h - inputs read by readers, outputs written atomically. */
#ifndef QUIRE_CORE_STREAM_H
#define QUIRE_CORE_STREAM_H

#include "session.h"

#define INPUT_HEAD_MAX 4096

struct quire_input {
  char *name;                 /* for messages: the path, or "<stdin>" */
  char *path;                 /* NULL for standard input */
  int fd;
  unsigned char head[INPUT_HEAD_MAX];   /* read ahead for sniffing */
  size_t head_len;
  size_t head_pos;            /* how much of head was handed out */
};

#define OUTPUT_BUFFER_SIZE (64 * 1024)

struct quire_output {
  char *target;               /* final path, NULL for standard output */
  char *tmp;                  /* the temporary file being written */
  int fd;
  int direct;                 /* writing straight to a FIFO or device */
  size_t used;                /* bytes waiting in buf */
  char buf[OUTPUT_BUFFER_SIZE];   /* writers write small pieces */
};

/* Opens `path` ("-" for standard input) and reads its first bytes for the
 * sniffers.  QUIRE_ERR with the session's error set on failure. */
int input_open(quire_session *s, const char *path, quire_input **in);
void input_close(quire_input *in);

/* Starts an output to `target` (NULL: standard output): a temporary file
 * beside the target, with the permissions a new file would get. */
int output_open(quire_session *s, const char *target, quire_output **out);
/* Writes out what the buffer holds; QUIRE_ERR with the session's error
 * set when the write fails. */
int output_flush(quire_session *s, quire_output *out);
/* Finishes an output: renames the temporary file into place.  Frees out. */
int output_commit(quire_session *s, quire_output *out);
/* Abandons an output: removes the temporary file.  Frees out. */
void output_discard(quire_output *out);

long stream_read(quire_env *env, quire_input *in, void *buf, size_t n);
int stream_read_all(quire_env *env, quire_input *in, char **buf, size_t *len);
int stream_write(quire_env *env, quire_output *out, const void *buf,
                 size_t n);

#endif
