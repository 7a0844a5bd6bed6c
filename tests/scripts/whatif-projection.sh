#!/bin/sh
# What-if over a range: "A 12-month projection that raises the minimum wage
# in July changes top-ups only from July."
#
# The scenario file includes rules/shanghai.yaml and adds one dated value:
# minimum_wage 3,000 from 2026-07 (the rules have 2,740 from 2025-07; a
# parameter merges by `from`, docs/rules.md "include"). The sample district,
# baseline computed under rules/shanghai.yaml (missing --db).
#
#  1. 2026-01..2026-06: nothing differs (employees.csv has no row, every
#     district difference is zero).
#  2. 2026-07 alone and 2026-01..2026-12: every min_wage_topup difference is
#     the hand formula (scheme-shanghai.md §4, minimum wage top-up), summed
#     over July-December for the range. For each month m and employee with
#     full_month and no personal, sick or absent day (leave_days = 0):
#       topup = max(0, minimum wage - wage_for_min_test); wage_for_min_test
#       does not depend on the minimum wage, so with w the BASELINE's
#       wage_for_min_test of that month (calc --format lines: input data):
#       difference = max(0, 3000 - w) - max(0, 2740 - w)
#       e.g. w = 2645.02: 354.98 - 94.98 = 260.00; w = 2800: 200.00 - 0.
#     Otherwise 0. Employees with a top-up difference are exactly those with
#     a non-zero sum.
#  3. The other knock-on of the minimum wage: the sick-pay floor
#     (§4 item 5): sick_deduction = R2(s * max(0, std/21.75
#     - max(std/21.75 * pct, minimum wage * 0.8 / 21.75))), s sick days.
#     Exactly: s * max(0, std - max(std * pct, mw * 0.8)) / 21.75, with
#     mw * 0.8 = 2192 (2,740) or 2400 (3,000). e.g. std 3,300, 60%, 1 day:
#     3300 - max(1980, 2192) = 1108 / 21.75 = 50.94 -> 3300 - 2400 = 900 /
#     21.75 = 41.38: difference -9.56. (Checked where the cap by the
#     attendance pay does not apply in the baseline; a lower deduction
#     cannot reach it.)
#  4. gross moves only by these two: difference of gross =
#     difference of min_wage_topup - difference of sick_deduction.
#  5. The summary's largest change of employer_cost is the change over the
#     whole range (6 * 265.20 = 1591.20, worked below), not December's.
set -eu
PS=$1
TMP=$2
VG=${PAYSETTLE_VG:-}
fail() { echo "whatif-projection.sh: $*"; exit 1; }

cat >"$TMP/mw.yaml" <<EOF
name: minimum-wage-3000-from-july
include: ["$(pwd)/rules/shanghai.yaml"]
parameters:
  minimum_wage:
    values:
      - {from: 2026-07, value: 3000, source: "what-if: a higher minimum wage from July"}
EOF

wi() {   # wi RANGE NAME
  $VG "$PS" whatif "$1" --rules "$TMP/mw.yaml" --name "$2" --out "$TMP/o" \
    --db "$TMP/none.db" >"$TMP/$2.txt" 2>"$TMP/err" ||
    fail "whatif $1 failed: $(cat "$TMP/err")"
}

# ---- 1. January-June: nothing changes -------------------------------------
wi 2026-01..2026-06 h1
[ "$(wc -l <"$TMP/o/whatif-h1/employees.csv")" -eq 1 ] ||
  fail "January-June: changed rows: $(sed -n 2,4p "$TMP/o/whatif-h1/employees.csv" | tr '\n' ' ')"
awk -F, 'NR > 1 && $4 + 0 != 0 { print; bad = 1 } END { exit bad }' \
  "$TMP/o/whatif-h1/totals.csv" >"$TMP/bad" ||
  fail "January-June: a district total changed: $(head -2 "$TMP/bad")"
grep -q "employees affected: 0 of" "$TMP/h1.txt" ||
  fail "January-June summary: $(grep affected "$TMP/h1.txt")"

