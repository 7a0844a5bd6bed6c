/*
** layout.c -- reading and checking the 'outputs' section of a rule set.
**
** The section is read from its own file through ydoc (the same strict
** YAML as every rule file) and turned into the structures of layout.h.
** Everything it names is resolved here, once: items to rule-set indexes
** at the level the sheet's rows have, input columns to the schema's
** columns, format names to codes, chart series to the sheet's columns.
** So writing a workbook never meets an unknown name.
*/
#include "layout.h"
#include "calendar.h"
#include "util.h"
#include "ydoc.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

struct lctx {
  const struct rules *r;
  const char *file;
  struct diag_list *d;
  struct layout *lay;
  bool ok;
};

static void lerr(struct lctx *L, const struct ynode *n, const char *field,
                 const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void lerr(struct lctx *L, const struct ynode *n, const char *field,
                 const char *fmt, ...)
{
  char msg[512];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  diag_add(L->d, L->file, n ? n->line : 0, n ? n->col : 0, field, "%s",
           msg);
  L->ok = false;
}

static struct rules_pos pos_of(const struct lctx *L, const struct ynode *n)
{
  struct rules_pos p = {L->file, n ? n->line : 0, n ? n->col : 0};
  return p;
}

/* Refuse keys of map that are not in allowed (NULL-terminated). */
static bool keys_ok(struct lctx *L, const struct ynode *map,
                    const char *const *allowed, const char *what)
{
  bool ok = true;
  for (size_t i = 0; i < map->n; i++) {
    size_t j = 0;
    while (allowed[j] && strcmp(map->keys[i]->text, allowed[j]) != 0) j++;
    if (!allowed[j] && strcmp(map->keys[i]->text, "note") != 0) {
      lerr(L, map->keys[i], NULL, "unknown key '%s' in %s",
           map->keys[i]->text, what);
      ok = false;
    }
  }
  return ok;
}

static bool is_map(struct lctx *L, const struct ynode *n, const char *what)
{
  if (n && n->kind == YNODE_MAP) return true;
  lerr(L, n, NULL, "%s must be a mapping", what);
  return false;
}

static size_t utf8_chars(const char *s)
{
  size_t n = 0;
  for (; *s; s++) n += ((unsigned char)*s & 0xC0) != 0x80;
  return n;
}

/* A copy of the text of scalar n (required: a problem when absent). */
static char *text_of(struct lctx *L, const struct ynode *n,
                     const char *field, const struct ynode *parent)
{
  if (!n) {
    lerr(L, parent, field, "'%s' is required here", field);
    return NULL;
  }
  if (n->kind != YNODE_SCALAR) {
    lerr(L, n, field, "expected a single value, got a %s",
         ynode_kind_name(n->kind));
    return NULL;
  }
  if (utf8_chars(n->text) > LAYOUT_TEXT_MAX) {
    lerr(L, n, field, "longer than %d characters", LAYOUT_TEXT_MAX);
    return NULL;
  }
  return xstrdup(n->text);
}

/* A title: non-empty text that a spreadsheet cannot take for a formula. */
static char *title_of(struct lctx *L, const struct ynode *n,
                      const char *field, const struct ynode *parent)
{
  char *t = text_of(L, n, field, parent);
  if (t && (t[0] == '\0' || strchr("=+-@", t[0]))) {
    lerr(L, n, field, "a title is text that does not start with =, +, - "
         "or @");
    free(t);
    t = NULL;
  }
  return t;
}

static bool flag_of(struct lctx *L, const struct ynode *n, const char *field,
                    bool def)
{
  if (!n) return def;
  if (ynode_is(n, "true")) return true;
  if (ynode_is(n, "false")) return false;
  lerr(L, n, field, "expected true or false");
  return def;
}

/* An unsigned number of at most max. */
static bool uint_of(struct lctx *L, const struct ynode *n, const char *field,
                    unsigned max, unsigned *out)
{
  unsigned long v = 0;
  const char *s = n && n->kind == YNODE_SCALAR ? n->text : "";
  size_t i = 0;
  for (; s[i] >= '0' && s[i] <= '9' && i < 7; i++)
    v = v * 10 + (unsigned long)(s[i] - '0');
  if (i == 0 || s[i] != '\0' || v > max) {
    lerr(L, n, field, "expected a whole number from 0 to %u", max);
    return false;
  }
  *out = (unsigned)v;
  return true;
}

/* ---- style, formats, words ---------------------------------------------- */

static unsigned hex_color(struct lctx *L, const struct ynode *n)
{
  unsigned v = 0;
  const char *s = n && n->kind == YNODE_SCALAR ? n->text : "";
  bool ok = s[0] == '#' && strlen(s) == 7;
  for (size_t i = 1; ok && i < 7; i++) {
    char c = s[i];
    unsigned dgt = c >= '0' && c <= '9' ? (unsigned)(c - '0')
                 : c >= 'a' && c <= 'f' ? (unsigned)(c - 'a' + 10)
                 : c >= 'A' && c <= 'F' ? (unsigned)(c - 'A' + 10) : 16;
    ok = dgt < 16;
    v = v * 16 + dgt;
  }
  if (!ok) lerr(L, n, "header_fill", "expected a colour #RRGGBB");
  return ok ? v : 0xFFFFFF;
}

static void load_style(struct lctx *L, const struct ynode *n)
{
  static const char *const keys[] = {"font", "size", "header_fill", NULL};
  const struct ynode *fill;
  if (!is_map(L, n, "style") || !keys_ok(L, n, keys, "style")) return;
  L->lay->font = text_of(L, ynode_get(n, "font"), "font", n);
  L->lay->font_size = 10;
  if (ynode_get(n, "size") &&
      uint_of(L, ynode_get(n, "size"), "size", 72, &L->lay->font_size) &&
      L->lay->font_size < 6)
    lerr(L, ynode_get(n, "size"), "size", "a font size from 6 to 72");
  fill = ynode_get(n, "header_fill");
  L->lay->header_fill = fill ? hex_color(L, fill) : 0xFFFFFF;
}

static bool format_index(const struct layout *lay, const char *name,
                         size_t *out)
{
  for (size_t i = 0; i < lay->nformats; i++)
    if (strcmp(lay->format_names[i], name) == 0) {
      *out = i;
      return true;
    }
  return false;
}

static void load_formats(struct lctx *L, const struct ynode *n)
{
  struct layout *lay = L->lay;
  if (!is_map(L, n, "formats")) return;
  lay->format_names = xcalloc(n->n + 1, sizeof *lay->format_names);
  lay->format_codes = xcalloc(n->n + 1, sizeof *lay->format_codes);
  for (size_t i = 0; i < n->n; i++) {
    char *code = text_of(L, n->items[i], n->keys[i]->text, n);
    if (!code) continue;
    lay->format_names[lay->nformats] = xstrdup(n->keys[i]->text);
    lay->format_codes[lay->nformats++] = code;
  }
  if (!format_index(lay, "money", &lay->fmt_money) ||
      !format_index(lay, "number", &lay->fmt_number))
    lerr(L, n, "formats", "the formats must include 'money' (amounts) and "
         "'number' (other figures)");
}

static const char *const WORD_KEYS[LAYOUT_WORDS_ + 1] = {
  "total", "district", "yes", "no", "met", "not_met", "none", "header",
  "footer", NULL
};

static void load_words(struct lctx *L, const struct ynode *n)
{
  if (!is_map(L, n, "words") || !keys_ok(L, n, WORD_KEYS, "words")) return;
  for (size_t i = 0; i < LAYOUT_WORDS_; i++)
    L->lay->words[i] = text_of(L, ynode_get(n, WORD_KEYS[i]), WORD_KEYS[i],
                               n);
}

/* ---- columns ------------------------------------------------------------ */

/* The level whose items a sheet's rows show. */
static enum rules_level rows_level(enum layout_rows rows)
{
  return rows == LAYOUT_ROWS_AGENCIES ? RULES_AGENCY : RULES_EMPLOYEE;
}

static const char *const LEVEL_NAME[RULES_LEVELS] = {"employee", "agency",
                                                     "district"};

/* Item called name at level lv, or -1 with a problem. */
static int item_at(struct lctx *L, const struct ynode *n,
                   enum rules_level lv)
{
  int i = n && n->kind == YNODE_SCALAR ? rules_item_index(L->r, n->text)
                                       : -1;
  if (!n || n->kind != YNODE_SCALAR) {
    lerr(L, n, "item", "expected an item name");
    return -1;
  }
  if (i < 0) {
    lerr(L, n, "item", "no item '%s' in the rule set", n->text);
    return -1;
  }
  if (L->r->items[i].level != lv) {
    lerr(L, n, "item", "'%s' is %s-level; this needs a%s %s item",
         n->text, LEVEL_NAME[L->r->items[i].level],
         lv == RULES_DISTRICT ? "" : "n", LEVEL_NAME[lv]);
    return -1;
  }
  return i;
}

static const struct {
  const char *prefix;
  enum rules_file file;
  bool employee_only;
} FIELD_FILES[] = {
  {"roster", RULES_F_ROSTER, true},
  {"attendance", RULES_F_ATTENDANCE, true},
  {"adjustments", RULES_F_ADJUSTMENTS, true},
  {"agency", RULES_F_AGENCIES, false},
  {"satisfaction", RULES_F_SATISFACTION, false}
};

/* "roster.name" -> (file, column) for rows of level lv. */
static bool field_at(struct lctx *L, const struct ynode *n,
                     enum rules_level lv, struct layout_column *c)
{
  const char *s = n->kind == YNODE_SCALAR ? n->text : "";
  const char *dot = strchr(s, '.');
  size_t plen = dot ? (size_t)(dot - s) : 0;
  for (size_t k = 0; dot && k < sizeof FIELD_FILES / sizeof *FIELD_FILES;
       k++) {
    const struct rules_input *in = &L->r->inputs[FIELD_FILES[k].file];
    if (strlen(FIELD_FILES[k].prefix) != plen ||
        strncmp(s, FIELD_FILES[k].prefix, plen) != 0)
      continue;
    if (FIELD_FILES[k].employee_only && lv != RULES_EMPLOYEE) {
      lerr(L, n, "field", "'%s' is an employee's input; these rows are "
           "agencies", s);
      return false;
    }
    c->col = rules_column(in, dot + 1);
    c->file = FIELD_FILES[k].file;
    if (c->file == RULES_F_ADJUSTMENTS && strcmp(dot + 1, "note") != 0) {
      lerr(L, n, "field", "of adjustments.csv only the note is kept (the "
           "amounts are items)");
      return false;
    }
    if (c->col < 0) {
      lerr(L, n, "field", "%s has no column '%s'", in->file ? in->file
           : FIELD_FILES[k].prefix, dot + 1);
      return false;
    }
    return true;
  }
  lerr(L, n, "field", "expected FILE.COLUMN with FILE one of roster, "
       "attendance, adjustments, agency, satisfaction; got '%s'", s);
  return false;
}

static const struct rules_column *column_schema(const struct rules *r,
                                                const struct layout_column
                                                *c)
{
  return &r->inputs[c->file].cols[c->col];
}

static bool numeric_field(const struct rules *r, const struct layout_column
                          *c)
{
  enum rules_ctype t = column_schema(r, c)->type;
  return t == RULES_C_DECIMAL || t == RULES_C_INTEGER ||
         t == RULES_C_HALVES;
}

/* The source of column c: exactly one of item, sum, field, text, blank. */
static bool column_source(struct lctx *L, const struct ynode *n,
                          enum rules_level lv, struct layout_column *c)
{
  const struct ynode *it = ynode_get(n, "item"), *sum = ynode_get(n, "sum");
  const struct ynode *f = ynode_get(n, "field"), *t = ynode_get(n, "text");
  const struct ynode *b = ynode_get(n, "blank");
  int given = !!it + !!sum + !!f + !!t + !!b;
  if (given != 1) {
    lerr(L, n, "column", "a column shows exactly one of item, sum, field, "
         "text, blank");
    return false;
  }
  if (it || sum) {
    const struct ynode *const *v = it ? &it : (const struct ynode *const *)
                                   sum->items;
    size_t nv = it ? 1 : sum->kind == YNODE_SEQ ? sum->n : 0;
    if (nv == 0) lerr(L, sum, "sum", "expected a list of items");
    c->src = it ? LAYOUT_ITEM : LAYOUT_SUM;
    c->items = xcalloc(nv + 1, sizeof *c->items);
    for (size_t i = 0; i < nv; i++)
      if ((c->items[c->nitems++] = item_at(L, v[i], lv)) < 0) return false;
    return nv > 0;
  }
  if (f) {
    c->src = LAYOUT_FIELD;
    return field_at(L, f, lv, c);
  }
  if (t) {
    c->src = LAYOUT_TEXT;
    c->text = text_of(L, t, "text", n);
    return c->text != NULL;
  }
  c->src = LAYOUT_BLANK;
  return flag_of(L, b, "blank", true);
}

static void column_mask(struct lctx *L, const struct ynode *m,
                        struct layout_column *c)
{
  if (m->kind != YNODE_SEQ || m->n != 2 ||
      !uint_of(L, m->items[0], "mask", 32, &c->mask_first) ||
      !uint_of(L, m->items[1], "mask", 32, &c->mask_last)) {
    lerr(L, m, "mask", "expected [FIRST, LAST]: the characters kept at "
         "each end");
    return;
  }
  if (c->src != LAYOUT_FIELD) lerr(L, m, "mask", "only an input field is "
                                   "masked");
  c->masked = true;
}

/* The column's format and total: defaults by what it shows. */
static void column_format(struct lctx *L, const struct ynode *n,
                          struct layout_column *c, bool bank)
{
  const struct ynode *fmt = ynode_get(n, "format"), *tot = ynode_get(n,
                                                                 "total");
  bool numeric = c->src == LAYOUT_ITEM || c->src == LAYOUT_SUM ||
                 (c->src == LAYOUT_FIELD && numeric_field(L->r, c));
  c->fmt = L->lay->fmt_number;
  if ((c->src == LAYOUT_ITEM || c->src == LAYOUT_SUM) &&
      L->r->items[c->items[0]].decimals == 2)
    c->fmt = L->lay->fmt_money;
  if (fmt && (fmt->kind != YNODE_SCALAR ||
              !format_index(L->lay, fmt->text, &c->fmt)))
    lerr(L, fmt, "format", "not one of the names under 'formats'");
  c->total = numeric && c->fmt == L->lay->fmt_money && !bank
             ? LAYOUT_TOTAL_SUM : LAYOUT_TOTAL_NONE;
  if (tot && bank && ynode_is(tot, "count")) c->total = LAYOUT_TOTAL_COUNT;
  else if (tot && flag_of(L, tot, "total", false)) c->total =
    LAYOUT_TOTAL_SUM;
  else if (tot) c->total = LAYOUT_TOTAL_NONE;
  if (c->total == LAYOUT_TOTAL_SUM && !numeric)
    lerr(L, tot, "total", "only a column of numbers has a total");
}

static bool load_column(struct lctx *L, const struct ynode *n,
                        enum rules_level lv, bool bank,
                        struct layout_column *c)
{
  static const char *const keys[] = {"title", "item", "sum", "field",
    "text", "blank", "format", "total", "mask", "show", NULL};
  const struct ynode *show = ynode_get(n, "show");
  size_t before = diag_count(L->d);
  memset(c, 0, sizeof *c);
  c->col = -1;
  c->pos = pos_of(L, n);
  if (!is_map(L, n, "a column") || !keys_ok(L, n, keys, "a column"))
    return false;
  c->title = title_of(L, ynode_get(n, "title"), "title", n);
  if (!column_source(L, n, lv, c) || !c->title) return false;
  if (ynode_get(n, "mask")) column_mask(L, ynode_get(n, "mask"), c);
  if (show && (!ynode_is(show, "zh") || c->src != LAYOUT_FIELD ||
               column_schema(L->r, c)->type != RULES_C_TABLE))
    lerr(L, show, "show", "'show: zh' is for an input column that names a "
         "table row");
  c->show_zh = show != NULL;
  column_format(L, n, c, bank);
  return diag_count(L->d) == before;
}

static void column_free(struct layout_column *c)
{
  free(c->title);
  free(c->items);
  free(c->text);
}

/* {every_item: LEVEL}: one column per item of the level. */
static void every_item(struct lctx *L, const struct ynode *n,
                       enum rules_level lv, struct layout_sheet *s)
{
  const struct ynode *v = ynode_get(n, "every_item");
  if (n->n != 1 || !ynode_is(v, LEVEL_NAME[lv])) {
    lerr(L, n, "every_item", "expected {every_item: %s} alone",
         LEVEL_NAME[lv]);
    return;
  }
  for (size_t i = 0; i < L->r->nitems; i++) {
    const struct rules_item *it = &L->r->items[i];
    struct layout_column *c;
    if (it->level != lv) continue;
    s->cols = xrealloc(s->cols, (s->ncols + 1) * sizeof *s->cols);
    c = &s->cols[s->ncols++];
    memset(c, 0, sizeof *c);
    c->title = it->zh ? xasprintf("%s\n%s", it->zh, it->name)
                      : xstrdup(it->name);
    c->src = LAYOUT_ITEM;
    c->items = xmalloc(sizeof *c->items);
    c->items[0] = (int)i;
    c->nitems = 1;
    c->col = -1;
    c->pos = pos_of(L, n);
    c->fmt = it->decimals == 2 ? L->lay->fmt_money : L->lay->fmt_number;
    c->total = it->decimals == 2 ? LAYOUT_TOTAL_SUM : LAYOUT_TOTAL_NONE;
  }
}

static void load_columns(struct lctx *L, const struct ynode *n,
                         enum rules_level lv, bool bank, size_t *ncols,
                         struct layout_column **cols)
{
  struct layout_sheet tmp;
  memset(&tmp, 0, sizeof tmp);
  if (!n || n->kind != YNODE_SEQ || n->n == 0) {
    lerr(L, n, "columns", "expected a list of columns");
    return;
  }
  for (size_t i = 0; i < n->n; i++) {
    if (n->items[i]->kind == YNODE_MAP &&
        ynode_get(n->items[i], "every_item") && !bank) {
      every_item(L, n->items[i], lv, &tmp);
      continue;
    }
    tmp.cols = xrealloc(tmp.cols, (tmp.ncols + 1) * sizeof *tmp.cols);
    if (!load_column(L, n->items[i], lv, bank, &tmp.cols[tmp.ncols]))
      column_free(&tmp.cols[tmp.ncols]);
    else tmp.ncols++;
  }
  if (tmp.ncols > LAYOUT_COLUMNS_MAX)
    lerr(L, n, "columns", "more than %d columns", LAYOUT_COLUMNS_MAX);
  *ncols = tmp.ncols;
  *cols = tmp.cols;
}

/* ---- sheets ------------------------------------------------------------- */

/* The column of sheet s that shows item i alone, or -1. */
static long column_of_item(const struct layout_sheet *s, int i)
{
  for (size_t k = 0; k < s->ncols; k++)
    if (s->cols[k].src == LAYOUT_ITEM && s->cols[k].items[0] == i)
      return (long)k;
  return -1;
}

static long column_of_field(struct lctx *L, const struct layout_sheet *s,
                            const struct ynode *n)
{
  struct layout_column c;
  memset(&c, 0, sizeof c);
  if (!n || !field_at(L, n, rows_level(s->rows), &c)) return -1;
  for (size_t k = 0; k < s->ncols; k++)
    if (s->cols[k].src == LAYOUT_FIELD && s->cols[k].file == c.file &&
        s->cols[k].col == c.col)
      return (long)k;
  lerr(L, n, "categories", "the sheet has no column showing '%s'", n->text);
  return -1;
}

static void load_chart(struct lctx *L, const struct ynode *n,
                       struct layout_sheet *s)
{
  static const char *const keys[] = {"title", "categories", "x_title",
    "y_title", "series", NULL};
  const struct ynode *ser = ynode_get(n, "series");
  struct layout_chart *ch;
  long cat;
  if (!is_map(L, n, "chart") || !keys_ok(L, n, keys, "the chart")) return;
  if (s->rows != LAYOUT_ROWS_AGENCIES) {
    lerr(L, n, "chart", "a chart is drawn on a sheet of agencies");
    return;
  }
  ch = s->chart = xcalloc(1, sizeof *ch);
  ch->title = title_of(L, ynode_get(n, "title"), "title", n);
  ch->x_title = title_of(L, ynode_get(n, "x_title"), "x_title", n);
  ch->y_title = title_of(L, ynode_get(n, "y_title"), "y_title", n);
  cat = column_of_field(L, s, ynode_get(n, "categories"));
  ch->category = cat < 0 ? 0 : (size_t)cat;
  if (!ser || ser->kind != YNODE_SEQ || ser->n == 0) {
    lerr(L, n, "series", "expected a list of the sheet's item columns");
    return;
  }
  ch->series = xcalloc(ser->n, sizeof *ch->series);
  for (size_t i = 0; i < ser->n; i++) {
    int it = item_at(L, ser->items[i], RULES_AGENCY);
    long k = it < 0 ? -1 : column_of_item(s, it);
    if (it >= 0 && k < 0)
      lerr(L, ser->items[i], "series", "no column of this sheet shows "
           "'%s'", ser->items[i]->text);
    if (k >= 0) ch->series[ch->nseries++] = (size_t)k;
  }
}

static void load_indicator(struct lctx *L, const struct ynode *n,
                           struct layout_indicator *ind)
{
  static const char *const keys[] = {"title", "target", "agency", "met",
    "known", "district", "district_met", "format", NULL};
  const struct ynode *t = ynode_get(n, "target"), *f = ynode_get(n,
                                                               "format");
  ind->known = ind->district_met = ind->met = -1;
  ind->pos = pos_of(L, n);
  if (!is_map(L, n, "an indicator") || !keys_ok(L, n, keys, "an indicator"))
    return;
  ind->title = title_of(L, ynode_get(n, "title"), "title", n);
  ind->target = t && t->kind == YNODE_SCALAR ? rules_param(L->r, t->text)
                                             : NULL;
  if (!ind->target) lerr(L, t ? t : n, "target", "expected a parameter of "
                         "the rule set");
  ind->agency = item_at(L, ynode_get(n, "agency"), RULES_AGENCY);
  if (ynode_get(n, "met")) ind->met = item_at(L, ynode_get(n, "met"),
                                              RULES_AGENCY);
  if (ynode_get(n, "known")) ind->known = item_at(L, ynode_get(n, "known"),
                                                  RULES_AGENCY);
  ind->district = item_at(L, ynode_get(n, "district"), RULES_DISTRICT);
  if (ynode_get(n, "district_met"))
    ind->district_met = item_at(L, ynode_get(n, "district_met"),
                                RULES_DISTRICT);
  ind->fmt = L->lay->fmt_number;
  if (f && (f->kind != YNODE_SCALAR ||
            !format_index(L->lay, f->text, &ind->fmt)))
    lerr(L, f, "format", "not one of the names under 'formats'");
}

static void load_indicators(struct lctx *L, const struct ynode *n,
                            struct layout_sheet *s)
{
  const struct ynode *ind = ynode_get(n, "indicators");
  const struct ynode *ti = ynode_get(n, "titles");
  const struct ynode *nf = ynode_get(n, "name_field");
  if (!ti || ti->kind != YNODE_SEQ || ti->n != 6) {
    lerr(L, ti ? ti : n, "titles", "expected the 6 column titles: agency, "
         "name, indicator, target, actual, met");
  } else {
    for (size_t i = 0; i < 6; i++)
      s->titles[i] = title_of(L, ti->items[i], "titles", ti);
  }
  memset(&s->name_col, 0, sizeof s->name_col);
  s->name_col.src = LAYOUT_FIELD;
  if (!nf || !field_at(L, nf, RULES_AGENCY, &s->name_col))
    lerr(L, nf ? nf : n, "name_field", "expected the agency's name column "
         "(agency.COLUMN)");
  if (!ind || ind->kind != YNODE_SEQ || ind->n == 0) {
    lerr(L, ind ? ind : n, "indicators", "expected a list of indicators");
    return;
  }
  s->ind = xcalloc(ind->n, sizeof *s->ind);
  for (; s->nind < ind->n; s->nind++)
    load_indicator(L, ind->items[s->nind], &s->ind[s->nind]);
}

static const char *const RUN_KEYS[LAYOUT_RUN_LABELS_ + 1] = {
  "heading", "month", "run", "rules_name", "rules_sha256", "engine",
  "operator", "created", "employees", "files", "role", "path", "sha256",
  "size", NULL
};

static void load_run_labels(struct lctx *L, const struct ynode *n,
                            struct layout_sheet *s)
{
  const struct ynode *lab = ynode_get(n, "labels");
  if (!is_map(L, lab, "labels") || !keys_ok(L, lab, RUN_KEYS, "labels"))
    return;
  for (size_t i = 0; i < LAYOUT_RUN_LABELS_; i++)
    s->labels[i] = title_of(L, ynode_get(lab, RUN_KEYS[i]), RUN_KEYS[i],
                            lab);
}

static const char *const ROWS_WORDS[] = {"agencies", "employees",
                                         "payslips", "indicators", "run",
                                         NULL};

/* Excel's sheet names: at most 31 characters, none of []:*?/\ . */
static void sheet_title(struct lctx *L, const struct ynode *n,
                        struct layout_sheet *s)
{
  s->title = title_of(L, ynode_get(n, "title"), "title", n);
  if (!s->title) return;
  if (utf8_chars(s->title) > LAYOUT_SHEET_TITLE_MAX ||
      strpbrk(s->title, "[]:*?/\\'\n"))
    lerr(L, ynode_get(n, "title"), "title", "a sheet title has at most %d "
         "characters and none of [ ] : * ? / \\ '",
         LAYOUT_SHEET_TITLE_MAX);
}

static void load_sheet(struct lctx *L, const struct ynode *n,
                       struct layout_sheet *s)
{
  static const char *const keys[] = {"title", "rows", "columns", "when",
    "freeze_columns", "chart", "indicators", "titles", "name_field",
    "labels", NULL};
  const struct ynode *rows = ynode_get(n, "rows");
  unsigned fc = 0;
  size_t k = 0;
  s->when = -1;
  s->pos = pos_of(L, n);
  if (!is_map(L, n, "a sheet") || !keys_ok(L, n, keys, "a sheet")) return;
  sheet_title(L, n, s);
  while (ROWS_WORDS[k] && !ynode_is(rows, ROWS_WORDS[k])) k++;
  if (!ROWS_WORDS[k]) {
    lerr(L, rows ? rows : n, "rows", "expected agencies, employees, "
         "payslips, indicators or run");
    return;
  }
  s->rows = (enum layout_rows)k;
  if (ynode_get(n, "freeze_columns") &&
      uint_of(L, ynode_get(n, "freeze_columns"), "freeze_columns", 20, &fc))
    s->freeze_cols = fc;
  if (s->rows == LAYOUT_ROWS_INDICATORS) load_indicators(L, n, s);
  else if (s->rows == LAYOUT_ROWS_RUN) load_run_labels(L, n, s);
  else load_columns(L, ynode_get(n, "columns"), rows_level(s->rows), false,
                    &s->ncols, &s->cols);
  if (ynode_get(n, "when")) {
    if (s->rows != LAYOUT_ROWS_EMPLOYEES) lerr(L, ynode_get(n, "when"),
                                               "when", "only for employees");
    s->when = item_at(L, ynode_get(n, "when"), RULES_EMPLOYEE);
  }
  if (ynode_get(n, "chart")) load_chart(L, ynode_get(n, "chart"), s);
}

/* ---- workbooks, bank file, journal ------------------------------------- */

/* A file name template: [A-Za-z0-9._-] and "{month}", with the suffix. */
static char *file_template(struct lctx *L, const struct ynode *n,
                           const char *suffix, const struct ynode *parent)
{
  char *t = text_of(L, n, "file", parent);
  size_t len = t ? strlen(t) : 0, sl = strlen(suffix);
  bool ok = t && len > sl && len <= LAYOUT_FILE_NAME_MAX && t[0] != '.' &&
            strcmp(t + len - sl, suffix) == 0;
  for (size_t i = 0; ok && i < len; i++) {
    char c = t[i];
    if (strncmp(t + i, "{month}", 7) == 0) i += 6;
    else ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
              (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
  }
  if (t && !ok) {
    lerr(L, n, "file", "a file name of letters, digits, '.', '_', '-' and "
         "{month}, not starting with '.', ending in %s", suffix);
    free(t);
    t = NULL;
  }
  return t;
}

/* Names used by `paysettle export NAME`: lowercase letters. */
static char *export_name(struct lctx *L, const struct ynode *n,
                         const struct ynode *parent)
{
  char *t = text_of(L, n, "name", parent);
  bool ok = t && t[0] && strcmp(t, "all") != 0;
  for (size_t i = 0; ok && t[i]; i++) ok = t[i] >= 'a' && t[i] <= 'z';
  if (t && !ok) {
    lerr(L, n, "name", "a name of lowercase letters other than 'all'");
    free(t);
    t = NULL;
  }
  return t;
}

/* A workbook for the district may not show a full ID or account. */
static void check_shared(struct lctx *L, const struct layout_book *b)
{
  for (size_t s = 0; s < b->nsheets; s++)
    for (size_t k = 0; k < b->sheets[s].ncols; k++) {
      const struct layout_column *c = &b->sheets[s].cols[k];
      enum rules_ctype t;
      if (c->src != LAYOUT_FIELD || c->masked) continue;
      t = column_schema(L->r, c)->type;
      if (t == RULES_C_RESIDENT_ID || t == RULES_C_DIGITS)
        diag_add(L->d, c->pos.file, c->pos.line, c->pos.col, "private",
                 "'%s' shows a full %s in a workbook that is not private; "
                 "mask it or mark the workbook private: true", c->title,
                 t == RULES_C_DIGITS ? "account number" : "ID number");
      L->ok &= !(t == RULES_C_RESIDENT_ID || t == RULES_C_DIGITS);
    }
}

static void load_book(struct lctx *L, const struct ynode *n,
                      struct layout_book *b)
{
  static const char *const keys[] = {"name", "file", "title", "private",
    "order", "sheets", NULL};
  const struct ynode *sh = ynode_get(n, "sheets"), *o = ynode_get(n,
                                                                "order");
  b->pos = pos_of(L, n);
  if (!is_map(L, n, "a workbook") || !keys_ok(L, n, keys, "a workbook"))
    return;
  b->name = export_name(L, ynode_get(n, "name"), n);
  b->file = file_template(L, ynode_get(n, "file"), ".xlsx", n);
  b->title = title_of(L, ynode_get(n, "title"), "title", n);
  b->personal = flag_of(L, ynode_get(n, "private"), "private", true);
  b->by_agency = ynode_is(o, "agency");
  if (o && !b->by_agency && !ynode_is(o, "employee"))
    lerr(L, o, "order", "expected agency or employee");
  if (!sh || sh->kind != YNODE_SEQ || sh->n == 0) {
    lerr(L, sh ? sh : n, "sheets", "expected a list of sheets");
    return;
  }
  b->sheets = xcalloc(sh->n, sizeof *b->sheets);
  for (; b->nsheets < sh->n; b->nsheets++)
    load_sheet(L, sh->items[b->nsheets], &b->sheets[b->nsheets]);
  for (size_t i = 0; i < b->nsheets; i++)
    for (size_t j = 0; j < i; j++)
      if (b->sheets[i].title && b->sheets[j].title &&
          strcmp(b->sheets[i].title, b->sheets[j].title) == 0)
        lerr(L, sh->items[i], "title", "a second sheet titled '%s'",
             b->sheets[i].title);
  if (!b->personal) check_shared(L, b);
}

static void load_bank(struct lctx *L, const struct ynode *n)
{
  static const char *const keys[] = {"name", "file", "when", "columns",
                                     NULL};
  struct layout_bank *b = &L->lay->bank;
  b->when = -1;
  b->pos = pos_of(L, n);
  if (!is_map(L, n, "bank") || !keys_ok(L, n, keys, "bank")) return;
  b->name = export_name(L, ynode_get(n, "name"), n);
  b->file = file_template(L, ynode_get(n, "file"), ".csv", n);
  if (ynode_get(n, "when"))
    b->when = item_at(L, ynode_get(n, "when"), RULES_EMPLOYEE);
  load_columns(L, ynode_get(n, "columns"), RULES_EMPLOYEE, true, &b->ncols,
               &b->cols);
  for (size_t k = 0; k < b->ncols; k++)
    if (strpbrk(b->cols[k].title, ",\"\n")) {
      diag_add(L->d, L->file, b->cols[k].pos.line, b->cols[k].pos.col,
               "title", "a bank file title has no comma, quote or line "
               "break");
      L->ok = false;
    }
  for (size_t k = 0; k < b->ncols; k++)
    if (b->cols[k].src == LAYOUT_BLANK || b->cols[k].masked) {
      diag_add(L->d, L->file, b->cols[k].pos.line, b->cols[k].pos.col,
               "bank", "a bank file column shows a value, unmasked");
      L->ok = false;
    }
}

static void load_journal(struct lctx *L, const struct ynode *n)
{
  static const char *const keys[] = {"name", "file", NULL};
  if (!is_map(L, n, "journal") || !keys_ok(L, n, keys, "journal")) return;
  L->lay->journal_name = export_name(L, ynode_get(n, "name"), n);
  L->lay->journal_file = file_template(L, ynode_get(n, "file"), ".journal",
                                       n);
}

/* Every export name and every file name once. */
static void check_unique(struct lctx *L, const struct ynode *n)
{
  const struct layout *lay = L->lay;
  const char *names[64], *files[64];
  size_t k = 0;
  for (size_t i = 0; i < lay->nbooks && k < 62; i++, k++) {
    names[k] = lay->books[i].name;
    files[k] = lay->books[i].file;
  }
  names[k] = lay->bank.name;
  files[k++] = lay->bank.file;
  names[k] = lay->journal_name;
  files[k++] = lay->journal_file;
  for (size_t i = 0; i < k; i++)
    for (size_t j = 0; j < i; j++) {
      if (names[i] && names[j] && strcmp(names[i], names[j]) == 0)
        lerr(L, n, "name", "two outputs are named '%s'", names[i]);
      if (files[i] && files[j] && strcmp(files[i], files[j]) == 0)
        lerr(L, n, "file", "two outputs write '%s'", files[i]);
    }
}

static void load_outputs(struct lctx *L, const struct ynode *n)
{
  static const char *const keys[] = {"style", "formats", "words",
    "workbooks", "bank", "journal", NULL};
  const struct ynode *wb = ynode_get(n, "workbooks");
  if (!is_map(L, n, "outputs") || !keys_ok(L, n, keys, "outputs")) return;
  load_style(L, ynode_get(n, "style"));
  load_formats(L, ynode_get(n, "formats"));
  load_words(L, ynode_get(n, "words"));
  if (!L->ok) return;                /* columns need the formats */
  if (!wb || wb->kind != YNODE_SEQ || wb->n == 0 || wb->n > 60) {
    lerr(L, wb ? wb : n, "workbooks", "expected a list of workbooks");
    return;
  }
  L->lay->books = xcalloc(wb->n, sizeof *L->lay->books);
  for (; L->lay->nbooks < wb->n; L->lay->nbooks++)
    load_book(L, wb->items[L->lay->nbooks],
              &L->lay->books[L->lay->nbooks]);
  load_bank(L, ynode_get(n, "bank"));
  load_journal(L, ynode_get(n, "journal"));
  check_unique(L, n);
}

struct layout *layout_load(const struct rules *r, struct diag_list *d)
{
  struct lctx L = {r, r->outputs_file, d, NULL, true};
  struct ydoc *doc;
  size_t before = diag_count(d);
  if (!r->outputs_file) {
    diag_add(d, r->files[0], 0, 0, "outputs", "the rule set has no "
             "'outputs' section: it does not say how to lay out the "
             "workbooks and files");
    return NULL;
  }
  doc = ydoc_load(r->outputs_file, d);
  if (!doc) return NULL;
  L.lay = xcalloc(1, sizeof *L.lay);
  L.lay->path = xstrdup(r->outputs_file);
  load_outputs(&L, ynode_get(doc->root, "outputs"));
  ydoc_free(doc);
  if (!L.ok || diag_count(d) != before) {
    layout_free(L.lay);
    return NULL;
  }
  return L.lay;
}

static void sheet_free(struct layout_sheet *s)
{
  for (size_t k = 0; k < s->ncols; k++) column_free(&s->cols[k]);
  free(s->cols);
  if (s->chart) {
    free(s->chart->title);
    free(s->chart->x_title);
    free(s->chart->y_title);
    free(s->chart->series);
    free(s->chart);
  }
  for (size_t i = 0; i < s->nind; i++) free(s->ind[i].title);
  free(s->ind);
  for (size_t i = 0; i < 6; i++) free(s->titles[i]);
  for (size_t i = 0; i < LAYOUT_RUN_LABELS_; i++) free(s->labels[i]);
  free(s->title);
}

void layout_free(struct layout *lay)
{
  if (!lay) return;
  for (size_t b = 0; b < lay->nbooks; b++) {
    for (size_t s = 0; s < lay->books[b].nsheets; s++)
      sheet_free(&lay->books[b].sheets[s]);
    free(lay->books[b].sheets);
    free(lay->books[b].name);
    free(lay->books[b].file);
    free(lay->books[b].title);
  }
  free(lay->books);
  for (size_t k = 0; k < lay->bank.ncols; k++)
    column_free(&lay->bank.cols[k]);
  free(lay->bank.cols);
  free(lay->bank.name);
  free(lay->bank.file);
  free(lay->journal_name);
  free(lay->journal_file);
  for (size_t i = 0; i < lay->nformats; i++) {
    free(lay->format_names[i]);
    free(lay->format_codes[i]);
  }
  free(lay->format_names);
  free(lay->format_codes);
  for (size_t i = 0; i < LAYOUT_WORDS_; i++) free(lay->words[i]);
  free(lay->font);
  free(lay->path);
  free(lay);
}

void layout_file_name(const char *tmpl, int ym, char *buf, size_t cap)
{
  char month[8];
  size_t n = 0;
  cal_format_month(ym, month);
  for (const char *s = tmpl; *s && n + 1 < cap; s++) {
    if (strncmp(s, "{month}", 7) == 0) {
      for (size_t i = 0; month[i] && n + 1 < cap; i++) buf[n++] = month[i];
      s += 6;
    } else {
      buf[n++] = *s;
    }
  }
  buf[n] = '\0';
}

void layout_page_text(const char *tmpl, const char *title,
                      const char *month, const char *file, char *out,
                      size_t cap)
{
  size_t o = 0;
  for (const char *s = tmpl; *s && o + 1 < cap; s++) {
    const char *v = strncmp(s, "{title}", 7) == 0 ? title
                  : strncmp(s, "{month}", 7) == 0 ? month
                  : strncmp(s, "{file}", 6) == 0 ? file : NULL;
    if (!v) {
      out[o++] = *s;
      continue;
    }
    s += strchr(s, '}') - s;
    for (; *v && o + 2 < cap; v++) {
      if (*v == '&') out[o++] = '&';
      out[o++] = *v;
    }
  }
  out[o] = '\0';
}
