/* txt_write.c - the model as plain text a person reads and quire reads back
 * to the same model.
 *
 * Blocks are separated by one blank line; a level-1 heading is underlined
 * with '=', other headings with '-' (at least three, else the width of the
 * heading in display columns); list items start with "• ", "1. " or the
 * list's own numbering ("c) ", "(iv) "); block quotes with "> ";
 * definitions are indented by four spaces under their term.  Nothing is
 * wrapped unless --columns N is given.  A note is "[N]" where it is called,
 * and the notes follow the document under "Notes", each "[N] " before its
 * first line.  Tables are laid out by txt_write_table.c.
 *
 * A paragraph that would read back as a heading (short, standing alone,
 * without final punctuation) is written on the line next to a neighbouring
 * paragraph, without a blank line between: the reader then sees two
 * paragraphs, and txt to txt stays byte-identical.
 *
 * Several documents in one text: the title at the top (--title; else the
 * corpus key `collection`, the folder's name; else the output file's name
 * without its extension), each document under its title as a level-1
 * heading, "* * *" between documents.  The title at the top is written
 * with --title or when the text holds several documents, unless the first
 * document starts with a level-1 heading of the same text; a document's
 * title is not written again when its first heading says it.  Without
 * --title the first document is held (in memory, past TXT_HOLD_MEMORY in
 * a temporary file) until a second one comes: alone, it is written as it
 * is.  --no-boundaries writes the documents one after the other as
 * before, --title alone at the top. */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "txt.h"
#include "txt_write.h"
#include "lead_heading.h"

int txt_write_open(quire_env *env, quire_output *out,
                   const quire_options *opts, const quire_meta *corpus,
                   void **state) {
  txt_writer *w = calloc(1, sizeof *w);
  txt_shared *shared = calloc(1, sizeof *shared);
  if (!w || !shared) {
    free(w);
    free(shared);
    return txt_oom(env);
  }
  w->out = out;
  w->shared = shared;
  w->env = env;
  w->corpus = corpus;
  w->given = env->svc->meta_get(corpus, QUIRE_META_TITLE);
  if (w->given && !w->given[0])
    w->given = NULL;
  w->boundaries = env->svc->option(opts, "no-boundaries") == NULL;
  const char *cols = env->svc->option(opts, "columns");
  if (cols) {
    char *end;
    w->columns = strtoul(cols, &end, 10);
    if (*end || cols[0] == '-' || w->columns < 10 || w->columns > 100000) {
      free(shared);
      free(w);
      return env->svc->usage_error(env, "--columns wants a number from 10 "
                                        "to 100000, not '%s'", cols);
    }
  }
  *state = w;
  return QUIRE_OK;
}

/* ---- Inline text -------------------------------------------------------- */

/* Adds inline text to the block being collected.  After display math the
 * text goes on a new line, the spaces before it dropped. */
static int add_text(quire_env *env, txt_writer *w, const char *s, size_t n) {
  if (w->break_pending) {
    while (n && *s == ' ') {
      s++;
      n--;
    }
    if (!n)
      return QUIRE_OK;
    w->break_pending = 0;
    if (txt_append(&w->text, &w->used, &w->cap, "\n", 1))
      return txt_oom(env);
  }
  return txt_append(&w->text, &w->used, &w->cap, s, n) ? txt_oom(env)
                                                       : QUIRE_OK;
}

static int add_str(quire_env *env, txt_writer *w, const char *s) {
  return add_text(env, w, s, strlen(s));
}

/* Inline math is $TeX$; display math $$TeX$$ on a line of its own. */
static int add_math(quire_env *env, txt_writer *w, const quire_node *n) {
  const char *tex = n->text ? n->text : "";
  if (n->kind != QUIRE_MATH_DISPLAY) {
    int rc = add_str(env, w, "$");
    if (rc == QUIRE_OK)
      rc = add_text(env, w, tex, n->len);
    return rc == QUIRE_OK ? add_str(env, w, "$") : rc;
  }
  w->break_pending = 0;
  while (w->used && w->text[w->used - 1] == ' ')
    w->used--;
  if ((w->used && w->text[w->used - 1] != '\n' &&
       txt_append(&w->text, &w->used, &w->cap, "\n", 1)) ||
      txt_append(&w->text, &w->used, &w->cap, "$$", 2) ||
      txt_append(&w->text, &w->used, &w->cap, tex, n->text ? n->len : 0) ||
      txt_append(&w->text, &w->used, &w->cap, "$$", 2))
    return txt_oom(env);
  w->break_pending = 1;
  return QUIRE_OK;
}

