/* bag_check.c - a bag checked against RFC 8493: complete (every file the
 * manifests list is there, every payload file is listed in every payload
 * manifest) and valid (every digest matches).
 *
 * The bag is read once (bag_walk.c), in whatever order its archive holds
 * its entries: each file's size and digests are kept, and the tag files at
 * the bag's top (bagit.txt, bag-info.txt, the manifests) are parsed line
 * by line as their bytes pass.  Manifests may come after the payload, so
 * the checks run when everything has been read.  SHA-256 and SHA-512 are
 * computed for every file; MD5 and SHA-1 from the moment a manifest of
 * theirs is seen.  A file met before such a manifest is read a second
 * time, alone, for that algorithm. */
#include "bag_check_impl.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>


/* ---- Problems ---------------------------------------------------------- */

char *bc_dup(checker *c, const char *s) {
  if (!s)
    return NULL;
  char *d = strdup(s);
  if (!d)
    c->oom = 1;
  return d;
}

/* Records a problem about file (NULL: the bundle) at line (0: none). */
__attribute__((format(printf, 5, 6)))
void bc_say(checker *c, const char *file, unsigned long line, int warning,
                const char *fmt, ...) {
  bag_report *r = c->r;
  if (c->oom)
    return;
  if (r->n_problems == c->cap_problems) {
    size_t cap = c->cap_problems ? 2 * c->cap_problems : 16;
    bag_problem *more = realloc(r->problems, cap * sizeof *more);
    if (!more) {
      c->oom = 1;
      return;
    }
    r->problems = more;
    c->cap_problems = cap;
  }
  va_list ap;
  va_start(ap, fmt);
  int len = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  bag_problem *p = &r->problems[r->n_problems];
  p->file = bc_dup(c, file);
  p->message = len < 0 ? NULL : malloc((size_t)len + 1);
  if (p->message) {
    va_start(ap, fmt);
    vsnprintf(p->message, (size_t)len + 1, fmt, ap);
    va_end(ap);
  }
  if (c->oom || !p->message) {
    c->oom = 1;
    free(p->file);
    free(p->message);
    return;
  }
  p->line = line;
  p->warning = warning;
  r->n_problems++;
  if (warning)
    r->n_warnings++;
  else
    r->n_errors++;
}


/* ---- Paths ------------------------------------------------------------- */

/* NULL when p is a plain relative path (parts separated by single '/',
 * none empty, "." or ".."), else what is wrong with it. */
const char *bc_path_fault(const char *p) {
  if (p[0] == '/')
    return "is absolute";
  const char *fault = NULL;
  for (const char *s = p;;) {
    size_t n = strcspn(s, "/");
    if (n == 2 && s[0] == '.' && s[1] == '.')
      return "goes up with '..'";
    if (n == 0 || (n == 1 && s[0] == '.'))
      fault = "has an empty or '.' part";
    if (!s[n])
      break;
    s += n + 1;
  }
  return fault;
}

/* Keeps a count of the bytes of names kept; 0 while under the limit. */
int bc_take_name_bytes(checker *c, size_t n) {
  c->name_bytes += n + 1;
  if (c->name_bytes <= MAX_NAME_BYTES)
    return 0;
  if (!c->over)
    bad(c, NULL, "the names in the bag take more than %llu bytes; quire "
                 "verify stops there",
        (unsigned long long)MAX_NAME_BYTES);
  c->over = 1;
  return -1;
}

static int in_payload(const char *path) {
  return strncmp(path, "data/", 5) == 0;
}

static int is_file(const file_rec *f) {
  return f->kind == BAG_ENTRY_FILE || f->kind == BAG_ENTRY_HARDLINK;
}

static int by_path(const void *a, const void *b) {
  return strcmp(((const file_rec *)a)->path, ((const file_rec *)b)->path);
}

static file_rec *find_file(const checker *c, const char *path) {
  file_rec key = {.path = (char *)path};
  return bsearch(&key, c->files, c->n_files, sizeof key, by_path);
}

/* "manifest-sha256.txt" gives TAG_MANIFEST and *alg BAG_SHA256 (-1 for an
 * algorithm quire does not know); -1 for a name that is no tag file
 * parsed here. */
