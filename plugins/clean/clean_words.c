/* clean_words.c - words, and what a block's words and characters say.
 *
 * One pass over a block's UTF-8 text (utf8proc) gives its words, lower-case
 * (utf8proc_tolower), each looked up once in the stopword index, and the
 * block's character-level features: its length, how it ends, how many
 * sentences it holds, whether it looks like code, its normalized hash.
 * A second, short pass over the words of short and middle-sized blocks
 * finds the lexicon's phrases: call-to-action wording, dates and bylines.
 *
 * The lexicon is general web vocabulary in the languages the stopword
 * signal must cover, not phrases of any one site; it is one weak signal
 * among many (see clean_score.c for its weight). */
#include "clean.h"

#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

/* ---- The lexicon ----------------------------------------------------------- */

enum {
  LX_CTA = 1,     /* call to action, site furniture */
  LX_DATE,        /* month, weekday, unit of time */
  LX_AGO,         /* marks a relative date */
  LX_BYLINE       /* starts a byline, at the start of a block only */
};

/* Phrases are lower-case words separated by single spaces, as the
 * tokenizer gives them (it splits at hyphens and keeps apostrophes as ').
 * A word ending in '*' matches every word it begins. */
static const struct {
  const char *phrase;
  unsigned char what;
} lexicon[] = {
    /* Subscriptions, accounts. */
    {"subscrib*", LX_CTA}, {"newsletter*", LX_CTA}, {"sign up", LX_CTA},
    {"signup", LX_CTA}, {"sign in", LX_CTA}, {"log in", LX_CTA},
    {"login", LX_CTA}, {"logged in", LX_CTA}, {"log out", LX_CTA},
    {"register", LX_CTA}, {"create an account", LX_CTA},
    {"abonnez", LX_CTA}, {"abonner", LX_CTA}, {"abonnement*", LX_CTA},
    {"inscrivez", LX_CTA}, {"connexion", LX_CTA}, {"se connecter", LX_CTA},
    {"abonnieren", LX_CTA}, {"abonniere*", LX_CTA}, {"anmelden", LX_CTA},
    {"einloggen", LX_CTA}, {"suscríbete", LX_CTA}, {"suscribirse", LX_CTA},
    {"suscripción", LX_CTA}, {"regístrate", LX_CTA},
    {"iniciar sesión", LX_CTA}, {"iscriviti", LX_CTA}, {"accedi", LX_CTA},
    {"abbonati", LX_CTA}, {"assine", LX_CTA}, {"inscreva", LX_CTA},
    {"cadastre", LX_CTA}, {"abonneer", LX_CTA}, {"inloggen", LX_CTA},
    {"aanmelden", LX_CTA}, {"подпишитесь", LX_CTA}, {"подписаться", LX_CTA},
    {"войти", LX_CTA}, {"регистрация", LX_CTA}, {"підпишіться", LX_CTA},
    {"підписатися", LX_CTA}, {"увійти", LX_CTA}, {"реєстрація", LX_CTA},
    /* Sharing, following. */
    {"share this", LX_CTA}, {"share on", LX_CTA}, {"share via", LX_CTA},
    {"share article", LX_CTA}, {"share story", LX_CTA}, {"follow us", LX_CTA},
    {"partager", LX_CTA}, {"partagez", LX_CTA}, {"suivez nous", LX_CTA},
    {"teilen", LX_CTA}, {"folgen sie uns", LX_CTA}, {"compartir", LX_CTA},
    {"compartilhe", LX_CTA}, {"compartilhar", LX_CTA}, {"síguenos", LX_CTA},
    {"condividi", LX_CTA}, {"seguici", LX_CTA}, {"siga nos", LX_CTA},
    {"volg ons", LX_CTA}, {"поделиться", LX_CTA}, {"поділитися", LX_CTA},
    {"підписуйтесь", LX_CTA}, {"подписывайтесь", LX_CTA},
    /* Reading on, related content. */
    {"read more", LX_CTA}, {"read also", LX_CTA}, {"read next", LX_CTA},
    {"continue reading", LX_CTA}, {"more from", LX_CTA},
    {"see also", LX_CTA}, {"see more", LX_CTA}, {"view more", LX_CTA},
    {"load more", LX_CTA}, {"show more", LX_CTA}, {"more articles", LX_CTA},
    {"more stories", LX_CTA}, {"more news", LX_CTA}, {"related", LX_CTA},
    {"also like", LX_CTA}, {"recommended", LX_CTA}, {"most popular", LX_CTA},
    {"most read", LX_CTA}, {"trending", LX_CTA}, {"top stories", LX_CTA},
    {"latest news", LX_CTA}, {"don't miss", LX_CTA},
    {"lire aussi", LX_CTA}, {"lire la suite", LX_CTA}, {"à lire", LX_CTA},
    {"voir aussi", LX_CTA}, {"sur le même sujet", LX_CTA},
    {"weiterlesen", LX_CTA}, {"mehr zum thema", LX_CTA},
    {"auch interessant", LX_CTA}, {"leer más", LX_CTA},
    {"lee también", LX_CTA}, {"te puede interesar", LX_CTA},
    {"relacionad*", LX_CTA}, {"leggi anche", LX_CTA},
    {"continua a leggere", LX_CTA}, {"potrebbe interessarti", LX_CTA},
    {"correlati", LX_CTA}, {"leia mais", LX_CTA}, {"leia também", LX_CTA},
    {"veja também", LX_CTA}, {"lees meer", LX_CTA}, {"lees ook", LX_CTA},
    {"gerelateerd", LX_CTA}, {"читайте также", LX_CTA},
    {"читать далее", LX_CTA}, {"подробнее", LX_CTA}, {"по теме", LX_CTA},
    {"читайте також", LX_CTA}, {"читати далі", LX_CTA},
    {"детальніше", LX_CTA}, {"схожі", LX_CTA}, {"похожие", LX_CTA},
    /* Comments. */
    {"comment", LX_CTA}, {"comments", LX_CTA}, {"leave a reply", LX_CTA},
    {"reply", LX_CTA}, {"replies", LX_CTA}, {"commentaire*", LX_CTA},
    {"kommentar*", LX_CTA}, {"comentario*", LX_CTA},
    {"comentário*", LX_CTA}, {"commenti", LX_CTA}, {"commento", LX_CTA},
    {"reactie*", LX_CTA}, {"коммент*", LX_CTA}, {"комент*", LX_CTA},
    /* Cookies and privacy. */
    {"cookie*", LX_CTA}, {"privacy", LX_CTA}, {"consent", LX_CTA},
    {"gdpr", LX_CTA}, {"terms of use", LX_CTA}, {"terms of service", LX_CTA},
    {"datenschutz*", LX_CTA}, {"confidentialité", LX_CTA},
    {"privacidad", LX_CTA}, {"privacidade", LX_CTA}, {"riservatezza", LX_CTA},
    {"конфиденциальност*", LX_CTA}, {"конфіденційн*", LX_CTA},
    /* Advertising. */
    {"advertisement", LX_CTA}, {"advertising", LX_CTA}, {"sponsored", LX_CTA},
    {"ad", LX_CTA}, {"ads", LX_CTA}, {"publicité", LX_CTA},
    {"anzeige", LX_CTA}, {"werbung", LX_CTA}, {"publicidad", LX_CTA},
    {"pubblicità", LX_CTA}, {"publicidade", LX_CTA}, {"advertentie", LX_CTA},
    {"реклама", LX_CTA},
    /* Navigation. */
    {"previous article", LX_CTA}, {"next article", LX_CTA},
    {"previous post", LX_CTA}, {"next post", LX_CTA},
    {"previous story", LX_CTA}, {"next story", LX_CTA},
    {"back to top", LX_CTA}, {"scroll to top", LX_CTA}, {"scroll top", LX_CTA},
    {"skip to content", LX_CTA}, {"skip to main content", LX_CTA},
    {"main menu", LX_CTA}, {"menu", LX_CTA}, {"breadcrumb*", LX_CTA},
    {"article précédent", LX_CTA}, {"article suivant", LX_CTA},
    {"nach oben", LX_CTA}, {"artículo anterior", LX_CTA},
    {"artículo siguiente", LX_CTA}, {"articolo precedente", LX_CTA},
    {"articolo successivo", LX_CTA}, {"предыдущая статья", LX_CTA},
    {"следующая статья", LX_CTA}, {"попередня стаття", LX_CTA},
    {"наступна стаття", LX_CTA},
    /* Tags, categories, legal lines, clicks. */
    {"tags", LX_CTA}, {"tagged", LX_CTA}, {"filed under", LX_CTA},
    {"categories", LX_CTA}, {"schlagwörter", LX_CTA}, {"étiquettes", LX_CTA},
    {"etiquetas", LX_CTA}, {"теги", LX_CTA}, {"метки", LX_CTA},
    {"copyright", LX_CTA}, {"all rights reserved", LX_CTA},
    {"tous droits réservés", LX_CTA}, {"alle rechte vorbehalten", LX_CTA},
    {"todos los derechos reservados", LX_CTA},
    {"tutti i diritti riservati", LX_CTA}, {"все права защищены", LX_CTA},
    {"всі права захищені", LX_CTA}, {"click here", LX_CTA},
    {"tap here", LX_CTA}, {"download the app", LX_CTA},
    {"get the app", LX_CTA}, {"cliquez ici", LX_CTA},
    {"hier klicken", LX_CTA}, {"contact us", LX_CTA}, {"about us", LX_CTA},
    {"impressum", LX_CTA}, {"mentions légales", LX_CTA},
    /* Dates: months (with their common abbreviations), weekdays, units. */
    {"january", LX_DATE}, {"february", LX_DATE}, {"march", LX_DATE},
    {"april", LX_DATE}, {"may", LX_DATE}, {"june", LX_DATE},
    {"july", LX_DATE}, {"august", LX_DATE}, {"september", LX_DATE},
    {"october", LX_DATE}, {"november", LX_DATE}, {"december", LX_DATE},
    {"jan", LX_DATE}, {"feb", LX_DATE}, {"mar", LX_DATE}, {"apr", LX_DATE},
    {"jun", LX_DATE}, {"jul", LX_DATE}, {"aug", LX_DATE}, {"sep", LX_DATE},
    {"sept", LX_DATE}, {"oct", LX_DATE}, {"nov", LX_DATE}, {"dec", LX_DATE},
    {"monday", LX_DATE}, {"tuesday", LX_DATE}, {"wednesday", LX_DATE},
    {"thursday", LX_DATE}, {"friday", LX_DATE}, {"saturday", LX_DATE},
    {"sunday", LX_DATE}, {"mon", LX_DATE}, {"tue", LX_DATE},
    {"wed", LX_DATE}, {"thu", LX_DATE}, {"fri", LX_DATE}, {"sat", LX_DATE},
    {"sun", LX_DATE}, {"today", LX_DATE}, {"yesterday", LX_DATE},
    {"updated", LX_DATE}, {"published", LX_DATE}, {"am", LX_DATE},
    {"pm", LX_DATE}, {"utc", LX_DATE}, {"gmt", LX_DATE},
    {"second*", LX_DATE}, {"minute*", LX_DATE}, {"min", LX_DATE},
    {"mins", LX_DATE}, {"hour*", LX_DATE}, {"hr", LX_DATE}, {"hrs", LX_DATE},
    {"day", LX_DATE}, {"days", LX_DATE}, {"week*", LX_DATE},
    {"month*", LX_DATE}, {"year*", LX_DATE}, {"ago", LX_AGO},
    {"janvier", LX_DATE}, {"février", LX_DATE}, {"mars", LX_DATE},
    {"avril", LX_DATE}, {"mai", LX_DATE}, {"juin", LX_DATE},
    {"juillet", LX_DATE}, {"août", LX_DATE}, {"septembre", LX_DATE},
    {"octobre", LX_DATE}, {"novembre", LX_DATE}, {"décembre", LX_DATE},
    {"lundi", LX_DATE}, {"mardi", LX_DATE}, {"mercredi", LX_DATE},
    {"jeudi", LX_DATE}, {"vendredi", LX_DATE}, {"samedi", LX_DATE},
    {"dimanche", LX_DATE}, {"heure*", LX_DATE}, {"il y a", LX_AGO},
    {"januar", LX_DATE}, {"februar", LX_DATE}, {"märz", LX_DATE},
    {"juni", LX_DATE}, {"juli", LX_DATE}, {"oktober", LX_DATE},
    {"dezember", LX_DATE}, {"montag", LX_DATE}, {"dienstag", LX_DATE},
    {"mittwoch", LX_DATE}, {"donnerstag", LX_DATE}, {"freitag", LX_DATE},
    {"samstag", LX_DATE}, {"sonntag", LX_DATE}, {"uhr", LX_DATE},
    {"stunde*", LX_DATE}, {"vor", LX_AGO},
    {"enero", LX_DATE}, {"febrero", LX_DATE}, {"marzo", LX_DATE},
    {"abril", LX_DATE}, {"mayo", LX_DATE}, {"junio", LX_DATE},
    {"julio", LX_DATE}, {"agosto", LX_DATE}, {"septiembre", LX_DATE},
    {"octubre", LX_DATE}, {"noviembre", LX_DATE}, {"diciembre", LX_DATE},
    {"lunes", LX_DATE}, {"martes", LX_DATE}, {"miércoles", LX_DATE},
    {"jueves", LX_DATE}, {"viernes", LX_DATE}, {"sábado", LX_DATE},
    {"domingo", LX_DATE}, {"hace", LX_AGO},
    {"gennaio", LX_DATE}, {"febbraio", LX_DATE}, {"aprile", LX_DATE},
    {"maggio", LX_DATE}, {"giugno", LX_DATE}, {"luglio", LX_DATE},
    {"settembre", LX_DATE}, {"ottobre", LX_DATE}, {"dicembre", LX_DATE},
    {"janeiro", LX_DATE}, {"fevereiro", LX_DATE}, {"março", LX_DATE},
    {"maio", LX_DATE}, {"junho", LX_DATE}, {"julho", LX_DATE},
    {"setembro", LX_DATE}, {"outubro", LX_DATE}, {"dezembro", LX_DATE},
    {"januari", LX_DATE}, {"februari", LX_DATE}, {"maart", LX_DATE},
    {"mei", LX_DATE}, {"augustus", LX_DATE}, {"geleden", LX_AGO},
    {"январ*", LX_DATE}, {"феврал*", LX_DATE}, {"марта", LX_DATE},
    {"апрел*", LX_DATE}, {"мая", LX_DATE}, {"июн*", LX_DATE},
    {"июл*", LX_DATE}, {"августа", LX_DATE}, {"сентябр*", LX_DATE},
    {"октябр*", LX_DATE}, {"ноябр*", LX_DATE}, {"декабр*", LX_DATE},
    {"назад", LX_AGO}, {"січня", LX_DATE}, {"лютого", LX_DATE},
    {"березня", LX_DATE}, {"квітня", LX_DATE}, {"травня", LX_DATE},
    {"червня", LX_DATE}, {"липня", LX_DATE}, {"серпня", LX_DATE},
    {"вересня", LX_DATE}, {"жовтня", LX_DATE}, {"листопада", LX_DATE},
    {"грудня", LX_DATE}, {"тому", LX_AGO},
    /* Bylines. */
    {"by", LX_BYLINE}, {"par", LX_BYLINE}, {"von", LX_BYLINE},
    {"por", LX_BYLINE}, {"di", LX_BYLINE}, {"door", LX_BYLINE},
    {"автор", LX_BYLINE}, {"written by", LX_BYLINE},
    {"posted by", LX_BYLINE},
};

