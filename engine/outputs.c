/*
** outputs.c -- the month's files from the ledger: reading the month back,
** and publishing the files atomically (outputs.h says how).
*/
#define _GNU_SOURCE              /* renameat2 (glibc 2.28) */
#include "outputs.h"
#include "lifecycle.h"
#include "audit.h"
#include "bankfile.h"
#include "batch.h"
#include "util.h"
#include "vfs.h"
#include "workbook.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The path under which `run` presents the ledger's year-to-date openings
** (lifecycle.c); a run that used them stored them under it. */
/* Joined adjustment notes of one employee are cut here. */
#define OUTPUTS_NOTES_MAX 1000
/* Rows of an Excel sheet. PAYSETTLE_TEST_SHEET_ROWS lowers it so that the
** tests can see sheets continue without a million employees. */
#define OUTPUTS_ROWS_MAX ((size_t)1048576)

/* ---- reading the month back --------------------------------------------- */

static void row_keep(struct outputs_row *r, const char *entity,
                     const char *const *vals, size_t n)
{
  r->entity = xstrdup(entity);
  r->n = n;
  r->vals = xcalloc(n + 1, sizeof *r->vals);
  for (size_t i = 0; i < n; i++) r->vals[i] = xstrdup(vals[i]);
}

static void row_free(struct outputs_row *r)
{
  for (size_t i = 0; i < r->n; i++) free(r->vals[i]);
  free(r->vals);
  free(r->entity);
}

static int keep_group(void *ctx, int level, const char *entity,
                      const char *agency, const char *const *names,
                      const char *const *vals, size_t n)
{
  struct outputs_month *m = ctx;
  (void)agency;
  outputs_bind(m, level, names, n);
  if (level == 2) {
    row_free(&m->district);
    row_keep(&m->district, entity, vals, n);
    return 0;
  }
  m->agencies = xrealloc(m->agencies, (m->nagencies + 1) *
                         sizeof *m->agencies);
  m->agency_in = xrealloc(m->agency_in, (m->nagencies + 1) *
                          sizeof *m->agency_in);
  row_keep(&m->agencies[m->nagencies], entity, vals, n);
  m->agency_in[m->nagencies] = -1;
  for (size_t a = 0; m->in && a < m->in->nagencies; a++)
    if (strcmp(m->in->agencies[a].code, entity) == 0)
      m->agency_in[m->nagencies] = (long)a;
  m->nagencies++;
  return 0;
}

/* Each employee's adjustment rows, in file order. */
static void index_adjustments(struct outputs_month *m)
{
  size_t ne = m->in->nemployees, na = m->in->nadjust;
  m->adj_first = xmalloc((ne + 1) * sizeof *m->adj_first);
  m->adj_next = xmalloc((na + 1) * sizeof *m->adj_next);
  for (size_t e = 0; e < ne; e++) m->adj_first[e] = SIZE_MAX;
  for (size_t i = na; i-- > 0;) {
    size_t e = m->in->adjust[i].employee;
    if (e >= ne) continue;
    m->adj_next[i] = m->adj_first[e];
    m->adj_first[e] = i;
  }
}

/* The layout's items must have the types its columns need. */
static void check_item(const struct outputs_month *m, int item, bool num,
                       const struct rules_pos *pos, struct diag_list *d)
{
  enum vtype t = m->p->item_type[item];
  if (num ? t == VT_NUM : t == VT_BOOL) return;
  diag_add(d, pos->file, pos->line, pos->col, m->r->items[item].name,
           "the layout needs %s here, and '%s' is not one",
           num ? "a number" : "a true/false item", m->r->items[item].name);
}

