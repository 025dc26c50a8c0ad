/* SPDX-License-Identifier: MIT */
/*
 * progress - a one-line progress display on a terminal: run, iteration, ETA and the p50/p99 of a
 * window of recent samples, redrawn about four times a second. Off when stderr is not a terminal.
 */
#ifndef RINGSCOPE_PROGRESS_H
#define RINGSCOPE_PROGRESS_H

#include <stdbool.h>
#include <stdint.h>

#define PROGRESS_WINDOW	   2048		/* recent samples the running percentiles use */
#define PROGRESS_PERIOD_NS 250000000ULL /* redraw period */

struct progress {
	bool enabled;
	const char *label;
	unsigned int runs, iterations;
	uint64_t start_ns, next_draw_ns;
	uint64_t done; /* recorded iterations so far, over all runs */
	double window[PROGRESS_WINDOW];
	double sorted[PROGRESS_WINDOW]; /* scratch for the percentiles of a redraw */
	unsigned int wlen, wpos;
};

/* progress_init - start a display for @runs x @iterations of @label; @enabled false: no output. */
void progress_init(struct progress *p, bool enabled, const char *label, unsigned int runs,
		   unsigned int iterations);
/* progress_add - count one recorded iteration and remember its latency for the percentiles. */
static inline void progress_add(struct progress *p, double latency_ns)
{
	p->done++;
	p->window[p->wpos] = latency_ns;
	p->wpos = (p->wpos + 1) % PROGRESS_WINDOW;
	if (p->wlen < PROGRESS_WINDOW)
		p->wlen++;
}
/* progress_draw - redraw if a period has passed since the last one (@now_ns: CLOCK_MONOTONIC). */
void progress_draw(struct progress *p, unsigned int run, unsigned int iteration, uint64_t now_ns);
/* progress_clear - erase the line, so the summary that follows starts clean. */
void progress_clear(struct progress *p);

#endif
