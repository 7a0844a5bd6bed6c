#!/bin/sh
# crash.sh -- a run killed at any moment leaves the ledger as it was or with
# the complete run, never in between (issue 3, "Safety"; engine/ledger.h: "a
# command that writes does it in one transaction").
#
#   sh tests/scripts/crash.sh PAYSETTLE TMPDIR
#
# A ledger with 2026-01 of the sample district closed. Each trial takes a
# fresh copy of it and crashes `run 2026-02` on it:
#  - 50 trials with the test hook PAYSETTLE_TEST_ABORT_AFTER=N (the run calls
#    abort() after N ledger writes: 1000 employee rows, then per agency its
#    results, control totals and 17 journal lines -- about 1,600 in all), N
#    from a fixed list of edges (1, 2, the last employee, the first agency
#    rows) and otherwise drawn by awk's rand() with a fixed seed in 1..1200;
#  - 15 trials with `kill -9` after a short sleep (0.00 .. 0.4 s) while the
#    run is in progress.
# After each: `verify` passes; 2026-02 is either absent (runs has no 2026-02,
# show refuses it) or complete (one draft with all 1000 employees, and
# reproduce 2026-02 passes); an abort() must leave it absent (nothing was
# committed); then a normal `run 2026-02` on the same copy succeeds and
# reproduces.
set -eu
PS=$1
TMP=$2
VG=${PAYSETTLE_VG:-}
BASE=$TMP/base.db
DB=$TMP/ledger.db
failures=0
absent=0
complete=0

fail() {   # fail WHAT EXPECTED GOT
  echo "FAIL: $1: expected [$2], got [$3]" >&2
  failures=$((failures + 1))
}

psl() {   # psl ARGS...: on the current copy $DB
  # shellcheck disable=SC2086
  $VG "$PS" "$@" --db "$DB" --inputs inputs --rules rules/shanghai.yaml </dev/null
}

fresh() {
  rm -f "$DB" "$DB-wal" "$DB-shm" "$DB-journal"
  cp "$BASE" "$DB"
}

