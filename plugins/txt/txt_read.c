/* txt_read.c - the plain-text reader: read, find the encoding and convert
 * to UTF-8, decode, then recover structure.
 *
 * The encoding is --input-encoding when given; else a byte order mark, or
 * the NUL bytes of UTF-16 and UTF-32 text; else UTF-8 when the bytes are
 * UTF-8 (perhaps with some damage); else what the detector finds
 * (charset.c).  Valid UTF-8, most text, is read with no conversion and no
 * copy.  The encoding goes into the document's metadata ("encoding") and
 * a -v note.
 *
 * The text is read straight into the document's arena and decoded where it
 * lies, and the tree's text nodes point into it: a large file is held once,
 * not as the bytes read, a decoded copy and the document's copy. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "charset.h"
#include "txt.h"

typedef struct txt_reader {
  quire_input *in;
  char forced[32];    /* --input-encoding, canonical; "" when not given */
  int done;
} txt_reader;

int txt_read_open(quire_env *env, quire_input *in, const quire_options *opts,
                  void **state) {
  const char *forced = env->svc->option(opts, "input-encoding");
  char name[32] = "";
  if (forced && !charset_canonical(forced, name, sizeof name))
    return env->svc->usage_error(env, "--input-encoding %s: no encoding "
                                 "goes by that name", forced);
  txt_reader *r = calloc(1, sizeof *r);
  if (!r) {
    quire_loc loc = {.file = env->svc->input_name(in)};
    env->svc->error(env, &loc, "out of memory");
    return QUIRE_FATAL;
  }
  r->in = in;
  memcpy(r->forced, name, sizeof name);
  *state = r;
  return QUIRE_OK;
}

/* Whether the user named the format of `in` (-f txt): then bytes that are
 * not text are read anyway.  A core older than the service never refuses
 * what it did not before, so it answers yes. */
static int format_named(quire_env *env, const quire_input *in) {
  const quire_services *svc = env->svc;
  if (svc->struct_size <= offsetof(quire_services, input_format_named))
    return 1;
  return svc->input_format_named(in);
}

/* The size of the file `in` reads, when it is a regular file that may be
 * read whole (its size is within the limit max-input-size); else -1. */
static long long file_size(quire_env *env, quire_input *in) {
  const char *path = env->svc->input_path(in);
  struct stat st;
  if (!path || stat(path, &st) != 0 || !S_ISREG(st.st_mode) ||
      st.st_size < 0 || (uint64_t)st.st_size >= SIZE_MAX / 2 ||
      (uint64_t)st.st_size > env->svc->limit(env, "max-input-size"))
    return -1;
  return (long long)st.st_size;
}

/* Reads the rest of `in` and makes t hold t's bytes followed by it, in a
 * new block.  The rest comes through input_read_all, which enforces
 * max-input-size on it; QUIRE_OK, or a failure with the message set. */
static int read_rest(quire_env *env, quire_input *in, quire_doc *doc,
                     txt_text *t) {
  const quire_services *svc = env->svc;
  quire_loc loc = {.file = svc->input_name(in)};
  char *rest;
  size_t n;
  int rc = svc->input_read_all(env, in, &rest, &n);
  if (rc != QUIRE_OK)
    return rc < 0 ? rc : QUIRE_FAILED;   /* the message is set */
  uint64_t limit = svc->limit(env, "max-input-size");
  if ((uint64_t)t->len + n > limit) {
    free(rest);
    svc->error(env, &loc, "input larger than the limit max-input-size "
               "(%llu bytes); raise it with --limit max-input-size=N",
               (unsigned long long)limit);
    return QUIRE_FAILED;
  }
  txt_text all = {.len = t->len + n, .cap = t->len + n};
  if (all.len == SIZE_MAX || !(all.s = svc->alloc(doc, all.len + 1))) {
    free(rest);
    svc->error(env, &loc, "out of memory");
    return QUIRE_FATAL;
  }
  if (t->len)
    memcpy(all.s, t->s, t->len);
  memcpy(all.s + t->len, rest, n);
  free(rest);
  *t = all;
  return QUIRE_OK;
}

