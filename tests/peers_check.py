#!/usr/bin/env python3
"""peers_check.py QUIRE SOURCE_DIR

Runs quire over the peer suites beside the repository (../shared/peers/,
described in its README) and fails on any crash, hang, sanitizer report or
wrong accept/reject where a suite says what is expected:

  json      JSONTestSuite test_parsing/, `-f json FILE -t txt`: y_* read
            without a syntax error ("invalid JSON"; a y_ text that is not
            a quire document may fail as such, docs/formats/json.md), n_*
            refused, i_* either way.
  html      html5lib-tests tree-construction/*.dat: each #data section
            written to a file of its own and converted `-f html -t txt`;
            every one converts or fails cleanly.
  epub      w3c epub-tests and epubcheck's zipped publications, each
            converted to txt and to epub: the valid ones (epubcheck's
            valid, info and usage; every epub-tests book except the
            ocf-url_*-leaking-relative ones) must convert both ways,
            epubcheck's fatal ones must be refused; the rest converts or
            fails cleanly.
  archives  malicious-archives (zip-slip, bombs, libarchive's tests),
            `-t txt`: converts within the limits or fails cleanly, and
            writes nothing beside its output.
  markdown  the CommonMark spec examples, when a markdown reader is loaded
            (quire --list-formats); otherwise skipped with a note.

Every run has a time limit (QUIRE_PEERS_TIMEOUT seconds, 20 by default; a
timeout is a failure), must end with a documented exit status (0, 1 or 2,
docs/user-guide.md "Messages and exit status"; never a signal), must print
no sanitizer report ("ERROR: AddressSanitizer", "runtime error:",
"LeakSanitizer") and, when it fails, must name its input on stderr.

QUIRE_PEERS_VERBOSE=1 prints the outcome of every file.  Runs go through
a pool of 2 workers (QUIRE_PEERS_JOBS).  So that the test
stays short in CI, it takes every Nth file of the large suites (a fixed,
deterministic sample, named in the output); QUIRE_PEERS_FULL=1 runs every
file.  Prints counts per suite, names each failure, and exits 1 if any run
failed, 77 (skipped) when ../shared/peers is missing.  Python 3 standard
library only.
"""

import concurrent.futures
import csv
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

SANITIZER_MARKS = ("ERROR: AddressSanitizer", "runtime error:",
                   "LeakSanitizer", "ERROR: UndefinedBehaviorSanitizer")
DOCUMENTED_STATUSES = (0, 1, 2)

# Every Nth file of each suite in the default (CI) run; 1 = all.  Chosen
# so that the sanitizer build runs the whole test in about a minute on 2
# cores; QUIRE_PEERS_FULL=1 sets them all to 1.
SAMPLE_EVERY = {"json": 2, "html": 8, "epub": 3, "archives": 1,
                "markdown": 10}

# Books a suite calls valid that quire may refuse, with why: the refusal
# is right, so they count as either way (still never a crash or a hang).
EITHER_WAY = {
    # Its spine holds only a DMG with a PSD fallback; its description says
    # "Reading systems may raise an error on the ingestion workflow".
    "epub-tests/pub-foreign_bad-fallback.epub":
        "no readable content document",
    # Valid for epubcheck, which cannot tell the algorithm; its chapter is
    # encrypted, so no reader can give its text (docs/formats/epub.md).
    "epubcheck/epub3/04-ocf/files/ocf-encryption-unknown-valid":
        "its content is encrypted",
}

# Inputs known to fail a check, by suite and name, with why; they are run
# and reported as "known failure" but do not fail the test.  Each is a bug
# in quire still to fix.
KNOWN_FAILURES = {
}


class Job:
    """One input file of one suite and the runs to make of it."""

    def __init__(self, suite, name, path, expect, outputs, reader=None,
                 data=None):
        self.suite = suite      # "json", "html", ...
        self.name = name        # what the report calls it
        self.path = path        # the input; None when data is written
        self.expect = expect    # "accept", "refuse", "syntax-ok" or "any"
        self.outputs = outputs  # output formats, one run each
        self.reader = reader    # -f FORMAT, or None
        self.data = data        # bytes written to a file named path


