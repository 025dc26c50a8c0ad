// SPDX-License-Identifier: MIT
/* spikes - robust baseline (median, MAD) of a probe's good samples and the iterations above it. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>

#include "analysis/model/spikes.h"
#include "lib/hugemem.h"
#include "lib/stats.h"
#include "lib/trace/trace_latencies.h"

void spikes_opts_default(struct spikes_opts *o)
{
	o->k = SPIKES_DEFAULT_K;
	o->min_ratio = SPIKES_DEFAULT_MIN_RATIO;
	o->min_excess_ns = SPIKES_DEFAULT_MIN_EXCESS_NS;
}

/* spikes_baseline_of - median and MAD of the good samples' latencies. */
static int spikes_baseline_of(const struct trace_sample *s, size_t n, const struct spikes_opts *o,
			      struct spikes_baseline *b)
{
	double *v;
	int rc;

	b->median_ns = b->mad_ns = b->threshold_ns = 0;
	v = trace_good_latencies(s, n, &b->ngood); /* a private copy, sorted: not copied again */
	if (!v)
		return -ENOMEM;
	rc = b->ngood ? stats_median_mad_sorted(v, b->ngood, &b->median_ns, &b->mad_ns) : 0;
	free(v);
	if (rc)
		return rc;
	b->threshold_ns = fmax(fmax(b->median_ns + o->k * b->mad_ns, o->min_ratio * b->median_ns),
			       b->median_ns + o->min_excess_ns);
	return 0;
}

/* spikes_cmp_start - window start, then run and iteration: a stable order for equal stamps. */
static int spikes_cmp_start(const void *a, const void *b)
{
	const struct spike *x = a, *y = b;

	if (x->start_ns != y->start_ns)
		return x->start_ns < y->start_ns ? -1 : 1;
	if (x->run != y->run)
		return x->run < y->run ? -1 : 1;
	return x->iteration < y->iteration ? -1 : x->iteration > y->iteration;
}

/* spikes_is_spike - above median + k MAD (strictly), at least min_ratio x median and
 * min_excess above it. */
static int spikes_is_spike(const struct trace_sample *s, const struct spikes_opts *o,
			   const struct spikes_baseline *b)
{
	double lat = (double)s->latency_ns;

	if (s->flags & TRACE_SAMPLE_BAD)
		return 0;
	return lat > b->median_ns + o->k * b->mad_ns && lat >= o->min_ratio * b->median_ns &&
	       lat >= b->median_ns + o->min_excess_ns;
}

int spikes_find(const struct trace_sample *samples, size_t n, const struct spikes_opts *o,
		struct spike **out, size_t *nout, struct spikes_baseline *base)
{
	struct spikes_baseline b;
	struct spike *sp = NULL;
	size_t i, cnt = 0;
	uint64_t med;
	int rc;

	if ((!samples && n) || !o || !out || !nout || o->k < 0 || o->min_ratio < 0 ||
	    o->min_excess_ns < 0)
		return -EINVAL;
	*out = NULL;
	*nout = 0;
	rc = spikes_baseline_of(samples, n, o, &b);
	if (rc)
		return rc;
	if (base)
		*base = b;
	if (!b.ngood)
		return 0;
	med = (uint64_t)llround(b.median_ns);
	for (i = 0; i < n; i++)
		cnt += spikes_is_spike(&samples[i], o, &b);
	if (!cnt)
		return 0;
	sp = malloc(cnt * sizeof(*sp));
	if (!sp)
		return -ENOMEM;
	hugemem_advise(sp, cnt * sizeof(*sp));
	for (cnt = 0, i = 0; i < n; i++) {
		if (!spikes_is_spike(&samples[i], o, &b))
			continue;
		sp[cnt] = (struct spike){
		    .start_ns = samples[i].mono_start_ns,
		    .end_ns = samples[i].mono_end_ns,
		    .win_start_ns = samples[i].mono_start_ns,
		    .win_end_ns = samples[i].mono_end_ns,
		    .latency_ns = samples[i].latency_ns,
		    .baseline_ns = med,
		    .excess_ns = samples[i].latency_ns > med ? samples[i].latency_ns - med : 0,
		    .run = samples[i].run,
		    .iteration = samples[i].iteration,
		    .cpu = samples[i].cpu,
		    .sample = (uint32_t)i,
		};
		cnt++;
	}
	for (i = 1; i < cnt && spikes_cmp_start(&sp[i - 1], &sp[i]) <= 0; i++)
		;
	if (i < cnt) /* samples come in time order: their spikes are sorted already */
		qsort(sp, cnt, sizeof(*sp), spikes_cmp_start);
	*out = sp;
	*nout = cnt;
	return 0;
}

