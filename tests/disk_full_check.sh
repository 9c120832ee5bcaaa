#!/bin/bash
# test_disk_full: a disk that fills up gives a clean error naming the
# output, and leaves neither a partial output nor a temporary file; an
# existing output stays as it was.  The file size limit (ulimit -f, with
# SIGXFSZ ignored) makes every write past 16 KB fail as a full disk would
# (EFBIG rather than ENOSPC, through the same code); /dev/full, written
# directly as a device, fails with ENOSPC itself.
#   disk_full_check.sh QUIRE SOURCE_DIR
set -u
quire=$1
cd "$2" || exit 1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/out" "$tmp/tmp"
fail=0
for to in txt html xhtml epub json jsonl pandoc-json; do
  out=$tmp/out/book.$to
  echo old > "$out"
  (ulimit -f 16; trap '' XFSZ; TMPDIR=$tmp/tmp exec "$quire" -q corpus corpus \
     corpus corpus corpus -t "$to" -o "$out") 2> "$tmp/err"
  status=$?
  left=$(ls -A "$tmp/out" "$tmp/tmp" | grep -v '^book\.\|^$\|:$')
  if [ "$status" -ne 1 ] || ! grep -q "book.$to" "$tmp/err" ||
     [ "$(cat "$out")" != old ] || [ -n "$left" ]; then
    echo "FAIL: $to: exit $status, output '$(head -c 20 "$out")', left '$left':"
    cat "$tmp/err"
    fail=1
  else
    echo "ok: $to: $(cat "$tmp/err")"
  fi
done
# A device is written directly: /dev/full fails at the first flush.
"$quire" -q corpus -t txt -o /dev/full 2> "$tmp/err"
status=$?
if [ "$status" -ne 1 ] || ! grep -q "/dev/full" "$tmp/err"; then
  echo "FAIL: /dev/full: exit $status: $(cat "$tmp/err")"
  fail=1
else
  echo "ok: /dev/full: $(cat "$tmp/err")"
fi
exit $fail
