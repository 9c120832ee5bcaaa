/* md_write_inline.c - inlines as Markdown, in one pass over the inline
 * tree into w->il.
 *
 * Escaping: a character is escaped only where it could mean something:
 * '*', '`', '[', ']' always; '_' unless it stands between two
 * alphanumerics (it cannot open or close emphasis there); '\' before
 * punctuation, a line end or the end of a text; '<' before what could
 * start a tag or an autolink; '&' before what could be an entity; at the
 * start of a line '#', '>', '=', '-' and '+' before a space, and the '.'
 * or ')' after one to nine digits; in gfm '~', '|', the ':' of "://" and
 * the '.' of "www." (GFM's extended autolinks).  Spaces at the start of a
 * line are dropped (CommonMark drops them), trailing ones before a line
 * end too.
 *
 * Emphasis: its content is written first; then spaces at its edges are
 * moved outside, and the delimiters ('*' or '_', "**" or "__", "~~") are
 * the first whose runs CommonMark's flanking rules make open and close
 * there, with the characters actually around them; none does (an 'a' then
 * "*(b)*", say): <em>, <strong>, <del>. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "md_write.h"

static int is_alnum(int c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
         (c >= 'A' && c <= 'Z');
}

static int is_ascii_punct(int c) {
  return c > 0 && c < 0x80 && md_is_punct_cp(c);
}

static int at_line_start(const md_writer *w) {
  return w->il.n == w->line_start;
}

/* The types whose closing delimiter is written where their last child
 * ends, and what that delimiter starts with. */
static int32_t closer_of(const quire_node *p) {
  switch (p->type) {
  case QUIRE_NODE_EMPH:
  case QUIRE_NODE_STRONG:
  case QUIRE_NODE_STRIKEOUT:
    /* The enclosing delimiter: punctuation, and never the character the
     * inner one uses (the enclosing one makes sure of that). */
    return '<';
  case QUIRE_NODE_LINK:
  case QUIRE_NODE_IMAGE:
    return ']';
  case QUIRE_NODE_SUPERSCRIPT:
  case QUIRE_NODE_SUBSCRIPT:
  case QUIRE_NODE_UNDERLINE:
  case QUIRE_NODE_SMALL_CAPS:
    return '<';
  case QUIRE_NODE_SPAN:
    return md_has_attrs(p) ? '<' : -1;
  case QUIRE_NODE_QUOTED:
    return p->kind == QUIRE_QUOTE_SINGLE ? 0x2019 : 0x201D;
  default:
    return -1;
  }
}

/* The first character node x will write, or -1 when it writes nothing. */
static int32_t first_of(const quire_node *x) {
  for (int guard = 0; x && guard < 64; guard++) {
    switch (x->type) {
    case QUIRE_NODE_TEXT:
      return x->len ? md_cp_at(x->text, x->len) : -1;
    case QUIRE_NODE_SOFT_BREAK:
    case QUIRE_NODE_LINE_BREAK:
      return '\n';
    case QUIRE_NODE_CODE:
      return x->len ? '`' : -1;
    case QUIRE_NODE_LINK:
    case QUIRE_NODE_NOTE:
      return '[';
    case QUIRE_NODE_IMAGE:
      return '!';
    case QUIRE_NODE_RAW_INLINE:
      return x->text && x->len ? (unsigned char)x->text[0] : -1;
    case QUIRE_NODE_MATH:
      return '$';
    case QUIRE_NODE_QUOTED:
      return x->kind == QUIRE_QUOTE_SINGLE ? 0x2018 : 0x201C;
    case QUIRE_NODE_EMPH:
    case QUIRE_NODE_STRONG:
    case QUIRE_NODE_STRIKEOUT: {
      /* Leading spaces move out of emphasis; else a delimiter. */
      const quire_node *c = x->first_child;
      while (c && c->type != QUIRE_NODE_TEXT && c->first_child)
        c = c->first_child;
      if (c && c->type == QUIRE_NODE_TEXT && c->len &&
          md_is_space_cp(md_cp_at(c->text, c->len)))
        return ' ';
      return x->first_child ? '*' : -1;
    }
    case QUIRE_NODE_SPAN:
      if (md_has_attrs(x))
        return '<';
      if (!x->first_child)
        return -1;
      x = x->first_child;
      continue;
    default:
      return '<';
    }
  }
  return -1;
}

