/* test_md_read.c - the Markdown reader (docs/formats/markdown.md,
 * "Reading"): every CommonMark construct and the GFM extensions map onto
 * the model, YAML front matter gives the metadata (and malformed YAML an
 * error at its line and column), invalid UTF-8 is replaced with one
 * warning, and deep nesting is flattened without a crash. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <quire/quire.h>

#include "session_fixture.h"
#include "skip_note.h"

/* ---- Helpers ----------------------------------------------------------------- */

/* Reads `text` as `format`; the document, or NULL with *err (may be NULL)
 * set to a copy of the error (the caller frees it). */
static quire_doc *try_read(fixture *f, const char *text, size_t len,
                           const char *format, char **err) {
  quire_source src = {.name = "mem.md", .format = format, .data = text,
                      .len = len};
  quire_reader *r = NULL;
  quire_doc *doc = NULL;
  if (quire_reader_open_source(f->s, &src, NULL, &r) != QUIRE_OK)
    fail_msg("cannot open: %s", quire_error_get(f->s)->message);
  if (quire_reader_next(r, &doc) != QUIRE_OK) {
    const quire_error *e = quire_reader_error(r);
    if (err) {
      size_t n = strlen(e->message) + 64;
      *err = malloc(n);
      snprintf(*err, n, "%lu:%lu: %s", e->line, e->column, e->message);
    }
    doc = NULL;
  }
  quire_reader_free(r);
  return doc;
}

static quire_doc *read_md(fixture *f, const char *text, const char *format) {
  char *err = NULL;
  quire_doc *doc = try_read(f, text, strlen(text), format, &err);
  if (!doc)
    fail_msg("cannot read: %s", err);
  return doc;
}

/* The tree as one line: "(paragraph "text" (emph "x"))", leaves' text in
 * quotes, a node's fields that matter here after its name. */
static char *dump(const quire_doc *doc) {
  size_t cap = 1 << 16, len = 0;
  char *s = malloc(cap);
  s[0] = '\0';
  quire_iter it;
  quire_iter_init(&it, doc->root);
  while (quire_iter_next(&it) != QUIRE_EV_DONE) {
    const quire_node *n = it.node;
    if (n == doc->root)
      continue;
    if (len + 4096 > cap)
      s = realloc(s, cap *= 2);
    if (it.event == QUIRE_EV_EXIT) {
      len += (size_t)snprintf(s + len, cap - len, ")");
      continue;
    }
    const char *name = quire_node_type_name(n->type);
    if (n->type == QUIRE_NODE_TEXT) {
      len += (size_t)snprintf(s + len, cap - len, " \"%.*s\"", (int)n->len,
                              n->text);
      continue;
    }
    len += (size_t)snprintf(s + len, cap - len, " (%s", name);
    if (n->type == QUIRE_NODE_HEADING)
      len += (size_t)snprintf(s + len, cap - len, " %d", n->level);
    if (n->type == QUIRE_NODE_ORDERED_LIST)
      len += (size_t)snprintf(s + len, cap - len, " start=%d delim=%d",
                              n->start, n->delim);
    if ((n->type == QUIRE_NODE_BULLET_LIST ||
         n->type == QUIRE_NODE_ORDERED_LIST) && n->tight)
      len += (size_t)snprintf(s + len, cap - len, " tight");
    if (n->info)
      len += (size_t)snprintf(s + len, cap - len, " info=%s", n->info);
    if (n->url)
      len += (size_t)snprintf(s + len, cap - len, " url=%s", n->url);
    if (n->title)
      len += (size_t)snprintf(s + len, cap - len, " title=%s", n->title);
    if (n->align)
      len += (size_t)snprintf(s + len, cap - len, " align=%d", (int)n->align);
    if (n->header && n->type == QUIRE_NODE_TABLE_CELL)
      len += (size_t)snprintf(s + len, cap - len, " th");
    for (const quire_meta *a = n->attrs; a; a = a->next)
      len += (size_t)snprintf(s + len, cap - len, " %s=%s", a->key,
                              a->value);
    if (n->text)
      len += (size_t)snprintf(s + len, cap - len, " \"%.*s\"", (int)n->len,
                              n->text);
    if (quire_node_is_leaf(n->type))
      len += (size_t)snprintf(s + len, cap - len, ")");
  }
  return s;
}

static void assert_tree(fixture *f, const char *format, const char *md,
                        const char *want) {
  quire_doc *doc = read_md(f, md, format);
  char *got = dump(doc);
  if (strcmp(got, want) != 0)
    fail_msg("%s: %s\n  want %s\n  got  %s", format, md, want, got);
  free(got);
  quire_doc_free(doc);
}

