/* clean_score.c - scores, classes, the context step, and what is kept.
 *
 * Each block gets a score, the sum of the weights below (positive: reads as
 * the article's prose; negative: reads as page chrome).  The score gives a
 * class, as in jusText: bad, short, near-good, good.  Short and near-good
 * blocks then take the class of their neighbours (jusText's context step),
 * and a few structural rules decide headings, lists, quotes, tables and
 * images.  All weights are here, named, with why. */
#include "clean.h"

#include <string.h>

/* ---- Weights ----------------------------------------------------------------
 * Length, in words (CJK characters count half a word): prose is long. */
#define W_LEN_TINY -1.0      /* fewer than 3 words */
#define W_LEN_SHORT -0.5     /* 3-5 words */
#define W_LEN_12 1.0         /* 12-24 words */
#define W_LEN_25 2.0         /* 25-49 words */
#define W_LEN_50 3.0         /* 50 words and more */
/* Stopwords: the block's share of stopwords of the document's language,
 * relative to the share in the document's prose (blocks of 20+ words).
 * Prose is full of function words; names, menus and headlines are not. */
#define W_STOP_HIGH 1.5      /* at least 0.85 of the prose's share */
#define W_STOP_MID 0.5       /* 0.6 - 0.85 */
#define W_STOP_LOW -0.5      /* 0.35 - 0.6 */
#define W_STOP_NONE -1.5     /* below 0.35 */
/* Sentence shape: prose is made of sentences with final punctuation. */
#define W_SENTENCE 1.0       /* ends with . ! ? … (5 words or more) */
#define W_SENTENCES 1.0      /* and holds two sentences or more */
#define W_NO_SENTENCE -0.5   /* fewer than 12 words and no final mark */
/* Links: text that is mostly links is navigation. */
#define W_LINKS_MOST -3.0    /* half of the characters or more in links */
#define W_LINKS_SOME -1.5    /* a quarter or more */
#define W_LINKS_SHORT -1.0   /* a short line (under 6 words) with a link */
/* Dates and clock times standing alone ("19 September, 2023", "17:03",
 * "2 hours ago"): datelines and feeds. */
#define W_DATE -3.0
/* A short block led by a clock time ("14:44 Storm hits the coast"): an
 * item of a live feed or a list of latest headlines. */
#define W_STAMPED -2.0
#define STAMPED_MAX_WORDS 25
/* Call-to-action wording (subscribe, share, read more, comments,
 * cookies ...): one weak signal, strong only in short blocks. */
#define W_CTA_SHORT -2.0     /* any, in a block of up to 20 words */
#define W_CTA_MORE -0.5      /* each further one there, down to -3 */
#define W_CTA_LONG -1.5      /* each, from the second on, in 21-60
                                words, down to W_CTA_LONG_MAX */
#define W_CTA_LONG_MAX -4.5
/* Code-like junk: template keys, braces, paths ("{}", "a/b.c_d"). */
#define W_CODE -4.0
/* Repetition within the document (blocks under 30 words and within
 * CORPUS_MAX_BYTES, which are hashed whole): menus, share
 * bars and "read more" boxes come twice; prose does not. */
#define W_REPEATED -3.0
#define W_NEAR_REPEATED -3.0 /* same first 8 words, 10 words or more */
/* Repetition across the corpus (3 documents or more, the text in 2 or
 * more): a site's furniture. */
#define W_CORPUS_SHORT -4.0  /* under 25 words */
#define W_CORPUS_MID -2.0    /* 25 words or more (only blocks within
                                CORPUS_MAX_BYTES are counted) */
#define W_COPYRIGHT -2.0     /* a © in a block of up to 40 words */
#define W_BYLINE -1.0        /* "By ...", up to 12 words */
/* A run of 4 or more short lines (under 16 words, no final mark, list
 * items aside): menus, tag lists, headline feeds. */
