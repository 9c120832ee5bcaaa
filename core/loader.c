/* loader.c - finding, checking and loading plugin shared objects.
 *
 * A plugin is accepted when its descriptor's abi_major equals ours and its
 * abi_minor is not newer; we copy no more of the descriptor than its
 * struct_size, so an older plugin's missing fields read as zero.  Anything
 * wrong with one plugin is a message about that file, never a stop. */
#define _GNU_SOURCE   /* dladdr */
#include <quire/quire.h>

#include <dirent.h>
#include <errno.h>
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "ctx.h"
#include "loader.h"
#include "registry.h"
#include "session.h"

/* The oldest field set a descriptor must have: everything up to the
 * transforms' count. */
#define DESC_MIN_SIZE (offsetof(quire_plugin, n_transforms) + sizeof(size_t))

/* Entry symbols of other ABI majors we look for, to say why a plugin does
 * not fit rather than only that its entry is missing. */
#define OTHER_MAJORS_SEARCHED 16

#define QUIRE_STR_(x) #x
#define QUIRE_STR(x) QUIRE_STR_(x)

int quire_add_plugin_dir(quire_session *s, const char *dir) {
  char **dirs = realloc(s->plugin_dirs, (s->n_plugin_dirs + 1) * sizeof *dirs);
  if (!dirs)
    return QUIRE_ERR;
  s->plugin_dirs = dirs;
  dirs[s->n_plugin_dirs] = strdup(dir);
  if (!dirs[s->n_plugin_dirs])
    return QUIRE_ERR;
  s->n_plugin_dirs++;
  return QUIRE_OK;
}

/* lib/quire/plugins beside the libquire.so this code runs from: correct in
 * the build tree and in any install prefix, with no variable to set.
 * Found once per process (pthread_once), then only read. */
static char default_dir[4096];
static pthread_once_t default_dir_once = PTHREAD_ONCE_INIT;

static void find_default_dir(void) {
  Dl_info info;
  if (dladdr((void *)quire_default_plugin_dir, &info) && info.dli_fname &&
      strchr(info.dli_fname, '/')) {
    const char *slash = strrchr(info.dli_fname, '/');
    int n = (int)(slash - info.dli_fname);
    if (snprintf(default_dir, sizeof default_dir, "%.*s/quire/plugins", n,
                 info.dli_fname) < (int)sizeof default_dir)
      return;
  }
  snprintf(default_dir, sizeof default_dir, "%s", QUIRE_INSTALL_PLUGIN_DIR);
}

const char *quire_default_plugin_dir(void) {
  pthread_once(&default_dir_once, find_default_dir);
  return default_dir;
}

/* Non-zero when an option table is usable: present when counted, every
 * option named (without ':', which scopes names) and, for a format, given
 * a direction. */
static int options_ok(const quire_option_spec *specs, size_t n,
                      int of_format) {
  if (n && !specs)
    return 0;
  for (size_t i = 0; i < n; i++)
    if (!specs[i].name || !specs[i].name[0] || strchr(specs[i].name, ':') ||
        (of_format && !(specs[i].direction & (QUIRE_OPT_READ |
                                              QUIRE_OPT_WRITE))))
      return 0;
  return 1;
}

static int desc_check(const quire_plugin *d, char *why, size_t size) {
  if (!d->name || !d->name[0])
    return snprintf(why, size, "the descriptor has no name"), -1;
  if (!d->version)
    return snprintf(why, size, "the descriptor has no version"), -1;
  if ((d->n_formats && !d->formats) || (d->n_transforms && !d->transforms))
    return snprintf(why, size, "the descriptor's tables are missing"), -1;
  if (d->n_formats + d->n_transforms == 0)
    return snprintf(why, size, "it provides no format and no transform"), -1;
  for (size_t i = 0; i < d->n_formats; i++) {
    const quire_format *f = d->formats[i];
    if (!f)
      return snprintf(why, size, "format %zu is missing", i + 1), -1;
    if (!f->name || !f->name[0] || strchr(f->name, ':'))
      return snprintf(why, size, "format %zu has no usable name", i + 1), -1;
    int reads = f->read_open || f->read_next || f->read_close;
    int writes = f->write_open || f->write_doc || f->write_close;
    if (reads && !(f->read_open && f->read_next && f->read_close))
      return snprintf(why, size, "format %s has an incomplete reader",
                      f->name), -1;
    if (writes && !(f->write_open && f->write_doc && f->write_close))
      return snprintf(why, size, "format %s has an incomplete writer",
                      f->name), -1;
    if (!reads && !writes)
      return snprintf(why, size, "format %s neither reads nor writes",
                      f->name), -1;
    if (!options_ok(f->options, f->n_options, 1))
      return snprintf(why, size, "format %s has a broken option table",
                      f->name), -1;
  }
  for (size_t i = 0; i < d->n_transforms; i++) {
    const quire_transform *t = d->transforms[i];
    if (!t || !t->name || !t->name[0] || !t->apply)
      return snprintf(why, size, "transform %zu is incomplete", i + 1), -1;
    if ((t->flags & QUIRE_TRANSFORM_CORPUS) && !t->gather)
      return snprintf(why, size, "transform %s wants the corpus but has no "
                      "gather", t->name), -1;
    if (strchr(t->name, ':'))
      return snprintf(why, size, "transform name %s holds a ':'", t->name),
             -1;
    if (!options_ok(t->options, t->n_options, 0))
      return snprintf(why, size, "transform %s has a broken option table",
                      t->name), -1;
  }
  return 0;
}

