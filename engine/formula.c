/*
** formula.c -- the formula language: lexer and recursive-descent parser.
*/
#include "formula.h"
#include "util.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum tok {
  T_END, T_NUM, T_TEXT, T_NAME, T_LP, T_RP, T_COMMA,
  T_PLUS, T_MINUS, T_STAR, T_SLASH,
  T_EQ, T_NE, T_LT, T_LE, T_GT, T_GE, T_AND, T_OR, T_NOT, T_TRUE, T_FALSE,
  T_ERR
};

struct parser {
  const char *s;           /* the text */
  size_t i;                /* next byte */
  const char *file;
  unsigned long line0, col0;
  unsigned long line, col; /* position of the current token */
  unsigned long cl, cc;    /* position of byte i */
  enum tok t;
  size_t tstart, tlen;     /* the current token's bytes */
  bool pct;                /* T_NUM followed by % */
  int depth;
  struct diag_list *d;
  bool failed;
};

static void perr(struct parser *P, const char *fmt, ...)
  __attribute__((format(printf, 2, 3)));

static void perr(struct parser *P, const char *fmt, ...)
{
  char msg[256];
  va_list ap;
  if (P->failed) return;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  diag_add(P->d, P->file, P->line, P->col, NULL, "%s", msg);
  P->failed = true;
}

static void advance_byte(struct parser *P)
{
  if (P->s[P->i] == '\n') {
    P->cl++;
    P->cc = 1;
  } else if (((unsigned char)P->s[P->i] & 0xC0) != 0x80) {
    P->cc++;
  }
  P->i++;
}

static bool name_char(char c, bool first)
{
  return isalpha((unsigned char)c) || c == '_' ||
         (!first && (isdigit((unsigned char)c) || c == '.'));
}

static const struct { const char *w; enum tok t; } WORDS[] = {
  {"and", T_AND}, {"or", T_OR}, {"not", T_NOT}, {"true", T_TRUE},
  {"false", T_FALSE}
};

static void lex_word(struct parser *P)
{
  while (name_char(P->s[P->i], false)) advance_byte(P);
  P->tlen = P->i - P->tstart;
  P->t = T_NAME;
  if (P->s[P->i - 1] == '.') {
    perr(P, "a name cannot end with '.'");
    P->t = T_ERR;
    return;
  }
  for (size_t k = 0; k < sizeof WORDS / sizeof WORDS[0]; k++)
    if (strlen(WORDS[k].w) == P->tlen &&
        memcmp(WORDS[k].w, P->s + P->tstart, P->tlen) == 0)
      P->t = WORDS[k].t;
}

static void lex_number(struct parser *P)
{
  while (isdigit((unsigned char)P->s[P->i]) || P->s[P->i] == '.')
    advance_byte(P);
  P->tlen = P->i - P->tstart;
  P->t = T_NUM;
  P->pct = P->s[P->i] == '%';
  if (P->pct) advance_byte(P);
  if (name_char(P->s[P->i], true)) {
    perr(P, "a number cannot run into a name (write 2 * x, not 2x)");
    P->t = T_ERR;
  }
}

static void lex_text(struct parser *P)
{
  char q = P->s[P->i];
  advance_byte(P);
  while (P->s[P->i] && P->s[P->i] != q && P->s[P->i] != '\n')
    advance_byte(P);
  if (P->s[P->i] != q) {
    perr(P, "text is not closed (a quote is missing)");
    P->t = T_ERR;
    return;
  }
  advance_byte(P);
  P->t = T_TEXT;
  P->tlen = P->i - P->tstart;
}

static const struct { const char *op; enum tok t; } OPS[] = {
  {"==", T_EQ}, {"!=", T_NE}, {"<=", T_LE}, {">=", T_GE}, {"<", T_LT},
  {">", T_GT}, {"(", T_LP}, {")", T_RP}, {",", T_COMMA}, {"+", T_PLUS},
  {"-", T_MINUS}, {"*", T_STAR}, {"/", T_SLASH}
};

static void next(struct parser *P)
{
  char c;
  while (P->s[P->i] == ' ' || P->s[P->i] == '\t' || P->s[P->i] == '\n' ||
         P->s[P->i] == '\r')
    advance_byte(P);
  P->line = P->cl;
  P->col = P->cc;
  P->tstart = P->i;
  P->pct = false;
  c = P->s[P->i];
  if (c == '\0') {
    P->t = T_END;
    P->tlen = 0;
    return;
  }
  if (name_char(c, true)) {
    lex_word(P);
    return;
  }
  if (isdigit((unsigned char)c)) {
    lex_number(P);
    return;
  }
  if (c == '\'' || c == '"') {
    lex_text(P);
    return;
  }
  for (size_t k = 0; k < sizeof OPS / sizeof OPS[0]; k++) {
    size_t n = strlen(OPS[k].op);
    if (strncmp(P->s + P->i, OPS[k].op, n) == 0) {
      for (size_t j = 0; j < n; j++) advance_byte(P);
      P->t = OPS[k].t;
      P->tlen = n;
      return;
    }
  }
  perr(P, "unexpected character '%.1s'", P->s + P->i);
  P->t = T_ERR;
}

