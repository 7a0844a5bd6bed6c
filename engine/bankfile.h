/*
** bankfile.h -- the bank's salary transfer file (代发工资).
**
** One CSV line per employee with a positive net pay (the layout's 'when'
** item), in the layout's columns, after a header line of the column
** titles, and a last line with the count and the total under the columns
** the layout marks (total: count, total: true): UTF-8 with a byte-order
** mark so that Excel opens it, CRLF line ends as banks' import programs
** expect.
**
** Nothing in it is escaped: a bank matches the account holder's name
** exactly, so a name changed by a formula guard (a leading apostrophe) or
** by CSV quoting would fail the transfer. Every value is checked instead,
** and the file is refused when one cannot be written as it is: a comma,
** a quote or a control character anywhere, or a first character a
** spreadsheet would take for a formula (= + - @), with the roster's file
** and line. Amounts are exact to the fen.
*/
#ifndef PAYSETTLE_BANKFILE_H
#define PAYSETTLE_BANKFILE_H

#include <stdbool.h>
#include <stdio.h>
#include "diag.h"
#include "outputs.h"

/* Write the bank file of month m to out (name is used in messages).
** Returns false with every problem in d; out then holds a partial file
** that the caller discards. */
bool bankfile_write(struct outputs_month *m, FILE *out, const char *name,
                    struct diag_list *d);

#endif
