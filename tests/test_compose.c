/* test_compose.c - formats that contain formats, and conversions with no
 * file: sub-inputs a reader hands the core (the example pack format of
 * docs/examples/pack.c), renderings through another writer, memory and
 * streams in and out, and handles that refuse to be misused. */
#define _GNU_SOURCE   /* memmem */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "skip_note.h"

#include "session_fixture.h"

#define PLUGINS QUIRE_TEST_PLUGIN_DIR

static int setup(void **state) {
  int rc = fixture_setup(state);
  fixture *f = *state;
  assert_int_equal(quire_load_plugin_file(f->s, PLUGINS "/pack.so"), QUIRE_OK);
  return rc;
}

/* Converts one in-memory file to `to`, in memory: the result (the caller
 * frees it), or NULL with the failure in *st. */
static char *convert_buffer(fixture *f, const char *name, const char *bytes,
                            const char *to, const quire_option *opts,
                            size_t n_opts, quire_status *st) {
  quire_source src = {.name = name, .data = bytes, .len = strlen(bytes)};
  char *out = NULL;
  size_t len = 0;
  quire_job job = {.sources = &src, .n_sources = 1, .to = to,
                   .output_data = &out, .output_len = &len,
                   .options = opts, .n_options = n_opts, .status = st};
  int rc = quire_convert(f->s, &job);
  if (rc < QUIRE_OK) {
    assert_null(out);
    return NULL;
  }
  assert_non_null(out);
  assert_int_equal(strlen(out), len);
  return out;
}

static void assert_has(const char *text, const char *part) {
  if (!strstr(text, part))
    fail_msg("expected \"%s\" in:\n%s", part, text);
}

/* A pack of the given name/bytes pairs, NULL-terminated; the caller frees
 * it. */
static char *make_pack(const char *first, ...) {
  size_t cap = 1 << 16;
  char *p = malloc(cap);
  assert_non_null(p);
  size_t n = (size_t)snprintf(p, cap, "QPACK 1\n");
  va_list ap;
  va_start(ap, first);
  for (const char *name = first; name; name = va_arg(ap, const char *)) {
    const char *bytes = va_arg(ap, const char *);
    n += (size_t)snprintf(p + n, cap - n, "%zu %s\n%s\n", strlen(bytes), name,
                          bytes);
    assert_true(n < cap);
  }
  va_end(ap);
  return p;
}

/* ---- Memory and streams ------------------------------------------------- */

static void test_a_buffer_converts_to_a_buffer(void **state) {
  fixture *f = *state;
  quire_status st;
  char *html = convert_buffer(f, "note.txt",
                              "Hello, world.\n\nA second paragraph.\n", "html",
                              NULL, 0, &st);
  assert_non_null(html);
  assert_int_equal(st.result, QUIRE_OK);
  assert_int_equal(st.documents, 1);
  assert_has(html, "<p>Hello, world.</p>");
  assert_has(html, "<p>A second paragraph.</p>");
  /* no source path: the title is the name given */
  assert_has(html, "<title>note</title>");
  free(html);
}

typedef struct chunks {
  const char *text;
  size_t pos;
} chunks;

/* A stream that gives three bytes at a time. */
static long read_chunks(void *user, void *buf, size_t n) {
  chunks *c = user;
  size_t left = strlen(c->text) - c->pos;
  size_t k = left < 3 ? left : 3;
  if (k > n)
    k = n;
  memcpy(buf, c->text + c->pos, k);
  c->pos += k;
  return (long)k;
}

static void test_a_stream_reads_like_a_file(void **state) {
  fixture *f = *state;
  chunks c = {"Streamed words arrive in small pieces.\n", 0};
  quire_source src = {.name = "stream.txt", .read = read_chunks, .user = &c};
  char *out = NULL;
  size_t len = 0;
  quire_job job = {.sources = &src, .n_sources = 1, .to = "txt",
                   .output_data = &out, .output_len = &len};
  assert_int_equal(quire_convert(f->s, &job), QUIRE_OK);
  assert_string_equal(out, "Streamed words arrive in small pieces.\n");
  free(out);
}

