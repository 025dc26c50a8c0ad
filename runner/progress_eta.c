// SPDX-License-Identifier: MIT
/* progress_eta - the ETA of a progress plan and the short label of a configuration (no output). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "probes/probe.h"
#include "probes/registry.h"
#include "runner/progress.h"

/*
 * stage_left_ns - the time stage @s, not ended, has still to take at @rate ns per iteration; a
 * --duration run the lesser of its time and its iterations.
 */
static double stage_left_ns(const struct progress_stage *s, double rate)
{
	uint64_t total = (uint64_t)s->runs * s->iterations;

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

/* own_rate - stage @s's rate from its own iterations (an ended one's to its last run); 0: none. */
static double own_rate(const struct progress_stage *s, uint64_t now_ns)
{
	return rate_since(s->first_ns, s->done, s->runs_done, s->ended ? s->last_ns : now_ns);
}

/*
 * stage_rate - the rate of stage @i of @p at @now_ns: its own, else the last stage before it of
 * its kind that has one, scaled by their weights; 0 when its kind was not timed yet.
 */
static double stage_rate(const struct progress *p, unsigned int i, uint64_t now_ns)
{
	const struct progress_stage *s = &p->stages[i];
	double rate = own_rate(s, now_ns);
	unsigned int j;

	for (j = i > p->cur ? p->cur + 1 : i; !rate && j-- > 0;)
		if (!strcmp(p->stages[j].kind, s->kind) && (rate = own_rate(&p->stages[j], now_ns)))
			rate *= (double)s->weight / p->stages[j].weight;
	return rate;
}

/*
 * named_before - whether a stage left before stage @i is of its kind. When @i's kind is not
 * timed yet, neither is that stage's, so the kind was named for it already.
 */
static bool named_before(const struct progress *p, unsigned int i)
{
	unsigned int k;

	for (k = p->cur; k < i; k++)
		if (!p->stages[k].skipped && !p->stages[k].ended &&
		    !strcmp(p->stages[k].kind, p->stages[i].kind))
			return true;
	return false;
}

bool progress_eta(const struct progress *p, uint64_t now_ns, double *seconds, char *untimed,
		  size_t len)
{
	bool timed = false;
	unsigned int i;
	double rate;

	*seconds = 0;
	*untimed = '\0';
	for (i = p->cur; i < p->nstages; i++) {
		if (p->stages[i].skipped || p->stages[i].ended)
			continue;
		rate = stage_rate(p, i, now_ns);
		if (!rate && !named_before(p, i))
			snprintf(untimed + strlen(untimed), len - strlen(untimed), "%s%s",
				 *untimed ? ", " : "",
				 *p->stages[i].kind ? p->stages[i].kind : "a stage");
		if (!rate)
			continue;
		*seconds += stage_left_ns(&p->stages[i], rate) / 1e9;
		timed = true;
	}
	return timed;
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

void progress_eta_string(const struct progress *p, uint64_t now_ns, char *buf, size_t len)
{
	char untimed[64];
	double left;
	size_t n;

	if (!progress_eta(p, now_ns, &left, untimed, sizeof(untimed))) {
		snprintf(buf, len, "-");
		return;
	}
	progress_format_eta(left, buf, len);
	n = strlen(buf);
	if (*untimed)
		snprintf(buf + n, len - n, " + %s, not timed yet", untimed);
}

void progress_eta_text(const struct progress *p, uint64_t now_ns, char *buf, size_t len)
{
	unsigned int n, pos;
	char eta[96];

	progress_position(p, &pos, &n);
	progress_eta_string(p, now_ns, eta, sizeof(eta));
	if (!strcmp(eta, "-"))
		snprintf(buf, len, " (probe %u of %u)", pos, n);
	else
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
