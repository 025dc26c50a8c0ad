/* SPDX-License-Identifier: MIT */
/*
 * spikes - the iterations of a probe that stand out of its robust baseline: latency above
 * median + k MAD, at least min_ratio times the median (docs/architecture.md, decision 4), and at
 * least min_excess_ns above it.
 */
#ifndef RINGSCOPE_SPIKES_H
#define RINGSCOPE_SPIKES_H

#include <stddef.h>
#include <stdint.h>

#include "lib/trace/trace_format.h"

#define SPIKES_DEFAULT_K	 6.0
#define SPIKES_DEFAULT_MIN_RATIO 1.5
/*
 * An excess under 1 us is below what a traced kernel event can explain on this class of
 * machine: a getppid round trip costs ~130 ns untraced and ~280 ns with the syscall programs
 * attached (docs/architecture.md, decision 3), a flush of the syscall probe 2-4 us. Sub-microsecond
 * probes (null, syscall: a 100 ns median) otherwise count every cache miss of 60 ns as a
 * "spike", all of them unexplained, and drown the real ones.
 */
#define SPIKES_DEFAULT_MIN_EXCESS_NS 1000.0

/* spikes_opts - the three thresholds; all must hold for an iteration to be a spike. */
struct spikes_opts {
	double k;	      /* MADs above the median (raw MAD, not scaled to a sigma) */
	double min_ratio;     /* and at least this factor of the median */
	double min_excess_ns; /* and at least this much above the median */
};

/* spikes_baseline - what the good samples of a probe look like. */
struct spikes_baseline {
	size_t ngood;	     /* samples without TRACE_SAMPLE_BAD */
	double median_ns;    /* the baseline */
	double mad_ns;	     /* median absolute deviation from it */
	double threshold_ns; /* a spike is above this: max(median + k MAD, min_ratio median,
				median + min_excess) */
};

/*
 * spike - one iteration above the threshold, with its windows on CLOCK_MONOTONIC (the events'
 * clock): the monotonic stamps, and the TSC interval that the latency measures, mapped onto
 * that clock by spikes_map_tsc() (until then the same as the monotonic stamps).
 */
struct spike {
	uint64_t start_ns;     /* sample.mono_start_ns */
	uint64_t end_ns;       /* sample.mono_end_ns */
	uint64_t win_start_ns; /* the TSC interval on the events' clock: the window attributed */
	uint64_t win_end_ns;
	uint64_t win_err_ns; /* how far win_start_ns may be off (the mapping's error) */
	uint64_t latency_ns;
	uint64_t baseline_ns; /* the probe's median, rounded to ns */
	uint64_t excess_ns;   /* latency_ns - baseline_ns */
	uint32_t run;
	uint32_t iteration;
	uint32_t cpu;	 /* CPU the timed thread started the iteration on */
	uint32_t sample; /* index of the sample in the probe's array */
};

/* spikes_opts_default - k = 6, min_ratio = 1.5, min_excess_ns = 1000. */
void spikes_opts_default(struct spikes_opts *o);

/*
 * spikes_find - the spikes of one probe's samples (any order), sorted by window start.
 * Bad samples neither count for the baseline nor become spikes. @out is malloc'd (NULL when
 * there are none); the caller frees it. @base may be NULL. Returns 0, -EINVAL (NULL pointer,
 * k, min_ratio or min_excess_ns < 0), -ENOMEM. No good sample: 0 spikes, base->ngood = 0.
 */
int spikes_find(const struct trace_sample *samples, size_t n, const struct spikes_opts *o,
		struct spike **out, size_t *nout, struct spikes_baseline *base);

/* spikes_clock - the TSC calibration of a trace (PLATFORM "calibration"). */
struct spikes_clock {
	double tsc_hz;	   /* 0: unknown, the windows stay the monotonic stamps */
	double tsc_hz_err; /* its error, Hz */
};

/*
 * spikes_map_tsc - put each spike's window on its TSC interval, mapped onto CLOCK_MONOTONIC.
 * The stamps are tsc, mono, work, mono, tsc: the monotonic pair lies inside the TSC pair, and
 * an interrupt between a TSC stamp and its monotonic one is inside the latency but outside the
 * monotonic window. The offset between the two clocks is bounded by the spike's own sample and
 * its neighbours in the run (each monotonic start is read after its TSC start, each monotonic
 * end before its TSC end); the window starts at the middle of those bounds, lasts the latency,
 * and win_err_ns is half their width plus the calibration's error over the neighbours' reach.
 * @samples are the @ns samples the spikes index (spike.sample). Returns 0 or -EINVAL.
 */
int spikes_map_tsc(struct spike *sp, size_t n, const struct trace_sample *samples, size_t ns,
		   const struct spikes_clock *clk);

#endif
