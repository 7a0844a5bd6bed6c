/*
** retro.h -- differences of closed months, settled in an open month.
**
** The commands are cmd_retro and cmd_correct (cli.h); an auditor's
** reproduction of a pay-in month recomputes its retros with
** retro_reproduce.
*/
#ifndef PAYSETTLE_RETRO_H
#define PAYSETTLE_RETRO_H

#include "ledger.h"

/* Recompute every retro and correction settled in month ym from the
** ledger's stored files alone, and compare the differences with the
** recorded ones; prints one line per retro and each difference found.
** Returns the number of differences, or -1 when a retro could not be
** recomputed (the problems in d). */
long retro_reproduce(struct ledger *L, int ym, struct diag_list *d);

#endif
