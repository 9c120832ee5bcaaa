/* epub_read_toc.c - the labels a book's table of contents gives its files,
 * which become the titles of chapters that have no heading of their own
 * (epub_read.c chooses among the labels of a file).
 *
 * The table of contents is the nav document's <nav epub:type="toc"> (the
 * first <nav> when none is typed), or, in a book without a usable one, the
 * NCX's navPoints.  Each link gives a label to the file it points at.  A
 * table of contents is a help, not content: a missing or broken one is
 * a warning, and links that are remote or leave the container are ignored
 * (they could not name a file of the spine). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "epub_read.h"

static const char ops_ns[] = "http://www.idpf.org/2007/ops";

void epub_titles_free(epub_titles *toc) {
  for (size_t i = 0; i < toc->n; i++) {
    free(toc->items[i].path);
    free(toc->items[i].label);
    free(toc->items[i].fragment);
  }
  free(toc->items);
  memset(toc, 0, sizeof *toc);
}

typedef struct reading {
  epub_titles *toc;
  size_t cap;
  const char *dir;        /* the table of contents' folder */
} reading;

/* Adds the label of one link; takes `label`.  QUIRE_ERR when memory is
 * exhausted. */
static int add(reading *r, const char *href, char *label) {
  char *path = NULL, *fragment = NULL;
  int rc = href && label && label[0]
               ? epub_path_resolve(r->dir, href, &path, NULL)
               : EPUB_PATH_BAD;
  if (rc != EPUB_PATH_OK) {
    free(label);
    return rc == EPUB_PATH_NOMEM ? QUIRE_ERR : QUIRE_OK;
  }
  const char *hash = strchr(href, '#');
  if (hash && hash[1] && !(fragment = strdup(hash + 1))) {
    free(path);
    free(label);
    return QUIRE_ERR;
  }
  epub_titles *toc = r->toc;
  if (toc->n == r->cap) {
    size_t n = r->cap ? r->cap * 2 : 32;
    epub_label *items = realloc(toc->items, n * sizeof *items);
    if (!items) {
      free(path);
      free(label);
      free(fragment);
      return QUIRE_ERR;
    }
    toc->items = items;
    r->cap = n;
  }
  toc->items[toc->n] = (epub_label){.path = path, .label = label,
                                    .fragment = fragment, .order = toc->n};
  toc->n++;
  return QUIRE_OK;
}

/* EPUB 3: the links of the toc <nav>. */
static int read_nav(reading *r, xmlDoc *tree) {
  xmlNode *top = (xmlNode *)tree, *nav = NULL, *any = NULL;
  for (xmlNode *x = top; x && !nav; x = epub_dom_next(top, x, 1)) {
    if (!epub_dom_is(x, "nav"))
      continue;
    char *type = epub_dom_attr(x, "type", ops_ns);
    if (epub_token_in(type, "toc"))
      nav = x;
    else if (!any)
      any = x;
    free(type);
  }
  if (!nav)
    nav = any;
  int rc = QUIRE_OK;
  for (xmlNode *x = nav; x && rc == QUIRE_OK; x = epub_dom_next(nav, x, 1)) {
    if (!epub_dom_is(x, "a"))
      continue;
    char *href = epub_dom_attr(x, "href", NULL);
    rc = add(r, href, epub_dom_text(x));
    free(href);
  }
  return rc;
}

/* The first child element of x named `name`, or NULL. */
static xmlNode *child(xmlNode *x, const char *name) {
  for (xmlNode *c = x->children; c; c = c->next)
    if (epub_dom_is(c, name))
      return c;
  return NULL;
}

/* EPUB 2: the navPoints of the NCX, in document order (a point before the
 * points nested in it). */
static int read_ncx(reading *r, xmlDoc *tree) {
  xmlNode *top = (xmlNode *)tree;
  int rc = QUIRE_OK;
  for (xmlNode *x = top; x && rc == QUIRE_OK; x = epub_dom_next(top, x, 1)) {
    if (!epub_dom_is(x, "navPoint"))
      continue;
    xmlNode *label = child(x, "navLabel");
    xmlNode *text = label ? child(label, "text") : NULL;
    xmlNode *content = child(x, "content");
    char *src = content ? epub_dom_attr(content, "src", NULL) : NULL;
    rc = add(r, src, text ? epub_dom_text(text) : NULL);
    free(src);
  }
  return rc;
}

