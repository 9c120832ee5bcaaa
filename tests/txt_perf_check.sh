#!/bin/bash
# test_txt_perf_memory: the txt reader holds a large text once.  A 16 MB
# text of prose (scripts/bench-corpus, a paragraph a line) read to text
# peaks at most 1.6 times its size above what reading a small file takes:
# the text itself, read straight into the document and decoded in place,
# plus the tree (two nodes a paragraph).  Holding the bytes read and a
# decoded copy at once, as the reader once did, takes 2 times.
#   txt_perf_check.sh QUIRE SOURCE_DIR
# Exits 77 (a skip for ctest) without GNU time.
set -eu
quire=$1
cd "$2"
if [ ! -x /usr/bin/time ]; then
  echo "skipped: /usr/bin/time is not installed" >&2
  exit 77
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
scripts/bench-corpus 16 "$tmp/corpus" > /dev/null
cat "$tmp"/corpus/*.txt > "$tmp/big.txt"
bytes=$(stat -c %s "$tmp/big.txt")
peak() {
  /usr/bin/time -f %M -o "$tmp/kb" "$quire" -q "$1" -t txt -o /dev/null
  cat "$tmp/kb"
}
base_kb=$(peak "$tmp/corpus/000000.txt")
big_kb=$(peak "$tmp/big.txt")
ratio=$(echo "($big_kb - $base_kb) * 1024 / $bytes" | bc -l)
printf 'input %s bytes; peak RSS %s KB, %s KB for a small file: %.2f x\n' \
  "$bytes" "$big_kb" "$base_kb" "$ratio"
if [ "$(echo "$ratio > 1.6" | bc)" -eq 1 ]; then
  echo "FAIL: the reader takes more than 1.6 times the text"
  exit 1
fi
