#!/usr/bin/env python3
"""md_spec_check.py QUIRE SOURCE_DIR

The CommonMark spec examples (../shared/peers/commonmark-spec/spec.json,
655 of them) through quire: each example's Markdown is written to a file
of its own, and all are converted in one run,
`quire -k -f md FILES --output-dir OUT -t html --fragment`.  Every example
must convert (no crash, no failure); the HTML of each is compared with the
spec's after both are normalized, in the spirit of commonmark's
test/normalize.py:

  - parsed with html.parser; tags and attribute names lower case,
    attributes sorted, character references as the characters;
  - runs of white space collapsed to one space; white space next to a
    block-level tag's start or end dropped (it does not show); white space
    at the start and end dropped;
  - void elements written one way (<br>, <hr>, <img ...>).

And, for what quire's HTML writer spells differently from cmark's HTML
renderer while meaning the same (documented in docs/formats/markdown.md):

  - the fragment's wrapper <article id="doc-N"> ... </article> is taken
    off the text before parsing (an unfinished tag of raw HTML at the end
    would otherwise swallow it);
  - the id quire gives every heading (id="doc-1-h1") is left out;
  - an empty title="" attribute is left out (cmark writes none);
  - href and src are percent-encoded as cmark's renderer encodes them
    (houdini_escape_href: bytes outside its safe set as %XX; an existing
    %XX stays), on both sides: quire writes the URL as the document holds
    it, and a browser encodes it so before fetching;
  - white space after <br> is dropped: cmark writes "<br />\n", quire
    "<br/>", and a line's leading white space does not show.

Prints "N of 655 match", then the failing example numbers grouped by spec
section, and exits 1 under 95% (623), or when an example did not convert;
77 (skipped) when ../shared/peers is missing.  QUIRE_SPEC_VERBOSE=1 prints
both normalized forms of each mismatch.  Python 3 standard library only.
"""

import html
import html.parser
import json
import os
import re
import subprocess
import sys
import tempfile

THRESHOLD = 0.95

BLOCK_TAGS = {
    "article", "header", "aside", "hgroup", "blockquote", "hr", "iframe",
    "body", "li", "map", "button", "object", "canvas", "ol", "caption",
    "output", "col", "p", "colgroup", "pre", "dd", "progress", "div",
    "section", "dl", "table", "td", "dt", "tbody", "embed", "textarea",
    "fieldset", "tfoot", "figcaption", "th", "figure", "thead", "footer",
    "tr", "form", "ul", "h1", "h2", "h3", "h4", "h5", "h6", "video",
    "script", "style",
}
VOID_TAGS = {"br", "hr", "img", "input", "meta", "link", "area", "base",
             "col", "embed", "param", "source", "track", "wbr"}


# houdini_escape_href's safe bytes: these stay, all others become %XX.
HREF_SAFE = set(b"-_.+!*'(),%#@?=;:/&$~"
                b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                b"0123456789")


def encode_href(value):
    return "".join(chr(c) if c in HREF_SAFE else "%%%02X" % c
                   for c in value.encode("utf-8"))


ARTICLE = re.compile(r'\A\s*<article id="doc-\d+">\n?(.*)</article>\s*\Z',
                     re.S)


