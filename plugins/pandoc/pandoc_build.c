/* pandoc_build.c - pandoc's blocks into quire's model; the inlines are
 * pandoc_build_inline.c's, the tables pandoc_build_table.c's.  One to
 * one, each element to its node, attributes (Attr) included:
 *
 *   Para, Plain          PARAGRAPH; a list whose items hold Plain and no
 *                        Para is tight (a definition list likewise)
 *   Para [Image "fig:"]  (1.22: pandoc 2's implicit figure) FIGURE holding
 *                        the image in a PARAGRAPH, and a CAPTION of its
 *                        description
 *   LineBlock            LINE_BLOCK of LINEs
 *   Header               HEADING (level clamped to 1-6, with a warning)
 *   CodeBlock            CODE_BLOCK, info = its first class, the others
 *                        its classes
 *   RawBlock, RawInline  RAW_BLOCK, RAW_INLINE, info = the format
 *   BlockQuote           BLOCK_QUOTE
 *   BulletList           BULLET_LIST of ITEMs
 *   OrderedList          ORDERED_LIST: start, style, delimiter (Example
 *                        numbering read as Decimal, with a warning)
 *   DefinitionList       DEFINITION_LIST: per term a TERM, then a
 *                        DEFINITION for each of its definitions
 *   HorizontalRule       THEMATIC_BREAK
 *   Table                TABLE (pandoc_build_table.c)
 *   Figure (1.23)        FIGURE: its blocks, then its CAPTION
 *   Div                  DIV; SECTION when it has the class "section" or
 *                        the pair "data-info" (info); FIGURE when it has
 *                        the class "figure" and ends with a Div of class
 *                        "caption" (what quire writes for 1.22)
 *   Null                 nothing
 *   (inlines: pandoc_build_inline.c)
 *
 * A warning names what was lost and counts it, once per document.  An
 * element whose "t" is unknown, or whose content has the wrong shape, is
 * an error naming it and the top-level block it is in.
 *
 * The walk recurses, one call per element: jansson refuses input nested
 * deeper than 2048 arrays and objects, and every element takes at least
 * one, so the stack stays bounded.  Containers nested deeper than the limit
 * max-depth are flattened into their ancestor, their text kept, with one
 * warning. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pandoc_build.h"

const char *pandoc_tag(const json_t *el) {
  return json_string_value(json_object_get(el, "t"));
}

/* ---- Helpers (pandoc_build.h) ------------------------------------------- */

int build_oom(pandoc_builder *b) {
  quire_loc loc = {.file = b->name};
  b->svc->error(b->env, &loc, "out of memory");
  return QUIRE_FATAL;
}

int build_malformed(pandoc_builder *b, const char *what) {
  quire_loc loc = {.file = b->name};
  b->svc->error(b->env, &loc, "malformed pandoc %s in top-level block %zu",
                what, b->block);
  return QUIRE_FAILED;
}

int build_unknown(pandoc_builder *b, const char *kind, const char *t) {
  quire_loc loc = {.file = b->name};
  b->svc->error(b->env, &loc,
                "unknown pandoc %s element '%s' in top-level block %zu", kind,
                t, b->block);
  return QUIRE_FAILED;
}

int build_fits(pandoc_builder *b, unsigned depth, unsigned below) {
  if ((uint64_t)depth + 1 + below <= b->max_depth)
    return 1;
  if (!b->flattened) {
    b->flattened = 1;
    quire_loc loc = {.file = b->name};
    b->svc->warn(b->env, &loc,
                 "content nested deeper than %llu levels flattened into its "
                 "ancestor (raise the limit with --limit max-depth=N)",
                 (unsigned long long)b->max_depth);
  }
  return 0;
}

/* The builder only places nodes where the model allows them, so a
 * failure here is memory. */
quire_node *build_add(pandoc_builder *b, quire_node *parent,
                      quire_node_type type) {
  quire_node *n = b->svc->node_new(b->doc, type);
  if (n && b->svc->node_append(parent, n) == QUIRE_OK)
    return n;
  return NULL;
}

