#!/usr/bin/env python3
"""Long runs show progress on standard error when it is a terminal:
documents done of total, MB/s and time left, redrawn in place on one line
a few times a second and erased at the end; nothing when standard error is
not a terminal, with -q, when the output goes to the terminal, or for
runs under a second (cli/progress.c).

The terminal is a real pseudo-terminal (Python's pty module), so quire's
isatty() and TIOCGWINSZ see what they would in a shell; what it receives
is read back byte for byte.

    progress_check.py QUIRE SOURCE_DIR

Exits 77 (skipped) when no pseudo-terminal can be made."""
import fcntl
import math
import os
import pty
import re
import struct
import subprocess
import sys
import tempfile
import termios
import threading
import time

ERASE = "\033[K"
NUMBER = r"\d{1,3}(?:,\d{3})*"
LINE = re.compile(rf"quire: ({NUMBER})/({NUMBER}) inputs  \d+\.\d MB/s"
                  r"(?:  (?:\d+ s|\d+ min \d\d s|\d+ h \d\d min) left)?")


def run_in_terminal(argv, columns=80):
    """Runs argv with standard output and error on a new pseudo-terminal of
    `columns` columns; returns (status, what the terminal received, seconds
    from the start to its first byte or None, seconds the run took)."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, columns, 0, 0))
    # Raw output: no "\n" -> "\r\n", so the bytes read are quire's own.
    attrs = termios.tcgetattr(slave)
    attrs[1] &= ~termios.OPOST
    termios.tcsetattr(slave, termios.TCSANOW, attrs)
    chunks, first = [], []
    start = time.monotonic()

    def drain():
        # Read while it runs: a full terminal buffer would stall quire.
        while True:
            try:
                data = os.read(master, 65536)
            except OSError:      # EIO: every writer has closed the slave
                return
            if not data:
                return
            if not first:
                first.append(time.monotonic() - start)
            chunks.append(data)

    reader = threading.Thread(target=drain)
    reader.start()
    proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=slave,
                            stderr=slave)
    os.close(slave)
    status = proc.wait()
    took = time.monotonic() - start
    reader.join()
    os.close(master)
    return (status, b"".join(chunks).decode("utf-8", "replace"),
            first[0] if first else None, took)


def shown(text):
    """What a terminal line shows once `text` (no "\\n" in it) has been
    written: "\\r" returns to column 0, ESC [ K clears from the cursor to
    the end."""
    line, col = [], 0
    i = 0
    while i < len(text):
        if text.startswith(ERASE, i):
            del line[col:]
            i += len(ERASE)
            continue
        ch = text[i]
        if ch == "\r":
            col = 0
        else:
            if col < len(line):
                line[col] = ch
            else:
                line.append(ch)
            col += 1
        i += 1
    return "".join(line)


def final_line(text):
    """What the terminal's last line shows at the end of `text`."""
    return shown(text[text.rfind("\n") + 1:])


def drawn_lines(text):
    """The progress lines drawn: each is "\\r" + text + ESC [ K."""
    return [seg[:-len(ERASE)] for seg in text.split("\r")
            if seg.startswith("quire: ") and seg.endswith(ERASE)]


def same_file(a, b):
    with open(a, "rb") as fa, open(b, "rb") as fb:
        return fa.read() == fb.read()


def main():
    quire, root = sys.argv[1], sys.argv[2]
    try:
        os.close(os.openpty()[0])
    except OSError as e:
        print(f"SKIP: no pseudo-terminal: {e}")
        return 77
    problems = []
    with tempfile.TemporaryDirectory() as tmp:
        corpus = os.path.join(tmp, "b30")
        subprocess.run([sys.executable, os.path.join(root, "scripts", "bench-corpus"),
                        "30", corpus], check=True, capture_output=True)

        # The long run: the corpus named as often as it takes to last about
        # three seconds here, so that a fast machine still shows a line (the
        # same folder twice is two inputs).  Two seconds at least: on a
        # loaded machine the terminal runs may go faster than this one, and
        # each must pass the first second.  Standard error goes to a pipe:
        # this run is also the reference output.  It has the same file name
        # as the terminal run's (in another folder): a page of several
        # documents is titled by its file's name.
        copies, took = 1, 0.0
        os.mkdir(os.path.join(tmp, "ref"))
        os.mkdir(os.path.join(tmp, "tty"))
        while True:
            ref = os.path.join(tmp, "ref", "page.html")
            t0 = time.monotonic()
            r = subprocess.run([quire] + [corpus] * copies + ["-o", ref],
                               capture_output=True)
            took = time.monotonic() - t0
            if r.returncode != 0:
                print(r.stderr.decode(errors="replace"))
                print("FAIL: the reference run failed")
                return 1
            if r.stderr:
                problems.append(f"stderr to a pipe received {r.stderr[:200]!r}")
            if took >= 2.0 or copies >= 64:
                break
            copies = min(64, math.ceil(copies * 3.0 / max(took, 0.05)))
        long_args = [corpus] * copies
        print(f"long run: {copies} x 30 MB, {took:.2f} s without a terminal")

        out = os.path.join(tmp, "tty", "page.html")
        status, text, first, took = run_in_terminal([quire] + long_args + ["-o", out])
        lines = drawn_lines(text)
        print(f"terminal run: {took:.2f} s, {len(lines)} lines drawn, "
              f"first byte at {first if first is None else round(first, 2)} s")
        if status != 0:
            problems.append(f"the terminal run exited {status}: {text[-300:]!r}")
        if not any("inputs" in x and "MB/s" in x for x in lines):
            problems.append(f"no progress line with inputs and MB/s: {text[:300]!r}")
        for x in lines:
            m = LINE.fullmatch(x)
            if not m:
                problems.append(f"a progress line not in the format: {x!r}")
                break
            done, total = (int(g.replace(",", "")) for g in m.groups())
            if done > total:
                problems.append(f"more inputs done than there are: {x!r}")
                break
            if len(x) > 79:
                problems.append(f"a line wider than 79 columns: {x!r}")
                break
        if len(lines) < 2:
            problems.append("the line was not redrawn in place")
        elif len(lines) > 6 * took + 2:
            problems.append(f"{len(lines)} redraws in {took:.1f} s: "
                            "more than about five a second")
        if first is not None and first < 0.9:
            problems.append(f"something drawn {first:.2f} s in, within the first second")
        if "\n" in text:
            problems.append(f"a message or a new line on the terminal: {text!r:.300}")
        if not text.endswith("\r" + ERASE):
            problems.append(f"the terminal does not end on an erased line: "
                            f"{text[-120:]!r}")
        if final_line(text):
            problems.append(f"progress text left on the terminal: {final_line(text)!r}")
        if not os.path.exists(out):
            problems.append("no output from the terminal run")
        elif not same_file(out, ref):
            problems.append("the output differs from a run without a terminal")

        # A narrow terminal: the line is cut to its width, never wrapped.
        narrow = os.path.join(tmp, "narrow.html")
        status, text, _, _ = run_in_terminal([quire] + long_args + ["-o", narrow],
                                             columns=30)
        lines = drawn_lines(text)
        if status != 0 or not lines or any(len(x) > 29 for x in lines):
            problems.append(f"on 30 columns: status {status}, lines {lines[:3]!r}")
        if final_line(text):
            problems.append(f"progress text left on 30 columns: {final_line(text)!r}")

        # A message during the run (an input that cannot be opened, with -k
        # to go on) has its line to itself, the line erased before it, and
        # the summary at the end too.
        half = len(long_args) // 2 or 1
        status, text, _, _ = run_in_terminal(
            [quire, "-k"] + long_args[:half] + [os.path.join(tmp, "missing.txt")]
            + long_args[half:] + ["-o", os.path.join(tmp, "k.html")])
        messages = [shown(x) for x in text.split("\n")[:-1]]
        if status != 1 or len(messages) != 2 or not drawn_lines(text):
            problems.append(f"with -k and a missing input: status {status}, "
                            f"messages {messages!r}, {len(drawn_lines(text))} lines drawn")
        for m in messages:
            if not re.fullmatch(r"quire: (error: .*missing\.txt: .*|1 input .* converted)", m):
                problems.append(f"a message mixed with progress: {m!r}")
        if final_line(text):
            problems.append(f"progress text left after the messages: {final_line(text)!r}")

        # -q: nothing, however long the run.
        status, text, _, _ = run_in_terminal([quire, "-q"] + long_args
                                             + ["-o", os.path.join(tmp, "q.html")])
        if status != 0 or text:
            problems.append(f"with -q: status {status}, the terminal got {text[:200]!r}")

        # The output itself to the terminal: no line drawn over its text.
        status, text, _, _ = run_in_terminal([quire] + long_args + ["-t", "txt"])
        if status != 0 or ERASE in text or "MB/s" in text:
            problems.append(f"output to the terminal: status {status}, progress drawn")

        # A run under a second: nothing.
        status, text, _, took = run_in_terminal(
            [quire, os.path.join(root, "corpus"), "-o", os.path.join(tmp, "short.html")])
        if took >= 1.0:
            print(f"note: the short run took {took:.2f} s")
        elif status != 0 or text:
            problems.append(f"short run: status {status}, the terminal got {text[:200]!r}")

    for p in problems:
        print("FAIL:", p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
