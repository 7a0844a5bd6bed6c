/*
** whatif.c -- scenarios against a baseline, month by month.
*/
#include "whatif.h"
#include "batch.h"
#include "ledger.h"
#include "lifecycle.h"
#include "strmap.h"
#include "util.h"
#include "vfs.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Scenarios compared in one command; each costs a computation a month. */
#define WHATIF_SCENARIOS_MAX 8
/* Months of one projection: a few years at most. */
#define WHATIF_MONTHS_MAX 60
/* Employees listed as the largest changes in the summary. */
#define WHATIF_TOP 10

/* The reference columns: the numeric items of each level, by name, in the
** base rule set's order. Both sides are read into these columns. */
struct cols {
  size_t n[RULES_LEVELS];
  char **name[RULES_LEVELS];
  bool *amount[RULES_LEVELS];      /* an amount (summed over months) */
};

/* One side's figures for one month. */
struct vals {
  struct strmap emp_ix;            /* id -> row; keys are emp_id[] */
  size_t nemp, capemp;
  char **emp_id;
  char **emp_agency;
  struct money *emp;               /* nemp x cols.n[0] */
  struct strmap ag_ix;             /* code -> row; keys are ag_id[] */
  size_t nag, capag;
  char **ag_id;
  struct money *ag;                /* nag x cols.n[1] */
  struct money *dist;              /* cols.n[2] */
  bool from_ledger;
};

static void cols_free(struct cols *c)
{
  for (int lv = 0; lv < RULES_LEVELS; lv++) {
    for (size_t i = 0; i < c->n[lv]; i++) free(c->name[lv][i]);
    free(c->name[lv]);
    free(c->amount[lv]);
  }
}

/* The numeric items of each level of program p. */
static void cols_init(struct cols *c, const struct program *p)
{
  const struct rules *r = p->r;
  memset(c, 0, sizeof *c);
  for (int lv = 0; lv < RULES_LEVELS; lv++) {
    c->name[lv] = xcalloc(r->nitems + 1, sizeof *c->name[lv]);
    c->amount[lv] = xcalloc(r->nitems + 1, sizeof *c->amount[lv]);
  }
  for (size_t j = 0; j < r->nitems; j++) {
    const struct rules_item *it = &r->items[j];
    int lv = (int)it->level;
    if (p->item_type[j] != VT_NUM) continue;
    c->name[lv][c->n[lv]] = xstrdup(it->name);
    c->amount[lv][c->n[lv]++] = it->decimals >= 2;
  }
}

static int col_of(const struct cols *c, int lv, const char *name)
{
  for (size_t i = 0; i < c->n[lv]; i++)
    if (strcmp(c->name[lv][i], name) == 0) return (int)i;
  return -1;
}

static struct money *zeros(size_t n)
{
  struct money *m = xmalloc((n ? n : 1) * sizeof *m);
  for (size_t i = 0; i < n; i++) m[i] = MONEY_ZERO;
  return m;
}

static void vals_init(struct vals *v, const struct cols *c)
{
  memset(v, 0, sizeof *v);
  strmap_init(&v->emp_ix);
  strmap_init(&v->ag_ix);
  v->dist = zeros(c->n[2]);
}

static void vals_free(struct vals *v, const struct cols *c)
{
  for (size_t i = 0; i < v->nemp; i++) {
    for (size_t k = 0; k < c->n[0]; k++) money_clear(&v->emp[i * c->n[0] + k]);
    free(v->emp_id[i]);
    free(v->emp_agency[i]);
  }
  for (size_t i = 0; i < v->nag; i++) {
    for (size_t k = 0; k < c->n[1]; k++) money_clear(&v->ag[i * c->n[1] + k]);
    free(v->ag_id[i]);
  }
  for (size_t k = 0; k < c->n[2]; k++) money_clear(&v->dist[k]);
  free(v->emp);
  free(v->emp_id);
  free(v->emp_agency);
  free(v->ag);
  free(v->ag_id);
  free(v->dist);
  strmap_free(&v->emp_ix);
  strmap_free(&v->ag_ix);
}