static int tag_kind_of(const char *name, int *alg) {
  *alg = -1;
  if (strcmp(name, "bagit.txt") == 0)
    return TAG_BAGIT;
  if (strcmp(name, "bag-info.txt") == 0)
    return TAG_BAG_INFO;
  int kind = TAG_MANIFEST;
  if (strncmp(name, "tag", 3) == 0) {
    kind = TAG_TAG_MANIFEST;
    name += 3;
  }
  size_t len = strlen(name);
  if (strncmp(name, "manifest-", 9) != 0 || len <= 13 ||
      strcmp(name + len - 4, ".txt") != 0)
    return -1;
  *alg = bag_alg_lookup(name + 9, len - 13);
  return kind;
}

/* The name of a file at the bag's top, or NULL when path is deeper (in an
 * archive the bag's folder is not known yet: the top is one level
 * down). */
static const char *top_name(const checker *c, const char *path) {
  const char *slash = strchr(path, '/');
  if (!c->archive)
    return slash ? NULL : path;
  return slash && !strchr(slash + 1, '/') ? slash + 1 : NULL;
}

/* ---- The first reading ------------------------------------------------- */

static file_rec *add_file(checker *c, const char *path, bag_entry_kind kind) {
  if (c->n_files == BAG_MAX_FILES) {
    bad(c, NULL, "more than %u files; quire verify stops there",
        BAG_MAX_FILES);
    c->over = 1;
    return NULL;
  }
  if (bc_take_name_bytes(c, strlen(path)) != 0)
    return NULL;
  if (c->n_files == c->cap_files) {
    size_t cap = c->cap_files ? 2 * c->cap_files : 256;
    file_rec *more = realloc(c->files, cap * sizeof *more);
    if (!more) {
      c->oom = 1;
      return NULL;
    }
    c->files = more;
    c->cap_files = cap;
  }
  file_rec *f = &c->files[c->n_files];
  memset(f, 0, sizeof *f);
  f->kind = kind;
  if (!(f->path = strdup(path))) {
    c->oom = 1;
    return NULL;
  }
  c->n_files++;
  return f;
}

static tag_doc *add_doc(checker *c, const char *path, tag_kind kind,
                        int alg) {
  if (c->n_docs == c->cap_docs) {
    size_t cap = c->cap_docs ? 2 * c->cap_docs : 16;
    tag_doc *more = realloc(c->docs, cap * sizeof *more);
    if (!more) {
      c->oom = 1;
      return NULL;
    }
    c->docs = more;
    c->cap_docs = cap;
  }
  tag_doc *d = &c->docs[c->n_docs];
  memset(d, 0, sizeof *d);
  d->kind = kind;
  d->alg = alg;
  if (!(d->file = strdup(path))) {
    c->oom = 1;
    return NULL;
  }
  c->n_docs++;
  return d;
}

/* An archive's entry name made plain: "./" in front dropped.  NULL (said)
 * when the path could leave the folder it is unpacked in; "" for the
 * archive's own top ("."). */
static const char *plain_entry_path(checker *c, const char *path) {
  while (path[0] == '.' && path[1] == '/')
    path += 2;
  if (strcmp(path, ".") == 0 || path[0] == '\0')
    return "";
  const char *fault = bc_path_fault(path);
  if (!fault)
    return path;
  /* Said once the bag's folder is known, so that it keeps its name as the
   * archive has it. */
  if (c->n_unsafe == c->cap_unsafe) {
    size_t cap = c->cap_unsafe ? 2 * c->cap_unsafe : 8;
    unsafe_entry *more = realloc(c->unsafe, cap * sizeof *more);
    if (!more) {
      c->oom = 1;
      return NULL;
    }
    c->unsafe = more;
    c->cap_unsafe = cap;
  }
  if (bc_take_name_bytes(c, strlen(path)) != 0)
    return NULL;
  unsafe_entry *u = &c->unsafe[c->n_unsafe];
  u->fault = fault;
  if (!(u->path = strdup(path)))
    c->oom = 1;
  else
    c->n_unsafe++;
  return NULL;
}

static void say_unsafe(checker *c) {
  for (size_t i = 0; i < c->n_unsafe; i++)
    bad(c, c->unsafe[i].path, "the path %s; a bag's files stay inside its "
                              "folder", c->unsafe[i].fault);
}

