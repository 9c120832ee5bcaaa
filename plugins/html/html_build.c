/* html_build.c - a libxml2 (X)HTML tree as a quire document.
 *
 * The tree is walked iteratively (next/parent links and a stack on the
 * heap), so no input depth costs C stack.  Each element is taken for what
 * it means to a reader:
 *
 *   - h1-h6, p, ul/ol/li, blockquote, pre, hr and section become the
 *     model's blocks; dl/dt/dd a DEFINITION_LIST of TERMs and DEFINITIONs;
 *     figure/figcaption a FIGURE with its CAPTION; div class="line-block"
 *     (pandoc's poetry) a LINE_BLOCK whose LINEs end at each <br>; a div
 *     with an id, a class or other attributes kept a DIV;
 *   - tables keep their caption, columns (col, colgroup), head, bodies and
 *     foot, and cells their spans, alignment and blocks (html_read_table.c);
 *   - em/i, strong/b, code, a, img, br, sup, sub, s/del/strike, ins/u, q,
 *     a span with attributes (SPAN; small caps: SMALL_CAPS) become inlines;
 *     MathML and pandoc's math spans become MATH (html_read_math.c);
 *   - images, SVG images and objects that are images read their files as
 *     resources (html_res.c); <picture> is its <img>, and audio and video
 *     are their fallback content;
 *   - header, footer, nav, aside, form, article, main, and the block
 *     containers whose class or id names a part of a page (div
 *     class="comments"), become SECTIONs marked with where they were found
 *     (html_read_parts.c), which writers write as their content alone;
 *   - a bare div or span, and every other element, is a container whose
 *     content is kept in order; inline content standing directly in a
 *     block container becomes a paragraph of its own;
 *   - script, style, template, noscript, iframe, comments and the <head>
 *     (apart from its metadata, html_read_meta.c) are dropped, as is the
 *     table of contents quire writes (<nav role="doc-toc">), which is made
 *     from the headings.
 *
 * Every node made from an element keeps its attributes (html_read_attr.c).
 * An empty anchor (<a id>, <span id>) becomes an empty SPAN with its id,
 * at the start of the next inline content when none is open, so links to
 * it keep a target.
 *
 * Whitespace collapses as a browser collapses it: runs become one space
 * (a soft break when the run holds a newline), and none is kept at the
 * start or end of a block or after a line break.  Inline elements are made
 * only when content arrives in them, so empty ones vanish and the space
 * before them stays outside.  A block element met inside inline content
 * (a <p> in a table cell that holds text) is flattened into it, its edges
 * acting as spaces.
 *
 * Nesting deeper than the limit max-depth is flattened into the ancestor at
 * the limit, its text kept, with one warning. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/HTMLparser.h>

#include "html.h"
#include "html_read_build.h"

typedef struct element_kind {
  const char *name;
  unsigned char kind;
} element_kind;

/* Sorted by name, for bsearch. */
static const element_kind kinds[] = {
    {"a", K_LINK},          {"address", K_BLOCK},   {"article", K_BLOCK},
    {"aside", K_BLOCK},     {"b", K_STRONG},
    {"base", K_DROP},       {"blockquote", K_QUOTE}, {"body", K_BODY},
    {"br", K_BREAK},        {"caption", K_CAPTION}, {"center", K_BLOCK},
    {"cite", K_EMPH},       {"code", K_CODE},       {"col", K_COL},
    {"colgroup", K_COLGROUP}, {"dd", K_DEF},        {"del", K_STRIKE},
    {"details", K_BLOCK},   {"dfn", K_EMPH},        {"dialog", K_BLOCK},
    {"dir", K_LIST},        {"div", K_BLOCK},       {"dl", K_DL},
    {"dt", K_TERM},         {"em", K_EMPH},         {"fieldset", K_BLOCK},
    {"figcaption", K_CAPTION}, {"figure", K_FIGURE}, {"footer", K_BLOCK},
    {"form", K_BLOCK},      {"frameset", K_BLOCK},  {"h1", K_HEADING},
    {"h2", K_HEADING},      {"h3", K_HEADING},      {"h4", K_HEADING},
    {"h5", K_HEADING},      {"h6", K_HEADING},      {"head", K_HEAD},
    {"header", K_BLOCK},    {"hgroup", K_BLOCK},    {"hr", K_RULE},
    {"html", K_BLOCK},      {"i", K_EMPH},          {"iframe", K_DROP},
    {"image", K_IMAGE},     {"img", K_IMAGE},       {"ins", K_UNDER},
    {"kbd", K_CODE},        {"legend", K_BLOCK},    {"li", K_ITEM},
    {"link", K_DROP},       {"listing", K_PRE},     {"main", K_BLOCK},
    {"math", K_MATH},       {"menu", K_LIST},       {"meta", K_META},
    {"nav", K_NAV},         {"noembed", K_DROP},    {"noframes", K_DROP},
    {"noscript", K_DROP},   {"object", K_OBJECT},   {"ol", K_LIST},
    {"optgroup", K_BLOCK},  {"option", K_BLOCK},    {"p", K_PARA},
    {"plaintext", K_PRE},   {"pre", K_PRE},         {"q", K_QUOTED},
    {"s", K_STRIKE},        {"samp", K_CODE},       {"script", K_DROP},
    {"search", K_BLOCK},    {"section", K_SECTION}, {"source", K_DROP},
    {"span", K_SPAN},       {"strike", K_STRIKE},   {"strong", K_STRONG},
    {"style", K_DROP},      {"sub", K_SUB},         {"summary", K_BLOCK},
    {"sup", K_SUP},         {"table", K_TABLE},     {"tbody", K_ROWS},
    {"td", K_CELL},         {"template", K_DROP},   {"tfoot", K_ROWS},
    {"th", K_CELL},         {"thead", K_ROWS},      {"title", K_TITLE},
    {"tr", K_ROW},          {"tt", K_CODE},         {"u", K_UNDER},
    {"ul", K_LIST},         {"xmp", K_PRE},
};

static int compare_kind(const void *key, const void *item) {
  return strcasecmp(key, ((const element_kind *)item)->name);
}

static const char xhtml_ns[] = "http://www.w3.org/1999/xhtml";

int hb_kind_of(const xmlNode *el) {
  const char *name = (const char *)el->name;
  /* SVG and MathML inside XHTML: MathML is math, an SVG <image> an image;
   * the rest keeps its text, without scripts and styles. */
  if (el->ns && el->ns->href && strcmp((const char *)el->ns->href, xhtml_ns)) {
    if (strcmp(name, "math") == 0)
      return K_MATH;
    if (strcmp(name, "image") == 0)
      return K_IMAGE;
    return strcmp(name, "script") == 0 || strcmp(name, "style") == 0
               ? K_DROP
               : K_INLINE;
  }
  const element_kind *k = bsearch(name, kinds, sizeof kinds / sizeof *kinds,
                                  sizeof *kinds, compare_kind);
  return k ? k->kind : K_INLINE;
}

