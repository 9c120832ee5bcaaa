/* temp_file.h - a temporary file with no name in $TMPDIR, for the plugins
 * that spool (the EPUB writer's chapters and container, the first document
 * the JSON, HTML and text writers hold, the bag's manifests).  Not a
 * plugin: the static library quire_temp_file. */
#ifndef QUIRE_TEMP_FILE_H
#define QUIRE_TEMP_FILE_H

#include <stdio.h>

/* A new file open for reading and writing in $TMPDIR (/tmp when unset or
 * empty), with no name: O_TMPFILE, else a file made and unlinked at once.
 * It vanishes when closed, however the process ends.  The descriptor
 * (close-on-exec; the caller closes it), or -1 with errno set. */
int temp_file_fd(void);

/* The same file as a stdio stream open for update ("w+b"), for code that
 * spools with fwrite; fclose removes it.  NULL with errno set.  Use this,
 * not tmpfile(), which puts its file in /tmp whatever $TMPDIR says. */
FILE *temp_file_stream(void);

/* $TMPDIR, or /tmp: where temp_file_fd makes its files, for messages. */
const char *temp_file_dir(void);

#endif
