/*
** money.c -- exact decimal and rational arithmetic (GNU MP).
**
** The contract is in money.h. Notes on the implementation:
**
** Small form. A value with big == NULL is num/den in lowest terms with
** den > 0 and num != INT64_MIN. Excluding INT64_MIN means that negating a
** small numerator can never overflow; a value whose numerator would be
** INT64_MIN simply lives in the big form.
**
** Big form. big points at a canonical mpq_t obtained from big_new(). A big
** value never fits the small form: every result goes through put_mpq(),
** which demotes it when it does. So "big" implies "not representable in
** int64", which the code below relies on only for speed, never for truth.
**
** Every small operation computes with __builtin_*_overflow and, when any
** step overflows, gives up and lets the GMP path redo the whole operation
** from the operands. Results are written to r only at the very end, so r may
** alias any operand.
*/
#include "money.h"
#include "util.h"

#include <assert.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* mpz_set_si, mpz_get_si and friends are used as int64 conversions. */
_Static_assert(sizeof(long) == sizeof(int64_t), "LP64 required");
_Static_assert(sizeof(unsigned long) == sizeof(uint64_t), "LP64 required");

/* Powers of ten that fit in int64_t: 10^0 .. 10^18. */
#define POW10_MAX 18

const struct money MONEY_CENT = {1, 100, NULL};
const struct money MONEY_ONE = {1, 1, NULL};

static const char *const round_names[MONEY_ROUND_COUNT] = {
  "half_away", "half_up", "half_even", "up", "down", "ceiling", "floor",
  "jian_fen_jin_jiao"
};

/* A readable operand: big and canonical, or small and well formed. */
#define ASSERT_MONEY(a) do { \
    assert((a) != NULL); \
    assert((a)->big != NULL || (a)->den > 0); \
    assert((a)->big != NULL || (a)->num != INT64_MIN); \
  } while (0)

/* ---------------------------------------------------------------------- */
/* Small helpers                                                          */

static int64_t pow10_i64(unsigned k)
{
  int64_t p = 1;
  assert(k <= POW10_MAX);
  while (k--) p *= 10;
  return p;
}

/* |v| as an unsigned number; exact for INT64_MIN too. */
static uint64_t mag_u64(int64_t v)
{
  return v < 0 ? 0u - (uint64_t)v : (uint64_t)v;
}

/* Greatest common divisor; gcd(0, b) == b. Binary (Stein's) algorithm:
** shifts and subtractions instead of a division per step, which made the
** Euclidean loop the hottest code of a payroll run. */
static uint64_t gcd_u64(uint64_t a, uint64_t b)
{
  int shift;
  if (a == 0) return b;
  if (b == 0) return a;
  if (a == 1 || b == 1) return 1;
  shift = __builtin_ctzll(a | b);
  a >>= __builtin_ctzll(a);
  do {
    b >>= __builtin_ctzll(b);
    if (a > b) {
      uint64_t t = a;
      a = b;
      b = t;
    }
    b -= a;
  } while (b != 0);
  return a << shift;
}

static int64_t gcd_i64(int64_t a, int64_t b)
{
  /* Both arguments are small numerators or positive denominators, so the
  ** result is at most INT64_MAX. */
  return (int64_t)gcd_u64(mag_u64(a), mag_u64(b));
}

static int sign_of(int v)
{
  return (v > 0) - (v < 0);
}

/* ---------------------------------------------------------------------- */
/* The big form                                                           */

static mpq_ptr big_new(void)
{
  mpq_ptr q = xmalloc(sizeof *q);
  mpq_init(q);
  return q;
}

static void big_free(mpq_ptr q)
{
  mpq_clear(q);
  free(q);
}

static void drop_big(struct money *m)
{
  if (m->big != NULL) {
    big_free(m->big);
    m->big = NULL;
  }
}

/* r = n/d, which must already be in the small form's invariant. */
static void set_small(struct money *r, int64_t n, int64_t d)
{
  assert(d > 0);
  assert(n != INT64_MIN);
  drop_big(r);
  r->num = n;
  r->den = d;
}

