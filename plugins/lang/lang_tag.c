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
