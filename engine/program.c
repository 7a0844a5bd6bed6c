/*
** program.c -- compiling a rule set for one month.
**
** Items are compiled on demand, depth first: compiling an item compiles
** every item it names first, so the post-order is a valid evaluation order
** and a name that leads back to an item still being compiled is a cycle,
** reported with the whole path.
*/
#include "program.h"
#include "util.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { ST_NEW = 0, ST_BUSY, ST_DONE };

struct cctx {
  struct program *p;
  struct diag_list *d;
  const char *file;             /* file of the formula being resolved */
  int *state;                   /* per item */
  int *stack;                   /* items being compiled */
  size_t nstack;
  bool ok;                      /* this formula resolved cleanly */
};

static void cerr(struct cctx *C, const struct fnode *n, const char *fmt, ...)
  __attribute__((format(printf, 3, 4)));

static void cerr(struct cctx *C, const struct fnode *n, const char *fmt, ...)
{
  char msg[512];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  diag_add(C->d, C->file, n->line, n->col, NULL, "%s", msg);
  C->ok = false;
}

static const char *const FACT_NAMES[FACT_COUNT_] = {
  "month_start", "month_end", "month", "month_of_year", "year"
};

static const struct {
  const char *name;
  enum fop op;
  size_t min, max;
} FUNCS[] = {
  {"if", F_IF, 3, 3}, {"min", F_MIN, 2, FORMULA_ARGS_MAX},
  {"max", F_MAX, 2, FORMULA_ARGS_MAX}, {"clamp", F_CLAMP, 3, 3},
  {"abs", F_ABS, 1, 1}, {"round", F_ROUND, 3, 3},
  {"lookup", F_LOOKUP, 2, 3}, {"bracket", F_BRACKET, 2, 3},
  {"band", F_BAND, 2, 2},
  {"in", F_IN, 2, FORMULA_ARGS_MAX}, {"present", F_PRESENT, 1, 1},
  {"work_days_between", F_WORKDAYS, 2, 2},
  {"years_between", F_YEARS, 2, 2}, {"ytd", F_YTD, 1, 1},
  {"ytd_months", F_YTD_MONTHS, 0, 0}, {"prev", F_PREV, 1, 1},
  {"sum", F_SUM, 1, 1}, {"count", F_COUNT, 0, 1}
};

static bool resolve(struct cctx *C, struct fnode *n, enum rules_level lv);
static bool compile_item(struct cctx *C, int j);

int program_field_index(const struct program *p, enum rules_level level,
                        enum rules_file file, size_t col)
{
  const struct rules *r = p->r;
  if (level == RULES_EMPLOYEE && file == RULES_F_ROSTER) return (int)col;
  if (level == RULES_EMPLOYEE && file == RULES_F_ATTENDANCE)
    return (int)(r->inputs[RULES_F_ROSTER].ncols + col);
  if (level == RULES_AGENCY && file == RULES_F_AGENCIES) return (int)col;
  if (level == RULES_AGENCY && file == RULES_F_SATISFACTION)
    return (int)(r->inputs[RULES_F_AGENCIES].ncols + col);
  return -1;
}

enum vtype program_column_type(enum rules_ctype t)
{
  switch (t) {
  case RULES_C_DATE: return VT_DATE;
  case RULES_C_DECIMAL:
  case RULES_C_INTEGER:
  case RULES_C_HALVES: return VT_NUM;
  case RULES_C_BOOL: return VT_BOOL;
  default: return VT_TEXT;
  }
}

static const struct {
  const char *prefix;
  enum rules_file file;
  enum rules_level level;
} FIELD_PREFIXES[] = {
  {"roster", RULES_F_ROSTER, RULES_EMPLOYEE},
  {"attendance", RULES_F_ATTENDANCE, RULES_EMPLOYEE},
  {"agency", RULES_F_AGENCIES, RULES_AGENCY},
  {"satisfaction", RULES_F_SATISFACTION, RULES_AGENCY}
};

/* roster.X, attendance.X, agency.X, satisfaction.X, adjust.X. Returns true
** when the name has one of these prefixes (resolved or with a problem). */
static bool resolve_field(struct cctx *C, struct fnode *n,
                          enum rules_level lv)
{
  const struct rules *r = C->p->r;
  const char *dot = strchr(n->name, '.');
  size_t plen = dot ? (size_t)(dot - n->name) : 0;

