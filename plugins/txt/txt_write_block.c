/* txt_write_block.c - blocks of text under the prefixes of the containers
 * they are in: "> " for quotes, an item's marker before its first line
 * and two spaces before the others, a note's "[N] ", a definition's four
 * spaces; wrapping at --columns; blank lines between blocks, or a single
 * newline where blocks glue (tight list items, a term and its definition,
 * a heading-like paragraph and its neighbour). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "temp_file.h"
#include "txt.h"
#include "txt_write.h"

/* Every failure of this writer leaves a partial document in the output,
 * so it ends the run: QUIRE_FATAL. */
int txt_oom(quire_env *env) {
  env->svc->error(env, NULL, "out of memory");
  return QUIRE_FATAL;
}

/* The held first document (see txt_write.c): in memory up to
 * TXT_HOLD_MEMORY, then in a temporary file. */
static int hold_put(quire_env *env, txt_writer *w, const char *s, size_t n) {
  if (!w->held_file && w->held_len + n > TXT_HOLD_MEMORY) {
    if (!(w->held_file = temp_file_stream())) {
      env->svc->error(env, NULL, "cannot make a temporary file in %s for "
                                 "the first document: %s",
                      temp_file_dir(), strerror(errno));
      return QUIRE_FATAL;
    }
    if (w->held_len &&
        fwrite(w->held, 1, w->held_len, w->held_file) != w->held_len)
      goto failed;
    free(w->held);
    w->held = NULL;
    w->held_len = w->held_cap = 0;
  }
  if (!w->held_file)
    return txt_append(&w->held, &w->held_len, &w->held_cap, s, n)
               ? txt_oom(env)
               : QUIRE_OK;
  if (fwrite(s, 1, n, w->held_file) == n)
    return QUIRE_OK;
failed:
  env->svc->error(env, NULL, "cannot write the temporary file of the "
                             "first document");
  return QUIRE_FATAL;
}

/* output_write has set the message when it fails. */
int txt_put(quire_env *env, txt_writer *w, const char *s, size_t n) {
  if (w->holding)
    return hold_put(env, w, s, n);
  if (!w->out)
    return txt_append(&w->mem, &w->mem_used, &w->mem_cap, s, n)
               ? txt_oom(env)
               : QUIRE_OK;
  return env->svc->output_write(env, w->out, s, n) == QUIRE_OK ? QUIRE_OK
                                                               : QUIRE_FATAL;
}

/* ---- Containers --------------------------------------------------------- */

static int is_marker_frame(quire_node_type t) {
  return t == QUIRE_NODE_ITEM || t == QUIRE_NODE_NOTE ||
         t == QUIRE_NODE_CAPTION || t == QUIRE_NODE_DEFINITION;
}

txt_frame *txt_push(txt_writer *w, quire_node_type type,
                    const quire_node *node) {
  if (w->depth == w->stack_cap) {
    size_t cap = w->stack_cap ? w->stack_cap * 2 : 16;
    txt_frame *s = realloc(w->stack, cap * sizeof *s);
    if (!s)
      return NULL;
    w->stack = s;
    w->stack_cap = cap;
  }
  txt_frame *f = &w->stack[w->depth++];
  memset(f, 0, sizeof *f);
  f->type = type;
  f->node = node;
  return f;
}

txt_frame *txt_top(txt_writer *w) {
  return w->depth ? &w->stack[w->depth - 1] : NULL;
}

/* The innermost marker frame: its marker goes before its first block. */
static txt_frame *innermost_marker(txt_writer *w) {
  for (size_t i = w->depth; i-- > 0;)
    if (is_marker_frame(w->stack[i].type))
      return &w->stack[i];
  return NULL;
}

static int in_container(const txt_writer *w) {
  for (size_t i = 0; i < w->depth; i++)
    if (is_marker_frame(w->stack[i].type) ||
        w->stack[i].type == QUIRE_NODE_BLOCK_QUOTE)
      return 1;
  return 0;
}

