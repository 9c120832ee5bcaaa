/* charset.c - encoding labels, detection of undeclared text, conversion
 * to UTF-8.
 *
 * Labels are those of the WHATWG Encoding standard, as browsers read them:
 * "iso-8859-1" and "us-ascii" mean windows-1252, "shift_jis" means
 * Microsoft's code page 932, "gb2312" means GBK.  Each maps to one
 * canonical name and to the name glibc's iconv knows it by.
 *
 * Detection of bytes that declare nothing, in this order:
 *   1. a byte order mark: UTF-8, UTF-32LE/BE (before UTF-16LE, whose mark
 *      begins theirs), UTF-16LE/BE;
 *   2. UTF-32 without a mark: the length is a multiple of 4 and every
 *      4-byte unit of the first 4 KB, read little- or big-endian, is a code
 *      point (not U+0000, not a surrogate, at most U+10FFFF);
 *   3. UTF-16 without a mark: NUL bytes make one 2-byte unit in 16 or more
 *      of the first 4 KB (and two at least), nine in ten of them at odd
 *      offsets (little-endian: the high byte of ASCII) or at even ones
 *      (big-endian), and read that way the bytes hold no U+0000 and no
 *      unpaired surrogate.  8-bit and UTF-8 text has no NUL byte, or a
 *      stray one; UTF-16 text with next to no ASCII in it (Chinese,
 *      Japanese) and no mark is not recognized: --input-encoding names it;
 *   4. UTF-8 when the bytes are valid UTF-8, or when there are at least as
 *      many valid multi-byte sequences as invalid bytes (UTF-8 with some
 *      damage, which becomes U+FFFD: in the texts of scripts/charset-eval
 *      the legacy encodings make 0.29 valid sequences by chance per
 *      invalid byte at most, EUC-JP; the Cyrillic and Latin code pages
 *      far fewer);
 *   5. otherwise libuchardet (Mozilla's detector, as Debian keeps it),
 *      given the first 256 KB.  It knows KOI8-R but not KOI8-U, which
 *      differs only where KOI8-R has box-drawing characters and KOI8-U the
 *      Ukrainian letters і ї є ґ: an answer of koi8-r for bytes that hold
 *      any of those eight is taken as koi8-u (text has letters, not box
 *      drawings).  uchardet also answers with encodings that are rare
 *      in text today (DOS and Mac code pages, VISCII, the Baltic and
 *      Nordic ISO sets) for Western text it has too little to go on for:
 *      such an answer gives way to windows-1252 when that decodes the
 *      bytes to letters and common punctuation only (see plain_1252()).
 *
 * uchardet 0.0.7 gives a name but no confidence, so a guess is "unsure"
 * when: uchardet gives no answer (windows-1252 is then assumed, the
 * encoding of most old unlabelled Western text); or fewer than
 * CHARSET_MIN_EVIDENCE bytes outside ASCII tell one code page from
 * another (the quotes, dashes and ellipsis at 0x85 and 0x91-0x97, which
 * all Windows code pages share, tell nothing; text whose only such bytes
 * are those is read as windows-1252, surely); or the first 64 KB, converted, hold bytes invalid in
 * that encoding, C1 control characters or unassigned code points, which
 * text in the right encoding does not.  The readers warn of an unsure
 * guess, naming the file and what they assumed.
 *
 * Conversion is iconv's; a byte it cannot convert becomes U+FFFD and is
 * counted, with the offset of the first, for the reader's warning. */
#include <errno.h>
#include <iconv.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <uchardet.h>
#include <utf8proc.h>

#include "charset.h"

/* How much of the input the NUL-byte rules, uchardet and the check of a
 * guess look at. */
#define CHARSET_WIDE_SAMPLE 4096
#define CHARSET_DETECT_SAMPLE (256 * 1024)
#define CHARSET_CHECK_SAMPLE (64 * 1024)
/* Fewer bytes outside ASCII than this and a legacy guess is unsure. */
#define CHARSET_MIN_EVIDENCE 8

