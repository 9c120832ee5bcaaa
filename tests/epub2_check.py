#!/usr/bin/env python3
"""EPUB 2 books (-t epub2) that epubcheck passes with no error and no
warning, whose NCX lists every chapter of the spine in order, whose pages
are XHTML 1.1 (no HTML5 element, no epub:, lang, role, data- or aria-
attribute), and that quire reads back with every word.

    epub2_check.py QUIRE SOURCE_DIR [EPUBCHECK_EACH_DIR]

SOURCE_DIR is the repository (it must hold corpus/ and tests/; nothing is
written there).  Books and inputs are made in a folder of tempfile's, which
is removed at the end.  EPUBCHECK_EACH_DIR holds EpubcheckEach.class (all
books in one Java VM); without it, one VM per book.  Exits 0 when every
book passes, 1 otherwise, 2 on wrong arguments, 77 (skipped) without java
or the epubcheck jar."""
import base64
import collections
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
import zipfile
import zlib

OPF = "{http://www.idpf.org/2007/opf}"
DC = "{http://purl.org/dc/elements/1.1/}"
NCX = "{http://www.daisy.org/z3986/2005/ncx/}"
XHTML = "{http://www.w3.org/1999/xhtml}"
XHTML11 = ('<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.1//EN" '
           '"http://www.w3.org/TR/xhtml11/DTD/xhtml11.dtd">')
# Elements of HTML5 that XHTML 1.1 does not have.
HTML5 = {"section", "article", "aside", "nav", "figure", "figcaption",
         "header", "footer", "main", "mark", "time", "s", "u", "details",
         "summary", "audio", "video", "source", "canvas", "svg", "math",
         "picture", "wbr", "bdi", "data", "output", "template", "meter",
         "progress", "dialog", "embed", "track"}
WORD = re.compile(r"\w+", re.UNICODE)

failures = []


def fail(book, what):
    failures.append(f"{os.path.basename(book)}: {what}")


# ---- Inputs -------------------------------------------------------------

def png(width=2, height=2):
    def chunk(kind, data):
        body = kind + data
        return (struct.pack(">I", len(data)) + body +
                struct.pack(">I", zlib.crc32(body) & 0xffffffff))
    raw = b"".join(b"\0" + b"\xff\x00\x00" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" +
            chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)) +
            chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


GIF = base64.b64decode("R0lGODlhAQABAIAAAP///wAAACH5BAEAAAAALAAAAAABAAEAAAICRAEAOw==")
# A 1x1 lossless WebP.
WEBP = base64.b64decode("UklGRhoAAABXRUJQVlA4TA0AAAAvAAAAEAcQERGIiP4HAA==")
SVG = (b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
       b'<rect width="10" height="10" fill="blue"/></svg>')

PAGE = """<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>Specimens and plates</title></head>
<body>
<section id="plates" data-kind="plates" role="region" lang="en-GB">
<h1>Specimens and plates</h1>
<p>A portrait <img src="a.png" alt="portrait plate"> and an icon
<img src="b.gif" alt="icon plate"> and a drawing <img src="c.svg" alt="drawing plate">
and a photograph <img src="d.webp" alt="photograph plate"> of the moth.</p>
<figure id="fig1" data-n="1"><img src="a.png" alt="figure plate">
<figcaption>The figure's caption names the lappet.</figcaption></figure>
<section><h2>Counts</h2>
<table><caption>Moths by night</caption>
<thead><tr><th scope="col">Night</th><th>Count</th></tr></thead>
<tbody><tr><td>First</td><td>12</td></tr></tbody>
<tfoot><tr><td>Total</td><td>12</td></tr></tfoot>
</table>
</section>
<aside><p>An aside about lanterns.</p></aside>
<ol type="a" start="3"><li>Charlie item</li><li>Delta item</li></ol>
<ol type="i"><li>Roman one</li><li>Roman two</li></ol>
<p>Some <s>struck words</s> and <u>underlined words</u> and
<span aria-label="x" onclick="alert(1)" data-x="1" epub:type="note"
 tabindex="2" lang="fr">stray attributes</span> and
<q cite="https://example.org/q">a quotation</q>.</p>
<p dir="rtl">Backwards paragraph.</p>
<p>A note called here<a href="#fn1" class="footnote-ref" id="fnref1"
 role="doc-noteref"><sup>1</sup></a> and another<a href="#fn2"
 class="footnote-ref" id="fnref2" role="doc-noteref"><sup>2</sup></a>.</p>
</section>
<section id="footnotes" class="footnotes footnotes-end-of-document" role="doc-endnotes">
<hr><ol>
<li id="fn1"><p>The first note's words.<a href="#fnref1" class="footnote-back">back</a></p></li>
<li id="fn2"><p>The second note's words, about wings.<a href="#fnref2" class="footnote-back">back</a></p></li>
</ol></section>
</body></html>
"""

GFM = """# Notes and raw markup

A paragraph with a footnote[^moth] and <span class="x">inline raw html</span>
in the middle.

<div class="raw" data-x="y"><p>A raw block of HTML, with <b>bold</b> words.</p></div>

~~struck through~~ text.

[^moth]: The footnote text about moths.
"""


