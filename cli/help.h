/* help.h - what the quire command prints and exits on: --help, --version
 * and the --list- options. */
#ifndef QUIRE_CLI_HELP_H
#define QUIRE_CLI_HELP_H

#include <quire/quire.h>

#include <stdio.h>

#include "options_table.h"

/* The left column of an option's line in --help ("-f, --from FORMAT"). */
void help_option_left(const cli_option *o, char *buf, size_t size);

void print_help(const quire_session *s);
void print_version(void);
void list_formats(const quire_session *s);
/* One name a line: the formats that read (dir QUIRE_OPT_READ) or write. */
void list_format_names(const quire_session *s, unsigned dir);
void list_transforms(const quire_session *s);
void list_limits(const quire_session *s);

#endif