/* The first character written after node n (within `stop`, the block):
 * 0 at the end of the block (a line end: white space to CommonMark). */
static int32_t peek_after(const quire_node *n, const quire_node *stop) {
  for (int guard = 0; n && guard < 256; guard++) {
    if (n == stop)
      return 0;
    const quire_node *x = n->next;
    while (x) {
      int32_t c = first_of(x);
      if (c >= 0)
        return c;
      x = x->next;
    }
    const quire_node *p = n->parent;
    if (!p || p == stop)
      return 0;
    int32_t c = closer_of(p);
    if (c >= 0)
      return c;
    n = p;
  }
  return 0;
}


void md_trim_end(md_writer *w) {
  md_buf *b = &w->il;
  while (b->n > w->line_start &&
         (b->p[b->n - 1] == ' ' || b->p[b->n - 1] == '\t' ||
          b->p[b->n - 1] == MD_BREAKABLE))
    b->n--;
  size_t k = 0;
  while (k < b->n - w->line_start && b->p[b->n - 1 - k] == '\\')
    k++;
  if (b->n)
    b->p[b->n] = '\0';
  if (k % 2)
    md_buf_putc(b, '\\');
}

/* Characters that need no escape after the start of a line, whatever is
 * around them. */
static int plain_mid_line(unsigned char d, int gfm, int space_plain) {
  if (d >= 0x80 || is_alnum(d))
    return 1;
  switch (d) {
  case ' ':
    return space_plain;
  case ',': case ';': case '"': case '\'': case '(': case '/': case '?':
  case '%': case '$': case '@': case '^': case '{': case '}': case '-':
  case '+': case '=': case '#': case '>':
    return 1;
  case ':':
    return !gfm;
  default:
    return 0;
  }
}

static void put_entity(md_buf *b, unsigned c) {
  char e[16];
  snprintf(e, sizeof e, "&#%u;", c);
  md_buf_puts(b, e);
}

/* Text s[0..n), escaped; `after` is the character written after it (0:
 * the end of the block). */
static void put_text(md_writer *w, const char *s, size_t n, int32_t after) {
  md_buf *b = &w->il;
  int gfm = w->dialect == MD_GFM;
  char space = w->columns && !w->in_heading && !w->in_table ? MD_BREAKABLE
                                                            : ' ';
  int space_plain = space == ' ';
  size_t i = 0;
  while (i < n) {
    unsigned char c = (unsigned char)s[i];
    /* A run of characters that never need a thought. */
    if (c >= 0x80 || is_alnum(c)) {
      if (at_line_start(w) && c >= '0' && c <= '9') {
        md_buf_putc(b, (char)c);
        i++;
        continue;
      }
      size_t j = i + 1;
      while (j < n && plain_mid_line((unsigned char)s[j], gfm, space_plain))
        j++;
      md_buf_put(b, s + i, j - i);
      i = j;
      continue;
    }
    int next = i + 1 < n ? (unsigned char)s[i + 1] : (after < 0 ? 0 : after);
    int prev = b->n > w->line_start ? (unsigned char)b->p[b->n - 1] : 0;
    int lead = at_line_start(w);
    int esc = 0;
    switch (c) {
    case '\n':
      if (w->in_heading || w->in_table) {
        md_buf_putc(b, ' ');
      } else if (lead) {
        md_buf_puts(b, "&#10;");   /* a blank line would end the block */
      } else {
        md_trim_end(w);
        md_buf_putc(b, '\n');
        w->line_start = b->n;
      }
      i++;
      continue;
    case '\r':
      if (i + 1 < n && s[i + 1] == '\n') {
        i++;
        continue;
      }
      put_entity(b, c);
      i++;
      continue;
    case ' ':
    case '\t':
      if (lead) {
        if (w->nbsp_lead)
          md_buf_puts(b, "\xC2\xA0");
        i++;
        continue;
      }
      md_buf_putc(b, c == ' ' ? space : '\t');
      i++;
      continue;
    case '*':
    case '`':
    case '[':
    case ']':
      esc = 1;
      break;
    case '_':
      esc = !(is_alnum(prev) && is_alnum(next));
      break;
    case '\\':
      esc = next == 0 || next == '\n' || next == ' ' || next == '\t' ||
            is_ascii_punct(next);
      break;
    case '<':
      esc = next == 0 || next == '/' || next == '!' || next == '?' ||
            (next < 0x80 && is_alnum(next) && !(next >= '0' && next <= '9'));
      break;
    case '&':
      esc = next == 0 || next == '#' || (next < 0x80 && is_alnum(next));
      break;
    case '!':
      esc = next == '[';
      break;
    case '#':
    case '>':
      esc = lead;
      break;
    case '=':
      esc = lead;
      break;
    case '-':
    case '+':
      esc = lead && (next == 0 || next == ' ' || next == '\t' ||
                     next == '\n' || (c == '-' && next == '-'));
      break;
    case '~':
      esc = gfm || (lead && next == '~');
      break;
    case '|':
      esc = gfm || w->in_table;
      break;
    case '.':
    case ')': {
      if (next == 0 || next == ' ' || next == '\t' || next == '\n') {
        size_t k = 0;
        while (k < b->n - w->line_start && b->p[b->n - 1 - k] >= '0' &&
               b->p[b->n - 1 - k] <= '9')
          k++;
        if (k && k <= 9 && k == b->n - w->line_start)
          esc = 1;
      }
      if (!esc && c == '.' && gfm && b->n - w->line_start >= 3 &&
          memcmp(b->p + b->n - 3, "www", 3) == 0) {
        int before = b->n - w->line_start > 3
                         ? (unsigned char)b->p[b->n - 4] : 0;
        esc = before == 0 || !is_alnum(before);
      }
      break;
    }
    case ':':
      esc = gfm && i + 2 < n && s[i + 1] == '/' && s[i + 2] == '/';
      break;
    default:
      if (c < 0x20 || c == 0x7f) {
        put_entity(b, c);
        i++;
        continue;
      }
      break;
    }
    if (esc)
      md_buf_putc(b, '\\');
    md_buf_putc(b, (char)c);
    i++;
  }
}