static bool mpq_fits_small(mpq_srcptr q)
{
  return mpz_fits_slong_p(mpq_numref(q)) &&
         mpz_fits_slong_p(mpq_denref(q)) &&
         mpz_cmp_si(mpq_numref(q), INT64_MIN) != 0;
}

/* r = t, taking ownership of the canonical rational t (from big_new). The
** value is demoted to the small form when it fits. */
static void put_mpq(struct money *r, mpq_ptr t)
{
  if (mpq_fits_small(t)) {
    int64_t n = mpz_get_si(mpq_numref(t));
    int64_t d = mpz_get_si(mpq_denref(t));
    big_free(t);
    set_small(r, n, d);
    return;
  }
  drop_big(r);
  r->num = 0;
  r->den = 1;
  r->big = t;
}

/* Initialise t and set it to a's value. The caller clears t. */
static void mpq_init_money(mpq_t t, const struct money *a)
{
  mpq_init(t);
  if (a->big != NULL) {
    mpq_set(t, a->big);
  } else {
    mpz_set_si(mpq_numref(t), a->num);
    mpz_set_si(mpq_denref(t), a->den);
  }
}

/* r = n/d for any int64 n and d != 0, INT64_MIN included: reduces, makes
** the denominator positive and goes big only when the reduced value does
** not fit. Reads nothing from r. */
static void set_i64(struct money *r, int64_t n, int64_t d)
{
  uint64_t un = mag_u64(n), ud = mag_u64(d), g;
  bool neg = (n < 0) != (d < 0);
  mpq_ptr t;

  assert(d != 0);
  g = gcd_u64(un, ud);
  un /= g;
  ud /= g;
  if (un <= INT64_MAX && ud <= INT64_MAX) {
    set_small(r, neg ? -(int64_t)un : (int64_t)un, (int64_t)ud);
    return;
  }
  t = big_new();
  mpz_set_ui(mpq_numref(t), un);
  mpz_set_ui(mpq_denref(t), ud);
  if (neg) mpq_neg(t, t);
  put_mpq(r, t);
}

/* r = op(a, b) computed with GMP, whatever form a and b are in. */
static void big_binop(struct money *r, const struct money *a,
                      const struct money *b,
                      void (*op)(mpq_ptr, mpq_srcptr, mpq_srcptr))
{
  mpq_t x, y;
  mpq_ptr t = big_new();

  mpq_init_money(x, a);
  mpq_init_money(y, b);
  op(t, x, y);
  mpq_clear(x);
  mpq_clear(y);
  put_mpq(r, t);
}

/* ---------------------------------------------------------------------- */
/* Life cycle and setters                                                 */

void money_clear(struct money *m)
{
  assert(m != NULL);
  drop_big(m);
  m->num = 0;
  m->den = 1;
}

void money_set_int(struct money *r, int64_t v)
{
  assert(r != NULL);
  set_i64(r, v, 1);
}

enum money_err money_set_frac(struct money *r, int64_t num, int64_t den)
{
  assert(r != NULL);
  if (den == 0) return MONEY_E_DIV0;
  set_i64(r, num, den);
  return MONEY_OK;
}

void money_copy(struct money *r, const struct money *a)
{
  mpq_ptr t;

  assert(r != NULL);
  ASSERT_MONEY(a);
  if (r == a) return;
  if (a->big == NULL) {
    set_small(r, a->num, a->den);
    return;
  }
  t = big_new();
  mpq_set(t, a->big);
  put_mpq(r, t);
}

/* ---------------------------------------------------------------------- */
/* Arithmetic                                                             */

/* Small path of a + b (or a - b when minus). Returns false, writing
** nothing, when an intermediate overflows. */
static bool addsub_small(struct money *r, const struct money *a,
                         const struct money *b, bool minus)
{
  int64_t g = gcd_i64(a->den, b->den);
  int64_t bn = minus ? -b->num : b->num;     /* b->num != INT64_MIN */
  int64_t x, y, n, d;

  if (__builtin_mul_overflow(a->num, b->den / g, &x) ||
      __builtin_mul_overflow(bn, a->den / g, &y) ||
      __builtin_add_overflow(x, y, &n) ||
      __builtin_mul_overflow(a->den / g, b->den, &d))
    return false;
  set_i64(r, n, d);
  return true;
}

