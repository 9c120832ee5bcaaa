/* txt_write.c - the model as plain text a person reads and quire reads back
 * to the same model.
 *
 * Blocks are separated by one blank line; a level-1 heading is underlined
 * with '=', other headings with '-' (at least three, else the width of the
 * heading in display columns); list items start with "• " or "1. "; block
 * quotes with "> ".  Nothing is wrapped unless --columns N is given.
 *
 * A paragraph that would read back as a heading (short, standing alone,
 * without final punctuation) is written on the line next to a neighbouring
 * paragraph, without a blank line between: the reader then sees two
 * paragraphs, and txt to txt stays byte-identical. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "txt.h"

enum { PREV_NONE, PREV_PARA, PREV_OTHER };

typedef struct frame {          /* one open container */
  quire_node_type type;
  long long number;             /* list: the number of its next item */
  int items;                    /* list: items entered so far */
  int blocks;                   /* item: blocks written in it so far */
} frame;

typedef struct txt_writer {
  quire_output *out;
  unsigned long columns;        /* 0: no wrapping */
  char *text;                   /* the inline text being collected */
  size_t used, cap;
  char *row;                    /* the table row being collected */
  size_t row_used, row_cap;
  frame *stack;
  size_t depth, stack_cap;
  int prev;                     /* PREV_* of the last block written */
  int prev_lonely;              /* it was a heading-like paragraph */
  int wrote;                    /* anything written yet */
  int in_row;                   /* table rows glue together */
  char *line;                   /* scratch for prefixes and wrapping */
  size_t line_cap;
} txt_writer;

/* Every failure of this writer leaves a partial document in the output,
 * so it ends the run: QUIRE_FATAL. */
static int oom(quire_env *env) {
  env->svc->error(env, NULL, "out of memory");
  return QUIRE_FATAL;
}

int txt_write_open(quire_env *env, quire_output *out,
                   const quire_options *opts, const quire_meta *corpus,
                   void **state) {
  (void)corpus;
  txt_writer *w = calloc(1, sizeof *w);
  if (!w)
    return oom(env);
  w->out = out;
  const char *cols = env->svc->option(opts, "columns");
  if (cols) {
    char *end;
    w->columns = strtoul(cols, &end, 10);
    if (*end || cols[0] == '-' || w->columns < 10 || w->columns > 100000) {
      free(w);
      return env->svc->usage_error(env, "--columns wants a number from 10 "
                                        "to 100000, not '%s'", cols);
    }
  }
  *state = w;
  return QUIRE_OK;
}

static int grow(char **buf, size_t *cap, size_t need) {
  if (need <= *cap)
    return QUIRE_OK;
  size_t c = *cap ? *cap : 256;
  while (c < need)
    c *= 2;
  char *p = realloc(*buf, c);
  if (!p)
    return QUIRE_ERR;
  *buf = p;
  *cap = c;
  return QUIRE_OK;
}

static int append(char **buf, size_t *used, size_t *cap, const char *s,
                  size_t n) {
  if (grow(buf, cap, *used + n + 1))
    return QUIRE_ERR;
  if (n)   /* s may be NULL for nothing (an empty cell) */
    memcpy(*buf + *used, s, n);
  *used += n;
  return QUIRE_OK;
}

/* output_write has set the message when it fails. */
static int put(quire_env *env, txt_writer *w, const char *s, size_t n) {
  return env->svc->output_write(env, w->out, s, n) == QUIRE_OK ? QUIRE_OK
                                                               : QUIRE_FATAL;
}

/* Display columns of s[0..n): wide characters count two. */
static size_t display_width(const char *s, size_t n) {
  const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
  size_t width = 0;
  for (size_t i = 0; i < n;) {
    int32_t cp;
    utf8proc_ssize_t k = utf8proc_iterate(p + i, (utf8proc_ssize_t)(n - i), &cp);
    if (k <= 0) {
      i++;
      width++;
      continue;
    }
    i += (size_t)k;
    width += (size_t)utf8proc_charwidth(cp);
  }
  return width;
}