/* A note called here: its number now, its blocks after the document. */
static int call_note(quire_env *env, txt_writer *w, const quire_node *n) {
  txt_shared *sh = w->shared;
  if (sh->n_notes == sh->notes_cap) {
    size_t cap = sh->notes_cap ? sh->notes_cap * 2 : 16;
    const quire_node **p = realloc(sh->notes, cap * sizeof *p);
    if (!p)
      return txt_oom(env);
    sh->notes = p;
    sh->notes_cap = cap;
  }
  sh->notes[sh->n_notes++] = n;
  char mark[32];
  snprintf(mark, sizeof mark, "[%zu]", sh->n_notes);
  w->skip = n;
  return add_str(env, w, mark);
}

/* ---- The walk ----------------------------------------------------------- */

static int walk(quire_env *env, txt_writer *w, const quire_node *root);

/* The blocks whose inline text is collected in w->text (and the table
 * cell, which has a case of its own). */
static int is_collector(quire_node_type t) {
  return t == QUIRE_NODE_PARAGRAPH || t == QUIRE_NODE_HEADING ||
         t == QUIRE_NODE_LINE || t == QUIRE_NODE_TERM;
}

/* A list that is not tight, one of whose items holds two blocks other
 * than lists and sections (two paragraphs, a paragraph and a quote), is
 * written with blank lines between its items.  Items of one paragraph and
 * their nested lists go line by line whatever the flag: a tree made before
 * lists had the flag says 0, and the txt reader reads a list only from
 * consecutive lines. */
static int list_is_loose(const quire_node *list) {
  if (list->tight)
    return 0;
  for (const quire_node *item = list->first_child; item; item = item->next) {
    int blocks = 0;
    for (const quire_node *b = item->first_child; b; b = b->next)
      if (b->type != QUIRE_NODE_BULLET_LIST &&
          b->type != QUIRE_NODE_ORDERED_LIST &&
          b->type != QUIRE_NODE_SECTION && b->type != QUIRE_NODE_DIV &&
          ++blocks > 1)
        return 1;
  }
  return 0;
}

static int enter_item(quire_env *env, txt_writer *w, const quire_node *n) {
  txt_frame *list = txt_top(w);
  if (list && list->items++)
    list->number++;
  /* What the item needs of its list, before txt_push moves the stack. */
  const quire_node *l = list ? list->node : NULL;
  long long number = list ? list->number : 0;
  txt_frame *f = txt_push(w, n->type, n);
  if (!f)
    return txt_oom(env);
  if (l && l->type == QUIRE_NODE_ORDERED_LIST)
    txt_list_marker(f->marker, sizeof f->marker, number, l->style,
                    l->delim);
  else
    snprintf(f->marker, sizeof f->marker, "\xE2\x80\xA2 ");
  snprintf(f->indent, sizeof f->indent, "  ");
  return QUIRE_OK;
}

/* A caption is written where it stands, "Figure: " or "Table: " before
 * its first line; a figure's caption that stands before other blocks is
 * kept for after them. */
static int enter_caption(quire_env *env, txt_writer *w, const quire_node *n) {
  const quire_node *parent = n->parent;
  txt_frame *t = txt_top(w);
  if (n != w->root && parent && parent->type == QUIRE_NODE_FIGURE && n->next &&
      w->nest < TXT_MAX_NEST && t && t->type == QUIRE_NODE_FIGURE &&
      !t->caption) {
    t->caption = n;
    w->skip = n;
    return QUIRE_OK;
  }
  txt_frame *f = txt_push(w, n->type, n);
  if (!f)
    return txt_oom(env);
  snprintf(f->marker, sizeof f->marker, "%s: ",
           parent && parent->type == QUIRE_NODE_TABLE ? "Table" : "Figure");
  return QUIRE_OK;
}