void md_text(md_writer *w, const char *s, size_t n) { put_text(w, s, n, 0); }

void md_code_span(md_buf *b, const char *s, size_t n, int pipes) {
  if (!n)
    return;
  /* The shortest run of backticks that is no run of the content. */
  unsigned char seen[64] = {0};
  size_t run = 0, longest = 0;
  for (size_t i = 0; i <= n; i++) {
    if (i < n && s[i] == '`') {
      run++;
      continue;
    }
    if (run && run < sizeof seen)
      seen[run] = 1;
    if (run > longest)
      longest = run;
    run = 0;
  }
  size_t k = 1;
  while (k < sizeof seen && seen[k])
    k++;
  if (k >= sizeof seen)
    k = longest + 1;
  int all_space = 1;
  for (size_t i = 0; i < n; i++)
    if (s[i] != ' ' && s[i] != '\n') {
      all_space = 0;
      break;
    }
  int pad = s[0] == '`' || s[n - 1] == '`' ||
            (!all_space && (s[0] == ' ' || s[0] == '\n') &&
             (s[n - 1] == ' ' || s[n - 1] == '\n'));
  for (size_t i = 0; i < k; i++)
    md_buf_putc(b, '`');
  if (pad)
    md_buf_putc(b, ' ');
  size_t from = 0;
  for (size_t i = 0; i < n; i++) {
    char c = s[i];
    if (c == '\n' || c == '\r' || (pipes && c == '|')) {
      md_buf_put(b, s + from, i - from);
      md_buf_puts(b, c == '|' ? "\\|" : " ");
      from = i + 1;
    }
  }
  md_buf_put(b, s + from, n - from);
  if (pad)
    md_buf_putc(b, ' ');
  for (size_t i = 0; i < k; i++)
    md_buf_putc(b, '`');
}

