/* test_model.c - documents, nodes, metadata and the tree iterator, through
 * the public API only. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include <quire/quire.h>

#include "skip_note.h"

/* ---- Helpers ------------------------------------------------------------- */

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

static quire_node *add_text(quire_doc *doc, quire_node *parent,
                            const char *s) {
  quire_node *n = quire_node_new_text(doc, QUIRE_NODE_TEXT, s, strlen(s));
  assert_non_null(n);
  assert_int_equal(quire_node_append(parent, n), QUIRE_OK);
  return n;
}

static size_t child_count(const quire_node *parent) {
  size_t n = 0;
  for (const quire_node *c = parent->first_child; c; c = c->next)
    n++;
  return n;
}

/* Checks every link of parent's children: each child points back to the
 * parent, prev/next agree both ways, and first/last are the ends. */
static void assert_links(const quire_node *parent) {
  const quire_node *prev = NULL;
  for (const quire_node *c = parent->first_child; c; c = c->next) {
    assert_ptr_equal(c->parent, parent);
    assert_ptr_equal(c->prev, prev);
    prev = c;
  }
  assert_ptr_equal(parent->last_child, prev);
  if (!prev)
    assert_null(parent->first_child);
}

static void assert_detached(const quire_node *n) {
  assert_null(n->parent);
  assert_null(n->prev);
  assert_null(n->next);
}

/* One event of a walk, written "enter paragraph" or "exit document". */
static void describe(const quire_iter *it, char *buf, size_t size) {
  snprintf(buf, size, "%s %s", it->event == QUIRE_EV_ENTER ? "enter" : "exit",
           quire_node_type_name(it->node->type));
}

/* Walks from root and checks the events against `expected`, ending in
 * QUIRE_EV_DONE right after the last one. */
static void assert_walk(const quire_node *root, const char *const *expected,
                        size_t n_expected) {
  quire_iter it;
  quire_iter_init(&it, root);
  char got[64];
  for (size_t i = 0; i < n_expected; i++) {
    quire_event ev = quire_iter_next(&it);
    assert_int_not_equal(ev, QUIRE_EV_DONE);
    assert_int_equal(ev, it.event);
    describe(&it, got, sizeof got);
    assert_string_equal(got, expected[i]);
  }
  assert_int_equal(quire_iter_next(&it), QUIRE_EV_DONE);
}

#define ASSERT_WALK(root, ...)                                               \
  do {                                                                       \
    static const char *const expected_[] = {__VA_ARGS__};                    \
    assert_walk((root), expected_, sizeof expected_ / sizeof expected_[0]);  \
  } while (0)

/* ---- Documents ----------------------------------------------------------- */

static void test_new_doc_has_empty_document_root_and_no_meta(void **state) {
  (void)state;
  quire_doc *doc = new_doc();
  assert_non_null(doc->root);
  assert_int_equal(doc->root->type, QUIRE_NODE_DOCUMENT);
  assert_null(doc->root->first_child);
  assert_null(doc->root->last_child);
  assert_detached(doc->root);
  assert_null(doc->meta);
  quire_doc_free(doc);
}

static void test_doc_free_accepts_null(void **state) {
  (void)state;
  quire_doc_free(NULL);
}

static void test_new_node_is_detached_and_zeroed(void **state) {
  (void)state;
  quire_doc *doc = new_doc();
  quire_node *n = quire_node_new(doc, QUIRE_NODE_HEADING);
  assert_non_null(n);
  assert_int_equal(n->type, QUIRE_NODE_HEADING);
  assert_detached(n);
  assert_null(n->first_child);
  assert_null(n->last_child);
  assert_null(n->text);
  assert_int_equal(n->len, 0);
  assert_null(n->info);
  assert_null(n->url);
  assert_null(n->title);
  assert_int_equal(n->level, 0);
  assert_int_equal(n->align, QUIRE_ALIGN_NONE);
  quire_doc_free(doc);
}

/* ---- Checked edits ----------------------------------------------------------
 * The model refuses what a node may not hold, as cmark's S_can_contain
 * does, and a refused edit changes nothing. */

