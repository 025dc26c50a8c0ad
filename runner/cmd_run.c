// SPDX-License-Identifier: MIT
/*
 * cmd_run - `ringscope run`: one probe, runs x iterations, one trace file. Validates everything
 * first (bad usage creates nothing), finalizes the file on error and on SIGINT/SIGTERM, removes
 * the network namespaces it made, and traces the run with eBPF under --trace.
 */
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include <json-c/json.h>

#include "bpf/tracer_loader.h"
#include "runner/cli.h"
#include "runner/commands.h"
#include "runner/measure.h"
#include "runner/platform.h"
#include "runner/run_options.h"
#include "runner/topology.h"
#include "runner/trace_writer.h"

#define CALIBRATION_MS 200

/* The signal that asked the run to stop (SIGINT, SIGTERM), 0 while none did. */
static volatile sig_atomic_t stop_signal;

/* on_stop_signal - let the measurement loop stop at its next iteration. */
static void on_stop_signal(int sig)
{
	stop_signal = sig;
}

/*
 * install_signals - SIGINT/SIGTERM set a flag, without SA_RESTART so a blocked receive returns
 * EINTR; SIGPIPE is ignored so a dead ring member shows as EPIPE, not as a killed runner.
 */
static void install_signals(void)
{
	struct sigaction sa = {.sa_handler = on_stop_signal};

	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

/* session_json - the SESSION chunk: who wrote the file, how, when and where. */
static struct json_object *session_json(int argc, char **argv)
{
	struct json_object *o = json_object_new_object(), *args = json_object_new_array();
	struct timespec now;
	struct utsname un;
	char when[64];
	struct tm tm;
	int i;

	for (i = 0; i < argc; i++)
		json_object_array_add(args, json_object_new_string(argv[i]));
	clock_gettime(CLOCK_REALTIME, &now);
	gmtime_r(&now.tv_sec, &tm);
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
	json_object_object_add(o, "tool", json_object_new_string("ringscope"));
	json_object_object_add(o, "command", json_object_new_string("run"));
	json_object_object_add(o, "argv", args);
	json_object_object_add(o, "start_time", json_object_new_string(when));
	json_object_object_add(o, "start_mono_ns",
			       json_object_new_int64((int64_t)timing_mono_ns()));
	json_object_object_add(o, "host", json_object_new_string(uname(&un) ? "" : un.nodename));
	json_object_object_add(o, "pid", json_object_new_int((int)getpid()));
	return o;
}

/* write_header_chunks - SESSION and PLATFORM, the first chunks of the file. */
static int write_header_chunks(struct trace_writer *w, int argc, char **argv,
			       const struct timing_calibration *cal)
{
	struct json_object *session = session_json(argc, argv);
	struct json_object *platform = platform_fingerprint(cal);
	int rc;

	rc = trace_writer_add_json(w, TRACE_CHUNK_SESSION, session);
	if (!rc)
		rc = platform ? trace_writer_add_json(w, TRACE_CHUNK_PLATFORM, platform) : -ENOMEM;
	json_object_put(session);
	json_object_put(platform);
	return rc;
}

/* tracing - the tracer of a --trace run and where its events go. */
struct tracing {
	struct tracer *tracer;
	struct trace_writer *w;
};

/* tracing_events - the tracer's records into the trace file (from its consumer thread). */
static int tracing_events(void *ctx, const struct tracer_event *ev, size_t n)
{
	struct tracing *t = ctx;

	return trace_writer_add_events(t->w, ev, n);
}

/* tracing_add_pids - trace the processes a probe started (the measure's on_setup hook). */
static int tracing_add_pids(void *arg, const pid_t *pids, unsigned int npids)
{
	struct tracing *t = arg;
	unsigned int i;
	int rc;

	for (i = 0; i < npids; i++) {
		rc = tracer_add_tgid(t->tracer, pids[i]);
		if (rc) {
			cli_warn("process %d is not traced: %s", (int)pids[i], strerror(-rc));
			return rc;
		}
	}
	return 0;
}

/* tracing_log - libbpf's and the tracer's notes, shown under --verbose only. */
static void tracing_log(const char *line)
{
	cli_verbose("%s", line);
}

/*
 * tracing_start - open the tracer on the run's CPUs, follow the runner, start recording. Without
 * root or BPF the run goes on untraced after one warning line.
 */
static void tracing_start(struct tracing *t, struct run_options *o)
{
	struct tracer_opts to = {.cpus = o->cfg.cpus,
				 .ncpus = o->cfg.ncpus,
				 .on_events = tracing_events,
				 .ctx = t,
				 .on_log = tracing_log};
	char err[256] = "";
	int rc;

	rc = tracer_open(&to, &t->tracer, err, sizeof(err));
	if (!rc)
		rc = tracer_add_tgid(t->tracer, getpid());
	if (!rc)
		rc = tracer_start(t->tracer);
	if (rc) {
		cli_warn("this run is untraced: %s", err[0] ? err : strerror(-rc));
		tracer_close(t->tracer);
		t->tracer = NULL;
		return;
	}
	cli_verbose("tracing the run's processes and %s", o->cfg.ncpus ? "its CPUs" : "all CPUs");
	o->plan.on_setup = tracing_add_pids;
	o->plan.arg = t;
}

/* tracing_stop - stop recording, drain, and store the tracer's status as a TRACER chunk. */
static void tracing_stop(struct tracing *t)
{
	struct json_object *status = NULL;
	int rc;

	if (!t->tracer)
		return;
	rc = tracer_stop(t->tracer, &status);
	if (rc)
		cli_warn("events were lost while writing them: %s", strerror(-rc));
	if (status && trace_writer_add_json(t->w, TRACE_CHUNK_TRACER, status))
		cli_warn("failed to write the tracer's status");
	json_object_put(status);
	tracer_close(t->tracer);
	t->tracer = NULL;
}

/* end_json - the END chunk: how the run ended, and why if it failed. */
static struct json_object *end_json(const struct measure_result *res, int rc)
{
	struct json_object *o = json_object_new_object();
	const char *status = rc ? "error" : res->interrupted ? "interrupted" : "ok";

	json_object_object_add(o, "status", json_object_new_string(status));
	if (rc)
		json_object_object_add(o, "error", json_object_new_string(res->err));
	if (res->interrupted && stop_signal)
		json_object_object_add(o, "signal", json_object_new_string(strsignal(stop_signal)));
	json_object_object_add(o, "end_mono_ns", json_object_new_int64((int64_t)timing_mono_ns()));
	return o;
}

/* print_summary_json - the final summary as one JSON object on stdout. */
static void print_summary_json(const struct run_options *o, const struct measure_result *res,
			       int rc)
{
	struct json_object *j = end_json(res, rc), *stats = json_object_new_object();
	const struct stats_summary *s = &res->stats;

	json_object_object_del(j, "end_mono_ns");
	json_object_object_add(j, "output", json_object_new_string(o->output));
	json_object_object_add(j, "probe", json_object_new_string(o->cfg.probe));
	json_object_object_add(j, "runs", json_object_new_int((int)res->runs_done));
	json_object_object_add(j, "samples", json_object_new_int64((int64_t)res->samples));
	json_object_object_add(j, "bad_messages", json_object_new_int64((int64_t)res->bad));
	json_object_object_add(j, "lost", json_object_new_int64((int64_t)res->lost));
	json_object_object_add(j, "late", json_object_new_int64((int64_t)res->late));
	json_object_object_add(stats, "p50_ns",
			       s->n ? json_object_new_int64(llround(s->p50)) : NULL);
	json_object_object_add(stats, "p99_ns",
			       s->n ? json_object_new_int64(llround(s->p99)) : NULL);
	json_object_object_add(stats, "max_ns",
			       s->n ? json_object_new_int64(llround(s->max)) : NULL);
	json_object_object_add(j, "stats", stats);
	puts(json_object_to_json_string_ext(j, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
						   JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(j);
}

/* print_summary - one paragraph: what was measured, the percentiles, and where the file is. */
static void print_summary(const struct run_options *o, const struct measure_result *res, int rc)
{
	const struct stats_summary *s = &res->stats;

	if (o->json) {
		print_summary_json(o, res, rc);
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
		printf(", p50 %.3f us, p99 %.3f us, max %.3f us", s->p50 / 1e3, s->p99 / 1e3,
		       s->max / 1e3);
	printf(", %llu bad, %llu late, %llu lost.\ntrace written to '%s': 'ringscope analyze %s' "
	       "shows the statistics.\n",
	       (unsigned long long)res->bad, (unsigned long long)res->late,
	       (unsigned long long)res->lost, o->output, o->output);
}

/* exit_code - 0 ok, 1 error, 128 + signal when SIGINT/SIGTERM stopped the run. */
static int exit_code(const struct measure_result *res, int rc)
{
	if (rc)
		return CLI_EXIT_ERROR;
	if (res->interrupted && stop_signal)
		return 128 + stop_signal;
	return CLI_EXIT_OK;
}

/* measure_traced - the measurement itself, between tracer start and stop (under --trace). */
static int measure_traced(struct trace_writer *w, struct run_options *o,
			  const struct timing_calibration *cal, struct measure_result *res)
{
	struct tracing t = {.w = w};
	int rc;

	if (o->trace)
		tracing_start(&t, o);
	rc = measure_probe(w, 0, &o->cfg, &o->plan, cal, res);
	tracing_stop(&t);
	return rc;
}

int cmd_run(int argc, char **argv)
{
	struct timing_calibration cal;
	struct measure_result res = {0};
	struct json_object *end;
	struct trace_writer *w;
	struct run_options o;
	int rc, removed;

	rc = run_options_parse(argc, argv, &o);
	if (rc || o.help)
		return rc;
	removed = topology_remove_stale();
	if (removed > 0)
		cli_verbose("removed %d network namespaces left by killed runs", removed);
	install_signals();
	o.plan.stop = &stop_signal;
	o.plan.progress = cli_stderr_is_tty();
	rc = timing_calibrate(&cal, CALIBRATION_MS);
	if (rc) {
		cli_error("failed to calibrate the TSC: %s%s", strerror(-rc),
			  rc == -ENOTSUP ? " (ringscope needs a constant, nonstop TSC)" : "");
		return CLI_EXIT_ERROR;
	}
	cli_verbose("TSC %.6f GHz +- %.0f Hz, step %llu ticks, stamp pair %.1f ns",
		    cal.tsc_hz / 1e9, cal.tsc_hz_err, (unsigned long long)cal.tsc_step_ticks,
		    cal.stamp_cost_ns);
	rc = trace_writer_open(o.output, &w);
	if (rc) {
		cli_error("failed to create '%s': %s", o.output, strerror(-rc));
		return CLI_EXIT_ERROR;
	}
	rc = write_header_chunks(w, argc, argv, &cal);
	if (rc)
		snprintf(res.err, sizeof(res.err), "failed to write '%s': %s", o.output,
			 strerror(-rc));
	else
		rc = measure_traced(w, &o, &cal, &res);
	end = end_json(&res, rc);
	if (trace_writer_close(w, end) && !rc) {
		rc = -EIO;
		snprintf(res.err, sizeof(res.err), "failed to finalize '%s'", o.output);
	}
	json_object_put(end);
	print_summary(&o, &res, rc);
	return exit_code(&res, rc);
}
