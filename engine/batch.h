/*
** batch.h -- computing a month: every employee, every agency, the district.
**
** The batch streams: each employee is evaluated in one reused frame, its
** contribution to its agency's sums is accumulated, and its results are
** handed to the sink before the next employee is read. Memory does not
** grow with the results. Agencies are evaluated after all employees, the
** district after all agencies.
**
** History (the tax year's earlier months) comes from a history source: the
** ytd-opening figures (batch_history_opening) or, later, the ledger.
*/
#ifndef PAYSETTLE_BATCH_H
#define PAYSETTLE_BATCH_H

#include "diag.h"
#include "inputs.h"
#include "program.h"

struct batch_history {
  void *ctx;
  /* Fill ytd[p->nytd], prev[p->nprev] and *months for employee e (all
  ** zero on entry). */
  void (*fill)(void *ctx, const struct program *p, const struct inputs *in,
               const struct employee *e, struct money *ytd,
               struct money *prev, struct money *months);
};

/* The history of ytd-opening.csv alone: ytd(item) is the opening column
** mapped to item, months is the opening months, prev() is 0. */
extern const struct batch_history batch_history_opening;

struct batch_sink {
  void *ctx;
  /* Called once per computed entity; a non-zero return stops the batch. */
  int (*employee)(void *ctx, const struct employee *e,
                  const struct frame *f);
  int (*agency)(void *ctx, const struct agency *a, const struct frame *f);
  int (*district)(void *ctx, const struct frame *f);
};

/* Compute the month. Evaluation problems and failed checks go to d; the
** sink still receives every entity (callers discard the results when d is
** not empty). Employees and agencies whose input rows were refused are
** skipped. Returns 0, or the sink's non-zero return. */
int batch_run(const struct program *p, const struct inputs *in,
              const struct batch_history *h, const struct batch_sink *s,
              struct diag_list *d);

/* Compute one employee alone, keeping unrounded values when unrounded is
** not NULL (explain). items and unrounded have r->nitems slots, initialised
** with value_init; the caller clears them. Returns the problems added. */
size_t batch_employee(const struct program *p, const struct inputs *in,
                      const struct batch_history *h, size_t index,
                      struct value *items, struct value *unrounded,
                      struct money *ytd, struct money *prev,
                      struct money *months, struct diag_list *d);

#endif
