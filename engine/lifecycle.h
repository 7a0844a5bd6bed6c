/*
** lifecycle.h -- helpers shared by the commands that use the ledger.
*/
#ifndef PAYSETTLE_LIFECYCLE_H
#define PAYSETTLE_LIFECYCLE_H

#include "batch.h"
#include "ledger.h"

/* The version written into every run and retro (engine_version). */
#define ENGINE_VERSION "paysettle 0.4"

/* The tax year's history for p's month from L: ytd() and ytd_months() sum
** the year's closed months, prev() reads the latest closed month; *h must
** be freed with ledger_history_free after the batch. */
enum ledger_err lifecycle_history(struct ledger *L, const struct program *p,
                                  struct ledger_history **h,
                                  struct batch_history *out);
/* The files the ledger itself presents to a month's loaders: they exist
** only in memory (vfs overlay), and a run stores them like any input. */
#define LIFECYCLE_OPENING_PATH "ledger:ytd-opening.csv"
#define LIFECYCLE_RETRO_PATH "ledger:retro.csv"

/* Which of them a replayed run had stored. */
struct lifecycle_replay {
  bool opening, retro;
};
/* A ledger_file_fn (ctx: struct lifecycle_replay): install a run's stored
** file for replay, noting the ledger's own files. */
int lifecycle_replay_file(void *ctx, const char *role, const char *path,
                          const char *data, size_t len);

/* Present the ledger's year-to-date openings of ym's tax year to the
** loaders as a ytd-opening file; returns its path, or NULL when none. */
const char *lifecycle_openings(struct ledger *L, int ym);
/* Present the amounts that recorded retros and corrections settle in month
** ym as the retro input file; returns its path, or NULL when none. */
const char *lifecycle_retro(struct ledger *L, int ym);
/* SHA-256 over the rule set's files (path and content, in reading order). */
void lifecycle_rules_digest(const struct rules *r, char *hex);
/* The operator: --operator, else $USER, else "unknown". */
const char *lifecycle_operator(const struct cli *c);

#endif
