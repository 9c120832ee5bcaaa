/* epub_write_copy.c - one file's part of a document, as a document of its
 * own for the xhtml writer.
 *
 * The render services take whole documents, and a writer may not change
 * the ones it is given; so each file of the book is rendered from a copy
 * of its part of the document, made here and freed once the file is
 * written: memory holds one file's copy at a time, however long the
 * document.  The copy starts with copies of the containers the part
 * continues (a section begun in the file before, without its id, which
 * stays where the section began; an ordered list numbered on), then
 * holds every node of the part with every field, id, class and
 * attribute, in doc order.  On the way:
 *
 *   - a link "#id" points to the file holding that id ("ch007.xhtml#id",
 *     or "#id" in its own file); a link to an id the document does not
 *     have keeps its text only; other links follow epub_link_rule;
 *   - ids are the ones the plan writes (a repeated id is dropped, an id
 *     XHTML cannot carry is replaced), and a heading without one gets
 *     one, which the table of contents links to;
 *   - an image of a resource shows the book's copy ("../media/N-name");
 *     any other image (on the web, not in the document, or of a type
 *     EPUB cannot show) becomes its alt text.
 *
 * For an EPUB 2 page (XHTML 1.1) the copy is also made of what XHTML 1.1
 * has, so that the xhtml writer, which writes HTML5, needs no option of
 * its own (see epub_write.h, epub_copy_file): HTML5's elements become
 * divs and spans with a class, attributes XHTML 1.1 lacks are left out,
 * notes become endnotes made of links and a list, raw HTML its text. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/HTMLparser.h>

#include "epub_write.h"

typedef struct copier {
  quire_env *env;
  const quire_services *svc;
  const epub_plan *plan;
  const epub_media_set *media;
  const epub_pool *pool;
  const quire_doc *doc;
  quire_doc *d;
  size_t file;
  unsigned first_file;
  size_t heading;               /* headings copied so far, in all files */
  epub_drops *drops;
  const quire_node **open;      /* originals of the open copied nodes */
  size_t depth, cap;
  int oom;
  /* EPUB 2. */
  int epub2;
  char prefix[32];              /* the file's name, "ch007": note ids */
  quire_node **notes;           /* the endnotes' items, in number order */
  size_t n_notes, cap_notes;
  epub_buf text;                /* raw HTML's text */
} copier;

static char *dup_str(copier *k, const char *s) {
  if (!s)
    return NULL;
  char *c = k->svc->strndup(k->d, s, strlen(s));
  if (!c)
    k->oom = 1;
  return c;
}

/* The url a link gets in the copy, in a malloc'd string (*url NULL: it
 * stays as it was); returns 0 when the link is dropped. */
static int link_url(copier *k, const char *url, char **out) {
  *out = NULL;
  if (url && url[0] == '#') {
    const epub_id *rec = epub_plan_find_id(k->plan, url + 1);
    if (!rec) {
      k->drops->links_broken++;
      return 0;
    }
    const char *id = epub_pool_str(&k->plan->pool, rec->out);
    char file[32] = "";
    if (rec->file != k->file)
      epub_chapter_name(k->first_file + rec->file, file);
    size_t n = strlen(file) + strlen(id) + 2;
    if (!(*out = malloc(n))) {
      k->oom = 1;
      return 0;
    }
    snprintf(*out, n, "%s#%s", file, id);
    return 1;
  }
  switch (epub_link_rule(url)) {
  case EPUB_LINK_KEEP:
    return 1;
  case EPUB_LINK_FIX:
    if (!(*out = epub_fixed_url(url)))
      k->oom = 1;
    return *out != NULL;
  default:
    k->drops->links_out++;
    return 0;
  }
}

/* The url an image gets: the book's copy of its resource. */
static int image_url(copier *k, const char *url, char **out) {
  *out = NULL;
  long long i = epub_media_find(k->media, url);
  if (i > 0) {
    const char *href = epub_pool_str(k->pool, k->media->items[i - 1].href);
    size_t n = strlen(href) + 4;
    if (!(*out = malloc(n))) {
      k->oom = 1;
      return 0;
    }
    snprintf(*out, n, "../%s", href);
    return 1;
  }
  if (i == 0)
    k->drops->images_foreign++;
  else if (epub_url_has_scheme(url))
    k->drops->images_remote++;
  else
    k->drops->images_missing++;
  return 0;
}

