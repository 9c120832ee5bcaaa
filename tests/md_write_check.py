#!/usr/bin/env python3
"""md_write_check.py QUIRE SOURCE_DIR MODE

The Markdown writer (docs/formats/markdown.md, "Writing"), one MODE a run:

  spec     the 655 CommonMark spec examples (../shared/peers/commonmark-
           spec/spec.json), each read and written -t md (and, read -f gfm,
           -t gfm): the writer's Markdown written again is byte-identical
           (stable after one pass), and cmark-gfm renders it to the same
           HTML as the example's own Markdown (white space normalized;
           example 98, "---" then "---", is front matter to quire);
  corpus   corpus/*.txt and the test inputs (tests/data/text, tests/data/
           html, tests/data/md) written -t md and -t gfm: stable on the
           second pass, and every word of `-t html` of the input is in
           `-t html` of its Markdown;
  escape   text holding * _ ` [ ] # 1. - > < & \\ | ~ at line starts and
           inside, in paragraphs, emphasis, links, headings, list items,
           quotes and table cells, read back from Markdown to the same
           text;
  columns  --columns 10, 12, 20 and 40 never change the parsed structure
           (spec examples and corpus, HTML compared with white space
           collapsed);
  front    front matter round trip: a title with a colon and quotes, two
           authors, a date, a language, Unicode, a number-like value.

Exits 77 (skipped, "skipped: WHY") when cmark-gfm or ../shared/peers is
missing.  Python 3 standard library only.
"""

import html
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

QUIRE = SRC = None


def skip(why):
    print("skipped: " + why)
    sys.exit(77)


def run(args, data=None):
    p = subprocess.run([QUIRE] + args, input=data, capture_output=True)
    if p.returncode not in (0, 1) or b"Sanitizer" in p.stderr or \
            b"runtime error" in p.stderr or \
            (p.returncode and b"error" in p.stderr):
        raise RuntimeError("quire %s: %s" % (" ".join(args),
                                             p.stderr.decode(errors="replace")))
    return p.stdout


def convert_dir(files, fmt_in, fmt_out, out, extra=()):
    os.makedirs(out, exist_ok=True)
    p = subprocess.run([QUIRE, "-q", "-k", "-f", fmt_in] + list(files) +
                       ["--output-dir", out, "-t", fmt_out] + list(extra),
                       capture_output=True)
    if p.returncode not in (0, 1) or b"Sanitizer" in p.stderr or \
            b"runtime error" in p.stderr:
        raise RuntimeError(p.stderr.decode(errors="replace"))
    return p.stderr.decode(errors="replace")


def out_name(out, path, fmt):
    base = os.path.splitext(os.path.basename(path))[0]
    return os.path.join(out, base + "." + ("gfm" if fmt == "gfm" else "md"))


FRONT = re.compile(r"\A---\n.*?\n---\n\n?", re.S)


def cmark(text, gfm):
    args = ["cmark-gfm", "--unsafe"]
    if gfm:
        args += ["-e", "table", "-e", "strikethrough", "-e", "autolink",
                 "-e", "tasklist"]
    return subprocess.run(args, input=text.encode(), capture_output=True,
                          check=True).stdout.decode(errors="replace")


def norm_html(h):
    h = re.sub(r"\s+", " ", h)
    h = re.sub(r"\s*(<[^>]+>)\s*", r"\1", h)
    return h.strip()


def need_peers():
    spec = os.path.join(SRC, "..", "shared", "peers", "commonmark-spec",
                        "spec.json")
    if not os.path.exists(spec):
        skip("../shared/peers/commonmark-spec is missing")
    if not shutil.which("cmark-gfm"):
        skip("cmark-gfm is missing")
    with open(spec) as f:
        return json.load(f)


def spec_inputs(tmp, spec):
    files = []
    os.makedirs(os.path.join(tmp, "in"), exist_ok=True)
    for e in spec:
        p = os.path.join(tmp, "in", "ex%03d.md" % e["example"])
        with open(p, "w") as f:
            f.write(e["markdown"])
        files.append(p)
    return files


