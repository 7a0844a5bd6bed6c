#!/bin/sh
# refusals.sh -- what the month's lifecycle refuses, and that a refusal leaves
# the ledger exactly as it was (the whole database, dumped as SQL text, has
# the same checksum before and after). Issue 3: "Refuse, with a message that
# says what to do, a month that is closed, and a month whose tax year has an
# earlier month with an unclosed draft"; close is refused for a month closed
# already; the months of a tax year are run in order; a second annual bonus
# in one tax year is an error (scheme-shanghai.md section 4).
#
#   sh tests/scripts/refusals.sh PAYSETTLE TMPDIR
#
# The sample district's January-March, copied into TMPDIR; a second copy of
# it gives E0001 (annual bonus 14,600.00 in January) another annual bonus in
# February. Every refusal must exit 1 with its message.
set -eu
PS=$1
TMP=$2
VG=${PAYSETTLE_VG:-}
DB=$TMP/ledger.db
IN=$TMP/inputs
BONUS=$TMP/inputs-bonus
failures=0

fail() {   # fail WHAT EXPECTED GOT
  echo "FAIL: $1: expected [$2], got [$3]" >&2
  failures=$((failures + 1))
}

psl() {   # psl INPUTS ARGS...
  root=$1
  shift
  # shellcheck disable=SC2086
  $VG "$PS" "$@" --db "$DB" --inputs "$root" --rules rules/shanghai.yaml </dev/null
}

state() {
  if [ -f "$DB" ]; then sqlite3 "$DB" .dump | cksum; else echo none; fi
}

ok() {   # ok INPUTS ARGS...: the command must succeed
  if ! psl "$@" >"$TMP/out" 2>"$TMP/err"; then
    shift
    fail "$*" "exit 0" "exit non-zero: $(cat "$TMP/err")"
    exit 1
  fi
}

# refused MESSAGE INPUTS ARGS...: exit 1, MESSAGE in stderr, ledger unchanged
refused() {
  msg=$1
  shift
  before=$(state)
  rc=0
  psl "$@" >"$TMP/out" 2>"$TMP/err" || rc=$?
  shift
  [ "$rc" = 1 ] || fail "$* (refused)" "exit 1" "exit $rc: $(cat "$TMP/err")"
  grep -q -F -- "$msg" "$TMP/err" || fail "$* message" "...$msg..." "$(cat "$TMP/err")"
  after=$(state)
  [ "$after" = "$before" ] || fail "the ledger after the refused $*" "unchanged" "changed"
}

# runs_of MONTH: the statuses of MONTH's runs in `runs`, e.g. "closed" or "draft"
runs_of() {
  psl "$IN" runs | awk -v m="$1" 'NR > 1 && $2 == m { printf "%s%s", sep, $4; sep = " " }'
}

mkdir -p "$IN" "$BONUS"
cp inputs/agencies.csv "$IN/"
cp inputs/agencies.csv "$BONUS/"
for m in 01 02 03; do
  cp -r "inputs/2026-$m" "$IN/"
  cp -r "inputs/2026-$m" "$BONUS/"
done
grep -q '^E0001,annual_bonus,' "$IN/2026-01/adjustments.csv" ||
  fail "the sample gives E0001 an annual bonus in January" "a row" "none"
grep -q '^E0001,annual_bonus,' "$IN/2026-02/adjustments.csv" &&
  fail "the sample gives E0001 no annual bonus in February" "no row" "a row"
echo "E0001,annual_bonus,2000.00,second annual bonus" >>"$BONUS/2026-02/adjustments.csv"
echo "E0001,annual_bonus,3000.00,second annual bonus" >>"$BONUS/2026-03/adjustments.csv"

# ---- January a draft: February must wait ----------------------------------
ok "$IN" run 2026-01
refused "2026-01 is still a draft: close it first" "$IN" run 2026-02
refused "2026-02 has no draft to close" "$IN" close 2026-02
[ "$(runs_of 2026-01)" = draft ] || fail "2026-01 after the refusals" draft "$(runs_of 2026-01)"
[ -z "$(runs_of 2026-02)" ] || fail "2026-02 after the refusals" "no run" "$(runs_of 2026-02)"

# ---- January closed: never again ------------------------------------------
ok "$IN" close 2026-01
refused "2026-01 is closed already" "$IN" close 2026-01
refused "2026-01 is closed: a closed month never changes" "$IN" run 2026-01
[ "$(runs_of 2026-01)" = closed ] || fail "2026-01 runs" "one closed run" "$(runs_of 2026-01)"

# ---- out of order: March before February ----------------------------------
refused "2026-02 was never run" "$IN" run 2026-03
[ -z "$(runs_of 2026-03)" ] || fail "2026-03 after the refusal" "no run" "$(runs_of 2026-03)"

# ---- a second annual bonus in the tax year ---------------------------------
refused "a second annual bonus" "$BONUS" run 2026-02
grep -q -e E0001 -e adjustments.csv "$TMP/err" ||
  fail "the annual-bonus refusal points at the row" "adjustments.csv / E0001" "$(cat "$TMP/err")"
[ -z "$(runs_of 2026-02)" ] || fail "2026-02 after the bonus refusal" "no run" "$(runs_of 2026-02)"

# ---- the same month without it runs (so the refusal was the bonus's) --------
ok "$IN" run 2026-02
refused "2026-02 is still a draft: close it first" "$IN" run 2026-03
ok "$IN" run 2026-02            # running a draft again replaces it
[ "$(runs_of 2026-02)" = draft ] || fail "2026-02 after running it twice" "one draft" "$(runs_of 2026-02)"
ok "$IN" close 2026-02
# January's bonus still counts in March, two closed months later
refused "a second annual bonus" "$BONUS" run 2026-03
ok "$IN" run 2026-03
ok "$IN" close 2026-03
got="$(runs_of 2026-01) $(runs_of 2026-02) $(runs_of 2026-03)"
[ "$got" = "closed closed closed" ] || fail "January-March at the end" "closed closed closed" "$got"
ok "$IN" verify

# ---- a ledger that starts in March (a takeover): February comes too late ----
DB=$TMP/ledger-march.db
ok "$IN" run 2026-03
refused "2026-03 already has a run" "$IN" run 2026-02
ok "$IN" close 2026-03
refused "2026-03 already has a run" "$IN" run 2026-02

if [ "$failures" -ne 0 ]; then
  echo "refusals.sh: $failures failures" >&2
  exit 1
fi
echo "refusals.sh: every refusal exited 1 with its message and left the ledger unchanged"
