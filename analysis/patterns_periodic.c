// SPDX-License-Identifier: MIT
/*
 * patterns_periodic - spikes that recur every P iterations at the same phase in every run (the
 * paper's horizontal lines, e.g. stdio buffer flushes). Candidate periods come from the spacing
 * of spikes within runs; each is refined by least squares of spike iteration against its index
 * on the line, so that a fractional period (a 4096-byte buffer filled by 24-byte lines flushes
 * every 170.67 iterations: 170, 171, 171, 170, ...) is found as such.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/patterns.h"
#include "analysis/stats.h"

#define PP_NEIGHBOURS 16 /* spacings counted from a spike to the next ones of its run */
#define PP_CANDIDATES 6	 /* periods tried per line */
#define PP_ANCHORS 24	 /* spikes a candidate line is grown from */
#define PP_MIN_PERIOD 6	 /* a +-1 window covers 3 iterations: a line needs room between */
#define PP_TOL 1.0	 /* a spike is on the line within +-1 iteration of its position */
#define PP_FIT_TOL 1.5	 /* looser while the period is still being refined */

struct pp_pt {
	double x;
	uint32_t run;
	uint32_t idx; /* in the caller's spike array */
};

struct pp_ctx {
	struct pp_pt *pt; /* the live spikes by run, then iteration */
	size_t n;
	const struct patterns_grid *g;
	uint32_t *hist;	  /* spacing -> pairs, g->iterations entries */
	uint32_t *anchor; /* scratch: indices into pt */
	bool *on;	  /* per pt: on the line last counted */
	double pairs;	  /* spacings counted: the lines tried, for the chance test */
};

struct pp_fit {
	double period, phase;
};

struct pp_eval {
	size_t spikes;	  /* on the line */
	size_t hits;	  /* (run, position) pairs with a spike */
	size_t positions; /* predicted (run, position) pairs */
	long kmin, kmax;  /* first and last position hit */
};

static int pp_cmp(const void *a, const void *b)
{
	const struct pp_pt *x = a, *y = b;

	if (x->run != y->run)
		return x->run < y->run ? -1 : 1;
	return x->x < y->x ? -1 : x->x > y->x;
}

/* pp_live - the spikes not yet taken, sorted; returns how many. */
static size_t pp_live(struct pp_ctx *c, const struct spike *sp, size_t n, const bool *taken)
{
	size_t i;

	c->n = 0;
	for (i = 0; i < n; i++) {
		if (taken[i] || sp[i].run >= c->g->runs || sp[i].iteration >= c->g->iterations)
			continue;
		c->pt[c->n++] = (struct pp_pt){(double)sp[i].iteration, sp[i].run, (uint32_t)i};
	}
	qsort(c->pt, c->n, sizeof(*c->pt), pp_cmp);
	return c->n;
}

/* pp_spacings - histogram of the spacings from each spike to the next ones of its run. */
static void pp_spacings(struct pp_ctx *c)
{
	size_t i, j;

	memset(c->hist, 0, c->g->iterations * sizeof(*c->hist));
	c->pairs = 0;
	for (i = 0; i < c->n; i++) {
		for (j = i + 1; j < c->n && j <= i + PP_NEIGHBOURS && c->pt[j].run == c->pt[i].run;
		     j++) {
			c->hist[(size_t)(c->pt[j].x - c->pt[i].x)]++;
			c->pairs++;
		}
	}
}

/* pp_candidates - the spacings d whose pairs (d, d + 1) are most common, apart from each other. */
static size_t pp_candidates(const struct pp_ctx *c, const struct patterns_opts *o, size_t *cand)
{
	size_t d, k, nc = 0, best, dmax = c->g->iterations - 1;
	uint32_t score, top;
	bool near;

	if (o->min_periods > 1)
		dmax /= o->min_periods - 1;
	while (nc < PP_CANDIDATES) {
		top = 1;
		best = 0;
		for (d = PP_MIN_PERIOD; d + 1 < c->g->iterations && d <= dmax; d++) {
			score = c->hist[d] + c->hist[d + 1];
			for (near = false, k = 0; k < nc; k++)
				near |= d + 1 >= cand[k] && d <= cand[k] + 1;
			if (!near && score > top) {
				top = score;
				best = d;
			}
		}
		if (!best)
			break;
		cand[nc++] = best;
	}
	return nc;
}

