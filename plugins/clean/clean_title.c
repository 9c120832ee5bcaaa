/* clean_title.c - the article's headline and the document's title.
 *
 * The rule:
 *
 * 1. The title a reader found (HTML <title>) counts only when it is not the
 *    file name's stem (the core's stand-in for a missing title) and not
 *    simply the text of the first block (the txt reader titles a document
 *    by its first line).  A page's <title> often carries the site name
 *    after " - ", " | ", " – ", " — ", " · " or " :: ": the title and each
 *    of its parts are compared with the blocks before the article's first
 *    good block; a matching heading (else paragraph) is the headline.
 * 2. Else the headline is a heading before the article's first block,
 *    after the last menu-like block before it (a list item, a line of
 *    links, a call to action; when there is none there, anywhere before):
 *    the one of the highest level (h1 before h2), the nearest to the
 *    article on a tie; headings of 3 to 25 words first, shorter ones only
 *    when there is none.
 * 3. Else it is a short title-like line just before the article (3 to 25
 *    words, no final period or colon): first one of mostly capitalised
 *    words, then any such line standing alone.
 * Lines that are chrome by their own signals (code-like, a date, a call
 * to action, repeated in the document or the corpus, mostly links, in a
 * chrome section) are never headlines.
 *
 * The headline becomes the document's first block, a level-1 heading
 * (other level-1 headings step down to level 2), and its text the "title"
 * metadata; the same text repeated as the next block is removed.  A
 * document with no headline is titled by the <title> (its longest part)
 * when it has one, else by the first sentence of its first kept
 * paragraph, cut after about ten words with "…": never by a file name. */
#include "clean.h"

#include <stdlib.h>
#include <string.h>

/* The headline's length, in words. */
#define HEAD_MIN 3
#define HEAD_MAX 25
/* A title-like line is looked for among this many blocks before the
 * article. */
#define LINE_REACH 6
/* The first-sentence title: this many words, when the sentence is longer
 * than TITLE_WORDS_MAX. */
#define TITLE_WORDS 10
#define TITLE_WORDS_MAX 12

int clean_title_is_file_stem(const char *title, const char *source) {
  if (!title || !source)
    return 0;
  const char *base = strrchr(source, '/');
  base = base ? base + 1 : source;
  const char *dot = strrchr(base, '.');
  size_t n = dot && dot != base ? (size_t)(dot - base) : strlen(base);
  return strlen(title) == n && strncmp(title, base, n) == 0;
}

/* Chrome by its own signals: never a headline. */
static int eligible(const clean_state *st, const clean_block *b, size_t i,
                    int matches_title) {
  if (b->kind != CK_HEADING && b->kind != CK_PARA)
    return 0;
  if (b->wlen == 0 || b->wlen > HEAD_MAX)
    return 0;
  if (b->flags & (CB_CODE | CB_DATE | CB_COPYRIGHT | CB_BYLINE))
    return 0;
  if (b->cta > 0 || b->hint == CLEAN_HINT_CHROME)
    return 0;
  /* A line that is the page's title may well repeat (a site shows it in
   * its breadcrumb, its share bar, its heading). */
  if (matches_title)
    return 1;
  if (st->corpus.docs >= 3 && b->corpus_count >= 2)
    return 0;
  /* Mostly links: a headline may link to its own page, a paragraph not. */
  if (b->kind != CK_HEADING && b->link_chars * 2 > b->chars)
    return 0;
  /* Repeated in the document: only as a headline repeated right after
   * itself (the title, then the same as the first paragraph). */
  if (b->doc_count >= 2) {
    size_t near = 0;
    for (size_t j = i > 3 ? i - 3 : 0; j < st->n_blocks && j <= i + 3; j++)
      if (j != i && st->blocks[j].hash == b->hash)
        near++;
    if (near + 1 < b->doc_count)
      return 0;
  }
  return 1;
}

/* Splits a page title at the separators sites put before their name and
 * calls back with each part (the whole title first). */
static const char *const separators[] = {" | ", " - ", " – ", " — ",
                                         " :: ", " · ", " » ", " / "};

static long match_title(clean_state *st, const char *title,
                        size_t limit) {
  uint64_t hashes[16];
  size_t n_hashes = 0;
  unsigned words;
  uint64_t h = clean_text_hash(st, title, strlen(title), &words);
  if (h)
    hashes[n_hashes++] = h;
  for (size_t s = 0; s < sizeof separators / sizeof *separators; s++) {
    const char *p = title;
    size_t sl = strlen(separators[s]);
    const char *q;
    while ((q = strstr(p, separators[s])) != NULL || *p) {
      size_t n = q ? (size_t)(q - p) : strlen(p);
      if (p != title || q) {   /* a part, not the whole title again */
        h = clean_text_hash(st, p, n, &words);
        if (h && words >= 2 && n_hashes < 16)
          hashes[n_hashes++] = h;
      }
      if (!q)
        break;
      p = q + sl;
    }
  }
  long found = -1;
  for (size_t i = 0; i < limit && i < st->n_blocks; i++) {
    const clean_block *b = &st->blocks[i];
    if (!eligible(st, b, i, 1))
      continue;
    for (size_t k = 0; k < n_hashes; k++)
      if (b->hash == hashes[k]) {
        /* The first heading that matches, else the first paragraph. */
        if (found < 0 || (b->kind == CK_HEADING &&
                          st->blocks[found].kind != CK_HEADING))
          found = (long)i;
        break;
      }
  }
  return found;
}

