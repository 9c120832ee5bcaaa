/* test_txt_model.c - the txt writer on every node type of the model: trees
 * built in memory with quire.h, converted to txt through the library (the
 * test reader doc-feed hands them to the core), and the text checked as a
 * reader would check it: notes, tables, lists, line blocks, definitions,
 * math, images, and not one word lost. */
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

#define PLUGINS QUIRE_TEST_PLUGIN_DIR

static int setup(void **state) {
  int rc = fixture_setup(state);
  fixture *f = *state;
  assert_int_equal(quire_load_plugin_file(f->s, PLUGINS "/doc_feed.so"),
                   QUIRE_OK);
  return rc;
}

/* ---- Building trees ----------------------------------------------------- */

static quire_node *add(quire_node *parent, quire_doc *d, quire_node_type t) {
  quire_node *n = quire_node_new(d, t);
  assert_non_null(n);
  assert_int_equal(quire_node_append(parent, n), QUIRE_OK);
  return n;
}

static quire_node *text(quire_node *parent, quire_doc *d, const char *s) {
  quire_node *n = quire_node_new_text(d, QUIRE_NODE_TEXT, s, strlen(s));
  assert_non_null(n);
  assert_int_equal(quire_node_append(parent, n), QUIRE_OK);
  return n;
}

/* A node of type t under parent holding the text s. */
static quire_node *with_text(quire_node *parent, quire_doc *d,
                             quire_node_type t, const char *s) {
  quire_node *n = add(parent, d, t);
  text(n, d, s);
  return n;
}

static quire_node *para(quire_node *parent, quire_doc *d, const char *s) {
  return with_text(parent, d, QUIRE_NODE_PARAGRAPH, s);
}

static quire_node *math(quire_node *parent, quire_doc *d, const char *tex,
                        int kind) {
  quire_node *n = quire_node_new_text(d, QUIRE_NODE_MATH, tex, strlen(tex));
  n->kind = kind;
  assert_int_equal(quire_node_append(parent, n), QUIRE_OK);
  return n;
}

/* A cell of row r holding inline text s, spanning rows and columns. */
static quire_node *cell(quire_node *r, quire_doc *d, const char *s,
                        int rowspan, int colspan) {
  quire_node *c = add(r, d, QUIRE_NODE_TABLE_CELL);
  c->rowspan = rowspan;
  c->colspan = colspan;
  if (s)
    text(c, d, s);
  return c;
}

/* A row of cells under g (a head, body or table) from a NULL-terminated
 * list of texts. */
static quire_node *row(quire_node *g, quire_doc *d, ...) {
  quire_node *r = add(g, d, QUIRE_NODE_TABLE_ROW);
  va_list ap;
  va_start(ap, d);
  for (const char *s; (s = va_arg(ap, const char *));)
    cell(r, d, s, 0, 0);
  va_end(ap);
  return r;
}

/* ---- Converting --------------------------------------------------------- */

typedef struct notes {
  char text[4096];
} notes;

static void on_diag(void *user, quire_severity sev, const quire_loc *loc,
                    const char *msg) {
  (void)loc;
  notes *n = user;
  size_t used = strlen(n->text);
  snprintf(n->text + used, sizeof n->text - used, "%d:%s;", (int)sev, msg);
}

/* Converts doc (which the conversion frees) to txt in memory, with
 * --columns when columns is not NULL; the text, which the caller frees. */
static char *convert(fixture *f, quire_doc *doc, const char *columns) {
  quire_source src = {.name = "model.docfeed", .format = "doc-feed",
                      .data = &doc, .len = sizeof doc};
  quire_option opt = {"columns", columns};
  char *out = NULL;
  size_t len = 0;
  quire_status st = {0};
  quire_job job = {.sources = &src, .n_sources = 1, .to = "txt",
                   .options = columns ? &opt : NULL,
                   .n_options = columns ? 1 : 0, .output_data = &out,
                   .output_len = &len, .status = &st};
  if (quire_convert(f->s, &job) < QUIRE_OK)
    fail_msg("conversion failed: %s", st.error.message);
  assert_non_null(out);
  return out;
}

static void assert_text(const char *got, const char *want) {
  if (strcmp(got, want) != 0)
    fail_msg("expected:\n%s\n---- got:\n%s\n----", want, got);
}

static void assert_has(const char *got, const char *part) {
  if (!strstr(got, part))
    fail_msg("expected \"%s\" in:\n%s", part, got);
}

/* ---- Notes -------------------------------------------------------------- */