/* ---- Labels -------------------------------------------------------------- */

typedef struct encoding {
  const char *name;     /* canonical */
  const char *iconv;    /* glibc's name */
  const char *labels;   /* the WHATWG labels, space-separated, lower case */
} encoding;

/* One departure from the standard: x-user-defined, which it decodes to
 * private-use characters, is windows-1252 here, as the html reader has
 * always read it. */
static const encoding encodings[] = {
    {"utf-8", "UTF-8",
     "unicode-1-1-utf-8 unicode11utf8 unicode20utf8 utf-8 utf8 "
     "x-unicode20utf8"},
    {"utf-16le", "UTF-16LE",
     "csunicode iso-10646-ucs-2 ucs-2 unicode unicodefeff utf-16 utf-16le"},
    {"utf-16be", "UTF-16BE", "unicodefffe utf-16be"},
    /* Not in the WHATWG standard, which leaves UTF-32 out of the web. */
    {"utf-32le", "UTF-32LE", "utf-32 utf-32le"},
    {"utf-32be", "UTF-32BE", "utf-32be"},
    {"windows-1252", "CP1252",
     "ansi_x3.4-1968 ascii cp1252 cp819 csisolatin1 ibm819 iso-8859-1 "
     "iso-ir-100 iso8859-1 iso88591 iso_8859-1 iso_8859-1:1987 l1 latin1 "
     "us-ascii windows-1252 x-cp1252 x-user-defined"},
    {"windows-1250", "CP1250", "cp1250 windows-1250 x-cp1250"},
    {"windows-1251", "CP1251", "cp1251 windows-1251 x-cp1251"},
    {"windows-1253", "CP1253", "cp1253 windows-1253 x-cp1253"},
    {"windows-1254", "CP1254",
     "cp1254 csisolatin5 iso-8859-9 iso-ir-148 iso8859-9 iso88599 "
     "iso_8859-9 iso_8859-9:1989 l5 latin5 windows-1254 x-cp1254"},
    {"windows-1255", "CP1255", "cp1255 windows-1255 x-cp1255"},
    {"windows-1256", "CP1256", "cp1256 windows-1256 x-cp1256"},
    {"windows-1257", "CP1257", "cp1257 windows-1257 x-cp1257"},
    {"windows-1258", "CP1258", "cp1258 windows-1258 x-cp1258"},
    {"windows-874", "CP874",
     "dos-874 iso-8859-11 iso8859-11 iso885911 tis-620 windows-874"},
    {"iso-8859-2", "ISO-8859-2",
     "csisolatin2 iso-8859-2 iso-ir-101 iso8859-2 iso88592 iso_8859-2 "
     "iso_8859-2:1987 l2 latin2"},
    {"iso-8859-3", "ISO-8859-3",
     "csisolatin3 iso-8859-3 iso-ir-109 iso8859-3 iso88593 iso_8859-3 "
     "iso_8859-3:1988 l3 latin3"},
    {"iso-8859-4", "ISO-8859-4",
     "csisolatin4 iso-8859-4 iso-ir-110 iso8859-4 iso88594 iso_8859-4 "
     "iso_8859-4:1988 l4 latin4"},
    {"iso-8859-5", "ISO-8859-5",
     "csisolatincyrillic cyrillic iso-8859-5 iso-ir-144 iso8859-5 iso88595 "
     "iso_8859-5 iso_8859-5:1988"},
    {"iso-8859-6", "ISO-8859-6",
     "arabic asmo-708 csiso88596e csiso88596i csisolatinarabic ecma-114 "
     "iso-8859-6 iso-8859-6-e iso-8859-6-i iso-ir-127 iso8859-6 iso88596 "
     "iso_8859-6 iso_8859-6:1987"},
    {"iso-8859-7", "ISO-8859-7",
     "csisolatingreek ecma-118 elot_928 greek greek8 iso-8859-7 iso-ir-126 "
     "iso8859-7 iso88597 iso_8859-7 iso_8859-7:1987 sun_eu_greek"},
    {"iso-8859-8", "ISO-8859-8",
     "csiso88598e csisolatinhebrew hebrew iso-8859-8 iso-8859-8-e "
     "iso-ir-138 iso8859-8 iso88598 iso_8859-8 iso_8859-8:1988 visual"},
    {"iso-8859-8-i", "ISO-8859-8", "csiso88598i iso-8859-8-i logical"},
    {"iso-8859-10", "ISO-8859-10",
     "csisolatin6 iso-8859-10 iso-ir-157 iso8859-10 iso885910 l6 latin6"},
    {"iso-8859-13", "ISO-8859-13", "iso-8859-13 iso8859-13 iso885913"},
    {"iso-8859-14", "ISO-8859-14", "iso-8859-14 iso8859-14 iso885914"},
    {"iso-8859-15", "ISO-8859-15",
     "csisolatin9 iso-8859-15 iso8859-15 iso885915 iso_8859-15 l9"},
    {"iso-8859-16", "ISO-8859-16", "iso-8859-16"},
    {"koi8-r", "KOI8-R", "cskoi8r koi koi8 koi8-r koi8_r"},
    {"koi8-u", "KOI8-U", "koi8-ru koi8-u"},
    {"ibm866", "CP866", "866 cp866 csibm866 ibm866"},
    {"macintosh", "MACINTOSH", "csmacintosh mac macintosh x-mac-roman"},
    {"x-mac-cyrillic", "MAC-CYRILLIC",
     "x-mac-cyrillic x-mac-ukrainian mac-cyrillic maccyrillic"},
    {"gbk", "GBK",
     "chinese csgb2312 csiso58gb231280 gb2312 gb_2312 gb_2312-80 gbk "
     "iso-ir-58 x-gbk"},
    {"gb18030", "GB18030", "gb18030"},
    {"big5", "BIG5", "big5 big5-hkscs cn-big5 csbig5 x-x-big5"},
    {"euc-jp", "EUC-JP", "cseucpkdfmtjapanese euc-jp x-euc-jp"},
    {"iso-2022-jp", "ISO-2022-JP", "csiso2022jp iso-2022-jp"},
    /* WHATWG's Shift_JIS is Microsoft's: 0x5C is a backslash, not a yen
     * sign, as in glibc's SHIFT_JIS. */
    {"shift_jis", "CP932",
     "csshiftjis ms932 ms_kanji shift-jis shift_jis sjis windows-31j "
     "x-sjis"},
    {"euc-kr", "CP949",
     "cseuckr csksc56011987 euc-kr iso-ir-149 korean ks_c_5601-1987 "
     "ks_c_5601-1989 ksc5601 ksc_5601 windows-949"},
};

