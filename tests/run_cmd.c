/* run_cmd.c - fork, execve and three pipes watched with poll(), so neither
 * side blocks when the other's pipe is full. */
#include "run_cmd.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

typedef struct buffer {
  char *data;
  size_t len;
  size_t cap;
} buffer;

/* Appends up to what one read() gives; 1 on data, 0 at end of file or on a
 * read error other than EAGAIN, -1 when out of memory, 2 on EAGAIN. */
static int buffer_read(buffer *b, int fd) {
  if (b->cap - b->len < 4096 + 1) {
    size_t cap = b->cap ? b->cap * 2 : 8192;
    char *grown = realloc(b->data, cap);
    if (!grown)
      return -1;
    b->data = grown;
    b->cap = cap;
  }
  ssize_t got = read(fd, b->data + b->len, b->cap - b->len - 1);
  if (got > 0) {
    b->len += (size_t)got;
    return 1;
  }
  if (got < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
    return 2;
  return 0;
}

static char *buffer_finish(buffer *b, size_t *len) {
  if (!b->data) {
    b->data = malloc(1);
    if (!b->data)
      return NULL;
  }
  b->data[b->len] = '\0';
  *len = b->len;
  return b->data;
}

static void close_fd(int *fd) {
  if (*fd >= 0)
    close(*fd);
  *fd = -1;
}

static int set_flags(int fd, int nonblock) {
  int fdf = fcntl(fd, F_GETFD);
  if (fdf < 0 || fcntl(fd, F_SETFD, fdf | FD_CLOEXEC) < 0)
    return -1;
  if (nonblock) {
    int fl = fcntl(fd, F_GETFL);
    if (fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) < 0)
      return -1;
  }
  return 0;
}

static size_t name_len(const char *assignment) {
  const char *eq = strchr(assignment, '=');
  return eq ? (size_t)(eq - assignment) : strlen(assignment);
}

/* environ with the additions, which replace variables of the same name. */
static char **make_env(const char *const *add) {
  size_t n_env = 0, n_add = 0;
  while (environ && environ[n_env])
    n_env++;
  while (add && add[n_add])
    n_add++;
  char **env = calloc(n_env + n_add + 1, sizeof *env);
  if (!env)
    return NULL;
  size_t k = 0;
  for (size_t i = 0; i < n_env; i++) {
    int replaced = 0;
    size_t n = name_len(environ[i]);
    for (size_t j = 0; j < n_add && !replaced; j++)
      replaced = name_len(add[j]) == n && strncmp(add[j], environ[i], n) == 0;
    if (!replaced)
      env[k++] = environ[i];
  }
  for (size_t j = 0; j < n_add; j++)
    env[k++] = (char *)add[j];
  return env;
}

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* In the child: only async-signal-safe calls until execve. */
static void child(const char *const *argv, char **env, const run_opts *opts,
                  int in_fd, int out_fd, int err_fd) {
  struct sigaction dfl;
  memset(&dfl, 0, sizeof dfl);
  dfl.sa_handler = SIG_DFL;
  sigaction(SIGPIPE, &dfl, NULL);
  if (dup2(in_fd, STDIN_FILENO) < 0 || dup2(out_fd, STDOUT_FILENO) < 0 ||
      dup2(err_fd, STDERR_FILENO) < 0)
    _exit(127);
  if (opts->set_umask)
    umask((mode_t)opts->umask);
  if (opts->cwd && chdir(opts->cwd) != 0) {
    static const char msg[] = "run_cmd: cannot change folder\n";
    (void)!write(STDERR_FILENO, msg, sizeof msg - 1);
    _exit(127);
  }
  execve(argv[0], (char *const *)argv, env);
  static const char msg[] = "run_cmd: cannot execute the program\n";
  (void)!write(STDERR_FILENO, msg, sizeof msg - 1);
  _exit(127);
}

