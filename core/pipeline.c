/* pipeline.c - one conversion: preparing it, and its outcome.
 *
 * A job that fails stops the run, unless the job asks to keep going: then
 * the failure is reported, counted, and the run goes on with the next
 * document or input.  With transforms that want the whole corpus first, a
 * first pass reads every input and hands each document to their gather();
 * standard input and streams are spooled to a temporary file so the second
 * pass can read them again.  See pipeline.h for the files of the rest. */
#define _XOPEN_SOURCE 700   /* realpath */

#include <quire/quire.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "options.h"
#include "pipeline.h"
#include "stream.h"


static int usage(pipeline *p, const char *fmt, const char *arg) {
  return ctx_fail(&p->c, QUIRE_FATAL, QUIRE_ERROR_USAGE, NULL, fmt, arg);
}

/* ---- Items: the inputs, files then sources -------------------------------- */

const quire_source *item_source(const pipeline *p, size_t i) {
  return i >= p->inputs.count ? &p->job->sources[i - p->inputs.count] : NULL;
}

/* The item's name: its path, or its source's name. */
const char *item_name(const pipeline *p, size_t i) {
  const quire_source *src = item_source(p, i);
  if (!src)
    return p->inputs.paths[i];
  return src->name && src->name[0] ? src->name : "<memory>";
}

/* Spools standard input and streams, which the first pass would use up. */
static int spool_items(pipeline *p) {
  for (size_t i = 0; i < p->n_items; i++) {
    const quire_source *src = item_source(p, i);
    int is_stdin = !src && strcmp(p->inputs.paths[i], "-") == 0;
    if (is_stdin || (src && src->read)) {
      p->spool[i] = input_spool(&p->c, src);
      if (p->spool[i] < 0)
        return QUIRE_FATAL;
    }
  }
  return QUIRE_OK;
}

/* ---- Errors and the outcome ------------------------------------------------ */

/* Keeps the context's error as the run's error to report: the first one,
 * or a fatal one, which ends the run. */
void keep_error(pipeline *p, int fatal) {
  if (p->first.kind != QUIRE_ERROR_NONE && !fatal)
    return;
  const quire_error *e = &p->c.error;
  p->first = *e;
  snprintf(p->first_message, sizeof p->first_message, "%s", e->message);
  p->first.message = p->first_message;
  if (e->file) {
    snprintf(p->first_file, sizeof p->first_file, "%s", e->file);
    p->first.file = p->first_file;
  }
}

/* A job ended with rc: counts it, and tells whether the run goes on
 * (QUIRE_OK) or stops (QUIRE_FATAL).  A failure is reported when the run
 * goes on, kept to be reported by the caller when it stops. */
int job_end(pipeline *p, int rc, const char *name) {
  if (rc >= QUIRE_OK) {
    p->result = grade_worse(p->result, p->c.grade);
    ctx_job_reset(&p->c);
    return QUIRE_OK;
  }
  ctx_blame(&p->c, name, "converting");
  if (rc == QUIRE_FATAL || !p->job->keep_going) {
    keep_error(p, 1);
    p->stopped = 1;
    return QUIRE_FATAL;
  }
  keep_error(p, 0);
  ctx_report_error(&p->c);
  p->n_failed++;
  p->out_failed++;
  p->result = grade_worse(p->result, QUIRE_FAILED);
  ctx_job_reset(&p->c);
  return QUIRE_OK;
}

int strict_check(const quire_job *job, qctx *c) {
  if (!job->strict || c->grade != QUIRE_WARN)
    return QUIRE_OK;
  char why[1200];
  snprintf(why, sizeof why, "%s", c->first_warning ? c->first_warning
                                                    : "a warning");
  return ctx_fail(c, QUIRE_FAILED, QUIRE_ERROR_CONVERSION, NULL,
                  "warning treated as an error (--strict): %s", why);
}

