/* registry.c - the formats and transforms of the loaded plugins. */
#include <quire/quire.h>

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "registry.h"
#include "session.h"

int registry_add_plugin(quire_session *s, loaded_plugin *p) {
  const quire_plugin *d = &p->desc;
  loaded_plugin **plugins =
      realloc(s->plugins, (s->n_plugins + 1) * sizeof *plugins);
  if (!plugins)
    return QUIRE_ERR;
  s->plugins = plugins;
  quire_format_info *formats =
      realloc(s->formats, (s->n_formats + d->n_formats + 1) * sizeof *formats);
  if (!formats)
    return QUIRE_ERR;
  s->formats = formats;
  quire_transform_info *transforms = realloc(
      s->transforms, (s->n_transforms + d->n_transforms + 1) * sizeof *transforms);
  if (!transforms)
    return QUIRE_ERR;
  s->transforms = transforms;

  s->plugins[s->n_plugins++] = p;
  for (size_t i = 0; i < d->n_formats; i++) {
    const quire_format *f = &d->formats[i];
    const quire_format_info *first = quire_format_find(s, f->name);
    if (first) {
      session_diag(s, QUIRE_SEV_INFO, NULL,
                   "format %s of %s is shadowed by the one of %s", f->name,
                   p->path, first->plugin_path);
      continue;
    }
    s->formats[s->n_formats++] = (quire_format_info){
        f, d->name, d->version, p->path};
  }
  for (size_t i = 0; i < d->n_transforms; i++) {
    const quire_transform *t = &d->transforms[i];
    if (registry_transform_find(s, t->name)) {
      session_diag(s, QUIRE_SEV_INFO, NULL,
                   "transform %s of %s is shadowed by an earlier one",
                   t->name, p->path);
      continue;
    }
    s->transforms[s->n_transforms++] = (quire_transform_info){
        t, d->name, p->path};
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
  return i < s->n_formats ? &s->formats[i] : NULL;
}

const quire_format_info *quire_format_find(const quire_session *s,
                                           const char *name) {
  for (size_t i = 0; i < s->n_formats; i++)
    if (strcasecmp(s->formats[i].format->name, name) == 0)
      return &s->formats[i];
  return NULL;
}

/* Non-zero when `ext` is one of the comma-separated `list`. */
static int ext_in_list(const char *list, const char *ext) {
  size_t n = strlen(ext);
  for (const char *p = list; p && *p;) {
    const char *comma = strchr(p, ',');
    size_t len = comma ? (size_t)(comma - p) : strlen(p);
    if (len == n && strncasecmp(p, ext, n) == 0)
      return 1;
    p = comma ? comma + 1 : NULL;
  }
  return 0;
}

const quire_format_info *quire_format_for_path(const quire_session *s,
                                               const char *path) {
  const char *base = strrchr(path, '/');
  base = base ? base + 1 : path;
  const char *dot = strrchr(base, '.');
  if (!dot || dot == base || !dot[1])
    return NULL;
  for (size_t i = 0; i < s->n_formats; i++)
    if (ext_in_list(s->formats[i].format->extensions, dot + 1))
      return &s->formats[i];
  return NULL;
}

size_t quire_transform_count(const quire_session *s) {
  return s->n_transforms;
}

const quire_transform_info *quire_transform_at(const quire_session *s,
                                               size_t i) {
  return i < s->n_transforms ? &s->transforms[i] : NULL;
}

const quire_transform_info *registry_transform_find(const quire_session *s,
                                                    const char *name) {
  for (size_t i = 0; i < s->n_transforms; i++)
    if (strcmp(s->transforms[i].transform->name, name) == 0)
      return &s->transforms[i];
  return NULL;
}

const quire_format_info *registry_sniff(const quire_session *s,
                                        const unsigned char *head,
                                        size_t len) {
  const quire_format_info *best = NULL;
  int best_bid = 0;
  for (size_t i = 0; i < s->n_formats; i++) {
    const quire_format *f = s->formats[i].format;
    if (!f->sniff || !f->read_open)
      continue;
    int bid = f->sniff(head, len);
    if (bid > 100)
      bid = 100;
    if (bid > best_bid) {
      best_bid = bid;
      best = &s->formats[i];
    }
  }
  return best;
}
