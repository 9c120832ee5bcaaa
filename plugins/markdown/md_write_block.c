/* md_write_block.c - the block walk of the Markdown writer.
 *
 * One loop over the tree with the model's iterator (no recursion, so depth
 * costs no stack).  Open containers are frames: a block quote adds "> "
 * to the prefix of every line, a list item its marker's width in spaces
 * (its marker replacing them on its first line), a gfm note definition
 * four spaces.  Every line is written whole, prefix first, so no line
 * relies on CommonMark's laziness.
 *
 * Separation: blocks are separated by a blank line, but in a tight list
 * (items follow each other line by line) and inside a tight item, where a
 * block follows the previous one on the next line only where CommonMark
 * reads it back so: after a paragraph, only a block that can interrupt a
 * paragraph (heading, fence, rule, quote, a list starting at 1 or a
 * bullet list with content, an HTML block of kinds 1 to 6).
 *
 * A list directly after a list of the same kind would join it: bullets
 * switch between '-' and '*', ordered delimiters between '.' and ')'.
 *
 * --columns N wraps paragraphs at N display columns, at spaces only,
 * never where the next line would start with punctuation or a digit
 * (which could start a block) nor after a backslash (a hard break). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "md_write.h"

static md_frame *top(md_writer *w) { return &w->stack[w->depth - 1]; }

/* Opens a frame for n: P goes before every later line, `first` before
 * the frame's first line (they may differ: an item's marker). */
static md_frame *push(md_writer *w, const quire_node *n, const char *P,
                      const char *first) {
  if (w->depth == w->stack_cap) {
    size_t cap = w->stack_cap ? w->stack_cap * 2 : 32;
    md_frame *s = realloc(w->stack, cap * sizeof *s);
    if (!s) {
      w->o.failed = 1;
      return NULL;
    }
    w->stack = s;
    w->stack_cap = cap;
  }
  md_frame *f = &w->stack[w->depth++];
  memset(f, 0, sizeof *f);
  f->node = n;
  f->prefix_len = w->prefix.n;
  size_t pl = strlen(P);
  md_buf_put(&w->prefix, P, pl);
  if (w->marker_on) {
    md_buf_puts(&w->marker, first);
    w->marker_cut += pl;
  } else if (strcmp(P, first) != 0) {
    w->marker.n = 0;
    md_buf_puts(&w->marker, first);
    w->marker_cut = pl;
    w->marker_on = 1;
  }
  return f;
}

static void pop(md_writer *w) {
  md_frame *f = top(w);
  w->prefix.n = f->prefix_len;
  if (w->prefix.p)
    w->prefix.p[w->prefix.n] = '\0';
  w->depth--;
}

/* The start of a line: the prefix, or the pending marker in its place.
 * `blank`: nothing follows, trailing spaces are left out. */
static void line_start(md_writer *w, int blank) {
  md_buf *o = &w->o;
  w->doc_lines++;
  const char *s;
  size_t n;
  if (w->marker_on) {
    md_buf_put(o, w->prefix.p, w->prefix.n - w->marker_cut);
    s = w->marker.p;
    n = w->marker.n;
    w->marker_on = 0;
  } else {
    s = w->prefix.p;
    n = w->prefix.n;
  }
  if (blank)
    while (n && s[n - 1] == ' ')
      n--;
  md_buf_put(o, s, n);
}

static void blank_line(md_writer *w) {
  line_start(w, 1);
  md_buf_putc(&w->o, '\n');
}

/* One line's text, breakable spaces made spaces. */
static void put_line_text(md_writer *w, const char *s, size_t n) {
  md_buf *o = &w->o;
  size_t from = 0;
  for (size_t i = 0; i < n; i++)
    if (s[i] == MD_BREAKABLE) {
      md_buf_put(o, s + from, i - from);
      md_buf_putc(o, ' ');
      from = i + 1;
    }
  md_buf_put(o, s + from, n - from);
}

void md_lines(md_writer *w, const char *s, size_t n) {
  size_t i = 0;
  while (i < n) {
    const char *e = memchr(s + i, '\n', n - i);
    size_t end = e ? (size_t)(e - s) : n;
    line_start(w, end == i);
    put_line_text(w, s + i, end - i);
    md_buf_putc(&w->o, '\n');
    i = end + 1;
  }
}

