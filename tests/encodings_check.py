#!/usr/bin/env python3
"""test_encodings: text in any encoding reads as the UTF-8 original does.

Usage: encodings_check.py QUIRE SOURCE_DIR WORK_DIR

Real texts (the corpus, the clean test pages in Russian, Ukrainian, Czech
and Polish, a Japanese and a Chinese news text of tests/data/encodings)
are re-encoded with the iconv command into the encodings each can be
written in (a text iconv cannot write in its encoding fails the test: it
is not skipped), as plain text and as an HTML page that declares no
charset.  Each must convert to the same text as its UTF-8 original, with
the right encoding in the document's metadata.  Then: --input-encoding
overrides detection and a wrong declaration, inside archives and stream
records too; an unknown name is a usage error; a short input the detector
cannot be sure of gives a warning; -v notes how the encoding was found;
the Markdown writer leaves the key out of its front matter.
"""
import base64
import json
import os
import shutil
import subprocess
import sys
import zipfile

quire, src, work = sys.argv[1], sys.argv[2], sys.argv[3]
failures = []
PAGES = os.path.join(src, "tests/data/clean/pages")


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL:", what)


def page(name):
    return os.path.join(PAGES, name, "expected.txt")


def pages(lang):
    return sorted(page(d) for d in os.listdir(PAGES)
                  if d.startswith(lang + "-"))


def corpus():
    d = os.path.join(src, "corpus")
    return sorted(os.path.join(d, n) for n in os.listdir(d)
                  if n.endswith(".txt"))


def own(name):
    return os.path.join(src, "tests/data/encodings", name)


BOMS = {"UTF-16LE": b"\xff\xfe", "UTF-16BE": b"\xfe\xff",
        "UTF-32LE": b"\xff\xfe\x00\x00", "UTF-32BE": b"\x00\x00\xfe\xff"}

# (texts, iconv's name, quire's name, with a byte order mark)
CASES = [
    (pages("ru"), "CP1251", "windows-1251", False),
    ([page("ru-ranniy-sneg")], "KOI8-R", "koi8-r", False),
    (pages("uk"), "CP1251", "windows-1251", False),
    (pages("cs"), "ISO-8859-2", "iso-8859-2", False),
    (pages("pl"), "ISO-8859-2", "iso-8859-2", False),
    ([own("ja-hatsuyuki.txt")], "SHIFT_JIS", "shift_jis", False),
    ([own("ja-hatsuyuki.txt")], "EUC-JP", "euc-jp", False),
    ([own("zh-tw-zhanlan.txt")], "GB18030", "gb18030", False),
    ([own("zh-tw-zhanlan.txt")], "BIG5", "big5", False),
    (corpus(), "CP1252", "windows-1252", False),
] + [(corpus(), enc, enc.lower(), bom)
     for enc in ("UTF-16LE", "UTF-16BE", "UTF-32LE", "UTF-32BE")
     for bom in (False, True)]


def run(args, data=None):
    p = subprocess.run([quire] + args, input=data, capture_output=True,
                       timeout=300)
    err = p.stderr.decode("utf-8", "replace")
    check("Sanitizer" not in err,
          "sanitizer report for %s:\n%s" % (" ".join(args), err[:3000]))
    return p.returncode, p.stdout, err


def iconv(path, enc):
    """The bytes of the UTF-8 file at path in enc; the test fails when
    iconv cannot write them (the text does not fit the encoding)."""
    p = subprocess.run(["iconv", "-f", "UTF-8", "-t", enc, path],
                       capture_output=True)
    if p.returncode != 0:
        sys.exit("encodings_check: iconv cannot write %s in %s: %s"
                 % (path, enc, p.stderr.decode().strip()))
    return p.stdout


def html(text):
    """A page around text's paragraphs, declaring no charset."""
    paras = [p for p in text.split("\n\n") if p.strip()]
    body = "".join("<p>%s</p>\n" % p.replace("&", "&amp;").replace("<", "&lt;")
                   for p in paras)
    return ("<!DOCTYPE html>\n<html><head><title>t</title></head><body>\n%s"
            "</body></html>\n" % body)


def write(name, data):
    path = os.path.join(work, name)
    with open(path, "wb") as f:
        f.write(data)
    return path


