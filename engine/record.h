/*
** record.h -- turning a computed entity into the exact texts the ledger
** stores, and back; shared by run, reproduce and the exports.
**
** Numbers are exact ("3800.00" is written "3800", 2/3 as "2/3": nothing is
** lost), booleans "true"/"false", dates YYYY-MM-DD, text as it is.
*/
#ifndef PAYSETTLE_RECORD_H
#define PAYSETTLE_RECORD_H

#include "program.h"

/* Longest text of one value: an input text field (1,024 bytes) and room. */
#define RECORD_TEXT_MAX 1100

struct record {
  const struct program *p;
  size_t nlevel[RULES_LEVELS];
  int *index[RULES_LEVELS];      /* item indexes of each level, in order */
  char *store;                   /* nitems * RECORD_TEXT_MAX */
  const char **texts;            /* pointers into store */
};

void record_init(struct record *rec, const struct program *p);
void record_free(struct record *rec);
/* The texts of the frame's level items; returns their count. */
size_t record_texts(struct record *rec, const struct frame *f);
/* "LEVEL NAME" lines of every item, in output order (heap). */
char *record_item_list(const struct program *p);

#endif
