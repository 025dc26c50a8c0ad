// SPDX-License-Identifier: MIT
/* cmd_doctor - `ringscope doctor`: the platform fingerprint and what this machine can measure. */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <bpf/libbpf.h>
#include <json-c/json.h>

#include "lib/cli.h"
#include "lib/cli_args.h"
#include "runner/commands.h"
#include "runner/doctor_delivery.h"
#include "runner/platform.h"
#include "lib/timing.h"

#define DOCTOR_CALIBRATE_MS 200
#define DOCTOR_PAIRS_SHOWN  8 /* more CPU pairs than this are listed only with -v */

struct doctor_opts {
	bool delivery; /* --delivery: measure the interrupt delivery cost too */
};

static const struct cli_opt doctor_rows[] = {
    {.name = "delivery",
     .help = "also measure this platform's normal interrupt delivery: IPIs from send to "
	     "handler, timer interrupts from expiry to handler, over a traced 2-hop ring on CPUs "
	     "0 and 1 (about a second; needs root and BPF)",
     .kind = CLI_OPT_FLAG,
     CLI_FIELD(struct doctor_opts, delivery)},
    CLI_ROW_JSON("one JSON object {\"platform\": {...}, \"capabilities\": {...}} on stdout"),
    CLI_ROW_VERBOSE("every CPU pair of the skew test, and libbpf's messages on stderr"),
    CLI_ROW_HELP,
    {0},
};

static const struct cli_opt_group doctor_groups[] = {
    {.title = "options", .opts = doctor_rows},
    {0},
};

/* libbpf_print - libbpf's messages only with --verbose, as bpftool does. */
static int libbpf_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	if (!cli_verbose_mode)
		return 0;
	return vfprintf(stderr, fmt, ap);
}

/* get - the member @key of @o, or NULL (also for a JSON null). */
static struct json_object *get(struct json_object *o, const char *key)
{
	struct json_object *v = NULL;

	json_object_object_get_ex(o, key, &v);
	return v;
}

static const char *str_or(struct json_object *o, const char *key, const char *fallback)
{
	struct json_object *v = get(o, key);

	return v ? json_object_get_string(v) : fallback;
}