quire_node *build_add_text(pandoc_builder *b, quire_node *parent,
                           quire_node_type type, const json_t *s) {
  quire_node *n = b->svc->node_new_text(b->doc, type, json_string_value(s),
                                        json_string_length(s));
  if (n && b->svc->node_append(parent, n) == QUIRE_OK)
    return n;
  return NULL;
}

const char *build_dup(pandoc_builder *b, const json_t *s) {
  size_t n = json_string_length(s);
  if (!n)
    return NULL;
  const char *p = b->svc->strndup(b->doc, json_string_value(s), n);
  if (!p)
    b->text.failed = 1;
  return p;
}

void build_text(pandoc_builder *b, const char *s) { json_out_puts(&b->text, s); }

/* A space between flattened pieces, unless one is there. */
void build_space(pandoc_builder *b) {
  if (!b->text.len || b->text.s[b->text.len - 1] != ' ')
    json_out_put(&b->text, " ", 1);
}

int build_flush(pandoc_builder *b, quire_node *parent) {
  if (b->text.failed)
    return build_oom(b);
  if (!b->text.len)
    return QUIRE_OK;
  quire_node *t = b->svc->node_new_text(b->doc, QUIRE_NODE_TEXT, b->text.s,
                                        b->text.len);
  json_out_clear(&b->text);
  if (!t || b->svc->node_append(parent, t) != QUIRE_OK)
    return build_oom(b);
  return QUIRE_OK;
}

/* ---- Attributes -------------------------------------------------------------- */

int attr_has_class(const json_t *attr, const char *name) {
  size_t i;
  const json_t *c;
  json_array_foreach(json_array_get(attr, 1), i, c)
    if (pandoc_is(json_string_value(c), name))
      return 1;
  return 0;
}

int build_attr(pandoc_builder *b, quire_node *node, const json_t *attr,
               const char *drop, const char **info) {
  const json_t *id = json_array_get(attr, 0);
  const json_t *classes = json_array_get(attr, 1);
  const json_t *pairs = json_array_get(attr, 2);
  if (!json_is_string(id) || !json_is_array(classes) ||
      !json_is_array(pairs))
    return build_malformed(b, "Attr");
  if (json_array_size(pairs) > PANDOC_MAX_ATTRS)
    return build_malformed(b, "Attr (more than 1024 pairs)");
  const quire_services *svc = b->svc;
  if (json_string_length(id) &&
      svc->node_set_attr(b->doc, node, "id", json_string_value(id)) != QUIRE_OK)
    return build_oom(b);
  json_out joined = {0};
  size_t i;
  const json_t *c;
  json_array_foreach(classes, i, c) {
    const char *name = json_string_value(c);
    if (!name) {
      json_out_free(&joined);
      return build_malformed(b, "Attr");
    }
    if (drop && strcmp(name, drop) == 0) {
      drop = NULL;
      continue;
    }
    if (!*name)
      continue;
    if (joined.len)
      json_out_put(&joined, " ", 1);
    json_out_put(&joined, name, json_string_length(c));
  }
  int rc = QUIRE_OK;
  if (joined.failed ||
      (joined.len &&
       svc->node_set_attr(b->doc, node, "class", joined.s) != QUIRE_OK))
    rc = build_oom(b);
  json_out_free(&joined);
  const json_t *kv;
  json_array_foreach(pairs, i, kv) {
    const char *key = json_string_value(json_array_get(kv, 0));
    const char *value = json_string_value(json_array_get(kv, 1));
    if (rc != QUIRE_OK)
      break;
    if (!key || !value || json_array_size(kv) != 2)
      return build_malformed(b, "Attr");
    if (info && strcmp(key, "data-info") == 0) {
      *info = build_dup(b, json_array_get(kv, 1));
      continue;
    }
    if (!*key || strcmp(key, "id") == 0 || strcmp(key, "class") == 0) {
      b->losses[LOSS_ATTRIBUTE]++;
      continue;
    }
    if (svc->node_set_attr(b->doc, node, key, value) != QUIRE_OK)
      rc = build_oom(b);
  }
  return rc == QUIRE_OK && b->text.failed ? build_oom(b) : rc;
}

/* ---- Blocks ---------------------------------------------------------------- */