def converted(path, *opts):
    rc, out, err = run(["-t", "txt", path] + list(opts))
    check(rc == 0, "%s: exit %d: %s" % (path, rc, err))
    return out


def encoding_of(path, *opts):
    rc, out, err = run(["-t", "jsonl", path] + list(opts))
    check(rc == 0, "%s: exit %d: %s" % (path, rc, err))
    if rc:
        return None
    return json.loads(out.decode().splitlines()[0]).get("meta", {}).get(
        "encoding")


def test_each_encoding_reads_as_its_utf8_original():
    n = 0
    for texts, enc, name, bom in CASES:
        if not texts:
            sys.exit("encodings_check: no texts for %s" % enc)
        for t in texts:
            n += 1
            with open(t, encoding="utf-8") as f:
                text = f.read()
            tag = "%02d-%s%s" % (n, enc, "-bom" if bom else "")
            orig_txt = write(tag + "-utf8.txt", text.encode())
            orig_html = write(tag + "-utf8.html", html(text).encode())
            mark = BOMS[enc] if bom else b""
            enc_txt = write(tag + ".txt", mark + iconv(orig_txt, enc))
            enc_html = write(tag + ".html", mark + iconv(orig_html, enc))
            for orig, coded in ((orig_txt, enc_txt), (orig_html, enc_html)):
                want = converted(orig)
                check(want and converted(coded) == want,
                      "%s (%s, from %s) reads otherwise than its UTF-8 "
                      "original" % (coded, enc, t))
                got = encoding_of(coded)
                check(got == name, "%s: encoding %r, not %r" % (coded, got,
                                                                name))


def koi8r_bytes():
    return iconv(page("ru-ranniy-sneg"), "KOI8-R")


def test_input_encoding_overrides_detection():
    koi = write("force-koi8r.txt", koi8r_bytes())
    # The same bytes read as Windows-1251 by iconv, then by quire as UTF-8.
    as1251 = subprocess.run(["iconv", "-f", "CP1251", "-t", "UTF-8", koi],
                            capture_output=True, check=True).stdout
    want = converted(write("force-koi8r-as1251-utf8.txt", as1251))
    got = converted(koi, "--input-encoding", "windows-1251")
    check(got == want, "--input-encoding windows-1251 did not override "
          "detection of KOI8-R")
    check(encoding_of(koi, "--input-encoding", "cp1251") == "windows-1251",
          "--input-encoding cp1251 is not windows-1251 in the metadata")
    # And it reads right what detection gets wrong: a 100-byte Polish
    # prefix in ISO-8859-2 (see docs/hygiene.md).
    pl = iconv(page("pl-wisla"), "ISO-8859-2")[:100]
    short = write("force-pl.txt", pl)
    want = converted(write("force-pl-utf8.txt",
                           pl.decode("iso-8859-2").encode()))
    check(converted(short, "--input-encoding", "iso-8859-2") == want,
          "--input-encoding iso-8859-2 did not read a Polish text right")


def test_input_encoding_overrides_a_wrong_declaration():
    text = open(page("ru-observatoria"), encoding="utf-8").read()
    page_html = html(text).replace(
        "<head>", '<head><meta charset="windows-1252">')
    orig = write("declared-utf8.html", page_html.encode())
    wrong = write("declared-wrong.html", iconv(orig, "CP1251"))
    want = converted(orig, "--input-encoding", "utf-8")
    check(converted(wrong) != want,
          "a page declaring windows-1252 but in windows-1251 read right "
          "without --input-encoding: the declaration was not followed")
    check(encoding_of(wrong) == "windows-1252",
          "the declared charset is not the page's encoding")
    check(converted(wrong, "--input-encoding", "windows-1251") == want,
          "--input-encoding did not override a wrong declaration")


def test_input_encoding_reaches_archive_entries():
    path = os.path.join(work, "entries.zip")
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("ru.txt", koi8r_bytes())
    rc, out, err = run(["-t", "jsonl", path, "--input-encoding", "koi8-r"])
    check(rc == 0 and json.loads(out.decode().splitlines()[0])["meta"]
          ["encoding"] == "koi8-r",
          "--input-encoding did not reach an archive entry: %s" % err)
    rc, out, err = run(["-t", "jsonl", path, "--input-encoding",
                        "windows-1251"])
    check(rc == 0 and json.loads(out.decode().splitlines()[0])["meta"]
          ["encoding"] == "windows-1251",
          "--input-encoding windows-1251 did not reach an archive entry")


