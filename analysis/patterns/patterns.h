/* SPDX-License-Identifier: MIT */
/*
 * patterns - the artifact patterns of one probe's samples (the paper's sections 3 and 5):
 * periodic lines of spikes within runs, spikes drifting from run to run, the modes of the
 * latency distribution, and percentiles with order-statistic confidence intervals next to the
 * lag-1 autocorrelation that says whether those intervals can be trusted.
 * Pure functions: no printing, no global state. docs/patterns.md explains the methods.
 */
#ifndef RINGSCOPE_PATTERNS_H
#define RINGSCOPE_PATTERNS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "analysis/model/spikes.h"
#include "lib/trace/trace_format.h"

struct json_object;
struct trace_session;

#define PATTERNS_MAX_LINES  4 /* periodic lines and drifts reported, the strongest first */
#define PATTERNS_MAX_MODES  8
#define PATTERNS_MAX_PHASES 16 /* per-run phases kept for a periodic line: the first runs' */
/* lines and drifts are not looked for past this many iterations per run (their histograms) */
#define PATTERNS_MAX_ITERATIONS (1u << 24)

/* patterns_opts - thresholds; patterns_opts_default() documents each default. */
struct patterns_opts {
	struct spikes_opts spikes; /* the spikes the lines are made of (as analyze --spikes) */
	size_t min_support;	   /* spikes on a periodic line (5) */
	size_t min_periods;	   /* periods a periodic line spans (3) */
	double min_hit_rate;	/* share of a line's predicted positions that hold a spike (0.2) */
	size_t min_drift_runs;	/* runs a drift has a spike in (3) */
	double alpha;		/* chance a line is noise, Bonferroni over the lines tried (1e-3) */
	double min_mode_weight; /* share of the samples under a mode (0.05) */
	double min_mode_prominence; /* a mode's rise over its saddle, share of its height (0.1) */
	double resolution_ns;	    /* timer step: modes closer than it are one (10 ns) */
	double autocorr_flag; /* |lag-1 autocorrelation| above which CIs are too narrow (0.5) */
};

/* patterns_grid - the run x iteration plane the spikes live on. */
struct patterns_grid {
	uint32_t runs;	     /* highest run + 1 */
	uint32_t iterations; /* highest iteration + 1 */
};

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

/* patterns_drift - spikes at intercept + slope x run, in several runs ("memory between runs"). */
struct patterns_drift {
	double slope;	  /* iterations per run */
	double intercept; /* iteration in run 0 */
	double magnitude; /* median latency of its spikes over the probe's median */
	size_t support;	  /* spikes on it */
	size_t runs;	  /* runs with a spike on it */
};

/* patterns_mode - one peak of the latency density and the share of samples in its basin. */
struct patterns_mode {
	double location_ns;
	double weight;
};

/* patterns_ci - an estimate with a 95% distribution-free interval (NAN: unbounded side). */
struct patterns_ci {
	double estimate, lo, hi;
};

struct patterns_confidence {
	size_t n;
	struct patterns_ci p50, p90, p99, p999;
	double lag1;	     /* pooled within runs; NAN with fewer than 3 consecutive pairs */
	bool autocorrelated; /* |lag1| > autocorr_flag: the intervals are too narrow */
};

/* patterns - everything found on one probe. */
struct patterns {
	struct spikes_baseline baseline;
	struct patterns_grid grid;
	size_t nspikes;
	struct patterns_line lines[PATTERNS_MAX_LINES];
	size_t nlines;
	struct patterns_drift drifts[PATTERNS_MAX_LINES];
	size_t ndrifts;
	struct patterns_mode modes[PATTERNS_MAX_MODES];
	size_t nmodes;
	struct patterns_confidence conf;
};

/* patterns_opts_default - the defaults named in struct patterns_opts, spikes_opts_default(). */
void patterns_opts_default(struct patterns_opts *o);

/*
 * patterns_periodic - the periodic lines among @n spikes (any order) on @g, strongest first, at
 * most @max. Spikes with @taken[i] set are ignored; the spikes of each line found get
 * @taken[i] set (@taken has @n entries, zeroed by the caller). @median_ns scales magnitudes.
 * Returns 0, -EINVAL, -ENOMEM.
 */
int patterns_periodic(const struct spike *sp, size_t n, const struct patterns_grid *g,
		      const struct patterns_opts *o, double median_ns, bool *taken,
		      struct patterns_line *out, size_t max, size_t *nout);

