/*
** test_formula.c -- the formula language end to end: formula.c parses,
** program.c resolves, type-checks, orders and folds parameters for a month,
** eval.c evaluates in a frame.
**
** Each test writes a small rule set (PREFIX below, then its own items) to a
** temporary file, loads it with rules_load(), compiles it for a month and
** evaluates one employee frame. Expected values are worked out by hand in
** the comments. Positions: the items start on the line after PREFIX; an
** ITEM() is two lines (name, formula) and its formula starts at column 14
** ("    formula: " is 13 characters), column 15 when the formula is quoted.
*/
#include "check.h"
#include "calendar.h"
#include "money.h"
#include "program.h"
#include "rules.h"
#include "value.h"

#include <gmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* A leak that a test detects by itself must not also stop LeakSanitizer's
** exit check from letting the summary line out (the sanitizer build). */
#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/lsan_interface.h>
#define LSAN_OFF() __lsan_disable()
#define LSAN_ON() __lsan_enable()
#else
#define LSAN_OFF() ((void)0)
#define LSAN_ON() ((void)0)
#endif

static const char PREFIX[] =
  "name: unit\n"
  "calendar: {weekend: [saturday, sunday], years: {2026: {source: test}}}\n"
  "inputs:\n"
  "  agencies: {file: agencies.csv, columns: [{name: code, type: id}]}\n"
  "  roster:\n"
  "    file: roster.csv\n"
  "    columns:\n"
  "      - {name: employee_id, type: id}\n"
  "      - {name: agency, type: agency}\n"
  "      - {name: grade, type: text}\n"
  "      - {name: days, type: decimal, decimals: 2}\n"
  "      - {name: hire_date, type: date}\n"
  "      - {name: leave_date, type: date}\n"
  "      - {name: birth, type: date}\n"
  "  attendance:\n"
  "    file: attendance.csv\n"
  "    columns: [{name: employee_id, type: id}, {name: absent, type: halves}]\n"
  "  adjustments:\n"
  "    file: adjustments.csv\n"
  "    columns: [{name: employee_id, type: id}, {name: item, type: adjustment},"
  " {name: amount, type: decimal}]\n"
  "  satisfaction: {file: s.csv, columns: [{name: agency, type: id}]}\n"
  "  ytd_opening:\n"
  "    file: ytd.csv\n"
  "    columns: [{name: employee_id, type: id}, {name: year, type: integer}]\n"
  "adjustments:\n"
  "  - {name: bonus, zh: 奖金}\n"
  "parameters:\n"
  "  p.step:\n"
  "    values:\n"
  "      - {from: 2026-01, value: 1, source: t}\n"
  "      - {from: 2026-07, value: 2, source: t}\n"
  "  p.zero: {values: [{from: 2026-01, value: 0, source: t}]}\n"
  "  p.late: {values: [{from: 2026-09, value: 5, source: t}]}\n"
  "  p.rate: {values: [{from: 2026-01, value: 16%, source: t}]}\n"
  "tables:\n"
  "  grade:\n"
  "    columns: [base, perf]\n"
  "    rows:\n"
  "      - {key: A1, zh: 一级, base: 5000, perf: 1000}\n"
  "      - {key: '2', zh: 二级, base: 6000, perf: 1200}\n"
  "  tax:\n"
  "    kind: bracket\n"
  "    columns: [rate, deduction]\n"
  "    rows:\n"
  "      - {upto: 3000, rate: 3%, deduction: 0}\n"
  "      - {upto: 12000, rate: 10%, deduction: 210}\n"
  "      - {upto: above, rate: 20%, deduction: 1410}\n"
  "items:\n";

#define ITEM(name, formula) "  - name: " name "\n    formula: " formula "\n"
#define FCOL 14UL          /* column of an unquoted ITEM formula */

/* Line of the rule file on which line k (1-based) of the items text is. */
static unsigned long L(unsigned long k)
{
  unsigned long n = 0;
  for (const char *s = PREFIX; *s; s++) n += *s == '\n';
  return n + k;
}

/* A rule set compiled for a month, and one employee frame. */
struct env {
  char path[64];
  struct diag_list d;         /* loading and compiling */
  struct diag_list rd;        /* evaluation */
  struct rules *r;
  struct program *p;
  size_t nitems, nfields;
  struct value *items, *fields;
  struct money *adj, *ytd, *prev;
  struct frame f;
};

static enum vtype col_type(enum rules_ctype t)
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

static struct money *money_array(size_t n)
{
  struct money *m = calloc(n ? n : 1, sizeof *m);
  for (size_t i = 0; i < n; i++) m[i] = MONEY_ZERO;
  return m;
}

/* Write PREFIX + items to a temporary file, load it and compile it for
** month. Returns true when both succeeded; the problems are in e->d. */
static bool env_open(struct env *e, const char *items, const char *month)
{
  int fd, ym = 0;
  FILE *fp;
  size_t k = 0;

  memset(e, 0, sizeof *e);
  diag_init(&e->d);
  diag_init(&e->rd);
  snprintf(e->path, sizeof e->path, "/tmp/test_formula_XXXXXX");
  fd = mkstemp(e->path);
  if (fd < 0 || !(fp = fdopen(fd, "w"))) {
    fprintf(stderr, "  cannot create %s\n", e->path);
    if (fd >= 0) close(fd);
    return false;
  }
  fputs(PREFIX, fp);
  fputs(items, fp);
  fclose(fp);
  e->r = rules_load(e->path, &e->d);
  unlink(e->path);
  if (!e->r) return false;
  if (!cal_parse_month(month, &ym)) return false;
  e->p = program_compile(e->r, ym, &e->d);
  if (!e->p) return false;

  e->nitems = e->r->nitems;
  e->items = calloc(e->nitems ? e->nitems : 1, sizeof *e->items);
  for (size_t i = 0; i < e->nitems; i++) value_init(&e->items[i]);
  e->nfields = e->p->nfields[RULES_EMPLOYEE];
  e->fields = calloc(e->nfields ? e->nfields : 1, sizeof *e->fields);
  for (int fi = RULES_F_ROSTER; fi <= RULES_F_ATTENDANCE; fi++) {
    const struct rules_input *in = &e->r->inputs[fi];
    for (size_t c = 0; c < in->ncols; c++, k++) {
      struct value *v = &e->fields[k];
      value_init(v);
      v->type = col_type(in->cols[c].type);
      if (v->type == VT_TEXT) v->u.text = "";
    }
  }
  e->adj = money_array(e->r->nadjust);
  e->ytd = money_array(e->p->nytd);
  e->prev = money_array(e->p->nprev);
  e->f.p = e->p;
  e->f.level = RULES_EMPLOYEE;
  e->f.who = "E1";
  e->f.items = e->items;
  e->f.fields = e->fields;
  e->f.adj = e->adj;
  e->f.ytd = e->ytd;
  e->f.prev = e->prev;
  e->f.ytd_months = MONEY_ZERO;
  e->f.d = &e->rd;
  e->f.cur_item = -1;
  return true;
}

