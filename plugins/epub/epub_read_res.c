/* epub_read_res.c - the files of a book its content refers to, as the
 * document's resources (model.h): the images of <img src> and of SVG's
 * <image xlink:href> (IMAGE nodes, and the page's own tree), files that
 * links point at (an image, a PDF), and the
 * cover image, which is added first, marked QUIRE_RES_COVER, whether or
 * not content shows it.
 *
 * A resource is named by its entry's path relative to the package
 * document's folder ("OEBPS/images/a.png" -> "images/a.png"), a file
 * outside that folder by its whole entry name; a name an earlier file
 * took gets a suffix before its extension.  IMAGE urls become that name.
 * Its declared media type is the manifest's; when the bytes say otherwise
 * the core keeps what they say, and a warning tells.  A file the book does
 * not have, or cannot give within the limits (the entry size limits of
 * epub_read_zip.c), is warned about once and its IMAGE keeps its url.
 * Each file is read once, however many pages show it.  Resources a page's
 * reader made (data: images) join the book's, renamed when the name is
 * taken ("data-1.png" of the second page becomes "data-1-2.png").
 *
 * Stylesheets and fonts are not resources: the model has no styles, and
 * the EPUB writer brings its own stylesheet. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "epub_read.h"

/* A problem of the same kind is told this many times, then counted. */
#define WARNINGS_EACH 10

static const char xlink_ns[] = "http://www.w3.org/1999/xlink";

/* res_of's mark for a file that could not be added. */
static const char missing[] = "";
#define MISSING ((void *)missing)

static int oom(epub_reading *r) {
  quire_loc loc = {.file = epub_archive_book(r->archive)};
  r->env->svc->error(r->env, &loc, "out of memory");
  return QUIRE_FATAL;
}

static int tell(epub_reading *r) {
  return ++r->res_told <= WARNINGS_EACH;
}

/* `name`, or when a resource has it already, name-N.ext with the first
 * N free; malloc'd. */
static char *unique_name(epub_reading *r, const char *name) {
  size_t n = strlen(name);
  char *s = malloc(n + 24);
  if (!s)
    return NULL;
  memcpy(s, name, n + 1);
  const char *base = strrchr(name, '/');
  base = base ? base + 1 : name;
  const char *dot = strrchr(base, '.');
  size_t stem = dot && dot != base ? (size_t)(dot - name) : n;
  for (unsigned long k = 2; strmap_get(r->res_names, s); k++)
    snprintf(s + stem, n + 24 - stem, "-%lu%s", k, name + stem);
  return s;
}

/* The resource name of entry `path`, malloc'd. */
static char *name_for(epub_reading *r, const char *path) {
  const char *dir = r->pkg->dir;
  size_t d = strlen(dir);
  return unique_name(r, strncmp(path, dir, d) == 0 ? path + d : path);
}

/* Reads entry `path` (manifest item `it`, or NULL) and adds it as a
 * resource with `flags`; *name is its name, or NULL when it could not be
 * read (warned). */
static int add(epub_reading *r, const char *path, const epub_item *it,
               const char *from, unsigned flags, const char **name) {
  const quire_services *svc = r->env->svc;
  quire_loc loc = {.file = epub_archive_book(r->archive)};
  char shown[256], shown_from[256];
  epub_printable(path, shown, sizeof shown);
  epub_printable(from, shown_from, sizeof shown_from);
  *name = NULL;
  char *bytes = NULL;
  size_t len = 0;
  int rc = epub_archive_read_optional(r->env, r->archive, path, &bytes, &len);
  if (rc == QUIRE_FATAL)
    return rc;
  if (rc == QUIRE_DONE && tell(r))
    svc->warn(r->env, &loc, "%s: refers to %s, which the book does not "
              "have", shown_from, shown);
  if (rc != QUIRE_OK)
    return strmap_add(r->res_of, path, MISSING) == 0
               ? QUIRE_OK
               : oom(r);
  char *want = name_for(r, path);
  const char *declared = it && it->media_type[0] ? it->media_type : NULL;
  const quire_resource *res = NULL;
  rc = want ? svc->res_add(r->doc, want, declared, flags, bytes, len, &res)
            : QUIRE_FAILED;
  free(bytes);
  free(want);
  if (rc == QUIRE_FAILED || !res) {
    svc->error(r->env, &loc, "%s: out of memory or temporary space", shown);
    return QUIRE_FATAL;
  }
  if (rc == QUIRE_WARN)
    svc->warn(r->env, &loc, "%s: the manifest says %s, but the bytes are "
              "%s", shown, declared, res->media_type);
  if (strmap_add(r->res_names, res->name, (void *)1) != 0 ||
      strmap_add(r->res_of, path, (void *)res->name) != 0)
    return oom(r);
  *name = res->name;
  return QUIRE_OK;
}

int epub_res_of(epub_reading *r, const char *path, const char *from,
                const char **name) {
  void *known = strmap_get(r->res_of, path);
  if (known) {
    *name = known == MISSING ? NULL : known;
    return QUIRE_OK;
  }
  size_t k = (size_t)strmap_get(r->item_of, path);
  return add(r, path, k ? &r->pkg->items[k - 1] : NULL, from, 0, name);
}

