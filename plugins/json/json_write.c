/* json_write.c - the json and jsonl writers.
 *
 * Each document becomes one JSON object, written by a walk of its tree
 * into a buffer that goes on to the output whenever it grows past 64 KB,
 * so that a document's resources and a long document's tree stream.
 * jsonl writes one object per line.  json writes an output holding one
 * document as that object and a corpus as an array, so the first document
 * is held back until the second (or the end) shows which: in memory up to
 * HOLD_MEMORY bytes, then in an unlinked temporary file, as the core keeps
 * resources. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "json.h"
#include "temp_file.h"

/* The first document is held in memory up to this size. */
#define HOLD_MEMORY (16u << 20)

/* The first document of a json output, held back: its bytes in memory,
 * then in a temporary file once they pass HOLD_MEMORY. */
typedef struct held {
  json_out mem;
  int fd;                  /* the temporary file, or -1 */
} held;

typedef struct json_writer {
  quire_env *env;
  quire_output *out;
  int lines;               /* jsonl */
  unsigned fields;         /* JF_* */
  json_res_mode resources;
  unsigned long n_docs;
  json_out buf;            /* what goes out next */
  int holding;             /* buf goes to `first`, not the output */
  held first;              /* json: the first document */
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
    {"blocks", JF_BLOCKS}, {"resources", JF_RESOURCES},
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
               "date, language, source, url, text, meta, blocks, resources)",
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

static int parse_resources(quire_env *env, const char *option,
                           const char *value, json_res_mode *mode) {
  static const char *const names[] = {"embed", "list", "none"};
  for (int i = 0; i < 3; i++)
    if (strcmp(value, names[i]) == 0) {
      *mode = (json_res_mode)i;
      return QUIRE_OK;
    }
  return env->svc->usage_error(env, "--%s wants embed, list or none, not "
                                    "'%s'", option, value);
}

/* The fields and the resources' mode the options ask for. */
static int take_options(quire_env *env, const quire_options *opts, int lines,
                        unsigned *fields, json_res_mode *mode) {
  const char *option = lines ? "jsonl-fields" : "json-fields";
  const char *res_option = lines ? "jsonl-resources" : "json-resources";
  *fields = lines ? ~0u
                  : (JF_QUIRE | JF_ID | JF_META | JF_BLOCKS | JF_RESOURCES);
  *mode = RES_EMBED;
  const char *list = env->svc->option(opts, option);
  if (list && parse_fields(env, option, list, fields) != QUIRE_OK)
    return QUIRE_FATAL;
  const char *res = env->svc->option(opts, res_option);
  if (res && parse_resources(env, res_option, res, mode) != QUIRE_OK)
    return QUIRE_FATAL;
  return QUIRE_OK;
}

static int open_writer(quire_env *env, quire_output *out,
                       const quire_options *opts, int lines, void **state) {
  unsigned fields;
  json_res_mode mode;
  if (take_options(env, opts, lines, &fields, &mode) != QUIRE_OK)
    return QUIRE_FATAL;
  json_writer *w = calloc(1, sizeof *w);
  if (!w) {
    env->svc->error(env, NULL, "out of memory");
    return QUIRE_FATAL;
  }
  w->env = env;
  w->out = out;
  w->lines = lines;
  w->fields = fields;
  w->resources = mode;
  w->first.fd = -1;
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

/* ---- Where the bytes go ------------------------------------------------------ */

static int oom(json_writer *w) {
  w->env->svc->error(w->env, NULL, "out of memory");
  return QUIRE_FATAL;
}

static int put(json_writer *w, const char *s, size_t n) {
  int rc = w->env->svc->output_write(w->env, w->out, s, n);
  return rc == QUIRE_OK ? QUIRE_OK : QUIRE_FATAL;
}

static int hold(json_writer *w, const char *s, size_t n) {
  held *h = &w->first;
  if (h->fd < 0 && h->mem.len + n <= HOLD_MEMORY) {
    json_out_put(&h->mem, s, n);
    return h->mem.failed ? oom(w) : QUIRE_OK;
  }
  if (h->fd < 0 && (h->fd = temp_file_fd()) < 0) {
    w->env->svc->error(w->env, NULL, "cannot make a temporary file in "
                                     "$TMPDIR for the first document: %s",
                       strerror(errno));
    return QUIRE_FATAL;
  }
  while (n) {
    ssize_t done = write(h->fd, s, n);
    if (done < 0 && errno == EINTR)
      continue;
    if (done <= 0) {
      w->env->svc->error(w->env, NULL, "cannot write the first document to "
                                       "a temporary file: %s",
                         strerror(errno));
      return QUIRE_FATAL;
    }
    s += done;
    n -= (size_t)done;
  }
  return QUIRE_OK;
}

/* The held first document to the output. */
static int release(json_writer *w) {
  held *h = &w->first;
  int rc = h->mem.len ? put(w, h->mem.s, h->mem.len) : QUIRE_OK;
  json_out_free(&h->mem);
  if (h->fd < 0 || rc != QUIRE_OK)
    return rc;
  char piece[64 * 1024];
  for (off_t at = 0;;) {
    ssize_t got = pread(h->fd, piece, sizeof piece, at);
    if (got < 0 && errno == EINTR)
      continue;
    if (got < 0) {
      w->env->svc->error(w->env, NULL, "cannot read the first document back "
                                       "from its temporary file: %s",
                         strerror(errno));
      rc = QUIRE_FATAL;
    }
    if (got <= 0 || (rc = put(w, piece, (size_t)got)) != QUIRE_OK)
      break;
    at += got;
  }
  close(h->fd);
  h->fd = -1;
  return rc;
}

/* Hands the buffer on (json_flush_fn) and empties it. */
static int flush(void *user, json_out *b) {
  json_writer *w = user;
  if (b->failed)
    return oom(w);
  int rc = !b->len      ? QUIRE_OK
           : w->holding ? hold(w, b->s, b->len)
                        : put(w, b->s, b->len);
  json_out_clear(b);
  return rc;
}

/* ---- Metadata -------------------------------------------------------------- */

/* The metadata as an object, keys in order of first appearance, a
 * repeated key's values as an array.  Keys are counted in a small hash
 * table, so that a page with thousands of <meta> stays linear. */
static uint32_t key_hash(const char *s) {
  uint32_t h = 2166136261u;
  for (; *s; s++)
    h = (h ^ (unsigned char)*s) * 16777619u;
  return h;
}

typedef struct key_slot {
  const quire_meta *first;   /* the key's first entry */
  size_t count;              /* its entries */
  size_t at;                 /* where its values go in the grouped list */
} key_slot;

static key_slot *slot_of(key_slot *slots, size_t cap, const char *key) {
  size_t i = key_hash(key) & (cap - 1);
  while (slots[i].first && strcmp(slots[i].first->key, key) != 0)
    i = (i + 1) & (cap - 1);
  return &slots[i];
}

/* The values are grouped by key (a counting sort over the slots), each
 * group in order, so that every entry is visited a fixed number of times. */
static void write_meta(json_out *b, const quire_meta *meta) {
  size_t n = 0;
  for (const quire_meta *m = meta; m; m = m->next)
    n++;
  size_t cap = 16;
  while (cap < 2 * n)
    cap *= 2;
  key_slot *slots = calloc(cap, sizeof *slots);
  const quire_meta **grouped = malloc((n ? n : 1) * sizeof *grouped);
  if (!slots || !grouped) {
    free(slots);
    free(grouped);
    b->failed = 1;
    return;
  }
  for (const quire_meta *m = meta; m; m = m->next) {
    key_slot *k = slot_of(slots, cap, m->key);
    if (!k->first)
      k->first = m;
    k->count++;
  }
  size_t next = 0;
  for (const quire_meta *m = meta; m; m = m->next) {
    key_slot *k = slot_of(slots, cap, m->key);
    if (k->first == m) {
      k->at = next;
      next += k->count;
    }
  }
  for (const quire_meta *m = meta; m; m = m->next)
    grouped[slot_of(slots, cap, m->key)->at++] = m;
  json_out_puts(b, "{");
  for (size_t i = 0; i < n;) {
    const quire_meta *m = grouped[i];
    size_t count = slot_of(slots, cap, m->key)->count;
    if (i)
      json_out_puts(b, ",");
    json_out_cstring(b, m->key);
    json_out_puts(b, ":");
    if (count == 1) {
      json_out_cstring(b, m->value);
    } else {
      json_out_puts(b, "[");
      for (size_t k = 0; k < count; k++) {
        if (k)
          json_out_puts(b, ",");
        json_out_cstring(b, grouped[i + k]->value);
      }
      json_out_puts(b, "]");
    }
    i += count;
  }
  json_out_puts(b, "}");
  free(slots);
  free(grouped);
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

/* Starts a field of the document object: its comma and key. */
static void field_key(json_out *b, int *first, const char *name) {
  json_out_puts(b, *first ? "\"" : ",\"");
  *first = 0;
  json_out_puts(b, name);
  json_out_puts(b, "\":");
}

/* The start of the document's object: its brace, and the fields that
 * depend on the documents before it (the id); *first says whether a field
 * was written. */
static void write_head(json_writer *w, json_out *b, const quire_doc *doc,
                       int *first) {
  json_out_puts(b, "{");
  if (w->fields & JF_QUIRE) {
    field_key(b, first, "quire");
    json_out_puts(b, "\"" JSON_FORMAT_VERSION "\"");
  }
  if (w->fields & JF_ID) {
    field_key(b, first, "id");
    write_id(w, b, w->env->svc, doc);
  }
}

/* The rest of the object, which depends on the document alone, through
 * flush(user, b) as it grows.  QUIRE_OK, or a failure (memory, or what
 * flush returned). */
static int write_body(quire_env *env, unsigned fields, json_res_mode mode,
                      const quire_doc *doc, json_out *b, int first,
                      json_flush_fn flush_fn, void *user) {
  static const struct {
    unsigned bit;
    const char *key;
  } copies[] = {{JF_TITLE, QUIRE_META_TITLE},
                {JF_DATE, QUIRE_META_DATE},
                {JF_LANGUAGE, QUIRE_META_LANGUAGE},
                {JF_SOURCE, QUIRE_META_SOURCE},
                {JF_URL, "url"}};
  const quire_services *svc = env->svc;
  int rc = QUIRE_OK;
  for (size_t i = 0; i < sizeof copies / sizeof copies[0]; i++) {
    const char *value = svc->meta_get(doc->meta, copies[i].key);
    if ((fields & copies[i].bit) && value) {
      field_key(b, &first, copies[i].key);
      json_out_cstring(b, value);
    }
  }
  if (fields & JF_TEXT) {
    field_key(b, &first, "text");
    json_out_puts(b, "\"");
    rc = json_text(svc, doc, b);
    json_out_puts(b, "\"");
  }
  if (rc == QUIRE_OK && (fields & JF_META)) {
    field_key(b, &first, "meta");
    write_meta(b, doc->meta);
  }
  if (rc == QUIRE_OK && (fields & JF_BLOCKS)) {
    field_key(b, &first, "blocks");
    rc = json_write_blocks(svc, doc, b, flush_fn, user);
  }
  if (rc == QUIRE_OK && (fields & JF_RESOURCES) && mode != RES_NONE &&
      doc->resources) {
    field_key(b, &first, "resources");
    rc = json_write_resources(env, doc, mode, b, flush_fn, user);
  }
  json_out_puts(b, "}");
  return rc;
}

/* The document's object, through flush. */
static int write_object(json_writer *w, const quire_doc *doc) {
  json_out *b = &w->buf;
  int first = 1;
  write_head(w, b, doc, &first);
  int rc = write_body(w->env, w->fields, w->resources, doc, b, first, flush,
                      w);
  if (rc == QUIRE_OK && b->failed)
    rc = oom(w);
  return rc;
}

/* What goes before the document's object: "[" and the held first
 * document when the second comes (json), a comma. */
static int before_object(json_writer *w) {
  w->n_docs++;
  int rc = QUIRE_OK;
  if (!w->lines) {
    /* The first document is held back: an object, or an array's first?
     * The second shows it, and the first goes out before it. */
    w->holding = w->n_docs == 1;
    if (w->n_docs == 2) {
      rc = put(w, "[\n", 2);
      if (rc == QUIRE_OK)
        rc = release(w);
    }
    if (rc == QUIRE_OK && w->n_docs >= 2)
      rc = put(w, ",\n", 2);
  }
  return rc;
}

/* The object is in w->buf (what flush left of it): its end goes out. */
static int after_object(json_writer *w, int rc) {
  if (rc == QUIRE_OK && w->lines)
    json_out_puts(&w->buf, "\n");
  if (rc == QUIRE_OK)
    rc = flush(w, &w->buf);
  json_out_clear(&w->buf);
  return rc;
}

int json_write_doc(quire_env *env, void *state, const quire_doc *doc) {
  json_writer *w = state;
  (void)env;
  int rc = before_object(w);
  if (rc == QUIRE_OK)
    rc = write_object(w, doc);
  return after_object(w, rc);
}

/* ---- Parts: objects rendered ahead (-j) ------------------------------------
 * The object but its head is rendered on a reading thread into a part;
 * the writer adds the head (the id depends on the documents before) and
 * the part's bytes.  A document whose object passes PART_MAX (a huge
 * document) or that has resources makes no part: write_doc streams it. */

enum { PART_MAX = 8 << 20 };

typedef struct json_part {
  json_out bytes;
} json_part;

/* json_flush_fn of a part: nothing goes out, the bytes stay; too many
 * make the render give up. */
static int part_keep(void *user, json_out *b) {
  (void)user;
  return b->len > PART_MAX ? QUIRE_FAILED : QUIRE_OK;
}

static int part_render(quire_env *env, const quire_options *opts,
                       const quire_doc *doc, int lines, void **result) {
  *result = NULL;
  unsigned fields;
  json_res_mode mode;
  if (take_options(env, opts, lines, &fields, &mode) != QUIRE_OK)
    return QUIRE_FATAL;
  /* Resources are read back from their files (and may fail, with a
   * message): write_doc streams them. */
  if ((fields & JF_RESOURCES) && mode != RES_NONE && doc->resources)
    return QUIRE_OK;
  json_part *part = calloc(1, sizeof *part);
  if (!part) {
    env->svc->error(env, NULL, "out of memory");
    return QUIRE_FATAL;
  }
  int first = !(fields & (JF_QUIRE | JF_ID));
  int rc = write_body(env, fields, mode, doc, &part->bytes, first, part_keep,
                      NULL);
  if (rc != QUIRE_OK || part->bytes.failed || part->bytes.len > PART_MAX) {
    json_part_free(part);   /* write_doc will do it, or say why not */
    return QUIRE_OK;
  }
  *result = part;
  return QUIRE_OK;
}

int json_part_render(quire_env *env, const quire_options *opts,
                     const quire_doc *doc, void **part) {
  return part_render(env, opts, doc, 0, part);
}

int jsonl_part_render(quire_env *env, const quire_options *opts,
                      const quire_doc *doc, void **part) {
  return part_render(env, opts, doc, 1, part);
}

int json_write_part(quire_env *env, void *state, const quire_doc *doc,
                    void *p) {
  json_writer *w = state;
  json_part *part = p;
  (void)env;
  int rc = before_object(w);
  if (rc == QUIRE_OK) {
    int first = 1;
    write_head(w, &w->buf, doc, &first);
    /* the head, then the part's bytes as they are, without a copy */
    rc = flush(w, &w->buf);
    if (rc == QUIRE_OK)
      rc = flush(w, &part->bytes);
  }
  json_part_free(part);
  return after_object(w, rc);
}

void json_part_free(void *p) {
  json_part *part = p;
  if (!part)
    return;
  json_out_free(&part->bytes);
  free(part);
}

int json_write_close(quire_env *env, void *state, int ok) {
  json_writer *w = state;
  (void)env;
  int rc = QUIRE_OK;
  if (ok && !w->lines) {
    if (w->n_docs == 0)
      rc = put(w, "[]\n", 3);
    else if (w->n_docs == 1) {
      rc = release(w);
      if (rc == QUIRE_OK)
        rc = put(w, "\n", 1);
    } else
      rc = put(w, "\n]\n", 3);
  }
  if (w->first.fd >= 0)
    close(w->first.fd);
  json_out_free(&w->first.mem);
  json_out_free(&w->buf);
  free(w->last_source);
  free(w);
  return rc;
}