static int block(pandoc_builder *b, quire_node *parent, unsigned depth,
                 const json_t *el);

int build_blocks(pandoc_builder *b, quire_node *parent, unsigned depth,
                 const json_t *list) {
  if (!json_is_array(list))
    return build_malformed(b, "block list");
  size_t i;
  const json_t *el;
  json_array_foreach(list, i, el) {
    int rc = block(b, parent, depth, el);
    if (rc != QUIRE_OK)
      return rc;
  }
  return QUIRE_OK;
}

/* A new node of `type` under parent: *rc is QUIRE_OK, or the failure. */
static quire_node *add(pandoc_builder *b, quire_node *parent,
                       quire_node_type type, int *rc) {
  quire_node *n = build_add(b, parent, type);
  *rc = n ? QUIRE_OK : build_oom(b);
  return n;
}

static int line_block(pandoc_builder *b, quire_node *parent, unsigned depth,
                      const json_t *lines) {
  if (!json_is_array(lines))
    return build_malformed(b, "LineBlock");
  int rc;
  int fits = build_fits(b, depth, 2);
  /* Too deep: a paragraph, a line break between lines. */
  quire_node *holder = add(b, parent, fits ? QUIRE_NODE_LINE_BLOCK
                                           : QUIRE_NODE_PARAGRAPH, &rc);
  size_t i;
  const json_t *line;
  json_array_foreach(lines, i, line) {
    if (rc != QUIRE_OK)
      break;
    if (fits) {
      quire_node *l = add(b, holder, QUIRE_NODE_LINE, &rc);
      if (l)
        rc = build_inlines(b, l, depth + 2, line);
      continue;
    }
    if (i)
      rc = build_break(b, holder, QUIRE_NODE_LINE_BREAK);
    if (rc == QUIRE_OK)
      rc = build_inline_items(b, holder, depth + 1, line);
  }
  return rc == QUIRE_OK && !fits ? build_flush(b, holder) : rc;
}

static int header(pandoc_builder *b, quire_node *parent, unsigned depth,
                  const json_t *c) {
  const json_t *level = json_array_get(c, 0);
  if (!json_is_integer(level))
    return build_malformed(b, "Header");
  json_int_t l = json_integer_value(level);
  if (l < 1 || l > 6) {
    b->losses[LOSS_HEADER_LEVEL]++;
    l = l < 1 ? 1 : 6;
  }
  int rc;
  quire_node *h = add(b, parent, QUIRE_NODE_HEADING, &rc);
  if (!h)
    return rc;
  h->level = (int)l;
  rc = build_attr(b, h, json_array_get(c, 1), NULL, NULL);
  return rc == QUIRE_OK ? build_inlines(b, h, depth + 1, json_array_get(c, 2))
                        : rc;
}

/* CodeBlock: its first class is the language (info), the others stay
 * classes.  RawBlock: [format, text]. */
static int code_block(pandoc_builder *b, quire_node *parent, const json_t *c,
                      quire_node_type type, const char *name) {
  const json_t *s = json_array_get(c, 1);
  if (!json_is_string(s))
    return build_malformed(b, name);
  quire_node *n = build_add_text(b, parent, type, s);
  if (!n)
    return build_oom(b);
  const json_t *first = json_array_get(c, 0);
  if (type == QUIRE_NODE_RAW_BLOCK) {
    n->info = build_dup(b, first);
    return b->text.failed ? build_oom(b) : QUIRE_OK;
  }
  const json_t *lang = json_array_get(json_array_get(first, 1), 0);
  const char *language = json_string_value(lang);
  if (language && *language && !(n->info = build_dup(b, lang)))
    return build_oom(b);
  return build_attr(b, n, first, language && *language ? language : NULL,
                    NULL);
}

/* A container of blocks (BLOCK_QUOTE, DIV, SECTION, NOTE ...), or its
 * blocks in its place when it would be nested too deep.  *made (may be
 * NULL) is the node, or NULL. */