#define N_ENCODINGS (sizeof encodings / sizeof encodings[0])

/* Whether the space-separated list holds word. */
static int listed(const char *list, const char *word) {
  size_t n = strlen(word);
  for (const char *p = list; *p;) {
    size_t k = strcspn(p, " ");
    if (k == n && memcmp(p, word, n) == 0)
      return 1;
    p += k;
    p += *p == ' ';
  }
  return 0;
}

int charset_canonical(const char *label, char *name, size_t size) {
  char low[64];
  while (*label == ' ' || *label == '\t' || *label == '\n' ||
         *label == '\r' || *label == '\f')
    label++;
  size_t n = 0;
  for (; label[n] && n + 1 < sizeof low; n++) {
    char c = label[n];
    low[n] = c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
  }
  if (label[n])
    return 0;   /* longer than any encoding's name */
  while (n && strchr(" \t\n\r\f", low[n - 1]))
    n--;
  low[n] = '\0';
  if (!n)
    return 0;
  const char *found = NULL;
  for (size_t i = 0; i < N_ENCODINGS && !found; i++)
    if (listed(encodings[i].labels, low))
      found = encodings[i].name;
  if (!found) {
    /* Characters iconv takes in a name, and no more: a label comes from
     * the document, and iconv also reads "//" suffixes. */
    if (strspn(low, "abcdefghijklmnopqrstuvwxyz0123456789._:-") != n)
      return 0;
    iconv_t cd = iconv_open("UTF-8", low);
    if (cd == (iconv_t)-1)
      return 0;
    iconv_close(cd);
    found = low;
  }
  if (strlen(found) >= size)
    return 0;
  strcpy(name, found);
  return 1;
}

