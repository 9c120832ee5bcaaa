/* registry.c - the formats and transforms of the loaded plugins. */
#include <quire/quire.h>

#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "inputs.h"
#include "registry.h"
#include "session.h"
#include "stream.h"

/* The format whose own name is `name`: aliases do not count. */
static const quire_format_info *format_named(const quire_session *s,
                                             const char *name) {
  for (size_t i = 0; i < s->n_formats; i++)
    if (strcasecmp(s->formats[i]->format->name, name) == 0)
      return s->formats[i];
  return NULL;
}

int registry_add_plugin(quire_session *s, loaded_plugin *p) {
  const quire_plugin *d = &p->desc;
  loaded_plugin **plugins =
      realloc(s->plugins, (s->n_plugins + 1) * sizeof *plugins);
  if (!plugins)
    return QUIRE_ERR;
  s->plugins = plugins;
  quire_format_info **formats =
      realloc(s->formats, (s->n_formats + d->n_formats + 1) * sizeof *formats);
  if (!formats)
    return QUIRE_ERR;
  s->formats = formats;
  quire_transform_info **transforms = realloc(
      s->transforms, (s->n_transforms + d->n_transforms + 1) * sizeof *transforms);
  if (!transforms)
    return QUIRE_ERR;
  s->transforms = transforms;
  p->format_infos = calloc(d->n_formats + 1, sizeof *p->format_infos);
  p->transform_infos = calloc(d->n_transforms + 1, sizeof *p->transform_infos);
  if (!p->format_infos || !p->transform_infos) {
    free(p->format_infos);
    free(p->transform_infos);
    p->format_infos = NULL;
    p->transform_infos = NULL;
    return QUIRE_ERR;
  }

  s->plugins[s->n_plugins++] = p;
  for (size_t i = 0; i < d->n_formats; i++) {
    const quire_format *f = d->formats[i];
    const quire_format_info *first = format_named(s, f->name);
    if (first) {
      session_diag(s, QUIRE_SEV_INFO, NULL,
                   "format %s of %s is shadowed by the one of %s", f->name,
                   p->path, first->plugin_path);
      continue;
    }
    /* Aliases exist from ABI 2.5; an older plugin's descriptor ends
     * before the field. */
    const char *aliases = d->abi_minor >= 5 ? f->aliases : NULL;
    p->format_infos[i] =
        (quire_format_info){f, d->name, d->version, p->path, aliases};
    s->formats[s->n_formats++] = &p->format_infos[i];
  }
  for (size_t i = 0; i < d->n_transforms; i++) {
    const quire_transform *t = d->transforms[i];
    if (registry_transform_find(s, t->name)) {
      session_diag(s, QUIRE_SEV_INFO, NULL,
                   "transform %s of %s is shadowed by an earlier one",
                   t->name, p->path);
      continue;
    }
    p->transform_infos[i] =
        (quire_transform_info){t, d->name, p->path, d->version};
    s->transforms[s->n_transforms++] = &p->transform_infos[i];
  }
  return QUIRE_OK;
}

static loaded_plugin *plugin_by_path(const quire_session *s,
                                     const char *path) {
  for (size_t i = 0; i < s->n_plugins; i++)
    if (s->plugins[i]->path == path)
      return s->plugins[i];
  return NULL;
}

loaded_plugin *registry_plugin_of(const quire_session *s,
                                  const quire_format_info *f) {
  return plugin_by_path(s, f->plugin_path);
}

loaded_plugin *registry_plugin_of_transform(const quire_session *s,
                                            const quire_transform_info *t) {
  return plugin_by_path(s, t->plugin_path);
}

size_t quire_format_count(const quire_session *s) { return s->n_formats; }

const quire_format_info *quire_format_at(const quire_session *s, size_t i) {
  return i < s->n_formats ? s->formats[i] : NULL;
}

const quire_format_info *quire_format_find(const quire_session *s,
                                           const char *name) {
  const quire_format_info *f = format_named(s, name);
  if (f)
    return f;
  /* Names before aliases: a format's own name is never lost to another's
   * alias. */
  for (size_t i = 0; i < s->n_formats; i++)
    if (name_in_list(s->formats[i]->aliases, name, 1))
      return s->formats[i];
  return NULL;
}

