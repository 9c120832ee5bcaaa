/* metadata_file.c - --metadata-file FILE (see metadata_file.h). */
#include "metadata_file.h"

#include <jansson.h>
#include <yaml.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int add(metadata_list *l, const char *key, const char *value,
               size_t len) {
  quire_option *grown = realloc(l->items, (l->n + 1) * sizeof *grown);
  if (!grown)
    return -1;
  l->items = grown;
  char *k = strdup(key), *v = malloc(len + 1);
  if (!k || !v) {
    free(k);
    free(v);
    return -1;
  }
  memcpy(v, value, len);
  v[len] = '\0';
  l->items[l->n++] = (quire_option){k, v};
  return 0;
}

void metadata_list_free(metadata_list *l) {
  for (size_t i = 0; i < l->n; i++) {
    free((char *)l->items[i].name);
    free((char *)l->items[i].value);
  }
  free(l->items);
  l->items = NULL;
  l->n = 0;
}

/* One JSON value of `key`: text, number or boolean; -1 otherwise. */
static int json_scalar(metadata_list *l, const char *key, json_t *v) {
  char buf[64];
  switch (json_typeof(v)) {
  case JSON_STRING:
    return add(l, key, json_string_value(v), json_string_length(v));
  case JSON_INTEGER:
    snprintf(buf, sizeof buf, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
    return add(l, key, buf, strlen(buf));
  case JSON_REAL:
    snprintf(buf, sizeof buf, "%.17g", json_real_value(v));
    return add(l, key, buf, strlen(buf));
  case JSON_TRUE:
    return add(l, key, "true", 4);
  case JSON_FALSE:
    return add(l, key, "false", 5);
  case JSON_NULL:
    return 0;
  default:
    return -2;
  }
}

static const char *read_json(const char *path, const char *text, size_t len,
                             metadata_list *out, char *why, size_t size) {
  json_error_t err;
  json_t *root = json_loadb(text, len, 0, &err);
  if (!root) {
    snprintf(why, size, "--metadata-file %s:%d:%d: %s", path, err.line,
             err.column, err.text);
    return why;
  }
  const char *fail = NULL;
  if (!json_is_object(root)) {
    snprintf(why, size, "--metadata-file %s: the top is not an object of "
             "KEY: VALUE", path);
    fail = why;
  }
  const char *key;
  json_t *v;
  json_object_foreach(root, key, v) {
    if (fail)
      break;
    int rc = 0;
    if (json_is_array(v)) {
      size_t i;
      json_t *item;
      json_array_foreach(v, i, item) {
        if ((rc = json_scalar(out, key, item)) != 0)
          break;
      }
    } else
      rc = json_scalar(out, key, v);
    if (rc == -2) {
      snprintf(why, size, "--metadata-file %s: the value of '%s' is a "
               "mapping; quire's metadata values are text, numbers, "
               "booleans or lists of them", path, key);
      fail = why;
    } else if (rc) {
      snprintf(why, size, "out of memory");
      fail = why;
    }
  }
  json_decref(root);
  return fail;
}

static const char *read_yaml(const char *path, const char *text, size_t len,
                             metadata_list *out, char *why, size_t size) {
  yaml_parser_t parser;
  yaml_document_t doc;
  if (!yaml_parser_initialize(&parser)) {
    snprintf(why, size, "out of memory");
    return why;
  }
  yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
  if (!yaml_parser_load(&parser, &doc)) {
    snprintf(why, size, "--metadata-file %s:%lu:%lu: %s", path,
             (unsigned long)parser.problem_mark.line + 1,
             (unsigned long)parser.problem_mark.column + 1,
             parser.problem ? parser.problem : "not YAML");
    yaml_parser_delete(&parser);
    return why;
  }
  const char *fail = NULL;
  yaml_node_t *root = yaml_document_get_root_node(&doc);
  if (!root) {
    /* an empty file: no metadata */
  } else if (root->type != YAML_MAPPING_NODE) {
    snprintf(why, size, "--metadata-file %s: the top is not a mapping of "
             "KEY: VALUE", path);
    fail = why;
  } else {
    for (yaml_node_pair_t *p = root->data.mapping.pairs.start;
         !fail && p < root->data.mapping.pairs.top; p++) {
      yaml_node_t *k = yaml_document_get_node(&doc, p->key);
      yaml_node_t *v = yaml_document_get_node(&doc, p->value);
      if (!k || k->type != YAML_SCALAR_NODE || !v) {
        snprintf(why, size, "--metadata-file %s: a key that is not text",
                 path);
        fail = why;
        break;
      }
      const char *key = (const char *)k->data.scalar.value;
      yaml_node_item_t *first = NULL, *last = NULL;
      yaml_node_item_t one = p->value;
      if (v->type == YAML_SEQUENCE_NODE) {
        first = v->data.sequence.items.start;
        last = v->data.sequence.items.top;
      } else {
        first = &one;
        last = &one + 1;
      }
      for (yaml_node_item_t *it = first; !fail && it < last; it++) {
        yaml_node_t *n = yaml_document_get_node(&doc, *it);
        if (!n || n->type != YAML_SCALAR_NODE) {
          snprintf(why, size, "--metadata-file %s: the value of '%s' is a "
                   "mapping; quire's metadata values are text, numbers, "
                   "booleans or lists of them", path, key);
          fail = why;
          break;
        }
        const char *s = (const char *)n->data.scalar.value;
        size_t slen = n->data.scalar.length;
        /* a plain ~ or null, or nothing, is YAML's null: no entry */
        if (n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE &&
            (slen == 0 || strcmp(s, "~") == 0 || strcmp(s, "null") == 0))
          continue;
        if (add(out, key, s, slen) != 0) {
          snprintf(why, size, "out of memory");
          fail = why;
        }
      }
    }
  }
  yaml_document_delete(&doc);
  yaml_parser_delete(&parser);
  return fail;
}

const char *metadata_file_read(const char *path, metadata_list *out,
                               char *why, size_t size) {
  out->items = NULL;
  out->n = 0;
  FILE *f = fopen(path, "rb");
  if (!f) {
    snprintf(why, size, "--metadata-file %s: cannot open", path);
    return why;
  }
  size_t cap = 4096, len = 0;
  char *text = malloc(cap);
  size_t got;
  while (text && (got = fread(text + len, 1, cap - len, f)) > 0) {
    len += got;
    if (len == cap) {
      if (cap > (64u << 20)) {
        free(text);
        fclose(f);
        snprintf(why, size, "--metadata-file %s: larger than 64M", path);
        return why;
      }
      char *grown = realloc(text, cap * 2);
      if (!grown) {
        free(text);
        text = NULL;
        break;
      }
      text = grown;
      cap *= 2;
    }
  }
  int bad = ferror(f);
  fclose(f);
  if (!text || bad) {
    free(text);
    snprintf(why, size, "--metadata-file %s: cannot read", path);
    return why;
  }
  size_t skip = 0;
  while (skip < len && strchr(" \t\r\n", text[skip]))
    skip++;
  size_t plen = strlen(path);
  int json = (plen >= 5 && strcmp(path + plen - 5, ".json") == 0) ||
             (skip < len && text[skip] == '{');
  const char *fail = json ? read_json(path, text, len, out, why, size)
                          : read_yaml(path, text, len, out, why, size);
  free(text);
  if (fail)
    metadata_list_free(out);
  return fail;
}
