#!/usr/bin/env bash
# bundle_check.sh QUIRE SOURCE_DIR
#
# Makes bundles of the corpus and checks them as an archivist would, with
# tools that are not quire's: the bag's layout and bagit.txt, every
# manifest line against sha256sum and sha512sum, every payload file in
# every manifest, the tag manifests, Payload-Oxum (RFC 8493 sections 2-3);
# the sources byte for byte; the normalized texts against quire's own
# conversion; the provenance in bag-info.txt; determinism; usage errors.
set -u
if [ $# -ne 2 ]; then
  echo "usage: $0 QUIRE SOURCE_DIR" >&2
  exit 2
fi
quire=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
src=$(cd "$2" && pwd) || exit 1
cd "$src" || exit 1
for tool in tar sha256sum sha512sum; do
  command -v $tool >/dev/null || { echo "SKIP: $tool is missing"; exit 77; }
done
if ! "$quire" --list-formats | grep -q '^bag '; then
  echo "SKIP: the bag plugin is not built"
  exit 77
fi

checks=0
failures=0
ok() { checks=$((checks + 1)); echo "ok: $*"; }
fail() { checks=$((checks + 1)); failures=$((failures + 1)); echo "FAIL: $*"; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/quire-bundle.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
export SOURCE_DATE_EPOCH=1700000000

# check_bag DIR: RFC 8493's rules on an extracted bag.
check_bag() {
  local bag=$1 name
  name=$(basename "$bag")
  if [ "$(cat "$bag/bagit.txt")" = "$(printf 'BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8')" ]; then
    ok "$name: bagit.txt"
  else
    fail "$name: bagit.txt is $(head -c 200 "$bag/bagit.txt")"
  fi
  for alg in sha256 sha512; do
    if (cd "$bag" && ${alg}sum --quiet --strict -c "manifest-$alg.txt"); then
      ok "$name: every line of manifest-$alg.txt matches"
    else
      fail "$name: manifest-$alg.txt does not match"
    fi
    if (cd "$bag" && ${alg}sum --quiet --strict -c "tagmanifest-$alg.txt"); then
      ok "$name: every line of tagmanifest-$alg.txt matches"
    else
      fail "$name: tagmanifest-$alg.txt does not match"
    fi
    for tag in bagit.txt bag-info.txt manifest-sha256.txt manifest-sha512.txt; do
      grep -q "  $tag\$" "$bag/tagmanifest-$alg.txt" ||
        fail "$name: $tag is not in tagmanifest-$alg.txt"
    done
    # Every payload file is in the manifest, and nothing else is.
    (cd "$bag" && find data -type f | LC_ALL=C sort) > "$tmp/files"
    sed 's/^[0-9a-f]*  //' "$bag/manifest-$alg.txt" | LC_ALL=C sort > "$tmp/listed"
    if cmp -s "$tmp/files" "$tmp/listed"; then
      ok "$name: manifest-$alg.txt lists exactly the payload ($(wc -l < "$tmp/files") files)"
    else
      fail "$name: manifest-$alg.txt and the payload differ: $(diff "$tmp/files" "$tmp/listed" | head -5)"
    fi
  done
  local bytes count oxum
  bytes=$(cd "$bag" && find data -type f -printf '%s\n' | awk '{s += $1} END {print s + 0}')
  count=$(cd "$bag" && find data -type f | wc -l)
  oxum=$(sed -n 's/^Payload-Oxum: //p' "$bag/bag-info.txt")
  if [ "$oxum" = "$bytes.$count" ]; then
    ok "$name: Payload-Oxum $oxum"
  else
    fail "$name: Payload-Oxum $oxum, the payload is $bytes.$count"
  fi
}

# ---- The corpus, cleaned, as tar.gz --------------------------------------------
mkdir -p "$tmp/a" "$tmp/b"
if "$quire" bundle --clean corpus/ -o "$tmp/a/corpus-bundle.tar.gz" \
     --bag-info Source-Organization='Example Archive' 2> "$tmp/err"; then
  ok "quire bundle --clean corpus/ -o corpus-bundle.tar.gz"
else
  fail "quire bundle failed: $(head -5 "$tmp/err")"
fi
tops=$(tar tzf "$tmp/a/corpus-bundle.tar.gz" | cut -d/ -f1 | sort -u)
[ "$tops" = corpus-bundle ] && ok "one top-level folder, corpus-bundle/" ||
  fail "top-level entries: $tops"
first=$(tar tzf "$tmp/a/corpus-bundle.tar.gz" | head -1)
[ "$first" = corpus-bundle/bagit.txt ] && ok "bagit.txt comes first" ||
  fail "the first entry is $first"
owners=$(tar tzvf "$tmp/a/corpus-bundle.tar.gz" | awk '{print $1, $2}' | sort -u)
[ "$owners" = "-rw-r--r-- 0/0" ] && ok "entries are files 0644, owner 0/0" ||
  fail "entries: $owners"
tar xzf "$tmp/a/corpus-bundle.tar.gz" -C "$tmp/a"
bag=$tmp/a/corpus-bundle
check_bag "$bag"
"$quire" --clean corpus/ --output-dir "$tmp/direct" -t txt 2>/dev/null
for f in corpus/*.txt; do
  if cmp -s "$f" "$bag/data/sources/$f"; then ok "source $f kept byte for byte"
  else fail "source $f: not kept as it was"; fi
  base=${f%.txt}
  if cmp -s "$tmp/direct/$(basename "$base").txt" "$bag/data/normalized/$base.txt"; then
    ok "normalized $base.txt is quire --clean's text"
  else
    fail "normalized $base.txt differs from quire --clean -t txt"
  fi
  [ -s "$bag/data/normalized/$base.html" ] && ok "normalized $base.html" ||
    fail "no normalized $base.html"
done
lines=$(wc -l < "$bag/data/normalized/corpus.jsonl")
[ "$lines" -eq 5 ] && ok "corpus.jsonl has a line per article" ||
  fail "corpus.jsonl has $lines lines"
unzip -l "$bag/data/normalized/corpus.epub" 2>/dev/null | grep -q 'META-INF/container.xml' &&
  ok "corpus.epub is an EPUB" || fail "corpus.epub is not an EPUB"
[ -s "$bag/data/clean-report.jsonl" ] && grep -q '"reason"' "$bag/data/clean-report.jsonl" &&
  ok "the clean report is in the bag" || fail "no clean report in the bag"
info=$bag/bag-info.txt
for label in Bag-Software-Agent Bagging-Date Payload-Oxum Bag-Size Quire-Command Quire-Plugins; do
  grep -q "^$label: ." "$info" && ok "bag-info.txt has $label" ||
    fail "bag-info.txt lacks $label"
done
grep -q "^Bagging-Date: 2023-11-14$" "$info" && ok "Bagging-Date from SOURCE_DATE_EPOCH" ||
  fail "Bagging-Date: $(grep Bagging-Date "$info")"
grep -q "^Quire-Command: quire bundle --clean corpus/ .*'Source-Organization=Example Archive'" "$info" &&
  ok "the command line is recorded, quoted" || fail "Quire-Command: $(grep Quire-Command "$info")"
grep -q '^Quire-Plugins: .*clean [0-9]' "$info" && ok "the clean plugin's version is recorded" ||
  fail "Quire-Plugins: $(grep Quire-Plugins "$info")"
grep -q '^Source-Organization: Example Archive$' "$info" && ok "--bag-info is in bag-info.txt" ||
  fail "no Source-Organization in bag-info.txt"

# ---- Determinism: the same command again gives the same bytes ----------------
mv "$tmp/a/corpus-bundle.tar.gz" "$tmp/b/first.tar.gz"
"$quire" bundle --clean corpus/ -o "$tmp/a/corpus-bundle.tar.gz" \
  --bag-info Source-Organization='Example Archive' 2>/dev/null
if cmp -s "$tmp/a/corpus-bundle.tar.gz" "$tmp/b/first.tar.gz"; then
  ok "a second run gives a byte-identical archive"
else
  fail "two runs differ"
fi

# ---- Other archive kinds -------------------------------------------------------
for kind in tar tar.xz tar.zst tar.bz2; do
  "$quire" bundle corpus/ -o "$tmp/k.$kind" 2>/dev/null &&
    mkdir -p "$tmp/x.$kind" && tar xf "$tmp/k.$kind" -C "$tmp/x.$kind" 2>/dev/null &&
    [ -f "$tmp/x.$kind/k/bagit.txt" ] && ok "bundle as .$kind" ||
    fail "bundle as .$kind"
done
if command -v unzip >/dev/null; then
  "$quire" bundle corpus/ --bag-no-epub --bag-formats txt -o "$tmp/z.zip" 2>/dev/null
  mkdir -p "$tmp/z" && (cd "$tmp/z" && unzip -q ../z.zip)
  check_bag "$tmp/z/z"
  ls "$tmp/z/z/data/normalized" | grep -q epub && fail "--bag-no-epub wrote an EPUB" ||
    ok "--bag-no-epub: no EPUB"
fi

# ---- Names beyond ASCII ----------------------------------------------------------
mkdir -p "$tmp/u/déjà vu"
cp corpus/002_b5077d99cde6bffe.txt "$tmp/u/déjà vu/naïve 100%.txt"
if (cd "$tmp/u" && "$quire" bundle "déjà vu/naïve 100%.txt" -o u.tar.gz 2>/dev/null) &&
   tar tzf "$tmp/u/u.tar.gz" | grep -qx 'u/data/sources/déjà vu/naïve 100%.txt'; then
  ok "a Unicode name with a space and '%' is kept as given"
else
  fail "a Unicode name: $(tar tzf "$tmp/u/u.tar.gz" 2>&1 | head -3)"
fi
grep -q '  data/sources/déjà vu/naïve 100%25.txt$' <(tar xzOf "$tmp/u/u.tar.gz" u/manifest-sha256.txt) &&
  ok "the manifest percent-encodes '%'" || fail "manifest line for the Unicode name"

# ---- quire verify agrees, and sees a change ----------------------------------------
if "$quire" verify "$tmp/a/corpus-bundle.tar.gz" >/dev/null 2>&1 &&
   "$quire" verify "$tmp/u/u.tar.gz" >/dev/null 2>&1; then
  ok "quire verify: the bundles are valid bags"
else
  fail "quire verify refuses a bundle: $("$quire" verify "$tmp/a/corpus-bundle.tar.gz" 2>&1 | head -3)"
fi
printf 'x' >> "$bag/data/normalized/corpus/001_0bd458d27c3695d7.txt"
out=$("$quire" verify "$bag" 2>&1)
[ $? -eq 1 ] && printf '%s\n' "$out" | grep -q 'data/normalized/corpus/001_0bd458d27c3695d7.txt: sha256 differs' &&
  ok "quire verify names a changed file" || fail "quire verify on a changed file: $out"

# ---- Usage errors --------------------------------------------------------------
"$quire" bundle corpus/ >/dev/null 2>&1
[ $? -eq 2 ] && ok "quire bundle without -o: usage error" || fail "no -o: not a usage error"
"$quire" bundle corpus/ -o "$tmp/u.rar" >/dev/null 2>&1
[ $? -eq 2 ] && [ ! -e "$tmp/u.rar" ] && ok "an unknown archive kind: usage error, no file" ||
  fail "unknown kind"
"$quire" bundle corpus/ -o "$tmp/v.tar" --bag-info 'no label' >/dev/null 2>&1
[ $? -eq 2 ] && ok "--bag-info without '=': usage error" || fail "bad --bag-info"

# ---- --compress-level -------------------------------------------------------
# the same bag, compressed harder or faster: smaller or larger, the same files
for level in 1 9; do
  "$quire" bundle corpus/ -o "$tmp/l$level.tar.gz" --compress-level $level \
    >/dev/null 2>&1 || fail "--compress-level $level failed"
done
s1=$(stat -c %s "$tmp/l1.tar.gz" 2>/dev/null || echo 0)
s9=$(stat -c %s "$tmp/l9.tar.gz" 2>/dev/null || echo 0)
if [ "$s1" -gt "$s9" ] && [ "$s9" -gt 0 ] &&
   cmp -s <(tar xzOf "$tmp/l1.tar.gz" --wildcards '*/data/*') \
          <(tar xzOf "$tmp/l9.tar.gz" --wildcards '*/data/*'); then
  ok "--compress-level 1 and 9: $s1 and $s9 bytes, the same payload"
else
  fail "--compress-level 1 gave $s1 bytes, 9 gave $s9"
fi
"$quire" bundle corpus/ -o "$tmp/l.tar.gz" --compress-level 10 >/dev/null 2>&1
[ $? -eq 2 ] && [ ! -e "$tmp/l.tar.gz" ] && ok "--compress-level 10 for tar.gz: usage error" ||
  fail "--compress-level 10 accepted for tar.gz"
"$quire" bundle corpus/ -o "$tmp/l.tar" --compress-level 3 >/dev/null 2>&1
[ $? -eq 2 ] && ok "--compress-level for a plain tar: usage error" ||
  fail "--compress-level accepted for a plain tar"

if [ "$failures" -eq 0 ]; then
  echo "bundle: all $checks checks passed"
  exit 0
fi
echo "bundle: $failures of $checks checks failed"
exit 1
