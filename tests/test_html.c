/* test_html.c - the HTML plugin: what the reader makes of real and broken
 * HTML, what the writer writes (checked with tidy and libxml2), round
 * trips, and robustness against html5lib's malformed inputs. */
#include <dirent.h>
#include <dlfcn.h>
#include <glob.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <libxml/HTMLparser.h>
#include <libxml/parser.h>
#include <quire/quire.h>

#include "doc_dump.h"
#include "session_fixture.h"
#include "skip_note.h"
#include "text_words.h"

#define DATA QUIRE_SOURCE_DIR "/tests/data/html/"
#define CORPUS QUIRE_SOURCE_DIR "/corpus/"
/* Relative to the project root, the tests' working directory. */
#define PEERS "../shared/peers"
#define PLUGIN QUIRE_BINARY_DIR "/lib/quire/plugins/html.so"

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

static const char *tmp_path(fixture *f, const char *name, char *buf,
                            size_t size) {
  snprintf(buf, size, "%s/%s", f->dir, name);
  return buf;
}

static void put_file(const char *path, const char *bytes, size_t n) {
  FILE *fp = fopen(path, "wb");
  assert_non_null(fp);
  assert_int_equal(fwrite(bytes, 1, n, fp), n);
  fclose(fp);
}

static int starts(const char *text, const char *prefix) {
  return strncmp(text, prefix, strlen(prefix)) == 0;
}

static int count(const char *hay, const char *needle) {
  int n = 0;
  for (const char *p = hay; (p = strstr(p, needle)) != NULL; p++)
    n++;
  return n;
}

/* Runs one conversion; fails the test when it fails. */
static void convert(fixture *f, const char *const *inputs, size_t n_inputs,
                    const char *from, const char *to, const char *output,
                    const char *output_dir, const quire_option *opts,
                    size_t n_opts) {
  quire_job job = {.inputs = inputs, .n_inputs = n_inputs, .from = from,
                   .to = to, .output = output, .output_dir = output_dir,
                   .options = opts, .n_options = n_opts};
  if (quire_convert(f->s, &job) < QUIRE_OK) {
    char msg[512];
    fail_msg("%s -> %s: %s", inputs[0], output ? output : output_dir,
             quire_error_format(quire_error_get(f->s), msg, sizeof msg));
  }
}

static void convert1(fixture *f, const char *in, const char *from,
                     const char *to, const char *out) {
  convert(f, &in, 1, from, to, out, NULL, NULL, 0);
}

/* The document read from an HTML string. */
static quire_doc *read_string(fixture *f, const char *from, const char *text,
                              size_t n) {
  char path[256];
  tmp_path(f, strcmp(from, "xhtml") == 0 ? "in.xhtml" : "in.html", path,
           sizeof path);
  put_file(path, text, n);
  return doc_read(f->s, path, from);
}

/* A document's whole tree in one line, every node shown:
 * paragraph["foo " emph["bar"]] ordered_list3[item[...]] ... */
static char *tree_of(const quire_doc *doc) {
  sbuf b = {0};
  adds(&b, "");
  quire_iter it;
  quire_iter_init(&it, doc->root);
  while (quire_iter_next(&it) != QUIRE_EV_DONE) {
    const quire_node *n = it.node;
    if (n == doc->root)
      continue;
    if (it.event == QUIRE_EV_EXIT) {
      adds(&b, "]");
      continue;
    }
    if (b.n && b.s[b.n - 1] != '[')
      adds(&b, " ");
    if (n->type == QUIRE_NODE_TEXT) {
      adds(&b, "\"");
      add(&b, n->text, n->len);
      adds(&b, "\"");
      continue;
    }
    adds(&b, quire_node_type_name(n->type));
    char extra[64] = "";
    if (n->type == QUIRE_NODE_HEADING)
      snprintf(extra, sizeof extra, "%d", n->level);
    else if (n->type == QUIRE_NODE_ORDERED_LIST)
      snprintf(extra, sizeof extra, "%d", n->start);
    else if (n->type == QUIRE_NODE_TABLE_ROW && n->header)
      snprintf(extra, sizeof extra, "*");
    else if (n->type == QUIRE_NODE_TABLE_CELL && n->align)
      snprintf(extra, sizeof extra, "/%d", (int)n->align);
    adds(&b, extra);
    if (n->url) {
      adds(&b, "<");
      adds(&b, n->url);
      adds(&b, ">");
    }
    if (n->info) {
      adds(&b, "(");
      adds(&b, n->info);
      adds(&b, ")");
    }
    if (quire_node_is_leaf(n->type)) {
      if (n->text) {
        adds(&b, ":\"");
        add(&b, n->text, n->len);
        adds(&b, "\"");
      }
    } else
      adds(&b, "[");
  }
  return b.s;
}

static char *tree_of_string(fixture *f, const char *from, const char *html) {
  quire_doc *doc = read_string(f, from, html, strlen(html));
  char *t = tree_of(doc);
  quire_doc_free(doc);
  return t;
}

static void assert_tree(fixture *f, const char *html, const char *expected) {
  char *t = tree_of_string(f, "html", html);
  if (strcmp(t, expected) != 0)
    fail_msg("%s\n  gives    %s\n  expected %s", html, t, expected);
  free(t);
}

/* The deepest node of a document (root children are at depth 1). */
static unsigned depth_of(const quire_doc *doc) {
  quire_iter it;
  quire_iter_init(&it, doc->root);
  unsigned depth = 0, max = 0;
  while (quire_iter_next(&it) != QUIRE_EV_DONE) {
    int leaf = quire_node_is_leaf(it.node->type);
    if (it.event == QUIRE_EV_ENTER) {
      if (it.node != doc->root && depth + 1 > max)
        max = depth + 1;
      if (!leaf && it.node != doc->root)
        depth++;
    } else if (it.node != doc->root)
      depth--;
  }
  return max;
}

/* Corpus files, sorted. */
static glob_t corpus(void) {
  glob_t g;
  assert_int_equal(glob(CORPUS "*.txt", 0, NULL, &g), 0);
  assert_true(g.gl_pathc >= 5);
  return g;
}

static int have(const char *command) {
  char cmd[128];
  snprintf(cmd, sizeof cmd, "command -v %s >/dev/null 2>&1", command);
  return system(cmd) == 0;
}

/* Runs `tidy -q -e` on a file: fails on any error or warning. */
static void assert_tidy_clean(const char *path) {
  char cmd[600];
  snprintf(cmd, sizeof cmd, "tidy -q -e '%s' 2>&1", path);
  FILE *p = popen(cmd, "r");
  assert_non_null(p);
  sbuf out = {0};
  adds(&out, "");
  char line[1024];
  while (fgets(line, sizeof line, p))
    adds(&out, line);
  int status = pclose(p);
  int code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  if (code < 0 || code > 1 || strstr(out.s, "Error:"))
    fail_msg("tidy finds errors in %s (status %d):\n%s", path, code, out.s);
  if (strstr(out.s, "Warning:"))
    fail_msg("tidy warns about %s:\n%s", path, out.s);
  free(out.s);
}

/* ---- Words ------------------------------------------------------------------ */

/* ---- Reading pages with libxml2 ------------------------------------------ */

static xmlDoc *parse_page(const char *path) {
  xmlDoc *d = htmlReadFile(path, "UTF-8",
                           HTML_PARSE_NONET | HTML_PARSE_NOERROR |
                               HTML_PARSE_NOWARNING | HTML_PARSE_RECOVER);
  assert_non_null(d);
  return d;
}

static int named(const xmlNode *n, const char *name) {
  return n->type == XML_ELEMENT_NODE &&
         strcasecmp((const char *)n->name, name) == 0;
}

static int inline_element(const xmlNode *n) {
  static const char *const names[] = {
      "a", "abbr", "b", "bdi", "bdo", "big", "cite", "code", "data", "del",
      "dfn", "em", "font", "i", "ins", "kbd", "mark", "q", "s", "samp",
      "small", "span", "strike", "strong", "sub", "sup", "time", "tt", "u",
      "var"};
  for (size_t i = 0; i < sizeof names / sizeof *names; i++)
    if (named(n, names[i]))
      return 1;
  return 0;
}

static int dropped_element(const xmlNode *n) {
  return named(n, "script") || named(n, "style") || named(n, "template") ||
         named(n, "noscript") || named(n, "head") || named(n, "iframe");
}

/* The text under n as a reader sees it: a space at the edge of every
 * element that is not inline, nothing of scripts, styles and comments. */
/* Non-zero for pandoc's math span, whose text is TeX in delimiters. */
static int math_span(const xmlNode *n) {
  if (!n || !named(n, "span"))
    return 0;
  xmlChar *c = xmlGetProp(n, (const xmlChar *)"class");
  int math = c && strstr((const char *)c, "math") != NULL;
  xmlFree(c);
  return math;
}

/* TeX without its delimiters (\( \), \[ \], $ $, $$ $$), which writers
 * may choose differently: math is compared by its TeX. */
static void add_tex(sbuf *b, const char *s) {
  s += strspn(s, " \t\n");
  size_t n = strlen(s);
  while (n && strchr(" \t\n", s[n - 1]))
    n--;
  static const char *const delims[][2] = {
      {"\\(", "\\)"}, {"\\[", "\\]"}, {"$$", "$$"}, {"$", "$"}};
  for (size_t i = 0; i < sizeof delims / sizeof *delims; i++) {
    size_t o = strlen(delims[i][0]), c = strlen(delims[i][1]);
    if (n >= o + c && strncmp(s, delims[i][0], o) == 0 &&
        strncmp(s + n - c, delims[i][1], c) == 0) {
      s += o;
      n -= o + c;
      break;
    }
  }
  adds(b, " ");
  add(b, s, n);
  adds(b, " ");
}

