/*
** csvin.c -- reading finance's CSV files (the contract is in csvin.h).
**
** How it works:
**  1. decode() finds the UTF-8 text: it drops a UTF-8 BOM, refuses UTF-16
**     and UTF-32 BOMs, validates strict UTF-8 or converts from GB18030 with
**     iconv. GB18030 keeps every ASCII byte as itself and never uses CR, LF,
**     '"' or ',' inside a multi-byte character, so the converted text has
**     the same lines and the same structure as the file.
**  2. parse_text() hands the text to libcsv (strict mode) one line at a
**     time, so that it always knows the line being read; a row starts on
**     the line being fed when no row was open before it. CSV_REPALL_NL
**     makes libcsv call on_row() for every unquoted line break, so "no
**     call during this line" means "a quoted field goes on".
**  3. on_field() trims and checks each field and appends it to the file's
**     store; on_row() checks the row and keeps it. Fields are recorded as
**     offsets, since the store moves as it grows; finish() turns them into
**     pointers once the store is final.
**
** A line ends with LF, CRLF, or a lone CR (libcsv ends a record on a lone
** CR too, and Excel for Mac writes such files). Byte numbers in messages
** count from 1, like lines.
*/
#include "csvin.h"
#include "util.h"
#include "vfs.h"

#include <csv.h>
#include <errno.h>
#include <iconv.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Most bytes handed to libcsv at once: bounds how far a runaway field can
** grow before it is noticed. */
#define CSVIN_PIECE_BYTES ((size_t)1 << 16)
/* A field whose parse buffer grows beyond this is an unclosed quote
** swallowing the file, not data: reading stops there. */
#define CSVIN_RUNAWAY_BYTES ((size_t)1 << 20)

/* The UTF-8 text to parse: s[0..n), pointing into the caller's buffer or
** into owned (a heap copy converted from GB18030). */
struct csvin_text {
  const char *s;
  size_t n;
  char *owned;
};

/* Parsing state shared with libcsv's callbacks. */
struct csvin_ctx {
  struct csvin_file *f;
  struct diag_list *d;
  const char *s;            /* the UTF-8 text */
  size_t n;
  size_t *offs;             /* store offset of every field kept so far */
  size_t noffs, offs_cap;
  size_t rows_cap;
  size_t row_first;         /* index in offs of the open row's 1st field */
  bool row_nonempty;        /* the open row has a non-empty field */
  bool have_header;
  size_t hdr_n;             /* fields in the header */
  unsigned long line;       /* line being fed to libcsv */
  unsigned long row_line;   /* line where the open row starts */
  bool ended;               /* on_row() was called during this line */
};

/* A header name and its 0-based column, for finding duplicates. */
struct csvin_name {
  const char *s;
  size_t col;
};

const char *csvin_encoding_name(enum csvin_encoding e)
{
  switch (e) {
  case CSVIN_ENC_UTF8: return "utf-8";
  case CSVIN_ENC_GB18030: return "gb18030";
  case CSVIN_ENC_AUTO: break;
  }
  return "auto";
}

void csvin_free(struct csvin_file *f)
{
  if (!f) return;
  free(f->path);
  free(f->header.fields);
  free(f->rows);
  free(f->store_);
  free(f);
}

/* ---- encodings ---------------------------------------------------------- */

/* Length of the strictly valid UTF-8 sequence at s (left bytes remain), or
** 0 when there is none: no overlong forms, no surrogates, nothing above
** U+10FFFF (Unicode table 3-7). */
static size_t utf8_seq_len(const unsigned char *s, size_t left)
{
  unsigned c = s[0], lo = 0x80, hi = 0xBF;
  size_t len;

  if (c < 0x80) return 1;
  if (c >= 0xC2 && c <= 0xDF) {
    len = 2;
  } else if (c >= 0xE0 && c <= 0xEF) {
    len = 3;
    if (c == 0xE0) lo = 0xA0;
    if (c == 0xED) hi = 0x9F;
  } else if (c >= 0xF0 && c <= 0xF4) {
    len = 4;
    if (c == 0xF0) lo = 0x90;
    if (c == 0xF4) hi = 0x8F;
  } else {
    return 0;
  }
  if (left < len || s[1] < lo || s[1] > hi) return 0;
  for (size_t k = 2; k < len; k++)
    if ((s[k] & 0xC0) != 0x80) return 0;
  return len;
}