void money_add(struct money *r, const struct money *a, const struct money *b)
{
  assert(r != NULL);
  ASSERT_MONEY(a);
  ASSERT_MONEY(b);
  if (a->big == NULL && b->big == NULL && addsub_small(r, a, b, false))
    return;
  big_binop(r, a, b, mpq_add);
}

void money_sub(struct money *r, const struct money *a, const struct money *b)
{
  assert(r != NULL);
  ASSERT_MONEY(a);
  ASSERT_MONEY(b);
  if (a->big == NULL && b->big == NULL && addsub_small(r, a, b, true))
    return;
  big_binop(r, a, b, mpq_sub);
}

/* Small path of a * b, cross-reducing first so that products of reduced
** fractions overflow as late as possible. False on overflow. */
static bool mul_small(struct money *r, const struct money *a,
                      const struct money *b)
{
  int64_t g1 = gcd_i64(a->num, b->den), g2 = gcd_i64(b->num, a->den);
  int64_t n, d;

  if (__builtin_mul_overflow(a->num / g1, b->num / g2, &n) ||
      __builtin_mul_overflow(a->den / g2, b->den / g1, &d))
    return false;
  set_i64(r, n, d);
  return true;
}

void money_mul(struct money *r, const struct money *a, const struct money *b)
{
  assert(r != NULL);
  ASSERT_MONEY(a);
  ASSERT_MONEY(b);
  if (a->big == NULL && b->big == NULL && mul_small(r, a, b)) return;
  big_binop(r, a, b, mpq_mul);
}

/* Small path of a / b with b != 0. False on overflow. */
static bool div_small(struct money *r, const struct money *a,
                      const struct money *b)
{
  int64_t g1 = gcd_i64(a->num, b->num), g2 = gcd_i64(a->den, b->den);
  int64_t n, d;

  if (__builtin_mul_overflow(a->num / g1, b->den / g2, &n) ||
      __builtin_mul_overflow(a->den / g2, b->num / g1, &d))
    return false;
  set_i64(r, n, d);
  return true;
}

enum money_err money_div(struct money *r, const struct money *a,
                         const struct money *b)
{
  assert(r != NULL);
  ASSERT_MONEY(a);
  ASSERT_MONEY(b);
  if (money_is_zero(b)) return MONEY_E_DIV0;
  if (a->big == NULL && b->big == NULL && div_small(r, a, b))
    return MONEY_OK;
  big_binop(r, a, b, mpq_div);
  return MONEY_OK;
}

void money_neg(struct money *r, const struct money *a)
{
  mpq_ptr t;

  assert(r != NULL);
  ASSERT_MONEY(a);
  if (a->big == NULL) {
    set_small(r, -a->num, a->den);
    return;
  }
  t = big_new();
  mpq_neg(t, a->big);
  put_mpq(r, t);
}

void money_abs(struct money *r, const struct money *a)
{
  ASSERT_MONEY(a);
  if (money_sgn(a) < 0) {
    money_neg(r, a);
  } else {
    money_copy(r, a);
  }
}

/* ---------------------------------------------------------------------- */
/* Comparison and tests                                                   */

int money_cmp(const struct money *a, const struct money *b)
{
  int sa = money_sgn(a), sb = money_sgn(b), c;
  mpq_t x, y;

  if (sa != sb) return sa < sb ? -1 : 1;
  if (a->big == NULL && b->big == NULL) {
    int64_t p, q;
    if (a->den == b->den) return (a->num > b->num) - (a->num < b->num);
    if (!__builtin_mul_overflow(a->num, b->den, &p) &&
        !__builtin_mul_overflow(b->num, a->den, &q))
      return (p > q) - (p < q);
  }
  mpq_init_money(x, a);
  mpq_init_money(y, b);
  c = mpq_cmp(x, y);
  mpq_clear(x);
  mpq_clear(y);
  return sign_of(c);
}

int money_sgn(const struct money *a)
{
  ASSERT_MONEY(a);
  if (a->big != NULL) return sign_of(mpq_sgn(a->big));
  return (a->num > 0) - (a->num < 0);
}

