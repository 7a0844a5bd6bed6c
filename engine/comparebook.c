/*
** comparebook.c -- the what-if comparison workbook (comparebook.h says what
** it holds and why).
**
** The rows are gathered first (every agency; the employees that change,
** sorted), then the sheets are written top to bottom, as libxlsxwriter's
** constant-memory mode wants: two title rows, the data rows, the notes
** and the chart. Column widths are set last, from the widest text seen.
*/
#include "comparebook.h"
#include "calendar.h"
#include "util.h"
#include "xlsxcell.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xlsxwriter.h>

/* Chart and page scales; a cell's number comes from xlsxcell_number. */
typedef double xlsx_num;

/* The baseline and every scenario. */
#define CB_SIDES_MAX (COMPAREBOOK_SCENARIOS_MAX + 1)
/* Two title rows: the group (a scenario, an item), then the column. */
#define CB_TITLE_ROWS 2
/* Data rows a sheet holds below its titles (Excel: 1,048,576 rows). */
#define CB_ROWS_MAX ((size_t)LXW_ROW_MAX - CB_TITLE_ROWS)
/* Column widths, in characters of the default font. */
#define CB_WIDTH_MIN 6
#define CB_WIDTH_MAX 50
/* A landscape A4 page holds this many characters of column width at a
** readable scale (as workbook.c). */
#define CB_PAGE_WIDTH 200
/* The chart's width in pixels (libxlsxwriter's default is 480): wide
** enough for the bars, narrow enough that the totals above it, printed
** on the same page, stay readable. */
#define CB_CHART_W_MIN 720
#define CB_CHART_W_MAX 1100
/* The longest text of a cell or title we build (labels are short). */
#define CB_TEXT_MAX 1200

/* The file name the page footer shows. */
static const char CB_FILE[] = "comparison.xlsx";

/* The words of the workbook. */
static const char CB_TITLE[] = "方案比较 What-if comparison";
static const char CB_SHEET_TOTALS[] = "汇总 Totals";
static const char CB_SHEET_AGENCIES[] = "单位 Agencies";
static const char CB_SHEET_EMPLOYEES[] = "人员 Employees";
static const char CB_SHEET_ITEMS[] = "项目 Items";

/* A row of the agencies' or the employees' sheet. */
struct crow {
  const char *id;
  const char *agency;                  /* employees: the agency's code */
  const struct money *v[CB_SIDES_MAX]; /* each side's row, or NULL */
  struct money key[CB_SIDES_MAX];      /* agencies: the key item summed */
  bool has_key[CB_SIDES_MAX];          /*   over the agency's employees */
  struct money size;                   /* employees: the largest |change|
                                          of the key item */
  size_t seq;                          /* order of first appearance */
};

/* Column groups of a sheet of rows: a column of the rows' level, or
** CB_GROUP_KEY (agencies: the key item's sums). */
#define CB_GROUP_KEY (-1)

struct csheet {
  lxw_worksheet *ws;
  const char *name;
  size_t ncols;
  unsigned *width;                     /* per column */
  lxw_row_t row;                       /* the next row to write */
};

struct cctx {
  const struct comparebook *b;
  const struct fig_vals *side[CB_SIDES_MAX];   /* 0: the baseline */
  size_t nsides;
  lxw_workbook *wb;
  lxw_format *head, *text, *label, *money, *count, *ratio, *pct;
  const char *money_code;
  lxw_error err;                       /* the first error */
  char where[160];
  char buf[CB_TEXT_MAX];
  struct crow *ag, *emp;               /* the rows of the two sheets */
  size_t nag, nemp;
  int *ag_groups, *emp_groups;
  size_t nag_groups, nemp_groups;
  struct csheet sh[4];
};

/* Keep the first libxlsxwriter error, and where it happened. */
static void note(struct cctx *x, lxw_error e, const char *what,
                 const struct csheet *s)
{
  if (e == LXW_NO_ERROR || x->err != LXW_NO_ERROR) return;
  x->err = e;
  snprintf(x->where, sizeof x->where, "%s%s%s", what, s ? " on sheet " : "",
           s ? s->name : "");
}

/* ---- figures ------------------------------------------------------------ */

bool comparebook_change(struct money *r, const struct money *d,
                        const struct money *b)
{
  struct money a = MONEY_ZERO, step = MONEY_ZERO;
  if (money_is_zero(b)) return false;
  money_abs(&a, b);
  (void)money_div(&a, d, &a);
  (void)money_set_frac(&step, 1, 10000);
  (void)money_round(r, &a, &step, MONEY_ROUND_HALF_AWAY);
  money_clear(&a);
  money_clear(&step);
  return true;
}

/* Side s's value of row r in group column col, or NULL. */
static const struct money *value(const struct crow *r, int col, size_t s)
{
  if (col == CB_GROUP_KEY) return r->has_key[s] ? &r->key[s] : NULL;
  return r->v[s] ? &r->v[s][col] : NULL;
}

