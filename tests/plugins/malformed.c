/* malformed.c - descriptors the core must refuse, one per build:
 *   MALFORMED_READER       a format with read_open but no read_next;
 *   MALFORMED_FORMAT_NAME  a format whose name is NULL;
 *   MALFORMED_PLUGIN_NAME  a descriptor whose name is NULL. */
#include "writer_stub.h"

#if defined(MALFORMED_READER)
static int half_read_open(quire_env *env, quire_input *in,
                          const quire_options *opts, void **state) {
  (void)env;
  (void)in;
  (void)opts;
  *state = NULL;
  return QUIRE_OK;
}

static void half_read_close(quire_env *env, void *state) {
  (void)env;
  (void)state;
}

static const quire_format malformed_formats[] = {
    {.name = "halfreader",
     .extensions = "half",
     .read_open = half_read_open,
     .read_close = half_read_close},
};
#define MALFORMED_PLUGIN "malformed_reader"
#elif defined(MALFORMED_FORMAT_NAME)
static const quire_format malformed_formats[] = {
    {.name = NULL, .extensions = "anon", STUB_WRITER},
};
#define MALFORMED_PLUGIN "malformed_name"
#elif defined(MALFORMED_PLUGIN_NAME)
static const quire_format malformed_formats[] = {
    {.name = "orphanfmt", .extensions = "orph", STUB_WRITER},
};
#define MALFORMED_PLUGIN NULL
#else
#error "define MALFORMED_READER, MALFORMED_FORMAT_NAME or MALFORMED_PLUGIN_NAME"
#endif

static const quire_format *const malformed_format_list[] = {&malformed_formats[0]};

static const quire_plugin malformed_plugin = {
    .abi_major = QUIRE_ABI_MAJOR,
    .abi_minor = QUIRE_ABI_MINOR,
    .struct_size = sizeof(quire_plugin),
    .name = MALFORMED_PLUGIN,
    .version = "0.0.1",
    .formats = malformed_format_list,
    .n_formats = 1,
};

QUIRE_EXPORT const quire_plugin *QUIRE_PLUGIN_ENTRY(void) {
  return &malformed_plugin;
}
