/* SPDX-License-Identifier: MIT */
/*
 * projection_ci - quantiles of samples pooled over runs, with 95% intervals from a bootstrap of
 * whole runs: iterations of one run are not independent (a run is a cluster: its ring, its
 * placement, its page layout), so the runs, not the samples, are what is resampled.
 */
#ifndef RINGSCOPE_PROJECTION_CI_H
#define RINGSCOPE_PROJECTION_CI_H

#include <stddef.h>
#include <stdint.h>

#define PROJ_CI_RESAMPLES 400 /* bootstrap resamples of the runs */

/* proj_runs - values sorted within each run. */
struct proj_runs {
	double *v;     /* run 0's values ascending, then run 1's, ... */
	size_t *start; /* nruns + 1 offsets into v */
	size_t nruns;  /* runs with at least one value */
};

/*
 * proj_runs_build - group @n values @v by @run (any order, any run numbers). Returns 0, -EINVAL
 * (NULL with n > 0), -ENOMEM; @out is proj_runs_free()'s to release.
 */
int proj_runs_build(const double *v, const uint32_t *run, size_t n, struct proj_runs *out);

/* proj_runs_free - release what proj_runs_build() put into @r. */
void proj_runs_free(struct proj_runs *r);

/*
 * proj_runs_interval - the 2.5% and 97.5% points of quantile @q (0 < q < 1, as an order
 * statistic of the pooled values) over PROJ_CI_RESAMPLES resamples of the runs with
 * replacement, from a fixed seed (the same file gives the same interval). NAN for both with
 * fewer than 2 runs: one run says nothing of how runs differ. Returns 0 or -ENOMEM.
 */
int proj_runs_interval(const struct proj_runs *r, double q, double *lo, double *hi);

#endif
