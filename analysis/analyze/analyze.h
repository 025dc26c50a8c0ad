/* SPDX-License-Identifier: MIT */
/*
 * analyze - the analysis of one trace file as a library call: load it, build the report
 * (statistics, the kernel events of each probe, spikes and their causes, patterns) and print it
 * as text or JSON. `ringscope analyze`, `session` and `http-session` all call analyze_file().
 */
#ifndef RINGSCOPE_ANALYZE_H
#define RINGSCOPE_ANALYZE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "analysis/attribution/attribution_report.h"

struct analyze_opts {
	struct attr_report_opts attr; /* attr.top == 0: no spike attribution */
	bool json;		      /* one JSON document instead of text */
	bool hist;		      /* each probe's log2 histogram too (--hist) */
	/*
	 * note - in text mode, told before the report in one line what the reader should know of
	 * the file (cut short, or its run ended with an error); NULL: nobody is told
	 */
	void (*note)(const char *line);
};

/* analyze_opts_default - the spike thresholds' defaults, no spikes shown, text. */
void analyze_opts_default(struct analyze_opts *o);

/*
 * analyze_file - analyse the trace file @path as @o says and print the report to @out. A file
 * cut short is analysed up to its last whole chunk (@o->note is told). Returns 0, or -errno
 * with @err saying why (an unreadable, damaged or foreign file, out of memory); nothing is
 * printed then.
 */
int analyze_file(const char *path, const struct analyze_opts *o, FILE *out, char *err,
		 size_t errlen);

#endif
