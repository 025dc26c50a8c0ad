// SPDX-License-Identifier: MIT
/* report_spikes - a probe's spikes on the page: stacked cause bars and timelines of key events. */
#include <inttypes.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "analysis/attribution/attribution.h"
#include "analysis/model/report_model.h"
#include "analysis/report/html_escape.h"
#include "analysis/report/report_spike_causes.h"
#include "analysis/report/report_spikes.h"

#define TL_WIDTH       1000 /* timeline SVG: total width, label column, row height (user units) */
#define TL_LABEL       360
#define TL_LABEL_CHARS 52 /* of 12-unit sans text in the label column */
#define TL_ROW	       20

#define NORMAL_COLOUR "#c5cbd6" /* "normal": an event at its usual cost; a cause without one */

/* cause_colour - one fixed colour per cause, the same in every bar and timeline. */
static const char *cause_colour(const char *cause)
{
	static const char *const colours[ATTR_NCAUSES] = {
	    [ATTR_BUFFER_FLUSH] = "#8c564b", [ATTR_NETWORK] = "#1f77b4",
	    [ATTR_SCHEDULING] = "#ff7f0e",   [ATTR_IRQ] = "#d62728",
	    [ATTR_PAGE_FAULT] = "#9467bd",   [ATTR_IO_URING] = "#2ca02c",
	    [ATTR_TRACER] = "#bcbd22",	     [ATTR_HYPERVISOR] = "#e377c2",
	    [ATTR_UNEXPLAINED] = "#7f7f7f",
	};
	unsigned int k;

	for (k = 0; cause && k < ATTR_NCAUSES; k++) {
		if (!strcmp(cause, attr_cause_name(k)))
			return colours[k] ? colours[k] : NORMAL_COLOUR;
	}
	return NORMAL_COLOUR;
}

/* cause_bar - a stacked bar of the causes in @causes ({cause: ns}), each a share of the total. */
static void cause_bar(FILE *f, struct json_object *causes)
{
	double total = 0, ns;

	json_object_object_foreach(causes, c, v)
	{
		(void)c;
		total += json_object_get_double(v);
	}
	fputs("<div class=\"bar\">", f);
	json_object_object_foreach(causes, cause, val)
	{
		ns = json_object_get_double(val);
		if (total <= 0 || ns <= 0)
			continue;
		fprintf(f, "<span style=\"width:%.2f%%;background:%s\" title=\"", 100 * ns / total,
			cause_colour(cause));
		html_escape(f, cause);
		fprintf(f, " %.1f us (%.0f%%)\"></span>", ns / 1000, 100 * ns / total);
	}
	fputs("</div>", f);
}

/* legend - the colour of every cause of @causes. */
static void legend(FILE *f, struct json_object *causes)
{
	fputs("<p class=\"legend\">", f);
	json_object_object_foreach(causes, cause, unused)
	{
		(void)unused;
		fprintf(f, "<span><i style=\"background:%s\"></i>", cause_colour(cause));
		html_escape(f, cause);
		fputs("</span>", f);
	}
	fprintf(f, "<span><i style=\"background:%s\"></i>normal (usual cost)</span></p>\n",
		cause_colour(NULL));
}

/* A cause and its excess, to order the causes of a spike by their share. */
struct cause_part {
	const char *cause;
	double ns;
};

static int by_share_down(const void *a, const void *b)
{
	double x = ((const struct cause_part *)a)->ns, y = ((const struct cause_part *)b)->ns;

	return (x < y) - (x > y);
}

void report_cause_shares(FILE *f, struct json_object *causes)
{
	struct cause_part part[2 * ATTR_NCAUSES];
	double total = 0;
	size_t n = 0, i;

	json_object_object_foreach(causes, cause, v)
	{
		if (n < sizeof(part) / sizeof(part[0]))
			part[n++] = (struct cause_part){cause, json_object_get_double(v)};
		total += json_object_get_double(v);
	}
	qsort(part, n, sizeof(part[0]), by_share_down);
	for (i = 0; i < n && total > 0; i++) {
		if (part[i].ns < 0.005 * total)
			break;
		html_escape(f, part[i].cause);
		fprintf(f, " %.0f%% ", 100 * part[i].ns / total);
	}
}

