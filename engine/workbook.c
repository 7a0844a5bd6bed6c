/*
** workbook.c -- one workbook of the layout (workbook.h says what it looks
** like and why).
**
** The order of work follows libxlsxwriter's constant-memory mode, where a
** worksheet's rows must be written top to bottom: every sheet and every
** continuation part is created first (so the tabs are in layout order),
** each with its title row; the small sheets (agencies, indicators, the
** run) are written whole; then one pass over the ledger's employees adds
** a row to each employee sheet; then each sheet's autofilter and totals
** row close it. Column widths are set last, from the widest text seen.
*/
#include "workbook.h"
#include "calendar.h"
#include "util.h"
#include "xlsxcell.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xlsxwriter.h>

/* Chart and page scales. A cell's number, which Excel stores as an IEEE
** double, is made from an exact value by xlsxcell_number and nowhere else. */
typedef double xlsx_num;

/* The longest text of one cell (input fields are at most 1,024 bytes). */
#define WB_TEXT_MAX 1200
/* Column widths, in characters of the default font. */
#define WB_WIDTH_MIN 6
#define WB_WIDTH_MAX 60
/* Parts of one sheet: 64 x 1,048,574 employees. */
#define WB_PARTS_MAX 64
/* A landscape A4 page holds this many characters of column width at a
** scale that is still readable (about 70%). */
#define WB_PAGE_WIDTH 200
/* A4 landscape inside the margins, in points (a little less than the
** paper's 297 x 210 mm less margins, header and footer). */
#define WB_PAGE_W_PT 780
#define WB_PAGE_H_PT 470
/* A long Chinese title wraps (at any character) rather than widen its
** column beyond this. */
#define WB_TITLE_WRAP 14
/* Lines of a column title. */
#define WB_TITLE_LINES_MAX 4

struct part {
  lxw_worksheet *ws;
  char name[128];                /* the sheet's name */
  char quoted[140];              /* as a formula names it: 'name' */
  size_t entries;                /* employees written into it */
};

/* Column titles, split into lines once (a pay strip repeats them). */
struct titles {
  size_t n;
  char **text;
  unsigned *width;
  unsigned lines;                /* of the tallest */
};

struct wsheet {
  const struct layout_sheet *ls;
  struct part parts[WB_PARTS_MAX];
  size_t nparts, cur;
  size_t per_part;               /* employees a part holds */
  size_t entries;                /* employees it will have (all parts) */
  lxw_row_t row;                 /* next row of the current part */
  unsigned *width;               /* per column */
  struct money *sums;            /* per column: the exact total */
  struct titles titles;          /* of the columns */
};

struct wctx {
  struct outputs_month *m;
  const struct layout_book *b;
  const struct layout *lay;
  lxw_workbook *wb;
  lxw_format *head, *text, *text_total, *bold;
  lxw_format **num, **num_total;  /* per layout format */
  struct wsheet *sh;              /* per layout sheet */
  struct wsheet *run;             /* the run sheet being written */
  lxw_error err;                  /* the first error */
  char where[200];
  char header[LXW_HEADER_FOOTER_MAX + 1], footer[LXW_HEADER_FOOTER_MAX + 1];
  char file[LAYOUT_FILE_NAME_MAX + 16];
  char buf[WB_TEXT_MAX];
  struct diag_list *d;
};

/* Keep the first libxlsxwriter error, and where it happened. */
static void note(struct wctx *x, lxw_error e, const char *what,
                 const struct part *p)
{
  if (e == LXW_NO_ERROR || x->err != LXW_NO_ERROR) return;
  x->err = e;
  snprintf(x->where, sizeof x->where, "%s%s%s", what, p ? " on sheet " : "",
           p ? p->name : "");
}

/* ---- numbers and text --------------------------------------------------- */

/* The width a number takes in format code: its digits, separators, sign,
** two decimals, a percent sign. */
static unsigned number_width(const struct money *v, const char *code)
{
  struct money a = MONEY_ZERO, hundred = MONEY_ZERO;
  char buf[80];
  bool pct = strchr(code, '%') != NULL, sep = strchr(code, ',') != NULL;
  size_t len, ints;
  int64_t fen;
  if (!pct && money_to_fen(v, &fen) == MONEY_OK) {  /* the common case */
    uint64_t u = fen < 0 ? 0 - (uint64_t)fen : (uint64_t)fen;
    for (ints = 1, u /= 100; u >= 10; u /= 10) ints++;
    return (unsigned)(ints + 3 + (sep ? (ints - 1) / 3 : 0) + (fen < 0));
  }
  money_abs(&a, v);
  if (pct) {
    money_set_int(&hundred, 100);
    money_mul(&a, &a, &hundred);
  }
  if (money_format(&a, 2, 2, buf, sizeof buf) < 0) buf[0] = '\0';
  len = strlen(buf);
  ints = strchr(buf, '.') ? (size_t)(strchr(buf, '.') - buf) : len;
  money_clear(&a);
  return (unsigned)(len + (sep && ints ? (ints - 1) / 3 : 0) +
                    (money_sgn(v) < 0) + pct);
}

static void widen(unsigned *w, unsigned width)
{
  if (w && width > *w) *w = width;
}

