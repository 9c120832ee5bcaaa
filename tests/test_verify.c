/* test_verify.c - quire verify on bags made here by hand as RFC 8493 says
 * (folders, and the same packed as tar.gz and zip with libarchive), each
 * broken one way at a time; on another tool's bag; on the bags quire
 * bundle writes; and on bagit.py's where it is installed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <archive.h>
#include <archive_entry.h>
#include <dirent.h>
#include <errno.h>
#include <locale.h>
#include <nettle/md5.h>
#include <nettle/sha1.h>
#include <nettle/sha2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "run_cmd.h"
#include "test_files.h"
#include "skip_note.h"

#define QUIRE_BIN QUIRE_BINARY_DIR "/bin/quire"
#define BAG_PLUGIN QUIRE_BINARY_DIR "/lib/quire/plugins/bag.so"

enum { MD5 = 1, SHA1 = 2, SHA256 = 4, SHA512 = 8 };
static const char *const alg_names[] = {"md5", "sha1", "sha256", "sha512"};

typedef struct fixture {
  char dir[64];          /* a fresh folder under /tmp, removed afterwards */
  run_result r;          /* the last run of quire */
  char paths[8][4096];   /* ring of paths made by at() */
  unsigned next_path;
} fixture;

/* ---- Files and folders --------------------------------------------------- */

/* f->dir/REL (printf-style); lives until eight more paths are made. */
__attribute__((format(printf, 2, 3)))
static const char *at(fixture *f, const char *fmt, ...) {
  char *p = f->paths[f->next_path++ % 8];
  size_t n = strlen(f->dir);
  memcpy(p, f->dir, n);
  p[n++] = '/';
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(p + n, sizeof f->paths[0] - n, fmt, ap);
  va_end(ap);
  return p;
}

/* Writes len bytes to path, making its folders. */
static void write_bytes(const char *path, const void *data, size_t len) {
  char dir[4096];
  snprintf(dir, sizeof dir, "%s", path);
  for (char *s = dir + 1; (s = strchr(s, '/')) != NULL; s++) {
    *s = '\0';
    assert_true(mkdir(dir, 0755) == 0 || errno == EEXIST);
    *s = '/';
  }
  FILE *fp = fopen(path, "wb");
  assert_non_null(fp);
  assert_int_equal(fwrite(data, 1, len, fp), len);
  assert_int_equal(fclose(fp), 0);
}

static void write_text(const char *path, const char *text) {
  write_bytes(path, text, strlen(text));
}

/* The whole file at path, malloc'd and NUL-terminated; *len set. */
static char *read_whole(const char *path, size_t *len) {
  FILE *fp = fopen(path, "rb");
  assert_non_null(fp);
  char *buf = NULL;
  size_t n = 0, cap = 0;
  for (;;) {
    if (n + 4096 + 1 > cap) {
      cap = 2 * cap + 8192;
      buf = realloc(buf, cap);
      assert_non_null(buf);
    }
    size_t got = fread(buf + n, 1, 4096, fp);
    n += got;
    if (got == 0)
      break;
  }
  fclose(fp);
  buf[n] = '\0';
  *len = n;
  return buf;
}

/* ---- Digests (nettle, as quire; sha256sum would do as well) --------------- */

static void hex_digest(int alg, const void *data, size_t len, char *out) {
  uint8_t d[SHA512_DIGEST_SIZE];
  size_t n = alg == MD5      ? MD5_DIGEST_SIZE
             : alg == SHA1   ? SHA1_DIGEST_SIZE
             : alg == SHA256 ? SHA256_DIGEST_SIZE
                             : SHA512_DIGEST_SIZE;
  if (alg == MD5) {
    struct md5_ctx c;
    md5_init(&c);
    md5_update(&c, len, data);
    md5_digest(&c, n, d);
  } else if (alg == SHA1) {
    struct sha1_ctx c;
    sha1_init(&c);
    sha1_update(&c, len, data);
    sha1_digest(&c, n, d);
  } else if (alg == SHA256) {
    struct sha256_ctx c;
    sha256_init(&c);
    sha256_update(&c, len, data);
    sha256_digest(&c, n, d);
  } else {
    struct sha512_ctx c;
    sha512_init(&c);
    sha512_update(&c, len, data);
    sha512_digest(&c, n, d);
  }
  for (size_t i = 0; i < n; i++)
    sprintf(out + 2 * i, "%02x", d[i]);
}

static const char *alg_name(int alg) {
  for (int i = 0; i < 4; i++)
    if (alg == 1 << i)
      return alg_names[i];
  return "?";
}

/* ---- Bags made by hand ------------------------------------------------------ */

typedef struct payload {
  const char *path;      /* under data/ */
  const char *text;
} payload;

/* The payload of most tests: a Unicode name, a space, a percent sign and
 * a newline in names. */
static const payload usual_payload[] = {
    {"data/sources/001.txt", "The first source.\n"},
    {"data/normalized/d\xc3\xa9j\xc3\xa0 vu.txt", "Already seen.\n"},
    {"data/normalized/50% off.txt", "Half price.\n"},
    {"data/two\nlines.txt", "A name in two lines.\n"},
};
#define N_USUAL (sizeof usual_payload / sizeof usual_payload[0])

typedef struct bag_spec {
  const payload *files;
  size_t n_files;
  unsigned manifests;        /* algorithms of manifest-ALG.txt; 0: sha256,
                                sha512 */
  unsigned tag_manifests;    /* of tagmanifest-ALG.txt; 0: sha256, sha512 */
  const char *bagit;         /* bagit.txt's text; NULL: the usual */
  const char *oxum;          /* Payload-Oxum; NULL: the right one */
  const char *info;          /* more lines of bag-info.txt */
  const char *manifest_line; /* a line added to every payload manifest */
  const char *tag_name;      /* one more tag file, listed in the tag */
  const char *tag_text;      /* manifests (fetch.txt ...); NULL: none */
  const char *eol;           /* tag files' line end; NULL: "\n" */
  const char *sep;           /* between checksum and path; NULL: "  " */
  const char *const *written; /* each file's path as the manifests write
                                it; NULL: percent-encoded as it should */
} bag_spec;

/* A manifest path as RFC 8493 §2.1.3 writes it: %, CR and LF encoded. */
static void put_path(FILE *m, const char *path) {
  for (const char *p = path; *p; p++)
    if (*p == '%')
      fputs("%25", m);
    else if (*p == '\n')
      fputs("%0A", m);
    else if (*p == '\r')
      fputs("%0D", m);
    else
      fputc(*p, m);
}

/* Writes tag file `name` of the bag at dir and remembers it, for the tag
 * manifests. */
typedef struct tag_list {
  char names[8][64];
  size_t n;
} tag_list;