static void env_close(struct env *e)
{
  for (size_t i = 0; e->items && i < e->nitems; i++)
    value_clear(&e->items[i]);
  for (size_t i = 0; e->fields && i < e->nfields; i++)
    value_clear(&e->fields[i]);
  for (size_t i = 0; e->adj && i < e->r->nadjust; i++)
    money_clear(&e->adj[i]);
  free(e->items);
  free(e->fields);
  free(e->adj);
  free(e->ytd);
  free(e->prev);
  program_free(e->p);
  rules_free(e->r);
  diag_free(&e->d);
  diag_free(&e->rd);
  memset(e, 0, sizeof *e);
}

/* Open, or fail the test and print why. */
static bool env_ok(struct env *e, const char *items, const char *month)
{
  if (env_open(e, items, month)) return true;
  fprintf(stderr, "  the rule set did not compile:\n");
  diag_print(&e->d, stderr);
  CHECK(!"rule set compiles");
  return false;
}

/* Evaluate the employee frame; returns the number of new problems. */
static size_t env_run(struct env *e)
{
  return program_run(e->p, &e->f);
}

/* The field of roster or attendance column col. */
static struct value *field(struct env *e, enum rules_file file,
                           const char *col)
{
  int c = rules_column(&e->r->inputs[file], col);
  int k = c < 0 ? -1 : program_field_index(e->p, RULES_EMPLOYEE, file,
                                           (size_t)c);
  if (k < 0) {
    fprintf(stderr, "  no field %s\n", col);
    exit(2);
  }
  return &e->fields[k];
}

static void set_num(struct env *e, const char *col, const char *text)
{
  struct value *v = field(e, RULES_F_ROSTER, col);
  value_clear(v);
  v->type = VT_NUM;
  v->present = true;
  if (money_parse_exact(&v->u.num, text) != MONEY_OK) {
    fprintf(stderr, "  bad test number %s\n", text);
    exit(2);
  }
}

static void set_date(struct env *e, const char *col, const char *text)
{
  struct value *v = field(e, RULES_F_ROSTER, col);
  value_clear(v);
  v->type = VT_DATE;
  v->present = true;
  if (!cal_parse_date(text, &v->u.date)) {
    fprintf(stderr, "  bad test date %s\n", text);
    exit(2);
  }
}

static void set_text(struct env *e, const char *col, const char *text)
{
  struct value *v = field(e, RULES_F_ROSTER, col);
  value_clear(v);
  v->type = VT_TEXT;
  v->present = true;
  v->u.text = text;
}

static const struct value *item(const struct env *e, const char *name)
{
  int j = rules_item_index(e->r, name);
  if (j < 0) {
    fprintf(stderr, "  no item %s\n", name);
    return NULL;
  }
  return &e->items[j];
}

/* True when item name is the number want (decimal or "num/den"). */
static bool num_is(const struct env *e, const char *name, const char *want)
{
  const struct value *v = item(e, name);
  struct money w = MONEY_ZERO;
  char buf[128] = "";
  bool ok;
  if (money_parse_exact(&w, want) != MONEY_OK) {
    fprintf(stderr, "  bad expected number %s\n", want);
    return false;
  }
  ok = v && v->type == VT_NUM && money_cmp(&v->u.num, &w) == 0;
  if (!ok) {
    if (v && v->type == VT_NUM) money_format_exact(&v->u.num, buf, sizeof buf);
    fprintf(stderr, "  item %s is %s %s, want number %s\n", name,
            v ? value_type_name(v->type) : "(none)", buf, want);
  }
  money_clear(&w);
  return ok;
}

static bool bool_is(const struct env *e, const char *name, bool want)
{
  const struct value *v = item(e, name);
  bool ok = v && v->type == VT_BOOL && v->u.b == want;
  if (!ok)
    fprintf(stderr, "  item %s is %s %s, want %s\n", name,
            v ? value_type_name(v->type) : "(none)",
            v && v->type == VT_BOOL ? (v->u.b ? "true" : "false") : "",
            want ? "true" : "false");
  return ok;
}

static bool text_is(const struct env *e, const char *name, const char *want)
{
  const struct value *v = item(e, name);
  bool ok = v && v->type == VT_TEXT && v->u.text &&
            strcmp(v->u.text, want) == 0;
  if (!ok)
    fprintf(stderr, "  item %s is not the text '%s'\n", name, want);
  return ok;
}

static bool date_is(const struct env *e, const char *name, const char *want)
{
  const struct value *v = item(e, name);
  char buf[11] = "";
  bool ok;
  if (v && v->type == VT_DATE) cal_format_date(v->u.date, buf);
  ok = v && v->type == VT_DATE && strcmp(buf, want) == 0;
  if (!ok)
    fprintf(stderr, "  item %s is %s %s, want date %s\n", name,
            v ? value_type_name(v->type) : "(none)", buf, want);
  return ok;
}

#define NUM(name, want) CHECK(num_is(&e, name, want))
#define BOOL(name, want) CHECK(bool_is(&e, name, want))

/* True when d holds a problem in path at line:col whose message contains
** sub, and it prints as "path:line:col: ...sub..." (diag_print). Prints
** the problems otherwise. */
static bool problem_at(const struct diag_list *d, const char *path,
                       unsigned long line, unsigned long col,
                       const char *sub)
{
  char want[128], *out = NULL;
  size_t len = 0;
  bool found = false;
  FILE *fp = open_memstream(&out, &len);

  if (!fp) return false;
  diag_print(d, fp);
  fclose(fp);
  snprintf(want, sizeof want, "%s:%lu:%lu: ", path, line, col);
  for (char *ln = out; ln && *ln && !found;) {
    char *nl = strchr(ln, '\n');
    if (nl) *nl = '\0';
    found = strncmp(ln, want, strlen(want)) == 0 && strstr(ln, sub) != NULL;
    ln = nl ? nl + 1 : NULL;
  }
  if (!found) {
    fprintf(stderr, "  want a problem '%s%s'; have:\n", want, sub);
    diag_print(d, stderr);
  }
  free(out);
  return found;
}

/* Compile items for month, which must fail; the problems are in e->d. */
static bool compile_fails(struct env *e, const char *items, const char *month)
{
  if (!env_open(e, items, month) && e->r != NULL && e->p == NULL)
    return true;
  fprintf(stderr, "  %s\n", e->r ? "the rule set compiled; want a refusal"
          : "the rule set did not load:");
  diag_print(&e->d, stderr);
  return false;
}

/* ---- evaluation ---------------------------------------------------------- */

