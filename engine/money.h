/*
** money.h -- exact decimal and rational arithmetic (GNU MP).
**
** Every amount, rate, ratio and day count in paysettle is a struct money:
** an exact rational number. Intermediate results are never rounded; rounding
** happens only in money_round(), with a step and a mode that the rule files
** name. Nothing in this module uses float or double.
**
** Representation. A value is num/den in lowest terms with den > 0. When both
** fit in int64_t the value lives in the struct itself (the fast path: no heap
** allocation for the values payroll actually meets, such as 3800, 87/4 or
** 0.16). When an operation would overflow, the result moves to a heap mpq_t
** ("big"); big values that shrink back into int64 range are demoted again.
** Callers never see the difference.
**
** Ownership. A struct money must be initialised (money_init or one of the
** setters on a zeroed struct: {0, 1, NULL} is the value 0) and cleared with
** money_clear() when it may hold a big value. Every function that writes a
** result (the first argument) overwrites it completely and may be called with
** the result aliasing any operand. No function here fails for lack of memory
** (GMP exits the process, as xmalloc does).
**
**   struct money a = MONEY_ZERO, b = MONEY_ZERO, c = MONEY_ZERO;
**   money_parse(&a, "3800.00", 7, 2, 0);
**   money_set_frac(&b, 4, 87);           // 4/87, a day of a month
**   money_mul(&c, &a, &b);               // 15200/87, exact
**   money_round(&c, &c, &MONEY_CENT, MONEY_ROUND_HALF_AWAY);  // 174.71
**   money_clear(&a); money_clear(&b); money_clear(&c);
*/
#ifndef PAYSETTLE_MONEY_H
#define PAYSETTLE_MONEY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <gmp.h>

struct money {
  int64_t num;          /* numerator, when big == NULL */
  int64_t den;          /* denominator > 0, when big == NULL */
  mpq_ptr big;          /* owned heap rational, or NULL */
};

#define MONEY_ZERO ((struct money){0, 1, NULL})
/* A new array of n values, each MONEY_ZERO (one element when n is 0, so the
** result is never NULL). The caller clears each and frees the array. */
struct money *money_zeros(size_t n);

/* Longest decimal text money_parse accepts, sign and point included. Far
** above any amount (10^28 yuan) yet small enough to keep parsing simple. */
#define MONEY_TEXT_MAX 40

enum money_err {
  MONEY_OK = 0,
  MONEY_E_SYNTAX,       /* not a plain decimal like 12.34 or -0.50 */
  MONEY_E_DECIMALS,     /* more decimal places than allowed */
  MONEY_E_NEGATIVE,     /* a sign where none is allowed */
  MONEY_E_RANGE,        /* too many digits, or does not fit the target */
  MONEY_E_DIV0,         /* division by zero */
  MONEY_E_INEXACT       /* the value is not a whole number of the unit */
};

/* A short English description of an error code ("division by zero"). */
const char *money_strerror(enum money_err e);

/* Rounding modes. Each is symmetric or asymmetric exactly as its name says,
** and each is applied at a step (0.01, 0.1, 1, or any positive decimal). */
enum money_round {
  MONEY_ROUND_HALF_AWAY,  /* 四舍五入: ties away from zero; 2.5->3, -2.5->-3 */
  MONEY_ROUND_HALF_UP,    /* ties toward +inf; 2.5->3, -2.5->-2 */
  MONEY_ROUND_HALF_EVEN,  /* banker's; 2.5->2, 3.5->4, -2.5->-2 */
  MONEY_ROUND_UP,         /* away from zero; 2.1->3, -2.1->-3 */
  MONEY_ROUND_DOWN,       /* toward zero (truncate); 2.9->2, -2.9->-2 */
  MONEY_ROUND_CEILING,    /* toward +inf; 2.1->3, -2.9->-2 */
  MONEY_ROUND_FLOOR,      /* toward -inf; 2.9->2, -2.1->-3 */
  MONEY_ROUND_JIAN_FEN_JIN_JIAO
  /* 见分进角 at step s: first round half away from zero to s/10 (the fen,
  ** at s = 0.1), then, if anything remains below s, go away from zero to the
  ** next multiple of s. 184.605 -> 184.61 -> 184.70; 184.604 -> 184.60;
  ** -184.605 -> -184.70. At s = 1 this is 见角进元. */
};
#define MONEY_ROUND_COUNT 8

