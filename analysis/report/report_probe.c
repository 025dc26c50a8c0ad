// SPDX-License-Identifier: MIT
/* report_probe - one probe's plots: the mesh diagram (report_mesh) and a latency histogram. */
#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/analyze/render_analyze.h"
#include "analysis/report/report_bins.h"
#include "analysis/report/report_mesh.h"
#include "analysis/report/report_probe.h"
#include "lib/stats.h"
#include "lib/trace/trace_reader.h"

#define HIST_BINS     60
#define HIST_LOG_SPAN 30.0 /* log-spaced bins once max/min passes this factor */

/* hist_range - min and max good latency (ns) of @p; false when it has no good sample. */
static bool hist_range(const struct trace_probe *p, double *lo, double *hi)
{
	size_t k;

	*lo = INFINITY;
	*hi = 0;
	for (k = 0; k < p->nsamples; k++) {
		if (p->samples[k].flags & TRACE_SAMPLE_BAD)
			continue;
		*lo = fmin(*lo, (double)p->samples[k].latency_ns);
		*hi = fmax(*hi, (double)p->samples[k].latency_ns);
	}
	if (*lo <= 0)
		*lo = 1;
	if (*hi <= *lo)
		*hi = *lo + 1;
	return isfinite(*lo);
}

/* hist_write - "lo_us hi_us count" of the non-empty bins; *@log_x says how they were cut. */
static int hist_write(struct report_plot *rp, const struct trace_probe *p, double lo, double hi,
		      bool log_x, char *path, size_t len)
{
	double edge[HIST_BINS + 1], count[HIST_BINS] = {0}, v;
	FILE *f = report_plot__data(rp, "hist.dat", path, len);
	size_t k;
	int b;

	if (!f)
		return -errno;
	for (b = 0; b <= HIST_BINS; b++)
		edge[b] = log_x ? lo * pow(hi / lo, (double)b / HIST_BINS)
				: lo + (hi - lo) * b / HIST_BINS;
	for (k = 0; k < p->nsamples; k++) {
		if (p->samples[k].flags & TRACE_SAMPLE_BAD)
			continue;
		v = (double)p->samples[k].latency_ns;
		b = (int)(log_x ? log(v / lo) / log(hi / lo) * HIST_BINS
				: (v - lo) / (hi - lo) * HIST_BINS);
		count[b < 0 ? 0 : b >= HIST_BINS ? HIST_BINS - 1 : b]++;
	}
	for (b = 0; b < HIST_BINS; b++) {
		if (count[b])
			fprintf(f, "%.4f %.4f %.0f\n", edge[b] / 1000, edge[b + 1] / 1000,
				count[b]);
	}
	return fclose(f) ? -errno : 0;
}

/*
 * draw_hist - the latency histogram of @p: log x when the range spans decades, log y; p50 and
 * p99 marked as Table 1 gives them (analyze_probe_stats).
 */
static int draw_hist(struct report_plot *rp, const struct trace_probe *p, char **svg, char *err,
		     size_t errlen)
{
	char path[4200], script[6000], marks[512] = "";
	struct stats_summary st;
	double lo, hi;
	bool log_x;
	int ret;

	if (!hist_range(p, &lo, &hi))
		return 0;
	ret = analyze_probe_stats(p, &st);
	if (ret == -ENOMEM) {
		snprintf(err, errlen, "out of memory drawing the histogram of probe %u",
			 p->probe_id);
		return ret;
	}
	log_x = hi / lo > HIST_LOG_SPAN;
	ret = hist_write(rp, p, lo, hi, log_x, path, sizeof(path));
	if (ret) {
		snprintf(err, errlen, "failed to write plot data: %s", strerror(-ret));
		return ret;
	}
	snprintf(marks, sizeof(marks),
		 "set arrow from %.4f, graph 0 to %.4f, graph 1 nohead dt 2 lc rgb '#d62728'\n"
		 "set label 'p50' at %.4f, graph 0.95 offset 0.5,0 tc rgb '#d62728'\n"
		 "set arrow from %.4f, graph 0 to %.4f, graph 1 nohead dt 3 lc rgb '#9467bd'\n"
		 "set label 'p99' at %.4f, graph 0.86 offset 0.5,0 tc rgb '#9467bd'\n",
		 st.p50 / 1000, st.p50 / 1000, st.p50 / 1000, st.p99 / 1000, st.p99 / 1000,
		 st.p99 / 1000);
	snprintf(
	    script, sizeof(script),
	    "%sset logscale y\nset format x '%%g'\nset format y '%%.0f'\nset yrange "
	    "[0.8:*]\nunset key\n"
	    "set xrange [%.4f:%.4f]\n"
	    "set xlabel 'latency (us%s)'\nset ylabel 'iterations'\nset grid ytics lc rgb "
	    "'#dddddd'\n"
	    "set style fill solid 0.85 border lc rgb '#1f3b73'\n%s"
	    "plot '%s' using (($1+$2)/2):3:1:2:(0.8):3 title 'iterations per latency bin' with "
	    "boxxyerror lc rgb '#2a6fdb'\n",
	    log_x ? "set logscale x\n" : "",
	    log_x ? lo / 1000 / 1.15 : lo / 1000 - (hi - lo) / 1000 * 0.03,
	    log_x ? hi / 1000 * 1.15 : hi / 1000 + (hi - lo) / 1000 * 0.03,
	    log_x ? ", log bins" : "", marks, path);
	return report_plot__svg(rp, script, 1000, 360, svg, err, errlen);
}

int report_probe_draw(struct report_plot *rp, const struct trace_probe *p,
		      struct json_object *probe, struct report_probe_plots *out, char *err,
		      size_t errlen)
{
	double period = report_bins_period(probe);
	int ret;

	memset(out, 0, sizeof(*out));
	if (!hist_range(p, &(double){0}, &(double){0}))
		return 0;
	ret = report_mesh_draw(rp, p, period, false, &out->heatmap, err, errlen);
	if (!ret)
		ret = report_mesh_draw(rp, p, period, true, &out->mesh, err, errlen);
	if (!ret)
		ret = draw_hist(rp, p, &out->histogram, err, errlen);
	if (ret)
		report_probe_plots_free(out);
	return ret;
}

void report_probe_plots_free(struct report_probe_plots *pl)
{
	free(pl->heatmap);
	free(pl->mesh);
	free(pl->histogram);
	memset(pl, 0, sizeof(*pl));
}