#define N_LEXICON (sizeof lexicon / sizeof lexicon[0])

/* The lexicon's index: phrases by their first word, in a small hash table
 * (a word is looked up once, by the hash its stopword lookup computed);
 * phrases whose first word is a stem ("subscrib*", at least four bytes) by
 * the stem's first four bytes.  A word costs two probes. */
#define LEX_SLOTS 1024
#define STEM_SLOTS 256
struct clean_lexindex {
  uint16_t slots[LEX_SLOTS];      /* entry + 1 of a first word, 0: empty */
  uint16_t stems[STEM_SLOTS];     /* entry + 1 of a stem's first 4 bytes */
  uint16_t next[N_LEXICON];       /* entry + 1 with the same key */
  uint8_t first_len[N_LEXICON];   /* bytes of the first word, '*' aside */
};

static size_t first_word_len(const char *p) {
  size_t n = 0;
  while (p[n] && p[n] != ' ')
    n++;
  return n;
}

static uint32_t four_bytes(const char *p) {
  uint32_t k;
  memcpy(&k, p, 4);
  return k;
}

static size_t stem_slot(uint32_t k) {
  return (size_t)((k * 2654435761u) >> 24) & (STEM_SLOTS - 1);
}

/* Puts entry i in a table keyed by `same` (whether entry e has i's key). */
static void lex_insert(clean_lexindex *lx, uint16_t *slots, size_t mask,
                       size_t slot, size_t i, int is_stem) {
  const char *p = lexicon[i].phrase;
  for (;;) {
    uint16_t e = slots[slot];
    if (e == 0) {
      slots[slot] = (uint16_t)(i + 1);
      return;
    }
    const char *q = lexicon[e - 1].phrase;
    int same = is_stem ? four_bytes(q) == four_bytes(p)
                       : lx->first_len[e - 1] == lx->first_len[i] &&
                             memcmp(q, p, lx->first_len[i]) == 0;
    if (same) {
      while (lx->next[e - 1])
        e = lx->next[e - 1];
      lx->next[e - 1] = (uint16_t)(i + 1);
      return;
    }
    slot = (slot + 1) & mask;
  }
}

