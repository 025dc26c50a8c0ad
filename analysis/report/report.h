/* SPDX-License-Identifier: MIT */
/*
 * report - `ringscope report`: one self-contained HTML page of a trace file (fingerprint,
 * Table 1, mesh diagrams, histograms, patterns, top spikes with their causes and events), its
 * plots drawn by gnuplot (report_plot), its page assembled by report_html.
 */
#ifndef RINGSCOPE_REPORT_H
#define RINGSCOPE_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "analysis/attribution/attribution_report.h"

struct json_object;
struct trace_probe;
struct trace_session;

/* report_opts - what `ringscope report` was asked for. */
struct report_opts {
	const char *path;	  /* the trace file */
	const char *compare_path; /* a second trace to set beside it, or NULL */
	const char *out;	  /* the HTML file; written as OUT.tmp, then renamed */
	struct attr_report_opts attr;
};

/*
 * report_write - load the trace(s), build the analyze report and its attribution, draw the
 * plots and write the page to o->out (through o->out + ".tmp" and a rename, so that a failure
 * never leaves a partial file under the final name). Returns 0 or -errno with @err set;
 * -ENOENT with "install gnuplot-nox" when gnuplot is missing.
 */
int report_write(const struct report_opts *o, char *err, size_t errlen);

/* --- report_plot: gnuplot as a child process, in a private temporary folder --- */

struct report_plot;

/*
 * report_plot__new - make the private folder (mkdtemp under $TMPDIR or /tmp). Returns 0 and
 * *@out, or -errno with @err set.
 */
int report_plot__new(struct report_plot **out, char *err, size_t errlen);

/*
 * report_plot__data - open a new data file NAME in the folder for writing; its path (for the
 * script) goes to @path. Returns the stream or NULL with errno set.
 */
FILE *report_plot__data(struct report_plot *rp, const char *name, char *path, size_t len);

/*
 * report_plot__svg - run gnuplot with @script on its stdin; the script must not set the
 * terminal or output (this sets `svg` at @width x @height pixels). Returns 0 and the <svg>
 * element (XML prolog removed, malloc'd) in *@svg, or -errno with @err set: -ENOENT when
 * gnuplot is not installed, -EIO when it failed (its first error line is in @err).
 */
int report_plot__svg(struct report_plot *rp, const char *script, int width, int height, char **svg,
		     char *err, size_t errlen);

/* report_plot__free - remove the folder and everything in it (NULL is fine). */
void report_plot__free(struct report_plot *rp);

/* --- report_probe: the plots of one probe (report_probe.c) --- */

/* report_probe_plots - the SVGs of one probe; each is NULL when it has no good sample. */
struct report_probe_plots {
	char *heatmap;
	char *mesh;
	char *histogram;
};

/*
 * report_probe_draw - draw the heatmap, 3-D mesh and histogram of @p's good samples; @stats
 * (the analyze report's "stats" of the probe, may be NULL) marks p50 and p99 on the histogram.
 * Returns 0 or -errno with @err set.
 */
int report_probe_draw(struct report_plot *rp, const struct trace_probe *p,
		      struct json_object *stats, struct report_probe_plots *out, char *err,
		      size_t errlen);

/* report_probe_plots_free - free the SVGs of @pl. */
void report_probe_plots_free(struct report_probe_plots *pl);

/* --- report_html: the page --- */

/* html_escape - write @s to @f with &, <, >, " and ' escaped (NULL writes nothing). */
void html_escape(FILE *f, const char *s);

/* report_html_begin - doctype, inline style, title and heading of the page for @path. */
void report_html_begin(FILE *f, const char *path);

/* report_html_platform - the platform fingerprint(s) as a key/value table; @other may be NULL. */
void report_html_platform(FILE *f, struct json_object *report, struct json_object *other);

/* report_html_table1 - Table 1: a row per probe of @report (us), linked to its section if @link. */
void report_html_table1(FILE *f, const char *caption, struct json_object *report, bool link);

/*
 * report_html_probe - one probe's section: its plots, patterns (when the object has them),
 * spike summary with stacked cause bars and a timeline of each top spike's key events.
 */
void report_html_probe(FILE *f, size_t index, struct json_object *probe,
		       const struct report_probe_plots *pl);

/* report_probe_label - "ring, 3 hops, netns, uring": a probe object's name and key settings. */
void report_probe_label(struct json_object *probe, char *buf, size_t len);

/*
 * report_spikes_section - a probe's spikes (report_spikes.c): detection line, the excess of all
 * spikes by cause as a stacked bar, then each top spike with its stacked cause bar and an SVG
 * timeline of its key events over the spike window. Nothing when the probe has no "spikes".
 */
void report_spikes_section(FILE *f, struct json_object *probe);

/* report_attribution_bar - a stacked bar of an "attribution" object's excess per cause. */
void report_attribution_bar(FILE *f, struct json_object *attribution);

/*
 * report_html_compare - the side-by-side of @cmp (compare_report_build's object, compare.h):
 * per probe in both traces, both sides' figures and cause mix, the tests and the verdict.
 */
void report_html_compare(FILE *f, struct json_object *cmp);

/* report_html_end - closes the page. */
void report_html_end(FILE *f);

#endif
