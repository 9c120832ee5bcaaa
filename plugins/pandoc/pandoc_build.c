/* pandoc_build.c - pandoc's blocks into quire's model; the inlines are
 * pandoc_build_inline.c's, the tables pandoc_build_table.c's.
 *
 *   Para, Plain          PARAGRAPH (pandoc's tight/loose is presentation)
 *   LineBlock            PARAGRAPH, a LINE_BREAK between lines
 *   Header               HEADING (level clamped to 1-6, with a warning)
 *   CodeBlock            CODE_BLOCK, info = its classes
 *   RawBlock, RawInline  RAW_BLOCK, RAW_INLINE, info = the format
 *   BlockQuote           BLOCK_QUOTE
 *   BulletList           BULLET_LIST of ITEMs
 *   OrderedList          ORDERED_LIST from its start (letter and roman
 *                        styles read as numbers, with a warning)
 *   DefinitionList       BULLET_LIST: per term an ITEM holding the term as
 *                        a paragraph in STRONG, then the definitions (warns)
 *   HorizontalRule       THEMATIC_BREAK
 *   Table                TABLE (pandoc_build_table.c)
 *   Figure (1.23)        its blocks, then its caption's (warns)
 *   Div                  SECTION, info = its "data-info" attribute, else
 *                        "div .class #id" when it has classes or an id
 *   Null                 nothing
 *   Str, Space           TEXT, adjacent text merged into one node
 *   SoftBreak, LineBreak SOFT_BREAK, LINE_BREAK
 *   Emph, Strong         EMPH, STRONG
 *   Code                 CODE          Math   CODE holding the TeX (warns)
 *   Link, Image          LINK, IMAGE (an empty title is none)
 *   Quoted               its inlines in “ ” or ‘ ’
 *   Span                 its inlines
 *   Cite                 its inlines (warns: the citation data is lost)
 *   Underline, Strikeout, Superscript, Subscript, SmallCaps
 *                        their inlines (warns)
 *   Note                 "[N]" in the text; its blocks after the
 *                        document's, the first led by "[N] " (warns)
 *
 * A warning names the element and counts it, once per document.  An
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

/* A block holding inlines: PARAGRAPH, HEADING. */
static quire_node *text_block(pandoc_builder *b, quire_node *parent,
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
  quire_node *p = text_block(b, parent, QUIRE_NODE_PARAGRAPH, &rc);
  size_t i;
  const json_t *line;
  json_array_foreach(lines, i, line) {
    if (rc == QUIRE_OK && i)
      rc = build_break(b, p, QUIRE_NODE_LINE_BREAK);
    if (rc == QUIRE_OK)
      rc = build_inline_items(b, p, depth + 1, line);
  }
  return rc == QUIRE_OK ? build_flush(b, p) : rc;
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
  quire_node *h = text_block(b, parent, QUIRE_NODE_HEADING, &rc);
  if (!h)
    return rc;
  h->level = (int)l;
  return build_inlines(b, h, depth + 1, json_array_get(c, 2));
}

/* Words joined by spaces, in the document: a code block's classes. */
static const char *joined(pandoc_builder *b, const json_t *words) {
  json_out s = {0};
  size_t i;
  const json_t *w;
  json_array_foreach(words, i, w) {
    if (!json_string_length(w))
      continue;
    if (s.len)
      json_out_put(&s, " ", 1);
    json_out_put(&s, json_string_value(w), json_string_length(w));
  }
  const char *r = NULL;
  if (s.failed)
    b->text.failed = 1;
  else if (s.len && !(r = b->svc->strndup(b->doc, s.s, s.len)))
    b->text.failed = 1;
  json_out_free(&s);
  return r;
}

static int code_block(pandoc_builder *b, quire_node *parent, const json_t *c,
                      quire_node_type type, const char *name) {
  const json_t *s = json_array_get(c, 1);
  if (!json_is_string(s))
    return build_malformed(b, name);
  quire_node *n = build_add_text(b, parent, type, s);
  if (!n)
    return build_oom(b);
  const json_t *first = json_array_get(c, 0);
  n->info = type == QUIRE_NODE_CODE_BLOCK
                ? joined(b, json_array_get(first, 1))
                : build_dup(b, first);
  return b->text.failed ? build_oom(b) : QUIRE_OK;
}

/* A Div's SECTION info: its "data-info" attribute (what quire wrote), else
 * "div .class #id" from its classes and id, else none. */
