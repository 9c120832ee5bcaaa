/* json_build.c - a JSON value to a document, checked as it is built.
 *
 * A quire document object (it has a `quire` version) is checked against
 * the format of docs/formats/json.md: its metadata here, its tree in
 * json_build_node.c, its resources here (their base64 decoded, their size
 * and digest checked, and given to the core).  Any other object with a
 * `text` string is a record of a corpus pipeline.  Errors name the place
 * in the document as a path: blocks[3].content[0]. */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json_build.h"

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

int jb_fail(builder *b, const json_path *p, const char *fmt, ...) {
  char what[512], where[256];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(what, sizeof what, fmt, ap);
  va_end(ap);
  path_text(p, where, sizeof where);
  quire_loc loc = json_locate(b->loc, b->text, b->len, p);
  b->svc->error(b->env, &loc, "not a quire document: document %lu: %s%s%s",
                b->number, where, where[0] ? ": " : "", what);
  return QUIRE_FAILED;
}

int jb_oom(builder *b) {
  b->svc->error(b->env, b->loc, "out of memory");
  return QUIRE_FATAL;
}

const char *jb_kind_of(const json_t *v) {
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
int jb_string(builder *b, const json_t *obj, const char *key,
                      int required, const json_path *p, const char **s,
                      size_t *n) {
  const json_t *v = json_object_get(obj, key);
  *s = NULL;
  *n = 0;
  json_path here = {p, key, 0};
  if (!v)
    return required ? jb_fail(b, p, "\"%s\" is missing", key) : QUIRE_OK;
  if (!json_is_string(v))
    return jb_fail(b, &here, "%s where a string belongs", jb_kind_of(v));
  *s = json_string_value(v);
  *n = json_string_length(v);
  if (strlen(*s) != *n)
    return jb_fail(b, &here, "U+0000 (NUL) in a string, which quire cannot "
                             "keep");
  return QUIRE_OK;
}

/* An integer member in [min, max], or def when absent. */
int jb_int(builder *b, const json_t *obj, const char *key, int def,
                   long long min, long long max, const json_path *p,
                   int *out) {
  const json_t *v = json_object_get(obj, key);
  json_path here = {p, key, 0};
  *out = def;
  if (!v)
    return QUIRE_OK;
  if (!json_is_integer(v))
    return jb_fail(b, &here, "%s where an integer belongs", jb_kind_of(v));
  json_int_t i = json_integer_value(v);
  if (i < min || i > max)
    return jb_fail(b, &here, "%" JSON_INTEGER_FORMAT " is out of range "
                             "(%lld to %lld)", i, min, max);
  *out = (int)i;
  return QUIRE_OK;
}

int jb_bool(builder *b, const json_t *obj, const char *key,
            const json_path *p, int *out) {
  const json_t *v = json_object_get(obj, key);
  *out = 0;
  if (!v)
    return QUIRE_OK;
  if (!json_is_boolean(v)) {
    json_path here = {p, key, 0};
    return jb_fail(b, &here, "%s where a boolean belongs", jb_kind_of(v));
  }
  *out = json_is_true(v);
  return QUIRE_OK;
}

char *jb_copy(builder *b, const char *s, size_t n) {
  return s ? b->svc->strndup(b->doc, s, n) : NULL;
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
      return jb_fail(b, where, "%s where a string belongs", jb_kind_of(item));
    if (!text) {
      if (b->svc->verbose(b->env))
        b->svc->info(b->env, b->loc,
                     "document %lu: field \"%s\" skipped: %s is not a "
                     "string, number or boolean",
                     b->number, key, jb_kind_of(item));
      continue;
    }
    if (json_is_string(item) && strlen(text) != json_string_length(item))
      return jb_fail(b, where, "U+0000 (NUL) in a string, which quire "
                               "cannot keep");
    if (b->svc->meta_add(b->doc, key, text) != QUIRE_OK)
      return jb_oom(b);
  }
  return QUIRE_OK;
}

/* ---- Documents ----------------------------------------------------------- */

/* The version "MAJOR.MINOR": any 1.x is read; one of a minor this quire
 * knows is held to it (b->strict). */