/* A new row of level lv for id; returns its money array. */
static struct money *vals_row(struct vals *v, const struct cols *c, int lv,
                              const char *id, const char *agency)
{
  size_t n = c->n[lv], cap;
  if (lv == RULES_DISTRICT) return v->dist;
  if (lv == RULES_EMPLOYEE) {
    cap = v->capemp;
    xgrow(&v->emp_id, &v->capemp, v->nemp + 1, sizeof *v->emp_id);
    if (v->capemp != cap) {            /* the parallel arrays grow too */
      v->emp_agency = xrealloc(v->emp_agency, v->capemp *
                               sizeof *v->emp_agency);
      v->emp = xrealloc(v->emp, (v->capemp * n + 1) * sizeof *v->emp);
    }
    v->emp_id[v->nemp] = xstrdup(id);
    v->emp_agency[v->nemp] = xstrdup(agency ? agency : "");
    for (size_t k = 0; k < n; k++) v->emp[v->nemp * n + k] = MONEY_ZERO;
    (void)strmap_put(&v->emp_ix, v->emp_id[v->nemp], v->nemp, NULL);
    return &v->emp[n * v->nemp++];
  }
  cap = v->capag;
  xgrow(&v->ag_id, &v->capag, v->nag + 1, sizeof *v->ag_id);
  if (v->capag != cap || !v->ag)
    v->ag = xrealloc(v->ag, (v->capag * n + 1) * sizeof *v->ag);
  v->ag_id[v->nag] = xstrdup(id);
  for (size_t k = 0; k < n; k++) v->ag[v->nag * n + k] = MONEY_ZERO;
  (void)strmap_put(&v->ag_ix, v->ag_id[v->nag], v->nag, NULL);
  return &v->ag[n * v->nag++];
}

/* ---- each side's own history over the range ----------------------------- */

/* The ledger's real history before the range, and the side's own months
** inside it: ytd() and ytd_months() add both while in the range's first
** tax year, only the side's own months after a new year begins; prev()
** reads the side's previous month, or the ledger's before the range. */
struct whist {
  const struct cols *cols;
  const struct ledger_history *ledger;   /* before the range; may be NULL */
  int year0;                       /* tax year of the range's first month */
  int year;                        /* tax year of the side's own figures */
  struct strmap ix;
  size_t n, cap;
  char **id;
  struct money *ytd;               /* n x cols->n[0] */
  struct money *months;            /* n */
  struct money *prev;              /* n x cols->n[0] */
  const struct program *mapped;    /* the program ytd_col/prev_col are for */
  int *ytd_col, *prev_col;         /* its history slots -> columns */
};

static void whist_init(struct whist *h, const struct cols *c,
                       const struct ledger_history *ledger, int ym0)
{
  memset(h, 0, sizeof *h);
  h->cols = c;
  h->ledger = ledger;
  h->year0 = h->year = ym0 / 12;
  strmap_init(&h->ix);
}

static void whist_free(struct whist *h)
{
  size_t n0 = h->cols->n[0];
  for (size_t i = 0; i < h->n; i++) {
    for (size_t k = 0; k < n0; k++) {
      money_clear(&h->ytd[i * n0 + k]);
      money_clear(&h->prev[i * n0 + k]);
    }
    money_clear(&h->months[i]);
    free(h->id[i]);
  }
  free(h->id);
  free(h->ytd);
  free(h->prev);
  free(h->months);
  free(h->ytd_col);
  free(h->prev_col);
  strmap_free(&h->ix);
}

/* Map p's history slots to columns, once per program (not per employee). */
static void whist_map(struct whist *h, const struct program *p)
{
  if (h->mapped == p) return;
  free(h->ytd_col);
  free(h->prev_col);
  h->ytd_col = xcalloc(p->nytd + 1, sizeof *h->ytd_col);
  h->prev_col = xcalloc(p->nprev + 1, sizeof *h->prev_col);
  for (size_t s = 0; s < p->nytd; s++)
    h->ytd_col[s] = col_of(h->cols, 0, p->r->items[p->ytd_items[s]].name);
  for (size_t s = 0; s < p->nprev; s++)
    h->prev_col[s] = col_of(h->cols, 0, p->r->items[p->prev_items[s]].name);
  h->mapped = p;
}

