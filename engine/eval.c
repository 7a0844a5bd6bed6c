/*
** eval.c -- evaluating compiled formulas in a frame.
**
** Every function here returns false after adding a problem to the frame's
** diag list; values are exact (money.h) and each temporary is cleared on
** every path.
*/
#include "program.h"
#include "util.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *value_type_name(enum vtype t)
{
  switch (t) {
  case VT_NUM: return "number";
  case VT_BOOL: return "boolean";
  case VT_TEXT: return "text";
  case VT_DATE: return "date";
  default: return "nothing";
  }
}

void value_copy(struct value *dst, const struct value *src)
{
  if (dst == src) return;
  value_clear(dst);
  dst->type = src->type;
  dst->present = src->present;
  if (src->type == VT_NUM) {
    dst->u.num = MONEY_ZERO;
    money_copy(&dst->u.num, &src->u.num);
  } else {
    dst->u = src->u;
  }
}

static void set_num(struct value *v, const struct money *m)
{
  value_clear(v);
  v->type = VT_NUM;
  v->present = true;
  money_copy(&v->u.num, m);
}

static void set_bool(struct value *v, bool b)
{
  value_clear(v);
  v->type = VT_BOOL;
  v->present = true;
  v->u.b = b;
}

static bool rerr(struct frame *f, const struct fnode *n, const char *fmt,
                 ...) __attribute__((format(printf, 3, 4)));

static bool rerr(struct frame *f, const struct fnode *n, const char *fmt,
                 ...)
{
  char msg[512];
  const struct rules_item *it = f->cur_item >= 0
    ? &f->p->r->items[f->cur_item] : NULL;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  diag_add(f->d, it ? it->formula_pos.file : NULL, n->line, n->col, NULL,
           "%s %s: item %s: %s", f->level == RULES_EMPLOYEE ? "employee"
           : f->level == RULES_AGENCY ? "agency" : "district",
           f->who ? f->who : "", it ? it->name : "?", msg);
  return false;
}

static bool eval(struct frame *f, const struct fnode *n, struct value *out);

static bool arith(struct frame *f, const struct fnode *n, struct value *out)
{
  struct value a, b;
  bool ok = true;
  value_init(&a);
  value_init(&b);
  if (!eval(f, n->args[0], &a) || !eval(f, n->args[1], &b)) {
    ok = false;
    goto done;
  }
  set_num(out, &a.u.num);
  switch (n->op) {
  case F_ADD: money_add(&out->u.num, &a.u.num, &b.u.num); break;
  case F_SUB: money_sub(&out->u.num, &a.u.num, &b.u.num); break;
  case F_MUL: money_mul(&out->u.num, &a.u.num, &b.u.num); break;
  default:
    if (money_div(&out->u.num, &a.u.num, &b.u.num) != MONEY_OK)
      ok = rerr(f, n, "division by zero");
    break;
  }
done:
  value_clear(&a);
  value_clear(&b);
  return ok;
}

/* -1, 0, 1 comparing two values of the same type. */
static int vcmp(const struct value *a, const struct value *b)
{
  switch (a->type) {
  case VT_NUM: return money_cmp(&a->u.num, &b->u.num);
  case VT_DATE: return (a->u.date > b->u.date) - (a->u.date < b->u.date);
  case VT_TEXT: {
    int c = strcmp(a->u.text, b->u.text);
    return (c > 0) - (c < 0);
  }
  case VT_BOOL: return (int)a->u.b - (int)b->u.b;
  default: return 0;
  }
}

static bool compare(struct frame *f, const struct fnode *n,
                    struct value *out)
{
  struct value a, b;
  bool ok, r = false;
  int c;
  value_init(&a);
  value_init(&b);
  ok = eval(f, n->args[0], &a) && eval(f, n->args[1], &b);
  if (ok) {
    c = vcmp(&a, &b);
    switch (n->op) {
    case F_EQ: r = c == 0; break;
    case F_NE: r = c != 0; break;
    case F_LT: r = c < 0; break;
    case F_LE: r = c <= 0; break;
    case F_GT: r = c > 0; break;
    default: r = c >= 0; break;
    }
    set_bool(out, r);
  }
  value_clear(&a);
  value_clear(&b);
  return ok;
}

