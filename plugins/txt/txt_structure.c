/* txt_structure.c - the structure a reader sees in clean text: title,
 * headings, paragraphs and lists, decided per document from its line
 * statistics.
 *
 * Chunks are runs of non-blank lines.  A document is "hard-wrapped" when
 * most of its lines sit in multi-line chunks, fill a width of at most 100
 * characters and mostly end mid-sentence (as in Project Gutenberg texts):
 * then each chunk is a paragraph whose lines are joined with spaces.
 * Otherwise every line is a block of its own (one paragraph per line).
 * A short line standing alone, starting with a capital and without
 * sentence-final punctuation, is a heading; the first such line of a
 * document is its title.
 *
 * Two passes over the lines: the first gathers the statistics that decide
 * the document's kind, looking at a line and the next; the second builds
 * the blocks a chunk at a time, from a table of that chunk's lines.  A
 * table of every line would take as much memory as a large text itself
 * (only a text without blank lines, one chunk, still needs it). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "txt.h"
#include "txt_bytes.h"

#define WRAP_MAX_WIDTH 100      /* wider lines are not hard-wrapped text */
#define HEADING_MAX_WORDS 12
#define TITLE_CASE_MAX_WORDS 20 /* a Title Cased Line May Be Longer */
#define RULE_MIN 3              /* "***", "---", "===" */
#define CHUNK_LINES_FIRST 64    /* the chunk table's first size */

typedef struct line {
  char *s;                      /* content after indentation */
  size_t len;                   /* bytes, trailing blanks trimmed; 0 for a
                                   blank line */
  size_t marker;                /* bytes of list marker and following blanks */
  int number;                   /* LIST_NUMBER: its value */
  unsigned char list;           /* 0, LIST_BULLET or LIST_NUMBER */
  unsigned char indented;       /* starts with a blank */
  char underline;               /* '=' or '-' for a setext underline */
  unsigned char rule;           /* a thematic break line */
  unsigned char heading;        /* txt_heading_like: HEADING_* once asked */
} line;

enum { LIST_BULLET = 1, LIST_NUMBER = 2 };
enum { HEADING_UNKNOWN = 0, HEADING_YES, HEADING_NO };

typedef struct builder {
  quire_env *env;
  quire_doc *doc;
  line *lines;                  /* the current chunk's lines */
  size_t n, room;
  int wrapped;
  int one_chunk;                /* no blank line between any two lines */
  int have_title;
} builder;

/* The width of s[0..n) in code points (the bytes that are not UTF-8
 * continuation bytes, 10xxxxxx), counted eight bytes at a time, or
 * WRAP_MAX_WIDTH + 1 for any line wider than WRAP_MAX_WIDTH: counting
 * stops as soon as the line is known to be too wide. */
static size_t width_bucket(const char *s, size_t n) {
  size_t continuation = 0, i = 0;
  for (; n - i >= 8; i += 8) {
    uint64_t w = txt_load8(s + i);
    continuation += txt_flag_count(w & ~(w << 1) & TXT_HIGHS);
    if (i + 8 - continuation > WRAP_MAX_WIDTH)
      return WRAP_MAX_WIDTH + 1;
  }
  for (; i < n; i++)
    continuation += ((unsigned char)s[i] & 0xC0) == 0x80;
  return n - continuation > WRAP_MAX_WIDTH ? WRAP_MAX_WIDTH + 1
                                           : n - continuation;
}

/* Where the line starting at text[pos] ends: its newline, or len. */
static size_t line_end(const char *text, size_t pos, size_t len) {
  const char *nl = memchr(text + pos, '\n', len - pos);
  return nl ? (size_t)(nl - text) : len;
}

static int is_blank_char(char c) { return c == ' ' || c == '\t'; }

/* The list marker at the start of s: "• ", "- ", "* ", "+ ", "· ", "1. ",
 * "1) ".  Returns LIST_BULLET or LIST_NUMBER and sets *len to the marker's
 * bytes with the blanks after it; 0 when there is none. */
static int list_marker(const char *s, size_t n, size_t *len, int *number) {
  size_t k = 0;
  if (n >= 3 && memcmp(s, "\xE2\x80\xA2", 3) == 0)         /* • */
    k = 3;
  else if (n >= 2 && memcmp(s, "\xC2\xB7", 2) == 0)        /* · */
    k = 2;
  else if (n >= 1 && (s[0] == '-' || s[0] == '*' || s[0] == '+'))
    k = 1;
  int kind = k ? LIST_BULLET : 0;
  if (!k) {
    long v = 0;
    while (k < n && k < 9 && s[k] >= '0' && s[k] <= '9')
      v = v * 10 + (s[k++] - '0');
    if (k == 0 || k >= n || (s[k] != '.' && s[k] != ')'))
      return 0;
    k++;
    *number = (int)v;
    kind = LIST_NUMBER;
  }
  if (k >= n || !is_blank_char(s[k]))
    return 0;
  while (k < n && is_blank_char(s[k]))
    k++;
  if (k == n)
    return 0;   /* a marker with nothing after it is text */
  *len = k;
  return kind;
}

