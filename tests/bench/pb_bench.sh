#!/usr/bin/env bash
# Times `wijkbudget pb` per file and rule against pabutools 1.2.3's timings in
# tests/pb/EXPECTED-EXAMPLES.json (same machine kind: 2 vCPU), and prints the ratio.
#
# usage: tests/bench/pb_bench.sh [BUILD_DIR] [FILE.pb ...]
#   BUILD_DIR defaults to build/bench (configured as Release if missing). Without files: the three
#   largest instances (Wroclaw 2015 150-500, Lodz 2022, Budapest 2024) from ../shared/pabulib.
#   PB_BENCH_ALL=1: every file of ../shared/pabulib (or PB_BENCH_DIR), every applicable rule.
#   PB_BENCH_RUNS: runs per measurement, best kept (default 3; 1 for add1 rules over 5 s).
# Targets (issue 6): at least 100 times faster than pabutools (ratio column >= 100), and
# mes-add1 under 10 s on every file. The first table times the whole command, reading the file
# included, where pabutools' times exclude parsing, so its ratio is conservative; the second
# (pb_rule_times) times the rules alone. Needs jq and bc.
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$root/build/bench}
shift || true
dir=${PB_BENCH_DIR:-$root/../shared/pabulib}
expected=$root/tests/pb/EXPECTED-EXAMPLES.json
runs=${PB_BENCH_RUNS:-3}

if [[ ! -x $build/api/wijkbudget ]]; then
  cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DWB_TESTS=OFF >/dev/null
fi
cmake --build "$build" --target wijkbudget pb_rule_times >/dev/null
wb=$build/api/wijkbudget

files=("$@")
if [[ ${#files[@]} -eq 0 ]]; then
  if [[ ${PB_BENCH_ALL:-0} == 1 ]]; then
    mapfile -t files < <(ls "$dir"/*.pb)
  else
    files=("$dir/Poland_Wroclaw_2015_150_-_500.pb" "$dir/Poland_Lodz_2022.pb" "$dir/Hungary_Budapest_2024.pb")
  fi
fi

# pabutools' seconds for FILE RULE, or "-" when it has none (it could not finish).
pabutools_seconds() {
  jq -r --arg file "$1" --arg rule "$2" '.timings_s[$file][$rule] // "-"' "$expected"
}

# The --rule option of a rule name of RULES.md.
rule_option() {
  case $1 in
  greedy_*) echo greedy ;;
  *_add1_greedy) echo mes-add1-greedy ;;
  *_add1) echo mes-add1 ;;
  *) echo mes ;;
  esac
}

# Wall-clock seconds of the command, best of $runs (one run if the first takes over 5 s).
best_seconds() {
  local best="" start end took
  for ((i = 0; i < runs; i++)); do
    start=$(date +%s.%N)
    "$@" >/dev/null
    end=$(date +%s.%N)
    took=$(echo "$end - $start" | bc -l)
    if [[ -z $best ]] || (($(echo "$took < $best" | bc -l))); then best=$took; fi
    if (($(echo "$took > 5" | bc -l))); then break; fi
  done
  echo "$best"
}

rules="greedy_cost mes_cost mes_cost_add1 mes_cost_add1_greedy"
worst_add1=0
worst_add1_file=""
printf '%-66s %-22s %10s %11s %9s\n' file rule "wb (s)" "pabutools" ratio
for file in "${files[@]}"; do
  name=$(basename "$file")
  file_rules=$rules
  if grep -q '^vote_type;cumulative' "$file"; then
    file_rules="greedy_cost greedy_cardinal mes_cost mes_cardinal mes_cost_add1 mes_cardinal_add1 mes_cost_add1_greedy"
  fi
  for rule in $file_rules; do
    sat=cost
    [[ $rule == *cardinal* ]] && sat=cardinal
    seconds=$(best_seconds "$wb" pb "$file" --rule "$(rule_option "$rule")" --sat "$sat")
    theirs=$(pabutools_seconds "$name" "$rule")
    ratio="-"
    if [[ $theirs != "-" ]]; then ratio=$(printf '%.0f' "$(echo "$theirs / $seconds" | bc -l)"); fi
    printf '%-66s %-22s %10.4f %11s %9s\n' "$name" "$rule" "$seconds" "$theirs" "$ratio"
    if [[ $rule == *add1 ]] && (($(echo "$seconds > $worst_add1" | bc -l))); then
      worst_add1=$seconds
      worst_add1_file="$name $rule"
    fi
  done
done
printf '\nslowest completion (add1): %.3f s (%s); target < 10 s\n' "$worst_add1" "$worst_add1_file"

echo
echo "The rules alone (the file read once, then each rule timed in-process, as pabutools' were):"
"$build/tests/bench/pb_rule_times" "$expected" "${files[@]}"
