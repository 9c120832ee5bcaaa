/* model.c - documents, nodes and metadata, all in the document's arena. */
#include <quire/quire.h>

#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "doc_impl.h"

quire_doc *quire_doc_new(void) {
  quire_arena *a = arena_new();
  if (!a)
    return NULL;
  doc_impl *impl = arena_alloc(a, sizeof *impl);
  quire_doc *doc = impl ? &impl->pub : NULL;
  if (!doc) {
    arena_free(a);
    return NULL;
  }
  doc->arena = a;
  doc->root = quire_node_new(doc, QUIRE_NODE_DOCUMENT);
  if (!doc->root) {
    arena_free(a);
    return NULL;
  }
  return doc;
}

void quire_doc_free(quire_doc *doc) {
  if (doc)
    arena_free(doc->arena);   /* the doc itself lives in its arena */
}

void *quire_doc_alloc(quire_doc *doc, size_t size) {
  return arena_alloc(doc->arena, size);
}

char *quire_doc_strndup(quire_doc *doc, const char *s, size_t n) {
  if (n == SIZE_MAX)
    return NULL;
  char *p = arena_alloc(doc->arena, n + 1);
  if (p && n)
    memcpy(p, s, n);
  return p;   /* arena memory is zeroed: p[n] is already NUL */
}

quire_node *quire_node_new(quire_doc *doc, quire_node_type type) {
  quire_node *n = arena_alloc(doc->arena, sizeof *n);
  if (n)
    n->type = type;
  return n;
}

quire_node *quire_node_new_text(quire_doc *doc, quire_node_type type,
                                const char *s, size_t len) {
  quire_node *n = quire_node_new(doc, type);
  if (!n)
    return NULL;
  char *copy = quire_doc_strndup(doc, s, len);
  if (!copy)
    return NULL;
  n->text = copy;
  n->len = len;
  return n;
}

void quire_node_unlink(quire_node *n) {
  if (n->prev)
    n->prev->next = n->next;
  else if (n->parent)
    n->parent->first_child = n->next;
  if (n->next)
    n->next->prev = n->prev;
  else if (n->parent)
    n->parent->last_child = n->prev;
  n->parent = n->prev = n->next = NULL;
}

int quire_node_is_leaf(quire_node_type t) {
  return t == QUIRE_NODE_TEXT || t == QUIRE_NODE_CODE ||
         t == QUIRE_NODE_CODE_BLOCK || t == QUIRE_NODE_RAW_BLOCK ||
         t == QUIRE_NODE_RAW_INLINE || t == QUIRE_NODE_LINE_BREAK ||
         t == QUIRE_NODE_SOFT_BREAK || t == QUIRE_NODE_THEMATIC_BREAK ||
         t == QUIRE_NODE_MATH || t == QUIRE_NODE_TABLE_COLUMN;
}

int quire_node_is_inline(quire_node_type t) {
  switch (t) {
  case QUIRE_NODE_TEXT: case QUIRE_NODE_EMPH: case QUIRE_NODE_STRONG:
  case QUIRE_NODE_CODE: case QUIRE_NODE_LINK: case QUIRE_NODE_IMAGE:
  case QUIRE_NODE_LINE_BREAK: case QUIRE_NODE_SOFT_BREAK:
  case QUIRE_NODE_RAW_INLINE: case QUIRE_NODE_NOTE: case QUIRE_NODE_SPAN:
  case QUIRE_NODE_STRIKEOUT: case QUIRE_NODE_SUPERSCRIPT:
  case QUIRE_NODE_SUBSCRIPT: case QUIRE_NODE_SMALL_CAPS:
  case QUIRE_NODE_UNDERLINE: case QUIRE_NODE_QUOTED: case QUIRE_NODE_MATH:
    return 1;
  default:
    return 0;
  }
}

/* Types that only live inside one kind of parent. */
static int is_part(quire_node_type t) {
  switch (t) {
  case QUIRE_NODE_ITEM: case QUIRE_NODE_TABLE_ROW: case QUIRE_NODE_TABLE_CELL:
  case QUIRE_NODE_LINE: case QUIRE_NODE_TERM: case QUIRE_NODE_DEFINITION:
  case QUIRE_NODE_CAPTION: case QUIRE_NODE_TABLE_HEAD:
  case QUIRE_NODE_TABLE_BODY: case QUIRE_NODE_TABLE_FOOT:
  case QUIRE_NODE_TABLE_COLUMN:
    return 1;
  default:
    return 0;
  }
}

static int is_block(quire_node_type t) {
  return t > QUIRE_NODE_DOCUMENT && t < QUIRE_NODE_TYPE_COUNT &&
         !quire_node_is_inline(t) && !is_part(t);
}