static int is_block_kind(int kind) {
  return kind == K_BLOCK || kind == K_BODY || kind == K_NAV ||
         (kind >= K_SECTION && kind <= K_CELL);
}

/* Inlines made when content arrives in them. */
static int is_pending_kind(int kind) {
  return kind >= K_EMPH && kind <= K_SMALLCAPS;
}

#define NONE SIZE_MAX

/* ---- Helpers --------------------------------------------------------------- */

static int reserve(builder *b, buf *x, size_t more) {
  if (x->n + more + 1 <= x->cap)
    return 0;
  size_t cap = x->cap ? x->cap : 256;
  while (cap < x->n + more + 1)
    cap *= 2;
  char *s = realloc(x->s, cap);
  if (!s)
    return b->failed = 1;
  x->s = s;
  x->cap = cap;
  return 0;
}

int hb_put(builder *b, buf *x, const char *s, size_t n) {
  if (reserve(b, x, n))
    return 1;
  memcpy(x->s + x->n, s, n);
  x->n += n;
  x->s[x->n] = '\0';
  return 0;
}

/* The builder puts blocks only where blocks may go (block_parent), inlines
 * only in b->inl and rows and cells only in tables and rows, so a refusal
 * is a bug here: it stops the walk and is reported as an internal error. */
int hb_attach(builder *b, quire_node *parent, quire_node *child) {
  if (b->svc->node_append(parent, child) == QUIRE_OK)
    return 0;
  if (!b->refused) {
    b->refused = 1;
    b->refused_parent = parent->type;
    b->refused_child = child->type;
  }
  return b->failed = 1;
}

quire_node *hb_add(builder *b, quire_node *parent, quire_node_type type) {
  quire_node *n = b->svc->node_new(b->doc, type);
  if (!n) {
    b->failed = 1;
    return NULL;
  }
  if (parent && hb_attach(b, parent, n))
    return NULL;
  return n;
}

char *hb_dup(builder *b, const char *s, size_t n) {
  char *d = b->svc->strndup(b->doc, s, n);
  if (!d)
    b->failed = 1;
  return d;
}

int hb_is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

size_t hb_squash(char *s) {
  size_t w = 0;
  int space = 0;
  for (const char *p = s; *p; p++) {
    if (hb_is_space(*p)) {
      space = w > 0;
      continue;
    }
    if (space)
      s[w++] = ' ';
    space = 0;
    s[w++] = *p;
  }
  s[w] = '\0';
  return w;
}

unsigned long hb_line(const xmlNode *el) {
  long line = xmlGetLineNo(el);
  return line > 0 ? (unsigned long)line : 0;
}

static int named(const xmlNode *el, const char *name) {
  return strcasecmp((const char *)el->name, name) == 0;
}

/* ---- Depth ----------------------------------------------------------------- */

/* Non-zero when a node under a parent at parent_depth, with `below` more
 * levels under it, stays within max-depth; warns once when not. */
static int fits(builder *b, const xmlNode *el, unsigned parent_depth,
                unsigned below) {
  if ((uint64_t)parent_depth + 1 + below <= b->max_depth)
    return 1;
  if (!b->flattened) {
    b->flattened = 1;
    quire_loc loc = {.file = b->name, .line = hb_line(el)};
    b->svc->warn(b->env, &loc,
                 "content nested deeper than %llu levels flattened into its "
                 "ancestor (raise the limit with --limit max-depth=N)",
                 (unsigned long long)b->max_depth);
  }
  return 0;
}

/* ---- Inline content ---------------------------------------------------- */

static int flush(builder *b) {
  if (!b->text.n)
    return 0;
  quire_node *t = b->svc->node_new_text(b->doc, QUIRE_NODE_TEXT, b->text.s,
                                        b->text.n);
  b->text.n = 0;
  if (!t)
    return b->failed = 1;
  return hb_attach(b, b->inl, t);
}

/* Inline content starts in n; anchors waiting for a place go first. */
static void start_inline(builder *b, quire_node *n, unsigned depth) {
  b->inl = n;
  b->inl_depth = depth;
  b->ws = 0;
  b->line_start = 1;
  b->after_space = 1;
  for (size_t i = 0; i < b->n_anchors && !b->failed; i++)
    hb_attach(b, n, b->anchors[i]);
  b->n_anchors = 0;
}

static int holds_structure(quire_node_type t) {
  return t == QUIRE_NODE_BULLET_LIST || t == QUIRE_NODE_ORDERED_LIST ||
         t == QUIRE_NODE_TABLE || t == QUIRE_NODE_TABLE_HEAD ||
         t == QUIRE_NODE_TABLE_BODY || t == QUIRE_NODE_TABLE_FOOT ||
         t == QUIRE_NODE_TABLE_ROW || t == QUIRE_NODE_DEFINITION_LIST;
}

/* Where a block goes: lists, definition lists and tables hold only items,
 * terms and definitions, and rows, so other content goes into an item or
 * definition made for it, or before the table. */
static quire_node *block_parent(builder *b, unsigned *depth) {
  switch (b->blk->type) {
  case QUIRE_NODE_BULLET_LIST:
  case QUIRE_NODE_ORDERED_LIST:
    if (!b->implicit_item || b->implicit_item != b->blk->last_child)
      b->implicit_item = hb_add(b, b->blk, QUIRE_NODE_ITEM);
    *depth = b->blk_depth + 1;
    return b->implicit_item;
  case QUIRE_NODE_DEFINITION_LIST: {
    quire_node *last = b->blk->last_child;
    *depth = b->blk_depth + 1;
    if (last && last->type == QUIRE_NODE_DEFINITION)
      return last;
    return hb_add(b, b->blk, QUIRE_NODE_DEFINITION);
  }
  case QUIRE_NODE_TABLE:
  case QUIRE_NODE_TABLE_HEAD:
  case QUIRE_NODE_TABLE_BODY:
  case QUIRE_NODE_TABLE_FOOT:
  case QUIRE_NODE_TABLE_ROW:
    *depth = b->foster_depth;
    return b->foster;
  default:
    *depth = b->blk_depth;
    return b->blk;
  }
}

/* Makes sure inlines have a home: a paragraph for loose inline content. */
static int ensure_inline(builder *b) {
  if (b->inl)
    return 0;
  unsigned depth;
  quire_node *parent = block_parent(b, &depth);
  quire_node *p = parent ? hb_add(b, parent, QUIRE_NODE_PARAGRAPH) : NULL;
  if (!p)
    return 1;
  b->implicit = p;
  start_inline(b, p, depth + 1);
  return 0;
}