static void test_reader_reads_memory_and_checks_its_state(void **state) {
  fixture *f = *state;
  const char *text = "One paragraph only.\n";
  quire_source src = {.name = "one.txt", .data = text, .len = strlen(text)};
  quire_reader *r = NULL;
  assert_int_equal(quire_reader_open_source(f->s, &src, NULL, &r), QUIRE_OK);
  quire_doc *doc = NULL;
  assert_int_equal(quire_reader_next(r, &doc), QUIRE_OK);
  assert_non_null(doc);
  assert_string_equal(quire_meta_get(doc->meta, QUIRE_META_TITLE), "one");
  quire_doc_free(doc);
  assert_int_equal(quire_reader_next(r, &doc), QUIRE_DONE);
  /* past the end: an error that says so, not undefined behaviour */
  assert_int_equal(quire_reader_next(r, &doc), QUIRE_ERR);
  assert_null(doc);
  assert_non_null(strstr(quire_error_get(f->s)->message, "after the end"));
  assert_int_equal(quire_reader_close(r), QUIRE_OK);
  assert_int_equal(quire_reader_next(r, &doc), QUIRE_ERR);
  assert_non_null(strstr(quire_error_get(f->s)->message, "closed"));
  assert_int_equal(quire_reader_close(r), QUIRE_ERR);
  assert_non_null(strstr(quire_error_get(f->s)->message, "twice"));
  quire_reader_free(r);
}

/* ---- Sub-inputs --------------------------------------------------------- */

static void test_pack_reads_each_file_with_its_own_reader(void **state) {
  fixture *f = *state;
  char *pack = make_pack("a.txt", "Plain words from a text file.\n",
                         "b.html", "<h1>A Page</h1><p>Words <em>from</em> "
                                   "HTML.</p>",
                         NULL);
  quire_status st;
  char *txt = convert_buffer(f, "two.qpack", pack, "txt", NULL, 0, &st);
  assert_non_null(txt);
  assert_int_equal(st.documents, 2);
  assert_has(txt, "Plain words from a text file.");
  /* the HTML reader made a heading of <h1>: txt underlines it */
  assert_has(txt, "A Page\n======");
  assert_has(txt, "Words from HTML.");
  free(txt);
  free(pack);
}

static void test_errors_inside_a_pack_name_the_path_to_them(void **state) {
  fixture *f = *state;
  /* the inner pack announces more bytes than it has */
  char *inner = make_pack("ok.txt", "Fine.\n", NULL);
  size_t n = strlen(inner);
  char *broken = malloc(n + 32);
  assert_non_null(broken);
  snprintf(broken, n + 32, "%s99 cut.txt\nshort\n", inner);
  char *outer = make_pack("inner.qpack", broken, NULL);
  quire_status st;
  assert_null(convert_buffer(f, "outer.qpack", outer, "txt", NULL, 0, &st));
  assert_int_equal(st.result, QUIRE_FATAL);
  assert_string_equal(st.error.file, "outer.qpack!inner.qpack");
  assert_int_equal(st.error.line, 5);
  assert_has(st.error.message, "cut short");
  free(inner);
  free(broken);
  free(outer);
}

static void test_nesting_deeper_than_the_limit_fails(void **state) {
  fixture *f = *state;
  char *inner = make_pack("deep.txt", "Deep down.\n", NULL);
  char *outer = make_pack("inner.qpack", inner, NULL);
  quire_status st;
  char *ok = convert_buffer(f, "outer.qpack", outer, "txt", NULL, 0, &st);
  assert_non_null(ok);
  assert_has(ok, "Deep down.");
  free(ok);
  assert_int_equal(quire_limit_set(f->s, "max-nesting", 1), QUIRE_OK);
  assert_null(convert_buffer(f, "outer.qpack", outer, "txt", NULL, 0, &st));
  assert_has(st.error.message, "max-nesting");
  assert_string_equal(st.error.file, "outer.qpack!inner.qpack!deep.txt");
  free(inner);
  free(outer);
}

/* ---- Rendering through another writer ------------------------------------ */