/* Offset of the first byte of s[0..n) that does not start a strictly valid
** UTF-8 sequence, or n when all of it is valid. (util_utf8_valid() has the
** same rules but cannot say where the fault is.) */
static size_t utf8_bad_at(const char *str, size_t n)
{
  const unsigned char *s = (const unsigned char *)str;
  size_t i = 0, k;

  while (i < n) {
    if (s[i] < 0x80) {
      i++;
      continue;
    }
    k = utf8_seq_len(s + i, n - i);
    if (k == 0) return i;
    i += k;
  }
  return n;
}

/* 1-based line of the byte at offset off of s[0..n). */
static unsigned long line_of(const char *s, size_t n, size_t off)
{
  unsigned long line = 1;

  for (size_t i = 0; i < off && i < n; i++)
    if (s[i] == '\n' || (s[i] == '\r' && (i + 1 >= n || s[i + 1] != '\n')))
      line++;
  return line;
}

/* Write up to four bytes of s[0..n) from off, in hex ("81 20"), to out
** (at least 12 bytes). */
static void hex_at(const char *s, size_t n, size_t off, char *out)
{
  char *o = out;

  *o = '\0';
  for (size_t k = 0; k < 4 && off + k < n; k++)
    o += snprintf(o, 4, "%s%02X", k ? " " : "",
                  (unsigned)(unsigned char)s[off + k]);
}

/* Convert s[0..n) from GB18030 to UTF-8 into t (t->owned holds the copy).
** Returns n on success; else the offset of the first byte that does not
** convert (t untouched), or SIZE_MAX when iconv lacks GB18030. */
static size_t gb_to_utf8(const char *s, size_t n, struct csvin_text *t)
{
  iconv_t cd = iconv_open("UTF-8", "GB18030");
  size_t cap = n + n / 2 + 16, inleft = n, outleft = cap, used;
  size_t result = n;
  /* iconv's prototype lacks const; it never writes through inbuf. */
  char *in = (char *)(uintptr_t)s, *buf, *out;

  if (cd == (iconv_t)-1) return SIZE_MAX;
  buf = out = xmalloc(cap);
  while (inleft > 0) {
    if (iconv(cd, &in, &inleft, &out, &outleft) != (size_t)-1) break;
    if (errno != E2BIG) {       /* EILSEQ, or EINVAL: cut off at the end */
      result = (size_t)(in - s);
      break;
    }
    used = (size_t)(out - buf);
    cap *= 2;
    buf = xrealloc(buf, cap);
    out = buf + used;
    outleft = cap - used;
  }
  iconv_close(cd);
  if (result != n) {
    free(buf);
    return result;
  }
  t->owned = buf;
  t->s = buf;
  t->n = (size_t)(out - buf);
  return result;
}

/* Name of the UTF-16 or UTF-32 byte-order mark that buf starts with, or
** NULL. */
static const char *wide_bom(const char *buf, size_t len)
{
  const unsigned char *u = (const unsigned char *)buf;

  if (len >= 4 && u[0] == 0xFF && u[1] == 0xFE && !u[2] && !u[3])
    return "UTF-32 (FF FE 00 00)";
  if (len >= 4 && !u[0] && !u[1] && u[2] == 0xFE && u[3] == 0xFF)
    return "UTF-32 (00 00 FE FF)";
  if (len >= 2 && u[0] == 0xFF && u[1] == 0xFE) return "UTF-16 (FF FE)";
  if (len >= 2 && u[0] == 0xFE && u[1] == 0xFF) return "UTF-16 (FE FF)";
  return NULL;
}

/* decode() for a file that starts with a UTF-8 BOM: the BOM declares
** UTF-8, so the rest must be UTF-8 whatever enc says. */
static bool decode_bom(struct csvin_file *f, const char *buf, size_t len,
                       enum csvin_encoding enc, struct diag_list *d,
                       struct csvin_text *t)
{
  size_t bad = 3 + utf8_bad_at(buf + 3, len - 3);
  char hex[16];

