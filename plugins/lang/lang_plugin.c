/* lang_plugin.c - the transform "lang": identifies each document's
 * language from its text and writes it as the document's "language"
 * metadata, a BCP 47 tag.
 *
 * A language the source declared (HTML's lang attribute, an EPUB's
 * dc:language, --lang) is kept: the transform never overrides what a
 * document says of itself.  Otherwise the text (lang_text.c: prose in
 * reading order, up to 4 KB) goes to CLD2, and the language is written
 * only when CLD2 calls its guess reliable and the text has at least 100
 * characters; else the language stays unset, with a note (--verbose) that
 * says why.  A guess is never written as fact: scripts/lang-eval measured
 * CLD2 sure and wrong on 5.7% of 30-character texts, 1.3% to 1.5% of
 * those of 100 to 1,000 (between near-identical languages: Croatian and
 * Bosnian, Indonesian and Malay), and on none of the 144 whole texts
 * (docs/hygiene.md).
 *
 * CLD2 keeps no state between calls (its tables are constant), and the
 * transform keeps none either: a document's language depends on it alone.
 * So the plugin is QUIRE_PLUGIN_CONCURRENT and the transform
 * QUIRE_TRANSFORM_UNORDERED: with -j it runs on the reading threads, at
 * once, ahead of the documents' turn. */
#include "lang.h"

#include <stdio.h>

/* n with a comma between thousands ("2,345"), in buf. */
static const char *thousands(char buf[32], size_t n) {
  char digits[24];
  int len = snprintf(digits, sizeof digits, "%zu", n);
  char *p = buf;
  for (int i = 0; i < len; i++) {
    if (i > 0 && (len - i) % 3 == 0)
      *p++ = ',';
    *p++ = digits[i];
  }
  *p = '\0';
  return buf;
}

static int lang_apply(quire_env *env, void *state, quire_doc *doc) {
  (void)state;
  const quire_services *svc = env->svc;
  lang_text sample, *t = &sample;   /* on the stack: apply() runs on
                                       several threads at once */
  quire_loc loc = {.file = svc->meta_get(doc->meta, QUIRE_META_SOURCE)};
  if (!loc.file)
    loc.file = svc->doc_input(env);

  const char *declared = svc->meta_get(doc->meta, QUIRE_META_LANGUAGE);
  if (declared && declared[0]) {
    svc->info(env, &loc, "language %s, as the source declares it",
              declared);
    return QUIRE_OK;
  }
  lang_text_collect(svc, doc, t, LANG_SAMPLE_BYTES);
  char n[32];
  if (t->chars < LANG_MIN_CHARS) {
    svc->info(env, &loc,
              "language not identified: %zu characters of text, too few "
              "(%d needed)",
              t->chars, LANG_MIN_CHARS);
    return QUIRE_OK;
  }
  lang_guess g;
  int rc = lang_cld2_detect(t->s, t->len, &g);
  if (rc == 0 && t->full && lang_in_group(g.code)) {
    /* Croatian or Bosnian? More text tells. */
    lang_text_collect(svc, doc, t, LANG_SAMPLE_MAX);
    rc = lang_cld2_detect(t->s, t->len, &g);
  }
  if (rc != 0) {
    svc->error(env, &loc, "lang: out of memory");
    return QUIRE_FATAL;
  }
  const char *tag = lang_tag_of_cld2(g.code);
  if (!tag) {
    svc->info(env, &loc,
              "language not identified: CLD2 knows no language in it "
              "(%s bytes)",
              thousands(n, t->len));
    return QUIRE_OK;
  }
  if (!g.reliable) {
    svc->info(env, &loc,
              "language not identified: CLD2 is unsure (best guess %s, "
              "%s bytes)",
              tag, thousands(n, t->len));
    return QUIRE_OK;
  }
  if (svc->meta_set(doc, QUIRE_META_LANGUAGE, tag) != QUIRE_OK) {
    svc->error(env, &loc, "lang: out of memory");
    return QUIRE_FATAL;
  }
  svc->info(env, &loc, "language %s (CLD2, %s bytes)", tag,
            thousands(n, t->len));
  return QUIRE_OK;
}

static const quire_transform lang_transform = {
    .name = "lang",
    .description = "identify each document's language from its text "
                   "(CLD2), unless its source declares one",
    .flags = QUIRE_TRANSFORM_UNORDERED,
    .apply = lang_apply,
};

static const quire_transform *const lang_transforms[] = {&lang_transform};

static const quire_plugin lang_plugin = {
    .abi_major = QUIRE_ABI_MAJOR,
    .abi_minor = QUIRE_ABI_MINOR,
    .struct_size = sizeof(quire_plugin),
    .name = "lang",
    .version = "0.1.0",
    .flags = QUIRE_PLUGIN_CONCURRENT,
    .transforms = lang_transforms,
    .n_transforms = sizeof lang_transforms / sizeof lang_transforms[0],
};

QUIRE_EXPORT const quire_plugin *QUIRE_PLUGIN_ENTRY(void) {
  return &lang_plugin;
}
