/* md_plugin.c - the Markdown plugin's descriptor: the formats md and gfm.
 *
 * Markdown has no signature to sniff: any text is Markdown.  Inputs are
 * taken by their extension (.md, .markdown) or named with -f. */
#include "md.h"

static const quire_option_spec md_options[] = {
    {"columns", "N",
     "md, gfm: wrap paragraphs at N display columns (default: no wrapping, "
     "one paragraph a line)",
     QUIRE_OPT_WRITE},
};

#define MD_N_OPTIONS (sizeof md_options / sizeof md_options[0])

static const quire_format md_formats[] = {
    {
        .name = "md",
        .aliases = "markdown,commonmark",
        .extensions = "md,markdown",
        .mime_type = "text/markdown",
        .description = "CommonMark Markdown, with YAML front matter",
        .read_open = md_read_open,
        .read_next = md_read_next,
        .read_close = md_read_close,
        .write_open = md_write_open,
        .write_doc = md_write_doc,
        .write_close = md_write_close,
        .options = md_options,
        .n_options = MD_N_OPTIONS,
        .metadata_keys = MD_CORPUS_KEYS,
        .flags = QUIRE_FORMAT_ONE_DOCUMENT,   /* a file is a document */
    },
    {
        .name = "gfm",
        .extensions = NULL,
        .mime_type = "text/markdown",
        .description = "GitHub-flavoured Markdown (tables, strikethrough, "
                       "autolinks, task lists, footnotes)",
        .read_open = gfm_read_open,
        .read_next = md_read_next,
        .read_close = md_read_close,
        .write_open = gfm_write_open,
        .write_doc = md_write_doc,
        .write_close = md_write_close,
        .options = md_options,
        .n_options = MD_N_OPTIONS,
        .metadata_keys = MD_CORPUS_KEYS,
        .flags = QUIRE_FORMAT_ONE_DOCUMENT,   /* a file is a document */
    },
};

static const quire_format *const md_format_list[] = {&md_formats[0],
                                                      &md_formats[1]};

static const quire_plugin md_plugin = {
    .abi_major = QUIRE_ABI_MAJOR,
    .abi_minor = QUIRE_ABI_MINOR,
    .struct_size = sizeof(quire_plugin),
    .name = "markdown",
    .version = "0.1.0",
    .flags = QUIRE_PLUGIN_CONCURRENT,
    .formats = md_format_list,
    .n_formats = sizeof md_formats / sizeof md_formats[0],
};

QUIRE_EXPORT const quire_plugin *QUIRE_PLUGIN_ENTRY(void) {
  return &md_plugin;
}
