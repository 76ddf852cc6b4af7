#!/usr/bin/env bash
# Times `wijkbudget-verify export` on a generated export against `sha256sum` of the same file,
# in the same run (the machines are shared and noisy: only the ratio means something), and runs
# the Merkle benchmarks (root and proofs from stored hashes of a 1,000,000-leaf tree).
#
# usage: tests/bench/verify_export_bench.sh [BUILD_DIR] [ENTRIES]
#   BUILD_DIR defaults to build/bench (configured as Release if missing), ENTRIES to 1000000.
# Target (issue "Ledger core"): verification within 3x of sha256sum; an inclusion proof < 50 us.
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$root/build/bench}
entries=${2:-1000000}
runs=3
out=$root/tests/bench/out
mkdir -p "$out"

if [[ ! -x $build/ledger/wijkbudget-verify || ! -x $build/tests/bench/make_export ]]; then
  cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DWB_TESTS=OFF >/dev/null
fi
cmake --build "$build" --target wijkbudget-verify make_export wijkbudget_merkle_bench >/dev/null

echo "generating an export of $entries entries in $out"
"$build/tests/bench/make_export" "$entries" "$out"
bytes=$(stat -c %s "$out/export.ndjson")
echo "export: $bytes bytes"

# Best of $runs wall-clock seconds of a command.
best_of() {
  local best="" start end took
  for _ in $(seq "$runs"); do
    start=$(date +%s.%N)
    "$@" >/dev/null
    end=$(date +%s.%N)
    took=$(echo "$end - $start" | bc -l)
    if [[ -z $best ]] || (( $(echo "$took < $best" | bc -l) )); then best=$took; fi
  done
  echo "$best"
}

vkey=$(cat "$out/log.vkey")
# Warm the page cache so both commands read from memory.
cat "$out/export.ndjson" >/dev/null
sha=$(best_of sha256sum "$out/export.ndjson")
verify=$(best_of "$build/ledger/wijkbudget-verify" export "$out/export.ndjson" \
         --checkpoint "$out/checkpoint.txt" --vkey "$vkey")
verify_one=$(best_of "$build/ledger/wijkbudget-verify" export "$out/export.ndjson" \
         --checkpoint "$out/checkpoint.txt" --vkey "$vkey" --threads 1)
memory=$(/usr/bin/time -f %M "$build/ledger/wijkbudget-verify" export "$out/export.ndjson" \
         --checkpoint "$out/checkpoint.txt" --vkey "$vkey" 2>&1 >/dev/null | tail -1)
printf 'sha256sum:                            %.3f s\n' "$sha"
printf 'wijkbudget-verify export:             %.3f s (one parsing thread per core, %s cores)\n' "$verify" "$(nproc)"
printf 'wijkbudget-verify export --threads 1: %.3f s\n' "$verify_one"
printf 'ratio verify/sha256sum:               %.2f (target <= 3)\n' "$(echo "$verify / $sha" | bc -l)"
printf 'ratio with one thread:                %.2f\n' "$(echo "$verify_one / $sha" | bc -l)"
printf 'peak memory of verify:                %s KiB\n' "$memory"

echo
"$build/tests/bench/wijkbudget_merkle_bench" --benchmark_repetitions=3 --benchmark_report_aggregates_only=true
