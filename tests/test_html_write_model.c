/* test_html_write_model.c - the HTML and XHTML writers on Model 2: every
 * new node type as its semantic element, attributes (and never script),
 * notes in pandoc's shape and as EPUB 3 footnotes, and the images a
 * document carries: extracted to a folder or embedded as data: URIs, so
 * that no image of the page is a broken link.
 *
 * Documents are built in memory and written through the plugin's writer
 * with a services table made of libquire's own functions (as
 * test_html.c does), which lets a test say where the output goes; the
 * defaults for a file and for standard output are also checked through
 * the core and the command line, from a JSON document carrying images. */
#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <libxml/HTMLparser.h>
#include <libxml/parser.h>
#include <quire/quire.h>

#include "run_cmd.h"
#include "session_fixture.h"
#include "skip_note.h"
#include "test_files.h"

#define PLUGIN QUIRE_BINARY_DIR "/lib/quire/plugins/html.so"
#define QUIRE_BIN QUIRE_BINARY_DIR "/bin/quire"

/* ---- Images, one of each kind a page shows ------------------------------- */

static const char png_bytes[] =
    "\x89\x50\x4e\x47\x0d\x0a\x1a\x0a\x00\x00\x00\x0d\x49\x48\x44\x52\x00\x00"
    "\x00\x02\x00\x00\x00\x02\x08\x02\x00\x00\x00\xfd\xd4\x9a\x73\x00\x00\x00"
    "\x10\x49\x44\x41\x54\x78\x9c\x63\xf8\xcf\xc0\x00\x44\x0c\x10\x0a\x00\x1f"
    "\xee\x03\xfd\x8b\x5f\x14\xd4\x00\x00\x00\x00\x49\x45\x4e\x44\xae\x42\x60"
    "\x82";
static const char gif_bytes[] =
    "\x47\x49\x46\x38\x39\x61\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00"
    "\x00\x21\xf9\x04\x01\x00\x00\x00\x00\x2c\x00\x00\x00\x00\x01\x00\x01\x00"
    "\x00\x02\x02\x44\x01\x00\x3b";
static const char jpeg_bytes[] =
    "\xff\xd8\xff\xdb\x00\x43\x00\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01"
    "\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01"
    "\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01"
    "\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\xff"
    "\xc0\x00\x0b\x08\x00\x01\x00\x01\x01\x01\x11\x00\xff\xc4\x00\x14\x00\x01"
    "\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\xff\xc4"
    "\x00\x14\x10\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"
    "\x00\x00\xff\xda\x00\x08\x01\x01\x00\x00\x3f\x00\x3f\xff\xd9";
static const char webp_bytes[] =
    "\x52\x49\x46\x46\x1a\x00\x00\x00\x57\x45\x42\x50\x56\x50\x38\x4c\x0d\x00"
    "\x00\x00\x2f\x00\x00\x00\x10\x07\x10\x11\x11\x88\x88\xfe\x07\x00";
static const char svg_bytes[] =
    "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"2\" height=\"2\">"
    "<rect width=\"2\" height=\"2\" fill=\"red\"/></svg>\n";

typedef struct sample {
  const char *name;          /* the resource's name, an image's url */
  const char *type;
  const char *bytes;
  size_t len;
} sample;

#define SAMPLE(name, type, bytes) {name, type, bytes, sizeof bytes - 1}

/* In folders and sub-folders, with a name that needs percent-encoding. */
static const sample samples[] = {
    SAMPLE("images/dot.png", "image/png", png_bytes),
    SAMPLE("images/photos/red dot.jpg", "image/jpeg", jpeg_bytes),
    SAMPLE("pixel.gif", "image/gif", gif_bytes),
    SAMPLE("images/dot.webp", "image/webp", webp_bytes),
    SAMPLE("art/square.svg", "image/svg+xml", svg_bytes),
};
#define N_SAMPLES (sizeof samples / sizeof *samples)

/* ---- A services table of libquire's functions ---------------------------- */

typedef struct sink {
  char *s;
  size_t n, cap;
  const char *path;          /* output_path: NULL as for standard output */
  const char *name;          /* output_name */
} sink;

static char messages[16384];
static int n_warnings;

static void note(const char *kind, const char *fmt, va_list ap) {
  size_t n = strlen(messages);
  snprintf(messages + n, sizeof messages - n, "%s: ", kind);
  n = strlen(messages);
  vsnprintf(messages + n, sizeof messages - n, fmt, ap);
  n = strlen(messages);
  snprintf(messages + n, sizeof messages - n, ";");
}

static void fake_error(quire_env *env, const quire_loc *loc, const char *fmt,
                       ...) {
  (void)env, (void)loc;
  va_list ap;
  va_start(ap, fmt);
  note("error", fmt, ap);
  va_end(ap);
}

static void fake_warn(quire_env *env, const quire_loc *loc, const char *fmt,
                      ...) {
  (void)env, (void)loc;
  n_warnings++;
  va_list ap;
  va_start(ap, fmt);
  note("warning", fmt, ap);
  va_end(ap);
}

static int fake_usage(quire_env *env, const char *fmt, ...) {
  (void)env;
  va_list ap;
  va_start(ap, fmt);
  note("usage", fmt, ap);
  va_end(ap);
  return QUIRE_FATAL;
}

static int fake_verbose(quire_env *env) { return (void)env, 0; }

static uint64_t fake_limit(quire_env *env, const char *name) {
  (void)env;
  return strcmp(name, "max-depth") == 0 ? 256 : (uint64_t)1 << 30;
}

static const char *fake_option(const quire_options *opts, const char *name) {
  const char *v = NULL;
  for (size_t i = 0; opts && i < opts->count; i++)
    if (strcmp(opts->items[i].name, name) == 0)
      v = opts->items[i].value;
  return v;
}

static int fake_write(quire_env *env, quire_output *out, const void *buf,
                      size_t n) {
  (void)env;
  sink *k = (sink *)(void *)out;
  if (k->n + n + 1 > k->cap) {
    k->cap = (k->n + n + 1) * 2;
    k->s = realloc(k->s, k->cap);
    assert_non_null(k->s);
  }
  memcpy(k->s + k->n, buf, n);
  k->n += n;
  k->s[k->n] = '\0';
  return QUIRE_OK;
}

static const char *fake_output_path(const quire_output *out) {
  return ((const sink *)(const void *)out)->path;
}

static const char *fake_output_name(const quire_output *out) {
  const sink *k = (const sink *)(const void *)out;
  return k->name ? k->name : "<stdout>";
}

/* The page's file, as the user named it, when the output is one. */
static const char *fake_output_target(const quire_output *out) {
  const sink *k = (const sink *)(const void *)out;
  return k->path ? k->name : NULL;
}

static const quire_services services = {
    .struct_size = sizeof(quire_services),
    .error = fake_error,
    .warn = fake_warn,
    .usage_error = fake_usage,
    .verbose = fake_verbose,
    .limit = fake_limit,
    .option = fake_option,
    .output_write = fake_write,
    .output_path = fake_output_path,
    .output_name = fake_output_name,
    .output_target = fake_output_target,
    .doc_new = quire_doc_new,
    .doc_free = quire_doc_free,
    .doc_adopt = quire_doc_adopt,
    .alloc = quire_doc_alloc,
    .strndup = quire_doc_strndup,
    .node_new = quire_node_new,
    .node_new_text = quire_node_new_text,
    .node_append = quire_node_append,
    .node_insert_before = quire_node_insert_before,
    .node_unlink = quire_node_unlink,
    .node_can_contain = quire_node_can_contain,
    .node_is_leaf = quire_node_is_leaf,
    .node_is_inline = quire_node_is_inline,
    .node_type_name = quire_node_type_name,
    .iter_init = quire_iter_init,
    .iter_next = quire_iter_next,
    .meta_get = quire_meta_get,
    .meta_set = quire_meta_set,
    .meta_add = quire_meta_add,
    .node_set_attr = quire_node_set_attr,
    .node_attr = quire_node_attr,
    .res_add = quire_res_add,
    .res_find = quire_res_find,
    .res_read = quire_res_read,
    .media_type_of = quire_media_type_of,
};

/* ---- The plugin ---------------------------------------------------------- */

typedef struct plugin {
  void *so;
  const quire_plugin *desc;
  quire_env env;
} plugin;

static plugin the_plugin;