/* A link destination: bare when it can be, else in <...>. */
static void put_dest(md_writer *w, const char *url) {
  md_buf *b = &w->il;
  size_t n = url ? strlen(url) : 0;
  int pointy = n == 0 || url[0] == '<';
  int depth = 0;
  for (size_t i = 0; i < n && !pointy; i++) {
    unsigned char c = (unsigned char)url[i];
    if (c <= ' ' || c == 0x7f)
      pointy = 1;
    else if (c == '(')
      depth++;
    else if (c == ')' && --depth < 0)
      pointy = 1;
  }
  if (depth)
    pointy = 1;
  if (pointy)
    md_buf_putc(b, '<');
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)url[i];
    int next = i + 1 < n ? (unsigned char)url[i + 1] : 0;
    if (c == '\n' || c == '\r') {
      md_buf_puts(b, c == '\n' ? "%0A" : "%0D");
      continue;
    }
    if (c == '\\' || (pointy && (c == '<' || c == '>')) ||
        (c == '&' && (next == '#' || is_alnum(next))) ||
        (c == '|' && (w->in_table || w->dialect == MD_GFM)))
      md_buf_putc(b, '\\');
    md_buf_putc(b, (char)c);
  }
  if (pointy)
    md_buf_putc(b, '>');
}

static void put_title(md_writer *w, const char *t) {
  md_buf *b = &w->il;
  md_buf_puts(b, " \"");
  size_t n = strlen(t);
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)t[i];
    int next = i + 1 < n ? (unsigned char)t[i + 1] : 0;
    if (c == '\n' || c == '\r') {
      md_buf_putc(b, ' ');
      continue;
    }
    if (c == '"' || c == '\\' || (c == '&' && (next == '#' || is_alnum(next))) ||
        (c == '|' && (w->in_table || w->dialect == MD_GFM)))
      md_buf_putc(b, '\\');
    md_buf_putc(b, (char)c);
  }
  md_buf_putc(b, '"');
}

/* Non-zero when link n is written as an autolink <url>; *shown is what
 * goes between the brackets. */
static int autolink(md_writer *w, const quire_node *n, const char **shown) {
  const quire_node *t = n->first_child;
  const char *url = n->url;
  if (!url || !t || t->next || t->type != QUIRE_NODE_TEXT || n->title)
    return 0;
  const char *text = t->text;
  if (strcmp(text, url) != 0) {
    if (strncasecmp(url, "mailto:", 7) != 0 || strcmp(text, url + 7) != 0 ||
        !strchr(text, '@'))
      return 0;
  } else {
    size_t k = 0;
    while (is_alnum((unsigned char)url[k]) || url[k] == '+' ||
           url[k] == '.' || url[k] == '-')
      k++;
    if (k < 2 || k > 32 || url[k] != ':' ||
        !((url[0] >= 'a' && url[0] <= 'z') || (url[0] >= 'A' && url[0] <= 'Z')))
      return 0;
  }
  for (const char *p = text; *p; p++) {
    unsigned char c = (unsigned char)*p;
    if (c <= ' ' || c == '<' || c == '>' || c == 0x7f || c == '&' ||
        c == '\\' || (c == '|' && w->in_table))
      return 0;
  }
  *shown = text;
  return 1;
}

void md_raw_dropped(md_writer *w, const char *format) {
  const char *f = format && *format ? format : "(unnamed)";
  w->raw_dropped++;
  size_t fl = strlen(f);
  /* Each format named once. */
  const char *p = w->raw_formats;
  while (*p) {
    const char *e = strchr(p, ',');
    size_t l = e ? (size_t)(e - p) : strlen(p);
    if (l == fl && strncmp(p, f, l) == 0)
      return;
    p = e ? e + 2 : p + l;
  }
  size_t used = strlen(w->raw_formats);
  if (used + fl + 3 < sizeof w->raw_formats) {
    if (used)
      strcat(w->raw_formats, ", ");
    strcat(w->raw_formats, f);
  }
}

size_t md_note_call(md_writer *w, const quire_node *note) {
  if (w->n_notes == w->notes_cap) {
    size_t cap = w->notes_cap ? w->notes_cap * 2 : 16;
    const quire_node **p = realloc(w->notes, cap * sizeof *p);
    if (!p) {
      w->il.failed = 1;
      return 0;
    }
    w->notes = p;
    w->notes_cap = cap;
  }
  w->notes[w->n_notes++] = note;
  return w->note_base + w->n_notes;
}

static int is_html(const char *format) {
  return format && strcasecmp(format, "html") == 0;
}

