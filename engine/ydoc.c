/*
** ydoc.c -- a YAML rule file as a small tree, read safely with libyaml.
*/
#include "ydoc.h"
#include "util.h"
#include "vfs.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

struct loader {
  const char *path;
  struct diag_list *d;
  struct ynode *stack[YDOC_DEPTH_MAX + 1];
  struct ynode *stack_key[YDOC_DEPTH_MAX + 1];  /* key of each open node */
  size_t depth;
  struct ynode *pending_key;   /* key read, value not yet */
  struct ynode *root;
  size_t nodes;
  int docs;
  bool failed;
};

static void node_free(struct ynode *n)
{
  if (!n) return;
  for (size_t i = 0; i < n->n; i++) {
    if (n->keys) node_free(n->keys[i]);
    node_free(n->items[i]);
  }
  free(n->keys);
  free(n->items);
  free(n->text);
  free(n);
}

void ydoc_free(struct ydoc *doc)
{
  if (!doc) return;
  node_free(doc->root);
  free(doc->path);
  free(doc);
}

static void fail(struct loader *L, yaml_mark_t m, const char *msg)
{
  diag_add(L->d, L->path, m.line + 1, m.column + 1, NULL, "%s", msg);
  L->failed = true;
}

static struct ynode *node_new(struct loader *L, enum ynode_kind k,
                              yaml_mark_t m)
{
  struct ynode *n;

  if (++L->nodes > YDOC_NODES_MAX) {
    fail(L, m, "too many YAML nodes (at most 200000)");
    return NULL;
  }
  n = xcalloc(1, sizeof *n);
  n->kind = k;
  n->line = m.line + 1;
  n->col = m.column + 1;
  return n;
}

/* Attach a finished node to the current collection (or make it the root).
** Takes ownership of n in every case. */
static void attach(struct loader *L, struct ynode *n)
{
  struct ynode *top;

  if (L->depth == 0) {
    L->root = n;
    return;
  }
  top = L->stack[L->depth - 1];
  if (top->kind == YNODE_SEQ) {
    xgrow(&top->items, &top->cap, top->n + 1, sizeof *top->items);
    top->items[top->n++] = n;
    return;
  }
  if (!L->pending_key) {                /* n is a key */
    if (n->kind != YNODE_SCALAR) {
      diag_add(L->d, L->path, n->line, n->col, NULL,
               "a mapping key must be a plain name, not a %s",
               ynode_kind_name(n->kind));
      L->failed = true;
      node_free(n);
      return;
    }
    for (size_t i = 0; i < top->n; i++) {
      if (strcmp(top->keys[i]->text, n->text) == 0) {
        diag_add(L->d, L->path, n->line, n->col, NULL,
                 "duplicate key '%s' (first at line %lu); each key may "
                 "appear once", n->text, top->keys[i]->line);
        L->failed = true;
      }
    }
    L->pending_key = n;
    return;
  }
  {
    size_t cap = top->cap;
    xgrow(&top->keys, &cap, top->n + 1, sizeof *top->keys);
    xgrow(&top->items, &top->cap, top->n + 1, sizeof *top->items);
  }
  top->keys[top->n] = L->pending_key;
  top->items[top->n++] = n;
  L->pending_key = NULL;
}

static void on_scalar(struct loader *L, const yaml_event_t *ev)
{
  struct ynode *n;

  if (ev->data.scalar.anchor) {
    fail(L, ev->start_mark, "YAML anchors (&name) are not allowed in rule "
         "files; write the value out");
    return;
  }
  if (ev->data.scalar.tag) {
    fail(L, ev->start_mark, "YAML tags (!tag) are not allowed in rule "
         "files");
    return;
  }
  n = node_new(L, YNODE_SCALAR, ev->start_mark);
  if (!n) return;
  n->len = ev->data.scalar.length;
  n->text = xstrndup((const char *)ev->data.scalar.value, n->len);
  n->plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
  n->block = ev->data.scalar.style == YAML_LITERAL_SCALAR_STYLE ||
             ev->data.scalar.style == YAML_FOLDED_SCALAR_STYLE;
  if (strlen(n->text) != n->len) {
    fail(L, ev->start_mark, "a NUL character inside a YAML scalar");
    node_free(n);
    return;
  }
  attach(L, n);
}

static void on_start(struct loader *L, const yaml_event_t *ev,
                     enum ynode_kind k)
{
  const yaml_char_t *anchor = k == YNODE_MAP
    ? ev->data.mapping_start.anchor : ev->data.sequence_start.anchor;
  const yaml_char_t *tag = k == YNODE_MAP
    ? ev->data.mapping_start.tag : ev->data.sequence_start.tag;
  struct ynode *n;

  if (anchor) {
    fail(L, ev->start_mark, "YAML anchors (&name) are not allowed in rule "
         "files; write the value out");
    return;
  }
  if (tag) {
    fail(L, ev->start_mark, "YAML tags (!tag) are not allowed in rule "
         "files");
    return;
  }
  if (L->depth == YDOC_DEPTH_MAX) {
    fail(L, ev->start_mark, "nesting deeper than 16 levels");
    return;
  }
  n = node_new(L, k, ev->start_mark);
  if (!n) return;
  if (L->depth > 0 && L->stack[L->depth - 1]->kind == YNODE_MAP &&
      !L->pending_key) {
    diag_add(L->d, L->path, n->line, n->col, NULL, "a mapping key must be "
             "a plain name, not a %s", ynode_kind_name(k));
    L->failed = true;
  }
  /* The collection is attached when it ends; until then it is on the stack
  ** with the key that was pending for it. */
  L->stack_key[L->depth] = L->pending_key;
  L->stack[L->depth++] = n;
  L->pending_key = NULL;
}