/* The kind of HTML block (CommonMark 4.6, 1 to 7) the text starts, 0 for
 * none. */
static int html_block_kind(const char *s, size_t n) {
  static const char *const kind1[] = {"script", "pre", "style", "textarea"};
  static const char *const kind6[] = {
      "address", "article", "aside", "base", "basefont", "blockquote",
      "body", "caption", "center", "col", "colgroup", "dd", "details",
      "dialog", "dir", "div", "dl", "dt", "fieldset", "figcaption", "figure",
      "footer", "form", "frame", "frameset", "h1", "h2", "h3", "h4", "h5",
      "h6", "head", "header", "hr", "html", "iframe", "legend", "li", "link",
      "main", "menu", "menuitem", "nav", "noframes", "ol", "optgroup",
      "option", "p", "param", "search", "section", "summary", "table",
      "tbody", "td", "tfoot", "th", "thead", "title", "tr", "track", "ul"};
  size_t i = 0;
  while (i < n && i < 3 && s[i] == ' ')
    i++;
  if (i >= n || s[i] != '<')
    return 0;
  i++;
  if (n - i >= 3 && memcmp(s + i, "!--", 3) == 0)
    return 2;
  if (i < n && s[i] == '?')
    return 3;
  if (n - i >= 8 && memcmp(s + i, "![CDATA[", 8) == 0)
    return 5;
  if (i + 1 < n && s[i] == '!' &&
      ((s[i + 1] >= 'a' && s[i + 1] <= 'z') ||
       (s[i + 1] >= 'A' && s[i + 1] <= 'Z')))
    return 4;
  int closing = i < n && s[i] == '/';
  if (closing)
    i++;
  size_t t = i;
  while (t < n && ((s[t] >= 'a' && s[t] <= 'z') ||
                   (s[t] >= 'A' && s[t] <= 'Z') || (s[t] >= '0' && s[t] <= '9')))
    t++;
  size_t len = t - i;
  char after = t < n ? s[t] : '\n';
  if (!len)
    return 0;
  if (!closing)
    for (size_t k = 0; k < sizeof kind1 / sizeof *kind1; k++)
      if (strlen(kind1[k]) == len && strncasecmp(s + i, kind1[k], len) == 0 &&
          (after == ' ' || after == '\t' || after == '>' || after == '\n'))
        return 1;
  for (size_t k = 0; k < sizeof kind6 / sizeof *kind6; k++)
    if (strlen(kind6[k]) == len && strncasecmp(s + i, kind6[k], len) == 0 &&
        (after == ' ' || after == '\t' || after == '>' || after == '\n' ||
         (after == '/' && t + 1 < n && s[t + 1] == '>')))
      return 6;
  return 7;
}

static int is_raw_html(const quire_node *n) {
  return n->info && strcasecmp(n->info, "html") == 0;
}

/* Whether block n (of kind) can interrupt a paragraph. */
static int interrupts(const quire_node *n, int kind) {
  if (kind == MD_PREV_HTML_TAG)
    return 1;
  switch (n->type) {
  case QUIRE_NODE_HEADING:
  case QUIRE_NODE_CODE_BLOCK:
  case QUIRE_NODE_THEMATIC_BREAK:
  case QUIRE_NODE_BLOCK_QUOTE:
    return 1;
  case QUIRE_NODE_BULLET_LIST:
    return n->first_child && n->first_child->first_child;
  case QUIRE_NODE_ORDERED_LIST:
    return n->first_child && n->first_child->first_child && n->start == 1;
  case QUIRE_NODE_RAW_BLOCK: {
    int k = n->text ? html_block_kind(n->text, n->len) : 0;
    return k >= 1 && k <= 6;
  }
  default:
    return 0;
  }
}

void md_block_start(md_writer *w, const quire_node *n, int kind) {
  md_frame *f = top(w);
  f->last_bullet = 0;
  if (w->marker_on) {
    f->blocks++;
    f->last_kind = kind;
    return;
  }
  if (f->blocks) {
    int glue = 0;
    if (kind == MD_PREV_HTML_TAG && f->last_kind == MD_PREV_HTML_TAG)
      glue = 1;
    else if (f->tight && f->node && f->node->type == QUIRE_NODE_ITEM) {
      if (f->last_kind == MD_PREV_PARA || f->last_kind == MD_PREV_OPEN)
        glue = interrupts(n, kind);
      else
        glue = f->last_kind == MD_PREV_OTHER;
    }
    if (!glue)
      blank_line(w);
  }
  f->blocks++;
  f->last_kind = kind;
}

