/* bag_check.h - whether a BagIt bag (RFC 8493) is complete and valid: its
 * declaration, manifests, tag manifests, bag-info.txt, and every file's
 * size and digests, read once from an archive or a folder (bag_walk.h).
 * The problems come back as values, each naming the file it is about;
 * the caller says them. */
#ifndef QUIRE_CLI_BAG_CHECK_H
#define QUIRE_CLI_BAG_CHECK_H

#include <stddef.h>
#include <stdint.h>

typedef struct bag_problem {
  /* The file it is about, relative to the bag's folder ("data/a.txt",
   * "manifest-sha256.txt"), as raw bytes (it may hold any byte but NUL);
   * NULL when it is about the bundle as a whole. */
  char *file;
  unsigned long line;   /* the line of file it is about, from 1; 0: none */
  int warning;          /* 1: worth saying, but the bag may still be valid */
  char *message;
} bag_problem;

typedef struct bag_report {
  bag_problem *problems;  /* sorted: the bundle's first, then by file and
                             line */
  size_t n_problems;
  size_t n_errors;        /* problems that make the bag not valid */
  size_t n_warnings;
  /* The bundle could not be opened at all (it does not exist, or may not
   * be read): the one problem says why. */
  int unreadable;
  uint64_t payload_files; /* regular files under data/ */
  uint64_t payload_bytes;
  unsigned algs;          /* algorithms of the manifests checked, a set of
                             BAG_ALG_BIT (bag_hash.h) */
} bag_report;

/* The limits that keep a hostile bag from exhausting memory. */
#define BAG_MAX_FILES 10000000u         /* entries of an archive or folder */
#define BAG_MAX_MANIFEST_LINES 10000000u /* lines of one manifest */
#define BAG_MAX_LINE 65536u             /* bytes of one line of a tag file */

/* Checks the bag at path: an archive whose one top-level folder is the
 * bag, or the bag's folder itself.  Fills *r (which the caller frees with
 * bag_report_free, also after a failure) and returns 0; the bag is valid
 * when r->n_errors is 0 and r->unreadable is not set.  Returns -1 when
 * memory is exhausted. */
int bag_check(const char *path, bag_report *r);

/* Frees what bag_check stored in *r and empties it. */
void bag_report_free(bag_report *r);

#endif
