/* clean_block.c - a document's blocks, their text and their measures.
 *
 * The walk goes into sections and lists and stops at each block: a
 * paragraph, a heading, a list item, a table, a block quote, a code block.
 * It keeps no recursion (parent links lead back up) and a stack of one int
 * per open container, so a deep tree costs no C stack.  Each block's plain
 * text is copied once into st->text (whitespace collapsed), and the words
 * are split from it once (clean_words.c). */
#include "clean.h"

#include <stdlib.h>
#include <string.h>

/* A table whose cells hold this much text is the layout of a page (old
 * pages put their header, article and sidebar in cells), not data: its
 * cells are judged one by one. */
#define LAYOUT_CELL_BYTES 400

static int layout_table(quire_env *env, const quire_node *table) {
  const quire_services *svc = env->svc;
  quire_iter it;
  size_t cell = 0;
  svc->iter_init(&it, table);
  quire_event ev;
  while ((ev = svc->iter_next(&it)) != QUIRE_EV_DONE) {
    const quire_node *n = it.node;
    if (n->type == QUIRE_NODE_TABLE_CELL)
      cell = 0;
    else if (n->type == QUIRE_NODE_TEXT && (cell += n->len) > LAYOUT_CELL_BYTES)
      return 1;
  }
  return 0;
}

/* Whether the walk goes into a node rather than judge it whole: sections,
 * divs, lists, layout tables and their row groups and rows. */
static int is_walked(quire_env *env, const quire_node *n) {
  switch (n->type) {
  case QUIRE_NODE_SECTION:
  case QUIRE_NODE_DIV:
  case QUIRE_NODE_BULLET_LIST:
  case QUIRE_NODE_ORDERED_LIST:
  case QUIRE_NODE_TABLE_HEAD:   /* these three and rows are met only */
  case QUIRE_NODE_TABLE_BODY:   /* inside a layout table */
  case QUIRE_NODE_TABLE_FOOT:
  case QUIRE_NODE_TABLE_ROW:
    return 1;
  case QUIRE_NODE_TABLE:
    return layout_table(env, n);
  default:
    return 0;
  }
}

static clean_kind kind_of(quire_node_type t) {
  switch (t) {
  case QUIRE_NODE_PARAGRAPH:
  case QUIRE_NODE_LINE_BLOCK:
  case QUIRE_NODE_TABLE_CELL:   /* a cell of a layout table */
    return CK_PARA;
  case QUIRE_NODE_HEADING:
    return CK_HEADING;
  case QUIRE_NODE_ITEM:
    return CK_ITEM;
  case QUIRE_NODE_TABLE:
    return CK_TABLE;
  case QUIRE_NODE_BLOCK_QUOTE:
    return CK_QUOTE;
  case QUIRE_NODE_CODE_BLOCK:
    return CK_CODE;
  default:
    return CK_OTHER;
  }
}

/* Appends text with its whitespace collapsed to single spaces; *space says
 * a space is owed before the next visible character (none at the start of
 * a block).  One reservation, then a byte loop. */
static int put_text(clean_buf *buf, const char *s, size_t n, int *space) {
  if (clean_buf_reserve(buf, n + 1) != QUIRE_OK)
    return QUIRE_FATAL;
  char *out = buf->s + buf->len;
  /* Whether the block has text yet: the previous byte is not the NUL
   * that ends the previous block. */
  int started = buf->len > 0 && out[-1] != 0;
  int owed = *space;
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c > ' ') {
      if (owed) {
        if (started)
          *out++ = ' ';
        owed = 0;
      }
      started = 1;
      *out++ = (char)c;
    } else if (c == ' ' || c == '\n' || c == '\t' || c == '\r' ||
               c == '\f' || c == '\v') {
      owed = 1;
    } else {   /* another control character: kept */
      if (owed && started)
        *out++ = ' ';
      owed = 0;
      started = 1;
      *out++ = (char)c;
    }
  }
  buf->len = (size_t)(out - buf->s);
  buf->s[buf->len] = 0;
  *space = owed;
  return QUIRE_OK;
}

/* Characters of s[0..n) that are not spaces (UTF-8 lead bytes). */
static unsigned visible_chars(const char *s, size_t n) {
  unsigned c = 0;
  for (size_t i = 0; i < n; i++) {
    unsigned char b = (unsigned char)s[i];
    if ((b & 0xC0) != 0x80 && b != ' ' && b != '\n' && b != '\t' && b != '\r')
      c++;
  }
  return c;
}