bool money_is_zero(const struct money *a)
{
  return money_sgn(a) == 0;
}

bool money_is_integer(const struct money *a)
{
  ASSERT_MONEY(a);
  if (a->big != NULL) return mpz_cmp_ui(mpq_denref(a->big), 1) == 0;
  return a->den == 1;
}

/* ---------------------------------------------------------------------- */
/* Rounding                                                               */

/* Whether a quotient truncated toward zero must move one unit away from
** zero, given that the remainder is not zero. sign is the sign of the exact
** quotient, half is the sign of 2|remainder| - divisor, odd tells whether
** the truncated quotient is odd. Not for JIAN_FEN_JIN_JIAO (two steps). */
static bool round_away(enum money_round mode, int sign, int half, bool odd)
{
  switch (mode) {
  case MONEY_ROUND_HALF_AWAY: return half >= 0;
  case MONEY_ROUND_HALF_UP:   return half > 0 || (half == 0 && sign > 0);
  case MONEY_ROUND_HALF_EVEN: return half > 0 || (half == 0 && odd);
  case MONEY_ROUND_UP:        return true;
  case MONEY_ROUND_DOWN:      return false;
  case MONEY_ROUND_CEILING:   return sign > 0;
  case MONEY_ROUND_FLOOR:     return sign < 0;
  case MONEY_ROUND_JIAN_FEN_JIN_JIAO: break;
  }
  assert(!"round_away: mode not handled here");
  return false;
}

/* n/d (d > 0) rounded to an integer in a one-step mode. Cannot overflow:
** a non-zero remainder implies d >= 2, so |q| < INT64_MAX. */
static int64_t div_round_i64(int64_t n, int64_t d, enum money_round mode)
{
  int64_t q = n / d, rem = n % d;
  uint64_t twice, ud = (uint64_t)d;
  int sign = n < 0 ? -1 : 1, half;

  assert(d > 0);
  if (rem == 0) return q;
  twice = 2 * mag_u64(rem);                 /* < 2 * 2^63: no wrap */
  half = (twice > ud) - (twice < ud);
  return round_away(mode, sign, half, q % 2 != 0) ? q + sign : q;
}

/* k = n/d rounded per mode, in int64. False when 10 * n overflows. */
static bool round_i64(int64_t n, int64_t d, enum money_round mode,
                      int64_t *k)
{
  if (mode == MONEY_ROUND_JIAN_FEN_JIN_JIAO) {
    int64_t n10;
    if (__builtin_mul_overflow(n, 10, &n10)) return false;
    n = div_round_i64(n10, d, MONEY_ROUND_HALF_AWAY);
    d = 10;
    mode = MONEY_ROUND_UP;
  }
  *k = div_round_i64(n, d, mode);
  return true;
}

/* Small path of money_round: q = a/step reduced, k = round(q), r = k*step.
** False, writing nothing, on overflow. step is positive. */
static bool round_small(struct money *r, const struct money *a,
                        const struct money *step, enum money_round mode)
{
  int64_t g1 = gcd_i64(a->num, step->num), g2 = gcd_i64(a->den, step->den);
  int64_t n, d, k;

  if (__builtin_mul_overflow(a->num / g1, step->den / g2, &n) ||
      __builtin_mul_overflow(a->den / g2, step->num / g1, &d) ||
      !round_i64(n, d, mode, &k) ||
      __builtin_mul_overflow(k, step->num, &n))
    return false;
  set_i64(r, n, step->den);
  return true;
}

/* GMP twin of div_round_i64: q = n/d rounded (d > 0); q may alias n. */
static void div_round_mpz(mpz_ptr q, mpz_srcptr n, mpz_srcptr d,
                          enum money_round mode)
{
  int sign = mpz_sgn(n) < 0 ? -1 : 1, half;
  mpz_t rem;

  assert(mpz_sgn(d) > 0);
  mpz_init(rem);
  mpz_tdiv_qr(q, rem, n, d);
  if (mpz_sgn(rem) != 0) {
    mpz_mul_2exp(rem, rem, 1);
    half = sign_of(mpz_cmpabs(rem, d));
    if (round_away(mode, sign, half, mpz_odd_p(q))) {
      if (sign < 0) mpz_sub_ui(q, q, 1);
      else mpz_add_ui(q, q, 1);
    }
  }
  mpz_clear(rem);
}