/* The prefix of lines inside the open containers: "> " per quote, two
 * spaces per enclosing list item.  `first` gives the item's marker. */
static int make_prefix(txt_writer *w, int first, char **prefix, size_t *len,
                       size_t *cont_len) {
  size_t used = 0;
  char marker[24] = "";
  size_t n_items = 0;
  for (size_t i = 0; i < w->depth; i++)
    n_items += w->stack[i].type == QUIRE_NODE_ITEM;
  size_t seen = 0;
  *cont_len = 0;
  for (size_t i = 0; i < w->depth; i++) {
    const frame *f = &w->stack[i];
    const char *piece = NULL;
    if (f->type == QUIRE_NODE_BLOCK_QUOTE)
      piece = "> ";
    else if (f->type == QUIRE_NODE_ITEM) {
      seen++;
      const frame *list = i > 0 ? &w->stack[i - 1] : NULL;
      if (seen == n_items && first) {
        if (list && list->type == QUIRE_NODE_ORDERED_LIST)
          snprintf(marker, sizeof marker, "%lld. ", list->number);
        else
          snprintf(marker, sizeof marker, "\xE2\x80\xA2 ");
        piece = marker;
      } else
        piece = "  ";
    }
    if (piece && append(&w->line, &used, &w->line_cap, piece, strlen(piece)))
      return QUIRE_ERR;
  }
  *prefix = w->line;
  *len = used;
  /* Continuation lines: the same, with the marker replaced by blanks. */
  *cont_len = display_width(w->line, used);
  return QUIRE_OK;
}

/* Writes text under a prefix, wrapped to --columns when set.  Lines after
 * the first get the continuation indentation (quote marks kept). */
static int put_block_text(quire_env *env, txt_writer *w, const char *s,
                          size_t n, int first_marker) {
  if (!s)   /* an empty block: its buffer was never made */
    s = "";
  char *prefix;
  size_t plen, pwidth;
  if (make_prefix(w, first_marker, &prefix, &plen, &pwidth))
    return oom(env);
  /* Copy: make_prefix reuses w->line. */
  char *pre = malloc(plen + 1);
  if (!pre)
    return oom(env);
  if (plen)
    memcpy(pre, prefix, plen);
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
      if (w->columns) {
        /* Linear: the walk stops at the first space past the width. */
        size_t width = pwidth, last_space = 0, i = pos;
        while (i < end) {
          size_t k = 1;
          while (i + k < end && ((unsigned char)s[i + k] & 0xC0) == 0x80)
            k++;
          if (s[i] == ' ')
            last_space = i;
          width += display_width(s + i, k);
          if (width > w->columns && last_space > pos)
            break;
          i += k;
        }
        stop = i < end && last_space > pos ? last_space : (i < end ? i : end);
        if (stop == pos)
          stop = end;
      }
      if (!first_line) {
        rc = put(env, w, "\n", 1);
        /* quote marks stay, item markers become blanks */
        for (size_t q = 0; rc == QUIRE_OK && q < w->depth; q++)
          if (w->stack[q].type == QUIRE_NODE_BLOCK_QUOTE)
            rc = put(env, w, "> ", 2);
          else if (w->stack[q].type == QUIRE_NODE_ITEM)
            rc = put(env, w, "  ", 2);
      } else
        rc = put(env, w, pre, plen);
      first_line = 0;
      if (rc == QUIRE_OK)
        rc = put(env, w, s + pos, stop - pos);
      pos = stop;
      while (pos < end && s[pos] == ' ' && w->columns)
        pos++;
    } while (rc == QUIRE_OK && pos < end);
    start = end + 1;
  }
  free(pre);
  return rc;
}

/* Writes the separator before a block: a blank line, or a single newline
 * when the block glues to the previous one. */
static int separate(quire_env *env, txt_writer *w, int glue) {
  if (!w->wrote) {
    w->wrote = 1;
    return QUIRE_OK;
  }
  return put(env, w, glue ? "\n" : "\n\n", glue ? 1 : 2);
}

