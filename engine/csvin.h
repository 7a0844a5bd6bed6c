/*
** csvin.h -- reading finance's CSV files (RFC 4180, UTF-8 or GB18030).
**
** Finance exports its files from Excel. This module turns one such file into
** rows of trimmed UTF-8 fields with their line numbers, and reports every
** problem of the file's form to a diag_list; it knows nothing of what the
** columns mean (inputs.c does).
**
** What it accepts:
**  - RFC 4180, parsed by libcsv in strict mode: comma separated; a field may
**    be quoted with '"' and then hold commas, doubled quotes and line breaks;
**    lines end with LF or CRLF; the last line may lack its end.
**  - UTF-8, with or without a leading BOM (EF BB BF, dropped), or GB18030 /
**    GBK (Excel's "CSV" on a Chinese Windows), converted to UTF-8 with iconv.
**    With CSVIN_ENC_AUTO the file is UTF-8 when it is strictly valid UTF-8,
**    else GB18030 when it converts cleanly, else refused ("neither UTF-8 nor
**    GB18030 at byte N (line L)"). Never a silent guess: a file that is
**    neither is an error.
**  - Spaces and tabs around every field (header included) are trimmed.
**  - Empty lines (no characters, or only separators and spaces) are skipped.
**
** What it refuses, each as a problem with the file's path and line:
**  - malformed quoting (a quote inside an unquoted field, text after a
**    closing quote, an unterminated quoted field at the end of the file);
**  - a data row with more or fewer fields than the header (saying both
**    counts);
**  - a field longer than CSVIN_FIELD_BYTES_MAX bytes;
**  - a NUL byte or a control character other than TAB, CR, LF;
**  - a UTF-16 or UTF-32 byte-order mark;
**  - an empty file (no header);
**  - a blank or duplicate header name.
**
** A file with problems still yields the rows that could be read (so that the
** caller can report problems of content too); csvin_read() returns NULL only
** when the file cannot be read at all.
*/
#ifndef PAYSETTLE_CSVIN_H
#define PAYSETTLE_CSVIN_H

#include <stddef.h>
#include "diag.h"

/* A field longer than this is an error (inputs.md: 1,024 bytes). */
#define CSVIN_FIELD_BYTES_MAX 1024
/* A file larger than this is refused before parsing: 1,000,000 roster rows
** of ~250 bytes fit with room to spare. */
#define CSVIN_FILE_BYTES_MAX ((size_t)1 << 31)

enum csvin_encoding {
  CSVIN_ENC_AUTO,        /* detect: strict UTF-8, else GB18030 */
  CSVIN_ENC_UTF8,        /* must be UTF-8 */
  CSVIN_ENC_GB18030      /* must be GB18030 (GBK is a subset) */
};

struct csvin_row {
  unsigned long line;    /* 1-based line where the row starts */
  size_t nfields;
  char **fields;         /* trimmed, NUL-terminated UTF-8 */
};

struct csvin_file {
  char *path;                    /* as given to csvin_read */
  enum csvin_encoding encoding;  /* what the file was read as */
  struct csvin_row header;       /* the header row */
  struct csvin_row *rows;        /* data rows, empty lines skipped */
  size_t nrows;
  /* private: the storage behind the strings */
  char *store_;
  size_t store_len_, store_cap_;
};

/* Read and parse the file at path. Problems of form go to d (with the path
** and line); the rows that could be read are returned all the same.
** Returns NULL, with a problem in d, only when the file cannot be opened or
** read, or is larger than CSVIN_FILE_BYTES_MAX. The caller frees the result
** with csvin_free(). */
struct csvin_file *csvin_read(const char *path, enum csvin_encoding enc,
                              struct diag_list *d);

/* Parse an in-memory buffer as if it were the file `path` (for tests and
** fuzzing). Same contract as csvin_read. */
struct csvin_file *csvin_parse(const char *path, const char *buf, size_t len,
                               enum csvin_encoding enc, struct diag_list *d);

/* Free everything csvin_read returned. Accepts NULL. */
void csvin_free(struct csvin_file *f);

/* "utf-8" or "gb18030" (for the run manifest and messages). */
const char *csvin_encoding_name(enum csvin_encoding e);

#endif