static void text_under(const xmlNode *root, sbuf *b) {
  const xmlNode *x = root->children;
  while (x) {
    int down = 0;
    if ((x->type == XML_TEXT_NODE || x->type == XML_CDATA_SECTION_NODE) &&
        math_span(x->parent))
      add_tex(b, (const char *)x->content);
    else if (x->type == XML_TEXT_NODE || x->type == XML_CDATA_SECTION_NODE)
      adds(b, (const char *)x->content);
    else if (x->type == XML_ELEMENT_NODE && !dropped_element(x)) {
      if (!inline_element(x))
        adds(b, " ");
      down = 1;
    }
    if (down && x->children) {
      x = x->children;
      continue;
    }
    while (x != root && !x->next) {
      x = x->parent;
      if (x != root && !inline_element(x))
        adds(b, " ");
    }
    if (x == root)
      break;
    if (x->type == XML_ELEMENT_NODE && !inline_element(x))
      adds(b, " ");
    x = x->next;
  }
}

static const xmlNode *find(const xmlNode *n, const char *name) {
  for (; n; n = n->next) {
    if (named(n, name))
      return n;
    const xmlNode *in = find(n->children, name);
    if (in)
      return in;
  }
  return NULL;
}

static char *body_text(const char *path) {
  xmlDoc *d = parse_page(path);
  const xmlNode *body = find(xmlDocGetRootElement(d), "body");
  assert_non_null(body);
  sbuf b = {0};
  adds(&b, "");
  text_under(body, &b);
  xmlFreeDoc(d);
  return b.s;
}

/* Collapses whitespace runs and trims, in place. */
static char *squash(char *s) {
  char *w = s;
  int space = 0;
  for (char *p = s; *p; p++) {
    if (*p == ' ' || *p == '\n' || *p == '\t' || *p == '\r') {
      space = w > s;
      continue;
    }
    if (space)
      *w++ = ' ';
    space = 0;
    *w++ = *p;
  }
  *w = '\0';
  return s;
}

/* ---- The reader ------------------------------------------------------------ */

static void test_whitespace_collapses_as_in_a_browser(void **state) {
  assert_tree(*state, "<p>  foo   <em> bar </em>  baz\n qux </p>",
              "paragraph[\"foo \" emph[\"bar\"] \" baz\" soft_break "
              "\"qux\"]");
  assert_tree(*state, "<p>a<em></em><a href=\"x\"> </a>b</p>",
              "paragraph[\"a b\"]");
  assert_tree(*state, "<p>one <br>\n   two</p>",
              "paragraph[\"one\" line_break \"two\"]");
  assert_tree(*state, "<p>caf&eacute;&nbsp; &amp; <b>tea</b></p>",
              "paragraph[\"caf\xC3\xA9\xC2\xA0 & \" strong[\"tea\"]]");
}

static void test_pre_keeps_its_whitespace(void **state) {
  assert_tree(*state,
              "<pre>\n  a  b\n\tc<br>d</pre>"
              "<pre><code class=\"language-c\">int x;\n</code></pre>",
              "code_block:\"  a  b\n\tc\nd\" "
              "code_block(c):\"int x;\n\"");
}

static void test_loose_inline_content_becomes_paragraphs(void **state) {
  assert_tree(*state,
              "<div>loose <b>bold</b><p>para</p>tail</div><span>s</span>"
              "<section><article>in <main>main</main></article></section>",
              "paragraph[\"loose \" strong[\"bold\"]] paragraph[\"para\"] "
              "paragraph[\"tail\"] paragraph[\"s\"] "
              /* article and main are page parts, kept as layout sections */
              "section(section)[section(article)[paragraph[\"in\"] "
              "section(main)[paragraph[\"main\"]]]]");
}

static void test_lists_quotes_rules_and_terms(void **state) {
  assert_tree(*state,
              "<ol start=\"4\"><li>a<li>b<ul><li>c</ul></ol>"
              "<blockquote>q<p>r</p></blockquote><hr>"
              "<dl><dt>term</dt><dd>def</dd></dl>",
              "ordered_list4[item[paragraph[\"a\"]] item[paragraph[\"b\"] "
              "bullet_list[item[paragraph[\"c\"]]]]] "
              "block_quote[paragraph[\"q\"] paragraph[\"r\"]] "
              "thematic_break definition_list[term[\"term\"] "
              "definition[paragraph[\"def\"]]]");
}

static void test_headings_links_images_code(void **state) {
  assert_tree(*state,
              "<h3>Title <code> x  y </code></h3>"
              "<p><a href=\"u.html\" title=\"t\">link</a> "
              "<img src=\"i.png\" alt=\" the  alt \"> <i>it</i></p>",
              "heading3[\"Title \" code:\"x y\"] "
              "paragraph[link<u.html>[\"link\"] \" \" "
              "image<i.png>[\"the alt\"] \" \" emph[\"it\"]]");
}

static void test_tables_keep_head_rows_alignment_and_caption(void **state) {
  assert_tree(*state,
              "<table><caption>Cap</caption>"
              "<thead><tr><th>A</th><th align=\"right\">B</th></tr></thead>"
              "<tbody><tr><td style=\"text-align: center\">1</td>"
              "<td>x<p>y</p>z</td></tr>"
              "<tr><th>H</th><th>I</th></tr></tbody></table>",
              "table[caption[paragraph[\"Cap\"]] table_head[table_row*["
              "table_cell[\"A\"] table_cell/3[\"B\"]]] table_body[table_row["
              "table_cell/2[\"1\"] table_cell[paragraph[\"x\"] "
              "paragraph[\"y\"] paragraph[\"z\"]]] table_row[table_cell["
              "\"H\"] table_cell[\"I\"]]]]");
}

static void test_scripts_styles_templates_comments_are_dropped(void **state) {
  assert_tree(*state,
              "<p>keep<script>x()</script><style>p{}</style><!-- c -->"
              "<template>t</template><noscript>n</noscript> this</p>"
              "<nav role=\"doc-toc\"><ol><li>toc</li></ol></nav>"
              "<nav><a href=\"/\">Home</a></nav>",
              "paragraph[\"keep this\"] "
              "section(nav)[paragraph[link</>[\"Home\"]]]");
}

static void test_metadata_from_head(void **state) {
  fixture *f = *state;
  quire_doc *doc = doc_read(f->s, DATA "features.html", "html");
  assert_string_equal(quire_meta_get(doc->meta, "title"),
                      "A Field Guide to Moths");
  assert_string_equal(quire_meta_get(doc->meta, "language"), "en-GB");
  assert_string_equal(quire_meta_get(doc->meta, "date"),
                      "2021-06-01T08:00:00Z");
  assert_string_equal(quire_meta_get(doc->meta, "description"),
                      "Night-flying insects of the northern woods.");
  assert_string_equal(quire_meta_get(doc->meta, "keywords"), "moths, insects");
  int authors = 0;
  for (const quire_meta *m = doc->meta; m; m = m->next)
    if (strcmp(m->key, "author") == 0)
      assert_string_equal(m->value, authors++ ? "Ben Holt" : "Ada Wren");
  assert_int_equal(authors, 2);
  char *t = tree_of(doc);
  assert_null(strstr(t, "script"));
  assert_null(strstr(t, "template text"));
  assert_null(strstr(t, "noscript text"));
  assert_null(strstr(t, "color: red"));
  assert_non_null(strstr(t, "\"Footer text.\""));
  free(t);
  quire_doc_free(doc);
}

static void test_title_falls_back_to_og_title_then_first_h1(void **state) {
  fixture *f = *state;
  const char a[] = "<meta property=\"og:title\" content=\"From OG\">"
                   "<h1>Heading <em>one</em></h1>";
  quire_doc *doc = read_string(f, "html", a, sizeof a - 1);
  assert_string_equal(quire_meta_get(doc->meta, "title"), "From OG");
  quire_doc_free(doc);
  const char b[] = "<p>intro</p><h1>Heading <em>one</em></h1><h1>two</h1>";
  doc = read_string(f, "html", b, sizeof b - 1);
  assert_string_equal(quire_meta_get(doc->meta, "title"), "Heading one");
  quire_doc_free(doc);
}

static void test_html_and_xhtml_are_recognised_by_content(void **state) {
  fixture *f = *state;
  char path[256];
  const char html[] = "<!doctype html><title>T</title><p>a&nbsp;b</p>";
  put_file(tmp_path(f, "page", path, sizeof path), html, sizeof html - 1);
  quire_doc *doc = doc_read(f->s, path, NULL);
  char *t = tree_of(doc);
  assert_string_equal(t, "paragraph[\"a\xC2\xA0" "b\"]");
  free(t);
  quire_doc_free(doc);
  const char xhtml[] = "<?xml version=\"1.0\"?>\n<html xmlns=\"http://www.w3."
                       "org/1999/xhtml\"><body><h2>x</h2></body></html>";
  put_file(tmp_path(f, "chapter", path, sizeof path), xhtml, sizeof xhtml - 1);
  doc = doc_read(f->s, path, NULL);
  t = tree_of(doc);
  assert_string_equal(t, "heading2[\"x\"]");
  free(t);
  quire_doc_free(doc);
  /* a text that mentions a <header> tag stays text */
  const char text[] = "Use the <header> element for headers.\n";
  put_file(tmp_path(f, "note", path, sizeof path), text, sizeof text - 1);
  doc = doc_read(f->s, path, NULL);
  t = tree_of(doc);
  assert_non_null(strstr(t, "<header>"));
  free(t);
  quire_doc_free(doc);
}

