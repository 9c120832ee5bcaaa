/* json_text.c - a document's plain text, for the `text` field.
 *
 * The text a corpus pipeline tokenizes: blocks apart by a blank line, list
 * items, terms, definitions, lines of a line block and table rows a line
 * each, cells apart by a tab (the blocks of one cell by a space), no
 * markers and no markup; quoted text in its quotation marks; math as its
 * TeX; notes after the document's text, a paragraph each, in the order
 * they are called (docs/formats/json.md).  Separators are owed, not
 * written, until text follows, so that nothing leads or trails. */
#include <stdlib.h>
#include <string.h>

#include "json.h"

enum { SEP_NONE, SEP_SPACE, SEP_TAB, SEP_LINE, SEP_BLANK };

typedef struct text_state {
  json_out *b;
  int owed;          /* the separator owed before the next text */
  int started;       /* some text was written */
  int in_rows;       /* depth of lists and tables */
  int in_cell;       /* depth of table cells */
  const quire_node *skip;       /* a note being skipped, or NULL */
  const quire_node **notes;     /* the notes met, to write at the end */
  size_t n_notes, cap_notes;
  int failed;
} text_state;

static void owe(text_state *t, int sep) {
  if (sep > t->owed)
    t->owed = sep;
}

/* What goes between blocks here. */
static int block_sep(const text_state *t) {
  return t->in_cell ? SEP_SPACE : t->in_rows ? SEP_LINE : SEP_BLANK;
}

/* What goes between rows, items, lines here. */
static int line_sep(const text_state *t) {
  return t->in_cell ? SEP_SPACE : SEP_LINE;
}

static void emit(text_state *t, const char *s, size_t n) {
  if (n == 0)
    return;
  if (t->started) {
    static const char *const seps[] = {"", " ", "\\t", "\\n", "\\n\\n"};
    json_out_puts(t->b, seps[t->owed]);
  }
  t->owed = SEP_NONE;
  t->started = 1;
  json_out_escape(t->b, s, n);
}

static void add_note(text_state *t, const quire_node *n) {
  if (t->n_notes == t->cap_notes) {
    size_t cap = t->cap_notes ? t->cap_notes * 2 : 16;
    const quire_node **notes = realloc(t->notes, cap * sizeof *notes);
    if (!notes) {
      t->failed = 1;
      return;
    }
    t->notes = notes;
    t->cap_notes = cap;
  }
  t->notes[t->n_notes++] = n;
}

static void enter(text_state *t, const quire_node *n) {
  switch (n->type) {
  case QUIRE_NODE_BULLET_LIST:
  case QUIRE_NODE_ORDERED_LIST:
  case QUIRE_NODE_DEFINITION_LIST:
  case QUIRE_NODE_LINE_BLOCK:
  case QUIRE_NODE_TABLE:
    owe(t, block_sep(t));
    t->in_rows++;
    break;
  case QUIRE_NODE_ITEM:
  case QUIRE_NODE_TERM:
  case QUIRE_NODE_DEFINITION:
  case QUIRE_NODE_LINE:
  case QUIRE_NODE_TABLE_ROW:
  case QUIRE_NODE_CAPTION:
    owe(t, line_sep(t));
    break;
  case QUIRE_NODE_TABLE_CELL:
    if (n->prev)
      owe(t, t->in_cell ? SEP_SPACE : SEP_TAB);
    t->in_cell++;
    break;
  case QUIRE_NODE_HEADING:
  case QUIRE_NODE_PARAGRAPH:
  case QUIRE_NODE_BLOCK_QUOTE:
  case QUIRE_NODE_DIV:
  case QUIRE_NODE_FIGURE:
    owe(t, block_sep(t));
    break;
  case QUIRE_NODE_CODE_BLOCK: {
    owe(t, block_sep(t));
    size_t len = n->len;
    while (len > 0 && n->text[len - 1] == '\n')
      len--;
    emit(t, n->text, len);
    owe(t, block_sep(t));
    break;
  }
  case QUIRE_NODE_TEXT:
  case QUIRE_NODE_CODE:
  case QUIRE_NODE_MATH:
    emit(t, n->text, n->len);
    break;
  case QUIRE_NODE_QUOTED:
    /* The marks are text, not markup: the source had them. */
    emit(t, n->kind == QUIRE_QUOTE_SINGLE ? "\xE2\x80\x98" : "\xE2\x80\x9C",
         3);
    break;
  case QUIRE_NODE_NOTE:
    add_note(t, n);
    t->skip = n;
    break;
  case QUIRE_NODE_SOFT_BREAK:
    owe(t, SEP_SPACE);
    break;
  case QUIRE_NODE_LINE_BREAK:
    owe(t, line_sep(t));
    break;
  default:
    break;
  }
}

static void leave(text_state *t, const quire_node *n) {
  switch (n->type) {
  case QUIRE_NODE_BULLET_LIST:
  case QUIRE_NODE_ORDERED_LIST:
  case QUIRE_NODE_DEFINITION_LIST:
  case QUIRE_NODE_LINE_BLOCK:
  case QUIRE_NODE_TABLE:
    t->in_rows--;
    owe(t, block_sep(t));
    break;
  case QUIRE_NODE_TABLE_CELL:
    t->in_cell--;
    break;
  case QUIRE_NODE_HEADING:
  case QUIRE_NODE_PARAGRAPH:
  case QUIRE_NODE_FIGURE:
    owe(t, block_sep(t));
    break;
  case QUIRE_NODE_CAPTION:
    owe(t, line_sep(t));
    break;
  case QUIRE_NODE_QUOTED:
    t->owed = SEP_NONE;   /* the closing mark hugs the text */
    json_out_puts(t->b, n->kind == QUIRE_QUOTE_SINGLE ? "\xE2\x80\x99"
                                                      : "\xE2\x80\x9D");
    t->started = 1;
    break;
  default:
    break;
  }
}

/* The text under root; notes met are kept for later, not walked. */
static void walk(const quire_services *svc, text_state *t,
                 const quire_node *root, int include_root) {
  quire_iter it;
  svc->iter_init(&it, root);
  while (svc->iter_next(&it) != QUIRE_EV_DONE) {
    const quire_node *n = it.node;
    if (n == root && !include_root)
      continue;
    if (t->skip) {
      if (n == t->skip && it.event == QUIRE_EV_EXIT)
        t->skip = NULL;
      continue;
    }
    if (it.event == QUIRE_EV_ENTER)
      enter(t, n);
    else
      leave(t, n);
  }
}

int json_text(const quire_services *svc, const quire_doc *doc, json_out *b) {
  text_state t = {.b = b};
  walk(svc, &t, doc->root, 1);
  /* Notes in notes join the end of the list. */
  for (size_t i = 0; i < t.n_notes && !t.failed; i++) {
    owe(&t, SEP_BLANK);
    walk(svc, &t, t.notes[i], 0);
  }
  free(t.notes);
  return t.failed || b->failed ? QUIRE_FATAL : QUIRE_OK;
}
