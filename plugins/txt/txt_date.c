/* txt_date.c - a date a text states plainly at its top ("19 September,
 * 2023 Tuesday", "September 19, 2023", "2023-09-19") into the document's
 * date.  The line stays in the text. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "txt.h"

#define DATE_LINES_SEARCHED 10
#define DATE_LINE_MAX_WORDS 8
#define DATE_MAX_TOKENS 16

static const char *const months[12] = {
    "january", "february", "march",     "april",   "may",      "june",
    "july",    "august",   "september", "october", "november", "december"};

typedef struct token {
  const char *s;
  size_t n;
} token;

static int month_of(const token *t) {
  /* Most tokens are no month: their first letter shows it at once. */
  if (t->n < 3 || t->n > 9 || !strchr("jfmasond", t->s[0] | 0x20))
    return 0;
  for (int m = 0; m < 12; m++) {
    size_t full = strlen(months[m]);
    if ((t->n == full || (t->n == 3 && full > 3)) &&
        strncasecmp(t->s, months[m], t->n) == 0)
      return m + 1;
  }
  return 0;
}

static int number_of(const token *t, size_t min_digits, size_t max_digits) {
  if (t->n < min_digits || t->n > max_digits)
    return -1;
  int v = 0;
  for (size_t i = 0; i < t->n; i++) {
    if (!isdigit((unsigned char)t->s[i]))
      return -1;
    v = v * 10 + (t->s[i] - '0');
  }
  return v;
}

/* Finds day, month and year among a line's tokens; 0 when there is none. */
static int parse_date(const token *t, size_t n, int *y, int *m, int *d) {
  for (size_t i = 0; i + 2 < n; i++) {
    int a = number_of(&t[i], 1, 2), mb = month_of(&t[i + 1]);
    int c = number_of(&t[i + 2], 4, 4);
    if (a >= 1 && a <= 31 && mb && c > 0) {      /* 19 September 2023 */
      *d = a, *m = mb, *y = c;
      return 1;
    }
    int ma = month_of(&t[i]), b = number_of(&t[i + 1], 1, 2);
    if (ma && b >= 1 && b <= 31 && c > 0) {      /* September 19, 2023 */
      *d = b, *m = ma, *y = c;
      return 1;
    }
    int yy = number_of(&t[i], 4, 4), mm = number_of(&t[i + 1], 2, 2),
        dd = number_of(&t[i + 2], 2, 2);
    if (yy > 0 && mm >= 1 && mm <= 12 && dd >= 1 && dd <= 31) {
      *d = dd, *m = mm, *y = yy;               /* 2023-09-19 */
      return 1;
    }
  }
  return 0;
}

/* ASCII letters and digits: what isalnum() says in the C locale, without
 * a call or a branch per byte, and whatever locale the program set. */
static int is_alnum(unsigned char c) {
  return ((unsigned)(c - '0') < 10) | ((unsigned)((c | 0x20) - 'a') < 26);
}

/* Whether the line s[0..n) may state a date, judged by one quick pass:
 * the tokenizer of txt_find_date stops at the ninth word, and a line that
 * reaches it holds no date, unless DATE_MAX_TOKENS tokens came before
 * (the tokenizer then stops there, having seen fewer words).  Prose lines
 * are thus passed over at a few cycles a byte. */
static int may_state_date(const char *s, size_t n) {
  size_t words = 0, tokens = 0;
  int prev_space = 1, prev_alnum = 0;
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    int space = c == ' ', alnum = is_alnum(c);
    words += (space ^ 1) & prev_space;
    if (words > DATE_LINE_MAX_WORDS)
      return tokens > DATE_MAX_TOKENS;
    tokens += alnum & (prev_alnum ^ 1);
    prev_space = space;
    prev_alnum = alnum;
  }
  return 1;
}

/* The date that line s[0..n) states, into iso: 1, or 0 when it states
 * none.  A date line is short: at most DATE_LINE_MAX_WORDS words. */
static int line_date(const char *s, size_t n, char iso[32]) {
  token t[DATE_MAX_TOKENS];
  size_t tokens = 0, words = 0;
  int in_word = 0, prev_alnum = 0;
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c == ' ') {
      words += in_word;
      in_word = prev_alnum = 0;
      if (words > DATE_LINE_MAX_WORDS)
        break;
      continue;
    }
    in_word = 1;
    int alnum = is_alnum(c);
    if (alnum && !prev_alnum) {
      if (tokens == DATE_MAX_TOKENS)
        break;
      t[tokens].s = s + i;
      t[tokens].n = 0;
      tokens++;
    }
    if (alnum)
      t[tokens - 1].n++;
    prev_alnum = alnum;
  }
  words += in_word;
  int y, m, d;
  if (!words || words > DATE_LINE_MAX_WORDS ||
      !parse_date(t, tokens, &y, &m, &d))
    return 0;
  snprintf(iso, 32, "%04d-%02d-%02d", y, m, d);
  return 1;
}

int txt_find_date(const char *text, size_t len, char iso[32]) {
  size_t pos = 0;
  for (int lines = 0; lines < DATE_LINES_SEARCHED && pos < len;) {
    const char *nl = memchr(text + pos, '\n', len - pos);
    size_t end = nl ? (size_t)(nl - text) : len;
    if (may_state_date(text + pos, end - pos) &&
        line_date(text + pos, end - pos, iso))
      return 1;
    lines += end > pos;
    pos = end + 1;
  }
  return 0;
}
