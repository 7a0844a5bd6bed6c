/*
** test_calendar.c -- unit tests of dates, months and the working-day
** calendar (engine/calendar.c).
**
** Day numbers of fixed dates were worked out by hand: 1970-01-01 is day 0;
** 2000-01-01 is 30 * 365 + 7 leap days (1972..1996) = 10957; 2100-01-01 is
** 130 * 365 + 32 leap days (1972..2096) = 47482. The monthly working days of
** 2025 and 2026 are those of the official notices, as tabulated in
** shared/spec/scheme-shanghai.md section 2.
*/
#include "calendar.h"
#include "check.h"
#include "ydoc.h"

#include <stdio.h>
#include <string.h>

/* Days in month m of year y, written independently of calendar.c. */
static int days_in(int y, int m)
{
  static const int len[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30,
                              31};
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return len[m - 1] + (m == 2 && leap ? 1 : 0);
}

static int32_t D(const char *s)
{
  int32_t v = INT32_MIN;
  if (!cal_parse_date(s, &v)) fprintf(stderr, "  bad test date %s\n", s);
  return v;
}

/* ---- day numbers --------------------------------------------------------- */

TEST(known_day_numbers)
{
  CHECK_INT(cal_date(1970, 1, 1), 0);
  CHECK_INT(cal_date(1970, 1, 2), 1);
  CHECK_INT(cal_date(1969, 12, 31), -1);
  CHECK_INT(cal_date(1971, 1, 1), 365);
  CHECK_INT(cal_date(1973, 1, 1), 365 + 366 + 365);    /* 1972 was leap */
  CHECK_INT(cal_date(2000, 1, 1), 10957);
  CHECK_INT(cal_date(2000, 2, 29), 10957 + 31 + 28);   /* 2000 is leap */
  CHECK_INT(cal_date(2000, 3, 1), 10957 + 31 + 29);
  CHECK_INT(cal_date(2001, 1, 1), 10957 + 366);
  CHECK_INT(cal_date(2100, 1, 1), 47482);
  CHECK_INT(cal_date(2100, 2, 28), 47482 + 31 + 27);
  CHECK_INT(cal_date(2100, 3, 1), 47482 + 31 + 28);    /* 2100 is not */
  CHECK_INT(cal_date(2101, 1, 1), 47482 + 365);
}

/* Walk every day from 1960-01-01 to 2102-12-31 with an independent
** counter; cal_date and cal_ymd must agree with it both ways. */
TEST(round_trip_1960_to_2102)
{
  /* 1960..1969: 10 years, 3 leap (1960, 1964, 1968) */
  int32_t n = -(10 * 365 + 3);
  int bad_date = 0, bad_ymd = 0, bad_weekday = 0;
  long days = 0;
  int prev_wd = cal_weekday(n - 1);

  for (int y = 1960; y <= 2102; y++) {
    for (int m = 1; m <= 12; m++) {
      for (int dd = 1; dd <= days_in(y, m); dd++, n++, days++) {
        int yy = 0, mm = 0, d2 = 0, wd;
        if (cal_date(y, m, dd) != n) {
          if (!bad_date++)
            fprintf(stderr, "  cal_date(%d, %d, %d) = %d, want %d\n", y, m,
                    dd, (int)cal_date(y, m, dd), (int)n);
        }
        cal_ymd(n, &yy, &mm, &d2);
        if (yy != y || mm != m || d2 != dd) {
          if (!bad_ymd++)
            fprintf(stderr, "  cal_ymd(%d) = %d-%d-%d, want %d-%d-%d\n",
                    (int)n, yy, mm, d2, y, m, dd);
        }
        if (!cal_valid_ymd(y, m, dd)) bad_date++;
        wd = cal_weekday(n);
        if (wd < 1 || wd > 7 || wd != prev_wd % 7 + 1) bad_weekday++;
        prev_wd = wd;
      }
    }
  }
  CHECK_INT(bad_date, 0);
  CHECK_INT(bad_ymd, 0);
  CHECK_INT(bad_weekday, 0);
  CHECK_INT(days, 143L * 365 + 35);    /* 35 leap years in 1960..2102 */
  CHECK_INT(n, cal_date(2103, 1, 1));
}

