/* txt_read.c - the plain-text reader: decode, then recover structure. */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "txt.h"

typedef struct txt_reader {
  quire_input *in;
  int done;
} txt_reader;

int txt_read_open(quire_env *env, quire_input *in, const quire_options *opts,
                  void **state) {
  (void)opts;
  txt_reader *r = calloc(1, sizeof *r);
  if (!r) {
    quire_loc loc = {.file = env->svc->input_name(in)};
    env->svc->error(env, &loc, "out of memory");
    return QUIRE_FATAL;
  }
  r->in = in;
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

int txt_read_next(quire_env *env, void *state, quire_doc **result) {
  txt_reader *r = state;
  const quire_services *svc = env->svc;
  if (r->done)
    return QUIRE_DONE;
  r->done = 1;
  const char *name = svc->input_name(r->in);
  quire_loc loc = {.file = name};
  char *bytes, *text = NULL;
  size_t len, text_len;
  int rc = svc->input_read_all(env, r->in, &bytes, &len);
  if (rc != QUIRE_OK)
    return rc < 0 ? rc : QUIRE_FAILED;   /* the message is set */
  char *utf8;
  size_t utf8_len;
  int utf16 = txt_from_utf16(bytes, len, &utf8, &utf8_len);
  if (utf16 < 0) {
    free(bytes);
    svc->error(env, &loc, "out of memory");
    return QUIRE_FATAL;
  }
  if (utf16) {
    free(bytes);
    bytes = utf8;
    len = utf8_len;
  }
  char why[96];
  if (txt_not_text(bytes, len, why, sizeof why)) {
    if (!format_named(env, r->in)) {
      free(bytes);
      svc->error(env, &loc,
                 "not text: %s; name the format with -f txt to read it "
                 "anyway", why);
      return QUIRE_FAILED;
    }
    svc->warn(env, &loc, "not text (%s): read as text because its format "
              "was named", why);
  }
  rc = txt_decode(env, name, bytes, len, &text, &text_len);
  free(bytes);
  if (rc != QUIRE_OK)
    return rc;
  char iso[32];
  int dated = txt_find_date(text, text_len, iso);
  /* The text moves into the document's arena, where the nodes use it in
   * place: the document holds it once. */
  quire_doc *doc = svc->doc_new();
  char *kept = doc ? svc->alloc(doc, text_len + 1) : NULL;
  if (kept)
    memcpy(kept, text, text_len);
  free(text);
  if (!kept) {
    svc->doc_free(doc);
    svc->error(env, &loc, "out of memory");
    return QUIRE_FATAL;
  }
  rc = txt_build(env, doc, kept, text_len);
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
