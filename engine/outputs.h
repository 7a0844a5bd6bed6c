/*
** outputs.h -- the month's files, written from the ledger.
**
** A month's outputs (the workbooks, the bank file and the journal that
** the rule set's layout names: layout.h) are always written from what the
** ledger holds, never from a computation in memory: `run` writes them
** after its commit by reading the month back, and `export` writes them
** again years later the same way. The items come from the stored results;
** the employees' names, ID numbers and bank accounts, which are input
** fields and not items, come from the run's own stored input files,
** replayed through vfs.c and read again by inputs.c exactly as `reproduce`
** does; the layout comes from the run's stored rule files. So the same
** ledger month always gives byte-identical files.
**
** Publishing. Files are written under temporary names and renamed into
** place only when complete and flushed to disk (fsync of each file and of
** the directory). A whole month is written into a fresh folder next to
** its final place (ROOT/.YYYY-MM.XXXXXX, mode 0700 while it is written),
** which then replaces ROOT/YYYY-MM in one atomic exchange (renameat2
** RENAME_EXCHANGE): at every moment ROOT/YYYY-MM is the previous complete
** set or the new one; any failure leaves it untouched. Files with full ID
** numbers or bank accounts (the layout's private workbooks and the bank
** file) have mode 0600, the others 0644.
*/
#ifndef PAYSETTLE_OUTPUTS_H
#define PAYSETTLE_OUTPUTS_H

#include <stdbool.h>
#include <stddef.h>
#include "cli.h"
#include "diag.h"
#include "inputs.h"
#include "layout.h"
#include "ledger.h"

/* One stored result row (an agency, the district), kept in memory. */
struct outputs_row {
  char *entity;
  size_t n;
  char **vals;
};

/* Everything the writers read, for one month of the ledger. */
struct outputs_month {
  struct ledger *L;
  struct ledger_run run;
  int ym;
  char month[8];
  struct rules *r;               /* the run's rules, replayed */
  struct program *p;
  struct inputs *in;             /* the run's inputs, replayed */
  struct layout *lay;
  int *pos[RULES_LEVELS];        /* per rules item: its index among the
                                    stored values of its level, or -1 */
  size_t nagencies;
  struct outputs_row *agencies;  /* the agency rows, by code */
  long *agency_in;               /* per agency row: index in in->agencies */
  struct outputs_row district;
  size_t *adj_first, *adj_next;  /* each employee's adjustment rows */
  size_t rows_max;               /* rows per sheet: Excel's 1,048,576 */
};

/* Read month ym of the ledger into m: its run (the closed one, else the
** draft), the run's rule and input files replayed, the layout, the agency
** and district rows. Returns false with the problems in d (a month with
** no run, stored files that no longer load, a layout that does not fit
** the run's items). m is always left ready for outputs_month_close. */
bool outputs_month_open(struct outputs_month *m, struct ledger *L, int ym,
                        struct diag_list *d);
void outputs_month_close(struct outputs_month *m);

/* Learn the order of the stored items of level lv (the names a row
** callback receives); done once per level, later calls return at once. */
void outputs_bind(struct outputs_month *m, int lv, const char *const *names,
                  size_t n);
/* The stored exact text of item in a row of its level (vals[n]); NULL
** when the row does not hold it. */
const char *outputs_item(const struct outputs_month *m, int item,
                         const char *const *vals, size_t n);
/* The exact value of a numeric item in *out (which must be initialised);
** false when the row holds no number for it. */
bool outputs_number(const struct outputs_month *m, int item,
                    const char *const *vals, size_t n, struct money *out);
/* True when the item is a number above zero or true in the row: the
** layout's 'when'. */
bool outputs_when(const struct outputs_month *m, int item,
                  const char *const *vals, size_t n);

enum outputs_cell { OUTPUTS_EMPTY, OUTPUTS_TEXT, OUTPUTS_NUMBER };

/* The value of input column c for employee emp (an index into in->emps)
** or, when emp < 0, for agency ag (an index into in->agencies): text in
** buf (masked, or as its table's Chinese name, as c says; an employee's
** adjustment rows joined by "; "; a boolean as the layout's yes/no), or
** a number in *num. */
enum outputs_cell outputs_field(const struct outputs_month *m,
                                const struct layout_column *c, long emp,
                                long ag, char *buf, size_t cap,
                                const struct money **num);

/* After `run` committed month ym: write its files into the --outputs
** root as one set and say so on stdout; problems to stderr. Returns the
** exit status (0, or 1 when the files could not be written: the ledger
** keeps the month, the previous folder is untouched). */
int outputs_after_run(struct ledger *L, int ym, const struct cli *c);

#endif
