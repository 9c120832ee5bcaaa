/* html_render.c - a document's blocks as (X)HTML body content.
 *
 * One walk with the model's iterator, so any depth costs no stack; each
 * node becomes its semantic element, with its id, classes and attributes
 * (html_write_attrs.c says which may be written).  Newlines go between
 * blocks (never inside inline content, where they would be text), so the
 * output reads well as source and reads back to the same model.  In a
 * tight list an item's single paragraph is written bare, <li>text</li>, as
 * people write it; a loose list's paragraphs keep their <p>.  A layout
 * section (a page part a reader marked, see model.h) is written as its
 * content alone.  Tables are in html_write_table.c, notes in
 * html_write_notes.c. */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/parser.h>
#include <libxml/xmlstring.h>

#include "html_write_walk.h"

html_render *html_render_new(void) { return calloc(1, sizeof(html_render)); }

void html_render_free(html_render *r) {
  if (!r)
    return;
  xml_text_free(&r->text);
  free(r->heading);
  free(r->alt);
  if (r->context)
    xmlFreeDoc(r->context);
  html_ids_free(&r->ids);
  html_ids_free(&r->names);
  html_ids_free(&r->written);
  free(r->notes);
  table_states_free(r);
  free(r->scratch);
  free(r);
}

size_t html_render_dropped(const html_render *r) { return r->text.dropped; }
size_t html_render_missing(const html_render *r) { return r->missing; }
size_t html_render_unsafe(const html_render *r) { return r->unsafe; }

int html_render_each_own_id(const html_render *r,
                            int (*fn)(void *user, const char *id),
                            void *user) {
  for (size_t i = 0; i < r->names.cap; i++)
    if (r->names.keys[i]) {
      int rc = fn(user, r->names.keys[i]);
      if (rc != QUIRE_OK)
        return rc;
    }
  return QUIRE_OK;
}

int html_render_page_has(const html_render *r, const char *id) {
  return html_ids_has(&r->ids, id);
}

int html_render_page_add(html_render *r, const char *id) {
  return html_ids_add(&r->ids, id, 1) ? QUIRE_ERR : QUIRE_OK;
}

static int grow(char **buf, size_t *cap, size_t need) {
  if (need <= *cap)
    return QUIRE_OK;
  size_t c = *cap ? *cap : 256;
  while (c < need)
    c *= 2;
  char *p = realloc(*buf, c);
  if (!p)
    return QUIRE_ERR;
  *buf = p;
  *cap = c;
  return QUIRE_OK;
}

/* ---- Text ----------------------------------------------------------------
 * Through xml_text (plugins/common), which drops and counts what XML 1.0
 * cannot hold. */

int html_render_text(html_render *r, xmlTextWriterPtr w, const char *name,
                     const char *s, size_t n) {
  return xml_text_write(&r->text, w, name, s, n) == 0 ? QUIRE_OK : QUIRE_FATAL;
}

/* ---- Writing helpers ----------------------------------------------------- */

int walk_start(walk *k, const char *name) {
  k->element = name;
  return xmlTextWriterStartElement(k->w, BAD_CAST name) < 0;
}

int walk_end(walk *k) { return xmlTextWriterFullEndElement(k->w) < 0; }

int walk_end_void(walk *k) { return xmlTextWriterEndElement(k->w) < 0; }

int walk_newline(walk *k) {
  return xmlTextWriterWriteRaw(k->w, BAD_CAST "\n") < 0;
}

int walk_text(walk *k, const char *s, size_t n) {
  return html_render_text(k->r, k->w, NULL, s, n) != QUIRE_OK;
}

int walk_attr(walk *k, const char *name, const char *value) {
  return html_render_text(k->r, k->w, name, value, strlen(value)) != QUIRE_OK;
}

static int put_attr(void *user, const char *name, const char *value) {
  return walk_attr(user, name, value);
}

const char *walk_own_id(walk *k, const quire_node *n) {
  if (!html_id_ok(n->id))
    return NULL;
  const char *id = html_ids_get(&k->r->names, n->id);
  /* A document may repeat an id against the model's rule: the first node
   * keeps it, so the page stays valid. */
  return id && !html_ids_has(&k->r->written, id) ? id : NULL;
}

