/* json_build.h - what json_build.c (documents, metadata, resources,
 * records) and json_build_node.c (the tree) share: the builder and its
 * messages.  Every function returning int returns QUIRE_OK, or
 * QUIRE_FAILED / QUIRE_FATAL with the message set. */
#ifndef QUIRE_JSON_BUILD_H
#define QUIRE_JSON_BUILD_H

#include "json.h"

/* A place in the value: a member of an object or an element of an array;
 * frames live on the stack of the recursion that walks the value. */
typedef struct json_path {
  const struct json_path *up;
  const char *key;         /* a member, or NULL for an element */
  size_t index;
} json_path;

#define MAX_UNKNOWN 16

typedef struct builder {
  quire_env *env;
  const quire_services *svc;
  quire_doc *doc;
  const quire_loc *loc;       /* where the document's value starts */
  const char *text;           /* its JSON text, or NULL */
  size_t len;
  unsigned long number;
  int result;                          /* QUIRE_OK or QUIRE_WARN */
  int strict;                          /* a version this quire knows:
                                          unknown node types are errors */
  const char *unknown[MAX_UNKNOWN];    /* node types warned about */
  size_t n_unknown;
} builder;

/* Where the value at path p is: its line and column in the input
 * (json_locate.c), or base when text is NULL. */
quire_loc json_locate(const quire_loc *base, const char *text, size_t len,
                      const json_path *p);

/* "not a quire document: document N: PATH: WHAT", placed at the value at
 * fault; returns QUIRE_FAILED. */
int jb_fail(builder *b, const json_path *p, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* "out of memory"; returns QUIRE_FATAL. */
int jb_oom(builder *b);
/* "an object", "a string" ... for messages. */
const char *jb_kind_of(const json_t *v);
/* A string member without U+0000 (the model's text holds none): *s and
 * *n, or NULL when absent. */
int jb_string(builder *b, const json_t *obj, const char *key, int required,
              const json_path *p, const char **s, size_t *n);
/* An integer member in [min, max], or def when absent. */
int jb_int(builder *b, const json_t *obj, const char *key, int def,
           long long min, long long max, const json_path *p, int *out);
/* A boolean member, or 0 when absent. */
int jb_bool(builder *b, const json_t *obj, const char *key,
            const json_path *p, int *out);
/* A copy of s[0..n) in the document, or NULL when s is NULL. */
char *jb_copy(builder *b, const char *s, size_t n);

/* The nodes of a `content` array, appended to parent (json_build_node.c). */
int jb_content(builder *b, const json_t *content, quire_node *parent,
               const json_path *p);

#endif