#define W_RUN -1.5
#define RUN_MIN 4
/* A list is judged as a whole: when most of its items are bad by their
 * own text (links, dates) or call to action ("Click to share on ..."), it
 * is a menu, a feed, a share bar or a box of related links, and all its
 * items are chrome. */
#define W_LIST_CHROME -3.0

/* Layout hints of HTML readers (SECTION info), except on the sections
 * that hold the article's core. */
#define W_LAYOUT_CHROME -5.0 /* nav, footer, aside, .comments, .share ... */
#define W_LAYOUT_WEAK -1.0   /* header, .meta */
#define W_LAYOUT_CONTENT 1.0 /* article, main, .content, .post */
/* Before the article's first good block or after its last. */
#define W_OUTSIDE -1.0

/* Classes from the score: */
#define STRONG_BAD -2.0      /* at or below: bad, whatever the context */
#define SHORT_WORDS 10       /* under: short, decided by the context */
#define GOOD_SCORE 3.0       /* at or above (and not short): good */
#define NEAR_GOOD_SCORE 0.5  /* at or above: near-good; under: bad */

/* What a negative weight says: the text is not prose (length, stopwords,
 * shape: a code sample or a caption may be so and still belong to the
 * article), or it is page chrome.  Chrome evidence makes a bad block cost
 * more in the search for the article (find_article), and some of it makes
 * a barrier the article does not reach across (clean_decide). */
enum { E_PROSE, E_CHROME, E_BARRIER };

/* Adds a weight, remembering the most negative one as the reason. */
static void weigh_as(clean_block *b, double w, const char *why, int kind) {
  b->score += w;
  if (w < b->reason_weight) {
    b->reason_weight = w;
    b->reason = why;
  }
  if (w < 0 && kind != E_PROSE)
    b->chrome += -w;
  if (w < 0 && kind == E_BARRIER)
    b->barrier = 1;
}

static void weigh(clean_block *b, double w, const char *why) {
  weigh_as(b, w, why, E_PROSE);
}

static int is_run_line(const clean_block *b) {
  return b->kind != CK_ITEM && b->kind != CK_TABLE && b->kind != CK_CODE &&
         b->nwords > 0 && b->wlen < 16 && !(b->flags & CB_TERMINAL);
}

