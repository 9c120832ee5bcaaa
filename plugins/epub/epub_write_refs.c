/* epub_write_refs.c - links and images a book can hold.
 *
 * An EPUB must contain every resource its pages use: epubcheck rejects a
 * link or an image to a file that is not in the book (RSC-007), an image
 * on the web (RSC-006), and a link to an id that does not exist (RSC-012).
 * Documents read from web pages are full of those.  So, before a chapter
 * is rendered:
 *
 *   - a link with a scheme (https:, mailto:, ...) stays; "//host/path"
 *     gets "https:", and characters a URI cannot hold (spaces, non-ASCII
 *     bytes, ...) are percent-encoded, as browsers do, since epubcheck
 *     rejects such hrefs (RSC-020); any other link (a path on the site the
 *     page came from, another file, "#id" of the page, javascript:, file:)
 *     keeps its text and loses the link;
 *   - an image whose URL is a relative path to a JPEG, PNG or GIF file
 *     beside the document (no ".." in it) is copied into the book, once
 *     however many chapters show it; any other image is replaced by its alt
 *     text.
 *
 * The model's documents are read-only here, so a document that needs such
 * a change is copied with the changes, and the copy rendered; documents
 * with no image and no such link (all plain text) are rendered as they
 * are, at no cost. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "epub_write.h"

enum { KEEP, UNWRAP, REWRITE };

static int alpha(int c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
static int digit(int c) { return c >= '0' && c <= '9'; }

/* The length of url's scheme (RFC 3986: ALPHA *(ALPHA / DIGIT / + - .)),
 * 0 when it has none. */
static size_t scheme_len(const char *url) {
  if (!alpha((unsigned char)url[0]))
    return 0;
  size_t i = 1;
  while (alpha((unsigned char)url[i]) || digit((unsigned char)url[i]) ||
         url[i] == '+' || url[i] == '-' || url[i] == '.')
    i++;
  return url[i] == ':' ? i : 0;
}

static int hex(int c) {
  return digit(c) ? c - '0' : (c | 0x20) >= 'a' && (c | 0x20) <= 'f'
                                  ? (c | 0x20) - 'a' + 10 : -1;
}

/* Non-zero for a byte a URI cannot hold as it is (RFC 3986): it is
 * percent-encoded.  `fragment`: a '#' was seen, so another is one too. */
static int must_escape(const char *p, int fragment) {
  unsigned char c = (unsigned char)*p;
  if (c == '%')
    return hex((unsigned char)p[1]) < 0 || hex((unsigned char)p[2]) < 0;
  return c <= 0x20 || c >= 0x7F || strchr("\"<>\\^`{|}", c) ||
         (c == '#' && fragment);
}

static int needs_escape(const char *url) {
  int fragment = 0;
  for (const char *p = url; *p; p++) {
    if (must_escape(p, fragment))
      return 1;
    fragment |= *p == '#';
  }
  return 0;
}

/* url with "https:" before a "//host" and its unsafe bytes escaped, in a
 * malloc'd string; NULL when out of memory. */
static char *fixed_url(const char *url) {
  const char *scheme = url[0] == '/' && url[1] == '/' ? "https:" : "";
  size_t n = strlen(scheme);
  char *out = malloc(n + 3 * strlen(url) + 1);
  if (!out)
    return NULL;
  memcpy(out, scheme, n);
  int fragment = 0;
  for (const char *p = url; *p; p++) {
    if (must_escape(p, fragment))
      n += (size_t)sprintf(out + n, "%%%02X", (unsigned char)*p);
    else
      out[n++] = *p;
    fragment |= *p == '#';
  }
  out[n] = '\0';
  return out;
}

static int link_action(const quire_node *n) {
  const char *url = n->url;
  if (!url)
    return KEEP;   /* <a> without href: a plain anchor */
  size_t s = scheme_len(url);
  if ((url[0] == '/' && url[1] == '/') ||
      (s && !(s == 10 && strncasecmp(url, "javascript", 10) == 0) &&
       !(s == 4 && strncasecmp(url, "file", 4) == 0)))
    return url[0] == '/' || needs_escape(url) ? REWRITE : KEEP;
  return UNWRAP;
}

const char *epub_image_type(const unsigned char *h, size_t n,
                            const char **ext) {
  if (n >= 3 && h[0] == 0xFF && h[1] == 0xD8 && h[2] == 0xFF)
    return *ext = "jpg", "image/jpeg";
  if (n >= 8 && memcmp(h, "\x89PNG\r\n\x1a\n", 8) == 0)
    return *ext = "png", "image/png";
  if (n >= 6 && (memcmp(h, "GIF87a", 6) == 0 || memcmp(h, "GIF89a", 6) == 0))
    return *ext = "gif", "image/gif";
  return NULL;
}