static void write_tag(const char *dir, tag_list *tags, const char *name,
                      const char *text) {
  char path[4096];
  if (snprintf(path, sizeof path, "%s/%s", dir, name) >= (int)sizeof path ||
      strlen(name) >= sizeof tags->names[0])
    fail_msg("tag file name too long: %s", name);
  write_text(path, text);
  memcpy(tags->names[tags->n++], name, strlen(name) + 1);
}

/* Makes the bag f->dir/NAME by the spec; returns its path. */
static const char *make_bag(fixture *f, const char *name,
                            const bag_spec *spec) {
  const char *dir = at(f, "%s", name);
  const char *eol = spec->eol ? spec->eol : "\n";
  const char *sep = spec->sep ? spec->sep : "  ";
  unsigned algs = spec->manifests ? spec->manifests : SHA256 | SHA512;
  unsigned tag_algs = spec->tag_manifests ? spec->tag_manifests
                                          : SHA256 | SHA512;
  tag_list tags = {0};
  char text[8192], path[4096], hex[2 * SHA512_DIGEST_SIZE + 1];

  write_tag(dir, &tags, "bagit.txt",
            spec->bagit ? spec->bagit
                        : "BagIt-Version: 1.0\n"
                          "Tag-File-Character-Encoding: UTF-8\n");
  size_t bytes = 0;
  for (size_t i = 0; i < spec->n_files; i++) {
    snprintf(path, sizeof path, "%s/%s", dir, spec->files[i].path);
    write_text(path, spec->files[i].text);
    bytes += strlen(spec->files[i].text);
  }
  for (int alg = MD5; alg <= SHA512; alg <<= 1) {
    if (!(algs & alg))
      continue;
    char *buf;
    size_t len;
    FILE *m = open_memstream(&buf, &len);
    for (size_t i = 0; i < spec->n_files; i++) {
      const char *t = spec->files[i].text;
      hex_digest(alg, t, strlen(t), hex);
      fprintf(m, "%s%s", hex, sep);
      if (spec->written)
        fputs(spec->written[i], m);
      else
        put_path(m, spec->files[i].path);
      fputs(eol, m);
    }
    if (spec->manifest_line)
      fprintf(m, "%s%s", spec->manifest_line, eol);
    fclose(m);
    snprintf(path, sizeof path, "manifest-%s.txt", alg_name(alg));
    write_tag(dir, &tags, path, buf);
    free(buf);
  }
  char oxum[64];
  snprintf(oxum, sizeof oxum, "%zu.%zu", bytes, spec->n_files);
  snprintf(text, sizeof text,
           "Source-Organization: Example Archive%s"
           "Bagging-Date: 2024-05-01%s"
           "Payload-Oxum: %s%s"
           "External-Description: a bag made by hand for a test,%s"
           "  its description continued on a second line%s%s",
           eol, eol, spec->oxum ? spec->oxum : oxum, eol, eol, eol,
           spec->info ? spec->info : "");
  write_tag(dir, &tags, "bag-info.txt", text);
  if (spec->tag_name)
    write_tag(dir, &tags, spec->tag_name, spec->tag_text);
  for (int alg = MD5; alg <= SHA512; alg <<= 1) {
    if (!(tag_algs & alg))
      continue;
    char *buf;
    size_t len;
    FILE *m = open_memstream(&buf, &len);
    for (size_t i = 0; i < tags.n; i++) {
      snprintf(path, sizeof path, "%s/%s", dir, tags.names[i]);
      size_t n;
      char *bytes_of = read_whole(path, &n);
      hex_digest(alg, bytes_of, n, hex);
      free(bytes_of);
      fprintf(m, "%s%s%s%s", hex, sep, tags.names[i], eol);
    }
    fclose(m);
    snprintf(path, sizeof path, "%s/tagmanifest-%s.txt", dir, alg_name(alg));
    write_text(path, buf);
    free(buf);
  }
  return dir;
}

static const char *make_usual_bag(fixture *f, const char *name) {
  bag_spec spec = {.files = usual_payload, .n_files = N_USUAL};
  return make_bag(f, name, &spec);
}

/* ---- Bags packed into archives ------------------------------------------------ */

typedef enum order { TAGS_FIRST, TAGS_LAST } order;

/* The regular files under dir/rel, relative to dir, sorted, appended to
 * names. */
static void list_files(const char *dir, const char *rel, char ***names,
                       size_t *n) {
  char path[4096];
  snprintf(path, sizeof path, "%s%s%s", dir, rel[0] ? "/" : "", rel);
  struct dirent **entries;
  int count = scandir(path, &entries, NULL, alphasort);
  assert_true(count >= 0);
  for (int i = 0; i < count; i++) {
    const char *name = entries[i]->d_name;
    char child[4096], full[8192];
    snprintf(child, sizeof child, "%s%s%s", rel, rel[0] ? "/" : "", name);
    snprintf(full, sizeof full, "%s/%s", dir, child);
    struct stat st;
    if (strcmp(name, ".") != 0 && strcmp(name, "..") != 0 &&
        lstat(full, &st) == 0) {
      if (S_ISDIR(st.st_mode)) {
        list_files(dir, child, names, n);
      } else {
        *names = realloc(*names, (*n + 1) * sizeof **names);
        assert_non_null(*names);
        (*names)[(*n)++] = strdup(child);
      }
    }
    free(entries[i]);
  }
  free(entries);
}

static void add_entry(struct archive *a, const char *name, int folder,
                      const void *data, size_t len) {
  struct archive_entry *e = archive_entry_new();
  archive_entry_set_pathname_utf8(e, name);
  archive_entry_set_filetype(e, folder ? AE_IFDIR : AE_IFREG);
  archive_entry_set_perm(e, folder ? 0755 : 0644);
  archive_entry_set_size(e, (la_int64_t)len);
  archive_entry_set_mtime(e, 1714521600, 0);
  assert_int_equal(archive_write_header(a, e), ARCHIVE_OK);
  if (len)
    assert_int_equal(archive_write_data(a, data, len), (la_ssize_t)len);
  archive_entry_free(e);
}

/* Packs the bag folder f->dir/NAME into f->dir/ARCHIVE ("x.tar.gz" or
 * "x.zip"), entries under "NAME/": the tag files before the payload or
 * after it.  With TAGS_FIRST the folders get entries too, as tar writes
 * them.  Returns the archive's path. */