TEST(precedence)
{
  struct env e;
  if (!env_ok(&e,
              ITEM("p1", "1 + 2 * 3")
              ITEM("p2", "(1 + 2) * 3")
              ITEM("p3", "-2 * 3")
              ITEM("p4", "10 - 4 - 3")
              ITEM("p5", "2 * 3 > 5 and 1 == 1")
              ITEM("p6", "not false or false")
              ITEM("p7", "not true or true")
              ITEM("p8", "true or false and false")
              ITEM("p9", "false and false or true")
              ITEM("p10", "12 / 2 / 3")
              ITEM("p11", "2 - -3")
              ITEM("p12", "not 1 > 2")
              ITEM("p13", "1 + 2 * 3 - 4 / 2")
              ITEM("p14", "-(2 + 3) * 2")
              ITEM("p15", "2 * 3 + 4 * 5 == 26")
              ITEM("p16", "2 * - - 2"),
              "2026-11"))
    return;
  CHECK_INT(env_run(&e), 0);
  NUM("p1", "7");                    /* not (1 + 2) * 3 = 9 */
  NUM("p2", "9");
  NUM("p3", "-6");
  NUM("p4", "3");                    /* (10 - 4) - 3, not 10 - 1 */
  BOOL("p5", true);                  /* (6 > 5) and (1 == 1) */
  BOOL("p6", true);
  BOOL("p7", true);                  /* (not true) or true; not (..) = false */
  BOOL("p8", true);                  /* true or (false and false) */
  BOOL("p9", true);                  /* (false and false) or true */
  NUM("p10", "2");                   /* (12 / 2) / 3, not 12 / (2 / 3) = 18 */
  NUM("p11", "5");
  BOOL("p12", true);                 /* not (1 > 2) */
  NUM("p13", "5");                   /* 1 + 6 - 2 */
  NUM("p14", "-10");
  BOOL("p15", true);
  NUM("p16", "4");
  env_close(&e);
}

TEST(percentages)
{
  struct env e;
  if (!env_ok(&e,
              ITEM("c1", "16% * 100")
              ITEM("c2", "0.5% * 1000")
              ITEM("c3", "100 * 16%")
              ITEM("c4", "50% + 50%")
              ITEM("c5", "p.rate * 50")
              ITEM("c6", "16%")
              ITEM("c7", "3800 * 0.5%"),
              "2026-11"))
    return;
  CHECK_INT(env_run(&e), 0);
  NUM("c1", "16");
  NUM("c2", "5");
  NUM("c3", "16");
  NUM("c4", "1");
  NUM("c5", "8");                    /* 0.16 * 50 */
  NUM("c6", "0.16");
  NUM("c7", "19");
  env_close(&e);
}

TEST(exact_arithmetic)
{
  struct env e;
  if (!env_ok(&e,
              ITEM("x1", "0.1 + 0.2 == 0.3")
              ITEM("x2", "1 / 3 * 3 == 1")
              ITEM("x3", "1 / 3")
              ITEM("x4", "2 / 3 + 1 / 3")
              ITEM("x5", "0.1 + 0.2")
              ITEM("x6", "1 / 7 * 7 - 1 == 0")
              ITEM("x7", "100000000000 * 100000000000 / 100000000000")
              ITEM("x8", "3800 / 21.75"),
              "2026-11"))
    return;
  CHECK_INT(env_run(&e), 0);
  BOOL("x1", true);
  BOOL("x2", true);
  NUM("x3", "1/3");
  NUM("x4", "1");
  NUM("x5", "0.3");
  BOOL("x6", true);
  NUM("x7", "100000000000");         /* through 10^22, beyond int64 */
  NUM("x8", "15200/87");             /* 3800 * 4 / 87 */
  env_close(&e);
}

TEST(dates_and_facts)
{
  struct env e;
  if (!env_ok(&e,
              ITEM("d1", "month_start < month_end")
              ITEM("d2", "month_end <= month_start")
              ITEM("d3", "roster.hire_date > month_end")
              ITEM("d4", "roster.leave_date >= month_start and "
                         "roster.leave_date <= month_end")
              ITEM("d5", "roster.leave_date != roster.hire_date")
              ITEM("d6", "max(roster.leave_date, month_start)")
              ITEM("d7", "min(roster.hire_date, month_end)")
              ITEM("d8", "work_days_between(month_start, month_end)")
              ITEM("d9", "work_days_between(month_start, roster.leave_date)")
              ITEM("d10", "work_days_between(month_end, month_start)")
              ITEM("d11", "years_between(roster.birth, month_end)")
              ITEM("d12", "years_between(roster.birth, month_start)")
              ITEM("d13", "month == '2026-11' and month_of_year == 11 and "
                          "year == 2026")
              ITEM("d14", "month_start == roster.leave_date")
              ITEM("d15", "month_start"),
              "2026-11"))
    return;
  set_date(&e, "hire_date", "2026-12-01");
  set_date(&e, "leave_date", "2026-11-15");
  set_date(&e, "birth", "1990-11-30");
  CHECK_INT(env_run(&e), 0);
  BOOL("d1", true);
  BOOL("d2", false);
  BOOL("d3", true);                  /* 2026-12-01 > 2026-11-30 */
  BOOL("d4", true);
  BOOL("d5", true);
  CHECK(date_is(&e, "d6", "2026-11-15"));
  CHECK(date_is(&e, "d7", "2026-11-30"));
  /* November 2026 starts on a Sunday: weekends 1 7 8 14 15 21 22 28 29 */
  NUM("d8", "21");
  NUM("d9", "10");                   /* 2..6 and 9..13 */
  NUM("d10", "0");
  NUM("d11", "36");                  /* 1990-11-30 to 2026-11-30 */
  NUM("d12", "35");                  /* to 2026-11-01 */
  BOOL("d13", true);
  BOOL("d14", false);
  CHECK(date_is(&e, "d15", "2026-11-01"));
  env_close(&e);
}

