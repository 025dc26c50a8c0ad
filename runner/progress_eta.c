// SPDX-License-Identifier: MIT
/* progress_eta - the ETA of a progress plan and the short label of a configuration (no output). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "probes/probe.h"
#include "probes/registry.h"
#include "runner/progress.h"

/*
 * stage_left_ns - the time stage @s has still to take at @rate ns per iteration (none once it
 * ended or is skipped); a --duration run the lesser of its time and its iterations.
 */
static double stage_left_ns(const struct progress_stage *s, double rate)
{
	uint64_t total = (uint64_t)s->runs * s->iterations;

	if (s->skipped || s->ended)
		return 0;
	if (s->run_ns)
		return s->runs > s->runs_done ? (double)(s->runs - s->runs_done) *
						    fmin((double)s->run_ns, s->iterations * rate)
					      : 0;
	return s->done < total ? (double)(total - s->done) * rate : 0;
}

/*
 * rate_since - ns of wall time per recorded iteration from @first_ns (the first of @done) to
 * @now_ns; 0 while too early to say: before a run ended (@runs_done) or PROGRESS_ETA_MIN_DONE
 * iterations over PROGRESS_ETA_MIN_NS were timed.
 */
static double rate_since(uint64_t first_ns, uint64_t done, unsigned int runs_done, uint64_t now_ns)
{
	uint64_t span;

	if (!done || !first_ns || now_ns <= first_ns)
		return 0;
	span = now_ns - first_ns;
	if (!runs_done && (done < PROGRESS_ETA_MIN_DONE || span < PROGRESS_ETA_MIN_NS))
		return 0;
	return (double)span / (double)done;
}

bool progress_eta(const struct progress *p, uint64_t now_ns, double *seconds)
{
	const struct progress_stage *cur = &p->stages[p->cur];
	/* the stages to come at the command's rate (the gaps between stages in it) */
	double all = rate_since(p->start_ns, p->done, p->runs_done, now_ns);
	double rate = rate_since(cur->first_ns, cur->done, cur->runs_done, now_ns), left;
	unsigned int i;

	if (!p->nstages || !all)
		return false;
	left = stage_left_ns(cur, rate ? rate : all);
	for (i = p->cur + 1; i < p->nstages; i++)
		left += stage_left_ns(&p->stages[i], all);
	*seconds = left / 1e9;
	return true;
}

void progress_format_eta(double seconds, char *buf, size_t len)
{
	unsigned long long s = seconds > 0 ? (unsigned long long)(seconds + 0.5) : 0;

	if (s >= 3600)
		snprintf(buf, len, "%llu:%02llu:%02llu", s / 3600, s / 60 % 60, s % 60);
	else
		snprintf(buf, len, "%llu:%02llu", s / 60, s % 60);
}

void progress_position(const struct progress *p, unsigned int *pos, unsigned int *n)
{
	unsigned int k;

	*pos = *n = 0;
	for (k = 0; k < p->nstages; k++) {
		*n += !p->stages[k].skipped;
		*pos += !p->stages[k].skipped && k <= p->cur;
	}
}

void progress_eta_text(const struct progress *p, uint64_t now_ns, char *buf, size_t len)
{
	unsigned int n, pos;
	char eta[32];
	double left;

	progress_position(p, &pos, &n);
	if (!progress_eta(p, now_ns, &left)) {
		snprintf(buf, len, " (probe %u of %u)", pos, n);
		return;
	}
	progress_format_eta(left, eta, sizeof(eta));
	snprintf(buf, len, " (probe %u of %u, ETA %s)", pos, n, eta);
}

void progress_label(const struct probe_config *cfg, char *buf, size_t len)
{
	const struct probe_ops *ops = probe_find(cfg->probe);
	int used = snprintf(buf, len, "%s", cfg->probe);

	if (!ops || !ops->has_members || used < 0 || (size_t)used >= len)
		return;
	if (cfg->topology)
		snprintf(buf + used, len - (size_t)used, " topology");
	else if (cfg->domains != PROBE_DOMAINS_SINGLE)
		snprintf(buf + used, len - (size_t)used, " %u-hop %s", cfg->members,
			 probe_domains_names[cfg->domains]);
	else
		snprintf(buf + used, len - (size_t)used, " %u-hop", cfg->members);
}
