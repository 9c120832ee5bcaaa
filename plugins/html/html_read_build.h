/* html_read_build.h - the state of the HTML reader's tree builder, shared
 * by the files that make parts of the document: html_build.c (the walk,
 * blocks and inlines), html_read_attr.c (attributes and ids),
 * html_read_meta.c (metadata), html_read_parts.c (page parts),
 * html_read_table.c (tables) and html_read_math.c (math).  Private to the
 * reader. */
#ifndef QUIRE_HTML_READ_BUILD_H
#define QUIRE_HTML_READ_BUILD_H

#include <stddef.h>
#include <stdint.h>

#include <libxml/tree.h>
#include <quire/plugin.h>

#include "html_res.h"

/* What an element is taken as. */
enum kind {
  K_INLINE,      /* a transparent container of inline content */
  K_BLOCK,       /* a transparent container of blocks: div, main ... */
  K_DROP,        /* dropped with its content */
  K_HEAD, K_TITLE, K_META, K_BODY, K_NAV,
  /* Blocks (is_block_kind: K_SECTION to K_CELL). */
  K_SECTION, K_DIV, K_LINE_BLOCK, K_HEADING, K_PARA, K_LIST, K_ITEM,
  K_DL, K_TERM, K_DEF, K_FIGURE, K_CAPTION, K_QUOTE, K_TABLE, K_COLGROUP,
  K_ROWS, K_ROW, K_CELL,
  K_PRE, K_RULE, K_COL,
  /* Inlines made when content arrives in them ("pending"). */
  K_EMPH, K_STRONG, K_LINK, K_SPAN, K_STRIKE, K_SUP, K_SUB, K_UNDER,
  K_QUOTED, K_SMALLCAPS,
  /* Inlines dealt with whole. */
  K_CODE, K_IMAGE, K_OBJECT, K_MATH, K_BREAK,
  K_FLAT,        /* a block flattened into inline content */
  K_COUNT
};

typedef struct frame {
  xmlNode *el;
  unsigned char kind;           /* what the element was taken as */
  unsigned char pending;        /* an inline waiting for content */
  unsigned char strong;         /* a term's paragraph got its <strong> */
  quire_node *made;             /* the node it made, or NULL */
  quire_node *blk, *inl, *foster;   /* the context to restore */
  unsigned blk_depth, inl_depth, foster_depth;
  quire_node *tbody;            /* the table's implicit body */
  unsigned cols;                /* colgroup: columns its <col>s made */
} frame;

typedef struct buf {
  char *s;
  size_t n, cap;
} buf;

/* The ids given so far, to keep each unique in the document. */
typedef struct id_set {
  const char **slots;
  size_t n, cap;                /* cap: a power of two, or 0 */
} id_set;

typedef struct builder {
  quire_env *env;
  const quire_services *svc;
  quire_doc *doc;
  const char *name;
  html_res *res;                /* resolves images to resources, or NULL */
  int failed;                   /* out of memory, or refused below */
  int res_failed;               /* resources failed, the message is set */
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
  quire_node *tbody;            /* the body made for rows outside one */

  buf text;                     /* text not yet in a node */
  int ws;                       /* pending whitespace: 0, ' ' or '\n' */
  int line_start;               /* nothing yet on this line of the block */
  int after_space;              /* the last thing written was a space */

  frame *stack;
  size_t depth, cap;
  size_t pending_from;          /* first frame with a pending inline */
  unsigned open[K_COUNT];       /* inline nodes open, by kind */

  /* Ids of empty anchors (<a id>, <span id>) met where no inline content
   * was open: they go at the start of the next inline content. */
  quire_node **anchors;
  size_t n_anchors, cap_anchors;
  id_set ids;

  /* Text not carried into the document (a <noscript>, a table of
   * contents), told in one warning at the end; -v lists each part. */
  size_t skipped_words, skipped_parts;
  const char *skipped_first;    /* what the first such part was */

  buf scratch;                  /* the text under an element */
  buf attr;                     /* the attribute value read last */

  char *title, *og_title, *date, *og_date, *description, *og_description,
      *keywords;
} builder;

