/* test_txt.c - the plain-text plugin: decoding, recovered structure, the
 * writer, stability and keeping every word. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <quire/quire.h>
#include <utf8proc.h>

#include "doc_dump.h"
#include "session_fixture.h"
#include "skip_note.h"
#include "text_words.h"

#define DATA QUIRE_SOURCE_DIR "/tests/data/text/"
#define CORPUS QUIRE_SOURCE_DIR "/corpus/"

static const char *const corpus_files[] = {
    "000_89428971a2145b71.txt", "001_0bd458d27c3695d7.txt",
    "002_b5077d99cde6bffe.txt", "003_cd26fc48bba5cb47.txt",
    "004_feb5dc2e932a1913.txt"};
static const char *const test_texts[] = {"wrapped.txt", "one_per_line.txt",
                                         "markdown_like.txt", "setext.txt",
                                         "lists.txt"};

/* Writes bytes to a file in the fixture's folder; returns its path. */
static const char *put_file(fixture *f, const char *name, const char *bytes,
                            size_t n) {
  static char path[256];
  snprintf(path, sizeof path, "%s/%s", f->dir, name);
  FILE *fp = fopen(path, "wb");
  assert_non_null(fp);
  assert_int_equal(fwrite(bytes, 1, n, fp), n);
  fclose(fp);
  return path;
}

static char *dump_file(fixture *f, const char *path) {
  quire_doc *doc = doc_read(f->s, path, "txt");
  char *d = doc_dump(doc);
  quire_doc_free(doc);
  return d;
}

static int count(const char *hay, const char *needle) {
  int n = 0;
  for (const char *p = hay; (p = strstr(p, needle)) != NULL; p++)
    n++;
  return n;
}

/* Converts `in` to txt at `out`, with optional --columns. */
static void to_txt(fixture *f, const char *in, const char *out,
                   const char *columns) {
  const char *inputs[] = {in};
  quire_option opt = {"columns", columns};
  quire_job job = {.inputs = inputs, .n_inputs = 1, .to = "txt",
                   .output = out, .from = "txt",
                   .options = columns ? &opt : NULL,
                   .n_options = columns ? 1 : 0};
  if (quire_convert(f->s, &job) < QUIRE_OK)
    fail_msg("%s: %s", in, quire_error_get(f->s)->message);
}

/* ---- Structure ------------------------------------------------------------ */

static void test_hard_wrapped_lines_join_into_paragraphs(void **state) {
  char *d = dump_file(*state, DATA "wrapped.txt");
  assert_int_equal(count(d, "|P:"), 3);
  assert_non_null(strstr(d, "P:The keeper of the northern light had lived "
                            "alone on the rock for eleven years, and in"));
  assert_non_null(strstr(d, "|H2:CHAPTER I|"));
  assert_non_null(strstr(d, "|H2:CHAPTER II|"));
  free(d);
}

static void test_one_paragraph_per_line_gives_a_paragraph_each(void **state) {
  char *d = dump_file(*state, DATA "one_per_line.txt");
  assert_int_equal(count(d, "|P:") + (strncmp(d, "P:", 2) == 0), 4);
  assert_non_null(strstr(d, "|H2:Road Repairs|"));
  assert_null(strstr(d, "H1:"));
  free(d);
}

static void test_short_first_line_is_the_title(void **state) {
  fixture *f = *state;
  quire_doc *doc = doc_read(f->s, DATA "wrapped.txt", "txt");
  assert_string_equal(quire_meta_get(doc->meta, "title"),
                      "The Lighthouse Keeper");
  assert_int_equal(doc->root->first_child->type, QUIRE_NODE_HEADING);
  assert_int_equal(doc->root->first_child->level, 1);
  quire_doc_free(doc);
}

static void test_title_falls_back_to_the_file_name(void **state) {
  fixture *f = *state;
  quire_doc *doc = doc_read(f->s, CORPUS "001_0bd458d27c3695d7.txt", "txt");
  assert_string_equal(quire_meta_get(doc->meta, "title"),
                      "001_0bd458d27c3695d7");
  quire_doc_free(doc);
}

static void test_corpus_one_per_line_article_has_a_paragraph_per_line(void **state) {
  char *d = dump_file(*state, CORPUS "001_0bd458d27c3695d7.txt");
  assert_int_equal(count(d, "|P:") + (strncmp(d, "P:", 2) == 0), 7);
  assert_int_equal(count(d, "H1:") + count(d, "H2:"), 0);
  free(d);
}