void md_html_line(md_writer *w, const quire_node *n, const char *s) {
  md_block_start(w, n, MD_PREV_HTML_TAG);
  md_lines(w, s, strlen(s));
}

/* ---- Paragraphs ----------------------------------------------------------- */

/* Trailing white space, soft and hard breaks off the end of w->il. */
static void trim_block(md_writer *w) {
  md_buf *b = &w->il;
  for (;;) {
    while (b->n && (b->p[b->n - 1] == ' ' || b->p[b->n - 1] == '\t' ||
                    b->p[b->n - 1] == MD_BREAKABLE))
      b->n--;
    if (b->n && b->p[b->n - 1] == '\n') {
      size_t k = 0;
      while (k + 1 < b->n && b->p[b->n - 2 - k] == '\\')
        k++;
      b->n -= k % 2 ? 2 : 1;
      continue;
    }
    break;
  }
  if (b->p)
    b->p[b->n] = '\0';
}

static int breakable_at(const char *p, size_t i, size_t ls, size_t le) {
  if (i <= ls || i + 1 >= le)
    return 0;
  unsigned char a = (unsigned char)p[i - 1], z = (unsigned char)p[i + 1];
  if (a == ' ' || a == '\t' || a == MD_BREAKABLE || a == '\\')
    return 0;
  if (z == ' ' || z == '\t' || z == MD_BREAKABLE || (z >= '0' && z <= '9'))
    return 0;
  if (z < 0x80 && md_is_punct_cp(z))
    return 0;
  return 1;
}

/* Writes one line of a paragraph, wrapped at w->columns. */
static void wrap_line(md_writer *w, const char *p, size_t ls, size_t le) {
  size_t indent = md_display_width(w->prefix.p, w->prefix.n);
  size_t room = w->columns > indent + 1 ? w->columns - indent : 1;
  size_t pos = ls;
  while (pos < le) {
    size_t acc = 0, i = pos, cut = 0;
    int have = 0, fits = 1;
    while (i < le) {
      if (p[i] == MD_BREAKABLE && breakable_at(p, i, pos, le)) {
        if (acc <= room) {
          cut = i;
          have = 1;
        } else {
          if (!have) {
            cut = i;
            have = 1;
          }
          fits = 0;
          break;
        }
      }
      size_t k = 1;
      while (i + k < le && ((unsigned char)p[i + k] & 0xC0) == 0x80)
        k++;
      acc += md_display_width(p + i, k);
      i += k;
    }
    if (i >= le && acc <= room)
      fits = 1;
    else if (i >= le)
      fits = 0;
    if (fits || !have) {
      line_start(w, 0);
      put_line_text(w, p + pos, le - pos);
      md_buf_putc(&w->o, '\n');
      return;
    }
    line_start(w, 0);
    put_line_text(w, p + pos, cut - pos);
    md_buf_putc(&w->o, '\n');
    pos = cut + 1;
  }
}

static void write_para_text(md_writer *w) {
  const char *p = w->il.p;
  size_t n = w->il.n, i = 0;
  if (!w->columns) {
    md_lines(w, p, n);
    return;
  }
  while (i < n) {
    const char *e = memchr(p + i, '\n', n - i);
    size_t end = e ? (size_t)(e - p) : n;
    wrap_line(w, p, i, end);
    i = end + 1;
  }
}

static void reset_il(md_writer *w) {
  w->il.n = 0;
  if (w->il.p)
    w->il.p[0] = '\0';
  w->line_start = 0;
}

static void paragraph(md_writer *w, const quire_node *n) {
  reset_il(w);
  md_inlines(w, n);
  trim_block(w);
  if (!w->il.n)
    return;
  md_block_start(w, n, MD_PREV_PARA);
  write_para_text(w);
}

