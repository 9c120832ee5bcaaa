/* txt_plugin.c - the plain-text plugin's descriptor.
 *
 * The plugin keeps no state outside its readers and writers (no writable
 * static data, no non-reentrant library calls), so it is
 * QUIRE_PLUGIN_CONCURRENT. */
#include <quire/plugin.h>

#include "txt.h"

static int txt_sniff(const unsigned char *head, size_t len) {
  /* Text is the fallback: a small bid for anything without NUL bytes,
   * and for UTF-16 and UTF-32 with their byte order marks. */
  if (len >= 2 && ((head[0] == 0xFF && head[1] == 0xFE) ||
                   (head[0] == 0xFE && head[1] == 0xFF)))
    return 5;
  if (len >= 4 && !head[0] && !head[1] && head[2] == 0xFE && head[3] == 0xFF)
    return 5;
  for (size_t i = 0; i < len; i++)
    if (head[i] == 0)
      return 0;
  return 5;
}

static const quire_option_spec txt_options[] = {
    {"input-encoding", "NAME",
     "txt: read the text as encoding NAME (windows-1251, shift_jis, ...), "
     "whatever byte order mark or detection would say",
     QUIRE_OPT_READ},
    {"columns", "N", "txt: wrap lines at N display columns (default: no wrapping)",
     QUIRE_OPT_WRITE},
    {"no-boundaries", NULL,
     "txt: several documents run on, with no title or rule between them",
     QUIRE_OPT_WRITE},
};

static const quire_format txt_formats[] = {{
    .name = "txt",
    .extensions = "txt,text",
    .mime_type = "text/plain",
    .aliases = "plain",   /* pandoc's name */
    .description = "plain text",
    .sniff = txt_sniff,
    .read_open = txt_read_open,
    .read_next = txt_read_next,
    .read_close = txt_read_close,
    .write_open = txt_write_open,
    .write_doc = txt_write_doc,
    .write_close = txt_write_close,
    .options = txt_options,
    .n_options = sizeof txt_options / sizeof txt_options[0],
    /* The title at the top of the text (--title, else the collection's
     * name for several documents); no other corpus metadata. */
    .metadata_keys = "title,collection",
    .flags = QUIRE_FORMAT_ONE_DOCUMENT,   /* a file is a document */
}};

static const quire_format *const txt_format_list[] = {&txt_formats[0]};

static const quire_plugin txt_plugin = {
    .abi_major = QUIRE_ABI_MAJOR,
    .abi_minor = QUIRE_ABI_MINOR,
    .struct_size = sizeof(quire_plugin),
    .name = "txt",
    .version = "0.2.0",
    .flags = QUIRE_PLUGIN_CONCURRENT,
    .formats = txt_format_list,
    .n_formats = sizeof txt_formats / sizeof txt_formats[0],
};

QUIRE_EXPORT const quire_plugin *QUIRE_PLUGIN_ENTRY(void) {
  return &txt_plugin;
}