/* The file an image URL names beside the document at `source`, in a
 * malloc'd string; NULL when it names none this writer will read. */
static char *image_path(const char *source, const char *url) {
  if (!source || !url || !url[0] || url[0] == '/' || scheme_len(url))
    return NULL;
  size_t n = strcspn(url, "?#");
  const char *slash = strrchr(source, '/');
  size_t dir = slash ? (size_t)(slash - source) + 1 : 0;
  char *path = malloc(dir + n + 1);
  if (!path)
    return NULL;
  memcpy(path, source, dir);
  char *o = path + dir;
  for (size_t i = 0; i < n; i++) {   /* percent-decoding */
    int a, b;
    if (url[i] == '%' && i + 2 < n &&
        (a = hex((unsigned char)url[i + 1])) >= 0 &&
        (b = hex((unsigned char)url[i + 2])) >= 0) {
      *o++ = (char)(a * 16 + b);
      i += 2;
    } else
      *o++ = url[i];
  }
  *o = '\0';
  char *rel = path + dir;
  if (strlen(path) != (size_t)(o - path)) {   /* a NUL smuggled in as %00 */
    free(path);
    return NULL;
  }
  /* "./b.png" and "b.png" are one file, so one image in the book: "."
   * segments go, in one pass. */
  char *w = rel;
  for (const char *r = rel; *r;) {
    size_t seg = strcspn(r, "/");
    if (seg == 1 && r[0] == '.') {
      r += r[1] ? 2 : 1;
      continue;
    }
    memmove(w, r, seg);
    w += seg;
    r += seg;
    if (*r == '/')
      *w++ = *r++;
  }
  *w = '\0';
  /* No way out of the document's folder. */
  if (!*rel ||
      strncmp(rel, "../", 3) == 0 || strstr(rel, "/../") ||
      strcmp(rel, "..") == 0 ||
      (strlen(rel) >= 3 && strcmp(rel + strlen(rel) - 3, "/..") == 0)) {
    free(path);
    return NULL;
  }
  return path;
}

/* The index of the book's copy of the image at path, adding it when it is
 * new; -1 when the file is not a JPEG, PNG or GIF the book can take. */
static long long image_add(quire_env *env, epub_refs *refs, epub_pool *pool,
                           const char *path, int *oom) {
  long long known = epub_map_get(&refs->by_path, pool, path);
  if (known >= 0)
    return known;
  /* Only a regular file: opening a FIFO would block. */
  struct stat st;
  if (stat(path, &st) != 0 || !S_ISREG(st.st_mode) ||
      (uint64_t)st.st_size > env->svc->limit(env, "max-input-size"))
    return -1;
  FILE *fp = fopen(path, "rb");
  if (!fp)
    return -1;
  unsigned char head[16];
  size_t got = fread(head, 1, sizeof head, fp);
  fclose(fp);
  const char *ext = NULL;
  const char *type = epub_image_type(head, got, &ext);
  if (!type)
    return -1;
  if (refs->n_images == refs->cap_images) {
    size_t cap = refs->cap_images ? refs->cap_images * 2 : 16;
    epub_image *im = realloc(refs->images, cap * sizeof *im);
    if (!im)
      return *oom = 1, -1;
    refs->images = im;
    refs->cap_images = cap;
  }
  epub_image *im = &refs->images[refs->n_images];
  if (epub_map_put(&refs->by_path, pool, path, refs->n_images, &im->path) !=
      QUIRE_OK)
    return *oom = 1, -1;
  im->ext = ext;
  im->media_type = type;
  return (long long)refs->n_images++;
}

/* What to do with an image: REWRITE (with *src set) or UNWRAP. */
static int image_action(quire_env *env, epub_refs *refs, epub_pool *pool,
                        const char *source, const quire_node *n,
                        char src[48], int *oom) {
  char *path = image_path(source, n->url);
  if (!path)
    return UNWRAP;
  long long i = image_add(env, refs, pool, path, oom);
  free(path);
  if (i < 0)
    return UNWRAP;
  snprintf(src, 48, "../images/img%03llu.%s", (unsigned long long)i + 1,
           refs->images[i].ext);
  return REWRITE;
}

static int needs_copy(quire_env *env, const quire_doc *doc) {
  quire_iter it;
  env->svc->iter_init(&it, doc->root);
  while (env->svc->iter_next(&it) != QUIRE_EV_DONE)
    if (it.event == QUIRE_EV_ENTER &&
        (it.node->type == QUIRE_NODE_IMAGE ||
         (it.node->type == QUIRE_NODE_LINK && link_action(it.node) != KEEP)))
      return 1;
  return 0;
}

static char *dup_str(quire_env *env, quire_doc *d, const char *s) {
  return s ? env->svc->strndup(d, s, strlen(s)) : NULL;
}

