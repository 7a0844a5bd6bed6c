/*
** explain.c -- paysettle explain: why a figure is what it is.
**
** The employee is computed alone with the frame's 'unrounded' slots on;
** then the item's formula is walked and everything it used is printed as
** an indented tree: items (recursively, each once), parameters with the
** month their value took effect and its source, input fields with their
** file and line, calendar facts, history, and the row a lookup or bracket
** used.
*/
#include "cli.h"
#include "batch.h"
#include "report.h"
#include "util.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Nesting of the printed tree; deeper dependencies are summarised. */
#define EXPLAIN_DEPTH_MAX 40

struct explainer {
  const struct program *p;
  const struct inputs *in;
  const struct employee *e;
  struct frame f;
  bool *seen;                  /* items already printed */
  FILE *out;
};

static void indent(struct explainer *X, int depth)
{
  for (int i = 0; i < depth; i++) fputs("  ", X->out);
}

static void show_value(const struct value *v, char *buf, size_t cap)
{
  if (program_format(v, 2, buf, cap) == 1) {
    size_t n = strlen(buf);
    if (n + 4 < cap) memcpy(buf + n, "...", 4);
  }
}

static void explain_item(struct explainer *X, int j, int depth);

static void explain_param(struct explainer *X, const struct fnode *n,
                          int depth)
{
  const struct rules_param *pa = n->ref;
  const struct rules_value *v = n->ref2;
  char val[96], from[8];
  money_format(&v->value, 0, 10, val, sizeof val);
  cal_format_month(v->from_ym, from);
  indent(X, depth);
  fprintf(X->out, "%s = %s  (parameter%s%s; in force from %s; source: %s%s%s;"
          " %s:%lu)\n", pa->name, val, pa->label ? ", " : "",
          pa->label ? pa->label : "", from, v->source,
          v->confidence ? "; confidence " : "",
          v->confidence ? v->confidence : "", v->pos.file, v->pos.line);
}

static void explain_field(struct explainer *X, const struct fnode *n,
                          int depth)
{
  const struct value *v = &X->e->fields[n->idx];
  char val[96];
  enum rules_file role = (enum rules_file)n->idx2;
  const struct rules_input *s = &X->p->r->inputs[role];
  size_t col = role == RULES_F_ROSTER ? (size_t)n->idx
             : (size_t)n->idx - X->p->r->inputs[RULES_F_ROSTER].ncols;
  bool has_default = col < s->ncols && s->cols[col].def;
  program_format(v, 0, val, sizeof val);
  if (!v->present && !has_default) snprintf(val, sizeof val, "(empty)");
  indent(X, depth);
  fprintf(X->out, "%s = %s  (input: %s line %lu%s)\n", n->name, val,
          X->in->paths[role] ? X->in->paths[role] : "?", X->e->line[role],
          !v->present && has_default ? ", empty: the column's default" : "");
}

static void explain_adjust(struct explainer *X, const struct fnode *n,
                           int depth)
{
  char val[96];
  size_t self = (size_t)(X->e - X->in->emps), rows = 0;
  money_format(&X->e->adj[n->idx], 2, 10, val, sizeof val);
  indent(X, depth);
  fprintf(X->out, "%s = %s  (input: sum of %s rows", n->name, val,
          X->p->r->adjust[n->idx].name);
  for (size_t i = 0; i < X->in->nadjust; i++) {
    const struct adjustment_row *a = &X->in->adjust[i];
    if (a->employee != self || a->item != n->idx) continue;
    fprintf(X->out, "%s %s line %lu", rows++ ? "," : ":",
            X->in->paths[a->role], a->line);
  }
  fprintf(X->out, "%s)\n", rows ? "" : ": none");
}

static void explain_history(struct explainer *X, const struct fnode *n,
                            int depth)
{
  const struct money *v = n->op == F_YTD ? &X->f.ytd[n->idx]
                        : n->op == F_PREV ? &X->f.prev[n->idx]
                        : &X->f.ytd_months;
  char val[96];
  money_format(v, n->op == F_YTD_MONTHS ? 0 : 2, 10, val, sizeof val);
  indent(X, depth);
  if (n->op == F_YTD_MONTHS) fprintf(X->out, "ytd_months() = %s", val);
  else fprintf(X->out, "%s(%s) = %s", formula_op_name(n->op),
               n->args[0]->name, val);
  if (n->op == F_PREV)
    fprintf(X->out, "  (history: the previous closed month; none without "
            "a ledger)\n");
  else if (X->e->has_opening)
    fprintf(X->out, "  (history: tax year opening, %s line %lu)\n",
            X->in->paths[RULES_F_YTD_OPENING], X->e->opening_line);
  else
    fprintf(X->out, "  (history: no earlier month this tax year)\n");
}