/* The model's type for a pending inline kind. */
static quire_node_type inline_type(int kind) {
  switch (kind) {
  case K_EMPH: return QUIRE_NODE_EMPH;
  case K_STRONG: return QUIRE_NODE_STRONG;
  case K_LINK: return QUIRE_NODE_LINK;
  case K_SPAN: return QUIRE_NODE_SPAN;
  case K_STRIKE: return QUIRE_NODE_STRIKEOUT;
  case K_SUP: return QUIRE_NODE_SUPERSCRIPT;
  case K_SUB: return QUIRE_NODE_SUBSCRIPT;
  case K_UNDER: return QUIRE_NODE_UNDERLINE;
  case K_QUOTED: return QUIRE_NODE_QUOTED;
  default: return QUIRE_NODE_SMALL_CAPS;
  }
}

/* Makes the inline elements that were waiting for content. */
static int make_pending(builder *b) {
  for (size_t i = b->pending_from; i < b->depth; i++) {
    frame *f = &b->stack[i];
    if (!f->pending)
      continue;
    f->pending = 0;
    /* Emphasis in emphasis adds nothing, and a link in a link is not
     * HTML: the inner one is only its text. */
    int once = f->kind == K_EMPH || f->kind == K_STRONG || f->kind == K_LINK;
    if ((once && b->open[f->kind]) || !fits(b, f->el, b->inl_depth, 1))
      continue;
    if (flush(b))
      return 1;
    quire_node *n = hb_add(b, b->inl, inline_type(f->kind));
    if (!n)
      return 1;
    if (f->kind == K_LINK) {
      const char *href = hb_attr(b, f->el, "href");
      n->url = href ? hb_dup(b, href, strlen(href)) : NULL;
      char *title = (char *)hb_attr(b, f->el, "title");
      if (title && hb_squash(title))
        n->title = hb_dup(b, title, strlen(title));
    } else if (f->kind == K_QUOTED)
      n->kind = b->open[K_QUOTED] % 2 ? QUIRE_QUOTE_SINGLE : QUIRE_QUOTE_DOUBLE;
    hb_keep_attrs(b, n, f->el, f->kind == K_SMALLCAPS ? "smallcaps" : NULL);
    f->made = n;
    f->inl = b->inl;
    f->inl_depth = b->inl_depth;
    b->inl = n;
    b->inl_depth++;
    b->open[f->kind]++;
  }
  b->pending_from = NONE;
  return b->failed;
}

/* Content is about to be added inline: give it a paragraph if it has none,
 * write the space pending before it, then make the inlines waiting. */
static int content(builder *b) {
  if (ensure_inline(b))
    return 1;
  if (b->ws && !b->line_start && !b->after_space) {
    if (b->ws == '\n') {
      if (flush(b) || !hb_add(b, b->inl, QUIRE_NODE_SOFT_BREAK))
        return 1;
    } else if (hb_put(b, &b->text, " ", 1))
      return 1;
    b->after_space = 1;
  }
  b->ws = 0;
  if (b->pending_from != NONE && make_pending(b))
    return 1;
  b->line_start = 0;
  return 0;
}

static void pend_space(builder *b, int newline) {
  if (newline)
    b->ws = '\n';
  else if (!b->ws)
    b->ws = ' ';
}

static int add_text(builder *b, const char *s) {
  while (*s) {
    size_t n = strspn(s, " \t\n\r\f");
    if (n) {
      pend_space(b, memchr(s, '\n', n) || memchr(s, '\r', n));
      s += n;
      continue;
    }
    n = strcspn(s, " \t\n\r\f");
    if (content(b) || hb_put(b, &b->text, s, n))
      return 1;
    b->after_space = 0;
    s += n;
  }
  return 0;
}

/* An inline leaf made apart (a MATH): added where inline content goes. */
static int add_leaf(builder *b, quire_node *n) {
  if (content(b) || flush(b) || hb_attach(b, b->inl, n))
    return 1;
  b->after_space = 0;
  return 0;
}

/* An empty element with an id (<a id="p12"></a>): an empty SPAN with that
 * id where it stood, or at the start of the next inline content. */
static void anchor(builder *b, const xmlNode *el) {
  const char *id = hb_attr(b, el, "id");
  if (!id && named(el, "a"))
    id = hb_attr(b, el, "name");
  if (!id || !id[strspn(id, " \t\n\r\f")] ||
      !fits(b, el, b->inl ? b->inl_depth : b->blk_depth + 1, 0))
    return;
  quire_node *s = hb_add(b, NULL, QUIRE_NODE_SPAN);
  if (!s || !hb_take_id(b, s, id))
    return;
  if (b->inl) {
    /* after the space before it, like the content that follows */
    if (!content(b) && !flush(b))
      hb_attach(b, b->inl, s);
    return;
  }
  if (b->n_anchors == b->cap_anchors) {
    size_t cap = b->cap_anchors ? b->cap_anchors * 2 : 8;
    quire_node **grown = realloc(b->anchors, cap * sizeof *grown);
    if (!grown) {
      b->failed = 1;
      return;
    }
    b->anchors = grown;
    b->cap_anchors = cap;
  }
  b->anchors[b->n_anchors++] = s;
}

/* ---- Subtree text ------------------------------------------------------ */

/* The text under el, in b->scratch: verbatim (for pre, with <br> as a
 * newline) or not. */
char *hb_subtree_text(builder *b, xmlNode *el, int verbatim) {
  b->scratch.n = 0;
  if (hb_put(b, &b->scratch, "", 0))
    return NULL;
  xmlNode *x = el->children;
  while (x) {
    int down = 0;
    if (x->type == XML_TEXT_NODE || x->type == XML_CDATA_SECTION_NODE) {
      if (x->content)
        hb_put(b, &b->scratch, (const char *)x->content,
               strlen((const char *)x->content));
    } else if (x->type == XML_ENTITY_REF_NODE) {
      hb_put(b, &b->scratch, "&", 1);
      hb_put(b, &b->scratch, (const char *)x->name,
             strlen((const char *)x->name));
      hb_put(b, &b->scratch, ";", 1);
    } else if (x->type == XML_ELEMENT_NODE) {
      int k = hb_kind_of(x);
      if (k == K_BREAK)
        hb_put(b, &b->scratch, verbatim ? "\n" : " ", 1);
      else if (k != K_DROP)
        down = 1;
    }
    if (down && x->children) {
      x = x->children;
      continue;
    }
    while (x != el && !x->next)
      x = x->parent;
    x = x == el ? NULL : x->next;
  }
  return b->failed ? NULL : b->scratch.s;
}

