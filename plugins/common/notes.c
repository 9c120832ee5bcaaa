/* notes.c - note references and their notes made NOTE nodes (see
 * notes.h for what is recognised).
 *
 * One walk gathers the ids (hashed) and the note references in document
 * order; the tree is changed only after it, since it must not change
 * during a walk.  Each reference then finds its note through the hash,
 * each note's subtree is walked once for its back-links, and the
 * containers left empty are pruned last, so that no pruning removes a
 * note another reference still needs. */
#include "notes.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct id_entry {
  const char *id;
  quire_node *node;
} id_entry;

typedef struct node_list {
  quire_node **v;
  size_t n, cap;
} node_list;

typedef struct gather {
  quire_env *env;
  const quire_services *svc;
  quire_doc *doc;
  int failed;
  id_entry *ids;                /* open addressing; cap a power of two */
  size_t n_ids, cap_ids;
  const quire_node **used;      /* notes already moved, by address */
  size_t n_used, cap_used;
  node_list refs;               /* note references, in document order */
  node_list emptied;            /* where notes were taken from */
  node_list scratch;            /* back-links of one note */
} gather;

/* ---- Small helpers --------------------------------------------------------- */

static int push(gather *g, node_list *l, quire_node *n) {
  if (l->n == l->cap) {
    size_t cap = l->cap ? l->cap * 2 : 16;
    quire_node **v = realloc(l->v, cap * sizeof *v);
    if (!v)
      return g->failed = 1;
    l->v = v;
    l->cap = cap;
  }
  l->v[l->n++] = n;
  return 0;
}

/* Non-zero when the space-separated list holds word. */
static int has_word(const char *list, const char *word) {
  size_t n = strlen(word);
  for (const char *p = list; p && *p;) {
    p += strspn(p, " \t\n\r\f");
    size_t m = strcspn(p, " \t\n\r\f");
    if (m == n && strncmp(p, word, n) == 0)
      return 1;
    p += m;
  }
  return 0;
}

static int attr_has(const gather *g, const quire_node *n, const char *key,
                    const char *word) {
  return has_word(g->svc->node_attr(n, key), word);
}

static int is_inline(const gather *g, const quire_node *n) {
  return g->svc->node_is_inline(n->type);
}

static size_t hash_str(const char *s) {
  size_t h = 1469598103934665603ull;
  for (; *s; s++)
    h = (h ^ (unsigned char)*s) * 1099511628211ull;
  return h;
}

static size_t hash_ptr(const void *p) {
  return (size_t)((uintptr_t)p >> 4) * 0x9E3779B97F4A7C15ull;
}

/* ---- Ids ------------------------------------------------------------------- */

static size_t id_slot(const gather *g, const char *id) {
  size_t i = hash_str(id) & (g->cap_ids - 1);
  while (g->ids[i].id && strcmp(g->ids[i].id, id) != 0)
    i = (i + 1) & (g->cap_ids - 1);
  return i;
}

/* Records the first node with each id. */
static void id_put(gather *g, quire_node *n) {
  if ((g->n_ids + 1) * 2 > g->cap_ids) {
    size_t cap = g->cap_ids ? g->cap_ids * 2 : 64;
    id_entry *old = g->ids;
    size_t old_cap = g->cap_ids;
    if (!(g->ids = calloc(cap, sizeof *g->ids))) {
      g->ids = old;
      g->failed = 1;
      return;
    }
    g->cap_ids = cap;
    for (size_t i = 0; i < old_cap; i++)
      if (old[i].id)
        g->ids[id_slot(g, old[i].id)] = old[i];
    free(old);
  }
  size_t i = id_slot(g, n->id);
  if (!g->ids[i].id) {
    g->ids[i] = (id_entry){n->id, n};
    g->n_ids++;
  }
}

static quire_node *id_get(const gather *g, const char *id) {
  return g->cap_ids ? g->ids[id_slot(g, id)].node : NULL;
}

