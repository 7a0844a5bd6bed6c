/*
** whatif.c -- scenarios against a baseline, month by month.
*/
#include "whatif.h"
#include "figures.h"
#include "digest.h"
#include "batch.h"
#include "comparebook.h"
#include "layout.h"
#include "ledger.h"
#include "lifecycle.h"
#include "strmap.h"
#include "util.h"
#include "vfs.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Scenarios compared in one command; each costs a computation a month. */
#define WHATIF_SCENARIOS_MAX 8
/* Months of one projection: a few years at most. */
#define WHATIF_MONTHS_MAX 60
/* Employees listed as the largest changes in the summary. */
#define WHATIF_TOP 10

/* One scenario: its rules, history and the sums over the range. */
struct side {
  char *name;
  struct rules *r;
  struct fig_history h;
  struct fig_vals total;
};

/* ---- the comparison ----------------------------------------------------- */

static void fmt(const struct money *m, char *buf, size_t cap)
{
  if (money_format(m, 2, 2, buf, cap) < 0) snprintf(buf, cap, "?");
}

/* "+1.15%" of d against b, or "" when b is zero (comparebook_change: the
** workbook shows the same figure). */
static void pct(const struct money *d, const struct money *b, char *buf,
                size_t cap)
{
  struct money q = MONEY_ZERO, h = MONEY_ZERO;
  char num[48];
  buf[0] = '\0';
  if (!comparebook_change(&q, d, b)) return;
  money_set_int(&h, 100);
  money_mul(&q, &q, &h);
  fmt(&q, num, sizeof num);
  snprintf(buf, cap, "%s%s%%", money_sgn(&q) > 0 ? "+" : "", num);
  money_clear(&q);
  money_clear(&h);
}

static FILE *open_out(const char *dir, const char *name, struct diag_list *d)
{
  char *path = xasprintf("%s/%s", dir, name);
  FILE *f = fopen(path, "w");
  if (!f) diag_add(d, path, 0, 0, NULL, "cannot write the file");
  free(path);
  return f;
}

/* Rows of one level (agencies or employees) whose amounts differ, to f
** (NULL: only counted into *changed). */
static void write_level(FILE *f, const struct side *base,
                        const struct side *s, const struct fig_cols *c, int lv,
                        const size_t *order, size_t *changed)
{
  const struct fig_vals *b = &base->total, *x = &s->total;
  size_t n = lv == 0 ? x->nemp : x->nag;
  struct money dd = MONEY_ZERO;
  *changed = 0;
  if (f) fprintf(f, "%s,item,baseline,scenario,difference,percent\n",
                 lv == 0 ? "employee,agency" : "agency");
  for (size_t o = 0; o < n; o++) {
    size_t e = order ? order[o] : o;
    const char *id = lv == 0 ? x->emp_id[e] : x->ag_id[e];
    const struct money *sr = lv == 0 ? &x->emp[e * c->n[0]]
                                     : &x->ag[e * c->n[1]];
    size_t i;
    bool have = lv == 0 ? strmap_get(&b->emp_ix, id, &i)
                        : strmap_get(&b->ag_ix, id, &i);
    const struct money *br = !have ? NULL : lv == 0 ? &b->emp[i * c->n[0]]
                                                    : &b->ag[i * c->n[1]];
    bool any = false;
    for (size_t k = 0; k < c->n[lv]; k++) {
      char bs[48] = "", ss[48], ds[48], ps[64] = "";
      if (!c->amount[lv][k]) continue;
      if (br) money_sub(&dd, &sr[k], &br[k]);
      else money_copy(&dd, &sr[k]);
      if (money_is_zero(&dd)) continue;
      any = true;
      if (!f) break;
      if (br) fmt(&br[k], bs, sizeof bs);
      fmt(&sr[k], ss, sizeof ss);
      fmt(&dd, ds, sizeof ds);
      if (br) pct(&dd, &br[k], ps, sizeof ps);
      if (lv == 0) fprintf(f, "%s,%s,", id, x->emp_agency[e]);
      else fprintf(f, "%s,", id);
      fprintf(f, "%s,%s,%s,%s,%s\n", c->name[lv][k], bs, ss, ds, ps);
    }
    *changed += any;
  }
  money_clear(&dd);
}

