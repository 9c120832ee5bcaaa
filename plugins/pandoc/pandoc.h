/* pandoc.h - the pandoc-json plugin: pandoc's JSON AST (pandoc-types API
 * 1.22 and 1.23), read into quire's model and written from it. */
#ifndef QUIRE_PANDOC_H
#define QUIRE_PANDOC_H

#include <jansson.h>
#include <quire/plugin.h>

#include "json_out.h"
#include <string.h>

/* The class of the Div that holds one document of a corpus: pandoc JSON
 * holds one document, so the writer wraps each document of a corpus of
 * several in such a Div, its metadata in the Div's attributes, and the
 * reader splits a file made only of such Divs back into documents. */
#define PANDOC_DOC_CLASS "quire-document"

/* The corpus metadata keys (--title, --metadata ...) the writer puts in
 * the pandoc meta; the core warns about any other key given. */
#define PANDOC_CORPUS_KEYS                                                  \
  "title,author,date,language,description,identifier,subject,keywords,"    \
  "rights,publisher,subtitle"

/* ---- The reader and the writer, as the descriptor sees them -------------- */

int pandoc_read_open(quire_env *env, quire_input *in,
                     const quire_options *opts, void **state);
int pandoc_read_next(quire_env *env, void *state, quire_doc **doc);
void pandoc_read_close(quire_env *env, void *state);

int pandoc_write_open(quire_env *env, quire_output *out,
                      const quire_options *opts, const quire_meta *corpus,
                      void **state);
int pandoc_write_doc(quire_env *env, void *state, const quire_doc *doc);
int pandoc_write_close(quire_env *env, void *state, int ok);

/* ---- Writing (pandoc_render.c) ------------------------------------------- */

/* Appends the blocks of the tree under `root` (its children, not root
 * itself) to out as the elements of a pandoc block list, without the
 * enclosing brackets, in the layout of pandoc-types 1.23 when api23 is
 * non-zero, else 1.22.  *lost counts the nodes whose attributes pandoc
 * has no place for.  When sink is not NULL, the buffer is handed to it
 * whenever it grows past a threshold (and emptied), so that a large
 * document streams.  QUIRE_OK, or QUIRE_FATAL with the message set
 * (memory exhausted, or the sink failed). */
typedef int (*pandoc_sink_fn)(quire_env *env, void *user, json_out *b);
int pandoc_render_blocks(quire_env *env, const quire_node *root, json_out *out,
                         int api23, unsigned long *lost, pandoc_sink_fn sink,
                         void *user);

/* Appends text as the elements of a pandoc inline list (no brackets):
 * words as Str, runs of spaces and tabs as Space, runs holding a newline
 * as SoftBreak.  *count is the number of elements already in the list
 * (for commas) and is advanced. */
void pandoc_render_text(json_out *out, size_t *count, const char *s, size_t n);

/* ---- Reading (pandoc_build.c, pandoc_read_meta.c) ------------------------ */

/* Losses the reader reports, once per kind and document, with a count:
 * what pandoc has and the model has no place for. */
typedef enum pandoc_loss {
  LOSS_CITE,
  LOSS_HEADER_LEVEL,
  LOSS_EXAMPLE_LIST,
  LOSS_SHORT_CAPTION,
  LOSS_SPAN_RANGE,
  LOSS_COL_WIDTH,
  LOSS_ATTRIBUTE,
  LOSS_COUNT
} pandoc_loss;

/* At most this many key/value pairs in one Attr: far beyond any real
 * document, and it keeps setting them (a search each) linear in the
 * input. */
#define PANDOC_MAX_ATTRS 1024

/* What building one document needs and gathers. */
typedef struct pandoc_builder {
  quire_env *env;
  const quire_services *svc;
  quire_doc *doc;
  const char *name;          /* the input's name, for messages */
  int api_minor;             /* 22 or 23: 1.22 has implicit figures */
  uint64_t max_depth;        /* the limit max-depth */
  json_out text;             /* text not yet made a TEXT node */
  size_t block;              /* the top-level block being read (from 1) */
  unsigned losses[LOSS_COUNT];
  int flattened;             /* content beyond max-depth was flattened */
} pandoc_builder;

/* Builds the blocks of a pandoc block list into b->doc's root, then
 * reports what was lost.
 * QUIRE_OK, or QUIRE_FAILED (malformed element) / QUIRE_FATAL (memory)
 * with the message set. */
int pandoc_build(pandoc_builder *b, const json_t *blocks);

/* The `t` of a pandoc element, or NULL when el is not an object with a
 * string `t`. */
const char *pandoc_tag(const json_t *el);

/* Whether s, which may be NULL, is t: for tags and keys. */
static inline int pandoc_is(const char *s, const char *t) {
  return s && strcmp(s, t) == 0;
}

/* Appends the plain text of a pandoc inline list or block list (Str as it
 * is, Space and breaks as one space, blocks separated by one space; notes
 * left out) to out.  For metadata values. */
void pandoc_plain_text(const json_t *list, json_out *out);

/* Sets doc's metadata from a pandoc meta object: title, author (each one
 * a repeated "author" key), date, lang as "language", other text values
 * under their own key; MetaMap values and lists of lists are skipped with
 * a warning.  QUIRE_OK, or QUIRE_FATAL with the message set (memory). */
int pandoc_read_meta(quire_env *env, quire_doc *doc, const json_t *meta,
                     const char *name);

#endif
