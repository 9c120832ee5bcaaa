/* txt.h - the plain-text reader and writer, as the descriptor sees them. */
#ifndef QUIRE_TXT_H
#define QUIRE_TXT_H

#include <quire/plugin.h>

int txt_read_open(quire_env *env, quire_input *in, const quire_options *opts,
                  void **state);
int txt_read_next(quire_env *env, void *state, quire_doc **doc);
void txt_read_close(quire_env *env, void *state);

int txt_write_open(quire_env *env, quire_output *out,
                   const quire_options *opts, const quire_meta *corpus,
                   void **state);
int txt_write_doc(quire_env *env, void *state, const quire_doc *doc);
int txt_write_close(quire_env *env, void *state, int ok);

/* Decodes the bytes of a text file into clean NFC UTF-8 (see
 * txt_decode.c).  *text is the caller's, freed with free().  QUIRE_OK,
 * or QUIRE_FAILED / QUIRE_FATAL (memory) with the message set. */
int txt_decode(quire_env *env, const char *name, const char *bytes,
               size_t len, char **text, size_t *text_len);

/* Non-zero when bytes[0..len) are not text, with why ("312 NUL bytes in
 * the first 4096") in why[0..n): see txt_decode.c for the rule. */
int txt_not_text(const char *bytes, size_t len, char *why, size_t n);

/* When bytes[0..len) begin with a UTF-16 byte order mark, their text as
 * UTF-8 (without the mark) in *utf8, which the caller frees with free(),
 * and 1; else 0.  -1 when memory is exhausted. */
int txt_from_utf16(const char *bytes, size_t len, char **utf8,
                   size_t *utf8_len);

/* Builds doc's blocks from clean text (see txt_structure.c): text[0..len)
 * lives in doc's arena, with a byte to spare after it, and becomes the
 * text of the nodes in place (paragraphs are joined and NUL-terminated
 * where they stand), so the document holds its text once.  QUIRE_OK, or
 * QUIRE_FAILED / QUIRE_FATAL (memory) with the message set. */
int txt_build(quire_env *env, quire_doc *doc, char *text, size_t len);

/* Non-zero when a line with this text, standing alone, reads as a heading:
 * the writer uses it to keep such paragraphs from turning into headings. */
int txt_heading_like(const char *s, size_t n);

/* Finds a date stated plainly in the first lines of text (see
 * txt_date.c): 1 with it in iso as YYYY-MM-DD, else 0. */
int txt_find_date(const char *text, size_t len, char iso[32]);

#endif
