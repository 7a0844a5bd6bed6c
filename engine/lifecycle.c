/*
** lifecycle.c -- the month's lifecycle on the ledger: run, close, runs,
** show, import-ytd.
**
** `run` computes a month exactly as `calc` does, with the tax year's
** history from the ledger (closed months plus openings taken over with
** import-ytd), and stores it as the month's draft in one transaction,
** together with every file it read. Nothing is stored when any problem is
** found; the month is refused, with every problem listed.
*/
#include "cli.h"
#include "lifecycle.h"
#include "batch.h"
#include "digest.h"
#include "ledger.h"
#include "outputs.h"
#include "record.h"
#include "report.h"
#include "util.h"
#include "vfs.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- history from the ledger -------------------------------------------- */

static void ledger_fill(void *ctx, const struct program *p,
                        const struct inputs *in, const struct employee *e,
                        struct money *ytd, struct money *prev,
                        struct money *months)
{
  const struct ledger_history *h = ctx;
  batch_history_opening.fill(NULL, p, in, e, ytd, prev, months);
  ledger_history_get(h, e->id, ytd, prev, months);
}

enum ledger_err lifecycle_history(struct ledger *L, const struct program *p,
                                  struct ledger_history **h,
                                  struct batch_history *out)
{
  const char **ytd = xcalloc(p->nytd + 1, sizeof *ytd);
  const char **prev = xcalloc(p->nprev + 1, sizeof *prev);
  enum ledger_err e;
  for (size_t i = 0; i < p->nytd; i++)
    ytd[i] = p->r->items[p->ytd_items[i]].name;
  for (size_t i = 0; i < p->nprev; i++)
    prev[i] = p->r->items[p->prev_items[i]].name;
  e = ledger_history_load(L, p->ym, ytd, p->nytd, prev, p->nprev, h);
  free(ytd);
  free(prev);
  out->ctx = *h;
  out->fill = ledger_fill;
  return e;
}

/* Present the ledger's openings of ym's tax year as a ytd-opening file;
** returns the path to give inputs_load, or NULL when there are none. */
const char *lifecycle_openings(struct ledger *L, int ym)
{
  char *csv = NULL;
  size_t len = 0;
  if (ledger_opening_csv(L, ym / 12, &csv, &len) != LEDGER_OK || !csv)
    return NULL;
  vfs_overlay_add(LIFECYCLE_OPENING_PATH, csv, len);
  free(csv);
  return LIFECYCLE_OPENING_PATH;
}

const char *lifecycle_retro(struct ledger *L, int ym)
{
  char *csv = NULL;
  size_t len = 0;
  if (ledger_retro_csv(L, ym, &csv, &len) != LEDGER_OK || !csv) return NULL;
  vfs_overlay_add(LIFECYCLE_RETRO_PATH, csv, len);
  free(csv);
  return LIFECYCLE_RETRO_PATH;
}

int lifecycle_replay_file(void *ctx, const char *role, const char *path,
                          const char *data, size_t len)
{
  struct lifecycle_replay *x = ctx;
  (void)role;
  if (strcmp(path, LIFECYCLE_OPENING_PATH) == 0) x->opening = true;
  if (strcmp(path, LIFECYCLE_RETRO_PATH) == 0) x->retro = true;
  vfs_replay_add(path, data, len);
  return 0;
}

/* ---- the run sink: every entity into the ledger ------------------------- */

struct run_sink {
  struct ledger *L;
  int64_t run_id;
  const struct program *p;
  const struct inputs *in;
  struct record rec;
  struct money *control;       /* per agency, per employee item */
  enum ledger_err e;
  long writes, abort_after;    /* test hook: crash after N writes */
  size_t nemployees, nagencies;
  int *alert_item;             /* item index of each alert, found once */
  char *report;                /* what the run prints once committed */
  size_t nreport, capreport;
};

static void say(struct run_sink *s, const char *fmt, ...)
  __attribute__((format(printf, 2, 3)));

static void say(struct run_sink *s, const char *fmt, ...)
{
  va_list ap;
  int n;
  va_start(ap, fmt);
  n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  if (n <= 0) return;
  xgrow(&s->report, &s->capreport, s->nreport + (size_t)n + 1, 1);
  va_start(ap, fmt);
  vsnprintf(s->report + s->nreport, (size_t)n + 1, fmt, ap);
  va_end(ap);
  s->nreport += (size_t)n;
}

