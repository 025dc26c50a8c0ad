// SPDX-License-Identifier: MIT
/* test_timing - the calibration math on synthetic data with known answers, then the real thing. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/timing.h"
#include "tests/unit/check.h"

#define NEAR(a, b, tol) (fabs((double)(a) - (double)(b)) <= (tol))

/* test_fit_exact - points on a line: the slope is the rate, with no error. */
static int test_fit_exact(void)
{
	double ns[10], ticks[10], hz, se;
	int i;

	for (i = 0; i < 10; i++) {
		ns[i] = i * 1e6;
		ticks[i] = 2.5 * ns[i] + 1234;
	}
	CHECK(timing_fit_rate(ns, ticks, 10, &hz, &se) == 0);
	CHECK(NEAR(hz, 2.5e9, 1e-3));
	CHECK(NEAR(se, 0, 1e-3));
	return 0;
}

/*
 * test_fit_noise - noise (+d, -d, -d, +d) is orthogonal to the centred x (-1.5, -0.5, 0.5, 1.5),
 * so the slope stays exact and the standard error is sqrt(4 d^2 / 2 / 5) per ns.
 */
static int test_fit_noise(void)
{
	static const double noise[4] = {1, -1, -1, 1};
	double ns[4], ticks[4], hz, se, d = 3;
	int i;

	for (i = 0; i < 4; i++) {
		ns[i] = i;
		ticks[i] = 2 * i + d * noise[i];
	}
	CHECK(timing_fit_rate(ns, ticks, 4, &hz, &se) == 0);
	CHECK(NEAR(hz, 2e9, 1e-3));
	CHECK(NEAR(se, d * sqrt(0.4) * 1e9, 1e-3));
	return 0;
}

static int test_fit_rejects(void)
{
	double ns[3] = {5, 5, 5}, ticks[3] = {1, 2, 3}, hz, se;

	CHECK(timing_fit_rate(ns, ticks, 2, &hz, &se) == -EINVAL);
	CHECK(timing_fit_rate(ns, ticks, 3, &hz, &se) == -EINVAL);
	return 0;
}

/* test_rate_windows - two windows at 1.0 and 1.2 GHz: the error is at least half the spread. */
static int test_rate_windows(void)
{
	double ns[8], ticks[8], hz, err, se_hz, se;
	int i;

	for (i = 0; i < 8; i++) {
		ns[i] = i;
		ticks[i] = i < 4 ? i : 3 + (i - 3) * 1.2;
	}
	CHECK(timing_rate_from_points(ns, ticks, 8, 2, &hz, &err) == 0);
	CHECK(timing_fit_rate(ns, ticks, 8, &se_hz, &se) == 0);
	CHECK(NEAR(hz, se_hz, 1e-3));
	CHECK(hz > 1.0e9 && hz < 1.2e9);
	CHECK(NEAR(err, fmax(se, 0.1e9), 1e-3));
	CHECK(err >= 0.1e9 - 1e-3);
	return 0;
}

static int test_rate_too_few(void)
{
	double ns[5] = {0, 1, 2, 3, 4}, ticks[5] = {0, 1, 2, 3, 4}, hz, err;

	CHECK(timing_rate_from_points(ns, ticks, 5, 2, &hz, &err) == -EINVAL);
	CHECK(timing_rate_from_points(ns, ticks, 5, 0, &hz, &err) == -EINVAL);
	CHECK(timing_rate_from_points(ns, ticks, 5, 1, &hz, &err) == 0);
	CHECK(NEAR(hz, 1e9, 1e-3) && NEAR(err, 0, 1e-3));
	return 0;
}

/* test_min_step - a TSC that advances in steps of 21 ticks, read faster than it steps. */
static int test_min_step(void)
{
	static const uint64_t stepped[] = {100, 100, 121, 121, 142, 184, 184};
	static const uint64_t flat[] = {7, 7, 7};
	static const uint64_t backwards[] = {100, 90, 111, 140};

	CHECK(timing_min_step(stepped, 7) == 21);
	CHECK(timing_min_step(flat, 3) == 0);
	CHECK(timing_min_step(flat, 1) == 0);
	CHECK(timing_min_step(backwards, 4) == 21);
	return 0;
}

