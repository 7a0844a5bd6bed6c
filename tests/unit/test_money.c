/*
** test_money.c -- unit tests for engine/money.c.
**
** Every expected value below was worked out by hand (or, for the powers of
** two, is a well-known constant); none was copied from this program's
** output. Values are written as text and compared with money_cmp(), so a
** test does not depend on the internal form a value happens to take.
*/
#include "money.h"
#include "xlsxcell.h"
#include "check.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define TWO_62 "4611686018427387904"
#define TWO_63 "9223372036854775808"
#define TWO_64 "18446744073709551616"
#define TWO_65 "36893488147419103232"
#define TWO_124 "21267647932558653966460912964485513216"

/* m = s, in any form money_parse_exact reads. Fails the test when s does
** not parse. */
static void set_text(struct money *m, const char *s)
{
  enum money_err rc = money_parse_exact(m, s);
  if (rc != MONEY_OK) fprintf(stderr, "  cannot parse test value %s\n", s);
  CHECK_INT(rc, MONEY_OK);
}

/* True when m equals the value written s; prints m otherwise. */
static bool equals(const struct money *m, const char *s)
{
  struct money w = MONEY_ZERO;
  char buf[128];
  bool ok;

  set_text(&w, s);
  ok = money_cmp(m, &w) == 0;
  if (!ok) {
    money_format_exact(m, buf, sizeof buf);
    fprintf(stderr, "  value is %s, want %s\n", buf, s);
  }
  money_clear(&w);
  return ok;
}

/* True when rounding `in` at `step` in `mode` gives `want`. */
static bool round_is(const char *in, const char *step, enum money_round mode,
                     const char *want)
{
  struct money a = MONEY_ZERO, s = MONEY_ZERO, r = MONEY_ZERO;
  bool ok;

  set_text(&a, in);
  set_text(&s, step);
  ok = money_round(&r, &a, &s, mode) == MONEY_OK && equals(&r, want);
  if (!ok)
    fprintf(stderr, "  round(%s, step %s, %s), want %s\n", in, step,
            money_round_name(mode), want);
  money_clear(&a);
  money_clear(&s);
  money_clear(&r);
  return ok;
}