/* The score of what the block's own text says. */
static void score_text(const clean_state *st, clean_block *b) {
  unsigned L = b->wlen;
  b->score = 0;
  b->position = 0;
  b->chrome = 0;
  b->barrier = 0;
  b->in_bad_list = 0;
  b->reason = NULL;
  b->reason_weight = 0;
  if (L == 0) {
    /* Braces, bars, stars: characters but no words. */
    if (b->flags & CB_CODE)
      weigh_as(b, W_CODE, "code-like text", E_CHROME);
    return;
  }
  if (L < 3)
    weigh(b, W_LEN_TINY, "too short");
  else if (L < 6)
    weigh(b, W_LEN_SHORT, "short");
  else if (L >= 50)
    weigh(b, W_LEN_50, NULL);
  else if (L >= 25)
    weigh(b, W_LEN_25, NULL);
  else if (L >= 12)
    weigh(b, W_LEN_12, NULL);

  if (st->lang >= 0 && st->ref_density > 0 && b->nwords >= 4 &&
      b->alpha_words >= 3 && b->kind != CK_CODE) {
    double rel = ((double)b->stops / b->nwords) / st->ref_density;
    if (rel >= 0.85)
      weigh(b, W_STOP_HIGH, NULL);
    else if (rel >= 0.6)
      weigh(b, W_STOP_MID, NULL);
    else if (rel >= 0.35)
      weigh(b, W_STOP_LOW, "few stopwords");
    else
      weigh(b, W_STOP_NONE, "no stopwords: not prose");
  }

  if ((b->flags & CB_TERMINAL) && L >= 5) {
    weigh(b, W_SENTENCE, NULL);
    if (b->sentences >= 2)
      weigh(b, W_SENTENCES, NULL);
  } else if (!(b->flags & (CB_TERMINAL | CB_COLON)) && L < 12 &&
             b->kind != CK_HEADING) {
    weigh(b, W_NO_SENTENCE, "not a sentence");
  }

  if (b->chars > 0 && b->link_chars > 0) {
    double ld = (double)b->link_chars / b->chars;
    if (ld >= 0.5)
      weigh_as(b, W_LINKS_MOST, "mostly links", E_BARRIER);
    else if (ld >= 0.25)
      weigh_as(b, W_LINKS_SOME, "many links", E_BARRIER);
    if (L < 6)
      weigh_as(b, W_LINKS_SHORT, "short link line", E_BARRIER);
  }

  if (b->flags & CB_DATE)
    weigh_as(b, W_DATE, "date or time line", E_CHROME);
  else if ((b->flags & CB_STAMPED) && L <= STAMPED_MAX_WORDS)
    weigh_as(b, W_STAMPED, "time-stamped feed item", E_CHROME);

  if (b->cta > 0) {
    if (L <= 20) {
      double w = W_CTA_SHORT + W_CTA_MORE * (b->cta - 1);
      weigh_as(b, w < -3.0 ? -3.0 : w, "call to action", E_BARRIER);
    } else if (b->cta >= 2) {
      double w = W_CTA_LONG * b->cta;
      weigh_as(b, w < W_CTA_LONG_MAX ? W_CTA_LONG_MAX : w,
               "call-to-action wording", E_BARRIER);
    }
  }

  if (b->flags & CB_CODE)
    weigh_as(b, W_CODE, "code-like text", E_CHROME);

  if (b->doc_count >= 2 && L < 30)
    weigh_as(b, W_REPEATED, "repeated in the document", E_BARRIER);
  else if (b->prefix_count >= 2)
    weigh_as(b, W_NEAR_REPEATED, "repeated in the document (nearly)",
             E_BARRIER);

  if (st->corpus.docs >= 3 && b->corpus_count >= 2) {
    if (L < 25)
      weigh_as(b, W_CORPUS_SHORT, "repeated across the corpus", E_BARRIER);
    else
      weigh_as(b, W_CORPUS_MID, "repeated across the corpus", E_BARRIER);
  }

  if ((b->flags & CB_COPYRIGHT) && L <= 40)
    weigh_as(b, W_COPYRIGHT, "copyright line", E_BARRIER);
  if ((b->flags & CB_BYLINE) && L <= 12)
    weigh_as(b, W_BYLINE, "byline", E_CHROME);
}

/* Strongly bad by what the block is, not by where it stands. */
static int strongly_bad(const clean_block *b) {
  return b->score - b->position <= STRONG_BAD;
}

static clean_class class_of(const clean_block *b) {
  if (strongly_bad(b) || b->in_bad_list)
    return CC_BAD;
  if (b->wlen == 0)
    return CC_SHORT;
  if (b->wlen < SHORT_WORDS)
    return CC_SHORT;
  if (b->score >= GOOD_SCORE)
    return CC_GOOD;
  return b->score >= NEAR_GOOD_SCORE ? CC_NEAR_GOOD : CC_BAD;
}

/* Runs of short lines: every line of a run of RUN_MIN or more. */
static void weigh_runs(clean_state *st) {
  size_t i = 0;
  while (i < st->n_blocks) {
    if (!is_run_line(&st->blocks[i])) {
      i++;
      continue;
    }
    size_t j = i;
    while (j < st->n_blocks && is_run_line(&st->blocks[j]))
      j++;
    if (j - i >= RUN_MIN)
      for (size_t k = i; k < j; k++)
        weigh_as(&st->blocks[k], W_RUN, "in a run of short lines", E_CHROME);
    i = j;
  }
}

/* Lists whose items are mostly bad: every item weighs W_LIST_CHROME and
 * is bad. */
