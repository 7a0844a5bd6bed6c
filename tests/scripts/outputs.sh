#!/bin/sh
# outputs.sh -- the month's files (issue 4; shared/spec/outputs.md): what
# `run` writes into outputs/YYYY-MM/ and `export` writes again.
#
#   sh tests/scripts/outputs.sh PAYSETTLE TMPDIR     (from the repository root)
#
# On the sample month 2026-11:
#  - run writes the five files beside the ledger (outputs/2026-11/), with
#    mode 0600 for those with full ID numbers or bank accounts (payroll, iit,
#    bank) and 0644 for the others; no temporary file is left;
#  - every workbook read back with openpyxl (tests/scripts/lib/
#    outputs_check.py) holds, cell by cell, what the ledger (read with
#    Python's sqlite3), the inputs and the layout say: amounts equal to the
#    ledger's exact values, totals rows as SUM formulas with the exact totals,
#    equal to the ledger's control totals; formats, fonts, frozen rows,
#    autofilters, print setup; the bank file's lines, count and total;
#  - the settlement workbook holds no 18-character ID number and no bank
#    account (grep over its unzipped XML), the payroll does;
#  - the bank file starts with a UTF-8 BOM; its count and total equal the
#    ledger's employees with a positive net pay and the journal's net wages
#    (sqlite3 on the ledger);
#  - the journal file is the month's journal (`export journal`, without the
#    run's status) and passes `hledger check` when hledger is installed;
#  - after close, `export all --out DIR` twice and `export all` into the
#    outputs folder give files byte-identical to what run wrote (cmp);
#    `export settlement` writes that file alone; --outputs moves the folder.
set -eu
PS=$1
TMP=$2
VG=${PAYSETTLE_VG:-}
DB=$TMP/ledger.db
PY=/usr/bin/python3
M=2026-11
OUT=$TMP/outputs/$M
failures=0

fail() {   # fail WHAT EXPECTED GOT
  echo "FAIL: $1: expected [$2], got [$3]" >&2
  failures=$((failures + 1))
}

psl() {
  # shellcheck disable=SC2086
  $VG "$PS" "$@" --db "$DB" --inputs inputs --rules rules/shanghai.yaml </dev/null
}

# ---- run ---------------------------------------------------------------------
if ! psl run $M >"$TMP/run.out" 2>"$TMP/run.err"; then
  cat "$TMP/run.err" >&2
  fail "run $M" "exit 0" "exit non-zero"
  exit 1
fi
grep -q "^$M: wrote $OUT/: settlement-$M.xlsx, payroll-$M.xlsx, iit-$M.xlsx, bank-$M.csv, journal-$M.journal$" "$TMP/run.out" ||
  fail "run says what it wrote" "the five files" "$(grep wrote "$TMP/run.out" || true)"
