/*
** rules.c -- reading a rule set from YAML files.
**
** The loader walks the tree that ydoc.c built. It is strict in the way a
** finance user needs: an unknown key is an error (a typo must not silently
** drop a rule), every number is exact text parsed by money.c, and every
** problem names the file, line and column.
*/
#include "rules.h"
#include "util.h"
#include "vfs.h"

#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct loadctx {
  struct rules *r;
  struct diag_list *d;
  const char *file;        /* interned path of the file being read */
  int depth;
  const struct loadctx *parent;   /* the including file, or NULL */
};

/* ---- small helpers ---------------------------------------------------- */

static void err(struct loadctx *L, const struct ynode *n, const char *field,
                const char *msg)
{
  diag_add(L->d, L->file, n ? n->line : 0, n ? n->col : 0, field, "%s", msg);
}

static struct rules_pos pos_of(const struct loadctx *L, const struct ynode *n)
{
  struct rules_pos p = {L->file, n ? n->line : 0, n ? n->col : 0};
  return p;
}

/* The text of a scalar node, or NULL (with a problem) when it is not one. */
static const char *scalar(struct loadctx *L, const struct ynode *n,
                          const char *field)
{
  if (!n) return NULL;
  if (n->kind != YNODE_SCALAR) {
    diag_add(L->d, L->file, n->line, n->col, field, "expected a single "
             "value, got a %s", ynode_kind_name(n->kind));
    return NULL;
  }
  return n->text;
}

static char *dup_scalar(struct loadctx *L, const struct ynode *n,
                        const char *field)
{
  const char *s = scalar(L, n, field);
  return s ? xstrdup(s) : NULL;
}

/* Edit distance of a and b, for "did you mean": small strings only. */
static size_t distance(const char *a, const char *b)
{
  size_t la = strlen(a), lb = strlen(b), row[RULES_NAME_MAX + 1];
  if (la > RULES_NAME_MAX || lb > RULES_NAME_MAX) return SIZE_MAX;
  for (size_t j = 0; j <= lb; j++) row[j] = j;
  for (size_t i = 1; i <= la; i++) {
    size_t diag = row[0];
    row[0] = i;
    for (size_t j = 1; j <= lb; j++) {
      size_t up = row[j];
      size_t best = diag + (a[i - 1] != b[j - 1]);
      if (up + 1 < best) best = up + 1;
      if (row[j - 1] + 1 < best) best = row[j - 1] + 1;
      row[j] = best;
      diag = up;
    }
  }
  return row[lb];
}

/* The allowed word closest to k, when it is close (a typo); else NULL. */
static const char *closest(const char *k, const char *const *allowed)
{
  const char *best = NULL;
  size_t bd = 3;                    /* at most two edits away */
  for (size_t j = 0; allowed[j]; j++) {
    size_t dd = distance(k, allowed[j]);
    if (dd < bd) {
      bd = dd;
      best = allowed[j];
    }
  }
  return best;
}

/* Refuse keys of map that are not in allowed (NULL-terminated). */
static bool only_keys(struct loadctx *L, const struct ynode *map,
                      const char *const *allowed, const char *what)
{
  bool ok = true;
  for (size_t i = 0; i < map->n; i++) {
    const char *k = map->keys[i]->text;
    size_t j;
    for (j = 0; allowed[j]; j++)
      if (strcmp(k, allowed[j]) == 0) break;
    if (!allowed[j]) {
      char list[512] = "";
      const char *best = closest(k, allowed);
      for (j = 0; allowed[j]; j++) {
        if (strcmp(allowed[j], "note") == 0) continue;
        strncat(list, strlen(list) ? ", " : "", sizeof list - strlen(list) - 1);
        strncat(list, allowed[j], sizeof list - strlen(list) - 1);
      }
      diag_add(L->d, L->file, map->keys[i]->line, map->keys[i]->col, NULL,
               "unknown key '%s' in %s%s%s%s (known keys: %s, note)", k, what,
               best ? "; did you mean '" : "", best ? best : "",
               best ? "'?" : "", list);
      ok = false;
    }
  }
  return ok;
}

static bool valid_name(const char *s, bool dots)
{
  size_t n = strlen(s);
  if (n == 0 || n > RULES_NAME_MAX) return false;
  if (!isalpha((unsigned char)s[0]) && s[0] != '_') return false;
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    if (isalnum(c) || c == '_') continue;
    if (dots && c == '.' && i + 1 < n && s[i + 1] != '.') continue;
    return false;
  }
  return true;
}

bool rules_parse_number(const char *s, struct money *out)
{
  size_t n = strlen(s);
  struct money v = MONEY_ZERO, hundred = MONEY_ZERO;
  bool pct = n > 1 && s[n - 1] == '%';

  if (money_parse(&v, s, pct ? n - 1 : n, 12, true) != MONEY_OK)
    return false;
  if (pct) {
    money_set_int(&hundred, 100);
    (void)money_div(&v, &v, &hundred);
  }
  money_copy(out, &v);
  money_clear(&v);
  return true;
}

static bool number(struct loadctx *L, const struct ynode *n,
                   const char *field, struct money *out)
{
  const char *s = scalar(L, n, field);
  if (!s) return false;
  if (!rules_parse_number(s, out)) {
    diag_add(L->d, L->file, n->line, n->col, field, "expected a number "
             "such as 3800, 0.005 or 16%%, got '%s'", s);
    return false;
  }
  return true;
}

static bool month_of(struct loadctx *L, const struct ynode *n, int *ym)
{
  const char *s = scalar(L, n, "from");
  if (!s) return false;
  if (!cal_parse_month(s, ym)) {
    err(L, n, "from", "expected a month YYYY-MM");
    return false;
  }
  return true;
}

static const char *intern_file(struct rules *r, const char *path)
{
  for (size_t i = 0; i < r->nfiles; i++)
    if (strcmp(r->files[i], path) == 0) return r->files[i];
  r->files = xrealloc(r->files, (r->nfiles + 1) * sizeof *r->files);
  r->files[r->nfiles] = xstrdup(path);
  return r->files[r->nfiles++];
}

/* ---- parameters --------------------------------------------------------- */

static void param_free(struct rules_param *p)
{
  for (size_t i = 0; i < p->nvalues; i++) {
    money_clear(&p->values[i].value);
    free(p->values[i].source);
    free(p->values[i].confidence);
  }
  free(p->values);
  free(p->name);
  free(p->label);
}

static struct rules_param *param_slot(struct rules *r, const char *name)
{
  for (size_t i = 0; i < r->nparams; i++)
    if (strcmp(r->params[i].name, name) == 0) return &r->params[i];
  r->params = xrealloc(r->params, (r->nparams + 1) * sizeof *r->params);
  memset(&r->params[r->nparams], 0, sizeof *r->params);
  r->params[r->nparams].name = xstrdup(name);
  return &r->params[r->nparams++];
}

/* Adds or replaces (same from month) one dated value, keeping order. */
static void param_put(struct rules_param *p, struct rules_value *v)
{
  size_t i;
  for (i = 0; i < p->nvalues; i++) {
    if (p->values[i].from_ym == v->from_ym) {
      money_clear(&p->values[i].value);
      free(p->values[i].source);
      free(p->values[i].confidence);
      p->values[i] = *v;
      return;
    }
    if (p->values[i].from_ym > v->from_ym) break;
  }
  p->values = xrealloc(p->values, (p->nvalues + 1) * sizeof *p->values);
  memmove(&p->values[i + 1], &p->values[i],
          (p->nvalues - i) * sizeof *p->values);
  p->values[i] = *v;
  p->nvalues++;
}

static bool load_value(struct loadctx *L, const struct ynode *n,
                       struct rules_param *p)
{
  static const char *const keys[] = {"from", "value", "source",
                                     "confidence", "note", NULL};
  struct rules_value v;
  bool ok;