int walk_attrs(walk *k, const quire_node *n, const char *id, const char *cls,
               const char *style, const char *const *own) {
  if (!id && (id = walk_own_id(k, n)) && html_ids_add(&k->r->written, id, 0))
    return 1;
  html_attr_spec spec = {.element = k->element, .id = id, .cls = cls,
                         .style = style, .own = own, .xhtml = k->o->xhtml,
                         .epub = k->o->epub_ns};
  return html_attrs_write(n, &spec, put_attr, k, &k->r->unsafe) != 0;
}

const char *walk_prefix(const walk *k, html_prefix kind) {
  const char *p = kind == HTML_PREFIX_ID ? k->o->id_prefix : k->o->note_prefix;
  return p ? p : "";
}

const char *walk_fresh_id(walk *k, const char *fmt, html_prefix kind,
                          unsigned long number) {
  html_render *r = k->r;
  const char *prefix = walk_prefix(k, kind);
  size_t need = strlen(fmt) + strlen(prefix) + 24;
  if (grow(&r->scratch, &r->scratch_cap, need))
    return NULL;
  snprintf(r->scratch, r->scratch_cap, fmt, prefix, number);
  const char *id = html_ids_fresh(&r->ids, r->scratch);
  const html_slots *s = k->o->slots;
  if (id && s &&
      s->made(s->user, kind, id + strlen(prefix),
              strcmp(id, r->scratch) == 0) != QUIRE_OK)
    return NULL;
  return id;
}

/* With slots: the value's beginning, a flush, the slot, then the rest of
 * the id after its prefix.  The same bytes as one attribute write, but
 * for the prefix. */
static int made_attr_slot(walk *k, const char *name, int href, const char *id,
                          html_prefix kind) {
  const html_slots *s = k->o->slots;
  size_t skip = strlen(walk_prefix(k, kind));
  if (strncmp(id, walk_prefix(k, kind), skip) != 0)
    return 1;   /* not a made id: never so */
  return xmlTextWriterStartAttribute(k->w, BAD_CAST name) < 0 ||
         (href && xmlTextWriterWriteString(k->w, BAD_CAST "#") < 0) ||
         xmlTextWriterFlush(k->w) < 0 || s->slot(s->user, kind) != QUIRE_OK ||
         xmlTextWriterWriteString(k->w, BAD_CAST(id + skip)) < 0 ||
         xmlTextWriterEndAttribute(k->w) < 0;
}

int walk_made_attr(walk *k, const char *name, int href, const char *id,
                   html_prefix kind) {
  if (k->o->slots)
    return made_attr_slot(k, name, href, id, kind);
  if (!href)
    return walk_attr(k, name, id);
  html_render *r = k->r;
  if (grow(&r->scratch, &r->scratch_cap, strlen(id) + 2))
    return 1;
  snprintf(r->scratch, r->scratch_cap, "#%s", id);
  return walk_attr(k, name, r->scratch);
}

/* Starts element name for n with its attributes. */
static int open_el(walk *k, const char *name, const quire_node *n,
                   const char *cls) {
  return walk_start(k, name) || walk_attrs(k, n, NULL, cls, NULL, NULL);
}

/* Adds the plain text of an inline to the heading or alt text collected. */
static int collect(walk *k, const quire_node *n) {
  const char *s = NULL;
  size_t len = 0;
  if (n->type == QUIRE_NODE_SOFT_BREAK || n->type == QUIRE_NODE_LINE_BREAK)
    s = " ", len = 1;
  else if (k->env->svc->node_is_leaf(n->type) && n->text)
    s = n->text, len = n->len;
  if (!len)
    return 0;
  html_render *r = k->r;
  if (k->heading) {
    if (grow(&r->heading, &r->heading_cap, r->heading_len + len + 1))
      return 1;
    memcpy(r->heading + r->heading_len, s, len);
    r->heading[r->heading_len += len] = '\0';
  }
  if (k->image) {
    if (grow(&r->alt, &r->alt_cap, r->alt_len + len + 1))
      return 1;
    memcpy(r->alt + r->alt_len, s, len);
    r->alt[r->alt_len += len] = '\0';
  }
  return 0;
}