static clean_lexindex *lexindex_new(void) {
  clean_lexindex *lx = calloc(1, sizeof *lx);
  if (!lx)
    return NULL;
  for (size_t i = 0; i < N_LEXICON; i++) {
    const char *p = lexicon[i].phrase;
    size_t n = first_word_len(p);
    if (p[n - 1] == '*') {
      lx->first_len[i] = (uint8_t)(n - 1);
      lex_insert(lx, lx->stems, STEM_SLOTS - 1, stem_slot(four_bytes(p)), i,
                 1);
    } else {
      lx->first_len[i] = (uint8_t)n;
      lex_insert(lx, lx->slots, LEX_SLOTS - 1,
                 (size_t)clean_word_hash(p, n) & (LEX_SLOTS - 1), i, 0);
    }
  }
  return lx;
}

clean_shared *clean_shared_new(void) {
  clean_shared *sh = calloc(1, sizeof *sh);
  if (sh)
    pthread_mutex_init(&sh->lock, NULL);
  return sh;
}

int clean_shared_ready(clean_shared *sh) {
  pthread_mutex_lock(&sh->lock);
  if (!sh->built) {
    if (!sh->stop)
      sh->stop = clean_stopindex_new();
    if (!sh->lex)
      sh->lex = lexindex_new();
    sh->built = sh->stop && sh->lex;
  }
  int ok = sh->built;
  pthread_mutex_unlock(&sh->lock);
  return ok ? QUIRE_OK : QUIRE_ERR;
}

