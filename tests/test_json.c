/* test_json.c - the json and jsonl formats: lossless round trips, the
 * fields corpus pipelines read, records of other tools, versions, and
 * errors that name their place. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <dirent.h>
#include <jansson.h>
#include <quire/quire.h>

#include "session_fixture.h"
#include "skip_note.h"

#define SRC QUIRE_SOURCE_DIR "/"

/* Every input the tests hold that quire reads: the corpus, the text and
 * HTML test inputs, and the pages of the clean evaluation set. */
static const char *const inputs[] = {
    "corpus/000_89428971a2145b71.txt",
    "corpus/001_0bd458d27c3695d7.txt",
    "corpus/002_b5077d99cde6bffe.txt",
    "corpus/003_cd26fc48bba5cb47.txt",
    "corpus/004_feb5dc2e932a1913.txt",
    "tests/data/text/lists.txt",
    "tests/data/text/markdown_like.txt",
    "tests/data/text/one_per_line.txt",
    "tests/data/text/setext.txt",
    "tests/data/text/wrapped.txt",
    "tests/data/html/features.html",
};

/* One conversion to memory.  Inputs are files (paths), or one memory
 * source when src is given.  Returns the output (the caller frees it), or
 * NULL with *st telling why. */
typedef struct conv {
  const char *const *paths;
  size_t n_paths;
  const quire_source *src;
  const char *from, *to;
  const quire_option *opts;
  size_t n_opts;
  int keep_going;
  const char *const *transforms;
  size_t n_transforms;
} conv;

static char *convert(fixture *f, const conv *c, quire_status *st,
                     size_t *len) {
  char *out = NULL;
  size_t n = 0;
  quire_job job = {.inputs = c->paths, .n_inputs = c->n_paths,
                   .sources = c->src, .n_sources = c->src ? 1 : 0,
                   .from = c->from, .to = c->to,
                   .options = c->opts, .n_options = c->n_opts,
                   .transforms = c->transforms,
                   .n_transforms = c->n_transforms,
                   .output_data = &out, .output_len = &n,
                   .keep_going = c->keep_going, .status = st};
  (void)f;
  memset(st, 0, sizeof *st);
  quire_convert(f->s, &job);
  if (len)
    *len = n;
  return out;
}

/* Converts, failing the test on error. */
static char *must(fixture *f, const conv *c, size_t *len) {
  quire_status st;
  char *out = convert(f, c, &st, len);
  if (!out || st.result < QUIRE_OK)
    fail_msg("conversion to %s failed: %s", c->to, st.error.message);
  return out;
}

static char *from_memory(fixture *f, const char *data, const char *from,
                         const char *to, quire_status *st) {
  quire_source src = {.name = "mem.json", .format = from, .data = data,
                      .len = strlen(data)};
  conv c = {.src = &src, .to = to};
  return convert(f, &c, st, NULL);
}

static json_t *parse(const char *s) {
  json_error_t err;
  json_t *v = json_loads(s, 0, &err);
  if (!v)
    fail_msg("output is not JSON: line %d: %s", err.line, err.text);
  return v;
}

/* ---- Lossless ---------------------------------------------------------- */

/* Writing txt, html, epub, json and jsonl from the JSON of `input` gives
 * the same bytes as writing them from the input. */
static void assert_round_trip(fixture *f, const char *input) {
  static const char *const targets[] = {"txt", "html", "epub", "json",
                                        "jsonl"};
  const char *path[] = {input};
  for (int lines = 0; lines < 2; lines++) {
    conv to_json = {.paths = path, .n_paths = 1,
                    .to = lines ? "jsonl" : "json"};
    size_t jlen;
    char *json = must(f, &to_json, &jlen);
    quire_source src = {.name = lines ? "doc.jsonl" : "doc.json",
                        .data = json, .len = jlen};
    for (size_t t = 0; t < sizeof targets / sizeof targets[0]; t++) {
      conv direct = {.paths = path, .n_paths = 1, .to = targets[t]};
      conv via = {.src = &src, .to = targets[t]};
      size_t a_len, b_len;
      char *a = must(f, &direct, &a_len);
      char *b = must(f, &via, &b_len);
      if (a_len != b_len || memcmp(a, b, a_len) != 0)
        fail_msg("%s: %s through %s differs from the direct conversion "
                 "(%zu vs %zu bytes)",
                 input, targets[t], lines ? "jsonl" : "json", a_len, b_len);
      free(a);
      free(b);
    }
    free(json);
  }
}