def mode_spec(tmp):
    spec = need_peers()
    files = spec_inputs(tmp, spec)
    bad = 0
    for d in ("md", "gfm"):
        a, b = os.path.join(tmp, "a-" + d), os.path.join(tmp, "b-" + d)
        convert_dir(files, d, d, a)
        outs = [out_name(a, f, d) for f in files]
        convert_dir(outs, d, d, b)
        stable = same = 0
        unstable, differ = [], []
        for e, f, o in zip(spec, files, outs):
            ta = open(o).read()
            tb = open(out_name(b, o, d)).read()
            if ta == tb:
                stable += 1
            else:
                unstable.append(e["example"])
            if e["example"] == 98:
                same += 1
                continue
            mine = FRONT.sub("", ta)
            if norm_html(cmark(mine, d == "gfm")) == \
                    norm_html(cmark(e["markdown"], d == "gfm")):
                same += 1
            else:
                differ.append(e["example"])
        print("%s: %d of %d stable, %d of %d render the same HTML" %
              (d, stable, len(spec), same, len(spec)))
        if unstable:
            print("  unstable:", unstable)
        if differ:
            print("  other HTML:", differ)
        bad += len(unstable) + len(differ)
    return bad == 0


def test_inputs():
    ins = sorted(os.path.join(SRC, "corpus", f)
                 for f in os.listdir(os.path.join(SRC, "corpus"))
                 if f.endswith(".txt"))
    for sub in ("text", "html", "md"):
        d = os.path.join(SRC, "tests", "data", sub)
        if os.path.isdir(d):
            ins += sorted(os.path.join(d, f) for f in os.listdir(d)
                          if not f.startswith("bad-"))
    return ins


def html_words(data):
    text = re.sub(r"<[^>]*>", " ", data.decode(errors="replace"))
    return set(re.findall(r"\w+", html.unescape(text)))


def mode_corpus(tmp):
    ok = True
    for d in ("md", "gfm"):
        total = kept = stable = 0
        for i, path in enumerate(test_inputs()):
            a = run(["-q", path, "-t", d])
            b = run(["-q", "-f", d, "-", "-t", d], a)
            c = run(["-q", "-f", d, "-", "-t", d], b)
            total += 1
            if b == c:
                stable += 1
            else:
                ok = False
                print("%s: not stable: %s" % (d, path))
            want = html_words(run(["-q", path, "-t", "html", "--fragment"]))
            got = html_words(run(["-q", "-f", d, "-", "-t", "html", "--fragment"], a))
            missing = want - got
            if missing:
                ok = False
                print("%s: %s lost %d words: %s" %
                      (d, path, len(missing), sorted(missing)[:10]))
            else:
                kept += 1
        print("%s: %d of %d inputs stable, %d of %d keep every word" %
              (d, stable, total, kept, total))
    return ok


SPECIALS = ["*a*", "_b_", "`c`", "[d]", "[e](f)", "# g", "1. h", "2) i",
            "- j", "+ k", "> l", "<m>", "&amp;", "&#35;", "\\n", "a|b",
            "~~o~~", "* * *", "---", "===", "```", "~~~", "a_b_c", "**p**",
            "<!-- q -->", "![r](s)", "x\\", "http://t.example", "1986. A",
            "#5", "a * b", "_", "\\*", "[^1]", "<http://u>", "trailing #"]


def html_text(data):
    """The text of HTML: tags taken out, references made characters."""
    text = re.sub(r"<[^>]*>", " ", data.decode(errors="replace"))
    return html.unescape(text)


