// SPDX-License-Identifier: MIT
/* report_compare_plot - one probe of two traces in the same axes: overlaid CDF and histogram. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/report/report_compare_plot.h"
#include "lib/stats.h"
#include "lib/trace/trace_latencies.h"
#include "lib/trace/trace_reader.h"

#define CDF_POINTS 1000 /* ranks drawn per CDF: a step every 0.1%, plus the slowest sample */
/* Two plots side by side in the page's 1240 px: drawn at about the size they are shown. */
#define PLOT_WIDTH  760
#define PLOT_HEIGHT 420

/* The two series: A blue as in the single-trace plots, B orange; distinct in greyscale too. */
#define COLOUR_A "#2a6fdb"
#define COLOUR_B "#e8702a"

/* side - the good latencies (ns) of one probe, ascending. */
struct side {
	double *v;
	size_t n;
};

bool report_compare_log_x(double lo, double hi)
{
	return lo > 0 && hi / lo > REPORT_COMPARE_LOG_SPAN;
}

int report_compare_hist_bins(double lo, double hi, double q1, double q3, double step, bool log_x)
{
	double whole = log_x ? log(hi / lo) : hi - lo;
	double body = log_x ? log(q3 / q1) : q3 - q1;
	double n = body > 0 && isfinite(body) ? REPORT_COMPARE_BODY_BINS * whole / body
					      : REPORT_COMPARE_MAX_BINS;
	/* no bin narrower than the timer's step: those between two steps would stay empty */
	double most = log_x ? whole / log1p(step / lo) : whole / step;

	if (step > 0 && n > most)
		n = most;
	n = ceil(n);
	return n < REPORT_COMPARE_MIN_BINS   ? REPORT_COMPARE_MIN_BINS
	       : n > REPORT_COMPARE_MAX_BINS ? REPORT_COMPARE_MAX_BINS
					     : (int)n;
}

/* side_load - @p's good samples of the runs its statistics read; 0, -ENODATA, -ENOMEM. */
static int side_load(const struct trace_probe *p, struct side *s)
{
	size_t ns;
	const struct trace_sample *ts = trace_probe_stat_samples(p, &ns);

	s->v = trace_good_latencies(ts, ns, &s->n);
	if (!s->v)
		return -ENOMEM;
	return s->n ? 0 : -ENODATA;
}

/*
 * cdf_rank - the rank of point @k of CDF_POINTS among @n: evenly spaced in rank on a linear
 * axis, evenly spaced in height on the nines axis (-log10(1 - F)), so the tail gets its points.
 */
static size_t cdf_rank(size_t k, size_t n, bool nines)
{
	double y, i;

	if (!nines)
		return (size_t)((double)k * (double)(n - 1) / CDF_POINTS + 0.5);
	y = log10(2.0 * (double)n) * (double)k / CDF_POINTS;
	i = ceil((double)n * (1 - pow(10, -y)) - 0.5);
	return i < 0 ? 0 : i > (double)(n - 1) ? n - 1 : (size_t)i;
}

/* cdf_y - F at rank @i of @n, Hazen's (i + 0.5) / n; on the nines axis -log10(1 - F). */
static double cdf_y(size_t i, size_t n, bool nines)
{
	double F = ((double)i + 0.5) / (double)n;

	return nines ? -log10(1 - F) : F;
}

/* cdf_write - "latency_us y" at CDF_POINTS ranks and the last; 0 or -errno. */
static int cdf_write(struct report_plot *rp, const char *name, const struct side *s, bool nines,
		     char *path, size_t len)
{
	FILE *f = report_plot__data(rp, name, path, len);
	size_t k, i, last = (size_t)-1;

	if (!f)
		return -errno;
	for (k = 0; k <= CDF_POINTS; k++) {
		i = cdf_rank(k, s->n, nines);
		if (i == last)
			continue;
		last = i;
		fprintf(f, "%.4f %.6f\n", s->v[i] / 1000, cdf_y(i, s->n, nines));
	}
	return fclose(f) ? -errno : 0;
}

/*
 * y_axis - the CDF's height: linear from 0 to 1, or on the nines axis a tic per nine (50%, 90%,
 * 99%, ...) up to the slowest sample of the longer trace.
 */
