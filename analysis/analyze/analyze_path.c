// SPDX-License-Identifier: MIT
/* analyze_path - each probe's critical path for its projection (analyze_path.h). */
#include "analysis/analyze/analyze_path.h"

#include <stdlib.h>

#include "analysis/attribution/mechanisms.h"
#include "analysis/lifecycle/lifecycle_path.h"
#include "lib/trace/trace_reader.h"

int analyze_path_of(void *ctx, size_t k, struct proj_path *path)
{
	struct analyze_path *ap = ctx;
	const struct trace_probe *p = &ap->s->probes[k];
	const struct trace_sample *ts;
	size_t n;
	int rc;

	analyze_path_free(ap);
	*path = (struct proj_path){0};
	if (projection_path_single(p->name)) {
		ts = trace_probe_traced_samples(p, &n);
		rc = projection_path_windows(ts, n, &ap->waits, &path->nwaits);
	} else {
		rc = lifecycle_path_waits(p, ap->lc, &ap->waits, &path->nwaits);
	}
	if (rc)
		return rc;
	path->waits = ap->waits;
	path->host = mech_session_host(ap->mech, &path->nhost);
	return 0;
}

void analyze_path_free(struct analyze_path *ap)
{
	free(ap->waits);
	ap->waits = NULL;
}
