/* test_pandoc_model2.c - the pandoc-json format maps Model 2 one to one
 * to pandoc's AST (docs/formats/pandoc-json.md): pandoc's documents come
 * back from quire as they were, quire's documents come back from pandoc
 * as they were but for what pandoc cannot hold, and pandoc renders what
 * quire writes: notes, definition lists, table spans.  The tests that run
 * pandoc skip where it is missing; the test suite's where ../shared is. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <jansson.h>
#include <quire/quire.h>

#include "conv.h"
#include "model_dump.h"
#include "pandoc_run.h"
#include "session_fixture.h"
#include "skip_note.h"

#define FORMAT "pandoc-json"
#define MODEL2 "tests/data/json/model2.json"
/* Made by pandoc 2.17 (`pandoc -f native -t json -s`) from
 * every-element.native; the 1.23 one is the same with its two figures as
 * pandoc 3 writes Figure. */
#define EVERY_122 "tests/data/pandoc/every-element-1.22.json"
#define EVERY_123 "tests/data/pandoc/every-element-1.23.json"
#define TESTSUITE "../shared/peers/pandoc/testsuite.txt"

/* ---- Helpers ----------------------------------------------------------------- */

static char *file_text(const char *path) {
  FILE *fp = fopen(path, "rb");
  assert_non_null(fp);
  fseek(fp, 0, SEEK_END);
  long n = ftell(fp);
  fseek(fp, 0, SEEK_SET);
  char *s = malloc((size_t)n + 1);
  assert_non_null(s);
  assert_int_equal(fread(s, 1, (size_t)n, fp), (size_t)n);
  s[n] = '\0';
  fclose(fp);
  return s;
}

/* data read as `from` and written as `to`, with --pandoc-api api (NULL:
 * the default). */
static char *convert(fixture *f, const char *data, const char *from,
                     const char *to, const char *api) {
  quire_source src = {.name = "mem", .format = from, .data = data,
                      .len = strlen(data)};
  quire_option opt = {"pandoc-api", api};
  conv c = {.src = &src, .from = from, .to = to, .opts = api ? &opt : NULL,
            .n_opts = api != NULL};
  return conv_must(f, &c, NULL);
}

static quire_doc *read_doc(fixture *f, const char *data, const char *from) {
  quire_source src = {.name = "mem", .format = from, .data = data,
                      .len = strlen(data)};
  quire_reader *r = NULL;
  if (quire_reader_open_source(f->s, &src, NULL, &r) != QUIRE_OK)
    fail_msg("cannot open: %s", quire_error_get(f->s)->message);
  quire_doc *doc = NULL;
  if (quire_reader_next(r, &doc) != QUIRE_OK)
    fail_msg("cannot read: %s", quire_reader_error(r)->message);
  quire_reader_free(r);
  return doc;
}

static json_t *parse(const char *s) {
  json_error_t err;
  json_t *v = json_loads(s, 0, &err);
  if (!v)
    fail_msg("not JSON: line %d: %s", err.line, err.text);
  return v;
}

/* Fails, showing where, unless the two JSON values are equal. */
static void assert_same_json(const char *what, const json_t *a,
                             const json_t *b) {
  if (json_equal(a, b))
    return;
  char *x = json_dumps(a, JSON_COMPACT), *y = json_dumps(b, JSON_COMPACT);
  size_t i = 0;
  while (x[i] && x[i] == y[i])
    i++;
  size_t from = i > 80 ? i - 80 : 0;
  fail_msg("%s: the JSON differs at byte %zu:\n  expected: ...%.200s\n  "
           "got:      ...%.200s",
           what, i, x + from, y + from);
}

/* ---- What quire documents as lost, applied to pandoc's JSON ------------------ */

static void norm_blocks(json_t *list, int plain_ok);

static const char *tag(const json_t *el) {
  return json_string_value(json_object_get(el, "t"));
}

static int is(const char *t, const char *name) {
  return t && strcmp(t, name) == 0;
}

/* Adjacent Str elements as one (quire's text is one node), and the
 * same in the inlines' inlines. */
static void norm_inlines(json_t *list) {
  for (size_t i = 0; i < json_array_size(list);) {
    json_t *el = json_array_get(list, i);
    json_t *next = json_array_get(list, i + 1);
    const char *t = tag(el);
    json_t *c = json_object_get(el, "c");
    if (is(t, "Str") && is(tag(next), "Str")) {
      char *joined = malloc(json_string_length(c) +
                            json_string_length(json_object_get(next, "c")) + 1);
      assert_non_null(joined);
      strcpy(joined, json_string_value(c));
      strcat(joined, json_string_value(json_object_get(next, "c")));
      json_object_set_new(el, "c", json_string(joined));
      free(joined);
      json_array_remove(list, i + 1);
      continue;
    }
    if (is(t, "Emph") || is(t, "Strong") || is(t, "Strikeout") ||
        is(t, "Superscript") || is(t, "Subscript") || is(t, "SmallCaps") ||
        is(t, "Underline"))
      norm_inlines(c);
    else if (is(t, "Quoted") || is(t, "Span") || is(t, "Link") ||
             is(t, "Image") || is(t, "Cite"))
      norm_inlines(json_array_get(c, 1));
    else if (is(t, "Note"))
      norm_blocks(c, 0);
    i++;
  }
}

