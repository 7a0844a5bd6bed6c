/*
** inputs.c -- one month's input files, read and checked.
*/
#include "inputs.h"
#include "util.h"
#include "vfs.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

/* One file being read: its schema and where each schema column is. */
struct reader {
  const struct program *p;
  const struct rules_input *schema;
  enum rules_file role;
  struct csvin_file *f;
  const char *path;
  int *at;                  /* schema column -> csv field index, or -1 */
  struct strmap *unique;    /* per schema column */
  struct diag_list *d;
  const struct inputs *in;
  size_t form_problems;     /* problems csvin found in the file's form */
};

static const char *col_label(const struct rules_column *c, char *buf,
                             size_t cap)
{
  if (c->zh) snprintf(buf, cap, "%s (%s)", c->name, c->zh);
  else snprintf(buf, cap, "%s", c->name);
  return buf;
}

static void rproblem(struct reader *R, unsigned long line,
                     const struct rules_column *c, const char *fmt, ...)
  __attribute__((format(printf, 4, 5)));

static void rproblem(struct reader *R, unsigned long line,
                     const struct rules_column *c, const char *fmt, ...)
{
  char msg[512], lab[128];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  diag_add(R->d, R->path, line, 0, c ? col_label(c, lab, sizeof lab) : NULL,
           "%s", msg);
}

/* Map the header to the schema: English or Chinese names, any order. */
static bool map_header(struct reader *R)
{
  const struct csvin_row *h = &R->f->header;
  bool ok = true;
  R->at = xmalloc(R->schema->ncols * sizeof *R->at);
  for (size_t c = 0; c < R->schema->ncols; c++) R->at[c] = -1;
  for (size_t i = 0; i < h->nfields; i++) {
    size_t c;
    for (c = 0; c < R->schema->ncols; c++) {
      const struct rules_column *col = &R->schema->cols[c];
      if (strcmp(h->fields[i], col->name) == 0 ||
          (col->zh && strcmp(h->fields[i], col->zh) == 0))
        break;
    }
    if (c == R->schema->ncols) {
      diag_add(R->d, R->path, h->line, i + 1, h->fields[i], "unknown "
               "column; the columns of %s are those of inputs.md (English "
               "or Chinese names)", R->schema->file);
      ok = false;
    } else if (R->at[c] >= 0) {
      if (strcmp(h->fields[R->at[c]], h->fields[i]) != 0)  /* else csvin */
        diag_add(R->d, R->path, h->line, i + 1, h->fields[i], "column "
                 "given twice (as '%s' and '%s')", h->fields[R->at[c]],
                 h->fields[i]);
      ok = false;
    } else {
      R->at[c] = (int)i;
    }
  }
  for (size_t c = 0; c < R->schema->ncols; c++) {
    char lab[128];
    if (R->at[c] < 0 && R->schema->cols[c].required) {
      diag_add(R->d, R->path, h->line, 0, NULL, "required column %s is "
               "missing", col_label(&R->schema->cols[c], lab, sizeof lab));
      ok = false;
    }
  }
  return ok;
}

static const int ID_WEIGHTS[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10,
                                   5, 8, 4, 2};

const char *inputs_check_resident_id(const char *s, int32_t *birth,
                                     char *why, size_t cap)
{
  static const char CHECK[] = "10X98765432";
  int sum = 0, y, m, d;
  char want;
  if (strlen(s) != 18) return "18 characters (a resident ID number)";
  for (int i = 0; i < 17; i++) {
    if (!isdigit((unsigned char)s[i]))
      return "17 digits and a check character (a resident ID number)";
    sum += (s[i] - '0') * ID_WEIGHTS[i];
  }
  want = CHECK[sum % 11];
  if (toupper((unsigned char)s[17]) != want) {
    snprintf(why, cap, "the check character %c (GB 11643), not %c", want,
             s[17]);
    return why;
  }
  y = (s[6] - '0') * 1000 + (s[7] - '0') * 100 + (s[8] - '0') * 10 +
      (s[9] - '0');
  m = (s[10] - '0') * 10 + (s[11] - '0');
  d = (s[12] - '0') * 10 + (s[13] - '0');
  if (y < 1900 || !cal_valid_ymd(y, m, d))
    return "a real birth date in characters 7-14 of the ID number";
  *birth = cal_date(y, m, d);
  return NULL;
}

