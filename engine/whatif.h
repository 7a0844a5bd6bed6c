/*
** whatif.h -- what would a new standard cost? Scenarios against a baseline.
**
** `paysettle whatif MONTH[..MONTH]` computes each month of the range under
** one or more scenarios (a rule file that includes the base rules and
** changes what differs, and/or --set NAME=VALUE) and compares them with
** the baseline: the ledger's run of the month where there is one (closed,
** else draft), otherwise the month computed under the base rules. Over a
** range, each side carries its own year-to-date tax figures from month to
** month, starting from the ledger's real history before the range; a
** scenario's figures never enter the ledger.
**
** The result: a short summary on stdout (the total difference, how many
** employees are affected, the largest changes) and comparison files under
** outputs/whatif-NAME/.
*/
#ifndef PAYSETTLE_WHATIF_H
#define PAYSETTLE_WHATIF_H

#include "cli.h"

int cmd_whatif(const struct cli *c);

#endif