  if (enc == CSVIN_ENC_GB18030) {
    diag_add(d, f->path, 1, 0, NULL, "the file starts with a UTF-8 "
             "byte-order mark but GB18030 was declared; expected a "
             "GB18030 file without a byte-order mark, or declare UTF-8");
    return false;
  }
  if (bad < len) {
    hex_at(buf, len, bad, hex);
    diag_add(d, f->path, line_of(buf, len, bad), 0, NULL, "not UTF-8 at "
             "byte %zu (line %lu): bytes %s, although the file starts with "
             "a UTF-8 byte-order mark; expected UTF-8 throughout",
             bad + 1, line_of(buf, len, bad), hex);
    return false;
  }
  f->encoding = CSVIN_ENC_UTF8;
  t->s = buf + 3;
  t->n = len - 3;
  return true;
}

/* Report that buf[0..len) cannot be read, the first fault being at byte
** off (SIZE_MAX: iconv lacks GB18030). */
static void report_undecodable(struct csvin_file *f, const char *buf,
                               size_t len, size_t off, const char *what,
                               struct diag_list *d)
{
  unsigned long line;
  char hex[16];

  if (off == SIZE_MAX) {
    diag_add(d, f->path, 0, 0, NULL, "cannot convert from GB18030: this "
             "system's iconv does not know it; expected glibc's iconv");
    return;
  }
  line = line_of(buf, len, off);
  hex_at(buf, len, off, hex);
  diag_add(d, f->path, line, 0, NULL, "%s at byte %zu (line %lu): bytes %s "
           "are not valid there; expected a file saved as \"CSV UTF-8\" "
           "or as GB18030", what, off + 1, line, hex);
}

/* Find the UTF-8 text of buf[0..len) as enc asks (csvin.h, "What it
** accepts"), set f->encoding and t, and return true; or report why it
** cannot be read to d and return false. */
static bool decode(struct csvin_file *f, const char *buf, size_t len,
                   enum csvin_encoding enc, struct diag_list *d,
                   struct csvin_text *t)
{
  const char *bom = wide_bom(buf, len);
  size_t bad = 0, gbad;

  if (bom) {
    diag_add(d, f->path, 1, 0, NULL, "the file starts with a %s "
             "byte-order mark; expected UTF-8 or GB18030 (in Excel, save "
             "as \"CSV UTF-8\")", bom);
    return false;
  }
  if (len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0)
    return decode_bom(f, buf, len, enc, d, t);
  if (enc != CSVIN_ENC_GB18030) {
    bad = utf8_bad_at(buf, len);
    if (bad == len) {
      f->encoding = CSVIN_ENC_UTF8;
      t->s = buf;
      t->n = len;
      return true;
    }
    if (enc == CSVIN_ENC_UTF8) {
      report_undecodable(f, buf, len, bad, "not UTF-8", d);
      return false;
    }
  }
  gbad = gb_to_utf8(buf, len, t);
  if (gbad == len) {
    f->encoding = CSVIN_ENC_GB18030;
    return true;
  }
  /* Auto: the file reads as UTF-8 up to bad and as GB18030 up to gbad, so
  ** the first byte where it is neither is the later of the two. */
  if (enc == CSVIN_ENC_AUTO && gbad != SIZE_MAX && bad > gbad) gbad = bad;
  report_undecodable(f, buf, len, gbad, enc == CSVIN_ENC_AUTO ?
                     "neither UTF-8 nor GB18030" : "not GB18030", d);
  return false;
}

/* ---- rows and fields ---------------------------------------------------- */

/* The header name of 0-based column col, or NULL when there is none yet. */
static const char *col_name(const struct csvin_ctx *c, size_t col)
{
  if (!c->have_header || col >= c->hdr_n) return NULL;
  return c->f->store_ + c->offs[col];
}

/* Offset of the first control character in s[0..n) other than TAB, CR,
** LF (C0, DEL, or C1 as UTF-8 C2 80..C2 9F), or n. Sets *cp to it. */
static size_t ctrl_at(const char *str, size_t n, unsigned *cp)
{
  const unsigned char *s = (const unsigned char *)str;

  for (size_t i = 0; i < n; i++) {
    unsigned ch = s[i];
    if ((ch < 0x20 && ch != '\t' && ch != '\r' && ch != '\n') ||
        ch == 0x7F) {
      *cp = ch;
      return i;
    }
    if (ch == 0xC2 && i + 1 < n && s[i + 1] >= 0x80 && s[i + 1] <= 0x9F) {
      *cp = s[i + 1];
      return i;
    }
  }
  return n;
}

