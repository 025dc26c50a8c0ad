/* SPDX-License-Identifier: MIT */
/* html_escape - text from a trace file made safe inside an HTML page. */
#ifndef RINGSCOPE_HTML_ESCAPE_H
#define RINGSCOPE_HTML_ESCAPE_H

#include <stdio.h>

/* html_escape - write @s to @f with &, <, >, " and ' escaped (NULL writes nothing). */
void html_escape(FILE *f, const char *s);

#endif
