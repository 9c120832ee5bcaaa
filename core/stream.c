/* stream.c - inputs read by readers, outputs written atomically. */
#define _GNU_SOURCE
#include <quire/quire.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "stream.h"

/* The temporary file being written, for quire_signal_cleanup(): a signal
 * handler may read it at any moment, so it is set only once the name is
 * complete and cleared before the name is freed. */
static char *volatile signal_tmp;

void quire_signal_cleanup(void) {
  char *tmp = signal_tmp;
  if (tmp)
    unlink(tmp);   /* async-signal-safe */
}

static long read_fd(int fd, void *buf, size_t n) {
  for (;;) {
    ssize_t got = read(fd, buf, n);
    if (got >= 0 || errno != EINTR)
      return (long)got;
  }
}

int input_open(quire_session *s, const char *path, quire_input **result) {
  quire_input *in = calloc(1, sizeof *in);
  if (!in)
    return session_fail(s, QUIRE_ERROR_CONVERSION, NULL, "out of memory"),
           QUIRE_ERR;
  int is_stdin = strcmp(path, "-") == 0;
  in->name = strdup(is_stdin ? "<stdin>" : path);
  in->path = is_stdin ? NULL : strdup(path);
  quire_loc loc = {.file = path};
  if (!in->name || (!is_stdin && !in->path)) {
    input_close(in);
    return session_fail(s, QUIRE_ERROR_CONVERSION, &loc, "out of memory"),
           QUIRE_ERR;
  }
  in->fd = is_stdin ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC);
  if (in->fd < 0) {
    session_fail(s, QUIRE_ERROR_CONVERSION, &loc, "cannot open: %s",
                 strerror(errno));
    input_close(in);
    return QUIRE_ERR;
  }
  while (in->head_len < INPUT_HEAD_MAX) {
    long got = read_fd(in->fd, in->head + in->head_len,
                       INPUT_HEAD_MAX - in->head_len);
    if (got < 0) {
      session_fail(s, QUIRE_ERROR_CONVERSION, &loc, "cannot read: %s",
                   strerror(errno));
      input_close(in);
      return QUIRE_ERR;
    }
    if (got == 0)
      break;
    in->head_len += (size_t)got;
  }
  *result = in;
  return QUIRE_OK;
}

void input_close(quire_input *in) {
  if (!in)
    return;
  if (in->fd > STDIN_FILENO)
    close(in->fd);
  free(in->name);
  free(in->path);
  free(in);
}

long stream_read(quire_env *env, quire_input *in, void *buf, size_t n) {
  if (in->head_pos < in->head_len) {
    size_t k = in->head_len - in->head_pos;
    if (k > n)
      k = n;
    memcpy(buf, in->head + in->head_pos, k);
    in->head_pos += k;
    return (long)k;
  }
  if (n > LONG_MAX)
    n = LONG_MAX;
  long got = read_fd(in->fd, buf, n);
  if (got < 0) {
    quire_loc loc = {.file = in->name};
    env->svc->error(env, &loc, "cannot read: %s", strerror(errno));
  }
  return got;
}

