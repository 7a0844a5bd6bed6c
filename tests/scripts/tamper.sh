#!/bin/sh
# tamper.sh -- closed months cannot be changed, and a change made around the
# guards is found by `verify`, which names the month (engine/ledger.h: "closed
# months are append-only in the database itself: triggers refuse any UPDATE
# or DELETE of their rows, whatever program sends it"; "an edit of history
# made around the triggers is found by ledger_verify").
#
#   sh tests/scripts/tamper.sh PAYSETTLE TMPDIR
#
# A ledger with 2026-01, 2026-02 and 2026-03 of the sample district closed;
# every tampering is done with the sqlite3 shell on a fresh copy of it:
#  1. with the triggers in place, UPDATE/DELETE/INSERT of a closed month's
#     rows is refused by the database (sqlite3 exits non-zero with "a closed
#     month never changes") and the file is unchanged;
#  2. trigger result_closed_update dropped, E0001's gross in 2026-02 raised by
#     one fen: show prints the changed figure, verify exits 1 naming 2026-02
#     (and neither 2026-01 nor 2026-03), reproduce 2026-02 finds the figure;
#  3. entry_closed_update dropped, one journal line of 2026-01 changed by one
#     fen: verify exits 1 naming 2026-01;
#  4. run_closed_update dropped, the operator of 2026-03 changed: verify names
#     2026-03;
#  5. run_closed_delete dropped, 2026-02 deleted: verify names 2026-03 (its
#     link to the previous closed month is broken);
#  6. blob_update dropped, the content of 2026-01's stored attendance.csv
#     changed (its recorded SHA-256 left as it was): verify names 2026-01.
set -eu
PS=$1
TMP=$2
VG=${PAYSETTLE_VG:-}
BASE=$TMP/ledger.db
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

fresh() {   # fresh NAME: a copy of the closed ledger; prints its path
  rm -f "$TMP/$1.db" "$TMP/$1.db-wal" "$TMP/$1.db-shm"
  cp "$BASE" "$TMP/$1.db"
  echo "$TMP/$1.db"
}

# expect_verify_fails DB MONTH [NOT_MONTH ...]: verify exits 1 and its
# stderr names MONTH (as "MONTH:"), and none of the NOT_MONTHs.
expect_verify_fails() {
  db=$1
  month=$2
  shift 2
  rc=0
  psl "$db" verify >"$TMP/v.out" 2>"$TMP/v.err" || rc=$?
  [ "$rc" = 1 ] || fail "verify after tampering with $month" "exit 1" "exit $rc: $(cat "$TMP/v.out" "$TMP/v.err")"
  grep -q " $month: " "$TMP/v.err" ||
    fail "verify names $month" "a line '... $month: ...' in stderr" "$(cat "$TMP/v.err")"
  for other in "$@"; do
    if grep -q " $other: " "$TMP/v.err"; then
      fail "verify does not blame $other" "no line naming $other" "$(grep " $other: " "$TMP/v.err")"
    fi
  done
}

# ---- the ledger: three closed months ---------------------------------------
for m in 01 02 03; do
  if ! psl "$BASE" run "2026-$m" >"$TMP/out" 2>"$TMP/err" ||
     ! psl "$BASE" close "2026-$m" >"$TMP/out" 2>"$TMP/err"; then
    cat "$TMP/err" >&2
    fail "run and close 2026-$m" "exit 0" "exit non-zero"
    exit 1
  fi
done
psl "$BASE" verify >"$TMP/out" 2>&1 ||
  { fail "verify of the untouched ledger" "exit 0" "$(cat "$TMP/out")"; exit 1; }

RUN2="(SELECT run_id FROM run WHERE month = '2026-02' AND status = 'closed')"
RUN1="(SELECT run_id FROM run WHERE month = '2026-01' AND status = 'closed')"

# ---- 1. the triggers refuse changes to closed months ---------------------
db=$(fresh guarded)
before=$(sqlite3 "$db" .dump | cksum)
for sql in \
  "UPDATE result SET vals = vals || '0' WHERE run_id = $RUN2 AND level = 0 AND entity = 'E0001'" \
  "DELETE FROM result WHERE run_id = $RUN2" \
  "INSERT INTO result(run_id, level, entity, agency, vals) VALUES($RUN2, 0, 'E9999', 'A01', '0')" \
  "UPDATE entry SET amount_fen = amount_fen + 1 WHERE run_id = $RUN1" \
  "DELETE FROM entry WHERE run_id = $RUN1" \
  "UPDATE run SET operator = 'mallory' WHERE month = '2026-03'" \
  "DELETE FROM run WHERE month = '2026-02'" \
  "UPDATE run_file SET sha256 = sha256 WHERE run_id = $RUN1" \
  "DELETE FROM run_file WHERE run_id = $RUN1" \
  "UPDATE blob SET size = size"; do
  rc=0
  sqlite3 "$db" "$sql" >"$TMP/sq.out" 2>"$TMP/sq.err" || rc=$?
  [ "$rc" -ne 0 ] || fail "sqlite3: $sql" "refused (non-zero exit)" "exit 0"
  grep -q -e "a closed month never changes" -e "stored files never change" "$TMP/sq.err" ||
    fail "sqlite3 message for: $sql" "a closed month never changes" "$(cat "$TMP/sq.err")"
done
after=$(sqlite3 "$db" .dump | cksum)
[ "$before" = "$after" ] || fail "the ledger after the refused statements" "unchanged" "changed"
psl "$db" verify >"$TMP/out" 2>&1 || fail "verify after refused statements" "exit 0" "$(cat "$TMP/out")"