static bool logic(struct frame *f, const struct fnode *n, struct value *out)
{
  struct value a;
  bool ok;
  value_init(&a);
  ok = eval(f, n->args[0], &a);
  if (ok && n->op == F_NOT) set_bool(out, !a.u.b);
  else if (ok && ((n->op == F_AND && !a.u.b) || (n->op == F_OR && a.u.b)))
    set_bool(out, a.u.b);                       /* short circuit */
  else if (ok) ok = eval(f, n->args[1], out);
  value_clear(&a);
  return ok;
}

static bool minmax(struct frame *f, const struct fnode *n, struct value *out)
{
  struct value x;
  bool ok = eval(f, n->args[0], out);
  value_init(&x);
  for (size_t i = 1; ok && i < n->nargs; i++) {
    ok = eval(f, n->args[i], &x);
    if (ok && (n->op == F_MIN ? vcmp(&x, out) < 0 : vcmp(&x, out) > 0))
      value_copy(out, &x);
  }
  value_clear(&x);
  return ok;
}

static bool clamp(struct frame *f, const struct fnode *n, struct value *out)
{
  struct value lo, hi;
  bool ok;
  value_init(&lo);
  value_init(&hi);
  ok = eval(f, n->args[0], out) && eval(f, n->args[1], &lo) &&
       eval(f, n->args[2], &hi);
  if (ok && vcmp(&lo, &hi) > 0)
    ok = rerr(f, n, "clamp's lower bound is above its upper bound");
  if (ok && vcmp(out, &lo) < 0) value_copy(out, &lo);
  if (ok && vcmp(out, &hi) > 0) value_copy(out, &hi);
  value_clear(&lo);
  value_clear(&hi);
  return ok;
}

/* The key of a lookup as text: text as is, a number as its exact decimal
** (grade 3 -> "3"). */
static const char *key_text(const struct value *k, char *buf, size_t cap)
{
  if (k->type == VT_TEXT) return k->u.text;
  if (money_format_exact(&k->u.num, buf, cap) != 0) return "";
  return buf;
}

static bool lookup(struct frame *f, const struct fnode *n, struct value *out)
{
  const struct rules_table *t = n->args[0]->ref;
  const struct rules_row *row;
  struct value k;
  char buf[MONEY_TEXT_MAX + 8];
  bool ok;

  value_init(&k);
  ok = eval(f, n->args[1], &k);
  if (!ok) goto done;
  row = rules_table_row(t, key_text(&k, buf, sizeof buf));
  if (row)
    set_num(out, &row->cells[n->args[0]->idx2]);
  else if (n->nargs == 3)
    ok = eval(f, n->args[2], out);
  else
    ok = rerr(f, n, "table %s has no row '%s'", t->name,
              key_text(&k, buf, sizeof buf));
done:
  value_clear(&k);
  return ok;
}

const struct rules_row *eval_bracket_row(const struct rules_table *t,
                                         const struct money *x)
{
  for (size_t i = 0; i < t->nrows; i++)
    if (t->rows[i].unbounded || money_cmp(x, &t->rows[i].upto) <= 0)
      return &t->rows[i];
  return NULL;
}

static bool bracket(struct frame *f, const struct fnode *n,
                    struct value *out)
{
  const struct rules_table *t = n->args[0]->ref;
  int rate = rules_table_col(t, "rate"), ded = rules_table_col(t, "deduction");
  const struct rules_row *row;
  struct value x, key;
  bool ok;

  value_init(&x);
  value_init(&key);
  ok = eval(f, n->args[1], &x) &&
       (n->nargs < 3 || eval(f, n->args[2], &key));
  if (!ok) goto done;
  if (rate < 0 || ded < 0) {
    ok = rerr(f, n, "bracket table %s needs columns 'rate' and "
              "'deduction'", t->name);
    goto done;
  }
  row = eval_bracket_row(t, n->nargs == 3 ? &key.u.num : &x.u.num);
  ALWAYS_ASSERT(row != NULL);       /* the last row is unbounded */
  set_num(out, &x.u.num);
  money_mul(&out->u.num, &x.u.num, &row->cells[rate]);
  money_sub(&out->u.num, &out->u.num, &row->cells[ded]);
done:
  value_clear(&x);
  value_clear(&key);
  return ok;
}