void clean_shared_free(clean_shared *sh) {
  if (!sh)
    return;
  clean_stopindex_free(sh->stop);
  free(sh->lex);
  pthread_mutex_destroy(&sh->lock);
  free(sh);
}

/* Whether the phrase word p[0..pn) (with a final '*' for a prefix) matches
 * the word w[0..wn). */
static int word_matches(const char *p, size_t pn, const char *w, size_t wn) {
  if (pn > 0 && p[pn - 1] == '*')
    return wn >= pn - 1 && memcmp(p, w, pn - 1) == 0;
  return pn == wn && memcmp(p, w, wn) == 0;
}

/* Whether a phrase matches the words starting at words[i] (of n); the
 * number of words it covers, or 0. */
static size_t phrase_matches(const clean_state *st, const char *phrase,
                             const clean_word *words, size_t i, size_t n) {
  size_t k = 0;
  const char *p = phrase;
  while (*p) {
    if (i + k >= n)
      return 0;
    size_t pn = first_word_len(p);
    const clean_word *w = &words[i + k];
    if (!word_matches(p, pn, st->lower.s + w->off, w->len))
      return 0;
    k++;
    p += pn;
    if (*p == ' ')
      p++;
  }
  return k;
}

/* Applies what lexicon entry e, matching k words at words[i], says. */
static void lexicon_mark(clean_block *b, clean_word *words, size_t i,
                         size_t k, size_t e) {
  switch (lexicon[e].what) {
  case LX_CTA:
    b->cta++;
    break;
  case LX_DATE:
    words[i].flags |= CW_DATE;
    break;
  case LX_AGO:
    for (size_t m = 0; m < k; m++)
      words[i + m].flags |= CW_AGO;
    b->relative_time = 1;
    break;
  case LX_BYLINE:
    if (i == 0)
      b->flags |= CB_BYLINE;
    break;
  }
}

/* The longest phrase of the chain from entry e + 1 on that matches at
 * words[i]: *best words, entry *best_e. */
static void lex_chain(const clean_state *st, uint16_t e, const clean_word *words,
                      size_t i, size_t n, size_t *best, size_t *best_e) {
  for (; e; e = st->shared->lex->next[e - 1]) {
    size_t k = phrase_matches(st, lexicon[e - 1].phrase, words, i, n);
    if (k > *best) {
      *best = k;
      *best_e = e - 1;
    }
  }
}

/* Finds the lexicon's phrases among block b's words: at each word, the
 * longest phrase that starts there. */
static void lexicon_scan(clean_state *st, clean_block *b) {
  const clean_lexindex *lx = st->shared->lex;
  clean_word *words = st->words + b->word0;
  size_t n = b->nwords;
  for (size_t i = 0; i < n; i++) {
    const char *w = st->lower.s + words[i].off;
    size_t len = words[i].len, best = 0, best_e = 0;
    for (size_t slot = (size_t)words[i].hash & (LEX_SLOTS - 1);;
         slot = (slot + 1) & (LEX_SLOTS - 1)) {
      uint16_t e = lx->slots[slot];
      if (!e)
        break;
      if (lx->first_len[e - 1] == len &&
          memcmp(lexicon[e - 1].phrase, w, len) == 0) {
        lex_chain(st, e, words, i, n, &best, &best_e);
        break;
      }
    }
    if (len >= 4) {
      uint32_t k = four_bytes(w);
      for (size_t slot = stem_slot(k);; slot = (slot + 1) & (STEM_SLOTS - 1)) {
        uint16_t e = lx->stems[slot];
        if (!e)
          break;
        if (four_bytes(lexicon[e - 1].phrase) == k) {
          lex_chain(st, e, words, i, n, &best, &best_e);
          break;
        }
      }
    }
    if (best) {
      lexicon_mark(b, words, i, best, best_e);
      i += best - 1;
    }
  }
}

/* ---- Characters ------------------------------------------------------------ */

static int is_letter(utf8proc_category_t c) {
  return c >= UTF8PROC_CATEGORY_LU && c <= UTF8PROC_CATEGORY_LO;
}
static int is_mark(utf8proc_category_t c) {
  return c >= UTF8PROC_CATEGORY_MN && c <= UTF8PROC_CATEGORY_ME;
}
static int is_digit(utf8proc_category_t c) {
  return c >= UTF8PROC_CATEGORY_ND && c <= UTF8PROC_CATEGORY_NO;
}
static int is_space(int32_t cp) {
  return cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' ||
         cp == 0xA0 || cp == 0x2009 || cp == 0x202F || cp == 0x3000;
}
static int is_apostrophe(int32_t cp) { return cp == '\'' || cp == 0x2019; }
/* Scripts written without spaces between words: their characters count as
 * half a word each. */
static int is_unspaced_script(int32_t cp) {
  return (cp >= 0x3040 && cp <= 0x30FF) || (cp >= 0x3400 && cp <= 0x4DBF) ||
         (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x0E00 && cp <= 0x0EFF) ||
         (cp >= 0x1000 && cp <= 0x109F) || (cp >= 0x1780 && cp <= 0x17FF) ||
         (cp >= 0xF900 && cp <= 0xFAFF);
}
static int is_terminal(int32_t cp) {
  return cp == '.' || cp == '!' || cp == '?' || cp == 0x2026 ||
         cp == 0x3002 || cp == 0xFF01 || cp == 0xFF1F || cp == 0x061F;
}
/* What may close a sentence after its final mark: quotes, brackets. */
static int is_closer(int32_t cp) {
  return cp == '"' || cp == '\'' || cp == ')' || cp == ']' || cp == '*' ||
         cp == 0x201D || cp == 0x2019 || cp == 0x00BB || cp == 0x201C ||
         cp == 0x300D || cp == 0x300F;
}
static int is_code_char(int32_t cp) {
  return cp == '{' || cp == '}' || cp == '[' || cp == ']' || cp == '<' ||
         cp == '>' || cp == '=' || cp == '\\' || cp == '|' || cp == '_' ||
         cp == '/' || cp == ';' || cp == '$' || cp == '#';
}

