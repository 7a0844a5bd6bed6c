/*
** xlsxcell.h -- the number a spreadsheet cell holds for an exact value.
**
** Excel stores every number as an IEEE double. The workbooks (workbook.c,
** comparebook.c) are the one place where an exact value becomes one, and
** it happens here, at the cell; nothing is ever computed with the result.
*/
#ifndef PAYSETTLE_XLSXCELL_H
#define PAYSETTLE_XLSXCELL_H

#include "money.h"

/* Decimal places kept of a value that is not whole fen (a rate, 2/3):
** 17 significant digits identify any double. */
#define XLSXCELL_DECIMALS 17

/* The double for v: whole fen as fen / 100, which is the double nearest
** the decimal (the cell shows exactly the fen); other values through their
** decimal text rounded to XLSXCELL_DECIMALS places. */
double xlsxcell_number(const struct money *v);

#endif
