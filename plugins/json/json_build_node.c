/* json_build_node.c - a document's tree from its `blocks` array, checked
 * as it is built against docs/formats/json.md ("Nodes"): every known
 * node's fields and attributes and where it stands.  Unknown fields are
 * skipped.  A node of a type this version does not know is an error in a
 * document of a version it knows (1.0, 1.1), and gives its content, with a
 * warning, in a document of a later minor version.
 *
 * The walk recurses, one call per node: jansson refuses input nested
 * deeper than 2048 arrays and objects, and every node takes at least one,
 * so the stack stays bounded. */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "json_build.h"

static const struct {
  const char *name;
  quire_node_type type;
} node_types[] = {
    {"section", QUIRE_NODE_SECTION},
    {"heading", QUIRE_NODE_HEADING},
    {"paragraph", QUIRE_NODE_PARAGRAPH},
    {"bullet_list", QUIRE_NODE_BULLET_LIST},
    {"ordered_list", QUIRE_NODE_ORDERED_LIST},
    {"item", QUIRE_NODE_ITEM},
    {"block_quote", QUIRE_NODE_BLOCK_QUOTE},
    {"code_block", QUIRE_NODE_CODE_BLOCK},
    {"thematic_break", QUIRE_NODE_THEMATIC_BREAK},
    {"table", QUIRE_NODE_TABLE},
    {"table_row", QUIRE_NODE_TABLE_ROW},
    {"table_cell", QUIRE_NODE_TABLE_CELL},
    {"raw_block", QUIRE_NODE_RAW_BLOCK},
    {"text", QUIRE_NODE_TEXT},
    {"emph", QUIRE_NODE_EMPH},
    {"strong", QUIRE_NODE_STRONG},
    {"code", QUIRE_NODE_CODE},
    {"link", QUIRE_NODE_LINK},
    {"image", QUIRE_NODE_IMAGE},
    {"line_break", QUIRE_NODE_LINE_BREAK},
    {"soft_break", QUIRE_NODE_SOFT_BREAK},
    {"raw_inline", QUIRE_NODE_RAW_INLINE},
    /* 1.1 */
    {"div", QUIRE_NODE_DIV},
    {"line_block", QUIRE_NODE_LINE_BLOCK},
    {"line", QUIRE_NODE_LINE},
    {"definition_list", QUIRE_NODE_DEFINITION_LIST},
    {"term", QUIRE_NODE_TERM},
    {"definition", QUIRE_NODE_DEFINITION},
    {"figure", QUIRE_NODE_FIGURE},
    {"caption", QUIRE_NODE_CAPTION},
    {"table_head", QUIRE_NODE_TABLE_HEAD},
    {"table_body", QUIRE_NODE_TABLE_BODY},
    {"table_foot", QUIRE_NODE_TABLE_FOOT},
    {"table_column", QUIRE_NODE_TABLE_COLUMN},
    {"note", QUIRE_NODE_NOTE},
    {"span", QUIRE_NODE_SPAN},
    {"strikeout", QUIRE_NODE_STRIKEOUT},
    {"superscript", QUIRE_NODE_SUPERSCRIPT},
    {"subscript", QUIRE_NODE_SUBSCRIPT},
    {"small_caps", QUIRE_NODE_SMALL_CAPS},
    {"underline", QUIRE_NODE_UNDERLINE},
    {"quoted", QUIRE_NODE_QUOTED},
    {"math", QUIRE_NODE_MATH},
};

static quire_node_type type_named(const char *name) {
  for (size_t i = 0; i < sizeof node_types / sizeof node_types[0]; i++)
    if (strcmp(node_types[i].name, name) == 0)
      return node_types[i].type;
  return QUIRE_NODE_NONE;
}

static int build_node(builder *b, const json_t *v, quire_node *parent,
                      const json_path *p);

static const char *an(const char *word) {
  return strchr("aeiou", word[0]) ? "an" : "a";
}