static void test_append_refuses_a_block_under_an_inline(void **state) {
  (void)state;
  quire_doc *doc = new_doc();
  quire_node *para = add(doc, doc->root, QUIRE_NODE_PARAGRAPH);
  quire_node *emph = add(doc, para, QUIRE_NODE_EMPH);
  quire_node *block = quire_node_new(doc, QUIRE_NODE_BLOCK_QUOTE);
  assert_int_equal(quire_node_append(emph, block), QUIRE_FAILED);
  assert_null(emph->first_child);
  assert_detached(block);
  /* and an inline straight under the document */
  quire_node *text = quire_node_new_text(doc, QUIRE_NODE_TEXT, "x", 1);
  assert_int_equal(quire_node_append(doc->root, text), QUIRE_FAILED);
  assert_int_equal(child_count(doc->root), 1);
  quire_doc_free(doc);
}

static void test_append_refuses_anything_under_a_text_node(void **state) {
  (void)state;
  quire_doc *doc = new_doc();
  quire_node *para = add(doc, doc->root, QUIRE_NODE_PARAGRAPH);
  quire_node *text = quire_node_new_text(doc, QUIRE_NODE_TEXT, "a", 1);
  assert_int_equal(quire_node_append(para, text), QUIRE_OK);
  quire_node *more = quire_node_new_text(doc, QUIRE_NODE_TEXT, "b", 1);
  assert_int_equal(quire_node_append(text, more), QUIRE_FAILED);
  assert_null(text->first_child);
  quire_doc_free(doc);
}

static void test_append_refuses_a_node_under_itself_or_its_descendant(
    void **state) {
  (void)state;
  quire_doc *doc = new_doc();
  quire_node *outer = add(doc, doc->root, QUIRE_NODE_BLOCK_QUOTE);
  quire_node *inner = add(doc, outer, QUIRE_NODE_BLOCK_QUOTE);
  assert_int_equal(quire_node_append(outer, outer), QUIRE_FAILED);
  assert_int_equal(quire_node_append(inner, outer), QUIRE_FAILED);
  /* the tree is as it was */
  assert_ptr_equal(outer->parent, doc->root);
  assert_ptr_equal(inner->parent, outer);
  assert_ptr_equal(outer->first_child, inner);
  quire_doc_free(doc);
}

static void test_lists_and_tables_hold_only_their_parts(void **state) {
  (void)state;
  assert_true(quire_node_can_contain(QUIRE_NODE_BULLET_LIST, QUIRE_NODE_ITEM));
  assert_false(quire_node_can_contain(QUIRE_NODE_BULLET_LIST,
                                      QUIRE_NODE_PARAGRAPH));
  assert_true(quire_node_can_contain(QUIRE_NODE_TABLE, QUIRE_NODE_TABLE_ROW));
  assert_false(quire_node_can_contain(QUIRE_NODE_TABLE, QUIRE_NODE_TABLE_CELL));
  assert_true(quire_node_can_contain(QUIRE_NODE_TABLE_ROW,
                                     QUIRE_NODE_TABLE_CELL));
  assert_true(quire_node_can_contain(QUIRE_NODE_TABLE_CELL, QUIRE_NODE_TEXT));
  assert_true(quire_node_can_contain(QUIRE_NODE_ITEM, QUIRE_NODE_PARAGRAPH));
  assert_false(quire_node_can_contain(QUIRE_NODE_ITEM, QUIRE_NODE_ITEM));
  assert_false(quire_node_can_contain(QUIRE_NODE_SECTION, QUIRE_NODE_DOCUMENT));
  assert_false(quire_node_can_contain(QUIRE_NODE_CODE_BLOCK, QUIRE_NODE_TEXT));
}

static void test_insert_before_puts_a_node_before_its_sibling(void **state) {
  (void)state;
  quire_doc *doc = new_doc();
  quire_node *b = add(doc, doc->root, QUIRE_NODE_PARAGRAPH);
  quire_node *a = quire_node_new(doc, QUIRE_NODE_HEADING);
  assert_int_equal(quire_node_insert_before(b, a), QUIRE_OK);
  assert_ptr_equal(doc->root->first_child, a);
  assert_ptr_equal(a->next, b);
  assert_ptr_equal(b->prev, a);
  assert_ptr_equal(a->parent, doc->root);
  quire_node *text = quire_node_new_text(doc, QUIRE_NODE_TEXT, "x", 1);
  assert_int_equal(quire_node_insert_before(b, text), QUIRE_FAILED);
  assert_int_equal(child_count(doc->root), 2);
  quire_doc_free(doc);
}