def mode_escape(tmp):
    cases = []
    for s in SPECIALS:
        esc = html.escape(s)
        cases += ["<p>%s</p>" % esc, "<p>x %s y</p>" % esc,
                  "<p><em>%s</em> z</p>" % esc, "<p><a href='h'>%s</a></p>" % esc,
                  "<h2>%s</h2>" % esc, "<ul><li>%s</li></ul>" % esc,
                  "<blockquote><p>%s</p></blockquote>" % esc,
                  "<p>w<br/>%s</p>" % esc, "<p><strong>%s</strong>w</p>" % esc]
    table = ("<table><thead><tr><th>h</th><th>i</th></tr></thead><tbody>" +
             "".join("<tr><td>%s</td><td>x %s</td></tr>" %
                     (html.escape(s), html.escape(s)) for s in SPECIALS) +
             "</tbody></table>")
    page = "<html><body>%s%s</body></html>" % ("".join(cases), table)
    src = os.path.join(tmp, "esc.html")
    with open(src, "w") as f:
        f.write(page)
    want = html_text(run(["-q", src, "-t", "html", "--fragment"]))
    ok = True
    for d in ("md", "gfm"):
        m = run(["-q", src, "-t", d])
        got = html_text(run(["-q", "-f", d, "-", "-t", "html", "--fragment"],
                            m))
        if got.split() != want.split():
            ok = False
            ws, gs = want.split(), got.split()
            k = next((i for i, (x, y) in enumerate(zip(ws, gs)) if x != y),
                     min(len(ws), len(gs)))
            print("%s: text differs at word %d: want %r got %r" %
                  (d, k, ws[k:k + 6], gs[k:k + 6]))
        else:
            print("%s: %d cases read back to the same text" %
                  (d, len(cases) + len(SPECIALS)))
    return ok


def mode_columns(tmp):
    spec = need_peers()
    files = spec_inputs(tmp, spec)
    ok = True
    for d in ("md", "gfm"):
        base = os.path.join(tmp, "base-" + d)
        convert_dir(files, d, d, base)
        for p in test_inputs():
            with open(out_name(base, "input-" + os.path.basename(p), d),
                      "wb") as f:
                f.write(run(["-q", p, "-t", d]))
        names = sorted(os.listdir(base))
        paths = [os.path.join(base, n) for n in names]
        plain = {n: norm_html(cmark(FRONT.sub("", open(p).read()),
                                    d == "gfm")) for n, p in zip(names, paths)}
        for cols in (10, 12, 20, 40):
            out = os.path.join(tmp, "cols-%s-%d" % (d, cols))
            convert_dir(paths, d, d, out, ["--columns", str(cols)])
            changed = [n for n in names
                       if norm_html(cmark(FRONT.sub("", open(os.path.join(
                           out, n)).read()), d == "gfm")) != plain[n]]
            print("%s --columns %d: %d of %d keep their structure" %
                  (d, cols, len(names) - len(changed), len(names)))
            if changed:
                ok = False
                print("  changed:", changed[:20])
    return ok


def mode_front(tmp):
    src = os.path.join(tmp, "front.md")
    with open(src, "w") as f:
        f.write('---\ntitle: "Déjà vu: a \\"quoted\\" title"\n'
                "author:\n  - Ann O'Neil\n  - 李白\ndate: 2024-05-01\n"
                "lang: fr\nedition: \"2\"\nkeywords: yes\n---\n\nBody.\n")
    ok = True
    for d in ("md", "gfm"):
        a = run(["-q", "-f", d, src, "-t", d])
        meta = json.loads(run(["-q", "-f", d, "-", "-t", "json"], a))["meta"]
        want = {"title": 'Déjà vu: a "quoted" title',
                "author": ["Ann O'Neil", "李白"], "date": "2024-05-01",
                "language": "fr", "edition": "2", "keywords": "yes"}
        for k, v in want.items():
            if meta.get(k) != v:
                ok = False
                print("%s: %s read back as %r, want %r" % (d, k, meta.get(k), v))
        b = run(["-q", "-f", d, "-", "-t", d], a)
        if a != b:
            ok = False
            print("%s: front matter not stable" % d)
        if ok:
            print("%s: front matter read back the same:\n%s" %
                  (d, a.decode().split("\n\n")[0]))
    return ok


def main():
    global QUIRE, SRC
    if len(sys.argv) != 4:
        print(__doc__)
        return 2
    QUIRE, SRC, mode = sys.argv[1], sys.argv[2], sys.argv[3]
    if not shutil.which("cmark-gfm"):
        skip("cmark-gfm is missing")
    with tempfile.TemporaryDirectory(prefix="mdw2-") as tmp:
        ok = {"spec": mode_spec, "corpus": mode_corpus, "escape": mode_escape,
              "columns": mode_columns, "front": mode_front}[mode](tmp)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
