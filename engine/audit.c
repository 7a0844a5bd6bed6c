/*
** audit.c -- what an auditor runs: reproduce, verify, export journal.
**
** reproduce recomputes a month from nothing but the ledger: the rule files
** and input files the run read (replayed through vfs.c under their original
** paths), and the tax year's history as it stood before the month (closed
** earlier months; closed months never change). Every stored figure is
** compared with the recomputed one, and the differences of every retro or
** correction settled in the month are derived again from their stored
** files (retro.h).
*/
#include "cli.h"
#include "audit.h"
#include "batch.h"
#include "digest.h"
#include "ledger.h"
#include "lifecycle.h"
#include "record.h"
#include "retro.h"
#include "util.h"
#include "vfs.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* At most this many differences are listed; the rest are counted. */
#define AUDIT_DIFFS_SHOWN 200

struct stored_row {
  int level;
  char *entity;
  size_t n;
  char **vals;
  bool seen;
};

struct stored_entry {
  int txn;
  char *agency, *account;
  int64_t fen;
};

struct repro {
  const struct program *p;
  const struct inputs *in;
  struct record rec;
  struct stored_row *rows;
  size_t nrows, caprows;
  char **names[4];               /* stored item names per level */
  size_t nnames[4];
  struct stored_entry *entries;
  size_t nentries, capentries, next_entry;
  struct money *control;
  size_t diffs;
  size_t compared;
};

static void diff(struct repro *x, const char *what, const char *entity,
                 const char *item, const char *stored, const char *now)
{
  if (x->diffs++ < AUDIT_DIFFS_SHOWN)
    printf("  %s %s %s: stored %s, recomputed %s\n", what, entity, item,
           stored, now);
}

static int keep_row(void *ctx, int level, const char *entity,
                    const char *agency, const char *const *names,
                    const char *const *vals, size_t n)
{
  struct repro *x = ctx;
  struct stored_row *r;
  (void)agency;
  if (!x->names[level]) {
    x->names[level] = xcalloc(n + 1, sizeof *x->names[level]);
    for (size_t i = 0; i < n; i++) x->names[level][i] = xstrdup(names[i]);
    x->nnames[level] = n;
  }
  xgrow(&x->rows, &x->caprows, x->nrows + 1, sizeof *x->rows);
  r = &x->rows[x->nrows++];
  r->level = level;
  r->entity = xstrdup(entity);
  r->n = n;
  r->vals = xcalloc(n + 1, sizeof *r->vals);
  for (size_t i = 0; i < n; i++) r->vals[i] = xstrdup(vals[i]);
  r->seen = false;
  return 0;
}

static int keep_entry(void *ctx, int txn, const char *agency,
                      const char *txn_name, const char *account,
                      int64_t fen)
{
  struct repro *x = ctx;
  struct stored_entry *e;
  (void)txn_name;
  xgrow(&x->entries, &x->capentries, x->nentries + 1, sizeof *x->entries);
  e = &x->entries[x->nentries++];
  e->txn = txn;
  e->agency = xstrdup(agency);
  e->account = xstrdup(account);
  e->fen = fen;
  return 0;
}

/* The stored row of (level, entity); rows are in (level, entity) order. */
static struct stored_row *find_row(struct repro *x, int level,
                                   const char *entity)
{
  size_t lo = 0, hi = x->nrows;
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    int c = x->rows[mid].level - level;
    if (c == 0) c = strcmp(x->rows[mid].entity, entity);
    if (c == 0) return &x->rows[mid];
    if (c < 0) lo = mid + 1;
    else hi = mid;
  }
  return NULL;
}

static const char *const LEVEL_WORD[4] = {"employee", "agency", "district",
                                          "control totals of"};

/* Compare one recomputed entity with its stored row. */
static void compare(struct repro *x, int level, const char *entity,
                    const char *const *vals, size_t n)
{
  struct stored_row *r = find_row(x, level, entity);
  x->compared++;
  if (!r) {
    diff(x, LEVEL_WORD[level], entity, "(all items)", "nothing",
         "a result");
    return;
  }
  r->seen = true;
  for (size_t i = 0; i < n || i < r->n; i++) {
    const char *a = i < r->n ? r->vals[i] : "(none)";
    const char *b = i < n ? vals[i] : "(none)";
    if (strcmp(a, b) != 0)
      diff(x, LEVEL_WORD[level], entity, i < x->nnames[level] ?
           x->names[level][i] : "?", a, b);
  }
}