class Normalizer(html.parser.HTMLParser):
    """HTML to a canonical string (commonmark's normalize.py, simplified)."""

    def __init__(self, quire_side):
        super().__init__(convert_charrefs=True)
        self.quire_side = quire_side
        self.out = []
        self.in_pre = 0

    def text(self, s):
        self.out.append(("text", s))

    def handle_starttag(self, tag, attrs):
        kept = []
        for name, value in attrs:
            value = "" if value is None else value
            if self.quire_side and name == "id" and re.fullmatch(
                    r"h[1-6]", tag):
                continue
            if name == "title" and value == "":
                continue
            if name in ("href", "src"):
                value = encode_href(value)
            kept.append((name, value))
        kept.sort()
        attr = "".join(' %s="%s"' % (n, html.escape(v, quote=True))
                       for n, v in kept)
        self.out.append(("start", tag, "<%s%s>" % (tag, attr)))
        if tag == "pre":
            self.in_pre += 1

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID_TAGS:
            self.handle_endtag(tag)

    def handle_endtag(self, tag):
        if tag in VOID_TAGS:
            return
        if tag == "pre" and self.in_pre:
            self.in_pre -= 1
        self.out.append(("end", tag, "</%s>" % tag))

    def handle_data(self, data):
        self.out.append(("text", data, self.in_pre > 0))

    def handle_comment(self, data):
        self.out.append(("raw", "<!--%s-->" % data))

    def handle_decl(self, decl):
        self.out.append(("raw", "<!%s>" % decl))

    def handle_pi(self, data):
        self.out.append(("raw", "<?%s>" % data))

    def unknown_decl(self, data):
        self.out.append(("raw", "<![%s]>" % data))

    def result(self):
        # Texts escaped and whitespace collapsed (not in <pre>), then
        # whitespace next to block tags dropped.
        parts = []
        for item in self.out:
            if item[0] == "text":
                s = html.escape(item[1], quote=False)
                if not (len(item) > 2 and item[2]):
                    s = re.sub(r"\s+", " ", s)
                parts.append(("text", s))
            elif item[0] in ("start", "end"):
                parts.append((item[0], item[1], item[2]))
            else:
                parts.append(("raw", item[1]))
        merged = []
        for p in parts:
            if p[0] == "text" and merged and merged[-1][0] == "text":
                merged[-1] = ("text", merged[-1][1] + p[1])
            else:
                merged.append(p)
        out = []
        for i, p in enumerate(merged):
            if p[0] != "text":
                out.append(p[-1])
                continue
            s = p[1]
            prev = merged[i - 1] if i else None
            if prev and prev[0] == "start" and prev[1] == "br":
                s = s.lstrip()
            nxt = merged[i + 1] if i + 1 < len(merged) else None
            if prev is None or (prev[0] in ("start", "end") and
                                prev[1] in BLOCK_TAGS and
                                not (prev[0] == "start" and prev[1] == "pre")):
                s = s.lstrip()
            if nxt is None or (nxt[0] in ("start", "end") and
                               nxt[1] in BLOCK_TAGS and
                               not (nxt[0] == "end" and nxt[1] == "pre")):
                s = s.rstrip()
            out.append(s)
        return "".join(out).strip()


def normalize(text, quire_side=False):
    if quire_side:
        m = ARTICLE.match(text)
        if m:
            text = m.group(1)
    n = Normalizer(quire_side)
    n.feed(text)
    n.close()
    return n.result()


def main():
    if len(sys.argv) != 3:
        print(__doc__)
        return 2
    quire, src = sys.argv[1], sys.argv[2]
    spec_path = os.path.join(src, "..", "shared", "peers", "commonmark-spec",
                             "spec.json")
    if not os.path.exists(spec_path):
        print("SKIP: %s is missing (the CommonMark spec examples live in "
              "../shared/peers/)" % os.path.normpath(spec_path))
        return 77
    with open(spec_path, encoding="utf-8") as f:
        examples = json.load(f)
    verbose = os.environ.get("QUIRE_SPEC_VERBOSE") == "1"
    with tempfile.TemporaryDirectory(prefix="quire-spec-") as tmp:
        ind = os.path.join(tmp, "in")
        outd = os.path.join(tmp, "out")
        os.mkdir(ind)
        os.mkdir(outd)
        names = []
        for e in examples:
            name = "ex%04d" % e["example"]
            with open(os.path.join(ind, name + ".md"), "w",
                      encoding="utf-8", newline="") as f:
                f.write(e["markdown"])
            names.append(name)
        cmd = [quire, "-q", "-k", "-f", "md"]
        cmd += [os.path.join(ind, n + ".md") for n in names]
        cmd += ["--output-dir", outd, "-t", "html", "--fragment"]
        proc = subprocess.run(cmd, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, timeout=600)
        if proc.returncode < 0 or proc.returncode > 1:
            print("FAIL: quire ended with status %d\n%s" %
                  (proc.returncode, proc.stderr.decode("utf-8", "replace")))
            return 1
        if b"Sanitizer" in proc.stderr or b"runtime error:" in proc.stderr:
            print(proc.stderr.decode("utf-8", "replace"))
            print("FAIL: a sanitizer report")
            return 1
        match, failed, missing = 0, {}, []
        for e, name in zip(examples, names):
            path = os.path.join(outd, name + ".html")
            if not os.path.exists(path):
                missing.append(e["example"])
                continue
            with open(path, encoding="utf-8") as f:
                got = normalize(f.read(), quire_side=True)
            want = normalize(e["html"])
            if got == want:
                match += 1
                continue
            failed.setdefault(e["section"], []).append(e["example"])
            if verbose:
                print("example %d (%s)\n  markdown %r\n  want %r\n  got  %r"
                      % (e["example"], e["section"], e["markdown"], want,
                         got))
    total = len(examples)
    print("%d of %d match" % (match, total))
    for section, numbers in failed.items():
        print("  %s: %s" % (section, " ".join(str(n) for n in numbers)))
    if missing:
        print("FAIL: %d examples did not convert: %s" %
              (len(missing), " ".join(str(n) for n in missing)))
        print(proc.stderr.decode("utf-8", "replace")[:4000])
        return 1
    need = -(-int(THRESHOLD * total * 100) // 100)
    if match < need:
        print("FAIL: fewer than %d (95%%) match" % need)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