/* The rule set's alerts: employees whose alert item is above zero. */
static void alerts(struct run_sink *s, const struct employee *e,
                   const struct frame *f)
{
  const struct rules *r = s->p->r;
  for (size_t i = 0; i < r->nalerts; i++) {
    int j = s->alert_item[i];
    const struct value *v = &f->items[j];
    char buf[64];
    if (v->type != VT_NUM || money_sgn(&v->u.num) <= 0) continue;
    report_value(&r->items[j], v, buf, sizeof buf);
    say(s, "  %s %s %s: %s\n", e->id, r->items[j].name, buf,
        r->alerts[i].message);
  }
}

static void count_write(struct run_sink *s)
{
  if (s->abort_after > 0 && ++s->writes >= s->abort_after) abort();
}

static int sink_employee(void *ctx, const struct employee *e,
                         const struct frame *f)
{
  struct run_sink *s = ctx;
  const struct agency *ag = &s->in->agencies[e->agency];
  size_t n = record_texts(&s->rec, f);
  struct money *ctl = s->control + e->agency * s->rec.nlevel[0];
  for (size_t k = 0; k < n; k++) {
    const struct value *v = &f->items[s->rec.index[0][k]];
    if (v->type == VT_NUM) money_add(&ctl[k], &ctl[k], &v->u.num);
  }
  s->e = ledger_run_result(s->L, s->run_id, 0, e->id, ag->code,
                           s->rec.texts, n);
  alerts(s, e, f);
  s->nemployees++;
  count_write(s);
  return s->e != LEDGER_OK;
}

/* The agency's control totals: the sum of each employee item. */
static enum ledger_err put_control(struct run_sink *s, const struct agency *a)
{
  size_t n = s->rec.nlevel[0], ai = (size_t)(a - s->in->agencies);
  const struct money *ctl = s->control + ai * n;
  char **texts = xcalloc(n + 1, sizeof *texts);
  enum ledger_err e;
  for (size_t k = 0; k < n; k++) {
    char buf[RECORD_TEXT_MAX];
    enum vtype t = s->p->item_type[s->rec.index[0][k]];
    buf[0] = '\0';
    if (t == VT_NUM) (void)money_format_exact(&ctl[k], buf, sizeof buf);
    texts[k] = xstrdup(buf);
  }
  e = ledger_run_result(s->L, s->run_id, 3, a->code, NULL,
                        (const char *const *)texts, n);
  for (size_t k = 0; k < n; k++) free(texts[k]);
  free(texts);
  return e;
}

static enum ledger_err put_journal(struct run_sink *s, const struct agency *a,
                                   const struct frame *f)
{
  const struct rules *r = s->p->r;
  enum ledger_err e = LEDGER_OK;
  size_t k = 0;
  for (size_t t = 0; t < r->ntxns; t++) {
    for (size_t l = 0; l < r->txns[t].nlines; l++, k++) {
      const struct rules_jline *jl = &r->txns[t].lines[l];
      if (e != LEDGER_OK) continue;
      e = ledger_run_entry(s->L, s->run_id, (int)t, a->code,
                           r->txns[t].name, jl->account,
                           jl->debit ? f->journal[k] : -f->journal[k]);
      count_write(s);
    }
  }
  return e;
}

static int sink_agency(void *ctx, const struct agency *a,
                       const struct frame *f)
{
  struct run_sink *s = ctx;
  size_t n = record_texts(&s->rec, f);
  s->e = ledger_run_result(s->L, s->run_id, 1, a->code, NULL, s->rec.texts,
                           n);
  if (s->e == LEDGER_OK) s->e = put_control(s, a);
  if (s->e == LEDGER_OK) s->e = put_journal(s, a, f);
  s->nagencies++;
  count_write(s);
  return s->e != LEDGER_OK;
}

static int sink_district(void *ctx, const struct frame *f)
{
  struct run_sink *s = ctx;
  size_t n = record_texts(&s->rec, f);
  const struct rules *r = s->p->r;
  s->e = ledger_run_result(s->L, s->run_id, 2, "district", NULL,
                           s->rec.texts, n);
  for (size_t i = 0; i < r->ntotals; i++) {
    int j = rules_item_index(r, r->totals[i]);
    char buf[64];
    report_value(&r->items[j], &f->items[j], buf, sizeof buf);
    say(s, "  %-28s %s\n", r->totals[i], buf);
  }
  count_write(s);
  return s->e != LEDGER_OK;
}