static int in_container(const txt_writer *w) {
  for (size_t i = 0; i < w->depth; i++)
    if (w->stack[i].type == QUIRE_NODE_ITEM ||
        w->stack[i].type == QUIRE_NODE_BLOCK_QUOTE)
      return 1;
  return 0;
}

/* The innermost item when the block about to be written is its first. */
static frame *first_block_of_item(txt_writer *w) {
  if (!w->depth || w->stack[w->depth - 1].type != QUIRE_NODE_ITEM ||
      w->stack[w->depth - 1].blocks)
    return NULL;
  return &w->stack[w->depth - 1];
}

/* Items of a list follow each other line by line; so does a nested list's
 * first item after its parent item's text. */
static int item_glues(const txt_writer *w, const frame *item) {
  if (!item || w->depth < 2)
    return 0;
  const frame *list = &w->stack[w->depth - 2];
  return list->items > 1 || (w->depth >= 3 &&
                             w->stack[w->depth - 3].type == QUIRE_NODE_ITEM);
}

/* Writes a text block (paragraph, code, row) inside the open containers. */
static int write_block(quire_env *env, txt_writer *w, const char *s, size_t n,
                       int glue) {
  frame *item = first_block_of_item(w);
  int rc = separate(env, w, glue || item_glues(w, item));
  if (rc == QUIRE_OK)
    rc = put_block_text(env, w, s, n, item != NULL);
  if (rc != QUIRE_OK)
    return rc;
  if (w->depth && w->stack[w->depth - 1].type == QUIRE_NODE_ITEM)
    w->stack[w->depth - 1].blocks++;
  return QUIRE_OK;
}

static int write_paragraph(quire_env *env, txt_writer *w) {
  const char *s = w->text;
  size_t n = w->used;
  int top = !in_container(w);
  int lonely = top && !w->columns && n && !memchr(s, '\n', n) &&
               txt_heading_like(s, n);
  int glue = top && w->prev == PREV_PARA && (w->prev_lonely || lonely);
  int rc = write_block(env, w, s, n, glue);
  if (rc != QUIRE_OK)
    return rc;
  w->prev = top ? PREV_PARA : PREV_OTHER;
  w->prev_lonely = lonely && !glue;
  return QUIRE_OK;
}

/* A heading is its text on one line, then the underline, both under the
 * prefix of the containers it is in; never wrapped. */
static int write_heading(quire_env *env, txt_writer *w, int level) {
  for (size_t i = 0; i < w->used; i++)
    if (w->text[i] == '\n')
      w->text[i] = ' ';
  size_t width = display_width(w->text, w->used);
  if (width < 3)
    width = 3;
  if (grow(&w->text, &w->cap, w->used + width + 2))
    return oom(env);
  size_t n = w->used;
  w->text[n++] = '\n';
  memset(w->text + n, level == 1 ? '=' : '-', width);
  n += width;
  unsigned long columns = w->columns;
  w->columns = 0;
  int rc = write_block(env, w, w->text, n, 0);
  w->columns = columns;
  w->prev = PREV_OTHER;
  w->prev_lonely = 0;
  return rc;
}

static int push(txt_writer *w, quire_node_type type, long long number) {
  if (w->depth == w->stack_cap) {
    size_t cap = w->stack_cap ? w->stack_cap * 2 : 16;
    frame *s = realloc(w->stack, cap * sizeof *s);
    if (!s)
      return QUIRE_ERR;
    w->stack = s;
    w->stack_cap = cap;
  }
  w->stack[w->depth++] = (frame){type, number, 0, 0};
  return QUIRE_OK;
}

static int is_collector(quire_node_type t) {
  return t == QUIRE_NODE_PARAGRAPH || t == QUIRE_NODE_HEADING ||
         t == QUIRE_NODE_TABLE_CELL;
}