static struct fnode *node(struct parser *P, enum fop op)
{
  struct fnode *n = xcalloc(1, sizeof *n);
  n->op = op;
  n->line = P->line;
  n->col = P->col;
  n->num = MONEY_ZERO;
  n->idx = n->idx2 = -1;
  return n;
}

static void add_arg(struct fnode *n, struct fnode *a)
{
  n->args = xrealloc(n->args, (n->nargs + 1) * sizeof *n->args);
  n->args[n->nargs++] = a;
}

void formula_free(struct fnode *n)
{
  if (!n) return;
  for (size_t i = 0; i < n->nargs; i++) formula_free(n->args[i]);
  free(n->args);
  free(n->name);
  free(n->text);
  money_clear(&n->num);
  free(n);
}

static struct fnode *parse_or(struct parser *P);

static struct fnode *parse_call(struct parser *P, struct fnode *n)
{
  n->op = F_CALL;
  next(P);                                   /* ( */
  if (P->t == T_RP) {
    next(P);
    return n;
  }
  for (;;) {
    struct fnode *a = parse_or(P);
    if (!a) return NULL;
    add_arg(n, a);
    if (n->nargs > FORMULA_ARGS_MAX) {
      perr(P, "more than 32 arguments");
      return NULL;
    }
    if (P->t == T_RP) break;
    if (P->t != T_COMMA) {
      perr(P, "expected ',' or ')' in the arguments of %s", n->name);
      return NULL;
    }
    next(P);
  }
  next(P);
  return n;
}

static struct fnode *parse_number(struct parser *P)
{
  struct fnode *n = node(P, F_NUM);
  struct money hundred = MONEY_ZERO;
  if (money_parse(&n->num, P->s + P->tstart, P->tlen, 12, false) !=
      MONEY_OK) {
    char buf[MONEY_TEXT_MAX + 1];
    snprintf(buf, sizeof buf, "%.*s", (int)P->tlen, P->s + P->tstart);
    perr(P, "not a number: '%s' (write 12.5, 0.005 or 16%%)", buf);
    formula_free(n);
    return NULL;
  }
  if (P->pct) {
    money_set_int(&hundred, 100);
    (void)money_div(&n->num, &n->num, &hundred);
  }
  next(P);
  return n;
}

static struct fnode *parse_primary(struct parser *P)
{
  struct fnode *n;
  if (++P->depth > FORMULA_DEPTH_MAX) {
    perr(P, "formula nests deeper than 64 levels");
    return NULL;
  }
  switch (P->t) {
  case T_NUM:
    n = parse_number(P);
    break;
  case T_TEXT:
    n = node(P, F_TEXT);
    n->text = xstrndup(P->s + P->tstart + 1, P->tlen - 2);
    next(P);
    break;
  case T_TRUE:
  case T_FALSE:
    n = node(P, F_BOOL);
    n->b = P->t == T_TRUE;
    next(P);
    break;
  case T_NAME:
    n = node(P, F_NAME);
    n->name = xstrndup(P->s + P->tstart, P->tlen);
    next(P);
    if (P->t == T_LP && !parse_call(P, n)) {
      formula_free(n);
      n = NULL;
    }
    break;
  case T_LP: {
    unsigned long l0 = P->line, c0 = P->col;
    next(P);
    n = parse_or(P);
    if (n) {                /* the expression starts at its parenthesis */
      n->line = l0;
      n->col = c0;
    }
    if (n && P->t != T_RP) {
      perr(P, "expected ')'");
      formula_free(n);
      n = NULL;
    }
    if (n) next(P);
    break;
  }
  case T_END:
    perr(P, "the formula ends too early: a value is missing");
    n = NULL;
    break;
  default:
    if (P->t != T_ERR)
      perr(P, "expected a value (a number, a name or '('), got '%.*s'",
           (int)P->tlen, P->s + P->tstart);
    n = NULL;
    break;
  }
  P->depth--;
  return n;
}

