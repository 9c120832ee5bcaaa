/* epub_write_plan.c - where a document is split into files, where its ids
 * end up, and what the table of contents lists.
 *
 * One walk over the tree (the model's iterator: no recursion).  Files
 * split at the level of the document's blocks: the root's children, and
 * the children of the containers a file may end inside (sections, divs,
 * block quotes, lists), which are descended into; every other block (a
 * paragraph, a table, a list item, a figure) is a unit that stays whole
 * in one file.  A new file starts
 *   - at each top-level SECTION that is not a layout part (an EPUB spine
 *     item, an HTML <section>): model.h's convention;
 *   - at each heading of level --split-level or above (pandoc's meaning),
 *     among the blocks of the document, a section or a div;
 *   - before a unit that would take the file past --split-size bytes.
 * A split never leaves a container open with nothing in it: it moves back
 * before containers just begun, so a section and its heading stay
 * together.  Sizes are estimated from the tree, on the high side: the
 * text with the escapes it needs, every element, id, class and attribute,
 * and more for notes and images; the writer checks the real size.
 *
 * Each file gets one entry in the table of contents (its first heading,
 * else its first words), and headings up to --toc-depth get one each.
 * Ids that XHTML cannot carry (not an XML name without colons, or not
 * ASCII, which fragments would have to escape) are replaced by new ones;
 * a repeated id stays with its first node. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "epub_write.h"

/* An entry whose fragment is known only after the walk. */
struct plan_fix {
  size_t entry;
  const quire_node *node;     /* the heading */
  size_t heading;             /* its number in the document, from 0 */
};

enum { START_DOC, START_SECTION, START_SIZE, START_HEADING };

#define LABEL_MAX 60          /* bytes of an entry made of a file's words */

typedef struct walk {
  quire_env *env;
  const quire_services *svc;
  epub_plan *p;
  epub_toc *toc;
  const quire_doc *doc;
  unsigned doc_no, first_file;
  const char *title;
  uint64_t budget;            /* bytes a file's body may take */
  /* The blocks. */
  const quire_node *pending;  /* container begun, no unit in it yet */
  int pending_forced;         /* ... a top-level section: a file of its own */
  size_t pending_ids;         /* ids from here on follow the pending one */
  size_t units, nodes;        /* in the current file */
  uint64_t bytes;
  int start;                  /* how the current file began: START_* */
  /* Inside a unit. */
  const quire_node *unit;
  int notes;                  /* NOTEs open */
  const quire_node *heading;  /* whose text is being gathered */
  size_t heading_no;
  int heading_notes;
  const quire_node *file_heading;   /* stands for the current file */
  size_t headings;            /* headings so far */
  int last_level;
  long long label;            /* entry waiting for its words, -1: none */
} walk;

static int oom(walk *w) {
  w->svc->error(w->env, NULL, "out of memory");
  return QUIRE_FATAL;
}

static int layout(const quire_node *n) {
  if (!n->info || !n->info[0])
    return 0;
  size_t tag = strcspn(n->info, " ");
  return !(tag == 7 && strncasecmp(n->info, "section", 7) == 0);
}

/* Containers a file may end inside. */
static int container(const quire_node *n) {
  switch (n->type) {
  case QUIRE_NODE_SECTION:
  case QUIRE_NODE_DIV:
  case QUIRE_NODE_BLOCK_QUOTE:
  case QUIRE_NODE_BULLET_LIST:
  case QUIRE_NODE_ORDERED_LIST:
    return 1;
  default:
    return 0;
  }
}

static int top_section(const walk *w, const quire_node *n) {
  return n->type == QUIRE_NODE_SECTION && n->parent == w->doc->root &&
         !layout(n);
}

static int heading_level(const quire_node *n) {
  return n->level < 1 ? 1 : n->level > 6 ? 6 : n->level;
}

/* ---- Sizes ----------------------------------------------------------------- */

/* What escaping adds to a byte: "&amp;" "&quot;" "&#13;" "&#10;" "&#9;"
 * (attributes) and "&lt;" "&gt;". */
static const unsigned char escape_extra[256] = {
    ['&'] = 5, ['"'] = 5, ['\r'] = 5, ['\n'] = 5, ['\t'] = 5,
    ['<'] = 3, ['>'] = 3};

/* s[0..n) as XML text or attribute, escapes included.  A table rather
 * than a switch: no branch per byte, and this walks every byte of a book
 * (it was 8% of a txt->epub run). */