static bool is_id(const char *s)
{
  size_t n = strlen(s);
  if (n == 0 || n > 32) return false;
  for (size_t i = 0; i < n; i++)
    if (!isalnum((unsigned char)s[i]) && s[i] != '_' && s[i] != '-')
      return false;
  return true;
}

static bool parse_bool(const char *s, bool *out)
{
  static const char *const yes[] = {"y", "yes", "true", "1", "是"};
  static const char *const no[] = {"n", "no", "false", "0", "否"};
  for (size_t i = 0; i < 5; i++) {
    if (strcasecmp(s, yes[i]) == 0) return *out = true, true;
    if (strcasecmp(s, no[i]) == 0) return *out = false, true;
  }
  return false;
}

/* Parse a number cell per the column (decimals, sign, range, halves).
** Returns NULL when valid, else what was expected. */
static const char *parse_number_cell(const struct rules_column *c,
                                     const char *s, struct money *out,
                                     char *why, size_t cap)
{
  unsigned dec = c->type == RULES_C_INTEGER ? 0
               : c->type == RULES_C_HALVES ? 2 : c->decimals;
  bool neg = c->has_min && money_sgn(&c->min) < 0;
  enum money_err e = money_parse(out, s, strlen(s), dec, neg);
  struct money two = MONEY_ZERO;
  char lim[MONEY_TEXT_MAX + 8];

  if (e == MONEY_E_DECIMALS && dec == 0) return "a whole number";
  if (e == MONEY_E_DECIMALS) {
    snprintf(why, cap, "at most %u decimal place%s", dec, dec == 1 ? "" :
             "s");
    return why;
  }
  if (e == MONEY_E_NEGATIVE && c->has_min) {
    money_format(&c->min, 0, 6, lim, sizeof lim);
    snprintf(why, cap, "a value of at least %s", lim);
    return why;
  }
  if (e == MONEY_E_NEGATIVE) return "a value of 0 or more";
  if (e != MONEY_OK)
    return dec == 0 ? "a whole number such as 7"
         : "a plain number such as 1234.50 (no thousands separators, "
           "currency signs or exponents)";
  if (c->type == RULES_C_HALVES) {
    money_set_int(&two, 2);
    money_mul(&two, &two, out);
    if (!money_is_integer(&two)) return "a multiple of 0.5";
  }
  if (c->has_min && money_cmp(out, &c->min) < 0) {
    money_format(&c->min, 0, 6, lim, sizeof lim);
    snprintf(why, cap, "a value of at least %s", lim);
    return why;
  }
  if (c->has_max && money_cmp(out, &c->max) > 0) {
    money_format(&c->max, 0, 6, lim, sizeof lim);
    snprintf(why, cap, "a value of at most %s", lim);
    return why;
  }
  return NULL;
}

/* Parse the text of one cell into v. Returns NULL, or what was expected. */
static const char *parse_cell(struct reader *R,
                              const struct rules_column *c, const char *s,
                              struct value *v, char *why, size_t cap)
{
  const struct rules *r = R->p->r;
  size_t n = strlen(s);
  int32_t birth;