TEST(functions)
{
  struct env e;
  if (!env_ok(&e,
              ITEM("f1", "if(1 > 2, 10, 20)")
              ITEM("f2", "if(2 > 1, 10, 20)")
              ITEM("f3", "if(true, 'a', 'b') == 'a'")
              ITEM("f4", "min(3, 1, 2)")
              ITEM("f5", "max(3, 1, 2)")
              ITEM("f6", "min(-1, -2)")
              ITEM("f7", "max(-1.5, -1.25)")
              ITEM("f8", "clamp(5, 0, 3)")
              ITEM("f9", "clamp(-1, 0, 3)")
              ITEM("f10", "clamp(2.5, 0, 3)")
              ITEM("f11", "abs(-2.5)")
              ITEM("f12", "abs(3)")
              ITEM("f13", "abs(0 - 0.01)")
              ITEM("f14", "if(false, 1 / roster.days, 7)")
              ITEM("f15", "min(3, 1, 2) + max(1, 2)")
              ITEM("f16", "if(1 > 2, 'yes', 'no')"),
              "2026-11"))
    return;
  set_num(&e, "days", "0");
  CHECK_INT(env_run(&e), 0);        /* f14 does not evaluate 1 / 0 */
  NUM("f1", "20");
  NUM("f2", "10");
  BOOL("f3", true);
  NUM("f4", "1");
  NUM("f5", "3");
  NUM("f6", "-2");
  NUM("f7", "-1.25");
  NUM("f8", "3");
  NUM("f9", "0");
  NUM("f10", "2.5");
  NUM("f11", "2.5");
  NUM("f12", "3");
  NUM("f13", "0.01");
  NUM("f14", "7");
  NUM("f15", "3");
  CHECK(text_is(&e, "f16", "no"));
  env_close(&e);
}

TEST(round_modes)
{
  struct env e;
  if (!env_ok(&e,
              ITEM("r1", "round(2.5, 1, half_away)")
              ITEM("r2", "round(-2.5, 1, half_away)")
              ITEM("r3", "round(2.5, 1, half_up)")
              ITEM("r4", "round(-2.5, 1, half_up)")
              ITEM("r5", "round(2.5, 1, half_even)")
              ITEM("r6", "round(3.5, 1, half_even)")
              ITEM("r7", "round(2.1, 1, up)")
              ITEM("r8", "round(-2.1, 1, up)")
              ITEM("r9", "round(2.9, 1, down)")
              ITEM("r10", "round(-2.9, 1, down)")
              ITEM("r11", "round(2.1, 1, ceiling)")
              ITEM("r12", "round(-2.9, 1, ceiling)")
              ITEM("r13", "round(2.9, 1, floor)")
              ITEM("r14", "round(-2.1, 1, floor)")
              ITEM("r15", "round(184.605, 0.1, jian_fen_jin_jiao)")
              ITEM("r16", "round(184.604, 0.1, jian_fen_jin_jiao)")
              ITEM("r17", "round(-184.605, 0.1, jian_fen_jin_jiao)")
              ITEM("r18", "round(1.005, 0.01, half_away)")
              ITEM("r19", "round(10 / 3, 0.01, half_even)")
              ITEM("r20", "round(1250, 100, half_even)")
              ITEM("r21", "round(1234, 100, half_away)"),
              "2026-11"))
    return;
  CHECK_INT(env_run(&e), 0);
  NUM("r1", "3");
  NUM("r2", "-3");
  NUM("r3", "3");
  NUM("r4", "-2");
  NUM("r5", "2");
  NUM("r6", "4");
  NUM("r7", "3");
  NUM("r8", "-3");
  NUM("r9", "2");
  NUM("r10", "-2");
  NUM("r11", "3");
  NUM("r12", "-2");
  NUM("r13", "2");
  NUM("r14", "-3");
  NUM("r15", "184.7");               /* 184.605 -> 184.61 -> 184.70 */
  NUM("r16", "184.6");               /* 184.604 -> 184.60 */
  NUM("r17", "-184.7");
  NUM("r18", "1.01");                /* exact: 1.005 is a tie */
  NUM("r19", "3.33");
  NUM("r20", "1200");                /* 12.5 hundreds -> 12 */
  NUM("r21", "1200");
  env_close(&e);
}

TEST(stored_rounding)
{
  /* An item with 'round' is stored rounded; later items use that. */
  struct env e;
  if (!env_ok(&e,
              "  - name: s1\n"
              "    formula: 10 / 3\n"
              "    round: 0.01 half_away\n"
              ITEM("s2", "s1 * 3")
              "  - name: s3\n"
              "    formula: 2 / 3\n"
              "    round: 0.1 down\n"
              ITEM("s4", "s3 + s3"),
              "2026-11"))
    return;
  CHECK_INT(env_run(&e), 0);
  NUM("s1", "3.33");
  NUM("s2", "9.99");                 /* not 10 */
  NUM("s3", "0.6");
  NUM("s4", "1.2");
  env_close(&e);
}

TEST(lookup_tables)
{
  struct env e;
  if (!env_ok(&e,
              ITEM("l1", "lookup(grade.base, 'A1')")
              ITEM("l2", "lookup(grade.perf, '一级')")
              ITEM("l3", "lookup(grade.base, 2)")
              ITEM("l4", "lookup(grade.base, 'Z9', 7)")
              ITEM("l5", "lookup(grade.perf, roster.grade)")
              ITEM("l6", "lookup(grade.base, 'a1', 0)")
              ITEM("l7", "lookup(grade.base, 1 + 1)")
              ITEM("l8", "lookup(grade.base, 'A1', 7)"),
              "2026-11"))
    return;
  set_text(&e, "grade", "二级");
  CHECK_INT(env_run(&e), 0);
  NUM("l1", "5000");
  NUM("l2", "1000");                 /* by alias */
  NUM("l3", "6000");                 /* a number key: "2" */
  NUM("l4", "7");                    /* default */
  NUM("l5", "1200");
  NUM("l6", "0");                    /* keys are case-sensitive */
  NUM("l7", "6000");
  NUM("l8", "5000");                 /* the default is not used */
  env_close(&e);
}

TEST(lookup_missing_key_at_run_time)
{
  struct env e;
  const char *path;
  if (!env_ok(&e, ITEM("lm", "lookup(grade.base, roster.grade)"),
              "2026-11"))
    return;
  path = e.r->files[0];
  set_text(&e, "grade", "Z9");
  CHECK_INT(env_run(&e), 1);
  CHECK(problem_at(&e.rd, path, L(2), FCOL,
                   "employee E1: item lm: table grade has no row 'Z9'"));
  env_close(&e);
}

TEST(bracket_and_band)
{
  struct env e;
  if (!env_ok(&e,
              ITEM("b1", "bracket(tax, 5000)")
              ITEM("b2", "bracket(tax, 3000)")
              ITEM("b3", "bracket(tax, 3000.01)")
              ITEM("b4", "bracket(tax, 20000)")
              ITEM("b5", "bracket(tax, 0)")
              ITEM("b6", "bracket(tax, 1000, 5000)")
              ITEM("b7", "band(tax.rate, 12000)")
              ITEM("b8", "band(tax.deduction, 12000.01)")
              ITEM("b9", "band(tax.rate, -5)")
              ITEM("b10", "bracket(tax, 12000)"),
              "2026-11"))
    return;
  CHECK_INT(env_run(&e), 0);
  NUM("b1", "290");                  /* 5000 * 10% - 210 */
  NUM("b2", "90");                   /* 'upto' is inclusive: 3000 * 3% */
  NUM("b3", "90.001");               /* 300.001 - 210 */
  NUM("b4", "2590");                 /* 4000 - 1410 */
  NUM("b5", "0");
  NUM("b6", "-110");                 /* row of 5000: 1000 * 10% - 210 */
  NUM("b7", "0.1");
  NUM("b8", "1410");
  NUM("b9", "0.03");
  NUM("b10", "990");
  env_close(&e);
}

