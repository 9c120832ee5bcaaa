#!/usr/bin/env python3
"""md_pandoc_words.py QUIRE SOURCE_DIR

pandoc's test document (../shared/peers/pandoc/testsuite.txt) through the
Markdown reader: read `-f md` and `-f gfm` and written `-t txt`, it must
convert without an error, and every word of `pandoc -f markdown -t plain`
of it must be in quire's text (words compared as sets: runs of \\w
characters).

pandoc's Markdown has syntax CommonMark lacks; what it makes of that
syntax is not Markdown text, and the words it makes are allowed to be
missing, each listed below with the reason.  Everything else missing
fails the test.  Exits 77 (skipped) without ../shared/peers or pandoc.
Python 3 standard library only.
"""

import os
import re
import shutil
import subprocess
import sys

# Words pandoc makes of its own syntax, with the reason.
ALLOWED = {
    # pandoc's subscript and superscript (H~2~O, x^2^) rendered as Unicode
    # sub- and superscript digits; CommonMark keeps the text as written.
    "H₂O": "subscript", "H₂₃O": "subscript", "x²": "superscript",
    # pandoc's TeX math ($\alpha$, $H_2$) rendered as Unicode; CommonMark
    # keeps the TeX (the words "alpha", "H_2").
    "α": "TeX math", "ω": "TeX math", "H_": "TeX math",
}
# gfm only: GFM reads pandoc's subscript H~many\ of\ them~O as
# strikethrough, so the letters around it join the words beside them
# ("Hmany", "themO") in plain text.
ALLOWED_GFM = {"O": "subscript read as strikethrough",
               "many": "subscript read as strikethrough"}


def words(text):
    return set(re.findall(r"\w+", text))


def main():
    if len(sys.argv) != 3:
        print(__doc__)
        return 2
    quire, src = sys.argv[1], sys.argv[2]
    suite = os.path.normpath(os.path.join(src, "..", "shared", "peers",
                                          "pandoc", "testsuite.txt"))
    if not os.path.exists(suite):
        print("SKIP: %s is missing" % suite)
        return 77
    if not shutil.which("pandoc"):
        print("SKIP: pandoc is not installed (scripts/install-deps)")
        return 77
    plain = subprocess.run(["pandoc", "-f", "markdown", "-t", "plain", suite],
                           stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                           check=True).stdout.decode("utf-8")
    want = words(plain)
    failed = 0
    for dialect in ("md", "gfm"):
        proc = subprocess.run([quire, "-f", dialect, suite, "-t", "txt"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        if proc.returncode != 0:
            print("FAIL: -f %s: exit %d\n%s" % (dialect, proc.returncode,
                                               proc.stderr.decode()))
            failed = 1
            continue
        got = words(proc.stdout.decode("utf-8"))
        allowed = dict(ALLOWED)
        if dialect == "gfm":
            allowed.update(ALLOWED_GFM)
        missing = sorted(want - got)
        unexplained = [w for w in missing if w not in allowed]
        print("-f %s: %d of pandoc's %d words, %d missing as allowed (%s)"
              % (dialect, len(want) - len(missing), len(want),
                 len(missing) - len(unexplained),
                 ", ".join("%s: %s" % (w, allowed[w]) for w in missing
                           if w in allowed)))
        if unexplained:
            print("FAIL: -f %s loses %s" % (dialect, " ".join(unexplained)))
            failed = 1
    return failed


if __name__ == "__main__":
    sys.exit(main())