/* Text from the inputs or the ledger, always as text; with a leading
** apostrophe when a spreadsheet would take it for a formula. */
static void put_text(struct wctx *x, const struct part *p, lxw_row_t r,
                     lxw_col_t c, const char *s, lxw_format *f, unsigned *w)
{
  const char *t = s;
  if (s[0] && strchr("=+-@\t\r", s[0])) {
    snprintf(x->buf, sizeof x->buf, "'%s", s);
    t = x->buf;
  }
  note(x, worksheet_write_string(p->ws, r, c, t, f), "writing text", p);
  widen(w, util_text_width(t, strlen(t)));
}

static void put_number(struct wctx *x, const struct part *p, lxw_row_t r,
                       lxw_col_t c, const struct money *v, size_t fmt,
                       unsigned *w)
{
  note(x, worksheet_write_number(p->ws, r, c, xlsxcell_number(v), x->num[fmt]),
       "writing a number", p);
  widen(w, number_width(v, x->lay->format_codes[fmt]));
}

/* A title split into lines: at "\n", else between its Chinese and its
** English ("应发工资 Gross pay" -> "应发工资" / "Gross pay"). *width is what
** the title needs of its column: the first line up to WB_TITLE_WRAP, and
** the longest word of the others, which wrap. Returns the lines it then
** takes. */
static unsigned title_lines(const char *title, char *buf, size_t cap,
                            unsigned *width)
{
  bool cjk = false, split = strchr(title, '\n') != NULL;
  unsigned lines = 0;
  bool first = true;
  const char *line;
  snprintf(buf, cap, "%s", title);
  for (char *p = buf; !split && *p; p++) {
    cjk |= (unsigned char)*p >= 0x80;
    if (*p == ' ' && cjk && (unsigned char)p[1] < 0x80) {
      *p = '\n';
      split = true;
    }
  }
  *width = 0;
  for (line = buf; line; first = false) {   /* line 1, others' words */
    const char *nl = strchr(line, '\n');
    size_t len = nl ? (size_t)(nl - line) : strlen(line), start = 0;
    for (size_t i = 0; i <= len; i++) {
      unsigned w;
      if (i < len && (first || line[i] != ' ')) continue;
      w = util_text_width(line + start, i - start);
      widen(width, first && w > WB_TITLE_WRAP ? WB_TITLE_WRAP : w);
      start = i + 1;
    }
    line = nl ? nl + 1 : NULL;
  }
  if (*width == 0) *width = 1;
  for (line = buf; line;) {             /* the lines at that width */
    const char *nl = strchr(line, '\n');
    size_t len = nl ? (size_t)(nl - line) : strlen(line);
    unsigned lw = util_text_width(line, len);
    lines += lw ? (lw + *width - 1) / *width : 1;
    line = nl ? nl + 1 : NULL;
  }
  return lines;
}

/* ---- formats ------------------------------------------------------------ */

/* libxlsxwriter returns NULL only when malloc fails; like xmalloc, stop
** (the file is a temporary one and nothing is published). */
static lxw_format *add_format(struct wctx *x)
{
  lxw_format *f = workbook_add_format(x->wb);
  if (!f) {
    fprintf(stderr, "paysettle: out of memory in libxlsxwriter; nothing was "
            "published\n");
    exit(2);
  }
  return f;
}

static lxw_format *new_format(struct wctx *x, bool bold, bool fill)
{
  lxw_format *f = add_format(x);
  format_set_font_name(f, x->lay->font);
  format_set_font_size(f, x->lay->font_size);
  format_set_border(f, LXW_BORDER_THIN);
  format_set_align(f, LXW_ALIGN_VERTICAL_CENTER);
  if (bold) format_set_bold(f);
  if (fill) format_set_bg_color(f, x->lay->header_fill);
  return f;
}

/* The palette, made once: every cell uses one of these. */
static void make_formats(struct wctx *x)
{
  size_t n = x->lay->nformats;
  x->head = new_format(x, true, true);
  format_set_text_wrap(x->head);
  format_set_align(x->head, LXW_ALIGN_CENTER);
  x->text = new_format(x, false, false);
  x->text_total = new_format(x, true, true);
  x->bold = add_format(x);
  format_set_font_name(x->bold, x->lay->font);
  format_set_font_size(x->bold, x->lay->font_size + 2);
  format_set_bold(x->bold);
  x->num = xcalloc(n + 1, sizeof *x->num);
  x->num_total = xcalloc(n + 1, sizeof *x->num_total);
  for (size_t i = 0; i < n; i++) {
    x->num[i] = new_format(x, false, false);
    format_set_num_format(x->num[i], x->lay->format_codes[i]);
    x->num_total[i] = new_format(x, true, true);
    format_set_num_format(x->num_total[i], x->lay->format_codes[i]);
  }
}

/* ---- sheets and their parts --------------------------------------------- */

static bool rows_of_data(const struct layout_sheet *ls)
{
  return ls->rows == LAYOUT_ROWS_EMPLOYEES ||
         ls->rows == LAYOUT_ROWS_AGENCIES ||
         ls->rows == LAYOUT_ROWS_INDICATORS;
}

/* Print setup: landscape A4 fitted to the width, the title row repeated. */
static void page_setup(struct wctx *x, struct wsheet *s, struct part *p)
{
  worksheet_set_landscape(p->ws);
  worksheet_set_paper(p->ws, 9);
  worksheet_set_margins(p->ws, 0.4, 0.4, 0.6, 0.6);
  note(x, worksheet_set_header(p->ws, x->header), "the page header", p);
  note(x, worksheet_set_footer(p->ws, x->footer), "the page footer", p);
  if (rows_of_data(s->ls)) {
    note(x, worksheet_repeat_rows(p->ws, 0, 0), "the print titles", p);
    worksheet_freeze_panes(p->ws, 1, (lxw_col_t)s->ls->freeze_cols);
  }
}