/* GMP path of money_round, for any operands. */
static void round_big(struct money *r, const struct money *a,
                      const struct money *step, enum money_round mode)
{
  mpq_t x, s;
  mpz_t k, ten;
  mpq_ptr t;

  mpq_init_money(x, a);
  mpq_init_money(s, step);
  mpq_div(x, x, s);
  mpz_init(k);
  if (mode == MONEY_ROUND_JIAN_FEN_JIN_JIAO) {
    mpz_init_set_ui(ten, 10);
    mpz_mul_ui(k, mpq_numref(x), 10);
    div_round_mpz(k, k, mpq_denref(x), MONEY_ROUND_HALF_AWAY);
    div_round_mpz(k, k, ten, MONEY_ROUND_UP);
    mpz_clear(ten);
  } else {
    div_round_mpz(k, mpq_numref(x), mpq_denref(x), mode);
  }
  t = big_new();
  mpz_mul(mpq_numref(t), k, mpq_numref(s));
  mpz_set(mpq_denref(t), mpq_denref(s));
  mpq_canonicalize(t);
  mpz_clear(k);
  mpq_clear(x);
  mpq_clear(s);
  put_mpq(r, t);
}

enum money_err money_round(struct money *r, const struct money *a,
                           const struct money *step, enum money_round mode)
{
  assert(r != NULL);
  ASSERT_MONEY(a);
  ASSERT_MONEY(step);
  assert((unsigned)mode < MONEY_ROUND_COUNT);
  if (money_sgn(step) <= 0) return MONEY_E_RANGE;
  if (a->big == NULL && step->big == NULL && round_small(r, a, step, mode))
    return MONEY_OK;
  round_big(r, a, step, mode);
  return MONEY_OK;
}

const char *money_round_name(enum money_round m)
{
  assert((unsigned)m < MONEY_ROUND_COUNT);
  if ((unsigned)m >= MONEY_ROUND_COUNT) return "?";
  return round_names[m];
}

bool money_round_parse(const char *name, enum money_round *out)
{
  assert(name != NULL);
  assert(out != NULL);
  for (unsigned i = 0; i < MONEY_ROUND_COUNT; i++) {
    if (strcmp(name, round_names[i]) == 0) {
      *out = (enum money_round)i;
      return true;
    }
  }
  return false;
}

/* ---------------------------------------------------------------------- */
/* Conversions                                                            */

enum money_err money_to_fen(const struct money *a, int64_t *fen)
{
  enum money_err rc = MONEY_OK;
  mpz_t z;

  ASSERT_MONEY(a);
  assert(fen != NULL);
  if (a->big == NULL) {
    int64_t v;
    if (100 % a->den != 0) return MONEY_E_INEXACT;
    if (__builtin_mul_overflow(a->num, 100 / a->den, &v))
      return MONEY_E_RANGE;
    *fen = v;
    return MONEY_OK;
  }
  mpz_init(z);
  mpz_mul_ui(z, mpq_numref(a->big), 100);
  if (!mpz_divisible_p(z, mpq_denref(a->big))) {
    rc = MONEY_E_INEXACT;
  } else {
    mpz_divexact(z, z, mpq_denref(a->big));
    if (mpz_fits_slong_p(z)) *fen = mpz_get_si(z);
    else rc = MONEY_E_RANGE;
  }
  mpz_clear(z);
  return rc;
}

void money_from_fen(struct money *r, int64_t fen)
{
  assert(r != NULL);
  set_i64(r, fen, 100);
}

bool money_to_int(const struct money *a, int64_t *out)
{
  ASSERT_MONEY(a);
  assert(out != NULL);
  if (a->big == NULL) {
    if (a->den != 1) return false;
    *out = a->num;
    return true;
  }
  if (mpz_cmp_ui(mpq_denref(a->big), 1) != 0 ||
      !mpz_fits_slong_p(mpq_numref(a->big)))
    return false;
  *out = mpz_get_si(mpq_numref(a->big));
  return true;
}

