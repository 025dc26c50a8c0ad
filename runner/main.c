// SPDX-License-Identifier: MIT
/* main - `ringscope COMMAND [options]`: dispatch to a command by its exact name. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "lib/cli.h"
#include "runner/commands.h"

/* RINGSCOPE_REVISION: made at every build by runner/revision.cmake */
#include "ringscope_revision.h"

static void usage(FILE *f)
{
	const struct cli_command *const *c;

	fputs("usage: ringscope COMMAND [options]\n\n"
	      "Measures the timing artifacts of this platform and explains every latency spike.\n\n"
	      "commands:\n",
	      f);
	for (c = ringscope_commands; *c; c++)
		fprintf(f, "  %-12s %s\n", (*c)->name, (*c)->summary);
	fputs("\n'ringscope COMMAND --help' describes a command's options.\n", f);
}

/*
 * flushed - @rc, or 1 when what the command printed could not all be written (stdout on a full
 * disk, > /dev/full, a closed pipe): a report that did not reach its reader is no success. Said
 * on stderr, as stdout is what failed.
 */
static int flushed(int rc)
{
	int err = fflush(stdout) ? errno : ferror(stdout) ? EIO : 0;

	if (!err || rc != CLI_EXIT_OK)
		return rc;
	fprintf(stderr, "ringscope: failed to write the output: %s\n", strerror(err));
	return CLI_EXIT_ERROR;
}

int main(int argc, char **argv)
{
	const struct cli_command *const *c;

	if (argc < 2) {
		usage(stderr);
		return CLI_EXIT_USAGE;
	}
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help") || !strcmp(argv[1], "help")) {
		usage(stdout);
		return CLI_EXIT_OK;
	}
	if (!strcmp(argv[1], "--version")) {
		puts("ringscope " RINGSCOPE_VERSION " (git " RINGSCOPE_REVISION ")");
		return CLI_EXIT_OK;
	}
	for (c = ringscope_commands; *c; c++) {
		if (!strcmp(argv[1], (*c)->name))
			return flushed((*c)->main(argc - 1, argv + 1));
	}
	fprintf(stderr, "ringscope: unknown command '%s' (see 'ringscope --help')\n", argv[1]);
	return CLI_EXIT_USAGE;
}