  memset(&v, 0, sizeof v);
  v.value = MONEY_ZERO;
  if (n->kind != YNODE_MAP) {
    err(L, n, p->name, "expected {from: YYYY-MM, value: ..., source: ...}");
    return false;
  }
  ok = only_keys(L, n, keys, "a parameter value");
  ok &= month_of(L, ynode_get(n, "from"), &v.from_ym);
  if (!ynode_get(n, "from")) err(L, n, p->name, "a value needs 'from'");
  if (!ynode_get(n, "value")) err(L, n, p->name, "a value needs 'value'");
  if (!ynode_get(n, "source"))
    err(L, n, p->name, "every parameter value must cite its source");
  ok &= ynode_get(n, "from") && ynode_get(n, "source") &&
        number(L, ynode_get(n, "value"), p->name, &v.value);
  if (!ok) {
    money_clear(&v.value);
    return false;
  }
  for (size_t i = 0; i < p->nvalues; i++) {
    if (p->values[i].from_ym == v.from_ym && p->values[i].pos.file == L->file) {
      char m[8];
      cal_format_month(v.from_ym, m);
      diag_add(L->d, L->file, n->line, n->col, p->name, "a second value "
               "from %s (first at line %lu); each 'from' month appears "
               "once", m, p->values[i].pos.line);
      money_clear(&v.value);
      return false;
    }
  }
  if (ynode_get(n, "confidence") &&
      !ynode_is(ynode_get(n, "confidence"), "H") &&
      !ynode_is(ynode_get(n, "confidence"), "M") &&
      !ynode_is(ynode_get(n, "confidence"), "L")) {
    diag_add(L->d, L->file, ynode_get(n, "confidence")->line,
             ynode_get(n, "confidence")->col, "confidence", "'%s': "
             "confidence is H, M or L (H: official text seen; M: several "
             "sources agree; L: one source)", ynode_get(n, "confidence")->kind ==
             YNODE_SCALAR ? ynode_get(n, "confidence")->text : "?");
    money_clear(&v.value);
    return false;
  }
  v.source = dup_scalar(L, ynode_get(n, "source"), "source");
  v.confidence = dup_scalar(L, ynode_get(n, "confidence"), "confidence");
  v.pos = pos_of(L, n);
  param_put(p, &v);
  return true;
}

static bool load_params(struct loadctx *L, const struct ynode *map)
{
  static const char *const keys[] = {"label", "values", "unit", "note",
                                     NULL};
  bool ok = true;
  if (map->kind != YNODE_MAP) {
    err(L, map, "parameters", "expected a mapping of parameter names");
    return false;
  }
  for (size_t i = 0; i < map->n; i++) {
    const struct ynode *k = map->keys[i], *v = map->items[i];
    const struct ynode *vals = ynode_get(v, "values");
    struct rules_param *p;
    if (!valid_name(k->text, true)) {
      err(L, k, NULL, "a parameter name is letters, digits, '_' and '.'");
      ok = false;
      continue;
    }
    if (v->kind != YNODE_MAP || !vals || vals->kind != YNODE_SEQ) {
      err(L, v, k->text, "expected {label: ..., values: [{from, value, "
          "source}, ...]}");
      ok = false;
      continue;
    }
    ok &= only_keys(L, v, keys, "a parameter");
    p = param_slot(L->r, k->text);
    if (ynode_get(v, "label")) {
      free(p->label);
      p->label = dup_scalar(L, ynode_get(v, "label"), "label");
    }
    p->pos = pos_of(L, k);
    for (size_t j = 0; j < vals->n; j++)
      ok &= load_value(L, vals->items[j], p);
  }
  return ok;
}

const struct rules_param *rules_param(const struct rules *r,
                                      const char *name)
{
  for (size_t i = 0; i < r->nparams; i++)
    if (strcmp(r->params[i].name, name) == 0) return &r->params[i];
  return NULL;
}

const struct rules_value *rules_param_at(const struct rules_param *p,
                                         int ym)
{
  const struct rules_value *v = NULL;
  for (size_t i = 0; i < p->nvalues; i++)
    if (p->values[i].from_ym <= ym) v = &p->values[i];
  return v;
}

/* ---- tables ------------------------------------------------------------- */

static void table_free(struct rules_table *t)
{
  for (size_t i = 0; i < t->nrows; i++) {
    struct rules_row *row = &t->rows[i];
    for (size_t c = 0; c < t->ncols; c++) money_clear(&row->cells[c]);
    money_clear(&row->upto);
    free(row->cells);
    free(row->key);
    free(row->alias);
  }
  for (size_t c = 0; c < t->ncols; c++) free(t->cols[c]);
  free(t->cols);
  free(t->rows);
  free(t->name);
  free(t->label);
  free(t->source);
  memset(t, 0, sizeof *t);
}

static bool load_columns(struct loadctx *L, const struct ynode *cols,
                         struct rules_table *t)
{
  if (!cols || cols->kind != YNODE_SEQ || cols->n == 0) {
    err(L, cols, t->name, "a table needs 'columns': a list of names");
    return false;
  }
  t->cols = xcalloc(cols->n, sizeof *t->cols);
  for (size_t i = 0; i < cols->n; i++) {
    const char *c = scalar(L, cols->items[i], "columns");
    if (!c || !valid_name(c, false)) {
      err(L, cols->items[i], t->name, "a column name is letters, digits "
          "and '_'");
      return false;
    }
    t->cols[t->ncols++] = xstrdup(c);
  }
  return true;
}

static bool load_row(struct loadctx *L, const struct ynode *n,
                     struct rules_table *t, struct rules_row *row)
{
  bool ok = true;
  row->cells = xcalloc(t->ncols, sizeof *row->cells);
  row->pos = pos_of(L, n);
  for (size_t c = 0; c < t->ncols; c++) row->cells[c] = MONEY_ZERO;
  row->upto = MONEY_ZERO;
  if (n->kind != YNODE_MAP) {
    err(L, n, t->name, "a table row is a mapping of column: value");
    return false;
  }
  for (size_t i = 0; i < n->n; i++) {
    const char *k = n->keys[i]->text;
    int c = rules_table_col(t, k);
    if (c >= 0) {
      ok &= number(L, n->items[i], k, &row->cells[c]);
    } else if (t->kind == RULES_TABLE_LOOKUP && strcmp(k, "key") == 0) {
      row->key = dup_scalar(L, n->items[i], "key");
    } else if (t->kind == RULES_TABLE_LOOKUP && strcmp(k, "zh") == 0) {
      row->alias = dup_scalar(L, n->items[i], "zh");
    } else if (t->kind == RULES_TABLE_BRACKET && strcmp(k, "upto") == 0) {
      if (ynode_is(n->items[i], "above")) row->unbounded = true;
      else ok &= number(L, n->items[i], "upto", &row->upto);
    } else {
      diag_add(L->d, L->file, n->keys[i]->line, n->keys[i]->col, t->name,
               "'%s' is not a column of this table", k);
      ok = false;
    }
  }
  for (size_t c = 0; c < t->ncols; c++) {
    if (!ynode_get(n, t->cols[c])) {
      diag_add(L->d, L->file, n->line, n->col, t->name, "row has no value "
               "for column '%s'", t->cols[c]);
      ok = false;
    }
  }
  if (t->kind == RULES_TABLE_LOOKUP && !row->key) {
    err(L, n, t->name, "a lookup row needs a 'key'");
    ok = false;
  }
  if (t->kind == RULES_TABLE_BRACKET && !ynode_get(n, "upto")) {
    err(L, n, t->name, "a bracket row needs 'upto' (a number, or 'above' "
        "on the last row)");
    ok = false;
  }
  return ok;
}

