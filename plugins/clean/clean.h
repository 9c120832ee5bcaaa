/* clean.h - the clean transform's parts, as they see each other.
 *
 * One run of the transform has one clean_state (from open to close).  Its
 * buffers (text, words, blocks, sections) are reused from document to
 * document, so a document costs no allocation once the buffers have grown
 * to the largest document's size; only the corpus table (clean_corpus.c)
 * lives across documents, within the limit max-corpus-memory. */
#ifndef QUIRE_CLEAN_H
#define QUIRE_CLEAN_H

#include <quire/plugin.h>

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>

#include "clean_lang.h"
#include "jsonl_report.h"

/* ---- Blocks ---------------------------------------------------------------
 * A block is what is kept or removed whole: a paragraph, a heading, a list
 * item, a table, a block quote, a code block.  Sections and lists are
 * walked into; their blocks are judged one by one. */

typedef enum clean_kind {
  CK_PARA,
  CK_HEADING,
  CK_ITEM,
  CK_TABLE,
  CK_QUOTE,
  CK_CODE,
  CK_OTHER          /* a block type this plugin does not know, or a break */
} clean_kind;

/* What a block's text looks like (clean_block.flags). */
enum {
  CB_TERMINAL = 1 << 0,   /* ends like a sentence: . ! ? … (or a quote) */
  CB_COLON = 1 << 1,      /* ends with ':' (introduces what follows) */
  CB_DATE = 1 << 2,       /* a date, a clock time, "2 hours ago" */
  CB_CODE = 1 << 3,       /* code-like junk: "{}", "client/title.list" */
  CB_IMAGE = 1 << 4,      /* holds an image */
  CB_BYLINE = 1 << 5,     /* starts like a byline: "By ...", "Par ..." */
  CB_COPYRIGHT = 1 << 6,  /* holds a © */
  CB_QUESTION = 1 << 7,   /* ends with '?' */
  CB_STAMPED = 1 << 8     /* led by a clock time: "14:44 Storm hits ..." */
};

/* The classes of jusText (good, near-good, short, bad). */
typedef enum clean_class {
  CC_BAD = 0,
  CC_SHORT,
  CC_NEAR_GOOD,
  CC_GOOD
} clean_class;

typedef struct clean_block {
  quire_node *node;         /* removed (unlinked) when the block is chrome */
  clean_kind kind;
  int level;                /* headings: 1-6 */
  unsigned index;           /* in reading order, from 1 */
  int section;              /* innermost layout section, -1: none */
  size_t text, len;         /* plain text: st->text.s + text, len bytes;
                               of a long block only its first
                               SAMPLE_BYTES or so (clean_full_text) */
  size_t raw_len;           /* bytes of its text nodes, all of them */
  int sampled;              /* the text is a sample */
  int32_t last, before_last;/* of a sample: the block's last two
                               characters that are not spaces */
  size_t word0, nwords;     /* its words: st->words[word0 .. +nwords) */
  unsigned chars;           /* characters, spaces left out */
  unsigned link_chars;      /* characters inside links */
  unsigned wlen;            /* length in words (counting CJK by characters) */
  unsigned stops;           /* stopwords of the document's language */
  unsigned sentences;
  unsigned caps;            /* words that start with a capital letter */
  unsigned alpha_words;     /* words that hold a letter */
  unsigned dateish;         /* words that are dates, times or numbers */
  unsigned cta;             /* call-to-action phrases found */
  unsigned flags;           /* CB_* */
  int relative_time;        /* "ago", "hours", "il y a": a relative date */
  uint64_t hash;            /* the normalized text */
  uint64_t prefix;          /* its first words, 0 when it has few */
  unsigned doc_count;       /* blocks of this document with that text */
  unsigned prefix_count;    /* blocks of this document with that prefix */
  unsigned corpus_count;    /* documents of the corpus with that text */
  int hint;                 /* layout: CLEAN_HINT_*, from its sections */
  const char *hint_name;    /* the section's info, for the reason */
  double score;
  double position;          /* the part of the score due to position */
  double chrome;            /* the weight of its chrome signals (> 0) */
  int barrier;              /* a chrome signal the article stops at */
  int in_bad_list;          /* in a list whose items are mostly bad */
  clean_class cls;          /* from the score */
  clean_class final;        /* after the context step */
  int keep;
  int hard;                 /* chrome by a signal no context overrides */
  const char *reason;       /* why it goes (static) */
  double reason_weight;     /* the weight of that reason */
  const char *rule;         /* or the rule that removed it (static) */
} clean_block;

