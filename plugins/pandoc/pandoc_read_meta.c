/* pandoc_read_meta.c - pandoc's meta into quire's metadata.
 *
 * quire's metadata is text, a key possibly repeated.  pandoc's values are
 * MetaString, MetaInlines and MetaBlocks (taken as their plain text),
 * MetaBool ("true", "false"), MetaList (each element one value of the key)
 * and MetaMap (a map of keys: taken as its "name" when it has one, as
 * pandoc's author maps do, else skipped).  Whatever cannot be read as
 * text is skipped with a warning naming the key.
 *
 * Keys keep their names except lang, which is quire's "language".  title,
 * author, date and language come first, in that order, then the others as
 * pandoc wrote them (pandoc sorts them). */
#include <string.h>

#include "pandoc.h"

/* ---- Plain text ------------------------------------------------------------ */

static void space(json_out *out) {
  if (out->len && out->s[out->len - 1] != ' ')
    json_out_put(out, " ", 1);
}

/* Whether t is one of the NULL-terminated list. */
static int one_of(const char *t, const char *const *list) {
  for (; *list; list++)
    if (pandoc_is(t, *list))
      return 1;
  return 0;
}

/* Elements whose content "c" is their inlines or blocks. */
static const char *const whole_c[] = {
    "Emph",      "Strong",   "Underline", "Strikeout",  "Superscript",
    "Subscript", "SmallCaps", "Plain",    "Para",       "BlockQuote",
    "BulletList", "LineBlock", NULL};
/* Elements whose second part c[1] is their inlines or blocks. */
static const char *const second_c[] = {"Cite", "Span",        "Link", "Image",
                                       "Div",  "OrderedList", NULL};
/* Elements whose second part c[1] is their text. */
static const char *const literal_c[] = {"Code", "Math", "CodeBlock", NULL};

static void add_string(json_out *out, const json_t *s) {
  if (json_is_string(s))
    json_out_put(out, json_string_value(s), json_string_length(s));
}

/* The plain text of one element, inline or block.  Note, RawInline,
 * RawBlock, Table, HorizontalRule and Null give none. */
static void plain_el(const json_t *el, json_out *out) {
  const char *t = pandoc_tag(el);
  const json_t *c = json_object_get(el, "c");
  if (pandoc_is(t, "Str")) {
    add_string(out, c);
  } else if (pandoc_is(t, "Space") || pandoc_is(t, "SoftBreak") ||
             pandoc_is(t, "LineBreak")) {
    space(out);
  } else if (one_of(t, whole_c)) {
    pandoc_plain_text(c, out);
  } else if (one_of(t, second_c)) {
    pandoc_plain_text(json_array_get(c, 1), out);
  } else if (one_of(t, literal_c)) {
    add_string(out, json_array_get(c, 1));
  } else if (pandoc_is(t, "Quoted")) {
    int single = pandoc_is(pandoc_tag(json_array_get(c, 0)), "SingleQuote");
    json_out_puts(out, single ? "\xE2\x80\x98" : "\xE2\x80\x9C");
    pandoc_plain_text(json_array_get(c, 1), out);
    json_out_puts(out, single ? "\xE2\x80\x99" : "\xE2\x80\x9D");
  } else if (pandoc_is(t, "Header")) {
    pandoc_plain_text(json_array_get(c, 2), out);
  } else if (pandoc_is(t, "Figure")) {
    pandoc_plain_text(json_array_get(c, 2), out);
    space(out);
    pandoc_plain_text(json_array_get(json_array_get(c, 1), 1), out);
  } else if (pandoc_is(t, "DefinitionList")) {
    size_t i;
    const json_t *entry;
    json_array_foreach(c, i, entry) {
      space(out);
      pandoc_plain_text(json_array_get(entry, 0), out);
      space(out);
      pandoc_plain_text(json_array_get(entry, 1), out);
    }
  }
}

/* Blocks are separated from what comes before by a space. */
static const char *const blocks[] = {
    "Plain",      "Para",        "Header",     "LineBlock",
    "CodeBlock",  "BlockQuote",  "Div",        "BulletList",
    "OrderedList", "DefinitionList", "Figure", "Table", NULL};

