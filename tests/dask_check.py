#!/usr/bin/env python3
"""test_dask: quire as a stage of Dask distributed, on this machine.

Usage: dask_check.py QUIRE SOURCE_DIR PYTHON_DIR [--no-module]

QUIRE is the built quire, SOURCE_DIR the repository (read only: corpus/
and tests/data/text/ are read), PYTHON_DIR the build's python folder
(holding the quire module).  --no-module leaves out the Python module's
path (a sanitizer build: its libquire cannot be loaded into python).

Starts a real scheduler (dask-scheduler) and two worker processes
(dask-worker, one thread each) on 127.0.0.1, each in a process group of
its own with its --local-directory in a temporary folder made here;
builds ~2,000 JSONL records (the corpus and the test texts as text and as
HTML, one base64 EPUB made with quire, records with meta, six bad
records), partitions them with dask.bag into 7 partitions and converts
each partition
  (a) through `quire --stream -t jsonl` as a subprocess, and
  (b) through the Python module, quire.convert per record;
both must equal one single-process `quire --stream -t jsonl` run, record
for record.  Sharding changes one thing: the "record N" line numbers of
errors for lines that are not valid records count from each partition's
start; they are shifted before comparing.  For the module path, records
that Python itself finds invalid are compared by id and error-ness only,
and outputs of several documents by content only.  Both workers must
have run tasks.  Every process started is stopped in a finally block
(SIGTERM to its group, then SIGKILL), and none may be left.

Needs `distributed` (Debian python3-distributed): when this interpreter
cannot import it, the test re-runs itself with /usr/bin/python3; when
neither can, it prints "skipped: WHY" and exits 77.  Exits 1 on failure.
"""
import base64
import binascii
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

DEBIAN_PYTHON = "/usr/bin/python3"
PARTITIONS = 7
COPIES = 95                 # each base record, under as many ids
STARTUP_TIMEOUT = 120


def skip(why):
    print(f"skipped: {why}")
    sys.exit(77)


def ensure_distributed():
    """Imports distributed, or re-runs this script with Debian's python3,
    or skips."""
    try:
        import distributed  # noqa: F401
        import dask.bag  # noqa: F401
        return
    except ImportError as e:
        first = str(e)
    if (os.path.exists(DEBIAN_PYTHON) and
            os.path.realpath(sys.executable) != os.path.realpath(DEBIAN_PYTHON) and
            not os.environ.get("QUIRE_DASK_REEXEC")):
        probe = subprocess.run([DEBIAN_PYTHON, "-c",
                                "import distributed, dask.bag"],
                               capture_output=True)
        if probe.returncode == 0:
            print(f"dask_check: {sys.executable} has no distributed; "
                  f"running with {DEBIAN_PYTHON}", flush=True)
            env = dict(os.environ, QUIRE_DASK_REEXEC="1")
            os.execve(DEBIAN_PYTHON, [DEBIAN_PYTHON] + sys.argv, env)
    skip(f"the Python module distributed cannot be imported ({first}); "
         "install Debian's python3-distributed")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def tool(name, module):
    """The command that runs a dask command-line tool: the installed
    script when it runs on this interpreter's distributed, else
    `python -m`."""
    path = shutil.which(name)
    if path:
        return [path]
    return [sys.executable, "-m", module]


# ---------------------------------------------------------------- records

