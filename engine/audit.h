/*
** audit.h -- what the auditor's commands share with the outputs: the
** month's journal in plain-text accounting form.
*/
#ifndef PAYSETTLE_AUDIT_H
#define PAYSETTLE_AUDIT_H

#include <stdbool.h>
#include <stdio.h>
#include "ledger.h"

/* Write the journal entries of run (month ym) to out: hledger's form
** (account directives, then one transaction per agency and journal
** transaction, amounts in CNY), or beancount's when beancount is true.
** The first line names the run, its rule set and SHA-256, and its status
** when with_status is true (the copy in the outputs folder leaves the
** status out, so that closing the month does not change the file).
** Returns LEDGER_OK or the ledger's error; write errors are left in out
** for the caller to find with ferror(). */
enum ledger_err audit_journal_write(struct ledger *L,
                                    const struct ledger_run *run, int ym,
                                    FILE *out, bool beancount,
                                    bool with_status);

#endif
