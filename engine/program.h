/*
** program.h -- a rule set compiled for one month, and its evaluation.
**
** program_compile() parses every formula of the rule set once, resolves
** each name (an item, a parameter, an input field, a calendar fact),
** checks types, folds every parameter to the value in force in the month,
** orders the items of each level by their dependencies and refuses cycles,
** unknown names, wrong types and constant divisions by zero, each with the
** rule file's line and column.
**
** Evaluation works on frames: one employee, one agency or the district.
** Items are evaluated in dependency order into the frame's slots; an item
** with a rounding is stored rounded, and later items use the rounded value.
** Group levels read sums and counts over the level below from accumulators
** that program_accumulate() fills as each lower entity is finished, so the
** batch can stream employees without keeping them.
**
** Tracing costs nothing when off: a frame whose 'unrounded' is NULL does no
** extra work; explain sets it to keep every item's value before rounding.
*/
#ifndef PAYSETTLE_PROGRAM_H
#define PAYSETTLE_PROGRAM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "diag.h"
#include "formula.h"
#include "rules.h"
#include "value.h"

/* Calendar facts a formula can name. */
enum program_fact {
  FACT_MONTH_START, FACT_MONTH_END, FACT_MONTH, FACT_MONTH_OF_YEAR,
  FACT_YEAR, FACT_COUNT_
};

struct program {
  const struct rules *r;
  int ym;                         /* the month */
  char month_text[8];             /* "YYYY-MM" */
  struct fnode **items;           /* per rules item */
  enum vtype *item_type;
  int *order[RULES_LEVELS];       /* evaluation order of each level */
  size_t norder[RULES_LEVELS];
  struct fnode **checks;          /* per rules check */
  int **check_show;               /* item indexes shown by each check */
  struct fnode **agg[RULES_LEVELS];   /* sum()/count() read at level L */
  size_t nagg[RULES_LEVELS];
  int *ytd_items;                 /* item of each ytd() slot */
  size_t nytd;
  int *prev_items;                /* item of each prev() slot */
  size_t nprev;
  size_t nfields[RULES_LEVELS];   /* input fields of a frame, by level */
  struct fnode **journal;         /* every journal line, txn by txn */
  size_t njournal;
  struct value facts[FACT_COUNT_];
};

/* Compile r for month ym. Returns NULL with every problem in d. The rule
** set must outlive the program. */
struct program *program_compile(const struct rules *r, int ym,
                                struct diag_list *d);
void program_free(struct program *p);      /* accepts NULL */

/* The type a formula sees for an input column of type t. */
enum vtype program_column_type(enum rules_ctype t);

/* The input field index of a frame at level for file role and column
** (employee level: roster then attendance columns; agency level: agencies
** then satisfaction columns); -1 when the file is not read at that level. */
int program_field_index(const struct program *p, enum rules_level level,
                        enum rules_file file, size_t col);

struct frame {
  const struct program *p;
  enum rules_level level;
  const char *who;                /* employee id / agency code (messages) */
  struct value *items;            /* one slot per rules item */
  struct value *unrounded;        /* NULL, or one slot per item (explain) */
  const struct value *fields;     /* input fields (program_field_index) */
  const struct money *adj;        /* employee: sum per adjustment item */
  const struct money *agg;        /* group: per aggregate of this level */
  const struct money *ytd;        /* employee: per ytd slot */
  const struct money *prev;       /* employee: per prev slot */
  struct money ytd_months;        /* employee: months before this one */
  struct diag_list *d;            /* evaluation problems */
  int cur_item;                   /* item being evaluated (messages) */
  int64_t *journal;               /* agency: journal amounts in fen */
};

/* Evaluate every item of the frame's level in order. Returns the number of
** problems added to f->d (division by zero, a key not in a table). */
size_t program_run(const struct program *p, struct frame *f);

/* Evaluate the checks of the frame's level; a failing check adds a problem
** (its message, the values it shows) at the input row of the file its
** 'field' names: paths[role] and lines[role]. Returns the number of
** failures. The items must have been evaluated. */
size_t program_check(const struct program *p, struct frame *f,
                     const char *const paths[RULES_FILES],
                     const unsigned long lines[RULES_FILES]);

/* Add this finished lower-level frame's contributions to the accumulators
** of the level above (acc has p->nagg[f->level + 1] entries). */
void program_accumulate(const struct program *p, struct frame *f,
                        struct money *acc);

/* Evaluate the journal lines of an agency frame (items evaluated) into
** fen[p->njournal], in the order of the rule set's transactions and lines.
** Every amount must be a whole number of fen, and every transaction must
** balance (debits = credits) to the fen: this check is always on, and a
** failure is a problem in f->d, never an adjustment line. Returns the
** number of problems. */
size_t program_journal(const struct program *p, struct frame *f,
                       int64_t *fen);

/* Evaluate one expression in a frame whose items are evaluated (explain).
** Returns false when evaluation failed. */
bool program_eval(const struct program *p, struct frame *f,
                  const struct fnode *n, struct value *out);

/* The row of bracket table t that x falls in: the first whose 'upto' x
** does not exceed (the last row is unbounded). */
const struct rules_row *eval_bracket_row(const struct rules_table *t,
                                         const struct money *x);

/* Format v for output: numbers with at least min_decimals places (exact
** when terminating; else 10 places and the return value 1), booleans as
** true/false, dates as YYYY-MM-DD, text as is. */
int program_format(const struct value *v, int min_decimals, char *buf,
                   size_t cap);

#endif