const char *money_strerror(enum money_err e)
{
  switch (e) {
  case MONEY_OK:         return "no error";
  case MONEY_E_SYNTAX:   return "not a plain decimal number";
  case MONEY_E_DECIMALS: return "too many decimal places";
  case MONEY_E_NEGATIVE: return "negative value not allowed";
  case MONEY_E_RANGE:    return "value out of range";
  case MONEY_E_DIV0:     return "division by zero";
  case MONEY_E_INEXACT:  return "not a whole number of the unit";
  }
  return "unknown money error";
}

/* ---------------------------------------------------------------------- */
/* Parsing                                                                */

/* Where the parts of a syntactically valid decimal are. */
struct dec_text {
  bool neg;
  const char *ip;       /* integer digits */
  size_t ilen;
  const char *fp;       /* fraction digits (after the point), maybe none */
  size_t flen;
};

static size_t digit_run(const char *s, size_t len)
{
  size_t i = 0;
  while (i < len && s[i] >= '0' && s[i] <= '9') i++;
  return i;
}

/* Check s[0..len) against [-]DIGITS[.DIGITS] and locate its parts.
** Returns false on anything else (nothing else is accepted: no '+', no
** spaces, no exponent, no separators, no bare point). */
static bool dec_scan(const char *s, size_t len, struct dec_text *d)
{
  size_t i = 0;

  d->neg = len > 0 && s[0] == '-';
  if (d->neg) i++;
  d->ip = s + i;
  d->ilen = digit_run(s + i, len - i);
  if (d->ilen == 0) return false;
  i += d->ilen;
  d->fp = s + i;
  d->flen = 0;
  if (i == len) return true;
  if (s[i] != '.') return false;
  i++;
  d->fp = s + i;
  d->flen = digit_run(s + i, len - i);
  return d->flen > 0 && i + d->flen == len;
}

/* Accumulate the digits p[0..n) into *acc (>= 0). False on overflow. */
static bool digits_i64(const char *p, size_t n, int64_t *acc)
{
  for (size_t i = 0; i < n; i++) {
    if (__builtin_mul_overflow(*acc, 10, acc) ||
        __builtin_add_overflow(*acc, p[i] - '0', acc))
      return false;
  }
  return true;
}

/* Set z from the digits p[0..n), already validated (mpz_set_str would
** otherwise skip spaces). */
static void mpz_set_digits(mpz_ptr z, const char *p, size_t n)
{
  char *buf = xstrndup(p, n);
  int rc = mpz_set_str(z, buf, 10);

  ALWAYS_ASSERT(rc == 0);
  free(buf);
}

/* r = the value of a scanned decimal, of any length. */
static void dec_build(struct money *r, const struct dec_text *d)
{
  int64_t acc = 0;
  mpq_ptr t;
  mpz_t f;

  if (d->flen <= POW10_MAX && digits_i64(d->ip, d->ilen, &acc) &&
      digits_i64(d->fp, d->flen, &acc)) {
    set_i64(r, d->neg ? -acc : acc, pow10_i64((unsigned)d->flen));
    return;
  }
  t = big_new();
  mpz_init(f);
  mpz_set_digits(mpq_numref(t), d->ip, d->ilen);
  if (d->flen > 0) {
    mpz_set_digits(f, d->fp, d->flen);
    mpz_ui_pow_ui(mpq_denref(t), 10, d->flen);
    mpz_addmul(f, mpq_numref(t), mpq_denref(t));
    mpz_swap(f, mpq_numref(t));
  }
  mpz_clear(f);
  mpq_canonicalize(t);
  if (d->neg) mpq_neg(t, t);
  put_mpq(r, t);
}

enum money_err money_parse(struct money *r, const char *s, size_t len,
                           unsigned decimals_max, bool allow_negative)
{
  struct dec_text d;

  assert(r != NULL);
  assert(s != NULL);
  if (!dec_scan(s, len, &d)) return MONEY_E_SYNTAX;
  if (d.neg && !allow_negative) return MONEY_E_NEGATIVE;
  if (d.flen > decimals_max) return MONEY_E_DECIMALS;
  if (len > MONEY_TEXT_MAX) return MONEY_E_RANGE;
  dec_build(r, &d);
  return MONEY_OK;
}