static void test_note_is_a_number_where_called_and_its_text_at_the_end(
    void **state) {
  quire_doc *d = quire_doc_new();
  quire_node *p = para(d->root, d, "Green tea");
  para(add(p, d, QUIRE_NODE_NOTE), d, "Picked in May.");
  text(p, d, " costs little");
  quire_node *note = add(p, d, QUIRE_NODE_NOTE);
  para(note, d, "Two pounds a tin.");
  para(note, d, "Less in bulk.");
  text(p, d, ".");
  para(d->root, d, "More prose follows the notes' calls.");
  char *out = convert(*state, d, NULL);
  assert_text(out, "Green tea[1] costs little[2].\n\n"
                   "More prose follows the notes' calls.\n\n"
                   "Notes\n-----\n\n"
                   "[1] Picked in May.\n\n"
                   "[2] Two pounds a tin.\n\n"
                   "    Less in bulk.\n");
  free(out);
}

static void test_a_note_in_a_note_gets_its_own_number(void **state) {
  quire_doc *d = quire_doc_new();
  quire_node *p = para(d->root, d, "Outer");
  quire_node *np = para(add(p, d, QUIRE_NODE_NOTE), d, "First note");
  para(add(np, d, QUIRE_NODE_NOTE), d, "Note of the note.");
  text(np, d, " ends.");
  text(p, d, " and");
  para(add(p, d, QUIRE_NODE_NOTE), d, "Second note.");
  char *out = convert(*state, d, NULL);
  assert_text(out, "Outer[1] and[2]\n\n"
                   "Notes\n-----\n\n"
                   "[1] First note[3] ends.\n\n"
                   "[2] Second note.\n\n"
                   "[3] Note of the note.\n");
  free(out);
}

static void test_notes_wrap_under_their_marker_like_list_items(void **state) {
  quire_doc *d = quire_doc_new();
  quire_node *p = para(d->root, d, "Called");
  para(add(p, d, QUIRE_NODE_NOTE), d,
       "A note long enough to wrap at twenty columns.");
  char *out = convert(*state, d, "20");
  assert_text(out, "Called[1]\n\nNotes\n-----\n\n"
                   "[1] A note long\n"
                   "    enough to wrap\n"
                   "    at twenty\n"
                   "    columns.\n");
  free(out);
}

static void test_a_note_starting_with_a_list_shows_its_number(void **state) {
  quire_doc *d = quire_doc_new();
  quire_node *p = para(d->root, d, "Called");
  quire_node *note = add(p, d, QUIRE_NODE_NOTE);
  quire_node *list = add(note, d, QUIRE_NODE_BULLET_LIST);
  para(add(list, d, QUIRE_NODE_ITEM), d, "first point");
  para(add(list, d, QUIRE_NODE_ITEM), d, "second point");
  para(note, d, "After the list.");
  char *out = convert(*state, d, NULL);
  assert_text(out, "Called[1]\n\nNotes\n-----\n\n"
                   "[1] \xE2\x80\xA2 first point\n"
                   "    \xE2\x80\xA2 second point\n\n"
                   "    After the list.\n");
  free(out);
}

static void test_each_document_numbers_its_own_notes(void **state) {
  fixture *f = *state;
  quire_doc *docs[2];
  for (int i = 0; i < 2; i++) {
    quire_doc *d = docs[i] = quire_doc_new();
    quire_node *p = para(d->root, d, i ? "Second" : "First");
    para(add(p, d, QUIRE_NODE_NOTE), d, i ? "Note B." : "Note A.");
  }
  quire_source src[2];
  for (int i = 0; i < 2; i++)
    src[i] = (quire_source){.name = "m.docfeed", .format = "doc-feed",
                            .data = &docs[i], .len = sizeof docs[i]};
  char *out = NULL;
  size_t len = 0;
  quire_job job = {.sources = src, .n_sources = 2, .to = "txt",
                   .output_data = &out, .output_len = &len};
  assert_int_equal(quire_convert(f->s, &job), QUIRE_OK);
  /* Each document under its title (the source's name), a rule between
   * them; no title at the top: no --title, no folder, no file. */
  assert_text(out, "m\n===\n\nFirst[1]\n\nNotes\n-----\n\n[1] Note A.\n\n"
                   "* * *\n\n"
                   "m\n===\n\nSecond[1]\n\nNotes\n-----\n\n[1] Note B.\n");
  free(out);
  /* --no-boundaries: one after the other. */
  for (int i = 0; i < 2; i++) {
    quire_doc *d = docs[i] = quire_doc_new();
    quire_node *p = para(d->root, d, i ? "Second" : "First");
    para(add(p, d, QUIRE_NODE_NOTE), d, i ? "Note B." : "Note A.");
  }
  quire_option run_on = {"no-boundaries", "1"};
  job.options = &run_on;
  job.n_options = 1;
  out = NULL;
  assert_int_equal(quire_convert(f->s, &job), QUIRE_OK);
  assert_text(out, "First[1]\n\nNotes\n-----\n\n[1] Note A.\n\n"
                   "Second[1]\n\nNotes\n-----\n\n[1] Note B.\n");
  free(out);
}

/* ---- Tables ------------------------------------------------------------- */

