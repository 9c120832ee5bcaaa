/* lead_heading.c - the heading a document starts with, as plain text. */
#include "lead_heading.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char *lead_collapse(const char *s, size_t n) {
  char *out = malloc(n + 1);
  if (!out)
    return NULL;
  size_t k = 0;
  int blank = 0;
  for (size_t i = 0; i < n; i++) {
    char c = s[i];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      blank = 1;
      continue;
    }
    if (blank && k)
      out[k++] = ' ';
    blank = 0;
    out[k++] = c;
  }
  out[k] = '\0';
  return out;
}

/* Appends s[0..n) to *buf; non-zero when memory is exhausted. */
static int append(char **buf, size_t *len, size_t *cap, const char *s,
                  size_t n) {
  if (*len + n + 1 > *cap) {
    size_t c = *cap ? *cap : 64;
    while (c < *len + n + 1)
      c *= 2;
    char *p = realloc(*buf, c);
    if (!p)
      return 1;
    *buf = p;
    *cap = c;
  }
  memcpy(*buf + *len, s, n);
  *len += n;
  (*buf)[*len] = '\0';
  return 0;
}

int lead_heading(const quire_services *svc, const quire_doc *doc, char **text,
                 int *level) {
  *text = NULL;
  *level = 0;
  const quire_node *n = doc->root ? doc->root->first_child : NULL;
  while (n && (n->type == QUIRE_NODE_SECTION || n->type == QUIRE_NODE_DIV))
    n = n->first_child;
  if (!n || n->type != QUIRE_NODE_HEADING)
    return 0;
  char *words = NULL;
  size_t len = 0, cap = 0;
  const quire_node *skip = NULL;   /* a note, left out whole */
  quire_iter it;
  svc->iter_init(&it, n);
  int oom = append(&words, &len, &cap, "", 0);
  while (!oom && svc->iter_next(&it) != QUIRE_EV_DONE) {
    const quire_node *c = it.node;
    if (skip) {
      if (it.event == QUIRE_EV_EXIT && c == skip)
        skip = NULL;
      continue;
    }
    if (it.event != QUIRE_EV_ENTER)
      continue;
    if (c->type == QUIRE_NODE_NOTE)
      skip = c;
    else if ((c->type == QUIRE_NODE_TEXT || c->type == QUIRE_NODE_CODE) &&
             c->text)
      oom = append(&words, &len, &cap, c->text, c->len);
    else if (c->type == QUIRE_NODE_SOFT_BREAK ||
             c->type == QUIRE_NODE_LINE_BREAK)
      oom = append(&words, &len, &cap, " ", 1);
  }
  if (!oom)
    *text = lead_collapse(words, len);
  free(words);
  if (oom || !*text)
    return -1;
  *level = n->level;
  return 0;
}

const char *lead_output_stem(const quire_services *svc, quire_output *out,
                             char *buf, size_t n) {
  const char *target =
      svc->struct_size > offsetof(quire_services, output_target)
          ? svc->output_target(out)
      : svc->output_path(out) ? svc->output_name(out)
                              : NULL;
  if (!target)
    return NULL;
  const char *slash = strrchr(target, '/');
  const char *base = slash ? slash + 1 : target;
  const char *dot = strrchr(base, '.');
  size_t len = dot && dot != base ? (size_t)(dot - base) : strlen(base);
  snprintf(buf, n, "%.*s", (int)len, base);
  return buf[0] ? buf : NULL;
}
