/* test_clean.c - how well the clean transform separates an article from
 * the page around it (issue 9), measured on data that is not the corpus:
 *
 *   own pages      tests/data/clean/pages/NAME/: source.html (an article in
 *                  a site's chrome), source.txt (what a scraper saves of the
 *                  whole page) and expected.txt (the article, marked by hand)
 *   readability    ../shared/peers/readability-test-pages/NAME/: real pages
 *                  and the content Readability extracts (expected.html)
 *   corpus         corpus/NNN_*.txt against tests/data/clean/corpus/
 *
 * Each source is converted to txt in memory with the transform, and the
 * kept text is scored against the reference by word 4-gram shingles (taken
 * within each block, i.e. line):
 * P = |kept ∩ ref| / |kept|, R = |kept ∩ ref| / |ref|, F1 from those,
 * averaged over pages; the share of chrome lines (lines of the source that
 * are not in the reference) that the output no longer holds; and the share
 * of pages whose output starts with the reference's first line (the
 * headline; for a readability page, its metadata title when the page shows
 * it, else the first line of the content).
 * tests/data/clean/heldout.txt names the pages kept aside from tuning; the
 * table reports them apart.
 *
 * `ctest -V -R test_clean` or scripts/eval-clean prints the table.  Without
 * the clean transform (not built yet), or with QUIRE_CLEAN_BASELINE=1, the
 * uncleaned text is scored as a baseline and the target tests skip.  With
 * QUIRE_CLEAN_PAGES=1 each tuning page's scores are printed too (held-out
 * pages never are: looking at them would make them tuning pages). */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <utf8proc.h>

#include <quire/quire.h>

#include "skip_note.h"

/* ---- Targets -------------------------------------------------------------
 * What the cleaned output must reach, per set and for each split (tuning
 * and held-out) separately: a little below what the transform measured
 * (docs/clean.md has the figures), so that the test catches regressions
 * without failing on noise.  Issue 9's goals are HTML F1 >= 0.96 (the class
 * of the best extractors), scraped text F1 >= 0.90 and 95% of chrome lines
 * removed: reached on our own pages and the corpus, not yet on
 * Readability's pages, whose thresholds are therefore lower. */
#define MIN_F1_OWN_HTML 0.96
#define MIN_F1_OWN_TEXT 0.94
#define MIN_F1_READABILITY_HTML 0.90
#define MIN_F1_READABILITY_TEXT 0.86
#define MIN_CHROME_REMOVED_OWN 0.90     /* own pages, HTML and text */
#define MIN_CHROME_REMOVED_CORPUS 0.95

#define DATA "tests/data/clean"
#define READABILITY "../shared/peers/readability-test-pages"
#define SHINGLE 4

/* ---- Small helpers ------------------------------------------------------- */

static char *slurp(const char *path, size_t *len) {
  FILE *fp = fopen(path, "rb");
  if (!fp)
    return NULL;
  size_t cap = 1 << 16, n = 0, k;
  char *buf = malloc(cap);
  assert_non_null(buf);
  while ((k = fread(buf + n, 1, cap - n - 1, fp)) > 0) {
    n += k;
    if (cap - n < 2) {
      cap *= 2;
      buf = realloc(buf, cap);
      assert_non_null(buf);
    }
  }
  fclose(fp);
  buf[n] = '\0';
  if (len)
    *len = n;
  return buf;
}

