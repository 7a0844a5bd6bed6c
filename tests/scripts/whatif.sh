#!/bin/sh
# What-if against a computed baseline (no ledger).
#  1. A scenario that changes nothing (the minimum wage set to the value in
#     force in 2026-11, 2,740) gives zero differences everywhere.
#  2. Raising grade 3's base salary changes employees of grade 3 only, and
#     for a full-month grade-3 employee with no leave the base salary rises
#     by exactly the raise: base_salary = R2(base * ratio), ratio 1.
set -eu
PS=$1
TMP=$2
fail() { echo "whatif.sh: $*"; exit 1; }

$PAYSETTLE_VG "$PS" whatif 2026-11 --set minimum_wage=2740 --name same \
  --out "$TMP/o" --db "$TMP/none.db" >"$TMP/same.txt"
grep -q "employees affected: 0 of 1000" "$TMP/same.txt" ||
  fail "a no-change scenario affected employees: $(cat "$TMP/same.txt")"
[ "$(wc -l <"$TMP/o/whatif-same/employees.csv")" -eq 1 ] ||
  fail "a no-change scenario listed changed employees"
awk -F, 'NR > 1 && $4 + 0 != 0 { bad = 1 } END { exit bad }' \
  "$TMP/o/whatif-same/totals.csv" || fail "a district total changed"

$PAYSETTLE_VG "$PS" whatif 2026-11 --set grade.base.3=3900 --name g3 \
  --out "$TMP/o" --db "$TMP/none.db" >"$TMP/g3.txt"
# grade of every roster employee (column 7 of roster.csv: grade)
awk -F, 'NR > 1 { print $1, $7 }' inputs/2026-11/roster.csv >"$TMP/grades"
awk -F, 'NR > 1 { print $1 }' "$TMP/o/whatif-g3/employees.csv" | sort -u \
  >"$TMP/changed"
[ -s "$TMP/changed" ] || fail "raising grade 3 changed nobody"
while read -r id; do
  g=$(awk -v id="$id" '$1 == id { print $2 }' "$TMP/grades")
  [ "$g" = 3 ] || fail "$id changed but is grade $g"
done <"$TMP/changed"
# every grade-3 employee with a full month and no leave: +100.00 base
"$PS" calc 2026-11 --format lines >"$TMP/lines"
awk '$2 == "sched_days" { s[$1] = $3 } $2 == "work_days" { w[$1] = $3 }
     END { for (e in s) if (s[e] == w[e]) print e }' "$TMP/lines" \
  | sort >"$TMP/full"
n=0
while read -r id g; do
  [ "$g" = 3 ] || continue
  grep -qx "$id" "$TMP/full" || continue
  d=$(awk -F, -v id="$id" '$1 == id && $3 == "base_salary" { print $6 }' \
      "$TMP/o/whatif-g3/employees.csv")
  [ "$d" = "100.00" ] || fail "$id: base_salary difference '$d', want 100.00"
  n=$((n + 1))
done <"$TMP/grades"
[ "$n" -gt 0 ] || fail "no full-month grade-3 employee to check"
echo "whatif.sh: no-change scenario is all zeros; grade-3 raise: $n checked"
