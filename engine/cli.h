/*
** cli.h -- the command line: options shared by the commands.
*/
#ifndef PAYSETTLE_CLI_H
#define PAYSETTLE_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include "diag.h"
#include "rules.h"

/* Command-line limits: a run names a handful of what-if assignments and
** compares a handful of scenarios. */
#define CLI_SETS_MAX 64
#define CLI_SCENARIOS_MAX 8

struct cli {
  const char *command;
  const char *args[4];          /* positional arguments after the command */
  size_t nargs;
  const char *rules_path;       /* --rules */
  const char *inputs_root;      /* --inputs */
  const char *ytd_path;         /* --ytd */
  const char *format;           /* --format */
  const char *level;            /* --level */
  const char *db_path;          /* --db */
  const char *operator_name;    /* --operator */
  const char *out_path;         /* --out */
  const char *outputs_root;     /* --outputs: where run writes YYYY-MM/ */
  const char *sets[CLI_SETS_MAX];   /* --set */
  size_t nsets;
  bool rules_given;             /* --rules was on the command line */
  const char *base_path;        /* whatif --base: the baseline's rules */
  const char *scenario_name;    /* whatif --name */
  const char *scenarios[CLI_SCENARIOS_MAX];   /* whatif --scenario N=F */
  size_t nscenarios;
  bool inputs_given;            /* --inputs was on the command line */
  const char *from_month;       /* retro --from */
  const char *to_month;         /* retro --to */
  const char *pay_in;           /* retro, correct --pay-in */
};

/* Load the rule set named by the options and apply the --set assignments;
** check its outputs layout too when it has one (layout.h). Prints the
** problems and returns NULL on failure. */
struct rules *cli_rules(const struct cli *c);
/* Print d to stderr with a closing summary line. */
void cli_print_problems(const struct diag_list *d, const char *what);

int cmd_check(const struct cli *c);
int cmd_calc(const struct cli *c);
int cmd_explain(const struct cli *c);
int cmd_run(const struct cli *c);
int cmd_close(const struct cli *c);
int cmd_runs(const struct cli *c);
int cmd_show(const struct cli *c);
int cmd_reproduce(const struct cli *c);
int cmd_verify(const struct cli *c);
int cmd_import_ytd(const struct cli *c);
int cmd_export(const struct cli *c);
int cmd_whatif(const struct cli *c);
int cmd_retro(const struct cli *c);
int cmd_correct(const struct cli *c);
/* export settlement|payroll|iit|bank|all (the names of the rule set's
** layout): outputs.c. cmd_export hands every name but journal to it. */
int cmd_export_outputs(const struct cli *c);

#endif
