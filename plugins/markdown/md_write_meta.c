/* md_write_meta.c - YAML front matter, made with libyaml's emitter (the
 * library the reader parses it with), so quoting and escaping are YAML's
 * own: a value with ": ", a leading quote or a '#' is quoted by the
 * emitter.  Values YAML would read as something other than a string (a
 * number, a boolean, null) are asked for in double quotes, so that a
 * title "1984" or "yes" stays a string for every reader of YAML. */
#include <string.h>
#include <strings.h>

#include <yaml.h>

#include "md_write.h"

static int to_buf(void *data, unsigned char *s, size_t n) {
  md_buf *b = data;
  md_buf_put(b, (const char *)s, n);
  return !b->failed;
}

/* Non-zero when a plain scalar s would not read as a string in YAML 1.1
 * or 1.2: null, booleans, numbers. */
static int needs_quotes(const char *s) {
  static const char *const words[] = {
      "", "~", "null", "true", "false", "yes", "no", "on", "off", "y", "n",
      ".inf", "-.inf", "+.inf", ".nan"};
  for (size_t i = 0; i < sizeof words / sizeof *words; i++)
    if (strcasecmp(s, words[i]) == 0)
      return 1;
  const char *p = s;
  if (*p == '+' || *p == '-')
    p++;
  if (p[0] == '0' && (p[1] == 'x' || p[1] == 'o' || p[1] == 'b') && p[2])
    return 1;
  int digits = 0, dots = 0;
  while ((*p >= '0' && *p <= '9') || *p == '_' || *p == '.') {
    digits += *p >= '0' && *p <= '9';
    dots += *p == '.';
    p++;
  }
  if (!digits || dots > 1)
    return 0;
  if (*p == 'e' || *p == 'E') {
    p++;
    if (*p == '+' || *p == '-')
      p++;
    if (!(*p >= '0' && *p <= '9'))
      return 0;
    while (*p >= '0' && *p <= '9')
      p++;
  }
  return *p == '\0' || (*p == ':' && p[1] >= '0' && p[1] <= '9');
}

static int scalar(yaml_emitter_t *e, const char *s, int key) {
  yaml_event_t ev;
  yaml_scalar_style_t style = !key && needs_quotes(s)
                                  ? YAML_DOUBLE_QUOTED_SCALAR_STYLE
                                  : YAML_ANY_SCALAR_STYLE;
  if (!yaml_scalar_event_initialize(&ev, NULL, NULL, (yaml_char_t *)s,
                                    (int)strlen(s), 1, 1, style))
    return 0;
  return yaml_emitter_emit(e, &ev);
}

int md_front_write(md_writer *w, md_buf *b, char *const *kv, size_t n) {
  if (!n)
    return QUIRE_OK;
  yaml_emitter_t e;
  yaml_event_t ev;
  if (!yaml_emitter_initialize(&e))
    return md_write_oom(w);
  yaml_emitter_set_output(&e, to_buf, b);
  yaml_emitter_set_unicode(&e, 1);
  yaml_emitter_set_width(&e, -1);
  yaml_emitter_set_indent(&e, 2);
  int ok = yaml_stream_start_event_initialize(&ev, YAML_UTF8_ENCODING) &&
           yaml_emitter_emit(&e, &ev) &&
           yaml_document_start_event_initialize(&ev, NULL, NULL, NULL, 0) &&
           yaml_emitter_emit(&e, &ev) &&
           yaml_mapping_start_event_initialize(&ev, NULL, NULL, 1,
                                               YAML_BLOCK_MAPPING_STYLE) &&
           yaml_emitter_emit(&e, &ev);
  /* Each key once, where it first comes; a repeated key a list. */
  for (size_t i = 0; ok && i < n; i++) {
    const char *key = kv[2 * i];
    int seen = 0;
    for (size_t j = 0; j < i; j++)
      if (strcmp(kv[2 * j], key) == 0)
        seen = 1;
    if (seen)
      continue;
    size_t count = 0;
    for (size_t j = i; j < n; j++)
      count += strcmp(kv[2 * j], key) == 0;
    ok = scalar(&e, key, 1);
    if (ok && count == 1) {
      ok = scalar(&e, kv[2 * i + 1], 0);
    } else if (ok) {
      ok = yaml_sequence_start_event_initialize(&ev, NULL, NULL, 1,
                                                YAML_BLOCK_SEQUENCE_STYLE) &&
           yaml_emitter_emit(&e, &ev);
      for (size_t j = i; ok && j < n; j++)
        if (strcmp(kv[2 * j], key) == 0)
          ok = scalar(&e, kv[2 * j + 1], 0);
      ok = ok && yaml_sequence_end_event_initialize(&ev) &&
           yaml_emitter_emit(&e, &ev);
    }
  }
  ok = ok && yaml_mapping_end_event_initialize(&ev) &&
       yaml_emitter_emit(&e, &ev) &&
       yaml_document_end_event_initialize(&ev, 1) &&
       yaml_emitter_emit(&e, &ev) && yaml_stream_end_event_initialize(&ev) &&
       yaml_emitter_emit(&e, &ev) && yaml_emitter_flush(&e);
  int failed = !ok;
  const char *problem = e.problem;   /* a static string of libyaml's */
  yaml_emitter_delete(&e);
  if (failed || b->failed) {
    if (b->failed)
      return md_write_oom(w);
    w->svc->error(w->env, NULL, "cannot write the YAML front matter: %s",
                  problem ? problem : "libyaml failed");
    return QUIRE_FATAL;
  }
  /* libyaml ends an implicit document without "..."; the front matter's
   * closing line is ours. */
  if (b->n >= 4 && memcmp(b->p + b->n - 4, "...\n", 4) == 0)
    b->n -= 4;
  md_buf_puts(b, "---\n");
  return QUIRE_OK;
}
