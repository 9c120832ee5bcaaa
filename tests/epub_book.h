/* epub_book.h - EPUB books made in the tests with libzip, one rule each,
 * and the bytes of a book's entries, for the EPUB reader's tests. */
#ifndef QUIRE_TESTS_EPUB_BOOK_H
#define QUIRE_TESTS_EPUB_BOOK_H

#include <stddef.h>

/* One entry of a ZIP: its name, its bytes (len 0: strlen(data)) and
 * flags: Z_RAW_NAME (the name's bytes as they are, even not UTF-8),
 * Z_STORE (no compression), Z_ENCRYPT (AES-256, password
 * "secret"). */
enum { Z_STORE = 1, Z_ENCRYPT = 2, Z_RAW_NAME = 4 };
typedef struct zentry {
  const char *name;
  const char *data;
  size_t len;
  int flags;
} zentry;

/* Writes a ZIP of the n entries to path, failing the test when it cannot. */
void make_zip(const char *path, const zentry *e, size_t n);

/* META-INF/container.xml, with %s for the package's full-path. */
extern const char epub_container_fmt[];

/* Writes a book: mimetype, META-INF/container.xml naming opf_path, the
 * package `opf` there, then the n files. */
void make_book(const char *path, const char *opf_path, const char *opf,
               const zentry *files, size_t n);

/* The bytes of entry `name` of the ZIP at path, malloc'd (the caller
 * frees them) with a NUL after the *len bytes, or NULL when it has no
 * such entry. */
unsigned char *zip_entry_bytes(const char *path, const char *name,
                               size_t *len);

#endif