/* Bracket rows must rise strictly and end with one 'above' row. */
static bool check_brackets(struct loadctx *L, const struct rules_table *t)
{
  for (size_t i = 0; i < t->nrows; i++) {
    const struct rules_row *row = &t->rows[i];
    bool last = i + 1 == t->nrows;
    if (row->unbounded != last) {
      diag_add(L->d, row->pos.file, row->pos.line, row->pos.col, t->name,
               "only the last bracket row is 'upto: above'");
      return false;
    }
    if (i > 0 && !row->unbounded &&
        money_cmp(&row->upto, &t->rows[i - 1].upto) <= 0) {
      diag_add(L->d, row->pos.file, row->pos.line, row->pos.col, t->name,
               "bracket bounds must rise from row to row");
      return false;
    }
  }
  return true;
}

static bool load_table(struct loadctx *L, const struct ynode *k,
                       const struct ynode *v, struct rules_table *t)
{
  static const char *const keys[] = {"label", "kind", "columns", "rows",
                                     "source", "note", NULL};
  const struct ynode *rows = ynode_get(v, "rows");
  const struct ynode *kind = ynode_get(v, "kind");
  bool ok = true;

  t->name = xstrdup(k->text);
  t->pos = pos_of(L, k);
  if (v->kind != YNODE_MAP) {
    err(L, v, k->text, "expected {kind, columns, rows}");
    return false;
  }
  ok &= only_keys(L, v, keys, "a table");
  t->label = dup_scalar(L, ynode_get(v, "label"), "label");
  t->source = dup_scalar(L, ynode_get(v, "source"), "source");
  if (ynode_is(kind, "bracket")) t->kind = RULES_TABLE_BRACKET;
  else if (!kind || ynode_is(kind, "lookup")) t->kind = RULES_TABLE_LOOKUP;
  else {
    err(L, kind, "kind", "a table's kind is 'lookup' or 'bracket'");
    return false;
  }
  if (!load_columns(L, ynode_get(v, "columns"), t)) return false;
  if (!rows || rows->kind != YNODE_SEQ || rows->n == 0) {
    err(L, v, k->text, "a table needs 'rows'");
    return false;
  }
  t->rows = xcalloc(rows->n, sizeof *t->rows);
  for (size_t i = 0; i < rows->n; i++) {
    ok &= load_row(L, rows->items[i], t, &t->rows[i]);
    t->nrows++;
  }
  for (size_t i = 0; ok && t->kind == RULES_TABLE_LOOKUP && i < t->nrows;
       i++) {
    for (size_t j = 0; j < i; j++) {
      if (strcmp(t->rows[i].key, t->rows[j].key) == 0) {
        diag_add(L->d, L->file, t->rows[i].pos.line, t->rows[i].pos.col,
                 t->name, "duplicate key '%s'", t->rows[i].key);
        ok = false;
      }
    }
  }
  if (ok && t->kind == RULES_TABLE_BRACKET) ok = check_brackets(L, t);
  return ok;
}

static bool load_tables(struct loadctx *L, const struct ynode *map)
{
  bool ok = true;
  if (map->kind != YNODE_MAP) {
    err(L, map, "tables", "expected a mapping of table names");
    return false;
  }
  for (size_t i = 0; i < map->n; i++) {
    struct rules_table t;
    struct rules *r = L->r;
    size_t j;
    memset(&t, 0, sizeof t);
    if (!valid_name(map->keys[i]->text, true)) {
      err(L, map->keys[i], NULL, "a table name is letters, digits, '_' "
          "and '.'");
      ok = false;
      continue;
    }
    if (!load_table(L, map->keys[i], map->items[i], &t)) {
      table_free(&t);
      ok = false;
      continue;
    }
    for (j = 0; j < r->ntables; j++)
      if (strcmp(r->tables[j].name, t.name) == 0) break;
    if (j == r->ntables) {
      r->tables = xrealloc(r->tables, (r->ntables + 1) * sizeof t);
      r->ntables++;
    } else {
      table_free(&r->tables[j]);
    }
    r->tables[j] = t;
  }
  return ok;
}

const struct rules_table *rules_table(const struct rules *r,
                                      const char *name)
{
  for (size_t i = 0; i < r->ntables; i++)
    if (strcmp(r->tables[i].name, name) == 0) return &r->tables[i];
  return NULL;
}

int rules_table_col(const struct rules_table *t, const char *col)
{
  for (size_t i = 0; i < t->ncols; i++)
    if (strcmp(t->cols[i], col) == 0) return (int)i;
  return -1;
}

const struct rules_row *rules_table_row(const struct rules_table *t,
                                        const char *key)
{
  for (size_t i = 0; i < t->nrows; i++) {
    const struct rules_row *row = &t->rows[i];
    if (row->key && strcmp(row->key, key) == 0) return row;
    if (row->alias && strcmp(row->alias, key) == 0) return row;
  }
  return NULL;
}

/* ---- items and checks --------------------------------------------------- */

static bool level_of(struct loadctx *L, const struct ynode *n,
                     enum rules_level *out)
{
  if (!n || ynode_is(n, "employee")) *out = RULES_EMPLOYEE;
  else if (ynode_is(n, "agency")) *out = RULES_AGENCY;
  else if (ynode_is(n, "district")) *out = RULES_DISTRICT;
  else {
    err(L, n, "level", "level is employee, agency or district");
    return false;
  }
  return true;
}

/* "0.01 half_away" -> step and mode. */
static bool round_of(struct loadctx *L, const struct ynode *n,
                     struct rules_item *it)
{
  const char *s = scalar(L, n, "round");
  const char *sp;
  char step[32];

  if (!s) return false;
  sp = strchr(s, ' ');
  if (!sp || (size_t)(sp - s) >= sizeof step) goto bad;
  memcpy(step, s, (size_t)(sp - s));
  step[sp - s] = '\0';
  while (*sp == ' ') sp++;
  if (!rules_parse_number(step, &it->round_step)) goto bad;
  if (money_sgn(&it->round_step) <= 0) {
    diag_add(L->d, L->file, n->line, n->col, "round", "'%s': the step must "
             "be a positive number such as 0.01, 0.1 or 1", s);
    return false;
  }
  if (!money_round_parse(sp, &it->round_mode)) {
    diag_add(L->d, L->file, n->line, n->col, "round", "'%s': unknown "
             "rounding mode '%s' (modes: half_away, half_up, half_even, up, "
             "down, ceiling, floor, jian_fen_jin_jiao)", s, sp);
    return false;
  }
  it->rounded = true;
  return true;
bad:
  diag_add(L->d, L->file, n->line, n->col, "round", "'%s': expected a step "
           "and a mode, such as '0.01 half_away' (modes: half_away, "
           "half_up, half_even, up, down, ceiling, floor, "
           "jian_fen_jin_jiao)", s);
  return false;
}

static void item_free(struct rules_item *it)
{
  free(it->name);
  free(it->zh);
  free(it->kind);
  free(it->account);
  free(it->formula);
  money_clear(&it->round_step);
}

static bool formula_pos(struct loadctx *L, const struct ynode *f,
                        struct rules_pos *p, char **text)
{
  const char *s = scalar(L, f, "formula");
  if (!s) return false;
  *text = xstrdup(s);
  *p = pos_of(L, f);
  /* A quoted formula starts one column after its quote; a block scalar
  ** (| or >) on the line after its indicator. */
  if (f->block) {
    p->line++;
    p->col = 0;
  } else if (!f->plain) {
    p->col++;
  }
  return true;
}

static bool load_item(struct loadctx *L, const struct ynode *n,
                      struct rules_item *it)
{
  static const char *const keys[] = {"name", "zh", "level", "kind",
                                     "account", "formula", "round",
                                     "decimals", "note", "source", NULL};
  const struct ynode *name = ynode_get(n, "name");
  const struct ynode *dec = ynode_get(n, "decimals");
  bool ok;

