/* test_model2.c - Model 2 (ABI 2.3): the new node types' rules, attributes
 * and resources, through the public API only. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <quire/quire.h>

#include "skip_note.h"

static quire_doc *new_doc(void) {
  quire_doc *doc = quire_doc_new();
  assert_non_null(doc);
  return doc;
}

static quire_node *add(quire_doc *doc, quire_node *parent,
                       quire_node_type type) {
  quire_node *n = quire_node_new(doc, type);
  assert_non_null(n);
  assert_int_equal(quire_node_append(parent, n), QUIRE_OK);
  return n;
}

static int fits(quire_node_type parent, quire_node_type child) {
  return quire_node_can_contain(parent, child);
}

/* ---- Node types ---------------------------------------------------------- */

static void test_every_type_has_its_own_name(void **state) {
  (void)state;
  for (int a = 0; a < QUIRE_NODE_TYPE_COUNT; a++) {
    const char *name = quire_node_type_name((quire_node_type)a);
    assert_string_not_equal(name, "unknown");
    for (int b = 0; b < a; b++)
      assert_string_not_equal(name, quire_node_type_name((quire_node_type)b));
  }
  assert_string_equal(quire_node_type_name(QUIRE_NODE_NOTE), "note");
  assert_string_equal(quire_node_type_name(QUIRE_NODE_MATH), "math");
}

static void test_containers_of_blocks(void **state) {
  (void)state;
  const quire_node_type holders[] = {
      QUIRE_NODE_DIV, QUIRE_NODE_DEFINITION, QUIRE_NODE_FIGURE,
      QUIRE_NODE_CAPTION, QUIRE_NODE_NOTE};
  for (size_t i = 0; i < sizeof holders / sizeof *holders; i++) {
    assert_true(fits(holders[i], QUIRE_NODE_PARAGRAPH));
    assert_true(fits(holders[i], QUIRE_NODE_TABLE));
    assert_true(fits(holders[i], QUIRE_NODE_DIV));
    assert_false(fits(holders[i], QUIRE_NODE_TEXT));
    assert_false(fits(holders[i], QUIRE_NODE_ITEM));
  }
  /* The new blocks stand where blocks stand. */
  assert_true(fits(QUIRE_NODE_DOCUMENT, QUIRE_NODE_DIV));
  assert_true(fits(QUIRE_NODE_ITEM, QUIRE_NODE_DEFINITION_LIST));
  assert_true(fits(QUIRE_NODE_BLOCK_QUOTE, QUIRE_NODE_LINE_BLOCK));
  assert_true(fits(QUIRE_NODE_SECTION, QUIRE_NODE_FIGURE));
  /* Parts stand only in their parents. */
  assert_false(fits(QUIRE_NODE_DOCUMENT, QUIRE_NODE_CAPTION));
  assert_false(fits(QUIRE_NODE_DOCUMENT, QUIRE_NODE_TERM));
  assert_false(fits(QUIRE_NODE_DOCUMENT, QUIRE_NODE_LINE));
  assert_false(fits(QUIRE_NODE_DOCUMENT, QUIRE_NODE_TABLE_BODY));
  assert_true(fits(QUIRE_NODE_FIGURE, QUIRE_NODE_CAPTION));
  assert_true(fits(QUIRE_NODE_TABLE, QUIRE_NODE_CAPTION));
  assert_false(fits(QUIRE_NODE_DIV, QUIRE_NODE_CAPTION));
}

static void test_parts_of_lists_and_tables(void **state) {
  (void)state;
  assert_true(fits(QUIRE_NODE_LINE_BLOCK, QUIRE_NODE_LINE));
  assert_false(fits(QUIRE_NODE_LINE_BLOCK, QUIRE_NODE_PARAGRAPH));
  assert_true(fits(QUIRE_NODE_LINE, QUIRE_NODE_TEXT));
  assert_false(fits(QUIRE_NODE_LINE, QUIRE_NODE_PARAGRAPH));
  assert_true(fits(QUIRE_NODE_DEFINITION_LIST, QUIRE_NODE_TERM));
  assert_true(fits(QUIRE_NODE_DEFINITION_LIST, QUIRE_NODE_DEFINITION));
  assert_false(fits(QUIRE_NODE_DEFINITION_LIST, QUIRE_NODE_ITEM));
  assert_true(fits(QUIRE_NODE_TERM, QUIRE_NODE_EMPH));
  const quire_node_type groups[] = {QUIRE_NODE_TABLE_HEAD,
                                    QUIRE_NODE_TABLE_BODY,
                                    QUIRE_NODE_TABLE_FOOT};
  for (size_t i = 0; i < 3; i++) {
    assert_true(fits(QUIRE_NODE_TABLE, groups[i]));
    assert_true(fits(groups[i], QUIRE_NODE_TABLE_ROW));
    assert_false(fits(groups[i], QUIRE_NODE_TABLE_CELL));
  }
  assert_true(fits(QUIRE_NODE_TABLE, QUIRE_NODE_TABLE_COLUMN));
  assert_true(fits(QUIRE_NODE_TABLE, QUIRE_NODE_TABLE_ROW));   /* old trees */
  assert_true(quire_node_is_leaf(QUIRE_NODE_TABLE_COLUMN));
  assert_true(quire_node_is_leaf(QUIRE_NODE_MATH));
}

