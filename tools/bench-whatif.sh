#!/bin/sh
# tools/bench-whatif.sh -- time a 12-month what-if (make bench-whatif).
#
# The issue's measure: "the time of a 12-month what-if on the sample district
# and on 100,000 generated employees, relative to 12 plain monthly runs".
# For each district it times, RUNS times each (interleaved), and prints the
# medians:
#
#   whatif   paysettle whatif 2026-01..2026-12 --set minimum_wage=+5% with a
#            missing --db: the baseline is computed, so 24 month computations
#            (12 baseline + 12 scenario), plus the comparison and the CSVs;
#   run12    12 x (paysettle run 2026-MM; paysettle close 2026-MM) into a
#            fresh ledger, months in order (the cumulative tax needs the
#            previous months closed). `run` always writes the month's files
#            (workbooks, bank file, journal; there is no option to skip them)
#            -- here into a temporary --outputs folder, and that time is
#            part of run12;
#   calc12   12 x paysettle calc 2026-MM: the pure computation of the 12
#            months, no ledger, no files (each month without history);
#   sort     sort of the district's 12 roster files: a fixed amount of work
#            measured in the same run, that slows down exactly when the
#            shared machine does (as tools/bench.sh). Compare ratios.
#
# Districts (SIZES): "sample" is inputs/ (the committed 1,000 employees);
# a number N is generated once into build/bench/Ny for 2026-01..2026-12 and
# reused. Variables: RUNS (default 3), SIZES (default "sample 100000"),
# SET (default minimum_wage=+5%), PAYSETTLE (default ./paysettle),
# RUN12=0 to leave out the 12 runs (at 100,000 they take most of the time:
# the payroll workbook of 100,000 employees is written every month).
set -eu
cd "$(dirname "$0")/.."
RUNS=${RUNS:-3}
SIZES=${SIZES:-"sample 100000"}
SET=${SET:-minimum_wage=+5%}
PS=${PAYSETTLE:-./paysettle}
RUN12=${RUN12:-1}
MONTHS="01 02 03 04 05 06 07 08 09 10 11 12"
mkdir -p build/bench
tmp=$(mktemp -d "${TMPDIR:-/tmp}/bench-whatif.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

now_ns() { date +%s%N; }

# median of the numbers on stdin
median() { sort -n | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }

time_ms() {   # time_ms CMD...: wall milliseconds of one run; stops on failure
  t0=$(now_ns)
  if ! "$@" >/dev/null 2>"$tmp/log"; then
    echo "bench-whatif: failed: $*" >&2
    tail -n 5 "$tmp/log" >&2
    exit 1
  fi
  t1=$(now_ns)
  echo $(( (t1 - t0) / 1000000 ))
}

whatif12() {  # whatif12 DIR
  rm -rf "$tmp/whatif"
  "$PS" whatif 2026-01..2026-12 --inputs "$1" --set "$SET" --name bench \
    --out "$tmp/whatif" --db "$tmp/none.db"
}

calc12() {    # calc12 DIR
  for m in $MONTHS; do
    "$PS" calc "2026-$m" --inputs "$1" >/dev/null || return 1
  done
}

run12() {     # run12 DIR: into the fresh ledger $tmp/ledger.db
  for m in $MONTHS; do
    "$PS" run "2026-$m" --inputs "$1" --db "$tmp/ledger.db" \
      --outputs "$tmp/outputs" >/dev/null || return 1
    "$PS" close "2026-$m" --db "$tmp/ledger.db" >/dev/null || return 1
  done
}

fresh_ledger() {
  rm -rf "$tmp/ledger.db" "$tmp/ledger.db-wal" "$tmp/ledger.db-shm" \
    "$tmp/outputs"
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }

lines=""
for n in $SIZES; do
  if [ "$n" = sample ]; then
    dir=inputs
  else
    dir=build/bench/${n}y
    if [ ! -f "$dir/2026-12/roster.csv" ]; then
      echo "bench-whatif: generating $dir" >&2
      build/rel/gendistrict --out "$dir" --employees "$n" --from 2026-01 \
        --to 2026-12 >/dev/null
    fi
  fi
  emp=$(( $(wc -l <"$dir/2026-11/roster.csv") - 1 ))
  w=""; c=""; r=""; s=""
  i=0
  while [ $i -lt "$RUNS" ]; do
    i=$((i + 1))
    echo "bench-whatif: $n ($emp employees), run $i of $RUNS" >&2
    w="$w $(time_ms whatif12 "$dir")"
    c="$c $(time_ms calc12 "$dir")"
    if [ "$RUN12" = 1 ]; then
      fresh_ledger
      r="$r $(time_ms run12 "$dir")"
      fresh_ledger
    fi
    # shellcheck disable=SC2046
    s="$s $(time_ms sort $(for m in $MONTHS; do echo "$dir/2026-$m/roster.csv"; done))"
  done
  wm=$(echo "$w" | tr ' ' '\n' | grep . | median)
  cm=$(echo "$c" | tr ' ' '\n' | grep . | median)
  sm=$(echo "$s" | tr ' ' '\n' | grep . | median)
  [ "$sm" -gt 0 ] || sm=1
  if [ "$RUN12" = 1 ]; then
    rm_=$(echo "$r" | tr ' ' '\n' | grep . | median)
    rr=$(ratio "$wm" "$rm_")
  else
    rm_=-; rr=-
  fi
  lines="$lines$(printf '%-8s %9s %10s %10s %10s %8s %12s %12s %11s %11s' \
    "$n" "$emp" "$wm" "$rm_" "$cm" "$sm" "$rr" "$(ratio "$wm" "$cm")" \
    "$(ratio "$wm" "$sm")" "$(ratio "$cm" "$sm")")
"
done

echo "12-month what-if ($SET, computed baseline: 24 month computations) against"
echo "12 monthly runs (run + close, writing the month's files) and 12 x calc;"
echo "medians of $RUNS runs, wall milliseconds; sort = sort of the 12 rosters"
printf '%-8s %9s %10s %10s %10s %8s %12s %12s %11s %11s\n' district employees \
  whatif_ms run12_ms calc12_ms sort_ms whatif/run12 whatif/calc12 \
  whatif/sort calc12/sort
printf '%s' "$lines"