/* Reads all of `in` into t, in doc's arena.  A regular file is read
 * straight into a block of the size stat gives, so it is held once.
 * Anything else (standard input, memory, an entry of an archive) is read
 * whole by the core and copied. */
static int read_input(quire_env *env, quire_input *in, quire_doc *doc,
                      txt_text *t) {
  const quire_services *svc = env->svc;
  quire_loc loc = {.file = svc->input_name(in)};
  long long size = file_size(env, in);
  *t = (txt_text){0};
  if (size < 0)
    return read_rest(env, in, doc, t);
  t->cap = (size_t)size;
  if (!(t->s = svc->alloc(doc, t->cap + 1))) {
    svc->error(env, &loc, "out of memory");
    return QUIRE_FATAL;
  }
  while (t->len < t->cap) {
    long got = svc->input_read(env, in, t->s + t->len, t->cap - t->len);
    if (got < 0)
      return QUIRE_FAILED;   /* the message is set */
    if (got == 0)
      return QUIRE_OK;   /* the file shrank since stat: it is all read */
    t->len += (size_t)got;
  }
  /* The end should be here.  A byte more means the file grew: it goes in
   * the block's spare byte, and the block and the rest into a new one. */
  long got = svc->input_read(env, in, t->s + t->len, 1);
  if (got <= 0)
    return got < 0 ? QUIRE_FAILED : QUIRE_OK;
  t->len++;
  return read_rest(env, in, doc, t);
}

/* How the encoding was found, for the -v note. */
static const char *const found_by[] = {"--input-encoding", "byte order mark",
                                       "detected"};
enum { BY_OPTION, BY_BOM, BY_DETECTION };

/* Makes t hold its bytes, after a byte order mark of bom bytes, converted
 * from `encoding` to UTF-8.  QUIRE_OK, or a failure with the message
 * set. */
static int convert(quire_env *env, quire_doc *doc, const char *name,
                   const char *encoding, size_t bom, txt_text *t) {
  const quire_services *svc = env->svc;
  quire_loc loc = {.file = name};
  char *utf8;
  size_t n;
  charset_bad bad;
  int rc = charset_to_utf8(encoding, t->s + bom, t->len - bom, &utf8, &n,
                           &bad);
  if (rc == -2) {
    svc->error(env, &loc, "cannot convert from %s", encoding);
    return QUIRE_FAILED;
  }
  if (rc == 0)
    rc = txt_text_set(svc, doc, t, utf8, n);
  free(utf8);
  if (rc != QUIRE_OK) {
    svc->error(env, &loc, "out of memory");
    return QUIRE_FATAL;
  }
  if (bad.count) {
    quire_loc at = {.file = name, .offset = bom + bad.first + 1};
    svc->warn(env, &at, "%zu byte%s not valid in %s replaced by U+FFFD",
              bad.count, bad.count == 1 ? "" : "s", encoding);
  }
  return QUIRE_OK;
}

/* Whether the surveyed bytes are UTF-8, perhaps with some damage: there
 * are at least as many valid multi-byte sequences as invalid bytes
 * (charset.c has the same rule for undeclared bytes). */
static int mostly_utf8(const txt_survey *sv) {
  return sv->valid_multi >= sv->invalid;
}

/* Finds the encoding of t's bytes (see the top of this file), converts
 * them to UTF-8 and surveys the result into sv; the encoding's name goes
 * to encoding[0..32) and how it was found to *by.  QUIRE_OK, or a failure
 * with the message set. */