static int first_entry(void *user, const bag_entry *e, int *want) {
  checker *c = user;
  const char *path = c->archive ? plain_entry_path(c, e->path) : e->path;
  if (!path || !*path)
    return c->oom || c->over ? -1 : 0;
  file_rec *f = add_file(c, path, e->kind);
  if (!f)
    return -1;
  if (e->kind == BAG_ENTRY_HARDLINK && !(f->target = strdup(e->target))) {
    c->oom = 1;
    return -1;
  }
  if (e->kind != BAG_ENTRY_FILE)
    return 0;
  c->cur_file = (long)(c->n_files - 1);
  c->cur_doc = -1;
  const char *name = top_name(c, path);
  int alg, kind = name ? tag_kind_of(name, &alg) : -1;
  if (kind == TAG_MANIFEST || kind == TAG_TAG_MANIFEST) {
    if (alg >= 0)
      c->algs |= BAG_ALG_BIT(alg);
  }
  if (kind >= 0) {
    tag_doc *d = add_doc(c, path, (tag_kind)kind, alg);
    if (!d)
      return -1;
    d->read = 1;
    c->cur_doc = (long)(c->n_docs - 1);
    c->lr.len = 0;
    c->lr.overlong = 0;
    c->lr.after_cr = 0;
    c->lr.line = 0;
  }
  bag_hash_init(&c->hash, c->algs);
  *want = 1;
  return 0;
}

static int on_data(void *user, const void *bytes, size_t n) {
  checker *c = user;
  bag_hash_update(&c->hash, bytes, n);
  if (c->cur_doc >= 0)
    bc_feed_lines(c, &c->docs[c->cur_doc], bytes, n);
  return c->oom ? -1 : 0;
}

static int on_done(void *user, const char *why) {
  checker *c = user;
  file_rec *f = &c->files[c->cur_file];
  if (why) {
    bad(c, f->path, "cannot be read: %s", why);
    f->unreadable = 1;
  } else if (c->rescan) {
    f->have |= bag_hash_finish(&c->hash, f->digest);
    f->want = 0;
  } else {
    f->have = bag_hash_finish(&c->hash, f->digest);
    f->size = c->hash.size;
  }
  if (c->cur_doc >= 0) {
    tag_doc *d = &c->docs[c->cur_doc];
    if (c->lr.len || c->lr.overlong)
      bc_end_line(c, d);   /* the last line, with no line end */
    if (why)
      d->read = 0;
  }
  c->cur_file = c->cur_doc = -1;
  return c->oom ? -1 : 0;
}

static int on_problem(void *user, const char *path, const char *message) {
  checker *c = user;
  bad(c, path, "%s", message);
  return c->oom ? -1 : 0;
}

/* ---- The bag's folder in an archive ------------------------------------ */

/* The length of path's first part. */
static size_t first_part(const char *path) { return strcspn(path, "/"); }

/* Drops the first n bytes of s, in place. */
static void drop_front(char *s, size_t n) {
  memmove(s, s + n, strlen(s + n) + 1);
}

/* In an archive the bag is its one top-level folder, the folder holding
 * bagit.txt (the bag's base folder, usually named as the archive is).
 * Finds it and makes every path relative to it; 0 when found, else -1
 * with the reason said. */
