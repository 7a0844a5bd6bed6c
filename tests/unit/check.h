/*
** check.h -- a deliberately tiny unit-test harness (after Redis' testhelp.h).
**
**   TEST(money_parses_cents) {
**     CHECK(x == 1);
**     CHECK_STR(buf, "12.34");
**   }
**   int main(void) { RUN(money_parses_cents); return check_done(); }
**
** A failed CHECK prints file:line and the expression, marks the test failed
** and carries on. check_done() prints "N passed, N failed" (counting tests)
** and returns the exit status; tests/run.sh adds the counts up.
*/
#ifndef PAYSETTLE_CHECK_H
#define PAYSETTLE_CHECK_H

#include <stdio.h>
#include <string.h>

static int check_passed_, check_failed_, check_cur_failed_;
static const char *check_cur_name_;

#define TEST(name) static void name(void)

#define CHECK(cond) do { \
    if (!(cond)) { \
      fprintf(stderr, "%s:%d: %s: CHECK(%s) failed\n", __FILE__, __LINE__, \
              check_cur_name_, #cond); \
      check_cur_failed_ = 1; \
    } \
  } while (0)

#define CHECK_STR(got, want) do { \
    const char *g_ = (got), *w_ = (want); \
    if (!g_ || strcmp(g_, w_) != 0) { \
      fprintf(stderr, "%s:%d: %s: got \"%s\", want \"%s\"\n", __FILE__, \
              __LINE__, check_cur_name_, g_ ? g_ : "(null)", w_); \
      check_cur_failed_ = 1; \
    } \
  } while (0)

#define CHECK_INT(got, want) do { \
    long long g_ = (long long)(got), w_ = (long long)(want); \
    if (g_ != w_) { \
      fprintf(stderr, "%s:%d: %s: %s is %lld, want %lld\n", __FILE__, \
              __LINE__, check_cur_name_, #got, g_, w_); \
      check_cur_failed_ = 1; \
    } \
  } while (0)

#define RUN(name) do { \
    check_cur_name_ = #name; \
    check_cur_failed_ = 0; \
    name(); \
    if (check_cur_failed_) { \
      check_failed_++; \
      printf("FAIL %s\n", #name); \
    } else { \
      check_passed_++; \
    } \
  } while (0)

static inline int check_done(void)
{
  printf("%d passed, %d failed\n", check_passed_, check_failed_);
  return check_failed_ ? 1 : 0;
}

#endif
