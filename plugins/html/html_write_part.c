/* html_write_part.c - articles rendered ahead, on the reading threads
 * (-j N, the ABI 2.4 parts: see quire_format in plugin.h).
 *
 * An article's content depends on the writer's state, known only in input
 * order: its number N gives its made ids (headings doc-N-hK, notes fnK,
 * fnrefK and footnotes with the note prefix, "" in the first article and
 * doc-N- after), and the page's id table (the renderer's, with page_ids)
 * renames a document's own id that an earlier article has, and makes every
 * made id avoid the ids already there (html_ids_fresh: base, base-2, ...).
 *
 * So part_render renders the document on its own, with a private
 * renderer (empty id tables, as if it were the page's only document) and
 * provisional prefixes that contain a blank, which no own id has
 * (html_id_ok).  The prefixes are never written: where one belongs, the
 * renderer flushes its writer and calls back (html_slots), and the part
 * notes the byte offset, a "slot", and which prefix goes there.  Offsets,
 * not a marker searched for afterwards: a document's text may hold any
 * string.  The part also keeps the document's own ids, each made id as
 * its kind of prefix and what follows it, and the renderer's counts of
 * what it dropped, for the warnings.
 *
 * write_part, in input order, takes N and the prefixes as html_write_doc
 * would and accepts the part only when
 *   (a) no own id of the document is in the page's table,
 *   (b) every made id, its final prefix and suffix, is neither in the
 *       page's table, nor an own id, nor another made id of the part, and
 *   (c) in the provisional render every made id was its base (the part
 *       is not kept otherwise).
 * It then writes the article as html_write_doc does, the part's bytes
 * with the prefixes filled in instead of a render, and adds the own and
 * made ids to the page's table.  Otherwise it calls html_write_doc, which
 * renders the document as at -j1.
 *
 * Why the bytes are the same.  html_render_doc's walk reads the id tables
 * only through the names of the document's ids and through
 * html_ids_fresh; nothing else it writes depends on them or on the
 * prefixes.  Names: by (a), gather_ids finds none of the own ids in the
 * page and names each as itself, as the private render did (its table
 * starts empty, and the model's own ids are gathered once each), so own
 * ids and the links to them are written alike.  Made ids: at -j1 each
 * html_ids_fresh(base) looks base up in a table holding the page's ids,
 * the own ids and the ids made before it in the document; by (b) the
 * final base is in none of them, so it is returned as it is, as the
 * provisional base was by (c).  Both renders thus make the same ids in
 * the same order, each its prefix and the same suffix, and write the
 * same bytes but for the prefixes, which the slots fill in.  The table
 * ends holding the same ids too: the page's, the own ids and the made
 * ones.  The counts of dropped characters, missing images and unsafe
 * attributes depend on the document alone, so the warnings are the same,
 * given at the same point of the writer's run.
 *
 * What makes no part (write_doc then does all, as without -j): --embed
 * and --toc (the table of contents collects headings in input order); a
 * document with images or other resources (the page's media: data: URIs
 * or files named page-wide); raw content in XHTML (checking it may warn,
 * which must happen in input order); an article past PART_MAX bytes; and
 * exhausted memory during the render (write_doc then says so). */
#include <stdlib.h>
#include <string.h>

#include <libxml/xmlwriter.h>

#include "html.h"
#include "html_write.h"
#include "html_write_ids.h"
#include "xml_text.h"

/* A larger article is written by write_doc: parts are held in memory
 * while the writer catches up. */
enum { PART_MAX = 8 << 20 };

/* The provisional prefixes: a blank keeps their made ids apart from any
 * own id, and they are never written. */
#define PROVISIONAL_ID " "
#define PROVISIONAL_NOTE " :"

/* An id the part records: an own id, or the suffix of a made one. */
enum { OWN_ID = -1 };

typedef struct part_slot {
  size_t at;                 /* offset in bytes */
  html_prefix kind;          /* which prefix goes there */
} part_slot;

typedef struct part_id {
  size_t at;                 /* offset in names */
  int kind;                  /* OWN_ID, or the html_prefix of a made id */
} part_id;

typedef struct html_part {
  char *bytes;               /* the article's content but its prefixes */
  size_t len, cap;
  part_slot *slots;
  size_t n_slots, cap_slots;
  char *names;               /* the ids' strings, each NUL-terminated */
  size_t names_len, names_cap;
  part_id *ids;
  size_t n_ids, cap_ids;
  html_lost lost;
  int unusable;              /* too large, memory, or a made id renamed */
  int done;                  /* the render is over */
} html_part;

/* items (capacity *cap items of size bytes) with room for need: items
 * itself, or moved; NULL when memory is exhausted (items is left). */
static void *room(void *items, size_t *cap, size_t need, size_t size,
                  size_t first) {
  if (need <= *cap)
    return items;
  size_t c = *cap ? *cap : first;
  while (c < need)
    c *= 2;
  void *grown = realloc(items, c * size);
  if (grown)
    *cap = c;
  return grown;
}