/* Reads the table of contents `item`: QUIRE_OK with *tree, which is NULL
 * when it is missing or unreadable (a warning said so); QUIRE_ERR when
 * reading must stop (its path escapes, it is encrypted, a limit). */
static int load(quire_env *env, epub_archive *a, const epub_package *pkg,
                size_t item, int html_chars, char **path, xmlDoc **tree) {
  const epub_item *it = &pkg->items[item];
  quire_loc loc = {.file = pkg->book};
  char shown[256], msg[256] = "too large";
  unsigned long line = 0;
  *tree = NULL;
  *path = NULL;
  int r = it->href ? epub_path_resolve(pkg->dir, it->href, path, NULL)
                   : EPUB_PATH_BAD;
  if (r == EPUB_PATH_ESCAPES || r == EPUB_PATH_NOMEM) {
    epub_path_error(env, pkg->book, pkg->path, it->href, r);
    return QUIRE_ERR;
  }
  if (r != EPUB_PATH_OK)
    return QUIRE_OK;
  epub_printable(*path, shown, sizeof shown);
  char *bytes;
  size_t len;
  int rc = epub_archive_read(env, a, *path, &bytes, &len);
  if (rc == QUIRE_DONE) {
    env->svc->warn(env, &loc, "%s: the table of contents is missing; "
                   "chapters are titled without it", shown);
    return QUIRE_OK;
  }
  if (rc != QUIRE_OK)
    return QUIRE_ERR;
  int ok;
  *tree = len <= 0x7fffffff ? xml_safe_parse(bytes, len, *path, html_chars,
                                             &ok, msg, sizeof msg, &line)
                            : NULL;
  free(bytes);
  if (!*tree || !xmlDocGetRootElement(*tree)) {
    env->svc->warn(env, &loc, "%s: the table of contents is unreadable "
                   "(line %lu: %s); chapters are titled without it", shown,
                   line, msg);
    xmlFreeDoc(*tree);
    *tree = NULL;
  }
  return QUIRE_OK;
}

static int compare_labels(const void *x, const void *y) {
  const epub_label *a = x, *b = y;
  int c = strcmp(a->path, b->path);
  if (c)
    return c;
  if (!a->fragment != !b->fragment)
    return a->fragment ? 1 : -1;   /* links to the whole file first */
  return (a->order > b->order) - (a->order < b->order);
}

int epub_titles_read(quire_env *env, epub_archive *a, const epub_package *pkg,
                  epub_titles *toc) {
  memset(toc, 0, sizeof *toc);
  size_t sources[2] = {pkg->nav, pkg->ncx};
  for (int i = 0; i < 2 && toc->n == 0; i++) {
    if (sources[i] == SIZE_MAX)
      continue;
    char *path;
    xmlDoc *tree;
    if (load(env, a, pkg, sources[i], i == 0, &path, &tree) != QUIRE_OK) {
      free(path);   /* a path found, then the reading stopped */
      return QUIRE_ERR;
    }
    char *dir = path ? epub_path_dir(path) : NULL;
    reading r = {.toc = toc, .dir = dir};
    int rc = QUIRE_OK;
    if (tree && dir)
      rc = i == 0 ? read_nav(&r, tree) : read_ncx(&r, tree);
    else if (tree)
      rc = QUIRE_ERR;
    xmlFreeDoc(tree);
    free(dir);
    free(path);
    if (rc != QUIRE_OK) {
      quire_loc loc = {.file = pkg->book};
      env->svc->error(env, &loc, "out of memory");
      return QUIRE_ERR;
    }
  }
  if (toc->n)
    qsort(toc->items, toc->n, sizeof *toc->items, compare_labels);
  return QUIRE_OK;
}

const epub_label *epub_labels_of(const epub_titles *toc, const char *path,
                                 size_t *n) {
  size_t lo = 0, hi = toc->n;
  while (lo < hi) {   /* the first label of `path`, or of what follows */
    size_t mid = lo + (hi - lo) / 2;
    if (strcmp(toc->items[mid].path, path) < 0)
      lo = mid + 1;
    else
      hi = mid;
  }
  size_t end = lo;
  while (end < toc->n && strcmp(toc->items[end].path, path) == 0)
    end++;
  *n = end - lo;
  return *n ? toc->items + lo : NULL;   /* items is NULL when n is 0 */
}
