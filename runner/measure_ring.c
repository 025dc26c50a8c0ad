// SPDX-License-Identifier: MIT
/* measure_ring - per-hop times, lost messages and restarts of a ring measurement. */
#include "runner/measure_ring.h"

#include <arpa/inet.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "lib/stats.h"
#include "lib/quiet_mem.h"
#include "runner/topology.h"

/* The most lost messages a chunk lists one by one ("lost" counts them all). */
#define LOST_LISTED_MAX 1000

/*
 * grow - room for at least @want values in every hop array (quiet memory: the timed loop
 * writes them, lib/quiet_mem.h). 0 or -ENOMEM.
 */
static int grow(struct measure_ring *r, size_t want)
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

int measure_ring_add_hops(struct measure_ring *r, const struct probe_ctx *ctx,
			  const struct timing_calibration *cal)
{
	unsigned int i, next, n = ctx->nstamped;

	if (!n || n > PROBE_MAX_MEMBERS || (r->hops && n != r->hops))
		return 0;
	r->hops = n;
	if (r->n == r->cap && grow(r, r->n + r->per_run))
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		next = (i + 1) % n;
		r->wire[i][r->n] = ticks_ns(cal, ctx->tx_tsc[i], ctx->rx_tsc[next]);
		r->res[i][r->n] = next ? ticks_ns(cal, ctx->rx_tsc[next], ctx->tx_tsc[next]) : 0;
	}
	r->n++;
	return 0;
}

int measure_ring_add_lost(struct measure_ring *r, uint32_t run, uint32_t iteration, bool warmup)
{
	struct measure_lost *v;

	if (r->nlost == r->lost_cap) {
		r->lost_cap = r->lost_cap ? r->lost_cap * 2 : 16;
		v = realloc(r->lost, r->lost_cap * sizeof(*v));
		if (!v)
			return -ENOMEM;
		r->lost = v;
	}
	r->lost[r->nlost++] = (struct measure_lost){run, iteration, warmup};
	return 0;
}

void measure_ring_run_begins(struct measure_ring *r)
{
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
static struct json_object *hops_json(const struct measure_ring *r, size_t first)
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
static struct json_object *lost_json(const struct measure_ring *r, size_t first)
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

void measure_ring_json(const struct measure_ring *r, struct json_object *o, bool whole)
{
	uint64_t restarts = r->restarts - (whole ? 0 : r->run_restarts);

	json_object_object_add(o, "restarts", json_object_new_int64((int64_t)restarts));
	json_object_object_add(o, "lost_iterations", lost_json(r, whole ? 0 : r->lost_run_first));
	if (r->hops)
		json_object_object_add(o, "hops", hops_json(r, whole ? 0 : r->run_first));
}

/* topology_json - the members of a topology file, as the file gave them. */
static struct json_object *topology_json(const struct topology *t)
{
	struct json_object *a = json_object_new_array(), *m;
	char addr[INET_ADDRSTRLEN];
	unsigned int i;

	for (i = 0; i < t->nmembers; i++) {
		m = json_object_new_object();
		inet_ntop(AF_INET, &t->members[i].listen_addr, addr, sizeof(addr));
		json_object_object_add(m, "member", json_object_new_int((int)i));
		json_object_object_add(m, "addr", json_object_new_string(addr));
		json_object_object_add(m, "port", json_object_new_int(t->members[i].port));
		json_object_object_add(m, "cpu", json_object_new_int(t->members[i].cpu));
		json_object_object_add(m, "netns", json_object_new_string(t->members[i].netns));
		json_object_object_add(m, "prefix", json_object_new_string(t->members[i].prefix));
		json_object_array_add(a, m);
	}
	return a;
}

void measure_ring_config_json(struct json_object *o, const struct probe_config *cfg)
{
	static const char *const io[] = {"uring", "sqpoll", "busypoll", "blocking"};
	static const char *const connect[] = {"persistent", "per-message"};
	static const char *const domains[] = {"single", "netns"};
	static const char *const reply[] = {"next-connection", "same-connection"};

	json_object_object_add(o, "hops", json_object_new_int((int)cfg->hops));
	json_object_object_add(o, "msg_size", json_object_new_int((int)cfg->msg_size));
	json_object_object_add(o, "io", json_object_new_string(io[cfg->io]));
	json_object_object_add(o, "connect", json_object_new_string(connect[cfg->connect]));
	json_object_object_add(o, "reply", json_object_new_string(reply[cfg->reply]));
	json_object_object_add(o, "domains", json_object_new_string(domains[cfg->domains]));
	json_object_object_add(o, "timeout_ms", json_object_new_int((int)cfg->timeout_ms));
	json_object_object_add(o, "max_restarts", json_object_new_int((int)cfg->max_restarts));
	if (cfg->topology)
		json_object_object_add(o, "topology", topology_json(cfg->topology));
}

void measure_ring_free(struct measure_ring *r)
{
	unsigned int i;

	for (i = 0; i < PROBE_MAX_MEMBERS; i++) {
		quiet_free(r->wire[i], r->cap * sizeof(*r->wire[i]));
		quiet_free(r->res[i], r->cap * sizeof(*r->res[i]));
	}
	free(r->lost);
	memset(r, 0, sizeof(*r));
}
