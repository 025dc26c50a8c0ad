// SPDX-License-Identifier: MIT
/* trace_latencies - a probe's good latencies, sorted, once for every statistic that reads them. */
#include "lib/trace/trace_latencies.h"

#include <stdlib.h>

#include "lib/hugemem.h"
#include "lib/stats.h"

double *trace_good_latencies(const struct trace_sample *s, size_t n, size_t *ngood)
{
	double *v = malloc((n ? n : 1) * sizeof(*v));
	size_t i;

	*ngood = 0;
	if (!v)
		return NULL;
	hugemem_advise(v, n * sizeof(*v));
	for (i = 0; i < n; i++)
		if (!(s[i].flags & TRACE_SAMPLE_BAD))
			v[(*ngood)++] = (double)s[i].latency_ns;
	stats_sort(v, *ngood);
	return v;
}