static const char *div_info(pandoc_builder *b, const json_t *attr) {
  size_t i;
  const json_t *kv;
  json_array_foreach(json_array_get(attr, 2), i, kv)
    if (pandoc_is(json_string_value(json_array_get(kv, 0)), "data-info") &&
        json_is_string(json_array_get(kv, 1)))
      return build_dup(b, json_array_get(kv, 1));
  const json_t *id = json_array_get(attr, 0);
  const json_t *classes = json_array_get(attr, 1);
  if (!json_string_length(id) && !json_array_size(classes))
    return NULL;
  json_out s = {0};
  json_out_puts(&s, "div");
  const json_t *cls;
  json_array_foreach(classes, i, cls) {
    if (!json_string_length(cls))
      continue;
    json_out_puts(&s, " .");
    json_out_put(&s, json_string_value(cls), json_string_length(cls));
  }
  if (json_string_length(id)) {
    json_out_puts(&s, " #");
    json_out_put(&s, json_string_value(id), json_string_length(id));
  }
  const char *r = NULL;
  if (s.failed || !(r = b->svc->strndup(b->doc, s.s, s.len)))
    b->text.failed = 1;
  json_out_free(&s);
  return r;
}

/* A container of blocks (BLOCK_QUOTE, SECTION), or its blocks in its
 * place when it would be nested too deep. */
static int block_container(pandoc_builder *b, quire_node *parent,
                           unsigned depth, quire_node_type type,
                           const char *info, const json_t *list) {
  if (!build_fits(b, depth, 2))
    return build_blocks(b, parent, depth, list);
  quire_node *n = build_add(b, parent, type);
  if (!n)
    return build_oom(b);
  n->info = info;
  return build_blocks(b, n, depth + 1, list);
}