static void test_corpus_headings_and_bullet_list_are_found(void **state) {
  char *d = dump_file(*state, CORPUS "002_b5077d99cde6bffe.txt");
  assert_non_null(strstr(d, "H1:Military Update: Ceasefire Reached in "
                            "Nagorno-Karabakh Under Russian Mediation|"));
  assert_non_null(strstr(d, "|H2:Ceasefire Takes Effect|"));
  assert_non_null(strstr(d, "|H2:Armenian Withdrawal and Disarmament|"));
  assert_non_null(strstr(d, "|H2:What\xE2\x80\x99s Next?|"));
  /* the three bullet lines make one list of three items */
  assert_int_equal(count(d, "UL["), 1);
  const char *ul = strstr(d, "UL[");
  const char *end = strchr(ul, ']');
  int items = 1;
  for (const char *p = ul; p < end; p++)
    items += p[0] == '}' && p[1] == '{';
  assert_int_equal(items, 3);
  /* the lead paragraph is not a heading */
  assert_non_null(strstr(d, "|P:Ceasefire reached in Nagorno-Karabakh under "
                            "Russian mediation."));
  free(d);
}

static void test_long_line_without_final_period_is_a_paragraph(void **state) {
  char *d = dump_file(*state, CORPUS "003_cd26fc48bba5cb47.txt");
  assert_non_null(strstr(d, "|P:On Tuesday, September 19, the Azerbaijani "
                            "Ministry of Defense declared"));
  assert_non_null(strstr(d, "|H2:What's being reported in Armenia|"));
  assert_non_null(strstr(d, "|H2:Background on the Armenia-Azerbaijan "
                            "conflict|"));
  free(d);
}

static void test_date_line_at_the_top_becomes_the_date(void **state) {
  fixture *f = *state;
  quire_doc *doc = doc_read(f->s, CORPUS "003_cd26fc48bba5cb47.txt", "txt");
  assert_string_equal(quire_meta_get(doc->meta, "date"), "2023-09-19");
  char *d = doc_dump(doc);
  assert_non_null(strstr(d, "P:19 September, 2023 Tuesday|"));
  free(d);
  quire_doc_free(doc);
}

static void test_consecutive_marked_lines_form_lists(void **state) {
  char *d = dump_file(*state, DATA "lists.txt");
  assert_non_null(strstr(d, "UL[bread}{cheese}{apples]"));
  assert_non_null(strstr(d, "UL[tent}{sleeping bag]"));
  assert_non_null(strstr(d, "OL1[pack the car}{check the tyres]"));
  free(d);
}

static void test_lone_numbered_line_in_prose_stays_prose(void **state) {
  char *d = dump_file(*state, DATA "lists.txt");
  assert_non_null(strstr(d, "|P:2) Hello world|"));
  free(d);
  d = dump_file(*state, DATA "markdown_like.txt");
  assert_non_null(strstr(d, "OL1[Download the archive.}{Unpack it.}{Run the "
                            "installer.]"));
  assert_non_null(strstr(d, "UL[faster start-up}{smaller binaries}{fewer "
                            "crashes]"));
  assert_non_null(strstr(d, "|P:Note that step 2) Unpack it"));
  assert_non_null(strstr(d, "*many*"));
  free(d);
}

static void test_setext_underlines_and_rules(void **state) {
  char *d = dump_file(*state, DATA "setext.txt");
  assert_non_null(strstr(d, "H1:A Short Guide|H2:Getting Started|P:Install"));
  assert_non_null(strstr(d, "|HR|"));
  free(d);
}

/* ---- Decoding ------------------------------------------------------------- */

static char *first_text(fixture *f, const char *path) {
  quire_doc *doc = doc_read(f->s, path, "txt");
  char *d = doc_dump(doc);
  quire_doc_free(doc);
  return d;
}

static void test_backslash_escaped_quotes_lose_the_backslash(void **state) {
  fixture *f = *state;
  const char text[] = "He said \\\"hello\\\" and \\\xE2\x80\x9D" "bye\\\xE2\x80\x99 "
                      "to a\\b path.\n";
  char *d = first_text(f, put_file(f, "q.txt", text, sizeof text - 1));
  assert_string_equal(d, "P:He said \"hello\" and \xE2\x80\x9D" "bye"
                         "\xE2\x80\x99 to a\\b path.");
  free(d);
}

static void test_windows_1252_file_is_decoded(void **state) {
  fixture *f = *state;
  const char text[] = "Caf\xE9 prices rose \x93sharply\x94 \x96 again.\n";
  char *d = first_text(f, put_file(f, "w.txt", text, sizeof text - 1));
  assert_string_equal(d, "P:Caf\xC3\xA9 prices rose \xE2\x80\x9Csharply"
                         "\xE2\x80\x9D \xE2\x80\x93 again.");
  /* One letter outside ASCII is too little to be sure of the code page. */
  assert_non_null(strstr(f->warnings, "unsure"));
  assert_non_null(strstr(f->warnings, "read as windows-1252"));
  free(d);
}

