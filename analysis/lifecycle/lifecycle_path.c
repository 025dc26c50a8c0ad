// SPDX-License-Identifier: MIT
/* lifecycle_path - a ring's hops as the waits of its critical path (lifecycle_path.h). */
#include "analysis/lifecycle/lifecycle_path.h"

#include <errno.h>
#include <stdlib.h>

#include "analysis/lifecycle/lifecycle.h"
#include "analysis/lifecycle/lifecycle_split.h"

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
	struct lc_split *sp;
	bool asleep;
	size_t n;
	int rc = lifecycle_probe_split(p, ev, &sp, &n, &asleep);

	*out = NULL;
	*nout = 0;
	if (!rc)
		rc = lifecycle_path_of(sp, n, asleep, out, nout);
	free(sp);
	return rc;
}
