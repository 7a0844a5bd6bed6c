/*
** calendar.c -- dates, months and the working-day calendar.
*/
#include "calendar.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Howard Hinnant's days_from_civil: exact for the proleptic Gregorian
** calendar, no tables, no time zone. */
int32_t cal_date(int y, int m, int d)
{
  int yy = y - (m <= 2);
  int era = (yy >= 0 ? yy : yy - 399) / 400;
  int yoe = yy - era * 400;
  int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return (int32_t)(era * 146097 + doe - 719468);
}

void cal_ymd(int32_t date, int *y, int *m, int *d)
{
  int z = date + 719468;
  int era = (z >= 0 ? z : z - 146096) / 146097;
  int doe = z - era * 146097;
  int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  int mp = (5 * doy + 2) / 153;
  int dd = doy - (153 * mp + 2) / 5 + 1;
  int mm = mp < 10 ? mp + 3 : mp - 9;
  *y = yoe + era * 400 + (mm <= 2);
  *m = mm;
  *d = dd;
}

int cal_weekday(int32_t date)
{
  /* 1970-01-01 was a Thursday (4). */
  int w = (int)((date % 7 + 7) % 7);
  return (w + 3) % 7 + 1;
}

bool cal_valid_ymd(int y, int m, int d)
{
  static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30,
                              31};
  int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  if (y < 1 || y > 9999 || m < 1 || m > 12 || d < 1) return false;
  return d <= mdays[m - 1] + (m == 2 ? leap : 0);
}

/* Reads 1..maxd digits at *ps into *out. */
static bool read_num(const char **ps, int mind, int maxd, int *out)
{
  const char *s = *ps;
  int v = 0, n = 0;
  while (*s >= '0' && *s <= '9' && n < maxd) {
    v = v * 10 + (*s - '0');
    s++;
    n++;
  }
  if (n < mind || (*s >= '0' && *s <= '9')) return false;
  *ps = s;
  *out = v;
  return true;
}

bool cal_parse_date(const char *s, int32_t *out)
{
  int y, m, d;
  char sep;
  bool slash;

  if (!read_num(&s, 4, 4, &y)) return false;
  sep = *s;
  if (sep != '-' && sep != '/') return false;
  slash = sep == '/';
  s++;
  if (!read_num(&s, slash ? 1 : 2, 2, &m) || *s != sep) return false;
  s++;
  if (!read_num(&s, slash ? 1 : 2, 2, &d) || *s != '\0') return false;
  if (!cal_valid_ymd(y, m, d)) return false;
  *out = cal_date(y, m, d);
  return true;
}

/* Writes v as exactly n decimal digits (zero-padded). */
static void put_digits(char *buf, unsigned v, int n)
{
  for (int i = n - 1; i >= 0; i--) {
    buf[i] = (char)('0' + v % 10);
    v /= 10;
  }
}

void cal_format_date(int32_t date, char *buf)
{
  int y, m, d;
  cal_ymd(date, &y, &m, &d);
  put_digits(buf, (unsigned)y % 10000u, 4);
  buf[4] = '-';
  put_digits(buf + 5, (unsigned)m, 2);
  buf[7] = '-';
  put_digits(buf + 8, (unsigned)d, 2);
  buf[10] = '\0';
}

bool cal_parse_month(const char *s, int *ym)
{
  int y, m;
  if (!read_num(&s, 4, 4, &y) || *s != '-') return false;
  s++;
  if (!read_num(&s, 2, 2, &m) || *s != '\0') return false;
  if (m < 1 || m > 12 || y < 1) return false;
  *ym = y * 12 + m - 1;
  return true;
}

void cal_format_month(int ym, char *buf)
{
  put_digits(buf, (unsigned)(ym / 12) % 10000u, 4);
  buf[4] = '-';
  put_digits(buf + 5, (unsigned)(ym % 12 + 1), 2);
  buf[7] = '\0';
}

int32_t cal_month_first(int ym)
{
  return cal_date(ym / 12, ym % 12 + 1, 1);
}