static const char *pack(fixture *f, const char *name, const char *archive,
                        order o) {
  const char *bag = at(f, "%s", name);
  char **names = NULL;
  size_t n = 0;
  list_files(bag, "", &names, &n);
  /* libarchive writes UTF-8 names only in a UTF-8 locale. */
  locale_t utf8 = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
  assert_non_null(utf8);
  locale_t before = uselocale(utf8);
  struct archive *a = archive_write_new();
  size_t alen = strlen(archive);
  if (alen > 4 && strcmp(archive + alen - 4, ".zip") == 0) {
    assert_int_equal(archive_write_set_format_zip(a), ARCHIVE_OK);
  } else {
    assert_int_equal(archive_write_set_format_pax_restricted(a), ARCHIVE_OK);
    assert_int_equal(archive_write_add_filter_gzip(a), ARCHIVE_OK);
  }
  const char *out = at(f, "%s", archive);
  assert_int_equal(archive_write_open_filename(a, out), ARCHIVE_OK);
  char entry[4096];
  if (o == TAGS_FIRST) {
    snprintf(entry, sizeof entry, "%s/", name);
    add_entry(a, entry, 1, NULL, 0);
  }
  for (int pass = 0; pass < 2; pass++) {
    int payload_now = (pass == 0) == (o == TAGS_LAST);
    for (size_t i = 0; i < n; i++) {
      if ((strncmp(names[i], "data/", 5) == 0) != payload_now)
        continue;
      char path[4096];
      snprintf(path, sizeof path, "%s/%s", bag, names[i]);
      size_t len;
      char *data = read_whole(path, &len);
      snprintf(entry, sizeof entry, "%s/%s", name, names[i]);
      add_entry(a, entry, 0, data, len);
      free(data);
    }
  }
  assert_int_equal(archive_write_close(a), ARCHIVE_OK);
  archive_write_free(a);
  uselocale(before);
  freelocale(utf8);
  for (size_t i = 0; i < n; i++)
    free(names[i]);
  free(names);
  return out;
}

/* ---- Running quire verify ------------------------------------------------------ */

/* Runs quire verify in the fixture's folder, so that the messages name
 * bundle as given. */
static int verify(fixture *f, const char *bundle) {
  run_result_free(&f->r);
  const char *argv[] = {QUIRE_BIN, "verify", bundle, NULL};
  run_opts opts = {.cwd = f->dir};
  assert_int_equal(run_cmd(argv, &opts, &f->r), 0);
  assert_true(f->r.exited);
  return f->r.status;
}

static int in_err(const fixture *f, const char *text) {
  return strstr(f->r.err, text) != NULL;
}

/* Asserts a line of standard error holds text. */
static void assert_said(const fixture *f, const char *text) {
  if (!in_err(f, text))
    fail_msg("quire verify did not say '%s'; it said:\n%s", text, f->r.err);
}

/* The files the problems name, sorted and joined with "|": each line is
 * "quire: verify: [warning: ]BUNDLE: FILE[:LINE]: MESSAGE". */
static const char *files_named(const fixture *f, const char *bundle,
                               char *out, size_t size) {
  char *names[64];
  size_t n = 0;
  char prefix[512];
  snprintf(prefix, sizeof prefix, "%s: ", bundle);
  char *copy = strdup(f->r.err);
  assert_non_null(copy);
  for (char *line = strtok(copy, "\n"); line; line = strtok(NULL, "\n")) {
    char *s = strstr(line, prefix);
    if (!s || strncmp(s + strlen(prefix), "not a valid bag", 15) == 0)
      continue;
    s += strlen(prefix);
    char *end = strstr(s, ": ");
    if (!end)
      continue;
    *end = '\0';
    char *colon = strrchr(s, ':');
    if (colon && colon[1] >= '0' && colon[1] <= '9')
      *colon = '\0';
    int seen = 0;
    for (size_t i = 0; i < n; i++)
      seen |= strcmp(names[i], s) == 0;
    if (!seen && n < 64)
      names[n++] = s;
  }
  for (size_t i = 1; i < n; i++)   /* insertion sort: a few names */
    for (size_t k = i; k > 0 && strcmp(names[k - 1], names[k]) > 0; k--) {
      char *t = names[k];
      names[k] = names[k - 1];
      names[k - 1] = t;
    }
  out[0] = '\0';
  for (size_t i = 0; i < n; i++)
    snprintf(out + strlen(out), size - strlen(out), "%s%s", i ? "|" : "",
             names[i]);
  free(copy);
  return out;
}

/* Asserts that the problems name exactly the files in `expected` ("a|b",
 * sorted). */
static void assert_files_named(const fixture *f, const char *bundle,
                               const char *expected) {
  char got[4096];
  files_named(f, bundle, got, sizeof got);
  if (strcmp(got, expected) != 0)
    fail_msg("expected problems with '%s', got '%s':\n%s", expected, got,
             f->r.err);
}

static void assert_invalid(fixture *f, const char *bundle) {
  int status = verify(f, bundle);
  if (status != 1)
    fail_msg("quire verify %s: exit %d, not 1; it said:\n%s%s", bundle,
             status, f->r.out, f->r.err);
  char summary[512];
  snprintf(summary, sizeof summary, "quire: verify: %s: not a valid bag",
           bundle);
  assert_said(f, summary);
}

static void assert_valid(fixture *f, const char *bundle, const char *what) {
  int status = verify(f, bundle);
  if (status != 0)
    fail_msg("quire verify %s: exit %d, not 0; it said:\n%s%s", bundle,
             status, f->r.out, f->r.err);
  char line[1024];
  snprintf(line, sizeof line, "quire: verify: %s: valid bag (%s)\n", bundle,
           what);
  if (strcmp(f->r.out, line) != 0)
    fail_msg("expected '%s', got '%s'", line, f->r.out);
}

/* What a valid usual bag says of itself. */
#define USUAL_VALID "4 payload files, 65 bytes, algorithms sha256, sha512"

static void change_byte(const char *path) {
  FILE *fp = fopen(path, "r+b");
  assert_non_null(fp);
  int ch = fgetc(fp);
  assert_int_not_equal(ch, EOF);
  fseek(fp, 0, SEEK_SET);
  fputc(ch ^ 0x20, fp);
  assert_int_equal(fclose(fp), 0);
}

/* ---- Fixture --------------------------------------------------------------------- */

static int setup(void **state) {
  fixture *f = calloc(1, sizeof *f);
  if (!f)
    return -1;
  snprintf(f->dir, sizeof f->dir, "/tmp/quire-verify-XXXXXX");
  if (!mkdtemp(f->dir)) {
    free(f);
    return -1;
  }
  *state = f;
  return 0;
}

static int teardown(void **state) {
  fixture *f = *state;
  run_result_free(&f->r);
  int rc = test_remove_tree(f->dir);
  free(f);
  return rc;
}

/* ---- A valid bag ------------------------------------------------------------------ */