static void line_block(md_writer *w, const quire_node *n) {
  reset_il(w);
  for (const quire_node *l = n->first_child; l; l = l->next) {
    if (l != n->first_child) {
      trim_block(w);
      md_buf_puts(&w->il, "\\\n");
      w->line_start = w->il.n;
    }
    size_t before = w->il.n;
    w->nbsp_lead = 1;
    md_inlines(w, l);
    w->nbsp_lead = 0;
    if (w->il.n == before)
      md_buf_puts(&w->il, "\xC2\xA0");
  }
  trim_block(w);
  if (!w->il.n)
    return;
  md_block_start(w, n, MD_PREV_PARA);
  write_para_text(w);
}

static void heading(md_writer *w, const quire_node *n) {
  reset_il(w);
  w->in_heading = 1;
  md_inlines(w, n);
  w->in_heading = 0;
  trim_block(w);
  md_buf *b = &w->il;
  for (size_t i = 0; i < b->n; i++)
    if (b->p[i] == '\n' || b->p[i] == '\r' || b->p[i] == MD_BREAKABLE)
      b->p[i] = ' ';
  /* A closing run of '#' would be taken for the closing sequence. */
  size_t k = 0;
  while (k < b->n && b->p[b->n - 1 - k] == '#')
    k++;
  if (k && (k == b->n || b->p[b->n - 1 - k] == ' ' ||
            b->p[b->n - 1 - k] == '\t'))
    md_buf_insert(b, b->n - k, "\\", 1);
  int level = n->level < 1 ? 1 : n->level > 6 ? 6 : n->level;
  md_buf *s = &w->scratch;
  s->n = 0;
  md_buf_put(s, "######", (size_t)level);
  if (b->n) {
    md_buf_putc(s, ' ');
    md_buf_put(s, b->p, b->n);
  }
  md_block_start(w, n, MD_PREV_OTHER);
  md_lines(w, s->p, s->n);
}

static void code_block(md_writer *w, const quire_node *n) {
  const char *info = n->info ? n->info : "";
  char fc = strchr(info, '`') ? '~' : '`';
  const char *t = n->text ? n->text : "";
  size_t len = n->text ? n->len : 0;
  size_t run = 0, longest = 0;
  for (size_t i = 0; i < len; i++) {
    run = t[i] == fc ? run + 1 : 0;
    if (run > longest)
      longest = run;
  }
  size_t flen = longest + 1 < 3 ? 3 : longest + 1;
  md_buf *s = &w->scratch;
  s->n = 0;
  for (size_t i = 0; i < flen; i++)
    md_buf_putc(s, fc);
  size_t fence_end = s->n;
  for (const char *p = info; *p; p++) {
    char c = *p;
    if (c == '\n' || c == '\r')
      c = ' ';
    if (c == '\\' || (c == '&' && (p[1] == '#' || (p[1] >= 'a' && p[1] <= 'z') ||
                                   (p[1] >= 'A' && p[1] <= 'Z'))))
      md_buf_putc(s, '\\');
    md_buf_putc(s, c);
  }
  md_buf_putc(s, '\n');
  md_buf_put(s, t, len);
  if (len && t[len - 1] != '\n')
    md_buf_putc(s, '\n');
  for (size_t i = 0; i < flen; i++)
    md_buf_putc(s, fc);
  (void)fence_end;
  md_block_start(w, n, MD_PREV_OTHER);
  md_lines(w, s->p, s->n);
}

static void raw_block(md_writer *w, const quire_node *n) {
  if (!is_raw_html(n)) {
    md_raw_dropped(w, n->info);
    return;
  }
  size_t len = n->text ? n->len : 0;
  while (len && (n->text[len - 1] == '\n' || n->text[len - 1] == '\r'))
    len--;
  if (!len)
    return;
  int k = html_block_kind(n->text, len);
  md_block_start(w, n, k >= 1 && k <= 5 ? MD_PREV_OTHER : MD_PREV_RAW);
  md_lines(w, n->text, len);
}

static void thematic_break(md_writer *w, const quire_node *n) {
  const char *line = "* * *";
  if (w->marker_on && w->marker.p && strstr(w->marker.p, "* "))
    line = "- - -";
  md_block_start(w, n, MD_PREV_OTHER);
  md_lines(w, line, strlen(line));
}

/* ---- Lists ------------------------------------------------------------- */