void html_part_free(void *p) {
  html_part *part = p;
  if (!part)
    return;
  free(part->bytes);
  free(part->slots);
  free(part->names);
  free(part->ids);
  free(part);
}

/* ---- Rendering ahead --------------------------------------------------------- */

/* The render's output callback: the bytes stay in the part.  As with the
 * page's callbacks, a failure is noted, not reported to libxml2. */
static int to_part(void *ctx, const char *buf, int len) {
  html_part *part = ctx;
  if (part->done || part->unusable || len <= 0)
    return len;
  size_t n = (size_t)len;
  char *bytes = part->len + n > PART_MAX
                    ? NULL
                    : room(part->bytes, &part->cap, part->len + n, 1, 16384);
  if (!bytes) {
    part->unusable = 1;
    return len;
  }
  part->bytes = bytes;
  memcpy(part->bytes + part->len, buf, n);
  part->len += n;
  return len;
}

static int keep_id(html_part *part, const char *s, int kind) {
  size_t n = strlen(s) + 1;
  char *names = room(part->names, &part->names_cap, part->names_len + n, 1,
                     256);
  if (!names)
    return QUIRE_ERR;
  part->names = names;
  part_id *ids = room(part->ids, &part->cap_ids, part->n_ids + 1,
                      sizeof *ids, 16);
  if (!ids)
    return QUIRE_ERR;
  part->ids = ids;
  memcpy(part->names + part->names_len, s, n);
  part->ids[part->n_ids++] = (part_id){part->names_len, kind};
  part->names_len += n;
  return QUIRE_OK;
}

static int on_slot(void *user, html_prefix kind) {
  html_part *part = user;
  part_slot *slots = room(part->slots, &part->cap_slots, part->n_slots + 1,
                          sizeof *slots, 16);
  if (!slots)
    return QUIRE_ERR;
  part->slots = slots;
  part->slots[part->n_slots++] = (part_slot){part->len, kind};
  return QUIRE_OK;
}

static int on_made(void *user, html_prefix kind, const char *suffix,
                   int base) {
  html_part *part = user;
  if (!base)
    part->unusable = 1;   /* (c): the page might give the base */
  return keep_id(part, suffix, (int)kind);
}

static int keep_own(void *user, const char *id) {
  return keep_id(user, id, OWN_ID);
}

/* Non-zero when doc's article can be rendered ahead (see the top). */
static int renderable(quire_env *env, const quire_doc *doc, int xhtml) {
  const quire_services *svc = env->svc;
  if (doc->resources)
    return 0;
  quire_iter it;
  svc->iter_init(&it, doc->root);
  while (svc->iter_next(&it) != QUIRE_EV_DONE) {
    quire_node_type t = it.node->type;
    if (t == QUIRE_NODE_IMAGE ||
        (xhtml && (t == QUIRE_NODE_RAW_BLOCK || t == QUIRE_NODE_RAW_INLINE)))
      return 0;
  }
  return 1;
}

/* Renders doc's article content into part, inside an element whose start
 * tag is not kept, as inside <article>.  QUIRE_OK or QUIRE_ERR. */
static int render(quire_env *env, const quire_options *opts,
                  const quire_doc *doc, int xhtml, html_render *r,
                  html_part *part) {
  xmlOutputBufferPtr out = xmlOutputBufferCreateIO(to_part, NULL, part, NULL);
  if (!out)
    return QUIRE_ERR;
  xmlTextWriterPtr t = xmlNewTextWriter(out);
  if (!t) {
    xmlOutputBufferClose(out);
    return QUIRE_ERR;
  }
  html_slots slots = {.slot = on_slot, .made = on_made, .user = part};
  int epub_notes = env->svc->option(opts, "epub-notes") != NULL;
  html_render_opts o = html_page_opts(xhtml, epub_notes, 0, NULL);
  o.id_prefix = PROVISIONAL_ID;
  o.note_prefix = PROVISIONAL_NOTE;
  o.slots = &slots;
  int rc = QUIRE_ERR;
  if (xmlTextWriterStartElement(t, BAD_CAST "div") >= 0 &&
      xmlTextWriterWriteRaw(t, BAD_CAST "") >= 0 &&
      xmlTextWriterFlush(t) >= 0) {
    part->len = 0;   /* "<div>" */
    rc = html_render_doc(env, r, t, doc, &o);
    if (rc == QUIRE_OK && xmlTextWriterFlush(t) < 0)
      rc = QUIRE_ERR;
  }
  part->done = 1;
  xmlFreeTextWriter(t);
  return rc == QUIRE_OK ? QUIRE_OK : QUIRE_ERR;
}

