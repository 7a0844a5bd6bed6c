/*
** ledger.h -- the SQLite ledger: the single source of truth of what was
** computed, paid and closed.
**
** One database file (default ledger.db) holds every run of every month:
** the rule and input files it read (content-addressed, so a month can be
** recomputed years later without the originals), every item of every
** employee, agency and the district as exact text, the journal entries in
** whole fen, and for closed months a hash chain. Nothing outside this
** module knows how any of it is stored.
**
** Guarantees:
**  - a command that writes does it in one transaction (BEGIN IMMEDIATE ...
**    COMMIT): killed at any moment, the ledger is as before or complete;
**  - a second writer waits up to LEDGER_BUSY_MS, then is refused with a
**    clear message; nothing is lost or doubled;
**  - closed months are append-only in the database itself: triggers refuse
**    any UPDATE or DELETE of their rows, whatever program sends it;
**  - each close stores a SHA-256 digest over the month's run, files,
**    results and entries and the previous closed month's digest, so an
**    edit of history made around the triggers is found by ledger_verify.
**
** Errors: functions return an enum ledger_err; ledger_message() says what
** happened in words (the SQLite message, or why a month was refused).
*/
#ifndef PAYSETTLE_LEDGER_H
#define PAYSETTLE_LEDGER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "diag.h"
#include "money.h"

/* How long a command waits for another one that holds the write lock. */
#define LEDGER_BUSY_MS 10000
/* The file identifies itself to file(1) and to us: "PSL1". */
#define LEDGER_APPLICATION_ID 0x50534c31
/* The schema version this build writes; older files are migrated. */
#define LEDGER_SCHEMA_VERSION 2

enum ledger_err {
  LEDGER_OK = 0,
  LEDGER_E_OPEN,         /* cannot open or create the file */
  LEDGER_E_FOREIGN,      /* the file is not a paysettle ledger */
  LEDGER_E_NEWER,        /* written by a newer paysettle */
  LEDGER_E_BUSY,         /* another command holds the ledger */
  LEDGER_E_SQL,          /* SQLite failed: see ledger_message */
  LEDGER_E_REFUSED,      /* the operation is not allowed: see message */
  LEDGER_E_NOT_FOUND     /* no such run or month */
};

const char *ledger_strerror(enum ledger_err e);

struct ledger;

/* Open (and with create, create) the ledger at path. Returns NULL with the
** reason in *err and a problem in d. */
struct ledger *ledger_open(const char *path, bool create,
                           enum ledger_err *err, struct diag_list *d);
void ledger_close(struct ledger *L);                 /* accepts NULL */
/* The last error in words (valid until the next call). */
const char *ledger_message(const struct ledger *L);

/* Transactions: every write happens between begin and commit. */
enum ledger_err ledger_begin(struct ledger *L);
enum ledger_err ledger_commit(struct ledger *L);
void ledger_rollback(struct ledger *L);

/* ---- writing a month's run (inside a transaction) ----------------------- */

/* Whether month ym may be run now: refused when it is closed, when a later
** month of its tax year has a run, or when an earlier month of the tax year
** has a draft (close it first) or was skipped. */
enum ledger_err ledger_may_run(struct ledger *L, int ym);

struct ledger_run_meta {
  const char *kind;            /* "regular" */
  const char *rules_name;
  const char *rules_sha256;    /* over every rule file read */
  const char *engine_version;
  const char *operator_name;
  const char *rules_path;      /* the top rule file, as it was read */
  const char *inputs_root;     /* the inputs root, as it was given */
  const char *items;           /* "LEVEL NAME" lines, in output order */
};

/* Start the draft run of month ym, replacing an earlier draft of it. */
enum ledger_err ledger_run_start(struct ledger *L, int ym,
                                 const struct ledger_run_meta *m,
                                 int64_t *run_id);
/* Store a file the run read (role "rules" or "input"), content-addressed. */
enum ledger_err ledger_run_file(struct ledger *L, int64_t run_id,
                                const char *role, const char *path,
                                const char *data, size_t len);
/* Store one entity's items: level 0 employee (agency = its agency), 1
** agency, 2 district, 3 the agency's control totals (the sum over its
** employees of each employee item). vals[n] are exact texts. */
enum ledger_err ledger_run_result(struct ledger *L, int64_t run_id,
                                  int level, const char *entity,
                                  const char *agency,
                                  const char *const *vals, size_t n);
