/*
 * patterns_periodic - spikes that recur every P iterations within runs (the paper's horizontal
 * lines: stdio buffer flushes, a timer meeting a steady loop). Candidate periods come from the
 * spacing of spikes within runs; each is grown from a spike of one run and refined by least
 * squares of spike iteration against its index on the line, so that a fractional period (a
 * 4096-byte buffer filled by 24-byte lines flushes every 170.67 iterations: 170, 171, 171, ...)
 * is found as such; every other run then gets its own phase, and one more fit shares the
 * period between all runs.
 */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/patterns/patterns_chance.h"
#include "analysis/patterns/patterns_periodic.h"
#include "analysis/patterns/patterns_exact.h"
#include "lib/stats.h"

#define PP_NEIGHBOURS  16   /* spacings counted from a spike to the next ones of its run */
#define PP_CANDIDATES  6    /* periods tried per line */
#define PP_ANCHORS     24   /* spikes a candidate line is grown from */
#define PP_BACKUPS     3    /* candidates by the second ranking, grown from PP_ANCHORS / 3 */
#define PP_MIN_PERIOD  6    /* a +-1 window covers 3 iterations: a line needs room between */
#define PP_TOL	       1.0  /* a spike is on the line within +-1 iteration of its position */
#define PP_FIT_TOL     1.5  /* looser while the period is still being refined */
#define PP_RUN_ALPHA   0.01 /* a run keeps its part of a line when chance explains it less often */
#define PP_MAX_DIVISOR 8    /* a line's period is tried divided by 2 .. this (pp_fundamental) */

struct pp_pt {
	double x;
	uint32_t run;
	uint32_t idx; /* in the caller's spike array */
};

struct pp_fit {
	double period;
	double *phase; /* per run, in [0, period); NAN: the run has no spike on the line */
};

struct pp_ctx {
	struct pp_pt *pt; /* the live spikes by run, then iteration */
	size_t n;
	size_t *run_start; /* g->runs + 1 offsets into pt */
	const struct patterns_grid *g;
	uint32_t *hist;	  /* spacing -> pairs, g->iterations entries */
	double *expect;	  /* spacing -> pairs that spikes at random would give */
	uint32_t *bins;	  /* phase histogram of one run, g->iterations + 1 entries */
	uint32_t *anchor; /* scratch: indices into pt */
	double *sums;	  /* 3 per run: points, sum of k, sum of x */
	bool *on;	  /* per pt: on the line last counted */
	double pairs;	  /* spacings counted: the lines tried, for the chance test */
	struct pp_fit cur, best;
};

struct pp_eval {
	size_t spikes;	  /* on the line */
	size_t hits;	  /* (run, position) pairs with a spike */
	size_t positions; /* predicted (run, position) pairs */
	size_t runs;	  /* runs with a spike on the line */
	long kmin, kmax;  /* first and last position hit */
};

static int pp_cmp(const void *a, const void *b)
{
	const struct pp_pt *x = a, *y = b;

	if (x->run != y->run)
		return x->run < y->run ? -1 : 1;
	return x->x < y->x ? -1 : x->x > y->x;
}

