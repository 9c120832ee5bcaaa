/* test_pandoc_json.c - the pandoc-json format: pandoc's documents read
 * keeping every word, quire's documents rendered by pandoc keeping every
 * word, round trips through pandoc giving back the same model, API
 * versions, degraded elements named in warnings, and broken input refused
 * with its place.  The tests that run pandoc skip where it is missing;
 * those that read pandoc's test suite skip where ../shared/peers is. */
#include <errno.h>
#include <glob.h>
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

#include "model_dump.h"
#include "pandoc_run.h"
#include "run_cmd.h"
#include "session_fixture.h"
#include "skip_note.h"
#include "text_words.h"

#define QUIRE_BIN QUIRE_BINARY_DIR "/bin/quire"
/* Relative to the project root, the tests' working directory. */
#define PEERS "../shared/peers"
#define TESTSUITE PEERS "/pandoc/testsuite.txt"
#define FORMAT "pandoc-json"

static const char *const corpus[] = {
    "corpus/000_89428971a2145b71.txt", "corpus/001_0bd458d27c3695d7.txt",
    "corpus/002_b5077d99cde6bffe.txt", "corpus/003_cd26fc48bba5cb47.txt",
    "corpus/004_feb5dc2e932a1913.txt"};
#define N_CORPUS (sizeof corpus / sizeof corpus[0])

/* ---- Helpers --------------------------------------------------------------- */

typedef struct sbuf {
  char *s;
  size_t n, cap;
} sbuf;

static void add(sbuf *b, const char *s, size_t n) {
  if (b->n + n + 1 > b->cap) {
    b->cap = (b->n + n + 1) * 2;
    b->s = realloc(b->s, b->cap);
    assert_non_null(b->s);
  }
  memcpy(b->s + b->n, s, n);
  b->n += n;
  b->s[b->n] = '\0';
}

static void adds(sbuf *b, const char *s) { add(b, s, strlen(s)); }

static const char *tmp_path(fixture *f, const char *name) {
  static char path[4][256];
  static int next;
  char *p = path[next++ % 4];
  snprintf(p, sizeof path[0], "%s/%s", f->dir, name);
  return p;
}

static void put_file(const char *path, const char *bytes, size_t n) {
  FILE *fp = fopen(path, "wb");
  assert_non_null(fp);
  assert_int_equal(fwrite(bytes, 1, n, fp), n);
  fclose(fp);
}

static int starts(const char *s, const char *prefix) {
  return strncmp(s, prefix, strlen(prefix)) == 0;
}

static void require_testsuite(void) {
  if (access(TESTSUITE, R_OK) != 0)
    test_skip("%s not found", TESTSUITE);
}

/* Runs the quire command with the arguments (NULL-terminated); returns
 * its exit status, *err (the caller frees it) its standard error. */
static int run_quire(char **err, ...) {
  const char *argv[32] = {QUIRE_BIN};
  size_t n = 1;
  va_list ap;
  va_start(ap, err);
  for (const char *a; (a = va_arg(ap, const char *)) != NULL;) {
    assert_true(n < 31);
    argv[n++] = a;
  }
  va_end(ap);
  argv[n] = NULL;
  static const char *const env[] = {"QUIRE_PLUGIN_PATH=", "LC_ALL=C", NULL};
  run_opts o = {.env = env, .timeout = 120};
  run_result r = {0};
  if (run_cmd(argv, &o, &r) != 0)
    fail_msg("cannot run %s: %s", QUIRE_BIN, strerror(errno));
  if (!r.exited) {
    char outcome[96];
    fail_msg("quire was %s: %s", run_result_describe(&r, outcome, sizeof outcome),
             r.err);
  }
  static const char *const reports[] = {"runtime error", "AddressSanitizer",
                                        "LeakSanitizer"};
  for (size_t i = 0; i < sizeof reports / sizeof reports[0]; i++)
    if (strstr(r.err, reports[i]))
      fail_msg("sanitizer report from quire:\n%s", r.err);
  *err = r.err;
  r.err = NULL;
  int status = r.status;
  run_result_free(&r);
  return status;
}

/* One conversion to memory, of files or of one memory source.  Returns
 * the output (the caller frees it), or NULL with st telling why. */
typedef struct conv {
  const char *const *paths;
  size_t n_paths;
  const char *data;          /* a memory input, named mem */
  const char *from, *to;
  const char *api;           /* --pandoc-api, or NULL */
  int run_on;                /* txt's --no-boundaries */
} conv;

static char *convert(fixture *f, const conv *c, quire_status *st) {
  quire_source src = {.name = "mem", .format = c->from, .data = c->data,
                      .len = c->data ? strlen(c->data) : 0};
  quire_option opts[2];
  size_t n_opts = 0;
  if (c->api)
    opts[n_opts++] = (quire_option){"pandoc-api", c->api};
  if (c->run_on)
    opts[n_opts++] = (quire_option){"no-boundaries", "1"};
  char *out = NULL;
  size_t n = 0;
  quire_job job = {.inputs = c->paths, .n_inputs = c->n_paths,
                   .sources = c->data ? &src : NULL,
                   .n_sources = c->data ? 1 : 0, .from = c->from, .to = c->to,
                   .options = n_opts ? opts : NULL, .n_options = n_opts,
                   .output_data = &out, .output_len = &n, .status = st};
  memset(st, 0, sizeof *st);
  quire_convert(f->s, &job);
  return out;
}