/* ---- Layout sections -------------------------------------------------------
 * A SECTION whose info names an element other than <section> ("footer
 * #colophon", "div .comments") marks a part of a page for transforms (see
 * model.h).  It is written as its content alone, with no element or
 * newline of its own, so that the output is the same as if its children
 * stood in its place.  Where the writer looks at a node's neighbours, it
 * looks through such sections, as if they were not there. */

static int layout(const quire_node *n) {
  if (n->type != QUIRE_NODE_SECTION || !n->info || !n->info[0])
    return 0;
  size_t tag = strcspn(n->info, " ");
  return !(tag == 7 && strncasecmp(n->info, "section", 7) == 0);
}

/* n, or when n is a layout section the first node of its content (or of
 * what follows it, when it is empty); NULL when nothing is left. */
static const quire_node *shown(const quire_node *n) {
  while (n && layout(n)) {
    if (n->first_child) {
      n = n->first_child;
      continue;
    }
    while (!n->next && n->parent && layout(n->parent))
      n = n->parent;
    n = n->next;
  }
  return n;
}

static const quire_node *shown_parent(const quire_node *n) {
  const quire_node *p = n->parent;
  while (p && layout(p))
    p = p->parent;
  return p;
}

static const quire_node *shown_first_child(const quire_node *n) {
  return shown(n->first_child);
}

static const quire_node *shown_next(const quire_node *n) {
  while (!n->next && n->parent && layout(n->parent))
    n = n->parent;
  return shown(n->next);
}

/* A paragraph written without <p>: the first block of an item of a tight
 * list, of a definition, a caption or a figure, when no paragraph follows
 * it (so that two paragraphs never run together). */
int walk_bare(const quire_node *n) {
  if (n->type != QUIRE_NODE_PARAGRAPH)
    return 0;
  const quire_node *p = shown_parent(n);
  if (!p || n != shown_first_child(p))
    return 0;
  if (p->type == QUIRE_NODE_ITEM) {
    const quire_node *list = shown_parent(p);
    if (!list || !list->tight)
      return 0;
  } else if (p->type != QUIRE_NODE_DEFINITION &&
             p->type != QUIRE_NODE_CAPTION && p->type != QUIRE_NODE_FIGURE) {
    return 0;
  }
  const quire_node *next = shown_next(n);
  return !(next && next->type == QUIRE_NODE_PARAGRAPH);
}

/* A block container's start tag, and a newline unless its content starts
 * with a bare paragraph. */
static int container(walk *k, const char *name, const quire_node *n,
                     const char *cls) {
  const quire_node *first = shown_first_child(n);
  return open_el(k, name, n, cls) || (first && !walk_bare(first) &&
                                      walk_newline(k));
}

/* ---- Raw content --------------------------------------------------------- */

static int is_html(const char *format) {
  return format && (strcasecmp(format, "html") == 0 ||
                    strcasecmp(format, "xhtml") == 0);
}

/* Non-zero when s[0..n) parses as well-formed XML content. */
static int well_formed(html_render *r, const char *s, size_t n) {
  if (n > 0x7fffffff)
    return 0;
  if (!r->context) {
    r->context = xmlNewDoc(BAD_CAST "1.0");
    if (!r->context)
      return 0;
    xmlNodePtr div = xmlNewDocNode(r->context, NULL, BAD_CAST "div", NULL);
    if (!div)
      return 0;
    xmlDocSetRootElement(r->context, div);
  }
  xmlNodePtr list = NULL;
  xmlParserErrors e = xmlParseInNodeContext(
      xmlDocGetRootElement(r->context), s, (int)n,
      XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING, &list);
  xmlFreeNodeList(list);
  return e == XML_ERR_OK;
}