  v->present = true;
  switch (c->type) {
  case RULES_C_ID:
    v->u.text = s;
    return is_id(s) ? NULL : "1 to 32 letters, digits, '_' or '-'";
  case RULES_C_TEXT:
  case RULES_C_AGENCY:
    v->u.text = s;
    return NULL;
  case RULES_C_RESIDENT_ID:
    v->u.text = s;
    return inputs_check_resident_id(s, &birth, why, cap);
  case RULES_C_DIGITS:
    v->u.text = s;
    if (strspn(s, "0123456789") != n || n < c->min_len ||
        (c->max_len && n > c->max_len)) {
      snprintf(why, cap, "%u to %u digits", c->min_len, c->max_len);
      return why;
    }
    return NULL;
  case RULES_C_TABLE: {
    const struct rules_row *row = rules_table_row(rules_table(r, c->table),
                                                  s);
    if (!row) {
      const struct rules_table *t = rules_table(r, c->table);
      size_t n0 = (size_t)snprintf(why, cap, "one of");
      for (size_t i = 0; i < t->nrows && n0 < cap; i++)
        n0 += (size_t)snprintf(why + n0, cap - n0, "%s %s%s%s%s",
                               i ? "," : "", t->rows[i].key,
                               t->rows[i].alias ? " (" : "",
                               t->rows[i].alias ? t->rows[i].alias : "",
                               t->rows[i].alias ? ")" : "");
      return why;
    }
    v->u.text = row->key;
    return NULL;
  }
  case RULES_C_ADJUSTMENT: {
    int k = rules_adjustment(r, s);
    if (k < 0) {
      size_t n0 = (size_t)snprintf(why, cap, "one of");
      for (size_t i = 0; i < r->nadjust && n0 < cap; i++)
        n0 += (size_t)snprintf(why + n0, cap - n0, "%s %s", i ? "," : "",
                               r->adjust[i].name);
      return why;
    }
    v->u.text = r->adjust[k].name;
    return NULL;
  }
  case RULES_C_DATE:
    return cal_parse_date(s, &v->u.date) ? NULL
         : "a real date YYYY-MM-DD (or YYYY/M/D)";
  case RULES_C_BOOL:
    return parse_bool(s, &v->u.b) ? NULL
         : "y/n, yes/no, true/false, 1/0 or 是/否";
  default:
    return parse_number_cell(c, s, &v->u.num, why, cap);
  }
}

/* Fill v from row (or the default) for schema column c. Returns false
** after a problem. */
static bool read_cell(struct reader *R, const struct csvin_row *row,
                      size_t c, struct value *v)
{
  const struct rules_column *col = &R->schema->cols[c];
  const char *s = R->at[c] >= 0 ? row->fields[R->at[c]] : "";
  const char *bad;
  char why[256];

  if (col->type == RULES_C_RESIDENT_ID && R->at[c] >= 0 &&
      strlen(s) == 18 && s[17] == 'x')
    row->fields[R->at[c]][17] = 'X';     /* one spelling for uniqueness */

  value_clear(v);
  v->type = program_column_type(col->type);
  if (v->type == VT_TEXT) v->u.text = "";
  if (s[0] == '\0') {
    if (col->required) {
      rproblem(R, row->line, col, "required value is empty");
      return false;
    }
    if (!col->def) return true;
    bad = parse_cell(R, col, col->def, v, why, sizeof why);
    ALWAYS_ASSERT(bad == NULL || !"a column's default is invalid");
    v->present = false;
    return true;
  }
  bad = parse_cell(R, col, s, v, why, sizeof why);
  if (bad) {
    rproblem(R, row->line, col, "'%s' is not valid: expected %s", s, bad);
    value_clear(v);
    v->type = program_column_type(col->type);
    if (v->type == VT_TEXT) v->u.text = "";
    return false;
  }
  if (col->unique) {
    size_t first;
    if (!strmap_put(&R->unique[c], v->type == VT_TEXT ? v->u.text : s,
                    row->line, &first)) {
      rproblem(R, row->line, col, "'%s' appears twice (first on line %zu)",
               s, first);
      return false;
    }
  }
  return true;
}

static void reader_free(struct reader *R)
{
  if (R->unique) {
    for (size_t c = 0; c < R->schema->ncols; c++) strmap_free(&R->unique[c]);
  }
  free(R->unique);
  free(R->at);
  memset(R, 0, sizeof *R);
}

/* Open one file into R. Returns false when the file is absent (optional:
** no problem) or unreadable. */
static bool reader_open(struct reader *R, struct inputs *in,
                        const struct program *p, enum rules_file role,
                        const char *path, struct diag_list *d)
{
  size_t before = diag_count(d);
  memset(R, 0, sizeof *R);
  R->p = p;
  R->schema = &p->r->inputs[role];
  R->role = role;
  R->d = d;
  R->in = in;
  if (R->schema->optional && !vfs_exists(path)) return false;
  in->paths[role] = xstrdup(path);
  R->path = in->paths[role];
  R->f = in->files[role] = csvin_read(path, CSVIN_ENC_AUTO, d);
  R->form_problems = diag_count(d) - before;
  if (!R->f || R->f->header.nfields == 0) return false;   /* reported */
  R->unique = xcalloc(R->schema->ncols, sizeof *R->unique);
  if (!map_header(R)) {
    reader_free(R);
    return false;
  }
  return true;
}

