/* test_html_model.c - what the HTML reader makes of pages in Model 2:
 * attributes, spans, figures, definition lists, line blocks, rich tables,
 * math; footnotes gathered into notes; the images a page refers to read
 * as resources from the page's folder and --resource-path, and nothing
 * else read: not /etc/passwd, not a device, not through a symlink. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <quire/quire.h>

#include "run_cmd.h"
#include "session_fixture.h"
#include "skip_note.h"
#include "test_files.h"

#define QUIRE_BIN QUIRE_BINARY_DIR "/bin/quire"

/* ---- Tiny valid images (1x1), made with cjpeg, cwebp's sample, by hand -- */

static const unsigned char png[] = {
    0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D',
    'R', 0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0, 0x1f, 0x15, 0xc4, 0x89, 0, 0,
    0, 13, 'I', 'D', 'A', 'T', 0x78, 0xda, 0x63, 0x64, 0xf8, 0xcf, 0x50, 0x0f,
    0x00, 0x03, 0x86, 0x01, 0x80, 0x5a, 0x34, 0x7d, 0x6b, 0, 0, 0, 0, 'I', 'E',
    'N', 'D', 0xae, 0x42, 0x60, 0x82};

static const char gif[] =
    "GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\x00\x00\x00\x00\x00!\xf9\x04\x01"
    "\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02" "D\x01\x00;";

static const char jpeg[] =
    "\xff\xd8\xff\xe0\x00\x10\x4a\x46\x49\x46\x00\x01\x01\x00\x00\x01\x00\x01"
    "\x00\x00\xff\xdb\x00\x43\x00\x0d\x09\x0a\x0b\x0a\x08\x0d\x0b\x0a\x0b\x0e"
    "\x0e\x0d\x0f\x13\x20\x15\x13\x12\x12\x13\x27\x1c\x1e\x17\x20\x2e\x29\x31"
    "\x30\x2e\x29\x2d\x2c\x33\x3a\x4a\x3e\x33\x36\x46\x37\x2c\x2d\x40\x57\x41"
    "\x46\x4c\x4e\x52\x53\x52\x32\x3e\x5a\x61\x5a\x50\x60\x4a\x51\x52\x4f\xff"
    "\xc0\x00\x0b\x08\x00\x01\x00\x01\x01\x01\x11\x00\xff\xc4\x00\x14\x00\x01"
    "\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\xff\xc4"
    "\x00\x14\x10\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"
    "\x00\x00\xff\xda\x00\x08\x01\x01\x00\x00\x3f\x00\x3f\xff\xd9";

static const char webp[] =
    "RIFF\x1a\x00\x00\x00WEBPVP8L\x0d\x00\x00\x00\x2f\x00\x00\x00\x10\x07\x10"
    "\x11\x11\x88\x88\xfe\x07\x00";

static const char svg[] =
    "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"1\" height=\"1\">"
    "<rect width=\"1\" height=\"1\"/></svg>\n";

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

/* f->dir/rel, in a ring of buffers: valid for the next three calls. */
static const char *at(fixture *f, const char *rel) {
  static char ring[4][512];
  static unsigned next;
  char *p = ring[next++ % 4];
  snprintf(p, sizeof ring[0], "%s/%s", f->dir, rel);
  return p;
}

/* Makes every folder of f->dir/rel. */
static void make_dirs(fixture *f, const char *rel) {
  char path[512];
  snprintf(path, sizeof path, "%s/%s", f->dir, rel);
  for (char *p = path + strlen(f->dir) + 1; *p; p++)
    if (*p == '/') {
      *p = '\0';
      mkdir(path, 0777);
      *p = '/';
    }
  mkdir(path, 0777);
}

static void put(fixture *f, const char *rel, const void *data, size_t n) {
  test_write_file(at(f, rel), data, n);
}

static void put_text(fixture *f, const char *rel, const char *text) {
  put(f, rel, text, strlen(text));
}

/* The first document of f->dir/rel read as `from` with the options. */
static quire_doc *read_with(fixture *f, const char *rel, const char *from,
                            const quire_option *opts, size_t n_opts) {
  quire_options o = {opts, n_opts};
  quire_reader *r = NULL;
  if (quire_reader_open(f->s, at(f, rel), from, &o, &r) != QUIRE_OK)
    fail_msg("%s: %s", rel, quire_error_get(f->s)->message);
  quire_doc *doc = NULL;
  if (quire_reader_next(r, &doc) != QUIRE_OK)
    fail_msg("%s: %s", rel, quire_error_get(f->s)->message);
  quire_reader_free(r);
  return doc;
}

static quire_doc *read_page(fixture *f, const char *from, const char *text) {
  const char *rel = strcmp(from, "xhtml") == 0 ? "in.xhtml" : "in.html";
  put_text(f, rel, text);
  return read_with(f, rel, from, NULL, 0);
}

