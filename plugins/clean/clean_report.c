/* clean_report.c - nothing disappears unrecorded.
 *
 * Each removed block is told twice, when asked: with --verbose as a note
 * (its first 80 characters and the reason), and with --clean-report FILE as
 * one JSON object per line (JSON Lines), written with jansson:
 *
 *   {"document": "corpus/003.txt", "block": 4, "text": "17:03",
 *    "reason": "date or time line", "score": -3.5}
 *
 * "document" is the document's source path (its title when it has none),
 * "block" the block's position in the document's reading order, from 1,
 * "score" the block's score (negative: chrome; see clean_score.c). */
#include "clean.h"

#include <jansson.h>

/* The length in bytes of the first `chars` characters of s[0..n). */
static size_t utf8_prefix(const char *s, size_t n, size_t chars) {
  size_t i = 0, c = 0;
  while (i < n) {
    if (((unsigned char)s[i] & 0xC0) != 0x80) {
      if (c == chars)
        break;
      c++;
    }
    i++;
  }
  return i;
}

int clean_report_block(quire_env *env, clean_state *st, const quire_doc *doc,
                       const clean_block *b) {
  const quire_services *svc = env->svc;
  const char *doc_name = svc->meta_get(doc->meta, QUIRE_META_SOURCE);
  if (!doc_name)
    doc_name = svc->meta_get(doc->meta, QUIRE_META_TITLE);
  if (!doc_name)
    doc_name = "";
  if (!svc->verbose(env) && !jsonl_report_on(&st->report))
    return QUIRE_OK;
  const char *text;
  size_t len;
  if (clean_full_text(env, st, b, &text, &len) != QUIRE_OK)
    return QUIRE_FATAL;
  const char *reason = b->reason ? b->reason : "chrome";
  if (svc->verbose(env)) {
    quire_loc loc = {.file = doc_name};
    size_t cut = utf8_prefix(text, len, 80);
    svc->info(env, &loc, "clean: removed block %u \"%.*s%s\" (%s, %.1f)",
              b->index, (int)cut, text, cut < len ? "…" : "", reason,
              b->score);
  }
  if (!jsonl_report_on(&st->report))
    return QUIRE_OK;
  json_t *o = json_object();
  if (o && (json_object_set_new(o, "document", json_string(doc_name)) ||
            json_object_set_new(o, "block", json_integer(b->index)) ||
            json_object_set_new(o, "text", json_stringn(text, len)) ||
            json_object_set_new(o, "reason", json_string(reason)) ||
            json_object_set_new(o, "score",
                                json_real(jsonl_two_places(b->score))))) {
    json_decref(o);
    o = NULL;
  }
  jsonl_report_put(env, &st->report, o, 0);
  return QUIRE_OK;
}