static int plugin_setup(void **state) {
  int rc = fixture_setup(state);
  plugin *p = &the_plugin;
  p->so = dlopen(PLUGIN, RTLD_NOW | RTLD_LOCAL);
  if (!p->so)
    fail_msg("%s", dlerror());
  quire_plugin_entry_fn entry =
      (quire_plugin_entry_fn)dlsym(p->so, "quire_plugin_v2");
  assert_non_null(entry);
  p->desc = entry();
  p->env = (quire_env){.svc = &services};
  if (p->desc->init)
    assert_int_equal(p->desc->init(&p->env), QUIRE_OK);
  messages[0] = '\0';
  n_warnings = 0;
  return rc;
}

static int plugin_teardown(void **state) {
  plugin *p = &the_plugin;
  if (p->desc->fini)
    p->desc->fini(&p->env);
  if (!getenv("QUIRE_NO_DLCLOSE"))
    dlclose(p->so);
  return fixture_teardown(state);
}

static const quire_format *format_of(const char *name) {
  plugin *p = &the_plugin;
  for (size_t i = 0; i < p->desc->n_formats; i++)
    if (strcmp(p->desc->formats[i]->name, name) == 0)
      return p->desc->formats[i];
  fail_msg("no format %s", name);
  return NULL;
}

/* Writes docs with format `name` and options to out; the result of
 * write_close (ok non-zero) or of the first failure. */
static int write_to(sink *out, const char *name, quire_doc **docs, size_t n,
                    const quire_option *opts, size_t n_opts, int ok) {
  const quire_format *fmt = format_of(name);
  quire_options o = {opts, n_opts};
  void *state = NULL;
  quire_env *env = &the_plugin.env;
  int rc = fmt->write_open(env, (quire_output *)(void *)out, &o, NULL, &state);
  if (rc != QUIRE_OK)
    return rc;
  for (size_t i = 0; i < n && rc >= QUIRE_OK; i++)
    rc = fmt->write_doc(env, state, docs[i]);
  int closed = fmt->write_close(env, state, ok && rc >= QUIRE_OK);
  return rc < QUIRE_OK ? rc : closed;
}

/* The page docs make, written to memory as if to standard output. */
static char *page_of(const char *name, quire_doc **docs, size_t n,
                     const quire_option *opts, size_t n_opts) {
  sink out = {0};
  int rc = write_to(&out, name, docs, n, opts, n_opts, 1);
  if (rc != QUIRE_OK && rc != QUIRE_WARN)
    fail_msg("writing %s failed (%d): %s", name, rc, messages);
  return out.s;
}

/* ---- Building documents -------------------------------------------------- */

static quire_node *add(quire_node *parent, quire_doc *d, quire_node_type t) {
  quire_node *n = quire_node_new(d, t);
  assert_non_null(n);
  assert_int_equal(quire_node_append(parent, n), QUIRE_OK);
  return n;
}

static quire_node *text(quire_node *parent, quire_doc *d, const char *s) {
  quire_node *n = quire_node_new_text(d, QUIRE_NODE_TEXT, s, strlen(s));
  assert_int_equal(quire_node_append(parent, n), QUIRE_OK);
  return n;
}

/* A container holding one text. */
static quire_node *wrap(quire_node *parent, quire_doc *d, quire_node_type t,
                        const char *s) {
  quire_node *n = add(parent, d, t);
  text(n, d, s);
  return n;
}

static quire_node *para(quire_node *parent, quire_doc *d, const char *s) {
  return wrap(parent, d, QUIRE_NODE_PARAGRAPH, s);
}

static void set(quire_doc *d, quire_node *n, const char *key,
                const char *value) {
  assert_int_equal(quire_node_set_attr(d, n, key, value), QUIRE_OK);
}

static quire_node *image(quire_node *parent, quire_doc *d, const char *url,
                         const char *alt) {
  quire_node *n = add(parent, d, QUIRE_NODE_IMAGE);
  n->url = quire_doc_strndup(d, url, strlen(url));
  text(n, d, alt);
  return n;
}

static quire_node *cell(quire_node *row, quire_doc *d, const char *s) {
  return wrap(row, d, QUIRE_NODE_TABLE_CELL, s);
}

static void add_resource(quire_doc *d, const sample *s) {
  const quire_resource *res = NULL;
  assert_int_equal(quire_res_add(d, s->name, s->type, 0, s->bytes, s->len,
                                 &res),
                   QUIRE_OK);
  assert_non_null(res);
}

/* ---- Looking at pages ---------------------------------------------------- */

static void expect(const char *page, const char *piece) {
  if (!strstr(page, piece))
    fail_msg("missing from the output: %s\n---\n%s", piece, page);
}

static void expect_not(const char *page, const char *piece) {
  if (strstr(page, piece))
    fail_msg("in the output, but should not be: %s\n---\n%s", piece, page);
}

static int count(const char *hay, const char *needle) {
  int n = 0;
  for (const char *p = hay; (p = strstr(p, needle)) != NULL; p++)
    n++;
  return n;
}

static xmlDoc *parse_html(const char *page) {
  xmlDoc *doc = htmlReadMemory(page, (int)strlen(page), "page.html", "UTF-8",
                               HTML_PARSE_NONET | HTML_PARSE_NOERROR |
                                   HTML_PARSE_NOWARNING);
  assert_non_null(doc);
  return doc;
}

/* Parses XHTML, failing unless it is well-formed namespaced XML. */
static xmlDoc *parse_xhtml(const char *page) {
  xmlParserCtxtPtr ctxt = xmlNewParserCtxt();
  xmlDoc *doc = xmlCtxtReadMemory(ctxt, page, (int)strlen(page), "p.xhtml",
                                  NULL, XML_PARSE_NONET | XML_PARSE_NOERROR |
                                            XML_PARSE_NOWARNING);
  int ok = doc && ctxt->wellFormed && ctxt->nsWellFormed;
  xmlFreeParserCtxt(ctxt);
  if (!ok)
    fail_msg("not well-formed XML:\n%s", page);
  return doc;
}

/* Calls fn on every element under n, depth first. */
static void each_element(xmlNode *n, void (*fn)(xmlNode *, void *),
                         void *user) {
  for (; n; n = n->next)
    if (n->type == XML_ELEMENT_NODE) {
      fn(n, user);
      each_element(n->children, fn, user);
    }
}

static void collect_srcs(xmlNode *n, void *user) {
  char **srcs = user;
  if (strcasecmp((const char *)n->name, "img") != 0)
    return;
  xmlChar *src = xmlGetProp(n, BAD_CAST "src");
  assert_non_null(src);
  size_t i = 0;
  while (srcs[i])
    i++;
  assert_true(i < 63);
  srcs[i] = strdup((const char *)src);
  xmlFree(src);
}

/* The src of every <img> of the page (at most 63), NULL-terminated; free
 * with free_srcs. */
static char **img_srcs(const char *page, int xhtml) {
  char **srcs = calloc(64, sizeof *srcs);
  xmlDoc *doc = xhtml ? parse_xhtml(page) : parse_html(page);
  each_element(xmlDocGetRootElement(doc), collect_srcs, srcs);
  xmlFreeDoc(doc);
  return srcs;
}

static void free_srcs(char **srcs) {
  for (size_t i = 0; srcs[i]; i++)
    free(srcs[i]);
  free(srcs);
}

static size_t n_srcs(char **srcs) {
  size_t n = 0;
  while (srcs[n])
    n++;
  return n;
}

static int unhex(int c) {
  return c >= '0' && c <= '9' ? c - '0' : (c | 32) - 'a' + 10;
}

/* A URL's path with its %XX decoded, in a new string. */
static char *url_decode(const char *s) {
  char *out = malloc(strlen(s) + 1), *o = out;
  for (; *s; s++)
    if (*s == '%' && s[1] && s[2]) {
      *o++ = (char)(unhex(s[1]) << 4 | unhex(s[2]));
      s += 2;
    } else {
      *o++ = *s;
    }
  *o = '\0';
  return out;
}

static unsigned char *slurp(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f)
    return NULL;
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  unsigned char *buf = malloc((size_t)n + 1);
  *len = fread(buf, 1, (size_t)n, f);
  buf[*len] = '\0';
  fclose(f);
  return buf;
}

static int b64(int c) {
  return c >= 'A' && c <= 'Z'   ? c - 'A'
         : c >= 'a' && c <= 'z' ? c - 'a' + 26
         : c >= '0' && c <= '9' ? c - '0' + 52
         : c == '+'             ? 62
         : c == '/'             ? 63
                                : -1;
}