int32_t cal_month_last(int ym)
{
  return cal_month_first(ym + 1) - 1;
}

int cal_years_between(int32_t a, int32_t b)
{
  int ya, ma, da, yb, mb, db, n;
  if (b < a) return 0;
  cal_ymd(a, &ya, &ma, &da);
  cal_ymd(b, &yb, &mb, &db);
  n = yb - ya;
  if (mb < ma || (mb == ma && db < da)) n--;
  return n < 0 ? 0 : n;
}

void cal_init(struct calendar *c)
{
  memset(c, 0, sizeof *c);
  c->year_first = 1;
  c->year_last = 0;
}

void cal_free(struct calendar *c)
{
  if (c->year_source) {
    for (int y = c->year_first; y <= c->year_last; y++)
      free(c->year_source[y - c->year_first]);
  }
  free(c->year_source);
  free(c->kind);
  cal_init(c);
}

bool cal_covers(const struct calendar *c, int32_t date)
{
  int y, m, d;
  cal_ymd(date, &y, &m, &d);
  return y >= c->year_first && y <= c->year_last;
}

bool cal_covers_month(const struct calendar *c, int ym)
{
  return cal_covers(c, cal_month_first(ym)) &&
         cal_covers(c, cal_month_last(ym));
}

int cal_work_days(const struct calendar *c, int32_t a, int32_t b)
{
  int32_t base = cal_date(c->year_first, 1, 1);
  int n = 0;
  for (int32_t d = a; d <= b; d++) {
    uint8_t k = c->kind[d - base];
    if (k == CAL_DAY_WORK ||
        (k == CAL_DAY_NORMAL && !c->weekend[cal_weekday(d)]))
      n++;
  }
  return n;
}

static const char *const WEEKDAY_NAMES[8] = {
  "", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
  "sunday"
};

static bool load_weekend(struct calendar *c, const struct ynode *w,
                         const char *path, struct diag_list *d)
{
  if (!w || w->kind != YNODE_SEQ) {
    diag_add(d, path, w ? w->line : 0, w ? w->col : 0, "weekend",
             "expected a list of weekday names such as [saturday, sunday]");
    return false;
  }
  for (size_t i = 0; i < w->n; i++) {
    int k;
    for (k = 1; k <= 7; k++)
      if (ynode_is(w->items[i], WEEKDAY_NAMES[k])) break;
    if (k > 7) {
      diag_add(d, path, w->items[i]->line, w->items[i]->col, "weekend",
               "expected a weekday name (monday ... sunday)");
      return false;
    }
    c->weekend[k] = 1;
  }
  return true;
}

/* Marks every day of one list entry ("2026-02-15" or "2026-02-15..02-23"
** or "2026-02-15..2026-02-23") as kind. */
static bool mark_days(struct calendar *c, const struct ynode *e, int year,
                      uint8_t kind, const char *path, struct diag_list *d)
{
  char buf[32];
  const char *dots;
  int32_t a, b, base = cal_date(c->year_first, 1, 1);
  int y, m, dd;

  if (e->kind != YNODE_SCALAR || e->len >= sizeof buf) goto bad;
  memcpy(buf, e->text, e->len + 1);
  dots = strstr(buf, "..");
  if (dots) {
    char first[32], second[32];
    size_t n1 = (size_t)(dots - buf);
    if (n1 >= sizeof first) goto bad;
    memcpy(first, buf, n1);
    first[n1] = '\0';
    if (strlen(dots + 2) == 5)
      snprintf(second, sizeof second, "%.4s-%s", buf, dots + 2);
    else
      snprintf(second, sizeof second, "%s", dots + 2);
    if (!cal_parse_date(first, &a) || !cal_parse_date(second, &b) || b < a)
      goto bad;
  } else {
    if (!cal_parse_date(buf, &a)) goto bad;
    b = a;
  }
  for (int32_t x = a; x <= b; x++) {
    cal_ymd(x, &y, &m, &dd);
    if (y != year) {
      diag_add(d, path, e->line, e->col, NULL, "day %s is not in year %d",
               e->text, year);
      return false;
    }
    c->kind[x - base] = kind;
  }
  return true;
bad:
  diag_add(d, path, e->line, e->col, NULL, "expected a date YYYY-MM-DD or "
           "a range YYYY-MM-DD..MM-DD, got '%s'",
           e->kind == YNODE_SCALAR ? e->text : ynode_kind_name(e->kind));
  return false;
}

