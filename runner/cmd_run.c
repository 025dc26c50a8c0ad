// SPDX-License-Identifier: MIT
/*
 * cmd_run - `ringscope run`: one probe, runs x iterations, one trace file. Validates everything
 * first (bad usage creates nothing), finalizes the file on error and on SIGINT/SIGTERM, removes
 * the network namespaces it made, and traces the run with eBPF under --trace.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "lib/cli.h"
#include "runner/commands.h"
#include "runner/measure.h"
#include "runner/progress.h"
#include "runner/recording.h"
#include "runner/run_options.h"
#include "runner/spike_marker.h"

/* print_summary_json - the final summary as one JSON object on stdout. */
static void print_summary_json(const struct run_options *o, const struct measure_result *res,
			       int rc, bool whole)
{
	struct json_object *j = json_object_new_object(), *stats = json_object_new_object();
	const struct stats_summary *s = &res->stats;
	const char *status = rc ? "error" : res->interrupted ? "interrupted" : "ok";

	json_object_object_add(j, "status", json_object_new_string(status));
	if (rc)
		json_object_object_add(j, "error", json_object_new_string(res->err));
	json_object_object_add(j, "output", json_object_new_string(o->output));
	json_object_object_add(j, "complete", json_object_new_boolean(whole));
	json_object_object_add(j, "probe", json_object_new_string(o->cfg.probe));
	json_object_object_add(j, "runs", json_object_new_int((int)res->runs_done));
	json_object_object_add(j, "samples", json_object_new_int64((int64_t)res->samples));
	json_object_object_add(j, "bad_messages", json_object_new_int64((int64_t)res->bad));
	json_object_object_add(j, "lost", json_object_new_int64((int64_t)res->lost));
	json_object_object_add(j, "restarts", json_object_new_int64((int64_t)res->restarts));
	json_object_object_add(j, "late", json_object_new_int64((int64_t)res->late));
	json_object_object_add(stats, "p50_ns",
			       s->n ? json_object_new_int64(llround(s->p50)) : NULL);
	json_object_object_add(stats, "p99_ns",
			       s->n ? json_object_new_int64(llround(s->p99)) : NULL);
	json_object_object_add(stats, "max_ns",
			       s->n ? json_object_new_int64(llround(s->max)) : NULL);
	json_object_object_add(stats, "runs_used",
			       json_object_new_string(res->stats_untraced ? "untraced" : "all"));
	json_object_object_add(j, "stats", stats);
	cli_print_json(stdout, j);
	json_object_put(j);
}

/*
 * print_summary - one paragraph: what was measured, the percentiles, and where the file is
 * (@whole: it was finalized; else it reads up to its last whole chunk).
 */
static void print_summary(const struct run_options *o, const struct measure_result *res, int rc,
			  bool whole)
{
	const struct stats_summary *s = &res->stats;

	if (cli_json_mode) {
		print_summary_json(o, res, rc, whole);
		return;
	}
	if (rc)
		cli_error("%s", res->err);
	printf("probe '%s'%s: %u of %u runs x %u iterations, %llu samples", o->cfg.probe,
	       res->interrupted ? " (interrupted)"
	       : rc		? " (failed)"
				: "",
	       res->runs_done, o->plan.runs, o->plan.iterations, (unsigned long long)res->samples);
	if (s->n)
		printf(", p50 %.3f us, p99 %.3f us, max %.3f us%s", s->p50 / 1e3, s->p99 / 1e3,
		       s->max / 1e3, res->stats_untraced ? " (the untraced runs')" : "");
	printf(", %llu bad, %llu late, %llu lost", (unsigned long long)res->bad,
	       (unsigned long long)res->late, (unsigned long long)res->lost);
	if (res->restarts) /* the ring's supervisor rebuilt it: say so where it is read first */
		printf(", %llu restart%s", (unsigned long long)res->restarts,
		       res->restarts == 1 ? "" : "s");
	if (whole && rc)
		printf(".\ntrace written to '%s', ending with the error: 'ringscope analyze %s' "
		       "shows what was measured before it.\n",
		       o->output, o->output);
	else if (whole)
		printf(".\ntrace written to '%s': 'ringscope analyze %s' shows the statistics.\n",
		       o->output, o->output);
	else
		printf(".\ntrace '%s' is incomplete: 'ringscope analyze %s' reads it up to its "
		       "last whole chunk.\n",
		       o->output, o->output);
}

/*
 * topology_fix - append to @res->err how to fix a member of the topology file that could not
 * listen (@rc from the measurement): the probe knows the member, the file is the runner's.
 */
static void topology_fix(const struct run_options *o, int rc, struct measure_result *res)
{
	const char *file = o->topology_path;
	size_t used = strlen(res->err);

	if (file && rc == -EADDRINUSE)
		snprintf(res->err + used, sizeof(res->err) - used,
			 " (free the port, or give that member another port= in '%s'; port=0 takes "
			 "any free one)",
			 file);
	else if (file && rc == -EADDRNOTAVAIL)
		snprintf(res->err + used, sizeof(res->err) - used,
			 " (give that member an addr= of its own host or namespace in '%s')", file);
}

/* run_main - `ringscope run`: parse, record, measure, finalize, summarize. */
static int run_main(int argc, char **argv)
{
	struct measure_result res = {0};
	char label[PROGRESS_LABEL_LEN];
	struct recording r;
	struct run_options o;
	struct progress pg;
	struct spike_marker marker;
	bool whole;
	int rc;

	rc = run_options_parse(&run_command, argc, argv, &o);
	if (!rc && !o.help)
		rc = run_options_open_marker("run", o.trace_marker, o.plan.warmup, &marker);
	if (rc || o.help)
		return rc;
	o.plan.marker = o.trace_marker ? &marker : NULL;
	if (recording_open(&r, o.output, false, "run", argc, argv)) {
		spike_marker_close(&marker);
		return CLI_EXIT_ERROR;
	}
	o.plan.stop = &recording_stop_signal;
	progress_init(&pg, cli_stderr_is_tty());
	progress_label(&o.cfg, label, sizeof(label));
	progress_add_stage(&pg, label, o.plan.runs, o.plan.iterations, o.plan.run_ns);
	progress_begin(&pg, 0, timing_mono_ns());
	o.plan.progress = &pg;
	if (o.trace)
		recording_trace(&r, o.cfg.cpus.cpu, o.cfg.cpus.n, &o.plan);
	rc = measure_probe(r.w, 0, &o.cfg, &o.plan, &r.cal, &res);
	progress_end(&pg);
	progress_clear(&pg);
	spike_marker_close(&marker);
	whole = !recording_close(&r, rc ? res.err : NULL, res.interrupted);
	if (!whole && !rc) {
		rc = -EIO;
		snprintf(res.err, sizeof(res.err), "failed to finalize '%s'", o.output);
	}
	topology_fix(&o, rc, &res);
	print_summary(&o, &res, rc, whole);
	return recording_exit_code(rc != 0, res.interrupted);
}

const struct cli_command run_command = {
    .name = "run",
    .summary = "run one probe for runs x iterations and write a trace file",
    .synopsis = "--probe NAME [options] -o FILE",
    .description = "Runs one probe for runs x iterations and writes every timed iteration to a "
		   "trace file. A probe's options are taken with that probe only. Numbers are "
		   "strict: a whole decimal number, then the option's unit suffix if it has one.",
    .groups = run_option_groups,
    .epilogue = "Exit status: 0 done, 1 error (the file is finalized with the error), 2 bad "
		"usage (nothing created), 130/143 interrupted by SIGINT/SIGTERM (the file is "
		"finalized).",
    .main = run_main,
};