static void test_table_columns_align_by_display_width(void **state) {
  quire_doc *d = quire_doc_new();
  quire_node *t = add(d->root, d, QUIRE_NODE_TABLE);
  with_text(add(t, d, QUIRE_NODE_CAPTION), d, QUIRE_NODE_PARAGRAPH,
            "Stock by item");
  add(t, d, QUIRE_NODE_TABLE_COLUMN);
  add(t, d, QUIRE_NODE_TABLE_COLUMN)->align = QUIRE_ALIGN_RIGHT;
  add(t, d, QUIRE_NODE_TABLE_COLUMN);
  /* 日本茶 is three wide characters, six columns; "Cafe\u0301" has a
   * combining accent that takes no column. */
  row(add(t, d, QUIRE_NODE_TABLE_HEAD), d, "Item", "Qty", "Note", NULL);
  quire_node *body = add(t, d, QUIRE_NODE_TABLE_BODY);
  row(body, d, "\xE6\x97\xA5\xE6\x9C\xAC\xE8\x8C\xB6", "12", "green", NULL);
  row(body, d, "Cafe\xCC\x81", "3", "", NULL);
  quire_node *r = row(body, d, "tea", NULL);
  cell(r, d, "140", 0, 0)->align = QUIRE_ALIGN_CENTER;
  cell(r, d, "loose", 0, 0);
  char *out = convert(*state, d, NULL);
  assert_text(out, "Table: Stock by item\n\n"
                   "Item    Qty  Note\n"
                   "------  ---  -----\n"
                   "\xE6\x97\xA5\xE6\x9C\xAC\xE8\x8C\xB6   12  green\n"
                   "Cafe\xCC\x81      3\n"
                   "tea     140  loose\n");
  free(out);
}

static void test_spanning_cells_take_their_columns_and_leave_rows_blank(
    void **state) {
  quire_doc *d = quire_doc_new();
  quire_node *t = add(d->root, d, QUIRE_NODE_TABLE);
  quire_node *head = add(t, d, QUIRE_NODE_TABLE_HEAD);
  quire_node *h = add(head, d, QUIRE_NODE_TABLE_ROW);
  cell(h, d, "Region", 2, 0);
  cell(h, d, "Sales in the year", 0, 2);
  row(head, d, "Q1", "Q2", NULL);
  quire_node *body = add(t, d, QUIRE_NODE_TABLE_BODY);
  quire_node *r = add(body, d, QUIRE_NODE_TABLE_ROW);
  cell(r, d, "North", 2, 0);
  cell(r, d, "10", 0, 0);
  cell(r, d, "20", 0, 0);
  row(body, d, "11", "21", NULL);
  row(body, d, "South", "30", "40", NULL);
  char *out = convert(*state, d, NULL);
  /* "Sales in the year" (17) is wider than Q1 and Q2 with the space
   * between them: both widen evenly. */
  assert_text(out, "Region  Sales in the year\n"
                   "        Q1        Q2\n"
                   "------  --------  -------\n"
                   "North   10        20\n"
                   "        11        21\n"
                   "South   30        40\n");
  free(out);
}

static void test_cells_holding_blocks_give_a_line_per_paragraph(
    void **state) {
  quire_doc *d = quire_doc_new();
  quire_node *t = add(d->root, d, QUIRE_NODE_TABLE);
  quire_node *r = add(add(t, d, QUIRE_NODE_TABLE_BODY), d,
                      QUIRE_NODE_TABLE_ROW);
  quire_node *c = cell(r, d, NULL, 0, 0);
  para(c, d, "First paragraph");
  para(c, d, "second one");
  quire_node *list = add(c, d, QUIRE_NODE_BULLET_LIST);
  para(add(list, d, QUIRE_NODE_ITEM), d, "an item");
  cell(r, d, "beside", 0, 0);
  char *out = convert(*state, d, NULL);
  assert_text(out, "First paragraph  beside\n"
                   "second one\n"
                   "\xE2\x80\xA2 an item\n");
  free(out);
}

static void test_old_tree_rows_directly_under_the_table_still_align(
    void **state) {
  quire_doc *d = quire_doc_new();
  quire_node *t = add(d->root, d, QUIRE_NODE_TABLE);
  row(t, d, "Month", "Count", NULL)->header = 1;
  row(t, d, "June", "41", NULL);
  row(t, d, "September", "7", NULL);
  char *out = convert(*state, d, NULL);
  assert_text(out, "Month      Count\n"
                   "---------  -----\n"
                   "June       41\n"
                   "September  7\n");
  free(out);
}

static void test_table_foot_follows_a_rule(void **state) {
  quire_doc *d = quire_doc_new();
  quire_node *t = add(d->root, d, QUIRE_NODE_TABLE);
  row(add(t, d, QUIRE_NODE_TABLE_BODY), d, "tea", "3", NULL);
  row(add(t, d, QUIRE_NODE_TABLE_FOOT), d, "Total", "3", NULL);
  char *out = convert(*state, d, NULL);
  assert_text(out, "tea    3\n-----  -\nTotal  3\n");
  free(out);
}

