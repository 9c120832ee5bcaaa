/* epub_read_opf.c - the package document (OPF): metadata, manifest, spine.
 *
 * Metadata: Dublin Core elements of any version (OEB 1.2 books write
 * dc:Title), wherever they are under <metadata> (OEB 1.2 nests them in
 * <dc-metadata>):
 *   dc:title       -> title (the first)
 *   dc:creator     -> author, each in order
 *   dc:language    -> language (the first)
 *   dc:date        -> date: the one with opf:event="publication", else the
 *                     first (EPUB 2 books may list creation and
 *                     modification dates too)
 *   dc:identifier  -> identifier: the package's unique-identifier, else
 *                     the first
 *   dc:description -> description (the first)
 * Values have their whitespace collapsed.  Other metadata is not kept.
 *
 * The manifest keeps each item's id, href, media-type (lower case, without
 * parameters), properties and fallback; hrefs are resolved only when an
 * item is read.  The spine lists items by id; an id the manifest lacks is
 * skipped with a warning. */
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "epub_read.h"

void epub_package_free(epub_package *pkg) {
  for (size_t i = 0; i < pkg->n_items; i++) {
    epub_item *it = &pkg->items[i];
    free(it->id);
    free(it->href);
    free(it->media_type);
    free(it->properties);
    free(it->fallback);
  }
  free(pkg->items);
  free(pkg->by_id);
  free(pkg->spine);
  free(pkg->path);
  free(pkg->dir);
  free(pkg->title);
  memset(pkg, 0, sizeof *pkg);
}

int epub_token_in(const char *list, const char *token) {
  size_t n = strlen(token);
  for (const char *p = list; p && *p;) {
    p += strspn(p, " \t\n\r\f");
    size_t k = strcspn(p, " \t\n\r\f");
    if (k == n && strncmp(p, token, n) == 0)
      return 1;
    p += k;
  }
  return 0;
}

/* ---- Metadata ------------------------------------------------------------ */

static int is_dc(const xmlNode *x, const char *name) {
  return x->type == XML_ELEMENT_NODE && x->ns && x->ns->href &&
         strncmp((const char *)x->ns->href, "http://purl.org/dc/elements/1.",
                 30) == 0 &&
         strcasecmp((const char *)x->name, name) == 0;
}

typedef struct found {
  char *title, *language, *date, *pub_date, *identifier, *unique,
      *description;
} found;

/* Keeps the first non-empty value in *slot; frees the others. */
static void keep(char **slot, char *value) {
  if (!*slot && value && value[0])
    *slot = value;
  else
    free(value);
}

static int read_metadata(quire_env *env, quire_doc *doc, xmlNode *metadata,
                         const char *unique_id, epub_package *pkg) {
  const quire_services *svc = env->svc;
  found f = {0};
  int rc = QUIRE_OK;
  for (xmlNode *x = metadata->children; x && rc == QUIRE_OK;
       x = epub_dom_next(metadata, x, 1)) {
    if (x->type != XML_ELEMENT_NODE)
      continue;
    if (is_dc(x, "title"))
      keep(&f.title, epub_dom_text(x));
    else if (is_dc(x, "creator")) {
      char *name = epub_dom_text(x);
      if (name && name[0] && svc->meta_add(doc, QUIRE_META_AUTHOR, name))
        rc = QUIRE_ERR;
      free(name);
    } else if (is_dc(x, "language"))
      keep(&f.language, epub_dom_text(x));
    else if (is_dc(x, "date")) {
      char *event = epub_dom_attr(x, "event", "*");
      int publication = event && strstr(event, "publication");
      free(event);
      keep(publication ? &f.pub_date : &f.date, epub_dom_text(x));
    } else if (is_dc(x, "identifier")) {
      char *id = epub_dom_attr(x, "id", NULL);
      int unique = id && unique_id && strcmp(id, unique_id) == 0;
      free(id);
      keep(unique ? &f.unique : &f.identifier, epub_dom_text(x));
    } else if (is_dc(x, "description"))
      keep(&f.description, epub_dom_text(x));
  }
  const char *date = f.pub_date ? f.pub_date : f.date;
  const char *identifier = f.unique ? f.unique : f.identifier;
  if (rc == QUIRE_OK &&
      ((f.title && svc->meta_set(doc, QUIRE_META_TITLE, f.title)) ||
       (f.language && svc->meta_set(doc, QUIRE_META_LANGUAGE, f.language)) ||
       (date && svc->meta_set(doc, QUIRE_META_DATE, date)) ||
       (identifier &&
        svc->meta_set(doc, QUIRE_META_IDENTIFIER, identifier)) ||
       (f.description &&
        svc->meta_set(doc, QUIRE_META_DESCRIPTION, f.description))))
    rc = QUIRE_ERR;
  pkg->title = f.title;
  free(f.language);
  free(f.date);
  free(f.pub_date);
  free(f.identifier);
  free(f.unique);
  free(f.description);
  return rc;
}

