/* json_build.c - a JSON value to a document, checked as it is built.
 *
 * A quire document object (it has a `quire` version) is checked against
 * the format of docs/formats/json.md: every known node's fields and where
 * it stands; unknown fields are skipped and unknown node types give their
 * content, with a warning, as a later minor version may add both.  Any
 * other object with a `text` string is a record of a corpus pipeline.
 * Errors name the place in the document as a path: blocks[3].content[0]. */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"

/* A place in the value: a member of an object or an element of an array;
 * frames live on the stack of the recursion that walks the value. */
typedef struct json_path {
  const struct json_path *up;
  const char *key;         /* a member, or NULL for an element */
  size_t index;
} json_path;

#define MAX_UNKNOWN 16

typedef struct builder {
  quire_env *env;
  const quire_services *svc;
  quire_doc *doc;
  const quire_loc *loc;
  unsigned long number;
  int result;                          /* QUIRE_OK or QUIRE_WARN */
  const char *unknown[MAX_UNKNOWN];    /* node types warned about */
  size_t n_unknown;
} builder;

/* ---- Messages ------------------------------------------------------------- */

static void path_text(const json_path *p, char *out, size_t size) {
  const json_path *frames[24];
  size_t n = 0, depth = 0;
  for (const json_path *q = p; q; q = q->up, depth++)
    if (n < sizeof frames / sizeof frames[0])
      frames[n++] = q;
  size_t len = 0;
  out[0] = '\0';
  if (depth > n)
    len += (size_t)snprintf(out, size, "...");
  for (size_t i = n; i-- > 0 && len < size;) {
    const json_path *q = frames[i];
    if (q->key)
      len += (size_t)snprintf(out + len, size - len, "%s%s",
                              len ? "." : "", q->key);
    else
      len += (size_t)snprintf(out + len, size - len, "[%zu]", q->index);
  }
}

static int fail_at(builder *b, const json_path *p, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int fail_at(builder *b, const json_path *p, const char *fmt, ...) {
  char what[512], where[256];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(what, sizeof what, fmt, ap);
  va_end(ap);
  path_text(p, where, sizeof where);
  b->svc->error(b->env, b->loc, "not a quire document: document %lu: %s%s%s",
                b->number, where, where[0] ? ": " : "", what);
  return QUIRE_FAILED;
}

static int out_of_memory(builder *b) {
  b->svc->error(b->env, b->loc, "out of memory");
  return QUIRE_FATAL;
}

static const char *kind_of(const json_t *v) {
  switch (json_typeof(v)) {
  case JSON_OBJECT: return "an object";
  case JSON_ARRAY: return "an array";
  case JSON_STRING: return "a string";
  case JSON_INTEGER:
  case JSON_REAL: return "a number";
  case JSON_TRUE:
  case JSON_FALSE: return "a boolean";
  default: return "null";
  }
}

/* A string member without U+0000 (the model's text holds none): *s and
 * *n, or NULL when absent.  QUIRE_OK or QUIRE_FAILED (message set). */
static int get_string(builder *b, const json_t *obj, const char *key,
                      int required, const json_path *p, const char **s,
                      size_t *n) {
  const json_t *v = json_object_get(obj, key);
  *s = NULL;
  *n = 0;
  json_path here = {p, key, 0};
  if (!v)
    return required ? fail_at(b, p, "\"%s\" is missing", key) : QUIRE_OK;
  if (!json_is_string(v))
    return fail_at(b, &here, "%s where a string belongs", kind_of(v));
  *s = json_string_value(v);
  *n = json_string_length(v);
  if (strlen(*s) != *n)
    return fail_at(b, &here, "U+0000 (NUL) in a string, which quire cannot "
                             "keep");
  return QUIRE_OK;
}

/* An integer member in [min, max], or def when absent. */
static int get_int(builder *b, const json_t *obj, const char *key, int def,
                   long long min, long long max, const json_path *p,
                   int *out) {
  const json_t *v = json_object_get(obj, key);
  json_path here = {p, key, 0};
  *out = def;
  if (!v)
    return QUIRE_OK;
  if (!json_is_integer(v))
    return fail_at(b, &here, "%s where an integer belongs", kind_of(v));
  json_int_t i = json_integer_value(v);
  if (i < min || i > max)
    return fail_at(b, &here, "%" JSON_INTEGER_FORMAT " is out of range "
                             "(%lld to %lld)", i, min, max);
  *out = (int)i;
  return QUIRE_OK;
}

static char *copy(builder *b, const char *s, size_t n) {
  return s ? b->svc->strndup(b->doc, s, n) : NULL;
}

/* ---- Nodes ---------------------------------------------------------------- */

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
    {"emph", QUIRE_NODE_EMPH},
    {"strong", QUIRE_NODE_STRONG},
    {"code", QUIRE_NODE_CODE},
    {"link", QUIRE_NODE_LINK},
    {"image", QUIRE_NODE_IMAGE},
    {"line_break", QUIRE_NODE_LINE_BREAK},
    {"soft_break", QUIRE_NODE_SOFT_BREAK},
    {"raw_inline", QUIRE_NODE_RAW_INLINE},
};

