/* fuzz_entries.h - the entry form of a container for fuzzing.
 *
 * A fuzz input for a container format may be a list of entries, each a
 * line "=== NAME" and the bytes up to the next line starting with "=== ":
 *
 *   === mimetype
 *   application/epub+zip
 *   === META-INF/container.xml
 *   <?xml version="1.0"?>...
 *
 * (the newline before "=== " belongs to no entry).  fuzz_entries_zip
 * packs such an input into a ZIP archive in memory, entries stored in
 * their order, names as their bytes are.  scripts/fuzz-entries makes
 * seeds of this form from real containers. */
#ifndef QUIRE_FUZZ_ENTRIES_H
#define QUIRE_FUZZ_ENTRIES_H

#include <stddef.h>

/* 0 with *zip (the caller frees it with free()) and *len set; -1 when the
 * input is not in entry form (it does not start with "=== ") or cannot be
 * packed, in which case it is to be read as it is. */
int fuzz_entries_zip(const unsigned char *data, size_t size,
                     unsigned char **zip, size_t *len);

#endif
