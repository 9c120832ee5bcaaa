/* json_tree.c - a document's tree as the `blocks` array: one walk with the
 * model's iterator, each node an object with its type, its fields, its
 * attributes and its content (docs/formats/json.md, "Nodes").
 *
 * A field whose value is the default (none, 1, false) is left out.  A
 * text node is a bare string, unless it has attributes: then an object of
 * type "text". */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"

static void key(json_out *b, const char *name) {
  json_out_puts(b, ",\"");
  json_out_puts(b, name);
  json_out_puts(b, "\":");
}

static void field_string(json_out *b, const char *name, const char *value) {
  if (!value)
    return;
  key(b, name);
  json_out_cstring(b, value);
}

static void field_text(json_out *b, const char *name, const quire_node *n) {
  key(b, name);
  json_out_string(b, n->text ? n->text : "", n->text ? n->len : 0);
}

static void field_int(json_out *b, const char *name, int value) {
  char num[32];
  snprintf(num, sizeof num, "%d", value);
  key(b, name);
  json_out_puts(b, num);
}

static void field_true(json_out *b, const char *name, int value) {
  if (!value)
    return;
  key(b, name);
  json_out_puts(b, "true");
}

/* A float in the shortest form that reads back the same. */
static void field_number(json_out *b, const char *name, float value) {
  char num[40];
  for (int prec = 1; prec <= 9; prec++) {
    snprintf(num, sizeof num, "%.*g", prec, (double)value);
    if (strtof(num, NULL) == value)
      break;
  }
  key(b, name);
  json_out_puts(b, num);
}

static void field_align(json_out *b, quire_align a) {
  static const char *const aligns[] = {NULL, "left", "center", "right"};
  if (a > QUIRE_ALIGN_NONE && a <= QUIRE_ALIGN_RIGHT)
    field_string(b, "align", aligns[a]);
}

static int has_attributes(const quire_node *n) {
  return n->id || (n->classes && n->classes[strspn(n->classes, " ")]) ||
         n->attrs;
}

/* "id", "classes" (the class names as an array) and "attrs" (the other
 * pairs as an object, in the model's order). */
static void attributes(json_out *b, const quire_node *n) {
  field_string(b, "id", n->id);
  const char *p = n->classes ? n->classes : "";
  p += strspn(p, " \t\n");
  if (*p) {
    key(b, "classes");
    json_out_puts(b, "[");
    for (int first = 1; *p; first = 0) {
      size_t len = strcspn(p, " \t\n");
      if (!first)
        json_out_puts(b, ",");
      json_out_string(b, p, len);
      p += len;
      p += strspn(p, " \t\n");
    }
    json_out_puts(b, "]");
  }
  if (n->attrs) {
    key(b, "attrs");
    json_out_puts(b, "{");
    for (const quire_meta *m = n->attrs; m; m = m->next) {
      if (m != n->attrs)
        json_out_puts(b, ",");
      json_out_cstring(b, m->key);
      json_out_puts(b, ":");
      json_out_cstring(b, m->value);
    }
    json_out_puts(b, "}");
  }
}

static const char *style_name(quire_list_style s) {
  switch (s) {
  case QUIRE_LIST_DECIMAL: return "decimal";
  case QUIRE_LIST_LOWER_ALPHA: return "lower_alpha";
  case QUIRE_LIST_UPPER_ALPHA: return "upper_alpha";
  case QUIRE_LIST_LOWER_ROMAN: return "lower_roman";
  case QUIRE_LIST_UPPER_ROMAN: return "upper_roman";
  default: return NULL;
  }
}

static const char *delim_name(quire_list_delim d) {
  switch (d) {
  case QUIRE_DELIM_PERIOD: return "period";
  case QUIRE_DELIM_PAREN: return "paren";
  case QUIRE_DELIM_TWO_PARENS: return "two_parens";
  default: return NULL;
  }
}

/* A node's type and fields, without the closing brace. */
static void open_node(const quire_services *svc, json_out *b,
                      const quire_node *n) {
  json_out_puts(b, "{\"type\":\"");
  json_out_puts(b, svc->node_type_name(n->type));
  json_out_puts(b, "\"");
  switch (n->type) {
  case QUIRE_NODE_SECTION:
    field_string(b, "info", n->info);
    break;
  case QUIRE_NODE_HEADING:
    field_int(b, "level", n->level);
    break;
  case QUIRE_NODE_ORDERED_LIST:
    if (n->start != 1)
      field_int(b, "start", n->start);
    field_string(b, "style", style_name((quire_list_style)n->style));
    field_string(b, "delim", delim_name((quire_list_delim)n->delim));
    field_true(b, "tight", n->tight);
    break;
  case QUIRE_NODE_BULLET_LIST:
  case QUIRE_NODE_DEFINITION_LIST:
    field_true(b, "tight", n->tight);
    break;
  case QUIRE_NODE_CODE_BLOCK:
    field_string(b, "language", n->info);
    field_text(b, "text", n);
    break;
  case QUIRE_NODE_TABLE_ROW:
    field_true(b, "header", n->header);
    break;
  case QUIRE_NODE_TABLE_CELL:
    field_align(b, n->align);
    if (n->rowspan > 1)
      field_int(b, "rowspan", n->rowspan);
    if (n->colspan > 1)
      field_int(b, "colspan", n->colspan);
    field_true(b, "header", n->header);
    break;
  case QUIRE_NODE_TABLE_COLUMN:
    field_align(b, n->align);
    if (n->width > 0)
      field_number(b, "width", n->width);
    break;
  case QUIRE_NODE_RAW_BLOCK:
  case QUIRE_NODE_RAW_INLINE:
    field_string(b, "format", n->info);
    field_text(b, "text", n);
    break;
  case QUIRE_NODE_CODE:
  case QUIRE_NODE_TEXT:
    field_text(b, "text", n);
    break;
  case QUIRE_NODE_LINK:
  case QUIRE_NODE_IMAGE:
    field_string(b, "url", n->url ? n->url : "");
    field_string(b, "title", n->title);
    break;
  case QUIRE_NODE_QUOTED:
    field_string(b, "quote",
                 n->kind == QUIRE_QUOTE_SINGLE ? "single" : "double");
    break;
  case QUIRE_NODE_MATH:
    field_text(b, "text", n);
    field_true(b, "display", n->kind == QUIRE_MATH_DISPLAY);
    break;
  default:
    break;
  }
  attributes(b, n);
}

int json_write_blocks(const quire_services *svc, const quire_doc *doc,
                      json_out *b, json_flush_fn flush, void *user) {
  json_out_puts(b, "[");
  quire_iter it;
  svc->iter_init(&it, doc->root);
  svc->iter_next(&it);   /* the DOCUMENT root */
  while (svc->iter_next(&it) != QUIRE_EV_DONE) {
    const quire_node *n = it.node;
    if (n == doc->root)
      break;
    if (it.event == QUIRE_EV_EXIT) {
      json_out_puts(b, "]}");
      continue;
    }
    if (n->prev)
      json_out_puts(b, ",");
    if (n->type == QUIRE_NODE_TEXT && !has_attributes(n)) {
      json_out_string(b, n->text, n->len);
    } else {
      open_node(svc, b, n);
      json_out_puts(b, svc->node_is_leaf(n->type) ? "}" : ",\"content\":[");
    }
    if (b->len >= JSON_FLUSH_AT && !b->failed) {
      int rc = flush(user, b);
      if (rc != QUIRE_OK)
        return rc;
    }
  }
  json_out_puts(b, "]");
  return QUIRE_OK;
}
