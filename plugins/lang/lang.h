/* lang.h - the parts of the lang transform (lang_plugin.c): the text it
 * reads from a document (lang_text.c), the identifier it asks (CLD2,
 * through the C++ shim lang_cld2.cc) and the BCP 47 tag it writes
 * (lang_tag.c).  The numbers below come from scripts/lang-eval; see
 * docs/hygiene-lang.md. */
#ifndef QUIRE_LANG_H
#define QUIRE_LANG_H

#include <quire/plugin.h>

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The most text read from a document.  CLD2's accuracy stops growing at
 * about 1,000 characters (98.7% right there, 99.3% on whole texts), which
 * is at most 4 KB in any script (CJK: 3 bytes a character); reading 16 KB
 * would cost 2.6 times as much on the 50 MB corpus for no measured gain. */
#define LANG_SAMPLE_BYTES 4096

/* The least text, in characters, worth asking about.  Below it CLD2 is
 * sure and wrong too often (2.4% of 50-character texts, 5.7% of 30). */
#define LANG_MIN_CHARS 100

/* A document's text in reading order, up to LANG_SAMPLE_BYTES, blocks
 * separated by a newline, cut only between UTF-8 characters. */
typedef struct lang_text {
  char s[LANG_SAMPLE_BYTES + 1];
  size_t len;                /* bytes in s */
  size_t chars;              /* characters in s */
  int full;                  /* more text was left out */
} lang_text;

/* Fills t with doc's text: the text of headings, paragraphs, lists,
 * tables, quotes, notes, links; not code (blocks or inline), raw content,
 * math, nor the alt text of images (file names and "logo" more often than
 * prose).  Stops at LANG_SAMPLE_BYTES. */
void lang_text_collect(const quire_services *svc, const quire_doc *doc,
                       lang_text *t);

/* What CLD2 says of a text. */
typedef struct lang_guess {
  const char *code;          /* CLD2's code ("de", "iw", "un"): static */
  int reliable;              /* CLD2's is_reliable */
} lang_guess;

/* Asks CLD2 for the language of the len bytes at text (UTF-8, not
 * HTML).  Returns 0, or -1 when CLD2 failed (it threw: out of memory). */
int lang_cld2_detect(const char *text, size_t len, lang_guess *g);

/* The BCP 47 tag for a CLD2 language code, or NULL for CLD2's "unknown"
 * and its pseudo-languages.  The string is static. */
const char *lang_tag_of_cld2(const char *code);

#ifdef __cplusplus
}
#endif

#endif