int quire_node_can_contain(quire_node_type parent, quire_node_type child) {
  if (child <= QUIRE_NODE_DOCUMENT || child >= QUIRE_NODE_TYPE_COUNT)
    return 0;
  switch (parent) {
  case QUIRE_NODE_DOCUMENT: case QUIRE_NODE_SECTION: case QUIRE_NODE_ITEM:
  case QUIRE_NODE_BLOCK_QUOTE: case QUIRE_NODE_DIV:
  case QUIRE_NODE_DEFINITION: case QUIRE_NODE_CAPTION: case QUIRE_NODE_NOTE:
    return is_block(child);
  case QUIRE_NODE_FIGURE:
    return is_block(child) || child == QUIRE_NODE_CAPTION;
  case QUIRE_NODE_HEADING: case QUIRE_NODE_PARAGRAPH: case QUIRE_NODE_LINE:
  case QUIRE_NODE_TERM: case QUIRE_NODE_EMPH: case QUIRE_NODE_STRONG:
  case QUIRE_NODE_LINK: case QUIRE_NODE_IMAGE: case QUIRE_NODE_SPAN:
  case QUIRE_NODE_STRIKEOUT: case QUIRE_NODE_SUPERSCRIPT:
  case QUIRE_NODE_SUBSCRIPT: case QUIRE_NODE_SMALL_CAPS:
  case QUIRE_NODE_UNDERLINE: case QUIRE_NODE_QUOTED:
    return quire_node_is_inline(child);
  case QUIRE_NODE_TABLE_CELL:
    return quire_node_is_inline(child) || is_block(child);
  case QUIRE_NODE_BULLET_LIST: case QUIRE_NODE_ORDERED_LIST:
    return child == QUIRE_NODE_ITEM;
  case QUIRE_NODE_LINE_BLOCK:
    return child == QUIRE_NODE_LINE;
  case QUIRE_NODE_DEFINITION_LIST:
    return child == QUIRE_NODE_TERM || child == QUIRE_NODE_DEFINITION;
  case QUIRE_NODE_TABLE:
    return child == QUIRE_NODE_TABLE_ROW || child == QUIRE_NODE_CAPTION ||
           child == QUIRE_NODE_TABLE_COLUMN ||
           child == QUIRE_NODE_TABLE_HEAD || child == QUIRE_NODE_TABLE_BODY ||
           child == QUIRE_NODE_TABLE_FOOT;
  case QUIRE_NODE_TABLE_HEAD: case QUIRE_NODE_TABLE_BODY:
  case QUIRE_NODE_TABLE_FOOT:
    return child == QUIRE_NODE_TABLE_ROW;
  case QUIRE_NODE_TABLE_ROW:
    return child == QUIRE_NODE_TABLE_CELL;
  default:
    return 0;   /* leaves, and types this version does not know */
  }
}

const char *quire_node_type_name(quire_node_type t) {
  static const char *const names[] = {
    "none", "document", "section", "heading", "paragraph", "bullet_list",
    "ordered_list", "item", "block_quote", "code_block", "thematic_break",
    "table", "table_row", "table_cell", "raw_block", "text", "emph",
    "strong", "code", "link", "image", "line_break", "soft_break",
    "raw_inline", "div", "line_block", "line", "definition_list", "term",
    "definition", "figure", "caption", "table_head", "table_body",
    "table_foot", "table_column", "note", "span", "strikeout",
    "superscript", "subscript", "small_caps", "underline", "quoted", "math"
  };
  _Static_assert(sizeof names / sizeof *names == QUIRE_NODE_TYPE_COUNT,
                 "a name for every node type");
  return ((int)t >= 0 && t < QUIRE_NODE_TYPE_COUNT) ? names[t] : "unknown";
}

void quire_iter_init(quire_iter *it, const quire_node *root) {
  it->root = root;
  it->node = NULL;
  it->event = QUIRE_EV_NONE;
}

quire_event quire_iter_next(quire_iter *it) {
  const quire_node *n = it->node;
  if (it->event == QUIRE_EV_DONE)
    return QUIRE_EV_DONE;
  if (n == NULL) {
    n = it->root;
    if (n == NULL)
      return it->event = QUIRE_EV_DONE;
    it->node = n;
    return it->event = QUIRE_EV_ENTER;
  }
  /* Any node with children is entered, whatever its type: a type added by
   * a later core is walked as a container. */
  if (it->event == QUIRE_EV_ENTER && !quire_node_is_leaf(n->type)) {
    if (n->first_child) {
      it->node = n->first_child;
      return it->event = QUIRE_EV_ENTER;
    }
    return it->event = QUIRE_EV_EXIT;   /* an empty container */
  }
  if (n == it->root)
    return it->event = QUIRE_EV_DONE;
  if (n->next) {
    it->node = n->next;
    return it->event = QUIRE_EV_ENTER;
  }
  it->node = n->parent;
  return it->event = QUIRE_EV_EXIT;
}

