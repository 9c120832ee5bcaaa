/* html_write_walk.h - the renderer's state, shared by its files:
 * html_render.c (the walk, blocks and inlines), html_write_table.c
 * (tables) and html_write_notes.c (notes).  Private to the html plugin.
 *
 * The helpers return non-zero on failure, to chain with ||. */
#ifndef QUIRE_HTML_WRITE_WALK_H
#define QUIRE_HTML_WRITE_WALK_H

#include <libxml/tree.h>

#include "html_render.h"
#include "html_write_attrs.h"
#include "html_write_ids.h"
#include "xml_text.h"

/* An open table: tables nest when cells hold blocks. */
typedef struct table_state {
  int part;                  /* a tree made before Model 2 (rows directly
                                in the table): 0 none open, 1 <thead>,
                                2 <tbody> */
  int widths;                /* a column has a width: <colgroup> */
  quire_align *aligns;       /* the columns' alignments, for cells with
                                none of their own; NULL when no column
                                has one */
  size_t *until;             /* per column: the row before which a cell
                                spanning rows from above fills it */
  size_t n_cols;             /* columns tracked: 0 when none is aligned */
  size_t cap_cols;           /* the arrays' size */
  size_t row;                /* rows so far */
  size_t col;                /* the current row's next column */
} table_state;

/* A note met in the document, written after its blocks. */
typedef struct note_entry {
  const quire_node *node;
  const char *id;            /* the note's */
  const char *ref;           /* where it is called */
} note_entry;

struct html_render {
  xml_text text;             /* drops what XML cannot hold */
  char *heading;             /* plain text of the open heading */
  size_t heading_len, heading_cap;
  char *alt;                 /* alt text of the open image */
  size_t alt_len, alt_cap;
  xmlDocPtr context;         /* for checking raw HTML in XHTML */
  html_ids ids;              /* every id of the document (of the page, with
                                page_ids), and the made ones */
  html_ids names;            /* the document's ids: what each is written as */
  html_ids written;          /* the ids written so far */
  note_entry *notes;
  size_t n_notes, cap_notes;
  table_state *tables;
  size_t n_tables, cap_tables;
  char *scratch;             /* for making ids and decoding URLs */
  size_t scratch_cap;
  size_t missing, unsafe;
};

typedef struct walk {
  quire_env *env;
  html_render *r;
  xmlTextWriterPtr w;
  const html_render_opts *o;
  const quire_doc *doc;
  const quire_node *image;   /* collecting this image's alt text */
  const quire_node *heading; /* collecting this heading's text */
  const char *heading_id;
  const quire_node *skip;    /* a note, left until its exit */
  const quire_node *note;    /* the note whose blocks are being written */
  const char *element;       /* the element walk_start opened last */
  int media_failed;          /* QUIRE_FATAL from media: message set */
  unsigned headings;
} walk;

/* Writing. */
int walk_start(walk *k, const char *name);
int walk_end(walk *k);
int walk_end_void(walk *k);   /* <br/>, <hr/> */
int walk_newline(walk *k);
int walk_text(walk *k, const char *s, size_t n);
int walk_attr(walk *k, const char *name, const char *value);
/* What n's own id is written as (renamed when an earlier document of the
 * page has it), or NULL when it has none or it was written already. */
const char *walk_own_id(walk *k, const quire_node *n);
/* n's id (its own, once per document), classes and attributes, merged
 * with the element's own classes, style and the attributes it writes
 * (see html_attr_spec), on the element walk_start opened last; id
 * overrides n's id when not NULL. */
int walk_attrs(walk *k, const quire_node *n, const char *id, const char *cls,
               const char *style, const char *const *own);
/* The prefix of kind: the id prefix or the note prefix ("" when none). */
const char *walk_prefix(const walk *k, html_prefix kind);
/* A fresh id (see html_ids_fresh) made of fmt, which takes the prefix of
 * kind and then number (it may leave number out), reported to the slots'
 * made() when the options have slots; NULL when memory failed. */
const char *walk_fresh_id(walk *k, const char *fmt, html_prefix kind,
                          unsigned long number);
/* Writes attribute name with id, an id walk_fresh_id made with the prefix
 * of kind, as its value, after a '#' when href is non-zero; with slots,
 * the prefix is left out and a slot is marked where it goes. */
int walk_made_attr(walk *k, const char *name, int href, const char *id,
                   html_prefix kind);
/* Walks the subtree under root (root included), writing each node. */
int walk_run(walk *k, const quire_node *root);

/* Non-zero for a paragraph written without <p> (see html_render.c). */
int walk_bare(const quire_node *n);

/* Tables (html_write_table.c): each called on the event of its node. */
int table_enter(walk *k, const quire_node *n);
int table_exit(walk *k, const quire_node *n);
int table_part_enter(walk *k, const quire_node *n);
int table_column(walk *k, const quire_node *n);
int table_row_enter(walk *k, const quire_node *n);
int table_cell_enter(walk *k, const quire_node *n);
int table_cell_exit(walk *k, const quire_node *n);
void table_states_free(html_render *r);

/* Notes (html_write_notes.c): the call of a note, where it stands;
 * the back link, inside the last paragraph of a note's blocks; and every
 * note met, after the document's blocks. */
int notes_call(walk *k, const quire_node *n);
int notes_back_link(walk *k, const quire_node *paragraph);
int notes_write(walk *k);

#endif
