// SPDX-License-Identifier: MIT
/* platform - the platform fingerprint stored in every trace and shown by `ringscope doctor`. */
#include "runner/platform.h"

#include <cpuid.h>
#include <errno.h>
#include <math.h>
#include <numa.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <json-c/json.h>

#include "runner/platform_kernel.h"

#define CLOCKSOURCE_DIR "/sys/devices/system/clocksource/clocksource0/"
#define SKEW_ROUNDS	2000
#define SKEW_MAX_PAIRS	256

/* json_fixed - a number printed with @decimals digits, not json-c's 17 significant ones. */
static struct json_object *json_fixed(double v, int decimals)
{
	char buf[64];

	snprintf(buf, sizeof(buf), "%.*f", decimals, v);
	return json_object_new_double_s(v, buf);
}

/* add_error - @key is null, and "<key>_error" says why. */
static void add_error(struct json_object *o, const char *key, const char *why)
{
	char name[64];

	snprintf(name, sizeof(name), "%s_error", key);
	json_object_object_add(o, key, NULL);
	json_object_object_add(o, name, json_object_new_string(why));
}

/* read_first_line - the first line of @path without its newline; 0 or -errno. */
static int read_first_line(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "re");
	int ret = 0;

	if (!f)
		return -errno;
	if (!fgets(buf, (int)len, f))
		ret = -EIO;
	fclose(f);
	buf[ret ? 0 : strcspn(buf, "\n")] = '\0';
	return ret;
}

void platform_hypervisor_vendor(uint32_t ebx, uint32_t ecx, uint32_t edx, char out[13])
{
	size_t n = 12;

	memcpy(out, &ebx, 4);
	memcpy(out + 4, &ecx, 4);
	memcpy(out + 8, &edx, 4);
	out[12] = '\0';
	n = strlen(out);
	while (n && out[n - 1] == ' ')
		out[--n] = '\0';
}

/* add_hypervisor - CPUID.1:ECX[31] says a hypervisor is there; leaf 0x40000000 names it. */
static void add_hypervisor(struct json_object *o)
{
	unsigned int a, b, c, d;
	char vendor[13];

	__cpuid(1, a, b, c, d);
	if (!(c & (1u << 31))) {
		json_object_object_add(o, "hypervisor", NULL);
		return;
	}
	__cpuid(0x40000000, a, b, c, d);
	platform_hypervisor_vendor(b, c, d, vendor);
	json_object_object_add(o, "hypervisor", json_object_new_string(vendor));
	snprintf(vendor, sizeof(vendor), "%#x", a);
	json_object_object_add(o, "hypervisor_max_leaf", json_object_new_string(vendor));
}

/* add_clocksource - the kernel's current clocksource and the ones it would switch to. */
static void add_clocksource(struct json_object *o)
{
	char buf[512], *save = NULL, *w;
	struct json_object *list;
	int ret;

	ret = read_first_line(CLOCKSOURCE_DIR "current_clocksource", buf, sizeof(buf));
	if (ret)
		add_error(o, "clocksource", strerror(-ret));
	else
		json_object_object_add(o, "clocksource", json_object_new_string(buf));
	if (read_first_line(CLOCKSOURCE_DIR "available_clocksource", buf, sizeof(buf)))
		return;
	list = json_object_new_array();
	for (w = strtok_r(buf, " ", &save); w; w = strtok_r(NULL, " ", &save))
		json_object_array_add(list, json_object_new_string(w));
	json_object_object_add(o, "clocksources_available", list);
}

/*
 * add_tsc_flags - the invariant-TSC flags, CPUID's own invariant bit (0x80000007 EDX[8]) and
 * whether CPUID announces RDTSCP (this project's PVM guests execute it without announcing it).
 */
static void add_tsc_flags(struct json_object *o)
{
	unsigned int a = 0, b = 0, c = 0, d = 0;
	struct timing_tsc_flags f;
	struct json_object *t;
	char why[512];
	int ret;

	ret = timing_read_tsc_flags(&f);
	if (ret) {
		add_error(o, "tsc_flags", timing_calibration_error(ret, why, sizeof(why)));
		return;
	}
	t = json_object_new_object();
	json_object_object_add(t, "constant", json_object_new_boolean(f.constant));
	json_object_object_add(t, "nonstop", json_object_new_boolean(f.nonstop));
	json_object_object_add(t, "known_freq", json_object_new_boolean(f.known_freq));
	json_object_object_add(t, "reliable", json_object_new_boolean(f.reliable));
	__get_cpuid(0x80000007, &a, &b, &c, &d);
	json_object_object_add(t, "cpuid_invariant", json_object_new_boolean(d & (1u << 8)));
	json_object_object_add(t, "cpuid_rdtscp",
			       json_object_new_boolean(timing_rdtscp_advertised()));
	json_object_object_add(o, "tsc_flags", t);
}

/* skew_json - one pair of the control test. */
static struct json_object *skew_json(const struct platform_skew_pair *p)
{
	struct json_object *j = json_object_new_object();