  it->round_step = MONEY_ZERO;
  it->decimals = -1;
  it->pos = pos_of(L, n);
  if (n->kind != YNODE_MAP) {
    err(L, n, "items", "an item is a mapping {name, formula, ...}");
    return false;
  }
  ok = only_keys(L, n, keys, "an item");
  if (!name || !scalar(L, name, "name") || !valid_name(name->text, false)) {
    err(L, name ? name : n, "name", "an item needs a 'name' of letters, "
        "digits and '_'");
    return false;
  }
  it->name = xstrdup(name->text);
  it->zh = dup_scalar(L, ynode_get(n, "zh"), "zh");
  it->kind = dup_scalar(L, ynode_get(n, "kind"), "kind");
  it->account = dup_scalar(L, ynode_get(n, "account"), "account");
  ok &= level_of(L, ynode_get(n, "level"), &it->level);
  if (!ynode_get(n, "formula")) {
    err(L, n, it->name, "an item needs a 'formula'");
    ok = false;
  } else {
    ok &= formula_pos(L, ynode_get(n, "formula"), &it->formula_pos,
                      &it->formula);
  }
  if (ynode_get(n, "round")) ok &= round_of(L, ynode_get(n, "round"), it);
  if (dec) {
    const char *s = scalar(L, dec, "decimals");
    if (!s || strlen(s) != 1 || !isdigit((unsigned char)s[0])) {
      err(L, dec, "decimals", "decimals is a digit 0-9");
      ok = false;
    } else {
      it->decimals = s[0] - '0';
    }
  }
  return ok;
}

static bool load_items(struct loadctx *L, const struct ynode *seq)
{
  struct rules *r = L->r;
  bool ok = true;
  if (seq->kind != YNODE_SEQ) {
    err(L, seq, "items", "expected a list of items");
    return false;
  }
  for (size_t i = 0; i < seq->n; i++) {
    struct rules_item it;
    int j;
    memset(&it, 0, sizeof it);
    if (!load_item(L, seq->items[i], &it)) {
      item_free(&it);
      ok = false;
      continue;
    }
    j = rules_item_index(r, it.name);
    if (j >= 0 && r->items[j].pos.file == L->file) {
      diag_add(L->d, L->file, it.pos.line, it.pos.col, it.name, "a second "
               "item named '%s' in this file (first at line %lu); a file "
               "may replace an included item, not its own", it.name,
               r->items[j].pos.line);
      item_free(&it);
      ok = false;
      continue;
    }
    if (j < 0) {
      r->items = xrealloc(r->items, (r->nitems + 1) * sizeof it);
      j = (int)r->nitems++;
    } else {
      item_free(&r->items[j]);     /* a replacement keeps its place */
    }
    r->items[j] = it;
  }
  return ok;
}

static void check_free(struct rules_check *c)
{
  free(c->name);
  free(c->rule);
  free(c->message);
  free(c->field);
  for (size_t i = 0; i < c->nshow; i++) free(c->show[i]);
  free(c->show);
}

static bool load_check(struct loadctx *L, const struct ynode *n,
                       struct rules_check *c)
{
  static const char *const keys[] = {"name", "level", "rule", "message",
                                     "field", "show", NULL};
  const struct ynode *show = ynode_get(n, "show");
  bool ok;

  c->pos = pos_of(L, n);
  if (n->kind != YNODE_MAP) {
    err(L, n, "checks", "a check is a mapping {name, rule, message}");
    return false;
  }
  ok = only_keys(L, n, keys, "a check");
  c->name = dup_scalar(L, ynode_get(n, "name"), "name");
  c->message = dup_scalar(L, ynode_get(n, "message"), "message");
  c->field = dup_scalar(L, ynode_get(n, "field"), "field");
  ok &= level_of(L, ynode_get(n, "level"), &c->level);
  if (!c->name || !c->message || !ynode_get(n, "rule")) {
    err(L, n, "checks", "a check needs 'name', 'rule' and 'message'");
    return false;
  }
  ok &= formula_pos(L, ynode_get(n, "rule"), &c->rule_pos, &c->rule);
  if (show) {
    if (show->kind != YNODE_SEQ) {
      err(L, show, "show", "expected a list of item names");
      return false;
    }
    c->show = xcalloc(show->n, sizeof *c->show);
    for (size_t i = 0; i < show->n; i++) {
      char *s = dup_scalar(L, show->items[i], "show");
      if (!s) return false;
      c->show[c->nshow++] = s;
    }
  }
  return ok;
}

static bool load_checks(struct loadctx *L, const struct ynode *seq)
{
  struct rules *r = L->r;
  bool ok = true;
  if (seq->kind != YNODE_SEQ) {
    err(L, seq, "checks", "expected a list of checks");
    return false;
  }
  for (size_t i = 0; i < seq->n; i++) {
    struct rules_check c;
    size_t j;
    memset(&c, 0, sizeof c);
    if (!load_check(L, seq->items[i], &c)) {
      check_free(&c);
      ok = false;
      continue;
    }
    for (j = 0; j < r->nchecks; j++)
      if (strcmp(r->checks[j].name, c.name) == 0) break;
    if (j == r->nchecks) {
      r->checks = xrealloc(r->checks, (r->nchecks + 1) * sizeof c);
      r->nchecks++;
    } else {
      check_free(&r->checks[j]);
    }
    r->checks[j] = c;
  }
  return ok;
}

const struct rules_item *rules_item(const struct rules *r, const char *name)
{
  int i = rules_item_index(r, name);
  return i < 0 ? NULL : &r->items[i];
}

int rules_item_index(const struct rules *r, const char *name)
{
  for (size_t i = 0; i < r->nitems; i++)
    if (strcmp(r->items[i].name, name) == 0) return (int)i;
  return -1;
}

/* ---- input schema ------------------------------------------------------- */

static const char *const FILE_ROLES[RULES_FILES] = {
  "agencies", "roster", "attendance", "adjustments", "satisfaction",
  "ytd_opening", "retro"
};

static const struct { const char *name; enum rules_ctype type; } CTYPES[] = {
  {"id", RULES_C_ID}, {"text", RULES_C_TEXT},
  {"resident_id", RULES_C_RESIDENT_ID}, {"digits", RULES_C_DIGITS},
  {"agency", RULES_C_AGENCY}, {"table", RULES_C_TABLE},
  {"adjustment", RULES_C_ADJUSTMENT}, {"date", RULES_C_DATE},
  {"decimal", RULES_C_DECIMAL}, {"integer", RULES_C_INTEGER},
  {"halves", RULES_C_HALVES}, {"bool", RULES_C_BOOL}
};

static void column_free(struct rules_column *c)
{
  free(c->name);
  free(c->zh);
  free(c->def);
  free(c->table);
  money_clear(&c->min);
  money_clear(&c->max);
}

static void input_free(struct rules_input *in)
{
  for (size_t i = 0; i < in->ncols; i++) column_free(&in->cols[i]);
  free(in->cols);
  free(in->file);
  free(in->zh);
  memset(in, 0, sizeof *in);
}

static bool small_uint(struct loadctx *L, const struct ynode *n,
                       const char *field, unsigned *out)
{
  const char *s = scalar(L, n, field);
  if (!s || strlen(s) == 0 || strlen(s) > 4 ||
      strspn(s, "0123456789") != strlen(s)) {
    err(L, n, field, "expected a small whole number");
    return false;
  }
  *out = (unsigned)atoi(s);
  return true;
}

static bool load_column_type(struct loadctx *L, const struct ynode *n,
                             struct rules_column *c)
{
  const struct ynode *t = ynode_get(n, "type");
  size_t i;
  for (i = 0; i < sizeof CTYPES / sizeof CTYPES[0]; i++)
    if (ynode_is(t, CTYPES[i].name)) break;
  if (i == sizeof CTYPES / sizeof CTYPES[0]) {
    err(L, t ? t : n, c->name, "a column needs a 'type': id, text, "
        "resident_id, digits, agency, table, adjustment, date, decimal, "
        "integer, halves or bool");
    return false;
  }
  c->type = CTYPES[i].type;
  if (c->type == RULES_C_TABLE) {
    c->table = dup_scalar(L, ynode_get(n, "table"), "table");
    if (!c->table) {
      err(L, n, c->name, "a 'table' column names its table");
      return false;
    }
  }
  return true;
}

