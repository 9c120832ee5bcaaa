/* stream_record.h - one record of `quire --stream`: a JSON line in, its
 * conversion as one JSON line out (docs/scale.md has the record format). */
#ifndef QUIRE_CLI_STREAM_RECORD_H
#define QUIRE_CLI_STREAM_RECORD_H

#include <quire/quire.h>

#include <stddef.h>

#include "stream_dedup.h"

/* What every record of a run shares.  All borrowed for the run. */
typedef struct stream_setup {
  quire_session *s;
  const quire_job *base;     /* from, to, options, metadata, transforms,
                                strict: what the command line gave */
  const char *to;            /* the output format's name */
  int binary;                /* its output is not text: base64 */
  int jsonl;                 /* -t jsonl: a record is the writer's own */
  /* --dedup: records are signed for stream_dedup (the dedup transform is
   * left out of each record's own conversion), with this threshold. */
  int dedup;
  double dedup_threshold;
} stream_setup;

/* Converts the record on line `lineno` of the stream (the `len` bytes of
 * `line`, without its newline; NULL with too_long when the line passed
 * the limit) and returns the output record: a JSON object and a newline,
 * in memory the caller frees, `*out_len` bytes.  *failed is set when it is
 * an error record.  With st->dedup, `sign` (its sketcher set) gets the
 * signature of the record's documents' text and the record's id; it
 * stays without words for an error record.  NULL only when memory is
 * exhausted. */
char *stream_record(const stream_setup *st, const char *line, size_t len,
                    int too_long, unsigned long lineno, size_t *out_len,
                    int *failed, stream_sign *sign);

#endif
