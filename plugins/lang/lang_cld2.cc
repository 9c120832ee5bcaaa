// lang_cld2.cc - the lang transform's one C++ file: asks CLD2 (Chrome's
// Compact Language Detector 2, a C++ library) for a text's language, behind
// a C function, so that the rest of the plugin stays C11.  No exception
// crosses into C: CLD2 throws only when out of memory, which becomes -1.
#include <cstdio>   // CLD2's header uses FILE without including <cstdio>

#include <cld2/public/compact_lang_det.h>
#include <cld2/public/encodings.h>

#include "lang.h"

extern "C" int lang_cld2_detect(const char *text, size_t len,
                                lang_guess *g) {
  try {
    CLD2::CLDHints hints = {nullptr, nullptr, CLD2::UNKNOWN_ENCODING,
                            CLD2::UNKNOWN_LANGUAGE};
    CLD2::Language lang3[3];
    int percent3[3];
    double score3[3];
    int text_bytes = 0, valid_bytes = 0;
    bool reliable = false;
    // The CheckUTF8 form: it stops at bytes that are not UTF-8 (giving
    // "unknown") where the other form would read past them.
    CLD2::Language lang = CLD2::ExtDetectLanguageSummaryCheckUTF8(
        text, static_cast<int>(len), true /* plain text, not HTML */,
        &hints, 0, lang3, percent3, score3, nullptr, &text_bytes, &reliable,
        &valid_bytes);
    g->code = CLD2::LanguageCode(lang);
    g->reliable = reliable;
    // A text CLD2 finds partly in a near-identical language of the same
    // group (Croatian and Bosnian, Malay and Indonesian...) is where it is
    // sure and wrong: it is not sure there.
    for (int i = 1; i < 3 && g->reliable; i++)
      if (lang3[i] != lang && percent3[i] > 0 &&
          lang_same_group(CLD2::LanguageCode(lang),
                          CLD2::LanguageCode(lang3[i])))
        g->reliable = 0;
    return 0;
  } catch (...) {
    return -1;
  }
}