/* Store one journal line (debit > 0, credit < 0, in fen). */
enum ledger_err ledger_run_entry(struct ledger *L, int64_t run_id,
                                 int txn, const char *agency,
                                 const char *txn_name, const char *account,
                                 int64_t amount_fen);

/* The paired assertion after writing a run: every journal transaction of
** the run balances in the database too. */
enum ledger_err ledger_run_check(struct ledger *L, int64_t run_id);

/* Close the draft of month ym: extends the hash chain. Refused when the
** month has no draft, is closed already, or an earlier month of its tax
** year is not closed. */
enum ledger_err ledger_close_month(struct ledger *L, int ym);

/* ---- the tax year's history --------------------------------------------- */

struct ledger_history;

/* Gather, for month ym: per employee, the sum over the closed months of
** ym's tax year before ym of each item in ytd[nytd], the number of those
** months the employee had a result in, and each item in prev[nprev] from
** the employee's latest closed month before ym. */
enum ledger_err ledger_history_load(struct ledger *L, int ym,
                                    const char *const *ytd, size_t nytd,
                                    const char *const *prev, size_t nprev,
                                    struct ledger_history **out);
/* Add the employee's figures to ytd, prev and months (left unchanged when
** the employee has no history). */
void ledger_history_get(const struct ledger_history *h, const char *id,
                        struct money *ytd, struct money *prev,
                        struct money *months);
void ledger_history_free(struct ledger_history *h);   /* accepts NULL */

/* The year-to-date opening figures taken over for tax year `year`, as the
** CSV text of a ytd-opening file (header first). *csv is NULL when there
** are none. */
enum ledger_err ledger_opening_csv(struct ledger *L, int year, char **csv,
                                   size_t *len);
/* Take over opening rows: each (employee, year, csv line of the row with
** the given header). Refused for an employee who already has a closed
** month in that year. */
enum ledger_err ledger_opening_put(struct ledger *L, const char *header,
                                   const char *employee, int year,
                                   const char *row_csv);

/* ---- retros and corrections (inside a transaction) ---------------------- */

/* A retro recomputes closed months under new rules; a correction
** recomputes one closed month from corrected inputs. Either settles the
** differences, recomputed minus paid, in a later open month (pay_in). */
struct ledger_retro_meta {
  const char *kind;            /* "retro" or "correction" */
  int from, to, pay_in;        /* months (year * 12 + month - 1) */
  const char *rules_name;
  const char *rules_sha256;    /* over every rule file read */
  const char *inputs_sha256;   /* correction: over the corrected files */
  const char *rules_path;
  const char *inputs_root;
  const char *engine_version;
  const char *operator_name;
};
/* Record a retro. Refused when a month of from..to is not closed, when
** pay_in is closed or not after `to`, or when the same retro (same rules,
** overlapping months) or correction (same month, same corrected files)
** is recorded already. A draft of pay_in, computed without these amounts,
** is discarded (*discarded tells). */
enum ledger_err ledger_retro_start(struct ledger *L,
                                   const struct ledger_retro_meta *m,
                                   int64_t *retro_id, bool *discarded);
/* Store a file the retro read (role "rules" or "input"). */
enum ledger_err ledger_retro_file(struct ledger *L, int64_t retro_id,
                                  const char *role, const char *path,
                                  const char *data, size_t len);
/* One difference: employee's adjustment `item` for month ym, exact text. */
enum ledger_err ledger_retro_delta(struct ledger *L, int64_t retro_id,
                                   int ym, const char *employee,
                                   const char *agency, const char *item,
                                   const char *amount);
typedef int (*ledger_delta_fn)(void *ctx, int64_t retro_id,
                               const char *month, const char *employee,
                               const char *agency, const char *item,
                               const char *amount);
/* Every recorded difference for month ym (what was paid for ym since). */
enum ledger_err ledger_retro_month(struct ledger *L, int ym,
                                   ledger_delta_fn fn, void *ctx);
/* Every recorded difference settled in month ym. */
enum ledger_err ledger_retro_paid_in(struct ledger *L, int ym,
                                     ledger_delta_fn fn, void *ctx);
/* The differences settled in month ym as the CSV text of a retro input
** file (header employee_id,month,item,amount,retro); NULL when none. */
enum ledger_err ledger_retro_csv(struct ledger *L, int pay_in, char **csv,
                                 size_t *len);