static struct value *new_fields(size_t n)
{
  struct value *v = xmalloc((n ? n : 1) * sizeof *v);
  for (size_t i = 0; i < n; i++) value_init(&v[i]);
  return v;
}

/* Reads every column of row into fields at the layout of (level, role). */
static bool read_row(struct reader *R, const struct csvin_row *row,
                     enum rules_level level, struct value *fields)
{
  bool ok = true;
  for (size_t c = 0; c < R->schema->ncols; c++) {
    int k = program_field_index(R->p, level, R->role, c);
    ALWAYS_ASSERT(k >= 0);
    ok &= read_cell(R, row, c, &fields[k]);
  }
  return ok;
}

static void load_agencies(struct inputs *in, struct reader *R)
{
  const struct program *p = R->p;
  int code = rules_column(R->schema, "code");
  in->agencies = xcalloc(R->f->nrows, sizeof *in->agencies);
  for (size_t i = 0; i < R->f->nrows; i++) {
    struct agency *a = &in->agencies[in->nagencies];
    const struct csvin_row *row = &R->f->rows[i];
    a->fields = new_fields(p->nfields[RULES_AGENCY]);
    a->bad = !read_row(R, row, RULES_AGENCY, a->fields);
    a->code = a->fields[program_field_index(p, RULES_AGENCY,
                        RULES_F_AGENCIES, (size_t)code)].u.text;
    a->line[RULES_F_AGENCIES] = row->line;
    if (a->code[0]) (void)strmap_put(&in->agency_map_, a->code,
                                     in->nagencies, NULL);
    in->nagencies++;
  }
}

static void load_satisfaction(struct inputs *in, struct reader *R)
{
  int ac = rules_column(R->schema, "agency");
  for (size_t i = 0; i < R->f->nrows; i++) {
    const struct csvin_row *row = &R->f->rows[i];
    const char *code = R->at[ac] >= 0 ? row->fields[R->at[ac]] : "";
    struct agency *a;
    size_t k;
    if (!strmap_get(&in->agency_map_, code, &k)) {
      rproblem(R, row->line, &R->schema->cols[ac], "'%s' is not an agency "
               "of agencies.csv", code);
      continue;
    }
    a = &in->agencies[k];
    if (a->line[RULES_F_SATISFACTION]) {
      rproblem(R, row->line, &R->schema->cols[ac], "agency '%s' has a "
               "second score (first on line %lu)", code,
               a->line[RULES_F_SATISFACTION]);
      continue;
    }
    a->line[RULES_F_SATISFACTION] = row->line;
    a->bad |= !read_row(R, row, RULES_AGENCY, a->fields);
  }
}

static void load_roster(struct inputs *in, struct reader *R)
{
  const struct program *p = R->p;
  const struct rules *r = p->r;
  int idc = rules_column(R->schema, "employee_id");
  int agc = rules_column(R->schema, "agency");
  in->emps = xcalloc(R->f->nrows, sizeof *in->emps);
  in->roster_ok_ = true;
  in->roster_form_problems_ = R->form_problems;
  for (size_t i = 0; i < R->f->nrows; i++) {
    struct employee *e = &in->emps[in->nemployees];
    const struct csvin_row *row = &R->f->rows[i];
    const char *code;
    e->fields = new_fields(p->nfields[RULES_EMPLOYEE]);
    e->adj = money_zeros(r->nadjust);
    e->opening = money_zeros(r->nopening);
    e->opening_months = MONEY_ZERO;
    e->bad = !read_row(R, row, RULES_EMPLOYEE, e->fields);
    e->id = e->fields[idc].u.text;
    e->line[RULES_F_ROSTER] = row->line;
    code = e->fields[agc].u.text;
    e->agency = SIZE_MAX;
    if (code[0] && !strmap_get(&in->agency_map_, code, &e->agency)) {
      rproblem(R, row->line, &R->schema->cols[agc], "'%s' is not an agency "
               "of agencies.csv", code);
      e->bad = true;
    }
    if (e->id[0] && !strmap_put(&in->emp_map_, e->id, in->nemployees,
                                NULL))
      e->bad = e->duplicate = true;     /* reported as not unique */
    in->nemployees++;
  }
  for (size_t i = 0; i < in->nemployees; i++)
    if (in->emps[i].agency != SIZE_MAX)
      in->agencies[in->emps[i].agency].nemployees++;
    else
      in->emps[i].bad = true;
}