/* Layout hints of sections (clean_section.hint). */
enum {
  CLEAN_HINT_NONE = 0,
  CLEAN_HINT_CONTENT = 1,   /* article, main, .content, .post, .entry */
  CLEAN_HINT_WEAK = -1,     /* header, .meta: often chrome, may hold the
                               headline */
  CLEAN_HINT_CHROME = -2    /* nav, footer, aside, form, .comments,
                               .share, .related, .sidebar, .cookie ... */
};

typedef struct clean_section {
  int parent;               /* index, -1 for the document */
  int hint;                 /* its own hint, CLEAN_HINT_* */
  const char *info;         /* "footer .comments": in the document */
  double good;              /* good text inside it (its own blocks) */
  int ignored;              /* a chrome hint on what holds the article */
} clean_section;

/* One word of the document. */
typedef struct clean_word {
  uint64_t stop;            /* the languages listing it as a stopword */
  uint64_t hash;            /* of its lower-case form (clean_word_hash) */
  uint32_t off;             /* its lower-case form: st->lower.s + off */
  uint16_t len;
  uint8_t flags;            /* CW_* */
} clean_word;

enum {
  CW_CAP = 1,               /* starts with a capital letter */
  CW_NUM = 2,               /* digits only */
  CW_ALPHA = 4,             /* holds a letter */
  CW_DATE = 8,              /* a month, a weekday, a unit of time */
  CW_AGO = 16,              /* "ago", "il y a", "vor", "назад" */
  CW_DIGITS = 32            /* holds a digit */
};

typedef struct clean_buf {
  char *s;
  size_t len, cap;
} clean_buf;

/* ---- The corpus table (clean_corpus.c) ----------------------------------- */

typedef struct clean_corpus_slot {
  uint64_t hash;            /* 0: empty */
  uint32_t docs;            /* documents holding the text */
  uint32_t last_doc;        /* the last document counted, from 1 */
} clean_corpus_slot;

typedef struct clean_corpus {
  clean_corpus_slot *slots;
  size_t mask;              /* slots - 1, a power of two minus one */
  size_t used;
  uint64_t limit;           /* bytes the table may take */
  unsigned full;            /* the document at which it stopped adding */
  unsigned docs;            /* documents gathered */
} clean_corpus;

/* ---- The run's state ------------------------------------------------------- */

/* What every run shares (the plugin's data): the stopword index and the
 * lexicon's index, built by the first run that needs them, not at load,
 * so that loading the plugins (quire --list-formats, any conversion
 * without --clean) does not pay for them; only read after. */
typedef struct clean_lexindex clean_lexindex;
typedef struct clean_shared {
  pthread_mutex_t lock;     /* runs on several threads may open at once */
  int built;
  clean_stopindex *stop;
  clean_lexindex *lex;
} clean_shared;

/* Makes, readies (builds the tables once; QUIRE_OK or QUIRE_ERR when
 * memory is exhausted) and frees the shared tables (clean_words.c). */
clean_shared *clean_shared_new(void);
int clean_shared_ready(clean_shared *sh);
void clean_shared_free(clean_shared *sh);

typedef struct clean_state {
  const clean_shared *shared;
  jsonl_report report;      /* --clean-report FILE */
  clean_corpus corpus;
  unsigned long doc_no;     /* documents applied so far */

  /* Per document, reused. */
  quire_doc *doc;
  clean_buf text;           /* the blocks' plain text, one after another */
  clean_buf lower;          /* the words, lower-case, one after another */
  clean_buf full;           /* one long block's whole text, when asked */
  clean_word *words;
  size_t n_words, cap_words;
  clean_block *blocks;
  size_t n_blocks, cap_blocks;
  clean_section *sections;
  size_t n_sections, cap_sections;
  int *stack;               /* the section of each open container */
  size_t cap_stack;
  uint64_t *rep;            /* the repetition table of one document */
  uint32_t *rep_count;
  size_t cap_rep;
  int lang;                 /* clean_stoplists index, -1: signal off */
  double ref_density;       /* stopword share of the document's prose */
  size_t start, end;        /* the article: first and last long good block */
  int has_article;
} clean_state;

/* ---- clean_block.c: collecting blocks and their features ------------------ */

/* Collects doc's blocks, their text, words and features into st.
 * QUIRE_OK or QUIRE_FATAL (memory; the message is set). */
int clean_collect(quire_env *env, clean_state *st, quire_doc *doc);

/* The first pass over one document: its blocks' hashes into the corpus
 * table.  QUIRE_OK or QUIRE_FATAL (message set). */
int clean_gather_doc(quire_env *env, clean_state *st, const quire_doc *doc);