static int find_bag_folder(checker *c) {
  if (c->n_files == 0) {
    bad(c, NULL, "the archive holds no files");
    return -1;
  }
  /* The distinct first parts of the paths, five of them named. */
  const char *tops[5];
  size_t tops_len[5], n_top = 0;
  int several = 0, more = 0, bagit_at_top = 0;
  for (size_t i = 0; i < c->n_files; i++) {
    const char *p = c->files[i].path;
    size_t len = first_part(p), k;
    if (strcmp(p, "bagit.txt") == 0)
      bagit_at_top = 1;
    for (k = 0; k < n_top; k++)
      if (tops_len[k] == len && strncmp(tops[k], p, len) == 0)
        break;
    if (k < n_top)
      continue;
    several |= n_top > 0;
    if (n_top == 5) {
      more = 1;
      continue;
    }
    tops[n_top] = p;
    tops_len[n_top++] = len;
  }
  if (several) {
    char names[256] = "";
    for (size_t k = 0; k < n_top; k++)
      snprintf(names + strlen(names), sizeof names - strlen(names),
               "%s%.*s", k ? ", " : "", tops_len[k] > 40 ? 40
                                        : (int)tops_len[k], tops[k]);
    bad(c, NULL, "the archive holds several entries at its top (%s%s)%s; "
                 "a bag in an archive is one folder", names,
        more ? ", ..." : "",
        bagit_at_top ? ", and bagit.txt is not in a folder" : "");
    return -1;
  }
  size_t len = first_part(c->files[0].path);
  char *root = malloc(len + 2);
  if (!root) {
    c->oom = 1;
    return -1;
  }
  memcpy(root, c->files[0].path, len);
  memcpy(root + len, "/", 2);
  c->root = root;
  char *bagit = malloc(len + 11);
  if (!bagit) {
    c->oom = 1;
    return -1;
  }
  memcpy(bagit, root, len + 1);
  memcpy(bagit + len + 1, "bagit.txt", 10);
  file_rec *b = find_file(c, bagit);
  free(bagit);
  if (!b) {
    bad(c, NULL, "no top-level folder holds bagit.txt%s",
        bagit_at_top ? " (it is at the archive's top, not in a folder)"
        : "");
    return -1;
  }
  /* Every path now loses "NAME/"; the folder's own entry goes. */
  size_t kept = 0;
  for (size_t i = 0; i < c->n_files; i++) {
    file_rec *f = &c->files[i];
    if (strncmp(f->path, root, len + 1) != 0) {
      free(f->path);
      free(f->target);
      continue;
    }
    drop_front(f->path, len + 1);
    c->files[kept++] = *f;
  }
  c->n_files = kept;
  for (size_t i = 0; i < c->n_docs; i++)
    drop_front(c->docs[i].file, len + 1);
  for (size_t i = 0; i < c->r->n_problems; i++) {
    char *file = c->r->problems[i].file;
    if (file && strncmp(file, root, len + 1) == 0)
      drop_front(file, len + 1);
  }
  return 0;
}

/* ---- Files ------------------------------------------------------------- */

/* Files that appear twice (an archive may hold two entries of one name):
 * said, and only the first kept. */
static void drop_twins(checker *c) {
  size_t kept = 0;
  for (size_t i = 0; i < c->n_files; i++) {
    file_rec *f = &c->files[i];
    if (kept && strcmp(c->files[kept - 1].path, f->path) == 0) {
      if (f->kind != BAG_ENTRY_DIR || c->files[kept - 1].kind !=
                                          BAG_ENTRY_DIR)
        bad(c, f->path, "appears twice in the archive");
      free(f->path);
      free(f->target);
      continue;
    }
    c->files[kept++] = *f;
  }
  c->n_files = kept;
}

/* A hard link in an archive shares its target's bytes (an earlier entry,
 * named by its path in the archive).  Each gets its target's index, or
 * becomes BAG_ENTRY_OTHER, said, when the target is no file of the
 * bag. */
static void find_link_targets(checker *c) {
  size_t rl = strlen(c->root);
  for (size_t i = 0; i < c->n_files; i++) {
    file_rec *f = &c->files[i];
    if (f->kind != BAG_ENTRY_HARDLINK)
      continue;
    const char *t = f->target;
    while (t[0] == '.' && t[1] == '/')
      t += 2;
    const file_rec *to = strncmp(t, c->root, rl) == 0
                             ? find_file(c, t + rl) : NULL;
    if (!to || to->kind != BAG_ENTRY_FILE) {
      bad(c, f->path, "a hard link to '%s', which is not a file of the bag",
          f->target);
      f->kind = BAG_ENTRY_OTHER;
      continue;
    }
    f->link = to - c->files;
  }
}

/* The file whose bytes f holds: f, or a hard link's target. */
static file_rec *bytes_of(checker *c, file_rec *f) {
  return f->kind == BAG_ENTRY_HARDLINK ? &c->files[f->link] : f;
}

/* A hard link gets its target's size and digests. */
static void follow_hard_links(checker *c) {
  for (size_t i = 0; i < c->n_files; i++) {
    file_rec *f = &c->files[i];
    if (f->kind != BAG_ENTRY_HARDLINK)
      continue;
    const file_rec *to = bytes_of(c, f);
    f->size = to->size;
    f->have = to->have;
    f->unreadable = to->unreadable;
    memcpy(f->digest, to->digest, sizeof f->digest);
  }
}

/* ---- The second reading ------------------------------------------------ */