/* Where a block's text goes: copied into a buffer (whitespace collapsed),
 * up to `limit` bytes when limit is not 0 (the sample of a long block:
 * past it only the bytes are counted and the last piece of text kept, for
 * the block's last characters); or only counted (count_only: the first
 * pass looks at short blocks only). */
typedef struct text_sink {
  clean_state *st;
  clean_buf *out;
  int count_only;
  size_t limit;
  size_t start;             /* where the block's text starts in out */
  size_t bytes;             /* text bytes seen, as they are */
  int space;                /* a space is owed before the next text */
  int cut;                  /* the copy stopped at limit */
  const char *tail;         /* past the limit: the last piece of text */
  size_t tail_len;
} text_sink;

static int sink_text(text_sink *k, const char *s, size_t n) {
  k->bytes += n;
  if (k->count_only)
    return k->bytes > CORPUS_MAX_BYTES ? QUIRE_DONE : QUIRE_OK;
  if (k->cut) {
    k->tail = s;
    k->tail_len = n;
    return QUIRE_OK;
  }
  /* Raw bytes never collapse to more: a little over what the limit
   * leaves is enough to copy. */
  size_t m = n;
  if (k->limit) {
    size_t have = k->out->len - k->start;
    size_t room = have < k->limit ? k->limit - have + 8 : 8;
    if (m > room)
      m = room;
  }
  if (put_text(k->out, s, m, &k->space) != QUIRE_OK)
    return QUIRE_FATAL;
  if (k->limit && (k->out->len - k->start > k->limit || m < n)) {
    /* Cut at the last space before the limit. */
    char *t = k->out->s + k->start;
    size_t have = k->out->len - k->start;
    size_t end = have < k->limit ? have : k->limit;
    size_t cut = end;
    while (cut > 0 && t[cut] != ' ')
      cut--;
    /* No space late enough (scripts written without spaces): at the
     * limit, on a character boundary. */
    if (cut < end / 2) {
      cut = end;
      while (cut > 0 && ((unsigned char)t[cut] & 0xC0) == 0x80)
        cut--;
    }
    k->out->len = k->start + cut;
    k->out->s[k->out->len] = 0;
    k->cut = 1;
    k->tail = s;
    k->tail_len = n;
  }
  return QUIRE_OK;
}

/* The plain text of a block (node and its inlines): text and code, links
 * counted apart (into b when given); images' alternative text and raw
 * markup left out.  QUIRE_OK, QUIRE_DONE (hashing stopped) or
 * QUIRE_FATAL. */
static int block_text(quire_env *env, const quire_node *node, text_sink *k,
                      clean_block *b) {
  const quire_services *svc = env->svc;
  if (node->type == QUIRE_NODE_CODE_BLOCK)
    return node->text ? sink_text(k, node->text, node->len) : QUIRE_OK;
  quire_iter it;
  int in_link = 0, in_image = 0, rc;
  svc->iter_init(&it, node);
  quire_event ev;
  while ((ev = svc->iter_next(&it)) != QUIRE_EV_DONE) {
    const quire_node *n = it.node;
    int enter = ev == QUIRE_EV_ENTER;
    switch (n->type) {
    case QUIRE_NODE_LINK:
      in_link += enter ? 1 : -1;
      break;
    case QUIRE_NODE_IMAGE:
      if (enter && b)
        b->flags |= CB_IMAGE;
      if (!svc->node_is_leaf(n->type))
        in_image += enter ? 1 : -1;
      break;
    case QUIRE_NODE_TEXT:
    case QUIRE_NODE_CODE:
    case QUIRE_NODE_CODE_BLOCK:
      if (!in_image && n->text) {
        if ((rc = sink_text(k, n->text, n->len)) != QUIRE_OK)
          return rc;
        if (in_link && b)
          b->link_chars += visible_chars(n->text, n->len);
      }
      break;
    case QUIRE_NODE_SOFT_BREAK:
    case QUIRE_NODE_LINE_BREAK:
      k->space = 1;
      break;
    case QUIRE_NODE_RAW_INLINE:
    case QUIRE_NODE_RAW_BLOCK:
      break;
    default:
      /* Between the blocks inside a block (cells, an item's paragraphs). */
      if (!svc->node_is_inline(n->type))
        k->space = 1;
      break;
    }
  }
  return QUIRE_OK;
}