static void enter_list(md_writer *w, const quire_node *n) {
  md_frame *parent = top(w);
  char last = parent->last_bullet;
  char bullet;
  if (n->type == QUIRE_NODE_BULLET_LIST)
    bullet = last == '-' ? '*' : '-';
  else {
    bullet = n->delim == QUIRE_DELIM_PAREN ? ')' : '.';
    if (last == bullet)
      bullet = bullet == '.' ? ')' : '.';
  }
  md_block_start(w, n, MD_PREV_OTHER);
  md_frame *f = push(w, n, "", "");
  if (!f)
    return;
  f->tight = n->tight;
  f->bullet = bullet;
  long long start = n->start;
  f->number = start < 0 ? 0 : start > 999999999 ? 999999999 : start;
}

static void exit_list(md_writer *w) {
  md_frame *f = top(w);
  int lk = f->last_kind;
  char bullet = f->bullet;
  pop(w);
  md_frame *p = top(w);
  p->last_kind = lk == MD_PREV_PARA || lk == MD_PREV_OPEN ? MD_PREV_OPEN
                                                          : MD_PREV_OTHER;
  p->last_bullet = bullet;
}

static void enter_item(md_writer *w, const quire_node *n) {
  md_frame *lf = top(w);
  int in_list = lf->node && (lf->node->type == QUIRE_NODE_BULLET_LIST ||
                             lf->node->type == QUIRE_NODE_ORDERED_LIST);
  char marker[64], indent[24];
  if (in_list) {
    if (lf->blocks && !lf->tight && !w->marker_on)
      blank_line(w);
    lf->blocks++;
  } else {
    md_block_start(w, n, MD_PREV_OTHER);
  }
  if (in_list && lf->node->type == QUIRE_NODE_ORDERED_LIST) {
    snprintf(marker, sizeof marker, "%lld%c ", lf->number, lf->bullet);
    if (lf->number < 999999999)
      lf->number++;
  } else {
    snprintf(marker, sizeof marker, "%c ", in_list ? lf->bullet : '-');
  }
  size_t width = strlen(marker);
  memset(indent, ' ', width);
  indent[width] = '\0';
  const char *checked = w->svc->node_attr ? w->svc->node_attr(n, "checked")
                                          : NULL;
  if (checked && w->dialect == MD_GFM && n->first_child &&
      n->first_child->type == QUIRE_NODE_PARAGRAPH)
    strcat(marker, strcmp(checked, "true") == 0 ? "[x] " : "[ ] ");
  /* push() may move the stack: lf is not to be used after it */
  int tight = in_list ? lf->tight : 0;
  md_frame *f = push(w, n, indent, marker);
  if (f)
    f->tight = tight;
}

static void exit_item(md_writer *w) {
  md_frame *f = top(w);
  if (w->marker_on) {
    line_start(w, 1);
    md_buf_putc(&w->o, '\n');
    f->last_kind = MD_PREV_OTHER;
  }
  int lk = f->last_kind;
  pop(w);
  top(w)->last_kind = lk;
}

/* ---- HTML wrappers -------------------------------------------------------- */

static void tag_line(md_writer *w, const quire_node *n, const char *tag,
                     int closing, int attrs) {
  md_buf *s = &w->scratch;
  s->n = 0;
  md_buf_puts(s, closing ? "</" : "<");
  md_buf_puts(s, tag);
  if (attrs && !closing)
    md_html_attrs(s, n);
  md_buf_putc(s, '>');
  md_html_line(w, n, s->p);
}

/* Non-zero when n holds inlines only, or a single paragraph. */
static int inline_content(const quire_services *svc, const quire_node *n,
                          const quire_node **holder) {
  const quire_node *c = n->first_child;
  if (!c || svc->node_is_inline(c->type)) {
    *holder = n;
    return 1;
  }
  if (!c->next && c->type == QUIRE_NODE_PARAGRAPH) {
    *holder = c;
    return 1;
  }
  return 0;
}

/* A tag, the HTML of holder's inlines and the closing tag, on one line. */
static void inline_tag_line(md_writer *w, const quire_node *n,
                            const char *open, const char *tag,
                            const quire_node *holder) {
  md_buf *s = &w->scratch;
  s->n = 0;
  md_buf_puts(s, open);
  md_html_inlines(w, s, holder);
  md_buf_puts(s, "</");
  md_buf_puts(s, tag);
  md_buf_putc(s, '>');
  md_html_line(w, n, s->p);
}