TEST(leap_days)
{
  int y, m, dd;
  cal_ymd(cal_date(2024, 2, 28) + 1, &y, &m, &dd);
  CHECK(y == 2024 && m == 2 && dd == 29);
  cal_ymd(cal_date(2026, 2, 28) + 1, &y, &m, &dd);
  CHECK(y == 2026 && m == 3 && dd == 1);
  cal_ymd(cal_date(2000, 2, 28) + 1, &y, &m, &dd);
  CHECK(y == 2000 && m == 2 && dd == 29);
  cal_ymd(cal_date(2100, 2, 28) + 1, &y, &m, &dd);
  CHECK(y == 2100 && m == 3 && dd == 1);
  cal_ymd(cal_date(1970, 1, 1) - 1, &y, &m, &dd);
  CHECK(y == 1969 && m == 12 && dd == 31);
  CHECK(cal_valid_ymd(2024, 2, 29));
  CHECK(cal_valid_ymd(2000, 2, 29));
  CHECK(!cal_valid_ymd(2100, 2, 29));
  CHECK(!cal_valid_ymd(2026, 2, 29));
  CHECK(!cal_valid_ymd(2026, 4, 31));
  CHECK(cal_valid_ymd(2026, 12, 31));
  CHECK(!cal_valid_ymd(2026, 0, 1));
  CHECK(!cal_valid_ymd(2026, 13, 1));
  CHECK(!cal_valid_ymd(2026, 1, 0));
  CHECK(!cal_valid_ymd(2026, 1, 32));
}

TEST(weekdays)
{
  CHECK_INT(cal_weekday(cal_date(2026, 11, 29)), 7);   /* Sunday */
  CHECK_INT(cal_weekday(cal_date(2025, 1, 1)), 3);     /* Wednesday */
  CHECK_INT(cal_weekday(cal_date(1970, 1, 1)), 4);     /* Thursday */
  CHECK_INT(cal_weekday(cal_date(1969, 12, 29)), 1);   /* Monday */
  CHECK_INT(cal_weekday(cal_date(2000, 1, 1)), 6);     /* Saturday */
  CHECK_INT(cal_weekday(cal_date(2026, 2, 14)), 6);    /* Saturday */
  CHECK_INT(cal_weekday(cal_date(2026, 10, 1)), 4);    /* Thursday */
  CHECK_INT(cal_weekday(cal_date(2100, 1, 1)), 5);     /* Friday */
}

/* ---- parsing and formatting ---------------------------------------------- */

TEST(parse_date_accepts)
{
  int32_t v = -1;
  CHECK(cal_parse_date("2026-02-28", &v));
  CHECK_INT(v, cal_date(2026, 2, 28));
  v = -1;
  CHECK(cal_parse_date("2026/2/8", &v));
  CHECK_INT(v, cal_date(2026, 2, 8));
  v = -1;
  CHECK(cal_parse_date("2026/02/08", &v));
  CHECK_INT(v, cal_date(2026, 2, 8));
  v = -1;
  CHECK(cal_parse_date("2026/12/31", &v));
  CHECK_INT(v, cal_date(2026, 12, 31));
  v = -1;
  CHECK(cal_parse_date("2024-02-29", &v));
  CHECK_INT(v, cal_date(2024, 2, 29));
  v = -1;
  CHECK(cal_parse_date("1970-01-01", &v));
  CHECK_INT(v, 0);
}

TEST(parse_date_refuses)
{
  static const char *const bad[] = {
    "2026-02-29",       /* not a leap year */
    "2026-02-30",
    "2026-04-31",
    "2026-2-8",         /* ISO form needs two digits */
    "2026-02-8",
    "26-11-01",         /* two-digit year */
    "02026-11-01",
    "2026-13-01",
    "2026-00-10",
    "2026-11-00",
    "2026/0/1",
    "2026/2/30",
    "2026/002/08",
    "2026-11-01 ",      /* trailing space */
    " 2026-11-01",
    "2026-11-01x",
    "2026-11-011",
    "2026-11/01",       /* mixed separators */
    "2026/11-01",
    "2026.11.01",
    "20261101",
    "2026-11",
    "",
    "-2026-11-01",
    "+2026-11-01",
  };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    int32_t v = 12345;
    bool ok = cal_parse_date(bad[i], &v);
    if (ok) fprintf(stderr, "  accepted '%s'\n", bad[i]);
    CHECK(!ok);
  }
}

TEST(format_date)
{
  char buf[11];
  cal_format_date(cal_date(2026, 2, 8), buf);
  CHECK_STR(buf, "2026-02-08");
  cal_format_date(0, buf);
  CHECK_STR(buf, "1970-01-01");
  cal_format_date(-1, buf);
  CHECK_STR(buf, "1969-12-31");
  cal_format_date(cal_date(2100, 12, 31), buf);
  CHECK_STR(buf, "2100-12-31");
}