TEST(in_list)
{
  struct env e;
  if (!env_ok(&e,
              ITEM("i1", "in(2, 1, 2, 3)")
              ITEM("i2", "in(5, 1, 2)")
              ITEM("i3", "in('b', 'a', 'b')")
              ITEM("i4", "in(roster.grade, 'A1', '二级')")
              ITEM("i5", "in(0.3, 0.1 + 0.2)")
              ITEM("i6", "not in('c', 'a', 'b')")
              ITEM("i7", "in(roster.grade, 'A1')"),
              "2026-11"))
    return;
  set_text(&e, "grade", "二级");
  CHECK_INT(env_run(&e), 0);
  BOOL("i1", true);
  BOOL("i2", false);
  BOOL("i3", true);
  BOOL("i4", true);
  BOOL("i5", true);
  BOOL("i6", true);
  BOOL("i7", false);
  env_close(&e);
}

TEST(items_in_any_order)
{
  struct env e;
  int ia, ib, ic, pa = -1, pb = -1, pc = -1;
  if (!env_ok(&e,
              ITEM("a", "b + 1")
              ITEM("c", "a * b")
              ITEM("b", "2")
              ITEM("z", "y + 1")
              ITEM("y", "x * 10")
              ITEM("x", "c"),
              "2026-11"))
    return;
  CHECK_INT(env_run(&e), 0);
  NUM("b", "2");
  NUM("a", "3");
  NUM("c", "6");
  NUM("x", "6");
  NUM("y", "60");
  NUM("z", "61");
  /* the evaluation order puts b before a before c */
  ia = rules_item_index(e.r, "a");
  ib = rules_item_index(e.r, "b");
  ic = rules_item_index(e.r, "c");
  CHECK_INT(e.p->norder[RULES_EMPLOYEE], 6);
  for (size_t k = 0; k < e.p->norder[RULES_EMPLOYEE]; k++) {
    int j = e.p->order[RULES_EMPLOYEE][k];
    if (j == ia) pa = (int)k;
    if (j == ib) pb = (int)k;
    if (j == ic) pc = (int)k;
  }
  CHECK(pb >= 0 && pb < pa && pa < pc);
  env_close(&e);
}

TEST(text_equality)
{
  struct env e;
  if (!env_ok(&e,
              ITEM("t1", "\"'abc' == 'abc'\"")
              ITEM("t2", "\"'abc' != 'abd'\"")
              ITEM("t3", "\"'abc' == 'abd'\"")
              ITEM("t4", "roster.grade == 'A1'")
              ITEM("t5", "roster.grade == \"A1\"")
              ITEM("t6", "if(roster.grade == 'A1', 'yes', 'no')")
              ITEM("t7", "roster.grade == ''")
              ITEM("t8", "month != '2026-12'")
              ITEM("t9", "\"'abc' == 'ab'\""),
              "2026-11"))
    return;
  set_text(&e, "grade", "A1");
  CHECK_INT(env_run(&e), 0);
  BOOL("t1", true);
  BOOL("t2", true);
  BOOL("t3", false);
  BOOL("t4", true);
  BOOL("t5", true);
  CHECK(text_is(&e, "t6", "yes"));
  BOOL("t7", false);
  BOOL("t8", true);
  BOOL("t9", false);
  env_close(&e);
}

TEST(inputs_adjustments_presence)
{
  struct env e;
  if (!env_ok(&e,
              ITEM("a1", "adjust.bonus + 1")
              ITEM("a2", "present(roster.days)")
              ITEM("a3", "present(roster.birth)")
              ITEM("a4", "roster.days * 2"),
              "2026-11"))
    return;
  money_set_int(&e.adj[0], 500);
  set_num(&e, "days", "2.5");
  CHECK_INT(env_run(&e), 0);
  NUM("a1", "501");
  BOOL("a2", true);
  BOOL("a3", false);
  NUM("a4", "5");
  env_close(&e);
}

TEST(group_sums_and_counts)
{
  struct env e;
  struct money *acc;
  struct value *gfields;
  size_t nagg, ng;
  static const char *const days[] = {"1", "2", "0.5"};

  if (!env_ok(&e,
              ITEM("pay", "roster.days * 100")
              "  - name: total\n    level: agency\n    formula: sum(pay)\n"
              "  - name: heads\n    level: agency\n    formula: count()\n"
              "  - name: big\n    level: agency\n"
              "    formula: count(pay > 150)\n"
              "  - name: all\n    level: district\n"
              "    formula: sum(total)\n",
              "2026-11"))
    return;
  nagg = e.p->nagg[RULES_AGENCY];
  CHECK_INT(nagg, 3);
  acc = money_array(nagg);
  for (size_t i = 0; i < 3; i++) {
    set_num(&e, "days", days[i]);
    CHECK_INT(env_run(&e), 0);
    program_accumulate(e.p, &e.f, acc);
  }
  ng = e.p->nfields[RULES_AGENCY];
  gfields = calloc(ng ? ng : 1, sizeof *gfields);
  for (size_t i = 0; i < ng; i++) {
    value_init(&gfields[i]);
    gfields[i].type = VT_TEXT;
    gfields[i].u.text = "A01";
  }
  e.f.level = RULES_AGENCY;
  e.f.who = "A01";
  e.f.fields = gfields;
  e.f.agg = acc;
  CHECK_INT(env_run(&e), 0);
  NUM("total", "350");               /* 100 + 200 + 50 */
  NUM("heads", "3");
  NUM("big", "1");                   /* only 200 > 150 */
  for (size_t i = 0; i < nagg; i++) money_clear(&acc[i]);
  free(acc);
  free(gfields);
  env_close(&e);
}

TEST(runtime_division_by_zero)
{
  struct env e;
  const char *path;
  if (!env_ok(&e,
              ITEM("x", "10 / roster.days")             /* lines 1-2 */
              ITEM("z", "roster.days * 5")              /* 3-4 */
              ITEM("ok", "7")                           /* 5-6 */
              ITEM("y", "1 + 1 / z")                    /* 7-8 */
              ITEM("w", "x + 1"),                       /* 9-10 */
              "2026-11"))
    return;
  path = e.r->files[0];
  set_num(&e, "days", "0");
  CHECK_INT(env_run(&e), 2);
  CHECK_INT(e.rd.n, 2);
  /* at each division, which starts where its left operand does */
  CHECK(problem_at(&e.rd, path, L(2), FCOL,
                   "employee E1: item x: division by zero"));
  CHECK(problem_at(&e.rd, path, L(8), FCOL + 4,
                   "employee E1: item y: division by zero"));
  /* evaluation goes on: the others have values, a failed item is 0 */
  NUM("ok", "7");
  NUM("z", "0");
  NUM("x", "0");
  NUM("w", "1");
  /* the same frame with a usable value */
  diag_free(&e.rd);
  set_num(&e, "days", "4");
  CHECK_INT(env_run(&e), 0);
  NUM("x", "2.5");
  NUM("z", "20");
  NUM("y", "1.05");
  NUM("w", "3.5");
  env_close(&e);
}

