#!/usr/bin/env bash
# Runs the whole xUnit suite, showing progress on stderr, and ends with the line `N passed, N
# failed`, read from the TRX log.
set -uo pipefail
cd "$(dirname "$0")/.."
results=out/test-results
rm -rf "$results"

# Progress on stderr: a line when a test class finishes its first test (the classes run in
# parallel), with the running count. A failed test's name and details go to stdout at once.
progress() {
  local done=0 failed=0 line name class
  declare -A seen=()
  while IFS= read -r line; do
    if [[ $line =~ ^\ \ (Passed|Failed|Skipped)\ ([^ \(]+) ]]; then
      done=$((done + 1))
      name=${BASH_REMATCH[2]}
      class=${name%.*}
      if [ "${BASH_REMATCH[1]}" = Failed ]; then
        failed=$((failed + 1))
        echo "$line"
      fi
      if [ -z "${seen[$class]:-}" ]; then
        seen[$class]=1
        printf 'make test: %d done, %d failed, %dm%02ds: %s\n' "$done" "$failed" $((SECONDS / 60)) $((SECONDS % 60)) "${class#EieHdl.Tests.}" >&2
      fi
    else
      echo "$line"
    fi
  done
}
dotnet test EieHdl.sln -c Release --logger "trx;LogFileName=results.trx" --logger "console;verbosity=normal" \
  --results-directory "$results" "$@" | progress
rc=${PIPESTATUS[0]}
trx=$(find "$results" -name '*.trx' | head -n 1)
if [ -z "$trx" ]; then
  echo "no test results were written (build failure?)"
  echo "0 passed, 1 failed"
  exit 1
fi
passed=$(grep -o '<Counters [^>]*' "$trx" | grep -o 'passed="[0-9]*"' | grep -o '[0-9]*')
failed=$(grep -o '<Counters [^>]*' "$trx" | grep -o 'failed="[0-9]*"' | grep -o '[0-9]*')
echo "${passed:-0} passed, ${failed:-0} failed"
[ "$rc" -eq 0 ] && [ "${failed:-0}" -eq 0 ] && [ "${passed:-0}" -gt 0 ]
