/* md_write.c - the Markdown writer: CommonMark (md) and GitHub-flavoured
 * Markdown (gfm) that cmark-gfm reads back to the same model, md to md
 * stable after one pass.
 *
 * This file holds the output: options, YAML front matter, the documents
 * of one output, notes numbered through it and the warning for raw
 * content left out.  The blocks are md_write_block.c's, the inlines
 * md_write_inline.c's (see md_write.h for the others).
 *
 * Several documents in one output: the front matter comes from the corpus
 * metadata (--title, --metadata) alone; each document starts with its
 * title as "# Title" (unless its tree already starts with that heading,
 * or the title is only its file's name), and documents are separated by
 * a rule.  A single document's own metadata goes into the front matter
 * instead, so the first document is held in memory until a second comes
 * or the output ends. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "md_write.h"

/* Output is written in chunks of this size or more. */
#define MD_FLUSH_AT (1u << 20)

int md_write_oom(md_writer *w) {
  if (!w->fatal)
    w->svc->error(w->env, NULL, "out of memory writing Markdown");
  w->fatal = 1;
  return QUIRE_FATAL;
}

static int writer_open(quire_env *env, quire_output *out,
                       const quire_options *opts, const quire_meta *corpus,
                       void **state, md_dialect dialect) {
  md_writer *w = calloc(1, sizeof *w);
  if (!w) {
    env->svc->error(env, NULL, "out of memory writing Markdown");
    return QUIRE_FATAL;
  }
  w->env = env;
  w->svc = env->svc;
  w->out = out;
  w->dialect = dialect;
  w->corpus = corpus;
  const char *cols = env->svc->option(opts, "columns");
  if (cols) {
    char *end;
    w->columns = strtoul(cols, &end, 10);
    if (!*cols || *end || cols[0] == '-' || w->columns < 10 ||
        w->columns > 100000) {
      free(w);
      return env->svc->usage_error(env, "--columns wants a number from 10 "
                                        "to 100000, not '%s'", cols);
    }
  }
  *state = w;
  return QUIRE_OK;
}

int md_write_open(quire_env *env, quire_output *out, const quire_options *opts,
                  const quire_meta *corpus, void **state) {
  return writer_open(env, out, opts, corpus, state, MD_COMMONMARK);
}

int gfm_write_open(quire_env *env, quire_output *out,
                   const quire_options *opts, const quire_meta *corpus,
                   void **state) {
  return writer_open(env, out, opts, corpus, state, MD_GFM);
}

static int flush(md_writer *w) {
  if (w->o.failed)
    return md_write_oom(w);
  if (!w->o.n)
    return QUIRE_OK;
  int rc = w->svc->output_write(w->env, w->out, w->o.p, w->o.n);
  w->o.n = 0;
  return rc == QUIRE_OK ? QUIRE_OK : QUIRE_FATAL;
}

/* ---- Titles and front matter ------------------------------------------- */

/* The text of a heading's inlines, for comparing with a title. */
static int heading_is(const quire_services *svc, const quire_node *h,
                      const char *title) {
  size_t at = 0, len = strlen(title);
  quire_iter it;
  svc->iter_init(&it, h);
  while (svc->iter_next(&it) != QUIRE_EV_DONE) {
    const quire_node *n = it.node;
    if (it.event != QUIRE_EV_ENTER)
      continue;
    const char *s = NULL;
    size_t l = 0;
    if (n->type == QUIRE_NODE_TEXT || n->type == QUIRE_NODE_CODE) {
      s = n->text;
      l = n->len;
    } else if (n->type == QUIRE_NODE_SOFT_BREAK ||
               n->type == QUIRE_NODE_LINE_BREAK) {
      s = " ";
      l = 1;
    }
    if (!s)
      continue;
    if (at + l > len || memcmp(title + at, s, l) != 0)
      return 0;
    at += l;
  }
  return at == len;
}

/* Whether document doc needs "# Title" before it in a output of several. */
static int needs_heading(md_writer *w, const quire_doc *doc,
                         const char *title) {
  const quire_services *svc = w->svc;
  if (!title || !*title)
    return 0;
  const char *src = svc->meta_get(doc->meta, QUIRE_META_SOURCE);
  if (src) {
    const char *base = strrchr(src, '/');
    base = base ? base + 1 : src;
    const char *dot = strrchr(base, '.');
    size_t bl = dot && dot != base ? (size_t)(dot - base) : strlen(base);
    if (strlen(title) == bl && strncmp(base, title, bl) == 0)
      return 0;
  }
  const quire_node *n = doc->root ? doc->root->first_child : NULL;
  while (n && (n->type == QUIRE_NODE_SECTION ||
               (n->type == QUIRE_NODE_DIV && !md_has_attrs(n))))
    n = n->first_child;
  if (n && n->type == QUIRE_NODE_HEADING && n->level == 1 &&
      heading_is(svc, n, title))
    return 0;
  return 1;
}

/* Front matter order: title, author, date, language (as lang), then the
 * other keys in their order; "source" left out. */