/* A prefix operator (tok, building op) applied to what follow parses, or
** follow alone when the token is not there. */
static struct fnode *parse_prefix(struct parser *P, enum tok tok,
                                  enum fop op,
                                  struct fnode *(*self)(struct parser *),
                                  struct fnode *(*follow)(struct parser *))
{
  struct fnode *n, *a;
  if (P->t != tok) return follow(P);
  n = node(P, op);
  next(P);
  if (++P->depth > FORMULA_DEPTH_MAX) {
    perr(P, "formula nests deeper than 64 levels");
    formula_free(n);
    return NULL;
  }
  a = self(P);
  P->depth--;
  if (!a) {
    formula_free(n);
    return NULL;
  }
  add_arg(n, a);
  return n;
}

static struct fnode *parse_unary(struct parser *P)
{
  return parse_prefix(P, T_MINUS, F_NEG, parse_unary, parse_primary);
}

/* One left-associative binary level: operands from sub, operators from
** the table (token -> op). */
struct binop { enum tok t; enum fop op; };

static struct fnode *parse_binary(struct parser *P,
                                  struct fnode *(*sub)(struct parser *),
                                  const struct binop *ops, size_t nops,
                                  bool chain)
{
  struct fnode *left = sub(P);
  while (left) {
    size_t k;
    struct fnode *n, *right;
    for (k = 0; k < nops; k++)
      if (P->t == ops[k].t) break;
    if (k == nops) break;
    n = node(P, ops[k].op);
    n->line = left->line;        /* a binary expression starts where its */
    n->col = left->col;          /* left operand does */
    next(P);
    right = sub(P);
    add_arg(n, left);
    if (!right) {
      formula_free(n);
      return NULL;
    }
    add_arg(n, right);
    left = n;
    if (!chain) {
      for (k = 0; k < nops; k++) {
        if (P->t == ops[k].t) {
          perr(P, "comparisons do not chain: write a < b and b < c");
          formula_free(left);
          return NULL;
        }
      }
      break;
    }
  }
  return left;
}

static struct fnode *parse_mul(struct parser *P)
{
  static const struct binop ops[] = {{T_STAR, F_MUL}, {T_SLASH, F_DIV}};
  return parse_binary(P, parse_unary, ops, 2, true);
}

static struct fnode *parse_add(struct parser *P)
{
  static const struct binop ops[] = {{T_PLUS, F_ADD}, {T_MINUS, F_SUB}};
  return parse_binary(P, parse_mul, ops, 2, true);
}

static struct fnode *parse_cmp(struct parser *P)
{
  static const struct binop ops[] = {
    {T_EQ, F_EQ}, {T_NE, F_NE}, {T_LT, F_LT}, {T_LE, F_LE}, {T_GT, F_GT},
    {T_GE, F_GE}
  };
  return parse_binary(P, parse_add, ops, 6, false);
}

static struct fnode *parse_not(struct parser *P)
{
  return parse_prefix(P, T_NOT, F_NOT, parse_not, parse_cmp);
}

static struct fnode *parse_and(struct parser *P)
{
  static const struct binop ops[] = {{T_AND, F_AND}};
  return parse_binary(P, parse_not, ops, 1, true);
}

static struct fnode *parse_or(struct parser *P)
{
  static const struct binop ops[] = {{T_OR, F_OR}};
  return parse_binary(P, parse_and, ops, 1, true);
}

struct fnode *formula_parse(const char *text, const char *file,
                            unsigned long line, unsigned long col,
                            struct diag_list *d)
{
  struct parser P;
  struct fnode *n;

  memset(&P, 0, sizeof P);
  P.s = text;
  P.file = file;
  P.cl = P.line = line;
  P.cc = P.col = col ? col : 1;
  P.d = d;
  if (strlen(text) > FORMULA_BYTES_MAX) {
    perr(&P, "formula longer than 4096 bytes");
    return NULL;
  }
  next(&P);
  n = parse_or(&P);
  if (n && P.t != T_END) {
    perr(&P, "unexpected '%.*s' after a complete formula (an operator "
         "or ',' is missing?)", (int)P.tlen, P.s + P.tstart);
    formula_free(n);
    n = NULL;
  }
  if (P.failed) {
    formula_free(n);
    return NULL;
  }
  return n;
}

const char *formula_op_name(enum fop op)
{
  static const char *const names[] = {
    "number", "boolean", "text", "name", "call", "-", "not", "+", "-", "*",
    "/", "==", "!=", "<", "<=", ">", ">=", "and", "or", "item",
    "parameter", "field", "adjustment", "fact", "table", "mode", "if",
    "min", "max", "clamp", "abs", "round", "lookup", "bracket", "band",
    "in",
    "present", "work_days_between", "years_between", "ytd", "ytd_months",
    "prev", "sum", "count"
  };
  return (size_t)op < sizeof names / sizeof names[0] ? names[op] : "?";
}
