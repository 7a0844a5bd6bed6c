/*
** util.c -- allocation that cannot fail, file reading, UTF-8 validation and
** display width, directories.
*/
#include "util.h"

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static _Noreturn void oom(size_t n)
{
  fprintf(stderr, "paysettle: out of memory (%zu bytes); nothing was "
          "written\n", n);
  exit(2);
}

void *xmalloc(size_t n)
{
  void *p = malloc(n ? n : 1);
  if (!p) oom(n);
  return p;
}

void *xcalloc(size_t count, size_t n)
{
  void *p = calloc(count ? count : 1, n ? n : 1);
  if (!p) oom(count * n);
  return p;
}

void *xrealloc(void *p, size_t n)
{
  void *q = realloc(p, n ? n : 1);
  if (!q) oom(n);
  return q;
}

char *xstrdup(const char *s)
{
  return xstrndup(s, strlen(s));
}

char *xstrndup(const char *s, size_t n)
{
  char *p = xmalloc(n + 1);
  memcpy(p, s, n);
  p[n] = '\0';
  return p;
}

char *xasprintf(const char *fmt, ...)
{
  va_list ap;
  int n;
  char *p;

  va_start(ap, fmt);
  n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  if (n < 0) oom(0);
  p = xmalloc((size_t)n + 1);
  va_start(ap, fmt);
  vsnprintf(p, (size_t)n + 1, fmt, ap);
  va_end(ap);
  return p;
}

void xgrow(void *pv, size_t *pcap, size_t need, size_t elem)
{
  void **pp = pv;
  size_t cap = *pcap;

  if (need <= cap) return;
  if (cap == 0) cap = 8;
  while (cap < need) {
    if (cap > SIZE_MAX / 2 / elem) oom(SIZE_MAX);
    cap *= 2;
  }
  *pp = xrealloc(*pp, cap * elem);
  *pcap = cap;
}

int util_read_file(const char *path, size_t max_bytes, char **out,
                   size_t *len)
{
  FILE *f = fopen(path, "rb");
  char *buf = NULL;
  size_t n = 0, cap = 0, got;
  int result = 0;

  if (!f) return errno ? errno : ENOENT;
  for (;;) {
    xgrow(&buf, &cap, n + 65536 + 1, 1);
    got = fread(buf + n, 1, cap - n - 1, f);
    n += got;
    if (n > max_bytes) {
      result = EFBIG;
      goto done;
    }
    if (got == 0) break;
  }
  if (ferror(f)) {
    result = EIO;
    goto done;
  }
  buf[n] = '\0';
  *out = buf;
  *len = n;
  buf = NULL;
done:
  free(buf);
  fclose(f);
  return result;
}

bool util_utf8_valid(const char *str, size_t n)
{
  const unsigned char *s = (const unsigned char *)str;
  size_t i = 0;

  while (i < n) {
    unsigned c = s[i];
    unsigned need, cp;
    if (c < 0x80) {
      i++;
      continue;
    }
    if (c >= 0xC2 && c <= 0xDF) {
      need = 1;
      cp = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
      need = 2;
      cp = c & 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      need = 3;
      cp = c & 0x07;
    } else {
      return false;
    }
    for (unsigned k = 1; k <= need; k++) {
      if (i + k >= n || (s[i + k] & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (s[i + k] & 0x3F);
    }
    if ((need == 2 && cp < 0x800) || (need == 3 && cp < 0x10000) ||
        cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
      return false;
    i += need + 1;
  }
  return true;
}

void util_assert_fail(const char *what, const char *file, int line)
{
  fprintf(stderr, "paysettle: invariant broken at %s:%d: %s; stopping "
          "before anything is written\n", file, line, what);
  abort();
}

void util_mkdirs(const char *path, mode_t mode)
{
  char *p = xstrdup(path);
  for (char *s = p + 1; *s; s++) {
    if (*s != '/') continue;
    *s = '\0';
    (void)mkdir(p, mode);
    *s = '/';
  }
  (void)mkdir(p, mode);
  free(p);
}

unsigned util_text_width(const char *s, size_t len)
{
  unsigned w = 0;
  for (size_t i = 0; i < len; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c < 0x80) w++;
    else if (c >= 0xC0) w += c >= 0xE0 ? 2 : 1;
  }
  return w;
}