#define ROUND_IS(in, step, mode, want) \
  CHECK(round_is(in, step, MONEY_ROUND_##mode, want))

/* One input and its result in every mode, in enum order: half_away,
** half_up, half_even, up, down, ceiling, floor, jian_fen_jin_jiao. */
struct round_row {
  const char *in;
  const char *want[MONEY_ROUND_COUNT];
};

static void check_rows(const char *step, const struct round_row *rows,
                       size_t n)
{
  for (size_t i = 0; i < n; i++) {
    for (int m = 0; m < MONEY_ROUND_COUNT; m++)
      CHECK(round_is(rows[i].in, step, (enum money_round)m,
                     rows[i].want[m]));
  }
}

#define CHECK_ROWS(step, rows) \
  check_rows(step, rows, sizeof rows / sizeof rows[0])

/* money_parse with decimals_max 2 and negatives allowed, from a C string. */
static enum money_err parse2(struct money *m, const char *s)
{
  return money_parse(m, s, strlen(s), 2, true);
}

/* ---------------------------------------------------------------------- */
/* Parsing                                                                */

TEST(parse_accepts_plain_decimals)
{
  struct money m = MONEY_ZERO;

  CHECK_INT(parse2(&m, "12.34"), MONEY_OK);
  CHECK_INT(m.num, 617);                      /* 1234/100 reduced */
  CHECK_INT(m.den, 50);
  CHECK_INT(parse2(&m, "-0.50"), MONEY_OK);
  CHECK_INT(m.num, -1);
  CHECK_INT(m.den, 2);
  CHECK_INT(parse2(&m, "007.50"), MONEY_OK);
  CHECK_INT(m.num, 15);
  CHECK_INT(m.den, 2);
  CHECK_INT(parse2(&m, "0"), MONEY_OK);
  CHECK_INT(m.num, 0);
  CHECK_INT(m.den, 1);
  CHECK_INT(parse2(&m, "3800"), MONEY_OK);
  CHECK_INT(m.num, 3800);
  CHECK_INT(m.den, 1);
  CHECK_INT(parse2(&m, "0.00"), MONEY_OK);
  CHECK(money_is_zero(&m));
  CHECK(m.big == NULL);
  money_clear(&m);
}

TEST(parse_negative_zero_is_zero)
{
  struct money m = MONEY_ZERO;

  CHECK_INT(parse2(&m, "-0.00"), MONEY_OK);
  CHECK_INT(m.num, 0);
  CHECK_INT(m.den, 1);
  CHECK_INT(money_sgn(&m), 0);
  money_clear(&m);
}

TEST(parse_refuses_bad_syntax)
{
  static const char *const bad[] = {
    "1e3", "1E3", "1,234", " 12", "12 ", "1 2", "12.", ".5", "+1", "",
    "-", "--1", "1.2.3", "0x10", "-.5", "1.-5", "12\n", "\t1", "NaN",
    "inf", "1/2", "1_000", "12.3a", "\xef\xbc\x91",    /* fullwidth 1 */
  };
  struct money m = MONEY_ZERO;

  money_set_int(&m, 7);
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    enum money_err rc = money_parse(&m, bad[i], strlen(bad[i]), 9, true);
    if (rc != MONEY_E_SYNTAX) fprintf(stderr, "  accepted \"%s\"\n", bad[i]);
    CHECK_INT(rc, MONEY_E_SYNTAX);
  }
  CHECK_INT(m.num, 7);                        /* unchanged on error */
  CHECK_INT(m.den, 1);
  money_clear(&m);
}

TEST(parse_refuses_embedded_nul)
{
  struct money m = MONEY_ZERO;

  CHECK_INT(money_parse(&m, "1\0002", 3, 2, true), MONEY_E_SYNTAX);
  CHECK_INT(money_parse(&m, "1.\0002", 4, 2, true), MONEY_E_SYNTAX);
  CHECK(money_is_zero(&m));
}

TEST(parse_uses_len_not_nul)
{
  struct money m = MONEY_ZERO;

  CHECK_INT(money_parse(&m, "12.345", 5, 2, false), MONEY_OK);
  CHECK(equals(&m, "12.34"));
  CHECK_INT(money_parse(&m, "99xyz", 2, 0, false), MONEY_OK);
  CHECK(equals(&m, "99"));
  CHECK_INT(money_parse(&m, "5", 0, 2, true), MONEY_E_SYNTAX);
  CHECK(equals(&m, "99"));
  money_clear(&m);
}

TEST(parse_refuses_too_many_decimals)
{
  struct money m = MONEY_ZERO;

  CHECK_INT(money_parse(&m, "1.234", 5, 2, true), MONEY_E_DECIMALS);
  CHECK_INT(money_parse(&m, "1.230", 5, 2, true), MONEY_E_DECIMALS);
  CHECK_INT(money_parse(&m, "12.0", 4, 0, true), MONEY_E_DECIMALS);
  CHECK(money_is_zero(&m));
  CHECK_INT(money_parse(&m, "12", 2, 0, true), MONEY_OK);
  CHECK(equals(&m, "12"));
  CHECK_INT(money_parse(&m, "1.234", 5, 3, true), MONEY_OK);
  CHECK(equals(&m, "1.234"));
  money_clear(&m);
}

TEST(parse_refuses_sign_when_not_allowed)
{
  struct money m = MONEY_ZERO;

  money_set_int(&m, 5);
  CHECK_INT(money_parse(&m, "-1", 2, 2, false), MONEY_E_NEGATIVE);
  CHECK_INT(money_parse(&m, "-0", 2, 2, false), MONEY_E_NEGATIVE);
  CHECK_INT(money_parse(&m, "-0.50", 5, 2, false), MONEY_E_NEGATIVE);
  CHECK(equals(&m, "5"));
  CHECK_INT(money_parse(&m, "-1", 2, 2, true), MONEY_OK);
  CHECK(equals(&m, "-1"));
  money_clear(&m);
}

TEST(parse_length_limit)
{
  /* 40 characters exactly, then 41. */
  const char *forty = "1234567890123456789012345678901234567890";
  const char *forty_one = "12345678901234567890123456789012345678901";
  const char *neg = "-123456789012345678901234567890.12345678";
  struct money m = MONEY_ZERO;
  char buf[64];

  CHECK_INT(strlen(forty), MONEY_TEXT_MAX);
  CHECK_INT(money_parse(&m, forty, 40, 0, false), MONEY_OK);
  CHECK(m.big != NULL);
  CHECK_INT(money_format_exact(&m, buf, sizeof buf), 0);
  CHECK_STR(buf, forty);
  CHECK_INT(money_parse(&m, forty_one, 41, 0, false), MONEY_E_RANGE);
  CHECK_STR(buf, forty);
  CHECK_INT(money_parse(&m, neg, strlen(neg), 8, true), MONEY_OK);
  CHECK_INT(money_format_exact(&m, buf, sizeof buf), 0);
  CHECK_STR(buf, neg);
  money_clear(&m);
}

TEST(parse_int64_edges)
{
  struct money m = MONEY_ZERO;
  int64_t v = 0;

  CHECK_INT(parse2(&m, "9223372036854775807"), MONEY_OK);
  CHECK(m.big == NULL);
  CHECK_INT(m.num, INT64_MAX);
  CHECK_INT(parse2(&m, TWO_63), MONEY_OK);
  CHECK(m.big != NULL);
  CHECK(!money_to_int(&m, &v));
  /* INT64_MIN is kept big (its negation would overflow) yet reads back. */
  CHECK_INT(parse2(&m, "-" TWO_63), MONEY_OK);
  CHECK(m.big != NULL);
  CHECK(money_to_int(&m, &v));
  CHECK(v == INT64_MIN);
  /* 19 decimals: the denominator 10^19 does not fit int64. */
  CHECK_INT(money_parse(&m, "0.0000000000000000001", 21, 19, false),
            MONEY_OK);
  CHECK(m.big != NULL);
  CHECK(equals(&m, "1/10000000000000000000"));
  CHECK_INT(money_parse(&m, "0.0000000000000000010", 21, 19, false),
            MONEY_OK);
  CHECK(m.big == NULL);                       /* 1/10^18 demotes */
  CHECK_INT(m.den, 1000000000000000000);
  money_clear(&m);
}

/* ---------------------------------------------------------------------- */
/* Setters, constants, life cycle                                         */

TEST(constants)
{
  CHECK_INT(MONEY_CENT.num, 1);
  CHECK_INT(MONEY_CENT.den, 100);
  CHECK(MONEY_CENT.big == NULL);
  CHECK_INT(MONEY_ONE.num, 1);
  CHECK_INT(MONEY_ONE.den, 1);
  CHECK(MONEY_ONE.big == NULL);
}

TEST(set_frac_reduces_and_signs)
{
  struct money m = MONEY_ZERO;

  CHECK_INT(money_set_frac(&m, 4, 87), MONEY_OK);
  CHECK_INT(m.num, 4);
  CHECK_INT(m.den, 87);
  CHECK_INT(money_set_frac(&m, 6, 4), MONEY_OK);
  CHECK_INT(m.num, 3);
  CHECK_INT(m.den, 2);
  CHECK_INT(money_set_frac(&m, 2, -4), MONEY_OK);
  CHECK_INT(m.num, -1);
  CHECK_INT(m.den, 2);
  CHECK_INT(money_set_frac(&m, -3, -9), MONEY_OK);
  CHECK_INT(m.num, 1);
  CHECK_INT(m.den, 3);
  CHECK_INT(money_set_frac(&m, 0, -5), MONEY_OK);
  CHECK_INT(m.num, 0);
  CHECK_INT(m.den, 1);
  CHECK_INT(money_set_frac(&m, 7, 0), MONEY_E_DIV0);
  CHECK_INT(m.num, 0);
  CHECK_INT(m.den, 1);
}

TEST(set_frac_int64_min)
{
  struct money m = MONEY_ZERO;

  CHECK_INT(money_set_frac(&m, INT64_MIN, 2), MONEY_OK);
  CHECK(m.big == NULL);
  CHECK_INT(m.num, -4611686018427387904);     /* -2^62 */
  CHECK_INT(money_set_frac(&m, INT64_MIN, -1), MONEY_OK);
  CHECK(m.big != NULL);
  CHECK(equals(&m, TWO_63));
  CHECK_INT(money_set_frac(&m, 1, INT64_MIN), MONEY_OK);
  CHECK(m.big != NULL);
  CHECK(equals(&m, "-1/" TWO_63));
  CHECK_INT(money_set_frac(&m, INT64_MIN, INT64_MIN), MONEY_OK);
  CHECK(m.big == NULL);
  CHECK_INT(m.num, 1);
  CHECK_INT(m.den, 1);
  money_set_int(&m, INT64_MIN);
  CHECK(m.big != NULL);
  CHECK(equals(&m, "-" TWO_63));
  money_set_int(&m, -3);
  CHECK(m.big == NULL);
  CHECK_INT(m.num, -3);
  money_clear(&m);
}

TEST(copy_between_forms)
{
  struct money a = MONEY_ZERO, b = MONEY_ZERO;

  set_text(&a, TWO_64);
  money_set_int(&b, 3);
  money_copy(&b, &a);                         /* small <- big */
  CHECK(b.big != NULL && b.big != a.big);
  CHECK(equals(&b, TWO_64));
  money_set_int(&a, 9);
  CHECK(a.big == NULL);
  CHECK(equals(&b, TWO_64));                  /* b owns its own copy */
  money_copy(&b, &a);                         /* big <- small */
  CHECK(b.big == NULL);
  CHECK_INT(b.num, 9);
  money_copy(&b, &b);
  CHECK_INT(b.num, 9);
  money_clear(&a);
  money_clear(&b);
}

TEST(clear_leaves_zero)
{
  struct money a = MONEY_ZERO;

  money_clear(&a);                            /* never set: fine */
  set_text(&a, TWO_64);
  money_clear(&a);
  CHECK(a.big == NULL);
  CHECK_INT(a.num, 0);
  CHECK_INT(a.den, 1);
  money_init(&a);
  CHECK(money_is_zero(&a));
}

/* ---------------------------------------------------------------------- */
/* Arithmetic                                                             */

TEST(add_sub_exact)
{
  struct money a = MONEY_ZERO, b = MONEY_ZERO, r = MONEY_ZERO;

  set_text(&a, "0.1");
  set_text(&b, "0.2");
  money_add(&r, &a, &b);
  CHECK(equals(&r, "0.3"));
  CHECK_INT(r.num, 3);
  CHECK_INT(r.den, 10);
  money_sub(&r, &a, &b);
  CHECK(equals(&r, "-0.1"));
  set_text(&a, "1/3");
  set_text(&b, "1/6");
  money_add(&r, &a, &b);
  CHECK_INT(r.num, 1);
  CHECK_INT(r.den, 2);
  money_sub(&r, &b, &a);
  CHECK_INT(r.num, -1);
  CHECK_INT(r.den, 6);
  money_sub(&r, &a, &a);
  CHECK_INT(r.num, 0);
  CHECK_INT(r.den, 1);
  money_clear(&a);
  money_clear(&b);
  money_clear(&r);
}

TEST(proration_by_21_75_is_exact)
{
  struct money a = MONEY_ZERO, d = MONEY_ZERO, r = MONEY_ZERO;

  set_text(&a, "3800");
  set_text(&d, "21.75");
  CHECK_INT(money_div(&r, &a, &d), MONEY_OK);
  CHECK_INT(r.num, 15200);                    /* 3800 * 4 / 87 */
  CHECK_INT(r.den, 87);
  money_mul(&r, &r, &d);
  CHECK_INT(r.num, 3800);
  CHECK_INT(r.den, 1);
  CHECK(money_cmp(&r, &a) == 0);
  money_clear(&a);
  money_clear(&d);
  money_clear(&r);
}

TEST(header_example)
{
  struct money a = MONEY_ZERO, b = MONEY_ZERO, c = MONEY_ZERO;

  CHECK_INT(money_parse(&a, "3800.00", 7, 2, 0), MONEY_OK);
  CHECK_INT(money_set_frac(&b, 4, 87), MONEY_OK);
  money_mul(&c, &a, &b);
  CHECK(equals(&c, "15200/87"));
  CHECK_INT(money_round(&c, &c, &MONEY_CENT, MONEY_ROUND_HALF_AWAY),
            MONEY_OK);
  CHECK(equals(&c, "174.71"));
  money_clear(&a);
  money_clear(&b);
  money_clear(&c);
}

TEST(mul_div_signs)
{
  struct money a = MONEY_ZERO, b = MONEY_ZERO, r = MONEY_ZERO;

  set_text(&a, "-1.5");
  set_text(&b, "-4");
  money_mul(&r, &a, &b);
  CHECK(equals(&r, "6"));
  CHECK_INT(money_div(&r, &a, &b), MONEY_OK);
  CHECK(equals(&r, "0.375"));
  set_text(&a, "1");
  set_text(&b, "-3");
  CHECK_INT(money_div(&r, &a, &b), MONEY_OK);
  CHECK_INT(r.num, -1);
  CHECK_INT(r.den, 3);
  set_text(&a, "0");
  money_mul(&r, &a, &b);
  CHECK_INT(r.num, 0);
  CHECK_INT(r.den, 1);
  CHECK_INT(money_div(&r, &a, &b), MONEY_OK);
  CHECK_INT(r.num, 0);
  CHECK_INT(r.den, 1);
  money_clear(&a);
  money_clear(&b);
  money_clear(&r);
}

TEST(div_by_zero)
{
  struct money a = MONEY_ZERO, z = MONEY_ZERO, r = MONEY_ZERO;

  set_text(&a, "12.5");
  set_text(&r, "42");
  CHECK_INT(money_div(&r, &a, &z), MONEY_E_DIV0);
  CHECK(equals(&r, "42"));
  set_text(&a, TWO_64);
  CHECK_INT(money_div(&r, &a, &z), MONEY_E_DIV0);
  CHECK(equals(&r, "42"));
  set_text(&r, TWO_65);
  CHECK_INT(money_div(&r, &a, &z), MONEY_E_DIV0);
  CHECK(equals(&r, TWO_65));
  money_clear(&a);
  money_clear(&r);
}

TEST(neg_abs)
{
  struct money a = MONEY_ZERO, r = MONEY_ZERO;

  set_text(&a, "-2.5");
  money_neg(&r, &a);
  CHECK(equals(&r, "2.5"));
  money_abs(&r, &a);
  CHECK(equals(&r, "2.5"));
  money_abs(&a, &a);
  CHECK(equals(&a, "2.5"));
  money_neg(&a, &a);
  CHECK(equals(&a, "-2.5"));
  set_text(&a, "0");
  money_neg(&r, &a);
  CHECK_INT(r.num, 0);
  set_text(&a, "-" TWO_64);
  money_abs(&r, &a);
  CHECK(equals(&r, TWO_64));
  money_neg(&a, &a);
  CHECK(equals(&a, TWO_64));
  money_clear(&a);
  money_clear(&r);
}

TEST(aliasing_all_operands)
{
  struct money a = MONEY_ZERO;

  set_text(&a, "1.5");
  money_add(&a, &a, &a);
  CHECK(equals(&a, "3"));
  money_mul(&a, &a, &a);
  CHECK(equals(&a, "9"));
  CHECK_INT(money_div(&a, &a, &a), MONEY_OK);
  CHECK(equals(&a, "1"));
  set_text(&a, TWO_64);
  money_add(&a, &a, &a);
  CHECK(equals(&a, TWO_65));
  money_mul(&a, &a, &a);
  CHECK(a.big != NULL);
  CHECK_INT(money_div(&a, &a, &a), MONEY_OK);
  CHECK(a.big == NULL);
  CHECK(equals(&a, "1"));
  set_text(&a, TWO_64);
  money_sub(&a, &a, &a);
  CHECK(a.big == NULL);
  CHECK(money_is_zero(&a));
  money_clear(&a);
}

/* ---------------------------------------------------------------------- */
/* The overflow path                                                      */

TEST(overflow_promotes_and_demotes)
{
  struct money x = MONEY_ZERO, four = MONEY_ZERO, r = MONEY_ZERO;

  set_text(&x, TWO_62);
  set_text(&four, "4");
  CHECK(x.big == NULL);
  money_mul(&r, &x, &four);                   /* 2^64 */
  CHECK(r.big != NULL);
  CHECK(equals(&r, TWO_64));
  CHECK_INT(money_div(&r, &r, &four), MONEY_OK);
  CHECK(r.big == NULL);
  CHECK_INT(r.num, INT64_C(4611686018427387904));
  CHECK_INT(r.den, 1);
  money_clear(&x);
  money_clear(&four);
  money_clear(&r);
}

TEST(overflow_repeated_multiply)
{
  struct money x = MONEY_ZERO, p = MONEY_ZERO;

  set_text(&x, TWO_62);
  money_set_int(&p, 3);
  for (int i = 0; i < 4; i++) money_mul(&p, &p, &x);
  CHECK(p.big != NULL);                       /* 3 * 2^248 */
  money_set_int(&p, 1);
  money_mul(&p, &p, &x);
  money_mul(&p, &p, &x);
  CHECK(equals(&p, TWO_124));
  money_set_int(&p, 3);
  for (int i = 0; i < 4; i++) money_mul(&p, &p, &x);
  for (int i = 0; i < 4; i++) CHECK_INT(money_div(&p, &p, &x), MONEY_OK);
  CHECK(p.big == NULL);
  CHECK_INT(p.num, 3);
  CHECK_INT(p.den, 1);
  money_clear(&x);
  money_clear(&p);
}

TEST(overflow_fraction_powers)
{
  struct money f = MONEY_ZERO, f2 = MONEY_ZERO, f3 = MONEY_ZERO;

  /* f = (2^62 + 1) / (2^62 - 1): both odd, gcd 1 (they differ by 2). */
  CHECK_INT(money_set_frac(&f, INT64_C(4611686018427387905),
                           INT64_C(4611686018427387903)), MONEY_OK);
  CHECK(f.big == NULL);
  money_mul(&f2, &f, &f);
  money_mul(&f3, &f2, &f);
  CHECK(f2.big != NULL);
  CHECK(f3.big != NULL);
  CHECK(money_cmp(&f3, &f2) > 0);             /* f > 1 */
  CHECK_INT(money_div(&f3, &f3, &f2), MONEY_OK);
  CHECK(f3.big == NULL);
  CHECK_INT(f3.num, INT64_C(4611686018427387905));
  CHECK_INT(f3.den, INT64_C(4611686018427387903));
  money_sub(&f2, &f2, &f2);
  CHECK(f2.big == NULL);
  money_clear(&f);
  money_clear(&f2);
  money_clear(&f3);
}

TEST(overflow_add_at_int64_edges)
{
  struct money a = MONEY_ZERO, one = MONEY_ZERO, r = MONEY_ZERO;
  int64_t v = 0;

  money_set_int(&a, INT64_MAX);
  money_set_int(&one, 1);
  money_add(&r, &a, &one);
  CHECK(r.big != NULL);
  CHECK(equals(&r, TWO_63));
  money_sub(&r, &r, &one);
  CHECK(r.big == NULL);
  CHECK_INT(r.num, INT64_MAX);
  money_add(&r, &a, &a);
  CHECK(equals(&r, "18446744073709551614"));
  money_sub(&r, &r, &a);
  CHECK(r.big == NULL);
  CHECK_INT(r.num, INT64_MAX);
  /* -INT64_MAX - 1 does not overflow int64, but is INT64_MIN: big. */
  money_set_int(&a, -INT64_MAX);
  money_sub(&r, &a, &one);
  CHECK(r.big != NULL);
  CHECK(money_to_int(&r, &v));
  CHECK(v == INT64_MIN);
  money_add(&r, &r, &one);
  CHECK(r.big == NULL);
  CHECK_INT(r.num, -INT64_MAX);
  money_clear(&a);
  money_clear(&one);
  money_clear(&r);
}

TEST(overflow_denominators)
{
  struct money a = MONEY_ZERO, b = MONEY_ZERO, r = MONEY_ZERO;

  CHECK_INT(money_set_frac(&a, 1, INT64_MAX), MONEY_OK);
  CHECK_INT(money_set_frac(&b, 1, INT64_MAX - 1), MONEY_OK);
  money_add(&r, &a, &b);
  CHECK(r.big != NULL);
  money_sub(&r, &r, &b);
  CHECK(r.big == NULL);
  CHECK_INT(r.num, 1);
  CHECK_INT(r.den, INT64_MAX);
  money_clear(&a);
  money_clear(&b);
  money_clear(&r);
}

/* ---------------------------------------------------------------------- */
/* Comparison and predicates                                              */

TEST(cmp_small)
{
  struct money a = MONEY_ZERO, b = MONEY_ZERO;

  set_text(&a, "0.3");
  set_text(&b, "1/3");
  CHECK_INT(money_cmp(&a, &b), -1);
  CHECK_INT(money_cmp(&b, &a), 1);
  CHECK_INT(money_cmp(&a, &a), 0);
  set_text(&b, "-5");
  CHECK_INT(money_cmp(&a, &b), 1);
  CHECK_INT(money_cmp(&b, &a), -1);
  set_text(&a, "-5.00");
  CHECK_INT(money_cmp(&a, &b), 0);
  set_text(&a, "-21/4");
  CHECK_INT(money_cmp(&a, &b), -1);
  money_clear(&a);
  money_clear(&b);
}

TEST(cmp_cross_product_overflow)
{
  struct money a = MONEY_ZERO, b = MONEY_ZERO;

  /* n/(n+1) grows with n; the cross products overflow int64. */
  CHECK_INT(money_set_frac(&a, INT64_MAX - 1, INT64_MAX), MONEY_OK);
  CHECK_INT(money_set_frac(&b, INT64_MAX - 2, INT64_MAX - 1), MONEY_OK);
  CHECK(a.big == NULL && b.big == NULL);
  CHECK_INT(money_cmp(&a, &b), 1);
  CHECK_INT(money_cmp(&b, &a), -1);
  CHECK_INT(money_cmp(&a, &a), 0);
  money_neg(&a, &a);
  money_neg(&b, &b);
  CHECK_INT(money_cmp(&a, &b), -1);
  money_clear(&a);
  money_clear(&b);
}

TEST(cmp_small_and_big)
{
  struct money s = MONEY_ZERO, g = MONEY_ZERO;

  money_set_int(&s, INT64_MAX);
  set_text(&g, TWO_63);
  CHECK_INT(money_cmp(&s, &g), -1);
  CHECK_INT(money_cmp(&g, &s), 1);
  money_set_int(&s, -INT64_MAX);
  money_set_int(&g, INT64_MIN);
  CHECK(g.big != NULL);
  CHECK_INT(money_cmp(&g, &s), -1);
  CHECK_INT(money_cmp(&s, &g), 1);
  CHECK_INT(money_cmp(&g, &g), 0);
  set_text(&s, "-1");
  CHECK_INT(money_cmp(&g, &s), -1);
  set_text(&s, "1");
  CHECK_INT(money_cmp(&g, &s), -1);
  money_clear(&s);
  money_clear(&g);
}

TEST(sgn_zero_integer)
{
  struct money a = MONEY_ZERO;

  CHECK_INT(money_sgn(&a), 0);
  CHECK(money_is_zero(&a));
  CHECK(money_is_integer(&a));
  set_text(&a, "-0.01");
  CHECK_INT(money_sgn(&a), -1);
  CHECK(!money_is_zero(&a));
  CHECK(!money_is_integer(&a));
  set_text(&a, "12.00");
  CHECK_INT(money_sgn(&a), 1);
  CHECK(money_is_integer(&a));
  set_text(&a, "-" TWO_64);
  CHECK_INT(money_sgn(&a), -1);
  CHECK(!money_is_zero(&a));
  CHECK(money_is_integer(&a));
  set_text(&a, TWO_64 ".5");
  CHECK_INT(money_sgn(&a), 1);
  CHECK(!money_is_integer(&a));
  money_clear(&a);
}

/* ---------------------------------------------------------------------- */
/* Rounding: every mode, in enum order                                    */

TEST(round_table_step_1)
{
  static const struct round_row rows[] = {
    {"2.5",   {"3", "3", "2", "3", "2", "3", "2", "3"}},
    {"-2.5",  {"-3", "-2", "-2", "-3", "-2", "-2", "-3", "-3"}},
    {"3.5",   {"4", "4", "4", "4", "3", "4", "3", "4"}},
    {"-3.5",  {"-4", "-3", "-4", "-4", "-3", "-3", "-4", "-4"}},
    {"2.1",   {"2", "2", "2", "3", "2", "3", "2", "3"}},
    {"-2.1",  {"-2", "-2", "-2", "-3", "-2", "-2", "-3", "-3"}},
    {"2.9",   {"3", "3", "3", "3", "2", "3", "2", "3"}},
    {"-2.9",  {"-3", "-3", "-3", "-3", "-2", "-2", "-3", "-3"}},
    {"-2.6",  {"-3", "-3", "-3", "-3", "-2", "-2", "-3", "-3"}},
    {"-2.4",  {"-2", "-2", "-2", "-3", "-2", "-2", "-3", "-3"}},
    {"2.04",  {"2", "2", "2", "3", "2", "3", "2", "2"}},
    {"2.05",  {"2", "2", "2", "3", "2", "3", "2", "3"}},
    {"-2.05", {"-2", "-2", "-2", "-3", "-2", "-2", "-3", "-3"}},
    {"2",     {"2", "2", "2", "2", "2", "2", "2", "2"}},
    {"-2",    {"-2", "-2", "-2", "-2", "-2", "-2", "-2", "-2"}},
    {"0",     {"0", "0", "0", "0", "0", "0", "0", "0"}},
    {"0.4",   {"0", "0", "0", "1", "0", "1", "0", "1"}},
    {"-0.4",  {"0", "0", "0", "-1", "0", "0", "-1", "-1"}},
    {"0.5",   {"1", "1", "0", "1", "0", "1", "0", "1"}},
    {"-0.5",  {"-1", "0", "0", "-1", "0", "0", "-1", "-1"}},
    {"1.5",   {"2", "2", "2", "2", "1", "2", "1", "2"}},
  };
  CHECK_ROWS("1", rows);
}

TEST(round_table_step_0_1)
{
  static const struct round_row rows[] = {
    {"2.25",  {"2.3", "2.3", "2.2", "2.3", "2.2", "2.3", "2.2", "2.3"}},
    {"-2.25", {"-2.3", "-2.2", "-2.2", "-2.3", "-2.2", "-2.2", "-2.3",
               "-2.3"}},
    {"2.35",  {"2.4", "2.4", "2.4", "2.4", "2.3", "2.4", "2.3", "2.4"}},
    {"-2.35", {"-2.4", "-2.3", "-2.4", "-2.4", "-2.3", "-2.3", "-2.4",
               "-2.4"}},
    {"2.21",  {"2.2", "2.2", "2.2", "2.3", "2.2", "2.3", "2.2", "2.3"}},
    {"-2.29", {"-2.3", "-2.3", "-2.3", "-2.3", "-2.2", "-2.2", "-2.3",
               "-2.3"}},
    {"184.605", {"184.6", "184.6", "184.6", "184.7", "184.6", "184.7",
                 "184.6", "184.7"}},
    {"184.604", {"184.6", "184.6", "184.6", "184.7", "184.6", "184.7",
                 "184.6", "184.6"}},
    {"184.595", {"184.6", "184.6", "184.6", "184.6", "184.5", "184.6",
                 "184.5", "184.6"}},
    {"-184.605", {"-184.6", "-184.6", "-184.6", "-184.7", "-184.6",
                  "-184.6", "-184.7", "-184.7"}},
    {"0.01",  {"0", "0", "0", "0.1", "0", "0.1", "0", "0.1"}},
    {"-0.01", {"0", "0", "0", "-0.1", "0", "0", "-0.1", "-0.1"}},
    {"0.004", {"0", "0", "0", "0.1", "0", "0.1", "0", "0"}},
    {"-0.004", {"0", "0", "0", "-0.1", "0", "0", "-0.1", "0"}},
    {"0.05",  {"0.1", "0.1", "0", "0.1", "0", "0.1", "0", "0.1"}},
    {"-0.05", {"-0.1", "0", "0", "-0.1", "0", "0", "-0.1", "-0.1"}},
    {"0.15",  {"0.2", "0.2", "0.2", "0.2", "0.1", "0.2", "0.1", "0.2"}},
  };
  CHECK_ROWS("0.1", rows);
}

TEST(round_table_step_0_01)
{
  static const struct round_row rows[] = {
    {"0.125", {"0.13", "0.13", "0.12", "0.13", "0.12", "0.13", "0.12",
               "0.13"}},
    {"-0.125", {"-0.13", "-0.12", "-0.12", "-0.13", "-0.12", "-0.12",
                "-0.13", "-0.13"}},
    {"0.135", {"0.14", "0.14", "0.14", "0.14", "0.13", "0.14", "0.13",
               "0.14"}},
    {"-0.135", {"-0.14", "-0.13", "-0.14", "-0.14", "-0.13", "-0.13",
                "-0.14", "-0.14"}},
    {"1.001", {"1", "1", "1", "1.01", "1", "1.01", "1", "1.01"}},
    {"1.0004", {"1", "1", "1", "1.01", "1", "1.01", "1", "1"}},
    {"1.0005", {"1", "1", "1", "1.01", "1", "1.01", "1", "1.01"}},
    {"-1.009", {"-1.01", "-1.01", "-1.01", "-1.01", "-1", "-1", "-1.01",
                "-1.01"}},
    {"184.605", {"184.61", "184.61", "184.6", "184.61", "184.6", "184.61",
                 "184.6", "184.61"}},
    {"-184.605", {"-184.61", "-184.6", "-184.6", "-184.61", "-184.6",
                  "-184.6", "-184.61", "-184.61"}},
    {"-0.001", {"0", "0", "0", "-0.01", "0", "0", "-0.01", "-0.01"}},
    {"0.005", {"0.01", "0.01", "0", "0.01", "0", "0.01", "0", "0.01"}},
    {"12.34", {"12.34", "12.34", "12.34", "12.34", "12.34", "12.34",
               "12.34", "12.34"}},
    {"1/3",   {"0.33", "0.33", "0.33", "0.34", "0.33", "0.34", "0.33",
               "0.34"}},
    {"-2/3",  {"-0.67", "-0.67", "-0.67", "-0.67", "-0.66", "-0.66",
               "-0.67", "-0.67"}},
  };
  CHECK_ROWS("0.01", rows);
}

TEST(round_table_step_0_5)
{
  static const struct round_row rows[] = {
    {"2.3",   {"2.5", "2.5", "2.5", "2.5", "2", "2.5", "2", "2.5"}},
    {"2.25",  {"2.5", "2.5", "2", "2.5", "2", "2.5", "2", "2.5"}},
    {"-2.25", {"-2.5", "-2", "-2", "-2.5", "-2", "-2", "-2.5", "-2.5"}},
    {"2.74",  {"2.5", "2.5", "2.5", "3", "2.5", "3", "2.5", "3"}},
    {"2.52",  {"2.5", "2.5", "2.5", "3", "2.5", "3", "2.5", "2.5"}},
  };
  CHECK_ROWS("0.5", rows);
}

TEST(round_table_other_steps)
{
  static const struct round_row step5[] = {
    {"12.5",  {"15", "15", "10", "15", "10", "15", "10", "15"}},
    {"-12.5", {"-15", "-10", "-10", "-15", "-10", "-10", "-15", "-15"}},
    {"7.4",   {"5", "5", "5", "10", "5", "10", "5", "10"}},
    {"5.2",   {"5", "5", "5", "10", "5", "10", "5", "5"}},
  };
  static const struct round_row step100[] = {
    {"150",   {"200", "200", "200", "200", "100", "200", "100", "200"}},
    {"250",   {"300", "300", "200", "300", "200", "300", "200", "300"}},
    {"-250",  {"-300", "-200", "-200", "-300", "-200", "-200", "-300",
               "-300"}},
  };
  static const struct round_row third[] = {
    {"0.5",   {"2/3", "2/3", "2/3", "2/3", "1/3", "2/3", "1/3", "2/3"}},
    {"-0.5",  {"-2/3", "-1/3", "-2/3", "-2/3", "-1/3", "-1/3", "-2/3",
               "-2/3"}},
    {"1/6",   {"1/3", "1/3", "0", "1/3", "0", "1/3", "0", "1/3"}},
  };
  CHECK_ROWS("5", step5);
  CHECK_ROWS("100", step100);
  CHECK_ROWS("1/3", third);
}

TEST(round_table_big_values)
{
  static const struct round_row rows[] = {
    {TWO_64 ".5", {"18446744073709551617", "18446744073709551617",
                   TWO_64, "18446744073709551617", TWO_64,
                   "18446744073709551617", TWO_64,
                   "18446744073709551617"}},
    {"-18446744073709551617.5", {
      "-18446744073709551618", "-18446744073709551617",
      "-18446744073709551618", "-18446744073709551618",
      "-18446744073709551617", "-18446744073709551617",
      "-18446744073709551618", "-18446744073709551618"}},
    {TWO_64 ".04", {TWO_64, TWO_64, TWO_64, "18446744073709551617", TWO_64,
                    "18446744073709551617", TWO_64, TWO_64}},
    /* .05 goes half away to .1 first, so 见角进元 moves up. */
    {TWO_64 ".05", {TWO_64, TWO_64, TWO_64, "18446744073709551617", TWO_64,
                    "18446744073709551617", TWO_64,
                    "18446744073709551617"}},
    {"-" TWO_64 ".05", {"-" TWO_64, "-" TWO_64, "-" TWO_64,
                        "-18446744073709551617", "-" TWO_64, "-" TWO_64,
                        "-18446744073709551617", "-18446744073709551617"}},
  };
  CHECK_ROWS("1", rows);
}

TEST(round_named_cases)
{
  ROUND_IS("2.5", "1", HALF_AWAY, "3");
  ROUND_IS("-2.5", "1", HALF_AWAY, "-3");
  ROUND_IS("-2.5", "1", HALF_UP, "-2");
  ROUND_IS("2.5", "1", HALF_EVEN, "2");
  ROUND_IS("3.5", "1", HALF_EVEN, "4");
  ROUND_IS("-2.5", "1", HALF_EVEN, "-2");
  ROUND_IS("0.125", "0.01", HALF_EVEN, "0.12");
  ROUND_IS("0.135", "0.01", HALF_EVEN, "0.14");
  ROUND_IS("-2.1", "1", UP, "-3");
  ROUND_IS("-2.9", "1", DOWN, "-2");
  ROUND_IS("-2.9", "1", CEILING, "-2");
  ROUND_IS("-2.1", "1", FLOOR, "-3");
}

TEST(round_jian_fen_jin_jiao)
{
  ROUND_IS("184.605", "0.1", JIAN_FEN_JIN_JIAO, "184.70");
  ROUND_IS("184.604", "0.1", JIAN_FEN_JIN_JIAO, "184.60");
  ROUND_IS("184.61", "0.1", JIAN_FEN_JIN_JIAO, "184.70");
  ROUND_IS("-184.605", "0.1", JIAN_FEN_JIN_JIAO, "-184.70");
  ROUND_IS("0.01", "0.1", JIAN_FEN_JIN_JIAO, "0.10");
  ROUND_IS("184.70", "0.1", JIAN_FEN_JIN_JIAO, "184.70");
  ROUND_IS("184.6049", "0.1", JIAN_FEN_JIN_JIAO, "184.60");
  /* 见角进元 at step 1. */
  ROUND_IS("2611.14", "1", JIAN_FEN_JIN_JIAO, "2612");
  ROUND_IS("2611.04", "1", JIAN_FEN_JIN_JIAO, "2611");
  ROUND_IS("2611.05", "1", JIAN_FEN_JIN_JIAO, "2612");
  ROUND_IS("-2611.05", "1", JIAN_FEN_JIN_JIAO, "-2612");
}

/* amount * rate rounded at step in mode is want. */
static bool contribution_is(const char *amount, const char *rate,
                            const char *step, enum money_round mode,
                            const char *want)
{
  struct money a = MONEY_ZERO, p = MONEY_ZERO, s = MONEY_ZERO;
  bool ok;

  set_text(&a, amount);
  set_text(&p, rate);
  set_text(&s, step);
  money_mul(&a, &a, &p);
  ok = money_round(&a, &a, &s, mode) == MONEY_OK && equals(&a, want);
  money_clear(&a);
  money_clear(&p);
  money_clear(&s);
  return ok;
}

TEST(round_housing_fund_examples)
{
  CHECK(contribution_is("37302", "0.07", "1", MONEY_ROUND_HALF_AWAY,
                        "2611"));               /* 2611.14 */
  CHECK(contribution_is("2690", "0.07", "1", MONEY_ROUND_HALF_AWAY,
                        "188"));                /* 188.3 */
  CHECK(contribution_is("17817", "0.05", "1", MONEY_ROUND_HALF_AWAY,
                        "891"));                /* 890.85 */
  CHECK(contribution_is("36921", "0.005", "0.01", MONEY_ROUND_HALF_AWAY,
                        "184.61"));             /* 184.605 */
  CHECK(contribution_is("36921", "0.005", "0.1",
                        MONEY_ROUND_JIAN_FEN_JIN_JIAO, "184.7"));
}

TEST(round_small_path_overflow)
{
  /* 10 * (a / 0.1) overflows int64 in the 见分进角 first step. */
  const char *a = "922337203685477580.7";
  /* INT64_MAX / 10^4; a / 0.01 = INT64_MAX / 100, so again 10 * that
  ** overflows. Its first step (.5807 -> .581) decides the result. */
  static const struct round_row rows[] = {
    {"922337203685477.5807", {
      "922337203685477.58", "922337203685477.58", "922337203685477.58",
      "922337203685477.59", "922337203685477.58", "922337203685477.59",
      "922337203685477.58", "922337203685477.59"}},
    {"-922337203685477.5807", {
      "-922337203685477.58", "-922337203685477.58", "-922337203685477.58",
      "-922337203685477.59", "-922337203685477.58", "-922337203685477.58",
      "-922337203685477.59", "-922337203685477.59"}},
  };

  for (int m = 0; m < MONEY_ROUND_COUNT; m++)
    CHECK(round_is(a, "0.1", (enum money_round)m, a));
  CHECK_ROWS("0.01", rows);
  /* a / 0.01 overflows. */
  CHECK(round_is("9223372036854775807", "0.01", MONEY_ROUND_UP,
                 "9223372036854775807"));
  CHECK(round_is("9223372036854775807", "2", MONEY_ROUND_HALF_EVEN,
                 TWO_63));
  CHECK(round_is("-9223372036854775807", "2", MONEY_ROUND_FLOOR,
                 "-" TWO_63));
}

TEST(round_big_result_demotes)
{
  struct money a = MONEY_ZERO, r = MONEY_ZERO;

  set_text(&a, "9223372036854775807.5");
  CHECK(a.big != NULL);
  CHECK_INT(money_round(&r, &a, &MONEY_ONE, MONEY_ROUND_HALF_EVEN),
            MONEY_OK);
  CHECK(equals(&r, TWO_63));                  /* ...807 is odd */
  CHECK(r.big != NULL);
  CHECK_INT(money_round(&r, &a, &MONEY_ONE, MONEY_ROUND_DOWN), MONEY_OK);
  CHECK(r.big == NULL);
  CHECK_INT(r.num, INT64_MAX);
  CHECK_INT(money_round(&a, &a, &MONEY_ONE, MONEY_ROUND_FLOOR), MONEY_OK);
  CHECK(a.big == NULL);
  CHECK_INT(a.num, INT64_MAX);
  money_clear(&a);
  money_clear(&r);
}

TEST(round_big_step)
{
  struct money a = MONEY_ZERO, s = MONEY_ZERO, r = MONEY_ZERO;
  char buf[64];

  set_text(&a, "1/3");
  set_text(&s, "0.00000000000000000001");     /* 10^-20 */
  CHECK(s.big != NULL);
  CHECK_INT(money_round(&r, &a, &s, MONEY_ROUND_HALF_EVEN), MONEY_OK);
  CHECK_INT(money_format_exact(&r, buf, sizeof buf), 0);
  CHECK_STR(buf, "0.33333333333333333333");
  CHECK_INT(money_round(&r, &a, &s, MONEY_ROUND_UP), MONEY_OK);
  CHECK_INT(money_format_exact(&r, buf, sizeof buf), 0);
  CHECK_STR(buf, "0.33333333333333333334");
  money_clear(&a);
  money_clear(&s);
  money_clear(&r);
}

TEST(round_bad_step)
{
  struct money a = MONEY_ZERO, s = MONEY_ZERO, r = MONEY_ZERO;

  set_text(&a, "2.5");
  set_text(&r, "7");
  CHECK_INT(money_round(&r, &a, &s, MONEY_ROUND_HALF_AWAY), MONEY_E_RANGE);
  set_text(&s, "-0.01");
  CHECK_INT(money_round(&r, &a, &s, MONEY_ROUND_HALF_AWAY), MONEY_E_RANGE);
  set_text(&s, "-" TWO_64);
  CHECK_INT(money_round(&r, &a, &s, MONEY_ROUND_HALF_AWAY), MONEY_E_RANGE);
  CHECK(equals(&r, "7"));
  money_clear(&a);
  money_clear(&s);
  money_clear(&r);
}

TEST(round_names)
{
  static const char *const names[MONEY_ROUND_COUNT] = {
    "half_away", "half_up", "half_even", "up", "down", "ceiling", "floor",
    "jian_fen_jin_jiao"
  };
  enum money_round m = MONEY_ROUND_DOWN;

  CHECK_INT(MONEY_ROUND_HALF_AWAY, 0);
  CHECK_INT(MONEY_ROUND_JIAN_FEN_JIN_JIAO, MONEY_ROUND_COUNT - 1);
  for (int i = 0; i < MONEY_ROUND_COUNT; i++) {
    CHECK_STR(money_round_name((enum money_round)i), names[i]);
    CHECK(money_round_parse(names[i], &m));
    CHECK_INT(m, i);
  }
  m = MONEY_ROUND_FLOOR;
  CHECK(!money_round_parse("HALF_AWAY", &m));
  CHECK(!money_round_parse("half", &m));
  CHECK(!money_round_parse("", &m));
  CHECK(!money_round_parse("half_away ", &m));
  CHECK_INT(m, MONEY_ROUND_FLOOR);
}

/* ---------------------------------------------------------------------- */
/* Conversions                                                            */

TEST(to_fen_exact)
{
  struct money a = MONEY_ZERO;
  int64_t fen = 0;

  set_text(&a, "12.34");
  CHECK_INT(money_to_fen(&a, &fen), MONEY_OK);
  CHECK_INT(fen, 1234);
  set_text(&a, "0.5");
  CHECK_INT(money_to_fen(&a, &fen), MONEY_OK);
  CHECK_INT(fen, 50);
  set_text(&a, "-0.05");
  CHECK_INT(money_to_fen(&a, &fen), MONEY_OK);
  CHECK_INT(fen, -5);
  set_text(&a, "0");
  CHECK_INT(money_to_fen(&a, &fen), MONEY_OK);
  CHECK_INT(fen, 0);
  set_text(&a, "92233720368547758.07");
  CHECK_INT(money_to_fen(&a, &fen), MONEY_OK);
  CHECK_INT(fen, INT64_MAX);
  money_clear(&a);
}

TEST(to_fen_inexact_and_range)
{
  struct money a = MONEY_ZERO;
  int64_t fen = 77;

  set_text(&a, "12.345");
  CHECK_INT(money_to_fen(&a, &fen), MONEY_E_INEXACT);
  set_text(&a, "1/3");
  CHECK_INT(money_to_fen(&a, &fen), MONEY_E_INEXACT);
  set_text(&a, "92233720368547758.08");
  CHECK_INT(money_to_fen(&a, &fen), MONEY_E_RANGE);
  set_text(&a, "100000000000000000");        /* 10^17 yuan = 10^19 fen */
  CHECK(a.big == NULL);
  CHECK_INT(money_to_fen(&a, &fen), MONEY_E_RANGE);
  set_text(&a, TWO_64);
  CHECK_INT(money_to_fen(&a, &fen), MONEY_E_RANGE);
  set_text(&a, TWO_64 ".001");
  CHECK_INT(money_to_fen(&a, &fen), MONEY_E_INEXACT);
  CHECK_INT(fen, 77);                         /* untouched on error */
  money_clear(&a);
}

TEST(from_fen)
{
  struct money a = MONEY_ZERO;
  int64_t fen = 0;

  money_from_fen(&a, 1234);
  CHECK_INT(a.num, 617);
  CHECK_INT(a.den, 50);
  money_from_fen(&a, -5);
  CHECK_INT(a.num, -1);
  CHECK_INT(a.den, 20);
  money_from_fen(&a, 0);
  CHECK_INT(a.num, 0);
  CHECK_INT(a.den, 1);
  money_from_fen(&a, INT64_MIN);              /* -2^63/100 = -2^61/25 */
  CHECK(a.big == NULL);
  CHECK_INT(a.num, -2305843009213693952);
  CHECK_INT(a.den, 25);
  CHECK_INT(money_to_fen(&a, &fen), MONEY_OK);
  CHECK(fen == INT64_MIN);
  money_clear(&a);
}

TEST(to_int)
{
  struct money a = MONEY_ZERO;
  int64_t v = 99;

  set_text(&a, "-12");
  CHECK(money_to_int(&a, &v));
  CHECK_INT(v, -12);
  set_text(&a, "12.5");
  CHECK(!money_to_int(&a, &v));
  CHECK_INT(v, -12);
  money_set_int(&a, INT64_MAX);
  CHECK(money_to_int(&a, &v));
  CHECK_INT(v, INT64_MAX);
  set_text(&a, TWO_63);
  CHECK(!money_to_int(&a, &v));
  CHECK_INT(v, INT64_MAX);
  set_text(&a, "-" TWO_63 ".5");
  CHECK(!money_to_int(&a, &v));
  money_clear(&a);
}

TEST(strerror_texts)
{
  CHECK_STR(money_strerror(MONEY_E_DIV0), "division by zero");
  for (int i = MONEY_OK; i <= MONEY_E_INEXACT; i++) {
    const char *s = money_strerror((enum money_err)i);
    CHECK(s != NULL && s[0] != '\0');
    for (int j = MONEY_OK; j < i; j++)
      CHECK(strcmp(s, money_strerror((enum money_err)j)) != 0);
  }
}

/* ---------------------------------------------------------------------- */
/* Formatting                                                             */

/* money_format of the value written `in` is `want`, returning `rc`. */
static bool format_is(const char *in, unsigned min, unsigned max, int rc,
                      const char *want)
{
  struct money a = MONEY_ZERO;
  char buf[128];
  int got;
  bool ok;

  set_text(&a, in);
  got = money_format(&a, min, max, buf, sizeof buf);
  ok = got == rc && strcmp(buf, want) == 0;
  if (!ok)
    fprintf(stderr, "  format(%s, %u, %u) = %d \"%s\", want %d \"%s\"\n",
            in, min, max, got, buf, rc, want);
  money_clear(&a);
  return ok;
}

TEST(format_exact_values)
{
  CHECK(format_is("3800", 2, 2, 0, "3800.00"));
  CHECK(format_is("-0.5", 2, 2, 0, "-0.50"));
  CHECK(format_is("0.125", 2, 10, 0, "0.125"));
  CHECK(format_is("0", 2, 2, 0, "0.00"));
  CHECK(format_is("0", 0, 0, 0, "0"));
  CHECK(format_is("-7", 0, 4, 0, "-7"));
  CHECK(format_is("0.05", 2, 2, 0, "0.05"));
  CHECK(format_is("-0.05", 2, 2, 0, "-0.05"));
  CHECK(format_is("0.1", 0, 5, 0, "0.1"));
  CHECK(format_is("-1234.5", 1, 3, 0, "-1234.5"));
  CHECK(format_is("1/1024", 0, 10, 0, "0.0009765625"));
  CHECK(format_is(TWO_64, 2, 2, 0, TWO_64 ".00"));
  CHECK(format_is("-" TWO_64 ".25", 0, 2, 0, "-" TWO_64 ".25"));
  /* INT64_MAX/2: the scaled digits overflow uint64 at 2 places. */
  CHECK(format_is("9223372036854775807/2", 2, 2, 0,
                  "4611686018427387903.50"));
}

TEST(format_rounded_values)
{
  CHECK(format_is("1/3", 2, 10, 1, "0.3333333333"));
  CHECK(format_is("2/3", 2, 10, 1, "0.6666666667"));
  CHECK(format_is("-2/3", 2, 2, 1, "-0.67"));
  CHECK(format_is("15200/87", 2, 10, 1, "174.7126436782"));
  CHECK(format_is("0.125", 2, 2, 1, "0.12"));
  CHECK(format_is("0.135", 2, 2, 1, "0.14"));
  CHECK(format_is("1.005", 2, 2, 1, "1.00"));
  CHECK(format_is("1.015", 2, 2, 1, "1.02"));
  CHECK(format_is("12.5", 0, 0, 1, "12"));
  CHECK(format_is("13.5", 0, 0, 1, "14"));
  CHECK(format_is("1/3", 0, 20, 1, "0.33333333333333333333"));
  CHECK(format_is("1/" TWO_64, 2, 2, 1, "0.00"));
}

TEST(format_never_negative_zero)
{
  struct money a = MONEY_ZERO;
  char buf[16];

  CHECK(format_is("-0.001", 2, 2, 1, "0.00"));
  CHECK(format_is("-0.005", 2, 2, 1, "0.00"));  /* tie to even 0 */
  CHECK(format_is("-1/3", 0, 0, 1, "0"));
  set_text(&a, "-0.001");
  CHECK_INT(money_round(&a, &a, &MONEY_CENT, MONEY_ROUND_HALF_AWAY),
            MONEY_OK);
  CHECK_INT(money_format(&a, 2, 2, buf, sizeof buf), 0);
  CHECK_STR(buf, "0.00");
  set_text(&a, "-0.009");
  CHECK_INT(money_round(&a, &a, &MONEY_CENT, MONEY_ROUND_DOWN), MONEY_OK);
  CHECK_INT(money_format(&a, 2, 2, buf, sizeof buf), 0);
  CHECK_STR(buf, "0.00");
  money_clear(&a);
}

TEST(format_small_buffer)
{
  struct money a = MONEY_ZERO;
  char buf[16];

  set_text(&a, "3800");
  CHECK_INT(money_format(&a, 2, 2, buf, 8), 0);      /* 7 chars + NUL */
  CHECK_STR(buf, "3800.00");
  memset(buf, 'x', sizeof buf);
  CHECK_INT(money_format(&a, 2, 2, buf, 7), -1);
  CHECK_STR(buf, "");
  buf[0] = 'x';
  CHECK_INT(money_format(&a, 2, 2, buf, 1), -1);
  CHECK_STR(buf, "");
  buf[0] = 'x';
  CHECK_INT(money_format(&a, 2, 2, buf, 0), -1);
  CHECK(buf[0] == 'x');                       /* cap 0: nothing written */
  set_text(&a, "1/3");
  CHECK_INT(money_format(&a, 2, 10, buf, 12), -1);
  CHECK_STR(buf, "");
  CHECK_INT(money_format(&a, 2, 10, buf, 13), 1);
  CHECK_STR(buf, "0.3333333333");
  money_clear(&a);
}

/* money_format_exact of the value written `in` is `want`, and reads back
** with money_parse_exact to the same value. */
static bool exact_is(const char *in, const char *want)
{
  struct money a = MONEY_ZERO, b = MONEY_ZERO;
  char buf[128];
  bool ok;

  set_text(&a, in);
  ok = money_format_exact(&a, buf, sizeof buf) == 0 &&
       strcmp(buf, want) == 0 && money_parse_exact(&b, buf) == MONEY_OK &&
       money_cmp(&a, &b) == 0;
  if (!ok) fprintf(stderr, "  exact(%s) = \"%s\", want \"%s\"\n", in, buf,
                   want);
  money_clear(&a);
  money_clear(&b);
  return ok;
}

TEST(format_exact_text)
{
  CHECK(exact_is("21/23", "21/23"));
  CHECK(exact_is("-21/23", "-21/23"));
  CHECK(exact_is("1/3", "1/3"));
  CHECK(exact_is("15200/87", "15200/87"));
  CHECK(exact_is("0.125", "0.125"));
  CHECK(exact_is("3800.00", "3800"));
  CHECK(exact_is("-0.50", "-0.5"));
  CHECK(exact_is("-0", "0"));
  CHECK(exact_is("1/4", "0.25"));
  CHECK(exact_is(TWO_64, TWO_64));
  CHECK(exact_is("-" TWO_63, "-" TWO_63));
  CHECK(exact_is(TWO_63 "/3", TWO_63 "/3"));
  CHECK(exact_is("100000000000000000000000000001/3",
                 "100000000000000000000000000001/3"));
  CHECK(exact_is("1/" TWO_63, "0.000000000000000000108420217248550443"
                 "400745280086994171142578125"));  /* 5^63 / 10^63 */
}

TEST(format_exact_small_buffer)
{
  struct money a = MONEY_ZERO;
  char buf[8];

  set_text(&a, "21/23");
  CHECK_INT(money_format_exact(&a, buf, 6), 0);
  CHECK_STR(buf, "21/23");
  CHECK_INT(money_format_exact(&a, buf, 5), -1);
  CHECK_STR(buf, "");
  set_text(&a, TWO_64 "/3");
  CHECK_INT(money_format_exact(&a, buf, sizeof buf), -1);
  CHECK_STR(buf, "");
  set_text(&a, TWO_64);
  CHECK_INT(money_format_exact(&a, buf, sizeof buf), -1);
  CHECK_STR(buf, "");
  money_clear(&a);
}

TEST(parse_exact_refuses)
{
  static const char *const bad[] = {
    "", "-", "2/4", "0/5", "3/1", "1/0", "01/3", "1/03", "+1/3", " 1/3",
    "1/3 ", "1/-3", "1//3", "/3", "1/", "-/3", "1.5/3", "abc", "1e3",
    "12.", ".5", "+1", " 1", "1 ", "-1/2/3", "1/2/3", "--1/3",
  };
  struct money m = MONEY_ZERO;

  money_set_int(&m, 7);
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    enum money_err rc = money_parse_exact(&m, bad[i]);
    if (rc != MONEY_E_SYNTAX) fprintf(stderr, "  accepted \"%s\"\n", bad[i]);
    CHECK_INT(rc, MONEY_E_SYNTAX);
  }
  CHECK(equals(&m, "7"));
  money_clear(&m);
}

