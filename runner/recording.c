// SPDX-License-Identifier: MIT
/* recording - stop signals, SESSION/PLATFORM/TRACER/END chunks and the tracer, for run and session.
 */
#include "runner/recording.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include <json-c/json.h>

#include "bpf/tracer_loader.h"
#include "lib/cli.h"
#include "lib/outfile.h"
#include "runner/lighttpd.h"
#include "runner/platform.h"
#include "runner/topology.h"
#include "lib/trace/trace_writer.h"

#define CALIBRATION_MS 200

volatile sig_atomic_t recording_stop_signal;

/* on_stop_signal - let the measurement loop stop at its next iteration. */
static void on_stop_signal(int sig)
{
	recording_stop_signal = sig;
}

/*
 * install_signals - SIGINT/SIGTERM/SIGHUP (a closed terminal) set a flag, without SA_RESTART so
 * a blocked receive returns EINTR; SIGPIPE is ignored so a dead ring member shows as EPIPE, not
 * as a killed runner.
 */
static void install_signals(void)
{
	struct sigaction sa = {.sa_handler = on_stop_signal};

	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

/* session_json - the SESSION chunk: who wrote the file, how, when and where. */
static struct json_object *session_json(const char *command, int argc, char **argv)
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
	json_object_object_add(o, "command", json_object_new_string(command));
	json_object_object_add(o, "argv", args);
	json_object_object_add(o, "start_time", json_object_new_string(when));
	json_object_object_add(o, "start_mono_ns",
			       json_object_new_int64((int64_t)timing_mono_ns()));
	json_object_object_add(o, "host", json_object_new_string(uname(&un) ? "" : un.nodename));
	json_object_object_add(o, "pid", json_object_new_int((int)getpid()));
	return o;
}

/* write_header_chunks - SESSION and PLATFORM, the first chunks of the file. */
static int write_header_chunks(struct recording *r, const char *command, int argc, char **argv)
{
	struct json_object *session = session_json(command, argc, argv);
	struct json_object *platform = platform_fingerprint(&r->cal);
	int rc;

	rc = trace_writer_add_json(r->w, TRACE_CHUNK_SESSION, session);
	if (!rc)
		rc = platform ? trace_writer_add_json(r->w, TRACE_CHUNK_PLATFORM, platform)
			      : -ENOMEM;
	json_object_put(session);
	json_object_put(platform);
	return rc;
}

int recording_open(struct recording *r, const char *path, bool unique, const char *command,
		   int argc, char **argv)
{
	char err[PATH_MAX + 256];
	int rc, removed;

	memset(r, 0, sizeof(*r));
	r->path = path;
	/* the servers first: a namespace a server still lives in would outlast its name */
	removed = lighttpd_remove_stale();
	if (removed > 0)
		cli_verbose("removed %d lighttpd folders (and servers) of runs that ended",
			    removed);
	removed = topology_remove_stale();
	if (removed > 0)
		cli_verbose("removed %d network namespaces left by killed runs", removed);
	install_signals();
	rc = timing_calibrate(&r->cal, CALIBRATION_MS);
	if (rc) {
		cli_error("failed to calibrate the TSC: %s",
			  timing_calibration_error(rc, err, sizeof(err)));
		return CLI_EXIT_ERROR;
	}
	rc = outfile_open(&r->out, path, OUTFILE_EARLY | (unique ? OUTFILE_UNIQUE : 0), err,
			  sizeof(err));
	if (rc) {
		cli_error("%s", err);
		return CLI_EXIT_ERROR;
	}
	r->path = r->out.name;
	rc = trace_writer_fdopen(r->out.fd, &r->w);
	if (!rc) {
		outfile_take_fd(&r->out);
		rc = write_header_chunks(r, command, argc, argv);
		if (rc)
			trace_writer_abandon(r->w);
	}
	if (rc) {
		cli_error("failed to write '%s': %s", r->path, strerror(-rc));
		outfile_discard(&r->out);
		return CLI_EXIT_ERROR;
	}
	return CLI_EXIT_OK;
}

/* tracing_events - the tracer's records into the trace file (from its consumer thread). */
static int tracing_events(void *ctx, const struct tracer_event *ev, size_t n)
{
	struct recording *r = ctx;

	return trace_writer_add_events(r->w, ev, n);
}

/* tracing_add_pids - trace the processes a probe started (the measure's on_setup hook). */
static int tracing_add_pids(void *arg, const pid_t *pids, unsigned int npids)
{
	struct recording *r = arg;
	unsigned int i;
	int rc;

	for (i = 0; i < npids; i++) {
		rc = tracer_add_tgid(r->tracer, pids[i]);
		if (rc)
			return rc;
	}
	return 0;
}

