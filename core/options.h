/* options.h - the job's options, routed to the readers, writers and
 * transforms that declare them.
 *
 * An option is given as NAME or as OWNER:NAME, OWNER being a format or a
 * transform.  A plain name goes to every selected reader (for a reader's
 * option), writer (a writer's option) and transform that declares it; a
 * scoped one only to its owner.  Plugins see the plain name. */
#ifndef QUIRE_CORE_OPTIONS_H
#define QUIRE_CORE_OPTIONS_H

#include "ctx.h"

/* The job's options for component `owner` (a format or transform name)
 * whose declarations are specs[0..n), for direction dir (QUIRE_OPT_READ or
 * QUIRE_OPT_WRITE; 0 for a transform).  The list is stored in a malloc'd
 * array *storage, which the caller frees after the component is closed.
 * QUIRE_OK, or QUIRE_FATAL when memory is exhausted. */
int options_pick(qctx *c, const quire_job *job, const char *owner,
                 const quire_option_spec *specs, size_t n, unsigned dir,
                 quire_options *out, quire_option **storage);

/* Non-zero when specs[0..n) declare `name` for direction dir (any
 * direction when dir is 0). */
int options_declares(const quire_option_spec *specs, size_t n,
                     const char *name, unsigned dir);

/* Checks that every option of the job is used by the writer, by one of
 * the readers that may run (`readers`, n_readers; NULL with n_readers 0
 * meaning any reader may) or by a transform, in the direction it was
 * declared for.  QUIRE_FATAL with a usage error otherwise. */
int options_check(qctx *c, const quire_job *job,
                  const quire_format_info *writer,
                  const quire_format_info *const *readers, size_t n_readers,
                  int any_reader,
                  const quire_transform_info *const *transforms,
                  size_t n_transforms);

#endif