static int rep_employee(void *ctx, const struct employee *e,
                        const struct frame *f)
{
  struct repro *x = ctx;
  size_t n = record_texts(&x->rec, f);
  struct money *ctl = x->control + e->agency * x->rec.nlevel[0];
  for (size_t k = 0; k < n; k++) {
    const struct value *v = &f->items[x->rec.index[0][k]];
    if (v->type == VT_NUM) money_add(&ctl[k], &ctl[k], &v->u.num);
  }
  compare(x, 0, e->id, x->rec.texts, n);
  return 0;
}

static void compare_control(struct repro *x, const struct agency *a)
{
  size_t n = x->rec.nlevel[0], ai = (size_t)(a - x->in->agencies);
  char **t = xcalloc(n + 1, sizeof *t);
  for (size_t k = 0; k < n; k++) {
    char buf[RECORD_TEXT_MAX] = "";
    if (x->p->item_type[x->rec.index[0][k]] == VT_NUM)
      (void)money_format_exact(&x->control[ai * n + k], buf, sizeof buf);
    t[k] = xstrdup(buf);
  }
  compare(x, 3, a->code, (const char *const *)t, n);
  for (size_t k = 0; k < n; k++) free(t[k]);
  free(t);
}

static void compare_journal(struct repro *x, const struct agency *a,
                            const struct frame *f)
{
  const struct rules *r = x->p->r;
  size_t k = 0;
  for (size_t t = 0; t < r->ntxns; t++) {
    for (size_t l = 0; l < r->txns[t].nlines; l++, k++) {
      const struct rules_jline *jl = &r->txns[t].lines[l];
      int64_t fen = jl->debit ? f->journal[k] : -f->journal[k];
      const struct stored_entry *s = x->next_entry < x->nentries
        ? &x->entries[x->next_entry] : NULL;
      char a1[32], b1[32];
      x->next_entry++;
      if (s && s->txn == (int)t && strcmp(s->agency, a->code) == 0 &&
          strcmp(s->account, jl->account) == 0 && s->fen == fen)
        continue;
      snprintf(a1, sizeof a1, "%lld fen", s ? (long long)s->fen : 0LL);
      snprintf(b1, sizeof b1, "%lld fen", (long long)fen);
      diff(x, "journal of agency", a->code, jl->account, s ? a1 : "nothing",
           b1);
    }
  }
}

static int rep_agency(void *ctx, const struct agency *a,
                      const struct frame *f)
{
  struct repro *x = ctx;
  size_t n = record_texts(&x->rec, f);
  compare(x, 1, a->code, x->rec.texts, n);
  compare_control(x, a);
  compare_journal(x, a, f);
  return 0;
}

static int rep_district(void *ctx, const struct frame *f)
{
  struct repro *x = ctx;
  size_t n = record_texts(&x->rec, f);
  compare(x, 2, "district", x->rec.texts, n);
  return 0;
}

static void repro_free(struct repro *x)
{
  for (size_t i = 0; i < x->nrows; i++) {
    for (size_t k = 0; k < x->rows[i].n; k++) free(x->rows[i].vals[k]);
    free(x->rows[i].vals);
    free(x->rows[i].entity);
  }
  for (int lv = 0; lv < 4; lv++) {
    for (size_t k = 0; k < x->nnames[lv]; k++) free(x->names[lv][k]);
    free(x->names[lv]);
  }
  for (size_t i = 0; i < x->nentries; i++) {
    free(x->entries[i].agency);
    free(x->entries[i].account);
  }
  free(x->rows);
  free(x->entries);
}