static void test_adopted_nodes_live_as_long_as_their_new_document(
    void **state) {
  (void)state;
  quire_doc *book = new_doc();
  quire_doc *chapter = new_doc();
  quire_node *para = add(chapter, chapter->root, QUIRE_NODE_PARAGRAPH);
  quire_node *text = quire_node_new_text(chapter, QUIRE_NODE_TEXT, "kept", 4);
  assert_int_equal(quire_node_append(para, text), QUIRE_OK);
  quire_doc_adopt(book, chapter);   /* chapter's shell is gone */
  assert_int_equal(quire_node_append(book->root, para), QUIRE_OK);
  assert_string_equal(book->root->first_child->first_child->text, "kept");
  quire_doc_free(book);   /* frees what the chapter held, once */
}

/* A node type a later core adds: walked as a container, its text kept. */
static void test_iter_walks_into_a_type_it_does_not_know(void **state) {
  (void)state;
  quire_doc *doc = new_doc();
  quire_node *future = quire_node_new(doc, QUIRE_NODE_TYPE_COUNT + 3);
  quire_node *text = quire_node_new_text(doc, QUIRE_NODE_TEXT, "inside", 6);
  /* built by hand: the model of this version cannot say where it goes */
  future->first_child = future->last_child = text;
  text->parent = future;
  quire_iter it;
  quire_iter_init(&it, future);
  int saw_text = 0;
  while (quire_iter_next(&it) != QUIRE_EV_DONE)
    saw_text |= it.node == text;
  assert_true(saw_text);
  assert_string_equal(quire_node_type_name(future->type), "unknown");
  quire_doc_free(doc);
}

/* ---- Building trees ------------------------------------------------------ */

static void test_append_keeps_children_in_order(void **state) {
  (void)state;
  quire_doc *doc = new_doc();
  quire_node *a = add(doc, doc->root, QUIRE_NODE_HEADING);
  quire_node *b = add(doc, doc->root, QUIRE_NODE_PARAGRAPH);
  quire_node *c = add(doc, doc->root, QUIRE_NODE_THEMATIC_BREAK);
  assert_ptr_equal(doc->root->first_child, a);
  assert_ptr_equal(a->next, b);
  assert_ptr_equal(b->next, c);
  assert_null(c->next);
  assert_int_equal(child_count(doc->root), 3);
  quire_doc_free(doc);
}

static void test_append_sets_parent_prev_next_and_last_child(void **state) {
  (void)state;
  quire_doc *doc = new_doc();
  quire_node *para = add(doc, doc->root, QUIRE_NODE_PARAGRAPH);
  quire_node *first = add_text(doc, para, "one");
  assert_ptr_equal(first->parent, para);
  assert_null(first->prev);
  assert_null(first->next);
  assert_ptr_equal(para->first_child, first);
  assert_ptr_equal(para->last_child, first);

  quire_node *second = add_text(doc, para, "two");
  assert_ptr_equal(first->next, second);
  assert_ptr_equal(second->prev, first);
  assert_null(second->next);
  assert_ptr_equal(para->first_child, first);
  assert_ptr_equal(para->last_child, second);
  assert_links(para);
  assert_links(doc->root);
  quire_doc_free(doc);
}

static void test_append_moves_a_node_from_its_old_parent(void **state) {
  (void)state;
  quire_doc *doc = new_doc();
  quire_node *from = add(doc, doc->root, QUIRE_NODE_PARAGRAPH);
  quire_node *to = add(doc, doc->root, QUIRE_NODE_PARAGRAPH);
  quire_node *a = add_text(doc, from, "a");
  quire_node *b = add_text(doc, from, "b");
  quire_node *c = add_text(doc, from, "c");
  quire_node *x = add_text(doc, to, "x");

  quire_node_append(to, b);
  assert_int_equal(child_count(from), 2);
  assert_ptr_equal(a->next, c);
  assert_ptr_equal(c->prev, a);
  assert_links(from);
  assert_int_equal(child_count(to), 2);
  assert_ptr_equal(x->next, b);
  assert_ptr_equal(b->parent, to);
  assert_links(to);
  quire_doc_free(doc);
}

static void test_append_of_last_child_to_same_parent_keeps_it_last(
    void **state) {
  (void)state;
  quire_doc *doc = new_doc();
  quire_node *para = add(doc, doc->root, QUIRE_NODE_PARAGRAPH);
  quire_node *a = add_text(doc, para, "a");
  quire_node *b = add_text(doc, para, "b");
  quire_node_append(para, b);
  assert_ptr_equal(para->first_child, a);
  assert_ptr_equal(para->last_child, b);
  assert_int_equal(child_count(para), 2);
  assert_links(para);
  quire_node_append(para, a);
  assert_ptr_equal(para->first_child, b);
  assert_ptr_equal(para->last_child, a);
  assert_int_equal(child_count(para), 2);
  assert_links(para);
  quire_doc_free(doc);
}