def make_records(quire, src, tmp):
    """The input lines, as str, one record each."""
    base = []       # (stem, text)
    for folder in ("corpus", os.path.join("tests", "data", "text")):
        d = os.path.join(src, folder)
        for name in sorted(os.listdir(d)):
            if name.endswith(".txt"):
                with open(os.path.join(d, name), encoding="utf-8",
                          errors="replace") as f:
                    base.append((name[:-4], f.read()))
    if not base:
        raise SystemExit("dask_check: no texts in corpus/ or tests/data/text/")
    html = {}
    for stem, _ in base:
        path = os.path.join(tmp, stem + ".txt")
        with open(path, "w", encoding="utf-8") as f:
            f.write(dict(base)[stem])
        p = subprocess.run([quire, path, "-t", "html", "-q"], capture_output=True,
                           check=True)
        html[stem] = p.stdout.decode("utf-8")
    book = os.path.join(tmp, "book.epub")
    subprocess.run([quire, os.path.join(src, "corpus"), "-o", book, "-q"],
                   check=True, env=dict(os.environ, SOURCE_DATE_EPOCH="1700000000"))
    with open(book, "rb") as f:
        epub = base64.b64encode(f.read()).decode("ascii")

    lines = []
    n = 0
    for copy in range(COPIES):
        for stem, text in base:
            n += 1
            # ids: strings, integers, and names whose extension picks the
            # reader (no "format" given)
            if copy % 3 == 0:
                lines.append(json.dumps({"id": n, "content": text,
                                         "format": "txt"}))
            elif copy % 3 == 1:
                lines.append(json.dumps({"id": f"doc-{n}.txt", "content": text}))
            else:
                rec = {"id": f"doc-{n}", "content": text, "format": "txt"}
                if copy % 6 == 2:
                    rec["meta"] = {"language": "fr",
                                   "url": f"http://example.com/news/{stem}-{n}"}
                lines.append(json.dumps(rec))
            n += 1
            rec = {"id": f"http://example.com/page/{stem}-{n}",
                   "content": html[stem], "format": "html"}
            if copy % 10 == 0:
                rec["meta"] = {"language": "fr", "author": ["A. Un", "B. Deux"],
                               "url": f"http://example.com/page/{stem}-{n}"}
            lines.append(json.dumps(rec))
    lines.insert(7, json.dumps({"id": "book", "content": epub,
                                "format": "epub", "encoding": "base64"}))
    # six bad records, spread over the partitions
    bad = ['{"id": "broken", "content": ',                      # not JSON
           json.dumps({"id": "no-content"}),                       # no content
           json.dumps({"id": "bad-base64", "content": "%%%",
                       "format": "epub", "encoding": "base64"}),
           json.dumps({"id": "bad-format", "content": "x",
                       "format": "no-such-format"}),
           json.dumps({"id": "bad-epub", "format": "epub",        # fails to read
                       "encoding": "base64",
                       "content": base64.b64encode(b"PK\x03\x04 not a zip").decode()}),
           json.dumps({"id": "extra", "content": "x", "colour": "red"})]
    step = len(lines) // len(bad)
    for i, b in enumerate(bad):
        lines.insert(i * step + 3, b)
    return lines


# ---------------------------------------------------------------- the tasks
# Defined here and shipped to the workers by value (cloudpickle).

def via_stream(part, quire):
    """A partition of (index, line) through `quire --stream -t jsonl`."""
    import os
    import subprocess
    start = part[0][0] if part else 0
    data = "".join(line + "\n" for _, line in part).encode("utf-8")
    p = subprocess.run([quire, "--stream", "-t", "jsonl", "-q"], input=data,
                       capture_output=True, timeout=600)
    out = p.stdout.decode("utf-8").splitlines()
    return [{"start": start, "out": out, "rc": p.returncode,
             "stderr": p.stderr.decode("utf-8", "replace")[-2000:],
             "pid": os.getpid()}]


def via_module(part):
    """A partition of (index, line) through the Python module."""
    import base64
    import binascii
    import json
    import os
    import warnings
    import quire

    def invalid(rec):
        if not isinstance(rec, dict):
            return True
        if set(rec) - {"id", "content", "format", "encoding", "meta"}:
            return True
        i = rec.get("id")
        if isinstance(i, bool) or not isinstance(i, (str, int)):
            return True
        if not isinstance(rec.get("content"), str):
            return True
        if "format" in rec and not isinstance(rec["format"], str):
            return True
        if "encoding" in rec and rec["encoding"] != "base64":
            return True
        meta = rec.get("meta", {})
        if not isinstance(meta, dict):
            return True
        for v in meta.values():
            if not (isinstance(v, str) or (isinstance(v, list) and
                                           all(isinstance(x, str) for x in v))):
                return True
        return False

    def name_of(i):
        if isinstance(i, int):
            return str(i)
        if i and len(i.encode("utf-8")) < 256 and not any(c in i for c in "\n\r\0"):
            return i
        return "record"

    out = []
    for _, line in part:
        try:
            rec = json.loads(line)
        except ValueError:
            out.append({"id": None, "error": {"message": "not JSON"},
                        "invalid": True})
            continue
        if invalid(rec):
            out.append({"id": rec.get("id") if isinstance(rec, dict) else None,
                        "error": {"message": "not a valid record"},
                        "invalid": True})
            continue
        content = rec["content"].encode("utf-8")
        if rec.get("encoding") == "base64":
            try:
                content = base64.b64decode(content, validate=True)
            except (binascii.Error, ValueError):
                out.append({"id": rec["id"],
                            "error": {"message": "not valid base64"},
                            "invalid": True})
                continue
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                data = quire.convert(content, from_=rec.get("format"),
                                     to="jsonl", name=name_of(rec["id"]),
                                     meta=rec.get("meta"))
        except quire.Error as e:
            err = {"message": str(e), "quire_message": e.message}
            if e.line:
                err["line"] = e.line
            if e.column:
                err["column"] = e.column
            out.append({"id": rec["id"], "error": err})
            continue
        text = data.decode("utf-8")
        if text.find("\n") == len(text) - 1:
            obj = json.loads(text)
            obj["id"] = rec["id"]
            out.append(obj)
        else:
            out.append({"id": rec["id"], "format": "jsonl", "content": text,
                        "several": True})
    return [{"start": part[0][0] if part else 0, "out": out,
             "pid": os.getpid()}]