  if (!dot) return false;
  if (plen == 6 && strncmp(n->name, "adjust", 6) == 0) {
    n->idx = rules_adjustment(r, dot + 1);
    n->op = F_ADJ;
    n->type = VT_NUM;
    if (n->idx < 0) cerr(C, n, "no adjustment item '%s'", dot + 1);
    else if (lv != RULES_EMPLOYEE)
      cerr(C, n, "'%s' is an employee's input; a group formula uses "
           "sum(%s)", n->name, n->name);
    return true;
  }
  for (size_t k = 0; k < sizeof FIELD_PREFIXES / sizeof *FIELD_PREFIXES;
       k++) {
    const struct rules_input *in = &r->inputs[FIELD_PREFIXES[k].file];
    int c;
    if (strlen(FIELD_PREFIXES[k].prefix) != plen ||
        strncmp(n->name, FIELD_PREFIXES[k].prefix, plen) != 0)
      continue;
    c = rules_column(in, dot + 1);
    n->op = F_FIELD;
    if (c < 0) {
      cerr(C, n, "'%s' has no column '%s'", in->file ? in->file : "?",
           dot + 1);
      return true;
    }
    if (lv != FIELD_PREFIXES[k].level) {
      cerr(C, n, "'%s' is read at %s level, not in this formula",
           n->name, FIELD_PREFIXES[k].level == RULES_EMPLOYEE
           ? "employee" : "agency");
      return true;
    }
    n->idx2 = (int)FIELD_PREFIXES[k].file;
    n->idx = program_field_index(C->p, lv, FIELD_PREFIXES[k].file,
                                 (size_t)c);
    n->type = program_column_type(in->cols[c].type);
    return true;
  }
  return false;
}

static bool resolve_param(struct cctx *C, struct fnode *n)
{
  const struct rules_param *pa = rules_param(C->p->r, n->name);
  const struct rules_value *v;
  if (!pa) return false;
  v = rules_param_at(pa, C->p->ym);
  n->op = F_PARAM;
  n->type = VT_NUM;
  n->ref = pa;
  n->ref2 = v;
  if (!v) {
    cerr(C, n, "parameter '%s' has no value in force in %s (its first "
         "value is from %04d-%02d)", n->name, C->p->month_text,
         pa->values[0].from_ym / 12, pa->values[0].from_ym % 12 + 1);
    return true;
  }
  money_copy(&n->num, &v->value);
  return true;
}

static bool resolve_item_ref(struct cctx *C, struct fnode *n,
                             enum rules_level lv)
{
  int j = rules_item_index(C->p->r, n->name);
  const struct rules_item *it;
  if (j < 0) return false;
  it = &C->p->r->items[j];
  n->op = F_ITEM;
  n->idx = j;
  if (it->level != lv) {
    cerr(C, n, "'%s' is %s-level item; %s", n->name,
         it->level == RULES_EMPLOYEE ? "an employee" :
         it->level == RULES_AGENCY ? "an agency" : "a district",
         it->level < lv ? "a group formula reads it through sum(...)"
                        : "a lower level cannot read it");
    return true;
  }
  if (!compile_item(C, j)) {
    C->ok = false;            /* reported where it happened */
    return true;
  }
  n->type = C->p->item_type[j];
  return true;
}

static bool resolve_name(struct cctx *C, struct fnode *n,
                         enum rules_level lv)
{
  if (resolve_field(C, n, lv)) return C->ok;
  if (resolve_item_ref(C, n, lv)) return C->ok;
  if (resolve_param(C, n)) return C->ok;
  for (int k = 0; k < FACT_COUNT_; k++) {
    if (strcmp(n->name, FACT_NAMES[k]) == 0) {
      n->op = F_FACT;
      n->idx = k;
      n->type = C->p->facts[k].type;
      return true;
    }
  }
  if (rules_table(C->p->r, n->name))
    cerr(C, n, "'%s' is a table: use lookup(%s.column, key) or "
         "bracket(%s, x)", n->name, n->name, n->name);
  else
    cerr(C, n, "unknown name '%s' (not an item, parameter, input field or "
         "calendar fact)", n->name);
  return false;
}

