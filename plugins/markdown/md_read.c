/* md_read.c - the Markdown reader: one input, one document.
 *
 * The input is read whole (within max-input-size); a UTF-8 byte order mark
 * is passed over; YAML front matter, when the input starts with it, gives
 * the metadata (md_front.c) and the rest goes to cmark-gfm in one feed:
 *
 *   md   strict CommonMark: no extension, so the spec applies exactly;
 *   gfm  GitHub's extensions table, strikethrough, autolink and tasklist,
 *        and footnotes.
 *
 * Both validate UTF-8: the reader checks the bytes, and when a sequence
 * is invalid warns once, naming the first place, and has cmark replace
 * each with U+FFFD (CMARK_OPT_VALIDATE_UTF8).
 * cmark's tree is then mapped onto the model (md_read_build.c, notes in
 * md_read_notes.c) and freed.  The title is the front matter's, else the
 * text of a level-1 heading that opens the document (as the txt reader
 * takes its first heading), else the core's (the file name).
 *
 * cmark parses without recursion on block nesting, and its inline parser
 * bounds its own nesting; its allocator aborts the process when memory is
 * exhausted (it cannot report failure), as for every cmark-gfm user. */
#include <stdlib.h>
#include <string.h>

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm-extension_api.h>

#include "md_read.h"

typedef struct md_reader {
  quire_input *in;
  md_dialect dialect;
  int done;
} md_reader;

static int open_dialect(quire_env *env, quire_input *in, md_dialect dialect,
                        void **state) {
  md_reader *r = calloc(1, sizeof *r);
  if (!r) {
    quire_loc loc = {.file = env->svc->input_name(in)};
    env->svc->error(env, &loc, "out of memory");
    return QUIRE_FATAL;
  }
  r->in = in;
  r->dialect = dialect;
  *state = r;
  return QUIRE_OK;
}

int md_read_open(quire_env *env, quire_input *in, const quire_options *opts,
                 void **state) {
  (void)opts;
  return open_dialect(env, in, MD_COMMONMARK, state);
}

int gfm_read_open(quire_env *env, quire_input *in, const quire_options *opts,
                  void **state) {
  (void)opts;
  return open_dialect(env, in, MD_GFM, state);
}

void md_read_close(quire_env *env, void *state) {
  (void)env;
  free(state);
}

/* ---- UTF-8 ------------------------------------------------------------------ */

/* The offset of the first byte of s that does not start a valid UTF-8
 * sequence (overlong forms, surrogates and code points past U+10FFFF are
 * invalid), or n. */
static size_t utf8_invalid(const unsigned char *s, size_t n) {
  size_t i = 0;
  while (i < n) {
    /* Eight ASCII bytes at a time. */
    while (i + 8 <= n) {
      uint64_t w;
      memcpy(&w, s + i, 8);
      if (w & 0x8080808080808080ULL)
        break;
      i += 8;
    }
    if (i >= n)
      break;
    unsigned c = s[i];
    if (c < 0x80) {
      i++;
      continue;
    }
    size_t len;
    unsigned lo = 0x80, hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) {
      len = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
      len = 3;
      if (c == 0xE0)
        lo = 0xA0;
      else if (c == 0xED)
        hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      len = 4;
      if (c == 0xF0)
        lo = 0x90;
      else if (c == 0xF4)
        hi = 0x8F;
    } else {
      return i;
    }
    if (i + len > n || s[i + 1] < lo || s[i + 1] > hi)
      return i;
    for (size_t k = 2; k < len; k++)
      if ((s[i + k] & 0xC0) != 0x80)
        return i;
    i += len;
  }
  return n;
}

/* Line and column (in characters) of byte `pos` of s. */
static quire_loc position(const char *name, const char *s, size_t pos,
                          unsigned long line_offset) {
  quire_loc loc = {.file = name, .line = 1 + line_offset, .column = 1,
                   .offset = 0};
  const char *line = s;
  for (const char *p = s; (p = memchr(p, '\n', (size_t)(s + pos - p)));) {
    loc.line++;
    line = ++p;
  }
  for (const char *p = line; p < s + pos; p++)
    if (((unsigned char)*p & 0xC0) != 0x80)
      loc.column++;
  return loc;
}

static unsigned long count_lines(const char *s, size_t n) {
  unsigned long lines = 0;
  for (const char *p = s; (p = memchr(p, '\n', (size_t)(s + n - p))); p++)
    lines++;
  return lines;
}

/* ---- The document ------------------------------------------------------- */

/* cmark validates UTF-8 only when the reader found invalid bytes: the
 * check is the reader's first pass anyway, and cmark's costs 3% of a run. */
static cmark_parser *new_parser(md_dialect dialect, int valid) {
  int options = valid ? 0 : CMARK_OPT_VALIDATE_UTF8;
  if (dialect == MD_GFM)
    options |= CMARK_OPT_FOOTNOTES;
  cmark_parser *p = cmark_parser_new(options);
  if (dialect == MD_GFM) {
    static const char *const names[] = {"table", "strikethrough", "autolink",
                                        "tasklist"};
    cmark_gfm_core_extensions_ensure_registered();
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
      cmark_syntax_extension *e = cmark_find_syntax_extension(names[i]);
      if (e)
        cmark_parser_attach_syntax_extension(p, e);
    }
  }
  return p;
}