static void norm_rows(json_t *rows) {
  size_t i, k;
  json_t *row, *cell;
  json_array_foreach(rows, i, row)
    json_array_foreach(json_array_get(row, 1), k, cell)
      norm_blocks(json_array_get(cell, 4), 1);
}

/* Plain where quire has no tightness (a Div, a block quote, a note, the
 * top level) is a Para: the model's paragraph does not say. */
static void norm_blocks(json_t *list, int plain_ok) {
  size_t i, k;
  json_t *el, *x;
  json_array_foreach(list, i, el) {
    const char *t = tag(el);
    json_t *c = json_object_get(el, "c");
    if (is(t, "Plain") && !plain_ok) {
      json_object_set_new(el, "t", json_string("Para"));
      t = "Para";
    }
    if (is(t, "Para") || is(t, "Plain"))
      norm_inlines(c);
    else if (is(t, "Header"))
      norm_inlines(json_array_get(c, 2));
    else if (is(t, "LineBlock"))
      json_array_foreach(c, k, x) norm_inlines(x);
    else if (is(t, "BlockQuote"))
      norm_blocks(c, 0);
    else if (is(t, "Div"))
      norm_blocks(json_array_get(c, 1), 0);
    else if (is(t, "BulletList"))
      json_array_foreach(c, k, x) norm_blocks(x, 1);
    else if (is(t, "OrderedList"))
      json_array_foreach(json_array_get(c, 1), k, x) norm_blocks(x, 1);
    else if (is(t, "DefinitionList"))
      json_array_foreach(c, k, x) {
        norm_inlines(json_array_get(x, 0));
        size_t m;
        json_t *def;
        json_array_foreach(json_array_get(x, 1), m, def) norm_blocks(def, 1);
      }
    else if (is(t, "Figure")) {
      norm_blocks(json_array_get(json_array_get(c, 1), 1), 1);
      norm_blocks(json_array_get(c, 2), 1);
    } else if (is(t, "Table")) {
      norm_blocks(json_array_get(json_array_get(c, 1), 1), 1);
      norm_rows(json_array_get(json_array_get(c, 3), 1));
      json_array_foreach(json_array_get(c, 4), k, x) {
        norm_rows(json_array_get(x, 2));
        norm_rows(json_array_get(x, 3));
      }
      norm_rows(json_array_get(json_array_get(c, 5), 1));
    }
  }
}

/* ---- pandoc's documents -------------------------------------------------------- */

/* pandoc's document of every element, read by quire and written back in
 * the same API version, is the same JSON: nothing lost, nothing warned. */
static void assert_comes_back(fixture *f, const char *path, const char *api) {
  char *in = file_text(path);
  char *out = convert(f, in, FORMAT, FORMAT, api);
  json_t *a = parse(in), *b = parse(out);
  assert_same_json(path, json_object_get(a, "blocks"),
                   json_object_get(b, "blocks"));
  assert_same_json(path, json_object_get(a, "pandoc-api-version"),
                   json_object_get(b, "pandoc-api-version"));
  if (f->n_warnings)
    fail_msg("%s: warnings: %s", path, f->warnings);
  /* Once more: the same bytes. */
  char *again = convert(f, out, FORMAT, FORMAT, api);
  assert_string_equal(out, again);
  json_decref(a);
  json_decref(b);
  free(again);
  free(out);
  free(in);
}

static void test_pandoc_documents_of_every_element_come_back_the_same(
    void **state) {
  fixture *f = *state;
  assert_comes_back(f, EVERY_122, "1.22");
  assert_comes_back(f, EVERY_123, "1.23");
}

/* pandoc's Markdown test suite through pandoc's JSON, quire, and
 * pandoc-json again is pandoc's JSON, but for what quire documents as
 * lost (Plain outside lists, definitions, figures, captions and cells
 * read as a paragraph, written as Para) and for text split otherwise. */
static void test_pandoc_testsuite_comes_back_as_pandoc_wrote_it(void **state) {
  fixture *f = *state;
  require_pandoc();
  if (access(TESTSUITE, R_OK) != 0)
    test_skip("%s not found", TESTSUITE);
  char *in = run_pandoc(NULL, "-f", "markdown", "-t", "json", TESTSUITE,
                        (const char *)NULL);
  char *out = convert(f, in, FORMAT, FORMAT, "1.22");
  json_t *a = parse(in), *b = parse(out);
  json_t *x = json_object_get(a, "blocks"), *y = json_object_get(b, "blocks");
  norm_blocks(x, 0);
  norm_blocks(y, 0);
  assert_true(json_array_size(x) > 100);
  assert_same_json("testsuite.txt", x, y);
  /* Its title, authors and date, as pandoc wrote them. */
  static const char *const keys[] = {"title", "author", "date"};
  for (size_t i = 0; i < 3; i++)
    assert_same_json(keys[i],
                     json_object_get(json_object_get(a, "meta"), keys[i]),
                     json_object_get(json_object_get(b, "meta"), keys[i]));
  assert_int_equal(f->n_warnings, 0);
  json_decref(a);
  json_decref(b);
  free(in);
  free(out);
}