/* Recompute the run into x (stored rows and entries already loaded). */
static bool recompute(struct ledger *L, const struct ledger_run *run, int ym,
                      const struct lifecycle_replay *stored, struct repro *x,
                      struct diag_list *d)
{
  struct rules *r = rules_load(run->rules_path, d);
  struct program *p = r ? program_compile(r, ym, d) : NULL;
  struct inputs *in = p ? inputs_load(p, run->inputs_root, ym,
                                      stored->opening ? LIFECYCLE_OPENING_PATH
                                      : NULL, stored->retro ?
                                      LIFECYCLE_RETRO_PATH : NULL, d)
                        : NULL;
  struct ledger_history *h = NULL;
  struct batch_history hist;
  struct batch_sink sink = {x, rep_employee, rep_agency, rep_district};
  size_t nctl;
  bool ok = in && !diag_count(d) &&
            lifecycle_history(L, p, &h, &hist) == LEDGER_OK;
  if (ok) {
    x->p = p;
    x->in = in;
    record_init(&x->rec, p);
    nctl = in->nagencies * x->rec.nlevel[0];
    x->control = xmalloc((nctl + 1) * sizeof *x->control);
    for (size_t i = 0; i < nctl; i++) x->control[i] = MONEY_ZERO;
    (void)batch_run(p, in, &hist, &sink, d);
    for (size_t i = 0; i < nctl; i++) money_clear(&x->control[i]);
    free(x->control);
    record_free(&x->rec);
  }
  ledger_history_free(h);
  inputs_free(in, r);
  program_free(p);
  rules_free(r);
  return ok && !diag_count(d);
}

int cmd_reproduce(const struct cli *c)
{
  struct diag_list d;
  enum ledger_err e = LEDGER_OK;
  struct ledger *L;
  struct ledger_run run;
  struct repro x;
  struct lifecycle_replay stored = {false, false};
  bool ok = false;
  int ym;

  if (c->nargs != 1 || !cal_parse_month(c->args[0], &ym)) {
    fprintf(stderr, "paysettle: reproduce needs a month YYYY-MM\n");
    return 2;
  }
  diag_init(&d);
  memset(&x, 0, sizeof x);
  L = ledger_open(c->db_path, false, &e, &d);
  if (L) e = ledger_month_run(L, ym, &run);
  if (L && e == LEDGER_OK) e = ledger_run_rows(L, run.run_id, keep_row, &x);
  if (L && e == LEDGER_OK) e = ledger_run_entries(L, run.run_id, keep_entry,
                                                  &x);
  if (L && e == LEDGER_OK) e = ledger_run_files(L, run.run_id,
                                                lifecycle_replay_file, &stored);
  if (L && e == LEDGER_OK) {
    printf("%s: run %lld (%s), rules %s (%.16s), engine %s\n", run.month,
           (long long)run.run_id, run.status, run.rules_name,
           run.rules_sha256, run.engine_version);
    ok = recompute(L, &run, ym, &stored, &x, &d);
  }
  vfs_replay_stop();
  if (ok) {                      /* the retros it settles, derived again */
    long k = retro_reproduce(L, ym, &d);
    if (k < 0) ok = false;
    else x.diffs += (size_t)k;
  }
  if (ok) {
    for (size_t i = 0; i < x.nrows; i++)
      if (!x.rows[i].seen)
        diff(&x, LEVEL_WORD[x.rows[i].level], x.rows[i].entity,
             "(all items)", "a result", "nothing");
    if (x.next_entry != x.nentries)
      diff(&x, "journal", "-", "entries", "more", "fewer");
  }
  if (!L) {
    diag_print(&d, stderr);
  } else if (e != LEDGER_OK) {
    fprintf(stderr, "paysettle: %s\n", ledger_message(L));
  } else if (!ok) {
    diag_print(&d, stderr);
    fprintf(stderr, "paysettle: %s could not be recomputed from the stored "
            "files\n", c->args[0]);
  } else if (x.diffs) {
    printf("%s: %zu difference%s between the ledger and the "
           "recomputation%s\n", c->args[0], x.diffs, x.diffs == 1 ? "" : "s",
           x.diffs > AUDIT_DIFFS_SHOWN ? " (the first 200 listed)" : "");
  } else {
    printf("%s: reproduced: %zu results and %zu journal lines recomputed "
           "from the stored rules and inputs are identical to the ledger\n",
           c->args[0], x.compared, x.nentries);
  }
  ok = ok && x.diffs == 0;
  repro_free(&x);
  ledger_close(L);
  diag_free(&d);
  return ok ? 0 : 1;
}

struct stored_sha {
  char sha[DIGEST_HEX_LEN + 1];
};

static int retro_sha(void *ctx, const char *role, const char *path,
                     const char *sha256, int64_t size)
{
  struct stored_sha *x = ctx;
  (void)role, (void)size;
  if (strcmp(path, LIFECYCLE_RETRO_PATH) == 0)
    snprintf(x->sha, sizeof x->sha, "%s", sha256);
  return 0;
}

