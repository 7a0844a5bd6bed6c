/*
** test_ydoc.c -- unit tests of the strict YAML reader (engine/ydoc.c).
**
** Every test parses an in-memory buffer with ydoc_parse() into doc and the
** problem list d below; parse() frees the previous ones. Positions are
** 1-based (line:col) and were counted by hand on the buffers shown.
*/
#include "check.h"
#include "util.h"
#include "ydoc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static struct diag_list d;
static struct ydoc *doc;

/* Parse buf[0..n) as "t.yaml" into doc and d. */
static void parse(const char *buf, size_t n)
{
  ydoc_free(doc);
  diag_free(&d);
  doc = ydoc_parse("t.yaml", buf, n, &d);
}

#define PARSE(lit) parse(lit, sizeof(lit) - 1)

/* The first problem whose message contains sub, or NULL. */
static const struct diag *problem(const char *sub)
{
  for (size_t i = 0; i < d.n; i++)
    if (strstr(d.v[i].msg, sub)) return &d.v[i];
  return NULL;
}

/* True when a problem containing sub is at line:col of t.yaml; prints the
** problems otherwise. */
static bool problem_at(const char *sub, unsigned long line,
                       unsigned long col)
{
  const struct diag *p = problem(sub);
  bool ok = p && p->file && strcmp(p->file, "t.yaml") == 0 &&
            p->line == line && p->col == col;
  if (!ok) {
    fprintf(stderr, "  want a problem '%s' at t.yaml:%lu:%lu; have:\n", sub,
            line, col);
    diag_print(&d, stderr);
  }
  return ok;
}

/* True when node n is a scalar with text s at line:col. */
static bool scalar_at(const struct ynode *n, const char *s,
                      unsigned long line, unsigned long col)
{
  bool ok = n && n->kind == YNODE_SCALAR && strcmp(n->text, s) == 0 &&
            n->len == strlen(s) && n->line == line && n->col == col;
  if (!ok && n)
    fprintf(stderr, "  node kind %d '%s' at %lu:%lu, want scalar '%s' at "
            "%lu:%lu\n", (int)n->kind, n->kind == YNODE_SCALAR ? n->text
            : "", n->line, n->col, s, line, col);
  return ok;
}

/* ---- a normal tree ---------------------------------------------------- */

static const char TREE[] =
  "name: demo\n"                      /* 1 */
  "list:\n"                           /* 2 */
  "  - a\n"                           /* 3 */
  "  - 'b'\n"                         /* 4 */
  "nested: {k: v, n: [1, 2]}\n"       /* 5 */
  "text: |\n"                         /* 6 */
  "  hello\n";                        /* 7 */

TEST(tree_root_and_keys)
{
  const struct ynode *r;
  PARSE(TREE);
  CHECK(doc != NULL);
  CHECK_INT(d.n, 0);
  r = doc ? doc->root : NULL;
  CHECK(r != NULL);
  if (!r) return;
  CHECK_STR(doc->path, "t.yaml");
  CHECK_INT(r->kind, YNODE_MAP);
  CHECK_INT(r->line, 1);
  CHECK_INT(r->col, 1);
  CHECK_INT(r->n, 4);
  if (r->n != 4) return;
  CHECK(scalar_at(r->keys[0], "name", 1, 1));
  CHECK(scalar_at(r->keys[1], "list", 2, 1));
  CHECK(scalar_at(r->keys[2], "nested", 5, 1));
  CHECK(scalar_at(r->keys[3], "text", 6, 1));
  CHECK(scalar_at(r->items[0], "demo", 1, 7));
  CHECK(r->items[0]->plain);
  CHECK(!r->items[0]->block);
}

TEST(tree_block_sequence)
{
  const struct ynode *l;
  PARSE(TREE);
  l = doc ? ynode_get(doc->root, "list") : NULL;
  CHECK(l != NULL);
  if (!l) return;
  CHECK_INT(l->kind, YNODE_SEQ);
  CHECK_INT(l->line, 3);                /* at the first '-' */
  CHECK_INT(l->col, 3);
  CHECK_INT(l->n, 2);
  CHECK(l->keys == NULL);
  if (l->n != 2) return;
  CHECK(scalar_at(l->items[0], "a", 3, 5));
  CHECK(l->items[0]->plain);
  CHECK(scalar_at(l->items[1], "b", 4, 5));   /* the quote's column */
  CHECK(!l->items[1]->plain);
  CHECK(!l->items[1]->block);
}

