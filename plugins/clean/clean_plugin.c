/* clean_plugin.c - the transform "clean": removes web-page chrome from
 * documents, finds each article's headline, and records what it removed.
 *
 * Method
 * ------
 * A document is a sequence of blocks in reading order: paragraphs,
 * headings, list items, tables, quotes, code blocks (sections, lists and
 * layout tables are walked into).  Each block is judged by signals that
 * hold on pages from any site, as jusText, boilerpipe, Readability and
 * trafilatura judge them, not by a list of one site's strings.  Its score
 * is the sum of these weights (clean_score.c names each one):
 *
 *   length           in words (CJK characters count half)    -1 .. +3
 *   stopwords        share of the language's stopwords, against the share
 *                    in the document's own prose             -1.5 .. +1.5
 *   sentence shape   final . ! ? …, two sentences or more    -0.5 .. +2
 *   link density     characters inside links / all           -1 .. -4
 *   dates and times  a line that is only a date or a time    -3
 *   call to action   subscribe, share, read more, cookies... -2 .. -3 in
 *                    blocks of up to 20 words; from 2 hits,  -1.5 each
 *                    in longer ones (one weak signal)         (to -4.5)
 *   code-like junk   "{}", "client/title.list_title"         -4
 *   repetition       twice in the document (blocks of up to  -3
 *                    160 bytes; or the same first 8 words)
 *                    in 2+ documents of a corpus of 3+        -4 / -2
 *   runs             4+ short lines without final marks      -1.5 each
 *   lists            most items bad or calling to action     -3, bad
 *   layout (HTML)    SECTION info: nav, footer, aside, form, .comments,
 *                    .share, .related, .sidebar, .cookie ...  -5
 *                    header, .meta -1; article, main, .content +1
 *                    (never on the sections holding the article's core:
 *                    the section with the most good paragraph text)
 *   position         outside the article (below)             -1
 *   copyright, byline                                         -2, -1
 *
 * The sum gives jusText's classes: bad (score <= -2 whatever its
 * neighbours, or under 0.5), short (under 10 words), near-good (0.5 to 3),
 * good (3 and more).  The article is then the range of blocks worth the
 * most (Body Text Extraction's maximum-sum range: a good block is worth its
 * words, a near-good one part of them, a bad one costs 2 plus the weight
 * of its chrome signals), sought, in text without layout, between walls of
 * 4 chrome blocks in a row, in the first part worth half the best (the
 * article comes before the comments and teasers that may outweigh it).
 * Short and near-good blocks take the class of their neighbours (jusText's
 * context step; headings, short blocks and short bad ones are looked past,
 * the edges count as bad).  Then: headings stay when the text they
 * introduce stays; list items, quotes, tables, code and images inside the
 * article stay unless strongly bad; past the article, nothing is kept
 * beyond the first chrome block after it, nor before the first chrome
 * barrier before it.  The headline rule is in clean_title.c.
 *
 * Repetition across the corpus comes from the first pass (the transform is
 * QUIRE_TRANSFORM_CORPUS): gather() counts in how many documents each
 * short block's normalized text occurs, in a table bounded by
 * max-corpus-memory (clean_corpus.c).  The language is the document's
 * "language" metadata, else the one whose stopwords (stopwords-iso, 58
 * languages) cover most of its words; when none covers enough, the
 * stopword signal is off and the others decide.  A document in which
 * nothing scores as content is kept whole, with a warning.
 *
 * Cost: the first pass reads only blocks of up to 160 bytes; the second
 * reads each block's first 160 bytes or so and scales (clean.h,
 * SAMPLE_BYTES), so long paragraphs cost little more than a copy.
 *
 * Files: clean_block.c (blocks, text, measures), clean_words.c (words,
 * lexicon, hashes, layout names), clean_lang.c (stopwords, language),
 * clean_score.c (weights, classes, the article, context), clean_title.c
 * (headline), clean_corpus.c (first pass), clean_report.c (--verbose,
 * --clean-report).
 *
 * The plugin keeps nothing outside its states but the tables the first run
 * builds (under a lock, only read after), so it is QUIRE_PLUGIN_CONCURRENT. */
#include "clean.h"

#include <stdlib.h>
#include <string.h>

static int clean_init(quire_env *env) {
  clean_shared *sh = clean_shared_new();
  if (!sh) {
    env->svc->error(env, NULL, "clean: out of memory");
    return QUIRE_FAILED;
  }
  env->plugin_data = sh;
  return QUIRE_OK;
}