/* Every closed month paid exactly the retro amounts recorded for it: the
** retro file its run stored is the one the recorded rows give now. */
static enum ledger_err verify_retros(struct ledger *L, struct diag_list *d)
{
  struct ledger_run *runs = NULL;
  size_t n = 0;
  enum ledger_err e = ledger_runs(L, &runs, &n);
  for (size_t i = 0; e == LEDGER_OK && i < n; i++) {
    struct stored_sha got = {""}, want = {""};
    char *csv = NULL;
    size_t len = 0;
    int ym;
    if (strcmp(runs[i].status, "closed") != 0 ||
        !cal_parse_month(runs[i].month, &ym))
      continue;
    e = ledger_run_digests(L, runs[i].run_id, retro_sha, &got);
    if (e == LEDGER_OK) e = ledger_retro_csv(L, ym, &csv, &len);
    if (e == LEDGER_OK && csv) digest_hex(csv, len, want.sha);
    if (e == LEDGER_OK && strcmp(got.sha, want.sha) != 0)
      diag_add(d, NULL, 0, 0, NULL, "%s: the retro amounts recorded for it "
               "are not the ones its closed run paid", runs[i].month);
    free(csv);
  }
  free(runs);
  return e;
}

int cmd_verify(const struct cli *c)
{
  struct diag_list d;
  enum ledger_err e = LEDGER_OK;
  struct ledger *L;
  size_t months = 0;
  int rc = 1;

  diag_init(&d);
  L = ledger_open(c->db_path, false, &e, &d);
  if (L) e = ledger_verify(L, &d, &months);
  if (L && e == LEDGER_OK) e = verify_retros(L, &d);
  if (L && e == LEDGER_OK && !diag_count(&d)) {
    printf("%s: ok: %zu closed months; the hash chain is intact, every "
           "journal transaction balances, every agency's control totals "
           "equal the sum of its employees, every retro paid is the one "
           "recorded\n", c->db_path, months);
    rc = 0;
  } else {
    diag_print(&d, stderr);
    if (L && !diag_count(&d)) fprintf(stderr, "paysettle: %s\n",
                                      ledger_message(L));
    fprintf(stderr, "paysettle: %s failed verification\n", c->db_path);
  }
  ledger_close(L);
  diag_free(&d);
  return rc;
}

/* ---- export journal ----------------------------------------------------- */

struct jexport {
  FILE *out;
  bool beancount;
  char date[11];
  char last_key[128];            /* agency/txn of the open transaction */
  char **accounts;               /* beancount: accounts already opened */
  size_t naccounts, capaccounts;
};

/* beancount account names: Capitalised components of [A-Za-z0-9-]. */
static void bean_account(const char *s, char *buf, size_t cap)
{
  size_t n = 0;
  bool start = true;
  for (; *s && n + 1 < cap; s++) {
    char ch = *s;
    if (ch == ':') {
      start = true;
      buf[n++] = ':';
      continue;
    }
    if (ch == ' ' || ch == '_') ch = '-';
    else if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
               (ch >= '0' && ch <= '9') || ch == '-'))
      ch = '-';
    if (start && ch >= 'a' && ch <= 'z') ch = (char)(ch - 'a' + 'A');
    start = false;
    buf[n++] = ch;
  }
  buf[n] = '\0';
}

static int collect_account(void *ctx, int txn, const char *agency,
                           const char *txn_name, const char *account,
                           int64_t fen)
{
  struct jexport *j = ctx;
  (void)txn;
  (void)agency;
  (void)txn_name;
  (void)fen;
  for (size_t i = 0; i < j->naccounts; i++)
    if (strcmp(j->accounts[i], account) == 0) return 0;
  xgrow(&j->accounts, &j->capaccounts, j->naccounts + 1,
        sizeof *j->accounts);
  j->accounts[j->naccounts++] = xstrdup(account);
  return 0;
}

