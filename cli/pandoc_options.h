/* pandoc_options.h - pandoc's options that quire does not have, so that
 * one is refused with a message saying so rather than "unknown option".
 * The options quire has under pandoc's spelling are in options_table.c
 * or declared by the plugins. */
#ifndef QUIRE_CLI_PANDOC_OPTIONS_H
#define QUIRE_CLI_PANDOC_OPTIONS_H

typedef struct pandoc_option {
  char short_name;          /* 0: none */
  const char *name;         /* long name, no dashes */
} pandoc_option;

/* The pandoc option called `name` (long, no dashes) or NULL. */
const pandoc_option *pandoc_option_find(const char *name);
/* The pandoc option with short name ch, or NULL. */
const pandoc_option *pandoc_option_short(char ch);

#endif
