// SPDX-License-Identifier: MIT
/* test_platform - skew estimate on known rounds, fingerprint and capability shapes, the RTT probe.
 */
#include <errno.h>
#include <math.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "runner/platform.h"
#include "tests/unit/check.h"

/* has - @o has @key of @type (json_type_null: present and null). */
static int has(struct json_object *o, const char *key, enum json_type type)
{
	struct json_object *v = NULL;

	return json_object_object_get_ex(o, key, &v) && json_object_get_type(v) == type;
}

/* first_two_cpus - two CPUs this process may run on; -1 when there is only one. */
static int first_two_cpus(int *a, int *b)
{
	cpu_set_t set;
	int cpu, n = 0;

	if (sched_getaffinity(0, sizeof(set), &set))
		return -1;
	for (cpu = 0; cpu < CPU_SETSIZE && n < 2; cpu++) {
		if (CPU_ISSET(cpu, &set))
			*(n++ ? b : a) = cpu;
	}
	return n == 2 ? 0 : -1;
}

/* test_skew_known - the round with the shortest trip wins: skew = tb - midpoint, bound = rtt/2. */
static int test_skew_known(void)
{
	static const struct platform_pingpong_sample later[] = {
	    {1000, 1600, 1200}, /* rtt 200: skew 500 +- 100 */
	    {2000, 2550, 2100}, /* rtt 100: skew 500 +- 50 */
	    {3000, 3700, 3300},
	};
	static const struct platform_pingpong_sample earlier[] = {{5000, 4900, 5100}};
	double skew, bound;

	CHECK(platform_skew_estimate(later, 3, &skew, &bound) == 0);
	CHECK(skew == 500 && bound == 50);
	CHECK(platform_skew_estimate(earlier, 1, &skew, &bound) == 0);
	CHECK(skew == -150 && bound == 50);
	CHECK(platform_skew_estimate(later, 0, &skew, &bound) == -EINVAL);
	return 0;
}

static int test_hypervisor_vendor(void)
{
	char out[13];

	platform_hypervisor_vendor(0x4b4d564b, 0x564b4d56, 0x0000004d, out); /* "KVMKVMKVM\0\0\0" */
	CHECK(!strcmp(out, "KVMKVMKVM"));
	platform_hypervisor_vendor(0x76796862, 0x68622065, 0x20657679, out); /* "bhyve bhyve " */
	CHECK(!strcmp(out, "bhyve bhyve"));
	return 0;
}

static int check_calibration(struct json_object *c)
{
	static const char *const keys[] = {"tsc_hz", "tsc_hz_err", "tsc_step_ns", "stamp_cost_ns"};
	size_t i;

	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		CHECK(has(c, keys[i], json_type_double));
	CHECK(has(c, "tsc_step_ticks", json_type_int));
	CHECK(has(c, "kernel_tsc_khz", json_type_double) ||
	      has(c, "kernel_tsc_khz", json_type_null));
	return 0;
}

/* test_fingerprint - every documented key with its type, from a real calibration. */
static int test_fingerprint(void)
{
	struct json_object *fp, *flags = NULL, *cal = NULL, *v = NULL;
	struct timing_calibration tc;
	int ret = timing_calibrate(&tc, 20);

	CHECK(ret == 0 || ret == -ENOTSUP);
	fp = platform_fingerprint(ret ? NULL : &tc);
	CHECK(fp);
	CHECK(has(fp, "hypervisor", json_type_string) || has(fp, "hypervisor", json_type_null));
	CHECK(has(fp, "clocksource", json_type_string));
	CHECK(json_object_object_get_ex(fp, "tsc_flags", &flags));
	CHECK(has(flags, "constant", json_type_boolean) &&
	      has(flags, "nonstop", json_type_boolean));
	CHECK(has(flags, "known_freq", json_type_boolean));
	CHECK(has(fp, "kernel", json_type_string) && has(fp, "cpu_model", json_type_string));
	CHECK(has(fp, "cpus", json_type_int) && has(fp, "numa_nodes", json_type_int));
	CHECK(json_object_object_get_ex(fp, "numa_nodes", &v) && json_object_get_int(v) >= 1);
	if (!ret) {
		CHECK(has(fp, "tsc_khz", json_type_double) &&
		      has(fp, "tsc_skew_ns", json_type_double));
		CHECK(has(fp, "tsc_skew", json_type_array));
		CHECK(json_object_object_get_ex(fp, "calibration", &cal) &&
		      !check_calibration(cal));
	}
	json_object_put(fp);
	return 0;
}

/* test_fingerprint_no_cal - without a calibration the TSC fields are null and say why. */
static int test_fingerprint_no_cal(void)
{
	struct json_object *fp = platform_fingerprint(NULL);

	CHECK(fp);
	CHECK(has(fp, "tsc_khz", json_type_null) && has(fp, "calibration", json_type_null));
	CHECK(has(fp, "tsc_skew_ns", json_type_null));
	CHECK(has(fp, "tsc_skew_ns_error", json_type_string));
	json_object_put(fp);
	return 0;
}

/* test_capabilities - each is {"available": bool}, and each unavailable one says why. */
static int test_capabilities(void)
{
	static const char *const names[] = {"root",    "io_uring", "io_uring_sqpoll",
					    "bpf",     "tracefs",  "btf",
					    "kprobes", "fentry",   "netns"};
	struct json_object *caps = platform_capabilities(), *c, *why;
	size_t i;

	CHECK(caps);
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		CHECK(json_object_object_get_ex(caps, names[i], &c));
		CHECK(has(c, "available", json_type_boolean));
		if (platform_capability_available(caps, names[i]))
			continue;
		CHECK(json_object_object_get_ex(c, "why", &why));
		CHECK(json_object_get_string_len(why) > 0);
	}
	CHECK(!platform_capability_available(caps, "no-such-capability"));
	json_object_put(caps);
	return 0;
}

/* test_cross_cpu_rtt - a positive round trip on two CPUs; bad arguments refused. */
static int test_cross_cpu_rtt(void)
{
	double ns = 0;
	int a, b;

	if (first_two_cpus(&a, &b)) {
		CHECK(platform_cross_cpu_rtt(0, 1, 100, &ns) == -ENOTSUP ||
		      platform_cross_cpu_rtt(0, 1, 100, &ns) == -EINVAL);
		return 0;
	}
	CHECK(platform_cross_cpu_rtt(a, b, 500, &ns) == 0);
	CHECK(ns > 0 && isfinite(ns));
	printf("cross-cpu rtt %d <-> %d: %.1f ns median\n", a, b, ns);
	CHECK(platform_cross_cpu_rtt(a, a, 100, &ns) == -EINVAL);
	CHECK(platform_cross_cpu_rtt(a, b, 0, &ns) == -EINVAL);
	CHECK(platform_cross_cpu_rtt(a, -1, 100, &ns) == -EINVAL);
	CHECK(platform_cross_cpu_rtt(a, CPU_SETSIZE, 100, &ns) == -EINVAL);
	return 0;
}

int main(void)
{
	static const struct check_case cases[] = {
	    CHECK_CASE(skew_known),   CHECK_CASE(hypervisor_vendor),
	    CHECK_CASE(fingerprint),  CHECK_CASE(fingerprint_no_cal),
	    CHECK_CASE(capabilities), CHECK_CASE(cross_cpu_rtt),
	};

	return CHECK_RUN(cases);
}
