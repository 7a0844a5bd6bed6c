/*
** test_csv.c -- unit tests of csvin (engine/csvin.c).
**
** Every test parses an in-memory buffer with csvin_parse() into the file
** f and the problem list d below; parse() frees the previous ones.
*/
#include "check.h"
#include "csvin.h"
#include "util.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static struct diag_list d;
static struct csvin_file *f;

/* Parse buf[0..n) as "t.csv" into f and d. */
static void parse(const char *buf, size_t n, enum csvin_encoding enc)
{
  csvin_free(f);
  diag_free(&d);
  f = csvin_parse("t.csv", buf, n, enc, &d);
}

/* Parse a string literal, which may hold NUL bytes. */
#define PARSE(lit) parse(lit, sizeof(lit) - 1, CSVIN_ENC_AUTO)
#define PARSE_ENC(lit, enc) parse(lit, sizeof(lit) - 1, enc)

/* Header name i, or NULL when there is none. */
static const char *hdr(size_t i)
{
  if (!f || i >= f->header.nfields) return NULL;
  return f->header.fields[i];
}

/* Field i of data row r, or NULL when there is none. */
static const char *cell(size_t r, size_t i)
{
  if (!f || r >= f->nrows || i >= f->rows[r].nfields) return NULL;
  return f->rows[r].fields[i];
}

/* Line of data row r, or 0 when there is no such row. */
static unsigned long line(size_t r)
{
  if (!f || r >= f->nrows) return 0;
  return f->rows[r].line;
}

/* Number of data rows (0 without a file). */
static size_t nrows(void)
{
  return f ? f->nrows : 0;
}

/* The first problem whose message contains sub, or NULL. */
static const struct diag *problem(const char *sub)
{
  for (size_t i = 0; i < d.n; i++)
    if (strstr(d.v[i].msg, sub)) return &d.v[i];
  return NULL;
}

/* Line of the first problem whose message contains sub (0: none). */
static unsigned long problem_line(const char *sub)
{
  const struct diag *p = problem(sub);
  return p ? p->line : 0;
}

/* Field (column name) of the first problem containing sub, or NULL. */
static const char *problem_field(const char *sub)
{
  const struct diag *p = problem(sub);
  return p ? p->field : NULL;
}

/* ---- form ------------------------------------------------------------- */

TEST(simple_file)
{
  PARSE("id,name\n1,Ann\n2,Bob\n");
  CHECK(f != NULL);
  CHECK_INT(d.n, 0);
  CHECK_INT(f ? f->header.nfields : 0, 2);
  CHECK_INT(f ? f->header.line : 0, 1);
  CHECK_STR(hdr(0), "id");
  CHECK_STR(hdr(1), "name");
  CHECK_INT(nrows(), 2);
  CHECK_STR(cell(0, 0), "1");
  CHECK_STR(cell(0, 1), "Ann");
  CHECK_STR(cell(1, 1), "Bob");
  CHECK_INT(line(0), 2);
  CHECK_INT(line(1), 3);
  CHECK_STR(f ? f->path : NULL, "t.csv");
  CHECK_STR(f ? csvin_encoding_name(f->encoding) : NULL, "utf-8");
}

TEST(crlf_lines)
{
  PARSE("id,name\r\n1,Ann\r\n2,Bob\r\n");
  CHECK_INT(d.n, 0);
  CHECK_INT(nrows(), 2);
  CHECK_STR(hdr(1), "name");
  CHECK_STR(cell(0, 1), "Ann");
  CHECK_STR(cell(1, 1), "Bob");
  CHECK_INT(line(0), 2);
  CHECK_INT(line(1), 3);
}

TEST(lf_only_fields_have_no_cr)
{
  PARSE("a,b\nx,y\n");
  CHECK_INT(d.n, 0);
  CHECK_STR(hdr(1), "b");
  CHECK_STR(cell(0, 1), "y");
}

TEST(cr_only_lines)
{
  PARSE("a,b\r1,2\r3,4\r");
  CHECK_INT(d.n, 0);
  CHECK_INT(nrows(), 2);
  CHECK_STR(cell(1, 1), "4");
  CHECK_INT(line(0), 2);
  CHECK_INT(line(1), 3);
}