static int second_entry(void *user, const bag_entry *e, int *want) {
  checker *c = user;
  if (e->kind != BAG_ENTRY_FILE)
    return 0;
  const char *path = e->path;
  if (c->archive) {
    while (path[0] == '.' && path[1] == '/')
      path += 2;
    size_t rl = strlen(c->root);
    if (strncmp(path, c->root, rl) != 0)
      return 0;
    path += rl;
  }
  file_rec *f = find_file(c, path);
  if (!f || !f->want || f->kind != BAG_ENTRY_FILE)
    return 0;
  c->cur_file = f - c->files;
  c->cur_doc = -1;
  bag_hash_init(&c->hash, f->want);
  *want = 1;
  return 0;
}

static int no_problem(void *user, const char *path, const char *message) {
  (void)user, (void)path, (void)message;
  return 0;
}

/* Marks the digests the manifests ask for that the first reading did not
 * compute (a manifest of md5 or sha1 came after the file), and reads the
 * bag once more for them. */
static void read_again(checker *c, const char *path) {
  int any = 0;
  for (size_t i = 0; i < c->n_docs; i++) {
    const tag_doc *d = &c->docs[i];
    if (d->alg < 0 || (d->kind != TAG_MANIFEST &&
                       d->kind != TAG_TAG_MANIFEST))
      continue;
    unsigned bit = BAG_ALG_BIT(d->alg);
    for (size_t k = 0; k < d->n_entries; k++) {
      file_rec *f = find_file(c, d->entries[k].path);
      if (!f || !is_file(f))
        continue;
      f = bytes_of(c, f);
      if (!f->unreadable && !(f->have & bit)) {
        f->want |= bit;
        any = 1;
      }
    }
  }
  if (!any)
    return;
  bag_walk_ops ops = {second_entry, on_data, on_done, no_problem};
  char why[512];
  c->rescan = 1;
  bag_walk_status st = bag_walk(path, &ops, c, why, sizeof why);
  c->rescan = 0;
  if (st != BAG_WALK_OK && !c->oom)
    bad(c, NULL, "reading the bag a second time, for the digests of "
                 "manifests that came after their files: %s", why);
}

/* ---- The checks -------------------------------------------------------- */

static const tag_doc *find_doc(const checker *c, tag_kind kind) {
  for (size_t i = 0; i < c->n_docs; i++)
    if (c->docs[i].kind == kind)
      return &c->docs[i];
  return NULL;
}

/* "LABEL: VALUE" with the label in any case; the value, or NULL. */
static const char *after_label(const char *line, const char *label) {
  size_t n = strlen(label);
  if (strncasecmp(line, label, n) != 0 || line[n] != ':')
    return NULL;
  return bc_skip_blanks(line + n + 1);
}

/* Digits, '.', digits: the form of BagIt-Version and Payload-Oxum. */
static int two_numbers(const char *s, unsigned long long *a,
                       unsigned long long *b) {
  char *end;
  if (*s < '0' || *s > '9')
    return -1;
  *a = strtoull(s, &end, 10);
  if (*end != '.' || end[1] < '0' || end[1] > '9')
    return -1;
  *b = strtoull(end + 1, &end, 10);
  return bc_is_blank(end) ? 0 : -1;
}

/* RFC 8493 §2.1.1: exactly "BagIt-Version: M.N" and
 * "Tag-File-Character-Encoding: ENCODING". */
static void check_bagit(checker *c) {
  const tag_doc *d = find_doc(c, TAG_BAGIT);
  if (!d) {
    bad(c, "bagit.txt", "missing: every bag begins with it");
    return;
  }
  if (!d->read)
    return;
  if (d->n_lines != 2) {
    bad(c, d->file, "has %lu line%s; it must have two, 'BagIt-Version: "
                    "M.N' and 'Tag-File-Character-Encoding: UTF-8'",
        d->n_lines, d->n_lines == 1 ? "" : "s");
    if (d->n_lines < 2)
      return;
  }
  unsigned long long major, minor;
  const char *version = after_label(d->lines[0], "BagIt-Version");
  if (!version || two_numbers(version, &major, &minor) != 0)
    bc_say(c, d->file, 1, 0, "not 'BagIt-Version: M.N'");
  const char *enc = after_label(d->lines[1], "Tag-File-Character-Encoding");
  if (!enc || bc_is_blank(enc))
    bc_say(c, d->file, 2, 0, "not 'Tag-File-Character-Encoding: UTF-8'");
  else if (strncasecmp(enc, "UTF-8", 5) != 0 || !bc_is_blank(enc + 5))
    bc_say(c, d->file, 2, 1, "the tag files are declared in %s; quire reads "
                          "them as UTF-8", enc);
}

