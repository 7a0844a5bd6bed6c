/*
** strmap.c -- a map from strings to indexes (open addressing, FNV-1a).
*/
#include "strmap.h"
#include "util.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static uint64_t hash(const char *s)
{
  uint64_t h = 14695981039346656037ULL;
  for (; *s; s++) {
    h ^= (unsigned char)*s;
    h *= 1099511628211ULL;
  }
  return h;
}

void strmap_init(struct strmap *m)
{
  memset(m, 0, sizeof *m);
}

void strmap_free(struct strmap *m)
{
  free(m->keys);
  free(m->vals);
  strmap_init(m);
}

static size_t slot(const struct strmap *m, const char *key)
{
  size_t i = (size_t)hash(key) & (m->cap - 1);
  while (m->keys[i] && strcmp(m->keys[i], key) != 0)
    i = (i + 1) & (m->cap - 1);
  return i;
}

static void grow(struct strmap *m)
{
  struct strmap old = *m;
  m->cap = old.cap ? old.cap * 2 : 64;
  m->n = 0;
  m->keys = xcalloc(m->cap, sizeof *m->keys);
  m->vals = xcalloc(m->cap, sizeof *m->vals);
  for (size_t i = 0; i < old.cap; i++) {
    if (old.keys[i]) {
      size_t s = slot(m, old.keys[i]);
      m->keys[s] = old.keys[i];
      m->vals[s] = old.vals[i];
      m->n++;
    }
  }
  free(old.keys);
  free(old.vals);
}

bool strmap_put(struct strmap *m, const char *key, size_t val, size_t *old)
{
  size_t s;
  if ((m->n + 1) * 2 > m->cap) grow(m);
  s = slot(m, key);
  if (m->keys[s]) {
    if (old) *old = m->vals[s];
    return false;
  }
  m->keys[s] = key;
  m->vals[s] = val;
  m->n++;
  return true;
}

bool strmap_get(const struct strmap *m, const char *key, size_t *val)
{
  size_t s;
  if (m->cap == 0) return false;
  s = slot(m, key);
  if (!m->keys[s]) return false;
  *val = m->vals[s];
  return true;
}
