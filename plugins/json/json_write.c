/* json_write.c - the json and jsonl writers.
 *
 * Each document becomes one JSON object, built in a buffer by a walk of
 * its tree and handed to the output whole: one document is in memory at a
 * time.  jsonl writes one object per line.  json writes an output holding
 * one document as that object and a corpus as an array, so the first
 * document is held back until the second (or the end) shows which. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"

typedef struct json_writer {
  quire_output *out;
  int lines;               /* jsonl */
  unsigned fields;         /* JF_* */
  unsigned long n_docs;
  json_out doc;            /* the document being built */
  json_out first;          /* json: the first document, held back */
  char *last_source;       /* for ids: the previous document's source */
  unsigned long same_source;
} json_writer;

static const struct {
  const char *name;
  unsigned bit;
} field_names[] = {
    {"quire", JF_QUIRE}, {"id", JF_ID},         {"title", JF_TITLE},
    {"date", JF_DATE},   {"language", JF_LANGUAGE}, {"source", JF_SOURCE},
    {"url", JF_URL},     {"text", JF_TEXT},     {"meta", JF_META},
    {"blocks", JF_BLOCKS},
};
#define N_FIELDS (sizeof field_names / sizeof field_names[0])

/* Parses a comma-separated list of field names. */
static int parse_fields(quire_env *env, const char *option, const char *list,
                        unsigned *fields) {
  *fields = 0;
  const char *p = list;
  while (*p) {
    size_t n = strcspn(p, ",");
    size_t k;
    for (k = 0; k < N_FIELDS; k++)
      if (strlen(field_names[k].name) == n &&
          memcmp(field_names[k].name, p, n) == 0)
        break;
    if (k == N_FIELDS)
      return env->svc->usage_error(
          env, "--%s: unknown field \"%.*s\" (known: quire, id, title, "
               "date, language, source, url, text, meta, blocks)",
          option, (int)n, p);
    *fields |= field_names[k].bit;
    p += n;
    if (*p == ',')
      p++;
  }
  if (!*fields)
    return env->svc->usage_error(env, "--%s: no field named", option);
  return QUIRE_OK;
}

static int open_writer(quire_env *env, quire_output *out,
                       const quire_options *opts, int lines, void **state) {
  const char *option = lines ? "jsonl-fields" : "json-fields";
  unsigned fields = lines ? ~0u : (JF_QUIRE | JF_ID | JF_META | JF_BLOCKS);
  const char *list = env->svc->option(opts, option);
  if (list && parse_fields(env, option, list, &fields) != QUIRE_OK)
    return QUIRE_FATAL;
  json_writer *w = calloc(1, sizeof *w);
  if (!w) {
    env->svc->error(env, NULL, "out of memory");
    return QUIRE_FATAL;
  }
  w->out = out;
  w->lines = lines;
  w->fields = fields;
  *state = w;
  return QUIRE_OK;
}

int json_write_open(quire_env *env, quire_output *out,
                    const quire_options *opts, const quire_meta *corpus,
                    void **state) {
  (void)corpus;
  return open_writer(env, out, opts, 0, state);
}

int jsonl_write_open(quire_env *env, quire_output *out,
                     const quire_options *opts, const quire_meta *corpus,
                     void **state) {
  (void)corpus;
  return open_writer(env, out, opts, 1, state);
}

/* ---- Metadata -------------------------------------------------------------- */

/* The metadata as an object, keys in order of first appearance, a
 * repeated key's values as an array.  Keys seen are found by a small hash
 * table, so that a page with thousands of <meta> stays linear. */
static uint32_t key_hash(const char *s) {
  uint32_t h = 2166136261u;
  for (; *s; s++)
    h = (h ^ (unsigned char)*s) * 16777619u;
  return h;
}

static void write_meta(json_out *b, const quire_meta *meta) {
  size_t n = 0;
  for (const quire_meta *m = meta; m; m = m->next)
    n++;
  size_t cap = 16;
  while (cap < 2 * n)
    cap *= 2;
  const quire_meta **seen = calloc(cap, sizeof *seen);
  if (!seen) {
    b->failed = 1;
    return;
  }
  json_out_puts(b, "{");
  int first = 1;
  for (const quire_meta *m = meta; m; m = m->next) {
    size_t slot = key_hash(m->key) & (cap - 1);
    while (seen[slot] && strcmp(seen[slot]->key, m->key) != 0)
      slot = (slot + 1) & (cap - 1);
    if (seen[slot])
      continue;   /* written with its first occurrence */
    seen[slot] = m;
    size_t count = 0;
    for (const quire_meta *o = m; o; o = o->next)
      if (strcmp(o->key, m->key) == 0)
        count++;
    if (!first)
      json_out_puts(b, ",");
    first = 0;
    json_out_cstring(b, m->key);
    json_out_puts(b, ":");
    if (count == 1) {
      json_out_cstring(b, m->value);
      continue;
    }
    json_out_puts(b, "[");
    int first_value = 1;
    for (const quire_meta *o = m; o; o = o->next)
      if (strcmp(o->key, m->key) == 0) {
        if (!first_value)
          json_out_puts(b, ",");
        first_value = 0;
        json_out_cstring(b, o->value);
      }
    json_out_puts(b, "]");
  }
  json_out_puts(b, "}");
  free(seen);
}