# the state of 2026-02 after a crash: "absent" or "complete" (or a failure)
# $1: the trial, for messages; $2: "absent" when only absent is acceptable
check_after() {
  trial=$1
  want=${2:-}
  psl verify >"$TMP/v.out" 2>&1 ||
    fail "$trial: verify after the crash" "exit 0" "$(cat "$TMP/v.out")"
  psl runs >"$TMP/runs.out" 2>&1 ||
    fail "$trial: runs after the crash" "exit 0" "$(cat "$TMP/runs.out")"
  n=$(awk 'NR > 1 && $2 == "2026-02"' "$TMP/runs.out" | wc -l)
  closed1=$(awk 'NR > 1 && $2 == "2026-01" { print $4 }' "$TMP/runs.out")
  [ "$closed1" = closed ] || fail "$trial: 2026-01 after the crash" closed "$closed1"
  if [ "$n" -eq 0 ]; then
    absent=$((absent + 1))
    if psl show 2026-02 >/dev/null 2>&1; then
      fail "$trial: show 2026-02 of an absent month" "refused" "exit 0"
    fi
    rows=$(sqlite3 "$DB" "SELECT (SELECT count(*) FROM run) || ' ' ||
      (SELECT count(*) FROM result WHERE run_id NOT IN (SELECT run_id FROM run WHERE month = '2026-01')) || ' ' ||
      (SELECT count(*) FROM entry WHERE run_id NOT IN (SELECT run_id FROM run WHERE month = '2026-01'))")
    [ "$rows" = "1 0 0" ] ||
      fail "$trial: rows outside 2026-01 (runs, results, entries)" "1 0 0" "$rows"
  elif [ "$n" -eq 1 ]; then
    complete=$((complete + 1))
    [ "$want" != absent ] ||
      fail "$trial: 2026-02 after abort() (nothing committed)" "absent" "a run"
    emp=$(awk 'NR > 1 && $2 == "2026-02" { print $4 " " $5 }' "$TMP/runs.out")
    [ "$emp" = "draft 1000" ] || fail "$trial: the complete 2026-02" "draft 1000" "$emp"
    psl show 2026-02 >/dev/null 2>&1 || fail "$trial: show 2026-02" "exit 0" "non-zero"
    psl reproduce 2026-02 >"$TMP/r.out" 2>&1 ||
      fail "$trial: reproduce 2026-02 of the complete run" "exit 0" "$(head -n 5 "$TMP/r.out")"
  else
    fail "$trial: runs of 2026-02" "0 or 1" "$n"
  fi
}

# ---- the base ledger: January closed -----------------------------------
if ! $VG "$PS" run 2026-01 --db "$BASE" --inputs inputs --rules rules/shanghai.yaml \
       </dev/null >"$TMP/out" 2>&1 ||
   ! $VG "$PS" close 2026-01 --db "$BASE" </dev/null >"$TMP/out" 2>&1; then
  cat "$TMP/out" >&2
  fail "run and close 2026-01" "exit 0" "exit non-zero"
  exit 1
fi

# ---- 50 trials: abort() after N writes ------------------------------------
# edges: the first writes, the last employee (1000) and the agency rows after it
NS="1 2 999 1000 1001 1002 1018 1019 $(awk 'BEGIN { srand(20260201); for (i = 0; i < 42; i++) printf "%d ", int(rand() * 1200) + 1 }')"
trials=0
for N in $NS; do
  trials=$((trials + 1))
  fresh
  rc=0
  # shellcheck disable=SC2086
  PAYSETTLE_TEST_ABORT_AFTER=$N $VG "$PS" run 2026-02 --db "$DB" --inputs inputs \
    --rules rules/shanghai.yaml </dev/null >"$TMP/a.out" 2>"$TMP/a.err" || rc=$?
  # abort(): SIGABRT (exit 134 from the shell; ASan and valgrind keep it non-zero)
  [ "$rc" -ne 0 ] || fail "abort after $N writes: the run" "aborted (non-zero)" "exit 0"
  if grep -q "stored as a draft" "$TMP/a.out"; then
    fail "abort after $N writes: stdout" "no 'stored as a draft'" "$(head -n 1 "$TMP/a.out")"
  fi
  check_after "abort after $N writes" absent
  psl run 2026-02 >"$TMP/out" 2>&1 || fail "abort after $N: then a normal run 2026-02" "exit 0" "$(tail -n 3 "$TMP/out")"
  n=$(psl runs | awk 'NR > 1 && $2 == "2026-02" && $4 == "draft"' | wc -l)
  [ "$n" -eq 1 ] || fail "abort after $N: drafts of 2026-02 after the normal run" 1 "$n"
done
[ "$trials" -ge 50 ] || fail "abort trials" "at least 50" "$trials"

# ---- 10 trials: kill -9 at a short random delay ----------------------------
for d in 0.00 0.01 0.02 0.03 0.04 0.05 0.06 0.07 0.08 0.09 0.12 0.15 0.2 0.3 0.4; do
  fresh
  # shellcheck disable=SC2086
  $VG "$PS" run 2026-02 --db "$DB" --inputs inputs --rules rules/shanghai.yaml \
    </dev/null >"$TMP/k.out" 2>&1 &
  pid=$!
  sleep "$d"
  kill -9 "$pid" 2>/dev/null || true
  rc=0
  wait "$pid" || rc=$?
  # 137: killed; 0: it had finished before the signal -- then it must be complete
  check_after "kill -9 after ${d}s (exit $rc)"
  if [ "$rc" -eq 0 ] && [ "$(awk 'NR > 1 && $2 == "2026-02"' "$TMP/runs.out" | wc -l)" -ne 1 ]; then
    fail "kill -9 after ${d}s: a run that exited 0" "2026-02 complete" "absent"
  fi
  psl run 2026-02 >"$TMP/out" 2>&1 || fail "kill -9 after ${d}s: then a normal run 2026-02" "exit 0" "$(tail -n 3 "$TMP/out")"
  psl reproduce 2026-02 >"$TMP/out" 2>&1 || fail "kill -9 after ${d}s: reproduce the new run" "exit 0" "$(tail -n 3 "$TMP/out")"
done

echo "crash.sh: $((trials + 15)) crashes: 2026-02 absent after $absent, complete after $complete"
if [ "$failures" -ne 0 ]; then
  echo "crash.sh: $failures failures" >&2
  exit 1
fi