static char **column_titles(const struct layout_sheet *ls)
{
  char **t = xcalloc(ls->ncols + 1, sizeof *t);
  for (size_t k = 0; k < ls->ncols; k++) t[k] = ls->cols[k].title;
  return t;
}

static void titles_make(struct titles *t, size_t n, char *const *src)
{
  char buf[LAYOUT_TEXT_MAX * 4 + 8];
  t->n = n;
  t->text = xcalloc(n + 1, sizeof *t->text);
  t->width = xcalloc(n + 1, sizeof *t->width);
  t->lines = 1;
  for (size_t k = 0; k < n; k++) {
    unsigned l = title_lines(src[k], buf, sizeof buf, &t->width[k]);
    if (l > t->lines) t->lines = l;
    t->text[k] = xstrdup(buf);
  }
  if (t->lines > WB_TITLE_LINES_MAX) t->lines = WB_TITLE_LINES_MAX;
}

static void titles_clear(struct titles *t)
{
  for (size_t k = 0; k < t->n; k++) free(t->text[k]);
  free(t->text);
  free(t->width);
  memset(t, 0, sizeof *t);
}

/* The title row of a sheet of rows, or of a pay strip, at row r. */
static void title_row(struct wctx *x, struct wsheet *s, const struct part *p,
                      lxw_row_t r, const struct titles *t)
{
  note(x, worksheet_set_row(p->ws, r, (x->lay->font_size + 4.0) * t->lines,
                            NULL), "the title row", p);
  for (size_t k = 0; k < t->n; k++) {
    note(x, worksheet_write_string(p->ws, r, (lxw_col_t)k, t->text[k],
                                   x->head), "a title", p);
    widen(&s->width[k], t->width[k]);
  }
}

static bool add_part(struct wctx *x, struct wsheet *s)
{
  struct part *p = &s->parts[s->nparts < WB_PARTS_MAX ? s->nparts : 0];
  if (s->nparts == WB_PARTS_MAX) return false;
  char name[sizeof p->name];
  if (s->nparts) snprintf(name, sizeof name, "%s (%zu)", s->ls->title,
                          s->nparts + 1);
  else snprintf(name, sizeof name, "%s", s->ls->title);
  memcpy(p->name, name, sizeof name);
  snprintf(p->quoted, sizeof p->quoted, "'%s'", name);
  p->ws = workbook_add_worksheet(x->wb, p->name);
  if (!p->ws) {
    note(x, LXW_ERROR_MEMORY_MALLOC_FAILED, "adding a sheet", NULL);
    return false;
  }
  s->nparts++;
  page_setup(x, s, p);
  if (s->ls->rows != LAYOUT_ROWS_PAYSLIPS && s->ls->rows != LAYOUT_ROWS_RUN)
    title_row(x, s, p, 0, &s->titles);
  return true;
}

/* ---- cells of a row ----------------------------------------------------- */

static void item_cell(struct wctx *x, struct wsheet *s, const struct part *p,
                      size_t k, const char *const *vals, size_t n)
{
  const struct layout_column *c = &s->ls->cols[k];
  struct money v = MONEY_ZERO;
  int item = c->items[0];
  enum vtype t = x->m->p->item_type[item];
  const char *text = outputs_item(x->m, item, vals, n);
  if (c->src == LAYOUT_ITEM && t != VT_NUM) {
    if (text && t == VT_BOOL)
      text = x->lay->words[strcmp(text, "true") == 0 ? LAYOUT_WORD_YES
                                                      : LAYOUT_WORD_NO];
    if (text && text[0]) put_text(x, p, s->row, (lxw_col_t)k, text, x->text,
                                  &s->width[k]);
    else note(x, worksheet_write_blank(p->ws, s->row, (lxw_col_t)k,
                                       x->text), "a blank cell", p);
    return;
  }
  for (size_t i = 0; i < c->nitems; i++) {
    struct money a = MONEY_ZERO;
    if (outputs_number(x->m, c->items[i], vals, n, &a)) money_add(&v, &v,
                                                                  &a);
    money_clear(&a);
  }
  put_number(x, p, s->row, (lxw_col_t)k, &v, c->fmt, &s->width[k]);
  if (c->total == LAYOUT_TOTAL_SUM) money_add(&s->sums[k], &s->sums[k], &v);
  money_clear(&v);
}

/* Column k of the current row: for employee emp, or agency ag (emp < 0)
** with its stored values vals[n]. */
static void cell(struct wctx *x, struct wsheet *s, const struct part *p,
                 size_t k, long emp, long ag, const char *const *vals,
                 size_t n)
{
  const struct layout_column *c = &s->ls->cols[k];
  const struct money *num = NULL;
  lxw_col_t col = (lxw_col_t)k;
  enum outputs_cell kind;
  char buf[WB_TEXT_MAX];
  if (c->src == LAYOUT_ITEM || c->src == LAYOUT_SUM) {
    item_cell(x, s, p, k, vals, n);
    return;
  }
  kind = c->src == LAYOUT_TEXT ? OUTPUTS_TEXT : OUTPUTS_EMPTY;
  if (c->src == LAYOUT_TEXT) snprintf(buf, sizeof buf, "%s", c->text);
  if (c->src == LAYOUT_FIELD) kind = outputs_field(x->m, c, emp, ag, buf,
                                                   sizeof buf, &num);
  if (kind == OUTPUTS_TEXT) {
    put_text(x, p, s->row, col, buf, x->text, &s->width[k]);
  } else if (kind == OUTPUTS_NUMBER) {
    put_number(x, p, s->row, col, num, c->fmt, &s->width[k]);
    if (c->total == LAYOUT_TOTAL_SUM) money_add(&s->sums[k], &s->sums[k],
                                                num);
  } else {
    note(x, worksheet_write_blank(p->ws, s->row, col, x->text),
         "a blank cell", p);
  }
}

