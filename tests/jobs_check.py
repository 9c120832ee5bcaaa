#!/usr/bin/env python3
"""test_jobs: -j N gives the same output, messages and exit status as -j1.

Usage: jobs_check.py QUIRE SOURCE_DIR WORK_DIR

Every format quire writes is written from one corpus at -j1, -j2 and -j5:
the corpus articles, the test texts, an HTML page, an archive of many
documents, a file that is not what its name says (a failure, with -k) and
a missing file.  The output bytes, standard error and the exit status must
be the same at every -j.  So must --output-dir, --clean and quire bundle
--clean, whose bag holds the clean transform's report.
The html and xhtml writers render articles ahead with -j (parts), which
must not change a byte: a folder of documents whose ids collide with each
other's and with the ids the writer makes is written at every -j, as a
page, with --toc, --fragment, to standard output and as one document.
Run from a ThreadSanitizer build too (label threads), where a data race
makes quire exit non-zero with a report on standard error.
"""
import json
import os
import shutil
import subprocess
import sys

quire, src, work = sys.argv[1], sys.argv[2], sys.argv[3]
failures = []
# WORK_DIR's sub-folders are removed and made anew: a folder this test did
# not make (arguments in the wrong order, say) is refused, not emptied.
MARK = ".quire-jobs-work"
if os.path.isdir(work) and os.listdir(work) and \
        not os.path.exists(os.path.join(work, MARK)):
    sys.exit("jobs_check.py: %s is not empty and was not made by this test; "
             "give a new folder as WORK_DIR" % work)


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL:", what)


def corpus():
    """The inputs, in a folder of their own, and a missing file."""
    d = os.path.join(work, "in")
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)
    n = 0
    for folder in ("corpus", "tests/data/text"):
        for name in sorted(os.listdir(os.path.join(src, folder))):
            n += 1
            shutil.copy(os.path.join(src, folder, name),
                        os.path.join(d, "%02d-%s" % (n, name)))
    shutil.copy(os.path.join(src, "tests/data/html/features.html"),
                os.path.join(d, "50-features.html"))
    shutil.copy(os.path.join(src, "tests/data/archive/small.zip"),
                os.path.join(d, "51-small.zip"))
    with open(os.path.join(d, "52-broken.epub"), "wb") as f:
        f.write(b"PK\x03\x04 this is not a book")
    return [d, os.path.join(work, "missing.txt")]


def run(args, timeout=600):
    env = dict(os.environ, SOURCE_DATE_EPOCH="1700000000")
    try:
        p = subprocess.run([quire] + args, capture_output=True, env=env,
                           timeout=timeout)
    except subprocess.TimeoutExpired:
        check(False, "no end within %d s: %s" % (timeout, " ".join(args)))
        return -1, b"", ""

    err = p.stderr.decode("utf-8", "replace")
    check("ThreadSanitizer" not in err and "AddressSanitizer" not in err,
          "sanitizer report for %s:\n%s" % (" ".join(args), err[:3000]))
    return p.returncode, p.stdout, err


def tree(path):
    """A file's bytes, or a folder's files and their bytes."""
    if os.path.isdir(path):
        return {name: open(os.path.join(path, name), "rb").read()
                for name in sorted(os.listdir(path))}
    return open(path, "rb").read() if os.path.exists(path) else None


def same_at_every_j(label, args, out, expect_output=True, timeout=600):
    """Runs args with -j1, -j2, -j5, output at `out` (a file or folder, or
    None for standard output) and compares everything with -j1."""
    first = None
    for j in (1, 2, 5):
        if out:
            shutil.rmtree(out, ignore_errors=True) if os.path.isdir(out) \
                else (os.path.exists(out) and os.remove(out))
        rc, stdout, err = run(["-j%d" % j] + args, timeout)
        result = (rc, tree(out) if out else stdout, err)
        if first is None:
            first = result
            check(rc in (0, 1), "%s -j1: exit %d\n%s" % (label, rc, err))
            check(bool(result[1]) == expect_output,
                  "%s -j1: output %s" % (label, "missing" if expect_output
                                         else "left behind"))
            continue
        check(result[0] == first[0],
              "%s: exit %d at -j%d, %d at -j1" % (label, rc, j, first[0]))
        check(result[2] == first[2],
              "%s: messages differ at -j%d:\n-j1:\n%s\n-j%d:\n%s"
              % (label, j, first[2], j, err))
        check(result[1] == first[1],
              "%s: output differs at -j%d" % (label, j))
    return first