TEST(missing_final_newline)
{
  PARSE("a,b\n1,2\n3,4");
  CHECK_INT(d.n, 0);
  CHECK_INT(nrows(), 2);
  CHECK_STR(cell(1, 0), "3");
  CHECK_STR(cell(1, 1), "4");
  CHECK_INT(line(1), 3);
}

TEST(missing_final_newline_after_quote)
{
  PARSE("a,b\r\n1,\"x y\"");
  CHECK_INT(d.n, 0);
  CHECK_INT(nrows(), 1);
  CHECK_STR(cell(0, 1), "x y");
}

TEST(quoted_comma_and_doubled_quote)
{
  PARSE("a,b\n\"Smith, John\",\"say \"\"hi\"\"\"\n");
  CHECK_INT(d.n, 0);
  CHECK_INT(nrows(), 1);
  CHECK_STR(cell(0, 0), "Smith, John");
  CHECK_STR(cell(0, 1), "say \"hi\"");
}

TEST(embedded_lf_counts_lines)
{
  PARSE("a,b\n1,\"two\nlines\"\n2,x\n");
  CHECK_INT(d.n, 0);
  CHECK_INT(nrows(), 2);
  CHECK_STR(cell(0, 1), "two\nlines");
  CHECK_INT(line(0), 2);
  CHECK_INT(line(1), 4);
}

TEST(embedded_crlf_counts_lines)
{
  PARSE("a,b\r\n1,\"x\r\ny\r\nz\"\r\n2,w\r\n");
  CHECK_INT(d.n, 0);
  CHECK_INT(nrows(), 2);
  CHECK_STR(cell(0, 1), "x\r\ny\r\nz");
  CHECK_INT(line(0), 2);
  CHECK_INT(line(1), 5);
}

TEST(row_starting_with_multiline_field)
{
  PARSE("a,b\n\"p\nq\",1\n\n\"r\",2\n");
  CHECK_INT(d.n, 0);
  CHECK_INT(nrows(), 2);
  CHECK_STR(cell(0, 0), "p\nq");
  CHECK_INT(line(0), 2);
  CHECK_INT(line(1), 5);
}

TEST(trimming)
{
  PARSE(" id \t,\tname  \n  1 ,\t Ann Lee \t\n\" 2 \",\"  Bob \"\n");
  CHECK_INT(d.n, 0);
  CHECK_STR(hdr(0), "id");
  CHECK_STR(hdr(1), "name");
  CHECK_STR(cell(0, 0), "1");
  CHECK_STR(cell(0, 1), "Ann Lee");
  CHECK_STR(cell(1, 0), "2");
  CHECK_STR(cell(1, 1), "Bob");
}

TEST(empty_fields_kept)
{
  PARSE("a,b,c\n1,,\n,,3\n");
  CHECK_INT(d.n, 0);
  CHECK_INT(nrows(), 2);
  CHECK_STR(cell(0, 1), "");
  CHECK_STR(cell(0, 2), "");
  CHECK_STR(cell(1, 2), "3");
}

TEST(empty_lines_skipped)
{
  PARSE("\n  \na,b\n\n1,2\r\n\r\n , \n\t\n\"\",\"\"\n3,4\n\n");
  CHECK_INT(d.n, 0);
  CHECK_INT(f ? f->header.line : 0, 3);
  CHECK_STR(hdr(0), "a");
  CHECK_INT(nrows(), 2);
  CHECK_STR(cell(0, 0), "1");
  CHECK_STR(cell(1, 0), "3");
  CHECK_INT(line(0), 5);
  CHECK_INT(line(1), 10);
}

TEST(long_line_in_pieces)
{
  /* A 100 KiB line is fed to libcsv in several pieces; lines stay right. */
  size_t cols = 100, w = 1000, n = 0, cap = cols * (w + 1) * 2 + 64;
  char *buf = xmalloc(cap);

  for (size_t i = 0; i < cols; i++)
    n += (size_t)snprintf(buf + n, cap - n, "%sc%zu", i ? "," : "", i);
  buf[n++] = '\n';
  for (size_t i = 0; i < cols; i++) {
    if (i) buf[n++] = ',';
    memset(buf + n, 'x', w);
    n += w;
  }
  memcpy(buf + n, "\n", 1);
  n += 1;
  for (size_t i = 0; i + 1 < cols; i++) buf[n++] = ',';
  memcpy(buf + n, "7\n", 2);
  n += 2;
  parse(buf, n, CSVIN_ENC_AUTO);
  free(buf);
  CHECK_INT(d.n, 0);
  CHECK_INT(f ? f->header.nfields : 0, cols);
  CHECK_INT(nrows(), 2);
  CHECK_INT(cell(0, 99) ? strlen(cell(0, 99)) : 0, w);
  CHECK_INT(line(1), 3);
  CHECK_STR(cell(1, 99), "7");
  CHECK_STR(cell(1, 98), "");
}

