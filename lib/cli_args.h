/* SPDX-License-Identifier: MIT */
/*
 * cli_args - parse a command line against a command's table (lib/cli_command.h): getopt runs
 * once, --json and --verbose hold for every message of the parse, --help prints the help, and
 * the values are stored group by group into the command's targets.
 */
#ifndef RINGSCOPE_CLI_ARGS_H
#define RINGSCOPE_CLI_ARGS_H

#include <stdbool.h>
#include <stddef.h>

#include "lib/cli_command.h"

#define CLI_GIVEN_MAX 128

/* cli_given - one option as it was given on the command line. */
struct cli_given {
	const struct cli_opt *opt; /* the first row of the command with that long name */
	const char *value;	   /* NULL for a flag */
	bool used;		   /* applied to a target */
};

/* cli_args - what one parse found: options in the order given, then the operands. */
struct cli_args {
	const struct cli_command *cmd;
	struct cli_given given[CLI_GIVEN_MAX];
	size_t ngiven;
	char **operands;
	unsigned int noperands;
	bool help; /* --help was given and printed: exit 0 */
};

/*
 * cli_args_parse - read @argv (argv[0] is the command's name) against @cmd's rows: getopt runs
 * once; --json and --verbose take effect before any error is printed, wherever they stand;
 * --help prints the help. Nothing is stored in a target yet (cli_args_apply does). Returns
 * CLI_EXIT_OK, or CLI_EXIT_USAGE after one error line: an unknown option, a missing value,
 * too few or too many operands.
 */
int cli_args_parse(const struct cli_command *cmd, int argc, char **argv, struct cli_args *a);

/*
 * cli_args_apply - the defaults of @g's rows, then the values given for them in order, into
 * @target. Returns CLI_EXIT_OK or CLI_EXIT_USAGE after one error line naming the option.
 */
int cli_args_apply(struct cli_args *a, const struct cli_opt_group *g, void *target);

/* cli_args_given - whether --@name was given. */
bool cli_args_given(const struct cli_args *a, const char *name);

/* cli_args_unused - the first option given that no apply stored, or NULL. */
const struct cli_given *cli_args_unused(const struct cli_args *a);

/*
 * cli_parse - cli_args_parse, then every group of @cmd into @targets[group->target] (NULL for a
 * table that stores nothing): what most commands need. Returns CLI_EXIT_OK (a->help: the help
 * was printed) or CLI_EXIT_USAGE.
 */
int cli_parse(const struct cli_command *cmd, int argc, char **argv, void *const *targets,
	      struct cli_args *a);

#endif