const char *charset_iconv_name(const char *name) {
  for (size_t i = 0; i < N_ENCODINGS; i++)
    if (strcmp(encodings[i].name, name) == 0)
      return encodings[i].iconv;
  return name;
}

/* ---- Byte order marks and wide encodings --------------------------------- */

const char *charset_bom(const char *bytes, size_t len, size_t *bom_len) {
  const unsigned char *b = (const unsigned char *)bytes;
  *bom_len = 0;
  if (len >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF)
    return *bom_len = 3, "utf-8";
  if (len >= 4 && b[0] == 0xFF && b[1] == 0xFE && !b[2] && !b[3])
    return *bom_len = 4, "utf-32le";
  if (len >= 4 && !b[0] && !b[1] && b[2] == 0xFE && b[3] == 0xFF)
    return *bom_len = 4, "utf-32be";
  if (len >= 2 && b[0] == 0xFF && b[1] == 0xFE)
    return *bom_len = 2, "utf-16le";
  if (len >= 2 && b[0] == 0xFE && b[1] == 0xFF)
    return *bom_len = 2, "utf-16be";
  return NULL;
}

/* Whether every 4-byte unit of s[0..n) is a code point other than U+0000
 * and the surrogates. */
static int utf32_units(const unsigned char *s, size_t n, int big) {
  if (n < 4)
    return 0;
  for (size_t i = 0; i + 4 <= n; i += 4) {
    uint32_t u = big ? (uint32_t)s[i] << 24 | (uint32_t)s[i + 1] << 16 |
                           (uint32_t)s[i + 2] << 8 | s[i + 3]
                     : (uint32_t)s[i + 3] << 24 | (uint32_t)s[i + 2] << 16 |
                           (uint32_t)s[i + 1] << 8 | s[i];
    if (u == 0 || u > 0x10FFFF || (u >= 0xD800 && u < 0xE000))
      return 0;
  }
  return 1;
}

/* Whether s[0..n), read as UTF-16, holds no U+0000 and no unpaired
 * surrogate (a pair cut by the end of the sample is let be). */
static int utf16_units(const unsigned char *s, size_t n, int big) {
  n &= ~(size_t)1;
  for (size_t i = 0; i + 2 <= n; i += 2) {
    unsigned u = big ? (unsigned)s[i] << 8 | s[i + 1]
                     : (unsigned)s[i + 1] << 8 | s[i];
    if (u == 0 || (u >= 0xDC00 && u < 0xE000))
      return 0;
    if (u >= 0xD800 && u < 0xDC00) {
      if (i + 4 > n)
        return 1;
      unsigned lo = big ? (unsigned)s[i + 2] << 8 | s[i + 3]
                        : (unsigned)s[i + 3] << 8 | s[i + 2];
      if (lo < 0xDC00 || lo >= 0xE000)
        return 0;
      i += 2;
    }
  }
  return 1;
}