static uint64_t escaped(const char *s, size_t n) {
  const unsigned char *u = (const unsigned char *)s;
  uint64_t size = n;
  for (size_t i = 0; i < n; i++)
    size += escape_extra[u[i]];
  return size;
}

static uint64_t str_size(const char *s) { return s ? escaped(s, strlen(s)) : 0; }

/* The bytes the xhtml writer may give n and all under it. */
static uint64_t estimate(const walk *w, const quire_node *root) {
  uint64_t size = 0;
  quire_iter it;
  w->svc->iter_init(&it, root);
  while (w->svc->iter_next(&it) != QUIRE_EV_DONE) {
    if (it.event != QUIRE_EV_ENTER)
      continue;
    const quire_node *n = it.node;
    /* Start and end tags and a newline; text runs have none. */
    if (n->type != QUIRE_NODE_TEXT)
      size += 32;
    if (n->text)
      size += escaped(n->text, n->len) * (n->type == QUIRE_NODE_MATH ? 3 : 1);
    size += 3 * (str_size(n->url) + str_size(n->title)) + str_size(n->info) +
            2 * (str_size(n->id) + str_size(n->classes));
    for (const quire_meta *a = n->attrs; a; a = a->next)
      size += 8 + str_size(a->key) + 2 * str_size(a->value);
    if (n->type == QUIRE_NODE_NOTE)
      size += 400;   /* the call, the aside, ids and the way back */
    else if (n->type == QUIRE_NODE_IMAGE)
      size += 200;   /* the book's path of the image, alt */
  }
  return size;
}

/* ---- Records --------------------------------------------------------------- */

static unsigned current(const walk *w) { return (unsigned)w->p->n_files - 1; }

static int add_entry(walk *w, int level, unsigned flags, size_t *index) {
  epub_toc *t = w->toc;
  epub_entry *e = epub_room(t->entries, &t->cap, t->n, sizeof *e);
  if (!e)
    return QUIRE_FATAL;
  t->entries = e;
  e[t->n] = (epub_entry){.file = w->first_file + current(w), .doc = w->doc_no,
                         .level = level, .flags = flags};
  *index = t->n++;
  return QUIRE_OK;
}

/* Blanks at the ends gone and runs of them made one space, in place;
 * cut to at most max bytes at a space (or a character's start), with an
 * ellipsis then.  Returns the length. */
static size_t tidy(char *s, size_t n, size_t max) {
  size_t o = 0;
  int space = 0;
  for (size_t i = 0; i < n; i++) {
    char c = s[i];
    if (c == ' ' || c == '\n' || c == '\t' || c == '\r') {
      space = o > 0;
      continue;
    }
    if (space)
      s[o++] = ' ';
    space = 0;
    s[o++] = c;
  }
  if (o > max) {
    /* The ellipsis's three bytes fit within max, so within s. */
    size_t cut = max - 3;
    while (cut > max / 2 && s[cut] != ' ')
      cut--;
    if (s[cut] != ' ')
      for (cut = max - 3; cut > 0 && ((unsigned char)s[cut] & 0xC0) == 0x80;)
        cut--;
    memcpy(s + cut, "\xE2\x80\xA6", 3);   /* … */
    o = cut + 3;
  }
  s[o] = '\0';
  return o;
}

/* The words gathered for the entry of a file without a heading. */
static int finish_label(walk *w) {
  if (w->label < 0)
    return QUIRE_OK;
  epub_entry *e = &w->toc->entries[w->label];
  w->label = -1;
  epub_buf *b = &w->p->label;
  size_t n = b->len ? tidy(b->s, b->len, LABEL_MAX) : 0;
  if (!n)
    return QUIRE_OK;   /* EPUB_ENTRY_UNTITLED stays: the title will do */
  e->flags &= ~(unsigned)EPUB_ENTRY_UNTITLED;
  return epub_pool_add(w->toc->pool, b->s, n, &e->text) ? QUIRE_FATAL
                                                        : QUIRE_OK;
}

/* The current file gets its first block, `unit` (NULL: an empty section):
 * its entry in the table of contents is that heading, or its words. */
