// SPDX-License-Identifier: MIT
/* report_observer - a probe's observer effect on the report page (docs/tracer.md). */
#include "analysis/report/report_observer.h"

#include <inttypes.h>

#include <json-c/json.h>

#include "analysis/model/report_model.h"

/* us_ci - "1.234 [1.230, 1.240]" in us from a value in ns and its [lo, hi] interval. */
static void us_ci(FILE *f, struct json_object *side, enum rm_key value, enum rm_key ci)
{
	struct json_object *c = rm_get(side, ci);

	fprintf(f, "<td>%.3f [%.3f, %.3f]</td>", rm_num_nan(side, value) / 1e3,
		json_object_get_double(json_object_array_get_idx(c, 0)) / 1e3,
		json_object_get_double(json_object_array_get_idx(c, 1)) / 1e3);
}

/* side_row - one kind of run. */
static void side_row(FILE *f, const char *name, struct json_object *side)
{
	fprintf(f, "<tr><th>%s</th><td>%" PRId64 "</td><td>%" PRId64 "</td>", name,
		rm_int(side, RK_OBSIDE_RUNS), rm_int(side, RK_OBSIDE_SAMPLES));
	us_ci(f, side, RK_OBSIDE_P50, RK_OBSIDE_P50_CI);
	us_ci(f, side, RK_OBSIDE_P99, RK_OBSIDE_P99_CI);
	fputs("</tr>\n", f);
}

void report_observer_section(FILE *f, struct json_object *probe)
{
	struct json_object *o = rm_find(probe, RK_PROBE_OBSERVER), *cause;

	if (!o)
		return;
	fputs(
	    "<div class=\"observer\"><h3>Observer effect</h3>\n<p class=\"note\">The tables and "
	    "patterns are the untraced runs' (no BPF program attached); the spikes are the traced "
	    "runs'. 95% intervals of the pooled samples: they leave out the run-to-run "
	    "variation.</p>\n<table><tr><th>kind</th><th>runs</th><th>samples</th><th>p50 "
	    "(us)</th><th>p99 (us)</th></tr>\n",
	    f);
	side_row(f, "untraced", rm_get(o, RK_OBSERVER_UNTRACED));
	side_row(f, "traced", rm_get(o, RK_OBSERVER_TRACED));
	fprintf(f, "</table>\n<p class=\"note\">traced/untraced: p50 x%s, p99 x%s",
		rm_text(o, RK_OBSERVER_P50_RATIO, "?"), rm_text(o, RK_OBSERVER_P99_RATIO, "?"));
	cause = rm_get(o, RK_OBSERVER_TRACER_CAUSE);
	if (cause)
		fprintf(f, "; the tracer's own cause in %" PRId64 " spikes, %.3f us excess",
			rm_int(cause, RK_CAUSE_TOTAL_SPIKES),
			(double)rm_int(cause, RK_CAUSE_TOTAL_EXCESS) / 1e3);
	fputs(".</p></div>\n", f);
}