static void check_folders(checker *c) {
  const file_rec *data = find_file(c, "data");
  if (data && data->kind != BAG_ENTRY_DIR) {
    bad(c, "data", "not a folder: a bag keeps its payload in the folder "
           "data/");
    return;
  }
  if (data)
    return;
  for (size_t i = 0; i < c->n_files; i++)
    if (in_payload(c->files[i].path))
      return;   /* an archive need not hold an entry for each folder */
  bad(c, "data/", "missing: a bag keeps its payload in the folder data/");
}

/* Symbolic links and other special files have no place in a bag. */
static void check_kinds(checker *c) {
  for (size_t i = 0; i < c->n_files; i++) {
    const file_rec *f = &c->files[i];
    if (f->kind == BAG_ENTRY_SYMLINK)
      bad(c, f->path, "a symbolic link; a bag holds regular files only");
    else if (f->kind == BAG_ENTRY_OTHER && !f->target)
      bad(c, f->path, "not a regular file; a bag holds regular files "
                      "only");
  }
}

static int entry_by_path(const void *a, const void *b) {
  const mentry *x = a, *y = b;
  int d = strcmp(x->path, y->path);
  return d ? d : (x->line > y->line) - (x->line < y->line);
}

/* Sorts a manifest's lines by path and says which path is listed
 * twice. */
static void sort_manifest(checker *c, tag_doc *d) {
  if (d->n_entries > 1)
    qsort(d->entries, d->n_entries, sizeof *d->entries, entry_by_path);
  size_t size = bag_alg_size((bag_alg)d->alg);
  for (size_t k = 1; k < d->n_entries; k++) {
    const mentry *e = &d->entries[k], *before = &d->entries[k - 1];
    if (strcmp(e->path, before->path) != 0)
      continue;
    /* Twice alike is a slip; twice unlike, the bag contradicts itself. */
    int alike = memcmp(e->digest, before->digest, size) == 0;
    bc_say(c, d->file, e->line, alike,
        "'%s' is listed twice (also on line %lu)%s", e->path, before->line,
        alike ? "" : " with another checksum");
  }
}