/* A line made of one repeated character c (blanks allowed between). */
static int repeated(const char *s, size_t n, char c) {
  size_t count = 0;
  for (size_t i = 0; i < n; i++) {
    if (s[i] == c)
      count++;
    else if (!is_blank_char(s[i]))
      return 0;
  }
  return count >= RULE_MIN;
}

static void classify(line *l, char *s, size_t n) {
  while (n && is_blank_char(s[n - 1]))
    n--;
  size_t indent = 0;
  while (indent < n && is_blank_char(s[indent]))
    indent++;
  *l = (line){.s = s + indent, .len = n - indent, .indented = indent != 0};
  if (!l->len)
    return;
  char c = l->s[0];
  if ((c == '=' || c == '-') && repeated(l->s, l->len, c) &&
      !memchr(l->s, ' ', l->len))
    l->underline = c;
  l->rule = (c == '*' || c == '-' || c == '_') && repeated(l->s, l->len, c);
  l->list = (unsigned char)list_marker(l->s, l->len, &l->marker, &l->number);
}

static int sentence_final(int32_t cp) {
  return cp == '.' || cp == '!' || cp == ',' || cp == ';' || cp == ':' ||
         cp == 0x2026 /* … */ || cp == 0x3002 /* 。 */;
}

static int closing_mark(int32_t cp) {
  return cp == '"' || cp == '\'' || cp == ')' || cp == ']' ||
         cp == 0x2019 || cp == 0x201D || cp == 0xBB;
}

/* What txt_heading_like asks of a character. */
enum {
  CH_LETTER = 1,                /* L*: Lu, Ll, Lt, Lm, Lo */
  CH_DIGIT = 2,                 /* Nd */
  CH_CAPITAL = 4,               /* Lu, Lt: a capitalized word */
  CH_FIRST = 8                  /* Lu, Lt, Lo: may begin a heading */
};

static unsigned char_class(int32_t cp) {
  if (cp < 0x80) {   /* ASCII, without asking utf8proc */
    if (cp >= 'A' && cp <= 'Z')
      return CH_LETTER | CH_CAPITAL | CH_FIRST;
    if (cp >= 'a' && cp <= 'z')
      return CH_LETTER;
    return cp >= '0' && cp <= '9' ? CH_DIGIT : 0;
  }
  switch (utf8proc_category(cp)) {
  case UTF8PROC_CATEGORY_LU:
  case UTF8PROC_CATEGORY_LT:
    return CH_LETTER | CH_CAPITAL | CH_FIRST;
  case UTF8PROC_CATEGORY_LO:
    return CH_LETTER | CH_FIRST;
  case UTF8PROC_CATEGORY_LL:
  case UTF8PROC_CATEGORY_LM:
    return CH_LETTER;
  case UTF8PROC_CATEGORY_ND:
    return CH_DIGIT;
  default:
    return 0;
  }
}

/* Whether s[0..n) holds at least `limit` spaces, counted eight bytes at a
 * time. */
static int spaces_reach(const char *s, size_t n, size_t limit) {
  size_t spaces = 0, i = 0;
  for (; n - i >= 8; i += 8) {
    spaces += txt_flag_count(txt_bytes_equal(txt_load8(s + i), ' '));
    if (spaces >= limit)
      return 1;
  }
  for (; i < n; i++)
    spaces += s[i] == ' ';
  return spaces >= limit;
}

