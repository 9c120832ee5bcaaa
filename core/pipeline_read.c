/* pipeline_read.c - an input read into events for the writer.
 *
 * A producer reads one item's documents, finishes each (source, title,
 * language) and passes it through the transforms, and puts what came of
 * it as an event: the document to write, the failure of its job, or the
 * notes told along the way (its context tells them to the producer, which
 * makes them events too, so that they reach the user in input order).
 * With -j N each worker thread has a producer; without, one producer's
 * events are delivered to the writer as they are made. */
#include <quire/quire.h>

#include <sched.h>
#include <stdlib.h>
#include <string.h>

#include "options.h"
#include "pipeline.h"
#include "stream.h"

/* ---- Events ------------------------------------------------------------- */

static char *dup_or_null(const char *s) { return s ? strdup(s) : NULL; }

/* Passes ev to the writer.  QUIRE_OK, or QUIRE_FATAL when the run stops. */
static int pass(producer *pr, size_t item, relay_event *ev) {
  if (pr->stop) {
    relay_event_free(ev);
    return QUIRE_FATAL;
  }
  int rc = pr->relay ? relay_put(pr->relay, item, ev)
                     : deliver(pr->p, item, ev);
  if (rc != QUIRE_OK)
    pr->stop = 1;
  return rc;
}

/* Passes the notes held so far, then ev (may be NULL). */
static int emit(producer *pr, size_t item, relay_event *ev) {
  int rc = QUIRE_OK;
  for (size_t i = 0; i < pr->n_notes; i++)
    if (pass(pr, item, &pr->notes[i]) != QUIRE_OK)
      rc = QUIRE_FATAL;
  pr->n_notes = 0;
  if (ev && pass(pr, item, ev) != QUIRE_OK)
    rc = QUIRE_FATAL;
  return rc;
}

/* The producer's context tells its notes here: they are held, to become
 * events of the item being read with its next event.  (A note that cannot
 * be copied is lost, not fatal.) */
static void on_note(void *user, quire_severity sev, const quire_loc *loc,
                    const char *message) {
  producer *pr = user;
  relay_event ev = {.kind = RELAY_NOTE, .sev = sev};
  ev.message = strdup(message);
  if (loc) {
    ev.file = dup_or_null(loc->file);
    ev.line = loc->line;
    ev.column = loc->column;
    ev.offset = loc->offset;
  }
  if (ev.message && pr->n_notes == pr->cap_notes) {
    size_t cap = pr->cap_notes ? 2 * pr->cap_notes : 16;
    relay_event *grown = realloc(pr->notes, cap * sizeof *grown);
    if (grown) {
      pr->notes = grown;
      pr->cap_notes = cap;
    }
  }
  if (ev.message && pr->n_notes < pr->cap_notes)
    pr->notes[pr->n_notes++] = ev;
  else
    relay_event_free(&ev);
}

/* The job failed with rc: its error becomes an event, the job ends. */
static int emit_failure(producer *pr, size_t item, int rc, int whole_input) {
  qctx *c = &pr->c;
  relay_event ev = {.kind = RELAY_FAIL, .error_kind = c->error.kind,
                    .grade = rc == QUIRE_FATAL ? QUIRE_FATAL : QUIRE_FAILED,
                    .input_failed = whole_input};
  ev.message = strdup(c->error.message ? c->error.message : "");
  ev.file = dup_or_null(c->error.file);
  ev.line = c->error.line;
  ev.column = c->error.column;
  ev.offset = c->error.offset;
  if (!ev.message)   /* the writer then reports memory exhausted */
    ev.grade = QUIRE_FATAL;
  ctx_job_reset(c);
  int sent = emit(pr, item, &ev);
  return ev.grade == QUIRE_FATAL || !pr->p->job->keep_going ? QUIRE_FATAL
                                                            : sent;
}

/* The job's document (taken; NULL when dropped) becomes an event with the
 * job's grade and first warning, and its part if the writer made one, and
 * the job ends here. */