/* The parts a figure or table holds at most once. */
static int once_only(quire_node_type t) {
  return t == QUIRE_NODE_CAPTION || t == QUIRE_NODE_TABLE_HEAD ||
         t == QUIRE_NODE_TABLE_FOOT;
}

static int attach(builder *b, quire_node *parent, quire_node *node,
                  const json_path *p) {
  if (!node)
    return jb_oom(b);
  if (once_only(node->type))
    for (const quire_node *c = parent->first_child; c; c = c->next)
      if (c->type == node->type) {
        const char *held = b->svc->node_type_name(node->type);
        return jb_fail(b, p, "a second %s in %s %s", held,
                       an(b->svc->node_type_name(parent->type)),
                       b->svc->node_type_name(parent->type));
      }
  if (b->svc->node_append(parent, node) == QUIRE_OK)
    return QUIRE_OK;
  const char *holder = b->svc->node_type_name(parent->type);
  const char *held = b->svc->node_type_name(node->type);
  if (b->svc->node_can_contain(parent->type, node->type))
    return jb_fail(b, p, "a %s holds inlines or blocks, not both: %s %s "
                         "after %s",
                   holder, an(held), held,
                   b->svc->node_is_inline(node->type) ? "blocks"
                                                      : "inlines");
  if (node->type == QUIRE_NODE_TEXT)
    return jb_fail(b, p, "a %s cannot hold text", holder);
  return jb_fail(b, p, "a %s cannot hold %s %s", holder, an(held), held);
}

/* ---- Node types from a later version ------------------------------------
 * A node of a type this version does not know gives its content, or its
 * text, where it stood, with a warning naming the type once a document.
 * The content goes where the parent may hold it: inlines among blocks into
 * a paragraph made for them, blocks among inlines as their own content
 * (their text stays, apart by soft breaks). */

typedef struct spill {
  quire_node *parent;
  quire_node *para;        /* the paragraph taking inlines, or NULL */
} spill;

static int spill_content(builder *b, spill *sp, const json_t *content,
                         const json_path *p);

static void warn_unknown(builder *b, const char *type) {
  size_t i;
  for (i = 0; i < b->n_unknown; i++)
    if (strcmp(b->unknown[i], type) == 0)
      return;
  if (b->n_unknown < MAX_UNKNOWN)
    b->unknown[b->n_unknown++] = type;
  b->svc->warn(b->env, b->loc,
               "document %lu: node type \"%s\" is newer than this quire: "
               "its content is kept without it",
               b->number, type);
  b->result = QUIRE_WARN;
}

static int holds(const builder *b, const quire_node *parent,
                 quire_node_type t) {
  return b->svc->node_can_contain(parent->type, t);
}

/* Where an inline of type t goes: the parent, or a paragraph in it. */
static quire_node *inline_target(builder *b, spill *sp, quire_node_type t) {
  if (holds(b, sp->parent, t))
    return sp->parent;
  if (!holds(b, sp->parent, QUIRE_NODE_PARAGRAPH))
    return sp->parent;   /* build_node gives the error */
  if (!sp->para) {
    sp->para = b->svc->node_new(b->doc, QUIRE_NODE_PARAGRAPH);
    if (!sp->para || b->svc->node_append(sp->parent, sp->para) != QUIRE_OK)
      return NULL;
  }
  return sp->para;
}

/* A block among inlines: a soft break apart from what came before. */
static int spill_break(builder *b, spill *sp) {
  const quire_node *last = sp->parent->last_child;
  if (!last || (last->type == QUIRE_NODE_TEXT && last->len > 0 &&
                last->text[last->len - 1] == ' '))
    return QUIRE_OK;   /* nothing before, or a space already */
  quire_node *br = b->svc->node_new(b->doc, QUIRE_NODE_SOFT_BREAK);
  if (!br || b->svc->node_append(sp->parent, br) != QUIRE_OK)
    return jb_oom(b);
  return QUIRE_OK;
}

