/* md_read_notes.c - GFM footnotes as the model's notes.
 *
 * A reference [^label] becomes a NOTE where it stands, holding the blocks
 * of its definition.  A definition referenced again gives each later
 * reference a copy of the same blocks, so every call site carries its note
 * whatever the writer does with notes (GitHub shows one note with two back
 * links; the model has no shared notes).  Copies are bounded: once they
 * have made more nodes than the body has, further references keep only
 * their label "[^label]" (one warning), so nested repeated references
 * cannot grow the document exponentially.  A note whose content
 * references one of the notes it is inside keeps the label as text too.
 *
 * cmark drops the definitions no reference names.  To keep their text,
 * md_notes_prepare() adds, before the parser finishes, a paragraph that
 * references every definition; the definitions only that paragraph names
 * are built as notes in a paragraph at the end of the document, with a
 * warning.  A definition whose label repeats an earlier one is dropped by
 * cmark whatever is done; it is counted in a warning.
 *
 * Notes are built from a work list after the body, not by recursion: a
 * job is a NOTE to fill with a definition; building it may queue more. */
#include <stdlib.h>
#include <string.h>

#include <cmark-gfm/parser.h>

#include "md_read.h"

size_t md_notes_prepare(md_builder *b, cmark_parser *parser) {
  if (!(parser->options & CMARK_OPT_FOOTNOTES))
    return 0;
  cmark_strbuf refs;
  cmark_strbuf_init(parser->mem, &refs, 0);
  size_t defs = 0;
  cmark_iter *it = cmark_iter_new(parser->root);
  cmark_event_type ev;
  while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
    cmark_node *n = cmark_iter_get_node(it);
    if (ev != CMARK_EVENT_ENTER || n->type != CMARK_NODE_FOOTNOTE_DEFINITION)
      continue;
    defs++;
    cmark_strbuf_puts(&refs, "[^");
    cmark_strbuf_put(&refs, n->as.literal.data, n->as.literal.len);
    cmark_strbuf_puts(&refs, "]\n");
  }
  cmark_iter_free(it);
  if (defs) {
    cmark_node *p = cmark_node_new_with_mem(CMARK_NODE_PARAGRAPH,
                                            parser->mem);
    cmark_strbuf_swap(&p->content, &refs);
    if (cmark_node_append_child(parser->root, p))
      b->extra = p;
    else
      cmark_node_free(p);
  }
  cmark_strbuf_free(&refs);
  return defs;
}

static const cmark_chunk *label_of(cmark_node *def) { return &def->as.literal; }

/* The reference's label as text where it stands. */
static void keep_label(md_builder *b, cmark_node *def) {
  cmark_strbuf_puts(&b->text, "[^");
  cmark_strbuf_put(&b->text, label_of(def)->data, label_of(def)->len);
  cmark_strbuf_putc(&b->text, ']');
}

static int queue(md_builder *b, md_note_job job) {
  if (b->n_jobs == b->cap_jobs) {
    size_t cap = b->cap_jobs ? 2 * b->cap_jobs : 16;
    md_note_job *jobs = realloc(b->jobs, cap * sizeof *jobs);
    if (!jobs)
      return md_oom(b);
    b->jobs = jobs;
    b->cap_jobs = cap;
  }
  b->jobs[b->n_jobs++] = job;
  return QUIRE_OK;
}