static void judge_lists(clean_state *st) {
  size_t i = 0;
  while (i < st->n_blocks) {
    const quire_node *list = st->blocks[i].node->parent;
    if (st->blocks[i].kind != CK_ITEM) {
      i++;
      continue;
    }
    size_t j = i, bad = 0;
    for (; j < st->n_blocks && st->blocks[j].kind == CK_ITEM &&
           st->blocks[j].node->parent == list;
         j++)
      if (st->blocks[j].cls == CC_BAD || st->blocks[j].cta > 0)
        bad++;
    if (j - i >= 2 && bad * 2 > j - i)
      for (size_t k = i; k < j; k++) {
        weigh_as(&st->blocks[k], W_LIST_CHROME, "in a list of chrome items",
                 E_BARRIER);
        st->blocks[k].in_bad_list = 1;
      }
    i = j;
  }
}

/* Layout hints.  The core of the article is the section holding the most
 * good paragraph text (a block's characters count fully for its own section and half
 * for the one around it, as Readability scores a paragraph's parent and
 * grandparent).  A chrome hint on the core or around it is a wrapper's
 * name ("page-with-sidebar") and is ignored; elsewhere it weighs. */
static void weigh_layout(clean_state *st) {
  if (st->n_sections == 0)
    return;
  double root_good = 0;
  for (size_t s = 0; s < st->n_sections; s++)
    st->sections[s].good = 0;
  for (size_t i = 0; i < st->n_blocks; i++) {
    const clean_block *b = &st->blocks[i];
    /* Prose is paragraphs: a feed of long list items is no core. */
    if (b->cls != CC_GOOD || b->kind != CK_PARA)
      continue;
    int s = b->section;
    if (s < 0) {
      root_good += b->chars;
      continue;
    }
    st->sections[s].good += b->chars;
    int p = st->sections[s].parent;
    if (p >= 0)
      st->sections[p].good += b->chars / 2.0;
    else
      root_good += b->chars / 2.0;
  }
  int core = -1;
  double best = root_good;
  for (size_t s = 0; s < st->n_sections; s++)
    if (st->sections[s].good > best) {
      best = st->sections[s].good;
      core = (int)s;
    }
  for (size_t s = 0; s < st->n_sections; s++)
    st->sections[s].ignored = 0;
  for (int s = core; s >= 0; s = st->sections[s].parent)
    if (st->sections[s].hint < 0)
      st->sections[s].ignored = 1;
  /* Sections come in document order, a parent before its children: each
   * one's effective hint follows from its parent's.  Chrome anywhere
   * around wins; then content; then weak chrome.  The effective hint is
   * kept in `good`'s place no longer needed: reuse `hint` of a copy. */
  for (size_t i = 0; i < st->n_blocks; i++) {
    clean_block *b = &st->blocks[i];
    int chrome = 0, content = 0, weak = 0;
    const char *name = NULL;
    for (int s = b->section; s >= 0; s = st->sections[s].parent) {
      const clean_section *sec = &st->sections[s];
      if (sec->ignored)
        continue;
      if (sec->hint == CLEAN_HINT_CHROME && !chrome) {
        chrome = 1;
        name = sec->info;
      } else if (sec->hint == CLEAN_HINT_CONTENT) {
        content = 1;
      } else if (sec->hint == CLEAN_HINT_WEAK && !weak) {
        weak = 1;
        if (!name)
          name = sec->info;
      }
    }
    if (chrome) {
      b->hint = CLEAN_HINT_CHROME;
      b->hint_name = name;
      weigh_as(b, W_LAYOUT_CHROME, "layout: chrome section", E_BARRIER);
    } else if (content) {
      b->hint = CLEAN_HINT_CONTENT;
      weigh(b, W_LAYOUT_CONTENT, NULL);
    } else if (weak) {
      b->hint = CLEAN_HINT_WEAK;
      b->hint_name = name;
      weigh_as(b, W_LAYOUT_WEAK, "layout: header or meta section", E_CHROME);
    }
  }
}

