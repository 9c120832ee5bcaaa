/* test_dedup.c - near-duplicate signatures and their index
 * (plugins/dedup/dedup_sig.c, dedup_index.c), through their plain C
 * interface: text in, signature out, documents found again. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "dedup_index.h"
#include "dedup_sig.h"
#include "skip_note.h"

/* A text of n made-up words (w0001 style but lettered, so that no two
 * are alike), from word `first` of a fixed sequence. */
static char *words_text(unsigned first, unsigned n) {
  char *t = malloc((size_t)n * 12 + 1);
  size_t len = 0;
  for (unsigned i = first; i < first + n; i++) {
    unsigned x = i * 2654435761u;
    len += (size_t)sprintf(t + len, "%c%c%c%c%u ", 'a' + x % 26,
                           'a' + (x / 26) % 26, 'a' + (x / 676) % 26,
                           'a' + (x / 17576) % 26, i);
  }
  t[len] = '\0';
  return t;
}

typedef struct pair {
  dedup_sketcher *k;
  dedup_sig a, b;
} pair;

static pair *sign_two(const char *x, const char *y) {
  pair *p = calloc(1, sizeof *p);
  p->k = dedup_sketcher_new();
  assert_non_null(p->k);
  assert_int_equal(dedup_sig_make(p->k, x, strlen(x), &p->a), 0);
  assert_int_equal(dedup_sig_make(p->k, y, strlen(y), &p->b), 0);
  return p;
}

static void pair_free(pair *p) {
  dedup_sketcher_free(p->k);
  free(p);
}

static int same_exact(const pair *p) {
  return p->a.exact[0] == p->b.exact[0] && p->a.exact[1] == p->b.exact[1];
}

static void assert_same_words(const char *x, const char *y) {
  pair *p = sign_two(x, y);
  assert_true(p->a.words > 0);
  assert_int_equal(p->a.words, p->b.words);
  assert_true(same_exact(p));
  assert_memory_equal(p->a.code, p->b.code, DEDUP_BINS);
  pair_free(p);
}

static void test_words_are_folded_and_nfkc_normalized(void **state) {
  (void)state;
  /* full-width letters, a ligature, sharp s, capitals */
  assert_same_words("\xEF\xBC\xA6\xEF\xBD\x95\xEF\xBD\x8C\xEF\xBD\x8C "
                    "\xEF\xAC\x81sh Stra\xC3\x9F" "e Tea",
                    "full FISH STRASSE tea");
  /* a precomposed letter and its decomposition */
  assert_same_words("caf\xC3\xA9 au lait", "cafe\xCC\x81 au lait");
  /* Cyrillic, Greek: folded too */
  assert_same_words("\xD0\x9C\xD0\x9E\xD0\xA1\xD0\x9A\xD0\x92\xD0\x90 "
                    "\xCE\xA3\xCE\x9F\xCE\xA6\xCE\x99\xCE\x91",
                    "\xD0\xBC\xD0\xBE\xD1\x81\xD0\xBA\xD0\xB2\xD0\xB0 "
                    "\xCF\x83\xCE\xBF\xCF\x86\xCE\xB9\xCE\xB1");
}

static void test_words_are_runs_of_letters_and_digits(void **state) {
  (void)state;
  /* punctuation, curly quotes, dashes and no-break spaces separate */
  assert_same_words("Don\xE2\x80\x99t stop\xE2\x80\x94now, 2024!\xC2\xA0Ok.",
                    "don t stop now 2024 ok");
  /* a byte that is not UTF-8 separates too */
  pair *p = sign_two("abc\xFF" "def", "abc def");
  assert_int_equal(p->a.words, 2);
  assert_true(same_exact(p));
  pair_free(p);
}

/* The fast path reads 64 bytes at a time: words must come out the same
 * wherever they fall, and next to characters beyond ASCII. */
static void test_words_do_not_depend_on_where_they_fall(void **state) {
  (void)state;
  char *base = words_text(0, 300);
  dedup_sketcher *k = dedup_sketcher_new();
  dedup_sig ref, sig;
  assert_int_equal(dedup_sig_make(k, base, strlen(base), &ref), 0);
  assert_int_equal(ref.words, 300);
  size_t n = strlen(base);
  char *t = malloc(n + 200);
  for (unsigned shift = 0; shift < 130; shift++) {
    memset(t, shift % 2 ? ' ' : '.', shift);
    memcpy(t + shift, base, n);
    /* and a non-ASCII separator somewhere in the middle */
    size_t len = shift + n;
    if (shift % 3 == 0) {
      char *space = strchr(t + shift + n / 2, ' ');
      memmove(space + 2, space + 1, (size_t)(t + len - space - 1));
      memcpy(space, "\xC2\xA0", 2);
      len++;
    }
    assert_int_equal(dedup_sig_make(k, t, len, &sig), 0);
    assert_int_equal(sig.words, 300);
    assert_true(sig.exact[0] == ref.exact[0] && sig.exact[1] == ref.exact[1]);
    assert_memory_equal(sig.code, ref.code, DEDUP_BINS);
  }
  free(t);
  free(base);
  dedup_sketcher_free(k);
}