/* ---- encodings -------------------------------------------------------- */

TEST(utf8_bom_stripped)
{
  PARSE("\xEF\xBB\xBFid,name\n1,\xE5\xBC\xA0\xE4\xB8\x89\n");
  CHECK_INT(d.n, 0);
  CHECK_STR(hdr(0), "id");
  CHECK_STR(cell(0, 1), "张三");
  CHECK_STR(f ? csvin_encoding_name(f->encoding) : NULL, "utf-8");
}

TEST(gbk_name_converted)
{
  PARSE("id,name\n1,\xD5\xC5\xC8\xFD\n");
  CHECK_INT(d.n, 0);
  CHECK_STR(cell(0, 1), "张三");
  CHECK_STR(f ? csvin_encoding_name(f->encoding) : NULL, "gb18030");
}

TEST(gbk_header_converted)
{
  PARSE("\xB9\xA4\xBA\xC5,name\n7,x\n");
  CHECK_INT(d.n, 0);
  CHECK_STR(hdr(0), "工号");
  CHECK_STR(cell(0, 0), "7");
  CHECK(f && f->encoding == CSVIN_ENC_GB18030);
}

TEST(lax_utf8_gbk_is_gbk)
{
  /* 联通 in GBK is C1 AA CD A8: only a lax validator takes it as UTF-8. */
  PARSE("a\n\xC1\xAA\xCD\xA8\n");
  CHECK_INT(d.n, 0);
  CHECK_STR(cell(0, 0), "联通");
  CHECK(f && f->encoding == CSVIN_ENC_GB18030);
}

TEST(invalid_in_both_encodings)
{
  /* 0x81 0x20: no UTF-8 lead byte, and a GB18030 lead without a trail. */
  PARSE("id,name\n1,a\x81\x20" "b\n");
  CHECK(f != NULL);
  CHECK_INT(d.n, 1);
  CHECK(problem("neither UTF-8 nor GB18030 at byte 12 (line 2)") != NULL);
  CHECK(problem("81 20") != NULL);
  CHECK_INT(problem_line("neither"), 2);
  CHECK_INT(nrows(), 0);
}

TEST(neither_reports_the_later_fault)
{
  /* GBK 张 then a fault: UTF-8 fails at byte 3, GB18030 only at byte 5. */
  PARSE("a\n\xD5\xC5\x81\x20\n");
  CHECK(problem("neither UTF-8 nor GB18030 at byte 5 (line 2)") != NULL);
  /* UTF-8 张 then a fault: GB18030 fails at byte 5, UTF-8 only at 7. */
  PARSE("a\n\xE5\xBC\xA0,\x81\x20\n");
  CHECK(problem("neither UTF-8 nor GB18030 at byte 7 (line 2)") != NULL);
}

TEST(utf8_declared_rejects_gbk)
{
  PARSE_ENC("id,name\n1,\xD5\xC5\xC8\xFD\n", CSVIN_ENC_UTF8);
  CHECK(f != NULL);
  CHECK(problem("not UTF-8 at byte 11 (line 2)") != NULL);
  CHECK_INT(nrows(), 0);
}

TEST(utf8_declared_rejects_surrogate)
{
  PARSE_ENC("a\n\xED\xA0\x80\n", CSVIN_ENC_UTF8);
  CHECK(problem("not UTF-8 at byte 3 (line 2)") != NULL);
}

TEST(gb18030_declared_converts)
{
  PARSE_ENC("a,b\n1,\xD5\xC5\n", CSVIN_ENC_GB18030);
  CHECK_INT(d.n, 0);
  CHECK_STR(cell(0, 1), "张");
  CHECK_STR(f ? csvin_encoding_name(f->encoding) : NULL, "gb18030");
}