static int add_section(clean_state *st, int parent, const char *info) {
  if (st->n_sections == st->cap_sections) {
    size_t cap = st->cap_sections ? st->cap_sections * 2 : 32;
    clean_section *s = realloc(st->sections, cap * sizeof *s);
    if (!s)
      return -2;
    st->sections = s;
    st->cap_sections = cap;
  }
  clean_section *s = &st->sections[st->n_sections];
  *s = (clean_section){.parent = parent,
                       .hint = clean_layout_hint(info),
                       .info = info};
  return (int)st->n_sections++;
}

static int add_block(quire_env *env, clean_state *st, quire_node *node,
                     int section) {
  if (st->n_blocks == st->cap_blocks) {
    size_t cap = st->cap_blocks ? st->cap_blocks * 2 : 128;
    clean_block *b = realloc(st->blocks, cap * sizeof *b);
    if (!b)
      return QUIRE_FATAL;
    st->blocks = b;
    st->cap_blocks = cap;
  }
  clean_block *b = &st->blocks[st->n_blocks];
  *b = (clean_block){.node = node,
                     .kind = kind_of(node->type),
                     .level = node->level,
                     .index = (unsigned)st->n_blocks + 1,
                     .section = section,
                     .text = st->text.len};
  text_sink k = {.st = st, .out = &st->text, .limit = SAMPLE_BYTES,
                 .start = st->text.len};
  if (block_text(env, node, &k, b) != QUIRE_OK)
    return QUIRE_FATAL;
  b->len = st->text.len - b->text;
  b->raw_len = k.bytes;
  if (k.cut) {
    b->sampled = 1;
    clean_last_chars(k.tail, k.tail_len, &b->last, &b->before_last);
  }
  /* Each block's text ends with a NUL, for messages and the report. */
  if (clean_buf_put(&st->text, "\0", 1) != QUIRE_OK)
    return QUIRE_FATAL;
  if (clean_words_scan(st, b, 0) != QUIRE_OK)
    return QUIRE_FATAL;
  st->n_blocks++;
  return QUIRE_OK;
}

/* Calls fn for each block of doc, in reading order, with the index of its
 * innermost section (-1: none); sections are recorded in st->sections. */
typedef int (*unit_fn)(quire_env *env, clean_state *st, quire_node *node,
                       int section);

static int walk_blocks(quire_env *env, clean_state *st, quire_doc *doc,
                       unit_fn fn) {
  st->n_sections = 0;
  const quire_node *root = doc->root;
  quire_node *n = root->first_child;
  size_t depth = 0;
  int cur = -1;
  while (n) {
    int walked = is_walked(env, n);
    if (walked && n->first_child) {
      if (depth == st->cap_stack) {
        size_t cap = st->cap_stack ? st->cap_stack * 2 : 64;
        int *s = realloc(st->stack, cap * sizeof *s);
        if (!s)
          return QUIRE_FATAL;
        st->stack = s;
        st->cap_stack = cap;
      }
      st->stack[depth++] = cur;
      if (n->type == QUIRE_NODE_SECTION &&
          (cur = add_section(st, cur, n->info)) == -2)
        return QUIRE_FATAL;
      n = n->first_child;
      continue;
    }
    if (!walked && fn(env, st, n, cur) != QUIRE_OK)
      return QUIRE_FATAL;
    /* The next node: a sibling, or the sibling of the nearest ancestor
     * that has one. */
    while (!n->next) {
      n = n->parent;
      if (!n || n == root)
        return QUIRE_OK;
      cur = st->stack[--depth];
    }
    n = n->next;
  }
  return QUIRE_OK;
}

int clean_collect(quire_env *env, clean_state *st, quire_doc *doc) {
  st->doc = doc;
  st->text.len = 0;
  st->lower.len = 0;
  st->n_words = 0;
  st->n_blocks = 0;
  if (walk_blocks(env, st, doc, add_block) != QUIRE_OK) {
    env->svc->error(env, NULL, "clean: out of memory");
    return QUIRE_FATAL;
  }
  return QUIRE_OK;
}

/* The first pass: each short block's normalized hash, counted in the
 * corpus table.  Longer blocks (by the bytes of their text nodes) are not
 * read at all. */
