#!/bin/bash
# test_tmpdir: every temporary file quire makes goes where $TMPDIR says,
# and none is left behind.  Each case is a run that must spool: with
# TMPDIR naming a folder that does not exist it fails with a message naming
# that folder (so the file was sought there, not in /tmp); with TMPDIR
# naming an empty folder it succeeds and the folder stays empty.
#   tmpdir_check.sh QUIRE SOURCE_DIR
set -u
quire=$1
cd "$2" || exit 1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/t" "$tmp/out"
# One document of 3 MB: the text writer holds a first document past 1 MB
# in a temporary file.
for i in $(seq 120); do cat corpus/*.txt; done > "$tmp/big.txt"
fail=0

# check NAME STDIN ARGS...: STDIN is a file for standard input, or "".
check() {
  local name=$1 in=$2
  shift 2
  local missing=$tmp/no-such-folder
  (TMPDIR=$missing exec "$quire" "$@" -q < "${in:-/dev/null}") \
    2> "$tmp/err"
  local status=$?
  if [ "$status" -eq 0 ] || ! grep -q "$missing" "$tmp/err"; then
    echo "FAIL: $name: with TMPDIR=$missing: exit $status: $(cat "$tmp/err")"
    fail=1
    return
  fi
  rm -rf "$tmp/out"/*
  (TMPDIR=$tmp/t exec "$quire" "$@" -q < "${in:-/dev/null}") 2> "$tmp/err"
  status=$?
  local left
  left=$(ls -A "$tmp/t")
  if [ "$status" -ne 0 ] || [ -n "$left" ]; then
    echo "FAIL: $name: with TMPDIR set: exit $status, left '$left':" \
         "$(cat "$tmp/err")"
    fail=1
  else
    echo "ok: $name"
  fi
}

check "text writer, first document held" "" "$tmp/big.txt" -t txt \
  -o "$tmp/out/big.txt"
check "standard input read twice (--clean)" "$tmp/big.txt" - -f txt --clean \
  -t txt -o "$tmp/out/clean.txt"
check "HTML articles behind the table of contents" "" corpus -t html --toc \
  -o "$tmp/out/page.html"
check "EPUB chapters" "" corpus -t epub -o "$tmp/out/book.epub"
check "bundle (bag manifests, normalized forms)" "" bundle corpus -o "$tmp/out/bag.tar.gz"
exit $fail