static void check_types(const struct outputs_month *m, struct diag_list *d)
{
  const struct layout *lay = m->lay;
  for (size_t b = 0; b < lay->nbooks; b++)
    for (size_t s = 0; s < lay->books[b].nsheets; s++) {
      const struct layout_sheet *sh = &lay->books[b].sheets[s];
      for (size_t k = 0; k < sh->ncols; k++) {
        const struct layout_column *c = &sh->cols[k];
        bool need = c->src == LAYOUT_SUM || c->total == LAYOUT_TOTAL_SUM;
        for (size_t i = 0; need && i < c->nitems; i++)
          check_item(m, c->items[i], true, &c->pos, d);
      }
      for (size_t i = 0; i < sh->nind; i++) {
        const struct layout_indicator *in = &sh->ind[i];
        check_item(m, in->agency, true, &in->pos, d);
        check_item(m, in->district, true, &in->pos, d);
        if (in->met >= 0) check_item(m, in->met, false, &in->pos, d);
        if (in->known >= 0) check_item(m, in->known, false, &in->pos, d);
        if (in->district_met >= 0)
          check_item(m, in->district_met, false, &in->pos, d);
      }
    }
  for (size_t k = 0; k < lay->bank.ncols; k++) {
    const struct layout_column *c = &lay->bank.cols[k];
    for (size_t i = 0; c->total == LAYOUT_TOTAL_SUM && i < c->nitems; i++)
      check_item(m, c->items[i], true, &c->pos, d);
  }
}

/* Load the run's rules, program, inputs and layout from the replayed
** files. */
static bool load_run(struct outputs_month *m,
                     const struct lifecycle_replay *stored,
                     struct diag_list *d)
{
  size_t before = diag_count(d);
  m->r = rules_load(m->run.rules_path, d);
  if (m->r) m->p = program_compile(m->r, m->ym, d);
  if (m->p) m->in = inputs_load(m->p, m->run.inputs_root, m->ym,
                                stored->opening ? LIFECYCLE_OPENING_PATH
                                : NULL, stored->retro ? LIFECYCLE_RETRO_PATH
                                : NULL, d);
  if (m->in && diag_count(d) == before) m->lay = layout_load(m->r, d);
  if (m->lay) check_types(m, d);
  return m->lay && diag_count(d) == before;
}

bool outputs_month_open(struct outputs_month *m, struct ledger *L, int ym,
                        struct diag_list *d)
{
  enum ledger_err e;
  struct lifecycle_replay stored = {false, false};
  bool ok = false;
  const char *env = getenv("PAYSETTLE_TEST_SHEET_ROWS");
  memset(m, 0, sizeof *m);
  m->L = L;
  m->ym = ym;
  cal_format_month(ym, m->month);
  m->rows_max = OUTPUTS_ROWS_MAX;
  if (env && atol(env) >= 8 && (size_t)atol(env) < OUTPUTS_ROWS_MAX)
    m->rows_max = (size_t)atol(env);
  e = ledger_month_run(L, ym, &m->run);
  if (e == LEDGER_OK) e = ledger_run_files(L, m->run.run_id,
                                           lifecycle_replay_file, &stored);
  if (e == LEDGER_OK) ok = load_run(m, &stored, d);
  vfs_replay_stop();
  if (ok) index_adjustments(m);
  if (ok) e = ledger_run_level(L, m->run.run_id, 1, false, keep_group, m);
  if (ok && e == LEDGER_OK) e = ledger_run_level(L, m->run.run_id, 2,
                                                 false, keep_group, m);
  if (e != LEDGER_OK) {
    diag_add(d, NULL, 0, 0, NULL, "%s", ledger_message(L));
    return false;
  }
  if (!ok) diag_add(d, NULL, 0, 0, NULL, "%s: the files of run %lld could "
                    "not be read back from the ledger", m->month,
                    (long long)m->run.run_id);
  return ok;
}

void outputs_month_close(struct outputs_month *m)
{
  for (size_t i = 0; i < m->nagencies; i++) row_free(&m->agencies[i]);
  free(m->agencies);
  free(m->agency_in);
  row_free(&m->district);
  for (int lv = 0; lv < RULES_LEVELS; lv++) free(m->pos[lv]);
  free(m->adj_first);
  free(m->adj_next);
  layout_free(m->lay);
  inputs_free(m->in, m->r);
  program_free(m->p);
  rules_free(m->r);
  memset(m, 0, sizeof *m);
}

/* ---- values of a row ---------------------------------------------------- */

void outputs_bind(struct outputs_month *m, int lv, const char *const *names,
                  size_t n)
{
  if (lv < 0 || lv >= RULES_LEVELS || m->pos[lv]) return;
  m->pos[lv] = xmalloc((m->r->nitems + 1) * sizeof *m->pos[lv]);
  for (size_t i = 0; i < m->r->nitems; i++) m->pos[lv][i] = -1;
  for (size_t k = 0; k < n; k++) {
    int i = rules_item_index(m->r, names[k]);
    if (i >= 0 && (int)m->r->items[i].level == lv) m->pos[lv][i] = (int)k;
  }
}

