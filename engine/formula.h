/*
** formula.h -- the formula language: syntax tree and parser.
**
** A formula is a small, safe expression. It cannot do I/O, loop or index
** out of bounds, and every operation on numbers is exact:
**
**   literals     3800   0.5   16%   'text'   true   false
**   arithmetic   a + b   a - b   a * b   a / b   -a
**   comparison   ==  !=  <  <=  >  >=          (numbers, dates, text)
**   logic        a and b   a or b   not a
**   functions    if(c, a, b)   min(a, b, ...)   max(a, b, ...)
**                clamp(x, lo, hi)   abs(x)   round(x, 0.01, half_away)
**                lookup(table.column, key [, default])
**                bracket(table, x [, key])   band(table.column, x)
**                in(x, v1, v2, ...)
**                present(roster.si_base)
**                work_days_between(d1, d2)   years_between(d1, d2)
**                ytd(item)   ytd_months()   prev(item)
**                sum(expr)   count()   count(condition)   (group level)
**   names        an item (gross), a parameter (vat.rate),
**                an input field (roster.grade, attendance.sick_leave_days,
**                adjust.bonus, agency.positions, satisfaction.score), a
**                calendar fact (month_start, month_end, month,
**                month_of_year, year)
**
** Precedence, loosest first: or; and; not; comparisons (non-associative);
** + -; * /; unary -. A number followed by % is divided by 100.
**
** This module only parses. program.c resolves names, checks types and
** evaluates.
*/
#ifndef PAYSETTLE_FORMULA_H
#define PAYSETTLE_FORMULA_H

#include <stdbool.h>
#include <stddef.h>
#include "diag.h"
#include "money.h"
#include "value.h"

/* A formula of more than this many bytes is surely a mistake. */
#define FORMULA_BYTES_MAX 4096
/* Nesting of parentheses and calls; bounds the parser's recursion. */
#define FORMULA_DEPTH_MAX 64
/* Arguments of one call (min, max, in). */
#define FORMULA_ARGS_MAX 32

enum fop {
  /* as parsed */
  F_NUM, F_BOOL, F_TEXT, F_NAME, F_CALL,
  F_NEG, F_NOT, F_ADD, F_SUB, F_MUL, F_DIV,
  F_EQ, F_NE, F_LT, F_LE, F_GT, F_GE, F_AND, F_OR,
  /* resolved by program.c */
  F_ITEM, F_PARAM, F_FIELD, F_ADJ, F_FACT, F_TABLE, F_MODE,
  F_IF, F_MIN, F_MAX, F_CLAMP, F_ABS, F_ROUND, F_LOOKUP, F_BRACKET, F_BAND,
  F_IN,
  F_PRESENT, F_WORKDAYS, F_YEARS, F_YTD, F_YTD_MONTHS, F_PREV,
  F_SUM, F_COUNT
};

struct fnode {
  enum fop op;
  enum vtype type;            /* set by program.c */
  unsigned long line, col;    /* position in the rule file */
  char *name;                 /* F_NAME, F_CALL: as written */
  size_t nargs;
  struct fnode **args;        /* operands and call arguments */
  struct money num;           /* F_NUM; F_PARAM: the value in force */
  bool b;                     /* F_BOOL */
  char *text;                 /* F_TEXT */
  int idx;                    /* item / field / fact / aggregate index */
  int idx2;                   /* column; F_FIELD: the file role */
  const void *ref;            /* F_PARAM: rules_param; F_TABLE: table */
  const void *ref2;           /* F_PARAM: the rules_value in force */
};

/* Parse text, whose first character is at file:line:col (col 0 means the
** text starts a line of its own, at an unknown indentation). Returns the
** tree, or NULL with a problem in d naming the position. */
struct fnode *formula_parse(const char *text, const char *file,
                            unsigned long line, unsigned long col,
                            struct diag_list *d);
void formula_free(struct fnode *n);     /* accepts NULL */

/* Operator text ("+", "and") or function name for messages. */
const char *formula_op_name(enum fop op);

#endif
