/*
** layout.h -- the layout of the output files, read from the rule set.
**
** The sheets of every workbook, their column titles, which item or input
** field each column shows, number formats, masks, totals rows, the chart,
** the pay strips, the tax template and the bank file's columns are data:
** the 'outputs' section of a rule file (rules/outputs.yaml; rules.c notes
** which file has it in rules->outputs_file). This module reads that
** section and checks it against the rule set, so that a layout naming an
** item that does not exist, an agency item on an employee sheet, an input
** column the schema does not have, or a shared workbook showing full ID
** numbers is refused with the rule file's line and column before anything
** is computed. workbook.c and bankfile.c only follow it.
**
** Everything here is owned by struct layout and freed by layout_free; the
** rule set must outlive the layout (items are kept as indexes into it).
*/
#ifndef PAYSETTLE_LAYOUT_H
#define PAYSETTLE_LAYOUT_H

#include <stdbool.h>
#include <stddef.h>
#include "diag.h"
#include "rules.h"

/* A sheet title leaves room for " (NN)" within Excel's 31 characters when
** a sheet continues on another. */
#define LAYOUT_SHEET_TITLE_MAX 26
/* Output file names: short, plain, built from a template. */
#define LAYOUT_FILE_NAME_MAX 100
/* A column title, a word or a label (Excel's header/footer field is 255). */
#define LAYOUT_TEXT_MAX 200
/* More columns than any sheet needs; bounds the per-column arrays. */
#define LAYOUT_COLUMNS_MAX 1000

/* What a column shows. */
enum layout_src {
  LAYOUT_ITEM,      /* items[0] */
  LAYOUT_SUM,       /* the sum of items[0..nitems) */
  LAYOUT_FIELD,     /* an input column (file, col) */
  LAYOUT_TEXT,      /* text, on every row */
  LAYOUT_BLANK      /* nothing */
};

/* What a totals row shows under a column. */
enum layout_total { LAYOUT_TOTAL_NONE, LAYOUT_TOTAL_SUM, LAYOUT_TOTAL_COUNT };

struct layout_column {
  char *title;               /* header text (may hold "\n") */
  enum layout_src src;
  size_t nitems;
  int *items;                /* rules item indexes */
  enum rules_file file;      /* LAYOUT_FIELD: RULES_F_ROSTER, ... */
  int col;                   /* LAYOUT_FIELD: column of that file */
  bool show_zh;              /* a table key shown as its Chinese alias */
  bool masked;
  unsigned mask_first, mask_last;  /* characters kept at each end */
  char *text;                /* LAYOUT_TEXT */
  size_t fmt;                /* index into layout formats */
  enum layout_total total;
  struct rules_pos pos;
};

/* The rows a sheet has. */
enum layout_rows {
  LAYOUT_ROWS_AGENCIES,      /* one per agency, then a totals row */
  LAYOUT_ROWS_EMPLOYEES,     /* one per employee, then a totals row */
  LAYOUT_ROWS_PAYSLIPS,      /* per employee: titles, values, a blank row */
  LAYOUT_ROWS_INDICATORS,    /* per agency and the district: target, actual,
                                met of each indicator */
  LAYOUT_ROWS_RUN            /* the run's record and its files' SHA-256 */
};

struct layout_chart {        /* a stacked column chart of agency columns */
  char *title, *x_title, *y_title;
  size_t category;           /* the column whose text names each bar */
  size_t nseries;
  size_t *series;            /* columns, one series each */
};

struct layout_indicator {
  char *title;
  const struct rules_param *target;
  int agency, met, known;    /* agency items; known/met may be -1 */
  int district, district_met;    /* district items; district_met -1 */
  size_t fmt;
  struct rules_pos pos;
};