static bool load_year(struct calendar *c, int year, const struct ynode *y,
                      const char *path, struct diag_list *d)
{
  static const char *const lists[] = {"off", "work"};
  static const uint8_t kinds[] = {CAL_DAY_OFF, CAL_DAY_WORK};
  const struct ynode *src = ynode_get(y, "source");
  bool ok = true;

  if (y->kind != YNODE_MAP) {
    diag_add(d, path, y->line, y->col, NULL, "a calendar year is {source, "
             "off: [...], work: [...]}");
    return false;
  }
  for (size_t i = 0; i < y->n; i++) {
    const char *k = y->keys[i]->text;
    if (strcmp(k, "source") && strcmp(k, "off") && strcmp(k, "work") &&
        strcmp(k, "note")) {
      diag_add(d, path, y->keys[i]->line, y->keys[i]->col, NULL, "unknown "
               "key '%s' in a calendar year (known keys: source, off, work, "
               "note)", k);
      ok = false;
    }
  }
  if (!src || src->kind != YNODE_SCALAR) {
    diag_add(d, path, y->line, y->col, "source", "every calendar year must "
             "cite its source (the government notice)");
    ok = false;
  } else {
    c->year_source[year - c->year_first] = xstrdup(src->text);
  }
  for (int i = 0; i < 2; i++) {
    const struct ynode *l = ynode_get(y, lists[i]);
    if (!l) continue;
    if (l->kind != YNODE_SEQ) {
      diag_add(d, path, l->line, l->col, lists[i], "expected a list of "
               "dates");
      ok = false;
      continue;
    }
    for (size_t k = 0; k < l->n; k++)
      ok &= mark_days(c, l->items[k], year, kinds[i], path, d);
  }
  return ok;
}

bool cal_load(struct calendar *c, const struct ynode *node,
              const char *path, struct diag_list *d)
{
  const struct ynode *years = ynode_get(node, "years");
  int lo = CAL_YEAR_MAX + 1, hi = CAL_YEAR_MIN - 1;
  bool ok;

  if (!load_weekend(c, ynode_get(node, "weekend"), path, d)) return false;
  if (!years || years->kind != YNODE_MAP || years->n == 0) {
    diag_add(d, path, node->line, node->col, "years", "expected a mapping "
             "of years (2026: {source: ..., off: [...], work: [...]})");
    return false;
  }
  for (size_t i = 0; i < years->n; i++) {
    const char *t = years->keys[i]->text;
    int y = strlen(t) == 4 && strspn(t, "0123456789") == 4 ? atoi(t) : 0;
    if (y < CAL_YEAR_MIN || y > CAL_YEAR_MAX) {
      diag_add(d, path, years->keys[i]->line, years->keys[i]->col, NULL,
               "'%s': a calendar year is a year %d..%d written YYYY", t,
               CAL_YEAR_MIN, CAL_YEAR_MAX);
      return false;
    }
    if (y < lo) lo = y;
    if (y > hi) hi = y;
  }
  if ((size_t)(hi - lo + 1) != years->n) {
    diag_add(d, path, years->line, years->col, "years", "calendar years "
             "must be consecutive (%d..%d has gaps)", lo, hi);
    return false;
  }
  c->year_first = lo;
  c->year_last = hi;
  c->kind = xcalloc((size_t)(cal_date(hi + 1, 1, 1) - cal_date(lo, 1, 1)),
                    1);
  c->year_source = xcalloc((size_t)(hi - lo + 1), sizeof *c->year_source);
  ok = true;
  for (size_t i = 0; i < years->n; i++)
    ok &= load_year(c, atoi(years->keys[i]->text), years->items[i], path, d);
  return ok;
}
