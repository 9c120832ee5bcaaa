/* bag_hash.c - md5, sha1, sha256 and sha512 with nettle, as bytes pass. */
#include "bag_hash.h"

#include <string.h>

static const struct {
  const char *name;
  size_t size;
  size_t offset;
} algs[BAG_N_ALGS] = {
    [BAG_MD5] = {"md5", MD5_DIGEST_SIZE, 0},
    [BAG_SHA1] = {"sha1", SHA1_DIGEST_SIZE, MD5_DIGEST_SIZE},
    [BAG_SHA256] = {"sha256", SHA256_DIGEST_SIZE,
                    MD5_DIGEST_SIZE + SHA1_DIGEST_SIZE},
    [BAG_SHA512] = {"sha512", SHA512_DIGEST_SIZE,
                    MD5_DIGEST_SIZE + SHA1_DIGEST_SIZE + SHA256_DIGEST_SIZE},
};

const char *bag_alg_name(bag_alg alg) { return algs[alg].name; }

size_t bag_alg_size(bag_alg alg) { return algs[alg].size; }

size_t bag_alg_offset(bag_alg alg) { return algs[alg].offset; }

int bag_alg_lookup(const char *name, size_t len) {
  for (int i = 0; i < BAG_N_ALGS; i++)
    if (strlen(algs[i].name) == len && memcmp(algs[i].name, name, len) == 0)
      return i;
  return -1;
}

void bag_hash_init(bag_hash *h, unsigned set) {
  h->algs = set;
  h->size = 0;
  if (set & BAG_ALG_BIT(BAG_MD5))
    md5_init(&h->md5);
  if (set & BAG_ALG_BIT(BAG_SHA1))
    sha1_init(&h->sha1);
  if (set & BAG_ALG_BIT(BAG_SHA256))
    sha256_init(&h->sha256);
  if (set & BAG_ALG_BIT(BAG_SHA512))
    sha512_init(&h->sha512);
}

void bag_hash_update(bag_hash *h, const void *data, size_t n) {
  if (h->algs & BAG_ALG_BIT(BAG_MD5))
    md5_update(&h->md5, n, data);
  if (h->algs & BAG_ALG_BIT(BAG_SHA1))
    sha1_update(&h->sha1, n, data);
  if (h->algs & BAG_ALG_BIT(BAG_SHA256))
    sha256_update(&h->sha256, n, data);
  if (h->algs & BAG_ALG_BIT(BAG_SHA512))
    sha512_update(&h->sha512, n, data);
  h->size += n;
}

unsigned bag_hash_finish(bag_hash *h, unsigned char out[BAG_DIGESTS_SIZE]) {
  if (h->algs & BAG_ALG_BIT(BAG_MD5))
    md5_digest(&h->md5, MD5_DIGEST_SIZE, out + algs[BAG_MD5].offset);
  if (h->algs & BAG_ALG_BIT(BAG_SHA1))
    sha1_digest(&h->sha1, SHA1_DIGEST_SIZE, out + algs[BAG_SHA1].offset);
  if (h->algs & BAG_ALG_BIT(BAG_SHA256))
    sha256_digest(&h->sha256, SHA256_DIGEST_SIZE,
                  out + algs[BAG_SHA256].offset);
  if (h->algs & BAG_ALG_BIT(BAG_SHA512))
    sha512_digest(&h->sha512, SHA512_DIGEST_SIZE,
                  out + algs[BAG_SHA512].offset);
  return h->algs;
}