TEST(gb18030_declared_rejects_bad_bytes)
{
  PARSE_ENC("a,b\n1,\x80\n", CSVIN_ENC_GB18030);
  CHECK(problem("not GB18030 at byte 7 (line 2)") != NULL);
}

TEST(utf16le_bom_refused)
{
  PARSE("\xFF\xFE" "a\0,\0b\0\n\0");
  CHECK(f != NULL);
  CHECK(problem("UTF-16 (FF FE) byte-order mark") != NULL);
  CHECK_INT(f ? f->header.nfields : 1, 0);
}

TEST(utf16be_bom_refused)
{
  PARSE("\xFE\xFF\0a\0,\0b\0\n");
  CHECK(problem("UTF-16 (FE FF) byte-order mark") != NULL);
}

TEST(utf32_boms_refused)
{
  PARSE("\xFF\xFE\0\0" "a\0\0\0");
  CHECK(problem("UTF-32 (FF FE 00 00) byte-order mark") != NULL);
  PARSE("\0\0\xFE\xFF\0\0\0a");
  CHECK(problem("UTF-32 (00 00 FE FF) byte-order mark") != NULL);
}

TEST(utf8_bom_with_gb18030_declared)
{
  PARSE_ENC("\xEF\xBB\xBF" "a\n1\n", CSVIN_ENC_GB18030);
  CHECK(problem("UTF-8 byte-order mark but GB18030") != NULL);
  CHECK_INT(nrows(), 0);
}

TEST(utf8_bom_then_gbk_refused)
{
  PARSE("\xEF\xBB\xBF" "a\n\xD5\xC5\n");
  CHECK(problem("not UTF-8 at byte 6 (line 2)") != NULL);
}

/* ---- refusals --------------------------------------------------------- */

TEST(too_many_fields)
{
  PARSE("a,b\n1,2\n3,4,5\n6,7\n");
  CHECK_INT(d.n, 1);
  CHECK(problem("has 3 fields but the header has 2") != NULL);
  CHECK_INT(problem_line("fields but"), 3);
  CHECK_INT(nrows(), 2);
  CHECK_STR(cell(1, 0), "6");
  CHECK_INT(line(1), 4);
}

TEST(too_few_fields)
{
  PARSE("a,b,c\n1,2\n");
  CHECK_INT(d.n, 1);
  CHECK(problem("has 2 fields but the header has 3") != NULL);
  CHECK_INT(problem_line("fields but"), 2);
  CHECK_INT(nrows(), 0);
}

TEST(trailing_comma_is_a_field)
{
  PARSE("a,b\n1,2,\n");
  CHECK(problem("has 3 fields but the header has 2") != NULL);
}

TEST(field_too_long)
{
  char buf[2100];
  size_t n = 0;

  memcpy(buf, "a,name\n1,", 9);
  n = 9;
  memset(buf + n, 'x', 1025);
  n += 1025;
  memcpy(buf + n, "\n2,", 3);
  n += 3;
  memset(buf + n, 'y', 1024);
  n += 1024;
  buf[n++] = '\n';
  parse(buf, n, CSVIN_ENC_AUTO);
  CHECK_INT(d.n, 1);
  CHECK(problem("1025 bytes long; expected at most 1024") != NULL);
  CHECK_STR(problem_field("bytes long"), "name");
  CHECK_INT(problem_line("bytes long"), 2);
  CHECK_INT(problem("bytes long") ? problem("bytes long")->col : 0, 2);
  CHECK_INT(nrows(), 2);
}

TEST(nul_byte_refused)
{
  PARSE("a,name\n1,A\0B\n");
  CHECK_INT(d.n, 1);
  CHECK(problem("NUL byte") != NULL);
  CHECK_STR(problem_field("NUL"), "name");
  CHECK_INT(problem_line("NUL"), 2);
}

TEST(control_char_refused)
{
  PARSE("a,b\n1,x\x01y\n2,\x7F\n");
  CHECK_INT(d.n, 2);
  CHECK(problem("control character U+0001") != NULL);
  CHECK(problem("control character U+007F") != NULL);
  CHECK_INT(problem_line("U+007F"), 3);
}

TEST(c1_control_refused)
{
  /* GB18030 81 30 81 30 is U+0080, a C1 control. */
  PARSE("a\n\x81\x30\x81\x30\n");
  CHECK(problem("control character U+0080") != NULL);
}