static int check_version(builder *b, const json_t *obj, const json_path *p) {
  const char *version;
  size_t n;
  int rc = jb_string(b, obj, "quire", 1, p, &version, &n);
  if (rc != QUIRE_OK)
    return rc;
  json_path here = {p, "quire", 0};
  char *end, *end2 = NULL;
  errno = 0;
  long major = strtol(version, &end, 10);
  long minor = -1;
  if (end != version && *end == '.' && end[1] >= '0' && end[1] <= '9')
    minor = strtol(end + 1, &end2, 10);
  if (minor < 0 || *end2 || errno || version[0] < '0' || version[0] > '9')
    return jb_fail(b, &here, "\"%s\" is not a version (MAJOR.MINOR)",
                   version);
  if (major != JSON_FORMAT_MAJOR)
    return jb_fail(b, &here, "version %s: this quire reads version %d.x",
                   version, JSON_FORMAT_MAJOR);
  b->strict = minor <= JSON_FORMAT_MINOR;
  return QUIRE_OK;
}

/* A resource's name as the core takes it: a relative path without an
 * empty, "." or ".." segment. */
static int name_ok(const char *name) {
  if (!*name || *name == '/')
    return 0;
  for (const char *seg = name; *seg;) {
    size_t len = strcspn(seg, "/");
    if (len == 0 || (len == 1 && seg[0] == '.') ||
        (len == 2 && seg[0] == '.' && seg[1] == '.'))
      return 0;
    seg += len;
    if (*seg == '/' && !*++seg)
      return 0;   /* a trailing slash */
  }
  return 1;
}

/* One resource object with its bytes, checked and given to the core.
 * *skipped counts those without bytes (written with
 * --json-resources=list), which the document cannot keep. */
static int build_resource(builder *b, const json_t *r, const json_path *p,
                          unsigned long *skipped) {
  if (!json_is_object(r))
    return jb_fail(b, p, "%s where a resource (an object) belongs",
                   jb_kind_of(r));
  const char *name, *type, *digest, *data;
  size_t name_len, type_len, digest_len, data_len;
  int cover;
  int rc = jb_string(b, r, "name", 1, p, &name, &name_len);
  if (rc == QUIRE_OK)
    rc = jb_string(b, r, "media_type", 0, p, &type, &type_len);
  if (rc == QUIRE_OK)
    rc = jb_string(b, r, "sha256", 0, p, &digest, &digest_len);
  if (rc == QUIRE_OK)
    rc = jb_bool(b, r, "cover", p, &cover);
  if (rc == QUIRE_OK)
    rc = jb_string(b, r, "data", 0, p, &data, &data_len);
  if (rc != QUIRE_OK)
    return rc;
  const json_t *size_v = json_object_get(r, "size");
  json_int_t size = -1;
  json_path at_size = {p, "size", 0};
  if (size_v && (!json_is_integer(size_v) || json_integer_value(size_v) < 0))
    return jb_fail(b, &at_size, "%s where a size in bytes belongs",
                   json_is_integer(size_v) ? "a negative number"
                                           : jb_kind_of(size_v));
  if (size_v)
    size = json_integer_value(size_v);
  json_path at_name = {p, "name", 0};
  if (!name_ok(name))
    return jb_fail(b, &at_name, "\"%s\" is not a resource name (a relative "
                                "path without \"..\")", name);
  if (b->svc->res_find(b->doc, name))
    return jb_fail(b, &at_name, "a second resource named \"%s\"", name);
  json_path at_digest = {p, "sha256", 0};
  if (digest && (digest_len != 64 || strspn(digest, "0123456789abcdef") != 64))
    return jb_fail(b, &at_digest, "\"%s\" is not a SHA-256 digest (64 "
                                  "lowercase hexadecimal digits)", digest);
  if (!data) {
    ++*skipped;
    return QUIRE_OK;
  }
  unsigned char *bytes;
  size_t len;
  rc = json_base64_decode(data, data_len, &bytes, &len);
  json_path at_data = {p, "data", 0};
  if (rc == QUIRE_FATAL)
    return jb_oom(b);
  if (rc != QUIRE_OK)
    return jb_fail(b, &at_data, "not base64");
  char hex[65];
  if (size >= 0 && (unsigned long long)size != len) {
    rc = jb_fail(b, &at_size, "%" JSON_INTEGER_FORMAT " bytes said, %zu in "
                              "\"data\"", size, len);
  } else if (digest && (json_sha256_hex(bytes, len, hex),
                        strcmp(hex, digest) != 0)) {
    rc = jb_fail(b, &at_digest, "the bytes of \"data\" have another digest "
                                "(%s)", hex);
  } else {
    const quire_resource *res = NULL;
    rc = b->svc->res_add(b->doc, name, type, cover ? QUIRE_RES_COVER : 0,
                         bytes, len, &res);
    if (rc == QUIRE_WARN) {
      b->svc->warn(b->env, b->loc, "document %lu: resource %s: declared %s, "
                                   "its bytes are %s",
                   b->number, name, type, res->media_type);
      b->result = QUIRE_WARN;
      rc = QUIRE_OK;
    } else if (rc != QUIRE_OK) {
      b->svc->error(b->env, b->loc, "document %lu: resource %s: out of "
                                    "memory or temporary space",
                    b->number, name);
      rc = QUIRE_FATAL;
    }
  }
  free(bytes);
  return rc;
}