/* Parse the canonical "num/den" form: [-]N/D, no leading zeros, D >= 2,
** gcd(N, D) == 1. Anything else is MONEY_E_SYNTAX, r unchanged. */
static enum money_err parse_fraction(struct money *r, const char *s,
                                     const char *slash)
{
  const char *np = s + (*s == '-'), *dp = slash + 1;
  size_t nlen = (size_t)(slash - np), dlen = strlen(dp);
  mpq_ptr t;
  mpz_t g;
  bool ok;

  if (nlen == 0 || digit_run(np, nlen) != nlen || np[0] == '0' ||
      dlen == 0 || digit_run(dp, dlen) != dlen || dp[0] == '0')
    return MONEY_E_SYNTAX;
  t = big_new();
  mpz_set_digits(mpq_numref(t), np, nlen);
  mpz_set_digits(mpq_denref(t), dp, dlen);
  mpz_init(g);
  mpz_gcd(g, mpq_numref(t), mpq_denref(t));
  ok = mpz_cmp_ui(g, 1) == 0 && mpz_cmp_ui(mpq_denref(t), 1) > 0;
  mpz_clear(g);
  if (!ok) {
    big_free(t);
    return MONEY_E_SYNTAX;
  }
  if (*s == '-') mpq_neg(t, t);
  put_mpq(r, t);
  return MONEY_OK;
}

enum money_err money_parse_exact(struct money *r, const char *s)
{
  const char *slash;
  struct dec_text d;

  assert(r != NULL);
  assert(s != NULL);
  slash = strchr(s, '/');
  if (slash != NULL) return parse_fraction(r, s, slash);
  if (!dec_scan(s, strlen(s), &d)) return MONEY_E_SYNTAX;
  dec_build(r, &d);
  return MONEY_OK;
}

/* ---------------------------------------------------------------------- */
/* Formatting                                                             */

/* When a is a terminating decimal, set *places to the number of decimal
** places it needs (max of the powers of 2 and 5 in the denominator) and
** return true; return false otherwise. */
static bool term_places(const struct money *a, unsigned long *places)
{
  unsigned long twos, fives = 0;
  bool term;
  mpz_t d;

  if (a->big == NULL) {
    uint64_t den = (uint64_t)a->den;
    twos = (unsigned long)__builtin_ctzll(den);
    den >>= twos;
    for (; den % 5 == 0; den /= 5) fives++;
    *places = twos > fives ? twos : fives;
    return den == 1;
  }
  mpz_init(d);
  twos = mpz_scan1(mpq_denref(a->big), 0);
  mpz_tdiv_q_2exp(d, mpq_denref(a->big), twos);
  for (; mpz_divisible_ui_p(d, 5); fives++) mpz_divexact_ui(d, d, 5);
  term = mpz_cmp_ui(d, 1) == 0;
  mpz_clear(d);
  *places = twos > fives ? twos : fives;
  return term;
}

/* Write [-]INT[.FRAC] to buf, where digits[0..nd) is |a| * 10^places.
** Returns 0, or -1 (buf empty) when cap is too small. */
static int emit_decimal(char *buf, size_t cap, bool neg, const char *digits,
                        size_t nd, unsigned long places)
{
  size_t ilen = nd > places ? nd - places : 1;
  size_t lead = nd > places ? 0 : places - nd;   /* zeros after the point */
  size_t total = (neg ? 1 : 0) + ilen + (places ? 1 + places : 0);
  char *p = buf;

  if (total >= cap) {
    if (cap > 0) buf[0] = '\0';
    return -1;
  }
  if (neg) *p++ = '-';
  if (nd > places) {
    memcpy(p, digits, ilen);
    digits += ilen;
    nd -= ilen;
  } else {
    *p = '0';
  }
  p += ilen;
  if (places > 0) {
    *p++ = '.';
    memset(p, '0', lead);
    memcpy(p + lead, digits, nd);
    p += places;
  }
  *p = '\0';
  return 0;
}

