/*
** batch.c -- computing a month: every employee, every agency, the district.
*/
#include "batch.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

static void opening_fill(void *ctx, const struct program *p,
                         const struct inputs *in, const struct employee *e,
                         struct money *ytd, struct money *prev,
                         struct money *months)
{
  const struct rules *r = p->r;
  (void)ctx;
  (void)in;
  (void)prev;
  if (!e->has_opening) return;
  money_copy(months, &e->opening_months);
  for (size_t s = 0; s < p->nytd; s++) {
    const char *item = r->items[p->ytd_items[s]].name;
    for (size_t o = 0; o < r->nopening; o++)
      if (strcmp(r->opening[o].item, item) == 0)
        money_add(&ytd[s], &ytd[s], &e->opening[o]);
  }
}

const struct batch_history batch_history_opening = {NULL, opening_fill};

static struct money *money_array(size_t n)
{
  struct money *m = xmalloc((n ? n : 1) * sizeof *m);
  for (size_t i = 0; i < n; i++) m[i] = MONEY_ZERO;
  return m;
}

static void money_array_free(struct money *m, size_t n)
{
  for (size_t i = 0; i < n; i++) money_clear(&m[i]);
  free(m);
}

static void money_array_zero(struct money *m, size_t n)
{
  for (size_t i = 0; i < n; i++) money_set_int(&m[i], 0);
}

static struct value *value_array(size_t n)
{
  struct value *v = xmalloc((n ? n : 1) * sizeof *v);
  for (size_t i = 0; i < n; i++) value_init(&v[i]);
  return v;
}

static void value_array_free(struct value *v, size_t n)
{
  if (!v) return;
  for (size_t i = 0; i < n; i++) value_clear(&v[i]);
  free(v);
}

/* Set f up for employee index: inputs, and history into ytd and prev. */
static void employee_frame(struct frame *f, const struct program *p,
                           const struct inputs *in, size_t index,
                           const struct batch_history *h,
                           struct money *ytd, struct money *prev,
                           struct diag_list *d)
{
  const struct employee *e = &in->emps[index];
  f->p = p;
  f->level = RULES_EMPLOYEE;
  f->who = e->id;
  f->fields = e->fields;
  f->adj = e->adj;
  f->agg = NULL;
  f->d = d;
  f->cur_item = -1;
  f->ytd = ytd;
  f->prev = prev;
  money_array_zero(ytd, p->nytd);
  money_array_zero(prev, p->nprev);
  money_set_int(&f->ytd_months, 0);
  h->fill(h->ctx, p, in, e, ytd, prev, &f->ytd_months);
}

size_t batch_employee(const struct program *p, const struct inputs *in,
                      const struct batch_history *h, size_t index,
                      struct value *items, struct value *unrounded,
                      struct money *ytd, struct money *prev,
                      struct money *months, struct diag_list *d)
{
  struct frame f;
  size_t n;
  memset(&f, 0, sizeof f);
  f.items = items;
  f.unrounded = unrounded;
  f.ytd_months = MONEY_ZERO;
  employee_frame(&f, p, in, index, h, ytd, prev, d);
  n = program_run(p, &f);
  money_copy(months, &f.ytd_months);
  money_clear(&f.ytd_months);
  return n;
}

static const char *const *paths_of(const struct inputs *in)
{
  return (const char *const *)in->paths;
}

/* Evaluate the agencies, then the district, from the accumulators. */
static int run_groups(const struct program *p, const struct inputs *in,
                      struct money *acc1, const struct batch_sink *s,
                      struct value *items, struct diag_list *d)
{
  size_t n1 = p->nagg[RULES_AGENCY], n2 = p->nagg[RULES_DISTRICT];
  struct money *acc2 = money_array(n2);
  struct frame f;
  int rc = 0;

  memset(&f, 0, sizeof f);
  f.p = p;
  f.items = items;
  f.d = d;
  f.ytd_months = MONEY_ZERO;
  f.journal = xcalloc(p->njournal + 1, sizeof *f.journal);
  for (size_t a = 0; a < in->nagencies && rc == 0; a++) {
    const struct agency *ag = &in->agencies[a];
    if (ag->bad) continue;
    f.level = RULES_AGENCY;
    f.who = ag->code;
    f.fields = ag->fields;
    f.agg = acc1 + a * n1;
    (void)program_run(p, &f);
    (void)program_check(p, &f, paths_of(in), ag->line);
    (void)program_journal(p, &f, f.journal);
    program_accumulate(p, &f, acc2);
    if (s->agency) rc = s->agency(s->ctx, ag, &f);
  }
  if (rc == 0) {
    f.level = RULES_DISTRICT;
    f.who = NULL;
    free(f.journal);
    f.journal = NULL;
    f.fields = NULL;
    f.agg = acc2;
    (void)program_run(p, &f);
    if (s->district) rc = s->district(s->ctx, &f);
  }
  free(f.journal);
  money_array_free(acc2, n2);
  return rc;
}

int batch_run(const struct program *p, const struct inputs *in,
              const struct batch_history *h, const struct batch_sink *s,
              struct diag_list *d)
{
  const size_t ni = p->r->nitems, n1 = p->nagg[RULES_AGENCY];
  struct value *items = value_array(ni);
  struct money *ytd = money_array(p->nytd), *prev = money_array(p->nprev);
  struct money *acc1 = money_array(in->nagencies * n1);
  struct frame f;
  int rc = 0;

  memset(&f, 0, sizeof f);
  f.items = items;
  f.ytd_months = MONEY_ZERO;
  for (size_t i = 0; i < in->nemployees && rc == 0; i++) {
    const struct employee *e = &in->emps[i];
    if (e->bad) continue;
    employee_frame(&f, p, in, i, h, ytd, prev, d);
    (void)program_run(p, &f);
    (void)program_check(p, &f, paths_of(in), e->line);
    program_accumulate(p, &f, acc1 + e->agency * n1);
    if (s->employee) rc = s->employee(s->ctx, e, &f);
  }
  if (rc == 0) rc = run_groups(p, in, acc1, s, items, d);
  money_clear(&f.ytd_months);
  money_array_free(acc1, in->nagencies * n1);
  money_array_free(ytd, p->nytd);
  money_array_free(prev, p->nprev);
  value_array_free(items, ni);
  return rc;
}