/* The bytes of a data: URI with base64, and its media type in type. */
static unsigned char *data_uri_bytes(const char *uri, char *type,
                                     size_t type_size, size_t *len) {
  assert_true(strncmp(uri, "data:", 5) == 0);
  const char *semi = strstr(uri, ";base64,");
  assert_non_null(semi);
  snprintf(type, type_size, "%.*s", (int)(semi - uri - 5), uri + 5);
  const char *s = semi + 8;
  unsigned char *out = malloc(strlen(s) + 1);
  size_t n = 0;
  unsigned v = 0;
  int bits = 0;
  for (; *s && *s != '='; s++) {
    int d = b64(*s);
    if (d < 0)
      fail_msg("not base64 in a data: URI: '%c'", *s);
    v = v << 6 | (unsigned)d;
    if ((bits += 6) >= 8) {
      out[n++] = (unsigned char)(v >> (bits - 8));
      bits -= 8;
    }
  }
  *len = n;
  return out;
}

static int same_bytes(const unsigned char *got, size_t n, const sample *s) {
  return n == s->len && memcmp(got, s->bytes, n) == 0;
}

/* Checks that src, relative to `base` (a folder, or "" for as it is),
 * names a file with the bytes of one of the samples; returns that
 * sample. */
static const sample *resolves_to_file(const char *src, const char *base) {
  if (strncmp(src, "data:", 5) == 0 || strstr(src, "://"))
    fail_msg("a link to a file expected, not %.60s", src);
  char *path = url_decode(src);
  char full[1024];
  snprintf(full, sizeof full, "%s%s%s", base, base[0] ? "/" : "", path);
  size_t n = 0;
  unsigned char *got = slurp(full, &n);
  if (!got)
    fail_msg("img src %s: no file %s", src, full);
  const sample *match = NULL;
  for (size_t i = 0; i < N_SAMPLES && !match; i++)
    if (same_bytes(got, n, &samples[i]))
      match = &samples[i];
  if (!match)
    fail_msg("img src %s: %s holds none of the images' bytes", src, full);
  free(got);
  free(path);
  return match;
}

static const sample *resolves_to_data(const char *src) {
  char type[64];
  size_t n = 0;
  unsigned char *got = data_uri_bytes(src, type, sizeof type, &n);
  const sample *match = NULL;
  for (size_t i = 0; i < N_SAMPLES && !match; i++)
    if (same_bytes(got, n, &samples[i]))
      match = &samples[i];
  if (!match)
    fail_msg("a data: URI decodes to none of the images' bytes");
  assert_string_equal(type, match->type);
  free(got);
  return match;
}

/* Files (not folders) under dir, recursively. */
static int files_under(const char *dir) {
  DIR *d = opendir(dir);
  if (!d)
    return 0;
  int n = 0;
  struct dirent *e;
  while ((e = readdir(d)) != NULL) {
    if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
      continue;
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
    struct stat st;
    assert_int_equal(lstat(path, &st), 0);
    n += S_ISDIR(st.st_mode) ? files_under(path) : 1;
  }
  closedir(d);
  return n;
}

static int exists(const char *path) {
  struct stat st;
  return lstat(path, &st) == 0;
}

/* ---- Every node type ----------------------------------------------------- */

/* A document with every type Model 2 adds. */
static quire_doc *model2_doc(void) {
  quire_doc *d = quire_doc_new();
  quire_meta_set(d, "title", "Model 2");
  quire_node *div = add(d->root, d, QUIRE_NODE_DIV);
  set(d, div, "id", "d1");
  set(d, div, "class", "aside warning");
  set(d, div, "data-kind", "box");
  quire_node *p = para(div, d, "Inline: ");
  wrap(p, d, QUIRE_NODE_STRIKEOUT, "struck");
  wrap(p, d, QUIRE_NODE_SUPERSCRIPT, "2");
  wrap(p, d, QUIRE_NODE_SUBSCRIPT, "i");
  wrap(p, d, QUIRE_NODE_SMALL_CAPS, "Caps");
  wrap(p, d, QUIRE_NODE_UNDERLINE, "under");
  quire_node *span = wrap(p, d, QUIRE_NODE_SPAN, "spanned");
  set(d, span, "class", "mark");
  set(d, span, "lang", "fr");
  quire_node *q = wrap(p, d, QUIRE_NODE_QUOTED, "double ");
  q->kind = QUIRE_QUOTE_DOUBLE;
  quire_node *q2 = wrap(q, d, QUIRE_NODE_QUOTED, "single");
  q2->kind = QUIRE_QUOTE_SINGLE;
  /* read back from such a page, it may keep its class: not written twice */
  quire_node *q3 = wrap(p, d, QUIRE_NODE_QUOTED, "again");
  q3->kind = QUIRE_QUOTE_SINGLE;
  set(d, q3, "class", "single");
  quire_node *m = quire_node_new_text(d, QUIRE_NODE_MATH, "a<b", 3);
  quire_node_append(p, m);
  m = quire_node_new_text(d, QUIRE_NODE_MATH, "\\sum_i x_i", 10);
  m->kind = QUIRE_MATH_DISPLAY;
  quire_node_append(p, m);

  quire_node *lb = add(d->root, d, QUIRE_NODE_LINE_BLOCK);
  wrap(lb, d, QUIRE_NODE_LINE, "The first line");
  quire_node *l2 = wrap(lb, d, QUIRE_NODE_LINE, "the second, ");
  wrap(l2, d, QUIRE_NODE_EMPH, "indented");

  quire_node *dl = add(d->root, d, QUIRE_NODE_DEFINITION_LIST);
  wrap(dl, d, QUIRE_NODE_TERM, "apple");
  para(add(dl, d, QUIRE_NODE_DEFINITION), d, "A fruit.");
  quire_node *def = add(dl, d, QUIRE_NODE_DEFINITION);
  para(def, d, "A company.");
  para(def, d, "Of computers.");

  quire_node *fig = add(d->root, d, QUIRE_NODE_FIGURE);
  set(d, fig, "id", "fig1");
  image(add(fig, d, QUIRE_NODE_PARAGRAPH), d, "https://example.org/a.png",
        "A dot");
  para(add(fig, d, QUIRE_NODE_CAPTION), d, "Figure 1");

  quire_node *ol = add(d->root, d, QUIRE_NODE_ORDERED_LIST);
  ol->start = 3;
  ol->style = QUIRE_LIST_LOWER_ALPHA;
  ol->tight = 1;
  para(add(ol, d, QUIRE_NODE_ITEM), d, "third");
  quire_node *ol2 = add(d->root, d, QUIRE_NODE_ORDERED_LIST);
  ol2->start = 1;
  ol2->style = QUIRE_LIST_UPPER_ROMAN;
  para(add(ol2, d, QUIRE_NODE_ITEM), d, "loose one");

  quire_node *t = add(d->root, d, QUIRE_NODE_TABLE);
  set(d, t, "id", "t1");
  para(add(t, d, QUIRE_NODE_CAPTION), d, "Table 1");
  quire_node *col = add(t, d, QUIRE_NODE_TABLE_COLUMN);
  col->align = QUIRE_ALIGN_LEFT;
  col->width = 0.25;
  col = add(t, d, QUIRE_NODE_TABLE_COLUMN);
  col->align = QUIRE_ALIGN_RIGHT;
  col->width = 0.75;
  quire_node *row = add(add(t, d, QUIRE_NODE_TABLE_HEAD), d,
                        QUIRE_NODE_TABLE_ROW);
  quire_node *c = cell(row, d, "Both");
  c->colspan = 2;
  quire_node *body = add(t, d, QUIRE_NODE_TABLE_BODY);
  row = add(body, d, QUIRE_NODE_TABLE_ROW);
  c = cell(row, d, "Two rows");
  c->rowspan = 2;
  c->header = 1;
  c = add(row, d, QUIRE_NODE_TABLE_CELL);
  para(c, d, "A cell of blocks.");
  para(c, d, "Two.");
  row = add(body, d, QUIRE_NODE_TABLE_ROW);
  c = cell(row, d, "under the span");   /* the second column: right */
  row = add(add(t, d, QUIRE_NODE_TABLE_FOOT), d, QUIRE_NODE_TABLE_ROW);
  c = cell(row, d, "foot");
  c->align = QUIRE_ALIGN_CENTER;
  cell(row, d, "right");
  return d;
}

