/* inputs.h - the list of input files a job names, folders expanded. */
#ifndef QUIRE_CORE_INPUTS_H
#define QUIRE_CORE_INPUTS_H

#include "ctx.h"

typedef struct input_list {
  char **paths;               /* "-" for standard input */
  size_t count;
} input_list;

/* Expands a job's inputs: "-" stays, a folder becomes its regular, visible
 * files sorted by name, anything else stays (a file that does not exist
 * fails when it is opened).  No inputs and no sources means "-" (pass
 * n == 0 and no_default non-zero to get an empty list).  QUIRE_FATAL with
 * c's error set when a folder cannot be listed. */
int inputs_expand(qctx *c, const char *const *inputs, size_t n,
                  int no_default, input_list *list);
void inputs_free(input_list *list);

/* The file name in `path` (what follows its last '/').  *stem_len is the
 * length of the name before its extension; *ext is the extension after the
 * dot, or NULL when there is none (a leading dot starts no extension). */
const char *path_name(const char *path, size_t *stem_len, const char **ext);

#endif
