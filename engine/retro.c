/*
** retro.c -- differences of closed months, settled in an open month.
**
**   paysettle retro --from M [--to M] --rules FILE --pay-in M
**       a new standard approved late: the closed months from..to are
**       recomputed under FILE, each from its own stored inputs and with the
**       recomputation's own year-to-date figures, chained month to month;
**   paysettle correct M --inputs DIR --pay-in M
**       a closed month's inputs were wrong: it is recomputed under its own
**       stored rules from the corrected files under DIR.
**
** Either way each recomputed month is compared with what was paid for it:
** its closed run, plus what earlier retros settled for it. The rule set's
** `retro` section names what is compared and as which adjustment the
** difference is settled (gross -> retro_pay, 补发/补扣; contributions ->
** their retro lines). The differences are recorded in the ledger, once
** (the same retro twice is refused), and the pay-in month's run reads
** them as its retro input file: taxable there in the cumulative
** withholding, and shown apart in the settlement. Closed months never
** change.
*/
#include "retro.h"
#include "cli.h"
#include "digest.h"
#include "figures.h"
#include "ledger.h"
#include "lifecycle.h"
#include "util.h"
#include "vfs.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Months one retro may recompute: a few years at most. */
#define RETRO_MONTHS_MAX 60
/* At most this many differences of a reproduction are listed. */
#define RETRO_DIFFS_SHOWN 50

/* One difference, kept until the retro is recorded. */
struct retro_delta {
  int ym;
  char *employee, *agency;
  size_t entry;                /* retro entry (its `into`) */
  char text[32];               /* the amount, 2 decimals */
};

struct retro_job {
  struct ledger *L;
  struct ledger_retro_meta meta;
  int64_t retro_id;
  struct retro_delta *deltas;
  size_t ndeltas, capdeltas;
  struct vfs_file *files;      /* to store with the retro: the rule files
                                  (retro) or the corrected inputs */
  size_t nfiles;
  char rules_hex[DIGEST_HEX_LEN + 1], inputs_hex[DIGEST_HEX_LEN + 1];
  char rules_path[512];        /* correction: the top rule file read */
  struct rules *r;             /* the rules the months are recomputed under */
  const char *root;            /* correction: corrected inputs; NULL: own */
  struct fig_cols cols;
  int **col;                   /* per retro entry: its items' columns */
  size_t *nchanged;            /* per month: employees with a difference */
  struct money *month_sum;     /* per month x retro entry */
  struct strmap prior_ix;      /* employee -> row of prior (this month) */
  struct money *prior;         /* rows x nretro: settled by earlier retros */
  size_t nprior, capprior;
  char **prior_id;
  bool bad_prior;              /* a recorded amount that is not a number */
};

/* ---- what earlier retros settled for the month -------------------------- */

static void prior_reset(struct retro_job *j)
{
  for (size_t i = 0; i < j->nprior; i++) {
    for (size_t k = 0; k < j->r->nretro; k++)
      money_clear(&j->prior[i * j->r->nretro + k]);
    free(j->prior_id[i]);
  }
  j->nprior = 0;
  strmap_free(&j->prior_ix);
  strmap_init(&j->prior_ix);
}

static int add_prior(void *ctx, int64_t retro_id, const char *month,
                     const char *employee, const char *agency,
                     const char *item, const char *amount)
{
  struct retro_job *j = ctx;
  size_t n = j->r->nretro, i, cap = j->capprior;
  struct money a = MONEY_ZERO;
  (void)month, (void)agency;
  if (j->retro_id && retro_id >= j->retro_id) return 0;  /* not before */
  for (size_t k = 0; k < n; k++) {
    if (strcmp(j->r->retro[k].into, item) != 0) continue;
    if (!strmap_get(&j->prior_ix, employee, &i)) {
      xgrow(&j->prior_id, &j->capprior, j->nprior + 1, sizeof *j->prior_id);
      if (j->capprior != cap)
        j->prior = xrealloc(j->prior, (j->capprior * n + 1) *
                            sizeof *j->prior);
      i = j->nprior++;
      j->prior_id[i] = xstrdup(employee);
      for (size_t q = 0; q < n; q++) j->prior[i * n + q] = MONEY_ZERO;
      (void)strmap_put(&j->prior_ix, j->prior_id[i], i, NULL);
    }
    if (money_parse_exact(&a, amount) != MONEY_OK) {
      j->bad_prior = true;         /* written by us: the ledger was edited */
      break;
    }
    money_add(&j->prior[i * n + k], &j->prior[i * n + k], &a);
  }
  money_clear(&a);
  return j->bad_prior;
}

