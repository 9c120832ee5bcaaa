/* txt_write.h - what the files of the plain-text writer share: the
 * writer's state, text measuring and breaking, and the entry points of
 * the table layout.  Private to plugins/txt. */
#ifndef QUIRE_TXT_WRITE_H
#define QUIRE_TXT_WRITE_H

#include <stddef.h>
#include <stdio.h>

#include <quire/plugin.h>

/* How deep captions written after their figure, and tables laid out in
 * the cells of laid-out tables, may nest before they are written in place
 * (tables flat, a row per line): each level is a call of its own, and a
 * hostile tree must not exhaust the stack.  (A table holding a table is
 * written flat anyway, see txt_table_is_layout.) */
#define TXT_MAX_NEST 16

/* The open containers that give lines a prefix or count blocks.  A
 * "marker" frame (ITEM, NOTE, CAPTION, DEFINITION) puts its marker before
 * the first line of its first block and its indent before every other
 * line; a BLOCK_QUOTE puts "> " before every line; the others (lists,
 * FIGURE, TABLE) put nothing. */
typedef struct txt_frame {
  quire_node_type type;
  const quire_node *node;
  long long number;             /* list: the number of its next item */
  int items;                    /* list: items entered so far */
  int blocks;                   /* blocks written in it so far */
  int shown;                    /* a line was written inside it */
  int loose;                    /* list: blank lines between items */
  int flat_table;               /* TABLE: rows written as "a | b" lines */
  int glue_first;               /* DEFINITION: its first block follows its
                                   term on the next line */
  const quire_node *caption;    /* FIGURE: its caption, written after it */
  char marker[40];              /* first line of the first block */
  char indent[24];              /* every other line */
} txt_frame;

/* What a document's writers share: the writer of the document and those
 * rendering its table cells number the same notes and count the same
 * images. */
typedef struct txt_shared {
  const quire_node **notes;     /* NOTE nodes in the order called */
  size_t n_notes, notes_cap;
  size_t images;                /* IMAGE nodes written as their alt text */
  size_t raw_html;              /* raw HTML nodes left out */
} txt_shared;

typedef struct txt_writer {
  quire_output *out;            /* NULL: bytes go to `mem` */
  char *mem;                    /* a cell's rendering */
  size_t mem_used, mem_cap;
  unsigned long columns;        /* 0: no wrapping */
  int flat;                     /* a cell: no blank lines, no underlines */
  int nest;                     /* tables and captions entered (see above) */
  txt_shared *shared;
  const quire_node *root;       /* the subtree being walked */
  const quire_node *skip;       /* events are ignored until its EXIT */
  size_t note_number;           /* the note being written at the end */
  char *text;                   /* the inline text being collected */
  size_t used, cap;
  int break_pending;            /* display math ended: next inline on a new
                                   line */
  char *lines;                  /* a line block's lines */
  size_t lines_used, lines_cap;
  char *row;                    /* a flat table row being collected */
  size_t row_used, row_cap;
  txt_frame *stack;
  size_t depth, stack_cap;
  int prev;                     /* TXT_PREV_* of the last block written */
  int prev_lonely;              /* it was a heading-like paragraph */
  int wrote;                    /* anything written yet */
  int in_row;                   /* flat table rows glue together */
  char *line;                   /* scratch for prefixes */
  size_t line_cap;
  struct txt_writer *cell;      /* renders table cells, made on first use */
  /* Titles and boundaries (txt_write.c): the writer of the output only. */
  quire_env *env;
  const quire_meta *corpus;     /* the corpus metadata */
  const char *given;            /* --title, or NULL */
  int boundaries;               /* documents under their titles, "* * *"
                                   between them (not --no-boundaries) */
  unsigned docs;                /* documents begun */
  int holding;                  /* the first document is held, its bytes in
                                   held (up to TXT_HOLD_MEMORY) or held_file */
  char *held;
  size_t held_len, held_cap;
  FILE *held_file;
  int held_wrote;               /* the held document wrote a block */
  char *first_h1;               /* the first document's leading level-1
                                   heading, blanks collapsed, or NULL */
  char *first_title;            /* the first document's title, or NULL */
  int first_says;               /* its leading heading says its title */
} txt_writer;

/* The first document is held in memory up to this size, then in a
 * temporary file. */
#define TXT_HOLD_MEMORY ((size_t)1 << 20)

/* ---- Buffers (txt_write_text.c) ----------------------------------------- */

/* Makes *buf hold at least need bytes: QUIRE_OK or QUIRE_ERR. */
int txt_grow(char **buf, size_t *cap, size_t need);
/* Appends s[0..n) (s may be NULL when n is 0) and keeps a NUL after it. */
int txt_append(char **buf, size_t *used, size_t *cap, const char *s,
               size_t n);