static int gather_block(quire_env *env, clean_state *st, quire_node *node,
                        int section) {
  (void)section;
  text_sink count = {.st = st, .count_only = 1};
  int rc = block_text(env, node, &count, NULL);
  if (rc == QUIRE_FATAL)
    return rc;
  if (rc == QUIRE_DONE || count.bytes == 0)
    return QUIRE_OK;
  /* The same text, words and hash as the second pass will have. */
  clean_block b = {.node = node, .kind = kind_of(node->type),
                   .text = st->text.len};
  text_sink copy = {.st = st, .out = &st->text, .start = st->text.len};
  if (block_text(env, node, &copy, NULL) != QUIRE_OK)
    return QUIRE_FATAL;
  b.len = st->text.len - b.text;
  if (clean_buf_put(&st->text, "\0", 1) != QUIRE_OK ||
      clean_words_scan(st, &b, 1) != QUIRE_OK)
    return QUIRE_FATAL;
  return b.hash ? clean_corpus_add(env, &st->corpus, b.hash) : QUIRE_OK;
}

int clean_gather_doc(quire_env *env, clean_state *st, const quire_doc *doc) {
  clean_corpus_next_doc(&st->corpus);
  st->text.len = 0;
  st->lower.len = 0;
  st->n_words = 0;
  /* walk_blocks only reads the tree. */
  if (walk_blocks(env, st, (quire_doc *)doc, gather_block) != QUIRE_OK) {
    env->svc->error(env, NULL, "clean: out of memory");
    return QUIRE_FATAL;
  }
  return QUIRE_OK;
}

int clean_full_text(quire_env *env, clean_state *st, const clean_block *b,
                    const char **text, size_t *len) {
  if (!b->sampled) {
    *text = clean_block_text(st, b);
    *len = b->len;
    return QUIRE_OK;
  }
  /* The node is read again, whole, into a buffer of its own. */
  st->full.len = 0;
  text_sink k = {.st = st, .out = &st->full};
  if (block_text(env, b->node, &k, NULL) != QUIRE_OK ||
      clean_buf_reserve(&st->full, 0) != QUIRE_OK) {
    env->svc->error(env, NULL, "clean: out of memory");
    return QUIRE_FATAL;
  }
  st->full.s[st->full.len] = 0;
  *text = st->full.s;
  *len = st->full.len;
  return QUIRE_OK;
}

/* ---- Measures of the whole document --------------------------------------- */

/* Blocks this long (in words) count as prose for the reference density. */
#define PROSE_WORDS 20

#define LANG_SAMPLE 3000

/* The language whose stopwords the document is measured by: its own
 * (*from_meta set), unless its stopwords hardly occur; else the guess
 * from the stopwords of every list; -1 when none fits. */
static int choose_language(quire_env *env, clean_state *st,
                           const quire_doc *doc, int *from_meta) {
  *from_meta = 0;
  unsigned counts[CLEAN_MAX_LANGS] = {0};
  unsigned total = 0;
  /* A sample of the document's first words is plenty to tell. */
  for (size_t i = 0; i < st->n_words && total < LANG_SAMPLE; i++) {
    const clean_word *w = &st->words[i];
    if (!(w->flags & CW_ALPHA))
      continue;
    total++;
    for (uint64_t m = w->stop; m; m &= m - 1)
      counts[__builtin_ctzll(m)]++;
  }
  int guess = clean_lang_guess(counts, total);
  /* The document's own language, unless its stopwords hardly occur (a
   * page marked "en" that is in French): then the guess. */
  int meta = clean_lang_find(env->svc->meta_get(doc->meta,
                                                QUIRE_META_LANGUAGE));
  if (meta >= 0 && total > 0 &&
      (double)counts[meta] / total >= CLEAN_LANG_MIN_SHARE / 2) {
    *from_meta = 1;
    return meta;
  }
  return guess;
}

/* The repetition table of one document: open addressing over hashes, the
 * prefix hashes told apart from full ones by a constant. */
#define PREFIX_SALT 0x9e3779b97f4a7c15ull

static uint32_t *rep_slot(clean_state *st, uint64_t h) {
  size_t mask = st->cap_rep - 1;
  size_t i = (size_t)(h ^ (h >> 29)) & mask;
  while (st->rep[i] && st->rep[i] != h)
    i = (i + 1) & mask;
  st->rep[i] = h;
  return &st->rep_count[i];
}

