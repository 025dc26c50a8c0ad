// SPDX-License-Identifier: MIT
/* progress - the terminal progress line of a measurement (nothing when stderr is not a TTY). */
#include "runner/progress.h"

#include <stdio.h>
#include <string.h>

#include "lib/stats.h"
#include "lib/timing.h"

void progress_init(struct progress *p, bool enabled, const char *label, unsigned int runs,
		   unsigned int iterations)
{
	memset(p, 0, sizeof(*p));
	p->enabled = enabled;
	p->label = label;
	p->runs = runs;
	p->iterations = iterations;
	p->start_ns = timing_mono_ns();
	p->next_draw_ns = p->start_ns + PROGRESS_PERIOD_NS;
}

/* format_eta - "m:ss" of the remaining time, extrapolated from the rate so far. */
static void format_eta(const struct progress *p, uint64_t now_ns, char *buf, size_t len)
{
	uint64_t total = (uint64_t)p->runs * p->iterations, left;
	double per;

	if (!p->done || p->done >= total) {
		snprintf(buf, len, "-");
		return;
	}
	per = (double)(now_ns - p->start_ns) / (double)p->done;
	left = (uint64_t)(per * (double)(total - p->done) / 1e9);
	snprintf(buf, len, "%llu:%02llu", (unsigned long long)(left / 60),
		 (unsigned long long)(left % 60));
}

void progress_draw(struct progress *p, unsigned int run, unsigned int iteration, uint64_t now_ns)
{
	char eta[32];

	if (!p->enabled || now_ns < p->next_draw_ns)
		return;
	p->next_draw_ns = now_ns + PROGRESS_PERIOD_NS;
	format_eta(p, now_ns, eta, sizeof(eta));
	fprintf(stderr, "\r%s: run %u/%u  iteration %u/%u  ETA %s", p->label, run + 1, p->runs,
		iteration, p->iterations, eta);
	if (p->wlen) {
		memcpy(p->sorted, p->window, p->wlen * sizeof(double));
		stats_sort(p->sorted, p->wlen);
		fprintf(stderr, "  p50 %.2f us  p99 %.2f us",
			stats_percentile(p->sorted, p->wlen, 0.5) / 1e3,
			stats_percentile(p->sorted, p->wlen, 0.99) / 1e3);
	}
	fputs("\033[K", stderr);
	fflush(stderr);
}

void progress_clear(struct progress *p)
{
	if (!p->enabled)
		return;
	fputs("\r\033[K", stderr);
	fflush(stderr);
}
