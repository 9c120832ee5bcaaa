/* html_read_math.c - math in a page as the model's MATH (TeX source):
 *
 *   - MathML <math>: the TeX of its <annotation encoding="application/x-tex">
 *     (as pandoc and LaTeXML write it), else its alttext, else its text;
 *     display="block" makes it display math;
 *   - pandoc's <span class="math inline">\(...\)</span> and
 *     <span class="math display">\[...\]</span> (or $...$ and $$...$$):
 *     the TeX between the delimiters, when the span holds text only. */
#include <string.h>
#include <strings.h>

#include "html_read_build.h"

static int named(const xmlNode *el, const char *name) {
  return el->type == XML_ELEMENT_NODE &&
         strcasecmp((const char *)el->name, name) == 0;
}

/* A math span holding elements (<em>x</em> ∈ <em>y</em>, pandoc's plain
 * rendering) is rendered math, not TeX: it stays a span. */
int hb_is_math_span(builder *b, const xmlNode *el) {
  if (!named(el, "span"))
    return 0;
  for (const xmlNode *c = el->children; c; c = c->next)
    if (c->type == XML_ELEMENT_NODE)
      return 0;
  const char *c = hb_attr(b, el, "class");
  return c && hb_has_word(c, "math") &&
         (hb_has_word(c, "inline") || hb_has_word(c, "display"));
}

/* The TeX annotation under el, or NULL. */
static xmlNode *tex_annotation(builder *b, xmlNode *el) {
  xmlNode *x = el->children;
  while (x) {
    if (named(x, "annotation")) {
      const char *enc = hb_attr(b, x, "encoding");
      if (enc && (strcasecmp(enc, "application/x-tex") == 0 ||
                  strcasecmp(enc, "tex") == 0 ||
                  strcasecmp(enc, "application/x-latex") == 0))
        return x;
    }
    if (x->type == XML_ELEMENT_NODE && x->children && !named(x, "annotation")) {
      x = x->children;
      continue;
    }
    while (x != el && !x->next)
      x = x->parent;
    x = x == el ? NULL : x->next;
  }
  return NULL;
}

/* The text of MathML el without its annotations, in b->scratch. */
static char *mathml_text(builder *b, xmlNode *el) {
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
    } else if (x->type == XML_ELEMENT_NODE)
      down = !named(x, "annotation") && !named(x, "annotation-xml");
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

/* s without blanks at its ends and, when it has them, the delimiters
 * open/close; its length in *n. */
static const char *strip(const char *s, size_t *n, const char *open,
                         const char *close) {
  s += strspn(s, " \t\n\r\f");
  size_t len = strlen(s);
  while (len && hb_is_space(s[len - 1]))
    len--;
  size_t o = strlen(open), c = strlen(close);
  if (len >= o + c && strncmp(s, open, o) == 0 &&
      strncmp(s + len - c, close, c) == 0) {
    s += o;
    len -= o + c;
    while (len && hb_is_space(*s))
      s++, len--;
    while (len && hb_is_space(s[len - 1]))
      len--;
  }
  *n = len;
  return s;
}

quire_node *hb_math(builder *b, xmlNode *el) {
  int display;
  const char *tex;
  size_t n;
  if (named(el, "span")) {
    const char *c = hb_attr(b, el, "class");
    display = c && hb_has_word(c, "display");
    const char *s = hb_subtree_text(b, el, 1);
    if (!s)
      return NULL;
    /* \( \) and \[ \] (MathJax's), or $ $ and $$ $$ (pandoc's plain) */
    static const char *const delims[][2] = {
        {"\\(", "\\)"}, {"\\[", "\\]"}, {"$$", "$$"}, {"$", "$"}};
    size_t whole;
    strip(s, &whole, "", "");
    tex = s;
    n = whole;
    for (size_t i = 0; i < sizeof delims / sizeof *delims && n == whole; i++)
      tex = strip(s, &n, delims[i][0], delims[i][1]);
  } else {
    const char *d = hb_attr(b, el, "display");
    display = d && strcasecmp(d, "block") == 0;
    xmlNode *a = tex_annotation(b, el);
    const char *s = a ? hb_subtree_text(b, a, 1) : NULL;
    if (!a) {
      s = hb_attr(b, el, "alttext");
      if (!s || !s[strspn(s, " \t\n\r\f")]) {
        s = mathml_text(b, el);
        if (s)
          hb_squash((char *)s);
      }
    }
    if (!s)
      return NULL;
    tex = strip(s, &n, "", "");
  }
  if (!n)
    return NULL;
  quire_node *m = b->svc->node_new_text(b->doc, QUIRE_NODE_MATH, tex, n);
  if (!m) {
    b->failed = 1;
    return NULL;
  }
  m->kind = display ? QUIRE_MATH_DISPLAY : QUIRE_MATH_INLINE;
  return m;
}