/* samples of the same run on each side of a spike that bound the clocks' offset */
#define SPIKES_MAP_NEIGHBOURS 8

/* spikes_offset_bounds - the bounds on the offset at sample @i, relative to its mono start. */
static void spikes_offset_bounds(const struct trace_sample *s, size_t ns, size_t i, double ns_per,
				 double *lo, double *hi, double *reach)
{
	size_t j = i > SPIKES_MAP_NEIGHBOURS ? i - SPIKES_MAP_NEIGHBOURS : 0;
	size_t last = i + SPIKES_MAP_NEIGHBOURS < ns ? i + SPIKES_MAP_NEIGHBOURS : ns - 1;
	double d, e, dt;

	*hi = 0;
	*lo = -INFINITY;
	*reach = 0;
	for (; j <= last; j++) {
		if (s[j].run != s[i].run)
			continue;
		dt = (double)(int64_t)(s[j].tsc_start - s[i].tsc_start) * ns_per;
		d = (double)(int64_t)(s[j].mono_start_ns - s[i].mono_start_ns) - dt;
		e = (double)(int64_t)(s[j].mono_end_ns - s[i].mono_start_ns) -
		    (double)(int64_t)(s[j].tsc_end - s[i].tsc_start) * ns_per;
		*hi = fmin(*hi, d);
		*lo = fmax(*lo, e);
		*reach = fmax(*reach, fabs(dt));
	}
}

/* spikes_map_one - spike @sp's window on its TSC interval. */
static void spikes_map_one(struct spike *sp, const struct trace_sample *s, size_t ns,
			   const struct spikes_clock *clk)
{
	const struct trace_sample *x = &s[sp->sample];
	double lo, hi, reach, shift, ns_per = 1e9 / clk->tsc_hz;
	uint64_t gap = sp->latency_ns > x->mono_end_ns - x->mono_start_ns
			   ? sp->latency_ns - (x->mono_end_ns - x->mono_start_ns)
			   : 0;

	spikes_offset_bounds(s, ns, sp->sample, ns_per, &lo, &hi, &reach);
	shift = fmin(0, fmax(-(double)gap, (lo + hi) / 2));
	sp->win_err_ns =
	    (uint64_t)llround(fabs(hi - lo) / 2 + reach * clk->tsc_hz_err / clk->tsc_hz);
	sp->win_start_ns = x->mono_start_ns - (uint64_t)llround(-shift);
	sp->win_end_ns = sp->win_start_ns + sp->latency_ns;
	if (sp->win_end_ns < x->mono_end_ns)
		sp->win_end_ns = x->mono_end_ns;
}

int spikes_map_tsc(struct spike *sp, size_t n, const struct trace_sample *samples, size_t ns,
		   const struct spikes_clock *clk)
{
	size_t i;

	if ((!sp && n) || (!samples && ns) || !clk)
		return -EINVAL;
	for (i = 0; i < n; i++)
		if (sp[i].sample >= ns)
			return -EINVAL;
	if (!(clk->tsc_hz > 0))
		return 0;
	for (i = 0; i < n; i++)
		spikes_map_one(&sp[i], samples, ns, clk);
	return 0;
}
