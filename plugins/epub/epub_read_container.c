/* epub_read_container.c - META-INF/container.xml, which names the package
 * document, and META-INF/encryption.xml, which lists encrypted entries.
 *
 * The package document is the first <rootfile> whose media-type is
 * application/oebps-package+xml; a container naming none of that type
 * gets the first <rootfile> with a full-path, with a warning.  Every entry
 * encryption.xml lists is refused when read, whatever the algorithm: DRM
 * (Adobe, Apple, ...) encrypts the content documents, and the font
 * obfuscation of the specification only concerns fonts, never read. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "epub_read.h"

static const char container_xml[] = "META-INF/container.xml";
static const char encryption_xml[] = "META-INF/encryption.xml";
static const char package_type[] = "application/oebps-package+xml";

/* Reads an entry of META-INF as XML; NULL (message set) on failure. */
static xmlDoc *read_xml(quire_env *env, epub_archive *a, const char *name) {
  char *bytes;
  size_t len;
  int rc = epub_archive_read(env, a, name, &bytes, &len);
  if (rc != QUIRE_OK) {
    if (rc == QUIRE_DONE) {
      quire_loc loc = {.file = epub_archive_book(a)};
      env->svc->error(env, &loc, "no %s: not an EPUB, or a damaged one",
                      name);
    }
    return NULL;
  }
  xmlDoc *tree = epub_dom_load(env, epub_archive_book(a), name, bytes, len, 0);
  free(bytes);
  return tree;
}

/* The full-path of the package's <rootfile>, malloc'd, or NULL. */
static char *rootfile(quire_env *env, const char *book, xmlDoc *tree) {
  xmlNode *root = xmlDocGetRootElement(tree);
  char *first = NULL;
  for (xmlNode *x = root; x; x = epub_dom_next(root, x, 1)) {
    if (!epub_dom_is(x, "rootfile"))
      continue;
    char *path = epub_dom_attr(x, "full-path", NULL);
    char *type = epub_dom_attr(x, "media-type", NULL);
    if (path && epub_dom_squash(path)) {
      if (type && epub_dom_squash(type) &&
          strcasecmp(type, package_type) == 0) {
        free(first);
        free(type);
        return path;
      }
      if (!first) {
        first = path;
        path = NULL;
      }
    }
    free(path);
    free(type);
  }
  if (first) {
    quire_loc loc = {.file = book};
    char shown[256];
    env->svc->warn(env, &loc, "%s: no rootfile of type %s; reading '%s'",
                   container_xml, package_type,
                   epub_printable(first, shown, sizeof shown));
  }
  return first;
}

/* Marks what encryption.xml lists. */
static int read_encryption(quire_env *env, epub_archive *a) {
  if (!epub_archive_has(a, encryption_xml))
    return QUIRE_OK;
  xmlDoc *tree = read_xml(env, a, encryption_xml);
  if (!tree)
    return QUIRE_ERR;
  xmlNode *root = xmlDocGetRootElement(tree);
  int rc = QUIRE_OK;
  for (xmlNode *x = root; x && rc == QUIRE_OK;
       x = epub_dom_next(root, x, 1)) {
    if (!epub_dom_is(x, "CipherReference"))
      continue;
    char *uri = epub_dom_attr(x, "URI", NULL), *path = NULL;
    /* Relative to the container's root, like full-path. */
    int r = uri ? epub_path_resolve("", uri, &path, NULL) : EPUB_PATH_BAD;
    if (r == EPUB_PATH_OK)
      epub_archive_mark_encrypted(a, path);
    else if (r == EPUB_PATH_NOMEM) {
      quire_loc loc = {.file = epub_archive_book(a)};
      env->svc->error(env, &loc, "out of memory");
      rc = QUIRE_ERR;
    }
    free(uri);
    free(path);
  }
  xmlFreeDoc(tree);
  return rc;
}

int epub_container_read(quire_env *env, epub_archive *a, char **opf) {
  const char *book = epub_archive_book(a);
  quire_loc loc = {.file = book};
  xmlDoc *tree = read_xml(env, a, container_xml);
  if (!tree)
    return QUIRE_ERR;
  char *full_path = rootfile(env, book, tree);
  xmlFreeDoc(tree);
  if (!full_path) {
    env->svc->error(env, &loc, "%s names no package document (no rootfile "
                    "with a full-path)", container_xml);
    return QUIRE_ERR;
  }
  char *path = NULL;
  int r = epub_path_resolve("", full_path, &path, NULL);
  if (r != EPUB_PATH_OK) {
    epub_path_error(env, book, container_xml, full_path,
                    r == EPUB_PATH_REMOTE ? EPUB_PATH_BAD : r);
    free(full_path);
    return QUIRE_ERR;
  }
  free(full_path);
  if (!epub_archive_has(a, path)) {
    char shown[256];
    env->svc->error(env, &loc, "%s: the package document '%s' is missing",
                    container_xml, epub_printable(path, shown, sizeof shown));
    free(path);
    return QUIRE_ERR;
  }
  if (read_encryption(env, a) != QUIRE_OK) {
    free(path);
    return QUIRE_ERR;
  }
  *opf = path;
  return QUIRE_OK;
}
