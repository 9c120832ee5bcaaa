/* relay.c - inputs read on worker threads, handed on in input order.
 *
 * One mutex guards everything: events are whole documents, so it is taken
 * a few times per document, never per byte.  Item i lives in slot
 * i % ahead while it is being produced and taken; a worker claims item i
 * only when i < taking + ahead, so the slot's earlier item is finished.
 *
 * Threads are woken only when what they wait for has come: the writer
 * when the item it waits on gains an event or ends, a worker when the
 * item it may claim next comes within reach or its full slot gains room.
 * Waking every waiter at each event cost more than the events: each
 * futile wake-up is two context switches on a machine with fewer cores
 * than threads. */
#include "relay.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct slot {
  relay_event ev[RELAY_CAP];  /* a ring */
  size_t head, count;
  int done;                   /* the worker has finished the item */
} slot;

struct relay {
  pthread_mutex_t lock;
  pthread_cond_t put;         /* an event was put or an item finished */
  pthread_cond_t room;        /* an event was taken or an item finished */
  size_t n_items, ahead;
  size_t next;                /* the next item to claim */
  size_t taking;              /* the item the writer is taking */
  size_t awaited;             /* the item the writer waits on, or
                                 SIZE_MAX when it is not waiting */
  unsigned claim_waiters;     /* workers waiting to claim an item */
  unsigned room_waiters;      /* workers waiting for room in their slot */
  int stop;
  slot *slots;
  relay_fn fn;
  void *user;
  pthread_t *threads;
  unsigned n_threads;         /* started */
};

typedef struct worker_arg {
  relay *r;
  unsigned no;
} worker_arg;

void relay_event_free(relay_event *ev) {
  free(ev->message);
  free(ev->file);
  free(ev->first_warning);
  free(ev->dropped_by);
  free(ev->drop_reason);
  quire_doc_free(ev->doc);
  if (ev->part && ev->part_free)
    ev->part_free(ev->part);
  memset(ev, 0, sizeof *ev);
}

static void *work(void *arg) {
  relay *r = ((worker_arg *)arg)->r;
  unsigned no = ((worker_arg *)arg)->no;
  free(arg);
  pthread_mutex_lock(&r->lock);
  for (;;) {
    while (!r->stop && r->next < r->n_items &&
           r->next >= r->taking + r->ahead) {
      r->claim_waiters++;
      pthread_cond_wait(&r->room, &r->lock);
      r->claim_waiters--;
    }
    if (r->stop || r->next >= r->n_items)
      break;
    size_t item = r->next++;
    slot *s = &r->slots[item % r->ahead];
    s->head = s->count = 0;
    s->done = 0;
    pthread_mutex_unlock(&r->lock);
    r->fn(r->user, r, no, item);
    pthread_mutex_lock(&r->lock);
    s->done = 1;
    if (r->awaited == item) {
      /* signalled once the lock is free, so that the writer does not wake
       * only to wait for it */
      pthread_mutex_unlock(&r->lock);
      pthread_cond_signal(&r->put);
      pthread_mutex_lock(&r->lock);
    }
  }
  pthread_mutex_unlock(&r->lock);
  return NULL;
}

int relay_start(relay **out, unsigned threads, size_t n_items, size_t ahead,
                relay_fn fn, void *user) {
  *out = NULL;
  relay *r = calloc(1, sizeof *r);
  if (!r)
    return QUIRE_FATAL;
  r->n_items = n_items;
  r->ahead = ahead ? ahead : 1;
  r->awaited = SIZE_MAX;
  r->fn = fn;
  r->user = user;
  r->slots = calloc(r->ahead, sizeof *r->slots);
  r->threads = calloc(threads ? threads : 1, sizeof *r->threads);
  if (!r->slots || !r->threads) {
    free(r->slots);
    free(r->threads);
    free(r);
    return QUIRE_FATAL;
  }
  pthread_mutex_init(&r->lock, NULL);
  pthread_cond_init(&r->put, NULL);
  pthread_cond_init(&r->room, NULL);
  for (unsigned i = 0; i < threads; i++) {
    worker_arg *arg = malloc(sizeof *arg);
    if (!arg)
      break;
    *arg = (worker_arg){r, i};
    if (pthread_create(&r->threads[i], NULL, work, arg) != 0) {
      free(arg);
      break;
    }
    r->n_threads++;
  }
  if (r->n_threads < threads) {
    relay_stop(r);
    return QUIRE_FATAL;
  }
  *out = r;
  return QUIRE_OK;
}

int relay_put(relay *r, size_t item, relay_event *ev) {
  slot *s = &r->slots[item % r->ahead];
  pthread_mutex_lock(&r->lock);
  while (!r->stop && s->count == RELAY_CAP) {
    r->room_waiters++;
    pthread_cond_wait(&r->room, &r->lock);
    r->room_waiters--;
  }
  if (r->stop) {
    pthread_mutex_unlock(&r->lock);
    relay_event_free(ev);
    return QUIRE_FATAL;
  }
  s->ev[(s->head + s->count) % RELAY_CAP] = *ev;
  s->count++;
  memset(ev, 0, sizeof *ev);
  /* the writer takes an item's events in one go when it ends, or once
   * half its slot has filled, rather than waking for each */
  int wake = r->awaited == item && s->count >= RELAY_CAP / 2;
  pthread_mutex_unlock(&r->lock);
  if (wake)
    pthread_cond_signal(&r->put);
  return QUIRE_OK;
}

int relay_take(relay *r, size_t item, relay_event *ev) {
  slot *s = &r->slots[item % r->ahead];
  pthread_mutex_lock(&r->lock);
  /* the item may not be claimed yet: its slot then holds an older one */
  while (item >= r->next || (s->count == 0 && !s->done)) {
    r->awaited = item;
    pthread_cond_wait(&r->put, &r->lock);
  }
  r->awaited = SIZE_MAX;
  int got = s->count > 0;
  /* whom this take lets go on: the item's worker when its slot was full,
   * a worker waiting to claim when the item ends */
  int wake = 0;
  if (got) {
    wake = s->count == RELAY_CAP && r->room_waiters;
    *ev = s->ev[s->head];
    s->head = (s->head + 1) % RELAY_CAP;
    s->count--;
  } else {
    r->taking = item + 1;
    wake = r->claim_waiters > 0;
  }
  /* the worker of a full slot and those waiting to claim share the
   * condition: wake them all, now that it happens rarely */
  pthread_mutex_unlock(&r->lock);
  if (wake)
    pthread_cond_broadcast(&r->room);
  return got;
}

void relay_stop(relay *r) {
  if (!r)
    return;
  pthread_mutex_lock(&r->lock);
  r->stop = 1;
  pthread_cond_broadcast(&r->room);
  pthread_mutex_unlock(&r->lock);
  for (unsigned i = 0; i < r->n_threads; i++)
    pthread_join(r->threads[i], NULL);
  for (size_t i = 0; i < r->ahead; i++) {
    slot *s = &r->slots[i];
    for (size_t k = 0; k < s->count; k++)
      relay_event_free(&s->ev[(s->head + k) % RELAY_CAP]);
  }
  pthread_cond_destroy(&r->put);
  pthread_cond_destroy(&r->room);
  pthread_mutex_destroy(&r->lock);
  free(r->slots);
  free(r->threads);
  free(r);
}