static void assert_tidy_clean(fixture *f, const char *page) {
  if (access("/usr/bin/tidy", X_OK) != 0) {
    test_note_skip("tidy not found: the page is not checked with it");
    return;
  }
  char path[256];
  snprintf(path, sizeof path, "%s/tidy.html", f->dir);
  test_write_file(path, page, strlen(page));
  const char *argv[] = {"/usr/bin/tidy", "-q", "-e", path, NULL};
  run_result r;
  assert_int_equal(run_cmd(argv, NULL, &r), 0);
  if (strstr(r.err, "Error:") || strstr(r.err, "Warning:"))
    fail_msg("tidy finds problems:\n%s", r.err);
  run_result_free(&r);
}

static void test_every_model2_type_is_its_semantic_element(void **state) {
  fixture *f = *state;
  quire_doc *d = model2_doc();
  char *page = page_of("html", &d, 1, NULL, 0);
  expect(page, "<div id=\"d1\" class=\"aside warning\" data-kind=\"box\">\n"
               "<p>Inline: <s>struck</s><sup>2</sup><sub>i</sub>"
               "<span class=\"smallcaps\">Caps</span><u>under</u>"
               "<span class=\"mark\" lang=\"fr\">spanned</span>"
               "<q>double <q class=\"single\">single</q></q>"
               "<q class=\"single\">again</q>"
               "<span class=\"math inline\">\\(a&lt;b\\)</span>"
               "<span class=\"math display\">\\[\\sum_i x_i\\]</span></p>\n"
               "</div>\n");
  expect(page, "<div class=\"line-block\">The first line<br/>the second, "
               "<em>indented</em></div>\n");
  expect(page, "<dl>\n<dt>apple</dt>\n<dd>A fruit.</dd>\n"
               "<dd>\n<p>A company.</p>\n<p>Of computers.</p>\n</dd>\n</dl>\n");
  expect(page, "<figure id=\"fig1\"><img src=\"https://example.org/a.png\" "
               "alt=\"A dot\"/>\n<figcaption>Figure 1</figcaption>\n"
               "</figure>\n");
  expect(page, "<ol start=\"3\" type=\"a\">\n<li>third</li>\n</ol>\n");
  expect(page, "<ol type=\"I\">\n<li>\n<p>loose one</p>\n</li>\n</ol>\n");
  expect(page, "<table id=\"t1\">\n<caption>Table 1</caption>\n"
               "<colgroup>\n<col style=\"width: 25%\"/>\n"
               "<col style=\"width: 75%\"/>\n</colgroup>\n"
               "<thead>\n<tr><th colspan=\"2\" style=\"text-align: left\">"
               "Both</th></tr>\n</thead>\n<tbody>\n"
               "<tr><th rowspan=\"2\" style=\"text-align: left\">Two rows</th>"
               "<td style=\"text-align: right\">\n<p>A cell of blocks.</p>\n"
               "<p>Two.</p>\n</td></tr>\n"
               "<tr><td style=\"text-align: right\">under the span</td></tr>\n"
               "</tbody>\n<tfoot>\n"
               "<tr><td style=\"text-align: center\">foot</td>"
               "<td style=\"text-align: right\">right</td></tr>\n"
               "</tfoot>\n</table>\n");
  expect(page, "span.smallcaps { font-variant: small-caps; }");
  assert_tidy_clean(f, page);
  free(page);
  /* XHTML: the same markup, well-formed */
  page = page_of("xhtml", &d, 1, NULL, 0);
  xmlFreeDoc(parse_xhtml(page));
  expect(page, "<td style=\"text-align: right\">under the span</td>");
  free(page);
  quire_doc_free(d);
}

static void test_table_of_rows_made_before_model2_still_works(void **state) {
  (void)state;
  quire_doc *d = quire_doc_new();
  quire_node *t = add(d->root, d, QUIRE_NODE_TABLE);
  quire_node *row = add(t, d, QUIRE_NODE_TABLE_ROW);
  row->header = 1;
  cell(row, d, "H");
  row = add(t, d, QUIRE_NODE_TABLE_ROW);
  cell(row, d, "c");
  char *page = page_of("html", &d, 1, NULL, 0);
  expect(page, "<table>\n<thead>\n<tr><th>H</th></tr>\n</thead>\n"
               "<tbody>\n<tr><td>c</td></tr>\n</tbody>\n</table>\n");
  free(page);
  quire_doc_free(d);
}

static void test_tight_lists_are_bare_loose_ones_keep_paragraphs(void **state) {
  (void)state;
  quire_doc *d = quire_doc_new();
  quire_node *ul = add(d->root, d, QUIRE_NODE_BULLET_LIST);
  ul->tight = 1;
  para(add(ul, d, QUIRE_NODE_ITEM), d, "tight");
  ul = add(d->root, d, QUIRE_NODE_BULLET_LIST);
  para(add(ul, d, QUIRE_NODE_ITEM), d, "loose");
  char *page = page_of("html", &d, 1, NULL, 0);
  expect(page, "<ul>\n<li>tight</li>\n</ul>\n");
  expect(page, "<ul>\n<li>\n<p>loose</p>\n</li>\n</ul>\n");
  free(page);
  quire_doc_free(d);
}

/* ---- Attributes, and never script ---------------------------------------- */

static void no_script(xmlNode *n, void *user) {
  (void)user;
  if (strcasecmp((const char *)n->name, "script") == 0 ||
      strcasecmp((const char *)n->name, "iframe") == 0)
    fail_msg("a <%s> element in the page", n->name);
  for (xmlAttr *a = n->properties; a; a = a->next) {
    if (strncasecmp((const char *)a->name, "on", 2) == 0)
      fail_msg("an event handler %s on <%s>", a->name, n->name);
    xmlChar *v = xmlNodeListGetString(n->doc, a->children, 1);
    char squeezed[256];
    size_t k = 0;
    for (const xmlChar *p = v; p && *p && k + 1 < sizeof squeezed; p++)
      if (*p > ' ')
        squeezed[k++] = (char)(*p | (*p >= 'A' && *p <= 'Z' ? 32 : 0));
    squeezed[k] = '\0';
    if (strstr(squeezed, "javascript:") || strstr(squeezed, "vbscript:"))
      fail_msg("a script URL in %s=\"%s\"", a->name, v);
    xmlFree(v);
  }
}

static quire_node *raw(quire_node *parent, quire_doc *d, quire_node_type t,
                       const char *s) {
  quire_node *n = quire_node_new_text(d, t, s, strlen(s));
  n->info = "html";
  assert_int_equal(quire_node_append(parent, n), QUIRE_OK);
  return n;
}

static void test_attributes_are_written_but_never_script(void **state) {
  (void)state;
  quire_doc *d = quire_doc_new();
  quire_node *p = para(d->root, d, "text ");
  set(d, p, "id", "p1");
  set(d, p, "class", "lead x");
  set(d, p, "data-x", "a \"quoted\" <value> & more");
  set(d, p, "onclick", "alert(1)");
  set(d, p, "ONMOUSEOVER", "alert(2)");
  set(d, p, "bad name", "v");
  set(d, p, "1x", "v");
  set(d, p, "a<b", "v");
  set(d, p, "xmlns:evil", "urn:x");
  set(d, p, "title", " JaVa\tScRiPt:alert(3)");
  set(d, p, "startFrom", "10");   /* not HTML's: data-startFrom */
  set(d, p, "aria-label", "lead");
  set(d, p, "style", "width: expression(alert(4))");
  static const char *const links[] = {
      "javascript:alert(5)", "  JAVASCRIPT:alert(6)", "java\nscript:alert(7)",
      "vbscript:msgbox(8)", "data:text/html,<script>alert(9)</script>"};
  for (size_t i = 0; i < sizeof links / sizeof *links; i++) {
    quire_node *a = wrap(p, d, QUIRE_NODE_LINK, "click");
    a->url = links[i];
  }
  quire_node *a = wrap(p, d, QUIRE_NODE_LINK, "fine");
  a->url = "https://example.org/?a=1&b=2";
  image(p, d, "javascript:alert(10)", "no image");
  raw(p, d, QUIRE_NODE_RAW_INLINE, "<img src=x onerror=alert(11)>");
  raw(p, d, QUIRE_NODE_RAW_INLINE,
      "<a href=\"jav&#x61;script:alert(12)\">x</a>");
  raw(p, d, QUIRE_NODE_RAW_INLINE, "<a/onclick=alert(13)>x</a>");
  raw(p, d, QUIRE_NODE_RAW_INLINE, "<kbd>K</kbd>");
  raw(d->root, d, QUIRE_NODE_RAW_BLOCK,
      "<div><script>alert(14)</script></div>");
  raw(d->root, d, QUIRE_NODE_RAW_BLOCK, "<!--><script>alert(15)</script>-->");
  raw(d->root, d, QUIRE_NODE_RAW_BLOCK, "<svg><animate onbegin=alert(16)>");
  raw(d->root, d, QUIRE_NODE_RAW_BLOCK, "<p class=\"ok\">raw para</p>");
  quire_node *span = wrap(add(d->root, d, QUIRE_NODE_PARAGRAPH), d,
                          QUIRE_NODE_SPAN, "s");
  set(d, span, "epub:type", "pagebreak");
  set(d, span, "xml:lang", "de");
  char *page = page_of("html", &d, 1, NULL, 0);
  expect(page, "<p id=\"p1\" class=\"lead x\" data-x=\"a &quot;quoted&quot; "
               "&lt;value&gt; &amp; more\" data-startFrom=\"10\" "
               "aria-label=\"lead\">text ");
  expect(page, "<a href=\"https://example.org/?a=1&amp;b=2\">fine</a>");
  expect(page, "<a>click</a>");
  expect(page, "<span class=\"image-missing\">no image</span>");
  expect(page, "<kbd>K</kbd>");
  expect(page, "<p class=\"ok\">raw para</p>");
  expect(page, "&lt;img src=x onerror=alert(11)&gt;");
  /* no epub: name in HTML; xml:lang is lang there */
  expect(page, "<span lang=\"de\">s</span>");
  expect_not(page, "bad name");
  expect_not(page, "1x=");
  expect_not(page, "xmlns:evil");
  expect_not(page, "expression");
  xmlDoc *doc = parse_html(page);
  each_element(xmlDocGetRootElement(doc), no_script, NULL);
  xmlFreeDoc(doc);
  assert_non_null(strstr(messages, "could run script left out"));
  free(page);
  page = page_of("xhtml", &d, 1, NULL, 0);
  doc = parse_xhtml(page);
  each_element(xmlDocGetRootElement(doc), no_script, NULL);
  xmlFreeDoc(doc);
  expect(page, "<span xml:lang=\"de\">s</span>");
  free(page);
  quire_doc_free(d);
}

