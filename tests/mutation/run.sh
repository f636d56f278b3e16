#!/usr/bin/env bash
# Mutation check: applies each mutation of tests/mutation/mutations.txt, one at a time, to a
# copy of templates/ (the tree is never touched), renders the RTL from that copy
# (EIEHDL_TEMPLATES), and runs the fast co-simulation subset on it. A mutation is killed when
# the subset fails. Prints killed/survived per mutation and the kill rate; exits 1 if any
# mutation survived or did not apply exactly once, 2 on a broken setup.
#
# The subset (three stages; a mutation killed by one stage skips the rest):
#   1. CycleModelCosimTests, random cases on config pe2-q1-f2-w16: two PEs with depth-1 act
#      queues, fan-in 2, two entries a word, a 12-bit pointer, chains up to 5 layers (output
#      batches among them), accumulators in RAM (a quick build);
#   2. CycleModelCosimTests, random cases on config pe1-q2-f4-w64 (one PE, roomy memories,
#      accumulators in flip-flops) and the long chain past 65,536 cycles that carries the CCU's
#      cycle counter into its upper half;
#   3. AxiLiteCosimTests (4 PEs behind the AXI4-Lite slave, the protocol monitor on every
#      cycle): random chains with and without back-pressure, SLVERR while a run goes and for
#      unmapped, wrong-way and partial-strobe accesses. The test that breaks the bridge itself
#      is left out: it asserts the unmutated text.
#   MUTATION_CASES random cases per config (default 40),
#   MUTATION_ONLY  run only the mutations whose names contain this text,
#   MUTATION_SHARD=k/n  run only the mutations whose position in the list is k modulo n (0 <= k < n),
#                       so that n runs can share the work; each reports its own part,
#   MUTATION_BUILD=0  use the tests as last built (dotnet test --no-build) instead of building them.
# Mutated builds go to a temporary Verilator cache, removed at the end.
set -uo pipefail
cd "$(dirname "$0")/../.."
list=tests/mutation/mutations.txt
cases="${MUTATION_CASES:-40}"
tests="FullyQualifiedName~CycleModel.CycleModelCosimTests"
axi="FullyQualifiedName~AxiLite.AxiLiteCosimTests&FullyQualifiedName!~TheMonitorFails"
stages=("pe2-q1-f2-w16|$tests.OutputsAndCycleCountsMatchTheRtl" "pe1-q2-f4-w64|$tests" "pe2-q1-f2-w16|$axi")
configs="pe2-q1-f2-w16 then pe1-q2-f4-w64 with the long chain, then the AXI4-Lite tests"
work=$(mktemp -d "${TMPDIR:-/tmp}/eiehdl-mutation-XXXXXX")
trap 'rm -rf "$work"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

run_subset() { # $1: templates folder ("" = embedded), $2: log file; fails at the first failing stage
  : > "$2"
  local stage
  for stage in "${stages[@]}"; do
    env ${1:+EIEHDL_TEMPLATES="$1" EIEHDL_CACHE="$work/cache"} EIE_CYCLE_CONFIGS="${stage%%|*}" EIE_CYCLE_CASES="$cases" \
      dotnet test tests/EieHdl.Tests -c Release --no-build --filter "${stage#*|}" >> "$2" 2>&1 || return 1
  done
}

# Parse the list: name, file, original, replacement; each original must occur exactly once.
mapfile -t entries < <(python3 - "$list" <<'PY'
import sys
body = [l.rstrip('\n') for l in open(sys.argv[1]) if l.strip() and not l.startswith('#')]
if len(body) % 3: sys.exit(f"{sys.argv[1]}: {len(body)} lines, not groups of three")
for k in range(0, len(body), 3):
    head, old, new = body[k:k + 3]
    if not (head.startswith('= ') and old.startswith('- ') and new.startswith('+ ')):
        sys.exit(f"{sys.argv[1]}: group {k // 3 + 1} must be '= name file', '- old', '+ new'")
    name, file = head[2:].split()
    print(f"{name}\t{file}\t{k}")
PY
) || { echo "mutation: cannot read $list" >&2; exit 2; }
[ "${#entries[@]}" -ge 1 ] || { echo "mutation: no mutations in $list" >&2; exit 2; }

