/* test_json_model2.c - quire's json and jsonl formats carry every node,
 * field and attribute of Model 2, and the resources of a document with
 * their bytes (version 1.1); what is not a document of version 1.1 is
 * refused, naming its line and column (docs/formats/json.md). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>
#include <nettle/base64.h>
#include <nettle/sha2.h>
#include <quire/quire.h>

#include "conv.h"
#include "model_dump.h"
#include "session_fixture.h"
#include "skip_note.h"

#define MODEL2 "tests/data/json/model2.json"

/* ---- Helpers ----------------------------------------------------------------- */

static char *file_text(const char *path, size_t *len) {
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
  if (len)
    *len = (size_t)n;
  return s;
}

/* The first document of data[0..len) read as `from`; fails the test on
 * error. */
static quire_doc *read_doc(fixture *f, const char *name, const char *data,
                           size_t len, const char *from) {
  quire_source src = {.name = name, .format = from, .data = data, .len = len};
  quire_reader *r = NULL;
  if (quire_reader_open_source(f->s, &src, NULL, &r) != QUIRE_OK)
    fail_msg("cannot open %s: %s", name, quire_error_get(f->s)->message);
  quire_doc *doc = NULL;
  if (quire_reader_next(r, &doc) != QUIRE_OK)
    fail_msg("cannot read %s: %s", name, quire_reader_error(r)->message);
  quire_reader_free(r);
  return doc;
}

/* `data` (a JSON document) written as `to` with the options given. */
static char *write_as(fixture *f, const char *data, size_t len,
                      const char *to, const quire_option *opts,
                      size_t n_opts, size_t *out_len) {
  quire_source src = {.name = "in.json", .format = "json", .data = data,
                      .len = len};
  conv c = {.src = &src, .to = to, .opts = opts, .n_opts = n_opts};
  return conv_must(f, &c, out_len);
}

static json_t *parse(const char *s) {
  json_error_t err;
  json_t *v = json_loads(s, 0, &err);
  if (!v)
    fail_msg("not JSON: line %d: %s", err.line, err.text);
  return v;
}

/* The first node of doc with this id. */
static const quire_node *by_id(const quire_doc *doc, const char *id) {
  quire_iter it;
  quire_iter_init(&it, doc->root);
  while (quire_iter_next(&it) != QUIRE_EV_DONE)
    if (it.event == QUIRE_EV_ENTER && it.node->id &&
        strcmp(it.node->id, id) == 0)
      return it.node;
  fail_msg("no node with id %s", id);
  return NULL;
}

/* The first node of doc of this type. */
static const quire_node *first_of(const quire_doc *doc, quire_node_type t) {
  quire_iter it;
  quire_iter_init(&it, doc->root);
  while (quire_iter_next(&it) != QUIRE_EV_DONE)
    if (it.event == QUIRE_EV_ENTER && it.node->type == t)
      return it.node;
  fail_msg("no %s node", quire_node_type_name(t));
  return NULL;
}

/* Fails unless reading `json` as json fails saying `says` at line:column
 * (the value at fault). */
static void assert_refused_at(fixture *f, const char *json, const char *says,
                              unsigned long line, unsigned long column) {
  quire_status st;
  char *out = conv_memory(f, "bad.json", json, strlen(json), "json", "txt",
                          &st);
  if (out)
    fail_msg("accepted: %s", json);
  if (!strstr(st.error.message, says))
    fail_msg("\"%s\" does not say \"%s\"", st.error.message, says);
  if (st.error.line != line || st.error.column != column)
    fail_msg("\"%s\" placed at %lu:%lu, not %lu:%lu", says, st.error.line,
             st.error.column, line, column);
}

/* ---- Every node -------------------------------------------------------------- */

/* A hand-made document holding every node type, field and attribute of
 * Model 2 and a resource: json to json gives the same bytes after one
 * pass, through jsonl too, and the documents read are the same in full. */
