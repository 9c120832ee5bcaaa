/* clean_lang.h - stopword lists and the choice of a document's language.
 *
 * The lists come from stopwords-iso; clean_stopwords.cmake turns them into
 * clean_stopwords_table.c at build time.  At load, clean_stopindex_new()
 * indexes every word of every list in one hash table whose value is the
 * set of languages listing the word (a bit per language), so that a word
 * is looked up once for all languages: the language guess and the
 * stopword count of the chosen language both come from that one lookup. */
#ifndef QUIRE_CLEAN_LANG_H
#define QUIRE_CLEAN_LANG_H

#include <stddef.h>
#include <stdint.h>

/* One language's list: its code and its words, lower-case, sorted in byte
 * order (strcmp), without duplicates. */
typedef struct clean_stoplist {
  const char *code;
  const char *const *words;
  size_t n;
} clean_stoplist;

extern const clean_stoplist clean_stoplists[];
extern const size_t clean_n_stoplists;

/* At most this many languages take part (one bit each in a uint64_t). */
#define CLEAN_MAX_LANGS 64

typedef struct clean_stopindex clean_stopindex;

/* The index of every list, or NULL when memory is exhausted. */
clean_stopindex *clean_stopindex_new(void);
void clean_stopindex_free(clean_stopindex *ix);

/* FNV-1a of a word's bytes (never 0): what clean_stopindex_get takes. */
uint64_t clean_word_hash(const char *w, size_t n);

/* The languages (bit i: clean_stoplists[i]) whose list holds the
 * lower-case word whose clean_word_hash is `hash`, 0 when none. */
uint64_t clean_stopindex_get(const clean_stopindex *ix, uint64_t hash);

/* The list index of a language tag's primary subtag ("en-GB" -> en), or
 * -1 when no list has it. */
int clean_lang_find(const char *tag);

/* Whether w[0..n) is in language lang's list (bsearch). */
int clean_lang_is_stopword(int lang, const char *w, size_t n);

/* The language whose stopwords cover the largest share of `total` words,
 * given counts[i] words of list i; -1 when even the best covers less than
 * CLEAN_LANG_MIN_SHARE (then the stopword signal is off). */
#define CLEAN_LANG_MIN_SHARE 0.12
int clean_lang_guess(const unsigned *counts, unsigned total);

#endif
