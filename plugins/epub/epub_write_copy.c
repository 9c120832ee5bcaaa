/* epub_write_copy.c - one file's part of a document, as a document of its
 * own for the xhtml writer.
 *
 * The render services take whole documents, and a writer may not change
 * the ones it is given; so each file of the book is rendered from a copy
 * of its part of the document, made here and freed once the file is
 * written: memory holds one file's copy at a time, however long the
 * document.  The copy starts with copies of the containers the part
 * continues (a section begun in the file before, without its id, which
 * stays where the section began; an ordered list numbered on), then
 * holds every node of the part with every field, id, class and
 * attribute, in doc order.  On the way:
 *
 *   - a link "#id" points to the file holding that id ("ch007.xhtml#id",
 *     or "#id" in its own file); a link to an id the document does not
 *     have keeps its text only; other links follow epub_link_rule;
 *   - ids are the ones the plan writes (a repeated id is dropped, an id
 *     XHTML cannot carry is replaced), and a heading without one gets
 *     one, which the table of contents links to;
 *   - an image of a resource shows the book's copy ("../media/N-name");
 *     any other image (on the web, not in the document, or of a type
 *     EPUB cannot show) becomes its alt text. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "epub_write.h"

typedef struct copier {
  quire_env *env;
  const quire_services *svc;
  const epub_plan *plan;
  const epub_media_set *media;
  const epub_pool *pool;
  const quire_doc *doc;
  quire_doc *d;
  size_t file;
  unsigned first_file;
  size_t heading;               /* headings copied so far, in all files */
  epub_drops *drops;
  const quire_node **open;      /* originals of the open copied nodes */
  size_t depth, cap;
  int oom;
} copier;

static char *dup_str(copier *k, const char *s) {
  if (!s)
    return NULL;
  char *c = k->svc->strndup(k->d, s, strlen(s));
  if (!c)
    k->oom = 1;
  return c;
}

/* The url a link gets in the copy, in a malloc'd string (*url NULL: it
 * stays as it was); returns 0 when the link is dropped. */
static int link_url(copier *k, const char *url, char **out) {
  *out = NULL;
  if (url && url[0] == '#') {
    const epub_id *rec = epub_plan_find_id(k->plan, url + 1);
    if (!rec) {
      k->drops->links_broken++;
      return 0;
    }
    const char *id = epub_pool_str(&k->plan->pool, rec->out);
    char file[32] = "";
    if (rec->file != k->file)
      epub_chapter_name(k->first_file + rec->file, file);
    size_t n = strlen(file) + strlen(id) + 2;
    if (!(*out = malloc(n))) {
      k->oom = 1;
      return 0;
    }
    snprintf(*out, n, "%s#%s", file, id);
    return 1;
  }
  switch (epub_link_rule(url)) {
  case EPUB_LINK_KEEP:
    return 1;
  case EPUB_LINK_FIX:
    if (!(*out = epub_fixed_url(url)))
      k->oom = 1;
    return *out != NULL;
  default:
    k->drops->links_out++;
    return 0;
  }
}

/* The url an image gets: the book's copy of its resource. */
static int image_url(copier *k, const char *url, char **out) {
  *out = NULL;
  long long i = epub_media_find(k->media, url);
  if (i > 0) {
    const char *href = epub_pool_str(k->pool, k->media->items[i - 1].href);
    size_t n = strlen(href) + 4;
    if (!(*out = malloc(n))) {
      k->oom = 1;
      return 0;
    }
    snprintf(*out, n, "../%s", href);
    return 1;
  }
  if (i == 0)
    k->drops->images_foreign++;
  else if (epub_url_has_scheme(url))
    k->drops->images_remote++;
  else
    k->drops->images_missing++;
  return 0;
}