/* The employee named in column col of row, or NULL with a problem. */
static struct employee *row_employee(struct inputs *in, struct reader *R,
                                     const struct csvin_row *row, int col)
{
  const char *id = R->at[col] >= 0 ? row->fields[R->at[col]] : "";
  size_t k;
  if (!strmap_get(&in->emp_map_, id, &k)) {
    rproblem(R, row->line, &R->schema->cols[col], "'%s' is not on this "
             "month's roster%s", id, in->roster_form_problems_ ?
             " (some roster rows could not be read: see above)" : "");
    return NULL;
  }
  return &in->emps[k];
}

static void load_attendance(struct inputs *in, struct reader *R)
{
  int idc = rules_column(R->schema, "employee_id");
  for (size_t i = 0; i < R->f->nrows; i++) {
    const struct csvin_row *row = &R->f->rows[i];
    struct employee *e = row_employee(in, R, row, idc);
    if (!e) continue;
    if (e->line[RULES_F_ATTENDANCE]) {
      rproblem(R, row->line, &R->schema->cols[idc], "a second row for "
               "employee %s (first on line %lu)", e->id,
               e->line[RULES_F_ATTENDANCE]);
      continue;
    }
    e->line[RULES_F_ATTENDANCE] = row->line;
    e->bad |= !read_row(R, row, RULES_EMPLOYEE, e->fields);
  }
}

static void load_adjustments(struct inputs *in, struct reader *R)
{
  const struct rules *r = R->p->r;
  int idc = rules_column(R->schema, "employee_id");
  int itc = rules_column(R->schema, "item");
  int amc = rules_column(R->schema, "amount");
  int noc = rules_column(R->schema, "note");
  struct value item, amount, note;

  value_init(&item);
  value_init(&amount);
  value_init(&note);
  in->adjust = xcalloc(R->f->nrows + 1, sizeof *in->adjust);
  for (size_t i = 0; i < R->f->nrows; i++) {
    const struct csvin_row *row = &R->f->rows[i];
    struct employee *e = row_employee(in, R, row, idc);
    struct adjustment_row *a;
    bool ok = read_cell(R, row, (size_t)itc, &item) &
              read_cell(R, row, (size_t)amc, &amount);
    if (noc >= 0) ok &= read_cell(R, row, (size_t)noc, &note);
    if (!e || !ok) {
      if (e) e->bad = true;
      continue;
    }
    if (r->adjust[rules_adjustment(r, item.u.text)].retro) {
      rproblem(R, row->line, &R->schema->cols[itc], "'%s' is settled by "
               "paysettle retro or correct, not entered here", item.u.text);
      e->bad = true;
      continue;
    }
    a = &in->adjust[in->nadjust++];
    a->role = RULES_F_ADJUSTMENTS;
    a->employee = (size_t)(e - in->emps);
    a->item = rules_adjustment(r, item.u.text);
    a->amount = MONEY_ZERO;
    money_copy(&a->amount, &amount.u.num);
    a->note = noc >= 0 ? note.u.text : "";
    a->line = row->line;
    if (r->adjust[a->item].once_per_year && !money_is_zero(&e->adj[a->item]))
      rproblem(R, row->line, &R->schema->cols[itc], "employee %s has a "
               "second '%s' row; it is allowed once per tax year", e->id,
               r->adjust[a->item].name);
    money_add(&e->adj[a->item], &e->adj[a->item], &amount.u.num);
  }
  value_clear(&item);
  value_clear(&amount);
  value_clear(&note);
}