/* ---- Blocks ------------------------------------------------------------ */

/* Non-zero when a paragraph or heading holds nothing to show and no
 * anchor. */
static int empty_inline_block(const builder *b, const quire_node *n) {
  quire_iter it;
  b->svc->iter_init(&it, n);
  while (b->svc->iter_next(&it) != QUIRE_EV_DONE) {
    quire_node_type t = it.node->type;
    if ((t == QUIRE_NODE_TEXT && it.node->len) || t == QUIRE_NODE_CODE ||
        t == QUIRE_NODE_IMAGE || t == QUIRE_NODE_MATH || it.node->id)
      return 0;
  }
  return 1;
}

/* Ends the paragraph opened for loose inline content, if it is open. */
static int close_implicit(builder *b) {
  if (!b->implicit || b->inl != b->implicit)
    return 0;
  if (flush(b))
    return 1;
  if (empty_inline_block(b, b->implicit))
    b->svc->node_unlink(b->implicit);
  b->implicit = NULL;
  b->inl = NULL;
  b->ws = 0;
  return 0;
}

static const char *language_of(const char *cls) {
  /* class="language-c" (or lang-c), as written for highlighters */
  for (const char *p = cls; p && *p;) {
    p += strspn(p, " \t\n\r\f");
    size_t n = strcspn(p, " \t\n\r\f");
    if (n > 9 && strncmp(p, "language-", 9) == 0)
      return p + 9;
    if (n > 5 && strncmp(p, "lang-", 5) == 0)
      return p + 5;
    p += n;
  }
  return NULL;
}

static int code_block(builder *b, xmlNode *el) {
  char *s = hb_subtree_text(b, el, 1);
  if (!s)
    return 1;
  /* A newline right after <pre> is not content; CRs are line ends. */
  if (el->children && el->children->type == XML_TEXT_NODE && s[0] == '\n')
    s++;
  size_t w = 0;
  for (size_t i = 0; s[i]; i++) {
    if (s[i] == '\r') {
      if (s[i + 1] != '\n')
        s[w++] = '\n';
    } else
      s[w++] = s[i];
  }
  if (!w)
    return 0;
  unsigned depth;
  quire_node *parent = block_parent(b, &depth);
  quire_node *n = parent ? hb_add(b, parent, QUIRE_NODE_CODE_BLOCK) : NULL;
  if (!n)
    return 1;
  n->text = hb_dup(b, s, w);
  n->len = w;
  /* The language: from <pre class> or its <code class>. */
  const char *lang = language_of(hb_attr(b, el, "class"));
  for (xmlNode *c = el->children; !lang && c; c = c->next)
    if (c->type == XML_ELEMENT_NODE && hb_kind_of(c) == K_CODE)
      lang = language_of(hb_attr(b, c, "class"));
  if (lang)
    n->info = hb_dup(b, lang, strcspn(lang, " \t\n\r\f"));
  hb_keep_attrs(b, n, el, NULL);
  return b->failed;
}

/* Inline code, or a <pre> flattened into inline content. */
static int inline_code(builder *b, xmlNode *el) {
  char *s = hb_subtree_text(b, el, 0);
  if (!s)
    return 1;
  int lead = hb_is_space(s[0]);
  int trail = b->scratch.n && hb_is_space(s[b->scratch.n - 1]);
  size_t n = hb_squash(s);
  if (lead)
    pend_space(b, 0);
  if (n) {
    char *copy = hb_dup(b, s, n);
    if (!copy || content(b) || flush(b))
      return 1;
    quire_node *c = hb_add(b, b->inl, QUIRE_NODE_CODE);
    if (!c)
      return 1;
    c->text = copy;
    c->len = n;
    hb_keep_attrs(b, c, el, NULL);
    b->after_space = 0;
  }
  if (trail)
    pend_space(b, 0);
  return 0;
}

/* An IMAGE of `src` (a reference from the page) with alt text alt[0..n),
 * or the alt text alone when there is no source or no room under it. */
static int add_image(builder *b, xmlNode *el, const char *src_in,
                     const char *declared, char *alt, size_t alt_len) {
  int has_src = src_in && src_in[strspn(src_in, " \t\n\r\f")];
  if (!has_src && !alt_len)
    return b->failed;
  char *src = has_src ? hb_dup(b, src_in, strlen(src_in)) : NULL;
  char *type = declared ? hb_dup(b, declared, strlen(declared)) : NULL;
  if (b->failed)
    return 1;
  if (content(b))
    return 1;
  if (!has_src || (alt_len && !fits(b, el, b->inl_depth, 1))) {
    /* An image without a source, or without room for its alt text under
     * it: the alt text stays, as text. */
    b->after_space = 0;
    return hb_put(b, &b->text, alt, alt_len);
  }
  const char *url = NULL;
  if (b->res && html_res_image(b->res, src, type, hb_line(el), &url) < 0)
    return b->res_failed = b->failed = 1;
  if (flush(b))
    return 1;
  quire_node *n = hb_add(b, b->inl, QUIRE_NODE_IMAGE);
  if (!n)
    return 1;
  n->url = url ? url : src;
  char *title = (char *)hb_attr(b, el, "title");
  if (title && hb_squash(title))
    n->title = hb_dup(b, title, strlen(title));
  hb_keep_attrs(b, n, el, NULL);
  if (alt_len) {
    quire_node *t = b->svc->node_new_text(b->doc, QUIRE_NODE_TEXT, alt, alt_len);
    if (!t)
      return b->failed = 1;
    if (hb_attach(b, n, t))
      return 1;
  }
  b->after_space = 0;
  return b->failed;
}

/* The alt text of el's attribute `name`, squashed, in the document. */
static char *alt_of(builder *b, const xmlNode *el, const char *name,
                    size_t *len) {
  const char *a = hb_attr(b, el, name);
  char *alt = a ? hb_dup(b, a, strlen(a)) : NULL;
  *len = alt ? hb_squash(alt) : 0;
  return alt;
}

/* <img src>, or SVG's <image href> (xlink:href before SVG 2). */
static int image(builder *b, xmlNode *el) {
  size_t alt_len;
  char *alt = alt_of(b, el, "alt", &alt_len);
  const char *src = hb_attr(b, el, "src");
  if (!src)
    src = hb_attr(b, el, "xlink:href");
  if (!src)
    src = hb_attr(b, el, "href");
  return add_image(b, el, src, NULL, alt, alt_len);
}

/* <object data> of an image: an image whose alt text is the fallback
 * content.  Returns 1 when it was one, 0 when its content is to be read. */
