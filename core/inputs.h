/* inputs.h - the list of input files a job names, folders expanded. */
#ifndef QUIRE_CORE_INPUTS_H
#define QUIRE_CORE_INPUTS_H

#include "session.h"

typedef struct input_list {
  char **paths;               /* "-" for standard input */
  size_t count;
} input_list;

/* Expands a job's inputs: "-" stays, a folder becomes its regular, visible
 * files sorted by name, a file stays.  No inputs means "-".  QUIRE_ERR with
 * the session's error set when an input does not exist. */
int inputs_expand(quire_session *s, const char *const *inputs, size_t n,
                  input_list *list);
void inputs_free(input_list *list);

/* The file name in `path` (what follows its last '/').  *stem_len is the
 * length of the name before its extension; *ext is the extension after the
 * dot, or NULL when there is none (a leading dot starts no extension). */
const char *path_name(const char *path, size_t *stem_len, const char **ext);

#endif
