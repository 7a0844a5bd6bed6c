/*
** bankfile.c -- the bank's salary transfer file (bankfile.h).
*/
#include "bankfile.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

/* At most this many refused values are listed; the rest are counted. */
#define BANKFILE_PROBLEMS_MAX 50
#define BANKFILE_TEXT_MAX 1100

struct bank {
  struct outputs_month *m;
  FILE *out;
  const char *name;
  struct diag_list *d;
  size_t count;
  struct money *sums;            /* per column */
  size_t problems;
};

/* Why s cannot go into the file unchanged, or NULL. */
static const char *refusal(const char *s)
{
  if (strchr("=+-@", s[0]) && s[0]) return "starts with a character a "
    "spreadsheet takes for a formula, and the bank file is not escaped";
  for (const char *p = s; *p; p++) {
    if (*p == ',' || *p == '"') return "holds a comma or a quote, which "
      "the bank file cannot carry";
    if ((unsigned char)*p < 0x20 || *p == 0x7f) return "holds a control "
      "character";
  }
  return NULL;
}

static void refuse(struct bank *b, long emp, const struct layout_column *c,
                   const char *value, const char *why)
{
  const struct inputs *in = b->m->in;
  if (b->problems++ >= BANKFILE_PROBLEMS_MAX) return;
  diag_add(b->d, emp >= 0 ? in->paths[RULES_F_ROSTER] : b->name,
           emp >= 0 ? in->emps[emp].line[RULES_F_ROSTER] : 0, 0, c->title,
           "%s: '%s' %s", b->name, value, why);
}

/* One value of a line into buf; false when it is refused. */
static bool cell(struct bank *b, const char *const *vals, size_t n,
                 long emp, size_t k, char *buf, size_t cap)
{
  const struct layout_column *c = &b->m->lay->bank.cols[k];
  const struct money *num = NULL;
  struct money v = MONEY_ZERO;
  int64_t fen;
  bool ok = true, isnum = c->src == LAYOUT_ITEM || c->src == LAYOUT_SUM;
  buf[0] = '\0';
  if (c->src == LAYOUT_TEXT) snprintf(buf, cap, "%s", c->text);
  if (c->src == LAYOUT_FIELD &&
      outputs_field(b->m, c, emp, -1, buf, cap, &num) == OUTPUTS_NUMBER) {
    money_copy(&v, num);
    isnum = true;
  }
  for (size_t i = 0; i < c->nitems; i++) {
    struct money x = MONEY_ZERO;
    if (outputs_number(b->m, c->items[i], vals, n, &x)) money_add(&v, &v, &x);
    money_clear(&x);
  }
  if (isnum && money_to_fen(&v, &fen) != MONEY_OK) {
    refuse(b, emp, c, "?", "is not a whole number of fen");
    ok = false;
  } else if (isnum) {
    (void)money_format(&v, 2, 2, buf, cap);
    if (c->total == LAYOUT_TOTAL_SUM) money_add(&b->sums[k], &b->sums[k], &v);
  } else if (refusal(buf)) {
    refuse(b, emp, c, buf, refusal(buf));
    ok = false;
  }
  money_clear(&v);
  return ok;
}

static int bank_row(void *ctx, int level, const char *entity,
                    const char *agency, const char *const *names,
                    const char *const *vals, size_t n)
{
  struct bank *b = ctx;
  const struct layout_bank *lb = &b->m->lay->bank;
  long emp = inputs_find(b->m->in, entity);
  char buf[BANKFILE_TEXT_MAX];
  bool ok = true;
  (void)agency;
  outputs_bind(b->m, level, names, n);
  if (lb->when >= 0 && !outputs_when(b->m, lb->when, vals, n)) return 0;
  if (emp < 0) {
    diag_add(b->d, b->name, 0, 0, NULL, "employee %s of the ledger is not "
             "in the run's stored roster", entity);
    b->problems++;
    return 1;
  }
  for (size_t k = 0; k < lb->ncols; k++) {
    ok &= cell(b, vals, n, emp, k, buf, sizeof buf);
    fprintf(b->out, "%s%s", k ? "," : "", buf);
  }
  fputs("\r\n", b->out);
  b->count++;
  return ok ? 0 : b->problems >= BANKFILE_PROBLEMS_MAX;
}

/* The last line: the first column without a total says what it is. */
static void trailer(struct bank *b)
{
  const struct layout_bank *lb = &b->m->lay->bank;
  bool labelled = false;
  for (size_t k = 0; k < lb->ncols; k++) {
    char buf[64] = "";
    if (lb->cols[k].total == LAYOUT_TOTAL_COUNT)
      snprintf(buf, sizeof buf, "%zu", b->count);
    else if (lb->cols[k].total == LAYOUT_TOTAL_SUM)
      (void)money_format(&b->sums[k], 2, 2, buf, sizeof buf);
    fprintf(b->out, "%s%s", k ? "," : "", buf[0] || labelled ? buf
            : b->m->lay->words[LAYOUT_WORD_TOTAL]);
    labelled |= !buf[0];
  }
  fputs("\r\n", b->out);
}

bool bankfile_write(struct outputs_month *m, FILE *out, const char *name,
                    struct diag_list *d)
{
  struct bank b = {m, out, name, d, 0, NULL, 0};
  const struct layout_bank *lb = &m->lay->bank;
  enum ledger_err e;
  b.sums = xcalloc(lb->ncols + 1, sizeof *b.sums);
  for (size_t k = 0; k < lb->ncols; k++) b.sums[k] = MONEY_ZERO;
  fputs("\xEF\xBB\xBF", out);
  for (size_t k = 0; k < lb->ncols; k++)
    fprintf(out, "%s%s", k ? "," : "", lb->cols[k].title);
  fputs("\r\n", out);
  e = ledger_run_level(m->L, m->run.run_id, 0, false, bank_row, &b);
  if (e != LEDGER_OK) diag_add(d, name, 0, 0, NULL, "%s",
                               ledger_message(m->L));
  if (b.problems > BANKFILE_PROBLEMS_MAX)
    diag_add(d, name, 0, 0, NULL, "... and %zu more values refused",
             b.problems - BANKFILE_PROBLEMS_MAX);
  trailer(&b);
  for (size_t k = 0; k < lb->ncols; k++) money_clear(&b.sums[k]);
  free(b.sums);
  return e == LEDGER_OK && b.problems == 0;
}