def run_job(quire, job, timeout, tmp_root):
    """Runs quire on the job's input once per output format, each in a
    directory of its own.  Returns (outcome, problem): outcome "accepted"
    when every run exited 0, else "refused"; problem is None or says what
    went wrong."""
    d = tempfile.mkdtemp(dir=tmp_root)
    try:
        work = os.path.join(d, "work")
        os.mkdir(work)
        path = job.path
        if job.data is not None:
            path = os.path.join(d, job.path)
            with open(path, "wb") as f:
                f.write(job.data)
        base = os.path.basename(path)
        statuses = []
        for fmt in job.outputs:
            out = os.path.join(work, "out." + fmt)
            argv = [quire]
            if job.reader:
                argv += ["-f", job.reader]
            argv += [path, "-t", fmt, "-o", out]
            # A session of its own, so that a timeout kills whatever the
            # run started too, and nothing keeps stderr open after it.
            p = subprocess.Popen(argv, cwd=work, stdin=subprocess.DEVNULL,
                                 stdout=subprocess.DEVNULL,
                                 stderr=subprocess.PIPE,
                                 start_new_session=True)
            try:
                err = p.communicate(timeout=timeout)[1]
            except subprocess.TimeoutExpired:
                os.killpg(p.pid, signal.SIGKILL)
                p.communicate()
                return "refused", "to %s: timed out (%g s)" % (fmt, timeout)
            err = err.decode("utf-8", "replace")
            first = err.strip().splitlines()[0][:200] if err.strip() else ""
            for mark in SANITIZER_MARKS:
                if mark in err:
                    at = err.index(mark)
                    return "refused", "to %s: sanitizer report: %s" % (
                        fmt, err[at:at + 300].replace("\n", " | "))
            if p.returncode < 0:
                return "refused", "to %s: killed by signal %d: %s" % (
                    fmt, -p.returncode, first)
            if p.returncode not in DOCUMENTED_STATUSES:
                return "refused", "to %s: exit status %d: %s" % (
                    fmt, p.returncode, first)
            if p.returncode != 0 and base not in err:
                return "refused", "to %s: exit status %d, but stderr does " \
                    "not name %s: %s" % (fmt, p.returncode, base, first)
            if p.returncode != 0 and os.path.exists(out):
                return "refused", "to %s: exit status %d, but an output " \
                    "was written" % (fmt, p.returncode)
            if sorted(os.listdir(d)) != sorted(
                    ["work"] + ([job.path] if job.data is not None else [])):
                return "refused", "to %s: wrote beside its output: %s" % (
                    fmt, sorted(os.listdir(d)))
            if job.expect == "syntax-ok" and "invalid JSON" in err:
                return "refused", "valid JSON refused as invalid: " + first
            statuses.append(p.returncode)
            if p.returncode != 0:
                break
        outcome = "accepted" if all(s == 0 for s in statuses) else "refused"
        if job.expect == "accept" and outcome != "accepted":
            return outcome, "refused, though the suite says it is valid: " \
                + first
        if job.expect == "refuse" and outcome != "refused":
            return outcome, "accepted, though the suite says it is invalid"
        return outcome, None
    finally:
        shutil.rmtree(d, ignore_errors=True)


def json_jobs(peers):
    """JSONTestSuite: y_ must pass the syntax, n_ must be refused."""
    d = os.path.join(peers, "jsontestsuite", "test_parsing")
    jobs = []
    for name in sorted(os.listdir(d)):
        kind = name.split("_", 1)[0]
        expect = {"y": "syntax-ok", "n": "refuse", "i": "any"}.get(kind)
        if expect and name.endswith(".json"):
            jobs.append(Job("json", name, os.path.join(d, name), expect,
                            ["txt"], reader="json"))
    return jobs


def html5lib_inputs(path):
    """The #data sections of one tree-construction .dat file, as bytes:
    the lines after "#data" up to "#errors", without the last newline."""
    with open(path, "rb") as f:
        lines = f.read().split(b"\n")
    inputs, cur = [], None
    for line in lines:
        if cur is None:
            if line == b"#data":
                cur = []
        elif line.startswith(b"#errors"):
            inputs.append(b"\n".join(cur))
            cur = None
        else:
            cur.append(line)
    return inputs


def html_jobs(peers):
    d = os.path.join(peers, "html5lib-tests", "tree-construction")
    jobs = []
    for dat in sorted(os.listdir(d)):
        if not dat.endswith(".dat"):
            continue
        for i, data in enumerate(html5lib_inputs(os.path.join(d, dat)), 1):
            name = "%s-%04d.html" % (dat[:-4], i)
            jobs.append(Job("html", name, name, "any", ["txt"],
                            reader="html", data=data))
    return jobs


def epub_jobs(peers):
    jobs = []
    d = os.path.join(peers, "epub-tests")
    for name in sorted(os.listdir(d)):
        if name.endswith(".epub"):
            hostile = name.startswith("ocf-url_") and "leaking-relative" in name
            name = "epub-tests/" + name
            either = hostile or name in EITHER_WAY
            jobs.append(Job("epub", name, os.path.join(d, name[11:]),
                            "any" if either else "accept", ["txt", "epub"]))
    d = os.path.join(peers, "epubcheck")
    with open(os.path.join(d, "MANIFEST.tsv"), newline="") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    for row in rows:
        if row["kind"] == "dir":
            path = os.path.join(d, "zipped", row["item"] + ".epub")
        elif row["kind"] == "epub":
            path = os.path.join(d, "resources", row["item"])
        else:
            continue
        if not os.path.isfile(path):
            continue
        name = "epubcheck/" + row["item"]
        if name in EITHER_WAY:
            expect = "any"
        elif row["expected"] in ("valid", "info", "usage"):
            expect = "accept"
        elif row["expected"] == "fatal":
            expect = "refuse"
        else:
            expect = "any"
        jobs.append(Job("epub", name, path, expect, ["txt", "epub"]))
    return jobs


