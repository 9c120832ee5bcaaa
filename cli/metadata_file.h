/* metadata_file.h - --metadata-file FILE: corpus metadata from a YAML or
 * JSON file, as pandoc's option of that name reads it. */
#ifndef QUIRE_CLI_METADATA_FILE_H
#define QUIRE_CLI_METADATA_FILE_H

#include <quire/quire.h>

#include <stddef.h>

typedef struct metadata_list {
  quire_option *items;        /* names and values owned by the list */
  size_t n;
} metadata_list;

/* Reads FILE: JSON (with jansson) when its name ends in .json or its text
 * starts with '{', else YAML (with libyaml).  The top is a mapping; each
 * value is text, a number, a boolean or a list of them (one entry each;
 * null gives none).  NULL on success; else a message for a usage error,
 * in `why` (size bytes). */
const char *metadata_file_read(const char *path, metadata_list *out,
                               char *why, size_t size);
void metadata_list_free(metadata_list *l);

#endif