static int part_render(quire_env *env, const quire_options *opts,
                       const quire_doc *doc, int xhtml, void **result) {
  const quire_services *svc = env->svc;
  *result = NULL;
  if (svc->option(opts, "embed") || svc->option(opts, "toc") ||
      !renderable(env, doc, xhtml))
    return QUIRE_OK;
  html_part *part = calloc(1, sizeof *part);
  html_render *r = html_render_new();
  if (!part || !r) {
    free(part);
    html_render_free(r);
    svc->error(env, NULL, "out of memory");
    return QUIRE_FATAL;
  }
  xml_memory_watch();
  int kept = render(env, opts, doc, xhtml, r, part) == QUIRE_OK &&
             !part->unusable && !xml_memory_failed() &&
             html_render_each_own_id(r, keep_own, part) == QUIRE_OK;
  part->lost = (html_lost){html_render_dropped(r), html_render_missing(r),
                           html_render_unsafe(r)};
  html_render_free(r);
  if (!kept) {
    html_part_free(part);   /* write_doc will do it, or say why not */
    return QUIRE_OK;
  }
  *result = part;
  return QUIRE_OK;
}

int html_part_render(quire_env *env, const quire_options *opts,
                     const quire_doc *doc, void **part) {
  return part_render(env, opts, doc, 0, part);
}

int xhtml_part_render(quire_env *env, const quire_options *opts,
                      const quire_doc *doc, void **part) {
  return part_render(env, opts, doc, 1, part);
}

/* ---- Writing, in input order -------------------------------------------------- */

static const char *prefix_of(const html_article *a, int kind) {
  return kind == HTML_PREFIX_ID ? a->id : a->notes;
}

/* The part's ids as article a has them: own ids as they are, made ids
 * with a's prefixes, in finals (malloc'd, NUL-terminated strings one after
 * another, in the order of part->ids).  NULL when memory is exhausted. */
static char *final_ids(const html_part *part, const html_article *a) {
  size_t longest = strlen(a->id) > strlen(a->notes) ? strlen(a->id)
                                                     : strlen(a->notes);
  char *finals = malloc(part->names_len + part->n_ids * longest + 1);
  if (!finals)
    return NULL;
  char *o = finals;
  for (size_t i = 0; i < part->n_ids; i++) {
    const part_id *id = &part->ids[i];
    const char *s = part->names + id->at;
    const char *prefix = id->kind == OWN_ID ? "" : prefix_of(a, id->kind);
    size_t np = strlen(prefix), ns = strlen(s) + 1;
    memcpy(o, prefix, np);
    memcpy(o + np, s, ns);
    o += np + ns;
  }
  return finals;
}

/* Non-zero when the part holds for article a in the page (conditions (a)
 * and (b) at the top); *oom is set when memory failed instead. */
static int fits(const html_part *part, const html_render *page,
                const char *finals, int *oom) {
  html_ids seen = {0};
  int ok = 1;
  const char *s = finals;
  for (size_t i = 0; ok && i < part->n_ids; i++, s += strlen(s) + 1) {
    if (html_render_page_has(page, s) || html_ids_has(&seen, s))
      ok = 0;
    else if (html_ids_add(&seen, s, 0)) {
      *oom = 1;
      ok = 0;
    }
  }
  html_ids_free(&seen);
  return ok;
}

/* The part's bytes with a's prefixes in the slots. */
static int write_bytes(html_writer *w, const html_part *part,
                       const html_article *a) {
  size_t at = 0;
  for (size_t i = 0; i < part->n_slots; i++) {
    const part_slot *slot = &part->slots[i];
    const char *prefix = prefix_of(a, slot->kind);
    if (html_article_write(w, a, part->bytes + at, slot->at - at) !=
            QUIRE_OK ||
        html_article_write(w, a, prefix, strlen(prefix)) != QUIRE_OK)
      return 1;
    at = slot->at;
  }
  return html_article_write(w, a, part->bytes + at, part->len - at) !=
         QUIRE_OK;
}

/* The page's table gets the part's ids, as html_render_doc adds them. */
static int add_ids(html_render *page, const html_part *part,
                   const char *finals) {
  const char *s = finals;
  for (size_t i = 0; i < part->n_ids; i++, s += strlen(s) + 1)
    if (html_render_page_add(page, s) != QUIRE_OK)
      return 1;
  return 0;
}

/* An accepted part: the article as html_write_doc writes it. */
static int write_article(html_writer *w, const quire_doc *doc,
                         const html_part *part, const char *finals) {
  html_article a;
  int rc = html_article_open(w, doc, &a);
  if (rc != QUIRE_OK)
    return rc;
  if (write_bytes(w, part, &a) ||
      add_ids(html_page_render(w), part, finals))
    return html_page_failed(w);
  return html_article_close(w, doc, &a, &part->lost);
}

int html_write_part(quire_env *env, void *state, const quire_doc *doc,
                    void *p) {
  html_writer *w = state;
  html_part *part = p;
  xml_memory_watch();
  html_article a;
  html_article_names(html_page_next(w), &a);
  char *finals = NULL;
  int rc, oom = 0;
  if (!html_page_plain(w))   /* part_render made none: never so */
    rc = html_write_doc(env, state, doc);
  else if (!(finals = final_ids(part, &a)))
    rc = html_page_failed(w);
  else if (fits(part, html_page_render(w), finals, &oom))
    rc = write_article(w, doc, part, finals);
  else
    rc = oom ? html_page_failed(w) : html_write_doc(env, state, doc);
  free(finals);
  html_part_free(part);
  return rc;
}
