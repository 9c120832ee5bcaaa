/* txt_read.c - plain text into the model: paragraphs are runs of lines
 * separated by blank lines; the lines of a paragraph are joined by soft
 * breaks. */
#include <stdlib.h>
#include <string.h>

#include "txt.h"

typedef struct txt_reader {
  quire_input *in;
  int done;
} txt_reader;

int txt_read_open(quire_env *env, quire_input *in, const quire_options *opts,
                  void **state) {
  (void)opts;
  txt_reader *r = calloc(1, sizeof *r);
  if (!r) {
    quire_loc loc = {.file = env->svc->input_name(in)};
    env->svc->error(env, &loc, "out of memory");
    return QUIRE_ERR;
  }
  r->in = in;
  *state = r;
  return QUIRE_OK;
}

static int is_blank(const char *s, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
      return 0;
  return 1;
}

static int build(quire_env *env, quire_doc *doc, const char *buf, size_t len) {
  const quire_services *svc = env->svc;
  quire_node *para = NULL;
  size_t pos = 0;
  while (pos < len) {
    const char *nl = memchr(buf + pos, '\n', len - pos);
    size_t end = nl ? (size_t)(nl - buf) : len;
    size_t n = end - pos;
    if (n && buf[pos + n - 1] == '\r')
      n--;
    if (is_blank(buf + pos, n)) {
      para = NULL;
    } else {
      if (!para) {
        para = svc->node_new(doc, QUIRE_NODE_PARAGRAPH);
        if (!para)
          return QUIRE_ERR;
        svc->node_append(doc->root, para);
      } else {
        quire_node *br = svc->node_new(doc, QUIRE_NODE_SOFT_BREAK);
        if (!br)
          return QUIRE_ERR;
        svc->node_append(para, br);
      }
      quire_node *t = svc->node_new_text(doc, QUIRE_NODE_TEXT, buf + pos, n);
      if (!t)
        return QUIRE_ERR;
      svc->node_append(para, t);
    }
    pos = end + 1;
  }
  return QUIRE_OK;
}

int txt_read_next(quire_env *env, void *state, quire_doc **result) {
  txt_reader *r = state;
  if (r->done)
    return QUIRE_DONE;
  r->done = 1;
  char *buf;
  size_t len;
  if (env->svc->input_read_all(env, r->in, &buf, &len) != QUIRE_OK)
    return QUIRE_ERR;
  quire_doc *doc = env->svc->doc_new();
  if (!doc || build(env, doc, buf, len) != QUIRE_OK) {
    free(buf);
    env->svc->doc_free(doc);
    quire_loc loc = {.file = env->svc->input_name(r->in)};
    env->svc->error(env, &loc, "out of memory");
    return QUIRE_ERR;
  }
  free(buf);
  *result = doc;
  return QUIRE_OK;
}

void txt_read_close(quire_env *env, void *state) {
  (void)env;
  free(state);
}