int clean_buf_reserve(clean_buf *b, size_t n) {
  if (b->len + n + 1 > b->cap) {
    size_t cap = b->cap ? b->cap : 4096;
    while (cap < b->len + n + 1)
      cap *= 2;
    char *p = realloc(b->s, cap);
    if (!p)
      return QUIRE_FATAL;
    b->s = p;
    b->cap = cap;
  }
  return QUIRE_OK;
}

int clean_buf_put(clean_buf *b, const char *s, size_t n) {
  if (clean_buf_reserve(b, n) != QUIRE_OK)
    return QUIRE_FATAL;
  memcpy(b->s + b->len, s, n);
  b->len += n;
  b->s[b->len] = 0;
  return QUIRE_OK;
}

/* Makes room for what a block of n bytes can give: at most n/2 + 1 words,
 * and lower-case forms at most twice as long as the text (lower-casing
 * changes a few characters' UTF-8 length), so that the scan appends
 * without checks. */
static int reserve(clean_state *st, size_t n) {
  size_t words = st->n_words + n / 2 + 2;
  if (words > st->cap_words) {
    size_t cap = st->cap_words ? st->cap_words : 1024;
    while (cap < words)
      cap *= 2;
    clean_word *w = realloc(st->words, cap * sizeof *w);
    if (!w)
      return QUIRE_FATAL;
    st->words = w;
    st->cap_words = cap;
  }
  size_t bytes = st->lower.len + 2 * n + 8;
  if (bytes > st->lower.cap) {
    size_t cap = st->lower.cap ? st->lower.cap : 4096;
    while (cap < bytes)
      cap *= 2;
    char *p = realloc(st->lower.s, cap);
    if (!p)
      return QUIRE_FATAL;
    st->lower.s = p;
    st->lower.cap = cap;
  }
  return QUIRE_OK;
}

#define FNV_OFFSET 1469598103934665603ull
#define FNV_PRIME 1099511628211ull

/* One character of a block, classified: ASCII by a table, the rest by
 * utf8proc. */
enum { CH_OTHER, CH_SPACE, CH_LOWER, CH_UPPER, CH_DIGIT, CH_MARK };

typedef struct ch {
  int32_t cp;
  int kind;           /* CH_* */
  int len;            /* bytes */
} ch;

static const unsigned char ascii_kind[128] = {
    ['\t'] = CH_SPACE, ['\n'] = CH_SPACE, ['\v'] = CH_SPACE,
    ['\f'] = CH_SPACE, ['\r'] = CH_SPACE, [' '] = CH_SPACE,
    ['0'] = CH_DIGIT, ['1'] = CH_DIGIT, ['2'] = CH_DIGIT, ['3'] = CH_DIGIT,
    ['4'] = CH_DIGIT, ['5'] = CH_DIGIT, ['6'] = CH_DIGIT, ['7'] = CH_DIGIT,
    ['8'] = CH_DIGIT, ['9'] = CH_DIGIT,
    ['A'] = CH_UPPER, ['B'] = CH_UPPER, ['C'] = CH_UPPER, ['D'] = CH_UPPER,
    ['E'] = CH_UPPER, ['F'] = CH_UPPER, ['G'] = CH_UPPER, ['H'] = CH_UPPER,
    ['I'] = CH_UPPER, ['J'] = CH_UPPER, ['K'] = CH_UPPER, ['L'] = CH_UPPER,
    ['M'] = CH_UPPER, ['N'] = CH_UPPER, ['O'] = CH_UPPER, ['P'] = CH_UPPER,
    ['Q'] = CH_UPPER, ['R'] = CH_UPPER, ['S'] = CH_UPPER, ['T'] = CH_UPPER,
    ['U'] = CH_UPPER, ['V'] = CH_UPPER, ['W'] = CH_UPPER, ['X'] = CH_UPPER,
    ['Y'] = CH_UPPER, ['Z'] = CH_UPPER,
    ['a'] = CH_LOWER, ['b'] = CH_LOWER, ['c'] = CH_LOWER, ['d'] = CH_LOWER,
    ['e'] = CH_LOWER, ['f'] = CH_LOWER, ['g'] = CH_LOWER, ['h'] = CH_LOWER,
    ['i'] = CH_LOWER, ['j'] = CH_LOWER, ['k'] = CH_LOWER, ['l'] = CH_LOWER,
    ['m'] = CH_LOWER, ['n'] = CH_LOWER, ['o'] = CH_LOWER, ['p'] = CH_LOWER,
    ['q'] = CH_LOWER, ['r'] = CH_LOWER, ['s'] = CH_LOWER, ['t'] = CH_LOWER,
    ['u'] = CH_LOWER, ['v'] = CH_LOWER, ['w'] = CH_LOWER, ['x'] = CH_LOWER,
    ['y'] = CH_LOWER, ['z'] = CH_LOWER,
};

/* Reads the character at s[0..n); a byte that is not UTF-8 (readers give
 * UTF-8) reads as CH_OTHER U+FFFD. */
static inline ch read_ch(const unsigned char *s, size_t n) {
  ch c;
  if (s[0] < 0x80) {
    c.cp = s[0];
    c.kind = ascii_kind[s[0]];
    c.len = 1;
    return c;
  }
  utf8proc_ssize_t k = utf8proc_iterate(s, (utf8proc_ssize_t)n, &c.cp);
  if (k <= 0) {
    c.cp = 0xFFFD;
    c.kind = CH_OTHER;
    c.len = 1;
    return c;
  }
  c.len = (int)k;
  utf8proc_category_t cat = utf8proc_category(c.cp);
  if (is_space(c.cp))
    c.kind = CH_SPACE;
  else if (cat == UTF8PROC_CATEGORY_LU || cat == UTF8PROC_CATEGORY_LT)
    c.kind = CH_UPPER;
  else if (is_letter(cat))
    c.kind = CH_LOWER;
  else if (is_digit(cat))
    c.kind = CH_DIGIT;
  else if (is_mark(cat))
    c.kind = CH_MARK;
  else
    c.kind = CH_OTHER;
  return c;
}

