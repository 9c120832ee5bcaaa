#!/bin/bash
# test_one_document: a reader whose format says it gives one document per
# input (QUIRE_FORMAT_ONE_DOCUMENT) and gives two has its second document
# failed, with the same message, output and exit status at -j1 and -j2;
# with --keep-going the first documents are written.  And the readers that
# do say it (txt, html, md) convert a corpus through an ordered transform
# (--clean, whose turn is given on early) to the same bytes at -j1 and -j2.
#   one_document_check.sh QUIRE PLUGIN_DIR SOURCE_DIR
set -u
quire=$1
plugins=$2
cd "$3" || exit 1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
for i in 1 2 3; do echo "Input number $i." > "$tmp/in$i.twodocs"; done

for j in 1 2; do
  "$quire" --plugin-dir "$plugins" -j$j --dedup "$tmp"/in*.twodocs \
    -t jsonl -o "$tmp/out$j.jsonl" 2> "$tmp/err$j"
  echo $? > "$tmp/status$j"
  "$quire" --plugin-dir "$plugins" -j$j --dedup -k "$tmp"/in*.twodocs \
    -t jsonl -o "$tmp/kept$j.jsonl" 2> "$tmp/kerr$j"
  echo $? > "$tmp/kstatus$j"
done
if [ "$(cat "$tmp/status1")" != 1 ] ||
   ! grep -q "in1.twodocs.*gave a second document" "$tmp/err1"; then
  echo "FAIL: -j1: exit $(cat "$tmp/status1"): $(cat "$tmp/err1")"
  fail=1
fi
if [ "$(cat "$tmp/kstatus1")" != 1 ] ||
   [ "$(wc -l < "$tmp/kept1.jsonl")" != 3 ]; then
  echo "FAIL: -k -j1: exit $(cat "$tmp/kstatus1"), records:" \
       "$(wc -l < "$tmp/kept1.jsonl" 2>&1)"
  fail=1
fi
for f in status err kstatus kerr kept; do
  ext=$( [ $f = kept ] && echo .jsonl )
  if ! cmp -s "$tmp/$f"1$ext "$tmp/$f"2$ext; then
    echo "FAIL: $f differs between -j1 and -j2"
    diff "$tmp/$f"1$ext "$tmp/$f"2$ext | head -5
    fail=1
  fi
done

# The real readers, through an ordered transform, at -j1 and -j2.
mkdir "$tmp/corpus"
cp corpus/*.txt "$tmp/corpus/"
"$quire" -q "$tmp/corpus" -t html -o "$tmp/corpus/pages.html"
"$quire" -q "$tmp/corpus" -t md -o "$tmp/corpus/notes.md"
for j in 1 2; do
  "$quire" -q -j$j --clean --dedup "$tmp/corpus" -t jsonl \
    -o "$tmp/clean$j.jsonl" 2> "$tmp/cerr$j"
done
if ! cmp -s "$tmp/clean1.jsonl" "$tmp/clean2.jsonl" ||
   ! cmp -s "$tmp/cerr1" "$tmp/cerr2" || [ ! -s "$tmp/clean1.jsonl" ]; then
  echo "FAIL: --clean --dedup over txt, html and md differs at -j2"
  fail=1
fi
[ $fail = 0 ] && echo "ok: $(head -1 "$tmp/err1")"
exit $fail