/* A table too wide for --columns: its cells wrap inside narrower
 * columns, none narrower than its longest word. */
static void test_wide_table_wraps_cell_text_inside_its_columns(
    void **state) {
  quire_doc *d = quire_doc_new();
  quire_node *t = add(d->root, d, QUIRE_NODE_TABLE);
  row(add(t, d, QUIRE_NODE_TABLE_HEAD), d, "Name", "What it does", NULL);
  row(add(t, d, QUIRE_NODE_TABLE_BODY), d, "kettle",
      "boils the water for the tea in the morning", NULL);
  char *out = convert(*state, d, "30");
  assert_text(out, "Name    What it does\n"
                   "------  ----------------------\n"
                   "kettle  boils the water for\n"
                   "        the tea in the morning\n");
  for (char *line = out, *nl; (nl = strchr(line, '\n')); line = nl + 1)
    assert_true(nl - line <= 30);
  free(out);
}

/* When even the longest words do not fit, each row becomes a block of
 * "header: value" lines. */
static void test_table_whose_words_do_not_fit_becomes_header_value_blocks(
    void **state) {
  quire_doc *d = quire_doc_new();
  quire_node *t = add(d->root, d, QUIRE_NODE_TABLE);
  row(add(t, d, QUIRE_NODE_TABLE_HEAD), d, "Instrument", "Manufacturer",
      "Description", NULL);
  quire_node *body = add(t, d, QUIRE_NODE_TABLE_BODY);
  row(body, d, "Harpsichord", "Neupert", "a keyboard whose strings are "
      "plucked", NULL);
  row(body, d, "Clavichord", "", "struck by tangents", NULL);
  char *out = convert(*state, d, "24");
  assert_text(out, "Instrument: Harpsichord\n"
                   "Manufacturer: Neupert\n"
                   "Description: a keyboard\n"
                   "  whose strings are\n"
                   "  plucked\n\n"
                   "Instrument: Clavichord\n"
                   "Description: struck by\n"
                   "  tangents\n");
  free(out);
}

static void test_a_table_in_a_list_item_is_indented_with_it(void **state) {
  quire_doc *d = quire_doc_new();
  quire_node *item = add(add(d->root, d, QUIRE_NODE_BULLET_LIST), d,
                         QUIRE_NODE_ITEM);
  para(item, d, "Prices:");
  quire_node *t = add(item, d, QUIRE_NODE_TABLE);
  row(t, d, "tea", "3", NULL);
  row(t, d, "coffee", "4", NULL);
  char *out = convert(*state, d, NULL);
  assert_text(out, "\xE2\x80\xA2 Prices:\n\n  tea     3\n  coffee  4\n");
  free(out);
}

static void test_a_note_in_a_table_cell_joins_the_document_notes(
    void **state) {
  quire_doc *d = quire_doc_new();
  quire_node *p = para(d->root, d, "Before");
  para(add(p, d, QUIRE_NODE_NOTE), d, "Note one.");
  quire_node *t = add(d->root, d, QUIRE_NODE_TABLE);
  quire_node *r = add(t, d, QUIRE_NODE_TABLE_ROW);
  quire_node *c = cell(r, d, "cell", 0, 0);
  para(add(c, d, QUIRE_NODE_NOTE), d, "Note two.");
  cell(r, d, "other", 0, 0);
  char *out = convert(*state, d, NULL);
  assert_text(out, "Before[1]\n\ncell[2]  other\n\nNotes\n-----\n\n"
                   "[1] Note one.\n\n[2] Note two.\n");
  free(out);
}

/* Fails unless the words follow each other in text, in order, each a
 * whole word. */
static void assert_in_order(const char *text, char *const *words, int n) {
  const char *at = text;
  for (int i = 0; i < n; i++) {
    size_t len = strlen(words[i]);
    const char *p = at;
    while ((p = strstr(p, words[i])) &&
           ((p > text && p[-1] != ' ' && p[-1] != '\n') ||
            (p[len] && p[len] != ' ' && p[len] != '\n')))
      p++;
    if (!p)
      fail_msg("\"%s\" missing or out of order in:\n%s", words[i], text);
    at = p + len;
  }
}

/* Tables in table cells, deeper than any page nests them: a table holding
 * a table is written flat, a row per line, and every word is kept in
 * order. */