int name_in_list(const char *list, const char *name, int fold_case) {
  size_t n = strlen(name);
  for (const char *p = list; p && *p;) {
    const char *comma = strchr(p, ',');
    size_t len = comma ? (size_t)(comma - p) : strlen(p);
    if (len == n && (fold_case ? strncasecmp(p, name, n)
                               : strncmp(p, name, n)) == 0)
      return 1;
    p = comma ? comma + 1 : NULL;
  }
  return 0;
}

int meta_key_in_list(const char *list, const char *key) {
  if (name_in_list(list, key, 0))
    return 1;
  for (const char *p = list; p && *p;) {
    const char *comma = strchr(p, ',');
    size_t len = comma ? (size_t)(comma - p) : strlen(p);
    if (len > 1 && p[len - 1] == ':' && strncmp(p, key, len) == 0 &&
        key[len])
      return 1;
    p = comma ? comma + 1 : NULL;
  }
  return 0;
}

const quire_format_info *quire_format_for_path(const quire_session *s,
                                               const char *path) {
  size_t stem;
  const char *ext;
  path_name(path, &stem, &ext);
  if (!ext || !ext[0])
    return NULL;
  for (size_t i = 0; i < s->n_formats; i++)
    if (name_in_list(s->formats[i]->format->extensions, ext, 1))
      return s->formats[i];
  return NULL;
}

size_t quire_transform_count(const quire_session *s) {
  return s->n_transforms;
}

const quire_transform_info *quire_transform_at(const quire_session *s,
                                               size_t i) {
  return i < s->n_transforms ? s->transforms[i] : NULL;
}

const quire_transform_info *registry_transform_find(const quire_session *s,
                                                    const char *name) {
  for (size_t i = 0; i < s->n_transforms; i++)
    if (strcmp(s->transforms[i]->transform->name, name) == 0)
      return s->transforms[i];
  return NULL;
}

const quire_format_info *registry_sniff(const quire_session *s,
                                        const unsigned char *head,
                                        size_t len) {
  const quire_format_info *best = NULL;
  int best_bid = 0;
  for (size_t i = 0; i < s->n_formats; i++) {
    const quire_format *f = s->formats[i]->format;
    if (!f->sniff || !f->read_open)
      continue;
    int bid = f->sniff(head, len);
    if (bid > 100)
      bid = 100;
    if (bid > best_bid) {
      best_bid = bid;
      best = s->formats[i];
    }
  }
  return best;
}

int registry_reads_file(const quire_session *s, const char *path) {
  const quire_format_info *f = quire_format_for_path(s, path);
  if (f && f->format->read_open)
    return 1;
  FILE *fp = fopen(path, "rb");
  if (!fp)
    return 1;
  unsigned char head[4096];
  size_t len = fread(head, 1, sizeof head, fp);
  int failed = ferror(fp);
  fclose(fp);
  if (failed)
    return 1;
  return registry_sniff(s, head, len) != NULL;
}

const quire_format_info *registry_pick_reader(qctx *c, quire_input *in,
                                              const char *name,
                                              const char *from) {
  quire_session *s = c->s;
  const quire_format_info *f = NULL;
  const char *how = "named";
  quire_loc loc = {.file = in->name};
  if (from) {
    f = quire_format_find(s, from);
    if (!f) {
      ctx_fail(c, QUIRE_FAILED, QUIRE_ERROR_CONVERSION, &loc,
               "format '%s' is not loaded", from);
      return NULL;
    }
  }
  const quire_format_info *named = f;
  if (!f && name && strcmp(name, "-") != 0) {
    f = quire_format_for_path(s, name);
    how = "by its extension";
    if (f && !f->format->read_open)
      f = NULL;
  }
  if (!f) {
    size_t len;
    const unsigned char *head = input_head(in, &len);
    f = registry_sniff(s, head, len);
    how = "by its content";
  }
  if (!f) {
    ctx_fail(c, QUIRE_FAILED, QUIRE_ERROR_CONVERSION, &loc,
             "cannot tell the format of this input; name it with -f");
    return NULL;
  }
  if (!f->format->read_open) {
    ctx_fail(c, QUIRE_FATAL, QUIRE_ERROR_USAGE, &loc,
             "format '%s' cannot be read", f->format->name);
    return NULL;
  }
  in->format_named = f == named;
  ctx_info(c, NULL, "reading %s as %s (%s) with %s", in->name,
           f->format->name, how, f->plugin_path);
  return f;
}