int epub_res_cover(epub_reading *r) {
  const epub_package *pkg = r->pkg;
  if (pkg->cover == SIZE_MAX)
    return QUIRE_OK;
  const epub_item *it = &pkg->items[pkg->cover];
  char *path = NULL;
  int rc = it->href ? epub_path_resolve(pkg->dir, it->href, &path, NULL)
                    : EPUB_PATH_BAD;
  if (rc == EPUB_PATH_NOMEM)
    return oom(r);
  if (rc != EPUB_PATH_OK) {
    quire_loc loc = {.file = pkg->book};
    char shown[256], href[256];
    r->env->svc->warn(r->env, &loc, "%s: the cover image '%s' is not a "
                      "file of the book", epub_printable(pkg->path, shown,
                                                         sizeof shown),
                      epub_printable(it->href ? it->href : "", href,
                                     sizeof href));
    return QUIRE_OK;
  }
  const char *name;
  rc = add(r, path, it, pkg->path, QUIRE_RES_COVER, &name);
  free(path);
  return rc;
}

/* The resource href (relative to part p's folder) names, for a node of
 * p; NULL when it is remote or no file of the book. */
static int resolve(epub_reading *r, const epub_part *p, const char *href,
                   const char **name) {
  *name = NULL;
  char *path = NULL;
  int rc = epub_path_resolve_url(p->dir, href, &path, NULL);
  if (rc == EPUB_PATH_NOMEM)
    return oom(r);
  if (rc != EPUB_PATH_OK)
    return QUIRE_OK;
  rc = epub_res_of(r, path, p->path, name);
  free(path);
  return rc;
}

/* The images of SVG drawings in the page (<image xlink:href>): their
 * files are the book's resources even where the page's reader made no
 * IMAGE node of them (a page that is an SVG drawing, a cover page left
 * out as empty, a drawing past the depth limit). */
static int svg_images(epub_reading *r, const epub_part *p, xmlDoc *tree) {
  xmlNode *top = (xmlNode *)tree;
  int rc = QUIRE_OK;
  for (xmlNode *x = top; x && rc == QUIRE_OK; x = epub_dom_next(top, x, 1)) {
    if (!epub_dom_is(x, "image"))
      continue;
    char *href = epub_dom_attr(x, "href", xlink_ns);
    if (!href)
      href = epub_dom_attr(x, "href", NULL);   /* SVG 2 */
    const char *name;
    if (href)
      rc = resolve(r, p, href, &name);
    free(href);
  }
  return rc;
}

int epub_res_take(epub_reading *r, size_t part, quire_doc *page) {
  const quire_services *svc = r->env->svc;
  const epub_part *p = &r->parts[part];
  /* The page's reader made resources of what it could (data: images);
   * they join the book's with the page (svc->doc_adopt), so a name the
   * book has already is changed first.  The resource is renamed where it
   * is, a field of a resource of the page's own list, rather than copied:
   * a data: image may be megabytes. */
  strmap *own = page->resources ? strmap_new() : NULL;
  if (page->resources && !own)
    return oom(r);
  int rc = QUIRE_OK;
  for (quire_resource *res = page->resources; res && rc == QUIRE_OK;
       res = res->next) {
    const char *was = res->name;
    if (strmap_get(r->res_names, was)) {
      char *name = unique_name(r, was);
      res->name = name ? svc->strndup(page, name, strlen(name)) : NULL;
      free(name);
      if (!res->name) {
        res->name = was;
        rc = oom(r);
        break;
      }
    }
    if (strmap_add(r->res_names, res->name, (void *)1) != 0 ||
        strmap_add(own, was, (void *)res->name) != 0)
      rc = oom(r);
  }
  quire_iter it;
  svc->iter_init(&it, page->root);
  while (rc == QUIRE_OK && svc->iter_next(&it) != QUIRE_EV_DONE) {
    /* Only the url changes: the tree's shape does not. */
    quire_node *x = (quire_node *)it.node;
    if (x->type != QUIRE_NODE_IMAGE || it.event != QUIRE_EV_ENTER ||
        !x->url || !x->url[0])
      continue;
    const char *name = own ? strmap_get(own, x->url) : NULL;
    if (!name)
      rc = resolve(r, p, x->url, &name);
    if (rc == QUIRE_OK && name)
      x->url = name;
  }
  strmap_free(own);
  return rc;
}

int epub_res_svg(epub_reading *r, size_t part, xmlDoc *tree) {
  return tree ? svg_images(r, &r->parts[part], tree) : QUIRE_OK;
}

void epub_res_summary(epub_reading *r) {
  if (r->res_told <= WARNINGS_EACH)
    return;
  quire_loc loc = {.file = epub_archive_book(r->archive)};
  r->env->svc->warn(r->env, &loc, "%zu more files the content refers to "
                    "could not be read", r->res_told - WARNINGS_EACH);
}
