/* md_read.h - what the Markdown reader's files share: md_read.c (the
 * input, the parser, the document), md_read_build.c (cmark's tree onto the
 * model), md_read_notes.c (footnotes) and md_front.c (YAML front matter).
 *
 * The reader uses cmark-gfm's node and parser structs (cmark-gfm/node.h,
 * cmark-gfm/parser.h, which the Debian package installs for extensions):
 * the literal of a node as a pointer and a length, with no copy (the public
 * cmark_node_get_literal mallocs a NUL-terminated copy of every text
 * node), the definition a footnote reference resolved to, and the parser's
 * block tree before it is finished (to keep unreferenced footnotes).  The
 * library's SONAME is its full version (libcmark-gfm.so.0.29.0.gfm.6), so
 * these layouts cannot change under a built plugin. */
#ifndef QUIRE_MD_READ_H
#define QUIRE_MD_READ_H

#include <stddef.h>
#include <stdint.h>

#include <cmark-gfm.h>
#include <cmark-gfm/node.h>

#include "md.h"

/* The node types of the GFM extensions: libcmark-gfm-extensions exports
 * them, but Debian installs no header declaring them (table.h,
 * strikethrough.h); they are set when the extensions are registered. */
extern cmark_node_type CMARK_NODE_TABLE, CMARK_NODE_TABLE_ROW,
    CMARK_NODE_TABLE_CELL, CMARK_NODE_STRIKETHROUGH;

/* A footnote reference whose NOTE is filled after the walk that met it
 * (md_read_notes.c): notes are built from a work list, not by recursion. */
typedef struct md_note_job {
  quire_node *note;          /* the NOTE, or the inline holder its text
                                goes into when it is too deep */
  cmark_node *def;           /* the definition */
  unsigned depth;            /* the depth of `note` */
  size_t up;                 /* the job whose note holds this reference,
                                + 1; 0 at the top */
  int copy;                  /* the definition was built before */
} md_note_job;

/* The state of one document's build. */
typedef struct md_builder {
  quire_env *env;
  const quire_services *svc;
  quire_doc *doc;
  const char *name;          /* the input's name, for messages */
  unsigned long line_offset; /* lines before cmark's first (front matter) */
  uint64_t max_depth;
  int flattened;             /* the max-depth warning was given */
  int failed;                /* memory exhausted (message set) */
  cmark_strbuf text;         /* text waiting to become one TEXT node */
  /* Footnotes. */
  cmark_node *extra;         /* the paragraph of references md_read_notes
                                added for every definition, or NULL */
  md_note_job *jobs;
  size_t n_jobs, cap_jobs;
  size_t job;                /* the job being built + 1; 0: the body */
  uint64_t events;           /* cmark nodes met by every walk */
  uint64_t body;             /* ... by the body's (all until it ends) */
  uint64_t copied;           /* ... by the walks of later copies */
  uint64_t copies;           /* later copies queued */
  unsigned long cycles, cut, unreferenced, repeated;
} md_builder;

/* ---- md_read_build.c ---------------------------------------------------- */

/* Maps the children of cmark node `from` into `to`, a node at `depth`
 * (the root's is 0).  QUIRE_OK, or QUIRE_FATAL (memory, message set). */
int md_build(md_builder *b, cmark_node *from, quire_node *to, unsigned depth);
/* The text gathered in b->text as one TEXT node of parent (nothing when
 * there is none); n is the cmark node for messages. */
int md_flush(md_builder *b, quire_node *parent, cmark_node *n);
/* Reports memory exhausted once and returns QUIRE_FATAL. */
int md_oom(md_builder *b);
/* The location of a cmark node in the input. */
quire_loc md_where(const md_builder *b, cmark_node *n);

/* ---- md_read_notes.c ------------------------------------------------------ */

/* Before cmark_parser_finish: adds to the document a paragraph that
 * references every footnote definition, so that cmark keeps those no
 * reference names (it drops them); b->extra is that paragraph.  Returns
 * the number of definitions seen. */
size_t md_notes_prepare(md_builder *b, cmark_parser *parser);
/* A reference met in the walk: a NOTE under `parent` (at `depth`), filled
 * later by md_notes_finish.  QUIRE_OK or QUIRE_FATAL. */
int md_notes_reference(md_builder *b, cmark_node *ref, quire_node *parent,
                       unsigned depth);
/* The references of b->extra whose definitions nothing else names, as
 * notes in a paragraph at the end of the document (with a warning). */
int md_notes_unreferenced(md_builder *b, cmark_node *extra);
/* Builds every note queued, and those their content references.  `defs`
 * is md_notes_prepare's count, `kept` the definitions cmark kept. */
int md_notes_finish(md_builder *b, size_t defs, size_t kept);

/* ---- md_front.c ------------------------------------------------------------ */

/* The length of the YAML front matter at the start of s (its "---" line,
 * its lines and its closing "---" or "..." line), 0 when there is none;
 * *yaml and *yaml_len receive the YAML between. */
size_t md_front_find(const char *s, size_t len, const char **yaml,
                     size_t *yaml_len);
/* Reads the YAML into doc's metadata.  QUIRE_OK, QUIRE_DONE when the YAML
 * is not a mapping (then it is no front matter), QUIRE_FAILED for
 * malformed YAML (message with the line and column in the file; the YAML
 * starts on line 2), QUIRE_FATAL for memory. */
int md_front_read(quire_env *env, quire_doc *doc, const char *name,
                  const char *yaml, size_t len);

#endif