static void test_ids_stay_unique_and_headings_keep_their_own(void **state) {
  (void)state;
  quire_doc *d = quire_doc_new();
  quire_node *h = wrap(d->root, d, QUIRE_NODE_HEADING, "Own");
  h->level = 1;
  set(d, h, "id", "intro");
  h = wrap(d->root, d, QUIRE_NODE_HEADING, "Made");
  h->level = 2;
  /* a node already named like the id the second heading would get */
  quire_node *p = para(d->root, d, "x");
  set(d, p, "id", "doc-1-h2");
  quire_node *again = para(d->root, d, "y");
  set(d, again, "id", "intro");   /* against the model's rule */
  char *page = page_of("html", &d, 1, NULL, 0);
  expect(page, "<h1 id=\"intro\">Own</h1>");
  expect(page, "<h2 id=\"doc-1-h2-2\">Made</h2>");
  expect(page, "<p id=\"doc-1-h2\">x</p>");
  expect(page, "<p>y</p>");
  free(page);
  /* a second article with the same id: renamed, its links following */
  quire_doc *other = quire_doc_new();
  quire_node *sec = add(other->root, other, QUIRE_NODE_SECTION);
  set(other, sec, "id", "intro");
  quire_node *a = wrap(para(sec, other, "see "), other, QUIRE_NODE_LINK,
                       "the intro");
  a->url = "#intro";
  quire_doc *docs[2] = {d, other};
  page = page_of("html", docs, 2, NULL, 0);
  expect(page, "<h1 id=\"intro\">Own</h1>");
  expect(page, "<section id=\"doc-2-intro\">\n<p>see <a href=\"#doc-2-intro\">"
               "the intro</a></p>");
  free(page);
  quire_doc_free(other);
  quire_doc_free(d);
}

/* ---- Notes --------------------------------------------------------------- */

/* A document with three notes: one of two paragraphs holding a fourth
 * (nested) note, one ending with a code block, and one plain; and a node
 * whose id is the first note's would-be id. */
static quire_doc *notes_doc(void) {
  quire_doc *d = quire_doc_new();
  quire_node *p = para(d->root, d, "Called");
  quire_node *n1 = add(p, d, QUIRE_NODE_NOTE);
  para(n1, d, "First note.");
  quire_node *inner = para(n1, d, "Its second paragraph");
  para(add(inner, d, QUIRE_NODE_NOTE), d, "A note in a note.");
  text(p, d, " twice");
  quire_node *n2 = add(p, d, QUIRE_NODE_NOTE);
  quire_node *code = quire_node_new_text(d, QUIRE_NODE_CODE_BLOCK, "x\n", 2);
  quire_node_append(n2, code);
  para(add(p, d, QUIRE_NODE_NOTE), d, "Third.");
  quire_node *taken = para(d->root, d, "taken");
  set(d, taken, "id", "fn1");
  return d;
}

static void test_notes_are_pandocs_footnotes_section(void **state) {
  fixture *f = *state;
  quire_doc *d = notes_doc();
  char *page = page_of("html", &d, 1, NULL, 0);
  expect(page, "<p>Called<a href=\"#fn1-2\" class=\"footnote-ref\" "
               "id=\"fnref1\" role=\"doc-noteref\"><sup>1</sup></a> twice"
               "<a href=\"#fn2\" class=\"footnote-ref\" id=\"fnref2\" "
               "role=\"doc-noteref\"><sup>2</sup></a>"
               "<a href=\"#fn3\" class=\"footnote-ref\" id=\"fnref3\" "
               "role=\"doc-noteref\"><sup>3</sup></a></p>\n"
               "<p id=\"fn1\">taken</p>\n"
               "<section id=\"footnotes\" class=\"footnotes "
               "footnotes-end-of-document\" role=\"doc-endnotes\">\n<hr/>\n"
               "<ol>\n<li id=\"fn1-2\">\n<p>First note.</p>\n"
               "<p>Its second paragraph<a href=\"#fn4\" class=\"footnote-ref\" "
               "id=\"fnref4\" role=\"doc-noteref\"><sup>4</sup></a>"
               "<a href=\"#fnref1\" class=\"footnote-back\" "
               "role=\"doc-backlink\">\xE2\x86\xA9\xEF\xB8\x8E</a></p>\n</li>\n"
               "<li id=\"fn2\">\n<pre><code>x\n</code></pre>\n"
               "<a href=\"#fnref2\" class=\"footnote-back\" "
               "role=\"doc-backlink\">\xE2\x86\xA9\xEF\xB8\x8E</a>\n</li>\n"
               "<li id=\"fn3\">\n<p>Third.<a href=\"#fnref3\" "
               "class=\"footnote-back\" role=\"doc-backlink\">"
               "\xE2\x86\xA9\xEF\xB8\x8E</a></p>\n</li>\n"
               "<li id=\"fn4\">\n<p>A note in a note.<a href=\"#fnref4\" "
               "class=\"footnote-back\" role=\"doc-backlink\">"
               "\xE2\x86\xA9\xEF\xB8\x8E</a></p>\n</li>\n</ol>\n</section>\n"
               "</article>");
  assert_tidy_clean(f, page);
  free(page);
  /* a second article's notes are its own, doc-2-fnN, clear of its ids
   * (its "fn1", which the first article has, is renamed doc-2-fn1) */
  quire_doc *docs[2] = {d, notes_doc()};
  page = page_of("xhtml", docs, 2, NULL, 0);
  xmlFreeDoc(parse_xhtml(page));
  expect(page, "<p id=\"doc-2-fn1\">taken</p>");
  expect(page, "<li id=\"doc-2-fn1-2\">");
  expect(page, "<li id=\"doc-2-fn2\">");
  expect(page, "<section id=\"doc-2-footnotes\"");
  assert_int_equal(count(page, "id=\"fn2\""), 1);
  free(page);
  quire_doc_free(docs[1]);
  quire_doc_free(d);
}

