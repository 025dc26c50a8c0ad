// SPDX-License-Identifier: MIT
/* PLACEHOLDER - replaced by the helper that owns 'ringscope export'. */
#include "runner/cli.h"
#include "runner/commands.h"

int cmd_export(int argc, char **argv)
{
	cli_error("'export' is not built yet");
	return CLI_EXIT_ERROR;
}