TEST(tree_flow_collections)
{
  const struct ynode *m, *s;
  PARSE(TREE);
  m = doc ? ynode_get(doc->root, "nested") : NULL;
  CHECK(m != NULL);
  if (!m) return;
  CHECK_INT(m->kind, YNODE_MAP);
  CHECK_INT(m->line, 5);
  CHECK_INT(m->col, 9);
  CHECK_INT(m->n, 2);
  CHECK(scalar_at(ynode_get(m, "k"), "v", 5, 13));
  s = ynode_get(m, "n");
  CHECK(s != NULL);
  if (!s) return;
  CHECK_INT(s->kind, YNODE_SEQ);
  CHECK_INT(s->line, 5);
  CHECK_INT(s->col, 19);
  CHECK_INT(s->n, 2);
  if (s->n != 2) return;
  CHECK(scalar_at(s->items[0], "1", 5, 20));
  CHECK(scalar_at(s->items[1], "2", 5, 23));
}

TEST(tree_block_scalar)
{
  const struct ynode *t;
  PARSE(TREE);
  t = doc ? ynode_get(doc->root, "text") : NULL;
  CHECK(t != NULL);
  if (!t) return;
  CHECK(scalar_at(t, "hello\n", 6, 7));
  CHECK(t->block);
  CHECK(!t->plain);
}

TEST(scalars_keep_their_text)
{
  /* No type resolution: numbers, booleans and nulls stay text. */
  PARSE("a: 007.50\nb: yes\nc: ~\nd: \"x y\"\ne: 1e3\n");
  CHECK(doc != NULL && doc->root != NULL);
  if (!doc || !doc->root) return;
  CHECK(ynode_is(ynode_get(doc->root, "a"), "007.50"));
  CHECK(ynode_is(ynode_get(doc->root, "b"), "yes"));
  CHECK(ynode_is(ynode_get(doc->root, "c"), "~"));
  CHECK(ynode_is(ynode_get(doc->root, "d"), "x y"));
  CHECK(ynode_is(ynode_get(doc->root, "e"), "1e3"));
}

TEST(empty_document)
{
  PARSE("");
  CHECK(doc != NULL);
  CHECK(doc && doc->root == NULL);
  CHECK_INT(d.n, 0);
  PARSE("# only a comment\n");
  CHECK(doc != NULL);
  CHECK(doc && doc->root == NULL);
  CHECK_INT(d.n, 0);
}

TEST(one_explicit_document_is_fine)
{
  PARSE("---\na: 1\n...\n");
  CHECK(doc != NULL);
  CHECK_INT(d.n, 0);
  CHECK(doc && ynode_is(ynode_get(doc->root, "a"), "1"));
}

/* ---- ynode_get / ynode_is -------------------------------------------- */

TEST(get_and_is)
{
  const struct ynode *r, *l;
  PARSE(TREE);
  r = doc ? doc->root : NULL;
  CHECK(r != NULL);
  if (!r) return;
  CHECK(ynode_get(r, "name") == r->items[0]);
  CHECK(ynode_get(r, "text") == r->items[3]);
  CHECK(ynode_get(r, "missing") == NULL);
  CHECK(ynode_get(r, "nam") == NULL);         /* no prefix match */
  CHECK(ynode_get(r, "") == NULL);
  CHECK(ynode_get(NULL, "name") == NULL);
  CHECK(ynode_get(r->items[0], "name") == NULL);   /* a scalar */
  l = ynode_get(r, "list");
  CHECK(ynode_get(l, "a") == NULL);                 /* a sequence */
  CHECK(ynode_is(r->items[0], "demo"));
  CHECK(!ynode_is(r->items[0], "dem"));
  CHECK(!ynode_is(r->items[0], "demo "));
  CHECK(!ynode_is(r->items[0], ""));
  CHECK(!ynode_is(NULL, "demo"));
  CHECK(!ynode_is(r, "demo"));                      /* a mapping */
  CHECK(!ynode_is(l, "a"));
  CHECK_STR(ynode_kind_name(YNODE_MAP), "mapping");
  CHECK_STR(ynode_kind_name(YNODE_SEQ), "sequence");
  CHECK_STR(ynode_kind_name(YNODE_SCALAR), "scalar");
}

/* ---- refusals --------------------------------------------------------- */

TEST(anchor_on_scalar)
{
  PARSE("x: 1\na: &val 1\n");
  CHECK(doc == NULL);
  CHECK(problem_at("anchors (&name) are not allowed", 2, 4));
}