static char *must_convert(fixture *f, const conv *c) {
  quire_status st;
  char *out = convert(f, c, &st);
  if (!out || st.result < QUIRE_OK)
    fail_msg("conversion to %s failed: %s", c->to, st.error.message);
  return out;
}

/* Reads every document of `data` as pandoc-json, at most max; fails the
 * test on error.  Returns the count. */
static size_t read_docs(fixture *f, const char *data, quire_doc **docs,
                        size_t max) {
  quire_source src = {.name = "mem.json", .format = FORMAT, .data = data,
                      .len = strlen(data)};
  quire_reader *r = NULL;
  if (quire_reader_open_source(f->s, &src, NULL, &r) != QUIRE_OK)
    fail_msg("cannot open: %s", quire_error_get(f->s)->message);
  size_t n = 0;
  for (;;) {
    quire_doc *doc = NULL;
    int rc = quire_reader_next(r, &doc);
    if (rc == QUIRE_DONE)
      break;
    if (rc != QUIRE_OK)
      fail_msg("cannot read: %s", quire_reader_error(r)->message);
    assert_true(n < max);
    docs[n++] = doc;
  }
  quire_reader_free(r);
  return n;
}

static quire_doc *read_one(fixture *f, const char *data) {
  quire_doc *doc[2];
  assert_int_equal(read_docs(f, data, doc, 2), 1);
  return doc[0];
}

/* JSON written with single quotes (json_q), read. */
static char *json_q(const char *s);
static quire_doc *read_q(fixture *f, const char *data) {
  char *json = json_q(data);
  quire_doc *doc = read_one(f, json);
  free(json);
  return doc;
}

/* The message reading `data` as pandoc-json fails with; fails the test
 * when it is read. */
static char *read_error(fixture *f, const char *data) {
  quire_status st;
  conv c = {.data = data, .from = FORMAT, .to = "txt"};
  char *out = convert(f, &c, &st);
  if (out || st.result >= QUIRE_OK)
    fail_msg("read without error: %.200s", data);
  return strdup(st.error.message);
}

/* JSON written with single quotes, for readability in C: a copy with
 * every ' made ".  The caller frees it. */
static char *json_q(const char *s) {
  char *j = strdup(s);
  assert_non_null(j);
  for (char *p = j; *p; p++)
    if (*p == '\'')
      *p = '"';
  return j;
}

/* A pandoc document, API 1.22, holding `blocks` (JSON with single
 * quotes).  The caller frees it. */
static char *pandoc_doc(const char *blocks) {
  sbuf b = {0};
  adds(&b, "{'pandoc-api-version':[1,22,2,1],'meta':{},'blocks':");
  adds(&b, blocks);
  adds(&b, "}");
  char *j = json_q(b.s);
  free(b.s);
  return j;
}

/* ---- The model, dumped ------------------------------------------------------ */

/* A document's metadata and whole tree, one node per line, every field
 * pandoc's AST can hold shown (model_dump.h). */
static char *dump(const quire_doc *doc) { return model_dump(doc, DUMP_PANDOC); }

static void assert_same_dump(const char *what, const char *a, const char *b) {
  model_dump_assert_same(what, a, b);
}

/* ---- Words ----------------------------------------------------------------- */

/* Appends the words of s[0..n) to out, one per line: runs of characters
 * other than white space, ASCII punctuation and the quotation marks
 * “ ” ‘ ’ (the marks the reader puts around Quoted). */
static void add_words(sbuf *out, const char *s, size_t n) {
  size_t start = 0, i = 0;
  while (i <= n) {
    size_t sep = 0;
    if (i == n)
      sep = 1;
    else if ((unsigned char)s[i] < 0x80 &&
             !((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'z') ||
               (s[i] >= 'A' && s[i] <= 'Z')))
      sep = 1;
    else if (i + 3 <= n && (unsigned char)s[i] == 0xE2 &&
             (unsigned char)s[i + 1] == 0x80 &&
             ((unsigned char)s[i + 2] >= 0x98 &&
              (unsigned char)s[i + 2] <= 0x9D &&
              (unsigned char)s[i + 2] != 0x9A && (unsigned char)s[i + 2] != 0x9B))
      sep = 3;
    if (!sep) {
      i++;
      continue;
    }
    if (i > start) {
      add(out, s + start, i - start);
      add(out, "\n", 1);
    }
    i += sep;
    start = i;
  }
}

typedef struct str_walk {
  sbuf text;
} str_walk;

static int is_block(const char *t) {
  static const char *const blocks[] = {
      "Plain",      "Para",        "LineBlock",      "CodeBlock", "RawBlock",
      "BlockQuote", "OrderedList", "BulletList",     "DefinitionList",
      "Header",     "HorizontalRule", "Table",       "Figure",    "Div"};
  for (size_t i = 0; i < sizeof blocks / sizeof blocks[0]; i++)
    if (strcmp(t, blocks[i]) == 0)
      return 1;
  return 0;
}

/* The text of the Str elements under v, in order: Space and breaks are
 * spaces, blocks are separated by spaces, Quoted is in its marks, a Note's
 * blocks where it is called, an implicit figure's description twice (the
 * image's and the caption's).  Code, math and raw text are not Str. */