/* ---- Charsets ------------------------------------------------------------------ */

static char *first_paragraph(fixture *f, const char *bytes, size_t n) {
  quire_doc *doc = read_string(f, "html", bytes, n);
  char *d = doc_dump(doc);
  quire_doc_free(doc);
  return d;
}

static void test_charset_from_bom_meta_or_bytes(void **state) {
  fixture *f = *state;
  /* a UTF-16LE BOM */
  const char u16[] = "\xFF\xFE<\0p\0>\0\xE9\0t\0\xE9\0";
  char *d = first_paragraph(f, u16, sizeof u16 - 1);
  assert_string_equal(d, "P:\xC3\xA9t\xC3\xA9");
  free(d);
  /* <meta charset> naming ISO-8859-1 means Windows-1252 */
  const char latin[] = "<meta charset=\"iso-8859-1\"><p>caf\xE9 \x93q\x94";
  d = first_paragraph(f, latin, sizeof latin - 1);
  assert_string_equal(d, "P:caf\xC3\xA9 \xE2\x80\x9Cq\xE2\x80\x9D");
  free(d);
  /* http-equiv naming another charset, converted */
  const char cyr[] = "<meta http-equiv=\"Content-Type\" content=\"text/html; "
                     "charset=windows-1251\"><p>\xEC\xE8\xF0";
  d = first_paragraph(f, cyr, sizeof cyr - 1);
  assert_string_equal(d, "P:\xD0\xBC\xD0\xB8\xD1\x80");
  free(d);
  /* no declaration: valid UTF-8 is UTF-8 ... */
  const char utf8[] = "<p>na\xC3\xAFve</p>";
  d = first_paragraph(f, utf8, sizeof utf8 - 1);
  assert_string_equal(d, "P:na\xC3\xAFve");
  free(d);
  assert_int_equal(f->n_warnings, 0);
  /* ... anything else detected: two bytes outside ASCII are read as
   * Windows-1252, with a warning that the guess is unsure */
  const char cp[] = "<p>na\xEFve \x80</p>";
  d = first_paragraph(f, cp, sizeof cp - 1);
  assert_string_equal(d, "P:na\xC3\xAFve \xE2\x82\xAC");
  free(d);
  assert_int_equal(f->n_warnings, 1);
}

static void test_bad_bytes_in_declared_utf8_are_replaced(void **state) {
  fixture *f = *state;
  const char bad[] = "<meta charset=utf-8><p>a\xFF" "b</p>";
  char *d = first_paragraph(f, bad, sizeof bad - 1);
  assert_string_equal(d, "P:a\xEF\xBF\xBD" "b");
  assert_int_equal(f->n_warnings, 1);
  assert_non_null(strstr(f->warnings, "U+FFFD"));
  free(d);
}

/* ---- Text not carried ----------------------------------------------------- */

/* What the reader skips is counted in one warning; navigation the writers
 * make anew, scripts and styles are not; SVG text, canvas fallbacks and
 * note references made of words are kept. */
static void test_skipped_text_is_counted_in_a_warning(void **state) {
  fixture *f = *state;
  f->n_warnings = 0;
  f->warnings[0] = '\0';
  const char html[] =
      "<p>kept</p><noscript>Please enable JavaScript now.</noscript>"
      "<iframe>Your browser shows no frames</iframe>"
      "<script>var x = 1;</script><style>p { color: red }</style>"
      "<nav role=\"doc-toc\"><ol><li>Contents entry</li></ol></nav>"
      "<svg><text>drawn words</text></svg>"
      "<canvas>fallback words</canvas>";
  quire_doc *doc = read_string(f, "html", html, sizeof html - 1);
  char *d = tree_of(doc);
  assert_non_null(strstr(d, "kept"));
  assert_non_null(strstr(d, "drawn words"));
  assert_non_null(strstr(d, "fallback words"));
  assert_null(strstr(d, "JavaScript"));
  assert_null(strstr(d, "Contents entry"));
  free(d);
  quire_doc_free(doc);
  assert_int_equal(f->n_warnings, 1);
  assert_non_null(strstr(f->warnings, "9 words in 2 parts not carried "
                                      "(<noscript> and others)"));
}

/* A note reference made of words keeps them; one that is a label ("1")
 * gives way to the note. */
static void test_note_reference_words_are_kept(void **state) {
  fixture *f = *state;
  const char html[] =
      "<p>See <a href=\"#n\" epub:type=\"noteref\">this link</a> and "
      "<a href=\"#m\" epub:type=\"noteref\">2</a>.</p>"
      "<aside epub:type=\"footnote\" id=\"n\">First note.</aside>"
      "<aside epub:type=\"footnote\" id=\"m\">Second note.</aside>";
  quire_doc *doc = read_string(f, "html", html, sizeof html - 1);
  char *d = tree_of(doc);
  assert_non_null(strstr(d, "this link"));
  assert_non_null(strstr(d, "First note."));
  assert_null(strstr(d, "\"2\""));
  free(d);
  quire_doc_free(doc);
}

/* ---- Depth ------------------------------------------------------------------- */

static char *nested(const char *open, const char *close, int n,
                    const char *middle) {
  sbuf b = {0};
  adds(&b, "<p>before</p>");
  for (int i = 0; i < n; i++)
    adds(&b, open);
  adds(&b, middle);
  for (int i = 0; i < n; i++)
    adds(&b, close);
  adds(&b, "<p>after</p>");
  return b.s;
}

static void assert_flattened(fixture *f, const char *html, uint64_t limit) {
  f->n_warnings = 0;
  f->warnings[0] = '\0';
  quire_doc *doc = read_string(f, "html", html, strlen(html));
  assert_true(depth_of(doc) <= limit);
  char *d = tree_of(doc);
  assert_non_null(strstr(d, "\"before\""));
  assert_non_null(strstr(d, "deep text"));
  assert_non_null(strstr(d, "\"after\""));
  free(d);
  assert_int_equal(f->n_warnings, 1);
  assert_non_null(strstr(f->warnings, "max-depth"));
  quire_doc_free(doc);
}

static void test_deep_nesting_is_flattened_with_one_warning(void **state) {
  fixture *f = *state;
  char *html = nested("<blockquote><div>", "</div></blockquote>", 100000,
                      "<p>deep text</p>");
  assert_flattened(f, html, 256);
  free(html);
  html = nested("<ul><li>", "</li></ul>", 50000, "deep text");
  assert_flattened(f, html, 256);
  free(html);
  /* Emphasis inside emphasis adds nothing: no depth, no warning. */
  html = nested("<em><strong><span>", "</span></strong></em>", 100000,
                "deep text");
  f->n_warnings = 0;
  quire_doc *doc = read_string(f, "html", html, strlen(html));
  char *t = tree_of(doc);
  assert_string_equal(t, "paragraph[\"before\"] paragraph[emph[strong["
                         "\"deep text\"]]] paragraph[\"after\"]");
  assert_int_equal(f->n_warnings, 0);
  free(t);
  quire_doc_free(doc);
  free(html);
  assert_int_equal(quire_limit_set(f->s, "max-depth", 6), QUIRE_OK);
  html = nested("<blockquote>", "</blockquote>", 20,
                "<ol><li><a href=\"x\"><img src=\"i\" alt=\"deep text\">"
                "</a></li></ol>");
  assert_flattened(f, html, 6);
  free(html);
}

/* ---- XHTML ------------------------------------------------------------------- */

static void test_xhtml_reads_named_characters_without_expanding_entities(
    void **state) {
  fixture *f = *state;
  char *t = tree_of_string(
      f, "xhtml",
      "<?xml version=\"1.0\"?>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" "
      "xml:lang=\"fr\"><head><title>T</title></head><body>"
      "<p>a&nbsp;b &amp; caf&eacute; <![CDATA[x<y]]></p>"
      "<svg xmlns=\"http://www.w3.org/2000/svg\"><style>s{}</style>"
      "<text>drawn</text></svg></body></html>");
  assert_string_equal(t, "paragraph[\"a\xC2\xA0" "b & caf\xC3\xA9 x<y\"] "
                         "paragraph[\"drawn\"]");
  free(t);
  assert_int_equal(f->n_warnings, 0);

  /* A billion laughs: the entities are left unexpanded, quickly. */
  sbuf b = {0};
  adds(&b, "<?xml version=\"1.0\"?><!DOCTYPE html [<!ENTITY l0 \"haha\">");
  for (int i = 1; i < 10; i++) {
    char decl[256];
    snprintf(decl, sizeof decl,
             "<!ENTITY l%d \"&l%d;&l%d;&l%d;&l%d;&l%d;&l%d;&l%d;&l%d;\">", i,
             i - 1, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1);
    adds(&b, decl);
  }
  adds(&b, "]><html xmlns=\"http://www.w3.org/1999/xhtml\"><body>"
           "<p>x &l9; y</p></body></html>");
  time_t start = time(NULL);
  t = tree_of_string(f, "xhtml", b.s);
  assert_true(time(NULL) - start < 5);
  assert_null(strstr(t, "haha"));
  assert_non_null(strstr(t, "\"x"));
  assert_non_null(strstr(f->warnings, "entity"));
  free(t);
  free(b.s);

  /* A document's own entity is shown as written, with a warning. */
  f->warnings[0] = '\0';
  t = tree_of_string(f, "xhtml",
                     "<!DOCTYPE html [<!ENTITY co \"ACME\">]>"
                     "<html xmlns=\"http://www.w3.org/1999/xhtml\"><body>"
                     "<p>by &co; &amp; sons</p></body></html>");
  assert_string_equal(t, "paragraph[\"by &co; & sons\"]");
  assert_non_null(strstr(f->warnings, "entity &co; not expanded"));
  free(t);
}