static bool want(struct cctx *C, const struct fnode *a, enum vtype t,
                 const char *what)
{
  if (a->type == t) return true;
  cerr(C, a, "%s needs a %s here, got a %s", what, value_type_name(t),
       value_type_name(a->type));
  return false;
}

/* The table named by a lookup/bracket first argument: "table" or, with
** col, "table.column". Resolves a into F_TABLE. */
static bool resolve_table(struct cctx *C, struct fnode *a, bool with_col,
                          enum rules_table_kind kind)
{
  const struct rules_table *t = NULL;
  const char *dot;
  if (a->op != F_NAME) goto bad;
  if (!with_col) {
    t = rules_table(C->p->r, a->name);
    if (!t || t->kind != RULES_TABLE_BRACKET) goto bad;
    if (rules_table_col(t, "rate") < 0 ||
        rules_table_col(t, "deduction") < 0) {
      cerr(C, a, "bracket(%s, x) needs columns 'rate' and 'deduction'; "
           "use band(%s.column, x) to read another column", t->name,
           t->name);
      return false;
    }
    a->op = F_TABLE;
    a->ref = t;
    return true;
  }
  dot = strrchr(a->name, '.');
  if (dot) {
    char *tn = xstrndup(a->name, (size_t)(dot - a->name));
    t = rules_table(C->p->r, tn);
    free(tn);
  }
  if (!t || t->kind != kind) goto bad;
  a->idx2 = rules_table_col(t, dot + 1);
  if (a->idx2 < 0) {
    cerr(C, a, "table '%s' has no column '%s'", t->name, dot + 1);
    return false;
  }
  a->op = F_TABLE;
  a->ref = t;
  return true;
bad:
  cerr(C, a, !with_col ? "bracket needs a bracket table: bracket(table, x)"
       : kind == RULES_TABLE_LOOKUP ? "lookup needs a lookup table and "
       "column: lookup(table.column, key)" : "band needs a bracket table "
       "and column: band(table.column, x)");
  return false;
}

static int history_slot(int **items, size_t *n, int j)
{
  for (size_t i = 0; i < *n; i++)
    if ((*items)[i] == j) return (int)i;
  *items = xrealloc(*items, (*n + 1) * sizeof **items);
  (*items)[*n] = j;
  return (int)(*n)++;
}

/* ytd(item) and prev(item): an employee-level item read from history. */
static bool resolve_history(struct cctx *C, struct fnode *n,
                            enum rules_level lv)
{
  struct fnode *a = n->args[0];
  int j = a->op == F_NAME ? rules_item_index(C->p->r, a->name) : -1;
  if (j < 0 || lv != RULES_EMPLOYEE ||
      C->p->r->items[j].level != RULES_EMPLOYEE) {
    cerr(C, n, "%s(...) takes the name of an employee-level item",
         formula_op_name(n->op));
    return false;
  }
  a->op = F_ITEM;
  a->idx = j;
  a->type = VT_NUM;
  n->type = VT_NUM;
  if (n->op == F_YTD)
    n->idx = history_slot(&C->p->ytd_items, &C->p->nytd, j);
  else
    n->idx = history_slot(&C->p->prev_items, &C->p->nprev, j);
  return true;
}

/* sum(expr) / count([cond]) at group level lv: the argument is an
** expression of the level below, registered as an aggregate of lv. */
static bool resolve_agg(struct cctx *C, struct fnode *n, enum rules_level lv)
{
  struct program *p = C->p;
  if (lv == RULES_EMPLOYEE) {
    cerr(C, n, "%s(...) is for agency and district formulas",
         formula_op_name(n->op));
    return false;
  }
  n->type = VT_NUM;
  if (n->nargs == 1) {
    if (!resolve(C, n->args[0], (enum rules_level)(lv - 1))) return false;
    if (!want(C, n->args[0], n->op == F_SUM ? VT_NUM : VT_BOOL,
              formula_op_name(n->op)))
      return false;
  }
  p->agg[lv] = xrealloc(p->agg[lv], (p->nagg[lv] + 1) * sizeof *p->agg[lv]);
  n->idx = (int)p->nagg[lv];
  p->agg[lv][p->nagg[lv]++] = n;
  return true;
}

