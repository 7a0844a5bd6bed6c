/*
** comparebook.h -- the what-if comparison workbook (comparison.xlsx).
**
** `paysettle whatif` (whatif.c) computes the baseline and one or more
** scenarios over a range of months; this module writes them side by side
** into one workbook, a column group per scenario:
**
**   汇总 Totals     every district item (its Chinese label, its name):
**                   the baseline, then per scenario its value, the
**                   difference and the change in percent. Below the table:
**                   the period, what the baseline is (ledger or computed),
**                   what each scenario is, the item employees are ranked
**                   by, and a native column chart of the difference of
**                   the key item per agency, one series per scenario.
**   单位 Agencies   one row per agency; a column group (baseline, then per
**                   scenario its value and the difference) for the key
**                   item summed over the agency's employees, and one for
**                   each agency amount item that changes anywhere.
**   人员 Employees  only the employees whose amounts change, the largest
**                   change of the key item first (the largest of the
**                   scenarios', then roster order); a column group for the
**                   key item and for each employee amount that changes.
**   项目 Items      every employee amount item summed over the employees,
**                   the key item first: baseline, per scenario its value,
**                   the difference, the percent.
**
** The key item is the rule set's summary.compare (an employee item). The
** chart and the key columns are left out when the rule set names none.
**
** Figures mean what the CSV files of whatif.c say: a difference is the
** scenario's value less the baseline's, the scenario's value when the
** baseline has no such row (an employee the ledger's run did not have);
** a side that has no such row gets blank cells. An employee changes when
** one of its amount items (2 or more decimals) differs in a scenario. A
** percent is comparebook_change() of the difference and the baseline,
** blank when the baseline is zero.
**
** It looks like the month's workbooks (workbook.h): the rule set's layout
** gives the font (a CJK font), its size, the title fill, the money format
** and the page header and footer; two frozen title rows (the group, then
** the column) with an autofilter; column widths from the widest text;
** landscape A4 pages fitted to the width with the title rows repeated.
** Amounts (and the key item) are numbers in the layout's money format
** (#,##0.00); other figures are counts (#,##0) or rates (#,##0.00##, up
** to four decimals); percents are numbers in 0.00%. Exact values become
** IEEE numbers only at the cell (fen / 100 for a whole number of fen, as
** workbook.c does: the nearest double to the decimal). Text (ids, agency codes,
** file names) is written as text, with a leading apostrophe when a
** spreadsheet would take it for a formula.
**
** The sheets are written in libxlsxwriter's constant-memory mode, rows in
** order, so memory is the rows kept here (the changed employees), not the
** cells. The document date is the last day of the range, so the same
** figures give the same bytes.
*/
#ifndef PAYSETTLE_COMPAREBOOK_H
#define PAYSETTLE_COMPAREBOOK_H

#include <stdbool.h>
#include <stddef.h>
#include "diag.h"
#include "figures.h"
#include "layout.h"
#include "money.h"
#include "rules.h"

/* Scenarios side by side in one workbook (whatif compares at most 8). */
#define COMPAREBOOK_SCENARIOS_MAX 8

struct comparebook_scenario {
  const char *name;             /* "g3": letters, digits, '_', '-' */
  const char *what;             /* how it was given ("--set ...", a rule
                                   file); NULL: not shown */
  const struct fig_vals *v;     /* its figures over the range */
};

struct comparebook {
  const struct rules *r;        /* the base rule set: the items' labels */
  const struct layout *lay;     /* its layout, or NULL (no 'outputs'
                                   section): libxlsxwriter's defaults */
  const struct fig_cols *cols;  /* the columns of every side's figures */
  int key;                      /* employee column of summary.compare, or
                                   -1; summed over the range */
  const char *period;           /* "2026-11", "2026-07..2026-12" */
  int ym_last;                  /* the range's last month */
  const char *basis;            /* what the baseline is, as text */
  const struct fig_vals *base;  /* the baseline's figures */
  size_t nsc;                   /* 1 .. COMPAREBOOK_SCENARIOS_MAX */
  const struct comparebook_scenario *sc;
};

/* Write the workbook b to path (created or truncated; libxlsxwriter's
** scratch files go to tmpdir, NULL for the system's). Every libxlsxwriter
** error, the close's included, is a problem in d and makes the result
** false; the file is then incomplete and the caller removes it. More
** changed employees than a sheet holds is such a problem. */
bool comparebook_write(const struct comparebook *b, const char *path,
                       const char *tmpdir, struct diag_list *d);

/* The change of d against the baseline b as a ratio: d / |b| rounded half
** away from zero to 0.0001 (0.01%, what the summary and the CSV files
** print as "+1.15%"). Returns false, *r unchanged, when b is zero. */
bool comparebook_change(struct money *r, const struct money *d,
                        const struct money *b);

#endif