/* ---- EPUB 2: what XHTML 1.1 has ------------------------------------------ */

/* A SECTION marking a part of a page, which writers write as its content
 * alone (model.h). */
static int layout(const quire_node *n) {
  if (n->type != QUIRE_NODE_SECTION || !n->info || !n->info[0])
    return 0;
  size_t tag = strcspn(n->info, " ");
  return !(tag == 7 && strncasecmp(n->info, "section", 7) == 0);
}

/* The type of n's copy in an EPUB 2 page, with the class (and style) that
 * say what it was. */
static quire_node_type epub2_type(const quire_node *n, const char **cls,
                                  const char **style) {
  static const char *const list_class[] = {NULL, NULL, "lower-alpha",
                                           "upper-alpha", "lower-roman",
                                           "upper-roman"};
  *cls = *style = NULL;
  switch (n->type) {
  case QUIRE_NODE_SECTION:
    if (layout(n))
      return n->type;
    *cls = "section";
    return QUIRE_NODE_DIV;
  case QUIRE_NODE_FIGURE:
    *cls = "figure";
    return QUIRE_NODE_DIV;
  case QUIRE_NODE_CAPTION:
    if (!n->parent || n->parent->type != QUIRE_NODE_FIGURE)
      return n->type;
    *cls = "figcaption";
    return QUIRE_NODE_DIV;
  case QUIRE_NODE_STRIKEOUT:
    *cls = "strikeout";
    *style = "text-decoration: line-through";
    return QUIRE_NODE_SPAN;
  case QUIRE_NODE_UNDERLINE:
    *cls = "underline";
    *style = "text-decoration: underline";
    return QUIRE_NODE_SPAN;
  case QUIRE_NODE_TABLE_FOOT:
    return QUIRE_NODE_TABLE_BODY;
  case QUIRE_NODE_ORDERED_LIST:
    if (n->style < sizeof list_class / sizeof *list_class)
      *cls = list_class[n->style];
    return n->type;
  default:
    return n->type;
  }
}

static int all_digits(const char *s) {
  size_t n = strspn(s, "0123456789");
  return n > 0 && (!s[n] || (s[n] == '%' && !s[n + 1]));
}

/* The name an attribute of n has in an XHTML 1.1 page, or NULL when
 * XHTML 1.1 has no such attribute there (or not with that value). */
static const char *epub2_attr(const quire_node *n, const char *key,
                              const char *value) {
  if (strcmp(key, "title") == 0 || strcmp(key, "style") == 0)
    return key;
  if (strcmp(key, "dir") == 0)
    return strcmp(value, "ltr") == 0 || strcmp(value, "rtl") == 0 ? key
                                                                   : NULL;
  if (strcmp(key, "xml:lang") == 0)
    return epub_bcp47_ok(value) ? key : NULL;
  if (strcmp(key, "lang") == 0) {
    for (const quire_meta *a = n->attrs; a; a = a->next)
      if (strcmp(a->key, "xml:lang") == 0)
        return NULL;
    return epub_bcp47_ok(value) ? "xml:lang" : NULL;
  }
  switch (n->type) {
  case QUIRE_NODE_BLOCK_QUOTE:
  case QUIRE_NODE_QUOTED:
    return strcmp(key, "cite") == 0 ? key : NULL;
  case QUIRE_NODE_TABLE_CELL:
    if (strcmp(key, "scope") == 0)
      return strcmp(value, "row") == 0 || strcmp(value, "col") == 0 ||
                     strcmp(value, "rowgroup") == 0 ||
                     strcmp(value, "colgroup") == 0
                 ? key : NULL;
    return strcmp(key, "abbr") == 0 || strcmp(key, "axis") == 0 ||
                   strcmp(key, "headers") == 0
               ? key : NULL;
  case QUIRE_NODE_IMAGE:
    return (strcmp(key, "width") == 0 || strcmp(key, "height") == 0) &&
                   all_digits(value)
               ? key : NULL;
  default:
    return NULL;
  }
}