/* Add a computed month's employee figures (of tax year year). */
static void whist_add(struct whist *h, const struct vals *v, int year)
{
  size_t n0 = h->cols->n[0];
  if (year != h->year) {               /* a new tax year: ytd restarts */
    for (size_t i = 0; i < h->n * n0; i++) money_set_int(&h->ytd[i], 0);
    for (size_t i = 0; i < h->n; i++) money_set_int(&h->months[i], 0);
    h->year = year;
  }
  for (size_t e = 0; e < v->nemp; e++) {
    size_t i;
    if (!strmap_get(&h->ix, v->emp_id[e], &i)) {
      size_t cap = h->cap;
      xgrow(&h->id, &h->cap, h->n + 1, sizeof *h->id);
      if (h->cap != cap) {             /* the parallel arrays grow too */
        h->ytd = xrealloc(h->ytd, (h->cap * n0 + 1) * sizeof *h->ytd);
        h->prev = xrealloc(h->prev, (h->cap * n0 + 1) * sizeof *h->prev);
        h->months = xrealloc(h->months, (h->cap + 1) * sizeof *h->months);
      }
      i = h->n++;
      h->id[i] = xstrdup(v->emp_id[e]);
      for (size_t k = 0; k < n0; k++) {
        h->ytd[i * n0 + k] = MONEY_ZERO;
        h->prev[i * n0 + k] = MONEY_ZERO;
      }
      h->months[i] = MONEY_ZERO;
      (void)strmap_put(&h->ix, h->id[i], i, NULL);
    }
    for (size_t k = 0; k < n0; k++) {
      const struct money *x = &v->emp[e * n0 + k];
      money_add(&h->ytd[i * n0 + k], &h->ytd[i * n0 + k], x);
      money_copy(&h->prev[i * n0 + k], x);
    }
    money_add(&h->months[i], &h->months[i], &MONEY_ONE);
  }
}

static void whist_fill(void *ctx, const struct program *p,
                       const struct inputs *in, const struct employee *e,
                       struct money *ytd, struct money *prev,
                       struct money *months)
{
  struct whist *h = ctx;
  size_t n0 = h->cols->n[0], i;
  bool own = strmap_get(&h->ix, e->id, &i);
  whist_map(h, p);
  batch_history_opening.fill(NULL, p, in, e, ytd, prev, months);
  if (p->ym / 12 == h->year0)
    ledger_history_get(h->ledger, e->id, ytd, prev, months);
  if (!own) return;
  for (size_t s = 0; s < p->nytd; s++) {
    int k = h->ytd_col[s];
    if (k >= 0 && p->ym / 12 == h->year)
      money_add(&ytd[s], &ytd[s], &h->ytd[i * n0 + (size_t)k]);
  }
  for (size_t s = 0; s < p->nprev; s++) {
    int k = h->prev_col[s];
    if (k >= 0) money_copy(&prev[s], &h->prev[i * n0 + (size_t)k]);
  }
  if (p->ym / 12 == h->year) money_add(months, months, &h->months[i]);
}

/* ---- computing one side of one month ------------------------------------ */

struct collect {
  const struct cols *cols;
  const struct program *p;
  const struct inputs *in;
  int *col;                        /* per program item: column, or -1 */
  struct vals *v;
};

static void collect_frame(struct collect *c, const struct frame *f,
                          struct money *row)
{
  const struct rules *r = c->p->r;
  for (size_t j = 0; j < r->nitems; j++) {
    if ((int)r->items[j].level != (int)f->level || c->col[j] < 0) continue;
    if (f->items[j].type == VT_NUM)
      money_copy(&row[c->col[j]], &f->items[j].u.num);
  }
}

static int collect_employee(void *ctx, const struct employee *e,
                            const struct frame *f)
{
  struct collect *c = ctx;
  const char *ag = e->agency < c->in->nagencies
                 ? c->in->agencies[e->agency].code : "";
  collect_frame(c, f, vals_row(c->v, c->cols, 0, e->id, ag));
  return 0;
}

