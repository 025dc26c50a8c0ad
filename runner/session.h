/* SPDX-License-Identifier: MIT */
/*
 * session - the driver of `session` and `http-session`: a table of probe plans measured in turn
 * into one trace file, traced when it can be, then the analysis of that file (analyze_file). A
 * plan that fails is reported and the others still run; a stop signal or a full disk ends it.
 */
#ifndef RINGSCOPE_SESSION_H
#define RINGSCOPE_SESSION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/cli.h"
#include "lib/cli_command.h"
#include "probes/probe.h"
#include "runner/measure.h"

struct recording;

/* session_opts - what a session command's options set (its table writes here). */
struct session_opts {
	struct measure_plan plan;
	struct cli_cpus cpus;
	const char *output;  /* NULL: DEFAULT-HOST-DATE.rst here (session_spec.file_stem) */
	unsigned int spikes; /* shown per probe by the analysis; 0: none */
	bool no_trace;
	unsigned int trace_marker; /* --trace-marker: enum spike_marker_when */
	uint64_t duration_ns;	   /* --duration; 0: not given */
};

/* session_run - one plan being measured, as its hook sees it. */
struct session_run {
	struct recording *rec;
	const struct measure_plan *plan; /* its on_setup/on_teardown follow the tracer */
	uint32_t probe_id;
	bool interrupted; /* a stop signal ended the measurement */
	char err[600];	  /* why it failed */
};

/* session_plan - one probe configuration of a session. */
struct session_plan {
	const char *label;
	const char *probe;
	unsigned int members; /* 0: the probe's default */
	enum probe_domains domains;
	/*
	 * around - the plan's own place around its measurement (http: a lighttpd, and where it
	 * runs): make it, set what the probe needs in @cfg, call session_measure(), undo it all.
	 * NULL: session_measure() alone. 0 or -errno with run->err set.
	 */
	int (*around)(struct session_run *run, struct probe_config *cfg);
};

/* session_spec - a session command: its plans and what its output says. */
struct session_spec {
	const struct cli_command *cmd;
	const char *file_stem; /* the default file: STEM-HOST-DATE.rst */
	const struct session_plan *plans;
	size_t nplans;
	const char *failed_prefix; /* before "'LABEL' failed: ..." ("probe ") */
	const char *spikes_hint;   /* what 'analyze --spikes 20' shows, in the closing line */
	const char *unit;	   /* what one row of the CSV export is ("sample") */
};

/* session_measure - measure @cfg as run->probe_id into the file. 0 or -errno, run->err set. */
int session_measure(struct session_run *run, const struct probe_config *cfg);

/*
 * session_main - the session command @spec: its options (spec->cmd's table, written into a
 * struct session_opts), then the output checked, every plan recorded, the file analysed and
 * where it is said. @argc/@argv also go into the file. Returns the exit code: 0, 1 when a plan
 * failed (the others still ran) or the file could not be finalized or analysed, 2 bad usage,
 * 128 + N after signal N.
 */
int session_main(const struct session_spec *spec, int argc, char **argv);

#endif