/* Three children a, b, c under a paragraph, for the unlink tests. */
typedef struct three {
  quire_doc *doc;
  quire_node *para, *a, *b, *c;
} three;

static three make_three(void) {
  three t;
  t.doc = new_doc();
  t.para = add(t.doc, t.doc->root, QUIRE_NODE_PARAGRAPH);
  t.a = add_text(t.doc, t.para, "a");
  t.b = add_text(t.doc, t.para, "b");
  t.c = add_text(t.doc, t.para, "c");
  return t;
}

static void test_unlink_first_child(void **state) {
  (void)state;
  three t = make_three();
  quire_node_unlink(t.a);
  assert_detached(t.a);
  assert_ptr_equal(t.para->first_child, t.b);
  assert_null(t.b->prev);
  assert_ptr_equal(t.para->last_child, t.c);
  assert_int_equal(child_count(t.para), 2);
  assert_links(t.para);
  quire_doc_free(t.doc);
}

static void test_unlink_middle_child(void **state) {
  (void)state;
  three t = make_three();
  quire_node_unlink(t.b);
  assert_detached(t.b);
  assert_ptr_equal(t.para->first_child, t.a);
  assert_ptr_equal(t.a->next, t.c);
  assert_ptr_equal(t.c->prev, t.a);
  assert_ptr_equal(t.para->last_child, t.c);
  assert_int_equal(child_count(t.para), 2);
  assert_links(t.para);
  quire_doc_free(t.doc);
}

static void test_unlink_last_child(void **state) {
  (void)state;
  three t = make_three();
  quire_node_unlink(t.c);
  assert_detached(t.c);
  assert_ptr_equal(t.para->first_child, t.a);
  assert_ptr_equal(t.para->last_child, t.b);
  assert_null(t.b->next);
  assert_int_equal(child_count(t.para), 2);
  assert_links(t.para);
  quire_doc_free(t.doc);
}

static void test_unlink_only_child_leaves_parent_empty(void **state) {
  (void)state;
  quire_doc *doc = new_doc();
  quire_node *para = add(doc, doc->root, QUIRE_NODE_PARAGRAPH);
  quire_node *only = add_text(doc, para, "only");
  quire_node_unlink(only);
  assert_detached(only);
  assert_null(para->first_child);
  assert_null(para->last_child);
  quire_doc_free(doc);
}

static void test_unlink_keeps_the_nodes_own_children(void **state) {
  (void)state;
  quire_doc *doc = new_doc();
  quire_node *quote = add(doc, doc->root, QUIRE_NODE_BLOCK_QUOTE);
  quire_node *para = add(doc, quote, QUIRE_NODE_PARAGRAPH);
  quire_node_unlink(quote);
  assert_null(doc->root->first_child);
  assert_ptr_equal(quote->first_child, para);
  assert_ptr_equal(para->parent, quote);
  quire_doc_free(doc);
}

static void test_unlink_of_detached_node_is_harmless(void **state) {
  (void)state;
  quire_doc *doc = new_doc();
  quire_node *n = quire_node_new(doc, QUIRE_NODE_PARAGRAPH);
  assert_non_null(n);
  quire_node_unlink(n);
  assert_detached(n);
  quire_doc_free(doc);
}

/* ---- Text ---------------------------------------------------------------- */

static void test_text_is_copied_not_borrowed(void **state) {
  (void)state;
  quire_doc *doc = new_doc();
  char source[] = "hello";
  quire_node *n = quire_node_new_text(doc, QUIRE_NODE_TEXT, source, 5);
  assert_non_null(n);
  assert_ptr_not_equal(n->text, source);
  memcpy(source, "XXXXX", 5);
  assert_string_equal(n->text, "hello");
  quire_doc_free(doc);
}

static void test_text_is_nul_terminated_with_its_length(void **state) {
  (void)state;
  quire_doc *doc = new_doc();
  /* Only the first 5 bytes are taken: the node must end there. */
  const char *source = "hello world";
  quire_node *n = quire_node_new_text(doc, QUIRE_NODE_CODE, source, 5);
  assert_non_null(n);
  assert_int_equal(n->type, QUIRE_NODE_CODE);
  assert_int_equal(n->len, 5);
  assert_int_equal(n->text[5], '\0');
  assert_string_equal(n->text, "hello");
  quire_doc_free(doc);
}