static int build_resources(builder *b, const json_t *list,
                           const json_path *p) {
  if (!json_is_array(list))
    return jb_fail(b, p, "%s where an array belongs", jb_kind_of(list));
  unsigned long skipped = 0;
  size_t i;
  const json_t *r;
  json_array_foreach(list, i, r) {
    json_path here = {p, NULL, i};
    int rc = build_resource(b, r, &here, &skipped);
    if (rc != QUIRE_OK)
      return rc;
  }
  if (skipped) {
    b->svc->warn(b->env, b->loc,
                 "document %lu: %lu resource%s without \"data\" (written "
                 "with --json-resources=list) left out: images that show "
                 "them are unresolved",
                 b->number, skipped, skipped == 1 ? "" : "s");
    b->result = QUIRE_WARN;
  }
  return QUIRE_OK;
}

static int build_quire(builder *b, const json_t *obj, const json_path *p) {
  int rc = check_version(b, obj, p);
  if (rc != QUIRE_OK)
    return rc;
  const json_t *meta = json_object_get(obj, "meta");
  if (meta) {
    json_path here = {p, "meta", 0};
    if (!json_is_object(meta))
      return jb_fail(b, &here, "%s where an object belongs", jb_kind_of(meta));
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
    return jb_fail(b, p, "\"blocks\" is missing");
  json_path here = {p, "blocks", 0};
  rc = jb_content(b, blocks, b->doc->root, &here);
  const json_t *resources = json_object_get(obj, "resources");
  if (rc == QUIRE_OK && resources) {
    json_path at = {p, "resources", 0};
    rc = build_resources(b, resources, &at);
  }
  return rc;
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
        return jb_oom(b);
    } else {
      quire_node *br = b->svc->node_new(b->doc, QUIRE_NODE_SOFT_BREAK);
      if (!br || b->svc->node_append(para, br) != QUIRE_OK)
        return jb_oom(b);
    }
    quire_node *t = b->svc->node_new_text(b->doc, QUIRE_NODE_TEXT, line, len);
    if (!t || b->svc->node_append(para, t) != QUIRE_OK)
      return jb_oom(b);
  }
  return QUIRE_OK;
}

static int build_record(builder *b, const json_t *obj, const json_path *p) {
  const char *text;
  size_t n;
  if (json_object_get(obj, "pandoc-api-version") &&
      !json_object_get(obj, "text"))
    return jb_fail(b, p, "pandoc's JSON: read it with -f pandoc-json");
  if (!json_object_get(obj, "text"))
    return jb_fail(b, p, "an object with neither \"quire\" (a quire "
                         "document) nor \"text\" (a record)");
  int rc = jb_string(b, obj, "text", 1, p, &text, &n);
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
               const char *text, size_t len, unsigned long number,
               quire_doc **doc) {
  builder b = {.env = env, .svc = env->svc, .loc = loc, .text = text,
               .len = len, .number = number, .result = QUIRE_OK};
  *doc = NULL;
  if (!json_is_object(value))
    return jb_fail(&b, NULL, "%s where a document (an object) belongs",
                   jb_kind_of(value));
  b.doc = env->svc->doc_new();
  if (!b.doc)
    return jb_oom(&b);
  int rc = json_object_get(value, "quire") ? build_quire(&b, value, NULL)
                                           : build_record(&b, value, NULL);
  if (rc != QUIRE_OK) {
    env->svc->doc_free(b.doc);
    return rc;
  }
  *doc = b.doc;
  return b.result;
}