def writers():
    p = subprocess.run([quire, "--list-formats"], capture_output=True,
                       text=True, check=True)
    names = []
    for line in p.stdout.splitlines():
        fields = line.split()
        if len(fields) >= 2 and fields[1].endswith("w"):
            names.append(fields[0])
    return names


def interleaved():
    """A folder where every third input fails to read (bytes that are no
    text), between articles that take longer: the inputs that fail are
    through before their turn comes."""
    d = os.path.join(work, "interleaved")
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)
    articles = sorted(os.listdir(os.path.join(src, "corpus")))
    for i in range(40):
        path = os.path.join(d, "%02d.txt" % i)
        if i % 3 == 2:
            with open(path, "wb") as f:
                f.write(bytes(range(256)) * 8)
        else:
            shutil.copy(os.path.join(src, "corpus", articles[i % len(articles)]),
                        path)
    return d


def doc(title, blocks, lang=None):
    meta = {"title": title}
    if lang:
        meta["language"] = lang
    return {"quire": "1.1", "meta": meta, "blocks": blocks}


def para(*content, **attrs):
    return dict({"type": "paragraph", "content": list(content)}, **attrs)


def heading(level, text, **attrs):
    return dict({"type": "heading", "level": level, "content": [text]},
                **attrs)


def note(text):
    return {"type": "note", "content": [para(text)]}


def id_pages():
    """Documents whose ids meet: the same own ids in two articles (renamed
    in the later one), own ids that are ids the writer makes for other
    articles (doc-N-hK, doc-N-fnK) or for their own, notes in the first
    article and in later ones, headings with and without ids, other
    languages, raw HTML, a missing image, characters HTML cannot hold, and
    an input that fails.  The numbers in the ids follow the file order."""
    d = os.path.join(work, "ids")
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)
    notes = doc("Notes", [heading(1, "Notes"), para("Text", note("First.")),
                          heading(2, "More"), para("Again", note("Second."))])
    docs = {
        "01-notes.json": notes,
        "02-ids.json": doc("Ids", [
            heading(1, "Intro", id="intro"),
            para("Shared", note("A note."), id="shared"),
            heading(2, "No id")], lang="de"),
        "03-repeat.json": doc("Repeat", [
            heading(1, "Intro again", id="intro"),
            para("Back to ", {"type": "link", "url": "#intro",
                              "content": ["intro"]}, id="shared"),
            heading(2, "No id")]),
        "04-made.json": doc("Made", [
            heading(2, "A later article's heading id", id="doc-6-h1"),
            para("An earlier article's note id", id="doc-2-fn1"),
            heading(2, "No id")]),
        "05-own.json": doc("Own", [
            para("Its own heading's id", id="doc-5-h1"),
            heading(1, "No id"), para("Note", note("Here."))]),
        "06-later.json": doc("Later", [
            heading(1, "Its id was taken"),
            para("Its note's id too", note("There."), id="doc-6-fn1")]),
        "07-raw.json": doc("Raw", [
            heading(1, "Raw"),
            para("Inline ", {"type": "raw_inline", "format": "html",
                             "text": "<b>bold</b>"},
                 " and unclosed ", {"type": "raw_inline", "format": "html",
                                    "text": "<i>"},
                 " and unsafe ", {"type": "raw_inline", "format": "html",
                                  "text": "<script>x()</script>"}),
            {"type": "raw_block", "format": "html",
             "text": "<div id=\"doc-7-h2\">raw block</div>"},
            heading(2, "Control \u0001 character")], lang="fr"),
        "08-image.json": doc("Image", [
            heading(1, "Image"),
            para({"type": "image", "url": "missing.png",
                  "content": ["gone"]})]),
        "10-notes.json": notes,
    }
    for name, value in docs.items():
        with open(os.path.join(d, name), "w") as f:
            json.dump(value, f)
    with open(os.path.join(d, "09-plain.txt"), "w") as f:
        f.write("Plain\n\nA paragraph.\n")
    with open(os.path.join(d, "11-broken.epub"), "wb") as f:
        f.write(b"PK\x03\x04 this is not a book")
    return d


