/* epub_plugin.c - the EPUB plugin's descriptor. */
#include <libxml/parser.h>
#include <string.h>

#include "epub.h"

/* A ZIP whose first entry is a file named "mimetype" holding
 * "application/epub+zip", as the OCF specification requires. */
static int epub_sniff(const unsigned char *head, size_t len) {
  static const char mime[] = "mimetypeapplication/epub+zip";
  if (len < 30 || memcmp(head, "PK\x03\x04", 4) != 0)
    return 0;
  for (size_t i = 30; i + sizeof mime - 1 <= len && i < 64; i++)
    if (memcmp(head + i, mime, sizeof mime - 1) == 0)
      return 95;
  return 10;   /* some other ZIP: maybe an EPUB without a proper mimetype */
}

static const quire_option_spec epub_options[] = {
    {"toc-depth", "N", "epub: heading levels listed under each chapter in "
                       "the table of contents (default 2, 0: chapters only)",
     QUIRE_OPT_WRITE},
    {"css", "FILE", "epub: use this stylesheet instead of the built-in one",
     QUIRE_OPT_WRITE},
    {"cover-image", "FILE", "epub: a JPEG or PNG image as the book's cover",
     QUIRE_OPT_WRITE},
    {"identifier", "ID", "epub: the book's dc:identifier (default: the "
                         "source's, else a urn:uuid derived from the "
                         "content)",
     QUIRE_OPT_WRITE},
    {"split-level", "N", "epub: start a new file at each heading of level "
                         "N or above (default 1, 0: at sections and the "
                         "size cap only)",
     QUIRE_OPT_WRITE},
    {"epub-chapter-level", "N", "epub: the same as --split-level (pandoc's "
                                "older name)",
     QUIRE_OPT_WRITE},
    {"compress-level", "N",
     "epub: how hard chapters are compressed, 1 (fastest) to 12 (smallest; "
     "default 5)",
     QUIRE_OPT_WRITE},
    {"split-size", "BYTES", "epub: start a new file before one would pass "
                            "BYTES (K, M suffixes; default 256K, 0: no cap)",
     QUIRE_OPT_WRITE},
};

static const quire_format epub_format = {
    .name = "epub",
    .extensions = "epub",
    .mime_type = "application/epub+zip",
    .description = "EPUB 3 (with an EPUB 2 NCX); reads EPUB 2 and 3",
    .binary = 1,
    .sniff = epub_sniff,
    .read_open = epub_read_open,
    .read_next = epub_read_next,
    .read_close = epub_read_close,
    .write_open = epub_write_open,
    .write_doc = epub_write_doc,
    .write_close = epub_write_close,
    .options = epub_options,
    .n_options = sizeof epub_options / sizeof epub_options[0],
    /* What the package's Dublin Core takes from --title, --lang and
     * --metadata (author becomes dc:creator, direction the spine's
     * page-progression-direction). */
    .metadata_keys = "title,language,author,date,publisher,rights,"
                     "description,subject,contributor,identifier,direction,"
                     "creator:",
    .aliases = "epub3",
    .flags = QUIRE_FORMAT_NEEDS_LANGUAGE,   /* dc:language is required */
};

/* EPUB 2.0.1, write only, for reading systems that need it: the same
 * writer and options; no page direction in EPUB 2. */
static const quire_format epub2_format = {
    .name = "epub2",
    .extensions = "epub",
    .mime_type = "application/epub+zip",
    .description = "EPUB 2.0.1 (write only), for older reading systems",
    .binary = 1,
    .write_open = epub2_write_open,
    .write_doc = epub_write_doc,
    .write_close = epub_write_close,
    .options = epub_options,
    .n_options = sizeof epub_options / sizeof epub_options[0],
    .metadata_keys = "title,language,author,date,publisher,rights,"
                     "description,subject,contributor,identifier,creator:",
    .flags = QUIRE_FORMAT_NEEDS_LANGUAGE,
};

/* "epub" first: the extension .epub names EPUB 3. */
static const quire_format *const epub_formats[] = {&epub_format,
                                                   &epub2_format};

/* libxml2 wants its global state set up once before any parsing or
 * writing; it is never torn down here, other plugins may use it. */
static int epub_init(quire_env *env) {
  (void)env;
  xmlInitParser();
  return QUIRE_OK;
}

static const quire_plugin epub_plugin = {
    .abi_major = QUIRE_ABI_MAJOR,
    .abi_minor = QUIRE_ABI_MINOR,
    .struct_size = sizeof(quire_plugin),
    .name = "epub",
    .version = "0.2.0",
    /* No state outside the reader's and writer's own: libxml2, libzip and
     * zlib are used through handles of their own. */
    .flags = QUIRE_PLUGIN_CONCURRENT,
    .formats = epub_formats,
    .n_formats = sizeof epub_formats / sizeof epub_formats[0],
    .init = epub_init,
};

QUIRE_EXPORT const quire_plugin *QUIRE_PLUGIN_ENTRY(void) {
  return &epub_plugin;
}