/* The ledger's retro file: signed amounts, added to the employee's
** adjustments; an employee not on the roster goes to in->away. */
static void load_retro(struct inputs *in, struct reader *R)
{
  const struct rules *r = R->p->r;
  int idc = rules_column(R->schema, "employee_id");
  int itc = rules_column(R->schema, "item");
  int amc = rules_column(R->schema, "amount");
  struct value item, amount;
  size_t nadj = in->nadjust;

  value_init(&item);
  value_init(&amount);
  in->adjust = xrealloc(in->adjust, (nadj + R->f->nrows + 1) *
                        sizeof *in->adjust);
  in->away = xcalloc(R->f->nrows + 1, sizeof *in->away);
  for (size_t i = 0; i < R->f->nrows; i++) {
    const struct csvin_row *row = &R->f->rows[i];
    const char *id = R->at[idc] >= 0 ? row->fields[R->at[idc]] : "";
    size_t k;
    int it;
    if (!(read_cell(R, row, (size_t)itc, &item) &
          read_cell(R, row, (size_t)amc, &amount)))
      continue;
    it = rules_adjustment(r, item.u.text);
    if (!r->adjust[it].retro) {
      rproblem(R, row->line, &R->schema->cols[itc], "'%s' is not a retro "
               "adjustment", item.u.text);
      continue;
    }
    if (!strmap_get(&in->emp_map_, id, &k)) {
      struct retro_away *w = &in->away[in->naway++];
      w->employee = id;
      w->item = it;
      w->amount = MONEY_ZERO;
      money_copy(&w->amount, &amount.u.num);
      continue;
    }
    in->adjust[in->nadjust] = (struct adjustment_row){k, it, MONEY_ZERO, "",
      row->line, RULES_F_RETRO};
    money_copy(&in->adjust[in->nadjust++].amount, &amount.u.num);
    money_add(&in->emps[k].adj[it], &in->emps[k].adj[it], &amount.u.num);
  }
  value_clear(&item);
  value_clear(&amount);
}

/* ytd-opening.csv: rows of this tax year open the employee's history. */
static void load_opening(struct inputs *in, struct reader *R)
{
  const struct rules *r = R->p->r;
  int idc = rules_column(R->schema, "employee_id");
  int yc = rules_column(R->schema, "year");
  int mc = r->opening_months ? rules_column(R->schema, r->opening_months)
                             : -1;
  size_t nc = R->schema->ncols;
  struct value *v = new_fields(nc);

  for (size_t i = 0; i < R->f->nrows; i++) {
    const struct csvin_row *row = &R->f->rows[i];
    struct employee *e;
    size_t k;
    bool ok = true;
    for (size_t c = 0; c < nc; c++) ok &= read_cell(R, row, c, &v[c]);
    if (!ok) continue;
    if (!money_is_integer(&v[yc].u.num) ||
        money_cmp(&v[yc].u.num, &in->facts_year_) != 0)
      continue;                           /* another tax year */
    if (!strmap_get(&in->emp_map_, v[idc].u.text, &k)) continue;
    e = &in->emps[k];
    if (e->has_opening) {
      rproblem(R, row->line, &R->schema->cols[idc], "a second opening row "
               "for employee %s in this year (first on line %lu)", e->id,
               e->opening_line);
      continue;
    }
    e->has_opening = true;
    e->opening_line = row->line;
    if (mc >= 0) money_copy(&e->opening_months, &v[mc].u.num);
    for (size_t o = 0; o < r->nopening; o++) {
      int c = rules_column(R->schema, r->opening[o].column);
      if (c >= 0 && v[c].type == VT_NUM)
        money_copy(&e->opening[o], &v[c].u.num);
    }
  }
  for (size_t c = 0; c < nc; c++) value_clear(&v[c]);
  free(v);
}

static char *file_path(const struct rules_input *s, const char *root,
                       int ym)
{
  char month[8];
  cal_format_month(ym, month);
  if (s->in_month) return xasprintf("%s/%s/%s", root, month, s->file);
  return xasprintf("%s/%s", root, s->file);
}

typedef void (*file_loader)(struct inputs *, struct reader *);

static void load_one(struct inputs *in, const struct program *p,
                     enum rules_file role, const char *path,
                     file_loader fn, struct diag_list *d)
{
  struct reader R;
  if (reader_open(&R, in, p, role, path, d)) fn(in, &R);
  reader_free(&R);
}