static void test_empty_text_is_an_empty_string(void **state) {
  (void)state;
  quire_doc *doc = new_doc();
  quire_node *n = quire_node_new_text(doc, QUIRE_NODE_TEXT, "", 0);
  assert_non_null(n);
  assert_non_null(n->text);
  assert_int_equal(n->len, 0);
  assert_string_equal(n->text, "");
  quire_doc_free(doc);
}

static void test_text_keeps_utf8_bytes(void **state) {
  (void)state;
  quire_doc *doc = new_doc();
  const char *source = "caf\xc3\xa9 \xe2\x80\x94 \xf0\x9f\x93\x96";
  quire_node *n =
      quire_node_new_text(doc, QUIRE_NODE_TEXT, source, strlen(source));
  assert_non_null(n);
  assert_int_equal(n->len, strlen(source));
  assert_memory_equal(n->text, source, strlen(source) + 1);
  quire_doc_free(doc);
}

static void test_strndup_copies_and_terminates(void **state) {
  (void)state;
  quire_doc *doc = new_doc();
  char source[] = "abcdef";
  char *copy = quire_doc_strndup(doc, source, 3);
  assert_non_null(copy);
  source[0] = 'X';
  assert_string_equal(copy, "abc");
  quire_doc_free(doc);
}

static void test_doc_alloc_is_zeroed(void **state) {
  (void)state;
  quire_doc *doc = new_doc();
  unsigned char *p = quire_doc_alloc(doc, 256);
  assert_non_null(p);
  for (size_t i = 0; i < 256; i++)
    assert_int_equal(p[i], 0);
  quire_doc_free(doc);
}

/* ---- Metadata ------------------------------------------------------------ */

/* The values of `key` in list order, joined by '|'. */
static void values_of(const quire_meta *list, const char *key, char *buf,
                      size_t size) {
  buf[0] = '\0';
  for (const quire_meta *m = list; m; m = m->next)
    if (strcmp(m->key, key) == 0) {
      size_t used = strlen(buf);
      snprintf(buf + used, size - used, "%s%s", used ? "|" : "", m->value);
    }
}

static void test_meta_add_keeps_repeated_keys_in_order(void **state) {
  (void)state;
  quire_doc *doc = new_doc();
  assert_int_equal(quire_meta_add(doc, QUIRE_META_AUTHOR, "Ada"), QUIRE_OK);
  assert_int_equal(quire_meta_add(doc, QUIRE_META_TITLE, "T"), QUIRE_OK);
  assert_int_equal(quire_meta_add(doc, QUIRE_META_AUTHOR, "Brian"), QUIRE_OK);
  assert_int_equal(quire_meta_add(doc, QUIRE_META_AUTHOR, "Grace"), QUIRE_OK);
  char got[128];
  values_of(doc->meta, QUIRE_META_AUTHOR, got, sizeof got);
  assert_string_equal(got, "Ada|Brian|Grace");
  /* Entries stay in the order they were added, whatever their key. */
  assert_string_equal(doc->meta->key, QUIRE_META_AUTHOR);
  assert_string_equal(doc->meta->next->key, QUIRE_META_TITLE);
  quire_doc_free(doc);
}

static void test_meta_get_returns_first_value_or_null(void **state) {
  (void)state;
  quire_doc *doc = new_doc();
  assert_null(quire_meta_get(doc->meta, QUIRE_META_AUTHOR));
  assert_int_equal(quire_meta_add(doc, QUIRE_META_AUTHOR, "Ada"), QUIRE_OK);
  assert_int_equal(quire_meta_add(doc, QUIRE_META_AUTHOR, "Brian"), QUIRE_OK);
  assert_string_equal(quire_meta_get(doc->meta, QUIRE_META_AUTHOR), "Ada");
  assert_null(quire_meta_get(doc->meta, QUIRE_META_TITLE));
  assert_null(quire_meta_get(NULL, QUIRE_META_TITLE));
  quire_doc_free(doc);
}