/* Raw content passes through only when it is HTML that could not run
 * script (and, for XHTML, is well formed); anything else is shown as the
 * text it is. */
static int raw_passes(walk *k, const quire_node *n) {
  if (!is_html(n->info))
    return 0;
  const char *s = n->text ? n->text : "";
  if (!html_raw_safe(s, n->len)) {
    k->r->unsafe++;
    return 0;
  }
  if (!k->o->xhtml || well_formed(k->r, s, n->len))
    return 1;
  /* where: the document's source, as the writer's other warnings say */
  quire_loc loc = {.file = k->env->svc->meta_get(k->doc->meta,
                                                 QUIRE_META_SOURCE)};
  k->env->svc->warn(k->env, loc.file ? &loc : NULL,
                    "raw HTML that is not well-formed XML written as text");
  return 0;
}

/* <pre><code class="language-x">: the language is the info's first word;
 * the node's attributes go on <pre>. */
static int code_block(walk *k, const quire_node *n) {
  if (walk_start(k, "pre") ||
      (n->type == QUIRE_NODE_CODE_BLOCK &&
       walk_attrs(k, n, NULL, NULL, NULL, NULL)) ||
      walk_start(k, "code"))
    return 1;
  const char *info = n->info;
  size_t word = info ? strcspn(info, " \t\n") : 0;
  if (word) {
    char cls[64];
    snprintf(cls, sizeof cls, "language-%.*s", (int)(word < 40 ? word : 40),
             info);
    if (walk_attr(k, "class", cls))
      return 1;
  }
  return walk_text(k, n->text ? n->text : "", n->text ? n->len : 0) ||
         walk_end(k) || walk_end(k) || walk_newline(k);
}

/* ---- Headings ------------------------------------------------------------ */

static int heading_start(walk *k, const quire_node *n) {
  char tag[3] = {'h', (char)('0' + (n->level < 1 ? 1 : n->level > 6 ? 6 : n->level)), 0};
  if (walk_start(k, tag))
    return 1;
  k->heading = n;
  k->r->heading_len = 0;
  k->headings++;
  /* Its own id, unless another node has written it already. */
  const char *own = walk_own_id(k, n);
  const char *id = NULL;
  if (!own && k->o->id_prefix &&
      !(id = walk_fresh_id(k, "%s-h%lu", HTML_PREFIX_ID, k->headings)))
    return 1;
  /* A made id first, where walk_attrs would write it; then the node's
   * attributes (its own id, when it has one). */
  if ((id && walk_made_attr(k, "id", 0, id, HTML_PREFIX_ID)) ||
      walk_attrs(k, n, NULL, NULL, NULL, NULL))
    return 1;
  k->heading_id = own ? own : id;
  return 0;
}

static int heading_end(walk *k, const quire_node *n) {
  k->heading = NULL;
  if (walk_end(k) || walk_newline(k))
    return 1;
  if (!k->o->on_heading)
    return 0;
  int level = n->level < 1 ? 1 : n->level > 6 ? 6 : n->level;
  return k->o->on_heading(k->o->user, level, k->heading_id,
                          k->r->heading ? k->r->heading : "",
                          k->r->heading_len) != QUIRE_OK;
}

/* ---- Lists --------------------------------------------------------------- */

static int ordered_list(walk *k, const quire_node *n) {
  static const char *const types[] = {NULL, NULL, "a", "A", "i", "I"};
  static const char *const own[] = {"start", "type", NULL};
  if (walk_start(k, "ol"))
    return 1;
  if (n->start != 1 &&
      xmlTextWriterWriteFormatAttribute(k->w, BAD_CAST "start", "%d",
                                        n->start) < 0)
    return 1;
  if (n->style > QUIRE_LIST_DECIMAL && n->style <= QUIRE_LIST_UPPER_ROMAN &&
      walk_attr(k, "type", types[n->style]))
    return 1;
  return walk_attrs(k, n, NULL, NULL, NULL, own) || walk_newline(k);
}

/* ---- Links and images ---------------------------------------------------- */

