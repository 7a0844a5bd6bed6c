/*
** diag.c -- the list of problems a command found.
*/
#include "diag.h"
#include "util.h"

#include <stdarg.h>
#include <stdlib.h>

void diag_init(struct diag_list *d)
{
  d->v = NULL;
  d->n = d->cap = d->dropped = 0;
}

void diag_free(struct diag_list *d)
{
  for (size_t i = 0; i < d->n; i++) {
    free(d->v[i].file);
    free(d->v[i].field);
    free(d->v[i].msg);
  }
  free(d->v);
  diag_init(d);
}

void diag_add(struct diag_list *d, const char *file, unsigned long line,
              unsigned long col, const char *field, const char *fmt, ...)
{
  va_list ap;
  struct diag *p;
  int n;

  if (d->n >= DIAG_KEPT_MAX) {
    d->dropped++;
    return;
  }
  xgrow(&d->v, &d->cap, d->n + 1, sizeof *d->v);
  p = &d->v[d->n++];
  p->file = file ? xstrdup(file) : NULL;
  p->line = line;
  p->col = col;
  p->field = field ? xstrdup(field) : NULL;
  va_start(ap, fmt);
  n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  p->msg = xmalloc(n > 0 ? (size_t)n + 1 : 1);
  p->msg[0] = '\0';
  va_start(ap, fmt);
  if (n > 0) vsnprintf(p->msg, (size_t)n + 1, fmt, ap);
  va_end(ap);
}

size_t diag_count(const struct diag_list *d)
{
  return d->n + d->dropped;
}

void diag_print(const struct diag_list *d, FILE *out)
{
  for (size_t i = 0; i < d->n; i++) {
    const struct diag *p = &d->v[i];
    if (p->file) fputs(p->file, out);
    if (p->line) fprintf(out, ":%lu", p->line);
    if (p->col) fprintf(out, ":%lu", p->col);
    if (p->file || p->line) fputs(": ", out);
    if (p->field) fprintf(out, "%s: ", p->field);
    fprintf(out, "%s\n", p->msg);
  }
  if (d->dropped)
    fprintf(out, "... and %zu more problems not shown\n", d->dropped);
}
