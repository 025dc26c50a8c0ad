/* SPDX-License-Identifier: MIT */
/* run_options - the options of `ringscope run`: parsing and validation before anything is made. */
#ifndef RINGSCOPE_RUN_OPTIONS_H
#define RINGSCOPE_RUN_OPTIONS_H

#include <stdbool.h>

#include "probes/probe.h"
#include "runner/measure.h"
#include "runner/topology.h"

/* The largest message that fits one TCP segment on loopback and veth (MSS 1448 with timestamps). */
#define RUN_MAX_MSG_SIZE 1448
#define RUN_MIN_MSG_SIZE 4 /* a 32-bit sequence number */
#define RUN_MAX_HOPS	 PROBE_MAX_MEMBERS

struct run_options {
	struct probe_config cfg;
	struct measure_plan plan;
	const char *output;
	bool json;
	bool trace;
	bool help;		   /* --help was given and printed: exit 0 */
	const char *topology_path; /* --topology FILE, NULL: none */
	struct topology topology;  /* its members, when given (cfg.topology points here) */
};

/*
 * run_options_parse - parse and validate `run` options (argv[0] = "run"): numbers, units, CPUs
 * against the online ones, the probe's own validate(), the output's folder. Creates nothing.
 * Returns CLI_EXIT_OK (check o->help) or CLI_EXIT_USAGE after printing one error line.
 */
int run_options_parse(int argc, char **argv, struct run_options *o);

/*
 * run_cpus_online - check every CPU of @cpus[0..n) is online: 0, or -ENODEV with the first
 * offline one in *@bad, or -errno reading /sys/devices/system/cpu/online.
 */
int run_cpus_online(const int *cpus, int n, int *bad);

/* run_options_defaults - the documented defaults of a probe configuration and its plan. */
void run_options_defaults(struct probe_config *cfg, struct measure_plan *plan);

/*
 * run_options_parse_cpus - --cpus of @cmd: a list of online CPUs into @cfg. 0, or CLI_EXIT_USAGE
 * after printing why the list is refused.
 */
int run_options_parse_cpus(const char *cmd, const char *arg, struct probe_config *cfg);

/*
 * run_options_check_output - @path can be created: not a folder, in a writable folder. 0, or
 * CLI_EXIT_USAGE after printing what is wrong.
 */
int run_options_check_output(const char *cmd, const char *path);

#endif