static void test_xhtml_not_well_formed_is_reported_with_its_line(void **state) {
  fixture *f = *state;
  const char text[] = "<html xmlns=\"http://www.w3.org/1999/xhtml\">\n"
                      "<body>\n<p>one</p>\n<p>two <b>bold</p>\n</body></html>";
  quire_doc *doc = read_string(f, "xhtml", text, sizeof text - 1);
  assert_non_null(strstr(f->warnings, "not well-formed XHTML"));
  assert_true(f->last_line >= 4);
  char *d = tree_of(doc);
  assert_non_null(strstr(d, "\"one\""));
  free(d);
  quire_doc_free(doc);

  char path[256];
  put_file(tmp_path(f, "empty.xhtml", path, sizeof path), "", 0);
  quire_reader *r = NULL;
  assert_int_equal(quire_reader_open(f->s, path, "xhtml", NULL, &r), QUIRE_OK);
  quire_doc *none = NULL;
  assert_int_equal(quire_reader_next(r, &none), QUIRE_ERR);
  assert_non_null(strstr(quire_error_get(f->s)->file, "empty.xhtml"));
  quire_reader_free(r);
}

static void test_xhtml_output_is_well_formed(void **state) {
  fixture *f = *state;
  char out[256];
  const char *in[] = {CORPUS, DATA "features.html"};
  quire_option toc = {"toc", "1"};
  convert(f, in, 2, NULL, "xhtml", tmp_path(f, "all.xhtml", out, sizeof out),
          NULL, &toc, 1);
  xmlParserCtxtPtr ctxt = xmlNewParserCtxt();
  xmlDoc *d = xmlCtxtReadFile(ctxt, out, NULL,
                              XML_PARSE_NONET | XML_PARSE_NOERROR |
                                  XML_PARSE_NOWARNING);
  assert_non_null(d);
  assert_true(ctxt->wellFormed);
  xmlNode *root = xmlDocGetRootElement(d);
  assert_string_equal((const char *)root->ns->href,
                      "http://www.w3.org/1999/xhtml");
  xmlFreeDoc(d);
  xmlFreeParserCtxt(ctxt);
  /* and it reads back with every word */
  char back[256];
  convert(f, in, 2, NULL, "xhtml", out, NULL, NULL, 0);
  convert1(f, out, "xhtml", "html", tmp_path(f, "back.html", back, sizeof back));
  char *a = body_text(out), *b = body_text(back);
  assert_non_null(strstr(a, "Catch by month"));
  assert_same_words("xhtml to html", a, b);
  free(a);
  free(b);
}

/* ---- The writer ---------------------------------------------------------------- */

static void test_corpus_page_and_toc_page_are_tidy_clean(void **state) {
  fixture *f = *state;
  if (!have("tidy")) {
    test_skip("tidy not found");
  }
  char out[256];
  const char *in[] = {CORPUS};
  convert(f, in, 1, NULL, NULL, tmp_path(f, "x.html", out, sizeof out), NULL,
          NULL, 0);
  assert_tidy_clean(out);
  char *page = slurp(out, NULL);
  glob_t g = corpus();
  assert_int_equal((size_t)count(page, "<article "), g.gl_pathc);
  globfree(&g);
  assert_int_equal(count(page, "<!DOCTYPE html>"), 1);
  free(page);
  quire_option toc = {"toc", "1"};
  convert(f, in, 1, NULL, NULL, tmp_path(f, "toc.html", out, sizeof out),
          NULL, &toc, 1);
  assert_tidy_clean(out);
  const char *more[] = {DATA "features.html", DATA "features.html"};
  convert(f, more, 2, NULL, NULL, tmp_path(f, "f.html", out, sizeof out),
          NULL, &toc, 1);
  assert_tidy_clean(out);
}

static void test_output_dir_gives_a_tidy_clean_page_each(void **state) {
  fixture *f = *state;
  char dir[256];
  const char *in[] = {CORPUS};
  convert(f, in, 1, NULL, "html", NULL, tmp_path(f, "pages", dir, sizeof dir),
          NULL, 0);
  glob_t g = corpus();
  int tidy = have("tidy");
  if (!tidy)
    test_note_skip("tidy not found, the pages are not checked with it");
  for (size_t i = 0; i < g.gl_pathc; i++) {
    const char *base = strrchr(g.gl_pathv[i], '/') + 1;
    char page[512];
    snprintf(page, sizeof page, "%s/%.*s.html", dir,
             (int)(strlen(base) - 4), base);
    char *text = slurp(page, NULL);
    assert_int_equal(count(text, "<article "), 1);
    free(text);
    if (tidy)
      assert_tidy_clean(page);
  }
  globfree(&g);
}

/* (tag, text) of the paragraphs, headings and items of a document. */
static void model_blocks(const quire_doc *doc, sbuf *b) {
  quire_iter it;
  quire_iter_init(&it, doc->root);
  const quire_node *item = NULL, *block = NULL;
  sbuf text = {0};
  while (quire_iter_next(&it) != QUIRE_EV_DONE) {
    const quire_node *n = it.node;
    int enter = it.event == QUIRE_EV_ENTER;
    if (!item && !block && enter &&
        (n->type == QUIRE_NODE_ITEM || n->type == QUIRE_NODE_HEADING ||
         n->type == QUIRE_NODE_PARAGRAPH)) {
      if (n->type == QUIRE_NODE_ITEM)
        item = n;
      else
        block = n;
      text.n = 0;
      adds(&text, "");
      continue;
    }
    if (enter && (n->type == QUIRE_NODE_TEXT || n->type == QUIRE_NODE_CODE))
      add(&text, n->text, n->len);
    else if (enter && (n->type == QUIRE_NODE_SOFT_BREAK ||
                       n->type == QUIRE_NODE_LINE_BREAK))
      adds(&text, " ");
    const quire_node *open = item ? item : block;
    if (open && n == open && !enter) {
      char tag[8];
      snprintf(tag, sizeof tag, "%s",
               n->type == QUIRE_NODE_ITEM ? "li"
               : n->type == QUIRE_NODE_PARAGRAPH ? "p" : "h");
      if (n->type == QUIRE_NODE_HEADING)
        snprintf(tag, sizeof tag, "h%d", n->level);
      adds(b, tag);
      adds(b, ":");
      adds(b, squash(text.s));
      adds(b, "\n");
      item = block = NULL;
    }
  }
  free(text.s);
}

/* (tag, text) of the p, h1-h6 and li elements of an article, li taken
 * whole. */
static void page_blocks(const xmlNode *article, sbuf *b) {
  const xmlNode *x = article->children;
  while (x) {
    int whole = 0;
    if (x->type == XML_ELEMENT_NODE) {
      const char *name = (const char *)x->name;
      if (strcmp(name, "p") == 0 || strcmp(name, "li") == 0 ||
          (name[0] == 'h' && name[1] >= '1' && name[1] <= '6' && !name[2])) {
        sbuf t = {0};
        adds(&t, "");
        text_under(x, &t);
        adds(b, name);
        adds(b, ":");
        adds(b, squash(t.s));
        adds(b, "\n");
        free(t.s);
        whole = 1;
      }
    }
    if (!whole && x->type == XML_ELEMENT_NODE && x->children) {
      x = x->children;
      continue;
    }
    while (x != article && !x->next)
      x = x->parent;
    x = x == article ? NULL : x->next;
  }
}

static void test_corpus_blocks_are_elements_with_their_text(void **state) {
  fixture *f = *state;
  char out[256];
  const char *in[] = {CORPUS};
  convert(f, in, 1, NULL, NULL, tmp_path(f, "x.html", out, sizeof out), NULL,
          NULL, 0);
  xmlDoc *page = parse_page(out);
  const xmlNode *article = find(xmlDocGetRootElement(page), "article");
  glob_t g = corpus();
  for (size_t i = 0; i < g.gl_pathc; i++) {
    while (article && !named(article, "article"))
      article = article->next;
    assert_non_null(article);
    quire_doc *doc = doc_read(f->s, g.gl_pathv[i], "txt");
    sbuf want = {0}, got = {0};
    adds(&want, "");
    adds(&got, "");
    model_blocks(doc, &want);
    page_blocks(article, &got);
    if (strcmp(want.s, got.s) != 0)
      fail_msg("%s:\nthe model has\n%s\nthe page has\n%s", g.gl_pathv[i],
               want.s, got.s);
    assert_true(count(want.s, "\n") > 3);
    if (strstr(g.gl_pathv[i], "/002_")) {
      /* the three "•" lines: one list of three items */
      int lists = 0, items = 0;
      for (const xmlNode *x = article->children; x; x = x->next)
        if (named(x, "ul")) {
          lists++;
          for (const xmlNode *li = x->children; li; li = li->next)
            items += named(li, "li");
        }
      assert_int_equal(lists, 1);
      assert_int_equal(items, 3);
    }
    free(want.s);
    free(got.s);
    quire_doc_free(doc);
    article = article->next;
  }
  globfree(&g);
  xmlFreeDoc(page);
}