static int enter_table(quire_env *env, txt_writer *w, const quire_node *n) {
  txt_frame *f = txt_push(w, n->type, n);
  if (!f)
    return txt_oom(env);
  f->flat_table = w->nest >= TXT_MAX_NEST || txt_table_is_layout(env, n);
  return QUIRE_OK;
}

static int holds_blocks(quire_env *env, const quire_node *n) {
  return n->first_child && !env->svc->node_is_inline(n->first_child->type);
}

/* A row of a flat table: its cells' text on a line, " | " between them;
 * the rows of a table follow each other line by line. */
static int write_row(quire_env *env, txt_writer *w) {
  int glue = w->in_row;
  w->in_row = 1;
  w->prev = TXT_PREV_OTHER;
  int rc = txt_write_block(env, w, w->row ? w->row : "", w->row_used, glue, 1);
  w->row_used = 0;
  return rc;
}

/* Raw HTML is markup, which plain text has no place for: it is left out
 * (counted, one warning per document), as pandoc's plain writer does.  Raw
 * content of other formats (TeX, say) is written as its text. */
static int raw_html(const quire_node *n) {
  return n->info && (strcasecmp(n->info, "html") == 0 ||
                     strcasecmp(n->info, "xhtml") == 0);
}

static int on_enter(quire_env *env, txt_writer *w, const quire_node *n) {
  txt_frame *f;
  if ((n->type == QUIRE_NODE_RAW_INLINE || n->type == QUIRE_NODE_RAW_BLOCK) &&
      raw_html(n)) {
    w->shared->raw_html++;
    return QUIRE_OK;
  }
  switch (n->type) {
  case QUIRE_NODE_TEXT:
  case QUIRE_NODE_CODE:
  case QUIRE_NODE_RAW_INLINE:
    return add_text(env, w, n->text, n->len);
  case QUIRE_NODE_SOFT_BREAK:
    return add_text(env, w, " ", 1);
  case QUIRE_NODE_LINE_BREAK:
    w->break_pending = 0;
    return txt_append(&w->text, &w->used, &w->cap, "\n", 1) ? txt_oom(env) : 0;
  case QUIRE_NODE_MATH:
    return add_math(env, w, n);
  case QUIRE_NODE_QUOTED:
    return add_str(env, w, n->kind == QUIRE_QUOTE_SINGLE ? "\xE2\x80\x98"
                                                         : "\xE2\x80\x9C");
  case QUIRE_NODE_IMAGE:
    w->shared->images++;   /* its children, the alt text, are written */
    return QUIRE_OK;
  case QUIRE_NODE_NOTE:
    if (n != w->root)
      return call_note(env, w, n);
    if (!(f = txt_push(w, n->type, n)))
      return txt_oom(env);
    snprintf(f->marker, sizeof f->marker, "[%zu] ", w->note_number);
    memset(f->indent, ' ', strnlen(f->marker, sizeof f->indent - 1));
    return QUIRE_OK;
  case QUIRE_NODE_BULLET_LIST:
  case QUIRE_NODE_ORDERED_LIST:
    if (!(f = txt_push(w, n->type, n)))
      return txt_oom(env);
    f->number = n->type == QUIRE_NODE_ORDERED_LIST ? n->start : 0;
    f->loose = list_is_loose(n);
    return QUIRE_OK;
  case QUIRE_NODE_ITEM:
    return enter_item(env, w, n);
  case QUIRE_NODE_DEFINITION:
    if (!(f = txt_push(w, n->type, n)))
      return txt_oom(env);
    snprintf(f->marker, sizeof f->marker, "    ");
    snprintf(f->indent, sizeof f->indent, "    ");
    f->glue_first = w->prev == TXT_PREV_TERM;
    return QUIRE_OK;
  case QUIRE_NODE_BLOCK_QUOTE:
  case QUIRE_NODE_FIGURE:
    return txt_push(w, n->type, n) ? QUIRE_OK : txt_oom(env);
  case QUIRE_NODE_CAPTION:
    return enter_caption(env, w, n);
  case QUIRE_NODE_LINE_BLOCK:
    w->lines_used = 0;
    return QUIRE_OK;
  case QUIRE_NODE_CODE_BLOCK:
  case QUIRE_NODE_RAW_BLOCK: {
    size_t len = n->len;
    while (len && n->text[len - 1] == '\n')
      len--;
    w->prev = TXT_PREV_OTHER;
    return txt_write_block(env, w, n->text, len, 0, 1);
  }
  case QUIRE_NODE_THEMATIC_BREAK:
    w->prev = TXT_PREV_OTHER;
    return txt_write_block(env, w, "* * *", 5, 0, 1);
  case QUIRE_NODE_TABLE:
    return enter_table(env, w, n);
  case QUIRE_NODE_TABLE_HEAD:
  case QUIRE_NODE_TABLE_BODY:
  case QUIRE_NODE_TABLE_FOOT:
  case QUIRE_NODE_TABLE_ROW:
    /* A laid-out table's rows are read at its end. */
    if ((f = txt_top(w)) && f->type == QUIRE_NODE_TABLE && !f->flat_table)
      w->skip = n;
    else if (n->type == QUIRE_NODE_TABLE_ROW)
      w->row_used = 0;
    return QUIRE_OK;
  case QUIRE_NODE_TABLE_CELL:
    w->used = 0;
    w->break_pending = 0;
    /* In a flat table, the cells before one of blocks are written before
     * its blocks, keeping the document's order. */
    return n != w->root && w->row_used && holds_blocks(env, n)
               ? write_row(env, w)
               : QUIRE_OK;
  default:
    if (is_collector(n->type)) {
      w->used = 0;
      w->break_pending = 0;
    }
    /* A type newer than this code: keep its text. */
    else if (n->type >= QUIRE_NODE_TYPE_COUNT && n->text)
      return add_text(env, w, n->text, n->len);
    return QUIRE_OK;
  }
}