/* *d = scenario s less the baseline (the scenario's value when the
** baseline has none); false when s has no value. */
static bool diff(struct money *d, const struct crow *r, int col, size_t s)
{
  const struct money *x = value(r, col, s), *b = value(r, col, 0);
  if (!x) return false;
  if (b) money_sub(d, x, b);
  else money_copy(d, x);
  return true;
}

/* Whether column col of row r differs in any scenario. */
static bool changes(const struct cctx *x, const struct crow *r, int col)
{
  struct money d = MONEY_ZERO;
  bool any = false;
  for (size_t s = 1; s < x->nsides && !any; s++)
    any = diff(&d, r, col, s) && !money_is_zero(&d);
  money_clear(&d);
  return any;
}

static bool amount_changes(const struct cctx *x, const struct crow *r,
                           int lv)
{
  const struct fig_cols *c = x->b->cols;
  for (size_t k = 0; k < c->n[lv]; k++)
    if (c->amount[lv][k] && changes(x, r, (int)k)) return true;
  return false;
}

static const char *label_zh(const struct cctx *x, int lv, size_t k)
{
  const struct rules_item *it = rules_item(x->b->r, x->b->cols->name[lv][k]);
  return it && it->zh ? it->zh : "";
}

/* "基本工资 base_salary": the item's Chinese label with its name. */
static void label(const struct cctx *x, int lv, size_t k, char *buf,
                  size_t cap)
{
  const char *zh = label_zh(x, lv, k);
  snprintf(buf, cap, "%s%s%s", zh, zh[0] ? " " : "",
           x->b->cols->name[lv][k]);
}

/* ---- the rows ----------------------------------------------------------- */

static struct crow *add_row(struct crow **rows, size_t *n, size_t *cap,
                            struct strmap *ix, const char *id)
{
  struct crow *r;
  xgrow(rows, cap, *n + 1, sizeof **rows);
  r = &(*rows)[*n];
  memset(r, 0, sizeof *r);
  for (size_t s = 0; s < CB_SIDES_MAX; s++) r->key[s] = MONEY_ZERO;
  r->size = MONEY_ZERO;
  r->id = id;
  r->seq = *n;
  (void)strmap_put(ix, id, (*n)++, NULL);
  return r;
}

/* Every agency of every side (the baseline's order, then any other's),
** with the key item summed over each side's employees. */
static void agency_rows(struct cctx *x)
{
  const struct fig_cols *c = x->b->cols;
  struct strmap ix;
  size_t cap = 0, i;
  strmap_init(&ix);
  for (size_t s = 0; s < x->nsides; s++)
    for (size_t a = 0; a < x->side[s]->nag; a++) {
      const char *id = x->side[s]->ag_id[a];
      if (!strmap_get(&ix, id, &i)) {
        add_row(&x->ag, &x->nag, &cap, &ix, id);
        i = x->nag - 1;
      }
      x->ag[i].v[s] = &x->side[s]->ag[a * c->n[1]];
    }
  for (size_t s = 0; x->b->key >= 0 && s < x->nsides; s++) {
    const struct fig_vals *v = x->side[s];
    for (size_t e = 0; e < v->nemp; e++) {
      struct crow *r;
      if (!strmap_get(&ix, v->emp_agency[e], &i)) {
        add_row(&x->ag, &x->nag, &cap, &ix, v->emp_agency[e]);
        i = x->nag - 1;
      }
      r = &x->ag[i];
      money_add(&r->key[s], &r->key[s],
                &v->emp[e * c->n[0] + (size_t)x->b->key]);
      r->has_key[s] = true;
    }
  }
  for (size_t s = 0; s < x->nsides; s++)
    for (i = 0; i < x->nag; i++) x->ag[i].has_key[s] |= !!x->ag[i].v[s];
  strmap_free(&ix);
}

static int by_size(const void *a, const void *b)
{
  const struct crow *x = a, *y = b;
  int c = money_cmp(&y->size, &x->size);        /* largest first */
  if (c) return c;
  return x->seq < y->seq ? -1 : x->seq > y->seq;  /* then roster order */
}

