/* compose.h - formats that contain formats: sub-inputs a reader hands to
 * the core, and documents a writer renders through another writer.  These
 * are the services sub_* and render_* of plugin.h. */
#ifndef QUIRE_CORE_COMPOSE_H
#define QUIRE_CORE_COMPOSE_H

#include "ctx.h"

int compose_sub_open(quire_env *env, const quire_source *src,
                     quire_sub **sub);
int compose_sub_next(quire_env *env, quire_sub *sub, quire_doc **doc);
int compose_sub_close(quire_env *env, quire_sub *sub);
const char *compose_sub_format(quire_env *env, const quire_source *src);

int compose_render_open(quire_env *env, const char *format,
                        const quire_options *opts, const quire_meta *corpus,
                        quire_write_fn sink, void *user, quire_render **r);
int compose_render_doc(quire_env *env, quire_render *r, const quire_doc *doc);
int compose_render_close(quire_env *env, quire_render *r, int ok,
                         char **data, size_t *len);

#endif
