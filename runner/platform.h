/* SPDX-License-Identifier: MIT */
/*
 * platform - what a trace needs to know about the machine it was measured on (the fingerprint),
 * what this machine lets ringscope measure (capabilities), and the cross-CPU cache-line probes:
 * the TSC skew control test of the paper's section 2.3 and the per-run placement probe.
 */
#ifndef RINGSCOPE_PLATFORM_H
#define RINGSCOPE_PLATFORM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/timing.h"

struct json_object;

/*
 * platform_fingerprint - doctor's "platform" object, also the trace's PLATFORM chunk:
 * hypervisor (CPUID 0x40000000 vendor, null on bare metal), clocksource, tsc_flags, tsc_khz,
 * tsc_skew_ns with the per-pair detail in tsc_skew, kernel, cpu_model, cpus, numa_nodes and
 * calibration. @cal may be NULL (no invariant TSC): the TSC fields are then null. What could not
 * be measured is null with a "<field>_error" string. @cal is also remembered for
 * platform_cross_cpu_rtt(). Takes about 10 ms per CPU pair for the skew test. Returns a new
 * object (caller puts it), or NULL when out of memory.
 */
struct json_object *platform_fingerprint(const struct timing_calibration *cal);

/*
 * platform_capabilities - doctor's "capabilities": root, io_uring, io_uring_sqpoll, bpf, tracefs,
 * btf, kprobes, fentry, netns. Each is {"available": bool, ...details}; one that is not available
 * carries "why": what is missing and what to do. Feature-probed, never guessed from versions.
 * Returns a new object, or NULL when out of memory.
 */
struct json_object *platform_capabilities(void);

/* platform_capability_available - whether @caps (from platform_capabilities) has @name on. */
bool platform_capability_available(struct json_object *caps, const char *name);

/*
 * platform_cross_cpu_rtt - median round trip of a cache line bounced between threads pinned to
 * @cpu_a and @cpu_b, over @rounds rounds (after a short warm-up). The host may move vCPUs, so
 * this flips between placements (~70 vs ~400 ns seen); the runner records it per run. The first
 * call calibrates the TSC (~50 ms, once per process) unless platform_use_calibration() or
 * platform_fingerprint() gave it a calibration. Returns 0, -ENOTSUP on a 1-CPU machine or
 * without an invariant TSC, -EINVAL (same CPU, CPU not allowed, @rounds 0), -ETIMEDOUT (a
 * thread did not answer for 5 s) or -errno.
 */
int platform_cross_cpu_rtt(int cpu_a, int cpu_b, unsigned int rounds, double *median_ns);

/*
 * platform_use_calibration - the calibration platform_cross_cpu_rtt() converts ticks with, so it
 * need not calibrate on its own; platform_fingerprint() gives it its @cal.
 */
void platform_use_calibration(const struct timing_calibration *cal);

/*
 * One round of the ping-pong: @t0 the initiator's TSC before it writes the line, @tb the
 * responder's TSC once it saw the write, @t1 the initiator's TSC once it saw the answer.
 */
struct platform_pingpong_sample {
	uint64_t t0;
	uint64_t tb;
	uint64_t t1;
};

/*
 * platform_skew_estimate - TSC offset of the responder relative to the initiator, in ticks,
 * from the round with the shortest round trip: tb - (t0 + t1) / 2, with the uncertainty bound
 * (t1 - t0) / 2 (the write and the answer each took at least 0 and at most the round trip).
 * Returns 0, or -EINVAL for no rounds.
 */
int platform_skew_estimate(const struct platform_pingpong_sample *s, size_t n, double *skew_ticks,
			   double *bound_ticks);

/* platform_skew_pair - the skew control test's result for one CPU pair, in ns. */
struct platform_skew_pair {
	int cpu_a;
	int cpu_b;
	double skew_ns;	      /* TSC of cpu_b minus TSC of cpu_a */
	double bound_ns;      /* |true skew - skew_ns| <= bound_ns */
	double rtt_min_ns;    /* shortest round trip (2 x bound_ns) */
	double rtt_median_ns; /* typical round trip: which placement the test had */
};

/*
 * platform_tsc_skew - the skew control test between every pair of CPUs this process may run on
 * (CPU 0 against each other CPU past 16 CPUs), @rounds rounds each. Fills up to @max pairs and
 * sets @npairs (0 on a 1-CPU machine). Returns 0 or -errno from platform_pingpong().
 */
int platform_tsc_skew(double tsc_hz, unsigned int rounds, struct platform_skew_pair *pairs,
		      size_t max, size_t *npairs);

/* platform_hypervisor_vendor - the 12-byte CPUID vendor in ebx, ecx, edx, trailing blanks cut. */
void platform_hypervisor_vendor(uint32_t ebx, uint32_t ecx, uint32_t edx, char out[13]);

#endif
