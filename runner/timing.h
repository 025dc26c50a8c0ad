/* SPDX-License-Identifier: MIT */
/* timing - the timing core: ordered TSC stamps, CLOCK_MONOTONIC pairs, TSC calibration. */
#ifndef RINGSCOPE_TIMING_H
#define RINGSCOPE_TIMING_H

#include <stdint.h>
#include <time.h>

/*
 * timing_tsc_begin - TSC at the start of a timed region. lfence before rdtsc keeps earlier
 * instructions from drifting into the region (Intel's "How to Benchmark Code Execution Times").
 */
static inline uint64_t timing_tsc_begin(void)
{
	uint32_t lo, hi;

	__asm__ __volatile__("lfence\n\trdtsc" : "=a"(lo), "=d"(hi)::"memory");
	return ((uint64_t)hi << 32) | lo;
}

/*
 * timing_tsc_end - TSC at the end of a timed region. rdtscp waits for the region's instructions
 * to retire; the lfence after it keeps later instructions from starting before the read.
 */
static inline uint64_t timing_tsc_end(void)
{
	uint32_t lo, hi, aux;

	__asm__ __volatile__("rdtscp\n\tlfence" : "=a"(lo), "=d"(hi), "=c"(aux)::"memory");
	return ((uint64_t)hi << 32) | lo;
}

/* timing_mono_ns - CLOCK_MONOTONIC in ns: the clock bpf_ktime_get_ns() reads, for alignment. */
static inline uint64_t timing_mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

/* timing_calibration - the TSC rate and what limits trust in it; stored in every trace. */
struct timing_calibration {
	double tsc_hz;		 /* ticks per second, against CLOCK_MONOTONIC_RAW */
	double tsc_hz_err;	 /* absolute uncertainty of tsc_hz (ticks per second) */
	uint64_t tsc_step_ticks; /* smallest non-zero difference of two back-to-back reads */
	double stamp_cost_ns;	 /* median cost of one start+end TSC+MONOTONIC stamp pair */
	double kernel_tsc_khz;	 /* the kernel's tsc_khz where it exposes it, else 0 */
};

/*
 * timing_calibrate - measure the TSC rate over about @duration_ms against CLOCK_MONOTONIC_RAW,
 * the TSC step and the stamp cost. Returns 0 or -errno (-ENOTSUP: no invariant TSC).
 */
int timing_calibrate(struct timing_calibration *cal, unsigned int duration_ms);

/* timing_ticks_to_ns - convert a TSC difference with a calibration. */
static inline double timing_ticks_to_ns(const struct timing_calibration *cal, uint64_t ticks)
{
	return (double)ticks * 1e9 / cal->tsc_hz;
}

#endif
