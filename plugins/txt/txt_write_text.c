/* txt_write_text.c - the plain-text writer's buffers, and text measured
 * and broken by display columns: utf8proc tells the width of each
 * character, wide CJK ones two columns, combining marks none. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "txt_write.h"

int txt_grow(char **buf, size_t *cap, size_t need) {
  if (need <= *cap)
    return QUIRE_OK;
  size_t c = *cap ? *cap : 256;
  while (c < need)
    c *= 2;
  char *p = realloc(*buf, c);
  if (!p)
    return QUIRE_ERR;
  *buf = p;
  *cap = c;
  return QUIRE_OK;
}

int txt_append(char **buf, size_t *used, size_t *cap, const char *s,
               size_t n) {
  if (txt_grow(buf, cap, *used + n + 1))
    return QUIRE_ERR;
  if (n)   /* s may be NULL for nothing (an empty cell) */
    memcpy(*buf + *used, s, n);
  *used += n;
  (*buf)[*used] = '\0';
  return QUIRE_OK;
}

/* The width of the character at s[i] and its length in *k. */
static size_t char_width(const char *s, size_t i, size_t n, size_t *k) {
  int32_t cp;
  utf8proc_ssize_t len = utf8proc_iterate((const utf8proc_uint8_t *)s + i,
                                          (utf8proc_ssize_t)(n - i), &cp);
  if (len <= 0) {
    *k = 1;
    return 1;
  }
  *k = (size_t)len;
  return (size_t)utf8proc_charwidth(cp);
}

size_t txt_display_width(const char *s, size_t n) {
  size_t width = 0;
  for (size_t i = 0, k; i < n; i += k)
    width += char_width(s, i, n, &k);
  return width;
}

size_t txt_wrap_stop(const char *s, size_t pos, size_t end, size_t room) {
  /* Linear: the walk stops at the first space past the width. */
  size_t width = 0, last_space = 0, i = pos, k;
  while (i < end) {
    if (s[i] == ' ')
      last_space = i;
    width += char_width(s, i, end, &k);
    if (width > room && last_space > pos)
      break;
    i += k;
  }
  return i < end ? last_space : end;
}

size_t txt_longest_word(const char *s, size_t n) {
  size_t longest = 0, word = 0;
  for (size_t i = 0, k; i < n; i += k) {
    if (s[i] == ' ' || s[i] == '\n') {
      k = 1;
      word = 0;
      continue;
    }
    word += char_width(s, i, n, &k);
    if (word > longest)
      longest = word;
  }
  return longest;
}

/* 1 a, 26 z, 27 aa, 28 ab: the letters of a spreadsheet's columns. */
static void letters(char *buf, size_t size, long long n, char base) {
  char tmp[16];
  size_t len = 0;
  while (n > 0 && len < sizeof tmp) {
    n--;
    tmp[len++] = (char)(base + n % 26);
    n /= 26;
  }
  size_t i = 0;
  for (; i < len && i + 1 < size; i++)
    buf[i] = tmp[len - 1 - i];
  buf[i] = '\0';
}

static void roman(char *buf, size_t size, long long n, int upper) {
  static const struct { int value; const char *lower, *upper; } digits[] = {
      {1000, "m", "M"}, {900, "cm", "CM"}, {500, "d", "D"}, {400, "cd", "CD"},
      {100, "c", "C"},  {90, "xc", "XC"},  {50, "l", "L"},  {40, "xl", "XL"},
      {10, "x", "X"},   {9, "ix", "IX"},   {5, "v", "V"},   {4, "iv", "IV"},
      {1, "i", "I"}};
  size_t used = 0;
  buf[0] = '\0';
  for (size_t d = 0; d < sizeof digits / sizeof *digits; d++)
    for (; n >= digits[d].value; n -= digits[d].value) {
      const char *s = upper ? digits[d].upper : digits[d].lower;
      size_t len = strlen(s);
      if (used + len >= size)
        return;
      memcpy(buf + used, s, len + 1);
      used += len;
    }
}

void txt_list_marker(char *buf, size_t size, long long number,
                     quire_list_style style, quire_list_delim delim) {
  char num[32];
  /* Letters and Roman numerals have no zero or negatives, and Roman
   * numerals stop at 3999: those numbers are written in digits. */
  if ((style == QUIRE_LIST_LOWER_ALPHA || style == QUIRE_LIST_UPPER_ALPHA) &&
      number > 0)
    letters(num, sizeof num, number,
            style == QUIRE_LIST_LOWER_ALPHA ? 'a' : 'A');
  else if ((style == QUIRE_LIST_LOWER_ROMAN ||
            style == QUIRE_LIST_UPPER_ROMAN) && number > 0 && number < 4000)
    roman(num, sizeof num, number, style == QUIRE_LIST_UPPER_ROMAN);
  else
    snprintf(num, sizeof num, "%lld", number);
  if (delim == QUIRE_DELIM_PAREN)
    snprintf(buf, size, "%s) ", num);
  else if (delim == QUIRE_DELIM_TWO_PARENS)
    snprintf(buf, size, "(%s) ", num);
  else
    snprintf(buf, size, "%s. ", num);
}