TEST(months)
{
  int ym = -1;
  char buf[8];
  CHECK(cal_parse_month("2026-11", &ym));
  CHECK_INT(ym, 2026 * 12 + 10);
  CHECK(cal_parse_month("2026-01", &ym));
  CHECK_INT(ym, 2026 * 12);
  CHECK(cal_parse_month("2025-12", &ym));
  CHECK_INT(ym, 2025 * 12 + 11);
  cal_format_month(2026 * 12 + 1, buf);
  CHECK_STR(buf, "2026-02");
  cal_format_month(2025 * 12 + 11, buf);
  CHECK_STR(buf, "2025-12");
  {
    static const char *const bad[] = {
      "2026-1", "2026-13", "2026-00", "2026/11", "2026-11-01", "26-11",
      "2026-11 ", " 2026-11", "2026-011", "202611", "", "2026-"
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
      bool ok = cal_parse_month(bad[i], &ym);
      if (ok) fprintf(stderr, "  accepted month '%s'\n", bad[i]);
      CHECK(!ok);
    }
  }
}

TEST(month_first_and_last)
{
  CHECK_INT(cal_month_first(2026 * 12 + 1), cal_date(2026, 2, 1));
  CHECK_INT(cal_month_last(2026 * 12 + 1), cal_date(2026, 2, 28));
  CHECK_INT(cal_month_last(2024 * 12 + 1), cal_date(2024, 2, 29));
  CHECK_INT(cal_month_first(2026 * 12 + 11), cal_date(2026, 12, 1));
  CHECK_INT(cal_month_last(2026 * 12 + 11), cal_date(2026, 12, 31));
  CHECK_INT(cal_month_last(2026 * 12 + 3), cal_date(2026, 4, 30));
}

TEST(years_between)
{
  CHECK_INT(cal_years_between(D("2020-03-01"), D("2026-03-01")), 6);
  CHECK_INT(cal_years_between(D("2020-03-01"), D("2026-02-28")), 5);
  CHECK_INT(cal_years_between(D("2020-02-29"), D("2021-02-28")), 0);
  CHECK_INT(cal_years_between(D("2020-02-29"), D("2021-03-01")), 1);
  CHECK_INT(cal_years_between(D("2020-02-29"), D("2024-02-29")), 4);
  CHECK_INT(cal_years_between(D("2020-02-29"), D("2024-02-28")), 3);
  CHECK_INT(cal_years_between(D("2026-11-15"), D("2026-11-15")), 0);
  CHECK_INT(cal_years_between(D("2025-11-15"), D("2026-11-14")), 0);
  CHECK_INT(cal_years_between(D("2025-11-15"), D("2026-11-15")), 1);
  CHECK_INT(cal_years_between(D("2025-12-31"), D("2026-01-01")), 0);
  CHECK_INT(cal_years_between(D("1969-12-31"), D("2000-01-01")), 30);
  CHECK_INT(cal_years_between(D("2026-03-01"), D("2020-03-01")), 0);  /* b < a */
}

/* ---- the working-day calendar ------------------------------------------ */

/* A calendar from YAML text (the value of "calendar:"). Returns false with
** problems in d. */
static bool load_text(struct calendar *c, const char *text,
                      struct diag_list *d)
{
  struct ydoc *doc = ydoc_parse("c.yaml", text, strlen(text), d);
  bool ok;
  cal_init(c);
  if (!doc) return false;
  ok = cal_load(c, ynode_get(doc->root, "calendar"), "c.yaml", d);
  ydoc_free(doc);
  return ok;
}

TEST(tiny_calendar)
{
  struct calendar c;
  struct diag_list d;
  int ym;
  diag_init(&d);
  CHECK(load_text(&c, "calendar:\n"
                      "  weekend: [saturday, sunday]\n"
                      "  years:\n"
                      "    2026: {source: test, off: [2026-11-02..11-04],"
                      " work: [2026-11-07]}\n", &d));
  CHECK_INT(d.n, 0);
  CHECK_INT(c.year_first, 2026);
  CHECK_INT(c.year_last, 2026);
  CHECK(c.weekend[6] && c.weekend[7] && !c.weekend[1] && !c.weekend[5]);
  CHECK_STR(c.year_source ? c.year_source[0] : NULL, "test");
  /* November 2026: 30 days, Sundays 1 8 15 22 29, Saturdays 7 14 21 28:
  ** 21 weekdays; 3 off (2..4), one Saturday worked (7): 19. */
  cal_parse_month("2026-11", &ym);
  CHECK_INT(cal_work_days(&c, cal_month_first(ym), cal_month_last(ym)), 19);
  CHECK_INT(cal_work_days(&c, D("2026-11-02"), D("2026-11-04")), 0);
  CHECK_INT(cal_work_days(&c, D("2026-11-05"), D("2026-11-08")), 3);
  CHECK_INT(cal_work_days(&c, D("2026-11-09"), D("2026-11-08")), 0);  /* b < a */
  CHECK(cal_covers(&c, D("2026-01-01")));
  CHECK(cal_covers(&c, D("2026-12-31")));
  CHECK(!cal_covers(&c, D("2025-12-31")));
  CHECK(!cal_covers(&c, D("2027-01-01")));
  cal_free(&c);
  CHECK(c.kind == NULL && c.year_first > c.year_last);
  diag_free(&d);
}

