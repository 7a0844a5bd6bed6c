/*
** rules.h -- a rule set: parameters, tables, items, checks, input schema.
**
** A rule set is what a finance analyst edits: YAML files under rules/
** that say what paysettle computes. This module reads them into the model
** below; formula.c parses the formulas and program.c compiles them for a
** month. Nothing here knows any city's figures: every number, date and name
** of a scheme comes from the files.
**
** The top-level keys of a rule file (docs/rules.md describes each):
**   name, description   what the rule set is
**   include             files read first; this file then adds or replaces
**   calendar            working-day calendar (calendar.h)
**   parameters          dated values: name -> {label, values: [{from, value,
**                       source, confidence}]}
**   tables              lookup tables (keyed rows) and bracket tables
**                       (progressive, by 'upto')
**   inputs              the columns of each input file and their checks
**   adjustments         the adjustment items finance may enter
**   history             how ytd-opening.csv opens the year's history
**   retro               what a retro or correction settles, and as what
**   kinds               the kinds of item, and how many decimals they show
**   items               what is computed: name, zh, level, kind, formula,
**                       round, account
**   checks              conditions on the inputs, as formulas
**   journal             the double-entry transactions of each agency
**   summary             what the run report shows: totals and alerts
**   outputs             the workbooks' layout: read by layout.c from the
**                       file that has it (rules_load only notes which)
**
** Includes: a file's own definitions replace those of its includes with the
** same name (an item, a table, a check), except parameters, whose dated
** values are merged by 'from' month, so that a scenario can add "from
** 2026-07: 2800" to a base history without repeating it.
*/
#ifndef PAYSETTLE_RULES_H
#define PAYSETTLE_RULES_H

#include <stdbool.h>
#include <stddef.h>
#include "calendar.h"
#include "diag.h"
#include "money.h"
#include "ydoc.h"

/* Includes may nest this deep (a scenario includes a scheme that includes
** its parts); deeper is surely a cycle. */
#define RULES_INCLUDE_DEPTH_MAX 8
/* Names (items, parameters, tables, columns) are identifiers of at most
** this many bytes. */
#define RULES_NAME_MAX 64

struct rules_pos {           /* where something was defined */
  const char *file;          /* interned in struct rules */
  unsigned long line, col;
};

struct rules_value {         /* one dated value of a parameter */
  int from_ym;               /* in force from this month on */
  struct money value;
  char *source;              /* the notice or agreement it comes from */
  char *confidence;          /* H / M / L, or NULL */
  struct rules_pos pos;
};

struct rules_param {
  char *name;                /* dotted: si.base.lower */
  char *label;
  size_t nvalues;
  struct rules_value *values;    /* sorted by from_ym */
  struct rules_pos pos;
};

enum rules_table_kind { RULES_TABLE_LOOKUP, RULES_TABLE_BRACKET };

struct rules_row {
  char *key;                 /* lookup: the key; bracket: NULL */
  char *alias;               /* lookup: the Chinese name, or NULL */
  bool unbounded;            /* bracket: the last row, no 'upto' */
  struct money upto;         /* bracket: upper bound, inclusive */
  struct money *cells;       /* one per column */
  struct rules_pos pos;
};

struct rules_table {
  char *name;
  char *label;
  char *source;
  enum rules_table_kind kind;
  size_t ncols;
  char **cols;               /* numeric columns */
  size_t nrows;
  struct rules_row *rows;
  struct rules_pos pos;
};

enum rules_level { RULES_EMPLOYEE = 0, RULES_AGENCY = 1, RULES_DISTRICT = 2 };
#define RULES_LEVELS 3

struct rules_item {
  char *name;
  char *zh;                  /* Chinese label, or NULL */
  enum rules_level level;
  char *kind;                /* earning, deduction, employer, ... or NULL */
  char *account;             /* ledger account, or NULL */
  char *formula;             /* source text */
  struct rules_pos formula_pos;
  bool rounded;
  struct money round_step;
  enum money_round round_mode;
  int decimals;              /* minimum decimals shown; -1 = by rounding */
  struct rules_pos pos;
};

struct rules_jline {        /* one line of a journal transaction */
  bool debit;
  char *account;             /* hledger-style: expenses:labour:wages */
  char *formula;             /* agency-level amount, a whole number of fen */
  struct rules_pos formula_pos;
};

struct rules_txn {          /* a double-entry transaction, per agency */
  char *name;
  char *zh;
  size_t nlines;
  struct rules_jline *lines;
  struct rules_pos pos;
};

struct rules_kind {         /* a kind of item: earning, deduction, ... */
  char *name;
  char *label;
  int decimals;              /* minimum decimals its items show; -1 */
  struct rules_pos pos;
};

struct rules_check {
  char *name;
  enum rules_level level;
  char *rule;                /* formula that must be true */
  struct rules_pos rule_pos;
  char *message;
  char *field;               /* input field named in the message: file.col */
  size_t nshow;
  char **show;               /* item names whose values the message shows */
  struct rules_pos pos;
};