static void test_meta_set_replaces_every_value_of_a_key(void **state) {
  (void)state;
  quire_doc *doc = new_doc();
  assert_int_equal(quire_meta_add(doc, QUIRE_META_AUTHOR, "Ada"), QUIRE_OK);
  assert_int_equal(quire_meta_add(doc, QUIRE_META_TITLE, "T"), QUIRE_OK);
  assert_int_equal(quire_meta_add(doc, QUIRE_META_AUTHOR, "Brian"), QUIRE_OK);
  assert_int_equal(quire_meta_add(doc, QUIRE_META_LANGUAGE, "en"), QUIRE_OK);
  assert_int_equal(quire_meta_set(doc, QUIRE_META_AUTHOR, "Grace"), QUIRE_OK);
  char got[128];
  values_of(doc->meta, QUIRE_META_AUTHOR, got, sizeof got);
  assert_string_equal(got, "Grace");
  assert_string_equal(quire_meta_get(doc->meta, QUIRE_META_TITLE), "T");
  assert_string_equal(quire_meta_get(doc->meta, QUIRE_META_LANGUAGE), "en");
  size_t entries = 0;
  for (const quire_meta *m = doc->meta; m; m = m->next)
    entries++;
  assert_int_equal(entries, 3);
  quire_doc_free(doc);
}

static void test_meta_set_of_new_key_adds_it(void **state) {
  (void)state;
  quire_doc *doc = new_doc();
  assert_int_equal(quire_meta_set(doc, "publisher", "Acme"), QUIRE_OK);
  assert_string_equal(quire_meta_get(doc->meta, "publisher"), "Acme");
  assert_null(doc->meta->next);
  quire_doc_free(doc);
}

static void test_meta_keys_and_values_are_copied(void **state) {
  (void)state;
  quire_doc *doc = new_doc();
  char key[] = "subject";
  char value[] = "birds";
  assert_int_equal(quire_meta_add(doc, key, value), QUIRE_OK);
  memcpy(key, "xxxxxxx", 7);
  memcpy(value, "fish!", 5);
  assert_string_equal(doc->meta->key, "subject");
  assert_string_equal(doc->meta->value, "birds");
  quire_doc_free(doc);
}

/* ---- The iterator -------------------------------------------------------- */

static void test_iter_gives_enter_and_exit_for_a_container(void **state) {
  (void)state;
  quire_doc *doc = new_doc();
  quire_node *para = add(doc, doc->root, QUIRE_NODE_PARAGRAPH);
  add_text(doc, para, "x");
  ASSERT_WALK(para, "enter paragraph", "enter text", "exit paragraph");
  quire_doc_free(doc);
}

static void test_iter_gives_enter_only_for_a_leaf(void **state) {
  (void)state;
  quire_doc *doc = new_doc();
  quire_node *para = add(doc, doc->root, QUIRE_NODE_PARAGRAPH);
  quire_node *text = add_text(doc, para, "x");
  ASSERT_WALK(text, "enter text");
  quire_node *hr = add(doc, doc->root, QUIRE_NODE_THEMATIC_BREAK);
  ASSERT_WALK(hr, "enter thematic_break");
  quire_doc_free(doc);
}

static void test_iter_gives_exit_for_an_empty_container(void **state) {
  (void)state;
  quire_doc *doc = new_doc();
  ASSERT_WALK(doc->root, "enter document", "exit document");
  quire_node *quote = add(doc, doc->root, QUIRE_NODE_BLOCK_QUOTE);
  ASSERT_WALK(doc->root, "enter document", "enter block_quote",
              "exit block_quote", "exit document");
  ASSERT_WALK(quote, "enter block_quote", "exit block_quote");
  quire_doc_free(doc);
}

static void test_iter_event_sequence_of_a_small_tree(void **state) {
  (void)state;
  /* # Title
   * Some *emph* text
   * ---
   * - item (empty list item) */
  quire_doc *doc = new_doc();
  quire_node *h = add(doc, doc->root, QUIRE_NODE_HEADING);
  h->level = 1;
  add_text(doc, h, "Title");
  quire_node *p = add(doc, doc->root, QUIRE_NODE_PARAGRAPH);
  add_text(doc, p, "Some ");
  quire_node *em = add(doc, p, QUIRE_NODE_EMPH);
  add_text(doc, em, "emph");
  add(doc, p, QUIRE_NODE_SOFT_BREAK);
  add_text(doc, p, "text");
  add(doc, doc->root, QUIRE_NODE_THEMATIC_BREAK);
  quire_node *list = add(doc, doc->root, QUIRE_NODE_BULLET_LIST);
  add(doc, list, QUIRE_NODE_ITEM);

  ASSERT_WALK(doc->root,
              "enter document",
              "enter heading", "enter text", "exit heading",
              "enter paragraph", "enter text",
              "enter emph", "enter text", "exit emph",
              "enter soft_break", "enter text", "exit paragraph",
              "enter thematic_break",
              "enter bullet_list", "enter item", "exit item",
              "exit bullet_list",
              "exit document");
  quire_doc_free(doc);
}

