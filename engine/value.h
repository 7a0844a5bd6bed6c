/*
** value.h -- a value of the formula language.
**
** Four types, checked when formulas are compiled: numbers (exact, money.h),
** booleans, text and dates. A text value points into storage that outlives
** the evaluation (input fields, table keys, formula literals); values never
** own text.
*/
#ifndef PAYSETTLE_VALUE_H
#define PAYSETTLE_VALUE_H

#include <stdbool.h>
#include <stdint.h>
#include "money.h"

enum vtype { VT_NONE = 0, VT_NUM, VT_BOOL, VT_TEXT, VT_DATE };

struct value {
  enum vtype type;
  bool present;          /* input fields: the cell was not empty */
  union {
    struct money num;
    bool b;
    int32_t date;
    const char *text;
  } u;
};

static inline void value_init(struct value *v)
{
  v->type = VT_NONE;
  v->present = false;
  v->u.num = MONEY_ZERO;
}

static inline void value_clear(struct value *v)
{
  if (v->type == VT_NUM) money_clear(&v->u.num);
  value_init(v);
}

/* dst = src (dst is cleared first). */
void value_copy(struct value *dst, const struct value *src);
/* "number", "boolean", "text", "date". */
const char *value_type_name(enum vtype t);

#endif
