// SPDX-License-Identifier: MIT
/* PLACEHOLDER - replaced by the helper that owns 'ringscope session'. */
#include "runner/cli.h"
#include "runner/commands.h"

int cmd_session(int argc, char **argv)
{
	cli_error("'session' is not built yet");
	return CLI_EXIT_ERROR;
}