/* timeline_range - the span [t0, t1] (ns relative to the spike start) the timeline shows. */
static void timeline_range(struct json_object *spike, struct json_object *events, double *t0,
			   double *t1)
{
	int64_t start = rm_int(spike, RK_SPIKE_START);
	struct json_object *ev;
	size_t i;
	double s;

	*t0 = 0;
	*t1 = (double)rm_int(spike, RK_SPIKE_LATENCY);
	for (i = 0; i < json_object_array_length(events); i++) {
		ev = json_object_array_get_idx(events, i);
		s = (double)(rm_int(ev, RK_EVENT_START) - start);
		*t0 = fmin(*t0, s);
		*t1 = fmax(*t1, s + (double)rm_int(ev, RK_EVENT_DUR));
	}
	s = (*t1 - *t0) * 0.03;
	*t0 -= s;
	*t1 += s;
}

/*
 * timeline_label - what an event was, its CPU and thread, right-aligned in the label column: cut
 * to what the column holds (a longer one ran off the page's left edge), whole in its tooltip.
 */
static void timeline_label(FILE *f, struct json_object *ev, double y)
{
	char label[256];
	int n;

	n = snprintf(label, sizeof(label), "%s (cpu %d, tid %d)", rm_str(ev, RK_EVENT_WHAT),
		     (int)rm_int(ev, RK_EVENT_CPU), (int)rm_int(ev, RK_EVENT_TID));
	fprintf(f, "<text x=\"%d\" y=\"%.0f\" font-size=\"12\" fill=\"#33415c\"><title>",
		TL_LABEL - 8, y);
	html_escape(f, label);
	fputs("</title>", f);
	if (n > TL_LABEL_CHARS)
		strcpy(label + TL_LABEL_CHARS - 3, "...");
	html_escape(f, label);
	fputs("</text>", f);
}

/* timeline_event - one event as a labelled bar in row @row, clipped to the plot area. */
static void timeline_event(FILE *f, struct json_object *ev, int64_t start, double t0, double t1,
			   size_t row)
{
	double w = TL_WIDTH - TL_LABEL - 10, scale = w / (t1 - t0);
	double x = TL_LABEL + ((double)(rm_int(ev, RK_EVENT_START) - start) - t0) * scale;
	double bw = fmax(2.0, (double)rm_int(ev, RK_EVENT_DUR) * scale);
	double y = 24 + row * TL_ROW;
	const char *cause = rm_str(ev, RK_EVENT_CAUSE);

	timeline_label(f, ev, y + 13);
	fprintf(f,
		"<rect x=\"%.1f\" y=\"%.0f\" width=\"%.1f\" height=\"%d\" rx=\"2\" fill=\"%s\">"
		"<title>",
		x, y + 2, bw, TL_ROW - 5, cause_colour(cause));
	html_escape(f, cause);
	fprintf(f, ": %.1f us, %.1f us counted</title></rect>\n",
		(double)rm_int(ev, RK_EVENT_DUR) / 1000, (double)rm_int(ev, RK_EVENT_OWN) / 1000);
}