def archive_jobs(peers):
    d = os.path.join(peers, "malicious-archives")
    jobs = []
    for sub in sorted(os.listdir(d)):
        if not os.path.isdir(os.path.join(d, sub)):
            continue
        for name in sorted(os.listdir(os.path.join(d, sub))):
            if name.endswith((".md", ".txt")):
                continue
            jobs.append(Job("archives", sub + "/" + name,
                            os.path.join(d, sub, name), "any", ["txt"]))
    return jobs


def markdown_jobs(peers, reader):
    with open(os.path.join(peers, "commonmark-spec", "spec.json")) as f:
        examples = json.load(f)
    return [Job("markdown", "example-%03d.md" % e["example"],
                "example-%03d.md" % e["example"], "any", ["html"],
                reader=reader, data=e["markdown"].encode("utf-8"))
            for e in examples]


def main():
    if len(sys.argv) != 3:
        print("usage: peers_check.py QUIRE SOURCE_DIR", file=sys.stderr)
        return 2
    quire = os.path.abspath(sys.argv[1])
    peers = os.path.normpath(os.path.join(os.path.abspath(sys.argv[2]),
                                          "..", "shared", "peers"))
    if not os.path.isdir(peers):
        print("SKIP: the peer suites are missing: no %s" % peers)
        return 77
    full = os.environ.get("QUIRE_PEERS_FULL") == "1"
    timeout = float(os.environ.get("QUIRE_PEERS_TIMEOUT", "20"))
    workers = int(os.environ.get("QUIRE_PEERS_JOBS", "2"))
    verbose = os.environ.get("QUIRE_PEERS_VERBOSE") == "1"

    listing = subprocess.run([quire, "--list-formats"], capture_output=True,
                             text=True, check=True).stdout
    readers = {line.split()[0] for line in listing.splitlines()
               if len(line.split()) > 1 and line.split()[1].startswith("r")}

    suites = []   # (suite, jobs or None, note)
    for suite, needs, make in (
            ("json", "json", lambda: json_jobs(peers)),
            ("html", "html", lambda: html_jobs(peers)),
            ("epub", "epub", lambda: epub_jobs(peers)),
            ("archives", "archive", lambda: archive_jobs(peers))):
        if needs not in readers:
            suites.append((suite, None, "no %s reader" % needs))
        else:
            suites.append((suite, make(), None))
    md = next((r for r in ("md", "markdown", "commonmark") if r in readers),
              None)
    if md:
        suites.append(("markdown", markdown_jobs(peers, md), None))
    else:
        suites.append(("markdown", None,
                       "no markdown reader (quire --list-formats)"))

    jobs = []
    for suite, suite_jobs, note in suites:
        if suite_jobs is None:
            print("SKIP %s: %s" % (suite, note))
            continue
        every = 1 if full else SAMPLE_EVERY[suite]
        chosen = suite_jobs[::every]
        print("%s: %d of %d files%s" % (
            suite, len(chosen), len(suite_jobs),
            "" if every == 1 else " (1 in %d; QUIRE_PEERS_FULL=1 runs "
            "all)" % every))
        jobs += chosen
    sys.stdout.flush()

    counts = {}
    failures = known = 0
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="quire-peers.") as tmp_root, \
            concurrent.futures.ThreadPoolExecutor(workers) as pool:
        futures = [(job, pool.submit(run_job, quire, job, timeout, tmp_root))
                   for job in jobs]
        for job, fut in futures:
            outcome, problem = fut.result()
            c = counts.setdefault(job.suite, dict.fromkeys(
                ("files", "accepted", "refused", "expected-right",
                 "failures"), 0))
            c["files"] += 1
            c[outcome] += 1
            if verbose:
                print("%s %s %s: %s" % ("ok" if problem is None else "--",
                                        job.suite, job.name, outcome))
            if problem is None:
                if job.expect != "any":
                    c["expected-right"] += 1
                if (job.suite, job.name) in KNOWN_FAILURES:
                    print("note: known failure %s %s now passes: take it "
                          "out of KNOWN_FAILURES" % (job.suite, job.name))
                continue
            why = KNOWN_FAILURES.get((job.suite, job.name))
            if why:
                known += 1
                print("known failure: %s %s: %s (%s)" % (
                    job.suite, job.name, problem, why))
                continue
            c["failures"] += 1
            failures += 1
            print("FAIL: %s %s: %s" % (job.suite, job.name, problem))
            sys.stdout.flush()

    expected_total = {}
    for job in jobs:
        if job.expect != "any":
            expected_total[job.suite] = expected_total.get(job.suite, 0) + 1
    for suite, c in counts.items():
        print("%-8s files %5d  accepted %5d  refused %5d  expected-right "
              "%4d of %4d  failures %d" % (
                  suite, c["files"], c["accepted"], c["refused"],
                  c["expected-right"], expected_total.get(suite, 0),
                  c["failures"]))
    print("%d runs in %.0f s; %d failures, %d known failures%s" % (
        len(jobs), time.monotonic() - started, failures, known,
        "" if full else " (a sample: QUIRE_PEERS_FULL=1 runs everything)"))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