static int lists(const tag_doc *d, const char *path) {
  mentry key = {.path = (char *)path};
  size_t lo = 0, hi = d->n_entries;
  while (lo < hi) {   /* the first entry not before path */
    size_t mid = lo + (hi - lo) / 2;
    if (strcmp(d->entries[mid].path, key.path) < 0)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo < d->n_entries && strcmp(d->entries[lo].path, path) == 0;
}

/* Appends ", NAME" (or "NAME" first) to buf. */
static void add_name(char *buf, size_t size, const char *name) {
  size_t len = strlen(buf);
  snprintf(buf + len, size - len, "%s%s", len ? ", " : "", name);
}

static int checked(const tag_doc *d) {
  return d->alg >= 0 && (d->kind == TAG_MANIFEST ||
                         d->kind == TAG_TAG_MANIFEST);
}

/* A file missing that manifests list: said once, naming every manifest
 * that lists it, when docs[i] is the first of them. */
static void say_missing(checker *c, size_t i, const char *path) {
  for (size_t k = 0; k < i; k++)
    if (checked(&c->docs[k]) && lists(&c->docs[k], path))
      return;
  char names[1024] = "";
  for (size_t k = i; k < c->n_docs; k++)
    if (checked(&c->docs[k]) && lists(&c->docs[k], path))
      add_name(names, sizeof names, c->docs[k].file);
  bad(c, path, "listed in %s but missing", names);
}

/* Every file manifest docs[i] lists is there with that digest. */
static void check_listed(checker *c, size_t i) {
  const tag_doc *d = &c->docs[i];
  bag_alg alg = (bag_alg)d->alg;
  size_t size = bag_alg_size(alg), at = bag_alg_offset(alg);
  for (size_t k = 0; k < d->n_entries; k++) {
    const mentry *e = &d->entries[k];
    if (k && strcmp(e->path, d->entries[k - 1].path) == 0)
      continue;
    const file_rec *f = find_file(c, e->path);
    if (!f)
      say_missing(c, i, e->path);
    else if (f->kind == BAG_ENTRY_DIR)
      bad(c, e->path, "listed in %s but a folder", d->file);
    else if (!is_file(f) || f->unreadable)
      continue;   /* said already */
    else if (!(f->have & BAG_ALG_BIT(alg)))
      bad(c, e->path, "its %s could not be computed", bag_alg_name(alg));
    else if (memcmp(f->digest + at, e->digest, size) != 0)
      bad(c, e->path, "%s differs from %s", bag_alg_name(alg), d->file);
  }
}

/* Every payload file is listed in every payload manifest (RFC 8493
 * §2.1.3, §3), and every payload manifest in every tag manifest (§2.2.1);
 * the other tag files should be (a warning). */
static void check_unlisted(checker *c) {
  for (size_t i = 0; i < c->n_files; i++) {
    const file_rec *f = &c->files[i];
    if (!is_file(f))
      continue;
    int payload = in_payload(f->path), alg;
    int kind = payload ? -1 : tag_kind_of(f->path, &alg);
    if (kind == TAG_TAG_MANIFEST)
      continue;   /* tag manifests do not list each other */
    char missing[1024] = "";
    for (size_t k = 0; k < c->n_docs; k++) {
      const tag_doc *d = &c->docs[k];
      if (!checked(d) || d->kind != (payload ? TAG_MANIFEST
                                             : TAG_TAG_MANIFEST))
        continue;
      if (!d->full && !lists(d, f->path))
        add_name(missing, sizeof missing, d->file);
    }
    if (missing[0])
      bc_say(c, f->path, 0, !payload && kind != TAG_MANIFEST, "not in %s",
          missing);
  }
}

static void check_manifests(checker *c) {
  int payload_any = 0, payload_known = 0;
  for (size_t i = 0; i < c->n_docs; i++) {
    tag_doc *d = &c->docs[i];
    if (d->kind != TAG_MANIFEST && d->kind != TAG_TAG_MANIFEST)
      continue;
    if (d->kind == TAG_MANIFEST) {
      payload_any = 1;
      payload_known |= d->alg >= 0;
    }
    if (d->alg < 0) {
      const char *alg = d->file + (d->kind == TAG_MANIFEST ? 9 : 12);
      warn_about(c, d->file, "algorithm '%.*s' is not one quire knows "
                             "(md5, sha1, sha256, sha512); not checked",
                 (int)(strlen(alg) - 4), alg);
      continue;
    }
    c->r->algs |= BAG_ALG_BIT(d->alg);
    sort_manifest(c, d);
  }
  for (size_t i = 0; i < c->n_docs; i++)
    if (checked(&c->docs[i]))
      check_listed(c, i);
  if (!payload_any)
    bad(c, NULL, "no payload manifest (manifest-ALGORITHM.txt)");
  else if (!payload_known)
    bad(c, NULL, "no payload manifest of an algorithm quire checks (md5, "
                 "sha1, sha256, sha512)");
  check_unlisted(c);
}

/* RFC 8493 §2.2.2: Payload-Oxum is "OCTETS.COUNT", the payload's bytes
 * and number of files. */
static void check_oxum(checker *c) {
  const tag_doc *d = find_doc(c, TAG_BAG_INFO);
  for (size_t i = 0; d && i < d->n_oxums; i++) {
    const oxum *o = &d->oxums[i];
    if (i > 0)
      bc_say(c, d->file, o->line, 0, "Payload-Oxum again (also on line %lu); "
          "it may be given once only", d->oxums[0].line);
    unsigned long long bytes, files;
    if (two_numbers(o->value, &bytes, &files) != 0) {
      bc_say(c, d->file, o->line, 0, "Payload-Oxum '%.64s' is not "
                                  "OCTETS.COUNT", o->value);
    } else if (bytes != c->r->payload_bytes || files != c->r->payload_files) {
      uint64_t n = c->r->payload_files;
      bad(c, d->file, "Payload-Oxum %llu.%llu but the payload holds %llu "
                      "byte%s in %llu file%s", bytes, files,
          (unsigned long long)c->r->payload_bytes,
          c->r->payload_bytes == 1 ? "" : "s", (unsigned long long)n,
          n == 1 ? "" : "s");
    }
  }
}

static void count_payload(checker *c) {
  for (size_t i = 0; i < c->n_files; i++) {
    const file_rec *f = &c->files[i];
    if (is_file(f) && in_payload(f->path)) {
      c->r->payload_files++;
      c->r->payload_bytes += f->size;
    }
  }
}

static void check_all(checker *c) {
  check_bagit(c);
  check_folders(c);
  check_kinds(c);
  if (find_file(c, "fetch.txt"))
    bad(c, "fetch.txt", "bags with files to fetch are not verified");
  count_payload(c);
  check_manifests(c);
  check_oxum(c);
}

/* ---- The whole --------------------------------------------------------- */

typedef struct placed {
  bag_problem p;
  size_t order;           /* found first, said first, at one place */
} placed;

static int by_place(const void *a, const void *b) {
  const placed *x = a, *y = b;
  if (!x->p.file || !y->p.file) {
    if (x->p.file || y->p.file)
      return x->p.file ? 1 : -1;
  } else {
    int d = strcmp(x->p.file, y->p.file);
    if (d)
      return d;
  }
  if (x->p.line != y->p.line)
    return x->p.line < y->p.line ? -1 : 1;
  return (x->order > y->order) - (x->order < y->order);
}

/* The problems by file and line, the bundle's first. */
static int sort_problems(bag_report *r) {
  if (r->n_problems < 2)
    return 0;
  placed *all = malloc(r->n_problems * sizeof *all);
  if (!all)
    return -1;
  for (size_t i = 0; i < r->n_problems; i++)
    all[i] = (placed){r->problems[i], i};
  qsort(all, r->n_problems, sizeof *all, by_place);
  for (size_t i = 0; i < r->n_problems; i++)
    r->problems[i] = all[i].p;
  free(all);
  return 0;
}

static void free_checker(checker *c) {
  for (size_t i = 0; i < c->n_files; i++) {
    free(c->files[i].path);
    free(c->files[i].target);
  }
  free(c->files);
  for (size_t i = 0; i < c->n_docs; i++) {
    tag_doc *d = &c->docs[i];
    free(d->file);
    free(d->lines[0]);
    free(d->lines[1]);
    for (size_t k = 0; k < d->n_oxums; k++)
      free(d->oxums[k].value);
    for (size_t k = 0; k < d->n_entries; k++)
      free(d->entries[k].path);
    free(d->entries);
  }
  free(c->docs);
  for (size_t i = 0; i < c->n_unsafe; i++)
    free(c->unsafe[i].path);
  free(c->unsafe);
  free(c->root);
  free(c->lr.buf);
}

int bag_check(const char *path, bag_report *r) {
  memset(r, 0, sizeof *r);
  checker c = {.r = r, .cur_file = -1, .cur_doc = -1, .algs = ALWAYS};
  c.archive = !bag_walk_is_folder(path);
  c.lr.buf = malloc(BAG_MAX_LINE + 1);
  if (!c.lr.buf) {
    free_checker(&c);
    return -1;
  }
  bag_walk_ops ops = {first_entry, on_data, on_done, on_problem};
  char why[512];
  bag_walk_status st = bag_walk(path, &ops, &c, why, sizeof why);
  if (st == BAG_WALK_UNREADABLE || st == BAG_WALK_BROKEN) {
    /* What was found before the break is moot: the rest is not known. */
    bag_report_free(r);
    c.cap_problems = 0;
    r->unreadable = st == BAG_WALK_UNREADABLE;
    bad(&c, NULL, "%s", why);
  } else if (!c.oom && !c.over) {
    if (c.n_files > 1)
      qsort(c.files, c.n_files, sizeof *c.files, by_path);
    if (!c.archive && !(c.root = strdup("")))
      c.oom = 1;
    int found = !c.oom && (!c.archive || find_bag_folder(&c) == 0);
    say_unsafe(&c);
    if (found) {
      drop_twins(&c);
      find_link_targets(&c);
      read_again(&c, path);
      follow_hard_links(&c);
      check_all(&c);
    }
  }
  free_checker(&c);
  return c.oom || sort_problems(r) != 0 ? -1 : 0;
}

void bag_report_free(bag_report *r) {
  for (size_t i = 0; i < r->n_problems; i++) {
    free(r->problems[i].file);
    free(r->problems[i].message);
  }
  free(r->problems);
  memset(r, 0, sizeof *r);
}
