/* bag_tags.c - the tag files of a bag read line by line as their bytes
 * pass: bagit.txt, bag-info.txt (labels, continuation lines,
 * Payload-Oxum) and the manifests ("DIGEST  PATH", percent-decoded), with
 * lines ending in LF, CR or CRLF and bounded in length (RFC 8493 2.1-2.2). */
#include "bag_check_impl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- Tag files, line by line ------------------------------------------- */

const char *bc_skip_blanks(const char *s) {
  while (*s == ' ' || *s == '\t')
    s++;
  return s;
}

int bc_is_blank(const char *s) { return *bc_skip_blanks(s) == '\0'; }

/* Decodes the %0A, %0D and %25 of a manifest path in place (RFC 8493
 * §2.1.3: those, and only those, are encoded). */
static void percent_decode(char *s) {
  char *out = s;
  for (const char *p = s; *p;) {
    if (p[0] == '%' && p[1] == '0' && (p[2] == 'A' || p[2] == 'a')) {
      *out++ = '\n';
      p += 3;
    } else if (p[0] == '%' && p[1] == '0' && (p[2] == 'D' || p[2] == 'd')) {
      *out++ = '\r';
      p += 3;
    } else if (p[0] == '%' && p[1] == '2' && p[2] == '5') {
      *out++ = '%';
      p += 3;
    } else {
      *out++ = *p++;
    }
  }
  *out = '\0';
}

static int hex_value(char ch) {
  if (ch >= '0' && ch <= '9')
    return ch - '0';
  if (ch >= 'a' && ch <= 'f')
    return ch - 'a' + 10;
  if (ch >= 'A' && ch <= 'F')
    return ch - 'A' + 10;
  return -1;
}

/* The hex digest s[0..len) into out (digits of either case); -1 when it
 * is not `size` bytes of hex. */
static int parse_hex(const char *s, size_t len, size_t size,
                     unsigned char *out) {
  if (len != 2 * size)
    return -1;
  for (size_t i = 0; i < size; i++) {
    int hi = hex_value(s[2 * i]), lo = hex_value(s[2 * i + 1]);
    if (hi < 0 || lo < 0)
      return -1;
    out[i] = (unsigned char)(hi << 4 | lo);
  }
  return 0;
}

/* One line of a manifest: "CHECKSUM PATH", one or more spaces or tabs
 * between them. */
static void manifest_line(checker *c, tag_doc *d, char *text,
                          unsigned long line) {
  if (d->alg < 0 || bc_is_blank(text) || d->full)
    return;
  if (text[0] == '#') {
    bc_say(c, d->file, line, 1, "a comment, which RFC 8493 does not provide "
                             "for; passed over");
    return;
  }
  if (d->n_entries == BAG_MAX_MANIFEST_LINES) {
    line_error(c, d, line, "more than %u lines; the rest is not read",
               BAG_MAX_MANIFEST_LINES);
    d->full = 1;
    return;
  }
  size_t sum_len = strcspn(text, " \t");
  char *path = (char *)bc_skip_blanks(text + sum_len);
  if (sum_len == 0) {
    line_error(c, d, line, "starts with a space, not a checksum");
    return;
  }
  if (!*path) {
    line_error(c, d, line, "no file path after the checksum");
    return;
  }
  mentry e = {.line = line};
  bag_alg alg = (bag_alg)d->alg;
  if (parse_hex(text, sum_len, bag_alg_size(alg), e.digest) != 0) {
    line_error(c, d, line, "'%.*s' is not a %s checksum",
               sum_len > 64 ? 64 : (int)sum_len, text, bag_alg_name(alg));
    return;
  }
  percent_decode(path);
  /* "./data/a.txt" names data/a.txt too (some tools write it so). */
  while (path[0] == '.' && path[1] == '/')
    path += 2;
  /* md5sum's binary mode writes "*" before the path; RFC 8493, on legacy
   * checksum tools, lets a validator accept it with a warning.
   * Only where it is unambiguous: no payload path starts with '*'. */
  if (d->kind == TAG_MANIFEST && strncmp(path, "*data/", 6) == 0) {
    bc_say(c, d->file, line, 1, "'*' before the path, as md5sum writes it; "
                             "accepted, but strictly the bag is not valid");
    path++;
  }
  const char *fault = bc_path_fault(path);
  if (fault) {
    line_error(c, d, line, "the path '%s' %s", path, fault);
    return;
  }
  int payload = strncmp(path, "data/", 5) == 0;
  if (d->kind == TAG_MANIFEST && !payload) {
    line_error(c, d, line, "'%s' is not under data/: a payload manifest "
                           "lists payload files only", path);
    return;
  }
  if (d->kind == TAG_TAG_MANIFEST && payload) {
    line_error(c, d, line, "'%s' is a payload file: a tag manifest lists "
                           "tag files only", path);
    return;
  }
  if (bc_take_name_bytes(c, strlen(path)) != 0)
    return;
  if (d->n_entries == d->cap_entries) {
    size_t cap = d->cap_entries ? 2 * d->cap_entries : 64;
    mentry *more = realloc(d->entries, cap * sizeof *more);
    if (!more) {
      c->oom = 1;
      return;
    }
    d->entries = more;
    d->cap_entries = cap;
  }
  if (!(e.path = strdup(path))) {
    c->oom = 1;
    return;
  }
  d->entries[d->n_entries++] = e;
}

