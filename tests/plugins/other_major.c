/* other_major.c - a plugin built for ABI 2.0.  Only the fixed header of
 * the descriptor is common to every major, so it is written out by hand
 * rather than taken from this major's quire_plugin. */
#include <quire/plugin.h>

_Static_assert(QUIRE_ABI_MAJOR != 2, "this plugin must be of another major");

typedef struct v2_descriptor {
  uint16_t abi_major;
  uint16_t abi_minor;
  uint32_t struct_size;
  const char *name;
  const char *version;
} v2_descriptor;

static const v2_descriptor other_major_plugin = {
    .abi_major = 2,
    .abi_minor = 0,
    .struct_size = sizeof(v2_descriptor),
    .name = "other_major",
    .version = "2.0.0",
};

QUIRE_EXPORT const v2_descriptor *quire_plugin_v2(void) {
  return &other_major_plugin;
}
