/*
 * quire/model.h - the document model.
 *
 * A corpus is an ordered list of documents; quire streams it, so only one
 * document at a time is normally alive.  A document (quire_doc) holds its
 * metadata and a tree of nodes (quire_node).  Blocks hold blocks or inlines;
 * inlines hold inlines or text.
 *
 * Ownership: every node, string and metadata entry of a document lives in
 * that document's arena and is freed, all at once, with the document.
 * Nothing in a document is ever freed on its own, and no pointer into a
 * document may outlive it.  All text is UTF-8.
 *
 * The structs below are public so that the tree can be walked without a
 * function call per node.  Read their fields freely; build and change a
 * tree only through the functions of quire.h (applications) or of the
 * services table (plugins), which keep the links consistent and put strings
 * in the arena.
 */
#ifndef QUIRE_MODEL_H
#define QUIRE_MODEL_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Node types.  New types are only ever appended (a minor ABI change); a
 * writer meeting a type it does not know should keep its text content. */
typedef enum quire_node_type {
  QUIRE_NODE_NONE = 0,
  /* The root of every document's tree. */
  QUIRE_NODE_DOCUMENT,
  /* Blocks. */
  QUIRE_NODE_SECTION,        /* a group of blocks (an EPUB chapter, a
                                <section>); info: see below */
  QUIRE_NODE_HEADING,        /* level 1-6 */
  QUIRE_NODE_PARAGRAPH,
  QUIRE_NODE_BULLET_LIST,    /* children are ITEMs */
  QUIRE_NODE_ORDERED_LIST,   /* children are ITEMs; start number */
  QUIRE_NODE_ITEM,           /* holds blocks */
  QUIRE_NODE_BLOCK_QUOTE,    /* holds blocks */
  QUIRE_NODE_CODE_BLOCK,     /* text = literal content, info = language */
  QUIRE_NODE_THEMATIC_BREAK,
  QUIRE_NODE_TABLE,          /* children are TABLE_ROWs */
  QUIRE_NODE_TABLE_ROW,      /* header != 0 for a heading row */
  QUIRE_NODE_TABLE_CELL,     /* holds inlines; align */
  QUIRE_NODE_RAW_BLOCK,      /* text = content, info = its format name */
  /* Inlines. */
  QUIRE_NODE_TEXT,           /* text = the characters */
  QUIRE_NODE_EMPH,
  QUIRE_NODE_STRONG,
  QUIRE_NODE_CODE,           /* text = literal content */
  QUIRE_NODE_LINK,           /* url, title; children are the link text */
  QUIRE_NODE_IMAGE,          /* url, title; children are the alt text */
  QUIRE_NODE_LINE_BREAK,
  QUIRE_NODE_SOFT_BREAK,
  QUIRE_NODE_RAW_INLINE,     /* text = content, info = its format name */
  QUIRE_NODE_TYPE_COUNT
} quire_node_type;

/* Cell alignment of a TABLE_CELL. */
typedef enum quire_align {
  QUIRE_ALIGN_NONE = 0,
  QUIRE_ALIGN_LEFT,
  QUIRE_ALIGN_CENTER,
  QUIRE_ALIGN_RIGHT
} quire_align;

typedef struct quire_node quire_node;

/* One node.  Which payload fields mean something depends on the type (see
 * the list above); the others are zero or NULL.  `text` is NUL-terminated
 * and `len` is its length in bytes (text may itself contain no NUL). */
struct quire_node {
  quire_node_type type;
  quire_node *parent;
  quire_node *first_child;
  quire_node *last_child;
  quire_node *prev;
  quire_node *next;

  const char *text;          /* TEXT, CODE, CODE_BLOCK, RAW_*: content */
  size_t len;                /* length of text in bytes */
  /* CODE_BLOCK: language; RAW_*: format name.  SECTION: where a reader
   * found it, as "TAG .class .class #id" (HTML: "section .related",
   * "footer #colophon"), or NULL; a SECTION whose TAG is not "section" is
   * a layout part of a page (header, footer, nav, aside, form, article,
   * main, a div with a telling class), kept so that transforms can judge
   * it, and written by writers as its content alone. */
  const char *info;
  const char *url;           /* LINK, IMAGE: target */
  const char *title;         /* LINK, IMAGE: title, or NULL */
  int level;                 /* HEADING: 1-6 */
  int start;                 /* ORDERED_LIST: first number */
  int header;                /* TABLE_ROW: non-zero in the table head */
  quire_align align;         /* TABLE_CELL */
};

