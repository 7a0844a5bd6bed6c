/*
** xlsxcell.c -- the number a spreadsheet cell holds (see xlsxcell.h).
*/
#include "xlsxcell.h"

#include <stdint.h>
#include <stdlib.h>

/* The text of a value rounded to XLSXCELL_DECIMALS places: the integer
** digits (at most MONEY_TEXT_MAX for an input; the largest sum of a month
** has far fewer), a sign, a point and the decimals. */
#define XLSXCELL_TEXT_MAX (MONEY_TEXT_MAX + XLSXCELL_DECIMALS + 8)

double xlsxcell_number(const struct money *v)
{
  char buf[XLSXCELL_TEXT_MAX];
  int64_t fen;
  if (money_to_fen(v, &fen) == MONEY_OK) return (double)fen / 100;
  if (money_format(v, 0, XLSXCELL_DECIMALS, buf, sizeof buf) < 0) abort();
  return strtod(buf, NULL);       /* the C locale: main sets it */
}