const char *outputs_item(const struct outputs_month *m, int item,
                         const char *const *vals, size_t n)
{
  int lv = (int)m->r->items[item].level;
  int k = m->pos[lv] ? m->pos[lv][item] : -1;
  return k >= 0 && (size_t)k < n ? vals[k] : NULL;
}

bool outputs_number(const struct outputs_month *m, int item,
                    const char *const *vals, size_t n, struct money *out)
{
  const char *t = outputs_item(m, item, vals, n);
  return t && m->p->item_type[item] == VT_NUM && t[0] &&
         money_parse_exact(out, t) == MONEY_OK;
}

bool outputs_when(const struct outputs_month *m, int item,
                  const char *const *vals, size_t n)
{
  struct money v = MONEY_ZERO;
  bool yes;
  if (m->p->item_type[item] == VT_BOOL) {
    const char *t = outputs_item(m, item, vals, n);
    return t && strcmp(t, "true") == 0;
  }
  yes = outputs_number(m, item, vals, n, &v) && money_sgn(&v) > 0;
  money_clear(&v);
  return yes;
}

/* Keep the first and last characters of s, a '*' for each between. */
static void mask_text(const char *s, unsigned first, unsigned last,
                      char *buf, size_t cap)
{
  size_t nch = 0, ch = 0, o = 0;
  for (const char *p = s; *p; p++) nch += ((unsigned char)*p & 0xC0) != 0x80;
  for (const char *p = s; *p && o + 5 < cap; ch++) {
    size_t len = 1;
    while (((unsigned char)p[len] & 0xC0) == 0x80) len++;
    if (nch > first + last && (ch < first || ch >= nch - last)) {
      memcpy(buf + o, p, len);
      o += len;
    } else {
      buf[o++] = '*';
    }
    p += len;
  }
  buf[o] = '\0';
}

static enum outputs_cell adjustment_notes(const struct outputs_month *m,
                                          long emp, char *buf, size_t cap)
{
  size_t o = 0;
  buf[0] = '\0';
  for (size_t i = m->adj_first[emp]; i != SIZE_MAX; i = m->adj_next[i]) {
    const char *note = m->in->adjust[i].note;
    if (!note || !note[0] || o >= OUTPUTS_NOTES_MAX) continue;
    o += (size_t)snprintf(buf + o, o < cap ? cap - o : 0, "%s%s",
                          o ? "; " : "", note);
  }
  if (o >= cap && cap > 4) memcpy(buf + cap - 4, "...", 4);
  return buf[0] ? OUTPUTS_TEXT : OUTPUTS_EMPTY;
}

static const struct value *field_value(const struct outputs_month *m,
                                       const struct layout_column *c,
                                       long emp, long ag)
{
  enum rules_file f = c->file;
  size_t a;
  if (emp >= 0 && (f == RULES_F_ROSTER || f == RULES_F_ATTENDANCE))
    return &m->in->emps[emp].fields[program_field_index(
      m->p, RULES_EMPLOYEE, f, (size_t)c->col)];
  a = emp >= 0 ? m->in->emps[emp].agency : (size_t)ag;
  if (ag < 0 && emp < 0) return NULL;
  if (a >= m->in->nagencies) return NULL;
  return &m->in->agencies[a].fields[program_field_index(
    m->p, RULES_AGENCY, f, (size_t)c->col)];
}

enum outputs_cell outputs_field(const struct outputs_month *m,
                                const struct layout_column *c, long emp,
                                long ag, char *buf, size_t cap,
                                const struct money **num)
{
  const struct rules_column *sc = &m->r->inputs[c->file].cols[c->col];
  const struct value *v;
  const char *t;
  if (c->file == RULES_F_ADJUSTMENTS)
    return emp >= 0 ? adjustment_notes(m, emp, buf, cap) : OUTPUTS_EMPTY;
  v = field_value(m, c, emp, ag);
  if (!v || v->type == VT_NONE || (!v->present && !sc->def))
    return OUTPUTS_EMPTY;
  if (v->type == VT_NUM) {
    *num = &v->u.num;
    return OUTPUTS_NUMBER;
  }
  if (v->type == VT_DATE) {
    cal_format_date(v->u.date, buf);
    return OUTPUTS_TEXT;
  }
  t = v->type == VT_BOOL ? m->lay->words[v->u.b ? LAYOUT_WORD_YES
                                                 : LAYOUT_WORD_NO]
                         : v->u.text;
  if (c->show_zh) {
    const struct rules_row *row = rules_table_row(rules_table(m->r,
                                                              sc->table), t);
    if (row && row->alias) t = row->alias;
  }
  if (c->masked) mask_text(t, c->mask_first, c->mask_last, buf, cap);
  else snprintf(buf, cap, "%s", t);
  return buf[0] ? OUTPUTS_TEXT : OUTPUTS_EMPTY;
}