static int link_start(walk *k, const quire_node *n) {
  static const char *const own[] = {"href", "title", NULL};
  if (walk_start(k, "a"))
    return 1;
  if (n->url && html_url_unsafe(n->url, 0)) {
    k->r->unsafe++;   /* the text stays, without the link */
  } else if (n->url) {
    /* A link to an id renamed in the page follows it. */
    const char *renamed = n->url[0] == '#' && n->url[1]
                              ? html_ids_get(&k->r->names, n->url + 1)
                              : NULL;
    if (renamed && strcmp(renamed, n->url + 1) != 0) {
      if (grow(&k->r->scratch, &k->r->scratch_cap, strlen(renamed) + 2))
        return 1;
      snprintf(k->r->scratch, k->r->scratch_cap, "#%s", renamed);
      if (walk_attr(k, "href", k->r->scratch))
        return 1;
    } else if (walk_attr(k, "href", n->url)) {
      return 1;
    }
  }
  return (n->title && walk_attr(k, "title", n->title)) ||
         walk_attrs(k, n, NULL, NULL, NULL, own);
}

static int hex(int c) {
  return c >= '0' && c <= '9' ? c - '0'
         : c >= 'a' && c <= 'f' ? c - 'a' + 10
         : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                : -1;
}

/* The resource url names: by its name, or by its name percent-encoded
 * (a reader may have kept "fig%201.png" for the file "fig 1.png"). */
static const quire_resource *resource_of(walk *k, const char *url) {
  const quire_services *svc = k->env->svc;
  const quire_resource *res = svc->res_find(k->doc, url);
  if (res || !strchr(url, '%'))
    return res;
  html_render *r = k->r;
  if (grow(&r->scratch, &r->scratch_cap, strlen(url) + 1))
    return NULL;
  char *o = r->scratch;
  for (const char *p = url; *p; p++) {
    int hi, lo;
    if (*p == '%' && (hi = hex(p[1])) >= 0 && (lo = hex(p[2])) >= 0 &&
        (hi || lo)) {
      *o++ = (char)(hi << 4 | lo);
      p += 2;
    } else {
      *o++ = *p;
    }
  }
  *o = '\0';
  return svc->res_find(k->doc, r->scratch);
}

/* The alt text where the image cannot be shown. */
static int image_as_text(walk *k, const quire_node *n) {
  static const char *const own[] = {"src", "alt", "title", NULL};
  return walk_start(k, "span") ||
         walk_attrs(k, n, NULL, "image-missing", NULL, own) ||
         (n->title && walk_attr(k, "title", n->title)) ||
         html_render_text(k->r, k->w, NULL, k->r->alt ? k->r->alt : "",
                          k->r->alt_len) != QUIRE_OK ||
         walk_end(k);
}

static int image_end(walk *k, const quire_node *n) {
  static const char *const own[] = {"src", "alt", "title", NULL};
  k->image = NULL;
  const char *url = n->url ? n->url : "";
  const quire_resource *res = NULL;
  if (html_url_unsafe(url, 1)) {
    k->r->unsafe++;
    return image_as_text(k, n);
  }
  if (k->o->media && !(res = resource_of(k, url)) && !html_url_external(url)) {
    k->r->missing++;
    return image_as_text(k, n);
  }
  if (walk_start(k, "img"))
    return 1;
  if (res) {
    int rc;
    if (xmlTextWriterStartAttribute(k->w, BAD_CAST "src") < 0)
      return 1;
    if ((rc = html_media_src(k->o->media, k->w, res)) != QUIRE_OK) {
      k->media_failed = 1;
      return 1;
    }
    if (xmlTextWriterEndAttribute(k->w) < 0)
      return 1;
  } else if (walk_attr(k, "src", url)) {
    return 1;
  }
  return html_render_text(k->r, k->w, "alt", k->r->alt ? k->r->alt : "",
                          k->r->alt_len) != QUIRE_OK ||
         (n->title && walk_attr(k, "title", n->title)) ||
         walk_attrs(k, n, NULL, NULL, NULL, own) || walk_end_void(k);
}

/* ---- Inlines of Model 2 -------------------------------------------------- */