/* Report the field s[0..n) (trimmed, non-empty) of 0-based column col of
** the open row when it is too long or holds a control character. The
** problem's col is the CSV column, as for every problem of a field. */
static void check_field(struct csvin_ctx *c, size_t col, const char *s,
                        size_t n)
{
  const char *name = col_name(c, col), *path = c->f->path;
  const char *what = c->have_header ? "the value" : "the header name";
  unsigned long line = c->row_line, cn = (unsigned long)col + 1;
  unsigned cp = 0;
  size_t at;

  if (n > CSVIN_FIELD_BYTES_MAX)
    diag_add(c->d, path, line, cn, name, "%s in column %lu is %zu bytes "
             "long; expected at most %d bytes", what, cn, n,
             CSVIN_FIELD_BYTES_MAX);
  at = ctrl_at(s, n, &cp);
  if (at == n) return;
  if (cp == 0)
    diag_add(c->d, path, line, cn, name, "%s in column %lu contains a NUL "
             "byte; expected text", what, cn);
  else
    diag_add(c->d, path, line, cn, name, "%s in column %lu contains the "
             "control character U+%04X; expected text (of the control "
             "characters only TAB, CR and LF are allowed)", what, cn, cp);
}

/* libcsv's field callback: trim spaces and tabs around the field, check
** it, and append it to the store, recording its offset. */
static void on_field(void *buf, size_t len, void *data)
{
  struct csvin_ctx *c = data;
  struct csvin_file *f = c->f;
  const char *s = buf ? buf : "";

  if (!buf) len = 0;
  while (len > 0 && (s[0] == ' ' || s[0] == '\t')) {
    s++;
    len--;
  }
  while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t')) len--;
  if (len > 0) {
    c->row_nonempty = true;
    check_field(c, c->noffs - c->row_first, s, len);
  }
  xgrow(&f->store_, &f->store_cap_, f->store_len_ + len + 1, 1);
  if (len > 0) memcpy(f->store_ + f->store_len_, s, len);
  f->store_[f->store_len_ + len] = '\0';
  xgrow(&c->offs, &c->offs_cap, c->noffs + 1, sizeof *c->offs);
  c->offs[c->noffs++] = f->store_len_;
  f->store_len_ += len + 1;
}

/* Forget the fields of the open row (and their bytes in the store). */
static void row_drop(struct csvin_ctx *c)
{
  if (c->noffs > c->row_first) {
    c->f->store_len_ = c->offs[c->row_first];
    c->noffs = c->row_first;
  }
}

/* qsort order of header names: by name, then by column. */
static int name_cmp(const void *pa, const void *pb)
{
  const struct csvin_name *a = pa, *b = pb;
  int r = strcmp(a->s, b->s);

  if (r) return r;
  return a->col < b->col ? -1 : a->col > b->col;
}

/* Report blank and duplicate names in the header (the first hdr_n fields).
** Sorting keeps this O(n log n) even for an absurdly wide header. */
static void check_header(struct csvin_ctx *c)
{
  struct csvin_name *v = xmalloc(c->hdr_n * sizeof *v);
  size_t m = 0, first = 0;

  for (size_t i = 0; i < c->hdr_n; i++) {
    const char *s = c->f->store_ + c->offs[i];
    if (*s) {
      v[m].s = s;
      v[m++].col = i;
    } else {
      diag_add(c->d, c->f->path, c->row_line, i + 1, NULL, "the header "
               "name of column %zu is blank; expected a column name",
               i + 1);
    }
  }
  qsort(v, m, sizeof *v, name_cmp);
  for (size_t k = 1; k < m; k++) {
    if (strcmp(v[k].s, v[first].s) != 0) {
      first = k;
      continue;
    }
    diag_add(c->d, c->f->path, c->row_line, v[k].col + 1, v[k].s, "column "
             "%zu has the same header name as column %zu; expected every "
             "name once", v[k].col + 1, v[first].col + 1);
  }
  free(v);
}

