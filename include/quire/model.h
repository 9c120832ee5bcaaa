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
  QUIRE_NODE_TABLE,          /* children: CAPTION?, TABLE_COLUMN*, then
                                TABLE_HEAD?, TABLE_BODY*, TABLE_FOOT? (a
                                tree made before Model 2 has TABLE_ROWs
                                here; writers accept both) */
  QUIRE_NODE_TABLE_ROW,      /* header != 0 for a row of the head */
  QUIRE_NODE_TABLE_CELL,     /* holds inlines, or blocks (not both);
                                align, rowspan, colspan; header != 0 for
                                a heading cell (th) */
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
  /* ---- Model 2 (ABI 2.3) ---- */
  /* Blocks. */
  QUIRE_NODE_DIV,            /* a container of blocks with attributes */
  QUIRE_NODE_LINE_BLOCK,     /* poetry, addresses: children are LINEs */
  QUIRE_NODE_LINE,           /* one line of a LINE_BLOCK; holds inlines */
  QUIRE_NODE_DEFINITION_LIST,/* children: TERM, then its DEFINITIONs, ... */
  QUIRE_NODE_TERM,           /* holds inlines */
  QUIRE_NODE_DEFINITION,     /* holds blocks */
  QUIRE_NODE_FIGURE,         /* holds blocks and at most one CAPTION */
  QUIRE_NODE_CAPTION,        /* of a FIGURE or TABLE; holds blocks */
  QUIRE_NODE_TABLE_HEAD,     /* of a TABLE; children are TABLE_ROWs */
  QUIRE_NODE_TABLE_BODY,     /* of a TABLE; children are TABLE_ROWs */
  QUIRE_NODE_TABLE_FOOT,     /* of a TABLE; children are TABLE_ROWs */
  QUIRE_NODE_TABLE_COLUMN,   /* of a TABLE, one per column: align, width */
  /* Inlines. */
  QUIRE_NODE_NOTE,           /* a footnote, where it is called; holds
                                blocks */
  QUIRE_NODE_SPAN,           /* inlines with attributes */
  QUIRE_NODE_STRIKEOUT,
  QUIRE_NODE_SUPERSCRIPT,
  QUIRE_NODE_SUBSCRIPT,
  QUIRE_NODE_SMALL_CAPS,
  QUIRE_NODE_UNDERLINE,
  QUIRE_NODE_QUOTED,         /* kind: QUIRE_QUOTE_DOUBLE or _SINGLE */
  QUIRE_NODE_MATH,           /* text = TeX source; kind: QUIRE_MATH_* */
  QUIRE_NODE_TYPE_COUNT
} quire_node_type;

/* Cell alignment of a TABLE_CELL. */
typedef enum quire_align {
  QUIRE_ALIGN_NONE = 0,
  QUIRE_ALIGN_LEFT,
  QUIRE_ALIGN_CENTER,
  QUIRE_ALIGN_RIGHT
} quire_align;

/* ORDERED_LIST numbering and delimiter (pandoc's ListNumberStyle and
 * ListNumberDelim). */
typedef enum quire_list_style {
  QUIRE_LIST_DEFAULT = 0,
  QUIRE_LIST_DECIMAL,
  QUIRE_LIST_LOWER_ALPHA,
  QUIRE_LIST_UPPER_ALPHA,
  QUIRE_LIST_LOWER_ROMAN,
  QUIRE_LIST_UPPER_ROMAN
} quire_list_style;

typedef enum quire_list_delim {
  QUIRE_DELIM_DEFAULT = 0,
  QUIRE_DELIM_PERIOD,        /* 1. */
  QUIRE_DELIM_PAREN,         /* 1) */
  QUIRE_DELIM_TWO_PARENS     /* (1) */
} quire_list_delim;

/* `kind` of QUOTED and MATH nodes. */
enum {
  QUIRE_QUOTE_DOUBLE = 0,
  QUIRE_QUOTE_SINGLE = 1,
  QUIRE_MATH_INLINE = 0,
  QUIRE_MATH_DISPLAY = 1
};