int txt_heading_like(const char *s, size_t n) {
  if (spaces_reach(s, n, TITLE_CASE_MAX_WORDS))
    return 0;   /* too many words: no need to look closer */
  const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
  int32_t cp, last_real = -1;
  unsigned first = 0;           /* the class of the first letter or digit */
  size_t words = 0, long_words = 0, capital_long = 0, letters = 0;
  size_t word_letters = 0;
  int word_capital = 0, in_word = 0;
  for (size_t i = 0; i < n;) {
    if (p[i] < 0x80)
      cp = p[i++];
    else {
      utf8proc_ssize_t k =
          utf8proc_iterate(p + i, (utf8proc_ssize_t)(n - i), &cp);
      if (k <= 0)
        return 0;
      i += (size_t)k;
    }
    unsigned cls = char_class(cp);
    if ((cls & (CH_LETTER | CH_DIGIT)) && !first)
      first = cls;
    letters += (cls & CH_LETTER) != 0;
    if (cp == ' ' || cp == '\t') {
      if (in_word) {
        words++;
        if (word_letters >= 4) {
          long_words++;
          capital_long += word_capital;
        }
      }
      in_word = 0;
    } else {
      if (!in_word) {
        in_word = 1;
        word_letters = 0;
        word_capital = (cls & CH_CAPITAL) != 0;
      }
      word_letters += (cls & CH_LETTER) != 0;
      if (!closing_mark(cp))
        last_real = cp;
    }
  }
  if (in_word) {
    words++;
    if (word_letters >= 4) {
      long_words++;
      capital_long += word_capital;
    }
  }
  if (!letters || !first || sentence_final(last_real))
    return 0;
  if (!(first & CH_FIRST))
    return 0;
  if (words <= HEADING_MAX_WORDS)
    return 1;
  return words <= TITLE_CASE_MAX_WORDS && long_words &&
         capital_long * 10 >= long_words * 8;
}

/* ---- Deciding the document's kind ---------------------------------------- */

static int ends_sentence(const line *l) {
  const char *e = l->s + l->len;
  while (e > l->s && (e[-1] == '"' || e[-1] == '\'' || e[-1] == ')' ||
                      e[-1] == ']'))
    e--;
  if (e - l->s >= 3 && ((unsigned char)e[-3] == 0xE2) &&
      ((unsigned char)e[-2] == 0x80) &&
      ((unsigned char)e[-1] == 0x9D || (unsigned char)e[-1] == 0x99))
    e -= 3;   /* ” ’ */
  return e > l->s &&
         (e[-1] == '.' || e[-1] == '!' || e[-1] == '?' || e[-1] == ':');
}

/* The line statistics that decide the document's kind.  Widths past
 * WRAP_MAX_WIDTH all count as too wide, so their exact value is moot. */
typedef struct stats {
  size_t widths[WRAP_MAX_WIDTH + 2];        /* non-blank lines by width */
  size_t inner_widths[WRAP_MAX_WIDTH + 2];  /* inner lines by width */
  size_t nonblank;
  size_t in_multi;              /* lines with a non-blank neighbour */
  size_t inner;                 /* lines followed by a line of their
                                   paragraph (not after a list item, not
                                   before an underline) */
  size_t inner_end;             /* inner lines ending a sentence */
  size_t chunks;
} stats;

/* Counts line l, whose neighbours are or are not blank. */
static void count_line(stats *st, const line *l, int prev_text,
                       const line *next) {
  if (!l->len)
    return;
  size_t bucket = width_bucket(l->s, l->len);
  int next_text = next && next->len;
  st->widths[bucket]++;
  st->nonblank++;
  st->chunks += !prev_text;
  st->in_multi += prev_text || next_text;
  if (next_text && !l->list && !next->underline) {
    st->inner++;
    st->inner_widths[bucket]++;
    st->inner_end += ends_sentence(l);
  }
}

/* Gathers the statistics of text[0..len), a line and the next at a
 * time. */
static void gather(stats *st, char *text, size_t len) {
  size_t end = line_end(text, 0, len);
  line cur, next;
  classify(&cur, text, end);
  int prev_text = 0;
  while (end < len) {
    size_t start = end + 1;
    end = line_end(text, start, len);
    classify(&next, text + start, end - start);
    count_line(st, &cur, prev_text, &next);
    prev_text = cur.len != 0;
    cur = next;
  }
  count_line(st, &cur, prev_text, NULL);
}

/* Hard-wrapped text: most lines in multi-line chunks, of a width that is
 * at most WRAP_MAX_WIDTH, filling at least half of it, mostly ending
 * mid-sentence. */
static int decide_wrapped(const stats *st) {
  if (st->nonblank < 3)
    return 0;
  /* The 90th percentile of line widths. */
  size_t rank = (st->nonblank * 9) / 10, seen = 0, w = 0;
  while (seen + st->widths[w] <= rank)
    seen += st->widths[w++];
  if (w > WRAP_MAX_WIDTH)
    return 0;
  size_t inner_full = 0;
  for (size_t width = 0; width <= WRAP_MAX_WIDTH + 1; width++)
    if (width * 2 >= w)
      inner_full += st->inner_widths[width];
  return st->in_multi * 2 >= st->nonblank && st->inner &&
         inner_full * 10 >= st->inner * 8 && st->inner_end * 2 < st->inner;
}

