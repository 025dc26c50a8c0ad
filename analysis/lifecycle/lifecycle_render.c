// SPDX-License-Identifier: MIT
/* lifecycle_render - the "lifecycle" section of a probe as text. */
#include "analysis/lifecycle/lifecycle.h"

#include <inttypes.h>
#include <math.h>
#include <string.h>

#include <json-c/json.h>

#include "analysis/model/report_model.h"

/* Each row of a hop: its key and its words. */
static const struct {
	enum rm_key key;
	const char *text;
} lc_rows[] = {
    {RK_LCHOP_TOTAL, "hop time"},      {RK_LCHOP_ISSUE, "issue"},
    {RK_LCHOP_IN_FLIGHT, "in flight"}, {RK_LCHOP_READY, "ready, not consumed"},
    {RK_LCHOP_REAP, "reap"},
};

/* part_text - the words of the part named @name ("ready_not_consumed": "ready, not consumed"). */
static const char *part_text(const char *name)
{
	for (size_t i = 0; name && i < sizeof(lc_rows) / sizeof(lc_rows[0]); i++) {
		if (!strcmp(rm_name(lc_rows[i].key), name))
			return lc_rows[i].text;
	}
	return name ? name : "?";
}

/* us - @ns of @o's @key in us, NAN when null. */
static double us(struct json_object *o, enum rm_key key)
{
	return rm_num_nan(o, key) / 1000.0;
}

/* ci_us - side @i of the interval @ci (an array [lo, hi] in ns) in us, NAN when null. */
static double ci_us(struct json_object *ci, size_t i)
{
	struct json_object *v = json_object_array_get_idx(ci, i);

	return v ? json_object_get_double(v) / 1000.0 : NAN;
}

/* print_quant - "p50 [lo, hi]   p99 [lo, hi]" of a LC_QUANT object. */
static void print_quant(FILE *f, struct json_object *q)
{
	struct json_object *c50 = rm_get(q, RK_LCQ_P50_CI), *c99 = rm_get(q, RK_LCQ_P99_CI);

	fprintf(f, "%10.3f [%9.3f, %9.3f]  %10.3f [%9.3f, %9.3f]", us(q, RK_LCQ_P50), ci_us(c50, 0),
		ci_us(c50, 1), us(q, RK_LCQ_P99), ci_us(c99, 0), ci_us(c99, 1));
}

/* print_cpus - "data ready on CPU 0 97%, 1 3%" of a hop. */
static void print_cpus(FILE *f, struct json_object *hop)
{
	struct json_object *cpus = rm_get(hop, RK_LCHOP_READY_CPUS), *c;
	double all = (double)rm_int(hop, RK_LCHOP_SAMPLES);
	size_t n = json_object_array_length(cpus);

	if (!n || all <= 0)
		return;
	fprintf(f, "  data ready on CPU");
	for (size_t i = 0; i < n; i++) {
		c = json_object_array_get_idx(cpus, i);
		fprintf(f, "%s %" PRId64 " %.0f%%", i ? "," : "", rm_int(c, RK_LCCPU_CPU),
			100.0 * (double)rm_int(c, RK_LCCPU_COUNT) / all);
	}
}

/* print_hop - one hop's rows. */
static void print_hop(FILE *f, struct json_object *hop)
{
	char name[32];

	snprintf(name, sizeof(name), "%" PRId64 "->%" PRId64, rm_int(hop, RK_LCHOP_FROM),
		 rm_int(hop, RK_LCHOP_TO));
	for (size_t r = 0; r < sizeof(lc_rows) / sizeof(lc_rows[0]); r++) {
		fprintf(f, "  %-6s %-20s", r ? "" : name, lc_rows[r].text);
		print_quant(f, rm_get(hop, lc_rows[r].key));
		if (lc_rows[r].key == RK_LCHOP_READY)
			print_cpus(f, hop);
		fputc('\n', f);
	}
}

/* print_spikes - how often each part grew most, then the largest spikes. */
static void print_spikes(FILE *f, struct json_object *lc)
{
	struct json_object *grew = rm_get(lc, RK_LC_GREW_MOST), *sp = rm_get(lc, RK_LC_SPIKES), *o;
	size_t n = json_object_array_length(grew);

	fprintf(f, "  spikes %" PRId64 "%s", rm_int(lc, RK_LC_SPIKES_FOUND),
		n ? "; the part that grew most:" : "");
	for (size_t i = 0; i < n; i++) {
		o = json_object_array_get_idx(grew, i);
		fprintf(f, "%s hop %" PRId64 " %s in %" PRId64, i ? "," : "",
			rm_int(o, RK_LCGREW_HOP), part_text(rm_str(o, RK_LCGREW_PART)),
			rm_int(o, RK_LCGREW_SPIKES));
	}
	fputc('\n', f);
	if (!json_object_array_length(sp))
		return;
	fprintf(f, "   run iteration  latency_us   excess_us    hops_us  grew most\n");
	for (size_t i = 0; i < json_object_array_length(sp); i++) {
		o = json_object_array_get_idx(sp, i);
		fprintf(f,
			"  %4" PRId64 " %9" PRId64 " %11.3f %11.3f %+10.3f  hop %" PRId64
			" %s +%.3f us\n",
			rm_int(o, RK_LCSPIKE_RUN), rm_int(o, RK_LCSPIKE_ITERATION),
			us(o, RK_LCSPIKE_LATENCY), us(o, RK_LCSPIKE_EXCESS),
			us(o, RK_LCSPIKE_HOPS_GROWTH), rm_int(o, RK_LCSPIKE_HOP),
			part_text(rm_str(o, RK_LCSPIKE_PART)), us(o, RK_LCSPIKE_GROWTH));
	}
}

void lifecycle_print_text(FILE *f, struct json_object *probe)
{
	struct json_object *lc = rm_find(probe, RK_PROBE_LIFECYCLE), *hops;
	const char *src;

	if (!lc)
		return;
	hops = rm_get(lc, RK_LC_HOPS);
	src = rm_str(lc, RK_LC_SOURCE);
	fprintf(f,
		"\n%s lifecycle of '%s' (probe %" PRId64 "): %" PRId64 " of %" PRId64
		" traced iterations split hop by hop (us)\n",
		src && strcmp(src, "io_uring") ? "socket" : "io_uring",
		rm_str(probe, RK_PROBE_NAME), rm_int(probe, RK_PROBE_ID), rm_int(lc, RK_LC_SPLIT),
		rm_int(lc, RK_LC_ITERATIONS));
	if (src && strcmp(src, "io_uring"))
		fprintf(f, "  (%s sockets: from the members' sendto, recvfrom and sleeps)\n", src);
	fprintf(f, "  %-6s %-20s%10s %-22s  %10s %-22s\n", "hop", "part", "p50", " [95%]", "p99",
		" [95%]");
	for (size_t i = 0; i < json_object_array_length(hops); i++)
		print_hop(f, json_object_array_get_idx(hops, i));
	if (rm_int(lc, RK_LC_MISMATCHED) || rm_int(lc, RK_LC_NO_STAMP))
		fprintf(f,
			"  left out: %" PRId64 " requests or windows of another iteration, %" PRId64
			" hops without the receiver's return from io_uring_enter\n",
			rm_int(lc, RK_LC_MISMATCHED), rm_int(lc, RK_LC_NO_STAMP));
	print_spikes(f, lc);
}