/* Files read by employee id need a readable roster: without one, every
** row would be reported again as "not on the roster". */
static bool joins_on_roster(enum rules_file role)
{
  return role == RULES_F_ATTENDANCE || role == RULES_F_ADJUSTMENTS ||
         role == RULES_F_YTD_OPENING || role == RULES_F_RETRO;
}

static void check_attendance_complete(struct inputs *in,
                                      const struct rules *r,
                                      struct diag_list *d)
{
  if (!in->files[RULES_F_ATTENDANCE]) return;
  for (size_t i = 0; i < in->nemployees; i++) {
    struct employee *e = &in->emps[i];
    if (e->line[RULES_F_ATTENDANCE] || !e->id[0] || e->duplicate) continue;
    diag_add(d, in->paths[RULES_F_ROSTER], e->line[RULES_F_ROSTER], 0,
             "employee_id", "employee %s has no row in %s; every roster "
             "employee needs exactly one", e->id,
             r->inputs[RULES_F_ATTENDANCE].file);
    e->bad = true;
  }
}

struct inputs *inputs_load(const struct program *p, const char *root,
                           int ym, const char *ytd_path,
                           const char *retro_path, struct diag_list *d)
{
  static const struct {
    enum rules_file role;
    file_loader fn;
  } order[] = {
    {RULES_F_AGENCIES, load_agencies},
    {RULES_F_SATISFACTION, load_satisfaction},
    {RULES_F_ROSTER, load_roster},
    {RULES_F_ATTENDANCE, load_attendance},
    {RULES_F_ADJUSTMENTS, load_adjustments},
    {RULES_F_YTD_OPENING, load_opening},
    {RULES_F_RETRO, load_retro}
  };
  struct inputs *in = xcalloc(1, sizeof *in);

  in->ym = ym;
  in->facts_year_ = MONEY_ZERO;
  money_set_int(&in->facts_year_, ym / 12);
  strmap_init(&in->emp_map_);
  strmap_init(&in->agency_map_);
  for (size_t k = 0; k < sizeof order / sizeof *order; k++) {
    const struct rules_input *s = &p->r->inputs[order[k].role];
    char *path;
    if (!s->file) continue;
    if (joins_on_roster(order[k].role) && !in->roster_ok_) continue;
    if (order[k].role == RULES_F_RETRO && !retro_path) continue;
    path = order[k].role == RULES_F_RETRO ? xstrdup(retro_path)
         : order[k].role == RULES_F_YTD_OPENING && ytd_path
         ? xstrdup(ytd_path) : file_path(s, root, ym);
    load_one(in, p, order[k].role, path, order[k].fn, d);
    free(path);
    if (order[k].role == RULES_F_AGENCIES && !in->files[RULES_F_AGENCIES])
      break;                     /* nothing else can be checked */
    if (order[k].role == RULES_F_ATTENDANCE)
      check_attendance_complete(in, p->r, d);
  }
  return in;
}

long inputs_find(const struct inputs *in, const char *id)
{
  size_t k;
  return strmap_get(&in->emp_map_, id, &k) ? (long)k : -1;
}

static void free_fields(struct value *v, size_t n)
{
  if (!v) return;
  for (size_t i = 0; i < n; i++) value_clear(&v[i]);
  free(v);
}

void inputs_free(struct inputs *in, const struct rules *r)
{
  size_t nemp, nag;
  if (!in) return;
  nemp = r->inputs[RULES_F_ROSTER].ncols +
         r->inputs[RULES_F_ATTENDANCE].ncols;
  nag = r->inputs[RULES_F_AGENCIES].ncols +
        r->inputs[RULES_F_SATISFACTION].ncols;
  for (size_t i = 0; i < in->nemployees; i++) {
    struct employee *e = &in->emps[i];
    free_fields(e->fields, nemp);
    for (size_t k = 0; k < r->nadjust; k++) money_clear(&e->adj[k]);
    for (size_t k = 0; k < r->nopening; k++) money_clear(&e->opening[k]);
    money_clear(&e->opening_months);
    free(e->adj);
    free(e->opening);
  }
  for (size_t i = 0; i < in->nagencies; i++)
    free_fields(in->agencies[i].fields, nag);
  for (size_t i = 0; i < in->nadjust; i++)
    money_clear(&in->adjust[i].amount);
  for (size_t i = 0; i < in->naway; i++) money_clear(&in->away[i].amount);
  free(in->away);
  for (int f = 0; f < RULES_FILES; f++) {
    csvin_free(in->files[f]);
    free(in->paths[f]);
  }
  money_clear(&in->facts_year_);
  strmap_free(&in->emp_map_);
  strmap_free(&in->agency_map_);
  free(in->emps);
  free(in->agencies);
  free(in->adjust);
  free(in);
}

