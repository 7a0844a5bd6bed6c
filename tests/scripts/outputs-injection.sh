#!/bin/sh
# outputs-injection.sh -- text from the input files is written as text, never
# as a formula; the bank file is refused rather than altered; a failure
# leaves the previous folder untouched (issue 4; shared/reference/
# reliability-security.md 5.6).
#
#   sh tests/scripts/outputs-injection.sh PAYSETTLE TMPDIR
#
# A copy of the sample month 2026-11 in which employee E0001 is named
# =HYPERLINK("http://x","y"), an adjustment note reads +1+1 and another
# -2+3, and agency A01 is called @SUM(1):
#  - run of the clean sample first: outputs/2026-11 is written;
#  - run again on the altered copy (it replaces the draft): the bank file
#    is refused with the roster's line (a bank matches the account name
#    exactly, so the name is not escaped), run exits 1, and outputs/2026-11
#    is byte for byte the previous folder, with no temporary file left;
#  - export of the settlement, payroll and tax workbooks works; in them the
#    name, the notes and the agency name are text cells (no <f> element
#    anywhere holds them), shown with a leading apostrophe; and every other
#    cell is still as the ledger says (outputs_check.py on the altered
#    inputs);
#  - export bank and export all refuse, and write nothing.
set -eu
PS=$1
TMP=$2
VG=${PAYSETTLE_VG:-}
DB=$TMP/ledger.db
PY=/usr/bin/python3
M=2026-11
OUT=$TMP/outputs/$M
IN=$TMP/in
failures=0

fail() {   # fail WHAT EXPECTED GOT
  echo "FAIL: $1: expected [$2], got [$3]" >&2
  failures=$((failures + 1))
}

psl() {   # psl INPUTS ARGS...
  in=$1
  shift
  # shellcheck disable=SC2086
  $VG "$PS" "$@" --db "$DB" --inputs "$in" --rules rules/shanghai.yaml </dev/null
}

# ---- the altered inputs ---------------------------------------------------------
mkdir -p "$IN/$M"
cp inputs/$M/*.csv "$IN/$M/"
sed 's/^A01,[^,]*,/A01,@SUM(1),/' inputs/agencies.csv >"$IN/agencies.csv"
awk -F, 'BEGIN { OFS = "," }
  $1 == "E0001" { $2 = "\"=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"" } { print }' \
  inputs/$M/roster.csv >"$IN/$M/roster.csv"
{
  cat inputs/$M/adjustments.csv
  echo 'E0005,allowance,10.00,+1+1'
  echo 'E0004,allowance,20.00,-2+3'
} >"$IN/$M/adjustments.csv"
grep -q '^E0001,"=HYPERLINK(""http://x"",""y"")",' "$IN/$M/roster.csv" ||
  fail "the altered roster" "E0001 named =HYPERLINK(...)" "$(grep '^E0001' "$IN/$M/roster.csv")"

# ---- a good month first, then the altered one -------------------------------------
psl inputs run $M >/dev/null 2>"$TMP/err" || {
  cat "$TMP/err" >&2
  fail "run $M (sample)" "exit 0" "exit non-zero"
  exit 1
}
cp -p -r "$OUT" "$TMP/before"
status=0
psl "$IN" run $M >"$TMP/run.out" 2>"$TMP/run.err" || status=$?
[ "$status" -eq 1 ] || fail "run $M with a name the bank file cannot carry" "exit 1" "exit $status"
grep -q "roster.csv:2: 收款户名 Name: bank-$M.csv: '=HYPERLINK" "$TMP/run.err" ||
  fail "the refusal" "roster.csv line 2, the name, the bank file" "$(head -3 "$TMP/run.err")"
grep -q "stored as a draft" "$TMP/run.out" ||
  fail "the ledger after the refused files" "the month stored" "$(head -2 "$TMP/run.out")"
for f in "$TMP/before"/*; do
  cmp -s "$f" "$OUT/$(basename "$f")" ||
    fail "outputs/$M/$(basename "$f") after the failure" "untouched" "changed"
done
left=$(ls -A "$TMP/outputs" | grep -v "^$M\$" || true)
[ -z "$left" ] || fail "outputs/ after the failure" "only $M" "$left"

# ---- the workbooks: text stays text -------------------------------------------------
X=$TMP/x
for w in settlement payroll iit; do
  psl "$IN" export $w $M --out "$X" >/dev/null 2>"$TMP/err" ||
    fail "export $w" "exit 0" "$(cat "$TMP/err")"
done
for w in settlement payroll iit; do
  unzip -p "$X/$w-$M.xlsx" 'xl/worksheets/*.xml' >"$TMP/$w.xml"
  if grep -Eq '<f>[^<]*(HYPERLINK|1\+1|2\+3|SUM\(1\))' "$TMP/$w.xml"; then
    fail "$w-$M.xlsx" "no formula from the inputs" \
         "$(grep -Eo '<f>[^<]*(HYPERLINK|1\+1|2\+3|SUM\(1\))' "$TMP/$w.xml" | head -1)"
  fi
done
grep -Fq "<t>'=HYPERLINK(\"http://x\",\"y\")</t>" "$TMP/payroll.xml" ||
  fail "payroll: E0001's name" "the text '=HYPERLINK(...)" "not found"
grep -q "<t>'+1+1</t>" "$TMP/payroll.xml" ||
  fail "payroll: the note +1+1" "the text '+1+1" "not found"
grep -q "<t>'@SUM(1)</t>" "$TMP/settlement.xml" ||
  fail "settlement: agency A01's name" "the text '@SUM(1)" "not found"
if $PY -c 'import openpyxl, yaml' 2>/dev/null; then
  $PY - "$X/payroll-$M.xlsx" >"$TMP/cells" <<'EOF' || fail "payroll cells" "text" "$(cat "$TMP/cells")"
import sys, openpyxl
ws = openpyxl.load_workbook(sys.argv[1])['工资明细 Payroll']
bad = 0
for row in ws.iter_rows(min_row=2):
    for c in row:
        if isinstance(c.value, str) and any(s in c.value for s in
                ('HYPERLINK', '+1+1', '-2+3')):
            if c.data_type != 's' or not c.value.startswith("'"):
                print(c.coordinate, c.data_type, c.value)
                bad += 1
sys.exit(1 if bad else 0)
EOF
  if ! $PY tests/scripts/lib/outputs_check.py "$DB" $M "$X" "$IN" --no-bank \
       >"$TMP/check.out" 2>&1; then
    cat "$TMP/check.out" >&2
    fail "the workbooks on the altered inputs" "ok" "problems"
  fi
fi

# ---- the bank file is refused, and nothing is written --------------------------------
for w in bank all; do
  status=0
  psl "$IN" export $w $M --out "$TMP/y-$w" >/dev/null 2>&1 || status=$?
  [ "$status" -eq 1 ] || fail "export $w" "exit 1" "exit $status"
  n=$(ls -A "$TMP/y-$w" 2>/dev/null | wc -l)
  [ "$n" -eq 0 ] || fail "export $w after the refusal" "no file" "$(ls -A "$TMP/y-$w")"
done

if [ "$failures" -ne 0 ]; then
  echo "outputs-injection.sh: $failures failures" >&2
  exit 1
fi
echo "outputs-injection.sh: formulas in the inputs stay text; the bank file is refused, the previous folder untouched"