/* ---- writing files ------------------------------------------------------ */

/* One file of the set: a workbook (book >= 0), the bank file or the
** journal. */
struct ofile {
  char name[LAYOUT_FILE_NAME_MAX + 16];
  long book;                       /* index, or -1 bank, -2 journal */
  bool personal;
};

static size_t list_files(const struct outputs_month *m, struct ofile *f)
{
  const struct layout *lay = m->lay;
  size_t n = 0;
  for (size_t b = 0; b < lay->nbooks; b++, n++) {
    layout_file_name(lay->books[b].file, m->ym, f[n].name, sizeof f[n].name);
    f[n].book = (long)b;
    f[n].personal = lay->books[b].personal;
  }
  layout_file_name(lay->bank.file, m->ym, f[n].name, sizeof f[n].name);
  f[n].book = -1;
  f[n++].personal = true;
  layout_file_name(lay->journal_file, m->ym, f[n].name, sizeof f[n].name);
  f[n].book = -2;
  f[n++].personal = false;
  return n;
}

static const char *file_word(const struct outputs_month *m,
                             const struct ofile *f)
{
  if (f->book >= 0) return m->lay->books[f->book].name;
  return f->book == -1 ? m->lay->bank.name : m->lay->journal_name;
}

static bool sync_path(const char *path, int flags)
{
  int fd = open(path, flags | O_RDONLY | O_CLOEXEC);
  bool ok = fd >= 0 && fsync(fd) == 0;
  if (fd >= 0 && close(fd) != 0) ok = false;
  return ok;
}

/* Write the bank file or the journal through a stdio stream on fd. */
static bool write_stream(struct outputs_month *m, const struct ofile *f,
                         int fd, struct diag_list *d)
{
  FILE *out = fdopen(fd, "w");
  bool ok;
  if (!out) {
    close(fd);
    return false;
  }
  if (f->book == -1) {
    ok = bankfile_write(m, out, f->name, d);
  } else {
    enum ledger_err e = audit_journal_write(m->L, &m->run, m->ym, out,
                                            false, false);
    if (e != LEDGER_OK) diag_add(d, f->name, 0, 0, NULL, "%s",
                                 ledger_message(m->L));
    ok = e == LEDGER_OK;
  }
  ok = fflush(out) == 0 && !ferror(out) && fsync(fileno(out)) == 0 && ok;
  if (fclose(out) != 0) ok = false;
  return ok;
}

/* Write file f at path, flushed to disk, with the file's mode: into fd
** when fd >= 0 (a fresh temporary file), else into a new file that must
** not exist yet. Problems to d. */
static bool write_file(struct outputs_month *m, const struct ofile *f,
                       const char *path, int fd, const char *tmpdir,
                       struct diag_list *d)
{
  mode_t mode = f->personal ? 0600 : 0644;
  size_t before = diag_count(d);
  if (fd < 0) fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
                        O_CLOEXEC, 0600);
  bool ok;
  if (fd < 0 || fchmod(fd, mode) != 0) {
    diag_add(d, path, 0, 0, NULL, "cannot create: %s", strerror(errno));
    if (fd >= 0) close(fd);
    return false;
  }
  if (f->book >= 0) {
    close(fd);
    ok = workbook_render(m, &m->lay->books[f->book], path, tmpdir, d) &&
         sync_path(path, 0);
  } else {
    ok = write_stream(m, f, fd, d);
  }
  if (!ok && diag_count(d) == before)
    diag_add(d, path, 0, 0, NULL, "cannot write: %s", strerror(errno));
  return ok;
}

/* Remove the month's files from dir and dir itself (a failed set, or the
** previous one once replaced). Files the set does not name are left,
** with the folder: returns false then. */
static bool remove_set(const struct outputs_month *m, const char *dir)
{
  struct ofile f[64];
  size_t n = list_files(m, f);
  for (size_t i = 0; i < n; i++) {
    char *p = xasprintf("%s/%s", dir, f[i].name);
    (void)unlink(p);
    free(p);
  }
  return rmdir(dir) == 0 || errno == ENOENT;
}

