/*
** lifecycle.h -- helpers shared by the commands that use the ledger.
*/
#ifndef PAYSETTLE_LIFECYCLE_H
#define PAYSETTLE_LIFECYCLE_H

#include "batch.h"
#include "ledger.h"

/* The tax year's history for p's month from L: ytd() and ytd_months() sum
** the year's closed months, prev() reads the latest closed month; *h must
** be freed with ledger_history_free after the batch. */
enum ledger_err lifecycle_history(struct ledger *L, const struct program *p,
                                  struct ledger_history **h,
                                  struct batch_history *out);
/* Present the ledger's year-to-date openings of ym's tax year to the
** loaders as a ytd-opening file; returns its path, or NULL when none. */
const char *lifecycle_openings(struct ledger *L, int ym);
/* SHA-256 over the rule set's files (path and content, in reading order). */
void lifecycle_rules_digest(const struct rules *r, char *hex);
/* The operator: --operator, else $USER, else "unknown". */
const char *lifecycle_operator(const struct cli *c);

#endif