	json_object_object_add(j, "cpu_a", json_object_new_int(p->cpu_a));
	json_object_object_add(j, "cpu_b", json_object_new_int(p->cpu_b));
	json_object_object_add(j, "skew_ns", json_fixed(p->skew_ns, 1));
	json_object_object_add(j, "bound_ns", json_fixed(p->bound_ns, 1));
	json_object_object_add(j, "rtt_min_ns", json_fixed(p->rtt_min_ns, 1));
	json_object_object_add(j, "rtt_median_ns", json_fixed(p->rtt_median_ns, 1));
	return j;
}

/* add_skew - the paper's control test: max |skew| over all CPU pairs, with its bound. */
static void add_skew(struct json_object *o, const struct timing_calibration *cal)
{
	struct platform_skew_pair *pairs = calloc(SKEW_MAX_PAIRS, sizeof(*pairs));
	struct json_object *list;
	double worst = 0, bound = 0;
	size_t n = 0, i;
	int ret;

	ret = !pairs ? -ENOMEM : 0;
	if (cal && !ret)
		ret = platform_tsc_skew(cal->tsc_hz, SKEW_ROUNDS, pairs, SKEW_MAX_PAIRS, &n);
	if (!cal || ret) {
		add_error(o, "tsc_skew_ns", cal ? strerror(-ret) : "no calibrated invariant TSC");
		free(pairs);
		return;
	}
	list = json_object_new_array();
	for (i = 0; i < n; i++) {
		if (fabs(pairs[i].skew_ns) >= fabs(worst)) {
			worst = pairs[i].skew_ns;
			bound = pairs[i].bound_ns;
		}
		json_object_array_add(list, skew_json(&pairs[i]));
	}
	json_object_object_add(o, "tsc_skew_ns", json_fixed(fabs(worst), 1));
	json_object_object_add(o, "tsc_skew_bound_ns", json_fixed(bound, 1));
	json_object_object_add(o, "tsc_skew", list);
	free(pairs);
}

/* add_kernel - uname's release and version: what the trace's events came from. */
static void add_kernel(struct json_object *o)
{
	struct utsname u;
	char buf[sizeof(u.release) + sizeof(u.version) + 2];

	if (uname(&u)) {
		add_error(o, "kernel", strerror(errno));
		return;
	}
	snprintf(buf, sizeof(buf), "%s %s", u.release, u.version);
	json_object_object_add(o, "kernel", json_object_new_string(buf));
	json_object_object_add(o, "arch", json_object_new_string(u.machine));
}

/* add_cpu - model name, online CPUs and NUMA nodes (libnuma; 1 without NUMA). */
static void add_cpu(struct json_object *o)
{
	struct json_object *model = NULL;
	char *line = NULL, *colon;
	size_t cap = 0;
	FILE *f;

	f = fopen("/proc/cpuinfo", "re");
	while (f && !model && getline(&line, &cap, f) > 0) {
		colon = strchr(line, ':');
		if (strncmp(line, "model name", 10) || !colon)
			continue;
		colon[strcspn(colon, "\n")] = '\0';
		model = json_object_new_string(colon + 1 + strspn(colon + 1, " \t"));
	}
	free(line);
	if (f)
		fclose(f);
	json_object_object_add(o, "cpu_model", model);
	json_object_object_add(o, "cpus", json_object_new_int(sysconf(_SC_NPROCESSORS_ONLN)));
	json_object_object_add(
	    o, "numa_nodes",
	    json_object_new_int(numa_available() < 0 ? 1 : numa_num_configured_nodes()));
}

/* add_calibration - the timing core's result, with the step also in ns. */
static void add_calibration(struct json_object *o, const struct timing_calibration *cal)
{
	struct json_object *c;

	if (!cal) {
		json_object_object_add(o, "calibration", NULL);
		return;
	}
	c = json_object_new_object();
	json_object_object_add(c, "tsc_hz", json_fixed(cal->tsc_hz, 0));
	json_object_object_add(c, "tsc_hz_err", json_fixed(cal->tsc_hz_err, 1));
	json_object_object_add(c, "tsc_step_ticks",
			       json_object_new_int64((int64_t)cal->tsc_step_ticks));
	json_object_object_add(c, "tsc_step_ns", json_fixed(timing_step_ns(cal), 2));
	json_object_object_add(c, "stamp_cost_ns", json_fixed(cal->stamp_cost_ns, 1));
	json_object_object_add(c, "kernel_tsc_khz",
			       cal->kernel_tsc_khz > 0 ? json_fixed(cal->kernel_tsc_khz, 3) : NULL);
	json_object_object_add(o, "calibration", c);
}

struct json_object *platform_fingerprint(const struct timing_calibration *cal)
{
	struct json_object *o = json_object_new_object();

	if (!o)
		return NULL;
	if (cal)
		platform_use_calibration(cal);
	add_hypervisor(o);
	add_clocksource(o);
	add_tsc_flags(o);
	json_object_object_add(o, "tsc_khz", cal ? json_fixed(cal->tsc_hz / 1e3, 3) : NULL);
	add_skew(o, cal);
	add_kernel(o);
	platform_kernel_add(o, "");
	add_cpu(o);
	add_calibration(o, cal);
	return o;
}
