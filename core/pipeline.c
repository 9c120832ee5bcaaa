/* pipeline.c - one conversion: inputs read, transformed and written one
 * document at a time, outputs put in place only when all went well.
 *
 * Each document is a job: read, finished (source, title, language), passed
 * through the transforms, written.  A job that fails stops the run, unless
 * the job asks to keep going: then the failure is reported, counted, and
 * the run goes on with the next document or input.  With transforms that
 * want the whole corpus first, a first pass reads every input and hands
 * each document to their gather(); standard input and streams are spooled
 * to a temporary file so the second pass can read them again. */
#include <quire/quire.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "inputs.h"
#include "options.h"
#include "registry.h"
#include "stream.h"

typedef struct stage {
  const quire_transform_info *info;
  loaded_plugin *plugin;
  qscope scope;
  quire_options opts;
  quire_option *storage;
  void *state;
  int opened;
} stage;

typedef struct file_id {
  dev_t dev;
  ino_t ino;
  size_t input;
} file_id;

typedef struct pipeline {
  quire_session *s;
  const quire_job *job;
  qctx c;
  input_list inputs;          /* paths; sources follow them as items */
  size_t n_items;
  int *spool;                 /* per item: a spooled copy's fd, or -1 */
  unsigned char *failed;      /* per item: failed in the first pass */
  const quire_format_info *writer;
  loaded_plugin *writer_plugin;
  quire_options writer_opts;
  quire_option *writer_storage;
  stage *stages;
  size_t n_stages;
  int corpus_pass;            /* some transform wants the first pass */
  quire_doc *corpus;          /* holds the corpus metadata */
  file_id *input_ids;         /* the inputs' files, sorted, to refuse */
  size_t n_input_ids;         /* overwriting one */

  /* The output being written. */
  qscope wscope;
  void *wstate;
  const char *out_name;
  size_t out_docs;
  size_t out_failed;          /* inputs or documents of it that failed */

  /* The run's outcome. */
  int result;
  int stopped;                /* a job ended the run */
  size_t n_docs, n_failed, n_dropped;
  quire_error first;          /* the error to report; strings below */
  char first_file[1024];
  char first_message[1024];
} pipeline;

static int usage(pipeline *p, const char *fmt, const char *arg) {
  return ctx_fail(&p->c, QUIRE_FATAL, QUIRE_ERROR_USAGE, NULL, fmt, arg);
}

/* ---- Items: the inputs, files then sources -------------------------------- */

static const quire_source *item_source(const pipeline *p, size_t i) {
  return i >= p->inputs.count ? &p->job->sources[i - p->inputs.count] : NULL;
}

/* The item's name: its path, or its source's name. */
static const char *item_name(const pipeline *p, size_t i) {
  const quire_source *src = item_source(p, i);
  if (!src)
    return p->inputs.paths[i];
  return src->name && src->name[0] ? src->name : "<memory>";
}

