/* pandoc_build_inline.c - pandoc's inlines into quire's model, and blocks
 * flattened into inlines where content nested deeper than max-depth must
 * give its text to an inline container.  One to one:
 *
 *   Str, Space           TEXT, adjacent text merged into one node
 *   SoftBreak, LineBreak SOFT_BREAK, LINE_BREAK
 *   Emph, Strong, Strikeout, Superscript, Subscript, SmallCaps, Underline
 *                        EMPH, STRONG, STRIKEOUT, SUPERSCRIPT, SUBSCRIPT,
 *                        SMALL_CAPS, UNDERLINE
 *   Quoted               QUOTED, kind DOUBLE or SINGLE
 *   Span                 SPAN with its Attr
 *   Code                 CODE with its Attr
 *   Math                 MATH, kind INLINE or DISPLAY, text = the TeX
 *   Link, Image          LINK, IMAGE with their Attr (an empty title is
 *                        none; the url as it is)
 *   Note                 NOTE holding its blocks, where it is called
 *   Cite                 its inlines (warns: the citation data is lost)
 *   RawInline            RAW_INLINE, info = the format */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pandoc_build.h"


/* ---- Inlines --------------------------------------------------------------- */

static int inline_el(pandoc_builder *b, quire_node *parent, unsigned depth,
                     const json_t *el);

int build_inline_items(pandoc_builder *b, quire_node *parent, unsigned depth,
                       const json_t *list) {
  if (!json_is_array(list))
    return build_malformed(b, "inline list");
  size_t i;
  const json_t *el;
  json_array_foreach(list, i, el) {
    int rc = inline_el(b, parent, depth, el);
    if (rc != QUIRE_OK)
      return rc;
  }
  return QUIRE_OK;
}

int build_inlines(pandoc_builder *b, quire_node *parent, unsigned depth,
                  const json_t *list) {
  int rc = build_inline_items(b, parent, depth, list);
  return rc == QUIRE_OK ? build_flush(b, parent) : rc;
}

/* A node of `type` holding list's inlines, or the inlines in its place
 * when it would be nested too deep. */
static quire_node *wrap(pandoc_builder *b, quire_node *parent, unsigned depth,
                        quire_node_type type, int *rc) {
  *rc = QUIRE_OK;
  if (!build_fits(b, depth, 1))
    return parent;
  if ((*rc = build_flush(b, parent)) != QUIRE_OK)
    return NULL;
  quire_node *n = build_add(b, parent, type);
  if (!n)
    *rc = build_oom(b);
  return n;
}

int build_container(pandoc_builder *b, quire_node *parent, unsigned depth,
                    quire_node_type type, const json_t *list,
                    quire_node **made) {
  int rc;
  quire_node *n = wrap(b, parent, depth, type, &rc);
  if (made)
    *made = n != parent ? n : NULL;
  if (!n)
    return rc;
  if (n == parent)
    return build_inline_items(b, parent, depth, list);
  return build_inlines(b, n, depth + 1, list);
}

/* Link and Image: [attr, inlines, [url, title]]. */
static int target(pandoc_builder *b, quire_node *parent, unsigned depth,
                  quire_node_type type, const json_t *c, const char *name) {
  const json_t *target = json_array_get(c, 2);
  const json_t *url = json_array_get(target, 0);
  const json_t *title = json_array_get(target, 1);
  if (!json_is_string(url) || !json_is_string(title))
    return build_malformed(b, name);
  int rc;
  quire_node *n = wrap(b, parent, depth, type, &rc);
  if (!n)
    return rc;
  if (n == parent)
    return build_inline_items(b, parent, depth, json_array_get(c, 1));
  n->url = build_dup(b, url);
  n->title = build_dup(b, title);
  if (!n->url)
    n->url = "";
  rc = build_attr(b, n, json_array_get(c, 0), NULL, NULL);
  return rc == QUIRE_OK ? build_inlines(b, n, depth + 1, json_array_get(c, 1))
                        : rc;
}

/* Code [attr, text], Math [math type, text], RawInline [format, text];
 * a flattened CodeBlock or RawBlock as Code or RawInline. */
