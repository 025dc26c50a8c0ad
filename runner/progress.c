// SPDX-License-Identifier: MIT
/* progress - the command's one progress line on a terminal, redrawn between runs. */
#include "runner/progress.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "lib/stats.h"

void progress_init(struct progress *p, bool tty)
{
	memset(p, 0, sizeof(*p));
	p->tty = tty;
}

int progress_add_stage(struct progress *p, const char *label, unsigned int runs,
		       unsigned int iterations, uint64_t run_ns)
{
	struct progress_stage *s;

	if (p->nstages == PROGRESS_MAX_STAGES)
		return -ENOSPC;
	s = &p->stages[p->nstages];
	memset(s, 0, sizeof(*s));
	snprintf(s->label, sizeof(s->label), "%s", label);
	s->runs = runs;
	s->iterations = iterations;
	s->run_ns = run_ns;
	s->weight = 1;
	return (int)p->nstages++;
}

void progress_stage_kind(struct progress *p, unsigned int i, const char *kind, unsigned int weight)
{
	if (i >= p->nstages)
		return;
	snprintf(p->stages[i].kind, sizeof(p->stages[i].kind), "%s", kind);
	p->stages[i].weight = weight ? weight : 1;
}

void progress_skip(struct progress *p, unsigned int i)
{
	if (i < p->nstages)
		p->stages[i].skipped = true;
}

/* draw - "LABEL (probe K/N)  runs R/RUNS  iterations I/N  ETA m:ss  p50 .. us  p99 .. us". */
static void draw(struct progress *p, uint64_t now_ns)
{
	const struct progress_stage *s = &p->stages[p->cur];
	char eta[96];
	unsigned int pos, n;

	progress_eta_string(p, now_ns, eta, sizeof(eta));
	progress_position(p, &pos, &n);
	fprintf(stderr, "\r%s", s->label);
	if (n > 1)
		fprintf(stderr, " (probe %u/%u)", pos, n);
	fprintf(stderr, "  runs %u/%u  iterations %llu", s->runs_done, s->runs,
		(unsigned long long)s->done);
	if (!s->run_ns) /* else the number is not known before the runs end */
		fprintf(stderr, "/%llu", (unsigned long long)s->runs * s->iterations);
	fprintf(stderr, "  ETA %s", eta);
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

void progress_begin(struct progress *p, unsigned int i, uint64_t now_ns)
{
	if (i >= p->nstages)
		return;
	p->cur = i;
	p->wlen = p->wpos = 0; /* the percentiles are this stage's */
	if (p->tty)
		draw(p, now_ns);
}

void progress_run_end(struct progress *p, unsigned int run, uint64_t now_ns)
{
	if (!p->nstages)
		return;
	p->stages[p->cur].runs_done = run + 1;
	p->stages[p->cur].last_ns = now_ns;
	if (p->tty)
		draw(p, now_ns);
}

void progress_end(struct progress *p)
{
	if (!p->nstages)
		return;
	p->stages[p->cur].ended = true;
}

void progress_clear(struct progress *p)
{
	if (!p->tty || !p->nstages)
		return;
	fputs("\r\033[K", stderr);
	fflush(stderr);
}