static void test_bad_utf8_becomes_replacement_with_offset(void **state) {
  fixture *f = *state;
  const char text[] = "Na\xC3\xAFve text, then \xFF bad.\n";
  char *d = first_text(f, put_file(f, "u.txt", text, sizeof text - 1));
  assert_string_equal(d, "P:Na\xC3\xAFve text, then \xEF\xBF\xBD bad.");
  assert_non_null(strstr(f->warnings, "U+FFFD"));
  assert_int_equal(f->last_offset, 18 + 1);   /* byte 18 */
  free(d);
}

static void test_bom_crlf_and_cr_are_normalized(void **state) {
  fixture *f = *state;
  const char text[] = "\xEF\xBB\xBF" "First paragraph here.\r\n\r\nSecond "
                      "one.\r\rThird one.\r";
  char *d = first_text(f, put_file(f, "c.txt", text, sizeof text - 1));
  assert_string_equal(d, "P:First paragraph here.|P:Second one.|P:Third one.");
  free(d);
}

static void test_trailing_spaces_are_dropped(void **state) {
  fixture *f = *state;
  const char text[] = "A sentence with trailing blanks.   \t\n\nNext one.  \n";
  char *d = first_text(f, put_file(f, "t.txt", text, sizeof text - 1));
  assert_string_equal(d, "P:A sentence with trailing blanks.|P:Next one.");
  free(d);
}

static void test_empty_and_blank_files_give_empty_documents(void **state) {
  fixture *f = *state;
  quire_doc *doc = doc_read(f->s, put_file(f, "empty.txt", "", 0), "txt");
  assert_null(doc->root->first_child);
  assert_string_equal(quire_meta_get(doc->meta, "title"), "empty");
  quire_doc_free(doc);
  doc = doc_read(f->s, put_file(f, "blank.txt", "\n \n\t\n\n", 6), "txt");
  assert_null(doc->root->first_child);
  quire_doc_free(doc);
}

static void test_single_line_file(void **state) {
  fixture *f = *state;
  char *d = first_text(f, put_file(f, "one.txt", "Just one line.", 14));
  assert_string_equal(d, "P:Just one line.");
  free(d);
}

static void test_nul_and_control_bytes_are_dropped_with_warning(void **state) {
  fixture *f = *state;
  const char text[] = "Bell\a and nul\0 and esc\x1B gone.\n";
  char *d = first_text(f, put_file(f, "n.txt", text, sizeof text - 1));
  assert_string_equal(d, "P:Bell and nul and esc gone.");
  assert_int_equal(count(f->warnings, "control character"), 3);
  free(d);
}

static void test_text_is_normalized_to_nfc(void **state) {
  fixture *f = *state;
  const char text[] = "Cafe\xCC\x81 and Ha\xCC\x88ndel.\n";   /* NFD */
  char *d = first_text(f, put_file(f, "nfd.txt", text, sizeof text - 1));
  assert_string_equal(d, "P:Caf\xC3\xA9 and H\xC3\xA4ndel.");
  free(d);
}

/* ---- Writer --------------------------------------------------------------- */

static void test_writer_underlines_title_and_headings(void **state) {
  fixture *f = *state;
  char out[256];
  snprintf(out, sizeof out, "%s/guide.txt", f->dir);
  to_txt(f, DATA "setext.txt", out, NULL);
  char *text = slurp(out, NULL);
  assert_string_equal(text, "A Short Guide\n=============\n\nGetting Started\n"
                            "---------------\n\nInstall the package and run "
                            "it once to create the configuration file.\n\n"
                            "* * *\n\nThe end of the guide is near; there is "
                            "nothing more to read here.\n");
  free(text);
}

static void test_writer_marks_list_items(void **state) {
  fixture *f = *state;
  char out[256];
  snprintf(out, sizeof out, "%s/lists.txt", f->dir);
  to_txt(f, DATA "lists.txt", out, NULL);
  char *text = slurp(out, NULL);
  assert_non_null(strstr(text, "\n\n\xE2\x80\xA2 bread\n\xE2\x80\xA2 cheese\n"
                               "\xE2\x80\xA2 apples\n\n"));
  assert_non_null(strstr(text, "\n\n1. pack the car\n2. check the tyres\n\n"));
  free(text);
}

static void assert_stable(fixture *f, const char *in) {
  char a[256], b[256];
  snprintf(a, sizeof a, "%s/pass1.txt", f->dir);
  snprintf(b, sizeof b, "%s/pass2.txt", f->dir);
  to_txt(f, in, a, NULL);
  to_txt(f, a, b, NULL);
  size_t na, nb;
  char *x = slurp(a, &na), *y = slurp(b, &nb);
  if (na != nb || memcmp(x, y, na) != 0)
    fail_msg("%s: txt to txt twice differs", in);
  free(x);
  free(y);
}

