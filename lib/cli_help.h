/* SPDX-License-Identifier: MIT */
/* cli_help - a command's --help, made from its table. */
#ifndef RINGSCOPE_CLI_HELP_H
#define RINGSCOPE_CLI_HELP_H

#include <stdio.h>

#include "lib/cli_command.h"

/* cli_help - @cmd's help: usage, description, the options by group, epilogue. */
void cli_help(FILE *f, const struct cli_command *cmd);

#endif
