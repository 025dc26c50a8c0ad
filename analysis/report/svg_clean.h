/* SPDX-License-Identifier: MIT */
/* svg_clean - a gnuplot SVG made fit to sit beside others in one page. */
#ifndef RINGSCOPE_SVG_CLEAN_H
#define RINGSCOPE_SVG_CLEAN_H

/*
 * svg_clean - a copy of @svg whose ids are unique in the page and whose tooltips say nothing of
 * how it was made: every id="X" becomes id="@prefix-X", and each reference to one (href="#X",
 * xlink:href, url(#X)) follows it (gnuplot's svg terminal names every plot's canvas, markers
 * and filters the same); a <title> that is gnuplot's own ("Gnuplot", "gnuplot_plot_N") or names
 * the private folder @dir (a plot without a title is named after its data file) is left out.
 * Returns the malloc'd copy, or NULL when out of memory.
 */
char *svg_clean(const char *svg, const char *prefix, const char *dir);

#endif