/* Every test input, and every page of the clean evaluation set as HTML
 * and as text. */
static void test_json_round_trip_gives_the_same_bytes(void **state) {
  fixture *f = *state;
  for (size_t i = 0; i < sizeof inputs / sizeof inputs[0]; i++)
    assert_round_trip(f, inputs[i]);
  const char *pages = "tests/data/clean/pages";
  DIR *dir = opendir(pages);
  assert_non_null(dir);
  size_t n = 0;
  for (struct dirent *e; (e = readdir(dir)) != NULL;) {
    if (e->d_name[0] == '.')
      continue;
    static const char *const files[] = {"source.html", "source.txt"};
    for (size_t k = 0; k < 2; k++) {
      char path[512];
      snprintf(path, sizeof path, "%s/%s/%s", pages, e->d_name, files[k]);
      assert_round_trip(f, path);
      n++;
    }
  }
  closedir(dir);
  assert_true(n >= 60);
}

/* The corpus as one book: through jsonl the same EPUB, byte for byte. */
static void test_corpus_book_through_jsonl_is_the_same(void **state) {
  fixture *f = *state;
  const char *corpus[] = {"corpus"};
  conv direct = {.paths = corpus, .n_paths = 1, .to = "epub"};
  conv lines = {.paths = corpus, .n_paths = 1, .to = "jsonl"};
  size_t a_len, b_len, j_len;
  char *a = must(f, &direct, &a_len);
  char *j = must(f, &lines, &j_len);
  quire_source src = {.name = "corpus.jsonl", .data = j, .len = j_len};
  conv via = {.src = &src, .to = "epub"};
  char *b = must(f, &via, &b_len);
  assert_int_equal(a_len, b_len);
  assert_memory_equal(a, b, a_len);
  free(a);
  free(b);
  free(j);
}

/* ---- What pipelines read ------------------------------------------------ */

static void test_corpus_jsonl_has_a_line_per_article(void **state) {
  fixture *f = *state;
  const char *corpus[] = {"corpus"};
  const char *const no_clean[] = {"clean"};
  for (int clean = 0; clean < 2; clean++) {
    conv c = {.paths = corpus, .n_paths = 1, .to = "jsonl",
              .transforms = no_clean, .n_transforms = (size_t)clean};
    char *out = must(f, &c, NULL);
    char *save, *line = strtok_r(out, "\n", &save);
    size_t n = 0;
    for (; line; line = strtok_r(NULL, "\n", &save), n++) {
      json_t *doc = parse(line);
      const char *id = json_string_value(json_object_get(doc, "id"));
      const char *title = json_string_value(json_object_get(doc, "title"));
      const char *text = json_string_value(json_object_get(doc, "text"));
      const char *source = json_string_value(json_object_get(doc, "source"));
      assert_non_null(id);
      assert_non_null(title);
      assert_non_null(text);
      /* The id is the input's path: stable, and readable. */
      assert_string_equal(id, source);
      assert_non_null(strstr(id, "corpus/00"));
      assert_true(json_is_array(json_object_get(doc, "blocks")));
      assert_string_equal(
          json_string_value(json_object_get(json_object_get(doc, "meta"),
                                            "title")),
          title);
      /* Text is text: no markup, blocks apart by blank lines. */
      assert_null(strchr(text, '<'));
      assert_non_null(strstr(text, "\n\n"));
      if (clean) {
        /* Cleaned, every article is titled by its headline. */
        assert_null(strstr(title, "000_"));
        assert_null(strstr(text, "Subscribe Here"));
      }
      json_decref(doc);
    }
    assert_int_equal(n, 5);
    free(out);
  }
}

