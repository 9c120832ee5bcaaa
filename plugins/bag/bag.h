/* bag.h - the bag writer: a corpus, its sources and its normalized forms
 * as a BagIt bag (RFC 8493) inside a tar or zip archive.  The parts as the
 * descriptor and each other see them; docs/bundle.md is the layout. */
#ifndef QUIRE_BAG_H
#define QUIRE_BAG_H

#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include <nettle/sha2.h>
#include <quire/plugin.h>

/* ---- Digests (bag_hash.c) -------------------------------------------------
 * Every file of the bag is hashed as its bytes go into the archive, never
 * read a second time. */
typedef struct bag_digest {
  char sha256[2 * SHA256_DIGEST_SIZE + 1];
  char sha512[2 * SHA512_DIGEST_SIZE + 1];
  uint64_t size;
} bag_digest;

typedef struct bag_hasher {
  struct sha256_ctx s256;
  struct sha512_ctx s512;
  uint64_t size;
} bag_hasher;

void bag_hasher_init(bag_hasher *h);
void bag_hasher_add(bag_hasher *h, const void *data, size_t n);
void bag_hasher_end(bag_hasher *h, bag_digest *d);

/* ---- Names (bag_names.c) -------------------------------------------------- */

/* A path made safe to store under data/: relative, '/'-separated, no
 * empty, "." or ".." part, no control character; a leading "/" or "./"
 * dropped.  Returns a malloc'd string, or NULL when nothing safe is left
 * (or memory is exhausted: *oom set). */
char *bag_safe_path(const char *path, int *oom);
/* Writes a manifest line "DIGEST  PATH\n", PATH percent-encoded as RFC
 * 8493 says (%, CR and LF). */
int bag_manifest_line(FILE *fp, const char *digest, const char *path);

/* ---- The archive (bag_archive.c) ----------------------------------------- */
typedef struct bag_archive bag_archive;

/* The archive kind for an output name's extension ("x.tar.gz" gives
 * "tar.gz"), or NULL. */
const char *bag_archive_kind(const char *name);
/* The output name without its archive extension and folders: the bag's
 * top-level folder ("out/corpus-bundle.tar.gz" gives "corpus-bundle");
 * malloc'd, or NULL when memory is exhausted. */
char *bag_archive_stem(const char *name);
/* Starts an archive of `kind` ("tar", "tar.gz", "tar.xz", "tar.zst",
 * "tar.bz2", "zip", "7z") written to out; entries dated `when`; `level`
 * (digits, or NULL for the default) is the compressor's level. */
int bag_archive_open(quire_env *env, quire_output *out, const char *kind,
                     time_t when, const char *level, bag_archive **a);
/* Adds the file `path` holding data[0..len); with d, its digests. */
int bag_archive_add(quire_env *env, bag_archive *a, const char *path,
                    const void *data, size_t len, bag_digest *d);
/* Adds the file `path` holding the `size` bytes read from fp; with d, its
 * digests (with d NULL, the bytes were hashed already). */
int bag_archive_add_stream(quire_env *env, bag_archive *a, const char *path,
                           FILE *fp, uint64_t size, bag_digest *d);
/* Finishes the archive (ok) or abandons it, and frees a. */
int bag_archive_close(quire_env *env, bag_archive *a, int ok);

/* ---- The writer (bag_write.c) --------------------------------------------- */
int bag_write_open(quire_env *env, quire_output *out,
                   const quire_options *opts, const quire_meta *corpus,
                   void **state);
int bag_write_doc(quire_env *env, void *state, const quire_doc *doc);
int bag_write_dropped(quire_env *env, void *state, const char *transform,
                      const char *reason);
int bag_write_close(quire_env *env, void *state, int ok);

#endif
