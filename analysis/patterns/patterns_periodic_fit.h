/* SPDX-License-Identifier: MIT */
/*
 * patterns_periodic_fit - the model of one periodic line that patterns_periodic searches with:
 * the live spikes, a line (one period, a phase per run), its least-squares fit, the spikes and
 * positions it holds, and the per-run chance test. Internal to patterns_periodic: the search
 * (candidates, anchors, the fundamental) lives there, the arithmetic of a line here.
 */
#ifndef RINGSCOPE_PATTERNS_PERIODIC_FIT_H
#define RINGSCOPE_PATTERNS_PERIODIC_FIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "analysis/patterns/patterns_opts.h"

#define PFIT_MIN_PERIOD 6   /* a +-1 window covers 3 iterations: a line needs room between */
#define PFIT_TOL	1.0 /* a spike is on the line within +-1 iteration of its position */
#define PFIT_FIT_TOL	1.5 /* looser while the period is still being refined */
/* a run keeps its part of a line when chance explains it less often than this */
#define PFIT_RUN_ALPHA 0.01

/* pfit_pt - a live spike. */
struct pfit_pt {
	double x;
	uint32_t run;
	uint32_t idx; /* in the caller's spike array */
};

/* pfit_line - a line: phase[run] + period k. */
struct pfit_line {
	double period;
	double *phase; /* per run, in [0, period); NAN: the run has no spike on the line */
};

/* pfit_ctx - the search's state: the live spikes and the scratch arrays of the fits. */
struct pfit_ctx {
	struct pfit_pt *pt; /* the live spikes by run, then iteration */
	size_t n;
	size_t *run_start; /* g->runs + 1 offsets into pt */
	const struct patterns_grid *g;
	uint32_t *hist;	       /* spacing -> pairs, g->iterations entries */
	double *expect;	       /* spacing -> pairs that spikes at random would give */
	uint32_t *bins;	       /* phase histogram of one run, g->iterations + 1 entries */
	uint32_t *anchor;      /* scratch: indices into pt */
	double *sums;	       /* 3 per run: points, sum of k, sum of x */
	bool *on;	       /* per pt: on the line last counted */
	double pairs;	       /* spacings counted: the lines tried, for the chance test */
	struct pfit_line cur;  /* being fitted */
	struct pfit_line best; /* the best of one candidate period; at the end, of all */
	struct pfit_line top;  /* the best of the candidates tried so far */
	struct pfit_line mult; /* a line being tried divided */
};

/* pfit_eval - what a line holds. */
struct pfit_eval {
	size_t spikes;	  /* on the line */
	size_t hits;	  /* (run, position) pairs with a spike */
	size_t positions; /* predicted (run, position) pairs */
	size_t runs;	  /* runs with a spike on the line */
	long kmin, kmax;  /* first and last position hit */
};

/* pfit_best_phase - the phase of run @r that the most of its spikes fall on (+-1), or NAN. */
double pfit_best_phase(const struct pfit_ctx *c, size_t r, double period);

/* pfit_wrap - @phase moved into [0, period). */
double pfit_wrap(double phase, double period);

/* pfit_refit - one period for all runs, a phase per run, by least squares; false if none. */
bool pfit_refit(struct pfit_ctx *c, struct pfit_line *f);

/* pfit_count - the spikes on line @f (into c->on) and the positions they fill, into @e. */
void pfit_count(const struct pfit_ctx *c, const struct pfit_line *f, struct pfit_eval *e);

/* pfit_chance - the probability that a +-1 window holds a live spike: the null of every test. */
double pfit_chance(const struct pfit_ctx *c);

/* pfit_confirm - drop the runs whose part of @f chance explains; false when none is left. */
bool pfit_confirm(struct pfit_ctx *c, struct pfit_line *f);

/* pfit_grow - line @f from the live spike @a and a first period @p0; false if it fails. */
bool pfit_grow(struct pfit_ctx *c, size_t a, double p0, struct pfit_line *f);

/* pfit_copy - @src's period and phases into @dst. */
void pfit_copy(const struct pfit_ctx *c, struct pfit_line *dst, const struct pfit_line *src);

#endif
