/* stream.c - inputs read by readers, outputs written atomically. */
#define _GNU_SOURCE
#include <quire/quire.h>

#include <errno.h>
#include <stdatomic.h>
#include <fcntl.h>
#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include "stream.h"
#include "temp_file.h"

/* The temporary files being written, for quire_signal_cleanup(): the only
 * process-wide state the core keeps.  A signal handler may read a slot at
 * any moment, so a slot is set only once the name is complete and cleared
 * before the name is freed; conversions on several threads each take a
 * free slot.  Lock-free atomics are async-signal-safe. */
#define SIGNAL_SLOTS 64
static _Atomic(char *) signal_tmp[SIGNAL_SLOTS];

void quire_signal_cleanup(void) {
  for (int i = 0; i < SIGNAL_SLOTS; i++) {
    char *tmp = atomic_load(&signal_tmp[i]);
    if (tmp)
      unlink(tmp);   /* async-signal-safe */
  }
}

/* Tracks tmp in a free slot: its index, or -1 when all are taken (the file
 * is then not removed on a signal). */
static int signal_track(char *tmp) {
  for (int i = 0; i < SIGNAL_SLOTS; i++) {
    char *expected = NULL;
    if (atomic_compare_exchange_strong(&signal_tmp[i], &expected, tmp))
      return i;
  }
  return -1;
}

static void signal_untrack(int slot) {
  if (slot >= 0)
    atomic_store(&signal_tmp[slot], NULL);
}

/* The process's umask, read without changing it (umask(2) cannot). */
static mode_t current_umask(void) {
  FILE *f = fopen("/proc/self/status", "re");
  char line[256];
  unsigned mask = 022;
  while (f && fgets(line, sizeof line, f))
    if (sscanf(line, "Umask: %o", &mask) == 1)
      break;
  if (f)
    fclose(f);
  return (mode_t)mask;
}

static long read_fd(int fd, void *buf, size_t n) {
  for (;;) {
    ssize_t got = read(fd, buf, n);
    if (got >= 0 || errno != EINTR)
      return (long)got;
  }
}

/* Reads the first bytes of a descriptor or stream input into its head. */
static int fill_head(qctx *c, quire_input *in) {
  quire_loc loc = {.file = in->name};
  while (in->head_len < INPUT_HEAD_MAX) {
    long got = in->read ? in->read(in->user, in->head + in->head_len,
                                   INPUT_HEAD_MAX - in->head_len)
                        : read_fd(in->fd, in->head + in->head_len,
                                  INPUT_HEAD_MAX - in->head_len);
    if (got < 0)
      return ctx_fail(c, QUIRE_FAILED, QUIRE_ERROR_CONVERSION, &loc,
                      "cannot read: %s", in->read ? "the stream failed"
                                                  : strerror(errno));
    if (got == 0)
      break;
    in->head_len += (size_t)got;
  }
  return QUIRE_OK;
}

/* Fills the head of a descriptor or stream input and hands it over, or
 * closes it on failure. */
static int input_ready(qctx *c, quire_input *in, quire_input **result) {
  int rc = in->data || (!in->read && in->fd < 0) ? QUIRE_OK : fill_head(c, in);
  if (rc != QUIRE_OK) {
    input_close(in);
    return rc;
  }
  *result = in;
  return QUIRE_OK;
}

static quire_input *input_new(qctx *c, const char *name) {
  quire_input *in = calloc(1, sizeof *in);
  if (in && !(in->name = strdup(name))) {
    free(in);
    in = NULL;
  }
  if (!in)
    ctx_oom(c);
  else
    in->fd = -1;
  return in;
}

int input_open(qctx *c, const char *path, quire_input **result) {
  int is_stdin = strcmp(path, "-") == 0;
  quire_input *in = input_new(c, is_stdin ? "<stdin>" : path);
  if (!in)
    return QUIRE_FATAL;
  quire_loc loc = {.file = path};
  if (!is_stdin && !(in->path = strdup(path))) {
    input_close(in);
    return ctx_oom(c);
  }
  in->fd = is_stdin ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC);
  in->own_fd = !is_stdin;
  if (in->fd < 0) {
    ctx_fail(c, QUIRE_FAILED, QUIRE_ERROR_CONVERSION, &loc, "cannot open: %s",
             strerror(errno));
    input_close(in);
    return QUIRE_FAILED;
  }
  return input_ready(c, in, result);
}