/* ---- The context step (jusText) ----------------------------------------------
 * Looking for a block's neighbours, headings and short blocks are passed
 * over (they are decided after), and so are bad blocks under SHORT_WORDS
 * words: a dateline or a stray template key between the lead and the body
 * must not cut the article in two.  The document's edges count as bad. */

static int transparent(const clean_block *b, int skip_near_good) {
  if (b->kind == CK_HEADING || b->cls == CC_SHORT)
    return 1;
  if (b->cls == CC_BAD && b->wlen < SHORT_WORDS)
    return 1;
  return skip_near_good && b->cls == CC_NEAR_GOOD;
}

static clean_class prev_class(const clean_state *st, size_t i,
                              int skip_near_good) {
  while (i-- > 0)
    if (!transparent(&st->blocks[i], skip_near_good))
      return st->blocks[i].cls;
  return CC_BAD;
}

static clean_class next_class(const clean_state *st, size_t i,
                              int skip_near_good) {
  for (i++; i < st->n_blocks; i++)
    if (!transparent(&st->blocks[i], skip_near_good))
      return st->blocks[i].cls;
  return CC_BAD;
}

static void smooth(clean_state *st) {
  for (size_t i = 0; i < st->n_blocks; i++) {
    clean_block *b = &st->blocks[i];
    b->final = b->cls;
    if (b->cls == CC_SHORT) {
      clean_class p = prev_class(st, i, 1), n = next_class(st, i, 1);
      if (p == CC_GOOD && n == CC_GOOD)
        b->final = CC_GOOD;
      else if (p == CC_BAD && n == CC_BAD)
        b->final = CC_BAD;
      /* Between good and bad: good when a near-good block stands between
       * it and the bad side (the article reaches that far). */
      else if ((p == CC_BAD && prev_class(st, i, 0) == CC_NEAR_GOOD) ||
               (n == CC_BAD && next_class(st, i, 0) == CC_NEAR_GOOD))
        b->final = CC_GOOD;
      else
        b->final = CC_BAD;
    } else if (b->cls == CC_NEAR_GOOD) {
      clean_class p = prev_class(st, i, 1), n = next_class(st, i, 1);
      b->final = (p == CC_BAD && n == CC_BAD) ? CC_BAD : CC_GOOD;
    }
  }
}

/* ---- Decisions ------------------------------------------------------------- */

/* The article: the range of blocks whose values add up to the most (the
 * maximum-sum range, as Body Text Extraction finds the body of a page).  A
 * good block is worth its words, a near-good one half of them times its
 * score's share of the good score (3); with chrome evidence (a call to
 * action, links, a repetition: a cookie notice reads as prose) a good
 * block is worth half as much and a near-good one nothing.  A bad block costs 2 plus the
 * weight of its chrome signals (links, calls to action, repetition, dates,
 * layout ...: at most 12), so that code samples and captions, bad as
 * prose, do not cut an article in two; a short one with a negative score
 * costs 1.  So a mid-article box of a few links does not cut the article,
 * while a share bar, tags, related links and a comment form between the
 * article and the comments under it outweigh the comments. */
#define V_BAD_BASE 2.0
#define V_BAD_MAX 12.0

/* Labels (a chart's axis, "billion", "’17") are short, repeated and
 * dated, and sit inside articles: a block of up to three words counts as
 * chrome evidence (a barrier, a cost beyond 1) only with a call to
 * action, a link or a chrome section. */
static int is_label(const clean_block *b) {
  return b->wlen <= 3 && b->cta == 0 && b->link_chars == 0 &&
         b->hint != CLEAN_HINT_CHROME;
}

static int is_barrier(const clean_block *b) {
  return b->barrier && !is_label(b);
}

static double value_of(const clean_block *b) {
  switch (b->cls) {
  case CC_GOOD:
    return is_barrier(b) ? b->wlen / 2.0 : b->wlen;
  case CC_NEAR_GOOD:
    return is_barrier(b) ? 0 : b->wlen / 2.0 * (b->score / GOOD_SCORE);
  case CC_SHORT:
    return b->score < 0 ? -1.0 : 0.0;
  default: {
    if (is_label(b))
      return -1.0;
    double v = V_BAD_BASE + b->chrome;
    return v > V_BAD_MAX ? -V_BAD_MAX : -v;
  }
  }
}