static void push_mark(md_writer *w, size_t at) {
  if (w->n_marks == w->marks_cap) {
    size_t cap = w->marks_cap ? w->marks_cap * 2 : 16;
    size_t *p = realloc(w->marks, cap * sizeof *p);
    if (!p) {
      w->il.failed = 1;
      return;
    }
    w->marks = p;
    w->marks_cap = cap;
  }
  w->marks[w->n_marks++] = at;
}

/* Whether delimiter run d (length k) opens at il[at] (after `prev`) and
 * closes after `last` (before `next`), content starting with `first`. */
static int delims_work(char c, int32_t prev, int32_t first, int32_t last,
                       int32_t next) {
  if (prev == c || first == c || last == c || next == c)
    return 0;
  int sp_prev = md_is_space_cp(prev), pu_prev = md_is_punct_cp(prev);
  int sp_first = md_is_space_cp(first), pu_first = md_is_punct_cp(first);
  int sp_last = md_is_space_cp(last), pu_last = md_is_punct_cp(last);
  int sp_next = md_is_space_cp(next), pu_next = md_is_punct_cp(next);
  int open_left = !sp_first && (!pu_first || sp_prev || pu_prev);
  int close_right = !sp_last && (!pu_last || sp_next || pu_next);
  if (!open_left || !close_right)
    return 0;
  if (c == '_') {
    int open_right = !sp_prev && (!pu_prev || sp_first || pu_first);
    int close_left = !sp_next && (!pu_next || sp_last || pu_last);
    if (open_right && !pu_prev)
      return 0;
    if (close_left && !pu_next)
      return 0;
  }
  return 1;
}

/* The end of emphasis-like node n, whose content started at il[start]. */
static void close_emph(md_writer *w, const quire_node *n, size_t start,
                       const quire_node *block, int nested_first) {
  md_buf *b = &w->il;
  if (b->failed)
    return;
  size_t lead = start, end = b->n;
  while (lead < end && (b->p[lead] == ' ' || b->p[lead] == '\t' ||
                        b->p[lead] == MD_BREAKABLE || b->p[lead] == '\n'))
    lead++;
  while (end > lead) {
    char c = b->p[end - 1];
    if (c == ' ' || c == '\t' || c == MD_BREAKABLE) {
      end--;
    } else if (c == '\n') {
      size_t k = 0;
      while (end - 1 - k > lead && b->p[end - 2 - k] == '\\')
        k++;
      end -= k % 2 ? 2 : 1;
    } else {
      break;
    }
  }
  if (end <= lead)
    return;                   /* nothing but white space: no emphasis */
  const char *cands[2];
  const char *open_html, *close_html;
  int ncands = 2;
  if (n->type == QUIRE_NODE_EMPH) {
    cands[0] = "*", cands[1] = "_";
    open_html = "<em>", close_html = "</em>";
  } else if (n->type == QUIRE_NODE_STRONG) {
    cands[0] = "**", cands[1] = "__";
    open_html = "<strong>", close_html = "</strong>";
  } else {
    cands[0] = "~~";
    ncands = w->dialect == MD_GFM ? 1 : 0;
    open_html = "<del>", close_html = "</del>";
  }
  int32_t prev = md_cp_before(b->p, lead);
  if (nested_first && lead == start)
    prev = '<';              /* the enclosing delimiter, not yet written */
  int32_t first = md_cp_at(b->p + lead, end - lead);
  int32_t last = md_cp_before(b->p + lead, end - lead);
  int32_t next = end < b->n ? md_cp_at(b->p + end, b->n - end)
                            : peek_after(n, block);
  /* A backslash before the opener would escape it. */
  size_t k = 0;
  while (k < lead && b->p[lead - 1 - k] == '\\')
    k++;
  const char *o = NULL, *cl = NULL;
  if (!(k % 2))
    for (int i = 0; i < ncands; i++)
      if (delims_work(cands[i][0], prev, first, last, next)) {
        o = cl = cands[i];
        break;
      }
  if (!o) {
    o = open_html;
    cl = close_html;
  }
  md_buf_insert(b, end, cl, strlen(cl));
  md_buf_insert(b, lead, o, strlen(o));
}

