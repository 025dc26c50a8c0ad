/* SPDX-License-Identifier: MIT */
/*
 * patterns_exact - round(), round(d / period) and fmod() as the periodic search needs them for
 * every spike of every line it tries, without libm calls or a division per spike (x86-64's
 * baseline has no rounding instruction), and with exactly the results of the libm functions.
 * Internal to the patterns finders; test_patterns checks them against libm.
 */
#ifndef RINGSCOPE_PATTERNS_EXACT_H
#define RINGSCOPE_PATTERNS_EXACT_H

#include <math.h>
#include <stdint.h>

/*
 * patterns_round - round(y), halves away from zero, for |y| < 2^52: y - trunc(y) is exact
 * there, so the comparisons with 0.5 decide as round() does. (A zero may lose its sign.)
 */
static inline double patterns_round(double y)
{
	double t = (double)(int64_t)y, d = y - t;

	return d >= 0.5 ? t + 1 : d <= -0.5 ? t - 1 : t;
}

/*
 * patterns_index - round(d / period) by a product with @inv = 1 / period: below 1e9 the
 * product and the quotient differ by less than 1e-6, so they round alike unless that close to
 * a half, where the division decides (as it does for larger, infinite or NaN quotients).
 */
static inline double patterns_index(double d, double period, double inv)
{
	double y = d * inv, t, f;

	if (!(fabs(y) < 1e9))
		return round(d / period);
	t = (double)(int64_t)y;
	f = fabs(y - t);
	if (fabs(f - 0.5) < 1e-6)
		return patterns_round(d / period);
	return f < 0.5 ? t : y < 0 ? t - 1 : t + 1;
}

/*
 * patterns_mod - fmod(x, period) for 0 <= x < 2^52, period > 0: x - q period with the quotient
 * q of the division is fmod's result exactly when q is fmod's quotient (that result is
 * representable and fma rounds once); a q off by one lands outside [0, period), and then fmod
 * decides.
 */
static inline double patterns_mod(double x, double period)
{
	double r = fma(-(double)(int64_t)(x / period), period, x);

	return r >= 0 && r < period ? r : fmod(x, period);
}

#endif
