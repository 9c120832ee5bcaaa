#!/usr/bin/env python3
"""Corpus hygiene where it meets the writers and the run (issue 18).

    hygiene_check.py QUIRE SOURCE_DIR

Checks what the users of an EPUB, a stream and a bundle see:

  - an EPUB made without --lang identifies each document's language: the
    package's dc:language lists the languages found, the most documents'
    first; each chapter's file says its own; a document too short to tell
    says none; a book with no language found says "und"; epubcheck passes
    such books (when java and epubcheck are here);
  - --lang L skips identification: the book and every chapter say L;
  - an HTML page made with --lang auto gives each article its language
    (and without --lang, HTML identifies nothing);
  - --clean --lang auto measures each document by the stopwords of its
    identified language (the -v note);
  - quire --stream --dedup marks each record that repeats an earlier one
    with duplicate_of, similarity and exact, keeps its content, and gives
    the same records at -j1 and -j2;
  - quire bundle --dedup keeps the dropped duplicate's source in the bag,
    with data/dedup-report.jsonl saying which document it repeats, and the
    bag verifies.

The news pages of tests/data/clean/pages are the texts (German, French,
English).  Scratch files go to a folder of tempfile's own.
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import zipfile

quire, src = sys.argv[1], sys.argv[2]
failures = []
ENV = dict(os.environ, SOURCE_DATE_EPOCH="1700000000")


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL:", what)


def run(args, stdin=None):
    p = subprocess.run([quire] + args, input=stdin, capture_output=True,
                       env=ENV, timeout=300)
    return p.returncode, p.stdout, p.stderr.decode("utf-8", "replace")


def page(name):
    with open(os.path.join(src, "tests/data/clean/pages", name,
                           "expected.txt"), encoding="utf-8") as f:
        return f.read()


def book_files(path):
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n).decode("utf-8") for n in z.namelist()
                if n.endswith((".opf", ".xhtml"))}


def languages(opf):
    return re.findall(r"<dc:language>([^<]*)</dc:language>", opf)


def html_lang(xhtml):
    m = re.search(r"<html[^>]*>", xhtml)
    tag = m.group(0) if m else ""
    lang = re.search(r'\slang="([^"]*)"', tag)
    return lang.group(1) if lang else None


def epubcheck(book):
    jar = os.environ.get("QUIRE_EPUBCHECK_JAR", "/usr/share/java/epubcheck.jar")
    if not shutil.which("java") or not os.path.exists(jar):
        print("epubcheck not here: books not validated")
        return
    p = subprocess.run(["java", "-jar", jar, "-q", book], capture_output=True,
                       text=True, timeout=300)
    out = p.stdout + p.stderr
    check(p.returncode == 0 and "WARNING" not in out and "ERROR" not in out,
          "epubcheck on %s:\n%s" % (os.path.basename(book), out[-2000:]))


def epub_languages(work):
    corpus = os.path.join(work, "langs")
    os.makedirs(corpus)
    texts = [("1-de.txt", page("de-bahnstrecke")),
             ("2-de.txt", page("de-hochwasser")),
             ("3-fr.txt", page("fr-cantine-bio")),
             ("4-de.txt", page("de-schwimmbad")),
             ("5-short.txt", "Kurz.\n")]
    for name, text in texts:
        with open(os.path.join(corpus, name), "w", encoding="utf-8") as f:
            f.write(text)
    book = os.path.join(work, "langs.epub")
    rc, _, err = run([corpus, "-o", book, "-v"])
    check(rc == 0, "epub without --lang: exit %d\n%s" % (rc, err))
    files = book_files(book)
    opf = next(v for k, v in files.items() if k.endswith(".opf"))
    check(languages(opf) == ["de", "fr"],
          "dc:language should be de (3 documents) then fr: %s"
          % languages(opf))
    chapters = sorted(k for k in files if re.search(r"ch\d+\.xhtml$", k))
    check(len(chapters) == 5, "five chapters expected: %s" % chapters)
    if len(chapters) == 5:
        said = [html_lang(files[c]) for c in chapters]
        check(said == ["de", "de", "fr", "de", None],
              "chapter languages: %s" % said)
    check("5-short.txt: language not identified" in err,
          "-v should say the short text's language was not identified:\n"
          + err)
    epubcheck(book)

    # Nothing identified: "und", never a default stated as fact.
    only = os.path.join(work, "short")
    os.makedirs(only)
    shutil.copy(os.path.join(corpus, "5-short.txt"), only)
    und = os.path.join(work, "und.epub")
    rc, _, err = run([only, "-o", und])
    check(rc == 0, "epub of a short text: exit %d\n%s" % (rc, err))
    opf = next(v for k, v in book_files(und).items() if k.endswith(".opf"))
    check(languages(opf) == ["und"], "dc:language: %s" % languages(opf))
    epubcheck(und)

    # --lang L: no identification; the book and every chapter say L.
    given = os.path.join(work, "given.epub")
    rc, _, err = run([corpus, "-o", given, "--lang", "it", "-v"])
    files = book_files(given)
    opf = next(v for k, v in files.items() if k.endswith(".opf"))
    check(languages(opf) == ["it"], "--lang it: dc:language %s"
          % languages(opf))
    check(all(html_lang(files[c]) == "it" for c in chapters),
          "--lang it: every chapter says it")
    check("CLD2" not in err, "--lang it must not identify:\n" + err)


def html_languages(work):
    corpus = os.path.join(work, "langs")   # made by epub_languages
    page_out = os.path.join(work, "langs.html")
    rc, _, err = run([corpus, "--lang", "auto", "-o", page_out])
    check(rc == 0, "html --lang auto: exit %d\n%s" % (rc, err))
    with open(page_out, encoding="utf-8") as f:
        html = f.read()
    said = re.findall(r"<article[^>]*>", html)
    page_lang = html_lang(html)
    # an article without lang is in the page's; lang="" is unknown
    langs = [re.search(r'\slang="([^"]*)"', a) for a in said]
    check([m.group(1) if m else page_lang for m in langs] ==
          ["de", "de", "fr", "de", ""],
          "html --lang auto: each article's language: %s, page %s"
          % (said, page_lang))
    rc, _, err = run([corpus, "-o", page_out, "-v"])
    check("CLD2" not in err, "html without --lang does not identify:\n"
          + err)


def clean_stopwords(work):
    path = os.path.join(src, "tests/data/clean/pages/fr-vendanges/source.txt")
    rc, _, err = run(["--clean", "--lang", "auto", "-v", path, "-t", "txt",
                      "-o", os.path.join(work, "clean.txt")])
    check(rc == 0, "--clean --lang auto: exit %d\n%s" % (rc, err))
    check("language fr (CLD2" in err and
          "clean: the stopwords of fr (the document's language)" in err,
          "--clean should measure by the identified language:\n" + err)


def stream_marks(work):
    a, b = page("en-rail-strike"), page("en-heatwave-water")
    edited = b.replace("the", "a", 2) + "\n\nShare this article.\n"
    records = [{"id": "a", "content": a, "format": "txt"},
               {"id": 7, "content": b, "format": "txt"},
               {"id": "a-again", "content": a, "format": "txt"},
               {"id": "b-edited", "content": edited, "format": "txt"},
               {"id": "other", "content": page("en-bike-lanes"),
                "format": "txt"}]
    data = "".join(json.dumps(r) + "\n" for r in records).encode()
    outs = []
    for j in (1, 2):
        rc, out, err = run(["--stream", "--dedup", "-j%d" % j, "-t", "jsonl"],
                           data)
        check(rc == 0, "--stream --dedup -j%d: exit %d\n%s" % (j, rc, err))
        outs.append(out)
    check(outs[0] == outs[1], "--stream --dedup: -j1 and -j2 differ")
    got = [json.loads(line) for line in outs[0].splitlines()]
    check([r.get("id") for r in got] == [r["id"] for r in records],
          "one output record per record, in order: %s"
          % [r.get("id") for r in got])
    marks = {r.get("id"): (r.get("duplicate_of"), r.get("exact"))
             for r in got}
    check(marks.get("a-again") == ("a", True),
          "a-again repeats a exactly: %s" % (marks.get("a-again"),))
    check(marks.get("b-edited", (None,))[0] == 7,
          "b-edited repeats record 7: %s" % (marks.get("b-edited"),))
    check(all(marks[k] == (None, None) for k in ("a", 7, "other")),
          "originals are not marked: %s" % marks)
    for r in got:
        check(r.get("text"), "record %s keeps its content" % r.get("id"))
        if "similarity" in r:
            check(0.8 <= r["similarity"] <= 1.0,
                  "similarity of %s: %s" % (r["id"], r["similarity"]))
    rc, _, err = run(["--stream", "--dedup", "--dedup-report", "x", "-t",
                      "jsonl"], b"")
    check(rc == 2 and "does not go with --stream" in err,
          "--dedup-report with --stream is a usage error: %d %s" % (rc, err))


def bundle_keeps_duplicates(work):
    corpus = os.path.join(work, "bundle-in")
    os.makedirs(corpus)
    for name, text in (("1.txt", page("en-rail-strike")),
                       ("2.txt", page("en-bike-lanes")),
                       ("3-copy.txt", page("en-rail-strike"))):
        with open(os.path.join(corpus, name), "w", encoding="utf-8") as f:
            f.write(text)
    bag = os.path.join(work, "bag.tar.gz")
    rc, _, err = run(["bundle", "--dedup", corpus, "-o", bag])
    check(rc == 0, "bundle --dedup: exit %d\n%s" % (rc, err))
    with tarfile.open(bag) as t:
        names = t.getnames()
        report = [n for n in names if n.endswith("data/dedup-report.jsonl")]
        check(any(n.endswith("sources/%s/3-copy.txt" % corpus.lstrip("/"))
                  or n.endswith("/3-copy.txt") and "/sources/" in n
                  for n in names),
              "the duplicate's source stays in the bag: %s" % names)
        check(not any("normalized" in n and "3-copy" in n for n in names),
              "the duplicate has no normalized form: %s" % names)
        check(len(report) == 1, "data/dedup-report.jsonl in the bag")
        if report:
            lines = t.extractfile(report[0]).read().decode().splitlines()
            rec = [json.loads(x) for x in lines]
            check(len(rec) == 1 and rec[0]["document"].endswith("3-copy.txt")
                  and rec[0]["duplicate_of"].endswith("1.txt")
                  and rec[0]["exact"] is True,
                  "the report: %s" % rec)
    rc, _, err = run(["verify", bag])
    check(rc == 0, "the bag verifies: %s" % err)


def main():
    work = tempfile.mkdtemp(prefix="quire-hygiene.")
    try:
        epub_languages(work)
        html_languages(work)
        clean_stopwords(work)
        stream_marks(work)
        bundle_keeps_duplicates(work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    if failures:
        print("%d failure(s)" % len(failures))
        return 1
    print("ok: languages in the EPUB, clean by language, stream marks, "
          "duplicates kept in the bag")
    return 0


sys.exit(main())