/* Column types of input files (inputs.md). */
enum rules_ctype {
  RULES_C_ID,          /* [A-Za-z0-9_-]{1,32} */
  RULES_C_TEXT,        /* any text */
  RULES_C_RESIDENT_ID, /* 18-char GB 11643 resident identity number */
  RULES_C_DIGITS,      /* min_len..max_len digits */
  RULES_C_AGENCY,      /* a code of agencies.csv */
  RULES_C_TABLE,       /* a key or alias of a lookup table */
  RULES_C_ADJUSTMENT,  /* an adjustment item name or alias */
  RULES_C_DATE,
  RULES_C_DECIMAL,     /* decimals places at most; min/max */
  RULES_C_INTEGER,
  RULES_C_HALVES,      /* a multiple of 0.5 (days, hours) */
  RULES_C_BOOL
};

struct rules_column {
  char *name;
  char *zh;
  enum rules_ctype type;
  bool required;
  bool unique;
  char *def;               /* default text when empty, or NULL */
  char *table;             /* RULES_C_TABLE */
  unsigned decimals;       /* RULES_C_DECIMAL */
  bool has_min, has_max;
  struct money min, max;
  unsigned min_len, max_len;   /* RULES_C_DIGITS */
  struct rules_pos pos;
};

/* The input files, by role. */
enum rules_file {
  RULES_F_AGENCIES, RULES_F_ROSTER, RULES_F_ATTENDANCE, RULES_F_ADJUSTMENTS,
  RULES_F_SATISFACTION, RULES_F_YTD_OPENING,
  RULES_F_RETRO          /* written by the ledger: retro/correction deltas */
};
#define RULES_FILES 7

struct rules_input {
  char *file;              /* roster.csv */
  char *zh;
  bool optional;
  bool in_month;           /* in inputs/YYYY-MM/ rather than inputs/ */
  size_t ncols;
  struct rules_column *cols;
  struct rules_pos pos;
};

struct rules_adjustment {
  char *name;
  char *zh;
  bool once_per_year;
  bool retro;              /* settled by retro/correct only, never entered
                              in adjustments.csv */
  struct rules_pos pos;
};

/* What a retro or a correction settles: the difference, recomputed minus
** paid, of the sum of `items` (employee items) goes to the pay-in month as
** the adjustment `into` (a retro adjustment). */
struct rules_retro {
  char *into;
  size_t nitems;
  char **items;
  struct rules_pos pos;
};

struct rules_opening {     /* a column of ytd-opening.csv and its item */
  char *column;
  char *item;              /* NULL for the months column */
  struct rules_pos pos;
};

struct rules_alert {        /* employees the run report must list */
  char *item;                /* an employee item: listed when above 0 */
  char *message;
  struct rules_pos pos;
};

struct rules {
  char *name;
  char *description;
  size_t nfiles;
  char **files;            /* every file read, in order (interned paths) */
  struct calendar cal;
  bool has_cal;
  size_t nparams;
  struct rules_param *params;
  size_t ntables;
  struct rules_table *tables;
  size_t nkinds;
  struct rules_kind *kinds;
  size_t nitems;
  struct rules_item *items;      /* in the order of the files */
  size_t nchecks;
  struct rules_check *checks;
  size_t ntxns;
  struct rules_txn *txns;        /* the journal */
  size_t ntotals;
  char **totals;                 /* district items the run report shows */
  size_t nalerts;
  struct rules_alert *alerts;
  char *compare;                 /* employee item what-if ranks changes by */
  char *outputs_file;            /* the file whose 'outputs' section lays
                                    out the workbooks (layout.c reads it) */
  struct rules_input inputs[RULES_FILES];
  size_t nadjust;
  struct rules_adjustment *adjust;
  size_t nretro;
  struct rules_retro *retro;     /* in the order of the rule file */
  size_t nopening;
  struct rules_opening *opening;
  char *opening_months;          /* the months column of ytd-opening */
};

/* Load the rule set whose top file is path (includes are read relative to
** the including file). Returns NULL with every problem in d. */
struct rules *rules_load(const char *path, struct diag_list *d);
void rules_free(struct rules *r);   /* accepts NULL */

/* Lookups by name; NULL when absent. */
const struct rules_param *rules_param(const struct rules *r,
                                      const char *name);
const struct rules_table *rules_table(const struct rules *r,
                                      const char *name);
const struct rules_item *rules_item(const struct rules *r, const char *name);
int rules_item_index(const struct rules *r, const char *name);
int rules_table_col(const struct rules_table *t, const char *col);
/* The row of a lookup table whose key or alias is key; NULL if none. */
const struct rules_row *rules_table_row(const struct rules_table *t,
                                        const char *key);
/* The value of p in force in month ym, or NULL when none is (the month is
** before its first 'from'). */
const struct rules_value *rules_param_at(const struct rules_param *p,
                                         int ym);
/* Column index of a file's column, or -1. */
int rules_column(const struct rules_input *in, const char *name);
/* Free r's retro section (rules_free does it; a later file's replaces). */
void rules_retro_free(struct rules *r);
/* Index of the adjustment item called name (or its alias), or -1. */
int rules_adjustment(const struct rules *r, const char *name);

/* Parse a number as rule files write it: a plain decimal (3800, 0.005,
** -1.5) or a percentage (16%, 0.5%). Exact. */
bool rules_parse_number(const char *s, struct money *out);

/* Replace a parameter's value or a table cell for a what-if (--set):
** "name=value" replaces the parameter's whole history by one value from the
** beginning of time; "table.column.key=value" replaces one cell. Problems
** go to d. */
bool rules_set(struct rules *r, const char *assignment, struct diag_list *d);

#endif