/* Well-known metadata keys.  Any other key is free key/value metadata. */
#define QUIRE_META_TITLE      "title"
#define QUIRE_META_AUTHOR     "author"      /* repeatable, in order */
#define QUIRE_META_LANGUAGE   "language"    /* BCP 47 tag */
#define QUIRE_META_DATE       "date"        /* ISO 8601 when known */
#define QUIRE_META_SOURCE     "source"      /* path the document came from */
#define QUIRE_META_IDENTIFIER "identifier"
#define QUIRE_META_DESCRIPTION "description"

/* One metadata entry; entries form a list in the order they were added.
 * A key may repeat (several authors). */
typedef struct quire_meta {
  const char *key;
  const char *value;
  struct quire_meta *next;
} quire_meta;

typedef struct quire_arena quire_arena;   /* opaque */

/* A document.  `root` is a DOCUMENT node; `meta` the first metadata entry
 * (NULL when none).  Both live in `arena`. */
typedef struct quire_doc {
  quire_node *root;
  quire_meta *meta;
  quire_arena *arena;
} quire_doc;

/* ---- Walking a tree -------------------------------------------------------
 * One iterator walks any tree without recursion, so depth costs no stack.
 * Container nodes give an ENTER event, then their children, then an EXIT
 * event (even when empty).  Leaf nodes (see quire_node_is_leaf) give ENTER
 * only.  Every writer is thus a loop with a switch on node->type:
 *
 *     quire_iter it;
 *     svc->iter_init(&it, doc->root);      (quire_iter_init in programs)
 *     while (svc->iter_next(&it) != QUIRE_EV_DONE)
 *       switch (it.node->type) { ... it.event tells ENTER or EXIT ... }
 *
 * The tree must not change during the walk. */
typedef enum quire_event {
  QUIRE_EV_NONE = 0,
  QUIRE_EV_ENTER,
  QUIRE_EV_EXIT,
  QUIRE_EV_DONE
} quire_event;

typedef struct quire_iter {
  const quire_node *root;
  const quire_node *node;    /* the current node */
  quire_event event;         /* the current event */
} quire_iter;

/* The model's rules and the walk.  Applications call these functions of
 * libquire; plugins, which link against nothing of quire's, call the same
 * functions through the services table (svc->iter_next, ...).  They are
 * functions, not inline code, so that a program or plugin built against
 * ABI 2.0 walks correctly a tree holding node types a later 2.x core adds:
 * an unknown type is walked as a container of its children. */

/* Non-zero for types that never have children. */
int quire_node_is_leaf(quire_node_type t);
/* Non-zero for inline types. */
int quire_node_is_inline(quire_node_type t);
/* Non-zero when a node of type `parent` may hold a child of type `child`
 * (cmark's rule): DOCUMENT, SECTION, ITEM and BLOCK_QUOTE hold blocks;
 * HEADING, PARAGRAPH, TABLE_CELL and the inline containers (EMPH, STRONG,
 * LINK, IMAGE) hold inlines; lists hold ITEMs, TABLE holds TABLE_ROWs,
 * TABLE_ROW holds TABLE_CELLs; leaves hold nothing. */
int quire_node_can_contain(quire_node_type parent, quire_node_type child);
/* The name of a node type ("paragraph", "heading", ...), for messages and
 * debugging dumps; "unknown" for a type this version does not know.  The
 * string is static. */
const char *quire_node_type_name(quire_node_type t);

/* Starts a walk of the subtree under `root` (root included). */
void quire_iter_init(quire_iter *it, const quire_node *root);
/* Moves to the next event and returns it; QUIRE_EV_DONE at the end. */
quire_event quire_iter_next(quire_iter *it);

#ifdef __cplusplus
}
#endif

#endif
