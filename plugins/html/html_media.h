/* html_media.h - the files a page's images show, put where the page can
 * reach them.
 *
 * An IMAGE whose url names a resource of its document (model.h) shows
 * bytes that exist nowhere beside the page.  The page gets them one of two
 * ways:
 *   - data: the bytes go in the page, as a data: URI (base64), streamed
 *     through svc->res_read a chunk at a time;
 *   - extract: each resource is written once, to DIR/NAME (NAME being the
 *     resource's name, a relative path), and the page links LINK/NAME.
 *     Two documents of one page may have different files under one name:
 *     the second is written as NAME-2 (before the extension), the third
 *     NAME-3...; the same bytes under the same name are written once.
 *
 * Extracted files are written as they come, under temporary names in
 * their final folders, and renamed into place by html_media_commit when
 * the whole page has been written.  html_media_free removes what was not
 * committed, and the folders made for it, so a conversion that fails
 * leaves no media folder behind. */
#ifndef QUIRE_HTML_MEDIA_H
#define QUIRE_HTML_MEDIA_H

#include <libxml/xmlwriter.h>
#include <quire/plugin.h>

typedef struct html_media html_media;

/* Data URIs. */
html_media *html_media_data(quire_env *env);
/* Extraction to the folder dir (made when needed, with its parents),
 * linked from the page as link (a path as the user wrote it, or relative
 * to the page; percent-encoded here).  NULL when memory is exhausted. */
html_media *html_media_extract(quire_env *env, const char *dir,
                               const char *link);

/* Starts a new document: resource names are a document's own, so what a
 * name was written as is forgotten. */
void html_media_next_doc(html_media *m);

/* Writes, into w's open attribute, the URL of resource res: a data: URI,
 * or the link to its extracted copy (written to disk the first time).
 * QUIRE_OK, or QUIRE_FATAL with the message set (a file that cannot be
 * written, a resource that cannot be read, memory). */
int html_media_src(html_media *m, xmlTextWriterPtr w,
                   const quire_resource *res);

/* Moves the extracted files into place: QUIRE_OK, or QUIRE_FATAL with the
 * message set. */
int html_media_commit(html_media *m);

/* Frees m, removing any extracted file not committed and the folders made
 * for them.  NULL is allowed. */
void html_media_free(html_media *m);

/* The number of files extracted so far. */
size_t html_media_files(const html_media *m);

#endif
