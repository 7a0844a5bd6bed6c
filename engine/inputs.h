/*
** inputs.h -- one month's input files, read and checked against the rule
** set's schema.
**
** inputs_load() reads agencies.csv and ytd-opening.csv from the inputs root
** and roster.csv, attendance.csv, adjustments.csv and satisfaction.csv from
** its YYYY-MM folder, with the columns the rule set declares (rules.h:
** inputs). It checks everything inputs.md asks for that does not need a
** formula: the form of each value (ids, GB 11643 check digits, bank account
** digits, dates, amounts with at most N decimals, half days, booleans, keys
** of the rule set's tables), required and unknown columns, unique values,
** duplicates, and the joins between files (every attendance row matches
** one roster employee and back, adjustments and satisfaction name known
** employees and agencies, an item allowed once a year appears once).
** Checks that need a formula (leave days against scheduled working days,
** dates against the month) are the rule set's 'checks', evaluated by the
** batch.
**
** Every problem goes to the diag list with file, line and column name; the
** function keeps going so that all of them are reported together.
*/
#ifndef PAYSETTLE_INPUTS_H
#define PAYSETTLE_INPUTS_H

#include <stddef.h>
#include "csvin.h"
#include "diag.h"
#include "program.h"
#include "strmap.h"

struct employee {
  const char *id;
  size_t agency;                   /* index into agencies; SIZE_MAX: none */
  struct value *fields;            /* program_field_index layout */
  struct money *adj;               /* per adjustment item: sum of rows */
  unsigned long line[RULES_FILES]; /* row of each file (0: none) */
  bool has_opening;                /* a ytd-opening row for this year */
  struct money *opening;           /* per rules->opening column */
  struct money opening_months;
  unsigned long opening_line;
  bool bad;                        /* a row of this employee was refused */
  bool duplicate;                  /* a second roster row with this id */
};

struct agency {
  const char *code;
  struct value *fields;
  unsigned long line[RULES_FILES];
  size_t nemployees;
  bool bad;                        /* a row of this agency was refused */
};

struct adjustment_row {            /* kept for the ledger and workbooks */
  size_t employee;
  int item;
  struct money amount;
  const char *note;
  unsigned long line;
  enum rules_file role;            /* adjustments, or retro (the ledger's) */
};

/* A retro amount for an employee who is not on the month's roster: it
** cannot be settled in this month's payroll (see inputs_load). */
struct retro_away {
  const char *employee;            /* as in the retro file */
  int item;                        /* adjustment index */
  struct money amount;
};

struct inputs {
  int ym;
  char *paths[RULES_FILES];        /* NULL when an optional file is absent */
  struct csvin_file *files[RULES_FILES];
  size_t nemployees;
  struct employee *emps;           /* in roster order */
  size_t nagencies;
  struct agency *agencies;         /* in agencies.csv order */
  size_t nadjust;
  struct adjustment_row *adjust;
  size_t naway;
  struct retro_away *away;         /* retro amounts of leavers */
  struct strmap emp_map_;          /* private: id -> employee index */
  struct strmap agency_map_;       /* private: code -> agency index */
  struct money facts_year_;        /* private: the tax year */
  bool roster_ok_;                 /* private: the roster could be read */
  size_t roster_form_problems_;    /* private: rows csvin refused */
};

/* Read and check the month's inputs under root for program p. Returns the
** inputs (possibly partial) and adds every problem to d; the caller must
** not compute anything when problems were added. ytd_path, when not NULL,
** replaces root/ytd-opening.csv. retro_path, when not NULL, is the
** ledger's retro file for the month (the amounts that retros and
** corrections settle in it); without it there are none. Its amounts add
** to the employee's adjustments; amounts of employees who are not on the
** month's roster are listed in `away` rather than refused. Returns NULL
** only when a required file cannot be read at all. */
struct inputs *inputs_load(const struct program *p, const char *root,
                           int ym, const char *ytd_path,
                           const char *retro_path, struct diag_list *d);
void inputs_free(struct inputs *in, const struct rules *r);

/* Read a ytd-opening file for `paysettle import-ytd`: every row is checked
** against the rule set's ytd_opening columns (problems to d) and each
** valid row is handed to fn as the employee, the tax year and the row
** rewritten as a CSV line in the schema's column order, with the matching
** header. Returns the number of valid rows. */
typedef int (*inputs_opening_fn)(void *ctx, const char *header,
                                 const char *employee, int year,
                                 const char *row);
size_t inputs_read_opening(const struct program *p, const char *path,
                           inputs_opening_fn fn, void *ctx,
                           struct diag_list *d);

/* Index of the employee with this id, or -1. */
long inputs_find(const struct inputs *in, const char *id);

/* GB 11643-1999 check: 17 digits and a check character (0-9 or X, x read
** as X). Sets *birth to the birth date inside. Returns NULL when valid,
** else what was expected (in why, or a constant string). */
const char *inputs_check_resident_id(const char *s, int32_t *birth,
                                     char *why, size_t cap);

#endif