static void str_text(str_walk *w, const json_t *v) {
  if (json_is_array(v)) {
    size_t i;
    const json_t *el;
    json_array_foreach(v, i, el)
      str_text(w, el);
    return;
  }
  const char *t = json_string_value(json_object_get(v, "t"));
  const json_t *c = json_object_get(v, "c");
  if (!t)
    return;
  if (strcmp(t, "Str") == 0) {
    add(&w->text, json_string_value(c), json_string_length(c));
  } else if (strcmp(t, "Space") == 0 || strcmp(t, "SoftBreak") == 0 ||
             strcmp(t, "LineBreak") == 0) {
    adds(&w->text, " ");
  } else if (strcmp(t, "Quoted") == 0) {
    const char *q = json_string_value(
        json_object_get(json_array_get(c, 0), "t"));
    int single = q && strcmp(q, "SingleQuote") == 0;
    adds(&w->text, single ? "\xE2\x80\x98" : "\xE2\x80\x9C");
    str_text(w, json_array_get(c, 1));
    adds(&w->text, single ? "\xE2\x80\x99" : "\xE2\x80\x9D");
  } else if (strcmp(t, "LineBlock") == 0) {
    size_t i;
    const json_t *line;
    json_array_foreach(c, i, line) {
      adds(&w->text, " ");
      str_text(w, line);
    }
    adds(&w->text, " ");
  } else if (strcmp(t, "Para") == 0 && json_array_size(c) == 1 &&
             json_string_value(json_object_get(json_array_get(c, 0), "t")) &&
             strcmp(json_string_value(json_object_get(json_array_get(c, 0),
                                                      "t")),
                    "Image") == 0 &&
             strncmp(json_string_value(json_array_get(json_array_get(
                         json_object_get(json_array_get(c, 0), "c"), 2), 1)),
                     "fig:", 4) == 0) {
    /* pandoc 2's implicit figure: its description is the image's and the
     * caption's. */
    const json_t *alt = json_array_get(json_object_get(json_array_get(c, 0),
                                                       "c"), 1);
    adds(&w->text, " ");
    str_text(w, alt);
    adds(&w->text, " ");
    str_text(w, alt);
    adds(&w->text, " ");
  } else if (strcmp(t, "Code") != 0 && strcmp(t, "Math") != 0 &&
             strcmp(t, "CodeBlock") != 0 && strcmp(t, "RawBlock") != 0 &&
             strcmp(t, "RawInline") != 0) {
    int block = is_block(t);
    if (block)
      adds(&w->text, " ");
    str_text(w, c);
    if (block)
      adds(&w->text, " ");
  }
}

/* The text of a model's TEXT nodes the same way: breaks are spaces, and
 * blocks are separated by spaces. */
static void model_text(sbuf *out, const quire_doc *doc) {
  quire_iter it;
  quire_iter_init(&it, doc->root);
  while (quire_iter_next(&it) != QUIRE_EV_DONE) {
    quire_node_type t = it.node->type;
    if (t == QUIRE_NODE_TEXT)
      add(out, it.node->text, it.node->len);
    else if (!quire_node_is_inline(t) || t == QUIRE_NODE_SOFT_BREAK ||
             t == QUIRE_NODE_LINE_BREAK)
      adds(out, " ");
  }
}

/* Fails unless the two word lists (one word a line) are the same. */
static void assert_same_word_lines(const char *what, const char *a,
                                   const char *b) {
  size_t word = 0, i = 0;
  while (a[i] && a[i] == b[i])
    word += a[i++] == '\n';
  if (!a[i] && !b[i])
    return;
  size_t from = i;
  while (from > 0 && a[from - 1] != '\n')
    from--;
  fail_msg("%s: word %zu differs:\n  expected: %.80s\n  got:      %.80s", what,
           word, a + from, b + from);
}

/* ---- Reading pandoc's documents ------------------------------------------- */

/* pandoc's Markdown test suite through pandoc's JSON: quire reads it
 * without an error or a warning, and every word of its Str elements is a
 * word of the model's text, in order. */
static void test_pandoc_testsuite_is_read_keeping_every_word(void **state) {
  fixture *f = *state;
  require_pandoc();
  require_testsuite();
  char *json = run_pandoc(NULL, "-f", "markdown", "-t", "json", TESTSUITE,
                          (const char *)NULL);
  quire_doc *doc = read_one(f, json);

  json_error_t err;
  json_t *root = json_loads(json, 0, &err);
  assert_non_null(root);
  str_walk w = {0};
  str_text(&w, json_object_get(root, "blocks"));
  sbuf text = {0}, expected = {0}, got = {0};
  model_text(&text, doc);
  add(&expected, "", 0);
  add(&got, "", 0);
  add_words(&expected, w.text.s, w.text.n);
  add_words(&got, text.s, text.n);
  assert_true(expected.n > 5000);
  assert_same_word_lines("testsuite.txt", expected.s, got.s);

  /* The title and authors come from the meta. */
  assert_string_equal(quire_meta_get(doc->meta, "title"), "Pandoc Test Suite");
  assert_string_equal(quire_meta_get(doc->meta, "author"), "John MacFarlane");
  /* Its notes, math, definition lists and quotes have their nodes:
   * nothing is lost. */
  if (f->n_warnings)
    fail_msg("warnings: %s", f->warnings);
  json_decref(root);
  free(w.text.s);
  free(text.s);
  free(expected.s);
  free(got.s);
  quire_doc_free(doc);
  free(json);
}

/* ---- Writing for pandoc ----------------------------------------------------- */

/* The corpus written as pandoc-json 1.22 and rendered by pandoc's plain
 * writer holds every word of quire's own plain text of the corpus. */
