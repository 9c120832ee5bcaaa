/* limit_table.c - the limits every reader obeys: names, defaults, help. */
#include <quire/quire.h>

#include <string.h>

#include "session.h"

static const struct {
  const char *name;
  uint64_t value;
  const char *help;
} limit_table[QUIRE_LIMIT_COUNT] = {
  [QUIRE_LIMIT_INPUT_SIZE] = {"max-input-size", 1ull << 30,
      "largest input file read whole, in bytes"},
  [QUIRE_LIMIT_DEPTH] = {"max-depth", 256,
      "deepest nesting of blocks and inlines kept in a document"},
  [QUIRE_LIMIT_EXPANDED_SIZE] = {"max-expanded-size", 4ull << 30,
      "total bytes a container (zip, archive) may expand to"},
  [QUIRE_LIMIT_RATIO] = {"max-ratio", 200,
      "highest compression ratio of a container entry"},
  [QUIRE_LIMIT_ENTRIES] = {"max-entries", 100000,
      "most entries a container may hold"},
  [QUIRE_LIMIT_NESTING] = {"max-nesting", 8,
      "deepest nesting of inputs in inputs (a book in an archive ...)"},
  [QUIRE_LIMIT_CORPUS_MEMORY] = {"max-corpus-memory", 256ull << 20,
      "memory a transform may keep from its first pass over the corpus"},
};

size_t quire_limit_count(void) { return QUIRE_LIMIT_COUNT; }

const char *quire_limit_name(size_t i) {
  return i < QUIRE_LIMIT_COUNT ? limit_table[i].name : NULL;
}

uint64_t quire_limit_default(size_t i) {
  return i < QUIRE_LIMIT_COUNT ? limit_table[i].value : 0;
}

const char *quire_limit_help(size_t i) {
  return i < QUIRE_LIMIT_COUNT ? limit_table[i].help : NULL;
}

int limit_index(const char *name) {
  for (int i = 0; i < QUIRE_LIMIT_COUNT; i++)
    if (strcmp(limit_table[i].name, name) == 0)
      return i;
  return -1;
}

int quire_limit_set(quire_session *s, const char *name, uint64_t value) {
  int i = limit_index(name);
  if (i < 0) {
    session_fail(s, QUIRE_ERROR_USAGE, NULL, "unknown limit '%s'", name);
    return QUIRE_ERR;
  }
  s->limits[i] = value;
  return QUIRE_OK;
}

uint64_t quire_limit_get(const quire_session *s, const char *name) {
  int i = limit_index(name);
  return i < 0 ? 0 : s->limits[i];
}