static int block_container(pandoc_builder *b, quire_node *parent,
                           unsigned depth, quire_node_type type,
                           const json_t *list, quire_node **made) {
  if (made)
    *made = NULL;
  if (!build_fits(b, depth, 2))
    return build_blocks(b, parent, depth, list);
  quire_node *n = build_add(b, parent, type);
  if (!n)
    return build_oom(b);
  if (made)
    *made = n;
  return build_blocks(b, n, depth + 1, list);
}

/* Reads the paragraphs of a block list for tightness: *tight becomes -1
 * at a Para (pandoc writes a loose list's paragraphs as Para), 1 at a
 * Plain unless it is -1. */
static void tightness(const json_t *blocks, int *tight) {
  size_t i;
  const json_t *el;
  json_array_foreach(blocks, i, el) {
    const char *t = pandoc_tag(el);
    if (pandoc_is(t, "Para"))
      *tight = -1;
    else if (pandoc_is(t, "Plain") && *tight == 0)
      *tight = 1;
  }
}

/* The items of a list: each an array of blocks. */
static int list(pandoc_builder *b, quire_node *parent, unsigned depth,
                quire_node *l, const json_t *items) {
  if (!json_is_array(items))
    return build_malformed(b, "list");
  size_t i;
  const json_t *item;
  int t = 0;
  json_array_foreach(items, i, item)
    tightness(item, &t);
  if (l)
    l->tight = t > 0;
  json_array_foreach(items, i, item) {
    int rc;
    if (l) {
      quire_node *it = build_add(b, l, QUIRE_NODE_ITEM);
      rc = it ? build_blocks(b, it, depth + 2, item) : build_oom(b);
    } else {
      rc = build_blocks(b, parent, depth, item);
    }
    if (rc != QUIRE_OK)
      return rc;
  }
  return QUIRE_OK;
}

static int bullet_list(pandoc_builder *b, quire_node *parent, unsigned depth,
                       const json_t *c) {
  quire_node *l = NULL;
  if (build_fits(b, depth, 3) &&
      !(l = build_add(b, parent, QUIRE_NODE_BULLET_LIST)))
    return build_oom(b);
  return list(b, parent, depth, l, c);
}

/* [start, style, delim]. */
static int ordered_list(pandoc_builder *b, quire_node *parent, unsigned depth,
                        const json_t *c) {
  static const char *const styles[] = {"DefaultStyle", "Decimal",
                                       "LowerAlpha",   "UpperAlpha",
                                       "LowerRoman",   "UpperRoman"};
  static const char *const delims[] = {"DefaultDelim", "Period", "OneParen",
                                       "TwoParens"};
  const json_t *attrs = json_array_get(c, 0);
  const json_t *start = json_array_get(attrs, 0);
  if (!json_is_integer(start))
    return build_malformed(b, "OrderedList");
  const char *style = pandoc_tag(json_array_get(attrs, 1));
  const char *delim = pandoc_tag(json_array_get(attrs, 2));
  int st = QUIRE_LIST_DEFAULT, de = QUIRE_DELIM_DEFAULT;
  for (int i = 0; i < 6; i++)
    if (pandoc_is(style, styles[i]))
      st = i;
  for (int i = 0; i < 4; i++)
    if (pandoc_is(delim, delims[i]))
      de = i;
  if (pandoc_is(style, "Example")) {
    b->losses[LOSS_EXAMPLE_LIST]++;
    st = QUIRE_LIST_DECIMAL;
  }
  json_int_t s = json_integer_value(start);
  if (s < -1000000000 || s > 1000000000)
    s = 1;
  quire_node *l = NULL;
  if (build_fits(b, depth, 3)) {
    if (!(l = build_add(b, parent, QUIRE_NODE_ORDERED_LIST)))
      return build_oom(b);
    l->start = (int)s;
    l->style = (unsigned char)st;
    l->delim = (unsigned char)de;
  }
  return list(b, parent, depth, l, json_array_get(c, 1));
}