static int collect_agency(void *ctx, const struct agency *a,
                          const struct frame *f)
{
  struct collect *c = ctx;
  collect_frame(c, f, vals_row(c->v, c->cols, 1, a->code, NULL));
  return 0;
}

static int collect_district(void *ctx, const struct frame *f)
{
  struct collect *c = ctx;
  collect_frame(c, f, c->v->dist);
  return 0;
}

/* Compute month ym under rules r with history h into v. Problems to d. */
static bool compute_side(const struct cli *c, struct ledger *L,
                         const struct rules *r, int ym, struct whist *h,
                         struct vals *v, struct diag_list *d)
{
  struct program *p = program_compile(r, ym, d);
  struct inputs *in = NULL;
  struct batch_history hist = {h, whist_fill};
  struct batch_sink sink = {NULL, collect_employee, collect_agency,
                            collect_district};
  struct collect col;
  bool ok = false;

  if (!p) return false;
  in = inputs_load(p, c->inputs_root, ym, L ? lifecycle_openings(L, ym)
                   : c->ytd_path, d);
  if (in && !diag_count(d)) {
    col.cols = h->cols;
    col.p = p;
    col.in = in;
    col.v = v;
    col.col = xcalloc(r->nitems + 1, sizeof *col.col);
    for (size_t j = 0; j < r->nitems; j++)
      col.col[j] = col_of(h->cols, (int)r->items[j].level, r->items[j].name);
    sink.ctx = &col;
    (void)batch_run(p, in, &hist, &sink, d);
    free(col.col);
    ok = !diag_count(d);
  }
  vfs_overlay_clear();
  inputs_free(in, r);
  program_free(p);
  h->mapped = NULL;       /* a later program may reuse p's address */
  return ok;
}

struct from_ledger {
  const struct cols *cols;
  struct vals *v;
  int *col[RULES_LEVELS];          /* stored name -> column, per level */
};

static int ledger_row(void *ctx, int level, const char *entity,
                      const char *agency, const char *const *names,
                      const char *const *vals, size_t n)
{
  struct from_ledger *x = ctx;
  struct money *row;
  if (level > 2) return 0;
  if (!x->col[level]) {            /* the names are the same every row */
    x->col[level] = xcalloc(n + 1, sizeof *x->col[level]);
    for (size_t i = 0; i < n; i++)
      x->col[level][i] = col_of(x->cols, level, names[i]);
  }
  row = vals_row(x->v, x->cols, level, entity, agency);
  for (size_t i = 0; i < n; i++) {
    int k = x->col[level][i];
    if (k >= 0) (void)money_parse_exact(&row[k], vals[i]);
  }
  return 0;
}

/* The baseline of month ym from the ledger's run of it, when there is one.
** Returns false (and leaves v empty) when the ledger has no such run. */
static bool baseline_from_ledger(struct ledger *L, int ym,
                                 const struct cols *cols, struct vals *v)
{
  struct ledger_run run;
  struct from_ledger x = {cols, v, {NULL, NULL, NULL}};
  bool ok;
  if (!L || ledger_month_run(L, ym, &run) != LEDGER_OK) return false;
  v->from_ledger = true;
  ok = ledger_run_rows(L, run.run_id, ledger_row, &x) == LEDGER_OK;
  for (int lv = 0; lv < RULES_LEVELS; lv++) free(x.col[lv]);
  return ok;
}

/* ---- over the range ----------------------------------------------------- */

/* The row of id in total (created when new). */
static struct money *total_row(struct vals *t, const struct cols *c, int lv,
                               const char *id, const char *agency)
{
  size_t i;
  if (lv == RULES_DISTRICT) return t->dist;
  if (lv == RULES_EMPLOYEE && strmap_get(&t->emp_ix, id, &i))
    return &t->emp[i * c->n[0]];
  if (lv == RULES_AGENCY && strmap_get(&t->ag_ix, id, &i))
    return &t->ag[i * c->n[1]];
  return vals_row(t, c, lv, id, agency);
}

