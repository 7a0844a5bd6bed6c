#!/bin/sh
# takeover.sh -- a mid-year takeover: the figures of January-June come from
# the previous system through `import-ytd`, July and August are run and
# closed here, and the cumulative tax adds both (scheme-shanghai.md section 4:
# "the months of the year already closed in the ledger, plus the opening
# figures of ytd-opening.csv, plus this month"). import-ytd is refused for an
# employee who already has a closed month in that year, and then leaves the
# ledger as it was.
#
#   sh tests/scripts/takeover.sh PAYSETTLE TMPDIR
#
# Rules: tests/cases/iit-official-jan/rules.yaml (the scheme's income-tax
# items; gross = the allowance adjustment, ee_si = 4500 a month, no housing
# fund), so that every figure below is worked by hand. Inputs: TMPDIR.
#
# E01, taken over: opening months 6, income 60000, special 9000, sad 0, and
#   the tax the previous system withheld on them:
#     cum_taxable = 60000 - 5000*6 - 9000 - 0 = 21000 (<= 36000: 3%, 0)
#     tax_withheld = 21000 * 3% = 630
#   roster sad_monthly 1000; salary (allowance) 20000 in July, 25000 in August.
#   July:   months 6+1 = 7; cum_income 60000+20000 = 80000;
#           cum_special 9000+4500 = 13500; cum_sad 0+1000 = 1000
#           cum_taxable = 80000 - 35000 - 13500 - 1000 = 30500 (3%, 0)
#           cum_tax = 915; cum_withheld = 630; iit = 915 - 630 = 285
#           net_pay = 20000 - 4500 - 285 = 15215
#   August: months 8; cum_income 105000; cum_special 18000; cum_sad 2000
#           cum_taxable = 105000 - 40000 - 18000 - 2000 = 45000 (10%, 2520)
#           cum_tax = 4500 - 2520 = 1980; cum_withheld = 630 + 285 = 915
#           iit = 1980 - 915 = 1065; net_pay = 25000 - 4500 - 1065 = 19435
# E02, hired in July, no opening; sad 0; salary 10000 both months.
#   July:   months 1; cum_taxable = 10000 - 5000 - 4500 = 500; iit = 15
#   August: months 2; cum_taxable = 20000 - 10000 - 9000 = 1000; cum_tax 30;
#           iit = 30 - 15 = 15
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

item() {   # item FILE NAME: the value of NAME in a `show MONTH EMPLOYEE`
  awk -v k="$2" '$1 == k { print $2; found = 1 } END { if (!found) print "MISSING" }' "$1"
}

# the whole ledger as text: equal before and after means unchanged
state() {
  sqlite3 "$DB" .dump | cksum
}

must_run_close() {   # must_run_close MONTH
  if ! psl run "$1" >"$TMP/out" 2>"$TMP/err"; then
    cat "$TMP/err" >&2
    fail "run $1" "exit 0" "exit non-zero"
    exit 1
  fi
  if ! psl close "$1" >"$TMP/out" 2>"$TMP/err"; then
    cat "$TMP/err" >&2
    fail "close $1" "exit 0" "exit non-zero"
    exit 1
  fi
}

