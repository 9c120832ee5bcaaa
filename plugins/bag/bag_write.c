/* bag_write.c - the bag writer: each document's source, its normalized
 * forms and the corpus files into a BagIt bag, then the tag files.
 *
 * Streaming: a document's source is copied and its forms rendered (through
 * the other writers, svc->render_*) and written before the next document
 * comes; the corpus-wide files (JSON Lines, one EPUB) are rendered into
 * temporary files as the documents come and added at the end; manifest
 * lines wait in temporary files too, so memory does not grow with the
 * corpus.  Every file is hashed as it is written. */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "bag.h"
#include "temp_file.h"

#define MAX_FORMATS 16
#define BAGIT_TXT "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n"

/* A corpus-wide file rendered into a temporary file as documents come. */
typedef struct corpus_file {
  const char *format;      /* "jsonl", "epub" */
  const char *name;        /* its name under data/normalized/ */
  quire_render *r;
  FILE *tmp;
  bag_hasher hash;
  int failed;              /* the temporary file refused bytes */
} corpus_file;

typedef struct bag_writer {
  quire_env *env;
  bag_archive *ar;
  char *name;                          /* the bag's top folder */
  const char *formats[MAX_FORMATS];    /* one file per document each */
  size_t n_formats;
  corpus_file corpus[2];               /* jsonl, epub */
  size_t n_corpus;
  const char *formats_list;            /* as given, for bag-info.txt */
  const quire_options *opts;
  FILE *m256, *m512;                   /* payload manifest lines */
  bag_digest bagit;                    /* bagit.txt's digests */
  uint64_t oxum_bytes, oxum_files;
  char *last_input;                    /* the source copied last */
  uint64_t *names;                     /* hashes of the payload's names */
  size_t n_names, cap_names;
  unsigned long n_docs;
  time_t when;
} bag_writer;

static int out_of_memory(quire_env *env) {
  env->svc->error(env, NULL, "out of memory");
  return QUIRE_FATAL;
}

/* ---- Payload names ---------------------------------------------------------
 * Each payload name is remembered by a 64-bit hash, so that a name met
 * twice gets "-2", "-3" ... and the archive never holds two entries of one
 * name. */
static uint64_t name_hash(const char *s) {
  uint64_t h = 1469598103934665603ull;
  for (; *s; s++)
    h = (h ^ (unsigned char)*s) * 1099511628211ull;
  return h ? h : 1;
}

static int name_taken(const bag_writer *w, uint64_t h) {
  if (!w->cap_names)
    return 0;
  for (size_t i = h & (w->cap_names - 1); w->names[i];
       i = (i + 1) & (w->cap_names - 1))
    if (w->names[i] == h)
      return 1;
  return 0;
}

static int name_take(bag_writer *w, uint64_t h) {
  if (2 * (w->n_names + 1) > w->cap_names) {
    size_t cap = w->cap_names ? 2 * w->cap_names : 1024;
    uint64_t *names = calloc(cap, sizeof *names);
    if (!names)
      return -1;
    for (size_t i = 0; i < w->cap_names; i++)
      if (w->names[i]) {
        size_t j = w->names[i] & (cap - 1);
        while (names[j])
          j = (j + 1) & (cap - 1);
        names[j] = w->names[i];
      }
    free(w->names);
    w->names = names;
    w->cap_names = cap;
  }
  size_t j = h & (w->cap_names - 1);
  while (w->names[j])
    j = (j + 1) & (w->cap_names - 1);
  w->names[j] = h;
  w->n_names++;
  return 0;
}

/* "NAME/data/<dir>/<stem><suffix>", made unique; malloc'd, or NULL. */
static char *payload_name(bag_writer *w, const char *dir, const char *stem,
                          const char *suffix) {
  size_t n = strlen(w->name) + strlen(dir) + strlen(stem) + strlen(suffix) +
             32;
  char *path = malloc(n);
  if (!path)
    return NULL;
  for (unsigned k = 1;; k++) {
    if (k == 1)
      snprintf(path, n, "%s/data/%s/%s%s", w->name, dir, stem, suffix);
    else
      snprintf(path, n, "%s/data/%s/%s-%u%s", w->name, dir, stem, k, suffix);
    uint64_t h = name_hash(path);
    if (!name_taken(w, h))
      return name_take(w, h) == 0 ? path : (free(path), NULL);
  }
}