/* pp_lsq - least squares of iteration on position over the spikes near the line. */
static bool pp_lsq(const struct pp_ctx *c, struct pp_fit *f, double width)
{
	double sk = 0, sx = 0, skk = 0, skx = 0, m = 0, k, r, det;
	size_t i;

	for (i = 0; i < c->n; i++) {
		k = round((c->pt[i].x - f->phase) / f->period);
		r = c->pt[i].x - f->phase - f->period * k;
		if (fabs(k) > width || fabs(r) > PP_FIT_TOL)
			continue;
		m++;
		sk += k;
		sx += c->pt[i].x;
		skk += k * k;
		skx += k * c->pt[i].x;
	}
	det = m * skk - sk * sk;
	if (m < 2 || det <= 0)
		return false;
	f->period = (m * skx - sk * sx) / det;
	f->phase = (sx - f->period * sk) / m;
	return f->period >= PP_MIN_PERIOD;
}

/* pp_refine - grow a line from a spike at @x0 and a first period, widening the window. */
static bool pp_refine(const struct pp_ctx *c, double x0, double p0, struct pp_fit *f)
{
	static const double widths[] = {4, 16, 64, 256, INFINITY};
	size_t w;

	f->phase = x0;
	f->period = p0;
	for (w = 0; w < sizeof(widths) / sizeof(widths[0]); w++)
		if (!pp_lsq(c, f, widths[w]))
			return false;
	f->phase = fmod(f->phase, f->period);
	if (f->phase < 0)
		f->phase += f->period;
	return true;
}

/* pp_count - the spikes on the fitted line (into c->on) and the positions they fill. */
static void pp_count(const struct pp_ctx *c, const struct pp_fit *f, struct pp_eval *e)
{
	double first = ceil((-PP_TOL - f->phase) / f->period);
	double last = floor((c->g->iterations - 1 + PP_TOL - f->phase) / f->period);
	long k, prev_k = 0;
	uint32_t prev_run = UINT32_MAX;
	size_t i;

	memset(e, 0, sizeof(*e));
	e->positions = (size_t)(last - first + 1) * c->g->runs;
	for (i = 0; i < c->n; i++) {
		k = lround((c->pt[i].x - f->phase) / f->period);
		c->on[i] = fabs(c->pt[i].x - f->phase - f->period * (double)k) <= PP_TOL;
		if (!c->on[i])
			continue;
		e->spikes++;
		if (!e->hits || k < e->kmin)
			e->kmin = k;
		if (!e->hits || k > e->kmax)
			e->kmax = k;
		if (c->pt[i].run != prev_run || k != prev_k)
			e->hits++;
		prev_run = c->pt[i].run;
		prev_k = k;
	}
}

/* pp_anchors - up to PP_ANCHORS spikes, spread out, that start a pair spaced d or d + 1. */
static size_t pp_anchors(struct pp_ctx *c, size_t d)
{
	size_t i, j, na = 0, step, out;
	double s;

	for (i = 0; i < c->n; i++) {
		for (j = i + 1; j < c->n && j <= i + PP_NEIGHBOURS && c->pt[j].run == c->pt[i].run;
		     j++) {
			s = c->pt[j].x - c->pt[i].x;
			if (s == (double)d || s == (double)d + 1) {
				c->anchor[na++] = (uint32_t)i;
				break;
			}
		}
	}
	step = na > PP_ANCHORS ? na / PP_ANCHORS : 1;
	for (out = 0, i = 0; i < na && out < PP_ANCHORS; i += step)
		c->anchor[out++] = c->anchor[i];
	return out;
}

/* pp_search - the line with the most filled positions over all candidates and anchors. */
static bool pp_search(struct pp_ctx *c, const struct patterns_opts *o, struct pp_fit *best,
		      struct pp_eval *be)
{
	size_t cand[PP_CANDIDATES], nc, i, a, na;
	struct pp_fit f;
	struct pp_eval e;
	double p0;
	bool found = false;