static bool load_column(struct loadctx *L, const struct ynode *n,
                        struct rules_column *c)
{
  static const char *const keys[] = {"name", "zh", "type", "required",
    "unique", "default", "table", "decimals", "min", "max", "min_len",
    "max_len", "note", NULL};
  bool ok = true;

  c->min = c->max = MONEY_ZERO;
  c->pos = pos_of(L, n);
  if (n->kind != YNODE_MAP || !ynode_get(n, "name")) {
    err(L, n, "columns", "a column is {name, zh, type, ...}");
    return false;
  }
  ok &= only_keys(L, n, keys, "a column");
  c->name = dup_scalar(L, ynode_get(n, "name"), "name");
  c->zh = dup_scalar(L, ynode_get(n, "zh"), "zh");
  if (!c->name || !valid_name(c->name, false)) {
    err(L, n, "name", "a column name is letters, digits and '_'");
    return false;
  }
  ok &= load_column_type(L, n, c);
  c->required = ynode_is(ynode_get(n, "required"), "true");
  c->unique = ynode_is(ynode_get(n, "unique"), "true");
  c->def = dup_scalar(L, ynode_get(n, "default"), "default");
  if (ynode_get(n, "decimals"))
    ok &= small_uint(L, ynode_get(n, "decimals"), "decimals", &c->decimals);
  if (ynode_get(n, "min_len"))
    ok &= small_uint(L, ynode_get(n, "min_len"), "min_len", &c->min_len);
  if (ynode_get(n, "max_len"))
    ok &= small_uint(L, ynode_get(n, "max_len"), "max_len", &c->max_len);
  if ((c->has_min = ynode_get(n, "min") != NULL))
    ok &= number(L, ynode_get(n, "min"), "min", &c->min);
  if ((c->has_max = ynode_get(n, "max") != NULL))
    ok &= number(L, ynode_get(n, "max"), "max", &c->max);
  return ok;
}

static bool load_input(struct loadctx *L, const struct ynode *n,
                       struct rules_input *in)
{
  static const char *const keys[] = {"file", "zh", "optional", "in_month",
                                     "columns", "note", NULL};
  const struct ynode *cols = ynode_get(n, "columns");
  bool ok;

  input_free(in);
  in->pos = pos_of(L, n);
  if (n->kind != YNODE_MAP || !cols || cols->kind != YNODE_SEQ) {
    err(L, n, "inputs", "an input file is {file, columns: [...]}");
    return false;
  }
  ok = only_keys(L, n, keys, "an input file");
  in->file = dup_scalar(L, ynode_get(n, "file"), "file");
  in->zh = dup_scalar(L, ynode_get(n, "zh"), "zh");
  in->optional = ynode_is(ynode_get(n, "optional"), "true");
  in->in_month = ynode_is(ynode_get(n, "in_month"), "true");
  if (!in->file || strchr(in->file, '/') || in->file[0] == '.') {
    err(L, n, "file", "an input file is a plain file name (no '/')");
    return false;
  }
  in->cols = xcalloc(cols->n, sizeof *in->cols);
  for (size_t i = 0; i < cols->n; i++) {
    ok &= load_column(L, cols->items[i], &in->cols[in->ncols]);
    in->ncols++;
  }
  return ok;
}

static bool load_inputs(struct loadctx *L, const struct ynode *map)
{
  bool ok = true;
  if (map->kind != YNODE_MAP) {
    err(L, map, "inputs", "expected a mapping of input files");
    return false;
  }
  for (size_t i = 0; i < map->n; i++) {
    size_t f;
    for (f = 0; f < RULES_FILES; f++)
      if (strcmp(map->keys[i]->text, FILE_ROLES[f]) == 0) break;
    if (f == RULES_FILES) {
      err(L, map->keys[i], NULL, "unknown input file role (agencies, "
          "roster, attendance, adjustments, satisfaction, ytd_opening, "
          "retro)");
      ok = false;
      continue;
    }
    ok &= load_input(L, map->items[i], &L->r->inputs[f]);
  }
  return ok;
}

int rules_column(const struct rules_input *in, const char *name)
{
  for (size_t i = 0; i < in->ncols; i++)
    if (strcmp(in->cols[i].name, name) == 0) return (int)i;
  return -1;
}

/* ---- adjustments and history -------------------------------------------- */

static bool load_adjustments(struct loadctx *L, const struct ynode *seq)
{
  struct rules *r = L->r;
  if (seq->kind != YNODE_SEQ) {
    err(L, seq, "adjustments", "expected a list of {name, zh}");
    return false;
  }
  for (size_t i = 0; i < seq->n; i++) {
    const struct ynode *n = seq->items[i];
    struct rules_adjustment *a;
    const char *name = scalar(L, ynode_get(n, "name"), "name");
    if (!name || !valid_name(name, false) || rules_adjustment(r, name) >= 0) {
      err(L, n, "adjustments", "an adjustment needs a new 'name'");
      return false;
    }
    r->adjust = xrealloc(r->adjust, (r->nadjust + 1) * sizeof *r->adjust);
    a = &r->adjust[r->nadjust++];
    a->name = xstrdup(name);
    a->zh = dup_scalar(L, ynode_get(n, "zh"), "zh");
    a->once_per_year = ynode_is(ynode_get(n, "once_per_year"), "true");
    a->retro = ynode_is(ynode_get(n, "retro"), "true");
    a->pos = pos_of(L, n);
  }
  return true;
}

int rules_adjustment(const struct rules *r, const char *name)
{
  for (size_t i = 0; i < r->nadjust; i++) {
    if (strcmp(r->adjust[i].name, name) == 0) return (int)i;
    if (r->adjust[i].zh && strcmp(r->adjust[i].zh, name) == 0)
      return (int)i;
  }
  return -1;
}

/* retro: a list of {into: ADJUSTMENT, items: [ITEM, ...]}; a later file's
** list replaces an earlier one. Names are checked by validate(). */
static bool load_retro(struct loadctx *L, const struct ynode *seq)
{
  static const char *const keys[] = {"into", "items", NULL};
  struct rules *r = L->r;
  bool ok = true;
  if (seq->kind != YNODE_SEQ) {
    err(L, seq, "retro", "expected a list of {into, items: [...]}");
    return false;
  }
  rules_retro_free(r);
  r->retro = xcalloc(seq->n + 1, sizeof *r->retro);
  for (size_t i = 0; i < seq->n; i++) {
    const struct ynode *n = seq->items[i], *its = ynode_get(n, "items");
    struct rules_retro *x = &r->retro[r->nretro];
    if (n->kind != YNODE_MAP || !only_keys(L, n, keys, "a retro entry") ||
        !its || its->kind != YNODE_SEQ || its->n == 0) {
      err(L, n, "retro", "a retro entry is {into: ADJUSTMENT, items: "
          "[ITEM, ...]}");
      ok = false;
      continue;
    }
    x->into = dup_scalar(L, ynode_get(n, "into"), "into");
    x->items = xcalloc(its->n, sizeof *x->items);
    for (size_t k = 0; k < its->n; k++) {
      char *s = dup_scalar(L, its->items[k], "items");
      if (s) x->items[x->nitems++] = s;
    }
    x->pos = pos_of(L, n);
    r->nretro++;
    ok &= x->into != NULL && x->nitems == its->n;
  }
  return ok;
}

void rules_retro_free(struct rules *r)
{
  for (size_t i = 0; i < r->nretro; i++) {
    for (size_t k = 0; k < r->retro[i].nitems; k++)
      free(r->retro[i].items[k]);
    free(r->retro[i].items);
    free(r->retro[i].into);
  }
  free(r->retro);
  r->retro = NULL;
  r->nretro = 0;
}

