/* SPDX-License-Identifier: MIT */
/*
 * compare_project - `compare A B --project` (issue 14.4): A, a guest, projected without the host
 * time its attribution proved (projection.h), with B's costs as the bare-metal baseline when B
 * names no hypervisor, and the projection tested against B by the run-level rule of compare's
 * verdict. Where a quantile still differs, the decomposition by mechanism of the projection
 * against B (compare_mechanisms.h) names what makes the difference, and whether it is host time
 * the projection left in or time it does not know as the host's. docs/cli/compare.md.
 */
#ifndef RINGSCOPE_COMPARE_PROJECT_H
#define RINGSCOPE_COMPARE_PROJECT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "analysis/attribution/attribution_report.h"
#include "analysis/attribution/projection.h"
#include "analysis/compare/compare.h"
#include "analysis/compare/compare_mechanisms.h"

struct json_object;
struct trace_session;

/* cmp_proj_result - A's projection and how it compares with B. */
struct cmp_proj_result {
	struct projection proj;	    /* A measured and projected, with intervals over runs */
	struct compare_result test; /* B (the rule's A) against the projection (the rule's B) */
	bool decomposed;	    /* both sides had mechanism windows: mech and missing are set */
	struct cmp_mech_result
	    mech[PROJ_NQ];	       /* projection less B by mechanism, at proj_quantiles */
	unsigned int missing[PROJ_NQ]; /* cmp_proj_missing() of each */
};

/*
 * cmp_proj_missing - of decomposition @r (the projection less B), the mechanism that makes most
 * of the difference in its direction: the largest contribution of the total's sign; MECH_NIV
 * when no mechanism has one (what is left is unexplained) or the total is 0.
 */
unsigned int cmp_proj_missing(const struct cmp_mech_result *r);

/*
 * cmp_proj_host - whether mechanism @k is host time the projection takes out of a spike (a
 * vCPU absence, an interrupt's delivery or a timer's lateness): one that stays in the
 * projection was in ordinary iterations, which carry no attribution.
 */
bool cmp_proj_host(unsigned int k);

/*
 * cmp_project - project @a with baseline @bl (NULL: none) and test it against @b's good samples
 * (@b->win NULL: no decomposition) with @o's run-level rule; @reps bootstrap resamples for the
 * decomposition's intervals. Returns 0, -EINVAL (a side without a good sample), -ENOMEM.
 */
int cmp_project(const struct projection_in *a, const struct projection_baseline *bl,
		const struct cmp_mech_side *b, const struct compare_opts *o, unsigned int reps,
		struct cmp_proj_result *out);

/* cmp_proj_side - one trace of the comparison: its session, attribution and windows. */
struct cmp_proj_side {
	const struct trace_session *s;
	const struct attr_report *attr;
	const struct mech_windows *win; /* NULL: its windows were not read */
	const struct proj_path *path;	/* its iterations' critical path; NULL: not known */
};

/*
 * compare_project_add - "projection_test" of probe @ia of @a against @ib of @b into the compare
 * entry @probe: null when A has no traced sample to project. 0 or -ENOMEM.
 */
int compare_project_add(struct json_object *probe, const struct cmp_proj_side *a, size_t ia,
			const struct cmp_proj_side *b, size_t ib, const struct compare_opts *o);

/*
 * cmp_proj_json - {"baseline_from" (@from: "given", "b", "none"), "b_runs_used" (@b_runs),
 * "projection" (projection_json), "verdict", "clusters", "clusters_b", "clusters_projection",
 * "quantiles": [{"q", "b_ns", "effect_ns", "low_ns", "high_ns", "margin_ns", "matches",
 * "by_mechanism", "missing", "missing_is_host_time"}]} of @r. NULL when out of memory.
 */
struct json_object *cmp_proj_json(const struct cmp_proj_result *r, const char *from,
				  const char *b_runs);

/* compare_project_print - the lines of @probe's "projection_test" (nothing without one). */
void compare_project_print(FILE *f, struct json_object *probe);

#endif
