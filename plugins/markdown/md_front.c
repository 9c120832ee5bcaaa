/* md_front.c - YAML front matter: the metadata block at the top of a
 * Markdown file, as Jekyll, Hugo and pandoc write it.
 *
 * It is there when the first line is exactly "---" and a later line is
 * exactly "---" or "..." (a carriage return may end either); the lines
 * between are YAML, parsed with libyaml's document API (never by hand).
 * Without a closing line, the "---" is CommonMark's thematic break and the
 * rest is Markdown; so is a block whose YAML is a scalar or a list rather
 * than a mapping ("---", "Hello", "---" is a rule and a heading).  An empty
 * block is front matter with nothing in it.
 *
 * Keys: title, date and any other key with a scalar value become metadata
 * under their own name, lang becomes "language", author may be a scalar or
 * a list; a list of scalars repeats its key, once per scalar, in order.  A
 * key holding a mapping, or a list holding more than scalars, is skipped
 * with one warning naming it; so is a key that is not a scalar.  Empty and
 * null values (key:, ~, null) are no metadata.  Malformed YAML fails the
 * document, with libyaml's problem at its line and column in the file.
 *
 * libyaml's document API keeps an alias as a reference to its anchor's
 * node, and only one level below the top mapping is read, so aliases
 * cannot multiply the work ("billion laughs"). */
#include <string.h>

#include <yaml.h>

#include "md_read.h"

/* The length of the line at s (its newline included), and in *content
 * the length without the newline and a carriage return before it. */
static size_t line_at(const char *s, size_t len, size_t *content) {
  const char *nl = memchr(s, '\n', len);
  size_t n = nl ? (size_t)(nl - s) + 1 : len;
  size_t c = nl ? n - 1 : n;
  if (c && s[c - 1] == '\r')
    c--;
  *content = c;
  return n;
}

size_t md_front_find(const char *s, size_t len, const char **yaml,
                     size_t *yaml_len) {
  size_t c;
  size_t first = line_at(s, len, &c);
  if (c != 3 || memcmp(s, "---", 3) != 0 || first == c)
    return 0;
  for (size_t at = first; at < len;) {
    size_t n = line_at(s + at, len - at, &c);
    if (c == 3 &&
        (memcmp(s + at, "---", 3) == 0 || memcmp(s + at, "...", 3) == 0)) {
      *yaml = s + first;
      *yaml_len = at - first;
      return at + n;
    }
    at += n;
  }
  return 0;
}

/* The location of a libyaml mark: the YAML starts on line 2. */
static quire_loc mark_loc(const char *name, yaml_mark_t m) {
  quire_loc loc = {.file = name, .line = (unsigned long)m.line + 2,
                   .column = (unsigned long)m.column + 1};
  return loc;
}

