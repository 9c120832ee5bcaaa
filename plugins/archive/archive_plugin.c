/* archive_plugin.c - the archive plugin's descriptor: formats archive and
 * warc, readers only.
 *
 * The plugin keeps no state outside its readers: each has its own
 * libarchive handle and iconv descriptors, both reentrant, so the plugin
 * is QUIRE_PLUGIN_CONCURRENT. */
#include <string.h>

#include "archive.h"

static int starts(const unsigned char *head, size_t len, const void *magic,
                  size_t n) {
  return len >= n && memcmp(head, magic, n) == 0;
}

/* Archives and compressed files by their magic bytes.  A zip bids low: an
 * EPUB is a zip whose first entry names it (the epub plugin bids 95), and
 * so are office documents, which quire does not read. */
static int archive_sniff(const unsigned char *head, size_t len) {
  if (len >= 262 && memcmp(head + 257, "ustar", 5) == 0)
    return 90;
  if (starts(head, len, "\x37\x7A\xBC\xAF\x27\x1C", 6))   /* 7z */
    return 90;
  if (starts(head, len, "\xFD" "7zXZ\x00", 6) ||          /* xz */
      starts(head, len, "\x28\xB5\x2F\xFD", 4) ||         /* zstd */
      starts(head, len, "\x04\x22\x4D\x18", 4) ||         /* lz4 */
      starts(head, len, "LZIP", 4) || starts(head, len, "!<arch>\n", 8))
    return 80;
  if (starts(head, len, "\x1F\x8B", 2) ||                 /* gzip */
      starts(head, len, "\x1F\x9D", 2) ||                 /* compress */
      (starts(head, len, "BZh", 3) && len > 3 && head[3] >= '1' &&
       head[3] <= '9'))
    return 60;
  if (starts(head, len, "070707", 6) || starts(head, len, "070701", 6) ||
      starts(head, len, "070702", 6))                     /* cpio */
    return 70;
  if (starts(head, len, "Rar!\x1A\x07", 6) || starts(head, len, "MSCF", 4))
    return 70;
  if (starts(head, len, "PK\x03\x04", 4) || starts(head, len, "PK\x05\x06", 4))
    return 40;
  return 0;
}

/* A WARC record starts the file: "WARC/1.1", "WARC/1.0", "WARC/0.18". */
static int warc_sniff(const unsigned char *head, size_t len) {
  if (starts(head, len, "WARC/1.", 7))
    return 95;
  return starts(head, len, "WARC/0.", 7) ? 90 : 0;
}

/* Declared so that the option is accepted for an archive's entries, which
 * the txt and html readers read with it (through svc->sub_open, with the
 * job's options); a WARC then applies no HTTP charset of its own. */
static const quire_option_spec archive_options[] = {
    {"input-encoding", "NAME",
     "archive, warc: read the text and HTML entries as encoding NAME "
     "(windows-1251, ...), whatever they or a WARC record's header declare",
     QUIRE_OPT_READ},
};

static const quire_format archive_format = {
    .name = "archive",
    /* the core matches the last extension: x.tar.gz ends in gz */
    .extensions = "tar,tgz,tbz2,tbz,txz,tzst,tlz,gz,bz2,xz,zst,lz4,lz,lzma,"
                  "z,zip,7z,cpio,iso,ar,rar,cab,lha,lzh,xar",
    .mime_type = "application/x-tar",
    .description = "archives (tar and its compressions, zip, 7z, cpio, ISO "
                   "9660, ar ...): each file a document; reads only",
    .sniff = archive_sniff,
    .read_open = arc_read_open,
    .read_next = arc_read_next,
    .read_close = arc_read_close,
    .options = archive_options,
    .n_options = sizeof archive_options / sizeof archive_options[0],
};

static const quire_format warc_format = {
    .name = "warc",
    .extensions = "warc",
    .mime_type = "application/warc",
    .description = "WARC web crawls (ISO 28500), plain or compressed: each "
                   "HTML or text response a document; reads only",
    .sniff = warc_sniff,
    .read_open = warc_read_open,
    .read_next = warc_read_next,
    .read_close = warc_read_close,
    .options = archive_options,
    .n_options = sizeof archive_options / sizeof archive_options[0],
};

static const quire_format *const archive_formats[] = {&archive_format,
                                                      &warc_format};

static const quire_plugin archive_plugin = {
    .abi_major = QUIRE_ABI_MAJOR,
    .abi_minor = QUIRE_ABI_MINOR,
    .struct_size = sizeof(quire_plugin),
    .name = "archive",
    .version = "0.1.0",
    .flags = QUIRE_PLUGIN_CONCURRENT,
    .formats = archive_formats,
    .n_formats = sizeof archive_formats / sizeof archive_formats[0],
};

QUIRE_EXPORT const quire_plugin *QUIRE_PLUGIN_ENTRY(void) {
  return &archive_plugin;
}
