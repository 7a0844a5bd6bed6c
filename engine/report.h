/*
** report.h -- the results of a month as CSV or JSON (paysettle calc).
**
** CSV: a header of item names, then one row per employee (employee_id,
** agency, then every employee-level item in the rule set's order), per
** agency (agency, then the agency items) or for the district.
** JSON: {"month": "2026-11", "employees": [{"employee_id": ..., "agency":
** ..., item: "3800.00", ...}], "agencies": [...], "district": {...}} with
** every number as an exact decimal string.
** Lines: "E0001 base_salary 3800.00", one item a line, for grep and diff.
*/
#ifndef PAYSETTLE_REPORT_H
#define PAYSETTLE_REPORT_H

#include <stdio.h>
#include "batch.h"

enum report_format { REPORT_CSV, REPORT_JSON, REPORT_LINES };
enum report_level { REPORT_EMPLOYEE, REPORT_AGENCY, REPORT_DISTRICT,
                    REPORT_ALL };

struct report {
  FILE *out;
  const struct program *p;
  enum report_format format;
  enum report_level level;
  int section;            /* JSON: the section being written */
  size_t count;           /* entries written in the section */
};

/* A sink that writes to r->out. Call report_begin first, report_end after
** the batch. Writing errors are found with ferror(out). */
void report_begin(struct report *r);
void report_end(struct report *r);
struct batch_sink report_sink(struct report *r);

/* The value of an item as the reports print it (minimum decimals from the
** item's rounding: 2 for rounded items). */
void report_value(const struct rules_item *it, const struct value *v,
                  char *buf, size_t cap);

#endif
