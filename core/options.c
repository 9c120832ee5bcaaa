/* options.c - the job's options, routed to the readers, writers and
 * transforms that declare them. */
#include <quire/quire.h>

#include <stdlib.h>
#include <string.h>

#include "options.h"

int options_declares(const quire_option_spec *specs, size_t n,
                     const char *name, unsigned dir) {
  for (size_t i = 0; i < n; i++)
    if (specs[i].name && strcmp(specs[i].name, name) == 0 &&
        (dir == 0 || (specs[i].direction & dir)))
      return 1;
  return 0;
}

/* Splits "owner:name": the owner's length (0 for a plain name) and the
 * name after it. */
static const char *split_scope(const char *option, size_t *owner_len) {
  const char *colon = strchr(option, ':');
  *owner_len = colon ? (size_t)(colon - option) : 0;
  return colon ? colon + 1 : option;
}

static int owned_by(const char *option, size_t owner_len, const char *owner) {
  return owner_len == 0 ||
         (strlen(owner) == owner_len && strncmp(option, owner, owner_len) == 0);
}

int options_pick(qctx *c, const quire_job *job, const char *owner,
                 const quire_option_spec *specs, size_t n, unsigned dir,
                 quire_options *out, quire_option **storage) {
  size_t given = job ? job->n_options : 0;
  *storage = calloc(given + 1, sizeof **storage);
  if (!*storage)
    return ctx_oom(c);
  size_t count = 0;
  for (size_t i = 0; i < given; i++) {
    size_t owner_len;
    const char *name = split_scope(job->options[i].name, &owner_len);
    if (owned_by(job->options[i].name, owner_len, owner) &&
        options_declares(specs, n, name, dir))
      (*storage)[count++] = (quire_option){name, job->options[i].value};
  }
  *out = (quire_options){*storage, count};
  return QUIRE_OK;
}

static int usage(qctx *c, const char *fmt, const char *a, const char *b) {
  return ctx_fail(c, QUIRE_FATAL, QUIRE_ERROR_USAGE, NULL, fmt, a, b);
}

/* The format or transform an "owner:" prefix names, checked. */
static int check_owner(qctx *c, const char *option, size_t owner_len) {
  char owner[64];
  if (owner_len >= sizeof owner)
    return usage(c, "option --%s%s names no format or transform", option, "");
  memcpy(owner, option, owner_len);
  owner[owner_len] = '\0';
  const quire_format_info *f = quire_format_find(c->s, owner);
  for (size_t t = 0; !f && t < quire_transform_count(c->s); t++)
    if (strcmp(quire_transform_at(c->s, t)->transform->name, owner) == 0)
      return QUIRE_OK;
  if (!f)
    return usage(c, "option --%s: there is no format or transform '%s'",
                 option, owner);
  return QUIRE_OK;
}

int options_check(qctx *c, const quire_job *job,
                  const quire_format_info *writer,
                  const quire_format_info *const *readers, size_t n_readers,
                  int any_reader,
                  const quire_transform_info *const *transforms,
                  size_t n_transforms) {
  for (size_t i = 0; i < job->n_options; i++) {
    const char *option = job->options[i].name;
    size_t owner_len;
    const char *name = split_scope(option, &owner_len);
    if (owner_len && check_owner(c, option, owner_len) != QUIRE_OK)
      return QUIRE_FATAL;
    const quire_format *w = writer->format;
    int used = owned_by(option, owner_len, w->name) &&
               options_declares(w->options, w->n_options, name,
                                QUIRE_OPT_WRITE);
    for (size_t t = 0; !used && t < n_transforms; t++) {
      const quire_transform *tr = transforms[t]->transform;
      used = owned_by(option, owner_len, tr->name) &&
             options_declares(tr->options, tr->n_options, name, 0);
    }
    /* Readers: those of the inputs, or any when an input's format is
     * chosen by content; a reader named outright may read sub-inputs. */
    for (size_t f = 0; !used && f < quire_format_count(c->s); f++) {
      const quire_format_info *rf = quire_format_at(c->s, f);
      int selected = any_reader || owner_len;
      for (size_t r = 0; !selected && r < n_readers; r++)
        selected = readers[r] == rf;
      used = selected && rf->format->read_open &&
             owned_by(option, owner_len, rf->format->name) &&
             options_declares(rf->format->options, rf->format->n_options,
                              name, QUIRE_OPT_READ);
    }
    if (used)
      continue;
    if (owned_by(option, owner_len, w->name) &&
        options_declares(w->options, w->n_options, name, QUIRE_OPT_READ))
      return ctx_fail(c, QUIRE_FATAL, QUIRE_ERROR_USAGE, NULL,
                      "option --%s belongs to the %s reader, but %s is only "
                      "written here", option, w->name, w->name);
    for (size_t r = 0; r < n_readers; r++) {
      const quire_format *rf = readers[r]->format;
      if (owned_by(option, owner_len, rf->name) &&
          options_declares(rf->options, rf->n_options, name, QUIRE_OPT_WRITE))
        return ctx_fail(c, QUIRE_FATAL, QUIRE_ERROR_USAGE, NULL,
                        "option --%s belongs to the %s writer, but %s is "
                        "only read here", option, rf->name, rf->name);
    }
    return usage(c, "option --%s applies to none of the formats and "
                    "transforms of this conversion%s", option, "");
  }
  return QUIRE_OK;
}
