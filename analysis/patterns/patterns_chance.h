/* SPDX-License-Identifier: MIT */
/* patterns_chance - the chance test the line finders share: could noise have made this line? */
#ifndef RINGSCOPE_PATTERNS_CHANCE_H
#define RINGSCOPE_PATTERNS_CHANCE_H

#include <stddef.h>

/* patterns_binom_sf - P(X >= k) for X ~ Binomial(n, p): how likely chance made a line. */
double patterns_binom_sf(size_t k, size_t n, double p);

#endif