# ---- the hand formulas, month by month, from the baseline's inputs ------
# per month: "EMPLOYEE TOPUP_CENTS SICK_CENTS|skip"
for m in 07 08 09 10 11 12; do
  $VG "$PS" calc 2026-$m --format lines >"$TMP/lines" 2>"$TMP/err" ||
    fail "calc 2026-$m failed: $(cat "$TMP/err")"
  awk -F, '
  function cents(s,   neg, p, v) {
    neg = s ~ /^-/; sub(/^-/, "", s); p = index(s, ".")
    v = p ? substr(s, 1, p - 1) * 100 + substr(substr(s, p + 1) "00", 1, 2) : s * 100
    return neg ? -v : v
  }
  function tenths(s,   p) {   # a rate such as 0.7 or 1, in tenths (exact)
    p = index(s, ".")
    return p ? substr(s, 1, p - 1) * 10 + substr(s, p + 1, 1) : s * 10
  }
  # R2 of s * max(0, std - max(std * pct, floor)) / 21.75, in cents, where
  # s = h / 2 (h halves), pct = t / 10, floor in yuan:
  # = h * max(0, 10 std - max(std t, 10 floor)) / 20 * 4 / 87 yuan
  # = h * X * 20 / 87 cents, X = max(0, ...) in tenths; half away (X >= 0)
  function sick(h, st, t, fl,   a, X) {
    a = st * t; if (a < fl * 10) a = fl * 10
    X = st * 10 - a; if (X < 0) X = 0
    return int((h * X * 40 + 87) / 174)
  }
  FILENAME ~ /attendance/ {
    if (FNR > 1) sickdays[$1] = ($3 == "" ? 0 : $3 * 2)   # in halves
    next
  }
  { split($0, f, " "); v[f[1], f[2]] = f[3]; who[f[1]] = 1 }
  END {
    for (e in who) {
      if (!((e, "wage_for_min_test") in v)) continue
      t = 0
      if (v[e, "full_month"] == "true" && v[e, "leave_days"] + 0 == 0) {
        w = cents(v[e, "wage_for_min_test"])
        a = 300000 - w; if (a < 0) a = 0
        b = 274000 - w; if (b < 0) b = 0
        t = a - b
        if (cents(v[e, "min_wage_topup"]) != b) {   # the baseline agrees too
          print "baseline " e " min_wage_topup " v[e, "min_wage_topup"] " want " b / 100 > "/dev/stderr"; exit 2
        }
      }
      h = sickdays[e] + 0; s = 0
      if (h > 0) {
        st = v[e, "std"]; pt = tenths(v[e, "sick_pct"])
        old = sick(h, st, pt, 2192)
        if (old != cents(v[e, "sick_deduction_full"])) {
          print "baseline " e " sick_deduction_full " v[e, "sick_deduction_full"] " want " old / 100 > "/dev/stderr"; exit 2
        }
        cap = cents(v[e, "base_salary"]) + cents(v[e, "post_allowance"]) + cents(v[e, "seniority_pay"]) - cents(v[e, "leave_deduction"])
        s = old > cap ? "skip" : sick(h, st, pt, 2400) - old
      }
      print e, t, s
    }
  }' "inputs/2026-$m/attendance.csv" "$TMP/lines" >"$TMP/hand-$m" 2>"$TMP/err" ||
    fail "2026-$m: $(cat "$TMP/err")"
done