struct ledger_retro {
  int64_t retro_id;
  char kind[16];
  int from, to, pay_in;
  char rules_name[128];
  char rules_sha256[65];
  char inputs_sha256[65];
  char rules_path[512];
  char inputs_root[512];
};
/* The latest retro (kind "retro", id below `before`) whose months include
** ym: the rules month ym stands under now. LEDGER_E_NOT_FOUND: none. */
enum ledger_err ledger_retro_covering(struct ledger *L, int ym,
                                      int64_t before,
                                      struct ledger_retro *out);
/* The retros settled in month ym (every one when ym < 0), oldest first;
** the caller frees *out. */
enum ledger_err ledger_retros_paid_in(struct ledger *L, int ym,
                                      struct ledger_retro **out, size_t *n);

/* ---- the what-if log (inside a transaction) ----------------------------- */

/* A what-if never changes the ledger's months; for audit it may leave a
** line that it ran: which months, which scenario and rules, its result. */
struct ledger_whatif {
  int from, to;
  const char *scenario;
  const char *rules_sha256;      /* the scenario's rule files */
  const char *base_sha256;       /* the baseline's */
  const char *summary;           /* e.g. the change of the total cost */
  const char *engine_version;
  const char *operator_name;
};
enum ledger_err ledger_whatif_log(struct ledger *L,
                                  const struct ledger_whatif *w);

/* ---- reading ------------------------------------------------------------- */

struct ledger_run {
  int64_t run_id;
  char month[8];
  char kind[16];
  char status[8];              /* draft / closed */
  char rules_name[128];
  char rules_sha256[65];
  char engine_version[32];
  char operator_name[64];
  char created_at[32];
  char closed_at[32];
  char digest[65];
  long employees;
  char rules_path[512];
  char inputs_root[512];
};

/* Every run, oldest first; the caller frees *runs. */
enum ledger_err ledger_runs(struct ledger *L, struct ledger_run **runs,
                            size_t *n);
/* The current run of month ym (the closed one, else the draft). */
enum ledger_err ledger_month_run(struct ledger *L, int ym,
                                 struct ledger_run *run);

/* Call fn for every result row of a run (in level, entity order): names
** and vals are the entity level's item names and values. */
typedef int (*ledger_row_fn)(void *ctx, int level, const char *entity,
                             const char *agency, const char *const *names,
                             const char *const *vals, size_t n);
enum ledger_err ledger_run_rows(struct ledger *L, int64_t run_id,
                                ledger_row_fn fn, void *ctx);

/* The same for the rows of one level of a run only (0 employees, 1
** agencies, 2 the district, 3 control totals): ordered by agency and then
** entity when by_agency, else by entity. */
enum ledger_err ledger_run_level(struct ledger *L, int64_t run_id,
                                 int level, bool by_agency,
                                 ledger_row_fn fn, void *ctx);

/* Call fn for every journal entry of a run, in order. */
typedef int (*ledger_entry_fn)(void *ctx, int txn, const char *agency,
                               const char *txn_name, const char *account,
                               int64_t amount_fen);
enum ledger_err ledger_run_entries(struct ledger *L, int64_t run_id,
                                   ledger_entry_fn fn, void *ctx);

/* Call fn for every file a run stored. */
typedef int (*ledger_file_fn)(void *ctx, const char *role, const char *path,
                              const char *data, size_t len);
enum ledger_err ledger_run_files(struct ledger *L, int64_t run_id,
                                 ledger_file_fn fn, void *ctx);
/* Call fn for every file a retro stored, in the order stored. */
enum ledger_err ledger_retro_files(struct ledger *L, int64_t retro_id,
                                   ledger_file_fn fn, void *ctx);

/* Call fn for every file a run stored, with its SHA-256 (lowercase hex)
** and size in bytes, without reading the content. */
typedef int (*ledger_digest_fn)(void *ctx, const char *role,
                                const char *path, const char *sha256,
                                int64_t size);
enum ledger_err ledger_run_digests(struct ledger *L, int64_t run_id,
                                   ledger_digest_fn fn, void *ctx);

/* Check the ledger: the hash chain of closed months, every journal
** transaction balanced, every agency's control totals equal to the sum of
** its employees, SQLite's integrity. Problems go to d, the first failing
** month named. */
enum ledger_err ledger_verify(struct ledger *L, struct diag_list *d,
                              size_t *months_checked);

#endif