/* ---- Preparing ----------------------------------------------------------- */

static int pick_writer(pipeline *p) {
  const quire_job *job = p->job;
  quire_session *s = p->s;
  if (job->to) {
    p->writer = quire_format_find(s, job->to);
    if (!p->writer)
      return usage(p, "unknown output format '%s' (see --list-formats)",
                   job->to);
  } else if (job->output && strcmp(job->output, "-") != 0 &&
             !job->output_data) {
    p->writer = quire_format_for_path(s, job->output);
    if (!p->writer)
      return usage(p,
                   "cannot tell the output format from '%s'; name it with -t",
                   job->output);
  } else if (job->output_dir)
    return usage(p, "%s", "no output format: name it with -t");
  else
    return usage(p, "%s",
                 "no output format: name it with -t, or give -o FILE");
  if (!p->writer->format->write_open)
    return usage(p, "format '%s' cannot be written", p->writer->format->name);
  p->writer_plugin = registry_plugin_of(s, p->writer);
  const quire_format *f = p->writer->format;
  p->writer_parts = p->writer_plugin &&
                    p->writer_plugin->desc.abi_minor >= 4 && f->part_render &&
                    f->write_part && f->part_free;
  return QUIRE_OK;
}

/* The job's language: "auto" asks for each document's to be identified;
 * NULL when none is given. */
static const char *job_language(const quire_job *job) {
  const char *lang = NULL;
  for (size_t i = 0; i < job->n_metadata; i++)
    if (strcmp(job->metadata[i].name, QUIRE_META_LANGUAGE) == 0)
      lang = job->metadata[i].value;
  return lang;
}

/* Whether the transform "lang" goes first: asked for with the language
 * "auto", or the job gives no language and the writer must state one.
 * 1: yes; 0: no; QUIRE_FATAL when "auto" is asked for and no plugin
 * identifies languages. */
static int auto_language(pipeline *p, const quire_transform_info **lang) {
  const quire_job *job = p->job;
  const char *given = job_language(job);
  int asked = given && strcmp(given, QUIRE_LANGUAGE_AUTO) == 0;
  const quire_format *w = p->writer->format;
  int needed = !given && p->writer_plugin &&
               p->writer_plugin->desc.abi_minor >= 6 &&
               (w->flags & QUIRE_FORMAT_NEEDS_LANGUAGE);
  if (!asked && !needed)
    return 0;
  for (size_t i = 0; i < job->n_transforms; i++)
    if (strcmp(job->transforms[i], QUIRE_LANGUAGE_TRANSFORM) == 0)
      return 0;   /* the user placed it */
  *lang = registry_transform_find(p->s, QUIRE_LANGUAGE_TRANSFORM);
  if (*lang)
    return 1;
  if (asked)
    return usage(p, "the language 'auto' needs the transform '%s', which no "
                    "plugin provides", QUIRE_LANGUAGE_TRANSFORM);
  return 0;
}

static void add_stage(pipeline *p, const quire_transform_info *t) {
  stage *st = &p->stages[p->n_stages++];
  st->info = t;
  st->plugin = registry_plugin_of_transform(p->s, t);
  scope_init(&st->scope, &p->c, st->plugin, NULL, 0);
  pthread_mutex_init(&st->lock, NULL);
  if (t->transform->flags & QUIRE_TRANSFORM_CORPUS)
    p->corpus_pass = 1;
  st->free_running = st->plugin && st->plugin->desc.abi_minor >= 6 &&
                     (st->plugin->desc.flags & QUIRE_PLUGIN_CONCURRENT) &&
                     (t->transform->flags & QUIRE_TRANSFORM_UNORDERED) &&
                     !(t->transform->flags & QUIRE_TRANSFORM_CORPUS);
}