static void explain_row(struct explainer *X, const struct fnode *n,
                        int depth)
{
  const struct rules_table *t = n->args[0]->ref;
  struct value x, key;
  char xs[96], buf[96];
  value_init(&x);
  value_init(&key);
  indent(X, depth);
  if (n->op == F_BAND) {
    const struct rules_row *row;
    if (!program_eval(X->p, &X->f, n->args[1], &x)) goto done;
    row = eval_bracket_row(t, &x.u.num);
    show_value(&x, xs, sizeof xs);
    money_format(&row->cells[n->args[0]->idx2], 0, 10, buf, sizeof buf);
    fprintf(X->out, "band(%s, %s) = %s  (table %s:%lu%s%s)\n",
            n->args[0]->name, xs, buf, row->pos.file, row->pos.line,
            t->source ? "; source: " : "", t->source ? t->source : "");
  } else if (n->op == F_BRACKET) {
    const struct rules_row *row;
    int rate = rules_table_col(t, "rate"), ded = rules_table_col(t,
                                                              "deduction");
    bool ok = program_eval(X->p, &X->f, n->args[1], &x) &&
              (n->nargs < 3 || program_eval(X->p, &X->f, n->args[2], &key));
    if (!ok || rate < 0 || ded < 0) goto done;
    row = eval_bracket_row(t, n->nargs == 3 ? &key.u.num : &x.u.num);
    show_value(n->nargs == 3 ? &key : &x, xs, sizeof xs);
    fprintf(X->out, "bracket(%s, %s): the row ", t->name, xs);
    if (row->unbounded) {
      fputs("above the last bound", X->out);
    } else {
      money_format(&row->upto, 0, 10, buf, sizeof buf);
      fprintf(X->out, "up to %s", buf);
    }
    money_format(&row->cells[rate], 0, 10, buf, sizeof buf);
    fprintf(X->out, ": rate %s", buf);
    money_format(&row->cells[ded], 0, 10, buf, sizeof buf);
    fprintf(X->out, ", deduction %s  (table %s:%lu%s%s)\n", buf,
            row->pos.file, row->pos.line, t->source ? "; source: " : "",
            t->source ? t->source : "");
  } else {
    if (!program_eval(X->p, &X->f, n, &x)) goto done;
    if (!program_eval(X->p, &X->f, n->args[1], &key)) goto done;
    program_format(&key, 0, xs, sizeof xs);
    program_format(&x, 0, buf, sizeof buf);
    fprintf(X->out, "lookup(%s, %s) = %s  (table %s:%lu%s%s)\n",
            n->args[0]->name, xs, buf, t->pos.file, t->pos.line,
            t->source ? "; source: " : "", t->source ? t->source : "");
  }
done:
  value_clear(&x);
  value_clear(&key);
}

static void explain_calendar(struct explainer *X, const struct fnode *n,
                             int depth)
{
  struct value v;
  char val[64];
  value_init(&v);
  if (program_eval(X->p, &X->f, n, &v)) {
    program_format(&v, 0, val, sizeof val);
    indent(X, depth);
    fprintf(X->out, "%s(...) = %s  (calendar of %d..%d, from the rule "
            "set's official notices)\n", formula_op_name(n->op), val,
            X->p->r->cal.year_first, X->p->r->cal.year_last);
  }
  value_clear(&v);
}

/* What one formula's tree has printed already: leaves appear once. */
struct printed {
  size_t n;
  uintptr_t key[256];
  int op[256];
};

/* True the first time (op, key) is seen; false afterwards. */
static bool first_time(struct printed *pr, int op, uintptr_t key)
{
  for (size_t i = 0; i < pr->n; i++)
    if (pr->op[i] == op && pr->key[i] == key) return false;
  if (pr->n < sizeof pr->key / sizeof *pr->key) {
    pr->op[pr->n] = op;
    pr->key[pr->n++] = key;
  }
  return true;
}

/* The things formula n uses, each printed once (by node kind and index). */
static void explain_uses(struct explainer *X, const struct fnode *n,
                         int depth, struct printed *pr)
{
  char val[96];
  uintptr_t key = n->op == F_PARAM ? (uintptr_t)n->ref
                 : (uintptr_t)(n->idx + 1);
  switch (n->op) {
  case F_ITEM:
    if (first_time(pr, n->op, key)) explain_item(X, n->idx, depth);
    return;
  case F_PARAM:
  case F_FIELD: case F_ADJ: case F_YTD: case F_PREV: case F_YTD_MONTHS:
  case F_FACT:
    if (!first_time(pr, n->op, key)) return;
    break;
  default:
    break;
  }
  switch (n->op) {
  case F_PARAM:
    explain_param(X, n, depth);
    return;
  case F_FIELD: explain_field(X, n, depth); return;
  case F_ADJ: explain_adjust(X, n, depth); return;
  case F_YTD: case F_PREV: case F_YTD_MONTHS:
    explain_history(X, n, depth);
    return;
  case F_FACT:
    program_format(&X->p->facts[n->idx], 0, val, sizeof val);
    indent(X, depth);
    fprintf(X->out, "%s = %s  (the month)\n", n->name, val);
    return;
  case F_BRACKET: case F_LOOKUP: case F_BAND:
    explain_row(X, n, depth);
    break;
  case F_WORKDAYS: case F_YEARS:
    explain_calendar(X, n, depth);
    break;
  default:
    break;
  }
  for (size_t i = 0; i < n->nargs; i++)
    explain_uses(X, n->args[i], depth, pr);
}