static int count_meta(const quire_doc *doc, const char *key) {
  int n = 0;
  for (const quire_meta *m = doc->meta; m; m = m->next)
    n += strcmp(m->key, key) == 0;
  return n;
}

/* ---- CommonMark -------------------------------------------------------------- */

static void blocks_map_to_their_nodes(void **state) {
  fixture *f = *state;
  assert_tree(f, "md", "# One\n\nSetext\n---\n\n> quote\n\n***\n",
              " (heading 1 \"One\") (heading 2 \"Setext\")"
              " (block_quote (paragraph \"quote\")) (thematic_break)");
  assert_tree(f, "md", "```c extra\nint x;\n```\n\n    indented\n",
              " (code_block info=c \"int x;\n\") (code_block \"indented\n\")");
  assert_tree(f, "md", "<div>\n*raw*\n</div>\n",
              " (raw_block info=html \"<div>\n*raw*\n</div>\n\")");
}

static void lists_keep_start_delim_and_tightness(void **state) {
  fixture *f = *state;
  assert_tree(f, "md", "- a\n- b\n",
              " (bullet_list tight (item (paragraph \"a\"))"
              " (item (paragraph \"b\")))");
  assert_tree(f, "md", "3) a\n\n4) b\n",
              " (ordered_list start=3 delim=2 (item (paragraph \"a\"))"
              " (item (paragraph \"b\")))");
  assert_tree(f, "md", "7. x\n",
              " (ordered_list start=7 delim=1 tight (item (paragraph \"x\")))");
}

static void inlines_map_to_their_nodes(void **state) {
  fixture *f = *state;
  assert_tree(f, "md",
              "*e* **s** `c` <b>h</b> [l](/u \"t\") ![alt *x*](i.png)\n"
              "soft  \nhard\\\nend\n",
              " (paragraph (emph \"e\") \" \" (strong \"s\") \" \""
              " (code \"c\") \" \" (raw_inline info=html \"<b>\") \"h\""
              " (raw_inline info=html \"</b>\") \" \" (link url=/u title=t"
              " \"l\") \" \" (image url=i.png \"alt \" (emph \"x\"))"
              " (soft_break) \"soft\" (line_break) \"hard\" (line_break)"
              " \"end\")");
}

static void adjacent_text_is_one_node(void **state) {
  fixture *f = *state;
  /* cmark splits this at '[', '!', '&' and the escapes. */
  assert_tree(f, "md", "a [b c! d &amp; \\* e\n",
              " (paragraph \"a [b c! d & * e\")");
}

static void an_empty_link_has_an_empty_url(void **state) {
  fixture *f = *state;
  assert_tree(f, "md", "[a]()\n", " (paragraph (link url= \"a\"))");
}

static void md_has_no_gfm_extensions(void **state) {
  fixture *f = *state;
  assert_tree(f, "md", "~~s~~ www.x.org\n",
              " (paragraph \"~~s~~ www.x.org\")");
}

static void a_first_level_one_heading_is_the_title(void **state) {
  fixture *f = *state;
  quire_doc *doc = read_md(f, "# The *Title* `x`\n\ntext\n", "md");
  assert_string_equal(quire_meta_get(doc->meta, "title"), "The Title x");
  quire_doc_free(doc);
  /* Else the core's: the name without its extension. */
  doc = read_md(f, "text\n\n# Not the title\n", "md");
  assert_string_equal(quire_meta_get(doc->meta, "title"), "mem");
  quire_doc_free(doc);
}

/* ---- GFM --------------------------------------------------------------------- */

static void gfm_tables_have_columns_head_and_body(void **state) {
  fixture *f = *state;
  assert_tree(f, "gfm", "| a | b |\n|:-|-:|\n| 1 | *2* |\n",
              " (table (table_column align=1) (table_column align=3)"
              " (table_head (table_row (table_cell align=1 th \"a\")"
              " (table_cell align=3 th \"b\"))) (table_body (table_row"
              " (table_cell align=1 \"1\") (table_cell align=3 (emph"
              " \"2\")))))");
}

static void gfm_strikethrough_autolinks_and_tasks(void **state) {
  fixture *f = *state;
  assert_tree(f, "gfm", "~~s~~ www.x.org\n",
              " (paragraph (strikeout \"s\") \" \" (link url=http://www.x.org"
              " \"www.x.org\"))");
  assert_tree(f, "gfm", "- [x] done\n- [ ] todo\n",
              " (bullet_list tight (item checked=true (paragraph \"done\"))"
              " (item checked=false (paragraph \"todo\")))");
}

