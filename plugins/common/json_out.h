/* json_out.h - a growable buffer that JSON text is written into, and the
 * escaping of JSON strings (json_out.c).  Shared by the plugins that write
 * JSON; a static library, not a plugin. */
#ifndef QUIRE_JSON_OUT_H
#define QUIRE_JSON_OUT_H

#include <stddef.h>

/* A buffer: s holds len bytes and a NUL after them (s is NULL while
 * empty); the caller owns s and frees it with json_out_free.  A failed
 * allocation sets `failed`, and later writes do nothing, so callers check
 * once at the end.  Zero-initialize. */
typedef struct json_out {
  char *s;
  size_t len, cap;
  int failed;
} json_out;

void json_out_put(json_out *b, const char *s, size_t n);
void json_out_puts(json_out *b, const char *s);
/* Appends s[0..n) as the inside of a JSON string (no quotes): '"', '\\'
 * and control characters escaped, invalid UTF-8 replaced by U+FFFD, all
 * else as it is (no \u escapes for other characters). */
void json_out_escape(json_out *b, const char *s, size_t n);
/* Appends s[0..n), or the C string s, as a JSON string with its quotes. */
void json_out_string(json_out *b, const char *s, size_t n);
void json_out_cstring(json_out *b, const char *s);
/* Empties the buffer, keeping its memory; frees it. */
void json_out_clear(json_out *b);
void json_out_free(json_out *b);

#endif