/* ---- Notes moved ----------------------------------------------------------- */

static size_t used_slot(const gather *g, const quire_node *n) {
  size_t i = hash_ptr(n) & (g->cap_used - 1);
  while (g->used[i] && g->used[i] != n)
    i = (i + 1) & (g->cap_used - 1);
  return i;
}

static int is_used(const gather *g, const quire_node *n) {
  return g->cap_used && g->used[used_slot(g, n)] == n;
}

static void use(gather *g, const quire_node *n) {
  if ((g->n_used + 1) * 2 > g->cap_used) {
    size_t cap = g->cap_used ? g->cap_used * 2 : 32;
    const quire_node **old = g->used;
    size_t old_cap = g->cap_used;
    if (!(g->used = calloc(cap, sizeof *g->used))) {
      g->used = old;
      g->failed = 1;
      return;
    }
    g->cap_used = cap;
    for (size_t i = 0; i < old_cap; i++)
      if (old[i])
        g->used[used_slot(g, old[i])] = old[i];
    free(old);
  }
  g->used[used_slot(g, n)] = n;
  g->n_used++;
}

/* ---- What is what ------------------------------------------------------------ */

static int is_noteref(const gather *g, const quire_node *n) {
  if (n->type != QUIRE_NODE_LINK || !n->url || n->url[0] != '#' ||
      !n->url[1])
    return 0;
  const char *role = g->svc->node_attr(n, "role");
  return attr_has(g, n, "epub:type", "noteref") ||
         (role && strcmp(role, "doc-noteref") == 0) ||
         has_word(n->classes, "footnote-ref") || has_word(n->classes, "noteref");
}

/* A node that says it is a note. */
static int says_note(const gather *g, const quire_node *n) {
  static const char *const types[] = {"footnote", "endnote", "rearnote",
                                      "note"};
  for (size_t i = 0; i < sizeof types / sizeof *types; i++)
    if (attr_has(g, n, "epub:type", types[i]))
      return 1;
  const char *role = g->svc->node_attr(n, "role");
  return role && (strcmp(role, "doc-footnote") == 0 ||
                  strcmp(role, "doc-endnote") == 0);
}

/* A container of notes. */
static int holds_notes(const gather *g, const quire_node *n) {
  const char *role = g->svc->node_attr(n, "role");
  return has_word(n->classes, "footnotes") ||
         has_word(n->classes, "endnotes") ||
         (role && (strcmp(role, "doc-endnotes") == 0 ||
                   strcmp(role, "doc-footnotes") == 0)) ||
         attr_has(g, n, "epub:type", "footnotes") ||
         attr_has(g, n, "epub:type", "endnotes") ||
         attr_has(g, n, "epub:type", "rearnotes");
}

/* The block a note reference's target stands for, or NULL when the
 * target is not a note. */
static quire_node *note_of(const gather *g, quire_node *t) {
  int says = says_note(g, t);
  quire_node *e = t;
  while (e && is_inline(g, e))
    e = e->parent;
  if (!e || !e->parent)
    return NULL;
  /* An anchor at the start of an item's paragraph: the item is the note. */
  if (e != t && e->type == QUIRE_NODE_PARAGRAPH && e->parent->type ==
                                                       QUIRE_NODE_ITEM)
    e = e->parent;
  if (says)
    return e;
  if (e->type != QUIRE_NODE_ITEM && e->type != QUIRE_NODE_DIV &&
      e->type != QUIRE_NODE_SECTION && e->type != QUIRE_NODE_PARAGRAPH)
    return NULL;
  for (const quire_node *a = e->parent; a; a = a->parent)
    if (holds_notes(g, a))
      return e;
  return NULL;
}

static int is_ancestor(const quire_node *a, const quire_node *n) {
  for (; n; n = n->parent)
    if (n == a)
      return 1;
  return 0;
}

/* ---- Back-links --------------------------------------------------------------- */