typedef struct quire_node quire_node;
typedef struct quire_meta quire_meta;

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
  quire_align align;         /* TABLE_CELL, TABLE_COLUMN */

  /* ---- Model 2 (ABI 2.3) ---------------------------------------------
   * Attributes of any node (pandoc's Attr): set them with
   * svc->node_set_attr, which puts "id" and "class" here and any other
   * key in attrs. */
  const char *id;            /* unique in its document, or NULL */
  const char *classes;       /* class names separated by spaces, or NULL */
  quire_meta *attrs;         /* other key/value pairs, in order, or NULL */
  /* Small fields, packed: a node costs memory for every word of text. */
  unsigned char kind;        /* QUOTED, MATH: see the enum above */
  unsigned char tight;       /* lists: non-zero when items are not
                                separated by blank lines */
  unsigned char style;       /* ORDERED_LIST: a quire_list_style */
  unsigned char delim;       /* ORDERED_LIST: a quire_list_delim */
  float width;               /* TABLE_COLUMN: share of the table's width
                                (0 to 1), 0 when not given */
  int rowspan;               /* TABLE_CELL: rows it spans; 0 or 1: one */
  int colspan;               /* TABLE_CELL: columns; 0 or 1: one */
};

/* Well-known metadata keys.  Any other key is free key/value metadata. */
#define QUIRE_META_TITLE      "title"
#define QUIRE_META_AUTHOR     "author"      /* repeatable, in order */
#define QUIRE_META_LANGUAGE   "language"    /* BCP 47 tag */
#define QUIRE_META_DATE       "date"        /* ISO 8601 when known */
#define QUIRE_META_SOURCE     "source"      /* path the document came from */
#define QUIRE_META_IDENTIFIER "identifier"
#define QUIRE_META_DESCRIPTION "description"
/* Model 2 (ABI 2.3). */
#define QUIRE_META_PUBLISHER  "publisher"
#define QUIRE_META_RIGHTS     "rights"
#define QUIRE_META_SUBJECT    "subject"     /* repeatable */
/* A creator in another role than author: "creator:ROLE" with the MARC
 * relator code as ROLE ("creator:ill", "creator:trl"); repeatable. */
#define QUIRE_META_CREATOR_PREFIX "creator:"
#define QUIRE_META_DIRECTION  "direction"   /* "rtl" or "ltr": the page
                                               progression of a book */
#define QUIRE_META_ENCODING   "encoding"    /* what the reader decoded the
                                               input from ("windows-1251",
                                               "utf-8"); the text is UTF-8 */

/* One metadata entry; entries form a list in the order they were added.
 * A key may repeat (several authors). */
struct quire_meta {
  const char *key;
  const char *value;
  struct quire_meta *next;
};

typedef struct quire_arena quire_arena;   /* opaque */

/* Resource flags. */
enum {
  QUIRE_RES_COVER = 1        /* the cover image of a book */
};

/* A file a document uses: an image, a font, a stylesheet, audio (Model 2,
 * ABI 2.3).  An IMAGE node whose url equals a resource's name shows that
 * resource.  The bytes are the core's: small ones in memory, the rest in
 * an unlinked temporary file once the document holds more than a few MB;
 * read them with svc->res_read.  Everything here lives as long as the
 * document; the core allocates resources (svc->res_add), never a plugin,
 * since core-private state follows these fields. */
typedef struct quire_resource {
  const char *name;          /* relative path ("images/fig1.png"), no "..",
                                unique in its document */
  const char *media_type;    /* checked against the bytes ("image/png") */
  unsigned long long size;   /* bytes */
  unsigned flags;            /* QUIRE_RES_* */
  struct quire_resource *next;
} quire_resource;

/* A document.  `root` is a DOCUMENT node; `meta` the first metadata entry
 * (NULL when none).  Both live in `arena`.  The core allocates documents;
 * fields are only ever appended. */
typedef struct quire_doc {
  quire_node *root;
  quire_meta *meta;
  quire_arena *arena;
  quire_resource *resources; /* ABI 2.3: first resource, or NULL */
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
 * (cmark's rule): DOCUMENT, SECTION, ITEM, BLOCK_QUOTE, DIV, DEFINITION,
 * FIGURE, CAPTION and NOTE hold blocks (FIGURE and TABLE also a CAPTION);
 * HEADING, PARAGRAPH, LINE, TERM and the inline containers (EMPH, STRONG,
 * LINK, IMAGE, SPAN, STRIKEOUT, SUPERSCRIPT, SUBSCRIPT, SMALL_CAPS,
 * UNDERLINE, QUOTED) hold inlines; TABLE_CELL holds either; lists hold
 * ITEMs, LINE_BLOCK holds LINEs, DEFINITION_LIST holds TERMs and
 * DEFINITIONs; TABLE holds TABLE_COLUMNs, TABLE_HEAD, TABLE_BODY,
 * TABLE_FOOT (and TABLE_ROWs); those hold TABLE_ROWs, which hold
 * TABLE_CELLs; leaves hold nothing.  node_append() also refuses a block in
 * a TABLE_CELL that holds inlines, and the reverse. */
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
