/* pipeline_write.c - the outputs: documents written in input order.
 *
 * The writer takes each item's events as its producer makes them: without
 * threads the producer calls deliver() at once; with them, take_item()
 * takes them from the relay, item after item.  Outputs are written under
 * a temporary name and put in place only when all went well. */
#include <quire/quire.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pipeline.h"
#include "stream.h"

static int usage(pipeline *p, const char *fmt, const char *arg) {
  return ctx_fail(&p->c, QUIRE_FATAL, QUIRE_ERROR_USAGE, NULL, fmt, arg);
}

/* ---- Events ----------------------------------------------------------------- */

/* The job's document goes to the writer, with its part (taken) when the
 * writer rendered one ahead. */
static int write_doc(pipeline *p, size_t item, const quire_doc *doc,
                     void *part) {
  qctx *c = &p->c;
  const quire_format *w = p->writer->format;
  const char *path = item_source(p, item) ? NULL : item_name(p, item);
  c->writing_input = path && strcmp(path, "-") != 0 ? path : NULL;
  plugin_enter(p->writer_plugin);
  int rc = part ? w->write_part(&p->wscope.env, p->wstate, doc, part)
                : w->write_doc(&p->wscope.env, p->wstate, doc);
  plugin_leave(p->writer_plugin);
  c->writing_input = NULL;
  if (rc < QUIRE_OK) {
    ctx_blame(c, p->out_name, "writing");
    return rc;
  }
  p->n_docs++;
  p->out_docs++;
  if (p->job->written)
    p->job->written(p->job->written_user, doc);
  if (rc == QUIRE_WARN)
    ctx_grade(c, QUIRE_WARN);
  /* the writer's own warnings: the document is in the output already, so
   * under --strict the run cannot keep it */
  return strict_check(p->job, c) != QUIRE_OK ? QUIRE_FATAL : rc;
}

/* A transform dropped the item's document: the writer hears of it when
 * it asks to (ABI 2.6). */
static int write_dropped(pipeline *p, size_t item, const char *transform,
                         const char *reason) {
  qctx *c = &p->c;
  const quire_format *w = p->writer->format;
  if (!p->writer_plugin || p->writer_plugin->desc.abi_minor < 6 ||
      !w->write_dropped)
    return QUIRE_OK;
  const char *path = item_source(p, item) ? NULL : item_name(p, item);
  c->writing_input = path && strcmp(path, "-") != 0 ? path : NULL;
  plugin_enter(p->writer_plugin);
  int rc = w->write_dropped(&p->wscope.env, p->wstate,
                            transform ? transform : "",
                            reason ? reason : "no reason given");
  plugin_leave(p->writer_plugin);
  c->writing_input = NULL;
  if (rc < QUIRE_OK)
    ctx_blame(c, p->out_name, "writing");
  return rc;
}

int deliver(pipeline *p, size_t item, relay_event *ev) {
  qctx *c = &p->c;
  const char *name = item_name(p, item);
  quire_loc loc = {ev->file, ev->line, ev->column, ev->offset};
  int rc = QUIRE_OK;
  switch (ev->kind) {
  case RELAY_NOTE:
    if (c->diag)
      c->diag(c->diag_user, ev->sev, ev->file ? &loc : NULL, ev->message);
    break;
  case RELAY_DOC:
    /* the job goes on here from where its producer left it */
    ctx_grade(c, ev->grade);
    c->first_warning = ev->first_warning;
    ev->first_warning = NULL;
    if (ev->doc) {
      rc = write_doc(p, item, ev->doc, ev->part);
      ev->part = NULL;
    } else {
      p->n_dropped++;
      rc = write_dropped(p, item, ev->dropped_by, ev->drop_reason);
    }
    rc = job_end(p, rc, name);
    break;
  case RELAY_FAIL:
    ctx_fail(c, ev->grade, ev->error_kind, ev->file ? &loc : NULL, "%s",
             ev->message ? ev->message : "out of memory");
    if (ev->input_failed)
      p->failed[item] = 1;
    rc = job_end(p, ev->grade, name);
    break;
  }
  relay_event_free(ev);
  return rc;
}

/* Tells the job's progress callback how far the run has come. */
static void progress(pipeline *p, int finished) {
  if (!p->job->progress)
    return;
  quire_progress pr = {.inputs_done = p->items_done,
                       .inputs_total = p->n_items,
                       .bytes_done = p->bytes_done,
                       .bytes_total = p->bytes_total,
                       .documents = p->n_docs,
                       .finished = finished};
  p->job->progress(p->job->progress_user, &pr);
}

/* Writes item i: its events, from the relay or from a producer on this
 * thread.  QUIRE_OK, or QUIRE_FATAL when the run stops. */
static int take_item(pipeline *p, size_t i) {
  int rc = QUIRE_OK;
  if (p->relay) {
    relay_event ev;
    while (relay_take(p->relay, i, &ev))
      if (rc == QUIRE_OK)
        rc = deliver(p, i, &ev);
      else
        relay_event_free(&ev);
  } else if (!p->failed[i])
    rc = produce_item(&p->producers[0], i, 0);
  if (p->stopped)
    rc = QUIRE_FATAL;
  p->items_done++;
  p->bytes_done += p->sizes[i];
  progress(p, 0);
  return rc;
}

/* ---- One output ------------------------------------------------------------ */

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
    rc = take_item(p, i);
  /* An output none of whose inputs converted is not written. */
  int keep = rc == QUIRE_OK && (p->out_docs > 0 || p->out_failed == 0);
  plugin_enter(p->writer_plugin);
  int closed = w->write_close(&p->wscope.env, p->wstate, keep);
  plugin_leave(p->writer_plugin);
  if (keep && closed >= QUIRE_OK)
    closed = strict_check(p->job, &p->c);
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
    rc = p->failed[i] ? take_item(p, i)
                      : convert_to(p, i, i + 1, targets[i].path);
  targets_free(targets, p->n_items);
  return rc;
}

/* The run's outputs: one, or one per input with --output-dir; with -j N
 * the producers run on worker threads meanwhile. */
int write_outputs(pipeline *p) {
  unsigned threads = p->job->threads;
  if (threads > 1 && p->n_items > 1) {
    if (relay_start(&p->relay, threads, p->n_items, 4 * (size_t)threads,
                    produce_on_worker, p) != QUIRE_OK) {
      ctx_fail(&p->c, QUIRE_FATAL, QUIRE_ERROR_CONVERSION, NULL,
               "cannot start %u threads", threads);
      keep_error(p, 1);
      return QUIRE_FATAL;
    }
  }
  int rc;
  if (p->job->output_dir)
    rc = convert_each(p);
  else {
    const char *target = p->job->output && strcmp(p->job->output, "-") != 0
                             ? p->job->output
                             : NULL;
    rc = convert_to(p, 0, p->n_items, target);
  }
  turns_stop(p);
  relay_stop(p->relay);
  p->relay = NULL;
  progress(p, 1);
  return rc;
}
