/*
** ledger.c -- the SQLite ledger.
**
** Storage, in one place:
**  - run: one row per computed month (kind, status, rule-set digest,
**    engine version, operator, times, the item names in packing order,
**    and for closed months the close sequence, digest and previous digest);
**  - blob: file contents by SHA-256; run_file: which files a run read;
**  - result: one row per entity per run, its items packed in the run's item
**    order as tab-separated exact texts (DESIGN.md: millions of employees x
**    dozens of items want one row per employee, not one per item);
**  - entry: journal lines in whole fen (INTEGER: SQLite's sum() of integers
**    is exact);
**  - opening: year-to-date figures taken over from a previous system.
** Every table is STRICT; triggers make closed months append-only.
*/
#include "ledger.h"
#include "calendar.h"
#include "digest.h"
#include "util.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char SCHEMA_V1[] =
  "CREATE TABLE blob("
  "  sha256 TEXT PRIMARY KEY CHECK(length(sha256) = 64),"
  "  size INTEGER NOT NULL CHECK(size >= 0),"
  "  content BLOB NOT NULL) STRICT;"
  "CREATE TABLE run("
  "  run_id INTEGER PRIMARY KEY,"
  "  month TEXT NOT NULL CHECK(month GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]'),"
  "  kind TEXT NOT NULL CHECK(kind IN ('regular', 'correction', 'retro')),"
  "  status TEXT NOT NULL CHECK(status IN ('draft', 'closed')),"
  "  rules_name TEXT NOT NULL,"
  "  rules_sha256 TEXT NOT NULL,"
  "  engine_version TEXT NOT NULL,"
  "  operator TEXT NOT NULL,"
  "  created_at TEXT NOT NULL,"
  "  rules_path TEXT NOT NULL,"
  "  inputs_root TEXT NOT NULL,"
  "  items TEXT NOT NULL,"
  "  closed_at TEXT,"
  "  close_seq INTEGER UNIQUE,"
  "  prev_digest TEXT,"
  "  digest TEXT,"
  "  CHECK((status = 'closed') = (close_seq IS NOT NULL))) STRICT;"
  "CREATE UNIQUE INDEX run_one_per_month ON run(month, kind, status);"
  "CREATE TABLE run_file("
  "  run_id INTEGER NOT NULL REFERENCES run ON DELETE CASCADE,"
  "  role TEXT NOT NULL CHECK(role IN ('rules', 'input')),"
  "  path TEXT NOT NULL,"
  "  sha256 TEXT NOT NULL REFERENCES blob,"
  "  PRIMARY KEY(run_id, role, path)) STRICT;"
  "CREATE TABLE result("
  "  run_id INTEGER NOT NULL REFERENCES run ON DELETE CASCADE,"
  "  level INTEGER NOT NULL CHECK(level BETWEEN 0 AND 3),"
  "  entity TEXT NOT NULL,"
  "  agency TEXT,"
  "  vals TEXT NOT NULL,"
  "  PRIMARY KEY(run_id, level, entity)) STRICT;"
  "CREATE INDEX result_by_entity ON result(entity, level);"
  "CREATE TABLE entry("
  "  run_id INTEGER NOT NULL REFERENCES run ON DELETE CASCADE,"
  "  seq INTEGER NOT NULL,"
  "  txn INTEGER NOT NULL,"
  "  agency TEXT NOT NULL,"
  "  txn_name TEXT NOT NULL,"
  "  account TEXT NOT NULL,"
  "  amount_fen INTEGER NOT NULL,"
  "  PRIMARY KEY(run_id, seq)) STRICT;"
  "CREATE TABLE opening("
  "  employee TEXT NOT NULL,"
  "  year INTEGER NOT NULL,"
  "  header TEXT NOT NULL,"
  "  row TEXT NOT NULL,"
  "  PRIMARY KEY(employee, year)) STRICT;"
  "CREATE TRIGGER run_closed_update BEFORE UPDATE ON run"
  "  WHEN OLD.status = 'closed'"
  "  BEGIN SELECT RAISE(ABORT, 'a closed month never changes'); END;"
  "CREATE TRIGGER run_closed_delete BEFORE DELETE ON run"
  "  WHEN OLD.status = 'closed'"
  "  BEGIN SELECT RAISE(ABORT, 'a closed month never changes'); END;"
  "CREATE TRIGGER blob_update BEFORE UPDATE ON blob"
  "  BEGIN SELECT RAISE(ABORT, 'stored files never change'); END;";

/* Schema 2: retros and corrections, settled in a later open month; and
** a log of what-if computations. Recorded once, never changed: rows can
** be added only while the pay-in month is not closed. */
static const char SCHEMA_V2[] =
  "CREATE TABLE retro("
  "  retro_id INTEGER PRIMARY KEY,"
  "  kind TEXT NOT NULL CHECK(kind IN ('retro', 'correction')),"
  "  from_month TEXT NOT NULL,"
  "  to_month TEXT NOT NULL,"
  "  pay_in TEXT NOT NULL CHECK(pay_in > to_month),"
  "  rules_name TEXT NOT NULL,"
  "  rules_sha256 TEXT NOT NULL,"
  "  inputs_sha256 TEXT NOT NULL,"
  "  rules_path TEXT NOT NULL,"
  "  inputs_root TEXT NOT NULL,"
  "  engine_version TEXT NOT NULL,"
  "  operator TEXT NOT NULL,"
  "  created_at TEXT NOT NULL) STRICT;"
  "CREATE INDEX retro_by_pay_in ON retro(pay_in);"
  "CREATE TABLE retro_file("
  "  retro_id INTEGER NOT NULL REFERENCES retro,"
  "  role TEXT NOT NULL CHECK(role IN ('rules', 'input')),"
  "  path TEXT NOT NULL,"
  "  sha256 TEXT NOT NULL REFERENCES blob,"
  "  PRIMARY KEY(retro_id, role, path)) STRICT;"
  "CREATE TABLE retro_delta("
  "  retro_id INTEGER NOT NULL REFERENCES retro,"
  "  month TEXT NOT NULL,"
  "  employee TEXT NOT NULL,"
  "  agency TEXT NOT NULL,"
  "  item TEXT NOT NULL,"
  "  amount TEXT NOT NULL,"
  "  PRIMARY KEY(retro_id, month, employee, item)) STRICT;"
  "CREATE INDEX retro_delta_by_month ON retro_delta(month);"
  "CREATE TRIGGER retro_closed_insert BEFORE INSERT ON retro"
  "  WHEN EXISTS(SELECT 1 FROM run WHERE month = NEW.pay_in AND"
  "              status = 'closed')"
  "  BEGIN SELECT RAISE(ABORT, 'a closed month never changes'); END;"
  "CREATE TABLE whatif_log("
  "  whatif_id INTEGER PRIMARY KEY,"
  "  from_month TEXT NOT NULL,"
  "  to_month TEXT NOT NULL,"
  "  scenario TEXT NOT NULL,"
  "  rules_sha256 TEXT NOT NULL,"
  "  base_sha256 TEXT NOT NULL,"
  "  summary TEXT NOT NULL,"
  "  engine_version TEXT NOT NULL,"
  "  operator TEXT NOT NULL,"
  "  created_at TEXT NOT NULL) STRICT;";

/* A recorded retro and its rows never change; rows are added only while
** the pay-in month is open. */
static const char RETRO_TRIGGERS[] =
  "CREATE TRIGGER %s_update BEFORE UPDATE ON %s"
  "  BEGIN SELECT RAISE(ABORT, 'a recorded retro never changes'); END;"
  "CREATE TRIGGER %s_delete BEFORE DELETE ON %s"
  "  BEGIN SELECT RAISE(ABORT, 'a recorded retro never changes'); END;";
static const char RETRO_CHILD_INSERT[] =
  "CREATE TRIGGER %s_closed_insert BEFORE INSERT ON %s"
  "  WHEN EXISTS(SELECT 1 FROM run WHERE status = 'closed' AND month ="
  "    (SELECT pay_in FROM retro WHERE retro_id = NEW.retro_id))"
  "  BEGIN SELECT RAISE(ABORT, 'a closed month never changes'); END;";

/* The same three triggers guard each table of a run's rows. */
static const char CHILD_TRIGGERS[] =
  "CREATE TRIGGER %s_closed_insert BEFORE INSERT ON %s"
  "  WHEN (SELECT status FROM run WHERE run_id = NEW.run_id) = 'closed'"
  "  BEGIN SELECT RAISE(ABORT, 'a closed month never changes'); END;"
  "CREATE TRIGGER %s_closed_update BEFORE UPDATE ON %s"
  "  WHEN (SELECT status FROM run WHERE run_id = OLD.run_id) = 'closed'"
  "  BEGIN SELECT RAISE(ABORT, 'a closed month never changes'); END;"
  "CREATE TRIGGER %s_closed_delete BEFORE DELETE ON %s"
  "  WHEN (SELECT status FROM run WHERE run_id = OLD.run_id) = 'closed'"
  "  BEGIN SELECT RAISE(ABORT, 'a closed month never changes'); END;";

/* Items of one level in one row: far above any scheme (the sample has 80),
** and the bound of the buffers that unpack a row. */
#define LEDGER_ITEMS_MAX 4096

struct ledger {
  sqlite3 *db;
  char *path;
  char msg[512];
  bool in_txn;
  sqlite3_stmt *put_result;    /* reused for every row of a run */
  sqlite3_stmt *put_entry;
  int64_t entry_seq;
};

const char *ledger_strerror(enum ledger_err e)
{
  switch (e) {
  case LEDGER_OK: return "ok";
  case LEDGER_E_OPEN: return "cannot open the ledger";
  case LEDGER_E_FOREIGN: return "not a paysettle ledger";
  case LEDGER_E_NEWER: return "written by a newer paysettle";
  case LEDGER_E_BUSY: return "the ledger is busy";
  case LEDGER_E_SQL: return "ledger database error";
  case LEDGER_E_REFUSED: return "refused";
  case LEDGER_E_NOT_FOUND: return "not found";
  }
  return "?";
}

const char *ledger_message(const struct ledger *L)
{
  return L->msg;
}

