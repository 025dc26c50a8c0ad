/* SPDX-License-Identifier: MIT */
/* report_html - the report page: style, fingerprint, Table 1, each probe's section, the end. */
#ifndef RINGSCOPE_REPORT_HTML_H
#define RINGSCOPE_REPORT_HTML_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "analysis/report/report_probe.h"

struct json_object;

/* report_html_begin - doctype, inline style, title and heading of the page for @path. */
void report_html_begin(FILE *f, const char *path);

/*
 * report_html_platform - the platform fingerprint(s), one labelled line per fact, the compared
 * trace's beside it when @other is not NULL (lines that differ shaded). In report_fingerprint.c.
 */
void report_html_platform(FILE *f, struct json_object *report, struct json_object *other);

/* report_html_table1 - Table 1: a row per probe of @report (us), linked to its section if @link. */
void report_html_table1(FILE *f, const char *caption, struct json_object *report, bool link);

/*
 * report_html_probe - one probe's section: its plots, patterns (when the object has them),
 * spike summary with stacked cause bars and a timeline of each top spike's key events.
 */
void report_html_probe(FILE *f, size_t index, struct json_object *probe,
		       const struct report_probe_plots *pl);

/*
 * report_html_probe_label - "ring, 3 hops, netns, uring": the probe's @name and the settings of
 * its @config that tell its kind apart.
 */
void report_html_probe_label(const char *name, struct json_object *config, char *buf, size_t len);

/* report_html_end - closes the page. */
void report_html_end(FILE *f);

#endif