static void test_epub_notes_are_epub3_footnotes(void **state) {
  (void)state;
  quire_doc *d = notes_doc();
  quire_option notes = {"epub-notes", "1"};
  char *page = page_of("xhtml", &d, 1, &notes, 1);
  expect(page, "xmlns:epub=\"http://www.idpf.org/2007/ops\"");
  expect(page, "<p>Called<a epub:type=\"noteref\" href=\"#fn1-2\" "
               "id=\"fnref1\" role=\"doc-noteref\">1</a> twice");
  expect(page, "<aside epub:type=\"footnote\" id=\"fn1-2\" "
               "role=\"doc-footnote\">\n<p>First note.</p>\n"
               "<p>Its second paragraph<a epub:type=\"noteref\" "
               "href=\"#fn4\" id=\"fnref4\" role=\"doc-noteref\">4</a></p>\n"
               "</aside>\n");
  expect(page, "<aside epub:type=\"footnote\" id=\"fn4\" "
               "role=\"doc-footnote\">\n<p>A note in a note.</p>\n</aside>\n");
  expect_not(page, "footnote-back");
  xmlDoc *doc = parse_xhtml(page);
  xmlFreeDoc(doc);
  free(page);
  /* inside a book: the ids carry the chapter's prefix, the book's page
   * declares the namespace */
  quire_option embed[] = {{"embed", "ch003"}, {"epub-notes", "1"}};
  page = page_of("xhtml", &d, 1, embed, 2);
  expect(page, "<a epub:type=\"noteref\" href=\"#ch003-fn1\" "
               "id=\"ch003-fnref1\" role=\"doc-noteref\">1</a>");
  expect(page, "<aside epub:type=\"footnote\" id=\"ch003-fn4\" "
               "role=\"doc-footnote\">");
  expect_not(page, "xmlns:epub");
  free(page);
  /* HTML has no epub: namespace */
  sink out = {0};
  assert_int_equal(write_to(&out, "html", &d, 1, &notes, 1, 1), QUIRE_FATAL);
  assert_non_null(strstr(messages, "--epub-notes"));
  free(out.s);
  quire_doc_free(d);
}

/* ---- Images a document carries ------------------------------------------- */

/* A document showing every sample, the first one twice, and an image
 * whose url is the second's percent-encoded. */
static quire_doc *images_doc(void) {
  quire_doc *d = quire_doc_new();
  quire_node *p = para(d->root, d, "Images: ");
  for (size_t i = 0; i < N_SAMPLES; i++) {
    add_resource(d, &samples[i]);
    image(p, d, samples[i].name, samples[i].type);
  }
  image(p, d, samples[0].name, "again");
  image(p, d, "images/photos/red%20dot.jpg", "encoded");
  return d;
}

static void
test_extract_media_writes_each_file_once_and_links_it(void **state) {
  fixture *f = *state;
  quire_doc *d = images_doc();
  char dir[256];
  snprintf(dir, sizeof dir, "%s/media", f->dir);
  quire_option opt = {"extract-media", dir};
  for (int xhtml = 0; xhtml < 2; xhtml++) {
    char *page = page_of(xhtml ? "xhtml" : "html", &d, 1, &opt, 1);
    char **srcs = img_srcs(page, xhtml);
    assert_int_equal(n_srcs(srcs), N_SAMPLES + 2);
    int seen[N_SAMPLES] = {0};
    for (size_t i = 0; srcs[i]; i++) {
      assert_true(strncmp(srcs[i], dir, strlen(dir)) == 0);
      seen[resolves_to_file(srcs[i], "") - samples]++;
    }
    for (size_t i = 0; i < N_SAMPLES; i++)
      assert_true(seen[i] >= 1);
    /* one file per resource, no temporary file left */
    assert_int_equal(files_under(dir), (int)N_SAMPLES);
    expect(page, "red%20dot.jpg");
    free_srcs(srcs);
    free(page);
  }
  assert_int_equal(n_warnings, 0);
  quire_doc_free(d);
}

static void test_embed_resources_puts_data_uris_in_the_page(void **state) {
  fixture *f = *state;
  quire_doc *d = images_doc();
  quire_option opt = {"embed-resources", "1"};
  char name[256];
  snprintf(name, sizeof name, "%s/page.html", f->dir);
  /* even for a file: no folder beside it */
  sink out = {.path = name, .name = name};
  assert_int_equal(write_to(&out, "html", &d, 1, &opt, 1, 1), QUIRE_OK);
  char **srcs = img_srcs(out.s, 0);
  assert_int_equal(n_srcs(srcs), N_SAMPLES + 2);
  for (size_t i = 0; srcs[i]; i++)
    resolves_to_data(srcs[i]);
  assert_string_equal(resolves_to_data(srcs[N_SAMPLES + 1])->name,
                      "images/photos/red dot.jpg");
  free_srcs(srcs);
  free(out.s);
  snprintf(name, sizeof name, "%s/page_media", f->dir);
  assert_false(exists(name));
  quire_doc_free(d);
}

static void test_by_default_a_file_gets_a_media_folder_beside_it(void **state) {
  fixture *f = *state;
  quire_doc *d = images_doc();
  char name[256], media[256];
  snprintf(name, sizeof name, "%s/page.html", f->dir);
  snprintf(media, sizeof media, "%s/page_media", f->dir);
  sink out = {.path = name, .name = name};
  assert_int_equal(write_to(&out, "html", &d, 1, NULL, 0, 1), QUIRE_OK);
  char **srcs = img_srcs(out.s, 0);
  assert_int_equal(n_srcs(srcs), N_SAMPLES + 2);
  for (size_t i = 0; srcs[i]; i++) {
    assert_true(strncmp(srcs[i], "page_media/", 11) == 0);
    resolves_to_file(srcs[i], f->dir);
  }
  assert_int_equal(files_under(media), (int)N_SAMPLES);
  free_srcs(srcs);
  free(out.s);
  quire_doc_free(d);
}

static void test_by_default_standard_output_gets_data_uris(void **state) {
  (void)state;
  quire_doc *d = images_doc();
  char *page = page_of("html", &d, 1, NULL, 0);
  char **srcs = img_srcs(page, 0);
  assert_int_equal(n_srcs(srcs), N_SAMPLES + 2);
  for (size_t i = 0; srcs[i]; i++)
    resolves_to_data(srcs[i]);
  free_srcs(srcs);
  free(page);
  quire_doc_free(d);
}

static void test_a_failed_conversion_leaves_no_media_folder(void **state) {
  fixture *f = *state;
  quire_doc *d = images_doc();
  char name[256], media[256];
  snprintf(name, sizeof name, "%s/page.html", f->dir);
  snprintf(media, sizeof media, "%s/page_media", f->dir);
  sink out = {.path = name, .name = name};
  write_to(&out, "html", &d, 1, NULL, 0, 0);
  assert_false(exists(media));
  free(out.s);
  /* the same with a folder the user named, several levels deep */
  char dir[256];
  snprintf(dir, sizeof dir, "%s/a/b/media", f->dir);
  quire_option opt = {"extract-media", dir};
  out = (sink){0};
  write_to(&out, "html", &d, 1, &opt, 1, 0);
  snprintf(dir, sizeof dir, "%s/a", f->dir);
  assert_false(exists(dir));
  free(out.s);
  quire_doc_free(d);
}

static void test_two_documents_with_one_name_get_two_files(void **state) {
  fixture *f = *state;
  quire_doc *docs[3];
  for (int i = 0; i < 3; i++) {
    docs[i] = quire_doc_new();
    /* the first two differ under one name; the third repeats the first */
    sample s = i == 1 ? (sample)SAMPLE("images/dot.png", "image/gif",
                                        gif_bytes)
                      : samples[0];
    add_resource(docs[i], &s);
    image(para(docs[i]->root, docs[i], "x"), docs[i], "images/dot.png", "d");
  }
  char dir[256];
  snprintf(dir, sizeof dir, "%s/m", f->dir);
  quire_option opt = {"extract-media", dir};
  char *page = page_of("html", docs, 3, &opt, 1);
  char **srcs = img_srcs(page, 0);
  assert_int_equal(n_srcs(srcs), 3);
  assert_true(resolves_to_file(srcs[0], "") == &samples[0]);
  assert_non_null(strstr(srcs[1], "images/dot-2.png"));
  size_t n = 0;
  unsigned char *got = slurp(srcs[1], &n);
  assert_non_null(got);
  assert_true(n == sizeof gif_bytes - 1 && memcmp(got, gif_bytes, n) == 0);
  free(got);
  assert_string_equal(srcs[2], srcs[0]);
  assert_int_equal(files_under(dir), 2);
  free_srcs(srcs);
  free(page);
  for (int i = 0; i < 3; i++)
    quire_doc_free(docs[i]);
}

