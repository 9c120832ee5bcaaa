/* bag_walk.h - the files of a bag as they come: from an archive that
 * libarchive reads (tar, compressed or not, zip, 7z ...), entry by entry in
 * one pass, or from a folder, walked without following symbolic links.
 * Bytes are handed over as they are read; nothing is extracted to disk and
 * no file is held whole in memory. */
#ifndef QUIRE_CLI_BAG_WALK_H
#define QUIRE_CLI_BAG_WALK_H

#include <stddef.h>

typedef enum bag_entry_kind {
  BAG_ENTRY_FILE,      /* a regular file: its bytes can be read */
  BAG_ENTRY_DIR,
  BAG_ENTRY_SYMLINK,
  BAG_ENTRY_HARDLINK,  /* an archive's hard link: the bytes are target's */
  BAG_ENTRY_OTHER      /* a device, a FIFO, a socket */
} bag_entry_kind;

typedef struct bag_entry {
  /* '/'-separated, without a trailing '/'.  From an archive: the entry's
   * name as stored (UTF-8 where the archive says how it is encoded), not
   * checked (it may start with "/" or hold ".."); from a folder: relative
   * to it. */
  const char *path;
  bag_entry_kind kind;
  const char *target;  /* BAG_ENTRY_HARDLINK: the entry it links to */
} bag_entry;

/* What the walk calls; user is passed back.  Each returns 0 to go on or -1
 * to stop the walk (memory is exhausted, say). */
typedef struct bag_walk_ops {
  /* An entry.  For a file, *want_bytes (0 on entry) set to 1 asks for its
   * bytes: data() follows for each piece, then done(). */
  int (*entry)(void *user, const bag_entry *e, int *want_bytes);
  int (*data)(void *user, const void *bytes, size_t n);
  /* The file's bytes are over: error is NULL when all were read, else
   * why the rest could not be. */
  int (*done)(void *user, const char *error);
  /* Something at path (NULL: an archive entry without a readable name)
   * the walk could not look at, such as a folder that cannot be opened,
   * said in message; the walk goes on. */
  int (*problem)(void *user, const char *path, const char *message);
} bag_walk_ops;

typedef enum bag_walk_status {
  BAG_WALK_OK,
  BAG_WALK_STOPPED,     /* a callback returned -1 */
  BAG_WALK_UNREADABLE,  /* path itself cannot be opened: message says why */
  BAG_WALK_BROKEN       /* not an archive libarchive reads, or one that
                           breaks off part way: message says why */
} bag_walk_status;

/* Non-zero when path (followed if it is a symbolic link) is a folder. */
int bag_walk_is_folder(const char *path);

/* Walks the archive or folder at path, calling ops.  A folder's files
 * come before its sub-folders', each group in name order, so the tag
 * files at a bag's top come before its payload; an archive's come in the
 * archive's order.  On a status other than BAG_WALK_OK, message (size
 * bytes) says what went wrong. */
bag_walk_status bag_walk(const char *path, const bag_walk_ops *ops,
                         void *user, char *message, size_t size);

#endif