/* The labels of the run sheet, in this order. */
enum layout_run_label {
  LAYOUT_RUN_HEADING, LAYOUT_RUN_MONTH, LAYOUT_RUN_RUN, LAYOUT_RUN_RULES_NAME,
  LAYOUT_RUN_RULES_SHA256, LAYOUT_RUN_ENGINE, LAYOUT_RUN_OPERATOR,
  LAYOUT_RUN_CREATED, LAYOUT_RUN_EMPLOYEES, LAYOUT_RUN_FILES,
  LAYOUT_RUN_ROLE, LAYOUT_RUN_PATH, LAYOUT_RUN_SHA256, LAYOUT_RUN_SIZE,
  LAYOUT_RUN_LABELS_
};

struct layout_sheet {
  char *title;
  enum layout_rows rows;
  size_t ncols;
  struct layout_column *cols;
  int when;                  /* employees: only rows where this item is
                                above zero (or true); -1: every row */
  size_t freeze_cols;
  struct layout_chart *chart;            /* or NULL */
  size_t nind;
  struct layout_indicator *ind;          /* LAYOUT_ROWS_INDICATORS */
  char *titles[6];           /* indicators: agency, name, indicator,
                                target, actual, met */
  struct layout_column name_col;         /* indicators: the agency's name */
  char *labels[LAYOUT_RUN_LABELS_];      /* LAYOUT_ROWS_RUN */
  struct rules_pos pos;
};

struct layout_book {
  char *name;                /* the word for `paysettle export NAME` */
  char *file;                /* file name template: "{month}" replaced */
  char *title;               /* document title, print header */
  bool personal;             /* full IDs or bank accounts: mode 0600 */
  bool by_agency;            /* employees ordered by agency, then id */
  size_t nsheets;
  struct layout_sheet *sheets;
  struct rules_pos pos;
};

struct layout_bank {
  char *name, *file;
  int when;                  /* rows where this item is above zero */
  size_t ncols;
  struct layout_column *cols;
  struct rules_pos pos;
};

/* Words the files use; the order of LAYOUT_WORD_* below. */
enum layout_word {
  LAYOUT_WORD_TOTAL, LAYOUT_WORD_DISTRICT, LAYOUT_WORD_YES, LAYOUT_WORD_NO,
  LAYOUT_WORD_MET, LAYOUT_WORD_NOT_MET, LAYOUT_WORD_NONE,
  LAYOUT_WORD_HEADER, LAYOUT_WORD_FOOTER, LAYOUT_WORDS_
};

struct layout {
  char *path;                /* the rule file it came from */
  char *font;
  unsigned font_size;
  unsigned header_fill;      /* 0xRRGGBB */
  size_t nformats;
  char **format_names, **format_codes;   /* "money" -> "#,##0.00" */
  size_t fmt_money, fmt_number;          /* the defaults for items */
  char *words[LAYOUT_WORDS_];
  size_t nbooks;
  struct layout_book *books;
  struct layout_bank bank;
  char *journal_name, *journal_file;
};

/* Read and check the layout of rule set r (the 'outputs' section of
** r->outputs_file, read through vfs.c so that a replayed run reads its own
** stored layout). Returns NULL with every problem in d (file:line:col),
** also when the rule set has no 'outputs' section. The caller frees the
** result with layout_free; r must outlive it. */
struct layout *layout_load(const struct rules *r, struct diag_list *d);
void layout_free(struct layout *lay);    /* accepts NULL */

/* The file name of a template for month ym ("settlement-{month}.xlsx" ->
** "settlement-2026-11.xlsx") into buf (LAYOUT_FILE_NAME_MAX + 8 bytes). */
void layout_file_name(const char *tmpl, int ym, char *buf, size_t cap);
/* A page header or footer of the layout: "{title}", "{month}" and
** "{file}" of tmpl replaced by the values, each '&' in them doubled (an
** Excel header code). Truncated to cap - 1 bytes. */
void layout_page_text(const char *tmpl, const char *title,
                      const char *month, const char *file, char *out,
                      size_t cap);

#endif