static void test_valid_bag_folder_verifies(void **state) {
  fixture *f = *state;
  make_usual_bag(f, "bag");
  assert_valid(f, "bag", USUAL_VALID);
  assert_string_equal(f->r.err, "");
}

static void test_valid_bag_as_tar_gz_and_zip_verifies(void **state) {
  fixture *f = *state;
  make_usual_bag(f, "bag");
  pack(f, "bag", "bag.tar.gz", TAGS_FIRST);
  pack(f, "bag", "bag.zip", TAGS_FIRST);
  assert_valid(f, "bag.tar.gz", USUAL_VALID);
  assert_string_equal(f->r.err, "");
  assert_valid(f, "bag.zip", USUAL_VALID);
  assert_string_equal(f->r.err, "");
}

/* The manifests before the payload, and after it (bagit.txt last of all):
 * with md5 and sha1 manifests too, which after the payload mean a second
 * reading for their digests. */
static void test_manifests_before_or_after_payload_verify(void **state) {
  fixture *f = *state;
  bag_spec spec = {.files = usual_payload, .n_files = N_USUAL,
                   .manifests = MD5 | SHA1 | SHA256 | SHA512,
                   .tag_manifests = MD5 | SHA512};
  make_bag(f, "bag", &spec);
  const char *all = "4 payload files, 65 bytes, algorithms md5, sha1, "
                    "sha256, sha512";
  for (int kind = 0; kind < 2; kind++) {
    const char *first = kind ? "first.zip" : "first.tar.gz";
    const char *last = kind ? "last.zip" : "last.tar.gz";
    pack(f, "bag", first, TAGS_FIRST);
    pack(f, "bag", last, TAGS_LAST);
    assert_valid(f, first, all);
    assert_valid(f, last, all);
  }
  /* The second reading does check: a changed byte shows in md5 and sha1
   * too. */
  change_byte(at(f, "bag/data/sources/001.txt"));
  pack(f, "bag", "changed.tar.gz", TAGS_LAST);
  assert_invalid(f, "changed.tar.gz");
  assert_said(f, "data/sources/001.txt: md5 differs from manifest-md5.txt");
  assert_said(f, "data/sources/001.txt: sha1 differs from manifest-sha1.txt");
  assert_files_named(f, "changed.tar.gz", "data/sources/001.txt");
}

/* ---- Broken one way at a time -------------------------------------------------------- */

static void test_changed_byte_names_the_file(void **state) {
  fixture *f = *state;
  make_usual_bag(f, "bag");
  change_byte(at(f, "bag/data/sources/001.txt"));
  assert_invalid(f, "bag");
  assert_said(f, "quire: verify: bag: data/sources/001.txt: sha256 differs "
                 "from manifest-sha256.txt\n");
  assert_said(f, "quire: verify: bag: data/sources/001.txt: sha512 differs "
                 "from manifest-sha512.txt\n");
  assert_files_named(f, "bag", "data/sources/001.txt");
}

/* A name with a newline is printed as the manifest writes it. */
static void test_file_names_are_printed_percent_encoded(void **state) {
  fixture *f = *state;
  make_usual_bag(f, "bag");
  change_byte(at(f, "bag/data/two\nlines.txt"));
  change_byte(at(f, "bag/data/normalized/50%% off.txt"));
  assert_invalid(f, "bag");
  assert_said(f, "bag: data/two%0Alines.txt: sha256 differs");
  assert_said(f, "bag: data/normalized/50%25 off.txt: sha256 differs");
}

static void test_removed_payload_file_is_named(void **state) {
  fixture *f = *state;
  make_usual_bag(f, "bag");
  assert_int_equal(unlink(at(f, "bag/data/normalized/d\xc3\xa9j\xc3\xa0 "
                                "vu.txt")), 0);
  assert_invalid(f, "bag");
  assert_said(f, "quire: verify: bag: data/normalized/d\xc3\xa9j\xc3\xa0 "
                 "vu.txt: listed in manifest-sha256.txt, "
                 "manifest-sha512.txt but missing\n");
  /* The payload is smaller than bag-info.txt says, too. */
  assert_said(f, "bag: bag-info.txt: Payload-Oxum 65.4 but the payload "
                 "holds 51 bytes in 3 files\n");
  assert_files_named(f, "bag", "bag-info.txt|data/normalized/d\xc3\xa9j"
                               "\xc3\xa0 vu.txt");
}

static void test_payload_file_not_in_manifests_is_named(void **state) {
  fixture *f = *state;
  make_usual_bag(f, "bag");
  write_text(at(f, "bag/data/extra.txt"), "Not listed.\n");
  assert_invalid(f, "bag");
  assert_said(f, "quire: verify: bag: data/extra.txt: not in "
                 "manifest-sha256.txt, manifest-sha512.txt\n");
  assert_said(f, "bag: bag-info.txt: Payload-Oxum 65.4 but the payload "
                 "holds 77 bytes in 5 files\n");
  assert_files_named(f, "bag", "bag-info.txt|data/extra.txt");
}

static void test_edited_bag_info_differs_from_tag_manifests(void **state) {
  fixture *f = *state;
  make_usual_bag(f, "bag");
  FILE *fp = fopen(at(f, "bag/bag-info.txt"), "a");
  assert_non_null(fp);
  fputs("Contact-Name: Someone Else\n", fp);
  assert_int_equal(fclose(fp), 0);
  assert_invalid(f, "bag");
  assert_said(f, "quire: verify: bag: bag-info.txt: sha256 differs from "
                 "tagmanifest-sha256.txt\n");
  assert_said(f, "quire: verify: bag: bag-info.txt: sha512 differs from "
                 "tagmanifest-sha512.txt\n");
  assert_files_named(f, "bag", "bag-info.txt");
}

static void test_wrong_payload_oxum_is_named(void **state) {
  fixture *f = *state;
  bag_spec spec = {.files = usual_payload, .n_files = N_USUAL,
                   .oxum = "1234.5"};
  make_bag(f, "bag", &spec);
  assert_invalid(f, "bag");
  assert_said(f, "quire: verify: bag: bag-info.txt: Payload-Oxum 1234.5 but "
                 "the payload holds 65 bytes in 4 files\n");
  assert_files_named(f, "bag", "bag-info.txt");
}

static void test_malformed_payload_oxum_is_named(void **state) {
  fixture *f = *state;
  bag_spec spec = {.files = usual_payload, .n_files = N_USUAL,
                   .oxum = "65 bytes"};
  make_bag(f, "bag", &spec);
  assert_invalid(f, "bag");
  assert_said(f, "bag: bag-info.txt:3: Payload-Oxum '65 bytes' is not "
                 "OCTETS.COUNT\n");
  assert_files_named(f, "bag", "bag-info.txt");
}

