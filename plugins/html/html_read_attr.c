/* html_read_attr.c - the attributes of elements kept on the nodes they
 * become (pandoc's Attr): id, class, lang, dir, role, epub:type, data-*,
 * title on spans and divs, width and height on images.  An id is kept
 * only the first time the document gives it, so ids stay unique and
 * links to "#id" keep one target. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "html_read_build.h"

/* Non-zero when attribute a is `name`: "prefix:local" matches a
 * namespaced attribute of the XML parser and a plain one of the HTML
 * parser, which keeps the prefix in the name. */
static int attr_is(const xmlAttr *a, const char *name) {
  const char *local = (const char *)a->name;
  if (a->ns && a->ns->prefix) {
    size_t p = strlen((const char *)a->ns->prefix);
    return strncasecmp(name, (const char *)a->ns->prefix, p) == 0 &&
           name[p] == ':' && strcasecmp(name + p + 1, local) == 0;
  }
  return strcasecmp(name, local) == 0;
}

/* Values are read from the attribute's children rather than with
 * xmlGetProp, which would expand the document's own entities. */
static const char *value_of(builder *b, const xmlAttr *a) {
  b->attr.n = 0;
  if (hb_put(b, &b->attr, "", 0))
    return NULL;
  for (const xmlNode *c = a->children; c; c = c->next) {
    int ref = c->type == XML_ENTITY_REF_NODE;
    const char *s = (const char *)(ref ? c->name : c->content);
    if (!s)
      continue;
    if (ref)
      hb_put(b, &b->attr, "&", 1);
    hb_put(b, &b->attr, s, strlen(s));
    if (ref)
      hb_put(b, &b->attr, ";", 1);
  }
  return b->failed ? NULL : b->attr.s;
}

const char *hb_attr(builder *b, const xmlNode *el, const char *name) {
  for (const xmlAttr *a = el->properties; a; a = a->next)
    if (attr_is(a, name))
      return value_of(b, a);
  return NULL;
}

int hb_has_word(const char *list, const char *word) {
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

/* ---- Ids ----------------------------------------------------------------- */

static size_t hash(const char *s) {
  size_t h = 1469598103934665603ull;
  for (; *s; s++)
    h = (h ^ (unsigned char)*s) * 1099511628211ull;
  return h;
}

static size_t id_slot(const id_set *set, const char *id) {
  size_t i = hash(id) & (set->cap - 1);
  while (set->slots[i] && strcmp(set->slots[i], id) != 0)
    i = (i + 1) & (set->cap - 1);
  return i;
}

/* Adds id (in the document) to the set: 1 when added, 0 when there,
 * -1 when memory ran out. */
static int id_add(id_set *set, const char *id) {
  if (set->cap && set->slots[id_slot(set, id)])
    return 0;
  if ((set->n + 1) * 2 > set->cap) {
    size_t cap = set->cap ? set->cap * 2 : 64;
    const char **slots = calloc(cap, sizeof *slots);
    if (!slots)
      return -1;
    id_set grown = {slots, set->n, cap};
    for (size_t i = 0; i < set->cap; i++)
      if (set->slots[i])
        slots[id_slot(&grown, set->slots[i])] = set->slots[i];
    free(set->slots);
    *set = grown;
  }
  set->slots[id_slot(set, id)] = id;
  set->n++;
  return 1;
}

void hb_ids_free(id_set *ids) {
  free(ids->slots);
  *ids = (id_set){0};
}

int hb_take_id(builder *b, quire_node *n, const char *value) {
  value += strspn(value, " \t\n\r\f");
  size_t len = strcspn(value, " \t\n\r\f");
  if (!len || n->id)
    return 0;
  char *id = hb_dup(b, value, len);
  if (!id)
    return 0;
  int added = id_add(&b->ids, id);
  if (added < 0) {
    b->failed = 1;
    return 0;
  }
  if (added && b->svc->node_set_attr(b->doc, n, "id", id) != QUIRE_OK) {
    b->failed = 1;
    return 0;
  }
  return added;
}

/* ---- Attributes kept ------------------------------------------------------ */

/* The key under which attribute a is kept on node type t, or NULL. */
static const char *kept_key(const xmlAttr *a, quire_node_type t) {
  static const char *const plain[] = {"lang", "dir", "role", "epub:type"};
  if (attr_is(a, "xml:lang"))
    return "lang";
  for (size_t i = 0; i < sizeof plain / sizeof *plain; i++)
    if (attr_is(a, plain[i]))
      return plain[i];
  if (!a->ns && strncasecmp((const char *)a->name, "data-", 5) == 0 &&
      a->name[5])
    return (const char *)a->name;
  if ((t == QUIRE_NODE_SPAN || t == QUIRE_NODE_DIV) && attr_is(a, "title"))
    return "title";
  if (t == QUIRE_NODE_IMAGE && (attr_is(a, "width") || attr_is(a, "height")))
    return attr_is(a, "width") ? "width" : "height";
  return NULL;
}

/* The class words of value but `skip`, squashed, in b->scratch. */
static const char *classes(builder *b, const char *value, const char *skip) {
  b->scratch.n = 0;
  hb_put(b, &b->scratch, "", 0);
  for (const char *p = value; p && *p;) {
    p += strspn(p, " \t\n\r\f");
    size_t m = strcspn(p, " \t\n\r\f");
    if (m && !(skip && strlen(skip) == m && strncmp(p, skip, m) == 0)) {
      if (b->scratch.n)
        hb_put(b, &b->scratch, " ", 1);
      hb_put(b, &b->scratch, p, m);
    }
    p += m;
  }
  return b->failed ? NULL : b->scratch.s;
}

int hb_has_attrs(builder *b, const xmlNode *el, const char *skip) {
  for (const xmlAttr *a = el->properties; a; a = a->next) {
    if (attr_is(a, "id")) {
      const char *v = value_of(b, a);
      if (v && v[strspn(v, " \t\n\r\f")])
        return 1;
    } else if (attr_is(a, "class")) {
      const char *c = classes(b, value_of(b, a), skip);
      if (c && *c)
        return 1;
    } else if (kept_key(a, QUIRE_NODE_SPAN))
      return 1;
  }
  return 0;
}

void hb_keep_attrs(builder *b, quire_node *n, const xmlNode *el,
                   const char *skip) {
  if (!n)
    return;
  const xmlAttr *name = NULL;
  for (const xmlAttr *a = el->properties; a && !b->failed; a = a->next) {
    const char *key = kept_key(a, n->type);
    if (attr_is(a, "id")) {
      const char *v = value_of(b, a);
      if (v)
        hb_take_id(b, n, v);
    } else if (attr_is(a, "name"))
      name = a;
    else if (attr_is(a, "class")) {
      const char *c = classes(b, value_of(b, a), skip);
      if (c && *c && b->svc->node_set_attr(b->doc, n, "class", c))
        b->failed = 1;
    } else if (key) {
      const char *v = value_of(b, a);
      if (v && b->svc->node_set_attr(b->doc, n, key, v) != QUIRE_OK)
        b->failed = 1;
    }
  }
  /* <a name="x">, the anchor of old pages, is an id. */
  if (name && !n->id && strcasecmp((const char *)el->name, "a") == 0) {
    const char *v = value_of(b, name);
    if (v)
      hb_take_id(b, n, v);
  }
}