static int cell_is_header(const quire_node *cell) {
  const quire_node *row = cell->parent;
  return cell->header || (row && row->header) ||
         (row && row->parent && row->parent->type == QUIRE_NODE_TABLE_HEAD);
}

static void cell_open(md_writer *w, const quire_node *n, md_buf *s) {
  static const char *const aligns[] = {NULL, "left", "center", "right"};
  const char *tag = cell_is_header(n) ? "th" : "td";
  s->n = 0;
  md_buf_putc(s, '<');
  md_buf_puts(s, tag);
  md_html_attrs(s, n);
  if (n->align > QUIRE_ALIGN_NONE && n->align <= QUIRE_ALIGN_RIGHT) {
    md_buf_puts(s, " align=\"");
    md_buf_puts(s, aligns[n->align]);
    md_buf_putc(s, '"');
  }
  char num[48];
  if (n->colspan > 1) {
    snprintf(num, sizeof num, " colspan=\"%d\"", n->colspan);
    md_buf_puts(s, num);
  }
  if (n->rowspan > 1) {
    snprintf(num, sizeof num, " rowspan=\"%d\"", n->rowspan);
    md_buf_puts(s, num);
  }
  md_buf_putc(s, '>');
  (void)w;
}

/* ---- The walk ------------------------------------------------------------- */

