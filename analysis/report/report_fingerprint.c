// SPDX-License-Identifier: MIT
/* report_fingerprint - the platform fingerprint on the page, one labelled line per fact. */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "analysis/model/report_model.h"
#include "analysis/report/html_escape.h"
#include "analysis/report/report_html.h"

#define FP_TEXT 4096 /* a fact as text: the kernel command line is the longest */
#define FP_KEYS 6    /* the most keys of the PLATFORM chunk one line reads */

/* fp_text - a line's text being written; overlong text is cut. */
struct fp_text {
	char buf[FP_TEXT];
	size_t len;
};

static void put(struct fp_text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(struct fp_text *t, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (t->len >= sizeof(t->buf) - 1)
		return;
	va_start(ap, fmt);
	n = vsnprintf(t->buf + t->len, sizeof(t->buf) - t->len, fmt, ap);
	va_end(ap);
	if (n > 0)
		t->len =
		    t->len + (size_t)n < sizeof(t->buf) ? t->len + (size_t)n : sizeof(t->buf) - 1;
}

/*
 * parent - the object holding the fact at @path ("a.b": key b of object a) of the PLATFORM chunk
 * @pl, its own key in *@key. The chunk is open (runner/platform.c adds facts; the trace reader's
 * schema checks the types of those it knows), so its facts are read by name here, each with a
 * label of its own (fp_lines).
 */
static struct json_object *parent(struct json_object *pl, const char *path, const char **key)
{
	char name[128];
	const char *dot;

	while (pl && (dot = strchr(path, '.'))) {
		snprintf(name, sizeof(name), "%.*s", (int)(dot - path), path);
		pl = rm_member(pl, name);
		path = dot + 1;
	}
	*key = path;
	return pl;
}

/* at - the value at @path, NULL when absent or null. */
static struct json_object *at(struct json_object *pl, const char *path)
{
	struct json_object *o;
	const char *key;

	o = parent(pl, path, &key);
	return rm_member(o, key);
}

/* has - whether the chunk has the fact at @path, null (unknown) or not. */
static bool has(struct json_object *pl, const char *path)
{
	struct json_object *o;
	const char *key;

	o = parent(pl, path, &key);
	return json_object_is_type(o, json_type_object) && json_object_object_get_ex(o, key, NULL);
}

/* count - the length of array @a, 0 when it is none. */
static size_t count(struct json_object *a)
{
	return json_object_is_type(a, json_type_array) ? json_object_array_length(a) : 0;
}

/* str - the text of a fact, @none when absent. */
static const char *str(struct json_object *pl, const char *path, const char *none)
{
	return rm_text_of(at(pl, path), none);
}

static void hypervisor_cpuid(struct json_object *pl, struct fp_text *t)
{
	put(t, "%s", str(pl, "hypervisor", "none (bare metal, or a hypervisor that hides itself)"));
	if (at(pl, "hypervisor_max_leaf"))
		put(t, " (highest hypervisor leaf %s)", str(pl, "hypervisor_max_leaf", ""));
}

static void clocksource(struct json_object *pl, struct fp_text *t)
{
	struct json_object *avail = at(pl, "clocksources_available");
	size_t i;

	put(t, "%s", str(pl, "clocksource", "unknown"));
	for (i = 0; i < count(avail); i++)
		put(t, "%s%s", i ? ", " : " (available: ",
		    json_object_get_string(json_object_array_get_idx(avail, i)));
	if (i)
		put(t, ")");
}

/* tsc_flags - what the kernel and CPUID say of the TSC, in words: what holds, then what not. */
static void tsc_flags(struct json_object *pl, struct fp_text *t)
{
	static const char *const words[][2] = {
	    {"constant", "constant rate"},
	    {"nonstop", "runs in deep idle (nonstop)"},
	    {"known_freq", "rate known"},
	    {"reliable", "trusted without a watchdog"},
	    {"cpuid_invariant", "invariant (CPUID)"},
	    {"cpuid_rdtscp", "RDTSCP"},
	};
	struct json_object *flags = at(pl, "tsc_flags"), *v;
	size_t i, yes = 0, no = 0;
	int pass;

	if (!flags) {
		put(t, "unknown");
		return;
	}
	for (pass = 1; pass >= 0; pass--) {
		for (i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
			v = rm_member(flags, words[i][0]);
			if (!v || json_object_get_boolean(v) != pass)
				continue;
			if (pass)
				put(t, "%s%s", yes++ ? ", " : "", words[i][1]);
			else
				put(t, "%s%s", no++ ? ", " : yes ? "; not " : "not ", words[i][1]);
		}
	}
}

/* tsc_rate - the rate measured (tsc_khz is calibration.tsc_hz in kHz) and the one announced. */
static void tsc_rate(struct json_object *pl, struct fp_text *t)
{
	put(t, "%s kHz", str(pl, "tsc_khz", "unknown"));
	if (at(pl, "calibration.tsc_hz_err"))
		put(t, " +- %s Hz", str(pl, "calibration.tsc_hz_err", ""));
	put(t, ", measured against CLOCK_MONOTONIC_RAW");
	if (at(pl, "calibration.kernel_tsc_khz"))
		put(t, "; announced by CPUID or the hypervisor: %s kHz",
		    str(pl, "calibration.kernel_tsc_khz", ""));
	else if (at(pl, "calibration"))
		put(t, "; announced by CPUID or the hypervisor: none");
}

static void tsc_step(struct json_object *pl, struct fp_text *t)
{
	put(t, "%s ticks = %s ns (no result is finer than this)",
	    str(pl, "calibration.tsc_step_ticks", "?"), str(pl, "calibration.tsc_step_ns", "?"));
}

static void stamp_cost(struct json_object *pl, struct fp_text *t)
{
	put(t, "%s ns (an empty timed iteration: what the loop adds to each latency)",
	    str(pl, "calibration.stamp_cost_ns", "?"));
}

static void tsc_skew(struct json_object *pl, struct fp_text *t)
{
	struct json_object *pairs = at(pl, "tsc_skew"), *p;
	size_t i;

	put(t, "largest %s ns +- %s ns over %zu CPU pair%s", str(pl, "tsc_skew_ns", "?"),
	    str(pl, "tsc_skew_bound_ns", "?"), count(pairs), count(pairs) == 1 ? "" : "s");
	for (i = 0; i < count(pairs) && i < 8; i++) {
		p = json_object_array_get_idx(pairs, i);
		put(t, "%s cpu %s to %s: %s ns +- %s ns", i ? ";" : ":", str(p, "cpu_a", "?"),
		    str(p, "cpu_b", "?"), str(p, "skew_ns", "?"), str(p, "bound_ns", "?"));
	}
	if (i < count(pairs))
		put(t, "; ...");
}

static void kernel(struct json_object *pl, struct fp_text *t)
{
	put(t, "%s", str(pl, "kernel", "unknown"));
	if (at(pl, "arch"))
		put(t, " (%s)", str(pl, "arch", ""));
}

static void cpus(struct json_object *pl, struct fp_text *t)
{
	put(t, "%s", str(pl, "cpu_model", "unknown model"));
	if (at(pl, "cpus"))
		put(t, "; %s online", str(pl, "cpus", ""));
	if (at(pl, "numa_nodes"))
		put(t, ", %s NUMA node%s", str(pl, "numa_nodes", ""),
		    json_object_get_int(at(pl, "numa_nodes")) == 1 ? "" : "s");
}

static void steal(struct json_object *pl, struct fp_text *t)
{
	if (!json_object_get_boolean(at(pl, "kernel_platform.steal_reported")))
		put(t, "not reported by the hypervisor");
	else
		put(t, "reported (%s ticks since boot)",
		    str(pl, "kernel_platform.steal_ticks", "?"));
}

static void tick(struct json_object *pl, struct fp_text *t)
{
	put(t, "HZ %s, NO_HZ %s", str(pl, "kernel_platform.hz", "?"),
	    str(pl, "kernel_platform.nohz", "?"));
	if (at(pl, "kernel_platform.kernel_config"))
		put(t, " (from %s)", str(pl, "kernel_platform.kernel_config", ""));
}

static void cpuidle(struct json_object *pl, struct fp_text *t)
{
	put(t, "%s (governor %s)", str(pl, "kernel_platform.cpuidle_driver", "none"),
	    str(pl, "kernel_platform.cpuidle_governor", "none"));
}

/* mitigations - how many of the vulnerabilities the kernel lists it calls vulnerable, and which. */
static void mitigations(struct json_object *pl, struct fp_text *t)
{
	struct json_object *m = at(pl, "kernel_platform.mitigations");
	size_t n = 0, bad = 0;

	json_object_object_foreach(m, name, v)
	{
		n++;
		if (strncmp(rm_text_of(v, ""), "Vulnerable", 10))
			continue;
		put(t, "%s%s", bad++ ? ", " : "vulnerable to ", name);
	}
	put(t, "%s%zu of %zu listed vulnerabilities", bad ? " (" : "none of ", bad ? bad : n, n);
	if (bad)
		put(t, ")");
}

/* One line of the fingerprint: its label, the facts it reads, how it says them. */
struct fp_line {
	const char *label;
	const char *keys[FP_KEYS];
	void (*say)(struct json_object *pl, struct fp_text *t);
};

static void kernel_hypervisor(struct json_object *pl, struct fp_text *t)
{
	put(t, "%s", str(pl, "kernel_platform.hypervisor", "none"));
}

static void clockevent(struct json_object *pl, struct fp_text *t)
{
	put(t, "%s", str(pl, "kernel_platform.clockevent", "unknown"));
}

static void cmdline(struct json_object *pl, struct fp_text *t)
{
	put(t, "%s", str(pl, "kernel_platform.cmdline", ""));
}

static const struct fp_line fp_lines[] = {
    {"Hypervisor (CPUID)", {"hypervisor", "hypervisor_max_leaf"}, hypervisor_cpuid},
    {"Hypervisor (the kernel's view)", {"kernel_platform.hypervisor"}, kernel_hypervisor},
    {"Clock source", {"clocksource", "clocksources_available"}, clocksource},
    {"TSC", {"tsc_flags"}, tsc_flags},
    {"TSC rate",
     {"tsc_khz", "calibration.tsc_hz", "calibration.tsc_hz_err", "calibration.kernel_tsc_khz"},
     tsc_rate},
    {"TSC step", {"calibration.tsc_step_ticks", "calibration.tsc_step_ns"}, tsc_step},
    {"Cost of a time stamp pair", {"calibration.stamp_cost_ns"}, stamp_cost},
    {"TSC skew between CPUs", {"tsc_skew_ns", "tsc_skew_bound_ns", "tsc_skew"}, tsc_skew},
    {"Kernel", {"kernel", "arch"}, kernel},
    {"CPU", {"cpu_model", "cpus", "numa_nodes"}, cpus},
    {"Steal time", {"kernel_platform.steal_reported", "kernel_platform.steal_ticks"}, steal},
    {"Timer interrupt device", {"kernel_platform.clockevent"}, clockevent},
    {"Scheduler tick",
     {"kernel_platform.hz", "kernel_platform.nohz", "kernel_platform.kernel_config"},
     tick},
    {"CPU idle driver",
     {"kernel_platform.cpuidle_driver", "kernel_platform.cpuidle_governor"},
     cpuidle},
    {"CPU vulnerability mitigations", {"kernel_platform.mitigations"}, mitigations},
    {"Kernel command line", {"kernel_platform.cmdline"}, cmdline},
};
#define FP_NLINES (sizeof(fp_lines) / sizeof(fp_lines[0]))

/* line_present - whether the chunk @pl has any of the facts @l reads. */
static bool line_present(const struct fp_line *l, struct json_object *pl)
{
	size_t i;

	for (i = 0; i < FP_KEYS && l->keys[i]; i++) {
		if (has(pl, l->keys[i]))
			return true;
	}
	return false;
}

/* labelled - whether a line of fp_lines says the fact at @path (or an object holding it). */
static bool labelled(const char *path)
{
	size_t i, k, n;

	for (i = 0; i < FP_NLINES; i++) {
		for (k = 0; k < FP_KEYS && fp_lines[i].keys[k]; k++) {
			n = strlen(fp_lines[i].keys[k]);
			if (!strncmp(path, fp_lines[i].keys[k], n) &&
			    (path[n] == '\0' || path[n] == '.'))
				return true;
		}
	}
	return false;
}

/* row - one labelled line: this trace's text, the compared trace's beside it (@b non-NULL). */
static void row(FILE *f, const char *label, const char *a, const char *b)
{
	fprintf(f, "<tr%s><td>", b && strcmp(a, b) ? " class=\"diff\"" : "");
	html_escape(f, label);
	fputs("</td><td>", f);
	html_escape(f, a);
	if (b) {
		fputs("</td><td>", f);
		html_escape(f, b);
	}
	fputs("</td></tr>\n", f);
}

/* line_text - line @l of chunk @pl as text into @t ("" when the chunk has none of its facts). */
static void line_text(const struct fp_line *l, struct json_object *pl, struct fp_text *t)
{
	t->len = 0;
	t->buf[0] = '\0';
	if (pl && line_present(l, pl))
		l->say(pl, t);
}

/* humane - a fact no line labels, "kernel_platform.new_fact" said as "kernel platform: new fact".
 */
static void humane(const char *path, char *buf, size_t len)
{
	size_t i, n = 0;

	for (i = 0; path[i] && n + 3 < len; i++) {
		if (path[i] == '.') {
			buf[n++] = ':';
			buf[n++] = ' ';
		} else {
			buf[n++] = path[i] == '_' ? ' ' : path[i];
		}
	}
	buf[n] = '\0';
	if (n)
		buf[0] = (char)(buf[0] >= 'a' && buf[0] <= 'z' ? buf[0] - 'a' + 'A' : buf[0]);
}

/* other_facts - the facts of @a that no line labels (a newer writer's), @b's beside them. */
static void other_facts(FILE *f, const char *prefix, struct json_object *a, struct json_object *b,
			bool two)
{
	char path[256], label[256];

	json_object_object_foreach(a, k, v)
	{
		snprintf(path, sizeof(path), "%s%s", prefix, k);
		if (labelled(path))
			continue;
		if (json_object_is_type(v, json_type_object)) {
			strncat(path, ".", sizeof(path) - strlen(path) - 1);
			other_facts(f, path, v, rm_member(b, k), two);
			continue;
		}
		humane(path, label, sizeof(label));
		row(f, label, rm_text_of(v, ""), two ? rm_text_of(rm_member(b, k), "") : NULL);
	}
}

void report_html_platform(FILE *f, struct json_object *report, struct json_object *other)
{
	struct json_object *pa = rm_get(report, RK_REPORT_PLATFORM);
	struct json_object *pb = other ? rm_get(other, RK_REPORT_PLATFORM) : NULL;
	struct fp_text ta, tb;
	size_t i;

	fputs("<section class=\"card\" id=\"platform\"><h2>Platform fingerprint</h2>\n", f);
	if (!pa) {
		fputs("<p class=\"note\">The trace has no PLATFORM chunk.</p></section>\n", f);
		return;
	}
	fputs("<table class=\"kv\">\n", f);
	if (other)
		fputs("<tr><th class=\"l\">fact</th><th class=\"l\">this trace</th>"
		      "<th class=\"l\">compared trace</th></tr>\n",
		      f);
	for (i = 0; i < FP_NLINES; i++) {
		line_text(&fp_lines[i], pa, &ta);
		line_text(&fp_lines[i], pb, &tb);
		if (ta.len || tb.len)
			row(f, fp_lines[i].label, ta.buf, other ? tb.buf : NULL);
	}
	other_facts(f, "", pa, pb, other != NULL);
	fputs("</table></section>\n", f);
}
