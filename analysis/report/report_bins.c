// SPDX-License-Identifier: MIT
/* report_bins - bins of iterations that cannot hide a periodic line of spikes. */
#include "analysis/report/report_bins.h"

#include <math.h>

#include <json-c/json.h>

#include "analysis/model/report_model.h"

#define INTEGER_PERIOD 0.05 /* a period this close to a whole number is one (64.02: 64) */

/* ceil_div - @a / @b rounded up. */
static unsigned int ceil_div(unsigned int a, unsigned int b)
{
	return a / b + (a % b != 0);
}

/* divisor_in - the smallest divisor of @n in [@lo, @hi], 0 when none. */
static unsigned int divisor_in(unsigned int n, unsigned int lo, unsigned int hi)
{
	unsigned int d;

	for (d = lo; d <= hi; d++) {
		if (n % d == 0)
			return d;
	}
	return 0;
}

void report_bins_choose(unsigned int iters, unsigned int max_cols, unsigned int stretch,
			double period, struct report_bins *out)
{
	unsigned int most = max_cols ? max_cols : 1, bin, limit, whole;

	out->shown = iters;
	out->bin = iters > most ? ceil_div(iters, most) : 1;
	if (out->bin == 1 || !(period >= 3))
		return;
	limit = (unsigned int)floor(period / 3);
	stretch = stretch ? stretch : 1;
	bin = iters > most * stretch ? ceil_div(iters, most * stretch) : 1;
	if (bin > limit) { /* even stretched, the line would vanish: show its start at a third */
		out->bin = limit;
		out->shown = most * stretch * limit;
		return;
	}
	if (out->bin > limit) /* more points than the budget, fewer than its stretch */
		out->bin = bin;
	whole = (unsigned int)lround(period);
	if (fabs(period - whole) < INTEGER_PERIOD && divisor_in(whole, out->bin, limit))
		out->bin = divisor_in(whole, out->bin, limit);
}

double report_bins_period(struct json_object *probe)
{
	struct json_object *pat = rm_find(probe, RK_PROBE_PATTERNS), *lines, *l;
	double shortest = 0, p;
	size_t i;

	lines = pat ? rm_get(pat, RK_PATTERNS_PERIODIC) : NULL;
	if (!json_object_is_type(lines, json_type_array))
		return 0;
	for (i = 0; i < json_object_array_length(lines); i++) {
		l = json_object_array_get_idx(lines, i);
		p = rm_num_nan(l, RK_LINE_PERIOD);
		if (p > 0 && (!shortest || p < shortest))
			shortest = p;
	}
	return shortest;
}