static int emit_doc(producer *pr, size_t item, quire_doc *doc, void *part) {
  qctx *c = &pr->c;
  relay_event ev = {.kind = RELAY_DOC, .grade = c->grade, .doc = doc,
                    .first_warning = c->first_warning, .part = part,
                    .part_free = pr->p->writer->format->part_free};
  if (!doc) {   /* dropped: the writer hears of it (write_dropped) */
    ev.dropped_by = strdup(pr->dropped_by ? pr->dropped_by : "");
    ev.drop_reason = strdup(c->drop_reason ? c->drop_reason
                                           : "no reason given");
    if (!ev.dropped_by || !ev.drop_reason) {
      relay_event_free(&ev);
      return ctx_oom(c);
    }
  }
  c->first_warning = NULL;
  ctx_job_reset(c);
  return emit(pr, item, &ev);
}

/* ---- One document ---------------------------------------------------------- */

/* Whether the entries of `m` before `stop` hold `key`. */
static int has_key(const quire_meta *m, const quire_meta *stop,
                   const char *key) {
  for (; m && m != stop; m = m->next)
    if (strcmp(m->key, key) == 0)
      return 1;
  return 0;
}

/* The job's document metadata: each key the document has no value for
 * gets every value the job gives it (several authors stay several).
 * Entries are added at the end of the list, so the document's own are
 * those before the first one added. */
static int give_doc_metadata(const quire_job *job, quire_doc *doc) {
  const quire_meta *added = NULL;
  for (size_t i = 0; i < job->n_doc_metadata; i++) {
    const quire_option *o = &job->doc_metadata[i];
    if (has_key(doc->meta, added, o->name))
      continue;   /* the document's own value stands */
    if (quire_meta_add(doc, o->name, o->value) != QUIRE_OK)
      return QUIRE_ERR;
    if (!added)
      for (added = doc->meta; added->next;)
        added = added->next;
  }
  return QUIRE_OK;
}

static int finish_doc(producer *pr, quire_doc *doc, size_t item) {
  pipeline *p = pr->p;
  const char *lang = quire_meta_get(p->corpus->meta, QUIRE_META_LANGUAGE);
  const char *path = item_source(p, item) ? NULL : p->inputs.paths[item];
  if (give_doc_metadata(p->job, doc) != QUIRE_OK ||
      doc_finish(doc, path, item_name(p, item), lang) != QUIRE_OK)
    return ctx_oom(&pr->c);
  return QUIRE_OK;
}

/* A document a transform emitted, to run after the one it came with,
 * through the stages after the one that emitted it. */
typedef struct pending {
  quire_doc *doc;
  size_t from;
} pending;