# ---------------------------------------------------------------- comparing

RECORD_N = re.compile(r"^record (\d+): ")


def shift(rec, start):
    """An error record for an invalid line, its line number counted from
    the stream's start rather than from its partition's."""
    err = rec.get("error")
    if isinstance(err, dict):
        m = RECORD_N.match(err.get("message", ""))
        if m:
            n = int(m.group(1)) + start
            err = dict(err, message=f"record {n}: " + err["message"][m.end():])
            if "line" in err:
                err["line"] = int(err["line"]) + start
            rec = dict(rec, error=err)
    return rec


def same_module(mine, ref):
    """Whether a module-path result agrees with the reference record."""
    if mine.get("id") != ref.get("id"):
        return False
    if "error" in mine or "error" in ref:
        if ("error" in mine) != ("error" in ref):
            return False
        if mine.get("invalid"):
            return True
        a, b = mine["error"], ref["error"]
        # quire_error_format may name the place as "byte N", which the
        # module's Error does not carry: the message, line and column
        # are what must agree.
        return (b.get("line") == a.get("line") and
                b.get("column") == a.get("column") and
                (b["message"] == a["message"] or
                 b["message"].endswith(": " + a["quire_message"]) or
                 b["message"] == a["quire_message"]))
    if mine.get("several"):
        return ref.get("content") == mine["content"] and ref.get("documents", 0) > 1
    return mine == ref


# ---------------------------------------------------------------- processes

def start(cmd, log, env, started):
    f = open(log, "wb")
    p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=f,
                         stderr=subprocess.STDOUT, env=env,
                         start_new_session=True)
    f.close()
    started.append(p)
    return p


def group_alive(pgid):
    try:
        os.killpg(pgid, 0)
        return True
    except ProcessLookupError:
        return False
    except PermissionError:
        return True


