/* lead_heading.h - what the writers that title a page or a text (html,
 * txt) take a title from: the heading a document starts with, as plain
 * text (a title the document already shows is not repeated), and, last,
 * the output file's name.  Not a plugin: the static library
 * quire_lead_heading. */
#ifndef QUIRE_LEAD_HEADING_H
#define QUIRE_LEAD_HEADING_H

#include <stddef.h>

#include <quire/plugin.h>

/* s[0..n) with its runs of blanks as one space and none at the ends, in a
 * new string the caller frees; NULL when memory is exhausted. */
char *lead_collapse(const char *s, size_t n);

/* The heading doc starts with (inside its first sections and divs): its
 * text, notes left out and blanks collapsed, in *text (the caller frees
 * it) and its level in *level; *text NULL and *level 0 when the document
 * starts otherwise.  0, or -1 when memory is exhausted. */
int lead_heading(const quire_services *svc, const quire_doc *doc, char **text,
                 int *level);

/* The name of the file the output becomes, without its folder and
 * extension ("out/corpus.html" gives "corpus"), in buf[0..n); NULL for
 * standard output or memory. */
const char *lead_output_stem(const quire_services *svc, quire_output *out,
                             char *buf, size_t n);

#endif