TEST(tab_inside_field_allowed)
{
  PARSE("a\nx\ty\n");
  CHECK_INT(d.n, 0);
  CHECK_STR(cell(0, 0), "x\ty");
}

TEST(unterminated_quote_at_eof)
{
  PARSE("a,b\n1,2\n3,\"open\n4,5\n");
  CHECK(f != NULL);
  CHECK_INT(d.n, 1);
  CHECK(problem("not closed before the end of the file") != NULL);
  CHECK_INT(problem_line("not closed"), 3);
  CHECK_INT(nrows(), 1);
  CHECK_STR(cell(0, 1), "2");
}

TEST(quote_inside_unquoted_field)
{
  PARSE("a,b\n1,2\n3,ab\"c\n4,5\n");
  CHECK_INT(d.n, 1);
  CHECK(problem("a quote inside a field that does not start") != NULL);
  CHECK_INT(problem_line("quote inside"), 3);
  CHECK_INT(problem("quote inside") ? problem("quote inside")->col : 0, 2);
  CHECK(problem("(character 5 of the line)") != NULL);
  CHECK_STR(problem_field("quote inside"), "b");
  CHECK_INT(nrows(), 1);
  CHECK_STR(cell(0, 0), "1");
}

TEST(text_after_closing_quote)
{
  PARSE("a,b\n1,2\n\"ab\"c,3\n");
  CHECK_INT(d.n, 1);
  CHECK(problem("text after the closing quote") != NULL);
  CHECK_INT(problem_line("text after"), 3);
  CHECK_INT(problem("text after") ? problem("text after")->col : 0, 1);
  CHECK(problem("(character 5 of the line)") != NULL);
  CHECK_INT(nrows(), 1);
}

TEST(quote_after_closing_quote)
{
  PARSE("a,b\n\"ab\" \"c\",3\n");
  CHECK_INT(d.n, 1);
  CHECK(problem("a quote after the closing quote") != NULL);
  CHECK_INT(problem_line("a quote after"), 2);
  CHECK_STR(problem_field("a quote after"), "a");
}

TEST(parse_error_line_after_multiline_field)
{
  PARSE("a,b\n1,\"x\ny\"z\n");
  CHECK(problem("text after the closing quote") != NULL);
  CHECK_INT(problem_line("text after"), 3);
  CHECK_INT(nrows(), 0);
}

TEST(runaway_quote_stops)
{
  size_t n = 3 << 20;
  char *buf = xmalloc(n);

  memset(buf, 'x', n);
  memcpy(buf, "a,b\n1,\"", 7);
  parse(buf, n, CSVIN_ENC_AUTO);
  free(buf);
  CHECK(f != NULL);
  CHECK(problem("stopped reading the file here") != NULL);
  CHECK_INT(problem_line("grows beyond"), 2);
  CHECK_INT(nrows(), 0);
}

TEST(duplicate_header)
{
  PARSE("id,name,id\n1,2,3\n");
  CHECK_INT(d.n, 1);
  CHECK(problem("column 3 has the same header name as column 1") != NULL);
  CHECK_STR(problem_field("same header name"), "id");
  CHECK_INT(problem_line("same header name"), 1);
  CHECK_INT(problem("same header") ? problem("same header")->col : 0, 3);
}

TEST(duplicate_header_after_trimming)
{
  PARSE("name, name \n1,2\n");
  CHECK(problem("column 2 has the same header name as column 1") != NULL);
}

TEST(blank_header)
{
  PARSE("id,,name\n1,2,3\n");
  CHECK_INT(d.n, 1);
  CHECK(problem("header name of column 2 is blank") != NULL);
  CHECK_INT(problem_line("is blank"), 1);
  CHECK_INT(problem("is blank") ? problem("is blank")->col : 0, 2);
}

TEST(empty_file)
{
  PARSE("");
  CHECK(f != NULL);
  CHECK_INT(d.n, 1);
  CHECK(problem("no header row") != NULL);
  CHECK_INT(f ? f->header.nfields : 1, 0);
  CHECK_INT(nrows(), 0);
}

TEST(bom_only_file)
{
  PARSE("\xEF\xBB\xBF");
  CHECK(problem("no header row") != NULL);
}