/* "a b" in the copy's arena. */
static const char *joined(copier *k, const char *a, const char *sep,
                          const char *b) {
  if (!b || !b[0])
    return a;
  size_t n = strlen(a) + strlen(sep) + strlen(b);
  char *s = malloc(n + 1);
  char *c = NULL;
  if (s) {
    snprintf(s, n + 1, "%s%s%s", a, sep, b);
    c = k->svc->strndup(k->d, s, n);
    free(s);
  }
  if (!c)
    k->oom = 1;
  return c;
}

/* The class, style and other attributes of n on its copy c. */
static int copy_attrs(copier *k, const quire_node *n, quire_node *c,
                      const char *cls, const char *style) {
  const quire_services *svc = k->svc;
  if (!k->epub2) {
    if (n->classes && svc->node_set_attr(k->d, c, "class", n->classes))
      return 1;
    for (const quire_meta *a = n->attrs; a; a = a->next)
      if (svc->node_set_attr(k->d, c, a->key, a->value))
        return 1;
    return 0;
  }
  const char *classes = cls ? joined(k, cls, " ", n->classes) : n->classes;
  if (k->oom || (classes && svc->node_set_attr(k->d, c, "class", classes)))
    return 1;
  if (style && svc->node_set_attr(k->d, c, "style", style))
    return 1;
  for (const quire_meta *a = n->attrs; a; a = a->next) {
    const char *value = a->value ? a->value : "";
    const char *key = epub2_attr(n, a->key, value);
    if (key && style && strcmp(key, "style") == 0 &&
        !(value = joined(k, style, "; ", value)))
      return 1;
    if (key && svc->node_set_attr(k->d, c, key, value))
      return 1;
  }
  return 0;
}

/* A copy of n without children, holding url; its id when with_id. */
static quire_node *copy_node(copier *k, const quire_node *n, const char *url,
                             int with_id) {
  const quire_services *svc = k->svc;
  const char *cls = NULL, *style = NULL;
  quire_node_type type = k->epub2 ? epub2_type(n, &cls, &style) : n->type;
  quire_node *c = n->text ? svc->node_new_text(k->d, type, n->text, n->len)
                          : svc->node_new(k->d, type);
  if (!c) {
    k->oom = 1;
    return NULL;
  }
  c->level = n->level;
  c->start = n->start;
  c->header = n->header;
  c->align = n->align;
  c->kind = n->kind;
  c->tight = n->tight;
  c->style = n->style;
  c->delim = n->delim;
  c->rowspan = n->rowspan;
  c->colspan = n->colspan;
  c->width = n->width;
  if (k->epub2 && type == QUIRE_NODE_ORDERED_LIST) {
    /* XHTML 1.1 has neither start nor type: the class says the type. */
    k->drops->list_starts += n->start > 1;
    c->start = 1;
    c->style = QUIRE_LIST_DEFAULT;
  }
  if ((n->info && type == n->type && !(c->info = dup_str(k, n->info))) ||
      (url && !(c->url = dup_str(k, url))) ||
      (n->title && !(c->title = dup_str(k, n->title))))
    return NULL;
  if (copy_attrs(k, n, c, cls, style))
    goto oom;
  int heading = n->type == QUIRE_NODE_HEADING;
  size_t no = heading ? k->heading++ : 0;
  if (!with_id)
    return c;
  const epub_id *rec = epub_plan_id_of(k->plan, n);
  char made[40];
  const char *id = NULL;
  if (rec)
    id = epub_pool_str(&k->plan->pool, rec->out);
  else if (heading) {
    epub_plan_heading_id(k->plan, no, made);
    id = made;
  }
  if (id && svc->node_set_attr(k->d, c, "id", id))
    goto oom;
  return c;
oom:
  k->oom = 1;
  return NULL;
}