int run_cmd(const char *const *argv, const run_opts *opts, run_result *r) {
  static const run_opts none = {0};
  if (!opts)
    opts = &none;
  memset(r, 0, sizeof *r);
  int in_pipe[2] = {-1, -1}, out_pipe[2] = {-1, -1}, err_pipe[2] = {-1, -1};
  buffer out = {0}, err = {0};
  int saved_errno = 0, ok = 0;
  struct sigaction ign, old_pipe;
  int pipe_saved = 0;
  pid_t pid = -1;
  char **env = make_env(opts->env);
  if (!env) {
    saved_errno = ENOMEM;
    goto done;
  }

  if (opts->stdin_data) {
    if (pipe(in_pipe) != 0)
      goto fail;
  } else {
    in_pipe[0] = open("/dev/null", O_RDONLY);
    if (in_pipe[0] < 0)
      goto fail;
  }
  if (pipe(out_pipe) != 0 || pipe(err_pipe) != 0)
    goto fail;
  if (set_flags(in_pipe[0], 0) || set_flags(out_pipe[1], 0) ||
      set_flags(err_pipe[1], 0) || set_flags(out_pipe[0], 1) ||
      set_flags(err_pipe[0], 1) ||
      (in_pipe[1] >= 0 && set_flags(in_pipe[1], 1)))
    goto fail;

  /* A child that exits before reading its input must not kill us. */
  memset(&ign, 0, sizeof ign);
  ign.sa_handler = SIG_IGN;
  if (sigaction(SIGPIPE, &ign, &old_pipe) != 0)
    goto fail;
  pipe_saved = 1;

  pid = fork();
  if (pid < 0)
    goto fail;
  if (pid == 0)
    child(argv, env, opts, in_pipe[0], out_pipe[1], err_pipe[1]);
  close_fd(&in_pipe[0]);
  close_fd(&out_pipe[1]);
  close_fd(&err_pipe[1]);

  size_t written = 0;
  if (in_pipe[1] >= 0 && opts->stdin_len == 0)
    close_fd(&in_pipe[1]);
  r->timeout = opts->timeout > 0 ? opts->timeout : 60;
  double deadline = now() + r->timeout;
  while (out_pipe[0] >= 0 || err_pipe[0] >= 0 || in_pipe[1] >= 0) {
    struct pollfd fds[3];
    int *owner[3];
    nfds_t n = 0;
    if (in_pipe[1] >= 0) {
      fds[n] = (struct pollfd){.fd = in_pipe[1], .events = POLLOUT};
      owner[n++] = &in_pipe[1];
    }
    if (out_pipe[0] >= 0) {
      fds[n] = (struct pollfd){.fd = out_pipe[0], .events = POLLIN};
      owner[n++] = &out_pipe[0];
    }
    if (err_pipe[0] >= 0) {
      fds[n] = (struct pollfd){.fd = err_pipe[0], .events = POLLIN};
      owner[n++] = &err_pipe[0];
    }
    double left = deadline - now();
    if (left <= 0) {
      kill(pid, SIGKILL);
      r->timed_out = 1;
      break;
    }
    int ready = poll(fds, n, (int)(left * 1000) + 1);
    if (ready < 0) {
      if (errno == EINTR)
        continue;
      goto fail;
    }
    for (nfds_t i = 0; i < n; i++) {
      if (!fds[i].revents)
        continue;
      if (owner[i] == &in_pipe[1]) {
        if (fds[i].revents & (POLLERR | POLLHUP)) {
          close_fd(&in_pipe[1]);
          continue;
        }
        ssize_t put = write(in_pipe[1], opts->stdin_data + written,
                            opts->stdin_len - written);
        if (put > 0)
          written += (size_t)put;
        else if (put < 0 && errno != EAGAIN && errno != EWOULDBLOCK &&
                 errno != EINTR)
          close_fd(&in_pipe[1]);
        if (written == opts->stdin_len)
          close_fd(&in_pipe[1]);
        continue;
      }
      buffer *b = owner[i] == &out_pipe[0] ? &out : &err;
      int got = buffer_read(b, *owner[i]);
      if (got < 0) {
        errno = ENOMEM;
        goto fail;
      }
      if (got == 0)
        close_fd(owner[i]);
    }
  }

  int status;
  while (waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR)
      goto fail;
  }
  pid = -1;
  /* A program we gave up on did not exit, whatever waitpid says: it may
   * have exited just before the kill while a child of its own kept the
   * pipes open.  Either way its status is no result, and "exit 0" must
   * never stand for a hang. */
  if (WIFEXITED(status) && !r->timed_out) {
    r->exited = 1;
    r->status = WEXITSTATUS(status);
  } else if (WIFSIGNALED(status))
    r->signal = WTERMSIG(status);
  r->out = buffer_finish(&out, &r->out_len);
  r->err = buffer_finish(&err, &r->err_len);
  if (!r->out || !r->err) {
    errno = ENOMEM;
    goto fail;
  }
  ok = 1;
  goto done;

fail:
  saved_errno = errno;
  if (pid > 0) {
    kill(pid, SIGKILL);
    while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
      ;
  }
done:
  if (pipe_saved)
    sigaction(SIGPIPE, &old_pipe, NULL);
  close_fd(&in_pipe[0]);
  close_fd(&in_pipe[1]);
  close_fd(&out_pipe[0]);
  close_fd(&out_pipe[1]);
  close_fd(&err_pipe[0]);
  close_fd(&err_pipe[1]);
  free(env);
  if (ok)
    return 0;
  free(out.data);
  free(err.data);
  memset(r, 0, sizeof *r);
  errno = saved_errno;
  return -1;
}

const char *run_result_describe(const run_result *r, char *buf, size_t n) {
  if (r->timed_out)
    snprintf(buf, n, "killed after %d s (timeout)", r->timeout);
  else if (r->exited)
    snprintf(buf, n, "exit %d", r->status);
  else if (r->signal)
    snprintf(buf, n, "killed by signal %d (%s)", r->signal,
             strsignal(r->signal));
  else
    snprintf(buf, n, "no outcome (not run)");
  return buf;
}

void run_result_free(run_result *r) {
  free(r->out);
  free(r->err);
  memset(r, 0, sizeof *r);
}
