/* SPDX-License-Identifier: MIT */
/*
 * patterns_exact - the position of a spike on a periodic line and its phase, as the periodic
 * search needs them for every spike of every line it tries: without libm calls or a division
 * per spike (x86-64's baseline has no rounding instruction), and with the results the libm
 * functions give wherever the search uses them. test_patterns checks them against libm.
 */
#ifndef RINGSCOPE_PATTERNS_EXACT_H
#define RINGSCOPE_PATTERNS_EXACT_H

#include <math.h>
#include <stdint.h>

/*
 * patterns_nearest - round(d / period), the position nearest to a spike @d past the phase, by
 * a product with @inv = 1 / period, for |d / period| < 2^62. It is round()'s answer wherever
 * the spike is not within 1e-6 of half a period from both neighbours (where the product and
 * the quotient could round apart): the search counts only spikes within PP_FIT_TOL
 * (< PP_MIN_PERIOD / 2) of a position, so it never tells the two apart.
 */
static inline double patterns_nearest(double d, double inv)
{
	return (double)(int64_t)(d * inv + copysign(0.5, d));
}

/*
 * patterns_mod - fmod(x, period) for 0 <= x < 2^52, period > 0, exactly: x - q period with the
 * quotient q of the division is fmod's result when q is fmod's quotient (that result is
 * representable and fma rounds once); a q off by one lands outside [0, period), and then fmod
 * decides.
 */
static inline double patterns_mod(double x, double period)
{
	double r = fma(-(double)(int64_t)(x / period), period, x);

	return r >= 0 && r < period ? r : fmod(x, period);
}

#endif
