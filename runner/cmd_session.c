// SPDX-License-Identifier: MIT
/*
 * cmd_session - `ringscope session`, the main job: the paper's null tests and ring in one traced
 * trace file (null, vmexit, syscall puts, ring at 1 and 3 hops, ring at 3 hops across namespaces),
 * then the analysis of that file: platform, a table per probe and the top spikes with their causes.
 */
#include "lib/cli.h"
#include "runner/commands.h"
#include "runner/run_options.h"
#include "runner/session.h"

static const struct session_plan session_plans[] = {
    {"null (no syscall)", "null", 0, PROBE_DOMAINS_SINGLE, NULL},
    {"vmexit (one CPUID: a VM exit under a hypervisor)", "vmexit", 0, PROBE_DOMAINS_SINGLE, NULL},
    {"syscall (one puts to a buffered stream)", "syscall", 0, PROBE_DOMAINS_SINGLE, NULL},
    {"ring, 1 hop, single domain", "ring", 1, PROBE_DOMAINS_SINGLE, NULL},
    {"ring, 3 hops, single domain", "ring", 3, PROBE_DOMAINS_SINGLE, NULL},
    {"ring, 3 hops, one network namespace per member", "ring", 3, PROBE_DOMAINS_NETNS, NULL},
};

static const struct session_spec session_spec = {
    .cmd = &session_command,
    .file_stem = "ringscope-session",
    .plans = session_plans,
    .nplans = sizeof(session_plans) / sizeof(session_plans[0]),
    .failed_prefix = "probe ",
    .spikes_hint = "shows more spikes",
    .unit = "sample",
};

static const struct cli_opt session_rows[] = {
    RUN_ROW_RUNS(struct session_opts, plan.runs, "5", "runs per probe"),
    RUN_ROW_ITERATIONS("iterations", 'n', struct session_opts, plan.iterations, "10000",
		       "timed iterations per run"),
    {.name = "paper",
     .letter = 'P',
     .help = "the paper's size",
     .kind = CLI_OPT_PRESET,
     .preset = (const char *const[]){"runs", "50", "iterations", "10000", NULL}},
    RUN_ROW_WARMUP(struct session_opts, plan.warmup),
    RUN_ROW_DURATION(struct session_opts, duration_ns,
		     "record for D in all (s, or with a unit), an equal share per run of each "
		     "probe, each run at most --iterations (default then 100000)"),
    RUN_ROW_CPUS(struct session_opts, cpus),
    {.name = "spikes",
     .letter = 's',
     .arg = "K",
     .help = "spikes shown per probe, largest excess first (0: none)",
     .def = "5",
     .kind = CLI_OPT_COUNT,
     .max = 1000000,
     CLI_FIELD(struct session_opts, spikes)},
    {.name = "output",
     .letter = 'o',
     .arg = "FILE",
     .help = "the trace file (default ringscope-session-HOST-DATE-XXXXXX.rst here, the X's "
	     "random)",
     .kind = CLI_OPT_PATH,
     CLI_FIELD(struct session_opts, output)},
    RUN_ROW_NO_TRACE(struct session_opts, no_trace),
    RUN_ROW_TRACE_DETAIL(struct session_opts, plan.trace_full),
    RUN_ROW_UNTRACED_RUNS(struct session_opts, plan.untraced_runs),
    RUN_ROW_TRACE_MARKER(struct session_opts, trace_marker),
    CLI_ROW_JSON("print the analysis as JSON (errors as {\"error\": ...})"),
    CLI_ROW_VERBOSE("say what is traced and skipped, and libbpf's messages"),
    CLI_ROW_HELP,
    {0},
};

static const struct cli_opt_group session_groups[] = {
    {.title = "options", .opts = session_rows},
    {0},
};

/* session_cmd_main - the driver with this command's plans. */
static int session_cmd_main(int argc, char **argv)
{
	return session_main(&session_spec, argc, argv);
}

const struct cli_command session_command = {
    .name = "session",
    .summary = "the main job: null, vmexit, syscall and ring probes, traced, one file",
    .synopsis = "[options]",
    .description = "The main job: a diagnostic session of this platform in one trace file. Runs "
		   "the null probe (nothing timed), the vmexit probe (one CPUID: what a VM exit "
		   "costs), the syscall probe (one puts per iteration "
		   "to a fully buffered stream: buffer flushes), and the io_uring TCP ring at 1 "
		   "and 3 hops in one network namespace and at 3 hops with one namespace per "
		   "member; traces them with eBPF (as root), then prints the platform, a table "
		   "per probe and the top spikes with their causes.",
    .groups = session_groups,
    .epilogue = "Without root the session runs untraced and skips the namespace ring, and says "
		"so.\n\n"
		"Exit status: 0 ok, 1 a probe failed (the others still ran), 2 bad usage, 128+N "
		"stopped by signal N (the file is finalized).",
    .main = session_cmd_main,
};