static int spill_text(builder *b, spill *sp, const json_t *obj,
                      const json_path *p) {
  const char *s;
  size_t n;
  int rc = jb_string(b, obj, "text", 0, p, &s, &n);
  if (rc != QUIRE_OK || !s || n == 0)
    return rc;
  quire_node *target = inline_target(b, sp, QUIRE_NODE_TEXT);
  quire_node *text = b->svc->node_new_text(b->doc, QUIRE_NODE_TEXT, s, n);
  if (!target || !text)
    return jb_oom(b);
  return attach(b, target, text, p);
}

static int spill_node(builder *b, spill *sp, const json_t *v,
                      const json_path *p) {
  quire_node_type t = QUIRE_NODE_TEXT;
  const json_t *type = json_is_object(v) ? json_object_get(v, "type") : NULL;
  if (json_is_string(type)) {
    t = type_named(json_string_value(type));
    if (t == QUIRE_NODE_NONE) {   /* unknown too: its content, here */
      warn_unknown(b, json_string_value(type));
      const json_t *content = json_object_get(v, "content");
      if (!content)
        return spill_text(b, sp, v, p);
      json_path here = {p, "content", 0};
      return spill_content(b, sp, content, &here);
    }
  }
  if (!json_is_object(v) || b->svc->node_is_inline(t)) {
    quire_node *target = inline_target(b, sp, t);
    return target ? build_node(b, v, target, p) : jb_oom(b);
  }
  sp->para = NULL;
  if (holds(b, sp->parent, t) || !holds(b, sp->parent, QUIRE_NODE_TEXT))
    return build_node(b, v, sp->parent, p);
  /* A block where only inlines go: its content, or its text. */
  int rc = spill_break(b, sp);
  if (rc != QUIRE_OK)
    return rc;
  const json_t *content = json_object_get(v, "content");
  if (!content)
    return spill_text(b, sp, v, p);
  json_path here = {p, "content", 0};
  return spill_content(b, sp, content, &here);
}

static int spill_content(builder *b, spill *sp, const json_t *content,
                         const json_path *p) {
  if (!json_is_array(content))
    return jb_fail(b, p, "%s where an array belongs", jb_kind_of(content));
  size_t i;
  const json_t *v;
  json_array_foreach(content, i, v) {
    json_path here = {p, NULL, i};
    int rc = spill_node(b, sp, v, &here);
    if (rc != QUIRE_OK)
      return rc;
  }
  return QUIRE_OK;
}

static int build_unknown(builder *b, const json_t *obj, const char *type,
                         quire_node *parent, const json_path *p) {
  warn_unknown(b, type);
  spill sp = {parent, NULL};
  const json_t *content = json_object_get(obj, "content");
  if (!content)
    return spill_text(b, &sp, obj, p);
  json_path here = {p, "content", 0};
  return spill_content(b, &sp, content, &here);
}

/* ---- Attributes ----------------------------------------------------------- */

/* "classes": an array of names without white space, joined by spaces. */
static int classes(builder *b, const json_t *v, quire_node *node,
                   const json_path *p) {
  if (!json_is_array(v))
    return jb_fail(b, p, "%s where an array of class names belongs",
                   jb_kind_of(v));
  json_out joined = {0};
  size_t i;
  const json_t *c;
  int rc = QUIRE_OK;
  json_array_foreach(v, i, c) {
    json_path here = {p, NULL, i};
    const char *s = json_string_value(c);
    size_t n = json_string_length(c);
    if (!s)
      rc = jb_fail(b, &here, "%s where a class name belongs", jb_kind_of(c));
    else if (n == 0 || strcspn(s, " \t\n\r\f") != n)
      rc = jb_fail(b, &here, "\"%s\" is not a class name (empty, or white "
                             "space in it)", s);
    if (rc != QUIRE_OK)
      break;
    if (joined.len)
      json_out_put(&joined, " ", 1);
    json_out_put(&joined, s, n);
  }
  if (rc == QUIRE_OK && joined.failed)
    rc = jb_oom(b);
  if (rc == QUIRE_OK && joined.len &&
      b->svc->node_set_attr(b->doc, node, "class", joined.s) != QUIRE_OK)
    rc = jb_oom(b);
  json_out_free(&joined);
  return rc;
}