/* ---- the differences of one month -------------------------------------- */

/* Sum of retro entry k's columns in row (NULL: zero) into out. */
static void entry_sum(const struct retro_job *j, size_t k,
                      const struct money *row, struct money *out)
{
  money_set_int(out, 0);
  if (!row) return;
  for (size_t q = 0; q < j->r->retro[k].nitems; q++)
    money_add(out, out, &row[j->col[k][q]]);
}

/* Keep employee id's differences for month ym (now: recomputed row,
** paid: the run's row; either may be NULL). Problems go to d. */
static void employee_deltas(struct retro_job *j, int ym, size_t mi,
                            const char *id, const char *agency,
                            const struct money *now,
                            const struct money *paid, struct diag_list *d)
{
  struct money a = MONEY_ZERO, b = MONEY_ZERO;
  size_t n = j->r->nretro, pi;
  bool has_prior = strmap_get(&j->prior_ix, id, &pi), changed = false;
  for (size_t k = 0; k < n; k++) {
    struct retro_delta *x;
    int64_t fen;
    entry_sum(j, k, now, &a);
    entry_sum(j, k, paid, &b);
    money_sub(&a, &a, &b);
    if (has_prior) money_sub(&a, &a, &j->prior[pi * n + k]);
    if (money_is_zero(&a)) continue;
    if (money_to_fen(&a, &fen) != MONEY_OK) {
      diag_add(d, NULL, 0, 0, "retro", "employee %s: the difference of "
               "'%s' is not a whole number of fen; retro items must be "
               "rounded amounts", id, j->r->retro[k].into);
      continue;
    }
    xgrow(&j->deltas, &j->capdeltas, j->ndeltas + 1, sizeof *j->deltas);
    x = &j->deltas[j->ndeltas++];
    x->ym = ym;
    x->employee = xstrdup(id);
    x->agency = xstrdup(agency);
    x->entry = k;
    money_format(&a, 2, 2, x->text, sizeof x->text);
    money_add(&j->month_sum[mi * n + k], &j->month_sum[mi * n + k], &a);
    changed = true;
  }
  j->nchanged[mi] += changed;
  money_clear(&a);
  money_clear(&b);
}

static void month_deltas(struct retro_job *j, int ym, size_t mi,
                         struct fig_vals *now, struct fig_vals *paid,
                         struct diag_list *d)
{
  size_t n0 = j->cols.n[0], i;
  for (size_t x = 0; x < now->nemp; x++) {
    const char *id = now->emp_id[x];
    const struct money *p = strmap_get(&paid->emp_ix, id, &i)
                          ? &paid->emp[i * n0] : NULL;
    employee_deltas(j, ym, mi, id, now->emp_agency[x], &now->emp[x * n0],
                    p, d);
  }
  /* paid, but no longer in the month (a corrected roster) */
  for (size_t x = 0; x < paid->nemp; x++)
    if (!strmap_get(&now->emp_ix, paid->emp_id[x], &i))
      employee_deltas(j, ym, mi, paid->emp_id[x], paid->emp_agency[x], NULL,
                      &paid->emp[x * n0], d);
}

/* ---- recomputing the months --------------------------------------------- */