static int literal(pandoc_builder *b, quire_node *parent,
                   quire_node_type type, const json_t *c, const char *name) {
  const json_t *s = json_array_get(c, 1);
  if (!json_is_string(s))
    return build_malformed(b, name);
  int rc = build_flush(b, parent);
  if (rc != QUIRE_OK)
    return rc;
  quire_node *n = build_add_text(b, parent, type, s);
  if (!n)
    return build_oom(b);
  const json_t *first = json_array_get(c, 0);
  switch (type) {
  case QUIRE_NODE_RAW_INLINE:
    n->info = build_dup(b, first);
    return b->text.failed ? build_oom(b) : QUIRE_OK;
  case QUIRE_NODE_MATH:
    n->kind = pandoc_is(pandoc_tag(first), "DisplayMath") ? QUIRE_MATH_DISPLAY
                                                          : QUIRE_MATH_INLINE;
    return QUIRE_OK;
  default:   /* QUIRE_NODE_CODE */
    return build_attr(b, n, first, NULL, NULL);
  }
}

int build_break(pandoc_builder *b, quire_node *parent, quire_node_type type) {
  int rc = build_flush(b, parent);
  if (rc == QUIRE_OK && !build_add(b, parent, type))
    rc = build_oom(b);
  return rc;
}

/* Inline containers without fields of their own. */
static const struct {
  const char *tag;
  quire_node_type type;
} wrappers[] = {
    {"Emph", QUIRE_NODE_EMPH},
    {"Strong", QUIRE_NODE_STRONG},
    {"Strikeout", QUIRE_NODE_STRIKEOUT},
    {"Superscript", QUIRE_NODE_SUPERSCRIPT},
    {"Subscript", QUIRE_NODE_SUBSCRIPT},
    {"SmallCaps", QUIRE_NODE_SMALL_CAPS},
    {"Underline", QUIRE_NODE_UNDERLINE},
};

static int inline_el(pandoc_builder *b, quire_node *parent, unsigned depth,
                     const json_t *el) {
  const char *t = pandoc_tag(el);
  const json_t *c = json_object_get(el, "c");
  if (!t)
    return build_malformed(b, "inline (not an object with \"t\")");
  if (pandoc_is(t, "Str")) {
    if (!json_is_string(c))
      return build_malformed(b, "Str");
    json_out_put(&b->text, json_string_value(c), json_string_length(c));
    return QUIRE_OK;
  }
  if (pandoc_is(t, "Space")) {
    json_out_put(&b->text, " ", 1);
    return QUIRE_OK;
  }
  if (pandoc_is(t, "SoftBreak"))
    return build_break(b, parent, QUIRE_NODE_SOFT_BREAK);
  if (pandoc_is(t, "LineBreak"))
    return build_break(b, parent, QUIRE_NODE_LINE_BREAK);
  for (size_t i = 0; i < sizeof wrappers / sizeof *wrappers; i++)
    if (pandoc_is(t, wrappers[i].tag))
      return build_container(b, parent, depth, wrappers[i].type, c, NULL);
  if (pandoc_is(t, "Quoted")) {
    quire_node *q;
    int rc = build_container(b, parent, depth, QUIRE_NODE_QUOTED,
                             json_array_get(c, 1), &q);
    if (q && pandoc_is(pandoc_tag(json_array_get(c, 0)), "SingleQuote"))
      q->kind = QUIRE_QUOTE_SINGLE;
    return rc;
  }
  if (pandoc_is(t, "Span")) {
    quire_node *span;
    int rc = build_container(b, parent, depth, QUIRE_NODE_SPAN,
                             json_array_get(c, 1), &span);
    return rc == QUIRE_OK && span
               ? build_attr(b, span, json_array_get(c, 0), NULL, NULL)
               : rc;
  }
  if (pandoc_is(t, "Cite")) {
    b->losses[LOSS_CITE]++;
    return build_inline_items(b, parent, depth, json_array_get(c, 1));
  }
  if (pandoc_is(t, "Code"))
    return literal(b, parent, QUIRE_NODE_CODE, c, t);
  if (pandoc_is(t, "Math"))
    return literal(b, parent, QUIRE_NODE_MATH, c, t);
  if (pandoc_is(t, "RawInline"))
    return literal(b, parent, QUIRE_NODE_RAW_INLINE, c, t);
  if (pandoc_is(t, "Link"))
    return target(b, parent, depth, QUIRE_NODE_LINK, c, t);
  if (pandoc_is(t, "Image"))
    return target(b, parent, depth, QUIRE_NODE_IMAGE, c, t);
  if (pandoc_is(t, "Note")) {
    if (!json_is_array(c))
      return build_malformed(b, "Note");
    return build_note(b, parent, depth, c);
  }
  return build_unknown(b, "inline", t);
}

