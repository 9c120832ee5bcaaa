/* registry.h - the formats and transforms of the loaded plugins. */
#ifndef QUIRE_CORE_REGISTRY_H
#define QUIRE_CORE_REGISTRY_H

#include "ctx.h"

/* Registers a loaded plugin and its formats and transforms; a name already
 * registered by an earlier plugin stays with it (first found wins).  Takes
 * ownership of p on success.  QUIRE_ERR when memory is exhausted. */
int registry_add_plugin(quire_session *s, loaded_plugin *p);

/* The loaded plugin that provides format f. */
loaded_plugin *registry_plugin_of(const quire_session *s,
                                  const quire_format_info *f);
loaded_plugin *registry_plugin_of_transform(const quire_session *s,
                                            const quire_transform_info *t);

/* Non-zero when `name` is one of the comma-separated `list` ("txt,text"),
 * ignoring case when fold_case is non-zero.  list may be NULL. */
int name_in_list(const char *list, const char *name, int fold_case);
/* Whether a metadata key is in a writer's metadata_keys: by name, or by an
 * entry ending in ':' that begins it ("creator:" takes "creator:ill"). */
int meta_key_in_list(const char *list, const char *key);

/* The transform called `name`, or NULL. */
const quire_transform_info *registry_transform_find(const quire_session *s,
                                                    const char *name);

/* The format with the highest sniffer bid for head[0..len) among those
 * that read, or NULL when none bids. */
const quire_format_info *registry_sniff(const quire_session *s,
                                        const unsigned char *head, size_t len);

/* Non-zero when a loaded format reads the file at `path`: by the
 * extension of its name, else by the sniffers' bid for its first 4096
 * bytes.  A file that cannot be opened counts as read (it fails when its
 * turn comes). */
int registry_reads_file(const quire_session *s, const char *path);

/* The format to read input `in` with: `from` when given, else by the
 * extension of `name` (NULL: none), else by the sniffers' highest bid.
 * NULL with c's error set when none fits. */
const quire_format_info *registry_pick_reader(qctx *c, quire_input *in,
                                              const char *name,
                                              const char *from);

#endif
