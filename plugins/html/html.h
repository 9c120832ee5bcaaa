/* html.h - the HTML and XHTML reader and writer, as the descriptor sees
 * them, and the steps of reading. */
#ifndef QUIRE_HTML_H
#define QUIRE_HTML_H

#include <libxml/tree.h>
#include <quire/plugin.h>

#include "html_res.h"

/* Reader callbacks; the xhtml_ ones parse with the XML parser. */
int html_read_open(quire_env *env, quire_input *in, const quire_options *opts,
                   void **state);
int xhtml_read_open(quire_env *env, quire_input *in,
                    const quire_options *opts, void **state);
int html_read_next(quire_env *env, void *state, quire_doc **doc);
void html_read_close(quire_env *env, void *state);

/* Writer callbacks; xhtml_write_open writes well-formed XHTML. */
int html_write_open(quire_env *env, quire_output *out,
                    const quire_options *opts, const quire_meta *corpus,
                    void **state);
int xhtml_write_open(quire_env *env, quire_output *out,
                     const quire_options *opts, const quire_meta *corpus,
                     void **state);
int html_write_doc(quire_env *env, void *state, const quire_doc *doc);
int html_write_close(quire_env *env, void *state, int ok);

/* Decodes the bytes of an HTML file to UTF-8, the charset `forced` (a
 * canonical name, --input-encoding) or else taken from a BOM, then a
 * <meta> declaration, then UTF-8 when the bytes are valid UTF-8, else
 * detected (see html_charset.c); its canonical name goes to
 * encoding[0..32).  *text is the caller's, freed with free().  QUIRE_OK,
 * or QUIRE_FAILED / QUIRE_FATAL (memory) with the message set. */
int html_decode(quire_env *env, const char *name, const char *forced,
                const char *bytes, size_t len, char **text, size_t *text_len,
                char *encoding);

/* Builds doc's blocks and metadata from a parsed (X)HTML tree (see
 * html_build.c); images become resources through res (NULL: their urls
 * stay as written).  QUIRE_OK, or QUIRE_FAILED / QUIRE_FATAL (memory) with
 * the message set. */
int html_build(quire_env *env, const char *name, xmlDoc *tree,
               quire_doc *doc, html_res *res);

/* The same, appending the blocks to `parent`, a block container of doc
 * (a section for an EPUB chapter), whose depth counts against max-depth.
 * Unless parent is doc's root, doc's metadata is left alone. */
int html_build_into(quire_env *env, const char *name, xmlDoc *tree,
                    quire_doc *doc, quire_node *parent, html_res *res);

/* The path of folder dir as seen from the folder of file page (both as
 * the user named them, relative to the working folder or absolute):
 * "../media", "media", ".".  malloc'd; NULL when memory is exhausted. */
char *html_rel_path(const char *page, const char *dir);

#endif
