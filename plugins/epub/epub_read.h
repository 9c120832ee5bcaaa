/* epub_read.h - the steps of reading an EPUB, one file each:
 *
 *   epub_read_zip.c        the ZIP container, read within the limits
 *   epub_read_path.c       hrefs to entry names
 *   epub_read_xml.c        parsing XML safely, and walking the trees
 *   epub_read_container.c  META-INF/container.xml and encryption.xml
 *   epub_read_opf.c        the package document: metadata, manifest, spine
 *   epub_read_toc.c        chapter titles from the nav document or the NCX
 *   epub_read_chapter.c    one content document as a chapter, read by the
 *                          core's xhtml or html reader
 *   epub_read_ids.c        ids made unique in the book, and the links
 *                          between its files rewritten to "#id"
 *   epub_read_res.c        the files content refers to (images, the
 *                          cover) as the document's resources
 *   epub_read.c            the reader's callbacks and the spine
 *
 * Messages: the location's file is always the book (the input's name);
 * the message begins with the entry concerned ("OEBPS/content.opf: ..."). */
#ifndef QUIRE_EPUB_READ_H
#define QUIRE_EPUB_READ_H

#include <stddef.h>

#include <libxml/hash.h>
#include <libxml/tree.h>
#include <quire/plugin.h>

#include "strmap.h"
#include "xml_safe.h"

/* ---- The archive (epub_read_zip.c) ------------------------------------- */

typedef struct epub_archive epub_archive;

/* Opens the ZIP of input `in` (its file, or the bytes of standard input)
 * and checks it as a whole: the number of entries (max-entries), the
 * total size the entries declare (max-expanded-size), and entry names
 * (none may repeat or climb out of the container). */
int epub_archive_open(quire_env *env, quire_input *in, epub_archive **out);
void epub_archive_close(epub_archive *a);

/* The book's name for messages (the input's name). */
const char *epub_archive_book(const epub_archive *a);

/* Non-zero when the archive holds a file entry named exactly `name`. */
int epub_archive_has(const epub_archive *a, const char *name);

/* Marks entry `name` as encrypted (listed in META-INF/encryption.xml):
 * reading it then fails.  Unknown names are ignored. */
void epub_archive_mark_encrypted(epub_archive *a, const char *name);

/* Reads entry `name` whole into *bytes (malloc'd, NUL-terminated; the
 * caller frees it), within the limits.  QUIRE_OK; QUIRE_DONE when there is
 * no such entry (nothing reported); QUIRE_ERR with the message set. */
int epub_archive_read(quire_env *env, epub_archive *a, const char *name,
                      char **bytes, size_t *len);

/* epub_archive_read() for an entry the book can do without (an image):
 * what stops it is a warning, not an error; QUIRE_FATAL (message set)
 * when memory is exhausted. */
int epub_archive_read_optional(quire_env *env, epub_archive *a,
                               const char *name, char **bytes, size_t *len);

/* ---- Paths (epub_read_path.c) ------------------------------------------ */

enum {
  EPUB_PATH_OK = 0,
  EPUB_PATH_REMOTE,     /* a URL with a scheme, or only a fragment */
  EPUB_PATH_ESCAPES,    /* absolute, or climbs above the container */
  EPUB_PATH_BAD,        /* empty, or decodes to a NUL byte */
  EPUB_PATH_NOMEM
};

/* The entry name href designates, read relative to folder `dir` (an entry
 * name's folder with its final '/', or "" for the root): query and
 * fragment dropped, percent-escapes decoded, "." and ".." segments
 * applied.  *out is malloc'd on EPUB_PATH_OK; *fragment (may be NULL) is
 * set non-zero when href had one. */
int epub_path_resolve(const char *dir, const char *href, char **out,
                      int *fragment);

/* epub_path_resolve() for an href of content (a link, an image): an
 * absolute path starts at the container's root, and ".." at the root
 * stays there, as in a browser; never EPUB_PATH_ESCAPES. */
int epub_path_resolve_url(const char *dir, const char *href, char **out,
                          int *fragment);

/* The folder of entry name `path`, with its final '/' ("" at the root),
 * malloc'd; NULL when memory is exhausted. */
char *epub_path_dir(const char *path);

/* Reports `what` (an href, a full-path) as one that escapes the container,
 * or as unusable; for EPUB_PATH_ESCAPES, EPUB_PATH_BAD and EPUB_PATH_NOMEM. */
void epub_path_error(quire_env *env, const char *book, const char *entry,
                     const char *href, int rc);

/* A printable copy of an entry name for messages, at most size - 1 bytes:
 * control characters and bytes that are not UTF-8 become '?'. */