/* Adds a payload file's manifest lines and counts it in the oxum. */
static int record(bag_writer *w, const char *path, const bag_digest *d) {
  const char *rel = path + strlen(w->name) + 1;   /* "data/..." */
  if (bag_manifest_line(w->m256, d->sha256, rel) != 0 ||
      bag_manifest_line(w->m512, d->sha512, rel) != 0) {
    w->env->svc->error(w->env, NULL, "cannot keep the manifest: %s",
                       strerror(errno));
    return QUIRE_FATAL;
  }
  w->oxum_bytes += d->size;
  w->oxum_files++;
  return QUIRE_OK;
}

/* ---- Opening ---------------------------------------------------------------- */

static int corpus_sink(void *user, const void *buf, size_t n) {
  corpus_file *f = user;
  if (fwrite(buf, 1, n, f->tmp) != n) {
    f->failed = 1;
    return QUIRE_FAILED;
  }
  bag_hasher_add(&f->hash, buf, n);
  return QUIRE_OK;
}

/* A temporary file could not be made (errno says why): the message, and
 * QUIRE_FATAL. */
static int temp_failed(quire_env *env) {
  env->svc->error(env, NULL, "cannot make a temporary file in %s: %s",
                  temp_file_dir(), strerror(errno));
  return QUIRE_FATAL;
}

static int open_corpus_file(quire_env *env, bag_writer *w,
                            const quire_meta *corpus, const char *format,
                            const char *name) {
  corpus_file *f = &w->corpus[w->n_corpus];
  f->format = format;
  f->name = name;
  f->tmp = temp_file_stream();
  if (!f->tmp) {
    return temp_failed(env);
  }
  bag_hasher_init(&f->hash);
  quire_options none = {NULL, 0};
  int rc = env->svc->render_open(env, format, &none, corpus, corpus_sink, f,
                                 &f->r);
  if (rc < QUIRE_OK) {
    fclose(f->tmp);
    f->tmp = NULL;
    return rc;
  }
  w->n_corpus++;
  return QUIRE_OK;
}

/* The per-document formats from "a,b,c"; jsonl and epub are corpus-wide. */
static int parse_formats(quire_env *env, bag_writer *w, const char *list,
                         int *jsonl) {
  *jsonl = 0;
  const char *p = list;
  while (*p) {
    size_t n = strcspn(p, ",");
    if (n == 0 || n >= 32)
      return env->svc->usage_error(env, "--bag-formats: bad list \"%s\"",
                                   list);
    if (n == 5 && memcmp(p, "jsonl", 5) == 0) {
      *jsonl = 1;
    } else {
      if (w->n_formats == MAX_FORMATS)
        return env->svc->usage_error(env, "--bag-formats: at most %d formats",
                                     MAX_FORMATS);
      char *f = malloc(n + 1);
      if (!f)
        return out_of_memory(env);
      memcpy(f, p, n);
      f[n] = '\0';
      w->formats[w->n_formats++] = f;
    }
    p += n;
    if (*p == ',')
      p++;
  }
  return QUIRE_OK;
}

/* Every --bag-info is KEY=VALUE, KEY a label of bag-info.txt. */
/* --compress-level: digits within what the archive's compressor takes. */
static int check_level(quire_env *env, const char *kind, const char *level) {
  if (!level)
    return QUIRE_OK;
  static const struct {
    const char *kind;
    int low, high;
  } ranges[] = {{"tar.gz", 1, 9}, {"tar.bz2", 1, 9}, {"tar.xz", 0, 9},
                {"tar.zst", 1, 19}, {"zip", 0, 9}, {"7z", 0, 9}};
  for (size_t i = 0; i < sizeof ranges / sizeof *ranges; i++) {
    if (strcmp(ranges[i].kind, kind) != 0)
      continue;
    int v = -1;
    if (strspn(level, "0123456789") == strlen(level) && strlen(level) <= 2)
      v = atoi(level);
    if (v >= ranges[i].low && v <= ranges[i].high)
      return QUIRE_OK;
    return env->svc->usage_error(env, "bag: --compress-level for %s is a "
                                      "number from %d to %d, not '%s'",
                                 kind, ranges[i].low, ranges[i].high, level);
  }
  return env->svc->usage_error(env, "bag: a %s archive is not compressed; "
                                    "--compress-level needs tar.gz, tar.xz, "
                                    "tar.zst, tar.bz2, zip or 7z", kind);
}

