// SPDX-License-Identifier: MIT
/* attribution_scale - the last steps of a split: the baseline out, the causes onto the excess. */
#include <string.h>

#include "analysis/attribution/attribution.h"

/* attr_scale_exact - @v in proportion onto @target, exactly (largest remainder). */
int attr_scale_exact(uint64_t *v, size_t n, uint64_t target)
{
	unsigned __int128 sum = 0, q;
	uint64_t rem[ATTR_NCAUSES], got = 0;
	size_t i, best;

	if (n > ATTR_NCAUSES)
		return 0;
	for (i = 0; i < n; i++)
		sum += v[i];
	if (!sum)
		return 0;
	for (i = 0; i < n; i++) {
		q = (unsigned __int128)v[i] * target;
		v[i] = (uint64_t)(q / sum);
		rem[i] = (uint64_t)(q % sum);
		got += v[i];
	}
	while (got < target) {
		for (best = 0, i = 1; i < n; i++)
			if (rem[i] > rem[best])
				best = i;
		v[best]++;
		rem[best] = 0;
		got++;
	}
	return 1;
}

/* attr_remove_baseline - the normal iteration out of normal time first, then the causes. */
void attr_remove_baseline(uint64_t *causes, uint64_t normal, uint64_t baseline)
{
	uint64_t take = normal < baseline ? normal : baseline, rest = baseline - take, sum = 0;
	size_t c;

	for (c = 0; c < ATTR_UNEXPLAINED; c++)
		sum += causes[c];
	if (rest && sum <= rest)
		memset(causes, 0, ATTR_UNEXPLAINED * sizeof(*causes));
	else if (rest)
		attr_scale_exact(causes, ATTR_UNEXPLAINED, sum - rest);
	causes[ATTR_UNEXPLAINED] = normal - take;
}

/* attr_dominant - the largest cause; the first of equals. */
enum attr_cause attr_dominant(const uint64_t *causes)
{
	unsigned int c, best = 0;

	for (c = 1; c < ATTR_NCAUSES; c++)
		if (causes[c] > causes[best])
			best = c;
	return (enum attr_cause)best;
}

/* attr_take_budget - @budget moved to @to: unexplained first, then the guest's causes. */
uint64_t attr_take_budget(uint64_t *causes, enum attr_cause to, uint64_t budget)
{
	uint64_t guest[ATTR_NCAUSES], sum = 0, take;
	size_t c, k = 0;

	take = budget < causes[ATTR_UNEXPLAINED] ? budget : causes[ATTR_UNEXPLAINED];
	causes[ATTR_UNEXPLAINED] -= take;
	causes[to] += take;
	budget -= take;
	for (c = 0; c < ATTR_UNEXPLAINED; c++)
		if (c != to)
			sum += guest[k++] = causes[c];
	if (!budget || !sum)
		return take;
	budget = budget < sum ? budget : sum;
	attr_scale_exact(guest, k, sum - budget);
	for (c = 0, k = 0; c < ATTR_UNEXPLAINED; c++)
		if (c != to)
			causes[c] = guest[k++];
	causes[to] += budget;
	return take + budget;
}
