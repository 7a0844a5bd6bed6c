/*
** workbook.h -- one workbook of the layout, written with libxlsxwriter.
**
** (libxlsxwriter's own functions are workbook_new, workbook_close and so
** on; this module's only external name is workbook_render.)
**
** What a finance office expects of the sheets, all of it from the layout:
** Chinese titles with English, the layout's CJK font in every cell,
** amounts as numbers with the layout's format (#,##0.00), a frozen title
** row, column widths that fit their contents, landscape A4 pages with the
** title row repeated (fitted to one page across, or for a wide sheet of
** employees to as many as keep it readable, its frozen columns repeated;
** pay strips never cut by a page break), an autofilter on every sheet of
** rows, a totals row whose cells are SUM formulas stored together with
** the engine's exact total (so the sheet shows the right figure before any
** recalculation and still adds up when edited), a native stacked column
** chart on the agencies' sheet, page headers and footers from the layout.
**
** Amounts leave exact arithmetic here and only here: the exact value of
** the ledger becomes an IEEE number of the sheet (fen / 100 when it is a
** whole number of fen). Text from input files is always written as text
** (worksheet_write_string), never as a formula; text that a spreadsheet
** would take for a formula when edited (starting with = + - @) gets a
** leading apostrophe (libxlsxwriter 1.1.4 has no quote-prefix format).
**
** The workbook is written in libxlsxwriter's constant-memory mode, one
** pass over the ledger's employee rows, so memory does not grow with the
** district. A sheet of employees longer than a worksheet allows continues
** on "TITLE (2)", ...; the last part's totals row sums all parts. The
** document's dates are the month's last day, so that the same ledger month
** always gives the same bytes.
*/
#ifndef PAYSETTLE_WORKBOOK_H
#define PAYSETTLE_WORKBOOK_H

#include <stdbool.h>
#include "diag.h"
#include "layout.h"
#include "outputs.h"

/* Write workbook b of month m to path. path should exist, empty, with
** the mode the file must have (libxlsxwriter truncates it and keeps its
** mode); tmpdir takes libxlsxwriter's scratch files. Every libxlsxwriter
** error, workbook_close's included, is a problem in d and makes the
** result false; the file is then incomplete and the caller discards it. */
bool workbook_render(struct outputs_month *m, const struct layout_book *b,
                     const char *path, const char *tmpdir,
                     struct diag_list *d);

#endif