/* A copy of n without children, holding url; its id when with_id. */
static quire_node *copy_node(copier *k, const quire_node *n, const char *url,
                             int with_id) {
  const quire_services *svc = k->svc;
  quire_node *c = n->text ? svc->node_new_text(k->d, n->type, n->text, n->len)
                          : svc->node_new(k->d, n->type);
  if (!c) {
    k->oom = 1;
    return NULL;
  }
  c->level = n->level;
  c->start = n->start;
  c->header = n->header;
  c->align = n->align;
  c->kind = n->kind;
  c->tight = n->tight;
  c->style = n->style;
  c->delim = n->delim;
  c->rowspan = n->rowspan;
  c->colspan = n->colspan;
  c->width = n->width;
  if ((n->info && !(c->info = dup_str(k, n->info))) ||
      (url && !(c->url = dup_str(k, url))) ||
      (n->title && !(c->title = dup_str(k, n->title))))
    return NULL;
  if (n->classes && svc->node_set_attr(k->d, c, "class", n->classes))
    goto oom;
  for (const quire_meta *a = n->attrs; a; a = a->next)
    if (svc->node_set_attr(k->d, c, a->key, a->value))
      goto oom;
  int heading = n->type == QUIRE_NODE_HEADING;
  size_t no = heading ? k->heading++ : 0;
  if (!with_id)
    return c;
  const epub_id *rec = epub_plan_id_of(k->plan, n);
  char made[40];
  const char *id = NULL;
  if (rec)
    id = epub_pool_str(&k->plan->pool, rec->out);
  else if (heading) {
    epub_plan_heading_id(k->plan, no, made);
    id = made;
  }
  if (id && svc->node_set_attr(k->d, c, "id", id))
    goto oom;
  return c;
oom:
  k->oom = 1;
  return NULL;
}

static int append(copier *k, quire_node *parent, quire_node *c) {
  if (k->svc->node_append(parent, c) == QUIRE_OK)
    return QUIRE_OK;
  k->svc->error(k->env, NULL, "the document's tree breaks the model's rules "
                              "(a %s in a %s); not written",
                k->svc->node_type_name(c->type),
                k->svc->node_type_name(parent->type));
  return QUIRE_FAILED;
}

static int push(copier *k, const quire_node *n) {
  const quire_node **o = epub_room(k->open, &k->cap, k->depth, sizeof *o);
  if (!o) {
    k->oom = 1;
    return QUIRE_FATAL;
  }
  k->open = o;
  o[k->depth++] = n;
  return QUIRE_OK;
}

/* Copies root and all under it to the end of parent.  A link or image
 * that is dropped leaves its children (the text) where it was. */
static int deep_copy(copier *k, const quire_node *root, quire_node *parent) {
  const quire_services *svc = k->svc;
  quire_iter it;
  svc->iter_init(&it, root);
  k->depth = 0;
  while (svc->iter_next(&it) != QUIRE_EV_DONE) {
    const quire_node *n = it.node;
    if (it.event == QUIRE_EV_EXIT) {
      if (k->depth && k->open[k->depth - 1] == n) {
        k->depth--;
        parent = parent->parent;
      }
      continue;
    }
    char *url = NULL;
    int keep = 1;
    if (n->type == QUIRE_NODE_LINK)
      keep = link_url(k, n->url, &url);
    else if (n->type == QUIRE_NODE_IMAGE)
      keep = image_url(k, n->url, &url);
    if (k->oom)
      return QUIRE_FATAL;
    if (!keep)
      continue;
    quire_node *c = copy_node(k, n, url ? url : n->url, 1);
    free(url);
    if (!c)
      return QUIRE_FATAL;
    int rc = append(k, parent, c);
    if (rc != QUIRE_OK)
      return rc;
    if (!svc->node_is_leaf(n->type)) {
      if (push(k, n) != QUIRE_OK)
        return QUIRE_FATAL;
      parent = c;
    }
  }
  return QUIRE_OK;
}

/* Non-zero when n is one of the nodes of chain[0..len). */
static int in_chain(const quire_node *const *chain, size_t len,
                    const quire_node *n) {
  for (size_t i = 0; i < len; i++)
    if (chain[i] == n)
      return 1;
  return 0;
}

/* The containers above n, up to the root (not included), innermost
 * first, in a malloc'd array; *len their count. */
