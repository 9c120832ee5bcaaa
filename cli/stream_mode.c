/* stream_mode.c - `quire --stream`: records in, records out, in order.
 *
 * The calling thread reads lines; with N threads, N workers convert
 * records (stream_record.c) and one more writes the results in the order
 * the lines came.  Records pass in batches through a ring of 2N + 2
 * slots: the reader waits when the oldest unwritten batch is that far
 * behind, so memory holds a bounded number of records and their results
 * however long the stream runs. */
#include "stream_mode.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- Lines -------------------------------------------------------------------- */

/* Reads a descriptor in large blocks and hands out its lines. */
typedef struct line_reader {
  int fd;
  char *buf;
  size_t start, end, cap;    /* the bytes not yet handed out */
  uint64_t max;              /* a longer line is skipped, not held */
  int eof;
} line_reader;

/* The next line (without its newline; a last line without one counts) in
 * *line / *len, valid until the next call; *too_long when it was longer
 * than max (then *line is NULL).  1, 0 at the end, -1 on a read error. */
static int next_line(line_reader *r, char **line, size_t *len, int *too_long) {
  size_t scanned = 0;   /* bytes past start known to hold no newline */
  *too_long = 0;
  for (;;) {
    char *nl = r->end - r->start > scanned
                   ? memchr(r->buf + r->start + scanned, '\n',
                            r->end - r->start - scanned)
                   : NULL;
    if (nl || (r->eof && r->end > r->start)) {
      size_t n = nl ? (size_t)(nl - (r->buf + r->start)) : r->end - r->start;
      *too_long |= n > r->max;
      *line = *too_long ? NULL : r->buf + r->start;
      *len = *too_long ? 0 : n;
      r->start += n + (nl != NULL);
      return 1;
    }
    if (r->eof)
      return 0;
    scanned = r->end - r->start;
    if (scanned > r->max) {   /* too long: drop what is held, read on */
      *too_long = 1;
      r->start = r->end = 0;
      scanned = 0;
    }
    if (r->start > 0) {      /* keep the partial line, at the front */
      memmove(r->buf, r->buf + r->start, r->end - r->start);
      r->end -= r->start;
      r->start = 0;
    }
    if (r->cap - r->end < (1 << 16)) {
      size_t cap = r->cap ? r->cap * 2 : 1 << 20;
      char *grown = realloc(r->buf, cap);
      if (!grown)
        return errno = ENOMEM, -1;
      r->buf = grown;
      r->cap = cap;
    }
    ssize_t got = read(r->fd, r->buf + r->end, r->cap - r->end);
    if (got < 0 && errno == EINTR)
      continue;
    if (got < 0)
      return -1;
    if (got == 0)
      r->eof = 1;
    r->end += (size_t)got;
  }
}

/* Whether the reader holds a whole line more, or is at the end: then the
 * next line comes without waiting. */
static int line_ready(const line_reader *lr) {
  return lr->eof || (lr->end > lr->start &&
                     memchr(lr->buf + lr->start, '\n', lr->end - lr->start));
}

/* Whether a line holds nothing but blanks: such lines are not records. */
static int blank(const char *s, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
      return 0;
  return 1;
}

/* ---- Batches of records ---------------------------------------------------- */

/* Records travel in batches, so that threads meet once for many small
 * records: up to BATCH_RECORDS or BATCH_BYTES of lines, and never held
 * back waiting for input (a batch goes as soon as the next line is not
 * there yet). */
enum { BATCH_RECORDS = 64, BATCH_BYTES = 1 << 20 };

typedef struct item {
  size_t off, len;           /* the line in the batch's text */
  unsigned long lineno;
  int too_long;
  size_t out_off, out_len;   /* its output record in the batch's out */
} item;

typedef struct slot {
  char *text;                /* the batch's lines, one after another */
  size_t text_len, text_cap;
  item items[BATCH_RECORDS];
  size_t n;
  char *out;                 /* the output records, once converted */
  size_t out_len;
  unsigned long failed;
  int done;
  stream_sign *signs;        /* with --dedup: each record's, by item */
} slot;

