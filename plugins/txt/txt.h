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

/* A document's text while the reader works on it: s[0..len) in the
 * document's arena, in a block of cap + 1 bytes (cap >= len), so there is
 * always a byte to spare after the text.  The reader keeps one such block
 * per document and rewrites it in place where it can: a text file is then
 * held once, from the read to the tree that points into it. */
typedef struct txt_text {
  char *s;
  size_t len;
  size_t cap;
} txt_text;

/* Makes t hold a copy of src[0..n): in t's block when it fits, else in a
 * new block of doc's arena (the old one stays there, unused).  QUIRE_OK,
 * or QUIRE_FATAL when memory is exhausted (no message is set). */
int txt_text_set(const quire_services *svc, quire_doc *doc, txt_text *t,
                 const char *src, size_t n);

/* What one pass over the bytes of a text file found: enough to judge
 * whether they are text at all and how to decode them (see
 * txt_decode.c). */
typedef struct txt_survey {
  size_t bom;            /* 3 after a UTF-8 byte order mark, else 0 */
  size_t sniffed;        /* how many of the first bytes judge "not text" */
  size_t nul;            /* NUL bytes among them */
  size_t junk;           /* other control bytes, and bytes that no
                            decoding defines, among them */
  size_t valid_multi;    /* valid multi-byte UTF-8 sequences */
  size_t invalid;        /* bytes in no valid UTF-8 sequence */
  size_t undefined_1252; /* of those, bytes Windows-1252 leaves undefined */
  int changes;           /* decoding as UTF-8 changes some byte (a CR, a
                            control character, an escaped quote, damage) */
  int nfc;               /* a valid sequence is a code point that NFC may
                            change */
} txt_survey;

/* Looks once at bytes[0..len) (see txt_decode.c). */
void txt_survey_bytes(const char *bytes, size_t len, txt_survey *sv);

/* Non-zero when the surveyed bytes are not text, with why ("312 NUL bytes
 * in the first 4096") in why[0..n): see txt_decode.c for the rule. */
int txt_not_text(const txt_survey *sv, char *why, size_t n);

/* Decodes t, the bytes of a text file that sv surveyed, UTF-8 (perhaps
 * damaged) by now, into clean NFC UTF-8 (see txt_decode.c), in place when the result fits, else in a new
 * block of doc's arena.  QUIRE_OK, or QUIRE_FAILED / QUIRE_FATAL (memory)
 * with the message set. */
int txt_decode(quire_env *env, quire_doc *doc, const char *name,
               const txt_survey *sv, txt_text *t);

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