/* ---- Building -------------------------------------------------------------- */

/* Memory is exhausted: the run cannot go on. */
static int fail_memory(builder *b) {
  b->env->svc->error(b->env, NULL, "out of memory");
  return QUIRE_FATAL;
}

/* Appends child to parent.  The builder only makes trees the model allows,
 * so a refusal is a bug here, reported as such. */
static int attach(builder *b, quire_node *parent, quire_node *child) {
  const quire_services *svc = b->env->svc;
  if (svc->node_append(parent, child) == QUIRE_OK)
    return QUIRE_OK;
  svc->error(b->env, NULL, "internal error: the txt reader put a %s in a %s",
             svc->node_type_name(child->type),
             svc->node_type_name(parent->type));
  return QUIRE_FAILED;
}

/* A block of `type` holding the text s[0..n), appended to parent.  s lies
 * in the document's text, and s[n] is a byte of its own line (its end, a
 * trailing blank or the spare byte after the text): it becomes the NUL. */
static int add_block(builder *b, quire_node *parent, quire_node_type type,
                     char *s, size_t n, quire_node **made) {
  const quire_services *svc = b->env->svc;
  quire_node *block = svc->node_new(b->doc, type);
  quire_node *text = svc->node_new(b->doc, QUIRE_NODE_TEXT);
  if (!block || !text)
    return fail_memory(b);
  s[n] = '\0';
  text->text = s;
  text->len = n;
  int rc = attach(b, block, text);
  if (rc == QUIRE_OK)
    rc = attach(b, parent, block);
  if (made)
    *made = block;
  return rc;
}

static int add_heading(builder *b, int level, char *s, size_t n) {
  quire_node *h;
  int rc = add_block(b, b->doc->root, QUIRE_NODE_HEADING, s, n, &h);
  if (rc != QUIRE_OK)
    return rc;
  /* Only the document's first block can be its title. */
  if (!b->have_title && level == 1 && b->doc->root->first_child == h) {
    char *title = b->env->svc->strndup(b->doc, s, n);
    if (!title || b->env->svc->meta_set(b->doc, QUIRE_META_TITLE, title))
      return fail_memory(b);
    b->have_title = 1;
  }
  h->level = level;
  return QUIRE_OK;
}

/* Joins line text s[0..n) onto the paragraph at dst, which holds *used
 * bytes, with a space first when not empty.  The paragraph is built where
 * its lines stand: it never grows past the next line's start, so the
 * bytes moved are always ahead of those written. */
static void join_add(char *dst, size_t *used, const char *s, size_t n) {
  if (*used)
    dst[(*used)++] = ' ';
  memmove(dst + *used, s, n);
  *used += n;
}

/* How many list lines of one kind start at i, within [i, end). In wrapped
 * text an indented line after an item continues it. */
static size_t list_run(const builder *b, size_t i, size_t end, size_t *items) {
  int kind = b->lines[i].list;
  size_t k = i;
  *items = 0;
  while (k < end) {
    const line *l = &b->lines[k];
    if (l->list == kind) {
      (*items)++;
      k++;
    } else if (b->wrapped && *items && l->indented && !l->list) {
      k++;   /* indented continuation */
    } else
      break;
  }
  return k - i;
}

static int add_list(builder *b, size_t i, size_t count) {
  const quire_services *svc = b->env->svc;
  const line *first = &b->lines[i];
  quire_node *list = svc->node_new(b->doc, first->list == LIST_NUMBER
                                               ? QUIRE_NODE_ORDERED_LIST
                                               : QUIRE_NODE_BULLET_LIST);
  if (!list)
    return fail_memory(b);
  list->start = first->list == LIST_NUMBER ? first->number : 0;
  list->tight = 1;   /* items follow each other without blank lines */
  int rc = attach(b, b->doc->root, list);
  for (size_t k = i; rc == QUIRE_OK && k < i + count;) {
    size_t used = 0;
    const line *l = &b->lines[k];
    char *dst = l->s + l->marker;
    join_add(dst, &used, dst, l->len - l->marker);
    for (k++; k < i + count && !b->lines[k].list; k++)
      join_add(dst, &used, b->lines[k].s, b->lines[k].len);
    quire_node *item = svc->node_new(b->doc, QUIRE_NODE_ITEM);
    if (!item)
      return fail_memory(b);
    rc = add_block(b, item, QUIRE_NODE_PARAGRAPH, dst, used, NULL);
    if (rc == QUIRE_OK)
      rc = attach(b, list, item);
  }
  return rc;
}