typedef struct run {
  const stream_setup *st;
  FILE *out;
  int flush_each;
  stream_counts *counts;
  slot *slots;
  size_t n_slots;
  stream_dedup *dedup;       /* with --dedup: the records kept so far */
  unsigned long filled, taken, written;  /* batches so far, by stage */
  int eof;                   /* the reader is through */
  int err;                   /* errno of a failed write, or ENOMEM */
  pthread_mutex_t lock;
  pthread_cond_t cond;
} run;

/* Adds a line to the batch being filled; 0, or ENOMEM. */
static int batch_add(slot *b, const char *line, size_t len, int too_long,
                     unsigned long lineno) {
  if (b->text_cap - b->text_len < len) {
    size_t cap = b->text_cap ? b->text_cap : 1 << 16;
    while (cap - b->text_len < len)
      cap *= 2;
    char *grown = realloc(b->text, cap);
    if (!grown)
      return ENOMEM;
    b->text = grown;
    b->text_cap = cap;
  }
  if (len)
    memcpy(b->text + b->text_len, line, len);
  b->items[b->n++] = (item){b->text_len, len, lineno, too_long, 0, 0};
  b->text_len += len;
  return 0;
}

/* Converts a batch's records into its output, signing them with
 * `sketcher` for --dedup; 0, or ENOMEM. */
static int convert(const stream_setup *st, slot *b, dedup_sketcher *sketcher) {
  size_t cap = 0;
  b->out_len = 0;
  b->failed = 0;
  for (size_t i = 0; i < b->n; i++) {
    item *it = &b->items[i];
    size_t n;
    int failed;
    stream_sign *sign = b->signs ? &b->signs[i] : NULL;
    if (sign)
      sign->sketcher = sketcher;
    char *rec = stream_record(st, it->too_long ? NULL : b->text + it->off,
                              it->len, it->too_long, it->lineno, &n, &failed,
                              sign);
    if (!rec)
      return ENOMEM;
    it->out_off = b->out_len;
    it->out_len = n;
    if (cap - b->out_len < n) {
      size_t grown_cap = cap ? cap : 1 << 16;
      while (grown_cap - b->out_len < n)
        grown_cap *= 2;
      char *grown = realloc(b->out, grown_cap);
      if (!grown) {
        free(rec);
        return ENOMEM;
      }
      b->out = grown;
      cap = grown_cap;
    }
    memcpy(b->out + b->out_len, rec, n);
    b->out_len += n;
    b->failed += (unsigned long)failed;
    free(rec);
  }
  return 0;
}

/* Writes the batch's records one by one, each checked against the kept
 * ones and marked when it repeats one (--dedup); 0, or errno. */
static int emit_checked(run *r, slot *b) {
  for (size_t i = 0; i < b->n; i++) {
    const item *it = &b->items[i];
    const char *rec = b->out + it->out_off;
    size_t len = it->out_len;
    char *marked;
    size_t marked_len;
    int full;
    if (stream_dedup_check(r->dedup, &b->signs[i], rec, len, &marked,
                           &marked_len, &full) != 0)
      return ENOMEM;
    if (full)
      fprintf(stderr, "quire: --dedup: the limit max-corpus-memory is "
                      "reached; later records are still checked against "
                      "those kept, but not kept themselves (raise it with "
                      "--limit max-corpus-memory=N)\n");
    size_t want = marked ? marked_len : len;
    size_t put = fwrite(marked ? marked : rec, 1, want, r->out);
    free(marked);
    if (put != want)
      return errno ? errno : EIO;
  }
  return 0;
}

/* Writes a converted batch; 0, or errno. */
static int emit(run *r, slot *b) {
  int err = 0;
  errno = 0;
  if (r->dedup)
    err = emit_checked(r, b);
  else if (fwrite(b->out, 1, b->out_len, r->out) != b->out_len)
    err = errno ? errno : EIO;
  if (!err && r->flush_each && fflush(r->out) != 0)
    err = errno ? errno : EIO;
  r->counts->failed += b->failed;
  return err;
}