TEST(runtime_clamp_bounds)
{
  struct env e;
  const char *path;
  if (!env_ok(&e, ITEM("cl", "clamp(1, roster.days, 0)"), "2026-11"))
    return;
  path = e.r->files[0];
  set_num(&e, "days", "4");
  CHECK_INT(env_run(&e), 1);
  CHECK(problem_at(&e.rd, path, L(2), FCOL,
                   "item cl: clamp's lower bound is above its upper bound"));
  env_close(&e);
}

TEST(parameters_by_month)
{
  static const struct { const char *month, *v, *w; } cases[] = {
    {"2026-01", "1", "10"}, {"2026-06", "1", "10"}, {"2026-07", "2", "20"},
    {"2026-12", "2", "20"}
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    struct env e;
    if (!env_ok(&e, ITEM("v", "p.step") ITEM("w", "p.step * 10"),
                cases[i].month))
      return;
    CHECK_INT(env_run(&e), 0);
    if (!num_is(&e, "v", cases[i].v) || !num_is(&e, "w", cases[i].w))
      fprintf(stderr, "  in %s\n", cases[i].month);
    CHECK(num_is(&e, "v", cases[i].v));
    CHECK(num_is(&e, "w", cases[i].w));
    env_close(&e);
  }
}

TEST(runtime_dates_outside_calendar)
{
  struct env e;
  const char *path;
  if (!env_ok(&e, ITEM("wd", "work_days_between(roster.hire_date, month_end)"),
              "2026-11"))
    return;
  path = e.r->files[0];
  set_date(&e, "hire_date", "2025-12-01");
  CHECK_INT(env_run(&e), 1);
  CHECK(problem_at(&e.rd, path, L(2), FCOL, "item wd: dates outside the "
                   "calendar's years 2026..2026"));
  diag_free(&e.rd);
  set_date(&e, "hire_date", "2026-11-28");   /* Sat 28, Sun 29, Mon 30 */
  CHECK_INT(env_run(&e), 0);
  NUM("wd", "1");
  env_close(&e);
}

/* A text item whose evaluation fails must still leave a usable value: the
** run goes on "with a zero of the right type" (eval.c, program_run), and
** later items read it. Run in a child process, so that a crash fails this
** test instead of ending the whole binary. */
TEST(failed_text_item_is_usable)
{
  struct env e;
  pid_t pid;
  int st = 0;
  if (!env_ok(&e,
              ITEM("t", "if(1 / roster.days > 0, 'a', 'b')")
              ITEM("u", "t == 'a'")
              ITEM("v", "lookup(grade.base, t, 9)"),
              "2026-11"))
    return;
  set_num(&e, "days", "0");
  fflush(stdout);
  fflush(stderr);
  pid = fork();
  CHECK(pid >= 0);
  if (pid == 0) {
    size_t n = env_run(&e);
    bool ok = n == 1 && bool_is(&e, "u", false) && num_is(&e, "v", "9");
    if (n != 1) diag_print(&e.rd, stderr);
    fflush(stderr);
    _exit(ok ? 0 : 1);
  }
  if (pid > 0 && waitpid(pid, &st, 0) == pid) {
    if (WIFSIGNALED(st))
      fprintf(stderr, "  the run died of signal %d\n", WTERMSIG(st));
    CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
  } else {
    CHECK(!"child ran");
  }
  env_close(&e);
}

/* GMP allocations still live (every GMP allocation goes through these,
** installed in main()). */
static long gmp_live;

static void *count_alloc(size_t n)
{
  void *p = malloc(n);
  if (!p) abort();
  gmp_live++;
  return p;
}

static void *count_realloc(void *p, size_t old, size_t n)
{
  void *q = realloc(p, n);
  (void)old;
  if (!q) abort();
  return q;
}

static void count_free(void *p, size_t n)
{
  (void)n;
  if (p) gmp_live--;
  free(p);
}

/* Every temporary of a failed evaluation is freed, also a large one (a
** value beyond int64, which money.c keeps on the heap). */
static long live_after_band(const char *days, size_t *problems)
{
  struct env e;
  long before = gmp_live;
  *problems = 99;
  if (!env_ok(&e, ITEM("bl", "band(tax.rate, 100000000000 * 100000000000 / "
                          "roster.days)"), "2026-11"))
    return -1;
  set_num(&e, "days", days);
  LSAN_OFF();
  *problems = env_run(&e);
  LSAN_ON();
  if (*problems == 0) CHECK(num_is(&e, "bl", "0.2"));
  env_close(&e);
  return gmp_live - before;
}

TEST(failed_band_frees_its_argument)
{
  size_t n;
  CHECK_INT(live_after_band("1", &n), 0);     /* 10^22: the last row */
  CHECK_INT(n, 0);
  CHECK_INT(live_after_band("0", &n), 0);     /* division by zero */
  CHECK_INT(n, 1);
}

/* ---- compile errors -------------------------------------------------- */

TEST(error_unknown_name)
{
  struct env e;
  if (compile_fails(&e, ITEM("a", "1 + foo"), "2026-11")) {
    CHECK(problem_at(&e.d, e.path, L(2), FCOL + 4, "unknown name 'foo'"));
    CHECK_INT(e.d.n, 1);
  } else {
    CHECK(!"compile fails");
  }
  env_close(&e);
  /* a table used as a value */
  if (compile_fails(&e, ITEM("a", "grade + 1"), "2026-11"))
    CHECK(problem_at(&e.d, e.path, L(2), FCOL, "'grade' is a table"));
  else
    CHECK(!"compile fails");
  env_close(&e);
}

TEST(error_unknown_function)
{
  struct env e;
  if (compile_fails(&e, ITEM("a", "2 * frob(1)"), "2026-11"))
    CHECK(problem_at(&e.d, e.path, L(2), FCOL + 4,
                     "unknown function 'frob'"));
  else
    CHECK(!"compile fails");
  env_close(&e);
}