/* ---- closing a part: autofilter, totals row ----------------------------- */

static void autofilter(struct wctx *x, struct wsheet *s, struct part *p)
{
  lxw_row_t last = p->entries ? s->row - 1 : 0;
  size_t ncols = s->ls->rows == LAYOUT_ROWS_INDICATORS ? 6 : s->ls->ncols;
  if (ncols == 0) return;
  note(x, worksheet_autofilter(p->ws, 0, 0, last, (lxw_col_t)(ncols - 1)),
       "the autofilter", p);
}

/* "=SUM(E2:E1001)", or over the same column of every part. */
static void sum_formula(const struct wsheet *s, size_t k, lxw_row_t first,
                        char *buf, size_t cap)
{
  char col[16];
  size_t o = (size_t)snprintf(buf, cap, "=SUM(");
  bool any = false;
  lxw_col_to_name(col, (lxw_col_t)k, 0);
  for (size_t i = 0; i < s->nparts && o < cap; i++) {
    const struct part *p = &s->parts[i];
    lxw_row_t last = i + 1 == s->nparts ? s->row - 1
                                        : (lxw_row_t)p->entries + first - 1;
    if (!p->entries) continue;
    o += (size_t)snprintf(buf + o, o < cap ? cap - o : 0, "%s%s%s%s%u:%s%u",
                          any ? "," : "", s->nparts > 1 ? p->quoted : "",
                          s->nparts > 1 ? "!" : "", col,
                          (unsigned)first + 1, col, (unsigned)last + 1);
    any = true;
  }
  if (o < cap) snprintf(buf + o, cap - o, ")");
}

static void totals_row(struct wctx *x, struct wsheet *s, struct part *p)
{
  bool labelled = false, any = false;
  char f[WB_PARTS_MAX * 160];
  for (size_t i = 0; i < s->nparts; i++) any |= s->parts[i].entries > 0;
  for (size_t k = 0; k < s->ls->ncols; k++) {
    const struct layout_column *c = &s->ls->cols[k];
    lxw_col_t col = (lxw_col_t)k;
    if (c->total == LAYOUT_TOTAL_SUM)      /* bold: a little wider */
      widen(&s->width[k], number_width(&s->sums[k],
                                       x->lay->format_codes[c->fmt]) + 1);
    if (c->total == LAYOUT_TOTAL_SUM && any) {
      sum_formula(s, k, 1, f, sizeof f);
      note(x, worksheet_write_formula_num(p->ws, s->row, col, f,
                                          x->num_total[c->fmt],
                                          xlsxcell_number(&s->sums[k])),
           "a total", p);
    } else if (c->total == LAYOUT_TOTAL_SUM) {
      put_number(x, p, s->row, col, &s->sums[k], c->fmt, NULL);
    } else if (!labelled) {
      note(x, worksheet_write_string(p->ws, s->row, col,
                                     x->lay->words[LAYOUT_WORD_TOTAL],
                                     x->text_total), "a total", p);
      widen(&s->width[k], util_text_width(x->lay->words[LAYOUT_WORD_TOTAL],
                                     strlen(x->lay->words[
                                       LAYOUT_WORD_TOTAL])));
      labelled = true;
    } else {
      note(x, worksheet_write_blank(p->ws, s->row, col, x->text_total),
           "a total", p);
    }
  }
  s->row++;
}

/* ---- employees ---------------------------------------------------------- */

/* The part the next employee goes into; a full part is closed first. */
static struct part *next_part(struct wctx *x, struct wsheet *s)
{
  struct part *p = &s->parts[s->cur];
  if (p->entries < s->per_part || s->cur + 1 >= s->nparts) return p;
  if (s->ls->rows == LAYOUT_ROWS_EMPLOYEES) autofilter(x, s, p);
  s->cur++;
  s->row = s->ls->rows == LAYOUT_ROWS_EMPLOYEES ? 1 : 0;
  return &s->parts[s->cur];
}

static void employee_row(struct wctx *x, struct wsheet *s, long emp,
                         const char *const *vals, size_t n)
{
  struct part *p = next_part(x, s);
  for (size_t k = 0; k < s->ls->ncols; k++)
    cell(x, s, p, k, emp, -1, vals, n);
  s->row++;
  p->entries++;
}

/* A pay strip: the titles, the values, a blank row to cut along. */
static void payslip(struct wctx *x, struct wsheet *s, long emp,
                    const char *const *vals, size_t n)
{
  struct part *p = next_part(x, s);
  unsigned h = x->lay->font_size + 6;
  title_row(x, s, p, s->row++, &s->titles);
  note(x, worksheet_set_row(p->ws, s->row, h, NULL), "a pay strip", p);
  for (size_t k = 0; k < s->ls->ncols; k++)
    cell(x, s, p, k, emp, -1, vals, n);
  note(x, worksheet_set_row(p->ws, s->row + 1, h / 2, NULL), "a pay strip",
       p);
  s->row += 2;
  p->entries++;
}