static bool load_history(struct loadctx *L, const struct ynode *n)
{
  const struct ynode *open = ynode_get(n, "opening");
  struct rules *r = L->r;
  if (!open || open->kind != YNODE_MAP) {
    err(L, n, "history", "expected {opening: {column: item, ...}}");
    return false;
  }
  for (size_t i = 0; i < open->n; i++) {
    const char *item = scalar(L, open->items[i], open->keys[i]->text);
    if (!item) return false;
    if (strcmp(item, "@months") == 0) {
      free(r->opening_months);
  free(r->outputs_file);
      r->opening_months = xstrdup(open->keys[i]->text);
      continue;
    }
    r->opening = xrealloc(r->opening, (r->nopening + 1) *
                          sizeof *r->opening);
    r->opening[r->nopening].column = xstrdup(open->keys[i]->text);
    r->opening[r->nopening].item = xstrdup(item);
    r->opening[r->nopening++].pos = pos_of(L, open->items[i]);
  }
  return true;
}

/* ---- the journal -------------------------------------------------------- */

static void txn_free(struct rules_txn *t)
{
  for (size_t i = 0; i < t->nlines; i++) {
    free(t->lines[i].account);
    free(t->lines[i].formula);
  }
  free(t->lines);
  free(t->name);
  free(t->zh);
}

static bool load_jline(struct loadctx *L, const struct ynode *n,
                       struct rules_jline *l)
{
  static const char *const keys[] = {"debit", "credit", "amount", "note",
                                     NULL};
  const struct ynode *dr = ynode_get(n, "debit"), *cr = ynode_get(n,
                                                                "credit");
  if (n->kind != YNODE_MAP || (!dr == !cr) || !ynode_get(n, "amount")) {
    err(L, n, "journal", "a journal line is {debit: ACCOUNT, amount: "
        "FORMULA} or {credit: ACCOUNT, amount: FORMULA}");
    return false;
  }
  if (!only_keys(L, n, keys, "a journal line")) return false;
  l->debit = dr != NULL;
  l->account = dup_scalar(L, dr ? dr : cr, "account");
  if (!l->account || !l->account[0] || strstr(l->account, "  ") ||
      strchr(l->account, ';')) {
    err(L, dr ? dr : cr, "account", "an account name is text without "
        "two spaces in a row or ';' (hledger reads it)");
    return false;
  }
  return formula_pos(L, ynode_get(n, "amount"), &l->formula_pos,
                     &l->formula);
}

static bool load_journal(struct loadctx *L, const struct ynode *seq)
{
  static const char *const keys[] = {"name", "zh", "lines", "note", NULL};
  struct rules *r = L->r;
  bool ok = true;
  if (seq->kind != YNODE_SEQ) {
    err(L, seq, "journal", "expected a list of transactions");
    return false;
  }
  for (size_t i = 0; i < seq->n; i++) {
    const struct ynode *n = seq->items[i], *lines = ynode_get(n, "lines");
    struct rules_txn t;
    memset(&t, 0, sizeof t);
    t.pos = pos_of(L, n);
    if (n->kind != YNODE_MAP || !lines || lines->kind != YNODE_SEQ ||
        !ynode_get(n, "name")) {
      err(L, n, "journal", "a transaction is {name, zh, lines: [...]}");
      ok = false;
      continue;
    }
    ok &= only_keys(L, n, keys, "a transaction");
    t.name = dup_scalar(L, ynode_get(n, "name"), "name");
    t.zh = dup_scalar(L, ynode_get(n, "zh"), "zh");
    t.lines = xcalloc(lines->n, sizeof *t.lines);
    for (size_t k = 0; k < lines->n; k++) {
      ok &= load_jline(L, lines->items[k], &t.lines[t.nlines]);
      t.nlines++;
    }
    {
      size_t j;
      for (j = 0; j < r->ntxns; j++)      /* a later file replaces it */
        if (strcmp(r->txns[j].name, t.name) == 0) break;
      if (j == r->ntxns) {
        r->txns = xrealloc(r->txns, (r->ntxns + 1) * sizeof *r->txns);
        r->ntxns++;
      } else {
        txn_free(&r->txns[j]);
      }
      r->txns[j] = t;
    }
  }
  return ok;
}

/* ---- the run report ---------------------------------------------------- */

static void summary_free(struct rules *r)
{
  for (size_t i = 0; i < r->ntotals; i++) free(r->totals[i]);
  for (size_t i = 0; i < r->nalerts; i++) {
    free(r->alerts[i].item);
    free(r->alerts[i].message);
  }
  free(r->totals);
  free(r->alerts);
  free(r->compare);
  r->compare = NULL;
  r->totals = NULL;
  r->alerts = NULL;
  r->ntotals = r->nalerts = 0;
}

static bool load_summary(struct loadctx *L, const struct ynode *n)
{
  static const char *const keys[] = {"totals", "alerts", "compare", "note",
                                     NULL};
  const struct ynode *tot = ynode_get(n, "totals"), *al = ynode_get(n,
                                                                 "alerts");
  struct rules *r = L->r;
  if (n->kind != YNODE_MAP || !only_keys(L, n, keys, "the summary"))
    return false;
  summary_free(r);                /* a later file replaces the summary */
  if (ynode_get(n, "compare"))
    r->compare = dup_scalar(L, ynode_get(n, "compare"), "compare");
  if (tot && tot->kind == YNODE_SEQ) {
    r->totals = xcalloc(tot->n + 1, sizeof *r->totals);
    for (size_t i = 0; i < tot->n; i++) {
      char *s = dup_scalar(L, tot->items[i], "totals");
      if (!s) return false;
      r->totals[r->ntotals++] = s;
    }
  }
  if (al && al->kind == YNODE_SEQ) {
    r->alerts = xcalloc(al->n + 1, sizeof *r->alerts);
    for (size_t i = 0; i < al->n; i++) {
      struct rules_alert *a = &r->alerts[r->nalerts];
      a->item = dup_scalar(L, ynode_get(al->items[i], "item"), "item");
      a->message = dup_scalar(L, ynode_get(al->items[i], "message"),
                              "message");
      a->pos = pos_of(L, al->items[i]);
      r->nalerts++;
      if (!a->item || !a->message) {
        err(L, al->items[i], "alerts", "an alert is {item, message}");
        return false;
      }
    }
  }
  return true;
}

/* ---- kinds of item -------------------------------------------------------- */

static bool load_kinds(struct loadctx *L, const struct ynode *map)
{
  static const char *const keys[] = {"label", "decimals", "note", NULL};
  struct rules *r = L->r;
  bool ok = true;
  if (map->kind != YNODE_MAP) {
    err(L, map, "kinds", "expected a mapping of kind names");
    return false;
  }
  for (size_t i = 0; i < map->n; i++) {
    const struct ynode *v = map->items[i];
    const struct ynode *dec = ynode_get(v, "decimals");
    struct rules_kind *k = NULL;
    unsigned d = 0;
    if (v->kind != YNODE_MAP) {
      err(L, v, map->keys[i]->text, "a kind is {label, decimals}");
      ok = false;
      continue;
    }
    ok &= only_keys(L, v, keys, "a kind");
    for (size_t j = 0; j < r->nkinds; j++)
      if (strcmp(r->kinds[j].name, map->keys[i]->text) == 0)
        k = &r->kinds[j];
    if (!k) {
      r->kinds = xrealloc(r->kinds, (r->nkinds + 1) * sizeof *r->kinds);
      k = &r->kinds[r->nkinds++];
      memset(k, 0, sizeof *k);
      k->name = xstrdup(map->keys[i]->text);
    }
    free(k->label);
    k->label = dup_scalar(L, ynode_get(v, "label"), "label");
    k->decimals = -1;
    k->pos = pos_of(L, map->keys[i]);
    if (dec && small_uint(L, dec, "decimals", &d)) k->decimals = (int)d;
  }
  return ok;
}

