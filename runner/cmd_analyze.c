// SPDX-License-Identifier: MIT
/* cmd_analyze - `ringscope analyze FILE`: per-probe statistics of a trace file, text or JSON. */
#include <stdint.h>
#include <stdio.h>

#include "analysis/analyze/analyze.h"
#include "lib/cli.h"
#include "lib/cli_args.h"
#include "runner/commands.h"

#define NS_PER_S 1000000000ULL

struct analyze_cli {
	struct analyze_opts a;
	uint64_t min_excess_ns; /* --spike-min-excess, a double in a.attr.spikes */
	const char *baseline;	/* --baseline, parsed into a.attr.baseline */
};

static const struct cli_opt spike_rows[] = {
    {.name = "spikes",
     .letter = 's',
     .arg = "K",
     .help = "find the spikes of every probe (latency above the median by k MAD and by the "
	     "ratio and excess below), split each spike's excess into kernel causes from the "
	     "traced events, show the top K and a summary",
     .kind = CLI_OPT_COUNT,
     .min = 1,
     .max = 1000000,
     CLI_FIELD(struct analyze_cli, a.attr.top)},
    {.name = "spike-k",
     .arg = "X",
     .help = "MADs above the median a spike needs",
     .def = "6",
     .kind = CLI_OPT_DOUBLE,
     .dmax = 1e6,
     CLI_FIELD(struct analyze_cli, a.attr.spikes.k)},
    {.name = "spike-min-ratio",
     .arg = "Y",
     .help = "and at least Y times the median",
     .def = "1.5",
     .kind = CLI_OPT_DOUBLE,
     .dmax = 1e6,
     CLI_FIELD(struct analyze_cli, a.attr.spikes.min_ratio)},
    {.name = "spike-min-excess",
     .arg = "T",
     .help = "and at least T above the median, in ns or with a unit (ns, us, ms, s): less is "
	     "below what a kernel event can explain",
     .def = "1us",
     .kind = CLI_OPT_TIME,
     .max = 3600 * NS_PER_S,
     .unit = 1,
     CLI_FIELD(struct analyze_cli, min_excess_ns)},
    {.name = "baseline",
     .arg = "COSTS",
     .help = "what bare metal pays, for the projection without the host's time: exit=TIME "
	     "(one VM exit's instruction there: a session's vmexit less null), ipi=TIME (its "
	     "routine IPI delivery: doctor --delivery's normal), either or both, a time in ns or "
	     "with a unit; only the guest's cost above it is host time",
     .kind = CLI_OPT_STRING,
     CLI_FIELD(struct analyze_cli, baseline)},
    {0},
};

static const struct cli_opt output_rows[] = {
    {.name = "hist",
     .help = "each probe's latencies in log2 buckets too, as runqlat and rtla hist print them "
	     "(\"histogram_log2\" in JSON)",
     .kind = CLI_OPT_FLAG,
     CLI_FIELD(struct analyze_cli, a.hist)},
    CLI_ROW_JSON("print one JSON document on stdout (errors as {\"error\": ...})"),
    CLI_ROW_VERBOSE("say more on stderr"),
    CLI_ROW_HELP,
    {0},
};

static const struct cli_opt_group analyze_groups[] = {
    {.title = "spikes", .opts = spike_rows},
    {.title = "output", .opts = output_rows},
    {0},
};

/* analyze_main - parse, then the library's analysis of the file, printed on stdout. */
static int analyze_main(int argc, char **argv)
{
	struct analyze_cli o;
	struct cli_args a;
	char err[512];
	int rc;

	analyze_opts_default(&o.a);
	o.baseline = NULL;
	rc = cli_parse(&analyze_command, argc, argv, (void *[]){&o}, &a);
	if (rc || a.help)
		return rc;
	o.a.attr.spikes.min_excess_ns = (double)o.min_excess_ns;
	if (o.baseline && !o.a.attr.top)
		return cli_usage_error("analyze",
				       "--baseline needs --spikes (the projection is made "
				       "from the spikes' attribution)");
	if (o.baseline &&
	    projection_baseline_parse(o.baseline, &o.a.attr.baseline, err, sizeof(err)))
		return cli_usage_error("analyze", "--baseline %s", err);
	o.a.json = cli_json_mode;
	o.a.note = cli_warn_line;
	if (analyze_file(a.operands[0], &o.a, stdout, err, sizeof(err))) {
		cli_error("%s", err);
		return CLI_EXIT_ERROR;
	}
	return CLI_EXIT_OK;
}

const struct cli_command analyze_command = {
    .name = "analyze",
    .summary = "statistics and per-spike attribution of a trace file",
    .synopsis = "FILE [--spikes K] [--spike-* ...] [--baseline COSTS] [--hist] [--json]",
    .description =
	"Per probe of a trace file: samples, mean, std dev, min, p50, p90, p99, p99.9, max "
	"(and p99.99, p99.999 from 100,000 and 1,000,000 samples) "
	"(microseconds in text, nanoseconds in JSON), bad messages, lost and late sends. Samples "
	"of bad messages are counted but left out of the statistics. A file cut short (a killed "
	"run) is analysed up to its last whole chunk. Then its patterns: periodic lines and "
	"cross-run drifts of the spikes (as the --spike-* options find them), the modes of the "
	"latencies, 95% intervals of the percentiles and the lag-1 autocorrelation "
	"(docs/patterns.md).",
    .groups = analyze_groups,
    .operands = "the trace FILE",
    .min_operands = 1,
    .max_operands = 1,
    .epilogue = "Exit status: 0 analysed (a cut-short file too), 1 unreadable, damaged or "
		"foreign file, 2 bad usage.",
    .main = analyze_main,
};
