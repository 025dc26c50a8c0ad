// SPDX-License-Identifier: MIT
/*
 * patterns_periodic - spikes that recur every P iterations within runs (the paper's horizontal
 * lines: stdio buffer flushes, a timer meeting a steady loop). Candidate periods come from the
 * spacing of spikes within runs; each is grown from a spike of one run (patterns_periodic_fit:
 * least squares, one period for all runs, a phase per run) and tried divided, since a line's
 * multiples can propose it where its own spacing drowns among other spikes.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/patterns/patterns_chance.h"
#include "analysis/patterns/patterns_periodic.h"
#include "analysis/patterns/patterns_periodic_fit.h"
#include "lib/stats.h"

#define PP_NEIGHBOURS 16 /* spacings counted from a spike to the next ones of its run */
#define PP_CANDIDATES 6	 /* periods tried per line */
#define PP_ANCHORS    24 /* spikes a candidate line is grown from */
#define PP_BACKUPS    3	 /* candidates by the second ranking, grown from PP_ANCHORS / 3 */
/* a line's spikes paired up to PP_NEIGHBOURS ahead propose its multiples up to that one */
#define PP_MAX_DIVISOR PP_NEIGHBOURS

static int pp_cmp(const void *a, const void *b)
{
	const struct pfit_pt *x = a, *y = b;

	if (x->run != y->run)
		return x->run < y->run ? -1 : 1;
	return x->x < y->x ? -1 : x->x > y->x;
}