/* The title from a level-1 heading that opens the document: its text,
 * breaks as spaces. */
static int heading_title(md_builder *b) {
  const quire_node *h = b->doc->root->first_child;
  if (!h || h->type != QUIRE_NODE_HEADING || h->level != 1 ||
      b->svc->meta_get(b->doc->meta, QUIRE_META_TITLE))
    return QUIRE_OK;
  quire_iter it;
  b->svc->iter_init(&it, h);
  while (b->svc->iter_next(&it) != QUIRE_EV_DONE) {
    const quire_node *n = it.node;
    if (it.event != QUIRE_EV_ENTER)
      continue;
    if ((n->type == QUIRE_NODE_TEXT || n->type == QUIRE_NODE_CODE) && n->len)
      cmark_strbuf_put(&b->text, (const unsigned char *)n->text,
                       (bufsize_t)n->len);
    else if (n->type == QUIRE_NODE_SOFT_BREAK ||
             n->type == QUIRE_NODE_LINE_BREAK)
      cmark_strbuf_putc(&b->text, ' ');
  }
  int rc = QUIRE_OK;
  if (b->text.size &&
      b->svc->meta_set(b->doc, QUIRE_META_TITLE, (const char *)b->text.ptr))
    rc = md_oom(b);
  cmark_strbuf_clear(&b->text);
  return rc;
}

/* The tree of cmark's parse of s[0..n) into b->doc.  *buf, which holds s,
 * is freed once fed: cmark keeps copies. */
static int build(md_builder *b, md_dialect dialect, char **buf, const char *s,
                 size_t n, int valid) {
  cmark_parser *parser = new_parser(dialect, valid);
  cmark_parser_feed(parser, s, n);
  free(*buf);
  *buf = NULL;
  size_t defs = md_notes_prepare(b, parser);
  cmark_node *root = cmark_parser_finish(parser);
  size_t kept = 0;
  for (cmark_node *c = root->last_child;
       c && c->type == CMARK_NODE_FOOTNOTE_DEFINITION; c = c->prev)
    kept++;
  int rc = md_build(b, root, b->doc->root, 0);
  if (rc == QUIRE_OK)
    rc = md_notes_finish(b, defs, kept);
  cmark_node_free(root);
  cmark_parser_free(parser);
  return rc;
}

/* Reads the document from buf[0..len), which it frees. */
static int read_doc(quire_env *env, md_reader *r, char *buf, size_t len,
                    quire_doc **result) {
  const quire_services *svc = env->svc;
  const char *name = svc->input_name(r->in);
  md_builder b = {.env = env, .svc = svc, .name = name,
                  .max_depth = svc->limit(env, "max-depth"),
                  .body = UINT64_MAX};
  cmark_strbuf_init(cmark_get_default_mem_allocator(), &b.text, 0);
  b.doc = svc->doc_new();
  if (!b.doc) {
    free(buf);
    return md_oom(&b);
  }
  int rc = QUIRE_OK;
  size_t start = len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
  const char *yaml;
  size_t yaml_len;
  size_t front = md_front_find(buf + start, len - start, &yaml, &yaml_len);
  if (front) {
    rc = md_front_read(env, b.doc, name, yaml, yaml_len);
    if (rc == QUIRE_DONE) {
      front = 0;       /* not a mapping: Markdown after all */
      rc = QUIRE_OK;
    }
    b.line_offset = count_lines(buf + start, front);
  }
  if (rc == QUIRE_OK) {
    char *body = buf + start + front;
    size_t n = len - start - front;
    size_t bad = utf8_invalid((const unsigned char *)body, n);
    if (bad < n) {
      quire_loc loc = position(name, body, bad, b.line_offset);
      svc->warn(env, &loc, "invalid UTF-8 replaced by U+FFFD (the first "
                           "here)");
    }
    rc = build(&b, r->dialect, &buf, body, n, bad == n);
  }
  free(buf);
  if (rc == QUIRE_OK)
    rc = heading_title(&b);
  cmark_strbuf_free(&b.text);
  free(b.jobs);
  if (rc != QUIRE_OK) {
    svc->doc_free(b.doc);
    return rc;
  }
  *result = b.doc;
  return QUIRE_OK;
}

int md_read_next(quire_env *env, void *state, quire_doc **doc) {
  md_reader *r = state;
  if (r->done)
    return QUIRE_DONE;
  r->done = 1;
  char *buf;
  size_t len;
  int rc = env->svc->input_read_all(env, r->in, &buf, &len);
  if (rc != QUIRE_OK)
    return rc < 0 ? rc : QUIRE_FAILED;   /* the message is set */
  return read_doc(env, r, buf, len, doc);
}