def make_inputs(scratch, source):
    inputs = os.path.join(scratch, "in")
    os.mkdir(inputs)
    for name, data in (("a.png", png()), ("b.gif", GIF), ("c.svg", SVG),
                       ("d.webp", WEBP), ("cover.png", png(60, 80))):
        with open(os.path.join(inputs, name), "wb") as f:
            f.write(data)
    with open(os.path.join(inputs, "page.html"), "w", encoding="utf-8") as f:
        f.write(PAGE)
    with open(os.path.join(inputs, "notes.md"), "w", encoding="utf-8") as f:
        f.write(GFM)
    return inputs


def books_to_make(source, inputs, out):
    corpus = os.path.join(source, "corpus")
    jobs = [("corpus", [corpus, "--title", "The Corpus in EPUB 2",
                        "--metadata", "author=Ann Author", "--metadata",
                        "date=2024-03-05T10:00:00Z", "--cover-image",
                        os.path.join(inputs, "cover.png"),
                        "--split-size", "4K"])]
    for name in sorted(os.listdir(corpus)):
        jobs.append(("corpus-" + os.path.splitext(name)[0],
                     [os.path.join(corpus, name)]))
    texts = os.path.join(source, "tests", "data", "text")
    for name in sorted(os.listdir(texts)):
        jobs.append(("text-" + os.path.splitext(name)[0],
                     [os.path.join(texts, name)]))
    jobs.append(("features", [os.path.join(source, "tests", "data", "html",
                                           "features.html")]))
    jobs.append(("page", [os.path.join(inputs, "page.html"), "--cover-image",
                          os.path.join(inputs, "cover.png"),
                          "--metadata", "creator:trl=Tom Translator",
                          "--metadata", "creator:xyzzy=Odd Role"]))
    jobs.append(("gfm", ["-f", "gfm", os.path.join(inputs, "notes.md")]))
    return [(os.path.join(out, name + ".epub"), args) for name, args in jobs]


# ---- epubcheck ----------------------------------------------------------

def epubcheck(books, jar, each_dir):
    """{book: (status, text)}"""
    results = {}
    if each_dir and os.path.exists(os.path.join(each_dir, "EpubcheckEach.class")):
        run = subprocess.run(["java", "-cp", jar + os.pathsep + each_dir,
                              "EpubcheckEach"] + books,
                             capture_output=True, timeout=1200)
        book, lines = None, []
        for line in run.stdout.decode("utf-8", "replace").splitlines():
            if line.startswith("@@@ BOOK "):
                book, lines = line[9:], []
            elif line.startswith("@@@ STATUS ") and book:
                results[book] = (int(line[11:]), "\n".join(lines))
                book = None
            elif book:
                lines.append(line)
    for book in books:
        if book not in results:
            run = subprocess.run(["java", "-jar", jar, book],
                                 capture_output=True, timeout=600)
            results[book] = (run.returncode,
                             (run.stdout + run.stderr).decode("utf-8", "replace"))
    return results


def clean(status, text):
    return (status == 0 and "No errors or warnings detected" in text and
            not re.search(r"^(WARNING|ERROR|FATAL)", text, re.M))


# ---- The book's structure -----------------------------------------------

def check_structure(book):
    z = zipfile.ZipFile(book)
    opf_bytes = z.read("EPUB/content.opf")
    pkg = ET.fromstring(opf_bytes)
    if pkg.get("version") != "2.0":
        fail(book, f"package version {pkg.get('version')}")
    if b"dcterms:modified" in opf_bytes or b"properties=" in opf_bytes:
        fail(book, "EPUB 3 metadata or manifest properties in the package")
    if pkg.get("{http://www.w3.org/XML/1998/namespace}lang"):
        fail(book, "xml:lang on the package")
    if "EPUB/nav.xhtml" in z.namelist():
        fail(book, "a nav document")
    items = {i.get("id"): i for i in pkg.iter(OPF + "item")}
    spine = [items[r.get("idref")].get("href") for r in pkg.iter(OPF + "itemref")]
    chapters = [h for h in spine if re.fullmatch(r"text/ch\d+\.xhtml", h)]
    if pkg.find(OPF + "guide") is None:
        fail(book, "no guide")
    ncx = ET.fromstring(z.read("EPUB/toc.ncx"))
    ident = pkg.find(f".//{DC}identifier").text
    metas = {m.get("name"): m.get("content") for m in ncx.iter(NCX + "meta")}
    if metas.get("dtb:uid") != ident:
        fail(book, f"dtb:uid {metas.get('dtb:uid')} is not the identifier {ident}")

    def depth(el, d=0):
        points = [c for c in el if c.tag == NCX + "navPoint"]
        return max([depth(p, d + 1) for p in points], default=d)
    if metas.get("dtb:depth") != str(depth(ncx.find(NCX + "navMap"))):
        fail(book, f"dtb:depth {metas.get('dtb:depth')}")
    points = list(ncx.iter(NCX + "navPoint"))
    orders = [int(p.get("playOrder")) for p in points]
    if orders != list(range(1, len(points) + 1)):
        fail(book, "playOrder is not 1, 2, 3... in document order")
    listed = []
    for p in points:
        src = p.find(NCX + "content").get("src").split("#")[0]
        if not listed or listed[-1] != src:
            if src not in listed:
                listed.append(src)
    if listed != chapters:
        fail(book, f"the NCX lists {listed[:5]}..., the spine's chapters are "
                   f"{chapters[:5]}...")
    for href in spine:
        check_page(book, href, z.read("EPUB/" + href))


