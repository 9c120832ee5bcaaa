/* notes.h - footnotes and endnotes of web pages and books made NOTE nodes.
 *
 * HTML has no footnote element: a page or an EPUB chapter links a note
 * reference to a note elsewhere in the document.  quire_notes_gather()
 * finds such pairs in any document tree and makes each note a NOTE node
 * (an inline holding the note's blocks) where it is first referenced.
 *
 * A note reference is a LINK whose url is "#ID" and which says it is one:
 * its epub:type holds "noteref", its role is "doc-noteref", or its class
 * holds "footnote-ref" or "noteref" (pandoc, EPUB 3, DPUB-ARIA).
 *
 * The node with id ID is a note when it says so (epub:type holding
 * footnote, endnote, rearnote or note; role doc-footnote or doc-endnote),
 * or when it is an item, div, section (an aside) or paragraph inside a
 * container of notes: class "footnotes" or "endnotes", role "doc-endnotes"
 * or "doc-footnotes", epub:type holding "footnotes", "endnotes" or
 * "rearnotes".  An id on an inline (an anchor) stands for its paragraph.
 *
 * The note's blocks move into the NOTE, without the links back to the
 * reference (a link to the reference's id or that of an inline around it,
 * role doc-backlink, class footnote-back, or a link reading "↩"); the
 * NOTE replaces the reference (and a superscript around it holding nothing
 * else).  A note referenced again: the later references become a
 * SUPERSCRIPT of their label.  Containers the move left empty (the aside,
 * the list item, the list, the footnotes section with its rule and
 * heading) are removed.  Unreferenced notes stay where they are.
 *
 * Time is linear in the size of the tree (ids are hashed). */
#ifndef QUIRE_COMMON_NOTES_H
#define QUIRE_COMMON_NOTES_H

#include <quire/plugin.h>

/* Gathers doc's notes as above.  QUIRE_OK (also when there were none), or
 * QUIRE_FATAL when memory ran out, with the message set. */
int quire_notes_gather(quire_env *env, quire_doc *doc);

#endif
