// SPDX-License-Identifier: MIT
/* cmd_compare - `ringscope compare A B`: two trace files side by side, with a verdict per probe. */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "analysis/compare/compare.h"
#include "lib/trace/trace_reader.h"
#include "lib/cli.h"
#include "lib/cli_args.h"
#include "runner/commands.h"

/* compare_cli - what the options set. */
struct compare_cli {
	bool project;
	const char *baseline; /* --baseline, parsed into compare_opts.baseline */
};

static const struct cli_opt project_rows[] = {
    {.name = "project",
     .help = "also project A (a guest) without the host time its spikes' attribution proved, "
	     "with B's costs as bare metal's when B names no hypervisor, and test the projection "
	     "against B by the verdict's run-level rule: per p50, p99, p99.9 whether it matches "
	     "B, and if not, which mechanism makes the difference",
     .kind = CLI_OPT_FLAG,
     CLI_FIELD(struct compare_cli, project)},
    {.name = "baseline",
     .arg = "COSTS",
     .help = "with --project, bare metal's costs instead of B's: exit=TIME,ipi=TIME (as "
	     "analyze --baseline)",
     .kind = CLI_OPT_STRING,
     CLI_FIELD(struct compare_cli, baseline)},
    {0},
};

static const struct cli_opt compare_rows[] = {
    CLI_ROW_JSON("print one JSON document on stdout (errors as {\"error\": ...})"),
    CLI_ROW_VERBOSE("say more on stderr"),
    CLI_ROW_HELP,
    {0},
};

static const struct cli_opt_group compare_groups[] = {
    {.title = "projection", .opts = project_rows},
    {.title = "options", .opts = compare_rows},
    {0},
};

/*
 * load - one file, or print why not and return false. In text mode a cut-short file is said on
 * stderr, as analyze does; JSON has "complete" for it.
 */
static bool load(const char *path, bool json, struct trace_session **s)
{
	char err[512];

	if (trace_session_load(path, s, err, sizeof(err))) {
		cli_error("%s", err);
		return false;
	}
	if (!json && !(*s)->status.complete)
		cli_warn(
		    "'%s' has no END chunk (the run was killed?): compared up to its last whole "
		    "chunk",
		    path);
	return true;
}

/* compare_main - both files loaded, the comparison built once and printed as text or JSON. */
static int compare_main(int argc, char **argv)
{
	struct trace_session *a = NULL, *b = NULL;
	struct json_object *report = NULL;
	const char *path_a, *path_b;
	struct compare_cli c = {0};
	struct compare_opts o;
	struct cli_args args;
	char err[512];
	int ret;

	ret = cli_parse(&compare_command, argc, argv, (void *[]){&c}, &args);
	if (ret || args.help)
		return ret;
	compare_opts_default(&o);
	o.project = c.project;
	if (c.baseline && !c.project)
		return cli_usage_error("compare", "--baseline is for --project");
	if (c.baseline && projection_baseline_parse(c.baseline, &o.baseline, err, sizeof(err)))
		return cli_usage_error("compare", "--baseline %s", err);
	path_a = args.operands[0];
	path_b = args.operands[1];
	ret = CLI_EXIT_ERROR;
	if (!load(path_a, cli_json_mode, &a) || !load(path_b, cli_json_mode, &b))
		goto cleanup;
	if (compare_report_build(path_a, a, path_b, b, &o, &report, err, sizeof(err))) {
		cli_error("%s", err);
		goto cleanup;
	}
	if (cli_json_mode)
		cli_print_json(stdout, report);
	else
		compare_print_text(stdout, report);
	ret = CLI_EXIT_OK;
cleanup:
	json_object_put(report);
	trace_session_free(b);
	trace_session_free(a);
	return ret;
}

const struct cli_command compare_command = {
    .name = "compare",
    .summary = "two trace files side by side: same, shift, scale or shape",
    .synopsis = "A B [--project [--baseline COSTS]] [--json]",
    .description =
	"Two trace files side by side (say a guest and bare metal): their platform fingerprints, "
	"then per probe found in both (same probe, hops, io, connect, reply, domains, msg_size, "
	"text, stdio_buffer and sink; in A's order) the statistics of A and B and their ratio "
	"B/A, the spike rates, dominant causes and patterns, and a verdict on the latency "
	"distributions:\n"
	"  same   p50, p90, p99 and p99.9 did not move beyond the run-to-run spread\n"
	"  shift  they moved; p90-p50, p99-p50 and p99.9-p50 did not (one constant)\n"
	"  scale  those widths moved; p90/p50, p99/p50, p99.9/p50 did not (one factor)\n"
	"  shape  the ratios moved too: the distribution itself changed\n"
	"The iterations of a run are not independent samples, so the verdict is run-level: each "
	"run is one observation of those figures (blocks of consecutive iterations when a side "
	"has under 3 runs), and B - A of their means gets a 99% Welch t interval. A figure moved "
	"when its whole interval lies beyond 2% of A's figure (and one TSC step) from 0; the "
	"rule followed is printed with the effects. Kolmogorov-Smirnov and Wasserstein figures of "
	"the pooled iterations are shown beside it. Probes in one file only are listed. With "
	"--project, A's traced runs less the host time their spikes' attribution proved are "
	"tested against B the same way (docs/cli/compare.md).",
    .groups = compare_groups,
    .operands = "the trace files A and B",
    .min_operands = 2,
    .max_operands = 2,
    .epilogue = "Exit status: 0 compared, 1 unreadable, damaged or foreign file, 2 bad usage.",
    .main = compare_main,
};
