/* stream_mode.h - `quire --stream`: JSON Lines records on one stream
 * converted one by one, on N threads, into one output record each, in
 * input order. */
#ifndef QUIRE_CLI_STREAM_MODE_H
#define QUIRE_CLI_STREAM_MODE_H

#include <stdint.h>
#include <stdio.h>

#include "stream_record.h"

typedef struct stream_counts {
  unsigned long records;     /* records read (lines that were not blank) */
  unsigned long failed;      /* error records written */
} stream_counts;

/* Reads records from descriptor `in` until its end and writes one output
 * record a record to `out`, in the order read, converting on `threads`
 * threads (1: on this one).  A line longer than `max_line` bytes is an
 * error record and is not held.  With flush_each, `out` is flushed as
 * soon as results are ready (the input is a pipe: the next stage never
 * waits for a full buffer).  0, or -1 with errno set when reading or
 * writing failed (the output is then incomplete). */
int stream_run(const stream_setup *st, unsigned threads, int in, FILE *out,
               int flush_each, uint64_t max_line, stream_counts *counts);

#endif
