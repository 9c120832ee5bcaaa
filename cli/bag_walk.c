/* bag_walk.c - a bag's files from an archive (libarchive) or a folder
 * (openat from the folder down, never following a symbolic link). */
#include "bag_walk.h"

#include <archive.h>
#include <archive_entry.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define BLOCK 65536

int bag_walk_is_folder(const char *path) {
  struct stat st;
  return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* ---- Folders ---------------------------------------------------------------
 * Depth first with a stack of folders still to walk (no recursion: the
 * depth of a folder tree is the tree's to choose).  Each folder is opened
 * with openat() from the bag's top and O_NOFOLLOW, so a symbolic link is
 * seen as one and never entered. */

typedef struct folder_walk {
  const bag_walk_ops *ops;
  void *user;
  int top;                /* the bag's folder */
  char **todo;            /* folders to walk, relative to top; last first */
  size_t n_todo, cap_todo;
} folder_walk;

static int push(folder_walk *w, char *rel) {
  if (w->n_todo == w->cap_todo) {
    size_t cap = w->cap_todo ? 2 * w->cap_todo : 64;
    char **todo = realloc(w->todo, cap * sizeof *todo);
    if (!todo) {
      free(rel);
      return -1;
    }
    w->todo = todo;
    w->cap_todo = cap;
  }
  w->todo[w->n_todo++] = rel;
  return 0;
}

static int by_name(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* "rel/name", or "name" at the top; malloc'd. */
static char *join(const char *rel, const char *name) {
  size_t a = strlen(rel), b = strlen(name);
  char *s = malloc(a + b + 2);
  if (!s)
    return NULL;
  if (a) {
    memcpy(s, rel, a);
    s[a++] = '/';
  }
  memcpy(s + a, name, b + 1);
  return s;
}

/* Hands over the bytes of the regular file `name` in folder dfd. */
static int read_file(folder_walk *w, int dfd, const char *name) {
  int fd = openat(dfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0)
    return w->ops->done(w->user, strerror(errno));
  char buf[BLOCK];
  for (;;) {
    ssize_t got = read(fd, buf, sizeof buf);
    if (got < 0 && errno == EINTR)
      continue;
    if (got <= 0) {
      int err = got < 0 ? errno : 0;
      close(fd);
      return w->ops->done(w->user, err ? strerror(err) : NULL);
    }
    if (w->ops->data(w->user, buf, (size_t)got) != 0) {
      close(fd);
      return -1;
    }
  }
}

/* The names in folder dfd but "." and "..", sorted; *n set.  NULL with
 * *n 0 when the folder is empty, NULL with errno set on failure. */
static char **list_names(DIR *d, size_t *n) {
  char **names = NULL;
  size_t cap = 0;
  *n = 0;
  struct dirent *de;
  errno = 0;
  while ((de = readdir(d)) != NULL) {
    if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
      continue;
    if (*n == cap) {
      cap = cap ? 2 * cap : 64;
      char **more = realloc(names, cap * sizeof *names);
      if (!more)
        goto fail;
      names = more;
    }
    if (!(names[*n] = strdup(de->d_name)))
      goto fail;
    ++*n;
    errno = 0;
  }
  if (errno)
    goto fail;
  if (*n)
    qsort(names, *n, sizeof *names, by_name);
  errno = 0;
  return names;
fail:;
  int err = errno ? errno : ENOMEM;
  for (size_t i = 0; i < *n; i++)
    free(names[i]);
  free(names);
  *n = 0;
  errno = err;
  return NULL;
}

static void free_names(char **names, size_t n) {
  for (size_t i = 0; i < n; i++)
    free(names[i]);
  free(names);
}

/* Walks the one folder rel: its entries, its files' bytes; its
 * sub-folders go on the stack.  -1 when a callback stops the walk or
 * memory is exhausted. */
static int walk_one(folder_walk *w, const char *rel) {
  int dfd = rel[0] ? openat(w->top, rel, O_RDONLY | O_DIRECTORY |
                                             O_NOFOLLOW | O_CLOEXEC)
                   : dup(w->top);
  DIR *d = dfd < 0 ? NULL : fdopendir(dfd);
  if (!d) {
    int err = errno;
    if (dfd >= 0)
      close(dfd);
    return w->ops->problem(w->user, rel, strerror(err));
  }
  size_t n;
  char **names = list_names(d, &n);
  if (!names && errno) {
    int err = errno;
    closedir(d);
    return err == ENOMEM ? -1 : w->ops->problem(w->user, rel, strerror(err));
  }
  int rc = 0;
  size_t first_dir = w->n_todo;
  for (size_t i = 0; i < n && rc == 0; i++) {
    char *path = join(rel, names[i]);
    if (!path) {
      rc = -1;
      break;
    }
    struct stat st;
    bag_entry e = {.path = path, .kind = BAG_ENTRY_OTHER};
    if (fstatat(dirfd(d), names[i], &st, AT_SYMLINK_NOFOLLOW) != 0) {
      rc = w->ops->problem(w->user, path, strerror(errno));
      free(path);
      continue;
    }
    if (S_ISREG(st.st_mode))
      e.kind = BAG_ENTRY_FILE;
    else if (S_ISDIR(st.st_mode))
      e.kind = BAG_ENTRY_DIR;
    else if (S_ISLNK(st.st_mode))
      e.kind = BAG_ENTRY_SYMLINK;
    int want = 0;
    rc = w->ops->entry(w->user, &e, &want);
    if (rc == 0 && want && e.kind == BAG_ENTRY_FILE)
      rc = read_file(w, dirfd(d), names[i]);
    if (rc == 0 && e.kind == BAG_ENTRY_DIR) {
      rc = push(w, path);   /* the stack owns it now */
      continue;
    }
    free(path);
  }
  /* Sub-folders are popped last first: reversed, they come in name
   * order. */
  for (size_t i = first_dir, j = w->n_todo; i + 1 < j; i++, j--) {
    char *t = w->todo[i];
    w->todo[i] = w->todo[j - 1];
    w->todo[j - 1] = t;
  }
  free_names(names, n);
  closedir(d);
  return rc;
}

static bag_walk_status walk_folder(const char *path, const bag_walk_ops *ops,
                                   void *user, char *message, size_t size) {
  folder_walk w = {.ops = ops, .user = user};
  w.top = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (w.top < 0) {
    snprintf(message, size, "%s", strerror(errno));
    return BAG_WALK_UNREADABLE;
  }
  char *root = strdup("");
  int rc = root ? push(&w, root) : -1;
  while (rc == 0 && w.n_todo > 0) {
    char *rel = w.todo[--w.n_todo];
    rc = walk_one(&w, rel);
    free(rel);
  }
  while (w.n_todo > 0)
    free(w.todo[--w.n_todo]);
  free(w.todo);
  close(w.top);
  return rc == 0 ? BAG_WALK_OK : BAG_WALK_STOPPED;
}

/* ---- Archives --------------------------------------------------------------
 * libarchive converts entry names from the archive's encoding to the
 * locale's; in the "C" locale a zip's UTF-8 names come back as nothing at
 * all.  The walk runs in a UTF-8 locale of its own thread (uselocale), the
 * process's locale untouched, so names come as UTF-8, as a bag's
 * manifests write them. */

static bag_walk_status broken(struct archive *a, const char *what,
                              char *message, size_t size) {
  const char *why = archive_error_string(a);
  snprintf(message, size, "%s%s%s", what, why ? ": " : "", why ? why : "");
  return BAG_WALK_BROKEN;
}

/* The entry's name (UTF-8 when libarchive can say) with trailing '/'
 * dropped, in buf; NULL when it has none. */
static const char *entry_name(struct archive_entry *ae, char **buf,
                              size_t *cap) {
  const char *name = archive_entry_pathname_utf8(ae);
  if (!name)
    name = archive_entry_pathname(ae);
  if (!name)
    return NULL;
  size_t len = strlen(name);
  while (len > 1 && name[len - 1] == '/')
    len--;
  if (len + 1 > *cap) {
    char *more = realloc(*buf, len + 1);
    if (!more)
      return NULL;
    *buf = more;
    *cap = len + 1;
  }
  memcpy(*buf, name, len);
  (*buf)[len] = '\0';
  return *buf;
}

static bag_entry_kind entry_kind(struct archive_entry *ae) {
  if (archive_entry_hardlink(ae))
    return BAG_ENTRY_HARDLINK;
  switch (archive_entry_filetype(ae)) {
  case AE_IFREG: return BAG_ENTRY_FILE;
  case AE_IFDIR: return BAG_ENTRY_DIR;
  case AE_IFLNK: return BAG_ENTRY_SYMLINK;
  default: return BAG_ENTRY_OTHER;
  }
}

/* The entry's bytes to ops; -1 when a callback stops, 1 when the archive
 * cannot go on, else 0. */
static int read_entry(struct archive *a, const bag_walk_ops *ops,
                      void *user) {
  char buf[BLOCK];
  for (;;) {
    la_ssize_t got = archive_read_data(a, buf, sizeof buf);
    if (got == 0)
      return ops->done(user, NULL);
    if (got < 0) {
      const char *why = archive_error_string(a);
      if (ops->done(user, why ? why : "cannot be read") != 0)
        return -1;
      return got == ARCHIVE_FATAL ? 1 : 0;
    }
    if (ops->data(user, buf, (size_t)got) != 0)
      return -1;
  }
}

static bag_walk_status walk_entries(struct archive *a,
                                    const bag_walk_ops *ops, void *user,
                                    char *message, size_t size) {
  char *name_buf = NULL;
  size_t name_cap = 0;
  bag_walk_status status = BAG_WALK_OK;
  struct archive_entry *ae;
  for (;;) {
    int r = archive_read_next_header(a, &ae);
    if (r == ARCHIVE_EOF)
      break;
    if (r < ARCHIVE_WARN) {
      status = broken(a, "the archive cannot be read to its end", message,
                      size);
      break;
    }
    bag_entry e = {.kind = entry_kind(ae)};
    e.path = entry_name(ae, &name_buf, &name_cap);
    if (e.kind == BAG_ENTRY_HARDLINK) {
      e.target = archive_entry_hardlink_utf8(ae);
      if (!e.target)
        e.target = archive_entry_hardlink(ae);
    }
    int rc, want = 0;
    if (!e.path)
      rc = ops->problem(user, NULL, "an entry whose name cannot be read");
    else
      rc = ops->entry(user, &e, &want);
    if (rc == 0 && want && e.kind == BAG_ENTRY_FILE) {
      rc = read_entry(a, ops, user);
      if (rc == 1) {
        status = broken(a, "the archive cannot be read to its end", message,
                        size);
        break;
      }
    }
    if (rc != 0) {
      status = BAG_WALK_STOPPED;
      break;
    }
  }
  free(name_buf);
  return status;
}

static bag_walk_status walk_archive(const char *path, const bag_walk_ops *ops,
                                    void *user, char *message, size_t size) {
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    snprintf(message, size, "%s", strerror(errno));
    return BAG_WALK_UNREADABLE;
  }
  locale_t utf8 = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
  locale_t before = utf8 ? uselocale(utf8) : (locale_t)0;
  bag_walk_status status;
  struct archive *a = archive_read_new();
  if (!a) {
    snprintf(message, size, "out of memory");
    status = BAG_WALK_STOPPED;
  } else if (archive_read_support_filter_all(a) < ARCHIVE_WARN ||
             archive_read_support_format_all(a) < ARCHIVE_WARN ||
             archive_read_open_fd(a, fd, BLOCK) != ARCHIVE_OK) {
    status = broken(a, "cannot be read as an archive", message, size);
  } else {
    status = walk_entries(a, ops, user, message, size);
  }
  archive_read_free(a);
  if (utf8) {
    uselocale(before);
    freelocale(utf8);
  }
  close(fd);
  return status;
}

bag_walk_status bag_walk(const char *path, const bag_walk_ops *ops,
                         void *user, char *message, size_t size) {
  if (size)
    message[0] = '\0';
  if (bag_walk_is_folder(path))
    return walk_folder(path, ops, user, message, size);
  return walk_archive(path, ops, user, message, size);
}