static int has_block_cell(quire_env *env, const quire_node *row) {
  for (const quire_node *c = row->first_child; c; c = c->next)
    if (holds_blocks(env, c))
      return 1;
  return 0;
}

static int exit_cell(quire_env *env, txt_writer *w, const quire_node *n) {
  if (n == w->root)   /* a cell being rendered (txt_cell_lines) */
    return holds_blocks(env, n)
               ? QUIRE_OK
               : txt_write_block(env, w, w->text, w->used, 0, 0);
  if (holds_blocks(env, n)) {   /* a flat table: its blocks are written */
    w->in_row = 0;                /* and the next row follows a blank line */
    return QUIRE_OK;
  }
  if ((w->row_used &&
       txt_append(&w->row, &w->row_used, &w->row_cap, " | ", 3)) ||
      txt_append(&w->row, &w->row_used, &w->row_cap, w->text, w->used))
    return txt_oom(env);
  return QUIRE_OK;
}

static int exit_figure(quire_env *env, txt_writer *w) {
  const quire_node *caption = txt_top(w)->caption;
  int rc = QUIRE_OK;
  if (caption) {
    w->nest++;
    rc = walk(env, w, caption);
    w->nest--;
  }
  w->depth--;
  return rc;
}

static int on_exit(quire_env *env, txt_writer *w, const quire_node *n) {
  txt_frame *f = txt_top(w);
  switch (n->type) {
  case QUIRE_NODE_PARAGRAPH:
    return txt_write_paragraph(env, w);
  case QUIRE_NODE_HEADING:
    return txt_write_heading(env, w, n->level);
  case QUIRE_NODE_TERM:
    return txt_write_term(env, w);
  case QUIRE_NODE_QUOTED:
    return add_str(env, w, n->kind == QUIRE_QUOTE_SINGLE ? "\xE2\x80\x99"
                                                         : "\xE2\x80\x9D");
  case QUIRE_NODE_LINE:
    w->break_pending = 0;
    if (txt_append(&w->lines, &w->lines_used, &w->lines_cap, w->text,
                   w->used) ||
        txt_append(&w->lines, &w->lines_used, &w->lines_cap, "\n", 1))
      return txt_oom(env);
    return QUIRE_OK;
  case QUIRE_NODE_LINE_BLOCK:
    /* Each line as it is: never wrapped, its leading spaces kept. */
    return txt_write_lines(env, w, w->lines,
                           w->lines_used ? w->lines_used - 1 : 0, 0);
  case QUIRE_NODE_TABLE_CELL:
    return exit_cell(env, w, n);
  case QUIRE_NODE_TABLE_ROW:
    if (!w->row_used && has_block_cell(env, n))
      return QUIRE_OK;   /* its text is written already */
    return write_row(env, w);
  case QUIRE_NODE_TABLE: {
    int rc = f && !f->flat_table ? txt_table_write(env, w, n) : QUIRE_OK;
    w->in_row = 0;
    if (w->depth)
      w->depth--;
    w->prev = TXT_PREV_OTHER;
    return rc;
  }
  case QUIRE_NODE_FIGURE:
    w->prev = TXT_PREV_OTHER;
    return f ? exit_figure(env, w) : QUIRE_OK;
  case QUIRE_NODE_NOTE:
  case QUIRE_NODE_CAPTION:
  case QUIRE_NODE_DEFINITION:
  case QUIRE_NODE_BULLET_LIST:
  case QUIRE_NODE_ORDERED_LIST:
  case QUIRE_NODE_ITEM:
  case QUIRE_NODE_BLOCK_QUOTE:
    if (w->depth)
      w->depth--;
    w->prev = TXT_PREV_OTHER;
    return QUIRE_OK;
  default:
    return QUIRE_OK;
  }
}

