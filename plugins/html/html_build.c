/* html_build.c - a libxml2 (X)HTML tree as a quire document.
 *
 * The tree is walked iteratively (next/parent links and a stack on the
 * heap), so no input depth costs C stack.  Each element is taken for what
 * it means to a reader:
 *
 *   - h1-h6, p, ul/ol/li, blockquote, pre, hr, table/tr/td/th and section
 *     become the model's blocks; dt becomes a paragraph in bold;
 *   - em/i, strong/b, code, a, img and br become inlines;
 *   - header, footer, nav, aside, form, article, main, and the block
 *     containers whose class or id names a part of a page (div
 *     class="comments"), become SECTIONs marked with where they were found
 *     (see "Page parts"), which writers write as their content alone;
 *   - div, span and every other element are containers whose content is
 *     kept in order; inline content standing directly in a block container
 *     becomes a paragraph of its own;
 *   - script, style, template, noscript, iframe, comments and the <head>
 *     (apart from its metadata) are dropped, as is the table of contents
 *     quire writes (<nav role="doc-toc">), which is made from the headings.
 *
 * Whitespace collapses as a browser collapses it: runs become one space
 * (a soft break when the run holds a newline), and none is kept at the
 * start or end of a block or after a line break.  Inline elements are made
 * only when content arrives in them, so empty ones vanish and the space
 * before them stays outside.  A block element met inside inline content
 * (a <p> in a table cell) is flattened into it, its edges acting as spaces.
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

enum kind {
  K_INLINE,      /* a container of inline content: span, u, unknown ... */
  K_BLOCK,       /* a container of blocks: div, article, main ... */
  K_DROP,        /* dropped with its content */
  K_HEAD, K_TITLE, K_META, K_BODY, K_NAV,
  K_SECTION, K_HEADING, K_PARA, K_LIST, K_ITEM, K_TERM, K_QUOTE, K_PRE,
  K_RULE, K_TABLE, K_ROWS, K_HEAD_ROWS, K_ROW, K_CELL,
  K_EMPH, K_STRONG, K_CODE, K_LINK, K_IMAGE, K_BREAK,
  K_FLAT         /* a block flattened into inline content */
};

typedef struct element_kind {
  const char *name;
  unsigned char kind;
} element_kind;

/* Sorted by name, for bsearch. */
static const element_kind kinds[] = {
    {"a", K_LINK},          {"address", K_BLOCK},   {"article", K_BLOCK},
    {"aside", K_BLOCK},     {"b", K_STRONG},        {"base", K_DROP},
    {"blockquote", K_QUOTE}, {"body", K_BODY},      {"br", K_BREAK},
    {"caption", K_PARA},    {"center", K_BLOCK},    {"cite", K_EMPH},
    {"code", K_CODE},       {"colgroup", K_DROP},   {"dd", K_BLOCK},
    {"details", K_BLOCK},   {"dfn", K_EMPH},        {"dialog", K_BLOCK},
    {"dir", K_LIST},        {"div", K_BLOCK},       {"dl", K_BLOCK},
    {"dt", K_TERM},         {"em", K_EMPH},         {"fieldset", K_BLOCK},
    {"figcaption", K_BLOCK}, {"figure", K_BLOCK},   {"footer", K_BLOCK},
    {"form", K_BLOCK},      {"frameset", K_BLOCK},  {"h1", K_HEADING},
    {"h2", K_HEADING},      {"h3", K_HEADING},      {"h4", K_HEADING},
    {"h5", K_HEADING},      {"h6", K_HEADING},      {"head", K_HEAD},
    {"header", K_BLOCK},    {"hgroup", K_BLOCK},    {"hr", K_RULE},
    {"html", K_BLOCK},      {"i", K_EMPH},          {"iframe", K_DROP},
    {"img", K_IMAGE},       {"kbd", K_CODE},        {"legend", K_BLOCK},
    {"li", K_ITEM},         {"link", K_DROP},       {"listing", K_PRE},
    {"main", K_BLOCK},      {"menu", K_LIST},       {"meta", K_META},
    {"nav", K_NAV},         {"noembed", K_DROP},    {"noframes", K_DROP},
    {"noscript", K_DROP},   {"ol", K_LIST},         {"optgroup", K_BLOCK},
    {"option", K_BLOCK},    {"p", K_PARA},          {"plaintext", K_PRE},
    {"pre", K_PRE},         {"samp", K_CODE},       {"script", K_DROP},
    {"search", K_BLOCK},    {"section", K_SECTION}, {"strong", K_STRONG},
    {"style", K_DROP},      {"summary", K_BLOCK},   {"table", K_TABLE},
    {"tbody", K_ROWS},      {"td", K_CELL},         {"template", K_DROP},
    {"tfoot", K_ROWS},      {"th", K_CELL},         {"thead", K_HEAD_ROWS},
    {"title", K_TITLE},     {"tr", K_ROW},          {"tt", K_CODE},
    {"ul", K_LIST},         {"xmp", K_PRE},
};

