#!/usr/bin/env bash
# json_schema_check.sh QUIRE SOURCE_DIR
#
# Holds quire's JSON output to its schema (docs/schema/, see
# docs/formats/json.md) with scripts/validate-json:
#   - the schema itself, on the hand-made documents of tests/data/json/:
#     valid*.json, model2.json (every node, field and attribute of version
#     1.1, and a resource), corpus.json and corpus.jsonl (documents of
#     later minor versions with unknown node types and fields among them)
#     validate; every bad-*.json and bad-*.jsonl is refused, with the error
#     expected;
#   - quire's output, converted to json and to jsonl: the corpus
#     (corpus/*.txt in one run, as it is and with --clean), the pages of
#     tests/data/clean/pages/ with --clean in one run, every test input on
#     its own (tests/data/text/*.txt, tests/data/html/*.html,
#     tests/data/clean/pages/*/source.html and source.txt, any .epub under
#     tests/data/), two EPUBs quire writes (of the corpus and of
#     tests/data/html/features.html), Model 2 documents (model2.json with
#     its resource embedded and listed, pandoc's documents of every element
#     in tests/data/pandoc/), and in one run the EPUBs of
#     ../shared/peers/ that test_epub_read reads (epub-tests/, pandoc/epub/);
#     then the 130 real pages of ../shared/peers/readability-test-pages/
#     (every third in a normal run; all with QUIRE_SCHEMA_FULL=1),
#     in one run to jsonl and one with --clean to json (their 7 MB of JSON
#     Lines take validate-json half a minute).  The peers' files are checked
#     when present.  Every output must validate.
# Skips (exit 77) without python3-jsonschema; after the schema's checks,
# skips the rest when the json plugin is not built.  Every check runs; the
# script says which failed and exits 1 if any did.
set -u