static int meta_rank(const char *key) {
  if (strcmp(key, "title") == 0)
    return 0;
  if (strcmp(key, "author") == 0)
    return 1;
  if (strcmp(key, "date") == 0)
    return 2;
  if (strcmp(key, "language") == 0)
    return 3;
  return 4;
}

static int corpus_has(const quire_meta *corpus, const char *key) {
  for (const quire_meta *m = corpus; m; m = m->next)
    if (m->key && strcmp(m->key, key) == 0)
      return 1;
  return 0;
}

/* Front matter of `doc_kv` (pairs, copied metadata of a single document;
 * may be NULL) with the corpus metadata over it, into b. */
static int front_matter(md_writer *w, md_buf *b, char **doc_kv, size_t n_doc) {
  size_t cap = n_doc;
  for (const quire_meta *m = w->corpus; m; m = m->next)
    cap++;
  if (!cap)
    return QUIRE_OK;
  char **kv = calloc(cap * 2, sizeof *kv);
  if (!kv)
    return md_write_oom(w);
  size_t n = 0;
  for (int rank = 0; rank <= 4; rank++) {
    for (size_t i = 0; i < n_doc; i++) {
      const char *k = doc_kv[2 * i];
      /* Where the document came from, and the encoding it was read from,
       * describe the input, not the text. */
      if (!*k || meta_rank(k) != rank || strcmp(k, QUIRE_META_SOURCE) == 0 ||
          strcmp(k, QUIRE_META_ENCODING) == 0 || corpus_has(w->corpus, k))
        continue;
      kv[2 * n] = rank == 3 ? "lang" : (char *)k;
      kv[2 * n++ + 1] = doc_kv[2 * i + 1];
    }
    for (const quire_meta *m = w->corpus; m; m = m->next) {
      if (!m->key || !m->value || meta_rank(m->key) != rank ||
          strcmp(m->key, QUIRE_META_SOURCE) == 0)
        continue;
      kv[2 * n] = rank == 3 ? "lang" : (char *)m->key;
      kv[2 * n++ + 1] = (char *)m->value;
    }
  }
  int rc = md_front_write(w, b, kv, n);
  free(kv);
  return rc;
}

static void free_first(md_writer *w) {
  for (size_t i = 0; i < 2 * w->first_meta_n; i++)
    free(w->first_meta[i]);
  free(w->first_meta);
  w->first_meta = NULL;
  w->first_meta_n = 0;
  free(w->first_title);
  w->first_title = NULL;
}

static int keep_first(md_writer *w, const quire_doc *doc) {
  size_t n = 0;
  for (const quire_meta *m = doc->meta; m; m = m->next)
    if (m->key && m->value)
      n++;
  w->first_meta = calloc(n ? 2 * n : 1, sizeof *w->first_meta);
  if (!w->first_meta)
    return md_write_oom(w);
  for (const quire_meta *m = doc->meta; m; m = m->next) {
    if (!m->key || !m->value)
      continue;
    char *k = strdup(m->key), *v = strdup(m->value);
    w->first_meta[2 * w->first_meta_n] = k;
    w->first_meta[2 * w->first_meta_n + 1] = v;
    w->first_meta_n++;
    if (!k || !v)
      return md_write_oom(w);
  }
  const char *title = w->svc->meta_get(doc->meta, QUIRE_META_TITLE);
  w->first_heading = needs_heading(w, doc, title);
  if (title && !(w->first_title = strdup(title)))
    return md_write_oom(w);
  return QUIRE_OK;
}

/* "# Title" and a blank line, into b. */
static void title_heading(md_writer *w, md_buf *b, const char *title) {
  w->il.n = 0;
  w->line_start = 0;
  w->in_heading = 1;
  md_text(w, title, strlen(title));
  w->in_heading = 0;
  md_buf_puts(b, "# ");
  for (size_t i = 0; i < w->il.n; i++) {
    char c = w->il.p[i];
    md_buf_putc(b, c == '\n' || c == MD_BREAKABLE ? ' ' : c);
  }
  md_buf_puts(b, "\n\n");
}

/* The held first document goes out, with the front matter of the corpus
 * (several documents) or of itself and the corpus (one). */
static int release_first(md_writer *w, int alone) {
  md_buf head = {0};
  /* A title the reader finds again (the heading the document starts
   * with, or its file's name) is not repeated in the front matter. */
  if (alone && !w->first_heading)
    for (size_t i = 0; i < w->first_meta_n; i++)
      if (strcmp(w->first_meta[2 * i], QUIRE_META_TITLE) == 0)
        w->first_meta[2 * i][0] = '\0';
  int rc = alone ? front_matter(w, &head, w->first_meta, w->first_meta_n)
                 : front_matter(w, &head, NULL, 0);
  if (rc == QUIRE_OK && head.n && w->o.n)
    md_buf_putc(&head, '\n');
  if (rc == QUIRE_OK && !alone && w->first_heading && w->first_title)
    title_heading(w, &head, w->first_title);
  if (rc == QUIRE_OK && head.failed)
    rc = md_write_oom(w);
  if (rc == QUIRE_OK)
    md_buf_insert(&w->o, 0, head.p, head.n);
  md_buf_free(&head);
  free_first(w);
  w->holding = 0;
  return rc == QUIRE_OK ? flush(w) : rc;
}

