/* fuzz_entries.c - packs a fuzz input in entry form into a ZIP archive
 * (see fuzz_entries.h), with libzip writing to a buffer in memory. */
#include <stdlib.h>
#include <string.h>

#include <zip.h>

#include "fuzz_entries.h"

#define MARK "=== "
#define MARK_LEN 4
#define MAX_ENTRIES 64
#define MAX_NAME 255

/* The next "\n=== " at or after p, or end. */
static const unsigned char *next_mark(const unsigned char *p,
                                      const unsigned char *end) {
  while (p < end) {
    const unsigned char *nl = memchr(p, '\n', (size_t)(end - p));
    if (!nl)
      return end;
    if ((size_t)(end - nl - 1) >= MARK_LEN && memcmp(nl + 1, MARK, MARK_LEN) == 0)
      return nl;
    p = nl + 1;
  }
  return end;
}

/* Adds the entries to za; -1 when libzip refuses to make the archive. */
static int add_entries(zip_t *za, const unsigned char *p,
                       const unsigned char *end) {
  for (int n = 0; n < MAX_ENTRIES && p < end; n++) {
    p += MARK_LEN;
    const unsigned char *eol = memchr(p, '\n', (size_t)(end - p));
    if (!eol)
      eol = end;
    char name[MAX_NAME + 1];
    size_t name_len = (size_t)(eol - p) < MAX_NAME ? (size_t)(eol - p)
                                                   : MAX_NAME;
    memcpy(name, p, name_len);
    name[name_len] = '\0';
    const unsigned char *body = eol < end ? eol + 1 : end;
    const unsigned char *stop = next_mark(body, end);
    /* The newline before the next mark belongs to no entry. */
    p = stop < end ? stop + 1 : end;
    if (name[0] == '\0')
      continue;
    zip_source_t *src = zip_source_buffer(za, body, (zip_uint64_t)(stop - body), 0);
    if (!src)
      return -1;
    zip_int64_t at = zip_file_add(za, name, src, ZIP_FL_OVERWRITE | ZIP_FL_ENC_RAW);
    if (at < 0) {
      zip_source_free(src);
      continue;
    }
    zip_set_file_compression(za, (zip_uint64_t)at, ZIP_CM_STORE, 0);
  }
  return 0;
}

/* Copies the bytes of a finished in-memory archive. */
static int take_bytes(zip_source_t *buf, unsigned char **zip, size_t *len) {
  zip_stat_t st;
  if (zip_source_stat(buf, &st) < 0 || !(st.valid & ZIP_STAT_SIZE) ||
      zip_source_open(buf) < 0)
    return -1;
  int rc = -1;
  *zip = malloc(st.size ? st.size : 1);
  if (*zip && zip_source_read(buf, *zip, st.size) == (zip_int64_t)st.size) {
    *len = st.size;
    rc = 0;
  }
  zip_source_close(buf);
  if (rc != 0) {
    free(*zip);
    *zip = NULL;
  }
  return rc;
}

int fuzz_entries_zip(const unsigned char *data, size_t size,
                     unsigned char **zip, size_t *len) {
  *zip = NULL;
  *len = 0;
  if (size < MARK_LEN || memcmp(data, MARK, MARK_LEN) != 0)
    return -1;
  zip_error_t ze;
  zip_error_init(&ze);
  zip_source_t *buf = zip_source_buffer_create(NULL, 0, 0, &ze);
  if (!buf) {
    zip_error_fini(&ze);
    return -1;
  }
  zip_source_keep(buf);
  zip_t *za = zip_open_from_source(buf, ZIP_TRUNCATE, &ze);
  int rc = -1;
  if (za) {
    if (add_entries(za, data, data + size) == 0 && zip_close(za) == 0)
      rc = take_bytes(buf, zip, len);
    else
      zip_discard(za);
  }
  zip_source_free(buf);
  zip_error_fini(&ze);
  return rc;
}
