/* lang_tag.c - CLD2's language codes as BCP 47 tags.
 *
 * CLD2 names most languages by their ISO 639-1 code, which BCP 47 takes as
 * it is ("de", "zh", "zh-Hant", "sr-ME", "no"), but keeps two codes ISO
 * withdrew, and names "unknown" and its test pseudo-languages with codes
 * that are no language (the list: every LanguageCode() of libcld2 0.0.197,
 * printed and read). */
#include "lang.h"

#include <string.h>

const char *lang_tag_of_cld2(const char *code) {
  static const struct {
    const char *cld2, *bcp47;
  } renamed[] = {
      {"iw", "he"},   /* Hebrew, withdrawn from ISO 639 in 1989 */
      {"jw", "jv"},   /* Javanese, a misspelling ISO never had */
  };
  /* un: unknown; xxx and xx-Xxxx: text of a script, language unknown;
   * zzb, zze, zzh, zzp and tlh: CLD2's joke languages (Bork, Elmer Fudd,
   * Hacker, Pig Latin, Klingon), which real text only ever resembles. */
  static const char *const none[] = {"un", "xxx", "zzb", "zze", "zzh",
                                     "zzp", "tlh"};
  if (!code || !code[0] || strncmp(code, "xx-", 3) == 0)
    return NULL;
  for (size_t i = 0; i < sizeof none / sizeof none[0]; i++)
    if (strcmp(code, none[i]) == 0)
      return NULL;
  for (size_t i = 0; i < sizeof renamed / sizeof renamed[0]; i++)
    if (strcmp(code, renamed[i].cld2) == 0)
      return renamed[i].bcp47;
  return code;
}

/* Groups of languages so close in writing that CLD2 tells them apart
 * by a few words: Serbo-Croatian's standards, Malay and Indonesian, the
 * Scandinavian pair written alike, Czech and Slovak, Spanish and
 * Galician. */
static const char *const groups[][4] = {
    {"hr", "bs", "sr", "sr-ME"}, {"ms", "id", NULL, NULL},
    {"da", "no", "nn", NULL},    {"cs", "sk", NULL, NULL},
    {"es", "gl", NULL, NULL}};

int lang_in_group(const char *a) { return lang_same_group(a, a); }

int lang_same_group(const char *a, const char *b) {
  if (!a || !b)
    return 0;
  for (size_t g = 0; g < sizeof groups / sizeof groups[0]; g++) {
    int in_a = 0, in_b = 0;
    for (size_t i = 0; i < 4 && groups[g][i]; i++) {
      in_a |= strcmp(a, groups[g][i]) == 0;
      in_b |= strcmp(b, groups[g][i]) == 0;
    }
    if (in_a && in_b)
      return 1;
  }
  return 0;
}