const char *charset_wide(const char *bytes, size_t len, size_t *bom_len) {
  const char *bom = charset_bom(bytes, len, bom_len);
  if (bom)
    return strcmp(bom, "utf-8") == 0 ? (*bom_len = 0, NULL) : bom;
  size_t n = len < CHARSET_WIDE_SAMPLE ? len : CHARSET_WIDE_SAMPLE;
  if (!memchr(bytes, 0, n))
    return NULL;
  const unsigned char *s = (const unsigned char *)bytes;
  if (len % 4 == 0) {
    if (utf32_units(s, n & ~(size_t)3, 0))
      return "utf-32le";
    if (utf32_units(s, n & ~(size_t)3, 1))
      return "utf-32be";
  }
  size_t even = 0, odd = 0;
  for (size_t i = 0; i < n; i++)
    if (!s[i])
      i % 2 ? odd++ : even++;
  size_t units = n / 2, least = units / 16 > 2 ? units / 16 : 2;
  if (odd >= least && odd >= 9 * even && utf16_units(s, n, 0))
    return "utf-16le";
  if (even >= least && even >= 9 * odd && utf16_units(s, n, 1))
    return "utf-16be";
  return NULL;
}

/* ---- Detection ----------------------------------------------------------- */

/* Counts the valid multi-byte UTF-8 sequences, the invalid bytes and all
 * bytes outside ASCII of s[0..n). */
static void utf8_count(const unsigned char *s, size_t n, size_t *valid,
                       size_t *invalid, size_t *high) {
  *valid = *invalid = *high = 0;
  for (size_t i = 0; i < n;) {
    if (s[i] < 0x80) {
      i++;
      continue;
    }
    size_t k = charset_utf8_length(s + i, n - i);
    if (k) {
      ++*valid;
      *high += k;
      i += k;
    } else {
      ++*invalid;
      ++*high;
      i++;
    }
  }
}

/* Whether cp is one a text in the right encoding would not hold: a C1
 * control, or a code point Unicode has not assigned. */
static int suspect_cp(utf8proc_int32_t cp) {
  if (cp >= 0x80 && cp < 0xA0)
    return 1;
  if (cp < 0x80)
    return 0;
  return utf8proc_category(cp) == UTF8PROC_CATEGORY_CN;
}

int charset_suspect_text(const char *s, size_t n) {
  const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
  utf8proc_ssize_t left = (utf8proc_ssize_t)n;
  while (left > 0) {
    if (*p < 0x80) {
      p++;
      left--;
      continue;
    }
    utf8proc_int32_t cp;
    utf8proc_ssize_t k = utf8proc_iterate(p, left, &cp);
    if (k <= 0)
      return 1;
    if (suspect_cp(cp))
      return 1;
    p += k;
    left -= k;
  }
  return 0;
}

/* Asks uchardet about s[0..n); the canonical name of its answer in name,
 * or "" when it has none.  -1 when memory ran out. */
static int ask_uchardet(const char *s, size_t n, char *name, size_t size) {
  name[0] = '\0';
  uchardet_t ud = uchardet_new();
  if (!ud)
    return -1;
  int rc = uchardet_handle_data(ud, s, n);
  uchardet_data_end(ud);
  const char *answer = rc == 0 ? uchardet_get_charset(ud) : "";
  if (answer && answer[0] && !charset_canonical(answer, name, size))
    name[0] = '\0';   /* a name iconv does not know is no answer */
  uchardet_delete(ud);
  return 0;
}

/* Checks the guess g against the first bytes, converted: bytes invalid in
 * it (other than a sequence cut by the end of the sample), C1 controls and
 * unassigned code points make it unsure. */
static int check_guess(const char *bytes, size_t len, charset_guess *g) {
  size_t n = len < CHARSET_CHECK_SAMPLE ? len : CHARSET_CHECK_SAMPLE;
  char *text;
  size_t text_len;
  charset_bad bad;
  int rc = charset_to_utf8(g->name, bytes, n, &text, &text_len, &bad);
  if (rc == -1)
    return -1;
  if (rc == 0 && bad.count && (n == len || bad.first + 4 < n)) {
    g->unsure = 1;
    snprintf(g->why, sizeof g->why, "bytes not valid in %s", g->name);
  } else if (rc == 0 && charset_suspect_text(text, text_len)) {
    g->unsure = 1;
    snprintf(g->why, sizeof g->why,
             "control or unassigned characters in %s", g->name);
  }
  if (rc == 0)
    free(text);
  return 0;
}

