/* doc_dump.h - a document's block structure as one line, for assertions:
 * "H1:Title|P:text|UL[a}{b]|OL3[x}{y]|HR". */
#ifndef QUIRE_TEST_DOC_DUMP_H
#define QUIRE_TEST_DOC_DUMP_H

#include <quire/quire.h>

/* Returns a malloc'd string; the caller frees it. */
char *doc_dump(const quire_doc *doc);

/* Reads the first document of `path` with format `from` (NULL: by
 * extension) in session s; fails the test on error. */
quire_doc *doc_read(quire_session *s, const char *path, const char *from);

#endif