/* Keep the open row (n fields, as many as the header) as a data row. */
static void row_keep(struct csvin_ctx *c, size_t n)
{
  struct csvin_file *f = c->f;

  xgrow(&f->rows, &c->rows_cap, f->nrows + 1, sizeof *f->rows);
  f->rows[f->nrows].line = c->row_line;
  f->rows[f->nrows].nfields = n;
  f->rows[f->nrows].fields = NULL;     /* set by finish() */
  f->nrows++;
}

/* libcsv's row callback (also called for each empty line, thanks to
** CSV_REPALL_NL): skip an empty row, take the first other row as the
** header, and keep a data row only when it has as many fields as the
** header. */
static void on_row(int ch, void *data)
{
  struct csvin_ctx *c = data;
  size_t n = c->noffs - c->row_first;

  (void)ch;
  c->ended = true;
  if (n == 0) return;
  if (!c->row_nonempty) {
    row_drop(c);
  } else if (!c->have_header) {
    c->have_header = true;
    c->hdr_n = n;
    c->f->header.line = c->row_line;
    c->f->header.nfields = n;
    check_header(c);
  } else if (n != c->hdr_n) {
    diag_add(c->d, c->f->path, c->row_line, 0, NULL, "the row has %zu "
             "fields but the header has %zu; expected one field per "
             "header column", n, c->hdr_n);
    row_drop(c);
  } else {
    row_keep(c, n);
  }
  c->row_nonempty = false;
  c->row_first = c->noffs;
}

/* ---- feeding libcsv ----------------------------------------------------- */

/* End (exclusive) of the piece of s[0..n) that starts at pos: just after
** the first line break (LF, CRLF or a lone CR), else after
** CSVIN_PIECE_BYTES bytes, else n. *term says whether a line break ends
** it. */
static size_t piece_end(const char *s, size_t n, size_t pos, bool *term)
{
  size_t lim = n - pos > CSVIN_PIECE_BYTES ? pos + CSVIN_PIECE_BYTES : n;

  *term = true;
  for (size_t i = pos; i < lim; i++) {
    if (s[i] == '\n') return i + 1;
    if (s[i] == '\r') return i + 1 < n && s[i + 1] == '\n' ? i + 2 : i + 1;
  }
  *term = false;
  return lim;
}

/* Report the malformed quoting libcsv stopped at: the byte at offset at of
** the text, on the line starting at offset bol. Like every problem of a
** field, it names the CSV column as col; the character within the line
** goes into the message. */
static void report_parse_error(struct csvin_ctx *c, struct csv_parser *p,
                               size_t bol, size_t at)
{
  size_t field = c->noffs - c->row_first;
  unsigned long chr = 1;
  const char *msg;

  for (size_t i = bol; i < at; i++)        /* count characters, not bytes */
    if (((unsigned char)c->s[i] & 0xC0) != 0x80) chr++;
  if (csv_error(p) != CSV_EPARSE)
    msg = csv_strerror(csv_error(p));
  else if (c->s[at] != '"')
    msg = "text after the closing quote of a quoted field; expected a "
          "comma or the end of the line (a quote inside a quoted field "
          "is written twice: \"\")";
  else if (!p->quoted)
    msg = "a quote inside a field that does not start with one; expected "
          "the whole field in quotes, with the inner quote written twice "
          "(\"\")";
  else
    msg = "a quote after the closing quote of a quoted field; expected a "
          "comma or the end of the line";
  diag_add(c->d, c->f->path, c->line, field + 1, col_name(c, field),
           "%s (character %lu of the line); stopped reading the file here",
           msg, chr);
}

