// SPDX-License-Identifier: MIT
/* session - measure a table of probe plans into one trace file, then analyse the file. */
#include "runner/session.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "analysis/analyze/analyze.h"
#include "lib/cli_args.h"
#include "probes/registry.h"
#include "runner/progress.h"
#include "runner/recording.h"
#include "runner/run_options.h"
#include "runner/spike_marker.h"

/*
 * default_output - STEM-<host>-<UTC date and time>-XXXXXX.rst in the current folder; the X's
 * become random when the file is made (OUTFILE_UNIQUE), so nobody can plant the name first.
 */
static void default_output(const char *stem, char *buf, size_t len)
{
	struct utsname un;
	char when[32];
	time_t now = time(NULL);
	struct tm tm;

	gmtime_r(&now, &tm);
	strftime(when, sizeof(when), "%Y%m%d-%H%M%S", &tm);
	snprintf(buf, len, "%s-%s-%s-XXXXXX.rst", stem, uname(&un) ? "host" : un.nodename, when);
}

/* note - "ringscope: @what @label@why" on stderr, not under --json. */
static void note(const char *what, const char *label, const char *why)
{
	if (!cli_json_mode)
		fprintf(stderr, "ringscope: %s %s%s\n", what, label, why);
}

int session_measure(struct session_run *run, const struct probe_config *cfg)
{
	struct measure_result res;
	int rc;

	memset(&res, 0, sizeof(res));
	rc = measure_probe(run->rec->w, run->probe_id, cfg, run->plan, &run->rec->cal, &res);
	if (rc)
		snprintf(run->err, sizeof(run->err), "%s", res.err);
	run->interrupted = res.interrupted;
	return rc;
}

/* plan_config - @p's probe with its defaults, members and domains, on the session's CPUs. */
static int plan_config(const struct session_plan *p, const struct session_opts *o,
		       struct probe_config *cfg, struct session_run *run)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->probe = p->probe;
	cfg->cpus = o->cpus;
	if (probe_config_defaults(cfg)) {
		snprintf(run->err, sizeof(run->err), "unknown probe '%s'", p->probe);
		return -EINVAL;
	}
	if (p->members)
		cfg->members = p->members;
	cfg->domains = p->domains;
	return 0;
}

/* measure_plan - one plan, around its hook; a failure a stop signal caused is no failure. */
static int measure_plan(const struct session_plan *p, const struct session_opts *o,
			struct session_run *run)
{
	struct probe_config cfg;
	int rc;

	rc = plan_config(p, o, &cfg, run);
	if (!rc)
		rc = p->around ? p->around(run, &cfg) : session_measure(run, &cfg);
	if (rc && recording_stop_signal) {
		run->interrupted = true;
		rc = 0;
	}
	return rc;
}

/* needs_root - @p lays out network namespaces, which only root can make. */
static bool needs_root(const struct session_plan *p)
{
	return p->domains == PROBE_DOMAINS_NETNS && geteuid() != 0;
}

/* plans_to_run - the plans of @spec this session will measure (needs_root ones are skipped). */
static unsigned int plans_to_run(const struct session_spec *spec)
{
	unsigned int n = 0;
	size_t i;

	for (i = 0; i < spec->nplans; i++)
		n += !needs_root(&spec->plans[i]);
	return n;
}

/* plan_progress - the session's plan as progress stages: every plan, labelled by its config. */
static void plan_progress(const struct session_spec *spec, const struct session_opts *o,
			  struct progress *pg)
{
	struct session_run run = {.plan = &o->plan};
	const struct session_plan *p;
	struct probe_config cfg;
	char label[PROGRESS_LABEL_LEN];
	int i;

	for (p = spec->plans; p < spec->plans + spec->nplans; p++) {
		bool known = !plan_config(p, o, &cfg, &run);

		if (known)
			progress_label(&cfg, label, sizeof(label));
		else
			snprintf(label, sizeof(label), "%s", p->probe);
		i = progress_add_stage(pg, label, o->plan.runs, o->plan.iterations, o->plan.run_ns);
		if (i < 0)
			continue;
		/* a ring's iteration is a message round its members */
		progress_stage_kind(pg, (unsigned int)i, p->probe,
				    known && cfg.members ? cfg.members : 1);
		if (needs_root(p))
			progress_skip(pg, (unsigned int)i);
	}
}

/*
 * measure_all - every plan into @r in turn. A failed plan is reported and the session goes on;
 * a stop signal or a full file ends it. Returns the number of failed plans, the first one's
 * error in @first_err; *@interrupted says whether a signal stopped it.
 */
static int measure_all(const struct session_spec *spec, const struct session_opts *o,
		       struct recording *r, char *first_err, size_t errlen, bool *interrupted)
{
	struct session_run run = {.rec = r, .plan = &o->plan};
	struct progress *pg = o->plan.progress;
	const struct session_plan *p;
	int failed = 0, rc = 0;
	char eta[64];