def stop_all(started):
    """SIGTERM to each group, wait, SIGKILL what is left.  The names of
    groups still alive after that."""
    for p in started:
        try:
            os.killpg(p.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
    deadline = time.time() + 15
    for p in started:
        try:
            p.wait(timeout=max(0.1, deadline - time.time()))
        except subprocess.TimeoutExpired:
            pass
    for p in started:
        if group_alive(p.pid):
            try:
                os.killpg(p.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        try:
            p.wait(timeout=10)
        except subprocess.TimeoutExpired:
            pass
    left = []
    for p in started:
        # orphans of the group (the nanny's worker) are reaped by init
        for _ in range(100):
            if not group_alive(p.pid):
                break
            time.sleep(0.1)
        else:
            left.append(" ".join(p.args[:2]) + f" (group {p.pid})")
    return left


# ---------------------------------------------------------------- main

def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    if len(args) != 3:
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    quire, src, pydir = (os.path.abspath(a) for a in args)
    module = "--no-module" not in sys.argv[1:]
    if not os.access(quire, os.X_OK):
        print(f"dask_check: no quire at {quire}", file=sys.stderr)
        return 2
    ensure_distributed()
    import dask.bag as db
    from distributed import Client

    failures = []

    def check(cond, what):
        if not cond:
            failures.append(what)
            print("FAIL:", what, flush=True)

    tmp = tempfile.mkdtemp(prefix="quire-dask-")
    started = []
    client = None
    try:
        lines = make_records(quire, src, tmp)
        print(f"{len(lines)} records", flush=True)
        ref_run = subprocess.run([quire, "--stream", "-t", "jsonl", "-q"],
                                 input="".join(l + "\n" for l in lines).encode(),
                                 capture_output=True, timeout=600)
        check(ref_run.returncode == 1,
              f"the single run exits 1 (some records fail): {ref_run.returncode}")
        ref = [json.loads(l) for l in ref_run.stdout.decode().splitlines()]
        check(len(ref) == len(lines),
              f"the single run gives {len(ref)} records for {len(lines)}")
        nerr = sum("error" in r for r in ref)
        check(nerr == 6, f"six records fail in the single run, not {nerr}")

        port = free_port()
        env = dict(os.environ)
        env["PYTHONPATH"] = pydir + (os.pathsep + env["PYTHONPATH"]
                                     if env.get("PYTHONPATH") else "")
        env["DASK_TEMPORARY_DIRECTORY"] = tmp
        env.pop("QUIRE_DASK_REEXEC", None)
        address = f"tcp://127.0.0.1:{port}"
        start(tool("dask-scheduler", "distributed.cli.dask_scheduler") +
              ["--host", "127.0.0.1", "--port", str(port), "--no-dashboard"],
              os.path.join(tmp, "scheduler.log"), env, started)
        for w in (1, 2):
            wdir = os.path.join(tmp, f"worker{w}")
            os.mkdir(wdir)
            start(tool("dask-worker", "distributed.cli.dask_worker") +
                  [address, "--nworkers", "1", "--nthreads", "1",
                   "--no-dashboard", "--local-directory", wdir],
                  os.path.join(tmp, f"worker{w}.log"), env, started)
        t0 = time.time()
        client = Client(address, timeout=STARTUP_TIMEOUT)
        client.wait_for_workers(2, timeout=STARTUP_TIMEOUT)
        workers = sorted(client.scheduler_info()["workers"])
        print(f"scheduler and {len(workers)} workers up in "
              f"{time.time() - t0:.1f} s", flush=True)
        check(len(workers) == 2, f"two workers, not {len(workers)}")
        if module:
            # the workers import the module from the build
            ver = client.run(lambda: __import__("quire").version())
            print(f"quire module {set(ver.values())} on the workers")

        bag = db.from_sequence(list(enumerate(lines)), npartitions=PARTITIONS)
        paths = [("stream", bag.map_partitions(via_stream, quire))]
        if module:
            paths.append(("module", bag.map_partitions(via_module)))
        for what, b in paths:
            t0 = time.time()
            parts = b.compute()
            secs = time.time() - t0
            check(len(parts) == PARTITIONS,
                  f"{what}: {len(parts)} partitions, not {PARTITIONS}")
            pids = {p["pid"] for p in parts}
            check(len(pids) == 2,
                  f"{what}: the tasks ran in {len(pids)} worker processes, not 2")
            got = []
            for p in sorted(parts, key=lambda p: p["start"]):
                if what == "stream":
                    check(p["rc"] in (0, 1), f"stream: quire exited {p['rc']}: "
                                             f"{p['stderr']}")
                    got += [shift(json.loads(l), p["start"]) for l in p["out"]]
                else:
                    got += p["out"]
            check(len(got) == len(ref),
                  f"{what}: {len(got)} records, not {len(ref)}")
            bad = [i for i, (a, r) in enumerate(zip(got, ref))
                   if not (a == r if what == "stream" else same_module(a, r))]
            for i in bad[:5]:
                print(f"  {what}: record {i + 1} differs:\n"
                      f"    got {json.dumps(got[i])[:300]}\n"
                      f"    ref {json.dumps(ref[i])[:300]}")
            check(not bad, f"{what}: {len(bad)} records differ from the "
                           "single-process run")
            print(f"{what}: {len(got)} records over {len(parts)} partitions "
                  f"in {secs:.1f} s, {len(pids)} workers, "
                  f"{len(got) - len(bad)} equal to the single run", flush=True)
    finally:
        if client is not None:
            try:
                client.close(timeout=10)
            except Exception as e:     # the processes are stopped anyway
                print(f"note: closing the client: {e}")
        left = stop_all(started)
        if left:
            failures.append("processes left: " + ", ".join(left))
            print("FAIL: processes left:", ", ".join(left))
        if failures:
            for log in ("scheduler.log", "worker1.log", "worker2.log"):
                path = os.path.join(tmp, log)
                if os.path.exists(path):
                    with open(path, errors="replace") as f:
                        print(f"--- {log} (end)\n" + f.read()[-1500:])
        shutil.rmtree(tmp, ignore_errors=True)
    if failures:
        print(f"{len(failures)} failure(s)")
        return 1
    print("ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
