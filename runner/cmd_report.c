// SPDX-License-Identifier: MIT
/* cmd_report - `ringscope report FILE [--compare OTHER] -o report.html`: the HTML report. */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "analysis/report/report.h"
#include "lib/cli.h"
#include "runner/commands.h"

#define REPORT_DEFAULT_TOP 5

static void usage(FILE *f)
{
	fputs("usage: ringscope report FILE [--compare OTHER] -o report.html\n\n"
	      "One self-contained HTML page of a trace file (opens without network): the platform\n"
	      "fingerprint, Table 1 (latency per probe), and per probe the mesh diagram (run x\n"
	      "iteration x latency) as a heatmap and as a 3-D mesh, a latency histogram, the\n"
	      "patterns found, and the top spikes with their causes and a timeline of their\n"
	      "kernel events. Plots are drawn by gnuplot (package gnuplot-nox).\n\n"
	      "options:\n"
	      "  -o, --output FILE   the HTML file to write (written whole, then renamed)\n"
	      "  -c, --compare OTHER set a second trace beside it: both fingerprints and tables,\n"
	      "                      and per probe in both the tests and the verdict (same,\n"
	      "                      shift, scale, shape) as 'ringscope compare' makes them\n"
	      "  -s, --spikes K      the top K spikes per probe, largest excess first (default 5)\n"
	      "  -h, --help          show this help\n\n"
	      "Spikes are found as in 'ringscope analyze' with its default thresholds.\n\n"
	      "exit status: 0 written, 1 unreadable trace or failed plot, 2 bad usage\n",
	      f);
}

/* parse_top - the --spikes value (1..1000); 0, or CLI_EXIT_USAGE after an error naming it. */
static int parse_top(const char *arg, uint64_t *top)
{
	int rc = cli_parse_u64(arg, CLI_UNITS_NONE, 1, 1, 1000, top);

	if (rc == -ERANGE)
		return cli_usage_error("report", "--spikes '%s' is out of range: 1..1000", arg);
	if (rc)
		return cli_usage_error("report", "--spikes '%s' is not a whole number", arg);
	return 0;
}

/* parse_args - fill @o; returns -1 to go on, else the exit code (help or usage error). */
static int parse_args(int argc, char **argv, struct report_opts *o)
{
	static const struct option longopts[] = {
	    {"output", required_argument, NULL, 'o'},
	    {"compare", required_argument, NULL, 'c'},
	    {"spikes", required_argument, NULL, 's'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	uint64_t top;
	int c;

	optind = 0; /* glibc: 0 resets getopt fully, so one command may parse after another */
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":o:c:s:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'o':
			if (cli_check_output_name("report", optarg))
				return CLI_EXIT_USAGE;
			o->out = optarg;
			break;
		case 'c':
			o->compare_path = optarg;
			break;
		case 's':
			if (parse_top(optarg, &top))
				return CLI_EXIT_USAGE;
			o->attr.top = (size_t)top;
			break;
		case 'h':
			usage(stdout);
			return CLI_EXIT_OK;
		case ':':
			return cli_usage_error("report", "'%s' needs a value", argv[optind - 1]);
		default:
			if (optopt && strncmp(argv[optind - 1], "--", 2)) /* "-xo": not the word */
				return cli_usage_error("report", "unknown option '-%c'", optopt);
			return cli_usage_error("report", "unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind == argc)
		return cli_usage_error("report", "missing the trace FILE");
	if (optind != argc - 1)
		return cli_usage_error("report", "expected one FILE, got '%s' too", argv[argc - 1]);
	if (!o->out)
		return cli_usage_error("report", "missing the output file (-o report.html)");
	o->path = argv[optind];
	return -1;
}

int cmd_report(int argc, char **argv)
{
	struct report_opts o = {.attr.top = REPORT_DEFAULT_TOP};
	char err[512];
	int ret;

	spikes_opts_default(&o.attr.spikes);
	ret = parse_args(argc, argv, &o);
	if (ret >= 0)
		return ret;
	signal(SIGPIPE, SIG_IGN); /* a gnuplot that dies early is an error, not our death */
	ret = report_write(&o, err, sizeof(err));
	if (ret) {
		cli_error("%s", err);
		return CLI_EXIT_ERROR;
	}
	fprintf(stderr, "# report: '%s'\n", o.out);
	return CLI_EXIT_OK;
}