static enum ledger_err refuse(struct ledger *L, enum ledger_err e,
                              const char *fmt, ...)
  __attribute__((format(printf, 3, 4)));

static enum ledger_err refuse(struct ledger *L, enum ledger_err e,
                              const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(L->msg, sizeof L->msg, fmt, ap);
  va_end(ap);
  return e;
}

/* Translate a SQLite result into ours, keeping its message. */
static enum ledger_err sqlerr(struct ledger *L, int rc)
{
  if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
    return refuse(L, LEDGER_E_BUSY, "the ledger %s is busy: another "
                  "paysettle command is writing it; try again when it has "
                  "finished", L->path);
  return refuse(L, LEDGER_E_SQL, "ledger %s: %s", L->path,
                sqlite3_errmsg(L->db));
}

static enum ledger_err exec(struct ledger *L, const char *sql)
{
  int rc = sqlite3_exec(L->db, sql, NULL, NULL, NULL);
  return rc == SQLITE_OK ? LEDGER_OK : sqlerr(L, rc);
}

/* Prepare sql; on failure the message is set and NULL returned. */
static sqlite3_stmt *prep(struct ledger *L, const char *sql)
{
  sqlite3_stmt *st = NULL;
  if (sqlite3_prepare_v2(L->db, sql, -1, &st, NULL) != SQLITE_OK) {
    (void)sqlerr(L, SQLITE_ERROR);
    sqlite3_finalize(st);
    return NULL;
  }
  return st;
}

static int pragma_int(struct ledger *L, const char *sql)
{
  sqlite3_stmt *st = prep(L, sql);
  int v = -1;
  if (st && sqlite3_step(st) == SQLITE_ROW) v = sqlite3_column_int(st, 0);
  sqlite3_finalize(st);
  return v;
}

/* Schema 2 on top of schema 1 (a new file, or a migration). */
static enum ledger_err schema_v2(struct ledger *L)
{
  static const char *const tables[] = {"retro", "retro_file",
                                       "retro_delta"};
  enum ledger_err e = exec(L, SCHEMA_V2);
  for (size_t i = 0; e == LEDGER_OK && i < 3; i++) {
    const char *t = tables[i];
    char *sql = xasprintf(RETRO_TRIGGERS, t, t, t, t);
    e = exec(L, sql);
    free(sql);
    if (e != LEDGER_OK || i == 0) continue;  /* retro: its own trigger */
    sql = xasprintf(RETRO_CHILD_INSERT, t, t);
    e = exec(L, sql);
    free(sql);
  }
  if (e == LEDGER_OK) {
    char sql[64];
    snprintf(sql, sizeof sql, "PRAGMA user_version = %d;",
             LEDGER_SCHEMA_VERSION);
    e = exec(L, sql);
  }
  return e;
}

static enum ledger_err create_schema(struct ledger *L)
{
  static const char *const children[] = {"run_file", "result", "entry"};
  enum ledger_err e = exec(L, SCHEMA_V1);
  for (size_t i = 0; e == LEDGER_OK && i < 3; i++) {
    const char *t = children[i];
    char *sql = xasprintf(CHILD_TRIGGERS, t, t, t, t, t, t);
    e = exec(L, sql);
    free(sql);
  }
  if (e == LEDGER_OK) e = schema_v2(L);
  if (e == LEDGER_OK) {
    char sql[128];
    snprintf(sql, sizeof sql, "PRAGMA application_id = %d; PRAGMA "
             "user_version = %d;", LEDGER_APPLICATION_ID,
             LEDGER_SCHEMA_VERSION);
    e = exec(L, sql);
  }
  return e;
}

/* Check the file is ours, and bring its schema up to date (in one
** transaction, so that a crash during a migration changes nothing). */
static enum ledger_err migrate(struct ledger *L)
{
  int app, ver, tables;
  enum ledger_err e;

  /* Read the header under the write lock: two commands creating the same
  ** new file must not both see it empty. */
  e = exec(L, "BEGIN IMMEDIATE");
  if (e != LEDGER_OK) return e;
  app = pragma_int(L, "PRAGMA application_id");
  ver = pragma_int(L, "PRAGMA user_version");
  tables = pragma_int(L, "SELECT count(*) FROM sqlite_schema");
  if (app == LEDGER_APPLICATION_ID && ver > LEDGER_SCHEMA_VERSION)
    e = refuse(L, LEDGER_E_NEWER, "%s was written by a newer paysettle "
               "(schema %d; this one knows %d)", L->path, ver,
               LEDGER_SCHEMA_VERSION);
  else if (app != LEDGER_APPLICATION_ID && (app != 0 || tables != 0))
    e = refuse(L, LEDGER_E_FOREIGN, "%s is not a paysettle ledger",
               L->path);
  else if (app != LEDGER_APPLICATION_ID)
    e = create_schema(L);
  /* Forward migrations, one per version. */
  else if (ver < 2)
    e = schema_v2(L);
  if (e == LEDGER_OK) return exec(L, "COMMIT");
  sqlite3_exec(L->db, "ROLLBACK", NULL, NULL, NULL);
  return e;
}

struct ledger *ledger_open(const char *path, bool create,
                           enum ledger_err *err, struct diag_list *d)
{
  struct ledger *L = xcalloc(1, sizeof *L);
  int flags = SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0);
  enum ledger_err e = LEDGER_OK;

  L->path = xstrdup(path);
  if (sqlite3_open_v2(path, &L->db, flags, NULL) != SQLITE_OK) {
    e = refuse(L, LEDGER_E_OPEN, "cannot open the ledger %s: %s%s", path,
               L->db ? sqlite3_errmsg(L->db) : "out of memory",
               create ? "" : " (run a month first: paysettle run YYYY-MM)");
    goto fail;
  }
  sqlite3_extended_result_codes(L->db, 1);
  sqlite3_busy_timeout(L->db, LEDGER_BUSY_MS);
  sqlite3_db_config(L->db, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);
  e = exec(L, "PRAGMA foreign_keys = ON; PRAGMA synchronous = FULL;");
  if (e == LEDGER_OK) e = migrate(L);
  /* WAL is a property of the file, kept once set; setting it needs no
  ** transaction open, so it comes after the schema. */
  if (e == LEDGER_OK && create) e = exec(L, "PRAGMA journal_mode = WAL");
  if (e == LEDGER_OK) return L;
fail:
  diag_add(d, path, 0, 0, NULL, "%s", L->msg);
  *err = e;
  ledger_close(L);
  return NULL;
}

void ledger_close(struct ledger *L)
{
  if (!L) return;
  if (L->in_txn) sqlite3_exec(L->db, "ROLLBACK", NULL, NULL, NULL);
  sqlite3_finalize(L->put_result);
  sqlite3_finalize(L->put_entry);
  sqlite3_close(L->db);
  free(L->path);
  free(L);
}

enum ledger_err ledger_begin(struct ledger *L)
{
  enum ledger_err e = exec(L, "BEGIN IMMEDIATE");
  L->in_txn = e == LEDGER_OK;
  return e;
}

enum ledger_err ledger_commit(struct ledger *L)
{
  enum ledger_err e = exec(L, "COMMIT");
  if (e == LEDGER_OK) L->in_txn = false;
  return e;
}

void ledger_rollback(struct ledger *L)
{
  if (L->in_txn) sqlite3_exec(L->db, "ROLLBACK", NULL, NULL, NULL);
  L->in_txn = false;
}

/* ---- packing of item values ------------------------------------------- */

/* Append s to *buf (length *n, capacity *cap) with tab, newline and
** backslash escaped, so that a packed row splits on tabs unambiguously. */
static void pack_one(char **buf, size_t *n, size_t *cap, const char *s)
{
  size_t len = strlen(s);
  xgrow(buf, cap, *n + 2 * len + 2, 1);
  for (; *s; s++) {
    char c = *s;
    if (c == '\t' || c == '\n' || c == '\\') {
      (*buf)[(*n)++] = '\\';
      c = c == '\t' ? 't' : c == '\n' ? 'n' : '\\';
    }
    (*buf)[(*n)++] = c;
  }
  (*buf)[*n] = '\0';
}

static char *pack(const char *const *vals, size_t nvals)
{
  char *buf = NULL;
  size_t n = 0, cap = 0;
  xgrow(&buf, &cap, 1, 1);
  buf[0] = '\0';
  for (size_t i = 0; i < nvals; i++) {
    if (i) {
      xgrow(&buf, &cap, n + 2, 1);
      buf[n++] = '\t';
      buf[n] = '\0';
    }
    pack_one(&buf, &n, &cap, vals[i]);
  }
  return buf;
}

/* Split a packed row in place into at most max fields; returns the count.
** Unescapes each field. */
static size_t unpack(char *s, char **out, size_t max)
{
  size_t n = 0;
  char *w = s;
  if (max == 0) return 0;
  out[n++] = w;
  for (char *r = s; *r; r++) {
    if (*r == '\t') {
      *w++ = '\0';
      if (n == max) return n;
      out[n++] = w;
    } else if (*r == '\\' && r[1]) {
      r++;
      *w++ = *r == 't' ? '\t' : *r == 'n' ? '\n' : *r;
    } else {
      *w++ = *r;
    }
  }
  *w = '\0';
  return n;
}

/* The item names of one level from a run's packed item list ("L name"
** lines). Returns a heap array of pointers into a heap copy (*store). */
static size_t level_names(const char *items, int level, char **store,
                          char ***names)
{
  size_t n = 0, cap = 0;
  char *s = xstrdup(items), *line = s;
  *names = NULL;
  while (*line) {
    char *end = strchr(line, '\n');
    if (end) *end = '\0';
    if (line[0] - '0' == level && line[1] == ' ') {
      xgrow(names, &cap, n + 1, sizeof **names);
      (*names)[n++] = line + 2;
    }
    if (!end) break;
    line = end + 1;
  }
  *store = s;
  return n;
}

