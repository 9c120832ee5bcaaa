/* dedup_sig.h - a document's text made a MinHash signature, for finding
 * near duplicates (dedup_index.h), and a hash of its words, for exact
 * ones.  Plain C: text in, signature out; nothing of quire's, so that the
 * plugin and the command line's stream mode share it.
 *
 * Words: the text is normalized (Unicode NFKC and case folding, by
 * utf8proc) and split into runs of letters and digits (with the combining
 * marks that follow them).  Shingles: every run of DEDUP_SHINGLE words in
 * a row; a document of fewer words is one shingle of all of them.  The
 * signature estimates the Jaccard similarity of two documents' sets of
 * shingles (see dedup_sig.c for the method). */
#ifndef QUIRE_DEDUP_SIG_H
#define QUIRE_DEDUP_SIG_H

#include <stddef.h>
#include <stdint.h>

/* Words in a shingle. */
#define DEDUP_SHINGLE 5
/* Bins of the signature (one-permutation MinHash): a power of two. */
#define DEDUP_BINS 256

/* One document's signature. */
typedef struct dedup_sig {
  /* Each bin's minimum shingle hash (56 bits), bins left empty by a short
   * document filled from others (densification).  The index makes its
   * band keys from these and keeps only a byte of each (code). */
  uint64_t mins[DEDUP_BINS];
  /* What the index keeps of each bin: 8 bits of its minimum. */
  uint8_t code[DEDUP_BINS];
  /* A 128-bit hash of the sequence of normalized words. */
  uint64_t exact[2];
  size_t words;             /* words found; 0: no signature */
  size_t shingles;          /* shingles hashed (repeats included) */
} dedup_sig;

/* Reusable working memory for dedup_sig_make.  Opaque. */
typedef struct dedup_sketcher dedup_sketcher;

/* A sketcher, or NULL when memory is exhausted; free it with
 * dedup_sketcher_free (NULL is fine). */
dedup_sketcher *dedup_sketcher_new(void);
void dedup_sketcher_free(dedup_sketcher *k);

/* Fills *sig from text[0..len) (UTF-8; bytes that are not are skipped).
 * Returns 0, or -1 when memory is exhausted.  A text without words gives
 * sig->words == 0, and a signature not to be compared. */
int dedup_sig_make(dedup_sketcher *k, const char *text, size_t len,
                   dedup_sig *sig);

/* The estimated Jaccard similarity of the sets behind two signatures'
 * codes (DEDUP_BINS bytes each), from 0 to 1. */
double dedup_sig_similarity(const uint8_t *a, const uint8_t *b);

#endif