static void row(const char *name, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* row - one "  name   value" line of the text form. */
static void row(const char *name, const char *fmt, ...)
{
	va_list ap;

	printf("  %-20s ", name);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

static void print_tsc_flags(struct json_object *p)
{
	static const char *const names[] = {"constant", "nonstop",	   "known_freq",
					    "reliable", "cpuid_invariant", "cpuid_rdtscp"};
	struct json_object *f = get(p, "tsc_flags");
	char line[256] = "";
	size_t i;

	for (i = 0; f && i < sizeof(names) / sizeof(names[0]); i++) {
		strcat(line, json_object_get_boolean(get(f, names[i])) ? " " : " !");
		strcat(line, names[i]);
	}
	row("tsc flags", "%s", f ? line + 1 : str_or(p, "tsc_flags_error", "unknown"));
}

static void print_calibration(struct json_object *p)
{
	struct json_object *c = get(p, "calibration");

	if (!c) {
		row("tsc rate", "not calibrated: %s", str_or(p, "calibration_error", "unknown"));
		return;
	}
	row("tsc rate", "%.3f kHz +- %.3f kHz (against CLOCK_MONOTONIC_RAW)",
	    json_object_get_double(get(p, "tsc_khz")),
	    json_object_get_double(get(c, "tsc_hz_err")) / 1e3);
	row("tsc step", "%" PRId64 " ticks = %.2f ns (no result is finer than this)",
	    json_object_get_int64(get(c, "tsc_step_ticks")),
	    json_object_get_double(get(c, "tsc_step_ns")));
	row("stamp cost", "%.1f ns (an empty timed iteration: what the loop adds to each latency)",
	    json_object_get_double(get(c, "stamp_cost_ns")));
	if (get(c, "kernel_tsc_khz"))
		row("announced tsc rate", "%.3f kHz (CPUID)",
		    json_object_get_double(get(c, "kernel_tsc_khz")));
	else
		row("announced tsc rate", "none (no CPUID 0x15/0x16 or hypervisor timing leaf)");
}

static void print_skew(struct json_object *p)
{
	struct json_object *list = get(p, "tsc_skew"), *e;
	size_t i, n = list ? json_object_array_length(list) : 0;

	if (!get(p, "tsc_skew_ns")) {
		row("tsc skew", "not measured: %s", str_or(p, "tsc_skew_ns_error", "unknown"));
		return;
	}
	row("tsc skew", "max |skew| %.1f ns +- %.1f ns over %zu CPU pair%s",
	    json_object_get_double(get(p, "tsc_skew_ns")),
	    json_object_get_double(get(p, "tsc_skew_bound_ns")), n, n == 1 ? "" : "s");
	if (n > DOCTOR_PAIRS_SHOWN && !cli_verbose_mode)
		return;
	for (i = 0; i < n; i++) {
		char pair[32];

		e = json_object_array_get_idx(list, i);
		snprintf(pair, sizeof(pair), "  cpu %d -> %d", json_object_get_int(get(e, "cpu_a")),
			 json_object_get_int(get(e, "cpu_b")));
		row(pair, "skew %.1f ns +- %.1f ns, cache-line round trip %.1f ns median",
		    json_object_get_double(get(e, "skew_ns")),
		    json_object_get_double(get(e, "bound_ns")),
		    json_object_get_double(get(e, "rtt_median_ns")));
	}
}

/* or_error - @k's string @key, else its "<key>_error" in brackets. */
static const char *or_error(struct json_object *k, const char *key, char *buf, size_t len)
{
	char name[64];

	if (get(k, key))
		return json_object_get_string(get(k, key));
	snprintf(name, sizeof(name), "%s_error", key);
	snprintf(buf, len, "unknown (%s)", str_or(k, name, "not read"));
	return buf;
}

/* print_mitigations - a count of the states, each vulnerability with -v. */
static void print_mitigations(struct json_object *m)
{
	int vulnerable = 0, n = 0;

	json_object_object_foreach(m, name, v)
	{
		n++;
		vulnerable += !strncmp(json_object_get_string(v), "Vulnerable", 10);
		if (cli_verbose_mode)
			row(name, "%s", json_object_get_string(v));
	}
	row("mitigations", "%d of %d reported vulnerabilities vulnerable%s", vulnerable, n,
	    cli_verbose_mode ? "" : " (-v lists each)");
}

/* print_kernel_platform - what the kernel says of the platform (platform_kernel.c). */
static void print_kernel_platform(struct json_object *p)
{
	struct json_object *k = get(p, "kernel_platform");
	char a[512], b[512];

	if (!k)
		return;
	row("hypervisor (kernel)", "%s", or_error(k, "hypervisor", a, sizeof(a)));
	if (get(k, "steal_ticks"))
		row("steal time", "%s (%" PRId64 " ticks since boot)",
		    json_object_get_boolean(get(k, "steal_reported")) ? "reported" : "not reported",
		    json_object_get_int64(get(k, "steal_ticks")));
	row("clockevent", "%s", or_error(k, "clockevent", a, sizeof(a)));
	if (get(k, "hz"))
		row("tick", "HZ %" PRId64 ", NO_HZ %s%s%s (%s)",
		    json_object_get_int64(get(k, "hz")), str_or(k, "nohz", "?"),
		    get(k, "nohz_full_cpus") ? ", nohz_full " : "", str_or(k, "nohz_full_cpus", ""),
		    str_or(k, "kernel_config", "?"));
	else
		row("tick", "%s", or_error(k, "hz", a, sizeof(a)));
	row("cpuidle", "%s (governor %s)", or_error(k, "cpuidle_driver", a, sizeof(a)),
	    or_error(k, "cpuidle_governor", b, sizeof(b)));
	if (get(k, "mitigations"))
		print_mitigations(get(k, "mitigations"));
	row("cmdline", "%s", or_error(k, "cmdline", a, sizeof(a)));
}

static void print_platform(struct json_object *p)
{
	struct json_object *avail = get(p, "clocksources_available");
	int numa = json_object_get_int(get(p, "numa_nodes"));
	char list[256] = "";
	size_t i;

	for (i = 0; avail && i < json_object_array_length(avail); i++) {
		strncat(list, i ? " " : "", sizeof(list) - strlen(list) - 1);
		strncat(list, json_object_get_string(json_object_array_get_idx(avail, i)),
			sizeof(list) - strlen(list) - 1);
	}
	puts("platform:");
	row("hypervisor (cpuid)", "%s", str_or(p, "hypervisor", "none (bare metal)"));
	row("clocksource", "%s (available: %s)", str_or(p, "clocksource", "unknown"),
	    avail ? list : "unknown");
	print_tsc_flags(p);
	print_calibration(p);
	print_skew(p);
	row("kernel", "%s", str_or(p, "kernel", "unknown"));
	row("cpu model", "%s", str_or(p, "cpu_model", "unknown"));
	row("cpus", "%d online, %d NUMA node%s", json_object_get_int(get(p, "cpus")), numa,
	    numa == 1 ? "" : "s");
	print_kernel_platform(p);
}

static void print_capabilities(struct json_object *caps)
{
	puts("capabilities:");
	json_object_object_foreach(caps, name, c)
	{
		if (json_object_get_boolean(get(c, "available")))
			row(name, "yes%s%s", get(c, "path") ? " at " : "", str_or(c, "path", ""));
		else
			row(name, "no: %s", str_or(c, "why", "unknown"));
	}
}

/* print_mechanisms - the short mechanism table of the same ring: each measured row's median. */
static void print_mechanisms(struct json_object *mech)
{
	if (!mech || !json_object_object_length(mech))
		return;
	puts("mechanism costs (the same ring; us, median [95% interval]):");
	json_object_object_foreach(mech, key, m)
	{
		(void)key;
		row(str_or(m, "name", "?"), "%.1f [%.1f, %.1f] of %" PRId64,
		    json_object_get_double(get(m, "p50_ns")) / 1e3,
		    json_object_get_double(get(m, "p50_lo_ns")) / 1e3,
		    json_object_get_double(get(m, "p50_hi_ns")) / 1e3,
		    json_object_get_int64(get(m, "n")));
	}
}

/* print_delivery - the interrupt delivery rows, or why they were not measured. */
static void print_delivery(struct json_object *out)
{
	struct json_object *d = get(out, "delivery");

	if (!json_object_object_get_ex(out, "delivery", NULL))
		return;
	puts("interrupt delivery (a traced 2-hop ring on CPUs 0 and 1):");
	if (!d) {
		row("not measured", "%s", str_or(out, "delivery_error", "unknown"));
		return;
	}
	row("ipi", "normal %.1f us (p10), p50 %.1f us, of %" PRId64 " IPIs sent",
	    json_object_get_double(get(d, "ipi_delivery_normal_ns")) / 1e3,
	    json_object_get_double(get(d, "ipi_delivery_p50_ns")) / 1e3,
	    json_object_get_int64(get(d, "ipis_seen_sent")));
	row("timer", "normal %.1f us late (p10), p50 %.1f us, of %" PRId64 " timer interrupts",
	    json_object_get_double(get(d, "timer_lateness_normal_ns")) / 1e3,
	    json_object_get_double(get(d, "timer_lateness_p50_ns")) / 1e3,
	    json_object_get_int64(get(d, "timer_interrupts_with_expiry")));
	print_mechanisms(get(d, "mechanisms"));
}

/* add_delivery - "delivery" into @out, or null with "delivery_error" saying why. */
static void add_delivery(struct json_object *out)
{
	struct json_object *d;
	char err[1024] = "";

	if (doctor_delivery(&d, err, sizeof(err)))
		json_object_object_add(out, "delivery_error", json_object_new_string(err));
	json_object_object_add(out, "delivery", d);
}

/* doctor_platform - calibrate, then fingerprint; a refused calibration is reported, not fatal. */
static struct json_object *doctor_platform(void)
{
	struct timing_calibration cal;
	struct json_object *p;
	const char *why;
	char buf[512];
	int ret;

	ret = timing_calibrate(&cal, DOCTOR_CALIBRATE_MS);
	why = timing_calibration_error(ret, buf, sizeof(buf));
	if (ret)
		cli_warn("failed to calibrate the TSC: %s", why);
	p = platform_fingerprint(ret ? NULL : &cal);
	if (p && ret)
		json_object_object_add(p, "calibration_error", json_object_new_string(why));
	return p;
}

/* doctor_main - calibrate, fingerprint, probe the capabilities, print them. */
static int doctor_main(int argc, char **argv)
{
	struct json_object *out, *platform, *caps;
	struct doctor_opts o = {0};
	struct cli_args a;
	int ret;

	ret = cli_parse(&doctor_command, argc, argv, (void *[]){&o}, &a);
	if (ret || a.help)
		return ret;
	libbpf_set_print(libbpf_print);
	platform = doctor_platform();
	caps = platform_capabilities();
	out = json_object_new_object();
	if (!platform || !caps || !out) {
		json_object_put(platform);
		json_object_put(caps);
		json_object_put(out);
		cli_error("failed to build the report: %s", strerror(ENOMEM));
		return CLI_EXIT_ERROR;
	}
	json_object_object_add(out, "platform", platform);
	json_object_object_add(out, "capabilities", caps);
	if (o.delivery)
		add_delivery(out);
	if (cli_json_mode) {
		cli_print_json(stdout, out);
	} else {
		puts("# ringscope doctor");
		print_platform(platform);
		print_capabilities(caps);
		print_delivery(out);
	}
	json_object_put(out);
	return fflush(stdout) ? CLI_EXIT_ERROR : CLI_EXIT_OK;
}

const struct cli_command doctor_command = {
    .name = "doctor",
    .summary = "platform fingerprint and what this machine can measure",
    .synopsis = "[--delivery] [--json] [-v] [-h]",
    .description =
	"Prints the platform fingerprint that every trace stores (hypervisor, clocksource, TSC "
	"flags and calibrated rate, cross-CPU TSC skew, kernel, CPU, NUMA nodes) and the "
	"capabilities this machine gives ringscope (root, io_uring, SQPOLL, BPF, tracefs, BTF, "
	"kprobes, fentry, network namespaces), each missing one with what to do. Takes about a "
	"quarter of a second: the TSC is calibrated for 200 ms. --delivery adds the platform's "
	"normal interrupt delivery cost, as every traced session learns it (about a second more).",
    .groups = doctor_groups,
    .epilogue = "Exit status: 0 printed, 1 failed to build or print the report, 2 bad usage.",
    .main = doctor_main,
};