def html_parts():
    """html and xhtml pages from id_pages() are the same at every -j."""
    d = id_pages()
    for fmt in ("html", "xhtml"):
        out = os.path.join(work, "ids." + fmt)
        for extra in ([], ["--toc"], ["--fragment"], ["--title", "T"]):
            label = " ".join([fmt, "ids"] + extra)
            rc, _, err = same_at_every_j(
                label, [d, "-k", "-t", fmt, "-o", out] + extra, out)
            check(rc == 1 and "broken.epub" in err,
                  "%s: the broken input should fail the run:\n%s"
                  % (label, err))
        same_at_every_j(fmt + " ids to standard output",
                        [d, "-k", "-t", fmt], None)
        same_at_every_j(fmt + " one document",
                        [os.path.join(d, "01-notes.json"), "-t", fmt, "-o",
                         out], out)


def main():
    os.makedirs(work, exist_ok=True)
    open(os.path.join(work, MARK), "w").close()
    inputs = corpus()
    formats = writers()
    check(len(formats) >= 6, "too few writers: %s" % formats)
    for fmt in formats:
        out = os.path.join(work, "out." + ("tar.gz" if fmt == "bag" else fmt))
        rc, _, err = same_at_every_j(fmt, inputs + ["-k", "-t", fmt, "-o",
                                                    out], out)
        # the run went on past the broken inputs, and said so in order
        check(rc == 1 and "broken.epub" in err and "missing.txt" in err,
              "%s: -k run should fail on the two bad inputs:\n%s"
              % (fmt, err))
    html_parts()
    # standard output, and a stop at the first failure without -k
    same_at_every_j("txt to stdout", [os.path.join(src, "corpus"), "-t",
                                      "txt"], None)
    stop = os.path.join(work, "stop.html")
    rc, _, err = same_at_every_j("no -k", inputs + ["-t", "html", "-o", stop],
                                 stop, expect_output=False)
    check(rc == 1 and "broken.epub" in err,
          "without -k the first failure must stop the run: %s" % err)
    outdir = os.path.join(work, "outdir")
    same_at_every_j("--output-dir", inputs + ["-k", "-t", "html",
                                              "--output-dir", outdir],
                    outdir)
    same_at_every_j("--clean", [os.path.join(src, "corpus"), "--clean", "-v",
                                "-t", "html", "-o",
                                os.path.join(work, "clean.html")],
                    os.path.join(work, "clean.html"))
    # Transforms take documents in input order: inputs that fail to read
    # must not hold the turn back from those after them.
    rc, _, err = same_at_every_j("--clean -k, failures between", [
        interleaved(), "-k", "--clean", "-t", "html", "-o",
        os.path.join(work, "interleaved.html")],
        os.path.join(work, "interleaved.html"), timeout=60)
    check(rc == 1, "--clean -k with failing inputs: exit %d\n%s" % (rc, err))
    bag = os.path.join(work, "bag.tar.gz")
    first = None
    for j in (1, 2, 5):
        if os.path.exists(bag):
            os.remove(bag)
        env = dict(os.environ, SOURCE_DATE_EPOCH="1700000000")
        # --clean: its report follows the documents it has seen, in order
        p = subprocess.run([quire, "bundle", "-j%d" % j, "--clean",
                            os.path.join(src, "corpus"), "-o", bag],
                           capture_output=True, env=env, timeout=600)
        result = (p.returncode, tree(bag), p.stderr)
        check(p.returncode == 0, "bundle -j%d: exit %d %s"
              % (j, p.returncode, p.stderr[:2000]))
        if first is None:
            first = result
        else:
            check(result == first, "bundle differs at -j%d" % j)
        if j == 1:   # the bag records its command, -j left out
            listing = subprocess.run(["tar", "xzOf", bag, "--wildcards",
                                      "*/bag-info.txt"], capture_output=True)
            check(b"Quire-Command: quire bundle " in listing.stdout and
                  b"-j" not in listing.stdout,
                  "bag-info.txt: %s" % listing.stdout[:500])
    if failures:
        print("%d failure(s)" % len(failures))
        return 1
    print("ok: %d formats, --output-dir, --clean and bundle identical at "
          "-j1, -j2 and -j5" % len(formats))
    return 0


sys.exit(main())
