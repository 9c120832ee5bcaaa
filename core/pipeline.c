/* pipeline.c - one conversion: inputs read, transformed and written one
 * document at a time, outputs put in place only when all went well. */
#include <quire/quire.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "inputs.h"
#include "registry.h"
#include "session.h"
#include "stream.h"

typedef struct stage_transform {
  const quire_transform_info *info;
  loaded_plugin *plugin;
  quire_options opts;
} stage_transform;

typedef struct file_id {
  dev_t dev;
  ino_t ino;
  size_t input;
} file_id;

typedef struct pipeline {
  quire_session *s;
  const quire_job *job;
  input_list inputs;
  const quire_format_info *writer;
  loaded_plugin *writer_plugin;
  quire_options writer_opts;
  stage_transform *transforms;
  quire_doc *corpus;          /* holds the corpus metadata */
  quire_option *storage;      /* backs every filtered option list */
  size_t storage_used;
  file_id *input_ids;         /* the inputs' files, sorted, to refuse */
  size_t n_input_ids;         /* overwriting one */
} pipeline;

static int usage(quire_session *s, const char *fmt, const char *arg) {
  session_fail(s, QUIRE_ERROR_USAGE, NULL, fmt, arg);
  return QUIRE_ERR;
}

static int declares(const quire_option_spec *specs, size_t n,
                    const char *name) {
  for (size_t i = 0; i < n; i++)
    if (specs[i].name && strcmp(specs[i].name, name) == 0)
      return 1;
  return 0;
}

/* The job's options that `specs` declare, in order, in p->storage. */
static quire_options pick_options(pipeline *p, const quire_option_spec *specs,
                                  size_t n_specs) {
  quire_options o = {p->storage + p->storage_used, 0};
  for (size_t i = 0; i < p->job->n_options; i++)
    if (declares(specs, n_specs, p->job->options[i].name))
      p->storage[p->storage_used + o.count++] = p->job->options[i];
  p->storage_used += o.count;
  return o;
}

/* Every option must belong to the writer, a transform, or a reader that
 * may be used (the -f format's, else any reader's). */
static int check_options(pipeline *p) {
  const quire_job *job = p->job;
  const quire_format_info *from = job->from ? quire_format_find(p->s, job->from)
                                            : NULL;
  for (size_t i = 0; i < job->n_options; i++) {
    const char *name = job->options[i].name;
    const quire_format *w = p->writer->format;
    int ok = declares(w->options, w->n_options, name);
    for (size_t t = 0; !ok && t < job->n_transforms; t++) {
      const quire_transform *tr = p->transforms[t].info->transform;
      ok = declares(tr->options, tr->n_options, name);
    }
    for (size_t f = 0; !ok && f < quire_format_count(p->s); f++) {
      const quire_format *rf = quire_format_at(p->s, f)->format;
      if (rf->read_open && (!from || from->format == rf))
        ok = declares(rf->options, rf->n_options, name);
    }
    if (!ok)
      return usage(p->s,
                   "option --%s applies to none of the formats and "
                   "transforms of this conversion",
                   name);
  }
  return QUIRE_OK;
}

static int index_inputs(pipeline *p);

