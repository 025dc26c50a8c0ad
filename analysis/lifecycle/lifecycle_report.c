// SPDX-License-Identifier: MIT
/* lifecycle_report - the "lifecycle" section of each io_uring ring probe of a session. */
#include "analysis/lifecycle/lifecycle.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "analysis/lifecycle/lifecycle_events.h"
#include "analysis/lifecycle/lifecycle_spikes.h"
#include "analysis/model/report_model.h"
#include "analysis/patterns/patterns_confidence.h"
#include "analysis/patterns/patterns_render.h"
#include "lib/arch/arch.h"
#include "lib/stats.h"
#include "lib/trace/trace_reader.h"
#include "lib/uring_tag.h"

/* The JSON key of each part, in enum lc_part's order. */
static const enum rm_key lc_part_keys[LC_NPARTS] = {RK_LCHOP_ISSUE, RK_LCHOP_IN_FLIGHT,
						    RK_LCHOP_READY, RK_LCHOP_REAP};

/* How a ring's hops are split: from io_uring requests, or from syscalls and sleeps. */
enum lc_mode { LC_NONE, LC_URING, LC_BLOCKING, LC_BUSYPOLL };

/* What the split was made from, by mode: the section's "source". */
static const char *const lc_source_names[] = {[LC_NONE] = "",
					      [LC_URING] = "io_uring",
					      [LC_BLOCKING] = "blocking",
					      [LC_BUSYPOLL] = "busypoll"};

/* ring_mode - how @p's hops are split (LC_NONE: @p is no ring), its hops into *@hops. */
static enum lc_mode ring_mode(const struct trace_probe *p, unsigned int *hops)
{
	struct json_object *io = rm_find(p->config, RK_CONFIG_IO);
	struct json_object *h = rm_find(p->config, RK_CONFIG_HOPS);
	const char *mode = io ? json_object_get_string(io) : "";
	int64_t n = h ? json_object_get_int64(h) : 0;

	*hops = n > 0 && n <= URING_TAG_HOPS ? (unsigned int)n : 0;
	if (strcmp(p->name, "ring") || !*hops)
		return LC_NONE;
	if (!strcmp(mode, "uring") || !strcmp(mode, "sqpoll"))
		return LC_URING;
	if (!strcmp(mode, "blocking"))
		return LC_BLOCKING;
	return strcmp(mode, "busypoll") ? LC_NONE : LC_BUSYPOLL;
}

/* quant_json - p50 and p99 with their intervals of @n values (sorted here); *@p50 set. */
static struct json_object *quant_json(double *v, size_t n, double *p50)
{
	struct json_object *o = json_object_new_object();
	struct patterns_ci c50, c99;

	stats_sort(v, n);
	c50 = patterns_quantile_ci(v, n, 0.5);
	c99 = patterns_quantile_ci(v, n, 0.99);
	*p50 = n ? c50.estimate : 0;
	rm_set(o, RK_LCQ_P50, n ? rm_fixed(c50.estimate, 1) : NULL);
	rm_set(o, RK_LCQ_P50_CI, patterns_ci_json(&c50));
	rm_set(o, RK_LCQ_P99, n ? rm_fixed(c99.estimate, 1) : NULL);
	rm_set(o, RK_LCQ_P99_CI, patterns_ci_json(&c99));
	return o;
}

/* cpus_json - how often each CPU made hop @hop's data ready, in CPU order. */
static struct json_object *cpus_json(const struct lc_split *sp, size_t n, unsigned int hop)
{
	struct json_object *a = json_object_new_array(), *o;
	unsigned int count[TRACER_MAX_CPUS] = {0};

	for (size_t i = 0; i < n; i++) {
		if (sp[i].hop == hop && sp[i].ready_cpu < TRACER_MAX_CPUS)
			count[sp[i].ready_cpu]++;
	}
	for (unsigned int c = 0; c < TRACER_MAX_CPUS; c++) {
		if (!count[c])
			continue;
		o = json_object_new_object();
		rm_set_int(o, RK_LCCPU_CPU, c);
		rm_set_int(o, RK_LCCPU_COUNT, count[c]);
		json_object_array_add(a, o);
	}
	return a;
}

/*
 * hop_json - hop @hop of a @hops-hop ring: its time and parts over the splits @sp (@v: room for
 * @n values); the parts' medians into @median, then the hop time's.
 */
static struct json_object *hop_json(const struct lc_split *sp, size_t n, unsigned int hop,
				    unsigned int hops, double *v, double median[LC_NPARTS + 1])
{
	struct json_object *o = json_object_new_object();
	size_t k = 0;

	rm_set_int(o, RK_LCHOP_HOP, hop);
	rm_set_int(o, RK_LCHOP_FROM, hop);
	rm_set_int(o, RK_LCHOP_TO, (hop + 1) % hops);
	for (size_t i = 0; i < n; i++) {
		if (sp[i].hop == hop)
			v[k++] = (double)sp[i].total_ns;
	}
	rm_set_int(o, RK_LCHOP_SAMPLES, (int64_t)k);
	rm_set(o, RK_LCHOP_TOTAL, quant_json(v, k, &median[LC_NPARTS]));
	for (int p = 0; p < LC_NPARTS; p++) {
		k = 0;
		for (size_t i = 0; i < n; i++) {
			if (sp[i].hop == hop)
				v[k++] = (double)sp[i].part_ns[p];
		}
		rm_set(o, lc_part_keys[p], quant_json(v, k, &median[p]));
	}
	rm_set(o, RK_LCHOP_READY_CPUS, cpus_json(sp, n, hop));
	return o;
}

