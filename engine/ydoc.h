/*
** ydoc.h -- a YAML rule file as a small tree, read safely with libyaml.
**
** Rule files are written by people and may come from anywhere, so the
** loader is strict: it reads the file through libyaml's event API and
** refuses, with file:line:col, anything a rule file does not need and an
** attacker could use: anchors and aliases (billion laughs), tags, more than
** one document, duplicate mapping keys (libyaml keeps them silently),
** non-scalar keys, nesting deeper than YDOC_DEPTH_MAX, more than
** YDOC_NODES_MAX nodes and files larger than YDOC_BYTES_MAX. Scalars keep
** their exact text: libyaml resolves no types, and neither does this module
** (a number is parsed by money.c, never by strtod).
*/
#ifndef PAYSETTLE_YDOC_H
#define PAYSETTLE_YDOC_H

#include <stdbool.h>
#include <stddef.h>
#include "diag.h"

/* A rule file is a page of parameters, not a data dump. */
#define YDOC_BYTES_MAX ((size_t)1 << 20)
/* The deepest real rule file nests 6 levels (items > item > round > ...). */
#define YDOC_DEPTH_MAX 16
/* Bounds the memory of a hostile file independently of its byte size. */
#define YDOC_NODES_MAX 200000

enum ynode_kind { YNODE_SCALAR, YNODE_MAP, YNODE_SEQ };

struct ynode {
  enum ynode_kind kind;
  unsigned long line, col;   /* 1-based start of the node */
  /* scalar */
  char *text;                /* NUL-terminated; owned */
  size_t len;
  bool plain;                /* written without quotes or block indicator */
  bool block;                /* literal (|) or folded (>) */
  /* map and sequence: n entries; a map also has keys (scalars) */
  size_t n, cap;
  struct ynode **keys;       /* map only */
  struct ynode **items;      /* values of a map, entries of a sequence */
};

struct ydoc {
  char *path;
  struct ynode *root;        /* NULL for an empty file */
};

/* Load the YAML file at path. Returns the tree, or NULL with problems in d.
** The caller frees the result with ydoc_free(). */
struct ydoc *ydoc_load(const char *path, struct diag_list *d);
/* The same for a buffer (tests, fuzzing); path is used in messages. */
struct ydoc *ydoc_parse(const char *path, const char *buf, size_t len,
                        struct diag_list *d);
void ydoc_free(struct ydoc *doc);   /* accepts NULL */

/* The value of key in map, or NULL (also when map is not a map). */
struct ynode *ynode_get(const struct ynode *map, const char *key);
/* True when the scalar node's text equals s. */
bool ynode_is(const struct ynode *node, const char *s);
/* "mapping", "sequence" or "scalar", for messages. */
const char *ynode_kind_name(enum ynode_kind k);

#endif