/* Answers of uchardet that give way to windows-1252 (see the top). */
static const char *const rare[] = {
    "ibm852", "ibm855", "mac-centraleurope", "viscii", "iso-8859-3",
    "iso-8859-4", "iso-8859-10", "iso-8859-13", "iso-8859-16", "macintosh",
    "windows-1258", "iso-8859-15"};

static int is_rare(const char *name) {
  for (size_t i = 0; i < sizeof rare / sizeof rare[0]; i++)
    if (strcmp(rare[i], name) == 0)
      return 1;
  return 0;
}

/* Windows-1252's bytes 0x80-0xFF that Western text holds: letters, and the
 * punctuation of quotes, dashes, ellipses, bullets, guillemets, the euro,
 * the degree sign and the no-break space.  Not the undefined bytes, the
 * symbols (± ¶ ¹ ¼ ¾ ...) that Central European letters become when read
 * as windows-1252, nor the signs that begin no word (¤ ¦ ¨ ...). */
static int plain_1252_byte(unsigned char c) {
  static const char punct[] = "\x80\x84\x85\x91\x92\x93\x94\x95\x96\x97"
                              "\xA0\xAB\xB0\xB7\xBB";
  if (c < 0x80)
    return 1;
  if (memchr(punct, c, sizeof punct - 1))
    return 1;
  /* Š Œ Ž š œ ž Ÿ, and À-ÿ but × and ÷ */
  return c == 0x8A || c == 0x8C || c == 0x8E || c == 0x9A || c == 0x9C ||
         c == 0x9E || c == 0x9F || c == 0xAA || c == 0xBA ||
         (c >= 0xC0 && c != 0xD7 && c != 0xF7);
}

/* Whether every byte of s[0..n) is one plain_1252_byte() takes. */
static int plain_1252(const unsigned char *s, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (!plain_1252_byte(s[i]))
      return 0;
  return 1;
}

/* Whether c is punctuation every Windows code page puts there: … ‘ ’ “ ”
 * • – —. */
static int shared_punct(unsigned char c) {
  return c == 0x85 || (c >= 0x91 && c <= 0x97);
}

/* The bytes of s[0..n) outside ASCII that tell code pages apart. */
static size_t evidence(const unsigned char *s, size_t n) {
  size_t k = 0;
  for (size_t i = 0; i < n; i++)
    k += s[i] >= 0x80 && !shared_punct(s[i]);
  return k;
}

/* Whether s[0..n) holds a byte where KOI8-U has a Ukrainian letter and
 * KOI8-R a box-drawing character. */
static int has_koi8u_letters(const unsigned char *s, size_t n) {
  for (size_t i = 0; i < n; i++)
    switch (s[i]) {
    case 0xA4: case 0xA6: case 0xA7: case 0xAD:
    case 0xB4: case 0xB6: case 0xB7: case 0xBD:
      return 1;
    default:
      break;
    }
  return 0;
}

