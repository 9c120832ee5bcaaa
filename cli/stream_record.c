/* stream_record.c - one record of `quire --stream`.
 *
 * A record is a JSON object on one line:
 *   {"id": ..., "content": "...", "format"?: "html", "encoding"?: "base64",
 *    "meta"?: {"title": "...", "author": ["...", "..."], ...}}
 * and gives one JSON object on one line:
 *   {"id": ..., "format": "txt", "content": "...", "meta": {...}}
 * ("encoding": "base64" too when the output format is binary), or
 *   {"id": ..., "error": {"message": "...", "line": N, "column": N}}.
 * With -t jsonl, a record that makes one document gives the jsonl writer's
 * own object for it (id, text, title ...), its id the record's.
 *
 * The content is converted with quire_convert from memory to memory, as a
 * source named after the record's id (see record_name).  The record's
 * meta is the document's metadata where the document has none of its
 * own (quire_job.doc_metadata); the output's meta is the document's
 * metadata after every transform.  jansson parses the records and prints
 * the small values; the content is escaped by the plugins' own JSON
 * buffer (plugins/common/json_out.c), and nettle's base64 codes binary
 * content. */
#include "stream_record.h"

#include <jansson.h>
#include <dedup_text.h>
#include <json_out.h>
#include <nettle/base64.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The names a record may use; any other is refused, so that a misspelt
 * field is not silently ignored. */
static const char *const record_keys[] = {"id", "content", "format",
                                          "encoding", "meta", NULL};

/* ---- Output records ---------------------------------------------------------- */

/* The object as one line, in memory the caller frees.  NULL when memory
 * is exhausted. */
static char *dump_line(json_t *obj, size_t *out_len) {
  char *s = json_dumps(obj, JSON_COMPACT);
  if (!s)
    return NULL;
  size_t n = strlen(s);
  char *line = realloc(s, n + 2);
  if (!line) {
    free(s);
    return NULL;
  }
  line[n] = '\n';
  line[n + 1] = '\0';
  *out_len = n + 1;
  return line;
}

/* {"id": id, "error": {"message": ..., "line": ..., "column": ...}}; line
 * and column are left out when 0. */
static char *error_record(json_t *id, const char *message, unsigned long line,
                          unsigned long column, size_t *out_len) {
  json_t *err = json_object(), *rec = json_object();
  char *out = NULL;
  if (err && rec && !json_object_set_new(err, "message", json_string(message)) &&
      (!line || !json_object_set_new(err, "line", json_integer((json_int_t)line))) &&
      (!column ||
       !json_object_set_new(err, "column", json_integer((json_int_t)column))) &&
      !json_object_set(rec, "id", id ? id : json_null()) &&
      !json_object_set(rec, "error", err))
    out = dump_line(rec, out_len);
  json_decref(err);
  json_decref(rec);
  return out;
}

/* ---- The document's metadata --------------------------------------------- */

/* What the written documents leave behind: the first one's metadata, and
 * how many there were. */
typedef struct collected {
  json_t *meta;              /* an object, or NULL */
  size_t documents;
  int oom;
  dedup_text *text;          /* with --dedup: every document's text */
} collected;

/* Adds key=value to obj: a string, or an array of them once the key
 * repeats (several authors). */
static int meta_put(json_t *obj, const char *key, const char *value) {
  json_t *v = json_string(value);
  if (!v)
    return -1;   /* not UTF-8 (the model's strings are), or memory */
  json_t *have = json_object_get(obj, key);
  if (!have)
    return json_object_set_new(obj, key, v);
  if (json_is_array(have))
    return json_array_append_new(have, v);
  json_t *list = json_array();
  if (!list || json_array_append(list, have) || json_array_append_new(list, v)) {
    json_decref(list);
    return -1;
  }
  return json_object_set_new(obj, key, list);
}

/* quire_job.written: keeps the first document's metadata ("source" is
 * the record's made-up name, so it is left out). */