/* [[term, [definition...]]...]: a TERM, then a DEFINITION for each. */
static int definition_list(pandoc_builder *b, quire_node *parent,
                           unsigned depth, const json_t *c) {
  if (!json_is_array(c))
    return build_malformed(b, "DefinitionList");
  int fits = build_fits(b, depth, 3);
  quire_node *l = NULL;
  if (fits && !(l = build_add(b, parent, QUIRE_NODE_DEFINITION_LIST)))
    return build_oom(b);
  size_t i;
  const json_t *entry;
  int t = 0;
  json_array_foreach(c, i, entry) {
    const json_t *defs = json_array_get(entry, 1);
    if (!json_is_array(defs) || !json_is_array(json_array_get(entry, 0)))
      return build_malformed(b, "DefinitionList");
    size_t k;
    const json_t *def;
    int rc;
    /* Too deep: the term a paragraph, the definitions' blocks after. */
    quire_node *term = add(b, fits ? l : parent,
                           fits ? QUIRE_NODE_TERM : QUIRE_NODE_PARAGRAPH, &rc);
    if (term)
      rc = build_inlines(b, term, depth + 2, json_array_get(entry, 0));
    json_array_foreach(defs, k, def) {
      if (rc != QUIRE_OK)
        break;
      if (!json_is_array(def))
        return build_malformed(b, "DefinitionList");
      tightness(def, &t);
      quire_node *d = fits ? add(b, l, QUIRE_NODE_DEFINITION, &rc) : parent;
      if (d)
        rc = build_blocks(b, d, fits ? depth + 2 : depth, def);
    }
    if (rc != QUIRE_OK)
      return rc;
  }
  if (l)
    l->tight = t > 0;
  return QUIRE_OK;
}

/* The first n blocks of a list. */
static int some_blocks(pandoc_builder *b, quire_node *parent, unsigned depth,
                       const json_t *list, size_t n) {
  for (size_t i = 0; i < n; i++) {
    int rc = block(b, parent, depth, json_array_get(list, i));
    if (rc != QUIRE_OK)
      return rc;
  }
  return QUIRE_OK;
}

/* A FIGURE: the first n of `blocks`, then a CAPTION of caption's blocks
 * (none when empty); the blocks in its place when too deep. */
static int figure_of(pandoc_builder *b, quire_node *parent, unsigned depth,
                     const json_t *attr, const json_t *caption,
                     const json_t *blocks, size_t n, const char *drop) {
  if (!build_fits(b, depth, 2)) {
    int rc = some_blocks(b, parent, depth, blocks, n);
    return rc == QUIRE_OK ? build_blocks(b, parent, depth, caption) : rc;
  }
  int rc;
  quire_node *fig = add(b, parent, QUIRE_NODE_FIGURE, &rc);
  if (fig && attr)
    rc = build_attr(b, fig, attr, drop, NULL);
  if (rc == QUIRE_OK)
    rc = some_blocks(b, fig, depth + 1, blocks, n);
  if (rc == QUIRE_OK && json_array_size(caption)) {
    quire_node *cap = add(b, fig, QUIRE_NODE_CAPTION, &rc);
    if (cap)
      rc = build_blocks(b, cap, depth + 2, caption);
  }
  return rc;
}

/* Figure (1.23): [attr, [short, blocks], blocks]. */
static int figure(pandoc_builder *b, quire_node *parent, unsigned depth,
                  const json_t *c) {
  const json_t *caption = json_array_get(c, 1);
  const json_t *blocks = json_array_get(caption, 1);
  if (!json_is_array(blocks) || !json_is_array(json_array_get(c, 2)))
    return build_malformed(b, "Figure");
  if (!json_is_null(json_array_get(caption, 0)))
    b->losses[LOSS_SHORT_CAPTION]++;
  return figure_of(b, parent, depth, json_array_get(c, 0), blocks,
                   json_array_get(c, 2), json_array_size(json_array_get(c, 2)),
                   NULL);
}

/* pandoc 2's implicit figure (1.22): a Para holding only an Image whose
 * title starts with "fig:".  The image, its title without "fig:", in a
 * PARAGRAPH of a FIGURE; its description as the caption too. */