/* Add one row: amounts add up over the months, other figures (rates,
** counts) keep the last month's value. */
static void add_row(struct money *to, const struct money *from,
                    const struct cols *c, int lv)
{
  for (size_t k = 0; k < c->n[lv]; k++) {
    if (c->amount[lv][k]) money_add(&to[k], &to[k], &from[k]);
    else money_copy(&to[k], &from[k]);
  }
}

static void accumulate(struct vals *total, const struct vals *m,
                       const struct cols *c)
{
  for (size_t e = 0; e < m->nemp; e++)
    add_row(total_row(total, c, 0, m->emp_id[e], m->emp_agency[e]),
            &m->emp[e * c->n[0]], c, 0);
  for (size_t a = 0; a < m->nag; a++)
    add_row(total_row(total, c, 1, m->ag_id[a], NULL), &m->ag[a * c->n[1]],
            c, 1);
  add_row(total->dist, m->dist, c, 2);
}

/* One scenario: its rules, history and the sums over the range. */
struct side {
  char *name;
  struct rules *r;
  struct whist h;
  struct vals total;
};

/* ---- the comparison ----------------------------------------------------- */

static void fmt(const struct money *m, char *buf, size_t cap)
{
  if (money_format(m, 2, 2, buf, cap) < 0) snprintf(buf, cap, "?");
}

