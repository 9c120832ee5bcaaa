/* suggest.c - "did you mean ...?" (see suggest.h). */
#include "suggest.h"

#include <ctype.h>
#include <string.h>

#define MAX_NAME 63   /* fits suggester.buf */

/* Optimal string alignment distance, case folded; names longer than
 * MAX_NAME are never close. */
static size_t distance_n(const char *a, size_t la, const char *b, size_t lb) {
  if (la >= MAX_NAME || lb >= MAX_NAME)
    return (size_t)-1;
  size_t d[MAX_NAME + 1][MAX_NAME + 1];
  for (size_t i = 0; i <= la; i++)
    d[i][0] = i;
  for (size_t j = 0; j <= lb; j++)
    d[0][j] = j;
  for (size_t i = 1; i <= la; i++)
    for (size_t j = 1; j <= lb; j++) {
      int ca = tolower((unsigned char)a[i - 1]);
      int cb = tolower((unsigned char)b[j - 1]);
      size_t best = d[i - 1][j - 1] + (ca != cb);
      if (d[i - 1][j] + 1 < best)
        best = d[i - 1][j] + 1;
      if (d[i][j - 1] + 1 < best)
        best = d[i][j - 1] + 1;
      if (i > 1 && j > 1 && ca == tolower((unsigned char)b[j - 2]) &&
          tolower((unsigned char)a[i - 2]) == cb && d[i - 2][j - 2] + 1 < best)
        best = d[i - 2][j - 2] + 1;
      d[i][j] = best;
    }
  return d[la][lb];
}

size_t suggest_distance(const char *a, const char *b) {
  return distance_n(a, strlen(a), b, strlen(b));
}

void suggest_start(suggester *g, const char *wanted) {
  g->wanted = wanted;
  g->best = NULL;
  g->best_distance = (size_t)-1;
}

void suggest_offer(suggester *g, const char *candidate) {
  if (!candidate)
    return;
  while (*candidate) {
    size_t n = strcspn(candidate, ",");
    size_t dist = distance_n(g->wanted, strlen(g->wanted), candidate, n);
    if (n && dist < g->best_distance) {
      /* the candidate may be part of a list: keep a copy of the name */
      memcpy(g->buf, candidate, n);
      g->buf[n] = '\0';
      g->best = g->buf;
      g->best_distance = dist;
    }
    candidate += n;
    if (*candidate == ',')
      candidate++;
  }
}

const char *suggest_result(const suggester *g) {
  size_t len = strlen(g->wanted);
  size_t allowed = len <= 4 ? 1 : len <= 8 ? 2 : 3;
  if (!g->best || g->best_distance > allowed || g->best_distance == 0)
    return NULL;
  return g->best;
}