static void
test_a_missing_local_image_is_its_alt_text_warned_once(void **state) {
  (void)state;
  quire_doc *d = quire_doc_new();
  quire_node *p = para(d->root, d, "x");
  image(p, d, "gone.png", "first gone");
  image(p, d, "../up/gone.jpg", "second gone");
  image(p, d, "https://example.org/a.png", "remote");
  image(p, d, "//cdn.example.org/b.png", "network path");
  image(p, d, "data:image/gif;base64,R0lGODlhAQABAAAAACw=", "inline");
  char *page = page_of("html", &d, 1, NULL, 0);
  expect(page, "<span class=\"image-missing\">first gone</span>");
  expect(page, "<span class=\"image-missing\">second gone</span>");
  expect(page, "<img src=\"https://example.org/a.png\" alt=\"remote\"/>");
  expect(page, "<img src=\"//cdn.example.org/b.png\"");
  expect(page, "<img src=\"data:image/gif;base64,");
  assert_int_equal(n_warnings, 1);
  expect(messages, "2 images whose file the document does not hold");
  free(page);
  quire_doc_free(d);
}

static void test_inside_a_book_image_urls_are_left_alone(void **state) {
  (void)state;
  quire_doc *d = images_doc();
  image(para(d->root, d, "y"), d, "../images/elsewhere.png", "book path");
  quire_option embed = {"embed", "ch001"};
  char *page = page_of("xhtml", &d, 1, &embed, 1);
  expect(page, "<img src=\"images/dot.png\" alt=\"image/png\"/>");
  expect(page, "<img src=\"../images/elsewhere.png\" alt=\"book path\"/>");
  expect_not(page, "data:");
  expect_not(page, "image-missing");
  free(page);
  quire_doc_free(d);
}

static void test_resource_options_exclude_each_other(void **state) {
  (void)state;
  quire_doc *d = images_doc();
  quire_option both[] = {{"extract-media", "x"}, {"embed-resources", "1"}};
  sink out = {0};
  assert_int_equal(write_to(&out, "html", &d, 1, both, 2, 1), QUIRE_FATAL);
  assert_non_null(strstr(messages, "exclude each other"));
  free(out.s);
  quire_doc_free(d);
}

/* ---- Through the core and the command line ------------------------------- */