def check_page(book, href, data):
    text = data.decode("utf-8")
    if XHTML11 not in text:
        fail(book, f"{href}: no XHTML 1.1 DOCTYPE")
    for el in ET.fromstring(data).iter():
        name = el.tag.rsplit("}", 1)[-1]
        if not el.tag.startswith(XHTML):
            fail(book, f"{href}: element {el.tag} outside XHTML")
        if name in HTML5:
            fail(book, f"{href}: HTML5 element <{name}>")
        for attr in el.attrib:
            plain = attr.rsplit("}", 1)[-1]
            if (attr.startswith("{http://www.idpf.org/2007/ops}") or
                    attr in ("lang", "role") or
                    (name in ("ol", "li") and attr in ("start", "type")) or
                    plain.startswith("data-") or plain.startswith("aria-")):
                fail(book, f"{href}: attribute {attr} on <{name}>")


# ---- Words --------------------------------------------------------------

def book_words(book):
    z = zipfile.ZipFile(book)
    pkg = ET.fromstring(z.read("EPUB/content.opf"))
    items = {i.get("id"): i for i in pkg.iter(OPF + "item")}
    total = collections.Counter()
    for ref in pkg.iter(OPF + "itemref"):
        href = items[ref.get("idref")].get("href")
        body = ET.fromstring(z.read("EPUB/" + href)).find(XHTML + "body")
        out = []

        def walk(el):
            block = el.tag.rsplit("}", 1)[-1] not in (
                "a", "span", "em", "strong", "code", "sub", "q",
                "b", "i", "small", "abbr", "cite")
            out.append(" " if block else "")
            out.append(el.text or "")
            for c in el:
                walk(c)
            out.append(" " if block else "")
            out.append(el.tail or "")
        walk(body)
        total += collections.Counter(w.lower() for w in WORD.findall("".join(out)))
    return total


def check_words(quire, book):
    run = subprocess.run([quire, "-q", book, "-t", "txt"], capture_output=True,
                         timeout=120)
    if run.returncode != 0:
        fail(book, "quire cannot read it back: " +
             run.stderr.decode("utf-8", "replace").strip())
        return
    got = collections.Counter(w.lower() for w in WORD.findall(
        run.stdout.decode("utf-8", "replace")))
    lost = book_words(book) - got
    if lost:
        fail(book, f"{sum(lost.values())} words lost reading it back: "
                   + ", ".join(w for w, _ in lost.most_common(10)))


def main():
    if len(sys.argv) not in (3, 4):
        print(__doc__)
        return 2
    quire, source = sys.argv[1], os.path.abspath(sys.argv[2])
    each_dir = sys.argv[3] if len(sys.argv) == 4 else None
    # The source tree is only read: make sure it is the one meant.
    if not (os.path.isdir(os.path.join(source, "corpus")) and
            os.path.isdir(os.path.join(source, "tests"))):
        print(f"{source} is not quire's source folder (no corpus/ and tests/)")
        return 2
    jar = os.environ.get("QUIRE_EPUBCHECK_JAR", "/usr/share/java/epubcheck.jar")
    if not shutil.which("java") or not os.path.isfile(jar):
        print("skipped: epubcheck needs java and " + jar)
        return 77
    scratch = tempfile.mkdtemp(prefix="quire-epub2-")
    try:
        inputs = make_inputs(scratch, source)
        out = os.path.join(scratch, "out")
        os.mkdir(out)
        books = []
        for book, args in books_to_make(source, inputs, out):
            env = dict(os.environ, SOURCE_DATE_EPOCH="1700000000")
            run = subprocess.run([quire, "-t", "epub2", "-o", book] + args,
                                 capture_output=True, timeout=120, env=env)
            if run.returncode != 0:
                fail(book, "quire failed: " +
                     run.stderr.decode("utf-8", "replace").strip())
                continue
            books.append(book)
        results = epubcheck(books, jar, each_dir)
        for book in books:
            status, text = results[book]
            if not clean(status, text):
                messages = [l for l in text.splitlines()
                            if re.match(r"(WARNING|ERROR|FATAL)", l)]
                fail(book, "epubcheck: " + ("; ".join(messages[:8]) or text[-300:]))
            try:
                check_structure(book)
            except (KeyError, ET.ParseError, AttributeError) as e:
                fail(book, f"cannot read its structure: {e!r}")
            check_words(quire, book)
        for line in failures:
            print(line)
        print(f"{len(books)} EPUB 2 books checked with epubcheck, "
              f"{len(failures)} problems")
        return 1 if failures else 0
    finally:
        shutil.rmtree(scratch)


if __name__ == "__main__":
    sys.exit(main())