static int on_enter(quire_env *env, txt_writer *w, const quire_node *n) {
  switch (n->type) {
  case QUIRE_NODE_TEXT:
  case QUIRE_NODE_CODE:
  case QUIRE_NODE_RAW_INLINE:
    return append(&w->text, &w->used, &w->cap, n->text, n->len) ? oom(env) : 0;
  case QUIRE_NODE_SOFT_BREAK:
    return append(&w->text, &w->used, &w->cap, " ", 1) ? oom(env) : 0;
  case QUIRE_NODE_LINE_BREAK:
    return append(&w->text, &w->used, &w->cap, "\n", 1) ? oom(env) : 0;
  case QUIRE_NODE_BULLET_LIST:
  case QUIRE_NODE_ORDERED_LIST:
    return push(w, n->type, n->type == QUIRE_NODE_ORDERED_LIST ? n->start : 0)
               ? oom(env) : 0;
  case QUIRE_NODE_ITEM:
    if (w->depth && w->stack[w->depth - 1].items++)
      w->stack[w->depth - 1].number++;
    return push(w, n->type, 0) ? oom(env) : 0;
  case QUIRE_NODE_BLOCK_QUOTE:
    return push(w, n->type, 0) ? oom(env) : 0;
  case QUIRE_NODE_CODE_BLOCK:
  case QUIRE_NODE_RAW_BLOCK: {
    size_t len = n->len;
    while (len && n->text[len - 1] == '\n')
      len--;
    w->prev = PREV_OTHER;
    return write_block(env, w, n->text, len, 0);
  }
  case QUIRE_NODE_THEMATIC_BREAK:
    w->prev = PREV_OTHER;
    return write_block(env, w, "* * *", 5, 0);
  case QUIRE_NODE_TABLE_ROW:
    w->row_used = 0;
    return QUIRE_OK;
  default:
    if (is_collector(n->type))
      w->used = 0;
    /* A type newer than this code: keep its text. */
    else if (n->type >= QUIRE_NODE_TYPE_COUNT && n->text)
      return append(&w->text, &w->used, &w->cap, n->text, n->len) ? oom(env)
                                                                  : 0;
    return QUIRE_OK;
  }
}

static int on_exit(quire_env *env, txt_writer *w, const quire_node *n) {
  switch (n->type) {
  case QUIRE_NODE_PARAGRAPH:
    return write_paragraph(env, w);
  case QUIRE_NODE_HEADING:
    return write_heading(env, w, n->level);
  case QUIRE_NODE_TABLE_CELL:
    if ((w->row_used && append(&w->row, &w->row_used, &w->row_cap, " | ", 3)) ||
        append(&w->row, &w->row_used, &w->row_cap, w->text, w->used))
      return oom(env);
    return QUIRE_OK;
  case QUIRE_NODE_TABLE_ROW: {
    int glue = w->in_row;
    w->in_row = 1;
    w->prev = PREV_OTHER;
    return write_block(env, w, w->row ? w->row : "", w->row_used, glue);
  }
  case QUIRE_NODE_TABLE:
    w->in_row = 0;
    return QUIRE_OK;
  case QUIRE_NODE_BULLET_LIST:
  case QUIRE_NODE_ORDERED_LIST:
  case QUIRE_NODE_ITEM:
  case QUIRE_NODE_BLOCK_QUOTE:
    if (w->depth)
      w->depth--;
    w->prev = PREV_OTHER;
    return QUIRE_OK;
  default:
    return QUIRE_OK;
  }
}

int txt_write_doc(quire_env *env, void *state, const quire_doc *doc) {
  txt_writer *w = state;
  const quire_services *svc = env->svc;
  quire_iter it;
  svc->iter_init(&it, doc->root);
  int rc = QUIRE_OK;
  w->depth = 0;
  while (rc == QUIRE_OK && svc->iter_next(&it) != QUIRE_EV_DONE)
    rc = it.event == QUIRE_EV_ENTER ? on_enter(env, w, it.node)
                                    : on_exit(env, w, it.node);
  return rc;
}

int txt_write_close(quire_env *env, void *state, int ok) {
  txt_writer *w = state;
  int rc = QUIRE_OK;
  if (ok && w->wrote)
    rc = put(env, w, "\n", 1);
  free(w->text);
  free(w->row);
  free(w->stack);
  free(w->line);
  free(w);
  return rc;
}
