// SPDX-License-Identifier: MIT
/* PLACEHOLDER - replaced by the helper that owns 'ringscope analyze'. */
#include "runner/cli.h"
#include "runner/commands.h"

int cmd_analyze(int argc, char **argv)
{
	cli_error("'analyze' is not built yet");
	return CLI_EXIT_ERROR;
}
