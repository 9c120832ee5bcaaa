/* fuzz_reader.c - a fuzz target for one reader: the bytes given are read
 * as FUZZ_FORMAT and written through every writer the plugins provide
 * (those of binary containers on one input in 32), and once more as txt
 * through the clean transform, in memory, under the sanitizers; any crash,
 * leak or undefined behaviour is a finding.  The replay program
 * (FUZZ_REPLAY) writes every input with every writer.
 *
 * Container formats (FUZZ_ENTRIES: epub, archive) take their input as
 * entries (fuzz_entries.c) which are zipped before reading, so that the
 * fuzzer works on the package, its documents and their names rather than
 * on the ZIP format's checksums; an input starting with a ZIP or other
 * archive signature is read as it is.
 *
 * Built by fuzz/CMakeLists.txt once per reader format, as a libFuzzer
 * target with QUIRE_FUZZ=ON (clang), else as a program replaying the files
 * named on its command line (the CI's short run). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <quire/quire.h>

#include "fuzz_entries.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

enum { MAX_WRITERS = 32 };

static quire_session *session;
static const char *writers[MAX_WRITERS];
static int heavy[MAX_WRITERS];    /* a binary container: EPUB, bag */
static size_t n_writers;
static int replay_all;            /* the replay program: every writer */

static void setup(void) {
  if (session)
    return;
  session = quire_session_new();
  if (!session || quire_load_plugins(session) != QUIRE_OK) {
    fprintf(stderr, "fuzz: cannot load quire's plugins\n");
    abort();
  }
  /* FUZZ_WRITERS=txt,json: only those writers (to find which one a
   * finding needs, or to measure). */
  const char *only = getenv("FUZZ_WRITERS");
  for (size_t i = 0; i < quire_format_count(session); i++) {
    const quire_format *f = quire_format_at(session, i)->format;
    if (!f->write_open || n_writers == MAX_WRITERS)
      continue;
    size_t n = strlen(f->name);
    const char *at = only ? strstr(only, f->name) : NULL;
    while (at && !((at == only || at[-1] == ',') &&
                   (at[n] == ',' || at[n] == '\0')))
      at = strstr(at + 1, f->name);
    if (!only || at) {
      heavy[n_writers] = f->binary && !only;
      writers[n_writers++] = f->name;
    }
  }
  if (!quire_format_find(session, FUZZ_FORMAT) || n_writers == 0) {
    fprintf(stderr, "fuzz: no reader for %s, or no writer\n", FUZZ_FORMAT);
    abort();
  }
}

/* One conversion of src to `to`, with `transform` (may be NULL). */
static void convert(const quire_source *src, const char *to,
                    const char *transform) {
  /* The bag writer needs to be told its archive's kind in memory. */
  static const quire_option bag = {"bag-archive", "tar"};
  int is_bag = strcmp(to, "bag") == 0;
  char *out = NULL;
  size_t len = 0;
  quire_status st = {0};
  quire_job job = {.sources = src, .n_sources = 1, .to = to,
                   .options = is_bag ? &bag : NULL, .n_options = is_bag,
                   .transforms = transform ? &transform : NULL,
                   .n_transforms = transform != NULL,
                   .output_data = &out, .output_len = &len,
                   .keep_going = 1, .status = &st};
  int rc = quire_convert(session, &job);
  /* FUZZ_VERBOSE=1: what each conversion gave, to check a seed reaches
   * the writers. */
  static int verbose = -1;
  if (verbose < 0)
    verbose = getenv("FUZZ_VERBOSE") != NULL;
  if (verbose)
    fprintf(stderr, "fuzz: %s%s%s: %d, %zu bytes, %zu documents%s%s\n", to,
            transform ? " --" : "", transform ? transform : "", rc, len,
            st.documents, st.error.message ? ": " : "",
            st.error.message ? st.error.message : "");
  free(out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  setup();
  unsigned char *packed = NULL;
#ifdef FUZZ_ENTRIES
  size_t packed_len = 0;
  if (fuzz_entries_zip(data, size, &packed, &packed_len) == 0) {
    data = packed;
    size = packed_len;
  }
#endif
  quire_source src = {.name = "input", .format = FUZZ_FORMAT,
                      .data = data, .len = size};
  /* The writers of binary containers cost ten to twenty times the others
   * (temporary files, compression): they take one input in 32, chosen by
   * its bytes so that a finding replays, which keeps a small input at
   * about a thousand executions a second. */
  unsigned hash = 2166136261u;
  for (size_t i = 0; i < size && i < 64; i++)
    hash = (hash ^ data[i]) * 16777619u;
  for (size_t i = 0; i < n_writers; i++)
    if (!heavy[i] || hash % 32 == 0 || replay_all)
      convert(&src, writers[i], NULL);
  convert(&src, "txt", "clean");
  free(packed);
  return 0;
}

#ifdef FUZZ_REPLAY
/* Replays each file named: exit status 0 when none crashed. */
int main(int argc, char **argv) {
  replay_all = 1;
  for (int i = 1; i < argc; i++) {
    FILE *fp = fopen(argv[i], "rb");
    if (!fp) {
      perror(argv[i]);
      return 2;
    }
    size_t cap = 1 << 16, len = 0;
    unsigned char *buf = malloc(cap);
    size_t n;
    while (buf && (n = fread(buf + len, 1, cap - len, fp)) > 0) {
      len += n;
      if (len == cap) {
        unsigned char *grown = realloc(buf, cap *= 2);
        if (!grown)
          free(buf);
        buf = grown;
      }
    }
    fclose(fp);
    if (!buf) {
      fprintf(stderr, "fuzz: out of memory\n");
      return 2;
    }
    LLVMFuzzerTestOneInput(buf, len);
    free(buf);
  }
  quire_session_free(session);
  return 0;
}
#endif