/* pandoc's way: the TeX between \( \) or \[ \], which MathJax and KaTeX
 * find in the page. */
static int math(walk *k, const quire_node *n) {
  int display = n->kind == QUIRE_MATH_DISPLAY;
  return collect(k, n) ||
         open_el(k, "span", n, display ? "math display" : "math inline") ||
         walk_text(k, display ? "\\[" : "\\(", 2) ||
         walk_text(k, n->text ? n->text : "", n->text ? n->len : 0) ||
         walk_text(k, display ? "\\]" : "\\)", 2) || walk_end(k);
}

/* The first text of a line: its leading spaces, which HTML would
 * collapse, as no-break spaces (as pandoc writes them), so that verse
 * keeps its indentation. */
static int line_text(walk *k, const quire_node *n) {
  size_t spaces = 0;
  while (spaces < n->len && n->text[spaces] == ' ')
    spaces++;
  for (size_t i = 0; i < spaces; i++)
    if (walk_text(k, "\xC2\xA0", 2))
      return 1;
  return walk_text(k, n->text + spaces, n->len - spaces);
}

/* The lines of a line block, <br/> between them. */
static int line(walk *k, const quire_node *n) {
  if (n->prev && n->prev->type == QUIRE_NODE_LINE)
    return walk_start(k, "br") || walk_end_void(k);
  return 0;
}

/* ---- The walk ------------------------------------------------------------ */