# ---- 2. one amount of 2026-02 changed around the trigger -------------------
db=$(fresh result)
# the position of gross among the employee items (run.items: "0 NAME" lines)
k=$(sqlite3 "$db" "SELECT items FROM run WHERE run_id = $RUN2" |
    awk '$1 == "0" { n++ } $1 == "0" && $2 == "gross" { print n }')
[ -n "$k" ] || { fail "gross among the stored items" "a position" "none"; exit 1; }
sqlite3 "$db" "SELECT vals FROM result WHERE run_id = $RUN2 AND level = 0 AND entity = 'E0001'" \
  >"$TMP/vals"
case "$(cat "$TMP/vals")" in *"'"*) fail "stored vals" "no quote" "a quote"; exit 1 ;; esac
old=$(awk -F '\t' -v k="$k" '{ print $k }' "$TMP/vals")
# new = old + 0.01, in exact fen
new=$(echo "$old" | awk '
  !/^[0-9]+(\.[0-9][0-9]?)?$/ { print "BAD"; exit }
  { i = index($0, "."); ip = i ? substr($0, 1, i - 1) : $0; fp = i ? substr($0, i + 1) : ""
    while (length(fp) < 2) fp = fp "0"; v = ip * 100 + fp + 1
    printf "%.0f.%02d\n", int(v / 100), v % 100 }')
[ "$new" != BAD ] || { fail "E0001's gross in 2026-02" "an amount" "$old"; exit 1; }
awk -F '\t' -v OFS='\t' -v k="$k" -v new="$new" -v run="$RUN2" '
  { $k = new
    printf "DROP TRIGGER result_closed_update;\n"
    printf "UPDATE result SET vals = '\''%s'\'' WHERE run_id = %s AND level = 0 AND entity = '\''E0001'\'';\n", $0, run }' \
  "$TMP/vals" >"$TMP/tamper.sql"
sqlite3 "$db" <"$TMP/tamper.sql" ||
  { fail "sqlite3 tampering (trigger dropped)" "exit 0" "exit non-zero"; exit 1; }
psl "$db" show 2026-02 E0001 >"$TMP/show.out" 2>&1 ||
  fail "show 2026-02 E0001 after tampering" "exit 0" "$(cat "$TMP/show.out")"
got=$(awk '$1 == "gross" { print $2 }' "$TMP/show.out")
want=$new   # show prints the stored text as it is
[ "$got" = "$want" ] || fail "the tampered gross of E0001 in 2026-02" "$want (was $old)" "$got"
expect_verify_fails "$db" 2026-02 2026-01 2026-03
rc=0
psl "$db" reproduce 2026-02 >"$TMP/r.out" 2>&1 || rc=$?
[ "$rc" -ne 0 ] || fail "reproduce 2026-02 after tampering" "exit non-zero" "exit 0"
grep -q "employee E0001 gross: stored $want, recomputed $old" "$TMP/r.out" ||
  fail "reproduce 2026-02 lists the figure" "employee E0001 gross: stored $want, recomputed $old" \
    "$(head -n 5 "$TMP/r.out")"

# ---- 3. one journal line of 2026-01 -----------------------------------------
db=$(fresh entry)
sqlite3 "$db" "DROP TRIGGER entry_closed_update;
  UPDATE entry SET amount_fen = amount_fen + 1 WHERE run_id = $RUN1 AND
  seq = (SELECT min(seq) FROM entry WHERE run_id = $RUN1);" ||
  fail "sqlite3 tampering with entry (trigger dropped)" "exit 0" "exit non-zero"
expect_verify_fails "$db" 2026-01 2026-02 2026-03

# ---- 4. the run record of 2026-03 ----------------------------------------
db=$(fresh run)
sqlite3 "$db" "DROP TRIGGER run_closed_update;
  UPDATE run SET operator = 'mallory' WHERE month = '2026-03';" ||
  fail "sqlite3 tampering with run (trigger dropped)" "exit 0" "exit non-zero"
expect_verify_fails "$db" 2026-03 2026-01 2026-02

# ---- 5. a closed month deleted -----------------------------------------------
db=$(fresh deleted)
sqlite3 "$db" "DROP TRIGGER run_closed_delete; DELETE FROM run WHERE month = '2026-02';" ||
  fail "sqlite3 deleting 2026-02 (trigger dropped)" "exit 0" "exit non-zero"
expect_verify_fails "$db" 2026-03 2026-01

# ---- 6. a stored input file of 2026-01 --------------------------------------
db=$(fresh blob)
sqlite3 "$db" "DROP TRIGGER blob_update;
  UPDATE blob SET content = CAST(CAST(content AS TEXT) || 'E9999,0,0,0,0,0,0,' || char(10) AS BLOB)
  WHERE sha256 = (SELECT sha256 FROM run_file WHERE run_id = $RUN1 AND path LIKE '%2026-01/attendance.csv');" ||
  fail "sqlite3 tampering with a stored file (trigger dropped)" "exit 0" "exit non-zero"
n=$(sqlite3 "$db" "SELECT count(*) FROM blob WHERE CAST(content AS TEXT) LIKE '%E9999,0,0,0,0,0,0,%'")
[ "$n" = 1 ] || fail "the stored attendance.csv of 2026-01 was changed" 1 "$n"
expect_verify_fails "$db" 2026-01 2026-02 2026-03

if [ "$failures" -ne 0 ]; then
  echo "tamper.sh: $failures failures" >&2
  exit 1
fi
echo "tamper.sh: closed months refused every change; verify named each tampered month"
