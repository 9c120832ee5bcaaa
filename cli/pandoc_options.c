/* pandoc_options.c - pandoc's options quire does not have: those of
 * `pandoc --help` (2.17) and those pandoc 3 added.  Options quire has
 * under the same name (--toc, --wrap, --css, --sandbox, --toc-depth,
 * --split-level, ...) are not listed: the table of the command's options
 * and the plugins' descriptors are looked at first. */
#include "pandoc_options.h"

#include <string.h>

static const pandoc_option options[] = {
    /* pandoc 2.17 --help */
    {0, "data-dir"}, {'d', "defaults"}, {0, "file-scope"},
    {0, "template"}, {'V', "variable"}, {0, "ascii"},
    {'N', "number-sections"}, {0, "number-offset"},
    {0, "top-level-division"}, {0, "no-highlight"},
    {0, "highlight-style"}, {0, "syntax-definition"},
    {'H', "include-in-header"}, {'B', "include-before-body"},
    {'A', "include-after-body"}, {0, "dpi"}, {0, "eol"},
    {'p', "preserve-tabs"}, {0, "tab-stop"}, {0, "pdf-engine"},
    {0, "pdf-engine-opt"}, {0, "reference-doc"}, {0, "request-header"},
    {0, "no-check-certificate"}, {0, "abbreviations"},
    {0, "indented-code-classes"}, {0, "default-image-extension"},
    {'F', "filter"}, {'L', "lua-filter"}, {0, "shift-heading-level-by"},
    {0, "base-header-level"}, {0, "strip-empty-paragraphs"},
    {0, "track-changes"}, {0, "strip-comments"}, {0, "reference-links"},
    {0, "reference-location"}, {0, "atx-headers"},
    {0, "markdown-headings"}, {0, "listings"}, {'i', "incremental"},
    {0, "slide-level"}, {0, "section-divs"}, {0, "html-q-tags"},
    {0, "email-obfuscation"}, {0, "id-prefix"}, {'T', "title-prefix"},
    {0, "epub-subdirectory"}, {0, "epub-metadata"},
    {0, "epub-embed-font"}, {0, "ipynb-output"}, {'C', "citeproc"},
    {0, "bibliography"}, {0, "csl"}, {0, "citation-abbreviations"},
    {0, "natbib"}, {0, "biblatex"}, {0, "mathml"}, {0, "webtex"},
    {0, "mathjax"}, {0, "katex"}, {0, "gladtex"}, {0, "trace"},
    {0, "dump-args"}, {0, "ignore-args"}, {0, "log"},
    {0, "bash-completion"}, {0, "list-extensions"},
    {0, "list-highlight-languages"}, {0, "list-highlight-styles"},
    {'D', "print-default-template"}, {0, "print-default-data-file"},
    {0, "print-highlight-style"},
    /* pandoc 3 */
    {0, "chunk-template"}, {0, "epub-title-page"}, {0, "list-tables"},
    {0, "link-images"}, {0, "figure-caption-position"},
    {0, "table-caption-position"}, {0, "syntax-highlighting"},
};

const pandoc_option *pandoc_option_find(const char *name) {
  for (size_t i = 0; i < sizeof options / sizeof options[0]; i++)
    if (strcmp(options[i].name, name) == 0)
      return &options[i];
  return NULL;
}

const pandoc_option *pandoc_option_short(char ch) {
  for (size_t i = 0; ch && i < sizeof options / sizeof options[0]; i++)
    if (options[i].short_name == ch)
      return &options[i];
  return NULL;
}
