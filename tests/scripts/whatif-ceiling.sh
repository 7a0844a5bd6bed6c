#!/bin/sh
# What-if: "A lower contribution base ceiling changes only employees above
# it." On the sample district, 2026-11, `whatif --set si.base.upper=8000`
# (the ceiling in force is 37,731 from 2026-07, scheme-shanghai.md §4)
# against the baseline computed under rules/shanghai.yaml (missing --db).
#
# The expected set is computed here, independently of paysettle, from
# inputs/2026-11/roster.csv and the salary standard (scheme-shanghai.md §3):
#   declared base = si_base, or when empty the contract wage
#     = grade base + post allowance + 50 * min(completed years, 30)
#       + grade performance standard,
#   years = completed full years from service_start (hire_date when empty)
#     to 2026-11-01.
#   SI base = clamp(declared, 7546, upper). With upper 8,000 the SI base
#   changes exactly when declared > 8,000 (a declared base of exactly 8,000
#   is clamped to 8,000 on both sides: no change; the sample has two).
# For a changed employee, old SI base = min(declared, 37731), new = 8000:
#   er_pension difference = R2(8000 * 16%) - R2(old * 16%) = 1280 - R2(old * 16%)
#   ee_pension difference = R2(8000 * 8%)  - R2(old * 8%)  =  640 - R2(old * 8%)
#   (e.g. declared 40,000: old 37,731: 1280 - 6036.96 = -4756.96)
# The housing fund has its own ceiling (hf.base.upper): no HF item changes.
# gross changes only through the minimum-wage top-up (its test subtracts
# ee_si), so every gross difference equals the min_wage_topup difference.
set -eu
PS=$1
TMP=$2
VG=${PAYSETTLE_VG:-}
NEW=8000
fail() { echo "whatif-ceiling.sh: $*"; exit 1; }

ROSTER=inputs/2026-11/roster.csv
# employee declared_base (in cents: exact integer arithmetic in awk)
awk -F, '
function cents(s,   p) {
  p = index(s, ".")
  if (!p) return s * 100
  return substr(s, 1, p - 1) * 100 + substr(substr(s, p + 1) "00", 1, 2)
}
BEGIN {
  base[1] = 2900; perf[1] = 600;  base[2] = 3300; perf[2] = 800
  base[3] = 3800; perf[3] = 1000; base[4] = 4400; perf[4] = 1300
  base[5] = 5100; perf[5] = 1600
  post["driver"] = 800;     post["驾驶员"] = 800
  post["catering"] = 600;   post["餐饮"] = 600
  post["conference"] = 500; post["会务"] = 500
  post["cleaning"] = 300;   post["保洁"] = 300
  post["security"] = 400;   post["保安"] = 400
  post["general"] = 400;    post["综合"] = 400
}
NR == 1 {   # the columns this computation reads, by their header names
  if ($1 != "employee_id" || $6 != "post" || $7 != "grade" ||
      $8 != "hire_date" || $10 != "service_start" || $11 != "si_base") {
    print "unexpected roster header: " $0 > "/dev/stderr"; exit 2
  }
  next
}
{
  start = $10 != "" ? $10 : $8
  split(start, d, /[-\/]/)
  y = 2026 - d[1]
  if (d[2] + 0 > 11 || (d[2] + 0 == 11 && d[3] + 0 > 1)) y--
  if (y < 0) y = 0
  if (y > 30) y = 30
  if (!($7 in base) || !($6 in post)) {
    print "unknown grade or post: " $0 > "/dev/stderr"; exit 2
  }
  print $1, ($11 != "" ? cents($11) : (base[$7] + post[$6] + 50 * y + perf[$7]) * 100)
}' "$ROSTER" >"$TMP/declared" || fail "cannot read $ROSTER"

awk -v n="$NEW" '$2 > n * 100 { print $1 }' "$TMP/declared" | sort >"$TMP/want"
nwant=$(wc -l <"$TMP/want")
ntotal=$(wc -l <"$TMP/declared")
{ [ "$nwant" -gt 0 ] && [ "$nwant" -lt "$ntotal" ]; } ||
  fail "the ceiling $NEW should split the roster ($nwant of $ntotal above it)"

# The engine's own declared_base of the baseline agrees with the roster
# computation above (a check of the input data this test relies on).
$VG "$PS" calc 2026-11 --format lines >"$TMP/lines" 2>"$TMP/err" ||
  fail "calc failed: $(cat "$TMP/err")"
awk 'NR == FNR { d[$1] = $2; next }
     $2 == "declared_base" { n++; if (!($1 in d) || $3 * 100 != d[$1]) { print $1, $3, d[$1]; bad = 1 } }
     END { exit bad || n != length(d) }' "$TMP/declared" "$TMP/lines" >"$TMP/bad" ||
  fail "declared_base differs from the roster's: $(head -3 "$TMP/bad")"

$VG "$PS" whatif 2026-11 --set si.base.upper=$NEW --name ceiling \
  --out "$TMP/o" --db "$TMP/none.db" >"$TMP/out.txt" 2>"$TMP/err" ||
  fail "whatif failed: $(cat "$TMP/err")"
CSV=$TMP/o/whatif-ceiling/employees.csv
awk -F, 'NR > 1 { print $1 }' "$CSV" | sort -u >"$TMP/got"
cmp -s "$TMP/want" "$TMP/got" ||
  fail "changed employees differ from those with a declared base above $NEW: $(diff "$TMP/want" "$TMP/got" | grep '^[<>]' | head -5 | tr '\n' ' ')"
grep -q "employees affected: $nwant of $ntotal" "$TMP/out.txt" ||
  fail "summary: $(grep affected "$TMP/out.txt")"

# every changed employee: pension differences by the formula above; no HF
awk -F, -v n="$NEW" '
function cents(s,   neg, p, v) {
  neg = s ~ /^-/; sub(/^-/, "", s); p = index(s, ".")
  v = p ? substr(s, 1, p - 1) * 100 + substr(substr(s, p + 1) "00", 1, 2) : s * 100
  return neg ? -v : v
}
function r2(c, pct) { return int((c * pct + 50) / 100) }   # cents * pct%, R2; positive
NR == FNR { split($0, f, " "); decl[f[1]] = f[2]; next }
FNR == 1 { next }
{
  old = decl[$1] < 3773100 ? decl[$1] : 3773100
  if ($3 == "er_pension") { seen_er[$1] = 1; want = r2(n * 100, 16) - r2(old, 16) }
  else if ($3 == "ee_pension") { seen_ee[$1] = 1; want = r2(n * 100, 8) - r2(old, 8) }
  else if ($3 ~ /hf/) { print $1 " " $3 " changed"; bad = 1; next }
  else if ($3 == "gross") { g[$1] = $6; next }
  else if ($3 == "min_wage_topup") { t[$1] = $6; next }
  else next
  if (cents($6) != want) { print $1 " " $3 " " $6 " want " want / 100; bad = 1 }
  changed[$1] = 1
}
END {
  for (e in changed) if (!(e in seen_er) || !(e in seen_ee)) { print e " without both pension rows"; bad = 1 }
  for (e in g) if (g[e] != t[e]) { print e " gross " g[e] " top-up " t[e]; bad = 1 }
  for (e in t) if (g[e] != t[e]) { print e " gross " g[e] " top-up " t[e]; bad = 1 }
  exit bad
}' "$TMP/declared" "$CSV" >"$TMP/bad" || fail "$(head -5 "$TMP/bad" | tr '\n' ';')"
echo "whatif-ceiling.sh: upper $NEW changes exactly the $nwant of $ntotal declared above it; pensions by hand"
