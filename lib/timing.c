// SPDX-License-Identifier: MIT
/* timing - TSC calibration against CLOCK_MONOTONIC_RAW: rate and error, step, stamp cost. */
#include "lib/timing.h"

#include <cpuid.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define CAL_POINTS	  64   /* bracketed (raw clock, TSC) points spread over the duration */
#define CAL_WINDOWS	  4    /* consecutive groups whose rates give the spread */
#define CAL_BRACKET_TRIES 16   /* reads per point; the tightest bracket is kept */
#define STEP_BATCH	  1024 /* back-to-back reads per batch of the step measurement */
#define STEP_BATCHES	  16
#define COST_SAMPLES	  2001

/* word_is - whether the @n characters at @w are exactly @name. */
static bool word_is(const char *w, size_t n, const char *name)
{
	return strlen(name) == n && !strncmp(w, name, n);
}

void timing_parse_tsc_flags(const char *flags, struct timing_tsc_flags *f)
{
	static const char sep[] = " \t\n";
	const char *w = flags + strspn(flags, sep);
	size_t n;

	memset(f, 0, sizeof(*f));
	for (; *w; w += n + strspn(w + n, sep)) {
		n = strcspn(w, sep);
		f->constant |= word_is(w, n, "constant_tsc");
		f->nonstop |= word_is(w, n, "nonstop_tsc");
		f->known_freq |= word_is(w, n, "tsc_known_freq");
		f->reliable |= word_is(w, n, "tsc_reliable");
	}
}

const char *timing_cpuinfo_path(void)
{
	const char *path = getenv("RINGSCOPE_CPUINFO");

	return path && *path ? path : "/proc/cpuinfo";
}

int timing_read_tsc_flags(struct timing_tsc_flags *f)
{
	char *line = NULL;
	size_t cap = 0;
	int ret = -ENODATA;
	FILE *fp;

	fp = fopen(timing_cpuinfo_path(), "re");
	if (!fp)
		return -errno;
	while (getline(&line, &cap, fp) > 0) {
		char *colon = strchr(line, ':');

		if (strncmp(line, "flags", 5) || !colon)
			continue;
		timing_parse_tsc_flags(colon + 1, f);
		ret = 0;
		break;
	}
	free(line);
	fclose(fp);
	return ret;
}

int timing_fit_rate(const double *ns, const double *ticks, size_t n, double *hz, double *hz_se)
{
	double mx = 0, my = 0, sxx = 0, sxy = 0, ssr = 0, slope;
	size_t i;

	if (n < 3)
		return -EINVAL;
	for (i = 0; i < n; i++) {
		mx += ns[i];
		my += ticks[i];
	}
	mx /= n;
	my /= n;
	for (i = 0; i < n; i++) {
		sxx += (ns[i] - mx) * (ns[i] - mx);
		sxy += (ns[i] - mx) * (ticks[i] - my);
	}
	if (sxx <= 0)
		return -EINVAL;
	slope = sxy / sxx;
	for (i = 0; i < n; i++) {
		double r = ticks[i] - my - slope * (ns[i] - mx);

		ssr += r * r;
	}
	*hz = slope * 1e9;
	*hz_se = sqrt(ssr / (double)(n - 2) / sxx) * 1e9;
	return 0;
}

int timing_rate_from_points(const double *ns, const double *ticks, size_t n, unsigned int windows,
			    double *hz, double *hz_err)
{
	double se, w_hz, w_se, lo = INFINITY, hi = -INFINITY;
	size_t per = windows ? n / windows : 0;
	unsigned int w;
	int ret;

	if (per < 3)
		return -EINVAL;
	ret = timing_fit_rate(ns, ticks, n, hz, &se);
	if (ret)
		return ret;
	for (w = 0; w < windows; w++) {
		ret = timing_fit_rate(ns + w * per, ticks + w * per, per, &w_hz, &w_se);
		if (ret)
			return ret;
		lo = fmin(lo, w_hz);
		hi = fmax(hi, w_hz);
	}
	*hz_err = fmax(se, (hi - lo) / 2);
	return 0;
}

