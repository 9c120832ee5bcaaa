/* bag_hash.c - SHA-256 and SHA-512 digests with nettle, as bytes pass. */
#include "bag.h"

static void hex(const uint8_t *bytes, size_t n, char *out) {
  static const char digits[] = "0123456789abcdef";
  for (size_t i = 0; i < n; i++) {
    out[2 * i] = digits[bytes[i] >> 4];
    out[2 * i + 1] = digits[bytes[i] & 15];
  }
  out[2 * n] = '\0';
}

void bag_hasher_init(bag_hasher *h) {
  sha256_init(&h->s256);
  sha512_init(&h->s512);
  h->size = 0;
}

void bag_hasher_add(bag_hasher *h, const void *data, size_t n) {
  sha256_update(&h->s256, n, data);
  sha512_update(&h->s512, n, data);
  h->size += n;
}

void bag_hasher_end(bag_hasher *h, bag_digest *d) {
  uint8_t b256[SHA256_DIGEST_SIZE], b512[SHA512_DIGEST_SIZE];
  sha256_digest(&h->s256, sizeof b256, b256);
  sha512_digest(&h->s512, sizeof b512, b512);
  hex(b256, sizeof b256, d->sha256);
  hex(b512, sizeof b512, d->sha512);
  d->size = h->size;
}