/* Finds the entry of another ABI major, for a helpful refusal. */
static const quire_plugin *other_major_entry(void *handle) {
  for (int major = 0; major <= OTHER_MAJORS_SEARCHED; major++) {
    if (major == QUIRE_ABI_MAJOR)
      continue;
    char sym[32];
    snprintf(sym, sizeof sym, "quire_plugin_v%d", major);
    void *p = dlsym(handle, sym);
    if (p) {
      quire_plugin_entry_fn fn;
      memcpy(&fn, &p, sizeof fn);
      return fn();
    }
  }
  return NULL;
}

/* Calls p's fini, if it has one, with the env its init had. */
static void plugin_fini(quire_session *s, loaded_plugin *p) {
  if (!p->desc.fini)
    return;
  qctx c;
  qscope sc;
  ctx_init(&c, s, NULL);
  scope_init(&sc, &c, p, NULL, 0);
  p->desc.fini(&sc.env);
  ctx_free(&c);
}

static int refuse(quire_session *s, void *handle, const char *path,
                  const char *fmt, const char *detail) {
  quire_loc loc = {.file = path};
  session_fail(s, QUIRE_ERROR_CONVERSION, &loc, fmt, detail);
  if (handle)
    dlclose(handle);
  return QUIRE_ERR;
}

/* Non-zero when the file at `path` is a plugin this session already has
 * (the same folder reached twice, say through a symlink). */
static int already_loaded(const quire_session *s, const char *path) {
  struct stat st, other;
  if (stat(path, &st) != 0)
    return 0;
  for (size_t i = 0; i < s->n_plugins; i++)
    if (stat(s->plugins[i]->path, &other) == 0 && other.st_dev == st.st_dev &&
        other.st_ino == st.st_ino)
      return 1;
  return 0;
}

int quire_load_plugin_file(quire_session *s, const char *path) {
  char why[256];
  if (already_loaded(s, path)) {
    session_diag(s, QUIRE_SEV_INFO, NULL, "plugin %s is already loaded", path);
    return QUIRE_OK;
  }
  /* Lazy binding: a plugin's libraries (libxml2, libarchive, ...) have
   * thousands of functions a run never calls, and binding them all at load
   * took a third of the time of `quire --list-formats`.  Data symbols are
   * still bound here, and plugins are linked with --no-undefined. */
  void *handle = dlopen(path, RTLD_LAZY | RTLD_LOCAL);
  if (!handle)
    return refuse(s, NULL, path, "not a loadable shared object: %s",
                  dlerror());
  void *sym = dlsym(handle, "quire_plugin_v" QUIRE_STR(QUIRE_ABI_MAJOR));
  if (!sym) {
    const quire_plugin *other = other_major_entry(handle);
    if (other) {
      snprintf(why, sizeof why, "%u.%u, quire has ABI %d.%d",
               other->abi_major, other->abi_minor, QUIRE_ABI_MAJOR,
               QUIRE_ABI_MINOR);
      return refuse(s, handle, path, "plugin built for ABI %s", why);
    }
    return refuse(s, handle, path, "%s",
                  "no entry symbol quire_plugin_v" QUIRE_STR(QUIRE_ABI_MAJOR)
                  ": not a quire plugin");
  }
  quire_plugin_entry_fn entry;
  memcpy(&entry, &sym, sizeof entry);
  const quire_plugin *d = entry();
  if (!d)
    return refuse(s, handle, path, "%s", "the entry returned no descriptor");
  if (d->abi_major != QUIRE_ABI_MAJOR || d->abi_minor > QUIRE_ABI_MINOR) {
    snprintf(why, sizeof why, "%u.%u, quire has ABI %d.%d", d->abi_major,
             d->abi_minor, QUIRE_ABI_MAJOR, QUIRE_ABI_MINOR);
    return refuse(s, handle, path, "plugin built for ABI %s", why);
  }
  if (d->struct_size < DESC_MIN_SIZE) {
    snprintf(why, sizeof why, "%u bytes, at least %zu expected",
             d->struct_size, (size_t)DESC_MIN_SIZE);
    return refuse(s, handle, path, "malformed descriptor: %s", why);
  }

  loaded_plugin *p = calloc(1, sizeof *p);
  if (!p)
    return refuse(s, handle, path, "%s", "out of memory");
  memcpy(&p->desc, d,
         d->struct_size < sizeof p->desc ? d->struct_size : sizeof p->desc);
  if (desc_check(&p->desc, why, sizeof why) != 0) {
    free(p);
    return refuse(s, handle, path, "malformed descriptor: %s", why);
  }
  p->handle = handle;
  p->path = strdup(path);
  pthread_mutexattr_t attr;
  if (!p->path || pthread_mutexattr_init(&attr) != 0) {
    free(p->path);
    free(p);
    return refuse(s, handle, path, "%s", "out of memory");
  }
  pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_RECURSIVE);
  pthread_mutex_init(&p->lock, &attr);
  pthread_mutexattr_destroy(&attr);
  if (p->desc.init) {
    qctx c;
    qscope sc;
    ctx_init(&c, s, NULL);
    scope_init(&sc, &c, p, NULL, 0);
    int rc = p->desc.init(&sc.env);
    p->plugin_data = sc.env.plugin_data;
    if (rc < QUIRE_OK) {
      char *msg = strdup(c.error.message);
      ctx_free(&c);
      pthread_mutex_destroy(&p->lock);
      free(p->path);
      free(p);
      refuse(s, handle, path, "plugin initialisation failed: %s",
             msg && msg[0] ? msg : "no reason given");
      free(msg);
      return QUIRE_ERR;
    }
    ctx_free(&c);
  }
  if (registry_add_plugin(s, p) != QUIRE_OK) {
    plugin_fini(s, p);
    pthread_mutex_destroy(&p->lock);
    free(p->path);
    free(p);
    return refuse(s, handle, path, "%s", "out of memory");
  }
  session_diag(s, QUIRE_SEV_INFO, NULL, "loaded plugin %s %s from %s",
               p->desc.name, p->desc.version, path);
  return QUIRE_OK;
}

