// SPDX-License-Identifier: MIT
/* report_spike_causes - per cause the spikes it dominates and its excess, each with its share. */
#include "analysis/report/report_spike_causes.h"

#include <inttypes.h>
#include <stdint.h>
#include <string.h>

#include <json-c/json.h>

#include "analysis/model/report_model.h"
#include "analysis/report/html_escape.h"

/* The totals over all causes, and the cause that leads each. */
struct cause_totals {
	int64_t spikes, excess_ns;
	const char *most_spikes, *most_excess;
	int64_t top_spikes, top_excess;
};

static void totals(struct json_object *attribution, struct cause_totals *t)
{
	int64_t n, ns;

	*t = (struct cause_totals){0};
	json_object_object_foreach(attribution, cause, v)
	{
		n = rm_int(v, RK_CAUSE_TOTAL_SPIKES);
		ns = rm_int(v, RK_CAUSE_TOTAL_EXCESS);
		t->spikes += n;
		t->excess_ns += ns;
		if (n > t->top_spikes) {
			t->top_spikes = n;
			t->most_spikes = cause;
		}
		if (ns > t->top_excess) {
			t->top_excess = ns;
			t->most_excess = cause;
		}
	}
}

/* share - @part of @whole in percent, 0 of nothing. */
static double share(int64_t part, int64_t whole)
{
	return whole > 0 ? 100.0 * (double)part / (double)whole : 0;
}

/* both_leaders - the sentence that says which cause has most spikes and which most excess. */
static void both_leaders(FILE *f, const struct cause_totals *t)
{
	fputs("<p class=\"note\">Most spikes are <b>", f);
	html_escape(f, t->most_spikes);
	fprintf(f, "</b> (%" PRId64 " of %" PRId64 "), most excess is <b>", t->top_spikes,
		t->spikes);
	html_escape(f, t->most_excess);
	fprintf(f,
		"</b> (%.0f%%): the top spikes below are the largest, not the most common.</p>\n",
		share(t->top_excess, t->excess_ns));
}

void report_spike_causes(FILE *f, struct json_object *attribution)
{
	struct cause_totals t;
	int64_t n, ns;

	totals(attribution, &t);
	if (!t.spikes && !t.excess_ns)
		return;
	fputs("<table class=\"causes\"><tr><th class=\"l\">cause</th><th>spikes it dominates</th>"
	      "<th>share of the spikes</th><th>excess (us)</th><th>share of the excess</th></tr>\n",
	      f);
	json_object_object_foreach(attribution, cause, v)
	{
		n = rm_int(v, RK_CAUSE_TOTAL_SPIKES);
		ns = rm_int(v, RK_CAUSE_TOTAL_EXCESS);
		if (!n && !ns)
			continue;
		fputs("<tr><td class=\"l\">", f);
		html_escape(f, cause);
		fprintf(f,
			"</td><td>%" PRId64
			"</td><td>%.1f%%</td><td>%.3f</td><td>%.1f%%</td></tr>\n",
			n, share(n, t.spikes), (double)ns / 1000, share(ns, t.excess_ns));
	}
	fputs("</table>\n", f);
	if (t.most_spikes && t.most_excess && strcmp(t.most_spikes, t.most_excess))
		both_leaders(f, &t);
}