/* The employees whose amounts change in some scenario (each scenario's
** rows in order), the largest change of the key item first. */
static void employee_rows(struct cctx *x)
{
  const struct fig_cols *c = x->b->cols;
  struct strmap ix;
  struct money d = MONEY_ZERO;
  size_t cap = 0, i;
  strmap_init(&ix);
  for (size_t s = 1; s < x->nsides; s++)
    for (size_t e = 0; e < x->side[s]->nemp; e++) {
      struct crow t, *r;
      memset(&t, 0, sizeof t);
      t.id = x->side[s]->emp_id[e];
      if (strmap_get(&ix, t.id, &i)) continue;
      for (size_t j = 0; j < x->nsides; j++)
        if (strmap_get(&x->side[j]->emp_ix, t.id, &i))
          t.v[j] = &x->side[j]->emp[i * c->n[0]];
      if (!amount_changes(x, &t, 0)) continue;
      r = add_row(&x->emp, &x->nemp, &cap, &ix, t.id);
      memcpy(r->v, t.v, sizeof r->v);
      r->agency = x->side[s]->emp_agency[e];
      for (size_t j = 1; x->b->key >= 0 && j < x->nsides; j++) {
        if (!diff(&d, r, x->b->key, j)) continue;
        money_abs(&d, &d);
        if (money_cmp(&d, &r->size) > 0) money_copy(&r->size, &d);
      }
    }
  if (x->nemp) qsort(x->emp, x->nemp, sizeof *x->emp, by_size);
  money_clear(&d);
  strmap_free(&ix);
}

/* The column groups of a sheet of rows: the key item, then each amount
** item of level lv that changes in some row. */
static int *groups(const struct cctx *x, int lv, const struct crow *rows,
                   size_t n, size_t *ngroups)
{
  const struct fig_cols *c = x->b->cols;
  int *g = xcalloc(c->n[lv] + 2, sizeof *g);
  *ngroups = 0;
  if (x->b->key >= 0) g[(*ngroups)++] = lv == 0 ? x->b->key : CB_GROUP_KEY;
  for (size_t k = 0; k < c->n[lv]; k++) {
    bool any = false;
    if (!c->amount[lv][k] || (lv == 0 && (int)k == x->b->key)) continue;
    for (size_t i = 0; i < n && !any; i++) any = changes(x, &rows[i],
                                                         (int)k);
    if (any) g[(*ngroups)++] = (int)k;
  }
  return g;
}

static void rows_free(struct crow *rows, size_t n)
{
  for (size_t i = 0; i < n; i++) {
    for (size_t s = 0; s < CB_SIDES_MAX; s++) money_clear(&rows[i].key[s]);
    money_clear(&rows[i].size);
  }
  free(rows);
}

/* ---- cells -------------------------------------------------------------- */

static void widen(struct csheet *s, lxw_col_t c, unsigned w)
{
  if (c < s->ncols && w > s->width[c]) s->width[c] = w;
}

/* The width a number takes: its digits with separators, two decimals
** (up to four for a figure that is not an amount) and the sign; a percent
** its two decimals and '%'. */
static unsigned number_width(const struct money *v, bool pct)
{
  struct money a = MONEY_ZERO, h = MONEY_ZERO;
  char buf[64];
  size_t len, ints;
  int64_t fen;
  if (!pct && money_to_fen(v, &fen) == MONEY_OK) {
    uint64_t u = fen < 0 ? 0 - (uint64_t)fen : (uint64_t)fen;
    unsigned n = 1;
    for (u /= 100; u >= 10; u /= 10) n++;
    return n + 3 + (n - 1) / 3 + (fen < 0);
  }
  money_abs(&a, v);
  money_set_int(&h, 100);
  if (pct) money_mul(&a, &a, &h);
  if (money_format(&a, 2, pct ? 2 : 4, buf, sizeof buf) < 0) buf[0] = '\0';
  len = strlen(buf);
  ints = strchr(buf, '.') ? (size_t)(strchr(buf, '.') - buf) : len;
  money_clear(&a);
  money_clear(&h);
  return (unsigned)(len + (ints ? (ints - 1) / 3 : 0) +
                    (money_sgn(v) < 0) + pct);
}

/* Text, always as text; with a leading apostrophe when a spreadsheet
** would take it for a formula. wide: the text widens its column. */
static void put_text(struct cctx *x, struct csheet *s, lxw_col_t c,
                     const char *t, lxw_format *f, bool wide)
{
  if (t[0] && strchr("=+-@\t\r", t[0])) {
    snprintf(x->buf, sizeof x->buf, "'%s", t);
    t = x->buf;
  }
  note(x, worksheet_write_string(s->ws, s->row, c, t, f), "writing text", s);
  if (wide) widen(s, c, util_text_width(t, strlen(t)));
}

/* An amount (the money format) or another figure: a count, or a rate
** with up to four decimals. */
static void put_number(struct cctx *x, struct csheet *s, lxw_col_t c,
                       const struct money *v, bool amount)
{
  lxw_format *f = amount ? x->money
                : money_is_integer(v) ? x->count : x->ratio;
  note(x, worksheet_write_number(s->ws, s->row, c, xlsxcell_number(v), f),
       "writing a number", s);
  widen(s, c, number_width(v, false));
}

static void put_blank(struct cctx *x, struct csheet *s, lxw_col_t c)
{
  note(x, worksheet_write_blank(s->ws, s->row, c, x->text), "a blank cell",
       s);
}