/* The value of n when it is made of literals and parameters only. */
static bool const_value(const struct fnode *n, struct money *out)
{
  struct money b = MONEY_ZERO;
  bool ok;
  switch (n->op) {
  case F_NUM:
  case F_PARAM:
    money_copy(out, &n->num);
    return true;
  case F_NEG:
    if (!const_value(n->args[0], out)) return false;
    money_neg(out, out);
    return true;
  case F_ADD: case F_SUB: case F_MUL: case F_DIV:
    ok = const_value(n->args[0], out) && const_value(n->args[1], &b);
    if (ok && n->op == F_ADD) money_add(out, out, &b);
    if (ok && n->op == F_SUB) money_sub(out, out, &b);
    if (ok && n->op == F_MUL) money_mul(out, out, &b);
    if (ok && n->op == F_DIV) ok = money_div(out, out, &b) == MONEY_OK;
    money_clear(&b);
    return ok;
  default:
    return false;
  }
}

static bool is_zero_const(const struct fnode *n)
{
  struct money v = MONEY_ZERO;
  bool zero = const_value(n, &v) && money_is_zero(&v);
  money_clear(&v);
  return zero;
}

static bool type_all(struct cctx *C, struct fnode *n, size_t from,
                     enum vtype t)
{
  bool ok = true;
  for (size_t i = from; i < n->nargs; i++)
    ok &= want(C, n->args[i], t, formula_op_name(n->op));
  return ok;
}

/* Types of a resolved call (args resolved except special positions). */
static bool type_call(struct cctx *C, struct fnode *n)
{
  struct fnode **a = n->args;
  switch (n->op) {
  case F_IF:
    n->type = a[1]->type;
    return want(C, a[0], VT_BOOL, "if") &&
           want(C, a[2], a[1]->type, "the 'else' of if");
  case F_MIN:
  case F_MAX:
    n->type = a[0]->type;
    if (a[0]->type != VT_DATE) return type_all(C, n, 0, VT_NUM);
    return type_all(C, n, 0, VT_DATE);
  case F_CLAMP:
  case F_ABS:
    n->type = VT_NUM;
    return type_all(C, n, 0, VT_NUM);
  case F_ROUND:
    n->type = VT_NUM;
    return want(C, a[0], VT_NUM, "round") && want(C, a[1], VT_NUM, "round");
  case F_LOOKUP:
    n->type = VT_NUM;
    if (a[1]->type != VT_TEXT && a[1]->type != VT_NUM)
      return want(C, a[1], VT_TEXT, "lookup's key");
    return n->nargs < 3 || want(C, a[2], VT_NUM, "lookup's default");
  case F_BRACKET:
  case F_BAND:
    n->type = VT_NUM;
    return type_all(C, n, 1, VT_NUM);
  case F_IN:
    n->type = VT_BOOL;
    return type_all(C, n, 1, a[0]->type);
  case F_WORKDAYS:
  case F_YEARS:
    n->type = VT_NUM;
    return type_all(C, n, 0, VT_DATE);
  case F_YTD_MONTHS:
    n->type = VT_NUM;
    return true;
  default:
    return true;
  }
}

static bool resolve_mode(struct cctx *C, struct fnode *a)
{
  enum money_round m;
  if (a->op != F_NAME || !money_round_parse(a->name, &m)) {
    cerr(C, a, "round's third argument is a mode: half_away, half_up, "
         "half_even, up, down, ceiling, floor or jian_fen_jin_jiao");
    return false;
  }
  a->op = F_MODE;
  a->idx = (int)m;
  return true;
}