int clean_measure(quire_env *env, clean_state *st, const quire_doc *doc) {
  int from_meta;
  st->lang = choose_language(env, st, doc, &from_meta);
  quire_loc loc = {.file = env->svc->meta_get(doc->meta, QUIRE_META_SOURCE)};
  if (st->lang >= 0)
    env->svc->info(env, &loc, "clean: the stopwords of %s (%s)",
                   clean_stoplists[st->lang].code,
                   from_meta ? "the document's language"
                             : "guessed from the words");
  else
    env->svc->info(env, &loc, "clean: no stopword list fits the words; "
                              "blocks are judged without one");
  uint64_t bit = st->lang >= 0 ? (uint64_t)1 << st->lang : 0;
  unsigned long prose_words = 0, prose_stops = 0, all_words = 0,
                all_stops = 0;
  for (size_t i = 0; i < st->n_blocks; i++) {
    clean_block *b = &st->blocks[i];
    unsigned stops = 0;
    for (size_t k = 0; k < b->nwords; k++)
      if (st->words[b->word0 + k].stop & bit)
        stops++;
    b->stops = stops;
    all_words += b->nwords;
    all_stops += stops;
    if (b->wlen >= PROSE_WORDS && b->kind != CK_CODE) {
      prose_words += b->nwords;
      prose_stops += stops;
    }
  }
  /* The reference: the stopword share of the document's prose.  Lists
   * differ in length (English has 1300 words, Ukrainian 73), so a block's
   * share is judged against this, not against a fixed figure. */
  if (prose_words >= 40)
    st->ref_density = (double)prose_stops / prose_words;
  else if (all_words > 0)
    st->ref_density = (double)all_stops / all_words;
  else
    st->ref_density = 0;
  if (st->ref_density < 0.05)
    st->lang = -1;

  /* Repetitions within the document. */
  size_t need = 16;
  while (need < st->n_blocks * 4)
    need *= 2;
  if (need > st->cap_rep) {
    free(st->rep);
    free(st->rep_count);
    st->rep = malloc(need * sizeof *st->rep);
    st->rep_count = malloc(need * sizeof *st->rep_count);
    st->cap_rep = st->rep && st->rep_count ? need : 0;
    if (!st->cap_rep) {
      env->svc->error(env, NULL, "clean: out of memory");
      return QUIRE_FATAL;
    }
  }
  size_t cap = st->cap_rep;
  st->cap_rep = need;  /* use only what this document needs */
  memset(st->rep, 0, need * sizeof *st->rep);
  memset(st->rep_count, 0, need * sizeof *st->rep_count);
  for (size_t i = 0; i < st->n_blocks; i++) {
    clean_block *b = &st->blocks[i];
    if (b->hash)
      (*rep_slot(st, b->hash))++;
    if (b->prefix)
      (*rep_slot(st, b->prefix ^ PREFIX_SALT))++;
  }
  for (size_t i = 0; i < st->n_blocks; i++) {
    clean_block *b = &st->blocks[i];
    b->doc_count = b->hash ? *rep_slot(st, b->hash) : 0;
    b->prefix_count = b->prefix ? *rep_slot(st, b->prefix ^ PREFIX_SALT) : 0;
    b->corpus_count = b->hash ? clean_corpus_count(&st->corpus, b->hash) : 0;
  }
  st->cap_rep = cap;
  return QUIRE_OK;
}

/* Unlinks a block's node, and the lists, sections, divs and layout tables
 * it leaves empty. */
void clean_remove_node(const quire_services *svc, quire_doc *doc,
                        quire_node *n) {
  quire_node *p = n->parent;
  svc->node_unlink(n);
  while (p && p != doc->root && !p->first_child &&
         (p->type == QUIRE_NODE_SECTION || p->type == QUIRE_NODE_DIV ||
          p->type == QUIRE_NODE_BULLET_LIST ||
          p->type == QUIRE_NODE_ORDERED_LIST || p->type == QUIRE_NODE_TABLE ||
          p->type == QUIRE_NODE_TABLE_HEAD || p->type == QUIRE_NODE_TABLE_BODY ||
          p->type == QUIRE_NODE_TABLE_FOOT || p->type == QUIRE_NODE_TABLE_ROW)) {
    quire_node *up = p->parent;
    svc->node_unlink(p);
    p = up;
  }
}