TEST(parse_exact_accepts_long_decimals)
{
  /* 60 characters: longer than money_parse accepts. */
  const char *s = "-123456789012345678901234567890.12345678901234567890"
                  "12345678";
  struct money m = MONEY_ZERO;
  char buf[80];

  CHECK_INT(money_parse_exact(&m, s), MONEY_OK);
  CHECK(m.big != NULL);
  CHECK_INT(money_format_exact(&m, buf, sizeof buf), 0);
  CHECK_STR(buf, s);
  CHECK_INT(money_parse_exact(&m, "007.50"), MONEY_OK);
  CHECK_INT(m.num, 15);
  CHECK_INT(m.den, 2);
  CHECK(m.big == NULL);
  money_clear(&m);
}

/* The number of a spreadsheet cell: whole fen as fen / 100, the double
** nearest the decimal, so it prints back as exactly the fen (17 digits:
** the shortest form that identifies the double). */
TEST(cell_number_is_the_nearest_double)
{
  struct money m = MONEY_ZERO;
  char buf[64];
  CHECK_INT(money_parse(&m, "1234.56", 7, 2, false), MONEY_OK);
  snprintf(buf, sizeof buf, "%.17g", xlsxcell_number(&m));
  CHECK_STR(buf, "1234.5599999999999");       /* strtod("1234.56") */
  snprintf(buf, sizeof buf, "%.2f", xlsxcell_number(&m));
  CHECK_STR(buf, "1234.56");
  CHECK_INT(money_parse(&m, "-0.10", 5, 2, true), MONEY_OK);
  snprintf(buf, sizeof buf, "%.17g", xlsxcell_number(&m));
  CHECK_STR(buf, "-0.10000000000000001");     /* strtod("-0.1") */
  CHECK_INT(money_set_frac(&m, 2, 3), MONEY_OK);
  snprintf(buf, sizeof buf, "%.6f", xlsxcell_number(&m));
  CHECK_STR(buf, "0.666667");
  money_clear(&m);
}