/* Moves the documents emitted during the last apply() to the queue. */
static int take_emitted(qctx *c, pending **q, size_t *n, size_t from) {
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

/* The writer's part of doc, rendered here while it writes earlier
 * documents (ABI 2.4). */
static int render_part(producer *pr, const quire_doc *doc, void **part) {
  pipeline *p = pr->p;
  qctx *c = &pr->c;
  plugin_enter(p->writer_plugin);
  int rc = p->writer->format->part_render(&pr->wscope.env, &p->writer_opts,
                                          doc, part);
  plugin_leave(p->writer_plugin);
  if (rc == QUIRE_WARN)
    ctx_grade(c, QUIRE_WARN);
  if (rc < QUIRE_OK) {
    *part = NULL;
    ctx_blame(c, item_name(p, pr->item), "writing");
  }
  return rc;
}

/* ---- Turns ------------------------------------------------------------------ */

/* How many times a producer looks for its turn, giving up the core between
 * looks, before it sleeps: an ordered transform's apply() takes tens of
 * microseconds, about what a wake-up takes on a virtual machine, and
 * waking for each turn made -j2 --dedup slower than -j1. */
#define TURN_SPINS 200

/* Waits until item's turn to apply the transforms (at once without
 * threads, where items come in order).  QUIRE_OK, or QUIRE_FATAL when the
 * run stops meanwhile. */
static int wait_turn(producer *pr, size_t item) {
  pipeline *p = pr->p;
  if (!pr->relay || pr->has_turn)
    return QUIRE_OK;
  for (int i = 0; i < TURN_SPINS; i++) {
    if (atomic_load_explicit(&p->turn, memory_order_acquire) == item) {
      pr->has_turn = 1;
      return QUIRE_OK;
    }
    sched_yield();
  }
  pthread_mutex_lock(&p->turn_lock);
  while (atomic_load_explicit(&p->turn, memory_order_relaxed) != item &&
         !p->turn_stop)
    pthread_cond_wait(&p->turn_cond, &p->turn_lock);
  int stop = p->turn_stop;
  pthread_mutex_unlock(&p->turn_lock);
  if (stop)
    return QUIRE_FATAL;
  pr->has_turn = 1;
  return QUIRE_OK;
}

void turn_done(pipeline *p, size_t item) {
  pthread_mutex_lock(&p->turn_lock);
  p->through[item] = 1;
  size_t turn = atomic_load_explicit(&p->turn, memory_order_relaxed);
  while (turn < p->n_items && p->through[turn])
    turn++;
  atomic_store_explicit(&p->turn, turn, memory_order_release);
  pthread_cond_broadcast(&p->turn_cond);
  pthread_mutex_unlock(&p->turn_lock);
}

void turns_stop(pipeline *p) {
  pthread_mutex_lock(&p->turn_lock);
  p->turn_stop = 1;
  pthread_cond_broadcast(&p->turn_cond);
  pthread_mutex_unlock(&p->turn_lock);
}

/* Applies stage i to doc.  The documents it emits join *q; *dropped is
 * set when it dropped doc.  What apply() returned, QUIRE_DROP made
 * QUIRE_OK. */
static int apply_stage(producer *pr, size_t i, quire_doc *doc, pending **q,
                       size_t *nq, int *dropped) {
  pipeline *p = pr->p;
  qctx *c = &pr->c;
  stage *st = &p->stages[i];
  c->applying = 1;
  if (!st->free_running)
    pthread_mutex_lock(&st->lock);
  plugin_enter(st->plugin);
  int rc = st->info->transform->apply(&pr->stage_scopes[i].env, st->state,
                                      doc);
  plugin_leave(st->plugin);
  if (!st->free_running)
    pthread_mutex_unlock(&st->lock);
  c->applying = 0;
  if (rc == QUIRE_WARN)
    ctx_grade(c, QUIRE_WARN);
  if (take_emitted(c, q, nq, i + 1) != QUIRE_OK)
    rc = QUIRE_FATAL;
  const char *name = item_name(p, pr->item);
  if (rc == QUIRE_DROP) {
    const char *title = quire_meta_get(doc->meta, QUIRE_META_TITLE);
    ctx_info(c, NULL, "%s: %s dropped \"%s\": %s", name,
             st->info->transform->name, title ? title : "",
             c->drop_reason ? c->drop_reason : "no reason given");
    *dropped = 1;
    pr->dropped_by = st->info->transform->name;
    return QUIRE_OK;
  }
  if (rc < QUIRE_OK)
    ctx_blame(c, name, st->info->transform->name);
  return rc;
}

/* The job of doc (taken): passed through stages[from..] and put as an
 * event; then the jobs of the documents transforms emitted along the way.
 * The free-running stages at the head of the chain run at once; the
 * others wait for the document's turn.  QUIRE_OK while the run goes on,
 * QUIRE_FATAL when it must stop. */
static int convert_doc(producer *pr, quire_doc *doc, size_t from,
                       size_t item) {
  pipeline *p = pr->p;
  qctx *c = &pr->c;
  pending *q = NULL;
  size_t nq = 0;
  int rc = QUIRE_OK, dropped = 0;
  size_t i = from;
  int ahead = i == 0 || p->stages[i - 1].free_running;
  for (; ahead && i < p->n_stages && p->stages[i].free_running && !dropped &&
         rc >= QUIRE_OK;
       i++)
    rc = apply_stage(pr, i, doc, &q, &nq, &dropped);
  if (p->n_stages > i && rc >= QUIRE_OK && !dropped &&
      wait_turn(pr, item) != QUIRE_OK) {
    for (size_t k = 0; k < nq; k++)
      quire_doc_free(q[k].doc);
    free(q);
    quire_doc_free(doc);
    pr->stop = 1;
    return QUIRE_FATAL;
  }
  for (; i < p->n_stages && !dropped && rc >= QUIRE_OK; i++)
    rc = apply_stage(pr, i, doc, &q, &nq, &dropped);
  /* The input's only document has passed every transform and emitted
   * none: the next input may have the turn while this one is rendered
   * and handed on. */
  if (pr->one_document && pr->has_turn && from == 0 && nq == 0)
    turn_done(p, item);
  void *part = NULL;
  if (rc >= QUIRE_OK && !dropped && pr->relay && p->writer_parts)
    rc = render_part(pr, doc, &part);
  if (rc >= QUIRE_OK && !dropped)
    rc = strict_check(p->job, c);
  int verdict;
  if (rc < QUIRE_OK) {
    if (part)
      p->writer->format->part_free(part);
    quire_doc_free(doc);
    verdict = emit_failure(pr, item, rc, 0);
  } else
    verdict = emit_doc(pr, item, dropped ? (quire_doc_free(doc), NULL) : doc,
                       part);
  for (size_t k = 0; k < nq; k++) {
    if (verdict != QUIRE_OK) {
      quire_doc_free(q[k].doc);
      continue;
    }
    if (finish_doc(pr, q[k].doc, item) == QUIRE_OK)
      verdict = convert_doc(pr, q[k].doc, q[k].from, item);
    else {
      quire_doc_free(q[k].doc);
      verdict = emit_failure(pr, item, QUIRE_FATAL, 0);
    }
  }
  free(q);
  return verdict;
}

/* The first pass: doc (taken) goes to every corpus transform's gather(). */
static int gather_doc(producer *pr, quire_doc *doc, size_t item) {
  pipeline *p = pr->p;
  int rc = QUIRE_OK;
  for (size_t i = 0; rc >= QUIRE_OK && i < p->n_stages; i++) {
    stage *st = &p->stages[i];
    const quire_transform *t = st->info->transform;
    if (!(t->flags & QUIRE_TRANSFORM_CORPUS))
      continue;
    plugin_enter(st->plugin);
    rc = t->gather(&pr->stage_scopes[i].env, st->state, doc);
    plugin_leave(st->plugin);
    if (rc < QUIRE_OK)
      ctx_blame(&pr->c, item_name(p, item), t->name);
  }
  quire_doc_free(doc);
  if (rc < QUIRE_OK)
    return rc;   /* the input fails */
  /* gathering is not a job: its warnings are the second pass's to give */
  ctx_job_reset(&pr->c);
  return QUIRE_OK;
}

/* ---- One input -------------------------------------------------------------- */

static int item_open(pipeline *p, qctx *c, size_t i, quire_input **in) {
  const quire_source *src = item_source(p, i);
  if (p->spool[i] >= 0)
    return input_open_fd(c, p->spool[i], src ? item_name(p, i) : "<stdin>",
                         in);
  if (src)
    return input_open_source(c, src, item_name(p, i), in);
  return input_open(c, p->inputs.paths[i], in);
}

int produce_item(producer *pr, size_t item, int gather) {
  pipeline *p = pr->p;
  qctx *c = &pr->c;
  const char *name = item_name(p, item);
  pr->item = item;
  pr->one_document = 0;
  c->mute = gather;
  quire_input *in = NULL;
  int rc = item_open(p, c, item, &in);
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
    pr->one_document = rp->desc.abi_minor >= 6 &&
                       (f->flags & QUIRE_FORMAT_ONE_DOCUMENT);
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
  int verdict = QUIRE_OK;
  size_t n_read = 0;   /* documents the reader gave */
  while (opened && rc >= QUIRE_OK && !pr->stop) {
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
      if (gather)
        ctx_job_reset(c);
      else if ((verdict = emit_failure(pr, item, rc, 0)) != QUIRE_OK)
        break;
      rc = QUIRE_OK;
      continue;
    }
    if (pr->one_document && n_read++ > 0) {
      /* with -j the turn went on with the first document: a second could
       * not pass the ordered transforms in its place (failed at any -j,
       * so that the outcome does not depend on it) */
      quire_doc_free(doc);
      rc = ctx_fail(c, QUIRE_FAILED, QUIRE_ERROR_CONVERSION, NULL,
                    "the %s reader gave a second document, though its "
                    "format says it gives one per input", rf->format->name);
      ctx_blame(c, in->name, "reading");
      break;
    }
    if (finish_doc(pr, doc, item) != QUIRE_OK) {
      quire_doc_free(doc);
      rc = QUIRE_FATAL;
      break;
    }
    if (gather) {
      if ((rc = gather_doc(pr, doc, item)) < QUIRE_OK)
        break;
    } else if ((verdict = convert_doc(pr, doc, 0, item)) != QUIRE_OK)
      break;
  }
  if (opened) {
    plugin_enter(rscope.plugin);
    rf->format->read_close(&rscope.env, rstate);
    plugin_leave(rscope.plugin);
  }
  free(storage);
  input_close(in);
  ctx_release_closed(c);
  c->mute = 0;
  if (emit(pr, item, NULL) != QUIRE_OK)
    verdict = QUIRE_FATAL;
  if (verdict != QUIRE_OK || pr->stop)
    return QUIRE_FATAL;   /* a job stopped the run; its error is kept */
  if (rc >= QUIRE_OK)
    return QUIRE_OK;
  return emit_failure(pr, item, rc, 1);
}