static int append(copier *k, quire_node *parent, quire_node *c) {
  if (k->svc->node_append(parent, c) == QUIRE_OK)
    return QUIRE_OK;
  k->svc->error(k->env, NULL, "the document's tree breaks the model's rules "
                              "(a %s in a %s); not written",
                k->svc->node_type_name(c->type),
                k->svc->node_type_name(parent->type));
  return QUIRE_FAILED;
}

static int push(copier *k, const quire_node *n) {
  const quire_node **o = epub_room(k->open, &k->cap, k->depth, sizeof *o);
  if (!o) {
    k->oom = 1;
    return QUIRE_FATAL;
  }
  k->open = o;
  o[k->depth++] = n;
  return QUIRE_OK;
}

static int deep_copy(copier *k, const quire_node *root, quire_node *parent);

/* ---- EPUB 2: notes and raw HTML -------------------------------------------- */

/* "ch007-fn3" ("ch007-fnref3"), or with "-2"... when the document has
 * that id already; in the copy's arena. */
static const char *note_id(copier *k, const char *what, size_t no) {
  char id[96];
  snprintf(id, sizeof id, "%s-%s%zu", k->prefix, what, no);
  size_t len = strlen(id);
  for (int i = 2; epub_plan_find_id(k->plan, id); i++)
    snprintf(id + len, sizeof id - len, "-%d", i);
  return dup_str(k, id);
}

static quire_node *new_text(copier *k, const char *s, size_t n) {
  quire_node *t = k->svc->node_new_text(k->d, QUIRE_NODE_TEXT, s, n);
  if (!t)
    k->oom = 1;
  return t;
}

/* A note where it is called, as pandoc writes it: <a class="footnote-ref"
 * href="#ch001-fn1" id="ch001-fnref1"><sup>1</sup></a>; its blocks go
 * into the item of the list of endnotes, with a link back. */
static int note_call(copier *k, const quire_node *note, quire_node *parent) {
  const quire_services *svc = k->svc;
  quire_node **notes = epub_room(k->notes, &k->cap_notes, k->n_notes,
                                 sizeof *notes);
  if (!notes)
    return k->oom = 1, QUIRE_FATAL;
  k->notes = notes;
  size_t no = ++k->n_notes;
  char label[24], href[104];
  snprintf(label, sizeof label, "%zu", no);
  const char *id = note_id(k, "fn", no), *ref = note_id(k, "fnref", no);
  quire_node *a = svc->node_new(k->d, QUIRE_NODE_LINK);
  quire_node *sup = svc->node_new(k->d, QUIRE_NODE_SUPERSCRIPT);
  quire_node *num = new_text(k, label, strlen(label));
  quire_node *item = svc->node_new(k->d, QUIRE_NODE_ITEM);
  if (!id || !ref || !a || !sup || !num || !item)
    return k->oom = 1, QUIRE_FATAL;
  snprintf(href, sizeof href, "#%s", id);
  if (!(a->url = dup_str(k, href)) ||
      svc->node_set_attr(k->d, a, "class", "footnote-ref") ||
      svc->node_set_attr(k->d, a, "id", ref) ||
      svc->node_set_attr(k->d, item, "id", id))
    return k->oom = 1, QUIRE_FATAL;
  if (svc->node_append(sup, num) || svc->node_append(a, sup))
    return k->oom = 1, QUIRE_FATAL;
  int rc = append(k, parent, a);
  /* Numbered in the order called: a note inside this one comes after. */
  notes[no - 1] = item;
  for (const quire_node *c = note->first_child; rc == QUIRE_OK && c;
       c = c->next)
    rc = deep_copy(k, c, item);
  if (rc != QUIRE_OK)
    return rc;
  /* The link back ends the note's last paragraph, or one of its own. */
  snprintf(href, sizeof href, "#%s", ref);
  quire_node *back = svc->node_new(k->d, QUIRE_NODE_LINK);
  quire_node *arrow = new_text(k, "\xE2\x86\xA9", 3);
  quire_node *in = item->last_child;
  if (!in || in->type != QUIRE_NODE_PARAGRAPH) {
    in = svc->node_new(k->d, QUIRE_NODE_PARAGRAPH);
    if (!in || svc->node_append(item, in))
      return k->oom = 1, QUIRE_FATAL;
  } else if (!(num = new_text(k, " ", 1)) || svc->node_append(in, num)) {
    return k->oom = 1, QUIRE_FATAL;
  }
  if (!back || !arrow || !(back->url = dup_str(k, href)) ||
      svc->node_set_attr(k->d, back, "class", "footnote-back") ||
      svc->node_append(back, arrow) || svc->node_append(in, back))
    return k->oom = 1, QUIRE_FATAL;
  return QUIRE_OK;
}

