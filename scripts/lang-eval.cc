// scripts/lang-eval.cc - measures two language identifiers, CLD2 and
// libexttextcat, on labelled texts: accuracy, the share they are unsure of
// and the share they get wrong while confident, at several text lengths;
// and their speed.  Built and run by scripts/lang-eval (by hand, not in CI).
//
// Usage: lang-eval LIST [SPEED_LIST]
// LIST has one "TAG PATH" line per text (TAG a BCP 47 tag).  Each text is
// tried whole and in windows of 30, 100, 300 and 1,000 characters (up to
// three per text, at 0, 1/3 and 2/3 of it, starting at a word, when the text
// is long enough; 50 and 200 as well, to find the shortest usable length).
// The files SPEED_LIST names, one a line, are read whole and timed.
#include <cstdio>   // before CLD2's header, which uses FILE

#include <cld2/public/compact_lang_det.h>
#include <cld2/public/encodings.h>
#include <libexttextcat/textcat.h>

#include <chrono>
#include <cstring>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

namespace {

struct Guess {
  std::string tag;   // BCP 47, or "" when the library gives none
  bool sure;         // the library vouches for it
};

// CLD2's codes are mostly BCP 47 already; these are not.
std::string cld2_tag(const char *code) {
  static const std::map<std::string, std::string> fix = {
      {"iw", "he"}, {"jw", "jv"}, {"zh-TW", "zh-Hant"}, {"un", ""},
      {"xx-Qaai", ""}, {"tl", "fil"}};
  auto it = fix.find(code);
  return it == fix.end() ? code : it->second;
}

Guess cld2_guess(const std::string &text) {
  CLD2::Language lang3[3];
  int percent3[3];
  double score3[3];
  int text_bytes = 0;
  bool reliable = false;
  int valid = 0;
  CLD2::CLDHints hints = {nullptr, nullptr, CLD2::UNKNOWN_ENCODING,
                          CLD2::UNKNOWN_LANGUAGE};
  CLD2::Language l = CLD2::ExtDetectLanguageSummaryCheckUTF8(
      text.data(), (int)text.size(), true, &hints, 0, lang3, percent3,
      score3, nullptr, &text_bytes, &reliable, &valid);
  std::string tag = cld2_tag(CLD2::LanguageCode(l));
  return {tag, reliable && !tag.empty()};
}

void *textcat;

// textcat answers "[en--utf8]", "[de--utf8][nl--utf8]" (the candidates
// within 3% of the best), "SHORT" or "UNKNOWN".  One candidate is sure.
Guess textcat_guess(const std::string &text) {
  const char *r = textcat_Classify(textcat, text.data(), text.size());
  if (!r || r[0] != '[')
    return {"", false};
  const char *end = strchr(r, ']');
  std::string id(r + 1, end ? end - r - 1 : strlen(r + 1));
  bool sure = end && end[1] == '\0';
  if (id == "zh-CN-utf8")
    return {"zh", sure};
  if (id == "zh-TW-utf8")
    return {"zh-Hant", sure};
  size_t dash = id.find("--");
  return {dash == std::string::npos ? id : id.substr(0, dash), sure};
}

// A guess is right when its tag is the text's, or a name of the same
// language: Norwegian "no" for Bokmål "nb".
bool same(const std::string &want, const std::string &got) {
  return got == want || (want == "nb" && got == "no");
}

std::string slurp(const std::string &path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

bool lead(unsigned char c) { return (c & 0xC0) != 0x80; }

// The byte offset `n` characters after `from`, or npos past the end.
size_t skip_chars(const std::string &s, size_t from, size_t n) {
  size_t i = from;
  for (; i < s.size() && n > 0; n--)
    for (i++; i < s.size() && !lead(s[i]); i++) {}
  return n > 0 ? std::string::npos : i;
}

struct Tally {
  int n = 0, right = 0, unsure = 0, wrong_sure = 0;
  void add(const std::string &want, const Guess &g) {
    n++;
    if (!g.sure)
      unsure++;
    else if (same(want, g.tag))
      right++;
    else
      wrong_sure++;
  }
};

struct Sample {
  std::string tag, path, text;
  std::string label;   // the length class
};

}  // namespace

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: lang-eval LIST [SPEED_LIST]\n");
    return 2;
  }
  textcat = special_textcat_Init("/usr/share/libexttextcat/fpdb.conf",
                                 "/usr/share/libexttextcat/");
  if (!textcat) {
    fprintf(stderr, "lang-eval: libexttextcat's fingerprints not found\n");
    return 1;
  }
  std::vector<Sample> samples;
  std::ifstream list(argv[1]);
  std::string tag, path;
  const int lengths[] = {30, 50, 100, 200, 300, 1000};
  while (list >> tag >> path) {
    std::string text = slurp(path);
    for (int len : lengths) {
      for (int k = 0; k < 3; k++) {
        size_t start = k * text.size() / 3;
        while (start < text.size() && !lead(text[start])) start++;
        if (k > 0) {   // begin at a word
          while (start < text.size() && text[start] != ' ' &&
                 text[start] != '\n') start++;
          while (start < text.size() && (text[start] == ' ' ||
                 text[start] == '\n')) start++;
        }
        size_t end = skip_chars(text, start, len);
        if (end == std::string::npos)
          break;
        samples.push_back({tag, path, text.substr(start, end - start),
                           std::to_string(len)});
      }
    }
    samples.push_back({tag, path, text, "whole"});
  }

  const char *labels[] = {"30", "50", "100", "200", "300", "1000", "whole"};
  std::map<std::string, Tally> cld2_t, tc_t;
  std::map<std::string, int> cld2_wrong, tc_wrong;   // "want->got" counts
  for (const Sample &s : samples) {
    Guess c = cld2_guess(s.text), t = textcat_guess(s.text);
    cld2_t[s.label].add(s.tag, c);
    tc_t[s.label].add(s.tag, t);
    if (c.sure && !same(s.tag, c.tag))
      cld2_wrong[s.label + " " + s.tag + "->" + c.tag]++;
    if (t.sure && !same(s.tag, t.tag))
      tc_wrong[s.label + " " + s.tag + "->" + t.tag]++;
  }
  printf("| chars | texts | CLD2 right | unsure | wrong, sure "
         "| textcat right | unsure | wrong, sure |\n"
         "|---|---|---|---|---|---|---|---|\n");
  for (const char *l : labels) {
    const Tally &c = cld2_t[l], &t = tc_t[l];
    if (!c.n) continue;
    auto pct = [](int a, int n) { return 100.0 * a / n; };
    printf("| %s | %d | %.1f%% | %.1f%% | %.1f%% | %.1f%% | %.1f%% | "
           "%.1f%% |\n", l, c.n, pct(c.right, c.n), pct(c.unsure, c.n),
           pct(c.wrong_sure, c.n), pct(t.right, t.n), pct(t.unsure, t.n),
           pct(t.wrong_sure, t.n));
  }
  printf("\nCLD2 wrong but sure (length, truth->guess, count):");
  for (auto &w : cld2_wrong) printf(" %s x%d;", w.first.c_str(), w.second);
  printf("\ntextcat wrong but sure:");
  for (auto &w : tc_wrong) printf(" %s x%d;", w.first.c_str(), w.second);
  printf("\n");

  if (argc > 2) {   // speed
    std::vector<std::string> texts;
    size_t bytes = 0;
    std::ifstream speed_list(argv[2]);
    while (std::getline(speed_list, path)) {
      texts.push_back(slurp(path));
      bytes += texts.back().size();
    }
    printf("\nspeed over %zu files, %.1f MB:\n", texts.size(), bytes / 1e6);
    const size_t caps[] = {0, 16384, 4096};
    for (size_t cap : caps) {
      for (int lib = 0; lib < 2; lib++) {
        size_t done = 0;
        auto t0 = std::chrono::steady_clock::now();
        for (const std::string &t : texts) {
          size_t n = cap && t.size() > cap ? cap : t.size();
          while (n < t.size() && !lead(t[n])) n--;   // whole characters
          std::string s = t.substr(0, n);
          (lib ? textcat_guess(s) : cld2_guess(s));
          done += n;
        }
        double sec = std::chrono::duration<double>(
                         std::chrono::steady_clock::now() - t0).count();
        printf("  %-7s %-12s %8.1f MB/s of text read (%.2f s for %.1f MB)\n",
               lib ? "textcat" : "CLD2", cap ? (cap == 4096 ? "first 4 KB"
               : "first 16 KB") : "whole texts", done / 1e6 / sec, sec,
               done / 1e6);
      }
    }
  }
  textcat_Done(textcat);
  return 0;
}