/* Decimals shown: the item's own, else its kind's, else its rounding
** step's. An item's kind must be declared when the rule set has kinds. */
static bool resolve_kinds(struct rules *r, struct diag_list *d)
{
  bool ok = true;
  for (size_t i = 0; i < r->nitems; i++) {
    struct rules_item *it = &r->items[i];
    const struct rules_kind *k = NULL;
    for (size_t j = 0; it->kind && j < r->nkinds; j++)
      if (strcmp(r->kinds[j].name, it->kind) == 0) k = &r->kinds[j];
    if (it->kind && !k && r->nkinds) {
      diag_add(d, it->pos.file, it->pos.line, it->pos.col, it->name,
               "kind '%s' is not one of the rule set's kinds", it->kind);
      ok = false;
    }
    if (it->decimals < 0 && k) it->decimals = k->decimals;
    if (it->decimals < 0 && it->rounded) {
      int dec = 0;
      struct money s = MONEY_ZERO, ten = MONEY_ZERO;
      money_copy(&s, &it->round_step);
      money_set_int(&ten, 10);
      while (!money_is_integer(&s) && dec < 9) {
        money_mul(&s, &s, &ten);
        dec++;
      }
      money_clear(&s);
      it->decimals = dec;
    }
  }
  return ok;
}

/* ---- files and includes ------------------------------------------------- */

static bool load_file(struct rules *r, const char *path,
                      const struct loadctx *parent, struct diag_list *d);

static char *sibling_path(const char *base, const char *rel)
{
  const char *slash = strrchr(base, '/');
  if (rel[0] == '/' || !slash) return xstrdup(rel);
  return xasprintf("%.*s/%s", (int)(slash - base), base, rel);
}

static bool load_includes(struct loadctx *L, const struct ynode *inc)
{
  bool ok = true;
  if (inc->kind != YNODE_SEQ) {
    err(L, inc, "include", "expected a list of file names");
    return false;
  }
  for (size_t i = 0; i < inc->n; i++) {
    const char *rel = scalar(L, inc->items[i], "include");
    char *p;
    if (!rel) return false;
    bool seen = false;
    p = sibling_path(L->file, rel);
    for (const struct loadctx *a = L; a; a = a->parent) {
      if (strcmp(a->file, p) == 0) {
        err(L, inc->items[i], "include", "include cycle: this file "
            "includes itself through its includes");
        free(p);
        return false;
      }
    }
    for (size_t k = 0; k < L->r->nfiles; k++)
      seen |= strcmp(L->r->files[k], p) == 0;
    if (!seen && !vfs_exists(p)) {
      diag_add(L->d, L->file, inc->items[i]->line, inc->items[i]->col,
               "include", "cannot read '%s' (paths are relative to the "
               "including file)", p);
      ok = false;
    } else if (!seen) {         /* a file included twice is read once */
      ok &= load_file(L->r, p, L, L->d);
    }
    free(p);
  }
  return ok;
}

static bool load_sections(struct loadctx *L, const struct ynode *root)
{
  static const char *const keys[] = {"name", "description", "include",
    "calendar", "parameters", "tables", "inputs", "adjustments", "history",
    "kinds", "items", "checks", "journal", "summary", "outputs", "note",
    "retro", NULL};
  const struct ynode *n;
  struct rules *r = L->r;
  bool ok = only_keys(L, root, keys, "a rule file");

  if ((n = ynode_get(root, "include"))) ok &= load_includes(L, n);
  if ((n = ynode_get(root, "name"))) {
    free(r->name);
    r->name = dup_scalar(L, n, "name");
  }
  if ((n = ynode_get(root, "description"))) {
    free(r->description);
    r->description = dup_scalar(L, n, "description");
  }
  if ((n = ynode_get(root, "calendar"))) {
    cal_free(&r->cal);
    r->has_cal = cal_load(&r->cal, n, L->file, L->d);
    ok &= r->has_cal;
  }
  if ((n = ynode_get(root, "parameters"))) ok &= load_params(L, n);
  if ((n = ynode_get(root, "tables"))) ok &= load_tables(L, n);
  if ((n = ynode_get(root, "inputs"))) ok &= load_inputs(L, n);
  if ((n = ynode_get(root, "adjustments"))) ok &= load_adjustments(L, n);
  if ((n = ynode_get(root, "history"))) ok &= load_history(L, n);
  if ((n = ynode_get(root, "kinds"))) ok &= load_kinds(L, n);
  if ((n = ynode_get(root, "items"))) ok &= load_items(L, n);
  if ((n = ynode_get(root, "checks"))) ok &= load_checks(L, n);
  if ((n = ynode_get(root, "journal"))) ok &= load_journal(L, n);
  if ((n = ynode_get(root, "summary"))) ok &= load_summary(L, n);
  if ((n = ynode_get(root, "retro"))) ok &= load_retro(L, n);
  if (ynode_get(root, "outputs")) {   /* a later file's layout replaces */
    free(r->outputs_file);
    r->outputs_file = xstrdup(L->file);
  }
  return ok;
}

static bool load_file(struct rules *r, const char *path,
                      const struct loadctx *parent, struct diag_list *d)
{
  struct loadctx L;
  struct ydoc *doc;
  int depth = parent ? parent->depth + 1 : 0;
  bool ok;

  if (depth > RULES_INCLUDE_DEPTH_MAX) {
    diag_add(d, path, 0, 0, NULL, "includes nest deeper than %d files",
             RULES_INCLUDE_DEPTH_MAX);
    return false;
  }
  doc = ydoc_load(path, d);
  if (!doc) return false;
  L.r = r;
  L.d = d;
  L.file = intern_file(r, path);
  L.depth = depth;
  L.parent = parent;
  if (!doc->root || doc->root->kind != YNODE_MAP) {
    diag_add(d, path, 1, 1, NULL, "a rule file is a mapping of sections "
             "(name, include, parameters, tables, items, ...)");
    ydoc_free(doc);
    return false;
  }
  ok = load_sections(&L, doc->root);
  ydoc_free(doc);
  return ok;
}

/* Structural columns the engine itself relies on (inputs.md). */
static const struct {
  enum rules_file file;
  const char *col;
} REQUIRED_COLS[] = {
  {RULES_F_AGENCIES, "code"}, {RULES_F_ROSTER, "employee_id"},
  {RULES_F_ROSTER, "agency"}, {RULES_F_ATTENDANCE, "employee_id"},
  {RULES_F_ADJUSTMENTS, "employee_id"}, {RULES_F_ADJUSTMENTS, "item"},
  {RULES_F_ADJUSTMENTS, "amount"}, {RULES_F_SATISFACTION, "agency"},
  {RULES_F_YTD_OPENING, "employee_id"}, {RULES_F_YTD_OPENING, "year"},
  {RULES_F_RETRO, "employee_id"}, {RULES_F_RETRO, "item"},
  {RULES_F_RETRO, "amount"}
};

/* retro: every `into` a retro adjustment, every item a numeric employee
** item (its type is checked when a month is compiled), and a retro input
** file to carry them when there are any. */
static bool validate_retro(const struct rules *r, const char *path,
                           struct diag_list *d)
{
  bool ok = true;
  for (size_t i = 0; i < r->nretro; i++) {
    const struct rules_retro *x = &r->retro[i];
    int a = rules_adjustment(r, x->into);
    if (a < 0 || !r->adjust[a].retro) {
      diag_add(d, x->pos.file, x->pos.line, x->pos.col, "retro", "into: "
               "'%s' is not an adjustment marked 'retro: true'", x->into);
      ok = false;
    }
    for (size_t k = 0; k < x->nitems; k++) {
      const struct rules_item *it = rules_item(r, x->items[k]);
      if (!it || it->level != RULES_EMPLOYEE) {
        diag_add(d, x->pos.file, x->pos.line, x->pos.col, "retro", "'%s' "
                 "is not an employee item", x->items[k]);
        ok = false;
      }
    }
  }
  if (r->nretro && !r->inputs[RULES_F_RETRO].file) {
    diag_add(d, path, 0, 0, "inputs", "a rule set with a 'retro' section "
             "needs the input 'retro' that carries its amounts");
    ok = false;
  }
  return ok;
}