def test_input_encoding_reaches_stream_records():
    rec = {"id": "r1", "format": "txt", "encoding": "base64",
           "content": base64.b64encode(koi8r_bytes()).decode()}
    line = (json.dumps(rec) + "\n").encode()
    want = open(page("ru-ranniy-sneg"), encoding="utf-8").read().split()[0]
    rc, out, err = run(["--stream", "-t", "txt"], line)
    check(rc == 0 and want in json.loads(out)["content"],
          "a KOI8-R stream record did not read right: %s" % err)
    rc, out, err = run(["--stream", "-t", "txt", "--input-encoding",
                        "windows-1251"], line)
    check(rc == 0 and want not in json.loads(out)["content"],
          "--input-encoding did not reach a stream record: %s" % err)
    as1251 = koi8r_bytes().decode("cp1251").split()[0]
    check(rc == 0 and as1251 in json.loads(out)["content"],
          "a stream record was not read as the Windows-1251 it was told")


def test_unknown_input_encoding_is_a_usage_error():
    path = write("unknown.txt", b"plain\n")
    rc, out, err = run(["-t", "txt", path, "--input-encoding", "klingon-9"])
    check(rc == 2 and "--input-encoding" in err and "klingon-9" in err,
          "an unknown --input-encoding gave exit %d: %s" % (rc, err))


def test_unsure_short_input_warns():
    path = write("short-unsure.txt", "Caf\u00e9 ouvert.\n".encode("cp1252"))
    rc, out, err = run(["-t", "txt", path])
    assumed = encoding_of(path)
    check(rc == 0 and "warning" in err and "short-unsure.txt" in err and
          "unsure" in err and "read as %s" % assumed in err,
          "a short 8-bit text gave no warning naming the file and what "
          "was assumed (%s): %r" % (assumed, err))


def test_metadata_in_jsonl():
    utf8 = write("meta-utf8.txt", "Plain UTF-8 — text.\n".encode())
    check(encoding_of(utf8) == "utf-8", "a UTF-8 text has no encoding utf-8")
    ru = write("meta-1251.txt", iconv(page("ru-observatoria"), "CP1251"))
    check(encoding_of(ru) == "windows-1251",
          "a Windows-1251 text has no encoding windows-1251")


def test_verbose_notes_how_the_encoding_was_found():
    ru = write("note-1251.txt", iconv(page("ru-observatoria"), "CP1251"))
    bom = write("note-bom.txt", b"\xff\xfe" + "Hi\n".encode("utf-16le"))
    decl = write("note-decl.html", b'<html><head><meta charset="koi8-r">'
                 b"<title>t</title></head><body><p>x</p></body></html>")
    for path, opts, note in (
            (ru, [], "encoding windows-1251 (detected)"),
            (bom, [], "encoding utf-16le (byte order mark)"),
            (decl, [], "encoding koi8-r (declared)"),
            (ru, ["--input-encoding", "koi8-r"],
             "encoding koi8-r (--input-encoding)")):
        rc, out, err = run(["-v", "-t", "txt", path] + opts)
        check(rc == 0 and "%s: %s" % (path, note) in err,
              "-v did not say %r for %s: %s" % (note, path, err[-500:]))


def test_markdown_front_matter_leaves_the_key_out():
    ru = write("md-1251.txt", iconv(page("ru-observatoria"), "CP1251"))
    rc, out, err = run(["-t", "md", ru])
    check(rc == 0 and b"windows-1251" not in out,
          "-t md wrote the input's encoding in its front matter")


def main():
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    for name, fn in sorted(globals().items()):
        if name.startswith("test_") and callable(fn):
            before = len(failures)
            fn()
            print("%s: %s" % ("ok" if len(failures) == before else "FAILED",
                              name))
    if failures:
        print("%d failure(s)" % len(failures))
        sys.exit(1)


if __name__ == "__main__":
    main()