static void test_every_node_of_model_2_survives_json_and_jsonl(void **state) {
  fixture *f = *state;
  size_t n, a_len, b_len, l_len, c_len;
  char *in = file_text(MODEL2, &n);
  char *a = write_as(f, in, n, "json", NULL, 0, &a_len);
  char *b = write_as(f, a, a_len, "json", NULL, 0, &b_len);
  assert_int_equal(a_len, b_len);
  assert_memory_equal(a, b, a_len);
  char *lines = write_as(f, a, a_len, "jsonl", NULL, 0, &l_len);
  quire_source src = {.name = "in.jsonl", .data = lines, .len = l_len};
  conv back = {.src = &src, .to = "json"};
  char *c = conv_must(f, &back, &c_len);
  assert_int_equal(a_len, c_len);
  assert_memory_equal(a, c, a_len);

  /* Every field written by hand is in the output, as written. */
  json_t *want = parse(in), *got = parse(a);
  assert_true(json_equal(json_object_get(want, "blocks"),
                         json_object_get(got, "blocks")));
  assert_true(json_equal(json_object_get(want, "resources"),
                         json_object_get(got, "resources")));
  assert_string_equal(json_string_value(json_object_get(got, "quire")), "1.1");
  json_decref(want);
  json_decref(got);

  quire_doc *d1 = read_doc(f, "in.json", in, n, "json");
  quire_doc *d2 = read_doc(f, "a.json", a, a_len, "json");
  char *x = model_dump(d1, 0), *y = model_dump(d2, 0);
  model_dump_assert_same("model2.json through json", x, y);
  free(x);
  free(y);
  quire_doc_free(d1);
  quire_doc_free(d2);
  free(in);
  free(a);
  free(b);
  free(c);
  free(lines);
}

static void test_model_2_fields_reach_the_model(void **state) {
  fixture *f = *state;
  size_t n;
  char *in = file_text(MODEL2, &n);
  quire_doc *doc = read_doc(f, "in.json", in, n, "json");
  /* Attributes: an id, classes in order, pairs in order. */
  const quire_node *h = by_id(doc, "top");
  assert_int_equal(h->type, QUIRE_NODE_HEADING);
  assert_string_equal(h->classes, "title main");
  assert_string_equal(h->attrs->key, "data-n");
  assert_string_equal(h->attrs->next->key, "lang");
  assert_string_equal(by_id(doc, "t1")->text, " text with an id");
  assert_string_equal(quire_node_attr(by_id(doc, "s1"), "data-x"), "y");
  /* Lists: tight, style, delimiter, start. */
  const quire_node *ol = first_of(doc, QUIRE_NODE_ORDERED_LIST);
  assert_int_equal(ol->start, 3);
  assert_int_equal(ol->style, QUIRE_LIST_LOWER_ROMAN);
  assert_int_equal(ol->delim, QUIRE_DELIM_TWO_PARENS);
  assert_int_equal(ol->tight, 0);
  assert_int_equal(first_of(doc, QUIRE_NODE_BULLET_LIST)->tight, 1);
  assert_int_equal(first_of(doc, QUIRE_NODE_DEFINITION_LIST)->tight, 1);
  /* Quotes and math. */
  const quire_node *q = first_of(doc, QUIRE_NODE_QUOTED);
  assert_int_equal(q->kind, QUIRE_QUOTE_DOUBLE);
  assert_int_equal(q->last_child->type, QUIRE_NODE_QUOTED);
  assert_int_equal(q->last_child->kind, QUIRE_QUOTE_SINGLE);
  const quire_node *m = first_of(doc, QUIRE_NODE_MATH);
  assert_int_equal(m->kind, QUIRE_MATH_INLINE);
  assert_int_equal(m->next->next->kind, QUIRE_MATH_DISPLAY);
  /* The note holds its blocks where it is called. */
  const quire_node *note = first_of(doc, QUIRE_NODE_NOTE);
  assert_int_equal(note->parent->type, QUIRE_NODE_PARAGRAPH);
  assert_int_equal(note->first_child->type, QUIRE_NODE_PARAGRAPH);
  /* The table: caption, columns, head, two bodies, foot; spans, header
   * cells, a cell of blocks. */
  const quire_node *t = by_id(doc, "t");
  static const quire_node_type parts[] = {
      QUIRE_NODE_CAPTION,    QUIRE_NODE_TABLE_COLUMN, QUIRE_NODE_TABLE_COLUMN,
      QUIRE_NODE_TABLE_COLUMN, QUIRE_NODE_TABLE_HEAD, QUIRE_NODE_TABLE_BODY,
      QUIRE_NODE_TABLE_BODY, QUIRE_NODE_TABLE_FOOT};
  const quire_node *c = t->first_child;
  for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++, c = c->next) {
    assert_non_null(c);
    assert_int_equal(c->type, parts[i]);
  }
  assert_null(c);
  const quire_node *col = t->first_child->next;
  assert_int_equal(col->align, QUIRE_ALIGN_LEFT);
  assert_true(col->width == 0.25f);
  assert_true(col->next->width == 0.5f);
  const quire_node *head_cell = by_id(doc, "th")->first_child->first_child;
  assert_int_equal(head_cell->colspan, 2);
  assert_int_equal(head_cell->header, 1);
  const quire_node *body_row = by_id(doc, "th")->next->first_child;
  assert_int_equal(body_row->first_child->rowspan, 2);
  assert_int_equal(body_row->first_child->next->align, QUIRE_ALIGN_CENTER);
  assert_int_equal(body_row->last_child->first_child->type,
                   QUIRE_NODE_PARAGRAPH);
  /* The figure: its image and its caption. */
  const quire_node *fig = by_id(doc, "fig1");
  assert_int_equal(fig->last_child->type, QUIRE_NODE_CAPTION);
  /* The resource, marked as the cover. */
  const quire_resource *r = quire_res_find(doc, "images/dot.png");
  assert_non_null(r);
  assert_string_equal(r->media_type, "image/png");
  assert_int_equal(r->size, 70);
  assert_true(r->flags & QUIRE_RES_COVER);
  quire_doc_free(doc);
  free(in);
}