static int on_enter(walk *k, const quire_node *n) {
  switch (n->type) {
  case QUIRE_NODE_DOCUMENT:
    return 0;
  case QUIRE_NODE_SECTION:
    return !layout(n) && (open_el(k, "section", n, NULL) || walk_newline(k));
  case QUIRE_NODE_HEADING:
    return heading_start(k, n);
  case QUIRE_NODE_PARAGRAPH:
    return walk_bare(n) ? 0 : open_el(k, "p", n, NULL);
  case QUIRE_NODE_BULLET_LIST:
    return open_el(k, "ul", n, NULL) || walk_newline(k);
  case QUIRE_NODE_ORDERED_LIST:
    return ordered_list(k, n);
  case QUIRE_NODE_ITEM:
    return container(k, "li", n, NULL);
  case QUIRE_NODE_BLOCK_QUOTE:
    return open_el(k, "blockquote", n, NULL) || walk_newline(k);
  case QUIRE_NODE_CODE_BLOCK:
    return code_block(k, n);
  case QUIRE_NODE_THEMATIC_BREAK:
    return open_el(k, "hr", n, NULL) || walk_end_void(k) || walk_newline(k);
  case QUIRE_NODE_TABLE:
    return table_enter(k, n);
  case QUIRE_NODE_TABLE_HEAD:
  case QUIRE_NODE_TABLE_BODY:
  case QUIRE_NODE_TABLE_FOOT:
    return table_part_enter(k, n);
  case QUIRE_NODE_TABLE_COLUMN:
    return table_column(k, n);
  case QUIRE_NODE_TABLE_ROW:
    return table_row_enter(k, n);
  case QUIRE_NODE_TABLE_CELL:
    return table_cell_enter(k, n);
  case QUIRE_NODE_RAW_BLOCK:
    if (!raw_passes(k, n))
      return code_block(k, n);
    return xmlTextWriterWriteRawLen(k->w, BAD_CAST(n->text ? n->text : ""),
                                    (int)n->len) < 0 ||
           (n->len && n->text[n->len - 1] != '\n' && walk_newline(k));
  case QUIRE_NODE_DIV:
    return open_el(k, "div", n, NULL) || walk_newline(k);
  case QUIRE_NODE_LINE_BLOCK:
    return open_el(k, "div", n, "line-block");
  case QUIRE_NODE_LINE:
    return line(k, n);
  case QUIRE_NODE_DEFINITION_LIST:
    return open_el(k, "dl", n, NULL) || walk_newline(k);
  case QUIRE_NODE_TERM:
    return open_el(k, "dt", n, NULL);
  case QUIRE_NODE_DEFINITION:
    return container(k, "dd", n, NULL);
  case QUIRE_NODE_FIGURE:
    return container(k, "figure", n, NULL);
  case QUIRE_NODE_CAPTION:
    return container(k, n->parent && n->parent->type == QUIRE_NODE_TABLE
                            ? "caption" : "figcaption", n, NULL);
  case QUIRE_NODE_TEXT:
    if (n->parent && n->parent->type == QUIRE_NODE_LINE &&
        n == n->parent->first_child)
      return collect(k, n) || line_text(k, n);
    return collect(k, n) || walk_text(k, n->text, n->len);
  case QUIRE_NODE_EMPH:
    return open_el(k, "em", n, NULL);
  case QUIRE_NODE_STRONG:
    return open_el(k, "strong", n, NULL);
  case QUIRE_NODE_CODE:
    return collect(k, n) || open_el(k, "code", n, NULL) ||
           walk_text(k, n->text, n->len) || walk_end(k);
  case QUIRE_NODE_LINK:
    return link_start(k, n);
  case QUIRE_NODE_IMAGE:
    k->image = n;
    k->r->alt_len = 0;
    return 0;
  case QUIRE_NODE_LINE_BREAK:
    return collect(k, n) || walk_start(k, "br") || walk_end_void(k);
  case QUIRE_NODE_SOFT_BREAK:
    return collect(k, n) || walk_newline(k);
  case QUIRE_NODE_RAW_INLINE:
    if (collect(k, n))
      return 1;
    if (raw_passes(k, n))
      return xmlTextWriterWriteRawLen(k->w, BAD_CAST(n->text ? n->text : ""),
                                      (int)n->len) < 0;
    return walk_text(k, n->text ? n->text : "", n->text ? n->len : 0);
  case QUIRE_NODE_NOTE:
    k->skip = n;
    return notes_call(k, n);
  case QUIRE_NODE_SPAN:
    return open_el(k, "span", n, NULL);
  case QUIRE_NODE_STRIKEOUT:
    return open_el(k, "s", n, NULL);
  case QUIRE_NODE_SUPERSCRIPT:
    return open_el(k, "sup", n, NULL);
  case QUIRE_NODE_SUBSCRIPT:
    return open_el(k, "sub", n, NULL);
  case QUIRE_NODE_SMALL_CAPS:
    return open_el(k, "span", n, "smallcaps");
  case QUIRE_NODE_UNDERLINE:
    return open_el(k, "u", n, NULL);
  case QUIRE_NODE_QUOTED:
    return open_el(k, "q", n,
                   n->kind == QUIRE_QUOTE_SINGLE ? "single" : NULL);
  case QUIRE_NODE_MATH:
    return math(k, n);
  default:
    /* A type newer than this code: keep its text. */
    return n->text && (collect(k, n) || walk_text(k, n->text, n->len));
  }
}

static int on_exit(walk *k, const quire_node *n) {
  switch (n->type) {
  case QUIRE_NODE_SECTION:
    return !layout(n) && (walk_end(k) || walk_newline(k));
  case QUIRE_NODE_BULLET_LIST:
  case QUIRE_NODE_ORDERED_LIST:
  case QUIRE_NODE_ITEM:
  case QUIRE_NODE_BLOCK_QUOTE:
  case QUIRE_NODE_TABLE_ROW:
  case QUIRE_NODE_TABLE_HEAD:
  case QUIRE_NODE_TABLE_BODY:
  case QUIRE_NODE_TABLE_FOOT:
  case QUIRE_NODE_DIV:
  case QUIRE_NODE_LINE_BLOCK:
  case QUIRE_NODE_DEFINITION_LIST:
  case QUIRE_NODE_TERM:
  case QUIRE_NODE_DEFINITION:
  case QUIRE_NODE_FIGURE:
  case QUIRE_NODE_CAPTION:
    return walk_end(k) || walk_newline(k);
  case QUIRE_NODE_HEADING:
    return heading_end(k, n);
  case QUIRE_NODE_PARAGRAPH:
    if (k->note && notes_back_link(k, n))
      return 1;
    if (walk_bare(n))
      return shown_next(n) && walk_newline(k);
    return walk_end(k) || walk_newline(k);
  case QUIRE_NODE_TABLE:
    return table_exit(k, n);
  case QUIRE_NODE_TABLE_CELL:
    return table_cell_exit(k, n);
  case QUIRE_NODE_EMPH:
  case QUIRE_NODE_STRONG:
  case QUIRE_NODE_LINK:
  case QUIRE_NODE_SPAN:
  case QUIRE_NODE_STRIKEOUT:
  case QUIRE_NODE_SUPERSCRIPT:
  case QUIRE_NODE_SUBSCRIPT:
  case QUIRE_NODE_SMALL_CAPS:
  case QUIRE_NODE_UNDERLINE:
  case QUIRE_NODE_QUOTED:
    return walk_end(k);
  default:
    return 0;
  }
}