/* The scanner's state over one block. */
typedef struct scan {
  clean_state *st;
  clean_block *b;
  clean_word *w;            /* the word being read, or NULL */
  uint64_t wh;              /* its hash so far (clean_word_hash) */
  unsigned tokens;          /* runs of non-space characters */
  unsigned code_chars, alnum, unspaced;
  int dot_in_word, has_time;
} scan;

/* Ends the word being read. */
static inline void end_word(scan *sc) {
  sc->w->hash = sc->wh ? sc->wh : 1;   /* as clean_word_hash */
  sc->w = NULL;
}

/* Starts a word at a character of kind `kind` (room was reserved). */
static inline void start_word(scan *sc, int kind) {
  clean_state *st = sc->st;
  sc->w = &st->words[st->n_words++];
  *sc->w = (clean_word){0};
  sc->w->off = (uint32_t)st->lower.len;
  sc->w->flags = kind == CH_DIGIT ? CW_NUM : kind == CH_UPPER ? CW_CAP : 0;
  sc->wh = FNV_OFFSET;
}

/* Appends a byte to the current word's lower-case form and hash. */
static inline void word_byte(scan *sc, char c) {
  sc->st->lower.s[sc->st->lower.len++] = c;
  sc->w->len++;
  sc->wh = (sc->wh ^ (unsigned char)c) * FNV_PRIME;
}

/* Adds a character to the current word (starting one when needed),
 * lower-cased (room was reserved). */
static inline void word_char(scan *sc, const ch *c) {
  if (!sc->w)
    start_word(sc, c->kind);
  clean_word *w = sc->w;
  if (c->kind == CH_LOWER || c->kind == CH_UPPER) {
    w->flags = (uint8_t)((w->flags & ~CW_NUM) | CW_ALPHA);
    if (c->cp >= 0x0E00 && is_unspaced_script(c->cp))
      sc->unspaced++;
  } else if (c->kind == CH_DIGIT) {
    w->flags |= CW_DIGITS;
  } else {
    w->flags &= (uint8_t)~CW_NUM;
  }
  sc->alnum++;
  if (w->len >= 60)        /* longer words are never stopwords */
    return;
  if (c->cp < 0x80) {
    word_byte(sc, (char)(c->kind == CH_UPPER ? c->cp | 0x20 : c->cp));
    return;
  }
  char enc[4];
  utf8proc_ssize_t m = utf8proc_encode_char(utf8proc_tolower(c->cp),
                                            (utf8proc_uint8_t *)enc);
  for (utf8proc_ssize_t i = 0; i < m; i++)
    word_byte(sc, enc[i]);
}

/* Blocks longer than this are not searched for the lexicon's phrases. */
#define LEXICON_MAX_WORDS 60

void clean_last_chars(const char *text, size_t n, int32_t *last,
                      int32_t *before) {
  const unsigned char *s = (const unsigned char *)text;
  int32_t found[2] = {0, 0};
  int k = 0;
  size_t i = n;
  while (i > 0 && k < 2) {
    size_t start = i - 1;
    while (start > 0 && (s[start] & 0xC0) == 0x80 && i - start < 4)
      start--;
    ch c = read_ch(s + start, i - start);
    if (c.kind != CH_SPACE)
      found[k++] = c.cp;
    i = start;
  }
  *last = found[0];
  *before = found[1];
}

/* ---- The normalized hash ---------------------------------------------------
 * What repetition is judged by: the block's words (as the scanner splits
 * them), lower-case, each run of digits as one '0', in order.  So "Read
 * more »", "READ MORE" and "Read  more" are one text, and so are "Updated
 * 17:03" and "Updated 9:41".  It is folded from the words' own hashes (the
 * ones their stopword lookups use), so it costs no second reading. */

/* A word's hash with its digit runs collapsed. */
static uint64_t word_norm_hash(const clean_word *w, const char *lw) {
  if (!(w->flags & CW_DIGITS))
    return w->hash;
  uint64_t h = FNV_OFFSET;
  int in_digits = 0;
  for (size_t i = 0; i < w->len; i++) {
    unsigned char c = (unsigned char)lw[i];
    if (c >= '0' && c <= '9') {
      if (in_digits)
        continue;
      in_digits = 1;
      c = '0';
    } else {
      in_digits = 0;
    }
    h = (h ^ c) * FNV_PRIME;
  }
  return h;
}

/* Sets b->hash (blocks of at most CORPUS_MAX_WORDS words and
 * CORPUS_MAX_BYTES bytes, else 0) and b->prefix (its first PREFIX_WORDS
 * words, blocks of PREFIX_MIN words or more, else 0). */
static void block_hash(const clean_state *st, clean_block *b) {
  const clean_word *ws = st->words + b->word0;
  uint64_t h = FNV_OFFSET;
  b->prefix = 0;
  for (size_t i = 0; i < b->nwords && i < CORPUS_MAX_WORDS; i++) {
    h = (h ^ word_norm_hash(&ws[i], st->lower.s + ws[i].off)) * FNV_PRIME;
    h ^= h >> 29;
    if (i + 1 == PREFIX_WORDS && b->nwords >= PREFIX_MIN)
      b->prefix = h ? h : 1;
  }
  b->hash = b->nwords > 0 && b->nwords <= CORPUS_MAX_WORDS &&
                    !b->sampled && b->len <= CORPUS_MAX_BYTES
                ? (h ? h : 1)
                : 0;
}

uint64_t clean_text_hash(clean_state *st, const char *s, size_t n,
                         unsigned *words) {
  /* Scanned as a block of its own after the document's, then forgotten. */
  size_t text_len = st->text.len, lower_len = st->lower.len;
  size_t n_words = st->n_words;
  clean_block b = {.kind = CK_PARA, .text = st->text.len, .len = n};
  uint64_t h = 0;
  if (clean_buf_put(&st->text, s, n) == QUIRE_OK &&
      clean_words_scan(st, &b, 1) == QUIRE_OK) {
    h = b.hash;
    if (words)
      *words = (unsigned)b.nwords;
  }
  st->text.len = text_len;
  st->lower.len = lower_len;
  st->n_words = n_words;
  return h;
}

