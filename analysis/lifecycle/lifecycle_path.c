// SPDX-License-Identifier: MIT
/* lifecycle_path - a ring's hops as the waits of its critical path (lifecycle_path.h). */
#include "analysis/lifecycle/lifecycle_path.h"

#include <errno.h>
#include <stdlib.h>

#include "analysis/attribution/mechanisms.h"
#include "analysis/lifecycle/lifecycle.h"
#include "analysis/lifecycle/lifecycle_split.h"
#include "lib/trace/trace_reader.h"

int lifecycle_path_of(const struct lc_split *sp, size_t n, bool asleep, struct proj_wait **out,
		      size_t *nout)
{
	size_t i, k = 0;

	*nout = 0;
	*out = NULL;
	if (!n)
		return 0;
	*out = malloc(n * sizeof(**out));
	if (!*out)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		if (!sp[i].part_ns[LC_READY] || sp[i].recv_cpu == LC_NO_CPU)
			continue;
		(*out)[k++] = (struct proj_wait){.start = sp[i].ready_at_ns,
						 .end = sp[i].ready_at_ns + sp[i].part_ns[LC_READY],
						 .sample = sp[i].sample,
						 .cpu = sp[i].recv_cpu,
						 .deliveries = asleep};
	}
	*nout = k;
	return 0;
}

int lifecycle_path_waits(const struct trace_probe *p, struct lc_events *ev, struct proj_wait **out,
			 size_t *nout)
{
	const struct trace_sample *ts;
	struct lc_split *sp;
	bool asleep;
	size_t n;
	int rc;

	*out = NULL;
	*nout = 0;
	if (projection_path_single(p->name)) {
		ts = trace_probe_traced_samples(p, &n);
		return projection_path_windows(ts, n, out, nout);
	}
	rc = lifecycle_probe_split(p, ev, &sp, &n, &asleep);
	if (!rc)
		rc = lifecycle_path_of(sp, n, asleep, out, nout);
	free(sp);
	return rc;
}

int lifecycle_path_hook(void *ctx, size_t k, struct proj_path *path)
{
	struct lc_path_hook *h = ctx;
	int rc;

	lifecycle_path_hook_free(h);
	*path = (struct proj_path){0};
	rc = lifecycle_path_waits(&h->s->probes[k], h->lc, &h->waits, &path->nwaits);
	if (rc)
		return rc;
	path->waits = h->waits;
	path->host = mech_session_host(h->mech, &path->nhost);
	return 0;
}

void lifecycle_path_hook_free(struct lc_path_hook *h)
{
	free(h->waits);
	h->waits = NULL;
}