static void on_end(struct loader *L)
{
  struct ynode *n = L->stack[--L->depth];

  L->pending_key = L->stack_key[L->depth];
  attach(L, n);
}

static void parse_error(struct loader *L, const yaml_parser_t *p)
{
  if (p->error == YAML_READER_ERROR) {
    diag_add(L->d, L->path, 0, 0, NULL, "not readable as UTF-8 YAML at "
             "byte %zu: %s", p->problem_offset,
             p->problem ? p->problem : "reader error");
  } else {
    diag_add(L->d, L->path, p->problem_mark.line + 1,
             p->problem_mark.column + 1, NULL, "YAML syntax: %s%s%s",
             p->problem ? p->problem : "error",
             p->context ? " " : "", p->context ? p->context : "");
  }
  L->failed = true;
}

/* One event. Returns false at the end of the stream. */
static bool on_event(struct loader *L, const yaml_event_t *ev)
{
  switch (ev->type) {
  case YAML_ALIAS_EVENT:
    fail(L, ev->start_mark, "YAML aliases (*name) are not allowed in rule "
         "files; write the value out");
    break;
  case YAML_SCALAR_EVENT:
    on_scalar(L, ev);
    break;
  case YAML_MAPPING_START_EVENT:
    on_start(L, ev, YNODE_MAP);
    break;
  case YAML_SEQUENCE_START_EVENT:
    on_start(L, ev, YNODE_SEQ);
    break;
  case YAML_MAPPING_END_EVENT:
  case YAML_SEQUENCE_END_EVENT:
    if (L->depth > 0) on_end(L);
    break;
  case YAML_DOCUMENT_START_EVENT:
    if (++L->docs > 1)
      fail(L, ev->start_mark, "more than one YAML document in a rule file");
    break;
  case YAML_STREAM_END_EVENT:
    return false;
  default:
    break;
  }
  return true;
}

struct ydoc *ydoc_parse(const char *path, const char *buf, size_t len,
                        struct diag_list *d)
{
  yaml_parser_t p;
  yaml_event_t ev;
  struct loader L;
  struct ydoc *doc = NULL;
  bool more = true;

  memset(&L, 0, sizeof L);
  L.path = path;
  L.d = d;
  if (len > YDOC_BYTES_MAX) {
    diag_add(d, path, 0, 0, NULL, "rule file is %zu bytes; at most %zu "
             "allowed", len, YDOC_BYTES_MAX);
    return NULL;
  }
  if (!yaml_parser_initialize(&p)) {
    diag_add(d, path, 0, 0, NULL, "cannot start the YAML parser");
    return NULL;
  }
  yaml_parser_set_input_string(&p, (const unsigned char *)buf, len);
  while (more && !L.failed) {
    if (!yaml_parser_parse(&p, &ev)) {
      parse_error(&L, &p);
      break;
    }
    more = on_event(&L, &ev);
    yaml_event_delete(&ev);
  }
  yaml_parser_delete(&p);
  while (L.depth > 0) {              /* unwind after an error */
    L.depth--;
    node_free(L.stack_key[L.depth]);
    node_free(L.stack[L.depth]);
  }
  node_free(L.pending_key);
  if (L.failed) {
    node_free(L.root);
    return NULL;
  }
  doc = xcalloc(1, sizeof *doc);
  doc->path = xstrdup(path);
  doc->root = L.root;
  return doc;
}

struct ydoc *ydoc_load(const char *path, struct diag_list *d)
{
  char *buf = NULL;
  size_t len = 0;
  struct ydoc *doc;
  int err = vfs_read(path, YDOC_BYTES_MAX, &buf, &len);

  if (err == EFBIG) {
    diag_add(d, path, 0, 0, NULL, "rule file is larger than %zu bytes",
             YDOC_BYTES_MAX);
    return NULL;
  }
  if (err) {
    diag_add(d, path, 0, 0, NULL, "cannot read: %s", strerror(err));
    return NULL;
  }
  doc = ydoc_parse(path, buf, len, d);
  free(buf);
  return doc;
}

struct ynode *ynode_get(const struct ynode *map, const char *key)
{
  if (!map || map->kind != YNODE_MAP) return NULL;
  for (size_t i = 0; i < map->n; i++)
    if (strcmp(map->keys[i]->text, key) == 0) return map->items[i];
  return NULL;
}

bool ynode_is(const struct ynode *node, const char *s)
{
  return node && node->kind == YNODE_SCALAR && strcmp(node->text, s) == 0;
}

const char *ynode_kind_name(enum ynode_kind k)
{
  switch (k) {
  case YNODE_SCALAR: return "scalar";
  case YNODE_MAP: return "mapping";
  case YNODE_SEQ: return "sequence";
  }
  return "?";
}
