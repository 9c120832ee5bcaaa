/* relay.h - inputs read on worker threads, handed on in input order.
 *
 * A conversion with -j N reads, finishes and transforms its inputs on N
 * worker threads while the calling thread writes.  Items (inputs) are
 * numbered 0..n-1.  Each worker takes the next item, at most `ahead` items
 * beyond the one the writer is taking, and puts its outcome as a sequence
 * of events: notes to tell, documents to write, failures to count.  The
 * writer takes the events of item 0, then of item 1, and so on, each as
 * soon as it is put, so the output and the messages come in the same order
 * whatever the number of threads.  A worker waits when its item holds
 * RELAY_CAP events the writer has not taken: memory stays bounded however
 * many documents one input holds (an archive, a WARC file). */
#ifndef QUIRE_CORE_RELAY_H
#define QUIRE_CORE_RELAY_H

#include <quire/quire.h>

#include <stddef.h>

enum { RELAY_CAP = 64 };

typedef enum relay_kind {
  RELAY_NOTE,    /* a warning or note to tell */
  RELAY_DOC,     /* a document to write; doc NULL: a transform dropped it */
  RELAY_FAIL     /* a job failed */
} relay_kind;

/* One event.  Strings and the document are owned by the event. */
typedef struct relay_event {
  relay_kind kind;
  quire_severity sev;          /* RELAY_NOTE */
  char *message;               /* RELAY_NOTE, RELAY_FAIL */
  char *file;                  /* where; may be NULL */
  unsigned long line, column;
  unsigned long long offset;
  quire_error_kind error_kind; /* RELAY_FAIL */
  int grade;                   /* RELAY_DOC: the job's grade so far;
                                  RELAY_FAIL: QUIRE_FAILED or QUIRE_FATAL */
  char *first_warning;         /* RELAY_DOC: for --strict */
  quire_doc *doc;              /* RELAY_DOC */
  void *part;                  /* RELAY_DOC: the writer's part, or NULL */
  void (*part_free)(void *part);
  int input_failed;            /* RELAY_FAIL: the input as a whole */
  char *dropped_by;            /* RELAY_DOC without doc: the transform */
  char *drop_reason;           /* and its reason */
} relay_event;

/* Frees what the event owns. */
void relay_event_free(relay_event *ev);

typedef struct relay relay;

/* The work of a worker thread: produces item `item` with relay_put(r, ...)
 * as worker number `worker` (0 to threads - 1). */
typedef void (*relay_fn)(void *user, relay *r, unsigned worker, size_t item);

/* Starts `threads` workers over n_items items.  QUIRE_OK, or QUIRE_FATAL
 * when memory or threads are exhausted (nothing is left running). */
int relay_start(relay **r, unsigned threads, size_t n_items, size_t ahead,
                relay_fn fn, void *user);

/* A worker: hands ev (its contents taken, ev cleared) to the writer.
 * QUIRE_OK, or QUIRE_FATAL when the run is stopping (ev is freed): the
 * worker should then end its item. */
int relay_put(relay *r, size_t item, relay_event *ev);

/* The writer: the next event of `item` into *ev (1), or 0 when the item
 * has no more; items must be taken in order, each to its end. */
int relay_take(relay *r, size_t item, relay_event *ev);

/* Stops the workers (they end the items they are on), waits for them, and
 * frees the relay with the events nobody took.  NULL is allowed. */
void relay_stop(relay *r);

#endif
