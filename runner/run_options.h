/* SPDX-License-Identifier: MIT */
/*
 * run_options - the options of `ringscope run` (its table, the probes' rows nested in it) and
 * their validation before anything is made; the option rows that session and http-session share.
 */
#ifndef RINGSCOPE_RUN_OPTIONS_H
#define RINGSCOPE_RUN_OPTIONS_H

#include <stdbool.h>

#include "lib/cli_command.h"
#include "probes/probe.h"
#include "runner/measure.h"
#include "runner/topology.h"

struct run_options {
	struct probe_config cfg;
	struct measure_plan plan;
	const char *probe;  /* --probe as given */
	const char *output; /* --output; NULL: not given */
	bool trace;
	unsigned int trace_marker; /* --trace-marker: enum spike_marker_when */
	uint64_t duration_ns;	   /* --duration; 0: not given */
	bool help;		   /* --help was given and printed: exit 0 */
	const char *topology_path; /* --topology FILE, NULL: none */
	struct topology topology;  /* its members, when given (cfg.topology points here) */
};

/* The rows of the measurement options run, session and http-session share (one range each). */
#define RUN_ROW_RUNS(type, member, default, text)                                                  \
	{                                                                                          \
		.name = "runs", .letter = 'r', .arg = "R", .help = text, .def = default,           \
		.kind = CLI_OPT_COUNT, .min = 1, .max = 1000000, CLI_FIELD(type, member)           \
	}
#define RUN_ROW_ITERATIONS(name_, letter_, type, member, default, text)                            \
	{                                                                                          \
		.name = name_, .letter = letter_, .arg = "N", .help = text, .def = default,        \
		.kind = CLI_OPT_COUNT, .min = 1, .max = 1000000000, CLI_FIELD(type, member)        \
	}
#define RUN_ROW_WARMUP(type, member)                                                               \
	{                                                                                          \
		.name = "warmup", .letter = 'w', .arg = "N", .def = "100", .kind = CLI_OPT_COUNT,  \
		.max = 1000000000, CLI_FIELD(type, member),                                        \
		.help = "untimed iterations before each run's recorded ones"                       \
	}
#define RUN_ROW_CPUS(type, member)                                                                 \
	{                                                                                          \
		.name = "cpus", .letter = 'c', .arg = "LIST", .kind = CLI_OPT_CPUS,                \
		CLI_FIELD(type, member),                                                           \
		.help = "pin member i to LIST[i mod len], e.g. 0 or 0,1 or 0-3; the master and a " \
			"probe "                                                                   \
			"without members run on LIST[0] (default: not pinned)"                     \
	}
#define RUN_ROW_TRACE_DETAIL(type, member)                                                         \
	{                                                                                          \
		.name = "trace-detail", .letter = 'D', .arg = "MODE", .def = "lean",               \
		.kind = CLI_OPT_ENUM, .names = run_trace_detail_names, CLI_FIELD(type, member),    \
		.help = "lean: no per-packet kernel event, the others recorded; full: every "      \
			"kernel event recorded (costs the measurement more)"                       \
	}
#define RUN_ROW_UNTRACED_RUNS(type, member)                                                        \
	{                                                                                          \
		.name = "untraced-runs", .arg = "WHICH", .def = "alternate", .kind = CLI_OPT_ENUM, \
		.names = run_untraced_names, CLI_FIELD(type, member),                              \
		.help = "alternate: every other run (the 2nd, 4th, ...) with no BPF program "      \
			"attached, for statistics the tracer does not touch; none: every run "     \
			"traced"                                                                   \
	}
#define RUN_ROW_NO_TRACE(type, member)                                                             \
	{                                                                                          \
		.name = "no-trace", .letter = 'T', .kind = CLI_OPT_FLAG, CLI_FIELD(type, member),  \
		.help = "do not record kernel events"                                              \
	}

#define RUN_ROW_TRACE_MARKER(type, member)                                                         \
	{                                                                                          \
		.name = "trace-marker", .arg = "WHEN", .def = "off", .kind = CLI_OPT_ENUM,         \
		.names = run_marker_names, CLI_FIELD(type, member),                                \
		.help =                                                                            \
		    "write each spike (run, iteration, latency above analyze's threshold over "    \
		    "the run's warm-up) into ftrace's trace_marker: now, between iterations; "     \
		    "run-end, after the run (root)"                                                \
	}

/* --duration: each run's cap of iterations unless --iterations is given, and its least share */
#define RUN_DURATION_CAP    100000
#define RUN_DURATION_MIN_NS 1000000ULL
#define RUN_ROW_DURATION(type, member, text)                                                       \
	{                                                                                          \
		.name = "duration", .arg = "D", .kind = CLI_OPT_TIME, .min = RUN_DURATION_MIN_NS,  \
		.max = 7 * 24 * 3600 * 1000000000ULL, .unit = 1000000000ULL,                       \
		CLI_FIELD(type, member), .help = text                                              \
	}

/* "off", "now", "run-end": --trace-marker, whose index is enum spike_marker_when. */
extern const char *const run_marker_names[];

/* "alternate", "none": --untraced-runs, whose index is measure_plan.untraced_runs. */
extern const char *const run_untraced_names[];

/* "lean", "full": --trace-detail, whose index is measure_plan.trace_full. */
extern const char *const run_trace_detail_names[];

/* run_option_groups - the groups of `run`'s table: targets the run_options, then its cfg. */
extern const struct cli_opt_group run_option_groups[];

/*
 * run_options_parse - parse and validate `run` options (argv[0] = "run") by @cmd, whose groups
 * are run_option_groups: numbers, units, CPUs against the online ones, the probe's own rows and
 * validate(), the output's folder. Creates nothing. Returns CLI_EXIT_OK (check o->help) or
 * CLI_EXIT_USAGE after printing one error line.
 */
int run_options_parse(const struct cli_command *cmd, int argc, char **argv, struct run_options *o);

/*
 * run_options_check_memory - whether what a measurement of @cfg under @plan keeps in memory
 * (measure_memory, twice that while its arrays grow) fits in what the machine has available
 * (MemAvailable); refused before anything starts, rather than an out-of-memory death halfway.
 * 0, or CLI_EXIT_USAGE after printing how much it needs and has.
 */
int run_options_check_memory(const char *cmd, const struct probe_config *cfg,
			     const struct measure_plan *plan);

/*
 * run_options_open_marker - for --trace-marker @when (not off): @warmup is enough for a threshold,
 * and trace_marker opens into @m. 0 (@m closed when not wanted), or CLI_EXIT_USAGE after printing
 * what is wrong and the fix.
 */
struct spike_marker;
int run_options_open_marker(const char *cmd, unsigned int when, unsigned int warmup,
			    struct spike_marker *m);

/*
 * run_options_duration - --duration @duration_ns (0: not given) of a command of @nruns runs in
 * all: each run's share into @plan->run_ns, and @plan->iterations the cap RUN_DURATION_CAP
 * unless --iterations is in @a. 0, or CLI_EXIT_USAGE when a share is under 1 ms.
 */
struct cli_args;
int run_options_duration(const char *cmd, const struct cli_args *a, uint64_t duration_ns,
			 unsigned int nruns, struct measure_plan *plan);

/*
 * run_options_check_output - @path is given and may be made as a trace file (cli_check_output;
 * @unique: its XXXXXX made random when it is). 0, or CLI_EXIT_USAGE after printing what is
 * wrong.
 */
int run_options_check_output(const char *cmd, const char *path, bool unique);

#endif