static int is_null(const yaml_node_t *v) {
  const char *s = (const char *)v->data.scalar.value;
  size_t n = v->data.scalar.length;
  if (!n)
    return 1;
  if (v->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
    return 0;
  return (n == 1 && s[0] == '~') ||
         (n == 4 && (memcmp(s, "null", 4) == 0 || memcmp(s, "Null", 4) == 0 ||
                     memcmp(s, "NULL", 4) == 0));
}

static int skipped(quire_env *env, const char *name, const yaml_node_t *key,
                   const char *what) {
  quire_loc loc = mark_loc(name, key->start_mark);
  if (key->type == YAML_SCALAR_NODE)
    env->svc->warn(env, &loc, "front matter: '%.*s' %s",
                   (int)key->data.scalar.length,
                   (const char *)key->data.scalar.value, what);
  else
    env->svc->warn(env, &loc, "front matter: a key that is not a scalar "
                              "skipped");
  return QUIRE_OK;
}

static int add(quire_env *env, quire_doc *doc, const char *key,
               const yaml_node_t *v, int repeat) {
  if (is_null(v))
    return QUIRE_OK;
  const char *value = (const char *)v->data.scalar.value;
  /* libyaml's scalars may hold a NUL (written "\0"); text cannot. */
  if (strlen(value) != v->data.scalar.length)
    return QUIRE_DONE;
  int rc = repeat ? env->svc->meta_add(doc, key, value)
                  : env->svc->meta_set(doc, key, value);
  return rc == QUIRE_OK ? QUIRE_OK : QUIRE_FATAL;
}

/* One key and its value into the metadata. */
static int pair(quire_env *env, quire_doc *doc, const char *name,
                yaml_document_t *y, const yaml_node_pair_t *p) {
  yaml_node_t *k = yaml_document_get_node(y, p->key);
  yaml_node_t *v = yaml_document_get_node(y, p->value);
  if (!k || !v)
    return QUIRE_OK;
  if (k->type != YAML_SCALAR_NODE || !k->data.scalar.length ||
      strlen((const char *)k->data.scalar.value) != k->data.scalar.length)
    return skipped(env, name, k, "skipped");
  const char *key = (const char *)k->data.scalar.value;
  if (strcmp(key, "lang") == 0)
    key = QUIRE_META_LANGUAGE;
  int author = strcmp(key, QUIRE_META_AUTHOR) == 0;
  int rc = QUIRE_OK;
  switch (v->type) {
  case YAML_SCALAR_NODE:
    rc = add(env, doc, key, v, author);
    break;
  case YAML_SEQUENCE_NODE: {
    int others = 0;
    for (yaml_node_item_t *i = v->data.sequence.items.start;
         rc >= QUIRE_OK && i < v->data.sequence.items.top; i++) {
      yaml_node_t *item = yaml_document_get_node(y, *i);
      if (item && item->type == YAML_SCALAR_NODE)
        rc = add(env, doc, key, item, 1);
      else
        others = 1;
      if (rc == QUIRE_DONE) {
        others = 1;
        rc = QUIRE_OK;
      }
    }
    if (rc == QUIRE_OK && others)
      return skipped(env, name, k, "keeps only its plain values: its list "
                                   "also holds lists or mappings");
    break;
  }
  default:
    return skipped(env, name, k, "skipped: it holds a mapping");
  }
  if (rc == QUIRE_DONE)
    return skipped(env, name, k, "skipped: its value holds a NUL "
                                   "character");
  if (rc != QUIRE_OK) {
    quire_loc loc = {.file = name};
    env->svc->error(env, &loc, "out of memory");
  }
  return rc;
}

int md_front_read(quire_env *env, quire_doc *doc, const char *name,
                  const char *yaml, size_t len) {
  yaml_parser_t parser;
  yaml_document_t y;
  if (!yaml_parser_initialize(&parser)) {
    quire_loc loc = {.file = name};
    env->svc->error(env, &loc, "out of memory");
    return QUIRE_FATAL;
  }
  yaml_parser_set_input_string(&parser, (const unsigned char *)yaml, len);
  if (!yaml_parser_load(&parser, &y)) {
    quire_loc loc = mark_loc(name, parser.problem_mark);
    if (parser.error == YAML_MEMORY_ERROR) {
      env->svc->error(env, &loc, "out of memory");
      yaml_parser_delete(&parser);
      return QUIRE_FATAL;
    }
    if (parser.context)
      env->svc->error(env, &loc, "malformed YAML front matter: %s %s",
                      parser.problem ? parser.problem : "error",
                      parser.context);
    else
      env->svc->error(env, &loc, "malformed YAML front matter: %s",
                      parser.problem ? parser.problem : "error");
    yaml_parser_delete(&parser);
    return QUIRE_FAILED;
  }
  int rc = QUIRE_OK;
  yaml_node_t *root = yaml_document_get_root_node(&y);
  if (root && root->type != YAML_MAPPING_NODE)
    rc = QUIRE_DONE;
  else if (root)
    for (yaml_node_pair_t *p = root->data.mapping.pairs.start;
         rc == QUIRE_OK && p < root->data.mapping.pairs.top; p++)
      rc = pair(env, doc, name, &y, p);
  yaml_document_delete(&y);
  yaml_parser_delete(&parser);
  return rc;
}