static int check_bag_info(quire_env *env, const quire_options *opts) {
  for (size_t i = 0; i < opts->count; i++) {
    const quire_option *o = &opts->items[i];
    if (strcmp(o->name, "bag-info") != 0)
      continue;
    const char *eq = o->value ? strchr(o->value, '=') : NULL;
    size_t key = eq ? (size_t)(eq - o->value) : 0;
    if (!eq || key == 0 || strcspn(o->value, ":\r\n") < key ||
        o->value[0] == ' ' || o->value[0] == '\t')
      return env->svc->usage_error(
          env, "--bag-info wants LABEL=VALUE, a label without ':', not "
               "\"%s\"", o->value ? o->value : "");
  }
  return QUIRE_OK;
}

static time_t bag_time(void) {
  const char *epoch = getenv("SOURCE_DATE_EPOCH");
  if (epoch && *epoch) {
    char *end;
    long long t = strtoll(epoch, &end, 10);
    if (*end == '\0' && t >= 0)
      return (time_t)t;
  }
  return time(NULL);
}

static void free_writer(bag_writer *w) {
  for (size_t i = 0; i < w->n_formats; i++)
    free((char *)w->formats[i]);
  for (size_t i = 0; i < w->n_corpus; i++)
    if (w->corpus[i].tmp)
      fclose(w->corpus[i].tmp);
  if (w->m256)
    fclose(w->m256);
  if (w->m512)
    fclose(w->m512);
  free(w->name);
  free(w->last_input);
  free(w->names);
  free(w);
}

int bag_write_open(quire_env *env, quire_output *out,
                   const quire_options *opts, const quire_meta *corpus,
                   void **state) {
  const quire_services *svc = env->svc;
  if (svc->struct_size <= offsetof(quire_services, doc_input))
    return svc->usage_error(env, "bag: this quire is too old (ABI 2.1 "
                                 "needed for the sources)");
  const char *out_name = svc->output_name(out);
  const char *kind = svc->option(opts, "bag-archive");
  if (!kind)
    kind = bag_archive_kind(out_name);
  if (!kind)
    return svc->usage_error(env, "bag: name the archive .tar.gz, .tar, "
                                 ".tar.xz, .tar.zst, .tar.bz2, .zip or .7z, "
                                 "or give --bag-archive");
  bag_writer *w = calloc(1, sizeof *w);
  if (!w)
    return out_of_memory(env);
  w->env = env;
  w->opts = opts;
  w->when = bag_time();
  w->name = bag_archive_stem(out_name && *out_name && strcmp(out_name, "-")
                                 ? out_name
                                 : "bag.tar");
  const char *formats = svc->option(opts, "bag-formats");
  w->formats_list = formats ? formats : "txt,html,jsonl";
  int jsonl = 0;
  int rc = w->name ? QUIRE_OK : out_of_memory(env);
  if (rc == QUIRE_OK && !w->name[0])
    rc = svc->usage_error(env, "bag: the archive's name gives no bag name");
  if (rc == QUIRE_OK)
    rc = check_bag_info(env, opts);
  if (rc == QUIRE_OK)
    rc = check_level(env, kind, svc->option(opts, "compress-level"));
  if (rc == QUIRE_OK)
    rc = parse_formats(env, w, w->formats_list, &jsonl);
  if (rc == QUIRE_OK && (!(w->m256 = temp_file_stream()) ||
                         !(w->m512 = temp_file_stream())))
    rc = temp_failed(env);
  if (rc == QUIRE_OK && jsonl)
    rc = open_corpus_file(env, w, corpus, "jsonl", "corpus.jsonl");
  if (rc == QUIRE_OK && !svc->option(opts, "bag-no-epub"))
    rc = open_corpus_file(env, w, corpus, "epub", "corpus.epub");
  if (rc == QUIRE_OK)
    rc = bag_archive_open(env, out, kind, w->when,
                          svc->option(opts, "compress-level"), &w->ar);
  if (rc == QUIRE_OK) {
    char *path = malloc(strlen(w->name) + 16);
    if (!path)
      rc = out_of_memory(env);
    else {
      sprintf(path, "%s/bagit.txt", w->name);
      rc = bag_archive_add(env, w->ar, path, BAGIT_TXT,
                           sizeof BAGIT_TXT - 1, &w->bagit);
      free(path);
    }
  }
  if (rc != QUIRE_OK) {
    for (size_t i = 0; i < w->n_corpus; i++)
      svc->render_close(env, w->corpus[i].r, 0, NULL, NULL);
    if (w->ar)
      bag_archive_close(env, w->ar, 0);
    free_writer(w);
    return rc < QUIRE_OK ? rc : QUIRE_FATAL;
  }
  *state = w;
  return QUIRE_OK;
}