/* The text of an element, whitespace collapsed. */
static char *element_text(const xmlNode *n) {
  sbuf t = {0};
  adds(&t, "");
  text_under(n, &t);
  return squash(t.s);
}

static const char *id_of(const xmlNode *n) {
  xmlAttr *a = xmlHasProp(n, BAD_CAST "id");
  return a && a->children ? (const char *)a->children->content : "";
}

/* The targets (without '#') and texts of the links under n. */
static void collect_links(const xmlNode *n, char **hrefs, char **texts,
                          size_t *count_, size_t max) {
  for (const xmlNode *x = n->children; x; x = x->next) {
    if (named(x, "a")) {
      xmlChar *href = xmlGetProp(x, BAD_CAST "href");
      assert_non_null(href);
      assert_true(*count_ < max);
      hrefs[*count_] = strdup((const char *)href + 1);
      texts[(*count_)++] = element_text(x);
      xmlFree(href);
    } else
      collect_links(x, hrefs, texts, count_, max);
  }
}

static void test_toc_links_to_every_article_and_heading(void **state) {
  fixture *f = *state;
  char out[256];
  const char *in[] = {CORPUS};
  quire_option toc = {"toc", "1"};
  convert(f, in, 1, NULL, NULL, tmp_path(f, "toc.html", out, sizeof out),
          NULL, &toc, 1);
  xmlDoc *page = parse_page(out);
  const xmlNode *body = find(xmlDocGetRootElement(page), "body");
  const xmlNode *nav = find(body->children, "nav");
  assert_non_null(nav);
  /* the page's title block (a page of several documents), then the TOC,
   * before the articles */
  const xmlNode *first = body->children;
  while (first && first->type != XML_ELEMENT_NODE)
    first = first->next;
  assert_non_null(first);
  assert_true(named(first, "header"));
  const xmlNode *second = first->next;
  while (second && second->type != XML_ELEMENT_NODE)
    second = second->next;
  assert_ptr_equal(second, nav);
  /* its links, in order */
  char *hrefs[512], *texts[512];
  size_t n_links = 0;
  collect_links(nav, hrefs, texts, &n_links, 512);
  /* every article and every heading is linked, in order, but a first h1
   * that repeats the article's title */
  size_t link = 0, articles = 0;
  for (const xmlNode *art = nav->next; art; art = art->next) {
    if (!named(art, "article"))
      continue;
    articles++;
    assert_true(link < n_links);
    assert_string_equal(hrefs[link], id_of(art));
    const char *title = texts[link++];
    int headings = 0;
    for (const xmlNode *h = art->children; h; h = h->next) {
      if (h->type != XML_ELEMENT_NODE || h->name[0] != 'h' ||
          h->name[1] < '1' || h->name[1] > '6')
        continue;
      char *t = element_text(h);
      if (headings++ == 0 && h->name[1] == '1' && strcmp(t, title) == 0) {
        free(t);
        continue;
      }
      assert_true(link < n_links);
      assert_string_equal(hrefs[link], id_of(h));
      assert_string_equal(texts[link], t);
      link++;
      free(t);
    }
  }
  glob_t g = corpus();
  assert_int_equal(articles, g.gl_pathc);
  globfree(&g);
  assert_int_equal(link, n_links);
  assert_true(n_links > articles + 10);
  for (size_t i = 0; i < n_links; i++) {
    free(hrefs[i]);
    free(texts[i]);
  }
  xmlFreeDoc(page);
  /* reading the page back does not take the TOC for content */
  char back[256], plain[256];
  convert1(f, out, "html", "html", tmp_path(f, "back.html", back, sizeof back));
  convert(f, in, 1, NULL, NULL, tmp_path(f, "plain.html", plain, sizeof plain),
          NULL, NULL, 0);
  char *b = body_text(back), *c = body_text(plain);
  assert_same_words("toc page read back", c, b);
  free(b);
  free(c);
}

static void test_fragment_and_css_options(void **state) {
  fixture *f = *state;
  char out[256];
  const char *in[] = {CORPUS "002_b5077d99cde6bffe.txt"};
  quire_option frag = {"fragment", "1"};
  convert(f, in, 1, NULL, "html", tmp_path(f, "frag.html", out, sizeof out),
          NULL, &frag, 1);
  char *text = slurp(out, NULL);
  assert_true(starts(text, "<article id=\"doc-1\">\n"));
  assert_null(strstr(text, "<html"));
  assert_null(strstr(text, "<head"));
  assert_null(strstr(text, "<body"));
  assert_non_null(strstr(text, "<h2 id=\"doc-1-h3\">Stay Informed"));
  free(text);
  quire_option css = {"css", "style/site.css?v=1&x=2"};
  convert(f, in, 1, NULL, "html", tmp_path(f, "css.html", out, sizeof out),
          NULL, &css, 1);
  text = slurp(out, NULL);
  assert_non_null(strstr(text, "<link rel=\"stylesheet\" "
                               "href=\"style/site.css?v=1&amp;x=2\"/>"));
  assert_null(strstr(text, "<style"));
  free(text);
}

static void test_page_head_carries_the_metadata(void **state) {
  fixture *f = *state;
  char out[256];
  convert1(f, DATA "features.html", NULL, "html",
           tmp_path(f, "f.html", out, sizeof out));
  char *text = slurp(out, NULL);
  assert_true(starts(text, "<!DOCTYPE html>\n<html lang=\"en-GB\">\n"));
  assert_non_null(strstr(text, "<meta charset=\"utf-8\"/>"));
  assert_non_null(strstr(text, "<title>A Field Guide to Moths</title>"));
  assert_non_null(strstr(text, "<meta name=\"author\" content=\"Ada Wren\"/>\n"
                               "<meta name=\"author\" content=\"Ben Holt\"/>"));
  assert_non_null(strstr(text, "<meta name=\"description\" content=\"Night"));
  assert_non_null(strstr(text, "<meta name=\"date\" content=\"2021-06-01"));
  assert_non_null(strstr(text, "<style>"));
  free(text);
  /* corpus metadata (--title, --lang) wins over the document's */
  const char *in[] = {DATA "features.html"};
  quire_option meta[] = {{"title", "My <Moths>"}, {"language", "de"}};
  quire_job job = {.inputs = in, .n_inputs = 1, .output = out,
                   .metadata = meta, .n_metadata = 2};
  /* a warning: the page's moth.jpg is not beside it */
  assert_int_equal(quire_convert(f->s, &job), QUIRE_WARN);
  text = slurp(out, NULL);
  assert_non_null(strstr(text, "<title>My &lt;Moths&gt;</title>"));
  assert_non_null(strstr(text, "<html lang=\"de\">"));
  assert_non_null(strstr(text, "<article id=\"doc-1\" lang=\"en-GB\">"));
  free(text);
}

/* ---- The writer through its callbacks ----------------------------------------
 * Every node type, including raw blocks no reader makes, written by the
 * plugin's own writer with a services table of the test's. */

typedef struct sink {
  char *s;
  size_t n, cap;
} sink;

static char fake_messages[4096];
static int fake_warnings;

static void fake_note(const char *kind, const char *fmt, va_list ap) {
  size_t n = strlen(fake_messages);
  snprintf(fake_messages + n, sizeof fake_messages - n, "%s: ", kind);
  n = strlen(fake_messages);
  vsnprintf(fake_messages + n, sizeof fake_messages - n, fmt, ap);
  n = strlen(fake_messages);
  snprintf(fake_messages + n, sizeof fake_messages - n, ";");
}

static void fake_error(quire_env *env, const quire_loc *loc, const char *fmt,
                       ...) {
  (void)env, (void)loc;
  va_list ap;
  va_start(ap, fmt);
  fake_note("error", fmt, ap);
  va_end(ap);
}

static void fake_warn(quire_env *env, const quire_loc *loc, const char *fmt,
                      ...) {
  (void)env;
  fake_warnings++;
  va_list ap;
  va_start(ap, fmt);
  fake_note(loc && loc->file ? loc->file : "warning", fmt, ap);
  va_end(ap);
}

static int fake_usage(quire_env *env, const char *fmt, ...) {
  (void)env;
  va_list ap;
  va_start(ap, fmt);
  fake_note("usage", fmt, ap);
  va_end(ap);
  return QUIRE_FATAL;
}

static int fake_verbose(quire_env *env) { return (void)env, 0; }

static uint64_t fake_limit(quire_env *env, const char *name) {
  (void)env;
  return strcmp(name, "max-depth") == 0 ? 256 : (uint64_t)1 << 30;
}

static const char *fake_option(const quire_options *opts, const char *name) {
  const char *v = NULL;
  for (size_t i = 0; opts && i < opts->count; i++)
    if (strcmp(opts->items[i].name, name) == 0)
      v = opts->items[i].value;
  return v;
}