uint64_t timing_min_step(const uint64_t *reads, size_t n)
{
	uint64_t best = 0;
	size_t i;

	for (i = 1; i < n; i++) {
		uint64_t d = reads[i] - reads[i - 1];

		if (reads[i] > reads[i - 1] && (!best || d < best))
			best = d;
	}
	return best;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

double timing_median(double *v, size_t n)
{
	if (!n)
		return NAN;
	qsort(v, n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

double timing_cpuid15_khz(uint32_t eax, uint32_t ebx, uint32_t ecx, uint32_t base_mhz)
{
	if (!eax || !ebx)
		return 0;
	if (ecx)
		return (double)ecx / 1000.0 * ebx / eax;
	/* crystal = base * denominator / numerator, so the TSC runs at the base frequency */
	return base_mhz * 1000.0;
}

/* hypervisor_tsc_khz - the timing leaf (base + 0x10, eax = TSC kHz) of VMware and KVM. */
static double hypervisor_tsc_khz(void)
{
	unsigned int a, b, c, d, base;

	__cpuid(1, a, b, c, d);
	if (!(c & (1u << 31)))
		return 0;
	for (base = 0x40000000; base < 0x40010000; base += 0x100) {
		__cpuid(base, a, b, c, d);
		/* a leaf outside the hypervisor's range echoes another leaf: check the max */
		if (a < base + 0x10 || a > base + 0xff)
			continue;
		__cpuid(base + 0x10, a, b, c, d);
		if (a)
			return a;
	}
	return 0;
}

/* cpuid_tsc_khz - the TSC rate the CPU or hypervisor announces; 0 when none does. */
static double cpuid_tsc_khz(void)
{
	unsigned int max = __get_cpuid_max(0, NULL), a, b, c, d, base_mhz = 0;
	double khz = 0;

	if (max >= 0x16) {
		__cpuid_count(0x16, 0, a, b, c, d);
		base_mhz = a & 0xffff;
	}
	if (max >= 0x15) {
		__cpuid_count(0x15, 0, a, b, c, d);
		khz = timing_cpuid15_khz(a, b, c, base_mhz);
	}
	return khz > 0 ? khz : hypervisor_tsc_khz();
}

bool timing_rdtscp_advertised(void)
{
	unsigned int a, b, c, d;

	return __get_cpuid(0x80000001, &a, &b, &c, &d) && (d & (1u << 27));
}

/*
 * rdtscp_check - 0 when timing_tsc_end() can run. Some hypervisors clear the CPUID bit and
 * still execute RDTSCP; others make it fault, so an unadvertised one is tried in a child that
 * dies of SIGILL where it is really missing.
 */
static int rdtscp_check(void)
{
	int status;
	pid_t pid;

	if (timing_rdtscp_advertised())
		return 0;
	pid = fork();
	if (pid == 0) {
		(void)timing_tsc_end();
		_exit(0);
	}
	if (pid < 0 || waitpid(pid, &status, 0) < 0)
		return -errno;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -ENOSYS;
}

static uint64_t raw_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC_RAW, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

/* measure_step - the TSC's granularity as seen by back-to-back ordered reads. */
static uint64_t measure_step(void)
{
	uint64_t reads[STEP_BATCH], best = 0, s;
	int b, i;

	for (b = 0; b < STEP_BATCHES; b++) {
		for (i = 0; i < STEP_BATCH; i++)
			reads[i] = timing_tsc_begin();
		s = timing_min_step(reads, STEP_BATCH);
		if (s && (!best || s < best))
			best = s;
	}
	return best;
}

/*
 * measure_stamp_cost_ticks - median TSC latency of an empty window: the runner's loop opens and
 * closes a timing_window around each iteration, so this is exactly what it adds to every
 * latency (two TSC and two CLOCK_MONOTONIC reads, as far as they lie inside the TSC pair).
 */
static int measure_stamp_cost_ticks(double *ticks)
{
	double *cost = malloc(COST_SAMPLES * sizeof(*cost));
	struct timing_window w;
	int i;

	if (!cost)
		return -ENOMEM;
	for (i = 0; i < COST_SAMPLES; i++) {
		timing_window_open(&w);
		__asm__ __volatile__("" ::: "memory"); /* an empty region, as the null probe's */
		timing_window_close(&w);
		cost[i] = (double)(w.tsc_end - w.tsc_start);
	}
	*ticks = timing_median(cost, COST_SAMPLES);
	free(cost);
	return 0;
}

/* bracketed_point - a (raw ns, TSC) pair whose raw clock brackets the TSC read most tightly. */
static void bracketed_point(uint64_t *raw, uint64_t *tsc)
{
	uint64_t best = UINT64_MAX;
	int i;

	for (i = 0; i < CAL_BRACKET_TRIES; i++) {
		uint64_t r0 = raw_ns(), t = timing_tsc_begin(), r1 = raw_ns();

		if (r1 - r0 < best) {
			best = r1 - r0;
			*raw = r0 + (r1 - r0) / 2;
			*tsc = t;
		}
	}
}

/* measure_rate - CAL_POINTS bracketed points evenly spaced over @duration_ms, then the fit. */
static int measure_rate(unsigned int duration_ms, double *hz, double *hz_err)
{
	double ns[CAL_POINTS], ticks[CAL_POINTS];
	uint64_t raw0, tsc0, raw, tsc, gap = (uint64_t)duration_ms * 1000000 / (CAL_POINTS - 1);
	struct timespec next;
	int i;

	clock_gettime(CLOCK_MONOTONIC, &next);
	bracketed_point(&raw0, &tsc0);
	ns[0] = ticks[0] = 0;
	for (i = 1; i < CAL_POINTS; i++) {
		next.tv_nsec += gap;
		next.tv_sec += next.tv_nsec / 1000000000;
		next.tv_nsec %= 1000000000;
		clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &next, NULL);
		bracketed_point(&raw, &tsc);
		ns[i] = (double)(raw - raw0);
		ticks[i] = (double)(tsc - tsc0);
	}
	return timing_rate_from_points(ns, ticks, CAL_POINTS, CAL_WINDOWS, hz, hz_err);
}

const char *timing_calibration_error(int err, char *buf, size_t len)
{
	if (err == -ENOTSUP)
		return TIMING_NO_INVARIANT_TSC;
	if (err == -ENOSYS)
		return TIMING_NO_RDTSCP;
	if (err == -ENOMEM || err == -ERANGE)
		return strerror(-err);
	/* every other error is the cpuinfo file's: name it, and the variable that moved it */
	if (err == -ENODATA)
		snprintf(buf, len, "'%s' has no 'flags' line to read the TSC's properties from",
			 timing_cpuinfo_path());
	else
		snprintf(buf, len, "cannot read the TSC's properties from '%s': %s%s",
			 timing_cpuinfo_path(), strerror(-err),
			 getenv("RINGSCOPE_CPUINFO")
			     ? " (set by RINGSCOPE_CPUINFO: fix or unset it)"
			     : "");
	return buf;
}

int timing_calibrate(struct timing_calibration *cal, unsigned int duration_ms)
{
	struct timing_tsc_flags flags;
	double cost_ticks;
	int ret;

	memset(cal, 0, sizeof(*cal));
	ret = timing_read_tsc_flags(&flags);
	if (ret)
		return ret;
	if (!flags.constant || !flags.nonstop)
		return -ENOTSUP;
	ret = rdtscp_check();
	if (ret)
		return ret;
	cal->tsc_step_ticks = measure_step();
	ret = measure_stamp_cost_ticks(&cost_ticks);
	if (ret)
		return ret;
	ret = measure_rate(duration_ms < 10 ? 10 : duration_ms, &cal->tsc_hz, &cal->tsc_hz_err);
	if (ret)
		return ret;
	if (cal->tsc_hz <= 0)
		return -ERANGE;
	cal->stamp_cost_ns = cost_ticks * 1e9 / cal->tsc_hz;
	cal->kernel_tsc_khz = cpuid_tsc_khz();
	return 0;
}
