/* html_res.h - the images a page refers to (<img src>, SVG's <image
 * href>, <object data> of an image), read into the document as resources.
 *
 * Only files under a root are read: the page's own folder (when the page
 * is a file) and each --resource-path DIR.  A reference is looked up
 * relative to the page's folder, then to each --resource-path folder in
 * turn (pandoc's search list); "../" works as long as the file's real path
 * (symlinks resolved) stays under one of the roots.  Refused with a
 * warning naming the page, the line and the reference: absolute paths,
 * file: URLs, paths or symlinks that leave every root, anything but a
 * regular file (devices, FIFOs, folders), and files larger than the limit
 * max-input-size.  Remote URLs are never fetched.  data: URIs of images
 * become resources too.  With --sandbox no file is read. */
#ifndef QUIRE_HTML_RES_H
#define QUIRE_HTML_RES_H

#include <quire/plugin.h>

typedef struct html_res html_res;

/* The reader's resource state for input `in`, from the options
 * resource-path (repeatable) and sandbox.  Warns about a --resource-path
 * folder that does not exist.  QUIRE_OK, or QUIRE_FATAL (memory) with the
 * message set. */
int html_res_new(quire_env *env, quire_input *in, const quire_options *opts,
                 html_res **res);
void html_res_free(html_res *res);

/* Starts a document: resources go to doc, messages name the page `name`. */
void html_res_doc(html_res *res, quire_doc *doc, const char *name);

/* The url an image referred to as `ref` (an attribute's value, found on
 * `line`) gets: the name of the resource made from the file it names, or
 * ref itself when it names no file that may be read (with a warning that
 * says why).  `declared` is the media type the page declares (a type
 * attribute), or NULL.  *url lives in the document.  QUIRE_OK, or
 * QUIRE_FATAL when memory ran out (the message is set). */
int html_res_image(html_res *res, const char *ref, const char *declared,
                   unsigned long line, const char **url);

/* Ends the document: one warning for the remote images it kept. */
void html_res_doc_end(html_res *res);

#endif