static int implicit_figure(pandoc_builder *b, quire_node *parent,
                           unsigned depth, const json_t *image) {
  const json_t *c = json_object_get(image, "c");
  const json_t *alt = json_array_get(c, 1);
  const json_t *target = json_array_get(c, 2);
  const char *title = json_string_value(json_array_get(target, 1));
  if (!json_is_string(json_array_get(target, 0)) || !json_is_array(alt))
    return build_malformed(b, "Image");
  if (!build_fits(b, depth, 4)) {
    int rc;
    quire_node *p = add(b, parent, QUIRE_NODE_PARAGRAPH, &rc);
    return p ? build_inlines(b, p, depth + 1, alt) : rc;
  }
  int rc;
  quire_node *fig = add(b, parent, QUIRE_NODE_FIGURE, &rc);
  quire_node *p = fig ? add(b, fig, QUIRE_NODE_PARAGRAPH, &rc) : NULL;
  quire_node *img = p ? add(b, p, QUIRE_NODE_IMAGE, &rc) : NULL;
  if (!img)
    return rc;
  img->url = build_dup(b, json_array_get(target, 0));
  if (!img->url)
    img->url = "";
  if (title[4])
    img->title = b->svc->strndup(b->doc, title + 4, strlen(title + 4));
  if (b->text.failed || (title[4] && !img->title))
    return build_oom(b);
  rc = build_attr(b, img, json_array_get(c, 0), NULL, NULL);
  if (rc == QUIRE_OK)
    rc = build_inlines(b, img, depth + 4, alt);
  if (rc == QUIRE_OK && json_array_size(alt)) {
    quire_node *cap = add(b, fig, QUIRE_NODE_CAPTION, &rc);
    quire_node *cp = cap ? add(b, cap, QUIRE_NODE_PARAGRAPH, &rc) : NULL;
    if (cp)
      rc = build_inlines(b, cp, depth + 3, alt);
  }
  return rc;
}

/* The Image of a Para that is pandoc 2's implicit figure, or NULL. */
static const json_t *implicit_image(const pandoc_builder *b,
                                    const json_t *c) {
  const json_t *img = json_array_get(c, 0);
  if (b->api_minor != 22 || json_array_size(c) != 1 ||
      !pandoc_is(pandoc_tag(img), "Image"))
    return NULL;
  const char *title = json_string_value(
      json_array_get(json_array_get(json_object_get(img, "c"), 2), 1));
  return title && strncmp(title, "fig:", 4) == 0 ? img : NULL;
}

/* Div: a DIV; a SECTION (quire's, and pandoc's HTML reader's <section>);
 * a FIGURE as quire writes it for 1.22. */
static int div_block(pandoc_builder *b, quire_node *parent, unsigned depth,
               const json_t *c) {
  const json_t *attr = json_array_get(c, 0);
  const json_t *blocks = json_array_get(c, 1);
  if (!json_is_array(blocks))
    return build_malformed(b, "Div");
  size_t n = json_array_size(blocks);
  const json_t *last = json_array_get(blocks, n ? n - 1 : 0);
  if (attr_has_class(attr, "figure") && n &&
      pandoc_is(pandoc_tag(last), "Div") &&
      attr_has_class(json_array_get(json_object_get(last, "c"), 0),
                     "caption")) {
    const json_t *caption = json_array_get(json_object_get(last, "c"), 1);
    if (!json_is_array(caption))
      return build_malformed(b, "Div");
    return figure_of(b, parent, depth, attr, caption, blocks, n - 1,
                     "figure");
  }
  int section = attr_has_class(attr, "section");
  const char *info = NULL;
  quire_node *n_made;
  if (!section) {
    size_t i;
    const json_t *kv;
    json_array_foreach(json_array_get(attr, 2), i, kv)
      section |= pandoc_is(json_string_value(json_array_get(kv, 0)),
                           "data-info");
  }
  int rc = block_container(b, parent, depth,
                           section ? QUIRE_NODE_SECTION : QUIRE_NODE_DIV,
                           blocks, &n_made);
  if (rc != QUIRE_OK || !n_made)
    return rc;
  rc = build_attr(b, n_made, attr, section ? "section" : NULL,
                  section ? &info : NULL);
  n_made->info = info;
  return rc;
}

