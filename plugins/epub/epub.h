/* epub.h - the EPUB reader and writer, as the descriptor sees them. */
#ifndef QUIRE_EPUB_H
#define QUIRE_EPUB_H

#include <quire/plugin.h>

int epub_read_open(quire_env *env, quire_input *in, const quire_options *opts,
                   void **state);
int epub_read_next(quire_env *env, void *state, quire_doc **doc);
void epub_read_close(quire_env *env, void *state);

int epub_write_open(quire_env *env, quire_output *out,
                    const quire_options *opts, const quire_meta *corpus,
                    void **state);
/* The same writer, making EPUB 2.0.1 books (-t epub2). */
int epub2_write_open(quire_env *env, quire_output *out,
                     const quire_options *opts, const quire_meta *corpus,
                     void **state);
int epub_write_doc(quire_env *env, void *state, const quire_doc *doc);
int epub_write_close(quire_env *env, void *state, int ok);

#endif