static void test_iter_walk_of_a_subtree_stops_at_its_root(void **state) {
  (void)state;
  quire_doc *doc = new_doc();
  add(doc, doc->root, QUIRE_NODE_PARAGRAPH);
  quire_node *quote = add(doc, doc->root, QUIRE_NODE_BLOCK_QUOTE);
  quire_node *inner = add(doc, quote, QUIRE_NODE_PARAGRAPH);
  add_text(doc, inner, "quoted");
  add(doc, doc->root, QUIRE_NODE_THEMATIC_BREAK);
  /* The quote has a sibling before and after it and a parent above: none
   * of them belongs to its walk. */
  ASSERT_WALK(quote, "enter block_quote", "enter paragraph", "enter text",
              "exit paragraph", "exit block_quote");
  quire_doc_free(doc);
}

static void test_iter_walk_of_a_leaf_with_siblings_stops_at_it(void **state) {
  (void)state;
  quire_doc *doc = new_doc();
  quire_node *p = add(doc, doc->root, QUIRE_NODE_PARAGRAPH);
  add_text(doc, p, "before");
  quire_node *mid = add_text(doc, p, "middle");
  add_text(doc, p, "after");
  quire_iter it;
  quire_iter_init(&it, mid);
  assert_int_equal(quire_iter_next(&it), QUIRE_EV_ENTER);
  assert_ptr_equal(it.node, mid);
  assert_int_equal(quire_iter_next(&it), QUIRE_EV_DONE);
  quire_doc_free(doc);
}

static void test_iter_stays_done_after_the_end(void **state) {
  (void)state;
  quire_doc *doc = new_doc();
  quire_iter it;
  quire_iter_init(&it, doc->root);
  while (quire_iter_next(&it) != QUIRE_EV_DONE)
    ;
  assert_int_equal(quire_iter_next(&it), QUIRE_EV_DONE);
  assert_int_equal(quire_iter_next(&it), QUIRE_EV_DONE);
  quire_doc_free(doc);
}

static void test_iter_of_null_root_is_done_at_once(void **state) {
  (void)state;
  quire_iter it;
  quire_iter_init(&it, NULL);
  assert_int_equal(quire_iter_next(&it), QUIRE_EV_DONE);
}

#define DEEP_QUOTES 100000

static void test_iter_walks_deep_nesting_without_recursion(void **state) {
  (void)state;
  quire_doc *doc = new_doc();
  quire_node *outer = add(doc, doc->root, QUIRE_NODE_BLOCK_QUOTE);
  quire_node *n = outer;
  for (size_t i = 1; i < DEEP_QUOTES; i++)
    n = add(doc, n, QUIRE_NODE_BLOCK_QUOTE);
  quire_node *leaf = add(doc, n, QUIRE_NODE_THEMATIC_BREAK);

  size_t enters = 0, exits = 0, depth = 0, max_depth = 0, leaf_seen = 0;
  const quire_node *last = NULL;
  quire_iter it;
  quire_iter_init(&it, outer);
  while (quire_iter_next(&it) != QUIRE_EV_DONE) {
    if (it.event == QUIRE_EV_ENTER) {
      enters++;
      if (it.node->type == QUIRE_NODE_BLOCK_QUOTE && ++depth > max_depth)
        max_depth = depth;
    } else {
      assert_int_equal(it.event, QUIRE_EV_EXIT);
      exits++;
      depth--;
    }
    if (it.node == leaf) {
      leaf_seen++;
      assert_int_equal(depth, DEEP_QUOTES);
    }
    last = it.node;
  }
  assert_int_equal(enters + exits, 2 * (size_t)DEEP_QUOTES + 1);
  assert_int_equal(enters, DEEP_QUOTES + 1);
  assert_int_equal(exits, DEEP_QUOTES);
  assert_int_equal(max_depth, DEEP_QUOTES);
  assert_int_equal(leaf_seen, 1);
  assert_int_equal(depth, 0);
  assert_ptr_equal(last, outer);
  quire_doc_free(doc);
}

#define MANY_TEXTS 1000000