static int block(pandoc_builder *b, quire_node *parent, unsigned depth,
                 const json_t *el) {
  const char *t = pandoc_tag(el);
  const json_t *c = json_object_get(el, "c");
  if (!t)
    return build_malformed(b, "block (not an object with \"t\")");
  int rc;
  if (pandoc_is(t, "Para") || pandoc_is(t, "Plain")) {
    const json_t *img = pandoc_is(t, "Para") ? implicit_image(b, c) : NULL;
    if (img)
      return implicit_figure(b, parent, depth, img);
    quire_node *p = add(b, parent, QUIRE_NODE_PARAGRAPH, &rc);
    return p ? build_inlines(b, p, depth + 1, c) : rc;
  }
  if (pandoc_is(t, "Header"))
    return header(b, parent, depth, c);
  if (pandoc_is(t, "LineBlock"))
    return line_block(b, parent, depth, c);
  if (pandoc_is(t, "CodeBlock"))
    return code_block(b, parent, c, QUIRE_NODE_CODE_BLOCK, t);
  if (pandoc_is(t, "RawBlock"))
    return code_block(b, parent, c, QUIRE_NODE_RAW_BLOCK, t);
  if (pandoc_is(t, "BlockQuote"))
    return block_container(b, parent, depth, QUIRE_NODE_BLOCK_QUOTE, c, NULL);
  if (pandoc_is(t, "Div"))
    return div_block(b, parent, depth, c);
  if (pandoc_is(t, "BulletList"))
    return bullet_list(b, parent, depth, c);
  if (pandoc_is(t, "OrderedList"))
    return ordered_list(b, parent, depth, c);
  if (pandoc_is(t, "DefinitionList"))
    return definition_list(b, parent, depth, c);
  if (pandoc_is(t, "HorizontalRule"))
    return build_add(b, parent, QUIRE_NODE_THEMATIC_BREAK) ? QUIRE_OK
                                                           : build_oom(b);
  if (pandoc_is(t, "Table"))
    return build_table(b, parent, depth, c);
  if (pandoc_is(t, "Figure"))
    return figure(b, parent, depth, c);
  if (pandoc_is(t, "Null"))
    return QUIRE_OK;
  return build_unknown(b, "block", t);
}

/* A Note's blocks into a NOTE (pandoc_build_inline.c). */
int build_note(pandoc_builder *b, quire_node *parent, unsigned depth,
               const json_t *blocks) {
  quire_node *note;
  int rc = build_flush(b, parent);
  if (rc != QUIRE_OK)
    return rc;
  if (!build_fits(b, depth, 2))
    return build_flat_blocks(b, parent, depth, blocks);
  return block_container(b, parent, depth, QUIRE_NODE_NOTE, blocks, &note);
}

/* ---- The document ---------------------------------------------------------- */

static const struct {
  const char *element;
  const char *what;
} loss_text[LOSS_COUNT] = {
    [LOSS_CITE] = {"Cite", "read as its text; the citation data is lost"},
    [LOSS_HEADER_LEVEL] = {"Header", "level outside 1-6 clamped"},
    [LOSS_EXAMPLE_LIST] = {"OrderedList",
                           "Example numbering read as Decimal"},
    [LOSS_SHORT_CAPTION] = {"short caption", "lost; the caption is kept"},
    [LOSS_SPAN_RANGE] = {"Cell",
                         "row or column span beyond 65534 rows or 1000 "
                         "columns clamped"},
    [LOSS_COL_WIDTH] = {"ColWidth",
                        "a width outside 0 to 1 read as the default"},
    [LOSS_ATTRIBUTE] = {"Attr", "pairs named id or class, or with an empty "
                                "name, lost"},
};

int pandoc_build(pandoc_builder *b, const json_t *blocks) {
  if (!json_is_array(blocks))
    return build_malformed(b, "block list");
  size_t i;
  const json_t *el;
  json_array_foreach(blocks, i, el) {
    b->block = i + 1;
    int rc = block(b, b->doc->root, 0, el);
    if (rc != QUIRE_OK)
      return rc;
  }
  quire_loc loc = {.file = b->name};
  for (int k = 0; k < LOSS_COUNT; k++)
    if (b->losses[k])
      b->svc->warn(b->env, &loc, "pandoc %s (%u): %s", loss_text[k].element,
                   b->losses[k], loss_text[k].what);
  return QUIRE_OK;
}