static int employee_cb(void *ctx, int level, const char *entity,
                       const char *agency, const char *const *names,
                       const char *const *vals, size_t n)
{
  struct wctx *x = ctx;
  long emp = inputs_find(x->m->in, entity);
  (void)agency;
  outputs_bind(x->m, level, names, n);
  if (emp < 0) {
    diag_add(x->d, x->file, 0, 0, NULL, "employee %s of the ledger is not "
             "in the run's stored roster", entity);
    return 1;
  }
  for (size_t i = 0; i < x->b->nsheets; i++) {
    struct wsheet *s = &x->sh[i];
    if (s->ls->when >= 0 && !outputs_when(x->m, s->ls->when, vals, n))
      continue;
    if (s->ls->rows == LAYOUT_ROWS_EMPLOYEES) employee_row(x, s, emp, vals,
                                                           n);
    else if (s->ls->rows == LAYOUT_ROWS_PAYSLIPS) payslip(x, s, emp, vals,
                                                          n);
  }
  return x->err != LXW_NO_ERROR;
}

/* Employees of sheet ls (those its 'when' lets through). */
struct counter {
  struct outputs_month *m;
  const struct layout_sheet *ls;
  size_t n;
};

static int count_cb(void *ctx, int level, const char *entity,
                    const char *agency, const char *const *names,
                    const char *const *vals, size_t n)
{
  struct counter *c = ctx;
  (void)entity;
  (void)agency;
  outputs_bind(c->m, level, names, n);
  c->n += outputs_when(c->m, c->ls->when, vals, n);
  return 0;
}

/* How many employees each sheet will have, and so how many parts. */
static bool plan_sheet(struct wctx *x, struct wsheet *s)
{
  size_t rows = x->m->rows_max, all = (size_t)x->m->run.employees;
  s->per_part = s->ls->rows == LAYOUT_ROWS_PAYSLIPS ? rows / 3 : rows - 2;
  s->entries = all;
  if (s->ls->when >= 0 && all > s->per_part) {
    struct counter c = {x->m, s->ls, 0};
    if (ledger_run_level(x->m->L, x->m->run.run_id, 0, false, count_cb, &c)
        != LEDGER_OK)
      return false;
    s->entries = c.n;
  }
  return true;
}

/* ---- agencies ----------------------------------------------------------- */

static void insert_chart(struct wctx *x, struct wsheet *s, struct part *p,
                         lxw_row_t first, lxw_row_t last)
{
  const struct layout_chart *ch = s->ls->chart;
  lxw_chart *chart = workbook_add_chart(x->wb, LXW_CHART_COLUMN_STACKED);
  lxw_chart_font font, small;
  lxw_chart_options opt;
  char name[64], cat[300], val[300], col[16], series[LAYOUT_TEXT_MAX * 4];
  unsigned w;
  if (!chart) {
    note(x, LXW_ERROR_MEMORY_MALLOC_FAILED, "the chart", p);
    return;
  }
  snprintf(name, sizeof name, "%s", x->lay->font);
  memset(&font, 0, sizeof font);
  font.name = name;
  font.size = 12;
  font.bold = 1;
  small = font;
  small.size = 9;
  small.bold = 0;
  lxw_col_to_name(col, (lxw_col_t)ch->category, 1);
  snprintf(cat, sizeof cat, "=%s!%s$%u:%s$%u", p->quoted, col,
           (unsigned)first + 1, col, (unsigned)last + 1);
  for (size_t i = 0; i < ch->nseries; i++) {
    lxw_chart_series *se;
    lxw_col_to_name(col, (lxw_col_t)ch->series[i], 1);
    snprintf(val, sizeof val, "=%s!%s$%u:%s$%u", p->quoted, col,
             (unsigned)first + 1, col, (unsigned)last + 1);
    se = chart_add_series(chart, cat, val);
    if (!se) {
      note(x, LXW_ERROR_MEMORY_MALLOC_FAILED, "a chart series", p);
      return;
    }
    (void)title_lines(s->ls->cols[ch->series[i]].title, series,
                      sizeof series, &w);
    for (char *q = series; *q; q++) if (*q == '\n') *q = ' ';
    chart_series_set_name(se, series);
  }
  chart_set_series_gap(chart, 60);
  chart_title_set_name(chart, ch->title);
  chart_title_set_name_font(chart, &font);
  chart_axis_set_name(chart->x_axis, ch->x_title);
  chart_axis_set_name(chart->y_axis, ch->y_title);
  chart_axis_set_name_font(chart->x_axis, &small);
  chart_axis_set_name_font(chart->y_axis, &small);
  small.rotation = last - first > 8 ? -45 : 0;
  chart_axis_set_num_font(chart->x_axis, &small);
  small.rotation = 0;
  chart_axis_set_num_font(chart->y_axis, &small);
  chart_axis_set_num_format(chart->y_axis, "#,##0");
  chart_legend_set_position(chart, LXW_CHART_LEGEND_BOTTOM);
  chart_legend_set_font(chart, &small);
  memset(&opt, 0, sizeof opt);
  w = 120 + 32 * (unsigned)(last - first + 1);
  opt.x_scale = (xlsx_num)(w < 960 ? 960 : w > 2000 ? 2000 : w) / 480;
  opt.y_scale = 2;
  note(x, worksheet_insert_chart_opt(p->ws, s->row + 1, 0, chart, &opt),
       "the chart", p);
}