static const quire_node **ancestors(copier *k, const quire_node *n,
                                    size_t *len) {
  *len = 0;
  size_t count = 0;
  for (const quire_node *a = n ? n->parent : NULL; a && a != k->doc->root;
       a = a->parent)
    count++;
  const quire_node **chain = malloc((count + 1) * sizeof *chain);
  if (!chain) {
    k->oom = 1;
    return NULL;
  }
  for (const quire_node *a = n ? n->parent : NULL; a && a != k->doc->root;
       a = a->parent)
    chain[(*len)++] = a;
  return chain;
}

/* Copies of the containers the part continues, outermost first, under
 * the copy's root; returns the innermost (the root when there are none). */
static quire_node *continued(copier *k, const quire_node *start, int *rc) {
  size_t len;
  const quire_node **chain = ancestors(k, start, &len);
  quire_node *parent = k->d->root;
  *rc = chain ? QUIRE_OK : QUIRE_FATAL;
  for (size_t i = len; chain && i-- > 0;) {
    const quire_node *a = chain[i];
    quire_node *c = copy_node(k, a, NULL, 0);
    if (!c) {
      *rc = QUIRE_FATAL;
      break;
    }
    if (a->type == QUIRE_NODE_ORDERED_LIST) {
      /* Numbered on from the items of the earlier files. */
      const quire_node *child = i ? chain[i - 1] : start;
      int before = 0;
      for (const quire_node *s = a->first_child; s && s != child; s = s->next)
        before += s->type == QUIRE_NODE_ITEM;
      c->start = (a->start ? a->start : 1) + before;
    }
    if ((*rc = append(k, parent, c)) != QUIRE_OK)
      break;
    parent = c;
  }
  free(chain);
  return parent;
}

static int copy_meta(copier *k) {
  for (const quire_meta *m = k->doc->meta; m; m = m->next)
    if (k->svc->meta_add(k->d, m->key, m->value)) {
      k->oom = 1;
      return QUIRE_FATAL;
    }
  return QUIRE_OK;
}

static int copy_part(copier *k) {
  const epub_split *f = &k->plan->files[k->file];
  const quire_node *end =
      k->file + 1 < k->plan->n_files ? k->plan->files[k->file + 1].start : NULL;
  const quire_node *root = k->doc->root;
  size_t n_end;
  const quire_node **end_chain = ancestors(k, end, &n_end);
  if (!end_chain)
    return QUIRE_FATAL;
  int rc;
  quire_node *parent = continued(k, f->start, &rc);
  const quire_node *n = f->start;
  while (rc == QUIRE_OK && n && n != end) {
    if (in_chain(end_chain, n_end, n)) {
      /* The next file begins inside n: its start is copied here, the
       * rest continues there. */
      quire_node *c = copy_node(k, n, NULL, 1);
      if (!c)
        rc = QUIRE_FATAL;
      else if ((rc = append(k, parent, c)) == QUIRE_OK) {
        parent = c;
        n = n->first_child;
      }
      continue;
    }
    rc = deep_copy(k, n, parent);
    while (n && !n->next) {
      n = n->parent;
      if (n == root)
        n = NULL;
      else
        parent = parent->parent;
    }
    if (n)
      n = n->next;
  }
  free(end_chain);
  return rc;
}

int epub_copy_file(quire_env *env, const epub_plan *plan,
                   const epub_media_set *media, const epub_pool *pool,
                   const quire_doc *doc, size_t file, unsigned first_file,
                   quire_doc **out, epub_drops *drops) {
  *out = NULL;
  copier k = {.env = env, .svc = env->svc, .plan = plan, .media = media,
              .pool = pool, .doc = doc, .file = file,
              .first_file = first_file, .heading = plan->files[file].heading,
              .drops = drops};
  if (!(k.d = env->svc->doc_new())) {
    env->svc->error(env, NULL, "out of memory");
    return QUIRE_FATAL;
  }
  int rc = copy_meta(&k);
  if (rc == QUIRE_OK)
    rc = copy_part(&k);
  free(k.open);
  if (k.oom || rc == QUIRE_FATAL) {
    env->svc->error(env, NULL, "out of memory");
    rc = QUIRE_FATAL;
  }
  if (rc != QUIRE_OK) {
    env->svc->doc_free(k.d);
    return rc;
  }
  *out = k.d;
  return QUIRE_OK;
}