void lifecycle_rules_digest(const struct rules *r, char *hex)
{
  struct digest *g = digest_new();
  ALWAYS_ASSERT(g != NULL);
  for (size_t i = 0; i < r->nfiles; i++) {
    char *buf = NULL, h[DIGEST_HEX_LEN + 1] = "";
    size_t len = 0;
    if (vfs_read(r->files[i], (size_t)1 << 24, &buf, &len) == 0)
      digest_hex(buf, len, h);
    free(buf);
    digest_add_str(g, r->files[i]);
    digest_add_str(g, h);
  }
  digest_finish(g, hex);
}

const char *lifecycle_operator(const struct cli *c)
{
  const char *u = getenv("USER");
  if (c->operator_name) return c->operator_name;
  return u && *u ? u : "unknown";
}

static bool month_arg(const struct cli *c, const char *cmd, int *ym)
{
  if (c->nargs != 1 || !cal_parse_month(c->args[0], ym)) {
    fprintf(stderr, "paysettle: %s needs a month YYYY-MM\n", cmd);
    return false;
  }
  return true;
}

/* Store every file the run read: rule files and input files. */
static enum ledger_err store_files(struct ledger *L, int64_t run_id,
                                   const struct rules *r)
{
  size_t n;
  struct vfs_file *f = vfs_record_take(&n);
  enum ledger_err e = LEDGER_OK;
  for (size_t i = 0; e == LEDGER_OK && i < n; i++) {
    bool rule = false;
    for (size_t k = 0; k < r->nfiles; k++)
      rule |= strcmp(r->files[k], f[i].path) == 0;
    e = ledger_run_file(L, run_id, rule ? "rules" : "input", f[i].path,
                        f[i].data, f[i].len);
  }
  vfs_files_free(f, n);
  return e;
}

/* Retro amounts of employees no longer on the roster: the run cannot pay
** them; the report lists them, per employee and item summed over the
** months, for an off-cycle payment. */
static void retro_away(struct run_sink *s, const struct inputs *in)
{
  const struct rules *r = s->p->r;
  bool *done = xcalloc(in->naway + 1, sizeof *done);
  struct money sum = MONEY_ZERO;
  if (in->naway)
    say(s, "  retro amounts of employees not on this month's roster are "
        "not paid by this run (pay them off-cycle):\n");
  for (size_t i = 0; i < in->naway; i++) {
    const struct retro_away *w = &in->away[i];
    bool first = true;
    if (done[i]) continue;
    say(s, "    %s", w->employee);
    for (size_t k = i; k < in->naway; k++) {     /* its items, in order */
      char buf[64];
      if (done[k] || strcmp(in->away[k].employee, w->employee) != 0)
        continue;
      money_set_int(&sum, 0);
      for (size_t q = k; q < in->naway; q++)     /* over the months */
        if (!done[q] && in->away[q].item == in->away[k].item &&
            strcmp(in->away[q].employee, w->employee) == 0) {
          money_add(&sum, &sum, &in->away[q].amount);
          done[q] = true;
        }
      money_format(&sum, 2, 2, buf, sizeof buf);
      say(s, "%s %s %s", first ? "" : ",", r->adjust[in->away[k].item].name,
          buf);
      first = false;
    }
    say(s, "\n");
  }
  money_clear(&sum);
  free(done);
}

static const struct batch_sink NO_SINK = {NULL, NULL, NULL, NULL};

/* Compute month ym into the open transaction of L. Problems go to d;
** returns the run id, or 0. The report is left in s->report. */
static int64_t run_month(struct ledger *L, const struct cli *c,
                         const struct rules *r, int ym, struct run_sink *s,
                         struct diag_list *d)
{
  struct program *p = program_compile(r, ym, d);
  struct inputs *in = NULL;
  struct ledger_history *h = NULL;
  struct batch_history hist;
  struct ledger_run_meta meta;
  struct batch_sink sink = {s, sink_employee, sink_agency, sink_district};
  char sha[DIGEST_HEX_LEN + 1], *items = NULL;
  const char *env = getenv("PAYSETTLE_TEST_ABORT_AFTER");
  int64_t run_id = 0;

