/*
** report.c -- the results of a month as CSV or JSON.
*/
#include "report.h"

#include <string.h>

void report_value(const struct rules_item *it, const struct value *v,
                  char *buf, size_t cap)
{
  if (program_format(v, it->decimals, buf, cap) < 0 && cap) buf[0] = '\0';
}

static void csv_field(FILE *out, const char *s)
{
  if (strpbrk(s, ",\"\r\n") == NULL) {
    fputs(s, out);
    return;
  }
  fputc('"', out);
  for (; *s; s++) {
    if (*s == '"') fputc('"', out);
    fputc(*s, out);
  }
  fputc('"', out);
}

static void json_string(FILE *out, const char *s)
{
  fputc('"', out);
  for (; *s; s++) {
    unsigned char c = (unsigned char)*s;
    if (c == '"' || c == '\\') fprintf(out, "\\%c", c);
    else if (c < 0x20) fprintf(out, "\\u%04x", c);
    else fputc(c, out);
  }
  fputc('"', out);
}

static bool level_wanted(const struct report *r, enum rules_level lv)
{
  return r->level == REPORT_ALL || (int)r->level == (int)lv;
}

static void csv_header(struct report *r, enum rules_level lv)
{
  const struct rules *rs = r->p->r;
  fputs(lv == RULES_EMPLOYEE ? "employee_id,agency" :
        lv == RULES_AGENCY ? "agency" : "district", r->out);
  for (size_t k = 0; k < rs->nitems; k++) {
    if (rs->items[k].level != lv) continue;
    fputc(',', r->out);
    csv_field(r->out, rs->items[k].name);
  }
  fputc('\n', r->out);
}

/* --format lines: "WHO ITEM VALUE", one item a line (easy to grep). */
static void lines_entity(struct report *r, const struct frame *f,
                         const char *who)
{
  const struct rules *rs = r->p->r;
  char buf[128];
  for (size_t j = 0; j < rs->nitems; j++) {
    const struct rules_item *it = &rs->items[j];
    if (it->level != f->level) continue;
    report_value(it, &f->items[j], buf, sizeof buf);
    fprintf(r->out, "%s %s %s\n", who, it->name, buf);
  }
  r->count++;
}

/* One entity: keys first (key names/values), then its level's items. */
static void entity(struct report *r, const struct frame *f,
                   const char *const *keys, const char *const *vals,
                   size_t nkeys)
{
  const struct rules *rs = r->p->r;
  char buf[128];
  bool json = r->format == REPORT_JSON;

  if (r->format == REPORT_LINES) {
    lines_entity(r, f, nkeys ? vals[0] : "district");
    return;
  }
  if (!json && nkeys == 0) {
    fputs("district", r->out);
    nkeys = 1;
  }
  if (json) fputs(r->count ? ",\n    {" : "\n    {", r->out);
  for (size_t k = 0; k < nkeys; k++) {
    if (json) {
      fprintf(r->out, "%s", k ? ", " : "");
      json_string(r->out, keys[k]);
      fputs(": ", r->out);
      json_string(r->out, vals[k]);
    } else {
      if (k) fputc(',', r->out);
      csv_field(r->out, vals[k]);
    }
  }
  for (size_t j = 0; j < rs->nitems; j++) {
    const struct rules_item *it = &rs->items[j];
    if (it->level != f->level) continue;
    report_value(it, &f->items[j], buf, sizeof buf);
    if (json) {
      fprintf(r->out, "%s", nkeys ? ", " : "");
      nkeys = 1;
      json_string(r->out, it->name);
      fputs(": ", r->out);
      if (f->items[j].type == VT_BOOL) fputs(buf, r->out);
      else json_string(r->out, buf);
    } else {
      if (nkeys) fputc(',', r->out);
      nkeys = 1;
      csv_field(r->out, buf);
    }
  }
  fputs(json ? "}" : "\n", r->out);
  r->count++;
}

static const char *const SECTIONS[] = {"employees", "agencies", "district"};

/* JSON: close the previous section and open the one for lv. */
static void section(struct report *r, enum rules_level lv)
{
  if (r->section == (int)lv) return;
  if (r->format == REPORT_LINES) {
    r->section = (int)lv;
    r->count = 0;
    return;
  }
  if (r->format == REPORT_JSON) {
    if (r->section >= 0) fputs(r->section == RULES_DISTRICT ? "" :
                               r->count ? "\n  ]" : "]", r->out);
    fprintf(r->out, ",\n  \"%s\": %s", SECTIONS[lv],
            lv == RULES_DISTRICT ? "" : "[");
  } else {
    csv_header(r, lv);
  }
  r->section = (int)lv;
  r->count = 0;
}

static int on_employee(void *ctx, const struct employee *e,
                       const struct frame *f)
{
  struct report *r = ctx;
  static const char *const keys[] = {"employee_id", "agency"};
  const char *vals[2];
  if (!level_wanted(r, RULES_EMPLOYEE)) return 0;
  section(r, RULES_EMPLOYEE);
  vals[0] = e->id;
  vals[1] = f->fields[program_field_index(r->p, RULES_EMPLOYEE,
                      RULES_F_ROSTER, (size_t)rules_column(
                      &r->p->r->inputs[RULES_F_ROSTER], "agency"))].u.text;
  entity(r, f, keys, vals, 2);
  return 0;
}

static int on_agency(void *ctx, const struct agency *a,
                     const struct frame *f)
{
  struct report *r = ctx;
  static const char *const keys[] = {"agency"};
  if (!level_wanted(r, RULES_AGENCY)) return 0;
  section(r, RULES_AGENCY);
  entity(r, f, keys, &a->code, 1);
  return 0;
}

static int on_district(void *ctx, const struct frame *f)
{
  struct report *r = ctx;
  if (!level_wanted(r, RULES_DISTRICT)) return 0;
  section(r, RULES_DISTRICT);
  entity(r, f, NULL, NULL, 0);
  return 0;
}

void report_begin(struct report *r)
{
  r->section = -1;
  r->count = 0;
  if (r->format == REPORT_JSON)
    fprintf(r->out, "{\"month\": \"%s\"", r->p->month_text);
}

void report_end(struct report *r)
{
  if (r->format != REPORT_JSON) return;
  if (r->section >= 0 && r->section != RULES_DISTRICT)
    fputs(r->count ? "\n  ]" : "]", r->out);
  fputs("\n}\n", r->out);
}

struct batch_sink report_sink(struct report *r)
{
  struct batch_sink s = {r, on_employee, on_agency, on_district};
  return s;
}