static int file_entry(walk *w, const quire_node *unit) {
  if (unit && unit->type == QUIRE_NODE_HEADING) {
    w->file_heading = unit;
    return QUIRE_OK;
  }
  int level = w->start == START_SIZE ? w->last_level + 1 : 1;
  unsigned flags = EPUB_ENTRY_FILE | EPUB_ENTRY_UNTITLED |
                   (current(w) == 0 ? EPUB_ENTRY_DOC_START : 0);
  size_t i;
  if (add_entry(w, level > 6 ? 6 : level, flags, &i))
    return QUIRE_FATAL;
  w->label = (long long)i;
  w->p->label.len = 0;
  return QUIRE_OK;
}

static int new_file(walk *w, const quire_node *start, int how) {
  if (finish_label(w) != QUIRE_OK)
    return QUIRE_FATAL;
  epub_plan *p = w->p;
  epub_split *f = epub_room(p->files, &p->cap_files, p->n_files, sizeof *f);
  if (!f)
    return QUIRE_FATAL;
  p->files = f;
  f[p->n_files++] = (epub_split){.start = start, .heading = w->headings};
  w->units = w->nodes = 0;
  w->bytes = 0;
  w->start = how;
  w->file_heading = NULL;
  return QUIRE_OK;
}

/* The pending containers' ids are in the current file. */
static void settle_pending(walk *w) {
  for (size_t i = w->pending_ids; i < w->p->n_ids; i++)
    w->p->ids[i].file = current(w);
  w->pending = NULL;
  w->pending_forced = 0;
}

static int record_id(walk *w, const quire_node *n) {
  if (!n->id || !n->id[0])
    return QUIRE_OK;
  epub_plan *p = w->p;
  if (epub_map_get(&p->by_id, &p->pool, n->id) >= 0)
    return QUIRE_OK;   /* a repeat: the first node keeps it */
  epub_id *ids = epub_room(p->ids, &p->cap_ids, p->n_ids, sizeof *ids);
  if (!ids)
    return QUIRE_FATAL;
  p->ids = ids;
  ids[p->n_ids] = (epub_id){.node = n, .file = current(w)};
  if (epub_map_put(&p->by_id, &p->pool, n->id, p->n_ids, &ids[p->n_ids].out))
    return QUIRE_FATAL;
  p->n_ids++;
  return QUIRE_OK;
}

/* ---- The walk ---------------------------------------------------------------- */

static int heading_end(walk *w, const quire_node *n) {
  w->heading = NULL;
  int level = heading_level(n);
  epub_buf *b = &w->p->heading;
  size_t len = b->len ? tidy(b->s, b->len, 4 * LABEL_MAX) : 0;
  int in_note = w->heading_notes > 0;
  if (!in_note)
    w->last_level = level;
  unsigned flags = 0;
  if (n == w->file_heading) {
    flags = EPUB_ENTRY_FILE;
    if (current(w) == 0)
      flags |= EPUB_ENTRY_DOC_START;
    if (current(w) == 0 && w->title && len && strcmp(w->title, b->s) == 0)
      flags |= EPUB_ENTRY_REPEATS;
    if (!len)
      flags |= EPUB_ENTRY_UNTITLED;
  } else if (in_note || !len || level > w->p->toc_depth)
    return QUIRE_OK;
  size_t i;
  if (add_entry(w, level, flags, &i) ||
      epub_pool_add(w->toc->pool, len ? b->s : "", len,
                    &w->toc->entries[i].text))
    return QUIRE_FATAL;
  epub_plan *p = w->p;
  struct plan_fix *fix = epub_room(p->fix, &p->cap_fix, p->n_fix, sizeof *fix);
  if (!fix)
    return QUIRE_FATAL;
  p->fix = fix;
  fix[p->n_fix++] = (struct plan_fix){i, n, w->heading_no};
  return QUIRE_OK;
}

/* A node inside a unit (or the unit itself). */
static int inner_enter(walk *w, const quire_node *n) {
  if (record_id(w, n))
    return QUIRE_FATAL;
  if (n->type == QUIRE_NODE_HEADING) {
    size_t no = w->headings++;
    if (!w->heading) {
      w->heading = n;
      w->heading_no = no;
      w->heading_notes = w->notes;
      w->p->heading.len = 0;
    }
    return QUIRE_OK;
  }
  if (n->type == QUIRE_NODE_NOTE) {
    w->notes++;
    return QUIRE_OK;
  }
  const char *s = NULL;
  size_t len = 0;
  if (n->type == QUIRE_NODE_SOFT_BREAK || n->type == QUIRE_NODE_LINE_BREAK)
    s = " ", len = 1;
  else if (w->svc->node_is_leaf(n->type) && n->text)
    s = n->text, len = n->len;
  if (!len)
    return QUIRE_OK;
  if (w->heading && w->notes == w->heading_notes &&
      epub_buf_add(&w->p->heading, s, len))
    return QUIRE_FATAL;
  if (w->label >= 0 && w->notes == 0) {
    epub_buf *b = &w->p->label;
    if (epub_buf_add(b, s, len > 4 * LABEL_MAX ? 4 * LABEL_MAX : len))
      return QUIRE_FATAL;
    if (b->len >= 2 * LABEL_MAX)
      return finish_label(w);
  }
  return QUIRE_OK;
}

