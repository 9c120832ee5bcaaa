/* archive_entry.c - an entry's bytes, read within the limits.
 *
 * Every byte of an entry is counted three ways as it is read: against
 * max-expanded-size (the whole archive's), against max-ratio (the entry's
 * bytes against the bytes of input read for it, give or take one read of
 * the input, once past ARC_RATIO_FLOOR) and, by arc_in_data(), the whole
 * stream's bytes against the input's.  A bomb stops at a few megabytes.
 * Skipping an entry is reading it where skipping would mean expanding it
 * anyway, so that a skipped entry cannot expand unchecked either. */
#include <stdlib.h>

#include <archive.h>
#include <archive_entry.h>

#include "archive.h"

/* Reads up to n bytes of the entry: the count, 0 at its end, -1 with the
 * message set (r->ai->dead when the archive cannot go on). */
long arc_entry_read(arc_reader *r, void *buf, size_t n) {
  const quire_services *svc = r->env->svc;
  quire_loc loc = {.file = r->where};
  long got = arc_in_data(r->ai, buf, n, r->where);
  if (got <= 0)
    return got;
  r->entry_out += (uint64_t)got;
  r->expanded += (uint64_t)got;
  if (r->expanded > r->max_expanded) {
    svc->error(r->env, &loc, "the archive expands to more than the limit "
               "max-expanded-size (%llu bytes); raise it with --limit "
               "max-expanded-size=N", (unsigned long long)r->max_expanded);
    r->ai->dead = 1;
    return -1;
  }
  /* What the entry was read from, give or take one read of the input. */
  uint64_t in = r->ai->bytes_in - r->entry_in + ARC_BLOCK;
  int overflows = r->max_ratio && in > UINT64_MAX / r->max_ratio;
  if (r->entry_out > ARC_RATIO_FLOOR && !overflows &&
      r->entry_out > r->max_ratio * in) {
    svc->error(r->env, &loc, "the entry expands more than the limit "
               "max-ratio (%llu) times its compressed size (a compression "
               "bomb?); raise it with --limit max-ratio=N",
               (unsigned long long)r->max_ratio);
    r->ai->dead = 1;
    return -1;
  }
  return got;
}

/* Reads the entry's bytes into r->data until it holds `want` bytes or the
 * entry ends: QUIRE_OK, or QUIRE_FAILED (message set). */
int arc_entry_fill(arc_reader *r, size_t want) {
  while (r->len < want) {
    if (r->cap - r->len < ARC_BLOCK) {
      size_t cap = r->cap ? r->cap * 2 : 2 * ARC_BLOCK;
      char *grown = realloc(r->data, cap + 1);
      if (!grown)
        return arc_oom(r);
      r->data = grown;
      r->cap = cap;
    }
    size_t n = r->cap - r->len;
    if (n > want - r->len)
      n = want - r->len;
    long got = arc_entry_read(r, r->data + r->len, n);
    if (got < 0)
      return QUIRE_FAILED;
    if (got == 0)
      break;
    r->len += (size_t)got;
  }
  return QUIRE_OK;
}

/* Passes over the rest of the entry.  Where that is cheap (a seekable zip,
 * a tar or cpio without compression) libarchive does it when the next
 * header is read; elsewhere skipping means expanding, so the bytes are
 * read and counted against the limits like any others. */
int arc_entry_skip(arc_reader *r) {
  struct archive *a = r->ai->a;
  int base = archive_format(a) & ARCHIVE_FORMAT_BASE_MASK;
  int stored = base == ARCHIVE_FORMAT_TAR || base == ARCHIVE_FORMAT_CPIO ||
               base == ARCHIVE_FORMAT_AR || base == ARCHIVE_FORMAT_ISO9660 ||
               (base == ARCHIVE_FORMAT_ZIP && (r->ai->fd >= 0 || r->ai->mem));
  if (stored && archive_filter_code(a, 0) == ARCHIVE_FILTER_NONE)
    return QUIRE_OK;
  char buf[16384];
  long got;
  while ((got = arc_entry_read(r, buf, sizeof buf)) > 0)
    ;
  return got < 0 ? QUIRE_FAILED : QUIRE_OK;
}

/* The most an entry may hold and still be read, plus one: reading that
 * much tells that it is too large. */
size_t arc_entry_max(const arc_reader *r) {
  return r->max_input < SIZE_MAX - 1 ? (size_t)r->max_input + 1
                                     : SIZE_MAX - 1;
}

/* Makes room for an entry that says how large it is (within reason: the
 * size may lie), so that it is read without regrowing. */
int arc_entry_reserve(arc_reader *r, struct archive_entry *e) {
  if (!archive_entry_size_is_set(e) || archive_entry_size(e) <= 0)
    return QUIRE_OK;
  uint64_t size = (uint64_t)archive_entry_size(e);
  if (size > (64u << 20))
    size = 64u << 20;
  if (size <= r->cap)
    return QUIRE_OK;
  char *grown = realloc(r->data, (size_t)size + ARC_BLOCK + 1);
  if (!grown)
    return arc_oom(r);
  r->data = grown;
  r->cap = (size_t)size + ARC_BLOCK;
  return QUIRE_OK;
}

/* The size an entry declares where the archive's layout depends on it
 * (tar, cpio, ar, ISO 9660), so that it cannot lie; 0 elsewhere (a zip's
 * sizes may lie, and are checked as the entry is read). */
uint64_t arc_entry_layout_size(const arc_reader *r, struct archive_entry *e) {
  int base = archive_format(r->ai->a) & ARCHIVE_FORMAT_BASE_MASK;
  if (!archive_entry_size_is_set(e) || archive_entry_size(e) < 0 ||
      (base != ARCHIVE_FORMAT_TAR && base != ARCHIVE_FORMAT_CPIO &&
       base != ARCHIVE_FORMAT_AR && base != ARCHIVE_FORMAT_ISO9660))
    return 0;
  return (uint64_t)archive_entry_size(e);
}

