// SPDX-License-Identifier: MIT
/* synth_patterns - synthetic probes for the patterns tests (synth_patterns.h). */
#include <math.h>
#include <stdlib.h>

#include "tests/unit/synth_patterns.h"

static uint64_t rng_state = 1;

void synth_seed(uint64_t seed)
{
	rng_state = seed ? seed : 1;
}

double synth_uniform(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return (double)((rng_state * 2685821657736338717ULL) >> 11) / 9007199254740992.0;
}

double synth_normal(void)
{
	double u = synth_uniform(), v = synth_uniform();

	return sqrt(-2 * log(u > 0 ? u : 1e-300)) * cos(2 * M_PI * v);
}

struct trace_sample *synth_samples(uint32_t runs, uint32_t iters, synth_latency_fn fn)
{
	struct trace_sample *s = calloc((size_t)runs * iters, sizeof(*s));
	uint32_t r, i;
	size_t k = 0;
	uint64_t t = 1000000;

	for (r = 0; r < runs && s; r++) {
		for (i = 0; i < iters; i++, k++) {
			s[k].run = r;
			s[k].iteration = i;
			s[k].latency_ns = (uint64_t)fmax(1, llround(fn(r, i)));
			s[k].mono_start_ns = t;
			s[k].mono_end_ns = t + s[k].latency_ns;
			t += s[k].latency_ns + 100;
		}
	}
	return s;
}

int synth_find_excess(uint32_t runs, uint32_t iters, synth_latency_fn fn, double min_excess_ns,
		      struct patterns *p)
{
	struct trace_sample *s = synth_samples(runs, iters, fn);
	struct patterns_opts o;
	int rc;

	if (!s)
		return -1;
	patterns_opts_default(&o);
	o.spikes.min_excess_ns = min_excess_ns;
	rc = patterns_find(s, (size_t)runs * iters, &o, p);
	free(s);
	return rc;
}

int synth_find(uint32_t runs, uint32_t iters, synth_latency_fn fn, struct patterns *p)
{
	struct patterns_opts o;

	patterns_opts_default(&o);
	return synth_find_excess(runs, iters, fn, o.spikes.min_excess_ns, p);
}