static void test_txt_to_txt_twice_is_byte_identical(void **state) {
  char path[512];
  for (size_t i = 0; i < sizeof corpus_files / sizeof *corpus_files; i++) {
    snprintf(path, sizeof path, CORPUS "%s", corpus_files[i]);
    assert_stable(*state, path);
  }
  for (size_t i = 0; i < sizeof test_texts / sizeof *test_texts; i++) {
    snprintf(path, sizeof path, DATA "%s", test_texts[i]);
    assert_stable(*state, path);
  }
}

static size_t width_of(const char *s, size_t n) {
  size_t w = 0;
  for (size_t i = 0; i < n;) {
    int32_t cp;
    utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)s + i,
                                          (utf8proc_ssize_t)(n - i), &cp);
    assert_true(k > 0);
    i += (size_t)k;
    w += (size_t)utf8proc_charwidth(cp);
  }
  return w;
}

static void test_columns_wrap_at_display_width(void **state) {
  fixture *f = *state;
  const char text[] =
      "\xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E \xE3\x81\xAE\xE6\x96\x87 "
      "\xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E \xE3\x81\xAE\xE6\x96\x87 "
      "wide words and narrow words mixed together in one long paragraph "
      "\xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E \xE3\x81\xAE\xE6\x96\x87 that "
      "must wrap several times at twenty columns.\n";
  const char *in = put_file(f, "wide.txt", text, sizeof text - 1);
  char out[256];
  snprintf(out, sizeof out, "%s/wide-out.txt", f->dir);
  to_txt(f, in, out, "20");
  char *result = slurp(out, NULL);
  int lines = 0;
  for (char *line = result, *nl; (nl = strchr(line, '\n')); line = nl + 1) {
    assert_true(width_of(line, (size_t)(nl - line)) <= 20);
    lines++;
  }
  assert_true(lines >= 5);
  free(result);
}

/* ---- Nothing lost --------------------------------------------------------- */

static void assert_words_kept(fixture *f, const char *in) {
  char out[256];
  snprintf(out, sizeof out, "%s/words.txt", f->dir);
  to_txt(f, in, out, NULL);
  char *a = normalized_input(in), *b = slurp(out, NULL);
  assert_same_words(in, a, b);
  free(a);
  free(b);
}

static void test_every_word_is_kept_in_order_through_txt(void **state) {
  char path[512];
  for (size_t i = 0; i < sizeof corpus_files / sizeof *corpus_files; i++) {
    snprintf(path, sizeof path, CORPUS "%s", corpus_files[i]);
    assert_words_kept(*state, path);
  }
  for (size_t i = 0; i < sizeof test_texts / sizeof *test_texts; i++) {
    snprintf(path, sizeof path, DATA "%s", test_texts[i]);
    assert_words_kept(*state, path);
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup_teardown(name, fixture_setup, fixture_teardown)
      T(test_hard_wrapped_lines_join_into_paragraphs),
      T(test_one_paragraph_per_line_gives_a_paragraph_each),
      T(test_short_first_line_is_the_title),
      T(test_title_falls_back_to_the_file_name),
      T(test_corpus_one_per_line_article_has_a_paragraph_per_line),
      T(test_corpus_headings_and_bullet_list_are_found),
      T(test_long_line_without_final_period_is_a_paragraph),
      T(test_date_line_at_the_top_becomes_the_date),
      T(test_consecutive_marked_lines_form_lists),
      T(test_lone_numbered_line_in_prose_stays_prose),
      T(test_setext_underlines_and_rules),
      T(test_backslash_escaped_quotes_lose_the_backslash),
      T(test_windows_1252_file_is_decoded),
      T(test_bad_utf8_becomes_replacement_with_offset),
      T(test_bom_crlf_and_cr_are_normalized),
      T(test_trailing_spaces_are_dropped),
      T(test_empty_and_blank_files_give_empty_documents),
      T(test_single_line_file),
      T(test_nul_and_control_bytes_are_dropped_with_warning),
      T(test_text_is_normalized_to_nfc),
      T(test_writer_underlines_title_and_headings),
      T(test_writer_marks_list_items),
      T(test_txt_to_txt_twice_is_byte_identical),
      T(test_columns_wrap_at_display_width),
      T(test_every_word_is_kept_in_order_through_txt),
#undef T
  };
  return test_main_status(
      cmocka_run_group_tests_name("txt", tests, NULL, NULL));
}
