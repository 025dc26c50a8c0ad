// SPDX-License-Identifier: MIT
/*
 * compare_clusters - a trace's latencies cut into clusters (its runs, or blocks of consecutive
 * iterations of each run) and the figures of each cluster: the observations of the run-level
 * comparison.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/compare/compare_runs.h"
#include "lib/stats.h"

static const char *const figure_names[COMPARE_NFIGURES] = {
    [COMPARE_P50] = "p50",
    [COMPARE_P90] = "p90",
    [COMPARE_P99] = "p99",
    [COMPARE_P999] = "p99.9",
    [COMPARE_TAIL90] = "p90-p50",
    [COMPARE_TAIL99] = "p99-p50",
    [COMPARE_TAIL999] = "p99.9-p50",
    [COMPARE_TAIL90_LOG] = "p90/p50",
    [COMPARE_TAIL99_LOG] = "p99/p50",
    [COMPARE_TAIL999_LOG] = "p99.9/p50",
};
/* The quantile of each of COMPARE_P50 .. COMPARE_P999. */
static const double levels[1 + COMPARE_NUPPER] = {0.5, 0.9, 0.99, 0.999};

const char *compare_figure_name(enum compare_figure f)
{
	return (unsigned int)f < COMPARE_NFIGURES ? figure_names[f] : "unknown";
}

bool compare_figure_is_log(enum compare_figure f)
{
	return f >= COMPARE_TAIL90_LOG && f < COMPARE_NFIGURES;
}

enum compare_figure compare_figure_upper(enum compare_figure f)
{
	if (f >= COMPARE_TAIL90_LOG)
		return COMPARE_P90 + (f - COMPARE_TAIL90_LOG);
	if (f >= COMPARE_TAIL90)
		return COMPARE_P90 + (f - COMPARE_TAIL90);
	return f;
}

/* A sample's place: its run, then its position (the order the runs recorded it in). */
struct placed {
	uint32_t run;
	size_t pos;
};

static int by_run_then_pos(const void *x, const void *y)
{
	const struct placed *a = x, *b = y;

	if (a->run != b->run)
		return a->run < b->run ? -1 : 1;
	return a->pos < b->pos ? -1 : a->pos > b->pos;
}

/* sorted_runs - @n places ordered by run, positions kept in order; NULL on no memory. */
static struct placed *sorted_runs(const uint32_t *run, size_t n)
{
	struct placed *p = malloc(n * sizeof(*p));
	size_t i;

	if (!p)
		return NULL;
	for (i = 0; i < n; i++)
		p[i] = (struct placed){.run = run ? run[i] : 0, .pos = i};
	qsort(p, n, sizeof(*p), by_run_then_pos);
	return p;
}

/* runs_in - the distinct runs of @n places ordered by run. */
static size_t runs_in(const struct placed *p, size_t n)
{
	size_t i, runs = n ? 1 : 0;

	for (i = 1; i < n; i++)
		runs += p[i].run != p[i - 1].run;
	return runs;
}

size_t compare_count_runs(const uint32_t *run, size_t n)
{
	struct placed *p;
	size_t runs;

	if (!n || !run)
		return n ? 1 : 0;
	p = sorted_runs(run, n);
	runs = p ? runs_in(p, n) : 0;
	free(p);
	return runs;
}

/* figures_of - the figures of the @n latencies in @v (sorted in place). */
static void figures_of(double *v, size_t n, double floor_ns, double *fig)
{
	double q;
	int k;

	stats_sort(v, n);
	for (k = 0; k <= COMPARE_NUPPER; k++)
		fig[COMPARE_P50 + k] = stats_percentile(v, n, levels[k]);
	for (k = 0; k < COMPARE_NUPPER; k++) {
		q = fig[COMPARE_P90 + k];
		fig[COMPARE_TAIL90 + k] = q - fig[COMPARE_P50];
		fig[COMPARE_TAIL90_LOG + k] =
		    log(fmax(q, floor_ns) / fmax(fig[COMPARE_P50], floor_ns));
	}
}

/* blocks_of - how many blocks a run of @len samples is cut into: @want, fewer if they'd be small.
 */
static size_t blocks_of(size_t len, size_t want)
{
	size_t most = len / COMPARE_MIN_CLUSTER_SAMPLES;

	if (want > most)
		want = most;
	return want ? want : 1;
}

/*
 * cut_run - append the figures of run @p[0..len) cut into blocks (consecutive, sizes differing by
 * one at most) to @fig from *@k on. @buf holds @len values.
 */
static void cut_run(const double *lat, const struct placed *p, size_t len, size_t want,
		    double floor_ns, double *buf, double (*fig)[COMPARE_NFIGURES], size_t *k)
{
	size_t nb = blocks_of(len, want), b, i, from, to;

	for (b = 0; b < nb; b++) {
		from = len * b / nb;
		to = len * (b + 1) / nb;
		for (i = from; i < to; i++)
			buf[i - from] = lat[p[i].pos];
		figures_of(buf, to - from, floor_ns, fig[(*k)++]);
	}
}

int compare_clusters(const double *lat, const uint32_t *run, size_t n, size_t blocks_per_run,
		     double floor_ns, double (**fig)[COMPARE_NFIGURES], size_t *nclusters,
		     size_t *nruns)
{
	struct placed *p = NULL;
	double *buf = NULL;
	double(*f)[COMPARE_NFIGURES] = NULL;
	size_t i, start, k = 0, runs = 0;
	int rc = -ENOMEM;

	if (!lat || !n || !blocks_per_run || !fig || !nclusters || !nruns)
		return -EINVAL;
	p = sorted_runs(run, n);
	if (!p)
		goto cleanup;
	runs = runs_in(p, n);
	buf = malloc(n * sizeof(*buf));
	f = malloc(runs * blocks_per_run * sizeof(*f));
	if (!buf || !f)
		goto cleanup;
	for (start = 0, i = 1; i <= n; i++) {
		if (i < n && p[i].run == p[start].run)
			continue;
		cut_run(lat, p + start, i - start, blocks_per_run, floor_ns, buf, f, &k);
		start = i;
	}
	*fig = f;
	*nclusters = k;
	*nruns = runs;
	f = NULL;
	rc = 0;
cleanup:
	free(p);
	free(buf);
	free(f);
	return rc;
}
