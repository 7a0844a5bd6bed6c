#!/bin/sh
# iit-official-ledger.sh -- the STA's official cumulative-withholding example
# (interpretation of 国家税务总局公告2018年第61号) through three closed months of
# the ledger: the year-to-date figures of February and March come from the
# ledger's closed months, not from --ytd or import-ytd.
#
#   sh tests/scripts/iit-official-ledger.sh PAYSETTLE TMPDIR
#
# The example: salary 30,000 a month from January, special deductions
# (三险一金) 4,500, special additional deductions 2,000:
#   January  (30000 - 5000 - 4500 - 2000) x 3%                      =   555
#   February (60000 - 10000 - 9000 - 4000) x 10% - 2520 - 555       =   625
#   March    (90000 - 15000 - 13500 - 6000) x 10% - 2520 - 555 - 625 = 1850
# tests/cases/iit-official-jan/rules.yaml keeps the scheme's income-tax items
# and makes gross = the allowance adjustment, ee_si = 4500, no housing fund;
# the roster gives sad_monthly 2000. Inputs are written into TMPDIR.
set -eu
PS=$1
TMP=$2
VG=${PAYSETTLE_VG:-}
DB=$TMP/ledger.db
RULES=tests/cases/iit-official-jan/rules.yaml
IN=$TMP/inputs
failures=0

fail() {   # fail WHAT EXPECTED GOT
  echo "FAIL: $1: expected [$2], got [$3]" >&2
  failures=$((failures + 1))
}

psl() {
  # shellcheck disable=SC2086
  $VG "$PS" "$@" --db "$DB" --inputs "$IN" --rules "$RULES" </dev/null
}

# item FILE NAME: the value of item NAME in a `show MONTH EMPLOYEE` output.
item() {
  awk -v k="$2" '$1 == k { print $2; found = 1 } END { if (!found) print "MISSING" }' "$1"
}

# ---- the inputs: one employee, the same month three times -----------------
src=tests/cases/iit-official-jan/inputs
mkdir -p "$IN"
cp "$src/agencies.csv" "$IN/agencies.csv"
for m in 01 02 03; do
  mkdir -p "$IN/2026-$m"
  cp "$src/2026-01/roster.csv" "$src/2026-01/attendance.csv" \
     "$src/2026-01/adjustments.csv" "$IN/2026-$m/"
done
# the roster carries sad_monthly 2000 and the adjustment the 30000 salary
grep -q ',2000,$' "$IN/2026-01/roster.csv" ||
  fail "template roster has sad_monthly 2000" "a row ending ,2000," "$(tail -n 1 "$IN/2026-01/roster.csv")"
grep -q '^E01,allowance,30000.00,' "$IN/2026-01/adjustments.csv" ||
  fail "template adjustments carry the 30000 salary" "E01,allowance,30000.00" "$(tail -n 1 "$IN/2026-01/adjustments.csv")"

# month  iit   months cum_income cum_special cum_sad cum_taxable cum_tax cum_withheld net_pay
# net_pay = 30000 - 4500 - iit
checked=""
while read -r m iit months inc spec sad taxable tax withheld net; do
  if ! psl run "2026-$m" >"$TMP/run.out" 2>"$TMP/run.err"; then
    cat "$TMP/run.err" >&2
    fail "run 2026-$m" "exit 0" "exit non-zero"
    exit 1
  fi
  if ! psl close "2026-$m" >"$TMP/close.out" 2>"$TMP/close.err"; then
    cat "$TMP/close.err" >&2
    fail "close 2026-$m" "exit 0" "exit non-zero"
    exit 1
  fi
  if ! psl show "2026-$m" E01 >"$TMP/show.out" 2>"$TMP/show.err"; then
    cat "$TMP/show.err" >&2
    fail "show 2026-$m E01" "exit 0" "exit non-zero"
    exit 1
  fi
  # show prints the exact stored text: 555.00 is stored as 555
  for pair in "iit $iit" "months_this_year $months" "cum_income $inc" \
              "cum_special $spec" "cum_sad $sad" "cum_taxable $taxable" \
              "cum_tax $tax" "cum_withheld $withheld" "net_pay $net"; do
    name=${pair% *}
    want=${pair#* }
    got=$(item "$TMP/show.out" "$name")
    [ "$got" = "$want" ] || fail "2026-$m E01 $name" "$want" "$got"
  done
  checked="$checked $m"
done <<EOF
01 555  1 30000 4500  2000 18500 555  0    24945
02 625  2 60000 9000  4000 37000 1180 555  24875
03 1850 3 90000 13500 6000 55500 3030 1180 23650
EOF
[ "$checked" = " 01 02 03" ] || fail "months checked" " 01 02 03" "$checked"

# all three closed; each reproduces from the ledger alone; the chain holds
n=$(psl runs | awk 'NR > 1 && $4 == "closed"' | wc -l)
[ "$n" -eq 3 ] || fail "closed months in runs" 3 "$n"
for m in 01 02 03; do
  psl reproduce "2026-$m" >"$TMP/repro.out" 2>&1 ||
    fail "reproduce 2026-$m" "exit 0" "exit non-zero: $(tail -n 3 "$TMP/repro.out")"
done
psl verify >"$TMP/verify.out" 2>&1 ||
  fail "verify" "exit 0" "exit non-zero: $(cat "$TMP/verify.out")"

if [ "$failures" -ne 0 ]; then
  echo "iit-official-ledger.sh: $failures failures" >&2
  exit 1
fi
echo "iit-official-ledger.sh: 555, 625, 1850 through three closed months"