/* The endnotes, at the end of the file: <div class="footnotes"><hr/>
 * <ol><li id="ch001-fn1">...</li></ol></div>. */
static int notes_list(copier *k) {
  const quire_services *svc = k->svc;
  if (!k->n_notes)
    return QUIRE_OK;
  quire_node *div = svc->node_new(k->d, QUIRE_NODE_DIV);
  quire_node *hr = svc->node_new(k->d, QUIRE_NODE_THEMATIC_BREAK);
  quire_node *ol = svc->node_new(k->d, QUIRE_NODE_ORDERED_LIST);
  if (!div || !hr || !ol || svc->node_set_attr(k->d, div, "class", "footnotes"))
    return k->oom = 1, QUIRE_FATAL;
  ol->start = 1;
  if (svc->node_append(div, hr) || svc->node_append(div, ol))
    return k->oom = 1, QUIRE_FATAL;
  for (size_t i = 0; i < k->n_notes; i++)
    if (svc->node_append(ol, k->notes[i]))
      return k->oom = 1, QUIRE_FATAL;
  return append(k, k->d->root, div);
}

static int is_html(const char *format) {
  return format && (strcasecmp(format, "html") == 0 ||
                    strcasecmp(format, "xhtml") == 0);
}

/* The text of the HTML s[0..n), its blanks runs made one space, trimmed,
 * in k->text; scripts and styles left out. */
static void html_text_of(copier *k, xmlNodePtr node) {
  for (xmlNodePtr c = node; c && !k->oom; c = c->next) {
    if (c->type == XML_ELEMENT_NODE &&
        (xmlStrcasecmp(c->name, BAD_CAST "script") == 0 ||
         xmlStrcasecmp(c->name, BAD_CAST "style") == 0))
      continue;
    if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) {
      for (const xmlChar *p = c->content; p && *p; p++) {
        int blank = *p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' ||
                    *p == '\f';
        if (blank && (!k->text.len || k->text.s[k->text.len - 1] == ' '))
          continue;
        if (epub_buf_add(&k->text, blank ? " " : (const char *)p, 1))
          k->oom = 1;
      }
    } else if (c->type == XML_ELEMENT_NODE) {
      /* Elements that break lines keep words apart; inline ones do not
       * ("<b>wo</b>rd" is one word). */
      int breaks = !htmlTagLookup(c->name) ||
                   htmlTagLookup(c->name)->isinline == 0;
      for (int pass = 0; pass < 2; pass++) {
        if (breaks && k->text.len && k->text.s[k->text.len - 1] != ' ' &&
            epub_buf_add(&k->text, " ", 1))
          k->oom = 1;
        if (!pass)
          html_text_of(k, c->children);
      }
    }
  }
}

