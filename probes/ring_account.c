// SPDX-License-Identifier: MIT
/*
 * ring_account - what the ring's forwarders and supervisor add to a measurement: per-hop wire
 * and residence times of the good round trips (from the TSC stamps in the message), the lost
 * messages with their run and iteration, and the restarts. Written into RUN and PROBE_END.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "lib/quiet_mem.h"
#include "lib/stats.h"
#include "lib/timing.h"
#include "probes/ring.h"
#include "probes/ring_msg.h"

/* The most lost messages a chunk lists one by one ("lost" counts them all). */
#define LOST_LISTED_MAX 1000

/* lost - one lost message. */
struct lost {
	uint32_t run;
	uint32_t iteration;
	bool warmup;
};

struct account {
	unsigned int hops; /* members of the stamped ring, 0 before the first stamped sample */
	/*
	 * Per good sample and hop i (member i -> member i+1 mod hops): wire[i], the time from the
	 * send of member i to the receive of the next member, and res[i], the time inside that
	 * member before it passed the message on (hop hops-1 ends at the master: no residence).
	 */
	float *wire[PROBE_MAX_MEMBERS];
	float *res[PROBE_MAX_MEMBERS];
	size_t n, cap, run_first; /* samples held; the first of the current run */
	size_t per_run;		  /* iterations a run records: the room made before each run */
	struct lost *lost;
	size_t nlost, lost_cap, lost_run_first;
	uint64_t restarts, run_restarts; /* in all; when the current run began */
};

/*
 * grow - room for at least @want values in every hop array (quiet memory: the timed loop
 * writes them, lib/quiet_mem.h). 0 or -ENOMEM.
 */
static int grow(struct account *r, size_t want)
{
	size_t cap = r->cap ? r->cap * 2 : 4096;
	unsigned int i;
	float *v;

	cap = cap > want ? cap : want;
	for (i = 0; i < r->hops; i++) {
		v = quiet_realloc(r->wire[i], r->cap * sizeof(*v), cap * sizeof(*v));
		if (!v)
			return -ENOMEM;
		r->wire[i] = v;
		v = quiet_realloc(r->res[i], r->cap * sizeof(*v), cap * sizeof(*v));
		if (!v)
			return -ENOMEM;
		r->res[i] = v;
	}
	r->cap = cap;
	return 0;
}

/* ticks_ns - a signed TSC difference in ns (a cross-CPU skew may make a short one negative). */
static float ticks_ns(const struct timing_calibration *cal, uint64_t from, uint64_t to)
{
	return (float)((double)(int64_t)(to - from) * 1e9 / cal->tsc_hz);
}

/* add_hops - the hop times of one good sample from @ctx's stamps (nothing when it has none). */
static int add_hops(struct account *r, const struct probe_ctx *ctx,
		    const struct timing_calibration *cal)
{
	const uint64_t *rx, *tx;
	unsigned int i, next, n = ring_stamps(ctx, &rx, &tx);

	if (!n || n > PROBE_MAX_MEMBERS || (r->hops && n != r->hops))
		return 0;
	r->hops = n;
	if (r->n == r->cap && grow(r, r->n + r->per_run))
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		next = (i + 1) % n;
		r->wire[i][r->n] = ticks_ns(cal, tx[i], rx[next]);
		r->res[i][r->n] = next ? ticks_ns(cal, rx[next], tx[next]) : 0;
	}
	r->n++;
	return 0;
}

/* add_lost - a message lost in @run at @iteration. 0 or -ENOMEM. */
static int add_lost(struct account *r, uint32_t run, uint32_t iteration, bool warmup)
{
	struct lost *v;

	if (r->nlost == r->lost_cap) {
		r->lost_cap = r->lost_cap ? r->lost_cap * 2 : 16;
		v = realloc(r->lost, r->lost_cap * sizeof(*v));
		if (!v)
			return -ENOMEM;
		r->lost = v;
	}
	r->lost[r->nlost++] = (struct lost){run, iteration, warmup};
	return 0;
}

/* account_iteration - the restarts of every iteration, hops of a good one, a lost message. */
static int account_iteration(void *acc, const struct probe_ctx *ctx,
			     const struct probe_iteration *it, int rc,
			     const struct timing_calibration *cal)
{
	struct account *r = acc;

	r->restarts += ctx->restarts;
	if (rc == 0 && !it->is_warmup)
		return add_hops(r, ctx, cal);
	if (rc == PROBE_ITERATION_LOST)
		return add_lost(r, it->run, it->iteration, it->is_warmup);
	return 0;
}