static bool band(struct frame *f, const struct fnode *n, struct value *out)
{
  const struct rules_table *t = n->args[0]->ref;
  const struct rules_row *row;
  struct value x;
  value_init(&x);
  if (!eval(f, n->args[1], &x)) {
    value_clear(&x);
    return false;
  }
  row = eval_bracket_row(t, &x.u.num);
  ALWAYS_ASSERT(row != NULL);
  set_num(out, &row->cells[n->args[0]->idx2]);
  value_clear(&x);
  return true;
}

static bool in_list(struct frame *f, const struct fnode *n,
                    struct value *out)
{
  struct value x, y;
  bool ok, found = false;
  value_init(&x);
  value_init(&y);
  ok = eval(f, n->args[0], &x);
  for (size_t i = 1; ok && !found && i < n->nargs; i++) {
    ok = eval(f, n->args[i], &y);
    found = ok && vcmp(&x, &y) == 0;
  }
  if (ok) set_bool(out, found);
  value_clear(&x);
  value_clear(&y);
  return ok;
}

static bool dates(struct frame *f, const struct fnode *n, struct value *out)
{
  const struct calendar *cal = &f->p->r->cal;
  struct value a, b;
  struct money m = MONEY_ZERO;
  bool ok;
  value_init(&a);
  value_init(&b);
  ok = eval(f, n->args[0], &a) && eval(f, n->args[1], &b);
  if (!ok) goto done;
  if (n->op == F_YEARS) {
    money_set_int(&m, cal_years_between(a.u.date, b.u.date));
  } else if (b.u.date < a.u.date) {
    money_set_int(&m, 0);
  } else if (!cal_covers(cal, a.u.date) || !cal_covers(cal, b.u.date)) {
    ok = rerr(f, n, "dates outside the calendar's years %d..%d",
              cal->year_first, cal->year_last);
    goto done;
  } else {
    money_set_int(&m, cal_work_days(cal, a.u.date, b.u.date));
  }
  set_num(out, &m);
done:
  money_clear(&m);
  value_clear(&a);
  value_clear(&b);
  return ok;
}

static bool round_call(struct frame *f, const struct fnode *n,
                       struct value *out)
{
  if (!eval(f, n->args[0], out)) return false;
  (void)money_round(&out->u.num, &out->u.num, &n->args[1]->num,
                    (enum money_round)n->args[2]->idx);
  return true;
}

static bool if_call(struct frame *f, const struct fnode *n,
                    struct value *out)
{
  struct value c;
  bool ok;
  value_init(&c);
  ok = eval(f, n->args[0], &c);
  if (ok) ok = eval(f, n->args[c.u.b ? 1 : 2], out);
  value_clear(&c);
  return ok;
}

static bool eval(struct frame *f, const struct fnode *n, struct value *out)
{
  switch (n->op) {
  case F_NUM:
  case F_PARAM: set_num(out, &n->num); return true;
  case F_BOOL: set_bool(out, n->b); return true;
  case F_TEXT:
    value_clear(out);
    out->type = VT_TEXT;
    out->present = true;
    out->u.text = n->text;
    return true;
  case F_ITEM: value_copy(out, &f->items[n->idx]); return true;
  case F_FIELD: value_copy(out, &f->fields[n->idx]); return true;
  case F_ADJ: set_num(out, &f->adj[n->idx]); return true;
  case F_FACT: value_copy(out, &f->p->facts[n->idx]); return true;
  case F_YTD: set_num(out, &f->ytd[n->idx]); return true;
  case F_PREV: set_num(out, &f->prev[n->idx]); return true;
  case F_YTD_MONTHS: set_num(out, &f->ytd_months); return true;
  case F_SUM:
  case F_COUNT: set_num(out, &f->agg[n->idx]); return true;
  case F_PRESENT: set_bool(out, f->fields[n->args[0]->idx].present);
    return true;
  case F_NEG:
  case F_ABS:
    if (!eval(f, n->args[0], out)) return false;
    if (n->op == F_NEG) money_neg(&out->u.num, &out->u.num);
    else money_abs(&out->u.num, &out->u.num);
    return true;
  case F_ADD: case F_SUB: case F_MUL: case F_DIV: return arith(f, n, out);
  case F_EQ: case F_NE: case F_LT: case F_LE: case F_GT: case F_GE:
    return compare(f, n, out);
  case F_AND: case F_OR: case F_NOT: return logic(f, n, out);
  case F_IF: return if_call(f, n, out);
  case F_MIN: case F_MAX: return minmax(f, n, out);
  case F_CLAMP: return clamp(f, n, out);
  case F_ROUND: return round_call(f, n, out);
  case F_LOOKUP: return lookup(f, n, out);
  case F_BRACKET: return bracket(f, n, out);
  case F_BAND: return band(f, n, out);
  case F_IN: return in_list(f, n, out);
  case F_WORKDAYS: case F_YEARS: return dates(f, n, out);
  default:
    ALWAYS_ASSERT(!"formula node was not resolved");
    return false;
  }
}

