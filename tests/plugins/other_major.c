/* other_major.c - a plugin built for ABI 1.0, the ABI before this one.
 * Only the fixed header of the descriptor is common to every major, so it
 * is written out by hand rather than taken from this major's quire_plugin. */
#include <quire/plugin.h>

_Static_assert(QUIRE_ABI_MAJOR != 1, "this plugin must be of another major");

typedef struct v1_descriptor {
  uint16_t abi_major;
  uint16_t abi_minor;
  uint32_t struct_size;
  const char *name;
  const char *version;
} v1_descriptor;

static const v1_descriptor other_major_plugin = {
    .abi_major = 1,
    .abi_minor = 0,
    .struct_size = sizeof(v1_descriptor),
    .name = "other_major",
    .version = "1.0.0",
};

QUIRE_EXPORT const v1_descriptor *quire_plugin_v1(void) {
  return &other_major_plugin;
}