/* ---- Documents --------------------------------------------------------------- */

/* The file the document came from, byte for byte, under data/sources/,
 * once per input. */
static int copy_source(bag_writer *w, const char *input) {
  quire_env *env = w->env;
  if (w->last_input && strcmp(w->last_input, input) == 0)
    return QUIRE_OK;
  free(w->last_input);
  w->last_input = strdup(input);
  if (!w->last_input)
    return out_of_memory(env);
  int oom;
  char *safe = bag_safe_path(input, &oom);
  if (!safe) {
    if (oom)
      return out_of_memory(env);
    quire_loc loc = {.file = input};
    env->svc->error(env, &loc, "bag: this name cannot be stored safely in "
                               "the bag");
    return QUIRE_FAILED;
  }
  char *path = payload_name(w, "sources", safe, "");
  free(safe);
  if (!path)
    return out_of_memory(env);
  FILE *fp = fopen(input, "rb");
  struct stat st;
  int rc = QUIRE_OK;
  if (!fp || fstat(fileno(fp), &st) != 0 || !S_ISREG(st.st_mode)) {
    quire_loc loc = {.file = input};
    env->svc->error(env, &loc, "bag: cannot keep the source: %s",
                    fp ? "not a regular file" : strerror(errno));
    rc = QUIRE_FAILED;
  } else {
    bag_digest d;
    rc = bag_archive_add_stream(env, w->ar, path, fp, (uint64_t)st.st_size,
                                &d);
    if (rc == QUIRE_OK)
      rc = record(w, path, &d);
  }
  if (fp)
    fclose(fp);
  free(path);
  return rc;
}

/* The stem of a document's normalized files: its source (an archive's
 * entry as "archive/entry"), made safe, without its extension. */
static char *doc_stem(bag_writer *w, const quire_doc *doc) {
  const char *source = w->env->svc->meta_get(doc->meta, QUIRE_META_SOURCE);
  char *copy = source ? strdup(source) : NULL;
  char *safe = NULL;
  int oom = source && !copy;
  if (copy) {
    for (char *p = copy; *p; p++)
      if (*p == '!')
        *p = '/';
    safe = bag_safe_path(copy, &oom);
    free(copy);
  }
  if (!safe && !oom) {
    char name[48];
    snprintf(name, sizeof name, "document-%lu", w->n_docs);
    safe = strdup(name);
  }
  if (safe) {
    char *slash = strrchr(safe, '/');
    char *dot = strrchr(slash ? slash + 1 : safe, '.');
    if (dot && dot != (slash ? slash + 1 : safe))
      *dot = '\0';
  }
  return safe;
}

static int add_form(bag_writer *w, const quire_doc *doc, const char *stem,
                    const char *format) {
  quire_env *env = w->env;
  quire_render *r;
  quire_options none = {NULL, 0};
  int rc = env->svc->render_open(env, format, &none, NULL, NULL, NULL, &r);
  if (rc < QUIRE_OK)
    return rc;
  rc = env->svc->render_doc(env, r, doc);
  char *data = NULL;
  size_t len = 0;
  int closed = env->svc->render_close(env, r, rc >= QUIRE_OK, &data, &len);
  if (rc >= QUIRE_OK)
    rc = closed;
  if (rc < QUIRE_OK) {
    free(data);
    return rc;
  }
  char suffix[40];
  snprintf(suffix, sizeof suffix, ".%s", format);
  char *path = payload_name(w, "normalized", stem, suffix);
  if (!path) {
    free(data);
    return out_of_memory(env);
  }
  bag_digest d;
  rc = bag_archive_add(env, w->ar, path, data, len, &d);
  if (rc == QUIRE_OK)
    rc = record(w, path, &d);
  free(path);
  free(data);
  return rc;
}

int bag_write_doc(quire_env *env, void *state, const quire_doc *doc) {
  bag_writer *w = state;
  w->n_docs++;
  const char *input = env->svc->doc_input(env);
  int rc = input ? copy_source(w, input) : QUIRE_OK;
  char *stem = rc == QUIRE_OK ? doc_stem(w, doc) : NULL;
  if (rc == QUIRE_OK && !stem)
    rc = out_of_memory(env);
  for (size_t i = 0; rc == QUIRE_OK && i < w->n_formats; i++)
    rc = add_form(w, doc, stem, w->formats[i]);
  free(stem);
  for (size_t i = 0; rc >= QUIRE_OK && i < w->n_corpus; i++)
    rc = env->svc->render_doc(env, w->corpus[i].r, doc);
  /* Entries already in the archive stay there: a failure ends the bag. */
  return rc < QUIRE_OK ? QUIRE_FATAL : QUIRE_OK;
}

