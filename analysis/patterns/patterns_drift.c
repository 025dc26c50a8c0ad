// SPDX-License-Identifier: MIT
/*
 * patterns_drift - spikes whose iteration moves steadily from run to run (the paper's
 * diagonals, "memory between runs": state that outlives a run shifts where the next one meets
 * it). Slopes are voted by the spacing of spikes in adjacent runs; each well-voted slope is
 * grown from its voting pairs and refitted with Theil-Sen, robust to a stray spike.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/patterns/patterns_chance.h"
#include "analysis/patterns/patterns_drift.h"
#include "lib/stats.h"

#define PD_CANDIDATES 8	  /* slopes tried per drift */
#define PD_SEEDS      32  /* voting pairs a slope is grown from */
#define PD_TOL	      2.0 /* a spike is on the drift within +-2 iterations of it */
#define PD_MIN_SLOPE  0.5
#define PD_TS_POINTS  256 /* points of a Theil-Sen fit: 32,640 pairwise slopes at most */

struct pd_ctx {
	const struct spike *sp;
	const struct patterns_grid *g;
	uint32_t *idx; /* live spikes by run, then iteration */
	uint32_t *it;  /* their iterations, side by side for the vote */
	size_t n;
	size_t *run_start; /* g->runs + 1 offsets into idx */
	uint32_t *votes;   /* slope + iterations -> adjacent-run pairs */
	double *scratch;   /* Theil-Sen: runs + PD_TS_POINTS^2 doubles */
	double *px, *pr;   /* the closest spike per run: iteration, run */
	double pairs;
};

struct pd_line {
	double slope, intercept;
	size_t runs, covered;
};

static int pd_cmp(const void *a, const void *b, void *ctx)
{
	const struct spike *sp = ctx;
	const struct spike *x = &sp[*(const uint32_t *)a], *y = &sp[*(const uint32_t *)b];

	if (x->run != y->run)
		return x->run < y->run ? -1 : 1;
	return x->iteration < y->iteration ? -1 : x->iteration > y->iteration;
}

/* pd_live - the spikes not taken, by run and iteration, with each run's first index. */
static void pd_live(struct pd_ctx *c, size_t n, const bool *taken)
{
	size_t i, r;

	c->n = 0;
	for (i = 0; i < n; i++)
		if (!taken[i] && c->sp[i].run < c->g->runs && c->sp[i].iteration < c->g->iterations)
			c->idx[c->n++] = (uint32_t)i;
	qsort_r(c->idx, c->n, sizeof(*c->idx), pd_cmp, (void *)c->sp);
	for (i = 0; i < c->n; i++)
		c->it[i] = c->sp[c->idx[i]].iteration;
	for (r = 0, i = 0; r <= c->g->runs; r++) {
		while (i < c->n && c->sp[c->idx[i]].run < r)
			i++;
		c->run_start[r] = i;
	}
}

static double pd_x(const struct pd_ctx *c, size_t i)
{
	return (double)c->sp[c->idx[i]].iteration;
}

/*
 * pd_vote - every pair of spikes in adjacent runs votes for its spacing as the slope (a
 * paper-sized probe has 170 million pairs: the iterations are read from one packed array).
 */
static void pd_vote(struct pd_ctx *c)
{
	size_t r, i, j, off = c->g->iterations, next, end;
	uint32_t *v;

	memset(c->votes, 0, 2 * off * sizeof(*c->votes));
	c->pairs = 0;
	for (r = 0; r + 1 < c->g->runs; r++) {
		next = c->run_start[r + 1];
		end = c->run_start[r + 2];
		for (i = c->run_start[r]; i < next; i++) {
			v = c->votes + off - c->it[i];
			for (j = next; j < end; j++)
				v[c->it[j]]++;
		}
		c->pairs += (double)(next - c->run_start[r]) * (double)(end - next);
	}
}

/* pd_candidates - the non-zero slopes with the most votes (+-1), apart from each other. */
static size_t pd_candidates(const struct pd_ctx *c, long *cand)
{
	long d, k, off = c->g->iterations;
	uint32_t score, top;
	size_t nc = 0;
	bool near;

	while (nc < PD_CANDIDATES) {
		top = 1;
		for (d = 1 - off + 1; d < off - 1; d++) {
			score = c->votes[d - 1 + off] + c->votes[d + off] + c->votes[d + 1 + off];
			for (near = d == 0, k = 0; k < (long)nc; k++)
				near |= labs(d - cand[k]) <= 2;
			if (!near && score > top) {
				top = score;
				cand[nc] = d;
			}
		}
		if (top == 1)
			break;
		nc++;
	}
	return nc;
}

