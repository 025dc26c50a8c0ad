// SPDX-License-Identifier: MIT
/* run_options - the table of `ringscope run` and the validation of its options; nothing is made. */
#include "runner/run_options.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/cli.h"
#include "lib/cli_args.h"
#include "lib/outfile.h"
#include "probes/registry.h"
#include "runner/spike_marker.h"
#include "runner/topology_file.h"

#define NS_PER_US 1000ULL
#define NS_PER_S  1000000000ULL

/* The targets of run's groups: 0 the run_options, PROBE_OPTIONS_TARGET its probe_config. */
enum { RUN_TARGET = 0 };
_Static_assert(PROBE_OPTIONS_TARGET == 1, "run's targets");

const char *const run_trace_detail_names[] = {"lean", "full", NULL};
const char *const run_untraced_names[] = {"alternate", "none", NULL};
const char *const run_marker_names[] = {"off", "now", "run-end", NULL};

static const struct cli_opt measurement_rows[] = {
    {.name = "probe",
     .letter = 'p',
     .arg = "NAME",
     .help = "the probe to run, one of those below (required)",
     .kind = CLI_OPT_STRING,
     CLI_FIELD(struct run_options, probe)},
    {.name = "output",
     .letter = 'o',
     .arg = "FILE",
     .help = "the trace file to write (required; replaced if it exists)",
     .kind = CLI_OPT_PATH,
     CLI_FIELD(struct run_options, output)},
    RUN_ROW_RUNS(struct run_options, plan.runs, "5", "runs; a probe starts afresh for each"),
    RUN_ROW_ITERATIONS("iterations", 'n', struct run_options, plan.iterations, "10000",
		       "recorded iterations per run"),
    RUN_ROW_WARMUP(struct run_options, plan.warmup),
    RUN_ROW_DURATION(struct run_options, duration_ns,
		     "record for D in all (s, or with a unit: ns, us, ms, s), an equal share per "
		     "run, each run at most --iterations (default then 100000)"),
    {.name = "interval-us",
     .letter = 'i',
     .arg = "U",
     .help = "pace iteration starts U apart, open loop (0: back to back); a start later than "
	     "intended is flagged late. U is in us, or with a unit: ns, us, ms, s",
     .def = "0",
     .kind = CLI_OPT_TIME,
     .max = 10 * NS_PER_S,
     .unit = NS_PER_US,
     CLI_FIELD(struct run_options, plan.interval_ns)},
    RUN_ROW_CPUS(struct run_options, cfg.cpus),
    {.name = "keep-ring",
     .letter = 'k',
     .help = "keep the probe (a ring and its namespaces) up between runs",
     .kind = CLI_OPT_FLAG,
     CLI_FIELD(struct run_options, plan.keep_ring)},
    {.name = "topology",
     .letter = 'F',
     .arg = "FILE",
     .help = "the members of a probe with members (the ring) from FILE: address, port, CPU, "
	     "namespace, launch prefix (docs/topology.md); sets --hops",
     .kind = CLI_OPT_PATH,
     CLI_FIELD(struct run_options, topology_path)},
    {0},
};

static const struct cli_opt tracing_rows[] = {
    {.name = "trace",
     .letter = 't',
     .help = "record kernel events with eBPF into the same file (root)",
     .kind = CLI_OPT_FLAG,
     CLI_FIELD(struct run_options, trace)},
    RUN_ROW_TRACE_DETAIL(struct run_options, plan.trace_full),
    RUN_ROW_UNTRACED_RUNS(struct run_options, plan.untraced_runs),
    RUN_ROW_TRACE_MARKER(struct run_options, trace_marker),
    {0},
};

static const struct cli_opt output_rows[] = {
    CLI_ROW_JSON("print the final summary as JSON on stdout (errors as {\"error\": ...})"),
    CLI_ROW_VERBOSE("say more on stderr, and libbpf's messages"),
    CLI_ROW_HELP,
    {0},
};

const struct cli_opt_group run_option_groups[] = {
    {.title = "measurement", .opts = measurement_rows, .target = RUN_TARGET},
    {.title = "tracing", .about = "--trace-detail implies --trace", .opts = tracing_rows},
    {.title = "probes", .nested = probe_option_groups},
    {.title = "output", .opts = output_rows, .target = RUN_TARGET},
    {0},
};

int run_options_duration(const char *cmd, const struct cli_args *a, uint64_t duration_ns,
			 unsigned int nruns, struct measure_plan *plan)
{
	if (!duration_ns)
		return 0;
	if (!cli_args_given(a, "iterations"))
		plan->iterations = RUN_DURATION_CAP;
	plan->run_ns = duration_ns / (nruns ? nruns : 1);
	if (plan->run_ns < RUN_DURATION_MIN_NS)
		return cli_usage_error(cmd,
				       "--duration over %u runs leaves each %.3f ms: give at least "
				       "1 ms a run",
				       nruns, (double)plan->run_ns / 1e6);
	return 0;
}

int run_options_open_marker(const char *cmd, unsigned int when, unsigned int warmup,
			    struct spike_marker *m)
{
	char err[256];

	m->fd = -1;
	if (when == SPIKE_MARKER_OFF)
		return 0;
	if (warmup < SPIKE_MARKER_MIN_WARMUP)
		return cli_usage_error(cmd,
				       "--trace-marker takes each run's spike threshold from "
				       "its warm-up: give --warmup %d or more",
				       SPIKE_MARKER_MIN_WARMUP);
	if (spike_marker_open(m, (enum spike_marker_when)when, err, sizeof(err)))
		return cli_usage_error(cmd, "--trace-marker: %s", err);
	return 0;
}