static void test_corpus_rendered_by_pandoc_keeps_every_word(void **state) {
  fixture *f = *state;
  require_pandoc();
  conv to_pandoc = {.paths = corpus, .n_paths = N_CORPUS, .to = FORMAT,
                    .api = "1.22"};
  /* the documents run on, as pandoc's one document has them */
  conv to_txt = {.paths = corpus, .n_paths = N_CORPUS, .to = "txt",
                 .run_on = 1};
  char *json = must_convert(f, &to_pandoc);
  char *txt = must_convert(f, &to_txt);
  char *plain = run_pandoc(json, "-f", "json", "-t", "plain",
                           (const char *)NULL);
  assert_true(strlen(plain) > 10000);
  assert_same_words("corpus through pandoc -t plain", txt, plain);
  free(json);
  free(txt);
  free(plain);
}

/* The documents of `c` written as pandoc-json 1.22, passed through
 * `pandoc -f json -t json` and read back are the documents quire read. */
static void assert_round_trip(fixture *f, const char *what, conv *c,
                              quire_doc **before, size_t n_before) {
  c->to = FORMAT;
  c->api = "1.22";
  char *json = must_convert(f, c);
  char *again = run_pandoc(json, "-f", "json", "-t", "json",
                           (const char *)NULL);
  quire_doc *after[16];
  size_t n_after = read_docs(f, again, after, 16);
  assert_int_equal(n_after, n_before);
  for (size_t i = 0; i < n_before; i++) {
    char *a = dump(before[i]), *b = dump(after[i]);
    assert_same_dump(what, a, b);
    free(a);
    free(b);
    quire_doc_free(after[i]);
  }
  free(json);
  free(again);
}

static quire_doc *read_path(fixture *f, const char *path) {
  quire_reader *r = NULL;
  if (quire_reader_open(f->s, path, NULL, NULL, &r) != QUIRE_OK)
    fail_msg("%s: %s", path, quire_error_get(f->s)->message);
  quire_doc *doc = NULL;
  if (quire_reader_next(r, &doc) != QUIRE_OK)
    fail_msg("%s: %s", path, quire_reader_error(r)->message);
  quire_reader_free(r);
  return doc;
}

static void test_round_trip_through_pandoc_gives_the_same_model(void **state) {
  fixture *f = *state;
  require_pandoc();
  /* The corpus as one pandoc document, a Div per article. */
  quire_doc *docs[N_CORPUS];
  for (size_t i = 0; i < N_CORPUS; i++)
    docs[i] = read_path(f, corpus[i]);
  conv c = {.paths = corpus, .n_paths = N_CORPUS};
  assert_round_trip(f, "corpus", &c, docs, N_CORPUS);
  for (size_t i = 0; i < N_CORPUS; i++)
    quire_doc_free(docs[i]);

  /* Each test input alone: text, and HTML with links, images, tables,
   * code and quotes. */
  glob_t g;
  assert_int_equal(glob("tests/data/text/*.txt", 0, NULL, &g), 0);
  assert_int_equal(glob("tests/data/html/*.html", GLOB_APPEND, NULL, &g), 0);
  for (size_t i = 0; i < g.gl_pathc; i++) {
    quire_doc *doc = read_path(f, g.gl_pathv[i]);
    const char *path[] = {g.gl_pathv[i]};
    conv one = {.paths = path, .n_paths = 1};
    assert_round_trip(f, g.gl_pathv[i], &one, &doc, 1);
    quire_doc_free(doc);
  }
  globfree(&g);

  /* pandoc's test suite, as quire reads it. */
  if (access(TESTSUITE, R_OK) != 0) {
    test_note_skip("%s not found, its round trip is not checked", TESTSUITE);
    return;
  }
  char *json = run_pandoc(NULL, "-f", "markdown", "-t", "json", TESTSUITE,
                          (const char *)NULL);
  quire_doc *doc = read_one(f, json);
  conv suite = {.data = json, .from = FORMAT};
  assert_round_trip(f, "testsuite.txt", &suite, &doc, 1);
  quire_doc_free(doc);
  free(json);
}

static void test_several_documents_are_one_pandoc_document_with_a_div_each(
    void **state) {
  fixture *f = *state;
  conv c = {.paths = corpus, .n_paths = N_CORPUS, .to = FORMAT};
  char *json = must_convert(f, &c);
  json_error_t err;
  json_t *root = json_loads(json, 0, &err);
  assert_non_null(root);
  const json_t *blocks = json_object_get(root, "blocks");
  assert_int_equal(json_array_size(blocks), N_CORPUS);
  for (size_t i = 0; i < N_CORPUS; i++) {
    const json_t *div = json_array_get(blocks, i);
    assert_string_equal(json_string_value(json_object_get(div, "t")), "Div");
    const json_t *attr = json_array_get(json_object_get(div, "c"), 0);
    const json_t *classes = json_array_get(attr, 1);
    assert_string_equal(json_string_value(json_array_get(classes, 0)),
                        "quire-document");
    /* The article's metadata rides on its Div. */
    int has_source = 0;
    size_t k;
    const json_t *kv;
    json_array_foreach(json_array_get(attr, 2), k, kv)
      has_source |=
          strcmp(json_string_value(json_array_get(kv, 0)), "source") == 0 &&
          strcmp(json_string_value(json_array_get(kv, 1)), corpus[i]) == 0;
    assert_true(has_source);
  }
  /* The meta is the first article's. */
  const json_t *source = json_object_get(json_object_get(root, "meta"), "source");
  assert_string_equal(json_string_value(json_object_get(source, "c")), corpus[0]);
  json_decref(root);

  quire_doc *docs[8];
  assert_int_equal(read_docs(f, json, docs, 8), N_CORPUS);
  for (size_t i = 0; i < N_CORPUS; i++) {
    assert_string_equal(quire_meta_get(docs[i]->meta, "source"), corpus[i]);
    quire_doc_free(docs[i]);
  }
  free(json);
}