/* The text field: notes after the text, quotes in their marks, math as
 * TeX, a line a term and a definition, a cell's blocks apart by spaces. */
static void test_text_field_of_model_2_nodes(void **state) {
  fixture *f = *state;
  size_t n;
  char *in = file_text(MODEL2, &n);
  quire_option fields = {"jsonl-fields", "text"};
  char *out = write_as(f, in, n, "jsonl", &fields, 1, NULL);
  json_t *v = parse(out);
  const char *text = json_string_value(json_object_get(v, "text"));
  assert_non_null(strstr(text, "\xE2\x80\x9C" "double \xE2\x80\x98" "single"
                               "\xE2\x80\x99\xE2\x80\x9D, E = mc^2 and "
                               "\\sum_{i=1}^n i a span"));
  assert_non_null(strstr(text, "apple\nA fruit.\nA company.\npear\n"));
  assert_non_null(strstr(text, "The first line\n  the second, indented"));
  assert_non_null(strstr(text, "Two rows\tb\tA cell of blocks. item\n"));
  /* The note, last. */
  const char *end = "A note with a link back.\n\nIts second paragraph.";
  assert_string_equal(text + strlen(text) - strlen(end), end);
  json_decref(v);
  free(out);
  free(in);
}

/* ---- Resources ------------------------------------------------------------- */

static char *base64(const unsigned char *data, size_t n) {
  char *s = malloc(BASE64_ENCODE_RAW_LENGTH(n) + 1);
  assert_non_null(s);
  base64_encode_raw(s, n, data);
  s[BASE64_ENCODE_RAW_LENGTH(n)] = '\0';
  return s;
}

static void sha256_hex(const unsigned char *data, size_t n, char hex[65]) {
  struct sha256_ctx ctx;
  uint8_t d[SHA256_DIGEST_SIZE];
  sha256_init(&ctx);
  sha256_update(&ctx, n, data);
  sha256_digest(&ctx, sizeof d, d);
  for (size_t i = 0; i < sizeof d; i++)
    snprintf(hex + 2 * i, 3, "%02x", d[i]);
}

/* A document with a PNG of 300 KB and 20 MB of other bytes (more than
 * the core keeps in memory, and more than the json writer holds before a
 * temporary file).  The caller frees it. */