/* pp_live - the spikes not yet taken, sorted, with each run's first index; returns how many. */
static size_t pp_live(struct pp_ctx *c, const struct spike *sp, size_t n, const bool *taken)
{
	size_t i, r;

	c->n = 0;
	for (i = 0; i < n; i++) {
		if (taken[i] || sp[i].run >= c->g->runs || sp[i].iteration >= c->g->iterations)
			continue;
		c->pt[c->n++] = (struct pp_pt){(double)sp[i].iteration, sp[i].run, (uint32_t)i};
	}
	qsort(c->pt, c->n, sizeof(*c->pt), pp_cmp);
	for (r = 0, i = 0; r <= c->g->runs; r++) {
		while (i < c->n && c->pt[i].run < r)
			i++;
		c->run_start[r] = i;
	}
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

/*
 * pp_expect - the spacing histogram of spikes at random: each iteration of run r a spike with
 * probability q = n_r / iterations, so (iterations - d) q^2 pairs are d apart, and a pair is
 * counted when fewer than PP_NEIGHBOURS spikes lie between (a binomial over the d - 1
 * iterations between, its low terms carried from one d to the next). Dense spikes (a second
 * latency mode, 20% of the samples) fill the short spacings far more than the long ones; the
 * raw counts would then propose only the shortest periods.
 */
static void pp_expect(struct pp_ctx *c, size_t dmax)
{
	double pmf[PP_NEIGHBOURS], q, below, iters = c->g->iterations;
	size_t r, d, j;

	memset(c->expect, 0, c->g->iterations * sizeof(*c->expect));
	for (r = 0; r < c->g->runs; r++) {
		q = (double)(c->run_start[r + 1] - c->run_start[r]) / iters;
		if (q <= 0)
			continue;
		memset(pmf, 0, sizeof(pmf));
		pmf[0] = 1; /* no iteration between: d = 1 */
		for (d = 1; d <= dmax && d < c->g->iterations; d++) {
			for (below = 0, j = 0; j < PP_NEIGHBOURS; j++)
				below += pmf[j];
			c->expect[d] += (iters - (double)d) * q * q * below;
			for (j = PP_NEIGHBOURS - 1; j > 0; j--)
				pmf[j] = pmf[j] * (1 - q) + pmf[j - 1] * q;
			pmf[0] *= 1 - q;
		}
	}
}

/*
 * pp_pick - the spacing d (pairs d and d + 1) that stands out most over chance and is not next
 * to one of the @nc already picked, 0 if none: by its excess pairs, or with @in_sd by that
 * excess in standard deviations of the chance count.
 */
static size_t pp_pick(const struct pp_ctx *c, size_t dmax, const size_t *cand, size_t nc,
		      bool in_sd)
{
	size_t d, k, best = 0;
	double score, top = 0, chance;
	uint32_t seen;
	bool near;

	for (d = PP_MIN_PERIOD; d + 1 < c->g->iterations && d <= dmax; d++) {
		seen = c->hist[d] + c->hist[d + 1];
		chance = c->expect[d] + c->expect[d + 1];
		score = ((double)seen - chance) / (in_sd ? sqrt(chance + 1) : 1);
		for (near = false, k = 0; k < nc; k++)
			near |= d + 1 >= cand[k] && d <= cand[k] + 1;
		if (!near && seen > 1 && score > top) {
			top = score;
			best = d;
		}
	}
	return best;
}

/*
 * pp_candidates - PP_CANDIDATES spacings by excess pairs, then PP_BACKUPS by that excess in
 * standard deviations, apart from each other. Neither ranking alone suffices: in standard
 * deviations a line's multiples (fewer pairs, rarer by chance) outrank the line itself, and in
 * plain pairs the short spacings of clustered noise (a second latency mode that comes in bursts)
 * outrank a line of rare spikes. Returns how many, at most PP_CANDIDATES + PP_BACKUPS.
 */
static size_t pp_candidates(struct pp_ctx *c, const struct patterns_opts *o, size_t *cand)
{
	size_t nc = 0, d, dmax = c->g->iterations - 1;

	if (o->min_periods > 1)
		dmax /= o->min_periods - 1;
	pp_expect(c, dmax + 1);
	while (nc < PP_CANDIDATES && (d = pp_pick(c, dmax, cand, nc, false)))
		cand[nc++] = d;
	while (nc < PP_CANDIDATES + PP_BACKUPS && (d = pp_pick(c, dmax, cand, nc, true)))
		cand[nc++] = d;
	return nc;
}

/* pp_lsq_run - least squares of iteration on position over run @r's spikes near the line. */
static bool pp_lsq_run(const struct pp_ctx *c, size_t r, double *period, double *phase,
		       double width)
{
	double sk = 0, sx = 0, skk = 0, skx = 0, m = 0, k, x, det, inv = 1 / *period;
	size_t i;

	for (i = c->run_start[r]; i < c->run_start[r + 1]; i++) {
		x = c->pt[i].x;
		k = patterns_nearest(x - *phase, inv);
		if (fabs(k) > width || fabs(x - *phase - *period * k) > PP_FIT_TOL)
			continue;
		m++;
		sk += k;
		sx += x;
		skk += k * k;
		skx += k * x;
	}
	det = m * skk - sk * sk;
	if (m < 2 || det <= 0)
		return false;
	*period = (m * skx - sk * sx) / det;
	*phase = (sx - *period * sk) / m;
	return *period >= PP_MIN_PERIOD && *period < c->g->iterations;
}

/* pp_best_phase - the phase of run @r that the most of its spikes fall on (+-1), or NAN. */
static double pp_best_phase(const struct pp_ctx *c, size_t r, double period)
{
	size_t nb = (size_t)ceil(period), b, best = 0, i;
	uint32_t top = 0, s;

	memset(c->bins, 0, nb * sizeof(*c->bins));
	for (i = c->run_start[r]; i < c->run_start[r + 1]; i++)
		c->bins[(size_t)patterns_mod(c->pt[i].x, period)]++;
	for (b = 0; b < nb; b++) { /* the bins around b, wrapping at both ends */
		s = c->bins[b ? b - 1 : nb - 1] + c->bins[b] + c->bins[b + 1 < nb ? b + 1 : 0];
		if (s > top) {
			top = s;
			best = b;
		}
	}
	return top ? (double)best + 0.5 : NAN;
}
/* pp_wrap - @phase moved into [0, period). */
static double pp_wrap(double phase, double period)
{
	phase = fmod(phase, period);
	return phase < 0 ? phase + period : phase;
}

/*
 * pp_fit_run - run @r's spikes within PP_FIT_TOL of the line: count, sum k, x, k^2, k x. The
 * short periods the search tries first put half the spikes near the line: they are summed
 * times 0 or 1, not branched on.
 */
static void pp_fit_run(const struct pp_ctx *c, const struct pp_fit *f, size_t r, double *s)
{
	size_t i, end = c->run_start[r + 1];
	double x, k, on, ph = f->phase[r], inv = 1 / f->period;
	double m = 0, sk = 0, sx = 0, skk = 0, skx = 0;

	for (i = c->run_start[r]; !isnan(ph) && i < end; i++) {
		x = c->pt[i].x;
		k = patterns_nearest(x - ph, inv);
		on = !(fabs(x - ph - f->period * k) > PP_FIT_TOL);
		m += on;
		sk += on * k;
		sx += on * x;
		skk += on * (k * k);
		skx += on * (k * x);
	}
	s[0] = m;
	s[1] = sk;
	s[2] = sx;
	s[3] = skk;
	s[4] = skx;
}

/*
 * pp_refit - least squares with one period for all runs and an intercept per run (the
 * within-run deviations pooled), over the spikes within PP_FIT_TOL of the current line.
 */
static bool pp_refit(struct pp_ctx *c, struct pp_fit *f)
{
	double sxx = 0, sxy = 0, s[5], *sum;
	size_t r;

	for (r = 0; r < c->g->runs; r++) {
		sum = &c->sums[3 * r];
		pp_fit_run(c, f, r, s); /* m, sk, sx, skk, skx */
		sum[0] = s[0];
		sum[1] = s[1];
		sum[2] = s[2];
		sxx += s[0] ? s[3] - s[1] * s[1] / s[0] : 0;
		sxy += s[0] ? s[4] - s[1] * s[2] / s[0] : 0;
	}
	if (sxx <= 0 || sxy / sxx < PP_MIN_PERIOD || sxy / sxx >= c->g->iterations)
		return false;
	f->period = sxy / sxx;
	for (r = 0; r < c->g->runs; r++) {
		sum = &c->sums[3 * r];
		f->phase[r] =
		    sum[0] ? pp_wrap((sum[2] - f->period * sum[1]) / sum[0], f->period) : NAN;
	}
	return true;
}

/* pp_positions - the positions of a line of @period at @phase within a run (+-PP_TOL). */
static size_t pp_positions(const struct pp_ctx *c, double period, double phase)
{
	double first = ceil((-PP_TOL - phase) / period);
	double last = floor((c->g->iterations - 1 + PP_TOL - phase) / period);

	return last >= first ? (size_t)(last - first + 1) : 0;
}

/*
 * pp_run_count - add run @r's spikes on the line (into c->on) to @e; returns its hits. As in
 * pp_fit_run, every spike goes through the same steps, whether on the line or not.
 */
static size_t pp_run_count(const struct pp_ctx *c, const struct pp_fit *f, size_t r,
			   struct pp_eval *e)
{
	size_t i, hits = 0, spikes = 0, a = c->run_start[r], b = c->run_start[r + 1];
	double inv = 1 / f->period, ph = f->phase[r];
	long k, prev_k = LONG_MIN, kmin = e->kmin, kmax = e->kmax;
	bool on, seen;

	if (isnan(ph)) {
		memset(&c->on[a], 0, (b - a) * sizeof(*c->on));
		return 0;
	}
	for (i = a; i < b; i++) {
		k = (long)patterns_nearest(c->pt[i].x - ph, inv);
		on = fabs(c->pt[i].x - ph - f->period * (double)k) <= PP_TOL;
		c->on[i] = on;
		seen = e->hits + hits > 0;
		kmin = on && !(seen && k > kmin) ? k : kmin;
		kmax = on && !(seen && k < kmax) ? k : kmax;
		hits += on && k != prev_k;
		prev_k = on ? k : prev_k;
		spikes += on;
	}
	e->spikes += spikes;
	e->kmin = kmin;
	e->kmax = kmax;
	e->hits += hits;
	e->runs += hits > 0;
	return hits;
}

/* pp_count - the spikes on the fitted line (into c->on) and the positions they fill. */
static void pp_count(const struct pp_ctx *c, const struct pp_fit *f, struct pp_eval *e)
{
	size_t r;

	memset(e, 0, sizeof(*e));
	for (r = 0; r < c->g->runs; r++) {
		e->positions += pp_positions(c, f->period, isnan(f->phase[r]) ? 0 : f->phase[r]);
		pp_run_count(c, f, r, e);
	}
}

/* pp_chance - the probability that a +-1 window holds a live spike: the null of every test. */
static double pp_chance(const struct pp_ctx *c)
{
	return 1 - pow(1 - (double)c->n / ((double)c->g->runs * c->g->iterations), 2 * PP_TOL + 1);
}

/*
 * pp_confirm - keep the runs where the line is more than chance on its own. A run whose phase
 * differs from the strongest run's had that phase chosen among period / 3 windows, and pays
 * for the choice (Bonferroni); without this, ten runs of noise each pick their luckiest phase
 * and add up to a line. Returns whether a run is left.
 */
static bool pp_confirm(struct pp_ctx *c, struct pp_fit *f)
{
	double p = pp_chance(c), w, d, *hits = c->sums; /* 3 per run: only [3 r] used here */
	size_t r, ref = 0, kept = 0;
	struct pp_eval e = {0};

	for (r = 0; r < c->g->runs; r++) {
		hits[3 * r] = (double)pp_run_count(c, f, r, &e);
		if (hits[3 * r] > hits[3 * ref])
			ref = r;
	}
	for (r = 0; r < c->g->runs; r++) {
		if (isnan(f->phase[r]))
			continue;
		d = fabs(f->phase[r] - f->phase[ref]);
		w = fmin(d, f->period - d) <= PP_TOL ? 1 : f->period / (2 * PP_TOL + 1);
		if (w * patterns_binom_sf((size_t)hits[3 * r],
					  pp_positions(c, f->period, f->phase[r]), p) >
		    PP_RUN_ALPHA)
			f->phase[r] = NAN;
		kept += !isnan(f->phase[r]);
	}
	return kept > 0;
}

/* pp_grow - a line from the spike @a and a first period: its run first, then all runs. */
static bool pp_grow(struct pp_ctx *c, size_t a, double p0, struct pp_fit *f)
{
	static const double widths[] = {4, 16, 64, 256, INFINITY};
	double phase = c->pt[a].x;
	size_t w, r, r0 = c->pt[a].run;

	f->period = p0;
	for (w = 0; w < sizeof(widths) / sizeof(widths[0]); w++)
		if (!pp_lsq_run(c, r0, &f->period, &phase, widths[w]))
			return false;
	for (r = 0; r < c->g->runs; r++)
		f->phase[r] = r == r0 ? pp_wrap(phase, f->period) : pp_best_phase(c, r, f->period);
	return pp_refit(c, f) && pp_refit(c, f) && pp_confirm(c, f) && pp_refit(c, f);
}

/* pp_anchors - up to @max spikes, spread out, that start a pair spaced d or d + 1. */
static size_t pp_anchors(struct pp_ctx *c, size_t d, size_t max)
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
	step = na > max ? na / max : 1;
	for (out = 0, i = 0; i < na && out < max; i += step)
		c->anchor[out++] = c->anchor[i];
	return out;
}