static void test_one_document_is_written_without_a_div(void **state) {
  fixture *f = *state;
  conv c = {.data = "Title\n\nOne paragraph here.\n", .from = "txt",
            .to = FORMAT};
  char *json = must_convert(f, &c);
  assert_true(starts(json, "{\"pandoc-api-version\":[1,23,1],\"meta\":{"));
  assert_null(strstr(json, "quire-document"));
  assert_non_null(strstr(json, "\"blocks\":[{\"t\":\"Header\",\"c\":[1,"));
  assert_non_null(strstr(json, "{\"t\":\"Para\",\"c\":[{\"t\":\"Str\",\"c\":"
                               "\"One\"},{\"t\":\"Space\"},"));
  free(json);
}

/* Quotes, backslashes and control characters are escaped; a no-break
 * space stays inside its word; tabs and space runs are one Space. */
static void test_text_is_escaped_and_split_into_words(void **state) {
  fixture *f = *state;
  char *in = pandoc_doc(
      "[{'t':'Para','c':[{'t':'Str','c':'say \\\"hi\\\"\\\\ \\u0001\\ta\\u00a0b'}]}]");
  conv c = {.data = in, .from = FORMAT, .to = FORMAT};
  char *json = must_convert(f, &c);
  json_error_t err;
  json_t *root = json_loads(json, 0, &err);
  if (!root)
    fail_msg("not JSON (%s): %s", err.text, json);
  assert_non_null(strstr(json, "[{\"t\":\"Str\",\"c\":\"say\"},{\"t\":\"Space\"},"
                               "{\"t\":\"Str\",\"c\":\"\\\"hi\\\"\\\\\"},"
                               "{\"t\":\"Space\"},{\"t\":\"Str\",\"c\":\"\\u0001\"},"
                               "{\"t\":\"Space\"},{\"t\":\"Str\",\"c\":\"a\xC2\xA0"
                               "b\"}]"));
  json_decref(root);
  free(json);
  free(in);
}

/* A table maps one to one: its head, a body, a body with a head row of
 * its own, its foot, its columns' alignments and a cell's own; quire
 * writes back the same JSON, and pandoc's own round trip gives back the
 * same model. */
static void test_table_parts_and_alignments_map_one_to_one(void **state) {
  fixture *f = *state;
#define CELL(align, text)                                                   \
  "[['',[],[]],{'t':'Align" align "'},1,1,"                                 \
  "[{'t':'Plain','c':[{'t':'Str','c':'" text "'}]}]]"
#define ROW(a, b) "[['',[],[]],[" a "," b "]]"
  char *in = pandoc_doc(
      "[{'t':'Table','c':[['',[],[]],[null,[]],"
      "[[{'t':'AlignLeft'},{'t':'ColWidthDefault'}],"
      "[{'t':'AlignDefault'},{'t':'ColWidthDefault'}]],"
      /* the head */
      "[['',[],[]],[" ROW(CELL("Default", "h1"), CELL("Default", "h2")) "]],"
      /* a body, then a body with a head row */
      "[[['',[],[]],0,[],[" ROW(CELL("Default", "a"), CELL("Right", "b")) "]],"
      "[['',[],[]],0,[" ROW(CELL("Default", "m1"), CELL("Center", "m2")) "],"
      "[" ROW(CELL("Default", "c"), CELL("Default", "d")) "]]],"
      /* the foot */
      "[['',[],[]],[" ROW(CELL("Default", "f1"), CELL("Default", "f2")) "]]]}]");
#undef ROW
#undef CELL
  quire_doc *before = read_one(f, in);
  char *a = model_dump(before, 0);
  static const char *const expect[] = {
      "    table_column align=1\n    table_column\n    table_head\n"
      "      table_row header=1\n        table_cell header=1\n"
      "          text text=h1\n",
      "    table_body\n      table_row\n        table_cell\n"
      "          text text=a\n        table_cell align=3\n"
      "          text text=b\n",
      "    table_body\n      table_row header=1\n"
      "        table_cell header=1\n          text text=m1\n"
      "        table_cell header=1 align=2\n          text text=m2\n"
      "      table_row\n        table_cell\n",
      "    table_foot\n      table_row\n        table_cell\n"
      "          text text=f1\n"};
  for (size_t i = 0; i < sizeof expect / sizeof expect[0]; i++)
    if (!strstr(a, expect[i]))
      fail_msg("'%s' not in:\n%s", expect[i], a);
  conv c = {.data = in, .from = FORMAT, .to = FORMAT, .api = "1.22"};
  char *json = must_convert(f, &c);
  json_error_t err;
  json_t *x = json_loads(in, 0, &err), *y = json_loads(json, 0, &err);
  assert_non_null(x);
  assert_non_null(y);
  if (!json_equal(json_object_get(x, "blocks"), json_object_get(y, "blocks")))
    fail_msg("through quire:\n%s\n%s", in, json);
  json_decref(x);
  json_decref(y);
  if (pandoc_program()) {
    char *again = run_pandoc(json, "-f", "json", "-t", "json",
                             (const char *)NULL);
    quire_doc *after = read_one(f, again);
    char *b = model_dump(after, 0);
    model_dump_assert_same("table through pandoc", a, b);
    free(b);
    quire_doc_free(after);
    free(again);
  } else {
    test_note_skip("pandoc not found, the table is not passed through it");
  }
  free(json);
  free(a);
  quire_doc_free(before);
  free(in);
}