/* Renders the inline children of n into w->il. */
void md_inlines(md_writer *w, const quire_node *block) {
  const quire_services *svc = w->svc;
  quire_iter it;
  svc->iter_init(&it, block);
  size_t base_marks = w->n_marks;
  while (svc->iter_next(&it) != QUIRE_EV_DONE) {
    const quire_node *n = it.node;
    if (n == block)
      continue;
    int enter = it.event == QUIRE_EV_ENTER;
    md_buf *b = &w->il;
    switch (n->type) {
    case QUIRE_NODE_TEXT:
      if (n->text && n->len)
        put_text(w, n->text, n->len, peek_after(n, block));
      break;
    case QUIRE_NODE_SOFT_BREAK:
      if (w->in_heading || w->in_table) {
        md_buf_putc(b, ' ');
      } else if (!at_line_start(w)) {
        md_trim_end(w);
        md_buf_putc(b, '\n');
        w->line_start = b->n;
      }
      break;
    case QUIRE_NODE_LINE_BREAK:
      if (w->in_heading || w->in_table) {
        md_buf_putc(b, ' ');
      } else if (b->n > 0 && peek_after(n, block) != 0) {
        md_trim_end(w);
        if (b->n == w->line_start && w->line_start == 0)
          break;
        md_buf_puts(b, "\\\n");
        w->line_start = b->n;
      }
      break;
    case QUIRE_NODE_CODE:
      md_code_span(b, n->text ? n->text : "", n->text ? n->len : 0,
                   w->in_table || w->dialect == MD_GFM);
      break;
    case QUIRE_NODE_MATH: {
      const char *d = n->kind == QUIRE_MATH_DISPLAY ? "$$" : "$";
      md_buf_puts(b, d);
      if (n->text && n->len)
        md_code_span(b, n->text, n->len, w->in_table || w->dialect == MD_GFM);
      else
        md_buf_puts(b, "` `");
      md_buf_puts(b, d);
      break;
    }
    case QUIRE_NODE_RAW_INLINE:
      if (is_html(n->info))
        md_buf_put(b, n->text ? n->text : "", n->text ? n->len : 0);
      else
        md_raw_dropped(w, n->info);
      break;
    case QUIRE_NODE_NOTE: {
      char mark[40];
      snprintf(mark, sizeof mark, "[^%zu]", md_note_call(w, n));
      md_buf_puts(b, mark);
      it.event = QUIRE_EV_EXIT;   /* its blocks come after the document */
      break;
    }
    case QUIRE_NODE_EMPH:
    case QUIRE_NODE_STRONG:
    case QUIRE_NODE_STRIKEOUT:
      if (enter) {
        push_mark(w, b->n);
      } else if (w->n_marks > base_marks) {
        size_t start = w->marks[--w->n_marks];
        int nested_first = w->n_marks > base_marks &&
                           w->marks[w->n_marks - 1] == start &&
                           n->parent && n->parent->first_child == n;
        close_emph(w, n, start, block, nested_first);
      }
      break;
    case QUIRE_NODE_LINK:
      /* CommonMark has no link in a link: an inner one is its text. */
      if (enter) {
        const char *shown;
        if (w->in_link++)
          break;
        if (autolink(w, n, &shown)) {
          md_buf_putc(b, '<');
          md_buf_puts(b, shown);
          md_buf_putc(b, '>');
          w->in_link = 0;
          it.event = QUIRE_EV_EXIT;   /* its text is the URL */
          break;
        }
        md_buf_putc(b, '[');
      } else if (--w->in_link == 0) {
        md_buf_puts(b, "](");
        put_dest(w, n->url);
        if (n->title && *n->title)
          put_title(w, n->title);
        md_buf_putc(b, ')');
      }
      break;
    case QUIRE_NODE_IMAGE:
      if (enter) {
        md_buf_puts(b, "![");
      } else {
        md_buf_puts(b, "](");
        put_dest(w, n->url);
        if (n->title && *n->title)
          put_title(w, n->title);
        md_buf_putc(b, ')');
      }
      break;
    case QUIRE_NODE_SUPERSCRIPT:
    case QUIRE_NODE_SUBSCRIPT:
    case QUIRE_NODE_UNDERLINE:
    case QUIRE_NODE_SMALL_CAPS:
    case QUIRE_NODE_SPAN:
    case QUIRE_NODE_QUOTED:
      md_html_wrapper(b, n, enter);   /* Markdown has no syntax of its own */
      break;
    default:
      /* Anything else: its content. */
      break;
    }
  }
  w->n_marks = base_marks;
}