static void agencies_sheet(struct wctx *x, struct wsheet *s)
{
  struct part *p = &s->parts[0];
  s->row = 1;
  for (size_t i = 0; i < x->m->nagencies; i++) {
    const struct outputs_row *a = &x->m->agencies[i];
    for (size_t k = 0; k < s->ls->ncols; k++)
      cell(x, s, p, k, -1, x->m->agency_in[i],
           (const char *const *)a->vals, a->n);
    s->row++;
    p->entries++;
  }
  autofilter(x, s, p);
  totals_row(x, s, p);
  if (s->ls->chart && p->entries)
    insert_chart(x, s, p, 1, (lxw_row_t)p->entries);
}

/* ---- indicators --------------------------------------------------------- */

/* One row: who, indicator, target, actual, met. */
static void indicator_row(struct wctx *x, struct wsheet *s, struct part *p,
                          const char *who, const char *name,
                          const struct layout_indicator *ind,
                          const struct money *actual, int met)
{
  const struct rules_value *t = rules_param_at(ind->target, x->m->ym);
  const char *word = met < 0 ? "" : x->lay->words[met ? LAYOUT_WORD_MET
                                                      : LAYOUT_WORD_NOT_MET];
  put_text(x, p, s->row, 0, who, x->text, &s->width[0]);
  put_text(x, p, s->row, 1, name, x->text, &s->width[1]);
  put_text(x, p, s->row, 2, ind->title, x->text, &s->width[2]);
  if (t) put_number(x, p, s->row, 3, &t->value, ind->fmt, &s->width[3]);
  else note(x, worksheet_write_blank(p->ws, s->row, 3, x->text), "", p);
  if (actual) put_number(x, p, s->row, 4, actual, ind->fmt, &s->width[4]);
  else put_text(x, p, s->row, 4, x->lay->words[LAYOUT_WORD_NONE], x->text,
                &s->width[4]);
  put_text(x, p, s->row, 5, word, x->text, &s->width[5]);
  s->row++;
  p->entries++;
}

/* -1 unknown, else whether bool item i of row vals is true. */
static int truth(struct wctx *x, int i, const struct outputs_row *r)
{
  const char *t = i < 0 ? NULL
                : outputs_item(x->m, i, (const char *const *)r->vals, r->n);
  return t ? strcmp(t, "true") == 0 : -1;
}

static void agency_indicators(struct wctx *x, struct wsheet *s,
                              struct part *p, size_t a)
{
  const struct outputs_row *r = &x->m->agencies[a];
  char name[WB_TEXT_MAX] = "";
  const struct money *num = NULL;
  if (outputs_field(x->m, &s->ls->name_col, -1, x->m->agency_in[a], name,
                    sizeof name, &num) != OUTPUTS_TEXT)
    name[0] = '\0';
  for (size_t i = 0; i < s->ls->nind; i++) {
    const struct layout_indicator *ind = &s->ls->ind[i];
    struct money v = MONEY_ZERO;
    bool known = truth(x, ind->known, r) != 0 &&
                 outputs_number(x->m, ind->agency,
                                (const char *const *)r->vals, r->n, &v);
    indicator_row(x, s, p, r->entity, name, ind, known ? &v : NULL,
                  truth(x, ind->met, r));
    money_clear(&v);
  }
}

static void indicators_sheet(struct wctx *x, struct wsheet *s)
{
  struct part *p = &s->parts[0];
  const struct outputs_row *dr = &x->m->district;
  s->row = 1;
  for (size_t a = 0; a < x->m->nagencies; a++)
    agency_indicators(x, s, p, a);
  for (size_t i = 0; i < s->ls->nind; i++) {
    const struct layout_indicator *ind = &s->ls->ind[i];
    const struct rules_value *t = rules_param_at(ind->target, x->m->ym);
    struct money v = MONEY_ZERO;
    bool known = dr->vals && outputs_number(x->m, ind->district,
                                            (const char *const *)dr->vals,
                                            dr->n, &v);
    int met = ind->district_met >= 0 ? truth(x, ind->district_met, dr)
            : known && t ? money_cmp(&v, &t->value) >= 0 : -1;
    indicator_row(x, s, p, x->lay->words[LAYOUT_WORD_DISTRICT], "", ind,
                  known ? &v : NULL, met);
    money_clear(&v);
  }
  autofilter(x, s, p);
}

/* ---- the run ------------------------------------------------------------ */

static void pair(struct wctx *x, struct wsheet *s, struct part *p,
                 const char *label, const char *value)
{
  put_text(x, p, s->row, 0, label, x->text_total, &s->width[0]);
  put_text(x, p, s->row, 1, value, x->text, &s->width[1]);
  s->row++;
}

static int file_row(void *ctx, const char *role, const char *path,
                    const char *sha256, int64_t size)
{
  struct wctx *x = ctx;
  struct wsheet *s = x->run;
  struct part *p = &s->parts[0];
  struct money v = MONEY_ZERO;
  money_set_int(&v, size);
  put_text(x, p, s->row, 0, role, x->text, &s->width[0]);
  put_text(x, p, s->row, 1, path, x->text, &s->width[1]);
  put_text(x, p, s->row, 2, sha256, x->text, &s->width[2]);
  put_number(x, p, s->row, 3, &v, x->lay->fmt_number, &s->width[3]);
  s->row++;
  return x->err != LXW_NO_ERROR;
}