static void now_utc(char *buf, size_t cap)
{
  time_t t = time(NULL);
  struct tm tm;
  gmtime_r(&t, &tm);
  strftime(buf, cap, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* ---- months and runs ---------------------------------------------------- */

/* The status of month ym's regular runs: has_closed, has_draft. */
static enum ledger_err month_state(struct ledger *L, const char *month,
                                   bool *closed, bool *draft)
{
  sqlite3_stmt *st = prep(L, "SELECT status FROM run WHERE month = ? AND "
                          "kind = 'regular'");
  int rc;
  *closed = *draft = false;
  if (!st) return LEDGER_E_SQL;
  sqlite3_bind_text(st, 1, month, -1, SQLITE_STATIC);
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    const char *s = (const char *)sqlite3_column_text(st, 0);
    if (strcmp(s, "closed") == 0) *closed = true;
    else *draft = true;
  }
  sqlite3_finalize(st);
  return rc == SQLITE_DONE ? LEDGER_OK : sqlerr(L, rc);
}

/* Earlier months of ym's tax year: the first with a draft, and whether
** any is closed. */
static enum ledger_err year_before(struct ledger *L, int ym, char *draft,
                                   bool *any_closed, char *last_closed)
{
  sqlite3_stmt *st = prep(L, "SELECT month, status FROM run WHERE kind = "
                          "'regular' AND month >= ? AND month < ? "
                          "ORDER BY month");
  char first[8], mon[8];
  int rc;
  draft[0] = last_closed[0] = '\0';
  *any_closed = false;
  if (!st) return LEDGER_E_SQL;
  cal_format_month(ym - ym % 12, first);
  cal_format_month(ym, mon);
  sqlite3_bind_text(st, 1, first, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, 2, mon, -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    const char *m = (const char *)sqlite3_column_text(st, 0);
    const char *s = (const char *)sqlite3_column_text(st, 1);
    if (strcmp(s, "draft") == 0 && !draft[0]) snprintf(draft, 8, "%s", m);
    if (strcmp(s, "closed") == 0) {
      *any_closed = true;
      snprintf(last_closed, 8, "%s", m);
    }
  }
  sqlite3_finalize(st);
  return rc == SQLITE_DONE ? LEDGER_OK : sqlerr(L, rc);
}

/* Refuse what would break the order of a tax year: earlier drafts, and a
** gap after the last closed month. */
static enum ledger_err check_year_order(struct ledger *L, int ym,
                                        const char *verb)
{
  char draft[8], last[8], mon[8], prev[8];
  bool any_closed;
  enum ledger_err e = year_before(L, ym, draft, &any_closed, last);
  if (e != LEDGER_OK) return e;
  cal_format_month(ym, mon);
  if (draft[0])
    return refuse(L, LEDGER_E_REFUSED, "%s is still a draft: close it "
                  "first (paysettle close %s), then %s %s; the income tax "
                  "of %s needs the year's earlier months closed", draft,
                  draft, verb, mon, mon);
  cal_format_month(ym - 1, prev);
  if (any_closed && strcmp(last, prev) != 0)
    return refuse(L, LEDGER_E_REFUSED, "%s was never run: the months of a "
                  "tax year are run in order (the last closed month is "
                  "%s); run and close %s first", prev, last, prev);
  return LEDGER_OK;
}

enum ledger_err ledger_may_run(struct ledger *L, int ym)
{
  char mon[8], last[8];
  bool closed, draft;
  sqlite3_stmt *st;
  enum ledger_err e;
  int rc;

  cal_format_month(ym, mon);
  e = month_state(L, mon, &closed, &draft);
  if (e != LEDGER_OK) return e;
  if (closed)
    return refuse(L, LEDGER_E_REFUSED, "%s is closed: a closed month never "
                  "changes; a correction is paid in an open month "
                  "(paysettle correct)", mon);
  st = prep(L, "SELECT max(month) FROM run WHERE kind = 'regular' AND "
            "month > ? AND month < ?");
  if (!st) return LEDGER_E_SQL;
  cal_format_month(ym + 12 - ym % 12, last);
  sqlite3_bind_text(st, 1, mon, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 2, last, -1, SQLITE_STATIC);
  rc = sqlite3_step(st);
  if (rc == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL) {
    snprintf(last, sizeof last, "%s", sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    return refuse(L, LEDGER_E_REFUSED, "%s already has a run: the months of "
                  "a tax year are run in order, and %s comes before it",
                  last, mon);
  }
  sqlite3_finalize(st);
  if (rc != SQLITE_ROW) return sqlerr(L, rc);
  return check_year_order(L, ym, "run");
}

enum ledger_err ledger_run_start(struct ledger *L, int ym,
                                 const struct ledger_run_meta *m,
                                 int64_t *run_id)
{
  char mon[8], now[32];
  sqlite3_stmt *st;
  int rc;

  cal_format_month(ym, mon);
  st = prep(L, "DELETE FROM run WHERE month = ? AND kind = ? AND status = "
            "'draft'");
  if (!st) return LEDGER_E_SQL;
  sqlite3_bind_text(st, 1, mon, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 2, m->kind, -1, SQLITE_STATIC);
  rc = sqlite3_step(st);
  sqlite3_finalize(st);
  if (rc != SQLITE_DONE) return sqlerr(L, rc);
  now_utc(now, sizeof now);
  st = prep(L, "INSERT INTO run(month, kind, status, rules_name, "
            "rules_sha256, engine_version, operator, created_at, items, "
            "rules_path, inputs_root) VALUES(?, ?, 'draft', ?, ?, ?, ?, ?, ?, "
            "?, ?)");
  if (!st) return LEDGER_E_SQL;
  sqlite3_bind_text(st, 1, mon, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 2, m->kind, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 3, m->rules_name, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 4, m->rules_sha256, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 5, m->engine_version, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 6, m->operator_name, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 7, now, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 8, m->items, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 9, m->rules_path, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 10, m->inputs_root, -1, SQLITE_STATIC);
  rc = sqlite3_step(st);
  sqlite3_finalize(st);
  if (rc != SQLITE_DONE) return sqlerr(L, rc);
  *run_id = sqlite3_last_insert_rowid(L->db);
  return LEDGER_OK;
}

/* Store data as a blob (once per content); its SHA-256 into hex. */
static enum ledger_err put_blob(struct ledger *L, const char *data,
                                size_t len, char *hex)
{
  sqlite3_stmt *st;
  int rc;
  digest_hex(data, len, hex);
  st = prep(L, "INSERT OR IGNORE INTO blob(sha256, size, content) "
            "VALUES(?, ?, ?)");
  if (!st) return LEDGER_E_SQL;
  sqlite3_bind_text(st, 1, hex, -1, SQLITE_STATIC);
  sqlite3_bind_int64(st, 2, (sqlite3_int64)len);
  sqlite3_bind_blob64(st, 3, data, len, SQLITE_STATIC);
  rc = sqlite3_step(st);
  sqlite3_finalize(st);
  return rc == SQLITE_DONE ? LEDGER_OK : sqlerr(L, rc);
}

/* Store a file (blob) and the row that names it: sql inserts (owner id,
** role, path, sha256). */
static enum ledger_err put_file(struct ledger *L, const char *sql,
                                int64_t id, const char *role,
                                const char *path, const char *data,
                                size_t len)
{
  char hex[DIGEST_HEX_LEN + 1];
  sqlite3_stmt *st;
  int rc;
  enum ledger_err e = put_blob(L, data, len, hex);

  if (e != LEDGER_OK) return e;
  st = prep(L, sql);
  if (!st) return LEDGER_E_SQL;
  sqlite3_bind_int64(st, 1, id);
  sqlite3_bind_text(st, 2, role, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 3, path, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 4, hex, -1, SQLITE_STATIC);
  rc = sqlite3_step(st);
  sqlite3_finalize(st);
  return rc == SQLITE_DONE ? LEDGER_OK : sqlerr(L, rc);
}

enum ledger_err ledger_run_file(struct ledger *L, int64_t run_id,
                                const char *role, const char *path,
                                const char *data, size_t len)
{
  return put_file(L, "INSERT INTO run_file(run_id, role, path, sha256) "
                  "VALUES(?, ?, ?, ?)", run_id, role, path, data, len);
}

enum ledger_err ledger_run_result(struct ledger *L, int64_t run_id,
                                  int level, const char *entity,
                                  const char *agency,
                                  const char *const *vals, size_t n)
{
  char *packed;
  int rc;
  if (!L->put_result) {
    L->put_result = prep(L, "INSERT INTO result(run_id, level, entity, "
                         "agency, vals) VALUES(?, ?, ?, ?, ?)");
    if (!L->put_result) return LEDGER_E_SQL;
  }
  packed = pack(vals, n);
  sqlite3_bind_int64(L->put_result, 1, run_id);
  sqlite3_bind_int(L->put_result, 2, level);
  sqlite3_bind_text(L->put_result, 3, entity, -1, SQLITE_STATIC);
  if (agency) sqlite3_bind_text(L->put_result, 4, agency, -1, SQLITE_STATIC);
  else sqlite3_bind_null(L->put_result, 4);
  sqlite3_bind_text(L->put_result, 5, packed, -1, SQLITE_STATIC);
  rc = sqlite3_step(L->put_result);
  sqlite3_reset(L->put_result);
  free(packed);
  return rc == SQLITE_DONE ? LEDGER_OK : sqlerr(L, rc);
}

enum ledger_err ledger_run_entry(struct ledger *L, int64_t run_id,
                                 int txn, const char *agency,
                                 const char *txn_name, const char *account,
                                 int64_t amount_fen)
{
  int rc;
  if (!L->put_entry) {
    L->put_entry = prep(L, "INSERT INTO entry(run_id, seq, txn, agency, "
                        "txn_name, account, amount_fen) VALUES(?, ?, ?, ?, "
                        "?, ?, ?)");
    if (!L->put_entry) return LEDGER_E_SQL;
  }
  sqlite3_bind_int64(L->put_entry, 1, run_id);
  sqlite3_bind_int64(L->put_entry, 2, ++L->entry_seq);
  sqlite3_bind_int(L->put_entry, 3, txn);
  sqlite3_bind_text(L->put_entry, 4, agency, -1, SQLITE_STATIC);
  sqlite3_bind_text(L->put_entry, 5, txn_name, -1, SQLITE_STATIC);
  sqlite3_bind_text(L->put_entry, 6, account, -1, SQLITE_STATIC);
  sqlite3_bind_int64(L->put_entry, 7, amount_fen);
  rc = sqlite3_step(L->put_entry);
  sqlite3_reset(L->put_entry);
  return rc == SQLITE_DONE ? LEDGER_OK : sqlerr(L, rc);
}

/* ---- the hash chain ----------------------------------------------------- */

/* Add the text of every column of every row of sql (bound to run_id) to g,
** each value followed by a NUL and each row by a newline. */
static enum ledger_err digest_rows(struct ledger *L, struct digest *g,
                                   const char *sql, int64_t run_id)
{
  sqlite3_stmt *st = prep(L, sql);
  int rc;
  if (!st) return LEDGER_E_SQL;
  sqlite3_bind_int64(st, 1, run_id);
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    for (int c = 0; c < sqlite3_column_count(st); c++) {
      const unsigned char *t = sqlite3_column_text(st, c);
      digest_add_str(g, t ? (const char *)t : "");
    }
    digest_add(g, "\n", 1);
  }
  sqlite3_finalize(st);
  return rc == SQLITE_DONE ? LEDGER_OK : sqlerr(L, rc);
}

/* The digest of run run_id as closed at closed_at with sequence seq after
** the digest prev: over the run's own columns, the files it read, every
** result and every entry. Computed before the run is marked closed (the
** triggers allow no change after), and again by ledger_verify. */
static enum ledger_err run_digest(struct ledger *L, int64_t run_id,
                                  const char *prev, const char *closed_at,
                                  int64_t seq, char *hex)
{
  static const char *const parts[] = {
    "SELECT month, kind, rules_name, rules_sha256, engine_version, "
    "operator, created_at, rules_path, inputs_root, items FROM run "
    "WHERE run_id = ?",
    "SELECT role, path, sha256 FROM run_file WHERE run_id = ? "
    "ORDER BY role, path",
    "SELECT level, entity, agency, vals FROM result WHERE run_id = ? "
    "ORDER BY level, entity",
    "SELECT seq, txn, agency, txn_name, account, amount_fen FROM entry "
    "WHERE run_id = ? ORDER BY seq"
  };
  struct digest *g = digest_new();
  enum ledger_err e = LEDGER_OK;
  char seqs[32];
  ALWAYS_ASSERT(g != NULL);
  snprintf(seqs, sizeof seqs, "%lld", (long long)seq);
  digest_add_str(g, "paysettle ledger month v1");
  digest_add_str(g, prev ? prev : "");
  digest_add_str(g, closed_at);
  digest_add_str(g, seqs);
  for (size_t i = 0; e == LEDGER_OK && i < 4; i++)
    e = digest_rows(L, g, parts[i], run_id);
  if (e != LEDGER_OK) {
    digest_free(g);
    return e;
  }
  digest_finish(g, hex);
  return LEDGER_OK;
}

/* The latest closed run's digest and sequence (none: "" and 0). */
static enum ledger_err chain_head(struct ledger *L, char *digest,
                                  int64_t *seq)
{
  sqlite3_stmt *st = prep(L, "SELECT digest, close_seq FROM run WHERE "
                          "status = 'closed' ORDER BY close_seq DESC "
                          "LIMIT 1");
  int rc;
  digest[0] = '\0';
  *seq = 0;
  if (!st) return LEDGER_E_SQL;
  rc = sqlite3_step(st);
  if (rc == SQLITE_ROW) {
    snprintf(digest, DIGEST_HEX_LEN + 1, "%s", sqlite3_column_text(st, 0));
    *seq = sqlite3_column_int64(st, 1);
    rc = SQLITE_DONE;
  }
  sqlite3_finalize(st);
  return rc == SQLITE_DONE ? LEDGER_OK : sqlerr(L, rc);
}

/* The run id of month mon's regular draft. */
static enum ledger_err draft_id(struct ledger *L, const char *mon,
                                int64_t *run_id)
{
  sqlite3_stmt *st = prep(L, "SELECT run_id FROM run WHERE month = ? AND "
                          "kind = 'regular' AND status = 'draft'");
  int rc;
  if (!st) return LEDGER_E_SQL;
  sqlite3_bind_text(st, 1, mon, -1, SQLITE_STATIC);
  rc = sqlite3_step(st);
  if (rc == SQLITE_ROW) *run_id = sqlite3_column_int64(st, 0);
  sqlite3_finalize(st);
  if (rc == SQLITE_ROW) return LEDGER_OK;
  return rc == SQLITE_DONE ? refuse(L, LEDGER_E_NOT_FOUND, "%s has no "
                                    "draft", mon) : sqlerr(L, rc);
}

enum ledger_err ledger_run_check(struct ledger *L, int64_t run_id)
{
  sqlite3_stmt *st = prep(L, "SELECT agency, txn_name, sum(amount_fen) "
                          "FROM entry WHERE run_id = ? GROUP BY txn, agency "
                          "HAVING sum(amount_fen) <> 0 LIMIT 1");
  int rc;
  if (!st) return LEDGER_E_SQL;
  sqlite3_bind_int64(st, 1, run_id);
  rc = sqlite3_step(st);
  if (rc == SQLITE_ROW) {
    (void)refuse(L, LEDGER_E_REFUSED, "agency %s: journal %s does not "
                 "balance in the ledger (off by %lld fen)",
                 sqlite3_column_text(st, 0), sqlite3_column_text(st, 1),
                 (long long)sqlite3_column_int64(st, 2));
    sqlite3_finalize(st);
    return LEDGER_E_REFUSED;
  }
  sqlite3_finalize(st);
  return rc == SQLITE_DONE ? LEDGER_OK : sqlerr(L, rc);
}

enum ledger_err ledger_close_month(struct ledger *L, int ym)
{
  char mon[8], now[32], prev[DIGEST_HEX_LEN + 1], hex[DIGEST_HEX_LEN + 1];
  bool closed, draft;
  int64_t seq = 0, run_id = 0;
  sqlite3_stmt *st;
  enum ledger_err e;
  int rc;

  cal_format_month(ym, mon);
  e = month_state(L, mon, &closed, &draft);
  if (e != LEDGER_OK) return e;
  if (closed)
    return refuse(L, LEDGER_E_REFUSED, "%s is closed already: a month is "
                  "closed once", mon);
  if (!draft)
    return refuse(L, LEDGER_E_NOT_FOUND, "%s has no draft to close: run it "
                  "first (paysettle run %s)", mon, mon);
  e = check_year_order(L, ym, "close");
  if (e == LEDGER_OK) e = chain_head(L, prev, &seq);
  if (e != LEDGER_OK) return e;
  now_utc(now, sizeof now);
  e = draft_id(L, mon, &run_id);
  if (e == LEDGER_OK) e = run_digest(L, run_id, prev, now, seq + 1, hex);
  if (e != LEDGER_OK) return e;
  st = prep(L, "UPDATE run SET status = 'closed', closed_at = ?, close_seq "
            "= ?, prev_digest = ?, digest = ? WHERE run_id = ?");
  if (!st) return LEDGER_E_SQL;
  sqlite3_bind_text(st, 1, now, -1, SQLITE_STATIC);
  sqlite3_bind_int64(st, 2, seq + 1);
  sqlite3_bind_text(st, 3, prev, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 4, hex, -1, SQLITE_STATIC);
  sqlite3_bind_int64(st, 5, run_id);
  rc = sqlite3_step(st);
  sqlite3_finalize(st);
  return rc == SQLITE_DONE ? LEDGER_OK : sqlerr(L, rc);
}

/* ---- history ------------------------------------------------------------ */

struct hist_emp {
  struct money *ytd;           /* per requested ytd item */
  struct money *prev;          /* per requested prev item */
  struct money months;
};

struct ledger_history {
  size_t nytd, nprev;
  struct strmap_lite {         /* employee id -> index, open addressing */
    size_t cap;
    char **keys;
    size_t *vals;
  } map;
  struct hist_emp *emps;
  size_t n, cap;
};

static uint64_t hash_str(const char *s)
{
  uint64_t h = 14695981039346656037ULL;
  for (; *s; s++) h = (h ^ (unsigned char)*s) * 1099511628211ULL;
  return h;
}

static size_t map_slot(const struct ledger_history *h, const char *k)
{
  size_t i = (size_t)hash_str(k) & (h->map.cap - 1);
  while (h->map.keys[i] && strcmp(h->map.keys[i], k) != 0)
    i = (i + 1) & (h->map.cap - 1);
  return i;
}

static void map_grow(struct ledger_history *h)
{
  struct strmap_lite old = h->map;
  h->map.cap = old.cap ? old.cap * 2 : 1024;
  h->map.keys = xcalloc(h->map.cap, sizeof *h->map.keys);
  h->map.vals = xcalloc(h->map.cap, sizeof *h->map.vals);
  for (size_t i = 0; i < old.cap; i++) {
    if (!old.keys[i]) continue;
    size_t s = map_slot(h, old.keys[i]);
    h->map.keys[s] = old.keys[i];
    h->map.vals[s] = old.vals[i];
  }
  free(old.keys);
  free(old.vals);
}

/* The history of employee id, created empty when new. */
static struct hist_emp *hist_emp(struct ledger_history *h, const char *id)
{
  size_t s;
  struct hist_emp *e;
  if ((h->n + 1) * 2 > h->map.cap) map_grow(h);
  s = map_slot(h, id);
  if (h->map.keys[s]) return &h->emps[h->map.vals[s]];
  h->map.keys[s] = xstrdup(id);
  h->map.vals[s] = h->n;
  xgrow(&h->emps, &h->cap, h->n + 1, sizeof *h->emps);
  e = &h->emps[h->n++];
  e->ytd = xmalloc((h->nytd + 1) * sizeof *e->ytd);
  e->prev = xmalloc((h->nprev + 1) * sizeof *e->prev);
  for (size_t i = 0; i < h->nytd; i++) e->ytd[i] = MONEY_ZERO;
  for (size_t i = 0; i < h->nprev; i++) e->prev[i] = MONEY_ZERO;
  e->months = MONEY_ZERO;
  return e;
}

void ledger_history_free(struct ledger_history *h)
{
  if (!h) return;
  for (size_t i = 0; i < h->n; i++) {
    for (size_t k = 0; k < h->nytd; k++) money_clear(&h->emps[i].ytd[k]);
    for (size_t k = 0; k < h->nprev; k++) money_clear(&h->emps[i].prev[k]);
    money_clear(&h->emps[i].months);
    free(h->emps[i].ytd);
    free(h->emps[i].prev);
  }
  for (size_t i = 0; i < h->map.cap; i++) free(h->map.keys[i]);
  free(h->map.keys);
  free(h->map.vals);
  free(h->emps);
  free(h);
}

void ledger_history_get(const struct ledger_history *h, const char *id,
                        struct money *ytd, struct money *prev,
                        struct money *months)
{
  const struct hist_emp *e;
  size_t s;
  if (!h || h->map.cap == 0) return;
  s = map_slot(h, id);
  if (!h->map.keys[s]) return;
  e = &h->emps[h->map.vals[s]];
  for (size_t i = 0; i < h->nytd; i++) money_add(&ytd[i], &ytd[i], &e->ytd[i]);
  for (size_t i = 0; i < h->nprev; i++) money_copy(&prev[i], &e->prev[i]);
  money_add(months, months, &e->months);
}

/* Column index of each wanted name among names (-1: not in that run). */
static void columns_of(char **names, size_t nnames, const char *const *want,
                       size_t nwant, int *col)
{
  for (size_t i = 0; i < nwant; i++) {
    col[i] = -1;
    for (size_t k = 0; k < nnames; k++)
      if (strcmp(names[k], want[i]) == 0) col[i] = (int)k;
  }
}

/* Add one closed run's employees to h: into ytd (adding, counting the
** month) or into prev (replacing). */
static enum ledger_err hist_add_run(struct ledger *L,
                                    struct ledger_history *h, int64_t run_id,
                                    const char *items,
                                    const char *const *want, size_t nwant,
                                    bool is_prev)
{
  char *store, **names, *fields[LEDGER_ITEMS_MAX];
  size_t nnames = level_names(items, 0, &store, &names);
  int *col = xcalloc(nwant + 1, sizeof *col);
  sqlite3_stmt *st = prep(L, "SELECT entity, vals FROM result WHERE run_id "
                          "= ? AND level = 0");
  struct money v = MONEY_ZERO;
  int rc = SQLITE_ERROR;

  columns_of(names, nnames, want, nwant, col);
  if (!st) goto done;
  sqlite3_bind_int64(st, 1, run_id);
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    struct hist_emp *e = hist_emp(h, (const char *)sqlite3_column_text(st,
                                                                       0));
    char *vals = xstrdup((const char *)sqlite3_column_text(st, 1));
    size_t nf = unpack(vals, fields, sizeof fields / sizeof *fields);
    for (size_t i = 0; i < nwant; i++) {
      if (col[i] < 0 || (size_t)col[i] >= nf) continue;
      if (money_parse_exact(&v, fields[col[i]]) != MONEY_OK) continue;
      if (is_prev) money_copy(&e->prev[i], &v);
      else money_add(&e->ytd[i], &e->ytd[i], &v);
    }
    if (!is_prev) money_add(&e->months, &e->months, &MONEY_ONE);
    free(vals);
  }
  if (rc == SQLITE_DONE) rc = SQLITE_OK;
done:
  money_clear(&v);
  sqlite3_finalize(st);
  free(col);
  free(names);
  free(store);
  return rc == SQLITE_OK ? LEDGER_OK : sqlerr(L, rc);
}

