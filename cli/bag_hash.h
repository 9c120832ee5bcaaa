/* bag_hash.h - the digests a BagIt manifest may name (RFC 8493 §2.4: md5,
 * sha1, sha256, sha512), computed with nettle as bytes pass, so that no
 * file is held in memory or read twice for several algorithms. */
#ifndef QUIRE_CLI_BAG_HASH_H
#define QUIRE_CLI_BAG_HASH_H

#include <stddef.h>
#include <stdint.h>

#include <nettle/md5.h>
#include <nettle/sha1.h>
#include <nettle/sha2.h>

/* The algorithms, in the order they are listed to the user. */
typedef enum bag_alg {
  BAG_MD5,
  BAG_SHA1,
  BAG_SHA256,
  BAG_SHA512,
  BAG_N_ALGS
} bag_alg;

/* A set of algorithms: bit (1u << alg) for each. */
#define BAG_ALG_BIT(alg) (1u << (alg))

/* All digests of one file side by side, each at bag_alg_offset(alg). */
#define BAG_DIGESTS_SIZE                                                  \
  (MD5_DIGEST_SIZE + SHA1_DIGEST_SIZE + SHA256_DIGEST_SIZE +              \
   SHA512_DIGEST_SIZE)
/* The longest digest, in bytes. */
#define BAG_DIGEST_MAX SHA512_DIGEST_SIZE

/* The name used in manifest file names ("sha256"). */
const char *bag_alg_name(bag_alg alg);
/* The algorithm called name[0..len) (lower case, as manifests are named),
 * or -1 when quire does not know it. */
int bag_alg_lookup(const char *name, size_t len);
/* The size of a digest in bytes (its hex form is twice as long). */
size_t bag_alg_size(bag_alg alg);
/* Where the algorithm's digest sits in a BAG_DIGESTS_SIZE block. */
size_t bag_alg_offset(bag_alg alg);

/* Digests in progress for a set of algorithms. */
typedef struct bag_hash {
  unsigned algs;               /* BAG_ALG_BIT set of those computed */
  uint64_t size;               /* bytes seen */
  struct md5_ctx md5;
  struct sha1_ctx sha1;
  struct sha256_ctx sha256;
  struct sha512_ctx sha512;
} bag_hash;

/* Starts digests for the algorithms in `algs` (a BAG_ALG_BIT set). */
void bag_hash_init(bag_hash *h, unsigned algs);
/* Adds n bytes to every digest started. */
void bag_hash_update(bag_hash *h, const void *data, size_t n);
/* Writes each started digest at its offset in out (the others are left
 * alone) and returns the set written; h must be started again to be
 * reused. */
unsigned bag_hash_finish(bag_hash *h, unsigned char out[BAG_DIGESTS_SIZE]);

#endif
