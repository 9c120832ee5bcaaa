/* html_read_meta.c - a page's metadata: the <title> and the <meta>
 * elements of its <head> (and og: properties), the first h1 when there is
 * no title, and <html lang>. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "html_read_build.h"

void hb_keep_text(builder *b, char **slot, const char *value) {
  if (*slot || !value)
    return;
  char *copy = strdup(value);
  if (!copy) {
    b->failed = 1;
    return;
  }
  if (!hb_squash(copy)) {
    free(copy);
    return;
  }
  *slot = copy;
}

void hb_meta(builder *b, xmlNode *el) {
  const char *c = hb_attr(b, el, "content");
  if (!c || !b->own_meta)
    return;
  char *content = strdup(c);
  if (!content) {
    b->failed = 1;
    return;
  }
  const char *name = hb_attr(b, el, "name");
  if (!name)
    name = hb_attr(b, el, "property");
  if (name && hb_squash(content)) {
    if (strcasecmp(name, "author") == 0) {
      if (b->svc->meta_add(b->doc, QUIRE_META_AUTHOR, content) != QUIRE_OK)
        b->failed = 1;
    } else if (strcasecmp(name, "description") == 0)
      hb_keep_text(b, &b->description, content);
    else if (strcasecmp(name, "keywords") == 0)
      hb_keep_text(b, &b->keywords, content);
    else if (strcasecmp(name, "date") == 0 ||
             strcasecmp(name, "dcterms.date") == 0 ||
             strcasecmp(name, "dc.date") == 0)
      hb_keep_text(b, &b->date, content);
    else if (strcasecmp(name, "og:title") == 0)
      hb_keep_text(b, &b->og_title, content);
    else if (strcasecmp(name, "og:description") == 0)
      hb_keep_text(b, &b->og_description, content);
    else if (strcasecmp(name, "article:published_time") == 0)
      hb_keep_text(b, &b->og_date, content);
  }
  free(content);
}

/* The <head>: its title and <meta> elements; nothing else of it shows. */
void hb_head(builder *b, xmlNode *el) {
  xmlNode *x = el->children;
  while (x && !b->failed) {
    int down = 0;
    if (x->type == XML_ELEMENT_NODE) {
      int k = hb_kind_of(x);
      if (k == K_TITLE)
        hb_keep_text(b, &b->title, hb_subtree_text(b, x, 0));
      else if (k == K_META)
        hb_meta(b, x);
      else if (k != K_DROP)
        down = 1;
    }
    if (down && x->children) {
      x = x->children;
      continue;
    }
    while (x != el && !x->next)
      x = x->parent;
    x = x == el ? NULL : x->next;
  }
}

/* The plain text of the first level-1 heading, for a page without title. */
static char *first_h1(builder *b) {
  quire_iter it;
  b->svc->iter_init(&it, b->doc->root);
  const quire_node *h = NULL;
  b->scratch.n = 0;
  if (hb_put(b, &b->scratch, "", 0))
    return NULL;
  while (b->svc->iter_next(&it) != QUIRE_EV_DONE) {
    const quire_node *n = it.node;
    if (!h) {
      if (n->type == QUIRE_NODE_HEADING && n->level == 1 &&
          it.event == QUIRE_EV_ENTER)
        h = n;
      continue;
    }
    if (n == h)
      break;
    if (n->type == QUIRE_NODE_TEXT || n->type == QUIRE_NODE_CODE)
      hb_put(b, &b->scratch, n->text, n->len);
    else if (n->type == QUIRE_NODE_SOFT_BREAK ||
             n->type == QUIRE_NODE_LINE_BREAK)
      hb_put(b, &b->scratch, " ", 1);
  }
  return h && hb_squash(b->scratch.s) ? b->scratch.s : NULL;
}

void hb_finish_meta(builder *b, xmlDoc *tree) {
  const quire_services *svc = b->svc;
  const char *title = b->title ? b->title : b->og_title ? b->og_title
                                                        : first_h1(b);
  const char *date = b->date ? b->date : b->og_date;
  const char *description = b->description ? b->description
                                           : b->og_description;
  xmlNode *root = xmlDocGetRootElement(tree);
  const char *lang = root ? hb_attr(b, root, "lang") : NULL;
  if (root && !lang)
    lang = hb_attr(b, root, "xml:lang");
  char *language = lang ? strdup(lang) : NULL;
  if ((title && svc->meta_set(b->doc, QUIRE_META_TITLE, title)) ||
      (date && svc->meta_set(b->doc, QUIRE_META_DATE, date)) ||
      (description &&
       svc->meta_set(b->doc, QUIRE_META_DESCRIPTION, description)) ||
      (b->keywords && svc->meta_set(b->doc, "keywords", b->keywords)) ||
      (lang && !language) ||
      (language && hb_squash(language) &&
       svc->meta_set(b->doc, QUIRE_META_LANGUAGE, language)))
    b->failed = 1;
  free(language);
}
