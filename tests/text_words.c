/* text_words.c - reading files and comparing their words. */
#include "text_words.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

char *slurp(const char *path, size_t *len) {
  FILE *fp = fopen(path, "rb");
  if (!fp)
    fail_msg("cannot open %s", path);
  fseek(fp, 0, SEEK_END);
  long n = ftell(fp);
  fseek(fp, 0, SEEK_SET);
  char *buf = malloc((size_t)n + 1);
  assert_non_null(buf);
  assert_int_equal(fread(buf, 1, (size_t)n, fp), (size_t)n);
  buf[n] = '\0';
  fclose(fp);
  if (len)
    *len = (size_t)n;
  return buf;
}

char *normalized_input(const char *path) {
  char *raw = slurp(path, NULL);
  char *out = raw, *p = raw;
  for (; *p; p++)
    if (!(p[0] == '\\' && (p[1] == '"' || (unsigned char)p[1] == 0xE2)))
      *out++ = *p;
  *out = '\0';
  return raw;
}

/* The words of a text in order, skipping list markers and underlines. */
static char **words_of(const char *text, size_t *n) {
  size_t cap = 1024;
  char **w = malloc(cap * sizeof *w);
  assert_non_null(w);
  *n = 0;
  char *copy = strdup(text);
  char *save = NULL;
  for (char *tok = strtok_r(copy, " \t\n", &save); tok;
       tok = strtok_r(NULL, " \t\n", &save)) {
    if (strspn(tok, "=-_*+|") == strlen(tok) ||
        strcmp(tok, "\xE2\x80\xA2") == 0 || strcmp(tok, "\xC2\xB7") == 0)
      continue;
    size_t digits = strspn(tok, "0123456789");
    if (digits && (tok[digits] == '.' || tok[digits] == ')') && !tok[digits + 1])
      continue;
    if (*n == cap)
      w = realloc(w, (cap *= 2) * sizeof *w);
    w[(*n)++] = strdup(tok);
  }
  free(copy);
  return w;
}

static void free_words(char **w, size_t n) {
  for (size_t i = 0; i < n; i++)
    free(w[i]);
  free(w);
}

void assert_same_words(const char *what, const char *a, const char *b) {
  size_t na, nb;
  char **wa = words_of(a, &na), **wb = words_of(b, &nb);
  for (size_t i = 0; i < na && i < nb; i++)
    if (strcmp(wa[i], wb[i]) != 0)
      fail_msg("%s: word %zu is '%s' before, '%s' after", what, i, wa[i],
               wb[i]);
  if (na != nb)
    fail_msg("%s: %zu words before, %zu after", what, na, nb);
  free_words(wa, na);
  free_words(wb, nb);
}