/* The change of d against b in percent, or a blank cell. */
static void put_change(struct cctx *x, struct csheet *s, lxw_col_t c,
                       const struct money *d, const struct money *b)
{
  struct money q = MONEY_ZERO;
  if (b && comparebook_change(&q, d, b)) {
    note(x, worksheet_write_number(s->ws, s->row, c, xlsxcell_number(&q),
                                   x->pct), "writing a percent", s);
    widen(s, c, number_width(&q, true));
  } else {
    put_blank(x, s, c);
  }
  money_clear(&q);
}

/* ---- formats and titles ------------------------------------------------- */

/* libxlsxwriter returns NULL only when malloc fails; like xmalloc, stop. */
static lxw_format *add_format(struct cctx *x)
{
  lxw_format *f = workbook_add_format(x->wb);
  if (!f) {
    fprintf(stderr, "paysettle: out of memory in libxlsxwriter\n");
    exit(2);
  }
  return f;
}

static lxw_format *new_format(struct cctx *x, bool border)
{
  const struct layout *lay = x->b->lay;
  lxw_format *f = add_format(x);
  if (lay) {
    format_set_font_name(f, lay->font);
    format_set_font_size(f, lay->font_size);
  }
  if (border) format_set_border(f, LXW_BORDER_THIN);
  format_set_align(f, LXW_ALIGN_VERTICAL_CENTER);
  return f;
}

static void make_formats(struct cctx *x)
{
  const struct layout *lay = x->b->lay;
  x->money_code = lay ? lay->format_codes[lay->fmt_money] : "#,##0.00";
  x->head = new_format(x, true);
  format_set_bold(x->head);
  format_set_text_wrap(x->head);
  format_set_align(x->head, LXW_ALIGN_CENTER);
  format_set_bg_color(x->head, lay ? lay->header_fill : 0xDDEBF7);
  x->text = new_format(x, true);
  x->label = new_format(x, false);
  x->money = new_format(x, true);
  format_set_num_format(x->money, x->money_code);
  x->count = new_format(x, true);
  format_set_num_format(x->count, "#,##0");
  x->ratio = new_format(x, true);
  format_set_num_format(x->ratio, "#,##0.00##");
  x->pct = new_format(x, true);
  format_set_num_format(x->pct, "0.00%");
}

/* A title row of strings (NULL: a blank title cell); each line of a title
** widens its column. */
static void title_row(struct cctx *x, struct csheet *s, const char **t,
                      size_t n, unsigned lines)
{
  unsigned size = x->b->lay ? x->b->lay->font_size : 11;
  note(x, worksheet_set_row(s->ws, s->row, (size + 4.0) * lines, NULL),
       "a title row", s);
  for (size_t k = 0; k < n; k++) {
    const char *line = t[k];
    if (!t[k]) {
      note(x, worksheet_write_blank(s->ws, s->row, (lxw_col_t)k, x->head),
           "a title", s);
      continue;
    }
    note(x, worksheet_write_string(s->ws, s->row, (lxw_col_t)k, t[k],
                                   x->head), "a title", s);
    while (line) {
      const char *nl = strchr(line, '\n');
      size_t len = nl ? (size_t)(nl - line) : strlen(line);
      widen(s, (lxw_col_t)k, util_text_width(line, len));
      line = nl ? nl + 1 : NULL;
    }
  }
  s->row++;
}

/* A group title over columns first..last of the first title row. */
static void group_title(struct cctx *x, struct csheet *s, size_t first,
                        size_t last, const char *t)
{
  if (first == last)
    note(x, worksheet_write_string(s->ws, 0, (lxw_col_t)first, t, x->head),
         "a group title", s);
  else
    note(x, worksheet_merge_range(s->ws, 0, (lxw_col_t)first, 0,
                                  (lxw_col_t)last, t, x->head),
         "a group title", s);
}

/* A sheet with ncols columns, its print setup and frozen titles. */
static bool add_sheet(struct cctx *x, struct csheet *s, const char *name,
                      size_t ncols, size_t freeze_cols)
{
  char h[LXW_HEADER_FOOTER_MAX + 1];
  s->name = name;
  s->ncols = ncols;
  s->width = xcalloc(ncols + 1, sizeof *s->width);
  s->ws = workbook_add_worksheet(x->wb, name);
  if (!s->ws) {
    note(x, LXW_ERROR_MEMORY_MALLOC_FAILED, "adding a sheet", s);
    return false;
  }
  worksheet_set_landscape(s->ws);
  worksheet_set_paper(s->ws, 9);
  worksheet_set_margins(s->ws, 0.4, 0.4, 0.6, 0.6);
  if (x->b->lay) {
    layout_page_text(x->b->lay->words[LAYOUT_WORD_HEADER], CB_TITLE,
                   x->b->period, CB_FILE, h, sizeof h);
    note(x, worksheet_set_header(s->ws, h), "the page header", s);
    layout_page_text(x->b->lay->words[LAYOUT_WORD_FOOTER], CB_TITLE,
                   x->b->period, CB_FILE, h, sizeof h);
    note(x, worksheet_set_footer(s->ws, h), "the page footer", s);
  }
  note(x, worksheet_repeat_rows(s->ws, 0, CB_TITLE_ROWS - 1),
       "the print titles", s);
  worksheet_freeze_panes(s->ws, CB_TITLE_ROWS, (lxw_col_t)freeze_cols);
  return true;
}

