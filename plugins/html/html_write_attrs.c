/* html_write_attrs.c - what of a node's attributes and URLs may be written
 * (see the header). */
#include "html_write_attrs.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/HTMLparser.h>

/* ---- URLs -------------------------------------------------------------- */

/* Browsers remove ASCII blanks and control characters anywhere in a URL's
 * scheme ("java\tscript:" runs), and compare it without case: the scheme
 * as a browser reads it, lower case, in buf (at most size - 1 bytes, up to
 * and without the ':'), or "" when there is none. */
static void scheme_of(const char *url, char *buf, size_t size) {
  size_t n = 0;
  for (const unsigned char *p = (const unsigned char *)url; *p; p++) {
    if (*p <= 0x20 || *p == 0x7f)
      continue;
    if (*p == ':') {
      buf[n] = '\0';
      return;
    }
    if (!isalnum(*p) && *p != '+' && *p != '-' && *p != '.')
      break;
    if (n + 1 >= size)
      break;
    buf[n++] = (char)tolower(*p);
  }
  buf[0] = '\0';
}

static int script_scheme(const char *scheme) {
  return strcmp(scheme, "javascript") == 0 ||
         strcmp(scheme, "vbscript") == 0 || strcmp(scheme, "livescript") == 0;
}

int html_url_unsafe(const char *url, int image) {
  char scheme[16];
  scheme_of(url, scheme, sizeof scheme);
  return script_scheme(scheme) || (!image && strcmp(scheme, "data") == 0);
}

int html_url_external(const char *url) {
  if (url[0] == '/' && url[1] == '/')
    return 1;
  /* A scheme: a letter, then letters, digits, + - ., then ':' (RFC 3986),
   * before any '/', '?' or '#'; one letter is a Windows drive ("C:"), a
   * local path. */
  if (!isalpha((unsigned char)url[0]))
    return 0;
  size_t i = 1;
  while (isalnum((unsigned char)url[i]) || url[i] == '+' || url[i] == '-' ||
         url[i] == '.')
    i++;
  return i > 1 && url[i] == ':';
}

/* ---- Attributes ---------------------------------------------------------- */

/* ASCII XML names only: a letter or '_', then letters, digits, '_', '-'
 * and '.', with at most one ':' inside.  Names outside ASCII are valid XML
 * but no HTML attribute, and browsers read some of them differently. */
static int name_ok(const char *s) {
  if (!isalpha((unsigned char)s[0]) && s[0] != '_')
    return 0;
  int colons = 0;
  for (const char *p = s + 1; *p; p++) {
    if (*p == ':') {
      if (++colons > 1 || !p[1])
        return 0;
      continue;
    }
    if (!isalnum((unsigned char)*p) && *p != '_' && *p != '-' && *p != '.')
      return 0;
  }
  return 1;
}

/* Non-zero when the value of a style attribute could call script. */
static int style_unsafe(const char *v) {
  /* CSS ignores case; blanks and comments inside a word are not looked
   * through, so any occurrence of the words counts. */
  static const char *const bad[] = {"expression", "javascript", "vbscript",
                                    "behavior", "-moz-binding"};
  for (const char *p = v; *p; p++)
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
      if (strncasecmp(p, bad[i], strlen(bad[i])) == 0)
        return 1;
  return 0;
}

/* HTML's global attributes (and RDFa's, which EPUB allows), by name. */
static const char *const global_attrs[] = {
    "about", "accesskey", "autocapitalize", "autofocus", "content",
    "contenteditable", "datatype", "dir", "draggable", "enterkeyhint",
    "hidden", "inert", "inlist", "inputmode", "is", "itemid", "itemprop",
    "itemref", "itemscope", "itemtype", "lang", "nonce", "popover", "prefix",
    "property", "rel", "resource", "rev", "role", "slot", "spellcheck",
    "tabindex", "title", "translate", "typeof", "vocab", NULL};

