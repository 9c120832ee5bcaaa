#!/usr/bin/env python3
"""test_images_travel: a page's images travel with it, end to end.

  images_travel.py QUIRE

Two pages refer to PNG, JPEG, GIF, WebP and SVG files in a sub-folder, in
the page's own folder and in a parent folder named with --resource-path;
one image is shown by both pages and twice by one.  Through the command
line, as a user runs it:

  - to EPUB, each distinct image is in the book once (by SHA-256), every
    <img> of every XHTML file resolves to an entry of the book holding the
    image's bytes, and epubcheck (when installed) finds no error in the
    book without the WebP image (epubcheck 4 follows EPUB 3.2, where WebP
    is not a core type);
  - to HTML with --extract-media DIR, with --embed-resources, and by
    default (a folder beside the page), every src resolves to the bytes of
    the image it names;
  - the parent folder is refused without --resource-path, with a warning.

Exits 0 when every check passes, 1 otherwise.  Uses the standard library.
"""

import base64
import hashlib
import html.parser
import os
import posixpath
import shutil
import subprocess
import sys
import tempfile
import urllib.parse
import zipfile

PNG = bytes([
    0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 0x49, 0x48,
    0x44, 0x52, 0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0, 0x1F, 0x15, 0xC4,
    0x89, 0, 0, 0, 13, 0x49, 0x44, 0x41, 0x54, 0x78, 0xDA, 0x63, 0x64, 0xF8,
    0xCF, 0x50, 0x0F, 0x00, 0x03, 0x86, 0x01, 0x80, 0x5A, 0x34, 0x7D, 0x6B,
    0, 0, 0, 0, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82])
GIF = (b"GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\x00\x00\x00\x00\x00!\xf9\x04"
       b"\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02"
       b"D\x01\x00;")
JPEG = (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00"
        b"\x00\xff\xdb\x00C\x00\r\t\n\x0b\n\x08\r\x0b\n\x0b\x0e\x0e\r\x0f\x13"
        b" \x15\x13\x12\x12\x13'\x1c\x1e\x17 .)10.)-,3:J>36F7,-@WAFLNRSR2>ZaZ"
        b"P`JQRO\xff\xc0\x00\x0b\x08\x00\x01\x00\x01\x01\x01\x11\x00\xff\xc4"
        b"\x00\x14\x00\x01" + b"\x00" * 16 + b"\xff\xc4\x00\x14\x10\x01" +
        b"\x00" * 16 + b"\xff\xda\x00\x08\x01\x01\x00\x00?\x00?\xff\xd9")
WEBP = (b"RIFF\x1a\x00\x00\x00WEBPVP8L\r\x00\x00\x00/\x00\x00\x00\x10\x07\x10"
        b"\x11\x11\x88\x88\xfe\x07\x00")
SVG = (b'<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1">'
       b'<rect width="1" height="1"/></svg>\n')

EPUBCHECK = "/usr/share/java/epubcheck.jar"   # Debian's epubcheck

# name in the site -> bytes
FILES = {
    "site/pages/img/red.png": PNG,
    "site/pages/dot.gif": GIF,
    "site/shared/photo.jpg": JPEG,
    "site/pages/img/sub/pic.webp": WEBP,
    "site/pages/shape.svg": SVG,
}

PAGE1 = """<!DOCTYPE html>
<html lang="en"><head><title>First page</title></head><body>
<h1>First page</h1>
<p>A red square <img src="img/red.png" alt="red square"> and again
<img src="./img/red.png" alt="red square again">.</p>
<p>A dot <img src="dot.gif" alt="dot">, a photo
<img src="../shared/photo.jpg" alt="photo">.</p>
<figure><img src="img/sub/pic.webp" alt="webp picture">
<figcaption>A WebP picture</figcaption></figure>
<p>A shape <img src="shape%2Esvg" alt="svg shape">.</p>
</body></html>
"""

PAGE2 = """<!DOCTYPE html>
<html lang="en"><head><title>Second page</title></head><body>
<h1>Second page</h1>
<p>The red square once more <img src="img/red.png" alt="red square"></p>
</body></html>
"""

failures = 0


def check(ok, what):
    global failures
    print(("ok: " if ok else "FAIL: ") + what)
    if not ok:
        failures += 1


def sha(data):
    return hashlib.sha256(data).hexdigest()


class Images(html.parser.HTMLParser):
    """The src of every <img> of a page."""

    def __init__(self):
        super().__init__()
        self.srcs = []

    def handle_starttag(self, tag, attrs):
        if tag == "img":
            self.srcs.append(dict(attrs).get("src", ""))


def srcs_of(text):
    p = Images()
    p.feed(text)
    return p.srcs


def run(quire, *args, cwd):
    return subprocess.run([quire, *args], cwd=cwd, capture_output=True,
                          text=True)


def wanted():
    """SHA-256 of every image the pages show."""
    return {sha(b) for b in FILES.values()}