int walk_run(walk *k, const quire_node *root) {
  const quire_services *svc = k->env->svc;
  quire_iter it;
  svc->iter_init(&it, root);
  int failed = 0;
  while (!failed && svc->iter_next(&it) != QUIRE_EV_DONE) {
    const quire_node *n = it.node;
    if (k->skip) {
      /* A note's blocks are written after the document's. */
      if (n == k->skip && it.event == QUIRE_EV_EXIT)
        k->skip = NULL;
      continue;
    }
    if (k->image) {
      /* Inside an image only its alt text counts. */
      if (n == k->image && it.event == QUIRE_EV_EXIT)
        failed = image_end(k, n);
      else if (it.event == QUIRE_EV_ENTER)
        failed = collect(k, n);
      continue;
    }
    failed = it.event == QUIRE_EV_ENTER ? on_enter(k, n) : on_exit(k, n);
  }
  return failed;
}

/* Every id the document's nodes have, so that made ids avoid them, and
 * what each is written as: itself, or, when an earlier document of the
 * page has it, a new one. */
static int gather_ids(walk *k) {
  const quire_services *svc = k->env->svc;
  html_render *r = k->r;
  int page = k->o->page_ids;
  quire_iter it;
  svc->iter_init(&it, k->doc->root);
  while (svc->iter_next(&it) != QUIRE_EV_DONE) {
    const char *id = it.node->id;
    if (it.event != QUIRE_EV_ENTER || !html_id_ok(id) ||
        html_ids_has(&r->names, id))
      continue;
    const char *name = id;
    if (!html_ids_has(&r->ids, id)) {
      if (html_ids_add(&r->ids, id, page))
        return 1;
    } else {
      const char *prefix = k->o->id_prefix ? k->o->id_prefix : "id";
      if (grow(&r->scratch, &r->scratch_cap, strlen(prefix) + strlen(id) + 2))
        return 1;
      snprintf(r->scratch, r->scratch_cap, "%s-%s", prefix, id);
      if (!(name = html_ids_fresh(&r->ids, r->scratch)))
        return 1;
    }
    if (html_ids_put(&r->names, id, name))
      return 1;
  }
  return 0;
}

int html_render_doc(quire_env *env, html_render *r, xmlTextWriterPtr w,
                    const quire_doc *doc, const html_render_opts *opts) {
  walk k = {.env = env, .r = r, .w = w, .o = opts, .doc = doc};
  if (!opts->page_ids)
    html_ids_clear(&r->ids);
  html_ids_clear(&r->names);
  html_ids_clear(&r->written);
  r->n_notes = 0;
  r->n_tables = 0;
  /* Without the resource services (a core before ABI 2.3) images keep
   * their urls. */
  html_render_opts o = *opts;
  if (o.media && (env->svc->struct_size <=
                      offsetof(quire_services, res_find) ||
                  !env->svc->res_find))
    o.media = NULL;
  k.o = &o;
  int failed = gather_ids(&k) || walk_run(&k, doc->root) || notes_write(&k);
  if (k.media_failed)
    return QUIRE_FATAL;
  return failed ? QUIRE_ERR : QUIRE_OK;
}