static long best_heading(const clean_state *st, size_t from, size_t limit,
                         unsigned min_words) {
  long best = -1;
  for (size_t i = from; i < limit && i < st->n_blocks; i++) {
    const clean_block *b = &st->blocks[i];
    if (b->kind != CK_HEADING || b->wlen < min_words || !eligible(st, b, i, 0))
      continue;
    if (best < 0 || b->level <= st->blocks[best].level)
      best = (long)i;
  }
  return best;
}

/* Whether a line is parts joined by separators ("Home | World", "By Ann
 * · 26 October"): a menu or a byline, not a title. */
static int separated(const clean_state *st, const clean_block *b) {
  const char *t = clean_block_text(st, b);
  return strstr(t, " | ") || strstr(t, " \xC2\xB7 ") ||  /* · */
         strstr(t, " \xE2\x80\xA2 ");                     /* • */
}

static long title_line(const clean_state *st, size_t from, size_t limit,
                       int capitalised) {
  if (limit > LINE_REACH && from < limit - LINE_REACH)
    from = limit - LINE_REACH;
  for (size_t i = limit; i-- > from;) {
    const clean_block *b = &st->blocks[i];
    if (b->kind != CK_PARA || !eligible(st, b, i, 0) || b->wlen < HEAD_MIN)
      continue;
    if ((b->flags & (CB_COLON | CB_TERMINAL)) && !(b->flags & CB_QUESTION) &&
        b->sentences <= 1) {
      /* A sentence ending with a period (or a colon) is not a title;
       * "Who pays?" may be. */
      const char *t = clean_block_text(st, b);
      char last = t[b->len ? b->len - 1 : 0];
      if (last == '.' || last == ':')
        continue;
    }
    if (b->sentences > 1 || b->dateish >= 2 || separated(st, b))
      continue;
    if (!capitalised || b->caps * 10 >= b->alpha_words * 6)
      return (long)i;
  }
  return -1;
}

long clean_find_headline(quire_env *env, clean_state *st, quire_doc *doc) {
  const quire_services *svc = env->svc;
  if (!st->has_article)
    return -1;
  size_t limit = st->start;
  const char *title = svc->meta_get(doc->meta, QUIRE_META_TITLE);
  const char *source = svc->meta_get(doc->meta, QUIRE_META_SOURCE);
  long h = -1;
  if (title && *title && !clean_title_is_file_stem(title, source)) {
    /* Not independent evidence when it is just the first block's text, a
     * level-1 heading (the txt reader titles a document by its first
     * line). */
    unsigned words;
    uint64_t th = clean_text_hash(st, title, strlen(title), &words);
    if (st->n_blocks == 0 || st->blocks[0].hash != th ||
        st->blocks[0].kind != CK_HEADING || st->blocks[0].level != 1)
      h = match_title(st, title, limit + 1);
  }
  /* The headline comes after the site's navigation: look after the last
   * menu-like block (a list item, a line of links, a call to action)
   * before the article first, then before it too. */
  size_t nav_end = 0;
  for (size_t i = 0; i < limit && i < st->n_blocks; i++) {
    const clean_block *b = &st->blocks[i];
    if (b->kind == CK_ITEM || b->cta > 0 ||
        (b->chars > 0 && b->link_chars * 2 >= b->chars))
      nav_end = i + 1;
  }
  for (int pass = 0; h < 0 && pass < 2; pass++) {
    size_t from = pass == 0 ? nav_end : 0;
    if (pass == 1 && nav_end == 0)
      break;
    h = best_heading(st, from, limit, HEAD_MIN);
    if (h < 0)
      h = title_line(st, from, limit, 1);
    if (h < 0)
      h = title_line(st, from, limit, 0);
    if (h < 0)
      h = best_heading(st, from, limit, 1);
  }
  if (h >= 0)
    st->blocks[h].keep = 1;
  return h;
}

/* ---- Setting the title ------------------------------------------------------ */

/* The first sentence of text[0..n), cut after TITLE_WORDS words when longer
 * than TITLE_WORDS_MAX, into out (of size cap). */