static int cmp_str(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The sub-folders of dir that hold `file`, sorted by name (the order the
 * held-out rule counts in).  Returns the count; *names is freed by the
 * caller, names and array alike. */
static size_t folders_with(const char *dir, const char *file, char ***names) {
  DIR *d = opendir(dir);
  size_t n = 0, cap = 16;
  *names = malloc(cap * sizeof **names);
  if (!d)
    return 0;
  struct dirent *de;
  char path[1024];
  while ((de = readdir(d))) {
    if (de->d_name[0] == '.')
      continue;
    snprintf(path, sizeof path, "%s/%s/%s", dir, de->d_name, file);
    if (access(path, R_OK) != 0)
      continue;
    if (n == cap)
      *names = realloc(*names, (cap *= 2) * sizeof **names);
    (*names)[n++] = strdup(de->d_name);
  }
  closedir(d);
  qsort(*names, n, sizeof **names, cmp_str);
  return n;
}

static void free_names(char **names, size_t n) {
  for (size_t i = 0; i < n; i++)
    free(names[i]);
  free(names);
}

/* ---- Words and shingles --------------------------------------------------
 * A word is a run of letters, marks and digits (Unicode categories L, M,
 * N), lower-cased; everything else separates words.  So list bullets,
 * heading underlines, table bars and punctuation are not words, and "Nach"
 * and "nach" are one word, in any script. */

static int is_word_char(utf8proc_int32_t c) {
  switch (utf8proc_category(c)) {
  case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LL:
  case UTF8PROC_CATEGORY_LT: case UTF8PROC_CATEGORY_LM:
  case UTF8PROC_CATEGORY_LO: case UTF8PROC_CATEGORY_MN:
  case UTF8PROC_CATEGORY_MC: case UTF8PROC_CATEGORY_ME:
  case UTF8PROC_CATEGORY_ND: case UTF8PROC_CATEGORY_NL:
  case UTF8PROC_CATEGORY_NO:
    return 1;
  default:
    return 0;
  }
}

typedef struct hashes {
  uint64_t *v;
  size_t n, cap;
} hashes;

static void push(hashes *h, uint64_t x) {
  if (h->n == h->cap) {
    h->cap = h->cap ? h->cap * 2 : 256;
    h->v = realloc(h->v, h->cap * sizeof *h->v);
    assert_non_null(h->v);
  }
  h->v[h->n++] = x;
}

static int cmp_u64(const void *a, const void *b) {
  uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
  return x < y ? -1 : x > y;
}

static void sort_unique(hashes *h) {
  if (!h->n)
    return;
  qsort(h->v, h->n, sizeof *h->v, cmp_u64);
  size_t k = 1;
  for (size_t i = 1; i < h->n; i++)
    if (h->v[i] != h->v[k - 1])
      h->v[k++] = h->v[i];
  h->n = k;
}

#define FNV_OFFSET 1469598103934665603ULL
#define FNV_PRIME 1099511628211ULL

/* The hash of each word of text, in order. */
static hashes words_of(const char *text) {
  hashes w = {0};
  const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)text;
  uint64_t h = FNV_OFFSET;
  int in_word = 0;
  for (;;) {
    utf8proc_int32_t c;
    utf8proc_ssize_t k = *p ? utf8proc_iterate(p, -1, &c) : 0;
    if (k < 0) {                /* a stray byte: a separator */
      k = 1;
      c = ' ';
    }
    if (k > 0 && is_word_char(c)) {
      c = utf8proc_tolower(c);
      h = (h ^ (uint64_t)c) * FNV_PRIME;
      in_word = 1;
    } else if (in_word) {
      push(&w, h);
      h = FNV_OFFSET;
      in_word = 0;
    }
    if (k == 0)
      break;
    p += k;
  }
  return w;
}

/* Adds the word 4-grams of one line to s.  A line of fewer words gives one
 * shingle of all of them, so that short blocks (a heading, a list item, a
 * menu entry) count too. */
static void add_shingles(hashes *s, const char *line, size_t n) {
  char *copy = strndup(line, n);
  hashes w = words_of(copy);
  size_t len = w.n < SHINGLE ? w.n : SHINGLE;
  for (size_t i = 0; len && i + len <= w.n; i++) {
    uint64_t h = FNV_OFFSET;
    for (size_t j = 0; j < len; j++)
      h = (h ^ w.v[i + j]) * FNV_PRIME + j;
    push(s, h);
  }
  free(w.v);
  free(copy);
}

/* The set of word 4-grams of text (sorted, unique hashes), taken within
 * each line.  Not across lines: the txt output has one block per line, and
 * a shingle spanning two blocks would count a byline or an ad between two
 * paragraphs of the source against an output that rightly drops it. */
static hashes shingles_of(const char *text) {
  hashes s = {0};
  while (*text) {
    const char *nl = strchr(text, '\n');
    size_t n = nl ? (size_t)(nl - text) : strlen(text);
    add_shingles(&s, text, n);
    text += n + (nl != NULL);
  }
  sort_unique(&s);
  return s;
}

static size_t common(const hashes *a, const hashes *b) {
  size_t i = 0, j = 0, n = 0;
  while (i < a->n && j < b->n) {
    if (a->v[i] < b->v[j])
      i++;
    else if (a->v[i] > b->v[j])
      j++;
    else
      n++, i++, j++;
  }
  return n;
}

static int contains(const hashes *set, uint64_t x) {
  return set->n && bsearch(&x, set->v, set->n, sizeof x, cmp_u64) != NULL;
}

/* ---- Lines ---------------------------------------------------------------
 * Chrome is counted in lines: a source line is chrome when the reference
 * has no such line.  Lines are compared after normalisation: whitespace
 * runs become one space, a list or quote marker at the start goes (the txt
 * writer adds "• " and "> "), and lines without a single word (heading
 * underlines, "* * *") are not lines at all. */

static char *norm_line(const char *s, size_t n) {
  char *out = malloc(n + 1);
  size_t k = 0;
  const char *end = s + n;
  while (s < end && (*s == ' ' || *s == '\t'))
    s++;
  static const char *const markers[] = {"\xe2\x80\xa2 ", "> ", "- ", "* "};
  for (size_t m = 0; m < sizeof markers / sizeof *markers; m++) {
    size_t ml = strlen(markers[m]);
    if ((size_t)(end - s) >= ml && !memcmp(s, markers[m], ml)) {
      s += ml;
      break;
    }
  }
  int space = 0;
  for (; s < end; s++) {
    int nbsp = (unsigned char)s[0] == 0xc2 && s + 1 < end &&
               (unsigned char)s[1] == 0xa0;   /* U+00A0 is a space too */
    if (*s == ' ' || *s == '\t' || *s == '\r' || nbsp) {
      s += nbsp;
      space = k > 0;
      continue;
    }
    if (space)
      out[k++] = ' ';
    space = 0;
    out[k++] = *s;
  }
  out[k] = '\0';
  return out;
}