check_items() {   # check_items MONTH EMPLOYEE "name value" ...
  mon=$1
  emp=$2
  shift 2
  if ! psl show "$mon" "$emp" >"$TMP/show.out" 2>"$TMP/show.err"; then
    fail "show $mon $emp" "exit 0" "$(cat "$TMP/show.err")"
    return
  fi
  for pair in "$@"; do
    name=${pair% *}
    want=${pair#* }
    got=$(item "$TMP/show.out" "$name")
    [ "$got" = "$want" ] || fail "$mon $emp $name" "$want" "$got"
  done
}

# ---- inputs --------------------------------------------------------------
mkdir -p "$IN/2026-07" "$IN/2026-08"
printf 'code,name,positions\nA01,区委办公室,5\n' >"$IN/agencies.csv"
for m in 07 08; do
  {
    echo "employee_id,name,id_number,bank_account,agency,post,grade,hire_date,leave_date,service_start,si_base,hf_rate,hf_supp_rate,sad_monthly,hot_work"
    echo "E01,张伟,310104199511301935,622202100000000094,A01,general,3,2025-06-01,,,,,,1000,"
    echo "E02,李娜,31010419881008194X,622202100000000095,A01,general,3,2026-07-01,,,,,,,"
  } >"$IN/2026-$m/roster.csv"
  {
    echo "employee_id,personal_leave_days,sick_leave_days,absent_days,ot_workday_hours,ot_restday_hours,ot_holiday_hours,assessment"
    echo "E01,,,,,,,"
    echo "E02,,,,,,,"
  } >"$IN/2026-$m/attendance.csv"
done
printf 'employee_id,item,amount,note\nE01,allowance,20000.00,July salary\nE02,allowance,10000.00,July salary\n' \
  >"$IN/2026-07/adjustments.csv"
printf 'employee_id,item,amount,note\nE01,allowance,25000.00,August salary\nE02,allowance,10000.00,August salary\n' \
  >"$IN/2026-08/adjustments.csv"
HDR=employee_id,year,months,income,special_deductions,sad,tax_withheld
printf '%s\nE01,2026,6,60000.00,9000.00,0.00,630.00\n' "$HDR" >"$TMP/ytd-opening.csv"

# ---- take over E01's January-June --------------------------------------
if psl import-ytd "$TMP/ytd-opening.csv" >"$TMP/out" 2>"$TMP/err"; then
  grep -q "imported 1 " "$TMP/out" ||
    fail "import-ytd output" "imported 1 year-to-date opening" "$(cat "$TMP/out")"
else
  fail "import-ytd of E01 before any month" "exit 0" "exit non-zero: $(cat "$TMP/err")"
fi
n=$(sqlite3 "$DB" "SELECT count(*) FROM opening WHERE employee = 'E01' AND year = 2026")
[ "$n" = 1 ] || fail "opening rows of E01 in 2026" 1 "$n"

# ---- July ----------------------------------------------------------------
must_run_close 2026-07
check_items 2026-07 E01 "months_this_year 7" "cum_income 80000" \
  "cum_special 13500" "cum_sad 1000" "cum_taxable 30500" "cum_tax 915" \
  "cum_withheld 630" "iit 285" "net_pay 15215"
check_items 2026-07 E02 "months_this_year 1" "cum_income 10000" \
  "cum_taxable 500" "cum_withheld 0" "iit 15"

# ---- import-ytd refused once the employee has a closed month --------------
before=$(state)
# E01 (opening and a closed July), E02 (a closed July, no opening), and a
# file where one row is fine (E03) and one is not: nothing at all is taken.
printf '%s\nE01,2026,6,60000.00,9000.00,0.00,700.00\n' "$HDR" >"$TMP/again-e01.csv"
printf '%s\nE02,2026,6,30000.00,0.00,0.00,0.00\n' "$HDR" >"$TMP/again-e02.csv"
printf '%s\nE03,2026,6,30000.00,0.00,0.00,0.00\nE01,2026,6,60000.00,9000.00,0.00,630.00\n' \
  "$HDR" >"$TMP/mixed.csv"
for f in again-e01 again-e02 mixed; do
  rc=0
  psl import-ytd "$TMP/$f.csv" >"$TMP/out" 2>"$TMP/err" || rc=$?
  [ "$rc" -ne 0 ] || fail "import-ytd $f.csv (closed July)" "refused, exit non-zero" "exit 0"
  [ "$rc" -lt 100 ] || fail "import-ytd $f.csv exit status" "a refusal (1 or 2)" "$rc (a crash?)"
  grep -q "already has a closed month in 2026" "$TMP/err" ||
    fail "import-ytd $f.csv message" "...already has a closed month in 2026..." "$(cat "$TMP/err")"
  after=$(state)
  [ "$after" = "$before" ] || fail "ledger after the refused import-ytd $f.csv" "unchanged" "changed"
done
n=$(sqlite3 "$DB" "SELECT count(*) FROM opening WHERE employee = 'E03'")
[ "$n" = 0 ] || fail "E03 from the refused mixed file" "not imported (0 rows)" "$n rows"
v=$(sqlite3 "$DB" "SELECT row FROM opening WHERE employee = 'E01'")
case "$v" in
  *,630.00) ;;
  *) fail "E01's opening after the refusals" "the original row (withheld 630.00)" "$v" ;;
esac

# ---- August: opening + closed July + August -------------------------------
must_run_close 2026-08
check_items 2026-08 E01 "months_this_year 8" "cum_income 105000" \
  "cum_special 18000" "cum_sad 2000" "cum_taxable 45000" "cum_tax 1980" \
  "cum_withheld 915" "iit 1065" "net_pay 19435"
check_items 2026-08 E02 "months_this_year 2" "cum_income 20000" \
  "cum_taxable 1000" "cum_tax 30" "cum_withheld 15" "iit 15"

# ---- an employee without closed months may still be taken over ------------
# (the positive control of the refusals above: the same file format passes)
printf '%s\nE03,2026,6,30000.00,0.00,0.00,0.00\n' "$HDR" >"$TMP/e03.csv"
psl import-ytd "$TMP/e03.csv" >"$TMP/out" 2>"$TMP/err" ||
  fail "import-ytd of E03 (no closed month)" "exit 0" "exit non-zero: $(cat "$TMP/err")"
n=$(sqlite3 "$DB" "SELECT count(*) FROM opening WHERE employee = 'E03' AND year = 2026")
[ "$n" = 1 ] || fail "E03's opening imported" 1 "$n"

# ---- the closed months reproduce from the ledger (with the opening stored
# with each run, untouched by the later import) and the chain holds -------
for m in 07 08; do
  psl reproduce "2026-$m" >"$TMP/out" 2>&1 ||
    fail "reproduce 2026-$m" "exit 0" "exit non-zero: $(head -n 5 "$TMP/out")"
done
psl verify >"$TMP/out" 2>&1 || fail "verify" "exit 0" "exit non-zero: $(cat "$TMP/out")"

if [ "$failures" -ne 0 ]; then
  echo "takeover.sh: $failures failures" >&2
  exit 1
fi
echo "takeover.sh: opening + closed months give 285 and 1065; import-ytd refused after a close"