	nc = pp_candidates(c, o, cand);
	for (i = 0; i < nc; i++) {
		p0 = (double)(cand[i] * c->hist[cand[i]] + (cand[i] + 1) * c->hist[cand[i] + 1]) /
		     (c->hist[cand[i]] + c->hist[cand[i] + 1]);
		na = pp_anchors(c, cand[i]);
		for (a = 0; a < na; a++) {
			if (!pp_refine(c, c->pt[c->anchor[a]].x, p0, &f))
				continue;
			pp_count(c, &f, &e);
			if (found && (e.hits < be->hits ||
				      (e.hits == be->hits && f.period >= best->period)))
				continue;
			*best = f;
			*be = e;
			found = true;
		}
	}
	if (found)
		pp_count(c, best, be); /* c->on for the best line */
	return found;
}

/*
 * pp_significant - enough spikes over enough periods, and too regular to be chance: a +-1
 * window at a random place holds one of the live spikes (the line's own included, so that
 * dense noise cannot fit a line through itself) with probability p; the line must fill at
 * least twice that share of its positions, and that many hits must be unlikely for every line
 * tried (Bonferroni over the spike pairs that proposed them).
 */
static bool pp_significant(const struct pp_ctx *c, const struct patterns_opts *o,
			   const struct pp_eval *e)
{
	double cells = (double)c->g->runs * c->g->iterations;
	double p = 1 - pow(1 - (double)c->n / cells, 2 * PP_TOL + 1);
	double rate = (double)e->hits / (double)e->positions;

	if (e->spikes < o->min_support || e->hits < 2 || e->positions < e->hits)
		return false;
	if ((size_t)(e->kmax - e->kmin + 1) < o->min_periods)
		return false;
	if (rate < o->min_hit_rate || rate < 2 * p)
		return false;
	return patterns_binom_sf(e->hits - 2, e->positions - 2, p) * fmax(c->pairs, 1) <=
	       o->alpha;
}

/* pp_take - describe the line found and mark its spikes taken. Returns 0 or -ENOMEM. */
static int pp_take(const struct pp_ctx *c, const struct spike *sp, size_t n, double median_ns,
		   const struct pp_fit *f, const struct pp_eval *e, bool *taken,
		   struct patterns_line *l)
{
	double *lat = malloc(e->spikes * sizeof(*lat));
	size_t i, m = 0;

	if (!lat)
		return -ENOMEM;
	for (i = 0; i < c->n; i++) {
		if (!c->on[i])
			continue;
		taken[c->pt[i].idx] = true;
		lat[m++] = (double)sp[c->pt[i].idx].latency_ns;
	}
	stats_sort(lat, m);
	*l = (struct patterns_line){
	    .period = f->period,
	    .phase = f->phase,
	    .magnitude = median_ns > 0 ? stats_percentile(lat, m, 0.5) / median_ns : NAN,
	    .share = (double)e->spikes / (double)n,
	    .hit_rate = (double)e->hits / (double)e->positions,
	    .support = e->spikes,
	};
	free(lat);
	return 0;
}

int patterns_periodic(const struct spike *sp, size_t n, const struct patterns_grid *g,
		      const struct patterns_opts *o, double median_ns, bool *taken,
		      struct patterns_line *out, size_t max, size_t *nout)
{
	struct pp_ctx c = {.g = g};
	struct pp_fit f;
	struct pp_eval e;
	int rc = 0;

	if ((!sp && n) || !g || !o || !taken || (!out && max) || !nout)
		return -EINVAL;
	*nout = 0;
	if (!n || !g->runs || g->iterations < 2 * PP_MIN_PERIOD)
		return 0;
	c.pt = malloc(n * sizeof(*c.pt));
	c.anchor = malloc(n * sizeof(*c.anchor));
	c.on = malloc(n * sizeof(*c.on));
	c.hist = malloc(g->iterations * sizeof(*c.hist));
	if (!c.pt || !c.anchor || !c.on || !c.hist) {
		rc = -ENOMEM;
		goto cleanup;
	}
	while (!rc && *nout < max && pp_live(&c, sp, n, taken) >= o->min_support) {
		pp_spacings(&c);
		if (!pp_search(&c, o, &f, &e) || !pp_significant(&c, o, &e))
			break;
		rc = pp_take(&c, sp, n, median_ns, &f, &e, taken, &out[*nout]);
		*nout += !rc;
	}
cleanup:
	free(c.hist);
	free(c.on);
	free(c.anchor);
	free(c.pt);
	return rc;
}