/* pp_keep - the current line becomes the best one. */
static void pp_keep(struct pp_ctx *c)
{
	c->best.period = c->cur.period;
	memcpy(c->best.phase, c->cur.phase, c->g->runs * sizeof(*c->best.phase));
}

/*
 * pp_fundamental - the best line's period divided by 2 .. PP_MAX_DIVISOR, each fitted from the
 * best line's phases (a run without one gets its likeliest), replaces it when it fills more
 * positions beyond chance. A flush every 256 iterations among dense bursts of other spikes
 * came out as lines of 512 or 768: its spacing drowned in the bursts' (the spacings counted
 * reach only 16 spikes ahead), and only a multiple made a candidate. The multiple's spikes all
 * lie on the fundamental, which fills its other positions too; a period that is no divisor
 * (384 for 768 of a 256 line) leaves half of its positions empty and loses.
 */
static void pp_fundamental(struct pp_ctx *c, double *best)
{
	double p = pp_chance(c), period = c->best.period, excess;
	struct pp_eval e;
	size_t k, r;

	for (k = 2; k <= PP_MAX_DIVISOR && period / (double)k >= PP_MIN_PERIOD; k++) {
		c->cur.period = period / (double)k;
		for (r = 0; r < c->g->runs; r++)
			c->cur.phase[r] = isnan(c->best.phase[r])
					      ? pp_best_phase(c, r, c->cur.period)
					      : pp_wrap(c->best.phase[r], c->cur.period);
		if (!pp_refit(c, &c->cur) || !pp_refit(c, &c->cur) || !pp_confirm(c, &c->cur) ||
		    !pp_refit(c, &c->cur))
			continue;
		pp_count(c, &c->cur, &e);
		excess = (double)e.hits - p * (double)e.positions;
		if (excess <= *best)
			continue;
		*best = excess;
		pp_keep(c);
	}
}

