/* pandoc_read.c - the pandoc-json reader: JSON text to documents.
 *
 * The whole input is parsed with jansson (json_loadb, duplicate keys
 * refused; a syntax error gives its line and column), and must be an
 * object {"pandoc-api-version": [1, 22 or 23, ...], "meta": {...},
 * "blocks": [...]}: pandoc-types 1.22 (pandoc 2.11 to 2.19) and 1.23
 * (pandoc 3) differ only by 1.23's Figure block; in 1.22 a figure is a
 * paragraph holding only an image titled "fig:...", which the builder
 * reads as a figure.
 * Other versions are refused, naming the version.
 *
 * The pandoc document is one quire document, its metadata from the meta
 * (pandoc_read_meta.c) and its tree from the blocks (pandoc_build.c) --
 * unless every top-level block is a Div of class "quire-document", as the
 * writer makes for a corpus of several documents: then each such Div is a
 * document, its metadata from the Div's attributes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pandoc.h"

typedef struct pandoc_reader {
  quire_input *in;
  json_t *root;              /* the parsed input */
  const json_t *blocks;
  const json_t *meta;
  int loaded;                /* parsing was tried */
  int split;                 /* one document per quire-document Div */
  int api_minor;             /* 22 or 23 */
  size_t next;               /* the next document: a block index */
  int done;
} pandoc_reader;

int pandoc_read_open(quire_env *env, quire_input *in,
                     const quire_options *opts, void **state) {
  (void)opts;
  pandoc_reader *r = calloc(1, sizeof *r);
  if (!r) {
    quire_loc loc = {.file = env->svc->input_name(in)};
    env->svc->error(env, &loc, "out of memory");
    return QUIRE_FATAL;
  }
  r->in = in;
  *state = r;
  return QUIRE_OK;
}

/* The line and column of byte `pos` of s, counting characters. */
static quire_loc where(const char *name, const char *s, size_t pos) {
  quire_loc loc = {.file = name, .line = 1, .column = 1,
                   .offset = (unsigned long long)pos + 1};
  for (size_t i = 0; i < pos; i++) {
    if (s[i] == '\n') {
      loc.line++;
      loc.column = 1;
    } else if (((unsigned char)s[i] & 0xC0) != 0x80) {
      loc.column++;
    }
  }
  return loc;
}

static int refuse(quire_env *env, const char *name, const char *what) {
  quire_loc loc = {.file = name};
  env->svc->error(env, &loc, "not a pandoc JSON document: %s", what);
  return QUIRE_FAILED;
}

/* "1.22.2.1" from the version array, into buf. */
static const char *version_text(const json_t *v, char *buf, size_t size) {
  size_t used = 0;
  buf[0] = '\0';
  size_t i;
  const json_t *part;
  json_array_foreach(v, i, part) {
    if (used >= size)
      break;
    if (json_is_integer(part))
      used += (size_t)snprintf(buf + used, size - used, "%s%lld", i ? "." : "",
                               (long long)json_integer_value(part));
    else
      used += (size_t)snprintf(buf + used, size - used, "%s?", i ? "." : "");
  }
  return buf;
}

static int check_version(quire_env *env, const char *name, const json_t *v) {
  if (!json_is_array(v) || json_array_size(v) < 2 ||
      !json_is_integer(json_array_get(v, 0)) ||
      !json_is_integer(json_array_get(v, 1)))
    return refuse(env, name, v ? "its pandoc-api-version is not a list of "
                                 "numbers"
                               : "no pandoc-api-version");
  json_int_t major = json_integer_value(json_array_get(v, 0));
  json_int_t minor = json_integer_value(json_array_get(v, 1));
  if (major == 1 && (minor == 22 || minor == 23))
    return QUIRE_OK;
  char text[64];
  quire_loc loc = {.file = name};
  env->svc->error(env, &loc,
                  "pandoc API version %s is not supported: quire reads 1.22 "
                  "(pandoc 2.11 to 2.19) and 1.23 (pandoc 3)",
                  version_text(v, text, sizeof text));
  return QUIRE_FAILED;
}

/* Whether a block is a Div of class quire-document. */
static int doc_div(const json_t *el) {
  if (!pandoc_is(pandoc_tag(el), "Div"))
    return 0;
  const json_t *attr = json_array_get(json_object_get(el, "c"), 0);
  const json_t *classes = json_array_get(attr, 1);
  size_t i;
  const json_t *cls;
  json_array_foreach(classes, i, cls) {
    if (pandoc_is(json_string_value(cls), PANDOC_DOC_CLASS))
      return 1;
  }
  return 0;
}

