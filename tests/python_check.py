#!/usr/bin/env python3
"""test_python: the Python module, `import quire`, from the build tree.

Usage: python_check.py SOURCE_DIR QUIRE   (PYTHONPATH holds BUILD/python)

Checks what a program using it relies on:
  - convert() gives what the command line gives for the same input and
    options (the corpus to txt, html with --fragment, jsonl but for the
    source file's name, which bytes in memory do not have; --clean);
  - meta= gives the document metadata it has none of (a title, a url);
  - a failure raises quire.Error with quire's message and place (file,
    line, column), and usage mistakes are marked as such;
  - warnings arrive as quire.QuireWarning;
  - threads convert in parallel: results equal the serial ones, and the
    GIL is released while libquire works (another thread runs meanwhile);
  - formats() lists the formats, version() the library's version.
Exits 1 on any failure.
"""
import json
import os
import subprocess
import sys
import threading
import warnings

import quire

src = sys.argv[1]
quire_bin = sys.argv[2]
failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL:", what)


def cli(path, *args):
    return subprocess.run([quire_bin, path] + list(args), capture_output=True,
                          check=True).stdout


def without_source(line):
    obj = json.loads(line)
    for key in ("id", "source"):
        obj.pop(key, None)
    obj.get("meta", {}).pop("source", None)
    return obj


def corpus():
    d = os.path.join(src, "corpus")
    return [os.path.join(d, n) for n in sorted(os.listdir(d))]


def main():
    check(quire.version().count(".") == 2, "version() is x.y.z")
    names = quire.formats()
    check("txt" in names and "html" in names and "epub" in names,
          "formats() lists the formats")

    files = corpus()
    for path in files:
        with open(path, "rb") as f:
            data = f.read()
        name = os.path.basename(path)
        for to, args, opts in (("txt", [], {}),
                               ("html", ["--fragment"], {"fragment": True}),
                               ("jsonl", [], {})):
            got = quire.convert(data, from_="txt", to=to, options=opts,
                                name=path)
            want = cli(path, "-f", "txt", "-t", to, *args)
            if to == "jsonl":
                # bytes in memory have no source file: no "source", and
                # the id is the document's place
                got, want = (without_source(x) for x in (got, want))
            check(got == want, "%s to %s: the command line's output" %
                  (name, to))
        got = quire.convert(data, from_="txt", to="txt", clean=True,
                            name=path)
        check(got == cli(path, "-f", "txt", "-t", "txt", "--clean"),
              "%s --clean: the command line's bytes" % name)

    # meta=: the document's metadata where it has none.
    got = json.loads(quire.convert(b"No title here.", from_="txt", to="jsonl",
                                   meta={"title": "Given", "url": "http://u",
                                         "author": ["A", "B"]}))
    check(got.get("title") == "Given" and got.get("url") == "http://u" and
          got.get("meta", {}).get("author") == ["A", "B"],
          "meta= gives the document a title, a url and two authors")

    # Failures: quire.Error with the place.
    try:
        quire.convert(b'{"quire": "1.1", "blocks": [', from_="json",
                      name="broken.json")
        check(False, "broken JSON raises")
    except quire.Error as e:
        check(e.file == "broken.json" and e.line == 1 and e.column > 1 and
              "JSON" in e.message and not e.usage,
              "quire.Error carries file, line, column (%r)" % (e,))
    try:
        quire.convert(b"x", to="no-such-format")
        check(False, "an unknown format raises")
    except quire.Error as e:
        check(e.usage and "no-such-format" in e.message,
              "an unknown format is a usage error")
    try:
        quire.convert(b"x", from_="txt", options={"no-such-option": "1"})
        check(False, "an unknown option raises")
    except quire.Error as e:
        check(e.usage, "an unknown option is a usage error")

    # Warnings.
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        quire.convert(b"caf\xc3\xa9 au lait, then \xff bad bytes", from_="txt")
    check(any(issubclass(w.category, quire.QuireWarning) for w in caught),
          "a repair is a QuireWarning (%s)" % [str(w.message) for w in caught])

    # Threads: the serial results, and the GIL released meanwhile.
    inputs = []
    for path in files:
        with open(path, "rb") as f:
            inputs.append(f.read())
    serial = [quire.convert(d, from_="txt", to="html") for d in inputs]
    results = {}

    def work(k):
        results[k] = [quire.convert(d, from_="txt", to="html")
                      for d in inputs for _ in range(5)]

    threads = [threading.Thread(target=work, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    want = [r for r in serial for _ in range(5)]
    check(all(results[k] == want for k in range(4)),
          "four threads converting at once give the serial results")

    big = b"\n\n".join(inputs) * 200
    started = threading.Event()
    done = []

    def long_one():
        started.set()
        done.append(quire.convert(big, from_="txt", to="html"))

    t = threading.Thread(target=long_one)
    t.start()
    started.wait()
    count = 0
    while t.is_alive():
        count += 1
    t.join()
    print("the other thread counted to %d during a %d-byte conversion" %
          (count, len(big)))
    check(done and count > 10000,
          "the GIL is released while converting (%d)" % count)

    if failures:
        print("%d check(s) failed" % len(failures))
        return 1
    print("all Python module checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