/* The items of a list: each an array of blocks. */
static int list(pandoc_builder *b, quire_node *parent, unsigned depth,
                quire_node_type type, int start, const json_t *items) {
  if (!json_is_array(items))
    return build_malformed(b, "list");
  quire_node *l = NULL;
  if (build_fits(b, depth, 3)) {
    if (!(l = build_add(b, parent, type)))
      return build_oom(b);
    l->start = type == QUIRE_NODE_ORDERED_LIST ? start : 0;
  }
  size_t i;
  const json_t *item;
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

static int ordered_list(pandoc_builder *b, quire_node *parent, unsigned depth,
                        const json_t *c) {
  const json_t *attrs = json_array_get(c, 0);
  const json_t *start = json_array_get(attrs, 0);
  if (!json_is_integer(start))
    return build_malformed(b, "OrderedList");
  const char *style = pandoc_tag(json_array_get(attrs, 1));
  if (style && !pandoc_is(style, "Decimal") &&
      !pandoc_is(style, "DefaultStyle") && !pandoc_is(style, "Example"))
    b->losses[LOSS_LIST_STYLE]++;
  json_int_t s = json_integer_value(start);
  if (s < -1000000000 || s > 1000000000)
    s = 1;
  return list(b, parent, depth, QUIRE_NODE_ORDERED_LIST, (int)s,
              json_array_get(c, 1));
}

/* Each term as an item: the term in STRONG, then its definitions. */
static int definition_list(pandoc_builder *b, quire_node *parent,
                           unsigned depth, const json_t *c) {
  if (!json_is_array(c))
    return build_malformed(b, "DefinitionList");
  b->losses[LOSS_DEFINITION_LIST]++;
  quire_node *l = NULL;
  if (build_fits(b, depth, 3) &&
      !(l = build_add(b, parent, QUIRE_NODE_BULLET_LIST)))
    return build_oom(b);
  unsigned inner = l ? depth + 2 : depth;
  size_t i;
  const json_t *entry;
  json_array_foreach(c, i, entry) {
    const json_t *defs = json_array_get(entry, 1);
    if (!json_is_array(defs))
      return build_malformed(b, "DefinitionList");
    quire_node *holder = l ? build_add(b, l, QUIRE_NODE_ITEM) : parent;
    int rc;
    quire_node *p = holder ? text_block(b, holder, QUIRE_NODE_PARAGRAPH, &rc)
                           : NULL;
    if (!p)
      return build_oom(b);
    rc = build_container(b, p, inner + 1, QUIRE_NODE_STRONG,
                   json_array_get(entry, 0));
    if (rc == QUIRE_OK)
      rc = build_flush(b, p);
    size_t k;
    const json_t *def;
    json_array_foreach(defs, k, def) {
      if (rc == QUIRE_OK)
        rc = build_blocks(b, holder, inner, def);
    }
    if (rc != QUIRE_OK)
      return rc;
  }
  return QUIRE_OK;
}

/* Figure: [attr, caption, blocks]; its blocks, then its caption's. */
static int figure(pandoc_builder *b, quire_node *parent, unsigned depth,
                  const json_t *c) {
  b->losses[LOSS_FIGURE]++;
  int rc = build_blocks(b, parent, depth, json_array_get(c, 2));
  if (rc != QUIRE_OK)
    return rc;
  const json_t *caption = json_array_get(json_array_get(c, 1), 1);
  return caption ? build_blocks(b, parent, depth, caption)
                 : build_malformed(b, "Figure");
}

static int block(pandoc_builder *b, quire_node *parent, unsigned depth,
                 const json_t *el) {
  const char *t = pandoc_tag(el);
  const json_t *c = json_object_get(el, "c");
  if (!t)
    return build_malformed(b, "block (not an object with \"t\")");
  int rc;
  if (pandoc_is(t, "Para") || pandoc_is(t, "Plain")) {
    quire_node *p = text_block(b, parent, QUIRE_NODE_PARAGRAPH, &rc);
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
    return block_container(b, parent, depth, QUIRE_NODE_BLOCK_QUOTE, NULL, c);
  if (pandoc_is(t, "Div")) {
    const char *info = div_info(b, json_array_get(c, 0));
    if (b->text.failed)
      return build_oom(b);
    return block_container(b, parent, depth, QUIRE_NODE_SECTION, info,
                           json_array_get(c, 1));
  }
  if (pandoc_is(t, "BulletList"))
    return list(b, parent, depth, QUIRE_NODE_BULLET_LIST, 0, c);
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

/* ---- The document ---------------------------------------------------------- */

static const struct {
  const char *element;
  const char *what;
} loss_text[LOSS_COUNT] = {
    [LOSS_DEFINITION_LIST] = {"DefinitionList",
                              "read as a bullet list, each term in bold"},
    [LOSS_FIGURE] = {"Figure",
                     "read as its blocks, its caption as a paragraph after them"},
    [LOSS_TABLE_CAPTION] = {"Table caption",
                            "read as a paragraph before the table"},
    [LOSS_CELL_SPAN] = {"table cell span",
                        "lost: each cell takes one row and one column"},
    [LOSS_CELL_BLOCKS] = {"table cell blocks",
                          "flattened into the cell's text"},
    [LOSS_NOTE] = {"Note", "moved after the document's blocks as a paragraph "
                           "led by [N], marked [N] in the text"},
    [LOSS_CITE] = {"Cite", "read as its text; the citation data is lost"},
    [LOSS_MATH] = {"Math", "read as inline code holding its TeX"},
    [LOSS_STRIKEOUT] = {"Strikeout", "read as plain text"},
    [LOSS_SUPERSCRIPT] = {"Superscript", "read as plain text"},
    [LOSS_SUBSCRIPT] = {"Subscript", "read as plain text"},
    [LOSS_SMALL_CAPS] = {"SmallCaps", "read as plain text"},
    [LOSS_UNDERLINE] = {"Underline", "read as plain text"},
    [LOSS_HEADER_LEVEL] = {"Header", "level outside 1-6 clamped"},
    [LOSS_LIST_STYLE] = {"OrderedList",
                         "letter or roman numbering read as decimal numbers"},
};

/* The notes, in order, each its blocks led by "[N] "; notes in notes join
 * the end of the list. */
static int notes(pandoc_builder *b) {
  quire_node *root = b->doc->root;
  for (size_t i = 0; i < b->n_notes; i++) {
    const json_t *list = b->notes[i].blocks;
    b->block = b->notes[i].block;
    const json_t *first = json_array_get(list, 0);
    const char *t = pandoc_tag(first);
    int lead = pandoc_is(t, "Para") || pandoc_is(t, "Plain");
    int rc;
    quire_node *p = text_block(b, root, QUIRE_NODE_PARAGRAPH, &rc);
    if (!p)
      return rc;
    char mark[32];
    snprintf(mark, sizeof mark, lead ? "[%zu] " : "[%zu]", i + 1);
    build_text(b, mark);
    rc = lead ? build_inline_items(b, p, 1, json_object_get(first, "c"))
              : QUIRE_OK;
    if (rc == QUIRE_OK)
      rc = build_flush(b, p);
    for (size_t k = lead; rc == QUIRE_OK && k < json_array_size(list); k++)
      rc = block(b, root, 0, json_array_get(list, k));
    if (rc != QUIRE_OK)
      return rc;
  }
  return QUIRE_OK;
}

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
  int rc = notes(b);
  if (rc != QUIRE_OK)
    return rc;
  quire_loc loc = {.file = b->name};
  for (int k = 0; k < LOSS_COUNT; k++)
    if (b->losses[k])
      b->svc->warn(b->env, &loc, "pandoc %s (%u): %s", loss_text[k].element,
                   b->losses[k], loss_text[k].what);
  return QUIRE_OK;
}