/* Whether line i reads as a heading, asked once per line: a line is
 * asked about as itself and as the neighbour of two others. */
static int heading_like(builder *b, size_t i) {
  line *l = &b->lines[i];
  if (l->heading == HEADING_UNKNOWN)
    l->heading = txt_heading_like(l->s, l->len) ? HEADING_YES : HEADING_NO;
  return l->heading == HEADING_YES;
}

/* Whether line i stands alone: the only line of its chunk or, in a text
 * without blank lines, between lines that are not heading-like. */
static int stands_alone(builder *b, size_t i, size_t first, size_t end) {
  if (end - first == 1)
    return 1;
  if (!b->one_chunk || b->wrapped)
    return 0;
  if (i > first && heading_like(b, i - 1))
    return 0;
  if (i + 1 < end && heading_like(b, i + 1))
    return 0;
  return 1;
}

static int add_line_block(builder *b, size_t i, size_t first, size_t end) {
  const line *l = &b->lines[i];
  if (end - first == 1 && l->rule) {   /* a line alone: it stands alone */
    quire_node *hr = b->env->svc->node_new(b->doc, QUIRE_NODE_THEMATIC_BREAK);
    if (!hr)
      return fail_memory(b);
    return attach(b, b->doc->root, hr);
  }
  if (stands_alone(b, i, first, end) && heading_like(b, i))
    return add_heading(b, b->have_title || b->doc->root->first_child ? 2 : 1,
                       l->s, l->len);
  return add_block(b, b->doc->root, QUIRE_NODE_PARAGRAPH, l->s, l->len, NULL);
}

static int build_chunk(builder *b, size_t first, size_t end) {
  int rc = QUIRE_OK;
  for (size_t i = first; rc == QUIRE_OK && i < end;) {
    const line *l = &b->lines[i];
    if (i + 1 < end && b->lines[i + 1].underline && !l->list && !l->rule) {
      rc = add_heading(b, b->lines[i + 1].underline == '=' ? 1 : 2, l->s,
                       l->len);
      i += 2;
      continue;
    }
    size_t items;
    if (l->list) {
      size_t run = list_run(b, i, end, &items);
      if (items >= 2) {
        rc = add_list(b, i, run);
        i += run;
        continue;
      }
    }
    if (!b->wrapped || end - first == 1) {
      rc = add_line_block(b, i, first, end);
      i++;
      continue;
    }
    /* Hard-wrapped: join lines up to a list or a setext heading. */
    size_t used = 0, k = i;
    char *dst = l->s;
    for (; k < end; k++) {
      const line *m = &b->lines[k];
      if (k > i && m->list && list_run(b, k, end, &items) && items >= 2)
        break;
      if (k + 1 < end && b->lines[k + 1].underline && k > i)
        break;
      join_add(dst, &used, m->s, m->len);
    }
    rc = add_block(b, b->doc->root, QUIRE_NODE_PARAGRAPH, dst, used, NULL);
    i = k;
  }
  return rc;
}

/* Adds line l to the chunk being gathered. */
static int chunk_add(builder *b, const line *l) {
  if (b->n == b->room) {
    size_t room = b->room ? b->room * 2 : CHUNK_LINES_FIRST;
    line *grown = room < SIZE_MAX / sizeof *grown
                      ? realloc(b->lines, room * sizeof *grown)
                      : NULL;
    if (!grown)
      return fail_memory(b);
    b->lines = grown;
    b->room = room;
  }
  b->lines[b->n++] = *l;
  return QUIRE_OK;
}

int txt_build(quire_env *env, quire_doc *doc, char *text, size_t len) {
  builder b = {.env = env, .doc = doc};
  stats st = {0};
  gather(&st, text, len);
  b.one_chunk = st.chunks == 1;
  b.wrapped = decide_wrapped(&st);

  /* Each chunk is built once the blank line after it (or the end) is
   * found: building writes over the chunk's own bytes only, never over
   * the lines still to be read. */
  int rc = QUIRE_OK;
  for (size_t pos = 0; rc == QUIRE_OK;) {
    size_t end = line_end(text, pos, len);
    line l;
    classify(&l, text + pos, end - pos);
    if (l.len)
      rc = chunk_add(&b, &l);
    if (b.n && (!l.len || end == len) && rc == QUIRE_OK) {
      rc = build_chunk(&b, 0, b.n);
      b.n = 0;
    }
    if (end == len)
      break;
    pos = end + 1;
  }
  free(b.lines);
  return rc;
}
