#!/usr/bin/env python3
"""Every word survives every pair of formats: each source below is
converted to every format A that quire reads and writes, then from A to
every such format B, and each result is read back as text; its words
must include every word of the source's own text (as many times).

    roundtrip_check.py QUIRE SOURCE_DIR

Prints a line per lossy path and a summary; exits 1 when any path loses
a word."""
import collections
import os
import re
import subprocess
import sys
import tempfile

FORMATS = ["txt", "html", "xhtml", "epub", "json", "jsonl", "pandoc-json"]
SOURCES = ["corpus", "tests/data/html/features.html", "tests/data/json/model2.json",
           "tests/data/pandoc/every-element-1.23.json", "tests/data/text/lists.txt"]
FROM = {"tests/data/pandoc/every-element-1.23.json": "pandoc-json"}
WORD = re.compile(r"\w+", re.UNICODE)


TAG = re.compile(r"</?[A-Za-z][^<>]*>")


def words(text):
    return collections.Counter(w.lower() for w in WORD.findall(text))


def source_words(text):
    """The words of the source's text, without the tags of raw HTML it
    holds: the html writer passes raw HTML on as markup, whose tags are
    not words once read again."""
    return words(TAG.sub(" ", text))


def run(quire, *args):
    r = subprocess.run([quire, "-q", *args], capture_output=True, timeout=120)
    if r.returncode != 0:
        raise RuntimeError(f"quire {' '.join(args)}: exit {r.returncode}: "
                           f"{r.stderr.decode('utf-8', 'replace').strip()}")
    return r.stdout


def main():
    quire, root = sys.argv[1], sys.argv[2]
    os.chdir(root)
    paths = lossy = 0
    with tempfile.TemporaryDirectory() as tmp:
        for source in SOURCES:
            src_from = ["-f", FROM[source]] if source in FROM else []
            # the source's words alone: --no-boundaries leaves out the titles
            # and rules a text of several documents gets
            expected = source_words(run(quire, *src_from, source, "-t", "txt",
                                        "--no-boundaries").decode())
            stem = os.path.basename(source.rstrip("/")).replace(".", "_")
            for a in FORMATS:
                file_a = os.path.join(tmp, f"{stem}.a.{a}")
                run(quire, *src_from, source, "-t", a, "-o", file_a)
                for b in [None] + FORMATS:
                    chain = f"{source} -> {a}" + (f" -> {b}" if b else "")
                    file_b = file_a
                    if b:
                        file_b = os.path.join(tmp, f"{stem}.b.{b}")
                        run(quire, "-f", a, file_a, "-t", b, "-o", file_b)
                    got = words(run(quire, "-f", b or a, file_b, "-t", "txt").decode())
                    paths += 1
                    lost = expected - got
                    if lost:
                        lossy += 1
                        sample = ", ".join(w for w, _ in lost.most_common(8))
                        print(f"{chain} -> txt: {sum(lost.values())} of "
                              f"{sum(expected.values())} words lost: {sample}")
    print(f"{paths} paths over {len(SOURCES)} sources and {len(FORMATS)} formats; "
          f"{lossy} lose words")
    return 1 if lossy else 0


if __name__ == "__main__":
    sys.exit(main())