TEST(anchor_on_collection)
{
  PARSE("a: &list [1, 2]\n");
  CHECK(doc == NULL);
  CHECK(problem_at("anchors (&name) are not allowed", 1, 4));
  PARSE("top:\n  m: &m {b: 1}\n");
  CHECK(doc == NULL);
  CHECK(problem_at("anchors (&name) are not allowed", 2, 6));
}

TEST(alias_refused)
{
  /* The alias alone (the anchor would be refused first). */
  PARSE("a: 1\nb: *a\n");
  CHECK(doc == NULL);
  CHECK(problem_at("aliases (*name) are not allowed", 2, 4));
}

TEST(tag_refused)
{
  PARSE("a: !!str 1\n");
  CHECK(doc == NULL);
  CHECK(problem_at("tags (!tag) are not allowed", 1, 4));
  PARSE("a:\n  - !!map {b: 1}\n");
  CHECK(doc == NULL);
  CHECK(problem_at("tags (!tag) are not allowed", 2, 5));
  PARSE("a: !local [1]\n");
  CHECK(doc == NULL);
  CHECK(problem_at("tags (!tag) are not allowed", 1, 4));
}

TEST(duplicate_key)
{
  PARSE("a: 1\nb: 2\na: 3\n");
  CHECK(doc == NULL);
  CHECK(problem_at("duplicate key 'a' (first at line 1)", 3, 1));
  /* nested, flow */
  PARSE("m:\n  x: 1\n  y: {p: 1, p: 2}\n");
  CHECK(doc == NULL);
  CHECK(problem_at("duplicate key 'p' (first at line 3)", 3, 13));
  /* the same key in two different mappings is fine */
  PARSE("a: {k: 1}\nb: {k: 2}\n");
  CHECK(doc != NULL);
  CHECK_INT(d.n, 0);
}

/* "[" * n + "]" * n: n nested sequences. */
static void nested(size_t n)
{
  char *buf = xmalloc(2 * n + 1);
  memset(buf, '[', n);
  memset(buf + n, ']', n);
  buf[2 * n] = '\0';
  parse(buf, 2 * n);
  free(buf);
}

TEST(depth_limit)
{
  const struct ynode *n;
  size_t levels = 0;

  nested(YDOC_DEPTH_MAX);                     /* 16: the deepest allowed */
  CHECK(doc != NULL);
  CHECK_INT(d.n, 0);
  for (n = doc ? doc->root : NULL; n; n = n->n ? n->items[0] : NULL) {
    CHECK_INT(n->kind, YNODE_SEQ);
    levels++;
  }
  CHECK_INT(levels, 16);

  nested(YDOC_DEPTH_MAX + 1);                 /* 17: refused at the 17th [ */
  CHECK(doc == NULL);
  CHECK(problem_at("nesting deeper than 16 levels", 1, 17));
}

TEST(depth_limit_block_maps)
{
  /* 17 levels of block mappings: "k0:\n k1:\n  k2: ..." */
  char buf[1024];
  size_t n = 0;
  for (int i = 0; i < 17; i++)
    n += (size_t)snprintf(buf + n, sizeof buf - n, "%*sk%d:\n", i, "", i);
  n += (size_t)snprintf(buf + n, sizeof buf - n, "%*sv: 1\n", 17, "");
  parse(buf, n);
  /* the root mapping is level 1; the mapping under k15 (line 17, col 17)
  ** is level 17 */
  CHECK(doc == NULL);
  CHECK(problem_at("nesting deeper than 16 levels", 17, 17));
}

TEST(more_than_one_document)
{
  PARSE("a: 1\n---\nb: 2\n");
  CHECK(doc == NULL);
  CHECK(problem_at("more than one YAML document", 2, 1));
}

TEST(unclosed_bracket)
{
  /* The sequence is still open at the end of the stream (line 3, col 1,
  ** after the final newline). */
  PARSE("a: 1\nb: [1, 2\n");
  CHECK(doc == NULL);
  CHECK_INT(d.n, 1);
  CHECK(problem_at("YAML syntax: did not find expected ',' or ']'", 3, 1));
  CHECK(problem("while parsing a flow sequence") != NULL);
}

TEST(syntax_error_bad_indentation)
{
  /* "c" is less indented than "b" but more than "a": not a valid key. */
  PARSE("a:\n    b: 1\n  c: 2\n");
  CHECK(doc == NULL);
  CHECK_INT(d.n, 1);
  CHECK(d.n == 1 && strncmp(d.v[0].msg, "YAML syntax: ", 13) == 0);
  CHECK(d.n == 1 && d.v[0].line == 3 && d.v[0].col == 3);
}