/* The change of employee e's key item (scenario - baseline). */
static void key_change(const struct side *base, const struct side *s,
                       const struct fig_cols *c, int key, size_t e,
                       struct money *out)
{
  size_t i;
  money_copy(out, &s->total.emp[e * c->n[0] + (size_t)key]);
  if (strmap_get(&base->total.emp_ix, s->total.emp_id[e], &i))
    money_sub(out, out, &base->total.emp[i * c->n[0] + (size_t)key]);
}

struct ranked {
  size_t e;
  struct money d;
};

static int by_size(const void *a, const void *b)
{
  const struct ranked *x = a, *y = b;
  struct money ax = MONEY_ZERO, ay = MONEY_ZERO;
  int c;
  money_abs(&ax, &x->d);
  money_abs(&ay, &y->d);
  c = money_cmp(&ay, &ax);                 /* largest first */
  money_clear(&ax);
  money_clear(&ay);
  if (c) return c;
  return x->e < y->e ? -1 : x->e > y->e;   /* then roster order */
}

/* Employees ordered by the size of the change of the key item. */
static struct ranked *rank(const struct side *base, const struct side *s,
                           const struct fig_cols *c, int key)
{
  struct ranked *r = xcalloc(s->total.nemp + 1, sizeof *r);
  for (size_t e = 0; e < s->total.nemp; e++) {
    r[e].e = e;
    r[e].d = MONEY_ZERO;
    if (key >= 0) key_change(base, s, c, key, e, &r[e].d);
  }
  qsort(r, s->total.nemp, sizeof *r, by_size);
  return r;
}

static void write_totals(FILE *f, const struct side *base,
                         const struct side *s, const struct fig_cols *c)
{
  struct money dd = MONEY_ZERO;
  fprintf(f, "item,baseline,scenario,difference,percent\n");
  for (size_t k = 0; k < c->n[2]; k++) {
    char bs[48], ss[48], ds[48], ps[64];
    /* amounts to the fen; counts and rates as they are (up to 6 places) */
    unsigned lo = c->amount[2][k] ? 2 : 0, hi = c->amount[2][k] ? 2 : 6;
    money_sub(&dd, &s->total.dist[k], &base->total.dist[k]);
    if (money_format(&base->total.dist[k], lo, hi, bs, sizeof bs) < 0 ||
        money_format(&s->total.dist[k], lo, hi, ss, sizeof ss) < 0 ||
        money_format(&dd, lo, hi, ds, sizeof ds) < 0)
      snprintf(bs, sizeof bs, "?");
    pct(&dd, &base->total.dist[k], ps, sizeof ps);
    fprintf(f, "%s,%s,%s,%s,%s\n", c->name[2][k], bs, ss, ds, ps);
  }
  money_clear(&dd);
}

static void write_items(FILE *f, const struct side *base,
                        const struct side *s, const struct fig_cols *c)
{
  size_t n0 = c->n[0];
  struct money *sb = money_zeros(n0), *ss = money_zeros(n0), dd = MONEY_ZERO;
  for (size_t e = 0; e < base->total.nemp; e++)
    for (size_t k = 0; k < n0; k++)
      money_add(&sb[k], &sb[k], &base->total.emp[e * n0 + k]);
  for (size_t e = 0; e < s->total.nemp; e++)
    for (size_t k = 0; k < n0; k++)
      money_add(&ss[k], &ss[k], &s->total.emp[e * n0 + k]);
  fprintf(f, "item,baseline,scenario,difference,percent\n");
  for (size_t k = 0; k < n0; k++) {
    char b1[48], s1[48], d1[48], p1[64];
    if (!c->amount[0][k]) continue;
    money_sub(&dd, &ss[k], &sb[k]);
    fmt(&sb[k], b1, sizeof b1);
    fmt(&ss[k], s1, sizeof s1);
    fmt(&dd, d1, sizeof d1);
    pct(&dd, &sb[k], p1, sizeof p1);
    fprintf(f, "%s,%s,%s,%s,%s\n", c->name[0][k], b1, s1, d1, p1);
  }
  for (size_t k = 0; k < n0; k++) {
    money_clear(&sb[k]);
    money_clear(&ss[k]);
  }
  money_clear(&dd);
  free(sb);
  free(ss);
}

