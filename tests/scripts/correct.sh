#!/bin/sh
# correct.sh -- a closed month's attendance was wrong (issue 5): 2026-07 was
# closed with employee X present every day; in fact X was absent 2 days.
# `correct 2026-07 --inputs FIXED --pay-in 2026-08` must recover, in August:
#
#   leave_deduction rises by R2(std / 21.75 x 2)         (scheme §4 item 4)
#   meal_allowance falls by 25.00 x 2                     (item 8)
#   nothing else of gross moves: performance pay and the base use the
#   scheduled days (ratio), the heat allowance needs attend_days > 0 only,
#   and X has no minimum-wage top-up (chosen so) -- so
#   retro_pay(August) = -(R2(std / 21.75 x 2) + 50.00), a recovery (补扣);
#   contributions do not change (SI/HF bases do not depend on attendance).
#
# X: the first roster employee of 2026-07 with a full month, no leave and no
# top-up; std is read from the closed month (show 2026-07 X).
# Also: the same correction twice is refused; August's run pays the
# recovery and reproduces; verify passes; 2026-07 itself is unchanged.
# And in a second ledger where a retro (grade 3's base 3,800 -> 4,000) was
# recorded over July first: the correction recomputes July under the rules
# it stands under now, the retro's, so it changes X alone (X is not grade
# 3: checked) by the same amount -- it must not undo the retro's raise.
set -eu
PS=$1
TMP=$2
VG=${PAYSETTLE_VG:-}
DB=$TMP/ledger.db
fail() { echo "correct.sh: $*"; exit 1; }

$VG "$PS" run 2026-07 --db "$DB" --outputs "$TMP/out" >/dev/null
$VG "$PS" close 2026-07 --db "$DB" >/dev/null
"$PS" show 2026-07 --db "$DB" >"$TMP/july-before"
"$PS" calc 2026-07 --format lines >"$TMP/lines"
X=$(awk '$2 == "sched_days" { s[$1] = $3 } $2 == "work_days" { w[$1] = $3 }
         $2 == "leave_days" { l[$1] = $3 } $2 == "min_wage_topup" { t[$1] = $3 }
         $2 == "overtime_pay" { o[$1] = $3 }
         END { for (e in s) if (s[e] == w[e] && l[e] == 0 && t[e] == 0 &&
                                o[e] == 0) print e }' "$TMP/lines" |
    sort | head -1)
[ -n "$X" ] || fail "no full-month employee without leave"
STD=$("$PS" show 2026-07 "$X" --db "$DB" | awk '$1 == "std" { print $2 }')
# R2(std / 21.75 x 2) + 50.00, in exact decimal arithmetic
WANT=$(python3 -c "
from decimal import Decimal as D, ROUND_HALF_UP
d = (D('$STD') / D('21.75') * 2).quantize(D('0.01'), rounding=ROUND_HALF_UP)
print('-' + str(d + D('50.00')))")

mkdir -p "$TMP/fixed/2026-07"
cp inputs/agencies.csv "$TMP/fixed/"
cp inputs/2026-07/*.csv "$TMP/fixed/2026-07/"
awk -F, -v OFS=, -v x="$X" '$1 == x { $4 = 2 } { print }' \
  inputs/2026-07/attendance.csv >"$TMP/fixed/2026-07/attendance.csv"

$VG "$PS" correct 2026-07 --inputs "$TMP/fixed" --pay-in 2026-08 \
  --db "$DB" >"$TMP/correct.txt" || fail "correct refused"
grep -q "2026-07: 1 employee changed; retro_pay $WANT" "$TMP/correct.txt" ||
  fail "expected 1 employee, retro_pay $WANT: $(cat "$TMP/correct.txt")"
if $VG "$PS" correct 2026-07 --inputs "$TMP/fixed" --pay-in 2026-08 \
     --db "$DB" >/dev/null 2>"$TMP/twice.txt"; then
  fail "the same correction was accepted twice"
fi
grep -q "never applied twice" "$TMP/twice.txt" || fail "$(cat "$TMP/twice.txt")"

$VG "$PS" run 2026-08 --db "$DB" --outputs "$TMP/out" >/dev/null
GOT=$("$PS" show 2026-08 "$X" --db "$DB" | awk '$1 == "retro_pay" { print $2 }')
[ "$GOT" = "$WANT" ] || fail "$X: August retro_pay $GOT, want $WANT"
# no other employee got anything
N=$("$PS" show 2026-08 --db "$DB" | awk '$2 == "retro_pay_total" && $3 != 0' |
    wc -l)
[ "$N" -eq 1 ] || fail "$N agencies with retro pay, want 1"
"$PS" show 2026-07 --db "$DB" | cmp -s - "$TMP/july-before" ||
  fail "the closed month changed"
$VG "$PS" reproduce 2026-08 --db "$DB" >/dev/null || fail "reproduce 2026-08"
$VG "$PS" verify --db "$DB" >/dev/null || fail "verify"

# after a retro over July
G=$(awk -F, -v x="$X" '$1 == x { print $7 }' inputs/2026-07/roster.csv)
[ "$G" != 3 ] || fail "$X is grade 3: the raise would move its std"
cat >"$TMP/raise.yaml" <<RAISE
name: raise-grade3
include: [$(pwd)/rules/shanghai.yaml]
tables:
  grade:
    label: grade 3 raised
    source: test
    columns: [base, performance]
    rows:
      - {key: "1", base: 2900, performance: 600}
      - {key: "2", base: 3300, performance: 800}
      - {key: "3", base: 4000, performance: 1000}
      - {key: "4", base: 4400, performance: 1300}
      - {key: "5", base: 5100, performance: 1600}
RAISE
DB2=$TMP/ledger2.db
$VG "$PS" run 2026-07 --db "$DB2" --outputs "$TMP/out2" >/dev/null
$VG "$PS" close 2026-07 --db "$DB2" >/dev/null
$VG "$PS" retro --from 2026-07 --to 2026-07 --rules "$TMP/raise.yaml" \
  --pay-in 2026-08 --db "$DB2" >/dev/null
$VG "$PS" correct 2026-07 --inputs "$TMP/fixed" --pay-in 2026-08 \
  --db "$DB2" >"$TMP/correct2.txt" || fail "correct after retro refused"
grep -q "2026-07: 1 employee changed; retro_pay $WANT" "$TMP/correct2.txt" ||
  fail "after a retro: $(cat "$TMP/correct2.txt")"
$VG "$PS" run 2026-08 --db "$DB2" --outputs "$TMP/out2" --rules \
  "$TMP/raise.yaml" >/dev/null
$VG "$PS" reproduce 2026-08 --db "$DB2" >/dev/null ||
  fail "reproduce 2026-08 after retro and correction"
echo "correct.sh: $X recovered $WANT in 2026-08 (std $STD, 2 days absent)"