shard="${MUTATION_SHARD:-0/1}"
shard_k="${shard%/*}"; shard_n="${shard#*/}"
[[ "$shard_k" =~ ^[0-9]+$ && "$shard_n" =~ ^[1-9][0-9]*$ && "$shard_k" -lt "$shard_n" ]] \
  || { echo "mutation: MUTATION_SHARD must be k/n with 0 <= k < n, got '$shard'" >&2; exit 2; }

if [ "${MUTATION_BUILD:-1}" != 0 ]; then
  echo "mutation: building the tests" >&2
  dotnet build tests/EieHdl.Tests -c Release -v q > "$work/build.log" 2>&1 || { cat "$work/build.log"; exit 2; }
fi
mkdir -p "$work/cache"
for d in "${EIEHDL_CACHE:-out/.cache/verilator}"/runtime-*; do
  case "$d" in *.tmp-*) ;; *) [ -d "$d" ] && cp -r "$d" "$work/cache/" ;; esac
done
echo "mutation: subset on the unmutated templates ($configs, $cases cases each)" >&2
if ! run_subset "" "$work/baseline.log"; then
  tail -n 40 "$work/baseline.log"; echo "mutation: the subset fails without any mutation" >&2; exit 2
fi

killed=0; survived=0; broken=0; total=0; start=$SECONDS; position=-1
results=()
for entry in "${entries[@]}"; do
  IFS=$'\t' read -r name file group <<< "$entry"
  position=$((position + 1))
  [ $((position % shard_n)) -eq "$shard_k" ] || continue
  case "$name" in *"${MUTATION_ONLY:-}"*) ;; *) continue ;; esac
  total=$((total + 1))
  rm -rf "$work/templates"; cp -r templates "$work/templates"
  if ! python3 - "$list" "$group" "$work/templates/$file" <<'PY'
import sys
body = [l.rstrip('\n') for l in open(sys.argv[1]) if l.strip() and not l.startswith('#')]
k = int(sys.argv[2]); path = sys.argv[3]
old, new = body[k + 1][2:], body[k + 2][2:]
text = open(path).read()
n = text.count(old)
if n != 1: sys.exit(f"{body[k][2:]}: the original text occurs {n} times in {path}, must be exactly once: {old}")
open(path, 'w').write(text.replace(old, new))
PY
  then broken=$((broken + 1)); results+=("BROKEN   $name"); continue; fi
  t0=$SECONDS
  if run_subset "$work/templates" "$work/$name.log"; then
    survived=$((survived + 1)); verdict=SURVIVED
  else
    killed=$((killed + 1)); verdict=KILLED
  fi
  why=$(grep -m1 -oE "(config [^ ]+ seed [0-9]+[^.]*|Assert\.[A-Za-z]+\(\) Failure.{0,100}|[A-Za-z]+Exception : .{0,100}|error.{0,100})" "$work/$name.log" | head -c 160)
  results+=("$verdict $name ($((SECONDS - t0)) s) ${why}")
  echo "mutation: $verdict $name ($((SECONDS - t0)) s, mutation $((position + 1)) of ${#entries[@]}) ${why}" >&2
done

echo "Mutations ($configs, $cases cases each; $((SECONDS - start)) s):"
printf '  %s\n' "${results[@]}"
rate=$(( total > 0 ? 100 * killed / total : 0 ))
echo "$killed killed, $survived survived, $broken did not apply: kill rate $killed/$total ($rate %)"
[ "$survived" -eq 0 ] && [ "$broken" -eq 0 ]
