/*
** util.h -- allocation that cannot fail, and small string helpers.
**
** paysettle is a batch job: when memory runs out there is nothing sensible
** to do but stop before anything is written. Every allocation therefore goes
** through xmalloc() and friends, which print a message and exit(2) on
** failure (GMP behaves the same way). Since nothing is committed before the
** end of a run, an exit here leaves the ledger and outputs/ untouched.
*/
#ifndef PAYSETTLE_UTIL_H
#define PAYSETTLE_UTIL_H

#include <stddef.h>
#include <sys/types.h>
#include <stdbool.h>

void *xmalloc(size_t n);
void *xcalloc(size_t count, size_t n);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/* printf into a fresh heap string; the caller frees it. */
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Grow *pv (an array of *pcap elements of size elem) so that it holds at
** least need elements. Doubles the capacity; never shrinks. */
void xgrow(void *pv, size_t *pcap, size_t need, size_t elem);

/* Read a whole file into a NUL-terminated heap buffer. Returns 0, or an errno
** value when the file cannot be opened or is larger than max_bytes (EFBIG).
** *out and *len are set only on success. */
int util_read_file(const char *path, size_t max_bytes, char **out,
                   size_t *len);

/* True when s (length n) is valid UTF-8 in the strict sense: no overlong
** forms, no surrogates, nothing above U+10FFFF. */
bool util_utf8_valid(const char *s, size_t n);
/* Display width of UTF-8 text: CJK characters are two columns wide. */
unsigned util_text_width(const char *s, size_t len);
/* Create directory path and its missing parents (like mkdir -p); errors
** are left to whoever then writes into it. */
void util_mkdirs(const char *path, mode_t mode);

/* Assertion that stays on in release builds: for invariants of money and of
** the ledger, where continuing after a broken invariant would be worse than
** stopping (TigerBeetle's style). */
#define ALWAYS_ASSERT(c) \
  ((c) ? (void)0 : util_assert_fail(#c, __FILE__, __LINE__))
_Noreturn void util_assert_fail(const char *what, const char *file, int line);

#endif