static void test_tables_nested_deeply_keep_every_word_in_order(
    void **state) {
  enum { DEPTH = 200 };
  quire_doc *d = quire_doc_new();
  quire_node *parent = d->root;
  char *words[DEPTH + 1];
  for (int i = 0; i < DEPTH; i++) {
    quire_node *r = add(add(parent, d, QUIRE_NODE_TABLE), d,
                        QUIRE_NODE_TABLE_ROW);
    words[i] = malloc(16);
    snprintf(words[i], 16, "w%d", i);
    cell(r, d, words[i], 0, 0);
    parent = cell(r, d, NULL, 0, 0);
  }
  words[DEPTH] = "bottom";
  para(parent, d, words[DEPTH]);
  char *out = convert(*state, d, NULL);
  assert_in_order(out, words, DEPTH + 1);
  for (int i = 0; i < DEPTH; i++)
    free(words[i]);
  free(out);
}

/* Figures in the captions of figures, each caption before its figure's
 * content, nested deeper than the writer puts captions off (each put-off
 * caption is a nested walk): every word kept, the innermost figures'
 * captions written in place. */
static void test_figures_nested_in_captions_keep_every_word(void **state) {
  enum { DEPTH = 100 };
  quire_doc *d = quire_doc_new();
  quire_node *parent = d->root;
  char *words[2 * DEPTH];
  for (int i = 0; i < DEPTH; i++) {
    quire_node *fig = add(parent, d, QUIRE_NODE_FIGURE);
    quire_node *caption = add(fig, d, QUIRE_NODE_CAPTION);
    words[2 * i] = malloc(16);
    snprintf(words[2 * i], 16, "cap%d", i);
    para(caption, d, words[2 * i]);
    words[2 * i + 1] = malloc(16);
    snprintf(words[2 * i + 1], 16, "body%d", i);
    para(fig, d, words[2 * i + 1]);
    parent = caption;
  }
  char *out = convert(*state, d, NULL);
  for (int i = 0; i < 2 * DEPTH; i++) {
    assert_has(out, words[i]);
    free(words[i]);
  }
  /* the outermost: its content, then its caption */
  const char *first = "body0\n\nFigure: cap0\n\nbody1\n";
  assert_true(strncmp(out, first, strlen(first)) == 0);
  free(out);
}

/* ---- Lists -------------------------------------------------------------- */

static quire_node *ordered(quire_node *parent, quire_doc *d,
                           quire_list_style style, quire_list_delim delim,
                           int start, int items) {
  quire_node *l = add(parent, d, QUIRE_NODE_ORDERED_LIST);
  l->style = style;
  l->delim = delim;
  l->start = start;
  l->tight = 1;
  for (int i = 0; i < items; i++)
    para(add(l, d, QUIRE_NODE_ITEM), d, "x");
  return l;
}

static void test_ordered_lists_are_numbered_in_their_style(void **state) {
  quire_doc *d = quire_doc_new();
  ordered(d->root, d, QUIRE_LIST_LOWER_ALPHA, QUIRE_DELIM_PERIOD, 1, 3);
  ordered(d->root, d, QUIRE_LIST_UPPER_ALPHA, QUIRE_DELIM_PAREN, 26, 2);
  ordered(d->root, d, QUIRE_LIST_LOWER_ROMAN, QUIRE_DELIM_TWO_PARENS, 3, 2);
  ordered(d->root, d, QUIRE_LIST_UPPER_ROMAN, QUIRE_DELIM_DEFAULT, 1999, 1);
  ordered(d->root, d, QUIRE_LIST_DECIMAL, QUIRE_DELIM_PAREN, 9, 2);
  ordered(d->root, d, QUIRE_LIST_DEFAULT, QUIRE_DELIM_DEFAULT, 1, 1);
  char *out = convert(*state, d, NULL);
  assert_text(out, "a. x\nb. x\nc. x\n\n"
                   "Z) x\nAA) x\n\n"
                   "(iii) x\n(iv) x\n\n"
                   "MCMXCIX. x\n\n"
                   "9) x\n10) x\n\n"
                   "1. x\n");
  free(out);
}

static void test_tight_lists_go_line_by_line_loose_ones_with_blank_lines(
    void **state) {
  quire_doc *d = quire_doc_new();
  quire_node *tight = add(d->root, d, QUIRE_NODE_BULLET_LIST);
  tight->tight = 1;
  para(add(tight, d, QUIRE_NODE_ITEM), d, "one");
  para(add(tight, d, QUIRE_NODE_ITEM), d, "two");
  quire_node *loose = add(d->root, d, QUIRE_NODE_BULLET_LIST);
  quire_node *item = add(loose, d, QUIRE_NODE_ITEM);
  para(item, d, "three");
  para(item, d, "still three");
  para(add(loose, d, QUIRE_NODE_ITEM), d, "four");
  char *out = convert(*state, d, NULL);
  assert_text(out, "\xE2\x80\xA2 one\n\xE2\x80\xA2 two\n\n"
                   "\xE2\x80\xA2 three\n\n  still three\n\n"
                   "\xE2\x80\xA2 four\n");
  free(out);
}

/* ---- Other blocks ------------------------------------------------------- */

