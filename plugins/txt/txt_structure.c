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
 * document is its title. */
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "txt.h"

#define WRAP_MAX_WIDTH 100      /* wider lines are not hard-wrapped text */
#define HEADING_MAX_WORDS 12
#define TITLE_CASE_MAX_WORDS 20 /* a Title Cased Line May Be Longer */
#define RULE_MIN 3              /* "***", "---", "===" */

typedef struct line {
  char *s;                      /* content after indentation */
  size_t indent;                /* bytes of indentation */
  size_t len;                   /* bytes, trailing blanks trimmed */
  size_t width;                 /* code points */
  int blank;
  int list;                     /* 0, LIST_BULLET or LIST_NUMBER */
  size_t marker;                /* bytes of marker and following blanks */
  int number;
  char underline;               /* '=' or '-' for a setext underline */
  int rule;                     /* a thematic break line */
} line;

enum { LIST_BULLET = 1, LIST_NUMBER = 2 };

typedef struct builder {
  quire_env *env;
  quire_doc *doc;
  line *lines;
  size_t n;
  int wrapped;
  int one_chunk;                /* no blank line between any two lines */
  int have_title;
} builder;

static size_t utf8_count(const char *s, size_t n) {
  size_t k = 0;
  for (size_t i = 0; i < n; i++)
    k += ((unsigned char)s[i] & 0xC0) != 0x80;
  return k;
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
  l->s = s + indent;
  l->indent = indent;
  l->len = n - indent;
  l->blank = l->len == 0;
  if (l->blank)
    return;
  l->width = utf8_count(l->s, l->len);
  char c = l->s[0];
  if ((c == '=' || c == '-') && repeated(l->s, l->len, c) &&
      !memchr(l->s, ' ', l->len))
    l->underline = c;
  l->rule = (c == '*' || c == '-' || c == '_') && repeated(l->s, l->len, c);
  l->list = list_marker(l->s, l->len, &l->marker, &l->number);
}

static int sentence_final(int32_t cp) {
  return cp == '.' || cp == '!' || cp == ',' || cp == ';' || cp == ':' ||
         cp == 0x2026 /* … */ || cp == 0x3002 /* 。 */;
}

static int closing_mark(int32_t cp) {
  return cp == '"' || cp == '\'' || cp == ')' || cp == ']' ||
         cp == 0x2019 || cp == 0x201D || cp == 0xBB;
}

int txt_heading_like(const char *s, size_t n) {
  const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
  size_t spaces = 0;
  for (size_t i = 0; i < n; i++)
    if (s[i] == ' ' && ++spaces >= TITLE_CASE_MAX_WORDS)
      return 0;   /* too many words: no need to look closer */
  int32_t cp, first_alnum = -1, last = -1, last_real = -1;
  size_t words = 0, long_words = 0, capital_long = 0, letters = 0;
  size_t word_letters = 0;
  int word_capital = 0, in_word = 0;
  for (size_t i = 0; i < n;) {
    utf8proc_ssize_t k = utf8proc_iterate(p + i, (utf8proc_ssize_t)(n - i), &cp);
    if (k <= 0)
      return 0;
    i += (size_t)k;
    utf8proc_category_t cat = utf8proc_category(cp);
    int letter = cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_LO;
    int digit = cat == UTF8PROC_CATEGORY_ND;
    if ((letter || digit) && first_alnum < 0)
      first_alnum = cp;
    letters += letter;
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
        word_capital = cat == UTF8PROC_CATEGORY_LU || cat == UTF8PROC_CATEGORY_LT;
      }
      word_letters += letter;
      last = cp;
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
  (void)last;
  if (!letters || first_alnum < 0 || sentence_final(last_real))
    return 0;
  utf8proc_category_t c0 = utf8proc_category(first_alnum);
  if (c0 != UTF8PROC_CATEGORY_LU && c0 != UTF8PROC_CATEGORY_LT &&
      c0 != UTF8PROC_CATEGORY_LO)
    return 0;
  if (words <= HEADING_MAX_WORDS)
    return 1;
  return words <= TITLE_CASE_MAX_WORDS && long_words &&
         capital_long * 10 >= long_words * 8;
}

/* ---- Deciding the document's kind ---------------------------------------- */

static int ends_sentence(const line *l) {
  const char *e = l->s + l->len;
  while (e > l->s && strchr("\"')]", e[-1]))
    e--;
  if (e - l->s >= 3 && ((unsigned char)e[-3] == 0xE2) &&
      ((unsigned char)e[-2] == 0x80) &&
      ((unsigned char)e[-1] == 0x9D || (unsigned char)e[-1] == 0x99))
    e -= 3;   /* ” ’ */
  return e > l->s && strchr(".!?:", e[-1]);
}