TEST(non_scalar_key)
{
  PARSE("? [x, y]\n: 1\n");
  CHECK(doc == NULL);
  CHECK(problem_at("a mapping key must be a plain name, not a sequence", 1,
                   3));
  PARSE("a: {{k: 1}: 2}\n");
  CHECK(doc == NULL);
  CHECK(problem_at("a mapping key must be a plain name, not a mapping", 1,
                   5));
}

TEST(invalid_utf8_refused)
{
  PARSE("a: \xff\xfe\n");
  CHECK(doc == NULL);
  CHECK(problem("not readable as UTF-8 YAML at byte 3") != NULL);
}

TEST(node_limit)
{
  /* [0,0,...]: one sequence and k scalars are k + 1 nodes. */
  size_t k = YDOC_NODES_MAX - 1, n;
  char *buf = xmalloc(2 * YDOC_NODES_MAX + 2);

  buf[0] = '[';
  for (size_t i = 0; i < k; i++) memcpy(buf + 1 + 2 * i, "0,", 2);
  n = 1 + 2 * k;
  buf[n - 1] = ']';                   /* the last ',' becomes ']' */
  parse(buf, n);
  CHECK(doc != NULL);                 /* 200000 nodes: allowed */
  CHECK(doc && doc->root && doc->root->n == k);

  k = YDOC_NODES_MAX;                 /* 200001 nodes: refused */
  for (size_t i = 0; i < k; i++) memcpy(buf + 1 + 2 * i, "0,", 2);
  n = 1 + 2 * k;
  buf[n - 1] = ']';
  parse(buf, n);
  free(buf);
  CHECK(doc == NULL);
  /* the 200000th scalar, at column 2 * 200000 */
  CHECK(problem_at("too many YAML nodes", 1, 400000));
}

TEST(size_limit)
{
  char *buf = xmalloc(YDOC_BYTES_MAX + 1);
  memset(buf, ' ', YDOC_BYTES_MAX + 1);
  memcpy(buf, "a: 1\n", 5);
  parse(buf, YDOC_BYTES_MAX);            /* exactly the limit: fine */
  CHECK(doc != NULL);
  CHECK_INT(d.n, 0);
  parse(buf, YDOC_BYTES_MAX + 1);
  free(buf);
  CHECK(doc == NULL);
  CHECK(problem("rule file is 1048577 bytes; at most 1048576") != NULL);
}

TEST(load_file_and_missing_file)
{
  char path[] = "/tmp/test_ydoc_XXXXXX";
  int fd = mkstemp(path);
  static const char text[] = "k: v\n";
  struct ydoc *y = NULL;
  struct diag_list dl;

  diag_init(&dl);
  CHECK(fd >= 0);
  if (fd >= 0) {
    CHECK(write(fd, text, sizeof text - 1) == (ssize_t)(sizeof text - 1));
    close(fd);
    y = ydoc_load(path, &dl);
    unlink(path);
  }
  CHECK(y != NULL);
  CHECK_STR(y ? y->path : NULL, path);
  CHECK(y && ynode_is(ynode_get(y->root, "k"), "v"));
  CHECK_INT(dl.n, 0);
  ydoc_free(y);

  y = ydoc_load("/nonexistent/paysettle/r.yaml", &dl);
  CHECK(y == NULL);
  CHECK_INT(dl.n, 1);
  CHECK(dl.n == 1 && strstr(dl.v[0].msg, "cannot read") != NULL);
  CHECK_STR(dl.n == 1 ? dl.v[0].file : NULL,
            "/nonexistent/paysettle/r.yaml");
  diag_free(&dl);
  ydoc_free(NULL);
}

int main(void)
{
  diag_init(&d);
  RUN(tree_root_and_keys);
  RUN(tree_block_sequence);
  RUN(tree_flow_collections);
  RUN(tree_block_scalar);
  RUN(scalars_keep_their_text);
  RUN(empty_document);
  RUN(one_explicit_document_is_fine);
  RUN(get_and_is);
  RUN(anchor_on_scalar);
  RUN(anchor_on_collection);
  RUN(alias_refused);
  RUN(tag_refused);
  RUN(duplicate_key);
  RUN(depth_limit);
  RUN(depth_limit_block_maps);
  RUN(more_than_one_document);
  RUN(unclosed_bracket);
  RUN(syntax_error_bad_indentation);
  RUN(non_scalar_key);
  RUN(invalid_utf8_refused);
  RUN(node_limit);
  RUN(size_limit);
  RUN(load_file_and_missing_file);
  ydoc_free(doc);
  diag_free(&d);
  return check_done();
}