/* The autofilter over the column titles and n data rows. */
static void autofilter(struct cctx *x, struct csheet *s, size_t n)
{
  note(x, worksheet_autofilter(s->ws, CB_TITLE_ROWS - 1, 0,
                               (lxw_row_t)(CB_TITLE_ROWS - 1 + n),
                               (lxw_col_t)(s->ncols - 1)),
       "the autofilter", s);
}

/* ---- 汇总 Totals and 项目 Items: a row per item ------------------------- */

/* Titles: item, name, baseline under caption, then per scenario value,
** difference, percent under the scenario's name. */
static void item_titles(struct cctx *x, struct csheet *s, const char *caption)
{
  const char *t[3 + 3 * COMPAREBOOK_SCENARIOS_MAX];
  char names[COMPAREBOOK_SCENARIOS_MAX][80];
  size_t n = 0;
  for (size_t k = 0; k < 3; k++) t[n++] = NULL;
  for (size_t i = 0; i < x->b->nsc; i++) {
    snprintf(names[i], sizeof names[i], "方案 %s Scenario %s",
             x->b->sc[i].name, x->b->sc[i].name);
    t[n++] = NULL;
    t[n++] = NULL;
    t[n++] = NULL;
  }
  title_row(x, s, t, n, 1);
  group_title(x, s, 0, 2, caption);
  for (size_t i = 0; i < x->b->nsc; i++)
    group_title(x, s, 3 + 3 * i, 5 + 3 * i, names[i]);
  n = 0;
  t[n++] = "项目\nItem";
  t[n++] = "名称\nName";
  t[n++] = "基线\nBaseline";
  for (size_t i = 0; i < x->b->nsc; i++) {
    t[n++] = "方案值\nScenario";
    t[n++] = "差额\nDifference";
    t[n++] = "变动\nChange";
  }
  title_row(x, s, t, n, 2);
}

/* One item's row: its values per side (vals[s], never NULL). */
static void item_row(struct cctx *x, struct csheet *s, int lv, size_t k,
                     const struct money *const *vals, bool amount)
{
  struct money d = MONEY_ZERO;
  lxw_col_t c = 3;
  put_text(x, s, 0, label_zh(x, lv, k), x->text, true);
  put_text(x, s, 1, x->b->cols->name[lv][k], x->text, true);
  put_number(x, s, 2, vals[0], amount);
  for (size_t i = 1; i < x->nsides; i++) {
    money_sub(&d, vals[i], vals[0]);
    put_number(x, s, c++, vals[i], amount);
    put_number(x, s, c++, &d, amount);
    put_change(x, s, c++, &d, vals[0]);
  }
  s->row++;
  money_clear(&d);
}

static void totals_sheet(struct cctx *x, struct csheet *s)
{
  const struct fig_cols *c = x->b->cols;
  const struct money *vals[CB_SIDES_MAX];
  item_titles(x, s, x->b->lay ? x->b->lay->words[LAYOUT_WORD_DISTRICT]
                              : "全区 District");
  autofilter(x, s, c->n[2]);
  for (size_t k = 0; k < c->n[2]; k++) {
    for (size_t i = 0; i < x->nsides; i++) vals[i] = &x->side[i]->dist[k];
    item_row(x, s, 2, k, vals, c->amount[2][k]);
  }
}

/* Every employee amount item summed over the employees, the key item
** first (it may be a figure that is not an amount, as employer_cost). */
static void items_sheet(struct cctx *x, struct csheet *s)
{
  const struct fig_cols *c = x->b->cols;
  size_t n0 = c->n[0], rows = 0;
  struct money *sum[CB_SIDES_MAX];
  const struct money *vals[CB_SIDES_MAX];
  size_t *order = xcalloc(n0 + 1, sizeof *order);
  if (x->b->key >= 0) order[rows++] = (size_t)x->b->key;
  for (size_t k = 0; k < n0; k++)
    if (c->amount[0][k] && (int)k != x->b->key) order[rows++] = k;
  for (size_t i = 0; i < x->nsides; i++) {
    const struct fig_vals *v = x->side[i];
    sum[i] = money_zeros(n0);
    for (size_t e = 0; e < v->nemp; e++)
      for (size_t k = 0; k < n0; k++)
        money_add(&sum[i][k], &sum[i][k], &v->emp[e * n0 + k]);
  }
  item_titles(x, s, "人员合计 Sum of employees");
  autofilter(x, s, rows);
  for (size_t j = 0; j < rows; j++) {
    for (size_t i = 0; i < x->nsides; i++) vals[i] = &sum[i][order[j]];
    item_row(x, s, 0, order[j], vals, true);
  }
  for (size_t i = 0; i < x->nsides; i++) {
    for (size_t k = 0; k < n0; k++) money_clear(&sum[i][k]);
    free(sum[i]);
  }
  free(order);
}