int input_open_fd(qctx *c, int fd, const char *name, quire_input **result) {
  quire_input *in = input_new(c, name);
  if (!in)
    return QUIRE_FATAL;
  in->fd = fd;
  quire_loc loc = {.file = name};
  if (lseek(fd, 0, SEEK_SET) < 0) {
    ctx_fail(c, QUIRE_FAILED, QUIRE_ERROR_CONVERSION, &loc,
             "cannot read: %s", strerror(errno));
    input_close(in);
    return QUIRE_FAILED;
  }
  return input_ready(c, in, result);
}

int input_open_source(qctx *c, const quire_source *src, const char *name,
                      quire_input **result) {
  quire_input *in = input_new(c, name);
  if (!in)
    return QUIRE_FATAL;
  in->read = src->read;
  in->user = src->user;
  if (!src->read) {
    in->data = src->data;
    in->len = src->data ? src->len : 0;
  }
  return input_ready(c, in, result);
}

const unsigned char *input_head(const quire_input *in, size_t *len) {
  if (in->data || (!in->read && in->fd < 0)) {
    *len = in->len < INPUT_HEAD_MAX ? in->len : INPUT_HEAD_MAX;
    return in->data;
  }
  *len = in->head_len;
  return in->head;
}

void input_close(quire_input *in) {
  if (!in)
    return;
  if (in->own_fd && in->fd > STDIN_FILENO)
    close(in->fd);
  free(in->name);
  free(in->path);
  free(in);
}

int input_spool(qctx *c, const quire_source *src) {
  const char *name = src ? src->name : "<stdin>";
  quire_loc loc = {.file = name};
  int fd = temp_file_fd();
  if (fd < 0) {
    ctx_fail(c, QUIRE_FATAL, QUIRE_ERROR_CONVERSION, &loc,
             "cannot make a temporary file in %s to read it twice: %s",
             temp_file_dir(), strerror(errno));
    return -1;
  }
  char buf[1 << 16];
  for (;;) {
    long got = src && src->read ? src->read(src->user, buf, sizeof buf)
                                : read_fd(STDIN_FILENO, buf, sizeof buf);
    if (got == 0)
      break;
    if (got < 0) {
      close(fd);
      ctx_fail(c, QUIRE_FAILED, QUIRE_ERROR_CONVERSION, &loc,
               "cannot read: %s", src ? "the stream failed" : strerror(errno));
      return -1;
    }
    const char *p = buf;
    size_t left = (size_t)got;
    while (left) {
      ssize_t put = write(fd, p, left);
      if (put < 0 && errno == EINTR)
        continue;
      if (put <= 0) {
        close(fd);
        ctx_fail(c, QUIRE_FATAL, QUIRE_ERROR_CONVERSION, &loc,
                 "cannot spool: %s", put < 0 ? strerror(errno) : "disk full");
        return -1;
      }
      p += put;
      left -= (size_t)put;
    }
  }
  return fd;
}

long stream_read(quire_env *env, quire_input *in, void *buf, size_t n) {
  if (in->data || (!in->read && in->fd < 0)) {
    size_t k = in->len - in->pos;
    if (k > n)
      k = n;
    if (k)
      memcpy(buf, in->data + in->pos, k);
    in->pos += k;
    return (long)k;
  }
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
  long got = in->read ? in->read(in->user, buf, n) : read_fd(in->fd, buf, n);
  if (got < 0) {
    quire_loc loc = {.file = in->name};
    env->svc->error(env, &loc, "cannot read: %s",
                    in->read ? "the stream failed" : strerror(errno));
  }
  return got;
}