/* A wall: this many chrome blocks in a row (calls to action,
 * repetitions; labels, empty blocks and headings without
 * such signals looked past) is where one part of a page ends and another begins, as a
 * share bar, tags, related links and a comment form end an article.  The
 * article is sought between walls, and it is the first part whose best
 * range is worth at least half of the best of all: articles come before
 * the comments and the teasers under them, which can be longer. */
#define WALL_BLOCKS 4
#define FIRST_PART_SHARE 0.5

/* The best range of blocks [from, to) (Kadane): its value, *start, *end. */
static double best_range(const clean_state *st, size_t from, size_t to,
                         size_t *start, size_t *end) {
  double best = 0, run = 0;
  size_t run_start = from;
  for (size_t i = from; i < to; i++) {
    if (run <= 0) {
      run = 0;
      run_start = i;
    }
    run += value_of(&st->blocks[i]);
    if (run > best) {
      best = run;
      *start = run_start;
      *end = i;
    }
  }
  return best;
}

static int wall_block(const clean_block *b) {
  if (b->cls == CC_GOOD || b->cls == CC_NEAR_GOOD || is_label(b))
    return 0;
  /* Links are no wall: articles link, and lists of links in them are
   * common; wording, repetition and layout are. */
  return b->cta > 0 || b->doc_count >= 2 || b->prefix_count >= 2 ||
         b->corpus_count >= 2 ||
         ((b->flags & CB_STAMPED) && b->wlen <= STAMPED_MAX_WORDS);
}

static int looked_past(const clean_block *b) {
  return !wall_block(b) &&
         (b->wlen == 0 || is_label(b) || b->kind == CK_HEADING);
}

static void find_article(clean_state *st) {
  /* Walls stand in for layout: a page whose reader kept its sections is
   * judged by them (a photo gallery in an article is a run of captions,
   * repeated, with "Skip ad": a wall, but a section of its own). */
  size_t wall_min = st->n_sections ? (size_t)-1 : WALL_BLOCKS;
  st->has_article = 0;
  st->start = st->end = 0;
  double best = 0;
  for (int pass = 0; pass < 2; pass++) {
    /* Pass 0 finds the best value of all parts, pass 1 the first part
     * worth FIRST_PART_SHARE of it. */
    size_t from = 0, run = 0, run_from = 0;
    for (size_t i = 0; i <= st->n_blocks; i++) {
      size_t to;
      if (i < st->n_blocks) {
        const clean_block *b = &st->blocks[i];
        if (wall_block(b)) {
          if (run++ == 0)
            run_from = i;
          continue;
        }
        if (looked_past(b))
          continue;
        int wall = run >= wall_min;
        run = 0;
        if (!wall)
          continue;
        to = run_from;              /* a part ends where a wall begins */
      } else {
        to = run >= wall_min ? run_from : i;
      }
      size_t s0 = from, e0 = from;
      double v = best_range(st, from, to, &s0, &e0);
      from = i;
      if (pass == 0 && v > best)
        best = v;
      if (pass == 1 && v > 0 && v >= FIRST_PART_SHARE * best) {
        st->start = s0;
        st->end = e0;
        for (size_t k = s0; k <= e0; k++)   /* an article has a good block */
          if (st->blocks[k].cls == CC_GOOD)
            st->has_article = 1;
        return;
      }
    }
    if (best <= 0)
      return;
  }
}

/* Blocks that belong to the article by their kind when they stand inside
 * it: list items, quotes, tables, code, images, rules. */
static int structural(const clean_block *b) {
  return b->kind == CK_ITEM || b->kind == CK_QUOTE || b->kind == CK_TABLE ||
         b->kind == CK_CODE || b->kind == CK_OTHER || b->wlen == 0 ||
         (b->flags & CB_IMAGE);
}