static void y_axis(char *buf, size_t len, size_t n, bool nines)
{
	/* gnuplot reads a tic's label as a format of its value: '%%' is a percent sign */
	static const char *const tics[] = {"90%%",    "99%%",	  "99.9%%",
					   "99.99%%", "99.999%%", "99.9999%%"};
	double top = log10(2.0 * (double)n);
	size_t t, used;

	if (!nines) {
		snprintf(buf, len,
			 "set yrange [0:1.02]\nset ytics 0.1\n"
			 "set ylabel 'share of iterations at or below'\n");
		return;
	}
	used =
	    (size_t)snprintf(buf, len, "set yrange [0:%.3f]\nset ytics ('0%%%%' 0, '50%%%%' %.5f",
			     top * 1.02, log10(2.0));
	for (t = 0; t < sizeof(tics) / sizeof(tics[0]) && t + 1 <= top && used < len; t++)
		used += (size_t)snprintf(buf + used, len - used, ", '%s' %zu", tics[t], t + 1);
	if (used < len)
		snprintf(buf + used, len - used,
			 ")\nset ylabel 'share at or below (a tic per nine)'\n");
}

/*
 * hist_write - "lo_us hi_us percent" of @s's non-empty bins among @nbins from @lo to @hi ns
 * (log-spaced if @log_x): each side as a share of its own samples, so that traces of different
 * lengths overlay. 0 or -errno.
 */
static int hist_write(struct report_plot *rp, const char *name, const struct side *s, double lo,
		      double hi, int nbins, bool log_x, char *path, size_t len)
{
	FILE *f = report_plot__data(rp, name, path, len);
	double count[REPORT_COMPARE_MAX_BINS] = {0}, x, e0, e1;
	size_t k;
	int b;

	if (!f)
		return -errno;
	for (k = 0; k < s->n; k++) {
		x = log_x ? log(s->v[k] / lo) / log(hi / lo) : (s->v[k] - lo) / (hi - lo);
		/* a 0 ns sample sits below the 1 ns floor of a log axis: the first bin */
		b = x > 0 ? (int)(fmin(x, 1) * nbins) : 0;
		count[b >= nbins ? nbins - 1 : b]++;
	}
	for (b = 0; b < nbins; b++) {
		e0 = log_x ? lo * pow(hi / lo, (double)b / nbins) : lo + (hi - lo) * b / nbins;
		e1 = log_x ? lo * pow(hi / lo, (double)(b + 1) / nbins)
			   : lo + (hi - lo) * (b + 1) / nbins;
		if (count[b])
			fprintf(f, "%.4f %.4f %.6g\n", e0 / 1000, e1 / 1000,
				100.0 * count[b] / (double)s->n);
	}
	return fclose(f) ? -errno : 0;
}

/* side_iqr - p25 and p75 of @s (ns), as stats_percentile interpolates them. */
static void side_iqr(const struct side *s, double q[2])
{
	q[0] = stats_percentile(s->v, s->n, 0.25);
	q[1] = stats_percentile(s->v, s->n, 0.75);
}

/* hist_bins - the bins of both: enough for the narrower body of the two. */
static int hist_bins(const struct side *a, const struct side *b, double lo, double hi, double step,
		     bool log_x)
{
	double qa[2], qb[2];
	int na, nb;

	side_iqr(a, qa);
	side_iqr(b, qb);
	na = report_compare_hist_bins(lo, hi, fmax(qa[0], lo), qa[1], step, log_x);
	nb = report_compare_hist_bins(lo, hi, fmax(qb[0], lo), qb[1], step, log_x);
	return na > nb ? na : nb;
}

/* x_axis - the latency axis both plots share: log or linear, a margin on either side. */
static void x_axis(char *buf, size_t len, double lo, double hi, bool log_x)
{
	if (log_x)
		snprintf(buf, len,
			 "set logscale x\nset xrange [%.4f:%.4f]\n"
			 "set xlabel 'latency (us, log scale)'\n",
			 lo / 1000 / 1.15, hi / 1000 * 1.15);
	else
		snprintf(buf, len, "set xrange [%.4f:%.4f]\nset xlabel 'latency (us)'\n",
			 (lo - (hi - lo) * 0.03) / 1000, (hi + (hi - lo) * 0.03) / 1000);
}