int clean_words_scan(clean_state *st, clean_block *b, int light) {
  const unsigned char *s = (const unsigned char *)st->text.s + b->text;
  size_t n = b->len;
  scan sc = {.st = st, .b = b};
  if (reserve(st, n) != QUIRE_OK)
    return QUIRE_FATAL;
  b->word0 = st->n_words;
  int32_t last = ' ', last_nonspace = 0, before_last = 0;
  int in_token = 0;
  size_t pos = 0;
  while (pos < n) {
    /* The common case first, in a tight loop: a run of ASCII letters and
     * digits. */
    if (s[pos] < 0x80 && ascii_kind[s[pos]] >= CH_LOWER) {
      int kind = ascii_kind[s[pos]];
      if (!sc.w)
        start_word(&sc, kind);
      if (!in_token)
        sc.tokens++;
      in_token = 1;
      if (last == ' ' && is_terminal(last_nonspace) &&
          (kind == CH_UPPER || kind == CH_DIGIT))
        b->sentences++;
      clean_word *w = sc.w;
      unsigned len = w->len, letters = 0, digits = 0;
      uint64_t wh = sc.wh;
      size_t start = pos;
      char *out = st->lower.s + st->lower.len;
      while (pos < n && s[pos] < 0x80 &&
             (kind = ascii_kind[s[pos]]) >= CH_LOWER) {
        unsigned char lc = s[pos++];
        if (kind == CH_DIGIT) {
          digits = 1;
        } else {
          letters = 1;
          lc |= 0x20;
        }
        if (len < 60) {   /* longer words are never stopwords */
          *out++ = (char)lc;
          wh = (wh ^ lc) * FNV_PRIME;
          len++;
        }
      }
      st->lower.len = (size_t)(out - st->lower.s);
      if (letters)
        w->flags = (uint8_t)((w->flags & ~CW_NUM) | CW_ALPHA);
      if (digits)
        w->flags |= CW_DIGITS;
      w->len = (uint16_t)len;
      sc.wh = wh;
      b->chars += (unsigned)(pos - start);
      sc.alnum += (unsigned)(pos - start);
      before_last = pos - start >= 2 ? s[pos - 2] : last_nonspace;
      last = last_nonspace = s[pos - 1];
      continue;
    }
    ch c = read_ch(s + pos, n - pos);
    int wordy = c.kind == CH_LOWER || c.kind == CH_UPPER ||
                c.kind == CH_DIGIT || (sc.w && c.kind == CH_MARK);
    if (wordy) {
      word_char(&sc, &c);
    } else if (sc.w) {
      /* An apostrophe between letters stays in the word ("don't"). */
      if (is_apostrophe(c.cp) && pos + (size_t)c.len < n) {
        ch next = read_ch(s + pos + c.len, n - pos - (size_t)c.len);
        if ((next.kind == CH_LOWER || next.kind == CH_UPPER) &&
            sc.w->len < 60) {
          word_byte(&sc, '\'');
          last = c.cp;
          last_nonspace = c.cp;
          pos += (size_t)c.len;
          continue;
        }
      }
      /* A dot between letters inside a token: "title.list", "site.com". */
      if (c.cp == '.' && pos + 1 < n && (sc.w->flags & CW_ALPHA) &&
          s[pos + 1] < 0x80 && ascii_kind[s[pos + 1]] >= CH_LOWER &&
          ascii_kind[s[pos + 1]] <= CH_DIGIT)
        sc.dot_in_word = 1;
      end_word(&sc);
    }
    if (c.kind == CH_SPACE) {
      in_token = 0;
    } else {
      if (!in_token)
        sc.tokens++;
      in_token = 1;
      b->chars++;
      if (c.cp < 0x80) {
        if (is_code_char(c.cp))
          sc.code_chars++;
        /* A clock time: digits ':' two digits. */
        if (c.cp == ':' && last >= '0' && last <= '9' && pos + 2 < n &&
            s[pos + 1] >= '0' && s[pos + 1] <= '9' && s[pos + 2] >= '0' &&
            s[pos + 2] <= '9') {
          sc.has_time = 1;
          if (sc.tokens == 1)
            b->flags |= CB_STAMPED;
        }
      } else if (c.cp == 0xA9) {
        b->flags |= CB_COPYRIGHT;
      }
      /* A sentence ends at a final mark, a space, then a capital letter,
       * a digit or a quote (the last one is counted at the end). */
      if (last == ' ' && is_terminal(last_nonspace) &&
          (c.kind == CH_UPPER || c.kind == CH_DIGIT || is_closer(c.cp)))
        b->sentences++;
      before_last = last_nonspace;
      last_nonspace = c.cp;
    }
    last = c.kind == CH_SPACE ? ' ' : c.cp;
    pos += (size_t)c.len;
  }
  if (sc.w)
    end_word(&sc);
  b->nwords = st->n_words - b->word0;
  block_hash(st, b);
  b->wlen = (unsigned)b->nwords;
  if (sc.unspaced)  /* a run of CJK letters was one "word": count its half */
    b->wlen += sc.unspaced / 2;
  if (b->sampled && n > 0) {
    /* A sample: the length scaled, the end read where it is. */
    b->wlen = (unsigned)((double)b->wlen * b->raw_len / n);
    b->chars = (unsigned)((double)b->chars * b->raw_len / n);
    last_nonspace = b->last;
    before_last = b->before_last;
  }

  /* How the block ends: skip closing quotes and brackets. */
  int32_t end = last_nonspace;
  if (is_closer(end) && is_terminal(before_last))
    end = before_last;
  if (is_terminal(end)) {
    b->flags |= CB_TERMINAL;
    b->sentences++;
    if (end == '?' || end == 0xFF1F)
      b->flags |= CB_QUESTION;
  } else if (end == ':') {
    b->flags |= CB_COLON;
  }

  /* Code-like junk: one or two tokens with code characters or dots inside
   * words (not in scripts written without spaces, where a line is one
   * token), or characters without a letter or digit among them. */
  if (b->kind != CK_CODE && b->chars > 0 &&
      ((sc.tokens <= 2 && sc.unspaced < 4 &&
        (sc.code_chars > 0 || sc.dot_in_word)) ||
       sc.alnum == 0))
    b->flags |= CB_CODE;

  /* Word features. */
  clean_word *ws = st->words + b->word0;
  for (size_t i = 0; i < b->nwords; i++) {
    if (ws[i].flags & CW_CAP)
      b->caps++;
    if (ws[i].flags & CW_ALPHA)
      b->alpha_words++;
    if (!light)
      ws[i].stop = clean_stopindex_get(st->shared->stop, ws[i].hash);
  }
  /* The lexicon: only for blocks short enough for chrome to be judged by
   * its wording (a long paragraph is prose whatever words it uses). */
  if (!light && b->nwords > 0 && b->nwords <= LEXICON_MAX_WORDS)
    lexicon_scan(st, b);
  int strong_cue = sc.has_time || b->relative_time;
  unsigned numbers = 0, years = 0;
  for (size_t i = 0; i < b->nwords; i++) {
    if (ws[i].flags & (CW_NUM | CW_DATE | CW_AGO))
      b->dateish++;
    if (ws[i].flags & CW_NUM) {
      strong_cue = 1;
      numbers++;
      const char *d = st->lower.s + ws[i].off;
      if (ws[i].len == 4 && (d[0] == '1' || d[0] == '2') &&
          (d[1] == '9' || d[1] == '0'))
        years++;
    }
  }
  /* A date line: mostly dates, times and numbers; or, in any language
   * (month names are not listed for all), a short line with a year and a
   * day: "pátek 25. října 2024". */
  if (!light && b->nwords > 0 && b->nwords <= 10 && strong_cue &&
      (b->dateish * 10 >= b->nwords * 6 ||
       (b->nwords <= 6 && years > 0 && numbers >= 2 &&
        b->dateish * 2 >= b->nwords)))
    b->flags |= CB_DATE;
  return QUIRE_OK;
}

