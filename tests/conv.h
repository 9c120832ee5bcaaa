/* conv.h - one conversion to memory, for the tests of formats: inputs are
 * files or one memory source, options and transforms as a user gives
 * them. */
#ifndef QUIRE_TESTS_CONV_H
#define QUIRE_TESTS_CONV_H

#include <quire/quire.h>

#include "session_fixture.h"

typedef struct conv {
  const char *const *paths;        /* files, or NULL */
  size_t n_paths;
  const quire_source *src;         /* one memory input, or NULL */
  const char *from, *to;
  const quire_option *opts;
  size_t n_opts;
  int keep_going;
  const char *const *transforms;
  size_t n_transforms;
} conv;

/* Converts in f's session: the output (NUL-terminated; the caller frees
 * it) and *len (may be NULL) its length, or NULL with *st telling why. */
char *conv_run(fixture *f, const conv *c, quire_status *st, size_t *len);
/* The same, failing the test when the conversion fails. */
char *conv_must(fixture *f, const conv *c, size_t *len);
/* data[0..len) named `name`, read as `from` (NULL: by name and content),
 * written as `to`; st as for conv_run. */
char *conv_memory(fixture *f, const char *name, const char *data, size_t len,
                  const char *from, const char *to, quire_status *st);

#endif