static void test_line_block_keeps_each_line_and_its_leading_spaces(
    void **state) {
  quire_doc *d = quire_doc_new();
  quire_node *lb = add(d->root, d, QUIRE_NODE_LINE_BLOCK);
  with_text(lb, d, QUIRE_NODE_LINE, "The sea is calm tonight.");
  with_text(lb, d, QUIRE_NODE_LINE, "    The tide is full, the moon lies "
                                    "fair");
  add(lb, d, QUIRE_NODE_LINE);
  with_text(lb, d, QUIRE_NODE_LINE, "Upon the straits;");
  /* --columns never re-wraps a line block. */
  char *out = convert(*state, d, "20");
  assert_text(out, "The sea is calm tonight.\n"
                   "    The tide is full, the moon lies fair\n"
                   "\n"
                   "Upon the straits;\n");
  free(out);
}

static void test_definition_list_puts_definitions_under_their_term(
    void **state) {
  quire_doc *d = quire_doc_new();
  quire_node *dl = add(d->root, d, QUIRE_NODE_DEFINITION_LIST);
  with_text(dl, d, QUIRE_NODE_TERM, "Oolong");
  quire_node *def = add(dl, d, QUIRE_NODE_DEFINITION);
  para(def, d, "A tea partly oxidized.");
  para(def, d, "Often rolled.");
  para(add(dl, d, QUIRE_NODE_DEFINITION), d, "A second sense.");
  with_text(dl, d, QUIRE_NODE_TERM, "Pu-erh");
  with_text(dl, d, QUIRE_NODE_TERM, "Puer");
  para(add(dl, d, QUIRE_NODE_DEFINITION), d, "A fermented tea.");
  char *out = convert(*state, d, NULL);
  assert_text(out, "Oolong\n"
                   "    A tea partly oxidized.\n\n"
                   "    Often rolled.\n\n"
                   "    A second sense.\n\n"
                   "Pu-erh\nPuer\n"
                   "    A fermented tea.\n");
  free(out);
}

static void test_math_is_its_tex_inline_and_display_on_its_own_line(
    void **state) {
  quire_doc *d = quire_doc_new();
  quire_node *p = para(d->root, d, "Energy ");
  math(p, d, "E = mc^2", QUIRE_MATH_INLINE);
  text(p, d, " and the integral ");
  math(p, d, "\\int_0^1 x\\,dx", QUIRE_MATH_DISPLAY);
  add(p, d, QUIRE_NODE_SOFT_BREAK);
  text(p, d, "is one half.");
  char *out = convert(*state, d, NULL);
  assert_text(out, "Energy $E = mc^2$ and the integral\n"
                   "$$\\int_0^1 x\\,dx$$\n"
                   "is one half.\n");
  free(out);
}

static void test_div_is_its_content_and_a_figure_caption_follows_it(
    void **state) {
  quire_doc *d = quire_doc_new();
  quire_node *div = add(d->root, d, QUIRE_NODE_DIV);
  quire_node_set_attr(d, div, "class", "aside");
  para(div, d, "Inside a div.");
  quire_node *fig = add(d->root, d, QUIRE_NODE_FIGURE);
  /* the caption first, as some readers put it: written after */
  para(add(fig, d, QUIRE_NODE_CAPTION), d, "A teapot on a tray.");
  quire_node *img = add(para(fig, d, ""), d, QUIRE_NODE_IMAGE);
  img->url = "images/teapot.png";
  text(img, d, "teapot");
  char *out = convert(*state, d, NULL);
  assert_text(out, "Inside a div.\n\nteapot\n\nFigure: A teapot on a tray.\n");
  free(out);
}

/* ---- Inlines ------------------------------------------------------------ */

static void test_inline_types_are_their_text_and_quotes_are_typographic(
    void **state) {
  quire_doc *d = quire_doc_new();
  quire_node *p = para(d->root, d, "H");
  with_text(p, d, QUIRE_NODE_SUBSCRIPT, "2");
  text(p, d, "O, x");
  with_text(p, d, QUIRE_NODE_SUPERSCRIPT, "2");
  text(p, d, ", ");
  with_text(p, d, QUIRE_NODE_STRIKEOUT, "struck");
  text(p, d, " ");
  with_text(p, d, QUIRE_NODE_UNDERLINE, "under");
  text(p, d, " ");
  with_text(p, d, QUIRE_NODE_SMALL_CAPS, "caps");
  text(p, d, " ");
  quire_node *span = with_text(p, d, QUIRE_NODE_SPAN, "span");
  quire_node_set_attr(d, span, "lang", "fr");
  text(p, d, " ");
  quire_node *q = add(p, d, QUIRE_NODE_QUOTED);
  text(q, d, "said ");
  quire_node *inner = with_text(q, d, QUIRE_NODE_QUOTED, "no");
  inner->kind = QUIRE_QUOTE_SINGLE;
  char *out = convert(*state, d, NULL);
  assert_text(out, "H2O, x2, struck under caps span "
                   "\xE2\x80\x9Csaid \xE2\x80\x98no\xE2\x80\x99\xE2\x80\x9D\n");
  free(out);
}

