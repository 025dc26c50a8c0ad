// SPDX-License-Identifier: MIT
/* svg_clean - ids made unique per plot, gnuplot's own tooltips and temporary paths left out. */
#include "analysis/report/svg_clean.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* starts - the length of @word when @s starts with it, else 0. */
static size_t starts(const char *s, const char *word)
{
	size_t n = strlen(word);

	return strncmp(s, word, n) ? 0 : n;
}

/* id_ref - the length of an id or a reference to one at @s, up to where its name begins. */
static size_t id_ref(const char *s)
{
	static const char *const forms[] = {" id=\"",  " id='", "href=\"#",
					    "href='#", "url(#", "url('#"};
	size_t i, n;

	for (i = 0; i < sizeof(forms) / sizeof(forms[0]); i++) {
		n = starts(s, forms[i]);
		if (n)
			return n;
	}
	return 0;
}

/*
 * gnuplots_title - the length of the <title> element at @s when it is one to leave out:
 * gnuplot's own names, or a text naming @dir; else 0.
 */
static size_t gnuplots_title(const char *s, const char *dir)
{
	const char *text = s + starts(s, "<title>"), *end;
	bool own;

	if (text == s)
		return 0;
	end = strstr(text, "</title>");
	if (!end)
		return 0;
	own = (size_t)(end - text) == strlen("Gnuplot") && !strncmp(text, "Gnuplot", 7);
	own = own || starts(text, "gnuplot_plot_");
	if (!own && (!*dir || !memmem(text, (size_t)(end - text), dir, strlen(dir))))
		return 0;
	return (size_t)(end - s) + strlen("</title>");
}

char *svg_clean(const char *svg, const char *prefix, const char *dir)
{
	char *out = NULL;
	size_t len = 0, n;
	FILE *f = open_memstream(&out, &len);

	if (!f)
		return NULL;
	while (*svg) {
		n = gnuplots_title(svg, dir);
		if (n) {
			svg += n;
			continue;
		}
		n = id_ref(svg);
		if (n) {
			fprintf(f, "%.*s%s-", (int)n, svg, prefix);
			svg += n;
			continue;
		}
		fputc(*svg++, f);
	}
	if (fclose(f)) {
		free(out);
		return NULL;
	}
	return out;
}
