#!/usr/bin/env bash
# json_suite_check.sh QUIRE SOURCE_DIR
#
# Runs `quire -f json FILE -t txt -o OUT` on every file of JSONTestSuite's
# test_parsing/ (../shared/peers/jsontestsuite/, beside the repository),
# each under `timeout 10` (a timeout is a failure), and holds the result to
# docs/formats/json.md ("Strictness"):
#   n_*.json  (not JSON)     exit status 1, a message giving a line and a
#                            column (FILE:LINE:COL, or "line N, column M"),
#                            and no output file;
#   y_*.json  (JSON)         exit status 0, 1 or 2, never a signal; when it
#                            fails, not as a syntax error ("invalid JSON"):
#                            these are JSON texts, if seldom quire documents.
#                            Except a file with U+0000 in an object key,
#                            which the parser cannot hold: it fails with a
#                            message naming U+0000 or NUL;
#   i_*.json  (either)       exit status 0, 1 or 2, never a signal.
# Skips (exit 77) when the suite or the json plugin is missing.  Every
# file is checked; the script names each failure, prints a count, and
# exits 1 if any failed.
set -u

if [ $# -ne 2 ]; then
  echo "usage: $0 QUIRE SOURCE_DIR" >&2
  exit 2
fi
quire=$1
src=$(cd "$2" && pwd) || exit 1
suite=$src/../shared/peers/jsontestsuite/test_parsing

if [ ! -d "$suite" ]; then
  echo "SKIP: JSONTestSuite is missing: no $suite"
  exit 77
fi
if ! "$quire" --list-formats 2>/dev/null | grep -q '^json '; then
  echo "SKIP: the json plugin is not built (quire --list-formats has no json)"
  exit 77
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/quire-json-suite.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT

declare -A total=([n]=0 [y]=0 [i]=0) failed=([n]=0 [y]=0 [i]=0)
failures=0

# A line and a column: "FILE:LINE:COL: message", as quire places every
# error (docs/user-guide.md, core/session.c), or "line N, column M".
located=':[0-9]+:[0-9]+: |line [0-9]+, column [0-9]+'
# A U+0000 escaped inside an object key: a string holding \u0000 (not
# \\u0000) followed by a colon.
nul_key='"([^"\\]|\\.)*\\u0000([^"\\]|\\.)*"[[:space:]]*:'

for file in "$suite"/*.json; do
  name=${file##*/}
  kind=${name%%_*}
  case $kind in n | y | i) ;; *) continue ;; esac
  total[$kind]=$((total[$kind] + 1))
  out=$tmp/out.txt
  rm -f "$out"
  timeout -k 5 10 "$quire" -f json "$file" -t txt -o "$out" \
    >"$tmp/stdout" 2>"$tmp/stderr"
  status=$?
  message=$(head -c 600 "$tmp/stderr" | tr '\n' ' ')
  problem=""
  if [ "$status" -eq 124 ] || [ "$status" -eq 137 ]; then
    problem="timed out (10 s)"
  elif [ "$status" -ge 128 ]; then
    problem="killed by signal $((status - 128))"
  elif [ "$status" -gt 2 ]; then
    problem="exit status $status"
  else
    case $kind in
      n)
        if [ "$status" -ne 1 ]; then
          problem="exit status $status, expected 1"
        elif ! grep -qE "$located" "$tmp/stderr"; then
          problem="the message gives no line and column"
        elif [ -e "$out" ]; then
          problem="an output file was written"
        fi
        ;;
      y)
        if grep -qE "$nul_key" "$file"; then
          if [ "$status" -eq 0 ]; then
            problem="read, though an object key holds U+0000"
          elif ! grep -qE 'U\+0000|NUL' "$tmp/stderr"; then
            problem="the message names neither U+0000 nor NUL"
          fi
        elif [ "$status" -ne 0 ] && grep -q 'invalid JSON' "$tmp/stderr"; then
          problem="valid JSON refused as invalid JSON"
        fi
        ;;
    esac
  fi
  if [ -n "$problem" ]; then
    failed[$kind]=$((failed[$kind] + 1))
    failures=$((failures + 1))
    echo "FAIL: $name: $problem (exit status $status): $message"
  else
    echo "ok: $name (exit status $status)${message:+: ${message:0:160}}"
  fi
done

echo "json_suite: n_ (must be refused): $((total[n] - failed[n])) of" \
     "${total[n]} ok; y_ (valid JSON): $((total[y] - failed[y])) of" \
     "${total[y]} ok; i_ (either): $((total[i] - failed[i])) of ${total[i]} ok"
if [ "$failures" -ne 0 ]; then
  echo "json_suite: $failures files failed"
  exit 1
fi
echo "json_suite: all $((total[n] + total[y] + total[i])) files passed"
exit 0