static int pipeline_prepare(pipeline *p) {
  quire_session *s = p->s;
  const quire_job *job = p->job;
  if (job->output && job->output_dir)
    return usage(s, "%s", "give either an output file or an output folder");
  if ((job->output && !job->output[0]) ||
      (job->output_dir && !job->output_dir[0]))
    return usage(s, "%s", "the output name is empty");

  if (job->to) {
    p->writer = quire_format_find(s, job->to);
    if (!p->writer)
      return usage(s, "unknown output format '%s' (see --list-formats)",
                   job->to);
  } else if (job->output && strcmp(job->output, "-") != 0) {
    p->writer = quire_format_for_path(s, job->output);
    if (!p->writer)
      return usage(s,
                   "cannot tell the output format from '%s'; name it with -t",
                   job->output);
  } else if (job->output_dir)
    return usage(s, "%s", "no output format: name it with -t");
  else
    return usage(s, "%s", "no output format: name it with -t, or give -o FILE");
  if (!p->writer->format->write_open)
    return usage(s, "format '%s' cannot be written", p->writer->format->name);
  p->writer_plugin = registry_plugin_of(s, p->writer);

  if (job->from) {
    const quire_format_info *f = quire_format_find(s, job->from);
    if (!f)
      return usage(s, "unknown input format '%s' (see --list-formats)",
                   job->from);
    if (!f->format->read_open)
      return usage(s, "format '%s' cannot be read", job->from);
  }

  p->transforms = calloc(job->n_transforms + 1, sizeof *p->transforms);
  p->storage = calloc((job->n_transforms + 2) * (job->n_options + 1),
                      sizeof *p->storage);
  p->corpus = quire_doc_new();
  if (!p->transforms || !p->storage || !p->corpus)
    return session_fail(s, QUIRE_ERROR_CONVERSION, NULL, "out of memory"),
           QUIRE_ERR;
  for (size_t i = 0; i < job->n_transforms; i++) {
    const quire_transform_info *t = registry_transform_find(s, job->transforms[i]);
    if (!t)
      return usage(s, "unknown transform '%s' (see --list-transforms)",
                   job->transforms[i]);
    p->transforms[i].info = t;
    p->transforms[i].plugin = registry_plugin_of_transform(s, t);
  }
  if (check_options(p) != QUIRE_OK)
    return QUIRE_ERR;
  p->writer_opts = pick_options(p, p->writer->format->options,
                                p->writer->format->n_options);
  for (size_t i = 0; i < job->n_transforms; i++)
    p->transforms[i].opts = pick_options(p, p->transforms[i].info->transform->options,
                                         p->transforms[i].info->transform->n_options);
  for (size_t i = 0; i < job->n_metadata; i++)
    if (quire_meta_add(p->corpus, job->metadata[i].name,
                       job->metadata[i].value) != QUIRE_OK)
      return session_fail(s, QUIRE_ERROR_CONVERSION, NULL, "out of memory"),
             QUIRE_ERR;

  if (inputs_expand(s, job->inputs, job->n_inputs, &p->inputs) != QUIRE_OK)
    return QUIRE_ERR;
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
    return session_fail(p->s, QUIRE_ERROR_CONVERSION, NULL, "out of memory"),
           QUIRE_ERR;
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

/* Makes sure a failure has a message and names a file. */
static void blame(quire_session *s, const char *file, const char *what) {
  if (s->error.kind == QUIRE_ERROR_NONE) {
    quire_loc loc = {.file = file};
    session_fail(s, QUIRE_ERROR_CONVERSION, &loc, "%s failed", what);
  } else if (!s->error.file && file && s->error.kind != QUIRE_ERROR_USAGE) {
    s->error_file = strdup(file);
    s->error.file = s->error_file;
  }
}

static int finish_doc(pipeline *p, quire_doc *doc, const char *path) {
  const char *lang = quire_meta_get(p->corpus->meta, QUIRE_META_LANGUAGE);
  if (doc_finish(doc, path, lang) != QUIRE_OK) {
    session_fail(p->s, QUIRE_ERROR_CONVERSION, NULL, "out of memory");
    return QUIRE_ERR;
  }
  return QUIRE_OK;
}

/* Reads every document of one input and hands each to the writer. */
static int convert_input(pipeline *p, const char *path, quire_output *out,
                         void *wstate) {
  quire_session *s = p->s;
  quire_input *in = NULL;
  if (input_open(s, path, &in) != QUIRE_OK)
    return QUIRE_ERR;
  const quire_format_info *rf = registry_pick_reader(s, in, path, p->job->from);
  if (!rf) {
    input_close(in);
    return QUIRE_ERR;
  }
  loaded_plugin *rp = registry_plugin_of(s, rf);
  size_t mark = p->storage_used;
  quire_options ropts = pick_options(p, rf->format->options,
                                     rf->format->n_options);
  void *rstate = NULL;
  int rc = rf->format->read_open(&rp->env, in, &ropts, &rstate);
  int opened = rc == QUIRE_OK;
  if (!opened)
    blame(s, in->name, "reading");
  while (rc == QUIRE_OK) {
    quire_doc *doc = NULL;
    rc = rf->format->read_next(&rp->env, rstate, &doc);
    if (rc == QUIRE_DONE) {
      rc = QUIRE_OK;
      break;
    }
    if (rc != QUIRE_OK || !doc) {
      quire_doc_free(doc);
      blame(s, in->name, "reading");
      rc = QUIRE_ERR;
      break;
    }
    rc = finish_doc(p, doc, path);
    for (size_t i = 0; rc == QUIRE_OK && i < p->job->n_transforms; i++) {
      stage_transform *t = &p->transforms[i];
      rc = t->info->transform->apply(&t->plugin->env, doc, &t->opts);
      if (rc != QUIRE_OK)
        blame(s, in->name, t->info->transform->name);
    }
    if (rc == QUIRE_OK) {
      rc = p->writer->format->write_doc(&p->writer_plugin->env, wstate, doc);
      if (rc != QUIRE_OK)
        blame(s, out->target ? out->target : "<stdout>", "writing");
    }
    quire_doc_free(doc);
  }
  if (opened)
    rf->format->read_close(&rp->env, rstate);
  p->storage_used = mark;
  input_close(in);
  return rc == QUIRE_OK ? QUIRE_OK : QUIRE_ERR;
}

/* Converts inputs[first..last) into one output at `target` (NULL: stdout). */
static int convert_to(pipeline *p, size_t first, size_t last,
                      const char *target) {
  quire_session *s = p->s;
  const quire_format *w = p->writer->format;
  const char *input = same_as_input(p, target);
  if (input) {
    quire_loc loc = {.file = target};
    session_fail(s, QUIRE_ERROR_USAGE, &loc,
                 "refusing to overwrite input %s", input);
    return QUIRE_ERR;
  }
  if (!target && w->binary && isatty(STDOUT_FILENO))
    return usage(s,
                 "format %s is binary and standard output is a terminal; "
                 "give -o FILE",
                 w->name);
  quire_output *out = NULL;
  if (output_open(s, target, &out) != QUIRE_OK)
    return QUIRE_ERR;
  session_diag(s, QUIRE_SEV_INFO, NULL, "writing %s as %s with %s",
               target ? target : "<stdout>", w->name, p->writer->plugin_path);
  void *wstate = NULL;
  int rc = w->write_open(&p->writer_plugin->env, out, &p->writer_opts,
                         p->corpus->meta, &wstate);
  if (rc != QUIRE_OK) {
    blame(s, target ? target : "<stdout>", "writing");
    output_discard(out);
    return QUIRE_ERR;
  }
  for (size_t i = first; rc == QUIRE_OK && i < last; i++)
    rc = convert_input(p, p->inputs.paths[i], out, wstate);
  if (rc == QUIRE_OK) {
    rc = w->write_close(&p->writer_plugin->env, wstate, 1);
    if (rc != QUIRE_OK)
      blame(s, target ? target : "<stdout>", "writing");
  } else
    w->write_close(&p->writer_plugin->env, wstate, 0);
  if (rc != QUIRE_OK) {
    output_discard(out);
    return QUIRE_ERR;
  }
  return output_commit(s, out);
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
 * session's error set: standard input has no name to give its output, and
 * two inputs must not claim the same output (a/x.txt and b/x.txt). */
static named_target *plan_outputs(pipeline *p) {
  quire_session *s = p->s;
  size_t n = p->inputs.count;
  named_target *t = calloc(n + 1, sizeof *t);
  named_target *sorted = calloc(n + 1, sizeof *sorted);
  if (!t || !sorted)
    goto oom;
  for (size_t i = 0; i < n; i++) {
    if (strcmp(p->inputs.paths[i], "-") == 0) {
      usage(s, "%s", "standard input has no name to give an output in "
                     "--output-dir");
      goto fail;
    }
    t[i].path = output_dir_path(p->job->output_dir, p->inputs.paths[i],
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
      session_fail(s, QUIRE_ERROR_USAGE, &loc,
                   "both %s and %s would be written here",
                   p->inputs.paths[sorted[i - 1].input],
                   p->inputs.paths[sorted[i].input]);
      goto fail;
    }
  free(sorted);
  return t;
oom:
  session_fail(s, QUIRE_ERROR_CONVERSION, NULL, "out of memory");
fail:
  free(sorted);
  targets_free(t, n);
  return NULL;
}

static int convert_each(pipeline *p) {
  quire_session *s = p->s;
  const char *dir = p->job->output_dir;
  named_target *targets = plan_outputs(p);
  if (!targets)
    return QUIRE_ERR;
  quire_loc loc = {.file = dir};
  int rc = QUIRE_OK;
  if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
    session_fail(s, QUIRE_ERROR_CONVERSION, &loc, "cannot create: %s",
                 strerror(errno));
    rc = QUIRE_ERR;
  }
  for (size_t i = 0; rc == QUIRE_OK && i < p->inputs.count; i++)
    rc = convert_to(p, i, i + 1, targets[i].path);
  targets_free(targets, p->inputs.count);
  return rc;
}

int quire_convert(quire_session *s, const quire_job *job) {
  pipeline p = {.s = s, .job = job};
  session_clear_error(s);
  int rc = pipeline_prepare(&p);
  if (rc == QUIRE_OK) {
    if (job->output_dir)
      rc = convert_each(&p);
    else {
      const char *target = job->output && strcmp(job->output, "-") != 0
                               ? job->output
                               : NULL;
      rc = convert_to(&p, 0, p.inputs.count, target);
    }
  }
  inputs_free(&p.inputs);
  quire_doc_free(p.corpus);
  free(p.transforms);
  free(p.storage);
  free(p.input_ids);
  return rc;
}
