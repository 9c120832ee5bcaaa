/* epub_id.c - the book's content-derived UUID.
 *
 * The default dc:identifier must be the same for the same book, so it is
 * derived from the book's bytes rather than drawn at random.  RFC 9562
 * reserves version 8 for UUIDs built by such custom means; its appendix
 * shows one made from a SHA-256 digest (nettle's, as the chapters are
 * written), which is what this is. */
#include <stdio.h>
#include <string.h>

#include "epub_write.h"

void epub_uuid_from_digest(const unsigned char digest[32], char out[46]) {
  unsigned char u[16];
  memcpy(u, digest, 16);
  u[6] = (unsigned char)((u[6] & 0x0F) | 0x80);   /* version 8 */
  u[8] = (unsigned char)((u[8] & 0x3F) | 0x80);   /* variant 10xx */
  char *o = out + sprintf(out, "urn:uuid:");
  for (int i = 0; i < 16; i++) {
    if (i == 4 || i == 6 || i == 8 || i == 10)
      *o++ = '-';
    o += sprintf(o, "%02x", u[i]);
  }
}