/* The attributes of the elements the writer makes that are their own. */
static const struct {
  const char *element;
  const char *const names[12];
} element_attrs[] = {
    {"a", {"download", "hreflang", "ping", "referrerpolicy", "target", "type"}},
    {"img", {"crossorigin", "decoding", "height", "ismap", "loading",
             "referrerpolicy", "sizes", "srcset", "usemap", "width"}},
    {"ol", {"reversed"}},
    {"li", {"value"}},
    {"q", {"cite"}},
    {"blockquote", {"cite"}},
    {"th", {"abbr", "headers", "scope"}},
    {"td", {"headers"}},
    {"col", {"span"}},
};

static int listed(const char *const *names, const char *key) {
  for (; *names; names++)
    if (strcasecmp(*names, key) == 0)
      return 1;
  return 0;
}

/* Non-zero when HTML knows attribute key on element. */
static int known(const char *element, const char *key) {
  if (strncasecmp(key, "data-", 5) == 0 || strncasecmp(key, "aria-", 5) == 0 ||
      strchr(key, ':') || listed(global_attrs, key))
    return 1;
  for (size_t i = 0; element && i < sizeof element_attrs /
                                         sizeof *element_attrs; i++)
    if (strcmp(element_attrs[i].element, element) == 0)
      return listed(element_attrs[i].names, key);
  return 0;
}

/* Writes key=value, as data-key when HTML does not know key on the
 * element. */
static int put_known(html_put_attr put, void *user, const char *element,
                     const char *key, const char *value) {
  if (known(element, key))
    return put(user, key, value);
  size_t n = strlen(key);
  char small[64];
  char *name = n + 6 <= sizeof small ? small : malloc(n + 6);
  if (!name)
    return 1;
  memcpy(name, "data-", 5);
  memcpy(name + 5, key, n + 1);
  int rc = put(user, name, value);
  if (name != small)
    free(name);
  return rc;
}

typedef enum verdict { WRITE, SKIP, UNSAFE } verdict;

static verdict judge(const char *key, const char *value,
                     const html_attr_spec *spec) {
  if (!name_ok(key) || strcasecmp(key, "id") == 0 ||
      strcasecmp(key, "class") == 0 || strcasecmp(key, "style") == 0)
    return SKIP;   /* style is merged by the caller */
  for (const char *const *o = spec->own; o && *o; o++)
    if (strcasecmp(key, *o) == 0)
      return SKIP;
  if (strncasecmp(key, "xmlns", 5) == 0 && (!key[5] || key[5] == ':'))
    return SKIP;
  const char *colon = strchr(key, ':');
  if (colon && !(strncmp(key, "xml:", 4) == 0 ||
                 (spec->xhtml && spec->epub && strncmp(key, "epub:", 5) == 0)))
    return SKIP;
  if ((key[0] == 'o' || key[0] == 'O') && (key[1] == 'n' || key[1] == 'N'))
    return UNSAFE;
  if (strcasecmp(key, "srcdoc") == 0 || html_url_unsafe(value, 1))
    return UNSAFE;
  return WRITE;
}

/* `a b`: own classes, then the node's; in buf when it holds them, else in
 * *heap (the caller frees it).  NULL when memory is exhausted. */
static const char *joined(const char *a, const char *sep, const char *b,
                          char *buf, size_t size, char **heap) {
  size_t na = strlen(a), ns = strlen(sep), nb = strlen(b);
  char *out = buf;
  if (na + ns + nb + 1 > size && !(out = *heap = malloc(na + ns + nb + 1)))
    return NULL;
  memcpy(out, a, na);
  memcpy(out + na, sep, ns);
  memcpy(out + na + ns, b, nb + 1);
  return out;
}

static int put_joined(html_put_attr put, void *user, const char *name,
                      const char *a, const char *sep, const char *b) {
  if (!a || !a[0])
    return b && b[0] ? put(user, name, b) : 0;
  if (!b || !b[0])
    return put(user, name, a);
  char buf[256], *heap = NULL;
  const char *v = joined(a, sep, b, buf, sizeof buf, &heap);
  int rc = v ? put(user, name, v) : 1;
  free(heap);
  return rc;
}

/* Non-zero when every class of `own` is among `classes` already (a node
 * read back from quire's own page: <q class="single">). */