/* The summary on stdout: district amounts that changed, employees affected,
** the largest changes of the key item. */
static void summary(const struct side *base, const struct side *s,
                    const struct fig_cols *c, int key, const struct ranked *r,
                    size_t affected)
{
  struct money dd = MONEY_ZERO;
  printf("scenario %s against the baseline:\n", s->name);
  for (size_t k = 0; k < c->n[2]; k++) {
    char bs[48], ss[48], ds[48], ps[64];
    if (!c->amount[2][k]) continue;
    money_sub(&dd, &s->total.dist[k], &base->total.dist[k]);
    if (money_is_zero(&dd)) continue;
    fmt(&base->total.dist[k], bs, sizeof bs);
    fmt(&s->total.dist[k], ss, sizeof ss);
    fmt(&dd, ds, sizeof ds);
    pct(&dd, &base->total.dist[k], ps, sizeof ps);
    printf("  %-28s %16s -> %16s  %s%s (%s)\n", c->name[2][k], bs, ss,
           money_sgn(&dd) > 0 ? "+" : "", ds, ps);
  }
  printf("  employees affected: %zu of %zu\n", affected, s->total.nemp);
  if (key >= 0 && s->total.nemp && !money_is_zero(&r[0].d)) {
    printf("  largest changes of %s:", c->name[0][key]);
    for (size_t i = 0; i < WHATIF_TOP && i < s->total.nemp; i++) {
      char ds[48];
      if (money_is_zero(&r[i].d)) break;
      fmt(&r[i].d, ds, sizeof ds);
      printf(" %s %s%s", s->total.emp_id[r[i].e],
             money_sgn(&r[i].d) > 0 ? "+" : "", ds);
    }
    printf("\n");
  }
  money_clear(&dd);
}

static bool report(const struct side *base, const struct side *s,
                   const struct fig_cols *c, int key, const char *root,
                   struct diag_list *d)
{
  char *dir = xasprintf("%s/whatif-%s", root, s->name);
  struct ranked *r = rank(base, s, c, key);
  size_t *order = xcalloc(s->total.nemp + 1, sizeof *order);
  size_t affected = 0, changed_ag = 0;
  FILE *f;

  for (size_t i = 0; i < s->total.nemp; i++) order[i] = r[i].e;
  write_level(NULL, base, s, c, 0, order, &affected);
  util_mkdirs(dir, 0755);
  if ((f = open_out(dir, "totals.csv", d))) {
    write_totals(f, base, s, c);
    fclose(f);
  }
  if ((f = open_out(dir, "agencies.csv", d))) {
    write_level(f, base, s, c, 1, NULL, &changed_ag);
    fclose(f);
  }
  if ((f = open_out(dir, "employees.csv", d))) {
    write_level(f, base, s, c, 0, order, &affected);
    fclose(f);
  }
  if ((f = open_out(dir, "items.csv", d))) {
    write_items(f, base, s, c);
    fclose(f);
  }
  summary(base, s, c, key, r, affected);
  if (!diag_count(d))
    printf("  written: %s/{totals,agencies,employees,items}.csv\n", dir);
  for (size_t i = 0; i < s->total.nemp; i++) money_clear(&r[i].d);
  free(r);
  free(order);
  free(dir);
  return !diag_count(d);
}

/* ---- the workbook ------------------------------------------------------- */

/* The key item (summary.compare) over a range. It may be a figure that is
** not an amount (employer_cost is a 'fact'), which fig_accumulate keeps
** from the last month; a change over the range must add it up, so each
** side sums it here, per row of its total, and key_take puts the sums in. */
struct key_sum {
  struct money *v;
  size_t n, cap;
};