/* Put the complete folder tmp in the place of final, atomically, and
** remove the previous set. */
static bool swap_in(const struct outputs_month *m, const char *tmp,
                    const char *final, struct diag_list *d)
{
  char *prev = xstrdup(tmp);
  bool ok = renameat2(AT_FDCWD, tmp, AT_FDCWD, final, RENAME_NOREPLACE) == 0;
  if (ok) {
    free(prev);
    return true;
  }
  if (errno == EEXIST) {           /* tmp becomes the previous set */
    ok = renameat2(AT_FDCWD, tmp, AT_FDCWD, final, RENAME_EXCHANGE) == 0;
  }
  if (!ok && (errno == EINVAL || errno == ENOSYS)) {  /* no renameat2 */
    free(prev);
    prev = xasprintf("%s.previous", tmp);
    ok = rename(final, prev) == 0 && rename(tmp, final) == 0;
  }
  if (!ok)
    diag_add(d, final, 0, 0, NULL, "cannot put the new files in place: "
             "%s", strerror(errno));
  else if (!remove_set(m, prev))
    fprintf(stderr, "paysettle: note: the previous %s held other files "
            "too; they are kept in %s\n", final, prev);
  free(prev);
  return ok;
}

/* Make root (one level) when it is missing. */
static bool ensure_dir(const char *dir, struct diag_list *d)
{
  struct stat st;
  if (mkdir(dir, 0755) == 0 || (errno == EEXIST && stat(dir, &st) == 0 &&
                                S_ISDIR(st.st_mode)))
    return true;
  diag_add(d, dir, 0, 0, NULL, "cannot make the folder: %s",
           strerror(errno));
  return false;
}

/* Write every file of the month into root/YYYY-MM as one set. */
static bool publish_set(struct outputs_month *m, const char *root,
                        struct diag_list *d)
{
  struct ofile f[64];
  size_t n = list_files(m, f);
  char *tmp = xasprintf("%s/.%s.XXXXXX", root, m->month);
  char *final = xasprintf("%s/%s", root, m->month);
  bool made, ok = ensure_dir(root, d);
  made = ok && mkdtemp(tmp) != NULL;
  if (ok && !made) diag_add(d, root, 0, 0, NULL, "cannot make a temporary "
                            "folder: %s", strerror(errno));
  ok = made;
  for (size_t i = 0; ok && i < n; i++) {
    char *path = xasprintf("%s/%s", tmp, f[i].name);
    ok = write_file(m, &f[i], path, -1, tmp, d);
    free(path);
  }
  ok = ok && chmod(tmp, 0755) == 0 && sync_path(tmp, O_DIRECTORY);
  ok = ok && swap_in(m, tmp, final, d) && sync_path(root, O_DIRECTORY);
  if (!ok && made) (void)remove_set(m, tmp);
  free(tmp);
  free(final);
  return ok;
}

/* Write the files named word ("all" for every one) into dir, each under a
** temporary name first; they are renamed into place together at the end,
** only when all of them were written. */
static bool export_files(struct outputs_month *m, const char *word,
                         const char *dir, size_t *written,
                         struct diag_list *d)
{
  struct ofile f[64];
  char *tmp[64] = {0};
  size_t n = list_files(m, f), k = 0;
  bool ok = ensure_dir(dir, d);
  *written = 0;
  for (size_t i = 0; ok && i < n; i++) {
    int fd;
    if (strcmp(word, "all") != 0 && strcmp(word, file_word(m, &f[i])) != 0)
      continue;
    tmp[i] = xasprintf("%s/.%s.XXXXXX", dir, f[i].name);
    fd = mkstemp(tmp[i]);
    if (fd < 0) {
      diag_add(d, dir, 0, 0, NULL, "cannot create a file: %s",
               strerror(errno));
      free(tmp[i]);
      tmp[i] = NULL;
      ok = false;
      break;
    }
    ok = write_file(m, &f[i], tmp[i], fd, dir, d);
    k++;
  }
  for (size_t i = 0; ok && i < n; i++) {
    char *final = tmp[i] ? xasprintf("%s/%s", dir, f[i].name) : NULL;
    if (final && rename(tmp[i], final) != 0) {
      diag_add(d, final, 0, 0, NULL, "cannot rename into place: %s",
               strerror(errno));
      ok = false;
    }
    free(final);
  }
  ok = ok && sync_path(dir, O_DIRECTORY);
  for (size_t i = 0; i < n; i++) {
    if (tmp[i] && !ok) (void)unlink(tmp[i]);
    free(tmp[i]);
  }
  *written = ok ? k : 0;
  return ok;
}