/* Feed c->s to libcsv one piece at a time (see piece_end), keeping c->line
** and c->row_line right. Returns false, with the problem reported, when
** malformed quoting or a runaway field stopped the reading early. */
static bool parse_text(struct csvin_ctx *c)
{
  struct csv_parser p;
  size_t pos = 0, bol = 0, end, used;
  bool term, bol_next = true, row_open = false, ok = true;
  int rc;

  rc = csv_init(&p, (unsigned char)(CSV_STRICT | CSV_STRICT_FINI |
                                    CSV_APPEND_NULL | CSV_REPALL_NL));
  ALWAYS_ASSERT(rc == 0);
  csv_set_realloc_func(&p, xrealloc);
  c->line = 1;
  while (ok && pos < c->n) {
    end = piece_end(c->s, c->n, pos, &term);
    if (bol_next) {
      bol = pos;
      if (!row_open) c->row_line = c->line;
      c->ended = false;
    }
    used = csv_parse(&p, c->s + pos, end - pos, on_field, on_row, c);
    if (used != end - pos) {
      report_parse_error(c, &p, bol, pos + used);
      ok = false;
    } else if (csv_get_buffer_size(&p) > CSVIN_RUNAWAY_BYTES) {
      diag_add(c->d, c->f->path, c->row_line, 0, NULL, "a field of the row "
               "starting here grows beyond %zu bytes; expected at most %d "
               "(is a quote not closed?); stopped reading the file here",
               CSVIN_RUNAWAY_BYTES, CSVIN_FIELD_BYTES_MAX);
      ok = false;
    }
    pos = end;
    bol_next = term;
    if (term) {
      c->line++;
      row_open = !c->ended;
    }
  }
  if (ok && csv_fini(&p, on_field, on_row, c) != 0) {
    diag_add(c->d, c->f->path, c->row_line, 0, NULL, "the row starting "
             "here has a quoted field that is not closed before the end "
             "of the file; expected a closing quote (\")");
    ok = false;
  }
  csv_free(&p);
  return ok;
}

/* Drop a row left open by an early stop, shrink the store, and point the
** header and rows at their fields: pointers are made only now, when the
** store no longer moves. Every kept row has hdr_n fields, after the
** header's. */
static void finish(struct csvin_ctx *c)
{
  struct csvin_file *f = c->f;
  char **ptrs;

  row_drop(c);
  ALWAYS_ASSERT(c->noffs == (f->nrows + 1) * c->hdr_n);
  if (f->store_len_ > 0 && f->store_len_ < f->store_cap_) {
    f->store_ = xrealloc(f->store_, f->store_len_);
    f->store_cap_ = f->store_len_;
  }
  ptrs = xmalloc(c->noffs * sizeof *ptrs);
  for (size_t k = 0; k < c->noffs; k++) ptrs[k] = f->store_ + c->offs[k];
  f->header.fields = ptrs;
  for (size_t i = 0; i < f->nrows; i++)
    f->rows[i].fields = ptrs + (i + 1) * c->hdr_n;
}

struct csvin_file *csvin_parse(const char *path, const char *buf, size_t len,
                               enum csvin_encoding enc, struct diag_list *d)
{
  struct csvin_file *result = NULL;
  struct csvin_text t = { NULL, 0, NULL };
  struct csvin_ctx c;

  memset(&c, 0, sizeof c);
  if (len > CSVIN_FILE_BYTES_MAX) {
    diag_add(d, path, 0, 0, NULL, "the file is %zu bytes long; expected at "
             "most %zu bytes", len, CSVIN_FILE_BYTES_MAX);
    goto done;
  }
  result = xcalloc(1, sizeof *result);
  result->path = path ? xstrdup(path) : NULL;
  result->encoding = enc;
  c.f = result;
  c.d = d;
  if (decode(result, buf, len, enc, d, &t)) {
    c.s = t.s;
    c.n = t.n;
    if (parse_text(&c) && !c.have_header)
      diag_add(d, path, 0, 0, NULL, "the file has no header row (it is "
               "empty or has only blank lines); expected a header row "
               "naming the columns");
  }
  finish(&c);
done:
  free(t.owned);
  free(c.offs);
  return result;
}

struct csvin_file *csvin_read(const char *path, enum csvin_encoding enc,
                              struct diag_list *d)
{
  struct csvin_file *result = NULL;
  char *buf = NULL;
  size_t len = 0;
  int err = vfs_read(path, CSVIN_FILE_BYTES_MAX, &buf, &len);

  if (err == EFBIG)
    diag_add(d, path, 0, 0, NULL, "the file is larger than %zu bytes; "
             "expected at most that", CSVIN_FILE_BYTES_MAX);
  else if (err)
    diag_add(d, path, 0, 0, NULL, "cannot read the file: %s; expected a "
             "readable file", strerror(err));
  else
    result = csvin_parse(path, buf, len, enc, d);
  free(buf);
  return result;
}