/* account_run_begins - what follows belongs to a new run. */
static void account_run_begins(void *acc)
{
	struct account *r = acc;

	/* the whole run's room now, before the loop; on -ENOMEM add_hops tries again and says so */
	if (r->hops && r->cap < r->n + r->per_run)
		grow(r, r->n + r->per_run);
	r->run_first = r->n;
	r->lost_run_first = r->nlost;
	r->run_restarts = r->restarts;
}

/* add_percentiles - "@prefix_p50_ns" and "@prefix_p99_ns" of @n values (null when none). */
static void add_percentiles(struct json_object *o, const char *prefix, const float *v, size_t n)
{
	char key[32];
	double *d = n ? malloc(n * sizeof(*d)) : NULL;
	size_t i;

	for (i = 0; d && i < n; i++)
		d[i] = v[i];
	if (d)
		stats_sort(d, n);
	snprintf(key, sizeof(key), "%s_p50_ns", prefix);
	json_object_object_add(
	    o, key, d ? json_object_new_int64(llround(stats_percentile(d, n, 0.5))) : NULL);
	snprintf(key, sizeof(key), "%s_p99_ns", prefix);
	json_object_object_add(
	    o, key, d ? json_object_new_int64(llround(stats_percentile(d, n, 0.99))) : NULL);
	free(d);
}

/* hops_json - per hop: its members, wire and residence percentiles over values [@first, n). */
static struct json_object *hops_json(const struct account *r, size_t first)
{
	struct json_object *a = json_object_new_array(), *h;
	unsigned int i, next;

	for (i = 0; i < r->hops; i++) {
		next = (i + 1) % r->hops;
		h = json_object_new_object();
		json_object_object_add(h, "from", json_object_new_int((int)i));
		json_object_object_add(h, "to", json_object_new_int((int)next));
		add_percentiles(h, "wire", r->wire[i] + first, r->n - first);
		if (next)
			add_percentiles(h, "residence", r->res[i] + first, r->n - first);
		json_object_array_add(a, h);
	}
	return a;
}

/* lost_json - the lost messages [@first, nlost) as [{"run", "iteration", "warmup"?}]. */
static struct json_object *lost_json(const struct account *r, size_t first)
{
	struct json_object *a = json_object_new_array(), *l;
	size_t i;

	for (i = first; i < r->nlost && i - first < LOST_LISTED_MAX; i++) {
		l = json_object_new_object();
		json_object_object_add(l, "run", json_object_new_int64(r->lost[i].run));
		json_object_object_add(l, "iteration", json_object_new_int64(r->lost[i].iteration));
		if (r->lost[i].warmup)
			json_object_object_add(l, "warmup", json_object_new_boolean(1));
		json_object_array_add(a, l);
	}
	return a;
}

/*
 * account_json - "restarts", "lost_iterations" and, with stamps, "hops" into @o: of the current
 * run, or of the whole probe when @whole.
 */
static void account_json(const void *acc, struct json_object *o, bool whole)
{
	const struct account *r = acc;
	uint64_t restarts = r->restarts - (whole ? 0 : r->run_restarts);

	json_object_object_add(o, "restarts", json_object_new_int64((int64_t)restarts));
	json_object_object_add(o, "lost_iterations", lost_json(r, whole ? 0 : r->lost_run_first));
	if (r->hops)
		json_object_object_add(o, "hops", hops_json(r, whole ? 0 : r->run_first));
}

/* account_open - an empty account for runs of @per_run iterations. */
static void *account_open(const struct probe_config *cfg, unsigned int per_run)
{
	struct account *r = calloc(1, sizeof(*r));

	if (r)
		r->per_run = per_run;
	return r;
}

/* account_close - free what @acc holds, and it. */
static void account_close(void *acc)
{
	struct account *r = acc;
	unsigned int i;

	for (i = 0; i < PROBE_MAX_MEMBERS; i++) {
		quiet_free(r->wire[i], r->cap * sizeof(*r->wire[i]));
		quiet_free(r->res[i], r->cap * sizeof(*r->res[i]));
	}
	free(r->lost);
	free(r);
}

/* account_bytes - a wire and a residence time per hop of a good sample, when stamps fit. */
static size_t account_bytes(const struct probe_config *cfg)
{
	const struct ring_settings *rs = ring_settings_of(cfg);

	if (!ring_msg_stamps_fit(rs->msg_size, cfg->members))
		return 0;
	return 2 * sizeof(float) * cfg->members;
}

const struct probe_account_ops ring_account = {
    .open = account_open,
    .run_begins = account_run_begins,
    .iteration = account_iteration,
    .to_json = account_json,
    .close = account_close,
    .bytes_per_sample = account_bytes,
};
