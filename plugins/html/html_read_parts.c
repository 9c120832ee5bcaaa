/* html_read_parts.c - the parts of a page kept as layout SECTIONs.
 *
 * A transform that removes a page's chrome (menus, footers, comments) needs
 * to know where the page's parts were, which the containers flattened into
 * their parent would hide.  So the layout elements, and the block
 * containers whose class or id tells what part of a page they are, become
 * SECTIONs whose info says where they were found ("footer .site #colophon",
 * see model.h); writers write such a section as its content alone. */
#include <string.h>
#include <strings.h>

#include "html_read_build.h"

static const char *const layout_tags[] = {
    "header", "footer", "nav", "aside", "form", "article", "main"};

/* Words that, in a class or id, name a part of a page (matched anywhere,
 * ignoring case: "entry-content", "commentlist", "sidebar-widget"). */
static const char *const part_words[] = {
    "article", "content", "entry", "main", "post", "story", "text", "body",
    "blog", "comment", "meta", "footer", "footnote", "masthead", "related",
    "share", "social", "sidebar", "sponsor", "ad", "advert", "promo", "nav",
    "menu", "widget", "cookie", "consent", "newsletter", "subscribe",
    "signup", "breadcrumb", "header", "banner", "popup", "modal", "tags",
    "author", "byline", "login", "search", "pagination"};

#define INFO_MAX 200   /* the longest SECTION info kept, in bytes */

static int contains_nocase(const char *s, const char *word) {
  size_t n = strlen(word);
  for (; *s; s++)
    if (strncasecmp(s, word, n) == 0)
      return 1;
  return 0;
}

static int tells_part(const char *value) {
  if (!value)
    return 0;
  for (size_t i = 0; i < sizeof part_words / sizeof *part_words; i++)
    if (contains_nocase(value, part_words[i]))
      return 1;
  return 0;
}

/* Non-zero when el, a container of blocks, is a part of the page worth a
 * SECTION.  `listed` is its kind from the table: <body> and <html> are the
 * page itself, not a part of it, whatever their classes say. */
int hb_page_part(builder *b, const xmlNode *el, int listed) {
  if (listed != K_BLOCK && listed != K_NAV)
    return 0;
  if (strcasecmp((const char *)el->name, "html") == 0)
    return 0;
  for (size_t i = 0; i < sizeof layout_tags / sizeof *layout_tags; i++)
    if (strcasecmp((const char *)el->name, layout_tags[i]) == 0)
      return 1;
  return tells_part(hb_attr(b, el, "class")) || tells_part(hb_attr(b, el, "id"));
}

/* Appends s[0..n) to info[*len], after a space, unless that would pass
 * INFO_MAX: a token that does not fit is left out whole, so the info stays
 * valid UTF-8 and made of whole words. */
static void info_token(char *info, size_t *len, const char *mark,
                       const char *s, size_t n) {
  size_t m = strlen(mark);
  if (!n || *len + 1 + m + n > INFO_MAX)
    return;
  info[(*len)++] = ' ';
  memcpy(info + *len, mark, m);
  memcpy(info + *len + m, s, n);
  *len += m + n;
}

/* "TAG .class .class #id", in the document's arena, for a SECTION's info. */
const char *hb_section_info(builder *b, const xmlNode *el) {
  char info[INFO_MAX + 1];
  size_t len = 0;
  for (const char *p = (const char *)el->name; *p && len < INFO_MAX; p++)
    info[len++] = (*p >= 'A' && *p <= 'Z') ? (char)(*p - 'A' + 'a') : *p;
  for (const char *p = hb_attr(b, el, "class"); p && *p;) {
    p += strspn(p, " \t\n\r\f");
    size_t n = strcspn(p, " \t\n\r\f");
    info_token(info, &len, ".", p, n);
    p += n;
  }
  const char *id = hb_attr(b, el, "id");
  if (id) {
    id += strspn(id, " \t\n\r\f");
    info_token(info, &len, "#", id, strcspn(id, " \t\n\r\f"));
  }
  return hb_dup(b, info, len);
}