/* A note's number and a caption's "Figure: " show on the first line
 * written inside them, even when that line is an item's or a quote's.
 * An item's marker shows only on its own first block (a nested list as an
 * item's first block is indented under it, as before Model 2). */
static int marker_once(const txt_frame *f) {
  return f->type == QUIRE_NODE_NOTE || f->type == QUIRE_NODE_CAPTION;
}

static int shows_marker_once(const txt_frame *f) {
  return marker_once(f) && !f->shown;
}

/* The prefix of a line in w->line, its length in *len: for the first line
 * of a block (`first`), with `marker`'s marker (the innermost container's,
 * when this is its first block) and those of shows_marker_once(); for any
 * other line, with only indentation and quote marks. */
static int make_prefix(txt_writer *w, const txt_frame *marker, int first,
                       size_t *len) {
  size_t used = 0;
  if (txt_append(&w->line, &used, &w->line_cap, "", 0))
    return QUIRE_ERR;
  for (size_t i = 0; i < w->depth; i++) {
    const txt_frame *f = &w->stack[i];
    const char *piece =
        f->type == QUIRE_NODE_BLOCK_QUOTE                        ? "> "
        : first && (f == marker || shows_marker_once(f))         ? f->marker
        : is_marker_frame(f->type)                               ? f->indent
                                                                 : "";
    if (txt_append(&w->line, &used, &w->line_cap, piece, strlen(piece)))
      return QUIRE_ERR;
  }
  *len = used;
  return QUIRE_OK;
}

/* Writes text under the containers' prefix, wrapped to --columns when
 * `wrap` and set.  The first line gets `marker`'s marker (when not NULL),
 * the others the containers' indentation (quote marks kept). */
static int put_block_text(quire_env *env, txt_writer *w, const char *s,
                          size_t n, const txt_frame *marker, int wrap) {
  if (!s)   /* an empty block: its buffer was never made */
    s = "";
  size_t plen, clen;
  char *pre = NULL, *cont = NULL;
  if (make_prefix(w, marker, 1, &plen) || !(pre = malloc(plen + 1)))
    return txt_oom(env);
  memcpy(pre, w->line, plen + 1);
  if (make_prefix(w, NULL, 0, &clen) || !(cont = malloc(clen + 1))) {
    free(pre);
    return txt_oom(env);
  }
  memcpy(cont, w->line, clen + 1);
  size_t pwidth = txt_display_width(pre, plen);
  size_t cwidth = txt_display_width(cont, clen);
  unsigned long columns = wrap ? w->columns : 0;
  int rc = QUIRE_OK;
  size_t start = 0;
  int first_line = 1;
  while (rc == QUIRE_OK && start <= n) {
    const char *nl = n > start ? memchr(s + start, '\n', n - start) : NULL;
    size_t end = nl ? (size_t)(nl - s) : n;
    /* One hard line s[start..end), wrapped. */
    size_t pos = start;
    do {
      size_t stop = end;
      if (columns) {
        size_t used = first_line ? pwidth : cwidth;
        stop = txt_wrap_stop(s, pos, end, columns > used ? columns - used : 0);
      }
      if (!first_line) {
        rc = txt_put(env, w, "\n", 1);
        if (rc == QUIRE_OK)
          rc = txt_put(env, w, cont, clen);
      } else
        rc = txt_put(env, w, pre, plen);
      first_line = 0;
      if (rc == QUIRE_OK)
        rc = txt_put(env, w, s + pos, stop - pos);
      pos = stop;
      while (pos < end && s[pos] == ' ' && columns)
        pos++;
    } while (rc == QUIRE_OK && pos < end);
    start = end + 1;
  }
  free(pre);
  free(cont);
  return rc;
}

/* Writes the separator before a block: a blank line, or a single newline
 * when the block glues to the previous one (always, in a table cell). */
