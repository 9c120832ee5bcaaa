/* md_write.c - the Markdown writer (to be written). */
#include <stdlib.h>

#include "md.h"

static int not_yet(quire_env *env) {
  env->svc->error(env, NULL, "the Markdown writer is not built yet");
  return QUIRE_FATAL;
}

int md_write_open(quire_env *env, quire_output *out, const quire_options *opts,
                  const quire_meta *corpus, void **state) {
  (void)out;
  (void)opts;
  (void)corpus;
  (void)state;
  return not_yet(env);
}

int gfm_write_open(quire_env *env, quire_output *out,
                   const quire_options *opts, const quire_meta *corpus,
                   void **state) {
  (void)out;
  (void)opts;
  (void)corpus;
  (void)state;
  return not_yet(env);
}

int md_write_doc(quire_env *env, void *state, const quire_doc *doc) {
  (void)state;
  (void)doc;
  return not_yet(env);
}

int md_write_close(quire_env *env, void *state, int ok) {
  (void)env;
  (void)ok;
  free(state);
  return QUIRE_OK;
}