static uint64_t hash_str(const char *s) {
  uint64_t h = FNV_OFFSET;
  for (; *s; s++)
    h = (h ^ (unsigned char)*s) * FNV_PRIME;
  return h;
}

/* The set of normalised lines of text that hold a word. */
static hashes lines_of(const char *text) {
  hashes set = {0};
  while (*text) {
    const char *nl = strchr(text, '\n');
    size_t n = nl ? (size_t)(nl - text) : strlen(text);
    char *line = norm_line(text, n);
    hashes w = words_of(line);
    if (w.n)
      push(&set, hash_str(line));
    free(w.v);
    free(line);
    text += n + (nl != NULL);
  }
  sort_unique(&set);
  return set;
}

/* ---- Scores --------------------------------------------------------------- */

typedef struct score {
  double p, r, f1;
  size_t chrome, removed;       /* chrome lines of the source, and removed */
  int headed;                   /* the output starts with the headline */
} score;

/* The first line of text that holds a word, normalised; "" when none. */
static char *first_line(const char *text) {
  while (*text) {
    const char *nl = strchr(text, '\n');
    size_t n = nl ? (size_t)(nl - text) : strlen(text);
    char *line = norm_line(text, n);
    hashes w = words_of(line);
    free(w.v);
    if (w.n)
      return line;
    free(line);
    text += n + (nl != NULL);
  }
  return strdup("");
}

/* Whether the output starts with the reference's first line, its headline:
 * the issue wants the headline first, before any site name. */
static int starts_alike(const char *kept, const char *ref) {
  char *a = first_line(kept), *b = first_line(ref);
  int same = b[0] && !strcmp(a, b);
  free(a);
  free(b);
  return same;
}

/* Scores `kept` against `ref`; chrome lines are those of `source` that are
 * not lines of `ref`. */
static score score_page(const char *kept, const char *ref,
                        const char *source) {
  score sc = {0};
  hashes k = shingles_of(kept), r = shingles_of(ref);
  size_t both = common(&k, &r);
  /* An empty output keeps nothing right: P = 0, not 0/0. */
  sc.p = k.n ? (double)both / k.n : 0;
  sc.r = r.n ? (double)both / r.n : 1;
  sc.f1 = sc.p + sc.r > 0 ? 2 * sc.p * sc.r / (sc.p + sc.r) : 0;
  free(k.v);
  free(r.v);
  hashes src = lines_of(source), art = lines_of(ref), out = lines_of(kept);
  for (size_t i = 0; i < src.n; i++) {
    if (contains(&art, src.v[i]))
      continue;
    sc.chrome++;
    sc.removed += !contains(&out, src.v[i]);
  }
  free(src.v);
  free(art.v);
  free(out.v);
  sc.headed = starts_alike(kept, ref);
  return sc;
}

enum { OWN_HTML, OWN_TEXT, RDB_HTML, RDB_TEXT, N_SETS };
enum { TUNING, HELDOUT, N_SPLITS };

static const char *const set_names[N_SETS] = {
    "own pages, HTML", "own pages, text", "readability, HTML",
    "readability, text"};
static const char *const split_names[N_SPLITS] = {"tuning", "held-out"};

typedef struct tally {
  size_t pages, failed;
  double p, r, f1;
  size_t chrome, removed;
  size_t headed;                /* pages whose output starts with the headline */
} tally;

static void add(tally *t, score sc) {
  t->pages++;
  t->p += sc.p;
  t->r += sc.r;
  t->f1 += sc.f1;
  t->chrome += sc.chrome;
  t->removed += sc.removed;
  t->headed += (size_t)sc.headed;
}

static double mean(const tally *t, double sum) {
  return t->pages ? sum / t->pages : 0;
}

static double removed_share(size_t chrome, size_t removed) {
  return chrome ? (double)removed / chrome : 1;
}

/* ---- Conversions ---------------------------------------------------------- */

static quire_session *session;
static int clean_loaded;        /* the session has the transform */
static int cleaning;            /* ...and it is applied (not a baseline) */

/* Converts bytes named `name` (its extension chooses the reader) to `to`
 * in memory, with the clean transform when `clean`.  NULL when the
 * conversion fails. */
static char *convert(const char *name, const char *data, size_t len,
                     const char *to, int clean) {
  static const char *const tr[] = {"clean"};
  quire_source src = {.name = name, .data = data, .len = len};
  char *out = NULL;
  size_t out_len = 0;
  quire_status st = {0};
  quire_job job = {.sources = &src, .n_sources = 1, .to = to,
                   .transforms = clean ? tr : NULL,
                   .n_transforms = clean ? 1 : 0,
                   .output_data = &out, .output_len = &out_len,
                   .status = &st};
  if (quire_convert(session, &job) < QUIRE_OK) {
    free(out);
    return NULL;
  }
  return out;
}