/* ---- html_build.c ---- */
int hb_put(builder *b, buf *x, const char *s, size_t n);
/* child appended to parent; non-zero (and the walk stops) when refused. */
int hb_attach(builder *b, quire_node *parent, quire_node *child);
/* A new node of type, appended to parent unless parent is NULL. */
quire_node *hb_add(builder *b, quire_node *parent, quire_node_type type);
char *hb_dup(builder *b, const char *s, size_t n);
int hb_kind_of(const xmlNode *el);
int hb_is_space(char c);
/* Collapses whitespace runs of s to single spaces and trims it. */
size_t hb_squash(char *s);
/* The text under el, in b->scratch (see html_build.c). */
char *hb_subtree_text(builder *b, xmlNode *el, int verbatim);
/* The line of el, for messages. */
unsigned long hb_line(const xmlNode *el);

/* ---- html_read_attr.c ---- */
/* The value of el's attribute `name` ("epub:type", "xml:lang" match a
 * namespaced attribute as written), in b->attr until the next call; NULL
 * when el has none. */
const char *hb_attr(builder *b, const xmlNode *el, const char *name);
/* Non-zero when el carries an attribute kept on nodes (id, class, lang,
 * dir, title, role, epub:type, data-*), apart from class word `skip`. */
int hb_has_attrs(builder *b, const xmlNode *el, const char *skip);
/* Copies el's kept attributes onto n (an id only when not yet given in
 * the document); class word `skip` (may be NULL) is left out. */
void hb_keep_attrs(builder *b, quire_node *n, const xmlNode *el,
                   const char *skip);
/* Takes id for n when no node has it yet: 1 when n got it. */
int hb_take_id(builder *b, quire_node *n, const char *id);
/* Non-zero when the space-separated list `list` holds `word`. */
int hb_has_word(const char *list, const char *word);
void hb_ids_free(id_set *ids);

/* ---- html_read_meta.c ---- */
/* Keeps a squashed copy of value in *slot unless it holds one already. */
void hb_keep_text(builder *b, char **slot, const char *value);
/* A <meta> element; the <head>'s title and <meta>s. */
void hb_meta(builder *b, xmlNode *el);
void hb_head(builder *b, xmlNode *el);
/* Sets the document's metadata from what was kept, once the page is read. */
void hb_finish_meta(builder *b, xmlDoc *tree);

/* ---- html_read_parts.c ---- */
/* Non-zero when el, a container of blocks taken as `listed`, is a part of
 * the page kept as a layout SECTION. */
int hb_page_part(builder *b, const xmlNode *el, int listed);
/* "TAG .class .class #id", in the document's arena, for its info. */
const char *hb_section_info(builder *b, const xmlNode *el);

/* ---- html_read_table.c ---- */
/* Non-zero when the cell el holds block elements. */
int hb_cell_has_blocks(const xmlNode *el);
/* Columns of a <col> (or a <colgroup> without <col>s): appended to table.
 * Returns how many were made. */
unsigned hb_columns(builder *b, quire_node *table, const xmlNode *el);
/* A cell's alignment, spans and attributes. */
void hb_cell(builder *b, quire_node *cell, const xmlNode *el);
/* Puts a finished table's parts in the model's order (caption, columns,
 * head, bodies, foot), moves a first row of heading cells into a head
 * when there is none, and drops empty parts.  Non-zero when the table
 * holds no row. */
int hb_table_finish(builder *b, quire_node *table);
quire_align hb_align_of(builder *b, const xmlNode *el);

/* ---- html_read_math.c ---- */
/* Non-zero when el is pandoc's <span class="math inline|display">. */
int hb_is_math_span(builder *b, const xmlNode *el);
/* A detached MATH node for <math> (MathML) or a math span, or NULL when
 * it holds no text (b->failed says whether memory ran out). */
quire_node *hb_math(builder *b, xmlNode *el);

#endif