/* Non-zero when `parent` may take `child`: the types fit, and child is
 * not parent itself nor one of its ancestors. */
static int may_hold(const quire_node *parent, const quire_node *child) {
  if (!parent || !child || parent == child ||
      !quire_node_can_contain(parent->type, child->type))
    return 0;
  /* A cell holds inlines or blocks, not both. */
  if (parent->type == QUIRE_NODE_TABLE_CELL && parent->first_child &&
      parent->first_child != child &&
      quire_node_is_inline(parent->first_child->type) !=
          quire_node_is_inline(child->type))
    return 0;
  /* Only a node with children can be an ancestor: a fresh node, the usual
   * case, costs no walk, so building deep trees stays linear. */
  for (const quire_node *a = parent; child->first_child && a; a = a->parent)
    if (a == child)
      return 0;
  return 1;
}

int quire_node_append(quire_node *parent, quire_node *child) {
  if (!may_hold(parent, child))
    return QUIRE_FAILED;
  quire_node_unlink(child);
  child->parent = parent;
  child->prev = parent->last_child;
  if (parent->last_child)
    parent->last_child->next = child;
  else
    parent->first_child = child;
  parent->last_child = child;
  return QUIRE_OK;
}

int quire_node_insert_before(quire_node *sibling, quire_node *node) {
  if (!sibling || sibling == node || !may_hold(sibling->parent, node))
    return QUIRE_FAILED;
  quire_node_unlink(node);
  node->parent = sibling->parent;
  node->prev = sibling->prev;
  node->next = sibling;
  if (sibling->prev)
    sibling->prev->next = node;
  else
    sibling->parent->first_child = node;
  sibling->prev = node;
  return QUIRE_OK;
}

void quire_doc_adopt(quire_doc *dst, quire_doc *src) {
  if (dst && src && dst != src) {
    resource_adopt(dst, src);
    arena_merge(dst->arena, src->arena);   /* src itself lived in its arena */
  }
}

const char *quire_meta_get(const quire_meta *list, const char *key) {
  for (const quire_meta *m = list; m; m = m->next)
    if (strcmp(m->key, key) == 0)
      return m->value;
  return NULL;
}

int quire_meta_add(quire_doc *doc, const char *key, const char *value) {
  quire_meta *m = quire_doc_alloc(doc, sizeof *m);
  if (!m)
    return QUIRE_ERR;
  m->key = quire_doc_strndup(doc, key, strlen(key));
  m->value = quire_doc_strndup(doc, value, strlen(value));
  if (!m->key || !m->value)
    return QUIRE_ERR;
  quire_meta **tail = &doc->meta;
  while (*tail)
    tail = &(*tail)->next;
  *tail = m;
  return QUIRE_OK;
}

int quire_meta_set(quire_doc *doc, const char *key, const char *value) {
  quire_meta **p = &doc->meta;
  while (*p) {
    if (strcmp((*p)->key, key) == 0)
      *p = (*p)->next;   /* the entry stays in the arena, unreachable */
    else
      p = &(*p)->next;
  }
  return quire_meta_add(doc, key, value);
}

/* ---- Attributes ---------------------------------------------------------- */

int quire_node_set_attr(quire_doc *doc, quire_node *node, const char *key,
                        const char *value) {
  char *copy = quire_doc_strndup(doc, value, strlen(value));
  if (!copy)
    return QUIRE_ERR;
  if (strcmp(key, "id") == 0) {
    node->id = copy;
    return QUIRE_OK;
  }
  if (strcmp(key, "class") == 0) {
    node->classes = copy;
    return QUIRE_OK;
  }
  quire_meta **p = &node->attrs;
  for (; *p; p = &(*p)->next)
    if (strcmp((*p)->key, key) == 0) {
      (*p)->value = copy;
      return QUIRE_OK;
    }
  quire_meta *m = quire_doc_alloc(doc, sizeof *m);
  if (!m || !(m->key = quire_doc_strndup(doc, key, strlen(key))))
    return QUIRE_ERR;
  m->value = copy;
  *p = m;
  return QUIRE_OK;
}

const char *quire_node_attr(const quire_node *node, const char *key) {
  if (strcmp(key, "id") == 0)
    return node->id;
  if (strcmp(key, "class") == 0)
    return node->classes;
  return quire_meta_get(node->attrs, key);
}