static int compare_kind(const void *key, const void *item) {
  return strcasecmp(key, ((const element_kind *)item)->name);
}

static const char xhtml_ns[] = "http://www.w3.org/1999/xhtml";

static int kind_of(const xmlNode *el) {
  const char *name = (const char *)el->name;
  /* SVG and MathML inside XHTML: their text is kept, their scripts and
   * styles dropped. */
  if (el->ns && el->ns->href && strcmp((const char *)el->ns->href, xhtml_ns))
    return strcmp(name, "script") == 0 || strcmp(name, "style") == 0
               ? K_DROP
               : K_INLINE;
  const element_kind *k = bsearch(name, kinds, sizeof kinds / sizeof *kinds,
                                  sizeof *kinds, compare_kind);
  return k ? k->kind : K_INLINE;
}

static int is_block_kind(int kind) {
  return kind == K_BLOCK || kind == K_BODY || kind == K_NAV ||
         (kind >= K_SECTION && kind <= K_CELL);
}

/* ---- State --------------------------------------------------------------- */

typedef struct frame {
  xmlNode *el;
  unsigned char kind;           /* what the element was taken as */
  unsigned char pending;        /* an inline waiting for content */
  unsigned char strong;         /* a term's paragraph got its <strong> */
  quire_node *made;             /* the node it made, or NULL */
  quire_node *blk, *inl, *foster;   /* the context to restore */
  unsigned blk_depth, inl_depth, foster_depth;
  int in_head_rows;
  unsigned row_cells, row_heads;
} frame;

typedef struct buf {
  char *s;
  size_t n, cap;
} buf;

typedef struct builder {
  quire_env *env;
  const quire_services *svc;
  quire_doc *doc;
  const char *name;
  int failed;                   /* out of memory, or refused below */
  int refused;                  /* the model refused an append: a bug */
  quire_node_type refused_parent, refused_child;
  uint64_t max_depth;
  int flattened;                /* the depth warning was given */
  int entity_warned;
  int in_body;
  int own_meta;                 /* the metadata is the document's */

  quire_node *blk;              /* where blocks go */
  unsigned blk_depth;
  quire_node *inl;              /* where inlines go, or NULL */
  unsigned inl_depth;
  quire_node *implicit;         /* the paragraph opened for loose inlines */
  quire_node *implicit_item;    /* the item opened for loose list content */
  quire_node *foster;           /* where loose content of a table goes */
  unsigned foster_depth;
  int in_head_rows;
  unsigned row_cells, row_heads;

  buf text;                     /* text not yet in a node */
  int ws;                       /* pending whitespace: 0, ' ' or '\n' */
  int line_start;               /* nothing yet on this line of the block */
  int after_space;              /* the last thing written was a space */

  frame *stack;
  size_t depth, cap;
  size_t pending_from;          /* first frame with a pending inline */
  unsigned open[K_FLAT];        /* inline nodes open, by kind */

  buf scratch;                  /* the text under an element */
  buf attr;                     /* the attribute value read last */

  char *title, *og_title, *date, *og_date, *description, *og_description,
      *keywords;
} builder;

#define NONE SIZE_MAX

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

static int put(builder *b, buf *x, const char *s, size_t n) {
  if (reserve(b, x, n))
    return 1;
  memcpy(x->s + x->n, s, n);
  x->n += n;
  x->s[x->n] = '\0';
  return 0;
}

/* Appends child to parent; non-zero when the model refuses.  The builder
 * puts blocks only where blocks may go (block_parent), inlines only in
 * b->inl and rows and cells only in tables and rows, so a refusal is a bug
 * here: it stops the walk and is reported as an internal error. */
static int attach(builder *b, quire_node *parent, quire_node *child) {
  if (b->svc->node_append(parent, child) == QUIRE_OK)
    return 0;
  if (!b->refused) {
    b->refused = 1;
    b->refused_parent = parent->type;
    b->refused_child = child->type;
  }
  return b->failed = 1;
}

/* A new node of `type`, appended to parent unless parent is NULL. */
static quire_node *add(builder *b, quire_node *parent, quire_node_type type) {
  quire_node *n = b->svc->node_new(b->doc, type);
  if (!n) {
    b->failed = 1;
    return NULL;
  }
  if (parent && attach(b, parent, n))
    return NULL;
  return n;
}

