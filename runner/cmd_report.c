// SPDX-License-Identifier: MIT
/* cmd_report - `ringscope report FILE [--compare OTHER] -o report.html`: the HTML report. */
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "analysis/report/report.h"
#include "lib/cli.h"
#include "lib/cli_args.h"
#include "lib/sigcleanup.h"
#include "runner/commands.h"

static const struct cli_opt report_rows[] = {
    {.name = "output",
     .letter = 'o',
     .arg = "FILE",
     .help = "the HTML file to write (required; written under a temporary name, renamed when "
	     "whole)",
     .kind = CLI_OPT_PATH,
     CLI_FIELD(struct report_opts, out)},
    {.name = "compare",
     .arg = "OTHER",
     .help = "set a second trace B beside it: both fingerprints and tables, and per probe in "
	     "both A's and B's percentiles with their intervals, their CDFs and histograms in one "
	     "plot each, how the causes' shares of the spikes moved, and the verdict (same, shift, "
	     "scale, shape) with its rule, as 'ringscope compare' makes them, and A projected "
	     "without the host's time against B (compare --project)",
     .kind = CLI_OPT_PATH,
     CLI_FIELD(struct report_opts, compare_path)},
    {.name = "spikes",
     .letter = 's',
     .arg = "K",
     .help = "the top K spikes per probe, largest excess first",
     .def = "5",
     .kind = CLI_OPT_COUNT,
     .min = 1,
     .max = 1000,
     CLI_FIELD(struct report_opts, attr.top)},
    {.name = "plot-timeout",
     .arg = "T",
     .help = "the most one plot may take before gnuplot is stopped and the report fails, in s "
	     "or with a unit (ns, us, ms, s)",
     .def = "120s",
     .kind = CLI_OPT_TIME,
     .min = 1000000ULL,
     .max = 24ULL * 3600 * 1000000000ULL,
     .unit = 1000000000ULL,
     .store_unit = 1000000ULL,
     CLI_FIELD(struct report_opts, plot_timeout_ms)},
    CLI_ROW_VERBOSE("say more on stderr"),
    CLI_ROW_HELP,
    {0},
};

static const struct cli_opt_group report_groups[] = {
    {.title = "options", .opts = report_rows},
    {0},
};

/* report_main - the options, then the page written by the report room. */
static int report_main(int argc, char **argv)
{
	struct report_opts o = {0};
	struct cli_args a;
	char err[512];
	int ret;

	spikes_opts_default(&o.attr.spikes);
	ret = cli_parse(&report_command, argc, argv, (void *[]){&o}, &a);
	if (ret || a.help)
		return ret;
	if (!o.out)
		return cli_usage_error("report", "missing the output file (-o report.html)");
	if (cli_check_output("report", o.out, 0))
		return CLI_EXIT_USAGE;
	o.path = a.operands[0];
	signal(SIGPIPE, SIG_IGN); /* a gnuplot that dies early is an error, not our death */
	sigcleanup_install();	  /* a stop signal: no temporary page, folder or gnuplot left */
	ret = report_write(&o, err, sizeof(err));
	if (ret) {
		cli_error("%s", err);
		return CLI_EXIT_ERROR;
	}
	fprintf(stderr, "# report: '%s'\n", o.out);
	return CLI_EXIT_OK;
}

const struct cli_command report_command = {
    .name = "report",
    .summary = "a self-contained HTML report of a trace file, plots by gnuplot",
    .synopsis = "FILE [--compare OTHER] -o report.html",
    .description = "One self-contained HTML page of a trace file (opens without network): the "
		   "platform fingerprint, Table 1 (latency per probe), and per probe the mesh "
		   "diagram (run x iteration x latency) as a heatmap and as a 3-D mesh, a "
		   "latency histogram, the patterns found, and the top spikes with their causes "
		   "and a timeline of their kernel events. Plots are drawn by gnuplot (package "
		   "gnuplot-nox).",
    .groups = report_groups,
    .operands = "the trace FILE",
    .min_operands = 1,
    .max_operands = 1,
    .epilogue = "Spikes are found as in 'ringscope analyze' with its default thresholds.\n\n"
		"Exit status: 0 written, 1 an unreadable trace, a failed plot or a failed write, 2 "
		"bad usage.",
    .main = report_main,
};
