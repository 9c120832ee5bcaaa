#!/usr/bin/env python3
"""test_stream: quire --stream, records in and records out.

Usage: stream_check.py QUIRE SOURCE_DIR [--million] [--no-memory]

Checks, as a stage of a pipeline would rely on them:
  - one output record per input record, in input order, ids echoed (strings
    and integers); the record's meta as the document's where it has none
    (with -t jsonl too), an untitled document titled by its id; and the
    content each conversion gives: the same text as a file-based
    conversion of the same document (the corpus, as txt and as html; an
    EPUB sent base64-coded);
  - binary output (-t epub) base64-coded, and a ZIP that unzips;
  - -t jsonl: the jsonl writer's object, its id the record's; the same
    text and title as `quire FILE -t jsonl`;
  - bad records never stop the stream: a line that is not JSON (its line
    number in the error), a record without content, bad base64, an
    unknown format, a document that fails to read, a line past the
    max-input-size limit; exit status 1 then, 0 when all converted;
  - the same output at -j1, -j2 and -j4;
  - from a pipe, each record's result comes out before the next record is
    sent (the next stage is never starved);
  - usage errors: inputs named, no -t, an output file;
  - memory stays flat: 200,000 small records (a million with --million)
    at -j2 in under 40 MB of resident memory, with GNU time (not with
    --no-memory: under a sanitizer, memory says nothing of quire's own).
Exits 1 on any failure.  Python 3 standard library only.
"""
import base64
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile

quire, src = os.path.abspath(sys.argv[1]), sys.argv[2]
million = "--million" in sys.argv[3:]
memory = "--no-memory" not in sys.argv[3:]
failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL:", what)


def stream(records, *args, raw=None):
    """Runs quire --stream over the records (dicts, or raw lines);
    returns (output records, stderr, exit status)."""
    data = raw if raw is not None else "".join(
        (r if isinstance(r, str) else json.dumps(r)) + "\n" for r in records)
    p = subprocess.run([quire, "--stream"] + list(args),
                       input=data.encode("utf-8"), capture_output=True,
                       timeout=600)
    out = [json.loads(line) for line in p.stdout.decode("utf-8").splitlines()]
    return out, p.stderr.decode("utf-8", "replace"), p.returncode


def file_text(path, to="txt", *args):
    p = subprocess.run([quire, path, "-t", to] + list(args),
                       capture_output=True, check=True)
    return p.stdout.decode("utf-8")


def corpus_records():
    """The corpus and the test texts as records, with their paths."""
    recs = []
    for folder in ("corpus", "tests/data/text"):
        d = os.path.join(src, folder)
        for name in sorted(os.listdir(d)):
            if not name.endswith(".txt"):
                continue
            path = os.path.join(d, name)
            with open(path, encoding="utf-8", errors="replace") as f:
                text = f.read()
            # the file's stem, as a file's name gives a document with no
            # title of its own its title
            recs.append(({"id": name[:-4], "content": text,
                          "format": "txt"}, path))
    return recs