static int has_classes(const char *classes, const char *own) {
  if (!classes)
    return 0;
  for (const char *w = own; *w;) {
    size_t n = strcspn(w, " ");
    int found = 0;
    for (const char *c = classes; *c && !found;) {
      size_t k = strcspn(c, " ");
      found = k == n && strncmp(c, w, n) == 0;
      c += k;
      c += strspn(c, " ");
    }
    if (!found)
      return 0;
    w += n;
    w += strspn(w, " ");
  }
  return 1;
}

static const char *attr_of(const quire_node *n, const char *key) {
  for (const quire_meta *m = n->attrs; m; m = m->next)
    if (strcasecmp(m->key, key) == 0)
      return m->value;
  return NULL;
}

int html_attrs_write(const quire_node *n, const html_attr_spec *spec,
                     html_put_attr put, void *user, size_t *unsafe) {
  size_t bad = 0;
  if (spec->id && put(user, "id", spec->id))
    return 1;
  const char *cls = spec->cls && has_classes(n->classes, spec->cls)
                        ? NULL
                        : spec->cls;
  if (put_joined(put, user, "class", cls, " ", n->classes))
    return 1;
  const char *style = attr_of(n, "style");
  if (style && style_unsafe(style)) {
    style = NULL;
    bad++;
  }
  if (put_joined(put, user, "style", spec->style, "; ", style))
    return 1;
  int has_lang = attr_of(n, "lang") != NULL;
  for (const quire_meta *m = n->attrs; m; m = m->next) {
    const char *value = m->value ? m->value : "";
    switch (judge(m->key, value, spec)) {
    case UNSAFE:
      bad++;
      break;
    case SKIP:
      break;
    case WRITE:
      /* HTML has no xml:lang of its own: it is lang there. */
      if (!spec->xhtml && strcmp(m->key, "xml:lang") == 0) {
        if (!has_lang && put(user, "lang", value))
          return 1;
      } else if (!spec->xhtml && strchr(m->key, ':')) {
        break;
      } else if (put_known(put, user, spec->element, m->key, value)) {
        return 1;
      }
      break;
    }
  }
  if (unsafe)
    *unsafe += bad;
  return 0;
}

/* ---- Raw HTML ------------------------------------------------------------ */

static int bad_element(const char *name) {
  static const char *const bad[] = {"script", "object", "embed", "iframe",
                                    "frame", "frameset", "applet", "base",
                                    "meta", "link", "portal"};
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
    if (strcasecmp(name, bad[i]) == 0)
      return 1;
  return 0;
}

static int bad_attr(const xmlAttr *a) {
  const char *name = (const char *)a->name;
  if ((name[0] == 'o' || name[0] == 'O') && (name[1] == 'n' || name[1] == 'N'))
    return 1;
  if (strcasecmp(name, "srcdoc") == 0)
    return 1;
  xmlChar *v = xmlNodeListGetString(a->doc, a->children, 1);
  int bad = v && html_url_unsafe((const char *)v, 1);
  if (v && strcasecmp(name, "style") == 0 && style_unsafe((const char *)v))
    bad = 1;
  xmlFree(v);
  return bad;
}

/* libxml2's reading: walks its tree without recursion. */
static int parsed_safe(const char *s, size_t n) {
  if (n > 0x7fffffff)
    return 0;
  htmlParserCtxtPtr ctxt = htmlNewParserCtxt();
  if (!ctxt)
    return 0;
  xmlDoc *tree = htmlCtxtReadMemory(
      ctxt, s, (int)n, NULL, "UTF-8",
      HTML_PARSE_RECOVER | HTML_PARSE_NONET | HTML_PARSE_NOERROR |
          HTML_PARSE_NOWARNING | XML_PARSE_HUGE);
  htmlFreeParserCtxt(ctxt);
  if (!tree)
    return 0;
  int safe = 1;
  xmlNode *node = tree->children;
  while (node && safe) {
    if (node->type == XML_ELEMENT_NODE) {
      if (bad_element((const char *)node->name))
        safe = 0;
      for (const xmlAttr *a = node->properties; a && safe; a = a->next)
        if (bad_attr(a))
          safe = 0;
    }
    if (node->children && node->type == XML_ELEMENT_NODE) {
      node = node->children;
      continue;
    }
    while (node && !node->next)
      node = node->parent && node->parent != (xmlNode *)tree ? node->parent
                                                             : NULL;
    if (node)
      node = node->next;
  }
  xmlFreeDoc(tree);
  return safe;
}

