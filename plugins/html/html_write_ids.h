/* html_write_ids.h - the ids of a written page, and new ones that stay
 * clear of them.
 *
 * A document's nodes carry ids of their own (model.h: unique in their
 * document), and the writer makes more: PREFIX-hN for headings without
 * one, fnN and fnrefN for notes.  A made id must never take a name the
 * document already uses, or a link to that node would land elsewhere; so
 * the renderer first gathers every id of the document here, and makes each
 * new one with html_ids_fresh.  Several documents in one page may use the
 * same id; the later ones are renamed, and a table of the same kind maps
 * each old name to the new.  Hash tables, so a page of any size costs
 * time in proportion to it. */
#ifndef QUIRE_HTML_WRITE_IDS_H
#define QUIRE_HTML_WRITE_IDS_H

#include <stddef.h>

typedef struct html_ids {
  const char **keys;         /* open addressing; NULL is empty */
  const char **values;
  size_t cap, n;             /* cap is 0 or a power of two */
  char **owned;              /* the strings the table made or copied */
  size_t n_owned, cap_owned;
} html_ids;

/* Empties the table (keeping its memory for the next document) and frees
 * the strings it owns. */
void html_ids_clear(html_ids *ids);
/* Frees everything; the table is then empty and may be used again. */
void html_ids_free(html_ids *ids);

/* Adds id (borrowed: it must outlive its use in the table); with copy, a
 * copy the table owns.  0, or -1 when memory is exhausted. */
int html_ids_add(html_ids *ids, const char *id, int copy);
/* Non-zero when id is in the table. */
int html_ids_has(const html_ids *ids, const char *id);

/* Maps key to value (both borrowed), replacing what key had.  0 or -1. */
int html_ids_put(html_ids *ids, const char *key, const char *value);
/* What key maps to (the key itself for html_ids_add), or NULL. */
const char *html_ids_get(const html_ids *ids, const char *key);

/* A new id, base itself when the table does not hold it, else base-2,
 * base-3, ... the first free one; it is added to the table and lives until
 * the table is cleared.  NULL when memory is exhausted. */
const char *html_ids_fresh(html_ids *ids, const char *base);

/* Non-zero when s may be written as an id: not empty, no blank (HTML
 * forbids ASCII whitespace in ids). */
int html_id_ok(const char *s);

#endif