static void test_the_same_input_gives_the_same_ids(void **state) {
  fixture *f = *state;
  const char *corpus[] = {"corpus"};
  quire_option fields = {"jsonl-fields", "id"};
  conv c = {.paths = corpus, .n_paths = 1, .to = "jsonl", .opts = &fields,
            .n_opts = 1};
  char *a = must(f, &c, NULL);
  char *b = must(f, &c, NULL);
  assert_string_equal(a, b);
  assert_int_equal(strncmp(a, "{\"id\":\"corpus/000_89428971a2145b71.txt\"}\n",
                           40),
                   0);
  free(a);
  free(b);
}

static void test_fields_option_chooses_fields_in_order(void **state) {
  fixture *f = *state;
  const char *path[] = {inputs[2]};
  quire_option fields = {"jsonl-fields", "text,title,id"};
  conv c = {.paths = path, .n_paths = 1, .to = "jsonl", .opts = &fields,
            .n_opts = 1};
  char *out = must(f, &c, NULL);
  json_t *doc = parse(out);
  assert_int_equal(json_object_size(doc), 3);
  const char *key;
  json_t *v;
  const char *order[] = {"id", "title", "text"};
  size_t k = 0;
  json_object_foreach(doc, key, v) assert_string_equal(key, order[k++]);
  assert_string_equal(json_string_value(json_object_get(doc, "title")),
                      "Military Update: Ceasefire Reached in Nagorno-Karabakh "
                      "Under Russian Mediation");
  json_decref(doc);
  free(out);
  quire_status st;
  quire_option bad = {"jsonl-fields", "id,body"};
  conv b = {.paths = path, .n_paths = 1, .to = "jsonl", .opts = &bad,
            .n_opts = 1};
  assert_null(convert(f, &b, &st, NULL));
  assert_non_null(strstr(st.error.message, "body"));
}

static void test_json_is_an_object_for_one_document_an_array_for_more(
    void **state) {
  fixture *f = *state;
  const char *one[] = {inputs[0]};
  const char *corpus[] = {"corpus"};
  conv c1 = {.paths = one, .n_paths = 1, .to = "json"};
  conv c5 = {.paths = corpus, .n_paths = 1, .to = "json"};
  char *a = must(f, &c1, NULL);
  char *b = must(f, &c5, NULL);
  json_t *va = parse(a), *vb = parse(b);
  assert_true(json_is_object(va));
  assert_string_equal(json_string_value(json_object_get(va, "quire")), "1.1");
  assert_true(json_is_array(vb));
  assert_int_equal(json_array_size(vb), 5);
  json_decref(va);
  json_decref(vb);
  free(a);
  free(b);
}

/* Lists a line each, cells apart by tabs, paragraphs by blank lines. */
static void test_text_field_is_plain_text(void **state) {
  fixture *f = *state;
  const char *doc =
      "{\"quire\":\"1.0\",\"blocks\":["
      "{\"type\":\"heading\",\"level\":1,\"content\":[\"Title\"]},"
      "{\"type\":\"paragraph\",\"content\":[\"One \",{\"type\":\"emph\","
      "\"content\":[\"two\"]},{\"type\":\"soft_break\"},\"three\"]},"
      "{\"type\":\"bullet_list\",\"content\":["
      "{\"type\":\"item\",\"content\":[{\"type\":\"paragraph\",\"content\":"
      "[\"a\"]}]},{\"type\":\"item\",\"content\":[{\"type\":\"paragraph\","
      "\"content\":[\"b\"]}]}]},"
      "{\"type\":\"table\",\"content\":[{\"type\":\"table_row\",\"content\":["
      "{\"type\":\"table_cell\",\"content\":[\"x\"]},{\"type\":\"table_cell\","
      "\"align\":\"right\",\"content\":[\"y\"]}]}]},"
      "{\"type\":\"raw_block\",\"format\":\"html\",\"text\":\"<hr>\"},"
      "{\"type\":\"code_block\",\"language\":\"c\",\"text\":\"int x;\\n\"}]}";
  quire_status st;
  char *out = from_memory(f, doc, "json", "jsonl", &st);
  assert_non_null(out);
  json_t *v = parse(out);
  assert_string_equal(json_string_value(json_object_get(v, "text")),
                      "Title\n\nOne two three\n\na\nb\n\nx\ty\n\nint x;");
  json_decref(v);
  free(out);
}

