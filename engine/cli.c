/*
** cli.c -- helpers shared by the commands: loading the rule set the options
** name, printing problems.
*/
#include "cli.h"
#include "layout.h"

#include <stdio.h>

struct rules *cli_rules(const struct cli *c)
{
  struct diag_list d;
  struct rules *r;
  diag_init(&d);
  r = rules_load(c->rules_path, &d);
  for (size_t i = 0; r && i < c->nsets; i++) (void)rules_set(r, c->sets[i],
                                                             &d);
  if (r && r->outputs_file && !diag_count(&d))   /* the workbooks' layout */
    layout_free(layout_load(r, &d));
  if (diag_count(&d)) {
    cli_print_problems(&d, "the rule set");
    rules_free(r);
    r = NULL;
  }
  diag_free(&d);
  return r;
}

void cli_print_problems(const struct diag_list *d, const char *what)
{
  diag_print(d, stderr);
  fprintf(stderr, "paysettle: %zu problem%s in %s; nothing was written\n",
          diag_count(d), diag_count(d) == 1 ? "" : "s", what);
}