static int separate(quire_env *env, txt_writer *w, int glue) {
  if (!w->wrote) {
    w->wrote = 1;
    return QUIRE_OK;
  }
  glue |= w->flat;
  return txt_put(env, w, glue ? "\n" : "\n\n", glue ? 1 : 2);
}

/* Items of a tight list follow each other line by line; so does a nested
 * list's first item after its parent item's text, or after its term. */
static int marker_glues(const txt_writer *w, const txt_frame *m) {
  if (m->type == QUIRE_NODE_DEFINITION)
    return m->glue_first;
  if (m->type != QUIRE_NODE_ITEM || m < w->stack + 1)
    return 0;
  const txt_frame *list = m - 1;
  if (list->loose)
    return 0;
  if (list->items > 1)
    return 1;
  if (list < w->stack + 1)
    return 0;
  const txt_frame *parent = list - 1;
  return parent->type == QUIRE_NODE_ITEM ||
         (parent->type == QUIRE_NODE_DEFINITION &&
          (parent->blocks || parent->glue_first));
}

/* Writes a text block (paragraph, code, row) inside the open containers. */
int txt_write_block(quire_env *env, txt_writer *w, const char *s, size_t n,
                    int glue, int wrap) {
  txt_frame *m = innermost_marker(w);
  if (m && (m->blocks || (marker_once(m) && m->shown)))
    m = NULL;   /* not its first block: no marker */
  int rc = separate(env, w, glue || (m && marker_glues(w, m)));
  if (rc == QUIRE_OK)
    rc = put_block_text(env, w, s, n, m, wrap);
  if (rc != QUIRE_OK)
    return rc;
  txt_frame *count = innermost_marker(w);
  if (count)
    count->blocks++;
  for (size_t i = 0; i < w->depth; i++)
    w->stack[i].shown = 1;
  return QUIRE_OK;
}

int txt_write_lines(quire_env *env, txt_writer *w, const char *s, size_t n,
                    int glue) {
  w->prev = TXT_PREV_OTHER;
  w->prev_lonely = 0;
  return txt_write_block(env, w, s, n, glue, 0);
}

int txt_write_paragraph(quire_env *env, txt_writer *w) {
  const char *s = w->text;
  size_t n = w->used;
  int top_level = !in_container(w);
  int lonely = top_level && !w->columns && n && !memchr(s, '\n', n) &&
               txt_heading_like(s, n);
  int glue =
      top_level && w->prev == TXT_PREV_PARA && (w->prev_lonely || lonely);
  int rc = txt_write_block(env, w, s, n, glue, 1);
  if (rc != QUIRE_OK)
    return rc;
  w->prev = top_level ? TXT_PREV_PARA : TXT_PREV_OTHER;
  w->prev_lonely = lonely && !glue;
  return QUIRE_OK;
}

/* A heading is its text on one line, then the underline, both under the
 * prefix of the containers it is in; never wrapped.  In a table cell it is
 * its text alone. */
int txt_write_heading(quire_env *env, txt_writer *w, int level) {
  for (size_t i = 0; i < w->used; i++)
    if (w->text[i] == '\n')
      w->text[i] = ' ';
  size_t width = txt_display_width(w->text, w->used);
  if (width < 3)
    width = 3;
  if (txt_grow(&w->text, &w->cap, w->used + width + 2))
    return txt_oom(env);
  size_t n = w->used;
  if (!w->flat) {
    w->text[n++] = '\n';
    memset(w->text + n, level == 1 ? '=' : '-', width);
    n += width;
  }
  return txt_write_lines(env, w, w->text, n, 0);
}

/* A term is a line of its own; the terms of one definition follow each
 * other line by line. */
int txt_write_term(quire_env *env, txt_writer *w) {
  int glue = w->prev == TXT_PREV_TERM;
  int rc = txt_write_block(env, w, w->text, w->used, glue, 1);
  w->prev = TXT_PREV_TERM;
  w->prev_lonely = 0;
  return rc;
}