static void test_writer_renders_through_another_writer(void **state) {
  fixture *f = *state;
  quire_option opt = {"pack-format", "html"};
  quire_status st;
  char *pack = convert_buffer(f, "note.txt", "Rendered by the html writer.\n",
                              "pack", &opt, 1, &st);
  assert_non_null(pack);
  assert_has(pack, "QPACK 1\n");
  assert_has(pack, " doc-1.html\n<!DOCTYPE html>");
  assert_has(pack, "<p>Rendered by the html writer.</p>");
  /* and the pack reads back, each file with the reader of its name */
  char *txt = convert_buffer(f, "back.qpack", pack, "txt", NULL, 0, &st);
  assert_non_null(txt);
  assert_has(txt, "Rendered by the html writer.");
  free(txt);
  free(pack);
}

static void test_rendering_a_missing_format_names_it_and_the_plugin(
    void **state) {
  fixture *f = *state;
  quire_option opt = {"pack-format", "nosuch"};
  quire_status st;
  assert_null(convert_buffer(f, "note.txt", "Words.\n", "pack", &opt, 1, &st));
  assert_has(st.error.message, "plugin pack");
  assert_has(st.error.message, "nosuch");
}

/* ---- Page parts ------------------------------------------------------------ */

static void test_page_parts_are_kept_for_transforms_and_written_as_content(
    void **state) {
  fixture *f = *state;
  const char *page = "<html><body><header class=\"site\">Site</header>"
                     "<article class=\"post\"><p>Story.</p></article>"
                     "<footer id=\"colophon\"><p>Footer.</p></footer>"
                     "</body></html>";
  quire_source src = {.name = "page.html", .data = page, .len = strlen(page)};
  quire_reader *r = NULL;
  assert_int_equal(quire_reader_open_source(f->s, &src, NULL, &r), QUIRE_OK);
  quire_doc *doc = NULL;
  assert_int_equal(quire_reader_next(r, &doc), QUIRE_OK);
  const char *infos[3] = {0};
  size_t n = 0;
  for (const quire_node *c = doc->root->first_child; c && n < 3; c = c->next)
    if (c->type == QUIRE_NODE_SECTION)
      infos[n++] = c->info;
  assert_int_equal(n, 3);
  assert_string_equal(infos[0], "header .site");
  assert_string_equal(infos[1], "article .post");
  assert_string_equal(infos[2], "footer #colophon");
  quire_doc_free(doc);
  quire_reader_free(r);
  quire_status st;
  char *html = convert_buffer(f, "page.html", page, "html", NULL, 0, &st);
  assert_non_null(html);
  assert_null(strstr(html, "<section"));
  assert_has(html, "<p>Story.</p>\n<p>Footer.</p>");
  free(html);
}

/* ---- No plugin holds another's code -------------------------------------- */

static void test_epub_holds_no_object_of_the_html_plugin(void **state) {
  (void)state;
  FILE *so = fopen(QUIRE_BINARY_DIR "/lib/quire/plugins/epub.so", "rb");
  assert_non_null(so);
  static char buf[16 << 20];
  size_t n = fread(buf, 1, sizeof buf, so);
  fclose(so);
  assert_true(n > 0 && n < sizeof buf);
  static const char *const html_functions[] = {
      "html_render_doc", "html_build_into", "html_decode", "html_write_doc",
      "html_read_next"};
  for (size_t i = 0; i < sizeof html_functions / sizeof *html_functions; i++)
    if (memmem(buf, n, html_functions[i], strlen(html_functions[i])))
      fail_msg("epub.so holds %s of the html plugin", html_functions[i]);
}

int main(void) {
#define T(name) cmocka_unit_test_setup_teardown(name, setup, fixture_teardown)
  const struct CMUnitTest tests[] = {
      T(test_a_buffer_converts_to_a_buffer),
      T(test_a_stream_reads_like_a_file),
      T(test_reader_reads_memory_and_checks_its_state),
      T(test_pack_reads_each_file_with_its_own_reader),
      T(test_errors_inside_a_pack_name_the_path_to_them),
      T(test_nesting_deeper_than_the_limit_fails),
      T(test_writer_renders_through_another_writer),
      T(test_rendering_a_missing_format_names_it_and_the_plugin),
      T(test_page_parts_are_kept_for_transforms_and_written_as_content),
      T(test_epub_holds_no_object_of_the_html_plugin),
  };
  return test_main_status(cmocka_run_group_tests(tests, NULL, NULL));
}
