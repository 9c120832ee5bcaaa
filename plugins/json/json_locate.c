/* json_locate.c - where a path (blocks[3].content[0].level) is in the JSON
 * text of a document, so that an error found while building it names the
 * line and column of the value at fault, not only the document's.
 *
 * jansson keeps no positions in its values, so the text is walked again,
 * along the path only: each step skips the members or elements before the
 * one named, strings and nested values whole.  The text was parsed
 * already, so it is valid JSON; the walk still stops at its end. */
#include <stdlib.h>
#include <string.h>

#include "json_build.h"

static size_t skip_space(const char *s, size_t i, size_t n) {
  while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' ||
                   s[i] == '\r'))
    i++;
  return i;
}

/* Past the string starting at s[i] ('"'). */
static size_t skip_string(const char *s, size_t i, size_t n) {
  for (i++; i < n && s[i] != '"'; i++)
    if (s[i] == '\\')
      i++;
  return i < n ? i + 1 : n;
}

/* Past the value starting at s[i]. */
static size_t skip_value(const char *s, size_t i, size_t n) {
  if (i >= n)
    return n;
  if (s[i] == '"')
    return skip_string(s, i, n);
  if (s[i] != '{' && s[i] != '[') {
    while (i < n && !strchr(",]} \t\r\n", s[i]))
      i++;
    return i;
  }
  size_t depth = 0;
  while (i < n) {
    char c = s[i];
    if (c == '"') {
      i = skip_string(s, i, n);
      continue;
    }
    if (c == '{' || c == '[')
      depth++;
    else if ((c == '}' || c == ']') && --depth == 0)
      return i + 1;
    i++;
  }
  return n;
}

/* From the value at s[i], the offset of its member `key` or its element
 * `index`; i itself when the value has no such part. */
static size_t step(const char *s, size_t i, size_t n, const json_path *p) {
  size_t at = i;
  if (p->key && s[i] == '{') {
    size_t klen = strlen(p->key);
    i = skip_space(s, i + 1, n);
    while (i < n && s[i] == '"') {
      size_t end = skip_string(s, i, n);
      /* Keys are compared as written: one spelled with escapes is not
       * found, and the error keeps the value's place. */
      int same = end - i - 2 == klen && memcmp(s + i + 1, p->key, klen) == 0;
      i = skip_space(s, end, n);
      i = skip_space(s, i + 1, n);   /* past ':' */
      if (same)
        return i;
      i = skip_space(s, skip_value(s, i, n), n);
      if (i < n && s[i] == ',')
        i = skip_space(s, i + 1, n);
    }
    return at;
  }
  if (!p->key && s[i] == '[') {
    i = skip_space(s, i + 1, n);
    for (size_t k = 0; k < p->index && i < n && s[i] != ']'; k++) {
      i = skip_space(s, skip_value(s, i, n), n);
      if (i < n && s[i] == ',')
        i = skip_space(s, i + 1, n);
    }
    return i < n && s[i] != ']' ? i : at;
  }
  return at;
}

quire_loc json_locate(const quire_loc *base, const char *text, size_t len,
                      const json_path *p) {
  quire_loc loc = *base;
  size_t depth = 0;
  for (const json_path *q = p; q; q = q->up)
    depth++;
  const json_path **steps = depth ? malloc(depth * sizeof *steps) : NULL;
  if (!text || (depth && !steps)) {
    free(steps);
    return loc;
  }
  size_t k = depth;
  for (const json_path *q = p; q; q = q->up)
    steps[--k] = q;
  size_t i = skip_space(text, 0, len);
  for (k = 0; k < depth && i < len; k++)
    i = step(text, i, len, steps[k]);
  free(steps);
  for (size_t j = 0; j < i && j < len; j++) {
    if (text[j] == '\n') {
      loc.line++;
      loc.column = 1;
    } else if (((unsigned char)text[j] & 0xC0) != 0x80) {
      loc.column++;
    }
  }
  if (loc.offset)
    loc.offset += i;
  return loc;
}
