/* epub_book.c - books made with libzip, and entries read back. */
#include "epub_book.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <zip.h>

void make_zip(const char *path, const zentry *e, size_t n) {
  int err = 0;
  zip_t *za = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &err);
  assert_non_null(za);
  for (size_t i = 0; i < n; i++) {
    size_t len = e[i].len ? e[i].len : strlen(e[i].data);
    zip_source_t *src = zip_source_buffer(za, e[i].data, len, 0);
    assert_non_null(src);
    zip_int64_t at = zip_file_add(
        za, e[i].name, src,
        e[i].flags & Z_RAW_NAME ? ZIP_FL_ENC_RAW : ZIP_FL_ENC_UTF_8);
    if (at < 0)
      fail_msg("zip_file_add %s: %s", e[i].name, zip_strerror(za));
    if (e[i].flags & Z_STORE)
      assert_int_equal(zip_set_file_compression(za, (zip_uint64_t)at,
                                                ZIP_CM_STORE, 0), 0);
    if (e[i].flags & Z_ENCRYPT)
      assert_int_equal(zip_file_set_encryption(za, (zip_uint64_t)at,
                                               ZIP_EM_AES_256, "secret"), 0);
  }
  if (zip_close(za) != 0)
    fail_msg("zip_close %s: %s", path, zip_strerror(za));
}

const char epub_container_fmt[] =
    "<?xml version=\"1.0\"?>\n"
    "<container version=\"1.0\" "
    "xmlns=\"urn:oasis:names:tc:opendocument:xmlns:container\">"
    "<rootfiles><rootfile full-path=\"%s\" "
    "media-type=\"application/oebps-package+xml\"/></rootfiles></container>";

void make_book(const char *path, const char *opf_path, const char *opf,
               const zentry *files, size_t n) {
  char container[1024];
  snprintf(container, sizeof container, epub_container_fmt, opf_path);
  zentry *all = calloc(n + 3, sizeof *all);
  assert_non_null(all);
  all[0] = (zentry){"mimetype", "application/epub+zip", 0, Z_STORE};
  all[1] = (zentry){"META-INF/container.xml", container, 0, 0};
  all[2] = (zentry){opf_path, opf, 0, 0};
  if (n)
    memcpy(all + 3, files, n * sizeof *files);
  make_zip(path, all, n + 3);
  free(all);
}

unsigned char *zip_entry_bytes(const char *path, const char *name,
                               size_t *len) {
  int err = 0;
  zip_t *za = zip_open(path, ZIP_RDONLY, &err);
  if (!za)
    fail_msg("%s: not a ZIP (%d)", path, err);
  zip_stat_t st;
  unsigned char *bytes = NULL;
  if (zip_stat(za, name, 0, &st) == 0 && (st.valid & ZIP_STAT_SIZE)) {
    bytes = malloc(st.size + 1);
    assert_non_null(bytes);
    bytes[st.size] = '\0';
    zip_file_t *zf = zip_fopen(za, name, 0);
    assert_non_null(zf);
    assert_int_equal(zip_fread(zf, bytes, st.size), (zip_int64_t)st.size);
    zip_fclose(zf);
    *len = st.size;
  }
  zip_discard(za);
  return bytes;
}