/* Walks the subtree under root; the subtrees of notes called and of a
 * laid-out table's rows are skipped (w->skip). */
static int walk(quire_env *env, txt_writer *w, const quire_node *root) {
  const quire_services *svc = env->svc;
  const quire_node *saved = w->root;
  w->root = root;
  quire_iter it;
  svc->iter_init(&it, root);
  int rc = QUIRE_OK;
  while (rc == QUIRE_OK && svc->iter_next(&it) != QUIRE_EV_DONE) {
    if (w->skip) {
      if (it.event == QUIRE_EV_EXIT && it.node == w->skip)
        w->skip = NULL;
      continue;
    }
    rc = it.event == QUIRE_EV_ENTER ? on_enter(env, w, it.node)
                                    : on_exit(env, w, it.node);
  }
  w->root = saved;
  return rc;
}

/* ---- Table cells -------------------------------------------------------- */

int txt_cell_lines(quire_env *env, txt_writer *w, const quire_node *cell,
                   const char **s, size_t *n) {
  txt_writer *c = w->cell;
  if (!c) {
    if (!(c = w->cell = calloc(1, sizeof *c)))
      return txt_oom(env);
    c->flat = 1;
    c->shared = w->shared;
    c->nest = w->nest + 1;
  }
  c->mem_used = c->depth = c->used = c->row_used = 0;
  c->wrote = c->in_row = c->break_pending = 0;
  c->prev = TXT_PREV_NONE;
  c->skip = NULL;
  if (txt_append(&c->mem, &c->mem_used, &c->mem_cap, "", 0))
    return txt_oom(env);
  int rc = walk(env, c, cell);
  if (rc != QUIRE_OK)
    return rc;
  /* Lines without their trailing blanks, and no empty ones. */
  char *out = c->mem;
  size_t k = 0;
  for (size_t i = 0; i < c->mem_used;) {
    char *nl = memchr(c->mem + i, '\n', c->mem_used - i);
    size_t end = nl ? (size_t)(nl - c->mem) : c->mem_used;
    size_t e = end;
    while (e > i && (c->mem[e - 1] == ' ' || c->mem[e - 1] == '\t'))
      e--;
    if (e > i) {
      if (k)
        out[k++] = '\n';
      memmove(out + k, c->mem + i, e - i);
      k += e - i;
    }
    i = end + 1;
  }
  out[k] = '\0';
  *s = out;
  *n = k;
  return QUIRE_OK;
}

