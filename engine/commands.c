/*
** commands.c -- paysettle check and paysettle calc.
**
** Both follow the same path: load the rule set, compile it for the month,
** read and check the inputs, compute. Nothing is printed on stdout unless
** the whole month computed without a single problem: calc writes its
** results to a temporary file first and copies it out only at the end.
*/
#include "cli.h"
#include "batch.h"
#include "report.h"
#include "util.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>

struct month {
  struct program *p;
  struct inputs *in;
};

/* Compile and read month ym; problems to d. Returns false when nothing
** can be computed (the program or the inputs could not be built). */
static bool month_open(struct month *m, const struct rules *r,
                       const struct cli *c, int ym, struct diag_list *d)
{
  memset(m, 0, sizeof *m);
  m->p = program_compile(r, ym, d);
  if (!m->p) return false;
  m->in = inputs_load(m->p, c->inputs_root, ym, c->ytd_path, NULL, d);
  return m->in != NULL;
}

static void month_close(struct month *m, const struct rules *r)
{
  inputs_free(m->in, r);
  program_free(m->p);
}

static const struct batch_sink NULL_SINK = {NULL, NULL, NULL, NULL};

/* Check one month: inputs, rule checks and a full evaluation. */
static size_t check_month(const struct rules *r, const struct cli *c,
                          int ym)
{
  struct diag_list d;
  struct month m;
  char month[8];
  size_t n;

  diag_init(&d);
  cal_format_month(ym, month);
  if (month_open(&m, r, c, ym, &d))
    (void)batch_run(m.p, m.in, &batch_history_opening, &NULL_SINK, &d);
  n = diag_count(&d);
  if (n) {
    diag_print(&d, stderr);
    fprintf(stderr, "%s: %zu problem%s\n", month, n, n == 1 ? "" : "s");
  } else {
    printf("%s: ok: %zu employees, %zu agencies\n", month,
           m.in->nemployees, m.in->nagencies);
  }
  month_close(&m, r);
  diag_free(&d);
  return n;
}

static int cmp_int(const void *a, const void *b)
{
  return *(const int *)a - *(const int *)b;
}

/* Every YYYY-MM folder under the inputs root, sorted. */
static size_t list_months(const char *root, int **out)
{
  DIR *dir = opendir(root);
  struct dirent *de;
  size_t n = 0, cap = 0;
  int *v = NULL, ym;
  if (!dir) return 0;
  while ((de = readdir(dir)) != NULL) {
    if (!cal_parse_month(de->d_name, &ym)) continue;
    xgrow(&v, &cap, n + 1, sizeof *v);
    v[n++] = ym;
  }
  closedir(dir);
  if (n) qsort(v, n, sizeof *v, cmp_int);
  *out = v;
  return n;
}

int cmd_check(const struct cli *c)
{
  struct rules *r = cli_rules(c);
  int *months = NULL, ym;
  size_t nmonths, problems = 0;

  if (!r) return 1;
  if (c->nargs > 1) {
    rules_free(r);
    fprintf(stderr, "paysettle: check takes at most one month\n");
    return 2;
  }
  if (c->nargs == 1) {
    if (!cal_parse_month(c->args[0], &ym)) {
      rules_free(r);
      fprintf(stderr, "paysettle: '%s' is not a month YYYY-MM\n",
              c->args[0]);
      return 2;
    }
    months = xmalloc(sizeof *months);
    months[0] = ym;
    nmonths = 1;
  } else {
    nmonths = list_months(c->inputs_root, &months);
    if (nmonths == 0)
      fprintf(stderr, "paysettle: no YYYY-MM folder under %s\n",
              c->inputs_root);
  }
  printf("rules: ok: %s (%zu items, %zu parameters, %zu tables)\n",
         r->name ? r->name : c->rules_path, r->nitems, r->nparams,
         r->ntables);
  for (size_t i = 0; i < nmonths; i++) problems += check_month(r, c,
                                                               months[i]);
  free(months);
  rules_free(r);
  return problems || nmonths == 0 ? 1 : 0;
}

static bool parse_report_options(const struct cli *c, struct report *rep)
{
  rep->format = REPORT_CSV;
  rep->level = REPORT_EMPLOYEE;
  if (c->format && strcmp(c->format, "json") == 0) {
    rep->format = REPORT_JSON;
    rep->level = REPORT_ALL;
  } else if (c->format && strcmp(c->format, "lines") == 0) {
    rep->format = REPORT_LINES;
    rep->level = REPORT_ALL;
  } else if (c->format && strcmp(c->format, "csv") != 0) {
    fprintf(stderr, "paysettle: --format is csv, json or lines\n");
    return false;
  }
  if (!c->level) return true;
  if (strcmp(c->level, "employee") == 0) rep->level = REPORT_EMPLOYEE;
  else if (strcmp(c->level, "agency") == 0) rep->level = REPORT_AGENCY;
  else if (strcmp(c->level, "district") == 0) rep->level = REPORT_DISTRICT;
  else if (strcmp(c->level, "all") == 0 && rep->format != REPORT_CSV)
    rep->level = REPORT_ALL;
  else {
    fprintf(stderr, "paysettle: --level is employee, agency or district "
            "(or all, with --format json)\n");
    return false;
  }
  return true;
}

static int copy_out(FILE *tmp)
{
  char buf[65536];
  size_t n;
  rewind(tmp);
  while ((n = fread(buf, 1, sizeof buf, tmp)) > 0)
    if (fwrite(buf, 1, n, stdout) != n) return 2;
  return ferror(tmp) || fflush(stdout) ? 2 : 0;
}

int cmd_calc(const struct cli *c)
{
  struct rules *r;
  struct diag_list d;
  struct month m;
  struct report rep;
  struct batch_sink sink;
  int ym, rc = 0;

  memset(&rep, 0, sizeof rep);
  if (c->nargs != 1 || !cal_parse_month(c->args[0], &ym)) {
    fprintf(stderr, "paysettle: calc needs a month YYYY-MM\n");
    return 2;
  }
  if (!parse_report_options(c, &rep)) return 2;
  r = cli_rules(c);
  if (!r) return 1;
  diag_init(&d);
  if (month_open(&m, r, c, ym, &d) && diag_count(&d) != 0) {
    /* still evaluate the rows that could be read, to report every
    ** problem of the month at once */
    (void)batch_run(m.p, m.in, &batch_history_opening, &NULL_SINK, &d);
  } else if (m.in) {
    rep.out = tmpfile();
    rep.p = m.p;
    if (!rep.out) {
      perror("paysettle: temporary file");
      rc = 2;
    } else {
      report_begin(&rep);
      sink = report_sink(&rep);
      (void)batch_run(m.p, m.in, &batch_history_opening, &sink, &d);
      report_end(&rep);
    }
  }
  if (diag_count(&d)) {
    cli_print_problems(&d, c->args[0]);
    rc = 1;
  } else if (rc == 0) {
    rc = ferror(rep.out) ? 2 : copy_out(rep.out);
  }
  if (rep.out) fclose(rep.out);
  month_close(&m, r);
  diag_free(&d);
  rules_free(r);
  return rc;
}
