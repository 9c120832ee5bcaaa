/* dedup_index.h - the documents kept so far, found again by signature:
 * locality-sensitive hashing over MinHash signatures (dedup_sig.h), each
 * candidate checked by its estimated Jaccard similarity.  Plain C, nothing
 * of quire's, like dedup_sig.h.
 *
 * A document is known by a number of the caller's (uint32_t).  Per
 * document the index keeps DEDUP_BINS bytes of signature, its exact hash
 * and its DEDUP_BANDS band keys; never its text. */
#ifndef QUIRE_DEDUP_INDEX_H
#define QUIRE_DEDUP_INDEX_H

#include <stddef.h>
#include <stdint.h>

#include "dedup_sig.h"

/* Bands of the locality-sensitive hash; the rows of each follow from the
 * threshold (dedup_index_new). */
#define DEDUP_BANDS 12

typedef struct dedup_index dedup_index;

/* What a query found: the document it duplicates. */
typedef struct dedup_match {
  uint32_t doc;             /* the caller's number of the kept document */
  double similarity;        /* estimated Jaccard similarity, 0 to 1 */
  int exact;                /* the same words in the same order (the
                               128-bit hashes agree); similarity is 1 */
} dedup_match;

/* An empty index for Jaccard threshold t (0 < t <= 1), or NULL when t is
 * out of range or memory is exhausted.  Each band hashes r rows, r the
 * largest (at most DEDUP_BINS / DEDUP_BANDS) for which a pair of
 * similarity t shares a band with probability 0.999 or more:
 * 1 - (1 - t^r)^DEDUP_BANDS >= 0.999.  For t = 0.8, r = 3. */
dedup_index *dedup_index_new(double t);
void dedup_index_free(dedup_index *x);

/* Rows per band. */
unsigned dedup_index_rows(const dedup_index *x);

/* Looks sig up: 1 with *m set when a document in the index has an
 * estimated similarity of at least the threshold, or the same exact hash
 * (the best: an exact one, then the most similar, then the first
 * inserted); 0 when none has.  A signature of no words (sig->words 0)
 * matches nothing. */
int dedup_index_query(const dedup_index *x, const dedup_sig *sig,
                      dedup_match *m);

/* Adds sig as document `doc`.  0, or -1 when memory is exhausted (the
 * index is unchanged).  A signature of no words is not added (0). */
int dedup_index_insert(dedup_index *x, const dedup_sig *sig, uint32_t doc);

/* Documents in the index, and the bytes it holds. */
size_t dedup_index_count(const dedup_index *x);
size_t dedup_index_bytes(const dedup_index *x);
/* The bytes the next insert may add (for a caller that keeps a limit). */
size_t dedup_index_next_bytes(const dedup_index *x);

#endif