/* timeline - an SVG of the spike window (shaded) and its key events as bars over it. */
static void timeline(FILE *f, struct json_object *spike)
{
	struct json_object *events = rm_get(spike, RK_SPIKE_EVENTS);
	size_t i, n = json_object_array_length(events);
	int64_t start = rm_int(spike, RK_SPIKE_START);
	double t0, t1, scale, h = 44 + n * TL_ROW, lat = (double)rm_int(spike, RK_SPIKE_LATENCY);

	if (!n)
		return;
	timeline_range(spike, events, &t0, &t1);
	scale = (TL_WIDTH - TL_LABEL - 10) / (t1 - t0);
	fprintf(f,
		"<svg class=\"timeline\" viewBox=\"0 0 %d %.0f\" width=\"%d\" "
		"xmlns=\"http://www.w3.org/2000/svg\" font-family=\"sans-serif\" "
		"text-anchor=\"end\">\n"
		"<rect x=\"%.1f\" y=\"18\" width=\"%.1f\" height=\"%.0f\" fill=\"#fdebd3\"/>\n",
		TL_WIDTH, h, TL_WIDTH, TL_LABEL - t0 * scale, lat * scale, h - 36);
	fprintf(f,
		"<text x=\"%.1f\" y=\"13\" font-size=\"11\" text-anchor=\"start\" "
		"fill=\"#8a5a12\">spike window %.1f us</text>\n",
		TL_LABEL - t0 * scale, lat / 1000);
	for (i = 0; i < n; i++)
		timeline_event(f, json_object_array_get_idx(events, i), start, t0, t1, i);
	fprintf(f,
		"<line x1=\"%d\" x2=\"%d\" y1=\"%.0f\" y2=\"%.0f\" stroke=\"#8892a6\"/>"
		"<text x=\"%d\" y=\"%.0f\" font-size=\"11\" text-anchor=\"start\" fill=\"#5a6475\">"
		"%+.1f us</text><text x=\"%d\" y=\"%.0f\" font-size=\"11\" fill=\"#5a6475\">"
		"%+.1f us from the iteration start</text></svg>\n",
		TL_LABEL, TL_WIDTH - 10, h - 16, h - 16, TL_LABEL, h - 2, t0 / 1000, TL_WIDTH - 10,
		h - 2, t1 / 1000);
}

/* spike_row - one top spike: its numbers and stacked cause bar, then its timeline. */
static void spike_row(FILE *f, size_t rank, struct json_object *sp)
{
	struct json_object *causes = rm_get(sp, RK_SPIKE_CAUSES);

	fprintf(
	    f,
	    "<h3>Spike %zu: run %d, iteration %d, %.1f us (%.1f us over the baseline)</h3>\n"
	    "<table class=\"spike\"><tr><th class=\"l\">dominant</th><th class=\"l\">causes</th>"
	    "<th class=\"l\">split of the excess</th></tr><tr><td class=\"l\">",
	    rank + 1, (int)rm_int(sp, RK_SPIKE_RUN), (int)rm_int(sp, RK_SPIKE_ITERATION),
	    (double)rm_int(sp, RK_SPIKE_LATENCY) / 1000,
	    (double)rm_int(sp, RK_SPIKE_EXCESS) / 1000);
	html_escape(f, rm_str(sp, RK_SPIKE_DOMINANT));
	fputs("</td><td class=\"l\">", f);
	report_cause_shares(f, causes);
	fputs("</td><td class=\"l\">", f);
	cause_bar(f, causes);
	fputs("</td></tr></table>\n", f);
	timeline(f, sp);
}

/* summary_causes - {cause: excess_ns} of all spikes, from an "attribution" object. */
static struct json_object *summary_causes(struct json_object *attr)
{
	struct json_object *sum = json_object_new_object();

	json_object_object_foreach(attr, cause, v)
	{
		json_object_object_add(sum, cause,
				       json_object_get(rm_get(v, RK_CAUSE_TOTAL_EXCESS)));
	}
	return sum;
}

void report_attribution_bar(FILE *f, struct json_object *attribution)
{
	struct json_object *sum = summary_causes(attribution);

	cause_bar(f, sum);
	json_object_put(sum);
}

/*
 * eventless_note - how much of `unexplained` is in spikes that held no event at all (the guest
 * saw nothing of that time: docs/attribution.md, 3.5), when some did, and the period of wall
 * time they recur at, when they do.
 */