/* A document a transform dropped (a duplicate, say): its source stays in
 * the bag, for the report that says why it was dropped to point at. */
int bag_write_dropped(quire_env *env, void *state, const char *transform,
                      const char *reason) {
  (void)transform;
  (void)reason;
  const char *input = env->svc->doc_input(env);
  int rc = input ? copy_source(state, input) : QUIRE_OK;
  return rc < QUIRE_OK ? QUIRE_FATAL : QUIRE_OK;
}

/* ---- Closing ----------------------------------------------------------------- */

static int add_corpus_file(bag_writer *w, corpus_file *f) {
  quire_env *env = w->env;
  int rc = env->svc->render_close(env, f->r, 1, NULL, NULL);
  f->r = NULL;
  if (rc < QUIRE_OK)
    return rc;
  if (f->failed || fflush(f->tmp) != 0) {
    env->svc->error(env, NULL, "bag: cannot write the temporary %s file: %s",
                    f->format, strerror(errno));
    return QUIRE_FATAL;
  }
  bag_digest d;
  bag_hasher_end(&f->hash, &d);
  rewind(f->tmp);
  char *path = payload_name(w, "normalized", f->name, "");
  if (!path)
    return out_of_memory(env);
  rc = bag_archive_add_stream(env, w->ar, path, f->tmp, d.size, NULL);
  if (rc == QUIRE_OK)
    rc = record(w, path, &d);
  free(path);
  return rc;
}

/* A file given as a path (the clean report), added to data/ whole. */
static int add_file(bag_writer *w, const char *file, const char *stem) {
  FILE *fp = fopen(file, "rb");
  struct stat st;
  if (!fp || fstat(fileno(fp), &st) != 0) {
    quire_loc loc = {.file = file};
    w->env->svc->error(w->env, &loc, "bag: cannot read: %s", strerror(errno));
    if (fp)
      fclose(fp);
    return QUIRE_FATAL;
  }
  char *path = malloc(strlen(w->name) + strlen(stem) + 16);
  int rc = QUIRE_OK;
  if (!path)
    rc = out_of_memory(w->env);
  else {
    sprintf(path, "%s/data/%s", w->name, stem);
    bag_digest d;
    rc = bag_archive_add_stream(w->env, w->ar, path, fp,
                                (uint64_t)st.st_size, &d);
    if (rc == QUIRE_OK)
      rc = record(w, path, &d);
  }
  free(path);
  fclose(fp);
  return rc;
}

/* A label's value on one line: line breaks become spaces. */
static void put_label(FILE *fp, const char *label, const char *value) {
  fprintf(fp, "%s: ", label);
  for (const char *p = value; *p; p++)
    fputc(*p == '\n' || *p == '\r' ? ' ' : *p, fp);
  fputc('\n', fp);
}

static void human_size(uint64_t bytes, char *out, size_t n) {
  static const char *const units[] = {"bytes", "KB", "MB", "GB", "TB"};
  double v = (double)bytes;
  int u = 0;
  while (v >= 1024 && u < 4) {
    v /= 1024;
    u++;
  }
  if (u == 0)
    snprintf(out, n, "%llu bytes", (unsigned long long)bytes);
  else
    snprintf(out, n, "%.1f %s", v, units[u]);
}

