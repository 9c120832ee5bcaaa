/* inputs.h - the list of input files a job names, folders expanded. */
#ifndef QUIRE_CORE_INPUTS_H
#define QUIRE_CORE_INPUTS_H

#include "ctx.h"

typedef struct input_list {
  char **paths;               /* "-" for standard input */
  size_t count;
} input_list;

/* How folders are expanded. */
typedef struct inputs_opts {
  int recursive;              /* sub-folders' files too, in place */
  const char *from;           /* non-NULL (-f): every file is an input */
  int strict;                 /* a file no plugin reads stays an input */
} inputs_opts;

/* Expands a job's inputs: "-" stays, a folder becomes its regular, visible
 * files sorted by name (with opt->recursive, its sub-folders' files in
 * their place; links to folders are not followed), anything else stays (a
 * file that does not exist fails when it is opened).  A folder's file that
 * no plugin reads (registry_reads_file) is left out with a warning, unless
 * opt->from or opt->strict is set.  No inputs and no sources means "-"
 * (pass n == 0 and no_default non-zero to get an empty list).
 * QUIRE_FATAL with c's error set when a folder cannot be listed or holds
 * no file to convert.  opt may be NULL. */
int inputs_expand(qctx *c, const char *const *inputs, size_t n,
                  int no_default, const inputs_opts *opt, input_list *list);
void inputs_free(input_list *list);

/* The file name in `path` (what follows its last '/').  *stem_len is the
 * length of the name before its extension; *ext is the extension after the
 * dot, or NULL when there is none (a leading dot starts no extension). */
const char *path_name(const char *path, size_t *stem_len, const char **ext);

#endif