/* Recompute month ym (index mi) and keep its differences. A correction's
** files are read from the disk, or from the replay its caller set up. */
static bool one_month(struct retro_job *j, int ym, size_t mi,
                      struct fig_history *h, struct diag_list *d)
{
  struct ledger_run run;
  struct lifecycle_replay stored = {false, false};
  struct fig_vals now, paid;
  struct fig_inputs src = {NULL, NULL, NULL};
  enum ledger_err e = ledger_month_run(j->L, ym, &run);
  bool ok = false;

  fig_vals_init(&now, &j->cols);
  fig_vals_init(&paid, &j->cols);
  prior_reset(j);
  if (e == LEDGER_OK && !fig_from_run(j->L, run.run_id, &paid, &j->cols))
    e = LEDGER_E_SQL;
  if (e == LEDGER_OK) e = ledger_retro_month(j->L, ym, add_prior, j);
  if (e == LEDGER_OK && j->bad_prior)
    diag_add(d, NULL, 0, 0, "retro", "a recorded retro amount of %s is not "
             "a number: run paysettle verify", run.month);
  if (e != LEDGER_OK || j->bad_prior) goto done;
  if (j->root) {                 /* a correction: the corrected files */
    src.root = j->root;
    src.ytd_path = lifecycle_openings(j->L, ym);
    src.retro_path = lifecycle_retro(j->L, ym);
  } else {                       /* a retro: the month's own stored files */
    e = ledger_run_files(j->L, run.run_id, lifecycle_replay_file, &stored);
    if (e != LEDGER_OK) goto done;
    src.root = run.inputs_root;
    src.ytd_path = stored.opening ? LIFECYCLE_OPENING_PATH : NULL;
    src.retro_path = stored.retro ? LIFECYCLE_RETRO_PATH : NULL;
  }
  ok = fig_compute(j->r, ym, &src, h, &now, d);
  if (!j->root) vfs_replay_stop();
  if (ok) {
    fig_history_add(h, &now, ym / 12);
    month_deltas(j, ym, mi, &now, &paid, d);
    ok = !diag_count(d);
  }
done:
  if (e != LEDGER_OK)
    diag_add(d, NULL, 0, 0, NULL, "%s", ledger_message(j->L));
  fig_vals_free(&now, &j->cols);
  fig_vals_free(&paid, &j->cols);
  return ok && e == LEDGER_OK;
}

/* Columns of the retro entries' items in the reference program p. */
static bool map_columns(struct retro_job *j, const struct program *p,
                        struct diag_list *d)
{
  const struct rules *r = j->r;
  bool ok = true;
  fig_cols_init(&j->cols, p);
  j->col = xcalloc(r->nretro + 1, sizeof *j->col);
  for (size_t k = 0; k < r->nretro; k++) {
    j->col[k] = xcalloc(r->retro[k].nitems + 1, sizeof *j->col[k]);
    for (size_t q = 0; q < r->retro[k].nitems; q++) {
      int c = fig_col_of(&j->cols, 0, r->retro[k].items[q]);
      if (c < 0 || !j->cols.amount[0][c]) {
        const struct rules_pos *pos = &r->retro[k].pos;
        diag_add(d, pos->file, pos->line, pos->col, "retro", "'%s' is not "
                 "an amount (a number item with 2 decimals)",
                 r->retro[k].items[q]);
        ok = false;
      }
      j->col[k][q] = c;
    }
  }
  return ok;
}

/* All the months, in order, each on the history of the ones before. */
static bool recompute(struct retro_job *j, struct diag_list *d)
{
  struct program *p0 = program_compile(j->r, j->meta.from, d);
  struct ledger_history *lh = NULL;
  struct batch_history unused;
  struct fig_history h;
  size_t nmonths = (size_t)(j->meta.to - j->meta.from + 1);
  bool ok = p0 && map_columns(j, p0, d) &&
            lifecycle_history(j->L, p0, &lh, &unused) == LEDGER_OK;

  j->nchanged = xcalloc(nmonths, sizeof *j->nchanged);
  j->month_sum = money_zeros(nmonths * j->r->nretro);
  if (ok) {
    fig_history_init(&h, &j->cols, lh, j->meta.from);
    for (int ym = j->meta.from; ok && ym <= j->meta.to; ym++)
      ok = one_month(j, ym, (size_t)(ym - j->meta.from), &h, d);
    fig_history_free(&h);
  }
  ledger_history_free(lh);
  program_free(p0);
  return ok && !diag_count(d);
}

