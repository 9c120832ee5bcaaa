/* shadow.c - a second provider of "testfmt", to check that the first
 * plugin found keeps a format name, plus "shadowfmt" of its own so a test
 * can tell that this file was loaded at all. */
#include "writer_stub.h"

static const quire_format shadow_formats[] = {
    {.name = "testfmt",
     .extensions = "tst",
     .description = "test format of shadow.so",
     STUB_WRITER},
    {.name = "shadowfmt",
     .extensions = "shd",
     .description = "only shadow.so has this one",
     STUB_WRITER},
};

static const quire_format *const shadow_format_list[] = {&shadow_formats[0], &shadow_formats[1]};

static const quire_plugin shadow_plugin = {
    .abi_major = QUIRE_ABI_MAJOR,
    .abi_minor = QUIRE_ABI_MINOR,
    .struct_size = sizeof(quire_plugin),
    .name = "shadow",
    .version = "0.0.1",
    .formats = shadow_format_list,
    .n_formats = sizeof shadow_formats / sizeof shadow_formats[0],
};

QUIRE_EXPORT const quire_plugin *QUIRE_PLUGIN_ENTRY(void) {
  return &shadow_plugin;
}
