/*
** main.c -- paysettle's command line.
**
** Exit status: 0 success; 1 the rules or inputs were refused (every problem
** is printed, nothing is written); 2 wrong usage or a system error.
*/
#include "cli.h"
#include "util.h"

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DEFAULT_RULES "rules/shanghai.yaml"
#define DEFAULT_INPUTS "inputs"
#define DEFAULT_DB "ledger.db"

static const char USAGE[] =
  "usage: paysettle COMMAND [ARGS] [OPTIONS]\n"
  "\n"
  "commands:\n"
  "  check [YYYY-MM]              validate the rules and the month's inputs\n"
  "                               (every month folder when none is given)\n"
  "  calc YYYY-MM                 compute the month and print every item\n"
  "  explain YYYY-MM EMPLOYEE [ITEM]\n"
  "                               why a figure is what it is (default:\n"
  "                               net_pay), as a tree of everything it used\n"
  "  run YYYY-MM                  compute the month into the ledger (draft)\n"
  "                               and write its files into --outputs:\n"
  "                               YYYY-MM/ settlement, payroll and tax\n"
  "                               workbooks, bank file, journal\n"
  "  close YYYY-MM                make the month's draft final\n"
  "  runs                         list the ledger's runs\n"
  "  show YYYY-MM [EMPLOYEE]      a month's totals, or an employee's items\n"
  "  reproduce YYYY-MM            recompute a month from the ledger's stored\n"
  "                               rules and inputs; list every difference\n"
  "  verify                       check the hash chain and the invariants\n"
  "  import-ytd FILE              take over year-to-date tax figures\n"
  "  export journal YYYY-MM       the month's journal (--format hledger|\n"
  "                               beancount, --out FILE)\n"
  "  whatif YYYY-MM[..YYYY-MM]    the months under a scenario (--rules FILE\n"
  "                               that includes the base, --set NAME=VALUE,\n"
  "                               or --scenario NAME=FILE, repeated),\n"
  "                               compared with the baseline (the ledger's\n"
  "                               run, or the base rules: --base FILE)\n"
  "  export NAME YYYY-MM          write a file of the month again from the\n"
  "                               ledger: settlement, payroll, iit, bank or\n"
  "                               all (--out DIR; default: the month's\n"
  "                               folder under --outputs)\n"
  "\n"
  "options:\n"
  "  --rules FILE      rule set (default " DEFAULT_RULES ")\n"
  "  --inputs DIR      inputs root (default " DEFAULT_INPUTS ")\n"
  "  --ytd FILE        year-to-date opening figures (ytd-opening.csv form)\n"
  "  --format csv|json|lines     calc output (default csv; lines:\n"
  "                               \"E0001 gross 5308.91\" per item)\n"
  "  --level employee|agency|district|all   calc rows (default employee\n"
  "                               for csv, all for json and lines)\n"
  "  --set NAME=VALUE  replace a parameter or a table cell (what-if)\n"
  "  --db FILE         the ledger (default " DEFAULT_DB ")\n"
  "  --operator NAME   who runs or closes (default: $USER)\n"
  "  --out FILE|DIR    where export writes (journal: a file, default\n"
  "                               stdout; other files: a folder)\n"
  "  --outputs DIR     where run writes the month's folder (default:\n"
  "                               outputs/ beside the ledger file)\n";

static int usage(const char *why)
{
  if (why) fprintf(stderr, "paysettle: %s\n\n", why);
  fputs(USAGE, stderr);
  return 2;
}

static const char **option_slot(struct cli *c, const char *name)
{
  if (strcmp(name, "--rules") == 0) return &c->rules_path;
  if (strcmp(name, "--inputs") == 0) return &c->inputs_root;
  if (strcmp(name, "--ytd") == 0) return &c->ytd_path;
  if (strcmp(name, "--format") == 0) return &c->format;
  if (strcmp(name, "--level") == 0) return &c->level;
  if (strcmp(name, "--db") == 0) return &c->db_path;
  if (strcmp(name, "--operator") == 0) return &c->operator_name;
  if (strcmp(name, "--out") == 0) return &c->out_path;
  if (strcmp(name, "--outputs") == 0) return &c->outputs_root;
  if (strcmp(name, "--base") == 0) return &c->base_path;
  if (strcmp(name, "--name") == 0) return &c->scenario_name;
  if (strcmp(name, "--from") == 0) return &c->from_month;
  if (strcmp(name, "--to") == 0) return &c->to_month;
  if (strcmp(name, "--pay-in") == 0) return &c->pay_in;
  return NULL;
}

static int parse_args(struct cli *c, int argc, char **argv)
{
  memset(c, 0, sizeof *c);
  c->rules_path = DEFAULT_RULES;
  c->inputs_root = DEFAULT_INPUTS;
  c->db_path = DEFAULT_DB;
  if (argc < 2) return usage(NULL);
  c->command = argv[1];
  for (int i = 2; i < argc; i++) {
    const char **slot;
    if (strncmp(argv[i], "--", 2) != 0) {
      if (c->nargs == sizeof c->args / sizeof *c->args)
        return usage("too many arguments");
      c->args[c->nargs++] = argv[i];
      continue;
    }
    if (i + 1 >= argc) return usage("an option needs a value");
    if (strcmp(argv[i], "--set") == 0) {
      if (c->nsets == CLI_SETS_MAX) return usage("too many --set");
      c->sets[c->nsets++] = argv[++i];
      continue;
    }
    if (strcmp(argv[i], "--scenario") == 0) {
      if (c->nscenarios == CLI_SCENARIOS_MAX)
        return usage("too many --scenario");
      c->scenarios[c->nscenarios++] = argv[++i];
      continue;
    }
    if (strcmp(argv[i], "--rules") == 0) c->rules_given = true;
    if (strcmp(argv[i], "--inputs") == 0) c->inputs_given = true;
    slot = option_slot(c, argv[i]);
    if (!slot) return usage("unknown option");
    *slot = argv[++i];
  }
  return 0;
}

int main(int argc, char **argv)
{
  struct cli c;
  int rc;

  setlocale(LC_ALL, "C");
  rc = parse_args(&c, argc, argv);
  if (rc) return rc;
  if (strcmp(c.command, "check") == 0) return cmd_check(&c);
  if (strcmp(c.command, "calc") == 0) return cmd_calc(&c);
  if (strcmp(c.command, "explain") == 0) return cmd_explain(&c);
  if (strcmp(c.command, "run") == 0) return cmd_run(&c);
  if (strcmp(c.command, "close") == 0) return cmd_close(&c);
  if (strcmp(c.command, "runs") == 0) return cmd_runs(&c);
  if (strcmp(c.command, "show") == 0) return cmd_show(&c);
  if (strcmp(c.command, "reproduce") == 0) return cmd_reproduce(&c);
  if (strcmp(c.command, "verify") == 0) return cmd_verify(&c);
  if (strcmp(c.command, "import-ytd") == 0) return cmd_import_ytd(&c);
  if (strcmp(c.command, "export") == 0) return cmd_export(&c);
  if (strcmp(c.command, "whatif") == 0) return cmd_whatif(&c);
  if (strcmp(c.command, "retro") == 0) return cmd_retro(&c);
  if (strcmp(c.command, "correct") == 0) return cmd_correct(&c);
  if (strcmp(c.command, "help") == 0 || strcmp(c.command, "--help") == 0) {
    fputs(USAGE, stdout);
    return 0;
  }
  return usage("unknown command");
}