/* ---- the report --------------------------------------------------------- */

static void report(const struct retro_job *j, bool discarded)
{
  size_t n = j->r->nretro;
  char pay[8], m[8];
  cal_format_month(j->meta.pay_in, pay);
  printf("%s #%lld recorded: %s", j->meta.kind, (long long)j->retro_id,
         j->meta.rules_name);
  printf(" (%.16s), to be paid in %s\n", j->meta.rules_sha256, pay);
  for (int ym = j->meta.from; ym <= j->meta.to; ym++) {
    size_t mi = (size_t)(ym - j->meta.from);
    cal_format_month(ym, m);
    printf("  %s: %zu employee%s changed", m, j->nchanged[mi],
           j->nchanged[mi] == 1 ? "" : "s");
    for (size_t k = 0; k < n; k++) {
      char buf[64];
      const struct money *s = &j->month_sum[mi * n + k];
      if (money_is_zero(s)) continue;
      money_format(s, 2, 2, buf, sizeof buf);
      printf("; %s %s%s", j->r->retro[k].into, money_sgn(s) > 0 ? "+" : "",
             buf);
    }
    printf("\n");
  }
  if (discarded)
    printf("  the draft of %s, computed without these amounts, was "
           "discarded\n", pay);
  printf("run %s to pay them (补发 / 补扣, taxed in %s's cumulative "
         "withholding)\n", pay, pay);
}

/* ---- the rules a month stands under -------------------------------------- */

static int replay_rules(void *ctx, const char *role, const char *path,
                        const char *data, size_t len)
{
  (void)ctx;
  if (strcmp(role, "rules") == 0) vfs_replay_add(path, data, len);
  return 0;
}

/* Load the rules closed month ym stands under now: those of the latest
** retro over it recorded before `before`, else those of its run; read
** from the ledger's stored files. *path gets the top file's path. */
static struct rules *month_rules(struct ledger *L, int ym, int64_t before,
                                 char *path, size_t cap, struct diag_list *d)
{
  struct ledger_retro x;
  struct ledger_run run;
  struct rules *r = NULL;
  enum ledger_err e = ledger_retro_covering(L, ym, before, &x);
  if (e == LEDGER_OK) {
    e = ledger_retro_files(L, x.retro_id, replay_rules, NULL);
    snprintf(path, cap, "%s", x.rules_path);
  } else if (e == LEDGER_E_NOT_FOUND) {
    e = ledger_month_run(L, ym, &run);
    if (e == LEDGER_OK) e = ledger_run_files(L, run.run_id, replay_rules,
                                             NULL);
    snprintf(path, cap, "%s", run.rules_path);
  }
  if (e == LEDGER_OK) r = rules_load(path, d);
  else diag_add(d, NULL, 0, 0, NULL, "%s", ledger_message(L));
  return r;
}

/* ---- the commands ------------------------------------------------------- */

static void job_free(struct retro_job *j)
{
  size_t nmonths = (size_t)(j->meta.to - j->meta.from + 1);
  if (j->r) {
    prior_reset(j);
    for (size_t k = 0; j->col && k < j->r->nretro; k++) free(j->col[k]);
    for (size_t i = 0; j->month_sum && i < nmonths * j->r->nretro; i++)
      money_clear(&j->month_sum[i]);
  }
  for (size_t i = 0; i < j->ndeltas; i++) {
    free(j->deltas[i].employee);
    free(j->deltas[i].agency);
  }
  free(j->deltas);
  vfs_files_free(j->files, j->nfiles);
  strmap_free(&j->prior_ix);
  free(j->prior);
  free(j->prior_id);
  free(j->col);
  free(j->nchanged);
  free(j->month_sum);
  fig_cols_free(&j->cols);
  rules_free(j->r);
}