static void test_image_is_its_alt_text_and_verbose_counts_them(
    void **state) {
  fixture *f = *state;
  notes diag = {{0}};
  quire_set_diag(f->s, on_diag, &diag);
  quire_set_verbose(f->s, 1);
  quire_doc *d = quire_doc_new();
  quire_node *p = para(d->root, d, "See ");
  quire_node *img = with_text(p, d, QUIRE_NODE_IMAGE, "a map of the bay");
  img->url = "map.png";
  text(p, d, " and ");
  img = with_text(p, d, QUIRE_NODE_IMAGE, "its key");
  img->url = "https://example.org/key.png";
  add(p, d, QUIRE_NODE_IMAGE)->url = "decoration.gif";   /* no alt */
  char *out = convert(f, d, NULL);
  assert_text(out, "See a map of the bay and its key\n");
  assert_has(diag.text, "3 images left out");
  free(out);
}

/* ---- Nothing lost ------------------------------------------------------- */

/* A document holding every node type, each with a word of its own. */
static quire_doc *every_type(void) {
  quire_doc *d = quire_doc_new();
  quire_node *sec = add(d->root, d, QUIRE_NODE_SECTION);
  with_text(sec, d, QUIRE_NODE_HEADING, "alphaheading")->level = 1;
  quire_node *p = para(sec, d, "betapara ");
  with_text(p, d, QUIRE_NODE_EMPH, "gammaemph");
  with_text(p, d, QUIRE_NODE_STRONG, " deltastrong ");
  quire_node *code = quire_node_new_text(d, QUIRE_NODE_CODE, "epsiloncode",
                                         11);
  quire_node_append(p, code);
  quire_node *link = with_text(p, d, QUIRE_NODE_LINK, " zetalink ");
  link->url = "#x";
  with_text(p, d, QUIRE_NODE_IMAGE, "etaimage")->url = "i.png";
  add(p, d, QUIRE_NODE_LINE_BREAK);
  text(p, d, "thetabreak");
  add(p, d, QUIRE_NODE_SOFT_BREAK);
  quire_node *raw = quire_node_new_text(d, QUIRE_NODE_RAW_INLINE, "iotaraw",
                                        7);
  raw->info = "html";
  quire_node_append(p, raw);
  text(p, d, " ");
  para(add(p, d, QUIRE_NODE_NOTE), d, "kappanote");
  with_text(p, d, QUIRE_NODE_SPAN, " lambdaspan");
  with_text(p, d, QUIRE_NODE_STRIKEOUT, " mustrike");
  with_text(p, d, QUIRE_NODE_SUPERSCRIPT, " nusup");
  with_text(p, d, QUIRE_NODE_SUBSCRIPT, " xisub");
  with_text(p, d, QUIRE_NODE_SMALL_CAPS, " omicronsc");
  with_text(p, d, QUIRE_NODE_UNDERLINE, " piunder ");
  with_text(p, d, QUIRE_NODE_QUOTED, "rhoquoted");
  text(p, d, " ");
  math(p, d, "sigmamath", QUIRE_MATH_INLINE);
  text(p, d, " ");
  math(p, d, "taumath", QUIRE_MATH_DISPLAY);
  quire_node *ol = add(sec, d, QUIRE_NODE_ORDERED_LIST);
  ol->style = QUIRE_LIST_LOWER_ROMAN;
  para(add(ol, d, QUIRE_NODE_ITEM), d, "upsilonitem");
  quire_node *ul = add(sec, d, QUIRE_NODE_BULLET_LIST);
  para(add(ul, d, QUIRE_NODE_ITEM), d, "phiitem");
  para(add(d->root, d, QUIRE_NODE_BLOCK_QUOTE), d, "chiquote");
  quire_node *cb = quire_node_new_text(d, QUIRE_NODE_CODE_BLOCK,
                                       "psicode\n", 8);
  quire_node_append(d->root, cb);
  add(d->root, d, QUIRE_NODE_THEMATIC_BREAK);
  quire_node *rb = quire_node_new_text(d, QUIRE_NODE_RAW_BLOCK, "omegaraw",
                                       8);
  rb->info = "html";
  quire_node_append(d->root, rb);
  para(add(d->root, d, QUIRE_NODE_DIV), d, "aadiv");
  quire_node *lb = add(d->root, d, QUIRE_NODE_LINE_BLOCK);
  with_text(lb, d, QUIRE_NODE_LINE, "bbline");
  quire_node *dl = add(d->root, d, QUIRE_NODE_DEFINITION_LIST);
  with_text(dl, d, QUIRE_NODE_TERM, "ccterm");
  para(add(dl, d, QUIRE_NODE_DEFINITION), d, "dddefinition");
  quire_node *fig = add(d->root, d, QUIRE_NODE_FIGURE);
  para(fig, d, "eefigure");
  para(add(fig, d, QUIRE_NODE_CAPTION), d, "ffcaption");
  quire_node *t = add(d->root, d, QUIRE_NODE_TABLE);
  para(add(t, d, QUIRE_NODE_CAPTION), d, "ggcaption");
  add(t, d, QUIRE_NODE_TABLE_COLUMN);
  add(t, d, QUIRE_NODE_TABLE_COLUMN);
  row(add(t, d, QUIRE_NODE_TABLE_HEAD), d, "hhhead", "iihead", NULL);
  quire_node *r = add(add(t, d, QUIRE_NODE_TABLE_BODY), d,
                      QUIRE_NODE_TABLE_ROW);
  para(cell(r, d, NULL, 0, 0), d, "jjblockcell");
  cell(r, d, "kkcell", 0, 0);
  row(add(t, d, QUIRE_NODE_TABLE_FOOT), d, "llfoot", "mmfoot", NULL);
  return d;
}