/* Exact text of a with exactly `places` decimals; a must be a terminating
** decimal needing at most that many. Returns 0 or -1 (cap too small). */
/* The decimal digits of v into out (at least 21 bytes, NUL-terminated);
** returns their count. The hot path of every printed amount: no printf. */
static size_t u64_digits(uint64_t v, char *out)
{
  char tmp[21];
  size_t n = 0;
  do {
    tmp[n++] = (char)('0' + v % 10);
    v /= 10;
  } while (v);
  for (size_t i = 0; i < n; i++) out[i] = tmp[n - 1 - i];
  out[n] = '\0';
  return n;
}

static int format_fixed(const struct money *a, unsigned long places,
                        char *buf, size_t cap)
{
  bool neg = money_sgn(a) < 0;
  uint64_t scaled;
  char small[24], *digits;
  mpz_t z, p;
  int rc;

  if (a->big == NULL && places <= POW10_MAX &&
      !__builtin_mul_overflow(mag_u64(a->num),
                              (uint64_t)(pow10_i64((unsigned)places) /
                                         a->den), &scaled)) {
    size_t n = u64_digits(scaled, small);
    return emit_decimal(buf, cap, neg, small, n, places);
  }
  mpz_init(z);
  mpz_init(p);
  if (a->big != NULL) {
    mpz_abs(z, mpq_numref(a->big));
    mpz_ui_pow_ui(p, 10, places);
    mpz_mul(z, z, p);
    mpz_divexact(z, z, mpq_denref(a->big));
  } else {
    mpz_set_ui(z, mag_u64(a->num));
    mpz_ui_pow_ui(p, 10, places);
    mpz_mul(z, z, p);
    mpz_divexact_ui(z, z, (unsigned long)a->den);
  }
  digits = xmalloc(mpz_sizeinbase(z, 10) + 2);
  mpz_get_str(digits, 10, z);
  rc = emit_decimal(buf, cap, neg, digits, strlen(digits), places);
  free(digits);
  mpz_clear(z);
  mpz_clear(p);
  return rc;
}

/* r = 10^-k. */
static void set_pow10_recip(struct money *r, unsigned k)
{
  mpq_ptr t;

  if (k <= POW10_MAX) {
    set_small(r, 1, pow10_i64(k));
    return;
  }
  t = big_new();
  mpz_ui_pow_ui(mpq_denref(t), 10, k);
  mpz_set_ui(mpq_numref(t), 1);
  put_mpq(r, t);
}

int money_format(const struct money *a, unsigned min_decimals,
                 unsigned max_decimals, char *buf, size_t cap)
{
  struct money step = MONEY_ZERO, t = MONEY_ZERO;
  unsigned long places;
  int rc;

  ASSERT_MONEY(a);
  assert(buf != NULL || cap == 0);
  assert(min_decimals <= max_decimals);
  if (term_places(a, &places) && places <= max_decimals)
    return format_fixed(a, places < min_decimals ? min_decimals : places,
                        buf, cap);
  set_pow10_recip(&step, max_decimals);
  money_round(&t, a, &step, MONEY_ROUND_HALF_EVEN);
  rc = format_fixed(&t, max_decimals, buf, cap);
  money_clear(&step);
  money_clear(&t);
  return rc < 0 ? rc : 1;
}

int money_format_exact(const struct money *a, char *buf, size_t cap)
{
  unsigned long places;
  int n;

  ASSERT_MONEY(a);
  assert(buf != NULL || cap == 0);
  if (term_places(a, &places)) return format_fixed(a, places, buf, cap);
  if (a->big != NULL) {
    n = gmp_snprintf(buf, cap, "%Qd", a->big);
  } else {
    n = snprintf(buf, cap, "%" PRId64 "/%" PRId64, a->num, a->den);
  }
  if (n < 0 || (size_t)n >= cap) {
    if (cap > 0) buf[0] = '\0';
    return -1;
  }
  return 0;
}

struct money *money_zeros(size_t n)
{
  struct money *m = xmalloc((n ? n : 1) * sizeof *m);
  for (size_t i = 0; i < n; i++) m[i] = MONEY_ZERO;
  return m;
}