static bool month_opt(const char *opt, const char *s, int *ym)
{
  if (s && cal_parse_month(s, ym)) return true;
  fprintf(stderr, "paysettle: %s YYYY-MM is needed\n", opt);
  return false;
}

/* SHA-256 over the kept files (path and content, in reading order). */
static void files_digest(const struct retro_job *j, char *hex)
{
  struct digest *g = digest_new();
  for (size_t i = 0; i < j->nfiles; i++) {
    digest_add_str(g, j->files[i].path);
    digest_add(g, j->files[i].data, j->files[i].len);
  }
  digest_finish(g, hex);
}

/* Record the job: the retro, its files and its differences. */
static enum ledger_err record(struct retro_job *j, bool *discarded)
{
  const char *role = j->root ? "input" : "rules";
  enum ledger_err e = ledger_retro_start(j->L, &j->meta, &j->retro_id,
                                         discarded);
  for (size_t i = 0; e == LEDGER_OK && i < j->nfiles; i++)
    e = ledger_retro_file(j->L, j->retro_id, role, j->files[i].path,
                          j->files[i].data, j->files[i].len);
  for (size_t i = 0; e == LEDGER_OK && i < j->ndeltas; i++) {
    const struct retro_delta *x = &j->deltas[i];
    e = ledger_retro_delta(j->L, j->retro_id, x->ym, x->employee, x->agency,
                           j->r->retro[x->entry].into, x->text);
  }
  return e;
}

/* Compute job j (meta filled but for the rules and digests) and record
** it; nothing is recorded when any problem is found. */
static int execute(struct retro_job *j, struct diag_list *d)
{
  enum ledger_err e;
  bool discarded = false, ok;

  if (j->r->nretro == 0) {
    diag_add(d, j->r->files[0], 0, 0, "retro", "the rule set has no "
             "'retro' section: nothing says what a retro settles");
    return 1;
  }
  lifecycle_rules_digest(j->r, j->rules_hex);
  j->meta.rules_name = j->r->name ? j->r->name : "?";
  j->meta.rules_sha256 = j->rules_hex;
  if (j->root) vfs_record_start();          /* the corrected files */
  ok = recompute(j, d);
  if (j->root) {
    j->files = vfs_record_take(&j->nfiles);
    files_digest(j, j->inputs_hex);
  }
  j->meta.inputs_sha256 = j->inputs_hex;
  if (!ok) return 1;
  e = record(j, &discarded);
  if (e == LEDGER_OK) e = ledger_commit(j->L);
  if (e != LEDGER_OK) {
    fprintf(stderr, "paysettle: %s\n", ledger_message(j->L));
    return e == LEDGER_E_SQL ? 2 : 1;
  }
  report(j, discarded);
  return 0;
}

/* Say why nothing was recorded, and free everything; returns rc. */
static int finish(struct retro_job *j, struct diag_list *d, int rc)
{
  if (diag_count(d)) rc = 1;
  if (diag_count(d)) {
    diag_print(d, stderr);
    fprintf(stderr, "paysettle: the %s was not recorded; the ledger is "
            "unchanged\n", j->meta.kind);
  } else if (rc) {
    fprintf(stderr, "paysettle: the %s was not recorded; the ledger is "
            "unchanged\n", j->meta.kind);
  }
  vfs_replay_stop();
  vfs_overlay_clear();
  if (j->L) ledger_rollback(j->L);
  ledger_close(j->L);
  job_free(j);
  diag_free(d);
  return rc;
}

/* Open the ledger of c for job j, in a write transaction (nothing else
** changes it until the job is recorded or given up). */
static bool job_open(struct retro_job *j, const struct cli *c,
                     struct diag_list *d)
{
  enum ledger_err e = LEDGER_OK;
  strmap_init(&j->prior_ix);
  j->meta.engine_version = ENGINE_VERSION;
  j->meta.operator_name = lifecycle_operator(c);
  j->L = ledger_open(c->db_path, false, &e, d);
  if (j->L) e = ledger_begin(j->L);
  if (j->L && e != LEDGER_OK)
    fprintf(stderr, "paysettle: %s\n", ledger_message(j->L));
  return j->L && e == LEDGER_OK;
}

