/* warc_charset.c - the charset an HTTP header declares, passed on.
 *
 * A browser decodes a page by its byte order mark, else by the charset of
 * the HTTP Content-Type, else by a <meta> declaration, else by guessing.
 * The html and txt readers see no HTTP header, but they rank a BOM first:
 * so a payload whose header declares a charset is converted here to UTF-8
 * with a BOM in front, and reads as the browser would have read it, even
 * when its <meta> says otherwise.  Labels, their meaning (ISO-8859-1 and
 * US-ASCII mean windows-1252, as browsers take them) and the conversion
 * are the shared ones of charset.c; a byte iconv cannot convert becomes
 * U+FFFD.  A label no encoding goes by leaves the bytes to the reader's
 * own detection. */
#include <stdlib.h>
#include <string.h>

#include "archive.h"
#include "charset.h"

static const char bom[] = "\xEF\xBB\xBF";

int warc_to_utf8(const char *charset, const char *body, size_t len,
                 char **out, size_t *out_len, const char **why) {
  *out = NULL;
  *why = NULL;
  size_t bom_len;
  if (!charset[0] || charset_bom(body, len, &bom_len))
    return QUIRE_DONE;
  if (strspn(charset, "abcdefghijklmnopqrstuvwxyz0123456789._:-") !=
      strlen(charset)) {
    *why = "not a charset name";   /* nor anything else for iconv */
    return QUIRE_DONE;
  }
  char name[32];
  if (!charset_canonical(charset, name, sizeof name)) {
    *why = "a charset iconv does not know";
    return QUIRE_DONE;
  }
  char *text = NULL;
  size_t n = len;
  if (strcmp(name, "utf-8") != 0) {
    charset_bad bad;
    int rc = charset_to_utf8(name, body, len, &text, &n, &bad);
    if (rc == -1)
      return QUIRE_FATAL;
    if (rc == -2) {
      *why = "a charset iconv does not know";
      return QUIRE_DONE;
    }
  }
  /* UTF-8 is passed on as it is: the reader replaces what is not UTF-8. */
  char *o = n < SIZE_MAX - 4 ? malloc(n + 4) : NULL;
  if (!o) {
    free(text);
    return QUIRE_FATAL;
  }
  memcpy(o, bom, 3);
  memcpy(o + 3, text ? text : body, n);
  o[n + 3] = '\0';
  free(text);
  *out = o;
  *out_len = n + 3;
  return QUIRE_OK;
}