/* ---- Versions ----------------------------------------------------------------- */

static void test_api_1_23_is_written_by_default_and_1_22_on_request(
    void **state) {
  fixture *f = *state;
  conv c = {.paths = corpus, .n_paths = 1, .to = FORMAT};
  char *json = must_convert(f, &c);
  assert_true(starts(json, "{\"pandoc-api-version\":[1,23,1],"));
  free(json);
  c.api = "1.22";
  json = must_convert(f, &c);
  assert_true(starts(json, "{\"pandoc-api-version\":[1,22,"));
  free(json);
  c.api = "1.23";
  json = must_convert(f, &c);
  assert_true(starts(json, "{\"pandoc-api-version\":[1,23,1],"));
  free(json);
}

/* pandoc 2.17 accepts what --pandoc-api 1.22 writes. */
static void test_pandoc_reads_what_api_1_22_writes(void **state) {
  fixture *f = *state;
  require_pandoc();
  const char *path[] = {"tests/data/html/features.html"};
  conv c = {.paths = path, .n_paths = 1, .to = FORMAT, .api = "1.22"};
  char *json = must_convert(f, &c);
  char *native = run_pandoc(json, "-f", "json", "-t", "native",
                            (const char *)NULL);
  assert_non_null(strstr(native, "Table"));
  free(native);
  free(json);
}

static void test_other_api_versions_are_refused_naming_them(void **state) {
  fixture *f = *state;
  static const struct {
    const char *version, *named;
  } cases[] = {{"[1,21]", "1.21"}, {"[2,0]", "2.0"}, {"[1,24,0]", "1.24.0"},
               {"[1,17,5,4]", "1.17.5.4"}};
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    char doc[128];
    snprintf(doc, sizeof doc,
             "{\"pandoc-api-version\":%s,\"meta\":{},\"blocks\":[]}",
             cases[i].version);
    char *msg = read_error(f, doc);
    char want[64];
    snprintf(want, sizeof want, "pandoc API version %s is not supported",
             cases[i].named);
    if (!strstr(msg, want))
      fail_msg("%s: '%s' does not say '%s'", cases[i].version, msg, want);
    free(msg);
  }
  /* 1.23 is read, Figure included. */
  quire_doc *doc = read_q(
      f, "{'pandoc-api-version':[1,23,1],'meta':{},'blocks':[{'t':"
         "'Figure','c':[['',[],[]],[null,[{'t':'Plain','c':[{'t':"
         "'Str','c':'cap'}]}]],[{'t':'Plain','c':[{'t':'Image',"
         "'c':[['',[],[]],[{'t':'Str','c':'alt'}],['a.png','']]}]}]]}]}");
  char *d = dump(doc);
  if (!strstr(d, "  figure\n    paragraph\n      image url=a.png\n        "
                 "text text=alt\n    caption\n      paragraph\n        text "
                 "text=cap"))
    fail_msg("no figure with its image and caption in:\n%s", d);
  assert_int_equal(f->n_warnings, 0);
  free(d);
  quire_doc_free(doc);
}

static void test_bad_pandoc_api_value_is_a_usage_error(void **state) {
  (void)state;
  char *err = NULL;
  int status = run_quire(&err, "-t", FORMAT, "--pandoc-api", "1.21",
                         "corpus/000_89428971a2145b71.txt", (const char *)NULL);
  assert_int_equal(status, 2);
  if (!strstr(err, "--pandoc-api wants 1.22 or 1.23, not '1.21'"))
    fail_msg("the message does not name the option: %s", err);
  free(err);
}

/* ---- What the model lacks -------------------------------------------------- */

/* Each element has its node: notes where they are called, quotes,
 * math, line blocks, definition lists, spans with their attributes,
 * list numbering; what the model lacks (a Cite's data, a level-9 header,
 * Example numbering) keeps its text and is named in a warning. */
static void test_every_pandoc_element_has_its_node(void **state) {
  fixture *f = *state;
  char *in = pandoc_doc(
      "[{'t':'Para','c':["
      "   {'t':'Strikeout','c':[{'t':'Str','c':'gone'}]},{'t':'Space'},"
      "   {'t':'Quoted','c':[{'t':'SingleQuote'},[{'t':'Str','c':'q'}]]},"
      "   {'t':'Math','c':[{'t':'DisplayMath'},'x^2']},"
      "   {'t':'Span','c':[['s',['c'],[['k','v']]],[{'t':'Str','c':'sp'}]]},"
      "   {'t':'SmallCaps','c':[{'t':'Str','c':'sc'}]},"
      "   {'t':'Cite','c':[[],[{'t':'Str','c':'[@doe]'}]]},"
      "   {'t':'Str','c':'end'},"
      "   {'t':'Note','c':[{'t':'Para','c':[{'t':'Str','c':'noted'}]}]}]},"
      " {'t':'LineBlock','c':[[{'t':'Str','c':'l1'}],[{'t':'Str','c':'l2'}]]},"
      " {'t':'DefinitionList','c':[[[{'t':'Str','c':'term'}],"
      "   [[{'t':'Plain','c':[{'t':'Str','c':'def'}]}]]]]},"
      " {'t':'OrderedList','c':[[2,{'t':'Example'},{'t':'OneParen'}],"
      "   [[{'t':'Para','c':[{'t':'Str','c':'ex'}]}]]]},"
      " {'t':'Header','c':[9,['h',[],[]],[{'t':'Str','c':'deep'}]]}]");
  quire_doc *doc = read_one(f, in);
  char *d = model_dump(doc, 0);
  static const char *const expect[] = {
      "  paragraph\n    strikeout\n      text text=gone\n    text text= \n"
      "    quoted kind=1\n      text text=q\n    math kind=1 text=x^2\n"
      "    span class=c id=s @k=v\n      text text=sp\n"
      "    small_caps\n      text text=sc\n    text text=[@doe]end\n"
      "    note\n      paragraph\n        text text=noted\n",
      "  line_block\n    line\n      text text=l1\n    line\n"
      "      text text=l2\n",
      "  definition_list tight=1\n    term\n      text text=term\n"
      "    definition\n      paragraph\n        text text=def\n",
      "  ordered_list start=2 style=1 delim=2\n",
      "  heading level=6 id=h\n"};
  for (size_t i = 0; i < sizeof expect / sizeof expect[0]; i++)
    if (!strstr(d, expect[i]))
      fail_msg("'%s' not in:\n%s", expect[i], d);
  static const char *const named[] = {
      "pandoc Cite (1)", "pandoc OrderedList (1): Example",
      "pandoc Header (1)"};
  for (size_t i = 0; i < sizeof named / sizeof named[0]; i++)
    if (!strstr(f->warnings, named[i]))
      fail_msg("no warning '%s' in: %s", named[i], f->warnings);
  assert_int_equal(f->n_warnings, 3);
  free(d);
  quire_doc_free(doc);
  free(in);
}

