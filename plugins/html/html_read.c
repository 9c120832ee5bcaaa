/* html_read.c - the HTML and XHTML readers: bytes to a libxml2 tree, then
 * the tree to a document (html_build.c), the files it refers to read as
 * resources (html_res.c), and its footnotes gathered into NOTE nodes
 * (notes.c).
 *
 * HTML is decoded to UTF-8 first (html_charset.c) and parsed by libxml2's
 * HTML parser, which repairs anything, with network access off and the
 * document's own encoding hints ignored (they were already used).
 * XHTML is parsed by the XML parser: never from the network, no external
 * DTD, and entities are not substituted (XML_PARSE_NOENT is not set), so a
 * document cannot expand itself.  HTML's named characters (&nbsp;,
 * &eacute;, ...) are still understood: an XHTML file rarely declares them,
 * and they are characters, not entities that expand. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/HTMLparser.h>
#include <libxml/parser.h>

#include "charset.h"
#include "html.h"
#include "notes.h"
#include "xml_safe.h"
#include "xml_text.h"

typedef struct html_reader {
  quire_input *in;
  html_res *res;
  char forced[32];   /* --input-encoding, canonical; "" when not given */
  int xhtml;
  int done;
} html_reader;

static int open_reader(quire_env *env, quire_input *in,
                       const quire_options *opts, int xhtml, void **state) {
  const char *forced = env->svc->option(opts, "input-encoding");
  char name[32] = "";
  if (forced && !charset_canonical(forced, name, sizeof name))
    return env->svc->usage_error(env, "--input-encoding %s: no encoding "
                                 "goes by that name", forced);
  html_reader *r = calloc(1, sizeof *r);
  if (!r) {
    quire_loc loc = {.file = env->svc->input_name(in)};
    env->svc->error(env, &loc, "out of memory");
    return QUIRE_FATAL;
  }
  int rc = html_res_new(env, in, opts, &r->res);
  if (rc != QUIRE_OK) {
    free(r);
    return rc;
  }
  r->in = in;
  memcpy(r->forced, name, sizeof name);
  r->xhtml = xhtml;
  *state = r;
  return QUIRE_OK;
}

int html_read_open(quire_env *env, quire_input *in, const quire_options *opts,
                   void **state) {
  return open_reader(env, in, opts, 0, state);
}

int xhtml_read_open(quire_env *env, quire_input *in,
                    const quire_options *opts, void **state) {
  return open_reader(env, in, opts, 1, state);
}

void html_read_close(quire_env *env, void *state) {
  (void)env;
  html_reader *r = state;
  html_res_free(r->res);
  free(r);
}

/* ---- HTML ---------------------------------------------------------------- */

/* HTML_PARSE_HUGE lifts libxml2's nesting limit of 256 elements, past which
 * it would stop and lose the rest of the page; depth is limited when the
 * tree becomes a document instead, with max-depth.  When an allocation
 * fails, libxml2 2.9's parser stops where it was and returns the tree so
 * far as if the page ended there; it records the failure in the context
 * and as the thread's last error, so such a tree is thrown away here:
 * NULL means memory ran out. */
static xmlDoc *parse_html(const char *text, size_t len, const char *name) {
  xml_memory_watch();
  htmlParserCtxtPtr ctxt = htmlNewParserCtxt();
  if (!ctxt)
    return NULL;
  xmlDoc *tree = htmlCtxtReadMemory(
      ctxt, text, (int)len, name, "UTF-8",
      HTML_PARSE_RECOVER | HTML_PARSE_NONET | HTML_PARSE_NOERROR |
          HTML_PARSE_NOWARNING | HTML_PARSE_IGNORE_ENC | XML_PARSE_HUGE);
  if (tree && (ctxt->errNo == XML_ERR_NO_MEMORY || xml_memory_failed())) {
    xmlFreeDoc(tree);
    tree = NULL;
  }
  htmlFreeParserCtxt(ctxt);
  return tree;
}