def main():
    work = tempfile.mkdtemp(prefix="quire-stream.")
    try:
        run_checks(work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    if failures:
        print("%d check(s) failed" % len(failures))
        return 1
    print("all stream checks passed")
    return 0


def run_checks(work):
    recs = corpus_records()
    check(len(recs) >= 5, "the corpus holds texts to stream")

    # Text to text: the file-based conversion's text, ids echoed, in order.
    out, err, rc = stream([r for r, _ in recs], "-t", "txt", "-j2")
    check(rc == 0, "corpus to txt exits 0 (%d: %s)" % (rc, err[:300]))
    check([o.get("id") for o in out] == [r["id"] for r, _ in recs],
          "one output record per record, in order, ids echoed")
    same = sum(1 for o, (r, path) in zip(out, recs)
               if o.get("content") == file_text(path, "txt", "-f", "txt"))
    check(same == len(recs), "%d of %d records give the text the file "
          "conversion gives" % (same, len(recs)))
    check(all(o.get("format") == "txt" and isinstance(o.get("meta"), dict)
              for o in out), "records carry format and meta")

    # To HTML, and the record's meta in the output's meta.
    out, err, rc = stream([{"id": 7, "content": "A title\n=======\n\nSome "
                            "words here.\n", "format": "txt",
                            "meta": {"language": "fr", "url": "http://x/"}}],
                          "-t", "html")
    check(rc == 0 and len(out) == 1 and out[0]["id"] == 7 and
          "<h1" in out[0].get("content", "") and
          'lang="fr"' in out[0].get("content", ""),
          "an integer id, txt to html, the record's language used")
    check(out and out[0].get("meta", {}).get("url") == "http://x/" and
          out[0].get("meta", {}).get("title") == "A title",
          "the output meta: the document's title and the record's keys")

    # The record's meta is the document's where it has none: with -t jsonl
    # too; and an untitled document is titled by its id, wherever it is.
    rec = {"id": "http://example.com/news/a", "content": "Just words.\n",
           "format": "txt"}
    out, err, rc = stream([dict(rec, id="x"), rec, rec,
                           {"id": "p1", "content": "No title.", "format":
                            "txt", "meta": {"title": "Given", "url": "http://u",
                                            "author": ["A", "B"]}},
                           {"id": "p2", "content": "Own title\n=========\n\n"
                            "Text.\n", "format": "txt",
                            "meta": {"title": "Given"}}],
                          "-t", "jsonl", "--jsonl-fields", "id,title,url,meta")
    check(rc == 0 and [o.get("title") for o in out] ==
          ["x", "a", "a", "Given", "Own title"],
          "titles from the id or the record's meta, the document's own first "
          "(%s)" % [o.get("title") for o in out])
    check(len(out) == 5 and out[3].get("url") == "http://u" and
          out[3].get("meta", {}).get("author") == ["A", "B"],
          "-t jsonl keeps the record's meta: url, authors")

    # An EPUB in, base64; an EPUB out, base64.
    book = os.path.join(work, "book.epub")
    subprocess.run([quire, os.path.join(src, "corpus"), "-o", book],
                   check=True, capture_output=True)
    with open(book, "rb") as f:
        coded = base64.b64encode(f.read()).decode("ascii")
    out, err, rc = stream([{"id": "book", "content": coded,
                            "encoding": "base64", "format": "epub"}],
                          "-t", "txt")
    check(rc == 0 and out and out[0].get("content") == file_text(book),
          "a base64 EPUB record reads as the file does")
    out, err, rc = stream([{"id": "e", "content": "Hello.\n",
                            "format": "txt"}], "-t", "epub")
    ok = False
    if rc == 0 and out and out[0].get("encoding") == "base64":
        z = zipfile.ZipFile(io.BytesIO(base64.b64decode(out[0]["content"])))
        ok = z.read("mimetype") == b"application/epub+zip"
    check(ok, "-t epub gives a base64 EPUB")

    # jsonl: the writer's own object, with the record's id.
    out, err, rc = stream([r for r, _ in recs], "-t", "jsonl")
    want = [json.loads(file_text(p, "jsonl", "-f", "txt")) for _, p in recs]
    check(rc == 0 and len(out) == len(recs), "jsonl: a record each")
    check(all(o.get("id") == r["id"] and o.get("text") == w.get("text") and
              o.get("title") == w.get("title")
              for o, (r, _), w in zip(out, recs, want)),
          "jsonl records: the record's id, the file conversion's text and "
          "title")

    # Bad records: each an error record, the stream goes on.
    big = "x" * 70000
    lines = ['{"id": 1, "content": "fine", "format": "txt"}',
             'not json at all',
             '{"id": 2}',
             '{"id": 3, "content": "!!!", "encoding": "base64"}',
             '{"id": 4, "content": "abc", "format": "no-such-format"}',
             '{"id": 5, "content": "not a zip", "format": "epub"}',
             '{"id": 6, "content": "%s", "format": "txt"}' % big,
             '{"id": 7, "content": "fine too", "format": "txt"}']
    out, err, rc = stream(lines, "-t", "txt", "--limit",
                          "max-input-size=20000")
    check(len(out) == len(lines), "a record out for every record in, bad "
          "ones too (%d of %d)" % (len(out), len(lines)))
    if len(out) == len(lines):
        check("error" not in out[0] and "error" not in out[7] and
              out[7].get("content") == "fine too\n",
              "good records around bad ones convert")
        check(out[1].get("id") is None and out[1]["error"].get("line") == 2,
              "a line that is not JSON: its line number")
        check(all("error" in out[i] and out[i]["error"].get("message")
                  for i in range(1, 7)), "bad records get error records "
              "with a message")
        check([out[i].get("id") for i in range(2, 6)] == [2, 3, 4, 5],
              "error records keep the record's id")
        check("max-input-size" in out[6]["error"]["message"],
              "a line past the limit names the limit")
    check(rc == 1 and "6 of 8 records failed" in err,
          "failed records: exit 1 and a count (%d: %s)" % (rc, err[-200:]))

    # The same output at any -j.
    many = [r for r, _ in recs] * 20
    many = [dict(r, id=i) for i, r in enumerate(many)]
    outs = {}
    for j in (1, 2, 4):
        p = subprocess.run([quire, "--stream", "-t", "jsonl", "-j%d" % j],
                           input="".join(json.dumps(r) + "\n"
                                         for r in many).encode(),
                           capture_output=True, timeout=600)
        outs[j] = p.stdout
    check(outs[1] == outs[2] == outs[4] and outs[1].count(b"\n") == len(many),
          "the same records at -j1, -j2 and -j4")

    # From a pipe, a record's result comes before the next record is sent.
    for j in ("-j1", "-j2"):
        p = subprocess.Popen([quire, "--stream", "-t", "txt", j],
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        got = []
        for i in range(3):
            p.stdin.write((json.dumps({"id": i, "content": "Line %d." % i,
                                       "format": "txt"}) + "\n").encode())
            p.stdin.flush()
            got.append(json.loads(p.stdout.readline()))
        p.stdin.close()
        rest = p.stdout.read()
        p.wait(timeout=60)
        check([g["id"] for g in got] == [0, 1, 2] and not rest and
              p.returncode == 0,
              "%s: each record's result before the next record" % j)

    # Usage errors.
    for args, what in ((["--stream", "-t", "txt", "x.txt"], "an input"),
                       (["--stream"], "no -t"),
                       (["--stream", "-t", "txt", "-o", "out.txt"],
                        "an output file")):
        p = subprocess.run([quire] + args, input=b"", capture_output=True,
                           cwd=work)
        check(p.returncode == 2 and b"--stream" in p.stderr,
              "usage error for %s" % what)

    # Memory stays flat over many small records.
    time_bin = "/usr/bin/time"
    if not memory or not os.path.exists(time_bin):
        print("note: the memory check is left out (%s)" %
              ("a sanitizer build" if not memory else "no GNU time"))
        return
    n = 1000000 if million else 200000
    path = os.path.join(work, "small.jsonl")
    with open(path, "w") as f:
        for i in range(n):
            f.write('{"id":%d,"content":"Record %d says hello.","format":'
                    '"txt"}\n' % (i, i))
    with open(path, "rb") as fin:
        p = subprocess.run([time_bin, "-f", "%M", quire, "--stream", "-t",
                            "txt", "-j2"], stdin=fin, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, timeout=1200)
    lines_out = p.stdout.count(b"\n")
    kb = int(p.stderr.decode().strip().splitlines()[-1])
    print("%d small records: %d out, peak RSS %d KB" % (n, lines_out, kb))
    check(p.returncode == 0 and lines_out == n, "every small record converted")
    check(kb < 40 * 1024, "memory flat: %d KB for %d records" % (kb, n))


if __name__ == "__main__":
    sys.exit(main())
