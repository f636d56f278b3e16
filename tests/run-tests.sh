#!/usr/bin/env bash
# Runs the whole xUnit suite and ends with the line `N passed, N failed`, read from the TRX log.
set -uo pipefail
cd "$(dirname "$0")/.."
results=out/test-results
rm -rf "$results"
dotnet test EieHdl.sln -c Release --logger "trx;LogFileName=results.trx" --results-directory "$results" "$@"
rc=$?
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