/* ---- Documents ---------------------------------------------------------- */

/* The notes of the document, after it under "Notes"; notes called inside
 * notes join the end of the list as they are met. */
static int write_notes(quire_env *env, txt_writer *w) {
  w->used = 0;
  if (txt_append(&w->text, &w->used, &w->cap, "Notes", 5))
    return txt_oom(env);
  int rc = txt_write_heading(env, w, 2);
  for (size_t i = 0; rc == QUIRE_OK && i < w->shared->n_notes; i++) {
    w->note_number = i + 1;
    rc = walk(env, w, w->shared->notes[i]);
  }
  return rc;
}

/* ---- Titles and boundaries ---------------------------------------------- */

/* The heading the document starts with (inside its first sections and
 * divs): its text, blanks collapsed, in *out and its level in *level; *out
 * NULL when the document starts otherwise.  QUIRE_OK or QUIRE_FATAL. */
static int leading_heading(quire_env *env, const quire_doc *doc, char **out,
                           int *level) {
  return lead_heading(env->svc, doc, out, level) ? txt_oom(env) : QUIRE_OK;
}

/* Non-zero when title, blanks collapsed, is the text `heading`. */
static int says(const char *heading, const char *title, int *oom) {
  if (!heading || !title)
    return 0;
  char *t = lead_collapse(title, strlen(title));
  if (!t) {
    *oom = 1;
    return 0;
  }
  int same = strcmp(t, heading) == 0;
  free(t);
  return same;
}

/* Writes title as a level-1 heading, outside every container. */
static int put_title(quire_env *env, txt_writer *w, const char *title) {
  w->used = 0;
  w->break_pending = 0;
  if (txt_append(&w->text, &w->used, &w->cap, title, strlen(title)))
    return txt_oom(env);
  return txt_write_heading(env, w, 1);
}

/* The rule between two documents. */
static int put_rule(quire_env *env, txt_writer *w) {
  w->prev = TXT_PREV_OTHER;
  w->prev_lonely = 0;
  return txt_write_block(env, w, "* * *", 5, 0, 1);
}

/* The title of a text of several documents without --title: the
 * collection's name, else the output file's name, else NULL. */
static const char *several_title(quire_env *env, txt_writer *w, char *buf,
                                 size_t size) {
  const char *c = env->svc->meta_get(w->corpus, "collection");
  if (c && c[0])
    return c;
  return lead_output_stem(env->svc, w->out, buf, size);
}

/* Writes the held first document: alone (`several` 0) as it is; with
 * others after it, under the text's title and its own. */
static int release_hold(quire_env *env, txt_writer *w, int several) {
  w->holding = 0;
  int prev = w->prev, lonely = w->prev_lonely;
  int rc = QUIRE_OK, oom = 0;
  if (several) {
    int held_wrote = w->wrote;
    w->wrote = 0;
    char stem[256];
    const char *title = several_title(env, w, stem, sizeof stem);
    if (title && !says(w->first_h1, title, &oom) && !oom)
      rc = put_title(env, w, title);
    if (rc == QUIRE_OK && !oom && w->first_title && !w->first_says)
      rc = put_title(env, w, w->first_title);
    if (rc == QUIRE_OK && !oom && held_wrote && w->wrote)
      rc = txt_put(env, w, "\n\n", 2);
    w->wrote |= held_wrote;
  }
  if (oom)
    return txt_oom(env);
  if (rc == QUIRE_OK && w->held_file) {
    if (fflush(w->held_file) != 0)
      rc = QUIRE_ERR;
    rewind(w->held_file);
    char buf[1 << 16];
    size_t n;
    while (rc == QUIRE_OK && (n = fread(buf, 1, sizeof buf, w->held_file)))
      rc = txt_put(env, w, buf, n);
    if (rc == QUIRE_ERR || ferror(w->held_file)) {
      env->svc->error(env, NULL, "cannot read the temporary file of the "
                                 "first document");
      rc = QUIRE_FATAL;
    }
  } else if (rc == QUIRE_OK && w->held_len)
    rc = txt_put(env, w, w->held, w->held_len);
  free(w->held);
  w->held = NULL;
  w->held_len = w->held_cap = 0;
  if (w->held_file) {
    fclose(w->held_file);
    w->held_file = NULL;
  }
  w->prev = prev;
  w->prev_lonely = lonely;
  return rc;
}