static void base64_into(FILE *fp, const char *s, size_t n) {
  static const char digits[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  const unsigned char *u = (const unsigned char *)s;
  for (size_t i = 0; i < n; i += 3) {
    unsigned v = (unsigned)u[i] << 16 | (i + 1 < n ? u[i + 1] << 8 : 0) |
                 (i + 2 < n ? u[i + 2] : 0);
    fputc(digits[v >> 18], fp);
    fputc(digits[(v >> 12) & 63], fp);
    fputc(i + 1 < n ? digits[(v >> 6) & 63] : '=', fp);
    fputc(i + 2 < n ? digits[v & 63] : '=', fp);
  }
}

/* A JSON document (quire's json format) showing every sample. */
static void write_json_doc(const char *path) {
  FILE *fp = fopen(path, "w");
  assert_non_null(fp);
  fprintf(fp, "{\"quire\": \"1.1\", \"meta\": {\"title\": \"Images\"},\n"
              " \"blocks\": [{\"type\": \"paragraph\", \"content\": [\"x\"");
  for (size_t i = 0; i < N_SAMPLES; i++)
    fprintf(fp, ", {\"type\": \"image\", \"url\": \"%s\", \"content\": "
                "[\"%s\"]}", samples[i].name, samples[i].type);
  fprintf(fp, "]}],\n \"resources\": [");
  for (size_t i = 0; i < N_SAMPLES; i++) {
    fprintf(fp, "%s{\"name\": \"%s\", \"data\": \"", i ? ", " : "",
            samples[i].name);
    base64_into(fp, samples[i].bytes, samples[i].len);
    fprintf(fp, "\"}");
  }
  fprintf(fp, "]}\n");
  fclose(fp);
}

static void
test_core_writes_media_beside_a_file_and_data_to_memory(void **state) {
  fixture *f = *state;
  char in[256], out[256];
  snprintf(in, sizeof in, "%s/images.json", f->dir);
  snprintf(out, sizeof out, "%s/out/page.html", f->dir);
  write_json_doc(in);
  char sub[256];
  snprintf(sub, sizeof sub, "%s/out", f->dir);
  assert_int_equal(mkdir(sub, 0777), 0);
  const char *inputs[] = {in};
  quire_job job = {.inputs = inputs, .n_inputs = 1, .to = "html",
                   .output = out};
  int rc = quire_convert(f->s, &job);
  if (rc < QUIRE_OK) {
    char msg[512];
    fail_msg("%s", quire_error_format(quire_error_get(f->s), msg, sizeof msg));
  }
  size_t n = 0;
  char *page = (char *)slurp(out, &n);
  assert_non_null(page);
  char **srcs = img_srcs(page, 0);
  assert_int_equal(n_srcs(srcs), N_SAMPLES);
  for (size_t i = 0; srcs[i]; i++) {
    assert_true(strncmp(srcs[i], "page_media/", 11) == 0);
    resolves_to_file(srcs[i], sub);
  }
  free_srcs(srcs);
  free(page);
  /* to memory: no file to put a folder beside */
  char *data = NULL;
  size_t len = 0;
  job = (quire_job){.inputs = inputs, .n_inputs = 1, .to = "html",
                    .output_data = &data, .output_len = &len};
  assert_true(quire_convert(f->s, &job) >= QUIRE_OK);
  srcs = img_srcs(data, 0);
  assert_int_equal(n_srcs(srcs), N_SAMPLES);
  for (size_t i = 0; srcs[i]; i++)
    resolves_to_data(srcs[i]);
  free_srcs(srcs);
  free(data);
}

static void test_cli_stdout_embeds_and_a_file_extracts(void **state) {
  fixture *f = *state;
  if (access(QUIRE_BIN, X_OK) != 0)
    test_skip("%s not built", QUIRE_BIN);
  char in[256];
  snprintf(in, sizeof in, "%s/images.json", f->dir);
  write_json_doc(in);
  /* standard output: data: URIs */
  const char *to_stdout[] = {QUIRE_BIN, in, "-t", "html", NULL};
  run_result r;
  assert_int_equal(run_cmd(to_stdout, NULL, &r), 0);
  if (!r.exited || r.status != 0)
    fail_msg("quire failed: %s", r.err);
  char **srcs = img_srcs(r.out, 0);
  assert_int_equal(n_srcs(srcs), N_SAMPLES);
  for (size_t i = 0; srcs[i]; i++)
    resolves_to_data(srcs[i]);
  free_srcs(srcs);
  run_result_free(&r);
  /* a file, with --extract-media given relative to the working folder:
   * the links lead from the page's folder to it, so that a browser finds
   * them ("site/img" seen from site/page.html is "img") */
  const char *to_file[] = {QUIRE_BIN, in, "-o", "site/page.html",
                           "--extract-media", "site/img", NULL};
  run_opts o = {.cwd = f->dir};
  char site[256];
  snprintf(site, sizeof site, "%s/site", f->dir);
  assert_int_equal(mkdir(site, 0777), 0);
  assert_int_equal(run_cmd(to_file, &o, &r), 0);
  if (!r.exited || r.status != 0)
    fail_msg("quire failed: %s", r.err);
  run_result_free(&r);
  char page_path[256];
  snprintf(page_path, sizeof page_path, "%s/site/page.html", f->dir);
  size_t n = 0;
  char *page = (char *)slurp(page_path, &n);
  assert_non_null(page);
  srcs = img_srcs(page, 0);
  assert_int_equal(n_srcs(srcs), N_SAMPLES);
  for (size_t i = 0; srcs[i]; i++) {
    assert_true(strncmp(srcs[i], "img/", 4) == 0);
    resolves_to_file(srcs[i], site);
  }
  free_srcs(srcs);
  free(page);
  char beside[256];
  snprintf(beside, sizeof beside, "%s/site/page_media", f->dir);
  assert_false(exists(beside));
}

/* ---- Rendering ahead (-j): parts ------------------------------------------
 * With -j the core asks the writer to render each document on a reading
 * thread (part_render) and then hands it the part in input order
 * (write_part).  The page must be the one write_doc makes, byte for byte,
 * whatever ids the documents share with each other or with the ids the
 * writer makes. */

/* An article: headings with and without ids, notes, a link, and
 * characters HTML cannot hold (a warning). */
static quire_doc *article(const char *word, const char *own_id) {
  quire_doc *d = quire_doc_new();
  quire_meta_set(d, "title", word);
  quire_node *h = wrap(d->root, d, QUIRE_NODE_HEADING, word);
  h->level = 1;
  if (own_id)
    set(d, h, "id", own_id);
  quire_node *p = para(d->root, d, word);
  para(add(p, d, QUIRE_NODE_NOTE), d, "A note.");
  text(p, d, " and \x01 ");
  quire_node *a = wrap(p, d, QUIRE_NODE_LINK, "back");
  a->url = own_id ? "#intro" : "#top";
  h = wrap(d->root, d, QUIRE_NODE_HEADING, "More");
  h->level = 2;
  para(add(para(d->root, d, "Again"), d, QUIRE_NODE_NOTE), d, "Two.");
  return d;
}

/* Writes docs as with -j: each rendered ahead from docs[i], then written
 * with write_part, where a part was made, as written[i] (docs[i] when
 * written is NULL), else with write_doc.  *made counts the parts. */
static char *page_by_parts(const char *name, quire_doc **docs,
                           quire_doc **written, size_t n,
                           const quire_option *opts, size_t n_opts,
                           size_t *made) {
  const quire_format *fmt = format_of(name);
  assert_non_null(fmt->part_render);
  assert_non_null(fmt->write_part);
  assert_non_null(fmt->part_free);
  quire_options o = {opts, n_opts};
  quire_env *env = &the_plugin.env;
  sink out = {0};
  void *state = NULL;
  *made = 0;
  assert_int_equal(fmt->write_open(env, (quire_output *)(void *)&out, &o,
                                   NULL, &state),
                   QUIRE_OK);
  for (size_t i = 0; i < n; i++) {
    void *part = NULL;
    assert_int_equal(fmt->part_render(env, &o, docs[i], &part), QUIRE_OK);
    quire_doc *doc = written ? written[i] : docs[i];
    int rc = part ? fmt->write_part(env, state, doc, part)
                  : fmt->write_doc(env, state, doc);
    assert_true(rc == QUIRE_OK || rc == QUIRE_WARN);
    *made += part != NULL;
  }
  assert_int_equal(fmt->write_close(env, state, 1), QUIRE_OK);
  return out.s;
}

static void test_parts_write_the_page_write_doc_writes(void **state) {
  (void)state;
  /* own ids that an earlier article has (renamed), that are ids made
   * for another article (doc-4-h1) or for the article itself (doc-5-h2),
   * and notes in the first article (fn1) and in later ones (doc-N-fn1) */
  quire_doc *docs[] = {article("one", NULL), article("two", "intro"),
                       article("three", NULL), article("four", "intro"),
                       article("five", "doc-4-h1"),
                       article("six", "doc-6-h2"), article("seven", NULL)};
  size_t n = sizeof docs / sizeof *docs;
  quire_option notes = {"epub-notes", "1"};
  quire_option css = {"css", "page.css"};
  quire_option fragment = {"fragment", "1"};
  const quire_option *extra[] = {NULL, &notes, &css, &fragment};
  for (int xhtml = 0; xhtml <= 1; xhtml++)
    for (size_t e = 0; e < sizeof extra / sizeof *extra; e++) {
      const char *name = xhtml ? "xhtml" : "html";
      if (extra[e] == &notes && !xhtml)
        continue;
      size_t n_opts = extra[e] ? 1 : 0;
      messages[0] = '\0';
      for (size_t k = 1; k <= n; k++) {   /* one document (the hold), ... */
        char *expected = page_of(name, docs, k, extra[e], n_opts);
        char said[sizeof messages];
        memcpy(said, messages, sizeof messages);
        assert_int_equal(count(said, "dropped"), (int)k);
        messages[0] = '\0';
        size_t made = 0;
        char *page = page_by_parts(name, docs, NULL, k, extra[e], n_opts,
                                   &made);
        assert_int_equal(made, k);
        assert_string_equal(page, expected);
        assert_string_equal(messages, said);
        messages[0] = '\0';
        free(page);
        free(expected);
      }
    }
  for (size_t i = 0; i < n; i++)
    quire_doc_free(docs[i]);
}

static void test_a_part_is_written_only_where_it_holds(void **state) {
  (void)state;
  /* Rendered ahead from one document, written as another of the same
   * shape: where the part holds, its bytes are the article; where an own
   * id is already in the page, the document is rendered anew. */
  quire_doc *ahead[] = {article("one", NULL), article("ahead", "intro"),
                        article("ahead", NULL), article("ahead", "intro")};
  quire_doc *later[] = {ahead[0], article("now", "intro"),
                        article("now", NULL), article("now", "intro")};
  size_t made = 0;
  char *page = page_by_parts("html", ahead, later, 4, NULL, 0, &made);
  assert_int_equal(made, 4);
  /* doc-2 and doc-3: the parts, made ahead */
  expect(page, "<article id=\"doc-2\">\n<h1 id=\"intro\">ahead</h1>");
  expect(page, "<article id=\"doc-3\">\n<h1 id=\"doc-3-h1\">ahead</h1>");
  expect(page, "<li id=\"doc-3-fn1\">");
  /* doc-4: its "intro" is doc-2's, so it is renamed, as write_doc does */
  expect(page, "<article id=\"doc-4\">\n<h1 id=\"doc-4-intro\">now</h1>");
  expect(page, "<a href=\"#doc-4-intro\">back</a>");
  free(page);
  for (size_t i = 1; i < 4; i++) {
    quire_doc_free(ahead[i]);
    quire_doc_free(later[i]);
  }
  quire_doc_free(ahead[0]);
}

static void test_no_part_where_the_page_decides(void **state) {
  (void)state;
  quire_env *env = &the_plugin.env;
  quire_doc *plain = article("plain", NULL);
  quire_doc *pictured = article("pictured", NULL);
  image(para(pictured->root, pictured, "see"), pictured, "dot.png", "dot");
  quire_doc *raw = article("raw", NULL);
  quire_node *r = quire_node_new_text(raw, QUIRE_NODE_RAW_INLINE, "<b>x</b>",
                                      8);
  r->info = "html";
  quire_node_append(raw->root->first_child->next, r);
  quire_option toc = {"toc", "1"};
  quire_option embed = {"embed", "ch1"};
  struct {
    const char *format;
    quire_doc *doc;
    const quire_option *opt;
    int part;
  } cases[] = {
      {"html", plain, NULL, 1},     {"xhtml", plain, NULL, 1},
      {"html", raw, NULL, 1},       {"xhtml", raw, NULL, 0},
      {"html", pictured, NULL, 0},  {"html", plain, &toc, 0},
      {"xhtml", plain, &embed, 0},
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    quire_options o = {cases[i].opt, cases[i].opt ? 1 : 0};
    const quire_format *fmt = format_of(cases[i].format);
    void *part = NULL;
    assert_int_equal(fmt->part_render(env, &o, cases[i].doc, &part),
                     QUIRE_OK);
    if ((part != NULL) != cases[i].part)
      fail_msg("case %zu: %s a part", i, part ? "made" : "did not make");
    fmt->part_free(part);
  }
  assert_string_equal(messages, "");
  quire_doc_free(plain);
  quire_doc_free(pictured);
  quire_doc_free(raw);
}

int main(void) {
  const struct CMUnitTest tests[] = {
#define T(name)                                                               \
  cmocka_unit_test_setup_teardown(name, plugin_setup, plugin_teardown)
      T(test_every_model2_type_is_its_semantic_element),
      T(test_table_of_rows_made_before_model2_still_works),
      T(test_tight_lists_are_bare_loose_ones_keep_paragraphs),
      T(test_attributes_are_written_but_never_script),
      T(test_ids_stay_unique_and_headings_keep_their_own),
      T(test_notes_are_pandocs_footnotes_section),
      T(test_epub_notes_are_epub3_footnotes),
      T(test_extract_media_writes_each_file_once_and_links_it),
      T(test_embed_resources_puts_data_uris_in_the_page),
      T(test_by_default_a_file_gets_a_media_folder_beside_it),
      T(test_by_default_standard_output_gets_data_uris),
      T(test_a_failed_conversion_leaves_no_media_folder),
      T(test_two_documents_with_one_name_get_two_files),
      T(test_a_missing_local_image_is_its_alt_text_warned_once),
      T(test_inside_a_book_image_urls_are_left_alone),
      T(test_resource_options_exclude_each_other),
      T(test_core_writes_media_beside_a_file_and_data_to_memory),
      T(test_cli_stdout_embeds_and_a_file_extracts),
      T(test_parts_write_the_page_write_doc_writes),
      T(test_a_part_is_written_only_where_it_holds),
      T(test_no_part_where_the_page_decides),
#undef T
  };
  return test_main_status(
      cmocka_run_group_tests_name("html_write_model", tests, NULL, NULL));
}