static void test_metadata_is_read_as_text(void **state) {
  fixture *f = *state;
  quire_doc *doc = read_q(
      f,
      "{'pandoc-api-version':[1,22,2,1],'meta':{"
      "'author':{'t':'MetaList','c':["
      "  {'t':'MetaInlines','c':[{'t':'Str','c':'A.'},{'t':'Space'},"
      "                          {'t':'Str','c':'One'}]},"
      "  {'t':'MetaMap','c':{'name':{'t':'MetaString','c':'B. Two'}}}]},"
      "'draft':{'t':'MetaBool','c':true},"
      "'lang':{'t':'MetaString','c':'fr'},"
      "'nested':{'t':'MetaMap','c':{'x':{'t':'MetaString','c':'1'}}},"
      "'title':{'t':'MetaInlines','c':[{'t':'Str','c':'The'},{'t':'Space'},"
      "         {'t':'Emph','c':[{'t':'Str','c':'Title'}]}]}"
      "},'blocks':[]}");
  sbuf b = {0};
  for (const quire_meta *m = doc->meta; m; m = m->next) {
    adds(&b, m->key);
    adds(&b, "=");
    adds(&b, m->value);
    adds(&b, ";");
  }
  assert_string_equal(b.s, "title=The Title;author=A. One;author=B. Two;"
                           "language=fr;draft=true;");
  assert_non_null(strstr(f->warnings, "metadata 'nested' skipped"));
  free(b.s);
  quire_doc_free(doc);
}

/* Nesting deeper than max-depth is flattened, its text kept, with one
 * warning. */
static void test_deep_nesting_is_flattened_keeping_the_text(void **state) {
  fixture *f = *state;
  sbuf b = {0};
  const int levels = 600;   /* 3 JSON levels each: under jansson's 2048 */
  for (int i = 0; i < levels; i++)
    adds(&b, "{\"t\":\"BlockQuote\",\"c\":[");
  adds(&b, "{\"t\":\"Para\",\"c\":[{\"t\":\"Str\",\"c\":\"bottom\"}]}");
  for (int i = 0; i < levels; i++)
    adds(&b, "]}");
  char *blocks = malloc(b.n + 3);
  snprintf(blocks, b.n + 3, "[%s]", b.s);
  char *in = pandoc_doc(blocks);
  quire_doc *doc = read_one(f, in);
  int depth = 0, max = 0, found = 0;
  quire_iter it;
  quire_iter_init(&it, doc->root);
  while (quire_iter_next(&it) != QUIRE_EV_DONE) {
    if (it.event == QUIRE_EV_EXIT) {
      depth--;
      continue;
    }
    if (depth > max)
      max = depth;
    found |= it.node->type == QUIRE_NODE_TEXT &&
             strcmp(it.node->text, "bottom") == 0;
    if (!quire_node_is_leaf(it.node->type))
      depth++;
  }
  assert_true(found);
  assert_true(max <= 256);
  assert_int_equal(f->n_warnings, 1);
  assert_non_null(strstr(f->warnings, "flattened"));
  quire_doc_free(doc);
  free(in);
  free(blocks);
  free(b.s);
}

/* ---- Broken input ------------------------------------------------------------ */

static void test_truncated_json_names_line_and_column_and_writes_nothing(
    void **state) {
  fixture *f = *state;
  const char *in = tmp_path(f, "cut");
  const char *out = tmp_path(f, "out.txt");
  static const char cut[] =
      "{\"pandoc-api-version\":[1,22,2,1],\"meta\":{},\n"
      "\"blocks\":[{\"t\":\"Para\",\"c\":[{\"t\":\"Str\",\"c\":\"x\"}";
  put_file(in, cut, sizeof cut - 1);
  char *err = NULL;
  int status = run_quire(&err, "-f", FORMAT, in, "-o", out, (const char *)NULL);
  assert_int_equal(status, 1);
  char want[300];
  snprintf(want, sizeof want, "%s:2:", in);
  if (!strstr(err, want) || !strstr(err, "invalid JSON"))
    fail_msg("no line and column in: %s", err);
  assert_int_not_equal(access(out, F_OK), 0);
  free(err);
}

