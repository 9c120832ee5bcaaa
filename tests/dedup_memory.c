/* dedup_memory.c - what the dedup transform's index keeps per document:
 * inserts N synthetic signatures (N from the command line, 1000000 by
 * default), each first looked up as the transform does, with a name like
 * a corpus file's kept beside it as the plugin keeps names, and prints the
 * bytes per document and the process's peak resident memory.  With a
 * second argument B it fails (exit 1) when a document costs more than B
 * bytes, for ctest.
 *
 *     dedup_memory [N [MAX_BYTES_PER_DOC]] */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "dedup_index.h"

static uint64_t splitmix(uint64_t *x) {
  uint64_t z = (*x += UINT64_C(0x9e3779b97f4a7c15));
  z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
  z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
  return z ^ (z >> 31);
}

int main(int argc, char **argv) {
  unsigned long n = argc > 1 ? strtoul(argv[1], NULL, 10) : 1000000;
  double max = argc > 2 ? strtod(argv[2], NULL) : 0;
  dedup_index *x = dedup_index_new(0.8);
  dedup_sig *sig = calloc(1, sizeof *sig);
  if (!x || !sig)
    return 1;
  /* the names, as the plugin keeps them: one arena and an offset each */
  size_t names = 0, offsets = 0;
  uint64_t seed = 1;
  unsigned long found = 0;
  for (unsigned long i = 0; i < n; i++) {
    for (unsigned b = 0; b < DEDUP_BINS; b++) {
      sig->mins[b] = splitmix(&seed) >> 8;
      sig->code[b] = (uint8_t)sig->mins[b];
    }
    sig->exact[0] = splitmix(&seed);
    sig->exact[1] = splitmix(&seed);
    sig->words = 1000;
    dedup_match m;
    found += (unsigned long)dedup_index_query(x, sig, &m);
    if (dedup_index_insert(x, sig, (uint32_t)i) != 0) {
      fprintf(stderr, "dedup_memory: out of memory at %lu\n", i);
      return 1;
    }
    char name[64];
    names += (size_t)snprintf(name, sizeof name, "corpus/%07lu.txt", i) + 1;
    offsets += sizeof(uint32_t);
  }
  size_t index = dedup_index_bytes(x);
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  double per_doc = (double)(index + names + offsets) / (double)n;
  printf("documents        %lu\n", n);
  printf("index bytes      %zu (%.1f per document)\n", index,
         (double)index / (double)n);
  printf("name bytes       %zu (%.1f per document)\n", names + offsets,
         (double)(names + offsets) / (double)n);
  printf("total per doc    %.1f bytes\n", per_doc);
  printf("peak RSS         %ld KB\n", ru.ru_maxrss);
  printf("false matches    %lu\n", found);
  dedup_index_free(x);
  free(sig);
  if (found) {
    fprintf(stderr, "dedup_memory: unrelated signatures matched\n");
    return 1;
  }
  if (max > 0 && per_doc > max) {
    fprintf(stderr, "dedup_memory: %.1f bytes per document, over %.0f\n",
            per_doc, max);
    return 1;
  }
  return 0;
}
