#!/usr/bin/env python3
"""Every word of a book reaches quire's text: for each EPUB given (files or
folders of .epub), the words of its spine's content documents (the text of
each XHTML body, without scripts, styles and the nav document's table of
contents, landmarks and page list, which the writers make anew; SVG text
and fallback content included; an item the spine repeats counted once)
are compared with the words of `quire BOOK -t txt`.  A word the book holds
more often than the text is lost.

    epub_words_check.py QUIRE EPUB_OR_DIR...

Prints one line per book that loses words (with up to ten of them) and a
summary; exits 1 when any book loses a word, 77 (skipped) when none of the
inputs exists.  Books quire refuses are counted, not compared (the peer
test checks accept and reject)."""
import collections
import os
import posixpath
import re
import subprocess
import sys
import urllib.parse
import xml.etree.ElementTree as ET
import zipfile

# Math is carried as TeX (from its annotation or alttext), whose words are
# not MathML's tokens; test_html checks it.
SKIP = {"script", "style", "head", "title", "math"}
# Elements whose boundaries separate words; inline ones do not
# ("ascended<span>90</span>" is one word to a reader as to quire).
BLOCKS = {"address", "article", "aside", "blockquote", "body", "br", "caption",
          "dd", "details", "div", "dl", "dt", "figcaption", "figure", "footer",
          "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main",
          "nav", "ol", "p", "pre", "section", "summary", "table", "td", "th",
          "tr", "ul", "text", "tspan", "g", "svg", "img", "image"}
# Navigation the writers make anew, or that means nothing outside the
# book: a nav document's table of contents, landmarks and page list.
NAV_TYPES = {"toc", "landmarks", "page-list"}
WORD = re.compile(r"\w+", re.UNICODE)
OPF = "{http://www.idpf.org/2007/opf}"
CONTAINER = "{urn:oasis:names:tc:opendocument:xmlns:container}"


def local(tag):
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def text_of(el, out):
    name = local(el.tag)
    kinds = set((el.get("{http://www.idpf.org/2007/ops}type") or "").split())
    if name in SKIP or (name == "nav" and kinds & NAV_TYPES):
        if el.tail:
            out.append(el.tail)
        return
    gap = " " if name in BLOCKS else ""
    out.append(gap)
    if el.text:
        out.append(el.text)
    for child in el:
        text_of(child, out)
    out.append(gap)
    if el.tail:
        out.append(el.tail)


def words(text):
    return collections.Counter(w.lower() for w in WORD.findall(text))


def book_words(path):
    """The words of the spine's documents, or None when the book cannot be
    read here (not a zip, no package, a document that is not XML)."""
    try:
        z = zipfile.ZipFile(path)
        root = ET.fromstring(z.read("META-INF/container.xml"))
        opf = root.find(f".//{CONTAINER}rootfile").get("full-path")
        pkg = ET.fromstring(z.read(opf))
    except Exception:
        return None
    base = posixpath.dirname(opf)
    items = {i.get("id"): i for i in pkg.iter(f"{OPF}item")}
    total = collections.Counter()
    seen = set()
    for ref in pkg.iter(f"{OPF}itemref"):
        item = items.get(ref.get("idref"))
        # An item the spine lists again is read once (with a warning).
        if item is None or ref.get("idref") in seen:
            continue
        seen.add(ref.get("idref"))
        kind = item.get("media-type", "")
        if kind not in ("application/xhtml+xml", "image/svg+xml"):
            continue
        href = posixpath.normpath(posixpath.join(base, urllib.parse.unquote(item.get("href", ""))))
        try:
            doc = ET.fromstring(z.read(href))
        except Exception:
            return None
        body = next((e for e in doc.iter() if local(e.tag) == "body"), doc)
        out = []
        text_of(body, out)
        if body is not doc and body.tail:
            pass
        total += words("".join(out))
    return total


def main():
    quire = sys.argv[1]
    books = []
    found = False
    for arg in sys.argv[2:]:
        if os.path.isdir(arg):
            found = True
            for d, _, files in os.walk(arg):
                books += [os.path.join(d, f) for f in files if f.endswith(".epub")]
        elif os.path.isfile(arg):
            found = True
            books.append(arg)
    if not found:
        print("skipped: none of the books is here:", " ".join(sys.argv[2:]))
        return 77
    losing = compared = refused = unread = 0
    for path in sorted(books):
        expected = book_words(path)
        if expected is None:
            unread += 1
            continue
        run = subprocess.run([quire, "-q", path, "-t", "txt"], capture_output=True,
                             timeout=60)
        if run.returncode != 0:
            refused += 1
            continue
        compared += 1
        got = words(run.stdout.decode("utf-8", "replace"))
        lost = expected - got
        if lost:
            losing += 1
            sample = ", ".join(f"{w} x{n}" if n > 1 else w for w, n in lost.most_common(10))
            print(f"{path}: {sum(lost.values())} of {sum(expected.values())} words lost: {sample}")
    print(f"{compared} books compared, {losing} losing words; {refused} refused by quire, "
          f"{unread} not readable as XML here")
    return 1 if losing else 0


if __name__ == "__main__":
    sys.exit(main())