static void on_written(void *user, const quire_doc *doc) {
  collected *c = user;
  static const dedup_walk walk = {quire_iter_init, quire_iter_next,
                                  quire_node_is_inline};
  if (c->text && !c->oom && dedup_text_add(&walk, doc->root, c->text) != 0)
    c->oom = 1;
  if (c->documents++ || c->oom)
    return;
  c->meta = json_object();
  if (!c->meta) {
    c->oom = 1;
    return;
  }
  for (const quire_meta *m = doc->meta; m; m = m->next)
    if (strcmp(m->key, QUIRE_META_SOURCE) != 0)
      meta_put(c->meta, m->key, m->value);
}

/* ---- Reading the record --------------------------------------------------- */

/* A record's fields, checked. */
typedef struct record {
  json_t *id;                /* borrowed from the parsed record */
  const char *format;
  unsigned char *bytes;      /* the content; owned when decoded */
  size_t len;
  int owned;
  quire_option *meta;        /* the document metadata it gives */
  size_t n_meta;
} record;

static void record_free(record *r) {
  if (r->owned)
    free(r->bytes);
  free(r->meta);
}

static const char *const bad_meta =
    "a value of the record's meta is not a string or a list of strings";

/* Checks the record and fills r; NULL, or what is wrong with it. */
static const char *record_read(json_t *rec, record *r) {
  if (!json_is_object(rec))
    return "a record is a JSON object";
  r->id = json_object_get(rec, "id");
  const char *key;
  json_t *value;
  json_object_foreach(rec, key, value) {
    int known = 0;
    for (int i = 0; record_keys[i]; i++)
      known |= strcmp(record_keys[i], key) == 0;
    if (!known)
      return "unknown field in the record (it has id, content, format, "
             "encoding and meta)";
  }
  if (!r->id || !(json_is_string(r->id) || json_is_integer(r->id)))
    return "the record has no id (a string or an integer)";
  json_t *content = json_object_get(rec, "content");
  if (!json_is_string(content))
    return "the record has no content (a string)";
  json_t *format = json_object_get(rec, "format");
  if (format && !json_is_string(format))
    return "the record's format is not a string";
  r->format = format ? json_string_value(format) : NULL;
  json_t *encoding = json_object_get(rec, "encoding");
  const char *text = json_string_value(content);
  size_t n = json_string_length(content);
  if (encoding) {
    if (!json_is_string(encoding) ||
        strcmp(json_string_value(encoding), "base64") != 0)
      return "the record's encoding is not \"base64\" (the only one)";
    struct base64_decode_ctx ctx;
    base64_decode_init(&ctx);
    size_t made = 0;
    if (!(r->bytes = malloc(BASE64_DECODE_LENGTH(n) + 1)))
      return "out of memory";
    r->owned = 1;
    if (!base64_decode_update(&ctx, &made, r->bytes, n, text) ||
        !base64_decode_final(&ctx))
      return "the record's content is not valid base64";
    r->len = made;
  } else {
    r->bytes = (unsigned char *)text;
    r->len = n;
  }
  json_t *meta = json_object_get(rec, "meta");
  if (meta && !json_is_object(meta))
    return "the record's meta is not an object";
  if (!meta)
    return NULL;
  size_t cap = 0;
  json_object_foreach(meta, key, value) {
    cap += json_is_array(value) ? json_array_size(value) : 1;
  }
  if (!(r->meta = calloc(cap + 1, sizeof *r->meta)))
    return "out of memory";
  json_object_foreach(meta, key, value) {
    size_t i;
    json_t *item;
    if (json_is_string(value)) {
      r->meta[r->n_meta++] = (quire_option){key, json_string_value(value)};
      continue;
    }
    if (!json_is_array(value))
      return bad_meta;
    json_array_foreach(value, i, item) {
      if (!json_is_string(item))
        return bad_meta;
      r->meta[r->n_meta++] = (quire_option){key, json_string_value(item)};
    }
  }
  return NULL;
}