enum ledger_err ledger_history_load(struct ledger *L, int ym,
                                    const char *const *ytd, size_t nytd,
                                    const char *const *prev, size_t nprev,
                                    struct ledger_history **out)
{
  struct ledger_history *h = xcalloc(1, sizeof *h);
  sqlite3_stmt *st = prep(L, "SELECT run_id, items, month >= ? FROM run "
                          "WHERE kind = 'regular' AND status = 'closed' AND "
                          "month < ? ORDER BY month");
  char first[8], mon[8];
  enum ledger_err e = LEDGER_OK;
  int64_t last = 0;
  char *last_items = NULL;
  int rc = SQLITE_DONE;

  h->nytd = nytd;
  h->nprev = nprev;
  if (!st) {
    ledger_history_free(h);
    return LEDGER_E_SQL;
  }
  cal_format_month(ym - ym % 12, first);
  cal_format_month(ym, mon);
  sqlite3_bind_text(st, 1, first, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 2, mon, -1, SQLITE_STATIC);
  while (e == LEDGER_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
    int64_t id = sqlite3_column_int64(st, 0);
    const char *items = (const char *)sqlite3_column_text(st, 1);
    if (sqlite3_column_int(st, 2))         /* this tax year */
      e = hist_add_run(L, h, id, items, ytd, nytd, false);
    last = id;
    free(last_items);
    last_items = xstrdup(items);
  }
  sqlite3_finalize(st);
  if (e == LEDGER_OK && rc != SQLITE_DONE) e = sqlerr(L, rc);
  if (e == LEDGER_OK && last && nprev)
    e = hist_add_run(L, h, last, last_items, prev, nprev, true);
  free(last_items);
  if (e != LEDGER_OK) {
    ledger_history_free(h);
    return e;
  }
  *out = h;
  return LEDGER_OK;
}

