/* epub_write_meta.c - the rules the package metadata must follow.
 *
 * epubcheck rejects a dc:language that is not a BCP 47 tag and warns about
 * a dc:date that is not a W3C date, so both are checked before they go
 * into the package; dcterms:modified takes SOURCE_DATE_EPOCH when set, so
 * that a rebuild gives the same bytes (https://reproducible-builds.org). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "epub_write.h"

/* ---- BCP 47 (RFC 5646, section 2.1) --------------------------------------- */

/* Tags from before RFC 4646 that the subtag grammar does not cover. */
static const char *const irregular[] = {
    "en-GB-oed", "i-ami",     "i-bnn",     "i-default", "i-enochian",
    "i-hak",     "i-klingon", "i-lux",     "i-mingo",   "i-navajo",
    "i-pwn",     "i-tao",     "i-tay",     "i-tsu",     "sgn-BE-FR",
    "sgn-BE-NL", "sgn-CH-DE"};

typedef struct subtag {
  const char *s;
  size_t n;
} subtag;

static int all(const subtag *t, int (*is)(int)) {
  for (size_t i = 0; i < t->n; i++)
    if (!is((unsigned char)t->s[i]))
      return 0;
  return 1;
}

/* isalpha and friends depend on the locale; tags are ASCII. */
static int alpha(int c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
static int digit(int c) { return c >= '0' && c <= '9'; }
static int alnum(int c) { return alpha(c) || digit(c); }

static int is_alpha(const subtag *t, size_t lo, size_t hi) {
  return t->n >= lo && t->n <= hi && all(t, alpha);
}

static int is_alnum(const subtag *t, size_t lo, size_t hi) {
  return t->n >= lo && t->n <= hi && all(t, alnum);
}

static int is_variant(const subtag *t) {
  return is_alnum(t, 5, 8) ||
         (t->n == 4 && digit((unsigned char)t->s[0]) && all(t, alnum));
}

static int is_x(const subtag *t) {
  return t->n == 1 && (t->s[0] == 'x' || t->s[0] == 'X');
}

int epub_bcp47_ok(const char *s) {
  for (size_t i = 0; i < sizeof irregular / sizeof *irregular; i++)
    if (strcasecmp(s, irregular[i]) == 0)
      return 1;
  /* Split at '-'; a tag has at most a few dozen subtags worth checking. */
  subtag t[64];
  size_t n = 0;
  for (const char *p = s;; p++) {
    const char *e = p + strcspn(p, "-");
    if (e == p || n == sizeof t / sizeof *t)
      return 0;   /* empty subtag: "en--us", "-en", "en-" */
    t[n++] = (subtag){p, (size_t)(e - p)};
    if (!*e)
      break;
    p = e;
  }
  size_t i = 0;
  if (!is_x(&t[0])) {
    if (is_alpha(&t[0], 2, 3)) {
      i = 1;
      for (int ext = 0; ext < 3 && i < n && is_alpha(&t[i], 3, 3); ext++)
        i++;
    } else if (is_alpha(&t[0], 4, 8))
      i = 1;
    else
      return 0;
    if (i < n && is_alpha(&t[i], 4, 4))
      i++;   /* script */
    if (i < n && (is_alpha(&t[i], 2, 2) ||
                  (t[i].n == 3 && all(&t[i], digit))))
      i++;   /* region */
    while (i < n && is_variant(&t[i]))
      i++;
    while (i < n && t[i].n == 1 && alnum((unsigned char)t[i].s[0]) &&
           !is_x(&t[i])) {
      size_t first = ++i;   /* an extension: singleton, then 2-8 alnum */
      while (i < n && is_alnum(&t[i], 2, 8))
        i++;
      if (i == first)
        return 0;
    }
    if (i == n)
      return 1;
  }
  if (!is_x(&t[i]))
    return 0;
  size_t first = ++i;   /* private use: "x", then 1-8 alnum */
  while (i < n && is_alnum(&t[i], 1, 8))
    i++;
  return i > first && i == n;
}

/* ---- W3C dates ------------------------------------------------------------ */

/* Reads exactly n digits at *p into *v. */
static int digits(const char **p, int n, int *v) {
  *v = 0;
  for (int i = 0; i < n; i++, (*p)++) {
    if (!digit((unsigned char)**p))
      return 0;
    *v = *v * 10 + (**p - '0');
  }
  return 1;
}

static int days_in(int year, int month) {
  static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  int leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return days[month - 1] + (month == 2 && leap);
}

int epub_w3c_date_ok(const char *s) {
  const char *p = s;
  int year, month, day, hour, minute, second;
  if (!digits(&p, 4, &year))
    return 0;
  if (!*p)
    return 1;
  if (*p++ != '-' || !digits(&p, 2, &month) || month < 1 || month > 12)
    return 0;
  if (!*p)
    return 1;
  if (*p++ != '-' || !digits(&p, 2, &day) || day < 1 ||
      day > days_in(year, month))
    return 0;
  if (!*p)
    return 1;
  /* A time needs hours and minutes, and a zone. */
  if (*p++ != 'T' || !digits(&p, 2, &hour) || hour > 23 || *p++ != ':' ||
      !digits(&p, 2, &minute) || minute > 59)
    return 0;
  if (*p == ':') {
    p++;
    if (!digits(&p, 2, &second) || second > 59)
      return 0;
    if (*p == '.') {
      p++;
      if (!digit((unsigned char)*p))
        return 0;
      while (digit((unsigned char)*p))
        p++;
    }
  }
  if (*p == 'Z')
    return p[1] == '\0';
  if (*p != '+' && *p != '-')
    return 0;
  p++;
  return digits(&p, 2, &hour) && hour <= 23 && *p++ == ':' &&
         digits(&p, 2, &minute) && minute <= 59 && *p == '\0';
}

/* ---- Time ----------------------------------------------------------------- */

int epub_build_time(time_t *t, int *from_env) {
  const char *sde = getenv("SOURCE_DATE_EPOCH");
  *from_env = sde && *sde;
  if (!*from_env) {
    *t = time(NULL);
    return QUIRE_OK;
  }
  for (const char *p = sde; *p; p++)
    if (!digit((unsigned char)*p))
      return QUIRE_ERR;
  errno = 0;
  unsigned long long v = strtoull(sde, NULL, 10);
  /* Up to the end of year 9999, so the stamp keeps its four-digit year. */
  if (errno || v > 253402300799ULL)
    return QUIRE_ERR;
  *t = (time_t)v;
  return QUIRE_OK;
}

void epub_utc_stamp(time_t t, char out[21]) {
  struct tm tm;
  if (!gmtime_r(&t, &tm) || strftime(out, 21, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
    strcpy(out, "1970-01-01T00:00:00Z");
}
