/* newer_minor.c - a plugin built against a minor version newer than the
 * core's: it may rely on services the core does not have. */
#include "writer_stub.h"

static const quire_format newer_formats[] = {
    {.name = "newfmt", .extensions = "new", STUB_WRITER},
};

static const quire_format *const newer_format_list[] = {&newer_formats[0]};

static const quire_plugin newer_plugin = {
    .abi_major = QUIRE_ABI_MAJOR,
    .abi_minor = QUIRE_ABI_MINOR + 1,
    .struct_size = sizeof(quire_plugin),
    .name = "newer_minor",
    .version = "0.0.1",
    .formats = newer_format_list,
    .n_formats = 1,
};

QUIRE_EXPORT const quire_plugin *QUIRE_PLUGIN_ENTRY(void) {
  return &newer_plugin;
}