/* tracing_remove_pids - stop tracing a probe's processes before they exit (on_teardown hook). */
static int tracing_remove_pids(void *arg, const pid_t *pids, unsigned int npids)
{
	struct recording *r = arg;
	unsigned int i;
	int rc = 0;

	for (i = 0; i < npids; i++)
		rc = rc ? rc : tracer_remove_tgid(r->tracer, pids[i]);
	return rc;
}

/*
 * tracing_set_traced - the measure's set_traced hook: before an untraced run the tracer drains
 * and detaches every program (attached but idle they cost 2.5-4 us an iteration here), before a
 * traced run it attaches them again. A resume that fails leaves the rest untraced, said once.
 */
static bool tracing_set_traced(void *arg, bool traced)
{
	struct recording *r = arg;
	char err[256] = "";
	int rc;

	if (r->tracer_failed)
		return false;
	rc = traced ? tracer_resume(r->tracer, err, sizeof(err)) : tracer_pause(r->tracer);
	if (rc && traced) {
		cli_warn("the runs from here on are untraced: %s", err[0] ? err : strerror(-rc));
		r->tracer_failed = true;
	} else if (rc && rc != -EINVAL) {
		cli_warn("events were lost while writing them: %s", strerror(-rc));
	}
	return traced && !rc;
}

/* tracing_log - libbpf's and the tracer's notes, shown under --verbose only. */
static void tracing_log(const char *line)
{
	cli_verbose("%s", line);
}

/* prog_list - the "attached" names and "skipped" [{"name", "why"}] of the tracer's programs. */
static void prog_list(const struct tracer_status *st, struct json_object *attached,
		      struct json_object *skipped)
{
	struct json_object *s;
	char name[128];
	size_t i;

	for (i = 0; i < st->nprogs; i++) {
		snprintf(name, sizeof(name), "%s:%s", st->progs[i].category, st->progs[i].event);
		if (!st->progs[i].why[0]) {
			json_object_array_add(attached, json_object_new_string(name));
			continue;
		}
		s = json_object_new_object();
		json_object_object_add(s, "name", json_object_new_string(name));
		json_object_object_add(s, "why", json_object_new_string(st->progs[i].why));
		json_object_array_add(skipped, s);
	}
}

/* cpus_json - the CPUs whose per-CPU events were recorded, or "all". */
static struct json_object *cpus_json(const struct tracer_status *st)
{
	struct json_object *cpus;
	int i;

	if (!st->ncpus)
		return json_object_new_string("all");
	cpus = json_object_new_array();
	for (i = 0; i < st->ncpus; i++)
		json_object_array_add(cpus, json_object_new_int(st->cpus[i]));
	return cpus;
}

/* aggregated_json - lean detail's counters: {"msr:write_msr ICR": n, ...}. */
static struct json_object *aggregated_json(const struct tracer_status *st)
{
	struct json_object *agg = json_object_new_object();
	int i;

	for (i = 0; i < st->naggregated; i++)
		json_object_object_add(agg, tracer_count_name((enum tracer_count)i),
				       json_object_new_int64((int64_t)st->aggregated[i]));
	return agg;
}

struct json_object *recording_tracer_json(const struct tracer_status *st, bool final)
{
	struct json_object *o = json_object_new_object(), *attached = json_object_new_array();
	struct json_object *skipped = json_object_new_array(), *per_cpu = json_object_new_array();
	bool full = st->detail == TRACER_DETAIL_FULL;
	int c;

	prog_list(st, attached, skipped);
	for (c = 0; c < st->nlost_per_cpu; c++)
		json_object_array_add(per_cpu, json_object_new_int64((int64_t)st->lost_per_cpu[c]));
	json_object_object_add(o, "attached", attached);
	json_object_object_add(o, "skipped", skipped);
	json_object_object_add(o, "events", json_object_new_int64((int64_t)st->events));
	json_object_object_add(o, "lost_events", json_object_new_int64((int64_t)st->lost));
	json_object_object_add(o, "lost_per_cpu", per_cpu);
	json_object_object_add(o, "dropped_events", json_object_new_int64((int64_t)st->dropped));
	json_object_object_add(o, "ringbuf_bytes",
			       json_object_new_int64((int64_t)st->ringbuf_bytes));
	json_object_object_add(o, "cpus", cpus_json(st));
	json_object_object_add(o, "detail", json_object_new_string(full ? "full" : "lean"));
	json_object_object_add(o, "absent_threshold_ns",
			       json_object_new_int64((int64_t)st->absent_threshold_ns));
	json_object_object_add(o, "steal_readable", json_object_new_boolean(st->steal_readable));
	/* OFFCPU records flag a wakeup from another CPU (TRACER_F_WAKE_REMOTE) */
	json_object_object_add(o, "waker_cpu", json_object_new_boolean(true));
	json_object_object_add(o, "consumer_boosts",
			       json_object_new_int64((int64_t)st->consumer_boosts));
	if (!full)
		json_object_object_add(o, "aggregated", aggregated_json(st));
	json_object_object_add(o, "final", json_object_new_boolean(final));
	return o;
}