void produce_on_worker(void *user, relay *r, unsigned worker, size_t item) {
  pipeline *p = user;
  producer *pr = &p->producers[worker];
  pr->relay = r;
  pr->has_turn = 0;
  if (!p->failed[item])
    produce_item(pr, item, 0);
  turn_done(p, item);
}

/* ---- Producers -------------------------------------------------------------- */

int producers_init(pipeline *p, unsigned threads) {
  size_t n = threads > 1 ? threads : 1;
  p->producers = calloc(n, sizeof *p->producers);
  if (!p->producers)
    return ctx_oom(&p->c);
  p->n_producers = n;
  for (size_t k = 0; k < n; k++) {
    producer *pr = &p->producers[k];
    pr->p = p;
    ctx_init(&pr->c, p->s, p->job);
    pr->c.strict = p->job->strict;
    pr->c.diag = on_note;
    pr->c.diag_user = pr;
    pr->stage_scopes = calloc(p->n_stages + 1, sizeof *pr->stage_scopes);
    if (!pr->stage_scopes)
      return ctx_oom(&p->c);
    for (size_t i = 0; i < p->n_stages; i++)
      scope_init(&pr->stage_scopes[i], &pr->c, p->stages[i].plugin, NULL, 0);
    scope_init(&pr->wscope, &pr->c, p->writer_plugin, NULL, 0);
  }
  return QUIRE_OK;
}

void producers_free(pipeline *p) {
  for (size_t k = 0; k < p->n_producers; k++) {
    producer *pr = &p->producers[k];
    p->c.warnings += pr->c.warnings;
    for (size_t i = 0; i < pr->n_notes; i++)
      relay_event_free(&pr->notes[i]);
    free(pr->notes);
    ctx_free(&pr->c);
    free(pr->stage_scopes);
  }
  free(p->producers);
  p->producers = NULL;
  p->n_producers = 0;
}