/* ---- year-to-date openings ---------------------------------------------- */

enum ledger_err ledger_opening_csv(struct ledger *L, int year, char **csv,
                                   size_t *len)
{
  sqlite3_stmt *st = prep(L, "SELECT header, row FROM opening WHERE year = "
                          "? ORDER BY employee");
  char *buf = NULL;
  size_t n = 0, cap = 0;
  int rc;
  *csv = NULL;
  *len = 0;
  if (!st) return LEDGER_E_SQL;
  sqlite3_bind_int(st, 1, year);
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    const char *hdr = (const char *)sqlite3_column_text(st, 0);
    const char *row = (const char *)sqlite3_column_text(st, 1);
    size_t need = strlen(hdr) + strlen(row) + 3;
    xgrow(&buf, &cap, n + need, 1);
    if (n == 0) n += (size_t)snprintf(buf, cap, "%s\n", hdr);
    n += (size_t)snprintf(buf + n, cap - n, "%s\n", row);
  }
  sqlite3_finalize(st);
  if (rc != SQLITE_DONE) {
    free(buf);
    return sqlerr(L, rc);
  }
  *csv = buf;
  *len = n;
  return LEDGER_OK;
}

enum ledger_err ledger_opening_put(struct ledger *L, const char *header,
                                   const char *employee, int year,
                                   const char *row_csv)
{
  sqlite3_stmt *st = prep(L, "SELECT r.month FROM result JOIN run r USING "
                          "(run_id) WHERE r.kind = 'regular' AND r.status = "
                          "'closed' AND r.month LIKE ? AND result.level = 0 "
                          "AND result.entity = ? LIMIT 1");
  char pat[16], month[8];
  int rc;
  if (!st) return LEDGER_E_SQL;
  snprintf(pat, sizeof pat, "%04d-%%", year % 10000);
  sqlite3_bind_text(st, 1, pat, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 2, employee, -1, SQLITE_STATIC);
  rc = sqlite3_step(st);
  if (rc == SQLITE_ROW)
    snprintf(month, sizeof month, "%s", sqlite3_column_text(st, 0));
  sqlite3_finalize(st);
  if (rc == SQLITE_ROW)
    return refuse(L, LEDGER_E_REFUSED, "employee %s already has a closed "
                  "month in %d (%s): the year's figures come from the "
                  "ledger, an opening cannot replace them", employee, year,
                  month);
  if (rc != SQLITE_DONE) return sqlerr(L, rc);
  st = prep(L, "INSERT OR REPLACE INTO opening(employee, year, header, row) "
            "VALUES(?, ?, ?, ?)");
  if (!st) return LEDGER_E_SQL;
  sqlite3_bind_text(st, 1, employee, -1, SQLITE_STATIC);
  sqlite3_bind_int(st, 2, year);
  sqlite3_bind_text(st, 3, header, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 4, row_csv, -1, SQLITE_STATIC);
  rc = sqlite3_step(st);
  sqlite3_finalize(st);
  return rc == SQLITE_DONE ? LEDGER_OK : sqlerr(L, rc);
}

/* ---- retros and corrections -------------------------------------------- */

static void copy_col(sqlite3_stmt *st, int c, char *dst, size_t cap)
{
  const unsigned char *t = sqlite3_column_text(st, c);
  snprintf(dst, cap, "%s", t ? (const char *)t : "");
}

/* Refused unless every month of from..to has a closed run. */
static enum ledger_err retro_months_closed(struct ledger *L, int from, int to)
{
  for (int ym = from; ym <= to; ym++) {
    char mon[8];
    bool closed, draft;
    enum ledger_err e;
    cal_format_month(ym, mon);
    e = month_state(L, mon, &closed, &draft);
    if (e != LEDGER_OK) return e;
    if (!closed)
      return refuse(L, LEDGER_E_REFUSED, "%s is not closed: a retro or a "
                    "correction recomputes closed months only", mon);
  }
  return LEDGER_OK;
}

/* Refused when the same retro (same rules, overlapping months) or the
** same correction (same month, same corrected files) is recorded. */
static enum ledger_err retro_unique(struct ledger *L,
                                    const struct ledger_retro_meta *m,
                                    const char *from, const char *to)
{
  sqlite3_stmt *st = prep(L, "SELECT retro_id, from_month, to_month, pay_in "
                          "FROM retro WHERE kind = ?1 AND from_month <= ?3 "
                          "AND to_month >= ?2 AND (?1 = 'retro' AND "
                          "rules_sha256 = ?4 OR ?1 = 'correction' AND "
                          "inputs_sha256 = ?5) LIMIT 1");
  enum ledger_err e = LEDGER_OK;
  int rc;
  if (!st) return LEDGER_E_SQL;
  sqlite3_bind_text(st, 1, m->kind, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 2, from, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 3, to, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 4, m->rules_sha256, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 5, m->inputs_sha256, -1, SQLITE_STATIC);
  rc = sqlite3_step(st);
  if (rc == SQLITE_ROW)
    e = refuse(L, LEDGER_E_REFUSED, "the same %s was recorded already "
               "(%s #%lld: %s..%s, paid in %s); it is never applied twice",
               m->kind, m->kind, (long long)sqlite3_column_int64(st, 0),
               sqlite3_column_text(st, 1), sqlite3_column_text(st, 2),
               sqlite3_column_text(st, 3));
  else if (rc != SQLITE_DONE)
    e = sqlerr(L, rc);
  sqlite3_finalize(st);
  return e;
}