/* Raw HTML as the text it shows: a paragraph (RAW_BLOCK) or text. */
static int raw_text(copier *k, const quire_node *n, quire_node *parent) {
  k->drops->raw_html++;
  k->text.len = 0;
  if (n->len && n->len < 0x7fffffff) {
    htmlDocPtr h = htmlReadMemory(n->text, (int)n->len, NULL, "UTF-8",
                                  HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
                                      HTML_PARSE_NONET);
    if (h) {
      html_text_of(k, h->children);
      xmlFreeDoc(h);
    }
  }
  if (k->oom)
    return QUIRE_FATAL;
  while (k->text.len && k->text.s[k->text.len - 1] == ' ')
    k->text.len--;
  if (!k->text.len)
    return QUIRE_OK;
  quire_node *t = new_text(k, k->text.s, k->text.len);
  if (!t)
    return QUIRE_FATAL;
  if (n->type == QUIRE_NODE_RAW_BLOCK) {
    quire_node *p = k->svc->node_new(k->d, QUIRE_NODE_PARAGRAPH);
    if (!p || k->svc->node_append(p, t))
      return k->oom = 1, QUIRE_FATAL;
    t = p;
  }
  return append(k, parent, t);
}

/* ---- The copy ---------------------------------------------------------------- */

/* Copies root and all under it to the end of parent.  A link or image
 * that is dropped leaves its children (the text) where it was.  It calls
 * itself for EPUB 2's notes: the open nodes above `base` are its own. */
static int deep_copy(copier *k, const quire_node *root, quire_node *parent) {
  const quire_services *svc = k->svc;
  quire_iter it;
  svc->iter_init(&it, root);
  size_t base = k->depth;
  const quire_node *skip = NULL;   /* a note or raw node done already */
  while (svc->iter_next(&it) != QUIRE_EV_DONE) {
    const quire_node *n = it.node;
    if (skip) {
      if (n == skip && it.event == QUIRE_EV_EXIT)
        skip = NULL;
      continue;
    }
    if (it.event == QUIRE_EV_EXIT) {
      if (k->depth > base && k->open[k->depth - 1] == n) {
        k->depth--;
        parent = parent->parent;
      }
      continue;
    }
    if (k->epub2 && (n->type == QUIRE_NODE_NOTE ||
                     ((n->type == QUIRE_NODE_RAW_BLOCK ||
                       n->type == QUIRE_NODE_RAW_INLINE) &&
                      is_html(n->info)))) {
      int rc = n->type == QUIRE_NODE_NOTE ? note_call(k, n, parent)
                                          : raw_text(k, n, parent);
      if (rc != QUIRE_OK)
        return k->oom ? QUIRE_FATAL : rc;
      if (!svc->node_is_leaf(n->type))
        skip = n;
      continue;
    }
    char *url = NULL;
    int keep = 1;
    if (n->type == QUIRE_NODE_LINK)
      keep = link_url(k, n->url, &url);
    else if (n->type == QUIRE_NODE_IMAGE)
      keep = image_url(k, n->url, &url);
    if (k->oom)
      return QUIRE_FATAL;
    if (!keep)
      continue;
    quire_node *c = copy_node(k, n, url ? url : n->url, 1);
    free(url);
    if (!c)
      return QUIRE_FATAL;
    int rc = append(k, parent, c);
    if (rc != QUIRE_OK)
      return rc;
    if (!svc->node_is_leaf(n->type)) {
      if (push(k, n) != QUIRE_OK)
        return QUIRE_FATAL;
      parent = c;
    }
  }
  return QUIRE_OK;
}

/* Non-zero when n is one of the nodes of chain[0..len). */
static int in_chain(const quire_node *const *chain, size_t len,
                    const quire_node *n) {
  for (size_t i = 0; i < len; i++)
    if (chain[i] == n)
      return 1;
  return 0;
}

/* The containers above n, up to the root (not included), innermost
 * first, in a malloc'd array; *len their count. */
static const quire_node **ancestors(copier *k, const quire_node *n,
                                    size_t *len) {
  *len = 0;
  size_t count = 0;
  for (const quire_node *a = n ? n->parent : NULL; a && a != k->doc->root;
       a = a->parent)
    count++;
  const quire_node **chain = malloc((count + 1) * sizeof *chain);
  if (!chain) {
    k->oom = 1;
    return NULL;
  }
  for (const quire_node *a = n ? n->parent : NULL; a && a != k->doc->root;
       a = a->parent)
    chain[(*len)++] = a;
  return chain;
}

/* Copies of the containers the part continues, outermost first, under
 * the copy's root; returns the innermost (the root when there are none). */