static void test_bad_bagit_txt_is_named(void **state) {
  fixture *f = *state;
  bag_spec spec = {.files = usual_payload, .n_files = N_USUAL,
                   .bagit = "BagIt-Version: one\n"
                            "Tag-File-Character-Encoding: UTF-8\n"};
  make_bag(f, "bag", &spec);
  assert_invalid(f, "bag");
  assert_said(f, "quire: verify: bag: bagit.txt:1: not 'BagIt-Version: "
                 "M.N'\n");
  assert_files_named(f, "bag", "bagit.txt");
}

static void test_bagit_txt_with_byte_order_mark_is_named(void **state) {
  fixture *f = *state;
  bag_spec spec = {.files = usual_payload, .n_files = N_USUAL,
                   .bagit = "\xef\xbb\xbf" "BagIt-Version: 1.0\n"
                            "Tag-File-Character-Encoding: UTF-8\n"};
  make_bag(f, "bag", &spec);
  assert_invalid(f, "bag");
  assert_said(f, "quire: verify: bag: bagit.txt: starts with a byte-order "
                 "mark");
  assert_files_named(f, "bag", "bagit.txt");
}

static void test_bagit_txt_with_one_line_is_named(void **state) {
  fixture *f = *state;
  bag_spec spec = {.files = usual_payload, .n_files = N_USUAL,
                   .bagit = "BagIt-Version: 1.0\n"};
  make_bag(f, "bag", &spec);
  assert_invalid(f, "bag");
  assert_said(f, "bag: bagit.txt: has 1 line; it must have two");
  assert_files_named(f, "bag", "bagit.txt");
}

static void test_missing_bagit_txt_is_named(void **state) {
  fixture *f = *state;
  make_usual_bag(f, "bag");
  assert_int_equal(unlink(at(f, "bag/bagit.txt")), 0);
  assert_invalid(f, "bag");
  assert_said(f, "bag: bagit.txt: missing");
  /* and the tag manifests list it */
  assert_said(f, "bag: bagit.txt: listed in tagmanifest-sha256.txt, "
                 "tagmanifest-sha512.txt but missing");
  assert_files_named(f, "bag", "bagit.txt");
}

static void test_manifest_path_going_up_is_named(void **state) {
  fixture *f = *state;
  char line[256];
  char hex[65];
  hex_digest(SHA256, "", 0, hex);
  snprintf(line, sizeof line, "%s  data/../../etc/passwd", hex);
  bag_spec spec = {.files = usual_payload, .n_files = N_USUAL,
                   .manifests = SHA256, .manifest_line = line};
  make_bag(f, "bag", &spec);
  assert_invalid(f, "bag");
  assert_said(f, "quire: verify: bag: manifest-sha256.txt:5: the path "
                 "'data/../../etc/passwd' goes up with '..'\n");
  assert_files_named(f, "bag", "manifest-sha256.txt");
}

static void test_absolute_manifest_path_is_named(void **state) {
  fixture *f = *state;
  char line[256];
  char hex[65];
  hex_digest(SHA256, "", 0, hex);
  snprintf(line, sizeof line, "%s\t/etc/passwd", hex);
  bag_spec spec = {.files = usual_payload, .n_files = N_USUAL,
                   .manifests = SHA256, .manifest_line = line};
  make_bag(f, "bag", &spec);
  assert_invalid(f, "bag");
  assert_said(f, "bag: manifest-sha256.txt:5: the path '/etc/passwd' is "
                 "absolute\n");
  assert_files_named(f, "bag", "manifest-sha256.txt");
}

static void test_bad_checksum_in_manifest_is_named(void **state) {
  fixture *f = *state;
  bag_spec spec = {.files = usual_payload, .n_files = N_USUAL,
                   .manifests = SHA256, .manifest_line = "xyz data/x.txt"};
  make_bag(f, "bag", &spec);
  assert_invalid(f, "bag");
  assert_said(f, "bag: manifest-sha256.txt:5: 'xyz' is not a sha256 "
                 "checksum\n");
  assert_files_named(f, "bag", "manifest-sha256.txt");
}

static void test_fetch_txt_is_named(void **state) {
  fixture *f = *state;
  bag_spec spec = {.files = usual_payload, .n_files = N_USUAL,
                   .tag_name = "fetch.txt",
                   .tag_text = "https://example.org/a.txt 12 data/a.txt\n"};
  make_bag(f, "bag", &spec);
  assert_invalid(f, "bag");
  assert_said(f, "quire: verify: bag: fetch.txt: bags with files to fetch "
                 "are not verified\n");
  assert_files_named(f, "bag", "fetch.txt");
}

static void test_symbolic_link_is_named(void **state) {
  fixture *f = *state;
  make_usual_bag(f, "bag");
  assert_int_equal(symlink("/etc/passwd", at(f, "bag/data/link.txt")), 0);
  assert_invalid(f, "bag");
  assert_said(f, "bag: data/link.txt: a symbolic link; a bag holds regular "
                 "files only\n");
  assert_files_named(f, "bag", "data/link.txt");
}

static void test_several_problems_are_all_named(void **state) {
  fixture *f = *state;
  make_usual_bag(f, "bag");
  change_byte(at(f, "bag/data/sources/001.txt"));
  assert_int_equal(unlink(at(f, "bag/data/normalized/50%% off.txt")), 0);
  write_text(at(f, "bag/data/extra.txt"), "Not listed.\n");
  FILE *fp = fopen(at(f, "bag/bag-info.txt"), "a");
  assert_non_null(fp);
  fputs("Contact-Name: Someone Else\n", fp);
  assert_int_equal(fclose(fp), 0);
  assert_invalid(f, "bag");
  assert_said(f, "bag: data/sources/001.txt: sha256 differs");
  assert_said(f, "bag: data/normalized/50%25 off.txt: listed in");
  assert_said(f, "bag: data/extra.txt: not in manifest-sha256.txt");
  assert_said(f, "bag: bag-info.txt: sha512 differs from "
                 "tagmanifest-sha512.txt");
  /* one file fewer, one more, of the same size: Payload-Oxum holds */
  assert_files_named(f, "bag", "bag-info.txt|data/extra.txt|"
                               "data/normalized/50%25 off.txt|"
                               "data/sources/001.txt");
  assert_said(f, "quire: verify: bag: not a valid bag (6 errors)\n");
}