  if (!p) return 0;
  in = inputs_load(p, c->inputs_root, ym, lifecycle_openings(L, ym),
                   lifecycle_retro(L, ym), d);
  if (!in || diag_count(d)) {
    if (in) (void)batch_run(p, in, &batch_history_opening, &NO_SINK, d);
    goto done;
  }
  s->e = lifecycle_history(L, p, &h, &hist);
  lifecycle_rules_digest(r, sha);
  items = record_item_list(p);
  meta = (struct ledger_run_meta){"regular", r->name ? r->name : "?", sha,
    ENGINE_VERSION, lifecycle_operator(c), r->files[0], c->inputs_root,
    items};
  if (s->e == LEDGER_OK) s->e = ledger_run_start(L, ym, &meta, &s->run_id);
  if (s->e != LEDGER_OK) goto done;
  s->L = L;
  s->p = p;
  s->in = in;
  s->abort_after = env ? atol(env) : 0;
  record_init(&s->rec, p);
  s->alert_item = xcalloc(r->nalerts + 1, sizeof *s->alert_item);
  for (size_t i = 0; i < r->nalerts; i++)   /* validated by rules_load */
    s->alert_item[i] = rules_item_index(r, r->alerts[i].item);
  s->control = xmalloc((in->nagencies * s->rec.nlevel[0] + 1) *
                       sizeof *s->control);
  for (size_t i = 0; i < in->nagencies * s->rec.nlevel[0]; i++)
    s->control[i] = MONEY_ZERO;
  (void)batch_run(p, in, &hist, &sink, d);
  retro_away(s, in);
  for (size_t i = 0; i < in->nagencies * s->rec.nlevel[0]; i++)
    money_clear(&s->control[i]);
  free(s->control);
  free(s->alert_item);
  record_free(&s->rec);
  if (s->e == LEDGER_OK && !diag_count(d)) s->e = store_files(L, s->run_id,
                                                              r);
  if (s->e == LEDGER_OK && !diag_count(d)) s->e = ledger_run_check(L,
                                                               s->run_id);
  if (s->e == LEDGER_OK && !diag_count(d)) run_id = s->run_id;
done:
  free(items);
  ledger_history_free(h);
  inputs_free(in, r);
  program_free(p);
  return run_id;
}

int cmd_run(const struct cli *c)
{
  struct diag_list d;
  struct ledger *L = NULL;
  struct rules *r = NULL;
  struct run_sink s;
  enum ledger_err e = LEDGER_OK;
  int ym, rc = 1;

  if (!month_arg(c, "run", &ym)) return 2;
  if (c->nsets) {
    fprintf(stderr, "paysettle: run takes the rule files as they are; "
            "--set is for what-if computations (paysettle calc)\n");
    return 2;
  }
  diag_init(&d);
  memset(&s, 0, sizeof s);
  L = ledger_open(c->db_path, true, &e, &d);
  if (L) e = ledger_begin(L);
  if (L && e == LEDGER_OK) e = ledger_may_run(L, ym);
  if (!L || e != LEDGER_OK) goto refused;
  vfs_record_start();
  r = cli_rules(c);
  if (!r) goto done;
  if (run_month(L, c, r, ym, &s, &d) == 0) {
    e = s.e;
    goto refused;
  }
  e = ledger_commit(L);
  if (e != LEDGER_OK) goto refused;
  printf("%s: stored as a draft (run %lld): %zu employees, %zu agencies\n",
         c->args[0], (long long)s.run_id, s.nemployees, s.nagencies);
  fputs(s.report ? s.report : "", stdout);
  rc = outputs_after_run(L, ym, c);
  printf("review it (paysettle show %s), then close it (paysettle close "
         "%s)\n", c->args[0], c->args[0]);
  goto done;
refused:
  if (diag_count(&d)) diag_print(&d, stderr);
  if (L && e != LEDGER_OK && !diag_count(&d))
    fprintf(stderr, "paysettle: %s\n", ledger_message(L));
  fprintf(stderr, "paysettle: %s was not run; the ledger is unchanged\n",
          c->args[0]);
  rc = e == LEDGER_E_SQL ? 2 : 1;
done:
  {
    size_t n;
    struct vfs_file *left = vfs_record_take(&n);   /* stop recording */
    vfs_files_free(left, n);
  }
  vfs_overlay_clear();
  if (L) ledger_rollback(L);
  ledger_close(L);
  rules_free(r);
  free(s.report);
  diag_free(&d);
  return rc;
}