/* "attrs": an object of string values, in order. */
static int pairs(builder *b, const json_t *v, quire_node *node,
                 const json_path *p) {
  if (!json_is_object(v))
    return jb_fail(b, p, "%s where an object of attributes belongs",
                   jb_kind_of(v));
  if (json_object_size(v) > JSON_MAX_ATTRS)
    return jb_fail(b, p, "%zu attributes on one node, more than the %d "
                         "quire reads", json_object_size(v), JSON_MAX_ATTRS);
  const char *key;
  const json_t *value;
  json_object_foreach((json_t *)v, key, value) {
    json_path here = {p, key, 0};
    if (!*key || strcmp(key, "id") == 0 || strcmp(key, "class") == 0)
      return jb_fail(b, &here, "not an attribute name here (the id and the "
                               "classes have fields of their own)");
    const char *s;
    size_t n;
    int rc = jb_string(b, v, key, 1, p, &s, &n);
    if (rc != QUIRE_OK)
      return rc;
    if (b->svc->node_set_attr(b->doc, node, key, s) != QUIRE_OK)
      return jb_oom(b);
  }
  return QUIRE_OK;
}

/* A node's "id", "classes" and "attrs". */
static int attributes(builder *b, const json_t *obj, quire_node *node,
                      const json_path *p) {
  const char *id;
  size_t n;
  int rc = jb_string(b, obj, "id", 0, p, &id, &n);
  if (rc == QUIRE_OK && id) {
    json_path here = {p, "id", 0};
    if (n == 0)
      return jb_fail(b, &here, "an empty id");
    if (b->svc->node_set_attr(b->doc, node, "id", id) != QUIRE_OK)
      return jb_oom(b);
  }
  const json_t *v = json_object_get(obj, "classes");
  if (rc == QUIRE_OK && v) {
    json_path here = {p, "classes", 0};
    rc = classes(b, v, node, &here);
  }
  v = json_object_get(obj, "attrs");
  if (rc == QUIRE_OK && v) {
    json_path here = {p, "attrs", 0};
    rc = pairs(b, v, node, &here);
  }
  return rc;
}

/* ---- Fields ------------------------------------------------------------------- */

/* One of `words` (NULL-terminated) as its index + 1, or 0 when absent. */
static int get_word(builder *b, const json_t *obj, const char *key,
                    const char *const *words, const char *allowed,
                    const json_path *p, int *out) {
  const char *s;
  size_t n;
  *out = 0;
  int rc = jb_string(b, obj, key, 0, p, &s, &n);
  if (rc != QUIRE_OK || !s)
    return rc;
  for (int i = 0; words[i]; i++)
    if (strcmp(words[i], s) == 0) {
      *out = i + 1;
      return QUIRE_OK;
    }
  json_path here = {p, key, 0};
  return jb_fail(b, &here, "\"%s\" is not %s", s, allowed);
}

static int get_align(builder *b, const json_t *obj, const json_path *p,
                     quire_align *out) {
  static const char *const words[] = {"left", "center", "right", NULL};
  int i;
  int rc = get_word(b, obj, "align", words, "left, center or right", p, &i);
  *out = (quire_align)i;   /* NONE, LEFT, CENTER, RIGHT in that order */
  return rc;
}

/* A column's share of the table's width: a number from 0 to 1. */
static int get_width(builder *b, const json_t *obj, const json_path *p,
                     float *out) {
  const json_t *v = json_object_get(obj, "width");
  *out = 0;
  if (!v)
    return QUIRE_OK;
  json_path here = {p, "width", 0};
  if (!json_is_number(v))
    return jb_fail(b, &here, "%s where a number belongs", jb_kind_of(v));
  double w = json_number_value(v);
  if (!(w >= 0 && w <= 1))
    return jb_fail(b, &here, "%g is not a share of the table's width "
                             "(0 to 1)", w);
  *out = (float)w;
  return QUIRE_OK;
}

