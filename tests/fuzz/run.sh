#!/bin/sh
# Run each fuzz harness over its seed corpus (make check), or, with
# FUZZ_SECONDS set and a libFuzzer build, fuzz for that long:
#   make check TESTS=tests/fuzz/run.sh FUZZ_SECONDS=300
set -eu
dir="$TOP_BUILDDIR/tests/fuzz"
fail=0
for h in "$dir"/fuzz_*; do
  [ -x "$h" ] || continue
  name=$(basename "$h")
  corpus="$TOP_SRCDIR/tests/fuzz/corpus/${name#fuzz_}"
  if [ -n "${FUZZ_SECONDS:-}" ] && "$h" -help=1 >/dev/null 2>&1; then
    work=$(mktemp -d)
    cp "$corpus"/* "$work"/
    "$h" -max_total_time="$FUZZ_SECONDS" "$work" || fail=1
    rm -rf "$work"
  else
    "$h" "$corpus" || fail=1
  fi
done
exit $fail
