/* html_write_notes.c - notes: a numbered call where each note stands, its
 * blocks after the document's.
 *
 * pandoc's shape, which quire's reader and pandoc's read back as notes:
 *
 *   <a href="#fn1" class="footnote-ref" id="fnref1"
 *      role="doc-noteref"><sup>1</sup></a>
 *   ...
 *   <section id="footnotes" class="footnotes footnotes-end-of-document"
 *      role="doc-endnotes">
 *   <hr/>
 *   <ol>
 *   <li id="fn1">
 *   <p>The note.<a href="#fnref1" class="footnote-back"
 *      role="doc-backlink">↩︎</a></p>
 *   </li>
 *   </ol>
 *   </section>
 *
 * or, with epub_notes, EPUB 3 footnotes, which reading systems show in a
 * pop-up and epubcheck accepts:
 *
 *   <a epub:type="noteref" href="#fn1" id="fnref1" role="doc-noteref">1</a>
 *   ...
 *   <aside epub:type="footnote" id="fn1" role="doc-footnote">
 *   <p>The note.</p>
 *   </aside>
 *
 * The ids carry the renderer's note prefix and avoid every id of the
 * document (html_write_ids.h).  A note inside a note is called where it
 * stands and written after the notes before it, numbered on: each note is
 * a node met once, so the list ends. */
#include <stdlib.h>
#include <string.h>

#include "html_write_walk.h"

/* U+21A9 and the variation selector U+FE0E that keeps it text, not emoji,
 * as pandoc writes it. */
#define BACK_ARROW "\xE2\x86\xA9\xEF\xB8\x8E"

/* A link to a note's id or to where it is called. */
static int link_attrs(walk *k, const char *target) {
  return walk_made_attr(k, "href", 1, target, HTML_PREFIX_NOTE);
}

int notes_call(walk *k, const quire_node *n) {
  html_render *r = k->r;
  if (r->n_notes == r->cap_notes) {
    size_t cap = r->cap_notes ? r->cap_notes * 2 : 16;
    note_entry *e = realloc(r->notes, cap * sizeof *e);
    if (!e)
      return 1;
    r->notes = e;
    r->cap_notes = cap;
  }
  unsigned long number = r->n_notes + 1;
  note_entry *e = &r->notes[r->n_notes];
  e->node = n;
  if (!(e->id = walk_fresh_id(k, "%sfn%lu", HTML_PREFIX_NOTE, number)) ||
      !(e->ref = walk_fresh_id(k, "%sfnref%lu", HTML_PREFIX_NOTE, number)))
    return 1;
  r->n_notes++;
  char label[24];
  snprintf(label, sizeof label, "%lu", number);
  if (k->o->epub_notes)
    return walk_start(k, "a") || walk_attr(k, "epub:type", "noteref") ||
           link_attrs(k, e->id) ||
           walk_made_attr(k, "id", 0, e->ref, HTML_PREFIX_NOTE) ||
           walk_attr(k, "role", "doc-noteref") ||
           walk_text(k, label, strlen(label)) || walk_end(k);
  return walk_start(k, "a") || link_attrs(k, e->id) ||
         walk_attr(k, "class", "footnote-ref") ||
         walk_made_attr(k, "id", 0, e->ref, HTML_PREFIX_NOTE) ||
         walk_attr(k, "role", "doc-noteref") || walk_start(k, "sup") ||
         walk_text(k, label, strlen(label)) || walk_end(k) || walk_end(k);
}

static int back_link(walk *k, const note_entry *e) {
  return walk_start(k, "a") || link_attrs(k, e->ref) ||
         walk_attr(k, "class", "footnote-back") ||
         walk_attr(k, "role", "doc-backlink") ||
         walk_text(k, BACK_ARROW, strlen(BACK_ARROW)) || walk_end(k);
}

/* The note whose blocks are being written. */
static const note_entry *current(const walk *k) {
  for (size_t i = k->r->n_notes; i-- > 0;)
    if (k->r->notes[i].node == k->note)
      return &k->r->notes[i];
  return NULL;
}

int notes_back_link(walk *k, const quire_node *paragraph) {
  if (k->o->epub_notes || paragraph->parent != k->note || paragraph->next)
    return 0;
  const note_entry *e = current(k);
  return e && back_link(k, e);
}

/* One note: its element, its blocks, and the link back after them when
 * they do not end with a paragraph (which holds it otherwise). */
static int write_note(walk *k, size_t i) {
  note_entry e = k->r->notes[i];   /* a copy: the list may grow */
  const quire_node *last = e.node->last_child;
  int epub = k->o->epub_notes;
  if (epub ? walk_start(k, "aside") || walk_attr(k, "epub:type", "footnote") ||
                 walk_made_attr(k, "id", 0, e.id, HTML_PREFIX_NOTE) ||
                 walk_attr(k, "role", "doc-footnote")
           : walk_start(k, "li") ||
                 walk_made_attr(k, "id", 0, e.id, HTML_PREFIX_NOTE))
    return 1;
  if (e.node->first_child && walk_newline(k))
    return 1;
  k->note = e.node;
  for (const quire_node *c = e.node->first_child; c; c = c->next)
    if (walk_run(k, c))
      return 1;
  k->note = NULL;
  if (!epub && !(last && last->type == QUIRE_NODE_PARAGRAPH) &&
      (back_link(k, &e) || walk_newline(k)))
    return 1;
  return walk_end(k) || walk_newline(k);
}

int notes_write(walk *k) {
  html_render *r = k->r;
  if (!r->n_notes)
    return 0;
  int epub = k->o->epub_notes;
  const char *id = NULL;
  if (!epub &&
      (!(id = walk_fresh_id(k, "%sfootnotes", HTML_PREFIX_NOTE, 0)) ||
       walk_start(k, "section") ||
       walk_made_attr(k, "id", 0, id, HTML_PREFIX_NOTE) ||
       walk_attr(k, "class", "footnotes footnotes-end-of-document") ||
       walk_attr(k, "role", "doc-endnotes") || walk_newline(k) ||
       walk_start(k, "hr") || walk_end_void(k) || walk_newline(k) ||
       walk_start(k, "ol") || walk_newline(k)))
    return 1;
  /* n_notes grows as notes inside notes are met. */
  for (size_t i = 0; i < r->n_notes; i++)
    if (write_note(k, i))
      return 1;
  return !epub && (walk_end(k) || walk_newline(k) || walk_end(k) ||
                   walk_newline(k));
}