static char *convert_file(const char *path, const char *to, int clean) {
  size_t len;
  char *data = slurp(path, &len);
  if (!data)
    return NULL;
  const char *slash = strrchr(path, '/');
  char *out = convert(slash ? slash + 1 : path, data, len, to, clean);
  free(data);
  return out;
}

/* ---- The held-out split --------------------------------------------------- */

static char **heldout;
static size_t n_heldout;

static void read_heldout(void) {
  char *text = slurp(DATA "/heldout.txt", NULL);
  assert_non_null(text);
  size_t cap = 64;
  heldout = malloc(cap * sizeof *heldout);
  for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
    if (line[0] == '#' || !line[0])
      continue;
    if (n_heldout == cap)
      heldout = realloc(heldout, (cap *= 2) * sizeof *heldout);
    heldout[n_heldout++] = strdup(line);
  }
  free(text);
}

/* The split of page `name` of a collection ("pages" or "readability"). */
static int split_of(const char *collection, const char *name) {
  char key[512];
  snprintf(key, sizeof key, "%s/%s", collection, name);
  for (size_t i = 0; i < n_heldout; i++)
    if (!strcmp(heldout[i], key))
      return HELDOUT;
  return TUNING;
}

static int per_page(void) {
  const char *v = getenv("QUIRE_CLEAN_PAGES");
  return v && v[0] && strcmp(v, "0") != 0;
}

static void print_page(int set, int split, const char *name, score sc) {
  if (!per_page() || split == HELDOUT)
    return;
  print_message("  %-18s %-34s P %.3f  R %.3f  F1 %.3f  chrome %zu/%zu%s\n",
                set_names[set], name, sc.p, sc.r, sc.f1, sc.removed,
                sc.chrome, sc.headed ? "" : "  headline not first");
}

/* ---- Measuring the sets ---------------------------------------------------- */

static tally results[N_SETS][N_SPLITS];
static int readability_present;
static int measured;
static double seconds;

static void measure_own_pages(void) {
  char **names;
  size_t n = folders_with(DATA "/pages", "expected.txt", &names);
  assert_true(n >= 36);
  for (size_t i = 0; i < n; i++) {
    char path[1024];
    int split = split_of("pages", names[i]);
    snprintf(path, sizeof path, DATA "/pages/%s/expected.txt", names[i]);
    char *ref = slurp(path, NULL);
    snprintf(path, sizeof path, DATA "/pages/%s/source.txt", names[i]);
    char *text = slurp(path, NULL);
    assert_non_null(ref);
    assert_non_null(text);
    snprintf(path, sizeof path, DATA "/pages/%s/source.html", names[i]);
    char *out = convert_file(path, "txt", cleaning);
    tally *t = &results[OWN_HTML][split];
    if (!out)
      t->failed++;
    score sc = score_page(out ? out : "", ref, text);
    add(t, sc);
    print_page(OWN_HTML, split, names[i], sc);
    free(out);
    out = convert("source.txt", text, strlen(text), "txt", cleaning);
    t = &results[OWN_TEXT][split];
    if (!out)
      t->failed++;
    sc = score_page(out ? out : "", ref, text);
    add(t, sc);
    print_page(OWN_TEXT, split, names[i], sc);
    free(out);
    free(ref);
    free(text);
  }
  free_names(names, n);
}

/* The "title" of a readability expected-metadata.json, decoded, or NULL.
 * Readability gives the headline as metadata, not in expected.html; the
 * issue wants it kept as the document's title, so the reference has it
 * when the page shows it (see shown()). */
static char *metadata_title(const char *json) {
  const char *p = json ? strstr(json, "\"title\"") : NULL;
  if (!p || !(p = strchr(p + 7, ':')))
    return NULL;
  while (*++p == ' ')
    ;
  if (*p != '"')
    return NULL;
  char *out = malloc(strlen(p) + 1), *o = out;
  for (p++; *p && *p != '"'; p++) {
    if (*p != '\\') {
      *o++ = *p;
      continue;
    }
    p++;
    if (*p == 'u') {
      unsigned cp = 0;
      sscanf(p + 1, "%4x", &cp);
      p += 4;
      if (cp >= 0xd800 && cp < 0xdc00 && p[1] == '\\' && p[2] == 'u') {
        unsigned lo = 0;
        sscanf(p + 3, "%4x", &lo);
        cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
        p += 6;
      }
      o += utf8proc_encode_char((utf8proc_int32_t)cp, (utf8proc_uint8_t *)o);
    } else {
      *o++ = *p == 'n' ? '\n' : *p == 't' ? '\t' : *p;
    }
  }
  *o = '\0';
  return out;
}

/* Whether line is one of the lines of text: a headline the page shows,
 * which a perfect extractor keeps, not only a <title> in its head. */
static int shown(const char *line, const char *text) {
  if (!text)
    return 0;
  hashes want = lines_of(line), have = lines_of(text);
  int yes = want.n == 1 && contains(&have, want.v[0]);
  free(want.v);
  free(have.v);
  return yes;
}

