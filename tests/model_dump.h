/* model_dump.h - a document as text, one node a line with every field of
 * Model 2 (attributes, kinds, spans, widths ...), its metadata sorted by
 * key and its resources, so that two documents can be compared in full
 * and a difference shown where it is. */
#ifndef QUIRE_TESTS_MODEL_DUMP_H
#define QUIRE_TESTS_MODEL_DUMP_H

#include <quire/quire.h>

enum {
  /* What pandoc's AST keeps of a document (docs/formats/pandoc-json.md):
   * no attributes on nodes pandoc has no Attr for, runs of spaces as one,
   * a code block's language among its classes, the parts of a table and
   * its cells' header flags not shown, no resources. */
  DUMP_PANDOC = 1
};

/* The dump (the caller frees it). */
char *model_dump(const quire_doc *doc, unsigned flags);

/* Fails the test, showing the first line that differs, unless a and b are
 * the same. */
void model_dump_assert_same(const char *what, const char *a, const char *b);

#endif
