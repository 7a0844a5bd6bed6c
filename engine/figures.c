/*
** figures.c -- one side's figures of a month, and its own history over a
** range (see figures.h).
*/
#include "figures.h"
#include "util.h"
#include "vfs.h"

#include <stdlib.h>
#include <string.h>

void fig_cols_free(struct fig_cols *c)
{
  for (int lv = 0; lv < RULES_LEVELS; lv++) {
    for (size_t i = 0; i < c->n[lv]; i++) free(c->name[lv][i]);
    free(c->name[lv]);
    free(c->amount[lv]);
  }
}

/* The numeric items of each level of program p. */
void fig_cols_init(struct fig_cols *c, const struct program *p)
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

int fig_col_of(const struct fig_cols *c, int lv, const char *name)
{
  for (size_t i = 0; i < c->n[lv]; i++)
    if (strcmp(c->name[lv][i], name) == 0) return (int)i;
  return -1;
}

void fig_vals_init(struct fig_vals *v, const struct fig_cols *c)
{
  memset(v, 0, sizeof *v);
  strmap_init(&v->emp_ix);
  strmap_init(&v->ag_ix);
  v->dist = money_zeros(c->n[2]);
}

void fig_vals_free(struct fig_vals *v, const struct fig_cols *c)
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
struct money *fig_vals_row(struct fig_vals *v, const struct fig_cols *c, int lv,
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
void fig_history_init(struct fig_history *h, const struct fig_cols *c,
                       const struct ledger_history *ledger, int ym0)
{
  memset(h, 0, sizeof *h);
  h->cols = c;
  h->ledger = ledger;
  h->year0 = h->year = ym0 / 12;
  strmap_init(&h->ix);
}

void fig_history_free(struct fig_history *h)
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
static void history_map(struct fig_history *h, const struct program *p)
{
  if (h->mapped == p) return;
  free(h->ytd_col);
  free(h->prev_col);
  h->ytd_col = xcalloc(p->nytd + 1, sizeof *h->ytd_col);
  h->prev_col = xcalloc(p->nprev + 1, sizeof *h->prev_col);
  for (size_t s = 0; s < p->nytd; s++)
    h->ytd_col[s] = fig_col_of(h->cols, 0, p->r->items[p->ytd_items[s]].name);
  for (size_t s = 0; s < p->nprev; s++)
    h->prev_col[s] = fig_col_of(h->cols, 0, p->r->items[p->prev_items[s]].name);
  h->mapped = p;
}

/* Add a computed month's employee figures (of tax year year). */
void fig_history_add(struct fig_history *h, const struct fig_vals *v, int year)
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

static void history_fill(void *ctx, const struct program *p,
                       const struct inputs *in, const struct employee *e,
                       struct money *ytd, struct money *prev,
                       struct money *months)
{
  struct fig_history *h = ctx;
  size_t n0 = h->cols->n[0], i;
  bool own = strmap_get(&h->ix, e->id, &i);
  history_map(h, p);
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
  const struct fig_cols *cols;
  const struct program *p;
  const struct inputs *in;
  int *col;                        /* per program item: column, or -1 */
  struct fig_vals *v;
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
  collect_frame(c, f, fig_vals_row(c->v, c->cols, 0, e->id, ag));
  return 0;
}

static int collect_agency(void *ctx, const struct agency *a,
                          const struct frame *f)
{
  struct collect *c = ctx;
  collect_frame(c, f, fig_vals_row(c->v, c->cols, 1, a->code, NULL));
  return 0;
}

static int collect_district(void *ctx, const struct frame *f)
{
  struct collect *c = ctx;
  collect_frame(c, f, c->v->dist);
  return 0;
}

/* Compute month ym under rules r with history h into v. Problems to d. */
bool fig_compute(const struct rules *r, int ym, const struct fig_inputs *src,
                 struct fig_history *h, struct fig_vals *v,
                 struct diag_list *d)
{
  struct program *p = program_compile(r, ym, d);
  struct inputs *in = NULL;
  struct batch_history hist = {h, history_fill};
  struct batch_sink sink = {NULL, collect_employee, collect_agency,
                            collect_district};
  struct collect col;
  bool ok = false;

  if (!p) return false;
  in = inputs_load(p, src->root, ym, src->ytd_path, src->retro_path,
                   d);
  if (in && !diag_count(d)) {
    col.cols = h->cols;
    col.p = p;
    col.in = in;
    col.v = v;
    col.col = xcalloc(r->nitems + 1, sizeof *col.col);
    for (size_t j = 0; j < r->nitems; j++)
      col.col[j] = fig_col_of(h->cols, (int)r->items[j].level, r->items[j].name);
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
  const struct fig_cols *cols;
  struct fig_vals *v;
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
      x->col[level][i] = fig_col_of(x->cols, level, names[i]);
  }
  row = fig_vals_row(x->v, x->cols, level, entity, agency);
  for (size_t i = 0; i < n; i++) {
    int k = x->col[level][i];
    if (k >= 0) (void)money_parse_exact(&row[k], vals[i]);
  }
  return 0;
}

bool fig_from_run(struct ledger *L, int64_t run_id, struct fig_vals *v,
                  const struct fig_cols *c)
{
  struct from_ledger x = {c, v, {NULL, NULL, NULL}};
  bool ok;
  v->from_ledger = true;
  ok = ledger_run_rows(L, run_id, ledger_row, &x) == LEDGER_OK;
  for (int lv = 0; lv < RULES_LEVELS; lv++) free(x.col[lv]);
  return ok;
}

/* ---- over the range ----------------------------------------------------- */

struct money *fig_vals_find(struct fig_vals *t, const struct fig_cols *c, int lv,
                               const char *id, const char *agency)
{
  size_t i;
  if (lv == RULES_DISTRICT) return t->dist;
  if (lv == RULES_EMPLOYEE && strmap_get(&t->emp_ix, id, &i))
    return &t->emp[i * c->n[0]];
  if (lv == RULES_AGENCY && strmap_get(&t->ag_ix, id, &i))
    return &t->ag[i * c->n[1]];
  return fig_vals_row(t, c, lv, id, agency);
}

/* Add one row: amounts add up over the months, other figures (rates,
** counts) keep the last month's value. */
static void add_row(struct money *to, const struct money *from,
                    const struct fig_cols *c, int lv)
{
  for (size_t k = 0; k < c->n[lv]; k++) {
    if (c->amount[lv][k]) money_add(&to[k], &to[k], &from[k]);
    else money_copy(&to[k], &from[k]);
  }
}

void fig_accumulate(struct fig_vals *total, const struct fig_vals *m,
                       const struct fig_cols *c)
{
  for (size_t e = 0; e < m->nemp; e++)
    add_row(fig_vals_find(total, c, 0, m->emp_id[e], m->emp_agency[e]),
            &m->emp[e * c->n[0]], c, 0);
  for (size_t a = 0; a < m->nag; a++)
    add_row(fig_vals_find(total, c, 1, m->ag_id[a], NULL), &m->ag[a * c->n[1]],
            c, 1);
  add_row(total->dist, m->dist, c, 2);
}