/* The words of every node's text in the tree, space-separated, but for
 * raw HTML, which the txt writer leaves out (with a warning). */
static char *words_of(const quire_doc *d) {
  size_t cap = 1 << 14, used = 0;
  char *w = calloc(1, cap);
  assert_non_null(w);
  quire_iter it;
  quire_iter_init(&it, d->root);
  while (quire_iter_next(&it) != QUIRE_EV_DONE)
    if (it.event == QUIRE_EV_ENTER && it.node->text &&
        it.node->type != QUIRE_NODE_RAW_INLINE &&
        it.node->type != QUIRE_NODE_RAW_BLOCK) {
      assert_true(used + it.node->len + 2 < cap);
      memcpy(w + used, it.node->text, it.node->len);
      used += it.node->len;
      w[used++] = ' ';
    }
  return w;
}

static void test_every_word_of_every_node_type_is_written(void **state) {
  quire_doc *d = every_type();
  char *words = words_of(d);
  char *out = convert(*state, d, NULL);
  int n = 0;
  char *save = NULL;
  for (char *tok = strtok_r(words, " \n", &save); tok;
       tok = strtok_r(NULL, " \n", &save), n++)
    assert_has(out, tok);
  assert_int_equal(n, 35);   /* the words every_type() holds, raw HTML's
                                two left out */
  assert_null(strstr(out, "iotaraw"));
  assert_null(strstr(out, "omegaraw"));
  free(words);
  free(out);
}

static void test_every_word_is_written_when_wrapping_too(void **state) {
  quire_doc *d = every_type();
  char *words = words_of(d);
  char *out = convert(*state, d, "12");
  char *save = NULL;
  for (char *tok = strtok_r(words, " \n", &save); tok;
       tok = strtok_r(NULL, " \n", &save))
    assert_has(out, tok);
  free(words);
  free(out);
}

int main(void) {
  const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup_teardown(name, setup, fixture_teardown)
      T(test_note_is_a_number_where_called_and_its_text_at_the_end),
      T(test_a_note_in_a_note_gets_its_own_number),
      T(test_notes_wrap_under_their_marker_like_list_items),
      T(test_a_note_starting_with_a_list_shows_its_number),
      T(test_each_document_numbers_its_own_notes),
      T(test_table_columns_align_by_display_width),
      T(test_spanning_cells_take_their_columns_and_leave_rows_blank),
      T(test_cells_holding_blocks_give_a_line_per_paragraph),
      T(test_old_tree_rows_directly_under_the_table_still_align),
      T(test_table_foot_follows_a_rule),
      T(test_wide_table_wraps_cell_text_inside_its_columns),
      T(test_table_whose_words_do_not_fit_becomes_header_value_blocks),
      T(test_a_table_in_a_list_item_is_indented_with_it),
      T(test_a_note_in_a_table_cell_joins_the_document_notes),
      T(test_tables_nested_deeply_keep_every_word_in_order),
      T(test_figures_nested_in_captions_keep_every_word),
      T(test_ordered_lists_are_numbered_in_their_style),
      T(test_tight_lists_go_line_by_line_loose_ones_with_blank_lines),
      T(test_line_block_keeps_each_line_and_its_leading_spaces),
      T(test_definition_list_puts_definitions_under_their_term),
      T(test_math_is_its_tex_inline_and_display_on_its_own_line),
      T(test_div_is_its_content_and_a_figure_caption_follows_it),
      T(test_inline_types_are_their_text_and_quotes_are_typographic),
      T(test_image_is_its_alt_text_and_verbose_counts_them),
      T(test_every_word_of_every_node_type_is_written),
      T(test_every_word_is_written_when_wrapping_too),
#undef T
  };
  return test_main_status(
      cmocka_run_group_tests_name("txt_model", tests, NULL, NULL));
}