static int fake_write(quire_env *env, quire_output *out, const void *buf,
                      size_t n) {
  (void)env;
  sink *k = (sink *)(void *)out;
  if (k->n + n + 1 > k->cap) {
    k->cap = (k->n + n + 1) * 2;
    k->s = realloc(k->s, k->cap);
  }
  memcpy(k->s + k->n, buf, n);
  k->n += n;
  k->s[k->n] = '\0';
  return QUIRE_OK;
}

static const char *fake_output_path(const quire_output *out) {
  return (void)out, NULL;
}

static const quire_services fake_services = {
    .struct_size = sizeof(quire_services),
    .error = fake_error,
    .warn = fake_warn,
    .verbose = fake_verbose,
    .limit = fake_limit,
    .option = fake_option,
    .output_write = fake_write,
    .output_path = fake_output_path,
    .output_target = fake_output_path,   /* NULL: not a file */
    .doc_new = quire_doc_new,
    .doc_free = quire_doc_free,
    .alloc = quire_doc_alloc,
    .strndup = quire_doc_strndup,
    .node_new = quire_node_new,
    .node_new_text = quire_node_new_text,
    .node_append = quire_node_append,
    .node_insert_before = quire_node_insert_before,
    .node_unlink = quire_node_unlink,
    .node_can_contain = quire_node_can_contain,
    .node_is_leaf = quire_node_is_leaf,
    .node_is_inline = quire_node_is_inline,
    .node_type_name = quire_node_type_name,
    .iter_init = quire_iter_init,
    .iter_next = quire_iter_next,
    .doc_adopt = quire_doc_adopt,
    .meta_get = quire_meta_get,
    .meta_set = quire_meta_set,
    .meta_add = quire_meta_add,
    .usage_error = fake_usage,
};

typedef struct plugin {
  void *so;
  const quire_plugin *desc;
  quire_env env;
} plugin;

static void plugin_open(plugin *p) {
  p->so = dlopen(PLUGIN, RTLD_NOW | RTLD_LOCAL);
  if (!p->so)
    fail_msg("%s", dlerror());
  quire_plugin_entry_fn entry =
      (quire_plugin_entry_fn)dlsym(p->so, "quire_plugin_v2");
  assert_non_null(entry);
  p->desc = entry();
  p->env = (quire_env){.svc = &fake_services};
  if (p->desc->init)
    assert_int_equal(p->desc->init(&p->env), QUIRE_OK);
  fake_messages[0] = '\0';
  fake_warnings = 0;
}

static void plugin_close(plugin *p) {
  if (p->desc->fini)
    p->desc->fini(&p->env);
  if (!getenv("QUIRE_NO_DLCLOSE"))
    dlclose(p->so);
}

static const quire_format *plugin_format(plugin *p, const char *name) {
  for (size_t i = 0; i < p->desc->n_formats; i++)
    if (strcmp(p->desc->formats[i]->name, name) == 0)
      return p->desc->formats[i];
  fail_msg("no format %s", name);
  return NULL;
}

static quire_node *node(quire_node *parent, quire_doc *d, quire_node_type t) {
  quire_node *n = quire_node_new(d, t);
  quire_node_append(parent, n);
  return n;
}

static quire_node *leaf(quire_node *parent, quire_doc *d, quire_node_type t,
                        const char *s) {
  quire_node *n = quire_node_new_text(d, t, s, strlen(s));
  quire_node_append(parent, n);
  return n;
}

static quire_node *para(quire_node *parent, quire_doc *d, const char *s) {
  quire_node *p = node(parent, d, QUIRE_NODE_PARAGRAPH);
  leaf(p, d, QUIRE_NODE_TEXT, s);
  return p;
}

/* A document with every node type. */
static quire_doc *every_node(void) {
  quire_doc *d = quire_doc_new();
  quire_meta_set(d, "title", "Every node");
  quire_node *sec = node(d->root, d, QUIRE_NODE_SECTION);
  quire_node *h = node(sec, d, QUIRE_NODE_HEADING);
  h->level = 2;
  leaf(h, d, QUIRE_NODE_TEXT, "Tea & <biscuits>");
  quire_node *p = para(sec, d, "a < b & c ");
  leaf(node(p, d, QUIRE_NODE_EMPH), d, QUIRE_NODE_TEXT, "em");
  leaf(node(p, d, QUIRE_NODE_STRONG), d, QUIRE_NODE_TEXT, "st");
  leaf(p, d, QUIRE_NODE_CODE, "x<y");
  quire_node *a = node(p, d, QUIRE_NODE_LINK);
  a->url = quire_doc_strndup(d, "https://e.org/?a=1&b=2", 22);
  a->title = "T";
  leaf(a, d, QUIRE_NODE_TEXT, "link");
  quire_node *img = node(p, d, QUIRE_NODE_IMAGE);
  img->url = "i.png";
  leaf(img, d, QUIRE_NODE_TEXT, "alt & ");
  leaf(node(img, d, QUIRE_NODE_EMPH), d, QUIRE_NODE_TEXT, "text");
  node(p, d, QUIRE_NODE_LINE_BREAK);
  leaf(p, d, QUIRE_NODE_TEXT, "after break");
  node(p, d, QUIRE_NODE_SOFT_BREAK);
  leaf(p, d, QUIRE_NODE_TEXT, "soft bell\a.");
  quire_node *raw = leaf(p, d, QUIRE_NODE_RAW_INLINE, "<kbd>K</kbd>");
  raw->info = "html";
  raw = leaf(p, d, QUIRE_NODE_RAW_INLINE, "$a<b$");
  raw->info = "latex";
  quire_node *ol = node(d->root, d, QUIRE_NODE_ORDERED_LIST);
  ol->start = 3;
  ol->tight = 1;   /* a loose list's items keep their <p> */
  para(node(ol, d, QUIRE_NODE_ITEM), d, "three");
  para(node(ol, d, QUIRE_NODE_ITEM), d, "four");
  quire_node *ul = node(d->root, d, QUIRE_NODE_BULLET_LIST);
  quire_node *item = node(ul, d, QUIRE_NODE_ITEM);
  para(item, d, "p1");
  para(item, d, "p2");
  para(node(d->root, d, QUIRE_NODE_BLOCK_QUOTE), d, "quoted");
  quire_node *code = leaf(d->root, d, QUIRE_NODE_CODE_BLOCK, "int x = 1 < 2;\n");
  code->info = "c";
  node(d->root, d, QUIRE_NODE_THEMATIC_BREAK);
  quire_node *table = node(d->root, d, QUIRE_NODE_TABLE);
  quire_node *row = node(table, d, QUIRE_NODE_TABLE_ROW);
  row->header = 1;
  leaf(node(row, d, QUIRE_NODE_TABLE_CELL), d, QUIRE_NODE_TEXT, "H1");
  quire_node *cell = node(row, d, QUIRE_NODE_TABLE_CELL);
  cell->align = QUIRE_ALIGN_RIGHT;
  leaf(cell, d, QUIRE_NODE_TEXT, "H2");
  row = node(table, d, QUIRE_NODE_TABLE_ROW);
  leaf(node(row, d, QUIRE_NODE_TABLE_CELL), d, QUIRE_NODE_TEXT, "c1");
  leaf(node(row, d, QUIRE_NODE_TABLE_CELL), d, QUIRE_NODE_TEXT, "c2");
  raw = leaf(d->root, d, QUIRE_NODE_RAW_BLOCK,
             "<div class=\"raw\"><p>raw para</p></div>");
  raw->info = "html";
  raw = leaf(d->root, d, QUIRE_NODE_RAW_BLOCK, "\\begin{x}<y>");
  raw->info = "latex";
  raw = leaf(d->root, d, QUIRE_NODE_RAW_BLOCK, "<p>unclosed");
  raw->info = "HTML";
  return d;
}

/* The corpus metadata write_with hands the writer (NULL: none). */
static const quire_meta *write_corpus;

/* Writes docs with format `name` and options, through the callbacks. */
static char *write_with(plugin *p, const char *name, quire_doc **docs,
                        size_t n, const quire_option *opts, size_t n_opts,
                        size_t *after_first) {
  const quire_format *fmt = plugin_format(p, name);
  sink out = {0};
  quire_options o = {opts, n_opts};
  void *state = NULL;
  assert_int_equal(fmt->write_open(&p->env, (quire_output *)(void *)&out, &o,
                                   write_corpus, &state),
                   QUIRE_OK);
  for (size_t i = 0; i < n; i++) {
    assert_int_equal(fmt->write_doc(&p->env, state, docs[i]), QUIRE_OK);
    if (i == 0 && after_first)
      *after_first = out.n;
  }
  assert_int_equal(fmt->write_close(&p->env, state, 1), QUIRE_OK);
  return out.s;
}

static void expect(const char *text, const char *piece) {
  if (!strstr(text, piece))
    fail_msg("missing from the output: %s\n---\n%s", piece, text);
}