static quire_node *continued(copier *k, const quire_node *start, int *rc) {
  size_t len;
  const quire_node **chain = ancestors(k, start, &len);
  quire_node *parent = k->d->root;
  *rc = chain ? QUIRE_OK : QUIRE_FATAL;
  for (size_t i = len; chain && i-- > 0;) {
    const quire_node *a = chain[i];
    quire_node *c = copy_node(k, a, NULL, 0);
    if (!c) {
      *rc = QUIRE_FATAL;
      break;
    }
    if (a->type == QUIRE_NODE_ORDERED_LIST) {
      /* Numbered on from the items of the earlier files. */
      const quire_node *child = i ? chain[i - 1] : start;
      int before = 0;
      for (const quire_node *s = a->first_child; s && s != child; s = s->next)
        before += s->type == QUIRE_NODE_ITEM;
      c->start = (a->start ? a->start : 1) + before;
      if (k->epub2)   /* XHTML 1.1 lists start at 1 */
        c->start = 1;
    }
    if ((*rc = append(k, parent, c)) != QUIRE_OK)
      break;
    parent = c;
  }
  free(chain);
  return parent;
}

static int copy_meta(copier *k) {
  for (const quire_meta *m = k->doc->meta; m; m = m->next)
    if (k->svc->meta_add(k->d, m->key, m->value)) {
      k->oom = 1;
      return QUIRE_FATAL;
    }
  return QUIRE_OK;
}

static int copy_part(copier *k) {
  const epub_split *f = &k->plan->files[k->file];
  const quire_node *end =
      k->file + 1 < k->plan->n_files ? k->plan->files[k->file + 1].start : NULL;
  const quire_node *root = k->doc->root;
  size_t n_end;
  const quire_node **end_chain = ancestors(k, end, &n_end);
  if (!end_chain)
    return QUIRE_FATAL;
  int rc;
  quire_node *parent = continued(k, f->start, &rc);
  const quire_node *n = f->start;
  while (rc == QUIRE_OK && n && n != end) {
    if (in_chain(end_chain, n_end, n)) {
      /* The next file begins inside n: its start is copied here, the
       * rest continues there. */
      quire_node *c = copy_node(k, n, NULL, 1);
      if (!c)
        rc = QUIRE_FATAL;
      else if ((rc = append(k, parent, c)) == QUIRE_OK) {
        parent = c;
        n = n->first_child;
      }
      continue;
    }
    rc = deep_copy(k, n, parent);
    while (n && !n->next) {
      n = n->parent;
      if (n == root)
        n = NULL;
      else
        parent = parent->parent;
    }
    if (n)
      n = n->next;
  }
  free(end_chain);
  return rc;
}

int epub_copy_file(quire_env *env, const epub_plan *plan,
                   const epub_media_set *media, const epub_pool *pool,
                   const quire_doc *doc, size_t file, unsigned first_file,
                   int epub2, quire_doc **out, epub_drops *drops) {
  *out = NULL;
  copier k = {.env = env, .svc = env->svc, .plan = plan, .media = media,
              .pool = pool, .doc = doc, .file = file,
              .first_file = first_file, .heading = plan->files[file].heading,
              .drops = drops, .epub2 = epub2};
  snprintf(k.prefix, sizeof k.prefix, "ch%03u", first_file + (unsigned)file);
  if (!(k.d = env->svc->doc_new())) {
    env->svc->error(env, NULL, "out of memory");
    return QUIRE_FATAL;
  }
  int rc = copy_meta(&k);
  if (rc == QUIRE_OK)
    rc = copy_part(&k);
  if (rc == QUIRE_OK)
    rc = notes_list(&k);
  free(k.open);
  free(k.notes);
  free(k.text.s);
  if (k.oom || rc == QUIRE_FATAL) {
    env->svc->error(env, NULL, "out of memory");
    rc = QUIRE_FATAL;
  }
  if (rc != QUIRE_OK) {
    env->svc->doc_free(k.d);
    return rc;
  }
  *out = k.d;
  return QUIRE_OK;
}