/* The same broken bag says the same as a folder, a tar.gz and a zip. */
static void test_broken_bag_says_the_same_in_any_form(void **state) {
  fixture *f = *state;
  make_usual_bag(f, "bag");
  change_byte(at(f, "bag/data/sources/001.txt"));
  write_text(at(f, "bag/data/extra.txt"), "Not listed.\n");
  pack(f, "bag", "bag.tar.gz", TAGS_LAST);
  pack(f, "bag", "bag.zip", TAGS_FIRST);
  assert_invalid(f, "bag");
  char *folder = strdup(f->r.err);
  assert_non_null(folder);
  const char *archives[] = {"bag.tar.gz", "bag.zip"};
  for (int i = 0; i < 2; i++) {
    assert_invalid(f, archives[i]);
    /* each line, with the bundle's name in place of "bag" */
    char *copy = strdup(folder);
    for (char *line = strtok(copy, "\n"); line; line = strtok(NULL, "\n")) {
      char expect[1024];
      snprintf(expect, sizeof expect, "quire: verify: %s:%s", archives[i],
               line + strlen("quire: verify: bag:"));
      assert_said(f, expect);
    }
    free(copy);
  }
  free(folder);
}

/* GNU tar stores a second name of one file as a hard link, with no bytes
 * of its own: it has its target's. */
static void test_hard_link_in_tar_verifies(void **state) {
  fixture *f = *state;
  static const payload two[] = {{"data/a.txt", "Same.\n"},
                                {"data/b.txt", "Same.\n"}};
  bag_spec spec = {.files = two, .n_files = 2,
                   .manifests = MD5 | SHA256};
  make_bag(f, "bag", &spec);
  assert_int_equal(unlink(at(f, "bag/data/b.txt")), 0);
  assert_int_equal(link(at(f, "bag/data/a.txt"), at(f, "bag/data/b.txt")),
                   0);
  const char *argv[] = {"/bin/tar", "czf", "bag.tar.gz", "bag", NULL};
  run_opts opts = {.cwd = f->dir};
  assert_int_equal(run_cmd(argv, &opts, &f->r), 0);
  assert_int_equal(f->r.status, 0);
  assert_valid(f, "bag.tar.gz", "2 payload files, 12 bytes, algorithms md5, "
                                "sha256, sha512");
}

/* ---- Archives that hold no one bag ------------------------------------------------ */

static void test_archive_with_two_top_folders_is_refused(void **state) {
  fixture *f = *state;
  /* bag/bagit.txt and other/bagit.txt side by side */
  locale_t utf8 = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
  locale_t before = uselocale(utf8);
  struct archive *a = archive_write_new();
  archive_write_set_format_pax_restricted(a);
  archive_write_add_filter_gzip(a);
  assert_int_equal(archive_write_open_filename(a, at(f, "two.tar.gz")),
                   ARCHIVE_OK);
  add_entry(a, "bag/bagit.txt", 0, "x", 1);
  add_entry(a, "other/bagit.txt", 0, "x", 1);
  archive_write_close(a);
  archive_write_free(a);
  uselocale(before);
  freelocale(utf8);
  assert_invalid(f, "two.tar.gz");
  assert_said(f, "quire: verify: two.tar.gz: the archive holds several "
                 "entries at its top (bag, other); a bag in an archive is "
                 "one folder\n");
}

static void test_archive_without_bagit_txt_is_refused(void **state) {
  fixture *f = *state;
  make_usual_bag(f, "bag");
  assert_int_equal(unlink(at(f, "bag/bagit.txt")), 0);
  pack(f, "bag", "bag.tar.gz", TAGS_FIRST);
  assert_invalid(f, "bag.tar.gz");
  assert_said(f, "quire: verify: bag.tar.gz: no top-level folder holds "
                 "bagit.txt\n");
}

static void test_file_that_is_no_archive_is_refused(void **state) {
  fixture *f = *state;
  write_text(at(f, "notes.txt"), "Just some text, not an archive.\n");
  assert_invalid(f, "notes.txt");
  assert_said(f, "quire: verify: notes.txt: cannot be read as an archive");
}

/* ---- Hostile input ----------------------------------------------------------- */

static void test_overlong_manifest_line_is_named(void **state) {
  fixture *f = *state;
  size_t n = 70000;
  char *line = malloc(n + 1);
  assert_non_null(line);
  hex_digest(SHA256, "", 0, line);
  memcpy(line + 64, "  data/", 7);
  memset(line + 71, 'x', n - 71);
  line[n] = '\0';
  bag_spec spec = {.files = usual_payload, .n_files = N_USUAL,
                   .manifests = SHA256, .manifest_line = line};
  make_bag(f, "bag", &spec);
  free(line);
  assert_invalid(f, "bag");
  assert_said(f, "bag: manifest-sha256.txt:5: longer than 65536 bytes\n");
  assert_files_named(f, "bag", "manifest-sha256.txt");
}

static void test_archive_entry_leaving_its_folder_is_named(void **state) {
  fixture *f = *state;
  make_usual_bag(f, "bag");
  write_text(at(f, "evil.txt"), "outside\n");
  pack(f, "bag", "bag.tar.gz", TAGS_FIRST);
  /* the same archive and one entry more, "bag/../evil.txt" */
  locale_t utf8 = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
  locale_t before = uselocale(utf8);
  struct archive *in = archive_read_new(), *out = archive_write_new();
  archive_read_support_filter_all(in);
  archive_read_support_format_all(in);
  assert_int_equal(archive_read_open_filename(in, at(f, "bag.tar.gz"),
                                              65536), ARCHIVE_OK);
  archive_write_set_format_pax_restricted(out);
  archive_write_add_filter_gzip(out);
  assert_int_equal(archive_write_open_filename(out, at(f, "evil.tar.gz")),
                   ARCHIVE_OK);
  struct archive_entry *e;
  char buf[65536];
  while (archive_read_next_header(in, &e) == ARCHIVE_OK) {
    assert_int_equal(archive_write_header(out, e), ARCHIVE_OK);
    la_ssize_t got;
    while ((got = archive_read_data(in, buf, sizeof buf)) > 0)
      archive_write_data(out, buf, (size_t)got);
  }
  add_entry(out, "bag/../evil.txt", 0, "outside\n", 8);
  archive_write_close(out);
  archive_write_free(out);
  archive_read_free(in);
  uselocale(before);
  freelocale(utf8);
  assert_invalid(f, "evil.tar.gz");
  assert_said(f, "quire: verify: evil.tar.gz: bag/../evil.txt: the path goes "
                 "up with '..'; a bag's files stay inside its folder\n");
  assert_files_named(f, "evil.tar.gz", "bag/../evil.txt");
}

/* An archive that breaks off after its first entries: said, and nothing
 * else (the files after the break would all be "missing"). */
