/* md_write_html.c - inlines as HTML, for what Markdown writes inside HTML
 * tags on one line: the cells of HTML tables, a definition list's <dt>,
 * a caption.  Inside an HTML block Markdown is not parsed, so these are
 * written as the HTML a Markdown renderer would make of them. */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "md_write.h"

void md_html_escape(md_buf *b, const char *s, size_t n) {
  size_t from = 0;
  for (size_t i = 0; i < n; i++) {
    const char *e = NULL;
    switch (s[i]) {
    case '&': e = "&amp;"; break;
    case '<': e = "&lt;"; break;
    case '>': e = "&gt;"; break;
    case '"': e = "&quot;"; break;
    case '\n': e = " "; break;
    case '\r': e = " "; break;
    default: break;
    }
    if (e) {
      md_buf_put(b, s + from, i - from);
      md_buf_puts(b, e);
      from = i + 1;
    }
  }
  md_buf_put(b, s + from, n - from);
}

static void attr(md_buf *b, const char *k, const char *v) {
  md_buf_putc(b, ' ');
  md_buf_puts(b, k);
  md_buf_puts(b, "=\"");
  md_html_escape(b, v, strlen(v));
  md_buf_putc(b, '"');
}

/* Attribute names HTML takes as they are: letters, digits, '-', '_', ':',
 * '.'; others are left out. */
static int name_ok(const char *k) {
  if (!*k)
    return 0;
  for (const char *p = k; *p; p++)
    if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
          (*p >= '0' && *p <= '9') || *p == '-' || *p == '_' || *p == ':' ||
          *p == '.'))
      return 0;
  return 1;
}

int md_has_attrs(const quire_node *n) {
  if ((n->id && *n->id) || (n->classes && *n->classes))
    return 1;
  for (const quire_meta *m = n->attrs; m; m = m->next)
    if (m->key && m->value && name_ok(m->key) &&
        strcmp(m->key, "checked") != 0)
      return 1;
  return 0;
}

void md_html_attrs(md_buf *b, const quire_node *n) {
  if (n->id && *n->id)
    attr(b, "id", n->id);
  if (n->classes && *n->classes)
    attr(b, "class", n->classes);
  for (const quire_meta *m = n->attrs; m; m = m->next)
    if (m->key && m->value && name_ok(m->key) &&
        strcmp(m->key, "checked") != 0)
      attr(b, m->key, m->value);
}

int md_html_wrapper(md_buf *b, const quire_node *n, int enter) {
  switch (n->type) {
  case QUIRE_NODE_SUPERSCRIPT:
    md_buf_puts(b, enter ? "<sup>" : "</sup>");
    return 1;
  case QUIRE_NODE_SUBSCRIPT:
    md_buf_puts(b, enter ? "<sub>" : "</sub>");
    return 1;
  case QUIRE_NODE_UNDERLINE:
    md_buf_puts(b, enter ? "<u>" : "</u>");
    return 1;
  case QUIRE_NODE_SMALL_CAPS:
    md_buf_puts(b, enter ? "<span style=\"font-variant:small-caps\">"
                         : "</span>");
    return 1;
  case QUIRE_NODE_SPAN:
    if (md_has_attrs(n)) {
      if (enter) {
        md_buf_puts(b, "<span");
        md_html_attrs(b, n);
        md_buf_putc(b, '>');
      } else {
        md_buf_puts(b, "</span>");
      }
    }
    return 1;
  case QUIRE_NODE_QUOTED:
    if (n->kind == QUIRE_QUOTE_SINGLE)
      md_buf_puts(b, enter ? "\xE2\x80\x98" : "\xE2\x80\x99");
    else
      md_buf_puts(b, enter ? "\xE2\x80\x9C" : "\xE2\x80\x9D");
    return 1;
  default:
    return 0;
  }
}