static void test_new_inlines_hold_inlines_and_a_note_holds_blocks(
    void **state) {
  (void)state;
  const quire_node_type spans[] = {
      QUIRE_NODE_SPAN, QUIRE_NODE_STRIKEOUT, QUIRE_NODE_SUPERSCRIPT,
      QUIRE_NODE_SUBSCRIPT, QUIRE_NODE_SMALL_CAPS, QUIRE_NODE_UNDERLINE,
      QUIRE_NODE_QUOTED};
  for (size_t i = 0; i < sizeof spans / sizeof *spans; i++) {
    assert_true(quire_node_is_inline(spans[i]));
    assert_true(fits(QUIRE_NODE_PARAGRAPH, spans[i]));
    assert_true(fits(spans[i], QUIRE_NODE_TEXT));
    assert_true(fits(spans[i], QUIRE_NODE_NOTE));
    assert_false(fits(spans[i], QUIRE_NODE_PARAGRAPH));
  }
  assert_true(quire_node_is_inline(QUIRE_NODE_NOTE));
  assert_true(quire_node_is_inline(QUIRE_NODE_MATH));
  assert_true(fits(QUIRE_NODE_PARAGRAPH, QUIRE_NODE_NOTE));
  /* A footnote in a paragraph, holding a paragraph of its own. */
  quire_doc *doc = new_doc();
  quire_node *p = add(doc, doc->root, QUIRE_NODE_PARAGRAPH);
  quire_node *note = add(doc, p, QUIRE_NODE_NOTE);
  quire_node *inner = add(doc, note, QUIRE_NODE_PARAGRAPH);
  assert_ptr_equal(inner->parent, note);
  quire_doc_free(doc);
}

static void test_a_cell_holds_inlines_or_blocks_not_both(void **state) {
  (void)state;
  quire_doc *doc = new_doc();
  quire_node *table = add(doc, doc->root, QUIRE_NODE_TABLE);
  quire_node *body = add(doc, table, QUIRE_NODE_TABLE_BODY);
  quire_node *row = add(doc, body, QUIRE_NODE_TABLE_ROW);
  quire_node *inl = add(doc, row, QUIRE_NODE_TABLE_CELL);
  quire_node *blk = add(doc, row, QUIRE_NODE_TABLE_CELL);
  quire_node *t = quire_node_new_text(doc, QUIRE_NODE_TEXT, "a", 1);
  assert_int_equal(quire_node_append(inl, t), QUIRE_OK);
  quire_node *para = quire_node_new(doc, QUIRE_NODE_PARAGRAPH);
  assert_int_equal(quire_node_append(inl, para), QUIRE_FAILED);
  assert_int_equal(quire_node_append(blk, para), QUIRE_OK);
  quire_node *t2 = quire_node_new_text(doc, QUIRE_NODE_TEXT, "b", 1);
  assert_int_equal(quire_node_append(blk, t2), QUIRE_FAILED);
  assert_int_equal(quire_node_insert_before(para, t2), QUIRE_FAILED);
  /* Its only child may be replaced by the other kind. */
  quire_node_unlink(para);
  assert_int_equal(quire_node_append(blk, t2), QUIRE_OK);
  quire_doc_free(doc);
}

/* ---- Attributes ---------------------------------------------------------- */