static void run_sheet(struct wctx *x, struct wsheet *s)
{
  struct part *p = &s->parts[0];
  const struct ledger_run *run = &x->m->run;
  char *const *lab = s->ls->labels;
  char id[32], count[32];
  char *hdr[4];
  struct titles t;
  snprintf(id, sizeof id, "%lld", (long long)run->run_id);
  snprintf(count, sizeof count, "%ld", run->employees);
  put_text(x, p, 0, 0, lab[LAYOUT_RUN_HEADING], x->bold, NULL);
  s->row = 2;
  pair(x, s, p, lab[LAYOUT_RUN_MONTH], run->month);
  pair(x, s, p, lab[LAYOUT_RUN_RUN], id);
  pair(x, s, p, lab[LAYOUT_RUN_RULES_NAME], run->rules_name);
  pair(x, s, p, lab[LAYOUT_RUN_RULES_SHA256], run->rules_sha256);
  pair(x, s, p, lab[LAYOUT_RUN_ENGINE], run->engine_version);
  pair(x, s, p, lab[LAYOUT_RUN_OPERATOR], run->operator_name);
  pair(x, s, p, lab[LAYOUT_RUN_CREATED], run->created_at);
  pair(x, s, p, lab[LAYOUT_RUN_EMPLOYEES], count);
  s->row++;
  put_text(x, p, s->row++, 0, lab[LAYOUT_RUN_FILES], x->bold, NULL);
  hdr[0] = lab[LAYOUT_RUN_ROLE];
  hdr[1] = lab[LAYOUT_RUN_PATH];
  hdr[2] = lab[LAYOUT_RUN_SHA256];
  hdr[3] = lab[LAYOUT_RUN_SIZE];
  titles_make(&t, 4, hdr);
  title_row(x, s, p, s->row++, &t);
  titles_clear(&t);
  x->run = s;
  if (ledger_run_digests(x->m->L, run->run_id, file_row, x) != LEDGER_OK)
    diag_add(x->d, x->file, 0, 0, NULL, "%s", ledger_message(x->m->L));
}

/* ---- the workbook ------------------------------------------------------- */

static bool make_sheets(struct wctx *x)
{
  x->sh = xcalloc(x->b->nsheets, sizeof *x->sh);
  for (size_t i = 0; i < x->b->nsheets; i++) {
    struct wsheet *s = &x->sh[i];
    size_t parts = 1, ncols;
    s->ls = &x->b->sheets[i];
    ncols = s->ls->ncols > 6 ? s->ls->ncols : 6;
    s->width = xcalloc(ncols + 1, sizeof *s->width);
    s->sums = xcalloc(ncols + 1, sizeof *s->sums);
    for (size_t k = 0; k < ncols; k++) s->sums[k] = MONEY_ZERO;
    if (s->ls->rows == LAYOUT_ROWS_INDICATORS) {
      titles_make(&s->titles, 6, s->ls->titles);
    } else {
      char **src = column_titles(s->ls);
      titles_make(&s->titles, s->ls->ncols, src);
      free(src);
    }
    if (s->ls->rows == LAYOUT_ROWS_EMPLOYEES ||
        s->ls->rows == LAYOUT_ROWS_PAYSLIPS) {
      if (!plan_sheet(x, s)) return false;
      parts = (s->entries + s->per_part - 1) / s->per_part;
      s->row = s->ls->rows == LAYOUT_ROWS_EMPLOYEES ? 1 : 0;
    }
    if (parts > WB_PARTS_MAX) {
      note(x, LXW_ERROR_WORKSHEET_INDEX_OUT_OF_RANGE, "too many rows for "
           "the sheet", NULL);
      return false;
    }
    for (size_t k = 0; k < (parts ? parts : 1); k++)
      if (!add_part(x, s)) return false;
  }
  return true;
}

/* Pay strips are printed one page across with a page break between strips
** so that none is cut in two: as many strips as a page holds at the scale
** that fits the width in Excel (a column width unit is 7 pixels of the
** default font, 5.25 pt, and each column adds 5 pixels), a little more to
** be safe; an application whose fonts are wider shrinks the strips further
** and leaves some room. Excel allows 1,023 breaks a sheet; later pages
** flow freely. */
static void payslip_pages(struct wctx *x, struct wsheet *s, unsigned total)
{
  unsigned lines = s->titles.lines, font = x->lay->font_size;
  unsigned strip = (font + 4) * lines + (font + 6) + (font + 6) / 2;
  unsigned scale = (unsigned)(100u * WB_PAGE_W_PT * 4 /
                              (total * 21 + s->ls->ncols * 15 + 1));
  size_t per_page;
  lxw_row_t breaks[LXW_BREAKS_MAX + 1];
  scale = scale * 105 / 100;
  scale = scale < 10 ? 10 : scale > 100 ? 100 : scale;
  per_page = WB_PAGE_H_PT * 100 / (strip * scale);
  if (per_page < 1) per_page = 1;
  for (size_t j = 0; j < s->nparts; j++) {
    size_t n = 0;
    for (size_t e = per_page; e < s->parts[j].entries &&
         n < LXW_BREAKS_MAX; e += per_page)
      breaks[n++] = (lxw_row_t)(3 * e);
    breaks[n] = 0;
    if (n) note(x, worksheet_set_h_pagebreaks(s->parts[j].ws, breaks),
                "the page breaks", &s->parts[j]);
  }
}