static void *worker(void *arg) {
  run *r = arg;
  dedup_sketcher *sketcher = NULL;
  if (r->dedup && !(sketcher = dedup_sketcher_new())) {
    pthread_mutex_lock(&r->lock);
    if (!r->err)
      r->err = ENOMEM;
    pthread_cond_broadcast(&r->cond);
    pthread_mutex_unlock(&r->lock);
    return NULL;
  }
  pthread_mutex_lock(&r->lock);
  for (;;) {
    while (!r->err && r->taken == r->filled && !r->eof)
      pthread_cond_wait(&r->cond, &r->lock);
    if (r->err || r->taken == r->filled)
      break;
    slot *b = &r->slots[r->taken++ % r->n_slots];
    pthread_mutex_unlock(&r->lock);
    int err = convert(r->st, b, sketcher);
    pthread_mutex_lock(&r->lock);
    b->done = 1;
    if (err && !r->err)
      r->err = err;
    pthread_cond_broadcast(&r->cond);
  }
  pthread_mutex_unlock(&r->lock);
  dedup_sketcher_free(sketcher);
  return NULL;
}

static void *writer(void *arg) {
  run *r = arg;
  pthread_mutex_lock(&r->lock);
  for (;;) {
    slot *b = &r->slots[r->written % r->n_slots];
    if (r->err || (r->written == r->filled && r->eof))
      break;
    if (r->written == r->filled || !b->done) {
      pthread_cond_wait(&r->cond, &r->lock);
      continue;
    }
    pthread_mutex_unlock(&r->lock);
    int err = emit(r, b);
    pthread_mutex_lock(&r->lock);
    b->done = 0;
    b->n = 0;
    b->text_len = 0;
    r->written++;
    if (err && !r->err)
      r->err = err;
    pthread_cond_broadcast(&r->cond);
  }
  pthread_mutex_unlock(&r->lock);
  return NULL;
}

/* The batch the reader fills next, once the writer is through with what
 * its slot held; NULL after a failure. */
static slot *batch_to_fill(run *r) {
  pthread_mutex_lock(&r->lock);
  while (!r->err && r->filled - r->written == r->n_slots)
    pthread_cond_wait(&r->cond, &r->lock);
  slot *b = r->err ? NULL : &r->slots[r->filled % r->n_slots];
  pthread_mutex_unlock(&r->lock);
  return b;
}

/* Hands the filled batch to the workers. */
static void hand_over(run *r) {
  pthread_mutex_lock(&r->lock);
  r->filled++;
  pthread_cond_broadcast(&r->cond);
  pthread_mutex_unlock(&r->lock);
}

/* ---- The run ------------------------------------------------------------------ */

/* One thread: each record read, converted and written in turn. */
static int run_serial(const stream_setup *st, stream_dedup *dedup,
                      line_reader *lr, FILE *out, int flush_each,
                      stream_counts *counts) {
  run r = {.st = st, .out = out, .flush_each = flush_each, .counts = counts,
           .dedup = dedup};
  stream_sign sign = {0};
  if (dedup && !(sign.sketcher = dedup_sketcher_new()))
    return errno = ENOMEM, -1;
  int rc = 0;
  char *line;
  size_t len;
  int too_long, got;
  unsigned long lineno = 0;
  while ((got = next_line(lr, &line, &len, &too_long)) > 0) {
    lineno++;
    if (!too_long && blank(line, len))
      continue;
    counts->records++;
    slot b = {.n = 1, .signs = dedup ? &sign : NULL};
    int failed;
    b.out = stream_record(st, too_long ? NULL : line, len, too_long, lineno,
                          &b.out_len, &failed, b.signs);
    b.failed = (unsigned long)failed;
    b.items[0].out_len = b.out_len;
    if (!b.out) {
      rc = ENOMEM;
      break;
    }
    int err = emit(&r, &b);
    free(b.out);
    if (err) {
      rc = err;
      break;
    }
  }
  free(sign.id);
  dedup_sketcher_free(sign.sketcher);
  if (rc)
    return errno = rc, -1;
  return got < 0 ? -1 : 0;
}