/*
 * pp_search - the line that fills the most positions beyond what chance fills (p of each) over
 * all candidates and anchors: with dense spikes a short period fills many positions by chance.
 * The line's period is then tried divided (pp_fundamental).
 */
static bool pp_search(struct pp_ctx *c, const struct patterns_opts *o, struct pp_eval *be)
{
	size_t cand[PP_CANDIDATES + PP_BACKUPS], nc, i, a, na;
	struct pp_eval e;
	double p0, p = pp_chance(c), excess, best = 0;
	bool found = false;

	nc = pp_candidates(c, o, cand);
	for (i = 0; i < nc; i++) {
		p0 = (double)(cand[i] * c->hist[cand[i]] + (cand[i] + 1) * c->hist[cand[i] + 1]) /
		     (c->hist[cand[i]] + c->hist[cand[i] + 1]);
		/* the second ranking only backs up the first: fewer tries */
		na = pp_anchors(c, cand[i], i < PP_CANDIDATES ? PP_ANCHORS : PP_ANCHORS / 3);
		for (a = 0; a < na; a++) {
			if (!pp_grow(c, c->anchor[a], p0, &c->cur))
				continue;
			pp_count(c, &c->cur, &e);
			excess = (double)e.hits - p * (double)e.positions;
			if (found &&
			    (excess < best || (excess == best && c->cur.period >= c->best.period)))
				continue;
			best = excess;
			pp_keep(c);
			found = true;
		}
	}
	if (found) {
		pp_fundamental(c, &best);
		pp_count(c, &c->best, be); /* c->on for the best line */
	}
	return found;
}