/* What comes before a document: the title at the top, the rule after the
 * document before, the document's title (see the top of this file). */
static int begin_doc(quire_env *env, txt_writer *w, const quire_doc *doc) {
  const char *title = env->svc->meta_get(doc->meta, QUIRE_META_TITLE);
  if (title && !title[0])
    title = NULL;
  char *heading;
  int level, oom = 0, rc;
  if ((rc = leading_heading(env, doc, &heading, &level)) != QUIRE_OK)
    return rc;
  int title_said = says(heading, title, &oom);
  if (++w->docs == 1) {
    if (level == 1)
      w->first_h1 = heading;
    else
      free(heading);
    heading = NULL;
    if (title && !(w->first_title = strdup(title)))
      oom = 1;
    w->first_says = title_said;
  }
  free(heading);
  if (oom)
    return txt_oom(env);
  if (w->docs == 1 && w->given && !says(w->first_h1, w->given, &oom) && !oom)
    rc = put_title(env, w, w->given);
  if (oom)
    return txt_oom(env);
  if (rc != QUIRE_OK || !w->boundaries)
    return rc;
  if (!w->given && w->docs == 1) {   /* alone, or the first of several? */
    w->holding = 1;
    return QUIRE_OK;
  }
  if (w->holding && (rc = release_hold(env, w, 1)) != QUIRE_OK)
    return rc;
  if (w->docs > 1 && (rc = put_rule(env, w)) != QUIRE_OK)
    return rc;
  return title && !title_said ? put_title(env, w, title) : QUIRE_OK;
}

int txt_write_doc(quire_env *env, void *state, const quire_doc *doc) {
  txt_writer *w = state;
  w->depth = 0;
  w->skip = NULL;
  w->shared->n_notes = 0;
  w->shared->images = 0;
  w->shared->raw_html = 0;
  int rc = begin_doc(env, w, doc);
  if (rc != QUIRE_OK)
    return rc;
  rc = walk(env, w, doc->root);
  if (rc == QUIRE_OK && w->shared->n_notes)
    rc = write_notes(env, w);
  if (rc == QUIRE_OK && w->shared->images) {
    const quire_services *svc = env->svc;
    quire_loc loc = {0};
    if (svc->struct_size > offsetof(quire_services, doc_input))
      loc.file = svc->doc_input(env);
    svc->info(env, loc.file ? &loc : NULL,
              "txt: %zu image%s left out, written as %s alt text",
              w->shared->images, w->shared->images == 1 ? "" : "s",
              w->shared->images == 1 ? "its" : "their");
  }
  if (rc == QUIRE_OK && w->shared->raw_html) {
    const quire_services *svc = env->svc;
    quire_loc loc = {0};
    if (svc->struct_size > offsetof(quire_services, doc_input))
      loc.file = svc->doc_input(env);
    svc->warn(env, loc.file ? &loc : NULL,
              "txt: %zu part%s of raw HTML left out (plain text has no "
              "markup)",
              w->shared->raw_html, w->shared->raw_html == 1 ? "" : "s");
  }
  return rc;
}

static void writer_free(txt_writer *w) {
  while (w) {
    txt_writer *cell = w->cell;
    free(w->held);
    if (w->held_file)
      fclose(w->held_file);
    free(w->first_h1);
    free(w->first_title);
    free(w->mem);
    free(w->text);
    free(w->lines);
    free(w->row);
    free(w->stack);
    free(w->line);
    free(w);
    w = cell;
  }
}

int txt_write_close(quire_env *env, void *state, int ok) {
  txt_writer *w = state;
  int rc = QUIRE_OK;
  if (ok && w->holding)
    rc = release_hold(env, w, 0);
  if (ok && rc == QUIRE_OK && w->wrote)
    rc = txt_put(env, w, "\n", 1);
  free(w->shared->notes);
  free(w->shared);
  writer_free(w);
  return rc;
}