/* ---- The tree --------------------------------------------------------------- */

static void field_string(json_out *b, const char *name, const char *value) {
  if (!value)
    return;
  json_out_puts(b, ",\"");
  json_out_puts(b, name);
  json_out_puts(b, "\":");
  json_out_cstring(b, value);
}

static void field_text(json_out *b, const char *name, const quire_node *n) {
  json_out_puts(b, ",\"");
  json_out_puts(b, name);
  json_out_puts(b, "\":\"");
  json_out_escape(b, n->text ? n->text : "", n->text ? n->len : 0);
  json_out_puts(b, "\"");
}

static void field_int(json_out *b, const char *name, int value) {
  char num[32];
  snprintf(num, sizeof num, ",\"%s\":%d", name, value);
  json_out_puts(b, num);
}

/* A node's type and fields, without the closing brace. */
static void open_node(const quire_services *svc, json_out *b,
                      const quire_node *n) {
  static const char *const aligns[] = {NULL, "left", "center", "right"};
  json_out_puts(b, "{\"type\":\"");
  json_out_puts(b, svc->node_type_name(n->type));
  json_out_puts(b, "\"");
  switch (n->type) {
  case QUIRE_NODE_SECTION:
    field_string(b, "info", n->info);
    break;
  case QUIRE_NODE_HEADING:
    field_int(b, "level", n->level);
    break;
  case QUIRE_NODE_ORDERED_LIST:
    if (n->start != 1)
      field_int(b, "start", n->start);
    break;
  case QUIRE_NODE_CODE_BLOCK:
    field_string(b, "language", n->info);
    field_text(b, "text", n);
    break;
  case QUIRE_NODE_TABLE_ROW:
    if (n->header)
      json_out_puts(b, ",\"header\":true");
    break;
  case QUIRE_NODE_TABLE_CELL:
    if (n->align > QUIRE_ALIGN_NONE && n->align <= QUIRE_ALIGN_RIGHT)
      field_string(b, "align", aligns[n->align]);
    break;
  case QUIRE_NODE_RAW_BLOCK:
  case QUIRE_NODE_RAW_INLINE:
    field_string(b, "format", n->info);
    field_text(b, "text", n);
    break;
  case QUIRE_NODE_CODE:
    field_text(b, "text", n);
    break;
  case QUIRE_NODE_LINK:
  case QUIRE_NODE_IMAGE:
    field_string(b, "url", n->url ? n->url : "");
    field_string(b, "title", n->title);
    break;
  default:
    break;
  }
}

static void write_blocks(const quire_services *svc, json_out *b,
                         const quire_doc *doc) {
  json_out_puts(b, "[");
  quire_iter it;
  svc->iter_init(&it, doc->root);
  svc->iter_next(&it);   /* the DOCUMENT root */
  while (svc->iter_next(&it) != QUIRE_EV_DONE) {
    const quire_node *n = it.node;
    if (n == doc->root)
      break;
    if (it.event == QUIRE_EV_EXIT) {
      json_out_puts(b, "]}");
      continue;
    }
    if (n->prev)
      json_out_puts(b, ",");
    if (n->type == QUIRE_NODE_TEXT) {
      json_out_puts(b, "\"");
      json_out_escape(b, n->text, n->len);
      json_out_puts(b, "\"");
      continue;
    }
    open_node(svc, b, n);
    if (svc->node_is_leaf(n->type))
      json_out_puts(b, "}");
    else
      json_out_puts(b, ",\"content\":[");
  }
  json_out_puts(b, "]");
}

/* ---- Documents ---------------------------------------------------------- */

/* The document's id: its identifier, else its source with "#N" for the
 * Nth document of one input, else its place in the output. */
