/* json_text.c - a document's plain text, for the `text` field.
 *
 * The text a corpus pipeline tokenizes: blocks apart by a blank line, list
 * items and table rows a line each, cells apart by a tab, no markers and
 * no markup (docs/formats/json.md).  Separators are owed, not written,
 * until text follows, so that nothing leads or trails. */
#include <string.h>

#include "json.h"

enum { SEP_NONE, SEP_SPACE, SEP_TAB, SEP_LINE, SEP_BLANK };

typedef struct text_state {
  json_out *b;
  int owed;          /* the separator owed before the next text */
  int started;       /* some text was written */
  int in_rows;       /* depth of lists and tables */
} text_state;

static void owe(text_state *t, int sep) {
  if (sep > t->owed)
    t->owed = sep;
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

static void enter(text_state *t, const quire_node *n) {
  switch (n->type) {
  case QUIRE_NODE_BULLET_LIST:
  case QUIRE_NODE_ORDERED_LIST:
  case QUIRE_NODE_TABLE:
    owe(t, t->in_rows ? SEP_LINE : SEP_BLANK);
    t->in_rows++;
    break;
  case QUIRE_NODE_ITEM:
  case QUIRE_NODE_TABLE_ROW:
    owe(t, SEP_LINE);
    break;
  case QUIRE_NODE_TABLE_CELL:
    if (n->prev)
      owe(t, SEP_TAB);
    break;
  case QUIRE_NODE_HEADING:
  case QUIRE_NODE_PARAGRAPH:
  case QUIRE_NODE_BLOCK_QUOTE:
    owe(t, t->in_rows ? SEP_LINE : SEP_BLANK);
    break;
  case QUIRE_NODE_CODE_BLOCK: {
    owe(t, t->in_rows ? SEP_LINE : SEP_BLANK);
    size_t len = n->len;
    while (len > 0 && n->text[len - 1] == '\n')
      len--;
    emit(t, n->text, len);
    owe(t, t->in_rows ? SEP_LINE : SEP_BLANK);
    break;
  }
  case QUIRE_NODE_TEXT:
  case QUIRE_NODE_CODE:
    emit(t, n->text, n->len);
    break;
  case QUIRE_NODE_SOFT_BREAK:
    owe(t, SEP_SPACE);
    break;
  case QUIRE_NODE_LINE_BREAK:
    owe(t, SEP_LINE);
    break;
  default:
    break;
  }
}

static void leave(text_state *t, const quire_node *n) {
  switch (n->type) {
  case QUIRE_NODE_BULLET_LIST:
  case QUIRE_NODE_ORDERED_LIST:
  case QUIRE_NODE_TABLE:
    t->in_rows--;
    owe(t, t->in_rows ? SEP_LINE : SEP_BLANK);
    break;
  case QUIRE_NODE_HEADING:
  case QUIRE_NODE_PARAGRAPH:
    owe(t, t->in_rows ? SEP_LINE : SEP_BLANK);
    break;
  default:
    break;
  }
}

void json_text(const quire_services *svc, const quire_doc *doc, json_out *b) {
  text_state t = {.b = b};
  quire_iter it;
  svc->iter_init(&it, doc->root);
  while (svc->iter_next(&it) != QUIRE_EV_DONE) {
    if (it.event == QUIRE_EV_ENTER)
      enter(&t, it.node);
    else
      leave(&t, it.node);
  }
}