/* pp_live - the spikes not yet taken, sorted, with each run's first index; returns how many. */
static size_t pp_live(struct pfit_ctx *c, const struct spike *sp, size_t n, const bool *taken)
{
	size_t i, r;

	c->n = 0;
	for (i = 0; i < n; i++) {
		if (taken[i] || sp[i].run >= c->g->runs || sp[i].iteration >= c->g->iterations)
			continue;
		c->pt[c->n++] = (struct pfit_pt){(double)sp[i].iteration, sp[i].run, (uint32_t)i};
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
static void pp_spacings(struct pfit_ctx *c)
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
static void pp_expect(struct pfit_ctx *c, size_t dmax)
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
static size_t pp_pick(const struct pfit_ctx *c, size_t dmax, const size_t *cand, size_t nc,
		      bool in_sd)
{
	size_t d, k, best = 0;
	double score, top = 0, chance;
	uint32_t seen;
	bool near;

	for (d = PFIT_MIN_PERIOD; d + 1 < c->g->iterations && d <= dmax; d++) {
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
static size_t pp_candidates(struct pfit_ctx *c, const struct patterns_opts *o, size_t *cand)
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

/* pp_anchors - up to @max spikes, spread out, that start a pair spaced d or d + 1. */
static size_t pp_anchors(struct pfit_ctx *c, size_t d, size_t max)
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

/*
 * pp_excess - the positions line @f fills beyond the share that chance fills (into @e): with
 * dense spikes a short period fills many positions by chance.
 */
static double pp_excess(const struct pfit_ctx *c, const struct pfit_line *f, struct pfit_eval *e)
{
	pfit_count(c, f, e);
	return (double)e->hits - pfit_chance(c) * (double)e->positions;
}

/*
 * pp_fills_between - whether the divided line (@d) fills the positions its multiple (@m) does
 * not predict as a line must fill its own: at least min_hit_rate and twice chance, and unlikely
 * by chance at alpha. A divisor that is no fundamental fills them only by chance; its excess
 * over the multiple is then noise, as likely above zero as below.
 */
static bool pp_fills_between(const struct pfit_ctx *c, const struct patterns_opts *o,
			     const struct pfit_eval *d, const struct pfit_eval *m)
{
	double p = pfit_chance(c), rate;
	size_t hits, positions;

	if (d->hits <= m->hits || d->positions <= m->positions)
		return false;
	hits = d->hits - m->hits;
	positions = d->positions - m->positions;
	rate = (double)hits / (double)positions;
	return rate >= o->min_hit_rate && rate >= fmin(2 * p, (1 + p) / 2) &&
	       patterns_binom_sf(hits, positions, p) <= o->alpha;
}

/*
 * pp_divide - c->cur: the line c->mult divided by @k, from its phases (a run without one gets
 * its likeliest), refitted and confirmed run by run. False if nothing is left of it.
 */
static bool pp_divide(struct pfit_ctx *c, size_t k)
{
	size_t r;

	c->cur.period = c->mult.period / (double)k;
	for (r = 0; r < c->g->runs; r++)
		c->cur.phase[r] = isnan(c->mult.phase[r])
				      ? pfit_best_phase(c, r, c->cur.period)
				      : pfit_wrap(c->mult.phase[r], c->cur.period);
	return pfit_refit(c, &c->cur) && pfit_refit(c, &c->cur) && pfit_confirm(c, &c->cur) &&
	       pfit_refit(c, &c->cur);
}

/*
 * pp_fundamental - the line c->best divided by 2 .. PP_MAX_DIVISOR replaces it when it fills
 * more positions beyond chance (@best: c->best's excess, updated) and fills the positions
 * between as a line must (pp_fills_between). Issue 9.6: a flush every 256 iterations among
 * bursts of 256 fault spikes in a row came out as three lines of 1280 and, in another run, as
 * none: the spacings counted reach 16 spikes ahead, the bursts' short spacings outnumbered the
 * flush's, and only its multiples, whose chance count is lower, made candidates. A multiple's
 * spikes all lie on the fundamental, which fills its other positions too; a period that is no
 * divisor (384 for 768 of a 256 line) leaves half of them empty.
 */
static void pp_fundamental(struct pfit_ctx *c, const struct patterns_opts *o, double *best)
{
	struct pfit_eval m, e;
	double excess;
	size_t k;

	pfit_copy(c, &c->mult, &c->best);
	pfit_count(c, &c->mult, &m);
	for (k = 2; k <= PP_MAX_DIVISOR && c->mult.period / (double)k >= PFIT_MIN_PERIOD; k++) {
		if (!pp_divide(c, k))
			continue;
		excess = pp_excess(c, &c->cur, &e);
		if (excess <= *best || !pp_fills_between(c, o, &e, &m))
			continue;
		*best = excess;
		pfit_copy(c, &c->best, &c->cur);
	}
}

/*
 * pp_candidate - the line grown from candidate spacing @d (pairs d, d + 1) from up to
 * @max_anchors of its spikes that fills the most positions beyond chance (ties: the shorter
 * period), tried divided (pp_fundamental), into c->best and its excess into @best. False if
 * none grew.
 */
static bool pp_candidate(struct pfit_ctx *c, const struct patterns_opts *o, size_t d,
			 size_t max_anchors, double *best)
{
	double p0, excess;
	struct pfit_eval e;
	size_t a, na;
	bool found = false;

	p0 = (double)(d * c->hist[d] + (d + 1) * c->hist[d + 1]) / (c->hist[d] + c->hist[d + 1]);
	na = pp_anchors(c, d, max_anchors);
	for (a = 0; a < na; a++) {
		if (!pfit_grow(c, c->anchor[a], p0, &c->cur))
			continue;
		excess = pp_excess(c, &c->cur, &e);
		if (found &&
		    (excess < *best || (excess == *best && c->cur.period >= c->best.period)))
			continue;
		*best = excess;
		pfit_copy(c, &c->best, &c->cur);
		found = true;
	}
	if (found)
		pp_fundamental(c, o, best);
	return found;
}

/*
 * pp_search - the best line of all candidates (pp_candidate) into c->best, what it holds into
 * @be and its spikes into c->on. False if no candidate grew a line.
 */
static bool pp_search(struct pfit_ctx *c, const struct patterns_opts *o, struct pfit_eval *be)
{
	size_t cand[PP_CANDIDATES + PP_BACKUPS], nc, i;
	double excess = 0, top = 0;
	bool found = false;

	nc = pp_candidates(c, o, cand);
	for (i = 0; i < nc; i++) {
		/* the second ranking only backs up the first: fewer tries */
		if (!pp_candidate(c, o, cand[i], i < PP_CANDIDATES ? PP_ANCHORS : PP_ANCHORS / 3,
				  &excess))
			continue;
		if (found && (excess < top || (excess == top && c->best.period >= c->top.period)))
			continue;
		top = excess;
		pfit_copy(c, &c->top, &c->best);
		found = true;
	}
	if (found) {
		pfit_copy(c, &c->best, &c->top);
		pfit_count(c, &c->best, be);
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
static bool pp_significant(const struct pfit_ctx *c, const struct patterns_opts *o,
			   const struct pfit_eval *e)
{
	double p = pfit_chance(c);
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
static void pp_phases(const struct pfit_ctx *c, struct patterns_line *l)
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
		l->same_phase &= fmin(d, c->best.period - d) <= PFIT_TOL;
	}
	l->phase = first;
}

/* pp_take - describe the line found and mark its spikes taken. Returns 0 or -ENOMEM. */
static int pp_take(const struct pfit_ctx *c, const struct spike *sp, size_t n, double median_ns,
		   const struct pfit_eval *e, bool *taken, struct patterns_line *l)
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
static int pp_alloc(struct pfit_ctx *c, size_t n)
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
	c->top.phase = malloc(runs * sizeof(*c->top.phase));
	c->mult.phase = malloc(runs * sizeof(*c->mult.phase));
	if (!c->pt || !c->anchor || !c->on || !c->hist || !c->expect || !c->bins || !c->run_start ||
	    !c->sums || !c->cur.phase || !c->best.phase || !c->top.phase || !c->mult.phase)
		return -ENOMEM;
	return 0;
}

static void pp_free(struct pfit_ctx *c)
{
	free(c->mult.phase);
	free(c->top.phase);
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
	struct pfit_ctx c = {.g = g};
	struct pfit_eval e;
	int rc;

	if ((!sp && n) || !g || !o || !taken || (!out && max) || !nout)
		return -EINVAL;
	*nout = 0;
	if (!n || !g->runs || g->iterations < 2 * PFIT_MIN_PERIOD ||
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