/* ---- Records of other tools ---------------------------------------------- */

static void test_records_with_text_are_read(void **state) {
  fixture *f = *state;
  const char *lines =
      "{\"id\":\"rec-1\",\"text\":\"First para.\\n\\nSecond para\\nline two\","
      "\"url\":\"https://example.org/a\",\"lang\":\"fr\","
      "\"n\":9223372036854775807,\"score\":0.1,\"ok\":true,"
      "\"metadata\":{\"tags\":[\"x\",\"y\"]}}\n"
      "{\"id\":7,\"text\":\"Only one.\"}\n";
  quire_status st;
  quire_option fields = {"jsonl-fields", "id,language,url,text,meta"};
  quire_source src = {.name = "r.jsonl", .data = lines, .len = strlen(lines)};
  conv c = {.src = &src, .to = "jsonl", .opts = &fields, .n_opts = 1};
  char *out = convert(f, &c, &st, NULL);
  assert_non_null(out);
  assert_int_equal(st.documents, 2);
  size_t cut = strcspn(out, "\n");
  assert_int_equal(out[cut], '\n');
  out[cut] = '\0';
  json_t *a = parse(out), *b = parse(out + cut + 1);
  assert_string_equal(json_string_value(json_object_get(a, "id")), "rec-1");
  assert_string_equal(json_string_value(json_object_get(a, "language")),
                      "fr");
  assert_string_equal(json_string_value(json_object_get(a, "url")),
                      "https://example.org/a");
  assert_string_equal(json_string_value(json_object_get(a, "text")),
                      "First para.\n\nSecond para line two");
  json_t *meta = json_object_get(a, "meta");
  assert_string_equal(json_string_value(json_object_get(meta, "n")),
                      "9223372036854775807");
  assert_string_equal(json_string_value(json_object_get(meta, "score")),
                      "0.1");
  assert_string_equal(json_string_value(json_object_get(meta, "ok")), "true");
  assert_int_equal(json_array_size(json_object_get(meta, "tags")), 2);
  assert_string_equal(json_string_value(json_object_get(b, "id")), "7");
  json_decref(a);
  json_decref(b);
  free(out);
}

/* ---- Versions ------------------------------------------------------------- */

static void test_newer_minor_is_read_and_unknown_types_keep_content(
    void **state) {
  fixture *f = *state;
  const char *doc =
      "{\"quire\":\"1.4\",\"future_field\":{\"x\":1},\"blocks\":["
      "{\"type\":\"paragraph\",\"future_attrs\":{\"id\":\"p1\"},\"content\":["
      "\"Before \",{\"type\":\"superscript\",\"content\":[\"kept\"]},"
      "\" after\"]},"
      "{\"type\":\"figure\",\"content\":[{\"type\":\"paragraph\","
      "\"content\":[\"caption words\"]}]},"
      "{\"type\":\"kbd\",\"text\":\"E=mc^2\"},"
      "{\"type\":\"subtitle\",\"content\":[\"A subtitle\"]},"
      "{\"type\":\"paragraph\",\"content\":[\"See\",{\"type\":"
      "\"footnote\",\"content\":[{\"type\":\"paragraph\",\"content\":"
      "[\"the note\"]}]}]}]}";
  quire_status st;
  char *out = from_memory(f, doc, "json", "txt", &st);
  assert_non_null(out);
  assert_int_equal(st.result, QUIRE_WARN);
  assert_non_null(strstr(out, "Before kept after"));
  assert_non_null(strstr(out, "caption words"));
  assert_non_null(strstr(out, "E=mc^2"));
  /* Inlines among blocks get a paragraph, blocks among inlines give
   * their text. */
  assert_non_null(strstr(out, "A subtitle"));
  assert_non_null(strstr(out, "See the note"));
  free(out);
}

