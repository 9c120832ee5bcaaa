/* fuzz_reader.c - a fuzz target for one reader: the bytes given are read
 * as FUZZ_FORMAT and written as txt and as json, in memory, under the
 * sanitizers; any crash, leak or undefined behaviour is a finding.
 *
 * Built by fuzz/CMakeLists.txt once per reader format, as a libFuzzer
 * target with QUIRE_FUZZ=ON (clang), else as a program replaying the files
 * named on its command line (the CI's short run). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <quire/quire.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static quire_session *session(void) {
  static quire_session *s;
  if (!s) {
    s = quire_session_new();
    if (!s || quire_load_plugins(s) != QUIRE_OK) {
      fprintf(stderr, "fuzz: cannot load quire's plugins\n");
      abort();
    }
  }
  return s;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static const char *const targets[] = {"txt", "json"};
  quire_source src = {.name = "input", .format = FUZZ_FORMAT,
                      .data = data, .len = size};
  for (size_t i = 0; i < sizeof targets / sizeof targets[0]; i++) {
    char *out = NULL;
    size_t len = 0;
    quire_status st = {0};
    quire_job job = {.sources = &src, .n_sources = 1, .to = targets[i],
                     .output_data = &out, .output_len = &len,
                     .keep_going = 1, .status = &st};
    quire_convert(session(), &job);
    free(out);
  }
  return 0;
}

#ifdef FUZZ_REPLAY
/* Replays each file named: exit status 0 when none crashed. */
int main(int argc, char **argv) {
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
  quire_session_free(session());
  return 0;
}
#endif