/* split - @p's hops split as @mode says, from what @ev kept. 0, -EINVAL or -ENOMEM. */
static int split(const struct trace_probe *p, enum lc_mode mode, unsigned int hops,
		 struct lc_events *ev, struct lc_split **sp, size_t *n, struct lc_counts *c)
{
	struct lc_input in = {.hops = hops,
			      .reqs = ev->reqs,
			      .nreqs = ev->nreqs,
			      .enters = ev->enters,
			      .nenters = ev->nenters};
	struct lc_sock_input sk = {.hops = hops,
				   .busypoll = mode == LC_BUSYPOLL,
				   .sys = ev->sys,
				   .nsys = ev->nsys,
				   .sleeps = ev->sleeps,
				   .nsleeps = ev->nsleeps};

	if (mode == LC_URING) {
		in.samples = trace_probe_traced_samples(p, &in.nsamples);
		return lc_split_hops(&in, sp, n, c);
	}
	sk.samples = trace_probe_traced_samples(p, &sk.nsamples);
	return lc_sock_split_hops(&sk, sp, n, c);
}

int lifecycle_probe_split(const struct trace_probe *p, struct lc_events *ev, struct lc_split **sp,
			  size_t *n, bool *asleep)
{
	enum lc_mode mode;
	unsigned int hops;
	struct lc_counts c;

	*sp = NULL;
	*n = 0;
	mode = ring_mode(p, &hops);
	*asleep = mode != LC_BUSYPOLL;
	if (!ev || mode == LC_NONE || (mode == LC_URING ? !ev->nreqs : !ev->nsys))
		return 0;
	return split(p, mode, hops, ev, sp, n, &c);
}

/* section - the section of probe @p (@hops hops) from what @ev kept; NULL: no memory. */
static struct json_object *section(const struct trace_probe *p, enum lc_mode mode,
				   unsigned int hops, struct lc_events *ev,
				   const struct spikes_opts *so)
{
	lc_medians median = {{0}};
	struct json_object *o = NULL, *a;
	struct lc_input in = {.hops = hops};
	struct lc_split *sp = NULL;
	struct lc_counts c;
	double *v = NULL;
	size_t n;

	in.samples = trace_probe_traced_samples(p, &in.nsamples);
	if (split(p, mode, hops, ev, &sp, &n, &c))
		return NULL;
	v = malloc((n ? n : 1) * sizeof(*v));
	o = v ? json_object_new_object() : NULL;
	if (o) {
		rm_set_str(o, RK_LC_SOURCE, lc_source_names[mode]);
		rm_set_int(o, RK_LC_ITERATIONS, (int64_t)c.iterations);
		rm_set_int(o, RK_LC_SPLIT, (int64_t)c.joined);
		rm_set_int(o, RK_LC_MISMATCHED, (int64_t)c.mismatched);
		rm_set_int(o, RK_LC_NO_STAMP, (int64_t)c.no_stamp);
		a = json_object_new_array();
		for (unsigned int h = 0; h < hops; h++)
			json_object_array_add(a, hop_json(sp, n, h, hops, v, median[h]));
		rm_set(o, RK_LC_HOPS, a);
		if (lc_spikes_add(o, &in, sp, n, median, so)) {
			json_object_put(o);
			o = NULL;
		}
	}
	free(v);
	free(sp);
	return o;
}

/* wanted - which kinds of split @s needs (@ev->sockets set for the socket modes); false: none. */
static bool wanted(const struct trace_session *s, struct lc_events *ev)
{
	enum lc_mode mode;
	unsigned int hops;
	bool any = false;
	size_t n;

	for (size_t i = 0; s->tracer && i < s->nprobes; i++) {
		trace_probe_traced_samples(&s->probes[i], &n);
		mode = ring_mode(&s->probes[i], &hops);
		any |= mode != LC_NONE && n;
		ev->sockets |= n && (mode == LC_BLOCKING || mode == LC_BUSYPOLL);
	}
	return any;
}

int lifecycle_collector(const struct trace_session *s, struct lc_events **out)
{
	struct lc_events ev = {.arch = arch_of_platform(s->platform)};

	*out = NULL;
	if (!wanted(s, &ev))
		return 0;
	*out = malloc(sizeof(**out));
	if (!*out)
		return -ENOMEM;
	**out = ev;
	return 0;
}

int lifecycle_collect(void *ctx, const struct tracer_event *ev, size_t n)
{
	return lc_events_take(ctx, ev, n);
}

void lifecycle_discard(struct lc_events *ev)
{
	if (ev)
		lc_events_free(ev);
	free(ev);
}

int lifecycle_report_add(const struct trace_session *s, struct lc_events *ev,
			 const struct spikes_opts *o, struct json_object *probes, char *err,
			 size_t errlen)
{
	struct json_object *sec;
	enum lc_mode mode;
	unsigned int hops;
	int ret = 0;

	for (size_t i = 0; ev && i < s->nprobes; i++) {
		mode = ring_mode(&s->probes[i], &hops);
		if (mode == LC_NONE || (mode == LC_URING ? !ev->nreqs : !ev->nsys))
			continue;
		sec = section(&s->probes[i], mode, hops, ev, o);
		if (!sec) {
			snprintf(err, errlen, "out of memory splitting the hops of probe %u",
				 s->probes[i].probe_id);
			ret = -ENOMEM;
			break;
		}
		rm_set(json_object_array_get_idx(probes, i), RK_PROBE_LIFECYCLE, sec);
	}
	lifecycle_discard(ev);
	return ret;
}