void pandoc_plain_text(const json_t *list, json_out *out) {
  size_t i;
  const json_t *el;
  json_array_foreach(list, i, el) {
    if (json_is_array(el)) {   /* a list item, a line, a definition */
      space(out);
      pandoc_plain_text(el, out);
      continue;
    }
    if (one_of(pandoc_tag(el), blocks))
      space(out);
    plain_el(el, out);
  }
}

/* ---- Values ---------------------------------------------------------------- */

/* A value as text into out: 1, or 0 when it is not text. */
static int value_text(const json_t *v, json_out *out) {
  const char *t = pandoc_tag(v);
  const json_t *c = json_object_get(v, "c");
  if (pandoc_is(t, "MetaString") && json_is_string(c)) {
    json_out_put(out, json_string_value(c), json_string_length(c));
    return 1;
  }
  if (pandoc_is(t, "MetaInlines") || pandoc_is(t, "MetaBlocks")) {
    pandoc_plain_text(c, out);
    return 1;
  }
  if (pandoc_is(t, "MetaBool") && json_is_boolean(c)) {
    json_out_puts(out, json_is_true(c) ? "true" : "false");
    return 1;
  }
  if (pandoc_is(t, "MetaMap") && json_object_get(c, "name"))
    return value_text(json_object_get(c, "name"), out);
  return 0;
}

/* The text without spaces at its ends, into the document under key. */
static int add_value(quire_env *env, quire_doc *doc, const char *key,
                     json_out *text) {
  const char *s = text->s ? text->s : "";
  size_t n = text->len;
  while (n && s[n - 1] == ' ')
    n--;
  while (n && *s == ' ')
    s++, n--;
  if (!n)
    return QUIRE_OK;
  char *value = env->svc->strndup(doc, s, n);
  return value ? env->svc->meta_add(doc, key, value) : QUIRE_FAILED;
}

/* One key: its value, or each element of its list, as text. */
static int read_key(quire_env *env, quire_doc *doc, const char *key,
                    const json_t *v, const quire_loc *loc) {
  const char *qkey = pandoc_is(key, "lang") ? QUIRE_META_LANGUAGE : key;
  json_out text = {0};
  int rc = QUIRE_OK, skipped = 0;
  if (pandoc_is(pandoc_tag(v), "MetaList")) {
    size_t i;
    const json_t *el;
    json_array_foreach(json_object_get(v, "c"), i, el) {
      json_out_clear(&text);
      if (!value_text(el, &text))
        skipped = 1;
      else if (rc == QUIRE_OK)
        rc = add_value(env, doc, qkey, &text);
    }
  } else if (value_text(v, &text)) {
    rc = add_value(env, doc, qkey, &text);
  } else {
    skipped = 1;
  }
  if (text.failed)
    rc = QUIRE_FAILED;
  json_out_free(&text);
  if (skipped)
    env->svc->warn(env, loc, "metadata '%s' skipped: a pandoc %s holds more "
                             "than text", key,
                   pandoc_tag(v) ? pandoc_tag(v) : "value");
  return rc;
}

int pandoc_read_meta(quire_env *env, quire_doc *doc, const json_t *meta,
                     const char *name) {
  static const char *const first[] = {"title", "author", "date", "lang"};
  const size_t n_first = sizeof first / sizeof first[0];
  quire_loc loc = {.file = name};
  int rc = QUIRE_OK;
  for (size_t i = 0; rc == QUIRE_OK && i < n_first; i++) {
    const json_t *v = json_object_get(meta, first[i]);
    if (v)
      rc = read_key(env, doc, first[i], v, &loc);
  }
  const char *key;
  const json_t *v;
  json_object_foreach((json_t *)meta, key, v) {
    int known = 0;
    for (size_t i = 0; i < n_first; i++)
      known |= pandoc_is(key, first[i]);
    if (!known && rc == QUIRE_OK)
      rc = read_key(env, doc, key, v, &loc);
  }
  if (rc != QUIRE_OK) {
    env->svc->error(env, &loc, "out of memory");
    return QUIRE_FATAL;
  }
  return QUIRE_OK;
}