int charset_detect(const char *bytes, size_t len, charset_guess *g) {
  memset(g, 0, sizeof *g);
  const char *wide = charset_bom(bytes, len, &g->bom);
  if (wide) {
    g->by_bom = 1;
  } else
    wide = charset_wide(bytes, len, &g->bom);
  if (wide) {
    snprintf(g->name, sizeof g->name, "%s", wide);
    return 0;
  }
  size_t valid, invalid, high;
  utf8_count((const unsigned char *)bytes, len, &valid, &invalid, &high);
  if (valid >= invalid) {
    strcpy(g->name, "utf-8");
    return 0;
  }
  size_t sample = len < CHARSET_DETECT_SAMPLE ? len : CHARSET_DETECT_SAMPLE;
  if (ask_uchardet(bytes, sample, g->name, sizeof g->name) < 0)
    return -1;
  if (!g->name[0] || strcmp(g->name, "utf-8") == 0) {
    strcpy(g->name, "windows-1252");
    g->unsure = 1;
    snprintf(g->why, sizeof g->why, "the detector has no answer");
    return 0;
  }
  if (strcmp(g->name, "koi8-r") == 0 &&
      has_koi8u_letters((const unsigned char *)bytes, sample))
    strcpy(g->name, "koi8-u");
  if (is_rare(g->name) && plain_1252((const unsigned char *)bytes, sample))
    strcpy(g->name, "windows-1252");
  const unsigned char *u = (const unsigned char *)bytes;
  size_t telling = evidence(u, sample);
  if (!telling && high) {
    strcpy(g->name, "windows-1252");
    return 0;
  }
  if (telling < CHARSET_MIN_EVIDENCE) {
    g->unsure = 1;
    snprintf(g->why, sizeof g->why, "only %zu byte%s outside ASCII to go "
             "on", telling, telling == 1 ? "" : "s");
    return 0;
  }
  return check_guess(bytes, len, g);
}

/* ---- Conversion ---------------------------------------------------------- */

typedef struct outbuf {
  char *s;
  size_t n, cap;
} outbuf;

/* Room for more bytes and a NUL; -1 when memory ran out. */
static int reserve(outbuf *o, size_t more) {
  if (more > SIZE_MAX / 4 - o->n)
    return -1;
  if (o->n + more + 1 <= o->cap)
    return 0;
  size_t cap = o->cap ? o->cap : 4096;
  while (cap < o->n + more + 1)
    cap *= 2;
  char *s = realloc(o->s, cap);
  if (!s)
    return -1;
  o->s = s;
  o->cap = cap;
  return 0;
}

int charset_to_utf8(const char *name, const char *bytes, size_t len,
                    char **out, size_t *out_len, charset_bad *bad) {
  *out = NULL;
  *out_len = 0;
  bad->count = bad->first = 0;
  /* The buffer first: iconv_open() loads and keeps the encoding's module,
   * which is not to be left behind when memory has already run out. */
  outbuf o = {0};
  if (reserve(&o, len + len / 2 + 16) != 0)
    return -1;
  iconv_t cd = iconv_open("UTF-8", charset_iconv_name(name));
  if (cd == (iconv_t)-1) {
    /* glibc says ENOMEM when loading the converter ran out of memory:
     * that is not an encoding it does not know. */
    int oom = errno == ENOMEM;
    free(o.s);
    return oom ? -1 : -2;
  }
  char *in = (char *)bytes;
  size_t left = len;
  int rc = 0;
  while (rc == 0 && left) {
    char *dst = o.s + o.n;
    size_t room = o.cap - o.n - 1;
    size_t r = iconv(cd, &in, &left, &dst, &room);
    o.n = (size_t)(dst - o.s);
    if (r != (size_t)-1)
      break;
    if (errno == E2BIG) {
      rc = reserve(&o, o.cap);
      continue;
    }
    /* EILSEQ, or EINVAL for a sequence cut off by the end. */
    if (!bad->count++)
      bad->first = (size_t)(in - bytes);
    if ((rc = reserve(&o, 3 + left)) != 0)
      break;
    memcpy(o.s + o.n, "\xEF\xBF\xBD", 3);
    o.n += 3;
    in++;
    left--;
    iconv(cd, NULL, NULL, NULL, NULL);   /* back to the initial state */
  }
  if (rc == 0 && (rc = reserve(&o, 16)) == 0) {
    /* A stateful encoding (ISO-2022-JP) may end with a shift back. */
    char *dst = o.s + o.n;
    size_t room = o.cap - o.n - 1;
    iconv(cd, NULL, NULL, &dst, &room);
    o.n = (size_t)(dst - o.s);
  }
  iconv_close(cd);
  if (rc != 0) {
    free(o.s);
    return -1;
  }
  o.s[o.n] = '\0';
  *out = o.s;
  *out_len = o.n;
  return 0;
}