static int pick_transforms(pipeline *p) {
  const quire_job *job = p->job;
  const quire_transform_info *lang = NULL;
  int auto_lang = auto_language(p, &lang);
  if (auto_lang < 0)
    return QUIRE_FATAL;
  p->stages = calloc(job->n_transforms + 2, sizeof *p->stages);
  if (!p->stages)
    return ctx_oom(&p->c);
  if (auto_lang)
    add_stage(p, lang);
  for (size_t i = 0; i < job->n_transforms; i++) {
    const quire_transform_info *t =
        registry_transform_find(p->s, job->transforms[i]);
    if (!t)
      return usage(p, "unknown transform '%s' (see --list-transforms)",
                   job->transforms[i]);
    add_stage(p, t);
  }
  return QUIRE_OK;
}

/* The readers the inputs may use, for checking options: the -f format, or
 * each input's by its extension; *any when some input's format will be
 * told by its content. */
static int check_options(pipeline *p) {
  const quire_job *job = p->job;
  const quire_format_info **readers = calloc(p->n_items + 1, sizeof *readers);
  const quire_transform_info **transforms =
      calloc(p->n_stages + 1, sizeof *transforms);
  if (!readers || !transforms) {
    free(readers);
    free(transforms);
    return ctx_oom(&p->c);
  }
  size_t n = 0;
  int any = 0;
  const quire_format_info *from = job->from ? quire_format_find(p->s, job->from)
                                            : NULL;
  for (size_t i = 0; i < p->n_items; i++) {
    const quire_source *src = item_source(p, i);
    const quire_format_info *f = from;
    if (!f && src && src->format)
      f = quire_format_find(p->s, src->format);
    if (!f && strcmp(item_name(p, i), "-") != 0)
      f = quire_format_for_path(p->s, item_name(p, i));
    if (f && f->format->read_open)
      readers[n++] = f;
    else
      any = 1;
  }
  for (size_t i = 0; i < p->n_stages; i++)
    transforms[i] = p->stages[i].info;
  int rc = options_check(&p->c, job, p->writer, readers, n, any, transforms,
                         p->n_stages);
  free(readers);
  free(transforms);
  return rc;
}

/* Every corpus metadata key is written by the writer, or said not to be. */
static int check_metadata(pipeline *p) {
  const quire_job *job = p->job;
  const quire_format *w = p->writer->format;
  for (size_t i = 0; i < job->n_metadata; i++) {
    const char *key = job->metadata[i].name;
    int seen = 0;
    for (size_t k = 0; k < i; k++)
      seen |= strcmp(job->metadata[k].name, key) == 0;
    /* the language is the core's too: it fills documents without one */
    if (seen || meta_key_in_list(w->metadata_keys, key) ||
        strcmp(key, QUIRE_META_LANGUAGE) == 0)
      continue;
    if (job->strict)
      return ctx_fail(&p->c, QUIRE_FATAL, QUIRE_ERROR_USAGE, NULL,
                      "metadata '%s' would be lost: format %s does not "
                      "write it (--strict)", key, w->name);
    ctx_warn(&p->c, NULL, "metadata '%s' is not written: format %s has no "
                          "place for it", key, w->name);
  }
  p->result = grade_worse(p->result, p->c.grade);
  ctx_job_reset(&p->c);
  return QUIRE_OK;
}

static int index_inputs(pipeline *p);

/* The corpus metadata key `collection`: the folder's name, when the inputs
 * are exactly one folder ("corpus/" gives "corpus"; "." and ".." the real
 * folder's name) written to one output, the user gave no `collection`
 * and the writer has a place for it.  Writers title a page or text of
 * several documents with it.  A folder without a name ("/") sets none. */
