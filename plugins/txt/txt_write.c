/* txt_write.c - the model as plain text: blocks separated by blank lines,
 * inline text as it is. */
#include <stdlib.h>
#include <string.h>

#include "txt.h"

typedef struct txt_writer {
  quire_output *out;
  int blocks;                 /* blocks written so far, over all documents */
} txt_writer;

int txt_write_open(quire_env *env, quire_output *out,
                   const quire_options *opts, const quire_meta *corpus,
                   void **state) {
  (void)opts;
  (void)corpus;
  txt_writer *w = calloc(1, sizeof *w);
  if (!w) {
    env->svc->error(env, NULL, "out of memory");
    return QUIRE_ERR;
  }
  w->out = out;
  *state = w;
  return QUIRE_OK;
}

static int put(quire_env *env, txt_writer *w, const char *s, size_t n) {
  return env->svc->output_write(env, w->out, s, n);
}

/* A block whose content is inline text: paragraph, heading, cell. */
static int is_text_block(quire_node_type t) {
  return t == QUIRE_NODE_PARAGRAPH || t == QUIRE_NODE_HEADING ||
         t == QUIRE_NODE_TABLE_CELL || t == QUIRE_NODE_CODE_BLOCK ||
         t == QUIRE_NODE_RAW_BLOCK || t == QUIRE_NODE_THEMATIC_BREAK;
}

int txt_write_doc(quire_env *env, void *state, const quire_doc *doc) {
  txt_writer *w = state;
  quire_iter it;
  quire_iter_init(&it, doc->root);
  int rc = QUIRE_OK;
  while (rc == QUIRE_OK && quire_iter_next(&it) != QUIRE_EV_DONE) {
    const quire_node *n = it.node;
    if (is_text_block(n->type) && it.event == QUIRE_EV_ENTER &&
        w->blocks++ > 0)
      rc = put(env, w, "\n", 1);
    if (it.event != QUIRE_EV_ENTER && !(is_text_block(n->type) &&
                                        it.event == QUIRE_EV_EXIT))
      continue;
    switch (n->type) {
    case QUIRE_NODE_TEXT:
    case QUIRE_NODE_CODE:
    case QUIRE_NODE_RAW_INLINE:
      rc = put(env, w, n->text, n->len);
      break;
    case QUIRE_NODE_CODE_BLOCK:
    case QUIRE_NODE_RAW_BLOCK:
      rc = put(env, w, n->text, n->len);
      if (rc == QUIRE_OK && (n->len == 0 || n->text[n->len - 1] != '\n'))
        rc = put(env, w, "\n", 1);
      break;
    case QUIRE_NODE_THEMATIC_BREAK:
      rc = put(env, w, "* * *\n", 6);
      break;
    case QUIRE_NODE_SOFT_BREAK:
    case QUIRE_NODE_LINE_BREAK:
      rc = put(env, w, "\n", 1);
      break;
    default:
      if (is_text_block(n->type) && it.event == QUIRE_EV_EXIT)
        rc = put(env, w, "\n", 1);
      break;
    }
  }
  return rc;
}

int txt_write_close(quire_env *env, void *state, int ok) {
  (void)env;
  (void)ok;
  free(state);
  return QUIRE_OK;
}
