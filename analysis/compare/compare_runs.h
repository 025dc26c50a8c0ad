/* SPDX-License-Identifier: MIT */
/*
 * compare_runs - the run-level comparison the verdict is made of. The iterations of one run are
 * not independent samples (a run keeps its CPUs, its host placement, its caches), so two traces
 * of one configuration differ by what differs between runs. Each run is one cluster: its p50,
 * p90 and p99 and its tail's width and ratio are one observation, and B - A of their means gets
 * a Welch t interval from the spread between the runs of each trace. With too few runs, blocks
 * of consecutive iterations stand in for runs. docs/cli/compare.md explains the rule.
 */
#ifndef RINGSCOPE_COMPARE_RUNS_H
#define RINGSCOPE_COMPARE_RUNS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct compare_opts;

/* Fewer runs than this on either side, and blocks of iterations stand in for runs. */
#define COMPARE_MIN_RUNS 3
/* Blocks per side the fallback aims at, and the fewest samples a block may hold. */
#define COMPARE_BLOCKS_PER_SIDE	    8
#define COMPARE_MIN_CLUSTER_SAMPLES 20
/*
 * What is no difference: an interval that reaches within 2% of A's figure of 0 (and never less
 * than one timer step) finds none. Run-to-run spread shrinks with many runs; a 1% move of the
 * median is then "significant", yet no platform difference anyone would act on.
 */
#define COMPARE_DEFAULT_MIN_EFFECT_REL 0.02

/*
 * The figures of one cluster; B - A of each one's mean is an effect. Three families, each read
 * in turn by the verdict: the quantiles, their distances from p50 (unchanged by a shift) and
 * their ratios to p50 (unchanged by a scale). p99.9 is there because a CPU hog on a ring's CPU
 * shows in its far tail: here it made p50 faster (the vCPU never idles) and p99.9 35x longer.
 */
enum compare_figure {
	COMPARE_P50,	     /* ns */
	COMPARE_P90,	     /* ns */
	COMPARE_P99,	     /* ns */
	COMPARE_P999,	     /* ns */
	COMPARE_TAIL90,	     /* p90 - p50, ns */
	COMPARE_TAIL99,	     /* p99 - p50, ns */
	COMPARE_TAIL999,     /* p99.9 - p50, ns */
	COMPARE_TAIL90_LOG,  /* ln(p90 / p50) */
	COMPARE_TAIL99_LOG,  /* ln(p99 / p50) */
	COMPARE_TAIL999_LOG, /* ln(p99.9 / p50) */
	COMPARE_NFIGURES,
};
/* The quantiles above p50 (p90, p99, p99.9): the widths and the ratios have one each. */
#define COMPARE_NUPPER 3

/* compare_effect - B - A of one figure's mean over the clusters, with its interval. */
struct compare_effect {
	double a;	  /* A's mean */
	double effect;	  /* B's mean - A's mean */
	double low, high; /* the interval at the comparison's confidence */
	double margin;	  /* |effect| up to this is no difference */
	unsigned int df;  /* the t quantile's degrees of freedom, 0: no spread on either side */
	bool differs;	  /* the whole interval lies beyond +-margin */
};

/* compare_runlevel - both sides' clusters and the effects of every figure. */
struct compare_runlevel {
	size_t runs_a, runs_b;	       /* distinct runs of each side */
	size_t clusters_a, clusters_b; /* runs, or blocks when blocks is set */
	bool blocks;		       /* too few runs: blocks of iterations stand in */
	bool decided;		       /* at least two clusters on each side */
	struct compare_effect effects[COMPARE_NFIGURES];
};

/*
 * compare_t_quantile - the @p quantile (0.5 <= p < 1) of Student's t with @nu degrees of
 * freedom (1 and up; above 1000 as 1000, within 0.1% of the normal), from the finite series of
 * P(|T| <= t) for whole nu (Abramowitz & Stegun 26.7.3) by bisection. NAN when out of range.
 */
double compare_t_quantile(double p, unsigned int nu);

/*
 * compare_welch - the effect of @b's mean over @a's (ns or any unit) with its Welch t interval
 * at confidence 1 - @alpha: Welch-Satterthwaite degrees of freedom rounded down (the wider
 * interval). Needs two values a side; -EINVAL otherwise. margin and differs are left 0.
 */
int compare_welch(const double *a, size_t na, const double *b, size_t nb, double alpha,
		  struct compare_effect *e);

/*
 * compare_clusters - the figures (enum compare_figure, per cluster) of latencies @lat whose runs
 * are @run (NULL: one run), each run cut into @blocks_per_run blocks of consecutive samples (1:
 * the run itself; fewer when a block would hold under COMPARE_MIN_CLUSTER_SAMPLES). The log
 * figures floor p50 at @floor_ns. Sets *@fig (free() it), *@nclusters and *@nruns. Returns 0,
 * -EINVAL, -ENOMEM.
 */
int compare_clusters(const double *lat, const uint32_t *run, size_t n, size_t blocks_per_run,
		     double floor_ns, double (**fig)[COMPARE_NFIGURES], size_t *nclusters,
		     size_t *nruns);

/*
 * compare_runlevel_build - the run-level effects of latencies @a (runs @run_a) and @b (@run_b):
 * runs as clusters when both sides have COMPARE_MIN_RUNS, else about COMPARE_BLOCKS_PER_SIDE
 * blocks a side; intervals at confidence 1 - alpha, margins from min_effect_rel and the
 * resolution of @o. Returns 0, -EINVAL, -ENOMEM; out->decided is false with too few samples.
 */
int compare_runlevel_build(const double *a, const uint32_t *run_a, size_t na, const double *b,
			   const uint32_t *run_b, size_t nb, const struct compare_opts *o,
			   struct compare_runlevel *out);

/* compare_count_runs - the distinct values of @run (1 when @run is NULL and n > 0). */
size_t compare_count_runs(const uint32_t *run, size_t n);

/* compare_figure_name - "p50", ..., "p99.9", "p90-p50", ..., "p90/p50", ..., "p99.9/p50". */
const char *compare_figure_name(enum compare_figure f);

/* compare_figure_is_log - whether @f is a log ratio (shown as a factor, exp of the value). */
bool compare_figure_is_log(enum compare_figure f);

/* compare_figure_upper - the quantile above p50 a width or a ratio is of (@f itself if none). */
enum compare_figure compare_figure_upper(enum compare_figure f);

#endif
