/* SPDX-License-Identifier: MIT */
/* report_plot - gnuplot as a child process, drawing SVGs from data files in a private folder. */
#ifndef RINGSCOPE_REPORT_PLOT_H
#define RINGSCOPE_REPORT_PLOT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct report_plot;

/*
 * report_plot__new - make the private folder (mkdtemp under $TMPDIR or /tmp, removed by a stop
 * signal too: lib/sigcleanup.h); each gnuplot may take at most @timeout_ms. Returns 0 and
 * *@out, or -errno with @err set.
 */
int report_plot__new(struct report_plot **out, uint64_t timeout_ms, char *err, size_t errlen);

/*
 * report_plot__data - open a new data file NAME in the folder for writing; its path (for the
 * script) goes to @path. Returns the stream or NULL with errno set.
 */
FILE *report_plot__data(struct report_plot *rp, const char *name, char *path, size_t len);

/*
 * report_plot__svg - run gnuplot with @script on its stdin; the script must not set the
 * terminal or output (this sets `svg` at @width x @height pixels). Returns 0 and the <svg>
 * element (XML prolog removed, ids made unique in the page, gnuplot's own tooltips and the
 * folder's paths left out: svg_clean.h; malloc'd) in *@svg, or -errno with @err set: -ENOENT when
 * gnuplot is not installed, -EIO when it failed (its first error line is in @err), -ETIMEDOUT
 * when it took longer than the timeout (it is killed).
 */
int report_plot__svg(struct report_plot *rp, const char *script, int width, int height, char **svg,
		     char *err, size_t errlen);

/* report_plot__free - remove the folder and everything in it (NULL is fine). */
void report_plot__free(struct report_plot *rp);

#endif
