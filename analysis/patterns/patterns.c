// SPDX-License-Identifier: MIT
/* patterns - one probe's patterns: its spikes' lines and drifts, its modes and confidence. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/patterns/patterns.h"
#include "lib/trace/trace_latencies.h"

/* patterns_grid_of - the run x iteration plane of @s (bad samples included: they hold a slot). */
static void patterns_grid_of(const struct trace_sample *s, size_t n, struct patterns_grid *g)
{
	size_t i;

	g->runs = g->iterations = 0;
	for (i = 0; i < n; i++) {
		if (s[i].run >= g->runs)
			g->runs = s[i].run + 1;
		if (s[i].iteration >= g->iterations)
			g->iterations = s[i].iteration + 1;
	}
}

/* patterns_lines_of - periodic lines first (they explain the most), then drifts of the rest. */
static int patterns_lines_of(const struct trace_sample *s, size_t n, const struct patterns_opts *o,
			     struct patterns *p)
{
	struct spike *sp = NULL;
	bool *taken = NULL;
	int rc;

	rc = spikes_find(s, n, &o->spikes, &sp, &p->nspikes, &p->baseline);
	if (rc || !p->nspikes)
		return rc;
	taken = calloc(p->nspikes, sizeof(*taken));
	if (!taken) {
		rc = -ENOMEM;
		goto cleanup;
	}
	rc = patterns_periodic(sp, p->nspikes, &p->grid, o, p->baseline.median_ns, taken, p->lines,
			       PATTERNS_MAX_LINES, &p->nlines);
	if (!rc)
		rc = patterns_drifts(sp, p->nspikes, &p->grid, o, p->baseline.median_ns, taken,
				     p->drifts, PATTERNS_MAX_LINES, &p->ndrifts);
cleanup:
	free(taken);
	free(sp);
	return rc;
}

int patterns_find(const struct trace_sample *s, size_t n, const struct patterns_opts *o,
		  struct patterns *out)
{
	double *lat;
	size_t ngood;
	int rc;

	if ((!s && n) || !o || !out)
		return -EINVAL;
	memset(out, 0, sizeof(*out));
	patterns_grid_of(s, n, &out->grid);
	rc = patterns_lines_of(s, n, o, out);
	if (rc)
		return rc;
	lat = trace_good_latencies(s, n, &ngood);
	if (!lat)
		return -ENOMEM;
	rc = patterns_modes(lat, ngood, o, out->modes, PATTERNS_MAX_MODES, &out->nmodes);
	free(lat);
	if (rc)
		return rc;
	return patterns_confidence_of(s, n, o, &out->conf);
}
