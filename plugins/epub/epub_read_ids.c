/* epub_read_ids.c - ids unique in the book, and links between its files
 * rewritten as links inside the one document the book becomes.
 *
 * Each content document was written on its own: two chapters may both
 * have an id "note1", and links name files ("ch2.xhtml#note1").  So:
 *   - every part's SECTION gets an id: that of a <section> that wrapped
 *     the whole page (quire and pandoc write one), else the file's name
 *     without its extension, made a valid id ("ch 1.xhtml" -> "ch-1");
 *   - every id a node carries is kept when nothing before it in the book
 *     has it, else it gets the first free suffix ("note1-2"); a table per
 *     file maps the ids as written to the ids given (the first of a
 *     file's repeated ids wins, as in a browser);
 *   - a LINK's url is read relative to its file, percent-escapes decoded
 *     (epub_path_resolve_url):
 *     one to a part ("ch2.xhtml#note1", "#note1" in the same file) becomes
 *     "#<id given>"; one to a whole part, or to a fragment the part does
 *     not have, "#<the part's SECTION id>" (for a part that held nothing,
 *     the id of the part after it); one to another file of the book that
 *     is not a content document (an image) becomes its resource's name;
 *     a remote URL, one to a content document not read (the nav
 *     document), or to no file of the book, stays as written.
 * Every lookup is a hash table's, so a book of many files and ids costs
 * time in proportion to its size. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "epub_read.h"

static int oom(epub_reading *r) {
  quire_loc loc = {.file = epub_archive_book(r->archive)};
  r->env->svc->error(r->env, &loc, "out of memory");
  return QUIRE_FATAL;
}

/* ---- Ids ----------------------------------------------------------------- */

/* An id from a file's name: its last segment without the extension,
 * bytes that cannot be in an XML name made '-', and "ch-" before one that
 * does not start as a name must.  malloc'd, or NULL. */
static char *id_of_file(const char *path) {
  const char *base = strrchr(path, '/');
  base = base ? base + 1 : path;
  const char *dot = strrchr(base, '.');
  size_t n = dot && dot != base ? (size_t)(dot - base) : strlen(base);
  char *id = malloc(n + 4);
  if (!id)
    return NULL;
  size_t w = 0;
  unsigned char c0 = n ? (unsigned char)base[0] : 0;
  if (!((c0 >= 'a' && c0 <= 'z') || (c0 >= 'A' && c0 <= 'Z') || c0 == '_' ||
        c0 >= 0x80)) {
    memcpy(id, "ch-", 3);
    w = 3;
  }
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)base[i];
    int ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
             (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.' ||
             c >= 0x80;
    id[w++] = ok ? (char)c : '-';
  }
  if (w == 3 && n == 0)
    w = 2;   /* "ch" */
  id[w] = '\0';
  return id;
}

/* Gives `want` when no id of the book has it yet, else want-N with the
 * first N free, and records the id given.  *given is `want` itself when
 * it is kept (so an id of the document stays where it is), else a new
 * string of the document.  QUIRE_OK or QUIRE_FATAL. */
static int claim(epub_reading *r, const char *want, const char **given) {
  uintptr_t next = (uintptr_t)strmap_get(r->ids, want);
  if (!next) {
    if (strmap_add(r->ids, want, (void *)(uintptr_t)2) != 0)
      return oom(r);
    *given = want;
    return QUIRE_OK;
  }
  size_t len = strlen(want);
  char *buf = malloc(len + 24);
  if (!buf)
    return oom(r);
  do
    snprintf(buf, len + 24, "%s-%llu", want, (unsigned long long)next++);
  while (strmap_get(r->ids, buf));
  /* The next id that wants `want` starts where this one stopped, so many
   * repeats of one id cost no more than one each. */
  int rc = strmap_set(r->ids, want, (void *)next) != 0 ||
                   strmap_add(r->ids, buf, (void *)(uintptr_t)2) != 0
               ? QUIRE_FATAL
               : QUIRE_OK;
  *given = rc == QUIRE_OK ? r->env->svc->strndup(r->doc, buf, strlen(buf))
                          : NULL;
  free(buf);
  return *given ? QUIRE_OK : oom(r);
}

/* Records that `written`, an id of the part's file, now is `given`. */
static int map_id(epub_reading *r, const epub_part *p, const char *written,
                  const char *given) {
  if (strmap_get2(r->id_map, written, p->path))
    return QUIRE_OK;   /* the file's first wins */
  return strmap_add2(r->id_map, written, p->path, (void *)given) == 0
             ? QUIRE_OK
             : oom(r);
}

