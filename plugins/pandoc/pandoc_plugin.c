/* pandoc_plugin.c - the pandoc-json plugin's descriptor and sniffer.
 *
 * The format has no extension: pandoc's JSON files end in .json, which is
 * quire's own JSON format, and the core matches only the last extension
 * (".pandoc.json" would be "json").  Name it with -f / -t pandoc-json, or
 * let the sniffer find it.
 *
 * The plugin keeps no state outside its readers and writers (no writable
 * static data; jansson is reentrant), so it is QUIRE_PLUGIN_CONCURRENT. */
#include <string.h>

#include "pandoc.h"

static size_t skip_space(const unsigned char *s, size_t i, size_t len) {
  while (i < len && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' ||
                     s[i] == '\r'))
    i++;
  return i;
}

/* A high bid when the input is a JSON object whose first key is
 * "pandoc-api-version", as pandoc writes it; a lower one when that key
 * appears later in the head, after ',' and before ':'.  Both are above
 * the bid of quire's own json format for its documents (80). */
static int pandoc_sniff(const unsigned char *head, size_t len) {
  static const char key[] = "\"pandoc-api-version\"";
  const size_t n = sizeof key - 1;
  size_t i = 0;
  if (len >= 3 && memcmp(head, "\xEF\xBB\xBF", 3) == 0)
    i = 3;
  i = skip_space(head, i, len);
  if (i >= len || head[i] != '{')
    return 0;
  size_t first = skip_space(head, i + 1, len);
  for (size_t at = first; at + n <= len; at++) {
    if (memcmp(head + at, key, n) != 0)
      continue;
    size_t after = skip_space(head, at + n, len);
    if (after < len && head[after] != ':')
      continue;
    if (at == first)
      return 90;
    size_t before = at;
    while (before > i && (head[before - 1] == ' ' || head[before - 1] == '\t' ||
                          head[before - 1] == '\n' || head[before - 1] == '\r'))
      before--;
    if (head[before - 1] == ',')
      return 85;
  }
  return 0;
}

static const quire_option_spec pandoc_options[] = {
    {"pandoc-api", "VERSION",
     "pandoc-json: the pandoc API to write, 1.22 (pandoc 2.11 to 2.19) or "
     "1.23 (pandoc 3; the default)",
     QUIRE_OPT_WRITE},
};

static const quire_format pandoc_formats[] = {{
    .name = "pandoc-json",
    .extensions = NULL,
    .mime_type = "application/json",
    .description = "pandoc's JSON AST (pandoc -f json / -t json)",
    .sniff = pandoc_sniff,
    .read_open = pandoc_read_open,
    .read_next = pandoc_read_next,
    .read_close = pandoc_read_close,
    .write_open = pandoc_write_open,
    .write_doc = pandoc_write_doc,
    .write_close = pandoc_write_close,
    .options = pandoc_options,
    .n_options = sizeof pandoc_options / sizeof pandoc_options[0],
    /* Corpus metadata goes to the pandoc meta (pandoc_write.c). */
    .metadata_keys = PANDOC_CORPUS_KEYS,
}};

static const quire_format *const pandoc_format_list[] = {&pandoc_formats[0]};

static const quire_plugin pandoc_plugin = {
    .abi_major = QUIRE_ABI_MAJOR,
    .abi_minor = QUIRE_ABI_MINOR,
    .struct_size = sizeof(quire_plugin),
    .name = "pandoc",
    .version = "0.1.0",
    .flags = QUIRE_PLUGIN_CONCURRENT,
    .formats = pandoc_format_list,
    .n_formats = sizeof pandoc_formats / sizeof pandoc_formats[0],
};

QUIRE_EXPORT const quire_plugin *QUIRE_PLUGIN_ENTRY(void) {
  return &pandoc_plugin;
}