	for (p = spec->plans; p < spec->plans + spec->nplans; p++) {
		if (*interrupted || recording_full(rc))
			break;
		if (needs_root(p)) {
			note("skipping", p->label, ": creating network namespaces needs root");
			continue;
		}
		progress_begin(pg, (unsigned int)(p - spec->plans), timing_mono_ns());
		memcpy(eta, "...", 4);
		progress_eta_text(pg, timing_mono_ns(), eta + 3, sizeof(eta) - 3);
		if (!pg->tty) /* on a terminal the progress line says it */
			note("measuring", p->label, eta);
		run.err[0] = '\0';
		run.interrupted = false;
		rc = measure_plan(p, o, &run);
		progress_end(pg);
		run.probe_id++;
		*interrupted = run.interrupted;
		if (!rc)
			continue;
		cli_error_text("%s'%s' failed: %s", spec->failed_prefix, p->label, run.err);
		if (!failed++)
			snprintf(first_err, errlen, "%s: %s", p->label, run.err);
	}
	progress_clear(pg);
	return failed;
}

/* check_memory - every plan's measurement fits in memory (run_options_check_memory). */
static int check_memory(const struct session_spec *spec, const struct session_opts *o)
{
	struct session_run run = {.plan = &o->plan};
	const struct session_plan *p;
	struct probe_config cfg;
	int rc = CLI_EXIT_OK;

	for (p = spec->plans; !rc && p < spec->plans + spec->nplans; p++) {
		if (!plan_config(p, o, &cfg, &run))
			rc = run_options_check_memory(spec->cmd->name, &cfg, &o->plan);
	}
	return rc;
}

/* analyze - the analysis of the file just written, as `ringscope analyze` prints it. */
static int analyze(const struct session_opts *o)
{
	struct analyze_opts a;
	char err[512];

	analyze_opts_default(&a);
	a.attr.top = o->spikes;
	a.json = cli_json_mode;
	a.note = cli_warn_line;
	if (!analyze_file(o->output, &a, stdout, err, sizeof(err)))
		return CLI_EXIT_OK;
	cli_error("%s", err);
	return CLI_EXIT_ERROR;
}

/* record - the session with its options @o: the file, every plan, the analysis. */
static int record(const struct session_spec *spec, struct session_opts *o, int argc, char **argv)
{
	char output[PATH_MAX], err[700] = "";
	bool interrupted = false, traced = false, unique = !o->output;
	struct recording r;
	struct progress pg;
	int rc, failed;

	if (unique) {
		default_output(spec->file_stem, output, sizeof(output));
		o->output = output;
	}
	rc = check_memory(spec, o);
	if (!rc)
		rc = run_options_check_output(spec->cmd->name, o->output, unique);
	if (rc)
		return rc;
	if (recording_open(&r, o->output, unique, spec->cmd->name, argc, argv))
		return CLI_EXIT_ERROR;
	o->output = r.path;
	o->plan.stop = &recording_stop_signal;
	progress_init(&pg, !cli_json_mode && cli_stderr_is_tty());
	plan_progress(spec, o, &pg);
	o->plan.progress = &pg;
	if (!o->no_trace)
		traced = recording_trace(&r, o->cpus.cpu, o->cpus.n, &o->plan);
	failed = measure_all(spec, o, &r, err, sizeof(err), &interrupted);
	if (recording_close(&r, failed ? err : NULL, interrupted)) {
		if (cli_json_mode) /* stdout's one document; stderr has why and what to do */
			cli_error("failed to finalize '%s'", o->output);
		return CLI_EXIT_ERROR;
	}
	rc = analyze(o);
	if (!cli_json_mode)
		printf("\n# trace: '%s' (%s): 'ringscope analyze %s --spikes 20' %s, 'ringscope "
		       "export %s --format csv' every %s.\n",
		       o->output, traced ? "traced" : "untraced", o->output, spec->spikes_hint,
		       o->output, spec->unit);
	if (rc)
		return rc;
	return recording_exit_code(failed > 0, interrupted);
}

int session_main(const struct session_spec *spec, int argc, char **argv)
{
	struct session_opts o = {0};
	struct spike_marker marker;
	struct cli_args a;
	int rc;

	rc = cli_parse(spec->cmd, argc, argv, (void *[]){&o}, &a);
	if (rc || a.help)
		return rc;
	if (o.no_trace && cli_args_given(&a, "trace-detail"))
		return cli_usage_error(spec->cmd->name, "--trace-detail is how a traced session "
							"traces: give it or --no-trace, not both");
	rc = run_options_duration(spec->cmd->name, &a, o.duration_ns,
				  o.plan.runs * plans_to_run(spec), &o.plan);
	if (!rc)
		rc = run_options_open_marker(spec->cmd->name, o.trace_marker, o.plan.warmup,
					     &marker);
	if (rc)
		return rc;
	o.plan.marker = o.trace_marker ? &marker : NULL;
	rc = record(spec, &o, argc, argv);
	spike_marker_close(&marker);
	return rc;
}