TEST(error_argument_count)
{
  struct env e;
  if (compile_fails(&e,
                    ITEM("a", "abs(1, 2)")
                    ITEM("b", "if(true, 1)")
                    ITEM("c", "min(1)")
                    ITEM("d", "1 + round(1, 0.01)")
                    ITEM("e", "lookup(grade.base)"),
                    "2026-11")) {
    CHECK(problem_at(&e.d, e.path, L(2), FCOL, "abs takes 1 argument, "
                     "not 2"));
    CHECK(problem_at(&e.d, e.path, L(4), FCOL, "if takes 3 arguments, "
                     "not 2"));
    CHECK(problem_at(&e.d, e.path, L(6), FCOL, "min takes 2 or more "
                     "arguments, not 1"));
    CHECK(problem_at(&e.d, e.path, L(8), FCOL + 4, "round takes 3 "
                     "arguments, not 2"));
    CHECK(problem_at(&e.d, e.path, L(10), FCOL, "lookup takes 2 or more "
                     "arguments, not 1"));
    CHECK_INT(e.d.n, 5);
  } else {
    CHECK(!"compile fails");
  }
  env_close(&e);
}

TEST(error_types)
{
  struct env e;
  if (compile_fails(&e,
                    ITEM("a", "1 + true")                   /* 1-2 */
                    ITEM("b", "if(1, 2, 3)")                /* 3-4 */
                    ITEM("c", "if(true, 1, 'x')")           /* 5-6 */
                    ITEM("d", "not 1")                      /* 7-8 */
                    ITEM("e", "\"'a' < 'b'\"")              /* 9-10 */
                    ITEM("f", "in(1, 'a')")                 /* 11-12 */
                    ITEM("g", "true > false")               /* 13-14 */
                    ITEM("h", "month_start + 1")            /* 15-16 */
                    ITEM("i", "1 and true"),                /* 17-18 */
                    "2026-11")) {
    CHECK(problem_at(&e.d, e.path, L(2), FCOL + 4,
                     "+ needs a number here, got a boolean"));
    CHECK(problem_at(&e.d, e.path, L(4), FCOL + 3,
                     "if needs a boolean here, got a number"));
    CHECK(problem_at(&e.d, e.path, L(6), FCOL + 12,
                     "the 'else' of if needs a number here, got a text"));
    CHECK(problem_at(&e.d, e.path, L(8), FCOL + 4,
                     "'not' needs a boolean here, got a number"));
    /* a comparison is placed where its left operand starts */
    CHECK(problem_at(&e.d, e.path, L(10), FCOL + 1,
                     "'<' cannot compare text values"));
    CHECK(problem_at(&e.d, e.path, L(12), FCOL + 6,
                     "in needs a number here, got a text"));
    CHECK(problem_at(&e.d, e.path, L(14), FCOL,
                     "'>' cannot compare boolean values"));
    CHECK(problem_at(&e.d, e.path, L(16), FCOL,
                     "+ needs a number here, got a date"));
    CHECK(problem_at(&e.d, e.path, L(18), FCOL,
                     "and needs a boolean here, got a number"));
    CHECK_INT(e.d.n, 9);
  } else {
    CHECK(!"compile fails");
  }
  env_close(&e);
}

TEST(error_cycle)
{
  struct env e;
  if (compile_fails(&e, ITEM("a", "b + 1") ITEM("b", "a * 2"), "2026-11")) {
    CHECK(problem_at(&e.d, e.path, L(2), FCOL,
                     "cycle: a -> b -> a"));
    CHECK_INT(e.d.n, 1);
  } else {
    CHECK(!"compile fails");
  }
  env_close(&e);
  if (compile_fails(&e, ITEM("s", "s + 1"), "2026-11"))
    CHECK(problem_at(&e.d, e.path, L(2), FCOL, "cycle: s -> s"));
  else
    CHECK(!"compile fails");
  env_close(&e);
  /* entered from outside: the path is the cycle only */
  if (compile_fails(&e, ITEM("x", "y") ITEM("y", "z + 1") ITEM("z", "y * 2"),
                    "2026-11")) {
    CHECK(problem_at(&e.d, e.path, L(4), FCOL, "cycle: y -> z -> y"));
    CHECK(e.d.n >= 1 && strstr(e.d.v[0].msg, "x ->") == NULL);
  } else {
    CHECK(!"compile fails");
  }
  env_close(&e);
}

TEST(error_constant_division_by_zero)
{
  struct env e;
  if (compile_fails(&e,
                    ITEM("a", "5 / 0")
                    ITEM("b", "5 / p.zero")
                    ITEM("c", "5 / -0")
                    ITEM("d", "5 / 0.00")
                    ITEM("e", "5 / (1 - 1)")
                    ITEM("f", "5 / (p.step * 2 - 2)"),
                    "2026-06")) {
    /* at the divisor; a parenthesised one starts at its '(' */
    CHECK(problem_at(&e.d, e.path, L(2), FCOL + 4, "division by zero"));
    CHECK(problem_at(&e.d, e.path, L(4), FCOL + 4, "division by zero"));
    CHECK(problem_at(&e.d, e.path, L(6), FCOL + 4, "division by zero"));
    CHECK(problem_at(&e.d, e.path, L(8), FCOL + 4, "division by zero"));
    CHECK(problem_at(&e.d, e.path, L(10), FCOL + 4, "division by zero"));
    /* p.step is 1 in 2026-06: 1 * 2 - 2 = 0 */
    CHECK(problem_at(&e.d, e.path, L(12), FCOL + 4, "division by zero"));
    CHECK_INT(e.d.n, 6);
  } else {
    CHECK(!"compile fails");
  }
  env_close(&e);
}

TEST(error_parentheses)
{
  struct env e;
  if (compile_fails(&e,
                    ITEM("a", "(1 + 2")
                    ITEM("b", "(1 + 2))")
                    ITEM("c", "max(1, 2")
                    ITEM("d", "2 * ()"),
                    "2026-11")) {
    CHECK(problem_at(&e.d, e.path, L(2), FCOL + 6, "expected ')'"));
    CHECK(problem_at(&e.d, e.path, L(4), FCOL + 7, "unexpected ')' after "
                     "a complete formula"));
    CHECK(problem_at(&e.d, e.path, L(6), FCOL + 8, "expected ',' or ')' "
                     "in the arguments of max"));
    CHECK(problem_at(&e.d, e.path, L(8), FCOL + 5, "expected a value"));
    CHECK_INT(e.d.n, 4);
  } else {
    CHECK(!"compile fails");
  }
  env_close(&e);
}

TEST(error_chained_comparison)
{
  struct env e;
  if (compile_fails(&e, ITEM("a", "1 < 2 < 3") ITEM("b", "1 == 1 == true"),
                    "2026-11")) {
    CHECK(problem_at(&e.d, e.path, L(2), FCOL + 6,
                     "comparisons do not chain"));
    CHECK(problem_at(&e.d, e.path, L(4), FCOL + 7,
                     "comparisons do not chain"));
  } else {
    CHECK(!"compile fails");
  }
  env_close(&e);
}