static int add_collection(pipeline *p) {
  const quire_job *job = p->job;
  struct stat st;
  if (job->n_inputs != 1 || job->n_sources || job->output_dir ||
      !job->inputs[0] || strcmp(job->inputs[0], "-") == 0 ||
      !meta_key_in_list(p->writer->format->metadata_keys, "collection") ||
      stat(job->inputs[0], &st) != 0 || !S_ISDIR(st.st_mode))
    return QUIRE_OK;
  for (size_t i = 0; i < job->n_metadata; i++)
    if (strcmp(job->metadata[i].name, "collection") == 0)
      return QUIRE_OK;
  const char *path = job->inputs[0];
  size_t len = strlen(path);
  while (len > 1 && path[len - 1] == '/')
    len--;
  size_t start = len;
  while (start && path[start - 1] != '/')
    start--;
  char *name = strndup(path + start, len - start);
  if (!name)
    return ctx_oom(&p->c);
  if (!name[0] || strcmp(name, ".") == 0 || strcmp(name, "..") == 0 ||
      strcmp(name, "/") == 0) {
    free(name);
    char *real = realpath(path, NULL);
    const char *slash = real ? strrchr(real, '/') : NULL;
    name = slash && slash[1] ? strdup(slash + 1) : NULL;
    int lost = real && slash && slash[1] && !name;
    free(real);
    if (lost)
      return ctx_oom(&p->c);
    if (!name)
      return QUIRE_OK;
  }
  int rc = quire_meta_add(p->corpus, "collection", name);
  free(name);
  return rc == QUIRE_OK ? QUIRE_OK : ctx_oom(&p->c);
}

static int pipeline_prepare(pipeline *p) {
  const quire_job *job = p->job;
  int outputs = (job->output != NULL) + (job->output_dir != NULL) +
                (job->output_data != NULL);
  if (outputs > 1)
    return usage(p, "%s", "give one output: a file, a folder or memory");
  if ((job->output && !job->output[0]) ||
      (job->output_dir && !job->output_dir[0]))
    return usage(p, "%s", "the output name is empty");
  if (job->output_data && !job->output_len)
    return usage(p, "%s", "output_data needs output_len");
  if (job->n_sources && !job->sources)
    return usage(p, "%s", "n_sources without sources");
  if (pick_writer(p) != QUIRE_OK)
    return QUIRE_FATAL;
  if (job->from) {
    const quire_format_info *f = quire_format_find(p->s, job->from);
    if (!f)
      return usage(p, "unknown input format '%s' (see --list-formats)",
                   job->from);
    if (!f->format->read_open)
      return usage(p, "format '%s' cannot be read", job->from);
  }
  if (pick_transforms(p) != QUIRE_OK)
    return QUIRE_FATAL;
  inputs_opts in_opts = {.recursive = job->recursive, .from = job->from,
                         .strict = job->strict};
  if (inputs_expand(&p->c, job->inputs, job->n_inputs, job->n_sources > 0,
                    &in_opts, &p->inputs) != QUIRE_OK)
    return QUIRE_FATAL;
  p->n_items = p->inputs.count + job->n_sources;
  p->spool = malloc((p->n_items + 1) * sizeof *p->spool);
  p->failed = calloc(p->n_items + 1, 1);
  p->through = calloc(p->n_items + 1, 1);
  p->sizes = calloc(p->n_items + 1, sizeof *p->sizes);
  p->corpus = quire_doc_new();
  if (!p->spool || !p->failed || !p->through || !p->sizes || !p->corpus)
    return ctx_oom(&p->c);
  for (size_t i = 0; i < p->n_items; i++)
    p->spool[i] = -1;
  if (check_options(p) != QUIRE_OK)
    return QUIRE_FATAL;
  const quire_format *w = p->writer->format;
  if (options_pick(&p->c, job, w->name, w->options, w->n_options,
                   QUIRE_OPT_WRITE, &p->writer_opts,
                   &p->writer_storage) != QUIRE_OK)
    return QUIRE_FATAL;
  for (size_t i = 0; i < p->n_stages; i++) {
    const quire_transform *t = p->stages[i].info->transform;
    if (options_pick(&p->c, job, t->name, t->options, t->n_options, 0,
                     &p->stages[i].opts, &p->stages[i].storage) != QUIRE_OK)
      return QUIRE_FATAL;
  }
  for (size_t i = 0; i < job->n_metadata; i++) {
    const quire_option *m = &job->metadata[i];
    if (strcmp(m->name, QUIRE_META_LANGUAGE) == 0 &&
        strcmp(m->value, QUIRE_LANGUAGE_AUTO) == 0)
      continue;   /* each document's own, identified */
    if (quire_meta_add(p->corpus, m->name, m->value) != QUIRE_OK)
      return ctx_oom(&p->c);
  }
  if (add_collection(p) != QUIRE_OK)
    return QUIRE_FATAL;
  if (check_metadata(p) != QUIRE_OK)
    return QUIRE_FATAL;
  return index_inputs(p);
}