static void clean_fini(quire_env *env) {
  clean_shared_free(env->plugin_data);
  env->plugin_data = NULL;
}

static void free_state(clean_state *st) {
  clean_corpus_free(&st->corpus);
  free(st->text.s);
  free(st->lower.s);
  free(st->full.s);
  free(st->words);
  free(st->blocks);
  free(st->sections);
  free(st->stack);
  free(st->rep);
  free(st->rep_count);
  free(st);
}

static int clean_open(quire_env *env, const quire_options *opts,
                      void **state) {
  const quire_services *svc = env->svc;
  clean_state *st = calloc(1, sizeof *st);
  if (st && clean_shared_ready(env->plugin_data) != QUIRE_OK) {
    free(st);
    st = NULL;
  }
  if (!st) {
    svc->error(env, NULL, "clean: out of memory");
    return QUIRE_FATAL;
  }
  st->shared = env->plugin_data;
  clean_corpus_init(&st->corpus, svc->limit(env, "max-corpus-memory"));
  const char *report = svc->option(opts, "clean-report");
  if (report &&
      jsonl_report_open(env, &st->report, "clean", report) != QUIRE_OK) {
    free_state(st);
    return QUIRE_FATAL;
  }
  *state = st;
  return QUIRE_OK;
}

static void clean_close(quire_env *env, void *state) {
  clean_state *st = state;
  jsonl_report_close(env, &st->report);
  free_state(st);
}

static int clean_gather(quire_env *env, void *state, const quire_doc *doc) {
  return clean_gather_doc(env, state, doc);
}

static int clean_gather_end(quire_env *env, void *state) {
  clean_corpus_end(env, state);
  return QUIRE_OK;
}

static int clean_apply(quire_env *env, void *state, quire_doc *doc) {
  clean_state *st = state;
  const quire_services *svc = env->svc;
  st->doc_no++;
  if (clean_collect(env, st, doc) != QUIRE_OK ||
      clean_measure(env, st, doc) != QUIRE_OK)
    return QUIRE_FATAL;
  if (st->n_blocks == 0)
    return QUIRE_OK;
  size_t kept = clean_decide(st);
  if (kept == 0) {
    quire_loc loc = {.file = svc->meta_get(doc->meta, QUIRE_META_SOURCE)};
    svc->warn(env, &loc,
              "clean: nothing in this document reads as an article; "
              "it is kept as it is");
    return QUIRE_OK;
  }
  long headline = clean_find_headline(env, st, doc);
  for (size_t i = 0; i < st->n_blocks; i++) {
    clean_block *b = &st->blocks[i];
    if (b->keep)
      continue;
    if (clean_report_block(env, st, doc, b) != QUIRE_OK)
      return QUIRE_FATAL;
    clean_remove_node(svc, doc, b->node);
  }
  /* The report is whole after each document, for a writer that takes it
   * in at the end of the run (a bundle). */
  jsonl_report_flush(&st->report);
  return clean_set_title(env, st, doc, headline);
}

static const quire_option_spec clean_options[] = {
    {"clean-report", "FILE",
     "clean: write each removed block as a JSON line (document, block, "
     "text, reason, score) to FILE",
     0},
};

static const quire_transform clean_transform = {
    .name = "clean",
    .description = "remove web-page chrome, title each article by its "
                   "headline",
    .flags = QUIRE_TRANSFORM_CORPUS,
    .open = clean_open,
    .gather = clean_gather,
    .gather_end = clean_gather_end,
    .apply = clean_apply,
    .close = clean_close,
    .options = clean_options,
    .n_options = sizeof clean_options / sizeof clean_options[0],
};

static const quire_transform *const clean_transforms[] = {&clean_transform};

static const quire_plugin clean_plugin = {
    .abi_major = QUIRE_ABI_MAJOR,
    .abi_minor = QUIRE_ABI_MINOR,
    .struct_size = sizeof(quire_plugin),
    .name = "clean",
    .version = "0.2.0",
    .flags = QUIRE_PLUGIN_CONCURRENT,
    .transforms = clean_transforms,
    .n_transforms = sizeof clean_transforms / sizeof clean_transforms[0],
    .init = clean_init,
    .fini = clean_fini,
};

QUIRE_EXPORT const quire_plugin *QUIRE_PLUGIN_ENTRY(void) {
  return &clean_plugin;
}
