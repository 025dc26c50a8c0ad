// SPDX-License-Identifier: MIT
/* PLACEHOLDER - replaced by the helper that owns 'ringscope doctor'. */
#include "runner/cli.h"
#include "runner/commands.h"

int cmd_doctor(int argc, char **argv)
{
	cli_error("'doctor' is not built yet");
	return CLI_EXIT_ERROR;
}