static void test_attributes_id_class_and_pairs(void **state) {
  (void)state;
  quire_doc *doc = new_doc();
  quire_node *div = add(doc, doc->root, QUIRE_NODE_DIV);
  char key[16] = "data-x", value[16] = "1";
  assert_int_equal(quire_node_set_attr(doc, div, "id", "intro"), QUIRE_OK);
  assert_int_equal(quire_node_set_attr(doc, div, "class", "a b"), QUIRE_OK);
  assert_int_equal(quire_node_set_attr(doc, div, key, value), QUIRE_OK);
  assert_int_equal(quire_node_set_attr(doc, div, "lang", "fr"), QUIRE_OK);
  strcpy(key, "zz");
  strcpy(value, "changed");   /* copies were kept */
  assert_string_equal(div->id, "intro");
  assert_string_equal(div->classes, "a b");
  assert_string_equal(quire_node_attr(div, "id"), "intro");
  assert_string_equal(quire_node_attr(div, "class"), "a b");
  assert_string_equal(quire_node_attr(div, "data-x"), "1");
  assert_null(quire_node_attr(div, "zz"));
  /* Order is kept; setting a key again replaces its value in place. */
  assert_int_equal(quire_node_set_attr(doc, div, "data-x", "2"), QUIRE_OK);
  assert_string_equal(div->attrs->key, "data-x");
  assert_string_equal(div->attrs->value, "2");
  assert_string_equal(div->attrs->next->key, "lang");
  assert_null(div->attrs->next->next);
  quire_doc_free(doc);
}

/* ---- Resources ----------------------------------------------------------- */

static const unsigned char png[] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a,
                                    '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R'};

static void test_resource_type_comes_from_the_bytes(void **state) {
  (void)state;
  quire_doc *doc = new_doc();
  const quire_resource *r = NULL;
  /* Declared right. */
  assert_int_equal(quire_res_add(doc, "img/a.png", "image/png", 0, png,
                                 sizeof png, &r),
                   QUIRE_OK);
  assert_string_equal(r->media_type, "image/png");
  assert_int_equal(r->size, sizeof png);
  /* Declared wrong: the bytes win, and the caller hears of it. */
  assert_int_equal(quire_res_add(doc, "img/b.jpg", "image/jpeg", 0, png,
                                 sizeof png, &r),
                   QUIRE_WARN);
  assert_string_equal(r->media_type, "image/png");
  /* Not declared, bytes unknown: by the extension. */
  assert_int_equal(quire_res_add(doc, "style/x.css", NULL, 0, "p{}", 3, &r),
                   QUIRE_OK);
  assert_string_equal(r->media_type, "text/css");
  /* SVG after a declaration and a comment. */
  const char svg[] = "\xEF\xBB\xBF<?xml version=\"1.0\"?>\n<!-- c -->\n"
                     "<svg xmlns=\"http://www.w3.org/2000/svg\"/>";
  assert_int_equal(quire_res_add(doc, "s", "image/svg+xml", 0, svg,
                                 sizeof svg - 1, &r),
                   QUIRE_OK);
  assert_string_equal(r->media_type, "image/svg+xml");
  /* Nothing known at all. */
  assert_int_equal(quire_res_add(doc, "blob", NULL, 0, "??", 2, &r), QUIRE_OK);
  assert_string_equal(r->media_type, "application/octet-stream");
  assert_string_equal(quire_media_type_of("GIF89a", 6, NULL), "image/gif");
  assert_string_equal(quire_media_type_of("\xFF\xD8\xFF\xE0", 4, "x.png"),
                      "image/jpeg");
  assert_string_equal(quire_media_type_of("RIFF\0\0\0\0WEBPVP8 ", 16, NULL),
                      "image/webp");
  assert_null(quire_media_type_of("hello", 5, "README"));
  quire_doc_free(doc);
}

static void test_resource_names_must_stay_inside(void **state) {
  (void)state;
  quire_doc *doc = new_doc();
  const char *bad[] = {"", "/etc/passwd", "../x.png", "a/../../x.png",
                       "a//b.png", "./a.png", "a/.", "dir/"};
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
    assert_int_equal(quire_res_add(doc, bad[i], NULL, 0, png, sizeof png, NULL),
                     QUIRE_FAILED);
  assert_null(doc->resources);
  quire_doc_free(doc);
}