static void key_add(struct key_sum *ks, const struct fig_vals *total,
                    const struct fig_vals *m, const struct fig_cols *c,
                    int key)
{
  size_t n0 = c->n[0], i;
  if (key < 0 || c->amount[0][key]) return;
  for (size_t e = 0; e < m->nemp; e++) {
    if (!strmap_get(&total->emp_ix, m->emp_id[e], &i)) continue;
    if (i >= ks->n) {
      xgrow(&ks->v, &ks->cap, i + 1, sizeof *ks->v);
      for (; ks->n <= i; ks->n++) ks->v[ks->n] = MONEY_ZERO;
    }
    money_add(&ks->v[i], &ks->v[i], &m->emp[e * n0 + (size_t)key]);
  }
}

/* Put the sums into the key column of total; frees ks. */
static void key_take(struct key_sum *ks, struct fig_vals *total,
                     const struct fig_cols *c, int key)
{
  if (key >= 0 && !c->amount[0][key])
    for (size_t i = 0; i < total->nemp && i < ks->n; i++)
      money_copy(&total->emp[i * c->n[0] + (size_t)key], &ks->v[i]);
  for (size_t i = 0; i < ks->n; i++) money_clear(&ks->v[i]);
  free(ks->v);
  memset(ks, 0, sizeof *ks);
}

/* What the baseline is over the months from..to (ledger[i]: month from+i
** is the ledger's run): "计算 computed 2026-11", "账本 ledger
** 2026-01..2026-10, 计算 computed 2026-11". */
static void basis_text(const bool *ledger, int from, int to, char *buf,
                       size_t cap)
{
  size_t o = 0;
  buf[0] = '\0';
  for (int a = from, b; a <= to && o < cap; a = b + 1) {
    char m1[8], m2[8];
    int n;
    bool l = ledger[a - from];
    for (b = a; b < to && ledger[b + 1 - from] == l; b++) continue;
    cal_format_month(a, m1);
    cal_format_month(b, m2);
    n = snprintf(buf + o, cap - o, "%s%s %s%s%s", o ? ", " : "",
                 l ? "账本 ledger" : "计算 computed", m1, b > a ? ".." : "",
                 b > a ? m2 : "");
    o += n > 0 ? (size_t)n : 0;
  }
}

/* How scenario i was given, for the workbook's notes. */
static char *scenario_what(const struct cli *c, size_t i)
{
  char *w;
  if (c->nscenarios) {
    const char *eq = strchr(c->scenarios[i], '=');
    return xstrdup(eq ? eq + 1 : c->scenarios[i]);
  }
  w = xstrdup(c->rules_path);
  for (size_t k = 0; k < c->nsets; k++) {
    char *t = xasprintf("%s --set %s", w, c->sets[k]);
    free(w);
    w = t;
  }
  return w;
}

/* comparison.xlsx of every scenario into ROOT/whatif-NAME (the scenario's
** name when there is one, else --name, default "compare"): written under
** a temporary name and renamed into place when complete. */
static bool write_book(const struct cli *c, const struct side *base,
                       const struct side *sc, size_t nsc,
                       const struct fig_cols *cols, int key,
                       const struct layout *lay, const char *period,
                       int ym_last, const char *basis, struct diag_list *d)
{
  struct comparebook b;
  struct comparebook_scenario bs[COMPAREBOOK_SCENARIOS_MAX];
  char *what[COMPAREBOOK_SCENARIOS_MAX];
  const char *root = c->out_path ? c->out_path : "outputs";
  const char *name = nsc == 1 ? sc[0].name
                   : c->scenario_name ? c->scenario_name : "compare";
  char *dir = xasprintf("%s/whatif-%s", root, name);
  char *path = xasprintf("%s/comparison.xlsx", dir);
  char *tmp = xasprintf("%s/.comparison.xlsx.tmp", dir);
  bool ok;
  memset(&b, 0, sizeof b);
  for (size_t i = 0; i < nsc && i < COMPAREBOOK_SCENARIOS_MAX; i++) {
    bs[i].name = sc[i].name;
    bs[i].what = NULL;
    bs[i].v = &sc[i].total;
  }
  b.r = base->r;
  b.lay = lay;
  b.cols = cols;
  b.key = key;
  b.period = period;
  b.ym_last = ym_last;
  b.basis = basis;
  b.base = &base->total;
  b.nsc = nsc;
  b.sc = bs;
  for (size_t i = 0; i < nsc && i < COMPAREBOOK_SCENARIOS_MAX; i++)
    bs[i].what = what[i] = scenario_what(c, i);
  util_mkdirs(dir, 0755);
  ok = comparebook_write(&b, tmp, dir, d);
  if (ok && rename(tmp, path) != 0) {
    diag_add(d, path, 0, 0, NULL, "cannot write the file");
    ok = false;
  }
  if (!ok) (void)unlink(tmp);
  if (ok && nsc > 1) {
    printf("comparison of %zu scenarios against the baseline:\n", nsc);
    printf("  written: %s\n", path);
  } else if (ok) {
    printf("  written: %s\n", path);
  }
  for (size_t i = 0; i < nsc && i < COMPAREBOOK_SCENARIOS_MAX; i++)
    free(what[i]);
  free(tmp);
  free(path);
  free(dir);
  return ok;
}