static bool resolve_call(struct cctx *C, struct fnode *n,
                         enum rules_level lv)
{
  size_t k;
  for (k = 0; k < sizeof FUNCS / sizeof *FUNCS; k++)
    if (strcmp(n->name, FUNCS[k].name) == 0) break;
  if (k == sizeof FUNCS / sizeof *FUNCS) {
    cerr(C, n, "unknown function '%s'", n->name);
    return false;
  }
  n->op = FUNCS[k].op;
  if (n->nargs < FUNCS[k].min || n->nargs > FUNCS[k].max) {
    cerr(C, n, "%s takes %zu%s argument%s, not %zu", n->name, FUNCS[k].min,
         FUNCS[k].max > FUNCS[k].min ? " or more" : "",
         FUNCS[k].min == 1 ? "" : "s", n->nargs);
    return false;
  }
  if (n->op == F_YTD || n->op == F_PREV) return resolve_history(C, n, lv);
  if (n->op == F_SUM || n->op == F_COUNT) return resolve_agg(C, n, lv);
  if (n->op == F_PRESENT) {
    n->type = VT_BOOL;
    if (n->args[0]->op != F_NAME || !resolve_field(C, n->args[0], lv) ||
        n->args[0]->op != F_FIELD) {
      if (C->ok) cerr(C, n, "present(...) takes an input field");
      return false;
    }
    return C->ok;
  }
  if (n->op == F_YTD_MONTHS && lv != RULES_EMPLOYEE) {
    cerr(C, n, "ytd_months() is for employee formulas");
    return false;
  }
  for (size_t i = 0; i < n->nargs; i++) {
    bool ok;
    if (i == 0 && n->op == F_LOOKUP)
      ok = resolve_table(C, n->args[0], true, RULES_TABLE_LOOKUP);
    else if (i == 0 && n->op == F_BAND)
      ok = resolve_table(C, n->args[0], true, RULES_TABLE_BRACKET);
    else if (i == 0 && n->op == F_BRACKET)
      ok = resolve_table(C, n->args[0], false, RULES_TABLE_BRACKET);
    else if (i == 2 && n->op == F_ROUND) ok = resolve_mode(C, n->args[2]);
    else ok = resolve(C, n->args[i], lv);
    if (!ok) return false;
  }
  if (n->op == F_ROUND && (n->args[1]->op != F_NUM ||
                           money_sgn(&n->args[1]->num) <= 0)) {
    cerr(C, n->args[1], "round's step is a positive number such as 0.01");
    return false;
  }
  return type_call(C, n);
}

static bool resolve_operator(struct cctx *C, struct fnode *n)
{
  struct fnode *a = n->args[0], *b = n->nargs > 1 ? n->args[1] : NULL;
  const char *op = formula_op_name(n->op);
  switch (n->op) {
  case F_NEG:
    n->type = VT_NUM;
    return want(C, a, VT_NUM, "'-'");
  case F_NOT:
    n->type = VT_BOOL;
    return want(C, a, VT_BOOL, "'not'");
  case F_AND:
  case F_OR:
    n->type = VT_BOOL;
    return want(C, a, VT_BOOL, op) && want(C, b, VT_BOOL, op);
  case F_ADD:
  case F_SUB:
  case F_MUL:
  case F_DIV:
    n->type = VT_NUM;
    if (!want(C, a, VT_NUM, op) || !want(C, b, VT_NUM, op)) return false;
    if (n->op == F_DIV && is_zero_const(b)) {
      cerr(C, b, "division by zero");
      return false;
    }
    return true;
  default:                                 /* comparisons */
    n->type = VT_BOOL;
    if (a->type == VT_BOOL ||
        (a->type == VT_TEXT && n->op != F_EQ && n->op != F_NE)) {
      cerr(C, n, "'%s' cannot compare %s values", op,
           value_type_name(a->type));
      return false;
    }
    return want(C, b, a->type, op);
  }
}

/* Resolve names and check types of n at level lv. */
static bool resolve(struct cctx *C, struct fnode *n, enum rules_level lv)
{
  switch (n->op) {
  case F_NUM:
    n->type = VT_NUM;
    return true;
  case F_BOOL:
    n->type = VT_BOOL;
    return true;
  case F_TEXT:
    n->type = VT_TEXT;
    return true;
  case F_NAME:
    return resolve_name(C, n, lv);
  case F_CALL:
    return resolve_call(C, n, lv);
  default:
    for (size_t i = 0; i < n->nargs; i++)
      if (!resolve(C, n->args[i], lv)) return false;
    return resolve_operator(C, n);
  }
}

static void report_cycle(struct cctx *C, int j)
{
  const struct rules *r = C->p->r;
  const struct rules_item *it = &r->items[j];
  char path[1024] = "";
  size_t from = 0;
  for (size_t i = 0; i < C->nstack; i++)
    if (C->stack[i] == j) from = i;
  for (size_t i = from; i < C->nstack; i++) {
    strncat(path, r->items[C->stack[i]].name, sizeof path - strlen(path) - 1);
    strncat(path, " -> ", sizeof path - strlen(path) - 1);
  }
  strncat(path, it->name, sizeof path - strlen(path) - 1);
  diag_add(C->d, it->formula_pos.file, it->formula_pos.line,
           it->formula_pos.col, it->name, "items depend on each other in a "
           "cycle: %s", path);
}