static int to_utf8(quire_env *env, txt_reader *r, quire_doc *doc,
                   const char *name, txt_text *t, txt_survey *sv,
                   char *encoding, int *by) {
  const quire_services *svc = env->svc;
  quire_loc loc = {.file = name};
  size_t bom = 0;
  const char *found = NULL;
  if (r->forced[0]) {
    size_t bom_len;
    const char *mark = charset_bom(t->s, t->len, &bom_len);
    found = r->forced;
    bom = mark && strcmp(mark, found) == 0 ? bom_len : 0;
    *by = BY_OPTION;
  } else if ((found = charset_wide(t->s, t->len, &bom)) != NULL)
    *by = bom ? BY_BOM : BY_DETECTION;
  if (found && strcmp(found, "utf-8") != 0) {
    int rc = convert(env, doc, name, found, bom, t);
    if (rc != QUIRE_OK)
      return rc;
  }
  txt_survey_bytes(t->s, t->len, sv);
  if (found) {
    strcpy(encoding, found);
    return QUIRE_OK;
  }
  *by = sv->bom ? BY_BOM : BY_DETECTION;
  strcpy(encoding, "utf-8");
  /* Binary bytes (with NUL bytes) are judged as they are. */
  if (mostly_utf8(sv) || sv->nul)
    return QUIRE_OK;
  charset_guess g;
  if (charset_detect(t->s, t->len, &g) != 0) {
    svc->error(env, &loc, "out of memory");
    return QUIRE_FATAL;
  }
  if (g.unsure)
    svc->warn(env, &loc, "encoding unsure (%s): read as %s; name it with "
              "--input-encoding", g.why, g.name);
  if (strcmp(g.name, "utf-8") == 0)
    return QUIRE_OK;
  int rc = convert(env, doc, name, g.name, g.bom, t);
  if (rc != QUIRE_OK)
    return rc;
  strcpy(encoding, g.name);
  txt_survey_bytes(t->s, t->len, sv);
  return QUIRE_OK;
}

/* Reads r's input into t as clean text: read, converted to UTF-8, judged
 * to be text, decoded; its encoding into doc's metadata.  QUIRE_OK, or a
 * failure with the message set. */
static int read_text(quire_env *env, txt_reader *r, quire_doc *doc,
                     txt_text *t) {
  const quire_services *svc = env->svc;
  const char *name = svc->input_name(r->in);
  quire_loc loc = {.file = name};
  int rc = read_input(env, r->in, doc, t);
  if (rc != QUIRE_OK)
    return rc;
  txt_survey sv;
  char encoding[32];
  int by;
  rc = to_utf8(env, r, doc, name, t, &sv, encoding, &by);
  if (rc != QUIRE_OK)
    return rc;
  char why[96];
  if (txt_not_text(&sv, why, sizeof why)) {
    if (!format_named(env, r->in)) {
      svc->error(env, &loc,
                 "not text: %s; name the format with -f txt to read it "
                 "anyway", why);
      return QUIRE_FAILED;
    }
    svc->warn(env, &loc, "not text (%s): read as text because its format "
              "was named", why);
  }
  if (svc->verbose(env))
    svc->info(env, &loc, "encoding %s (%s)", encoding, found_by[by]);
  if (svc->meta_set(doc, QUIRE_META_ENCODING, encoding) != QUIRE_OK) {
    svc->error(env, &loc, "out of memory");
    return QUIRE_FATAL;
  }
  return txt_decode(env, doc, name, &sv, t);
}

int txt_read_next(quire_env *env, void *state, quire_doc **result) {
  txt_reader *r = state;
  const quire_services *svc = env->svc;
  if (r->done)
    return QUIRE_DONE;
  r->done = 1;
  quire_loc loc = {.file = svc->input_name(r->in)};
  quire_doc *doc = svc->doc_new();
  if (!doc) {
    svc->error(env, &loc, "out of memory");
    return QUIRE_FATAL;
  }
  txt_text t;
  int rc = read_text(env, r, doc, &t);
  char iso[32];
  int dated = rc == QUIRE_OK && txt_find_date(t.s, t.len, iso);
  if (rc == QUIRE_OK)
    rc = txt_build(env, doc, t.s, t.len);
  if (rc == QUIRE_OK && dated &&
      svc->meta_set(doc, QUIRE_META_DATE, iso) != QUIRE_OK) {
    svc->error(env, &loc, "out of memory");
    rc = QUIRE_FATAL;
  }
  if (rc != QUIRE_OK) {
    svc->doc_free(doc);
    return rc;
  }
  *result = doc;
  return QUIRE_OK;
}

void txt_read_close(quire_env *env, void *state) {
  (void)env;
  free(state);
}