int run_options_check_output(const char *cmd, const char *path, bool unique)
{
	if (!path)
		return cli_usage_error(cmd, "no output file: give one with -o FILE");
	return cli_check_output(cmd, path, OUTFILE_EARLY | (unique ? OUTFILE_UNIQUE : 0));
}

/* mem_available - MemAvailable of /proc/meminfo in bytes, or 0 when it cannot be read. */
static uint64_t mem_available(void)
{
	unsigned long long kb = 0;
	char line[256];
	FILE *f = fopen("/proc/meminfo", "re");

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f) && sscanf(line, "MemAvailable: %llu kB", &kb) != 1)
		;
	fclose(f);
	return (uint64_t)kb * 1024;
}

int run_options_check_memory(const char *cmd, const struct probe_config *cfg,
			     const struct measure_plan *plan)
{
	size_t per;
	/* the arrays grow by doubling: up to twice what they hold at the end */
	uint64_t need = 2 * measure_memory(cfg, plan, &per), avail = mem_available();

	if (!avail || need <= avail)
		return CLI_EXIT_OK;
	return cli_usage_error(
	    cmd,
	    "%u runs x %u iterations of '%s' need up to %.1f GB of memory as "
	    "they are measured (%zu bytes per iteration, twice that while its "
	    "arrays grow), more than the %.1f GB available: give fewer --runs or "
	    "--iterations",
	    plan->runs, plan->iterations, cfg->probe, need / 1e9, per, avail / 1e9);
}

/*
 * apply_probe - the probe's defaults and the values given for its rows; an option of another
 * probe is refused. CLI_EXIT_OK or CLI_EXIT_USAGE after one error line.
 */
static int apply_probe(struct cli_args *a, const struct probe_ops *ops, struct run_options *o)
{
	const struct cli_opt_group own = {.title = ops->name, .opts = ops->options};
	const struct cli_given *other;
	int rc;

	o->cfg.probe = ops->name;
	if (probe_config_defaults(&o->cfg))
		return cli_usage_error("run", "the defaults of probe '%s' are refused", ops->name);
	rc = cli_args_apply(a, &own, &o->cfg);
	if (rc)
		return rc;
	other = cli_args_unused(a);
	if (other)
		return cli_usage_error("run", "--%s is not an option of the %s probe",
				       other->opt->name, ops->name);
	return CLI_EXIT_OK;
}

/*
 * load_topology - --topology: the members of a probe that has members, from the file, which
 * says how many there are, where they run and in which namespaces: --cpus and --domains given
 * too would be ignored for them, and --hops another count than the file's would be overridden,
 * so these are refused instead.
 */
static int load_topology(const struct cli_args *a, const struct probe_ops *ops,
			 struct run_options *o)
{
	static const char *const theirs[] = {"cpus", "domains"};
	unsigned int hops = o->cfg.members;
	char err[256] = "";
	size_t i;

	if (!ops->has_members)
		return cli_usage_error("run", "--topology lists members: the %s probe has none",
				       ops->name);
	for (i = 0; i < sizeof(theirs) / sizeof(theirs[0]); i++) {
		if (cli_args_given(a, theirs[i]))
			return cli_usage_error("run",
					       "--topology places every member (CPU, namespace): "
					       "give it without --%s",
					       theirs[i]);
	}
	if (topology_file_load(o->topology_path, &o->topology, err, sizeof(err)))
		return cli_usage_error("run", "%s", err);
	if (cli_args_given(a, "hops") && hops != o->topology.nmembers)
		return cli_usage_error("run",
				       "--hops %u, but '%s' lists %u members: give one of them",
				       hops, o->topology_path, o->topology.nmembers);
	o->cfg.members = o->topology.nmembers;
	o->cfg.topology = &o->topology;
	return CLI_EXIT_OK;
}

/* validate - what needs the whole command line: probe, its own check, output, privileges. */
static int validate(struct cli_args *a, struct run_options *o)
{
	const struct probe_ops *ops;
	char err[256] = "";
	int rc;

	if (!o->probe)
		return cli_usage_error("run", "no probe: give --probe %s", probe_names());
	ops = probe_find(o->probe);
	if (!ops)
		return cli_usage_error("run", "unknown probe '%s' (probes: %s)", o->probe,
				       probe_names());
	rc = apply_probe(a, ops, o);
	if (!rc && o->topology_path)
		rc = load_topology(a, ops, o);
	if (rc)
		return rc;
	if (ops->validate && ops->validate(&o->cfg, err, sizeof(err)))
		return cli_usage_error("run", "%s", err[0] ? err : "invalid probe configuration");
	if (o->cfg.domains == PROBE_DOMAINS_NETNS && geteuid() != 0)
		return cli_usage_error("run", "--domains netns creates network namespaces: run as "
					      "root");
	rc = run_options_duration("run", a, o->duration_ns, o->plan.runs, &o->plan);
	if (!rc)
		rc = run_options_check_memory("run", &o->cfg, &o->plan);
	return rc ? rc : run_options_check_output("run", o->output, false);
}

int run_options_parse(const struct cli_command *cmd, int argc, char **argv, struct run_options *o)
{
	const struct cli_opt_group *g;
	struct cli_args a;
	int rc;

	memset(o, 0, sizeof(*o));
	rc = cli_args_parse(cmd, argc, argv, &a);
	o->help = a.help;
	/* run's own groups now; the probe's rows once --probe is known (validate) */
	for (g = run_option_groups; !rc && !a.help && g->title; g++)
		rc = g->nested ? CLI_EXIT_OK : cli_args_apply(&a, g, o);
	if (rc || a.help)
		return rc;
	o->trace |= cli_args_given(&a, "trace-detail");
	return validate(&a, o);
}
