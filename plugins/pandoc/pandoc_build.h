/* pandoc_build.h - what pandoc_build.c and pandoc_build_table.c share:
 * building the model from pandoc elements.  Every function returns
 * QUIRE_OK, or QUIRE_FAILED (a malformed or unknown element) /
 * QUIRE_FATAL (memory) with the message set.  `depth` is the depth of
 * `parent` (the root's is 0). */
#ifndef QUIRE_PANDOC_BUILD_H
#define QUIRE_PANDOC_BUILD_H

#include "pandoc.h"

/* Reports memory exhausted and returns QUIRE_FATAL. */
int build_oom(pandoc_builder *b);
/* Reports a pandoc element of the wrong shape and returns QUIRE_FAILED. */
int build_malformed(pandoc_builder *b, const char *what);
/* Reports an element of unknown "t" ("block" or "inline" kind) and
 * returns QUIRE_FAILED. */
int build_unknown(pandoc_builder *b, const char *kind, const char *t);
/* Non-zero when a node under parent, with `below` more levels under it,
 * stays within max-depth; warns once per document when not. */
int build_fits(pandoc_builder *b, unsigned depth, unsigned below);
/* A new node of `type` appended to parent, or NULL (memory). */
quire_node *build_add(pandoc_builder *b, quire_node *parent,
                      quire_node_type type);
/* The same, its text a copy of the JSON string s. */
quire_node *build_add_text(pandoc_builder *b, quire_node *parent,
                           quire_node_type type, const json_t *s);
/* A copy of a JSON string in the document; NULL when it is empty, or when
 * memory is exhausted (b->text.failed is then set). */
const char *build_dup(pandoc_builder *b, const json_t *s);

/* Sets node's attributes from a pandoc Attr [id, [classes], [[key,
 * value]...]]: the class `drop` (when not NULL) is left out once, and the
 * pair "data-info" (when info is not NULL) goes to *info instead.  Pairs
 * named "id" or "class", which the model keeps apart, are lost (counted). */
int build_attr(pandoc_builder *b, quire_node *node, const json_t *attr,
               const char *drop, const char **info);
/* Whether a pandoc Attr has the class `name`. */
int attr_has_class(const json_t *attr, const char *name);

/* Text waiting to become a TEXT node: appended; a space unless the text
 * ends with one; made a node of parent (nothing when empty). */
void build_text(pandoc_builder *b, const char *s);
void build_space(pandoc_builder *b);
int build_flush(pandoc_builder *b, quire_node *parent);

/* The elements of a pandoc list into parent, without a final flush for
 * inlines (the caller may add more text). */
int build_inline_items(pandoc_builder *b, quire_node *parent, unsigned depth,
                       const json_t *list);
int build_blocks(pandoc_builder *b, quire_node *parent, unsigned depth,
                 const json_t *list);
/* An inline list as the whole content of parent (flushed). */
int build_inlines(pandoc_builder *b, quire_node *parent, unsigned depth,
                  const json_t *list);
/* A node of `type` (EMPH, STRONG ...) under parent holding list's
 * inlines; the inlines in its place when it would be nested too deep.
 * *made (may be NULL) is the node, or NULL when it was not made. */
int build_container(pandoc_builder *b, quire_node *parent, unsigned depth,
                    quire_node_type type, const json_t *list,
                    quire_node **made);
/* A Note's blocks into a NOTE under parent (an inline container); their
 * text in its place when it would be nested too deep. */
int build_note(pandoc_builder *b, quire_node *parent, unsigned depth,
               const json_t *blocks);
/* A LINE_BREAK or SOFT_BREAK after the text so far. */
int build_break(pandoc_builder *b, quire_node *parent, quire_node_type type);
/* Blocks as inlines of parent, an inline container: their text, separated
 * by spaces (a note or a table nested deeper than max-depth). */
int build_flat_blocks(pandoc_builder *b, quire_node *parent, unsigned depth,
                      const json_t *list);

/* A Table (its content `c`) into a TABLE under parent, with its caption,
 * columns, head, bodies and foot; a paragraph per row when a TABLE would
 * be nested too deep. */
int build_table(pandoc_builder *b, quire_node *parent, unsigned depth,
                const json_t *c);
/* A Table as inlines of parent: its caption and cells, separated by
 * spaces (a table in a table cell). */
int build_table_inline(pandoc_builder *b, quire_node *parent, unsigned depth,
                       const json_t *c);

#endif