static void gfm_footnotes_are_notes_where_referenced(void **state) {
  fixture *f = *state;
  assert_tree(f, "gfm", "a[^n] b[^n]\n\n[^n]: The *note*.\n",
              " (paragraph \"a\" (note (paragraph \"The \" (emph \"note\")"
              " \".\")) \" b\" (note (paragraph \"The \" (emph \"note\")"
              " \".\")))");
}

static void gfm_unreferenced_footnotes_are_kept_with_a_warning(void **state) {
  fixture *f = *state;
  assert_tree(f, "gfm", "text\n\n[^u]: unused words\n",
              " (paragraph \"text\") (paragraph (note (paragraph \"unused"
              " words\")))");
  assert_non_null(strstr(f->warnings, "never referenced"));
}

static void gfm_footnotes_referencing_themselves_end(void **state) {
  fixture *f = *state;
  assert_tree(f, "gfm", "a[^x]\n\n[^x]: see[^x]\n",
              " (paragraph \"a\" (note (paragraph \"see[^x]\")))");
  assert_non_null(strstr(f->warnings, "own note"));
}

/* ---- Front matter ------------------------------------------------------------ */

static void front_matter_sets_metadata(void **state) {
  fixture *f = *state;
  quire_doc *doc = read_md(f,
                           "---\ntitle: T\nauthor: [A, B]\ndate: 2024-01-02\n"
                           "lang: de\nsubject:\n  - x\n  - y\nrights: CC\n"
                           "empty:\n---\n# Heading\n",
                           "md");
  assert_string_equal(quire_meta_get(doc->meta, "title"), "T");
  assert_int_equal(count_meta(doc, "author"), 2);
  assert_string_equal(quire_meta_get(doc->meta, "author"), "A");
  assert_string_equal(quire_meta_get(doc->meta, "date"), "2024-01-02");
  assert_string_equal(quire_meta_get(doc->meta, "language"), "de");
  assert_int_equal(count_meta(doc, "subject"), 2);
  assert_string_equal(quire_meta_get(doc->meta, "rights"), "CC");
  assert_null(quire_meta_get(doc->meta, "empty"));
  char *tree = dump(doc);
  assert_string_equal(tree, " (heading 1 \"Heading\")");
  free(tree);
  quire_doc_free(doc);
  assert_int_equal(f->n_warnings, 0);
}

static void a_single_author_is_one_author(void **state) {
  fixture *f = *state;
  quire_doc *doc = read_md(f, "---\nauthor: Ann\n...\ntext\n", "gfm");
  assert_int_equal(count_meta(doc, "author"), 1);
  assert_string_equal(quire_meta_get(doc->meta, "author"), "Ann");
  quire_doc_free(doc);
}

static void a_nested_mapping_is_skipped_with_a_warning(void **state) {
  fixture *f = *state;
  quire_doc *doc = read_md(f, "---\ntitle: T\nseries:\n  name: S\n---\nx\n",
                           "md");
  assert_null(quire_meta_get(doc->meta, "series"));
  assert_string_equal(quire_meta_get(doc->meta, "title"), "T");
  assert_int_equal(f->n_warnings, 1);
  assert_non_null(strstr(f->warnings, "'series'"));
  assert_int_equal(f->last_line, 3);
  quire_doc_free(doc);
}

static void malformed_front_matter_fails_at_its_line(void **state) {
  fixture *f = *state;
  const char *md = "---\ntitle: ok\nauthor: [a, b\ndate: x\n---\ntext\n";
  char *err = NULL;
  quire_doc *doc = try_read(f, md, strlen(md), "md", &err);
  assert_null(doc);
  assert_non_null(err);
  assert_non_null(strstr(err, "malformed YAML front matter"));
  /* The flow sequence opened on line 3 is still open on line 4. */
  assert_true(strncmp(err, "4:", 2) == 0 || strncmp(err, "5:", 2) == 0);
  free(err);
}

static void without_a_closing_line_it_is_markdown(void **state) {
  fixture *f = *state;
  assert_tree(f, "md", "---\ntitle: x\n", " (thematic_break)"
                                          " (paragraph \"title: x\")");
  /* YAML that is not a mapping is not front matter either. */
  assert_tree(f, "md", "---\nHello\n---\n",
              " (thematic_break) (heading 2 \"Hello\")");
  assert_tree(f, "md", "---\n---\ntext\n", " (paragraph \"text\")");
}

static void lines_after_front_matter_count_from_the_file(void **state) {
  fixture *f = *state;
  const char *md = "---\ntitle: t\n---\nok\n\nbad \xff here\n";
  quire_doc *doc = try_read(f, md, strlen(md), "md", NULL);
  assert_non_null(doc);
  assert_int_equal(f->last_line, 6);
  quire_doc_free(doc);
}