static void measure_readability(void) {
  char **names;
  size_t n = folders_with(READABILITY, "expected.html", &names);
  readability_present = n > 0;
  for (size_t i = 0; i < n; i++) {
    char path[1024];
    int split = split_of("readability", names[i]);
    snprintf(path, sizeof path, READABILITY "/%s/expected.html", names[i]);
    char *body = convert_file(path, "txt", 0);
    snprintf(path, sizeof path, READABILITY "/%s/expected-metadata.json",
             names[i]);
    char *json = slurp(path, NULL);
    char *title = metadata_title(json);
    /* What a scraper saves of the page: all its text, no cleaning. */
    snprintf(path, sizeof path, READABILITY "/%s/source.html", names[i]);
    char *text = convert_file(path, "txt", 0);
    if (title && !shown(title, text)) {
      free(title);
      title = NULL;
    }
    size_t rlen = (body ? strlen(body) : 0) + (title ? strlen(title) : 0);
    char *ref = malloc(rlen + 2);
    snprintf(ref, rlen + 2, "%s\n%s", title ? title : "", body ? body : "");
    char *out = convert_file(path, "txt", cleaning);
    tally *t = &results[RDB_HTML][split];
    if (!out)
      t->failed++;
    score sc = score_page(out ? out : "", ref, text ? text : "");
    add(t, sc);
    print_page(RDB_HTML, split, names[i], sc);
    free(out);
    out = text ? convert("source.txt", text, strlen(text), "txt", cleaning)
               : NULL;
    t = &results[RDB_TEXT][split];
    if (!out)
      t->failed++;
    sc = score_page(out ? out : "", ref, text ? text : "");
    add(t, sc);
    print_page(RDB_TEXT, split, names[i], sc);
    free(out);
    free(text);
    free(ref);
    free(title);
    free(json);
    free(body);
  }
  free_names(names, n);
}

/* ---- The corpus ----------------------------------------------------------
 * The five articles converted in one run (the transform's first pass sees
 * them all, as `quire --clean corpus/` does), one output per input. */

typedef struct corpus_doc {
  char stem[128];               /* "000_89428971a2145b71" */
  char *expected;               /* tests/data/clean/corpus/NNN.expected.txt */
  char *source;                 /* corpus/NNN_*.txt read, written as txt */
  char *txt;                    /* the cleaned txt output */
  char *title;                  /* <title> of the cleaned html output */
} corpus_doc;

static corpus_doc corpus[8];
static size_t n_corpus;
static char *book_text;         /* the cleaned EPUB book, read back as txt */
static size_t corpus_lines, corpus_lines_kept, corpus_chrome,
    corpus_chrome_removed;

/* Runs corpus/ to one output per input in dir, as `to`. */
static void convert_corpus_to_dir(const char *dir, const char *to) {
  static const char *const in[] = {"corpus"};
  static const char *const tr[] = {"clean"};
  quire_status st = {0};
  quire_job job = {.inputs = in, .n_inputs = 1, .to = to,
                   .output_dir = dir, .transforms = tr,
                   .n_transforms = cleaning ? 1 : 0, .status = &st};
  if (quire_convert(session, &job) < QUIRE_OK)
    fail_msg("corpus to %s: %s", to, st.error.message);
}

/* The text of <title> in html, with the writer's few entities decoded. */
static char *html_title(const char *html) {
  const char *a = html ? strstr(html, "<title>") : NULL;
  const char *b = a ? strstr(a, "</title>") : NULL;
  if (!b)
    return strdup("");
  a += 7;
  char *out = malloc((size_t)(b - a) + 1), *o = out;
  static const char *const ent[][2] = {{"&amp;", "&"}, {"&lt;", "<"},
                                       {"&gt;", ">"}, {"&quot;", "\""},
                                       {"&#39;", "'"}, {"&apos;", "'"}};
  while (a < b) {
    size_t e = 0;
    for (; e < sizeof ent / sizeof *ent; e++)
      if (!strncmp(a, ent[e][0], strlen(ent[e][0])))
        break;
    if (e < sizeof ent / sizeof *ent) {
      *o++ = ent[e][1][0];
      a += strlen(ent[e][0]);
    } else {
      *o++ = *a++;
    }
  }
  *o = '\0';
  return out;
}

/* Counts the lines of the expected article (the headline aside: the title
 * tests see to it) that the output holds, and names those it lost.  A line
 * is looked for in the whole output, its lines normalised and joined by
 * spaces, so that the writer's line breaks do not matter. */
static void count_kept_lines(const corpus_doc *d) {
  char *all = malloc(2 * strlen(d->txt) + 2), *o = all;
  for (const char *p = d->txt; *p;) {
    const char *nl = strchr(p, '\n');
    size_t n = nl ? (size_t)(nl - p) : strlen(p);
    char *line = norm_line(p, n);
    o += sprintf(o, "%s ", line);
    free(line);
    p += n + (nl != NULL);
  }
  *o = '\0';
  const char *p = strchr(d->expected, '\n');
  while (p && *++p) {
    const char *nl = strchr(p, '\n');
    size_t n = nl ? (size_t)(nl - p) : strlen(p);
    char *line = norm_line(p, n);
    if (line[0]) {
      corpus_lines++;
      if (strstr(all, line))
        corpus_lines_kept++;
      else
        print_message("corpus %s: article text lost: %.70s\n", d->stem,
                      line);
    }
    free(line);
    p = nl;
  }
  free(all);
}

