/* options_table.c - the quire command's own options (see options_table.h).
 * Each entry's text in the man page is in docs/quire.1.in; the build fails
 * when one has none, or when that file describes an option not here. */
#include "options_table.h"

#include <string.h>

const cli_option cli_options[] = {
    {OPT_FROM, 'f', "from", "FORMAT",
     "input format (default: by extension, then content)", NULL},
    {OPT_TO, 't', "to", "FORMAT",
     "output format (default: by the output's extension)", NULL},
    {OPT_OUTPUT, 'o', "output", "FILE",
     "output file ('-' or none: standard output)", NULL},
    {OPT_OUTPUT_DIR, 0, "output-dir", "DIR", "one output per input, in DIR",
     NULL},
    {OPT_TITLE, 0, "title", "TITLE", "title of the corpus", NULL},
    {OPT_LANG, 0, "lang", "LANG",
     "language of the corpus (a BCP 47 tag), or auto:\nidentify each "
     "document's (the default for EPUB)",
     NULL},
    {OPT_METADATA, 'M', "metadata", "KEY=VALUE",
     "corpus metadata (repeatable; also KEY:VALUE; KEY\nalone is KEY=true)",
     NULL},
    {OPT_METADATA_FILE, 0, "metadata-file", "FILE",
     "corpus metadata from a YAML or JSON file (the command\nline's keys win)",
     NULL},
    {OPT_TRANSFORM, 0, "transform", "NAME",
     "apply a transform to each document (repeatable)", NULL},
    {OPT_CLEAN, 0, "clean", NULL,
     "remove web-page chrome and find each article's\ntitle (the transform "
     "clean, applied first)",
     NULL},
    {OPT_DEDUP, 0, "dedup", NULL,
     "drop documents that repeat an earlier one, exactly\nor nearly (the "
     "transform dedup, after clean)",
     NULL},
    {OPT_RECURSIVE, 0, "recursive", NULL,
     "a folder also stands for its sub-folders' files", NULL},
    {OPT_WRAP, 0, "wrap", "MODE",
     "auto: wrap at --columns or 72; none, preserve: do\nnot wrap (default: "
     "wrap only with --columns)",
     NULL},
    {OPT_JOBS, 'j', "jobs", "N",
     "convert on N threads (default: the number of\ncores); the output is "
     "the same for any N",
     NULL},
    {OPT_KEEP_GOING, 'k', "keep-going", NULL,
     "convert every input that can be, name those that\nfail, exit 1 at the "
     "end",
     NULL},
    {OPT_STREAM, 0, "stream", NULL,
     "convert JSON Lines records from standard input\nto records on standard "
     "output, one for one",
     NULL},
    {OPT_STRICT, 0, "strict", NULL, "treat every warning as a failure", NULL},
    {OPT_PLUGIN_DIR, 0, "plugin-dir", "DIR",
     "search DIR for plugins first (repeatable)", NULL},
    {OPT_LIMIT, 0, "limit", "NAME=VALUE",
     "raise or lower a safety limit (K, M, G suffixes)", NULL},
    {OPT_LIST_FORMATS, 0, "list-formats", NULL,
     "list the formats of the loaded plugins", NULL},
    {OPT_LIST_INPUT_FORMATS, 0, "list-input-formats", NULL,
     "list the names of the formats that read", NULL},
    {OPT_LIST_OUTPUT_FORMATS, 0, "list-output-formats", NULL,
     "list the names of the formats that write", NULL},
    {OPT_LIST_TRANSFORMS, 0, "list-transforms", NULL,
     "list the transforms of the loaded plugins", NULL},
    {OPT_LIST_LIMITS, 0, "list-limits", NULL,
     "list the limits with their values", NULL},
    {OPT_VERBOSE, 'v', "verbose", NULL,
     "say which plugins and formats are used", NULL},
    {OPT_QUIET, 'q', "quiet", NULL, "print no warnings", NULL},
    {OPT_HELP, 'h', "help", NULL, "show this help", NULL},
    {OPT_VERSION, 0, "version", NULL, "show the version", NULL},

    {OPT_STANDALONE, 's', "standalone", NULL,
     "accepted; quire's pages and books are whole", "(nothing)"},
    {OPT_READ, 'r', "read", "FORMAT", "the same as --from", "--from"},
    {OPT_WRITE, 'w', "write", "FORMAT", "the same as --to", "--to"},
    {OPT_TOC, 0, "toc", NULL,
     "the html writer's --toc (EPUB: accepted, the book\nalways has its "
     "table of contents)",
     "--html:toc"},
    {OPT_TABLE_OF_CONTENTS, 0, "table-of-contents", NULL,
     "the same as --toc", "--toc"},
    {OPT_SELF_CONTAINED, 0, "self-contained", NULL,
     "the same as --embed-resources", "--embed-resources"},
    {OPT_FAIL_IF_WARNINGS, 0, "fail-if-warnings", NULL,
     "the same as --strict", "--strict"},
    {OPT_EPUB_COVER_IMAGE, 0, "epub-cover-image", "FILE",
     "the same as --epub:cover-image", "--epub:cover-image"},
    {OPT_CSS, 'c', "css", "URL",
     "the writer's stylesheet (html, epub: --css)", "--css"},
    {OPT_RESOURCE_PATH, 0, "resource-path", "DIR:DIR...",
     "folders to look for a page's images in (the html\nreader's "
     "--resource-path, once per folder)",
     "--resource-path"},
};

const size_t cli_n_options = sizeof cli_options / sizeof cli_options[0];

const cli_option *cli_option_find(const char *name) {
  for (size_t i = 0; i < cli_n_options; i++)
    if (strcmp(cli_options[i].name, name) == 0)
      return &cli_options[i];
  return NULL;
}

const cli_option *cli_option_short(char ch) {
  for (size_t i = 0; ch && i < cli_n_options; i++)
    if (cli_options[i].short_name == ch)
      return &cli_options[i];
  return NULL;
}