static int name_cmp(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static int ends_with_so(const char *name) {
  size_t n = strlen(name);
  return n > 3 && strcmp(name + n - 3, ".so") == 0;
}

/* Loads the .so files of one folder in name order; a missing folder is
 * silently nothing (QUIRE_PLUGIN_PATH may name folders that do not exist). */
static void load_dir(quire_session *s, const char *dir) {
  DIR *d = opendir(dir);
  if (!d) {
    session_diag(s, QUIRE_SEV_INFO, NULL, "no plugin folder %s", dir);
    return;
  }
  char **names = NULL;
  size_t n = 0, cap = 0;
  struct dirent *e;
  while ((e = readdir(d)) != NULL) {
    if (e->d_name[0] == '.' || !ends_with_so(e->d_name))
      continue;
    if (n == cap) {
      cap = cap ? cap * 2 : 16;
      char **grown = realloc(names, cap * sizeof *names);
      if (!grown)
        break;
      names = grown;
    }
    if (!(names[n] = strdup(e->d_name)))
      break;
    n++;
  }
  closedir(d);
  if (n)
    qsort(names, n, sizeof *names, name_cmp);
  for (size_t i = 0; i < n; i++) {
    char path[4096];
    if (snprintf(path, sizeof path, "%s/%s", dir, names[i]) <
        (int)sizeof path) {
      struct stat st;
      if (stat(path, &st) != 0)
        session_diag(s, QUIRE_SEV_WARNING, NULL, "skipping plugin %s: %s",
                     path, strerror(errno));
      else if (S_ISREG(st.st_mode) && quire_load_plugin_file(s, path) != QUIRE_OK) {
        char msg[1024];
        session_diag(s, QUIRE_SEV_WARNING, NULL, "skipping plugin %s",
                     quire_error_format(quire_error_get(s), msg, sizeof msg));
        session_clear_error(s);
      }
    }
    free(names[i]);
  }
  free(names);
}

int quire_load_plugins(quire_session *s) {
  for (size_t i = 0; i < s->n_plugin_dirs; i++)
    load_dir(s, s->plugin_dirs[i]);
  const char *env = getenv("QUIRE_PLUGIN_PATH");
  if (env && env[0]) {
    char *copy = strdup(env);
    char *save = NULL;
    for (char *dir = copy ? strtok_r(copy, ":", &save) : NULL; dir;
         dir = strtok_r(NULL, ":", &save))
      load_dir(s, dir);
    free(copy);
  }
  load_dir(s, quire_default_plugin_dir());
  return QUIRE_OK;
}

void loader_unload_all(quire_session *s) {
  for (size_t i = s->n_plugins; i-- > 0;) {
    loaded_plugin *p = s->plugins[i];
    plugin_fini(s, p);
    pthread_mutex_destroy(&p->lock);
    /* Sanitizer builds keep plugins mapped so leak reports can still name
     * the plugin's frames. */
    if (!getenv("QUIRE_NO_DLCLOSE"))
      dlclose(p->handle);
    free(p->format_infos);
    free(p->transform_infos);
    free(p->path);
    free(p);
  }
  free(s->plugins);
  s->plugins = NULL;
  s->n_plugins = 0;
  s->n_formats = s->n_transforms = 0;
}