static int inner_exit(walk *w, const quire_node *n) {
  if (n->type == QUIRE_NODE_NOTE && w->notes > 0)
    w->notes--;
  if (n == w->heading)
    return heading_end(w, n);
  return QUIRE_OK;
}

/* A heading among the blocks, at --split-level or above. */
static int splits_at(const walk *w, const quire_node *n) {
  if (n->type != QUIRE_NODE_HEADING || heading_level(n) > w->p->split_level)
    return 0;
  quire_node_type parent = n->parent->type;
  return parent == QUIRE_NODE_DOCUMENT || parent == QUIRE_NODE_SECTION ||
         parent == QUIRE_NODE_DIV;
}

static int start_unit(walk *w, const quire_node *n) {
  uint64_t size = estimate(w, n);
  epub_plan *p = w->p;
  int how = START_DOC;
  if (w->pending_forced && w->nodes)
    how = START_SECTION;
  else if (w->units && splits_at(w, n))
    how = START_HEADING;
  else if (w->units && p->split_size && w->bytes + size > w->budget)
    how = START_SIZE;
  if (how != START_DOC && new_file(w, w->pending ? w->pending : n, how))
    return QUIRE_FATAL;
  settle_pending(w);
  if (!w->nodes && file_entry(w, n))
    return QUIRE_FATAL;
  if (w->label >= 0 && w->p->label.len && epub_buf_add(&w->p->label, " ", 1))
    return QUIRE_FATAL;
  w->units++;
  w->nodes++;
  w->bytes += size;
  w->unit = n;
  int rc = inner_enter(w, n);
  if (w->svc->node_is_leaf(n->type))
    w->unit = NULL;
  return rc;
}

/* A container left with no unit in it: a top-level section is a file of
 * its own even so (an EPUB's empty spine item stays one). */
static int pending_end(walk *w) {
  if (w->pending_forced && w->nodes) {
    if (new_file(w, w->pending, START_SECTION))
      return QUIRE_FATAL;
  }
  int forced = w->pending_forced;
  settle_pending(w);
  if (forced) {
    if (!w->nodes && file_entry(w, NULL))
      return QUIRE_FATAL;
    w->nodes++;
  }
  return QUIRE_OK;
}

static int walk_doc(walk *w) {
  const quire_node *root = w->doc->root;
  quire_iter it;
  w->svc->iter_init(&it, root);
  while (w->svc->iter_next(&it) != QUIRE_EV_DONE) {
    const quire_node *n = it.node;
    if (n == root)
      continue;
    int rc = QUIRE_OK;
    if (it.event == QUIRE_EV_ENTER) {
      if (w->unit)
        rc = inner_enter(w, n);
      else if (container(n)) {
        if (!w->pending) {
          w->pending = n;
          w->pending_forced = top_section(w, n);
          w->pending_ids = w->p->n_ids;
        }
        rc = record_id(w, n);
      } else
        rc = start_unit(w, n);
    } else if (w->unit) {
      rc = inner_exit(w, n);
      if (n == w->unit)
        w->unit = NULL;
    } else if (n == w->pending)
      rc = pending_end(w);
    if (rc != QUIRE_OK)
      return rc;
  }
  if (!w->nodes && file_entry(w, NULL))   /* an empty document */
    return QUIRE_FATAL;
  return finish_label(w);
}

/* ---- Ids ------------------------------------------------------------------------ */