static int object_image(builder *b, xmlNode *el) {
  const char *data = hb_attr(b, el, "data");
  if (!data)
    return 0;
  char *url = hb_dup(b, data, strlen(data));
  const char *t = hb_attr(b, el, "type");
  char *type = t ? hb_dup(b, t, strlen(t)) : NULL;
  if (!url)
    return 1;
  const char *by_name = b->svc->media_type_of(NULL, 0, url);
  if (!(type ? strncasecmp(type, "image/", 6) == 0
             : by_name && strncmp(by_name, "image/", 6) == 0))
    return 0;
  char *text = hb_subtree_text(b, el, 0);
  char *alt = text ? hb_dup(b, text, strlen(text)) : NULL;
  size_t alt_len = alt ? hb_squash(alt) : 0;
  add_image(b, el, url, type, alt, alt_len);
  return 1;
}

static int math(builder *b, xmlNode *el) {
  quire_node *m = hb_math(b, el);
  if (!m || !fits(b, el, b->inl ? b->inl_depth : b->blk_depth + 1, 0))
    return b->failed;
  /* pandoc's math span says no more than the node's kind */
  if (!named(el, "span"))
    hb_keep_attrs(b, m, el, NULL);
  return add_leaf(b, m);
}

/* <br>: a line break, or in a line block, the start of the next line. */
static int line_break(builder *b) {
  b->ws = 0;
  if (b->inl && b->inl->type == QUIRE_NODE_LINE) {
    if (flush(b))
      return 1;
    quire_node *line = hb_add(b, b->inl->parent, QUIRE_NODE_LINE);
    if (!line)
      return 1;
    start_inline(b, line, b->inl_depth);
    return 0;
  }
  if (content(b) || flush(b) || !hb_add(b, b->inl, QUIRE_NODE_LINE_BREAK))
    return 1;
  b->line_start = 1;
  b->after_space = 1;
  return 0;
}

static int rule(builder *b, xmlNode *el) {
  unsigned depth;
  quire_node *parent = block_parent(b, &depth);
  quire_node *n = parent ? hb_add(b, parent, QUIRE_NODE_THEMATIC_BREAK) : NULL;
  hb_keep_attrs(b, n, el, NULL);
  return !n;
}

/* ---- The walk ------------------------------------------------------------ */

static frame *push(builder *b, xmlNode *el, int kind) {
  if (b->depth == b->cap) {
    size_t cap = b->cap ? b->cap * 2 : 64;
    frame *s = realloc(b->stack, cap * sizeof *s);
    if (!s) {
      b->failed = 1;
      return NULL;
    }
    b->stack = s;
    b->cap = cap;
  }
  frame *f = &b->stack[b->depth++];
  *f = (frame){.el = el, .kind = (unsigned char)kind, .blk = b->blk,
               .inl = b->inl, .foster = b->foster, .blk_depth = b->blk_depth,
               .inl_depth = b->inl_depth, .foster_depth = b->foster_depth,
               .tbody = b->tbody};
  return f;
}

/* A new block container under the current block parent. */
static quire_node *open_block(builder *b, xmlNode *el, quire_node_type type,
                              unsigned below) {
  unsigned depth;
  quire_node *parent = block_parent(b, &depth);
  if (!parent || !fits(b, el, depth, below))
    return NULL;
  quire_node *n = hb_add(b, parent, type);
  if (n) {
    b->blk = n;
    b->blk_depth = depth + 1;
  }
  return n;
}

/* A new paragraph-like block whose content is inline. */
static quire_node *open_text_block(builder *b, quire_node_type type) {
  unsigned depth;
  quire_node *parent = block_parent(b, &depth);
  quire_node *n = parent ? hb_add(b, parent, type) : NULL;
  if (n)
    start_inline(b, n, depth + 1);
  return n;
}

static int is_list(const quire_node *n) {
  return n->type == QUIRE_NODE_BULLET_LIST ||
         n->type == QUIRE_NODE_ORDERED_LIST;
}

static int is_table_part(const quire_node *n) {
  return n->type == QUIRE_NODE_TABLE_HEAD ||
         n->type == QUIRE_NODE_TABLE_BODY || n->type == QUIRE_NODE_TABLE_FOOT;
}

/* <ol type> and list-style-type: the numbering of an ordered list. */
static quire_list_style list_style(builder *b, xmlNode *el) {
  const char *t = hb_attr(b, el, "type");
  if (t) {
    switch (t[0]) {
    case '1': return QUIRE_LIST_DECIMAL;
    case 'a': return QUIRE_LIST_LOWER_ALPHA;
    case 'A': return QUIRE_LIST_UPPER_ALPHA;
    case 'i': return QUIRE_LIST_LOWER_ROMAN;
    case 'I': return QUIRE_LIST_UPPER_ROMAN;
    default: break;
    }
  }
  const char *style = hb_attr(b, el, "style");
  static const struct { const char *name; quire_list_style style; } css[] = {
      {"decimal", QUIRE_LIST_DECIMAL}, {"lower-alpha", QUIRE_LIST_LOWER_ALPHA},
      {"lower-latin", QUIRE_LIST_LOWER_ALPHA},
      {"upper-alpha", QUIRE_LIST_UPPER_ALPHA},
      {"upper-latin", QUIRE_LIST_UPPER_ALPHA},
      {"lower-roman", QUIRE_LIST_LOWER_ROMAN},
      {"upper-roman", QUIRE_LIST_UPPER_ROMAN}};
  const char *p = style ? strstr(style, "list-style-type") : NULL;
  for (size_t i = 0; p && i < sizeof css / sizeof *css; i++)
    if (strstr(p, css[i].name))
      return css[i].style;
  return QUIRE_LIST_DEFAULT;
}

static int has_child_of_type(const quire_node *n, quire_node_type t) {
  for (const quire_node *c = n->first_child; c; c = c->next)
    if (c->type == t)
      return 1;
  return 0;
}