/* A literal's "text" (and for some a second string field) into the node. */
static int literal(builder *b, const json_t *obj, quire_node *node,
                   const char *info_key, const json_path *p) {
  const char *s, *s2 = NULL;
  size_t n, n2 = 0;
  int rc = jb_string(b, obj, "text", 1, p, &s, &n);
  if (rc == QUIRE_OK && info_key)
    rc = jb_string(b, obj, info_key, 0, p, &s2, &n2);
  if (rc != QUIRE_OK)
    return rc;
  node->text = jb_copy(b, s, n);
  node->len = n;
  node->info = jb_copy(b, s2, n2);
  return !node->text || (s2 && !node->info) ? jb_oom(b) : QUIRE_OK;
}

static int list_fields(builder *b, const json_t *obj, quire_node *node,
                       const json_path *p) {
  static const char *const styles[] = {"decimal",     "lower_alpha",
                                       "upper_alpha", "lower_roman",
                                       "upper_roman", NULL};
  static const char *const delims[] = {"period", "paren", "two_parens", NULL};
  int tight;
  int rc = jb_bool(b, obj, "tight", p, &tight);
  node->tight = (unsigned char)tight;
  if (rc != QUIRE_OK || node->type != QUIRE_NODE_ORDERED_LIST)
    return rc;
  int style, delim;
  rc = jb_int(b, obj, "start", 1, INT_MIN, INT_MAX, p, &node->start);
  if (rc == QUIRE_OK)
    rc = get_word(b, obj, "style", styles,
                  "decimal, lower_alpha, upper_alpha, lower_roman or "
                  "upper_roman",
                  p, &style);
  if (rc == QUIRE_OK)
    rc = get_word(b, obj, "delim", delims, "period, paren or two_parens", p,
                  &delim);
  node->style = (unsigned char)(rc == QUIRE_OK ? style : QUIRE_LIST_DEFAULT);
  node->delim = (unsigned char)(rc == QUIRE_OK ? delim : QUIRE_DELIM_DEFAULT);
  return rc;
}

/* The fields of a known node. */
static int node_fields(builder *b, const json_t *obj, quire_node *node,
                       const json_path *p) {
  const char *s = NULL, *s2 = NULL;
  size_t n = 0, n2 = 0;
  int rc = QUIRE_OK, k;
  switch (node->type) {
  case QUIRE_NODE_SECTION:
    rc = jb_string(b, obj, "info", 0, p, &s, &n);
    node->info = jb_copy(b, s, n);
    if (rc == QUIRE_OK && s && !node->info)
      return jb_oom(b);
    break;
  case QUIRE_NODE_HEADING:
    if (!json_object_get(obj, "level"))
      return jb_fail(b, p, "a heading without \"level\"");
    rc = jb_int(b, obj, "level", 1, 1, 6, p, &node->level);
    break;
  case QUIRE_NODE_BULLET_LIST:
  case QUIRE_NODE_ORDERED_LIST:
  case QUIRE_NODE_DEFINITION_LIST:
    rc = list_fields(b, obj, node, p);
    break;
  case QUIRE_NODE_TABLE_ROW:
    rc = jb_bool(b, obj, "header", p, &node->header);
    break;
  case QUIRE_NODE_TABLE_CELL:
    rc = get_align(b, obj, p, &node->align);
    if (rc == QUIRE_OK)
      rc = jb_int(b, obj, "rowspan", 1, 1, JSON_MAX_ROWSPAN, p,
                  &node->rowspan);
    if (rc == QUIRE_OK)
      rc = jb_int(b, obj, "colspan", 1, 1, JSON_MAX_COLSPAN, p,
                  &node->colspan);
    if (rc == QUIRE_OK)
      rc = jb_bool(b, obj, "header", p, &node->header);
    break;
  case QUIRE_NODE_TABLE_COLUMN:
    rc = get_align(b, obj, p, &node->align);
    if (rc == QUIRE_OK)
      rc = get_width(b, obj, p, &node->width);
    break;
  case QUIRE_NODE_CODE_BLOCK:
    rc = literal(b, obj, node, "language", p);
    break;
  case QUIRE_NODE_RAW_BLOCK:
  case QUIRE_NODE_RAW_INLINE:
    rc = literal(b, obj, node, "format", p);
    break;
  case QUIRE_NODE_CODE:
  case QUIRE_NODE_TEXT:
    rc = literal(b, obj, node, NULL, p);
    break;
  case QUIRE_NODE_MATH:
    rc = literal(b, obj, node, NULL, p);
    if (rc == QUIRE_OK)
      rc = jb_bool(b, obj, "display", p, &k);
    node->kind = rc == QUIRE_OK && k ? QUIRE_MATH_DISPLAY : QUIRE_MATH_INLINE;
    break;
  case QUIRE_NODE_QUOTED: {
    static const char *const quotes[] = {"double", "single", NULL};
    rc = get_word(b, obj, "quote", quotes, "single or double", p, &k);
    node->kind = k == 2 ? QUIRE_QUOTE_SINGLE : QUIRE_QUOTE_DOUBLE;
    break;
  }
  case QUIRE_NODE_LINK:
  case QUIRE_NODE_IMAGE:
    rc = jb_string(b, obj, "url", 1, p, &s, &n);
    if (rc == QUIRE_OK)
      rc = jb_string(b, obj, "title", 0, p, &s2, &n2);
    if (rc == QUIRE_OK) {
      node->url = jb_copy(b, s, n);
      node->title = jb_copy(b, s2, n2);
      if (!node->url || (s2 && !node->title))
        return jb_oom(b);
    }
    break;
  default:
    break;
  }
  return rc == QUIRE_OK ? attributes(b, obj, node, p) : rc;
}