/* ---- Manifest and spine ------------------------------------------------ */

/* "Application/XHTML+XML; charset=utf-8" -> "application/xhtml+xml". */
static char *media_type(char *t) {
  if (!t)
    return strdup("");
  t[strcspn(t, ";")] = '\0';
  epub_dom_squash(t);
  for (char *p = t; *p; p++)
    *p = (char)tolower((unsigned char)*p);
  return t;
}

static int read_item(epub_package *pkg, xmlNode *x, size_t *cap) {
  if (pkg->n_items == *cap) {
    size_t n = *cap ? *cap * 2 : 32;
    epub_item *items = realloc(pkg->items, n * sizeof *items);
    if (!items)
      return QUIRE_ERR;
    pkg->items = items;
    *cap = n;
  }
  epub_item it = {
      .id = epub_dom_attr(x, "id", NULL),
      .href = epub_dom_attr(x, "href", NULL),
      .media_type = media_type(epub_dom_attr(x, "media-type", NULL)),
      .properties = epub_dom_attr(x, "properties", NULL),
      .fallback = epub_dom_attr(x, "fallback", NULL),
  };
  if (it.id)
    epub_dom_squash(it.id);
  if (it.fallback)
    epub_dom_squash(it.fallback);
  pkg->items[pkg->n_items++] = it;
  return it.media_type ? QUIRE_OK : QUIRE_ERR;
}

static int compare_ids(const void *x, const void *y) {
  const epub_id *a = x, *b = y;
  int c = strcmp(a->id, b->id);
  return c ? c : (a->item > b->item) - (a->item < b->item);
}

/* The items sorted by id, the first of equal ids first, for lookups. */
static int index_ids(epub_package *pkg) {
  pkg->by_id = malloc((pkg->n_items ? pkg->n_items : 1) * sizeof *pkg->by_id);
  if (!pkg->by_id)
    return QUIRE_ERR;
  for (size_t i = 0; i < pkg->n_items; i++)
    pkg->by_id[i] = (epub_id){.id = pkg->items[i].id ? pkg->items[i].id : "",
                              .item = i};
  qsort(pkg->by_id, pkg->n_items, sizeof *pkg->by_id, compare_ids);
  return QUIRE_OK;
}