/* ---- 单位 Agencies and 人员 Employees: a row per agency or employee ----- */

/* Columns of a sheet of rows: nfix for who the row is, then per group the
** baseline and per scenario its value and the difference. */
static size_t row_cols(const struct cctx *x, size_t nfix, size_t ngroups)
{
  return nfix + ngroups * (1 + 2 * x->b->nsc);
}

static void row_titles(struct cctx *x, struct csheet *s, int lv,
                       const int *g, size_t ng, const char *const *fixed,
                       size_t nfix)
{
  size_t per = 1 + 2 * x->b->nsc, n = 0;
  const char **t = xcalloc(s->ncols + 1, sizeof *t);
  char (*sub)[80] = xcalloc(2 * x->b->nsc + 1, sizeof *sub);
  char cap[CB_TEXT_MAX];
  title_row(x, s, t, s->ncols, 1);                 /* all blank first */
  for (size_t j = 0; j < ng; j++) {
    if (g[j] == CB_GROUP_KEY) {
      label(x, 0, (size_t)x->b->key, cap, sizeof cap);
      snprintf(cap + strlen(cap), sizeof cap - strlen(cap),
               " (人员合计 sum of employees)");
    } else {
      label(x, lv, (size_t)g[j], cap, sizeof cap);
    }
    group_title(x, s, nfix + j * per, nfix + j * per + per - 1, cap);
  }
  for (size_t k = 0; k < nfix; k++) t[n++] = fixed[k];
  for (size_t i = 0; i < x->b->nsc; i++) {
    snprintf(sub[2 * i], sizeof sub[0], "方案 %s\nScenario",
             x->b->sc[i].name);
    snprintf(sub[2 * i + 1], sizeof sub[0], "差额 %s\nDifference",
             x->b->sc[i].name);
  }
  for (size_t j = 0; j < ng; j++) {
    t[n++] = "基线\nBaseline";
    for (size_t i = 0; i < 2 * x->b->nsc; i++) t[n++] = sub[i];
  }
  title_row(x, s, t, n, 2);
  free(sub);
  free(t);
}

/* The cells of row r from column c on, group by group. */
static void row_cells(struct cctx *x, struct csheet *s, const struct crow *r,
                      int lv, const int *g, size_t ng, lxw_col_t c)
{
  struct money d = MONEY_ZERO;
  for (size_t j = 0; j < ng; j++) {
    bool amount = g[j] == CB_GROUP_KEY || x->b->cols->amount[lv][g[j]] ||
                  (lv == 0 && g[j] == x->b->key);
    const struct money *b = value(r, g[j], 0);
    if (b) put_number(x, s, c++, b, amount);
    else put_blank(x, s, c++);
    for (size_t i = 1; i < x->nsides; i++) {
      const struct money *v = value(r, g[j], i);
      if (v) put_number(x, s, c++, v, amount);
      else put_blank(x, s, c++);
      if (diff(&d, r, g[j], i)) put_number(x, s, c++, &d, amount);
      else put_blank(x, s, c++);
    }
  }
  money_clear(&d);
}

static void agencies_sheet(struct cctx *x, struct csheet *s)
{
  static const char *const fixed[] = {"单位\nAgency"};
  row_titles(x, s, 1, x->ag_groups, x->nag_groups, fixed, 1);
  autofilter(x, s, x->nag);
  for (size_t i = 0; i < x->nag; i++) {
    put_text(x, s, 0, x->ag[i].id, x->text, true);
    row_cells(x, s, &x->ag[i], 1, x->ag_groups, x->nag_groups, 1);
    s->row++;
  }
}

static void employees_sheet(struct cctx *x, struct csheet *s)
{
  static const char *const fixed[] = {"工号\nEmployee", "单位\nAgency"};
  row_titles(x, s, 0, x->emp_groups, x->nemp_groups, fixed, 2);
  autofilter(x, s, x->nemp);
  for (size_t i = 0; i < x->nemp; i++) {
    put_text(x, s, 0, x->emp[i].id, x->text, true);
    put_text(x, s, 1, x->emp[i].agency, x->text, true);
    row_cells(x, s, &x->emp[i], 0, x->emp_groups, x->nemp_groups, 2);
    s->row++;
  }
}

/* ---- the notes and the chart (below the totals) ------------------------- */