static void measure_corpus(void) {
  char dir[] = "/tmp/quire-clean-XXXXXX", path[1024];
  assert_non_null(mkdtemp(dir));
  convert_corpus_to_dir(dir, "txt");
  convert_corpus_to_dir(dir, "html");
  char **names;
  DIR *d = opendir("corpus");
  assert_non_null(d);
  size_t n = 0;
  names = malloc(16 * sizeof *names);
  struct dirent *de;
  while ((de = readdir(d)) && n < 16) {
    size_t l = strlen(de->d_name);
    if (l > 4 && !strcmp(de->d_name + l - 4, ".txt"))
      names[n++] = strdup(de->d_name);
  }
  closedir(d);
  qsort(names, n, sizeof *names, cmp_str);
  for (size_t i = 0; i < n && n_corpus < 8; i++) {
    corpus_doc *c = &corpus[n_corpus++];
    snprintf(c->stem, sizeof c->stem, "%.*s", (int)strlen(names[i]) - 4,
             names[i]);
    snprintf(path, sizeof path, DATA "/corpus/%.3s.expected.txt", c->stem);
    c->expected = slurp(path, NULL);
    if (!c->expected)
      fail_msg("no %s for corpus/%s", path, names[i]);
    /* the source as the reader gives it (escaping backslashes before
     * quotes dropped), so that lines compare with the expected ones */
    snprintf(path, sizeof path, "corpus/%s", names[i]);
    c->source = convert_file(path, "txt", 0);
    assert_non_null(c->source);
    snprintf(path, sizeof path, "%s/%s.txt", dir, c->stem);
    c->txt = slurp(path, NULL);
    snprintf(path, sizeof path, "%s/%s.html", dir, c->stem);
    char *html = slurp(path, NULL);
    c->title = html_title(html);
    free(html);
    if (!c->txt)
      fail_msg("no output for corpus/%s", names[i]);
    count_kept_lines(c);
    score sc = score_page(c->txt, c->expected, c->source);
    corpus_chrome += sc.chrome;
    corpus_chrome_removed += sc.removed;
  }
  free_names(names, n);
  snprintf(path, sizeof path, "rm -rf '%s'", dir);
  assert_int_equal(system(path), 0);

  /* The book: corpus to EPUB in memory, read back as txt.  Each chapter's
   * title is a level-1 heading there, underlined with "=". */
  const char *in[] = {"corpus"};
  const char *tr[] = {"clean"};
  char *epub = NULL;
  size_t len = 0;
  quire_status st = {0};
  quire_job job = {.inputs = in, .n_inputs = 1, .to = "epub",
                   .transforms = tr, .n_transforms = cleaning ? 1 : 0,
                   .output_data = &epub, .output_len = &len, .status = &st};
  if (quire_convert(session, &job) < QUIRE_OK)
    fail_msg("corpus to epub: %s", st.error.message);
  book_text = convert("book.epub", epub, len, "txt", 0);
  free(epub);
  assert_non_null(book_text);
}

/* ---- The table ------------------------------------------------------------- */

static void print_table(void) {
  print_message("\nclean evaluation (%s), %.1f s\n",
                cleaning ? "transform clean applied"
                : clean_loaded ? "baseline requested: no cleaning"
                               : "transform clean not built: baseline, "
                                 "no cleaning",
                seconds);
  print_message("%-19s %-9s %5s %6s %6s %6s %8s  %s\n", "set", "split",
                "pages", "P", "R", "F1", "headline", "chrome removed");
  for (int s = 0; s < N_SETS; s++) {
    if ((s == RDB_HTML || s == RDB_TEXT) && !readability_present) {
      print_message("%-19s (../shared/peers missing: not measured)\n",
                    set_names[s]);
      continue;
    }
    for (int k = 0; k < N_SPLITS; k++) {
      const tally *t = &results[s][k];
      print_message("%-19s %-9s %5zu %6.3f %6.3f %6.3f %8.2f  %5.1f%% "
                    "(%zu/%zu)%s\n",
                    set_names[s], split_names[k], t->pages, mean(t, t->p),
                    mean(t, t->r), mean(t, t->f1), mean(t, (double)t->headed),
                    100 * removed_share(t->chrome, t->removed), t->removed,
                    t->chrome, t->failed ? "  FAILED CONVERSIONS" : "");
    }
  }
  size_t titled = 0;
  for (size_t i = 0; i < n_corpus; i++) {
    const char *nl = strchr(corpus[i].expected, '\n');
    size_t hl = nl ? (size_t)(nl - corpus[i].expected) : 0;
    titled += hl ? strlen(corpus[i].title) == hl &&
                       !strncmp(corpus[i].title, corpus[i].expected, hl)
                 : strcmp(corpus[i].title, corpus[i].stem) != 0;
  }
  print_message("%-19s %-9s %5zu  article lines kept %zu/%zu, titled %zu/%zu"
                "  %5.1f%% (%zu/%zu)\n",
                "corpus", "-", n_corpus, corpus_lines_kept, corpus_lines,
                titled, n_corpus,
                100 * removed_share(corpus_chrome, corpus_chrome_removed),
                corpus_chrome_removed, corpus_chrome);
  print_message("\n");
}