static int item_open(pipeline *p, size_t i, quire_input **in) {
  const quire_source *src = item_source(p, i);
  if (p->spool[i] >= 0)
    return input_open_fd(&p->c, p->spool[i],
                         src ? item_name(p, i) : "<stdin>", in);
  if (src)
    return input_open_source(&p->c, src, item_name(p, i), in);
  return input_open(&p->c, p->inputs.paths[i], in);
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
static void keep_error(pipeline *p, int fatal) {
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
static int job_end(pipeline *p, int rc, const char *name) {
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

/* --strict: a job that warned fails, with its first warning as reason. */
static int strict_check(pipeline *p) {
  if (!p->job->strict || p->c.grade != QUIRE_WARN)
    return QUIRE_OK;
  char why[1200];
  snprintf(why, sizeof why, "%s", p->c.first_warning ? p->c.first_warning
                                                      : "a warning");
  return ctx_fail(&p->c, QUIRE_FAILED, QUIRE_ERROR_CONVERSION, NULL,
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
  return QUIRE_OK;
}

static int pick_transforms(pipeline *p) {
  const quire_job *job = p->job;
  p->stages = calloc(job->n_transforms + 1, sizeof *p->stages);
  if (!p->stages)
    return ctx_oom(&p->c);
  for (size_t i = 0; i < job->n_transforms; i++) {
    const quire_transform_info *t =
        registry_transform_find(p->s, job->transforms[i]);
    if (!t)
      return usage(p, "unknown transform '%s' (see --list-transforms)",
                   job->transforms[i]);
    stage *st = &p->stages[p->n_stages++];
    st->info = t;
    st->plugin = registry_plugin_of_transform(p->s, t);
    scope_init(&st->scope, &p->c, st->plugin, NULL, 0);
    if (t->transform->flags & QUIRE_TRANSFORM_CORPUS)
      p->corpus_pass = 1;
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
  if (inputs_expand(&p->c, job->inputs, job->n_inputs, job->n_sources > 0,
                    &p->inputs) != QUIRE_OK)
    return QUIRE_FATAL;
  p->n_items = p->inputs.count + job->n_sources;
  p->spool = malloc((p->n_items + 1) * sizeof *p->spool);
  p->failed = calloc(p->n_items + 1, 1);
  p->corpus = quire_doc_new();
  if (!p->spool || !p->failed || !p->corpus)
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
  for (size_t i = 0; i < job->n_metadata; i++)
    if (quire_meta_add(p->corpus, job->metadata[i].name,
                       job->metadata[i].value) != QUIRE_OK)
      return ctx_oom(&p->c);
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
        stat(p->inputs.paths[i], &st) == 0)
      p->input_ids[p->n_input_ids++] = (file_id){st.st_dev, st.st_ino, i};
  }
  qsort(p->input_ids, p->n_input_ids, sizeof *p->input_ids, file_id_cmp);
  return QUIRE_OK;
}

/* The input that `target` is the same file as, or NULL. */
static const char *same_as_input(const pipeline *p, const char *target) {
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
  }
}

static int finish_doc(pipeline *p, quire_doc *doc, size_t item) {
  const char *lang = quire_meta_get(p->corpus->meta, QUIRE_META_LANGUAGE);
  const char *path = item_source(p, item) ? NULL : p->inputs.paths[item];
  if (doc_finish(doc, path, item_name(p, item), lang) != QUIRE_OK)
    return ctx_oom(&p->c);
  return QUIRE_OK;
}

/* A document a transform emitted, to run after the one it came with,
 * through the stages after the one that emitted it. */
typedef struct pending {
  quire_doc *doc;
  size_t from;
} pending;

/* Moves the documents emitted during the last apply() to the queue. */
static int take_emitted(pipeline *p, pending **q, size_t *n, size_t from) {
  qctx *c = &p->c;
  int rc = QUIRE_OK;
  if (c->n_emitted) {
    pending *grown = realloc(*q, (*n + c->n_emitted) * sizeof *grown);
    if (grown) {
      for (size_t k = 0; k < c->n_emitted; k++)
        grown[*n + k] = (pending){c->emitted[k], from};
      *q = grown;
      *n += c->n_emitted;
    } else {
      for (size_t k = 0; k < c->n_emitted; k++)
        quire_doc_free(c->emitted[k]);
      rc = ctx_oom(c);
    }
  }
  free(c->emitted);
  c->emitted = NULL;
  c->n_emitted = c->cap_emitted = 0;
  return rc;
}

/* The job of doc (taken): passed through stages[from..] and written; then
 * the jobs of the documents transforms emitted along the way.  QUIRE_OK
 * while the run goes on, QUIRE_FATAL when it must stop. */
static int run_doc(pipeline *p, quire_doc *doc, size_t from, size_t item) {
  qctx *c = &p->c;
  const char *name = item_name(p, item);
  pending *q = NULL;
  size_t nq = 0;
  int rc = QUIRE_OK, dropped = 0;
  for (size_t i = from; i < p->n_stages; i++) {
    stage *st = &p->stages[i];
    c->applying = 1;
    plugin_enter(st->plugin);
    rc = st->info->transform->apply(&st->scope.env, st->state, doc);
    plugin_leave(st->plugin);
    c->applying = 0;
    if (rc == QUIRE_WARN)
      ctx_grade(c, QUIRE_WARN);
    if (take_emitted(p, &q, &nq, i + 1) != QUIRE_OK)
      rc = QUIRE_FATAL;
    if (rc == QUIRE_DROP) {
      const char *title = quire_meta_get(doc->meta, QUIRE_META_TITLE);
      ctx_info(c, NULL, "%s: %s dropped \"%s\": %s", name,
               st->info->transform->name, title ? title : "",
               c->drop_reason ? c->drop_reason : "no reason given");
      p->n_dropped++;
      dropped = 1;
      rc = QUIRE_OK;
      break;
    }
    if (rc < QUIRE_OK) {
      ctx_blame(c, name, st->info->transform->name);
      break;
    }
  }
  if (rc >= QUIRE_OK && !dropped)
    rc = strict_check(p);
  if (rc >= QUIRE_OK && !dropped) {
    const char *path = item_source(p, item) ? NULL : item_name(p, item);
    c->writing_input = path && strcmp(path, "-") != 0 ? path : NULL;
    plugin_enter(p->writer_plugin);
    rc = p->writer->format->write_doc(&p->wscope.env, p->wstate, doc);
    plugin_leave(p->writer_plugin);
    c->writing_input = NULL;
    if (rc < QUIRE_OK)
      ctx_blame(c, p->out_name, "writing");
    else {
      p->n_docs++;
      p->out_docs++;
      if (rc == QUIRE_WARN)
        ctx_grade(c, QUIRE_WARN);
      /* the writer's own warnings: the document is in the output already,
       * so under --strict the run cannot keep it */
      if (strict_check(p) != QUIRE_OK)
        rc = QUIRE_FATAL;
    }
  }
  quire_doc_free(doc);
  int verdict = job_end(p, rc, name);
  for (size_t k = 0; k < nq; k++) {
    if (verdict != QUIRE_OK) {
      quire_doc_free(q[k].doc);
      continue;
    }
    int job = finish_doc(p, q[k].doc, item);
    if (job == QUIRE_OK)
      verdict = run_doc(p, q[k].doc, q[k].from, item);
    else {
      quire_doc_free(q[k].doc);
      verdict = job_end(p, job, name);
    }
  }
  free(q);
  return verdict;
}

/* ---- Reading ---------------------------------------------------------------- */

/* What to do with each document of an input: gather it (first pass) or
 * convert it. */
typedef int (*doc_fn)(pipeline *p, quire_doc *doc, size_t item);

static int gather_doc(pipeline *p, quire_doc *doc, size_t item) {
  (void)item;
  int rc = QUIRE_OK;
  for (size_t i = 0; rc >= QUIRE_OK && i < p->n_stages; i++) {
    stage *st = &p->stages[i];
    const quire_transform *t = st->info->transform;
    if (!(t->flags & QUIRE_TRANSFORM_CORPUS))
      continue;
    plugin_enter(st->plugin);
    rc = t->gather(&st->scope.env, st->state, doc);
    plugin_leave(st->plugin);
    if (rc < QUIRE_OK)
      ctx_blame(&p->c, item_name(p, item), t->name);
  }
  quire_doc_free(doc);
  if (rc < QUIRE_OK)
    return rc;
  /* gathering is not a job: its warnings are the second pass's to give */
  ctx_job_reset(&p->c);
  return QUIRE_OK;
}

/* The job of the document `doc`, and the run's verdict on it. */
static int convert_doc(pipeline *p, quire_doc *doc, size_t item) {
  return run_doc(p, doc, 0, item);
}

/* Reads every document of item and hands each to fn.  QUIRE_OK, or
 * QUIRE_FATAL when the run must stop; an input that fails while the run
 * goes on is reported and marked failed. */
static int read_item(pipeline *p, size_t item, doc_fn fn) {
  qctx *c = &p->c;
  const char *name = item_name(p, item);
  quire_input *in = NULL;
  int rc = item_open(p, item, &in);
  const quire_format_info *rf = NULL;
  const quire_source *src = item_source(p, item);
  if (rc == QUIRE_OK) {
    const char *hint = p->job->from ? p->job->from : src ? src->format : NULL;
    rf = registry_pick_reader(c, in, name, hint);
    if (!rf)
      rc = c->grade == QUIRE_FATAL ? QUIRE_FATAL : QUIRE_FAILED;
  }
  quire_option *storage = NULL;
  qscope rscope;
  void *rstate = NULL;
  int opened = 0;
  if (rc == QUIRE_OK) {
    loaded_plugin *rp = registry_plugin_of(p->s, rf);
    const quire_format *f = rf->format;
    quire_options ropts;
    scope_init(&rscope, c, rp, in->name, 0);
    rc = options_pick(c, p->job, f->name, f->options, f->n_options,
                      QUIRE_OPT_READ, &ropts, &storage);
    if (rc == QUIRE_OK) {
      plugin_enter(rp);
      rc = f->read_open(&rscope.env, in, &ropts, &rstate);
      plugin_leave(rp);
      opened = rc >= QUIRE_OK;
      if (!opened)
        ctx_blame(c, in->name, "reading");
      else if (rc == QUIRE_WARN)
        ctx_grade(c, QUIRE_WARN);
    }
  }
  while (opened && rc >= QUIRE_OK) {
    quire_doc *doc = NULL;
    plugin_enter(rscope.plugin);
    rc = rf->format->read_next(&rscope.env, rstate, &doc);
    plugin_leave(rscope.plugin);
    if (rc == QUIRE_DONE) {
      rc = QUIRE_OK;
      break;
    }
    if (rc == QUIRE_WARN)
      ctx_grade(c, QUIRE_WARN);
    if (rc >= QUIRE_OK && !doc)
      rc = ctx_fail(c, QUIRE_FAILED, QUIRE_ERROR_CONVERSION, NULL,
                    "the %s reader gave no document", rf->format->name);
    if (rc < QUIRE_OK) {
      quire_doc_free(doc);
      ctx_blame(c, in->name, "reading");
      if (rc == QUIRE_FATAL || !p->job->keep_going)
        break;
      /* One document of the input failed and the reader may go on (it
       * returns QUIRE_DONE when it cannot): with --keep-going, count it
       * (in the second pass only, when there are two) and read on. */
      if (fn == gather_doc)
        ctx_job_reset(c);
      else if (job_end(p, rc, name) != QUIRE_OK)
        break;
      rc = QUIRE_OK;
      continue;
    }
    if (finish_doc(p, doc, item) != QUIRE_OK) {
      quire_doc_free(doc);
      rc = QUIRE_FATAL;
      break;
    }
    rc = fn(p, doc, item);
    if (rc != QUIRE_OK)
      break;
    ctx_job_reset(c);
  }
  if (opened) {
    plugin_enter(rscope.plugin);
    rf->format->read_close(&rscope.env, rstate);
    plugin_leave(rscope.plugin);
  }
  free(storage);
  input_close(in);
  ctx_release_closed(c);
  if (p->stopped)
    return QUIRE_FATAL;   /* a job stopped the run; its error is kept */
  if (rc >= QUIRE_OK)
    return QUIRE_OK;
  p->failed[item] = 1;
  return job_end(p, rc, name);
}

static int first_pass(pipeline *p) {
  p->c.mute = 1;
  for (size_t i = 0; i < p->n_items; i++)
    if (read_item(p, i, gather_doc) != QUIRE_OK) {
      p->c.mute = 0;
      return QUIRE_FATAL;
    }
  p->c.mute = 0;
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

/* ---- Writing ------------------------------------------------------------------ */

/* Converts items[first..last) into one output at `target` (NULL: standard
 * output, or memory when the job asks). */
static int convert_to(pipeline *p, size_t first, size_t last,
                      const char *target) {
  qctx *c = &p->c;
  const quire_format *w = p->writer->format;
  const char *input = same_as_input(p, target);
  if (input) {
    quire_loc loc = {.file = target};
    ctx_fail(c, QUIRE_FATAL, QUIRE_ERROR_USAGE, &loc,
             "refusing to overwrite input %s", input);
    keep_error(p, 1);
    return QUIRE_FATAL;
  }
  if (!target && !p->job->output_data && w->binary && isatty(STDOUT_FILENO)) {
    usage(p, "format %s is binary and standard output is a terminal; "
             "give -o FILE", w->name);
    keep_error(p, 1);
    return QUIRE_FATAL;
  }
  quire_output *out = NULL;
  int rc = p->job->output_data ? output_open_memory(c, "<memory>", &out)
                               : output_open(c, target, &out);
  if (rc != QUIRE_OK) {
    keep_error(p, 1);
    return QUIRE_FATAL;
  }
  p->out_name = out->name;
  p->out_docs = p->out_failed = 0;
  ctx_info(c, NULL, "writing %s as %s with %s", out->name, w->name,
           p->writer->plugin_path);
  scope_init(&p->wscope, c, p->writer_plugin, NULL, 0);
  plugin_enter(p->writer_plugin);
  rc = w->write_open(&p->wscope.env, out, &p->writer_opts, p->corpus->meta,
                     &p->wstate);
  plugin_leave(p->writer_plugin);
  if (rc < QUIRE_OK) {
    ctx_blame(c, out->name, "writing");
    keep_error(p, 1);
    output_discard(out);
    return QUIRE_FATAL;
  }
  rc = QUIRE_OK;
  for (size_t i = first; rc == QUIRE_OK && i < last; i++)
    if (!p->failed[i])
      rc = read_item(p, i, convert_doc);
  /* An output none of whose inputs converted is not written. */
  int keep = rc == QUIRE_OK && (p->out_docs > 0 || p->out_failed == 0);
  plugin_enter(p->writer_plugin);
  int closed = w->write_close(&p->wscope.env, p->wstate, keep);
  plugin_leave(p->writer_plugin);
  if (keep && closed >= QUIRE_OK)
    closed = strict_check(p);
  if (keep && closed < QUIRE_OK) {
    ctx_blame(c, out->name, "writing");
    keep_error(p, 1);
    rc = QUIRE_FATAL;
  } else if (keep) {
    p->result = grade_worse(p->result, c->grade);
    ctx_job_reset(c);
  }
  if (rc != QUIRE_OK || !keep) {
    output_discard(out);
    return rc;
  }
  if (output_commit(c, out, p->job->output_data, p->job->output_len) !=
      QUIRE_OK) {
    keep_error(p, 1);
    return QUIRE_FATAL;
  }
  return QUIRE_OK;
}

/* DIR/NAME.EXT for one input, NAME being its file name less extension. */
static char *output_dir_path(const char *dir, const char *input,
                             const quire_format *w) {
  size_t stem;
  const char *ext_of_input;
  const char *base = path_name(input, &stem, &ext_of_input);
  int n = (int)stem;
  const char *ext = w->extensions && w->extensions[0] ? w->extensions
                                                       : w->name;
  int ext_len = (int)strcspn(ext, ",");
  size_t size = strlen(dir) + (size_t)n + (size_t)ext_len + 3;
  char *path = malloc(size);
  if (path)
    snprintf(path, size, "%s/%.*s.%.*s", dir, n, base, ext_len, ext);
  return path;
}

typedef struct named_target {
  char *path;
  size_t input;
} named_target;

static int target_cmp(const void *a, const void *b) {
  return strcmp(((const named_target *)a)->path,
                ((const named_target *)b)->path);
}

static void targets_free(named_target *t, size_t n) {
  for (size_t i = 0; t && i < n; i++)
    free(t[i].path);
  free(t);
}

/* The output path of every input, in input order, or NULL with the
 * context's error set: standard input has no name to give its output, and
 * two inputs must not claim the same output (a/x.txt and b/x.txt). */
static named_target *plan_outputs(pipeline *p) {
  qctx *c = &p->c;
  size_t n = p->n_items;
  named_target *t = calloc(n + 1, sizeof *t);
  named_target *sorted = calloc(n + 1, sizeof *sorted);
  if (!t || !sorted)
    goto oom;
  for (size_t i = 0; i < n; i++) {
    if (strcmp(item_name(p, i), "-") == 0) {
      usage(p, "%s", "standard input has no name to give an output in "
                     "--output-dir");
      goto fail;
    }
    t[i].path = output_dir_path(p->job->output_dir, item_name(p, i),
                                p->writer->format);
    t[i].input = i;
    if (!t[i].path)
      goto oom;
  }
  memcpy(sorted, t, n * sizeof *t);
  qsort(sorted, n, sizeof *sorted, target_cmp);
  for (size_t i = 1; i < n; i++)
    if (strcmp(sorted[i - 1].path, sorted[i].path) == 0) {
      quire_loc loc = {.file = sorted[i].path};
      ctx_fail(c, QUIRE_FATAL, QUIRE_ERROR_USAGE, &loc,
               "both %s and %s would be written here",
               item_name(p, sorted[i - 1].input),
               item_name(p, sorted[i].input));
      goto fail;
    }
  free(sorted);
  return t;
oom:
  ctx_oom(c);
fail:
  free(sorted);
  targets_free(t, n);
  return NULL;
}

static int convert_each(pipeline *p) {
  const char *dir = p->job->output_dir;
  named_target *targets = plan_outputs(p);
  if (!targets) {
    keep_error(p, 1);
    return QUIRE_FATAL;
  }
  quire_loc loc = {.file = dir};
  int rc = QUIRE_OK;
  if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
    ctx_fail(&p->c, QUIRE_FATAL, QUIRE_ERROR_CONVERSION, &loc,
             "cannot create: %s", strerror(errno));
    keep_error(p, 1);
    rc = QUIRE_FATAL;
  }
  for (size_t i = 0; rc == QUIRE_OK && i < p->n_items; i++)
    if (!p->failed[i])
      rc = convert_to(p, i, i + 1, targets[i].path);
  targets_free(targets, p->n_items);
  return rc;
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
  if (p->corpus_pass && first_pass(p) != QUIRE_OK)
    return QUIRE_FATAL;
  if (p->job->output_dir)
    return convert_each(p);
  const char *target = p->job->output && strcmp(p->job->output, "-") != 0
                           ? p->job->output
                           : NULL;
  return convert_to(p, 0, p->n_items, target);
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
  if (job->output_data)
    *job->output_data = NULL;
  if (job->output_len)
    *job->output_len = 0;
  ctx_init(&p.c, s, job);
  p.c.strict = job->strict;
  if (!job->status)
    session_clear_error(s);
  int rc = run(&p);
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
  free(p.input_ids);
  ctx_free(&p.c);
  return rc;
}
