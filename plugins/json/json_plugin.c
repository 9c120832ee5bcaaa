/* json_plugin.c - the json plugin's descriptor: formats json and jsonl.
 *
 * No state outside readers and writers, and jansson is reentrant on
 * separate values, so the plugin is QUIRE_PLUGIN_CONCURRENT. */
#include <string.h>

#include "json.h"

/* The first byte that is not whitespace (after a UTF-8 BOM, which is not
 * JSON but is refused by the reader with its position). */
static int first_byte(const unsigned char *head, size_t len) {
  for (size_t i = 0; i < len; i++)
    if (head[i] != ' ' && head[i] != '\t' && head[i] != '\n' &&
        head[i] != '\r')
      return head[i];
  return -1;
}

static int json_sniff(const unsigned char *head, size_t len) {
  int c = first_byte(head, len);
  if (c != '{' && c != '[')
    return 0;
  /* quire's own documents say so near the start. */
  const char *mark = "\"quire\"";
  for (size_t i = 0; i + 7 <= len && i < 256; i++)
    if (memcmp(head + i, mark, 7) == 0)
      return 80;
  return c == '{' ? 30 : 20;
}

static int jsonl_sniff(const unsigned char *head, size_t len) {
  /* JSON Lines: an object, then a newline and another object.  json's
   * reader takes it too, so this only breaks ties for the name. */
  int c = first_byte(head, len);
  if (c != '{')
    return 0;
  const unsigned char *nl = memchr(head, '\n', len);
  if (!nl)
    return 0;
  int next = first_byte(nl + 1, len - (size_t)(nl + 1 - head));
  return next == '{' ? 35 : 0;
}

static const quire_option_spec json_options[] = {
    {"json-fields", "LIST",
     "json: the fields to write (quire,id,title,date,language,source,url,"
     "text,meta,blocks,resources; default quire,id,meta,blocks,resources)",
     QUIRE_OPT_WRITE},
    {"json-resources", "MODE",
     "json: the document's images and other files: embed (their bytes, "
     "base64; the default), list (no bytes) or none",
     QUIRE_OPT_WRITE},
};

static const quire_option_spec jsonl_options[] = {
    {"jsonl-fields", "LIST",
     "jsonl: the fields to write (as --json-fields; default all)",
     QUIRE_OPT_WRITE},
    {"jsonl-resources", "MODE",
     "jsonl: as --json-resources (default embed)", QUIRE_OPT_WRITE},
};

static const quire_format json_formats[] = {
    {
        .name = "json",
        .extensions = "json",
        .mime_type = "application/json",
        .description = "quire's documents as JSON (one object, or an array)",
        .sniff = json_sniff,
        .read_open = json_read_open,
        .read_next = json_read_next,
        .read_close = json_read_close,
        .write_open = json_write_open,
        .write_doc = json_write_doc,
        .write_close = json_write_close,
        .part_render = json_part_render,
        .write_part = json_write_part,
        .part_free = json_part_free,
        .options = json_options,
        .n_options = sizeof json_options / sizeof json_options[0],
    },
    {
        .name = "jsonl",
        .extensions = "jsonl,ndjson",
        .mime_type = "application/jsonl",
        .description = "quire's documents as JSON Lines, one per line",
        .sniff = jsonl_sniff,
        .read_open = jsonl_read_open,
        .read_next = json_read_next,
        .read_close = json_read_close,
        .write_open = jsonl_write_open,
        .write_doc = json_write_doc,
        .write_close = json_write_close,
        .part_render = jsonl_part_render,
        .write_part = json_write_part,
        .part_free = json_part_free,
        .options = jsonl_options,
        .n_options = sizeof jsonl_options / sizeof jsonl_options[0],
    },
};

static const quire_format *const json_format_list[] = {&json_formats[0],
                                                       &json_formats[1]};

static const quire_plugin json_plugin = {
    .abi_major = QUIRE_ABI_MAJOR,
    .abi_minor = QUIRE_ABI_MINOR,
    .struct_size = sizeof(quire_plugin),
    .name = "json",
    .version = "0.1.0",
    .flags = QUIRE_PLUGIN_CONCURRENT,
    .formats = json_format_list,
    .n_formats = sizeof json_format_list / sizeof json_format_list[0],
};

QUIRE_EXPORT const quire_plugin *QUIRE_PLUGIN_ENTRY(void) {
  return &json_plugin;
}