/* ---- Bytes and limits ---------------------------------------------------------- */

static void invalid_utf8_is_replaced_with_one_warning(void **state) {
  fixture *f = *state;
  const char *md = "a\xff b\xc3 c\xed\xa0\x80 d\n";
  quire_doc *doc = try_read(f, md, strlen(md), "md", NULL);
  assert_non_null(doc);
  char *tree = dump(doc);
  assert_non_null(strstr(tree, "a\xef\xbf\xbd b"));
  free(tree);
  assert_int_equal(f->n_warnings, 1);
  assert_non_null(strstr(f->warnings, "invalid UTF-8"));
  quire_doc_free(doc);
}

static void a_byte_order_mark_is_passed_over(void **state) {
  fixture *f = *state;
  quire_doc *doc = read_md(f, "\xef\xbb\xbf---\ntitle: B\n---\ntext\n", "md");
  assert_string_equal(quire_meta_get(doc->meta, "title"), "B");
  quire_doc_free(doc);
}

/* 50,000 levels of each kind: flattened past max-depth, one warning. */
static void deep_nesting_is_flattened(void **state) {
  fixture *f = *state;
  static const char *const units[] = {"> ", "- ", "1. ", "*", "["};
  for (size_t u = 0; u < sizeof units / sizeof units[0]; u++) {
    size_t k = strlen(units[u]), n = 50000;
    char *md = malloc(n * k * 2 + 16);
    size_t len = 0;
    for (size_t i = 0; i < n; i++, len += k)
      memcpy(md + len, units[u], k);
    memcpy(md + len, "deep", 4);
    len += 4;
    if (units[u][0] == '*' || units[u][0] == '[')
      for (size_t i = 0; i < n; i++)
        md[len++] = units[u][0] == '*' ? '*' : ']';
    md[len++] = '\n';
    f->n_warnings = 0;
    f->warnings[0] = '\0';
    quire_doc *doc = try_read(f, md, len, "gfm", NULL);
    assert_non_null(doc);
    int depth = 0, max = 0;
    int found = 0;
    quire_iter it;
    quire_iter_init(&it, doc->root);
    while (quire_iter_next(&it) != QUIRE_EV_DONE) {
      if (quire_node_is_leaf(it.node->type)) {
        found |= it.node->type == QUIRE_NODE_TEXT &&
                 strstr(it.node->text, "deep") != NULL;
        continue;
      }
      depth += it.event == QUIRE_EV_ENTER ? 1 : -1;
      if (depth > max)
        max = depth;
    }
    assert_true(found);
    assert_true(max <= 257);
    assert_true(f->n_warnings <= 1);
    quire_doc_free(doc);
    free(md);
  }
}

static void max_depth_is_honoured(void **state) {
  fixture *f = *state;
  assert_int_equal(quire_limit_set(f->s, "max-depth", 4), QUIRE_OK);
  assert_tree(f, "md", "> > > > > x\n",
              " (block_quote (block_quote (block_quote (paragraph \"x\"))))");
  assert_non_null(strstr(f->warnings, "deeper than 4"));
}

int main(void) {
  const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup_teardown(name, fixture_setup, \
                                                fixture_teardown)
      T(blocks_map_to_their_nodes),
      T(lists_keep_start_delim_and_tightness),
      T(inlines_map_to_their_nodes),
      T(adjacent_text_is_one_node),
      T(an_empty_link_has_an_empty_url),
      T(md_has_no_gfm_extensions),
      T(a_first_level_one_heading_is_the_title),
      T(gfm_tables_have_columns_head_and_body),
      T(gfm_strikethrough_autolinks_and_tasks),
      T(gfm_footnotes_are_notes_where_referenced),
      T(gfm_unreferenced_footnotes_are_kept_with_a_warning),
      T(gfm_footnotes_referencing_themselves_end),
      T(front_matter_sets_metadata),
      T(a_single_author_is_one_author),
      T(a_nested_mapping_is_skipped_with_a_warning),
      T(malformed_front_matter_fails_at_its_line),
      T(without_a_closing_line_it_is_markdown),
      T(lines_after_front_matter_count_from_the_file),
      T(invalid_utf8_is_replaced_with_one_warning),
      T(a_byte_order_mark_is_passed_over),
      T(deep_nesting_is_flattened),
      T(max_depth_is_honoured),
#undef T
  };
  return test_main_status(cmocka_run_group_tests(tests, NULL, NULL));
}