int epub_ids_give(epub_reading *r, size_t part, const char *base,
                  const char *const *aliases, size_t n) {
  const quire_services *svc = r->env->svc;
  epub_part *p = &r->parts[part];
  quire_node *section = p->section;
  char *from_file = NULL;
  if (!base || !base[0]) {
    if (!(from_file = id_of_file(p->path)))
      return oom(r);
    base = from_file;
  }
  const char *id;
  int rc = claim(r, base, &id);
  if (rc == QUIRE_OK && svc->node_set_attr(r->doc, section, "id", id))
    rc = oom(r);
  if (rc == QUIRE_OK) {
    p->id = section->id;
    if (!from_file)
      rc = map_id(r, p, base, p->id);
  }
  free(from_file);
  for (size_t i = 0; i < n && rc == QUIRE_OK; i++)
    if (aliases[i] && aliases[i][0])
      rc = map_id(r, p, aliases[i], p->id);
  quire_iter it;
  svc->iter_init(&it, section);
  while (rc == QUIRE_OK && svc->iter_next(&it) != QUIRE_EV_DONE) {
    /* Only the id is set: the tree's shape does not change. */
    quire_node *x = (quire_node *)it.node;
    if (x == section || it.event != QUIRE_EV_ENTER || !x->id || !x->id[0])
      continue;
    const char *written = x->id, *given;
    rc = claim(r, written, &given);
    if (rc == QUIRE_OK && given != written &&
        svc->node_set_attr(r->doc, x, "id", given))
      rc = oom(r);
    if (rc == QUIRE_OK)
      rc = map_id(r, p, written, x->id);
  }
  return rc;
}

/* ---- Links --------------------------------------------------------------- */

static int hex(int c) {
  if (c >= '0' && c <= '9')
    return c - '0';
  c |= 0x20;
  return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* A fragment percent-decoded, malloc'd (a NUL it encodes ends it). */
static char *decode(const char *s) {
  size_t n = strlen(s), w = 0;
  char *out = malloc(n + 1);
  if (!out)
    return NULL;
  for (size_t i = 0; i < n; i++) {
    int hi, lo;
    if (s[i] == '%' && i + 2 < n && (hi = hex(s[i + 1])) >= 0 &&
        (lo = hex(s[i + 2])) >= 0) {
      out[w++] = (char)(hi * 16 + lo);
      i += 2;
    } else
      out[w++] = s[i];
  }
  out[w] = '\0';
  return out;
}

/* Empty parts take the id of the next part that holds something (the
 * last ones that of the part before them). */
static void fill_empty(epub_reading *r) {
  const char *next = NULL;
  for (size_t i = r->n_parts; i-- > 0;) {
    if (r->parts[i].section)
      next = r->parts[i].id;
    else
      r->parts[i].id = next;
  }
  const char *last = NULL;
  for (size_t i = 0; i < r->n_parts; i++) {
    if (r->parts[i].section)
      last = r->parts[i].id;
    else if (!r->parts[i].id)
      r->parts[i].id = last;
  }
}

/* Sets x->url to "#" id. */
static int point_at(epub_reading *r, quire_node *x, const char *id) {
  size_t n = strlen(id);
  char *url = r->env->svc->alloc(r->doc, n + 2);
  if (!url)
    return oom(r);
  url[0] = '#';
  memcpy(url + 1, id, n + 1);
  x->url = url;
  return QUIRE_OK;
}

/* Non-zero when entry `path` is a content document of the manifest, which
 * as a file of its own is no resource (the nav document). */
static int is_content(const epub_reading *r, const char *path) {
  size_t k = (size_t)strmap_get(r->item_of, path);
  return k && epub_content_kind(&r->pkg->items[k - 1]) != EPUB_NOT_CONTENT;
}

/* Rewrites link x, found in part p, by the rules above. */
static int rewrite(epub_reading *r, const epub_part *p, quire_node *x) {
  const char *url = x->url, *hash = strchr(url, '#');
  const epub_part *target = p;
  char *path = NULL;
  if (url[0] != '#') {
    int rc = epub_path_resolve_url(p->dir, url, &path, NULL);
    if (rc == EPUB_PATH_NOMEM)
      return oom(r);
    if (rc != EPUB_PATH_OK)
      return QUIRE_OK;   /* remote, or no file of the book */
    size_t k = (size_t)strmap_get(r->part_of, path);
    if (!k) {
      const char *name = NULL;
      rc = is_content(r, path) ? QUIRE_OK
                               : epub_res_of(r, path, p->path, &name);
      if (rc == QUIRE_OK && name)
        x->url = name;
      free(path);
      return rc;
    }
    free(path);
    target = &r->parts[k - 1];
  }
  const char *id = NULL;
  if (hash && hash[1]) {
    char *fragment = decode(hash + 1);
    if (!fragment)
      return oom(r);
    id = strmap_get2(r->id_map, fragment, target->path);
    free(fragment);
  }
  if (!id)
    id = target->id;
  return id ? point_at(r, x, id) : QUIRE_OK;
}

int epub_links_rewrite(epub_reading *r) {
  const quire_services *svc = r->env->svc;
  fill_empty(r);
  int rc = QUIRE_OK;
  for (size_t i = 0; i < r->n_parts && rc == QUIRE_OK; i++) {
    const epub_part *p = &r->parts[i];
    if (!p->section)
      continue;
    quire_iter it;
    svc->iter_init(&it, p->section);
    while (rc == QUIRE_OK && svc->iter_next(&it) != QUIRE_EV_DONE) {
      /* Only the url changes: the tree's shape does not. */
      quire_node *x = (quire_node *)it.node;
      if (x->type == QUIRE_NODE_LINK && it.event == QUIRE_EV_ENTER && x->url &&
          x->url[0])
        rc = rewrite(r, p, x);
    }
  }
  return rc;
}