for f in payroll-$M.xlsx:600 iit-$M.xlsx:600 bank-$M.csv:600 \
         settlement-$M.xlsx:644 journal-$M.journal:644; do
  name=${f%%:*}
  want=${f#*:}
  if [ ! -f "$OUT/$name" ]; then
    fail "$name" "written" "missing"
    continue
  fi
  got=$(stat -c %a "$OUT/$name")
  [ "$got" = "$want" ] || fail "mode of $name" "$want" "$got"
done
left=$(ls -A "$TMP/outputs" | grep -v "^$M\$" || true)
[ -z "$left" ] || fail "outputs/ after the run" "only $M" "$left"

# ---- every cell, read back independently --------------------------------------
if $PY -c 'import openpyxl, yaml' 2>/dev/null; then
  if ! $PY tests/scripts/lib/outputs_check.py "$DB" $M "$OUT" inputs \
       >"$TMP/check.out" 2>&1; then
    cat "$TMP/check.out" >&2
    fail "the files read back with openpyxl" "ok" "problems"
  fi
else
  echo "outputs.sh: /usr/bin/python3 has no openpyxl or yaml (./make.sh test installs python3-openpyxl and python3-yaml): cell checks skipped" >&2
fi

# ---- no full ID or account in the settlement workbook ---------------------------
tail -n +2 inputs/$M/roster.csv | cut -d, -f3,4 | tr ',' '\n' | tr x X \
  >"$TMP/secrets"
n=$(wc -l <"$TMP/secrets")
[ "$n" -eq 2000 ] || fail "IDs and accounts of the sample roster" 2000 "$n"
unzip -p "$OUT/settlement-$M.xlsx" >"$TMP/settlement.xml"
if grep -Eq '[0-9]{17}[0-9X]' "$TMP/settlement.xml"; then
  fail "settlement workbook" "no 18-character ID number" \
       "$(grep -Eo '[0-9]{17}[0-9X]' "$TMP/settlement.xml" | head -1)"
fi
if grep -Fq -f "$TMP/secrets" "$TMP/settlement.xml"; then
  fail "settlement workbook" "no ID number or bank account of the roster" \
       "$(grep -Fo -f "$TMP/secrets" "$TMP/settlement.xml" | head -1)"
fi
unzip -p "$OUT/payroll-$M.xlsx" >"$TMP/payroll.xml"
grep -Fq "$(head -1 "$TMP/secrets")" "$TMP/payroll.xml" ||
  fail "payroll workbook" "the full ID numbers" "none found"

# ---- the bank file against the ledger -------------------------------------------
B=$OUT/bank-$M.csv
bom=$(head -c 3 "$B" | od -An -tx1 | tr -d ' ')
[ "$bom" = efbbbf ] || fail "bank file" "a UTF-8 BOM (efbbbf)" "$bom"
trailer=$(tail -n 1 "$B" | tr -d '\r')
count=$(echo "$trailer" | cut -d, -f2)
total=$(echo "$trailer" | cut -d, -f4)
lines=$(($(wc -l <"$B") - 2))
[ "$count" = "$lines" ] || fail "bank count line" "$lines lines" "$count"
run_id=$(sqlite3 "$DB" "SELECT run_id FROM run WHERE month = '$M'")
net_fen=$(sqlite3 "$DB" "SELECT -sum(amount_fen) FROM entry WHERE run_id = $run_id AND account = 'liabilities:payable:net wages'")
total_fen=$(echo "$total" | awk -F. '{ printf "%.0f", $1 * 100 + $2 }')
[ "$total_fen" = "$net_fen" ] ||
  fail "bank total" "the journal's net wages, $net_fen fen" "$total_fen fen"
# employees with a positive net pay, from the ledger's packed result rows:
# the value at net_pay's position among the employee items
pos=$(sqlite3 "$DB" "SELECT items FROM run WHERE run_id = $run_id" |
      awk '$1 == 0 { n++; if ($2 == "net_pay") print n }')
paid=$(sqlite3 -separator '	' "$DB" "SELECT vals FROM result WHERE run_id = $run_id AND level = 0" |
       awk -F'\t' -v p="$pos" '$p + 0 > 0 { n++ } END { print n + 0 }')
[ "$count" = "$paid" ] ||
  fail "bank count" "$paid employees with a positive net pay" "$count"

# ---- the journal ---------------------------------------------------------------------
psl export journal $M --out "$TMP/journal.export" >/dev/null
tail -n +2 "$TMP/journal.export" >"$TMP/j1"
tail -n +2 "$OUT/journal-$M.journal" >"$TMP/j2"
cmp -s "$TMP/j1" "$TMP/j2" ||
  fail "journal-$M.journal" "the month's journal (export journal)" "a difference"
if command -v hledger >/dev/null 2>&1; then
  hledger -f "$OUT/journal-$M.journal" check >"$TMP/hl.out" 2>&1 ||
    fail "hledger check journal-$M.journal" "ok" "$(head -3 "$TMP/hl.out")"
fi

# ---- close; the same files again, byte for byte --------------------------------------
cp -p -r "$OUT" "$TMP/run-files"
psl close $M >/dev/null
for d in e1 e2; do
  if ! psl export all $M --out "$TMP/$d" >"$TMP/export.out" 2>&1; then
    cat "$TMP/export.out" >&2
    fail "export all $M --out $d" "exit 0" "exit non-zero"
    continue
  fi
  for f in "$TMP/run-files"/*; do
    cmp -s "$f" "$TMP/$d/$(basename "$f")" ||
      fail "export $d/$(basename "$f")" "byte-identical to run's" "different"
  done
  n=$(ls -A "$TMP/$d" | wc -l)
  [ "$n" -eq 5 ] || fail "export all $M --out $d" "5 files" "$n"
done
for f in payroll-$M.xlsx:600 bank-$M.csv:600 settlement-$M.xlsx:644; do
  got=$(stat -c %a "$TMP/e1/${f%%:*}")
  [ "$got" = "${f#*:}" ] || fail "mode of exported ${f%%:*}" "${f#*:}" "$got"
done
psl export all $M >/dev/null
for f in "$TMP/run-files"/*; do
  cmp -s "$f" "$OUT/$(basename "$f")" ||
    fail "export all into outputs/$M: $(basename "$f")" "byte-identical" "different"
done
left=$(ls -A "$TMP/outputs" | grep -v "^$M\$" || true)
[ -z "$left" ] || fail "outputs/ after export all" "only $M" "$left"
psl export settlement $M --out "$TMP/e3" >/dev/null
got=$(ls -A "$TMP/e3" | tr '\n' ' ')
[ "$got" = "settlement-$M.xlsx " ] || fail "export settlement" "settlement-$M.xlsx alone" "$got"
psl export all $M --outputs "$TMP/elsewhere" >/dev/null
[ -f "$TMP/elsewhere/$M/payroll-$M.xlsx" ] ||
  fail "export all --outputs DIR" "DIR/$M/payroll-$M.xlsx" "$(ls -R "$TMP/elsewhere" 2>&1 | head -3)"
if psl export payslips $M >/dev/null 2>"$TMP/err"; then
  fail "export payslips (no such output)" "refused" "exit 0"
fi

if [ "$failures" -ne 0 ]; then
  echo "outputs.sh: $failures failures" >&2
  exit 1
fi
echo "outputs.sh: the five files of $M hold what the ledger holds; modes, secrets, bank totals, byte-identical re-export"
