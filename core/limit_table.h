/* limit_table.h - the limits every reader obeys, in one place. */
#ifndef QUIRE_CORE_LIMIT_TABLE_H
#define QUIRE_CORE_LIMIT_TABLE_H

#include <stdint.h>

enum {
  QUIRE_LIMIT_INPUT_SIZE,
  QUIRE_LIMIT_DEPTH,
  QUIRE_LIMIT_EXPANDED_SIZE,
  QUIRE_LIMIT_RATIO,
  QUIRE_LIMIT_ENTRIES,
  QUIRE_LIMIT_NESTING,
  QUIRE_LIMIT_CORPUS_MEMORY,
  QUIRE_LIMIT_COUNT
};

/* The index of limit `name`, or -1. */
int limit_index(const char *name);

#endif