/* ---- the audit log ------------------------------------------------------- */

/* Leave a line per scenario in the ledger's what-if log: the months, the
** rules of both sides and the district amounts that changed. The months
** themselves are untouched; a log that cannot be written is only said. */
static void log_whatif(struct ledger *L, const struct cli *c,
                       const struct side *base, const struct side *sc,
                       size_t nsc, const struct fig_cols *cols, int from,
                       int to)
{
  char base_hex[DIGEST_HEX_LEN + 1], hex[DIGEST_HEX_LEN + 1];
  struct money dd = MONEY_ZERO;
  enum ledger_err e = ledger_begin(L);
  lifecycle_rules_digest(base->r, base_hex);
  for (size_t i = 0; e == LEDGER_OK && i < nsc; i++) {
    char *sum = xstrdup("");
    struct ledger_whatif w = {from, to, sc[i].name, hex, base_hex, NULL,
                              ENGINE_VERSION, lifecycle_operator(c)};
    lifecycle_rules_digest(sc[i].r, hex);
    for (size_t k = 0; k < cols->n[2]; k++) {
      char ds[48], *t;
      if (!cols->amount[2][k]) continue;
      money_sub(&dd, &sc[i].total.dist[k], &base->total.dist[k]);
      if (money_is_zero(&dd)) continue;
      fmt(&dd, ds, sizeof ds);
      t = xasprintf("%s%s%s %s%s", sum, *sum ? "; " : "", cols->name[2][k],
                    money_sgn(&dd) > 0 ? "+" : "", ds);
      free(sum);
      sum = t;
    }
    w.summary = *sum ? sum : "no change";
    e = ledger_whatif_log(L, &w);
    free(sum);
  }
  if (e == LEDGER_OK) e = ledger_commit(L);
  if (e != LEDGER_OK) {
    fprintf(stderr, "paysettle: note: the what-if was not logged in the "
            "ledger: %s\n", ledger_message(L));
    ledger_rollback(L);
  }
  money_clear(&dd);
}

/* ---- the command ---------------------------------------------------------- */

static bool parse_range(const char *s, int *from, int *to)
{
  const char *dots = strstr(s, "..");
  char a[8];
  if (!dots) {
    if (!cal_parse_month(s, from)) return false;
    *to = *from;
    return true;
  }
  if (dots - s != 7) return false;
  memcpy(a, s, 7);
  a[7] = '\0';
  return cal_parse_month(a, from) && cal_parse_month(dots + 2, to) &&
         *to >= *from && *to - *from < WHATIF_MONTHS_MAX;
}

static bool safe_name(const char *s)
{
  size_t n = strlen(s);
  if (n == 0 || n > 32) return false;
  for (size_t i = 0; i < n; i++)
    if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
          (s[i] >= '0' && s[i] <= '9') || s[i] == '_' || s[i] == '-'))
      return false;
  return true;
}