/* A block element where blocks may go.  Returns the frame's kind. */
static int enter_block(builder *b, xmlNode *el, int kind, frame *f) {
  quire_node *n = NULL;
  switch (kind) {
  case K_SECTION:
    n = open_block(b, el, QUIRE_NODE_SECTION, 2);
    if (n)
      n->info = hb_section_info(b, el);
    break;
  case K_DIV:
    n = open_block(b, el, QUIRE_NODE_DIV, 2);
    break;
  case K_LINE_BLOCK: {
    unsigned depth;
    quire_node *parent = block_parent(b, &depth);
    if (!parent || !fits(b, el, depth, 3))
      return K_BLOCK;
    n = hb_add(b, parent, QUIRE_NODE_LINE_BLOCK);
    quire_node *line = n ? hb_add(b, n, QUIRE_NODE_LINE) : NULL;
    if (line)
      start_inline(b, line, depth + 2);
    hb_keep_attrs(b, n, el, "line-block");
    f->made = n;
    return n ? kind : K_BLOCK;
  }
  case K_QUOTE:
    n = open_block(b, el, QUIRE_NODE_BLOCK_QUOTE, 2);
    break;
  case K_FIGURE:
    n = open_block(b, el, QUIRE_NODE_FIGURE, 2);
    break;
  case K_DL:
    n = open_block(b, el, QUIRE_NODE_DEFINITION_LIST, 3);
    break;
  case K_LIST: {
    int ordered = named(el, "ol");
    n = open_block(b, el, ordered ? QUIRE_NODE_ORDERED_LIST
                                  : QUIRE_NODE_BULLET_LIST, 3);
    if (n)
      n->tight = 1;   /* until an item holds a <p> */
    if (n && ordered) {
      const char *start = hb_attr(b, el, "start");
      long v = start ? strtol(start, NULL, 10) : 1;
      n->start = v < -1000000000L ? -1000000000
               : v > 1000000000L  ? 1000000000
                                  : (int)v;
      n->style = list_style(b, el);
    }
    break;
  }
  case K_ITEM:
    if (!is_list(b->blk))
      return K_BLOCK;
    n = hb_add(b, b->blk, QUIRE_NODE_ITEM);
    if (n) {
      b->blk = n;
      b->blk_depth++;
    }
    b->implicit_item = NULL;
    break;
  case K_DEF:
    if (b->blk->type != QUIRE_NODE_DEFINITION_LIST)
      return K_BLOCK;
    n = hb_add(b, b->blk, QUIRE_NODE_DEFINITION);
    if (n) {
      b->blk = n;
      b->blk_depth++;
    }
    break;
  case K_CAPTION: {
    quire_node_type t = b->blk->type;
    if ((t != QUIRE_NODE_TABLE && t != QUIRE_NODE_FIGURE) ||
        has_child_of_type(b->blk, QUIRE_NODE_CAPTION))
      return K_BLOCK;
    n = hb_add(b, b->blk, QUIRE_NODE_CAPTION);
    if (n) {
      b->blk = n;
      b->blk_depth++;
    }
    break;
  }
  case K_HEADING:
    n = open_text_block(b, QUIRE_NODE_HEADING);
    if (n)
      n->level = el->name[1] - '0';
    break;
  case K_PARA:
    n = open_text_block(b, QUIRE_NODE_PARAGRAPH);
    /* A <p> in an item makes its list loose. */
    if (n && n->parent->type == QUIRE_NODE_ITEM && n->parent->parent &&
        is_list(n->parent->parent))
      n->parent->parent->tight = 0;
    break;
  case K_TERM:
    if (b->blk->type == QUIRE_NODE_DEFINITION_LIST) {
      n = hb_add(b, b->blk, QUIRE_NODE_TERM);
      if (n)
        start_inline(b, n, b->blk_depth + 1);
      break;
    }
    /* A term outside a list of them: a paragraph in bold. */
    n = open_text_block(b, QUIRE_NODE_PARAGRAPH);
    if (n && fits(b, el, b->inl_depth, 1)) {
      quire_node *s = hb_add(b, n, QUIRE_NODE_STRONG);
      if (s) {
        start_inline(b, s, b->inl_depth + 1);
        b->open[K_STRONG]++;
        f->strong = 1;
      }
    }
    break;
  case K_TABLE: {
    unsigned depth;
    quire_node *parent = block_parent(b, &depth);
    if (!parent || !fits(b, el, depth, 4))
      return K_BLOCK;
    /* Made apart and put in place at its end, so that loose content,
     * which goes before it, does. */
    n = hb_add(b, NULL, QUIRE_NODE_TABLE);
    if (n) {
      b->foster = parent;
      b->foster_depth = depth;
      b->blk = n;
      b->blk_depth = depth + 1;
      b->tbody = NULL;
    }
    break;
  }
  case K_COLGROUP:
    if (b->blk->type != QUIRE_NODE_TABLE)
      return K_BLOCK;
    return kind;
  case K_ROWS:
    if (b->blk->type != QUIRE_NODE_TABLE)
      return K_BLOCK;
    n = hb_add(b, b->blk, named(el, "thead")   ? QUIRE_NODE_TABLE_HEAD
                          : named(el, "tfoot") ? QUIRE_NODE_TABLE_FOOT
                                               : QUIRE_NODE_TABLE_BODY);
    if (n) {
      b->blk = n;
      b->blk_depth++;
    }
    break;
  case K_ROW: {
    quire_node *part = b->blk;
    if (part->type == QUIRE_NODE_TABLE) {
      /* Rows outside a head, body or foot go in a body. */
      if (!b->tbody || b->tbody != part->last_child)
        b->tbody = hb_add(b, part, QUIRE_NODE_TABLE_BODY);
      part = b->tbody;
    } else if (!is_table_part(part))
      return K_BLOCK;
    if (!part)
      return K_BLOCK;
    n = hb_add(b, part, QUIRE_NODE_TABLE_ROW);
    if (n) {
      b->blk = n;
      b->blk_depth = b->blk_depth + (part == b->blk ? 1 : 2);
    }
    break;
  }
  case K_CELL:
    if (b->blk->type != QUIRE_NODE_TABLE_ROW)
      return K_BLOCK;
    n = hb_add(b, b->blk, QUIRE_NODE_TABLE_CELL);
    if (!n)
      break;
    hb_cell(b, n, el);
    if (hb_cell_has_blocks(el)) {
      /* A cell of blocks; loose inline content in it gets paragraphs. */
      b->blk = n;
      b->blk_depth++;
    } else
      start_inline(b, n, b->blk_depth + 1);
    f->made = n;
    return kind;
  default:
    return kind;
  }
  hb_keep_attrs(b, n, el, NULL);
  f->made = n;
  return n ? kind : K_BLOCK;
}

static int drop_pending(builder *b) {
  for (size_t i = b->pending_from; i < b->depth; i++)
    b->stack[i].pending = 0;
  b->pending_from = NONE;
  return 0;
}

/* Non-zero when a span's style or class asks for small capitals. */
static int small_caps(builder *b, xmlNode *el) {
  const char *c = hb_attr(b, el, "class");
  if (c && hb_has_word(c, "smallcaps"))
    return 1;
  const char *s = hb_attr(b, el, "style");
  return s && strstr(s, "font-variant") && strstr(s, "small-caps");
}

/* What an inline element with content to walk is taken as. */
static int inline_kind(builder *b, xmlNode *el, int kind) {
  switch (kind) {
  case K_LINK:
    if (hb_attr(b, el, "href"))
      return K_LINK;
    /* <a id> or <a name> without href: an anchor. */
    return hb_attr(b, el, "id") || hb_attr(b, el, "name") ||
                   hb_has_attrs(b, el, NULL)
               ? K_SPAN
               : K_INLINE;
  case K_SPAN:
    if (small_caps(b, el))
      return K_SMALLCAPS;
    return hb_has_attrs(b, el, NULL) ? K_SPAN : K_INLINE;
  default:
    return kind;
  }
}