/* An XML name without colons (what epubcheck wants of an id), in ASCII. */
static int plain_id(const char *s) {
  unsigned char c = (unsigned char)*s;
  if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'))
    return 0;
  for (; *s; s++) {
    c = (unsigned char)*s;
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
          (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.'))
      return 0;
  }
  return 1;
}

/* Gives each id that is not plain a new one, "id-" and its plain
 * characters, numbered when that is taken. */
static int fix_ids(epub_plan *p) {
  char made[96];
  for (size_t i = 0; i < p->n_ids; i++) {
    const char *id = epub_pool_str(&p->pool, p->ids[i].out);
    if (plain_id(id))
      continue;
    size_t k = (size_t)snprintf(made, sizeof made, "id-");
    for (const char *s = id; *s && k < 64; s++) {
      unsigned char c = (unsigned char)*s;
      made[k++] = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                          (c >= '0' && c <= '9') || c == '_' || c == '-' ||
                          c == '.'
                      ? (char)c : '_';
    }
    made[k] = '\0';
    for (unsigned n = 2; epub_map_get(&p->by_id, &p->pool, made) >= 0; n++)
      snprintf(made + k, sizeof made - k, "-%u", n);
    if (epub_map_put(&p->by_id, &p->pool, made, i, &p->ids[i].out))
      return QUIRE_FATAL;
  }
  return QUIRE_OK;
}

/* The ids made for headings that have none: BASE1, BASE2, ... with a
 * base no id of the document begins a clash with. */
static void heading_base(epub_plan *p, size_t headings) {
  static const char *const bases[] = {"h", "hq", "hqq", "quire-h", "quire-hq"};
  char id[40];
  for (size_t b = 0; b < sizeof bases / sizeof *bases; b++) {
    snprintf(p->heading_base, sizeof p->heading_base, "%s", bases[b]);
    size_t k = 0;
    for (; k < headings; k++) {
      epub_plan_heading_id(p, k, id);
      if (epub_map_get(&p->by_id, &p->pool, id) >= 0)
        break;
    }
    if (k == headings)
      return;
  }
}

void epub_plan_heading_id(const epub_plan *p, size_t k, char out[40]) {
  snprintf(out, 40, "%s%zu", p->heading_base, k + 1);
}

const epub_id *epub_plan_find_id(const epub_plan *p, const char *id) {
  long long k = id ? epub_map_get(&p->by_id, &p->pool, id) : -1;
  return k >= 0 ? &p->ids[k] : NULL;
}

const epub_id *epub_plan_id_of(const epub_plan *p, const quire_node *n) {
  const epub_id *rec = n->id ? epub_plan_find_id(p, n->id) : NULL;
  return rec && rec->node == n ? rec : NULL;
}

/* The fragments of the headings' entries, now that ids are final. */
static int fix_entries(epub_plan *p, epub_toc *toc) {
  char made[40];
  for (size_t i = 0; i < p->n_fix; i++) {
    const struct plan_fix *f = &p->fix[i];
    const epub_id *rec = epub_plan_id_of(p, f->node);
    const char *id = made;
    if (rec)
      id = epub_pool_str(&p->pool, rec->out);
    else
      epub_plan_heading_id(p, f->heading, made);
    size_t at;
    if (epub_pool_add(toc->pool, id, strlen(id), &at))
      return QUIRE_FATAL;
    toc->entries[f->entry].id = at + 1;
  }
  return QUIRE_OK;
}

int epub_plan_doc(quire_env *env, epub_plan *p, epub_toc *toc,
                  const quire_doc *doc, unsigned doc_no, unsigned first_file,
                  const char *title) {
  p->n_files = p->n_ids = p->n_fix = 0;
  p->pool.len = 0;
  epub_map_clear(&p->by_id);
  walk w = {.env = env, .svc = env->svc, .p = p, .toc = toc, .doc = doc,
            .doc_no = doc_no, .first_file = first_file, .title = title,
            .label = -1, .last_level = 1};
  /* The page around the body: head, title, stylesheet link. */
  uint64_t page = 1024 + 2 * str_size(title);
  w.budget = p->split_size > page ? p->split_size - page : 1;
  int rc = new_file(&w, doc->root->first_child, START_DOC);
  if (rc == QUIRE_OK)
    rc = walk_doc(&w);
  if (rc == QUIRE_OK)
    rc = fix_ids(p);
  if (rc == QUIRE_OK) {
    heading_base(p, w.headings);
    rc = fix_entries(p, toc);
  }
  return rc == QUIRE_OK ? QUIRE_OK : oom(&w);
}

void epub_plan_free(epub_plan *p) {
  free(p->files);
  free(p->ids);
  free(p->pool.buf);
  epub_map_free(&p->by_id);
  free(p->heading.s);
  free(p->label.s);
  free(p->fix);
  *p = (epub_plan){0};
}