static int has_transform(const char *name) {
  for (size_t i = 0; i < quire_transform_count(session); i++)
    if (!strcmp(quire_transform_at(session, i)->transform->name, name))
      return 1;
  return 0;
}

/* Measures every set once; each test reads the results. */
static void measure(void) {
  if (measured)
    return;
  measured = 1;
  struct timespec t0, t1;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  read_heldout();
  measure_own_pages();
  measure_readability();
  measure_corpus();
  clock_gettime(CLOCK_MONOTONIC, &t1);
  seconds = (double)(t1.tv_sec - t0.tv_sec) +
            (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
  print_table();
}

/* The target tests need the transform applied. */
static void need_cleaning(void) {
  measure();
  if (!clean_loaded)
    test_skip("transform clean not built");
  if (!cleaning)
    test_skip("QUIRE_CLEAN_BASELINE is set: nothing was cleaned");
}

/* ---- Tests: the data ------------------------------------------------------ */

static void test_every_set_is_measured_and_the_table_printed(void **state) {
  (void)state;
  measure();
  for (int s = 0; s < N_SETS; s++)
    for (int k = 0; k < N_SPLITS; k++)
      assert_int_equal(results[s][k].failed, 0);
  if (!readability_present)
    test_note_skip("%s missing: the readability sets are not measured",
                   READABILITY);
}

/* The hand-marked data itself: every line of an expected article is a line
 * of its page's scraped text, and the page holds chrome besides.  Without
 * it, recall could never reach 1 and chrome lines would be miscounted. */
static void test_every_hand_marked_article_is_a_part_of_its_page(
    void **state) {
  (void)state;
  char **names;
  size_t n = folders_with(DATA "/pages", "expected.txt", &names);
  assert_true(n >= 36);
  for (size_t i = 0; i < n; i++) {
    char path[1024];
    snprintf(path, sizeof path, DATA "/pages/%s/expected.txt", names[i]);
    char *ref = slurp(path, NULL);
    snprintf(path, sizeof path, DATA "/pages/%s/source.txt", names[i]);
    char *text = slurp(path, NULL);
    assert_non_null(ref);
    assert_non_null(text);
    hashes src = lines_of(text), art = lines_of(ref);
    for (size_t k = 0; k < art.n; k++)
      if (!contains(&src, art.v[k]))
        fail_msg("%s: a line of expected.txt is not in source.txt", names[i]);
    if (src.n < art.n + 5)
      fail_msg("%s: hardly any chrome around the article", names[i]);
    free(src.v);
    free(art.v);
    free(ref);
    free(text);
  }
  free_names(names, n);
}

/* ---- Tests: the targets ---------------------------------------------------- */

static void expect_f1(int set, double min) {
  for (int k = 0; k < N_SPLITS; k++) {
    const tally *t = &results[set][k];
    double f1 = mean(t, t->f1);
    if (t->pages && f1 < min)
      fail_msg("%s, %s: F1 %.3f below %.3f", set_names[set], split_names[k],
               f1, min);
  }
}

static void expect_chrome_removed(int set, double min) {
  for (int k = 0; k < N_SPLITS; k++) {
    const tally *t = &results[set][k];
    double share = removed_share(t->chrome, t->removed);
    if (t->pages && share < min)
      fail_msg("%s, %s: %.1f%% of chrome lines removed, below %.1f%%",
               set_names[set], split_names[k], 100 * share, 100 * min);
  }
}

static void test_cleaned_html_pages_reach_the_f1_target(void **state) {
  (void)state;
  need_cleaning();
  expect_f1(OWN_HTML, MIN_F1_OWN_HTML);
  if (readability_present)
    expect_f1(RDB_HTML, MIN_F1_READABILITY_HTML);
}

static void test_cleaned_scraped_text_reaches_the_f1_target(void **state) {
  (void)state;
  need_cleaning();
  expect_f1(OWN_TEXT, MIN_F1_OWN_TEXT);
  if (readability_present)
    expect_f1(RDB_TEXT, MIN_F1_READABILITY_TEXT);
}

static void test_cleaning_removes_the_chrome_lines_of_own_pages(
    void **state) {
  (void)state;
  need_cleaning();
  expect_chrome_removed(OWN_HTML, MIN_CHROME_REMOVED_OWN);
  expect_chrome_removed(OWN_TEXT, MIN_CHROME_REMOVED_OWN);
}

/* ---- Tests: the corpus ------------------------------------------------------ */

static void test_the_cleaned_corpus_keeps_every_article_sentence(
    void **state) {
  (void)state;
  need_cleaning();
  assert_int_equal(n_corpus, 5);
  if (corpus_lines_kept != corpus_lines)
    fail_msg("%zu of %zu article blocks lost (listed above)",
             corpus_lines - corpus_lines_kept, corpus_lines);
}

static void test_the_cleaned_corpus_has_none_of_the_listed_chrome(
    void **state) {
  (void)state;
  need_cleaning();
  /* Issue 9's list, and the parts of 003's headline feed it names. */
  static const char *const chrome[] = {
      "{}", "No time to read?", "Get a summary", "Previous Article",
      "Next Article", "Scroll Top", "client/title.list_title",
      "Subscribe Here", "Stay Informed, Stay Alert", "You May Also Like",
      "More From Author", "Related Posts", "Leave a comment",
      "You must be logged in to post a comment.", "There are no comments",
      "Add yours", "Privacy Preferences", "Espreso. Global",
      "Guterres turns UN into house of cards", "More articles",
      "Kursk operation: this game can be played by two"};
  for (size_t i = 0; i < n_corpus; i++)
    for (size_t k = 0; k < sizeof chrome / sizeof *chrome; k++)
      if (strstr(corpus[i].txt, chrome[k]))
        fail_msg("corpus %s still holds \"%s\"", corpus[i].stem, chrome[k]);
  double share = removed_share(corpus_chrome, corpus_chrome_removed);
  if (share < MIN_CHROME_REMOVED_CORPUS)
    fail_msg("%.1f%% of the corpus's chrome lines removed, below %.1f%%",
             100 * share, 100 * MIN_CHROME_REMOVED_CORPUS);
}

/* The headline is the title; an article without one gets a title a reader
 * can use, which a file name is not. */
static void check_title(const corpus_doc *c, const char *title) {
  const char *nl = strchr(c->expected, '\n');
  size_t hl = nl ? (size_t)(nl - c->expected) : strlen(c->expected);
  if (hl) {
    if (strlen(title) != hl || strncmp(title, c->expected, hl))
      fail_msg("corpus %s is titled \"%s\", not \"%.*s\"", c->stem, title,
               (int)hl, c->expected);
  } else if (!title[0] || !strcmp(title, c->stem)) {
    fail_msg("corpus %s has no usable title (\"%s\")", c->stem, title);
  }
}

static void test_each_cleaned_corpus_document_is_titled_by_its_headline(
    void **state) {
  (void)state;
  need_cleaning();
  for (size_t i = 0; i < n_corpus; i++)
    check_title(&corpus[i], corpus[i].title);
}

static void test_the_cleaned_corpus_book_lists_the_five_headlines(
    void **state) {
  (void)state;
  need_cleaning();
  /* the chapter titles: lines underlined with "=" (a failed check leaves
   * the function, so nothing here is allocated) */
  size_t n = 0;
  char prev[1024] = "";
  for (const char *p = book_text; *p;) {
    const char *nl = strchr(p, '\n');
    size_t len = nl ? (size_t)(nl - p) : strlen(p);
    if (len >= 3 && strspn(p, "=") == len && prev[0]) {
      if (n < n_corpus)
        check_title(&corpus[n], prev);
      n++;
    }
    snprintf(prev, sizeof prev, "%.*s", (int)len, p);
    p += len + (nl != NULL);
  }
  assert_int_equal(n, n_corpus);
}

static int group_setup(void **state) {
  (void)state;
  session = quire_session_new();
  assert_non_null(session);
  quire_load_plugins(session);
  clean_loaded = has_transform("clean");
  const char *base = getenv("QUIRE_CLEAN_BASELINE");
  cleaning = clean_loaded && !(base && base[0] && strcmp(base, "0") != 0);
  return 0;
}

static int group_teardown(void **state) {
  (void)state;
  for (size_t i = 0; i < n_corpus; i++) {
    free(corpus[i].expected);
    free(corpus[i].source);
    free(corpus[i].txt);
    free(corpus[i].title);
  }
  free(book_text);
  free_names(heldout, n_heldout);
  quire_session_free(session);
  return 0;
}

#define T(f) cmocka_unit_test(f)

int main(void) {
  test_filters_from_env();
  const struct CMUnitTest tests[] = {
      T(test_every_set_is_measured_and_the_table_printed),
      T(test_every_hand_marked_article_is_a_part_of_its_page),
      T(test_cleaned_html_pages_reach_the_f1_target),
      T(test_cleaned_scraped_text_reaches_the_f1_target),
      T(test_cleaning_removes_the_chrome_lines_of_own_pages),
      T(test_the_cleaned_corpus_keeps_every_article_sentence),
      T(test_the_cleaned_corpus_has_none_of_the_listed_chrome),
      T(test_each_cleaned_corpus_document_is_titled_by_its_headline),
      T(test_the_cleaned_corpus_book_lists_the_five_headlines),
  };
  return test_main_status(
      cmocka_run_group_tests(tests, group_setup, group_teardown));
}