static void test_writer_writes_every_node_type(void **state) {
  fixture *f = *state;
  plugin p;
  plugin_open(&p);
  quire_doc *doc = every_node();
  char *html = write_with(&p, "html", &doc, 1, NULL, 0, NULL);
  expect(html, "<section>\n<h2 id=\"doc-1-h1\">Tea &amp; &lt;biscuits&gt;</h2>\n");
  expect(html, "<p>a &lt; b &amp; c <em>em</em><strong>st</strong>"
               "<code>x&lt;y</code>"
               "<a href=\"https://e.org/?a=1&amp;b=2\" title=\"T\">link</a>"
               "<img src=\"i.png\" alt=\"alt &amp; text\"/><br/>after break\n"
               "soft bell.<kbd>K</kbd>$a&lt;b$</p>\n</section>\n");
  expect(html, "<ol start=\"3\">\n<li>three</li>\n<li>four</li>\n</ol>\n");
  expect(html, "<ul>\n<li>\n<p>p1</p>\n<p>p2</p>\n</li>\n</ul>\n");
  expect(html, "<blockquote>\n<p>quoted</p>\n</blockquote>\n");
  expect(html, "<pre><code class=\"language-c\">int x = 1 &lt; 2;\n"
               "</code></pre>\n<hr/>\n");
  expect(html, "<table>\n<thead>\n<tr><th>H1</th>"
               "<th style=\"text-align: right\">H2</th></tr>\n</thead>\n"
               "<tbody>\n<tr><td>c1</td><td>c2</td></tr>\n</tbody>\n"
               "</table>\n");
  expect(html, "<div class=\"raw\"><p>raw para</p></div>\n");
  expect(html, "<pre><code class=\"language-latex\">\\begin{x}&lt;y&gt;"
               "</code></pre>\n");
  expect(html, "\n<p>unclosed\n</article>");
  /* the bell character was dropped, with a warning */
  assert_int_equal(fake_warnings, 1);
  assert_non_null(strstr(fake_messages, "dropped"));
  if (!have("tidy")) {
    test_note_skip("tidy not found, the page is not checked with it");
  } else {
    char path[256];
    put_file(tmp_path(f, "every.html", path, sizeof path), html, strlen(html));
    char cmd[512];
    snprintf(cmd, sizeof cmd, "tidy -q -e '%s' 2>&1 | grep -c 'Error:'", path);
    FILE *pipe = popen(cmd, "r");
    char n[16] = "";
    assert_non_null(fgets(n, sizeof n, pipe));
    pclose(pipe);
    assert_int_equal(atoi(n), 0);
  }
  free(html);

  /* XHTML: well-formed, the raw HTML that is not well-formed as text */
  fake_warnings = 0;
  fake_messages[0] = '\0';
  assert_int_equal(quire_meta_set(doc, QUIRE_META_SOURCE, "every.md"),
                   QUIRE_OK);
  char *xhtml = write_with(&p, "xhtml", &doc, 1, NULL, 0, NULL);
  assert_true(starts(xhtml, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                            "<!DOCTYPE html>\n<html xmlns=\"http://www."
                            "w3.org/1999/xhtml\">\n"));
  expect(xhtml, "<div class=\"raw\"><p>raw para</p></div>\n");
  expect(xhtml, "<pre><code class=\"language-HTML\">&lt;p&gt;unclosed</code>");
  /* the warning names the document's source, as the writer's others do */
  assert_non_null(strstr(fake_messages, "every.md: raw HTML that is not "
                                        "well-formed"));
  xmlParserCtxtPtr ctxt = xmlNewParserCtxt();
  xmlDoc *x = xmlCtxtReadMemory(ctxt, xhtml, (int)strlen(xhtml), "x.xhtml",
                                NULL, XML_PARSE_NONET | XML_PARSE_NOERROR |
                                          XML_PARSE_NOWARNING);
  assert_non_null(x);
  assert_true(ctxt->wellFormed);
  xmlFreeDoc(x);
  xmlFreeParserCtxt(ctxt);
  free(xhtml);
  quire_doc_free(doc);
  plugin_close(&p);
}

static void test_writer_streams_articles_as_they_come(void **state) {
  (void)state;
  plugin p;
  plugin_open(&p);
  quire_doc *docs[3];
  for (int i = 0; i < 3; i++) {
    docs[i] = quire_doc_new();
    char title[32];
    snprintf(title, sizeof title, "Doc %d", i + 1);
    quire_meta_set(docs[i], "title", title);
    quire_node *h = node(docs[i]->root, docs[i], QUIRE_NODE_HEADING);
    h->level = 1;
    leaf(h, docs[i], QUIRE_NODE_TEXT, title);
    h = node(docs[i]->root, docs[i], QUIRE_NODE_HEADING);
    h->level = 2;
    leaf(h, docs[i], QUIRE_NODE_TEXT, "Part");
    para(docs[i]->root, docs[i], "body text");
  }
  /* Without --title the first article waits: whether the page holds one
   * document or several tells its title. */
  size_t first = 0;
  char *page = write_with(&p, "html", docs, 3, NULL, 0, &first);
  assert_int_equal(first, 0);
  assert_int_equal(count(page, "<article"), 3);
  free(page);
  /* With --title the first article is out before the second comes. */
  quire_doc *corpus = quire_doc_new();
  quire_meta_set(corpus, "title", "Given");
  write_corpus = corpus->meta;
  page = write_with(&p, "html", docs, 3, NULL, 0, &first);
  write_corpus = NULL;
  assert_true(first > 0);
  assert_non_null(strstr(page, "</article>"));
  assert_true((size_t)(strstr(page, "</article>") - page) < first);
  expect(page, "<header id=\"title-block-header\">\n"
               "<h1 class=\"title\">Given</h1>\n</header>\n<article");
  assert_int_equal(count(page, "<article"), 3);
  free(page);
  quire_doc_free(corpus);
  /* With --toc they wait in a temporary file, behind the TOC. */
  quire_option toc = {"toc", "1"};
  page = write_with(&p, "html", docs, 3, &toc, 1, &first);
  assert_int_equal(first, 0);
  const char *nav = strstr(page, "<nav");
  assert_non_null(nav);
  assert_true(nav < strstr(page, "<article"));
  expect(page, "<li><a href=\"#doc-2\">Doc 2</a>\n<ol>\n"
               "<li><a href=\"#doc-2-h2\">Part</a></li>\n</ol>\n</li>\n");
  free(page);
  for (int i = 0; i < 3; i++)
    quire_doc_free(docs[i]);
  plugin_close(&p);
}

/* ---- Round trips ------------------------------------------------------------ */

static void assert_stable(fixture *f, const char *in) {
  char a[256], b[256];
  tmp_path(f, "pass1.html", a, sizeof a);
  tmp_path(f, "pass2.html", b, sizeof b);
  /* Images in the page, as data: URIs: a folder of media beside each
   * page would be named after it (pass1_media, pass2_media). */
  const quire_option embed = {"embed-resources", "1"};
  convert(f, &in, 1, NULL, "html", a, NULL, &embed, 1);
  const char *first = a;
  convert(f, &first, 1, "html", "html", b, NULL, &embed, 1);
  size_t na, nb;
  char *x = slurp(a, &na), *y = slurp(b, &nb);
  if (na != nb || memcmp(x, y, na) != 0) {
    size_t i = 0;
    while (i < na && i < nb && x[i] == y[i])
      i++;
    fail_msg("%s: html to html differs at byte %zu:\n%.80s\n---\n%.80s", in,
             i, x + (i > 20 ? i - 20 : 0), y + (i > 20 ? i - 20 : 0));
  }
  free(x);
  free(y);
}

static void test_html_to_html_is_stable(void **state) {
  glob_t g = corpus();
  for (size_t i = 0; i < g.gl_pathc; i++)
    assert_stable(*state, g.gl_pathv[i]);
  globfree(&g);
  assert_int_equal(glob(DATA "*.html", 0, NULL, &g), 0);
  for (size_t i = 0; i < g.gl_pathc; i++)
    assert_stable(*state, g.gl_pathv[i]);
  globfree(&g);
  if (access(PEERS "/pandoc", R_OK) == 0 &&
      glob(PEERS "/pandoc/*.html*", 0, NULL, &g) == 0) {
    for (size_t i = 0; i < g.gl_pathc; i++)
      assert_stable(*state, g.gl_pathv[i]);
    globfree(&g);
  } else {
    test_note_skip("../shared/peers not found, pandoc's pages not checked");
  }
}

static void test_txt_to_html_to_txt_keeps_every_word(void **state) {
  fixture *f = *state;
  glob_t g = corpus();
  /* the corpus and the plain-text test inputs */
  assert_int_equal(glob(QUIRE_SOURCE_DIR "/tests/data/text/*.txt", GLOB_APPEND,
                        NULL, &g), 0);
  char html[256], txt[256];
  tmp_path(f, "words.html", html, sizeof html);
  tmp_path(f, "words.txt", txt, sizeof txt);
  for (size_t i = 0; i < g.gl_pathc; i++) {
    convert1(f, g.gl_pathv[i], "txt", "html", html);
    convert1(f, html, "html", "txt", txt);
    char *a = normalized_input(g.gl_pathv[i]), *b = slurp(txt, NULL);
    assert_same_words(g.gl_pathv[i], a, b);
    free(a);
    free(b);
  }
  globfree(&g);
}

static void test_pandoc_html_reads_back_every_word(void **state) {
  fixture *f = *state;
  if (!have("pandoc")) {
    test_skip("pandoc not found");
  }
  glob_t g = corpus();
  char made[256], back[256];
  tmp_path(f, "pandoc.html", made, sizeof made);
  tmp_path(f, "back.html", back, sizeof back);
  for (size_t i = 0; i < g.gl_pathc; i++) {
    char cmd[1024];
    snprintf(cmd, sizeof cmd,
             "pandoc -f markdown -t html -s --metadata title=T '%s' -o '%s'",
             g.gl_pathv[i], made);
    assert_int_equal(system(cmd), 0);
    convert1(f, made, "html", "html", back);
    char *a = body_text(made), *b = body_text(back);
    assert_true(strlen(a) > 1000);
    assert_same_words(g.gl_pathv[i], a, b);
    free(a);
    free(b);
  }
  globfree(&g);
}