bool program_eval(const struct program *p, struct frame *f,
                  const struct fnode *n, struct value *out)
{
  (void)p;
  return eval(f, n, out);
}

size_t program_run(const struct program *p, struct frame *f)
{
  size_t before = diag_count(f->d);
  const enum rules_level lv = f->level;
  struct value v;

  value_init(&v);
  for (size_t k = 0; k < p->norder[lv]; k++) {
    int j = p->order[lv][k];
    const struct rules_item *it = &p->r->items[j];
    f->cur_item = j;
    if (!eval(f, p->items[j], &v)) {
      /* keep going with a zero of the right type, so that one problem
      ** does not hide the others of the same run */
      value_clear(&v);
      v.type = p->item_type[j];
      if (v.type == VT_TEXT) v.u.text = "";
    }
    if (f->unrounded) value_copy(&f->unrounded[j], &v);
    if (it->rounded)
      (void)money_round(&v.u.num, &v.u.num, &it->round_step,
                        it->round_mode);
    value_copy(&f->items[j], &v);
  }
  f->cur_item = -1;
  value_clear(&v);
  return diag_count(f->d) - before;
}

static void check_message(const struct program *p, const struct frame *f,
                          size_t k, char *buf, size_t cap)
{
  const struct rules_check *c = &p->r->checks[k];
  size_t n = (size_t)snprintf(buf, cap, "%s", c->message);
  for (size_t i = 0; i < c->nshow && n < cap; i++) {
    char val[64];
    const struct rules_item *it = &p->r->items[p->check_show[k][i]];
    program_format(&f->items[p->check_show[k][i]], 0, val, sizeof val);
    n += (size_t)snprintf(buf + n, cap - n, "%s%s %s", i ? ", " : " (",
                          it->name, val);
    if (i + 1 == c->nshow && n < cap)
      n += (size_t)snprintf(buf + n, cap - n, ")");
  }
}

/* The file role a check's 'field' (roster.x, attendance.x) names. */
static int field_role(const char *field)
{
  static const char *const roles[RULES_FILES] = {
    "agency.", "roster.", "attendance.", "adjust.", "satisfaction.", "ytd."
  };
  for (int i = 0; field && i < RULES_FILES; i++)
    if (strncmp(field, roles[i], strlen(roles[i])) == 0) return i;
  return -1;
}

/* "hire_date (入职日期)" for a column of the file, else the name alone. */
static const char *field_label(const struct rules_input *in, const char *col,
                               char *buf, size_t cap)
{
  int c = rules_column(in, col);
  if (c >= 0 && in->cols[c].zh) snprintf(buf, cap, "%s (%s)", col,
                                         in->cols[c].zh);
  else snprintf(buf, cap, "%s", col);
  return buf;
}