enum ledger_err ledger_retro_start(struct ledger *L,
                                   const struct ledger_retro_meta *m,
                                   int64_t *retro_id, bool *discarded)
{
  char from[8], to[8], pay[8], now[32];
  sqlite3_stmt *st;
  enum ledger_err e;
  bool closed, draft;
  int rc;

  cal_format_month(m->from, from);
  cal_format_month(m->to, to);
  cal_format_month(m->pay_in, pay);
  *discarded = false;
  if (m->pay_in <= m->to)
    return refuse(L, LEDGER_E_REFUSED, "the pay-in month %s must come after "
                  "the last month recomputed (%s)", pay, to);
  e = retro_months_closed(L, m->from, m->to);
  if (e == LEDGER_OK) e = month_state(L, pay, &closed, &draft);
  if (e != LEDGER_OK) return e;
  if (closed)
    return refuse(L, LEDGER_E_REFUSED, "%s is closed: differences are paid "
                  "in an open month", pay);
  e = retro_unique(L, m, from, to);
  if (e != LEDGER_OK) return e;
  if (draft) {                       /* computed without these amounts */
    st = prep(L, "DELETE FROM run WHERE month = ? AND status = 'draft'");
    if (!st) return LEDGER_E_SQL;
    sqlite3_bind_text(st, 1, pay, -1, SQLITE_STATIC);
    rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) return sqlerr(L, rc);
    *discarded = true;
  }
  now_utc(now, sizeof now);
  st = prep(L, "INSERT INTO retro(kind, from_month, to_month, pay_in, "
            "rules_name, rules_sha256, inputs_sha256, rules_path, "
            "inputs_root, engine_version, operator, created_at) "
            "VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  if (!st) return LEDGER_E_SQL;
  sqlite3_bind_text(st, 1, m->kind, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 2, from, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 3, to, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 4, pay, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 5, m->rules_name, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 6, m->rules_sha256, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 7, m->inputs_sha256, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 8, m->rules_path, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 9, m->inputs_root, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 10, m->engine_version, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 11, m->operator_name, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 12, now, -1, SQLITE_STATIC);
  rc = sqlite3_step(st);
  sqlite3_finalize(st);
  if (rc != SQLITE_DONE) return sqlerr(L, rc);
  *retro_id = sqlite3_last_insert_rowid(L->db);
  return LEDGER_OK;
}

enum ledger_err ledger_retro_file(struct ledger *L, int64_t retro_id,
                                  const char *role, const char *path,
                                  const char *data, size_t len)
{
  return put_file(L, "INSERT INTO retro_file(retro_id, role, path, sha256) "
                  "VALUES(?, ?, ?, ?)", retro_id, role, path, data, len);
}

enum ledger_err ledger_retro_delta(struct ledger *L, int64_t retro_id,
                                   int ym, const char *employee,
                                   const char *agency, const char *item,
                                   const char *amount)
{
  char mon[8];
  sqlite3_stmt *st = prep(L, "INSERT INTO retro_delta(retro_id, month, "
                          "employee, agency, item, amount) VALUES(?, ?, ?, "
                          "?, ?, ?)");
  int rc;
  if (!st) return LEDGER_E_SQL;
  cal_format_month(ym, mon);
  sqlite3_bind_int64(st, 1, retro_id);
  sqlite3_bind_text(st, 2, mon, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 3, employee, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 4, agency, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 5, item, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 6, amount, -1, SQLITE_STATIC);
  rc = sqlite3_step(st);
  sqlite3_finalize(st);
  return rc == SQLITE_DONE ? LEDGER_OK : sqlerr(L, rc);
}

/* Call fn for each delta of the query's rows (bound to text t). */
static enum ledger_err each_delta(struct ledger *L, const char *sql,
                                  const char *t, ledger_delta_fn fn,
                                  void *ctx)
{
  sqlite3_stmt *st = prep(L, sql);
  int rc;
  if (!st) return LEDGER_E_SQL;
  sqlite3_bind_text(st, 1, t, -1, SQLITE_STATIC);
  while ((rc = sqlite3_step(st)) == SQLITE_ROW)
    if (fn(ctx, sqlite3_column_int64(st, 0),
           (const char *)sqlite3_column_text(st, 1),
           (const char *)sqlite3_column_text(st, 2),
           (const char *)sqlite3_column_text(st, 3),
           (const char *)sqlite3_column_text(st, 4),
           (const char *)sqlite3_column_text(st, 5)) != 0)
      break;
  sqlite3_finalize(st);
  return rc == SQLITE_DONE || rc == SQLITE_ROW ? LEDGER_OK : sqlerr(L, rc);
}

#define DELTA_COLS "SELECT d.retro_id, d.month, d.employee, d.agency, " \
                   "d.item, d.amount FROM retro_delta d "

enum ledger_err ledger_retro_month(struct ledger *L, int ym,
                                   ledger_delta_fn fn, void *ctx)
{
  char mon[8];
  cal_format_month(ym, mon);
  return each_delta(L, DELTA_COLS "WHERE d.month = ? ORDER BY d.retro_id, "
                    "d.employee, d.item", mon, fn, ctx);
}

enum ledger_err ledger_retro_paid_in(struct ledger *L, int ym,
                                     ledger_delta_fn fn, void *ctx)
{
  char mon[8];
  cal_format_month(ym, mon);
  return each_delta(L, DELTA_COLS "JOIN retro r USING(retro_id) WHERE "
                    "r.pay_in = ? ORDER BY d.retro_id, d.month, d.employee, "
                    "d.item", mon, fn, ctx);
}

static const char RETRO_COLS[] =
  "SELECT retro_id, kind, from_month, to_month, pay_in, rules_name, "
  "rules_sha256, inputs_sha256, rules_path, inputs_root FROM retro ";

static void read_retro(sqlite3_stmt *st, struct ledger_retro *x)
{
  char m[3][8];
  x->retro_id = sqlite3_column_int64(st, 0);
  copy_col(st, 1, x->kind, sizeof x->kind);
  for (int k = 0; k < 3; k++) copy_col(st, 2 + k, m[k], sizeof m[k]);
  (void)cal_parse_month(m[0], &x->from);
  (void)cal_parse_month(m[1], &x->to);
  (void)cal_parse_month(m[2], &x->pay_in);
  copy_col(st, 5, x->rules_name, sizeof x->rules_name);
  copy_col(st, 6, x->rules_sha256, sizeof x->rules_sha256);
  copy_col(st, 7, x->inputs_sha256, sizeof x->inputs_sha256);
  copy_col(st, 8, x->rules_path, sizeof x->rules_path);
  copy_col(st, 9, x->inputs_root, sizeof x->inputs_root);
}

enum ledger_err ledger_retro_covering(struct ledger *L, int ym,
                                      int64_t before,
                                      struct ledger_retro *out)
{
  char *sql = xasprintf("%sWHERE kind = 'retro' AND from_month <= ?1 AND "
                        "to_month >= ?1 AND retro_id < ?2 ORDER BY retro_id "
                        "DESC LIMIT 1", RETRO_COLS);
  sqlite3_stmt *st = prep(L, sql);
  char mon[8];
  int rc;
  free(sql);
  if (!st) return LEDGER_E_SQL;
  cal_format_month(ym, mon);
  sqlite3_bind_text(st, 1, mon, -1, SQLITE_STATIC);
  sqlite3_bind_int64(st, 2, before);
  rc = sqlite3_step(st);
  if (rc == SQLITE_ROW) read_retro(st, out);
  sqlite3_finalize(st);
  if (rc == SQLITE_ROW) return LEDGER_OK;
  return rc == SQLITE_DONE ? LEDGER_E_NOT_FOUND : sqlerr(L, rc);
}

enum ledger_err ledger_retros_paid_in(struct ledger *L, int ym,
                                      struct ledger_retro **out, size_t *n)
{
  char *sql = xasprintf("%sWHERE ?1 = '' OR pay_in = ?1 ORDER BY retro_id",
                        RETRO_COLS);
  sqlite3_stmt *st = prep(L, sql);
  char mon[8];
  size_t cap = 0;
  int rc;
  free(sql);
  *out = NULL;
  *n = 0;
  if (!st) return LEDGER_E_SQL;
  mon[0] = '\0';
  if (ym >= 0) cal_format_month(ym, mon);
  sqlite3_bind_text(st, 1, mon, -1, SQLITE_STATIC);
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    xgrow(out, &cap, *n + 1, sizeof **out);
    read_retro(st, &(*out)[(*n)++]);
  }
  sqlite3_finalize(st);
  return rc == SQLITE_DONE ? LEDGER_OK : sqlerr(L, rc);
}

enum ledger_err ledger_retro_files(struct ledger *L, int64_t retro_id,
                                   ledger_file_fn fn, void *ctx)
{
  sqlite3_stmt *st = prep(L, "SELECT f.role, f.path, b.content FROM "
                          "retro_file f JOIN blob b USING(sha256) WHERE "
                          "f.retro_id = ? ORDER BY f.rowid");
  int rc;
  if (!st) return LEDGER_E_SQL;
  sqlite3_bind_int64(st, 1, retro_id);
  while ((rc = sqlite3_step(st)) == SQLITE_ROW)
    if (fn(ctx, (const char *)sqlite3_column_text(st, 0),
           (const char *)sqlite3_column_text(st, 1),
           (const char *)sqlite3_column_blob(st, 2),
           (size_t)sqlite3_column_bytes(st, 2)) != 0)
      break;
  sqlite3_finalize(st);
  return rc == SQLITE_DONE || rc == SQLITE_ROW ? LEDGER_OK : sqlerr(L, rc);
}