static void note_line(struct cctx *x, struct csheet *s, const char *what,
                      const char *text)
{
  put_text(x, s, 0, what, x->label, false);
  put_text(x, s, 1, text, x->label, false);
  s->row++;
}

static void notes(struct cctx *x, struct csheet *s)
{
  char buf[CB_TEXT_MAX], what[120];
  s->row++;
  note_line(x, s, "期间 Period", x->b->period);
  note_line(x, s, "基线 Baseline", x->b->basis ? x->b->basis : "");
  for (size_t i = 0; i < x->b->nsc; i++) {
    snprintf(what, sizeof what, "方案 %s", x->b->sc[i].name);
    note_line(x, s, what, x->b->sc[i].what ? x->b->sc[i].what : "");
  }
  if (x->b->key >= 0) {
    label(x, 0, (size_t)x->b->key, buf, sizeof buf);
    note_line(x, s, "排序 Ranked by", buf);
  }
}

/* A column chart of the key item's difference per agency (the agencies
** sheet's key group), one series per scenario, below the notes. */
static void chart(struct cctx *x, struct csheet *s, const struct csheet *ag)
{
  lxw_chart *ch;
  lxw_chart_font font, small;
  lxw_chart_options opt;
  char cat[300], val[300], col[16], name[64], title[CB_TEXT_MAX];
  unsigned first = CB_TITLE_ROWS + 1, last = CB_TITLE_ROWS + (unsigned)x->nag;
  unsigned w;
  if (x->b->key < 0 || x->nag == 0) return;
  ch = workbook_add_chart(x->wb, LXW_CHART_COLUMN);
  if (!ch) {
    note(x, LXW_ERROR_MEMORY_MALLOC_FAILED, "the chart", s);
    return;
  }
  snprintf(cat, sizeof cat, "='%s'!$A$%u:$A$%u", ag->name, first, last);
  for (size_t i = 0; i < x->b->nsc; i++) {
    lxw_chart_series *se;
    lxw_col_to_name(col, (lxw_col_t)(1 + 2 + 2 * i), 1);
    snprintf(val, sizeof val, "='%s'!%s$%u:%s$%u", ag->name, col, first,
             col, last);
    se = chart_add_series(ch, cat, val);
    if (!se) {
      note(x, LXW_ERROR_MEMORY_MALLOC_FAILED, "a chart series", s);
      return;
    }
    chart_series_set_name(se, x->b->sc[i].name);
  }
  memset(&font, 0, sizeof font);
  if (x->b->lay) {
    snprintf(name, sizeof name, "%s", x->b->lay->font);
    font.name = name;
  }
  font.size = 12;
  font.bold = 1;
  small = font;
  small.size = 9;
  small.bold = 0;
  snprintf(title, sizeof title, "%s差额(按单位) Difference of %s by agency",
           label_zh(x, 0, (size_t)x->b->key),
           x->b->cols->name[0][x->b->key]);
  chart_title_set_name(ch, title);
  chart_title_set_name_font(ch, &font);
  chart_axis_set_name(ch->x_axis, "单位 Agency");
  chart_axis_set_name(ch->y_axis, "差额 Difference");
  chart_axis_set_name_font(ch->x_axis, &small);
  chart_axis_set_name_font(ch->y_axis, &small);
  small.rotation = x->nag > 8 ? -45 : 0;
  chart_axis_set_num_font(ch->x_axis, &small);
  small.rotation = 0;
  chart_axis_set_num_font(ch->y_axis, &small);
  chart_axis_set_num_format(ch->y_axis, "#,##0");
  chart_axis_set_label_position(ch->x_axis, LXW_CHART_AXIS_LABEL_POSITION_LOW);
  chart_legend_set_position(ch, LXW_CHART_LEGEND_BOTTOM);
  chart_legend_set_font(ch, &small);
  chart_set_series_gap(ch, 60);
  memset(&opt, 0, sizeof opt);
  w = 160 + 12 * (unsigned)x->nag * (unsigned)(x->b->nsc + 1);  /* px */
  opt.x_scale = (xlsx_num)(w < CB_CHART_W_MIN ? CB_CHART_W_MIN
                         : w > CB_CHART_W_MAX ? CB_CHART_W_MAX : w) / 480;
  opt.y_scale = 1.5;
  note(x, worksheet_insert_chart_opt(s->ws, s->row + 1, 0, ch, &opt),
       "the chart", s);
}

/* ---- the workbook ------------------------------------------------------- */