/* Non-zero when s (the text of a link) is only the return arrow. */
static int is_arrow(const char *s, size_t n) {
  while (n && (*s == ' ' || *s == '\t' || *s == '\n')) {
    s++;
    n--;
  }
  if (n < 3 || memcmp(s, "\xE2\x86\xA9", 3) != 0)   /* U+21A9 */
    return 0;
  s += 3;
  n -= 3;
  if (n >= 3 && (memcmp(s, "\xEF\xB8\x8E", 3) == 0 ||   /* text style */
                 memcmp(s, "\xEF\xB8\x8F", 3) == 0))
    s += 3, n -= 3;
  while (n && (*s == ' ' || *s == '\t' || *s == '\n'))
    s++, n--;
  return n == 0;
}

/* Non-zero when link (in a note) leads back to the reference `ref`. */
static int is_backlink(const gather *g, const quire_node *link,
                       const quire_node *ref) {
  const char *role = g->svc->node_attr(link, "role");
  if ((role && strcmp(role, "doc-backlink") == 0) ||
      has_word(link->classes, "footnote-back") ||
      has_word(link->classes, "footnote-backref"))
    return 1;
  if (link->url && link->url[0] == '#')
    for (const quire_node *a = ref; a && is_inline(g, a); a = a->parent)
      if (a->id && strcmp(a->id, link->url + 1) == 0)
        return 1;
  const quire_node *t = link->first_child;
  return t && t == link->last_child && t->type == QUIRE_NODE_TEXT &&
         is_arrow(t->text, t->len);
}