/* ---- the commands ----------------------------------------------------- */

/* --outputs, else "outputs" beside the ledger file. */
static char *outputs_root(const struct cli *c)
{
  const char *slash = strrchr(c->db_path, '/');
  if (c->outputs_root) return xstrdup(c->outputs_root);
  if (!slash) return xstrdup("outputs");
  return xasprintf("%.*s/outputs", (int)(slash - c->db_path), c->db_path);
}

static void say_files(const struct outputs_month *m, const char *dir)
{
  struct ofile f[64];
  size_t n = list_files(m, f);
  printf("%s: wrote %s/:", m->month, dir);
  for (size_t i = 0; i < n; i++) printf("%s %s", i ? "," : "", f[i].name);
  printf("\n");
}

int outputs_after_run(struct ledger *L, int ym, const struct cli *c)
{
  struct diag_list d;
  struct outputs_month m;
  char *root = outputs_root(c);
  bool ok;
  diag_init(&d);
  ok = outputs_month_open(&m, L, ym, &d) && publish_set(&m, root, &d);
  if (ok) {
    char *dir = xasprintf("%s/%s", root, m.month);
    say_files(&m, dir);
    free(dir);
  } else {
    diag_print(&d, stderr);
    fprintf(stderr, "paysettle: %s is in the ledger, but its files were "
            "not written; %s/%s is as it was (write them with paysettle "
            "export all %s once the problem is fixed)\n", m.month[0] ?
            m.month : "the month", root, m.month, m.month);
  }
  outputs_month_close(&m);
  diag_free(&d);
  free(root);
  return ok ? 0 : 1;
}

static bool known_word(const struct outputs_month *m, const char *word)
{
  struct ofile f[64];
  size_t n = list_files(m, f);
  for (size_t i = 0; i < n; i++)
    if (strcmp(word, file_word(m, &f[i])) == 0) return true;
  return strcmp(word, "all") == 0;
}

/* Write the chosen files; returns the exit status. */
static int export_month(struct outputs_month *m, const struct cli *c,
                        struct diag_list *d)
{
  const char *word = c->args[0];
  char *root = outputs_root(c), *dir;
  size_t written = 0;
  bool ok;
  if (!known_word(m, word)) {
    fprintf(stderr, "paysettle: the run's layout has no output '%s'\n",
            word);
    free(root);
    return 2;
  }
  dir = c->out_path ? xstrdup(c->out_path)
                    : xasprintf("%s/%s", root, m->month);
  if (!c->out_path && strcmp(word, "all") == 0) {
    ok = publish_set(m, root, d);
    if (ok) say_files(m, dir);
  } else {
    ok = export_files(m, word, dir, &written, d);
    if (ok) printf("%s: wrote %zu file%s into %s/\n", m->month, written,
                      written == 1 ? "" : "s", dir);
  }
  free(dir);
  free(root);
  return ok ? 0 : 1;
}

int cmd_export_outputs(const struct cli *c)
{
  struct diag_list d;
  enum ledger_err e = LEDGER_OK;
  struct ledger *L;
  struct outputs_month m;
  int ym, rc = 1;

  if (c->nargs != 2 || !cal_parse_month(c->args[1], &ym)) {
    fprintf(stderr, "paysettle: export NAME YYYY-MM [--out DIR] (NAME: "
            "settlement, payroll, iit, bank, journal or all)\n");
    return 2;
  }
  diag_init(&d);
  memset(&m, 0, sizeof m);
  L = ledger_open(c->db_path, false, &e, &d);
  if (L && outputs_month_open(&m, L, ym, &d)) rc = export_month(&m, c, &d);
  if (diag_count(&d)) diag_print(&d, stderr);
  if (rc == 1) fprintf(stderr, "paysettle: %s: no file was written\n",
                       c->args[1]);
  outputs_month_close(&m);
  ledger_close(L);
  diag_free(&d);
  return rc;
}