const char *epub_printable(const char *name, char *buf, size_t size);

/* ---- XML (epub_read_xml.c) --------------------------------------------- */

/* Parses an entry that must be XML (container, package, NCX, nav): an
 * error naming the entry when nothing could be read, a warning when the
 * parser had to repair it. */
xmlDoc *epub_dom_load(quire_env *env, const char *book, const char *entry,
                      const char *bytes, size_t len, int html_chars);

/* Non-zero when x is an element with local name `name` (any namespace). */
int epub_dom_is(const xmlNode *x, const char *name);

/* The next node after x in document order within root, going into x's
 * children when `down` is non-zero; NULL at the end.  Walks trees of any
 * depth without recursion. */
xmlNode *epub_dom_next(const xmlNode *root, xmlNode *x, int down);

/* The value of attribute `name` of el (in namespace ns_href, in none when
 * NULL, in any when "*"), malloc'd, or NULL.  Entity references are kept
 * as written, never expanded.  NULL also when memory ran out, which
 * epub_dom_failed() then tells. */
char *epub_dom_attr(const xmlNode *el, const char *name, const char *ns_href);

/* The text under el with runs of whitespace made one space and trimmed,
 * malloc'd (may be ""); entity references kept as written.  NULL when
 * memory is exhausted. */
char *epub_dom_text(const xmlNode *el);

/* A book's reading calls epub_dom_watch() first and, at its end, fails
 * when epub_dom_failed() says that epub_dom_attr or epub_dom_text ran out
 * of memory since (on this thread): their NULL then meant "absent". */
void epub_dom_watch(void);
int epub_dom_failed(void);

/* Squashes whitespace runs of s in place to one space and trims it;
 * returns the new length. */
size_t epub_dom_squash(char *s);

/* ---- The container (epub_read_container.c) ----------------------------- */

/* The entry name of the package document, from META-INF/container.xml,
 * malloc'd in *opf.  Marks the entries that META-INF/encryption.xml lists
 * as encrypted in the archive. */
int epub_container_read(quire_env *env, epub_archive *a, char **opf);

/* ---- The package (epub_read_opf.c) ------------------------------------- */

typedef struct epub_item {
  char *id;
  char *href;           /* as written */
  char *media_type;     /* lower case, parameters dropped; "" when absent */
  char *properties;
  char *fallback;
} epub_item;

typedef struct epub_id {
  const char *id;       /* an item's id ("" when it has none) */
  size_t item;
} epub_id;

typedef struct epub_package {
  const char *book;     /* the input's name, for messages */
  char *path;           /* the package document's entry name */
  char *dir;            /* its folder: hrefs are relative to it */
  epub_item *items;     /* the manifest, in order */
  size_t n_items;
  epub_id *by_id;       /* the items sorted by id */
  size_t *spine;        /* indexes into items, in reading order */
  size_t n_spine;
  size_t nav;           /* the nav document, or SIZE_MAX */
  size_t ncx;           /* the NCX, or SIZE_MAX */
  size_t cover;         /* the cover image, or SIZE_MAX */
  char *title;          /* dc:title, or NULL */
  char *cover_meta;     /* EPUB 2's <meta name="cover" content>, or NULL */
} epub_package;

/* Reads the package document `path`: its metadata into doc, its manifest
 * and spine into pkg (freed with epub_package_free, even on failure). */
int epub_opf_read(quire_env *env, epub_archive *a, const char *path,
                  quire_doc *doc, epub_package *pkg);
void epub_package_free(epub_package *pkg);

/* The manifest item with id `id`, or SIZE_MAX. */
size_t epub_package_find(const epub_package *pkg, const char *id);

/* Non-zero when the space-separated list `list` holds `token`. */
int epub_token_in(const char *list, const char *token);

/* ---- Chapter titles (epub_read_toc.c) ---------------------------------- */

typedef struct epub_label {
  char *path;           /* the entry the table of contents points at */
  char *label;
  char *fragment;       /* the id it points at inside it, or NULL */
  size_t order;         /* its place in the table of contents */
} epub_label;

typedef struct epub_titles {
  epub_label *items;    /* sorted for epub_labels_of */
  size_t n;
} epub_titles;

/* Reads the labels of the nav document's toc, or without one those of
 * the NCX.  A missing or broken table of contents only gives a warning. */
int epub_titles_read(quire_env *env, epub_archive *a, const epub_package *pkg,
                     epub_titles *toc);
void epub_titles_free(epub_titles *toc);

/* The labels of entry `path` (*n of them): those of links to the whole
 * file first, then those of links inside it, each in the order of the
 * table of contents. */