/* Column widths from the widest text seen. A sheet of employees wider
** than a page is printed on as many pages across as keep it readable,
** with its frozen columns (who the row is) repeated on each; the other
** sheets (the summary and its chart, pay strips to cut) one page across. */
static void set_widths(struct wctx *x)
{
  for (size_t i = 0; i < x->b->nsheets; i++) {
    struct wsheet *s = &x->sh[i];
    size_t ncols = s->ls->ncols > 6 ? s->ls->ncols : 6;
    unsigned total = 0, pages;
    for (size_t k = 0; k < ncols; k++) {
      unsigned w = s->width[k] + 2;
      if (!s->width[k]) continue;
      s->width[k] = w < WB_WIDTH_MIN ? WB_WIDTH_MIN
                  : w > WB_WIDTH_MAX ? WB_WIDTH_MAX : w;
      total += s->width[k];
    }
    pages = (total + WB_PAGE_WIDTH - 1) / WB_PAGE_WIDTH;
    if (s->ls->rows != LAYOUT_ROWS_EMPLOYEES || pages < 1) pages = 1;
    for (size_t j = 0; j < s->nparts; j++) {
      for (size_t k = 0; k < ncols; k++)
        if (s->width[k])
          note(x, worksheet_set_column(s->parts[j].ws, (lxw_col_t)k,
                                       (lxw_col_t)k, s->width[k], NULL),
               "a column width", &s->parts[j]);
      worksheet_fit_to_pages(s->parts[j].ws, (uint16_t)pages, 0);
      if (pages > 1 && s->ls->freeze_cols)
        note(x, worksheet_repeat_columns(s->parts[j].ws, 0, (lxw_col_t)(
               s->ls->freeze_cols - 1)), "the print titles", &s->parts[j]);
    }
    if (s->ls->rows == LAYOUT_ROWS_PAYSLIPS) payslip_pages(x, s, total);
  }
}

/* Write every sheet; employees in one pass over the ledger. */
static void write_sheets(struct wctx *x)
{
  bool employees = false;
  for (size_t i = 0; i < x->b->nsheets; i++) {
    struct wsheet *s = &x->sh[i];
    if (s->ls->rows == LAYOUT_ROWS_AGENCIES) agencies_sheet(x, s);
    else if (s->ls->rows == LAYOUT_ROWS_INDICATORS) indicators_sheet(x, s);
    else if (s->ls->rows == LAYOUT_ROWS_RUN) run_sheet(x, s);
    else employees = true;
  }
  if (employees && x->err == LXW_NO_ERROR &&
      ledger_run_level(x->m->L, x->m->run.run_id, 0, x->b->by_agency,
                       employee_cb, x) != LEDGER_OK)
    diag_add(x->d, x->file, 0, 0, NULL, "%s", ledger_message(x->m->L));
  for (size_t i = 0; i < x->b->nsheets; i++) {
    struct wsheet *s = &x->sh[i];
    if (s->ls->rows != LAYOUT_ROWS_EMPLOYEES) continue;
    autofilter(x, s, &s->parts[s->cur]);
    totals_row(x, s, &s->parts[s->cur]);
  }
  set_widths(x);
}

static void free_sheets(struct wctx *x)
{
  for (size_t i = 0; x->sh && i < x->b->nsheets; i++) {
    size_t ncols = x->b->sheets[i].ncols > 6 ? x->b->sheets[i].ncols : 6;
    for (size_t k = 0; x->sh[i].sums && k < ncols; k++)
      money_clear(&x->sh[i].sums[k]);
    free(x->sh[i].sums);
    free(x->sh[i].width);
    titles_clear(&x->sh[i].titles);
  }
  free(x->sh);
  free(x->num);
  free(x->num_total);
}

bool workbook_render(struct outputs_month *m, const struct layout_book *b,
                     const char *path, const char *tmpdir,
                     struct diag_list *d)
{
  struct wctx x;
  char tmp[4096], title[LAYOUT_TEXT_MAX * 4 + 16], author[] = "paysettle";
  lxw_workbook_options opt = {LXW_TRUE, tmp, LXW_FALSE};
  lxw_doc_properties props;
  size_t before = diag_count(d);
  lxw_error e;
  memset(&x, 0, sizeof x);
  x.m = m;
  x.b = b;
  x.lay = m->lay;
  x.d = d;
  layout_file_name(b->file, m->ym, x.file, sizeof x.file);
  snprintf(tmp, sizeof tmp, "%s", tmpdir);
  snprintf(title, sizeof title, "%s %s", b->title, m->month);
  layout_page_text(x.lay->words[LAYOUT_WORD_HEADER], x.b->title, x.m->month,
                   x.file, x.header, sizeof x.header);
  layout_page_text(x.lay->words[LAYOUT_WORD_FOOTER], x.b->title, x.m->month,
                   x.file, x.footer, sizeof x.footer);
  x.wb = workbook_new_opt(path, &opt);
  if (!x.wb) {
    diag_add(d, x.file, 0, 0, NULL, "libxlsxwriter could not start the "
             "workbook");
    return false;
  }
  memset(&props, 0, sizeof props);
  props.title = title;
  props.author = author;
  props.created = (time_t)cal_month_last(m->ym) * 86400;
  note(&x, workbook_set_properties(x.wb, &props), "the properties", NULL);
  make_formats(&x);
  if (make_sheets(&x)) write_sheets(&x);
  e = workbook_close(x.wb);          /* frees the workbook in every case */
  note(&x, e, "closing the workbook", NULL);
  if (x.err != LXW_NO_ERROR)
    diag_add(d, x.file, 0, 0, NULL, "%s: %s", x.where, lxw_strerror(x.err));
  free_sheets(&x);
  return x.err == LXW_NO_ERROR && diag_count(d) == before;
}