def check_epub(quire, work, pages, webp):
    name = "book.epub" if webp else "book-nowebp.epub"
    r = run(quire, *pages, "--resource-path", "site", "-o", name, cwd=work)
    check(r.returncode in (0, 3), "to EPUB (%s): exit %d %s" %
          (name, r.returncode, r.stderr.strip()[:300]))
    if r.returncode not in (0, 3):
        return
    with zipfile.ZipFile(os.path.join(work, name)) as z:
        entries = {i.filename: z.read(i.filename) for i in z.infolist()}
    images = [n for n, b in entries.items()
              if sha(b) in wanted() and not n.endswith((".xhtml", ".opf"))]
    digests = [sha(entries[n]) for n in images]
    expect = wanted() if webp else wanted() - {sha(WEBP)}
    check(sorted(set(digests)) == sorted(expect),
          "%s holds every image: %d of %d" % (name, len(set(digests)),
                                               len(expect)))
    check(len(digests) == len(set(digests)),
          "%s holds each image once (%d entries)" % (name, len(digests)))
    shown = 0
    for n, b in entries.items():
        if not n.endswith(".xhtml") or n.endswith("nav.xhtml"):
            continue
        for src in srcs_of(b.decode("utf-8")):
            target = posixpath.normpath(posixpath.join(posixpath.dirname(n),
                                                       urllib.parse.unquote(src)))
            ok = target in entries and sha(entries[target]) in wanted()
            check(ok, "%s: %s in %s resolves to an image" % (name, src, n))
            shown += 1
    # The first page shows 6 images (one twice; 5 without the WebP), the
    # second 1.
    least = 7 if webp else 6
    check(shown >= least, "%s: %d images shown (at least %d)" %
          (name, shown, least))
    if not webp and shutil.which("java") and os.path.isfile(EPUBCHECK):
        e = subprocess.run(["java", "-jar", EPUBCHECK,
                            os.path.join(work, name)],
                           capture_output=True, text=True)
        out = e.stdout + e.stderr
        check(e.returncode == 0 and "ERROR" not in out and
              "WARNING" not in out,
              "epubcheck passes %s: %s" % (name, out.strip()[-300:]))


def check_html(quire, work, pages, mode):
    out_dir = os.path.join(work, "html-" + mode)
    os.makedirs(out_dir)
    args = ["--resource-path", os.path.join(work, "site"), "-o",
            os.path.join(out_dir, "page.html")]
    if mode == "extract":
        args += ["--extract-media", "media"]
    elif mode == "embed":
        args += ["--embed-resources"]
    r = run(quire, *[os.path.join(work, p) for p in pages], *args,
            cwd=out_dir)
    check(r.returncode in (0, 3), "to HTML (%s): exit %d %s" %
          (mode, r.returncode, r.stderr.strip()[:300]))
    if r.returncode not in (0, 3):
        return
    with open(os.path.join(out_dir, "page.html"), encoding="utf-8") as f:
        srcs = srcs_of(f.read())
    check(len(srcs) == 7, "HTML (%s): 7 images, %d found" % (mode, len(srcs)))
    for src in srcs:
        if src.startswith("data:"):
            data = base64.b64decode(src.split(",", 1)[1])
            ok = mode == "embed" and sha(data) in wanted()
        else:
            path = os.path.join(out_dir, urllib.parse.unquote(src))
            ok = mode != "embed" and os.path.isfile(path)
            if ok:
                with open(path, "rb") as f:
                    ok = sha(f.read()) in wanted()
            if mode == "extract":
                ok = ok and src.startswith("media/")
            if mode == "default":
                ok = ok and src.startswith("page_media/")
        check(ok, "HTML (%s): %s resolves to an image's bytes" %
              (mode, src[:60]))


def main():
    if len(sys.argv) != 2:
        print("usage: images_travel.py QUIRE", file=sys.stderr)
        return 2
    quire = os.path.abspath(sys.argv[1])
    work = tempfile.mkdtemp(prefix="quire-images-")
    try:
        for name, data in FILES.items():
            path = os.path.join(work, name)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "wb") as f:
                f.write(data)
        pages = ["site/pages/first.html", "site/pages/second.html"]
        for page, text in zip(pages, (PAGE1, PAGE2)):
            with open(os.path.join(work, page), "w", encoding="utf-8") as f:
                f.write(text)
        check_epub(quire, work, pages, webp=True)
        # The same pages without the WebP image, for epubcheck.
        nowebp = PAGE1.replace('<figure><img src="img/sub/pic.webp" '
                               'alt="webp picture">', "<figure>")
        with open(os.path.join(work, "site/pages/first.html"), "w",
                  encoding="utf-8") as f:
            f.write(nowebp)
        check_epub(quire, work, pages, webp=False)
        with open(os.path.join(work, "site/pages/first.html"), "w",
                  encoding="utf-8") as f:
            f.write(PAGE1)
        for mode in ("extract", "embed", "default"):
            check_html(quire, work, pages, mode)
        # Without --resource-path, the parent folder is out of bounds.
        r = run(quire, pages[0], "-t", "txt", "-o", "plain.txt", cwd=work)
        check("../shared/photo.jpg" in r.stderr,
              "the parent folder is refused without --resource-path: %s" %
              r.stderr.strip()[:300])
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print("%d failure%s" % (failures, "" if failures == 1 else "s"))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