/* ---- Documents ------------------------------------------------------- */

/* Whether the first line of a note's definition, "[^N]: " and its text,
 * would read in CommonMark as a link reference definition: its first
 * block is no paragraph (the destination could come from the next line),
 * or the line is one word, or a word and what could be a title. */
static int looks_like_definition(const quire_services *svc,
                                 const quire_node *note) {
  const quire_node *p = note->first_child;
  if (!p || p->type != QUIRE_NODE_PARAGRAPH)
    return 1;
  char line[256];
  size_t n = 0;
  quire_iter it;
  svc->iter_init(&it, p);
  while (svc->iter_next(&it) != QUIRE_EV_DONE && n < sizeof line - 1) {
    const quire_node *x = it.node;
    if (x == p || it.event != QUIRE_EV_ENTER)
      continue;
    if (x->type == QUIRE_NODE_SOFT_BREAK || x->type == QUIRE_NODE_LINE_BREAK)
      break;
    if (x->type == QUIRE_NODE_TEXT) {
      for (size_t i = 0; i < x->len && n < sizeof line - 1; i++) {
        if (x->text[i] == '\n')
          goto done;
        line[n++] = x->text[i];
      }
    } else if (svc->node_is_leaf(x->type)) {
      line[n++] = 'x';
    }
  }
done:
  line[n] = '\0';
  const char *q = line;
  while (*q == ' ' || *q == '\t')
    q++;
  while (*q && *q != ' ' && *q != '\t')
    q++;
  while (*q == ' ' || *q == '\t')
    q++;
  return !*q || *q == '"' || *q == '\'' || *q == '(';
}

static int write_notes(md_writer *w) {
  for (size_t i = 0; i < w->n_notes; i++) {
    const quire_node *note = w->notes[i];
    char mark[64];
    int guard = w->dialect == MD_COMMONMARK &&
                looks_like_definition(w->svc, note);
    snprintf(mark, sizeof mark, "%s[^%zu]: ", guard ? "<!-- --> " : "",
             w->note_base + i + 1);
    int rc = md_note_definition(w, note, mark,
                                w->dialect == MD_GFM ? "    " : "");
    if (rc != QUIRE_OK)
      return rc;
  }
  w->note_base += w->n_notes;
  w->n_notes = 0;
  return QUIRE_OK;
}

int md_write_flush(md_writer *w) {
  if (w->holding)
    return QUIRE_OK;
  return flush(w);
}

int md_write_doc(quire_env *env, void *state, const quire_doc *doc) {
  md_writer *w = state;
  if (w->fatal)
    return QUIRE_FATAL;
  w->env = env;
  w->raw_formats[0] = '\0';
  w->raw_dropped = 0;
  w->n_notes = 0;
  int rc = QUIRE_OK;
  if (w->docs == 0) {
    w->holding = 1;
    rc = keep_first(w, doc);
  } else {
    if (w->holding)
      rc = release_first(w, 0);
    if (rc == QUIRE_OK) {
      md_buf_puts(&w->o, "\n* * *\n\n");
      const char *title = w->svc->meta_get(doc->meta, QUIRE_META_TITLE);
      if (needs_heading(w, doc, title))
        title_heading(w, &w->o, title);
    }
  }
  w->doc_lines = 0;
  if (rc == QUIRE_OK)
    rc = md_blocks(w, doc->root);
  if (rc == QUIRE_OK)
    rc = write_notes(w);
  w->docs++;
  if (rc != QUIRE_OK)
    return w->fatal = 1, QUIRE_FATAL;
  if (w->o.failed)
    return md_write_oom(w);
  if (!w->holding && w->o.n >= MD_FLUSH_AT && (rc = flush(w)) != QUIRE_OK)
    return w->fatal = 1, rc;
  if (w->raw_dropped) {
    w->svc->warn(env, NULL,
                 "%zu raw part%s of format %s left out: Markdown holds raw "
                 "HTML only",
                 w->raw_dropped, w->raw_dropped == 1 ? "" : "s",
                 w->raw_formats);
    return QUIRE_WARN;
  }
  return QUIRE_OK;
}

int md_write_close(quire_env *env, void *state, int ok) {
  md_writer *w = state;
  int rc = QUIRE_OK;
  if (ok && !w->fatal) {
    w->env = env;
    if (w->holding)
      rc = release_first(w, 1);
    else if (w->docs == 0) {
      /* No document: the corpus's front matter alone. */
      rc = front_matter(w, &w->o, NULL, 0);
    }
    if (rc == QUIRE_OK)
      rc = flush(w);
  }
  free_first(w);
  md_buf_free(&w->o);
  md_buf_free(&w->prefix);
  md_buf_free(&w->marker);
  md_buf_free(&w->il);
  md_buf_free(&w->scratch);
  free(w->stack);
  free(w->marks);
  free(w->notes);
  free(w);
  return rc;
}