/* The words in s: runs of bytes that are not whitespace. */
static size_t count_words(const char *s) {
  size_t n = 0;
  for (int in = 0; *s; s++) {
    int space = hb_is_space(*s);
    n += !space && !in;
    in = !space;
  }
  return n;
}

/* Accounts for the text of el, which is not carried into the document
 * (`what` says why): -v names it, and the warning at the end counts it.
 * Scripts, styles and templates hold code, not text, and are not counted.
 * `navigation`: a table of contents or list of landmarks, which writers
 * make anew from the headings; told with -v only. */
static void skip_text(builder *b, xmlNode *el, const char *what,
                      int navigation) {
  if (navigation && !b->svc->verbose(b->env))
    return;   /* nothing to count, nothing to tell */
  char *text = hb_subtree_text(b, el, 0);
  size_t words = text ? count_words(text) : 0;
  if (!words)
    return;
  if (b->svc->verbose(b->env)) {
    quire_loc loc = {.file = b->name, .line = hb_line(el)};
    hb_squash(text);
    b->svc->info(b->env, &loc, "not carried: %s, %zu word%s: \"%.60s%s\"",
                 what, words, words == 1 ? "" : "s", text,
                 strlen(text) > 60 ? "..." : "");
  }
  if (navigation)
    return;
  if (!b->skipped_parts)
    b->skipped_first = what;
  b->skipped_parts++;
  b->skipped_words += words;
}

/* Non-zero when el, a <nav>, is navigation the writers make anew: a table
 * of contents, landmarks or a page list (EPUB's nav document). */
static int is_navigation(builder *b, const xmlNode *el) {
  const char *role = hb_attr(b, el, "role");
  if (role && strcasecmp(role, "doc-toc") == 0)
    return 1;
  const char *type = hb_attr(b, el, "epub:type");
  return type && (hb_has_word(type, "toc") || hb_has_word(type, "landmarks") ||
                  hb_has_word(type, "page-list"));
}

/* Starts element el.  Returns 1 when its content is to be walked (a frame
 * was pushed), 0 when it was dealt with whole. */
static int enter(builder *b, xmlNode *el) {
  int kind = hb_kind_of(el);
  int listed = kind;
  switch (kind) {
  case K_DROP: {
    const char *name = (const char *)el->name;
    if (strcasecmp(name, "script") != 0 && strcasecmp(name, "style") != 0 &&
        strcasecmp(name, "template") != 0) {
      skip_text(b, el, strcasecmp(name, "noscript") == 0   ? "<noscript>"
                       : strcasecmp(name, "iframe") == 0   ? "<iframe>"
                       : strcasecmp(name, "noframes") == 0 ? "<noframes>"
                       : strcasecmp(name, "noembed") == 0  ? "<noembed>"
                                                           : "an element "
                                                             "quire skips",
                0);
    }
    return 0;
  }
  case K_HEAD:
    hb_head(b, el);
    return 0;
  case K_META:
    hb_meta(b, el);
    return 0;
  case K_TITLE:
    /* A title in the body (an SVG's) is text like any other. */
    if (!b->in_body) {
      hb_keep_text(b, &b->title, hb_subtree_text(b, el, 0));
      return 0;
    }
    kind = K_INLINE;
    break;
  case K_NAV: {
    if (is_navigation(b, el)) {
      skip_text(b, el, "a table of contents", 1);
      return 0;
    }
    kind = K_BLOCK;
    break;
  }
  case K_BODY:
    b->in_body = 1;
    kind = K_BLOCK;
    break;
  case K_IMAGE:
    image(b, el);
    return 0;
  case K_OBJECT:
    if (object_image(b, el))
      return 0;
    kind = K_INLINE;
    break;
  case K_MATH:
    math(b, el);
    return 0;
  case K_BREAK:
    line_break(b);
    return 0;
  case K_CODE:
    inline_code(b, el);
    return 0;
  case K_COL:
    if (b->blk->type == QUIRE_NODE_TABLE && !b->inl) {
      unsigned made = hb_columns(b, b->blk, el);
      if (b->depth && b->stack[b->depth - 1].kind == K_COLGROUP)
        b->stack[b->depth - 1].cols += made;
    }
    return 0;
  case K_SPAN:
    if (hb_is_math_span(b, el)) {
      math(b, el);
      return 0;
    }
    kind = inline_kind(b, el, kind);
    break;
  case K_LINK:
    kind = inline_kind(b, el, kind);
    break;
  default:
    break;
  }
  /* A page part is kept as a SECTION, and a div with attributes as a DIV,
   * only where blocks go straight into the current block.  In a list or a
   * table the items, rows and cells it may hold must still reach the list
   * or table (<table><form><tr>), so there it stays a plain container. */
  if (kind == K_BLOCK && !holds_structure(b->blk->type)) {
    if (hb_page_part(b, el, listed))
      kind = K_SECTION;
    else if (named(el, "div")) {
      const char *c = hb_attr(b, el, "class");
      if (c && hb_has_word(c, "line-block"))
        kind = K_LINE_BLOCK;
      else if (hb_has_attrs(b, el, NULL))
        kind = K_DIV;
    }
  }
  if (is_block_kind(kind) || kind == K_PRE || kind == K_RULE) {
    if (b->inl && b->inl != b->implicit) {
      /* A block inside inline content: flattened into it. */
      if (kind == K_PRE) {
        inline_code(b, el);
        return 0;
      }
      if (kind == K_RULE)
        return pend_space(b, 0), 0;
      pend_space(b, 0);
      return push(b, el, K_FLAT) != NULL;
    }
    if (close_implicit(b) || drop_pending(b))
      return 0;
    if (kind == K_PRE) {
      code_block(b, el);
      return 0;
    }
    if (kind == K_RULE) {
      rule(b, el);
      return 0;
    }
  }
  frame *f = push(b, el, kind);
  if (!f)
    return 0;
  if (is_pending_kind(kind)) {
    f->pending = 1;
    if (b->pending_from == NONE)
      b->pending_from = b->depth - 1;
  } else if (is_block_kind(kind))
    f->kind = (unsigned char)enter_block(b, el, kind, f);
  return 1;
}

/* Ends a line block: a last line left empty by a closing <br> goes. */
static void end_line_block(builder *b, quire_node *n) {
  quire_node *last = n->last_child;
  if (last && !last->first_child && last != n->first_child)
    b->svc->node_unlink(last);
  if (n->first_child == n->last_child && n->first_child &&
      !n->first_child->first_child)
    b->svc->node_unlink(n);
}

