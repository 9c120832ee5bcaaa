#!/usr/bin/env python3
"""The title of an output (docs/formats/html.md "The page's title",
docs/formats/text.md "Titles, and several documents in one text"):

- HTML <title>: --title; else, for one document, its own title; else the
  corpus key `collection` (the folder's name); else the output file's name
  without its extension; else "Untitled".
- HTML's visible title, pandoc's <header id="title-block-header">: with
  --title or when the page holds several documents, unless the first
  document starts with a level-1 heading of the same text; never with
  --fragment.
- Text: the same title at the top under the same rule; each document under
  its title, "* * *" between documents; --no-boundaries runs them on;
  text to text gives the same bytes again.

    titles_check.py QUIRE SOURCE_DIR

Every file it writes is in a folder made by tempfile, removed at the end."""
import os
import re
import shutil
import subprocess
import sys
import tempfile

QUIRE, SOURCE = os.path.abspath(sys.argv[1]), sys.argv[2]
CORPUS = os.path.join(SOURCE, "corpus")
failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL:", what)


def quire(*args, cwd=None, ok=(0,)):
    r = subprocess.run([QUIRE, *args], cwd=cwd, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE)
    if r.returncode not in ok:
        failures.append(f"quire {' '.join(args)}: status {r.returncode}: "
                        f"{r.stderr.decode(errors='replace')}")
        print("FAIL:", failures[-1])
    return r.stdout.decode(), r.stderr.decode()


def title_of(page):
    m = re.search(r"<title>(.*?)</title>", page)
    return m and m.group(1)


def block_of(page):
    m = re.search(r'<header id="title-block-header">\n<h1 class="title">'
                  r"(.*?)</h1>\n</header>", page)
    return m and m.group(1)


def main():
    work = tempfile.mkdtemp(prefix="quire-titles.")
    try:
        run_checks(work)
    finally:
        shutil.rmtree(work)
    if failures:
        print(f"{len(failures)} failure(s)")
        return 1
    print("all title checks passed")
    return 0