static void test_resource_bytes_read_back_and_names_are_unique(void **state) {
  (void)state;
  quire_doc *doc = new_doc();
  const quire_resource *a = NULL, *again = NULL;
  assert_int_equal(quire_res_add(doc, "a.png", NULL, QUIRE_RES_COVER, png,
                                 sizeof png, &a),
                   QUIRE_OK);
  assert_int_equal(quire_res_add(doc, "a.png", NULL, 0, "other", 5, &again),
                   QUIRE_OK);
  assert_ptr_equal(a, again);
  assert_int_equal(a->flags, QUIRE_RES_COVER);
  assert_ptr_equal(quire_res_find(doc, "a.png"), a);
  assert_null(quire_res_find(doc, "b.png"));
  unsigned char buf[64];
  assert_int_equal(quire_res_read(a, 0, buf, sizeof buf), sizeof png);
  assert_memory_equal(buf, png, sizeof png);
  assert_int_equal(quire_res_read(a, 8, buf, 4), 4);
  assert_memory_equal(buf, png + 8, 4);
  assert_int_equal(quire_res_read(a, sizeof png, buf, 4), 0);
  quire_doc_free(doc);
}

/* Past a few MB a document's resources go to temporary files: the bytes
 * read back the same, and freeing the document closes them (the sanitizer
 * build checks nothing leaks; /proc counts the descriptors). */
static size_t open_fds(void) {
  size_t n = 0;
  char path[64];
  for (int fd = 0; fd < 1024; fd++) {
    snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    FILE *f = fopen(path, "rb");   /* fails for closed descriptors */
    if (f) {
      n++;
      fclose(f);
    }
  }
  return n;
}

static void test_large_resources_spill_and_read_back(void **state) {
  (void)state;
  size_t big = 3u << 20;
  unsigned char *data = malloc(big);
  assert_non_null(data);
  for (size_t i = 0; i < big; i++)
    data[i] = (unsigned char)(i * 2654435761u >> 13);
  size_t before = open_fds();
  quire_doc *doc = new_doc();
  char name[32];
  const quire_resource *last = NULL;
  for (int i = 0; i < 6; i++) {   /* 18 MB: some in memory, some not */
    snprintf(name, sizeof name, "blob%d.bin", i);
    data[0] = (unsigned char)i;
    assert_int_equal(quire_res_add(doc, name, NULL, 0, data, big, &last),
                     QUIRE_OK);
  }
  assert_true(open_fds() > before);   /* some spilled */
  unsigned char *back = malloc(big);
  assert_non_null(back);
  size_t got = 0;
  while (got < big) {
    long n = quire_res_read(last, got, back + got, 100000);
    assert_true(n > 0);
    got += (size_t)n;
  }
  assert_memory_equal(back, data, big);
  quire_doc_free(doc);
  assert_int_equal(open_fds(), before);
  free(back);
  free(data);
}

static void test_adopted_resources_join_the_new_document(void **state) {
  (void)state;
  quire_doc *book = new_doc();
  quire_doc *chapter = new_doc();
  assert_int_equal(quire_res_add(book, "a.png", NULL, 0, png, sizeof png,
                                 NULL),
                   QUIRE_OK);
  assert_int_equal(quire_res_add(chapter, "b.png", NULL, 0, png, sizeof png,
                                 NULL),
                   QUIRE_OK);
  quire_doc_adopt(book, chapter);
  assert_non_null(quire_res_find(book, "a.png"));
  assert_non_null(quire_res_find(book, "b.png"));
  /* Appending after adoption keeps the list whole. */
  assert_int_equal(quire_res_add(book, "c.png", NULL, 0, png, sizeof png,
                                 NULL),
                   QUIRE_OK);
  size_t n = 0;
  for (const quire_resource *r = book->resources; r; r = r->next)
    n++;
  assert_int_equal(n, 3);
  quire_doc_free(book);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_every_type_has_its_own_name),
      cmocka_unit_test(test_containers_of_blocks),
      cmocka_unit_test(test_parts_of_lists_and_tables),
      cmocka_unit_test(test_new_inlines_hold_inlines_and_a_note_holds_blocks),
      cmocka_unit_test(test_a_cell_holds_inlines_or_blocks_not_both),
      cmocka_unit_test(test_attributes_id_class_and_pairs),
      cmocka_unit_test(test_resource_type_comes_from_the_bytes),
      cmocka_unit_test(test_resource_names_must_stay_inside),
      cmocka_unit_test(test_resource_bytes_read_back_and_names_are_unique),
      cmocka_unit_test(test_large_resources_spill_and_read_back),
      cmocka_unit_test(test_adopted_resources_join_the_new_document),
  };
  return test_main_status(cmocka_run_group_tests(tests, NULL, NULL));
}
