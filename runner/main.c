// SPDX-License-Identifier: MIT
/* main - `ringscope COMMAND [options]`: dispatch to a subcommand by its exact name. */
#include <stdio.h>
#include <string.h>

#include "lib/cli.h"
#include "runner/commands.h"

struct command {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *summary;
};

static const struct command commands[] = {
    {"session", cmd_session, "the main job: null, syscall and ring probes, traced, one file"},
    {"http-session", cmd_http_session, "HTTP GETs to a private lighttpd, local and over veth"},
    {"run", cmd_run, "run one probe for runs x iterations and write a trace file"},
    {"analyze", cmd_analyze, "statistics and per-spike attribution of a trace file"},
    {"export", cmd_export, "a trace file as CSV (samples or events) or Perfetto JSON"},
    {"compare", cmd_compare, "two trace files side by side: same, shift, scale or shape"},
    {"report", cmd_report, "a self-contained HTML report of a trace file, plots by gnuplot"},
    {"doctor", cmd_doctor, "platform fingerprint and what this machine can measure"},
    {"forwarder", cmd_forwarder, "a ring member launched by 'run --topology' (internal)"},
};

static void usage(FILE *f)
{
	size_t i;

	fputs("usage: ringscope COMMAND [options]\n\n"
	      "Measures the timing artifacts of this platform and explains every latency spike.\n\n"
	      "commands:\n",
	      f);
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(f, "  %-12s %s\n", commands[i].name, commands[i].summary);
	fputs("\n'ringscope COMMAND --help' describes a command's options.\n", f);
}

int main(int argc, char **argv)
{
	size_t i;

	if (argc < 2) {
		usage(stderr);
		return CLI_EXIT_USAGE;
	}
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help") || !strcmp(argv[1], "help")) {
		usage(stdout);
		return CLI_EXIT_OK;
	}
	if (!strcmp(argv[1], "--version")) {
		puts("ringscope " RINGSCOPE_VERSION);
		return CLI_EXIT_OK;
	}
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		if (!strcmp(argv[1], commands[i].name))
			return commands[i].fn(argc - 1, argv + 1);
	}
	fprintf(stderr, "ringscope: unknown command '%s' (see 'ringscope --help')\n", argv[1]);
	return CLI_EXIT_USAGE;
}