static quire_node_type type_named(const char *name) {
  for (size_t i = 0; i < sizeof node_types / sizeof node_types[0]; i++)
    if (strcmp(node_types[i].name, name) == 0)
      return node_types[i].type;
  return QUIRE_NODE_NONE;
}

static int build_content(builder *b, const json_t *content,
                         quire_node *parent, const json_path *p);
static int build_node(builder *b, const json_t *v, quire_node *parent,
                      const json_path *p);

static int attach(builder *b, quire_node *parent, quire_node *node,
                  const json_path *p) {
  if (!node)
    return out_of_memory(b);
  if (b->svc->node_append(parent, node) != QUIRE_OK) {
    const char *holder = b->svc->node_type_name(parent->type);
    if (node->type == QUIRE_NODE_TEXT)
      return fail_at(b, p, "a %s cannot hold text", holder);
    const char *held = b->svc->node_type_name(node->type);
    return fail_at(b, p, "a %s cannot hold %s %s", holder,
                   strchr("aeiou", held[0]) ? "an" : "a", held);
  }
  return QUIRE_OK;
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
    return out_of_memory(b);
  return QUIRE_OK;
}

static int spill_text(builder *b, spill *sp, const json_t *obj,
                      const json_path *p) {
  const char *s;
  size_t n;
  int rc = get_string(b, obj, "text", 0, p, &s, &n);
  if (rc != QUIRE_OK || !s || n == 0)
    return rc;
  quire_node *target = inline_target(b, sp, QUIRE_NODE_TEXT);
  quire_node *text = b->svc->node_new_text(b->doc, QUIRE_NODE_TEXT, s, n);
  if (!target || !text)
    return out_of_memory(b);
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
    return target ? build_node(b, v, target, p) : out_of_memory(b);
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
    return fail_at(b, p, "%s where an array belongs", kind_of(content));
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

/* The fields of a known node. */
static int node_fields(builder *b, const json_t *obj, quire_node *node,
                       const json_path *p) {
  const char *s = NULL, *s2 = NULL;
  size_t n = 0, n2 = 0;
  int rc = QUIRE_OK;
  switch (node->type) {
  case QUIRE_NODE_SECTION:
    rc = get_string(b, obj, "info", 0, p, &s, &n);
    node->info = copy(b, s, n);
    break;
  case QUIRE_NODE_HEADING:
    if (!json_object_get(obj, "level"))
      return fail_at(b, p, "a heading without \"level\"");
    rc = get_int(b, obj, "level", 1, 1, 6, p, &node->level);
    break;
  case QUIRE_NODE_ORDERED_LIST:
    rc = get_int(b, obj, "start", 1, INT_MIN, INT_MAX, p, &node->start);
    break;
  case QUIRE_NODE_TABLE_ROW: {
    const json_t *h = json_object_get(obj, "header");
    if (h && !json_is_boolean(h)) {
      json_path here = {p, "header", 0};
      return fail_at(b, &here, "%s where a boolean belongs", kind_of(h));
    }
    node->header = h && json_is_true(h);
    break;
  }
  case QUIRE_NODE_TABLE_CELL:
    rc = get_string(b, obj, "align", 0, p, &s, &n);
    if (rc == QUIRE_OK && s) {
      if (strcmp(s, "left") == 0)
        node->align = QUIRE_ALIGN_LEFT;
      else if (strcmp(s, "center") == 0)
        node->align = QUIRE_ALIGN_CENTER;
      else if (strcmp(s, "right") == 0)
        node->align = QUIRE_ALIGN_RIGHT;
      else {
        json_path here = {p, "align", 0};
        return fail_at(b, &here, "\"%s\" is not left, center or right", s);
      }
    }
    break;
  case QUIRE_NODE_CODE_BLOCK:
  case QUIRE_NODE_RAW_BLOCK:
  case QUIRE_NODE_RAW_INLINE:
  case QUIRE_NODE_CODE:
    rc = get_string(b, obj, "text", 1, p, &s, &n);
    if (rc == QUIRE_OK && node->type != QUIRE_NODE_CODE)
      rc = get_string(b, obj,
                      node->type == QUIRE_NODE_CODE_BLOCK ? "language"
                                                          : "format",
                      0, p, &s2, &n2);
    if (rc == QUIRE_OK) {
      node->text = copy(b, s, n);
      node->len = n;
      node->info = copy(b, s2, n2);
      if (!node->text || (s2 && !node->info))
        return out_of_memory(b);
    }
    break;
  case QUIRE_NODE_LINK:
  case QUIRE_NODE_IMAGE:
    rc = get_string(b, obj, "url", 1, p, &s, &n);
    if (rc == QUIRE_OK)
      rc = get_string(b, obj, "title", 0, p, &s2, &n2);
    if (rc == QUIRE_OK) {
      node->url = copy(b, s, n);
      node->title = copy(b, s2, n2);
      if (!node->url || (s2 && !node->title))
        return out_of_memory(b);
    }
    break;
  default:
    break;
  }
  return rc;
}

static int build_node(builder *b, const json_t *v, quire_node *parent,
                      const json_path *p) {
  if (json_is_string(v)) {
    size_t n = json_string_length(v);
    const char *s = json_string_value(v);
    if (strlen(s) != n)
      return fail_at(b, p, "U+0000 (NUL) in a string, which quire cannot "
                           "keep");
    quire_node *text = b->svc->node_new_text(b->doc, QUIRE_NODE_TEXT, s, n);
    return attach(b, parent, text, p);
  }
  if (!json_is_object(v))
    return fail_at(b, p, "%s where a node (an object or a string) belongs",
                   kind_of(v));
  const char *name;
  size_t len;
  int rc = get_string(b, v, "type", 1, p, &name, &len);
  if (rc != QUIRE_OK)
    return rc;
  quire_node_type type = type_named(name);
  if (type == QUIRE_NODE_NONE)
    return build_unknown(b, v, name, parent, p);
  quire_node *node = b->svc->node_new(b->doc, type);
  if (!node)
    return out_of_memory(b);
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
    return fail_at(b, &here, "a %s has no content", name);
  return build_content(b, content, node, &here);
}

static int build_content(builder *b, const json_t *content,
                         quire_node *parent, const json_path *p) {
  if (!json_is_array(content))
    return fail_at(b, p, "%s where an array belongs", kind_of(content));
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

/* ---- Metadata --------------------------------------------------------------- */

/* A scalar as text: strings as they are, integers exactly, other numbers
 * in the shortest form that reads back the same, booleans as words.
 * NULL for other values. */
static const char *scalar_text(const json_t *v, char *num, size_t size) {
  switch (json_typeof(v)) {
  case JSON_STRING:
    return json_string_value(v);
  case JSON_INTEGER:
    snprintf(num, size, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
    return num;
  case JSON_REAL: {
    double d = json_real_value(v);
    for (int prec = 1; prec <= 17; prec++) {
      snprintf(num, size, "%.*g", prec, d);
      if (strtod(num, NULL) == d)
        break;
    }
    return num;
  }
  case JSON_TRUE:
    return "true";
  case JSON_FALSE:
    return "false";
  default:
    return NULL;
  }
}

/* One metadata value (a scalar, or an array of them: a repeated key).
 * strict: a quire document, whose values are strings. */
static int add_meta(builder *b, const char *key, const json_t *v, int strict,
                    const json_path *p) {
  json_path here = {p, key, 0};
  const json_t *items = v;
  size_t count = 1;
  if (json_is_array(v))
    count = json_array_size(v);
  for (size_t i = 0; i < count; i++) {
    const json_t *item = json_is_array(items) ? json_array_get(items, i) : v;
    json_path at = {&here, NULL, i};
    const json_path *where = json_is_array(items) ? &at : &here;
    char num[64];
    const char *text = strict && !json_is_string(item)
                           ? NULL
                           : scalar_text(item, num, sizeof num);
    if (!text && strict)
      return fail_at(b, where, "%s where a string belongs", kind_of(item));
    if (!text) {
      if (b->svc->verbose(b->env))
        b->svc->info(b->env, b->loc,
                     "document %lu: field \"%s\" skipped: %s is not a "
                     "string, number or boolean",
                     b->number, key, kind_of(item));
      continue;
    }
    if (json_is_string(item) && strlen(text) != json_string_length(item))
      return fail_at(b, where, "U+0000 (NUL) in a string, which quire "
                               "cannot keep");
    if (b->svc->meta_add(b->doc, key, text) != QUIRE_OK)
      return out_of_memory(b);
  }
  return QUIRE_OK;
}

/* ---- Documents ----------------------------------------------------------- */

static int build_quire(builder *b, const json_t *obj, const json_path *p) {
  const char *version;
  size_t n;
  int rc = get_string(b, obj, "quire", 1, p, &version, &n);
  if (rc != QUIRE_OK)
    return rc;
  char *end;
  errno = 0;
  long major = strtol(version, &end, 10);
  if (end == version || *end != '.' || errno) {
    json_path here = {p, "quire", 0};
    return fail_at(b, &here, "\"%s\" is not a version (MAJOR.MINOR)",
                   version);
  }
  if (major != JSON_FORMAT_MAJOR) {
    json_path here = {p, "quire", 0};
    return fail_at(b, &here, "version %s: this quire reads version %d.x",
                   version, JSON_FORMAT_MAJOR);
  }
  const json_t *meta = json_object_get(obj, "meta");
  if (meta) {
    json_path here = {p, "meta", 0};
    if (!json_is_object(meta))
      return fail_at(b, &here, "%s where an object belongs", kind_of(meta));
    const char *key;
    const json_t *v;
    json_object_foreach((json_t *)meta, key, v) {
      rc = add_meta(b, key, v, 1, &here);
      if (rc != QUIRE_OK)
        return rc;
    }
  }
  const json_t *blocks = json_object_get(obj, "blocks");
  if (!blocks)
    return fail_at(b, p, "\"blocks\" is missing");
  json_path here = {p, "blocks", 0};
  return build_content(b, blocks, b->doc->root, &here);
}

/* A record's text: paragraphs apart by blank lines, lines within one
 * apart by soft breaks. */
static int text_blocks(builder *b, const char *s, size_t n) {
  quire_node *para = NULL;
  size_t pos = 0;
  while (pos < n) {
    const char *line = s + pos;
    const char *nl = memchr(line, '\n', n - pos);
    size_t len = nl ? (size_t)(nl - line) : n - pos;
    pos += len + (nl ? 1 : 0);
    while (len > 0 && (line[len - 1] == ' ' || line[len - 1] == '\t' ||
                       line[len - 1] == '\r'))
      len--;
    while (len > 0 && (line[0] == ' ' || line[0] == '\t')) {
      line++;
      len--;
    }
    if (len == 0) {
      para = NULL;
      continue;
    }
    if (!para) {
      para = b->svc->node_new(b->doc, QUIRE_NODE_PARAGRAPH);
      if (!para || b->svc->node_append(b->doc->root, para) != QUIRE_OK)
        return out_of_memory(b);
    } else {
      quire_node *br = b->svc->node_new(b->doc, QUIRE_NODE_SOFT_BREAK);
      if (!br || b->svc->node_append(para, br) != QUIRE_OK)
        return out_of_memory(b);
    }
    quire_node *t = b->svc->node_new_text(b->doc, QUIRE_NODE_TEXT, line, len);
    if (!t || b->svc->node_append(para, t) != QUIRE_OK)
      return out_of_memory(b);
  }
  return QUIRE_OK;
}

static int build_record(builder *b, const json_t *obj, const json_path *p) {
  const char *text;
  size_t n;
  if (json_object_get(obj, "pandoc-api-version") &&
      !json_object_get(obj, "text"))
    return fail_at(b, p, "pandoc's JSON: read it with -f pandoc-json");
  if (!json_object_get(obj, "text"))
    return fail_at(b, p, "an object with neither \"quire\" (a quire "
                         "document) nor \"text\" (a record)");
  int rc = get_string(b, obj, "text", 1, p, &text, &n);
  if (rc != QUIRE_OK)
    return rc;
  const char *key;
  const json_t *v;
  json_object_foreach((json_t *)obj, key, v) {
    if (strcmp(key, "text") == 0)
      continue;
    if ((strcmp(key, "metadata") == 0 || strcmp(key, "meta") == 0) &&
        json_is_object(v)) {
      json_path here = {p, key, 0};
      const char *k2;
      const json_t *v2;
      json_object_foreach((json_t *)v, k2, v2) {
        rc = add_meta(b, k2, v2, 0, &here);
        if (rc != QUIRE_OK)
          return rc;
      }
      continue;
    }
    const char *as = strcmp(key, "id") == 0     ? QUIRE_META_IDENTIFIER
                     : strcmp(key, "lang") == 0 ? QUIRE_META_LANGUAGE
                                                : key;
    rc = add_meta(b, as, v, 0, p);
    if (rc != QUIRE_OK)
      return rc;
  }
  return text_blocks(b, text, n);
}

int json_build(quire_env *env, const json_t *value, const quire_loc *loc,
               unsigned long number, quire_doc **doc) {
  builder b = {.env = env, .svc = env->svc, .loc = loc, .number = number,
               .result = QUIRE_OK};
  *doc = NULL;
  if (!json_is_object(value))
    return fail_at(&b, NULL, "%s where a document (an object) belongs",
                   kind_of(value));
  b.doc = env->svc->doc_new();
  if (!b.doc)
    return out_of_memory(&b);
  int rc = json_object_get(value, "quire") ? build_quire(&b, value, NULL)
                                           : build_record(&b, value, NULL);
  if (rc != QUIRE_OK) {
    env->svc->doc_free(b.doc);
    return rc;
  }
  *doc = b.doc;
  return b.result;
}
