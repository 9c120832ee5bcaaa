#!/bin/bash
# test_valgrind: quire under valgrind's memcheck on one conversion per
# reader and writer (the corpus to EPUB, HTML with images and notes to
# text, a Model 2 JSON document to HTML, pandoc's EPUB of images to EPUB,
# an archive to JSON Lines): any invalid read or write, use of an
# uninitialised value, or definite leak fails.  The whole suite under
# valgrind is a run by hand (docs/reliability.md).
#   valgrind_check.sh QUIRE SOURCE_DIR
set -u
quire=$1
src=$2
if ! command -v valgrind > /dev/null; then
  echo "skipped: valgrind is not installed (Debian package valgrind)"
  exit 77
fi
cd "$src" || exit 1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
run() {   # run NAME ARGS...: quire ARGS under memcheck
  local name=$1
  shift
  if QUIRE_NO_DLCLOSE=1 valgrind --quiet --error-exitcode=99 \
       --leak-check=full --errors-for-leak-kinds=definite \
       --show-leak-kinds=definite --track-origins=yes \
       "$quire" "$@" > "$tmp/$name.out" 2> "$tmp/$name.err"; then
    echo "ok: $name"
  else
    status=$?
    if [ "$status" -eq 99 ] || grep -q "^==[0-9]*== " "$tmp/$name.err"; then
      echo "FAIL: $name: memcheck reports:"
      grep "^==[0-9]*== " "$tmp/$name.err" | head -30
      fail=1
    elif [ "$status" -gt 3 ]; then
      echo "FAIL: $name: exit status $status: $(head -3 "$tmp/$name.err")"
      fail=1
    else
      echo "ok: $name (exit status $status)"
    fi
  fi
}
run corpus-epub corpus/ -o "$tmp/corpus.epub"
run corpus-clean-jsonl --clean corpus/ -t jsonl -o "$tmp/corpus.jsonl"
run html-txt tests/data/html/features.html -t txt -o "$tmp/features.txt"
run json-html tests/data/json/model2.json -o "$tmp/model2.html"
run json-epub tests/data/json/model2.json -o "$tmp/model2.epub"
peers=../shared/peers
if [ -f "$peers/pandoc/epub/img.epub" ]; then
  run epub-epub "$peers/pandoc/epub/img.epub" -o "$tmp/img.epub"
  run epub-pandoc "$peers/pandoc/epub/wasteland.epub" -t pandoc-json \
    -o "$tmp/wasteland.json"
else
  echo "note: $peers is missing; the EPUB conversions are not checked"
fi
for a in tests/data/archive/*.zip; do
  [ -f "$a" ] && run "archive-$(basename "$a")" "$a" -t jsonl -k \
    -o "$tmp/archive.jsonl"
  break
done
exit $fail