/* pd_nearest - index of the spike of run @r closest to @x, or SIZE_MAX when the run has none. */
static size_t pd_nearest(const struct pd_ctx *c, size_t r, double x)
{
	size_t lo = c->run_start[r], hi = c->run_start[r + 1], mid;

	if (lo == hi)
		return SIZE_MAX;
	while (hi - lo > 1) {
		mid = lo + (hi - lo) / 2;
		if (pd_x(c, mid) <= x)
			lo = mid;
		else
			hi = mid;
	}
	if (lo + 1 < c->run_start[r + 1] && fabs(pd_x(c, lo + 1) - x) < fabs(pd_x(c, lo) - x))
		lo++;
	return lo;
}

/* pd_collect - per run, the spike closest to the line if within PD_TOL (into px, pr). */
static size_t pd_collect(struct pd_ctx *c, struct pd_line *l)
{
	size_t r, i, m = 0;
	double x;

	l->covered = 0;
	for (r = 0; r < c->g->runs; r++) {
		x = l->intercept + l->slope * (double)r;
		if (x < -PD_TOL || x > c->g->iterations - 1 + PD_TOL)
			continue;
		l->covered++;
		i = pd_nearest(c, r, x);
		if (i == SIZE_MAX || fabs(pd_x(c, i) - x) > PD_TOL)
			continue;
		c->px[m] = pd_x(c, i);
		c->pr[m++] = (double)r;
	}
	return m;
}

/*
 * pd_theil_sen - median of the pairwise slopes (of every step-th point past PD_TS_POINTS, so that
 * thousands of runs stay cheap), then the median intercept.
 */
static void pd_theil_sen(struct pd_ctx *c, size_t m, struct pd_line *l)
{
	size_t i, j, k = 0, step = m > PD_TS_POINTS ? (m + PD_TS_POINTS - 1) / PD_TS_POINTS : 1;

	for (i = 0; i < m; i += step)
		for (j = i + step; j < m; j += step)
			c->scratch[k++] = (c->px[j] - c->px[i]) / (c->pr[j] - c->pr[i]);
	stats_sort(c->scratch, k);
	l->slope = stats_percentile(c->scratch, k, 0.5);
	for (i = 0; i < m; i++)
		c->scratch[i] = c->px[i] - l->slope * c->pr[i];
	stats_sort(c->scratch, m);
	l->intercept = stats_percentile(c->scratch, m, 0.5);
}

/* pd_grow - the drift through spike i (run r) and j (run r + 1), refitted, and its runs. */
static void pd_grow(struct pd_ctx *c, size_t r, size_t i, size_t j, struct pd_line *l)
{
	size_t m;

	l->slope = pd_x(c, j) - pd_x(c, i);
	l->intercept = pd_x(c, i) - l->slope * (double)r;
	m = pd_collect(c, l);
	if (m >= 2)
		pd_theil_sen(c, m, l);
	l->runs = pd_collect(c, l);
}

/* pd_seed_run - grow drifts from the pairs of runs @r, @r + 1 spaced @slope (+-1). */
static void pd_seed_run(struct pd_ctx *c, size_t r, long slope, size_t *seeds, struct pd_line *best,
			bool *found)
{
	struct pd_line l;
	size_t i, j;

	for (i = c->run_start[r]; i < c->run_start[r + 1] && *seeds < PD_SEEDS; i++) {
		for (j = c->run_start[r + 1]; j < c->run_start[r + 2]; j++) {
			if (fabs(pd_x(c, j) - pd_x(c, i) - (double)slope) > 1)
				continue;
			pd_grow(c, r, i, j, &l);
			(*seeds)++;
			if (!*found || l.runs > best->runs)
				*best = l;
			*found = true;
		}
	}
}

/* pd_search - the drift with spikes in the most runs over the candidate slopes' pairs. */
static bool pd_search(struct pd_ctx *c, struct pd_line *best)
{
	long cand[PD_CANDIDATES];
	size_t nc, k, r, seeds;
	bool found = false;

	nc = pd_candidates(c, cand);
	for (k = 0; k < nc; k++)
		for (seeds = 0, r = 0; r + 1 < c->g->runs && seeds < PD_SEEDS; r++)
			pd_seed_run(c, r, cand[k], &seeds, best, &found);
	return found;
}