/* One line of bagit.txt: kept, the first two, to be checked at the end. */
static void bagit_line(checker *c, tag_doc *d, const char *text) {
  if (bc_is_blank(text))
    return;
  if (d->n_lines < 2)
    d->lines[d->n_lines] = bc_dup(c, text);
  d->n_lines++;
}

/* Ends the value of the label being continued. */
static void oxum_append(checker *c, tag_doc *d, const char *more) {
  oxum *o = &d->oxums[d->n_oxums - 1];
  size_t a = strlen(o->value), b = strlen(more);
  if (a + b > BAG_MAX_LINE)
    return;
  char *v = realloc(o->value, a + b + 2);
  if (!v) {
    c->oom = 1;
    return;
  }
  v[a] = ' ';
  memcpy(v + a + 1, more, b + 1);
  o->value = v;
}

/* One line of bag-info.txt: "Label: value", or a continuation of the
 * value starting with a space or a tab. */
static void bag_info_line(checker *c, tag_doc *d, const char *text,
                          unsigned long line) {
  if (bc_is_blank(text))
    return;
  if (text[0] == ' ' || text[0] == '\t') {
    if (!d->in_label)
      line_error(c, d, line, "a continuation line with no label before it");
    else if (d->in_oxum)
      oxum_append(c, d, bc_skip_blanks(text));
    return;
  }
  const char *colon = strchr(text, ':');
  d->in_oxum = 0;
  if (!colon || colon == text) {
    line_error(c, d, line, "not 'Label: value'");
    d->in_label = 0;
    return;
  }
  d->in_label = 1;
  size_t label_len = (size_t)(colon - text);
  while (label_len && (text[label_len - 1] == ' ' ||
                       text[label_len - 1] == '\t'))
    label_len--;
  if (label_len != 12 || strncasecmp(text, "Payload-Oxum", 12) != 0 ||
      d->n_oxums == MAX_OXUMS)
    return;
  oxum *o = &d->oxums[d->n_oxums];
  o->line = line;
  if ((o->value = bc_dup(c, bc_skip_blanks(colon + 1))) != NULL) {
    d->n_oxums++;
    d->in_oxum = 1;
  }
}

static void doc_line(checker *c, tag_doc *d) {
  line_reader *lr = &c->lr;
  lr->buf[lr->len] = '\0';
  unsigned long line = ++lr->line;
  char *text = lr->buf;
  if (memchr(text, '\0', lr->len)) {
    line_error(c, d, line, "holds a NUL byte");
    return;
  }
  if (line == 1 && strncmp(text, "\xEF\xBB\xBF", 3) == 0) {
    /* RFC 8493 §2.3: UTF-8 tag files begin with no byte-order mark. */
    bad(c, d->file, "starts with a byte-order mark, which RFC 8493 forbids "
                    "in UTF-8 tag files");
    text += 3;
  }
  if (lr->overlong && d->kind != TAG_BAG_INFO) {
    line_error(c, d, line, "longer than %u bytes", BAG_MAX_LINE);
    return;
  }
  switch (d->kind) {
  case TAG_BAGIT: bagit_line(c, d, text); break;
  case TAG_BAG_INFO: bag_info_line(c, d, text, line); break;
  default: manifest_line(c, d, text, line); break;
  }
}

void bc_end_line(checker *c, tag_doc *d) {
  doc_line(c, d);
  c->lr.len = 0;
  c->lr.overlong = 0;
}

void bc_feed_lines(checker *c, tag_doc *d, const char *p, size_t n) {
  line_reader *lr = &c->lr;
  for (size_t i = 0; i < n; i++) {
    char ch = p[i];
    if (lr->after_cr) {
      lr->after_cr = 0;
      if (ch == '\n')
        continue;
    }
    if (ch == '\n' || ch == '\r') {
      lr->after_cr = ch == '\r';
      bc_end_line(c, d);
    } else if (lr->len < BAG_MAX_LINE) {
      lr->buf[lr->len++] = ch;
    } else {
      lr->overlong = 1;
    }
  }
}

