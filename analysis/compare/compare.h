/* SPDX-License-Identifier: MIT */
/*
 * compare - is the latency distribution of a probe in trace B the same as in trace A, or did
 * its quantiles move by one constant (shift), by one factor (scale), or otherwise (shape)? The
 * verdict is run-level (compare_runs.h): runs are clusters, and only what exceeds the spread
 * between the runs of each trace is a difference. Two-sample Kolmogorov-Smirnov tests and
 * Wasserstein-1 distances on raw, median-aligned and median/MAD-normalized samples describe the
 * pooled iterations beside it. The `ringscope compare` report. The statistics are pure
 * functions on double arrays; docs/cli/compare.md explains the method.
 */
#ifndef RINGSCOPE_COMPARE_H
#define RINGSCOPE_COMPARE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "analysis/attribution/projection.h"
#include "analysis/compare/compare_runs.h"
#include "analysis/model/report_keys.h"

struct json_object;
struct trace_session;

/* The significance level of every test and 1 - the intervals' confidence (the paper's: 1%). */
#define COMPARE_DEFAULT_ALPHA 0.01
/*
 * Effect sizes a significant test also needs before it counts as a difference: with 10^5
 * samples a KS distance of 0.01 is already "significant", yet invisible in any plot. A KS
 * distance above 0.05 (5% of the samples on the other side of some latency), or a trimmed
 * Wasserstein distance above 2% of A's median (how far the bulk of the quantiles moved, which
 * catches a few percent of samples moved far), is a difference worth a verdict.
 */
#define COMPARE_DEFAULT_MIN_KS_D  0.05
#define COMPARE_DEFAULT_MIN_W_REL 0.02
/*
 * The Wasserstein criterion looks at the central 98% of the quantiles: one 10 ms outlier among
 * 4000 samples moves the full distance by 2.5 us, and that is the spike rate's business.
 */
#define COMPARE_DEFAULT_W_TRIM 0.01
/*
 * No distance below the timer's step is a difference (the TSC steps by ~10 ns here): a test
 * whose trimmed Wasserstein distance is under it never differs, whatever its KS distance.
 */
#define COMPARE_DEFAULT_RESOLUTION_NS 10.0

/* The three views of the samples the tests run on. */
enum compare_level {
	COMPARE_RAW,	    /* as measured */
	COMPARE_ALIGNED,    /* each minus its own median: location removed */
	COMPARE_NORMALIZED, /* aligned, and B rescaled to A's MAD: location and spread removed */
	COMPARE_NLEVELS,
};

enum compare_verdict {
	COMPARE_SAME,  /* no quantile moved beyond the run-to-run spread */
	COMPARE_SHIFT, /* they moved, the tail widths (p90-p50, p99-p50) did not: one constant */
	COMPARE_SCALE, /* the widths moved, the ratios (p90/p50, p99/p50) did not: one factor */
	COMPARE_SHAPE, /* the ratios moved too: the distribution itself changed */
	COMPARE_NONE,  /* too few samples for two clusters a side: no verdict */
};

/* compare_opts - the decision thresholds (compare_opts_default() sets the defaults above). */
struct compare_opts {
	double alpha;
	double min_ks_d;
	double min_w_rel;      /* of A's median, for the trimmed distance */
	double w_trim;	       /* quantiles left out of that distance at each end */
	double resolution_ns;  /* MADs are floored at it, distances below it are no difference */
	double min_effect_rel; /* of A's figure: a run-level effect within it is no difference */
	bool project;	       /* --project: A without its host time, tested against B */
	struct projection_baseline baseline; /* --baseline: bare metal's costs; 0: from B */
};

/* compare_test - one two-sample test on the pooled iterations (descriptive: not the verdict). */
struct compare_test {
	double ks_d;		       /* sup |F_A - F_B| */
	double ks_p;		       /* asymptotic p-value of ks_d */
	double wasserstein_ns;	       /* integral |F_A - F_B| dx, in ns of A's scale */
	double wasserstein_trimmed_ns; /* mean |Q_A(u) - Q_B(u)| over trim < u < 1 - trim */
	bool differs;		       /* significant at alpha and a large enough effect */
};

/* compare_result - everything the verdict is made of. */
struct compare_result {
	size_t na, nb;
	double median_a, median_b; /* ns */
	double mad_a, mad_b;	   /* ns, raw MAD, floored at the resolution */
	struct compare_test tests[COMPARE_NLEVELS];
	struct compare_runlevel run; /* the run-level effects the verdict reads */
	enum compare_verdict verdict;
};

/*
 * compare_opts_default - alpha 0.01, D 0.05, W 2% of the median at 1% trim, 10 ns, run-level
 * effects within 2% of A's figure; no projection.
 */
void compare_opts_default(struct compare_opts *o);