const epub_label *epub_labels_of(const epub_titles *toc, const char *path,
                                 size_t *n);

/* ---- Chapters (epub_read_chapter.c) ------------------------------------ */

/* How a manifest item is read: not at all, or as a content document. */
enum { EPUB_NOT_CONTENT, EPUB_XHTML, EPUB_XML_ONLY, EPUB_DTBOOK };
int epub_content_kind(const epub_item *it);

/* A content document read as a chapter. */
typedef struct epub_part {
  char *path;              /* its entry name */
  char *dir;               /* its folder, for its hrefs */
  quire_node *section;     /* its SECTION, or NULL when it held nothing */
  const char *id;          /* the SECTION's id (in the document); for an
                              empty part, the id links to it go to */
} epub_part;

typedef struct epub_reading {
  quire_env *env;
  epub_archive *archive;
  const epub_package *pkg;
  const epub_titles *toc;
  quire_doc *doc;          /* the book's document */
  size_t documents;        /* content documents read (some may be empty) */
  epub_part *parts;        /* in reading order */
  size_t n_parts, cap_parts;
  /* Lookups by name, each in time independent of the book's size
   * (strmap.h: seeded at random against forged keys). */
  strmap *part_of;   /* entry name -> part index + 1 */
  strmap *item_of;   /* entry name -> manifest item index + 1 */
  strmap *ids;       /* ids given in the book -> next suffix to try */
  strmap *id_map;    /* (id as written, entry name) -> id given */
  strmap *res_of;    /* entry name -> resource name, or MISSING */
  strmap *res_names; /* resource names given -> 1 */
  size_t res_told;         /* resource warnings given */
} epub_reading;

/* Makes the lookups (the part list starts empty): QUIRE_OK, or
 * QUIRE_FATAL (no message set) when memory is exhausted.
 * epub_reading_free() frees what init made, even after a failure. */
int epub_reading_init(epub_reading *r);
void epub_reading_free(epub_reading *r);

/* Appends the chapter of content document `path` (manifest item it, whose
 * bytes are given) to the document: the page is read by the core's xhtml
 * or html reader (svc->sub_open) and its blocks moved into a section.
 * QUIRE_OK also when it is skipped with a warning or holds nothing;
 * QUIRE_FAILED or QUIRE_FATAL with the message set. */
int epub_chapter_read(epub_reading *r, const epub_item *it, const char *path,
                      const char *bytes, size_t len);

/* ---- Ids and links (epub_read_ids.c) ----------------------------------- */

/* Gives part `part` (just read, its SECTION in r->parts) its ids: the
 * SECTION's (from `base`, the id of a <section> that wrapped the whole
 * page, else from the file's name) and every id its nodes carry, each
 * made unique in the book; `aliases` (n of them, may be NULL) are ids
 * of the page that now mean the SECTION.  QUIRE_OK or QUIRE_FATAL. */
int epub_ids_give(epub_reading *r, size_t part, const char *base,
                  const char *const *aliases, size_t n);

/* After the last part: points the links of every part at their targets
 * ("ch2.xhtml#x" -> "#x2", "ch2.xhtml" -> "#ch2"), and links to other
 * files of the book at their resources.  QUIRE_OK or QUIRE_FATAL. */
int epub_links_rewrite(epub_reading *r);

/* ---- Resources (epub_read_res.c) --------------------------------------- */

/* Adds the cover image (pkg->cover) as a resource marked
 * QUIRE_RES_COVER, before any content can refer to it.  QUIRE_OK also
 * when there is none or it is missing (warned); QUIRE_FATAL. */
int epub_res_cover(epub_reading *r);

/* The resource name of entry `path`, which `from` (an entry name, for
 * messages) refers to: the entry is read and added as a resource the
 * first time.  *name is NULL when it is not a file of the book or cannot
 * be read (warned once).  QUIRE_OK or QUIRE_FATAL. */
int epub_res_of(epub_reading *r, const char *path, const char *from,
                const char **name);

/* Readies `page`, a document the reader of part `part`'s page gave, to
 * join the book (svc->doc_adopt, which moves its resources too): renames
 * its resources whose names the book has already, and points its IMAGE
 * nodes at their resources.  QUIRE_OK or QUIRE_FATAL. */
int epub_res_take(epub_reading *r, size_t part, quire_doc *page);

/* Adds the images of the SVG drawings of part `part`'s page `tree` (may
 * be NULL), also where the model holds no node for them.  QUIRE_OK or
 * QUIRE_FATAL. */
int epub_res_svg(epub_reading *r, size_t part, xmlDoc *tree);

/* Tells how many more files could not be read than were told. */
void epub_res_summary(epub_reading *r);

#endif