static void test_truncated_archive_is_named(void **state) {
  fixture *f = *state;
  /* 512 KiB that gzip cannot shrink, so the break falls inside it */
  size_t n = 512 * 1024;
  char *noise = malloc(n + 1);
  assert_non_null(noise);
  uint32_t x = 12345;
  for (size_t i = 0; i < n; i++) {
    x = x * 1103515245u + 12345u;
    noise[i] = (char)('a' + (x >> 16) % 26);
  }
  noise[n] = '\0';
  payload files[] = {{"data/a.txt", "A.\n"}, {"data/noise.txt", noise}};
  bag_spec spec = {.files = files, .n_files = 2};
  make_bag(f, "bag", &spec);
  free(noise);
  const char *path = pack(f, "bag", "bag.tar.gz", TAGS_FIRST);
  struct stat st;
  assert_int_equal(stat(path, &st), 0);
  assert_int_equal(truncate(path, st.st_size / 2), 0);
  assert_invalid(f, "bag.tar.gz");
  assert_said(f, "quire: verify: bag.tar.gz: the archive cannot be read to "
                 "its end: ");
  assert_said(f, "bag.tar.gz: not a valid bag (1 error)\n");
}

/* ---- Another tool's bag --------------------------------------------------------- */

/* As older tools write them: BagIt 0.97, md5 and sha1 manifests only, a
 * tab between checksum and path, CRLF line ends in the tag files. */
static void test_md5_and_sha1_bag_of_another_tool_verifies(void **state) {
  fixture *f = *state;
  bag_spec spec = {.files = usual_payload, .n_files = N_USUAL,
                   .manifests = MD5 | SHA1, .tag_manifests = MD5,
                   .bagit = "BagIt-Version: 0.97\r\n"
                            "Tag-File-Character-Encoding: UTF-8\r\n",
                   .eol = "\r\n", .sep = "\t",
                   .info = "Bag-Software-Agent: bagit.py v1.8.1\r\n"};
  make_bag(f, "old", &spec);
  assert_valid(f, "old", "4 payload files, 65 bytes, algorithms md5, sha1");
  pack(f, "old", "old.zip", TAGS_LAST);
  assert_valid(f, "old.zip", "4 payload files, 65 bytes, algorithms md5, "
                             "sha1");
  change_byte(at(f, "old/data/sources/001.txt"));
  assert_invalid(f, "old");
  assert_said(f, "old: data/sources/001.txt: md5 differs from "
                 "manifest-md5.txt\n");
  assert_said(f, "old: data/sources/001.txt: sha1 differs from "
                 "manifest-sha1.txt\n");
  assert_files_named(f, "old", "data/sources/001.txt");
}

/* An algorithm quire does not know is a warning; the others still
 * count. */
static void test_unknown_algorithm_is_a_warning(void **state) {
  fixture *f = *state;
  bag_spec spec = {.files = usual_payload, .n_files = N_USUAL,
                   .tag_name = "manifest-blake3.txt", .tag_text = ""};
  make_bag(f, "bag", &spec);
  assert_valid(f, "bag", USUAL_VALID);
  assert_said(f, "quire: verify: warning: bag: manifest-blake3.txt: "
                 "algorithm 'blake3' is not one quire knows");
}

/* Tag manifests SHOULD list every tag file: one they miss is a
 * warning. */
static void test_tag_file_not_in_tag_manifests_is_a_warning(void **state) {
  fixture *f = *state;
  make_usual_bag(f, "bag");
  write_text(at(f, "bag/notes/readme.txt"), "About this bag.\n");
  assert_valid(f, "bag", USUAL_VALID);
  assert_said(f, "quire: verify: warning: bag: notes/readme.txt: not in "
                 "tagmanifest-sha256.txt, tagmanifest-sha512.txt\n");
}

/* Unlike other tag files, every payload manifest must be in every tag
 * manifest (RFC 8493 §2.2.1). */
static void test_payload_manifest_not_in_tag_manifest_is_named(void **state) {
  fixture *f = *state;
  make_usual_bag(f, "bag");
  /* manifest-md5.txt, right but added after the tag manifests */
  FILE *m = fopen(at(f, "bag/manifest-md5.txt"), "w");
  assert_non_null(m);
  for (size_t i = 0; i < N_USUAL; i++) {
    char hex[2 * MD5_DIGEST_SIZE + 1];
    const char *t = usual_payload[i].text;
    hex_digest(MD5, t, strlen(t), hex);
    fprintf(m, "%s  ", hex);
    put_path(m, usual_payload[i].path);
    fputc('\n', m);
  }
  assert_int_equal(fclose(m), 0);
  assert_invalid(f, "bag");
  assert_said(f, "quire: verify: bag: manifest-md5.txt: not in "
                 "tagmanifest-sha256.txt, tagmanifest-sha512.txt\n");
  assert_files_named(f, "bag", "manifest-md5.txt");
}

/* Paths some tools write: "./data/..." names the same file; md5sum's
 * "*data/..." is accepted with a warning. */
static void test_dot_slash_and_star_paths_are_accepted(void **state) {
  fixture *f = *state;
  static const payload two[] = {{"data/a.txt", "A.\n"},
                                {"data/b.txt", "B.\n"}};
  static const char *const written[] = {"./data/a.txt", "*data/b.txt"};
  bag_spec spec = {.files = two, .n_files = 2, .manifests = SHA256,
                   .tag_manifests = SHA256, .sep = " ", .written = written};
  make_bag(f, "bag", &spec);
  assert_valid(f, "bag", "2 payload files, 6 bytes, algorithm sha256");
  assert_said(f, "quire: verify: warning: bag: manifest-sha256.txt:2: '*' "
                 "before the path, as md5sum writes it");
  assert_files_named(f, "bag", "manifest-sha256.txt");
}

/* ---- quire's own bags and bagit.py's ------------------------------------------------ */

static void test_bag_of_quire_bundle_verifies(void **state) {
  fixture *f = *state;
  if (access(BAG_PLUGIN, F_OK) != 0)
    test_skip("the bag plugin is not built (%s)", BAG_PLUGIN);
  const char *kinds[] = {"tar.gz", "zip"};
  for (int i = 0; i < 2; i++) {
    char out[64];
    snprintf(out, sizeof out, "corpus-bundle.%s", kinds[i]);
    run_result_free(&f->r);
    const char *argv[] = {QUIRE_BIN, "bundle",
                          QUIRE_SOURCE_DIR "/corpus/000_89428971a2145b71.txt",
                          QUIRE_SOURCE_DIR "/corpus/001_0bd458d27c3695d7.txt",
                          "-o", out, NULL};
    run_opts opts = {.cwd = f->dir};
    assert_int_equal(run_cmd(argv, &opts, &f->r), 0);
    if (!f->r.exited || f->r.status != 0)
      fail_msg("quire bundle failed:\n%s", f->r.err);
    assert_int_equal(verify(f, out), 0);
    assert_true(strstr(f->r.out, "valid bag (") != NULL);
    assert_true(strstr(f->r.out, "algorithms sha256, sha512)") != NULL);
  }
}

