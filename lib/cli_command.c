// SPDX-License-Identifier: MIT
/* cli_command - the walk over a command's groups, nested ones in place. */
#include "lib/cli_command.h"

size_t cli_command_groups(const struct cli_command *cmd, const struct cli_opt_group **out)
{
	const struct cli_opt_group *g, *inner;
	size_t n = 0;

	for (g = cmd->groups; g && g->title && n < CLI_GROUPS_MAX; g++) {
		if (!g->nested) {
			out[n++] = g;
			continue;
		}
		for (inner = g->nested(); inner->title && n < CLI_GROUPS_MAX; inner++)
			out[n++] = inner;
	}
	return n;
}