/* ---- Converting --------------------------------------------------------------- */

/* The name the record's content goes by, in messages and as the title of
 * a document that has none: its id, as a file's name would be (an
 * extension in it chooses the reader when neither the record nor -f
 * names the format), or "record" for an id too long or holding a NUL or
 * a newline. */
static void record_name(const json_t *id, char *buf, size_t size) {
  const char *s = json_string_value(id);
  if (json_is_integer(id))
    snprintf(buf, size, "%lld", (long long)json_integer_value(id));
  else if (s && s[0] && strlen(s) < size && !strpbrk(s, "\n\r") &&
           json_string_length(id) == strlen(s))
    snprintf(buf, size, "%s", s);
  else
    snprintf(buf, size, "record");
}

/* Appends the JSON text of v to b (jansson prints the small values: the
 * id, the metadata). */
static void put_value(json_out *b, const json_t *v) {
  char *s = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
  if (!s) {
    b->failed = 1;
    return;
  }
  json_out_puts(b, s);
  free(s);
}

/* The end of the JSON string that starts at s[0] == '"' (the index of its
 * closing quote), or 0 when it has none. */
static size_t string_end(const char *s, size_t n) {
  for (size_t i = 1; i < n; i++) {
    if (s[i] == '\\')
      i++;
    else if (s[i] == '"')
      return i;
  }
  return 0;
}

/* -t jsonl, one document: the writer's object is the record, with the
 * record's id for the writer's.  The writer begins its object with
 * {"quire":"1.1","id":"..." or {"id":"..." (docs/formats/json.md), so the
 * id is replaced where it stands; an object laid out otherwise (other
 * --jsonl-fields) is parsed and printed again.  NULL when memory is
 * exhausted. */
static char *jsonl_record(const record *r, const char *out, size_t len,
                          size_t *out_len) {
  static const char *const heads[] = {"{\"quire\":\"1.1\",\"id\":",
                                      "{\"id\":"};
  while (len && (out[len - 1] == '\n' || out[len - 1] == '\r'))
    len--;
  for (int i = 0; i < 2; i++) {
    size_t h = strlen(heads[i]);
    size_t end = len > h && strncmp(out, heads[i], h) == 0 && out[h] == '"'
                     ? string_end(out + h, len - h)
                     : 0;
    if (!end)
      continue;
    json_out b = {0};
    json_out_put(&b, out, h);
    put_value(&b, r->id);
    json_out_put(&b, out + h + end + 1, len - h - end - 1);
    json_out_puts(&b, "\n");
    if (b.failed) {
      json_out_free(&b);
      return NULL;
    }
    *out_len = b.len;
    return b.s;
  }
  json_t *obj = json_loadb(out, len, JSON_ALLOW_NUL, NULL);
  char *line = NULL;
  if (json_is_object(obj) && !json_object_set(obj, "id", r->id))
    line = dump_line(obj, out_len);
  json_decref(obj);
  return line;
}

/* The output record of a conversion that succeeded: the content escaped
 * here in one pass (jansson's printer takes several times as long). */
static char *output_record(const stream_setup *st, const record *r,
                           const char *out, size_t len, collected *c,
                           size_t *out_len) {
  if (st->jsonl && c->documents == 1 && memchr(out, '\n', len) == out + len - 1)
    return jsonl_record(r, out, len, out_len);
  json_t *meta = c->meta ? c->meta : json_object();
  c->meta = NULL;
  json_out b = {0};
  json_out_puts(&b, "{\"id\":");
  put_value(&b, r->id);
  json_out_puts(&b, ",\"format\":");
  json_out_cstring(&b, st->to);
  if (st->binary) {
    json_out_puts(&b, ",\"encoding\":\"base64\",\"content\":\"");
    size_t coded = BASE64_ENCODE_RAW_LENGTH(len);
    char *s = malloc(coded + 1);
    if (s) {
      base64_encode_raw(s, len, (const uint8_t *)out);
      json_out_put(&b, s, coded);
      free(s);
    } else
      b.failed = 1;
    json_out_puts(&b, "\"");
  } else {
    json_out_puts(&b, ",\"content\":");
    json_out_string(&b, out, len);
  }
  json_out_puts(&b, ",\"meta\":");
  if (meta)
    put_value(&b, meta);
  else
    b.failed = 1;
  if (c->documents > 1) {
    char n[48];
    snprintf(n, sizeof n, ",\"documents\":%zu", c->documents);
    json_out_puts(&b, n);
  }
  json_out_puts(&b, "}\n");
  json_decref(meta);
  if (b.failed) {
    json_out_free(&b);
    return NULL;
  }
  *out_len = b.len;
  return b.s;
}

