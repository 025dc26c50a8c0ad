/* SPDX-License-Identifier: MIT */
/* timing - the timing core: ordered TSC stamps, CLOCK_MONOTONIC pairs, TSC calibration. */
#ifndef RINGSCOPE_TIMING_H
#define RINGSCOPE_TIMING_H

#include <stdbool.h>
#include <stddef.h>
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

/*
 * timing_window - the four stamps of one timed region, in the order they are taken: TSC,
 * CLOCK_MONOTONIC, (the work), CLOCK_MONOTONIC, TSC. The TSC pair is outermost, so the TSC
 * latency covers both monotonic reads and the monotonic window lies inside it.
 */
struct timing_window {
	uint64_t tsc_start, mono_start_ns, mono_end_ns, tsc_end;
};

/* timing_window_open - the stamps before the work. */
static inline void timing_window_open(struct timing_window *w)
{
	w->tsc_start = timing_tsc_begin();
	w->mono_start_ns = timing_mono_ns();
}

/* timing_window_close - the stamps after the work. */
static inline void timing_window_close(struct timing_window *w)
{
	w->mono_end_ns = timing_mono_ns();
	w->tsc_end = timing_tsc_end();
}

/* timing_calibration - the TSC rate and what limits trust in it; stored in every trace. */
struct timing_calibration {
	double tsc_hz;		 /* ticks per second, against CLOCK_MONOTONIC_RAW */
	double tsc_hz_err;	 /* absolute uncertainty of tsc_hz (ticks per second) */
	uint64_t tsc_step_ticks; /* smallest non-zero difference of two back-to-back reads */
	double stamp_cost_ns;	 /* median TSC latency of an empty timing_window: what the
				    runner's loop adds to every iteration */
	double kernel_tsc_khz;	 /* TSC kHz the CPU or hypervisor announces (CPUID 0x15/0x16,
				    hypervisor leaf 0x40000010: what the kernel's tsc_khz comes
				    from), else 0 */
};

/* timing_step_ns - the TSC step in ns: no result may claim a finer resolution. */
static inline double timing_step_ns(const struct timing_calibration *cal)
{
	return (double)cal->tsc_step_ticks * 1e9 / cal->tsc_hz;
}

/* TIMING_NO_INVARIANT_TSC - what -ENOTSUP from timing_calibrate() means, for the CLI. */
#define TIMING_NO_INVARIANT_TSC                                                                    \
	"the TSC is not invariant here (/proc/cpuinfo lacks 'constant_tsc' or 'nonstop_tsc'): "    \
	"its rate changes with CPU frequency or it stops in idle states, so TSC differences are "  \
	"not time; use bare metal or a hypervisor that exposes an invariant TSC"

/* TIMING_NO_RDTSCP - what -ENOSYS from timing_calibrate() means, for the CLI. */
#define TIMING_NO_RDTSCP                                                                           \
	"this CPU does not execute RDTSCP (CPUID 0x80000001 EDX bit 27 is clear and the "          \
	"instruction faults), which ends every timed region; use a platform that exposes it"

/*
 * timing_calibrate - measure the TSC rate over about @duration_ms (at least 10) against
 * CLOCK_MONOTONIC_RAW, the TSC step and the stamp cost. Returns 0 or -errno; -ENOTSUP when
 * /proc/cpuinfo lacks constant_tsc or nonstop_tsc (TIMING_NO_INVARIANT_TSC says what that means),
 * -ENOSYS when RDTSCP faults (TIMING_NO_RDTSCP). Where CPUID hides RDTSCP, as on this project's
 * PVM guests which still execute it, a forked child tries it first.
 */
int timing_calibrate(struct timing_calibration *cal, unsigned int duration_ms);

/* timing_tsc_flags - the TSC properties the kernel reports in /proc/cpuinfo's flags. */
struct timing_tsc_flags {
	bool constant;	 /* constant_tsc: rate independent of P-states */
	bool nonstop;	 /* nonstop_tsc: keeps ticking in deep C-states */
	bool known_freq; /* tsc_known_freq: rate known from CPUID/hypervisor, not measured */
	bool reliable;	 /* tsc_reliable: the kernel skips its own TSC watchdog */
};

/* timing_rdtscp_advertised - whether CPUID 0x80000001 EDX bit 27 announces RDTSCP. */
bool timing_rdtscp_advertised(void);

/*
 * timing_read_tsc_flags - read the TSC flags of the first CPU from /proc/cpuinfo (or from the
 * file named by $RINGSCOPE_CPUINFO, which tests use to force the no-invariant-TSC path).
 * Returns 0, -ENODATA (no flags line) or the -errno of opening the file.
 */
int timing_read_tsc_flags(struct timing_tsc_flags *f);

/* timing_cpuinfo_path - what timing_read_tsc_flags() reads: $RINGSCOPE_CPUINFO or /proc/cpuinfo. */
const char *timing_cpuinfo_path(void);

/*
 * timing_calibration_error - what timing_calibrate()'s @err means, in words for a one-line error:
 * a fixed text, or one built in @buf (@len bytes) that names the cpuinfo file it could not read.
 */
const char *timing_calibration_error(int err, char *buf, size_t len);

/* timing_parse_tsc_flags - fill @f from one cpuinfo "flags" value (space-separated words). */
void timing_parse_tsc_flags(const char *flags, struct timing_tsc_flags *f);

/*
 * Pure helpers of timing_calibrate(), exposed for unit tests with known answers.
 *
 * timing_fit_rate - least-squares slope of @ticks over @ns (n points), in ticks per second,
 * and the slope's standard error. Returns 0, or -EINVAL for fewer than 3 points or no spread.
 */
int timing_fit_rate(const double *ns, const double *ticks, size_t n, double *hz, double *hz_se);

/*
 * timing_rate_from_points - the rate fitted over all points, and its error: the larger of the
 * whole fit's standard error and half the spread of the rates fitted over @windows consecutive
 * groups of points. Returns 0 or -EINVAL (fewer than 3 points per window).
 */
int timing_rate_from_points(const double *ns, const double *ticks, size_t n, unsigned int windows,
			    double *hz, double *hz_err);

/* timing_min_step - smallest non-zero increase between consecutive @reads; 0 if none. */
uint64_t timing_min_step(const uint64_t *reads, size_t n);

/* timing_median - median of @v (sorted in place); NAN for n == 0. */
double timing_median(double *v, size_t n);

/*
 * timing_cpuid15_khz - TSC kHz from CPUID leaf 0x15 (eax = denominator, ebx = numerator,
 * ecx = crystal Hz) with leaf 0x16's base MHz as the crystal fallback, as the kernel's
 * native_calibrate_tsc() does. 0 when the leaves do not give it.
 */
double timing_cpuid15_khz(uint32_t eax, uint32_t ebx, uint32_t ecx, uint32_t base_mhz);

/* timing_ticks_to_ns - convert a TSC difference with a calibration. */
static inline double timing_ticks_to_ns(const struct timing_calibration *cal, uint64_t ticks)
{
	return (double)ticks * 1e9 / cal->tsc_hz;
}

#endif