TEST(calendar_refusals)
{
  struct calendar c;
  struct diag_list d;
  diag_init(&d);
  /* no source */
  CHECK(!load_text(&c, "calendar: {weekend: [sunday], years: {2026: {off: "
                       "[]}}}\n", &d));
  CHECK(d.n >= 1 && strstr(d.v[0].msg, "must cite its source") != NULL);
  cal_free(&c);
  diag_free(&d);
  /* years with a gap */
  CHECK(!load_text(&c, "calendar: {weekend: [sunday], years: {2025: "
                       "{source: a}, 2027: {source: b}}}\n", &d));
  CHECK(d.n >= 1 && strstr(d.v[0].msg, "consecutive") != NULL);
  cal_free(&c);
  diag_free(&d);
  /* an unknown weekday */
  CHECK(!load_text(&c, "calendar: {weekend: [sunday, funday], years: "
                       "{2026: {source: a}}}\n", &d));
  CHECK(d.n >= 1 && strstr(d.v[0].msg, "weekday name") != NULL);
  CHECK(d.n >= 1 && d.v[0].line == 1 && d.v[0].col == 30);
  cal_free(&c);
  diag_free(&d);
  /* a day of another year, and an impossible day */
  CHECK(!load_text(&c, "calendar:\n  weekend: [sunday]\n  years:\n"
                       "    2026:\n      source: a\n"
                       "      off: [2025-12-31, 2026-02-30]\n", &d));
  CHECK_INT(d.n, 2);
  CHECK(d.n == 2 && strstr(d.v[0].msg, "not in year 2026") != NULL);
  CHECK(d.n == 2 && d.v[0].line == 6 && d.v[0].col == 13);
  CHECK(d.n == 2 && strstr(d.v[1].msg, "'2026-02-30'") != NULL);
  CHECK(d.n == 2 && d.v[1].line == 6 && d.v[1].col == 25);
  cal_free(&c);
  diag_free(&d);
  /* a year outside 1990..2100 */
  CHECK(!load_text(&c, "calendar: {weekend: [sunday], years: {2101: "
                       "{source: a}}}\n", &d));
  CHECK(d.n >= 1 && strstr(d.v[0].msg, "1990..2100") != NULL);
  cal_free(&c);
  diag_free(&d);
}

/* docs/rules.md: "Unknown keys are errors (a typo must not silently drop a
** rule)". A misspelt list of days off in a year must not be ignored: the
** holidays would silently become working days. */
TEST(calendar_unknown_year_key_refused)
{
  struct calendar c;
  struct diag_list d;
  bool ok;
  diag_init(&d);
  ok = load_text(&c, "calendar:\n"
                     "  weekend: [saturday, sunday]\n"
                     "  years:\n"
                     "    2026:\n"
                     "      source: a\n"
                     "      of: [2026-10-01..10-07]\n", &d);
  CHECK(!ok);
  /* the problem is at the key 'of' */
  CHECK(d.n >= 1 && d.v[0].line == 6 && d.v[0].col == 7);
  cal_free(&c);
  diag_free(&d);
}

/* A year is written as a year: "2026-01" or "2026abc" is a mistake, not
** 2026 (calendar.c reads the key with atoi). */
TEST(calendar_year_key_is_a_year)
{
  static const char *const keys[] = {"2026-01", "2026abc", "'2026.5'"};
  for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
    struct calendar c;
    struct diag_list d;
    char text[256];
    bool ok;
    diag_init(&d);
    snprintf(text, sizeof text, "calendar:\n  weekend: [sunday]\n"
             "  years:\n    %s:\n      source: a\n", keys[i]);
    ok = load_text(&c, text, &d);
    if (ok) fprintf(stderr, "  year key %s accepted as %d\n", keys[i],
                    c.year_first);
    CHECK(!ok);
    CHECK(d.n >= 1 && d.v[0].line == 4 && d.v[0].col == 5);
    cal_free(&c);
    diag_free(&d);
  }
}