/* A document's tree in one line with what Model 2 adds: each node's type,
 * then #id, .classes, {attrs}, and its fields (level, list start, style
 * and tightness, cell spans, alignment, math and quote kinds, urls). */
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
    char extra[96] = "";
    switch (n->type) {
    case QUIRE_NODE_HEADING:
      snprintf(extra, sizeof extra, "%d", n->level);
      break;
    case QUIRE_NODE_ORDERED_LIST:
      snprintf(extra, sizeof extra, "%d/s%d%s", n->start, (int)n->style,
               n->tight ? "/tight" : "");
      break;
    case QUIRE_NODE_BULLET_LIST:
      snprintf(extra, sizeof extra, "%s", n->tight ? "/tight" : "");
      break;
    case QUIRE_NODE_TABLE_ROW:
      snprintf(extra, sizeof extra, "%s", n->header ? "*" : "");
      break;
    case QUIRE_NODE_TABLE_CELL: {
      int k = 0;
      if (n->header)
        k += snprintf(extra + k, sizeof extra - (size_t)k, "/th");
      if (n->align)
        k += snprintf(extra + k, sizeof extra - (size_t)k, "/a%d",
                      (int)n->align);
      if (n->rowspan > 1)
        k += snprintf(extra + k, sizeof extra - (size_t)k, "/r%d",
                      n->rowspan);
      if (n->colspan > 1)
        snprintf(extra + k, sizeof extra - (size_t)k, "/c%d", n->colspan);
      break;
    }
    case QUIRE_NODE_TABLE_COLUMN:
      snprintf(extra, sizeof extra, "/a%d/w%d", (int)n->align,
               (int)(n->width * 100 + 0.5));
      break;
    case QUIRE_NODE_QUOTED:
      snprintf(extra, sizeof extra, "%s",
               n->kind == QUIRE_QUOTE_SINGLE ? "/single" : "/double");
      break;
    case QUIRE_NODE_MATH:
      snprintf(extra, sizeof extra, "%s",
               n->kind == QUIRE_MATH_DISPLAY ? "/display" : "");
      break;
    default:
      break;
    }
    adds(&b, extra);
    if (n->id) {
      adds(&b, "#");
      adds(&b, n->id);
    }
    for (const char *c = n->classes; c && *c;) {
      size_t m = strcspn(c, " ");
      adds(&b, ".");
      add(&b, c, m);
      c += m + (c[m] == ' ');
    }
    if (n->attrs) {
      adds(&b, "{");
      for (const quire_meta *a = n->attrs; a; a = a->next) {
        adds(&b, a->key);
        adds(&b, "=");
        adds(&b, a->value);
        if (a->next)
          adds(&b, ",");
      }
      adds(&b, "}");
    }
    if (n->url) {
      adds(&b, "<");
      adds(&b, n->url);
      adds(&b, ">");
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

static void assert_tree_as(fixture *f, const char *from, const char *page,
                           const char *expected) {
  quire_doc *doc = read_page(f, from, page);
  char *t = tree_of(doc);
  quire_doc_free(doc);
  if (strcmp(t, expected) != 0)
    fail_msg("%s\n  gives    %s\n  expected %s", page, t, expected);
  free(t);
}

static void assert_tree(fixture *f, const char *page, const char *expected) {
  assert_tree_as(f, "html", page, expected);
}

/* The nth node (from 0) of type t in document order, or NULL. */
static const quire_node *nth(const quire_doc *doc, quire_node_type t,
                             int n) {
  quire_iter it;
  quire_iter_init(&it, doc->root);
  while (quire_iter_next(&it) != QUIRE_EV_DONE)
    if (it.event == QUIRE_EV_ENTER && it.node->type == t && n-- == 0)
      return it.node;
  return NULL;
}

static size_t resource_count(const quire_doc *doc) {
  size_t n = 0;
  for (const quire_resource *r = doc->resources; r; r = r->next)
    n++;
  return n;
}

/* Fails unless doc has a resource `name` of media type `type` whose bytes
 * are data[0..len). */
static void assert_resource(const quire_doc *doc, const char *name,
                            const char *type, const void *data, size_t len) {
  const quire_resource *r = quire_res_find(doc, name);
  if (!r) {
    sbuf names = {0};
    adds(&names, "");
    for (const quire_resource *x = doc->resources; x; x = x->next) {
      adds(&names, x->name);
      adds(&names, " ");
    }
    fail_msg("no resource %s among: %s", name, names.s);
  }
  assert_string_equal(r->media_type, type);
  assert_int_equal(r->size, len);
  char *bytes = malloc(len + 1);
  assert_int_equal(quire_res_read(r, 0, bytes, len + 1), (long)len);
  assert_memory_equal(bytes, data, len);
  free(bytes);
}

/* ---- Attributes -------------------------------------------------------------- */

static void test_attributes_are_kept_on_blocks_and_inlines(void **state) {
  assert_tree(*state,
              "<h2 id=\"h\" class=\"a  b\">T</h2>"
              "<p lang=\"fr\" dir=\"rtl\" data-x=\"1\" role=\"note\" "
              "style=\"color: red\" onclick=\"x()\">"
              "<em id=\"e\">e</em> <a href=\"u\" class=\"c\">l</a> "
              "<img src=\"http://e.org/i.png\" id=\"i\" width=\"10\" "
              "height=\"20\" alt=\"A\"></p>",
              "heading2#h.a.b[\"T\"] paragraph{lang=fr,dir=rtl,data-x=1,"
              "role=note}[emph#e[\"e\"] \" \" link.c<u>[\"l\"] \" \" "
              "image#i{width=10,height=20}<http://e.org/i.png>[\"A\"]]");
}

static void test_epub_type_and_xml_lang_are_kept_from_xhtml(void **state) {
  assert_tree_as(*state, "xhtml",
                 "<?xml version=\"1.0\"?>\n"
                 "<html xmlns=\"http://www.w3.org/1999/xhtml\" "
                 "xmlns:epub=\"http://www.idpf.org/2007/ops\"><body>"
                 "<section epub:type=\"chapter\" xml:lang=\"de\" id=\"c\">"
                 "<p>x</p></section></body></html>",
                 "section#c{epub:type=chapter,lang=de}[paragraph[\"x\"]]");
  /* The HTML parser keeps the prefix in the attribute's name. */
  assert_tree(*state, "<section epub:type=\"chapter\"><p>y</p></section>",
              "section{epub:type=chapter}[paragraph[\"y\"]]");
}

static void test_an_id_given_twice_is_kept_once(void **state) {
  assert_tree(*state, "<p id=\"a\">one</p><p id=\"a\">two</p>",
              "paragraph#a[\"one\"] paragraph[\"two\"]");
}

static void test_empty_anchors_keep_their_ids(void **state) {
  assert_tree(*state,
              "<a id=\"top\"></a><h1>T</h1>"
              "<p>see <a name=\"here\"></a>here <span id=\"s\"></span>now</p>"
              "<a id=\"end\"></a>",
              "heading1[span#top[] \"T\"] paragraph[\"see \" span#here[] "
              "\"here \" span#s[] \"now\"] paragraph[span#end[]]");
}

/* ---- Inlines ----------------------------------------------------------------- */

static void test_sup_sub_strike_underline_and_quotes(void **state) {
  assert_tree(*state,
              "<p>E=mc<sup>2</sup> H<sub>2</sub>O <s>s</s><del>d</del>"
              "<strike>k</strike> <ins>i</ins><u>u</u> "
              "<q>out <q>in</q></q></p>",
              "paragraph[\"E=mc\" superscript[\"2\"] \" H\" subscript[\"2\"] "
              "\"O \" strikeout[\"s\"] strikeout[\"d\"] strikeout[\"k\"] \" \" "
              "underline[\"i\"] underline[\"u\"] \" \" quoted/double[\"out \" "
              "quoted/single[\"in\"]]]");
}

static void test_spans_with_attributes_are_spans_bare_spans_vanish(
    void **state) {
  assert_tree(*state,
              "<p><span>bare</span> <span class=\"k\" title=\"T\">kept</span> "
              "<span lang=\"la\">lingua</span></p>",
              "paragraph[\"bare \" span.k{title=T}[\"kept\"] \" \" "
              "span{lang=la}[\"lingua\"]]");
}

static void test_small_caps_from_class_or_style(void **state) {
  assert_tree(*state,
              "<p><span class=\"smallcaps\">Abc</span> "
              "<span style=\"font-variant: small-caps\">Def</span> "
              "<span class=\"smallcaps x\">G</span></p>",
              "paragraph[small_caps[\"Abc\"] \" \" small_caps[\"Def\"] "
              "\" \" small_caps.x[\"G\"]]");
}

static void test_math_from_mathml_and_pandoc_spans(void **state) {
  assert_tree(*state,
              "<p><span class=\"math inline\">\\(x^2\\)</span> and "
              "<span class=\"math display\">\\[\\sum_i i\\]</span> "
              "<math display=\"block\"><semantics><mrow><mi>a</mi></mrow>"
              "<annotation encoding=\"application/x-tex\">a_1</annotation>"
              "</semantics></math> <math><mi>b</mi><mo>+</mo><mn>1</mn>"
              "</math> <span class=\"math inline\"><em>x</em> y</span></p>",
              "paragraph[math:\"x^2\" \" and \" math/display:\"\\sum_i i\" "
              "\" \" math/display:\"a_1\" \" \" math:\"b+1\" \" \" "
              "span.math.inline[emph[\"x\"] \" y\"]]");
}

/* ---- Blocks ------------------------------------------------------------------ */

static void test_definition_lists_hold_terms_and_definitions(void **state) {
  assert_tree(*state,
              "<dl id=\"d\"><dt>Tea</dt><dd>a <b>drink</b></dd>"
              "<dd><p>p1</p><p>p2</p></dd><dt>Cake</dt><dd>food</dd></dl>"
              "<dl><dd>no term</dd><dt></dt><dd>empty term</dd></dl>",
              "definition_list#d[term[\"Tea\"] definition[paragraph[\"a \" "
              "strong[\"drink\"]]] definition[paragraph[\"p1\"] "
              "paragraph[\"p2\"]] term[\"Cake\"] definition[paragraph["
              "\"food\"]]] definition_list[definition[paragraph["
              "\"no term\"]] definition[paragraph[\"empty term\"]]]");
}

static void test_figures_hold_blocks_and_a_caption(void **state) {
  assert_tree(*state,
              "<figure id=\"f1\"><img src=\"http://e.org/a.png\" alt=\"A\">"
              "<figcaption>The <em>cap</em></figcaption></figure>",
              "figure#f1[paragraph[image<http://e.org/a.png>[\"A\"]] "
              "caption[paragraph[\"The \" emph[\"cap\"]]]]");
}

static void test_divs_with_attributes_are_divs_page_parts_sections(
    void **state) {
  assert_tree(*state,
              "<div class=\"warning\"><p>a</p></div><div><p>bare</p></div>"
              "<div id=\"x\" lang=\"en\">loose</div>"
              "<div class=\"sidebar\"><p>side</p></div>",
              "div.warning[paragraph[\"a\"]] paragraph[\"bare\"] "
              "div#x{lang=en}[paragraph[\"loose\"]] "
              "section.sidebar[paragraph[\"side\"]]");
}

static void test_line_blocks_split_lines_at_br(void **state) {
  assert_tree(*state,
              "<div class=\"line-block\">The first line<br />\n"
              "  the <em>second</em><br />\n<br />\nafter a blank<br/></div>",
              "line_block[line[\"The first line\"] line[\"the \" "
              "emph[\"second\"]] line[] line[\"after a blank\"]]");
}

static void test_ordered_lists_keep_style_start_and_tightness(void **state) {
  assert_tree(*state,
              "<ol type=\"a\" start=\"3\" reversed><li>x</li><li>y</li></ol>"
              "<ol type=\"I\"><li><p>loose</p></li></ol>"
              "<ol style=\"list-style-type: lower-roman\"><li>r</li></ol>"
              "<ul><li>t</li></ul><ul><li><p>l</p></li></ul>",
              "ordered_list3/s2/tight[item[paragraph[\"x\"]] "
              "item[paragraph[\"y\"]]] ordered_list1/s5[item[paragraph["
              "\"loose\"]]] ordered_list1/s4/tight[item[paragraph[\"r\"]]] "
              "bullet_list/tight[item[paragraph[\"t\"]]] "
              "bullet_list[item[paragraph[\"l\"]]]");
}

/* ---- Tables ------------------------------------------------------------------ */

static void test_tables_keep_caption_columns_parts_spans_alignment(
    void **state) {
  assert_tree(*state,
              "<table id=\"t\"><caption>Cap</caption>"
              "<colgroup><col width=\"40%\"><col span=\"2\" "
              "style=\"text-align: right\"></colgroup>"
              "<tfoot><tr><td colspan=\"3\">foot</td></tr></tfoot>"
              "<thead><tr><th>A</th><th>B</th><th align=\"center\">C</th>"
              "</tr></thead>"
              "<tbody><tr><td rowspan=\"2\">1</td><td>2</td><td>3</td></tr>"
              "<tr><td>4</td><td>5</td></tr></tbody></table>",
              "table#t[caption[paragraph[\"Cap\"]] table_column/a0/w40 "
              "table_column/a3/w0 table_column/a3/w0 table_head[table_row*["
              "table_cell/th[\"A\"] table_cell/th[\"B\"] "
              "table_cell/th/a2[\"C\"]]] table_body[table_row["
              "table_cell/r2[\"1\"] table_cell[\"2\"] table_cell[\"3\"]] "
              "table_row[table_cell[\"4\"] table_cell[\"5\"]]] table_foot["
              "table_row[table_cell/c3[\"foot\"]]]]");
}

static void test_a_first_row_of_th_without_thead_is_the_head(void **state) {
  assert_tree(*state,
              "<table><tr><th>H1</th><th>H2</th></tr>"
              "<tr><th>r</th><td>v</td></tr></table>",
              "table[table_head[table_row*[table_cell/th[\"H1\"] "
              "table_cell/th[\"H2\"]]] table_body[table_row[table_cell/th["
              "\"r\"] table_cell[\"v\"]]]]");
}

static void test_cells_with_block_elements_hold_blocks(void **state) {
  assert_tree(*state,
              "<table><tr><td>just <b>text</b></td>"
              "<td>loose<p>para</p><ul><li>i</li></ul>tail</td></tr></table>",
              "table[table_body[table_row[table_cell[\"just \" strong["
              "\"text\"]] table_cell[paragraph[\"loose\"] paragraph[\"para\"] "
              "bullet_list/tight[item[paragraph[\"i\"]]] "
              "paragraph[\"tail\"]]]]]");
}

/* ---- Notes ------------------------------------------------------------------- */

static const char epub3_page[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<html xmlns=\"http://www.w3.org/1999/xhtml\" "
    "xmlns:epub=\"http://www.idpf.org/2007/ops\">\n"
    "<head><title>Notes</title></head><body>\n"
    "<p>Call me Ishmael<sup><a epub:type=\"noteref\" href=\"#n1\" "
    "id=\"r1\">1</a></sup>, and<a epub:type=\"noteref\" href=\"#n2\">2</a> "
    "go.</p>\n"
    "<aside epub:type=\"footnote\" id=\"n1\"><p><a href=\"#r1\">1</a> A "
    "name.</p></aside>\n"
    "<aside epub:type=\"footnote\" id=\"n2\"><p>Second, <em>long</em>.</p>"
    "<p>Two paragraphs.</p></aside>\n"
    "<aside epub:type=\"footnote\" id=\"n3\"><p>Never called.</p></aside>\n"
    "</body></html>\n";

static void test_epub3_footnotes_become_notes(void **state) {
  assert_tree_as(*state, "xhtml", epub3_page,
                 "paragraph[\"Call me Ishmael\" note#r1[paragraph[\"A "
                 "name.\"]] \", and\" note[paragraph[\"Second, \" emph["
                 "\"long\"] \".\"] paragraph[\"Two paragraphs.\"]] \" go.\"] "
                 /* the unreferenced note stays where it was */
                 "section#n3{epub:type=footnote}[paragraph[\"Never "
                 "called.\"]]");
}

static const char pandoc_page[] =
    "<p>Text<a href=\"#fn1\" class=\"footnote-ref\" id=\"fnref1\" "
    "role=\"doc-noteref\"><sup>1</sup></a> more<a href=\"#fn2\" "
    "class=\"footnote-ref\" id=\"fnref2\" role=\"doc-noteref\"><sup>2</sup>"
    "</a>, again<a href=\"#fn1\" class=\"footnote-ref\" id=\"fnref3\" "
    "role=\"doc-noteref\"><sup>1</sup></a>.</p>\n"
    "<section id=\"footnotes\" class=\"footnotes footnotes-end-of-document\" "
    "role=\"doc-endnotes\">\n<hr />\n<ol>\n"
    "<li id=\"fn1\"><p>First note.<a href=\"#fnref1\" class=\"footnote-back\" "
    "role=\"doc-backlink\">\xE2\x86\xA9\xEF\xB8\x8E</a></p></li>\n"
    "<li id=\"fn2\"><p>Second note.</p>\n<p>More.<a href=\"#fnref2\" "
    "class=\"footnote-back\" role=\"doc-backlink\">\xE2\x86\xA9\xEF\xB8\x8E"
    "</a></p></li>\n</ol>\n</section>\n";

static void test_pandoc_footnotes_become_notes_without_backlinks(
    void **state) {
  /* the note referenced twice: a superscript of its label the second time;
   * the emptied footnotes section, its rule and list are gone */
  assert_tree(*state, pandoc_page,
              "paragraph[\"Text\" note#fnref1[paragraph[\"First note.\"]] "
              "\" more\" note#fnref2[paragraph[\"Second note.\"] "
              "paragraph[\"More.\"]] \", again\" superscript[\"1\"] \".\"]");
}

static void test_notes_of_a_footnotes_div_with_anchored_paragraphs(
    void **state) {
  /* Older books: the note is a paragraph whose anchor links back. */
  assert_tree(*state,
              "<p>Body<a class=\"noteref\" id=\"ref1\" href=\"#fn1\">[1]</a>."
              "</p><div class=\"footnotes\"><h3>Notes</h3>"
              "<p><a id=\"fn1\" href=\"#ref1\">[1]</a> The note.</p></div>",
              "paragraph[\"Body\" note#ref1[paragraph[\"The note.\"]] \".\"]");
}

static void test_links_that_are_not_note_references_stay_links(
    void **state) {
  assert_tree(*state,
              "<p><a href=\"#x\">see</a> <a href=\"#fn9\" "
              "class=\"footnote-ref\">9</a></p><p id=\"x\">target</p>",
              "paragraph[link<#x>[\"see\"] \" \" link.footnote-ref<#fn9>["
              "\"9\"]] paragraph#x[\"target\"]");
}

/* ---- Resources --------------------------------------------------------------- */

/* A site: pages/page.html refers to images beside it, in a sub-folder and
 * in the parent folder (under shared/). */
static void make_site(fixture *f) {
  make_dirs(f, "site/pages/img");
  make_dirs(f, "site/shared");
  put(f, "site/pages/img/a.png", png, sizeof png);
  put(f, "site/pages/img/d.webp", webp, sizeof webp - 1);
  put(f, "site/shared/b.jpg", jpeg, sizeof jpeg - 1);
  put(f, "site/shared/c.gif", gif, sizeof gif - 1);
  put(f, "site/shared/my e.svg", svg, sizeof svg - 1);
  put_text(f, "site/pages/page.html",
           "<html><body><p>\n"
           "<img src=\"img/a.png\" alt=\"a\">\n"
           "<img src=\"../shared/b.jpg\">\n"
           "<img src=\"../shared/c.gif\">\n"
           "<img src=\"./img/../img/d.webp\">\n"
           "<img src=\"../shared/my%20e.svg\">\n"
           "<img src=\"img/a.png?v=2#top\">\n"
           "</p></body></html>\n");
}

static void test_images_in_sub_and_parent_folders_become_resources(
    void **state) {
  fixture *f = *state;
  make_site(f);
  quire_option opts[] = {{"resource-path", at(f, "site")}};
  quire_doc *doc = read_with(f, "site/pages/page.html", NULL, opts, 1);
  /* each file once, named from the root it was found in */
  assert_int_equal(resource_count(doc), 5);
  assert_resource(doc, "img/a.png", "image/png", png, sizeof png);
  assert_resource(doc, "shared/b.jpg", "image/jpeg", jpeg, sizeof jpeg - 1);
  assert_resource(doc, "shared/c.gif", "image/gif", gif, sizeof gif - 1);
  assert_resource(doc, "img/d.webp", "image/webp", webp, sizeof webp - 1);
  assert_resource(doc, "shared/my e.svg", "image/svg+xml", svg,
                  sizeof svg - 1);
  static const char *const urls[] = {"img/a.png", "shared/b.jpg",
                                     "shared/c.gif", "img/d.webp",
                                     "shared/my e.svg", "img/a.png"};
  for (int i = 0; i < 6; i++)
    assert_string_equal(nth(doc, QUIRE_NODE_IMAGE, i)->url, urls[i]);
  assert_int_equal(f->n_warnings, 0);
  quire_doc_free(doc);
}

static void test_parent_folder_is_refused_without_resource_path(
    void **state) {
  fixture *f = *state;
  make_site(f);
  quire_doc *doc = read_with(f, "site/pages/page.html", NULL, NULL, 0);
  assert_int_equal(resource_count(doc), 2);   /* a.png and d.webp */
  assert_string_equal(nth(doc, QUIRE_NODE_IMAGE, 1)->url, "../shared/b.jpg");
  assert_int_equal(f->n_warnings, 3);
  assert_non_null(strstr(f->warnings, "image '../shared/b.jpg' not read: it "
                                      "leads out of the page's folder"));
  /* the warning's location is the line of the reference */
  assert_int_equal(f->last_line, 6);
  quire_doc_free(doc);
}

static void test_resource_path_is_a_search_list(void **state) {
  fixture *f = *state;
  make_dirs(f, "page");
  make_dirs(f, "one");
  make_dirs(f, "two/pics");
  put(f, "two/pics/p.png", png, sizeof png);
  put_text(f, "page/p.html", "<p><img src=\"pics/p.png\"></p>");
  quire_option opts[] = {{"resource-path", at(f, "one")},
                         {"resource-path", at(f, "two")}};
  quire_doc *doc = read_with(f, "page/p.html", NULL, opts, 2);
  assert_int_equal(resource_count(doc), 1);
  assert_string_equal(nth(doc, QUIRE_NODE_IMAGE, 0)->url, "pics/p.png");
  assert_resource(doc, "pics/p.png", "image/png", png, sizeof png);
  quire_doc_free(doc);
}

static void test_same_name_from_two_roots_is_made_unique(void **state) {
  fixture *f = *state;
  make_dirs(f, "page/img");
  make_dirs(f, "other/img");
  make_dirs(f, "other/deep/img");
  put(f, "page/img/x.png", png, sizeof png);
  put(f, "other/deep/img/x.png", gif, sizeof gif - 1);
  put_text(f, "page/p.html",
           "<p><img src=\"img/x.png\"><img src=\"../other/deep/img/x.png\">"
           "</p>");
  quire_option opts[] = {{"resource-path", at(f, "other/deep")}};
  quire_doc *doc = read_with(f, "page/p.html", NULL, opts, 1);
  assert_int_equal(resource_count(doc), 2);
  assert_resource(doc, "img/x.png", "image/png", png, sizeof png);
  assert_resource(doc, "img/x-2.png", "image/gif", gif, sizeof gif - 1);
  assert_string_equal(nth(doc, QUIRE_NODE_IMAGE, 1)->url, "img/x-2.png");
  quire_doc_free(doc);
}

static void test_data_uri_images_become_resources(void **state) {
  fixture *f = *state;
  quire_doc *doc = read_page(
      f, "html",
      "<p><img src=\"data:image/gif;base64,R0lGODlhAQABAIAAAP8AAAAAACH5BAEAAA"
      "AALAAAAAABAAEAAAICRAEAOw==\"><img src=\"data:image/svg+xml,%3Csvg "
      "xmlns='http://www.w3.org/2000/svg'/%3E\"></p>");
  assert_int_equal(resource_count(doc), 2);
  assert_resource(doc, "data-1.gif", "image/gif", gif, sizeof gif - 1);
  const char *s = "<svg xmlns='http://www.w3.org/2000/svg'/>";
  assert_resource(doc, "data-2.svg", "image/svg+xml", s, strlen(s));
  assert_string_equal(nth(doc, QUIRE_NODE_IMAGE, 0)->url, "data-1.gif");
  quire_doc_free(doc);
}

static void test_remote_images_are_kept_with_one_warning(void **state) {
  fixture *f = *state;
  quire_doc *doc = read_page(
      f, "html",
      "<p><img src=\"https://e.org/a.png\"><img src=\"http://e.org/b.png\">"
      "<img src=\"//cdn.e.org/c.png\"></p>");
  assert_int_equal(resource_count(doc), 0);
  assert_string_equal(nth(doc, QUIRE_NODE_IMAGE, 2)->url, "//cdn.e.org/c.png");
  assert_int_equal(f->n_warnings, 1);
  assert_non_null(strstr(f->warnings, "3 remote images not fetched; their "
                                      "links are kept"));
  quire_doc_free(doc);
}

static void test_missing_image_warns_and_keeps_its_url(void **state) {
  fixture *f = *state;
  quire_doc *doc = read_page(f, "html", "<p>\n\n<img src=\"gone.png\"></p>");
  assert_string_equal(nth(doc, QUIRE_NODE_IMAGE, 0)->url, "gone.png");
  assert_int_equal(f->n_warnings, 1);
  assert_non_null(strstr(f->warnings, "image 'gone.png' not found"));
  assert_int_equal(f->last_line, 3);
  quire_doc_free(doc);
}

static void test_declared_type_the_bytes_contradict_warns(void **state) {
  fixture *f = *state;
  put(f, "pic.png", png, sizeof png);
  quire_doc *doc = read_page(
      f, "html",
      "<p><object data=\"pic.png\" type=\"image/gif\">A pic</object></p>");
  assert_resource(doc, "pic.png", "image/png", png, sizeof png);
  assert_int_equal(f->n_warnings, 1);
  assert_non_null(strstr(f->warnings, "image 'pic.png' is declared as "
                                      "image/gif but its bytes are "
                                      "image/png"));
  quire_doc_free(doc);
}

static void test_svg_image_href_becomes_a_resource(void **state) {
  fixture *f = *state;
  put(f, "cover.jpg", jpeg, sizeof jpeg - 1);
  quire_doc *doc = read_page(
      f, "xhtml",
      "<html xmlns=\"http://www.w3.org/1999/xhtml\"><body><svg "
      "xmlns=\"http://www.w3.org/2000/svg\" "
      "xmlns:xlink=\"http://www.w3.org/1999/xlink\"><image width=\"1\" "
      "height=\"1\" xlink:href=\"cover.jpg\"/></svg></body></html>");
  assert_resource(doc, "cover.jpg", "image/jpeg", jpeg, sizeof jpeg - 1);
  assert_string_equal(nth(doc, QUIRE_NODE_IMAGE, 0)->url, "cover.jpg");
  quire_doc_free(doc);
}

static void test_image_larger_than_max_input_size_is_refused(void **state) {
  fixture *f = *state;
  char big[4096];
  memcpy(big, png, sizeof png);
  memset(big + sizeof png, 0, sizeof big - sizeof png);
  put(f, "big.png", big, sizeof big);
  assert_int_equal(quire_limit_set(f->s, "max-input-size", 1000), QUIRE_OK);
  quire_doc *doc = read_page(f, "html", "<p><img src=\"big.png\"></p>");
  assert_int_equal(resource_count(doc), 0);
  assert_non_null(strstr(f->warnings, "image 'big.png' not read: it is "
                                      "larger than the limit max-input-size"));
  quire_doc_free(doc);
}

static void test_page_from_memory_reads_only_resource_path(void **state) {
  fixture *f = *state;
  make_dirs(f, "res");
  put(f, "res/m.png", png, sizeof png);
  put(f, "m.png", gif, sizeof gif - 1);
  static const char page[] = "<p><img src=\"m.png\"></p>";
  quire_source src = {.name = "mem.html", .data = page,
                      .len = sizeof page - 1};
  /* no folder to look in: the image stays a link, quietly */
  quire_reader *r = NULL;
  quire_doc *doc = NULL;
  assert_int_equal(quire_reader_open_source(f->s, &src, NULL, &r), QUIRE_OK);
  assert_int_equal(quire_reader_next(r, &doc), QUIRE_OK);
  quire_reader_free(r);
  assert_int_equal(resource_count(doc), 0);
  assert_int_equal(f->n_warnings, 0);
  quire_doc_free(doc);
  /* with --resource-path, from there (not from the working folder) */
  quire_option opt = {"resource-path", at(f, "res")};
  quire_options opts = {&opt, 1};
  assert_int_equal(quire_reader_open_source(f->s, &src, &opts, &r), QUIRE_OK);
  assert_int_equal(quire_reader_next(r, &doc), QUIRE_OK);
  quire_reader_free(r);
  assert_resource(doc, "m.png", "image/png", png, sizeof png);
  quire_doc_free(doc);
}

static void test_sandbox_reads_no_file(void **state) {
  fixture *f = *state;
  make_site(f);
  quire_option opts[] = {{"resource-path", at(f, "site")}, {"sandbox", "1"}};
  quire_doc *doc = read_with(f, "site/pages/page.html", NULL, opts, 2);
  assert_int_equal(resource_count(doc), 0);
  assert_int_equal(f->n_warnings, 6);   /* one for each reference */
  assert_non_null(strstr(f->warnings, "image 'img/a.png' not read: "
                                      "--sandbox reads no file but the "
                                      "inputs"));
  assert_string_equal(nth(doc, QUIRE_NODE_IMAGE, 0)->url, "img/a.png");
  quire_doc_free(doc);
}

/* ---- Security, through the command line ------------------------------------ */

/* A page in root/deep/er/ that reaches for files it must never read. */
static void make_hostile_page(fixture *f) {
  make_dirs(f, "root/deep/er/img");
  put(f, "root/deep/er/img/ok.png", png, sizeof png);
  assert_int_equal(symlink("/etc/passwd", at(f, "root/deep/er/img/link.png")),
                   0);
  assert_int_equal(symlink("/etc", at(f, "root/deep/er/etc")), 0);
  assert_int_equal(mkfifo(at(f, "root/deep/er/img/fifo.png"), 0600), 0);
  put_text(f, "root/deep/er/page.html",
           "<html><body>\n"
           "<p><img src=\"img/ok.png\"></p>\n"
           "<p><img src=\"/etc/passwd\"></p>\n"
           "<p><img src=\"../../../../../../../../../../etc/passwd\"></p>\n"
           "<p><img src=\"img/link.png\"></p>\n"
           "<p><img src=\"file:///etc/shadow\"></p>\n"
           "<p><img src=\"/dev/zero\"></p>\n"
           "<p><img src=\"img/fifo.png\"></p>\n"
           "<p><img src=\"etc/passwd\"></p>\n"
           "<p><object data=\"%2Fetc%2Fpasswd\" type=\"image/png\">x</object>"
           "</p>\n"
           "</body></html>\n");
}

static void run_quire(const char *const *argv, run_result *r) {
  run_opts opts = {.timeout = 30};
  assert_int_equal(run_cmd(argv, &opts, r), 0);
  char what[128];
  if (!r->exited || r->status != 0)
    fail_msg("quire: %s\n%s", run_result_describe(r, what, sizeof what),
             r->err);
}

/* Fails when the output holds any byte of what it must not. */
static void assert_nothing_leaked(const run_result *r) {
  static const char *const leaks[] = {
      "root:",           /* /etc/passwd */
      "cm9vdD",          /* "root" in base64 */
      "daemon:", "ZGFlbW9u", "AAAAAAAAAAAAAAAAAAAA" /* /dev/zero */};
  for (size_t i = 0; i < sizeof leaks / sizeof *leaks; i++)
    if (strstr(r->out, leaks[i]))
      fail_msg("the output holds '%s'", leaks[i]);
}

static void test_files_outside_the_roots_are_refused_and_never_written(
    void **state) {
  fixture *f = *state;
  if (access("/etc/passwd", R_OK) != 0)
    test_skip("no /etc/passwd to refuse here");
  make_hostile_page(f);
  char root[512];
  snprintf(root, sizeof root, "%s", at(f, "root"));
  const char *page = at(f, "root/deep/er/page.html");
  const char *to_json[] = {QUIRE_BIN, page, "-t", "json", "--resource-path",
                           root, "--json-resources", "embed", NULL};
  run_result r = {0};
  run_quire(to_json, &r);
  static const char *const refused[] = {
      "page.html:3: image '/etc/passwd' not read: an absolute path",
      "page.html:4: image '../../../../../../../../../../etc/passwd' not "
      "read: it leads out of",
      "page.html:5: image 'img/link.png' not read: it leads out of",
      "page.html:6: image 'file:///etc/shadow' not read: file: URLs are "
      "never read",
      "page.html:7: image '/dev/zero' not read: an absolute path",
      "page.html:8: image 'img/fifo.png' not read: it is not a regular file",
      "page.html:9: image 'etc/passwd' not read: it leads out of",
      "page.html:10: image '%2Fetc%2Fpasswd' not read: an absolute path"};
  for (size_t i = 0; i < sizeof refused / sizeof *refused; i++)
    if (!strstr(r.err, refused[i]))
      fail_msg("no warning '%s' in:\n%s", refused[i], r.err);
  assert_nothing_leaked(&r);
  /* the one image it may read is the only resource */
  assert_non_null(strstr(r.out, "\"resources\""));
  assert_non_null(strstr(r.out, "\"img/ok.png\""));
  assert_null(strstr(r.out, "passwd\",\"media_type"));
  run_result_free(&r);
  /* nor through the HTML writer, its images put in the page */
  const char *to_html[] = {QUIRE_BIN, page, "-t", "html", "--resource-path",
                           root, "--embed-resources", NULL};
  run_quire(to_html, &r);
  assert_nothing_leaked(&r);
  assert_non_null(strstr(r.out, "data:image/png;base64,"));
  run_result_free(&r);
}

static void test_sandbox_gives_no_resources(void **state) {
  fixture *f = *state;
  make_hostile_page(f);
  const char *page = at(f, "root/deep/er/page.html");
  const char *argv[] = {QUIRE_BIN, page, "-t", "json", "--sandbox",
                        "--json-resources", "embed", NULL};
  run_result r = {0};
  run_quire(argv, &r);
  assert_null(strstr(r.out, "\"resources\""));
  assert_non_null(strstr(r.err, "image 'img/ok.png' not read: --sandbox"));
  assert_nothing_leaked(&r);
  run_result_free(&r);
}

int main(void) {
  test_filters_from_env();
  const struct CMUnitTest tests[] = {
#define T(name) \
  cmocka_unit_test_setup_teardown(name, fixture_setup, fixture_teardown)
      T(test_attributes_are_kept_on_blocks_and_inlines),
      T(test_epub_type_and_xml_lang_are_kept_from_xhtml),
      T(test_an_id_given_twice_is_kept_once),
      T(test_empty_anchors_keep_their_ids),
      T(test_sup_sub_strike_underline_and_quotes),
      T(test_spans_with_attributes_are_spans_bare_spans_vanish),
      T(test_small_caps_from_class_or_style),
      T(test_math_from_mathml_and_pandoc_spans),
      T(test_definition_lists_hold_terms_and_definitions),
      T(test_figures_hold_blocks_and_a_caption),
      T(test_divs_with_attributes_are_divs_page_parts_sections),
      T(test_line_blocks_split_lines_at_br),
      T(test_ordered_lists_keep_style_start_and_tightness),
      T(test_tables_keep_caption_columns_parts_spans_alignment),
      T(test_a_first_row_of_th_without_thead_is_the_head),
      T(test_cells_with_block_elements_hold_blocks),
      T(test_epub3_footnotes_become_notes),
      T(test_pandoc_footnotes_become_notes_without_backlinks),
      T(test_notes_of_a_footnotes_div_with_anchored_paragraphs),
      T(test_links_that_are_not_note_references_stay_links),
      T(test_images_in_sub_and_parent_folders_become_resources),
      T(test_parent_folder_is_refused_without_resource_path),
      T(test_resource_path_is_a_search_list),
      T(test_same_name_from_two_roots_is_made_unique),
      T(test_data_uri_images_become_resources),
      T(test_remote_images_are_kept_with_one_warning),
      T(test_missing_image_warns_and_keeps_its_url),
      T(test_declared_type_the_bytes_contradict_warns),
      T(test_svg_image_href_becomes_a_resource),
      T(test_image_larger_than_max_input_size_is_refused),
      T(test_page_from_memory_reads_only_resource_path),
      T(test_sandbox_reads_no_file),
      T(test_files_outside_the_roots_are_refused_and_never_written),
      T(test_sandbox_gives_no_resources),
  };
  return test_main_status(cmocka_run_group_tests(tests, NULL, NULL));
}
