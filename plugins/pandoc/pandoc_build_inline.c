/* pandoc_build_inline.c - pandoc's inlines into quire's model, and blocks
 * flattened into inlines where the model wants inlines (table cells).
 * The mapping is listed in pandoc_build.c. */
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
                    quire_node_type type, const json_t *list) {
  int rc;
  quire_node *n = wrap(b, parent, depth, type, &rc);
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
  return build_inlines(b, n, depth + 1, json_array_get(c, 1));
}

/* Code, Math, RawInline: [something, "text"]. */
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
  if (type == QUIRE_NODE_RAW_INLINE)
    n->info = build_dup(b, json_array_get(c, 0));
  return QUIRE_OK;
}

int build_break(pandoc_builder *b, quire_node *parent, quire_node_type type) {
  int rc = build_flush(b, parent);
  if (rc == QUIRE_OK && !build_add(b, parent, type))
    rc = build_oom(b);
  return rc;
}

static int note(pandoc_builder *b, const json_t *c) {
  if (!json_is_array(c))
    return build_malformed(b, "Note");
  if (b->n_notes == b->cap_notes) {
    size_t cap = b->cap_notes ? b->cap_notes * 2 : 16;
    pandoc_note *notes = realloc(b->notes, cap * sizeof *notes);
    if (!notes)
      return build_oom(b);
    b->notes = notes;
    b->cap_notes = cap;
  }
  b->notes[b->n_notes++] = (pandoc_note){c, b->block};
  b->losses[LOSS_NOTE]++;
  char mark[32];
  snprintf(mark, sizeof mark, "[%zu]", b->n_notes);
  build_text(b, mark);
  return QUIRE_OK;
}

/* Inlines whose own formatting the model lacks: their content stays. */
static const struct {
  const char *tag;
  pandoc_loss loss;
} plain_wrappers[] = {
    {"Strikeout", LOSS_STRIKEOUT},   {"Superscript", LOSS_SUPERSCRIPT},
    {"Subscript", LOSS_SUBSCRIPT},   {"SmallCaps", LOSS_SMALL_CAPS},
    {"Underline", LOSS_UNDERLINE},
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
  if (pandoc_is(t, "Emph"))
    return build_container(b, parent, depth, QUIRE_NODE_EMPH, c);
  if (pandoc_is(t, "Strong"))
    return build_container(b, parent, depth, QUIRE_NODE_STRONG, c);
  for (size_t i = 0; i < sizeof plain_wrappers / sizeof *plain_wrappers; i++)
    if (pandoc_is(t, plain_wrappers[i].tag)) {
      b->losses[plain_wrappers[i].loss]++;
      return build_inline_items(b, parent, depth, c);
    }
  if (pandoc_is(t, "Quoted")) {
    int single = pandoc_is(pandoc_tag(json_array_get(c, 0)), "SingleQuote");
    build_text(b, single ? "\xE2\x80\x98" : "\xE2\x80\x9C");
    int rc = build_inline_items(b, parent, depth, json_array_get(c, 1));
    build_text(b, single ? "\xE2\x80\x99" : "\xE2\x80\x9D");
    return rc;
  }
  if (pandoc_is(t, "Cite")) {
    b->losses[LOSS_CITE]++;
    return build_inline_items(b, parent, depth, json_array_get(c, 1));
  }
  if (pandoc_is(t, "Span"))
    return build_inline_items(b, parent, depth, json_array_get(c, 1));
  if (pandoc_is(t, "Code"))
    return literal(b, parent, QUIRE_NODE_CODE, c, t);
  if (pandoc_is(t, "Math")) {
    b->losses[LOSS_MATH]++;
    return literal(b, parent, QUIRE_NODE_CODE, c, t);
  }
  if (pandoc_is(t, "RawInline"))
    return literal(b, parent, QUIRE_NODE_RAW_INLINE, c, t);
  if (pandoc_is(t, "Link"))
    return target(b, parent, depth, QUIRE_NODE_LINK, c, t);
  if (pandoc_is(t, "Image"))
    return target(b, parent, depth, QUIRE_NODE_IMAGE, c, t);
  if (pandoc_is(t, "Note"))
    return note(b, c);
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