static int file_id_cmp(const void *a, const void *b) {
  const file_id *x = a, *y = b;
  if (x->dev != y->dev)
    return x->dev < y->dev ? -1 : 1;
  return x->ino < y->ino ? -1 : x->ino > y->ino;
}

/* Stats every input once, so each output is checked against all of them
 * with a binary search rather than a stat per input. */
static int index_inputs(pipeline *p) {
  p->input_ids = calloc(p->inputs.count + 1, sizeof *p->input_ids);
  if (!p->input_ids)
    return ctx_oom(&p->c);
  for (size_t i = 0; i < p->inputs.count; i++) {
    struct stat st;
    if (strcmp(p->inputs.paths[i], "-") != 0 &&
        stat(p->inputs.paths[i], &st) == 0) {
      p->input_ids[p->n_input_ids++] = (file_id){st.st_dev, st.st_ino, i};
      if (S_ISREG(st.st_mode)) {
        p->sizes[i] = (unsigned long long)st.st_size;
        p->bytes_total += p->sizes[i];
      }
    }
  }
  qsort(p->input_ids, p->n_input_ids, sizeof *p->input_ids, file_id_cmp);
  return QUIRE_OK;
}

/* The input that `target` is the same file as, or NULL. */
const char *same_as_input(const pipeline *p, const char *target) {
  struct stat out;
  if (!target || stat(target, &out) != 0)
    return NULL;
  file_id key = {out.st_dev, out.st_ino, 0};
  const file_id *hit = p->n_input_ids
                           ? bsearch(&key, p->input_ids, p->n_input_ids,
                                     sizeof key, file_id_cmp)
                           : NULL;
  return hit ? p->inputs.paths[hit->input] : NULL;
}

/* ---- Transforms -------------------------------------------------------------- */

static int stages_open(pipeline *p) {
  for (size_t i = 0; i < p->n_stages; i++) {
    stage *st = &p->stages[i];
    const quire_transform *t = st->info->transform;
    if (t->open) {
      plugin_enter(st->plugin);
      int rc = t->open(&st->scope.env, &st->opts, &st->state);
      plugin_leave(st->plugin);
      if (rc < QUIRE_OK) {
        ctx_blame(&p->c, NULL, t->name);
        return QUIRE_FATAL;
      }
    }
    st->opened = 1;
  }
  return QUIRE_OK;
}

static void stages_close(pipeline *p) {
  for (size_t i = 0; i < p->n_stages; i++) {
    stage *st = &p->stages[i];
    if (st->opened && st->info->transform->close) {
      plugin_enter(st->plugin);
      st->info->transform->close(&st->scope.env, st->state);
      plugin_leave(st->plugin);
    }
    free(st->storage);
    pthread_mutex_destroy(&st->lock);
  }
}

/* ---- The first pass --------------------------------------------------------- */