/* "+1.15%" of d against b, or "" when b is zero. */
static void pct(const struct money *d, const struct money *b, char *buf,
                size_t cap)
{
  struct money q = MONEY_ZERO, h = MONEY_ZERO;
  char num[48];
  buf[0] = '\0';
  if (money_is_zero(b)) return;
  money_set_int(&h, 100);
  (void)money_div(&q, d, b);
  money_mul(&q, &q, &h);
  money_abs(&h, b);
  if (money_sgn(b) < 0) money_neg(&q, &q);
  (void)money_round(&q, &q, &MONEY_CENT, MONEY_ROUND_HALF_AWAY);
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

/* Rows of one level (agencies or employees) whose amounts differ. */
static void write_level(FILE *f, const struct side *base,
                        const struct side *s, const struct cols *c, int lv,
                        const size_t *order, size_t *changed)
{
  const struct vals *b = &base->total, *x = &s->total;
  size_t n = lv == 0 ? x->nemp : x->nag;
  struct money dd = MONEY_ZERO;
  *changed = 0;
  fprintf(f, "%s,item,baseline,scenario,difference,percent\n",
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
                       const struct cols *c, int key, size_t e,
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
                           const struct cols *c, int key)
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
                         const struct side *s, const struct cols *c)
{
  struct money dd = MONEY_ZERO;
  fprintf(f, "item,baseline,scenario,difference,percent\n");
  for (size_t k = 0; k < c->n[2]; k++) {
    char bs[48], ss[48], ds[48], ps[64];
    money_sub(&dd, &s->total.dist[k], &base->total.dist[k]);
    fmt(&base->total.dist[k], bs, sizeof bs);
    fmt(&s->total.dist[k], ss, sizeof ss);
    fmt(&dd, ds, sizeof ds);
    pct(&dd, &base->total.dist[k], ps, sizeof ps);
    fprintf(f, "%s,%s,%s,%s,%s\n", c->name[2][k], bs, ss, ds, ps);
  }
  money_clear(&dd);
}

static void write_items(FILE *f, const struct side *base,
                        const struct side *s, const struct cols *c)
{
  size_t n0 = c->n[0];
  struct money *sb = zeros(n0), *ss = zeros(n0), dd = MONEY_ZERO;
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
                    const struct cols *c, int key, const struct ranked *r,
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
                   const struct cols *c, int key, const char *root,
                   struct diag_list *d)
{
  char *dir = xasprintf("%s/whatif-%s", root, s->name);
  struct ranked *r = rank(base, s, c, key);
  size_t *order = xcalloc(s->total.nemp + 1, sizeof *order);
  size_t affected = 0, changed_ag = 0;
  FILE *f;

  for (size_t i = 0; i < s->total.nemp; i++) order[i] = r[i].e;
  (void)mkdir(root, 0755);
  (void)mkdir(dir, 0755);
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
  printf("  written: %s/{totals,agencies,employees,items}.csv\n", dir);
  for (size_t i = 0; i < s->total.nemp; i++) money_clear(&r[i].d);
  free(r);
  free(order);
  free(dir);
  return !diag_count(d);
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
                  const struct cols *cols, char *basis, size_t cap,
                  struct diag_list *d)
{
  struct vals v;
  bool ok;
  vals_init(&v, cols);
  ok = baseline_from_ledger(L, ym, cols, &v) ||
       compute_side(c, L, base->r, ym, &base->h, &v, d);
  snprintf(basis, cap, "%s", v.from_ledger ? "ledger" : "computed");
  if (ok) {
    whist_add(&base->h, &v, ym / 12);
    accumulate(&base->total, &v, cols);
  }
  vals_free(&v, cols);
  for (size_t i = 0; ok && i < nsc; i++) {
    vals_init(&v, cols);
    ok = compute_side(c, L, sc[i].r, ym, &sc[i].h, &v, d);
    if (ok) {
      whist_add(&sc[i].h, &v, ym / 12);
      accumulate(&sc[i].total, &v, cols);
    }
    vals_free(&v, cols);
  }
  return ok;
}

static int key_column(const struct rules *r, const struct cols *c)
{
  return r->compare ? col_of(c, 0, r->compare) : -1;
}

int cmd_whatif(const struct cli *c)
{
  struct diag_list d;
  struct side base, sc[WHATIF_SCENARIOS_MAX];
  struct ledger *L = NULL;
  struct ledger_history *lh = NULL;
  struct batch_history unused;
  struct program *p0 = NULL;
  struct cols cols;
  enum ledger_err e = LEDGER_OK;
  size_t nsc = 0;
  int from, to, rc = 1;
  bool ok = true;

  memset(&base, 0, sizeof base);
  memset(sc, 0, sizeof sc);
  memset(&cols, 0, sizeof cols);
  if (c->nargs != 1 || !parse_range(c->args[0], &from, &to)) {
    fprintf(stderr, "paysettle: whatif YYYY-MM[..YYYY-MM] (at most %d "
            "months)\n", WHATIF_MONTHS_MAX);
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
  if (base.r) p0 = program_compile(base.r, from, &d);
  if (p0 && vfs_exists(c->db_path))
    L = ledger_open(c->db_path, false, &e, &d);
  if (L) e = lifecycle_history(L, p0, &lh, &unused);
  if (diag_count(&d) || e != LEDGER_OK) goto done;
  cols_init(&cols, p0);
  whist_init(&base.h, &cols, lh, from);
  vals_init(&base.total, &cols);
  for (size_t i = 0; i < nsc; i++) {
    whist_init(&sc[i].h, &cols, lh, from);
    vals_init(&sc[i].total, &cols);
  }
  for (int ym = from; ok && ym <= to; ym++) {
    char m[8], basis[16];
    cal_format_month(ym, m);
    ok = month(c, L, ym, &base, sc, nsc, &cols, basis, sizeof basis, &d);
    if (ok) printf("%s: baseline %s; %zu scenario%s computed\n", m, basis,
                   nsc, nsc == 1 ? "" : "s");
  }
  for (size_t i = 0; ok && i < nsc; i++)
    ok = report(&base, &sc[i], &cols, key_column(base.r, &cols),
                c->out_path ? c->out_path : "outputs", &d);
  rc = ok && !diag_count(&d) ? 0 : 1;
done:
  if (diag_count(&d)) {
    diag_print(&d, stderr);
    fprintf(stderr, "paysettle: the what-if was not computed\n");
  }
  if (cols.name[0]) {
    whist_free(&base.h);
    vals_free(&base.total, &cols);
    for (size_t i = 0; i < nsc; i++) {
      whist_free(&sc[i].h);
      vals_free(&sc[i].total, &cols);
    }
  }
  for (size_t i = 0; i < nsc; i++) {
    rules_free(sc[i].r);
    free(sc[i].name);
  }
  free(base.name);
  cols_free(&cols);
  ledger_history_free(lh);
  ledger_close(L);
  program_free(p0);
  rules_free(base.r);
  diag_free(&d);
  return rc;
}