int stream_read_all(quire_env *env, quire_input *in, char **result,
                    size_t *len) {
  uint64_t limit = env->svc->limit(env, "max-input-size");
  size_t cap = 64 * 1024, used = 0;
  struct stat st;
  if (in->fd >= 0 && fstat(in->fd, &st) == 0 && S_ISREG(st.st_mode) &&
      st.st_size > 0 && (uint64_t)st.st_size <= limit)
    cap = (size_t)st.st_size + 1;   /* one read, no regrowth */
  else if (in->data && in->len < limit)
    cap = in->len - in->pos + 1;
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

static quire_output *output_new(qctx *c, const char *name) {
  /* Everything but the 64 KB buffer zeroed: it is written before it is
   * read. */
  quire_output *out = malloc(sizeof *out);
  if (out)
    memset(out, 0, offsetof(quire_output, buf));
  if (out && !(out->name = strdup(name))) {
    free(out);
    out = NULL;
  }
  if (!out) {
    ctx_oom(c);
    return NULL;
  }
  out->fd = -1;
  out->slot = -1;
  return out;
}

int output_open_memory(qctx *c, const char *name, quire_output **result) {
  quire_output *out = output_new(c, name);
  if (!out)
    return QUIRE_FATAL;
  out->to_memory = 1;
  *result = out;
  return QUIRE_OK;
}

int output_open_sink(qctx *c, const char *name, quire_write_fn sink,
                     void *user, quire_output **result) {
  quire_output *out = output_new(c, name);
  if (!out)
    return QUIRE_FATAL;
  out->sink = sink;
  out->user = user;
  *result = out;
  return QUIRE_OK;
}

/* Opens an unnamed file (O_TMPFILE) in the folder of target, whose first
 * dirlen bytes name it, with the permissions open(2) gives a new file: it
 * vanishes with its last descriptor, whatever kills the process.  -1 where
 * the kernel or the file system cannot (EOPNOTSUPP, EISDIR, EINVAL) or the
 * file could not be linked later (no /proc): the caller then falls back to
 * a named temporary file, which also reports any other error. */
static int open_unnamed(const char *target, int dirlen) {
#ifdef O_TMPFILE
  char dir[PATH_MAX];
  if (dirlen == 0)
    strcpy(dir, ".");
  else if ((size_t)dirlen < sizeof dir)
    snprintf(dir, sizeof dir, "%.*s", dirlen, target);
  else
    return -1;
  int fd = open(dir, O_TMPFILE | O_WRONLY | O_CLOEXEC, 0666);
  if (fd < 0)
    return -1;
  char proc[40];
  snprintf(proc, sizeof proc, "/proc/self/fd/%d", fd);
  if (access(proc, F_OK) != 0) {   /* linkat() below needs it */
    close(fd);
    return -1;
  }
  return fd;
#else
  (void)target;
  (void)dirlen;
  return -1;
#endif
}

/* Gives out's unnamed file a hidden name beside the target
 * (".NAME.XXXXXX", as a named temporary file has), tracked for
 * quire_signal_cleanup().  0, or -1 with errno set.  Names are tried until
 * one is free: linkat() never replaces a file. */
static int output_name_tmp(quire_output *out) {
  static atomic_uint counter;
  const char *target = out->target;
  const char *slash = strrchr(target, '/');
  int dirlen = slash ? (int)(slash - target + 1) : 0;
  size_t n = strlen(target) + 16;
  char *tmp = malloc(n);
  if (!tmp) {
    errno = ENOMEM;
    return -1;
  }
  char proc[40];
  snprintf(proc, sizeof proc, "/proc/self/fd/%d", out->fd);
  static const char letters[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  for (int tries = 0; tries < 100; tries++) {
    unsigned long long v = (unsigned long long)getpid() * 2654435761u ^
                           (unsigned long long)atomic_fetch_add(&counter, 1) *
                               0x9E3779B97F4A7C15ull ^
                           (unsigned long long)(uintptr_t)out;
    char suffix[7];
    for (int i = 0; i < 6; i++, v /= 62)
      suffix[i] = letters[v % 62];
    suffix[6] = '\0';
    snprintf(tmp, n, "%.*s.%s.%s", dirlen, target, target + dirlen, suffix);
    if (linkat(AT_FDCWD, proc, AT_FDCWD, tmp, AT_SYMLINK_FOLLOW) == 0) {
      out->tmp = tmp;
      out->unnamed = 0;
      out->slot = signal_track(tmp);
      return 0;
    }
    if (errno != EEXIST)
      break;
  }
  int err = errno;
  free(tmp);
  errno = err;
  return -1;
}

/* Links out's unnamed file to the target itself, when no file has that
 * name: no moment when the output exists under another name (a SIGKILL
 * between a hidden name and the rename left the hidden file behind).
 * 0, or -1 (the target exists, or linking failed: name it the other way). */
static int output_link_target(quire_output *out) {
  char proc[40];
  snprintf(proc, sizeof proc, "/proc/self/fd/%d", out->fd);
  return linkat(AT_FDCWD, proc, AT_FDCWD, out->target, AT_SYMLINK_FOLLOW);
}

const char *output_tmp_path(quire_output *out) {
  if (out->unnamed && output_name_tmp(out) != 0)
    return NULL;
  return out->tmp;
}

int output_open(qctx *c, const char *target, quire_output **result) {
  quire_output *out = output_new(c, target ? target : "<stdout>");
  if (!out)
    return QUIRE_FATAL;
  if (!target) {
    out->fd = STDOUT_FILENO;
    *result = out;
    return QUIRE_OK;
  }
  quire_loc loc = {.file = target};
  struct stat st;
  if (stat(target, &st) == 0 && S_ISDIR(st.st_mode)) {
    output_discard(out);
    return ctx_fail(c, QUIRE_FATAL, QUIRE_ERROR_USAGE, &loc,
                    "is a folder; give a file name, or use --output-dir");
  }
  if (stat(target, &st) == 0 && !S_ISREG(st.st_mode)) {
    /* A FIFO or a device (/dev/stdout): nothing to replace atomically,
     * and replacing it would destroy it.  Write to it as it is. */
    out->direct = 1;
    out->target = strdup(target);
    out->fd = out->target ? open(target, O_WRONLY | O_TRUNC | O_CLOEXEC) : -1;
    if (out->fd < 0) {
      ctx_fail(c, QUIRE_FATAL, QUIRE_ERROR_CONVERSION, &loc,
               "cannot open: %s", out->target ? strerror(errno)
                                              : "out of memory");
      output_discard(out);
      return QUIRE_FATAL;
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
  char *tmp = malloc(n);
  if (!out->target || !tmp) {
    free(tmp);
    output_discard(out);
    return ctx_oom(c);
  }
  /* A hidden name in the same folder, so the final rename() is atomic. */
  snprintf(tmp, n, "%.*s.%s.XXXXXX", dirlen, target, target + dirlen);
  out->fd = open_unnamed(target, dirlen);
  if (out->fd >= 0) {
    /* Named only when committed: a SIGKILL leaves nothing behind. */
    free(tmp);
    out->unnamed = 1;
    *result = out;
    return QUIRE_OK;
  }
  out->fd = mkostemp(tmp, O_CLOEXEC);
  if (out->fd < 0) {
    ctx_fail(c, QUIRE_FATAL, QUIRE_ERROR_CONVERSION, &loc,
             "cannot create: %s", strerror(errno));
    free(tmp);
    output_discard(out);
    return QUIRE_FATAL;
  }
  out->tmp = tmp;
  out->slot = signal_track(tmp);
  /* mkstemp makes the file 0600; give it what open(2) would.  umask() is
   * read from /proc so that threads never change it, even for a moment. */
  if (c->umask < 0)   /* once a run: outputs may number in the millions */
    c->umask = (int)current_umask();
  fchmod(out->fd, 0666 & ~(mode_t)c->umask);
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

/* Writes a[0..na) then b[0..nb) to fd in as few calls as the kernel
 * takes: one, mostly.  0, or -1 with errno. */
static int write_two(int fd, const char *a, size_t na, const char *b,
                     size_t nb) {
  while (na > 0) {
    struct iovec v[2] = {{(void *)a, na}, {(void *)b, nb}};
    ssize_t put = writev(fd, v, 2);
    if (put < 0 && errno == EINTR)
      continue;
    if (put <= 0) {
      if (put == 0)
        errno = EIO;
      return -1;
    }
    size_t done = (size_t)put;
    if (done >= na) {
      b += done - na;
      nb -= done - na;
      na = 0;
    } else {
      a += done;
      na -= done;
    }
  }
  return write_fd(fd, b, nb);
}

/* Puts n bytes where the output goes, past the buffer. */
static int put(qctx *c, quire_output *out, const char *p, size_t n) {
  quire_loc loc = {.file = out->name};
  if (out->to_memory) {
    if (n >= SIZE_MAX - out->mem_len - 1)
      return ctx_oom(c);
    if (out->mem_len + n + 1 > out->mem_cap) {
      size_t cap = out->mem_cap ? out->mem_cap : 4096;
      while (cap < out->mem_len + n + 1)
        cap = cap < SIZE_MAX / 2 ? cap * 2 : out->mem_len + n + 1;
      char *grown = realloc(out->mem, cap);
      if (!grown)
        return ctx_oom(c);
      out->mem = grown;
      out->mem_cap = cap;
    }
    memcpy(out->mem + out->mem_len, p, n);
    out->mem_len += n;
    out->mem[out->mem_len] = '\0';
    return QUIRE_OK;
  }
  if (out->sink) {
    int rc = out->sink(out->user, p, n);
    if (rc < QUIRE_OK && c->error.kind == QUIRE_ERROR_NONE)
      ctx_fail(c, QUIRE_FATAL, QUIRE_ERROR_CONVERSION, &loc,
               "the receiving writer failed");
    return rc < QUIRE_OK ? QUIRE_FATAL : QUIRE_OK;
  }
  if (write_fd(out->fd, p, n) != 0)
    return ctx_fail(c, QUIRE_FATAL, QUIRE_ERROR_CONVERSION, &loc,
                    "cannot write: %s", strerror(errno));
  return QUIRE_OK;
}

int output_flush(qctx *c, quire_output *out) {
  size_t n = out->used;
  out->used = 0;
  return n ? put(c, out, out->buf, n) : QUIRE_OK;
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
  qctx *c = scope_of(env)->ctx;
  if (n >= OUTPUT_DIRECT_MIN && !out->to_memory && !out->sink) {
    /* A large piece (a document rendered ahead, say) goes out with what
     * is buffered, without being copied into the buffer first. */
    size_t used = out->used;
    out->used = 0;
    if (write_two(out->fd, out->buf, used, buf, n) != 0) {
      quire_loc loc = {.file = out->name};
      return ctx_fail(c, QUIRE_FATAL, QUIRE_ERROR_CONVERSION, &loc,
                      "cannot write: %s", strerror(errno));
    }
    return QUIRE_OK;
  }
  int rc = output_flush(c, out);
  if (rc != QUIRE_OK)
    return rc;
  if (n < sizeof out->buf) {
    memcpy(out->buf, buf, n);
    out->used = n;
    return QUIRE_OK;
  }
  return put(c, out, buf, n);
}

int output_commit(qctx *c, quire_output *out, char **data, size_t *len) {
  int rc = output_flush(c, out);
  if (rc != QUIRE_OK) {
    output_discard(out);
    return rc;
  }
  quire_loc loc = {.file = out->name};
  if (out->to_memory) {
    if (!out->mem && !(out->mem = calloc(1, 1))) {
      output_discard(out);
      return ctx_oom(c);
    }
    if (data) {
      *data = out->mem;
      out->mem = NULL;
    }
    if (len)
      *len = out->mem_len;
  } else if (out->direct) {
    if (close(out->fd) != 0)
      rc = ctx_fail(c, QUIRE_FATAL, QUIRE_ERROR_CONVERSION, &loc,
                    "cannot write: %s", strerror(errno));
    out->fd = -1;
  } else if (out->target && out->unnamed && output_link_target(out) == 0) {
    /* in place at once: a kill from here on leaves the whole output */
    if (close(out->fd) != 0) {
      rc = ctx_fail(c, QUIRE_FATAL, QUIRE_ERROR_CONVERSION, &loc,
                    "cannot write: %s", strerror(errno));
      unlink(out->target);   /* it did not exist before: ours alone */
    }
    out->fd = -1;
  } else if (out->target) {
    /* An unnamed file whose target exists gets a hidden name, then takes
     * the target's by rename(): linking it to the target cannot replace a
     * file, and the name lives only between the two calls. */
    if (out->unnamed && output_name_tmp(out) != 0) {
      rc = ctx_fail(c, QUIRE_FATAL, QUIRE_ERROR_CONVERSION, &loc,
                    "cannot link the output into its folder: %s",
                    strerror(errno));
      output_discard(out);
      return rc;
    }
    if (close(out->fd) != 0)
      rc = ctx_fail(c, QUIRE_FATAL, QUIRE_ERROR_CONVERSION, &loc,
                    "cannot write: %s", strerror(errno));
    else if (rename(out->tmp, out->target) != 0)
      rc = ctx_fail(c, QUIRE_FATAL, QUIRE_ERROR_CONVERSION, &loc,
                    "cannot rename %s: %s", out->tmp, strerror(errno));
    out->fd = -1;
    if (rc != QUIRE_OK)
      unlink(out->tmp);
    signal_untrack(out->slot);
    out->slot = -1;
    free(out->tmp);
    out->tmp = NULL;
  }
  output_discard(out);
  return rc;
}

void output_discard(quire_output *out) {
  if (!out)
    return;
  if ((out->direct || out->unnamed) && out->fd >= 0)
    close(out->fd);   /* an unnamed file vanishes with it */
  if (out->tmp) {
    if (out->fd >= 0)
      close(out->fd);
    unlink(out->tmp);
    signal_untrack(out->slot);
    free(out->tmp);
  }
  free(out->mem);
  free(out->target);
  free(out->name);
  free(out);
}
