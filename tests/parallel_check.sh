#!/bin/sh
# test_parallel: quire --stream sharded by GNU parallel on both cores gives
# the bytes one process gives.
#
# Usage: parallel_check.sh QUIRE SOURCE_DIR
#
# Makes a ~25 MB synthetic corpus (SOURCE_DIR/scripts/bench-corpus 25) in a
# folder of its own made with mktemp (removed at exit; nothing else is
# written or removed), turns it into JSONL records {"id", "content",
# "format": "txt"}, and checks that
#   parallel --will-cite --pipe --block 1M --keep-order -j2 \
#       QUIRE --stream -t jsonl < big.jsonl
# is byte-identical to `QUIRE --stream -t jsonl -j1 < big.jsonl`, with
# exit status 0 from both.  Skips (77) without GNU parallel.
set -eu
if [ $# -ne 2 ]; then
  echo "usage: parallel_check.sh QUIRE SOURCE_DIR" >&2
  exit 2
fi
quire=$1 src=$2
if [ ! -x "$quire" ]; then
  echo "parallel_check: no quire at $quire" >&2
  exit 2
fi
if ! command -v parallel >/dev/null 2>&1 ||
   ! parallel --version 2>/dev/null | grep -q "GNU parallel"; then
  echo "skipped: GNU parallel is not installed (Debian package parallel)"
  exit 77
fi
py=$(command -v python3)

tmp=$(mktemp -d /tmp/quire-parallel-XXXXXX)
trap 'rm -rf "$tmp"' EXIT INT TERM

"$py" "$src/scripts/bench-corpus" 25 "$tmp/corpus"
"$py" - "$tmp/corpus" "$tmp/big.jsonl" <<'PY'
import json, os, sys
folder, dest = sys.argv[1], sys.argv[2]
with open(dest, "w", encoding="utf-8") as out:
    for name in sorted(os.listdir(folder)):
        with open(os.path.join(folder, name), encoding="utf-8") as f:
            out.write(json.dumps({"id": name[:-4], "content": f.read(),
                                  "format": "txt"}) + "\n")
PY
records=$(wc -l < "$tmp/big.jsonl")
bytes=$(wc -c < "$tmp/big.jsonl")
echo "$records records, $bytes bytes"

status=0
"$quire" --stream -t jsonl -j1 < "$tmp/big.jsonl" > "$tmp/one.jsonl" || status=$?
if [ "$status" -ne 0 ]; then
  echo "FAIL: the single run exited $status"
  exit 1
fi
start=$(date +%s)
parallel --will-cite --pipe --block 1M --keep-order -j2 \
  "$quire" --stream -t jsonl < "$tmp/big.jsonl" > "$tmp/sharded.jsonl" || status=$?
end=$(date +%s)
if [ "$status" -ne 0 ]; then
  echo "FAIL: parallel exited $status (failed jobs)"
  exit 1
fi
out=$(wc -l < "$tmp/sharded.jsonl")
echo "sharded: $out records in $((end - start)) s"
if ! cmp "$tmp/one.jsonl" "$tmp/sharded.jsonl"; then
  echo "FAIL: the sharded output differs from the single run"
  exit 1
fi
if [ "$out" -ne "$records" ]; then
  echo "FAIL: $out output records for $records input records"
  exit 1
fi
echo ok
