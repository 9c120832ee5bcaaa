/* bag_plugin.c - the bag plugin's descriptor: the writer of `quire
 * bundle`, a corpus with its sources as a BagIt bag in an archive.
 *
 * No state outside its writers; libarchive and nettle keep none either,
 * so the plugin is QUIRE_PLUGIN_CONCURRENT. */
#include "bag.h"

static const quire_option_spec bag_options[] = {
    {"bag-formats", "LIST",
     "bag: the normalized forms, comma-separated (default txt,html,jsonl; "
     "jsonl is one file for the corpus, the others one per document)",
     QUIRE_OPT_WRITE},
    {"bag-no-epub", NULL, "bag: no EPUB of the whole corpus", QUIRE_OPT_WRITE},
    {"bag-info", "LABEL=VALUE",
     "bag: a line of bag-info.txt (Source-Organization=..., repeatable)",
     QUIRE_OPT_WRITE},
    {"bag-archive", "KIND",
     "bag: tar, tar.gz, tar.xz, tar.zst, tar.bz2, zip or 7z (default: by "
     "the output's name)",
     QUIRE_OPT_WRITE},
    {"compress-level", "N",
     "bag: the archive's compression level (tar.gz, tar.bz2 1-9; tar.xz, "
     "zip, 7z 0-9; tar.zst 1-19; default 6 for tar.gz, else the "
     "compressor's own)",
     QUIRE_OPT_WRITE},
    {"bag-clean-report", "FILE",
     "bag: the clean transform's report, kept as data/clean-report.jsonl",
     QUIRE_OPT_WRITE},
    {"bag-dedup-report", "FILE",
     "bag: the dedup transform's report of the documents it dropped, kept "
     "as data/dedup-report.jsonl",
     QUIRE_OPT_WRITE},
    {"bag-command", "TEXT", "bag: the command line, for bag-info.txt",
     QUIRE_OPT_WRITE},
    {"bag-plugins", "TEXT", "bag: the plugins and versions, for bag-info.txt",
     QUIRE_OPT_WRITE},
    {"bag-agent", "TEXT", "bag: the software making the bag (Bag-Software-Agent)",
     QUIRE_OPT_WRITE},
};

static const quire_format bag_formats[] = {{
    .name = "bag",
    .extensions = NULL,
    .mime_type = "application/x-tar",
    .description = "a BagIt bag of the corpus, its sources and normalized "
                   "forms, in an archive (quire bundle)",
    .binary = 1,
    .write_open = bag_write_open,
    .write_doc = bag_write_doc,
    .write_dropped = bag_write_dropped,
    .write_close = bag_write_close,
    .options = bag_options,
    .n_options = sizeof bag_options / sizeof bag_options[0],
    /* Corpus metadata goes to the EPUB and JSON Lines inside. */
    .metadata_keys = "title,language,author,date,publisher,rights,"
                     "description,subject,contributor",
}};

static const quire_format *const bag_format_list[] = {&bag_formats[0]};

static const quire_plugin bag_plugin = {
    .abi_major = QUIRE_ABI_MAJOR,
    .abi_minor = QUIRE_ABI_MINOR,
    .struct_size = sizeof(quire_plugin),
    .name = "bag",
    .version = "0.1.0",
    .flags = QUIRE_PLUGIN_CONCURRENT,
    .formats = bag_format_list,
    .n_formats = 1,
};

QUIRE_EXPORT const quire_plugin *QUIRE_PLUGIN_ENTRY(void) {
  return &bag_plugin;
}
