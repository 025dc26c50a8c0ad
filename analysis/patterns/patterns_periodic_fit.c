// SPDX-License-Identifier: MIT
/*
 * patterns_periodic_fit - the arithmetic of one periodic line: least squares of spike iteration
 * against its index on the line (a fractional period, 170.67 for a 4096-byte buffer filled by
 * 24-byte lines, comes out as such), one period shared by all runs with a phase per run, the
 * spikes and positions a line holds, and the per-run chance test.
 */
#include <limits.h>
#include <math.h>
#include <string.h>

#include "analysis/patterns/patterns_chance.h"
#include "analysis/patterns/patterns_exact.h"
#include "analysis/patterns/patterns_periodic_fit.h"

/* pfit_lsq_run - least squares of iteration on position over run @r's spikes near the line. */
static bool pfit_lsq_run(const struct pfit_ctx *c, size_t r, double *period, double *phase,
			 double width)
{
	double sk = 0, sx = 0, skk = 0, skx = 0, m = 0, k, x, det, inv = 1 / *period;
	size_t i;

	for (i = c->run_start[r]; i < c->run_start[r + 1]; i++) {
		x = c->pt[i].x;
		k = patterns_nearest(x - *phase, inv);
		if (fabs(k) > width || fabs(x - *phase - *period * k) > PFIT_FIT_TOL)
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
	return *period >= PFIT_MIN_PERIOD && *period < c->g->iterations;
}

/* pfit_best_phase - the phase of run @r that the most of its spikes fall on (+-1), or NAN. */
double pfit_best_phase(const struct pfit_ctx *c, size_t r, double period)
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
/* pfit_wrap - @phase moved into [0, period). */
double pfit_wrap(double phase, double period)
{
	phase = fmod(phase, period);
	return phase < 0 ? phase + period : phase;
}

/*
 * pfit_fit_run - run @r's spikes within PFIT_FIT_TOL of the line: count, sum k, x, k^2, k x. The
 * short periods the search tries first put half the spikes near the line: they are summed
 * times 0 or 1, not branched on.
 */
static void pfit_fit_run(const struct pfit_ctx *c, const struct pfit_line *f, size_t r, double *s)
{
	size_t i, end = c->run_start[r + 1];
	double x, k, on, ph = f->phase[r], inv = 1 / f->period;
	double m = 0, sk = 0, sx = 0, skk = 0, skx = 0;

	for (i = c->run_start[r]; !isnan(ph) && i < end; i++) {
		x = c->pt[i].x;
		k = patterns_nearest(x - ph, inv);
		on = !(fabs(x - ph - f->period * k) > PFIT_FIT_TOL);
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
 * pfit_refit - least squares with one period for all runs and an intercept per run (the
 * within-run deviations pooled), over the spikes within PFIT_FIT_TOL of the current line.
 */
bool pfit_refit(struct pfit_ctx *c, struct pfit_line *f)
{
	double sxx = 0, sxy = 0, s[5], *sum;
	size_t r;

	for (r = 0; r < c->g->runs; r++) {
		sum = &c->sums[3 * r];
		pfit_fit_run(c, f, r, s); /* m, sk, sx, skk, skx */
		sum[0] = s[0];
		sum[1] = s[1];
		sum[2] = s[2];
		sxx += s[0] ? s[3] - s[1] * s[1] / s[0] : 0;
		sxy += s[0] ? s[4] - s[1] * s[2] / s[0] : 0;
	}
	if (sxx <= 0 || sxy / sxx < PFIT_MIN_PERIOD || sxy / sxx >= c->g->iterations)
		return false;
	f->period = sxy / sxx;
	for (r = 0; r < c->g->runs; r++) {
		sum = &c->sums[3 * r];
		f->phase[r] =
		    sum[0] ? pfit_wrap((sum[2] - f->period * sum[1]) / sum[0], f->period) : NAN;
	}
	return true;
}

/* pfit_positions - the positions of a line of @period at @phase within a run (+-PFIT_TOL). */
static size_t pfit_positions(const struct pfit_ctx *c, double period, double phase)
{
	double first = ceil((-PFIT_TOL - phase) / period);
	double last = floor((c->g->iterations - 1 + PFIT_TOL - phase) / period);

	return last >= first ? (size_t)(last - first + 1) : 0;
}

/*
 * pfit_run_count - add run @r's spikes on the line (into c->on) to @e; returns its hits. As in
 * pfit_fit_run, every spike goes through the same steps, whether on the line or not.
 */
static size_t pfit_run_count(const struct pfit_ctx *c, const struct pfit_line *f, size_t r,
			     struct pfit_eval *e)
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
		on = fabs(c->pt[i].x - ph - f->period * (double)k) <= PFIT_TOL;
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

/* pfit_count - the spikes on the fitted line (into c->on) and the positions they fill. */
void pfit_count(const struct pfit_ctx *c, const struct pfit_line *f, struct pfit_eval *e)
{
	size_t r;

	memset(e, 0, sizeof(*e));
	for (r = 0; r < c->g->runs; r++) {
		e->positions += pfit_positions(c, f->period, isnan(f->phase[r]) ? 0 : f->phase[r]);
		pfit_run_count(c, f, r, e);
	}
}

/* pfit_chance - the probability that a +-1 window holds a live spike: the null of every test. */
double pfit_chance(const struct pfit_ctx *c)
{
	return 1 -
	       pow(1 - (double)c->n / ((double)c->g->runs * c->g->iterations), 2 * PFIT_TOL + 1);
}

/*
 * pfit_confirm - keep the runs where the line is more than chance on its own. A run whose phase
 * differs from the strongest run's had that phase chosen among period / 3 windows, and pays
 * for the choice (Bonferroni); without this, ten runs of noise each pick their luckiest phase
 * and add up to a line. Returns whether a run is left.
 */
bool pfit_confirm(struct pfit_ctx *c, struct pfit_line *f)
{
	double p = pfit_chance(c), w, d, *hits = c->sums; /* 3 per run: only [3 r] used here */
	size_t r, ref = 0, kept = 0;
	struct pfit_eval e = {0};

	for (r = 0; r < c->g->runs; r++) {
		hits[3 * r] = (double)pfit_run_count(c, f, r, &e);
		if (hits[3 * r] > hits[3 * ref])
			ref = r;
	}
	for (r = 0; r < c->g->runs; r++) {
		if (isnan(f->phase[r]))
			continue;
		d = fabs(f->phase[r] - f->phase[ref]);
		w = fmin(d, f->period - d) <= PFIT_TOL ? 1 : f->period / (2 * PFIT_TOL + 1);
		if (w * patterns_binom_sf((size_t)hits[3 * r],
					  pfit_positions(c, f->period, f->phase[r]), p) >
		    PFIT_RUN_ALPHA)
			f->phase[r] = NAN;
		kept += !isnan(f->phase[r]);
	}
	return kept > 0;
}

/* pfit_grow - a line from the spike @a and a first period: its run first, then all runs. */
bool pfit_grow(struct pfit_ctx *c, size_t a, double p0, struct pfit_line *f)
{
	static const double widths[] = {4, 16, 64, 256, INFINITY};
	double phase = c->pt[a].x;
	size_t w, r, r0 = c->pt[a].run;

	f->period = p0;
	for (w = 0; w < sizeof(widths) / sizeof(widths[0]); w++)
		if (!pfit_lsq_run(c, r0, &f->period, &phase, widths[w]))
			return false;
	for (r = 0; r < c->g->runs; r++)
		f->phase[r] =
		    r == r0 ? pfit_wrap(phase, f->period) : pfit_best_phase(c, r, f->period);
	return pfit_refit(c, f) && pfit_refit(c, f) && pfit_confirm(c, f) && pfit_refit(c, f);
}

void pfit_copy(const struct pfit_ctx *c, struct pfit_line *dst, const struct pfit_line *src)
{
	dst->period = src->period;
	memcpy(dst->phase, src->phase, c->g->runs * sizeof(*dst->phase));
}
