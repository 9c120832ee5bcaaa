/* verify.c - quire verify BUNDLE: reads the arguments, has the bag checked
 * (bag_check.c), prints each problem and the verdict, and turns them into
 * the exit status. */
#include "verify.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "bag_check.h"
#include "bag_hash.h"

enum { EXIT_INVALID = 1, EXIT_USAGE = 2 };

static const char help_text[] =
    "Usage: quire verify BUNDLE\n"
    "Check that BUNDLE is a complete and valid BagIt bag (RFC 8493): an\n"
    "archive (.tar, .tar.gz, .tar.xz, .tar.zst, .tar.bz2, .zip, .7z) whose\n"
    "one top-level folder is the bag, or the bag's folder itself.  Every\n"
    "file is checked against every manifest (md5, sha1, sha256, sha512),\n"
    "every payload file must be listed, and bag-info.txt's Payload-Oxum\n"
    "must match the payload.  Each problem is named, with its file.\n"
    "\n"
    "  -h, --help   show this help\n"
    "\n"
    "Exit status: 0 when the bag is valid, 1 when it is not, 2 on a usage\n"
    "error or when BUNDLE cannot be opened.\n";

__attribute__((format(printf, 1, 2)))
static int usage_error(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fputs("quire: verify: ", stderr);
  vfprintf(stderr, fmt, ap);
  fputs("\nTry 'quire verify --help' for more information.\n", stderr);
  va_end(ap);
  return EXIT_USAGE;
}

/* Writes s with control characters as %XX, so that a file name cannot
 * break a line or steer the terminal; with percent, '%' too, so that the
 * name reads as a manifest writes it (%0A, %0D, %25). */
static void put_escaped(FILE *fp, const char *s, int percent) {
  for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
    if (*p < 0x20 || *p == 0x7f || (percent && *p == '%'))
      fprintf(fp, "%%%02X", *p);
    else
      fputc(*p, fp);
  }
}

/* "quire: verify: [warning: ]BUNDLE: [FILE[:LINE]: ]MESSAGE" */
static void print_problem(const char *bundle, const bag_problem *p) {
  fprintf(stderr, "quire: verify: %s%s: ", p->warning ? "warning: " : "",
          bundle);
  if (p->file) {
    put_escaped(stderr, p->file, 1);
    if (p->line)
      fprintf(stderr, ":%lu", p->line);
    fputs(": ", stderr);
  }
  put_escaped(stderr, p->message, 0);
  fputc('\n', stderr);
}

static const char *plural(unsigned long long n) { return n == 1 ? "" : "s"; }

/* The verdict on a valid bag, on standard output; 1 if it could not be
 * written. */
static int print_valid(const char *bundle, const bag_report *r) {
  printf("quire: verify: %s: valid bag (%llu payload file%s, %llu byte%s, "
         "algorithm%s", bundle, (unsigned long long)r->payload_files,
         plural(r->payload_files), (unsigned long long)r->payload_bytes,
         plural(r->payload_bytes), r->algs & (r->algs - 1) ? "s" : "");
  const char *sep = " ";
  for (int a = 0; a < BAG_N_ALGS; a++)
    if (r->algs & BAG_ALG_BIT(a)) {
      printf("%s%s", sep, bag_alg_name((bag_alg)a));
      sep = ", ";
    }
  printf(")\n");
  if (fflush(stdout) != 0 || ferror(stdout)) {
    fputs("quire: write error on standard output\n", stderr);
    return 1;
  }
  return 0;
}

int quire_verify_main(int argc, char **argv) {
  const char *bundle = NULL;
  int only_operands = 0, n_operands = 0;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    if (!only_operands && (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0)) {
      fputs(help_text, stdout);
      return fflush(stdout) == 0 && !ferror(stdout) ? 0 : EXIT_INVALID;
    }
    if (!only_operands && strcmp(a, "--") == 0) {
      only_operands = 1;
      continue;
    }
    if (!only_operands && a[0] == '-' && a[1])
      return usage_error("unknown option '%s'", a);
    bundle = a;
    n_operands++;
  }
  if (n_operands == 0)
    return usage_error("no BUNDLE given");
  if (n_operands > 1)
    return usage_error("%d bundles given; it checks one at a time",
                       n_operands);

  bag_report r;
  if (bag_check(bundle, &r) != 0) {
    bag_report_free(&r);
    fputs("quire: verify: out of memory\n", stderr);
    return EXIT_INVALID;
  }
  for (size_t i = 0; i < r.n_problems; i++)
    print_problem(bundle, &r.problems[i]);
  int status = 0;
  if (r.unreadable) {
    status = EXIT_USAGE;
  } else if (r.n_errors) {
    fprintf(stderr, "quire: verify: %s: not a valid bag (%zu error%s", bundle,
            r.n_errors, plural(r.n_errors));
    if (r.n_warnings)
      fprintf(stderr, ", %zu warning%s", r.n_warnings, plural(r.n_warnings));
    fputs(")\n", stderr);
    status = EXIT_INVALID;
  } else {
    status = print_valid(bundle, &r);
  }
  bag_report_free(&r);
  return status;
}