int main(void)
{
  RUN(parse_accepts_plain_decimals);
  RUN(parse_negative_zero_is_zero);
  RUN(parse_refuses_bad_syntax);
  RUN(parse_refuses_embedded_nul);
  RUN(parse_uses_len_not_nul);
  RUN(parse_refuses_too_many_decimals);
  RUN(parse_refuses_sign_when_not_allowed);
  RUN(parse_length_limit);
  RUN(parse_int64_edges);
  RUN(constants);
  RUN(set_frac_reduces_and_signs);
  RUN(set_frac_int64_min);
  RUN(copy_between_forms);
  RUN(clear_leaves_zero);
  RUN(add_sub_exact);
  RUN(proration_by_21_75_is_exact);
  RUN(header_example);
  RUN(mul_div_signs);
  RUN(div_by_zero);
  RUN(neg_abs);
  RUN(aliasing_all_operands);
  RUN(overflow_promotes_and_demotes);
  RUN(overflow_repeated_multiply);
  RUN(overflow_fraction_powers);
  RUN(overflow_add_at_int64_edges);
  RUN(overflow_denominators);
  RUN(cmp_small);
  RUN(cmp_cross_product_overflow);
  RUN(cmp_small_and_big);
  RUN(sgn_zero_integer);
  RUN(round_table_step_1);
  RUN(round_table_step_0_1);
  RUN(round_table_step_0_01);
  RUN(round_table_step_0_5);
  RUN(round_table_other_steps);
  RUN(round_table_big_values);
  RUN(round_named_cases);
  RUN(round_jian_fen_jin_jiao);
  RUN(round_housing_fund_examples);
  RUN(round_small_path_overflow);
  RUN(round_big_result_demotes);
  RUN(round_big_step);
  RUN(round_bad_step);
  RUN(round_names);
  RUN(to_fen_exact);
  RUN(to_fen_inexact_and_range);
  RUN(from_fen);
  RUN(to_int);
  RUN(strerror_texts);
  RUN(format_exact_values);
  RUN(format_rounded_values);
  RUN(format_never_negative_zero);
  RUN(format_small_buffer);
  RUN(format_exact_text);
  RUN(format_exact_small_buffer);
  RUN(parse_exact_refuses);
  RUN(parse_exact_accepts_long_decimals);
  RUN(cell_number_is_the_nearest_double);
  return check_done();
}