static void test_peer_html_pages_keep_every_word(void **state) {
  fixture *f = *state;
  glob_t g;
  if (access(PEERS "/pandoc", R_OK) != 0 ||
      glob(PEERS "/pandoc/*.html*", 0, NULL, &g) != 0) {
    test_skip("../shared/peers not found");
  }
  char back[256];
  tmp_path(f, "back.html", back, sizeof back);
  for (size_t i = 0; i < g.gl_pathc; i++) {
    convert1(f, g.gl_pathv[i], "html", "html", back);
    char *a = body_text(g.gl_pathv[i]), *b = body_text(back);
    assert_same_words(g.gl_pathv[i], a, b);
    free(a);
    free(b);
  }
  globfree(&g);
}

/* ---- html5lib ------------------------------------------------------------------ */

/* The first needle in hay[0..n), which may hold NUL bytes, or NULL. */
static const char *find_bytes(const char *hay, size_t n, const char *needle) {
  size_t k = strlen(needle);
  for (size_t i = 0; i + k <= n; i++)
    if (hay[i] == needle[0] && memcmp(hay + i, needle, k) == 0)
      return hay + i;
  return NULL;
}

/* Calls fn for each input of a tree-construction .dat file: the lines
 * between "#data" and "#errors" (inputs may hold NUL bytes). */
static size_t each_input(const char *dat, void (*fn)(fixture *, const char *,
                                                     size_t, const char *),
                         fixture *f) {
  size_t len;
  char *text = slurp(dat, &len);
  const char *end_of_file = text + len;
  size_t n = 0;
  for (const char *p = text;
       (p = find_bytes(p, (size_t)(end_of_file - p), "#data\n")) != NULL;) {
    if (p != text && p[-1] != '\n') {
      p++;
      continue;
    }
    const char *start = p + 6;
    const char *end = starts(start, "#errors")
                          ? start
                          : find_bytes(start, (size_t)(end_of_file - start),
                                       "\n#errors");
    if (!end)
      break;
    fn(f, start, (size_t)(end - start), dat);
    n++;
    p = end;
  }
  free(text);
  return n;
}

static void convert_one(fixture *f, const char *input, size_t len,
                        const char *dat) {
  char in[256], out[256];
  tmp_path(f, "t.html", in, sizeof in);
  put_file(in, input, len);
  const char *inputs[] = {in};
  quire_job job = {.inputs = inputs, .n_inputs = 1, .from = "html",
                   .to = "html", .output = tmp_path(f, "t.out.html", out,
                                                    sizeof out)};
  char msg[512];
  if (quire_convert(f->s, &job) < QUIRE_OK)
    fail_msg("%s: input '%.*s': %s", dat, (int)len, input,
             quire_error_format(quire_error_get(f->s), msg, sizeof msg));
  job.to = "xhtml";
  job.output = tmp_path(f, "t.out.xhtml", out, sizeof out);
  if (quire_convert(f->s, &job) < QUIRE_OK)
    fail_msg("%s: input '%.*s': %s", dat, (int)len, input,
             quire_error_format(quire_error_get(f->s), msg, sizeof msg));
  xmlParserCtxtPtr ctxt = xmlNewParserCtxt();
  xmlDoc *x = xmlCtxtReadFile(ctxt, out, NULL, XML_PARSE_NONET |
                                                   XML_PARSE_NOERROR |
                                                   XML_PARSE_NOWARNING);
  if (!x || !ctxt->wellFormed)
    fail_msg("%s: input '%.*s' gives XHTML that is not well-formed", dat,
             (int)len, input);
  xmlFreeDoc(x);
  xmlFreeParserCtxt(ctxt);
  /* The XML parser on the same soup: it may refuse, but must not break. */
  job.from = "xhtml";
  job.to = "html";
  job.output = tmp_path(f, "t.out2.html", out, sizeof out);
  quire_convert(f->s, &job);
}

static void test_html5lib_inputs_all_convert(void **state) {
  fixture *f = *state;
  const char *dir = PEERS "/html5lib-tests/tree-construction";
  if (access(dir, R_OK) != 0) {
    test_skip("../shared/peers not found");
  }
  glob_t g;
  assert_int_equal(glob(PEERS "/html5lib-tests/tree-construction/*.dat", 0,
                        NULL, &g), 0);
  glob(PEERS "/html5lib-tests/tree-construction/scripted/*.dat", GLOB_APPEND,
       NULL, &g);
  quire_set_diag(f->s, NULL, NULL);
  struct timespec t0, t1;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  size_t inputs = 0;
  for (size_t i = 0; i < g.gl_pathc; i++)
    inputs += each_input(g.gl_pathv[i], convert_one, f);
  clock_gettime(CLOCK_MONOTONIC, &t1);
  print_message("%zu html5lib inputs from %zu files in %.1f s\n", inputs,
                g.gl_pathc,
                (double)(t1.tv_sec - t0.tv_sec) +
                    (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
  assert_true(inputs >= 1796);
  globfree(&g);
}

static size_t saved_inputs;

static void save_one(fixture *f, const char *input, size_t len,
                     const char *dat) {
  (void)dat;
  char path[256];
  snprintf(path, sizeof path, "%s/h5/%05zu.html", f->dir, saved_inputs++);
  put_file(path, input, len);
}

static void test_html5lib_inputs_make_one_valid_page(void **state) {
  fixture *f = *state;
  const char *dir = PEERS "/html5lib-tests/tree-construction";
  if (access(dir, R_OK) != 0) {
    test_skip("../shared/peers not found");
  }
  char folder[256], page[256];
  assert_int_equal(mkdir(tmp_path(f, "h5", folder, sizeof folder), 0777), 0);
  glob_t g;
  assert_int_equal(glob(PEERS "/html5lib-tests/tree-construction/*.dat", 0,
                        NULL, &g), 0);
  glob(PEERS "/html5lib-tests/tree-construction/scripted/*.dat", GLOB_APPEND,
       NULL, &g);
  saved_inputs = 0;
  for (size_t i = 0; i < g.gl_pathc; i++)
    each_input(g.gl_pathv[i], save_one, f);
  globfree(&g);
  quire_set_diag(f->s, NULL, NULL);
  /* every input an article of one page, valid as a whole */
  const char *in[] = {folder};
  convert(f, in, 1, "html", "html", tmp_path(f, "h5.html", page, sizeof page),
          NULL, NULL, 0);
  char *text = slurp(page, NULL);
  assert_int_equal((size_t)count(text, "<article "), saved_inputs);
  free(text);
  if (have("tidy"))
    assert_tidy_clean(page);
  else
    test_note_skip("tidy not found, the page is not checked with it");
  convert(f, in, 1, "html", "xhtml",
          tmp_path(f, "h5.xhtml", page, sizeof page), NULL, NULL, 0);
  xmlParserCtxtPtr ctxt = xmlNewParserCtxt();
  xmlDoc *x = xmlCtxtReadFile(ctxt, page, NULL, XML_PARSE_NONET |
                                                    XML_PARSE_NOERROR |
                                                    XML_PARSE_NOWARNING);
  assert_non_null(x);
  assert_true(ctxt->wellFormed);
  xmlFreeDoc(x);
  xmlFreeParserCtxt(ctxt);
}

int main(void) {
  const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup_teardown(name, fixture_setup, fixture_teardown)
      T(test_whitespace_collapses_as_in_a_browser),
      T(test_pre_keeps_its_whitespace),
      T(test_loose_inline_content_becomes_paragraphs),
      T(test_lists_quotes_rules_and_terms),
      T(test_headings_links_images_code),
      T(test_tables_keep_head_rows_alignment_and_caption),
      T(test_scripts_styles_templates_comments_are_dropped),
      T(test_metadata_from_head),
      T(test_title_falls_back_to_og_title_then_first_h1),
      T(test_html_and_xhtml_are_recognised_by_content),
      T(test_charset_from_bom_meta_or_bytes),
      T(test_bad_bytes_in_declared_utf8_are_replaced),
      T(test_skipped_text_is_counted_in_a_warning),
      T(test_note_reference_words_are_kept),
      T(test_deep_nesting_is_flattened_with_one_warning),
      T(test_xhtml_reads_named_characters_without_expanding_entities),
      T(test_xhtml_not_well_formed_is_reported_with_its_line),
      T(test_xhtml_output_is_well_formed),
      T(test_corpus_page_and_toc_page_are_tidy_clean),
      T(test_output_dir_gives_a_tidy_clean_page_each),
      T(test_corpus_blocks_are_elements_with_their_text),
      T(test_toc_links_to_every_article_and_heading),
      T(test_fragment_and_css_options),
      T(test_page_head_carries_the_metadata),
      T(test_writer_writes_every_node_type),
      T(test_writer_streams_articles_as_they_come),
      T(test_html_to_html_is_stable),
      T(test_txt_to_html_to_txt_keeps_every_word),
      T(test_pandoc_html_reads_back_every_word),
      T(test_peer_html_pages_keep_every_word),
      T(test_html5lib_inputs_all_convert),
      T(test_html5lib_inputs_make_one_valid_page),
#undef T
  };
  return test_main_status(
      cmocka_run_group_tests_name("html", tests, NULL, NULL));
}
