/* md.h - the Markdown plugin: CommonMark and GitHub-flavoured Markdown,
 * read with cmark-gfm into quire's model (md_read*.c) and written from it
 * (md_write*.c).
 *
 * Two formats share the code: "md" (aliases "markdown", "commonmark") and
 * "gfm".  They differ by the dialect below. */
#ifndef QUIRE_MD_H
#define QUIRE_MD_H

#include <quire/plugin.h>

typedef enum md_dialect {
  MD_COMMONMARK,             /* md: CommonMark */
  MD_GFM                     /* gfm: GitHub-flavoured Markdown */
} md_dialect;

/* The corpus metadata keys the writer puts in its front matter. */
#define MD_CORPUS_KEYS                                                         \
  "title,author,date,language,description,subject,publisher,rights,"          \
  "identifier,keywords,creator:"

/* ---- The reader (md_read.c) ---------------------------------------------- */

int md_read_open(quire_env *env, quire_input *in, const quire_options *opts,
                 void **state);
int gfm_read_open(quire_env *env, quire_input *in, const quire_options *opts,
                  void **state);
int md_read_next(quire_env *env, void *state, quire_doc **doc);
void md_read_close(quire_env *env, void *state);

/* ---- The writer (md_write.c) --------------------------------------------- */

int md_write_open(quire_env *env, quire_output *out, const quire_options *opts,
                  const quire_meta *corpus, void **state);
int gfm_write_open(quire_env *env, quire_output *out,
                   const quire_options *opts, const quire_meta *corpus,
                   void **state);
int md_write_doc(quire_env *env, void *state, const quire_doc *doc);
int md_write_close(quire_env *env, void *state, int ok);

#endif