static void first_sentence(const char *text, size_t n, char *out,
                           size_t cap) {
  size_t end = n;
  for (size_t i = 0; i + 1 < n; i++)
    if ((text[i] == '.' || text[i] == '!' || text[i] == '?') &&
        text[i + 1] == ' ') {
      end = text[i] == '.' ? i : i + 1;
      break;
    }
  /* Word boundaries. */
  size_t words = 0, cut = end;
  for (size_t i = 0; i < end; i++)
    if (text[i] == ' ' && i > 0 && text[i - 1] != ' ') {
      words++;
      if (words == TITLE_WORDS)
        cut = i;
    }
  words++;
  int ellipsis = 0;
  if (words > TITLE_WORDS_MAX) {
    end = cut;
    while (end > 0 && strchr(",;:-–— ", text[end - 1]))
      end--;
    ellipsis = 1;
  } else if (end == n && end > 0 && text[end - 1] == '.') {
    end--;
  }
  if (end + 4 > cap)
    end = cap - 4;
  memcpy(out, text, end);
  if (ellipsis)
    memcpy(out + end, "\xE2\x80\xA6", 3), end += 3;  /* … */
  out[end] = 0;
}

/* The longest part of a page title split at the separators. */
static void title_part(const char *title, char *out, size_t cap) {
  const char *best = title;
  size_t best_n = strlen(title);
  for (size_t s = 0; s < sizeof separators / sizeof *separators; s++) {
    const char *q = strstr(title, separators[s]);
    if (!q)
      continue;
    size_t sl = strlen(separators[s]);
    const char *p = title;
    best_n = 0;
    for (;;) {
      q = strstr(p, separators[s]);
      size_t n = q ? (size_t)(q - p) : strlen(p);
      if (n > best_n) {
        best = p;
        best_n = n;
      }
      if (!q)
        break;
      p = q + sl;
    }
    break;
  }
  if (best_n >= cap)
    best_n = cap - 1;
  memcpy(out, best, best_n);
  out[best_n] = 0;
}

int clean_set_title(quire_env *env, clean_state *st, quire_doc *doc,
                    long headline) {
  const quire_services *svc = env->svc;
  quire_node *root = doc->root;
  if (headline >= 0) {
    clean_block *b = &st->blocks[headline];
    quire_node *h = svc->node_new(doc, QUIRE_NODE_HEADING);
    if (!h)
      goto oom;
    h->level = 1;
    while (b->node->first_child)
      if (svc->node_append(h, b->node->first_child) != QUIRE_OK)
        goto oom;
    clean_remove_node(svc, doc, b->node);
    if (root->first_child ? svc->node_insert_before(root->first_child, h)
                          : svc->node_append(root, h))
      goto oom;
    b->node = h;
    const char *text;
    size_t len;
    if (clean_full_text(env, st, b, &text, &len) != QUIRE_OK)
      return QUIRE_FATAL;
    if (svc->meta_set(doc, QUIRE_META_TITLE, text) != QUIRE_OK)
      goto oom;
    /* The headline repeated as the next kept block goes; other level-1
     * headings step down a level, so the document has one title. */
    int next_checked = 0;
    for (size_t i = 0; i < st->n_blocks; i++) {
      clean_block *o = &st->blocks[i];
      if ((long)i == headline || !o->keep)
        continue;
      if (!next_checked && i > (size_t)headline) {
        next_checked = 1;
        if (o->hash == b->hash && o->node->parent) {
          clean_remove_node(svc, doc, o->node);
          o->keep = 0;
          o->reason = "the title repeated";
          o->reason_weight = 0;
          if (clean_report_block(env, st, doc, o) != QUIRE_OK)
            return QUIRE_FATAL;
          continue;
        }
      }
      if (o->kind == CK_HEADING && o->level == 1)
        o->node->level = 2;
    }
    return QUIRE_OK;
  }
  char title[512];
  title[0] = 0;
  const char *old = svc->meta_get(doc->meta, QUIRE_META_TITLE);
  const char *source = svc->meta_get(doc->meta, QUIRE_META_SOURCE);
  if (old && *old && !clean_title_is_file_stem(old, source) &&
      !(st->n_blocks > 0 && !st->blocks[0].keep &&
        st->blocks[0].hash == clean_text_hash(st, old, strlen(old), NULL)))
    title_part(old, title, sizeof title);
  for (size_t i = 0; !title[0] && i < st->n_blocks; i++) {
    const clean_block *b = &st->blocks[i];
    if (b->keep && b->wlen >= 3 &&
        (b->kind == CK_PARA || b->kind == CK_ITEM || b->kind == CK_QUOTE))
      first_sentence(clean_block_text(st, b), b->len, title, sizeof title);
  }
  if (title[0] && svc->meta_set(doc, QUIRE_META_TITLE, title) != QUIRE_OK)
    goto oom;
  return QUIRE_OK;
oom:
  svc->error(env, NULL, "clean: out of memory");
  return QUIRE_FATAL;
}