TEST(error_parameter_not_in_force)
{
  struct env e;
  if (compile_fails(&e, ITEM("a", "1 + p.late"), "2026-06"))
    CHECK(problem_at(&e.d, e.path, L(2), FCOL + 4, "parameter 'p.late' has "
                     "no value in force in 2026-06 (its first value is "
                     "from 2026-09)"));
  else
    CHECK(!"compile fails");
  env_close(&e);
  /* from its first month on, it compiles */
  if (env_ok(&e, ITEM("a", "1 + p.late"), "2026-09")) {
    CHECK_INT(env_run(&e), 0);
    NUM("a", "6");
  }
  env_close(&e);
}

TEST(error_round_arguments)
{
  struct env e;
  if (compile_fails(&e,
                    ITEM("a", "round(1, 0.01, nearest)")
                    ITEM("b", "round(1, 0, half_away)")
                    ITEM("c", "round(1, roster.days, half_away)"),
                    "2026-11")) {
    CHECK(problem_at(&e.d, e.path, L(2), FCOL + 15, "round's third argument "
                     "is a mode"));
    CHECK(problem_at(&e.d, e.path, L(4), FCOL + 9, "round's step is a "
                     "positive number"));
    CHECK(problem_at(&e.d, e.path, L(6), FCOL + 9, "round's step is a "
                     "positive number"));
  } else {
    CHECK(!"compile fails");
  }
  env_close(&e);
}

TEST(error_month_outside_calendar)
{
  struct env e;
  if (compile_fails(&e, ITEM("a", "p.step"), "2025-12")) {
    CHECK(problem_at(&e.d, e.path, L(2), FCOL,
                     "parameter 'p.step' has no value in force in 2025-12"));
    CHECK(e.d.n >= 1 && strstr(e.d.v[0].msg, "calendar covers 2026..2026, "
                               "not 2025-12") != NULL);
  } else {
    CHECK(!"compile fails");
  }
  env_close(&e);
}

TEST(error_lexer)
{
  struct env e;
  if (compile_fails(&e,
                    ITEM("a", "1 +")                        /* 1-2 */
                    ITEM("b", "1 2")                        /* 3-4 */
                    ITEM("c", "2x + 1")                     /* 5-6 */
                    ITEM("d", "\"'abc\"")                   /* 7-8 */
                    ITEM("e", "a. + 1")                     /* 9-10 */
                    ITEM("f", "1.5.2")                      /* 11-12 */
                    ITEM("g", "1 @ 2")                      /* 13-14 */
                    ITEM("h", "\"\""),                        /* 15-16 */
                    "2026-11")) {
    CHECK(problem_at(&e.d, e.path, L(2), FCOL + 3, "the formula ends too "
                     "early"));
    CHECK(problem_at(&e.d, e.path, L(4), FCOL + 2, "unexpected '2' after a "
                     "complete formula"));
    CHECK(problem_at(&e.d, e.path, L(6), FCOL, "a number cannot run into a "
                     "name"));
    CHECK(problem_at(&e.d, e.path, L(8), FCOL + 1, "text is not closed"));
    CHECK(problem_at(&e.d, e.path, L(10), FCOL, "a name cannot end with "
                     "'.'"));
    CHECK(problem_at(&e.d, e.path, L(12), FCOL, "not a number: '1.5.2'"));
    CHECK(problem_at(&e.d, e.path, L(14), FCOL + 2, "unexpected character "
                     "'@'"));
    CHECK(problem_at(&e.d, e.path, L(16), FCOL + 1, "the formula ends too "
                     "early"));
    CHECK_INT(e.d.n, 8);
  } else {
    CHECK(!"compile fails");
  }
  env_close(&e);
}

/* Columns count characters, as libyaml does: Chinese text before an error
** in the formula or on the YAML line moves it by one column a character. */
TEST(error_columns_count_characters)
{
  struct env e;
  if (compile_fails(&e,
                    ITEM("a", "lookup(grade.perf, '一级') + foo")
                    "  - {name: b, zh: 工资, formula: 1 + bar}\n",
                    "2026-11")) {
    CHECK(problem_at(&e.d, e.path, L(2), FCOL + 27, "unknown name 'foo'"));
    CHECK(problem_at(&e.d, e.path, L(3), 36, "unknown name 'bar'"));
  } else {
    CHECK(!"compile fails");
  }
  env_close(&e);
}

/* "(((...(1)...)))" with n pairs, as an item. */
static char *nested_item(int n)
{
  static char buf[512];
  int k = snprintf(buf, sizeof buf, "  - name: deep\n    formula: ");
  for (int i = 0; i < n; i++) buf[k++] = '(';
  buf[k++] = '1';
  for (int i = 0; i < n; i++) buf[k++] = ')';
  snprintf(buf + k, sizeof buf - (size_t)k, "\n");
  return buf;
}

TEST(nesting_limit)
{
  struct env e;
  if (env_ok(&e, nested_item(40), "2026-11")) {
    CHECK_INT(env_run(&e), 0);
    NUM("deep", "1");
  }
  env_close(&e);
  if (compile_fails(&e, nested_item(100), "2026-11"))
    CHECK(problem_at(&e.d, e.path, L(2), FCOL + 64, "formula nests deeper "
                     "than 64 levels"));
  else
    CHECK(!"compile fails");
  env_close(&e);
}

int main(void)
{
  mp_set_memory_functions(count_alloc, count_realloc, count_free);
  RUN(precedence);
  RUN(percentages);
  RUN(exact_arithmetic);
  RUN(dates_and_facts);
  RUN(functions);
  RUN(round_modes);
  RUN(stored_rounding);
  RUN(lookup_tables);
  RUN(lookup_missing_key_at_run_time);
  RUN(bracket_and_band);
  RUN(in_list);
  RUN(items_in_any_order);
  RUN(text_equality);
  RUN(inputs_adjustments_presence);
  RUN(group_sums_and_counts);
  RUN(runtime_division_by_zero);
  RUN(runtime_clamp_bounds);
  RUN(parameters_by_month);
  RUN(runtime_dates_outside_calendar);
  RUN(failed_text_item_is_usable);
  RUN(failed_band_frees_its_argument);
  RUN(error_unknown_name);
  RUN(error_unknown_function);
  RUN(error_argument_count);
  RUN(error_types);
  RUN(error_cycle);
  RUN(error_constant_division_by_zero);
  RUN(error_parentheses);
  RUN(error_chained_comparison);
  RUN(error_parameter_not_in_force);
  RUN(error_round_arguments);
  RUN(error_month_outside_calendar);
  RUN(error_lexer);
  RUN(error_columns_count_characters);
  RUN(nesting_limit);
  return check_done();
}