static const char *tag_of(const quire_node *n) {
  switch (n->type) {
  case QUIRE_NODE_EMPH: return "em";
  case QUIRE_NODE_STRONG: return "strong";
  case QUIRE_NODE_STRIKEOUT: return "del";
  case QUIRE_NODE_SUPERSCRIPT: return "sup";
  case QUIRE_NODE_SUBSCRIPT: return "sub";
  case QUIRE_NODE_UNDERLINE: return "u";
  default: return NULL;
  }
}

void md_html_inlines(md_writer *w, md_buf *b, const quire_node *root) {
  const quire_services *svc = w->svc;
  quire_iter it;
  svc->iter_init(&it, root);
  int in_a = 0;
  while (svc->iter_next(&it) != QUIRE_EV_DONE) {
    const quire_node *n = it.node;
    if (n == root)
      continue;
    int enter = it.event == QUIRE_EV_ENTER;
    const char *tag = tag_of(n);
    if (tag) {
      md_buf_puts(b, enter ? "<" : "</");
      md_buf_puts(b, tag);
      md_buf_putc(b, '>');
      continue;
    }
    switch (n->type) {
    case QUIRE_NODE_TEXT:
      md_html_escape(b, n->text ? n->text : "", n->text ? n->len : 0);
      break;
    case QUIRE_NODE_SOFT_BREAK:
      md_buf_putc(b, ' ');
      break;
    case QUIRE_NODE_LINE_BREAK:
      md_buf_puts(b, "<br />");
      break;
    case QUIRE_NODE_CODE:
      md_buf_puts(b, "<code>");
      md_html_escape(b, n->text ? n->text : "", n->text ? n->len : 0);
      md_buf_puts(b, "</code>");
      break;
    case QUIRE_NODE_MATH: {
      const char *d = n->kind == QUIRE_MATH_DISPLAY ? "$$" : "$";
      md_buf_puts(b, d);
      md_html_escape(b, n->text ? n->text : "", n->text ? n->len : 0);
      md_buf_puts(b, d);
      break;
    }
    case QUIRE_NODE_RAW_INLINE:
      if (n->info && strcasecmp(n->info, "html") == 0)
        md_buf_put(b, n->text ? n->text : "", n->text ? n->len : 0);
      else
        md_raw_dropped(w, n->info);
      break;
    case QUIRE_NODE_NOTE: {
      char mark[40];
      snprintf(mark, sizeof mark, "<sup>%zu</sup>", md_note_call(w, n));
      md_buf_puts(b, mark);
      it.event = QUIRE_EV_EXIT;
      break;
    }
    case QUIRE_NODE_LINK:
      if (enter) {
        if (in_a++)
          break;
        md_buf_puts(b, "<a");
        attr(b, "href", n->url ? n->url : "");
        if (n->title && *n->title)
          attr(b, "title", n->title);
        md_buf_putc(b, '>');
      } else if (--in_a == 0) {
        md_buf_puts(b, "</a>");
      }
      break;
    case QUIRE_NODE_IMAGE: {
      /* The alt text is the text of its children. */
      md_buf_puts(b, "<img");
      attr(b, "src", n->url ? n->url : "");
      md_buf_puts(b, " alt=\"");
      quire_iter in;
      svc->iter_init(&in, n);
      while (svc->iter_next(&in) != QUIRE_EV_DONE)
        if (in.event == QUIRE_EV_ENTER && in.node->type == QUIRE_NODE_TEXT &&
            in.node->text)
          md_html_escape(b, in.node->text, in.node->len);
      md_buf_putc(b, '"');
      if (n->title && *n->title)
        attr(b, "title", n->title);
      md_buf_puts(b, " />");
      it.event = QUIRE_EV_EXIT;
      break;
    }
    case QUIRE_NODE_SMALL_CAPS:
    case QUIRE_NODE_SPAN:
    case QUIRE_NODE_QUOTED:
      md_html_wrapper(b, n, enter);
      break;
    default:
      /* Blocks in an inline place (a caption's paragraphs): their
       * inlines, a space between. */
      if (!enter && !svc->node_is_inline(n->type) && n->next)
        md_buf_putc(b, ' ');
      break;
    }
  }
}