static void explain_item(struct explainer *X, int j, int depth)
{
  const struct rules_item *it = &X->p->r->items[j];
  char val[96], raw[96], step[32];
  struct printed *pr;

  report_value(it, &X->f.items[j], val, sizeof val);
  indent(X, depth);
  fprintf(X->out, "%s = %s", it->name, val);
  if (it->zh) fprintf(X->out, "  [%s]", it->zh);
  if (X->seen[j]) {
    fputs("  (see above)\n", X->out);
    return;
  }
  X->seen[j] = true;
  fprintf(X->out, "\n");
  indent(X, depth + 1);
  fprintf(X->out, "formula (%s:%lu): %s\n", it->formula_pos.file,
          it->formula_pos.line, it->formula);
  if (it->rounded) {
    show_value(&X->f.unrounded[j], raw, sizeof raw);
    money_format(&it->round_step, 0, 10, step, sizeof step);
    indent(X, depth + 1);
    fprintf(X->out, "before rounding %s; rounded to %s %s\n", raw, step,
            money_round_name(it->round_mode));
  }
  if (depth >= EXPLAIN_DEPTH_MAX) {
    indent(X, depth + 1);
    fputs("(deeper dependencies not shown)\n", X->out);
    return;
  }
  pr = xcalloc(1, sizeof *pr);
  explain_uses(X, X->p->items[j], depth + 1, pr);
  free(pr);
}

/* Compute the employee and print the tree; returns the exit status. */
static int explain_employee(const struct program *p, const struct inputs *in,
                            size_t index, int item)
{
  const struct rules *r = p->r;
  struct explainer X;
  struct value *items = xcalloc(r->nitems, sizeof *items);
  struct value *raw = xcalloc(r->nitems, sizeof *raw);
  struct money *ytd = xcalloc(p->nytd + 1, sizeof *ytd);
  struct money *prev = xcalloc(p->nprev + 1, sizeof *prev);
  struct diag_list d;
  int rc = 0;

  memset(&X, 0, sizeof X);
  diag_init(&d);
  for (size_t i = 0; i < r->nitems; i++) {
    value_init(&items[i]);
    value_init(&raw[i]);
  }
  X.f.ytd_months = MONEY_ZERO;
  if (batch_employee(p, in, &batch_history_opening, index, items, raw, ytd,
                     prev, &X.f.ytd_months, &d)) {
    cli_print_problems(&d, in->emps[index].id);
    rc = 1;
  } else {
    X.p = p;
    X.in = in;
    X.e = &in->emps[index];
    X.out = stdout;
    X.seen = xcalloc(r->nitems, sizeof *X.seen);
    X.f.p = p;
    X.f.level = RULES_EMPLOYEE;
    X.f.who = X.e->id;
    X.f.items = items;
    X.f.unrounded = raw;
    X.f.fields = X.e->fields;
    X.f.adj = X.e->adj;
    X.f.ytd = ytd;
    X.f.prev = prev;
    X.f.d = &d;
    X.f.cur_item = -1;
    printf("employee %s, %s\n", X.e->id, p->month_text);
    explain_item(&X, item, 0);
    free(X.seen);
  }
  for (size_t i = 0; i < r->nitems; i++) {
    value_clear(&items[i]);
    value_clear(&raw[i]);
  }
  for (size_t i = 0; i < p->nytd; i++) money_clear(&ytd[i]);
  for (size_t i = 0; i < p->nprev; i++) money_clear(&prev[i]);
  money_clear(&X.f.ytd_months);
  free(items);
  free(raw);
  free(ytd);
  free(prev);
  diag_free(&d);
  return rc;
}

int cmd_explain(const struct cli *c)
{
  struct rules *r;
  struct program *p = NULL;
  struct inputs *in = NULL;
  struct diag_list d;
  const char *item_name = c->nargs > 2 ? c->args[2] : "net_pay";
  int ym, item, rc = 1;
  long index;

  if (c->nargs < 2 || c->nargs > 3 || !cal_parse_month(c->args[0], &ym)) {
    fprintf(stderr, "paysettle: explain YYYY-MM EMPLOYEE [ITEM]\n");
    return 2;
  }
  r = cli_rules(c);
  if (!r) return 1;
  diag_init(&d);
  item = rules_item_index(r, item_name);
  if (item < 0 || r->items[item].level != RULES_EMPLOYEE) {
    fprintf(stderr, "paysettle: '%s' is not an employee item of the rule "
            "set\n", item_name);
    goto done;
  }
  p = program_compile(r, ym, &d);
  if (p) in = inputs_load(p, c->inputs_root, ym, c->ytd_path, NULL, &d);
  if (diag_count(&d)) {
    cli_print_problems(&d, c->args[0]);
    goto done;
  }
  index = inputs_find(in, c->args[1]);
  if (index < 0) {
    fprintf(stderr, "paysettle: no employee '%s' on the roster of %s\n",
            c->args[1], c->args[0]);
    goto done;
  }
  rc = explain_employee(p, in, (size_t)index, item);
done:
  inputs_free(in, r);
  program_free(p);
  diag_free(&d);
  rules_free(r);
  return rc;
}