/*
 * pd_significant - steep enough, in enough runs, and too straight to be chance: a +-2 window
 * holds one of the live spikes with probability p; the drift must hit at least twice that share
 * of the runs it crosses, and that many runs must be unlikely for every line tried (Bonferroni
 * over the adjacent-run pairs that proposed them).
 */
static bool pd_significant(const struct pd_ctx *c, const struct patterns_opts *o,
			   const struct pd_line *l)
{
	double cells = (double)c->g->runs * c->g->iterations;
	double p = 1 - pow(1 - (double)c->n / cells, 2 * PD_TOL + 1);

	if (fabs(l->slope) < PD_MIN_SLOPE || l->runs < o->min_drift_runs || l->runs < 2)
		return false;
	if ((double)l->runs < 2 * p * (double)l->covered)
		return false;
	return patterns_binom_sf(l->runs - 2, l->covered - 2, p) * fmax(c->pairs, 1) <= o->alpha;
}

/* pd_take - describe the drift, its spikes all those within PD_TOL; mark them taken. */
static int pd_take(const struct pd_ctx *c, double median_ns, const struct pd_line *l, bool *taken,
		   struct patterns_drift *d)
{
	double *lat = malloc((c->n ? c->n : 1) * sizeof(*lat));
	size_t i, m = 0;
	const struct spike *s;

	if (!lat)
		return -ENOMEM;
	for (i = 0; i < c->n; i++) {
		s = &c->sp[c->idx[i]];
		if (fabs((double)s->iteration - l->intercept - l->slope * s->run) > PD_TOL)
			continue;
		taken[c->idx[i]] = true;
		lat[m++] = (double)s->latency_ns;
	}
	stats_sort(lat, m);
	*d = (struct patterns_drift){
	    .slope = l->slope,
	    .intercept = l->intercept,
	    .magnitude = median_ns > 0 ? stats_percentile(lat, m, 0.5) / median_ns : NAN,
	    .support = m,
	    .runs = l->runs,
	};
	free(lat);
	return 0;
}

/* pd_alloc - the context's arrays for @n spikes on c->g. Returns 0 or -ENOMEM. */
static int pd_alloc(struct pd_ctx *c, size_t n)
{
	size_t runs = c->g->runs;

	c->idx = malloc(n * sizeof(*c->idx));
	c->it = malloc(n * sizeof(*c->it));
	c->run_start = malloc((runs + 1) * sizeof(*c->run_start));
	c->votes = malloc(2 * (size_t)c->g->iterations * sizeof(*c->votes));
	c->scratch = malloc((runs + PD_TS_POINTS * PD_TS_POINTS) * sizeof(*c->scratch));
	c->px = malloc(runs * sizeof(*c->px));
	c->pr = malloc(runs * sizeof(*c->pr));
	if (!c->idx || !c->it || !c->run_start || !c->votes || !c->scratch || !c->px || !c->pr)
		return -ENOMEM;
	return 0;
}

static void pd_free(struct pd_ctx *c)
{
	free(c->pr);
	free(c->px);
	free(c->scratch);
	free(c->votes);
	free(c->run_start);
	free(c->it);
	free(c->idx);
}

int patterns_drifts(const struct spike *sp, size_t n, const struct patterns_grid *g,
		    const struct patterns_opts *o, double median_ns, bool *taken,
		    struct patterns_drift *out, size_t max, size_t *nout)
{
	struct pd_ctx c = {.sp = sp, .g = g};
	struct pd_line l = {0};
	int rc;

	if ((!sp && n) || !g || !o || !taken || (!out && max) || !nout)
		return -EINVAL;
	*nout = 0;
	if (!n || g->runs < 3 || g->runs < o->min_drift_runs || g->iterations < 2 ||
	    g->iterations > PATTERNS_MAX_ITERATIONS)
		return 0;
	rc = pd_alloc(&c, n);
	while (!rc && *nout < max) {
		pd_live(&c, n, taken);
		pd_vote(&c);
		if (!pd_search(&c, &l) || !pd_significant(&c, o, &l))
			break;
		rc = pd_take(&c, median_ns, &l, taken, &out[*nout]);
		*nout += !rc;
	}
	pd_free(&c);
	return rc;
}
