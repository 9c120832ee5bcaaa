/* lang.h - the parts of the lang transform (lang_plugin.c): the text it
 * reads from a document (lang_text.c), the identifier it asks (CLD2,
 * through the C++ shim lang_cld2.cc) and the BCP 47 tag it writes
 * (lang_tag.c).  The numbers below come from scripts/lang-eval; see
 * docs/hygiene.md. */
#ifndef QUIRE_LANG_H
#define QUIRE_LANG_H

#include <quire/plugin.h>

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The text read from a document: LANG_SAMPLE_BYTES first, and up to
 * LANG_SAMPLE_MAX when CLD2 names a language of a near-identical group
 * (lang_same_group) and the document has more to say.  CLD2's accuracy
 * is flat from 200 characters on (98.6% right at 200, 98.7% at 1,000);
 * what it still gets wrong there is mostly such a group (Croatian read as
 * Bosnian), which more text settles.  CLD2 reads about 11 MB/s, so the
 * sample is the transform's cost: on the 50 MB benchmark corpus about
 * 0.15 s of CPU at 512 bytes a document, 0.25 s at 1 KB, 0.65 s at 2 KB,
 * 1.1-1.3 s at 4 KB (over a run's 0.12-0.19 s without it).  512 bytes are
 * 170 characters of CJK, 250 of Cyrillic or Greek, 500 of Latin. */
#define LANG_SAMPLE_BYTES 512
#define LANG_SAMPLE_MAX 4096

/* A text block (paragraph, heading, cell...) of fewer bytes is left out
 * of the sample when the document has enough text in longer ones: menus,
 * by-lines, share buttons and dates of a scraped page are short, and
 * often in another language than the article. */
#define LANG_PROSE_BYTES 64

/* The least text, in characters, worth asking about.  Below it CLD2 is
 * sure and wrong too often (2.4% of 50-character texts, 5.7% of 30). */
#define LANG_MIN_CHARS 100

/* A document's text in reading order, up to `limit` bytes, blocks
 * separated by a newline, cut only between UTF-8 characters. */
typedef struct lang_text {
  char s[LANG_SAMPLE_MAX + 1];
  size_t limit;              /* at most LANG_SAMPLE_MAX */
  size_t len;                /* bytes in s */
  size_t chars;              /* characters in s */
  int full;                  /* more text was left out */
} lang_text;

/* Fills t with doc's text: the text of paragraphs, headings, lists,
 * tables, quotes, notes, links, of blocks of LANG_PROSE_BYTES or more when
 * those give LANG_MIN_CHARS, else of all; not code (blocks or inline), raw
 * content, math, nor the alt text of images (file names and "logo" more
 * often than prose).  Stops at limit bytes (at most LANG_SAMPLE_MAX). */
void lang_text_collect(const quire_services *svc, const quire_doc *doc,
                       lang_text *t, size_t limit);

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

/* Non-zero when CLD2 codes a and b are languages of one group written
 * nearly alike (Croatian and Bosnian, Malay and Indonesian...): a text
 * CLD2 finds partly in each is one it cannot tell. */
int lang_same_group(const char *a, const char *b);
/* Non-zero when CLD2 code a is in such a group. */
int lang_in_group(const char *a);

#ifdef __cplusplus
}
#endif

#endif