/* ---- Measuring and breaking (txt_write_text.c) -------------------------- */

/* Display columns of s[0..n) (utf8proc: a wide character counts two, a
 * combining mark none; an invalid byte one). */
size_t txt_display_width(const char *s, size_t n);

/* Where the line starting at s[pos] and ending at most at s[end] breaks
 * when it may take `room` display columns: at the last space that keeps it
 * within room, else at the first space after a word too long for it, else
 * at end.  The caller skips the spaces at the break. */
size_t txt_wrap_stop(const char *s, size_t pos, size_t end, size_t room);

/* The display width of the longest word (run without spaces) of s[0..n). */
size_t txt_longest_word(const char *s, size_t n);

/* Writes the marker of item `number` of an ordered list in `style` and
 * with `delim` ("3. ", "c) ", "(iii) ") into buf, NUL-terminated. */
void txt_list_marker(char *buf, size_t size, long long number,
                     quire_list_style style, quire_list_delim delim);

/* ---- Blocks (txt_write_block.c) ----------------------------------------- */

/* What the last block written was, for the glue between blocks. */
enum { TXT_PREV_NONE, TXT_PREV_PARA, TXT_PREV_OTHER, TXT_PREV_TERM };

/* Sets the message for exhausted memory; returns QUIRE_FATAL, since any
 * failure of this writer leaves a partial document in its output. */
int txt_oom(quire_env *env);

/* Writes s[0..n) to the output, or to w->mem for a cell's writer:
 * QUIRE_OK or QUIRE_FATAL with the message set. */
int txt_put(quire_env *env, txt_writer *w, const char *s, size_t n);

/* Opens a container of `type` for `node`: the new frame, zeroed but for
 * those two, or NULL when memory is exhausted.  The caller fills in a
 * marker frame's marker and indent. */
txt_frame *txt_push(txt_writer *w, quire_node_type type,
                    const quire_node *node);
/* The innermost open container, or NULL. */
txt_frame *txt_top(txt_writer *w);

/* Writes a block of text s[0..n) ('\n' between its lines) inside the open
 * containers, after a blank line (a single newline when `glue` or when the
 * innermost list is tight), wrapped at --columns when `wrap`.  QUIRE_OK or
 * QUIRE_FATAL with the message set. */
int txt_write_block(quire_env *env, txt_writer *w, const char *s, size_t n,
                    int glue, int wrap);

/* txt_write_block() never wrapped, for headings, tables and line blocks;
 * a heading-like paragraph after it is not glued to it. */
int txt_write_lines(quire_env *env, txt_writer *w, const char *s, size_t n,
                    int glue);

/* Write the inline text collected in w->text as a paragraph, a heading
 * (underlined with '=' for level 1, '-' below; no underline in a cell) or
 * a definition list's term. */
int txt_write_paragraph(quire_env *env, txt_writer *w);
int txt_write_heading(quire_env *env, txt_writer *w, int level);
int txt_write_term(quire_env *env, txt_writer *w);

/* ---- The walk (txt_write.c) --------------------------------------------- */

/* Renders the content of table cell `cell` as lines ('\n' between them,
 * none empty, no trailing newline) in *s / *n, which stay valid until the
 * next call; a cell's notes join the document's.  QUIRE_OK or
 * QUIRE_FATAL with the message set. */
int txt_cell_lines(quire_env *env, txt_writer *w, const quire_node *cell,
                   const char **s, size_t *n);

/* ---- Tables (txt_write_table.c) ----------------------------------------- */

/* Non-zero when `table` lays out a page rather than holding data: it has
 * one column, or a cell holds a table, a heading or a section, or more
 * than TXT_LAYOUT_CELL_BYTES of text.  Such a table is written as its rows
 * one after the other, a row per line ("a | b"), cells of blocks as those
 * blocks: side by side, a page's columns would make lines thousands of
 * characters long. */
#define TXT_LAYOUT_CELL_BYTES 1000
int txt_table_is_layout(quire_env *env, const quire_node *table);

/* Writes the rows of `table` as aligned text: columns as wide as their
 * widest line, a rule under the head rows and above the foot rows.  With
 * --columns and too wide, cell text wraps inside narrower columns, or,
 * when even the longest words do not fit, each row becomes a block of
 * "header: value" lines.  The caption is written by the walk.  QUIRE_OK
 * or QUIRE_FATAL with the message set. */
int txt_table_write(quire_env *env, txt_writer *w, const quire_node *table);

#endif
