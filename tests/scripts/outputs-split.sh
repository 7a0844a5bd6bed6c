#!/bin/sh
# outputs-split.sh -- a sheet with more rows than a worksheet holds continues
# on "TITLE (2)", "TITLE (3)", ...; its totals row, on the last part, sums
# every part (issue 4: "more than 1,048,576 employees").
#
#   sh tests/scripts/outputs-split.sh PAYSETTLE TMPDIR
#
# The test hook PAYSETTLE_TEST_SHEET_ROWS=100 makes a worksheet 100 rows
# long, so the sample district (1,000 employees; 556 annual bonuses in
# 2026-01) shows what a district of millions would: 11 parts of the
# employee sheets (98 employees each), 31 parts of the pay strips (33
# strips each), 6 parts of the annual bonus sheet (counted before writing).
# outputs_check.py --rows 100 reads every part back and checks every cell,
# the sheet names, and each last part's totals row against the ledger.
set -eu
PS=$1
TMP=$2
VG=${PAYSETTLE_VG:-}
DB=$TMP/ledger.db
PY=/usr/bin/python3
M=2026-01
OUT=$TMP/outputs/$M
failures=0

fail() {   # fail WHAT EXPECTED GOT
  echo "FAIL: $1: expected [$2], got [$3]" >&2
  failures=$((failures + 1))
}

# shellcheck disable=SC2086
if ! PAYSETTLE_TEST_SHEET_ROWS=100 $VG "$PS" run $M --db "$DB" --inputs inputs \
     --rules rules/shanghai.yaml </dev/null >"$TMP/run.out" 2>"$TMP/run.err"; then
  cat "$TMP/run.err" >&2
  fail "run $M with 100-row sheets" "exit 0" "exit non-zero"
  exit 1
fi
unzip -p "$OUT/payroll-$M.xlsx" xl/workbook.xml >"$TMP/workbook.xml"
for s in "工资明细 Payroll (11)" "社保公积金 SI &amp; HF (11)" "工资条 Payslips (31)"; do
  grep -Fq "name=\"$s\"" "$TMP/workbook.xml" || fail "payroll-$M.xlsx" "a sheet '$s'" "none"
done
for s in "工资明细 Payroll (12)" "工资条 Payslips (32)"; do
  if grep -Fq "name=\"$s\"" "$TMP/workbook.xml"; then
    fail "payroll-$M.xlsx" "no sheet '$s'" "one"
  fi
done
unzip -p "$OUT/iit-$M.xlsx" xl/workbook.xml >"$TMP/iit.xml"
grep -Fq 'name="全年一次性奖金 Annual bonus (6)"' "$TMP/iit.xml" ||
  fail "iit-$M.xlsx" "the annual bonus sheet in 6 parts" "$(grep -o 'name="全年[^"]*"' "$TMP/iit.xml" | tail -1)"
if $PY -c 'import openpyxl, yaml' 2>/dev/null; then
  if ! $PY tests/scripts/lib/outputs_check.py "$DB" $M "$OUT" inputs --rows 100 \
       >"$TMP/check.out" 2>&1; then
    cat "$TMP/check.out" >&2
    fail "the split workbooks read back" "ok" "problems"
  fi
else
  echo "outputs-split.sh: /usr/bin/python3 has no openpyxl or yaml: cell checks skipped" >&2
fi

if [ "$failures" -ne 0 ]; then
  echo "outputs-split.sh: $failures failures" >&2
  exit 1
fi
echo "outputs-split.sh: sheets continue on further parts; every part and the totals read back right"