/* ---- XHTML --------------------------------------------------------------- */

/* The tree, or NULL with the message set and *rc the result: QUIRE_FAILED
 * for a document that is not XHTML, QUIRE_FATAL when memory ran out. */
static xmlDoc *parse_xhtml(quire_env *env, const char *bytes, size_t len,
                           const char *name, int *rc) {
  quire_loc loc = {.file = name};
  char msg[256];
  int well_formed;
  xmlDoc *tree = xml_safe_parse(bytes, len, name, 1, &well_formed, msg,
                                sizeof msg, &loc.line);
  /* xml_safe_parse says so when the parser could not even start. */
  if (!tree && strcmp(msg, "out of memory") == 0) {
    env->svc->error(env, &loc, "out of memory");
    *rc = QUIRE_FATAL;
    return NULL;
  }
  /* libxml2 names an option of its own here; say what it means. */
  if (strstr(msg, "Excessive depth"))
    snprintf(msg, sizeof msg, "elements nested deeper than the XML "
                              "parser's limit of 256");
  if (!tree || !xmlDocGetRootElement(tree)) {
    env->svc->error(env, &loc, "not well-formed XHTML: %s", msg);
    xmlFreeDoc(tree);
    *rc = QUIRE_FAILED;
    return NULL;
  }
  if (!well_formed)
    env->svc->warn(env, &loc, "not well-formed XHTML: %s; reading what "
                              "could be recovered", msg);
  return tree;
}

/* ---- Reading ------------------------------------------------------------- */

int html_read_next(quire_env *env, void *state, quire_doc **result) {
  html_reader *r = state;
  const quire_services *svc = env->svc;
  if (r->done)
    return QUIRE_DONE;
  r->done = 1;
  const char *name = svc->input_name(r->in);
  quire_loc loc = {.file = name};
  char *bytes, *text = NULL, encoding[32] = "";
  size_t len, text_len = 0;
  int rc = svc->input_read_all(env, r->in, &bytes, &len);
  if (rc != QUIRE_OK)
    return rc < 0 ? rc : QUIRE_FAILED;   /* the message is set */
  if (len > INT_MAX) {
    free(bytes);
    svc->error(env, &loc, "too large for the HTML parser (%zu bytes, at most "
                          "%d)", len, INT_MAX);
    return QUIRE_FAILED;
  }
  xmlDoc *tree = NULL;
  if (r->xhtml && r->forced[0])
    svc->warn(env, &loc, "--input-encoding is not applied to XHTML, which "
              "the XML parser reads in the encoding it declares");
  if (r->xhtml)
    tree = parse_xhtml(env, bytes, len, name, &rc);
  else if ((rc = html_decode(env, name, r->forced, bytes, len, &text,
                             &text_len, encoding)) == QUIRE_OK) {
    /* The HTML parser repairs anything: only memory can stop it. */
    tree = parse_html(text, text_len, name);
    if (!tree) {
      svc->error(env, &loc, "out of memory");
      rc = QUIRE_FATAL;
    }
  }
  free(bytes);
  free(text);
  if (!tree)
    return rc;
  quire_doc *doc = svc->doc_new();
  if (!doc) {
    svc->error(env, &loc, "out of memory");
    rc = QUIRE_FATAL;
  } else {
    html_res_doc(r->res, doc, name);
    rc = html_build(env, name, tree, doc, r->res);
    if (rc == QUIRE_OK && encoding[0] &&
        svc->meta_set(doc, QUIRE_META_ENCODING, encoding) != QUIRE_OK) {
      svc->error(env, &loc, "out of memory");
      rc = QUIRE_FATAL;
    }
    if (rc == QUIRE_OK) {
      html_res_doc_end(r->res);
      rc = quire_notes_gather(env, doc);
    }
  }
  xmlFreeDoc(tree);
  if (rc != QUIRE_OK) {
    svc->doc_free(doc);
    return rc;
  }
  *result = doc;
  return QUIRE_OK;
}
