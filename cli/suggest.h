/* suggest.h - "did you mean ...?": the closest of some names to a name
 * that is not one of them, by edit distance. */
#ifndef QUIRE_CLI_SUGGEST_H
#define QUIRE_CLI_SUGGEST_H

#include <stddef.h>

/* Edits (insertions, deletions, substitutions, swaps of neighbours)
 * between a and b, ignoring case. */
size_t suggest_distance(const char *a, const char *b);

/* Gathers candidates for one name. */
typedef struct suggester {
  const char *wanted;
  const char *best;        /* the closest so far (in buf), or NULL */
  size_t best_distance;
  char buf[64];
} suggester;

void suggest_start(suggester *g, const char *wanted);
/* Considers a candidate; ties keep the earlier one.  Comma-separated lists
 * ("markdown,commonmark") count as each of their names. */
void suggest_offer(suggester *g, const char *candidate);
/* The closest candidate near enough: 1 edit for names up to 4 letters, 2
 * up to 8, 3 beyond; NULL when none is. */
const char *suggest_result(const suggester *g);

#endif
