/*
** strmap.h -- a map from strings to indexes (open addressing, FNV-1a).
**
** Used for the keys of input files: employee ids, agency codes, and the
** values of 'unique' columns. Keys are not copied: they must outlive the
** map (they point into the input files' storage).
*/
#ifndef PAYSETTLE_STRMAP_H
#define PAYSETTLE_STRMAP_H

#include <stdbool.h>
#include <stddef.h>

struct strmap {
  size_t cap;          /* a power of two, or 0 */
  size_t n;
  const char **keys;
  size_t *vals;
};

void strmap_init(struct strmap *m);
void strmap_free(struct strmap *m);
/* Insert key -> val. When key is already present, leaves the map as it is,
** stores the existing value in *old (when old is not NULL) and returns
** false. Cannot fail otherwise. */
bool strmap_put(struct strmap *m, const char *key, size_t val, size_t *old);
/* True and *val set when key is present. */
bool strmap_get(const struct strmap *m, const char *key, size_t *val);

#endif