static int test_median(void)
{
	double odd[] = {3, 1, 2}, even[] = {4, 1, 3, 2};

	CHECK(timing_median(odd, 3) == 2);
	CHECK(timing_median(even, 4) == 2.5);
	CHECK(isnan(timing_median(odd, 0)));
	return 0;
}

/* test_cpuid15 - 24 MHz crystal x 176/2 = 2112 MHz; no crystal: leaf 0x16's base frequency. */
static int test_cpuid15(void)
{
	CHECK(NEAR(timing_cpuid15_khz(2, 176, 24000000, 0), 2112000, 1e-6));
	CHECK(NEAR(timing_cpuid15_khz(2, 176, 0, 2100), 2100000, 1e-6));
	CHECK(timing_cpuid15_khz(2, 176, 0, 0) == 0);
	CHECK(timing_cpuid15_khz(0, 176, 24000000, 0) == 0);
	CHECK(timing_cpuid15_khz(2, 0, 24000000, 0) == 0);
	return 0;
}

static int test_parse_flags(void)
{
	struct timing_tsc_flags f;

	timing_parse_tsc_flags(" fpu tsc constant_tsc nonstop_tsc tsc_known_freq\n", &f);
	CHECK(f.constant && f.nonstop && f.known_freq && !f.reliable);
	timing_parse_tsc_flags("constant_tsc_x xnonstop_tsc tsc_reliable", &f);
	CHECK(!f.constant && !f.nonstop && !f.known_freq && f.reliable);
	return 0;
}

/* test_no_invariant_tsc - $RINGSCOPE_CPUINFO without nonstop_tsc: calibration refuses. */
static int test_no_invariant_tsc(void)
{
	char path[] = "/tmp/test_timing_cpuinfo_XXXXXX";
	struct timing_calibration cal;
	struct timing_tsc_flags f;
	int fd = mkstemp(path), ret;
	FILE *fp;

	CHECK(fd >= 0);
	fp = fdopen(fd, "w");
	CHECK(fp);
	fputs("processor\t: 0\nflags\t\t: fpu tsc constant_tsc\n", fp);
	fclose(fp);
	setenv("RINGSCOPE_CPUINFO", path, 1);
	ret = timing_read_tsc_flags(&f);
	CHECK(ret == 0 && f.constant && !f.nonstop);
	ret = timing_calibrate(&cal, 10);
	unsetenv("RINGSCOPE_CPUINFO");
	unlink(path);
	CHECK(ret == -ENOTSUP);
	return 0;
}

/* test_cpuinfo_named - a missing or flagless cpuinfo file is named in the error. */
static int test_cpuinfo_named(void)
{
	char path[] = "/tmp/test_timing_cpuinfo_XXXXXX", buf[512];
	struct timing_calibration cal;
	int fd = mkstemp(path), ret;

	CHECK(fd >= 0);
	CHECK(write(fd, "processor\t: 0\n", 14) == 14);
	close(fd);
	setenv("RINGSCOPE_CPUINFO", path, 1);
	ret = timing_calibrate(&cal, 10);
	EXPECT(ret == -ENODATA);
	EXPECT(strstr(timing_calibration_error(ret, buf, sizeof(buf)), path) != NULL);
	unlink(path);
	ret = timing_calibrate(&cal, 10);
	EXPECT(ret == -ENOENT);
	timing_calibration_error(ret, buf, sizeof(buf));
	EXPECT(strstr(buf, path) && strstr(buf, "No such file") &&
	       strstr(buf, "RINGSCOPE_CPUINFO"));
	unsetenv("RINGSCOPE_CPUINFO");
	ret = strcmp(timing_calibration_error(-ENOTSUP, buf, sizeof(buf)), TIMING_NO_INVARIANT_TSC);
	EXPECT(ret == 0);
	return 0;
}

/* empty_iterate - the null probe's iterate: nothing, behind an indirect call as the loop makes. */
static __attribute__((noinline)) int empty_iterate(void *ctx)
{
	__asm__ __volatile__("" ::: "memory");
	return 0;
}

/*
 * loop_ticks - the median TSC latency of @n iterations of the runner's loop around an empty
 * iterate (runner/measure.c: a timing_window around an indirect call).
 */
