/* options_table.h - the quire command's own options, in one table read by
 * the parser (parse.c), --help (help.c) and the man page generator
 * (man_page.c), so the three cannot disagree.  Format and transform
 * options are not here: the plugins declare them. */
#ifndef QUIRE_CLI_OPTIONS_TABLE_H
#define QUIRE_CLI_OPTIONS_TABLE_H

#include <stddef.h>

typedef enum opt_id {
  OPT_FROM, OPT_TO, OPT_OUTPUT, OPT_OUTPUT_DIR, OPT_TITLE, OPT_LANG,
  OPT_METADATA, OPT_METADATA_FILE, OPT_TRANSFORM, OPT_CLEAN, OPT_DEDUP,
  OPT_RECURSIVE,
  OPT_WRAP, OPT_JOBS, OPT_KEEP_GOING, OPT_STREAM, OPT_STRICT,
  OPT_PLUGIN_DIR, OPT_LIMIT, OPT_LIST_FORMATS, OPT_LIST_INPUT_FORMATS,
  OPT_LIST_OUTPUT_FORMATS, OPT_LIST_TRANSFORMS, OPT_LIST_LIMITS,
  OPT_VERBOSE, OPT_QUIET, OPT_HELP, OPT_VERSION,
  /* pandoc's spellings */
  OPT_STANDALONE, OPT_READ, OPT_WRITE, OPT_TOC, OPT_TABLE_OF_CONTENTS,
  OPT_SELF_CONTAINED, OPT_FAIL_IF_WARNINGS, OPT_EPUB_COVER_IMAGE,
  OPT_CSS, OPT_RESOURCE_PATH
} opt_id;

typedef struct cli_option {
  opt_id id;
  char short_name;          /* 0: none */
  const char *name;         /* the long name, without dashes */
  const char *arg;          /* the value's name; NULL for a flag */
  const char *help;         /* --help's text; '\n' starts a further line */
  const char *alias_of;     /* a pandoc spelling: what it stands for, as
                               --help shows it ("--from"); NULL otherwise */
} cli_option;

extern const cli_option cli_options[];
extern const size_t cli_n_options;

/* The option called `name` (long, no dashes), or NULL. */
const cli_option *cli_option_find(const char *name);
/* The option with short name `ch`, or NULL. */
const cli_option *cli_option_short(char ch);

#endif