static void eventless_note(FILE *f, struct json_object *probe)
{
	struct json_object *ev = rm_find(probe, RK_PROBE_EVIDENCE);
	struct json_object *unexplained =
	    rm_member(rm_get(probe, RK_PROBE_ATTRIBUTION), "unexplained");
	int64_t n = rm_int(ev, RK_EVIDENCE_EVENTLESS), ns = rm_int(ev, RK_EVIDENCE_EVENTLESS_NS);
	int64_t all = rm_int(unexplained, RK_CAUSE_TOTAL_EXCESS);

	if (!ev || n <= 0)
		return;
	fprintf(f,
		"<p class=\"note eventless\">%" PRId64
		" spikes held no event at all: %.1f us, %.0f%% "
		"of the unexplained excess, is time the %s saw nothing of (%s, as rtla osnoise's "
		"hardware noise).</p>\n",
		n, (double)ns / 1e3, all > 0 ? 100.0 * (double)ns / (double)all : 0.0,
		rm_bool(ev, RK_EVIDENCE_HYPERVISOR) ? "guest" : "kernel",
		rm_bool(ev, RK_EVIDENCE_HYPERVISOR)
		    ? "the host's or the firmware's by elimination"
		    : "firmware or an untraced kernel path by elimination");
	if (rm_num(ev, RK_EVIDENCE_EVENTLESS_PERIOD) > 0)
		fprintf(
		    f,
		    "<p class=\"note eventless\">%" PRId64 " of the %" PRId64
		    " gaps between them are whole multiples of %.4f ms of wall time: a source the "
		    "guest does not see, %.0f times a second.</p>\n",
		    rm_int(ev, RK_EVIDENCE_EVENTLESS_ON_GRID),
		    rm_int(ev, RK_EVIDENCE_EVENTLESS_GAPS),
		    rm_num(ev, RK_EVIDENCE_EVENTLESS_PERIOD) / 1e6,
		    1e9 / rm_num(ev, RK_EVIDENCE_EVENTLESS_PERIOD));
}

void report_spikes_section(FILE *f, struct json_object *probe)
{
	struct json_object *spikes = rm_find(probe, RK_PROBE_SPIKES), *det, *sum;
	size_t i;

	if (!rm_has(probe, RK_PROBE_SPIKES))
		return;
	det = rm_get(probe, RK_PROBE_SPIKE_DETECTION);
	fprintf(
	    f,
	    "<h3>Spikes</h3>\n<p>%s spikes: latency above %.1f us (median %.1f us, MAD %.1f us, "
	    "k %.1f)%s.</p>\n",
	    rm_text(probe, RK_PROBE_SPIKES_FOUND, NULL), rm_num(det, RK_DETECTION_THRESHOLD) / 1000,
	    rm_num(det, RK_DETECTION_MEDIAN) / 1000, rm_num(det, RK_DETECTION_MAD) / 1000,
	    rm_num(det, RK_DETECTION_K),
	    rm_bool(probe, RK_PROBE_TRACED)
		? ""
		: "; the trace has no kernel events, so every excess is unexplained");
	sum = summary_causes(rm_get(probe, RK_PROBE_ATTRIBUTION));
	if (json_object_array_length(spikes)) {
		fputs("<p>Excess of all spikes by cause:</p>\n", f);
		cause_bar(f, sum);
		legend(f, sum);
		report_spike_causes(f, rm_get(probe, RK_PROBE_ATTRIBUTION));
		eventless_note(f, probe);
		fprintf(f, "<p class=\"note\">The top %zu spikes, largest excess first.</p>\n",
			json_object_array_length(spikes));
	}
	json_object_put(sum);
	for (i = 0; i < json_object_array_length(spikes); i++)
		spike_row(f, i, json_object_array_get_idx(spikes, i));
}