int cmd_retro(const struct cli *c)
{
  struct retro_job j;
  struct diag_list d;
  int rc = 1;

  memset(&j, 0, sizeof j);
  j.meta.kind = "retro";
  if (!month_opt("--from", c->from_month, &j.meta.from) ||
      !month_opt("--pay-in", c->pay_in, &j.meta.pay_in))
    return 2;
  j.meta.to = j.meta.pay_in - 1;       /* default: up to the pay-in month */
  if (c->to_month && !month_opt("--to", c->to_month, &j.meta.to)) return 2;
  if (!c->rules_given || c->nsets || c->nargs ||
      j.meta.to < j.meta.from || j.meta.to - j.meta.from >= RETRO_MONTHS_MAX) {
    fprintf(stderr, "paysettle: retro --from YYYY-MM [--to YYYY-MM] --rules "
            "FILE --pay-in YYYY-MM (a rule file, not --set: what is paid "
            "must be kept; at most %d months)\n", RETRO_MONTHS_MAX);
    return 2;
  }
  diag_init(&d);
  if (!job_open(&j, c, &d)) return finish(&j, &d, 1);
  vfs_record_start();                        /* the new rule files */
  j.r = rules_load(c->rules_path, &d);
  j.files = vfs_record_take(&j.nfiles);
  j.meta.rules_path = c->rules_path;
  j.meta.inputs_root = "";
  if (j.r) rc = execute(&j, &d);
  return finish(&j, &d, rc);
}

int cmd_correct(const struct cli *c)
{
  struct retro_job j;
  struct diag_list d;
  int rc = 1;

  memset(&j, 0, sizeof j);
  j.meta.kind = "correction";
  if (c->nargs != 1 || !cal_parse_month(c->args[0], &j.meta.from) ||
      !c->inputs_given || c->rules_given || c->nsets) {
    fprintf(stderr, "paysettle: correct YYYY-MM --inputs DIR --pay-in "
            "YYYY-MM (the month is recomputed under the rules it stands "
            "under: its run's, or a later retro's)\n");
    return 2;
  }
  if (!month_opt("--pay-in", c->pay_in, &j.meta.pay_in)) return 2;
  j.meta.to = j.meta.from;
  diag_init(&d);
  if (!job_open(&j, c, &d)) return finish(&j, &d, 1);
  j.r = month_rules(j.L, j.meta.from, INT64_MAX, j.rules_path,
                    sizeof j.rules_path, &d);
  vfs_replay_stop();
  j.root = c->inputs_root;
  j.meta.rules_path = j.rules_path;
  j.meta.inputs_root = c->inputs_root;
  if (j.r) rc = execute(&j, &d);
  return finish(&j, &d, rc);
}
/* ---- reproduction -------------------------------------------------------- */

struct recorded {
  int64_t retro_id;
  char **lines;                /* "MONTH EMPLOYEE ITEM AMOUNT" */
  size_t n, cap;
};

static int keep_recorded(void *ctx, int64_t retro_id, const char *month,
                         const char *employee, const char *agency,
                         const char *item, const char *amount)
{
  struct recorded *x = ctx;
  (void)agency;
  if (retro_id != x->retro_id) return 0;
  xgrow(&x->lines, &x->cap, x->n + 1, sizeof *x->lines);
  x->lines[x->n++] = xasprintf("%s %s %s %s", month, employee, item, amount);
  return 0;
}

