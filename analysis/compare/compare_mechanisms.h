/* SPDX-License-Identifier: MIT */
/*
 * compare_mechanisms - why B's quantile differs from A's, by mechanism (issue 14.3): at a
 * quantile q of each side's traced iterations, the mean time each mechanism held in the
 * iterations around q (the neighbourhood of ranks q -+ h), B's less A's, is that mechanism's
 * contribution to the difference of the quantiles; what they do not cover is unexplained. The
 * intervals come from a bootstrap that resamples whole runs (or blocks of iterations when a side
 * has few runs), so iterations that go together stay together. docs/cli/compare.md.
 */
#ifndef RINGSCOPE_COMPARE_MECHANISMS_H
#define RINGSCOPE_COMPARE_MECHANISMS_H

#include <stddef.h>
#include <stdio.h>

#include "analysis/attribution/mechanisms.h"
#include "lib/trace/trace_format.h"

struct json_object;
struct trace_session;

/* Bootstrap resamples of each side. */
#define CMP_MECH_REPS 200
/* A side with fewer traced runs than this is resampled in blocks of iterations instead. */
#define CMP_MECH_MIN_RUNS 5
#define CMP_MECH_BLOCK	  1000

/* cmp_mech_side - one side: its traced samples and each one's mechanism times. */
struct cmp_mech_side {
	const struct trace_sample *samples;
	const struct mech_window *win; /* parallel to samples */
	size_t n;
};

/* cmp_mech_part - a difference (ns) and its 95% bootstrap interval. */
struct cmp_mech_part {
	double ns, lo, hi;
};

/* cmp_mech_result - the decomposition of B's quantile q less A's. */
struct cmp_mech_result {
	double q;
	size_t na, nb;			     /* good traced samples */
	int by_runs;			     /* 1: both sides resampled by runs; 0: in blocks */
	struct cmp_mech_part total;	     /* Q_B(q) - Q_A(q) of the traced samples */
	struct cmp_mech_part mech[MECH_NIV]; /* each mechanism's contribution */
	struct cmp_mech_part unexplained;    /* total less the contributions */
};

/*
 * cmp_mech_band - the half width h of the neighbourhood of quantile @q: 2.5% of the ranks,
 * narrower towards the tail so that it never reaches past the largest sample (p99: 0.5%).
 */
double cmp_mech_band(double q);

/*
 * cmp_mech_decompose - the decomposition at @q of @b against @a (@reps resamples for the
 * intervals, 0: none, the intervals are then the estimate). Returns 0, -EINVAL (a side without
 * a good sample), -ENOMEM.
 */
int cmp_mech_decompose(const struct cmp_mech_side *a, const struct cmp_mech_side *b, double q,
		       unsigned int reps, struct cmp_mech_result *out);

/*
 * compare_mechanisms_add - "mechanisms" {"traced_samples_a", "traced_samples_b", "resampled",
 * "p50": {...}, "p99": {...}} into the compare entry @probe of probe @ia of @a and @ib of @b
 * (their windows @wa, @wb; NULL: a side was not read, nothing is added). 0 or -ENOMEM.
 */
int compare_mechanisms_add(struct json_object *probe, const struct trace_session *a,
			   const struct mech_windows *wa, size_t ia, const struct trace_session *b,
			   const struct mech_windows *wb, size_t ib);

/* cmp_mech_result_json - {"total", "parts": {key: part}, "unexplained"} of one quantile. */
struct json_object *cmp_mech_result_json(const struct cmp_mech_result *r);

/*
 * cmp_mech_print_part - ", of which NAME +Y [lo, hi]" (@first) or ", NAME +Y [lo, hi]" (us)
 * of a part @p ({"ns", "lo_ns", "hi_ns"}).
 */
void cmp_mech_print_part(FILE *f, const char *name, struct json_object *p, int first);

/*
 * compare_mechanisms_print - under the verdict: "shape: B's p99 is +X us, of which cross-vCPU
 * wakeup +Y, ..., unexplained +W" per quantile, from @probe's "mechanisms" (nothing without).
 */
void compare_mechanisms_print(FILE *f, struct json_object *probe);

#endif
