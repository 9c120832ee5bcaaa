/* init_fails.c - a plugin whose backend cannot start: init reports why and
 * fails, so the plugin must be skipped and its fini never called. */
#include <stdio.h>
#include <stdlib.h>

#include "writer_stub.h"

static int fails_init(quire_env *env) {
  env->svc->error(env, NULL, "backend unavailable");
  return QUIRE_ERR;
}

static void fails_fini(quire_env *env) {
  (void)env;
  const char *marker = getenv("QUIRE_TEST_FINI_FILE");
  if (marker && marker[0]) {
    FILE *f = fopen(marker, "a");
    if (f) {
      fputs("init_fails\n", f);
      fclose(f);
    }
  }
}

static const quire_format fails_formats[] = {
    {.name = "failfmt", .extensions = "fail", STUB_WRITER},
};

static const quire_format *const fails_format_list[] = {&fails_formats[0]};

static const quire_plugin fails_plugin = {
    .abi_major = QUIRE_ABI_MAJOR,
    .abi_minor = QUIRE_ABI_MINOR,
    .struct_size = sizeof(quire_plugin),
    .name = "init_fails",
    .version = "0.0.1",
    .formats = fails_format_list,
    .n_formats = 1,
    .init = fails_init,
    .fini = fails_fini,
};

QUIRE_EXPORT const quire_plugin *QUIRE_PLUGIN_ENTRY(void) {
  return &fails_plugin;
}
