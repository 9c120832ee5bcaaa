/* writer_stub.h - a writer that accepts everything and writes nothing, for
 * test plugins whose formats only need to exist.  Not every plugin that
 * includes it uses it, hence the unused attributes. */
#ifndef QUIRE_TEST_WRITER_STUB_H
#define QUIRE_TEST_WRITER_STUB_H

#include <quire/plugin.h>

__attribute__((unused)) static int
stub_write_open(quire_env *env, quire_output *out, const quire_options *opts,
                const quire_meta *corpus, void **state) {
  (void)env;
  (void)opts;
  (void)corpus;
  *state = out;
  return QUIRE_OK;
}

__attribute__((unused)) static int
stub_write_doc(quire_env *env, void *state, const quire_doc *doc) {
  (void)env;
  (void)state;
  (void)doc;
  return QUIRE_OK;
}

__attribute__((unused)) static int
stub_write_close(quire_env *env, void *state, int ok) {
  (void)env;
  (void)state;
  (void)ok;
  return QUIRE_OK;
}

#define STUB_WRITER                                                          \
  .write_open = stub_write_open, .write_doc = stub_write_doc,                \
  .write_close = stub_write_close

#endif