int cmd_close(const struct cli *c)
{
  struct diag_list d;
  struct ledger *L;
  struct ledger_run run;
  enum ledger_err e = LEDGER_OK;
  int ym, rc = 1;

  if (!month_arg(c, "close", &ym)) return 2;
  diag_init(&d);
  L = ledger_open(c->db_path, false, &e, &d);
  if (L) e = ledger_begin(L);
  if (L && e == LEDGER_OK) e = ledger_close_month(L, ym);
  if (L && e == LEDGER_OK) e = ledger_commit(L);
  if (L && e == LEDGER_OK) e = ledger_month_run(L, ym, &run);
  if (L && e == LEDGER_OK) {
    printf("%s: closed (run %lld, %ld employees); digest %s\n", c->args[0],
           (long long)run.run_id, run.employees, run.digest);
    rc = 0;
  } else if (L) {
    fprintf(stderr, "paysettle: %s\n", ledger_message(L));
  } else {
    diag_print(&d, stderr);
  }
  ledger_close(L);
  diag_free(&d);
  return rc;
}

int cmd_runs(const struct cli *c)
{
  struct diag_list d;
  enum ledger_err e = LEDGER_OK;
  struct ledger *L;
  struct ledger_run *runs = NULL;
  struct ledger_retro *retros = NULL;
  size_t n = 0;

  diag_init(&d);
  L = ledger_open(c->db_path, false, &e, &d);
  if (L) e = ledger_runs(L, &runs, &n);
  if (!L || e != LEDGER_OK) {
    if (L) fprintf(stderr, "paysettle: %s\n", ledger_message(L));
    else diag_print(&d, stderr);
    ledger_close(L);
    diag_free(&d);
    return 1;
  }
  printf("%-5s %-8s %-8s %-7s %9s  %-20s %-20s %-10s %s\n", "run", "month",
         "kind", "status", "employees", "created", "closed", "operator",
         "digest");
  for (size_t i = 0; i < n; i++)
    printf("%-5lld %-8s %-8s %-7s %9ld  %-20s %-20s %-10s %.16s\n",
           (long long)runs[i].run_id, runs[i].month, runs[i].kind,
           runs[i].status, runs[i].employees, runs[i].created_at,
           runs[i].closed_at[0] ? runs[i].closed_at : "-",
           runs[i].operator_name, runs[i].digest[0] ? runs[i].digest : "-");
  free(runs);
  if (ledger_retros_paid_in(L, -1, &retros, &n) == LEDGER_OK && n) {
    printf("\n%-5s %-10s %-17s %-8s %-32s %s\n", "retro", "kind", "months",
           "paid in", "rules", "rules sha256");
    for (size_t i = 0; i < n; i++) {
      char a[8], b[8], p[8];
      cal_format_month(retros[i].from, a);
      cal_format_month(retros[i].to, b);
      cal_format_month(retros[i].pay_in, p);
      printf("%-5lld %-10s %s..%s  %-8s %-32s %.16s\n",
             (long long)retros[i].retro_id, retros[i].kind, a, b, p,
             retros[i].rules_name, retros[i].rules_sha256);
    }
  }
  free(retros);
  ledger_close(L);
  diag_free(&d);
  return 0;
}

struct show_ctx {
  const char *employee;          /* NULL: the month's totals */
  bool found;
  size_t retro_seen;             /* retro lines of the employee shown */
};

static int show_row(void *ctx, int level, const char *entity,
                    const char *agency, const char *const *names,
                    const char *const *vals, size_t n)
{
  struct show_ctx *s = ctx;
  if (s->employee) {
    if (level != 0 || strcmp(entity, s->employee) != 0) return 0;
    s->found = true;
    printf("employee %s (agency %s)\n", entity, agency ? agency : "?");
    for (size_t i = 0; i < n; i++) printf("  %-28s %s\n", names[i], vals[i]);
    return 1;
  }
  if (level == 2) {
    printf("district\n");
    for (size_t i = 0; i < n; i++) printf("  %-28s %s\n", names[i], vals[i]);
  } else if (level == 1) {
    for (size_t i = 0; i < n; i++)
      printf("%s %s %s\n", entity, names[i], vals[i]);
  }
  return 0;
}

