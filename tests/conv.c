/* conv.c - one conversion to memory (conv.h). */
#include "conv.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

char *conv_run(fixture *f, const conv *c, quire_status *st, size_t *len) {
  char *out = NULL;
  size_t n = 0;
  quire_job job = {.inputs = c->paths, .n_inputs = c->n_paths,
                   .sources = c->src, .n_sources = c->src ? 1 : 0,
                   .from = c->from, .to = c->to,
                   .options = c->opts, .n_options = c->n_opts,
                   .transforms = c->transforms,
                   .n_transforms = c->n_transforms,
                   .output_data = &out, .output_len = &n,
                   .keep_going = c->keep_going, .status = st};
  memset(st, 0, sizeof *st);
  quire_convert(f->s, &job);
  if (len)
    *len = n;
  return out;
}

char *conv_must(fixture *f, const conv *c, size_t *len) {
  quire_status st;
  char *out = conv_run(f, c, &st, len);
  if (!out || st.result < QUIRE_OK)
    fail_msg("conversion to %s failed: %s", c->to, st.error.message);
  return out;
}

char *conv_memory(fixture *f, const char *name, const char *data, size_t len,
                  const char *from, const char *to, quire_status *st) {
  quire_source src = {.name = name, .format = from, .data = data, .len = len};
  conv c = {.src = &src, .from = from, .to = to};
  return conv_run(f, &c, st, NULL);
}