/* The real calendar of the rule set. */
static bool load_cn(struct calendar *c, struct diag_list *d)
{
  struct ydoc *doc = ydoc_load("rules/calendar-cn.yaml", d);
  bool ok;
  cal_init(c);
  if (!doc) return false;
  ok = cal_load(c, ynode_get(doc->root, "calendar"),
                "rules/calendar-cn.yaml", d);
  ydoc_free(doc);
  return ok;
}

static void check_year(const struct calendar *c, int year,
                       const int want[12])
{
  int total = 0;
  for (int m = 0; m < 12; m++) {
    int ym = year * 12 + m;
    int n = cal_work_days(c, cal_month_first(ym), cal_month_last(ym));
    if (n != want[m])
      fprintf(stderr, "  %d-%02d: %d working days, want %d\n", year, m + 1,
              n, want[m]);
    CHECK_INT(n, want[m]);
    total += n;
  }
  CHECK_INT(total, 248);
  CHECK_INT(cal_work_days(c, cal_date(year, 1, 1), cal_date(year, 12, 31)),
            248);
}

TEST(cn_2025)
{
  static const int want[12] = {19, 19, 21, 22, 19, 20, 23, 21, 23, 18, 20,
                               23};
  struct calendar c;
  struct diag_list d;
  diag_init(&d);
  CHECK(load_cn(&c, &d));
  CHECK_INT(d.n, 0);
  if (d.n == 0) check_year(&c, 2025, want);
  cal_free(&c);
  diag_free(&d);
}

TEST(cn_2026)
{
  static const int want[12] = {21, 16, 22, 21, 19, 21, 23, 21, 22, 18, 21,
                               23};
  struct calendar c;
  struct diag_list d;
  diag_init(&d);
  CHECK(load_cn(&c, &d));
  CHECK_INT(d.n, 0);
  if (d.n == 0) check_year(&c, 2026, want);
  cal_free(&c);
  diag_free(&d);
}

TEST(cn_days_and_coverage)
{
  struct calendar c;
  struct diag_list d;
  int ym;
  diag_init(&d);
  CHECK(load_cn(&c, &d));
  if (d.n) {
    diag_print(&d, stderr);
    cal_free(&c);
    diag_free(&d);
    return;
  }
  CHECK_INT(c.year_first, 2025);
  CHECK_INT(c.year_last, 2026);
  /* 2026-02-14 is a Saturday, worked (调休上班) */
  CHECK_INT(cal_work_days(&c, D("2026-02-14"), D("2026-02-14")), 1);
  CHECK_INT(cal_work_days(&c, D("2026-02-07"), D("2026-02-07")), 0);
  /* 国庆: Thursday 2026-10-01 is a day off */
  CHECK_INT(cal_work_days(&c, D("2026-10-01"), D("2026-10-01")), 0);
  CHECK_INT(cal_work_days(&c, D("2026-10-01"), D("2026-10-07")), 0);
  /* Saturday 2026-10-10 is worked; Monday 2026-10-12 is normal */
  CHECK_INT(cal_work_days(&c, D("2026-10-10"), D("2026-10-12")), 2);
  /* a range across the year boundary */
  CHECK_INT(cal_work_days(&c, D("2025-12-31"), D("2026-01-05")), 3);
  CHECK(cal_covers(&c, D("2025-01-01")));
  CHECK(cal_covers(&c, D("2026-12-31")));
  CHECK(!cal_covers(&c, D("2027-01-01")));
  CHECK(!cal_covers(&c, D("2027-06-15")));
  CHECK(!cal_covers(&c, D("2024-12-31")));
  CHECK(cal_parse_month("2027-01", &ym) && !cal_covers_month(&c, ym));
  CHECK(cal_parse_month("2026-12", &ym) && cal_covers_month(&c, ym));
  CHECK(cal_parse_month("2024-12", &ym) && !cal_covers_month(&c, ym));
  cal_free(&c);
  diag_free(&d);
}

int main(void)
{
  RUN(known_day_numbers);
  RUN(round_trip_1960_to_2102);
  RUN(leap_days);
  RUN(weekdays);
  RUN(parse_date_accepts);
  RUN(parse_date_refuses);
  RUN(format_date);
  RUN(months);
  RUN(month_first_and_last);
  RUN(years_between);
  RUN(tiny_calendar);
  RUN(calendar_refusals);
  RUN(calendar_unknown_year_key_refused);
  RUN(calendar_year_key_is_a_year);
  RUN(cn_2025);
  RUN(cn_2026);
  RUN(cn_days_and_coverage);
  return check_done();
}