/* bagit.py (Library of Congress) makes the bag; quire must find it valid.
 * Not in Debian 12, so it runs where someone installed it. */
static void test_bag_of_bagit_py_verifies(void **state) {
  fixture *f = *state;
  run_result r = {0};
  const char *probe[] = {"/usr/bin/python3", "-c", "import bagit", NULL};
  if (access(probe[0], X_OK) != 0 || run_cmd(probe, NULL, &r) != 0 ||
      !r.exited || r.status != 0) {
    run_result_free(&r);
    test_skip("bagit.py is not installed (python3 -c 'import bagit' fails; "
              "it is not packaged in Debian 12)");
  }
  run_result_free(&r);
  for (size_t i = 0; i < N_USUAL; i++)
    write_text(at(f, "py/%s", usual_payload[i].path + 5),
               usual_payload[i].text);
  const char *make[] = {"/usr/bin/python3", "-m", "bagit", "--md5",
                        "--sha256", "--sha512", at(f, "py"), NULL};
  assert_int_equal(run_cmd(make, NULL, &r), 0);
  if (!r.exited || r.status != 0)
    fail_msg("bagit.py failed:\n%s", r.err);
  run_result_free(&r);
  assert_int_equal(verify(f, "py"), 0);
  assert_true(strstr(f->r.out, "valid bag (4 payload files, 65 bytes") !=
              NULL);
  pack(f, "py", "py.tar.gz", TAGS_LAST);
  assert_int_equal(verify(f, "py.tar.gz"), 0);
}

/* ---- The command line ---------------------------------------------------------- */

static void test_usage_errors_exit_2(void **state) {
  fixture *f = *state;
  const char *none[] = {QUIRE_BIN, "verify", NULL};
  const char *two[] = {QUIRE_BIN, "verify", "a", "b", NULL};
  const char *option[] = {QUIRE_BIN, "verify", "--fast", "a", NULL};
  const char *const *cases[] = {none, two, option};
  for (int i = 0; i < 3; i++) {
    run_result_free(&f->r);
    assert_int_equal(run_cmd(cases[i], NULL, &f->r), 0);
    assert_true(f->r.exited);
    assert_int_equal(f->r.status, 2);
    assert_said(f, "Try 'quire verify --help' for more information.");
  }
  assert_int_equal(verify(f, "no-such-bag.tar.gz"), 2);
  assert_said(f, "quire: verify: no-such-bag.tar.gz: No such file or "
                 "directory\n");
}

static void test_help_prints_usage(void **state) {
  fixture *f = *state;
  const char *argv[] = {QUIRE_BIN, "verify", "--help", NULL};
  assert_int_equal(run_cmd(argv, NULL, &f->r), 0);
  assert_int_equal(f->r.status, 0);
  assert_true(strncmp(f->r.out, "Usage: quire verify BUNDLE\n", 27) == 0);
}

int main(void) {
  test_filters_from_env();
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_valid_bag_folder_verifies, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(
          test_valid_bag_as_tar_gz_and_zip_verifies, setup, teardown),
      cmocka_unit_test_setup_teardown(
          test_manifests_before_or_after_payload_verify, setup, teardown),
      cmocka_unit_test_setup_teardown(test_changed_byte_names_the_file, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(
          test_file_names_are_printed_percent_encoded, setup, teardown),
      cmocka_unit_test_setup_teardown(test_removed_payload_file_is_named,
                                      setup, teardown),
      cmocka_unit_test_setup_teardown(
          test_payload_file_not_in_manifests_is_named, setup, teardown),
      cmocka_unit_test_setup_teardown(
          test_edited_bag_info_differs_from_tag_manifests, setup, teardown),
      cmocka_unit_test_setup_teardown(test_wrong_payload_oxum_is_named, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(test_malformed_payload_oxum_is_named,
                                      setup, teardown),
      cmocka_unit_test_setup_teardown(test_bad_bagit_txt_is_named, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(
          test_bagit_txt_with_byte_order_mark_is_named, setup, teardown),
      cmocka_unit_test_setup_teardown(test_bagit_txt_with_one_line_is_named,
                                      setup, teardown),
      cmocka_unit_test_setup_teardown(test_missing_bagit_txt_is_named, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(test_manifest_path_going_up_is_named,
                                      setup, teardown),
      cmocka_unit_test_setup_teardown(test_absolute_manifest_path_is_named,
                                      setup, teardown),
      cmocka_unit_test_setup_teardown(test_bad_checksum_in_manifest_is_named,
                                      setup, teardown),
      cmocka_unit_test_setup_teardown(test_fetch_txt_is_named, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(test_symbolic_link_is_named, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(test_several_problems_are_all_named,
                                      setup, teardown),
      cmocka_unit_test_setup_teardown(
          test_broken_bag_says_the_same_in_any_form, setup, teardown),
      cmocka_unit_test_setup_teardown(test_hard_link_in_tar_verifies, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(
          test_archive_with_two_top_folders_is_refused, setup, teardown),
      cmocka_unit_test_setup_teardown(
          test_archive_without_bagit_txt_is_refused, setup, teardown),
      cmocka_unit_test_setup_teardown(test_file_that_is_no_archive_is_refused,
                                      setup, teardown),
      cmocka_unit_test_setup_teardown(test_overlong_manifest_line_is_named,
                                      setup, teardown),
      cmocka_unit_test_setup_teardown(
          test_archive_entry_leaving_its_folder_is_named, setup, teardown),
      cmocka_unit_test_setup_teardown(test_truncated_archive_is_named, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(
          test_md5_and_sha1_bag_of_another_tool_verifies, setup, teardown),
      cmocka_unit_test_setup_teardown(test_unknown_algorithm_is_a_warning,
                                      setup, teardown),
      cmocka_unit_test_setup_teardown(
          test_tag_file_not_in_tag_manifests_is_a_warning, setup, teardown),
      cmocka_unit_test_setup_teardown(
          test_payload_manifest_not_in_tag_manifest_is_named, setup,
          teardown),
      cmocka_unit_test_setup_teardown(
          test_dot_slash_and_star_paths_are_accepted, setup, teardown),
      cmocka_unit_test_setup_teardown(test_bag_of_quire_bundle_verifies,
                                      setup, teardown),
      cmocka_unit_test_setup_teardown(test_bag_of_bagit_py_verifies, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(test_usage_errors_exit_2, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(test_help_prints_usage, setup,
                                      teardown),
  };
  return test_main_status(cmocka_run_group_tests(tests, NULL, NULL));
}