static int is_blank(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Drops the blanks and breaks a removed link left at either edge of the
 * inline content of block b. */
static void trim_edges(gather *g, quire_node *b) {
  quire_node *c;
  while ((c = b->first_child) != NULL) {
    if (c->type == QUIRE_NODE_SOFT_BREAK || c->type == QUIRE_NODE_LINE_BREAK) {
      g->svc->node_unlink(c);
      continue;
    }
    if (c->type != QUIRE_NODE_TEXT)
      break;
    size_t k = 0;
    while (k < c->len && is_blank(c->text[k]))
      k++;
    c->text += k;
    c->len -= k;
    if (c->len)
      break;
    g->svc->node_unlink(c);
  }
  while ((c = b->last_child) != NULL) {
    if (c->type == QUIRE_NODE_SOFT_BREAK || c->type == QUIRE_NODE_LINE_BREAK) {
      g->svc->node_unlink(c);
      continue;
    }
    if (c->type != QUIRE_NODE_TEXT)
      break;
    size_t n = c->len;
    while (n && is_blank(c->text[n - 1]))
      n--;
    if (n == c->len)
      break;
    if (n) {
      char *s = g->svc->strndup(g->doc, c->text, n);
      if (!s) {
        g->failed = 1;
        return;
      }
      c->text = s;
      c->len = n;
      break;
    }
    g->svc->node_unlink(c);
  }
}

/* Removes the links back to ref from note, and what they leave empty. */
static void drop_backlinks(gather *g, quire_node *note, const quire_node *ref) {
  g->scratch.n = 0;
  quire_iter it;
  g->svc->iter_init(&it, note);
  while (g->svc->iter_next(&it) != QUIRE_EV_DONE)
    if (it.event == QUIRE_EV_ENTER && it.node->type == QUIRE_NODE_LINK &&
        is_backlink(g, it.node, ref) &&
        push(g, &g->scratch, (quire_node *)it.node))
      return;
  for (size_t i = 0; i < g->scratch.n; i++) {
    quire_node *link = g->scratch.v[i], *p = link->parent;
    g->svc->node_unlink(link);
    /* an inline left empty (the <sup> around a label) goes too */
    while (p && is_inline(g, p) && !p->first_child) {
      quire_node *up = p->parent;
      g->svc->node_unlink(p);
      p = up;
    }
    if (!p || p == note)
      continue;
    trim_edges(g, p);
    if (!p->first_child && p->type == QUIRE_NODE_PARAGRAPH &&
        p->parent == note)
      g->svc->node_unlink(p);
  }
}

/* ---- Moving ------------------------------------------------------------------- */

/* The node a note or label replaces: the reference, or a superscript
 * around it that holds nothing else. */
static quire_node *spot_of(quire_node *ref) {
  quire_node *p = ref->parent;
  if (p && p->type == QUIRE_NODE_SUPERSCRIPT && p->first_child == ref &&
      p->last_child == ref)
    return p;
  return ref;
}

/* The label of a later reference to a note already taken, as a
 * superscript of its text. */
static void relabel(gather *g, quire_node *ref) {
  size_t len = 0;
  quire_iter it;
  g->svc->iter_init(&it, ref);
  while (g->svc->iter_next(&it) != QUIRE_EV_DONE)
    if (it.node->type == QUIRE_NODE_TEXT)
      len += it.node->len;
  char *label = g->svc->alloc(g->doc, len + 1);
  if (!label) {
    g->failed = 1;
    return;
  }
  len = 0;
  g->svc->iter_init(&it, ref);
  while (g->svc->iter_next(&it) != QUIRE_EV_DONE)
    if (it.node->type == QUIRE_NODE_TEXT) {
      memcpy(label + len, it.node->text, it.node->len);
      len += it.node->len;
    }
  if (!len)
    return;
  quire_node *spot = spot_of(ref);
  quire_node *text = g->svc->node_new_text(g->doc, QUIRE_NODE_TEXT, label, len);
  quire_node *sup = spot == ref ? g->svc->node_new(g->doc,
                                                   QUIRE_NODE_SUPERSCRIPT)
                                : text;
  if (!text || !sup) {
    g->failed = 1;
    return;
  }
  if (sup != text && g->svc->node_append(sup, text) != QUIRE_OK)
    return;
  /* within a superscript already, the text alone replaces the link */
  if (g->svc->node_insert_before(ref, sup) == QUIRE_OK)
    g->svc->node_unlink(ref);
}

/* Non-zero when the text of ref is a note's label ("1", "[12]", "*", "iv",
 * "a") rather than words of the sentence ("this link"), which stay. */
static int is_label(const gather *g, const quire_node *ref) {
  size_t letters = 0, other = 0;
  quire_iter it;
  g->svc->iter_init(&it, ref);
  while (g->svc->iter_next(&it) != QUIRE_EV_DONE) {
    if (it.event != QUIRE_EV_ENTER || it.node->type != QUIRE_NODE_TEXT)
      continue;
    for (size_t i = 0; i < it.node->len; i++) {
      unsigned char c = (unsigned char)it.node->text[i];
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
        letters++;
      else if (c == ' ')
        return 0;   /* more than one word */
      else if (c >= 0x80 && (c & 0xC0) != 0x80)
        other++;    /* a symbol such as a dagger, or a letter */
    }
  }
  return letters <= 4 && other <= 2;
}

/* Keeps the words a reference holds (its text, without the link) before
 * where its note goes. */
static void keep_words(gather *g, quire_node *ref, quire_node *spot) {
  if (is_label(g, ref))
    return;
  quire_node *c = ref->first_child;
  while (c) {
    quire_node *next = c->next;
    if (g->svc->node_insert_before(spot, c) != QUIRE_OK)
      return;
    c = next;
  }
}

static int moves_children(const quire_node *n) {
  return n->type == QUIRE_NODE_ITEM || n->type == QUIRE_NODE_DIV ||
         n->type == QUIRE_NODE_SECTION;
}

/* Makes the note `block` a NOTE in place of ref. */
static void take(gather *g, quire_node *ref, quire_node *block) {
  const quire_services *svc = g->svc;
  quire_node *spot = spot_of(ref);
  if (!spot->parent || !svc->node_can_contain(spot->parent->type,
                                              QUIRE_NODE_NOTE) ||
      is_ancestor(block, ref))
    return;
  if (!moves_children(block) &&
      !svc->node_can_contain(QUIRE_NODE_NOTE, block->type))
    return;
  quire_node *note = svc->node_new(g->doc, QUIRE_NODE_NOTE);
  if (!note || (ref->id && svc->node_set_attr(g->doc, note, "id", ref->id))) {
    g->failed = 1;
    return;
  }
  use(g, block);
  if (moves_children(block)) {
    quire_node *c = block->first_child;
    while (c) {
      quire_node *next = c->next;
      if (svc->node_can_contain(QUIRE_NODE_NOTE, c->type))
        svc->node_append(note, c);
      c = next;
    }
    push(g, &g->emptied, block);
  } else {
    quire_node *from = block->parent;
    svc->node_append(note, block);
    push(g, &g->emptied, from);
  }
  drop_backlinks(g, note, ref);
  keep_words(g, ref, spot);
  if (svc->node_insert_before(spot, note) == QUIRE_OK)
    svc->node_unlink(spot);
}

/* ---- Pruning ----------------------------------------------------------------- */

/* Non-zero when n, a block a note was taken from or one around it, holds
 * nothing worth keeping now: nothing at all, or, in a container of notes,
 * only rules and headings. */
static int left_empty(const gather *g, const quire_node *n) {
  switch (n->type) {
  case QUIRE_NODE_ITEM:
  case QUIRE_NODE_DIV:
  case QUIRE_NODE_SECTION:
  case QUIRE_NODE_BULLET_LIST:
  case QUIRE_NODE_ORDERED_LIST:
  case QUIRE_NODE_BLOCK_QUOTE:
    break;
  default:
    return 0;
  }
  if (!n->first_child)
    return 1;
  int notes = holds_notes(g, n);
  for (const quire_node *c = n->first_child; c; c = c->next) {
    if (c->type == QUIRE_NODE_THEMATIC_BREAK)
      continue;
    if (!notes || c->type != QUIRE_NODE_HEADING)
      return 0;
    quire_iter it;
    g->svc->iter_init(&it, c);
    while (g->svc->iter_next(&it) != QUIRE_EV_DONE)
      if (it.node->type == QUIRE_NODE_NOTE)
        return 0;
  }
  return 1;
}

static void prune(gather *g) {
  for (size_t i = 0; i < g->emptied.n; i++) {
    quire_node *n = g->emptied.v[i];
    while (n && n->parent && left_empty(g, n)) {
      quire_node *up = n->parent;
      g->svc->node_unlink(n);
      n = up;
    }
  }
}

/* ---- Entry ------------------------------------------------------------------ */

int quire_notes_gather(quire_env *env, quire_doc *doc) {
  gather g = {.env = env, .svc = env->svc, .doc = doc};
  quire_iter it;
  g.svc->iter_init(&it, doc->root);
  while (!g.failed && g.svc->iter_next(&it) != QUIRE_EV_DONE) {
    if (it.event != QUIRE_EV_ENTER)
      continue;
    quire_node *n = (quire_node *)it.node;
    if (n->id)
      id_put(&g, n);
    if (is_noteref(&g, n))
      push(&g, &g.refs, n);
  }
  for (size_t i = 0; i < g.refs.n && !g.failed; i++) {
    quire_node *ref = g.refs.v[i];
    quire_node *target = id_get(&g, ref->url + 1);
    quire_node *block = target ? note_of(&g, target) : NULL;
    if (!block)
      continue;
    if (is_used(&g, block))
      relabel(&g, ref);
    else
      take(&g, ref, block);
  }
  if (!g.failed)
    prune(&g);
  free(g.ids);
  free(g.used);
  free(g.refs.v);
  free(g.emptied.v);
  free(g.scratch.v);
  if (g.failed) {
    quire_loc loc = {0};
    g.svc->error(env, &loc, "out of memory");
    return QUIRE_FATAL;
  }
  return QUIRE_OK;
}