static void test_other_major_version_is_refused(void **state) {
  fixture *f = *state;
  quire_status st;
  char *out = from_memory(f, "{\"quire\":\"2.0\",\"blocks\":[]}", "json",
                          "txt", &st);
  assert_null(out);
  assert_non_null(strstr(st.error.message, "version 2.0"));
}

/* ---- Errors --------------------------------------------------------------- */

typedef struct bad_case {
  const char *json;
  const char *says;          /* in the message */
  unsigned long line, column;   /* of the value at fault */
} bad_case;

static void test_bad_documents_are_refused_with_their_place(void **state) {
  fixture *f = *state;
  static const bad_case cases[] = {
      {"{\"quire\":\"1.0\",\"blocks\":[{\"type\":\"heading\",\"level\":7,"
       "\"content\":[]}]}",
       "blocks[0].level: 7 is out of range", 1, 52},
      {"{\"quire\":\"1.0\",\"blocks\":[{\"type\":\"paragraph\",\"content\":["
       "{\"type\":\"paragraph\"}]}]}",
       "blocks[0].content[0]: a paragraph cannot hold a paragraph", 1, 57},
      {"{\"quire\":\"1.0\",\"blocks\":[\"loose text\"]}",
       "a document cannot hold text", 1, 26},
      {"{\"quire\":\"1.0\",\"meta\":{\"title\":3},\"blocks\":[]}",
       "meta.title: a number where a string belongs", 1, 32},
      {"{\"quire\":\"1.0\",\"blocks\":[{\"type\":\"code\",\"text\":\"a\\u0000b\"}]}",
       "U+0000", 1, 48},
      {"{\"quire\":\"1.0\"}", "\"blocks\" is missing", 1, 1},
      {"\n\n  {\"quire\":\"1.0\",\"blocks\":[],\"blocks\":[]}",
       "duplicate object key", 3, 37},
      {"{\"quire\":\"1.0\",\n\"blocks\":[}", "invalid JSON", 2, 11},
      {"{\"quire\":\"1.0\",\"blocks\":[]} x", "invalid JSON", 1, 29},
      {"[{\"quire\":\"1.0\",\"blocks\":[]},]", "a value expected after ','",
       1, 30},
      {"{\"quire\":\"1.0\",\"blocks\":[\"caf\xc3", "invalid JSON", 1, 0},
      {"", "invalid JSON", 1, 1},
      {"{\"a\":1}", "neither", 1, 1},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    quire_status st;
    char *out = from_memory(f, cases[i].json, "json", "txt", &st);
    if (out)
      fail_msg("case %zu was accepted", i);
    if (!strstr(st.error.message, cases[i].says))
      fail_msg("case %zu: \"%s\" does not say \"%s\"", i, st.error.message,
               cases[i].says);
    assert_string_equal(st.error.file, "mem.json");
    if (st.error.line != cases[i].line ||
        (cases[i].column && st.error.column != cases[i].column))
      fail_msg("case %zu: placed at %lu:%lu, not %lu:%lu", i, st.error.line,
               st.error.column, cases[i].line, cases[i].column);
  }
}