static bool validate(struct rules *r, const char *path, struct diag_list *d)
{
  bool ok = true;
  for (size_t i = 0; i < r->ntotals; i++) {
    const struct rules_item *it = rules_item(r, r->totals[i]);
    if (!it || it->level != RULES_DISTRICT) {
      diag_add(d, path, 0, 0, "summary", "'%s' is not a district item",
               r->totals[i]);
      ok = false;
    }
  }
  if (r->compare && (!rules_item(r, r->compare) ||
                     rules_item(r, r->compare)->level != RULES_EMPLOYEE)) {
    diag_add(d, path, 0, 0, "summary", "compare: '%s' is not an employee "
             "item", r->compare);
    ok = false;
  }
  for (size_t i = 0; i < r->nalerts; i++) {
    const struct rules_alert *a = &r->alerts[i];
    const struct rules_item *it = rules_item(r, a->item);
    if (!it || it->level != RULES_EMPLOYEE) {
      diag_add(d, a->pos.file, a->pos.line, a->pos.col, "alerts", "'%s' is "
               "not an employee item", a->item);
      ok = false;
    }
  }
  if (!r->has_cal) {
    diag_add(d, path, 0, 0, NULL, "the rule set has no calendar");
    ok = false;
  }
  ok &= validate_retro(r, path, d);
  for (size_t i = 0; i < sizeof REQUIRED_COLS / sizeof REQUIRED_COLS[0];
       i++) {
    const struct rules_input *in = &r->inputs[REQUIRED_COLS[i].file];
    if (REQUIRED_COLS[i].file == RULES_F_RETRO && !in->file) continue;
    if (!in->file || rules_column(in, REQUIRED_COLS[i].col) < 0) {
      diag_add(d, path, 0, 0, "inputs", "input '%s' must have a column "
               "'%s'", FILE_ROLES[REQUIRED_COLS[i].file],
               REQUIRED_COLS[i].col);
      ok = false;
    }
  }
  for (size_t f = 0; f < RULES_FILES; f++) {
    const struct rules_input *in = &r->inputs[f];
    for (size_t c = 0; c < in->ncols; c++) {
      const struct rules_column *col = &in->cols[c];
      if (col->type == RULES_C_TABLE && !rules_table(r, col->table)) {
        diag_add(d, col->pos.file, col->pos.line, col->pos.col, col->name,
                 "no table '%s'", col->table);
        ok = false;
      }
    }
  }
  return ok;
}

struct rules *rules_load(const char *path, struct diag_list *d)
{
  struct rules *r = xcalloc(1, sizeof *r);
  size_t before = diag_count(d);

  cal_init(&r->cal);
  if (!load_file(r, path, NULL, d) || !validate(r, path, d) ||
      !resolve_kinds(r, d) ||
      diag_count(d) != before) {
    rules_free(r);
    return NULL;
  }
  return r;
}

void rules_free(struct rules *r)
{
  if (!r) return;
  for (size_t i = 0; i < r->nparams; i++) param_free(&r->params[i]);
  for (size_t i = 0; i < r->ntables; i++) table_free(&r->tables[i]);
  for (size_t i = 0; i < r->nitems; i++) item_free(&r->items[i]);
  for (size_t i = 0; i < r->nchecks; i++) check_free(&r->checks[i]);
  summary_free(r);
  for (size_t i = 0; i < r->ntxns; i++) txn_free(&r->txns[i]);
  free(r->txns);
  for (size_t i = 0; i < r->nkinds; i++) {
    free(r->kinds[i].name);
    free(r->kinds[i].label);
  }
  free(r->kinds);
  for (size_t i = 0; i < RULES_FILES; i++) input_free(&r->inputs[i]);
  for (size_t i = 0; i < r->nadjust; i++) {
    free(r->adjust[i].name);
    free(r->adjust[i].zh);
  }
  rules_retro_free(r);
  for (size_t i = 0; i < r->nopening; i++) {
    free(r->opening[i].column);
    free(r->opening[i].item);
  }
  for (size_t i = 0; i < r->nfiles; i++) free(r->files[i]);
  free(r->params);
  free(r->tables);
  free(r->items);
  free(r->checks);
  free(r->adjust);
  free(r->opening);
  free(r->opening_months);
  free(r->outputs_file);
  free(r->files);
  free(r->name);
  free(r->description);
  cal_free(&r->cal);
  free(r);
}

/* ---- what-if assignments ------------------------------------------------ */

/* A --set value: absolute (4000, 16%) or relative to what is there (+5%,
** -2%, +100). */
struct setval {
  struct money v;
  bool relative, percent;
};

/* cell = the new value of cell under s. */
static void set_apply(struct money *cell, const struct setval *s)
{
  struct money t = MONEY_ZERO;
  if (!s->relative) {
    money_copy(cell, &s->v);
  } else if (s->percent) {               /* +5%: cell * (1 + 0.05) */
    money_mul(&t, cell, &s->v);
    money_add(cell, cell, &t);
  } else {                               /* +100: cell + 100 */
    money_add(cell, cell, &s->v);
  }
  money_clear(&t);
}

static bool set_cell(struct rules *r, const char *lhs, const struct setval *v,
                     struct diag_list *d)
{
  /* table.column.key: the table name may itself contain dots, so try
  ** every split from the right. */
  const char *dot2 = strrchr(lhs, '.');
  for (const char *dot1 = dot2 ? dot2 - 1 : NULL; dot1 && dot1 > lhs;
       dot1--) {
    char *tname, *col;
    struct rules_table *t = NULL;
    const struct rules_row *row;
    int c;
    if (*dot1 != '.') continue;
    tname = xstrndup(lhs, (size_t)(dot1 - lhs));
    col = xstrndup(dot1 + 1, (size_t)(dot2 - dot1 - 1));
    for (size_t i = 0; i < r->ntables; i++)
      if (strcmp(r->tables[i].name, tname) == 0) t = &r->tables[i];
    c = t ? rules_table_col(t, col) : -1;
    row = t && c >= 0 ? rules_table_row(t, dot2 + 1) : NULL;
    free(tname);
    free(col);
    if (row) {
      set_apply(&((struct rules_row *)(uintptr_t)row)->cells[c], v);
      return true;
    }
  }
  diag_add(d, "--set", 0, 0, NULL, "'%s' is neither a parameter nor a "
           "table cell (table.column.key)", lhs);
  return false;
}

bool rules_set(struct rules *r, const char *assignment, struct diag_list *d)
{
  const char *eq = strchr(assignment, '=');
  const char *val = eq ? eq + 1 : "";
  struct setval sv;
  char *lhs;
  struct rules_param *p = NULL;
  bool ok;

  sv.v = MONEY_ZERO;
  sv.relative = *val == '+' || *val == '-';
  sv.percent = *val && val[strlen(val) - 1] == '%';
  if (!eq || eq == assignment ||
      !rules_parse_number(val + (*val == '+'), &sv.v)) {
    diag_add(d, "--set", 0, 0, NULL, "expected NAME=NUMBER (4000, 16%%) "
             "or a change of what is there (+5%%, -2%%, +100), got '%s'",
             assignment);
    return false;
  }
  lhs = xstrndup(assignment, (size_t)(eq - assignment));
  for (size_t i = 0; i < r->nparams; i++)
    if (strcmp(r->params[i].name, lhs) == 0) p = &r->params[i];
  if (p && !sv.relative) {       /* one value, in force from the start */
    for (size_t i = 1; i < p->nvalues; i++) {
      money_clear(&p->values[i].value);
      free(p->values[i].source);
      free(p->values[i].confidence);
    }
    p->nvalues = 1;
    p->values[0].from_ym = 0;
  }
  for (size_t i = 0; p && i < p->nvalues; i++) {  /* relative: every value */
    char *src = xasprintf("%s (--set %s)", p->values[i].source, assignment);
    set_apply(&p->values[i].value, &sv);
    free(p->values[i].source);
    p->values[i].source = src;
  }
  ok = p ? true : set_cell(r, lhs, &sv, d);
  free(lhs);
  money_clear(&sv.v);
  return ok;
}