int md_notes_reference(md_builder *b, cmark_node *ref, quire_node *parent,
                       unsigned depth) {
  cmark_node *def = ref->parent_footnote_def;
  if (!def)
    return QUIRE_OK;          /* cmark made unresolved references text */
  for (size_t j = b->job; j; j = b->jobs[j - 1].up)
    if (b->jobs[j - 1].def == def) {
      b->cycles++;
      keep_label(b, def);
      return QUIRE_OK;
    }
  int copy = def->user_data != NULL;
  if (copy && (b->copies >= b->body || b->copied >= b->body)) {
    b->cut++;
    keep_label(b, def);
    return QUIRE_OK;
  }
  def->user_data = def;       /* built once */
  b->copies += copy;
  md_note_job job = {.note = parent, .def = def, .depth = depth,
                     .up = b->job, .copy = copy};
  int rc = md_flush(b, parent, ref);
  if (rc != QUIRE_OK)
    return rc;
  if ((uint64_t)depth + 1 < b->max_depth) {
    quire_node *note = b->svc->node_new(b->doc, QUIRE_NODE_NOTE);
    if (!note)
      return md_oom(b);
    if (b->svc->node_append(parent, note) != QUIRE_OK) {
      quire_loc loc = md_where(b, ref);
      b->svc->error(b->env, &loc, "markdown reader: a note cannot go in a %s",
                    b->svc->node_type_name(parent->type));
      return QUIRE_FAILED;
    }
    job.note = note;
    job.depth = depth + 1;
  } else if (!b->flattened) {
    /* Its text goes at the end of the parent. */
    b->flattened = 1;
    quire_loc loc = md_where(b, ref);
    b->svc->warn(b->env, &loc,
                 "content nested deeper than %llu levels flattened into its "
                 "ancestor (raise the limit with --limit max-depth=N)",
                 (unsigned long long)b->max_depth);
  }
  return queue(b, job);
}

int md_notes_unreferenced(md_builder *b, cmark_node *extra) {
  quire_node *para = NULL;
  cmark_node *first = NULL;
  for (cmark_node *n = extra->first_child; n; n = n->next) {
    cmark_node *def = n->parent_footnote_def;
    if (n->type != CMARK_NODE_FOOTNOTE_REFERENCE || !def ||
        def->footnote.def_count != 1 || def->user_data)
      continue;
    if (!para) {
      para = b->svc->node_new(b->doc, QUIRE_NODE_PARAGRAPH);
      if (!para || b->svc->node_append(b->doc->root, para) != QUIRE_OK)
        return md_oom(b);
      first = def;
    }
    b->unreferenced++;
    int rc = md_notes_reference(b, n, para, 1);
    if (rc != QUIRE_OK)
      return rc;
  }
  if (first) {
    quire_loc loc = md_where(b, first);
    const cmark_chunk *label = label_of(first);
    b->svc->warn(b->env, &loc,
                 "%lu footnote definition%s never referenced (the first "
                 "[^%.*s]) kept as notes at the end of the document",
                 b->unreferenced, b->unreferenced == 1 ? "" : "s",
                 (int)label->len, (const char *)label->data);
  }
  return QUIRE_OK;
}

int md_notes_finish(md_builder *b, size_t defs, size_t kept) {
  int rc = QUIRE_OK;
  b->body = b->events;
  for (size_t i = 0; rc == QUIRE_OK && i < b->n_jobs; i++) {
    /* Building may queue more jobs and move the list: copy this one. */
    md_note_job job = b->jobs[i];
    uint64_t before = b->events;
    b->job = i + 1;
    rc = md_build(b, job.def, job.note, job.depth);
    if (job.copy)
      b->copied += b->events - before;
  }
  b->job = 0;
  if (rc != QUIRE_OK)
    return rc;
  quire_loc loc = {.file = b->name};
  if (b->cycles)
    b->svc->warn(b->env, &loc,
                 "%lu footnote reference%s inside %s own note kept as the "
                 "label only",
                 b->cycles, b->cycles == 1 ? "" : "s",
                 b->cycles == 1 ? "its" : "their");
  if (b->cut)
    b->svc->warn(b->env, &loc,
                 "%lu repeated footnote reference%s kept as the label only: "
                 "the notes' copies had reached the size of the body",
                 b->cut, b->cut == 1 ? "" : "s");
  if (defs > kept)
    b->svc->warn(b->env, &loc,
                 "%zu footnote definition%s lost: %s label repeats an "
                 "earlier definition's",
                 defs - kept, defs - kept == 1 ? "" : "s",
                 defs - kept == 1 ? "its" : "their");
  return QUIRE_OK;
}