/* A bad line fails its document; with keep-going the others convert. */
static void test_bad_jsonl_line_fails_alone_with_keep_going(void **state) {
  fixture *f = *state;
  const char *lines = "{\"text\":\"one\"}\n"
                      "{\"text\":\"two\"}\n"
                      "{\"text\": \"three\",}\n"
                      "{\"quire\":\"1.0\",\"blocks\":[{\"type\":\"x_y\"}],"
                      "\"meta\":[]}\n"
                      "{\"text\":\"five\"}\n";
  quire_source src = {.name = "in.jsonl", .data = lines, .len = strlen(lines)};
  conv c = {.src = &src, .to = "txt"};
  quire_status st;
  char *out = convert(f, &c, &st, NULL);
  assert_null(out);
  assert_int_equal(st.error.line, 3);
  c.keep_going = 1;
  out = convert(f, &c, &st, NULL);
  assert_non_null(out);
  assert_int_equal(st.result, QUIRE_FAILED);
  assert_int_equal(st.failed, 2);
  assert_int_equal(st.documents, 3);
  assert_int_equal(st.error.line, 3);
  assert_non_null(strstr(out, "one"));
  assert_non_null(strstr(out, "two"));
  assert_non_null(strstr(out, "five"));
  free(out);
}

/* Values longer than the reader's buffer, and characters cut by its
 * edge, read whole. */
static void test_long_lines_and_characters_across_buffers(void **state) {
  fixture *f = *state;
  size_t n = 300000;
  char *big = malloc(n * 2 + 64);
  size_t k = (size_t)sprintf(big, "{\"text\":\"");
  for (size_t i = 0; i < n / 2; i++) {
    memcpy(big + k, "\xc3\xa9", 2);   /* é, two bytes */
    k += 2;
    if (i % 7 == 6)
      big[k++] = ' ';
  }
  k += (size_t)sprintf(big + k, "\"}\n{\"text\":\"end\"}\n");
  quire_source src = {.name = "big.jsonl", .data = big, .len = k};
  conv c = {.src = &src, .to = "jsonl"};
  quire_status st;
  char *out = convert(f, &c, &st, NULL);
  assert_non_null(out);
  assert_int_equal(st.documents, 2);
  assert_non_null(strstr(out, "\"text\":\"end\""));
  assert_non_null(strstr(out, "\xc3\xa9\xc3\xa9"));
  free(out);
  free(big);
}

int main(void) {
  test_filters_from_env();
  /* EPUBs carry their build time; the same time makes the same bytes. */
  setenv("SOURCE_DATE_EPOCH", "1700000000", 1);
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_json_round_trip_gives_the_same_bytes,
                                      fixture_setup, fixture_teardown),
      cmocka_unit_test_setup_teardown(test_corpus_book_through_jsonl_is_the_same,
                                      fixture_setup, fixture_teardown),
      cmocka_unit_test_setup_teardown(test_corpus_jsonl_has_a_line_per_article,
                                      fixture_setup, fixture_teardown),
      cmocka_unit_test_setup_teardown(test_the_same_input_gives_the_same_ids,
                                      fixture_setup, fixture_teardown),
      cmocka_unit_test_setup_teardown(test_fields_option_chooses_fields_in_order,
                                      fixture_setup, fixture_teardown),
      cmocka_unit_test_setup_teardown(
          test_json_is_an_object_for_one_document_an_array_for_more,
          fixture_setup, fixture_teardown),
      cmocka_unit_test_setup_teardown(test_text_field_is_plain_text,
                                      fixture_setup, fixture_teardown),
      cmocka_unit_test_setup_teardown(test_records_with_text_are_read,
                                      fixture_setup, fixture_teardown),
      cmocka_unit_test_setup_teardown(
          test_newer_minor_is_read_and_unknown_types_keep_content,
          fixture_setup, fixture_teardown),
      cmocka_unit_test_setup_teardown(test_other_major_version_is_refused,
                                      fixture_setup, fixture_teardown),
      cmocka_unit_test_setup_teardown(
          test_bad_documents_are_refused_with_their_place, fixture_setup,
          fixture_teardown),
      cmocka_unit_test_setup_teardown(
          test_bad_jsonl_line_fails_alone_with_keep_going, fixture_setup,
          fixture_teardown),
      cmocka_unit_test_setup_teardown(
          test_long_lines_and_characters_across_buffers, fixture_setup,
          fixture_teardown),
  };
  return test_main_status(cmocka_run_group_tests(tests, NULL, NULL));
}
