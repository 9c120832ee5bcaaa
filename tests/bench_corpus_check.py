#!/usr/bin/env python3
"""The benchmark's synthetic corpus (scripts/bench-corpus): articles of
5-20 KB, the size asked for, the same bytes for the same seed, other
bytes for another, and text that gzip compresses by no more than 4 to 1
(copies of the corpus would give far more).

    bench_corpus_check.py SOURCE_DIR"""
import gzip
import os
import subprocess
import sys
import tempfile


def make(root, out, seed):
    subprocess.run([sys.executable, os.path.join(root, "scripts", "bench-corpus"),
                    "0.5", out, "--seed", str(seed)], check=True, capture_output=True)
    data = {}
    for name in sorted(os.listdir(out)):
        with open(os.path.join(out, name), "rb") as f:
            data[name] = f.read()
    return data


def main():
    root = sys.argv[1]
    with tempfile.TemporaryDirectory() as tmp:
        a = make(root, os.path.join(tmp, "a"), 7)
        b = make(root, os.path.join(tmp, "b"), 7)
        c = make(root, os.path.join(tmp, "c"), 8)
    problems = []
    total = sum(len(v) for v in a.values())
    if not 500_000 <= total < 500_000 + 21 * 1024:
        problems.append(f"{total} bytes for 0.5 MB")
    # every article is written whole, the last one too
    sizes = [len(v) for v in a.values()]
    if min(sizes) < 5 * 1024 - 200 or max(sizes) > 21 * 1024:
        problems.append(f"article sizes {min(sizes)}-{max(sizes)}, not 5-20 KB")
    if a != b:
        problems.append("the same seed gave other bytes")
    if a == c:
        problems.append("another seed gave the same bytes")
    blob = b"".join(a.values())
    ratio = len(blob) / len(gzip.compress(blob, 6))
    if ratio > 4.0:
        problems.append(f"gzip compresses it {ratio:.1f} to 1, unlike prose")
    for p in problems:
        print("FAIL:", p)
    print(f"{len(a)} articles, {total} bytes, gzip -6 ratio {ratio:.2f}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
