/* html_plugin.c - the HTML plugin's descriptor: formats html and xhtml.
 *
 * The plugin keeps no state outside its readers and writers: no writable
 * static data, no non-reentrant library calls, and libxml2 is thread-safe
 * once xmlInitParser() has run (in init).  So it is QUIRE_PLUGIN_CONCURRENT. */
#include <libxml/parser.h>
#include <string.h>
#include <strings.h>

#include "html.h"
#include "html_write.h"

/* Non-zero when `word` occurs in head[0..len), ignoring case. */
static int has_word(const unsigned char *head, size_t len, const char *word) {
  size_t n = strlen(word);
  for (size_t i = 0; i + n <= len; i++)
    if (strncasecmp((const char *)head + i, word, n) == 0)
      return 1;
  return 0;
}

/* Non-zero when a start tag `<name` (followed by '>' or a blank, so that
 * <header> is not <head>) occurs in head[0..len). */
static int has_tag(const unsigned char *head, size_t len, const char *name) {
  size_t n = strlen(name);
  for (size_t i = 0; i + n + 2 <= len; i++)
    if (head[i] == '<' &&
        strncasecmp((const char *)head + i + 1, name, n) == 0 &&
        (head[i + n + 1] == '>' || head[i + n + 1] == ' ' ||
         head[i + n + 1] == '\t' || head[i + n + 1] == '\n' ||
         head[i + n + 1] == '\r'))
      return 1;
  return 0;
}

/* The first bytes after a BOM and blanks. */
static const unsigned char *skip_blank(const unsigned char *head, size_t *len) {
  if (*len >= 3 && head[0] == 0xEF && head[1] == 0xBB && head[2] == 0xBF) {
    head += 3;
    *len -= 3;
  }
  while (*len && (*head == ' ' || *head == '\t' || *head == '\n' ||
                  *head == '\r' || *head == '\f')) {
    head++;
    (*len)--;
  }
  return head;
}

static int is_xhtml(const unsigned char *head, size_t len) {
  return has_word(head, len, "http://www.w3.org/1999/xhtml") &&
         has_tag(head, len, "html");
}

static int html_sniff(const unsigned char *head, size_t len) {
  const unsigned char *p = skip_blank(head, &len);
  if (len >= 14 && strncasecmp((const char *)p, "<!doctype html", 14) == 0)
    return is_xhtml(p, len) ? 60 : 90;
  if (has_tag(p, len, "html") || has_tag(p, len, "body") ||
      has_tag(p, len, "head"))
    return is_xhtml(p, len) ? 50 : 70;
  return has_tag(p, len, "title") ? 40 : 0;
}

static int xhtml_sniff(const unsigned char *head, size_t len) {
  const unsigned char *p = skip_blank(head, &len);
  if (!is_xhtml(p, len))
    return 0;
  return len >= 5 && strncmp((const char *)p, "<?xml", 5) == 0 ? 95 : 80;
}

static const quire_option_spec html_options[] = {
    {"css", "URL", "html: link this stylesheet instead of the built-in one",
     QUIRE_OPT_WRITE},
    {"fragment", NULL, "html: write only the body content, no page around it",
     QUIRE_OPT_WRITE},
    {"toc", NULL, "html: begin the page with a table of contents",
     QUIRE_OPT_WRITE},
    /* Where the images the documents carry go (html_write.c). */
    {"extract-media", "DIR",
     "html: write the images the documents carry to DIR and link them "
     "there (default for a file: a folder beside it, NAME_media)",
     QUIRE_OPT_WRITE},
    {"embed-resources", NULL,
     "html: put the images the documents carry in the page as data: URIs "
     "(default for standard output)",
     QUIRE_OPT_WRITE},
    {"epub-notes", NULL,
     "xhtml: write notes as EPUB 3 footnotes (epub:type noteref and "
     "footnote) instead of a list at the end",
     QUIRE_OPT_WRITE},
    /* For other plugins rendering through this writer (svc->render_open):
     * EPUB writes each chapter's body this way. */
    {"embed", "PREFIX",
     "html: write only the documents' blocks, with no page, <article> or "
     "table of contents around them, for a format that embeds them; "
     "headings get the ids PREFIX-h1, PREFIX-h2, ...",
     QUIRE_OPT_WRITE},
    /* Reading: where the files a page refers to may be read from. */
    {"resource-path", "DIR",
     "html: also look for the images a page refers to in DIR (repeatable; "
     "the page's own folder comes first)",
     QUIRE_OPT_READ},
    {"sandbox", NULL,
     "html: read no file but the inputs: images the page refers to stay "
     "links",
     QUIRE_OPT_READ},
    {"input-encoding", "NAME",
     "html: read the page as encoding NAME (windows-1251, shift_jis, ...), "
     "whatever it declares or detection would find",
     QUIRE_OPT_READ},
};

/* The corpus metadata the page's <head> holds (page_keys in html_write.c). */
#define HTML_METADATA_KEYS \
  "title,language,author,date,description,keywords,collection"

static const quire_format html_format = {
    .name = "html",
    .extensions = "html,htm",
    .mime_type = "text/html",
    .aliases = "html5",   /* pandoc's name */
    .description = "HTML5",
    .sniff = html_sniff,
    .read_open = html_read_open,
    .read_next = html_read_next,
    .read_close = html_read_close,
    .write_open = html_write_open,
    .write_doc = html_write_doc,
    .write_close = html_write_close,
    .part_render = html_part_render,
    .write_part = html_write_part,
    .part_free = html_part_free,
    .options = html_options,
    .n_options = sizeof html_options / sizeof html_options[0],
    .metadata_keys = HTML_METADATA_KEYS,
    .flags = QUIRE_FORMAT_ONE_DOCUMENT,   /* a page is a document */
};

static const quire_format xhtml_format = {
    .name = "xhtml",
    .extensions = "xhtml,xht",
    .mime_type = "application/xhtml+xml",
    .description = "XHTML (HTML5 as XML), as inside EPUB",
    .sniff = xhtml_sniff,
    .read_open = xhtml_read_open,
    .read_next = html_read_next,
    .read_close = html_read_close,
    .write_open = xhtml_write_open,
    .write_doc = html_write_doc,
    .write_close = html_write_close,
    .part_render = xhtml_part_render,
    .write_part = html_write_part,
    .part_free = html_part_free,
    .options = html_options,
    .n_options = sizeof html_options / sizeof html_options[0],
    .metadata_keys = HTML_METADATA_KEYS,
    .flags = QUIRE_FORMAT_ONE_DOCUMENT,   /* a page is a document */
};

static const quire_format *const html_formats[] = {&html_format,
                                                   &xhtml_format};

/* libxml2 wants its global state set up once before any parsing.  It is
 * never torn down here: other plugins in the same process may use it. */
static int html_init(quire_env *env) {
  (void)env;
  xmlInitParser();
  return QUIRE_OK;
}

static const quire_plugin html_plugin = {
    .abi_major = QUIRE_ABI_MAJOR,
    .abi_minor = QUIRE_ABI_MINOR,
    .struct_size = sizeof(quire_plugin),
    .name = "html",
    .version = "0.2.0",
    .flags = QUIRE_PLUGIN_CONCURRENT,
    .formats = html_formats,
    .n_formats = sizeof html_formats / sizeof html_formats[0],
    .init = html_init,
};

QUIRE_EXPORT const quire_plugin *QUIRE_PLUGIN_ENTRY(void) {
  return &html_plugin;
}
