/* epub_read_opf.c - the package document (OPF): metadata, manifest, spine.
 *
 * Metadata: Dublin Core elements of any version (OEB 1.2 books write
 * dc:Title), wherever they are under <metadata> (OEB 1.2 nests them in
 * <dc-metadata>):
 *   dc:title       -> title (the first)
 *   dc:creator     -> author when its role is aut or none, else
 *                     creator:ROLE (the MARC relator code), each in order;
 *                     the role is EPUB 2's opf:role attribute or EPUB 3's
 *                     <meta refines="#its-id" property="role">
 *   dc:contributor -> likewise, creator:ctb when it has no role
 *   dc:language    -> language (the first; else the package's xml:lang)
 *   dc:date        -> date: the one with opf:event="publication", else the
 *                     first (EPUB 2 books may list creation and
 *                     modification dates too)
 *   dc:identifier  -> identifier: the package's unique-identifier, else
 *                     the first
 *   dc:description, dc:publisher, dc:rights -> the same keys (the first)
 *   dc:subject     -> subject, each
 *   <spine page-progression-direction="rtl|ltr"> -> direction
 * Values have their whitespace collapsed.  Other metadata is not kept.
 *
 * The manifest keeps each item's id, href, media-type (lower case, without
 * parameters), properties and fallback; hrefs are resolved only when an
 * item is read.  The spine lists items by id; an id the manifest lacks is
 * skipped with a warning.  The cover image is the item whose properties
 * say cover-image (EPUB 3), else the one EPUB 2's <meta name="cover"
 * content="ID"> names (by id, or by href as some tools write it), when it
 * is an image. */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
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
  free(pkg->cover_meta);
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
      *description, *publisher, *rights;
} found;

/* Keeps the first non-empty value in *slot; frees the others. */
static void keep(char **slot, char *value) {
  if (!*slot && value && value[0])
    *slot = value;
  else
    free(value);
}

static void free_payload(void *payload, const xmlChar *name) {
  (void)name;
  free(payload);
}

/* EPUB 3's roles: <meta refines="#creator1" property="role">aut</meta>,
 * as a table of the refined id -> role (the first given).  NULL when
 * memory is exhausted. */
static xmlHashTable *read_roles(xmlNode *metadata) {
  xmlHashTable *roles = xmlHashCreate(16);
  for (xmlNode *x = metadata->children; x && roles;
       x = epub_dom_next(metadata, x, 1)) {
    if (!epub_dom_is(x, "meta"))
      continue;
    char *property = epub_dom_attr(x, "property", NULL);
    char *refines = epub_dom_attr(x, "refines", NULL);
    if (property && refines && epub_dom_squash(property) &&
        strcmp(property, "role") == 0 && epub_dom_squash(refines) > 1 &&
        refines[0] == '#' &&
        !xmlHashLookup(roles, (const xmlChar *)refines + 1)) {
      char *role = epub_dom_text(x);
      if (!role || xmlHashAddEntry(roles, (const xmlChar *)refines + 1,
                                   role) != 0) {
        free(role);
        xmlHashFree(roles, free_payload);
        roles = NULL;
      }
    }
    free(property);
    free(refines);
  }
  return roles;
}

/* The metadata key of a creator or contributor with `role` (may be NULL):
 * "author" for an author, else "creator:ROLE" with the role in lower
 * case, anything but letters, digits and '-' made '-'.  Writes into buf. */
static const char *creator_key(const char *role, int contributor, char *buf,
                               size_t size) {
  char code[32];
  size_t n = 0;
  for (const char *p = role ? role : ""; *p && n + 1 < sizeof code; p++) {
    char c = (char)tolower((unsigned char)*p);
    code[n++] = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ? c : '-';
  }
  code[n] = '\0';
  if (n == 0 && contributor)
    strcpy(code, "ctb");   /* MARC's contributor */
  else if (n == 0 || strcmp(code, "aut") == 0)
    return QUIRE_META_AUTHOR;
  snprintf(buf, size, "%s%s", QUIRE_META_CREATOR_PREFIX, code);
  return buf;
}

/* A dc:creator or dc:contributor: its name under its role's key. */
static int add_creator(const quire_services *svc, quire_doc *doc,
                       xmlNode *x, xmlHashTable *roles, int contributor) {
  char *name = epub_dom_text(x);
  if (!name)
    return QUIRE_ERR;
  char *role = epub_dom_attr(x, "role", "*");   /* EPUB 2: opf:role */
  if (role && !epub_dom_squash(role)) {
    free(role);
    role = NULL;
  }
  if (!role) {
    char *id = epub_dom_attr(x, "id", NULL);
    const char *refined =
        id && epub_dom_squash(id) ? xmlHashLookup(roles, (const xmlChar *)id)
                                  : NULL;
    role = refined ? strdup(refined) : NULL;
    free(id);
  }
  char buf[64];
  const char *key = creator_key(role, contributor, buf, sizeof buf);
  int rc = name[0] && svc->meta_add(doc, key, name) ? QUIRE_ERR : QUIRE_OK;
  free(role);
  free(name);
  return rc;
}

/* Keeps EPUB 2's <meta name="cover" content="ID">. */
static int read_cover_meta(xmlNode *x, epub_package *pkg) {
  char *name = epub_dom_attr(x, "name", NULL);
  int cover = name && strcmp(name, "cover") == 0;
  free(name);
  if (!cover || pkg->cover_meta)
    return QUIRE_OK;
  char *content = epub_dom_attr(x, "content", NULL);
  if (content && epub_dom_squash(content))
    pkg->cover_meta = content;
  else
    free(content);
  return QUIRE_OK;
}