static int first_pass(pipeline *p) {
  for (size_t i = 0; i < p->n_items; i++)
    if (produce_item(&p->producers[0], i, 1) != QUIRE_OK)
      return QUIRE_FATAL;
  for (size_t i = 0; i < p->n_stages; i++) {
    stage *st = &p->stages[i];
    const quire_transform *t = st->info->transform;
    if (!(t->flags & QUIRE_TRANSFORM_CORPUS) || !t->gather_end)
      continue;
    plugin_enter(st->plugin);
    int rc = t->gather_end(&st->scope.env, st->state);
    plugin_leave(st->plugin);
    if (rc < QUIRE_OK) {
      ctx_blame(&p->c, NULL, t->name);
      keep_error(p, 1);
      return QUIRE_FATAL;
    }
  }
  return QUIRE_OK;
}

/* ---- The run ------------------------------------------------------------------- */

static int run(pipeline *p) {
  if (pipeline_prepare(p) != QUIRE_OK) {
    keep_error(p, 1);
    return QUIRE_FATAL;
  }
  if (stages_open(p) != QUIRE_OK) {
    keep_error(p, 1);
    return QUIRE_FATAL;
  }
  if (p->corpus_pass && (spool_items(p) != QUIRE_OK)) {
    keep_error(p, 1);
    return QUIRE_FATAL;
  }
  if (producers_init(p, p->job->threads) != QUIRE_OK) {
    keep_error(p, 1);
    return QUIRE_FATAL;
  }
  if (p->corpus_pass && first_pass(p) != QUIRE_OK)
    return QUIRE_FATAL;
  return write_outputs(p);
}

/* Copies e into the status, its strings into the status's buffers. */
static void status_set(quire_status *st, const quire_error *e) {
  st->error = *e;
  snprintf(st->message_buf, sizeof st->message_buf, "%s",
           e->message ? e->message : "");
  st->error.message = st->message_buf;
  st->error.file = NULL;
  if (e->file) {
    snprintf(st->file_buf, sizeof st->file_buf, "%s", e->file);
    st->error.file = st->file_buf;
  }
}

int quire_convert(quire_session *s, const quire_job *job) {
  pipeline p = {.s = s, .job = job};
  pthread_mutex_init(&p.turn_lock, NULL);
  pthread_cond_init(&p.turn_cond, NULL);
  if (job->output_data)
    *job->output_data = NULL;
  if (job->output_len)
    *job->output_len = 0;
  ctx_init(&p.c, s, job);
  p.c.strict = job->strict;
  if (!job->status)
    session_clear_error(s);
  int rc = run(&p);
  producers_free(&p);
  stages_close(&p);
  if (rc == QUIRE_OK && p.n_failed)
    rc = QUIRE_FAILED;
  else if (rc == QUIRE_OK)
    rc = p.result == QUIRE_WARN ? QUIRE_WARN : QUIRE_OK;
  if (job->status) {
    quire_status *st = job->status;
    memset(st, 0, sizeof *st);
    st->result = rc;
    st->error.message = "";
    if (p.first.kind != QUIRE_ERROR_NONE)
      status_set(st, &p.first);
    st->documents = p.n_docs;
    st->failed = p.n_failed;
    st->dropped = p.n_dropped;
    st->warnings = p.c.warnings;
  } else if (p.first.kind != QUIRE_ERROR_NONE) {
    quire_loc loc = {p.first.file, p.first.line, p.first.column,
                     p.first.offset};
    session_fail(s, p.first.kind, p.first.file ? &loc : NULL, "%s",
                 p.first.message);
  }
  for (size_t i = 0; p.spool && i < p.n_items; i++)
    if (p.spool[i] >= 0)
      close(p.spool[i]);
  inputs_free(&p.inputs);
  quire_doc_free(p.corpus);
  free(p.stages);
  free(p.writer_storage);
  free(p.spool);
  free(p.failed);
  free(p.through);
  free(p.sizes);
  free(p.input_ids);
  ctx_free(&p.c);
  pthread_cond_destroy(&p.turn_cond);
  pthread_mutex_destroy(&p.turn_lock);
  return rc;
}