static double loop_ticks(size_t n)
{
	int (*volatile iterate)(void *) = empty_iterate;
	double *v = malloc(n * sizeof(*v)), med;
	struct timing_window w;
	size_t i;

	if (!v)
		return NAN;
	for (i = 0; i < n; i++) {
		timing_window_open(&w);
		iterate(NULL);
		timing_window_close(&w);
		v[i] = (double)(w.tsc_end - w.tsc_start);
	}
	med = timing_median(v, n);
	free(v);
	return med;
}

/*
 * test_stamp_cost_is_the_loops - the stamp cost the calibration stores (and doctor prints) is
 * what the loop pays: the median latency of an empty iteration, within one TSC step (the loop's
 * indirect call may tip it over one). A formula with one TSC read more than the loop (doctor
 * printed 100-120 ns where the loop paid 70-80, issue 10.5) is 2 steps off here, every time;
 * a machine busy with other work sometimes makes one calibration's median a step or more off
 * too (130 ns against the loop's 70 here), so the case passes when one of a few attempts agrees.
 */
static int test_stamp_cost_is_the_loops(void)
{
	struct timing_calibration cal;
	double loop_ns, step_ns;
	int ret, attempt;

	for (attempt = 0; attempt < 5; attempt++) {
		ret = timing_calibrate(&cal, 20);
		if (ret == -ENOTSUP)
			return check_skip("no invariant TSC here");
		CHECK(ret == 0);
		loop_ns = loop_ticks(20001) * 1e9 / cal.tsc_hz;
		step_ns = timing_step_ns(&cal);
		printf("stamp cost %.1f ns, the loop's empty iteration %.1f ns, tsc step %.1f ns\n",
		       cal.stamp_cost_ns, loop_ns, step_ns);
		if (NEAR(cal.stamp_cost_ns, loop_ns, step_ns + 1))
			return 0;
	}
	CHECK(NEAR(cal.stamp_cost_ns, loop_ns, step_ns + 1));
	return 0;
}

/* elapsed_ratio - TSC ticks per CLOCK_MONOTONIC ns over a 100 ms sleep: an independent check. */
static double elapsed_ratio(void)
{
	uint64_t m0 = timing_mono_ns(), t0 = timing_tsc_begin(), m1, t1;

	usleep(100000);
	m1 = timing_mono_ns();
	t1 = timing_tsc_end();
	return (double)(t1 - t0) / (double)(m1 - m0);
}

/* test_calibrate_real - the real calibration agrees with the kernel's clock and its own claims. */
static int test_calibrate_real(void)
{
	struct timing_calibration cal;
	int ret = timing_calibrate(&cal, 100);

	if (ret == -ENOTSUP)
		return check_skip("no invariant TSC here");
	CHECK(ret == 0);
	CHECK(cal.tsc_hz > 1e6);
	CHECK(cal.tsc_hz_err >= 0 && cal.tsc_hz_err < cal.tsc_hz / 100);
	CHECK(cal.tsc_step_ticks > 0);
	CHECK(cal.stamp_cost_ns > 0);
	CHECK(NEAR(elapsed_ratio() * 1e9, cal.tsc_hz, cal.tsc_hz / 100));
	if (cal.kernel_tsc_khz > 0)
		CHECK(NEAR(cal.tsc_hz / 1e3, cal.kernel_tsc_khz, cal.kernel_tsc_khz / 100));
	printf("tsc %.0f Hz +- %.1f, step %llu ticks, stamp cost %.1f ns, announced %.0f kHz\n",
	       cal.tsc_hz, cal.tsc_hz_err, (unsigned long long)cal.tsc_step_ticks,
	       cal.stamp_cost_ns, cal.kernel_tsc_khz);
	return 0;
}

int main(void)
{
	static const struct check_case cases[] = {
	    CHECK_CASE(fit_exact),
	    CHECK_CASE(fit_noise),
	    CHECK_CASE(fit_rejects),
	    CHECK_CASE(rate_windows),
	    CHECK_CASE(rate_too_few),
	    CHECK_CASE(min_step),
	    CHECK_CASE(median),
	    CHECK_CASE(cpuid15),
	    CHECK_CASE(parse_flags),
	    CHECK_CASE(no_invariant_tsc),
	    CHECK_CASE(cpuinfo_named),
	    CHECK_CASE(calibrate_real),
	    CHECK_CASE(stamp_cost_is_the_loops),
	};

	return CHECK_RUN(cases);
}