static int set_found(const quire_services *svc, quire_doc *doc,
                     const found *f) {
  const char *date = f->pub_date ? f->pub_date : f->date;
  const char *identifier = f->unique ? f->unique : f->identifier;
  const struct {
    const char *key, *value;
  } set[] = {
      {QUIRE_META_TITLE, f->title},
      {QUIRE_META_LANGUAGE, f->language},
      {QUIRE_META_DATE, date},
      {QUIRE_META_IDENTIFIER, identifier},
      {QUIRE_META_DESCRIPTION, f->description},
      {QUIRE_META_PUBLISHER, f->publisher},
      {QUIRE_META_RIGHTS, f->rights},
  };
  for (size_t i = 0; i < sizeof set / sizeof *set; i++)
    if (set[i].value && svc->meta_set(doc, set[i].key, set[i].value))
      return QUIRE_ERR;
  return QUIRE_OK;
}

static int read_metadata(quire_env *env, quire_doc *doc, xmlNode *metadata,
                         const char *unique_id, epub_package *pkg) {
  const quire_services *svc = env->svc;
  found f = {0};
  xmlHashTable *roles = read_roles(metadata);
  int rc = roles ? QUIRE_OK : QUIRE_ERR;
  for (xmlNode *x = metadata->children; x && rc == QUIRE_OK;
       x = epub_dom_next(metadata, x, 1)) {
    if (x->type != XML_ELEMENT_NODE)
      continue;
    if (is_dc(x, "title"))
      keep(&f.title, epub_dom_text(x));
    else if (is_dc(x, "creator") || is_dc(x, "contributor"))
      rc = add_creator(svc, doc, x, roles, is_dc(x, "contributor"));
    else if (is_dc(x, "language"))
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
    else if (is_dc(x, "publisher"))
      keep(&f.publisher, epub_dom_text(x));
    else if (is_dc(x, "rights"))
      keep(&f.rights, epub_dom_text(x));
    else if (is_dc(x, "subject")) {
      char *subject = epub_dom_text(x);
      if (!subject ||
          (subject[0] && svc->meta_add(doc, QUIRE_META_SUBJECT, subject)))
        rc = QUIRE_ERR;
      free(subject);
    } else if (epub_dom_is(x, "meta"))
      rc = read_cover_meta(x, pkg);
  }
  if (rc == QUIRE_OK)
    rc = set_found(svc, doc, &f);
  xmlHashFree(roles, free_payload);
  pkg->title = f.title;
  char **rest[] = {&f.language, &f.date,      &f.pub_date, &f.identifier,
                   &f.unique,   &f.description, &f.publisher, &f.rights};
  for (size_t i = 0; i < sizeof rest / sizeof *rest; i++)
    free(*rest[i]);
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

/* What the package says of the whole book besides its metadata: the
 * page progression of the spine, and the package's xml:lang for a book
 * whose metadata has no dc:language. */
static int book_wide(quire_env *env, quire_doc *doc, xmlNode *root,
                     xmlNode *spine) {
  static const char xml_ns[] = "http://www.w3.org/XML/1998/namespace";
  const quire_services *svc = env->svc;
  int rc = QUIRE_OK;
  char *dir = epub_dom_attr(spine, "page-progression-direction", NULL);
  if (dir && epub_dom_squash(dir) &&
      (strcmp(dir, "rtl") == 0 || strcmp(dir, "ltr") == 0))
    rc = svc->meta_set(doc, QUIRE_META_DIRECTION, dir);
  free(dir);
  if (rc == QUIRE_OK && !svc->meta_get(doc->meta, QUIRE_META_LANGUAGE)) {
    char *lang = epub_dom_attr(root, "lang", xml_ns);
    if (lang && epub_dom_squash(lang))
      rc = svc->meta_set(doc, QUIRE_META_LANGUAGE, lang);
    free(lang);
  }
  return rc;
}

/* The image EPUB 2's <meta name="cover" content> names, by id, else by
 * href; SIZE_MAX when it names none. */
static size_t cover_of_meta(const epub_package *pkg) {
  size_t i = epub_package_find(pkg, pkg->cover_meta);
  for (size_t j = 0; i == SIZE_MAX && j < pkg->n_items; j++)
    if (pkg->items[j].href && strcmp(pkg->items[j].href, pkg->cover_meta) == 0)
      i = j;
  return i != SIZE_MAX && strncmp(pkg->items[i].media_type, "image/", 6) == 0
             ? i
             : SIZE_MAX;
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
  if (read_spine(env, pkg, spine) != QUIRE_OK ||
      book_wide(env, doc, root, spine) != QUIRE_OK) {
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
    if (pkg->cover == SIZE_MAX && epub_token_in(it->properties, "cover-image"))
      pkg->cover = i;
  }
  if (pkg->cover == SIZE_MAX && pkg->cover_meta)
    pkg->cover = cover_of_meta(pkg);
  return QUIRE_OK;
}

int epub_opf_read(quire_env *env, epub_archive *a, const char *path,
                  quire_doc *doc, epub_package *pkg) {
  memset(pkg, 0, sizeof *pkg);
  pkg->nav = pkg->ncx = pkg->cover = SIZE_MAX;
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
