/*
** diag.h -- the list of problems a command found.
**
** paysettle reports every problem of a run, not only the first: loaders and
** validators add to a diag_list and carry on; the command prints the list
** and refuses to write anything when it is not empty.
**
** A problem names where it is (file, line, column; 0 when unknown), the
** field or column it concerns (may be NULL), and a message that says what is
** wrong and what was expected. It prints as
**     file:line:col: field: message
*/
#ifndef PAYSETTLE_DIAG_H
#define PAYSETTLE_DIAG_H

#include <stddef.h>
#include <stdio.h>

/* At most this many problems are kept; later ones are only counted. A file
** with a systematic fault (a wrong column in every one of a million rows)
** should not print a million lines. */
#define DIAG_KEPT_MAX 1000

struct diag {
  char *file;             /* owned; may be NULL */
  unsigned long line;     /* 1-based; 0 = whole file */
  unsigned long col;      /* 1-based; 0 = none */
  char *field;            /* owned; may be NULL */
  char *msg;              /* owned */
};

struct diag_list {
  struct diag *v;
  size_t n, cap;
  size_t dropped;         /* problems beyond DIAG_KEPT_MAX */
};

void diag_init(struct diag_list *d);
void diag_free(struct diag_list *d);

/* Record one problem. Copies every string. Cannot fail. */
void diag_add(struct diag_list *d, const char *file, unsigned long line,
              unsigned long col, const char *field, const char *fmt, ...)
  __attribute__((format(printf, 6, 7)));

/* Problems recorded so far, including those beyond DIAG_KEPT_MAX. */
size_t diag_count(const struct diag_list *d);

/* Print every kept problem, one per line, then a summary line when any was
** dropped. */
void diag_print(const struct diag_list *d, FILE *out);

#endif