/*
 * patterns_drifts - the cross-run drifts among the spikes not @taken (same contract as
 * patterns_periodic, and their spikes get @taken set): a non-zero slope, spikes in at least
 * min_drift_runs runs. Returns 0, -EINVAL, -ENOMEM.
 */
int patterns_drifts(const struct spike *sp, size_t n, const struct patterns_grid *g,
		    const struct patterns_opts *o, double median_ns, bool *taken,
		    struct patterns_drift *out, size_t max, size_t *nout);

/*
 * patterns_modes - the modes of @n latencies (ns, any order): Gaussian kernel density of log
 * latency, Silverman's bandwidth (at least the resolution), peaks with at least
 * min_mode_weight and min_mode_prominence; by location. Returns 0, -EINVAL, -ENOMEM.
 */
int patterns_modes(const double *lat, size_t n, const struct patterns_opts *o,
		   struct patterns_mode *out, size_t max, size_t *nout);

/*
 * patterns_quantile_ci - the 95% interval of the @q quantile of @n ascending values from the
 * order statistics x(l) <= x(u) with P(l <= B < u) >= 0.95, B ~ Binomial(n, q). A side that
 * n cannot bound is NAN.
 */
struct patterns_ci patterns_quantile_ci(const double *sorted, size_t n, double q);

/*
 * patterns_lag1 - lag-1 autocorrelation of the good latencies within runs (consecutive
 * iterations of one run, each run about its own mean, pooled). NAN when undefined.
 * Returns 0, -EINVAL, -ENOMEM.
 */
int patterns_lag1(const struct trace_sample *s, size_t n, double *out);

/*
 * patterns_confidence_of - p50/p90/p99/p99.9 with intervals and the lag-1 autocorrelation of
 * the good samples. Returns 0, -EINVAL, -ENOMEM.
 */
int patterns_confidence_of(const struct trace_sample *s, size_t n, const struct patterns_opts *o,
			   struct patterns_confidence *out);

/* patterns_binom_sf - P(X >= k) for X ~ Binomial(n, p): how likely chance made a line. */
double patterns_binom_sf(size_t k, size_t n, double p);

/*
 * patterns_find - all of the above on one probe's samples (any order; bad samples are left
 * out). Returns 0, -EINVAL, -ENOMEM.
 */
int patterns_find(const struct trace_sample *s, size_t n, const struct patterns_opts *o,
		  struct patterns *out);

/*
 * patterns_to_json - @p as the analyze sections: *@patterns = {"spikes", "periodic": [{"period",
 * "phase", "magnitude", "share", "support", "hit_rate"}], "drift": [{"slope_iterations_per_run",
 * "intercept", "support", "runs", "magnitude"}], "modes": [{"location_ns", "weight"}]} and
 * *@confidence = {"samples", "p50_ns": [lo, hi], ... "p999_ns", "lag1_autocorrelation",
 * "strongly_autocorrelated"} (@confidence may be NULL). Returns 0 or -ENOMEM.
 */
int patterns_to_json(const struct patterns *p, struct json_object **patterns,
		     struct json_object **confidence);

/*
 * patterns_json - patterns_find() then patterns_to_json(): the patterns of one probe as new
 * json-c objects (the caller puts them). Returns 0, -EINVAL, -ENOMEM.
 */
int patterns_json(const struct trace_sample *s, size_t n, const struct patterns_opts *o,
		  struct json_object **patterns, struct json_object **confidence);

/*
 * patterns_report_opts - the defaults with @spikes, the modes at the resolution of @s's
 * calibration (its measured tsc_step_ns) when the file has one.
 */
void patterns_report_opts(const struct trace_session *s, const struct spikes_opts *spikes,
			  struct patterns_opts *o);

/*
 * patterns_report_add - "patterns" and "confidence" (patterns_to_json) for every probe of @s
 * into its object in @probes (index i is s->probes[i]), the spikes found with @spikes and the
 * modes at the resolution of the file's calibration (tsc_step_ns). Returns 0 or -ENOMEM.
 */
int patterns_report_add(const struct trace_session *s, const struct spikes_opts *spikes,
			struct json_object *probes);

/* patterns_print_text - the "patterns" and "confidence" a probe object carries, if any. */
void patterns_print_text(FILE *f, struct json_object *probe);

#endif