static int run_threads(const stream_setup *st, stream_dedup *dedup,
                       unsigned threads, line_reader *lr, FILE *out,
                       int flush_each, stream_counts *counts) {
  run r = {.st = st, .out = out, .flush_each = flush_each, .counts = counts,
           .n_slots = 2 * (size_t)threads + 2, .dedup = dedup};
  r.slots = calloc(r.n_slots, sizeof *r.slots);
  for (size_t i = 0; dedup && r.slots && i < r.n_slots; i++)
    if (!(r.slots[i].signs = calloc(BATCH_RECORDS, sizeof(stream_sign)))) {
      for (size_t k = 0; k < i; k++)
        free(r.slots[k].signs);
      free(r.slots);
      return errno = ENOMEM, -1;
    }
  pthread_t *workers = calloc(threads, sizeof *workers);
  pthread_t writer_thread;
  unsigned started = 0;
  int writing = 0;
  if (!r.slots || !workers) {
    for (size_t i = 0; r.slots && i < r.n_slots; i++)
      free(r.slots[i].signs);
    free(r.slots);
    free(workers);
    return errno = ENOMEM, -1;
  }
  pthread_mutex_init(&r.lock, NULL);
  pthread_cond_init(&r.cond, NULL);
  int err = 0;
  writing = pthread_create(&writer_thread, NULL, writer, &r) == 0;
  for (; writing && started < threads; started++)
    if (pthread_create(&workers[started], NULL, worker, &r) != 0)
      break;
  if (!writing || !started)
    err = EAGAIN;

  char *line;
  size_t len;
  int too_long, got = 0;
  unsigned long lineno = 0;
  slot *b = err ? NULL : batch_to_fill(&r);
  while (b && (got = next_line(lr, &line, &len, &too_long)) > 0) {
    lineno++;
    if (!too_long && blank(line, len))
      continue;
    counts->records++;
    if ((err = batch_add(b, line, len, too_long, lineno)) != 0)
      break;
    if (b->n == BATCH_RECORDS || b->text_len >= BATCH_BYTES ||
        !line_ready(lr)) {
      hand_over(&r);
      b = batch_to_fill(&r);
    }
  }
  if (!err && got < 0)
    err = errno ? errno : EIO;
  if (b && b->n && !err)
    hand_over(&r);

  pthread_mutex_lock(&r.lock);
  r.eof = 1;
  if (err && !r.err)
    r.err = err;
  pthread_cond_broadcast(&r.cond);
  pthread_mutex_unlock(&r.lock);
  for (unsigned i = 0; i < started; i++)
    pthread_join(workers[i], NULL);
  if (writing)
    pthread_join(writer_thread, NULL);
  err = r.err;
  for (size_t i = 0; i < r.n_slots; i++) {
    free(r.slots[i].text);
    free(r.slots[i].out);
    for (size_t k = 0; r.slots[i].signs && k < BATCH_RECORDS; k++)
      free(r.slots[i].signs[k].id);
    free(r.slots[i].signs);
  }
  pthread_cond_destroy(&r.cond);
  pthread_mutex_destroy(&r.lock);
  free(r.slots);
  free(workers);
  return err ? (errno = err, -1) : 0;
}

int stream_run(const stream_setup *st, unsigned threads, int in, FILE *out,
               int flush_each, uint64_t max_line, stream_counts *counts) {
  line_reader lr = {.fd = in, .max = max_line};
  *counts = (stream_counts){0};
  stream_dedup *dedup = NULL;
  if (st->dedup &&
      !(dedup = stream_dedup_new(st->dedup_threshold,
                                 quire_limit_get(st->s, "max-corpus-memory"))))
    return errno = ENOMEM, -1;
  int rc = threads > 1
               ? run_threads(st, dedup, threads, &lr, out, flush_each, counts)
               : run_serial(st, dedup, &lr, out, flush_each, counts);
  int err = errno;
  stream_dedup_free(dedup);
  free(lr.buf);
  if (rc == 0 && fflush(out) != 0)
    return -1;
  errno = err;
  return rc;
}