/* The scenarios of the command line: --scenario NAME=FILE (repeated), or
** one named --name (default "scenario") from --rules and --set. */
static size_t load_scenarios(const struct cli *c, struct side *s,
                             struct diag_list *d)
{
  size_t n = 0;
  for (size_t i = 0; i < c->nscenarios && n < WHATIF_SCENARIOS_MAX; i++) {
    const char *eq = strchr(c->scenarios[i], '=');
    char *name = eq ? xstrndup(c->scenarios[i],
                               (size_t)(eq - c->scenarios[i])) : NULL;
    if (!name || !safe_name(name)) {
      diag_add(d, "--scenario", 0, 0, NULL, "expected NAME=FILE with a "
               "NAME of letters, digits, '_' or '-', got '%s'",
               c->scenarios[i]);
      free(name);
      continue;
    }
    s[n].name = name;
    s[n++].r = rules_load(eq + 1, d);
  }
  if (c->nscenarios == 0) {
    s[0].name = xstrdup(c->scenario_name ? c->scenario_name : "scenario");
    s[0].r = rules_load(c->rules_path, d);
    for (size_t i = 0; s[0].r && i < c->nsets; i++)
      (void)rules_set(s[0].r, c->sets[i], d);
    if (!safe_name(s[0].name))
      diag_add(d, "--name", 0, 0, NULL, "a scenario name is letters, "
               "digits, '_' or '-'");
    n = 1;
  }
  return n;
}

/* One month: the baseline (ledger, or computed) and every scenario. */
static bool month(const struct cli *c, struct ledger *L, int ym,
                  struct side *base, struct side *sc, size_t nsc,
                  const struct fig_cols *cols, int key, struct key_sum *ks,
                  char *basis, size_t cap, struct diag_list *d)
{
  struct fig_vals v;
  struct ledger_run run;
  struct fig_inputs src = {c->inputs_root, NULL, NULL};
  bool ok;
  fig_vals_init(&v, cols);
  if (L && ledger_month_run(L, ym, &run) == LEDGER_OK) {
    ok = fig_from_run(L, run.run_id, &v, cols);
  } else {
    src.ytd_path = L ? lifecycle_openings(L, ym) : c->ytd_path;
    src.retro_path = L ? lifecycle_retro(L, ym) : NULL;
    ok = fig_compute(base->r, ym, &src, &base->h, &v, d);
  }
  snprintf(basis, cap, "%s", v.from_ledger ? "ledger" : "computed");
  if (ok) {
    fig_history_add(&base->h, &v, ym / 12);
    fig_accumulate(&base->total, &v, cols);
    key_add(&ks[0], &base->total, &v, cols, key);
  }
  fig_vals_free(&v, cols);
  for (size_t i = 0; ok && i < nsc; i++) {
    fig_vals_init(&v, cols);
    src.ytd_path = L ? lifecycle_openings(L, ym) : c->ytd_path;
    src.retro_path = L ? lifecycle_retro(L, ym) : NULL;
    ok = fig_compute(sc[i].r, ym, &src, &sc[i].h, &v, d);
    if (ok) {
      fig_history_add(&sc[i].h, &v, ym / 12);
      fig_accumulate(&sc[i].total, &v, cols);
      key_add(&ks[i + 1], &sc[i].total, &v, cols, key);
    }
    fig_vals_free(&v, cols);
  }
  return ok;
}

static int key_column(const struct rules *r, const struct fig_cols *c)
{
  return r->compare ? fig_col_of(c, 0, r->compare) : -1;
}

