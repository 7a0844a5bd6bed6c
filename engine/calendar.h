/*
** calendar.h -- dates, months and the working-day calendar.
**
** A date is a day number (days since 1970-01-01, proleptic Gregorian); a
** month is year * 12 + (month - 1). Neither ever passes through time_t or
** the local time zone, so results do not depend on the machine.
**
** The working-day calendar comes from the rule files (calendar: in YAML):
** for each covered year, the official days off and the make-up working days
** (调休上班) of the government notice, and which weekdays are weekend days.
** A working day is a non-weekend day that is not a day off, or a make-up
** working day. Asking about a day outside the covered years is an error,
** never a guess.
*/
#ifndef PAYSETTLE_CALENDAR_H
#define PAYSETTLE_CALENDAR_H

#include <stdbool.h>
#include <stdint.h>
#include "diag.h"
#include "ydoc.h"

/* Years a calendar may cover: wide enough for any payroll, small enough to
** keep a bitmap of every day. */
#define CAL_YEAR_MIN 1990
#define CAL_YEAR_MAX 2100

int32_t cal_date(int y, int m, int d);           /* no validation */
void cal_ymd(int32_t date, int *y, int *m, int *d);
/* 1 = Monday ... 7 = Sunday */
int cal_weekday(int32_t date);
bool cal_valid_ymd(int y, int m, int d);
/* Parse YYYY-MM-DD, YYYY/MM/DD or YYYY/M/D (Excel). Returns false on
** anything else, including impossible dates (2026-02-30). */
bool cal_parse_date(const char *s, int32_t *out);
/* "YYYY-MM-DD"; buf must hold 11 bytes. */
void cal_format_date(int32_t date, char *buf);

/* Months: YYYY-MM (strict). */
bool cal_parse_month(const char *s, int *ym);
void cal_format_month(int ym, char *buf);        /* 8 bytes */
int32_t cal_month_first(int ym);
int32_t cal_month_last(int ym);
/* Completed whole years from a to b (0 when b < a): 2020-03-01 to
** 2026-03-01 is 6, to 2026-02-28 is 5. */
int cal_years_between(int32_t a, int32_t b);

struct calendar {
  int year_first, year_last;     /* covered years; first > last: none */
  uint8_t weekend[8];            /* weekend[1..7]: 1 when a weekend day */
  uint8_t *kind;                 /* per day of the covered years */
  char **year_source;            /* per covered year: the notice cited */
};

enum { CAL_DAY_NORMAL = 0, CAL_DAY_OFF = 1, CAL_DAY_WORK = 2 };

void cal_init(struct calendar *c);
void cal_free(struct calendar *c);
/* Read a calendar: node of YAML, problems to d. Returns false on error. */
bool cal_load(struct calendar *c, const struct ynode *node,
              const char *path, struct diag_list *d);
/* True when every day of month ym is covered. */
bool cal_covers_month(const struct calendar *c, int ym);
bool cal_covers(const struct calendar *c, int32_t date);
/* Working days d with a <= d <= b; 0 when b < a. Every day in [a, b] must
** be covered (callers check with cal_covers first). */
int cal_work_days(const struct calendar *c, int32_t a, int32_t b);

#endif
