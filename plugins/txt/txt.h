/* txt.h - the plain-text reader and writer, as the descriptor sees them. */
#ifndef QUIRE_TXT_H
#define QUIRE_TXT_H

#include <quire/plugin.h>

int txt_read_open(quire_env *env, quire_input *in, const quire_options *opts,
                  void **state);
int txt_read_next(quire_env *env, void *state, quire_doc **doc);
void txt_read_close(quire_env *env, void *state);

int txt_write_open(quire_env *env, quire_output *out,
                   const quire_options *opts, const quire_meta *corpus,
                   void **state);
int txt_write_doc(quire_env *env, void *state, const quire_doc *doc);
int txt_write_close(quire_env *env, void *state, int ok);

#endif