static bool compile_item(struct cctx *C, int j)
{
  struct program *p = C->p;
  const struct rules_item *it = &p->r->items[j];
  struct cctx sub = *C;
  bool ok;

  if (C->state[j] == ST_DONE) return p->items[j] != NULL;
  if (C->state[j] == ST_BUSY) {
    report_cycle(C, j);
    return false;
  }
  C->state[j] = ST_BUSY;
  C->stack[C->nstack++] = j;
  p->items[j] = formula_parse(it->formula, it->formula_pos.file,
                              it->formula_pos.line, it->formula_pos.col,
                              C->d);
  sub.file = it->formula_pos.file;
  sub.ok = true;
  sub.nstack = C->nstack;
  ok = p->items[j] && resolve(&sub, p->items[j], it->level) && sub.ok;
  C->nstack--;
  C->state[j] = ST_DONE;
  if (ok && it->rounded && p->items[j]->type != VT_NUM) {
    diag_add(C->d, it->pos.file, it->pos.line, it->pos.col, it->name,
             "only a number can be rounded; this item is a %s",
             value_type_name(p->items[j]->type));
    ok = false;
  }
  if (!ok) {
    formula_free(p->items[j]);
    p->items[j] = NULL;
    return false;
  }
  p->item_type[j] = p->items[j]->type;
  p->order[it->level][p->norder[it->level]++] = j;
  return true;
}

static bool compile_check(struct cctx *C, size_t k)
{
  struct program *p = C->p;
  const struct rules_check *c = &p->r->checks[k];
  struct cctx sub = *C;
  bool ok = true;

  p->check_show[k] = xcalloc(c->nshow + 1, sizeof **p->check_show);
  for (size_t i = 0; i < c->nshow; i++) {
    int j = rules_item_index(p->r, c->show[i]);
    if (j < 0 || p->r->items[j].level != c->level) {
      diag_add(C->d, c->pos.file, c->pos.line, c->pos.col, c->name,
               "'show' names '%s', which is not an item of this level",
               c->show[i]);
      ok = false;
    }
    p->check_show[k][i] = j;
  }
  p->checks[k] = formula_parse(c->rule, c->rule_pos.file, c->rule_pos.line,
                               c->rule_pos.col, C->d);
  sub.file = c->rule_pos.file;
  sub.ok = true;
  if (!p->checks[k] || !resolve(&sub, p->checks[k], c->level) || !sub.ok)
    return false;
  if (p->checks[k]->type != VT_BOOL) {
    diag_add(C->d, c->rule_pos.file, c->rule_pos.line, c->rule_pos.col,
             c->name, "a check's rule must be true or false");
    return false;
  }
  return ok;
}

static bool compile_journal(struct cctx *C)
{
  struct program *p = C->p;
  const struct rules *r = p->r;
  size_t n = 0;
  bool ok = true;
  for (size_t t = 0; t < r->ntxns; t++) n += r->txns[t].nlines;
  p->journal = xcalloc(n + 1, sizeof *p->journal);
  for (size_t t = 0; t < r->ntxns; t++) {
    for (size_t l = 0; l < r->txns[t].nlines; l++) {
      const struct rules_jline *jl = &r->txns[t].lines[l];
      struct cctx sub = *C;
      struct fnode *f = formula_parse(jl->formula, jl->formula_pos.file,
                                      jl->formula_pos.line,
                                      jl->formula_pos.col, C->d);
      p->journal[p->njournal++] = f;
      sub.file = jl->formula_pos.file;
      sub.ok = true;
      if (!f || !resolve(&sub, f, RULES_AGENCY) || !sub.ok ||
          !want(&sub, f, VT_NUM, "a journal amount"))
        ok = false;
    }
  }
  return ok;
}