/* An employee's retro amounts paid in the month, where they come from. */
static int show_retro(void *ctx, int64_t retro_id, const char *month,
                      const char *employee, const char *agency,
                      const char *item, const char *amount)
{
  struct show_ctx *s = ctx;
  (void)agency;
  if (strcmp(employee, s->employee) != 0) return 0;
  if (!s->retro_seen++)
    printf("  of which for earlier months (retro #, month, item, amount):\n");
  printf("    #%-3lld %s %-24s %s\n", (long long)retro_id, month, item,
         amount);
  return 0;
}

int cmd_show(const struct cli *c)
{
  struct diag_list d;
  enum ledger_err e = LEDGER_OK;
  struct ledger *L;
  struct ledger_run run;
  struct show_ctx s = {c->nargs > 1 ? c->args[1] : NULL, false, 0};
  int ym, rc = 1;

  if (c->nargs < 1 || c->nargs > 2 || !cal_parse_month(c->args[0], &ym)) {
    fprintf(stderr, "paysettle: show YYYY-MM [EMPLOYEE]\n");
    return 2;
  }
  diag_init(&d);
  L = ledger_open(c->db_path, false, &e, &d);
  if (L) e = ledger_month_run(L, ym, &run);
  if (L && e == LEDGER_OK) {
    printf("%s: run %lld, %s, %ld employees, rules %s (%.16s), created %s "
           "by %s%s%s\n", run.month, (long long)run.run_id, run.status,
           run.employees, run.rules_name, run.rules_sha256, run.created_at,
           run.operator_name, run.closed_at[0] ? ", closed " : "",
           run.closed_at);
    e = ledger_run_rows(L, run.run_id, show_row, &s);
  }
  if (L && e == LEDGER_OK && s.found)
    e = ledger_retro_paid_in(L, ym, show_retro, &s);
  if (!L) {
    diag_print(&d, stderr);
  } else if (e != LEDGER_OK) {
    fprintf(stderr, "paysettle: %s\n", ledger_message(L));
  } else if (s.employee && !s.found) {
    fprintf(stderr, "paysettle: no employee %s in %s\n", s.employee,
            c->args[0]);
  } else {
    rc = 0;
  }
  ledger_close(L);
  diag_free(&d);
  return rc;
}

struct import_ctx {
  struct ledger *L;
  size_t stored;
  struct diag_list *d;
  const char *path;
};

static int import_row(void *ctx, const char *header, const char *employee,
                      int year, const char *row)
{
  struct import_ctx *x = ctx;
  enum ledger_err e = ledger_opening_put(x->L, header, employee, year, row);
  if (e != LEDGER_OK) {
    diag_add(x->d, x->path, 0, 0, NULL, "%s", ledger_message(x->L));
    return 1;
  }
  x->stored++;
  return 0;
}

int cmd_import_ytd(const struct cli *c)
{
  struct diag_list d;
  enum ledger_err e = LEDGER_OK;
  struct ledger *L = NULL;
  struct rules *r;
  struct program *p = NULL;
  struct import_ctx x;
  int rc = 1;

  if (c->nargs != 1) {
    fprintf(stderr, "paysettle: import-ytd FILE\n");
    return 2;
  }
  r = cli_rules(c);
  if (!r) return 1;
  diag_init(&d);
  /* the schema does not depend on the month: compile for the calendar's
  ** first month */
  p = program_compile(r, r->cal.year_first * 12, &d);
  if (p) L = ledger_open(c->db_path, true, &e, &d);
  if (L) e = ledger_begin(L);
  if (L && e == LEDGER_OK) {
    x = (struct import_ctx){L, 0, &d, c->args[0]};
    (void)inputs_read_opening(p, c->args[0], import_row, &x, &d);
    if (!diag_count(&d)) e = ledger_commit(L);
  }
  if (diag_count(&d) || e != LEDGER_OK || !L) {
    diag_print(&d, stderr);
    if (L && e != LEDGER_OK) fprintf(stderr, "paysettle: %s\n",
                                     ledger_message(L));
    fprintf(stderr, "paysettle: nothing was imported; the ledger is "
            "unchanged\n");
  } else {
    printf("imported %zu year-to-date openings from %s\n", x.stored,
           c->args[0]);
    rc = 0;
  }
  ledger_close(L);
  program_free(p);
  rules_free(r);
  diag_free(&d);
  return rc;
}
