#!/usr/bin/env python3
"""The quire command as a pandoc user types it (issue 17).

usage: cli_pandoc_check.py QUIRE SOURCE-DIR MAN-PAGE

QUIRE is the built quire, SOURCE-DIR the repository (its corpus/ is read,
never written), MAN-PAGE the generated quire.1.  Scratch files go to a
fresh folder from tempfile, removed at the end.

- each pandoc spelling gives the same output (bytes, exit status) as
  quire's own spelling;
- each pandoc option quire lacks is refused with "... is a pandoc option
  quire does not have", exit status 2;
- unknown options, formats and transforms name the closest spelling;
- a folder's file no format reads is skipped with one warning (exit 0),
  fails under --strict (exit 1), and --recursive enters sub-folders;
- every long option of --help is in the man page, and every option entry
  of the man page's OPTIONS section is in --help.
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

if len(sys.argv) != 4:
    sys.exit(__doc__.split("\n\n")[1])
QUIRE, SRC, MAN = sys.argv[1:4]
CORPUS = os.path.join(SRC, "corpus")
failures = []
checks = 0
ENV = dict(os.environ, SOURCE_DATE_EPOCH="1700000000")
ENV.pop("QUIRE_PLUGIN_PATH", None)


def run(*args, stdin=None):
    p = subprocess.run([QUIRE, *args], input=stdin, capture_output=True,
                       env=ENV, timeout=120)
    return p.returncode, p.stdout, p.stderr.decode("utf-8", "replace")


def check(ok, what, detail=""):
    global checks
    checks += 1
    if not ok:
        failures.append(what + (": " + detail if detail else ""))
        print("FAIL", what, detail[:2000], file=sys.stderr)


def same(what, a, b):
    ra, rb = run(*a), run(*b)
    check(ra[0] == rb[0] and ra[1] == rb[1],
          what, "%r -> %d, %r -> %d\n%s\n%s" % (a, ra[0], b, rb[0], ra[2],
                                                rb[2]))
    return ra


def same_file(what, a, b, out_a, out_b):
    ra, rb = run(*a), run(*b)
    da = open(out_a, "rb").read() if os.path.exists(out_a) else None
    db = open(out_b, "rb").read() if os.path.exists(out_b) else None
    check(ra[0] == rb[0] == 0 and da is not None and da == db, what,
          "exit %d, %d\n%s\n%s" % (ra[0], rb[0], ra[2], rb[2]))


def usage(what, args, message):
    rc, _, err = run(*args)
    check(rc == 2 and message in err, what,
          "exit %d, wanted 2 and %r in:\n%s" % (rc, message, err))


def main():
    work = tempfile.mkdtemp(prefix="cli2-pandoc-")
    try:
        tests(work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print("%d checks, %d failed" % (checks, len(failures)))
    return 1 if failures else 0


def tests(work):
    def w(*parts):
        return os.path.join(work, *parts)

    # ---- aliases: the same output as quire's own spelling ----------------
    same("-s changes nothing", [CORPUS, "-t", "html", "-s"],
         [CORPUS, "-t", "html"])
    same("--standalone changes nothing", [CORPUS, "-t", "txt", "--standalone"],
         [CORPUS, "-t", "txt"])
    usage("-s with --fragment", [CORPUS, "-t", "html", "-s", "--fragment"],
          "--standalone and --fragment")
    same("-r is -f", [CORPUS, "-r", "txt", "-t", "txt"],
         [CORPUS, "-f", "txt", "-t", "txt"])
    same("--read is --from", [CORPUS, "--read=txt", "-t", "txt"],
         [CORPUS, "--from=txt", "-t", "txt"])
    same("-w is -t", [CORPUS, "-w", "html"], [CORPUS, "-t", "html"])
    same("--write is --to", [CORPUS, "--write", "md"], [CORPUS, "--to", "md"])
    same("-t plain is txt", [CORPUS, "-t", "plain"], [CORPUS, "-t", "txt"])
    same("-t html5 is html", [CORPUS, "-t", "html5"], [CORPUS, "-t", "html"])
    same("-t markdown is md", [CORPUS, "-t", "markdown"], [CORPUS, "-t", "md"])
    same("-t commonmark is md", [CORPUS, "-t", "commonmark"],
         [CORPUS, "-t", "md"])
    md = w("notes.md")
    with open(md, "w") as f:
        f.write("# Notes\n\nSome *text*.\n")
    same("-f markdown is md", [md, "-f", "markdown", "-t", "html"],
         [md, "-f", "md", "-t", "html"])
    same("-f commonmark is md", [md, "-f", "commonmark", "-t", "html"],
         [md, "-f", "md", "-t", "html"])
    rc, _, _ = run(md, "-f", "gfm", "-t", "gfm")
    check(rc == 0, "-f gfm -t gfm")

    same("-M is --metadata", [CORPUS, "-t", "html", "-M", "author=Ann"],
         [CORPUS, "-t", "html", "--metadata", "author=Ann"])
    same("-MKEY=VALUE attached", [CORPUS, "-t", "html", "-Mauthor=Ann"],
         [CORPUS, "-t", "html", "--metadata", "author=Ann"])
    same("-M KEY:VALUE", [CORPUS, "-t", "html", "-M", "author:Ann"],
         [CORPUS, "-t", "html", "--metadata", "author=Ann"])
    same("--metadata=KEY:VALUE", [CORPUS, "-t", "html",
                                  "--metadata=title:A: B"],
         [CORPUS, "-t", "html", "--title", "A: B"])
    same("-M KEY alone is KEY=true", [CORPUS, "-t", "html", "-M", "keywords"],
         [CORPUS, "-t", "html", "-M", "keywords=true"])
    ra = run(CORPUS, "-t", "epub", "-o", w("a.epub"), "-M", "creator:ill=Ann")
    rb = run(CORPUS, "-t", "epub", "-o", w("b.epub"), "--metadata",
             "creator:ill=Ann")
    check(ra[0] == 0 and "creator:ill" not in ra[2] and
          open(w("a.epub"), "rb").read() == open(w("b.epub"), "rb").read(),
          "-M creator:ill=Ann keeps its key", ra[2])
    usage("--metadata without a key", [CORPUS, "-t", "txt", "-M", "=x"],
          "--metadata wants KEY=VALUE")

    # --metadata-file, YAML and JSON
    with open(w("meta.yaml"), "w") as f:
        f.write("title: From the file\nauthor:\n  - Ann\n  - Bob\n"
                "date: 2024\ndescription: yes\n")
    with open(w("meta.json"), "w") as f:
        json.dump({"title": "From the file", "author": ["Ann", "Bob"],
                   "date": 2024, "description": "yes"}, f)
    with open(w("meta.txt"), "w") as f:
        f.write('  {"title": "From the file", "author": ["Ann", "Bob"], '
                '"date": 2024, "description": "yes"}')
    own = [CORPUS, "-t", "html", "--title", "From the file", "-M",
           "author=Ann", "-M", "author=Bob", "-M", "date=2024", "-M",
           "description=yes"]
    same("--metadata-file YAML", [CORPUS, "-t", "html", "--metadata-file",
                                  w("meta.yaml")], own)
    same("--metadata-file JSON", [CORPUS, "-t", "html", "--metadata-file",
                                  w("meta.json")], own)
    same("--metadata-file JSON by its '{'",
         [CORPUS, "-t", "html", "--metadata-file", w("meta.txt")], own)
    same("--metadata-file: the command line's keys win",
         [CORPUS, "-t", "html", "--metadata-file", w("meta.yaml"),
          "--title", "Mine"],
         [CORPUS, "-t", "html", "--title", "Mine", "-M", "author=Ann", "-M",
          "author=Bob", "-M", "date=2024", "-M", "description=yes"])
    with open(w("nested.yaml"), "w") as f:
        f.write("title: T\nauthor:\n  name: Ann\n")
    usage("--metadata-file with a mapping value",
          [CORPUS, "-t", "html", "--metadata-file", w("nested.yaml")],
          "is a mapping")
    with open(w("nested.json"), "w") as f:
        f.write('{"author": {"name": "Ann"}}')
    usage("--metadata-file JSON with a mapping value",
          [CORPUS, "-t", "html", "--metadata-file", w("nested.json")],
          "is a mapping")
    usage("--metadata-file missing",
          [CORPUS, "-t", "html", "--metadata-file", w("none.yaml")],
          "cannot open")

    # writer options under pandoc's names
    same("--toc is the html writer's", [CORPUS, "-t", "html", "--toc"],
         [CORPUS, "-t", "html", "--html:toc"])
    same("--table-of-contents", [CORPUS, "-t", "html", "--table-of-contents"],
         [CORPUS, "-t", "html", "--html:toc"])
    same_file("--toc for EPUB is accepted and changes nothing",
              [CORPUS, "-o", w("toc.epub"), "--toc"],
              [CORPUS, "-o", w("notoc.epub")], w("toc.epub"),
              w("notoc.epub"))
    same("--self-contained is --embed-resources",
         [CORPUS, "-t", "html", "--self-contained"],
         [CORPUS, "-t", "html", "--embed-resources"])
    same("--fail-if-warnings is --strict",
         [CORPUS, "-t", "txt", "--fail-if-warnings", "-M", "shelf=x"],
         [CORPUS, "-t", "txt", "--strict", "-M", "shelf=x"])
    with open(w("style.css"), "w") as f:
        f.write("body { color: black }\n")
    same("-c is --css", [CORPUS, "-t", "html", "-c", "style.css"],
         [CORPUS, "-t", "html", "--css", "style.css"])
    same_file("-c for EPUB", [CORPUS, "-o", w("c1.epub"), "-c",
                              w("style.css")],
              [CORPUS, "-o", w("c2.epub"), "--epub:css", w("style.css")],
              w("c1.epub"), w("c2.epub"))
    same_file("--epub-chapter-level is --split-level",
              [CORPUS, "-o", w("s1.epub"), "--epub-chapter-level", "2"],
              [CORPUS, "-o", w("s2.epub"), "--split-level", "2"],
              w("s1.epub"), w("s2.epub"))
    # a PNG of one pixel as a cover
    png = bytes.fromhex(
        "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
        "1f15c4890000000d49444154789c6360000002000001e221bc330000000049"
        "454e44ae426082")
    with open(w("cover.png"), "wb") as f:
        f.write(png)
    same_file("--epub-cover-image is --cover-image",
              [CORPUS, "-o", w("k1.epub"), "--epub-cover-image",
               w("cover.png")],
              [CORPUS, "-o", w("k2.epub"), "--epub:cover-image",
               w("cover.png")], w("k1.epub"), w("k2.epub"))
    os.makedirs(w("img1"))
    os.makedirs(w("img2"))
    with open(w("img2", "dot.png"), "wb") as f:
        f.write(png)
    with open(w("page.html"), "w") as f:
        f.write("<html><body><p>x <img src='dot.png' alt='dot'></p>"
                "</body></html>\n")
    same("--resource-path A:B is one per folder",
         [w("page.html"), "-t", "json", "--resource-path",
          w("img1") + ":" + w("img2")],
         [w("page.html"), "-t", "json", "--resource-path", w("img1"),
          "--resource-path", w("img2")])

    # --wrap and --columns
    same("--wrap=auto wraps at 72", [CORPUS, "-t", "txt", "--wrap=auto"],
         [CORPUS, "-t", "txt", "--columns", "72"])
    same("--wrap=auto with --columns", [CORPUS, "-t", "md", "--wrap", "auto",
                                        "--columns", "40"],
         [CORPUS, "-t", "md", "--columns", "40"])
    same("--wrap=none drops --columns", [CORPUS, "-t", "txt", "--wrap=none",
                                         "--columns", "40"],
         [CORPUS, "-t", "txt"])
    same("--wrap=preserve drops --columns",
         [CORPUS, "-t", "gfm", "--wrap=preserve", "--txt:columns=40",
          "--columns=30"], [CORPUS, "-t", "gfm"])
    same("--wrap=auto for a writer without --columns",
         [CORPUS, "-t", "html", "--wrap=auto"], [CORPUS, "-t", "html"])
    rc, out, _ = run(CORPUS, "-t", "txt", "--wrap=auto")
    check(rc == 0 and out != run(CORPUS, "-t", "txt")[1],
          "--wrap=auto wraps")
    usage("--wrap with a bad mode", [CORPUS, "-t", "txt", "--wrap=nne"],
          "did you mean 'none'?")

    rc, out, _ = run("--list-input-formats")
    names = out.decode().split()
    check(rc == 0 and "txt" in names and "plain" in names and
          "markdown" in names, "--list-input-formats", out.decode())
    rc, out, _ = run("--list-output-formats")
    names = out.decode().split()
    check(rc == 0 and "html5" in names and "epub" in names and
          "archive" not in names, "--list-output-formats", out.decode())

    # ---- pandoc options quire does not have ------------------------------
    for args, msg in [
            (["--citeproc"], "--citeproc is a pandoc option quire does not "
                             "have"),
            (["-C"], "-C (--citeproc) is a pandoc option quire does not have"),
            (["-N"], "-N (--number-sections) is a pandoc option quire does "
                     "not have"),
            (["--number-sections"], "--number-sections is a pandoc option"),
            (["--template=x.html"], "--template is a pandoc option"),
            (["-V", "x=y"], "-V (--variable) is a pandoc option"),
            (["--filter", "f"], "--filter is a pandoc option"),
            (["-L", "f.lua"], "-L (--lua-filter) is a pandoc option"),
            (["--bibliography", "x.bib"], "--bibliography is a pandoc option"),
            (["--highlight-style=tango"], "--highlight-style is a pandoc "
                                          "option"),
            (["--shift-heading-level-by=1"], "--shift-heading-level-by is a "
                                             "pandoc option"),
            (["--list-extensions"], "--list-extensions is a pandoc option"),
            (["--chunk-template=x"], "--chunk-template is a pandoc option"),
    ]:
        usage("refused: " + " ".join(args), [CORPUS, "-t", "txt", *args], msg)

    # ---- did you mean ----------------------------------------------------
    for args, msg in [
            (["-t", "txt", "--tittle", "x"],
             "unknown option '--tittle'; did you mean '--title'?"),
            (["-t", "txt", "--recursve"], "did you mean '--recursive'?"),
            (["-t", "txt", "--colums", "40"], "did you mean '--columns'?"),
            (["-t", "epbu", "-o", "x.epub"],
             "unknown output format 'epbu' (see --list-formats); did you "
             "mean 'epub'?"),
            (["-t", "plian"], "did you mean 'plain'?"),
            (["-t", "htm"], "did you mean 'html'?"),
            (["-f", "markdwn", "-t", "txt"],
             "unknown input format 'markdwn' (see --list-formats); did you "
             "mean 'markdown'?"),
            (["-t", "html", "--html:tocc"],
             "its format or transform has no such option; did you mean "
             "'--html:toc'?"),
            (["-t", "html", "--htm:toc"],
             "no format or transform of that name is loaded; did you mean "
             "'--html:toc'?"),
            (["-t", "txt", "--transform", "clen"],
             "unknown transform 'clen' (see --list-transforms); did you mean "
             "'clean'?"),
    ]:
        usage("did you mean: " + " ".join(args), [CORPUS, *args], msg)
    for args in (["-t", "txt", "--xyzzy"], ["-t", "qqqqqqqq"]):
        rc, _, err = run(CORPUS, *args)
        check(rc == 2 and "did you mean" not in err,
              "nothing close, no suggestion: " + " ".join(args), err)

    # ---- folders: files no format reads ----------------------------------
    d = w("articles")
    os.makedirs(d)
    shutil.copy(os.path.join(CORPUS, sorted(os.listdir(CORPUS))[0]),
                os.path.join(d, "a.txt"))
    with open(os.path.join(d, "b.html"), "w") as f:
        f.write("<html><head><title>B</title></head><body><p>bee</p>"
                "</body></html>\n")
    with open(os.path.join(d, "photo.png"), "wb") as f:
        f.write(png)
    with open(os.path.join(d, "photo2.bin"), "wb") as f:
        f.write(png)
    rc, out, err = run(d, "-t", "jsonl", "--jsonl-fields", "source")
    sources = [json.loads(l)["source"] for l in out.decode().splitlines()]
    check(rc == 0 and [os.path.basename(s) for s in sources] ==
          ["a.txt", "b.html"], "a folder's PNG is skipped", err)
    check(err.count("skipped: no format reads this file") == 2 and
          "photo.png" in err and "photo2.bin" in err,
          "one warning per skipped file", err)
    rc, _, err = run(d, "--output-dir", w("outdir"), "-t", "txt")
    check(rc == 0 and sorted(os.listdir(w("outdir"))) == ["a.txt", "b.txt"],
          "a skipped file claims no --output-dir name",
          err + str(os.listdir(w("outdir")) if os.path.isdir(w("outdir"))
                    else ""))
    rc, _, err = run(d, "-t", "txt", "--strict")
    check(rc == 1 and "cannot tell the format" in err,
          "--strict: the PNG fails, exit 1", err)
    rc, out, err = run(d, "-t", "txt", "--strict", "-k")
    check(rc == 1 and "2 inputs or documents failed" in err and b"bee" in out,
          "--strict -k: counted, the rest written", err)
    rc, _, err = run(d, "-f", "txt", "-t", "txt")
    check("skipped" not in err, "-f: nothing skipped", err)
    rc, _, err = run(os.path.join(d, "photo.png"), "-t", "txt")
    check(rc == 1 and "cannot tell the format" in err,
          "a PNG named on the command line fails", err)
    only = w("pictures")
    os.makedirs(only)
    shutil.copy(os.path.join(d, "photo.png"), only)
    rc, _, err = run(only, "-t", "txt")
    check(rc == 1 and "folder holds no file to convert" in err,
          "a folder of skipped files only", err)

    # ---- --recursive -----------------------------------------------------
    r = w("tree")
    for sub in ("b", "b/deeper", ".hidden", "z"):
        os.makedirs(os.path.join(r, sub))
    for name in ("a.txt", "b/x.txt", "b/deeper/y.txt", "b/z.txt", "c.txt",
                 ".hidden/h.txt", "b/.h.txt", "z/last.txt"):
        with open(os.path.join(r, name), "w") as f:
            f.write(name + "\n")
    os.symlink(os.path.join(r, "b"), os.path.join(r, "link-to-b"))
    rc, out, err = run(r, "--recursive", "-t", "jsonl", "--jsonl-fields",
                       "source")
    got = [os.path.relpath(json.loads(l)["source"], r)
           for l in out.decode().splitlines()]
    check(rc == 0 and got == ["a.txt", "b/deeper/y.txt", "b/x.txt",
                              "b/z.txt", "c.txt", "z/last.txt"],
          "--recursive: sub-folders' files in place, no hidden, no links",
          str(got) + err)
    rc, out, err = run(r, "-t", "jsonl", "--jsonl-fields", "source")
    got = [os.path.relpath(json.loads(l)["source"], r)
           for l in out.decode().splitlines()]
    check(rc == 0 and got == ["a.txt", "c.txt"],
          "without --recursive: the folder's own files", str(got) + err)
    usage("-R is not --recursive", [r, "-t", "txt", "-R"], "unknown option")

    # ---- --help and the man page agree -----------------------------------
    if os.path.exists(MAN):
        man = open(MAN, encoding="utf-8").read()
        plain = man.replace("\\-", "-")
        rc, out, _ = run("--help")
        helpt = out.decode()
        missing = sorted(set(o for o in re.findall(r"--[a-z][a-z0-9-]*",
                                                   helpt)
                             if o not in plain))
        check(rc == 0 and not missing, "--help's options in the man page",
              " ".join(missing))
        section = man[man.index(".SH OPTIONS"):man.index(".SS Plugin options")]
        entries = [e.replace("\\-", "-") for e in
                   re.findall(r"^\.TP\n(?:\\fB\\-.\\fR, )?\\fB((?:\\-|[a-z])+)",
                              section, re.M)]
        own = helpt.split("\nOptions of ")[0]
        in_help = set(re.findall(r"^\s+(?:-., )?(--[a-z][a-z0-9-]*)", own,
                                 re.M))
        check(entries and set(entries) == in_help,
              "the man page's option entries are --help's",
              "man only: %s; help only: %s" % (sorted(set(entries) - in_help),
                                               sorted(in_help - set(entries))))
    else:
        print("skip: no man page at", MAN)


if __name__ == "__main__":
    sys.exit(main())
