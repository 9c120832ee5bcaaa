#!/bin/sh
# Replays seed inputs through a fuzz target built as a replay program:
#   fuzz_replay.sh PROGRAM DIR...
# Every file of each DIR that exists is read as the target's format under
# the build's sanitizers; a crash or report fails.  Exits 77 (skipped) when
# no DIR exists, saying which were missing.
set -eu
program=$1
shift
found=0
for dir in "$@"; do
  if [ -d "$dir" ]; then
    found=1
    find "$dir" -type f -print0 | xargs -0 -r "$program"
  else
    echo "skipped: $dir is missing"
  fi
done
[ "$found" -eq 1 ] || exit 77
echo "replayed: $*"
