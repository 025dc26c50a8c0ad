// SPDX-License-Identifier: MIT
/* patterns_chance - the binomial tail behind the line finders' chance test. */
#include <math.h>

#include "analysis/patterns/patterns_chance.h"

double patterns_binom_sf(size_t k, size_t n, double p)
{
	double lp, lq, lnf, sum = 0, term;
	size_t i;

	if (k == 0)
		return 1.0;
	if (k > n || p <= 0)
		return 0.0;
	if (p >= 1)
		return 1.0;
	lp = log(p);
	lq = log1p(-p);
	lnf = lgamma((double)n + 1); /* log n!, the same for every term */
	for (i = k; i <= n; i++) {
		term = exp(lnf - lgamma((double)i + 1) - lgamma((double)(n - i) + 1) +
			   (double)i * lp + (double)(n - i) * lq);
		sum += term;
		if (i > (double)n * p && term < sum * 1e-17)
			break; /* past the mode the terms only shrink */
	}
	return fmin(sum, 1.0);
}