size_t epub_package_find(const epub_package *pkg, const char *id) {
  size_t lo = 0, hi = pkg->n_items;
  while (lo < hi) {   /* the first entry whose id is not below `id` */
    size_t mid = lo + (hi - lo) / 2;
    if (strcmp(pkg->by_id[mid].id, id) < 0)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo < pkg->n_items && strcmp(pkg->by_id[lo].id, id) == 0
             ? pkg->by_id[lo].item
             : SIZE_MAX;
}

static int read_spine(quire_env *env, epub_package *pkg, xmlNode *spine) {
  const char *book = pkg->book;
  quire_loc loc = {.file = book};
  char shown[256], id[128];
  epub_printable(pkg->path, shown, sizeof shown);
  size_t cap = 0, unknown = 0;
  for (xmlNode *x = spine->children; x; x = x->next) {
    if (!epub_dom_is(x, "itemref"))
      continue;
    char *idref = epub_dom_attr(x, "idref", NULL);
    size_t i = idref && epub_dom_squash(idref) ? epub_package_find(pkg, idref)
                                           : SIZE_MAX;
    if (i == SIZE_MAX) {
      /* told ten times at most: a spine can repeat one wrong id forever */
      if (++unknown <= 10)
        env->svc->warn(env, &loc, "%s: the spine names item '%s', which "
                       "the manifest does not have; skipped", shown,
                       epub_printable(idref ? idref : "", id, sizeof id));
      free(idref);
      continue;
    }
    free(idref);
    if (pkg->n_spine == cap) {
      size_t n = cap ? cap * 2 : 32;
      size_t *s = realloc(pkg->spine, n * sizeof *s);
      if (!s)
        return QUIRE_ERR;
      pkg->spine = s;
      cap = n;
    }
    pkg->spine[pkg->n_spine++] = i;
  }
  if (unknown > 10)
    env->svc->warn(env, &loc, "%s: %zu more spine items name no manifest "
                   "item", shown, unknown - 10);
  char *toc = epub_dom_attr(spine, "toc", NULL);
  if (toc && epub_dom_squash(toc))
    pkg->ncx = epub_package_find(pkg, toc);
  free(toc);
  return QUIRE_OK;
}

/* The first element named `name` under root, in document order. */
static xmlNode *first(xmlNode *root, const char *name) {
  for (xmlNode *x = root; x; x = epub_dom_next(root, x, 1))
    if (epub_dom_is(x, name))
      return x;
  return NULL;
}

static int read_package(quire_env *env, xmlDoc *tree, quire_doc *doc,
                        epub_package *pkg) {
  quire_loc loc = {.file = pkg->book};
  char shown[256];
  epub_printable(pkg->path, shown, sizeof shown);
  xmlNode *root = xmlDocGetRootElement(tree);
  if (!epub_dom_is(root, "package")) {
    env->svc->error(env, &loc, "%s: not a package document (its root "
                    "element is <%s>)", shown, (const char *)root->name);
    return QUIRE_ERR;
  }
  xmlNode *metadata = first(root, "metadata");
  xmlNode *manifest = first(root, "manifest");
  xmlNode *spine = first(root, "spine");
  char *unique_id = epub_dom_attr(root, "unique-identifier", NULL);
  if (unique_id)
    epub_dom_squash(unique_id);
  int rc = metadata ? read_metadata(env, doc, metadata, unique_id, pkg)
                    : QUIRE_OK;
  free(unique_id);
  size_t cap = 0;
  for (xmlNode *x = manifest ? manifest->children : NULL;
       x && rc == QUIRE_OK; x = x->next)
    if (epub_dom_is(x, "item"))
      rc = read_item(pkg, x, &cap);
  if (rc == QUIRE_OK)
    rc = index_ids(pkg);
  if (rc != QUIRE_OK) {
    env->svc->error(env, &loc, "out of memory");
    return QUIRE_ERR;
  }
  if (!spine) {
    env->svc->error(env, &loc, "%s: the package has no spine: its reading "
                    "order is unknown", shown);
    return QUIRE_ERR;
  }
  if (read_spine(env, pkg, spine) != QUIRE_OK) {
    env->svc->error(env, &loc, "out of memory");
    return QUIRE_ERR;
  }
  for (size_t i = 0; i < pkg->n_items; i++) {
    const epub_item *it = &pkg->items[i];
    if (pkg->nav == SIZE_MAX && epub_token_in(it->properties, "nav"))
      pkg->nav = i;
    if (pkg->ncx == SIZE_MAX &&
        strcmp(it->media_type, "application/x-dtbncx+xml") == 0)
      pkg->ncx = i;
  }
  return QUIRE_OK;
}

int epub_opf_read(quire_env *env, epub_archive *a, const char *path,
                  quire_doc *doc, epub_package *pkg) {
  memset(pkg, 0, sizeof *pkg);
  pkg->nav = pkg->ncx = SIZE_MAX;
  pkg->book = epub_archive_book(a);
  quire_loc loc = {.file = pkg->book};
  pkg->path = strdup(path);
  pkg->dir = epub_path_dir(path);
  if (!pkg->path || !pkg->dir) {
    env->svc->error(env, &loc, "out of memory");
    return QUIRE_ERR;
  }
  char *bytes;
  size_t len;
  int rc = epub_archive_read(env, a, path, &bytes, &len);
  if (rc == QUIRE_DONE) {
    char shown[256];
    env->svc->error(env, &loc, "the package document '%s' is missing",
                    epub_printable(path, shown, sizeof shown));
  }
  if (rc != QUIRE_OK)
    return QUIRE_ERR;
  xmlDoc *tree = epub_dom_load(env, pkg->book, path, bytes, len, 0);
  free(bytes);
  if (!tree)
    return QUIRE_ERR;
  rc = read_package(env, tree, doc, pkg);
  xmlFreeDoc(tree);
  return rc;
}