struct retro_csv {
  char *buf;
  size_t n, cap;
};

static int csv_line(void *ctx, int64_t retro_id, const char *month,
                    const char *employee, const char *agency,
                    const char *item, const char *amount)
{
  struct retro_csv *x = ctx;
  int k = snprintf(NULL, 0, "%s,%s,%s,%s,%lld\n", employee, month, item,
                   amount, (long long)retro_id);
  (void)agency;
  if (x->n == 0) {
    static const char hdr[] = "employee_id,month,item,amount,retro\n";
    xgrow(&x->buf, &x->cap, sizeof hdr, 1);
    memcpy(x->buf, hdr, sizeof hdr);
    x->n = sizeof hdr - 1;
  }
  xgrow(&x->buf, &x->cap, x->n + (size_t)k + 1, 1);
  x->n += (size_t)snprintf(x->buf + x->n, x->cap - x->n, "%s,%s,%s,%s,%lld\n",
                           employee, month, item, amount,
                           (long long)retro_id);
  return 0;
}

enum ledger_err ledger_retro_csv(struct ledger *L, int pay_in, char **csv,
                                 size_t *len)
{
  struct retro_csv x = {NULL, 0, 0};
  enum ledger_err e = ledger_retro_paid_in(L, pay_in, csv_line, &x);
  if (e != LEDGER_OK) {
    free(x.buf);
    x.buf = NULL;
    x.n = 0;
  }
  *csv = x.buf;
  *len = x.n;
  return e;
}

/* ---- what-if log --------------------------------------------------------- */

enum ledger_err ledger_whatif_log(struct ledger *L,
                                  const struct ledger_whatif *w)
{
  char from[8], to[8], now[32];
  sqlite3_stmt *st = prep(L, "INSERT INTO whatif_log(from_month, to_month, "
                          "scenario, rules_sha256, base_sha256, summary, "
                          "engine_version, operator, created_at) VALUES(?, "
                          "?, ?, ?, ?, ?, ?, ?, ?)");
  int rc;
  if (!st) return LEDGER_E_SQL;
  cal_format_month(w->from, from);
  cal_format_month(w->to, to);
  now_utc(now, sizeof now);
  sqlite3_bind_text(st, 1, from, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 2, to, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 3, w->scenario, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 4, w->rules_sha256, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 5, w->base_sha256, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 6, w->summary, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 7, w->engine_version, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 8, w->operator_name, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 9, now, -1, SQLITE_STATIC);
  rc = sqlite3_step(st);
  sqlite3_finalize(st);
  return rc == SQLITE_DONE ? LEDGER_OK : sqlerr(L, rc);
}

/* ---- reading ------------------------------------------------------------ */

static const char RUN_COLS[] =
  "SELECT run_id, month, kind, status, rules_name, rules_sha256, "
  "engine_version, operator, created_at, closed_at, digest, "
  "(SELECT count(*) FROM result r WHERE r.run_id = run.run_id AND "
  "r.level = 0), rules_path, inputs_root FROM run ";

static void read_run(sqlite3_stmt *st, struct ledger_run *r)
{
  r->run_id = sqlite3_column_int64(st, 0);
  copy_col(st, 1, r->month, sizeof r->month);
  copy_col(st, 2, r->kind, sizeof r->kind);
  copy_col(st, 3, r->status, sizeof r->status);
  copy_col(st, 4, r->rules_name, sizeof r->rules_name);
  copy_col(st, 5, r->rules_sha256, sizeof r->rules_sha256);
  copy_col(st, 6, r->engine_version, sizeof r->engine_version);
  copy_col(st, 7, r->operator_name, sizeof r->operator_name);
  copy_col(st, 8, r->created_at, sizeof r->created_at);
  copy_col(st, 9, r->closed_at, sizeof r->closed_at);
  copy_col(st, 10, r->digest, sizeof r->digest);
  r->employees = (long)sqlite3_column_int64(st, 11);
  copy_col(st, 12, r->rules_path, sizeof r->rules_path);
  copy_col(st, 13, r->inputs_root, sizeof r->inputs_root);
}

enum ledger_err ledger_runs(struct ledger *L, struct ledger_run **runs,
                            size_t *n)
{
  char *sql = xasprintf("%sORDER BY month, run_id", RUN_COLS);
  sqlite3_stmt *st = prep(L, sql);
  size_t cap = 0;
  int rc;
  free(sql);
  *runs = NULL;
  *n = 0;
  if (!st) return LEDGER_E_SQL;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    xgrow(runs, &cap, *n + 1, sizeof **runs);
    read_run(st, &(*runs)[(*n)++]);
  }
  sqlite3_finalize(st);
  return rc == SQLITE_DONE ? LEDGER_OK : sqlerr(L, rc);
}

enum ledger_err ledger_month_run(struct ledger *L, int ym,
                                 struct ledger_run *run)
{
  char *sql = xasprintf("%sWHERE month = ? AND kind = 'regular' ORDER BY "
                        "status = 'closed' DESC LIMIT 1", RUN_COLS);
  sqlite3_stmt *st = prep(L, sql);
  char mon[8];
  int rc;
  free(sql);
  if (!st) return LEDGER_E_SQL;
  cal_format_month(ym, mon);
  sqlite3_bind_text(st, 1, mon, -1, SQLITE_STATIC);
  rc = sqlite3_step(st);
  if (rc == SQLITE_ROW) read_run(st, run);
  sqlite3_finalize(st);
  if (rc == SQLITE_ROW) return LEDGER_OK;
  return rc == SQLITE_DONE ? refuse(L, LEDGER_E_NOT_FOUND, "%s has no run "
                                    "in the ledger", mon) : sqlerr(L, rc);
}

static enum ledger_err run_items(struct ledger *L, int64_t run_id,
                                 char **items)
{
  sqlite3_stmt *st = prep(L, "SELECT items FROM run WHERE run_id = ?");
  int rc;
  if (!st) return LEDGER_E_SQL;
  sqlite3_bind_int64(st, 1, run_id);
  rc = sqlite3_step(st);
  if (rc == SQLITE_ROW) *items = xstrdup((const char *)
                                         sqlite3_column_text(st, 0));
  sqlite3_finalize(st);
  if (rc == SQLITE_ROW) return LEDGER_OK;
  return rc == SQLITE_DONE ? refuse(L, LEDGER_E_NOT_FOUND, "no run %lld",
                                    (long long)run_id) : sqlerr(L, rc);
}

/* The rows of a run that the query sql selects (its parameters: the run
** id, then the level when level >= 0), handed to fn. */
static enum ledger_err run_rows(struct ledger *L, int64_t run_id, int level,
                                const char *sql, ledger_row_fn fn,
                                void *ctx)
{
  char *items = NULL, *store[4] = {0}, **names[4] = {0};
  char **fields = xmalloc(LEDGER_ITEMS_MAX * sizeof *fields);
  size_t nnames[4];
  sqlite3_stmt *st = NULL;
  enum ledger_err e = run_items(L, run_id, &items);
  int rc = SQLITE_DONE, stop = 0;

  if (e != LEDGER_OK) goto done;
  for (int lv = 0; lv < 4; lv++)      /* 3: control totals, as level 0 */
    nnames[lv] = level_names(items, lv == 3 ? 0 : lv, &store[lv],
                             &names[lv]);
  st = prep(L, sql);
  if (!st) {
    e = LEDGER_E_SQL;
    goto done;
  }
  sqlite3_bind_int64(st, 1, run_id);
  if (level >= 0) sqlite3_bind_int(st, 2, level);
  while (!stop && (rc = sqlite3_step(st)) == SQLITE_ROW) {
    int lv = sqlite3_column_int(st, 0);
    char *vals = xstrdup((const char *)sqlite3_column_text(st, 3));
    size_t nf = unpack(vals, fields, LEDGER_ITEMS_MAX);
    if (lv < 0 || lv > 3) lv = 3;
    if (nf > nnames[lv]) nf = nnames[lv];
    stop = fn(ctx, lv, (const char *)sqlite3_column_text(st, 1),
              (const char *)sqlite3_column_text(st, 2),
              (const char *const *)names[lv], (const char *const *)fields,
              nf);
    free(vals);
  }
  if (!stop && rc != SQLITE_DONE) e = sqlerr(L, rc);
done:
  sqlite3_finalize(st);
  for (int lv = 0; lv < 4; lv++) {
    free(store[lv]);
    free(names[lv]);
  }
  free(fields);
  free(items);
  return e;
}

enum ledger_err ledger_run_rows(struct ledger *L, int64_t run_id,
                                ledger_row_fn fn, void *ctx)
{
  return run_rows(L, run_id, -1, "SELECT level, entity, agency, vals FROM "
                  "result WHERE run_id = ? ORDER BY level, entity", fn, ctx);
}

enum ledger_err ledger_run_level(struct ledger *L, int64_t run_id,
                                 int level, bool by_agency,
                                 ledger_row_fn fn, void *ctx)
{
  return run_rows(L, run_id, level, by_agency
                  ? "SELECT level, entity, agency, vals FROM result WHERE "
                    "run_id = ? AND level = ? ORDER BY agency, entity"
                  : "SELECT level, entity, agency, vals FROM result WHERE "
                    "run_id = ? AND level = ? ORDER BY entity", fn, ctx);
}

enum ledger_err ledger_run_entries(struct ledger *L, int64_t run_id,
                                   ledger_entry_fn fn, void *ctx)
{
  sqlite3_stmt *st = prep(L, "SELECT txn, agency, txn_name, account, "
                          "amount_fen FROM entry WHERE run_id = ? ORDER BY "
                          "seq");
  int rc = SQLITE_DONE, stop = 0;
  if (!st) return LEDGER_E_SQL;
  sqlite3_bind_int64(st, 1, run_id);
  while (!stop && (rc = sqlite3_step(st)) == SQLITE_ROW)
    stop = fn(ctx, sqlite3_column_int(st, 0),
              (const char *)sqlite3_column_text(st, 1),
              (const char *)sqlite3_column_text(st, 2),
              (const char *)sqlite3_column_text(st, 3),
              sqlite3_column_int64(st, 4));
  sqlite3_finalize(st);
  return stop || rc == SQLITE_DONE ? LEDGER_OK : sqlerr(L, rc);
}