def run_checks(work):
    articles = sorted(f for f in os.listdir(CORPUS) if f.endswith(".txt"))
    check(len(articles) == 5, "the corpus holds five articles")
    folder = os.path.join(work, "Five articles")
    os.mkdir(folder)
    for a in articles:
        shutil.copy(os.path.join(CORPUS, a), folder)
    one = os.path.join(folder, articles[2])   # starts with its title
    plain = os.path.join(work, "plain.txt")   # no heading at its top
    with open(plain, "w") as f:
        f.write("This line is a sentence of prose, which ends in a period.\n\n"
                "Another paragraph follows it, also with its period.\n")

    # ---- HTML: <title> and the visible title -------------------------------
    page, _ = quire(folder, "-t", "html")
    check(title_of(page) == "Five articles", "<title> of a folder: its name")
    check(block_of(page) == "Five articles",
          "a page of five documents shows the folder's name")
    check(page.index("title-block-header") < page.index("<article"),
          "the title block comes before the first article")
    page, _ = quire(folder, "-t", "html", "--title", "My &amp; T")
    check(title_of(page) == "My &amp;amp; T", "<title> is --title")
    check(block_of(page) == "My &amp;amp; T", "--title is shown, escaped")
    page, _ = quire(folder, "-t", "html", "--toc")
    check(page.index("title-block-header") < page.index("<nav") <
          page.index("<article"), "with --toc: the title block, then the nav")
    page, _ = quire(folder, "-t", "html", "--fragment")
    check("title-block-header" not in page, "no title block with --fragment")
    # the folder given as "." is named by its real name
    page, _ = quire(".", "-t", "html", cwd=folder)
    check(title_of(page) == "Five articles", "'.' gives the folder's name")
    # a folder and a file: no collection; the output's name
    out = os.path.join(work, "bound.html")
    quire(folder, plain, "-o", out)
    page = open(out, encoding="utf-8").read()
    check(title_of(page) == "bound", "several inputs: the output's name")
    check(block_of(page) == "bound", "several inputs: the output's name shown")
    # several documents on standard output, no folder: Untitled, no block
    page, _ = quire(one, plain, "-t", "html")
    check(title_of(page) == "Untitled", "nothing to name it: Untitled")
    check(block_of(page) is None, "Untitled is not shown on the page")
    # the user's collection wins over the folder's name
    page, _ = quire(folder, "-t", "html", "--metadata", "collection=Shelf",
                    ok=(0, 1, 3))
    check(title_of(page) == "Shelf", "--metadata collection= names the page")

    # one document: its own title, shown only with --title
    page, _ = quire(plain, "-t", "html")
    check(title_of(page) == "plain", "one document: its own title")
    check(block_of(page) is None, "one document without --title: no block")
    page, _ = quire(plain, "-t", "html", "--title", "Given")
    check(block_of(page) == "Given", "one document with --title: shown")
    first_h1 = open(one, encoding="utf-8").readline().strip()
    page, _ = quire(one, "-t", "html", "--title", first_h1)
    check(title_of(page) == first_h1.replace("&", "&amp;"),
          "<title> is --title even when the heading repeats it")
    check(block_of(page) is None,
          "not shown when the document starts with the same level-1 heading")
    # a folder of one document: no block without --title
    lone = os.path.join(work, "lone")
    os.mkdir(lone)
    shutil.copy(plain, lone)
    page, _ = quire(lone, "-t", "html")
    check(title_of(page) == "plain" and block_of(page) is None,
          "a folder of one document: its title, no block")
    # a first article over 1 MiB waits in a temporary file
    big = os.path.join(work, "big.txt")
    with open(big, "w") as f:
        for i in range(30000):
            f.write(f"Paragraph {i} of a long document, which ends here.\n\n")
    page, _ = quire(big, plain, "-t", "html", "-o", "-", "--metadata",
                    "collection=Big")
    check(title_of(page) == "Big" and block_of(page) == "Big" and
          page.count("<article") == 2 and "Paragraph 29999 " in page,
          "a large first article is held in a file, then written whole")

    # ---- Text ------------------------------------------------------------
    text, _ = quire(folder, "-t", "txt")
    check(text.startswith("Five articles\n=============\n\n"),
          "a text of five documents starts with the folder's name")
    check(text.count("\n* * *\n") >= 4, "a rule between the documents")
    check("\n* * *\n\n001_" in text,
          "a document without a title heading gets its title as a heading")
    text, _ = quire(folder, "-t", "txt", "--title", "Given")
    check(text.startswith("Given\n=====\n\n"), "--title at the top of a text")
    _, err = quire(folder, "-t", "txt", "--title", "Given")
    check("not written" not in err, "--title is written by the txt writer")
    text, _ = quire(plain, "-t", "txt")
    check(text == open(plain, encoding="utf-8").read(),
          "one document, no --title: the text as it was")
    text, _ = quire(plain, "-t", "txt", "--title", "Given")
    check(text.startswith("Given\n=====\n\nplain\n=====\n\nThis line"),
          "one document with --title: the title, then its own")
    run_on, _ = quire(folder, "-t", "txt", "--no-boundaries")
    words = lambda t: t.split()
    direct = [w for a in articles
              for w in words(quire(os.path.join(folder, a), "-t", "txt")[0])]
    check(words(run_on) == direct,
          "--no-boundaries: the documents one after the other, as before")
    check(not run_on.startswith("Five articles\n"),
          "--no-boundaries: no collection title")
    run_on, _ = quire(folder, "-t", "txt", "--no-boundaries", "--title", "G")
    check(run_on.startswith("G\n===\n\n") and "\n* * *\n\n001_" not in run_on,
          "--no-boundaries keeps only --title at the top")
    text, _ = quire(big, plain, "-t", "txt", "--metadata", "collection=Big")
    check(text.startswith("Big\n===\n\nbig\n===\n\nParagraph 0 ") and
          text.endswith("* * *\n\nplain\n=====\n\nThis line is a sentence of "
                        "prose, which ends in a period.\n\nAnother paragraph "
                        "follows it, also with its period.\n"),
          "a large first document is held in a file, then written whole")

    # ---- txt to txt: the same bytes again ---------------------------------
    for extra in ([], ["--title", "Given"], ["--no-boundaries"]):
        first = os.path.join(work, "first.txt")
        second = os.path.join(work, "second.txt")
        quire(folder, "-t", "txt", "-o", first, *extra)
        quire(first, "-t", "txt", "-o", second,
              *[e for e in extra if e not in ("--title", "Given")])
        check(open(first, "rb").read() == open(second, "rb").read(),
              f"txt to txt gives the same bytes again ({' '.join(extra)})")


if __name__ == "__main__":
    sys.exit(main())
