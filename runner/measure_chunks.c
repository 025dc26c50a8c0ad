// SPDX-License-Identifier: MIT
/* measure_chunks - the JSON chunks a measurement writes: PROBE, one RUN per run, PROBE_END. */
#include "runner/measure_chunks.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <json-c/json.h>

#include "lib/trace/trace_writer.h"
#include "probes/registry.h"
#include "runner/spike_marker.h"

/* cpus_json - the --cpus list as a JSON array. */
static struct json_object *cpus_json(const struct probe_config *cfg)
{
	struct json_object *a = json_object_new_array();
	int i;

	for (i = 0; i < cfg->cpus.n; i++)
		json_object_array_add(a, json_object_new_int(cfg->cpus.cpu[i]));
	return a;
}

/* measure_config_json - the PROBE chunk's "config" object of @cfg under @plan (a new reference). */
static struct json_object *measure_config_json(const struct probe_config *cfg,
					       const struct measure_plan *plan)
{
	const struct probe_ops *ops = probe_find(cfg->probe);
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "runs", json_object_new_int((int)plan->runs));
	json_object_object_add(o, "iterations", json_object_new_int((int)plan->iterations));
	json_object_object_add(o, "warmup", json_object_new_int((int)plan->warmup));
	json_object_object_add(o, "interval_ns", json_object_new_int64((int64_t)plan->interval_ns));
	if (plan->run_ns) /* --duration: "iterations" is then each run's cap */
		json_object_object_add(o, "run_duration_ns",
				       json_object_new_int64((int64_t)plan->run_ns));
	json_object_object_add(o, "keep_ring", json_object_new_boolean(plan->keep_ring));
	json_object_object_add(o, "cpus", cpus_json(cfg));
	if (ops && ops->config_json)
		ops->config_json(cfg, o);
	return o;
}

/* add_json - write one JSON chunk and drop the reference; a write error is the measure's error. */
static int add_json(struct measure_state *st, uint32_t type, struct json_object *o)
{
	int rc = trace_writer_add_json(st->w, type, o);

	json_object_put(o);
	if (rc)
		snprintf(st->res->err, sizeof(st->res->err), "failed to write the trace: %s",
			 strerror(-rc));
	return rc;
}

int measure_write_probe(struct measure_state *st)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "probe_id", json_object_new_int((int)st->probe_id));
	json_object_object_add(o, "probe", json_object_new_string(st->cfg->probe));
	json_object_object_add(o, "config", measure_config_json(st->cfg, st->plan));
	/* the thread that runs the timed iterations: attribution joins its events with them */
	json_object_object_add(o, "timed_tid", json_object_new_int((int)gettid()));
	return add_json(st, TRACE_CHUNK_PROBE, o);
}

/* run_status - "ok", "interrupted" or "error" for a RUN or PROBE_END chunk. */
static const char *run_status(const struct measure_state *st, int rc)
{
	return rc ? "error" : st->res->interrupted ? "interrupted" : "ok";
}

/* add_ns - a latency key, or null when there is no good sample. */
static void add_ns(struct json_object *o, const char *key, size_t n, double v)
{
	json_object_object_add(o, key, n ? json_object_new_int64(llround(v)) : NULL);
}

int measure_write_run(struct measure_state *st, unsigned int run, const struct run_mark *m, int rc)
{
	struct json_object *o = json_object_new_object(), *p = json_object_new_object();
	const struct measure_result *r = st->res;
	struct stats_summary sum = {0};

	if (st->ngood > m->good)
		stats_summarize(st->good + m->good, st->ngood - m->good, &sum);
	json_object_object_add(o, "probe_id", json_object_new_int((int)st->probe_id));
	json_object_object_add(o, "run", json_object_new_int((int)run));
	json_object_object_add(o, "status", json_object_new_string(run_status(st, rc)));
	if (st->plan->set_traced)
		json_object_object_add(o, "traced", json_object_new_boolean(m->traced));
	json_object_object_add(o, "samples",
			       json_object_new_int64((int64_t)(r->samples - m->samples)));
	json_object_object_add(o, "bad_messages",
			       json_object_new_int64((int64_t)(r->bad - m->bad)));
	json_object_object_add(o, "late", json_object_new_int64((int64_t)(r->late - m->late)));
	json_object_object_add(o, "lost", json_object_new_int64((int64_t)(r->lost - m->lost)));
	if (st->account)
		st->ops->account->to_json(st->account, o, false);
	json_object_object_add(o, "start_mono_ns", json_object_new_int64((int64_t)m->start_ns));
	json_object_object_add(o, "end_mono_ns", json_object_new_int64((int64_t)timing_mono_ns()));
	add_ns(o, "p50_ns", sum.n, sum.p50);
	add_ns(o, "p99_ns", sum.n, sum.p99);
	add_ns(o, "max_ns", sum.n, sum.max);
	json_object_object_add(p, "cpu_a", json_object_new_int(m->cpus[0]));
	json_object_object_add(p, "cpu_b", json_object_new_int(m->cpus[1]));
	json_object_object_add(p, "rtt_ns", isnan(m->rtt) ? NULL : json_object_new_double(m->rtt));
	json_object_object_add(o, "placement", p);
	if (st->plan->marker)
		spike_marker_run_json(st->plan->marker, o);
	if (rc)
		json_object_object_add(o, "error", json_object_new_string(st->res->err));
	return add_json(st, TRACE_CHUNK_RUN, o);
}

int measure_write_probe_end(struct measure_state *st, int rc)
{
	struct json_object *o = json_object_new_object();
	const struct measure_result *r = st->res;

	json_object_object_add(o, "probe_id", json_object_new_int((int)st->probe_id));
	json_object_object_add(o, "status", json_object_new_string(run_status(st, rc)));
	json_object_object_add(o, "runs", json_object_new_int((int)r->runs_done));
	json_object_object_add(o, "samples", json_object_new_int64((int64_t)r->samples));
	json_object_object_add(o, "bad_messages", json_object_new_int64((int64_t)r->bad));
	json_object_object_add(o, "lost", json_object_new_int64((int64_t)r->lost));
	json_object_object_add(o, "late", json_object_new_int64((int64_t)r->late));
	if (st->account)
		st->ops->account->to_json(st->account, o, true);
	if (rc)
		json_object_object_add(o, "error", json_object_new_string(r->err));
	return add_json(st, TRACE_CHUNK_PROBE_END, o);
}