/* Hard-wrapped text: most lines in multi-line chunks, of a width that is
 * at most WRAP_MAX_WIDTH, filling at least half of it, mostly ending
 * mid-sentence. */
static int decide_wrapped(builder *b) {
  /* The 90th percentile of line widths, from a histogram: widths past
   * WRAP_MAX_WIDTH all count as too wide, so their exact value is moot. */
  size_t histogram[WRAP_MAX_WIDTH + 2] = {0};
  size_t nonblank = 0, in_multi = 0, inner = 0, inner_full = 0, inner_end = 0;
  for (size_t i = 0; i < b->n; i++) {
    if (b->lines[i].blank)
      continue;
    size_t width = b->lines[i].width;
    histogram[width > WRAP_MAX_WIDTH ? WRAP_MAX_WIDTH + 1 : width]++;
    nonblank++;
  }
  if (nonblank < 3)
    return 0;
  size_t rank = (nonblank * 9) / 10, seen = 0, w = 0;
  while (seen + histogram[w] <= rank)
    seen += histogram[w++];
  if (w > WRAP_MAX_WIDTH)
    return 0;
  for (size_t i = 0; i < b->n; i++) {
    const line *l = &b->lines[i];
    if (l->blank)
      continue;
    int prev = i > 0 && !b->lines[i - 1].blank;
    int next = i + 1 < b->n && !b->lines[i + 1].blank;
    if (prev || next)
      in_multi++;
    if (next && !l->list && !b->lines[i + 1].underline) {
      inner++;
      inner_full += l->width * 2 >= w;
      inner_end += ends_sentence(l);
    }
  }
  return in_multi * 2 >= nonblank && inner &&
         inner_full * 10 >= inner * 8 && inner_end * 2 < inner;
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
    } else if (b->wrapped && *items && l->indent && !l->list) {
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

/* Whether line i stands alone: the only line of its chunk or, in a text
 * without blank lines, between lines that are not heading-like. */
static int stands_alone(const builder *b, size_t i, size_t first, size_t end) {
  if (end - first == 1)
    return 1;
  if (!b->one_chunk || b->wrapped)
    return 0;
  if (i > first && txt_heading_like(b->lines[i - 1].s, b->lines[i - 1].len))
    return 0;
  if (i + 1 < end && txt_heading_like(b->lines[i + 1].s, b->lines[i + 1].len))
    return 0;
  return 1;
}

static int add_line_block(builder *b, size_t i, size_t first, size_t end) {
  const line *l = &b->lines[i];
  if (stands_alone(b, i, first, end) && l->rule && end - first == 1) {
    quire_node *hr = b->env->svc->node_new(b->doc, QUIRE_NODE_THEMATIC_BREAK);
    if (!hr)
      return fail_memory(b);
    return attach(b, b->doc->root, hr);
  }
  if (stands_alone(b, i, first, end) && txt_heading_like(l->s, l->len))
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

int txt_build(quire_env *env, quire_doc *doc, char *text, size_t len) {
  builder b = {.env = env, .doc = doc};
  size_t n = 1;
  for (size_t i = 0; i < len; i++)
    n += text[i] == '\n';
  b.lines = calloc(n, sizeof *b.lines);
  if (!b.lines)
    return fail_memory(&b);
  for (size_t pos = 0; pos <= len && b.n < n;) {
    const char *nl = memchr(text + pos, '\n', len - pos);
    size_t end = nl ? (size_t)(nl - text) : len;
    classify(&b.lines[b.n], text + pos, end - pos);
    /* A run of blank lines counts as one: only its presence matters. */
    if (!(b.lines[b.n].blank && b.n && b.lines[b.n - 1].blank))
      b.n++;
    pos = end + 1;
  }
  size_t chunks = 0;
  for (size_t i = 0; i < b.n; i++)
    chunks += !b.lines[i].blank && (i == 0 || b.lines[i - 1].blank);
  b.one_chunk = chunks == 1;
  b.wrapped = decide_wrapped(&b);

  int rc = QUIRE_OK;
  for (size_t i = 0; rc == QUIRE_OK && i < b.n;) {
    if (b.lines[i].blank) {
      i++;
      continue;
    }
    size_t end = i;
    while (end < b.n && !b.lines[end].blank)
      end++;
    rc = build_chunk(&b, i, end);
    i = end;
  }
  free(b.lines);
  return rc;
}