static void set_facts(struct program *p)
{
  struct value *f = p->facts;
  cal_format_month(p->ym, p->month_text);
  f[FACT_MONTH_START].type = VT_DATE;
  f[FACT_MONTH_START].u.date = cal_month_first(p->ym);
  f[FACT_MONTH_END].type = VT_DATE;
  f[FACT_MONTH_END].u.date = cal_month_last(p->ym);
  f[FACT_MONTH].type = VT_TEXT;
  f[FACT_MONTH].u.text = p->month_text;
  f[FACT_MONTH_OF_YEAR].type = VT_NUM;
  money_set_int(&f[FACT_MONTH_OF_YEAR].u.num, p->ym % 12 + 1);
  f[FACT_YEAR].type = VT_NUM;
  money_set_int(&f[FACT_YEAR].u.num, p->ym / 12);
  for (int k = 0; k < FACT_COUNT_; k++) f[k].present = true;
}

/* Every history slot must name a number item; ytd-opening columns must
** name items. */
static bool check_history(struct program *p, struct diag_list *d)
{
  bool ok = true;
  for (size_t i = 0; i < p->nytd + p->nprev; i++) {
    int j = i < p->nytd ? p->ytd_items[i] : p->prev_items[i - p->nytd];
    const struct rules_item *it = &p->r->items[j];
    if (p->items[j] && p->item_type[j] != VT_NUM) {
      diag_add(d, it->pos.file, it->pos.line, it->pos.col, it->name,
               "ytd()/prev() need a number item");
      ok = false;
    }
  }
  for (size_t i = 0; i < p->r->nopening; i++) {
    const struct rules_opening *o = &p->r->opening[i];
    if (rules_item_index(p->r, o->item) < 0) {
      diag_add(d, o->pos.file, o->pos.line, o->pos.col, o->column,
               "history opening names no item '%s'", o->item);
      ok = false;
    }
  }
  return ok;
}

struct program *program_compile(const struct rules *r, int ym,
                                struct diag_list *d)
{
  struct program *p = xcalloc(1, sizeof *p);
  struct cctx C;
  size_t before = diag_count(d);

  p->r = r;
  p->ym = ym;
  set_facts(p);
  p->items = xcalloc(r->nitems, sizeof *p->items);
  p->item_type = xcalloc(r->nitems, sizeof *p->item_type);
  for (int lv = 0; lv < RULES_LEVELS; lv++)
    p->order[lv] = xcalloc(r->nitems, sizeof *p->order[lv]);
  p->checks = xcalloc(r->nchecks, sizeof *p->checks);
  p->check_show = xcalloc(r->nchecks, sizeof *p->check_show);
  p->nfields[RULES_EMPLOYEE] = r->inputs[RULES_F_ROSTER].ncols +
                               r->inputs[RULES_F_ATTENDANCE].ncols;
  p->nfields[RULES_AGENCY] = r->inputs[RULES_F_AGENCIES].ncols +
                             r->inputs[RULES_F_SATISFACTION].ncols;
  memset(&C, 0, sizeof C);
  C.p = p;
  C.d = d;
  C.state = xcalloc(r->nitems, sizeof *C.state);
  C.stack = xcalloc(r->nitems, sizeof *C.stack);
  if (!cal_covers_month(&r->cal, ym)) {
    diag_add(d, r->files[0], 0, 0, NULL, "the rule set's calendar covers "
             "%d..%d, not %s", r->cal.year_first, r->cal.year_last,
             p->month_text);
  }
  for (size_t j = 0; j < r->nitems; j++) (void)compile_item(&C, (int)j);
  for (size_t k = 0; k < r->nchecks; k++) (void)compile_check(&C, k);
  (void)compile_journal(&C);
  (void)check_history(p, d);
  free(C.state);
  free(C.stack);
  if (diag_count(d) != before) {
    program_free(p);
    return NULL;
  }
  return p;
}

void program_free(struct program *p)
{
  if (!p) return;
  for (size_t j = 0; j < p->r->nitems; j++) formula_free(p->items[j]);
  for (size_t k = 0; k < p->r->nchecks; k++) {
    formula_free(p->checks[k]);
    free(p->check_show[k]);
  }
  for (int lv = 0; lv < RULES_LEVELS; lv++) {
    free(p->order[lv]);
    free(p->agg[lv]);
  }
  for (int k = 0; k < FACT_COUNT_; k++) value_clear(&p->facts[k]);
  for (size_t k = 0; k < p->njournal; k++) formula_free(p->journal[k]);
  free(p->journal);
  free(p->items);
  free(p->item_type);
  free(p->checks);
  free(p->check_show);
  free(p->ytd_items);
  free(p->prev_items);
  free(p);
}