enum ledger_err ledger_run_files(struct ledger *L, int64_t run_id,
                                 ledger_file_fn fn, void *ctx)
{
  sqlite3_stmt *st = prep(L, "SELECT f.role, f.path, b.content, b.size FROM "
                          "run_file f JOIN blob b USING (sha256) WHERE "
                          "f.run_id = ? ORDER BY f.role, f.path");
  int rc = SQLITE_DONE, stop = 0;
  if (!st) return LEDGER_E_SQL;
  sqlite3_bind_int64(st, 1, run_id);
  while (!stop && (rc = sqlite3_step(st)) == SQLITE_ROW) {
    const void *blob = sqlite3_column_blob(st, 2);
    size_t len = (size_t)sqlite3_column_int64(st, 3);
    stop = fn(ctx, (const char *)sqlite3_column_text(st, 0),
              (const char *)sqlite3_column_text(st, 1),
              blob ? (const char *)blob : "", len);
  }
  sqlite3_finalize(st);
  return stop || rc == SQLITE_DONE ? LEDGER_OK : sqlerr(L, rc);
}

enum ledger_err ledger_run_digests(struct ledger *L, int64_t run_id,
                                   ledger_digest_fn fn, void *ctx)
{
  sqlite3_stmt *st = prep(L, "SELECT f.role, f.path, f.sha256, b.size FROM "
                          "run_file f JOIN blob b USING (sha256) WHERE "
                          "f.run_id = ? ORDER BY f.role, f.path");
  int rc = SQLITE_DONE, stop = 0;
  if (!st) return LEDGER_E_SQL;
  sqlite3_bind_int64(st, 1, run_id);
  while (!stop && (rc = sqlite3_step(st)) == SQLITE_ROW)
    stop = fn(ctx, (const char *)sqlite3_column_text(st, 0),
              (const char *)sqlite3_column_text(st, 1),
              (const char *)sqlite3_column_text(st, 2),
              sqlite3_column_int64(st, 3));
  sqlite3_finalize(st);
  return stop || rc == SQLITE_DONE ? LEDGER_OK : sqlerr(L, rc);
}

/* ---- verify --------------------------------------------------------------- */

struct control_check {
  const char *month;
  struct diag_list *d;
  const char *path;
  size_t nag, capag;
  char **agency;               /* agencies seen */
  struct money **sum;          /* per agency: sum of each employee item */
  size_t nitems;
  bool failed;
};

static size_t control_agency(struct control_check *c, const char *agency,
                             size_t nitems)
{
  size_t a;
  for (a = 0; a < c->nag; a++)
    if (strcmp(c->agency[a], agency) == 0) return a;
  xgrow(&c->agency, &c->capag, c->nag + 1, sizeof *c->agency);
  c->sum = xrealloc(c->sum, c->capag * sizeof *c->sum);
  c->agency[c->nag] = xstrdup(agency);
  c->sum[c->nag] = xmalloc((nitems + 1) * sizeof **c->sum);
  for (size_t i = 0; i < nitems; i++) c->sum[c->nag][i] = MONEY_ZERO;
  return c->nag++;
}

static int control_row(void *ctx, int level, const char *entity,
                       const char *agency, const char *const *names,
                       const char *const *vals, size_t n)
{
  struct control_check *c = ctx;
  struct money v = MONEY_ZERO;
  size_t a;
  if (level != 0 && level != 3) return 0;
  if (!c->nitems) c->nitems = n;
  if (n != c->nitems) n = n < c->nitems ? n : c->nitems;
  a = control_agency(c, level == 0 ? (agency ? agency : "") : entity,
                     c->nitems);
  for (size_t i = 0; i < n; i++) {
    bool num = money_parse_exact(&v, vals[i]) == MONEY_OK;
    if (level == 0 && num) {
      money_add(&c->sum[a][i], &c->sum[a][i], &v);
    } else if (level == 3 && vals[i][0] &&
               (!num || money_cmp(&v, &c->sum[a][i]) != 0)) {
      char want[64];
      money_format_exact(&c->sum[a][i], want, sizeof want);
      diag_add(c->d, c->path, 0, 0, NULL, "%s: agency %s: the control "
               "total of %s is %s, but its employees add up to %s",
               c->month, entity, names[i], vals[i], want);
      c->failed = true;
    }
  }
  money_clear(&v);
  return 0;
}

static void control_free(struct control_check *c)
{
  for (size_t a = 0; a < c->nag; a++) {
    for (size_t i = 0; i < c->nitems; i++) money_clear(&c->sum[a][i]);
    free(c->sum[a]);
    free(c->agency[a]);
  }
  free(c->sum);
  free(c->agency);
}

/* One closed run: its digest and link, its control totals. */
static enum ledger_err verify_run(struct ledger *L, sqlite3_stmt *st,
                                  char *prev, struct diag_list *d,
                                  bool *ok)
{
  int64_t id = sqlite3_column_int64(st, 0), seq = sqlite3_column_int64(st, 4);
  char month[8], closed[32], stored_prev[65], stored[65], hex[65];
  struct control_check c;
  enum ledger_err e;

  copy_col(st, 1, month, sizeof month);
  copy_col(st, 2, closed, sizeof closed);
  copy_col(st, 3, stored_prev, sizeof stored_prev);
  copy_col(st, 5, stored, sizeof stored);
  if (strcmp(stored_prev, prev) != 0) {
    diag_add(d, L->path, 0, 0, NULL, "%s: the hash chain is broken: it "
             "does not follow the previous closed month", month);
    *ok = false;
  }
  e = run_digest(L, id, stored_prev, closed, seq, hex);
  if (e != LEDGER_OK) return e;
  if (strcmp(hex, stored) != 0) {
    diag_add(d, L->path, 0, 0, NULL, "%s: the month's content does not "
             "match its digest: something in it changed after it was closed",
             month);
    *ok = false;
  }
  snprintf(prev, DIGEST_HEX_LEN + 1, "%s", stored);
  memset(&c, 0, sizeof c);
  c.month = month;
  c.d = d;
  c.path = L->path;
  e = ledger_run_rows(L, id, control_row, &c);
  if (c.failed) *ok = false;
  control_free(&c);
  return e;
}

/* Every stored file's content must still hash to its address. */
static enum ledger_err verify_blobs(struct ledger *L, struct diag_list *d,
                                    bool *ok)
{
  sqlite3_stmt *st = prep(L, "SELECT b.sha256, b.content, b.size, (SELECT "
                          "min(r.month) FROM run_file f JOIN run r USING "
                          "(run_id) WHERE f.sha256 = b.sha256) FROM blob b "
                          "ORDER BY 4");
  int rc;
  if (!st) return LEDGER_E_SQL;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    char hex[DIGEST_HEX_LEN + 1];
    const void *data = sqlite3_column_blob(st, 1);
    size_t len = (size_t)sqlite3_column_bytes(st, 1);
    digest_hex(data ? data : "", len, hex);
    if (strcmp(hex, (const char *)sqlite3_column_text(st, 0)) != 0 ||
        (sqlite3_int64)len != sqlite3_column_int64(st, 2)) {
      diag_add(d, L->path, 0, 0, NULL, "%s: a stored file changed after it "
               "was stored (its content no longer matches %.16s)",
               sqlite3_column_text(st, 3) ? (const char *)
               sqlite3_column_text(st, 3) : "(no month)",
               sqlite3_column_text(st, 0));
      *ok = false;
    }
  }
  sqlite3_finalize(st);
  return rc == SQLITE_DONE ? LEDGER_OK : sqlerr(L, rc);
}

static enum ledger_err verify_journal(struct ledger *L, struct diag_list *d,
                                      bool *ok)
{
  sqlite3_stmt *st = prep(L, "SELECT r.month, e.agency, e.txn_name, "
                          "sum(e.amount_fen) FROM entry e JOIN run r USING "
                          "(run_id) GROUP BY e.run_id, e.txn, e.agency "
                          "HAVING sum(e.amount_fen) <> 0 ORDER BY r.month");
  int rc;
  if (!st) return LEDGER_E_SQL;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    diag_add(d, L->path, 0, 0, NULL, "%s: agency %s: journal %s does not "
             "balance (off by %lld fen)", sqlite3_column_text(st, 0),
             sqlite3_column_text(st, 1), sqlite3_column_text(st, 2),
             (long long)sqlite3_column_int64(st, 3));
    *ok = false;
  }
  sqlite3_finalize(st);
  return rc == SQLITE_DONE ? LEDGER_OK : sqlerr(L, rc);
}

enum ledger_err ledger_verify(struct ledger *L, struct diag_list *d,
                              size_t *months_checked)
{
  sqlite3_stmt *st;
  char prev[DIGEST_HEX_LEN + 1] = "";
  bool ok = true;
  enum ledger_err e = LEDGER_OK;
  int rc;

  *months_checked = 0;
  st = prep(L, "PRAGMA quick_check");
  if (!st) return LEDGER_E_SQL;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    const char *m = (const char *)sqlite3_column_text(st, 0);
    if (strcmp(m, "ok") != 0) {
      diag_add(d, L->path, 0, 0, NULL, "database integrity: %s", m);
      ok = false;
    }
  }
  sqlite3_finalize(st);
  st = prep(L, "SELECT run_id, month, closed_at, prev_digest, close_seq, "
            "digest FROM run WHERE status = 'closed' ORDER BY close_seq");
  if (!st) return LEDGER_E_SQL;
  while (e == LEDGER_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
    e = verify_run(L, st, prev, d, &ok);
    (*months_checked)++;
  }
  sqlite3_finalize(st);
  if (e == LEDGER_OK) e = verify_journal(L, d, &ok);
  if (e == LEDGER_OK) e = verify_blobs(L, d, &ok);
  if (e != LEDGER_OK) return e;
  return ok ? LEDGER_OK : refuse(L, LEDGER_E_REFUSED, "the ledger failed "
                                 "verification");
}
