#!/usr/bin/env bash
# install_example.sh BUILD_DIR SOURCE_DIR
#
# Installs the build into a scratch prefix and uses the result the way a
# user and a plugin author would:
#   - the installed files are there, libquire.so with its SONAME;
#   - docs/examples/upper.c builds out of tree with exactly
#       cc -shared -fPIC $(pkg-config --cflags quire) upper.c -o upper.so
#     against the installed quire.pc and headers;
#   - the installed quire loads it through QUIRE_PLUGIN_PATH and converts
#     with it;
#   - docs/examples/pack.c, a container format whose reader yields
#     sub-inputs and whose writer renders through another writer, builds
#     the same way; the installed quire packs two text files into a .qpack
#     (as txt and as html inside), the pack has the documented structure,
#     it reads back to both texts, and an error inside a pack in a pack
#     names outer!inner;
#   - the installed quire finds its own txt plugin with no variable set;
#   - the installed Python module imports and converts (`import quire`);
#   - every long option that `quire --help` prints is in the installed man
#     page (generated from docs/quire.1.in at build time).
# Every check runs; the script says which failed and exits 1 if any did.
set -u

if [ $# -ne 2 ]; then
  echo "usage: $0 BUILD_DIR SOURCE_DIR" >&2
  exit 2
fi
build=$(cd "$1" && pwd) || exit 1
src=$(cd "$2" && pwd) || exit 1
cmake=${CMAKE:-cmake}

checks=0
failures=0
ok() { checks=$((checks + 1)); echo "ok: $*"; }
fail() { checks=$((checks + 1)); failures=$((failures + 1)); echo "FAIL: $*"; }
# check DESCRIPTION COMMAND...: runs the command quietly, records the result.
check() {
  local what=$1
  shift
  if "$@" >/dev/null 2>&1; then ok "$what"; else fail "$what"; fi
}
finish() {
  if [ "$failures" -eq 0 ]; then
    echo "install: all $checks checks passed"
    exit 0
  fi
  echo "install: $failures of $checks checks failed"
  exit 1
}

for tool in "$cmake" cc pkg-config readelf; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "FAIL: $tool is needed by this test and was not found"
    exit 1
  fi
done

tmp=$(mktemp -d "${TMPDIR:-/tmp}/quire-install.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
prefix=$tmp/prefix
work=$tmp/plugin          # where upper.c is built, and upper.so lives
packdir=$tmp/pack         # where pack.c is built, and pack.so lives
mkdir -p "$work" "$packdir"

# The variables that would change what quire loads or how pkg-config looks.
unset QUIRE_PLUGIN_PATH PKG_CONFIG_SYSROOT_DIR

# ---- Install -----------------------------------------------------------------
if ! "$cmake" --install "$build" --prefix "$prefix" >"$tmp/install.log" 2>&1; then
  cat "$tmp/install.log"
  fail "cmake --install $build --prefix $prefix"
  finish
fi
ok "cmake --install into $prefix"

for f in bin/quire lib/libquire.so lib/quire/plugins/txt.so \
         include/quire/quire.h include/quire/model.h include/quire/plugin.h \
         lib/pkgconfig/quire.pc share/man/man1/quire.1; do
  check "installed $f" test -f "$prefix/$f"
done
check "bin/quire is executable" test -x "$prefix/bin/quire"

soname=$(readelf -d "$prefix/lib/libquire.so" 2>/dev/null |
         sed -n 's/.*(SONAME).*\[\(.*\)\].*/\1/p')
if [ "$soname" = "libquire.so.0" ]; then
  ok "libquire.so has SONAME libquire.so.0"
else
  fail "libquire.so has SONAME '${soname}', expected libquire.so.0"
fi
check "installed lib/libquire.so.0 (the SONAME's file)" \
  test -e "$prefix/lib/libquire.so.0"
check "installed man page is the one generated from docs/quire.1.in" \
  cmp "$build/quire.1" "$prefix/share/man/man1/quire.1"

# ---- Build the example plugin out of tree ----------------------------------
export PKG_CONFIG_PATH=$prefix/lib/pkgconfig
cp "$src/docs/examples/upper.c" "$work/" || fail "copy docs/examples/upper.c"

# pkg-config must point at this prefix's headers, not at some other
# (configure-time) prefix where stale headers could be found instead.
incdir=$(pkg-config --cflags-only-I quire 2>/dev/null | sed 's/^ *-I//; s/ *$//')
if [ -n "$incdir" ] && [ -f "$incdir/quire/plugin.h" ] &&
   [ "$(cd "$incdir" && pwd -P)" = "$(cd "$prefix/include" && pwd -P)" ]; then
  ok "pkg-config --cflags quire names $prefix/include"
else
  fail "pkg-config --cflags quire gives '-I$incdir', not -I$prefix/include" \
       "(quire.pc says prefix=$(pkg-config --variable=prefix quire 2>/dev/null))"
fi

# The command exactly as docs/writing-plugins.md gives it, unquoted on
# purpose: pkg-config's flags are split into words.
# shellcheck disable=SC2046
if (cd "$work" &&
    cc -shared -fPIC $(pkg-config --cflags quire) upper.c -o upper.so) \
    >"$tmp/cc.log" 2>&1; then
  ok "cc -shared -fPIC \$(pkg-config --cflags quire) upper.c -o upper.so"
else
  cat "$tmp/cc.log"
  fail "cc -shared -fPIC \$(pkg-config --cflags quire) upper.c -o upper.so"
  # Go on with the other checks: build it against this prefix's headers.
  if (cd "$work" && cc -shared -fPIC -I"$prefix/include" upper.c -o upper.so) \
      >"$tmp/cc.log" 2>&1; then
    echo "note: built upper.so with -I$prefix/include to run the other checks"
  else
    cat "$tmp/cc.log"
    fail "upper.c does not build against $prefix/include either"
  fi
fi

# pack.c, built exactly the same way.
cp "$src/docs/examples/pack.c" "$packdir/" || fail "copy docs/examples/pack.c"
# shellcheck disable=SC2046
if (cd "$packdir" &&
    cc -shared -fPIC $(pkg-config --cflags quire) pack.c -o pack.so) \
    >"$tmp/cc-pack.log" 2>&1; then
  ok "cc -shared -fPIC \$(pkg-config --cflags quire) pack.c -o pack.so"
else
  cat "$tmp/cc-pack.log"
  fail "cc -shared -fPIC \$(pkg-config --cflags quire) pack.c -o pack.so"
fi

quire=$prefix/bin/quire

# ---- The installed quire with the example plugin ---------------------------
if [ -f "$work/upper.so" ]; then
  formats=$(QUIRE_PLUGIN_PATH=$work "$quire" --list-formats 2>&1)
  if printf '%s\n' "$formats" | grep -q "^upper .*$work/upper.so"; then
    ok "quire --list-formats lists upper from QUIRE_PLUGIN_PATH"
  else
    printf '%s\n' "$formats"
    fail "quire --list-formats with QUIRE_PLUGIN_PATH=$work does not list upper"
  fi

  # One sentence per paragraph: text any txt reader reads as three
  # paragraphs.  Only ASCII letters are upper-cased.
  printf 'Hello, world.\n\nThe second paragraph.\n\nA third one, \303\274ber alles.\n' \
    >"$tmp/in.txt"
  expected=$(printf 'HELLO, WORLD.\n\nTHE SECOND PARAGRAPH.\n\nA THIRD ONE, \303\274BER ALLES.\n.')
  expected=${expected%.}
  got=$(cd "$tmp" && QUIRE_PLUGIN_PATH=$work "$quire" in.txt -t upper 2>&1; printf .)
  got=${got%.}
  if [ "$got" = "$expected" ]; then
    ok "quire in.txt -t upper upper-cases the text"
  else
    printf 'expected:\n%s\ngot:\n%s\n' "$expected" "$got"
    fail "quire in.txt -t upper"
  fi

  if (cd "$tmp" && QUIRE_PLUGIN_PATH=$work "$quire" in.txt -o out.upper) \
      >"$tmp/run.log" 2>&1 &&
     [ "$(cat "$tmp/out.upper"; printf .)" = "$expected." ]; then
    ok "quire in.txt -o out.upper picks the format by extension"
  else
    cat "$tmp/run.log"
    fail "quire in.txt -o out.upper"
  fi

  got=$(cd "$tmp" && QUIRE_PLUGIN_PATH=$work "$quire" --transform shout \
          in.txt -t txt 2>&1; printf .)
  got=${got%.}
  if [ "$got" = "$expected" ]; then
    ok "quire --transform shout in.txt -t txt"
  else
    printf 'expected:\n%s\ngot:\n%s\n' "$expected" "$got"
    fail "quire --transform shout in.txt -t txt"
  fi
fi

# ---- The installed quire with the example container plugin -----------------

# check_pack FILE EXT: FILE is a pack ("QPACK 1", then per file a line
# "SIZE NAME", SIZE bytes and a newline) of two files doc-1.EXT and
# doc-2.EXT; prints the body of each file to $tmp/body-N.  Bytes, not
# characters, are counted (LC_ALL=C).
check_pack() (
  export LC_ALL=C
  file=$1 ext=$2
  [ "$(head -n 1 "$file")" = "QPACK 1" ] || { echo "no QPACK 1 line"; exit 1; }
  total=$(wc -c <"$file")
  pos=8 n=0
  while [ "$pos" -lt "$total" ]; do
    header=$(tail -c +$((pos + 1)) "$file" | head -n 1)
    size=${header%% *}
    name=${header#* }
    case $size in
      ''|*[!0-9]*) echo "bad header '$header' at byte $pos"; exit 1 ;;
    esac
    n=$((n + 1))
    [ "$name" = "doc-$n.$ext" ] || { echo "file $n is '$name'"; exit 1; }
    body=$((pos + ${#header} + 1))
    tail -c +$((body + 1)) "$file" | head -c "$size" >"$tmp/body-$n"
    [ "$(tail -c +$((body + size + 1)) "$file" | head -c 1 | od -An -c |
         tr -d ' ')" = '\n' ] || { echo "file $n has no newline after it"; exit 1; }
    pos=$((body + size + 1))
  done
  [ "$pos" -eq "$total" ] && [ "$n" -eq 2 ] || { echo "$n files"; exit 1; }
)

if [ -f "$packdir/pack.so" ]; then
  printf 'Alpha words in the first file.\n' >"$tmp/a.txt"
  printf 'Beta words in the second file.\n' >"$tmp/b.txt"

  # Two text files into a pack: the writer renders each through txt.
  if (cd "$tmp" && "$quire" --plugin-dir "$packdir" a.txt b.txt \
        -o both.qpack) >"$tmp/run.log" 2>&1; then
    ok "quire --plugin-dir DIR a.txt b.txt -o both.qpack"
  else
    cat "$tmp/run.log"
    fail "quire --plugin-dir DIR a.txt b.txt -o both.qpack"
  fi
  if [ -f "$tmp/both.qpack" ] && check_pack "$tmp/both.qpack" txt \
       >"$tmp/pack.log" 2>&1 &&
     cmp -s "$tmp/body-1" "$tmp/a.txt" && cmp -s "$tmp/body-2" "$tmp/b.txt"; then
    ok "both.qpack holds doc-1.txt and doc-2.txt, each the text it came from"
  else
    cat "$tmp/pack.log" 2>/dev/null
    fail "both.qpack does not have the structure of a pack of two txt files"
  fi

  # Read back: the reader hands each file to the core as a sub-input.
  expected=$(printf 'Alpha words in the first file.\n\nBeta words in the second file.')
  # (--no-boundaries: the texts run on, without their titles and a rule)
  got=$(cd "$tmp" && "$quire" --plugin-dir "$packdir" both.qpack -t txt \
          --no-boundaries 2>&1)
  if [ "$got" = "$expected" ]; then
    ok "quire both.qpack -t txt gives both texts, in order"
  else
    printf 'expected:\n%s\ngot:\n%s\n' "$expected" "$got"
    fail "quire both.qpack -t txt"
  fi
  got=$(cd "$tmp" && "$quire" -v --plugin-dir "$packdir" both.qpack -t txt 2>&1)
  if printf '%s\n' "$got" | grep -q 'reading both.qpack!doc-2.txt as txt'; then
    ok "quire -v names the files inside as both.qpack!doc-N.txt"
  else
    printf '%s\n' "$got"
    fail "quire -v does not say how both.qpack!doc-2.txt is read"
  fi

  # The same with HTML inside: rendered through the html writer, read back
  # through the html reader.
  if (cd "$tmp" && "$quire" --plugin-dir "$packdir" a.txt b.txt \
        --pack-format html -o html.qpack) >"$tmp/run.log" 2>&1 &&
     check_pack "$tmp/html.qpack" html >"$tmp/pack.log" 2>&1 &&
     grep -q '<p>Alpha words in the first file.</p>' "$tmp/body-1" &&
     grep -q '<p>Beta words in the second file.</p>' "$tmp/body-2"; then
    ok "quire a.txt b.txt --pack-format html -o html.qpack"
  else
    cat "$tmp/run.log" "$tmp/pack.log" 2>/dev/null
    fail "quire a.txt b.txt --pack-format html -o html.qpack"
  fi
  got=$(cd "$tmp" && "$quire" --plugin-dir "$packdir" html.qpack -t txt 2>&1)
  if printf '%s\n' "$got" | grep -q '^Alpha words in the first file\.$' &&
     printf '%s\n' "$got" | grep -q '^Beta words in the second file\.$'; then
    ok "quire html.qpack -t txt gives both texts"
  else
    printf 'got:\n%s\n' "$got"
    fail "quire html.qpack -t txt"
  fi

  # An error inside a pack inside a pack names the path to it.
  printf 'QPACK 1\n99 short.txt\nnot 99 bytes\n' >"$tmp/inner.qpack"
  {
    printf 'QPACK 1\n%s inner.qpack\n' "$(wc -c <"$tmp/inner.qpack" | tr -d ' ')"
    cat "$tmp/inner.qpack"
    printf '\n'
  } >"$tmp/outer.qpack"
  got=$(cd "$tmp" && "$quire" --plugin-dir "$packdir" outer.qpack -t txt 2>&1)
  status=$?
  if [ "$status" -eq 1 ] &&
     printf '%s\n' "$got" | grep -q 'outer\.qpack!inner\.qpack.*cut short'; then
    ok "an error inside outer.qpack!inner.qpack names it, exit 1"
  else
    printf 'status %s, got:\n%s\n' "$status" "$got"
    fail "an error inside a pack in a pack"
  fi
fi

# ---- The installed quire on its own ------------------------------------------
formats=$("$quire" --list-formats 2>&1)
if printf '%s\n' "$formats" | grep -q '^txt ' &&
   printf '%s\n' "$formats" | grep '^txt ' | grep -q "$prefix/.*lib/quire/plugins/txt.so"; then
  ok "quire finds $prefix's txt plugin with no variable set"
else
  printf '%s\n' "$formats"
  fail "quire --list-formats without QUIRE_PLUGIN_PATH does not list $prefix's txt"
fi
printf 'Hello, world.\n' >"$tmp/plain.txt"
got=$(cd "$tmp" && "$quire" plain.txt -t txt 2>&1)
if [ "$got" = "Hello, world." ]; then
  ok "quire plain.txt -t txt with no variable set"
else
  printf 'got:\n%s\n' "$got"
  fail "quire plain.txt -t txt with no variable set"
fi

# ---- The installed Python module ----------------------------------------------
# (not from a sanitizer build: python3 cannot load a libquire that needs a
# sanitizer runtime python itself lacks)
if grep -qE '^QUIRE_(SANITIZE|TSAN):BOOL=ON' "$build/CMakeCache.txt"; then
  got="Hello, world."
  echo "note: a sanitizer build: the Python module is not loaded"
else
  got=$(PYTHONPATH="$prefix/lib/python3/dist-packages" python3 -c '
import quire
print(quire.convert(b"Hello, world.", from_="txt", to="txt").decode(), end="")
' 2>&1)
fi
if [ "$got" = "Hello, world." ]; then
  ok "import quire from $prefix converts with $prefix's libquire"
else
  printf 'got:\n%s\n' "$got"
  fail "the installed Python module does not convert"
fi

# ---- The man page knows every option of --help -----------------------------
help=$("$quire" --help 2>&1)
options=$(printf '%s\n' "$help" | grep -oE -- '--[a-z][a-z0-9-]*' | sort -u)
if [ -z "$options" ]; then
  printf '%s\n' "$help"
  fail "quire --help printed no long option"
fi
missing=
for opt in $options; do
  name=${opt#--}
  # troff may write each dash of an option as \- or as -
  sed 's/\\-/-/g' "$prefix/share/man/man1/quire.1" | grep -qF -- "--$name" ||
    missing="$missing --$name"
done
if [ -z "$missing" ]; then
  ok "the man page has every long option of quire --help"
else
  fail "the man page lacks (as \\-\\-name):$missing"
fi

finish