static void test_million_text_nodes_build_walk_and_free(void **state) {
  (void)state;
  quire_doc *doc = new_doc();
  quire_node *para = add(doc, doc->root, QUIRE_NODE_PARAGRAPH);
  char word[32];
  for (size_t i = 0; i < MANY_TEXTS; i++) {
    int n = snprintf(word, sizeof word, "w%zu", i);
    quire_node *t =
        quire_node_new_text(doc, QUIRE_NODE_TEXT, word, (size_t)n);
    assert_non_null(t);
    quire_node_append(para, t);
  }
  size_t texts = 0;
  int in_order = 1;
  quire_iter it;
  quire_iter_init(&it, doc->root);
  while (quire_iter_next(&it) != QUIRE_EV_DONE)
    if (it.node->type == QUIRE_NODE_TEXT) {
      snprintf(word, sizeof word, "w%zu", texts++);
      in_order &= strcmp(it.node->text, word) == 0;
    }
  assert_int_equal(texts, MANY_TEXTS);
  assert_true(in_order);
  assert_string_equal(para->last_child->text, "w999999");
  /* Everything lives in the arena: this one call must release it all, which
   * the sanitizer build's leak check verifies. */
  quire_doc_free(doc);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_new_doc_has_empty_document_root_and_no_meta),
      cmocka_unit_test(test_doc_free_accepts_null),
      cmocka_unit_test(test_new_node_is_detached_and_zeroed),
      cmocka_unit_test(test_append_refuses_a_block_under_an_inline),
      cmocka_unit_test(test_append_refuses_anything_under_a_text_node),
      cmocka_unit_test(test_append_refuses_a_node_under_itself_or_its_descendant),
      cmocka_unit_test(test_lists_and_tables_hold_only_their_parts),
      cmocka_unit_test(test_insert_before_puts_a_node_before_its_sibling),
      cmocka_unit_test(test_adopted_nodes_live_as_long_as_their_new_document),
      cmocka_unit_test(test_iter_walks_into_a_type_it_does_not_know),
      cmocka_unit_test(test_append_keeps_children_in_order),
      cmocka_unit_test(test_append_sets_parent_prev_next_and_last_child),
      cmocka_unit_test(test_append_moves_a_node_from_its_old_parent),
      cmocka_unit_test(test_append_of_last_child_to_same_parent_keeps_it_last),
      cmocka_unit_test(test_unlink_first_child),
      cmocka_unit_test(test_unlink_middle_child),
      cmocka_unit_test(test_unlink_last_child),
      cmocka_unit_test(test_unlink_only_child_leaves_parent_empty),
      cmocka_unit_test(test_unlink_keeps_the_nodes_own_children),
      cmocka_unit_test(test_unlink_of_detached_node_is_harmless),
      cmocka_unit_test(test_text_is_copied_not_borrowed),
      cmocka_unit_test(test_text_is_nul_terminated_with_its_length),
      cmocka_unit_test(test_empty_text_is_an_empty_string),
      cmocka_unit_test(test_text_keeps_utf8_bytes),
      cmocka_unit_test(test_strndup_copies_and_terminates),
      cmocka_unit_test(test_doc_alloc_is_zeroed),
      cmocka_unit_test(test_meta_add_keeps_repeated_keys_in_order),
      cmocka_unit_test(test_meta_get_returns_first_value_or_null),
      cmocka_unit_test(test_meta_set_replaces_every_value_of_a_key),
      cmocka_unit_test(test_meta_set_of_new_key_adds_it),
      cmocka_unit_test(test_meta_keys_and_values_are_copied),
      cmocka_unit_test(test_iter_gives_enter_and_exit_for_a_container),
      cmocka_unit_test(test_iter_gives_enter_only_for_a_leaf),
      cmocka_unit_test(test_iter_gives_exit_for_an_empty_container),
      cmocka_unit_test(test_iter_event_sequence_of_a_small_tree),
      cmocka_unit_test(test_iter_walk_of_a_subtree_stops_at_its_root),
      cmocka_unit_test(test_iter_walk_of_a_leaf_with_siblings_stops_at_it),
      cmocka_unit_test(test_iter_stays_done_after_the_end),
      cmocka_unit_test(test_iter_of_null_root_is_done_at_once),
      cmocka_unit_test(test_iter_walks_deep_nesting_without_recursion),
      cmocka_unit_test(test_million_text_nodes_build_walk_and_free),
  };
  return test_main_status(cmocka_run_group_tests(tests, NULL, NULL));
}