int cmd_whatif(const struct cli *c)
{
  struct diag_list d;
  struct side base, sc[WHATIF_SCENARIOS_MAX];
  struct ledger *L = NULL;
  struct ledger_history *lh = NULL;
  struct batch_history unused;
  struct program *p0 = NULL;
  struct fig_cols cols;
  struct key_sum ks[WHATIF_SCENARIOS_MAX + 1];
  struct layout *lay = NULL;
  enum ledger_err e = LEDGER_OK;
  size_t nsc = 0;
  int from, to, key = -1, rc = 1;
  bool ok = true, computed = false, ledger_month[WHATIF_MONTHS_MAX];
  char period[24], basis_all[2048];

  memset(&base, 0, sizeof base);
  memset(sc, 0, sizeof sc);
  memset(&cols, 0, sizeof cols);
  memset(ks, 0, sizeof ks);
  if (c->nargs != 1 || !parse_range(c->args[0], &from, &to)) {
    fprintf(stderr, "paysettle: whatif YYYY-MM[..YYYY-MM] (at most %d "
            "months)\n", WHATIF_MONTHS_MAX);
    return 2;
  }
  if (c->nscenarios && (c->nsets || c->rules_given)) {
    fprintf(stderr, "paysettle: --scenario NAME=FILE compares rule files; "
            "put the changes in them rather than in --set or --rules\n");
    return 2;
  }
  if (c->nscenarios == 0 && c->nsets == 0 && !c->rules_given) {
    fprintf(stderr, "paysettle: nothing to compare: give --rules FILE (a "
            "scenario), --set NAME=VALUE or --scenario NAME=FILE\n");
    return 2;
  }
  diag_init(&d);
  base.name = xstrdup("baseline");
  base.r = rules_load(c->base_path ? c->base_path : "rules/shanghai.yaml",
                      &d);
  nsc = load_scenarios(c, sc, &d);
  if (c->nscenarios && c->scenario_name && !safe_name(c->scenario_name))
    diag_add(&d, "--name", 0, 0, NULL, "the comparison's name is letters, "
             "digits, '_' or '-'");
  if (base.r && base.r->outputs_file)        /* the workbook's style */
    lay = layout_load(base.r, &d);
  if (base.r) p0 = program_compile(base.r, from, &d);
  if (p0 && vfs_exists(c->db_path))
    L = ledger_open(c->db_path, false, &e, &d);
  if (L) e = lifecycle_history(L, p0, &lh, &unused);
  if (diag_count(&d) || e != LEDGER_OK) goto done;
  fig_cols_init(&cols, p0);
  key = key_column(base.r, &cols);
  fig_history_init(&base.h, &cols, lh, from);
  fig_vals_init(&base.total, &cols);
  for (size_t i = 0; i < nsc; i++) {
    fig_history_init(&sc[i].h, &cols, lh, from);
    fig_vals_init(&sc[i].total, &cols);
  }
  for (int ym = from; ok && ym <= to; ym++) {
    char m[8], basis[16];
    cal_format_month(ym, m);
    ok = month(c, L, ym, &base, sc, nsc, &cols, key, ks, basis,
               sizeof basis, &d);
    ledger_month[ym - from] = strcmp(basis, "ledger") == 0;
    if (ok) printf("%s: baseline %s; %zu scenario%s computed\n", m, basis,
                   nsc, nsc == 1 ? "" : "s");
  }
  for (size_t i = 0; ok && i <= nsc; i++)
    key_take(&ks[i], i ? &sc[i - 1].total : &base.total, &cols, key);
  computed = ok;
  for (size_t i = 0; ok && i < nsc; i++)
    ok = report(&base, &sc[i], &cols, key,
                c->out_path ? c->out_path : "outputs", &d);
  if (ok) {
    char a[8], b[8];
    cal_format_month(from, a);
    cal_format_month(to, b);
    snprintf(period, sizeof period, "%s%s%s", a, to > from ? ".." : "",
             to > from ? b : "");
    basis_text(ledger_month, from, to, basis_all, sizeof basis_all);
    ok = write_book(c, &base, sc, nsc, &cols, key, lay, period, to,
                    basis_all, &d);
  }
  if (ok && L) log_whatif(L, c, &base, sc, nsc, &cols, from, to);
  rc = ok && !diag_count(&d) ? 0 : 1;
done:
  for (size_t i = 0; i <= nsc && i <= WHATIF_SCENARIOS_MAX; i++)
    key_take(&ks[i], NULL, &cols, -1);
  if (diag_count(&d)) {
    diag_print(&d, stderr);
    fprintf(stderr, "paysettle: %s\n", computed ? "the what-if was computed "
            "but its files were not all written" : "the what-if was not "
            "computed");
  }
  if (cols.name[0]) {
    fig_history_free(&base.h);
    fig_vals_free(&base.total, &cols);
    for (size_t i = 0; i < nsc; i++) {
      fig_history_free(&sc[i].h);
      fig_vals_free(&sc[i].total, &cols);
    }
  }
  for (size_t i = 0; i < nsc; i++) {
    rules_free(sc[i].r);
    free(sc[i].name);
  }
  free(base.name);
  fig_cols_free(&cols);
  ledger_history_free(lh);
  ledger_close(L);
  program_free(p0);
  layout_free(lay);
  rules_free(base.r);
  diag_free(&d);
  return rc;
}