/* Ends a table: in place when it has rows; else its caption's blocks. */
static void end_table(builder *b, quire_node *n) {
  if (!hb_table_finish(b, n)) {
    hb_attach(b, b->foster, n);
    return;
  }
  for (quire_node *c = n->first_child; c && !b->failed; c = c->next)
    if (c->type == QUIRE_NODE_CAPTION)
      while (c->first_child && !b->failed)
        hb_attach(b, b->foster, c->first_child);
}

/* Ends the element on top of the stack. */
static void leave(builder *b) {
  frame *f = &b->stack[--b->depth];
  if (b->pending_from == b->depth)
    b->pending_from = NONE;
  quire_node *n = f->made;
  if (f->kind == K_FLAT) {
    pend_space(b, 0);
    return;
  }
  if (is_pending_kind(f->kind)) {
    if (n) {
      flush(b);
      b->inl = f->inl;
      b->inl_depth = f->inl_depth;
      b->open[f->kind]--;
    } else
      anchor(b, f->el);   /* an empty element: its id may be a target */
    return;
  }
  if (f->kind == K_INLINE)
    return;
  /* A block: end the inline content opened in it. */
  close_implicit(b);
  flush(b);
  if (f->strong)
    b->open[K_STRONG]--;
  switch (n ? f->kind : K_BLOCK) {
  case K_PARA:
  case K_HEADING:
  case K_TERM:
    /* an empty term goes: its definitions join the term before, as those
     * of a <dd> with no <dt> before it (writers take a definition list
     * that starts with a definition as one of an empty term) */
    if (empty_inline_block(b, n))
      b->svc->node_unlink(n);
    break;
  case K_LINE_BLOCK:
    end_line_block(b, n);
    break;
  case K_ROW:
    if (!n->first_child)
      b->svc->node_unlink(n);
    break;
  case K_TABLE:
    end_table(b, n);
    break;
  case K_COLGROUP:
    break;
  case K_LIST:
  case K_ITEM:
  case K_SECTION:
  case K_DIV:
  case K_QUOTE:
  case K_DL:
  case K_DEF:
  case K_FIGURE:
  case K_CAPTION:
    if (!n->first_child && !n->id)
      b->svc->node_unlink(n);
    break;
  default:
    break;
  }
  /* A colgroup without <col>s: its own span of columns. */
  if (f->kind == K_COLGROUP && !f->cols && b->blk->type == QUIRE_NODE_TABLE)
    hb_columns(b, b->blk, f->el);
  b->blk = f->blk;
  b->blk_depth = f->blk_depth;
  b->inl = f->inl;
  b->inl_depth = f->inl_depth;
  b->foster = f->foster;
  b->foster_depth = f->foster_depth;
  b->tbody = f->tbody;
}

/* Text met in the walk. */
static void text_node(builder *b, xmlNode *x) {
  if (x->type == XML_ENTITY_REF_NODE) {
    /* The document's own entities are not expanded; they stay visible. */
    if (!b->entity_warned) {
      b->entity_warned = 1;
      quire_loc loc = {.file = b->name, .line = hb_line(x)};
      b->svc->warn(b->env, &loc, "entity &%s; not expanded", x->name);
    }
    char ref[256];
    snprintf(ref, sizeof ref, "&%s;", (const char *)x->name);
    add_text(b, ref);
  } else if (x->content)
    add_text(b, (const char *)x->content);
}

static void walk(builder *b, xmlDoc *tree) {
  xmlNode *top = (xmlNode *)tree;
  xmlNode *x = top->children;
  while (x && !b->failed) {
    int open = 0;
    if (x->type == XML_ELEMENT_NODE)
      open = enter(b, x);
    else if (x->type == XML_TEXT_NODE || x->type == XML_CDATA_SECTION_NODE ||
             x->type == XML_ENTITY_REF_NODE)
      text_node(b, x);
    if (open && x->children) {
      x = x->children;
      continue;
    }
    if (open)
      leave(b);
    while (!x->next) {
      x = x->parent;
      if (!x || x == top)
        return;
      leave(b);
    }
    x = x->next;
  }
}

int html_build(quire_env *env, const char *name, xmlDoc *tree,
               quire_doc *doc, html_res *res) {
  return html_build_into(env, name, tree, doc, doc->root, res);
}

int html_build_into(quire_env *env, const char *name, xmlDoc *tree,
                    quire_doc *doc, quire_node *parent, html_res *res) {
  builder b = {.env = env, .svc = env->svc, .doc = doc, .name = name,
               .res = res, .blk = parent, .pending_from = NONE};
  b.own_meta = parent == doc->root;
  /* The parent's own depth counts against max-depth like any other. */
  for (const quire_node *n = parent; n->parent; n = n->parent)
    b.blk_depth++;
  b.max_depth = env->svc->limit(env, "max-depth");
  if (b.max_depth < 2)
    b.max_depth = 2;   /* a paragraph and its text, the least a text needs */
  walk(&b, tree);
  while (b.depth && !b.failed)
    leave(&b);
  close_implicit(&b);
  /* Anchors after the last inline content: a paragraph of their own. */
  if (b.n_anchors && !b.failed && !ensure_inline(&b))
    close_implicit(&b);
  /* Built into a part of a document (an EPUB chapter), the page's title
   * and <meta> are the part's, not the document's. */
  if (!b.failed && b.own_meta)
    hb_finish_meta(&b, tree);
  free(b.text.s);
  free(b.stack);
  free(b.scratch.s);
  free(b.attr.s);
  free(b.anchors);
  hb_ids_free(&b.ids);
  free(b.title);
  free(b.og_title);
  free(b.date);
  free(b.og_date);
  free(b.description);
  free(b.og_description);
  free(b.keywords);
  quire_loc loc = {.file = name};
  if (b.refused) {
    env->svc->error(env, &loc, "internal error: the HTML reader put a %s in "
                               "a %s",
                    env->svc->node_type_name(b.refused_child),
                    env->svc->node_type_name(b.refused_parent));
    return QUIRE_FAILED;
  }
  if (b.res_failed)
    return QUIRE_FATAL;
  if (b.failed) {
    env->svc->error(env, &loc, "out of memory");
    return QUIRE_FATAL;
  }
  if (b.skipped_parts)
    env->svc->warn(env, &loc, "%zu word%s in %zu part%s not carried (%s%s);"
                   " -v lists them", b.skipped_words,
                   b.skipped_words == 1 ? "" : "s", b.skipped_parts,
                   b.skipped_parts == 1 ? "" : "s", b.skipped_first,
                   b.skipped_parts > 1 ? " and others" : "");
  return QUIRE_OK;
}
