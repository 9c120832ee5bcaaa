/* html_render.c - a document's blocks as (X)HTML body content.
 *
 * One walk with the model's iterator, so any depth costs no stack; each
 * node becomes its semantic element.  Newlines go between blocks (never
 * inside inline content, where they would be text), so the output reads
 * well as source and reads back to the same model.  A list item holding a
 * single paragraph is written as <li>text</li>, as people write it.  A
 * layout section (a page part a reader marked, see model.h) is written as
 * its content alone. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/parser.h>
#include <libxml/xmlstring.h>

#include "html_render.h"
#include "xml_text.h"

struct html_render {
  xml_text text;                /* drops what XML cannot hold */
  char *heading;                /* plain text of the open heading */
  size_t heading_len, heading_cap;
  char *alt;                    /* alt text of the open image */
  size_t alt_len, alt_cap;
  char *id;                     /* the id of the open heading */
  size_t id_cap;
  xmlDocPtr context;            /* for checking raw HTML in XHTML */
};

html_render *html_render_new(void) { return calloc(1, sizeof(html_render)); }

void html_render_free(html_render *r) {
  if (!r)
    return;
  xml_text_free(&r->text);
  free(r->heading);
  free(r->alt);
  free(r->id);
  if (r->context)
    xmlFreeDoc(r->context);
  free(r);
}

size_t html_render_dropped(const html_render *r) { return r->text.dropped; }

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

/* ---- The walk ------------------------------------------------------------ */

typedef struct walk {
  quire_env *env;
  html_render *r;
  xmlTextWriterPtr w;
  const html_render_opts *o;
  const quire_node *image;      /* collecting this image's alt text */
  const quire_node *heading;    /* collecting this heading's text */
  int table_part;               /* 0 none open, 1 thead, 2 tbody */
  unsigned headings;
} walk;

static int start(walk *k, const char *name) {
  return xmlTextWriterStartElement(k->w, BAD_CAST name) < 0;
}

static int end(walk *k) { return xmlTextWriterFullEndElement(k->w) < 0; }

/* A void element: <br/>, <hr/>. */
static int end_void(walk *k) { return xmlTextWriterEndElement(k->w) < 0; }

static int newline(walk *k) { return xmlTextWriterWriteRaw(k->w, BAD_CAST "\n") < 0; }

static int text(walk *k, const char *s, size_t n) {
  return html_render_text(k->r, k->w, NULL, s, n) != QUIRE_OK;
}

