/* older_size.c - a plugin from before init and fini existed: its
 * struct_size stops after n_transforms.  The fields past that size are
 * filled here with traps, so a core that reads beyond struct_size gets a
 * failing init (the plugin is then refused) and a fini that leaves a mark
 * in QUIRE_TEST_FINI_FILE. */
#include <stdio.h>
#include <stdlib.h>

#include "writer_stub.h"

static int older_init(quire_env *env) {
  env->svc->error(env, NULL,
                  "older_size: init lies beyond struct_size and was called");
  return QUIRE_ERR;
}

static void older_fini(quire_env *env) {
  (void)env;
  const char *marker = getenv("QUIRE_TEST_FINI_FILE");
  if (marker && marker[0]) {
    FILE *f = fopen(marker, "a");
    if (f) {
      fputs("older_size\n", f);
      fclose(f);
    }
  }
}

static const quire_format older_formats[] = {
    {.name = "oldfmt", .extensions = "old", STUB_WRITER},
};

static const quire_format *const older_format_list[] = {&older_formats[0]};

static const quire_plugin older_plugin = {
    .abi_major = QUIRE_ABI_MAJOR,
    .abi_minor = 0,
    .struct_size = offsetof(quire_plugin, n_transforms) + sizeof(size_t),
    .name = "older_size",
    .version = "0.0.1",
    .formats = older_format_list,
    .n_formats = 1,
    .init = older_init,
    .fini = older_fini,
};

QUIRE_EXPORT const quire_plugin *QUIRE_PLUGIN_ENTRY(void) {
  return &older_plugin;
}
