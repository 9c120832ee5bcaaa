/* pipeline.h - one conversion's state, shared by the pipeline's files.
 *
 *   pipeline.c        preparing a run, its outcome (quire_convert)
 *   pipeline_read.c   reading an input into events: documents read,
 *                     finished and transformed, failures, notes
 *   pipeline_write.c  the outputs: events delivered to the writer in
 *                     input order, outputs put in place
 *
 * Each document is a job: read, finished (source, title, language), passed
 * through the transforms, written.  Reading and transforming happen on a
 * producer (a worker thread with -j N, else the calling thread), writing on
 * the calling thread; the two meet in relay events (relay.h), so that the
 * writer sees the same documents, failures and notes in the same order
 * whatever the number of threads. */
#ifndef QUIRE_CORE_PIPELINE_H
#define QUIRE_CORE_PIPELINE_H

#include <pthread.h>
#include <stdatomic.h>
#include <sys/types.h>

#include "ctx.h"
#include "inputs.h"
#include "registry.h"
#include "relay.h"

typedef struct stage {
  const quire_transform_info *info;
  loaded_plugin *plugin;
  qscope scope;               /* for open, gather and close */
  quire_options opts;
  quire_option *storage;
  void *state;
  int opened;
  /* apply() calls on the one state never overlap (plugin.h), whichever
   * producer makes them; but for a free stage. */
  pthread_mutex_t lock;
  /* An unordered transform of a concurrent plugin (ABI 2.6): applied on
   * any thread, at once, without the lock; and before the document's turn
   * when every stage before it is free too. */
  int free_running;
} stage;

typedef struct file_id {
  dev_t dev;
  ino_t ino;
  size_t input;
} file_id;

typedef struct pipeline pipeline;

/* Reads items into events: one per thread. */
typedef struct producer {
  pipeline *p;
  qctx c;                     /* the jobs of the document being read */
  qscope *stage_scopes;       /* the transforms' envs, leading to c */
  relay *relay;               /* NULL: each event is delivered at once */
  size_t item;                /* the item being read */
  const char *dropped_by;     /* the transform that dropped the document */
  int has_turn;               /* its turn to apply the transforms came */
  int one_document;           /* the reader gives at most one per input
                                 (QUIRE_FORMAT_ONE_DOCUMENT) */
  qscope wscope;              /* the writer's part_render, leading to c */
  /* Notes told since the last event, held until the producer holds no
   * lock (a transform's, a plugin's): a producer that waits for room in
   * the relay while holding one could stop the producer of the item the
   * writer waits for. */
  relay_event *notes;
  size_t n_notes, cap_notes;
  int stop;                   /* the writer stopped the run */
} producer;

struct pipeline {
  quire_session *s;
  const quire_job *job;
  qctx c;                     /* the writer's, and the run's */
  input_list inputs;          /* paths; sources follow them as items */
  size_t n_items;
  int *spool;                 /* per item: a spooled copy's fd, or -1 */
  unsigned char *failed;      /* per item: failed in the first pass */
  unsigned long long *sizes;  /* per item: its file's size, or 0 */
  unsigned long long bytes_total;
  const quire_format_info *writer;
  loaded_plugin *writer_plugin;
  quire_options writer_opts;
  quire_option *writer_storage;
  int writer_parts;           /* the writer renders parts ahead (ABI 2.4) */
  stage *stages;
  size_t n_stages;
  int corpus_pass;            /* some transform wants the first pass */
  quire_doc *corpus;          /* holds the corpus metadata */
  file_id *input_ids;         /* the inputs' files, sorted, to refuse */
  size_t n_input_ids;         /* overwriting one */

  producer *producers;        /* one per thread, or one without threads */
  size_t n_producers;
  relay *relay;               /* NULL without threads */
  /* Transforms see documents in input order whatever the threads (a
   * transform's state and report follow the documents it has seen): the
   * producer of item i applies them only on its turn, once every item
   * before it is through (turn == i).  Guarded by turn_lock; turn is also
   * read without it, by a producer that spins a moment before sleeping. */
  pthread_mutex_t turn_lock;
  pthread_cond_t turn_cond;
  atomic_size_t turn;
  /* Items through before their turn came (one that failed to read, or
   * whose stages all ran ahead): the turn passes them when it comes. */
  unsigned char *through;
  int turn_stop;              /* the run stopped: nobody waits */

  /* The output being written. */
  qscope wscope;
  void *wstate;
  const char *out_name;
  size_t out_docs;
  size_t out_failed;          /* inputs or documents of it that failed */

  /* Progress. */
  size_t items_done;
  unsigned long long bytes_done;

  /* The run's outcome. */
  int result;
  int stopped;                /* a job ended the run */
  size_t n_docs, n_failed, n_dropped;
  quire_error first;          /* the error to report; strings below */
  char first_file[1024];
  char first_message[1024];
};

/* Items: the inputs' files, then the job's sources. */
const quire_source *item_source(const pipeline *p, size_t i);
const char *item_name(const pipeline *p, size_t i);

/* Keeps p->c's error as the run's error to report: the first one, or a
 * fatal one, which ends the run. */
void keep_error(pipeline *p, int fatal);
/* A job ended with rc: counts it, and tells whether the run goes on
 * (QUIRE_OK) or stops (QUIRE_FATAL). */
int job_end(pipeline *p, int rc, const char *name);
/* The input that `target` is the same file as, or NULL. */
const char *same_as_input(const pipeline *p, const char *target);
/* --strict: a job of c that warned fails, with its first warning. */
int strict_check(const quire_job *job, qctx *c);

/* pipeline_read.c: sets up one producer per thread (threads <= 1: one,
 * used on the calling thread) and frees them. */
int producers_init(pipeline *p, unsigned threads);
void producers_free(pipeline *p);
/* Reads item into events delivered to the writer, converting each
 * document (gather 0), or hands each document to the corpus transforms'
 * gather() (gather 1, the first pass).  QUIRE_OK, or QUIRE_FATAL when the
 * run must stop. */
int produce_item(producer *pr, size_t item, int gather);
/* Item `item` is through the transforms: the next item's turn. */
void turn_done(pipeline *p, size_t item);
/* Wakes every producer waiting for its turn: the run stops. */
void turns_stop(pipeline *p);
/* The relay's work function: produces item on producer `worker`. */
void produce_on_worker(void *user, relay *r, unsigned worker, size_t item);

/* pipeline_write.c: hands one event to the writer (taken).  QUIRE_OK, or
 * QUIRE_FATAL when the run stops. */
int deliver(pipeline *p, size_t item, relay_event *ev);
/* Writes the output(s) of the run. */
int write_outputs(pipeline *p);

#endif