static char *dup_doc(builder *b, const char *s, size_t n) {
  char *d = b->svc->strndup(b->doc, s, n);
  if (!d)
    b->failed = 1;
  return d;
}

static int is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

/* Collapses whitespace runs of s to single spaces and trims it. */
static size_t squash(char *s) {
  size_t w = 0;
  int space = 0;
  for (const char *p = s; *p; p++) {
    if (is_space(*p)) {
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

/* ---- Attributes ------------------------------------------------------------
 * Values are read from the attribute's children rather than with
 * xmlGetProp, which would expand the document's own entities. */

static const char *attr(builder *b, const xmlNode *el, const char *name) {
  for (const xmlAttr *a = el->properties; a; a = a->next) {
    if (strcasecmp((const char *)a->name, name) != 0)
      continue;
    b->attr.n = 0;
    if (put(b, &b->attr, "", 0))
      return NULL;
    for (const xmlNode *c = a->children; c; c = c->next) {
      const char *s = (const char *)(c->type == XML_ENTITY_REF_NODE ? c->name
                                                                    : c->content);
      if (!s)
        continue;
      if (c->type == XML_ENTITY_REF_NODE)
        put(b, &b->attr, "&", 1);
      put(b, &b->attr, s, strlen(s));
      if (c->type == XML_ENTITY_REF_NODE)
        put(b, &b->attr, ";", 1);
    }
    return b->failed ? NULL : b->attr.s;
  }
  return NULL;
}

/* ---- Page parts -------------------------------------------------------------
 * A transform that removes a page's chrome (menus, footers, comments) needs
 * to know where the page's parts were, which the containers flattened into
 * their parent would hide.  So the layout elements, and the block
 * containers whose class or id tells what part of a page they are, become
 * SECTIONs whose info says where they were found ("footer .site #colophon",
 * see model.h); writers write such a section as its content alone. */

static const char *const layout_tags[] = {
    "header", "footer", "nav", "aside", "form", "article", "main"};

/* Words that, in a class or id, name a part of a page (matched anywhere,
 * ignoring case: "entry-content", "commentlist", "sidebar-widget"). */
static const char *const part_words[] = {
    "article", "content", "entry", "main", "post", "story", "text", "body",
    "blog", "comment", "meta", "footer", "footnote", "masthead", "related",
    "share", "social", "sidebar", "sponsor", "ad", "advert", "promo", "nav",
    "menu", "widget", "cookie", "consent", "newsletter", "subscribe",
    "signup", "breadcrumb", "header", "banner", "popup", "modal", "tags",
    "author", "byline", "login", "search", "pagination"};

#define INFO_MAX 200   /* the longest SECTION info kept, in bytes */

static int contains_nocase(const char *s, const char *word) {
  size_t n = strlen(word);
  for (; *s; s++)
    if (strncasecmp(s, word, n) == 0)
      return 1;
  return 0;
}

static int tells_part(const char *value) {
  if (!value)
    return 0;
  for (size_t i = 0; i < sizeof part_words / sizeof *part_words; i++)
    if (contains_nocase(value, part_words[i]))
      return 1;
  return 0;
}

/* Non-zero when el, a container of blocks, is a part of the page worth a
 * SECTION.  `listed` is its kind from the table: <body> and <html> are the
 * page itself, not a part of it, whatever their classes say. */
static int page_part(builder *b, xmlNode *el, int listed) {
  const char *name = (const char *)el->name;
  if (listed != K_BLOCK && listed != K_NAV)
    return 0;
  if (strcasecmp(name, "html") == 0)
    return 0;
  for (size_t i = 0; i < sizeof layout_tags / sizeof *layout_tags; i++)
    if (strcasecmp(name, layout_tags[i]) == 0)
      return 1;
  return tells_part(attr(b, el, "class")) || tells_part(attr(b, el, "id"));
}

/* Appends s[0..n) to info[*len], after a space, unless that would pass
 * INFO_MAX: a token that does not fit is left out whole, so the info stays
 * valid UTF-8 and made of whole words. */
static void info_token(char *info, size_t *len, const char *mark,
                       const char *s, size_t n) {
  size_t m = strlen(mark);
  if (!n || *len + 1 + m + n > INFO_MAX)
    return;
  info[(*len)++] = ' ';
  memcpy(info + *len, mark, m);
  memcpy(info + *len + m, s, n);
  *len += m + n;
}

/* "TAG .class .class #id", in the document's arena, for a SECTION's info. */
static const char *section_info(builder *b, xmlNode *el) {
  char info[INFO_MAX + 1];
  size_t len = 0;
  for (const char *p = (const char *)el->name; *p && len < INFO_MAX; p++)
    info[len++] = (*p >= 'A' && *p <= 'Z') ? (char)(*p - 'A' + 'a') : *p;
  for (const char *p = attr(b, el, "class"); p && *p;) {
    p += strspn(p, " \t\n\r\f");
    size_t n = strcspn(p, " \t\n\r\f");
    info_token(info, &len, ".", p, n);
    p += n;
  }
  const char *id = attr(b, el, "id");
  if (id) {
    id += strspn(id, " \t\n\r\f");
    info_token(info, &len, "#", id, strcspn(id, " \t\n\r\f"));
  }
  return dup_doc(b, info, len);
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
    long line = xmlGetLineNo(el);
    quire_loc loc = {.file = b->name, .line = line > 0 ? (unsigned long)line : 0};
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
  return attach(b, b->inl, t);
}

static void start_inline(builder *b, quire_node *n, unsigned depth) {
  b->inl = n;
  b->inl_depth = depth;
  b->ws = 0;
  b->line_start = 1;
  b->after_space = 1;
}

/* Where a block goes: lists and tables hold only items and rows, so other
 * content goes into an item made for it, or before the table. */
static quire_node *block_parent(builder *b, unsigned *depth) {
  switch (b->blk->type) {
  case QUIRE_NODE_BULLET_LIST:
  case QUIRE_NODE_ORDERED_LIST:
    if (!b->implicit_item || b->implicit_item != b->blk->last_child)
      b->implicit_item = add(b, b->blk, QUIRE_NODE_ITEM);
    *depth = b->blk_depth + 1;
    return b->implicit_item;
  case QUIRE_NODE_TABLE:
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
  quire_node *p = parent ? add(b, parent, QUIRE_NODE_PARAGRAPH) : NULL;
  if (!p)
    return 1;
  b->implicit = p;
  start_inline(b, p, depth + 1);
  return 0;
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
    if (b->open[f->kind] || !fits(b, f->el, b->inl_depth, 1))
      continue;
    static const quire_node_type types[] = {
        [K_EMPH] = QUIRE_NODE_EMPH, [K_STRONG] = QUIRE_NODE_STRONG,
        [K_LINK] = QUIRE_NODE_LINK};
    if (flush(b))
      return 1;
    quire_node *n = add(b, b->inl, types[f->kind]);
    if (!n)
      return 1;
    if (f->kind == K_LINK) {
      const char *href = attr(b, f->el, "href");
      n->url = href ? dup_doc(b, href, strlen(href)) : NULL;
      const char *title = attr(b, f->el, "title");
      if (title && squash((char *)title))
        n->title = dup_doc(b, title, strlen(title));
    }
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
      if (flush(b) || !add(b, b->inl, QUIRE_NODE_SOFT_BREAK))
        return 1;
    } else if (put(b, &b->text, " ", 1))
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
    if (content(b) || put(b, &b->text, s, n))
      return 1;
    b->after_space = 0;
    s += n;
  }
  return 0;
}

/* ---- Subtree text ------------------------------------------------------ */

/* The text under el, in b->scratch: verbatim (for pre, with <br> as a
 * newline) or not. */
static char *subtree_text(builder *b, xmlNode *el, int verbatim) {
  b->scratch.n = 0;
  if (put(b, &b->scratch, "", 0))
    return NULL;
  xmlNode *x = el->children;
  while (x) {
    int down = 0;
    if (x->type == XML_TEXT_NODE || x->type == XML_CDATA_SECTION_NODE) {
      if (x->content)
        put(b, &b->scratch, (const char *)x->content,
            strlen((const char *)x->content));
    } else if (x->type == XML_ENTITY_REF_NODE) {
      put(b, &b->scratch, "&", 1);
      put(b, &b->scratch, (const char *)x->name, strlen((const char *)x->name));
      put(b, &b->scratch, ";", 1);
    } else if (x->type == XML_ELEMENT_NODE) {
      int k = kind_of(x);
      if (k == K_BREAK)
        put(b, &b->scratch, verbatim ? "\n" : " ", 1);
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

/* Non-zero when a paragraph or heading holds nothing to show. */
static int empty_inline_block(const builder *b, const quire_node *n) {
  quire_iter it;
  b->svc->iter_init(&it, n);
  while (b->svc->iter_next(&it) != QUIRE_EV_DONE) {
    quire_node_type t = it.node->type;
    if ((t == QUIRE_NODE_TEXT && it.node->len) || t == QUIRE_NODE_CODE ||
        t == QUIRE_NODE_IMAGE)
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
  char *s = subtree_text(b, el, 1);
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
  quire_node *n = parent ? add(b, parent, QUIRE_NODE_CODE_BLOCK) : NULL;
  if (!n)
    return 1;
  n->text = dup_doc(b, s, w);
  n->len = w;
  /* The language: from <pre class> or its <code class>. */
  const char *lang = language_of(attr(b, el, "class"));
  for (xmlNode *c = el->children; !lang && c; c = c->next)
    if (c->type == XML_ELEMENT_NODE && kind_of(c) == K_CODE)
      lang = language_of(attr(b, c, "class"));
  if (lang)
    n->info = dup_doc(b, lang, strcspn(lang, " \t\n\r\f"));
  return b->failed;
}

/* Inline code, or a <pre> flattened into inline content. */
static int inline_code(builder *b, xmlNode *el) {
  char *s = subtree_text(b, el, 0);
  if (!s)
    return 1;
  int lead = is_space(s[0]);
  int trail = b->scratch.n && is_space(s[b->scratch.n - 1]);
  size_t n = squash(s);
  if (lead)
    pend_space(b, 0);
  if (n) {
    char *copy = dup_doc(b, s, n);
    if (!copy || content(b) || flush(b))
      return 1;
    quire_node *c = add(b, b->inl, QUIRE_NODE_CODE);
    if (!c)
      return 1;
    c->text = copy;
    c->len = n;
    b->after_space = 0;
  }
  if (trail)
    pend_space(b, 0);
  return 0;
}

static int image(builder *b, xmlNode *el) {
  const char *a = attr(b, el, "alt");
  char *alt = a ? dup_doc(b, a, strlen(a)) : NULL;
  size_t alt_len = alt ? squash(alt) : 0;
  const char *src = attr(b, el, "src");
  int has_src = src && src[strspn(src, " \t\n\r\f")];
  if (!has_src && !alt_len)
    return b->failed;
  if (content(b))
    return 1;
  if (!has_src || (alt_len && !fits(b, el, b->inl_depth, 1))) {
    /* An image without a source, or without room for its alt text under
     * it: the alt text stays, as text. */
    b->after_space = 0;
    return put(b, &b->text, alt, alt_len);
  }
  if (flush(b))
    return 1;
  quire_node *n = add(b, b->inl, QUIRE_NODE_IMAGE);
  if (!n)
    return 1;
  src = attr(b, el, "src");
  n->url = dup_doc(b, src, strlen(src));
  const char *title = attr(b, el, "title");
  if (title && squash((char *)title))
    n->title = dup_doc(b, title, strlen(title));
  if (alt_len) {
    quire_node *t = b->svc->node_new_text(b->doc, QUIRE_NODE_TEXT, alt, alt_len);
    if (!t)
      return b->failed = 1;
    if (attach(b, n, t))
      return 1;
  }
  b->after_space = 0;
  return b->failed;
}

static int line_break(builder *b) {
  b->ws = 0;
  if (content(b) || flush(b) || !add(b, b->inl, QUIRE_NODE_LINE_BREAK))
    return 1;
  b->line_start = 1;
  b->after_space = 1;
  return 0;
}

static int rule(builder *b) {
  unsigned depth;
  quire_node *parent = block_parent(b, &depth);
  return !parent || !add(b, parent, QUIRE_NODE_THEMATIC_BREAK);
}

static quire_align align_of(builder *b, xmlNode *el) {
  const char *a = attr(b, el, "align");
  const char *style = a ? NULL : attr(b, el, "style");
  const char *p = style ? strstr(style, "text-align") : NULL;
  if (p) {
    p += 10;
    p += strspn(p, " \t:");
    a = p;
  }
  if (!a)
    return QUIRE_ALIGN_NONE;
  if (strncasecmp(a, "left", 4) == 0)
    return QUIRE_ALIGN_LEFT;
  if (strncasecmp(a, "center", 6) == 0)
    return QUIRE_ALIGN_CENTER;
  if (strncasecmp(a, "right", 5) == 0)
    return QUIRE_ALIGN_RIGHT;
  return QUIRE_ALIGN_NONE;
}

/* ---- Metadata ------------------------------------------------------------ */

static void keep(builder *b, char **slot, const char *value) {
  if (*slot || !value)
    return;
  char *copy = strdup(value);
  if (!copy) {
    b->failed = 1;
    return;
  }
  if (!squash(copy)) {
    free(copy);
    return;
  }
  *slot = copy;
}

static void meta(builder *b, xmlNode *el) {
  const char *c = attr(b, el, "content");
  if (!c || !b->own_meta)
    return;
  char *content = strdup(c);
  if (!content) {
    b->failed = 1;
    return;
  }
  const char *name = attr(b, el, "name");
  if (!name)
    name = attr(b, el, "property");
  if (name && squash(content)) {
    if (strcasecmp(name, "author") == 0) {
      if (b->svc->meta_add(b->doc, QUIRE_META_AUTHOR, content) != QUIRE_OK)
        b->failed = 1;
    } else if (strcasecmp(name, "description") == 0)
      keep(b, &b->description, content);
    else if (strcasecmp(name, "keywords") == 0)
      keep(b, &b->keywords, content);
    else if (strcasecmp(name, "date") == 0 ||
             strcasecmp(name, "dcterms.date") == 0 ||
             strcasecmp(name, "dc.date") == 0)
      keep(b, &b->date, content);
    else if (strcasecmp(name, "og:title") == 0)
      keep(b, &b->og_title, content);
    else if (strcasecmp(name, "og:description") == 0)
      keep(b, &b->og_description, content);
    else if (strcasecmp(name, "article:published_time") == 0)
      keep(b, &b->og_date, content);
  }
  free(content);
}

/* The <head>: its title and <meta> elements; nothing else of it shows. */
static void head(builder *b, xmlNode *el) {
  xmlNode *x = el->children;
  while (x && !b->failed) {
    int down = 0;
    if (x->type == XML_ELEMENT_NODE) {
      int k = kind_of(x);
      if (k == K_TITLE)
        keep(b, &b->title, subtree_text(b, x, 0));
      else if (k == K_META)
        meta(b, x);
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
}

/* The plain text of the first level-1 heading, for a page without title. */
static char *first_h1(builder *b) {
  quire_iter it;
  b->svc->iter_init(&it, b->doc->root);
  const quire_node *h = NULL;
  b->scratch.n = 0;
  if (put(b, &b->scratch, "", 0))
    return NULL;
  while (b->svc->iter_next(&it) != QUIRE_EV_DONE) {
    const quire_node *n = it.node;
    if (!h) {
      if (n->type == QUIRE_NODE_HEADING && n->level == 1 &&
          it.event == QUIRE_EV_ENTER)
        h = n;
      continue;
    }
    if (n == h)
      break;
    if (n->type == QUIRE_NODE_TEXT || n->type == QUIRE_NODE_CODE)
      put(b, &b->scratch, n->text, n->len);
    else if (n->type == QUIRE_NODE_SOFT_BREAK ||
             n->type == QUIRE_NODE_LINE_BREAK)
      put(b, &b->scratch, " ", 1);
  }
  return h && squash(b->scratch.s) ? b->scratch.s : NULL;
}

static void finish_meta(builder *b, xmlDoc *tree) {
  const quire_services *svc = b->svc;
  const char *title = b->title ? b->title : b->og_title ? b->og_title
                                                        : first_h1(b);
  const char *date = b->date ? b->date : b->og_date;
  const char *description = b->description ? b->description
                                           : b->og_description;
  xmlNode *root = xmlDocGetRootElement(tree);
  const char *lang = root ? attr(b, root, "lang") : NULL;
  char *language = lang ? strdup(lang) : NULL;
  if ((title && svc->meta_set(b->doc, QUIRE_META_TITLE, title)) ||
      (date && svc->meta_set(b->doc, QUIRE_META_DATE, date)) ||
      (description &&
       svc->meta_set(b->doc, QUIRE_META_DESCRIPTION, description)) ||
      (b->keywords && svc->meta_set(b->doc, "keywords", b->keywords)) ||
      (lang && !language) ||
      (language && squash(language) &&
       svc->meta_set(b->doc, QUIRE_META_LANGUAGE, language)))
    b->failed = 1;
  free(language);
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
               .in_head_rows = b->in_head_rows, .row_cells = b->row_cells,
               .row_heads = b->row_heads};
  return f;
}

/* A new block container under the current block parent. */
static quire_node *open_block(builder *b, xmlNode *el, quire_node_type type,
                              unsigned below) {
  unsigned depth;
  quire_node *parent = block_parent(b, &depth);
  if (!parent || !fits(b, el, depth, below))
    return NULL;
  quire_node *n = add(b, parent, type);
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
  quire_node *n = parent ? add(b, parent, type) : NULL;
  if (n)
    start_inline(b, n, depth + 1);
  return n;
}

static int is_list(const quire_node *n) {
  return n->type == QUIRE_NODE_BULLET_LIST ||
         n->type == QUIRE_NODE_ORDERED_LIST;
}

/* A block element where blocks may go.  Returns the frame's kind. */
static int enter_block(builder *b, xmlNode *el, int kind, frame *f) {
  quire_node *n = NULL;
  switch (kind) {
  case K_SECTION:
    n = open_block(b, el, QUIRE_NODE_SECTION, 2);
    if (n)
      n->info = section_info(b, el);
    break;
  case K_QUOTE:
    n = open_block(b, el, QUIRE_NODE_BLOCK_QUOTE, 2);
    break;
  case K_LIST: {
    int ordered = strcasecmp((const char *)el->name, "ol") == 0;
    n = open_block(b, el, ordered ? QUIRE_NODE_ORDERED_LIST
                                  : QUIRE_NODE_BULLET_LIST, 3);
    if (n && ordered) {
      const char *start = attr(b, el, "start");
      long v = start ? strtol(start, NULL, 10) : 1;
      n->start = v < -1000000000L ? -1000000000
               : v > 1000000000L  ? 1000000000
                                  : (int)v;
    }
    break;
  }
  case K_ITEM:
    if (!is_list(b->blk))
      return K_BLOCK;
    n = add(b, b->blk, QUIRE_NODE_ITEM);
    if (n) {
      b->blk = n;
      b->blk_depth++;
    }
    b->implicit_item = NULL;
    break;
  case K_HEADING:
    n = open_text_block(b, QUIRE_NODE_HEADING);
    if (n)
      n->level = el->name[1] - '0';
    break;
  case K_PARA:
    n = open_text_block(b, QUIRE_NODE_PARAGRAPH);
    break;
  case K_TERM:
    n = open_text_block(b, QUIRE_NODE_PARAGRAPH);
    if (n && fits(b, el, b->inl_depth, 1)) {
      quire_node *s = add(b, n, QUIRE_NODE_STRONG);
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
    if (!parent || !fits(b, el, depth, 3))
      return K_BLOCK;
    /* Made apart and put in place at its end, so that a caption and loose
     * content, which go before it, do. */
    n = add(b, NULL, QUIRE_NODE_TABLE);
    if (n) {
      b->foster = parent;
      b->foster_depth = depth;
      b->blk = n;
      b->blk_depth = depth + 1;
      b->in_head_rows = 0;
    }
    break;
  }
  case K_ROWS:
  case K_HEAD_ROWS:
    if (b->blk->type != QUIRE_NODE_TABLE)
      return K_BLOCK;
    b->in_head_rows = kind == K_HEAD_ROWS;
    return kind;
  case K_ROW:
    if (b->blk->type != QUIRE_NODE_TABLE)
      return K_BLOCK;
    n = add(b, b->blk, QUIRE_NODE_TABLE_ROW);
    if (n) {
      b->blk = n;
      b->blk_depth++;
      b->row_cells = b->row_heads = 0;
    }
    break;
  case K_CELL:
    if (b->blk->type != QUIRE_NODE_TABLE_ROW)
      return K_BLOCK;
    n = add(b, b->blk, QUIRE_NODE_TABLE_CELL);
    if (n) {
      n->align = align_of(b, el);
      start_inline(b, n, b->blk_depth + 1);
      b->row_cells++;
      b->row_heads += strcasecmp((const char *)el->name, "th") == 0;
    }
    break;
  default:
    return kind;
  }
  f->made = n;
  return n ? kind : K_BLOCK;
}

static int drop_pending(builder *b) {
  for (size_t i = b->pending_from; i < b->depth; i++)
    b->stack[i].pending = 0;
  b->pending_from = NONE;
  return 0;
}

/* Starts element el.  Returns 1 when its content is to be walked (a frame
 * was pushed), 0 when it was dealt with whole. */
static int enter(builder *b, xmlNode *el) {
  int kind = kind_of(el);
  int listed = kind;
  switch (kind) {
  case K_DROP:
    return 0;
  case K_HEAD:
    head(b, el);
    return 0;
  case K_META:
    meta(b, el);
    return 0;
  case K_TITLE:
    /* A title in the body (an SVG's) is text like any other. */
    if (!b->in_body) {
      keep(b, &b->title, subtree_text(b, el, 0));
      return 0;
    }
    kind = K_INLINE;
    break;
  case K_NAV: {
    const char *role = attr(b, el, "role");
    if (role && strcasecmp(role, "doc-toc") == 0)
      return 0;
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
  case K_BREAK:
    line_break(b);
    return 0;
  case K_CODE:
    inline_code(b, el);
    return 0;
  default:
    break;
  }
  /* A page part is kept as a SECTION only where blocks go straight into
   * the current block.  In a list or a table the items, rows and cells it
   * may hold must still reach the list or table (<table><form><tr>), so
   * there it stays a plain container, as before. */
  if (kind == K_BLOCK && b->blk->type != QUIRE_NODE_BULLET_LIST &&
      b->blk->type != QUIRE_NODE_ORDERED_LIST &&
      b->blk->type != QUIRE_NODE_TABLE &&
      b->blk->type != QUIRE_NODE_TABLE_ROW && page_part(b, el, listed))
    kind = K_SECTION;
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
      rule(b);
      return 0;
    }
  }
  frame *f = push(b, el, kind);
  if (!f)
    return 0;
  if (kind == K_EMPH || kind == K_STRONG ||
      (kind == K_LINK && attr(b, el, "href"))) {
    f->pending = 1;
    if (b->pending_from == NONE)
      b->pending_from = b->depth - 1;
  } else if (kind == K_LINK)
    f->kind = K_INLINE;
  else if (is_block_kind(kind))
    f->kind = (unsigned char)enter_block(b, el, kind, f);
  return 1;
}

/* Ends the element on top of the stack. */
static void leave(builder *b) {
  frame *f = &b->stack[--b->depth];
  if (b->pending_from == b->depth)
    b->pending_from = NONE;
  quire_node *n = f->made;
  switch (f->kind) {
  case K_FLAT:
    pend_space(b, 0);
    return;
  case K_EMPH:
  case K_STRONG:
  case K_LINK:
    if (n) {
      flush(b);
      b->inl = f->inl;
      b->inl_depth = f->inl_depth;
      b->open[f->kind]--;
    }
    return;
  case K_INLINE:
    return;
  default:
    break;
  }
  /* A block: end the inline content opened in it. */
  close_implicit(b);
  if (f->strong)
    b->open[K_STRONG]--;
  if (n && (f->kind == K_PARA || f->kind == K_HEADING || f->kind == K_TERM ||
            f->kind == K_CELL)) {
    flush(b);
    if (f->kind != K_CELL && empty_inline_block(b, n))
      b->svc->node_unlink(n);
  } else if (n && f->kind == K_ROW) {
    /* A heading row: in <thead>, or made of <th> cells only. */
    n->header = b->in_head_rows ||
                (b->row_cells && b->row_heads == b->row_cells);
    if (!n->first_child)
      b->svc->node_unlink(n);
  } else if (n && f->kind == K_TABLE) {
    if (n->first_child)
      attach(b, b->foster, n);
  } else if (n && (f->kind == K_LIST || f->kind == K_ITEM ||
                   f->kind == K_SECTION || f->kind == K_QUOTE) &&
             !n->first_child)
    b->svc->node_unlink(n);
  b->blk = f->blk;
  b->blk_depth = f->blk_depth;
  b->inl = f->inl;
  b->inl_depth = f->inl_depth;
  b->foster = f->foster;
  b->foster_depth = f->foster_depth;
  b->in_head_rows = f->in_head_rows;
  if (f->kind == K_ROW) {
    /* the cells counted are this row's; a cell's end keeps its count */
    b->row_cells = f->row_cells;
    b->row_heads = f->row_heads;
  }
}

/* Text met in the walk. */
static void text_node(builder *b, xmlNode *x) {
  if (x->type == XML_ENTITY_REF_NODE) {
    /* The document's own entities are not expanded; they stay visible. */
    if (!b->entity_warned) {
      b->entity_warned = 1;
      long line = xmlGetLineNo(x);
      quire_loc loc = {.file = b->name,
                       .line = line > 0 ? (unsigned long)line : 0};
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
               quire_doc *doc) {
  return html_build_into(env, name, tree, doc, doc->root);
}

int html_build_into(quire_env *env, const char *name, xmlDoc *tree,
                    quire_doc *doc, quire_node *parent) {
  builder b = {.env = env, .svc = env->svc, .doc = doc, .name = name,
               .blk = parent, .pending_from = NONE};
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
  /* Built into a part of a document (an EPUB chapter), the page's title
   * and <meta> are the part's, not the document's. */
  if (!b.failed && b.own_meta)
    finish_meta(&b, tree);
  free(b.text.s);
  free(b.stack);
  free(b.scratch.s);
  free(b.attr.s);
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
  if (b.failed) {
    env->svc->error(env, &loc, "out of memory");
    return QUIRE_FATAL;
  }
  return QUIRE_OK;
}