/*
 * pp_significant - enough spikes over enough periods, and too regular to be chance: a +-1
 * window at a random place holds one of the live spikes (the line's own included, so that
 * dense noise cannot fit a line through itself) with probability p; the line must fill at
 * least twice that share of its positions (when spikes are so dense that p > 1/3, at least
 * half of the positions chance leaves empty), and more than its free parameters (a period, a
 * phase per run) explain must be unlikely for every line tried (Bonferroni over the spike
 * pairs that proposed them).
 */
static bool pp_significant(const struct pp_ctx *c, const struct patterns_opts *o,
			   const struct pp_eval *e)
{
	double p = pp_chance(c);
	double rate = (double)e->hits / (double)e->positions;
	size_t free_params = e->runs + 1;

	if (e->spikes < o->min_support || e->hits <= free_params || e->positions < e->hits)
		return false;
	if ((size_t)(e->kmax - e->kmin + 1) < o->min_periods)
		return false;
	if (rate < o->min_hit_rate || rate < fmin(2 * p, (1 + p) / 2))
		return false;
	return patterns_binom_sf(e->hits - free_params, e->positions - free_params, p) *
		   fmax(c->pairs, 1) <=
	       o->alpha;
}

/* pp_phases - the per-run phases of the best line into @l, and whether they agree. */
static void pp_phases(const struct pp_ctx *c, struct patterns_line *l)
{
	double d, first = NAN;
	size_t r;

	l->nphases = c->g->runs < PATTERNS_MAX_PHASES ? c->g->runs : PATTERNS_MAX_PHASES;
	l->same_phase = true;
	for (r = 0; r < c->g->runs; r++) {
		if (r < l->nphases)
			l->phases[r] = c->best.phase[r];
		if (isnan(c->best.phase[r]))
			continue;
		if (isnan(first))
			first = c->best.phase[r];
		d = fabs(c->best.phase[r] - first);
		l->same_phase &= fmin(d, c->best.period - d) <= PP_TOL;
	}
	l->phase = first;
}