/* The document's language and stopword counts; the repetitions within the
 * document and across the corpus (after clean_collect). */
int clean_measure(quire_env *env, clean_state *st, const quire_doc *doc);

/* The plain text of a block, and of a buffer. */
static inline const char *clean_block_text(const clean_state *st,
                                           const clean_block *b) {
  return st->text.s + b->text;
}

int clean_buf_put(clean_buf *b, const char *s, size_t n);

/* A long block is read in full only up to about SAMPLE_BYTES bytes: its
 * words, stopwords and sentences are measured on that sample and its
 * length scaled from it (a block that long is judged by its length and its
 * share of stopwords, which a sample tells as well as the whole).  This
 * keeps the cost of the long paragraphs that make most of a corpus low. */
#define SAMPLE_BYTES 160

/* The whole text of a block (read again from its node when b->text is a
 * sample), valid until the next call.  QUIRE_OK or QUIRE_FATAL. */
int clean_full_text(quire_env *env, clean_state *st, const clean_block *b,
                    const char **text, size_t *len);

/* The last two characters of s[0..n) that are not spaces, 0 when none. */
void clean_last_chars(const char *s, size_t n, int32_t *last,
                      int32_t *before);
/* Makes room for n more bytes and a NUL. */
int clean_buf_reserve(clean_buf *b, size_t n);

/* Unlinks a block's node, and the lists, sections and layout tables it
 * leaves empty. */
void clean_remove_node(const quire_services *svc, quire_doc *doc,
                       quire_node *n);

/* ---- clean_words.c: words and what they say ------------------------------ */

/* Splits block b's text into words (st->words, st->lower) and sets its
 * word features: counts, flags, call-to-action phrases, hashes.  With
 * `light`, only the words and the hashes (the first pass). */
int clean_words_scan(clean_state *st, clean_block *b, int light);

/* The normalized hash of a string, as blocks are hashed (see
 * clean_words.c), and its number of words: for the title's comparisons. */
uint64_t clean_text_hash(clean_state *st, const char *s, size_t n,
                         unsigned *words);

/* A block's prefix is its first PREFIX_WORDS words; only blocks of at
 * least PREFIX_MIN words have one (near-repetitions: the same sentence
 * with another site name at its end). */
#define PREFIX_WORDS 8
#define PREFIX_MIN 10

/* Repetition (within the document and across the corpus) is judged for
 * blocks of at most this many words and bytes: longer ones are prose,
 * whatever repeats them, and hashing them whole would cost both passes
 * much of their time.  The first pass and the second hash the same text
 * the same way, so a block counted in one is found in the other. */
#define CORPUS_MAX_WORDS 60
#define CORPUS_MAX_BYTES SAMPLE_BYTES

/* The layout hint of a SECTION's info ("footer .comments #c"). */
int clean_layout_hint(const char *info);

/* ---- clean_score.c: classification, context, decisions -------------------- */

/* Scores and classifies the blocks, smooths the classes with their
 * neighbours, and decides what to keep (b->keep).  Returns the number of
 * blocks kept as content. */
size_t clean_decide(clean_state *st);

/* ---- clean_title.c -------------------------------------------------------- */

/* Finds the headline among the blocks (marking it kept), and returns its
 * index, or -1.  Before the blocks are removed. */
long clean_find_headline(quire_env *env, clean_state *st, quire_doc *doc);

/* After removal: makes the headline the first block, a level-1 heading,
 * removes its repetition, and sets the title metadata (or the first
 * sentence when there is no headline). */
int clean_set_title(quire_env *env, clean_state *st, quire_doc *doc,
                    long headline);

/* Whether `title` is the stem of the file name in `source`. */
int clean_title_is_file_stem(const char *title, const char *source);

/* ---- clean_corpus.c ------------------------------------------------------- */

void clean_corpus_init(clean_corpus *c, uint64_t limit);
void clean_corpus_free(clean_corpus *c);
/* Starts counting one more document, then counts its blocks' texts (each
 * text once per document). */
void clean_corpus_next_doc(clean_corpus *c);
int clean_corpus_add(quire_env *env, clean_corpus *c, uint64_t hash);
/* At the end of the first pass: says when the table filled up. */
void clean_corpus_end(quire_env *env, clean_state *st);
/* The number of documents holding a text. */
unsigned clean_corpus_count(const clean_corpus *c, uint64_t hash);

/* ---- clean_report.c ------------------------------------------------------- */

/* Reports one removed block (verbose note and JSON line). */
int clean_report_block(quire_env *env, clean_state *st, const quire_doc *doc,
                       const clean_block *b);

#endif