static int load(quire_env *env, pandoc_reader *r) {
  const quire_services *svc = env->svc;
  const char *name = svc->input_name(r->in);
  char *bytes;
  size_t len;
  int rc = svc->input_read_all(env, r->in, &bytes, &len);
  if (rc != QUIRE_OK)
    return rc < 0 ? rc : QUIRE_FAILED;   /* the message is set */
  size_t start = len >= 3 && memcmp(bytes, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
  json_error_t err;
  r->root = json_loadb(bytes + start, len - start,
                       JSON_REJECT_DUPLICATES | JSON_DISABLE_EOF_CHECK, &err);
  if (!r->root) {
    size_t pos = err.position > 0 ? (size_t)err.position : 0;
    quire_loc loc = where(name, bytes, start + pos < len ? start + pos : len);
    if (err.line > 0) {
      loc.line = (unsigned long)err.line;
      loc.column = err.column > 0 ? (unsigned long)err.column : 0;
    }
    /* jansson names its own flag; say what it means. */
    const char *text = strstr(err.text, "JSON_ALLOW_NUL")
                           ? "a string holds \\u0000, which text cannot hold"
                           : err.text;
    svc->error(env, &loc, "invalid JSON: %s", text);
    free(bytes);
    return QUIRE_FAILED;
  }
  /* JSON_DISABLE_EOF_CHECK stops after the value; only space may follow. */
  size_t end = start + (size_t)err.position;
  while (end < len && bytes[end] && strchr(" \t\r\n", bytes[end]))
    end++;
  if (end < len) {
    quire_loc loc = where(name, bytes, end);
    svc->error(env, &loc, "invalid JSON: data after the document");
    free(bytes);
    return QUIRE_FAILED;
  }
  free(bytes);
  if (!json_is_object(r->root))
    return refuse(env, name, "the top level is not an object");
  const json_t *version = json_object_get(r->root, "pandoc-api-version");
  rc = check_version(env, name, version);
  if (rc != QUIRE_OK)
    return rc;
  r->api_minor = (int)json_integer_value(json_array_get(version, 1));
  r->blocks = json_object_get(r->root, "blocks");
  r->meta = json_object_get(r->root, "meta");
  if (!json_is_array(r->blocks))
    return refuse(env, name, "no blocks list");
  if (r->meta && !json_is_object(r->meta))
    return refuse(env, name, "its meta is not an object");
  r->split = json_array_size(r->blocks) > 0;
  size_t i;
  const json_t *el;
  json_array_foreach(r->blocks, i, el)
    r->split &= doc_div(el);
  return QUIRE_OK;
}

/* A quire-document Div's attributes [[key, value]...] as metadata. */
static int attr_meta(quire_env *env, quire_doc *doc, const json_t *pairs) {
  size_t i;
  const json_t *kv;
  json_array_foreach(pairs, i, kv) {
    const char *key = json_string_value(json_array_get(kv, 0));
    const char *value = json_string_value(json_array_get(kv, 1));
    if (key && value && key[0] && value[0] &&
        env->svc->meta_add(doc, key, value) != QUIRE_OK)
      return QUIRE_FAILED;
  }
  return QUIRE_OK;
}

/* One document from a block list, with the pandoc meta or a Div's
 * attribute pairs as its metadata. */
static int build_doc(quire_env *env, pandoc_reader *r, const json_t *blocks,
                     const json_t *meta, const json_t *pairs,
                     quire_doc **result) {
  const quire_services *svc = env->svc;
  const char *name = svc->input_name(r->in);
  quire_loc loc = {.file = name};
  quire_doc *doc = svc->doc_new();
  if (!doc) {
    svc->error(env, &loc, "out of memory");
    return QUIRE_FATAL;
  }
  int rc = QUIRE_OK;
  if (pairs) {
    if (attr_meta(env, doc, pairs) != QUIRE_OK) {
      svc->error(env, &loc, "out of memory");
      rc = QUIRE_FATAL;
    }
  } else if (meta) {
    rc = pandoc_read_meta(env, doc, meta, name);
  }
  if (rc == QUIRE_OK) {
    pandoc_builder b = {.env = env, .svc = svc, .doc = doc, .name = name,
                        .api_minor = r->api_minor,
                        .max_depth = svc->limit(env, "max-depth")};
    rc = pandoc_build(&b, blocks);
    json_out_free(&b.text);
  }
  if (rc != QUIRE_OK) {
    svc->doc_free(doc);
    return rc;
  }
  *result = doc;
  return QUIRE_OK;
}

int pandoc_read_next(quire_env *env, void *state, quire_doc **doc) {
  pandoc_reader *r = state;
  if (!r->loaded) {
    r->loaded = 1;
    int rc = load(env, r);
    if (rc != QUIRE_OK) {
      r->done = 1;
      return rc;
    }
  }
  if (r->done)
    return QUIRE_DONE;
  if (!r->split) {
    r->done = 1;
    return build_doc(env, r, r->blocks, r->meta, NULL, doc);
  }
  if (r->next >= json_array_size(r->blocks)) {
    r->done = 1;
    return QUIRE_DONE;
  }
  const json_t *c = json_object_get(json_array_get(r->blocks, r->next++), "c");
  return build_doc(env, r, json_array_get(c, 1), NULL,
                   json_array_get(json_array_get(c, 0), 2), doc);
}

void pandoc_read_close(quire_env *env, void *state) {
  (void)env;
  pandoc_reader *r = state;
  json_decref(r->root);
  free(r);
}
