/*
** record.c -- exact texts of computed values.
*/
#include "record.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void record_init(struct record *rec, const struct program *p)
{
  const struct rules *r = p->r;
  memset(rec, 0, sizeof *rec);
  rec->p = p;
  for (int lv = 0; lv < RULES_LEVELS; lv++)
    rec->index[lv] = xcalloc(r->nitems + 1, sizeof *rec->index[lv]);
  for (size_t j = 0; j < r->nitems; j++) {
    int lv = (int)r->items[j].level;
    rec->index[lv][rec->nlevel[lv]++] = (int)j;
  }
  rec->store = xmalloc((r->nitems + 1) * RECORD_TEXT_MAX);
  rec->texts = xcalloc(r->nitems + 1, sizeof *rec->texts);
}

void record_free(struct record *rec)
{
  for (int lv = 0; lv < RULES_LEVELS; lv++) free(rec->index[lv]);
  free(rec->store);
  free(rec->texts);
}

size_t record_texts(struct record *rec, const struct frame *f)
{
  const int lv = (int)f->level;
  for (size_t k = 0; k < rec->nlevel[lv]; k++) {
    const struct value *v = &f->items[rec->index[lv][k]];
    char *buf = rec->store + k * RECORD_TEXT_MAX;
    if (v->type == VT_NUM) {
      if (money_format_exact(&v->u.num, buf, RECORD_TEXT_MAX) != 0)
        buf[0] = '\0';
    } else {
      (void)program_format(v, 0, buf, RECORD_TEXT_MAX);
    }
    rec->texts[k] = buf;
  }
  return rec->nlevel[lv];
}

char *record_item_list(const struct program *p)
{
  const struct rules *r = p->r;
  size_t cap = 1;
  char *s, *w;
  for (size_t j = 0; j < r->nitems; j++) cap += strlen(r->items[j].name) + 4;
  s = w = xmalloc(cap);
  for (size_t j = 0; j < r->nitems; j++)
    w += snprintf(w, cap - (size_t)(w - s), "%d %s\n",
                  (int)r->items[j].level, r->items[j].name);
  *w = '\0';
  return s;
}