size_t clean_decide(clean_state *st) {
  /* 1. What the text says, runs of short lines, classes. */
  for (size_t i = 0; i < st->n_blocks; i++)
    score_text(st, &st->blocks[i]);
  weigh_runs(st);
  for (size_t i = 0; i < st->n_blocks; i++)
    st->blocks[i].cls = class_of(&st->blocks[i]);
  judge_lists(st);
  for (size_t i = 0; i < st->n_blocks; i++)
    st->blocks[i].cls = class_of(&st->blocks[i]);
  /* 2. Layout hints, judged against where the good text is. */
  weigh_layout(st);
  for (size_t i = 0; i < st->n_blocks; i++)
    st->blocks[i].cls = class_of(&st->blocks[i]);
  /* 3. Position: outside the span from the first good block to the last. */
  find_article(st);
  if (!st->has_article)
    return 0;
  for (size_t i = 0; i < st->n_blocks; i++) {
    clean_block *b = &st->blocks[i];
    if ((i < st->start || i > st->end) && b->wlen > 0) {
      weigh(b, W_OUTSIDE, "outside the article");
      b->position = W_OUTSIDE;
      b->cls = class_of(b);
    }
  }
  /* 4. The context step. */
  smooth(st);
  /* 5. What is kept. */
  size_t kept = 0;
  for (size_t i = 0; i < st->n_blocks; i++) {
    clean_block *b = &st->blocks[i];
    int inside = i >= st->start && i <= st->end;
    b->keep = b->final == CC_GOOD;
    if (inside && structural(b) && !strongly_bad(b))
      b->keep = 1;
  }
  /* After the article, chrome once met stays: what follows a share bar or
   * a comment form is not the article again. */
  int chrome = 0;
  for (size_t i = st->end + 1; i < st->n_blocks; i++) {
    clean_block *b = &st->blocks[i];
    if (b->cls == CC_BAD)
      chrome = 1;
    if (chrome && b->keep) {
      b->keep = 0;
      b->rule = "after the article, past chrome";
    }
  }
  /* Before it, the same from a barrier on: a bad block with links, a call
   * to action, a repetition, a chrome section (not only a dateline or a
   * stray template key: they sit between headline and lead), or a bad list
   * item (a menu). */
  chrome = 0;
  for (size_t i = st->start; i-- > 0;) {
    clean_block *b = &st->blocks[i];
    if (b->cls == CC_BAD && (is_barrier(b) || b->kind == CK_ITEM))
      chrome = 1;
    if (chrome && b->keep) {
      b->keep = 0;
      b->rule = "before the article, past chrome";
    }
  }
  /* Headings stay when they introduce kept text: the next block that is
   * not a heading is kept (and the heading is not strongly bad). */
  for (size_t i = st->n_blocks; i-- > 0;) {
    clean_block *b = &st->blocks[i];
    if (b->kind != CK_HEADING)
      continue;
    b->keep = 0;
    if (strongly_bad(b))
      continue;
    for (size_t j = i + 1; j < st->n_blocks; j++)
      if (st->blocks[j].kind != CK_HEADING) {
        b->keep = st->blocks[j].keep && st->blocks[j].wlen > 0;
        break;
      }
    if (!b->keep && !b->rule)
      b->rule = "heading without kept text after it";
  }
  /* The reason told: the block's worst signal when it is bad by itself,
   * else the rule or the context that removed it. */
  for (size_t i = 0; i < st->n_blocks; i++) {
    clean_block *b = &st->blocks[i];
    if (b->keep) {
      kept++;
      continue;
    }
    if (b->cls == CC_BAD && b->reason && b->reason_weight <= -1.0)
      continue;
    if (b->rule)
      b->reason = b->rule;
    else if (i < st->start || i > st->end)
      b->reason = "outside the article";
    else
      b->reason = "among chrome blocks";
  }
  return kept;
}
