// SPDX-License-Identifier: MIT
/* PLACEHOLDER - replaced by the helper that owns 'ringscope run'. */
#include "runner/cli.h"
#include "runner/commands.h"

int cmd_run(int argc, char **argv)
{
	cli_error("'run' is not built yet");
	return CLI_EXIT_ERROR;
}