/* pp_take - describe the line found and mark its spikes taken. Returns 0 or -ENOMEM. */
static int pp_take(const struct pp_ctx *c, const struct spike *sp, size_t n, double median_ns,
		   const struct pp_eval *e, bool *taken, struct patterns_line *l)
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
	    .period = c->best.period,
	    .magnitude = median_ns > 0 ? stats_percentile(lat, m, 0.5) / median_ns : NAN,
	    .share = (double)e->spikes / (double)n,
	    .hit_rate = (double)e->hits / (double)e->positions,
	    .support = e->spikes,
	};
	pp_phases(c, l);
	free(lat);
	return 0;
}

/* pp_alloc - the context's arrays for @n spikes on c->g. Returns 0 or -ENOMEM. */
static int pp_alloc(struct pp_ctx *c, size_t n)
{
	size_t runs = c->g->runs;

	c->pt = malloc(n * sizeof(*c->pt));
	c->anchor = malloc(n * sizeof(*c->anchor));
	c->on = malloc(n * sizeof(*c->on));
	c->hist = malloc(c->g->iterations * sizeof(*c->hist));
	c->expect = malloc(c->g->iterations * sizeof(*c->expect));
	c->bins = malloc((c->g->iterations + 1) * sizeof(*c->bins));
	c->run_start = malloc((runs + 1) * sizeof(*c->run_start));
	c->sums = malloc(3 * runs * sizeof(*c->sums));
	c->cur.phase = malloc(runs * sizeof(*c->cur.phase));
	c->best.phase = malloc(runs * sizeof(*c->best.phase));
	if (!c->pt || !c->anchor || !c->on || !c->hist || !c->expect || !c->bins || !c->run_start ||
	    !c->sums || !c->cur.phase || !c->best.phase)
		return -ENOMEM;
	return 0;
}

static void pp_free(struct pp_ctx *c)
{
	free(c->best.phase);
	free(c->cur.phase);
	free(c->sums);
	free(c->run_start);
	free(c->bins);
	free(c->expect);
	free(c->hist);
	free(c->on);
	free(c->anchor);
	free(c->pt);
}

int patterns_periodic(const struct spike *sp, size_t n, const struct patterns_grid *g,
		      const struct patterns_opts *o, double median_ns, bool *taken,
		      struct patterns_line *out, size_t max, size_t *nout)
{
	struct pp_ctx c = {.g = g};
	struct pp_eval e;
	int rc;

	if ((!sp && n) || !g || !o || !taken || (!out && max) || !nout)
		return -EINVAL;
	*nout = 0;
	if (!n || !g->runs || g->iterations < 2 * PP_MIN_PERIOD ||
	    g->iterations > PATTERNS_MAX_ITERATIONS)
		return 0;
	rc = pp_alloc(&c, n);
	while (!rc && *nout < max && pp_live(&c, sp, n, taken) >= o->min_support) {
		pp_spacings(&c);
		if (!pp_search(&c, o, &e) || !pp_significant(&c, o, &e))
			break;
		rc = pp_take(&c, sp, n, median_ns, &e, taken, &out[*nout]);
		*nout += !rc;
	}
	pp_free(&c);
	return rc;
}
