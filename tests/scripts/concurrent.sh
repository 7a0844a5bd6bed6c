#!/bin/sh
# concurrent.sh -- two commands on the same ledger at once: "the second waits
# or is refused with a clear message; nothing is lost or doubled" (issue 3,
# "Safety"; engine/ledger.h: "a second writer waits up to LEDGER_BUSY_MS,
# then is refused with a clear message").
#
#   sh tests/scripts/concurrent.sh PAYSETTLE TMPDIR
#
# 1. A ledger with 2026-01 of the sample district closed; three times, two
#    `run 2026-02` started together (one in the background, the other at
#    once). Each must exit 0 (it waited; its draft replaced the other's) or
#    exit 1 with "busy" in its message; at least one succeeds; `verify`
#    passes; exactly one run of 2026-02 exists, a draft, with as many result
#    rows and journal lines as the same month run alone (nothing doubled or
#    lost), and it reproduces.
# 2. The same on a ledger file that does not exist yet: two `run 2026-01`
#    at once, both creating it (eight times).
set -eu
PS=$1
TMP=$2
VG=${PAYSETTLE_VG:-}
failures=0

fail() {   # fail WHAT EXPECTED GOT
  echo "FAIL: $1: expected [$2], got [$3]" >&2
  failures=$((failures + 1))
}

psl() {   # psl DB ARGS...
  db=$1
  shift
  # shellcheck disable=SC2086
  $VG "$PS" "$@" --db "$db" --inputs inputs --rules rules/shanghai.yaml </dev/null
}

# counts DB MONTH: "runs results entries" of MONTH
counts() {
  sqlite3 "$1" "SELECT (SELECT count(*) FROM run WHERE month = '$2') || ' ' ||
    (SELECT count(*) FROM result JOIN run USING (run_id) WHERE month = '$2') || ' ' ||
    (SELECT count(*) FROM entry JOIN run USING (run_id) WHERE month = '$2')"
}

# outcome TRIAL NAME RC ERRFILE: exit 0, or exit 1 saying busy
outcome() {
  if [ "$3" -eq 0 ]; then
    return 0
  fi
  if [ "$3" -eq 1 ] && grep -q busy "$4"; then
    echo "$1: $2 was refused as busy: $(head -n 1 "$4")"
    return 0
  fi
  fail "$1: $2" "exit 0, or exit 1 with 'busy'" "exit $3: $(head -n 3 "$4")"
}

# race DB MONTH TRIAL: two runs of MONTH on DB at once
race() {
  db=$1
  mon=$2
  trial=$3
  # shellcheck disable=SC2086
  $VG "$PS" run "$mon" --db "$db" --inputs inputs --rules rules/shanghai.yaml \
    </dev/null >"$TMP/a.out" 2>"$TMP/a.err" &
  pid=$!
  rcb=0
  psl "$db" run "$mon" >"$TMP/b.out" 2>"$TMP/b.err" || rcb=$?
  rca=0
  wait "$pid" || rca=$?
  outcome "$trial" "the background run" "$rca" "$TMP/a.err"
  outcome "$trial" "the foreground run" "$rcb" "$TMP/b.err"
  [ "$rca" -eq 0 ] || [ "$rcb" -eq 0 ] ||
    fail "$trial: at least one run stored $mon" "one exit 0" "exits $rca and $rcb"
  psl "$db" verify >"$TMP/v.out" 2>&1 || fail "$trial: verify" "exit 0" "$(cat "$TMP/v.out")"
  got=$(psl "$db" runs | awk -v m="$mon" 'NR > 1 && $2 == m { printf "%s%s", s, $4; s = " " }')
  [ "$got" = draft ] || fail "$trial: the runs of $mon" "exactly one draft" "$got"
  got=$(counts "$db" "$mon")
  [ "$got" = "$want" ] || fail "$trial: runs, results, entries of $mon" "$want (one run alone)" "$got"
  psl "$db" reproduce "$mon" >"$TMP/r.out" 2>&1 ||
    fail "$trial: reproduce $mon" "exit 0" "$(head -n 3 "$TMP/r.out")"
}

# ---- reference: each month run alone -----------------------------------
REF=$TMP/ref.db
if ! psl "$REF" run 2026-01 >"$TMP/out" 2>&1 || ! psl "$REF" close 2026-01 >"$TMP/out" 2>&1 ||
   ! cp "$REF" "$TMP/base.db" || ! psl "$REF" run 2026-02 >"$TMP/out" 2>&1; then
  cat "$TMP/out" >&2
  fail "the reference ledger" "runs succeed" "a failure"
  exit 1
fi
want01=$(counts "$REF" 2026-01)
want02=$(counts "$REF" 2026-02)
case "$want02" in "1 "*) ;; *) fail "reference counts of 2026-02" "1 run" "$want02" ;; esac

# ---- 1. an existing ledger ---------------------------------------------
want=$want02
for i in 1 2 3; do
  db=$TMP/existing-$i.db
  cp "$TMP/base.db" "$db"
  race "$db" 2026-02 "existing ledger, trial $i"
  got=$(counts "$db" 2026-01)
  [ "$got" = "$want01" ] || fail "existing ledger, trial $i: 2026-01 untouched" "$want01" "$got"
done

# ---- 2. a ledger created by both at once --------------------------------
# (the first two processes to open a new file both find it empty)
want=$want01   # one run of 2026-01 (here a draft), its rows and lines
for i in 1 2 3 4 5 6 7 8; do
  race "$TMP/new-$i.db" 2026-01 "new ledger, trial $i"
done

if [ "$failures" -ne 0 ]; then
  echo "concurrent.sh: $failures failures" >&2
  exit 1
fi
echo "concurrent.sh: two runs at once: one waited or was refused as busy; one draft, nothing doubled"