/* ---- Layout hints ------------------------------------------------------------
 * A SECTION's info is "TAG .class .class #id".  The tag and the parts of
 * class and id names (split at '-', '_' and spaces) are compared with the
 * vocabulary of page layout: a part that begins with one of these stems. */

static const char *const chrome_stems[] = {
    "nav", "menu", "footer", "sidebar", "aside", "comment", "disqus",
    "reply", "replies", "share", "sharing", "social", "related", "recommend",
    "cookie", "consent", "gdpr", "newsletter", "subscri", "signup",
    "login", "register", "breadcrumb", "pagination", "pager", "promo",
    "sponsor", "advert", "widget", "popup", "modal", "masthead",
    "toolbar", "tags", "tagcloud", "trending", "popular", "outbrain",
    "taboola", "skip", "crumbs", "byline", "readmore", "jump", "print",
    "rss", "feed", "ad", "ads", "adv", "dfp", "teaser", "recirc",
};
static const char *const weak_stems[] = {"header", "meta", "hidden",
                                         "dateline", "banner"};
static const char *const content_stems[] = {
    "article", "content", "main", "post", "entry", "story", "body",
    "text", "blog", "prose", "hentry", "page", "headline", "title",
};

/* Whether the part p[0..n) begins with a stem of the list; "ad", "ads" and
 * other stems of one or two letters must be the whole part. */
static int part_matches(const char *p, size_t n, const char *const *stems,
                        size_t n_stems) {
  for (size_t i = 0; i < n_stems; i++) {
    size_t sl = strlen(stems[i]);
    if (n < sl || strncmp(p, stems[i], sl) != 0)
      continue;
    if (sl <= 3 && n != sl)
      continue;
    return 1;
  }
  return 0;
}

int clean_layout_hint(const char *info) {
  if (!info)
    return CLEAN_HINT_NONE;
  size_t tl = strcspn(info, " ");
  int chrome = 0, weak = 0, content = 0;
  /* The tag. */
  static const char *const chrome_tags[] = {"nav", "footer", "aside", "form",
                                            "menu"};
  for (size_t i = 0; i < sizeof chrome_tags / sizeof *chrome_tags; i++)
    if (tl == strlen(chrome_tags[i]) && strncmp(info, chrome_tags[i], tl) == 0)
      chrome = 1;
  if (tl == 6 && strncmp(info, "header", 6) == 0)
    weak = 1;
  if ((tl == 7 && strncmp(info, "article", 7) == 0) ||
      (tl == 4 && strncmp(info, "main", 4) == 0))
    content = 1;
  /* Class and id names, lower-case, split into parts. */
  const char *p = info + tl;
  while (*p) {
    while (*p == ' ')
      p++;
    size_t nl = strcspn(p, " ");
    const char *name = p;
    p += nl;
    /* Utility classes of atomic CSS ("Mstart(137px)--modalMinWidth",
     * "md:flex") describe styles, not what a part of the page is. */
    if (memchr(name, '(', nl) || memchr(name, ':', nl) ||
        memchr(name, '!', nl) || memchr(name, '[', nl))
      continue;
    /* The name's parts, lower-case, split at '-', '_' and '.'. */
    size_t i = 0;
    while (i < nl) {
      while (i < nl && strchr(".#-_", name[i]))
        i++;
      char part[48];
      size_t n = 0;
      while (i < nl && !strchr(".#-_", name[i])) {
        char c = name[i++];
        if (n < sizeof part - 1)
          part[n++] = (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
      }
      if (n == 0)
        continue;
      if (part_matches(part, n, chrome_stems,
                       sizeof chrome_stems / sizeof *chrome_stems))
        chrome = 1;
      else if (part_matches(part, n, weak_stems,
                            sizeof weak_stems / sizeof *weak_stems))
        weak = 1;
      else if (part_matches(part, n, content_stems,
                            sizeof content_stems / sizeof *content_stems))
        content = 1;
    }
  }
  /* A chrome name wins: "post-footer" is the footer of a post. */
  if (chrome)
    return CLEAN_HINT_CHROME;
  if (content)
    return CLEAN_HINT_CONTENT;
  return weak ? CLEAN_HINT_WEAK : CLEAN_HINT_NONE;
}