static int write_entry(void *ctx, int txn, const char *agency,
                       const char *txn_name, const char *account,
                       int64_t fen)
{
  struct jexport *j = ctx;
  char key[128], acc[256];
  snprintf(key, sizeof key, "%s/%d", agency, txn);
  if (strcmp(key, j->last_key) != 0) {
    snprintf(j->last_key, sizeof j->last_key, "%s", key);
    if (j->beancount)
      fprintf(j->out, "\n%s * \"%s\" \"%s\"\n", j->date, agency, txn_name);
    else
      fprintf(j->out, "\n%s %s %s\n", j->date, agency, txn_name);
  }
  if (j->beancount) bean_account(account, acc, sizeof acc);
  else snprintf(acc, sizeof acc, "%s", account);
  fprintf(j->out, "    %-50s  %s%lld.%02lld CNY\n", acc, fen < 0 ? "-" : "",
          (long long)(llabs(fen) / 100), (long long)(llabs(fen) % 100));
  return 0;
}

static void export_header(struct jexport *j, const struct ledger_run *run,
                          int ym, bool with_status)
{
  char acc[256];
  if (with_status)
    fprintf(j->out, "; paysettle journal %s: run %lld (%s), rules %s %s\n",
            run->month, (long long)run->run_id, run->status,
            run->rules_name, run->rules_sha256);
  else
    fprintf(j->out, "; paysettle journal %s: run %lld, rules %s %s\n",
            run->month, (long long)run->run_id, run->rules_name,
            run->rules_sha256);
  if (j->beancount) {
    fprintf(j->out, "option \"operating_currency\" \"CNY\"\n");
    for (size_t i = 0; i < j->naccounts; i++) {
      bean_account(j->accounts[i], acc, sizeof acc);
      fprintf(j->out, "%04d-%02d-01 open %s CNY\n", ym / 12, ym % 12 + 1,
              acc);
    }
  } else {
    fprintf(j->out, "commodity 1000.00 CNY\n");
    for (size_t i = 0; i < j->naccounts; i++)
      fprintf(j->out, "account %s\n", j->accounts[i]);
  }
}

enum ledger_err audit_journal_write(struct ledger *L,
                                    const struct ledger_run *run, int ym,
                                    FILE *out, bool beancount,
                                    bool with_status)
{
  struct jexport j;
  enum ledger_err e;
  memset(&j, 0, sizeof j);
  j.out = out;
  j.beancount = beancount;
  cal_format_date(cal_month_last(ym), j.date);
  e = ledger_run_entries(L, run->run_id, collect_account, &j);
  if (e == LEDGER_OK) {
    export_header(&j, run, ym, with_status);
    e = ledger_run_entries(L, run->run_id, write_entry, &j);
  }
  for (size_t i = 0; i < j.naccounts; i++) free(j.accounts[i]);
  free(j.accounts);
  return e;
}

int cmd_export(const struct cli *c)
{
  struct diag_list d;
  enum ledger_err e = LEDGER_OK;
  struct ledger *L = NULL;
  struct ledger_run run;
  FILE *out = NULL;
  bool beancount;
  int ym, rc = 1;

  if (c->nargs >= 1 && strcmp(c->args[0], "journal") != 0)
    return cmd_export_outputs(c);
  if (c->nargs != 2 || !cal_parse_month(c->args[1], &ym)) {
    fprintf(stderr, "paysettle: export journal YYYY-MM [--format "
            "hledger|beancount] [--out FILE]\n");
    return 2;
  }
  beancount = c->format && strcmp(c->format, "beancount") == 0;
  if (c->format && !beancount && strcmp(c->format, "hledger") != 0) {
    fprintf(stderr, "paysettle: --format is hledger or beancount\n");
    return 2;
  }
  diag_init(&d);
  L = ledger_open(c->db_path, false, &e, &d);
  if (L) e = ledger_month_run(L, ym, &run);
  if (L && e == LEDGER_OK) {
    out = c->out_path ? fopen(c->out_path, "w") : stdout;
    if (!out) {
      perror(c->out_path);
    } else {
      e = audit_journal_write(L, &run, ym, out, beancount, true);
      rc = e == LEDGER_OK && !ferror(out) ? 0 : 1;
      if (out != stdout && fclose(out) != 0) rc = 1;
    }
  }
  if (!L) diag_print(&d, stderr);
  else if (e != LEDGER_OK) fprintf(stderr, "paysettle: %s\n",
                                   ledger_message(L));
  ledger_close(L);
  diag_free(&d);
  return rc;
}
