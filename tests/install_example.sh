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
#   - the installed quire finds its own txt plugin with no variable set;
#   - every long option that `quire --help` prints is in docs/quire.1.
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
mkdir -p "$work"

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
check "installed man page is docs/quire.1" \
  cmp "$src/docs/quire.1" "$prefix/share/man/man1/quire.1"

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
  sed 's/\\-/-/g' "$src/docs/quire.1" | grep -qF -- "--$name" ||
    missing="$missing --$name"
done
if [ -z "$missing" ]; then
  ok "docs/quire.1 has every long option of quire --help"
else
  fail "docs/quire.1 lacks (as \\-\\-name):$missing"
fi

finish