/*
 * tracing_report - the TRACER chunk of the tracer as it stands (@final: stopped and drained).
 * The first is written as tracing starts, so that a run killed before its end still says what
 * was traced and in which detail, and readers count the events the file holds.
 */
static void tracing_report(struct recording *r, const struct tracer_status *st, bool final)
{
	struct json_object *status = recording_tracer_json(st, final);

	if (!status || trace_writer_add_json(r->w, TRACE_CHUNK_TRACER, status))
		cli_warn("failed to write the tracer's status");
	json_object_put(status);
}

bool recording_trace(struct recording *r, const int *cpus, int ncpus, struct measure_plan *plan)
{
	struct tracer_opts to = {.cpus = cpus,
				 .ncpus = ncpus,
				 .on_events = tracing_events,
				 .ctx = r,
				 .on_log = tracing_log,
				 .detail =
				     plan->trace_full ? TRACER_DETAIL_FULL : TRACER_DETAIL_LEAN};
	struct tracer_status st;
	char err[256] = "";
	int rc;

	rc = tracer_open(&to, &r->tracer, err, sizeof(err));
	if (!rc)
		rc = tracer_add_tgid(r->tracer, getpid());
	if (!rc)
		rc = tracer_start(r->tracer);
	if (rc) {
		cli_warn("untraced: %s", err[0] ? err : strerror(-rc));
		tracer_close(r->tracer);
		r->tracer = NULL;
		return false;
	}
	plan->on_setup = tracing_add_pids;
	plan->on_teardown = tracing_remove_pids;
	plan->set_traced = tracing_set_traced;
	plan->arg = r;
	tracer_peek(r->tracer, &st);
	tracing_report(r, &st, false);
	return true;
}

/* tracing_stop - stop recording, drain, and store the tracer's status as a TRACER chunk. */
static void tracing_stop(struct recording *r)
{
	struct tracer_status st;
	uint64_t refused;
	bool refusing;
	int rc;

	if (!r->tracer)
		return;
	rc = tracer_stop(r->tracer, &st);
	refused = trace_writer_events_refused(r->w, &refusing);
	/* the events the writer took and then dropped: dropped ones, not written ones */
	st.dropped += refused;
	st.events -= refused < st.events ? refused : st.events;
	if (refusing)
		cli_warn("the disk is nearly full: %" PRIu64 " kernel events were dropped to keep "
			 "room for the samples (free space, or give -o a file elsewhere)",
			 (uint64_t)st.dropped);
	else if (rc)
		cli_warn("events were lost while writing them: %s", strerror(-rc));
	tracing_report(r, &st, true);
	tracer_close(r->tracer);
	r->tracer = NULL;
}

/* end_json - the END chunk: how the recording ended, and why if it failed. */
static struct json_object *end_json(const char *error, bool interrupted)
{
	struct json_object *o = json_object_new_object();
	const char *status = error ? "error" : interrupted ? "interrupted" : "ok";

	json_object_object_add(o, "status", json_object_new_string(status));
	if (error)
		json_object_object_add(o, "error", json_object_new_string(error));
	if (interrupted && recording_stop_signal)
		json_object_object_add(o, "signal",
				       json_object_new_string(strsignal(recording_stop_signal)));
	json_object_object_add(o, "end_mono_ns", json_object_new_int64((int64_t)timing_mono_ns()));
	return o;
}

/*
 * finalize_error - why @path could not be finalized (@rc), and what to do. On stderr also under
 * --json, where stdout is the command's one JSON document (its own "error" says it failed).
 */
static void finalize_error(const char *path, int rc)
{
	cli_error_text("failed to finalize '%s': %s (%s; it reads up to its last whole chunk)",
		       path, strerror(-rc),
		       rc == -ENOSPC || rc == -EDQUOT ? "free space, or give -o a file elsewhere"
						      : "give -o a file elsewhere");
}

int recording_close(struct recording *r, const char *error, bool interrupted)
{
	struct json_object *end;
	int rc;

	tracing_stop(r);
	end = end_json(error, interrupted);
	rc = trace_writer_close(r->w, end);
	json_object_put(end);
	r->w = NULL;
	if (rc)
		finalize_error(r->path, rc);
	return rc ? -EIO : 0;
}

int recording_exit_code(bool failed, bool interrupted)
{
	if (failed)
		return CLI_EXIT_ERROR;
	if (interrupted && recording_stop_signal)
		return 128 + recording_stop_signal;
	return CLI_EXIT_OK;
}

bool recording_full(int rc)
{
	return rc == -ENOSPC || rc == -EDQUOT || rc == -EFBIG;
}
