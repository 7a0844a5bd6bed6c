#!/bin/sh
# tools/bench.sh -- time paysettle on generated districts (make bench).
#
# For each size it generates a district once (build/bench/N), then runs
# `paysettle calc 2026-11` RUNS times and prints the median wall time. The
# machine is shared, so every figure comes with a baseline measured in the
# same run: `sort` of the same roster file (a fixed amount of work that
# slows down exactly when the machine does). Compare ratios, not seconds.
set -eu
cd "$(dirname "$0")/.."
RUNS=${RUNS:-5}
SIZES=${SIZES:-"1000 100000"}
mkdir -p build/bench

now_ns() { date +%s%N; }

# median of the numbers on stdin
median() { sort -n | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }

time_ms() {   # time_ms CMD...: wall milliseconds of one run
  t0=$(now_ns)
  "$@" >/dev/null 2>&1
  t1=$(now_ns)
  echo $(( (t1 - t0) / 1000000 ))
}

printf '%-10s %12s %12s %8s %14s\n' employees calc_ms sort_ms ratio us_per_employee
for n in $SIZES; do
  dir=build/bench/$n
  if [ ! -f "$dir/2026-11/roster.csv" ]; then
    build/rel/gendistrict --out "$dir" --employees "$n" --from 2026-11 \
      --to 2026-11 >/dev/null
  fi
  calc=""
  base=""
  i=0
  while [ $i -lt "$RUNS" ]; do
    calc="$calc $(time_ms ./paysettle calc 2026-11 --inputs "$dir")"
    base="$base $(time_ms sort "$dir/2026-11/roster.csv")"
    i=$((i + 1))
  done
  c=$(echo "$calc" | tr ' ' '\n' | grep . | median)
  b=$(echo "$base" | tr ' ' '\n' | grep . | median)
  [ "$b" -gt 0 ] || b=1
  printf '%-10s %12s %12s %8s %14s\n' "$n" "$c" "$b" \
    "$(awk "BEGIN {printf \"%.1f\", $c / $b}")" \
    "$(awk "BEGIN {printf \"%.1f\", $c * 1000 / $n}")"
done