/* The record's id as JSON text, for stream_dedup; NULL when memory is
 * exhausted. */
static char *id_text(json_t *id) {
  return json_dumps(id, JSON_COMPACT | JSON_ENCODE_ANY);
}

char *stream_record(const stream_setup *st, const char *line, size_t len,
                    int too_long, unsigned long lineno, size_t *out_len,
                    int *failed, stream_sign *sign) {
  char message[1024];
  *failed = 1;
  if (sign) {
    sign->sig.words = 0;
    free(sign->id);
    sign->id = NULL;
  }
  if (too_long) {
    snprintf(message, sizeof message,
             "record %lu: longer than the limit max-input-size allows; "
             "raise it with --limit max-input-size=N", lineno);
    return error_record(NULL, message, lineno, 0, out_len);
  }
  json_error_t jerr;
  json_t *rec = json_loadb(line, len, JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL,
                           &jerr);
  if (!rec) {
    snprintf(message, sizeof message, "record %lu: not JSON: %s", lineno,
             jerr.text);
    return error_record(NULL, message, lineno, (unsigned long)jerr.column,
                        out_len);
  }
  record r = {0};
  char *result = NULL;
  const char *wrong = record_read(rec, &r);
  if (wrong) {
    snprintf(message, sizeof message, "record %lu: %s", lineno, wrong);
    result = error_record(json_is_object(rec) ? r.id : NULL, message, lineno,
                          0, out_len);
    goto done;
  }

  char name[256];
  record_name(r.id, name, sizeof name);
  quire_source src = {.name = name,
                      .format = r.format ? r.format : st->base->from,
                      .data = r.bytes,
                      .len = r.len};
  char *out = NULL;
  size_t n = 0;
  quire_status status = {0};
  dedup_text text = {0};
  collected c = {.text = sign ? &text : NULL};
  quire_job job = *st->base;
  job.inputs = NULL;
  job.n_inputs = 0;
  job.from = NULL;
  job.output = NULL;
  job.output_dir = NULL;
  job.sources = &src;
  job.n_sources = 1;
  job.output_data = &out;
  job.output_len = &n;
  job.doc_metadata = r.meta;
  job.n_doc_metadata = r.n_meta;
  job.keep_going = 0;
  job.status = &status;
  job.threads = 0;
  job.progress = NULL;
  job.written = on_written;
  job.written_user = &c;
  int rc = quire_convert(st->s, &job);
  if (rc < QUIRE_OK || !out) {
    char text[2048];
    const quire_error *e = &status.error;
    /* the message names the record by its id: "ID:3:1: ..." */
    quire_error_format(e, text, sizeof text);
    result = error_record(r.id, text, e->line, e->column, out_len);
  } else {
    *failed = 0;
    result = output_record(st, &r, out, n, &c, out_len);
    if (result && sign && (c.oom || !(sign->id = id_text(r.id)) ||
                           dedup_sig_make(sign->sketcher, text.s, text.len,
                                          &sign->sig) != 0)) {
      free(result);   /* memory is exhausted: the run stops */
      result = NULL;
    }
  }
  dedup_text_free(&text);
  free(out);
  json_decref(c.meta);
done:
  record_free(&r);
  json_decref(rec);
  return result;
}