# compare a what-if's employees.csv with the hand figures of months $3...
check() {   # check NAME LABEL MONTHS...
  csv=$TMP/o/whatif-$1/employees.csv
  label=$2
  shift 2
  files=""
  for m in "$@"; do files="$files $TMP/hand-$m"; done
  # shellcheck disable=SC2086
  awk -F, -v label="$label" '
  function cents(s,   neg, p, v) {
    neg = s ~ /^-/; sub(/^-/, "", s); p = index(s, ".")
    v = p ? substr(s, 1, p - 1) * 100 + substr(substr(s, p + 1) "00", 1, 2) : s * 100
    return neg ? -v : v
  }
  FILENAME !~ /employees.csv$/ {
    split($0, f, " ")
    top[f[1]] += f[2]
    if (f[3] == "skip") skip[f[1]] = 1; else sk[f[1]] += f[3]
    next
  }
  FNR == 1 { next }
  $3 == "min_wage_topup" { gt[$1] = cents($6) }
  $3 == "sick_deduction" { gs[$1] = cents($6) }
  $3 == "gross" { gg[$1] = cents($6) }
  { changed[$1] = 1 }
  END {
    for (e in top) {
      if (top[e] != gt[e] + 0) { print label ": " e " top-up difference " gt[e] / 100 " want " top[e] / 100; bad = 1 }
      if (top[e]) ntop++
      if (skip[e]) continue
      if (sk[e] != gs[e] + 0) { print label ": " e " sick_deduction difference " gs[e] / 100 " want " sk[e] / 100; bad = 1 }
      if (sk[e]) nsick++
    }
    for (e in changed) {
      if (!(e in top)) { print label ": " e " changed but has no month from July"; bad = 1 }
      if (gg[e] + 0 != gt[e] - gs[e]) { print label ": " e " gross " gg[e] / 100 " != top-up " gt[e] / 100 " - sick " gs[e] / 100; bad = 1 }
    }
    if (!ntop) { print label ": no top-up changed"; bad = 1 }
    if (bad) exit 1
    print ntop, nsick + 0
  }' $files "$csv"
}

# ---- 2. July alone: the first month of the new minimum wage ---------------
wi 2026-07 jul
r=$(check jul 2026-07 07) || fail "$(echo "$r" | head -5)"
jul_top=${r% *}

# ---- 3. the 12-month projection --------------------------------------------
wi 2026-01..2026-12 year
r=$(check year 2026-01..2026-12 07 08 09 10 11 12) || fail "$(echo "$r" | head -5)"
grep -q "^2026-12: baseline computed; 1 scenario computed" "$TMP/year.txt" ||
  fail "the projection did not compute December: $(tail -3 "$TMP/year.txt")"

# ---- 4. the summary ranks by the change over the whole range ---------------
# The rules' summary.compare is employer_cost = gross + annual_bonus +
# reimbursement + er_si + er_hf + er_hf_supp + welfare. Over the range its
# change is the sum of those differences in employees.csv. By hand, the
# largest possible: a top-up difference is at most 3000 - 2740 = 260.00 a
# month, plus the union fee R2(260 * 2%) = 5.20 (welfare), 265.20; a month
# with sick leave has no top-up and a sick-pay floor change of at most
# (2400 - 2192) / 21.75 = 9.56 a day. So the largest change over July-December
# is 6 * 265.20 = 1591.20, reached by an employee topped up all six months
# with a wage for the test at or below 2,740 -- and the summary's first
# "largest change" must be that one, not the change of one month.
first=$(sed -n 's/^  largest changes of employer_cost: \([^ ]*\) \([^ ]*\).*/\1 \2/p' "$TMP/year.txt")
[ -n "$first" ] || fail "no largest changes of employer_cost in the summary"
awk -F, -v first="$first" '
function cents(s,   neg, p, v) {
  neg = s ~ /^-/; sub(/^-/, "", s); sub(/^\+/, "", s); p = index(s, ".")
  v = p ? substr(s, 1, p - 1) * 100 + substr(substr(s, p + 1) "00", 1, 2) : s * 100
  return neg ? -v : v
}
NR > 1 && $3 ~ /^(gross|annual_bonus|reimbursement|er_si|er_hf|er_hf_supp|welfare)$/ { c[$1] += cents($6) }
END {
  split(first, f, " ")
  for (e in c) if (c[e] > max) max = c[e]
  if (max != 159120 || cents(f[2]) != max || c[f[1]] != max) {
    print "largest change of employer_cost over the year: summary " first \
      " (employees.csv: " c[f[1]] / 100 "), want +1591.20 (largest in employees.csv: " max / 100 ")"
    exit 1
  }
}' "$TMP/o/whatif-year/employees.csv" >"$TMP/bad" || fail "$(cat "$TMP/bad")"
echo "whatif-projection.sh: January-June unchanged; top-ups from July by hand: $jul_top in July, ${r% *} over the year (sick-pay floor: ${r#* } employees)"