/* The mode's name as rule files spell it ("half_away", "half_up",
** "half_even", "up", "down", "ceiling", "floor", "jian_fen_jin_jiao"), and
** the reverse lookup: returns false when the name is unknown. */
const char *money_round_name(enum money_round m);
bool money_round_parse(const char *name, enum money_round *out);

/* Useful constants (never cleared, never big). */
extern const struct money MONEY_CENT;    /* 0.01 */
extern const struct money MONEY_ONE;     /* 1 */

static inline void money_init(struct money *m)
{
  m->num = 0;
  m->den = 1;
  m->big = NULL;
}
/* Frees the heap part, if any, and leaves the value 0. Accepts a value that
** was only ever zero-initialised as MONEY_ZERO. */
void money_clear(struct money *m);

void money_set_int(struct money *r, int64_t v);
/* r = num/den. Returns MONEY_E_DIV0 when den == 0 (r is then unchanged). */
enum money_err money_set_frac(struct money *r, int64_t num, int64_t den);
void money_copy(struct money *r, const struct money *a);

/* Strict decimal parsing of s[0..len): [-]DIGITS[.DIGITS].
** Refuses: empty text, spaces anywhere, '+', exponents (1e3), thousands
** separators (1,234), a point without digits on both sides (12. or .5),
** more than decimals_max fractional digits (MONEY_E_DECIMALS), a '-' when
** allow_negative is false (MONEY_E_NEGATIVE), more than MONEY_TEXT_MAX
** characters (MONEY_E_RANGE). Leading zeros are allowed ("007.50").
** On error r is unchanged. */
enum money_err money_parse(struct money *r, const char *s, size_t len,
                           unsigned decimals_max, bool allow_negative);

void money_add(struct money *r, const struct money *a, const struct money *b);
void money_sub(struct money *r, const struct money *a, const struct money *b);
void money_mul(struct money *r, const struct money *a, const struct money *b);
/* r = a / b. Returns MONEY_E_DIV0 (r unchanged) when b is zero. */
enum money_err money_div(struct money *r, const struct money *a,
                         const struct money *b);
void money_neg(struct money *r, const struct money *a);
void money_abs(struct money *r, const struct money *a);

/* -1, 0 or 1 as a <, ==, > b. */
int money_cmp(const struct money *a, const struct money *b);
int money_sgn(const struct money *a);
bool money_is_zero(const struct money *a);
bool money_is_integer(const struct money *a);

/* r = a rounded to a multiple of step (step > 0, e.g. MONEY_CENT) in the
** given mode. Exact: the result is k * step for an integer k. Returns
** MONEY_E_RANGE (r unchanged) when step is not positive. */
enum money_err money_round(struct money *r, const struct money *a,
                           const struct money *step, enum money_round mode);

/* The value in fen (1/100), when it is a whole number of fen that fits in
** int64_t: MONEY_E_INEXACT when it has a fraction of a fen, MONEY_E_RANGE
** when it is too large. *fen is set only on success. */
enum money_err money_to_fen(const struct money *a, int64_t *fen);
void money_from_fen(struct money *r, int64_t fen);

/* The value as an int64_t when it is a whole number that fits; false
** otherwise (*out unchanged). */
bool money_to_int(const struct money *a, int64_t *out);

/* Decimal text of a.
**
** When a is a terminating decimal (its denominator has no prime factor other
** than 2 and 5) with at most max_decimals places, the text is exact, padded
** with zeros to at least min_decimals places: 3800 -> "3800.00" with
** min_decimals 2; 0.125 -> "0.125"; -0.5 -> "-0.50". Otherwise the value is
** rounded half-even to max_decimals places and the function returns 1 (the
** text is an approximation, which callers print as such: explain shows
** "174.7126436782…"). Returns 0 for exact text, 1 for rounded text, -1 when
** cap is too small (buf then holds an empty string). The sign is printed
** once, in front ("-0.50", never "0.-50"); zero is never "-0.00". */
int money_format(const struct money *a, unsigned min_decimals,
                 unsigned max_decimals, char *buf, size_t cap);

/* Exact canonical text: the decimal text when the value is a terminating
** decimal, else "num/den" ("21/23"). Used for storage and hashing, where
** nothing may be lost. Same return convention as money_format (never 1). */
int money_format_exact(const struct money *a, char *buf, size_t cap);
/* Reads what money_format_exact wrote (also plain decimals of any length).
** Returns MONEY_E_SYNTAX on anything else. */
enum money_err money_parse_exact(struct money *r, const char *s);

#endif