/* Column widths from the widest text; a sheet of agencies or employees on
** as many pages across as keep it readable, who the row is repeated on
** each; pages_down 0: as many as the rows take. */
static void set_widths(struct cctx *x, struct csheet *s, size_t freeze,
                       bool pages_across, uint16_t pages_down)
{
  unsigned total = 0, pages;
  for (size_t k = 0; k < s->ncols; k++) {
    unsigned w = s->width[k] + 2;
    s->width[k] = w < CB_WIDTH_MIN ? CB_WIDTH_MIN
                : w > CB_WIDTH_MAX ? CB_WIDTH_MAX : w;
    total += s->width[k];
    note(x, worksheet_set_column(s->ws, (lxw_col_t)k, (lxw_col_t)k,
                                 s->width[k], NULL), "a column width", s);
  }
  pages = pages_across ? (total + CB_PAGE_WIDTH - 1) / CB_PAGE_WIDTH : 1;
  if (pages < 1) pages = 1;
  worksheet_fit_to_pages(s->ws, (uint16_t)pages, pages_down);
  if (pages > 1 && freeze)
    note(x, worksheet_repeat_columns(s->ws, 0, (lxw_col_t)(freeze - 1)),
         "the print titles", s);
}

static void write_sheets(struct cctx *x)
{
  struct csheet *tot = &x->sh[0], *ag = &x->sh[1], *emp = &x->sh[2],
                *it = &x->sh[3];
  if (!add_sheet(x, tot, CB_SHEET_TOTALS, 3 + 3 * x->b->nsc, 2) ||
      !add_sheet(x, ag, CB_SHEET_AGENCIES,
                 row_cols(x, 1, x->nag_groups), 1) ||
      !add_sheet(x, emp, CB_SHEET_EMPLOYEES,
                 row_cols(x, 2, x->nemp_groups), 2) ||
      !add_sheet(x, it, CB_SHEET_ITEMS, 3 + 3 * x->b->nsc, 2))
    return;
  totals_sheet(x, tot);
  notes(x, tot);
  chart(x, tot, ag);
  agencies_sheet(x, ag);
  employees_sheet(x, emp);
  items_sheet(x, it);
  set_widths(x, tot, 2, false, 1);      /* the totals with their chart */
  set_widths(x, ag, 1, true, 0);
  set_widths(x, emp, 2, true, 0);
  set_widths(x, it, 2, false, 0);
}

static void ctx_free(struct cctx *x)
{
  rows_free(x->ag, x->nag);
  rows_free(x->emp, x->nemp);
  free(x->ag_groups);
  free(x->emp_groups);
  for (size_t i = 0; i < 4; i++) free(x->sh[i].width);
}

bool comparebook_write(const struct comparebook *b, const char *path,
                       const char *tmpdir, struct diag_list *d)
{
  struct cctx x;
  char tmp[4096], title[200], author[] = "paysettle";
  lxw_workbook_options opt = {LXW_TRUE, tmpdir ? tmp : NULL, LXW_FALSE};
  lxw_doc_properties props;
  size_t before = diag_count(d);
  memset(&x, 0, sizeof x);
  x.b = b;
  if (b->nsc == 0 || b->nsc > COMPAREBOOK_SCENARIOS_MAX) {
    diag_add(d, path, 0, 0, NULL, "%zu scenarios: a comparison holds 1 to "
             "%d", b->nsc, COMPAREBOOK_SCENARIOS_MAX);
    return false;
  }
  x.side[0] = b->base;
  for (size_t i = 0; i < b->nsc; i++) x.side[i + 1] = b->sc[i].v;
  x.nsides = b->nsc + 1;
  agency_rows(&x);
  employee_rows(&x);
  if (x.nemp > CB_ROWS_MAX || x.nag > CB_ROWS_MAX) {
    diag_add(d, path, 0, 0, NULL, "%zu employees change: more than a sheet "
             "holds (%zu); the CSV files list them", x.nemp, CB_ROWS_MAX);
    ctx_free(&x);
    return false;
  }
  x.ag_groups = groups(&x, 1, x.ag, x.nag, &x.nag_groups);
  x.emp_groups = groups(&x, 0, x.emp, x.nemp, &x.nemp_groups);
  snprintf(tmp, sizeof tmp, "%s", tmpdir ? tmpdir : "");
  x.wb = workbook_new_opt(path, &opt);
  if (!x.wb) {
    diag_add(d, path, 0, 0, NULL, "libxlsxwriter could not start the "
             "workbook");
    ctx_free(&x);
    return false;
  }
  snprintf(title, sizeof title, "%s %s", CB_TITLE, b->period);
  memset(&props, 0, sizeof props);
  props.title = title;
  props.author = author;
  props.created = (time_t)cal_month_last(b->ym_last) * 86400;
  note(&x, workbook_set_properties(x.wb, &props), "the properties", NULL);
  make_formats(&x);
  write_sheets(&x);
  note(&x, workbook_close(x.wb), "closing the workbook", NULL);
  if (x.err != LXW_NO_ERROR)
    diag_add(d, path, 0, 0, NULL, "%s: %s", x.where, lxw_strerror(x.err));
  ctx_free(&x);
  return x.err == LXW_NO_ERROR && diag_count(d) == before;
}