/*
 * compare_ks_d - the two-sample Kolmogorov-Smirnov distance of two ascending arrays: the
 * largest gap between their empirical distribution functions (ties handled: both functions
 * step past a shared value together). NAN when either is empty.
 */
double compare_ks_d(const double *a, size_t na, const double *b, size_t nb);

/*
 * compare_kolmogorov_sf - P(K > @lambda) for the Kolmogorov distribution:
 * 2 sum_k>=1 (-1)^(k-1) exp(-2 k^2 lambda^2), or its Jacobi-theta form for small lambda where
 * that series converges slowly.
 */
double compare_kolmogorov_sf(double lambda);

/*
 * compare_ks_p - the asymptotic p-value of distance @d between samples of @na and @nb values:
 * compare_kolmogorov_sf(sqrt(n) d) with the effective n = na nb / (na + nb).
 */
double compare_ks_p(double d, size_t na, size_t nb);

/*
 * compare_wasserstein - the Wasserstein-1 (earth mover's) distance of two ascending arrays:
 * the area between their empirical distribution functions, in the unit of the values.
 * NAN when either is empty.
 */
double compare_wasserstein(const double *a, size_t na, const double *b, size_t nb);

/*
 * compare_wasserstein_trimmed - the mean distance between the quantile functions of two
 * ascending arrays over the quantiles @trim < u < 1 - @trim (0 <= trim < 0.5): the
 * Wasserstein-1 distance of the central part, which outliers cannot move. @trim = 0 gives
 * compare_wasserstein(). NAN when either is empty or @trim is out of range.
 */
double compare_wasserstein_trimmed(const double *a, size_t na, const double *b, size_t nb,
				   double trim);

/*
 * compare_samples - the three tests on latencies @a and @b (ns, any order, untouched), the
 * run-level effects with @a's runs @run_a and @b's @run_b (NULL: one run), and the verdict.
 * Returns 0, -EINVAL (an empty array, a NULL pointer), -ENOMEM.
 */
int compare_samples(const double *a, const uint32_t *run_a, size_t na, const double *b,
		    const uint32_t *run_b, size_t nb, const struct compare_opts *o,
		    struct compare_result *out);

/*
 * compare_decide - set each test's "differs" from its figures and @r's medians, then the
 * verdict from the run-level effects: none without two clusters a side; same unless p50, p90,
 * p99 or p99.9 differs; shift unless a width (p90-p50, ...) differs; scale unless a ratio
 * (p90/p50, ...) differs; else shape.
 */
void compare_decide(struct compare_result *r, const struct compare_opts *o);

/*
 * compare_rule - the sentence saying which rule gave @r's verdict, with the effects it read and
 * their intervals at confidence 1 - @alpha, into @buf (truncated to @len).
 */
void compare_rule(const struct compare_result *r, double alpha, char *buf, size_t len);

/* compare_verdict_name - "same", "shift", "scale", "shape" ("none" for COMPARE_NONE). */
const char *compare_verdict_name(enum compare_verdict v);
/* compare_level_key - the key of level @l's test in "tests": "raw", "aligned", "normalized". */
enum rm_key compare_level_key(enum compare_level l);
/* compare_effect_key - the key of figure @f's effect in "run_level"."effects". */
enum rm_key compare_effect_key(enum compare_figure f);

/*
 * compare_result_json - add to @probe "verdict" (null for none), "rule" (compare_rule()),
 * "run_level" {"clusters", "confidence", "a", "b", "effects"}, "tests": {"raw": {"ks_d",
 * "ks_p", "wasserstein_ns", "wasserstein_trimmed_ns", "differs"}, "aligned", "normalized"},
 * "shift_ns" (median B - median A), "scale" (MAD B / MAD A) and "min_wasserstein_ns".
 */
void compare_result_json(const struct compare_result *r, const struct compare_opts *o,
			 struct json_object *probe);

/*
 * compare_report_build - the whole comparison of sessions @a and @b (loaded from @path_a and
 * @path_b): {"a": {"path", "platform"}, "b": ..., "probes": [...], "only_in_a": [...],
 * "only_in_b": [...], "thresholds": {...}}. Probes match by name and by the configuration keys
 * that change what is measured (hops, io, connect, domains, msg_size; the syscall probe's text,
 * stdio_buffer and sink), in A's order. The
 * resolution is raised to the coarser measured TSC step of the two files.
 * Returns 0 and a new object in *@out, or -errno with @err set.
 */
int compare_report_build(const char *path_a, const struct trace_session *a, const char *path_b,
			 const struct trace_session *b, const struct compare_opts *o,
			 struct json_object **out, char *err, size_t errlen);

/* compare_print_text - the report: platforms, then per probe the tables, tests and verdict. */
void compare_print_text(FILE *f, struct json_object *report);

#endif
