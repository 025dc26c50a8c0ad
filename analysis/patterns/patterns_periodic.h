/* SPDX-License-Identifier: MIT */
/*
 * patterns_periodic - spikes that recur every P iterations within runs (the paper's horizontal
 * lines). docs/patterns.md explains the method.
 */
#ifndef RINGSCOPE_PATTERNS_PERIODIC_H
#define RINGSCOPE_PATTERNS_PERIODIC_H

#include <stdbool.h>
#include <stddef.h>

#include "analysis/model/spikes.h"
#include "analysis/patterns/patterns_opts.h"

#define PATTERNS_MAX_PHASES 16 /* per-run phases kept for a periodic line: the first runs' */

/*
 * patterns_line - spikes at phase[run] + period k (k integer, +-1 iteration): one period for all
 * runs, a phase per run (an event periodic in time meets each run at its own phase; a buffer
 * that every run starts empty at the same one).
 */
struct patterns_line {
	double period; /* iterations, fractional when the true spacing alternates */
	double phase;  /* iteration of the first position in the first run that has one */
	double phases[PATTERNS_MAX_PHASES]; /* per run, in [0, period); NAN: no spike on it */
	size_t nphases;			    /* min(runs, PATTERNS_MAX_PHASES) */
	bool same_phase;		    /* every run's phase within +-1 of the first */
	double magnitude; /* median latency of its spikes over the probe's median */
	double share;	  /* of all spikes of the probe */
	double hit_rate;  /* predicted positions (runs x periods) that hold a spike */
	size_t support;	  /* spikes on it */
};

/*
 * patterns_periodic - the periodic lines among @n spikes (any order) on @g, strongest first, at
 * most @max. Spikes with @taken[i] set are ignored; the spikes of each line found get
 * @taken[i] set (@taken has @n entries, zeroed by the caller). @median_ns scales magnitudes.
 * Returns 0, -EINVAL, -ENOMEM.
 */
int patterns_periodic(const struct spike *sp, size_t n, const struct patterns_grid *g,
		      const struct patterns_opts *o, double median_ns, bool *taken,
		      struct patterns_line *out, size_t max, size_t *nout);

#endif