static int attr(walk *k, const char *name, const char *value) {
  return html_render_text(k->r, k->w, name, value, strlen(value)) != QUIRE_OK;
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

/* A paragraph written without <p>: the only paragraph of a list item. */
static int bare(const quire_node *n) {
  if (n->type != QUIRE_NODE_PARAGRAPH)
    return 0;
  const quire_node *item = shown_parent(n);
  if (!item || item->type != QUIRE_NODE_ITEM || n != shown_first_child(item))
    return 0;
  const quire_node *next = shown_next(n);
  return !(next && next->type == QUIRE_NODE_PARAGRAPH);
}

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

/* Raw content passes through only when it is HTML (and, for XHTML, well
 * formed); anything else is shown as the text it is. */
static int raw_passes(walk *k, const quire_node *n) {
  if (!is_html(n->info))
    return 0;
  if (!k->o->xhtml || well_formed(k->r, n->text ? n->text : "", n->len))
    return 1;
  k->env->svc->warn(k->env, NULL, "raw HTML that is not well-formed XML "
                                  "written as text");
  return 0;
}

/* <pre><code class="language-x">: the language is the info's first word. */
static int code_block(walk *k, const char *info, const char *s, size_t n) {
  if (start(k, "pre") || start(k, "code"))
    return 1;
  size_t word = info ? strcspn(info, " \t\n") : 0;
  if (word) {
    char cls[64];
    snprintf(cls, sizeof cls, "language-%.*s", (int)(word < 40 ? word : 40),
             info);
    if (attr(k, "class", cls))
      return 1;
  }
  return text(k, s ? s : "", s ? n : 0) || end(k) || end(k) || newline(k);
}

static int heading_start(walk *k, const quire_node *n) {
  char tag[3] = {'h', (char)('0' + (n->level < 1 ? 1 : n->level > 6 ? 6 : n->level)), 0};
  if (start(k, tag))
    return 1;
  k->heading = n;
  k->r->heading_len = 0;
  k->headings++;
  if (!k->o->id_prefix)
    return 0;
  html_render *r = k->r;
  size_t need = strlen(k->o->id_prefix) + 16;
  if (grow(&r->id, &r->id_cap, need))
    return 1;
  snprintf(r->id, r->id_cap, "%s-h%u", k->o->id_prefix, k->headings);
  return attr(k, "id", r->id);
}

static int heading_end(walk *k, const quire_node *n) {
  k->heading = NULL;
  if (end(k) || newline(k))
    return 1;
  if (!k->o->on_heading)
    return 0;
  int level = n->level < 1 ? 1 : n->level > 6 ? 6 : n->level;
  return k->o->on_heading(k->o->user, level,
                          k->o->id_prefix ? k->r->id : NULL,
                          k->r->heading ? k->r->heading : "",
                          k->r->heading_len) != QUIRE_OK;
}

static int row_start(walk *k, const quire_node *n) {
  /* Heading rows go in <thead> while no body row came before them. */
  if (n->header && k->table_part == 0) {
    if (start(k, "thead") || newline(k))
      return 1;
    k->table_part = 1;
  } else if (!n->header && k->table_part != 2) {
    if (k->table_part == 1 && (end(k) || newline(k)))
      return 1;
    if (start(k, "tbody") || newline(k))
      return 1;
    k->table_part = 2;
  }
  return start(k, "tr");
}

static int cell_start(walk *k, const quire_node *n) {
  int head = n->parent && n->parent->type == QUIRE_NODE_TABLE_ROW &&
             n->parent->header;
  if (start(k, head ? "th" : "td"))
    return 1;
  static const char *const align[] = {NULL, "text-align: left",
                                      "text-align: center",
                                      "text-align: right"};
  if (n->align > QUIRE_ALIGN_NONE && n->align <= QUIRE_ALIGN_RIGHT)
    return attr(k, "style", align[n->align]);
  return 0;
}

static int image_end(walk *k, const quire_node *n) {
  k->image = NULL;
  return start(k, "img") || attr(k, "src", n->url ? n->url : "") ||
         html_render_text(k->r, k->w, "alt", k->r->alt ? k->r->alt : "",
                          k->r->alt_len) != QUIRE_OK ||
         (n->title && attr(k, "title", n->title)) || end_void(k);
}

static int on_enter(walk *k, const quire_node *n) {
  switch (n->type) {
  case QUIRE_NODE_DOCUMENT:
    return 0;
  case QUIRE_NODE_SECTION:
    return !layout(n) && (start(k, "section") || newline(k));
  case QUIRE_NODE_HEADING:
    return heading_start(k, n);
  case QUIRE_NODE_PARAGRAPH:
    return bare(n) ? 0 : start(k, "p");
  case QUIRE_NODE_BULLET_LIST:
    return start(k, "ul") || newline(k);
  case QUIRE_NODE_ORDERED_LIST:
    if (start(k, "ol"))
      return 1;
    if (n->start != 1 &&
        xmlTextWriterWriteFormatAttribute(k->w, BAD_CAST "start", "%d",
                                          n->start) < 0)
      return 1;
    return newline(k);
  case QUIRE_NODE_ITEM: {
    const quire_node *first = shown_first_child(n);
    return start(k, "li") || (first && !bare(first) && newline(k));
  }
  case QUIRE_NODE_BLOCK_QUOTE:
    return start(k, "blockquote") || newline(k);
  case QUIRE_NODE_CODE_BLOCK:
    return code_block(k, n->info, n->text, n->len);
  case QUIRE_NODE_THEMATIC_BREAK:
    return start(k, "hr") || end_void(k) || newline(k);
  case QUIRE_NODE_TABLE:
    k->table_part = 0;
    return start(k, "table") || newline(k);
  case QUIRE_NODE_TABLE_ROW:
    return row_start(k, n);
  case QUIRE_NODE_TABLE_CELL:
    return cell_start(k, n);
  case QUIRE_NODE_RAW_BLOCK:
    if (!raw_passes(k, n))
      return code_block(k, n->info, n->text, n->len);
    return xmlTextWriterWriteRawLen(k->w, BAD_CAST(n->text ? n->text : ""),
                                    (int)n->len) < 0 ||
           (n->len && n->text[n->len - 1] != '\n' && newline(k));
  case QUIRE_NODE_TEXT:
    return collect(k, n) || text(k, n->text, n->len);
  case QUIRE_NODE_EMPH:
    return start(k, "em");
  case QUIRE_NODE_STRONG:
    return start(k, "strong");
  case QUIRE_NODE_CODE:
    return collect(k, n) || start(k, "code") || text(k, n->text, n->len) ||
           end(k);
  case QUIRE_NODE_LINK:
    return start(k, "a") || (n->url && attr(k, "href", n->url)) ||
           (n->title && attr(k, "title", n->title));
  case QUIRE_NODE_IMAGE:
    k->image = n;
    k->r->alt_len = 0;
    return 0;
  case QUIRE_NODE_LINE_BREAK:
    return collect(k, n) || start(k, "br") || end_void(k);
  case QUIRE_NODE_SOFT_BREAK:
    return collect(k, n) || newline(k);
  case QUIRE_NODE_RAW_INLINE:
    if (collect(k, n))
      return 1;
    if (raw_passes(k, n))
      return xmlTextWriterWriteRawLen(k->w, BAD_CAST(n->text ? n->text : ""),
                                      (int)n->len) < 0;
    return text(k, n->text ? n->text : "", n->text ? n->len : 0);
  default:
    /* A type newer than this code: keep its text. */
    return n->text && (collect(k, n) || text(k, n->text, n->len));
  }
}

static int on_exit(walk *k, const quire_node *n) {
  switch (n->type) {
  case QUIRE_NODE_SECTION:
    return !layout(n) && (end(k) || newline(k));
  case QUIRE_NODE_BULLET_LIST:
  case QUIRE_NODE_ORDERED_LIST:
  case QUIRE_NODE_ITEM:
  case QUIRE_NODE_BLOCK_QUOTE:
  case QUIRE_NODE_TABLE_ROW:
    return end(k) || newline(k);
  case QUIRE_NODE_HEADING:
    return heading_end(k, n);
  case QUIRE_NODE_PARAGRAPH:
    if (bare(n))
      return shown_next(n) && newline(k);
    return end(k) || newline(k);
  case QUIRE_NODE_TABLE:
    if (k->table_part && (end(k) || newline(k)))
      return 1;
    k->table_part = 0;
    return end(k) || newline(k);
  case QUIRE_NODE_TABLE_CELL:
  case QUIRE_NODE_EMPH:
  case QUIRE_NODE_STRONG:
  case QUIRE_NODE_LINK:
    return end(k);
  default:
    return 0;
  }
}

int html_render_doc(quire_env *env, html_render *r, xmlTextWriterPtr w,
                    const quire_doc *doc, const html_render_opts *opts) {
  walk k = {.env = env, .r = r, .w = w, .o = opts};
  quire_iter it;
  env->svc->iter_init(&it, doc->root);
  int failed = 0;
  while (!failed && env->svc->iter_next(&it) != QUIRE_EV_DONE) {
    const quire_node *n = it.node;
    if (k.image) {
      /* Inside an image only its alt text counts. */
      if (n == k.image && it.event == QUIRE_EV_EXIT)
        failed = image_end(&k, n);
      else if (it.event == QUIRE_EV_ENTER)
        failed = collect(&k, n);
      continue;
    }
    failed = it.event == QUIRE_EV_ENTER ? on_enter(&k, n) : on_exit(&k, n);
  }
  return failed ? QUIRE_ERR : QUIRE_OK;
}
