/* stream_dedup.h - duplicates marked in `quire --stream`'s output.
 *
 * Each record of a stream is converted on its own, so the dedup transform
 * would see one document at a time and never a duplicate.  With --dedup
 * the stream mode signs each record's documents on the converting thread
 * (stream_record, with the dedup plugin's own signature code) and checks
 * the signatures here, in record order, against those of the records kept
 * so far.  A record that repeats an earlier one is not dropped: its output
 * record gains "duplicate_of" (the earlier record's id), "similarity" and,
 * when the words are the same, "exact": true.  Nothing is lost; a
 * pipeline filters on the field if it wants. */
#ifndef QUIRE_CLI_STREAM_DEDUP_H
#define QUIRE_CLI_STREAM_DEDUP_H

#include <stddef.h>
#include <stdint.h>

#include "dedup_sig.h"

/* What a converted record leaves for the check. */
typedef struct stream_sign {
  dedup_sketcher *sketcher;  /* the converting thread's, borrowed */
  dedup_sig sig;             /* sig.words 0: nothing to compare (a failed
                                record, or one without words) */
  char *id;                  /* the record's id as JSON text, owned */
} stream_sign;

typedef struct stream_dedup stream_dedup;

/* A checker for Jaccard threshold t (0 < t <= 1) keeping at most `limit`
 * bytes of signatures and ids (max-corpus-memory): past it records are
 * still checked, but no more are kept, and *full_warning says so once.
 * NULL when t is out of range or memory is exhausted. */
stream_dedup *stream_dedup_new(double t, uint64_t limit);
void stream_dedup_free(stream_dedup *d);

/* Checks the record whose output is rec[0..len) (a JSON object and a
 * newline) and whose signature is `sign`, in record order.  When it
 * repeats a kept record, *marked is set to a new output with the fields
 * added (malloc'd, *marked_len bytes); otherwise *marked is NULL and the
 * record is kept when it has words.  0, or -1 when memory is exhausted.
 * *full_warning is set (once) when the limit was reached. */
int stream_dedup_check(stream_dedup *d, const stream_sign *sign,
                       const char *rec, size_t len, char **marked,
                       size_t *marked_len, int *full_warning);

#endif
