/*
** figures.h -- one side's figures of a month, computed or read back from
** the ledger, and a side's own year-to-date history over a range.
**
** What-if and retro both compare two sides of the same months: what the
** ledger holds (or a computation under the base rules) against the months
** computed under other rules or other inputs. This module holds the
** figures of a side in columns of exact values:
**
**   fig_cols     the numeric items of each level, by name, in the order of
**                one reference program; every side is read into these
**                columns, so two rule sets compare item by item by name;
**   fig_vals     one month's (or a range's summed) figures of one side:
**                a row per employee, per agency, and the district row;
**   fig_history  the side's own history over a range, presented to the
**                batch as ytd()/ytd_months()/prev(): the ledger's real
**                closed months before the range, then the side's own
**                computed months (never mixed into the ledger).
**
** Amount columns (items with 2 or more decimals) add up over months;
** other columns (rates, counts) keep the last month's value.
*/
#ifndef PAYSETTLE_FIGURES_H
#define PAYSETTLE_FIGURES_H

#include "batch.h"
#include "ledger.h"
#include "strmap.h"

struct fig_cols {
  size_t n[RULES_LEVELS];
  char **name[RULES_LEVELS];
  bool *amount[RULES_LEVELS];      /* an amount (summed over months) */
};

struct fig_vals {
  struct strmap emp_ix;            /* id -> row; keys are emp_id[] */
  size_t nemp, capemp;
  char **emp_id;
  char **emp_agency;
  struct money *emp;               /* nemp x cols.n[0] */
  struct strmap ag_ix;             /* code -> row; keys are ag_id[] */
  size_t nag, capag;
  char **ag_id;
  struct money *ag;                /* nag x cols.n[1] */
  struct money *dist;              /* cols.n[2] */
  bool from_ledger;
};

struct fig_history {
  const struct fig_cols *cols;
  const struct ledger_history *ledger;   /* before the range; may be NULL */
  int year0;                       /* tax year of the range's first month */
  int year;                        /* tax year of the side's own figures */
  struct strmap ix;
  size_t n, cap;
  char **id;
  struct money *ytd;               /* n x cols->n[0] */
  struct money *months;            /* n */
  struct money *prev;              /* n x cols->n[0] */
  const struct program *mapped;    /* the program ytd_col/prev_col are for */
  int *ytd_col, *prev_col;         /* its history slots -> columns */
};

/* Where a computed month's input files are: the inputs root (agencies.csv
** and YYYY-MM/), and the year-to-date opening and retro files to read
** instead of the root's (NULL: none). */
struct fig_inputs {
  const char *root;
  const char *ytd_path;
  const char *retro_path;
};

/* The numeric items of each level of program p; fig_cols_free accepts a
** zeroed struct. */
void fig_cols_init(struct fig_cols *c, const struct program *p);
void fig_cols_free(struct fig_cols *c);
/* The column of item name at level lv, or -1. */
int fig_col_of(const struct fig_cols *c, int lv, const char *name);

void fig_vals_init(struct fig_vals *v, const struct fig_cols *c);
void fig_vals_free(struct fig_vals *v, const struct fig_cols *c);
/* A new row of level lv for id (agency: the employee's agency code);
** returns its cols->n[lv] values, all zero. The district has one row. */
struct money *fig_vals_row(struct fig_vals *v, const struct fig_cols *c,
                           int lv, const char *id, const char *agency);
/* The row of id at level lv (created when new). */
struct money *fig_vals_find(struct fig_vals *v, const struct fig_cols *c,
                            int lv, const char *id, const char *agency);
/* Add month m into total: amounts add up, other figures keep m's value. */
void fig_accumulate(struct fig_vals *total, const struct fig_vals *m,
                    const struct fig_cols *c);

/* A side's history over a range starting at month ym0, on top of the
** ledger's history before the range (lh, may be NULL). */
void fig_history_init(struct fig_history *h, const struct fig_cols *c,
                      const struct ledger_history *lh, int ym0);
void fig_history_free(struct fig_history *h);
/* Add a month of tax year `year` that the side computed (or took). */
void fig_history_add(struct fig_history *h, const struct fig_vals *v,
                     int year);

/* Compute month ym under rules r with the side's history h into v, from
** the input files of src. Problems go to d; returns true when none. The
** vfs overlay (openings, retro files) is cleared afterwards. */
bool fig_compute(const struct rules *r, int ym, const struct fig_inputs *src,
                 struct fig_history *h, struct fig_vals *v,
                 struct diag_list *d);
/* Read the ledger's run run_id into v. Returns false on a ledger error. */
bool fig_from_run(struct ledger *L, int64_t run_id, struct fig_vals *v,
                  const struct fig_cols *c);

#endif