if [ $# -ne 2 ]; then
  echo "usage: $0 QUIRE SOURCE_DIR" >&2
  exit 2
fi
quire=$1
src=$(cd "$2" && pwd) || exit 1
validate=$src/scripts/validate-json
data=$src/tests/data/json
cd "$src" || exit 1

checks=0
failures=0
ok() { checks=$((checks + 1)); echo "ok: $*"; }
fail() { checks=$((checks + 1)); failures=$((failures + 1)); echo "FAIL: $*"; }
finish() {
  if [ "$failures" -eq 0 ]; then
    echo "json_schema: all $checks checks passed"
    exit 0
  fi
  echo "json_schema: $failures of $checks checks failed"
  exit 1
}

if ! python3 -c 'import jsonschema' 2>/dev/null; then
  echo "SKIP: python3-jsonschema is not installed (scripts/install-deps" \
       "installs it); scripts/validate-json needs it"
  exit 77
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/quire-json-schema.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT

# ---- The schema, on hand-made documents ------------------------------------

for f in "$data"/valid*.json "$data"/model2.json "$data"/corpus.json \
         "$data"/corpus.jsonl; do
  if out=$("$validate" "$f" 2>&1); then
    ok "accepted: ${f#"$src"/}"
  else
    fail "refused: ${f#"$src"/}"
    printf '%s\n' "$out" | head -20
  fi
done

# expect_bad FILE LINE FRAGMENT: validate-json refuses FILE, saying FRAGMENT
# of the value that begins on LINE ("FILE:LINE: ...FRAGMENT").
expect_bad() {
  local file=$data/$1 out status
  out=$("$validate" "$file" 2>&1)
  status=$?
  if [ "$status" -ne 1 ]; then
    fail "$1: exit status $status, expected 1"
    printf '%s\n' "$out" | head -20
  elif ! printf '%s\n' "$out" | grep -qF "$file:$2: $3"; then
    fail "$1: no error \"$file:$2: $3\""
    printf '%s\n' "$out" | head -20
  else
    ok "refused: $1 ($3)"
  fi
}
expect_bad bad-heading-level.json 3 \
  '$.blocks[0].level: 7 is greater than the maximum of 6'
expect_bad bad-paragraph-block.json 3 \
  '$.blocks[0].content[0].type: not an inline: "heading"'
expect_bad bad-missing-blocks.json 1 "\$: 'blocks' is required"
expect_bad bad-meta-number.json 2 \
  "\$.meta.pages: 12 is not of type 'string'"
expect_bad bad-version.json 1 '$.quire: "2.0" does not match'
expect_bad bad-list-paragraph.json 3 \
  '$.blocks[0].content[0].type: a list holds only items, not "paragraph"'
expect_bad bad-inline-at-top.json 3 '$.blocks[0].type: not a block: "link"'
expect_bad bad-nul.json 3 '$.blocks[0].content[0]: U+0000 (NUL) in a string'
expect_bad bad-table-fields.json 3 \
  '$.blocks[0].content[0].content[0].align: "justify" is not one of'
expect_bad bad-table-fields.json 3 \
  '$.blocks[0].content[0].header: True was expected'
expect_bad bad-code-text.json 3 "\$.blocks[0].text: 5 is not of type 'string'"
expect_bad bad-start.json 3 \
  "\$.blocks[0].start: 1.5 is not of type 'integer'"
expect_bad bad-unknown-holds-bad.json 3 \
  "\$.blocks[0].content[0].content[0]: 'level' is required"
expect_bad bad-duplicate-key.json 1 'duplicate key "id" (quire refuses it)'
expect_bad bad-syntax.json 1 'invalid JSON:'
expect_bad bad-line.jsonl 2 "\$.blocks[0]: 'level' is required"
expect_bad bad-corpus.json 2 '$[1].meta.author: an empty array of values: []'
expect_bad bad-corpus.json 2 '$[1].blocks[0].type: not a block: "item"'
expect_bad bad-unknown-holds-bad.json 3 \
  '$.blocks[0].content[0].type: not a node type of version 1.1: "mark"'
expect_bad bad-unknown-in-1.1.json 3 \
  '$.blocks[0].content[1].type: not a node type of version 1.1: "mark"'
expect_bad bad-cell-mixed.json 4 \
  "\$.blocks[0].content[0].content[0].content[0].content[0]: \"inline text\" is not of type 'object'"
expect_bad bad-attributes.json 3 '$.blocks[0].id: "" should be non-empty'
expect_bad bad-attributes.json 3 \
  '$.blocks[0].classes[0]: not a class name (empty, or white space in it): "two words"'
expect_bad bad-attributes.json 3 \
  '$.blocks[0].attrs: not an attribute name (the id and the classes have fields of their own): "class"'
expect_bad bad-model2-fields.json 4 \
  "\$.blocks[0].content[0].quote: \"guillemets\" is not one of"
expect_bad bad-model2-fields.json 5 \
  '$.blocks[0].content[1].content: a leaf has no content: ["x"]'
expect_bad bad-model2-fields.json 6 "\$.blocks[1].style: \"greek\" is not one of"
expect_bad bad-model2-fields.json 8 \
  '$.blocks[2].content[0].width: 1.5 is greater than the maximum of 1'
expect_bad bad-model2-fields.json 10 \
  '$.blocks[2].content[1].content[0].content[0].colspan: 0 is less than the minimum of 1'
expect_bad bad-model2-fields.json 11 \
  '$.blocks[2].content[2].type: a table holds only a caption'
expect_bad bad-model2-fields.json 12 '$.blocks[3].content: Too many items match'
expect_bad bad-model2-fields.json 14 \
  '$.blocks[4].content[0].type: a definition_list holds only terms and definitions, not "item"'
expect_bad bad-model2-fields.json 15 \
  '$.blocks[5].content[0].type: a line_block holds only lines, not "paragraph"'
expect_bad bad-resources.json 3 \
  '$.resources[0].name: not a resource name (a relative path without ".."): "../etc/passwd"'
expect_bad bad-resources.json 4 "\$.resources[1].sha256: \"ABC\" does not match"
expect_bad bad-resources.json 4 "\$.resources[1].data: \"not base64!\" does not match"
expect_bad bad-resources.json 5 "\$.resources[2]: 'name' is required"
# Every bad file is checked above.
for f in "$data"/bad-*; do
  grep -q "^expect_bad ${f##*/} " "$0" || fail "${f##*/} is not checked"
done

# The command line: --corpus wants an array; usage errors give 2.
out=$("$validate" --corpus "$data/valid.json" 2>&1)
if [ $? -eq 1 ] && printf '%s\n' "$out" | grep -q 'a corpus is an array'; then
  ok "--corpus refuses a single document"
else
  fail "--corpus on a single document: $out"
fi
# check_status WANT DESCRIPTION COMMAND...: COMMAND exits with WANT.
check_status() {
  local want=$1 what=$2 status
  shift 2
  "$@" >/dev/null 2>&1
  status=$?
  if [ "$status" -eq "$want" ]; then ok "$what"
  else fail "$what: exit status $status, expected $want"; fi
}
check_status 0 "--corpus takes an array" \
  "$validate" --corpus "$data/corpus.json"
check_status 2 "no file: a usage error" "$validate"
check_status 2 "unknown option: a usage error" \
  "$validate" --nonsense "$data/valid.json"

# ---- quire's output ----------------------------------------------------------

if ! formats=$("$quire" --list-formats 2>&1); then
  fail "quire --list-formats failed: $formats"
  finish
fi
if ! printf '%s\n' "$formats" | grep -q '^json ' ||
   ! printf '%s\n' "$formats" | grep -q '^jsonl '; then
  echo "SKIP: the json plugin is not built (quire --list-formats has no" \
       "json and jsonl); only the schema was checked"
  [ "$failures" -eq 0 ] && exit 77
  finish
fi
have_clean=0
"$quire" --list-transforms 2>/dev/null | grep -q '^clean ' && have_clean=1

out=$tmp/out
mkdir -p "$out"
singles=()      # outputs of one input each: a document or an array
corpora=()      # outputs of several inputs: an array, or lines

# convert NAME KIND ARGS...: quire ARGS to json and to jsonl, as
# $out/NAME.json and $out/NAME.jsonl, listed in singles or corpora (KIND).
# With FORMATS set, to those formats only.  With -k among ARGS, inputs
# that fail are only noted: some of the peers' files are broken on purpose.
convert() {
  local name=$1 kind=$2 fmt err status
  shift 2
  for fmt in ${FORMATS:-json jsonl}; do
    err=$("$quire" "$@" -t "$fmt" -o "$out/$name.$fmt" 2>&1 >/dev/null)
    status=$?
    if [ "$status" -eq 1 ] && [[ " $* " == *" -k "* ]] &&
       [ -s "$out/$name.$fmt" ]; then
      printf '%s\n' "$err" | grep -v ': warning: ' | sed 's/^/note: /'
      status=0
    fi
    if [ "$status" -eq 0 ]; then
      if [ "$kind" = corpus ]; then corpora+=("$out/$name.$fmt")
      else singles+=("$out/$name.$fmt"); fi
    else
      fail "quire $* -t $fmt: exit status $status:" \
           "$(printf '%s\n' "$err" | grep -v ': warning: ' | head -3)"
    fi
  done
}
# name_of PATH: a file name made of a path.
name_of() { local n=${1#"$src"/}; n=${n#../}; printf '%s' "${n//\//_}"; }

convert corpus corpus corpus/*.txt
if [ "$have_clean" -eq 1 ]; then
  convert corpus-clean corpus --clean corpus/*.txt
  convert pages-clean corpus --clean tests/data/clean/pages/*/source.html
else
  echo "note: no clean transform; --clean is not checked"
fi
inputs=(tests/data/text/*.txt tests/data/html/*.html
        tests/data/clean/pages/*/source.html
        tests/data/clean/pages/*/source.txt)
while IFS= read -r -d '' epub; do
  inputs+=("$epub")
done < <(find tests/data -name '*.epub' -not -path 'tests/data/fuzz/*' -print0 | sort -z)
for input in "${inputs[@]}"; do
  convert "$(name_of "$input")" single "$input"
done
# Model 2: every node, field and attribute, and a resource embedded and
# listed; pandoc's documents of every element.
convert model2 single tests/data/json/model2.json
FORMATS=json convert model2-list single --json-resources list \
  tests/data/json/model2.json
for doc in tests/data/pandoc/every-element-1.2[23].json; do
  convert "$(name_of "$doc")" single -f pandoc-json "$doc"
done
# EPUBs quire writes, read back: sections with their info, chapters.
if "$quire" corpus/*.txt -t epub -o "$tmp/corpus.epub" >/dev/null 2>&1 &&
   "$quire" tests/data/html/features.html -o "$tmp/features.epub" \
     >/dev/null 2>&1; then
  convert corpus-epub single "$tmp/corpus.epub"
  convert features-epub single "$tmp/features.epub"
else
  fail "quire could not write the EPUBs to read back"
fi
# The EPUBs test_epub_read reads, when present.
peer_epubs=()
for epub in ../shared/peers/epub-tests/*.epub ../shared/peers/pandoc/epub/*.epub; do
  [ -f "$epub" ] && peer_epubs+=("$epub")
done
if [ ${#peer_epubs[@]} -gt 0 ]; then
  convert peer-epubs corpus -k "${peer_epubs[@]}"
else
  echo "note: no EPUBs under ../shared/peers/; they are not checked"
fi
readability=../shared/peers/readability-test-pages
if [ -d "$readability" ]; then
  # 130 real pages: 10 MB of JSON Lines that take validate-json over two
  # minutes, since the schema checks every node against its type's rule.
  # One format each way, and every third page unless QUIRE_SCHEMA_FULL=1
  # (run it so before a release).
  pages=() i=0
  for page in "$readability"/*/source.html; do
    if [ "${QUIRE_SCHEMA_FULL:-0}" = 1 ] || [ $((i % 3)) -eq 0 ]; then
      pages+=("$page")
    fi
    i=$((i + 1))
  done
  FORMATS=jsonl convert readability corpus -k "${pages[@]}"
  [ "$have_clean" -eq 1 ] &&
    FORMATS=json convert readability-clean corpus -k --clean "${pages[@]}"
else
  echo "note: $readability is missing; its pages are not checked"
fi

# validate_all [--corpus] FILE...: one run of validate-json, a check a file.
validate_all() {
  local opt=() report file errors status
  if [ "${1-}" = --corpus ]; then opt=(--corpus); shift; fi
  [ $# -eq 0 ] && return
  report=$tmp/report
  "$validate" "${opt[@]}" "$@" > "$report" 2>&1
  status=$?
  if [ "$status" -gt 1 ]; then
    fail "validate-json ${opt[*]} exit status $status: $(head -3 "$report")"
    return
  fi
  for file in "$@"; do
    errors=$(grep -cF "$file:" "$report")
    if [ "$errors" -eq 0 ]; then
      ok "valid: ${file#"$tmp"/}"
    else
      fail "${file#"$tmp"/}: $errors schema errors"
      grep -F "$file:" "$report" | head -10 | sed "s|^$tmp/||"
    fi
  done
  if [ "$status" -eq 1 ] && ! grep -qF "$tmp/" "$report"; then
    fail "validate-json exit status 1 and no error: $(head -3 "$report")"
  fi
}
validate_all "${singles[@]}"
jsons=() lines=()
for f in "${corpora[@]}"; do
  case $f in *.json) jsons+=("$f") ;; *) lines+=("$f") ;; esac
done
validate_all --corpus "${jsons[@]}"
validate_all "${lines[@]}"

# ---- What the schema accepts, quire reads ------------------------------------
# Documents of later minor versions: their unknown types and fields, with
# warnings.
for f in "$data"/valid*.json "$data"/model2.json "$data"/corpus.json \
         "$data"/corpus.jsonl; do
  if out=$("$quire" "$f" -t txt -o "$tmp/read.txt" 2>&1); then
    ok "quire reads ${f#"$src"/}"
  else
    fail "quire refuses ${f#"$src"/}: $(printf '%s\n' "$out" | head -3)"
  fi
done
finish