/* A copy of n (without children or links) in d; NULL when out of memory. */
static quire_node *copy_node(quire_env *env, quire_doc *d, const quire_node *n,
                             const char *url) {
  const quire_services *svc = env->svc;
  quire_node *c = n->text ? svc->node_new_text(d, n->type, n->text, n->len)
                          : svc->node_new(d, n->type);
  if (!c)
    return NULL;
  c->level = n->level;
  c->start = n->start;
  c->header = n->header;
  c->align = n->align;
  if ((n->info && !(c->info = dup_str(env, d, n->info))) ||
      (url && !(c->url = dup_str(env, d, url))) ||
      (n->title && !(c->title = dup_str(env, d, n->title))))
    return NULL;
  return c;
}

typedef struct copier {
  const quire_node **open;    /* originals of the copied open containers */
  size_t depth, cap;
} copier;

static int push(copier *k, const quire_node *n) {
  if (k->depth == k->cap) {
    size_t cap = k->cap ? k->cap * 2 : 32;
    const quire_node **o = realloc(k->open, cap * sizeof *o);
    if (!o)
      return QUIRE_ERR;
    k->open = o;
    k->cap = cap;
  }
  k->open[k->depth++] = n;
  return QUIRE_OK;
}

/* Copies doc's tree into d with the links and images changed. */
static int copy_tree(quire_env *env, epub_refs *refs, epub_pool *pool,
                     const quire_doc *doc, quire_doc *d) {
  const quire_services *svc = env->svc;
  const char *source = svc->meta_get(doc->meta, QUIRE_META_SOURCE);
  copier k = {0};
  quire_node *parent = d->root;
  quire_iter it;
  svc->iter_init(&it, doc->root);
  int oom = 0, refused = 0;
  while (svc->iter_next(&it) != QUIRE_EV_DONE) {
    const quire_node *n = it.node;
    if (n == doc->root)
      continue;
    if (it.event == QUIRE_EV_EXIT) {
      if (k.depth && k.open[k.depth - 1] == n) {
        k.depth--;
        parent = parent->parent;
      }
      continue;
    }
    int action = KEEP;
    const char *url = n->url;
    char src[48];
    char *joined = NULL;
    if (n->type == QUIRE_NODE_LINK)
      action = link_action(n);
    else if (n->type == QUIRE_NODE_IMAGE)
      action = image_action(env, refs, pool, source, n, src, &oom);
    if (oom)
      break;
    if (action == UNWRAP) {
      /* Its children (link text, alt text) go where it was. */
      if (n->type == QUIRE_NODE_LINK)
        refs->links_dropped++;
      else
        refs->images_dropped++;
      continue;
    }
    if (action == REWRITE && n->type == QUIRE_NODE_IMAGE)
      url = src;
    else if (action == REWRITE) {
      if (!(joined = fixed_url(n->url))) {
        oom = 1;
        break;
      }
      url = joined;
    }
    quire_node *c = copy_node(env, d, n, url);
    free(joined);
    if (!c) {
      oom = 1;
      break;
    }
    /* An unwrapped link or image leaves inlines where it was, which its
     * parent holds: the core refuses nothing a valid tree gives. */
    if (svc->node_append(parent, c) != QUIRE_OK) {
      refused = 1;
      break;
    }
    if (!svc->node_is_leaf(n->type)) {
      if (push(&k, n) != QUIRE_OK) {
        oom = 1;
        break;
      }
      parent = c;
    }
  }
  free(k.open);
  if (oom) {
    svc->error(env, NULL, "out of memory");
    return QUIRE_FATAL;
  }
  if (refused) {
    svc->error(env, NULL, "the document's tree breaks the model's rules "
                          "(a %s in a %s); not written",
               svc->node_type_name(it.node->type),
               svc->node_type_name(parent->type));
    return QUIRE_FAILED;
  }
  return QUIRE_OK;
}

int epub_refs_fix(quire_env *env, epub_refs *refs, epub_pool *pool,
                  const quire_doc *doc, const quire_doc **fixed,
                  quire_doc **copy) {
  *copy = NULL;
  *fixed = doc;
  refs->links_dropped = refs->images_dropped = 0;
  if (!needs_copy(env, doc))
    return QUIRE_OK;
  quire_doc *d = env->svc->doc_new();
  if (!d) {
    env->svc->error(env, NULL, "out of memory");
    return QUIRE_FATAL;
  }
  int rc = copy_tree(env, refs, pool, doc, d);
  if (rc != QUIRE_OK) {
    env->svc->doc_free(d);
    return rc;
  }
  *fixed = *copy = d;
  return QUIRE_OK;
}

void epub_refs_free(epub_refs *refs) {
  free(refs->images);
  epub_map_free(&refs->by_path);
  *refs = (epub_refs){0};
}