int md_blocks(md_writer *w, const quire_node *root) {
  const quire_services *svc = w->svc;
  size_t base = w->depth;
  if (!push(w, root, "", ""))
    return md_write_oom(w);
  quire_iter it;
  svc->iter_init(&it, root);
  while (svc->iter_next(&it) != QUIRE_EV_DONE) {
    const quire_node *n = it.node;
    if (n == root)
      continue;
    if (w->o.failed || w->il.failed || w->prefix.failed || w->scratch.failed ||
        w->marker.failed)
      break;
    if (w->o.n >= (1u << 20) && md_write_flush(w) != QUIRE_OK) {
      while (w->depth > base)
        pop(w);
      return QUIRE_FATAL;
    }
    int enter = it.event == QUIRE_EV_ENTER;
    const quire_node *holder;
    switch (n->type) {
    case QUIRE_NODE_PARAGRAPH:
      paragraph(w, n);
      it.event = QUIRE_EV_EXIT;
      break;
    case QUIRE_NODE_HEADING:
      heading(w, n);
      it.event = QUIRE_EV_EXIT;
      break;
    case QUIRE_NODE_CODE_BLOCK:
      code_block(w, n);
      break;
    case QUIRE_NODE_RAW_BLOCK:
      raw_block(w, n);
      break;
    case QUIRE_NODE_THEMATIC_BREAK:
      thematic_break(w, n);
      break;
    case QUIRE_NODE_LINE_BLOCK:
      line_block(w, n);
      it.event = QUIRE_EV_EXIT;
      break;
    case QUIRE_NODE_LINE:
      paragraph(w, n);
      it.event = QUIRE_EV_EXIT;
      break;
    case QUIRE_NODE_BLOCK_QUOTE:
      if (enter) {
        md_block_start(w, n, MD_PREV_OTHER);
        push(w, n, "> ", "> ");
      } else {
        md_frame *f = top(w);
        if (!f->blocks) {
          line_start(w, 1);
          md_buf_putc(&w->o, '\n');
        }
        int lk = f->last_kind;
        pop(w);
        top(w)->last_kind = lk == MD_PREV_PARA || lk == MD_PREV_OPEN
                                ? MD_PREV_OPEN : MD_PREV_OTHER;
      }
      break;
    case QUIRE_NODE_BULLET_LIST:
    case QUIRE_NODE_ORDERED_LIST:
      if (enter && !n->first_child) {
        it.event = QUIRE_EV_EXIT;
        break;
      }
      if (enter)
        enter_list(w, n);
      else
        exit_list(w);
      break;
    case QUIRE_NODE_ITEM:
      if (enter)
        enter_item(w, n);
      else
        exit_item(w);
      break;
    case QUIRE_NODE_DIV:
      if (md_has_attrs(n))
        tag_line(w, n, "div", !enter, 1);
      break;
    case QUIRE_NODE_FIGURE:
      tag_line(w, n, "figure", !enter, 1);
      break;
    case QUIRE_NODE_CAPTION: {
      int in_table = n->parent && n->parent->type == QUIRE_NODE_TABLE;
      const char *tag = in_table ? "caption" : "figcaption";
      if (enter && inline_content(svc, n, &holder)) {
        inline_tag_line(w, n, in_table ? "<caption>" : "<figcaption>", tag,
                        holder);
        it.event = QUIRE_EV_EXIT;
        break;
      }
      tag_line(w, n, tag, !enter, 0);
      break;
    }
    case QUIRE_NODE_DEFINITION_LIST:
      tag_line(w, n, "dl", !enter, 1);
      break;
    case QUIRE_NODE_TERM:
      if (enter) {
        inline_tag_line(w, n, "<dt>", "dt", n);
        it.event = QUIRE_EV_EXIT;
      }
      break;
    case QUIRE_NODE_DEFINITION:
      tag_line(w, n, "dd", !enter, 0);
      break;
    case QUIRE_NODE_TABLE:
      if (enter && md_table_is_pipe(w, n)) {
        md_block_start(w, n, MD_PREV_RAW);
        md_table_pipe(w, n);
        it.event = QUIRE_EV_EXIT;
        break;
      }
      tag_line(w, n, "table", !enter, 1);
      break;
    case QUIRE_NODE_TABLE_COLUMN:
      break;
    case QUIRE_NODE_TABLE_HEAD:
      tag_line(w, n, "thead", !enter, 0);
      break;
    case QUIRE_NODE_TABLE_BODY:
      tag_line(w, n, "tbody", !enter, 0);
      break;
    case QUIRE_NODE_TABLE_FOOT:
      tag_line(w, n, "tfoot", !enter, 0);
      break;
    case QUIRE_NODE_TABLE_ROW:
      tag_line(w, n, "tr", !enter, 0);
      break;
    case QUIRE_NODE_TABLE_CELL: {
      const char *tag = cell_is_header(n) ? "th" : "td";
      if (enter && (!n->first_child || svc->node_is_inline(n->first_child->type))) {
        md_buf *s = &w->scratch;
        cell_open(w, n, s);
        md_html_inlines(w, s, n);
        md_buf_puts(s, "</");
        md_buf_puts(s, tag);
        md_buf_putc(s, '>');
        md_html_line(w, n, s->p);
        it.event = QUIRE_EV_EXIT;
        break;
      }
      if (enter) {
        cell_open(w, n, &w->scratch);
        md_html_line(w, n, w->scratch.p);
      } else {
        tag_line(w, n, tag, 1, 0);
      }
      break;
    }
    case QUIRE_NODE_NOTE:
      /* A note standing where blocks are: called from a paragraph. */
      if (enter) {
        char mark[40];
        snprintf(mark, sizeof mark, "[^%zu]", md_note_call(w, n));
        md_block_start(w, n, MD_PREV_PARA);
        md_lines(w, mark, strlen(mark));
        it.event = QUIRE_EV_EXIT;
      }
      break;
    case QUIRE_NODE_TEXT:
      if (n->parent && !svc->node_is_inline(n->parent->type) && n->len) {
        reset_il(w);
        md_text(w, n->text, n->len);
        trim_block(w);
        if (w->il.n) {
          md_block_start(w, n, MD_PREV_PARA);
          write_para_text(w);
        }
      }
      break;
    default:
      /* Sections, and types this writer does not know: their content.
       * An inline standing where blocks are makes a paragraph. */
      if (enter && svc->node_is_inline(n->type) && n->parent &&
          !svc->node_is_inline(n->parent->type)) {
        paragraph(w, n);
        it.event = QUIRE_EV_EXIT;
      }
      break;
    }
  }
  while (w->depth > base)
    pop(w);
  if (w->o.failed || w->il.failed || w->prefix.failed || w->scratch.failed ||
      w->marker.failed)
    return md_write_oom(w);
  return QUIRE_OK;
}

int md_note_definition(md_writer *w, const quire_node *note, const char *mark,
                       const char *indent) {
  if (w->doc_lines)
    md_buf_putc(&w->o, '\n');
  if (!push(w, note, indent, mark))
    return md_write_oom(w);
  int rc = md_blocks(w, note);
  if (rc == QUIRE_OK && w->marker_on) {
    line_start(w, 1);
    md_buf_putc(&w->o, '\n');
  }
  pop(w);
  return rc;
}