TEST(blank_lines_only_file)
{
  PARSE("\n \r\n,,\n");
  CHECK_INT(d.n, 1);
  CHECK(problem("no header row") != NULL);
}

TEST(problem_names_file)
{
  PARSE("a,b\n1\n");
  CHECK_STR(d.n ? d.v[0].file : NULL, "t.csv");
}

/* ---- files and odds and ends ------------------------------------------ */

TEST(read_missing_file)
{
  struct diag_list dl;
  struct csvin_file *r;

  diag_init(&dl);
  r = csvin_read("/nonexistent/paysettle/x.csv", CSVIN_ENC_AUTO, &dl);
  CHECK(r == NULL);
  CHECK_INT(dl.n, 1);
  CHECK(dl.n && strstr(dl.v[0].msg, "cannot read the file") != NULL);
  diag_free(&dl);
}

TEST(read_real_file)
{
  char path[] = "/tmp/test_csv_XXXXXX";
  int fd = mkstemp(path);
  struct diag_list dl;
  struct csvin_file *r = NULL;
  static const char text[] = "id,name\n1,\xD5\xC5\xC8\xFD\n";

  diag_init(&dl);
  CHECK(fd >= 0);
  if (fd >= 0) {
    CHECK(write(fd, text, sizeof text - 1) == (ssize_t)(sizeof text - 1));
    close(fd);
    r = csvin_read(path, CSVIN_ENC_AUTO, &dl);
    unlink(path);
  }
  CHECK(r != NULL);
  CHECK_INT(dl.n, 0);
  CHECK_STR(r && r->nrows == 1 ? r->rows[0].fields[1] : NULL, "张三");
  CHECK_STR(r ? r->path : NULL, path);
  csvin_free(r);
  diag_free(&dl);
}

TEST(free_null_and_names)
{
  csvin_free(NULL);
  CHECK_STR(csvin_encoding_name(CSVIN_ENC_UTF8), "utf-8");
  CHECK_STR(csvin_encoding_name(CSVIN_ENC_GB18030), "gb18030");
}

int main(void)
{
  diag_init(&d);
  RUN(simple_file);
  RUN(crlf_lines);
  RUN(lf_only_fields_have_no_cr);
  RUN(cr_only_lines);
  RUN(missing_final_newline);
  RUN(missing_final_newline_after_quote);
  RUN(quoted_comma_and_doubled_quote);
  RUN(embedded_lf_counts_lines);
  RUN(embedded_crlf_counts_lines);
  RUN(row_starting_with_multiline_field);
  RUN(trimming);
  RUN(empty_fields_kept);
  RUN(empty_lines_skipped);
  RUN(long_line_in_pieces);
  RUN(utf8_bom_stripped);
  RUN(gbk_name_converted);
  RUN(gbk_header_converted);
  RUN(lax_utf8_gbk_is_gbk);
  RUN(invalid_in_both_encodings);
  RUN(neither_reports_the_later_fault);
  RUN(utf8_declared_rejects_gbk);
  RUN(utf8_declared_rejects_surrogate);
  RUN(gb18030_declared_converts);
  RUN(gb18030_declared_rejects_bad_bytes);
  RUN(utf16le_bom_refused);
  RUN(utf16be_bom_refused);
  RUN(utf32_boms_refused);
  RUN(utf8_bom_with_gb18030_declared);
  RUN(utf8_bom_then_gbk_refused);
  RUN(too_many_fields);
  RUN(too_few_fields);
  RUN(trailing_comma_is_a_field);
  RUN(field_too_long);
  RUN(nul_byte_refused);
  RUN(control_char_refused);
  RUN(c1_control_refused);
  RUN(tab_inside_field_allowed);
  RUN(unterminated_quote_at_eof);
  RUN(quote_inside_unquoted_field);
  RUN(text_after_closing_quote);
  RUN(quote_after_closing_quote);
  RUN(parse_error_line_after_multiline_field);
  RUN(runaway_quote_stops);
  RUN(duplicate_header);
  RUN(duplicate_header_after_trimming);
  RUN(blank_header);
  RUN(empty_file);
  RUN(bom_only_file);
  RUN(blank_lines_only_file);
  RUN(problem_names_file);
  RUN(read_missing_file);
  RUN(read_real_file);
  RUN(free_null_and_names);
  csvin_free(f);
  diag_free(&d);
  return check_done();
}