size_t program_check(const struct program *p, struct frame *f,
                     const char *const paths[RULES_FILES],
                     const unsigned long lines[RULES_FILES])
{
  size_t failed = 0;
  struct value v;
  value_init(&v);
  for (size_t k = 0; k < p->r->nchecks; k++) {
    const struct rules_check *c = &p->r->checks[k];
    char msg[512], label[128];
    int role;
    const char *dot;
    if (c->level != f->level) continue;
    f->cur_item = -1;
    if (!eval(f, p->checks[k], &v) || v.u.b) continue;
    failed++;
    role = field_role(c->field);
    if (role < 0) role = f->level == RULES_EMPLOYEE ? RULES_F_ROSTER
                                                    : RULES_F_AGENCIES;
    dot = c->field ? strchr(c->field, '.') : NULL;
    check_message(p, f, k, msg, sizeof msg);
    diag_add(f->d, paths[role], lines[role], 0,
             dot ? field_label(&p->r->inputs[role], dot + 1, label,
                               sizeof label) : NULL,
             "%s %s: %s", f->level == RULES_EMPLOYEE ? "employee" : "agency",
             f->who ? f->who : "", msg);
  }
  value_clear(&v);
  return failed;
}

void program_accumulate(const struct program *p, struct frame *f,
                        struct money *acc)
{
  const int up = f->level + 1;
  struct value v;
  value_init(&v);
  ALWAYS_ASSERT(up < RULES_LEVELS);
  for (size_t k = 0; k < p->nagg[up]; k++) {
    const struct fnode *n = p->agg[up][k];
    f->cur_item = -1;
    if (n->nargs == 0) {
      money_add(&acc[k], &acc[k], &MONEY_ONE);
      continue;
    }
    if (!eval(f, n->args[0], &v)) continue;
    if (n->op == F_SUM) money_add(&acc[k], &acc[k], &v.u.num);
    else if (v.u.b) money_add(&acc[k], &acc[k], &MONEY_ONE);
  }
  value_clear(&v);
}

int program_format(const struct value *v, int min_decimals, char *buf,
                   size_t cap)
{
  switch (v->type) {
  case VT_NUM:
    return money_format(&v->u.num, (unsigned)(min_decimals < 0 ? 0
                        : min_decimals), 10, buf, cap);
  case VT_BOOL:
    snprintf(buf, cap, "%s", v->u.b ? "true" : "false");
    return 0;
  case VT_DATE:
    if (cap < 11) return -1;
    cal_format_date(v->u.date, buf);
    return 0;
  case VT_TEXT:
    snprintf(buf, cap, "%s", v->u.text);
    return 0;
  default:
    snprintf(buf, cap, "%s", "");
    return 0;
  }
}

size_t program_journal(const struct program *p, struct frame *f,
                       int64_t *fen)
{
  const struct rules *r = p->r;
  size_t before = diag_count(f->d), k = 0;
  struct value v;
  value_init(&v);
  f->cur_item = -1;
  for (size_t t = 0; t < r->ntxns; t++) {
    const struct rules_txn *tx = &r->txns[t];
    int64_t dr = 0, cr = 0;
    for (size_t l = 0; l < tx->nlines; l++, k++) {
      const struct rules_jline *jl = &tx->lines[l];
      fen[k] = 0;
      if (!eval(f, p->journal[k], &v)) continue;
      if (money_to_fen(&v.u.num, &fen[k]) != MONEY_OK) {
        diag_add(f->d, jl->formula_pos.file, jl->formula_pos.line,
                 jl->formula_pos.col, NULL, "agency %s: journal %s, %s: the "
                 "amount is not a whole number of fen", f->who, tx->name,
                 jl->account);
        continue;
      }
      if (jl->debit) dr += fen[k];
      else cr += fen[k];
    }
    if (dr != cr) {                 /* always on: never plugged */
      char ds[32], cs[32];
      struct money m = MONEY_ZERO;
      money_from_fen(&m, dr);
      money_format(&m, 2, 2, ds, sizeof ds);
      money_from_fen(&m, cr);
      money_format(&m, 2, 2, cs, sizeof cs);
      money_clear(&m);
      diag_add(f->d, tx->pos.file, tx->pos.line, tx->pos.col, NULL,
               "agency %s: journal %s does not balance (debits %s, credits "
               "%s); the month is refused", f->who, tx->name, ds, cs);
    }
  }
  value_clear(&v);
  return diag_count(f->d) - before;
}
