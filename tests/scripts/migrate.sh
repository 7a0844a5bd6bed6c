#!/bin/sh
# migrate.sh -- a ledger written by paysettle 0.3 (schema 1: no retro
# tables) is brought to schema 2 when a newer paysettle opens it, in one
# transaction, keeping its months: made here by removing schema 2's
# objects from a new ledger and setting user_version back to 1.
set -eu
PS=$1
TMP=$2
VG=${PAYSETTLE_VG:-}
DB=$TMP/ledger.db
fail() { echo "migrate.sh: $*"; exit 1; }

$VG "$PS" run 2026-07 --db "$DB" --outputs "$TMP/out" >/dev/null
$VG "$PS" close 2026-07 --db "$DB" >/dev/null
sqlite3 "$DB" "
  DROP TRIGGER retro_update; DROP TRIGGER retro_delete;
  DROP TRIGGER retro_closed_insert;
  DROP TRIGGER retro_file_update; DROP TRIGGER retro_file_delete;
  DROP TRIGGER retro_file_closed_insert;
  DROP TRIGGER retro_delta_update; DROP TRIGGER retro_delta_delete;
  DROP TRIGGER retro_delta_closed_insert;
  DROP TABLE retro_delta; DROP TABLE retro_file; DROP TABLE retro;
  DROP TABLE whatif_log; PRAGMA user_version = 1;"
[ "$(sqlite3 "$DB" 'PRAGMA user_version')" = 1 ] || fail "setup"
$VG "$PS" verify --db "$DB" >/dev/null || fail "verify of the migrated ledger"
[ "$(sqlite3 "$DB" 'PRAGMA user_version')" = 2 ] ||
  fail "user_version $(sqlite3 "$DB" 'PRAGMA user_version'), want 2"
n=$(sqlite3 "$DB" "SELECT count(*) FROM sqlite_schema WHERE name IN
  ('retro', 'retro_file', 'retro_delta', 'whatif_log', 'retro_update',
   'retro_delta_closed_insert')")
[ "$n" = 6 ] || fail "$n of 6 schema-2 objects after migration"
[ "$(sqlite3 "$DB" "SELECT count(*) FROM run WHERE status = 'closed'")" = 1 ] ||
  fail "the closed month was lost"
$VG "$PS" reproduce 2026-07 --db "$DB" >/dev/null || fail "reproduce"
echo "migrate.sh: schema 1 -> 2, the closed month kept and reproduced"
