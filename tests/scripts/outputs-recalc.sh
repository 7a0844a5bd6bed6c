#!/bin/sh
# outputs-recalc.sh -- every totals formula, recalculated by an independent
# spreadsheet application, equals the engine's exact total to the fen
# (shared/spec/outputs.md: "the recalculated value equals the engine's value
# to the fen").
#
#   sh tests/scripts/outputs-recalc.sh PAYSETTLE TMPDIR
#
# LibreOffice (headless, from Debian's libreoffice-calc-nogui) opens each
# workbook of the sample month 2026-01 with "recalculate on load: always"
# (a profile of its own under TMPDIR; by default it would keep the stored
# values), and saves it again; recalc_check.py then compares every formula
# cell's recalculated value with the value paysettle stored beside the
# formula. The same for the settlement and tax workbooks written with
# 100-row sheets (PAYSETTLE_TEST_SHEET_ROWS), whose totals sum across
# several sheets.
set -eu
PS=$1
TMP=$2
VG=${PAYSETTLE_VG:-}
DB=$TMP/ledger.db
PY=/usr/bin/python3
M=2026-01
failures=0

fail() {   # fail WHAT EXPECTED GOT
  echo "FAIL: $1: expected [$2], got [$3]" >&2
  failures=$((failures + 1))
}

if ! command -v soffice >/dev/null 2>&1 || ! $PY -c 'import openpyxl' 2>/dev/null; then
  echo "outputs-recalc.sh: LibreOffice (soffice) or python3-openpyxl is not installed (./make.sh test installs libreoffice-calc-nogui and python3-openpyxl): skipped" >&2
  exit 0
fi

psl() {
  # shellcheck disable=SC2086
  $VG "$PS" "$@" --db "$DB" --inputs inputs --rules rules/shanghai.yaml </dev/null
}
psl run $M >/dev/null 2>"$TMP/err" || { cat "$TMP/err" >&2; exit 1; }
mkdir -p "$TMP/orig" "$TMP/lo/user"
cp "$TMP/outputs/$M"/*.xlsx "$TMP/orig/"
PAYSETTLE_TEST_SHEET_ROWS=100 psl export settlement $M --out "$TMP/split" >/dev/null
PAYSETTLE_TEST_SHEET_ROWS=100 psl export iit $M --out "$TMP/split" >/dev/null
for f in "$TMP/split"/*.xlsx; do cp "$f" "$TMP/orig/split-$(basename "$f")"; done

cat >"$TMP/lo/user/registrymodifications.xcu" <<'XCU'
<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
XCU
HOME=$TMP soffice "-env:UserInstallation=file://$TMP/lo" --headless \
  --convert-to xlsx --outdir "$TMP/recalc" "$TMP/orig"/*.xlsx \
  >"$TMP/soffice.out" 2>&1 || true
for f in "$TMP/orig"/*.xlsx; do
  r=$TMP/recalc/$(basename "$f")
  if [ ! -f "$r" ]; then
    fail "LibreOffice on $(basename "$f")" "a recalculated copy" "$(tail -3 "$TMP/soffice.out")"
    continue
  fi
  $PY tests/scripts/lib/recalc_check.py "$f" "$r" >"$TMP/recalc.out" 2>&1 ||
    fail "recalculated $(basename "$f")" "every formula as stored" "$(head -5 "$TMP/recalc.out")"
  cat "$TMP/recalc.out"
done

if [ "$failures" -ne 0 ]; then
  echo "outputs-recalc.sh: $failures failures" >&2
  exit 1
fi
echo "outputs-recalc.sh: LibreOffice recalculates every total to the engine's value"