/* draw_cdf - both empirical CDFs as step lines over the shared axis; nines with a log axis. */
static int draw_cdf(struct report_plot *rp, const struct side *a, const struct side *b,
		    const char *axis, bool nines, char **svg, char *err, size_t errlen)
{
	char pa[4200], pb[4200], script[10000], ys[512];
	int ret;

	ret = cdf_write(rp, "cdf-a.dat", a, nines, pa, sizeof(pa));
	if (!ret)
		ret = cdf_write(rp, "cdf-b.dat", b, nines, pb, sizeof(pb));
	if (ret) {
		snprintf(err, errlen, "failed to write plot data: %s", strerror(-ret));
		return ret;
	}
	y_axis(ys, sizeof(ys), a->n > b->n ? a->n : b->n, nines);
	snprintf(script, sizeof(script),
		 "%s%sset format x '%%g'\nset grid xtics ytics lc rgb '#dddddd'\n"
		 "set key bottom right box\n"
		 "plot '%s' using 1:2 with steps lw 2 lc rgb '" COLOUR_A "' title 'A', "
		 "'%s' using 1:2 with steps lw 2 dt 2 lc rgb '" COLOUR_B "' title 'B'\n",
		 axis, ys, pa, pb);
	return report_plot__svg(rp, script, PLOT_WIDTH, PLOT_HEIGHT, svg, err, errlen);
}

/* draw_hist - both histograms as translucent boxes over the same bins, log share axis. */
static int draw_hist(struct report_plot *rp, const struct side *a, const struct side *b, double lo,
		     double hi, int nbins, bool log_x, const char *axis, char **svg, char *err,
		     size_t errlen)
{
	char pa[4200], pb[4200], script[10000];
	/* half the share of one sample of the longer trace: every non-empty bin shows */
	double floor = 50.0 / (double)(a->n > b->n ? a->n : b->n);
	int ret;

	ret = hist_write(rp, "hist-a.dat", a, lo, hi, nbins, log_x, pa, sizeof(pa));
	if (!ret)
		ret = hist_write(rp, "hist-b.dat", b, lo, hi, nbins, log_x, pb, sizeof(pb));
	if (ret) {
		snprintf(err, errlen, "failed to write plot data: %s", strerror(-ret));
		return ret;
	}
	/* each box outlined in its colour: a lone tail sample's narrow bin still shows */
	snprintf(script, sizeof(script),
		 "%sset format x '%%g'\nset logscale y\nset format y '%%g'\nset yrange [%g:*]\n"
		 "set ylabel '%% of its iterations (log)'\nset grid ytics lc rgb '#dddddd'\n"
		 "set key top right box\n"
		 "plot '%s' using (($1+$2)/2):3:1:2:(%g):3 with boxxyerror fs transparent solid "
		 "0.45 border lc rgb '" COLOUR_A "' lc rgb '" COLOUR_A "' title 'A', "
		 "'%s' using (($1+$2)/2):3:1:2:(%g):3 with boxxyerror fs transparent solid "
		 "0.45 border lc rgb '" COLOUR_B "' lc rgb '" COLOUR_B "' title 'B'\n",
		 axis, floor, pa, floor, pb, floor);
	return report_plot__svg(rp, script, PLOT_WIDTH, PLOT_HEIGHT, svg, err, errlen);
}

int report_compare_draw(struct report_plot *rp, const struct trace_probe *a,
			const struct trace_probe *b, double step_ns,
			struct report_compare_plots *out, char *err, size_t errlen)
{
	struct side sa = {0}, sb = {0};
	double lo, hi;
	char axis[256];
	int ret;

	memset(out, 0, sizeof(*out));
	ret = side_load(a, &sa);
	if (!ret)
		ret = side_load(b, &sb);
	if (ret == -ENODATA) { /* nothing to draw: the section says the side has no sample */
		ret = 0;
		goto cleanup;
	}
	if (ret) {
		snprintf(err, errlen, "out of memory drawing the comparison of probe %u",
			 a->probe_id);
		goto cleanup;
	}
	lo = fmax(fmin(sa.v[0], sb.v[0]), 1);
	hi = fmax(fmax(sa.v[sa.n - 1], sb.v[sb.n - 1]), lo + 1);
	out->log_x = report_compare_log_x(lo, hi);
	x_axis(axis, sizeof(axis), lo, hi, out->log_x);
	out->bins = hist_bins(&sa, &sb, lo, hi, step_ns, out->log_x);
	ret = draw_cdf(rp, &sa, &sb, axis, out->log_x, &out->cdf, err, errlen);
	if (!ret)
		ret = draw_hist(rp, &sa, &sb, lo, hi, out->bins, out->log_x, axis, &out->histogram,
				err, errlen);
	if (ret)
		report_compare_plots_free(out);
cleanup:
	free(sa.v);
	free(sb.v);
	return ret;
}

void report_compare_plots_free(struct report_compare_plots *pl)
{
	free(pl->cdf);
	free(pl->histogram);
	memset(pl, 0, sizeof(*pl));
}