static char *document_with(const unsigned char *png, size_t png_len,
                           const unsigned char *blob, size_t blob_len) {
  char *a = base64(png, png_len), *b = base64(blob, blob_len);
  size_t n = strlen(a) + strlen(b) + 1024;
  char *doc = malloc(n);
  assert_non_null(doc);
  snprintf(doc, n,
           "{\"quire\":\"1.1\",\"id\":\"r\",\"meta\":{},\"blocks\":["
           "{\"type\":\"paragraph\",\"content\":[{\"type\":\"image\","
           "\"url\":\"images/a.png\",\"content\":[\"a\"]}]}],"
           "\"resources\":[{\"name\":\"images/a.png\",\"media_type\":"
           "\"image/png\",\"cover\":true,\"data\":\"%s\"},"
           "{\"name\":\"data/blob.bin\",\"data\":\"%s\"}]}",
           a, b);
  free(a);
  free(b);
  return doc;
}

static void assert_bytes(const quire_resource *r, const unsigned char *want,
                         size_t n) {
  assert_non_null(r);
  assert_int_equal(r->size, n);
  unsigned char *got = malloc(n + 1);
  assert_non_null(got);
  size_t at = 0;
  while (at < n) {
    long k = quire_res_read(r, at, got + at, n - at);
    assert_true(k > 0);
    at += (size_t)k;
  }
  assert_memory_equal(got, want, n);
  free(got);
}

/* Resources go through json with their bytes: written in base64 with
 * their size and digest, read back the same, byte for byte. */
static void test_resources_keep_their_bytes_through_json(void **state) {
  fixture *f = *state;
  size_t png_len = 300 * 1024, blob_len = 20u << 20;
  unsigned char *png = malloc(png_len), *blob = malloc(blob_len);
  assert_non_null(png);
  assert_non_null(blob);
  static const unsigned char magic[8] = {0x89, 'P', 'N', 'G', '\r', '\n',
                                         0x1a, '\n'};
  uint32_t x = 2463534242u;
  for (size_t i = 0; i < blob_len; i++) {
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    blob[i] = (unsigned char)x;
    if (i < png_len)
      png[i] = (unsigned char)(x >> 8);
  }
  memcpy(png, magic, sizeof magic);
  char *in = document_with(png, png_len, blob, blob_len);
  size_t a_len, b_len;
  char *a = write_as(f, in, strlen(in), "json", NULL, 0, &a_len);
  char *b = write_as(f, a, a_len, "json", NULL, 0, &b_len);
  assert_int_equal(a_len, b_len);
  assert_memory_equal(a, b, a_len);

  json_t *v = parse(a);
  json_t *res = json_object_get(v, "resources");
  assert_int_equal(json_array_size(res), 2);
  char hex[65];
  sha256_hex(blob, blob_len, hex);
  json_t *r1 = json_array_get(res, 1);
  assert_string_equal(json_string_value(json_object_get(r1, "sha256")), hex);
  assert_int_equal(json_integer_value(json_object_get(r1, "size")), blob_len);
  assert_string_equal(
      json_string_value(json_object_get(json_array_get(res, 0), "media_type")),
      "image/png");
  assert_true(json_is_true(json_object_get(json_array_get(res, 0), "cover")));
  json_decref(v);

  quire_doc *doc = read_doc(f, "a.json", a, a_len, "json");
  assert_bytes(quire_res_find(doc, "images/a.png"), png, png_len);
  assert_bytes(quire_res_find(doc, "data/blob.bin"), blob, blob_len);
  assert_true(quire_res_find(doc, "images/a.png")->flags & QUIRE_RES_COVER);
  quire_doc_free(doc);
  free(a);
  free(b);
  free(in);
  free(png);
  free(blob);
}

/* --json-resources list writes what they are without their bytes, which
 * a reader then cannot keep (and says so); none writes no field. */
