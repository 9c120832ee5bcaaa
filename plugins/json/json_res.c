/* json_res.c - a document's resources in JSON: the `resources` array
 * written (metadata, a SHA-256 digest, the bytes in base64), and the
 * base64 and digest the reader checks.
 *
 * nettle (already quire's library for SHA-256) gives both base64 and the
 * digest.  The bytes stream: a resource is read from the core in pieces
 * (svc->res_read) and each piece encoded into the buffer, which goes on to
 * the output as it grows, so a book's images never sit in memory twice. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <nettle/base64.h>
#include <nettle/sha2.h>

#include "json.h"

/* Bytes read from a resource at a time: a multiple of 3, so that each
 * piece encodes to whole base64 groups. */
#define PIECE (48 * 1024)

static void to_hex(const uint8_t *digest, size_t n, char *hex) {
  static const char digits[] = "0123456789abcdef";
  for (size_t i = 0; i < n; i++) {
    hex[2 * i] = digits[digest[i] >> 4];
    hex[2 * i + 1] = digits[digest[i] & 15];
  }
  hex[2 * n] = '\0';
}

void json_sha256_hex(const unsigned char *data, size_t n, char hex[65]) {
  struct sha256_ctx ctx;
  uint8_t digest[SHA256_DIGEST_SIZE];
  sha256_init(&ctx);
  sha256_update(&ctx, n, data);
  sha256_digest(&ctx, sizeof digest, digest);
  to_hex(digest, sizeof digest, hex);
}

int json_base64_decode(const char *s, size_t n, unsigned char **data,
                       size_t *len) {
  *data = NULL;
  *len = 0;
  unsigned char *out = malloc(BASE64_DECODE_LENGTH(n) + 1);
  if (!out)
    return QUIRE_FATAL;
  struct base64_decode_ctx ctx;
  size_t got = 0;
  base64_decode_init(&ctx);
  if (!base64_decode_update(&ctx, &got, out, n, s) ||
      !base64_decode_final(&ctx)) {
    free(out);
    return QUIRE_FAILED;
  }
  *data = out;
  *len = got;
  return QUIRE_OK;
}

static int read_error(quire_env *env, const quire_resource *r) {
  env->svc->error(env, NULL, "resource %s: its bytes cannot be read back "
                             "from the temporary file", r->name);
  return QUIRE_FATAL;
}

/* The digest of r, by reading it whole in pieces. */
static int digest_of(quire_env *env, const quire_resource *r,
                     unsigned char *piece, char hex[65]) {
  struct sha256_ctx ctx;
  uint8_t digest[SHA256_DIGEST_SIZE];
  sha256_init(&ctx);
  for (unsigned long long at = 0; at < r->size;) {
    long got = env->svc->res_read(r, at, piece, PIECE);
    if (got <= 0)
      return read_error(env, r);
    sha256_update(&ctx, (size_t)got, piece);
    at += (unsigned long long)got;
  }
  sha256_digest(&ctx, sizeof digest, digest);
  to_hex(digest, sizeof digest, hex);
  return QUIRE_OK;
}

/* The bytes of r as one base64 string, streamed through flush; `piece`
 * holds PIECE bytes, `text` their encoding. */
static int write_data(quire_env *env, const quire_resource *r,
                      unsigned char *piece, char *text, json_out *b,
                      json_flush_fn flush, void *user) {
  struct base64_encode_ctx ctx;
  base64_encode_init(&ctx);
  json_out_puts(b, ",\"data\":\"");
  for (unsigned long long at = 0; at < r->size;) {
    long got = env->svc->res_read(r, at, piece, PIECE);
    if (got <= 0)
      return read_error(env, r);
    at += (unsigned long long)got;
    json_out_put(b, text,
                 base64_encode_update(&ctx, text, (size_t)got, piece));
    if (b->len >= JSON_FLUSH_AT && !b->failed) {
      int rc = flush(user, b);
      if (rc != QUIRE_OK)
        return rc;
    }
  }
  json_out_put(b, text, base64_encode_final(&ctx, text));
  json_out_puts(b, "\"");
  return QUIRE_OK;
}

int json_write_resources(quire_env *env, const quire_doc *doc,
                         json_res_mode mode, json_out *b, json_flush_fn flush,
                         void *user) {
  unsigned char *piece = malloc(PIECE);
  char *text = malloc(BASE64_ENCODE_LENGTH(PIECE) + BASE64_ENCODE_FINAL_LENGTH);
  if (!piece || !text) {
    free(piece);
    free(text);
    env->svc->error(env, NULL, "out of memory");
    return QUIRE_FATAL;
  }
  int rc = QUIRE_OK;
  json_out_puts(b, "[");
  for (const quire_resource *r = doc->resources; r && rc == QUIRE_OK;
       r = r->next) {
    char hex[65], size[32];
    if ((rc = digest_of(env, r, piece, hex)) != QUIRE_OK)
      break;
    json_out_puts(b, r == doc->resources ? "{\"name\":" : ",{\"name\":");
    json_out_cstring(b, r->name);
    json_out_puts(b, ",\"media_type\":");
    json_out_cstring(b, r->media_type);
    snprintf(size, sizeof size, ",\"size\":%llu", r->size);
    json_out_puts(b, size);
    json_out_puts(b, ",\"sha256\":\"");
    json_out_puts(b, hex);
    json_out_puts(b, "\"");
    if (r->flags & QUIRE_RES_COVER)
      json_out_puts(b, ",\"cover\":true");
    if (mode == RES_EMBED)
      rc = write_data(env, r, piece, text, b, flush, user);
    json_out_puts(b, "}");
  }
  json_out_puts(b, "]");
  free(piece);
  free(text);
  if (rc == QUIRE_OK && b->failed) {
    env->svc->error(env, NULL, "out of memory");
    rc = QUIRE_FATAL;
  }
  return rc;
}