/* The value of a character reference at s ("&#106;", "&#x6A;", "&colon;"),
 * with *len its length; -1 when s is none of those. */
static long char_ref(const char *s, const char *end, size_t *len) {
  static const struct { const char *name; char c; } named[] = {
      {"&colon;", ':'}, {"&tab;", '\t'}, {"&newline;", '\n'}};
  for (size_t i = 0; i < sizeof named / sizeof *named; i++) {
    size_t k = strlen(named[i].name);
    if ((size_t)(end - s) >= k && strncasecmp(s, named[i].name, k) == 0) {
      *len = k;
      return named[i].c;
    }
  }
  if (end - s < 3 || s[1] != '#')
    return -1;
  const char *p = s + 2;
  int hex = (*p == 'x' || *p == 'X');
  p += hex;
  long v = 0;
  const char *digits = p;
  while (p < end && (hex ? isxdigit((unsigned char)*p)
                         : isdigit((unsigned char)*p))) {
    if (v < 0x110000)
      v = v * (hex ? 16 : 10) +
          (isdigit((unsigned char)*p) ? *p - '0' : (tolower(*p) - 'a' + 10));
    p++;
  }
  if (p == digits)
    return -1;
  if (p < end && *p == ';')
    p++;
  *len = (size_t)(p - s);
  return v;
}

/* The text of a tag, from its '<' to its '>', as a browser would compare
 * it: character references decoded, blanks and controls gone, lower case;
 * then looked at for handlers and script URLs. */
static int tag_unsafe(const char *s, const char *end) {
  char small[512];
  size_t cap = (size_t)(end - s) + 1;
  char *buf = cap <= sizeof small ? small : malloc(cap);
  if (!buf)
    return 1;
  size_t n = 0;
  int handler = 0;
  for (const char *p = s; p < end;) {
    /* on...= after a blank, a quote or '/': an event handler */
    if ((p[0] == 'o' || p[0] == 'O') && p + 2 < end &&
        (p[1] == 'n' || p[1] == 'N') && isalpha((unsigned char)p[2]) &&
        p > s && (isspace((unsigned char)p[-1]) || p[-1] == '/' ||
                  p[-1] == '"' || p[-1] == '\'')) {
      const char *q = p + 2;
      while (q < end && (isalnum((unsigned char)*q) || *q == '-' || *q == '_'))
        q++;
      while (q < end && isspace((unsigned char)*q))
        q++;
      if (q < end && *q == '=')
        handler = 1;
    }
    size_t len = 1;
    long c = (unsigned char)*p;
    if (*p == '&') {
      long r = char_ref(p, end, &len);
      if (r < 0)
        len = 1;
      else
        c = r;
    }
    if (c > 0x20 && c != 0x7f)
      buf[n++] = c < 0x80 ? (char)tolower((int)c) : '?';
    p += len;
  }
  buf[n] = '\0';
  int bad = handler || strstr(buf, "javascript:") ||
            strstr(buf, "vbscript:") || strstr(buf, "livescript:") ||
            strstr(buf, "srcdoc");
  if (buf != small)
    free(buf);
  return bad;
}

static int text_safe(const char *s, size_t n) {
  const char *end = s + n;
  for (const char *p = s; p < end; p++) {
    if (*p != '<')
      continue;
    const char *q = p + 1;
    while (q < end && *q != '>')
      q++;
    /* the element's name: a script element anywhere, however spelt */
    const char *name = p + 1;
    if (name < end && *name == '/')
      name++;
    size_t k = 0;
    while (name + k < end && isalpha((unsigned char)name[k]))
      k++;
    char tag[16];
    if (k && k < sizeof tag) {
      memcpy(tag, name, k);
      tag[k] = '\0';
      if (bad_element(tag))
        return 0;
    }
    if (tag_unsafe(p, q))
      return 0;
    p = q < end ? q : end - 1;
  }
  return 1;
}

int html_raw_safe(const char *s, size_t n) {
  size_t blank = 0;
  while (blank < n && isspace((unsigned char)s[blank]))
    blank++;
  if (blank == n)
    return 1;
  return text_safe(s, n) && parsed_safe(s, n);
}
