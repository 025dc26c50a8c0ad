/* SPDX-License-Identifier: MIT */
/*
 * commands - the commands of `ringscope`: each is a cli_command, its option table and its main
 * (argv[0] is the command's name), defined in runner/cmd_NAME.c. A man page or a completion
 * script walks ringscope_commands and their tables.
 */
#ifndef RINGSCOPE_COMMANDS_H
#define RINGSCOPE_COMMANDS_H

#include "lib/cli_command.h"

/* Each main returns a process exit code: CLI_EXIT_OK, CLI_EXIT_ERROR or CLI_EXIT_USAGE. */
extern const struct cli_command session_command;
extern const struct cli_command http_session_command;
extern const struct cli_command run_command;
extern const struct cli_command analyze_command;
extern const struct cli_command export_command;
extern const struct cli_command compare_command;
extern const struct cli_command report_command;
extern const struct cli_command doctor_command;
extern const struct cli_command forwarder_command; /* a ring member launched by run */

/* ringscope_commands - every command, in the order `ringscope --help` lists them; NULL ends. */
extern const struct cli_command *const ringscope_commands[];

#endif
