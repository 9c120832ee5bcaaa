/* md_write.h - what the files of the Markdown writer share: the writer's
 * state, the growable buffer, character classes, and the entry points of
 * the inline, block, HTML, table and front matter parts.  Private to
 * plugins/markdown.
 *
 * md_write.c       options, the documents of one output, notes, warnings
 * md_write_buf.c   the buffer, character classes, display width
 * md_write_inline.c  inlines as Markdown: escaping, emphasis, code, links
 * md_write_block.c the block walk: containers, separation, wrapping
 * md_write_html.c  inlines as HTML (table cells, <dt>, captions)
 * md_write_table.c GFM pipe tables
 * md_write_meta.c  YAML front matter (libyaml's emitter) */
#ifndef QUIRE_MD_WRITE_H
#define QUIRE_MD_WRITE_H

#include <stddef.h>
#include <stdint.h>

#include "md.h"

/* ---- The buffer (md_write_buf.c) ----------------------------------------- */

/* A growable byte buffer, NUL-terminated when not empty.  `failed` is set
 * once memory runs out; later appends do nothing, and the writer checks
 * the flag where it can stop. */
typedef struct md_buf {
  char *p;
  size_t n, cap;
  int failed;
} md_buf;

void md_buf_grow(md_buf *b, size_t need);
void md_buf_put(md_buf *b, const char *s, size_t n);
void md_buf_puts(md_buf *b, const char *s);
static inline void md_buf_putc(md_buf *b, char c) {
  if (b->n + 2 > b->cap)
    md_buf_grow(b, b->n + 2);
  if (b->failed)
    return;
  b->p[b->n++] = c;
  b->p[b->n] = '\0';
}
/* Inserts s[0..n) at byte `at` (memmove of what follows). */
void md_buf_insert(md_buf *b, size_t at, const char *s, size_t n);
void md_buf_free(md_buf *b);

/* Character classes of CommonMark's emphasis rules (cmark-gfm 0.29):
 * whitespace (Unicode Zs, tab, newline, form feed, carriage return; the
 * start or end of a line counts as whitespace: code point 0) and
 * punctuation (ASCII punctuation, Unicode P*). */
int md_is_space_cp(int32_t c);
int md_is_punct_cp(int32_t c);
/* The code point ending at s[n-1] (0 when n is 0), and the one starting
 * at s[0] (0 when n is 0). */
int32_t md_cp_before(const char *s, size_t n);
int32_t md_cp_at(const char *s, size_t n);
/* Display columns of s[0..n) (utf8proc: wide characters two, combining
 * marks none, an invalid byte one). */
size_t md_display_width(const char *s, size_t n);

/* ---- The writer's state --------------------------------------------------- */

/* An open container of the block walk. */
typedef struct md_frame {
  const quire_node *node;
  size_t prefix_len;         /* w->prefix's length before this frame */
  int blocks;                /* blocks written directly in it */
  int tight;                 /* list / item: tight */
  long long number;          /* ordered list: the next item's number */
  char bullet;               /* list: '-', '*', '.' or ')' */
  int last_kind;             /* MD_PREV_* of its last block */
  char last_bullet;          /* the delimiter of its last list, or 0 */
} md_frame;

/* What the last block was, for the separation of the next. */
enum {
  MD_PREV_NONE,
  MD_PREV_PARA,              /* a paragraph: lazy lines join it */
  MD_PREV_OPEN,              /* a quote or list ending with a paragraph */
  MD_PREV_HTML_TAG,          /* a line of our HTML wrapper tags */
  MD_PREV_RAW,               /* a raw HTML block (ends at a blank line) */
  MD_PREV_OTHER
};

typedef struct md_writer {
  quire_env *env;
  const quire_services *svc;
  quire_output *out;
  md_dialect dialect;
  unsigned long columns;     /* 0: no wrapping */
  const quire_meta *corpus;
  md_buf o;                  /* output not yet written */
  int holding;               /* o holds the first document, unwritten */
  size_t docs;               /* documents written so far */
  /* The first document while held: its title and metadata, copied. */
  char *first_title;
  int first_heading;         /* it needs a "# Title" heading */
  char **first_meta;         /* key, value, key, value, ... */
  size_t first_meta_n;
  size_t first_start;        /* where its body starts in o */
  /* The block walk. */
  md_buf prefix;             /* the continuation prefix of every line */
  md_buf marker;             /* the first line's prefix of the block to
                                come: item markers, "> " */
  int marker_on;             /* marker is pending */
  size_t marker_cut;         /* prefix bytes the marker replaces */
  md_frame *stack;
  size_t depth, stack_cap;
  md_buf il;                 /* the inline text of the block at hand */
  size_t line_start;         /* where il's current line starts */
  int nbsp_lead;             /* a line block's line: leading spaces kept
                                as no-break spaces */
  size_t *marks;             /* where open emphasis started in il */
  size_t n_marks, marks_cap;
  md_buf scratch;
  /* Notes: those called in the document being written, numbered from
   * note_base + 1 through the output. */
  const quire_node **notes;
  size_t n_notes, notes_cap;
  size_t note_base;
  int in_link;               /* inside a link's text: no nested links */
  int in_table;              /* inside a pipe table's cell: '|' escaped */
  int in_heading;            /* soft and hard breaks become spaces */
  /* Raw nodes of other formats left out in this document. */
  char raw_formats[256];
  size_t raw_dropped;
  int fatal;
  int doc_lines;             /* lines written of this document */
} md_writer;