static void test_resources_listed_without_bytes_or_left_out(void **state) {
  fixture *f = *state;
  size_t n, len;
  char *in = file_text(MODEL2, &n);
  quire_option list = {"json-resources", "list"};
  char *out = write_as(f, in, n, "json", &list, 1, &len);
  json_t *v = parse(out);
  json_t *r = json_array_get(json_object_get(v, "resources"), 0);
  assert_string_equal(json_string_value(json_object_get(r, "name")),
                      "images/dot.png");
  assert_int_equal(json_integer_value(json_object_get(r, "size")), 70);
  assert_string_equal(
      json_string_value(json_object_get(r, "sha256")),
      "c414cd0e204de974f73753c7e28d7638e7b3691bb8b1a2bab6b25bb7fed7ce77");
  assert_null(json_object_get(r, "data"));
  json_decref(v);
  quire_doc *doc = read_doc(f, "list.json", out, len, "json");
  assert_null(doc->resources);
  assert_non_null(strstr(f->warnings, "1 resource without \"data\""));
  quire_doc_free(doc);
  free(out);

  quire_option none = {"json-resources", "none"};
  out = write_as(f, in, n, "json", &none, 1, NULL);
  v = parse(out);
  assert_null(json_object_get(v, "resources"));
  assert_non_null(json_object_get(v, "blocks"));
  json_decref(v);
  free(out);

  quire_option lines = {"jsonl-fields", "id,resources"};
  out = write_as(f, in, n, "jsonl", &lines, 1, NULL);
  v = parse(out);
  assert_int_equal(json_object_size(v), 2);
  assert_non_null(json_object_get(json_array_get(
                      json_object_get(v, "resources"), 0), "data"));
  json_decref(v);
  free(out);

  quire_status st;
  quire_option bad = {"json-resources", "some"};
  quire_source src = {.name = "in.json", .data = in, .len = n};
  conv c = {.src = &src, .to = "json", .opts = &bad, .n_opts = 1};
  assert_null(conv_run(f, &c, &st, NULL));
  assert_non_null(strstr(st.error.message, "embed, list or none"));
  free(in);
}

typedef struct bad_case {
  const char *json;          /* the part that changes */
  const char *says;          /* in the message */
  unsigned long column;      /* of the value at fault, on line 2 */
} bad_case;

/* Each case as "HEAD\nLEAD CASE TAIL", refused at its column of line 2. */
static void refuse_all(fixture *f, const char *head, const char *lead,
                       const char *tail, const bad_case *cases, size_t n) {
  for (size_t i = 0; i < n; i++) {
    char doc[1024];
    snprintf(doc, sizeof doc, "%s\n%s%s%s", head, lead, cases[i].json, tail);
    assert_refused_at(f, doc, cases[i].says, 2, cases[i].column);
  }
}

static void test_bad_resources_are_refused_naming_their_place(void **state) {
  static const bad_case cases[] = {
      {"{\"name\":\"a.png\",\"data\":\"!!\"}",
       "resources[0].data: not base64", 37},
      {"{\"name\":\"a.png\",\"size\":4,\"data\":\"YWJj\"}",
       "resources[0].size: 4 bytes said, 3 in \"data\"", 37},
      {"{\"name\":\"a\",\"sha256\":\"0000000000000000000000000000000000000000000000000000000000000000\",\"data\":\"YWJj\"}",
       "resources[0].sha256: the bytes of \"data\" have another digest", 35},
      {"{\"name\":\"../x\",\"data\":\"YWJj\"}",
       "resources[0].name: \"../x\" is not a resource name", 22},
      {"{\"name\":\"/etc/passwd\",\"data\":\"YWJj\"}",
       "is not a resource name", 22},
      {"{\"name\":\"a\",\"data\":\"YWJj\"},{\"name\":\"a\",\"data\":\"YWJj\"}",
       "resources[1].name: a second resource named \"a\"", 49},
      {"{\"data\":\"YWJj\"}",
       "resources[0]: \"name\" is missing", 14},
      {"{\"name\":\"a\",\"cover\":\"yes\"}",
       "resources[0].cover: a string where a boolean belongs", 34},
  };
  refuse_all(*state, "{\"quire\":\"1.1\",\"meta\":{},\"blocks\":[],",
             "\"resources\":[", "]}", cases, sizeof cases / sizeof cases[0]);
}

/* Fields, attributes and places of Model 2's nodes, each refused with the
 * line and column of the value at fault. */