/* ---- Flattening blocks into inlines (table cells) ------------------------- */

/* The items of a list, each a block list, separated by spaces. */
static int flat_items(pandoc_builder *b, quire_node *parent, unsigned depth,
                      const json_t *items, const char *name) {
  if (!json_is_array(items))
    return build_malformed(b, name);
  size_t i;
  const json_t *item;
  json_array_foreach(items, i, item) {
    if (i)
      build_space(b);
    int rc = build_flat_blocks(b, parent, depth, item);
    if (rc != QUIRE_OK)
      return rc;
  }
  return QUIRE_OK;
}

/* Each term, then its definitions, separated by spaces. */
static int flat_definitions(pandoc_builder *b, quire_node *parent,
                            unsigned depth, const json_t *c) {
  if (!json_is_array(c))
    return build_malformed(b, "DefinitionList");
  size_t i;
  const json_t *entry;
  json_array_foreach(c, i, entry) {
    if (i)
      build_space(b);
    int rc = build_inline_items(b, parent, depth, json_array_get(entry, 0));
    if (rc == QUIRE_OK) {
      build_space(b);
      rc = flat_items(b, parent, depth, json_array_get(entry, 1),
                      "DefinitionList");
    }
    if (rc != QUIRE_OK)
      return rc;
  }
  return QUIRE_OK;
}

static int flat_lines(pandoc_builder *b, quire_node *parent, unsigned depth,
                      const json_t *lines) {
  if (!json_is_array(lines))
    return build_malformed(b, "LineBlock");
  size_t i;
  const json_t *line;
  json_array_foreach(lines, i, line) {
    int rc = i ? build_break(b, parent, QUIRE_NODE_LINE_BREAK) : QUIRE_OK;
    if (rc == QUIRE_OK)
      rc = build_inline_items(b, parent, depth, line);
    if (rc != QUIRE_OK)
      return rc;
  }
  return QUIRE_OK;
}

/* One block as inlines of parent. */
static int flat_block(pandoc_builder *b, quire_node *parent, unsigned depth,
                      const json_t *el) {
  const char *t = pandoc_tag(el);
  const json_t *c = json_object_get(el, "c");
  if (!t)
    return build_malformed(b, "block (not an object with \"t\")");
  if (pandoc_is(t, "Para") || pandoc_is(t, "Plain"))
    return build_inline_items(b, parent, depth, c);
  if (pandoc_is(t, "Header"))
    return build_inline_items(b, parent, depth, json_array_get(c, 2));
  if (pandoc_is(t, "LineBlock"))
    return flat_lines(b, parent, depth, c);
  if (pandoc_is(t, "CodeBlock"))
    return literal(b, parent, QUIRE_NODE_CODE, c, t);
  if (pandoc_is(t, "RawBlock"))
    return literal(b, parent, QUIRE_NODE_RAW_INLINE, c, t);
  if (pandoc_is(t, "BlockQuote"))
    return build_flat_blocks(b, parent, depth, c);
  if (pandoc_is(t, "Div"))
    return build_flat_blocks(b, parent, depth, json_array_get(c, 1));
  if (pandoc_is(t, "BulletList"))
    return flat_items(b, parent, depth, c, t);
  if (pandoc_is(t, "OrderedList"))
    return flat_items(b, parent, depth, json_array_get(c, 1), t);
  if (pandoc_is(t, "DefinitionList"))
    return flat_definitions(b, parent, depth, c);
  if (pandoc_is(t, "Figure")) {
    int rc = build_flat_blocks(b, parent, depth, json_array_get(c, 2));
    if (rc != QUIRE_OK)
      return rc;
    build_space(b);
    return build_flat_blocks(b, parent, depth,
                             json_array_get(json_array_get(c, 1), 1));
  }
  if (pandoc_is(t, "Table"))
    return build_table_inline(b, parent, depth, c);
  if (pandoc_is(t, "HorizontalRule") || pandoc_is(t, "Null"))
    return QUIRE_OK;
  return build_unknown(b, "block", t);
}

int build_flat_blocks(pandoc_builder *b, quire_node *parent, unsigned depth,
                      const json_t *list) {
  if (!json_is_array(list))
    return build_malformed(b, "block list");
  size_t i;
  const json_t *el;
  json_array_foreach(list, i, el) {
    if (i)
      build_space(b);
    int rc = flat_block(b, parent, depth, el);
    if (rc != QUIRE_OK)
      return rc;
  }
  return QUIRE_OK;
}
