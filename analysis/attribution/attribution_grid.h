/* SPDX-License-Identifier: MIT */
/*
 * attribution_grid - whether moments lie on a grid of wall time: the spikes no guest event
 * explains, when a source the guest cannot see (a host timer) makes them at a fixed rate.
 */
#ifndef RINGSCOPE_ATTRIBUTION_GRID_H
#define RINGSCOPE_ATTRIBUTION_GRID_H

#include <stddef.h>
#include <stdint.h>

/* Moments this close to a multiple of the period after the one before are on the grid. */
#define ATTR_GRID_TOL_NS 2000
/* A period shorter than this many tolerances would fit random moments too. */
#define ATTR_GRID_MIN_PERIODS_OF_TOL 50
/* A grid holds when this share of the gaps between consecutive moments fit it. */
#define ATTR_GRID_MIN_SHARE 0.8
/* The moments looked at: the first this many (the search is quadratic in them). */
#define ATTR_GRID_MAX_MOMENTS 512
/* Fewer moments say nothing of a period. */
#define ATTR_GRID_MIN_MOMENTS 8

/* attr_grid - a period of wall time and the gaps between consecutive moments that fit it. */
struct attr_grid {
	double period_ns; /* 0: no grid */
	size_t fit;	  /* gaps within ATTR_GRID_TOL_NS of a whole number of periods */
	size_t gaps;	  /* gaps looked at */
};

/*
 * attr_grid_find - the longest period of which at least ATTR_GRID_MIN_SHARE of the gaps between
 * consecutive moments of @t (@n of them, sorted; the first ATTR_GRID_MAX_MOMENTS) are whole
 * multiples, within ATTR_GRID_TOL_NS. Candidates are the distinct gaps, so the period is one the
 * moments show, each refined to the median of gap / multiple. A grid also fits its fractions;
 * the longest is the source's. Nothing below ATTR_GRID_MIN_MOMENTS moments or
 * ATTR_GRID_MIN_PERIODS_OF_TOL tolerances. Returns 0 or -ENOMEM.
 */
int attr_grid_find(const uint64_t *t, size_t n, struct attr_grid *out);

#endif