static void test_bad_model_2_fields_are_refused_naming_their_place(
    void **state) {
  /* Line 2 begins with "[", the first block at column 2. */
  static const bad_case cases[] = {
      {"{\"type\":\"paragraph\",\"content\":[{\"type\":\"quoted\",\"quote\":"
       "\"guillemets\",\"content\":[]}]}",
       "content[0].quote: \"guillemets\" is not single or double", 58},
      {"{\"type\":\"paragraph\",\"content\":[{\"type\":\"math\",\"text\":\"x\","
       "\"display\":1}]}",
       "display: a number where a boolean belongs", 69},
      {"{\"type\":\"paragraph\",\"content\":[{\"type\":\"math\",\"text\":\"x\","
       "\"content\":[\"x\"]}]}",
       "a math has no content", 69},
      {"{\"type\":\"ordered_list\",\"style\":\"greek\",\"content\":[]}",
       "blocks[0].style: \"greek\" is not decimal", 33},
      {"{\"type\":\"table\",\"content\":[{\"type\":\"table_column\","
       "\"width\":1.5}]}",
       "width: 1.5 is not a share of the table's width", 60},
      {"{\"type\":\"table\",\"content\":[{\"type\":\"table_body\",\"content\":["
       "{\"type\":\"table_row\",\"content\":[{\"type\":\"table_cell\","
       "\"colspan\":0,\"content\":[]}]}]}]}",
       "colspan: 0 is out of range (1 to 1000)", 123},
      {"{\"type\":\"table\",\"content\":[{\"type\":\"table_body\",\"content\":["
       "{\"type\":\"table_row\",\"content\":[{\"type\":\"table_cell\","
       "\"content\":[\"x\",{\"type\":\"paragraph\",\"content\":[]}]}]}]}]}",
       "a table_cell holds inlines or blocks, not both", 128},
      {"{\"type\":\"figure\",\"content\":[{\"type\":\"caption\",\"content\":[]},"
       "{\"type\":\"caption\",\"content\":[]}]}",
       "blocks[0].content[1]: a second caption in a figure", 62},
      {"{\"type\":\"definition_list\",\"content\":[{\"type\":\"item\","
       "\"content\":[]}]}",
       "a definition_list cannot hold an item", 39},
      {"{\"type\":\"div\",\"classes\":[\"two words\"],\"content\":[]}",
       "blocks[0].classes[0]: \"two words\" is not a class name", 27},
      {"{\"type\":\"div\",\"attrs\":{\"id\":\"x\"},\"content\":[]}",
       "blocks[0].attrs.id: not an attribute name here", 30},
      {"{\"type\":\"div\",\"id\":\"\",\"content\":[]}", "an empty id", 21},
  };
  refuse_all(*state, "{\"quire\":\"1.1\",\"meta\":{},\"blocks\":", "[", "]}",
             cases, sizeof cases / sizeof cases[0]);
}

/* ---- Versions and errors ----------------------------------------------------- */

static void test_unknown_types_are_errors_in_1_0_and_1_1(void **state) {
  fixture *f = *state;
  static const char *const versions[] = {"1.0", "1.1"};
  for (size_t i = 0; i < 2; i++) {
    char doc[256];
    snprintf(doc, sizeof doc,
             "{\"quire\":\"%s\",\"blocks\":[\n  {\"type\":\"paragraph\","
             "\"content\":[{\"type\":\"mark\",\"content\":[\"x\"]}]}]}",
             versions[i]);
    assert_refused_at(f, doc, "\"mark\" is not a node type of version 1.1",
                      2, 42);
  }
  /* A later minor version may add types: their content is kept. */
  const char *later = "{\"quire\":\"1.2\",\"blocks\":[{\"type\":\"paragraph\","
                      "\"content\":[{\"type\":\"mark\",\"content\":[\"kept\"]}]}]}";
  quire_status st;
  char *out = conv_memory(f, "later.json", later, strlen(later), "json", "txt",
                          &st);
  assert_non_null(out);
  assert_int_equal(st.result, QUIRE_WARN);
  assert_non_null(strstr(out, "kept"));
  free(out);
}

int main(void) {
  test_filters_from_env();
  const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup_teardown(name, fixture_setup, fixture_teardown)
      T(test_every_node_of_model_2_survives_json_and_jsonl),
      T(test_model_2_fields_reach_the_model),
      T(test_text_field_of_model_2_nodes),
      T(test_resources_keep_their_bytes_through_json),
      T(test_resources_listed_without_bytes_or_left_out),
      T(test_bad_resources_are_refused_naming_their_place),
      T(test_bad_model_2_fields_are_refused_naming_their_place),
      T(test_unknown_types_are_errors_in_1_0_and_1_1),
#undef T
  };
  return test_main_status(cmocka_run_group_tests(tests, NULL, NULL));
}