/* ---- quire's documents ---------------------------------------------------------- */

/* A document of every Model 2 node through pandoc-json and back is the
 * same document, but for what pandoc has no place for; written again it
 * is the same JSON. */
static void test_model_2_document_comes_back_from_pandoc_json(void **state) {
  fixture *f = *state;
  char *in = file_text(MODEL2);
  quire_doc *doc = read_doc(f, in, "json");
  char *want = model_dump(doc, DUMP_PANDOC);
  static const char *const apis[] = {"1.22", "1.23"};
  for (size_t i = 0; i < 2; i++) {
    char *p = convert(f, in, "json", FORMAT, apis[i]);
    quire_doc *back = read_doc(f, p, FORMAT);
    char *got = model_dump(back, DUMP_PANDOC);
    model_dump_assert_same(apis[i], want, got);
    char *again = convert(f, p, FORMAT, FORMAT, apis[i]);
    assert_string_equal(p, again);
    free(again);
    free(got);
    quire_doc_free(back);
    free(p);
  }
  free(want);
  quire_doc_free(doc);
  free(in);
}

/* pandoc reads what quire writes of every Model 2 node, renders its
 * notes, definition lists, table spans and the rest, and its own round
 * trip gives quire back the same document. */
static void test_pandoc_renders_quire_model_2_output(void **state) {
  fixture *f = *state;
  require_pandoc();
  char *in = file_text(MODEL2);
  char *p = convert(f, in, "json", FORMAT, "1.22");
  char *native = run_pandoc(p, "-f", "json", "-t", "native",
                            (const char *)NULL);
  static const char *const in_native[] = {
      "Note", "DefinitionList", "LineBlock", "Strikeout", "SmallCaps",
      "Quoted SingleQuote", "Math DisplayMath", "(RowSpan 2)", "(ColSpan 2)",
      "(RowHeadColumns 1)", "TableFoot", "ColWidth 0.25", "Span"};
  for (size_t i = 0; i < sizeof in_native / sizeof *in_native; i++)
    if (!strstr(native, in_native[i]))
      fail_msg("'%s' not in pandoc's native:\n%.2000s", in_native[i], native);
  char *html = run_pandoc(p, "-f", "json", "-t", "html", (const char *)NULL);
  static const char *const in_html[] = {
      "class=\"footnote-ref\"", "<li id=\"fn1\"", "<dl>", "<dt>apple</dt>",
      "colspan=\"2\"", "rowspan=\"2\"", "<thead id=\"th\"", "<tfoot>",
      "<del>struck</del>", "<sup>2</sup>", "<sub>2</sub>",
      "class=\"smallcaps\"", "<u>underlined</u>", "class=\"line-block\"",
      "id=\"d1\" class=\"aside warning\" role=\"note\"", "data-x=\"y\"",
      "<caption>Table 1: spans</caption>", "class=\"figure wide\"",
      "<ol start=\"3\" type=\"i\">", "<section id=\"ch1\""};
  for (size_t i = 0; i < sizeof in_html / sizeof *in_html; i++)
    if (!strstr(html, in_html[i]))
      fail_msg("'%s' not in pandoc's HTML:\n%.3000s", in_html[i], html);
  char *again = run_pandoc(p, "-f", "json", "-t", "json", (const char *)NULL);
  quire_doc *a = read_doc(f, p, FORMAT), *b = read_doc(f, again, FORMAT);
  char *x = model_dump(a, DUMP_PANDOC), *y = model_dump(b, DUMP_PANDOC);
  model_dump_assert_same("through pandoc -f json -t json", x, y);
  free(x);
  free(y);
  quire_doc_free(a);
  quire_doc_free(b);
  free(again);
  free(html);
  free(native);
  free(p);
  free(in);
}

/* Resources are not part of pandoc's JSON: an image keeps its url as it
 * is, and its bytes stay behind. */
static void test_images_keep_their_urls_and_resources_stay_behind(
    void **state) {
  fixture *f = *state;
  char *in = file_text(MODEL2);
  char *p = convert(f, in, "json", FORMAT, NULL);
  assert_non_null(strstr(p, "[\"images/dot.png\",\"A dot\"]"));
  assert_null(strstr(p, "iVBORw0KGgo"));
  quire_doc *back = read_doc(f, p, FORMAT);
  assert_null(back->resources);
  quire_doc_free(back);
  free(p);
  free(in);
}

int main(void) {
  test_filters_from_env();
  const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup_teardown(name, fixture_setup, fixture_teardown)
      T(test_pandoc_documents_of_every_element_come_back_the_same),
      T(test_pandoc_testsuite_comes_back_as_pandoc_wrote_it),
      T(test_model_2_document_comes_back_from_pandoc_json),
      T(test_pandoc_renders_quire_model_2_output),
      T(test_images_keep_their_urls_and_resources_stay_behind),
#undef T
  };
  return test_main_status(cmocka_run_group_tests(tests, NULL, NULL));
}