/* Append s to a CSV line, quoted when it must be (RFC 4180). */
static void csv_append(char **buf, size_t *n, size_t *cap, const char *s,
                       bool first)
{
  bool quote = strpbrk(s, ",\"\r\n") != NULL;
  xgrow(buf, cap, *n + 2 * strlen(s) + 4, 1);
  if (!first) (*buf)[(*n)++] = ',';
  if (quote) (*buf)[(*n)++] = '"';
  for (; *s; s++) {
    if (*s == '"') (*buf)[(*n)++] = '"';
    (*buf)[(*n)++] = *s;
  }
  if (quote) (*buf)[(*n)++] = '"';
  (*buf)[*n] = '\0';
}

size_t inputs_read_opening(const struct program *p, const char *path,
                           inputs_opening_fn fn, void *ctx,
                           struct diag_list *d)
{
  struct inputs dummy;
  struct reader R;
  struct strmap seen;
  char *hdr = NULL, *line = NULL, key[96];
  size_t hn = 0, hcap = 0, count = 0;
  const struct rules_input *s = &p->r->inputs[RULES_F_YTD_OPENING];
  int idc = rules_column(s, "employee_id"), yc = rules_column(s, "year");
  struct value *v = new_fields(s->ncols);
  char **keys = NULL;
  size_t nkeys = 0, capkeys = 0;

  memset(&dummy, 0, sizeof dummy);
  strmap_init(&seen);
  for (size_t c = 0; c < s->ncols; c++)
    csv_append(&hdr, &hn, &hcap, s->cols[c].name, c == 0);
  if (!vfs_exists(path)) {
    diag_add(d, path, 0, 0, NULL, "cannot read the file");
  } else if (reader_open(&R, &dummy, p, RULES_F_YTD_OPENING, path, d)) {
    for (size_t i = 0; i < R.f->nrows; i++) {
      const struct csvin_row *row = &R.f->rows[i];
      size_t n = 0, cap = 0, first;
      int64_t year = 0;
      bool ok = true;
      for (size_t c = 0; c < s->ncols; c++) ok &= read_cell(&R, row, c,
                                                             &v[c]);
      if (!ok || !money_to_int(&v[yc].u.num, &year)) continue;
      snprintf(key, sizeof key, "%s/%lld", v[idc].u.text, (long long)year);
      xgrow(&keys, &capkeys, nkeys + 1, sizeof *keys);
      keys[nkeys] = xstrdup(key);
      if (!strmap_put(&seen, keys[nkeys++], row->line, &first)) {
        rproblem(&R, row->line, &s->cols[idc], "a second row for employee "
                 "%s in %lld (first on line %zu)", v[idc].u.text,
                 (long long)year, first);
        continue;
      }
      for (size_t c = 0; c < s->ncols; c++)
        csv_append(&line, &n, &cap, R.at[c] >= 0 ? row->fields[R.at[c]] :
                   "", c == 0);
      if (fn(ctx, hdr, v[idc].u.text, (int)year, line) == 0) count++;
    }
    reader_free(&R);
  }
  for (size_t c = 0; c < s->ncols; c++) value_clear(&v[c]);
  for (size_t k = 0; k < nkeys; k++) free(keys[k]);
  free(keys);
  free(v);
  free(line);
  free(hdr);
  strmap_free(&seen);
  csvin_free(dummy.files[RULES_F_YTD_OPENING]);
  free(dummy.paths[RULES_F_YTD_OPENING]);
  return count;
}