static int by_text(const void *a, const void *b)
{
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Compare the recomputed differences of j with the recorded ones. */
static size_t compare_deltas(const struct retro_job *j, struct recorded *x)
{
  char **now = xcalloc(j->ndeltas + 1, sizeof *now);
  size_t a = 0, b = 0, diffs = 0;
  for (size_t i = 0; i < j->ndeltas; i++) {
    char m[8];
    cal_format_month(j->deltas[i].ym, m);
    now[i] = xasprintf("%s %s %s %s", m, j->deltas[i].employee,
                       j->r->retro[j->deltas[i].entry].into,
                       j->deltas[i].text);
  }
  qsort(now, j->ndeltas, sizeof *now, by_text);
  qsort(x->lines, x->n, sizeof *x->lines, by_text);
  while (a < j->ndeltas || b < x->n) {
    int c = a == j->ndeltas ? 1 : b == x->n ? -1 : strcmp(now[a], x->lines[b]);
    if (c == 0) {
      a++, b++;
      continue;
    }
    if (diffs++ < RETRO_DIFFS_SHOWN)
      printf("  %s #%lld: %s %s\n", j->meta.kind, (long long)j->retro_id,
             c < 0 ? "recomputed, not recorded:" : "recorded, not recomputed:",
             c < 0 ? now[a] : x->lines[b]);
    if (c < 0) a++;
    else b++;
  }
  for (size_t i = 0; i < j->ndeltas; i++) free(now[i]);
  free(now);
  return diffs;
}

/* Set up job j to recompute retro x from the ledger's stored files. */
static bool reproduce_setup(struct retro_job *j, const struct ledger_retro *x,
                            struct diag_list *d)
{
  struct lifecycle_replay stored = {false, false};
  enum ledger_err e = ledger_retro_files(j->L, x->retro_id,
                                         lifecycle_replay_file, &stored);
  if (e != LEDGER_OK) {
    diag_add(d, NULL, 0, 0, NULL, "%s", ledger_message(j->L));
    return false;
  }
  if (strcmp(x->kind, "correction") == 0) {   /* replay stays on: inputs */
    j->root = x->inputs_root;
    j->r = month_rules(j->L, x->from, x->retro_id, j->rules_path,
                       sizeof j->rules_path, d);
  } else {                       /* a retro's months replay their own */
    j->r = rules_load(x->rules_path, d);
    vfs_replay_stop();
  }
  return j->r != NULL;
}

long retro_reproduce(struct ledger *L, int ym, struct diag_list *d)
{
  struct ledger_retro *rs = NULL;
  size_t n = 0;
  long diffs = 0;
  enum ledger_err e = ledger_retros_paid_in(L, ym, &rs, &n);
  if (e != LEDGER_OK) {
    diag_add(d, NULL, 0, 0, NULL, "%s", ledger_message(L));
    return -1;
  }
  for (size_t i = 0; diffs >= 0 && i < n; i++) {
    struct retro_job j;
    struct recorded x = {rs[i].retro_id, NULL, 0, 0};
    bool ok;
    memset(&j, 0, sizeof j);
    strmap_init(&j.prior_ix);
    j.L = L;
    j.retro_id = rs[i].retro_id;
    j.meta.kind = rs[i].kind;
    j.meta.from = rs[i].from;
    j.meta.to = rs[i].to;
    j.meta.pay_in = rs[i].pay_in;
    ok = reproduce_setup(&j, &rs[i], d) && recompute(&j, d);
    vfs_replay_stop();
    vfs_overlay_clear();
    if (ok) e = ledger_retro_paid_in(L, ym, keep_recorded, &x);
    if (ok && e == LEDGER_OK) {
      size_t k = compare_deltas(&j, &x);
      printf("%s #%lld (%s): %zu recorded difference%s, %s\n", j.meta.kind,
             (long long)j.retro_id, rs[i].rules_name, x.n,
             x.n == 1 ? "" : "s", k ? "recomputed differently" :
             "recomputed identically from the stored files");
      diffs += (long)k;
    } else {
      if (ok) diag_add(d, NULL, 0, 0, NULL, "%s", ledger_message(L));
      diffs = -1;
    }
    for (size_t k = 0; k < x.n; k++) free(x.lines[k]);
    free(x.lines);
    job_free(&j);
  }
  free(rs);
  return diffs;
}