int stream_read_all(quire_env *env, quire_input *in, char **result,
                    size_t *len) {
  uint64_t limit = env->svc->limit(env, "max-input-size");
  size_t cap = 64 * 1024, used = 0;
  struct stat st;
  if (fstat(in->fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0 &&
      (uint64_t)st.st_size <= limit)
    cap = (size_t)st.st_size + 1;   /* one read, no regrowth */
  char *buf = malloc(cap);
  quire_loc loc = {.file = in->name};
  if (!buf)
    return env->svc->error(env, &loc, "out of memory"), QUIRE_ERR;
  for (;;) {
    if (used == cap) {
      char *grown = cap < SIZE_MAX / 2 ? realloc(buf, cap * 2) : NULL;
      if (!grown) {
        free(buf);
        return env->svc->error(env, &loc, "out of memory"), QUIRE_ERR;
      }
      buf = grown;
      cap *= 2;
    }
    long got = stream_read(env, in, buf + used, cap - used);
    if (got < 0) {
      free(buf);
      return QUIRE_ERR;
    }
    if (got == 0)
      break;
    used += (size_t)got;
    if (used > limit) {
      free(buf);
      env->svc->error(env, &loc,
                      "input larger than the limit max-input-size (%llu "
                      "bytes); raise it with --limit max-input-size=N",
                      (unsigned long long)limit);
      return QUIRE_ERR;
    }
  }
  *result = buf;
  *len = used;
  return QUIRE_OK;
}

int output_open(quire_session *s, const char *target, quire_output **result) {
  quire_output *out = calloc(1, sizeof *out);
  if (!out)
    return session_fail(s, QUIRE_ERROR_CONVERSION, NULL, "out of memory"),
           QUIRE_ERR;
  if (!target) {
    out->fd = STDOUT_FILENO;
    *result = out;
    return QUIRE_OK;
  }
  quire_loc loc = {.file = target};
  struct stat st;
  if (stat(target, &st) == 0 && S_ISDIR(st.st_mode)) {
    free(out);
    return session_fail(s, QUIRE_ERROR_USAGE, &loc,
                        "is a folder; give a file name, or use --output-dir"),
           QUIRE_ERR;
  }
  if (stat(target, &st) == 0 && !S_ISREG(st.st_mode)) {
    /* A FIFO or a device (/dev/stdout): nothing to replace atomically,
     * and replacing it would destroy it.  Write to it as it is. */
    out->direct = 1;
    out->target = strdup(target);
    out->fd = out->target ? open(target, O_WRONLY | O_TRUNC | O_CLOEXEC) : -1;
    if (out->fd < 0) {
      session_fail(s, QUIRE_ERROR_CONVERSION, &loc, "cannot open: %s",
                   out->target ? strerror(errno) : "out of memory");
      free(out->target);
      free(out);
      return QUIRE_ERR;
    }
    *result = out;
    return QUIRE_OK;
  }
  /* A symbolic link to a file: the file it points to is replaced, and the
   * link stays. */
  char *real = NULL;
  struct stat lst;
  if (lstat(target, &lst) == 0 && S_ISLNK(lst.st_mode))
    real = realpath(target, NULL);
  out->target = real ? real : strdup(target);
  target = out->target ? out->target : target;
  const char *slash = strrchr(target, '/');
  int dirlen = slash ? (int)(slash - target + 1) : 0;
  size_t n = strlen(target) + 16;
  out->tmp = malloc(n);
  if (!out->target || !out->tmp) {
    output_discard(out);
    return session_fail(s, QUIRE_ERROR_CONVERSION, &loc, "out of memory"),
           QUIRE_ERR;
  }
  /* A hidden name in the same folder, so the final rename() is atomic. */
  snprintf(out->tmp, n, "%.*s.%s.XXXXXX", dirlen, target, target + dirlen);
  out->fd = mkostemp(out->tmp, O_CLOEXEC);
  if (out->fd < 0) {
    session_fail(s, QUIRE_ERROR_CONVERSION, &loc, "cannot create: %s",
                 strerror(errno));
    free(out->tmp);
    out->tmp = NULL;
    output_discard(out);
    return QUIRE_ERR;
  }
  signal_tmp = out->tmp;
  /* mkstemp makes the file 0600; give it what open(2) would. */
  mode_t mask = umask(0);
  umask(mask);
  fchmod(out->fd, 0666 & ~mask);
  *result = out;
  return QUIRE_OK;
}

static int write_fd(int fd, const char *p, size_t n) {
  while (n > 0) {
    ssize_t put = write(fd, p, n);
    if (put < 0 && errno == EINTR)
      continue;
    if (put <= 0) {
      if (put == 0)
        errno = EIO;
      return -1;
    }
    p += put;
    n -= (size_t)put;
  }
  return 0;
}

int output_flush(quire_session *s, quire_output *out) {
  if (out->used && write_fd(out->fd, out->buf, out->used) != 0) {
    quire_loc loc = {.file = out->target ? out->target : "<stdout>"};
    session_fail(s, QUIRE_ERROR_CONVERSION, &loc, "cannot write: %s",
                 strerror(errno));
    out->used = 0;
    return QUIRE_ERR;
  }
  out->used = 0;
  return QUIRE_OK;
}

int stream_write(quire_env *env, quire_output *out, const void *buf,
                 size_t n) {
  if (n == 0)
    return QUIRE_OK;
  if (n <= sizeof out->buf - out->used) {
    memcpy(out->buf + out->used, buf, n);
    out->used += n;
    return QUIRE_OK;
  }
  quire_session *s = session_from_env(env);
  if (output_flush(s, out) != QUIRE_OK)
    return QUIRE_ERR;
  if (n < sizeof out->buf) {
    memcpy(out->buf, buf, n);
    out->used = n;
    return QUIRE_OK;
  }
  if (write_fd(out->fd, buf, n) != 0) {
    quire_loc loc = {.file = out->target ? out->target : "<stdout>"};
    session_fail(s, QUIRE_ERROR_CONVERSION, &loc, "cannot write: %s",
                 strerror(errno));
    return QUIRE_ERR;
  }
  return QUIRE_OK;
}

int output_commit(quire_session *s, quire_output *out) {
  int rc = output_flush(s, out);
  if (rc != QUIRE_OK) {
    output_discard(out);
    return rc;
  }
  if (out->direct) {
    if (close(out->fd) != 0) {
      quire_loc loc = {.file = out->target};
      session_fail(s, QUIRE_ERROR_CONVERSION, &loc, "cannot write: %s",
                   strerror(errno));
      rc = QUIRE_ERR;
    }
    out->fd = -1;
  } else if (out->target) {
    quire_loc loc = {.file = out->target};
    if (close(out->fd) != 0) {
      session_fail(s, QUIRE_ERROR_CONVERSION, &loc, "cannot write: %s",
                   strerror(errno));
      rc = QUIRE_ERR;
    } else if (rename(out->tmp, out->target) != 0) {
      session_fail(s, QUIRE_ERROR_CONVERSION, &loc, "cannot rename %s: %s",
                   out->tmp, strerror(errno));
      rc = QUIRE_ERR;
    }
    out->fd = -1;
    if (rc != QUIRE_OK)
      unlink(out->tmp);
    if (signal_tmp == out->tmp)
      signal_tmp = NULL;
    free(out->tmp);
    out->tmp = NULL;
  }
  output_discard(out);
  return rc;
}

void output_discard(quire_output *out) {
  if (!out)
    return;
  if (out->direct && out->fd >= 0)
    close(out->fd);
  if (out->tmp) {
    if (out->fd >= 0)
      close(out->fd);
    unlink(out->tmp);
    if (signal_tmp == out->tmp)
      signal_tmp = NULL;
    free(out->tmp);
  }
  free(out->target);
  free(out);
}