/* Sets the message for exhausted memory; QUIRE_FATAL. */
int md_write_oom(md_writer *w);
/* Writes out what is buffered unless the first document is held:
 * QUIRE_OK or QUIRE_FATAL. */
int md_write_flush(md_writer *w);

/* ---- Inlines (md_write_inline.c) ----------------------------------------- */

/* Renders the inline children of `n` as Markdown, appended to w->il.  A
 * breakable space (one --columns may turn into a newline) is written as
 * MD_BREAKABLE. */
#define MD_BREAKABLE '\x01'
void md_inlines(md_writer *w, const quire_node *n);
/* Records a raw node of a format other than HTML that is left out. */
void md_raw_dropped(md_writer *w, const char *format);
/* Appends text s[0..n) to w->il, escaped. */
void md_text(md_writer *w, const char *s, size_t n);
/* Drops the trailing white space of w->il (down to its line start),
 * keeping a backslash there from becoming a hard break. */
void md_trim_end(md_writer *w);
/* Registers a note called here; its number. */
size_t md_note_call(md_writer *w, const quire_node *note);
/* Appends the code span of s[0..n) to b (backticks, padding). */
void md_code_span(md_buf *b, const char *s, size_t n, int pipes);

/* ---- HTML (md_write_html.c) ---------------------------------------------- */

/* The inline children of `n` as HTML on one line, appended to b. */
void md_html_inlines(md_writer *w, md_buf *b, const quire_node *n);
/* s[0..n) escaped as HTML text (or attribute value: quotes too). */
void md_html_escape(md_buf *b, const char *s, size_t n);
/* " id=\"..\" class=\"..\" k=\"v\"" of node's attributes. */
void md_html_attrs(md_buf *b, const quire_node *n);
/* Non-zero when the node has attributes worth an HTML wrapper. */
int md_has_attrs(const quire_node *n);
/* Appends the opening (enter) or closing tag of an inline type Markdown
 * has no syntax for, the same in Markdown and in HTML: superscript,
 * subscript, underline, small caps, a span with attributes; and a
 * quotation's marks.  Non-zero when n is one of those types. */
int md_html_wrapper(md_buf *b, const quire_node *n, int enter);

/* ---- Blocks (md_write_block.c) ------------------------------------------- */

/* Writes the blocks of the subtree under `root` (root's children for a
 * DOCUMENT or NOTE).  QUIRE_OK or QUIRE_FATAL. */
int md_blocks(md_writer *w, const quire_node *root);
/* Writes a note's definition: `mark` before its first line, `indent`
 * before the others, a blank line before it. */
int md_note_definition(md_writer *w, const quire_node *note, const char *mark,
                       const char *indent);
/* Separation before a block of kind `kind` (MD_PREV_*), then nothing. */
void md_block_start(md_writer *w, const quire_node *n, int kind);
/* Writes s[0..n) as lines inside the open containers (no wrapping). */
void md_lines(md_writer *w, const char *s, size_t n);
/* Writes one HTML wrapper line (a tag) as a block of its own. */
void md_html_line(md_writer *w, const quire_node *n, const char *s);

/* ---- Tables (md_write_table.c) ------------------------------------------- */

/* Non-zero when `table` can be a GFM pipe table: gfm, no caption, one
 * head row, no foot, no spans, inline cells without line breaks. */
int md_table_is_pipe(md_writer *w, const quire_node *table);
/* Writes `table` as a pipe table. */
void md_table_pipe(md_writer *w, const quire_node *table);

/* ---- Front matter (md_write_meta.c) -------------------------------------- */

/* YAML front matter of the entries keys[i], values[i] (in order, keys may
 * repeat) appended to b: "---\n...---\n", nothing when there are no
 * entries.  QUIRE_OK or QUIRE_FATAL (message set). */
int md_front_write(md_writer *w, md_buf *b, char *const *kv, size_t n);

#endif