static void write_id(json_writer *w, json_out *b, const quire_services *svc,
                     const quire_doc *doc) {
  const char *id = svc->meta_get(doc->meta, QUIRE_META_IDENTIFIER);
  const char *source = svc->meta_get(doc->meta, QUIRE_META_SOURCE);
  if (source && w->last_source && strcmp(source, w->last_source) == 0) {
    w->same_source++;
  } else {
    free(w->last_source);
    w->last_source = source ? strdup(source) : NULL;
    if (source && !w->last_source)
      b->failed = 1;
    w->same_source = 1;
  }
  char num[48];
  json_out_puts(b, ",\"id\":");
  if (id) {
    json_out_cstring(b, id);
  } else if (source) {
    json_out_puts(b, "\"");
    json_out_escape(b, source, strlen(source));
    if (w->same_source > 1) {
      snprintf(num, sizeof num, "#%lu", w->same_source);
      json_out_puts(b, num);
    }
    json_out_puts(b, "\"");
  } else {
    snprintf(num, sizeof num, "\"doc-%lu\"", w->n_docs);
    json_out_puts(b, num);
  }
}

static void write_object(json_writer *w, const quire_services *svc,
                         const quire_doc *doc) {
  static const struct {
    unsigned bit;
    const char *key;
  } copies[] = {{JF_TITLE, QUIRE_META_TITLE},
                {JF_DATE, QUIRE_META_DATE},
                {JF_LANGUAGE, QUIRE_META_LANGUAGE},
                {JF_SOURCE, QUIRE_META_SOURCE},
                {JF_URL, "url"}};
  json_out *b = &w->doc;
  b->len = 0;
  /* Every field is written with a leading comma; the first one's is
   * dropped at the end. */
  json_out_puts(b, "{");
  size_t start = b->len;
  if (w->fields & JF_QUIRE)
    json_out_puts(b, ",\"quire\":\"" JSON_FORMAT_VERSION "\"");
  if (w->fields & JF_ID)
    write_id(w, b, svc, doc);
  for (size_t i = 0; i < sizeof copies / sizeof copies[0]; i++)
    if (w->fields & copies[i].bit)
      field_string(b, copies[i].key, svc->meta_get(doc->meta, copies[i].key));
  if (w->fields & JF_TEXT) {
    json_out_puts(b, ",\"text\":\"");
    json_text(svc, doc, b);
    json_out_puts(b, "\"");
  }
  if (w->fields & JF_META) {
    json_out_puts(b, ",\"meta\":");
    write_meta(b, doc->meta);
  }
  if (w->fields & JF_BLOCKS) {
    json_out_puts(b, ",\"blocks\":");
    write_blocks(svc, b, doc);
  }
  json_out_puts(b, "}");
  if (!b->failed && b->len > start + 1 && b->s[start] == ',') {
    memmove(b->s + start, b->s + start + 1, b->len - start - 1);
    b->len--;
  }
}

static int put(quire_env *env, json_writer *w, const char *s, size_t n) {
  return env->svc->output_write(env, w->out, s, n);
}

int json_write_doc(quire_env *env, void *state, const quire_doc *doc) {
  json_writer *w = state;
  w->n_docs++;
  write_object(w, env->svc, doc);
  if (w->doc.failed) {
    env->svc->error(env, NULL, "out of memory");
    return QUIRE_FATAL;
  }
  if (w->lines) {
    json_out_puts(&w->doc, "\n");
    return w->doc.failed ? QUIRE_FATAL
                         : put(env, w, w->doc.s, w->doc.len);
  }
  if (w->n_docs == 1) {   /* held back: an object or an array's first? */
    json_out_put(&w->first, w->doc.s, w->doc.len);
    if (w->first.failed) {
      env->svc->error(env, NULL, "out of memory");
      return QUIRE_FATAL;
    }
    return QUIRE_OK;
  }
  int rc = QUIRE_OK;
  if (w->n_docs == 2) {
    rc = put(env, w, "[\n", 2);
    if (rc == QUIRE_OK)
      rc = put(env, w, w->first.s, w->first.len);
    json_out_free(&w->first);
  }
  if (rc == QUIRE_OK)
    rc = put(env, w, ",\n", 2);
  if (rc == QUIRE_OK)
    rc = put(env, w, w->doc.s, w->doc.len);
  return rc;
}

int json_write_close(quire_env *env, void *state, int ok) {
  json_writer *w = state;
  int rc = QUIRE_OK;
  if (ok && !w->lines) {
    if (w->n_docs == 0)
      rc = put(env, w, "[]\n", 3);
    else if (w->n_docs == 1) {
      rc = put(env, w, w->first.s, w->first.len);
      if (rc == QUIRE_OK)
        rc = put(env, w, "\n", 1);
    } else
      rc = put(env, w, "\n]\n", 3);
  }
  json_out_free(&w->doc);
  json_out_free(&w->first);
  free(w->last_source);
  free(w);
  return rc;
}