static void test_unknown_elements_are_errors_naming_them(void **state) {
  fixture *f = *state;
  char *in = pandoc_doc("[{'t':'Para','c':[]},{'t':'Marquee','c':[]}]");
  char *msg = read_error(f, in);
  if (!strstr(msg, "unknown pandoc block element 'Marquee' in top-level block 2"))
    fail_msg("the message does not name it: %s", msg);
  free(msg);
  free(in);
  in = pandoc_doc("[{'t':'Para','c':[{'t':'Blink','c':[]}]}]");
  msg = read_error(f, in);
  if (!strstr(msg, "unknown pandoc inline element 'Blink'"))
    fail_msg("the message does not name it: %s", msg);
  free(msg);
  free(in);
}

static void test_malformed_documents_fail_cleanly(void **state) {
  fixture *f = *state;
#define DOC "{'pandoc-api-version':[1,22],'meta':{},'blocks':"
  static const struct {
    const char *json, *says;
  } cases[] = {
      {"[1,2]", "not a pandoc JSON document"},
      {"{'meta':{},'blocks':[]}", "no pandoc-api-version"},
      {"{'pandoc-api-version':[1,22],'meta':{}}", "no blocks list"},
      {DOC "[]} x", "data after the document"},
      {"{'pandoc-api-version':[1,22],'pandoc-api-version':[1,22],"
       "'meta':{},'blocks':[]}",
       "duplicate object key"},
      {DOC "[{'t':'Para','c':[{'t':'Str','c':'\\u0000'}]}]}", "\\u0000"},
      {DOC "[{'t':'Header','c':['1',[],[]]}]}", "malformed pandoc Header"},
      {DOC "[{'t':'Table','c':[]}]}", "malformed pandoc Table"},
      {DOC "[{'t':'Para','c':[{'t':'Link','c':[['',[],[]],[]]}]}]}",
       "malformed pandoc Link"},
      {DOC "[42]}", "not an object"},
      {DOC "[{'t':'BulletList','c':{}}]}", "malformed pandoc list"},
  };
#undef DOC
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    char *json = json_q(cases[i].json);
    char *msg = read_error(f, json);
    if (!strstr(msg, cases[i].says))
      fail_msg("%s\n  gives '%s', not '%s'", json, msg, cases[i].says);
    free(msg);
    free(json);
  }
}

/* JSONTestSuite's parsing tests, none of them a pandoc document: each is
 * refused with an error, none crashes (100,000 nested arrays included). */
static void test_json_test_suite_inputs_fail_cleanly(void **state) {
  fixture *f = *state;
  glob_t g;
  if (glob(PEERS "/jsontestsuite/test_parsing/*.json", 0, NULL, &g) != 0)
    test_skip("../shared/peers/jsontestsuite not found");
  assert_true(g.gl_pathc > 300);
  for (size_t i = 0; i < g.gl_pathc; i++) {
    quire_reader *r = NULL;
    if (quire_reader_open(f->s, g.gl_pathv[i], FORMAT, NULL, &r) != QUIRE_OK)
      continue;
    quire_doc *doc = NULL;
    if (quire_reader_next(r, &doc) == QUIRE_OK)
      fail_msg("%s read as a pandoc document", g.gl_pathv[i]);
    quire_reader_free(r);
  }
  globfree(&g);
}

/* ---- Choosing the format ------------------------------------------------------- */

static void test_pandoc_json_is_recognized_by_its_content(void **state) {
  fixture *f = *state;
  char *in = pandoc_doc("[{'t':'Para','c':[{'t':'Str','c':'sniffed'}]}]");
  quire_source src = {.name = "no-extension", .data = in, .len = strlen(in)};
  quire_reader *r = NULL;
  assert_int_equal(quire_reader_open_source(f->s, &src, NULL, &r), QUIRE_OK);
  quire_doc *doc = NULL;
  assert_int_equal(quire_reader_next(r, &doc), QUIRE_OK);
  char *d = dump(doc);
  assert_non_null(strstr(d, "text=sniffed"));
  free(d);
  quire_doc_free(doc);
  quire_reader_free(r);
  free(in);
}

int main(void) {
  test_filters_from_env();
  const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup_teardown(name, fixture_setup, fixture_teardown)
      T(test_pandoc_testsuite_is_read_keeping_every_word),
      T(test_corpus_rendered_by_pandoc_keeps_every_word),
      T(test_round_trip_through_pandoc_gives_the_same_model),
      T(test_several_documents_are_one_pandoc_document_with_a_div_each),
      T(test_one_document_is_written_without_a_div),
      T(test_text_is_escaped_and_split_into_words),
      T(test_table_parts_and_alignments_map_one_to_one),
      T(test_api_1_23_is_written_by_default_and_1_22_on_request),
      T(test_pandoc_reads_what_api_1_22_writes),
      T(test_other_api_versions_are_refused_naming_them),
      T(test_bad_pandoc_api_value_is_a_usage_error),
      T(test_every_pandoc_element_has_its_node),
      T(test_metadata_is_read_as_text),
      T(test_deep_nesting_is_flattened_keeping_the_text),
      T(test_truncated_json_names_line_and_column_and_writes_nothing),
      T(test_unknown_elements_are_errors_naming_them),
      T(test_malformed_documents_fail_cleanly),
      T(test_json_test_suite_inputs_fail_cleanly),
      T(test_pandoc_json_is_recognized_by_its_content),
#undef T
  };
  return test_main_status(cmocka_run_group_tests(tests, NULL, NULL));
}
