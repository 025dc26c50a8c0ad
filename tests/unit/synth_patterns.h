/* SPDX-License-Identifier: MIT */
/*
 * synth_patterns - synthetic probes for the patterns tests: a seeded generator, and runs x
 * iterations samples whose latency a function of (run, iteration) gives, through patterns_find.
 */
#ifndef RS_TEST_SYNTH_PATTERNS_H
#define RS_TEST_SYNTH_PATTERNS_H

#include <stdint.h>

#include "analysis/patterns/patterns.h"
#include "lib/trace/trace_format.h"

/* synth_latency_fn - the latency (ns) of iteration @it of run @run. */
typedef double (*synth_latency_fn)(uint32_t run, uint32_t it);

/* synth_seed - restart the generator (xorshift64*) at @seed, not 0: every test sees its data. */
void synth_seed(uint64_t seed);

/* synth_uniform - uniform in [0, 1). */
double synth_uniform(void);

/* synth_normal - standard normal (Box-Muller). */
double synth_normal(void);

/* synth_samples - @runs x @iters samples in file order, latency from @fn; NULL without memory. */
struct trace_sample *synth_samples(uint32_t runs, uint32_t iters, synth_latency_fn fn);

/* synth_find_excess - patterns of @fn's samples, spikes at least @min_excess_ns above the median.
 */
int synth_find_excess(uint32_t runs, uint32_t iters, synth_latency_fn fn, double min_excess_ns,
		      struct patterns *p);

/* synth_find - patterns of @fn's samples with the default options. */
int synth_find(uint32_t runs, uint32_t iters, synth_latency_fn fn, struct patterns *p);

#endif