/* bag-info.txt's text, in a temporary file (the caller closes it). */
static FILE *bag_info(bag_writer *w) {
  FILE *fp = temp_file_stream();
  if (!fp)
    return NULL;
  const quire_services *svc = w->env->svc;
  struct tm tm;
  char date[32], size[32], oxum[64];
  gmtime_r(&w->when, &tm);
  strftime(date, sizeof date, "%Y-%m-%d", &tm);
  human_size(w->oxum_bytes, size, sizeof size);
  snprintf(oxum, sizeof oxum, "%llu.%llu",
           (unsigned long long)w->oxum_bytes,
           (unsigned long long)w->oxum_files);
  const char *agent = svc->option(w->opts, "bag-agent");
  put_label(fp, "Bag-Software-Agent", agent ? agent : "quire");
  put_label(fp, "Bagging-Date", date);
  put_label(fp, "Payload-Oxum", oxum);
  put_label(fp, "Bag-Size", size);
  const char *command = svc->option(w->opts, "bag-command");
  if (command)
    put_label(fp, "Quire-Command", command);
  const char *plugins = svc->option(w->opts, "bag-plugins");
  if (plugins)
    put_label(fp, "Quire-Plugins", plugins);
  put_label(fp, "Quire-Normalized-Formats", w->formats_list);
  if (!svc->option(w->opts, "bag-no-epub"))
    put_label(fp, "Quire-Corpus-Book", "data/normalized/corpus.epub");
  /* --bag-info KEY=VALUE, every one given, in order. */
  for (size_t i = 0; i < w->opts->count; i++) {
    const quire_option *o = &w->opts->items[i];
    if (strcmp(o->name, "bag-info") != 0 || !o->value)
      continue;
    const char *eq = strchr(o->value, '=');
    if (!eq || eq == o->value)
      continue;   /* checked at open */
    fprintf(fp, "%.*s", (int)(eq - o->value), o->value);
    put_label(fp, "", eq + 1);
  }
  return fp;
}

/* Adds a tag file from fp under NAME/tag, recording its digests. */
static int add_tag(bag_writer *w, FILE *fp, const char *tag, bag_digest *d) {
  if (fflush(fp) != 0) {
    w->env->svc->error(w->env, NULL, "cannot write %s: %s", tag,
                       strerror(errno));
    return QUIRE_FATAL;
  }
  long size = ftell(fp);
  rewind(fp);
  char *path = malloc(strlen(w->name) + strlen(tag) + 2);
  if (!path)
    return out_of_memory(w->env);
  sprintf(path, "%s/%s", w->name, tag);
  int rc = bag_archive_add_stream(w->env, w->ar, path, fp,
                                  size > 0 ? (uint64_t)size : 0, d);
  free(path);
  return rc;
}

static int finish(bag_writer *w) {
  int rc = QUIRE_OK;
  for (size_t i = 0; rc == QUIRE_OK && i < w->n_corpus; i++)
    rc = add_corpus_file(w, &w->corpus[i]);
  const char *report = w->env->svc->option(w->opts, "bag-clean-report");
  if (rc == QUIRE_OK && report)
    rc = add_file(w, report, "clean-report.jsonl");
  /* The duplicates the normalized forms leave out: their sources are in
   * the bag, and this says which each one repeats. */
  report = w->env->svc->option(w->opts, "bag-dedup-report");
  if (rc == QUIRE_OK && report)
    rc = add_file(w, report, "dedup-report.jsonl");
  if (rc != QUIRE_OK)
    return rc;
  /* The tag files: bag-info.txt, the manifests, then the tag manifests
   * of bagit.txt, bag-info.txt and the manifests. */
  bag_digest info, man256, man512;
  FILE *fp = bag_info(w);
  if (!fp) {
    return temp_failed(w->env);
  }
  rc = add_tag(w, fp, "bag-info.txt", &info);
  fclose(fp);
  if (rc == QUIRE_OK)
    rc = add_tag(w, w->m256, "manifest-sha256.txt", &man256);
  if (rc == QUIRE_OK)
    rc = add_tag(w, w->m512, "manifest-sha512.txt", &man512);
  for (int alg = 0; rc == QUIRE_OK && alg < 2; alg++) {
    FILE *tm = temp_file_stream();
    if (!tm) {
      return temp_failed(w->env);
    }
    const bag_digest *ds[] = {&w->bagit, &info, &man256, &man512};
    const char *names[] = {"bagit.txt", "bag-info.txt", "manifest-sha256.txt",
                           "manifest-sha512.txt"};
    for (int k = 0; k < 4; k++)
      bag_manifest_line(tm, alg ? ds[k]->sha512 : ds[k]->sha256, names[k]);
    rc = add_tag(w, tm, alg ? "tagmanifest-sha512.txt"
                            : "tagmanifest-sha256.txt", NULL);
    fclose(tm);
  }
  return rc;
}

int bag_write_close(quire_env *env, void *state, int ok) {
  bag_writer *w = state;
  int rc = ok ? finish(w) : QUIRE_OK;
  for (size_t i = 0; i < w->n_corpus; i++)
    if (w->corpus[i].r)
      env->svc->render_close(env, w->corpus[i].r, 0, NULL, NULL);
  int closed = bag_archive_close(env, w->ar, ok && rc == QUIRE_OK);
  free_writer(w);
  return rc != QUIRE_OK ? rc : closed;
}