static void test_a_text_without_words_has_no_signature(void **state) {
  (void)state;
  pair *p = sign_two("", " -- ... !!! \xE2\x80\x94 ");
  assert_int_equal(p->a.words, 0);
  assert_int_equal(p->b.words, 0);
  dedup_index *x = dedup_index_new(0.8);
  dedup_match m;
  assert_int_equal(dedup_index_insert(x, &p->a, 1), 0);
  assert_int_equal(dedup_index_count(x), 0);
  assert_int_equal(dedup_index_query(x, &p->b, &m), 0);
  dedup_index_free(x);
  pair_free(p);
}

static void test_a_short_text_is_one_shingle(void **state) {
  (void)state;
  pair *p = sign_two("three short words", "Three SHORT words.");
  assert_int_equal(p->a.shingles, 1);
  assert_true(same_exact(p));
  assert_true(dedup_sig_similarity(p->a.code, p->b.code) == 1.0);
  pair_free(p);
  p = sign_two("three short words", "words short three");
  assert_false(same_exact(p));
  assert_true(dedup_sig_similarity(p->a.code, p->b.code) < 0.2);
  pair_free(p);
}

/* B is A's first 800 words and 200 others: of 996 shingles each, 796 are
 * shared, a Jaccard similarity of 796 / 1196 = 0.666. */
static void test_similarity_estimates_jaccard(void **state) {
  (void)state;
  char *a = words_text(0, 1000);
  char *head = words_text(0, 800), *tail = words_text(5000, 200);
  char *b = malloc(strlen(head) + strlen(tail) + 1);
  strcpy(b, head);
  strcat(b, tail);
  pair *p = sign_two(a, b);
  double s = dedup_sig_similarity(p->a.code, p->b.code);
  /* the estimate's standard deviation is about 0.03 */
  assert_true(s > 0.666 - 0.1 && s < 0.666 + 0.1);
  pair_free(p);
  free(a);
  free(b);
  free(head);
  free(tail);
}

static void test_rows_follow_the_threshold(void **state) {
  (void)state;
  dedup_index *x = dedup_index_new(0.8);
  assert_int_equal(dedup_index_rows(x), 3);
  dedup_index_free(x);
  x = dedup_index_new(0.5);
  assert_true(dedup_index_rows(x) < 3);
  dedup_index_free(x);
  x = dedup_index_new(0.95);
  assert_true(dedup_index_rows(x) > 3);
  dedup_index_free(x);
  assert_null(dedup_index_new(0));
  assert_null(dedup_index_new(1.01));
  assert_null(dedup_index_new(-1));
}

/* The first is kept; an exact copy and a near copy match it; others do
 * not. */
static void test_the_index_finds_the_first_document(void **state) {
  (void)state;
  dedup_sketcher *k = dedup_sketcher_new();
  dedup_index *x = dedup_index_new(0.8);
  dedup_sig *sig = malloc(sizeof *sig);
  dedup_match m;
  char *texts[3] = {words_text(0, 2000), words_text(10000, 2000),
                    words_text(20000, 2000)};
  for (unsigned i = 0; i < 3; i++) {
    assert_int_equal(dedup_sig_make(k, texts[i], strlen(texts[i]), sig), 0);
    assert_int_equal(dedup_index_query(x, sig, &m), 0);
    assert_int_equal(dedup_index_insert(x, sig, 100 + i), 0);
  }
  assert_int_equal(dedup_index_count(x), 3);

  /* an exact copy of the second, in other case and spacing */
  char *copy = strdup(texts[1]);
  for (char *c = copy; *c; c++)
    if (*c >= 'a' && *c <= 'z' && (c - copy) % 3 == 0)
      *c = (char)(*c - 'a' + 'A');
  assert_int_equal(dedup_sig_make(k, copy, strlen(copy), sig), 0);
  assert_int_equal(dedup_index_query(x, sig, &m), 1);
  assert_int_equal(m.doc, 101);
  assert_true(m.exact);
  assert_true(m.similarity == 1.0);

  /* the third with 20 words changed: about 90% of its shingles stay */
  char *near = strdup(texts[2]);
  for (unsigned i = 0; i < 20; i++)
    near[strlen(near) * (2 * i + 1) / 40] = '#';
  assert_int_equal(dedup_sig_make(k, near, strlen(near), sig), 0);
  assert_int_equal(dedup_index_query(x, sig, &m), 1);
  assert_int_equal(m.doc, 102);
  assert_false(m.exact);
  assert_true(m.similarity >= 0.8 && m.similarity < 1.0);

  /* another text altogether */
  char *other = words_text(30000, 2000);
  assert_int_equal(dedup_sig_make(k, other, strlen(other), sig), 0);
  assert_int_equal(dedup_index_query(x, sig, &m), 0);

  free(other);
  free(near);
  free(copy);
  for (unsigned i = 0; i < 3; i++)
    free(texts[i]);
  free(sig);
  dedup_index_free(x);
  dedup_sketcher_free(k);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_words_are_folded_and_nfkc_normalized),
      cmocka_unit_test(test_words_are_runs_of_letters_and_digits),
      cmocka_unit_test(test_words_do_not_depend_on_where_they_fall),
      cmocka_unit_test(test_a_text_without_words_has_no_signature),
      cmocka_unit_test(test_a_short_text_is_one_shingle),
      cmocka_unit_test(test_similarity_estimates_jaccard),
      cmocka_unit_test(test_rows_follow_the_threshold),
      cmocka_unit_test(test_the_index_finds_the_first_document),
  };
  return test_main_status(cmocka_run_group_tests(tests, NULL, NULL));
}