static int build_node(builder *b, const json_t *v, quire_node *parent,
                      const json_path *p) {
  if (json_is_string(v)) {
    size_t n = json_string_length(v);
    const char *s = json_string_value(v);
    if (strlen(s) != n)
      return jb_fail(b, p, "U+0000 (NUL) in a string, which quire cannot "
                           "keep");
    quire_node *text = b->svc->node_new_text(b->doc, QUIRE_NODE_TEXT, s, n);
    return attach(b, parent, text, p);
  }
  if (!json_is_object(v))
    return jb_fail(b, p, "%s where a node (an object or a string) belongs",
                   jb_kind_of(v));
  const char *name;
  size_t len;
  int rc = jb_string(b, v, "type", 1, p, &name, &len);
  if (rc != QUIRE_OK)
    return rc;
  quire_node_type type = type_named(name);
  if (type == QUIRE_NODE_NONE) {
    if (b->strict) {
      json_path here = {p, "type", 0};
      return jb_fail(b, &here, "\"%s\" is not a node type of version %d.%d "
                               "(a later minor version may add types: "
                               "such a document says so in \"quire\")",
                     name, JSON_FORMAT_MAJOR, JSON_FORMAT_MINOR);
    }
    return build_unknown(b, v, name, parent, p);
  }
  quire_node *node = b->svc->node_new(b->doc, type);
  if (!node)
    return jb_oom(b);
  rc = node_fields(b, v, node, p);
  if (rc == QUIRE_OK)
    rc = attach(b, parent, node, p);
  if (rc != QUIRE_OK)
    return rc;
  const json_t *content = json_object_get(v, "content");
  if (!content)
    return QUIRE_OK;
  json_path here = {p, "content", 0};
  if (b->svc->node_is_leaf(type))
    return jb_fail(b, &here, "%s %s has no content", an(name), name);
  return jb_content(b, content, node, &here);
}

int jb_content(builder *b, const json_t *content, quire_node *parent,
               const json_path *p) {
  if (!json_is_array(content))
    return jb_fail(b, p, "%s where an array belongs", jb_kind_of(content));
  size_t i;
  const json_t *v;
  json_array_foreach(content, i, v) {
    json_path here = {p, NULL, i};
    int rc = build_node(b, v, parent, &here);
    if (rc != QUIRE_OK)
      return rc;
  }
  return QUIRE_OK;
}
