// SPDX-License-Identifier: MIT
/*
 * trace_observer - a probe measured with traced and untraced runs (the RUN chunks' "traced"):
 * its samples split so that statistics read the untraced runs and attribution the traced ones.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "lib/trace/trace_reader.h"

/* run_traced - RUN chunk @run's "traced"; a RUN without it (an older file) was traced. */
static bool run_traced(struct json_object *run)
{
	struct json_object *v;

	if (!json_object_object_get_ex(run, "traced", &v) ||
	    !json_object_is_type(v, json_type_boolean))
		return true;
	return json_object_get_boolean(v);
}

/* untraced_runs - a bitmap (1 = untraced) of @p's runs below @nruns; NULL if none or no memory. */
static unsigned char *untraced_runs(const struct trace_probe *p, uint32_t nruns, bool *traced)
{
	size_t i, n = p->runs ? json_object_array_length(p->runs) : 0;
	unsigned char *bits = calloc(nruns / 8 + 1, 1);
	bool any = false;

	*traced = false;
	for (i = 0; bits && i < n; i++) {
		struct json_object *run = json_object_array_get_idx(p->runs, i), *k;
		int64_t r =
		    json_object_object_get_ex(run, "run", &k) ? json_object_get_int64(k) : -1;

		if (run_traced(run)) {
			*traced = true;
		} else if (r >= 0 && r < nruns) {
			bits[r / 8] |= (unsigned char)(1u << (r % 8));
			any = true;
		}
	}
	if (!any) {
		free(bits);
		return NULL;
	}
	return bits;
}

/* partition - the untraced runs' samples first, each side in its old order. 0 or -ENOMEM. */
static int partition(struct trace_probe *p, const unsigned char *bits)
{
	struct trace_sample *tmp = malloc((p->nsamples ? p->nsamples : 1) * sizeof(*tmp));
	size_t i, u = 0, t;

	if (!tmp)
		return -ENOMEM;
	for (i = 0; i < p->nsamples; i++)
		u += (bits[p->samples[i].run / 8] >> (p->samples[i].run % 8)) & 1;
	t = u;
	p->nuntraced = u;
	u = 0;
	for (i = 0; i < p->nsamples; i++) {
		bool un = (bits[p->samples[i].run / 8] >> (p->samples[i].run % 8)) & 1;

		tmp[un ? u++ : t++] = p->samples[i];
	}
	memcpy(p->samples, tmp, p->nsamples * sizeof(*tmp));
	free(tmp);
	return 0;
}

int trace_session_split_observed(struct trace_session *s)
{
	for (size_t k = 0; k < s->nprobes; k++) {
		struct trace_probe *p = &s->probes[k];
		uint32_t nruns = 0;
		unsigned char *bits;
		bool traced;
		int ret;

		for (size_t i = 0; i < p->nsamples; i++)
			nruns = p->samples[i].run >= nruns ? p->samples[i].run + 1 : nruns;
		bits = untraced_runs(p, nruns, &traced);
		p->observed = bits && traced;
		ret = p->observed ? partition(p, bits) : 0;
		free(bits);
		if (ret)
			return ret;
	}
	return 0;
}

const struct trace_sample *trace_probe_stat_samples(const struct trace_probe *p, size_t *n)
{
	*n = p->observed ? p->nuntraced : p->nsamples;
	return p->samples;
}

const struct trace_sample *trace_probe_traced_samples(const struct trace_probe *p, size_t *n)
{
	*n = p->observed ? p->nsamples - p->nuntraced : p->nsamples;
	return p->observed ? p->samples + p->nuntraced : p->samples;
}
